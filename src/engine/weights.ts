/**
 * Criterion weights, three ways:
 *
 * - **Fixed** weights given by a person, scaled to sum to 1. Negative, missing or infinite weights,
 *   and weights that sum to 0, are refused.
 * - **AHP** (层次分析法), the eigenvector method of Saaty (1977, 1980): the weights are the principal
 *   (Perron) eigenvector w of the pairwise comparison matrix A (A w = λmax w, Σ w = 1), found by power
 *   iteration until no weight moves by more than 1e-12 (exactly for n ≤ 2). Consistency index
 *   CI = (λmax − n)/(n − 1) and consistency ratio CR = CI / RI(n), with Saaty's random index RI below.
 *   A matrix with CR > 0.1 is refused (`InconsistentJudgementsError`) unless `force` is set. For
 *   n ≤ 2, RI = 0 and CR is reported as 0: a reciprocal 2 × 2 matrix is always consistent.
 *   The matrix must be positive with a diagonal of 1 and reciprocal: a_ij · a_ji = 1 within
 *   `reciprocityTolerance` (default 0.01, so that 0.333 for 1/3 and 0.143 for 1/7 pass while a
 *   wrong entry does not). The weights are those of the matrix as given.
 * - **Entropy weight method** (熵权法; Shannon entropy as a measure of how much a criterion separates
 *   the units — Hwang & Yoon 1981, on assessing attribute weights; Zeleny 1982): optionally
 *   min–max normalise first (direction-aware, see normalise.ts), then p_ij = x_ij / Σ_i x_ij,
 *   e_j = −(1/ln n) Σ_i p_ij ln p_ij with 0 · ln 0 = 0, and w_j = (1 − e_j) / Σ_k (1 − e_k).
 *   Conventions: values must be ≥ 0 (a negative value is a `MatrixValueError`: normalise first,
 *   nothing is shifted silently); each column uses its present values (n = that column's count);
 *   a column that cannot separate units — fewer than two values (one unit included), all values
 *   equal, or all zero — has e_j = 1 and weight 0; when no column separates the units
 *   (Σ(1 − e) = 0) every criterion gets the same weight 1/m.
 *
 * Saaty's random index RI(n), n = 1 … 15: 0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49,
 * 1.51, 1.48, 1.56, 1.57, 1.59 — T. L. Saaty, The Analytic Hierarchy Process, McGraw-Hill, 1980
 * (average CI of random reciprocal matrices on the 1/9 … 9 scale). Checked by simulation (20,000
 * random matrices per n, scale values drawn uniformly): 0.52, 0.89, 1.11, 1.25, 1.34, 1.41, 1.45,
 * 1.49, 1.52, 1.54, 1.56, 1.57, 1.58 for n = 3 … 15 — within 0.02 of the table except n = 3
 * (0.52; Saaty's later tables also give 0.52) and n = 12 (1.54, where the 1980 table's 1.48 breaks
 * the rise with n). We keep Saaty's 1980 values, the ones the CR < 0.1 rule was set against and
 * the ones Chinese evaluation practice uses.
 */
import { checkMatrix, minMax, column, MatrixValueError, type DecisionMatrix } from './normalise.js';

/** Fixed weights scaled to sum to 1. */
export function fixedWeights(raw: ArrayLike<number>): Float64Array {
  const n = raw.length;
  if (n === 0) throw new RangeError('no weights given');
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const w = raw[i]!;
    if (!Number.isFinite(w)) throw new RangeError(`weight ${i + 1} is not a number (${w})`);
    if (w < 0) throw new RangeError(`weight ${i + 1} is negative (${w})`);
    sum += w;
  }
  if (sum === 0) throw new RangeError('the weights sum to 0');
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = raw[i]! / sum;
  return out;
}

/** Equal weights 1/n. */
export function equalWeights(n: number): Float64Array {
  return new Float64Array(n).fill(1 / n);
}

/** RI(n) for n = 1 … 15, index n − 1 (Saaty 1980; see the module note). */
export const SAATY_RANDOM_INDEX: readonly number[] = Object.freeze([
  0, 0, 0.58, 0.9, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59,
]);

