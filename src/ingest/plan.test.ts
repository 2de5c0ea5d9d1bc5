import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePlan, summarizePlan } from './plan.js';
import { TARGET_KINDS } from '../domain/plan.js';

const MINI = readFileSync(new URL('../../test/fixtures/mini-plan/plan.yaml', import.meta.url), 'utf8');

/** The fixture with `from` replaced by `to` (exactly once), to make a broken copy. */
function broken(from: string, to: string): string {
  expect(MINI.split(from).length, `fixture contains "${from}" once`).toBe(2);
  return MINI.replace(from, to);
}

function lineOf(text: string, needle: string): number {
  return text.slice(0, text.indexOf(needle)).split('\n').length;
}

describe('parsePlan', () => {
  it('accepts the fixture and fills defaults', () => {
    const r = parsePlan(MINI);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const jobs = r.plan.indicators.find((i) => i.code === 'NEW_JOBS');
    expect(jobs?.periodicity).toBe('month');
    const pop = r.plan.indicators.find((i) => i.code === 'POP');
    expect(pop?.computation).toEqual({ kind: 'raw' });
    expect(pop?.periodicity).toBe('year');
    expect(r.plan.tasks[1]?.list).toBe('breakthrough');
    expect(r.plan.tasks[0]?.list).toBe('key');
    expect(r.plan.evaluation.onTrack).toBe(1);
  });

  it('summarises counts by computation and target kind', () => {
    const r = parsePlan(MINI);
    if (!r.ok) throw new Error('fixture invalid');
    expect(summarizePlan(r.plan)).toBe(
      'mini-2021-2025: 2 dimensions, 2 sections, 2 tasks, 12 indicators (raw 9, formula 1, disparity 1, microdata 1), ' +
        '11 targets (level 4, growth 1, cumulative 1, yearly 1, trend 1, relative 2, rank 1)',
    );
  });

  it('the fixture holds every target kind, so each kind is exercised', () => {
    const r = parsePlan(MINI);
    if (!r.ok) throw new Error('fixture invalid');
    const kinds = new Set(r.plan.indicators.flatMap((i) => i.targets.map((t) => t.kind)));
    expect([...kinds].sort()).toEqual([...TARGET_KINDS].sort());
  });

  it.each([
    {
      why: 'an unknown dimension',
      from: 'dimension: ECOLOGY\n    tasks: [2]',
      to: 'dimension: WATER\n    tasks: [2]',
      path: 'indicators[9].dimension',
      message: 'unknown dimension WATER',
      at: 'dimension: WATER',
    },
    {
      why: 'an unknown target kind',
      from: '{ kind: trend }',
      to: '{ kind: sometimes }',
      path: 'indicators[9].targets[0].kind',
      message: "Invalid discriminator value. Expected 'level' | 'growth'",
      at: 'kind: sometimes',
    },
    {
      why: 'a formula over an unknown indicator',
      from: 'INC_URBAN / INC_RURAL',
      to: 'INC_URBAN / INC_VILLAGE',
      path: 'indicators[4].computation.expression',
      message: 'the formula refers to unknown indicator INC_VILLAGE',
      at: 'INC_URBAN / INC_VILLAGE',
    },
    {
      why: 'a formula that does not parse',
      from: 'INC_URBAN / INC_RURAL',
      to: 'INC_URBAN / (INC_RURAL',
      path: 'indicators[4].computation.expression',
      message: 'the formula does not parse (at character',
      at: 'INC_URBAN / (INC_RURAL',
    },
    {
      why: 'a duplicate code',
      from: 'code: INC_RURAL',
      to: 'code: INC_URBAN',
      path: 'indicators[3].code',
      message: 'indicator code INC_URBAN is used more than once',
      at: 'code: INC_URBAN\n    name: { zh: 农村',
    },
    {
      why: 'a growth target with neither rate nor amount',
      from: 'kind: growth, rate: 0.082,',
      to: 'kind: growth,',
      path: 'indicators[1].targets[1]',
      message: 'a growth target has either rate',
      at: 'kind: growth,',
    },
    {
      why: 'a task in an unknown section',
      from: 'number: 2\n    section: 2',
      to: 'number: 2\n    section: 7',
      path: 'tasks[1].section',
      message: 'unknown section 7',
      at: 'section: 7',
    },
    {
      why: 'a missing source',
      from: '    source: 常住人口\n',
      to: '',
      path: 'indicators[0].source',
      message: 'Invalid input',
      at: 'code: POP',
    },
  ])('reports $why with its YAML path and line', ({ from, to, path, message, at }) => {
    const text = broken(from, to);
    const r = parsePlan(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const problem = r.problems.find((p) => p.path === path);
    expect(problem, JSON.stringify(r.problems)).toBeDefined();
    expect(problem?.message).toContain(message);
    expect(problem?.line).toBe(lineOf(text, at));
  });

  it('reports every problem, not just the first', () => {
    const text = broken('dimension: ECOLOGY\n    tasks: [2]', 'dimension: WATER\n    tasks: [9]').replace(
      'unit: ug_m3',
      'unit: furlongs',
    );
    const r = parsePlan(text);
    if (r.ok) throw new Error('expected problems');
    expect(r.problems.map((p) => p.path)).toEqual([
      'indicators[9].unit',
      'indicators[9].dimension',
      'indicators[9].tasks[0]',
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    const text = broken('  - code: PM25', '  - code: [PM25');
    const r = parsePlan(text);
    if (r.ok) throw new Error('expected problems');
    expect(r.problems[0]?.path).toBe('(yaml)');
    expect(r.problems[0]?.line).toBeGreaterThanOrEqual(lineOf(text, 'code: [PM25'));
  });

  it('refuses a target year before the base year and a milestone after its target', () => {
    const text = broken(
      'milestones: [{ year: 2023, value: 0.7 }]',
      'year: 2019, milestones: [{ year: 2024, value: 0.7 }]',
    );
    const r = parsePlan(text);
    if (r.ok) throw new Error('expected problems');
    expect(r.problems.map((p) => p.message)).toEqual([
      "target year 2019 is before the plan's base year",
      'a milestone cannot fall after its target year',
    ]);
  });
});
