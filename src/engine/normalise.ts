/**
 * Normalisation: indicator values in their own units → comparable scores, direction-aware
 * (`up`: higher is better, `down`: lower is better). Three methods:
 *
 * - **Progress to target** (达标进度), 0–100 capped: 0 at the base value, 100 at the target, linear
 *   between, capped to [0, 100]. Achieved = (x − base) for `up`, (base − x) for `down`; required =
 *   (target − base) for `up`, (base − target) for `down`; progress = 100 · achieved / required.
 *   When the target asks for no improvement over the base (required ≤ 0: a ceiling or floor that is
 *   already met, e.g. 失业率控制在3.5%以内 when it stands at 3.0%) progress is all or nothing:
 *   100 when the value is at or on the good side of the target, else 0.
 * - **Min–max across units** (极差标准化): (x − min)/(max − min) for `up`, (max − x)/(max − min) for
 *   `down`, so the best unit scores 1 and the worst 0. When every unit has the same value
 *   (max = min, one unit included) every unit scores **1**: nobody is behind the best, and a
 *   constant criterion then shifts every composite by the same amount and changes no rank.
 * - **z-score** (标准分): (x − μ)/σ for `up`, (μ − x)/σ for `down`, with the population standard
 *   deviation σ = √(Σ(x − μ)²/n). When σ = 0 every unit scores 0 (it sits at the mean).
 *
 * Missing values (NaN) stay NaN and are left out of min, max, μ and σ; a column with no value at
 * all comes back all NaN.
 *
 * Also here: the decision matrix (units × criteria, row-major Float64Array) shared by weights,
 * TOPSIS and the composite index, and the error that names a bad cell of it.
 */
import type { Direction } from '../domain/plan.js';

/** Column-wise normalisations across units. */
export const NORMALISATIONS = ['minmax', 'zscore'] as const;
export type Normalisation = (typeof NORMALISATIONS)[number];

/** Units (rows) × criteria (columns), row-major: the value of unit u in criterion c is `values[u * criteria + c]`. */
export interface DecisionMatrix {
  readonly values: Float64Array;
  readonly units: number;
  readonly criteria: number;
  /** One per criterion. */
  readonly directions: readonly Direction[];
}

/** A value of a decision matrix that a method cannot take (e.g. a negative value for entropy); indices from 0. */
export class MatrixValueError extends RangeError {
  override name = 'MatrixValueError';
  constructor(
    message: string,
    readonly unit: number,
    readonly criterion: number,
  ) {
    super(message);
  }
}

const isMissing = (x: number) => Number.isNaN(x);

/** A decision matrix from rows of numbers (tests, small inputs). */
export function decisionMatrix(rows: readonly (readonly number[])[], directions: readonly Direction[]): DecisionMatrix {
  const units = rows.length;
  const criteria = directions.length;
  const values = new Float64Array(units * criteria);
  rows.forEach((row, u) => {
    if (row.length !== criteria)
      throw new RangeError(`row ${u + 1} has ${row.length} values; there are ${criteria} criteria`);
    values.set(row, u * criteria);
  });
  return { values, units, criteria, directions };
}

/** Throws unless the shape of `m` holds together. */
export function checkMatrix(m: DecisionMatrix): void {
  if (!Number.isInteger(m.units) || m.units < 0 || !Number.isInteger(m.criteria) || m.criteria < 0)
    throw new RangeError('units and criteria must be whole numbers ≥ 0');
  if (m.values.length !== m.units * m.criteria)
    throw new RangeError(
      `a ${m.units} × ${m.criteria} matrix needs ${m.units * m.criteria} values, not ${m.values.length}`,
    );
  if (m.directions.length !== m.criteria)
    throw new RangeError(`${m.directions.length} directions for ${m.criteria} criteria`);
}

/** Column c of the matrix, as a copy. */
export function column(m: DecisionMatrix, c: number): Float64Array {
  const out = new Float64Array(m.units);
  for (let u = 0; u < m.units; u++) out[u] = m.values[u * m.criteria + c]!;
  return out;
}

