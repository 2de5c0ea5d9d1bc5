import { describe, expect, it } from 'vitest';
import { DIRECTIONS, type Direction } from '../domain/plan.js';
import {
  NORMALISATIONS,
  checkMatrix,
  column,
  decisionMatrix,
  minMax,
  minMaxPooled,
  normaliseColumn,
  normaliseMatrix,
  progressToTarget,
  progressToTargetColumn,
  zScore,
} from './normalise.js';

/** |actual − expected| ≤ rel · max(|expected|, tiny); NaN only equals NaN. */
function expectRel(actual: number, expected: number, rel = 1e-9) {
  if (Number.isNaN(expected)) return expect(actual).toBeNaN();
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(Math.abs(expected), 1e-300));
}
function expectAllRel(actual: ArrayLike<number>, expected: readonly number[], rel = 1e-9) {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expectRel(actual[i]!, e, rel));
}
const f64 = (...x: number[]) => Float64Array.from(x);

describe('progressToTarget', () => {
  // Worked by hand: income from 50,000 (base) to 75,000 (target), direction up;
  // PM2.5 from 40 (base) down to 30 (target), direction down.
  it.each([
    ['up', 50_000, 50_000, 75_000, 0],
    ['up', 75_000, 50_000, 75_000, 100],
    ['up', 60_000, 50_000, 75_000, 40], // 10,000 / 25,000
    ['up', 45_000, 50_000, 75_000, 0], // fell back: capped at 0
    ['up', 90_000, 50_000, 75_000, 100], // beyond the target: capped at 100
    ['down', 40, 40, 30, 0],
    ['down', 30, 40, 30, 100],
    ['down', 37, 40, 30, 30], // 3 / 10
    ['down', 44, 40, 30, 0],
    ['down', 25, 40, 30, 100],
  ] as const)('%s: value %d, base %d, target %d → %d', (dir, value, base, target, expected) => {
    expectRel(progressToTarget(value, base, target, dir), expected);
  });

  // The target asks for no improvement (a ceiling already met at the base): all or nothing.
  it.each([
    ['down', 3.0, 3.0, 3.5, 100], // unemployment 3.0% under a 3.5% ceiling
    ['down', 3.5, 3.0, 3.5, 100], // at the ceiling
    ['down', 3.6, 3.0, 3.5, 0], // over it
    ['up', 0.98, 0.99, 0.95, 100], // coverage floor 95% met
    ['up', 0.94, 0.99, 0.95, 0],
    ['up', 5, 5, 5, 100], // base = target, met
    ['up', 4, 5, 5, 0],
    ['down', 6, 5, 5, 0],
  ] as const)('%s: value %d, base %d, target %d (no gap) → %d', (dir, value, base, target, expected) => {
    expect(progressToTarget(value, base, target, dir)).toBe(expected);
  });

  it.each(DIRECTIONS)('%s: any missing input gives NaN', (dir) => {
    expect(progressToTarget(NaN, 1, 2, dir)).toBeNaN();
    expect(progressToTarget(1, NaN, 2, dir)).toBeNaN();
    expect(progressToTarget(1, 1, NaN, dir)).toBeNaN();
  });

  it('handles negative values and zero (a growth rate from −2% to +3%)', () => {
    expectRel(progressToTarget(0, -0.02, 0.03, 'up'), 40); // 0.02 / 0.05
    expectRel(progressToTarget(-0.01, -0.02, 0.03, 'up'), 20);
  });

  it('takes one base and target for all, or one per unit', () => {
    expectAllRel(progressToTargetColumn(f64(55, 70, NaN), 50, 75, 'up'), [20, 80, NaN]);
    expectAllRel(progressToTargetColumn(f64(55, 70), f64(50, 60), f64(75, 80), 'up'), [20, 50]);
    expect(() => progressToTargetColumn(f64(1, 2), f64(1), 3, 'up')).toThrow(/1 base values for 2 units/);
  });
});