/** Saaty's random index for an n × n matrix; throws beyond the table (n > 15). */
export function randomIndex(n: number): number {
  const ri = SAATY_RANDOM_INDEX[n - 1];
  if (!Number.isInteger(n) || ri === undefined)
    throw new RangeError(`Saaty's random index is tabulated for 1 to 15 criteria, not ${n}`);
  return ri;
}

/** The consistency ratio above which AHP judgements are refused (Saaty's 10% rule). */
export const MAX_CONSISTENCY_RATIO = 0.1;

export interface AhpOptions {
  /** Accept a matrix whose CR is above `maxCr`. */
  force?: boolean;
  /** Default 0.1. */
  maxCr?: number;
  /** Largest accepted |a_ij · a_ji − 1| and |a_ii − 1|; default 0.01. */
  reciprocityTolerance?: number;
}

export interface AhpResult {
  /** The principal eigenvector, summing to 1. */
  weights: Float64Array;
  lambdaMax: number;
  /** (λmax − n)/(n − 1); 0 for n = 1. */
  ci: number;
  /** Saaty's random index for n. */
  ri: number;
  /** CI / RI; 0 for n ≤ 2. */
  cr: number;
  n: number;
  /** Power-iteration steps (0 when solved exactly). */
  iterations: number;
  /** cr ≤ maxCr. */
  consistent: boolean;
}

/** The judgements are too inconsistent (CR above the limit) and `force` was not set; carries the result. */
export class InconsistentJudgementsError extends RangeError {
  override name = 'InconsistentJudgementsError';
  constructor(
    readonly result: AhpResult,
    readonly maxCr: number,
  ) {
    super(
      `the consistency ratio CR = ${result.cr.toFixed(3)} is above ${maxCr}: the pairwise comparisons are inconsistent`,
    );
  }
}

const CONVERGENCE = 1e-12;
const MAX_ITERATIONS = 100_000;

/** Checks an AHP matrix: square, positive, finite, diagonal 1, reciprocal; names the first bad cell (from 1). */
export function checkPairwiseMatrix(a: readonly (readonly number[])[], tolerance = 0.01): void {
  const n = a.length;
  if (n === 0) throw new RangeError('the comparison matrix is empty');
  a.forEach((row, i) => {
    if (row.length !== n) throw new RangeError(`row ${i + 1} has ${row.length} entries; the matrix has ${n} rows`);
    row.forEach((x, j) => {
      if (!Number.isFinite(x) || x <= 0)
        throw new RangeError(`row ${i + 1}, column ${j + 1}: ${x} is not a positive number`);
    });
  });
  for (let i = 0; i < n; i++) {
    const d = a[i]![i]!;
    if (Math.abs(d - 1) > tolerance)
      throw new RangeError(`row ${i + 1}, column ${i + 1}: the diagonal must be 1, not ${d}`);
    for (let j = i + 1; j < n; j++) {
      const x = a[i]![j]!;
      const y = a[j]![i]!;
      if (Math.abs(x * y - 1) > tolerance)
        throw new RangeError(
          `row ${i + 1}, column ${j + 1} (${x}) and row ${j + 1}, column ${i + 1} (${y}) are not reciprocal: their product should be 1`,
        );
    }
  }
}

