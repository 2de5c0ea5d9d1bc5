/**
 * Known answers for target evaluation, worked by hand in the comments from the semantics in the
 * docstring of targets.ts. Plan: base year 2020, target year 2025, thresholds onTrack 1, offTrack 0.9.
 */
import { describe, expect, it } from 'vitest';
import { TARGET_KINDS, type Target, type TargetKind } from '../domain/plan.js';
import { evaluateTarget, satisfies, TARGET_STATUSES, type TargetContext, type TargetStatus } from './targets.js';

function expectRel(actual: number, expected: number, tol = 1e-9) {
  const scale = Math.max(1, Math.abs(expected));
  expect(Math.abs(actual - expected) / scale).toBeLessThanOrEqual(tol);
}

/** A series from year → value pairs (NaN allowed), as the engine receives it: Int32Array + Float64Array. */
const series = (points: Record<number, number>) => {
  const years = Object.keys(points).map(Number);
  return { years: Int32Array.from(years), values: Float64Array.from(years.map((y) => points[y]!)) };
};
const ctx = (extra: Partial<TargetContext> = {}): TargetContext => ({
  direction: 'up',
  baseYear: 2020,
  targetYear: 2025,
  ...extra,
});

interface Case {
  target: Target;
  points: Record<number, number>;
  context?: Partial<TargetContext>;
  status: TargetStatus;
  targetValue: number;
  expectedToDate: number;
  progress: number;
}

// One known answer per kind.
const KNOWN: Record<TargetKind, Case> = {
  // Base 50000 (2020) → 75000 (2025). 2022: elapsed 2/5 = 0.4; expected 50000 + 0.4 · 25000 = 60000;
  // progress 9500 / 25000 = 0.38; ratio 0.38 / 0.4 = 0.95 ∈ [0.9, 1) → at risk.
  level: {
    target: { kind: 'level', op: '>=', value: 75000 },
    points: { 2020: 50000, 2021: 55000, 2022: 59500 },
    status: 'at_risk',
    targetValue: 75000,
    expectedToDate: 60000,
    progress: 0.38,
  },
  // 10% a year from 100 (2020): target 100 · 1.1⁵ = 161.051, expected in 2022 100 · 1.1² = 121.
  // Observed 1.199025^(1/2) − 1 = 0.095; ratio 0.095 / 0.1 = 0.95 → at risk.
  // progress (119.9025 − 100) / (161.051 − 100) = 19.9025 / 61.051.
  growth: {
    target: { kind: 'growth', op: '>=', rate: 0.1 },
    points: { 2020: 100, 2022: 119.9025 },
    status: 'at_risk',
    targetValue: 161.051,
    expectedToDate: 121,
    progress: 19.9025 / 61.051,
  },
  // > 100 in each of 2021–2025: 120, 101, (2023 missing), 150 all pass → achieved so far; 3 of 5 years met.
  yearly: {
    target: { kind: 'yearly', op: '>', value: 100, from: 2021 },
    points: { 2020: 0, 2021: 120, 2022: 101, 2023: NaN, 2024: 150 },
    status: 'achieved',
    targetValue: 100,
    expectedToDate: 100,
    progress: 0.6,
  },
  // Σ 2021–2022 = 7 + 9 = 16; expected 40 · 2/5 = 16; ratio 1 → on track; progress 16/40.
  cumulative: {
    target: { kind: 'cumulative', op: '>=', value: 40, from: 2021 },
    points: { 2020: 100, 2021: 7, 2022: 9 },
    status: 'on_track',
    targetValue: 40,
    expectedToDate: 16,
    progress: 0.4,
  },
  // 10, 11, 10.5, 12: slope (x = 0..3, ȳ = 10.875) Sxy = 1.3125 − 0.0625 − 0.1875 + 1.6875 = 2.75, Sxx = 5,
  // slope 0.55 > 0 and the last change rose → achieved; 2 of 3 changes improved.
  trend: {
    target: { kind: 'trend', strict: false },
    points: { 2020: 10, 2021: 11, 2022: 10.5, 2023: 12 },
    status: 'achieved',
    targetValue: NaN,
    expectedToDate: NaN,
    progress: 2 / 3,
  },
  // Own 100 → 121 (2020–2022): 10% a year; reference 200 → 224.72: 1.1236^(1/2) − 1 = 6%.
  // 10% ≥ 6% → achieved; the level matching the reference's growth: 100 · 1.06² = 112.36.
  relative: {
    target: { kind: 'relative', measure: 'growth', op: '>=', reference: { indicator: 'INC_PC' } },
    points: { 2020: 100, 2021: 110, 2022: 121 },
    context: { reference: series({ 2020: 200, 2021: 210, 2022: 224.72 }) },
    status: 'achieved',
    targetValue: 112.36,
    expectedToDate: 112.36,
    progress: NaN,
  },
  // Own 50; peers 90, 80, 70, 60 are better, 50 ties (shares the better rank) → rank 5 ≤ 6: achieved.
  // The value for rank 6: the 6th best peer (90, 80, 70, 60, 50, 40) = 40.
  rank: {
    target: { kind: 'rank', among: '330000', op: '<=', value: 6 },
    points: { 2022: 50 },
    context: { peers: { year: 2022, values: Float64Array.from([90, 80, 70, 60, 50, 40, 30, 20, 10, NaN]) } },
    status: 'achieved',
    targetValue: 40,
    expectedToDate: NaN,
    progress: NaN,
  },
};

