/**
 * Known answers for the whole-plan evaluation on a small plan, worked by hand in the comments from the
 * definitions in evaluate.ts (and the modules it composes). The property tests (incremental = full,
 * determinism on seeded random plans) are in evaluate/incremental.test.ts.
 *
 * The region: city C 990100 (parent 990000, outside) with counties E 990101 (towns E1 990101001,
 * E2 990101002) and W 990102 (town W1 990102001, a mountain county). Leaves: E1, E2, W1.
 * Plan: base year 2020, target year 2025; data 2020–2022 (monthly data to June 2022).
 */
import { describe, expect, it } from 'vitest';
import { makePeriod, periodIndex, type PeriodType } from '../domain/period.js';
import { TARGET_KINDS, planSchema, type PlanInput, type TargetKind } from '../domain/plan.js';
import {
  evaluate,
  evaluationJson,
  explainDisparity,
  explainIndex,
  ORIGINS,
  type Evaluation,
  type EvaluationInput,
  type EvaluationOrgUnit,
  type HouseholdYear,
  type ReportedMatrix,
} from './evaluate.js';
import { COMPUTED, MISSING, REPORTED } from './rollup.js';

function expectRel(actual: number, expected: number, tol = 1e-9) {
  const scale = Math.max(1, Math.abs(expected));
  expect(Math.abs(actual - expected) / scale).toBeLessThanOrEqual(tol);
}

const ROWS: EvaluationOrgUnit[] = [
  { code: '990100', parent: '990000', level: 'city' },
  { code: '990101', parent: '990100', level: 'county', attributes: { mountain: '0' } },
  { code: '990102', parent: '990100', level: 'county', attributes: { mountain: '1' } },
  { code: '990101001', parent: '990101', level: 'town' },
  { code: '990101002', parent: '990101', level: 'town' },
  { code: '990102001', parent: '990102', level: 'town' },
];
const [C, E, W, E1, E2, W1] = [0, 1, 2, 3, 4, 5];
const UNITS = ROWS.length;

const indicator = (code: string, extra: Record<string, unknown>) => ({
  code,
  name: { zh: code, en: code },
  unit: 'count',
  dimension: 'INCOME',
  direction: 'up',
  levels: ['city'],
  source: `source of ${code}`,
  ...extra,
});

const PLAN_INPUT: PlanInput = {
  id: 'mini-2021-2025',
  title: { zh: '示例市共同富裕实施方案', en: 'Sample City Common Prosperity Plan' },
  baseYear: 2020,
  targetYear: 2025,
  rootOrgUnit: '990100',
  orgUnits: { regions: 'org-units.csv' },
  dimensions: [
    { code: 'INCOME', name: { zh: '收入', en: 'Income' }, source: '居民收入更加富足' },
    { code: 'ECOLOGY', name: { zh: '生态', en: 'Ecology' }, source: '生态环境持续改善' },
  ],
  sections: [{ number: 1, title: { zh: '发展目标', en: 'Goals' }, source: '一、发展目标' }],
  tasks: [
    {
      number: 1,
      section: 1,
      title: { zh: '促进增收', en: 'Raise incomes' },
      summary: { zh: '增收' },
      source: '1.促进增收',
    },
  ],
  indicators: [
    indicator('POP', { unit: 'persons', levels: ['city', 'county'], aggregation: { method: 'sum' } }),
    indicator('POP_URBAN', { unit: 'persons', levels: ['city', 'county'], aggregation: { method: 'sum' } }),
    indicator('INC_PC', {
      unit: 'yuan',
      levels: ['city', 'county'],
      aggregation: { method: 'weightedMean', weight: 'POP' },
      targets: [
        { kind: 'level', op: '>=', value: 75000 },
        { kind: 'growth', rate: 0.082, aspirational: true },
      ],
    }),
    indicator('INC_URBAN', { unit: 'yuan' }),
    indicator('INC_RURAL', { unit: 'yuan' }),
    indicator('URBAN_RURAL_RATIO', {
      unit: 'ratio',
      direction: 'down',
      computation: { kind: 'formula', expression: 'INC_URBAN / INC_RURAL' },
      targets: [{ kind: 'level', op: '<=', value: 1.9 }],
      headline: true,
    }),
    indicator('URBANIZATION', {
      unit: 'share',
      computation: { kind: 'formula', expression: 'POP_URBAN / POP' },
      targets: [{ kind: 'level', op: '>=', value: 0.6 }],
    }),
    indicator('INC_MAXMIN', {
      unit: 'ratio',
      direction: 'down',
      computation: { kind: 'disparity', of: 'INC_PC', across: 'county', measure: 'maxMinRatio' },
      targets: [{ kind: 'level', op: '<=', value: 2.2 }],
      headline: true,
    }),
    indicator('INC_THEIL', {
      unit: 'index',
      direction: 'down',
      computation: { kind: 'disparity', of: 'INC_PC', across: 'town', measure: 'theilT', weight: 'POP' },
    }),
    indicator('MIDDLE_SHARE', {
      unit: 'share',
      limit: 1,
      baseline: { year: 2020, value: 0.4 },
      computation: {
        kind: 'microdata',
        statistic: 'bracketShare',
        variable: 'disposable_income',
        from: 100000,
        to: 500000,
      },
      targets: [{ kind: 'level', op: '>=', value: 0.735 }],
      headline: true,
    }),
    indicator('RURAL_INC_PC_MEAN', {
      unit: 'yuan',
      computation: {
        kind: 'microdata',
        statistic: 'mean',
        variable: 'disposable_income_per_capita',
        filter: { urbanRural: 'rural' },
      },
    }),
    indicator('NEW_JOBS', {
      unit: 'persons',
      periodicity: 'month',
      periodAggregation: 'sum',
      levels: ['city', 'county'],
      aggregation: { method: 'sum' },
      targets: [{ kind: 'cumulative', value: 3600, from: 2021 }],
    }),
    indicator('SMART_FACTORIES', { targets: [{ kind: 'yearly', value: 30, from: 2021 }] }),
    indicator('PM25', {
      unit: 'ug_m3',
      dimension: 'ECOLOGY',
      direction: 'down',
      levels: ['city', 'county'],
      aggregation: { method: 'mean' },
      targets: [{ kind: 'trend' }],
    }),
    indicator('SUBSISTENCE', {
      unit: 'yuan',
      targets: [{ kind: 'relative', measure: 'growth', reference: { indicator: 'INC_PC' } }],
    }),
    indicator('LIFE_EXPECTANCY', {
      unit: 'years',
      dimension: 'ECOLOGY',
      targets: [
        { kind: 'relative', measure: 'level', op: '>', reference: { orgUnit: '990000' } },
        { kind: 'rank', among: '990000', op: '<=', value: 3 },
      ],
    }),
  ] as PlanInput['indicators'],
};
const PLAN = planSchema.parse(PLAN_INPUT);

