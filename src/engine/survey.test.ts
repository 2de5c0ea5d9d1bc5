import { describe, expect, it } from 'vitest';
import { surveySatisfaction, toPercentScale, weightedEstimate, Z95, type SurveyAnswer } from './survey.js';

describe('toPercentScale', () => {
  it('maps 1–5 linearly onto 0–100 and refuses answers off the scale', () => {
    expect([1, 2, 3, 4, 5].map((a) => toPercentScale(a, { min: 1, max: 5 }))).toEqual([0, 25, 50, 75, 100]);
    expect(toPercentScale(7, { min: 0, max: 10 })).toBeCloseTo(70, 12);
    expect(() => toPercentScale(6, { min: 1, max: 5 })).toThrow(/off the scale/);
    expect(() => toPercentScale(0, { min: 1, max: 5 })).toThrow(/off the scale/);
    expect(() => toPercentScale(1, { min: 5, max: 5 })).toThrow(/maximum must exceed/);
  });
});

describe('weightedEstimate', () => {
  it('with equal weights is the ordinary mean, sample variance and s/√n', () => {
    // y = 50, 75, 100, 75, w = 2 each: Σw = 8, Σw² = 16, n_eff = 64/16 = 4; mean 75.
    // Deviations −25, 0, 25, 0: Σw·d² / Σw = 2·1250/8 = 312.5; × n_eff/(n_eff−1) = 4/3 → 416.67 = 1250/3.
    // SE = √(416.67/4) = √104.1667 = 10.2062; 95% interval 75 ± 1.959964·10.2062 = 54.9962 … 95.0038.
    const e = weightedEstimate([50, 75, 100, 75], [2, 2, 2, 2]);
    expect(e.n).toBe(4);
    expect(e.nEff).toBeCloseTo(4, 12);
    expect(e.mean).toBeCloseTo(75, 12);
    expect(e.variance).toBeCloseTo(1250 / 3, 9);
    expect(e.se).toBeCloseTo(Math.sqrt(1250 / 12), 9);
    expect(e.lower).toBeCloseTo(75 - Z95 * Math.sqrt(1250 / 12), 9);
    expect(e.upper).toBeCloseTo(95.0038, 4);
    expect(e.clipped).toBe(false);
  });

  it('with unequal weights uses the Kish effective sample size, and clips the interval to 0–100', () => {
    // y = 0, 50, 100, w = 1, 1, 2: Σw = 4, Σw² = 6, n_eff = 16/6 = 2.6667; mean = (0 + 50 + 200)/4 = 62.5.
    // Σw(y−ȳ)² = 62.5² + 12.5² + 2·37.5² = 3906.25 + 156.25 + 2812.5 = 6875; /Σw = 1718.75;
    // × n_eff/(n_eff−1) = 2.6667/1.6667 = 1.6 → 2750. SE = √(2750/2.6667) = √1031.25 = 32.1131.
    // 62.5 ± 1.96·32.1131 = −0.44 … 125.44 → clipped to 0 … 100.
    const e = weightedEstimate([0, 50, 100], [1, 1, 2]);
    expect(e.nEff).toBeCloseTo(8 / 3, 12);
    expect(e.mean).toBeCloseTo(62.5, 12);
    expect(e.variance).toBeCloseTo(2750, 9);
    expect(e.se).toBeCloseTo(32.1131, 4);
    expect(e.lower).toBe(0);
    expect(e.upper).toBe(100);
    expect(e.clipped).toBe(true);
  });

  it('gives one respondent a mean but no interval', () => {
    const e = weightedEstimate([80], [3]);
    expect(e).toMatchObject({ n: 1, mean: 80, nEff: 1 });
    expect(e.se).toBeNaN();
    expect(e.lower).toBeNaN();
    expect(e.upper).toBeNaN();
  });

  it('puts all weight on one answer: n_eff 1, no interval, even with two answers', () => {
    // w = 0 leaves the second answer out entirely.
    const e = weightedEstimate([100, 0], [0, 3]);
    expect(e).toMatchObject({ n: 1, mean: 0, sumWeights: 3 });
    expect(e.se).toBeNaN();
  });

  it('leaves missing answers out and gives NaN when nothing is left', () => {
    expect(weightedEstimate([NaN, 50, 100], [5, 1, 1])).toMatchObject({ n: 2, mean: 75, nEff: 2 });
    const none = weightedEstimate([NaN, 40], [1, 0]);
    expect(none.n).toBe(0);
    expect(none.mean).toBeNaN();
    expect(weightedEstimate([], []).n).toBe(0);
  });

  it('gives all-equal answers an interval of width 0', () => {
    const e = weightedEstimate([75, 75, 75], [1, 2, 3]);
    expect(e.mean).toBe(75);
    expect(e.se).toBe(0);
    expect([e.lower, e.upper]).toEqual([75, 75]);
  });

  it('refuses negative or non-numeric weights and mismatched lengths', () => {
    expect(() => weightedEstimate([1], [-1])).toThrow(/weight 1/);
    expect(() => weightedEstimate([1], [NaN])).toThrow(/weight 1/);
    expect(() => weightedEstimate([1, 2], [1])).toThrow(/2 values for 1 weights/);
  });
});

