import { describe, expect, it } from 'vitest';
import { compositeIndex, explainComposite, type CompositeInput } from './composite.js';

function expectRel(actual: number, expected: number, rel = 1e-9) {
  if (Number.isNaN(expected)) return expect(actual).toBeNaN();
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(Math.abs(expected), 1e-300));
}
function expectAllRel(actual: ArrayLike<number>, expected: readonly number[], rel = 1e-9) {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expectRel(actual[i]!, e, rel));
}

/**
 * Worked by hand. Two dimensions: D0 holds indicators i0 (weight 2), i1 (1), i2 (1) → nominal
 * 0.5, 0.25, 0.25; D1 holds i3 (1), i4 (3) → 0.25, 0.75. Dimension weights 0.6, 0.4.
 * Period 0:
 *   unit A = (80, 60, 100, 40, 80): D0 = 0.5·80 + 0.25·60 + 0.25·100 = 80; D1 = 0.25·40 + 0.75·80 = 70;
 *            index = 0.6·80 + 0.4·70 = 76; all coverage 1.
 *   unit B = (–, 60, 90, –, –): D0 = (0.25·60 + 0.25·90)/0.5 = 75, coverage 0.5; D1 none, coverage 0;
 *            index = 75 (only D0, re-weighted), index coverage 0.6.
 * Period 1: A = all 100 → 100; B = all missing → no index, coverage 0.
 */
const handInput: CompositeInput = {
  periods: 2,
  units: 2,
  indicators: 5,
  dimensions: 2,
  indicatorDimension: [0, 0, 0, 1, 1],
  indicatorWeights: [2, 1, 1, 1, 3],
  dimensionWeights: [0.6, 0.4],
  scores: Float64Array.from([
    ...[80, 60, 100, 40, 80], // period 0, A
    ...[NaN, 60, 90, NaN, NaN], // period 0, B
    ...[100, 100, 100, 100, 100], // period 1, A
    ...[NaN, NaN, NaN, NaN, NaN], // period 1, B
  ]),
};

describe('compositeIndex', () => {
  it('by hand: sub-indices, coverage and index, re-weighting what is missing', () => {
    const r = compositeIndex(handInput);
    expectAllRel(r.indicatorWeights, [0.5, 0.25, 0.25, 0.25, 0.75]);
    expectAllRel(r.dimensionWeights, [0.6, 0.4]);
    // [period][unit][dimension]
    expectAllRel(r.subIndex, [80, 70, 75, NaN, 100, 100, NaN, NaN]);
    expectAllRel(r.coverage, [1, 1, 0.5, 0, 1, 1, 0, 0]);
    expectAllRel(r.index, [76, 75, 100, NaN]);
    expectAllRel(r.indexCoverage, [1, 0.6, 1, 0]);
  });

  it('minimum coverage: a thin dimension or index gets no value, its coverage is still reported', () => {
    const strictDimension = compositeIndex({ ...handInput, minDimensionCoverage: 0.6 });
    expectAllRel(strictDimension.subIndex.subarray(0, 4), [80, 70, NaN, NaN]);
    expectAllRel(strictDimension.coverage.subarray(0, 4), [1, 1, 0.5, 0]);
    expectAllRel(strictDimension.index.subarray(0, 2), [76, NaN]);

    const strictIndex = compositeIndex({ ...handInput, minIndexCoverage: 0.7 });
    expectAllRel(strictIndex.index.subarray(0, 2), [76, NaN]);
    expectAllRel(strictIndex.indexCoverage.subarray(0, 2), [1, 0.6]);
  });

  it('equal weights by default; one period by default', () => {
    // D0 = mean(10, 20) = 15, D1 = 40; index = mean(15, 40) = 27.5.
    const r = compositeIndex({
      units: 1,
      indicators: 3,
      dimensions: 2,
      indicatorDimension: [0, 0, 1],
      scores: Float64Array.from([10, 20, 40]),
    });
    expect(r.periods).toBe(1);
    expectAllRel(r.subIndex, [15, 40]);
    expectAllRel(r.index, [27.5]);
  });

  it('a dimension without indicators has no sub-index and counts against coverage', () => {
    const r = compositeIndex({
      units: 1,
      indicators: 1,
      dimensions: 2,
      indicatorDimension: [0],
      scores: Float64Array.from([50]),
    });
    expectAllRel(r.subIndex, [50, NaN]);
    expectAllRel(r.coverage, [1, 0]);
    expectAllRel(r.index, [50]);
    expectAllRel(r.indexCoverage, [0.5]);
    // Weight 0 leaves it out on purpose.
    const r2 = compositeIndex({
      units: 1,
      indicators: 1,
      dimensions: 2,
      indicatorDimension: [0],
      dimensionWeights: [1, 0],
      scores: Float64Array.from([50]),
    });
    expectAllRel(r2.indexCoverage, [1]);
  });

  it('all scores equal → the index is that score, whatever the weights', () => {
    const r = compositeIndex({
      units: 3,
      indicators: 4,
      dimensions: 2,
      indicatorDimension: [0, 1, 1, 0],
      indicatorWeights: [1, 2, 3, 4],
      dimensionWeights: [0.9, 0.1],
      scores: new Float64Array(12).fill(62.5),
    });
    expectAllRel(r.index, [62.5, 62.5, 62.5]);
  });

  it('no units → empty results', () => {
    const r = compositeIndex({
      units: 0,
      indicators: 2,
      dimensions: 1,
      indicatorDimension: [0, 0],
      scores: new Float64Array(0),
    });
    expect(r.index.length).toBe(0);
  });

  it('checks its input', () => {
    const base = {
      units: 1,
      indicators: 2,
      dimensions: 1,
      indicatorDimension: [0, 0],
      scores: Float64Array.from([1, 2]),
    };
    expect(() => compositeIndex({ ...base, scores: Float64Array.from([1]) })).toThrow(/need 2 scores, not 1/);
    expect(() => compositeIndex({ ...base, indicatorDimension: [0, 1] })).toThrow(
      /indicator 2 is assigned to dimension 1/,
    );
    expect(() => compositeIndex({ ...base, indicatorDimension: [0] })).toThrow(/1 dimension assignments for 2/);
    expect(() => compositeIndex({ ...base, indicatorWeights: [1, -1] })).toThrow(
      /indicator weight 2 must be a number ≥ 0/,
    );
    expect(() => compositeIndex({ ...base, dimensionWeights: [0] })).toThrow(/sum to 0/);
    expect(() => compositeIndex({ ...base, minIndexCoverage: 2 })).toThrow(/between 0 and 1/);
  });
});

