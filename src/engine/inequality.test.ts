import { describe, expect, it } from 'vitest';
import {
  bracketShares,
  coefficientOfVariation,
  gini,
  inequality,
  maxMin,
  quintileShareRatio,
  sortIndicesByValue,
  theilDecomposition,
  theilL,
  theilT,
  weightedMean,
  weightedMedian,
  type InequalityResult,
} from './inequality.js';

const f64 = (xs: readonly number[]) => Float64Array.from(xs);
const { log, sqrt } = Math;
const ln2 = log(2);
const ln3 = log(3);
const ln5 = log(5);

/** |actual − expected| ≤ rel·|expected| (or ≤ abs near 0); NaN only matches NaN. */
function close(actual: number, expected: number, rel = 1e-9, abs = 1e-12): boolean {
  if (Number.isNaN(expected) || Number.isNaN(actual)) return Number.isNaN(expected) && Number.isNaN(actual);
  return Math.abs(actual - expected) <= Math.max(rel * Math.abs(expected), abs);
}

function expectRel(actual: number, expected: number, what = '', rel = 1e-9, abs = 1e-12): void {
  expect(close(actual, expected, rel, abs), `${what}: ${actual} vs expected ${expected}`).toBe(true);
}

/** mulberry32: a tiny seeded generator, so the property tests are reproducible. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Pairwise Gini straight from the definition, O(n²): ΣΣ w_i w_j |y_i − y_j| / (2 W Σ w y). */
function naiveGini(values: Float64Array, weights?: Float64Array): number {
  let W = 0;
  let S = 0;
  let pairs = 0;
  for (let i = 0; i < values.length; i++) {
    const wi = weights ? weights[i]! : 1;
    if (Number.isNaN(values[i]) || Number.isNaN(wi)) continue;
    W += wi;
    S += wi * values[i]!;
    for (let j = 0; j < values.length; j++) {
      const wj = weights ? weights[j]! : 1;
      if (Number.isNaN(values[j]) || Number.isNaN(wj)) continue;
      pairs += wi * wj * Math.abs(values[i]! - values[j]!);
    }
  }
  return S > 0 ? pairs / (2 * W * S) : NaN;
}

