/**
 * Known answers for the Open SDG progress measure, worked by hand from the definition in
 * sdg-progress.ts (Statistics Canada's method as in sdg-build 2.4). Growth rates are chosen so that
 * (y_t / y_0)^(1/(t − t0)) is exact: 1.016² = 1.032256, 1.1² = 1.21, 0.001^(1/3) = 0.1.
 */
import { describe, expect, it } from 'vitest';
import {
  limitCoefficient,
  progressMeasure,
  PROGRESS_STATUSES,
  type ProgressMeasureOptions,
  type ProgressStatus,
} from './sdg-progress.js';

function expectRel(actual: number, expected: number, tol = 1e-9) {
  const scale = Math.max(1, Math.abs(expected));
  expect(Math.abs(actual - expected) / scale).toBeLessThanOrEqual(tol);
}

const series = (points: [number, number][]) => ({
  years: points.map((p) => p[0]),
  values: Float64Array.from(points.map((p) => p[1])),
});
const up: ProgressMeasureOptions = { direction: 'up' };

// C for b/L = 0.5 (b ≤ L) and for b/L = 1.5 (L < b < 2L, (2L − b)/L = 0.5): 1 − 0.5^4.44.
// 0.5^4.44 = 2^−4.44 = 1/(16 · 2^0.44) = 1/(16 · 1.35660…) = 0.0460709130…, so C = 0.9539290869…
const C_HALF = 0.9539290869596531;

describe('progress measure without a target (thresholds 0.015 / 0.005 / 0)', () => {
  it.each<[string, [number, number][], ProgressMeasureOptions, number, number, ProgressStatus]>([
    // g_o = 1.032256^(1/2) − 1 = 0.016 ≥ 0.015; score 500·0.016 − 5 = 3
    [
      'substantial',
      [
        [2020, 100],
        [2022, 103.2256],
      ],
      up,
      0.016,
      3,
      'substantial_progress',
    ],
    // g_o = 0.1; score min(500·0.1 − 5, 5) = 5
    [
      'substantial, capped',
      [
        [2020, 100],
        [2021, 110],
      ],
      up,
      0.1,
      5,
      'substantial_progress',
    ],
    // g_o = 0.01 in [0.005, 0.015); score 250·0.01 − 1.25 = 1.25
    [
      'moderate',
      [
        [2020, 100],
        [2021, 101],
      ],
      up,
      0.01,
      1.25,
      'moderate_progress',
    ],
    // g_o = 0.002 in [0, 0.005); score 500·0.002 − 2.5 = −1.5
    [
      'limited',
      [
        [2020, 100],
        [2021, 100.2],
      ],
      up,
      0.002,
      -1.5,
      'limited_progress',
    ],
    // g_o = −0.01 < 0; score 125·(−0.01) − 2.5 = −3.75
    [
      'deterioration',
      [
        [2020, 100],
        [2021, 99],
      ],
      up,
      -0.01,
      -3.75,
      'deterioration',
    ],
    // g_o = −0.1; 125·(−0.1) − 2.5 = −15 → −5
    [
      'deterioration, capped',
      [
        [2020, 100],
        [2021, 90],
      ],
      up,
      -0.1,
      -5,
      'deterioration',
    ],
    // lower is better: v = −1 · (−0.01) = 0.01 → moderate, 1.25
    [
      'direction down',
      [
        [2020, 100],
        [2021, 99],
      ],
      { direction: 'down' },
      0.01,
      1.25,
      'moderate_progress',
    ],
    // negative base: sign −1; g_o = (−99 / −100) − 1 = −0.01; v = −1 · 1 · (−0.01) = 0.01
    [
      'negative base',
      [
        [2020, -100],
        [2021, -99],
      ],
      up,
      0.01,
      1.25,
      'moderate_progress',
    ],
    // base 0 → 0.001: g_o = 0.00101 / 0.001 − 1 = 0.01
    [
      'zero base',
      [
        [2020, 0],
        [2021, 0.00101],
      ],
      up,
      0.01,
      1.25,
      'moderate_progress',
    ],
    // base year 2015 has no data: t0 = 2016 (value 100), t = 2018: 1.032256^(1/2) − 1 = 0.016
    [
      'absent base year',
      [
        [2014, 1],
        [2016, 100],
        [2018, 103.2256],
      ],
      { direction: 'up', baseYear: 2015 },
      0.016,
      3,
      'substantial_progress',
    ],
  ])('%s', (_name, points, options, v, score, status) => {
    const r = progressMeasure(series(points), options);
    expectRel(r.progressValue, v);
    expectRel(r.score, score);
    expect(r.status).toBe(status);
    expect(r.targetAchieved).toBe(false);
    expect(r.requiredGrowth).toBeNaN();
  });

  it('reports the years and values it used (base value as observed)', () => {
    const r = progressMeasure(
      series([
        [2020, 0],
        [2021, 0.00101],
      ]),
      up,
    );
    expect(r).toMatchObject({ baseYear: 2020, baseValue: 0, currentYear: 2021, currentValue: 0.00101, sign: 1 });
  });

  it('skips missing values: the current year is the latest with data', () => {
    const r = progressMeasure(
      series([
        [2020, 100],
        [2021, 101],
        [2022, NaN],
      ]),
      up,
    );
    expect(r.currentYear).toBe(2021);
    expectRel(r.observedGrowth, 0.01);
  });

  it.each<[string, [number, number][], ProgressMeasureOptions]>([
    [
      'opposite signs',
      [
        [2020, -5],
        [2021, 5],
      ],
      up,
    ],
    [
      'zero base and a negative current value (0.001 > 0 > −1)',
      [
        [2020, 0],
        [2021, -1],
      ],
      up,
    ],
    ['a single year', [[2020, 5]], up],
    ['no data', [[2020, NaN]], up],
    [
      'a base year after the data',
      [
        [2020, 5],
        [2021, 6],
      ],
      { direction: 'up', baseYear: 2022 },
    ],
  ])('is not available with %s', (_name, points, options) => {
    const r = progressMeasure(series(points), options);
    expect(r.status).toBe('not_available');
    expect(r.progressValue).toBeNaN();
    expect(r.score).toBeNaN();
  });

  it('is available when the two years are exactly one apart', () => {
    expect(
      progressMeasure(
        series([
          [2024, 100],
          [2025, 101],
        ]),
        up,
      ).status,
    ).toBe('moderate_progress');
  });
});