/** Progress from `base` towards `target`, 0–100 capped (see the module note); NaN when any input is NaN. */
export function progressToTarget(value: number, base: number, target: number, direction: Direction): number {
  if (isMissing(value) || isMissing(base) || isMissing(target)) return NaN;
  const sign = direction === 'up' ? 1 : -1;
  const required = sign * (target - base);
  if (!(required > 0)) return sign * (value - target) >= 0 ? 100 : 0;
  const progress = (100 * sign * (value - base)) / required;
  return progress <= 0 ? 0 : progress >= 100 ? 100 : progress;
}

/** `progressToTarget` over a column; base and target are one number for all units or one per unit. */
export function progressToTargetColumn(
  values: Float64Array,
  base: number | Float64Array,
  target: number | Float64Array,
  direction: Direction,
): Float64Array {
  const n = values.length;
  if (typeof base !== 'number' && base.length !== n) throw new RangeError(`${base.length} base values for ${n} units`);
  if (typeof target !== 'number' && target.length !== n)
    throw new RangeError(`${target.length} target values for ${n} units`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const b = typeof base === 'number' ? base : base[i]!;
    const t = typeof target === 'number' ? target : target[i]!;
    out[i] = progressToTarget(values[i]!, b, t, direction);
  }
  return out;
}

/** Min and max of the present values of several columns together; NaN, NaN when there are none. */
function range(columns: readonly Float64Array[]): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const values of columns)
    for (let i = 0; i < values.length; i++) {
      const x = values[i]!;
      if (isMissing(x)) continue;
      if (x < min) min = x;
      if (x > max) max = x;
    }
  return min === Infinity ? [NaN, NaN] : [min, max];
}

function minMaxWith(values: Float64Array, min: number, max: number, direction: Direction): Float64Array {
  const out = new Float64Array(values.length);
  const span = max - min;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (isMissing(x) || isMissing(min)) out[i] = NaN;
    else if (span === 0) out[i] = 1;
    else out[i] = direction === 'up' ? (x - min) / span : (max - x) / span;
  }
  return out;
}

/** Min–max across units: best 1, worst 0, all equal → 1 (see the module note). */
export function minMax(values: Float64Array, direction: Direction): Float64Array {
  const [min, max] = range([values]);
  return minMaxWith(values, min, max, direction);
}

/**
 * Min–max on one scale shared by several columns (e.g. the same indicator in the base year and now),
 * so that a change between them is progress and not just a change of position among units.
 */
export function minMaxPooled(columns: readonly Float64Array[], direction: Direction): Float64Array[] {
  const [min, max] = range(columns);
  return columns.map((values) => minMaxWith(values, min, max, direction));
}

/** z-score with the population σ; σ = 0 → 0 (see the module note). */
export function zScore(values: Float64Array, direction: Direction): Float64Array {
  let n = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (isMissing(x)) continue;
    n++;
    sum += x;
  }
  const out = new Float64Array(values.length);
  if (n === 0) return out.fill(NaN);
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (!isMissing(x)) squares += (x - mean) * (x - mean);
  }
  const sd = Math.sqrt(squares / n);
  const sign = direction === 'up' ? 1 : -1;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    out[i] = isMissing(x) ? NaN : sd === 0 ? 0 : (sign * (x - mean)) / sd;
  }
  return out;
}

/** One column by the named method. */
export function normaliseColumn(values: Float64Array, direction: Direction, method: Normalisation): Float64Array {
  switch (method) {
    case 'minmax':
      return minMax(values, direction);
    case 'zscore':
      return zScore(values, direction);
  }
}

/**
 * Every column by the named method. The result's criteria all point `up` (the method has already
 * turned `down` criteria round), so it can go straight into entropy weights, TOPSIS or a weighted sum.
 */
export function normaliseMatrix(m: DecisionMatrix, method: Normalisation): DecisionMatrix {
  checkMatrix(m);
  const values = new Float64Array(m.values.length);
  for (let c = 0; c < m.criteria; c++) {
    const normalised = normaliseColumn(column(m, c), m.directions[c]!, method);
    for (let u = 0; u < m.units; u++) values[u * m.criteria + c] = normalised[u]!;
  }
  return { values, units: m.units, criteria: m.criteria, directions: m.directions.map(() => 'up' as const) };
}
