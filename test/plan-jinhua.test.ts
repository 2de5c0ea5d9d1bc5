/**
 * The Jinhua plan file against the plan text: every quote is in the text, every task is there, and
 * no number of the goals and tasks 1–36 is left without an indicator unless it is listed below with
 * the reason. So the plan file cannot drift from the plan.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { readPlanFile } from '../src/ingest/plan.js';
import { normaliseForQuote, restorePlanText } from '../scripts/plan-text.js';
import { TARGET_KINDS, type Plan } from '../src/domain/plan.js';

const DIR = new URL('../plans/jinhua-2021-2025/', import.meta.url);
const TEXT = restorePlanText(readFileSync(new URL('source/plan.zh-Hant.txt', DIR), 'utf8'));
const RAW = parse(readFileSync(new URL('plan.yaml', DIR), 'utf8')) as Record<string, unknown>;

/** Numbers of the text that are not targets, each with the reason. Matched on the text around the number. */
const NOT_TARGETS: [context: string, reason: string][] = [
  ['到2025年', 'the target year itself'],
  ['G60科创走廊', 'a name (长三角G60科创走廊)'],
  ['2.0版', 'a version of a programme'],
  ['3.0版', 'a version of a programme'],
  ['5G+工业互联网', 'a name of a national pilot'],
  ['3岁以下', 'a definition (infants under 3)'],
  ['14次', 'history: visits of 2002–2007'],
  ['10分钟阅读圈', '打造 a reading circle: no measure of extent is set'],
  ['10分钟健身圈', '打造 a fitness circle: no measure of extent is set'],
  ['PM2.5和臭氧', 'a campaign name (双控双减); PM2.5 itself is the PM25 indicator'],
  ['6+1', 'a name of a group of action plans'],
  ['12条标准', 'a name of a party-building standard'],
];

function quotes(node: unknown, where: string, out: [string, string][] = []): [string, string][] {
  if (Array.isArray(node)) node.forEach((n, i) => quotes(n, `${where}[${i}]`, out));
  else if (node && typeof node === 'object')
    for (const [k, v] of Object.entries(node)) {
      // baseline.source names a statistics publication, not the plan
      if (k === 'source' && typeof v === 'string' && !where.endsWith('.baseline')) out.push([where, v]);
      else quotes(v, `${where}.${k}`, out);
    }
  return out;
}

async function jinhua(): Promise<Plan> {
  const r = await readPlanFile(new URL('plan.yaml', DIR).pathname);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.line}: ${p.path}: ${p.message}`).join('\n'));
  return r.plan;
}

describe('the Jinhua plan file', () => {
  it('is valid', async () => {
    await expect(jinhua()).resolves.toBeDefined();
  });

  it('quotes the plan text in every source', () => {
    const text = normaliseForQuote(TEXT);
    const all = quotes(RAW, '');
    expect(all.length).toBeGreaterThan(200);
    const missing = all.filter(([, q]) => !text.includes(normaliseForQuote(q)));
    expect(missing).toEqual([]);
  });

  it('holds all 42 tasks, each under the section the text puts it in', async () => {
    const plan = await jinhua();
    expect(plan.tasks.map((t) => t.number)).toEqual(Array.from({ length: 42 }, (_, i) => i + 1));
    const sectionOf = new Map<number, number>();
    let section = 0;
    for (const line of TEXT.split('\n')) {
      const heading = /^([一二三四五六七八九十])、/.exec(line);
      if (heading) section = '一二三四五六七八九十'.indexOf(heading[1]!) + 1;
      const task = /^(\d+)\./.exec(line);
      if (task && section > 0) sectionOf.set(Number(task[1]), section);
    }
    expect(sectionOf.size).toBe(42);
    for (const t of plan.tasks) expect(t.section, `task ${t.number}`).toBe(sectionOf.get(t.number));
  });

  it('has the eight goal areas as dimensions and an indicator in each', async () => {
    const plan = await jinhua();
    expect(plan.dimensions).toHaveLength(8);
    for (const d of plan.dimensions)
      expect(
        plan.indicators.some((i) => i.dimension === d.code && i.headline),
        d.code,
      ).toBe(true);
  });

  it('uses every target kind of the schema', async () => {
    const plan = await jinhua();
    const kinds = new Set(plan.indicators.flatMap((i) => i.targets.map((t) => t.kind)));
    expect([...kinds].sort()).toEqual([...TARGET_KINDS].sort());
  });

  it('leaves no number of the goals and tasks 1–36 without an indicator, except the listed ones', () => {
    const start = TEXT.indexOf('一、发展目标');
    const end = TEXT.indexOf('\n37.');
    const body = TEXT.slice(start, end);
    const covered = new Uint8Array(body.length);
    for (const [, q] of quotes(RAW, '')) {
      for (let i = body.indexOf(q); i >= 0; i = body.indexOf(q, i + 1)) covered.fill(1, i, i + q.length);
    }
    const used = new Set<string>();
    const uncovered: string[] = [];
    for (const m of body.matchAll(/\d+(\.\d+)?/g)) {
      if (covered[m.index]) continue;
      const around = body.slice(Math.max(0, m.index - 12), m.index + m[0].length + 12);
      const allowed = NOT_TARGETS.find(([context]) => around.includes(context));
      if (allowed) used.add(allowed[0]);
      else uncovered.push(around);
    }
    expect(uncovered).toEqual([]);
    // An entry that no longer matches anything should be removed.
    expect(NOT_TARGETS.map(([c]) => c).filter((c) => !used.has(c))).toEqual([]);
  });

  it('states the headline goals of the plan with their values', async () => {
    const plan = await jinhua();
    const target = (code: string) => plan.indicators.find((i) => i.code === code)?.targets[0];
    expect(target('INC_PC')).toMatchObject({ kind: 'level', op: '>=', value: 75000 });
    expect(target('URBAN_RURAL_INC_RATIO')).toMatchObject({ kind: 'level', op: '<=', value: 1.9 });
    expect(target('GDP_PC_COUNTY_MAXMIN')).toMatchObject({ kind: 'level', op: '<=', value: 1.5 });
    expect(target('INC_PC_COUNTY_MAXMIN')).toMatchObject({ kind: 'level', op: '<=', value: 2.2 });
    expect(target('HH_INC_100K_500K_SHARE')).toMatchObject({ kind: 'level', op: '>=', value: 0.735 });
    expect(target('URBANIZATION_RATE')).toMatchObject({ kind: 'level', op: '>=', value: 0.73 });
    const disparity = plan.indicators.find((i) => i.code === 'GDP_PC_COUNTY_MAXMIN')?.computation;
    expect(disparity).toEqual({ kind: 'disparity', of: 'GDP_PC', across: 'county', measure: 'maxMinRatio' });
    const middle = plan.indicators.find((i) => i.code === 'HH_INC_100K_500K_SHARE')?.computation;
    expect(middle).toMatchObject({ kind: 'microdata', statistic: 'bracketShare', from: 100000, to: 500000 });
  });

  it('marks every lead and co-operating unit of the demo as a demo assignment, and each exists', async () => {
    const plan = await jinhua();
    const departments = readFileSync(new URL('departments.csv', DIR), 'utf8');
    for (const t of plan.tasks) {
      expect(t.lead.length, `task ${t.number} has a lead`).toBeGreaterThan(0);
      for (const u of [...t.lead, ...t.cooperating]) {
        expect(u.demo, `task ${t.number} ${u.unit}`).toBe(true);
        expect(departments).toContain(`\n${u.unit},`);
      }
    }
  });
});
