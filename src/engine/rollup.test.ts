import { describe, expect, it } from 'vitest';
import { PERIOD_AGGREGATIONS, aggregation } from '../domain/plan.js';
import { periodAxis } from '../domain/period.js';
import { buildOrgTree, childCount, unitIndex, type OrgTree, type OrgTreeRow } from './org-tree.js';
import {
  COMPUTED,
  MISSING,
  REPORTED,
  type AggregationMethod,
  type Rollup,
  type RollupRule,
  cellCoverage,
  discrepancies,
  rollUp,
  rollUpIndicators,
  rollUpPeriods,
  seededRandom,
  syntheticOrgRows,
  syntheticProvince,
  syntheticValues,
} from './rollup.js';

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
const N = NaN;

/**
 * The small tree of the known-answer tests: county R with towns A, B, C (leaves). Two periods.
 * Rows of a matrix are in unit order R, A, B, C.
 */
const tree3 = buildOrgTree([
  { code: 'R', parent: null, level: 'county' },
  { code: 'A', parent: 'R', level: 'town' },
  { code: 'B', parent: 'R', level: 'town' },
  { code: 'C', parent: 'R', level: 'town' },
]);
//                 R        A         B         C
const X = f64(N, N, 10, 20, 30, N, 60, N);
const W = f64(N, N, 1, 1, 2, 5, N, 4); // C has no weight in period 0
const NUM = f64(N, N, 10, 10, 30, 30, 60, N);
const DEN = f64(N, N, 1, 1, 2, 2, 3, 3);
const sumOf = (values: Float64Array) => rollUp(tree3, values, 2, { method: 'sum' });

function ruleFor(method: AggregationMethod): RollupRule {
  switch (method) {
    case 'sum':
    case 'mean':
    case 'none':
      return { method };
    case 'weightedMean':
      return { method, weights: W };
    case 'ratio':
      return { method, numerator: sumOf(NUM), denominator: sumOf(DEN) };
  }
}

/**
 * Expected roll-up of R, period 0 and period 1, worked by hand:
 * - sum: 10+30+60 = 100; period 1 only A: 20;
 * - mean: 100/3; 20/1;
 * - weightedMean: p0 A (w 1) and B (w 2), C has no weight: (1·10 + 2·30)/3 = 70/3; weights covered
 *   3 of the 3 known; p1 only A has a value: 20, weights covered 1 of 1+5+4 = 0.1;
 * - ratio: p0 ΣN/ΣD = 100/6 (the mean of the towns' ratios would be (10+15+20)/3 = 15); p1 N = 10+30
 *   (C missing), D = 1+2+3: 40/6, coverage the smaller of N's 2/3 and D's 1;
 * - none: nothing rolled up.
 */
const EXPECTED: Record<
  AggregationMethod,
  { rolledUp: [number, number]; reported: [number, number]; coverage: [number, number]; weight?: [number, number] }
> = {
  sum: { rolledUp: [100, 20], reported: [3, 1], coverage: [1, 1 / 3] },
  mean: { rolledUp: [100 / 3, 20], reported: [3, 1], coverage: [1, 1 / 3] },
  weightedMean: { rolledUp: [70 / 3, 20], reported: [2, 1], coverage: [2 / 3, 1 / 3], weight: [1, 0.1] },
  ratio: { rolledUp: [100 / 6, 40 / 6], reported: [3, 2], coverage: [1, 2 / 3] },
  none: { rolledUp: [N, N], reported: [0, 0], coverage: [N, N] },
};
// Every method of the plan schema, so that a new one cannot skip these tests.
const METHODS: AggregationMethod[] = aggregation.options.map((o) => o.shape.method.value);