/** A reported matrix from { unit index: values by period in order }, on an axis from `from`. */
function matrix(
  type: PeriodType,
  from: number,
  length: number,
  rows: Record<number, readonly number[]>,
): ReportedMatrix {
  const values = new Float64Array(UNITS * length).fill(NaN);
  for (const [u, xs] of Object.entries(rows)) xs.forEach((x, p) => (values[Number(u) * length + p] = x));
  return { axis: { type, start: periodIndex(makePeriod(type, from, 1)), length }, values };
}
const yearly = (rows: Record<number, readonly number[]>) => matrix('year', 2020, 3, rows);
/** Months 2020-01 … 2022-06 (30), the same value each month, NaN at the listed month positions. */
const months = (perMonth: number, gaps: readonly number[] = []) =>
  Array.from({ length: 30 }, (_, p) => (gaps.includes(p) ? NaN : perMonth));

const REPORTED_VALUES = new Map<string, ReportedMatrix>([
  ['POP', yearly({ [E1]: [100, 100, 100], [E2]: [300, 300, 300], [W1]: [200, 200, 200] })],
  ['POP_URBAN', yearly({ [E1]: [80, 80, 80], [E2]: [150, 150, 150], [W1]: [50, 50, 50] })],
  // W1 did not report 2022.
  ['INC_PC', yearly({ [E1]: [50000, 55000, 60000], [E2]: [70000, 74000, 78000], [W1]: [40000, 42000, NaN] })],
  ['INC_URBAN', yearly({ [C]: [66000, 70000, 74000] })],
  ['INC_RURAL', yearly({ [C]: [33000, 36000, 40000] })],
  // E2 missed March 2021 (month position 14).
  ['NEW_JOBS', matrix('month', 2020, 30, { [E1]: months(10), [E2]: months(20, [14]), [W1]: months(30) })],
  ['SMART_FACTORIES', yearly({ [C]: [25, 35, 28] })],
  ['PM25', yearly({ [E1]: [40, 38, 35], [E2]: [44, 40, 37], [W1]: [30, 28, 29] })],
  ['SUBSISTENCE', yearly({ [C]: [800, 880, 950] })],
  ['LIFE_EXPECTANCY', yearly({ [C]: [80.1, 80.4, 80.9] })],
  // Not a raw indicator: ignored with a note.
  ['URBAN_RURAL_RATIO', yearly({ [C]: [9, 9, 9] })],
]);

/** Survey 2021: six households (income, size, weight, unit, 0 urban / 1 rural). */
const HOUSEHOLDS: HouseholdYear[] = [
  {
    year: 2021,
    income: Float64Array.of(80000, 150000, 500000, 100000, 60000, 250000),
    size: Float64Array.of(3, 4, 2, 5, 2, 3),
    weight: Float64Array.of(100, 200, 100, 50, 300, 100),
    unitIndex: Int32Array.of(E1, E1, E2, E2, W1, W1),
    urbanRural: Uint8Array.of(0, 0, 1, 1, 1, 0),
  },
];