describe('the limit coefficient C', () => {
  it.each([
    ['b ≥ 2L', 3, 1, 1],
    ['b = 2L', 2, 1, 1],
    ['b = L = 0', 0, 0, 1],
    ['b ≤ L, b = 0', 0, 1, 1],
    ['b ≤ L, b = L/2', 0.5, 1, C_HALF],
    ['b ≤ L, b = L', 1, 1, 0],
    ['L < b < 2L, b = 1.5L', 1.5, 1, C_HALF],
    ['negative base, |b| = L/2', -0.5, 1, C_HALF],
  ])('%s', (_name, b, limit, c) => {
    expectRel(limitCoefficient(b, limit), c);
  });

  it('scales the thresholds and the score: b = 0.5, L = 1, v = 0.01 → moderate, 2.5/C − 1.25', () => {
    // thresholds 0.015C = 0.014309 and 0.005C = 0.004770; v = 0.01 lies between them.
    const r = progressMeasure(
      series([
        [2020, 0.5],
        [2021, 0.505],
      ]),
      { direction: 'up', limit: 1 },
    );
    expectRel(r.coefficient, C_HALF);
    expectRel(r.thresholds.high, 0.015 * C_HALF);
    expect(r.status).toBe('moderate_progress');
    expectRel(r.score, 2.5 / C_HALF - 1.25); // 1.3707398790…
  });

  it('limited progress near the limit: v = 0.004 → 500·0.004/C − 2.5', () => {
    const r = progressMeasure(
      series([
        [2020, 0.5],
        [2021, 0.502],
      ]),
      { direction: 'up', limit: 1 },
    );
    expect(r.status).toBe('limited_progress');
    expectRel(r.score, 2 / C_HALF - 2.5);
  });

  it('substantial progress near the limit: v = 0.016 → min(500·0.016/C − 5, 5)', () => {
    const r = progressMeasure(
      series([
        [2020, 0.5],
        [2022, 0.516128],
      ]),
      { direction: 'up', limit: 1 },
    );
    expect(r.status).toBe('substantial_progress');
    expectRel(r.score, 8 / C_HALF - 5); // 3.3864…
  });

  it('C = 0 (base at the limit): holding the value scores 5, losing ground scores as usual', () => {
    const hold = progressMeasure(
      series([
        [2020, 1],
        [2021, 1],
      ]),
      { direction: 'up', limit: 1 },
    );
    expect(hold.coefficient).toBe(0);
    expect(hold.status).toBe('substantial_progress');
    expect(hold.score).toBe(5);
    const fall = progressMeasure(
      series([
        [2020, 1],
        [2021, 0.99],
      ]),
      { direction: 'up', limit: 1 },
    );
    expect(fall.status).toBe('deterioration');
    expectRel(fall.score, -3.75); // 125·(−0.01) − 2.5
  });

  it('is ignored with a target', () => {
    const r = progressMeasure(
      series([
        [2020, 0.5],
        [2021, 0.55],
      ]),
      {
        direction: 'up',
        limit: 1,
        target: { value: 0.605, year: 2022 },
      },
    );
    expect(r.coefficient).toBe(1);
    expect(r.thresholds).toEqual({ high: 0.95, med: 0.6, low: 0 });
  });
});