describe.each(METHODS)('rollUp by %s on a county with three towns', (method) => {
  const e = EXPECTED[method];
  const input = method === 'ratio' ? f64(N, N, N, N, N, N, N, N) : X;
  const r = rollUp(tree3, input, 2, ruleFor(method));

  it('rolls the towns up into the county', () => {
    expect(r.method).toBe(method);
    expectAllRel(r.rolledUp.subarray(0, 2), e.rolledUp);
    expectAllRel(r.value.subarray(0, 2), e.rolledUp); // R reported nothing: value = rolled up
    expect(Array.from(r.origin.subarray(0, 2))).toEqual(method === 'none' ? [MISSING, MISSING] : [COMPUTED, COMPUTED]);
  });

  it('carries coverage', () => {
    expect(Array.from(r.childrenReported.subarray(0, 2))).toEqual(e.reported);
    expectAllRel(r.coverage.subarray(0, 2), e.coverage, 1e-7); // float32
    if (e.weight) expectAllRel(r.weightCoverage!.subarray(0, 2), e.weight, 1e-7);
    else expect(r.weightCoverage).toBeNull();
  });

  it('keeps what the towns reported', () => {
    if (method === 'ratio') {
      // A ratio is defined at the towns too: N/D of each town.
      expectAllRel(r.value.subarray(2), [10, 10, 15, 15, 20, N]);
      expect(Array.from(r.origin.subarray(2))).toEqual([COMPUTED, COMPUTED, COMPUTED, COMPUTED, COMPUTED, MISSING]);
      expectAllRel(r.coverage.subarray(2), [1, 1, 1, 1, 1, 0]);
    } else {
      expectAllRel(r.value.subarray(2), Array.from(X.subarray(2)));
      expect(Array.from(r.origin.subarray(2))).toEqual([REPORTED, REPORTED, REPORTED, MISSING, REPORTED, MISSING]);
      expectAllRel(r.rolledUp.subarray(2), [N, N, N, N, N, N]); // towns have no children
      expectAllRel(r.coverage.subarray(2), [N, N, N, N, N, N]);
    }
  });

  it('lets a reported county figure beat the computed one, and keeps both', () => {
    const reported = Float64Array.from(input);
    reported[0] = 90; // R reports 90 in period 0
    const rr = rollUp(tree3, reported, 2, ruleFor(method));
    expect(rr.value[0]).toBe(90);
    expect(rr.origin[0]).toBe(REPORTED);
    expectRel(rr.rolledUp[0]!, e.rolledUp[0]);
    expectRel(rr.value[1]!, e.rolledUp[1]);
    expect(reported[0]).toBe(90); // the input is not modified
    expect(Number.isNaN(reported[1])).toBe(true);
  });
});

describe('missing children and weights', () => {
  it('gives NaN, not 0, when no child has a value', () => {
    const r = rollUp(tree3, f64(N, N, N, N, N, N, N, N), 2, { method: 'sum' });
    expectAllRel(r.value.subarray(0, 2), [N, N]);
    expect(Array.from(r.origin.subarray(0, 2))).toEqual([MISSING, MISSING]);
    expect(Array.from(r.childrenReported.subarray(0, 2))).toEqual([0, 0]);
    expectAllRel(r.coverage.subarray(0, 2), [0, 0]);
  });

  it('leaves out a child whose weight is missing or negative, and all-zero weights give NaN', () => {
    // p0: A (w −1, left out), B (w 2), C (w NaN): 30; p1: weights all 0: NaN.
    const r = rollUp(tree3, f64(N, N, 10, 10, 30, 30, 60, 60), 2, {
      method: 'weightedMean',
      weights: f64(N, N, -1, 0, 2, 0, N, 0),
    });
    expectAllRel(r.rolledUp.subarray(0, 2), [30, N]);
    expect(Array.from(r.childrenReported.subarray(0, 2))).toEqual([1, 3]);
    expectAllRel(r.weightCoverage!.subarray(0, 2), [1, N]);
  });

  it('divides by a zero denominator into NaN, not Infinity', () => {
    const num = sumOf(f64(N, N, 1, 1, 2, 2, 3, 3));
    const den = sumOf(f64(N, N, 0, 0, 0, 0, 0, 1));
    const r = rollUp(tree3, f64(N, N, N, N, N, N, N, N), 2, { method: 'ratio', numerator: num, denominator: den });
    expectAllRel(r.value, [N, 6, N, N, N, N, N, 3]);
    expect(r.origin[0]).toBe(MISSING);
  });

  it('prefers a reported ratio and compares it with N/D', () => {
    const r = rollUp(tree3, f64(16, N, N, N, N, N, N, N), 2, {
      method: 'ratio',
      numerator: sumOf(NUM),
      denominator: sumOf(DEN),
    });
    expect(r.value[0]).toBe(16);
    expectRel(r.rolledUp[0]!, 100 / 6);
    expect(Array.from(discrepancies(r, 1e-6))).toEqual([0]);
    expect(Array.from(discrepancies(r, 0.05))).toEqual([]); // 16 vs 16.67 is within 5%
  });
});