const INPUT: EvaluationInput = {
  plan: PLAN,
  orgUnits: ROWS,
  reported: REPORTED_VALUES,
  households: HOUSEHOLDS,
  external: [
    {
      indicator: 'LIFE_EXPECTANCY',
      orgUnit: '990000',
      years: [2020, 2021, 2022],
      values: Float64Array.of(79, 79.5, 81),
    },
    ...(
      [
        ['990200', 81.5],
        ['990300', 80.2],
        ['990400', 82.0],
        ['990500', NaN],
      ] as const
    ).map(([orgUnit, v]) => ({
      indicator: 'LIFE_EXPECTANCY',
      orgUnit,
      parent: '990000',
      years: [2022],
      values: Float64Array.of(v),
    })),
  ],
  groupBy: 'mountain',
};

const EV = evaluate(INPUT);
const Y = 3; // years 2020, 2021, 2022
const at = (ev: Evaluation, code: string, unit: number, year: number) =>
  ev.indicators.get(code)!.values.value[unit * Y + (year - 2020)]!;
const coverage = (ev: Evaluation, code: string, unit: number, year: number) =>
  ev.indicators.get(code)!.values.coverage[unit * Y + (year - 2020)]!;
const cell = (ev: Evaluation, code: string, unit: number) =>
  ev.indicators.get(code)!.cells.find((c) => c.unitIndex === unit)!;

describe('setup', () => {
  it('has the year axis from the base year to the last data year, and asOf the latest year with data', () => {
    expect(Array.from(EV.years)).toEqual([2020, 2021, 2022]);
    expect(EV.asOf).toBe(2022);
    expect(EV.root).toBe(C);
    expect(EV.planId).toBe('mini-2021-2025');
  });

  it('takes by default the latest year with data up to the last complete year, and says so in the fingerprint', () => {
    const capped = evaluate({ ...INPUT, lastCompleteYear: 2021 });
    expect(capped.asOf).toBe(2021);
    expect(Array.from(capped.years)).toEqual([2020, 2021, 2022]); // the data of 2022 are still computed
    expect(capped.fingerprint).not.toBe(EV.fingerprint);
    expect(evaluate({ ...INPUT, lastCompleteYear: 2030 }).asOf).toBe(2022);
    // Asked for a year, the cap does not apply.
    expect(evaluate({ ...INPUT, asOf: 2022, lastCompleteYear: 2021 }).asOf).toBe(2022);
  });

  it('notes reported values it did not use', () => {
    expect(EV.notes).toEqual(['reported values of URBAN_RURAL_RATIO were not used: it is computed (formula)']);
  });

  it('refuses a plan whose root is not among the rows, and formulas that use each other in a cycle', () => {
    expect(() => evaluate({ ...INPUT, orgUnits: ROWS.slice(1) })).toThrow(/root 990100 is not among/);
    const cyclic = planSchema.parse({
      ...PLAN_INPUT,
      indicators: [
        indicator('A', { computation: { kind: 'formula', expression: 'B + 1' } }),
        indicator('B', { computation: { kind: 'formula', expression: 'A * 2' } }),
      ],
    });
    expect(() => evaluate({ ...INPUT, plan: cyclic, reported: new Map() })).toThrow(/cycle: A → B → A/);
  });
});