describe('explainComposite', () => {
  const r = compositeIndex(handInput);

  it('a complete unit: each part and its contribution', () => {
    const e = explainComposite(r, 0, 0);
    expect(e.index).toBe(76);
    expect(e.coverage).toBe(1);
    const [d0, d1] = e.dimensions;
    expect(d0).toMatchObject({ dimension: 0, subIndex: 80, coverage: 1, weight: 0.6, effectiveWeight: 0.6 });
    expectRel(d0!.contribution!, 48);
    expectRel(d1!.contribution!, 28);
    expect(d0!.indicators.map((i) => [i.indicator, i.score, i.weight, i.effectiveWeight, i.contribution])).toEqual([
      [0, 80, 0.5, 0.5, 40],
      [1, 60, 0.25, 0.25, 15],
      [2, 100, 0.25, 0.25, 25],
    ]);
  });

  it('a unit with gaps: null where missing, effective weights re-scaled', () => {
    const e = explainComposite(r, 0, 1);
    expect(e.index).toBe(75);
    expect(e.coverage).toBe(0.6);
    const [d0, d1] = e.dimensions;
    expect(d0).toMatchObject({ subIndex: 75, coverage: 0.5, weight: 0.6, effectiveWeight: 1, contribution: 75 });
    expect(d0!.indicators.map((i) => [i.score, i.effectiveWeight, i.contribution])).toEqual([
      [null, 0, null],
      [60, 0.5, 30],
      [90, 0.5, 45],
    ]);
    expect(d1).toMatchObject({ subIndex: null, coverage: 0, effectiveWeight: 0, contribution: null });
    expect(JSON.stringify(e)).not.toContain('NaN');
  });

  it('contributions add up to the index (seeded random inputs)', () => {
    let seed = 7;
    const next = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const units = 20;
    const indicators = 9;
    const scores = Float64Array.from({ length: units * indicators }, () => (next() < 0.2 ? NaN : 100 * next()));
    const res = compositeIndex({
      units,
      indicators,
      dimensions: 3,
      indicatorDimension: [0, 0, 0, 1, 1, 1, 2, 2, 2],
      indicatorWeights: Array.from({ length: indicators }, () => next()),
      dimensionWeights: [next(), next(), next()],
      scores,
    });
    for (let u = 0; u < units; u++) {
      const e = explainComposite(res, 0, u);
      if (e.index === null) continue;
      const total = e.dimensions.reduce((s, d) => s + (d.contribution ?? 0), 0);
      expectRel(total, e.index, 1e-12);
      for (const d of e.dimensions) {
        if (d.subIndex === null) continue;
        expectRel(
          d.indicators.reduce((s, i) => s + (i.contribution ?? 0), 0),
          d.subIndex,
          1e-12,
        );
      }
    }
  });

  it('refuses a period or unit out of range', () => {
    expect(() => explainComposite(r, 2, 0)).toThrow(/period 2/);
    expect(() => explainComposite(r, 0, 5)).toThrow(/unit 5/);
  });
});
