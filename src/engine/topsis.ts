/**
 * TOPSIS, technique for order preference by similarity to ideal solution (逼近理想解排序法;
 * Hwang & Yoon 1981, Multiple Attribute Decision Making: Methods and Applications, Springer):
 *
 * 1. vector normalisation r_ij = x_ij / √(Σ_i x_ij²);
 * 2. weighting v_ij = w_j · r_ij;
 * 3. ideal best A⁺ and ideal worst A⁻ per criterion: max and min of v for `up`, min and max for `down`;
 * 4. Euclidean distances D⁺_i = √(Σ_j (v_ij − A⁺_j)²) and D⁻_i = √(Σ_j (v_ij − A⁻_j)²);
 * 5. relative closeness C_i = D⁻_i / (D⁺_i + D⁻_i), in [0, 1], higher is better.
 *
 * Conventions:
 * - values must be ≥ 0 (vector normalisation assumes a ratio scale with a true zero); a negative
 *   value is a `MatrixValueError` — min–max normalise first rather than shift silently;
 * - a unit with a missing value (NaN) in any criterion is left out: its closeness and distances
 *   are NaN and it does not count in the column norms or the ideals of the others;
 * - a column of zeros has norm 0 and contributes 0 to every distance;
 * - when D⁺ = D⁻ = 0 (every unit equal on every weighted criterion, one unit included) the
 *   closeness is 1: every unit is at the ideal — the same rule as min–max's "all equal → 1".
 * The weights are used as given (not rescaled): scaling all weights by one factor scales D⁺ and D⁻
 * alike and leaves the closeness unchanged.
 */
import { checkMatrix, MatrixValueError, type DecisionMatrix } from './normalise.js';

export interface TopsisResult {
  /** C_i; NaN for units left out. */
  closeness: Float64Array;
  distanceToBest: Float64Array;
  distanceToWorst: Float64Array;
  /** A⁺ and A⁻, one per criterion (weighted, normalised). */
  idealBest: Float64Array;
  idealWorst: Float64Array;
  /** √(Σ_i x_ij²) over the units taken in. */
  columnNorms: Float64Array;
  /** v_ij, units × criteria row-major; NaN rows for units left out. */
  weighted: Float64Array;
  /** Whether each unit was taken in (1) or left out for a missing value (0). */
  included: Uint8Array;
  weights: Float64Array;
}

export function topsis(m: DecisionMatrix, weights: ArrayLike<number>): TopsisResult {
  checkMatrix(m);
  const { units, criteria: k, values } = m;
  if (weights.length !== k) throw new RangeError(`${weights.length} weights for ${k} criteria`);
  const w = Float64Array.from(weights);
  w.forEach((x, c) => {
    if (!Number.isFinite(x) || x < 0)
      throw new RangeError(`the weight of criterion ${c + 1} must be a number ≥ 0, not ${x}`);
  });

  const included = new Uint8Array(units);
  for (let u = 0; u < units; u++) {
    let complete = 1;
    for (let c = 0; c < k; c++) {
      const x = values[u * k + c]!;
      if (Number.isNaN(x)) complete = 0;
      else if (x < 0)
        throw new MatrixValueError(
          `unit ${u + 1}, criterion ${c + 1}: ${x} is negative; TOPSIS needs values ≥ 0 (min–max normalise first)`,
          u,
          c,
        );
    }
    included[u] = complete;
  }

  const columnNorms = new Float64Array(k);
  for (let u = 0; u < units; u++) {
    if (!included[u]) continue;
    for (let c = 0; c < k; c++) columnNorms[c]! += values[u * k + c]! ** 2;
  }
  for (let c = 0; c < k; c++) columnNorms[c] = Math.sqrt(columnNorms[c]!);

  const weighted = new Float64Array(units * k).fill(NaN);
  const idealBest = new Float64Array(k).fill(NaN);
  const idealWorst = new Float64Array(k).fill(NaN);
  for (let u = 0; u < units; u++) {
    if (!included[u]) continue;
    for (let c = 0; c < k; c++) {
      const norm = columnNorms[c]!;
      const v = norm === 0 ? 0 : (w[c]! * values[u * k + c]!) / norm;
      weighted[u * k + c] = v;
      const best = idealBest[c]!;
      const worst = idealWorst[c]!;
      const up = m.directions[c] === 'up';
      if (Number.isNaN(best) || (up ? v > best : v < best)) idealBest[c] = v;
      if (Number.isNaN(worst) || (up ? v < worst : v > worst)) idealWorst[c] = v;
    }
  }

  const closeness = new Float64Array(units).fill(NaN);
  const distanceToBest = new Float64Array(units).fill(NaN);
  const distanceToWorst = new Float64Array(units).fill(NaN);
  for (let u = 0; u < units; u++) {
    if (!included[u]) continue;
    let toBest = 0;
    let toWorst = 0;
    for (let c = 0; c < k; c++) {
      const v = weighted[u * k + c]!;
      toBest += (v - idealBest[c]!) ** 2;
      toWorst += (v - idealWorst[c]!) ** 2;
    }
    const dBest = Math.sqrt(toBest);
    const dWorst = Math.sqrt(toWorst);
    distanceToBest[u] = dBest;
    distanceToWorst[u] = dWorst;
    closeness[u] = dBest + dWorst === 0 ? 1 : dWorst / (dBest + dWorst);
  }

  return {
    closeness,
    distanceToBest,
    distanceToWorst,
    idealBest,
    idealWorst,
    columnNorms,
    weighted,
    included,
    weights: w,
  };
}