describe('step 1: roll-up', () => {
  it('weights INC_PC by the rolled-up POP (weightedMean of INC_PC by POP)', () => {
    // POP: E = 100 + 300 = 400, W = 200, C = 600.
    expect([at(EV, 'POP', E, 2020), at(EV, 'POP', W, 2020), at(EV, 'POP', C, 2020)]).toEqual([400, 200, 600]);
    // 2020: E = (100·50000 + 300·70000) / 400 = 26,000,000 / 400 = 65000; W = 40000;
    // C = (400·65000 + 200·40000) / 600 = 34,000,000 / 600.
    expectRel(at(EV, 'INC_PC', E, 2020), 65000);
    expectRel(at(EV, 'INC_PC', W, 2020), 40000);
    expectRel(at(EV, 'INC_PC', C, 2020), 34e6 / 600);
    // 2021: E = (5.5M + 22.2M) / 400 = 69250; C = (27.7M + 8.4M) / 600 = 36.1M / 600.
    expectRel(at(EV, 'INC_PC', E, 2021), 69250);
    expectRel(at(EV, 'INC_PC', C, 2021), 36.1e6 / 600);
  });

  it('keeps origin and coverage: W1 missing in 2022 leaves W empty and C covering 2 of 3 leaves', () => {
    const v = EV.indicators.get('INC_PC')!.values;
    expect(v.origin[E1 * Y + 2]).toBe(REPORTED);
    expect(v.origin[E * Y + 2]).toBe(COMPUTED);
    expect(v.origin[W * Y + 2]).toBe(MISSING);
    expect(Number.isNaN(at(EV, 'INC_PC', W, 2022))).toBe(true);
    // E2022 = (6M + 23.4M) / 400 = 73500; C2022 = E's alone (W has nothing), covering E1 and E2 of 3.
    expectRel(at(EV, 'INC_PC', C, 2022), 73500);
    expectRel(coverage(EV, 'INC_PC', C, 2022), 2 / 3, 1e-7);
    expect(coverage(EV, 'INC_PC', W, 2022)).toBe(0);
    expect(coverage(EV, 'INC_PC', E1, 2022)).toBe(1);
  });

  it('sums months to years; a year with a month missing has no value but keeps its partial sum', () => {
    const v = EV.indicators.get('NEW_JOBS')!.values;
    expect(v.expected).toBe(12);
    // 2020: 12·10 + 12·20 + 12·30 = 720 at C.
    expect(at(EV, 'NEW_JOBS', C, 2020)).toBe(720);
    // E2 2021: 11 months of 20 → no yearly value, partial sum 220, coverage 11/12.
    expect(Number.isNaN(at(EV, 'NEW_JOBS', E2, 2021))).toBe(true);
    expect(v.partialSum![E2 * Y + 1]).toBe(220);
    expect(v.present![E2 * Y + 1]).toBe(11);
    expectRel(coverage(EV, 'NEW_JOBS', E2, 2021), 11 / 12, 1e-7);
    // E's March 2021 is E1's 10 alone (coverage 1/2 of E's leaves), so E has 12 months: 120 + 220 = 340,
    // coverage (11·1 + 0.5) / 12; C = 340 + 360 = 700, March covering (0.5·2 + 1)/3 = 2/3 of C's leaves.
    expect(at(EV, 'NEW_JOBS', E, 2021)).toBe(340);
    expectRel(coverage(EV, 'NEW_JOBS', E, 2021), 11.5 / 12, 1e-7);
    expect(at(EV, 'NEW_JOBS', C, 2021)).toBe(700);
    expectRel(coverage(EV, 'NEW_JOBS', C, 2021), (11 + 2 / 3) / 12, 1e-7);
    // 2022 has January–June only: no value; partial 6 · 60 = 360, coverage 6/12.
    expect(Number.isNaN(at(EV, 'NEW_JOBS', C, 2022))).toBe(true);
    expect(v.partialSum![C * Y + 2]).toBe(360);
    expectRel(coverage(EV, 'NEW_JOBS', C, 2022), 0.5, 1e-7);
    expect(Number.isNaN(v.partialSum![C * Y + 1]!)).toBe(true);
  });

  it('averages children for mean: PM25 at C is the mean of E and W, not of the towns', () => {
    // 2020: E = (40 + 44)/2 = 42, W = 30, C = (42 + 30)/2 = 36 (the towns' mean would be 38).
    expect([at(EV, 'PM25', E, 2020), at(EV, 'PM25', C, 2020)]).toEqual([42, 36]);
  });
});

describe('step 2: formulas', () => {
  it('is a ratio of rolled-up sums, never a mean of ratios', () => {
    // URBANIZATION = POP_URBAN / POP: E = (80 + 150)/400 = 0.575, C = 280/600; the mean of the towns'
    // ratios (0.8 + 0.5 + 0.25)/3 = 0.5167 would be wrong.
    expectRel(at(EV, 'URBANIZATION', E, 2020), 0.575);
    expectRel(at(EV, 'URBANIZATION', C, 2020), 280 / 600);
    expect(EV.indicators.get('URBANIZATION')!.values.origin[C * Y]).toBe(COMPUTED);
  });

  it('evaluates at every unit and year; coverage is the least of the inputs', () => {
    // 74000 / 40000 = 1.85; 66000 / 33000 = 2.
    expectRel(at(EV, 'URBAN_RURAL_RATIO', C, 2022), 1.85);
    expectRel(at(EV, 'URBAN_RURAL_RATIO', C, 2020), 2);
    expect(Number.isNaN(at(EV, 'URBAN_RURAL_RATIO', E, 2022))).toBe(true);
    expect(coverage(EV, 'URBAN_RURAL_RATIO', E, 2022)).toBe(0);
    expect(coverage(EV, 'URBAN_RURAL_RATIO', C, 2022)).toBe(1);
  });
});