describe('known answers', () => {
  it('{1,2,3,4,5}: Gini 4/15 (the textbook example), Theil, CV, median, 倍差, S80/S20', () => {
    const r = inequality(f64([1, 2, 3, 4, 5]));
    expect(r.n).toBe(5);
    expect(r.weightTotal).toBe(5);
    expectRel(r.mean, 3, 'mean');
    expect(r.median).toBe(3);
    // ΣΣ|y_i − y_j| = 2(4·1 + 3·2 + 2·3 + 1·4) = 40; G = 40 / (2·5²·3) = 4/15.
    expectRel(r.gini, 4 / 15, 'gini');
    // T = (1/15) Σ y ln y − ln 3 = (1/15)(2ln2 + 3ln3 + 4ln4 + 5ln5) − ln3 = (2/3)ln2 − (4/5)ln3 + (1/3)ln5.
    expectRel(r.theilT, (2 / 3) * ln2 - (4 / 5) * ln3 + (1 / 3) * ln5, 'theilT');
    // L = ln3 − (1/5) ln(1·2·3·4·5) = (4/5)ln3 − (3/5)ln2 − (1/5)ln5.
    expectRel(r.theilL, (4 / 5) * ln3 - (3 / 5) * ln2 - (1 / 5) * ln5, 'theilL');
    // σ² = (4 + 1 + 0 + 1 + 4)/5 = 2.
    expectRel(r.cv, sqrt(2) / 3, 'cv');
    expect([r.min, r.minIndex, r.max, r.maxIndex, r.range]).toEqual([1, 0, 5, 4, 4]);
    expectRel(r.maxMinRatio, 5, 'maxMinRatio');
    // 20% of 5 units is one unit: 5 / 1.
    expectRel(r.quintileShareRatio, 5, 'S80/S20');
    expect(r.excludedNonPositive).toBe(0);
    expect(r.missing).toBe(0);
  });

  it('two equal halves {1, 3}', () => {
    const r = inequality(f64([1, 3]));
    // μ = 2. T = ½(½ ln ½) + ½(3/2 ln 3/2) = ¾ln3 − ln2; L = ½ln2 + ½ln(2/3) = ln2 − ½ln3.
    expectRel(r.theilT, 0.75 * ln3 - ln2, 'theilT');
    expectRel(r.theilL, ln2 - 0.5 * ln3, 'theilL');
    // ΣΣ f f |d| = 2·¼·2 = 1; G = 1 / (2·2).
    expectRel(r.gini, 0.25, 'gini');
    expectRel(r.cv, 0.5, 'cv'); // σ = 1
    expect(r.median).toBe(1); // lower median
    // W = 2, cut 0.4: bottom 0.4·1, top 0.4·3.
    expectRel(r.quintileShareRatio, 3, 'S80/S20');
  });

  it('weighted {1 ×3, 2 ×1}', () => {
    const r = inequality(f64([2, 1]), f64([1, 3]));
    expectRel(r.mean, 5 / 4, 'mean');
    // f = (¾, ¼): ΣΣ f f |d| = 2·¾·¼·1 = 3/8; G = (3/8) / (2·5/4) = 3/20.
    expectRel(r.gini, 3 / 20, 'gini');
    // σ² = (3·(¼)² + (¾)²)/4 = 3/16.
    expectRel(r.cv, sqrt(3) / 4 / (5 / 4), 'cv');
    expect(r.median).toBe(1); // cumulative weight 3 ≥ 2
    // T = ¾·(4/5)ln(4/5) + ¼·(8/5)ln(8/5) = (12/5)ln2 − ln5; L = ¾ln(5/4) + ¼ln(5/8) = ln5 − (9/4)ln2.
    expectRel(r.theilT, (12 / 5) * ln2 - ln5, 'theilT');
    expectRel(r.theilL, ln5 - (9 / 4) * ln2, 'theilL');
    // W = 4, cut 0.8: bottom 0.8·1, top 0.8·2.
    expectRel(r.quintileShareRatio, 2, 'S80/S20');
    expect([r.maxIndex, r.minIndex]).toEqual([0, 1]);
  });

  it.each([
    { values: [1, 2, 3, 4], weights: undefined, median: 2, why: 'n even: the lower middle value' },
    { values: [4, 1, 3, 2], weights: undefined, median: 2, why: 'unsorted input' },
    { values: [3, 1, 2], weights: undefined, median: 2, why: 'n odd' },
    { values: [1, 2, 3], weights: [1, 1, 2], median: 2, why: 'cumulative weight exactly half' },
    { values: [1, 2, 3], weights: [1, 1, 3], median: 3, why: 'a heavy top unit' },
    { values: [1, 2, 3], weights: [1, 0, 1], median: 1, why: 'weight 0 is no unit' },
    { values: [5], weights: undefined, median: 5, why: 'one unit' },
  ])('median: $why', ({ values, weights, median }) => {
    expect(weightedMedian(f64(values), weights && f64(weights))).toBe(median);
  });

  it.each([
    // 20% of 10 units = 2 units: (9 + 10) / (1 + 2).
    { values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], weights: undefined, ratio: 19 / 3, why: 'whole units' },
    // 20% of 6 = 1.2 units: bottom 1 + 0.2·2 = 1.4, top 6 + 0.2·5 = 7.
    { values: [1, 2, 3, 4, 5, 6], weights: undefined, ratio: 7 / 1.4, why: 'a unit straddles each cut' },
    // W = 5, cut 1: bottom 1·10, top 1·30.
    { values: [10, 20, 30], weights: [1, 2, 2], ratio: 3, why: 'weighted, cut inside a unit' },
    // W = 5, cut 1: bottom 0.5·10 + 0.5·20 = 15, top 1·30 (unit 30 covers [1.5, 5)).
    { values: [10, 20, 30], weights: [0.5, 1, 3.5], ratio: 2, why: 'weighted, straddling unit split' },
    { values: [30, 10, 20], weights: [3.5, 0.5, 1], ratio: 2, why: 'same, unsorted' },
    // W = 4, cut 0.8: bottom 0.8·1, top 0.8·2.
    { values: [1, 1, 2, 2], weights: undefined, ratio: 2, why: 'ties' },
  ])('S80/S20: $why', ({ values, weights, ratio }) => {
    expectRel(quintileShareRatio(f64(values), weights && f64(weights)), ratio);
  });

  it('bracket shares are half-open [from, to), open ends allowed, over the weight of non-missing units', () => {
    const values = f64([50_000, 100_000, 300_000, 500_000, 700_000, NaN]);
    const weights = f64([1, 2, 3, 4, 5, 100]);
    const shares = bracketShares(values, weights, [
      { from: 100_000, to: 500_000 }, // 100k and 300k: (2 + 3) / 15; 500k is out
      { from: 200_000, to: 600_000 }, // 300k and 500k: (3 + 4) / 15
      { from: 500_000, to: null }, // (4 + 5) / 15
      { from: null, to: 100_000 }, // 1 / 15
      { from: null, to: null }, // everything
    ]);
    expect(shares.map((s) => s.weight)).toEqual([5, 7, 9, 1, 15]);
    [5, 7, 9, 1, 15].forEach((w, k) => expectRel(shares[k]!.share, w / 15, `bracket ${k}`));
    expect(shares[2]).toMatchObject({ from: 500_000, to: null });
  });

  it('max/min attribution: the first unit on ties, weight-0 units take no part', () => {
    expect(maxMin(f64([3, 9, 1, 9, 1]))).toEqual({
      max: 9,
      maxIndex: 1,
      min: 1,
      minIndex: 2,
      maxMinRatio: 9,
      range: 8,
    });
    expect(maxMin(f64([5, 100, 2]), f64([1, 0, 1]))).toEqual({
      max: 5,
      maxIndex: 0,
      min: 2,
      minIndex: 2,
      maxMinRatio: 2.5,
      range: 3,
    });
  });

  it('the single-statistic functions agree with inequality()', () => {
    const v = f64([3, 8, 1, 0, 12, 5]);
    const w = f64([2, 1, 4, 1, 0.5, 3]);
    const r = inequality(v, w);
    expect(weightedMean(v, w)).toBe(r.mean);
    expect(gini(v, w)).toBe(r.gini);
    expect(theilT(v, w)).toBe(r.theilT);
    expect(theilL(v, w)).toBe(r.theilL);
    expect(coefficientOfVariation(v, w)).toBe(r.cv);
    expect(quintileShareRatio(v, w)).toBe(r.quintileShareRatio);
    expect(weightedMedian(v, w)).toBe(r.median);
  });
});

