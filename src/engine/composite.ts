/**
 * Composite index (综合指数): a two-level weighted arithmetic mean — the linear (additive)
 * aggregation of OECD/JRC, Handbook on Constructing Composite Indicators (2008).
 *
 * - Dimension sub-index of unit u in dimension d (e.g. one of the plan's eight goal areas): the
 *   weighted mean of u's normalised indicator scores s_i over the indicators i of d,
 *   S_ud = Σ_{i present} w_i s_i / Σ_{i present} w_i. Missing indicators (NaN) are left out and the
 *   weights of those present are scaled up to sum to 1 — the mean of what is known, not a 0 for what
 *   is not. Coverage_ud = Σ_{i present} w_i / Σ_{i in d} w_i (share of the dimension's weight that
 *   has data) says how far to trust it. Below `minDimensionCoverage` (default 0: any data) the
 *   sub-index is NaN.
 * - Overall index of u: the weighted mean of its dimension sub-indices by the dimension weights,
 *   with the same re-weighting over the dimensions that have a sub-index, and coverage
 *   Σ_{d with a sub-index} W_d / Σ_d W_d. Below `minIndexCoverage` (default 0) it is NaN.
 * - A dimension with no indicators, or whose indicators all weigh 0, has no sub-index (coverage 0)
 *   and still counts in the index coverage: give it weight 0 to leave it out on purpose.
 *
 * Scores must already point the same way (higher is better) and share one scale, e.g. progress to
 * target 0–100 or min–max 0–1 (normalise.ts); the index is on that scale. Inputs are columnar:
 * periods × units × indicators, row-major. `explainComposite` turns one unit and period back into
 * its parts — each indicator's score, nominal and effective weight and contribution — so the UI can
 * show why an index is what it is.
 */

export interface CompositeInput {
  /** periods × units × indicators, row-major: `scores[(p * units + u) * indicators + i]`; NaN = missing. */
  scores: Float64Array;
  /** Default 1. */
  periods?: number;
  units: number;
  indicators: number;
  dimensions: number;
  /** The dimension (0 … dimensions − 1) of each indicator. */
  indicatorDimension: ArrayLike<number>;
  /** Weight of each indicator within its dimension, ≥ 0; default all equal. Scaled within each dimension. */
  indicatorWeights?: ArrayLike<number>;
  /** Weight of each dimension, ≥ 0; default all equal. Scaled to sum to 1. */
  dimensionWeights?: ArrayLike<number>;
  /** 0 … 1; default 0. */
  minDimensionCoverage?: number;
  /** 0 … 1; default 0. */
  minIndexCoverage?: number;
}

export interface CompositeResult {
  periods: number;
  units: number;
  indicators: number;
  dimensions: number;
  /** The inputs, kept for explanations. */
  scores: Float64Array;
  indicatorDimension: Int32Array;
  /** Nominal weight of each indicator within its dimension (sums to 1 per dimension with weight). */
  indicatorWeights: Float64Array;
  /** Nominal dimension weights (sum to 1). */
  dimensionWeights: Float64Array;
  /** periods × units × dimensions. */
  subIndex: Float64Array;
  /** periods × units × dimensions, 0 … 1. */
  coverage: Float64Array;
  /** periods × units. */
  index: Float64Array;
  /** periods × units, 0 … 1. */
  indexCoverage: Float64Array;
}

function checkWeights(w: ArrayLike<number>, n: number, what: string): Float64Array {
  if (w.length !== n) throw new RangeError(`${w.length} ${what} weights for ${n} ${what}s`);
  const out = Float64Array.from(w);
  out.forEach((x, i) => {
    if (!Number.isFinite(x) || x < 0) throw new RangeError(`${what} weight ${i + 1} must be a number ≥ 0, not ${x}`);
  });
  return out;
}

function checkCoverage(x: number, what: string): number {
  if (!(x >= 0 && x <= 1)) throw new RangeError(`${what} must be between 0 and 1, not ${x}`);
  return x;
}