/**
 * Three levels, one period, to show that coverage sees gaps below the children:
 *
 *   City ── County1 ── a (5), b (missing)
 *        ├─ County2 (reports 7) ── c (missing)
 *        └─ County3 (a leaf, reports 1)
 */
const tree4 = buildOrgTree([
  { code: 'City', parent: null, level: 'city' },
  { code: 'County1', parent: 'City', level: 'county' },
  { code: 'County2', parent: 'City', level: 'county' },
  { code: 'County3', parent: 'City', level: 'county' },
  { code: 'a', parent: 'County1', level: 'town' },
  { code: 'b', parent: 'County1', level: 'town' },
  { code: 'c', parent: 'County2', level: 'town' },
]);

describe('coverage through levels', () => {
  const r = rollUp(tree4, f64(N, N, 7, 1, 5, N, N), 1, { method: 'sum' });
  const at = (code: string) => unitIndex(tree4, code);

  it('counts the leaves covered, not only the children', () => {
    // County1: 5 from a; leaves a, b; a covered: 1/2.
    expect(r.value[at('County1')]).toBe(5);
    expectRel(r.coverage[at('County1')]!, 0.5);
    // County2 stands on its own report; its own roll-up has nothing.
    expect(r.value[at('County2')]).toBe(7);
    expect(r.origin[at('County2')]).toBe(REPORTED);
    expect(r.rolledUp[at('County2')]).toBeNaN();
    expect(r.coverage[at('County2')]).toBe(0);
    // City: 5 + 7 + 1 = 13 from all 3 counties, but only 3 of its 4 leaves (a; c via County2; County3).
    expect(r.value[at('City')]).toBe(13);
    expect(r.childrenReported[at('City')]).toBe(3);
    expectRel(r.coverage[at('City')]!, 0.75);
  });

  it('spells a cell out', () => {
    expect(cellCoverage(tree4, r, at('City'), 0)).toEqual({
      value: 13,
      rolledUp: 13,
      origin: 'computed',
      childrenReported: 3,
      children: 3,
      coverage: 0.75,
      weightCoverage: null,
    });
    expect(cellCoverage(tree4, r, at('b'), 0).origin).toBe('missing');
  });

  it('flags a reported total that differs from a complete roll-up only', () => {
    // County1 reports 6 but its roll-up is partial (b missing): not flagged by default.
    const withReport = rollUp(tree4, f64(N, 6, 7, 1, 5, N, N), 1, { method: 'sum' });
    expect(Array.from(discrepancies(withReport))).toEqual([]);
    expect(Array.from(discrepancies(withReport, 1e-6, 0.5))).toEqual([at('County1')]);
    // With b = 1, County1's 6 matches the full roll-up 5 + 1.
    const full = rollUp(tree4, f64(N, 6, 7, 1, 5, 1, N), 1, { method: 'sum' });
    expect(Array.from(discrepancies(full))).toEqual([]);
  });
});

describe('input checks', () => {
  it('refuses a matrix of the wrong size', () => {
    expect(() => rollUp(tree3, f64(1, 2, 3), 1, { method: 'sum' })).toThrow(/has 3 cells; 4 units × 1 periods need 4/);
    expect(() =>
      rollUp(tree3, new Float64Array(4), 1, { method: 'weightedMean', weights: new Float64Array(3) }),
    ).toThrow(/weight matrix/);
  });
});