describe('step 3: disparities', () => {
  it('gives the max/min ratio across counties with the units that are max and min', () => {
    // 2020: 65000 / 40000 = 1.625; 2021: 69250 / 42000.
    expectRel(at(EV, 'INC_MAXMIN', C, 2020), 1.625);
    expectRel(at(EV, 'INC_MAXMIN', C, 2021), 69250 / 42000);
    const d = EV.indicators.get('INC_MAXMIN')!.disparity!;
    expect([d.maxUnit[C * Y + 1], d.minUnit[C * Y + 1]]).toEqual([E, W]);
    // Not applicable at a county (no counties below it).
    expect(Number.isNaN(at(EV, 'INC_MAXMIN', E, 2021))).toBe(true);
    expect(d.eligible[E * Y + 1]).toBe(0);
  });

  it('has no value with one county left (2022), and shows the coverage', () => {
    expect(Number.isNaN(at(EV, 'INC_MAXMIN', C, 2022))).toBe(true);
    expect(coverage(EV, 'INC_MAXMIN', C, 2022)).toBe(0.5);
    const d = EV.indicators.get('INC_MAXMIN')!.disparity!;
    expect([d.counted[C * Y + 2], d.eligible[C * Y + 2], d.maxUnit[C * Y + 2]]).toEqual([1, 2, E]);
  });

  it('splits a weighted Theil T by the unit’s children: who drives the gap', () => {
    // Towns in 2020: y = 50000, 70000, 40000 with POP 100, 300, 200; μ = 34M/600.
    // T = Σ (w/600)(y/μ) ln(y/μ). Groups E = {E1, E2} (μ_E 65000, income share 26/34), W = {W1} (8/34):
    // between_g = s_g ln(μ_g/μ); within_E = s_E · T_E with T_E over E1, E2 (weights 1/4, 3/4).
    const mu = 34e6 / 600;
    const term = (w: number, y: number, m: number, W_: number) => (w / W_) * (y / m) * Math.log(y / m);
    const T = term(100, 50000, mu, 600) + term(300, 70000, mu, 600) + term(200, 40000, mu, 600);
    const TE = term(100, 50000, 65000, 400) + term(300, 70000, 65000, 400);
    expectRel(at(EV, 'INC_THEIL', C, 2020), T);
    const x = explainDisparity(EV, 'INC_THEIL', '990100', 2020)!;
    expectRel(x.value, T);
    const [gE, gW] = x.groups;
    expect([gE!.group, gW!.group]).toEqual(['990101', '990102']);
    expectRel(gE!.theilT.between, (26 / 34) * Math.log(65000 / mu));
    expectRel(gE!.theilT.within, (26 / 34) * TE);
    expectRel(gW!.theilT.between, (8 / 34) * Math.log(40000 / mu));
    expectRel(gW!.theilT.within, 0);
    expectRel(gE!.theilT.total + gW!.theilT.total, T);
    expect(x.max).toEqual({ unit: '990101002', value: 70000 });
    expect(x.min).toEqual({ unit: '990102001', value: 40000 });
    expect(x.members.map((m) => [m.unit, m.weight, m.group])).toEqual([
      ['990101002', 300, '990101'],
      ['990101001', 100, '990101'],
      ['990102001', 200, '990102'],
    ]);
    // At county E the descendants are its own towns, one group each.
    expectRel(at(EV, 'INC_THEIL', E, 2020), TE);
  });
});

describe('step 4: microdata', () => {
  it('gives the share of households in [100000, 500000) per unit (household weights)', () => {
    // Included: 150000 (w 200), 100000 (w 50, the lower end is in), 250000 (w 100); 500000 is out.
    // C: 350 / 850; E: (200 + 50) / 450; W: 100 / 400; E1: 200 / 300.
    expectRel(at(EV, 'MIDDLE_SHARE', C, 2021), 350 / 850);
    expectRel(at(EV, 'MIDDLE_SHARE', E, 2021), 250 / 450);
    expectRel(at(EV, 'MIDDLE_SHARE', W, 2021), 0.25);
    expectRel(at(EV, 'MIDDLE_SHARE', E1, 2021), 200 / 300);
    expect(EV.indicators.get('MIDDLE_SHARE')!.households![C * Y + 1]).toBe(6);
    expect(coverage(EV, 'MIDDLE_SHARE', C, 2021)).toBe(1);
    // No survey in 2020 and 2022.
    expect(Number.isNaN(at(EV, 'MIDDLE_SHARE', C, 2022))).toBe(true);
    expect(coverage(EV, 'MIDDLE_SHARE', C, 2022)).toBe(0);
  });

  it('weights per-capita statistics by persons (weight × size) and applies the urban/rural filter', () => {
    // Rural: 500000/2 = 250000 (persons 100·2), 100000/5 = 20000 (50·5), 60000/2 = 30000 (300·2):
    // (250000·200 + 20000·250 + 30000·600) / 1050 = 73,000,000 / 1050. (Household weights would give
    // 35,000,000 / 450 = 77777.8.)
    expectRel(at(EV, 'RURAL_INC_PC_MEAN', C, 2021), 73e6 / 1050);
    // W has one rural household: 30000.
    expectRel(at(EV, 'RURAL_INC_PC_MEAN', W, 2021), 30000);
    expect(EV.indicators.get('RURAL_INC_PC_MEAN')!.households![C * Y + 1]).toBe(3);
  });
});