/** AHP weights, λmax, CI and CR of a pairwise comparison matrix (see the module note). */
export function ahpWeights(a: readonly (readonly number[])[], options: AhpOptions = {}): AhpResult {
  const maxCr = options.maxCr ?? MAX_CONSISTENCY_RATIO;
  checkPairwiseMatrix(a, options.reciprocityTolerance ?? 0.01);
  const n = a.length;
  const ri = randomIndex(n);

  let weights: Float64Array;
  let lambdaMax: number;
  let iterations = 0;
  if (n === 1) {
    weights = Float64Array.of(1);
    lambdaMax = a[0]![0]!;
  } else if (n === 2) {
    // [[1, x], [y, 1]] has eigenvalues 1 ± √(xy); the principal eigenvector is (√x, √y).
    const x = a[0]![1]!;
    const y = a[1]![0]!;
    const sx = Math.sqrt(x);
    const sy = Math.sqrt(y);
    weights = Float64Array.of(sx / (sx + sy), sy / (sx + sy));
    lambdaMax = 1 + Math.sqrt(x * y);
  } else {
    // Start from the row geometric means (already close for nearly consistent matrices).
    weights = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let logSum = 0;
      for (let j = 0; j < n; j++) logSum += Math.log(a[i]![j]!);
      weights[i] = Math.exp(logSum / n);
    }
    scaleToSum1(weights);
    const next = new Float64Array(n);
    for (;;) {
      multiply(a, weights, next);
      scaleToSum1(next);
      let change = 0;
      for (let i = 0; i < n; i++) change = Math.max(change, Math.abs(next[i]! - weights[i]!));
      weights.set(next);
      iterations++;
      if (change <= CONVERGENCE) break;
      if (iterations >= MAX_ITERATIONS) throw new Error('AHP power iteration did not converge');
    }
    // With Σw = 1, A w = λ w gives Σ(A w) = λ.
    multiply(a, weights, next);
    lambdaMax = next.reduce((s, x) => s + x, 0);
  }

  const ci = n === 1 ? 0 : (lambdaMax - n) / (n - 1);
  const cr = ri === 0 ? 0 : ci / ri;
  const result: AhpResult = { weights, lambdaMax, ci, ri, cr, n, iterations, consistent: cr <= maxCr };
  if (!result.consistent && !options.force) throw new InconsistentJudgementsError(result, maxCr);
  return result;
}

function multiply(a: readonly (readonly number[])[], x: Float64Array, out: Float64Array): void {
  for (let i = 0; i < x.length; i++) {
    const row = a[i]!;
    let s = 0;
    for (let j = 0; j < x.length; j++) s += row[j]! * x[j]!;
    out[i] = s;
  }
}

function scaleToSum1(x: Float64Array): void {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  for (let i = 0; i < x.length; i++) x[i] = x[i]! / s;
}

export const ENTROPY_NORMALISATIONS = ['none', 'minmax'] as const;
export type EntropyNormalisation = (typeof ENTROPY_NORMALISATIONS)[number];

export interface EntropyResult {
  /** w_j, summing to 1. */
  weights: Float64Array;
  /** e_j in [0, 1]. */
  entropy: Float64Array;
  /** 1 − e_j, the degree of divergence (差异系数). */
  divergence: Float64Array;
  /** Units with a value in each criterion (the n of that column). */
  present: Int32Array;
  normalisation: EntropyNormalisation;
}

/** Entropy weights of the criteria of `m` (see the module note). Default: no normalisation. */
export function entropyWeights(m: DecisionMatrix, options: { normalise?: EntropyNormalisation } = {}): EntropyResult {
  checkMatrix(m);
  const normalisation = options.normalise ?? 'none';
  const k = m.criteria;
  const entropy = new Float64Array(k);
  const divergence = new Float64Array(k);
  const present = new Int32Array(k);

  for (let c = 0; c < k; c++) {
    const raw = column(m, c);
    const x = normalisation === 'minmax' ? minMax(raw, m.directions[c]!) : raw;
    let n = 0;
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let u = 0; u < x.length; u++) {
      const v = x[u]!;
      if (Number.isNaN(v)) continue;
      if (v < 0)
        throw new MatrixValueError(
          `unit ${u + 1}, criterion ${c + 1}: ${v} is negative; the entropy weight method needs values ≥ 0 (min–max normalise first)`,
          u,
          c,
        );
      n++;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    present[c] = n;
    let e = 1;
    // Fewer than two values, all equal, or all zero: nothing to tell the units apart (e = 1).
    if (n >= 2 && max > min) {
      let h = 0;
      for (let u = 0; u < x.length; u++) {
        const v = x[u]!;
        if (Number.isNaN(v) || v === 0) continue; // 0 · ln 0 = 0
        const p = v / sum;
        h -= p * Math.log(p);
      }
      e = Math.min(1, h / Math.log(n));
    }
    entropy[c] = e;
    divergence[c] = 1 - e;
  }

  const total = divergence.reduce((s, d) => s + d, 0);
  const weights = total > 0 ? divergence.map((d) => d / total) : equalWeights(k);
  return { weights, entropy, divergence, present, normalisation };
}