const expectSame = (actual: number, expected: number) =>
  Number.isNaN(expected) ? expect(actual).toBeNaN() : expectRel(actual, expected);

describe('one known answer per target kind', () => {
  it.each(TARGET_KINDS)('%s', (kind) => {
    const c = KNOWN[kind];
    const r = evaluateTarget(c.target, series(c.points), ctx(c.context));
    expect(r.kind).toBe(kind);
    expect(r.status).toBe(c.status);
    expectSame(r.targetValue, c.targetValue);
    expectSame(r.expectedToDate, c.expectedToDate);
    expectSame(r.progress, c.progress);
    expect(r.targetYear).toBe(2025);
    expect(r.explanation.rule.length).toBeGreaterThan(5);
  });

  it.each(TARGET_KINDS)('%s: no data at all → no_data', (kind) => {
    const c = KNOWN[kind];
    const r = evaluateTarget(c.target, series({ 2020: NaN, 2021: NaN, 2022: NaN }), ctx(c.context));
    expect(r.status).toBe('no_data');
    expect(r.latestValue).toBeNaN();
  });

  it('explains itself: the rule, the inputs and every intermediate number', () => {
    const r = evaluateTarget(KNOWN.level.target, series(KNOWN.level.points), ctx());
    expect(r.explanation.rule).toBe('level ≥ 75000 by 2025');
    expect(r.explanation.inputs).toEqual({ years: [2020, 2021, 2022], values: [50000, 55000, 59500] });
    expect(r.explanation.numbers).toMatchObject({ baseYear: 2020, baseValue: 50000, elapsedShare: 0.4 });
    expectRel(r.explanation.numbers.ratio!, 0.95);
    // A value that is NaN in the engine is null in JSON.
    expect(JSON.parse(JSON.stringify(r)).explanation.numbers.baseFromBaseline).toBe(0);
  });

  it('statuses are the five of the issue', () => {
    expect(TARGET_STATUSES).toEqual(['achieved', 'on_track', 'at_risk', 'off_track', 'no_data']);
  });
});