describe('Theil decomposition', () => {
  // Groups A = {1, 3}, B = {4, 4}; μ = 3, μ_A = 2, μ_B = 4; s_A = 4/12, s_B = 8/12; p_A = p_B = ½.
  // T = ¼[(1/3)ln(1/3) + 1·ln1 + 2·(4/3)ln(4/3)] = (4/3)ln2 − ¾ln3.
  // T_A = ¾ln3 − ln2 (two equal halves), T_B = 0.
  // within T = ⅓(¾ln3 − ln2) = ¼ln3 − ⅓ln2; between T = ⅓ln(2/3) + ⅔ln(4/3) = (5/3)ln2 − ln3.
  // L = ¼[ln3 + 0 + 2ln(3/4)] = ¾ln3 − ln2; L_A = ln2 − ½ln3, L_B = 0.
  // within L = ½ln2 − ¼ln3; between L = ½ln(3/2) + ½ln(3/4) = ln3 − (3/2)ln2.
  // Contributions to T: A = s_A T_A + s_A ln(μ_A/μ) = −(1/12)ln3; B = ⅔ln(4/3) = (4/3)ln2 − ⅔ln3.
  const values = f64([1, 4, 3, 4]);
  const labels = ['A', 'B', 'A', 'B'];

  it('within and between parts, per group statistics and contributions', () => {
    const r = inequality(values, undefined, { groups: labels });
    expectRel(r.theilT, (4 / 3) * ln2 - 0.75 * ln3, 'T');
    expectRel(r.theilL, 0.75 * ln3 - ln2, 'L');
    const d = r.decomposition!;
    expectRel(d.theilT.within, 0.25 * ln3 - ln2 / 3, 'T within');
    expectRel(d.theilT.between, (5 / 3) * ln2 - ln3, 'T between');
    expectRel(d.theilT.total, r.theilT, 'T total');
    expectRel(d.theilL.within, 0.5 * ln2 - 0.25 * ln3, 'L within');
    expectRel(d.theilL.between, ln3 - 1.5 * ln2, 'L between');
    expectRel(d.theilL.total, r.theilL, 'L total');

    const [a, b] = r.groups!;
    expect(a).toMatchObject({ group: 'A', n: 2, weightTotal: 2, mean: 2 });
    expect(b).toMatchObject({ group: 'B', n: 2, weightTotal: 2, mean: 4, gini: 0, theilT: 0, theilL: 0 });
    expectRel(a!.gini, 0.25, 'gini A');
    expectRel(a!.theilT, 0.75 * ln3 - ln2, 'T_A');
    expectRel(a!.theilL, ln2 - 0.5 * ln3, 'L_A');
    expectRel(a!.incomeShare, 1 / 3, 's_A');
    expectRel(a!.populationShare, 0.5, 'p_A');
    expectRel(a!.theilTContribution.total, -ln3 / 12, 'A contributes to T');
    expectRel(b!.theilTContribution.total, (4 / 3) * ln2 - (2 / 3) * ln3, 'B contributes to T');
    expectRel(b!.theilTContribution.within, 0, 'B within');
    // L contributions: A = ½(ln2 − ½ln3) + ½ln(3/2) = ¼ln3; B = ½ln(3/4) = ½ln3 − ln2.
    expectRel(a!.theilLContribution.total, 0.25 * ln3, 'A contributes to L');
    expectRel(b!.theilLContribution.total, 0.5 * ln3 - ln2, 'B contributes to L');
  });

  it('integer codes give the same as string labels; empty groups appear with n 0 and add nothing', () => {
    const byName = theilDecomposition(values, undefined, labels);
    // Codes 1 and 3 for A and B; 0, 2 and 4 are empty.
    const byCode = theilDecomposition(values, undefined, Int32Array.from([1, 3, 1, 3]), 5);
    expect(byCode.groups.map((g) => g.group)).toEqual([0, 1, 2, 3, 4]);
    expect(byCode.groups[0]).toMatchObject({ n: 0, weightTotal: 0, incomeShare: 0, populationShare: 0 });
    expect(byCode.groups[0]!.mean).toBeNaN();
    expect(byCode.groups[0]!.gini).toBeNaN();
    expect(byCode.groups[0]!.theilT).toBeNaN();
    expect(byCode.groups[0]!.theilTContribution).toEqual({ total: 0, within: 0, between: 0 });
    expect(byCode.decomposition).toEqual(byName.decomposition);
    expect({ ...byCode.groups[1], group: 'A' }).toEqual(byName.groups[0]);
  });

  it('a group of missing or non-positive values only: counted, no Theil, contributes 0', () => {
    const r = inequality(f64([1, 4, 3, 4, NaN, 0, -2]), undefined, {
      groups: ['A', 'B', 'A', 'B', 'C', 'D', 'D'],
    });
    const ref = inequality(values, undefined, { groups: labels });
    const [, , c, d] = r.groups!;
    expect(c).toMatchObject({ group: 'C', n: 0, weightTotal: 0 });
    expect(d).toMatchObject({ group: 'D', n: 2, weightTotal: 2, mean: -1 });
    expect(d!.gini).toBeNaN(); // μ_D < 0
    expect(d!.theilT).toBeNaN();
    expect(d!.theilLContribution.total).toBe(0);
    expect(r.excludedNonPositive).toBe(2);
    expectRel(r.decomposition!.theilT.within, ref.decomposition!.theilT.within, 'within');
    expectRel(r.decomposition!.theilL.between, ref.decomposition!.theilL.between, 'between');
  });

  it('one group: everything is within, between is 0', () => {
    const r = inequality(values, undefined, { groups: ['x', 'x', 'x', 'x'] });
    expectRel(r.decomposition!.theilT.within, r.theilT, 'within');
    expectRel(r.decomposition!.theilT.between, 0, 'between');
    expectRel(r.decomposition!.theilL.between, 0, 'between L');
  });
});