export function compositeIndex(input: CompositeInput): CompositeResult {
  const periods = input.periods ?? 1;
  const { units, indicators, dimensions, scores } = input;
  for (const [name, v] of [
    ['periods', periods],
    ['units', units],
    ['indicators', indicators],
    ['dimensions', dimensions],
  ] as const)
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`${name} must be a whole number ≥ 0, not ${v}`);
  if (scores.length !== periods * units * indicators)
    throw new RangeError(
      `${periods} periods × ${units} units × ${indicators} indicators need ${periods * units * indicators} scores, not ${scores.length}`,
    );
  if (input.indicatorDimension.length !== indicators)
    throw new RangeError(`${input.indicatorDimension.length} dimension assignments for ${indicators} indicators`);
  const indicatorDimension = Int32Array.from(input.indicatorDimension, (d, i) => {
    if (!Number.isInteger(d) || d < 0 || d >= dimensions)
      throw new RangeError(`indicator ${i + 1} is assigned to dimension ${d}; there are ${dimensions}`);
    return d;
  });
  const minDimensionCoverage = checkCoverage(input.minDimensionCoverage ?? 0, 'minDimensionCoverage');
  const minIndexCoverage = checkCoverage(input.minIndexCoverage ?? 0, 'minIndexCoverage');

  // Nominal weights: indicators scaled within their dimension, dimensions to sum 1.
  const indicatorWeights = input.indicatorWeights
    ? checkWeights(input.indicatorWeights, indicators, 'indicator')
    : new Float64Array(indicators).fill(1);
  const dimensionTotal = new Float64Array(dimensions);
  for (let i = 0; i < indicators; i++) dimensionTotal[indicatorDimension[i]!]! += indicatorWeights[i]!;
  for (let i = 0; i < indicators; i++) {
    const total = dimensionTotal[indicatorDimension[i]!]!;
    indicatorWeights[i] = total > 0 ? indicatorWeights[i]! / total : 0;
  }
  const dimensionWeights = input.dimensionWeights
    ? checkWeights(input.dimensionWeights, dimensions, 'dimension')
    : new Float64Array(dimensions).fill(1);
  const dimensionWeightSum = dimensionWeights.reduce((s, x) => s + x, 0);
  if (dimensions > 0 && dimensionWeightSum === 0) throw new RangeError('the dimension weights sum to 0');
  for (let d = 0; d < dimensions; d++) dimensionWeights[d] = dimensionWeights[d]! / dimensionWeightSum;

  const rows = periods * units;
  const subIndex = new Float64Array(rows * dimensions);
  const coverage = new Float64Array(rows * dimensions);
  const index = new Float64Array(rows);
  const indexCoverage = new Float64Array(rows);
  const weightedSum = new Float64Array(dimensions);
  const presentWeight = new Float64Array(dimensions);

  for (let r = 0; r < rows; r++) {
    weightedSum.fill(0);
    presentWeight.fill(0);
    const base = r * indicators;
    for (let i = 0; i < indicators; i++) {
      const s = scores[base + i]!;
      const w = indicatorWeights[i]!;
      if (Number.isNaN(s) || w === 0) continue;
      const d = indicatorDimension[i]!;
      weightedSum[d]! += w * s;
      presentWeight[d]! += w;
    }
    let indexSum = 0;
    let indexWeight = 0;
    for (let d = 0; d < dimensions; d++) {
      // Nominal weights sum to 1 within a dimension that has any, so presentWeight is the coverage.
      const cov = presentWeight[d]!;
      const sub = cov > 0 && cov >= minDimensionCoverage ? weightedSum[d]! / cov : NaN;
      coverage[r * dimensions + d] = cov;
      subIndex[r * dimensions + d] = sub;
      const W = dimensionWeights[d]!;
      if (!Number.isNaN(sub) && W > 0) {
        indexSum += W * sub;
        indexWeight += W;
      }
    }
    indexCoverage[r] = indexWeight;
    index[r] = indexWeight > 0 && indexWeight >= minIndexCoverage ? indexSum / indexWeight : NaN;
  }

  return {
    periods,
    units,
    indicators,
    dimensions,
    scores,
    indicatorDimension,
    indicatorWeights,
    dimensionWeights,
    subIndex,
    coverage,
    index,
    indexCoverage,
  };
}

/** Why one unit's index is what it is. `null` where a number is not available. */
export interface CompositeExplanation {
  period: number;
  unit: number;
  index: number | null;
  /** Share of the dimension weight with a sub-index. */
  coverage: number;
  dimensions: {
    dimension: number;
    subIndex: number | null;
    coverage: number;
    /** Nominal weight in the index. */
    weight: number;
    /** Weight after re-weighting over the dimensions with a sub-index (0 when it has none). */
    effectiveWeight: number;
    /** effectiveWeight × subIndex: its share of the index (contributions sum to the index). */
    contribution: number | null;
    indicators: {
      indicator: number;
      score: number | null;
      /** Nominal weight within the dimension. */
      weight: number;
      /** Weight within the dimension after re-weighting over the indicators present. */
      effectiveWeight: number;
      /** effectiveWeight × score: its share of the sub-index (contributions sum to the sub-index). */
      contribution: number | null;
    }[];
  }[];
}

const orNull = (x: number) => (Number.isNaN(x) ? null : x);

export function explainComposite(result: CompositeResult, period: number, unit: number): CompositeExplanation {
  const { units, indicators, dimensions } = result;
  if (!Number.isInteger(period) || period < 0 || period >= result.periods)
    throw new RangeError(`period ${period} is out of range`);
  if (!Number.isInteger(unit) || unit < 0 || unit >= units) throw new RangeError(`unit ${unit} is out of range`);
  const r = period * units + unit;
  const index = result.index[r]!;
  const indexWeight = Number.isNaN(index) ? 0 : result.indexCoverage[r]!;

  const dims: CompositeExplanation['dimensions'] = [];
  for (let d = 0; d < dimensions; d++) {
    const sub = result.subIndex[r * dimensions + d]!;
    const cov = result.coverage[r * dimensions + d]!;
    const weight = result.dimensionWeights[d]!;
    const effectiveWeight = indexWeight > 0 && !Number.isNaN(sub) ? weight / indexWeight : 0;
    const inds: CompositeExplanation['dimensions'][number]['indicators'] = [];
    for (let i = 0; i < indicators; i++) {
      if (result.indicatorDimension[i] !== d) continue;
      const score = result.scores[r * indicators + i]!;
      const w = result.indicatorWeights[i]!;
      const present = !Number.isNaN(score) && !Number.isNaN(sub) && w > 0;
      const eff = present ? w / cov : 0;
      inds.push({
        indicator: i,
        score: orNull(score),
        weight: w,
        effectiveWeight: eff,
        contribution: present ? eff * score : Number.isNaN(score) ? null : 0,
      });
    }
    dims.push({
      dimension: d,
      subIndex: orNull(sub),
      coverage: cov,
      weight,
      effectiveWeight,
      contribution: Number.isNaN(sub) ? null : effectiveWeight * sub,
      indicators: inds,
    });
  }
  return { period, unit, index: orNull(index), coverage: result.indexCoverage[r]!, dimensions: dims };
}