describe('minMax', () => {
  // Hand: 10, 20, 40 → min 10, max 40, span 30.
  it.each([
    ['up', [10, 20, 40], [0, 1 / 3, 1]],
    ['down', [10, 20, 40], [1, 2 / 3, 0]],
    ['up', [-5, 0, 5], [0, 0.5, 1]], // negatives are fine
    ['down', [-5, 0, 5], [1, 0.5, 0]],
    ['up', [0, 0, 3], [0, 0, 1]],
  ] as const)('%s %j → %j', (dir, values, expected) => {
    expectAllRel(minMax(Float64Array.from(values), dir), expected);
  });

  it.each(DIRECTIONS)('%s: all equal → every unit scores 1', (dir) => {
    expectAllRel(minMax(f64(7, 7, 7), dir), [1, 1, 1]);
  });

  it.each(DIRECTIONS)('%s: one unit → 1', (dir) => {
    expectAllRel(minMax(f64(42), dir), [1]);
  });

  it.each(DIRECTIONS)('%s: missing stays missing and is left out of min and max', (dir) => {
    const out = minMax(f64(NaN, 10, 30, NaN, 20), dir);
    expectAllRel(out, dir === 'up' ? [NaN, 0, 1, NaN, 0.5] : [NaN, 1, 0, NaN, 0.5]);
  });

  it('all missing → all NaN; empty → empty', () => {
    expectAllRel(minMax(f64(NaN, NaN), 'up'), [NaN, NaN]);
    expect(minMax(f64(), 'up').length).toBe(0);
  });

  it('pooled: one scale for base and now, so a change is progress', () => {
    // Pooled min 10, max 50: base (10, 30) → (0, 0.5); now (30, 50) → (0.5, 1).
    const [base, now] = minMaxPooled([f64(10, 30), f64(30, 50)], 'up');
    expectAllRel(base!, [0, 0.5]);
    expectAllRel(now!, [0.5, 1]);
    const [b2, n2] = minMaxPooled([f64(10, NaN), f64(50, 30)], 'down');
    expectAllRel(b2!, [1, NaN]);
    expectAllRel(n2!, [0, 0.5]);
  });
});

describe('zScore', () => {
  // Hand: 2, 4, 4, 4, 5, 5, 7, 9 → μ = 5, population σ = √(32/8) = 2.
  const values = f64(2, 4, 4, 4, 5, 5, 7, 9);
  it.each([
    ['up', [-1.5, -0.5, -0.5, -0.5, 0, 0, 1, 2]],
    ['down', [1.5, 0.5, 0.5, 0.5, -0, -0, -1, -2]],
  ] as const)('%s', (dir, expected) => {
    expectAllRel(zScore(values, dir), expected);
  });

  it.each(DIRECTIONS)('%s: σ = 0 (all equal, or one unit) → 0', (dir) => {
    expectAllRel(zScore(f64(3, 3, 3), dir), [0, 0, 0]);
    expectAllRel(zScore(f64(3), dir), [0]);
  });

  it('missing values stay missing and are left out of μ and σ', () => {
    // Present: 1, 3 → μ 2, σ 1.
    expectAllRel(zScore(f64(1, NaN, 3), 'up'), [-1, NaN, 1]);
    expectAllRel(zScore(f64(NaN), 'up'), [NaN]);
  });
});

describe('normaliseColumn and normaliseMatrix', () => {
  const cases = NORMALISATIONS.flatMap((method) => DIRECTIONS.map((dir) => [method, dir] as const));

  it.each(cases)('%s, %s: the best raw value gets the best score', (method, dir) => {
    const out = normaliseColumn(f64(1, 5, 3), dir, method);
    const best = dir === 'up' ? 1 : 0;
    const worst = dir === 'up' ? 0 : 1;
    expect(out[best]!).toBeGreaterThan(out[2]!);
    expect(out[2]!).toBeGreaterThan(out[worst]!);
  });

  it.each(NORMALISATIONS)('%s: the result points up, column by column', (method) => {
    const m = decisionMatrix(
      [
        [1, 10],
        [2, 30],
        [3, 20],
      ],
      ['up', 'down'] satisfies Direction[],
    );
    const out = normaliseMatrix(m, method);
    expect(out.directions).toEqual(['up', 'up']);
    expectAllRel(column(out, 0), Array.from(normaliseColumn(f64(1, 2, 3), 'up', method)));
    expectAllRel(column(out, 1), Array.from(normaliseColumn(f64(10, 30, 20), 'down', method)));
  });

  it('checks the shape', () => {
    expect(() => decisionMatrix([[1, 2], [3]], ['up', 'up'])).toThrow(/row 2 has 1 values/);
    expect(() => checkMatrix({ values: f64(1, 2, 3), units: 2, criteria: 2, directions: ['up', 'up'] })).toThrow(
      /needs 4 values/,
    );
    expect(() => checkMatrix({ values: f64(1, 2), units: 1, criteria: 2, directions: ['up'] })).toThrow(
      /1 directions for 2 criteria/,
    );
  });
});