describe('step 5: targets', () => {
  // [indicator, unit, target position, status], worked by hand from targets.ts's semantics:
  const KNOWN: Record<TargetKind, [string, number, number, string]> = {
    // Base 34M/600 = 56666.67 (2020) → 75000 by 2025; 2022: 73500, elapsed 2/5, progress
    // 16833.3/18333.3 = 0.918, ratio 2.3 ≥ 1 → on track (not yet achieved).
    level: ['INC_PC', C, 0, 'on_track'],
    // CAGR (73500 / 56666.67)^(1/2) − 1 = 0.1389 ≥ 0.082 → ratio 1.69 → on track.
    growth: ['INC_PC', C, 1, 'on_track'],
    // ≥ 30 each year from 2021: 35, then 28 → off track.
    yearly: ['SMART_FACTORIES', C, 0, 'off_track'],
    // Sum from 2021: 700 (2022 is incomplete); expected 3600 · 1/5 = 720; ratio 0.972 → at risk.
    cumulative: ['NEW_JOBS', C, 0, 'at_risk'],
    // PM25 at C 36, 33.5, 32.5: falls (direction down), last change too → achieved.
    trend: ['PM25', C, 0, 'achieved'],
    // Growth (950/800)^(1/2) − 1 = 0.0897 < INC_PC's 0.1389 → off track.
    relative: ['SUBSISTENCE', C, 0, 'off_track'],
    // 2022 peers 81.5, 80.2, 82.0 (990500 has none): two are better than 80.9 → rank 3 ≤ 3 → achieved.
    rank: ['LIFE_EXPECTANCY', C, 1, 'achieved'],
  };
  it.each(TARGET_KINDS)('evaluates a %s target', (kind) => {
    const [code, unit, position, status] = KNOWN[kind];
    const t = cell(EV, code, unit).targets[position]!;
    expect(t.kind).toBe(kind);
    expect(t.status).toBe(status);
  });

  it('gives each cell the status of its first target and keeps every target', () => {
    const c = cell(EV, 'LIFE_EXPECTANCY', C);
    // 80.9 > 81.0 (990000 in 2022) fails → off track, though the rank target is achieved.
    expect(c.status).toBe('off_track');
    expect(c.targets.map((t) => t.status)).toEqual(['off_track', 'achieved']);
    expect(cell(EV, 'POP', C).status).toBe('no_target');
    expect(cell(EV, 'INC_PC', C).targets[0]!.expectedToDate).toBeCloseTo(56666.667 + 0.4 * 18333.333, 2);
  });

  it('evaluates counties on their own series: W stopped reporting in 2021', () => {
    // W: 40000 → 42000 (2021): elapsed 1/5, progress 2000/35000, ratio 0.286 → off track.
    const w = cell(EV, 'INC_PC', W);
    expect([w.year, w.value, w.status]).toEqual([2021, 42000, 'off_track']);
    // W's PM25 30, 28, 29: the fitted trend falls, the last change rose → at risk.
    expect(cell(EV, 'PM25', W).status).toBe('at_risk');
    // Only the levels the indicator lists: SMART_FACTORIES has no county cells.
    expect(EV.indicators.get('SMART_FACTORIES')!.cells.map((c) => c.unit)).toEqual(['990100']);
  });

  it("uses the indicator's baseline at the root only", () => {
    // MIDDLE_SHARE: only 2021 has data. C: baseline 0.4 (2020) → progress (350/850 − 0.4)/(0.735 − 0.4),
    // elapsed 1/5 → ratio 0.176 → off track. E has no baseline: its only point is its base → on track.
    const c = cell(EV, 'MIDDLE_SHARE', C).targets[0]!;
    expect(c.status).toBe('off_track');
    expectRel(c.progress, (350 / 850 - 0.4) / 0.335);
    expect(c.explanation.numbers.baseFromBaseline).toBe(1);
  });

  it('adds the Open SDG progress measure toward the first target', () => {
    // INC_PC at C: g_o = (73500/56666.67)^(1/2) − 1; g_r = (75000/56666.67)^(1/5) − 1; v = g_o / g_r.
    const p = cell(EV, 'INC_PC', C).progress;
    const base = 34e6 / 600;
    const v = (Math.sqrt(73500 / base) - 1) / (Math.pow(75000 / base, 1 / 5) - 1);
    expectRel(p.progressValue, v);
    expect(p.status).toBe('substantial_progress');
  });

  it('says what to pass when an outside reference or the peers are missing', () => {
    const ev = evaluate({ ...INPUT, external: [] });
    const [relative, rank] = cell(ev, 'LIFE_EXPECTANCY', C).targets;
    expect(relative!.status).toBe('no_data');
    expect(relative!.explanation.note).toMatch(/no series of LIFE_EXPECTANCY for 990000 was given/);
    expect(rank!.status).toBe('no_data');
    expect(rank!.explanation.note).toMatch(/no other unit among 990000's has a value/);
  });
});

describe('step 6: horse race', () => {
  const race = EV.horseRace;
  const U = race.units.length; // C, E, W
  const I = race.indicators.length;
  const score = (code: string, k: number, year: number) =>
    race.scores[((year - 2020) * U + k) * I + race.indicators.indexOf(code)]!;
  const index = (k: number, year: number) => race.index[(year - 2020) * U + k]!;
  const rankOf = (k: number, year: number) => race.rank[(year - 2020) * U + k]!;

  it('races the root’s children, the root alongside, from the base year to asOf', () => {
    expect(race.codes).toEqual(['990100', '990101', '990102']);
    expect(Array.from(race.years)).toEqual([2020, 2021, 2022]);
  });

  it('scores each indicator 0–100 toward its first target', () => {
    // Level: E INC_PC 2021 (69250 − 65000) / (75000 − 65000) = 42.5; W (42000 − 40000)/35000.
    expectRel(score('INC_PC', 1, 2021), 42.5);
    expectRel(score('INC_PC', 2, 2021), (100 * 2000) / 35000);
    // Cumulative from 2021: E 340 / 3600; none before 2021.
    expectRel(score('NEW_JOBS', 1, 2021), (100 * 340) / 3600);
    expect(Number.isNaN(score('NEW_JOBS', 1, 2020))).toBe(true);
    // Trend: share of the years that improved, W 2022: one of two.
    expectRel(score('PM25', 2, 2022), 50);
    // Yearly (C): years met / years in 2021–2025: 1/5 in 2021 and still 1/5 in 2022.
    expectRel(score('SMART_FACTORIES', 0, 2022), 20);
    // Relative: met in 2020 and 2021 (80.1 > 79, 80.4 > 79.5), not in 2022.
    expect([score('LIFE_EXPECTANCY', 0, 2021), score('LIFE_EXPECTANCY', 0, 2022)]).toEqual([100, 0]);
    // No target, or not at the county level: no score.
    expect(Number.isNaN(score('POP', 1, 2021))).toBe(true);
    expect(Number.isNaN(score('SMART_FACTORIES', 1, 2021))).toBe(true);
  });

  it('combines scores into dimension sub-indices and the index, and ranks the counties with ties', () => {
    // 2020: INC_PC scores 0 for both (each at its base), nothing else scores → INCOME 0, ECOLOGY none,
    // index 0 for both with coverage 1/2: a tie, both rank 1.
    expect([index(1, 2020), index(2, 2020)]).toEqual([0, 0]);
    expect(race.indexCoverage[1]).toBe(0.5);
    expect([rankOf(1, 2020), rankOf(2, 2020)]).toEqual([1, 1]);
    // 2021: E INCOME (42.5 + 9.444)/2, ECOLOGY 100 (PM25 fell); W INCOME (5.714 + 10)/2, ECOLOGY 100.
    const e2021 = ((42.5 + 340 / 36) / 2 + 100) / 2;
    const w2021 = ((200000 / 35000 + 10) / 2 + 100) / 2;
    expectRel(index(1, 2021), e2021);
    expectRel(index(2, 2021), w2021);
    expectRel(race.subIndex[(1 * U + 1) * race.dimensions.length + 0]!, (42.5 + 340 / 36) / 2);
    expect([rankOf(1, 2021), rankOf(2, 2021)]).toEqual([1, 2]);
    // 2022: E INCOME 85 (73500: 8500/10000; NEW_JOBS incomplete), ECOLOGY 100 → 92.5; W only ECOLOGY 50.
    expectRel(index(1, 2022), 92.5);
    expectRel(index(2, 2022), 50);
    // The root is alongside, not ranked.
    expect(Number.isNaN(rankOf(0, 2021))).toBe(true);
  });

  it('gives rank changes and the improvement ranking from each unit’s first index', () => {
    // Rank change 2021: E 1 → 1 = 0, W 1 → 2 = −1.
    expect([race.rankChange[1 * U + 1], race.rankChange[1 * U + 2]]).toEqual([0, -1]);
    expect(Number.isNaN(race.rankChange[1]!)).toBe(true);
    // Improvement since 2020 (index 0): 2022 E 92.5, W 50.
    expect(Array.from(race.improvementFrom.subarray(1))).toEqual([2020, 2020]);
    expectRel(race.improvement[2 * U + 1]!, 92.5);
    expect([race.improvementRank[2 * U + 1], race.improvementRank[2 * U + 2]]).toEqual([1, 2]);
    // Ranks within the mountain / other groups: each county is alone in its group.
    expect(race.groups).toEqual(['', '0', '1']);
    expect(race.rankInGroup![2 * U + 2]).toBe(1);
  });

  it('explains an index: sub-indices, weights and contributions that sum to the index', () => {
    const x = explainIndex(race, '990101', 2021)!;
    expectRel(x.index!, index(1, 2021));
    const sum = x.dimensions.reduce((s, d) => s + (d.contribution ?? 0), 0);
    expectRel(sum, x.index!);
    expect(x.dimensions[0]!.indicators.map((i) => i.indicator)).toEqual(['INC_PC', 'NEW_JOBS']);
  });
});

describe('step 7: headline disparities', () => {
  it('finds the headline formula, disparity and microdata indicators of the root with what drives them', () => {
    expect(EV.headline.map((h) => [h.indicator, h.computation, h.year])).toEqual([
      ['URBAN_RURAL_RATIO', 'formula', 2022],
      ['INC_MAXMIN', 'disparity', 2021],
      ['MIDDLE_SHARE', 'microdata', 2021],
    ]);
    const [ratio, maxmin, middle] = EV.headline;
    expect(ratio!.status).toBe('achieved');
    expect(ratio!.attribution).toEqual({
      kind: 'formula',
      expression: 'INC_URBAN / INC_RURAL',
      inputs: [
        { indicator: 'INC_URBAN', value: 74000, coverage: 1 },
        { indicator: 'INC_RURAL', value: 40000, coverage: 1 },
      ],
    });
    expect(maxmin!.attribution).toMatchObject({
      kind: 'disparity',
      max: { unit: '990101', value: 69250 },
      min: { unit: '990102', value: 42000 },
    });
    expect(middle!.attribution).toMatchObject({
      kind: 'microdata',
      households: 6,
      bracket: { from: 100000, to: 500000 },
    });
    expect(middle!.series.years).toEqual([2020, 2021, 2022]);
  });
});

describe('missing data', () => {
  const empty = evaluate({ plan: PLAN, orgUnits: ROWS, reported: new Map() });

  it('gives no_data statuses, zero coverage and a note when nothing is reported', () => {
    expect(Array.from(empty.years)).toEqual([2020]);
    for (const r of empty.indicators.values())
      for (const c of r.cells)
        expect([c.indicator, c.unit, c.status === 'no_data' || c.status === 'no_target' ? 'ok' : c.status]).toEqual([
          c.indicator,
          c.unit,
          'ok',
        ]);
    expect(cell(empty, 'INC_PC', C).coverage).toBe(0);
    expect(cell(empty, 'INC_PC', C).origin).toBe('missing');
    expect(empty.notes).toEqual(['no household microdata was given: MIDDLE_SHARE, RURAL_INC_PC_MEAN have no data']);
    expect(Number.isNaN(empty.horseRace.index[1]!)).toBe(true);
    expect(empty.headline.every((h) => h.attribution === null && Number.isNaN(h.value))).toBe(true);
  });

  it('shows partial coverage where some units did not report', () => {
    expect(cell(EV, 'INC_PC', C).coverage).toBeLessThan(1);
    expect(ORIGINS[EV.indicators.get('INC_PC')!.values.origin[C * Y + 2]!]).toBe('computed');
  });
});

describe('fingerprint', () => {
  it('is the same for the same input and for a copy of it', () => {
    const copy: EvaluationInput = {
      ...INPUT,
      plan: planSchema.parse(structuredClone(PLAN_INPUT)),
      reported: new Map([...REPORTED_VALUES].map(([k, m]) => [k, { axis: { ...m.axis }, values: m.values.slice() }])),
    };
    const again = evaluate(copy);
    expect(again.fingerprint).toBe(EV.fingerprint);
    expect(again).toEqual(EV);
    expect(EV.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it('changes with any one value, the asOf year or the plan', () => {
    const m = REPORTED_VALUES.get('PM25')!;
    const values = m.values.slice();
    values[E1 * 3] = 40.000001;
    const changed = evaluate({ ...INPUT, reported: new Map([...REPORTED_VALUES, ['PM25', { ...m, values }]]) });
    expect(changed.fingerprint).not.toBe(EV.fingerprint);
    expect(changed.fingerprintParts.reported.PM25).not.toBe(EV.fingerprintParts.reported.PM25);
    expect(changed.fingerprintParts.reported.INC_PC).toBe(EV.fingerprintParts.reported.INC_PC);
    expect(evaluate({ ...INPUT, asOf: 2021 }).fingerprint).not.toBe(EV.fingerprint);
    const plan = planSchema.parse({ ...PLAN_INPUT, targetYear: 2026 });
    expect(evaluate({ ...INPUT, plan }).fingerprint).not.toBe(EV.fingerprint);
  });
});

describe('JSON view', () => {
  it('has plain numbers and null, never NaN, and survives a round trip', () => {
    const json = evaluationJson(EV, { values: true });
    const text = JSON.stringify(json);
    expect(JSON.parse(text)).toEqual(json);
    const view = json as { indicators: Record<string, any>; horseRace: { index: (number | null)[] } };
    // INC_PC at W in 2022 is missing: null in the matrix (units × years, W = 2).
    expect(view.indicators.INC_PC.values.value.slice(W * 3, W * 3 + 3)).toEqual([40000, 42000, null]);
    expect(view.indicators.INC_PC.cells[0]).toMatchObject({ unit: '990100', status: 'on_track' });
    expect(view.horseRace.index[0]).toBeTypeOf('number');
    expect(text).not.toMatch(/NaN|Infinity/);
  });
});