describe('edge cases', () => {
  function expectAllNaN(r: InequalityResult) {
    for (const k of ['mean', 'median', 'gini', 'theilT', 'theilL', 'cv', 'maxMinRatio', 'range'] as const) {
      expect(r[k], k).toBeNaN();
    }
    expect(r.quintileShareRatio).toBeNaN();
    expect([r.minIndex, r.maxIndex]).toEqual([-1, -1]);
  }

  it('empty input: NaN everywhere, n 0', () => {
    const r = inequality(new Float64Array(0), undefined, { brackets: [{ from: 0, to: 1 }], groups: [] });
    expectAllNaN(r);
    expect([r.n, r.weightTotal, r.missing]).toEqual([0, 0, 0]);
    expect(r.brackets[0]!.share).toBeNaN();
    expect(r.groups).toEqual([]);
    expect(r.decomposition!.theilT.within).toBeNaN();
  });

  it('all missing: counted as missing', () => {
    const r = inequality(f64([NaN, NaN, NaN]));
    expectAllNaN(r);
    expect([r.n, r.missing]).toEqual([0, 3]);
  });

  it('total weight 0: NaN, but the units count in n', () => {
    const r = inequality(f64([1, 2, 3]), f64([0, 0, 0]));
    expectAllNaN(r);
    expect([r.n, r.weightTotal]).toEqual([3, 0]);
  });

  it('one unit: no inequality', () => {
    const r = inequality(f64([7]), f64([2.5]));
    expect(r).toMatchObject({ n: 1, weightTotal: 2.5, mean: 7, median: 7, gini: 0, theilT: 0, theilL: 0, cv: 0 });
    expect([r.maxMinRatio, r.range, r.quintileShareRatio]).toEqual([1, 0, 1]);
  });

  it('all equal (weighted): every inequality measure is 0, ratios 1', () => {
    const r = inequality(f64([5.3, 5.3, 5.3, 5.3]), f64([1, 2.5, 0.1, 7]));
    for (const k of ['gini', 'theilT', 'theilL', 'cv', 'range'] as const) expectRel(r[k], 0, k, 0, 1e-14);
    expectRel(r.maxMinRatio, 1, 'maxMinRatio');
    expectRel(r.quintileShareRatio, 1, 'S80/S20');
    expect(r.median).toBe(5.3);
  });

  it('all zeros: mean 0; Gini, CV and the ratios are not defined; Theil excludes every unit', () => {
    const r = inequality(f64([0, 0, 0]));
    expect([r.mean, r.median, r.range, r.excludedNonPositive]).toEqual([0, 0, 0, 3]);
    for (const k of ['gini', 'theilT', 'theilL', 'cv', 'maxMinRatio', 'quintileShareRatio'] as const) {
      expect(r[k], k).toBeNaN();
    }
  });

  it('zeros: Gini uses them, Theil leaves them out and counts them', () => {
    const r = inequality(f64([0, 3, 0, 5]));
    // μ = 2; Σ_{i<j}|d| = 0 + 3 + 5 + 3 + 5 + 2 = 18; G = 36 / (2·16·2) = 9/16.
    expectRel(r.gini, 9 / 16, 'gini');
    expect(r.excludedNonPositive).toBe(2);
    // Over {3, 5}, μ = 4: T = (3/8)ln(3/4) + (5/8)ln(5/4) = (3/8)ln3 + (5/8)ln5 − 2ln2;
    // L = ½ln(4/3) + ½ln(4/5) = 2ln2 − ½ln3 − ½ln5.
    expectRel(r.theilT, (3 / 8) * ln3 + (5 / 8) * ln5 - 2 * ln2, 'theilT');
    expectRel(r.theilL, 2 * ln2 - 0.5 * ln3 - 0.5 * ln5, 'theilL');
    expect(r.median).toBe(0);
    expect(r.maxMinRatio).toBeNaN(); // min 0
    expect(r.quintileShareRatio).toBeNaN(); // the bottom 20% has no income
  });

  it('negatives: Gini on the mean-difference form (may exceed 1), Theil without them', () => {
    const r = inequality(f64([-2, 1, 4]));
    // μ = 1; Σ_{i<j}|d| = 3 + 6 + 3 = 12; G = 24 / (2·9·1) = 4/3.
    expectRel(r.gini, 4 / 3, 'gini');
    // σ² = (9 + 0 + 9)/3 = 6.
    expectRel(r.cv, sqrt(6), 'cv');
    expect([r.range, r.median, r.excludedNonPositive]).toEqual([6, 1, 1]);
    expect(r.maxMinRatio).toBeNaN();
    // Over {1, 4}, μ = 5/2: T = (1/5)ln(2/5) + (4/5)ln(8/5) = (13/5)ln2 − ln5; L = ½ln(5/2) + ½ln(5/8) = ln5 − 2ln2.
    expectRel(r.theilT, (13 / 5) * ln2 - ln5, 'theilT');
    expectRel(r.theilL, ln5 - 2 * ln2, 'theilL');
    expect(r.quintileShareRatio).toBeNaN(); // bottom income 0.6·(−2) < 0
  });

  it('a negative mean: Gini is not defined, CV keeps the sign of μ', () => {
    const r = inequality(f64([-5, 1]));
    expect(r.gini).toBeNaN();
    expectRel(r.cv, 3 / -2, 'cv'); // σ = 3, μ = −2
  });

  it('NaN values (and NaN weights) are skipped and counted', () => {
    const r = inequality(f64([1, NaN, 2, 3, NaN, 4, 5]));
    expect([r.n, r.missing]).toEqual([5, 2]);
    expectRel(r.gini, 4 / 15, 'gini');
    expect(r.median).toBe(3);
    const w = inequality(f64([1, 2, 3]), f64([1, NaN, 1]));
    expect([w.n, w.missing, w.median]).toEqual([2, 1, 1]);
    expectRel(w.gini, naiveGini(f64([1, 3])), 'gini');
  });

  it('ties', () => {
    const r = inequality(f64([2, 1, 2, 1]));
    // μ = 1.5; four pairs i<j differ by 1: G = 8 / (2·16·1.5) = 1/6.
    expectRel(r.gini, 1 / 6, 'gini');
    expect(r.median).toBe(1);
    expect([r.minIndex, r.maxIndex]).toEqual([1, 0]);
  });

  it('weight 0 units take part in nothing', () => {
    const a = inequality(f64([1, 1000, 3, -50]), f64([2, 0, 1, 0]));
    const b = inequality(f64([1, 3]), f64([2, 1]));
    for (const k of [
      'mean',
      'median',
      'gini',
      'theilT',
      'theilL',
      'cv',
      'maxMinRatio',
      'quintileShareRatio',
    ] as const) {
      expectRel(a[k], b[k], k);
    }
    expect(a.n).toBe(4);
    expect(a.excludedNonPositive).toBe(1);
  });

  it.each([
    { why: 'an infinite value', run: () => inequality(f64([1, Infinity])) },
    { why: 'a negative weight', run: () => inequality(f64([1, 2]), f64([1, -1])) },
    { why: 'an infinite weight', run: () => inequality(f64([1, 2]), f64([1, Infinity])) },
    { why: 'weights of another length', run: () => inequality(f64([1, 2]), f64([1])) },
    { why: 'groups of another length', run: () => inequality(f64([1, 2]), undefined, { groups: ['a'] }) },
    {
      why: 'a negative group code',
      run: () => inequality(f64([1, 2]), undefined, { groups: Int32Array.from([0, -1]) }),
    },
    {
      why: 'a code beyond groupCount',
      run: () => theilDecomposition(f64([1, 2]), undefined, Int32Array.from([0, 2]), 2),
    },
    { why: 'an empty bracket', run: () => bracketShares(f64([1]), undefined, [{ from: 5, to: 5 }]) },
  ])('rejects $why', ({ run }) => {
    expect(run).toThrow(RangeError);
  });
});

