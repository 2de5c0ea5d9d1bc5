import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAppraisalSchemes, schemeInForce, type AppraisalScheme } from './appraisal-scheme.js';

const SHIPPED = readFileSync(new URL('../../plans/jinhua-2021-2025/appraisal.yaml', import.meta.url), 'utf8');

function shipped(): AppraisalScheme[] {
  const r = parseAppraisalSchemes(SHIPPED);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.file.schemes;
}

describe('the shipped Jinhua schemes', () => {
  it('are valid: counties with four components and at least three rules from 2024, departments too', () => {
    const schemes = shipped();
    const county = schemeInForce(schemes, 'county', '2024Q4')!;
    expect(county.version).toBe(2);
    expect(county.components.map((c) => c.source)).toEqual([
      'indicator_index',
      'task_completion',
      'problem_control',
      'satisfaction',
    ]);
    expect(county.components.reduce((s, c) => s + c.weight, 0)).toBe(100);
    expect(county.rules.map((r) => r.code)).toEqual(
      expect.arrayContaining(['national_pilot', 'major_safety_accident', 'overdue_rectification']),
    );
    expect(county.rules.find((r) => r.code === 'overdue_rectification')).toMatchObject({ points: -0.5, cap: 3 });
    expect(schemeInForce(schemes, 'department', '2024Q4')!.id).toBe('department');
    // The plan gives no weights: every weight and rule says it is a demo choice.
    for (const s of schemes) for (const x of [...s.components, ...s.rules]) expect(x.note).toMatch(/Demo choice/);
  });

  it('score each period under the version in force then', () => {
    const schemes = shipped();
    expect(schemeInForce(schemes, 'county', '2021Q1')!.version).toBe(1);
    expect(schemeInForce(schemes, 'county', '2023Q4')!.version).toBe(1);
    expect(schemeInForce(schemes, 'county', '2024Q1')!.version).toBe(2);
    expect(schemeInForce(schemes, 'county', '2023')!.version).toBe(1);
    expect(schemeInForce(schemes, 'county', '2030Q2')!.version).toBe(2);
    expect(schemeInForce(schemes, 'county', '2020Q4')).toBeUndefined();
  });
});

describe('parseAppraisalSchemes', () => {
  it('says where each problem is, by YAML path and line', () => {
    const text = SHIPPED.replace('weight: 40', 'weight: -40').replace('validFrom: 2024Q1', 'validFrom: 2024-01');
    const r = parseAppraisalSchemes(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const lines = text.split('\n');
    const weight = r.problems.find((p) => p.path === 'schemes[1].components[0].weight')!;
    expect(lines[weight.line - 1]).toContain('weight: -40');
    const from = r.problems.find((p) => p.path === 'schemes[1].validFrom')!;
    expect(from.message).toMatch(/2024Q1/);
    expect(lines[from.line - 1]).toContain('validFrom: 2024-01');
  });

  it('refuses overlapping versions of one subject', () => {
    const r = parseAppraisalSchemes(SHIPPED.replace('validTo: 2023Q4', 'validTo: 2024Q2'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.message).join()).toMatch(/county schemes overlap/);
  });

  it('refuses duplicate codes, a floor above the cap, a positive automatic rule and YAML errors', () => {
    const base = {
      id: 'x',
      subject: 'county',
      version: 1,
      title: { zh: 'x', en: 'x' },
      validFrom: '2024Q1',
      note: 'n',
      components: [
        { code: 'a', source: 'satisfaction', title: { zh: 'a', en: 'a' }, weight: 10, floor: 80, cap: 50, note: 'n' },
        { code: 'a', source: 'satisfaction', title: { zh: 'a', en: 'a' }, weight: 10, note: 'n' },
      ],
      rules: [{ code: 'r', title: { zh: 'r', en: 'r' }, points: 1, automatic: 'overdue_rectification', note: 'n' }],
    };
    const r = parseAppraisalSchemes(JSON.stringify({ schemes: [base] }));
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.problems.map((p) => `${p.path}: ${p.message}`).sort()).toEqual([
        'schemes[0].components[0].floor: a floor above the cap',
        'schemes[0].components[1].code: component a appears twice',
        'schemes[0].rules[0].points: an automatic rule from the loop deducts (points < 0)',
      ]);
    const bad = parseAppraisalSchemes('schemes: [\n');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems[0]!.path).toBe('(yaml)');
  });
});