describe('level', () => {
  const target: Target = { kind: 'level', op: '>=', value: 75000 };

  it('projects and states what is still required', () => {
    const r = evaluateTarget(target, series(KNOWN.level.points), ctx());
    // compound: CAGR 2020–2022 = 1.19^(1/2) − 1; 59500 · 1.19^(3/2) in 2025
    expect(r.projectionMethod).toBe('compound');
    expectRel(r.projection, 59500 * 1.19 * Math.sqrt(1.19));
    // from 59500 (2022) to 75000 (2025): (75000/59500)^(1/3) − 1 and 15500 / 3
    expectRel(r.requiredGrowth, Math.cbrt(75000 / 59500) - 1);
    expectRel(r.requiredIncrease, 15500 / 3);
    expect(r.latestYear).toBe(2022);
    expect(r.latestValue).toBe(59500);
  });

  it('projects by the least-squares trend when asked: 50000, 55000, 59500 → slope 4750, 73833.33 in 2025', () => {
    // x = 0, 1, 2; ȳ = 54833.33; Sxy = (−1)(−4833.33) + (1)(4666.67) = 9500; Sxx = 2; slope 4750.
    // value in 2025 (4 years after the mean year 2021): 54833.33 + 4750 · 4 = 73833.33
    const r = evaluateTarget(target, series(KNOWN.level.points), ctx({ projection: 'linear-trend' }));
    expect(r.projectionMethod).toBe('linear-trend');
    expectRel(r.projection, 164500 / 3 + 4750 * 4);
  });

  it('on track: ratio ≥ 1; off track: ratio < 0.9', () => {
    // 2022: 61000 → progress 11000/25000 = 0.44, ratio 1.1
    expect(evaluateTarget(target, series({ 2020: 50000, 2022: 61000 }), ctx()).status).toBe('on_track');
    // 2022: 58000 → progress 0.32, ratio 0.8
    expect(evaluateTarget(target, series({ 2020: 50000, 2022: 58000 }), ctx()).status).toBe('off_track');
  });

  it('missing base year: starts from the first year with data after it', () => {
    // base 52000 (2021), span 4, 2023: elapsed 2/4; expected 52000 + 0.5 · 23000 = 63500;
    // progress 8000/23000; ratio 0.6957 → off track
    const r = evaluateTarget(target, series({ 2019: 1, 2020: NaN, 2021: 52000, 2023: 60000 }), ctx());
    expect(r.explanation.numbers.baseYear).toBe(2021);
    expectRel(r.expectedToDate, 63500);
    expectRel(r.progress, 8000 / 23000);
    expect(r.status).toBe('off_track');
    expect(r.explanation.inputs.years).toEqual([2021, 2023]);
  });

  it('has no data when the baseline is the only point: the baseline completes a series, it does not stand in for one', () => {
    const r = evaluateTarget(target, series({}), ctx({ baseline: { year: 2020, value: 50000 } }));
    expect(r.status).toBe('no_data');
    const g = evaluateTarget(
      { kind: 'growth', op: '>=', rate: 0.07 },
      series({}),
      ctx({ baseline: { year: 2020, value: 50000 } }),
    );
    expect(g.status).toBe('no_data');
  });

  it('uses the plan baseline where the series lacks the base year', () => {
    const r = evaluateTarget(
      target,
      series({ 2021: 55000, 2022: 59500 }),
      ctx({ baseline: { year: 2020, value: 50000 } }),
    );
    expect(r.status).toBe('at_risk');
    expectRel(r.expectedToDate, 60000);
    expect(r.explanation.numbers.baseFromBaseline).toBe(1);
    expect(r.explanation.inputs.years).toEqual([2020, 2021, 2022]);
  });

  it('a single point at the base: nothing is due yet → on track, no projection', () => {
    const r = evaluateTarget(target, series({ 2020: 50000 }), ctx());
    expect(r.status).toBe('on_track');
    expect(r.expectedToDate).toBe(50000);
    expect(r.progress).toBe(0);
    expect(r.projection).toBeNaN();
    expect(r.projectionMethod).toBeNull();
  });

  it('zero base: linear path still works; the compound projection falls back to the trend', () => {
    // ≥ 0.7: progress 0.3/0.7 = 0.4286, elapsed 0.4, ratio 1.0714 → on track; expected 0.28.
    // trend through (2020, 0), (2022, 0.3): slope 0.15 → 0.75 in 2025.
    const r = evaluateTarget({ kind: 'level', op: '>=', value: 0.7 }, series({ 2020: 0, 2022: 0.3 }), ctx());
    expect(r.status).toBe('on_track');
    expectRel(r.expectedToDate, 0.28);
    expect(r.projectionMethod).toBe('linear-trend');
    expectRel(r.projection, 0.75);
  });

  it('negative values: −10 → −4 toward ≥ 0', () => {
    // progress 6/10 = 0.6, elapsed 0.4, ratio 1.5 → on track; required +4/3 a year; compound not defined
    const r = evaluateTarget({ kind: 'level', op: '>=', value: 0 }, series({ 2020: -10, 2022: -4 }), ctx());
    expect(r.status).toBe('on_track');
    expectRel(r.progress, 0.6);
    expectRel(r.requiredIncrease, 4 / 3);
    expect(r.requiredGrowth).toBeNaN();
  });

  it('target already met at the base: achieved while it holds, off track once lost', () => {
    expect(evaluateTarget(target, series({ 2020: 80000, 2022: 81000 }), ctx()).status).toBe('achieved');
    const lost = evaluateTarget(target, series({ 2020: 80000, 2022: 74000 }), ctx());
    expect(lost.status).toBe('off_track');
    expect(lost.explanation.note).toMatch(/met at the base/);
  });

  it('direction down, ≤ 26%: 30% → 28% is on track', () => {
    // progress (0.28 − 0.30)/(0.26 − 0.30) = 0.5; elapsed 0.4 → ratio 1.25; expected 0.30 − 0.4 · 0.04 = 0.284
    const r = evaluateTarget(
      { kind: 'level', op: '<=', value: 0.26 },
      series({ 2020: 0.3, 2022: 0.28 }),
      ctx({ direction: 'down' }),
    );
    expect(r.status).toBe('on_track');
    expectRel(r.progress, 0.5);
    expectRel(r.expectedToDate, 0.284);
    expect(r.requiredGrowth).toBeLessThan(0);
  });

  it('target year passed: judged on the target year, later data ignored', () => {
    // by 2023: 2023 = 70000 < 75000 → off track even though 2024 reaches 76000
    const r = evaluateTarget(
      { kind: 'level', op: '>=', value: 75000, year: 2023 },
      series({ 2020: 50000, 2023: 70000, 2024: 76000 }),
      ctx(),
    );
    expect(r.latestYear).toBe(2023);
    expect(r.status).toBe('off_track');
    expect(r.targetYear).toBe(2023);
  });

  it('as of an earlier year: uses only the data up to it', () => {
    const r = evaluateTarget(target, series({ 2020: 50000, 2021: 56000, 2022: 1 }), ctx({ asOf: 2021 }));
    // 2021: progress 6000/25000 = 0.24, elapsed 0.2, ratio 1.2
    expect(r.latestYear).toBe(2021);
    expect(r.status).toBe('on_track');
  });

  it('about (~) with a tolerance: toward the nearest edge of the band', () => {
    const about: Target = { kind: 'level', op: '~', value: 3.5, tolerance: 0.5 };
    // base 5, band [3, 4], path end 4; 2022: 4.2 → progress 0.8/1 = 0.8, ratio 2 → on track
    const r = evaluateTarget(about, series({ 2020: 5, 2022: 4.2 }), ctx({ direction: 'down' }));
    expect(r.status).toBe('on_track');
    expectRel(r.progress, 0.8);
    expect(r.explanation.rule).toBe('level ≈ 3.5 ± 0.5 by 2025');
    expect(evaluateTarget(about, series({ 2020: 5, 2022: 3.9 }), ctx()).status).toBe('achieved');
  });

  it('strict > is not met by equality', () => {
    const r = evaluateTarget({ kind: 'level', op: '>', value: 0.5 }, series({ 2020: 0.4, 2025: 0.5 }), ctx());
    expect(r.status).toBe('off_track');
  });
});