describe('sortIndicesByValue', () => {
  it.each([10, 5000])('orders %i indices like a comparison sort (negatives, −0, ties, wide magnitudes)', (n) => {
    const rnd = mulberry32(n);
    const pool = [0, -0, 1, -1, 1e-300, -1e300, 5e-324, 123456.789];
    const values = Float64Array.from({ length: n }, () => {
      const u = rnd();
      if (u < 0.2) return pool[Math.floor(rnd() * pool.length)]!;
      if (u < 0.5) return Math.round((rnd() - 0.4) * 50);
      return (rnd() - 0.3) * 10 ** Math.floor(rnd() * 20 - 10);
    });
    // A subset, as inequality() passes: every third index left out.
    const indices = Uint32Array.from({ length: n }, (_, i) => i).filter((i) => i % 3 !== 0);
    const order = sortIndicesByValue(values, indices);
    expect([...order].sort((a, b) => a - b)).toEqual([...indices]);
    const expected = Float64Array.from(indices, (i) => values[i]!).sort();
    // Stable, and ascending with −0 and 0 side by side.
    for (let k = 1; k < order.length; k++) {
      const a = values[order[k - 1]!]!;
      const b = values[order[k]!]!;
      expect(a <= b, `${a} ≤ ${b}`).toBe(true);
      if (a === b && Object.is(a, b)) expect(order[k - 1]! < order[k]!).toBe(true);
    }
    expect(Float64Array.from(order, (i) => values[i]!).map((x) => x + 0)).toEqual(expected.map((x) => x + 0));
  });
});