describe('rollUpIndicators', () => {
  const specs = [
    { code: 'INC_PC', aggregation: { method: 'ratio', numerator: 'INC', denominator: 'POP' } },
    { code: 'RATE', aggregation: { method: 'weightedMean', weight: 'POP' } },
    { code: 'INC', aggregation: { method: 'sum' } },
    { code: 'POP', aggregation: { method: 'sum' } },
  ] as const;
  const data: Record<string, Float64Array> = {
    INC: f64(N, 100, 300, 600),
    POP: f64(N, 10, 20, 30),
    RATE: f64(N, 0.1, 0.2, 0.3),
  };

  it('rolls the weights and the parts of a ratio up first', () => {
    const out = rollUpIndicators(tree3, 1, specs, (code) => data[code]);
    expect([...out.keys()]).toEqual(['INC', 'POP', 'INC_PC', 'RATE']);
    expectRel(out.get('INC_PC')!.value[0]!, 1000 / 60);
    expectRel(out.get('RATE')!.value[0]!, (1 + 4 + 9) / 60); // Σ pop·rate / Σ pop
  });

  it('names an unknown indicator and a cycle', () => {
    expect(() =>
      rollUpIndicators(
        tree3,
        1,
        [{ code: 'A', aggregation: { method: 'weightedMean', weight: 'W' } }],
        () => undefined,
      ),
    ).toThrow(/indicator A rolls up with W, which is not among/);
    expect(() =>
      rollUpIndicators(
        tree3,
        1,
        [
          { code: 'A', aggregation: { method: 'weightedMean', weight: 'B' } },
          { code: 'B', aggregation: { method: 'ratio', numerator: 'C', denominator: 'A' } },
          { code: 'C', aggregation: { method: 'sum' } },
        ],
        () => undefined,
      ),
    ).toThrow(/cycle: A → B → A/);
  });
});

describe('rollUpPeriods', () => {
  // One unit, the 12 months of 2024: 1..12, with March and December missing in the second unit.
  const months = Array.from({ length: 12 }, (_, i) => i + 1);
  const gappy = months.map((m) => (m === 3 || m === 12 ? N : m));
  const values = f64(...months, ...gappy);
  const axis = periodAxis('202401', '202412');

  // By hand: Σ1..12 = 78; without 3 and 12: 63 over 10 months; the last present is 11 (November).
  it.each([
    ['sum', [78, 63]],
    ['mean', [6.5, 6.3]],
    ['last', [12, 11]],
  ] as const)('%s: months → year', (how, expected) => {
    const r = rollUpPeriods(values, 2, axis, 'year', how);
    expect(r.axis).toEqual({ type: 'year', start: 2024, length: 1 });
    expect(r.expected).toBe(12);
    expectAllRel(r.values, expected);
    expect(Array.from(r.present)).toEqual([12, 10]);
    expect(Array.from(r.complete)).toEqual([1, 0]);
    expect(Array.from(r.lastPresent)).toEqual([11, 10]); // December; November
  });

  it.each(PERIOD_AGGREGATIONS)('%s: months → quarters, with an empty quarter', (how) => {
    // Unit: Q1 1,2,3; Q2 missing; Q3 7,−,9; Q4 10,11,12.
    const v = f64(1, 2, 3, N, N, N, 7, N, 9, 10, 11, 12);
    const r = rollUpPeriods(v, 1, axis, 'quarter', how);
    expect(r.axis).toEqual({ type: 'quarter', start: 2024 * 4, length: 4 });
    const expected = { sum: [6, N, 16, 33], mean: [2, N, 8, 11], last: [3, N, 9, 12] }[how];
    expectAllRel(r.values, expected);
    expect(Array.from(r.present)).toEqual([3, 0, 2, 3]);
    expect(Array.from(r.complete)).toEqual([1, 0, 0, 1]);
    expect(Array.from(r.lastPresent)).toEqual([2, -1, 2, 2]);
  });

  it('marks years the axis only partly covers as incomplete', () => {
    // 202311 .. 202402: two months of 2023, two of 2024.
    const r = rollUpPeriods(f64(1, 2, 3, 4), 1, periodAxis('202311', '202402'), 'year', 'sum');
    expect(r.axis).toEqual({ type: 'year', start: 2023, length: 2 });
    expectAllRel(r.values, [3, 7]);
    expect(Array.from(r.complete)).toEqual([0, 0]);
    expect(Array.from(r.lastPresent)).toEqual([11, 1]);
  });

  it('rolls quarters into years and refuses to go finer', () => {
    const r = rollUpPeriods(f64(1, 2, 3, 4, 5), 1, periodAxis('2023Q4', '2024Q4'), 'year', 'last');
    expectAllRel(r.values, [1, 5]);
    expect(Array.from(r.present)).toEqual([1, 4]);
    expect(Array.from(r.complete)).toEqual([0, 1]);
    expect(() => rollUpPeriods(f64(1), 1, periodAxis('2024', '2024'), 'month', 'sum')).toThrow(/do not roll up/);
  });
});