describe('growth', () => {
  it('absolute amount: ≥ 10 a year, 100 → 127 in 3 years = 9 a year, ratio 0.9 → at risk', () => {
    const r = evaluateTarget({ kind: 'growth', op: '>=', amount: 10 }, series({ 2020: 100, 2023: 127 }), ctx());
    expect(r.status).toBe('at_risk');
    expectRel(r.targetValue, 150);
    expectRel(r.expectedToDate, 130);
    expectRel(r.explanation.numbers.observedGrowth!, 9);
    expectRel(r.requiredIncrease, 23 / 2);
  });

  it('achieved once the end value of the path is reached', () => {
    // 100 · 1.1⁵ = 161.051 ≤ 162
    expect(
      evaluateTarget({ kind: 'growth', op: '>=', rate: 0.1 }, series({ 2020: 100, 2023: 162 }), ctx()).status,
    ).toBe('achieved');
  });

  it('the target year passed without reaching the path end → off track', () => {
    // 2020–2022 at 10%: 121 needed, 115 observed
    const r = evaluateTarget(
      { kind: 'growth', op: '>=', rate: 0.1, year: 2022 },
      series({ 2020: 100, 2022: 115 }),
      ctx(),
    );
    expect(r.status).toBe('off_track');
    expectRel(r.targetValue, 121);
  });

  it('from a later year, over a horizon beyond the plan (十年倍增: 2020 → 2030)', () => {
    // 7.18% a year: expected 2022 = 100 · 1.0718²; observed 1.1449^(1/2) − 1 = 7% → ratio 0.07/0.0718 = 0.975
    const r = evaluateTarget(
      { kind: 'growth', op: '>=', rate: 0.0718, from: 2020, year: 2030 },
      series({ 2020: 100, 2022: 114.49 }),
      ctx(),
    );
    expect(r.targetYear).toBe(2030);
    expectRel(r.expectedToDate, 100 * 1.0718 ** 2);
    expectRel(r.explanation.numbers.ratio!, 0.07 / 0.0718);
    expect(r.status).toBe('at_risk');
  });

  it('a cap on growth (≤ 5% a year): 2% a year is on track', () => {
    const r = evaluateTarget({ kind: 'growth', op: '<=', rate: 0.05 }, series({ 2020: 100, 2022: 104.04 }), ctx());
    expect(r.status).toBe('on_track');
    expectRel(r.explanation.numbers.observedGrowth!, 0.02);
  });

  it('zero base: compound growth is not defined → no_data with a note', () => {
    const r = evaluateTarget({ kind: 'growth', op: '>=', rate: 0.1 }, series({ 2020: 0, 2022: 5 }), ctx());
    expect(r.status).toBe('no_data');
    expect(r.explanation.note).toMatch(/positive base/);
  });

  it('a single point at the base: on track', () => {
    expect(evaluateTarget({ kind: 'growth', op: '>=', rate: 0.1 }, series({ 2020: 100 }), ctx()).status).toBe(
      'on_track',
    );
  });
});