describe('progress measure with a target (thresholds 0.95 / 0.60 / 0)', () => {
  // base 100 in 2020, target 121 in 2022: g_r = 1.21^(1/2) − 1 = 0.1.
  const target = { value: 121, year: 2022 };
  it.each<[string, number, number, number, ProgressStatus]>([
    // g_o = 0.10, v = 1.0; score 7.1429 − 4.2857 = 2.8572
    ['substantial', 110, 1, 2.8572, 'substantial_progress'],
    // g_o = 0.07, v = 0.7; 7.1429·0.7 − 4.2857 = 0.71433
    ['moderate', 107, 0.7, 0.71433, 'moderate_progress'],
    // g_o = 0.03, v = 0.3; 4.1667·0.3 − 2.5 = −1.24999
    ['limited', 103, 0.3, -1.24999, 'limited_progress'],
    // g_o = −0.05, v = −0.5; 4.1667·(−0.5) − 2.5 = −4.58335
    ['deterioration', 95, -0.5, -4.58335, 'deterioration'],
    // g_o = −0.5, v = −5; 4.1667·(−5) − 2.5 < −5 → −5
    ['deterioration, capped', 50, -5, -5, 'deterioration'],
    // 125 ≥ 121: achieved, score 5; v = 0.25 / 0.1 = 2.5 is still reported
    ['achieved', 125, 2.5, 5, 'target_achieved'],
  ])('%s', (_name, current, v, score, status) => {
    const r = progressMeasure(
      series([
        [2020, 100],
        [2021, current],
      ]),
      { direction: 'up', target },
    );
    expectRel(r.requiredGrowth, 0.1);
    expectRel(r.progressValue, v);
    expectRel(r.score, score);
    expect(r.status).toBe(status);
  });

  it('direction down: 100 → 81 by 2022 (g_r = −0.1), 95 in 2021: v = −(−0.05)/0.1 = 0.5 → limited', () => {
    const r = progressMeasure(
      series([
        [2020, 100],
        [2021, 95],
      ]),
      { direction: 'down', target: { value: 81, year: 2022 } },
    );
    expectRel(r.requiredGrowth, -0.1);
    expectRel(r.progressValue, 0.5);
    expect(r.status).toBe('limited_progress');
    expectRel(r.score, -0.41665); // 4.1667·0.5 − 2.5
  });

  it('direction down, at or below the target: achieved', () => {
    const r = progressMeasure(
      series([
        [2020, 100],
        [2021, 80],
      ]),
      { direction: 'down', target: { value: 81, year: 2022 } },
    );
    expect(r.status).toBe('target_achieved');
    expect(r.score).toBe(5);
  });

  it('a target of 0 becomes 0.001: 1 → 0.001 in 3 years is g_r = 0.1 − 1 = −0.9', () => {
    // current 0.5 in 2021: g_o = −0.5; v = −1 · (−0.5) / 0.9 = 5/9; 4.1667 · 5/9 − 2.5 = −0.1851666…
    const r = progressMeasure(
      series([
        [2020, 1],
        [2021, 0.5],
      ]),
      { direction: 'down', target: { value: 0, year: 2023 } },
    );
    expectRel(r.requiredGrowth, -0.9);
    expectRel(r.progressValue, 5 / 9);
    expect(r.status).toBe('limited_progress');
    expectRel(r.score, -0.18516666666666667);
  });

  it('g_r = 0 (target equal to the base value) counts as achieved', () => {
    const r = progressMeasure(
      series([
        [2020, 100],
        [2021, 98],
      ]),
      { direction: 'up', target: { value: 100, year: 2025 } },
    );
    expect(r.requiredGrowth).toBe(0);
    expect(r.status).toBe('target_achieved');
    expect(r.score).toBe(5);
  });

  it('the target is judged even where no progress value can be computed (one year of data)', () => {
    const met = progressMeasure(series([[2021, 130]]), { direction: 'up', target: { value: 121, year: 2022 } });
    expect(met.status).toBe('target_achieved');
    expect(met.progressValue).toBeNaN();
    const unmet = progressMeasure(series([[2021, 110]]), { direction: 'up', target: { value: 121, year: 2022 } });
    expect(unmet.status).toBe('not_available');
    expect(unmet.score).toBeNaN();
  });

  it('no progress value when the target year is not after the base year', () => {
    const r = progressMeasure(
      series([
        [2020, 100],
        [2021, 110],
      ]),
      { direction: 'up', target: { value: 121, year: 2020 } },
    );
    expect(r.requiredGrowth).toBeNaN();
    expect(r.status).toBe('not_available');
  });
});

// One known case per status, so that a new status cannot go untested.
const EXAMPLE_OF: Record<ProgressStatus, [[number, number][], ProgressMeasureOptions]> = {
  target_achieved: [
    [
      [2020, 100],
      [2021, 125],
    ],
    { direction: 'up', target: { value: 121, year: 2022 } },
  ],
  substantial_progress: [
    [
      [2020, 100],
      [2021, 110],
    ],
    up,
  ],
  moderate_progress: [
    [
      [2020, 100],
      [2021, 101],
    ],
    up,
  ],
  limited_progress: [
    [
      [2020, 100],
      [2021, 100.2],
    ],
    up,
  ],
  deterioration: [
    [
      [2020, 100],
      [2021, 99],
    ],
    up,
  ],
  not_available: [
    [
      [2020, -5],
      [2021, 5],
    ],
    up,
  ],
};
it.each(PROGRESS_STATUSES)('status %s', (status) => {
  const [points, options] = EXAMPLE_OF[status];
  expect(progressMeasure(series(points), options).status).toBe(status);
});