describe('properties (seeded)', () => {
  interface Sample {
    values: Float64Array;
    weights: Float64Array;
    groups: Int32Array;
    groupCount: number;
  }

  /** Income-like values with ties, and sometimes zeros, negatives and NaN; integer weights 0..4. */
  function sample(rnd: () => number, n: number, opts: { nonPositive?: boolean; missing?: boolean } = {}): Sample {
    const groupCount = 1 + Math.floor(rnd() * 5);
    const values = new Float64Array(n);
    const weights = new Float64Array(n);
    const groups = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const u = rnd();
      if (opts.missing && u < 0.05) values[i] = NaN;
      else if (opts.nonPositive && u < 0.12) values[i] = Math.round((rnd() - 0.7) * 10);
      else if (u < 0.3)
        values[i] = 1000 * (1 + Math.floor(rnd() * 5)); // ties
      else values[i] = Math.exp(6 + 1.5 * (rnd() + rnd() + rnd() - 1.5));
      weights[i] = Math.floor(rnd() * 5);
      groups[i] = Math.floor(rnd() * groupCount);
    }
    if (n > 0) weights[0] = 1 + weights[0]!; // at least one unit of positive weight
    return { values, weights, groups, groupCount };
  }

  const BRACKETS = [
    { from: 1000, to: 3000 },
    { from: null, to: 2000 },
    { from: 500, to: null },
  ];
  const STATS = [
    'weightTotal',
    'mean',
    'median',
    'min',
    'max',
    'maxMinRatio',
    'range',
    'cv',
    'gini',
    'theilT',
    'theilL',
    'quintileShareRatio',
  ] as const;
  const GROUP_STATS = [
    'n',
    'weightTotal',
    'mean',
    'gini',
    'theilT',
    'theilL',
    'incomeShare',
    'populationShare',
  ] as const;

  it('integer weights give the same results as replicated rows', () => {
    const rnd = mulberry32(42);
    for (let trial = 0; trial < 200; trial++) {
      const s = sample(rnd, 1 + Math.floor(rnd() * 40), { nonPositive: trial % 2 === 0, missing: trial % 3 === 0 });
      const rows: number[] = [];
      const rowGroups: number[] = [];
      s.values.forEach((y, i) => {
        for (let c = 0; c < s.weights[i]!; c++) {
          rows.push(y);
          rowGroups.push(s.groups[i]!);
        }
      });
      const opts = { brackets: BRACKETS, groupCount: s.groupCount };
      const weighted = inequality(s.values, s.weights, { ...opts, groups: s.groups });
      const replicated = inequality(f64(rows), undefined, { ...opts, groups: Int32Array.from(rowGroups) });
      for (const k of STATS) expectRel(weighted[k], replicated[k], `trial ${trial} ${k}`);
      weighted.brackets.forEach((b, k) => expectRel(b.share, replicated.brackets[k]!.share, `bracket ${k}`));
      weighted.groups!.forEach((g, k) => {
        const h = replicated.groups![k]!;
        // n counts rows, so only units of weight 1 compare; the rest must agree.
        for (const key of GROUP_STATS) if (key !== 'n') expectRel(g[key], h[key], `trial ${trial} group ${k} ${key}`);
      });
      for (const m of ['theilT', 'theilL'] as const) {
        for (const p of ['within', 'between'] as const) {
          expectRel(weighted.decomposition![m][p], replicated.decomposition![m][p], `trial ${trial} ${m} ${p}`);
        }
      }
    }
  });

  it('scaling every value by a positive constant leaves Gini, Theil T/L, CV and S80/S20 unchanged', () => {
    const rnd = mulberry32(7);
    for (let trial = 0; trial < 100; trial++) {
      const s = sample(rnd, 2 + Math.floor(rnd() * 50), { nonPositive: trial % 2 === 0 });
      const c = [0.37, 1234.5, 1e-3, 7][trial % 4]!;
      const a = inequality(s.values, s.weights);
      const b = inequality(
        s.values.map((y) => c * y),
        s.weights,
      );
      for (const k of ['gini', 'theilT', 'theilL', 'cv', 'quintileShareRatio', 'maxMinRatio'] as const) {
        expectRel(b[k], a[k], `trial ${trial} ${k}`);
      }
      expectRel(b.median, c * a.median, `trial ${trial} median`);
    }
  });

  it('within + between = total, for Theil T and Theil L, weighted and with empty groups', () => {
    const rnd = mulberry32(2024);
    for (let trial = 0; trial < 200; trial++) {
      const s = sample(rnd, 1 + Math.floor(rnd() * 60), { nonPositive: trial % 2 === 1, missing: trial % 5 === 0 });
      const r = inequality(s.values, s.weights, { groups: s.groups, groupCount: s.groupCount + 1 });
      const d = r.decomposition!;
      expectRel(d.theilT.within + d.theilT.between, r.theilT, `trial ${trial} T`);
      expectRel(d.theilL.within + d.theilL.between, r.theilL, `trial ${trial} L`);
      const sumT = r.groups!.reduce((acc, g) => acc + g.theilTContribution.total, 0);
      const sumL = r.groups!.reduce((acc, g) => acc + g.theilLContribution.total, 0);
      expectRel(sumT, r.theilT, `trial ${trial} Σ contributions T`);
      expectRel(sumL, r.theilL, `trial ${trial} Σ contributions L`);
      expect(r.groups![s.groupCount]!.n).toBe(0); // the extra group is empty
    }
  });

  it('the O(n log n) Gini equals the pairwise formula (total and per group)', () => {
    const rnd = mulberry32(99);
    for (let trial = 0; trial < 100; trial++) {
      const s = sample(rnd, 1 + Math.floor(rnd() * 80), { nonPositive: true, missing: true });
      const weights = trial % 2 === 0 ? s.weights.map((w) => w * rnd() * 3) : s.weights; // fractional too
      const r = inequality(s.values, weights, { groups: s.groups, groupCount: s.groupCount });
      expectRel(r.gini, naiveGini(s.values, weights), `trial ${trial} gini`);
      for (let g = 0; g < s.groupCount; g++) {
        const members = s.values.map((y, i) => (s.groups[i] === g ? y : NaN));
        expectRel(r.groups![g]!.gini, naiveGini(members, weights), `trial ${trial} group ${g}`);
      }
    }
  });

  it('past the radix-sort threshold the results still match the definitions', () => {
    const rnd = mulberry32(5);
    const s = sample(rnd, 3000, { nonPositive: true, missing: true });
    const r = inequality(s.values, s.weights);
    expectRel(r.gini, naiveGini(s.values, s.weights), 'gini');
    // Median by its definition, from a plain sort of (value, weight) pairs.
    const pairs = [...s.values]
      .map((y, i) => [y, s.weights[i]!] as const)
      .filter(([y, w]) => !Number.isNaN(y) && w > 0)
      .sort((p, q) => p[0] - q[0]);
    const total = pairs.reduce((acc, [, w]) => acc + w, 0);
    let cum = 0;
    const median = pairs.find(([, w]) => (cum += w) * 2 >= total)![0];
    expect(r.median).toBe(median);
  });
});