describe('yearly', () => {
  it('any failing year → off track, with the years named', () => {
    const r = evaluateTarget({ kind: 'yearly', op: '>=', value: 30 }, series({ 2021: 31, 2022: 29, 2023: 35 }), ctx());
    expect(r.status).toBe('off_track');
    expect(r.explanation.note).toBe('not met in 2022');
    expectRel(r.progress, 2 / 5);
  });

  it('from defaults to the base year + 1 and reports missing years', () => {
    const r = evaluateTarget({ kind: 'yearly', op: '>=', value: 30 }, series({ 2020: 1, 2022: 31 }), ctx());
    expect(r.status).toBe('achieved');
    expect(r.missingYears).toEqual([2021]);
    expect(r.explanation.inputs.years).toEqual([2022]);
  });
});

describe('cumulative', () => {
  const forty: Target = { kind: 'cumulative', op: '>=', value: 40 };

  it('projects with the average yearly flow and states the flow still required', () => {
    const r = evaluateTarget(forty, series({ 2021: 7, 2022: 9 }), ctx());
    expectRel(r.projection, 16 + 8 * 3);
    expectRel(r.requiredIncrease, 24 / 3);
  });

  it('achieved as soon as the sum reaches the value', () => {
    expect(evaluateTarget(forty, series({ 2021: 30, 2022: 15 }), ctx()).status).toBe('achieved');
  });

  it('a missing year counts for nothing and is reported', () => {
    // Σ = 7 + 9 = 16 over 2021–2023, expected 40 · 3/5 = 24, ratio 0.667 → off track
    const r = evaluateTarget(forty, series({ 2021: 7, 2022: NaN, 2023: 9 }), ctx());
    expect(r.missingYears).toEqual([2022]);
    expectRel(r.expectedToDate, 24);
    expect(r.status).toBe('off_track');
  });

  it('a cap (≤ 30): on track while the projection keeps under it, at risk above, off track once broken', () => {
    const cap: Target = { kind: 'cumulative', op: '<=', value: 30 };
    expect(evaluateTarget(cap, series({ 2021: 5, 2022: 7 }), ctx()).status).toBe('on_track'); // 12 + 6·3 = 30
    expect(evaluateTarget(cap, series({ 2021: 5, 2022: 9 }), ctx()).status).toBe('at_risk'); // 14 + 7·3 = 35
    expect(evaluateTarget(cap, series({ 2021: 25, 2022: 6 }), ctx()).status).toBe('off_track'); // 31 > 30
    expect(evaluateTarget(cap, series({ 2021: 5, 2025: 6 }), ctx()).status).toBe('achieved');
  });
});