/** A random tree with only leaves reporting, every period. */
function randomFullTree(seed: number): { tree: OrgTree; leaves: number[] } {
  const random = seededRandom(seed);
  const rows: OrgTreeRow[] = [{ code: 'U0', parent: null, level: 'root' }];
  for (let i = 1; i < 600; i++) rows.push({ code: `U${i}`, parent: `U${Math.floor(random() * i)}`, level: 'x' });
  const tree = buildOrgTree(rows);
  const leaves = Array.from({ length: tree.size }, (_, u) => u).filter((u) => childCount(tree, u) === 0);
  return { tree, leaves };
}

/** Σ over the leaves under each unit, by walking up from every leaf (independent of the roll-up). */
function leafSums(tree: OrgTree, leaves: number[], values: Float64Array, periods: number): Float64Array {
  const sums = new Float64Array(tree.size * periods);
  for (const leaf of leaves)
    for (let u = leaf; u >= 0; u = tree.parent[u]!)
      for (let p = 0; p < periods; p++) sums[u * periods + p]! += values[leaf * periods + p]!;
  return sums;
}

describe('properties on random full trees', () => {
  const P = 3;
  it.each([1, 2, 3, 4, 5])('seed %d: sum = Σ leaves; ratio = Σnum/Σden of leaves; coverage 1', (seed) => {
    const { tree, leaves } = randomFullTree(seed);
    const random = seededRandom(seed + 100);
    const num = new Float64Array(tree.size * P).fill(NaN);
    const den = new Float64Array(tree.size * P).fill(NaN);
    for (const leaf of leaves)
      for (let p = 0; p < P; p++) {
        num[leaf * P + p] = 1000 * random() - 200; // negatives too
        den[leaf * P + p] = 1 + 100 * random();
      }
    const sumNum = rollUp(tree, num, P, { method: 'sum' });
    const sumDen = rollUp(tree, den, P, { method: 'sum' });
    const ratio = rollUp(tree, new Float64Array(tree.size * P).fill(NaN), P, {
      method: 'ratio',
      numerator: sumNum,
      denominator: sumDen,
    });
    const expectedNum = leafSums(tree, leaves, num, P);
    const expectedDen = leafSums(tree, leaves, den, P);
    let worst = 0;
    let worstCoverage = 0;
    for (let i = 0; i < tree.size * P; i++) {
      const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1);
      worst = Math.max(
        worst,
        rel(sumNum.value[i]!, expectedNum[i]!),
        rel(ratio.value[i]!, expectedNum[i]! / expectedDen[i]!),
      );
      const u = Math.floor(i / P);
      if (childCount(tree, u) > 0) worstCoverage = Math.max(worstCoverage, Math.abs(1 - sumNum.coverage[i]!));
    }
    expect(worst).toBeLessThan(1e-9);
    expect(worstCoverage).toBe(0);
  });
});

describe('synthetic province', () => {
  it('is deterministic and about the size of Zhejiang', () => {
    const rows = syntheticOrgRows({ seed: 7 });
    expect(syntheticOrgRows({ seed: 7 })).toEqual(rows);
    expect(rows.length).toBeGreaterThan(20_000);
    expect(rows.length).toBeLessThan(35_000);
    expect(rows[0]).toEqual({ code: '33', parent: null, level: 'province' });
    expect(rows.at(-1)!.code).toMatch(/^33\d{10}$/);
    const { tree, values } = syntheticProvince({ seed: 7, periods: 2 });
    expect(values).toEqual(syntheticValues(tree, 2, { seed: 7 }));
    expect(values).toHaveLength(tree.size * 2);
  });

  it('rolls up with full coverage when every leaf reports', () => {
    const { tree } = syntheticProvince({ fanout: [3, 4], periods: 1 });
    const values = syntheticValues(tree, 1, { leafReported: 1, parentReported: 0 });
    const r: Rollup = rollUp(tree, values, 1, { method: 'sum' });
    expect(r.coverage[0]).toBe(1);
    const leaves = Array.from({ length: tree.size }, (_, u) => u).filter((u) => childCount(tree, u) === 0);
    expectRel(
      r.value[0]!,
      leaves.reduce((s, u) => s + values[u]!, 0),
    );
  });
});