describe('surveySatisfaction', () => {
  const a = (
    respondent: string,
    weight: number,
    unit: string,
    question: string,
    answer: number | null,
  ): SurveyAnswer => ({
    respondent,
    weight,
    unit,
    question,
    answer,
  });

  it('averages each respondent first, then weighs respondents; per question it weighs answers', () => {
    // Unit A, scale 1–5. r1 (w 1): q1 = 5 → 100, q2 = 3 → 50: score 75. r2 (w 3): q1 = 1 → 0, q2 unanswered: score 0.
    // Unit: (75·1 + 0·3)/4 = 18.75; n_eff = 4²/(1 + 9) = 1.6.
    // Σw(y−ȳ)² = 1·56.25² + 3·18.75² = 3164.0625 + 1054.6875 = 4218.75; /4 = 1054.6875; × 1.6/0.6 → 2812.5;
    // SE = √(2812.5/1.6) = √1757.8125 = 41.9263.
    // q1: (100·1 + 0·3)/4 = 25. q2: only r1 → 50, one answer, no interval.
    // Unit B: one respondent who answered nothing: no unit row, no question row.
    const result = surveySatisfaction(
      [
        a('r1', 1, 'A', 'q1', 5),
        a('r1', 1, 'A', 'q2', 3),
        a('r2', 3, 'A', 'q1', 1),
        a('r2', 3, 'A', 'q2', null),
        a('r9', 1, 'B', 'q1', null),
      ],
      { min: 1, max: 5 },
    );
    expect(result.byUnit).toHaveLength(1);
    const unit = result.byUnit[0]!;
    expect(unit).toMatchObject({ unit: 'A', respondents: 2, n: 2 });
    expect(unit.mean).toBeCloseTo(18.75, 12);
    expect(unit.nEff).toBeCloseTo(1.6, 12);
    expect(unit.variance).toBeCloseTo(2812.5, 9);
    expect(unit.se).toBeCloseTo(41.9263, 4);
    expect(result.byQuestion.map((q) => [q.unit, q.question, q.n, q.mean])).toEqual([
      ['A', 'q1', 2, 25],
      ['A', 'q2', 1, 50],
    ]);
    expect(result.byQuestion[1]!.se).toBeNaN();
  });

  it('refuses a respondent with two weights and an answer off the scale', () => {
    expect(() => surveySatisfaction([a('r1', 1, 'A', 'q1', 5), a('r1', 2, 'A', 'q2', 5)], { min: 1, max: 5 })).toThrow(
      /two weights/,
    );
    expect(() => surveySatisfaction([a('r1', 1, 'A', 'q1', 9)], { min: 1, max: 5 })).toThrow(/off the scale/);
  });
});