describe('trend', () => {
  it('strict: one year that does not improve → off track', () => {
    const r = evaluateTarget(
      { kind: 'trend', strict: true },
      series({ 2020: 30, 2021: 28, 2022: 29 }),
      ctx({ direction: 'down' }),
    );
    expect(r.status).toBe('off_track');
    expect(r.explanation.note).toBe('did not improve in 2022');
  });

  it('strict, every year improves (down), with a missing year skipped', () => {
    const r = evaluateTarget(
      { kind: 'trend', strict: true },
      series({ 2020: 30, 2021: NaN, 2022: 29, 2023: 27 }),
      ctx({ direction: 'down' }),
    );
    expect(r.status).toBe('achieved');
    expect(r.missingYears).toEqual([2021]);
  });

  it('not strict: good slope but the last change worsened → at risk; bad slope → off track', () => {
    // 10, 12, 14, 13: slope > 0, last change −1
    expect(evaluateTarget({ kind: 'trend' }, series({ 2020: 10, 2021: 12, 2022: 14, 2023: 13 }), ctx()).status).toBe(
      'at_risk',
    );
    expect(evaluateTarget({ kind: 'trend' }, series({ 2020: 10, 2021: 9, 2022: 9 }), ctx()).status).toBe('off_track');
    // flat is not an improvement
    expect(evaluateTarget({ kind: 'trend' }, series({ 2020: 10, 2021: 10 }), ctx()).status).toBe('off_track');
  });

  it('fewer than two points → no_data', () => {
    expect(evaluateTarget({ kind: 'trend' }, series({ 2020: 10, 2021: NaN }), ctx()).status).toBe('no_data');
  });
});

describe('relative', () => {
  it('growth about equal (± 1 point): 10% vs 9.5% achieved, vs 6% off track', () => {
    const about: Target = {
      kind: 'relative',
      measure: 'growth',
      op: '~',
      tolerance: 0.01,
      reference: { indicator: 'X' },
    };
    const own = series({ 2020: 100, 2022: 121 });
    // 1.199025^(1/2) − 1 = 0.095
    expect(evaluateTarget(about, own, ctx({ reference: series({ 2020: 100, 2022: 119.9025 }) })).status).toBe(
      'achieved',
    );
    expect(evaluateTarget(about, own, ctx({ reference: series({ 2020: 200, 2022: 224.72 }) })).status).toBe(
      'off_track',
    );
  });

  it('growth over the years both series have (2021–2022 here)', () => {
    // own 2021 → 2022: 110 → 121 = 10%; reference 100 → 105 = 5%
    const r = evaluateTarget(
      { kind: 'relative', measure: 'growth', op: '>=', reference: { indicator: 'X' } },
      series({ 2020: 100, 2021: 110, 2022: 121 }),
      ctx({ reference: series({ 2021: 100, 2022: 105 }) }),
    );
    expect(r.explanation.numbers).toMatchObject({ startYear: 2021, endYear: 2022 });
    expectRel(r.explanation.numbers.referenceGrowth!, 0.05);
    expect(r.status).toBe('achieved');
  });

  it('level: the latest year both have', () => {
    const above: Target = { kind: 'relative', measure: 'level', op: '>', reference: { orgUnit: '330000' } };
    const r = evaluateTarget(
      above,
      series({ 2022: 13.5, 2023: NaN }),
      ctx({ reference: series({ 2022: 13.2, 2023: 13.4 }) }),
    );
    expect(r.status).toBe('achieved');
    expect(r.latestYear).toBe(2022);
    expect(r.targetValue).toBe(13.2);
    const below = evaluateTarget(above, series({ 2022: 13.1 }), ctx({ reference: series({ 2022: 13.2 }) }));
    expect(below.status).toBe('off_track');
  });

  it('no reference → no_data', () => {
    const r = evaluateTarget(KNOWN.relative.target, series(KNOWN.relative.points), ctx());
    expect(r.status).toBe('no_data');
    expect(r.explanation.note).toBe('no reference series given');
  });
});

describe('rank', () => {
  it('direction down, ties share the better rank; < 2 needs rank 1', () => {
    // lower is better: own 5; peers 3 (better), 5 (tie), 7 → rank 2; 2 < 2 is false → off track;
    // the value for rank 1: the best peer, 3
    const r = evaluateTarget(
      { kind: 'rank', among: '330000', op: '<', value: 2 },
      series({ 2022: 5 }),
      ctx({ direction: 'down', peers: { year: 2022, values: Float64Array.from([3, 5, 7]) } }),
    );
    expect(r.explanation.numbers).toMatchObject({ rank: 2, units: 4 });
    expect(r.status).toBe('off_track');
    expect(r.targetValue).toBe(3);
  });

  it('no value in the peers year → no_data', () => {
    const r = evaluateTarget(KNOWN.rank.target, series({ 2021: 50 }), ctx(KNOWN.rank.context));
    expect(r.status).toBe('no_data');
  });
});

describe('milestones', () => {
  it('met, missed and pending', () => {
    const r = evaluateTarget(
      {
        kind: 'level',
        op: '>=',
        value: 75000,
        milestones: [
          { year: 2021, value: 54000 },
          { year: 2022, value: 60000 },
          { year: 2024, value: 70000 },
        ],
      },
      series(KNOWN.level.points),
      ctx(),
    );
    expect(r.milestones.map((m) => m.status)).toEqual(['met', 'missed', 'pending']);
    expect(r.milestones[1]!.actual).toBe(59500);
    expect(r.milestones[2]!.actual).toBeNaN();
  });

  it('cumulative milestones compare the running sum', () => {
    const r = evaluateTarget(
      { kind: 'cumulative', op: '>=', value: 40, milestones: [{ year: 2022, value: 15 }] },
      series({ 2020: 100, 2021: 7, 2022: 9 }),
      ctx(),
    );
    expect(r.milestones[0]).toEqual({ year: 2022, value: 15, actual: 16, status: 'met' });
  });

  it('trend milestones use the direction', () => {
    const r = evaluateTarget(
      { kind: 'trend', milestones: [{ year: 2021, value: 29 }] },
      series({ 2020: 30, 2021: 28.5 }),
      ctx({ direction: 'down' }),
    );
    expect(r.milestones[0]!.status).toBe('met');
  });
});

describe('satisfies', () => {
  it.each([
    [5, '>=', 5, 0, true],
    [5, '>', 5, 0, false],
    [5, '<=', 5, 0, true],
    [5, '<', 5, 0, false],
    [5.4, '~', 5, 0.5, true],
    [5.6, '~', 5, 0.5, false],
    [NaN, '>=', 5, 0, false],
  ] as const)('%d %s %d (± %d) → %s', (x, op, v, tol, ok) => {
    expect(satisfies(x, op, v, tol)).toBe(ok);
  });
});

it('reports aspirational targets', () => {
  const r = evaluateTarget(
    { kind: 'growth', op: '>=', rate: 0.082, aspirational: true },
    series({ 2020: 1, 2021: 2 }),
    ctx(),
  );
  expect(r.aspirational).toBe(true);
});
