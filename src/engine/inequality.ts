/**
 * Disparity and inequality statistics on a column of values, optionally weighted: org-unit values
 * weighted by population (the plan's 倍差 between counties) and household survey microdata weighted by
 * survey weights use the same functions.
 *
 * Measures and their sources:
 * - weighted mean, weighted median (lower median: the smallest y whose cumulative weight reaches half);
 * - max/min ratio (倍差) and range, with the units that are the max and the min;
 * - coefficient of variation, population form σ/μ;
 * - Gini, population (mean-difference) form G = ΣΣ f_i f_j |y_i − y_j| / (2μ), computed from the sorted
 *   values in O(n log n) (Lerman & Yitzhaki 1989, "Improving the accuracy of estimates of Gini
 *   coefficients", J. Econometrics 42);
 * - Theil T (GE(1)) and Theil L (GE(0), mean log deviation), decomposed into within- and between-group
 *   parts (Theil 1967; Shorrocks 1980, "The class of additively decomposable inequality measures",
 *   Econometrica 48);
 * - shares of weight in half-open brackets [from, to), e.g. households with a yearly disposable income of
 *   100,000–500,000 yuan (the plan's 家庭年可支配收入10万—50万元的群体比例);
 * - quintile share ratio S80/S20 on the Lorenz curve (income of the top 20% of weight over that of the
 *   bottom 20%, splitting the unit that straddles a cut).
 *
 * Conventions, shared by every function here:
 * - `values[i]` is unit i's value; `weights[i]` (optional, default 1) its weight. A unit whose value or
 *   weight is NaN is missing: skipped and counted (`missing`). ±Infinity and negative weights are
 *   errors (RangeError). A unit with weight 0 is counted in `n` but takes part in nothing (integer
 *   weights behave exactly like replicated rows, and 0 replicas is no row).
 * - With no units of positive weight every statistic is NaN (the CLI prints null); a ratio whose
 *   denominator is not positive (mean ≤ 0 for Gini and CV, min ≤ 0 for the max/min ratio, bottom
 *   income ≤ 0 for S80/S20) is NaN too.
 * - Theil T and L need y > 0: units with y ≤ 0 are left out of both, and of the mean they use, and are
 *   counted (`excludedNonPositive`). Every other statistic uses them.
 *
 * Cost: one linear scan, one index sort (LSD radix sort on the IEEE-754 bits, no per-row allocation) and
 * two linear passes; a benchmark can call `inequality(values, weights)` on millions of rows.
 */

/** A half-open bracket [from, to); `null` is an open end (−∞ below, +∞ above). */
export interface Bracket {
  readonly from: number | null;
  readonly to: number | null;
}

export interface BracketShare extends Bracket {
  /** Total weight of the units with from ≤ y < to. */
  weight: number;
  /** That weight over the total weight (NaN when the total weight is 0). */
  share: number;
}

/** Group labels, parallel to the values: non-negative integer codes or strings. */
export type GroupLabels = Int32Array | readonly string[];

export interface InequalityOptions {
  /** Brackets for `brackets` in the result (weight shares, half-open [from, to)). */
  brackets?: readonly Bracket[];
  /** Group each unit belongs to: adds per-group statistics and the Theil decompositions. */
  groups?: GroupLabels;
  /**
   * With integer codes: the number of groups (codes 0..groupCount−1), so that groups with no units
   * still appear. Default: the largest code + 1.
   */
  groupCount?: number;
}

export interface InequalitySummary {
  /** Units with a value and a weight (not NaN), including those of weight 0. */
  n: number;
  /** Units skipped because their value or weight is NaN. */
  missing: number;
  /** Σw over the units. */
  weightTotal: number;
  /** μ = Σ w y / Σ w. */
  mean: number;
  /** Smallest y whose cumulative weight (sorted by y) reaches half of the total weight. */
  median: number;
  min: number;
  max: number;
  /** Index (into `values`) of the unit with the smallest value; the first one on ties; −1 when none. */
  minIndex: number;
  /** Index of the unit with the largest value; the first one on ties; −1 when none. */
  maxIndex: number;
  /** max / min (倍差); NaN when min ≤ 0. */
  maxMinRatio: number;
  /** max − min. */
  range: number;
  /** σ/μ with σ² = Σ w (y − μ)² / Σ w (population form). */
  cv: number;
  /** ΣΣ f_i f_j |y_i − y_j| / (2μ) with f_i = w_i / Σ w. */
  gini: number;
  /** Σ f_i (y_i/μ) ln(y_i/μ) over the units with y > 0 (μ their mean). */
  theilT: number;
  /** Σ f_i ln(μ/y_i) over the units with y > 0 (μ their mean). */
  theilL: number;
  /** Units with y ≤ 0, left out of Theil T and L. */
  excludedNonPositive: number;
  /** Income of the top 20% of weight over that of the bottom 20% (Lorenz-curve convention). */
  quintileShareRatio: number;
  /** One per requested bracket, in the order given. */
  brackets: BracketShare[];
}

/** A measure's total and its additive within- and between-group parts (total = within + between). */
export interface TheilParts {
  total: number;
  within: number;
  between: number;
}

export interface GroupInequality {
  /** The label (string labels) or the integer code. */
  group: string | number;
  /** Units of the group with a value and a weight (weight 0 included). */
  n: number;
  weightTotal: number;
  /** Weighted mean of all its values. */
  mean: number;
  gini: number;
  theilT: number;
  theilL: number;
  /** s_g: the group's share of the income of the units that Theil uses (y > 0). */
  incomeShare: number;
  /** p_g: the group's share of the weight of those units. */
  populationShare: number;
  /**
   * The group's part of total Theil T: within s_g·T_g, between s_g·ln(μ_g/μ), total their sum. Summed
   * over the groups they give the decomposition; the largest total says which group drives the gap.
   */
  theilTContribution: TheilParts;
  /** Likewise for Theil L: within p_g·L_g, between p_g·ln(μ/μ_g). */
  theilLContribution: TheilParts;
}

export interface InequalityResult extends InequalitySummary {
  /** Only with `options.groups`: in code order (integers) or order of first appearance (strings). */
  groups?: GroupInequality[];
  /**
   * Only with `options.groups`:
   * T = Σ_g s_g T_g (within) + Σ_g s_g ln(μ_g/μ) (between), s_g the group's income share;
   * L = Σ_g p_g L_g (within) + Σ_g p_g ln(μ/μ_g) (between), p_g its weight share;
   * over the units with y > 0. Groups with no such unit contribute 0.
   */
  decomposition?: { theilT: TheilParts; theilL: TheilParts };
}

/**
 * Every statistic of this module in one call: one scan, one sort, and passes that reuse the sorted
 * order for Gini, median and S80/S20 (and, with groups, for each group's Gini). The entry point for
 * benchmarks; allocates O(n) typed arrays once and nothing per row.
 */
export function inequality(
  values: Float64Array,
  weights?: Float64Array,
  options: InequalityOptions = {},
): InequalityResult {
  const brackets = options.brackets ?? [];
  const s = scan(values, weights, brackets);
  const spread = spreadPass(s, values, weights);
  const order = sortIndicesByValue(values, s.included);
  const sorted = sortedPass(s, order, values, weights);
  const result: InequalityResult = {
    n: s.n,
    missing: s.missing,
    weightTotal: s.weightTotal,
    mean: s.weightTotal > 0 ? s.weightedSum / s.weightTotal : NaN,
    median: sorted.median,
    min: s.minIndex >= 0 ? s.min : NaN,
    max: s.maxIndex >= 0 ? s.max : NaN,
    minIndex: s.minIndex,
    maxIndex: s.maxIndex,
    maxMinRatio: s.minIndex >= 0 && s.min > 0 ? s.max / s.min : NaN,
    range: s.maxIndex >= 0 ? s.max - s.min : NaN,
    cv: spread.cv,
    gini: sorted.gini,
    theilT: spread.theilT,
    theilL: spread.theilL,
    excludedNonPositive: s.excludedNonPositive,
    quintileShareRatio: sorted.quintileShareRatio,
    brackets: brackets.map((b, k) => {
      const weight = s.bracketWeights[k]!;
      return { from: b.from, to: b.to, weight, share: s.weightTotal > 0 ? weight / s.weightTotal : NaN };
    }),
  };
  if (options.groups !== undefined) {
    const g = groupPasses(s, order, values, weights, options.groups, options.groupCount);
    result.groups = g.groups;
    result.decomposition = g.decomposition;
  }
  return result;
}

/** Weighted mean μ = Σ w y / Σ w (NaN when Σ w = 0). */
export function weightedMean(values: Float64Array, weights?: Float64Array): number {
  const s = scan(values, weights, []);
  return s.weightTotal > 0 ? s.weightedSum / s.weightTotal : NaN;
}

/**
 * Weighted (lower) median: sorting the units by y, the smallest y whose cumulative weight reaches half of
 * the total weight (Σ_{y_j ≤ y} w_j ≥ W/2). Unweighted and n even, the lower of the two middle values.
 */
export function weightedMedian(values: Float64Array, weights?: Float64Array): number {
  return inequality(values, weights).median;
}

/**
 * The largest and the smallest value and which units hold them (attribution), the max/min ratio
 * (倍差; NaN when min ≤ 0) and the range max − min. Units of weight 0 take no part.
 */
export function maxMin(
  values: Float64Array,
  weights?: Float64Array,
): Pick<InequalitySummary, 'max' | 'maxIndex' | 'min' | 'minIndex' | 'maxMinRatio' | 'range'> {
  const r = inequality(values, weights);
  return {
    max: r.max,
    maxIndex: r.maxIndex,
    min: r.min,
    minIndex: r.minIndex,
    maxMinRatio: r.maxMinRatio,
    range: r.range,
  };
}

/** Coefficient of variation σ/μ, population form: σ² = Σ w (y − μ)² / Σ w (NaN when μ = 0). */
export function coefficientOfVariation(values: Float64Array, weights?: Float64Array): number {
  const s = scan(values, weights, []);
  return spreadPass(s, values, weights).cv;
}

/**
 * Gini coefficient, population form G = Σ_i Σ_j f_i f_j |y_i − y_j| / (2μ), f_i = w_i / Σ w. Computed
 * in O(n log n): with the units sorted by y and C_i the weight before unit i,
 * G = Σ_i w_i y_i (2 C_i + w_i − W) / (W · Σ w y). NaN when μ ≤ 0; values may be negative (G may then
 * exceed 1).
 */
export function gini(values: Float64Array, weights?: Float64Array): number {
  return inequality(values, weights).gini;
}

/**
 * Theil T (GE(1)) = Σ f_i (y_i/μ) ln(y_i/μ), over the units with y > 0 only (f_i and μ from them too).
 */
export function theilT(values: Float64Array, weights?: Float64Array): number {
  const s = scan(values, weights, []);
  return spreadPass(s, values, weights).theilT;
}

/** Theil L (GE(0), mean log deviation) = Σ f_i ln(μ/y_i), over the units with y > 0 only. */
export function theilL(values: Float64Array, weights?: Float64Array): number {
  const s = scan(values, weights, []);
  return spreadPass(s, values, weights).theilL;
}

/**
 * Shares of the total weight in half-open brackets: share = Σ_{from ≤ y < to} w / Σ w; a `null` end is
 * open. E.g. `{ from: 100000, to: 500000 }` for the households with 100,000 ≤ income < 500,000 yuan.
 */
export function bracketShares(
  values: Float64Array,
  weights: Float64Array | undefined,
  brackets: readonly Bracket[],
): BracketShare[] {
  const s = scan(values, weights, brackets);
  return brackets.map((b, k) => {
    const weight = s.bracketWeights[k]!;
    return { from: b.from, to: b.to, weight, share: s.weightTotal > 0 ? weight / s.weightTotal : NaN };
  });
}

/**
 * Quintile share ratio S80/S20 on the Lorenz curve: sort the units by y and lay their weights end to end
 * on [0, W]; S20 is the income Σ y·(the part of w inside [0, 0.2W]) and S80 the income inside
 * [0.8W, W]; a unit straddling a cut counts for the fraction of its weight on each side. Ratio S80/S20,
 * i.e. (1 − L(0.8)) / L(0.2) with L the Lorenz curve. NaN when the bottom income is ≤ 0.
 * (Eurostat's ilc_di11 instead takes whole units up to the weighted quintile cut points; the two agree
 * when no unit straddles a cut.)
 */
export function quintileShareRatio(values: Float64Array, weights?: Float64Array): number {
  return inequality(values, weights).quintileShareRatio;
}

/**
 * Theil T and L decomposed for a grouping, with each group's statistics and contribution (see
 * `InequalityResult.decomposition` and `GroupInequality`).
 */
export function theilDecomposition(
  values: Float64Array,
  weights: Float64Array | undefined,
  groups: GroupLabels,
  groupCount?: number,
): { groups: GroupInequality[]; decomposition: { theilT: TheilParts; theilL: TheilParts } } {
  const r = inequality(values, weights, { groups, ...(groupCount !== undefined && { groupCount }) });
  return { groups: r.groups!, decomposition: r.decomposition! };
}

// ——— internals ———

interface Scan {
  n: number;
  missing: number;
  excludedNonPositive: number;
  weightTotal: number;
  weightedSum: number;
  /** Σ w and Σ w y over the units with y > 0 and w > 0 (what Theil uses). */
  positiveWeight: number;
  positiveSum: number;
  min: number;
  max: number;
  minIndex: number;
  maxIndex: number;
  /** Indices of the units that take part (value and weight not NaN, w > 0), in input order. */
  included: Uint32Array;
  bracketWeights: Float64Array;
}

function checkLengths(values: Float64Array, weights: Float64Array | undefined): void {
  if (weights !== undefined && weights.length !== values.length) {
    throw new RangeError(`weights has ${weights.length} elements, values ${values.length}`);
  }
}

/** The one linear scan: counts, totals, min/max and bracket weights; collects the included units. */
function scan(values: Float64Array, weights: Float64Array | undefined, brackets: readonly Bracket[]): Scan {
  checkLengths(values, weights);
  const len = values.length;
  const nb = brackets.length;
  const lows = new Float64Array(nb);
  const highs = new Float64Array(nb);
  for (let k = 0; k < nb; k++) {
    const b = brackets[k]!;
    if (Number.isNaN(b.from) || Number.isNaN(b.to) || (b.from !== null && b.to !== null && !(b.from < b.to))) {
      throw new RangeError(`bracket [${b.from}, ${b.to}) is empty or not a bracket`);
    }
    lows[k] = b.from ?? -Infinity;
    highs[k] = b.to ?? Infinity;
  }
  const bracketWeights = new Float64Array(nb);
  const included = new Uint32Array(len);
  let m = 0;
  let n = 0;
  let missing = 0;
  let excludedNonPositive = 0;
  let weightTotal = 0;
  let weightedSum = 0;
  let positiveWeight = 0;
  let positiveSum = 0;
  let min = Infinity;
  let max = -Infinity;
  let minIndex = -1;
  let maxIndex = -1;
  for (let i = 0; i < len; i++) {
    const y = values[i]!;
    const w = weights === undefined ? 1 : weights[i]!;
    if (y !== y || w !== w) {
      missing++;
      continue;
    }
    if (y === Infinity || y === -Infinity) throw new RangeError(`values[${i}] is ${y}`);
    if (!(w >= 0) || w === Infinity) throw new RangeError(`weights[${i}] is ${w}; weights must be finite and ≥ 0`);
    n++;
    if (y <= 0) excludedNonPositive++;
    if (w === 0) continue;
    included[m++] = i;
    weightTotal += w;
    weightedSum += w * y;
    if (y > 0) {
      positiveWeight += w;
      positiveSum += w * y;
    }
    if (y < min) {
      min = y;
      minIndex = i;
    }
    if (y > max) {
      max = y;
      maxIndex = i;
    }
    for (let k = 0; k < nb; k++) if (y >= lows[k]! && y < highs[k]!) bracketWeights[k]! += w;
  }
  return {
    n,
    missing,
    excludedNonPositive,
    weightTotal,
    weightedSum,
    positiveWeight,
    positiveSum,
    min,
    max,
    minIndex,
    maxIndex,
    included: included.subarray(0, m),
    bracketWeights,
  };
}

/** Second linear pass, needing the means: CV and Theil T/L (two-pass, so equal values give exactly ~0). */
function spreadPass(
  s: Scan,
  values: Float64Array,
  weights: Float64Array | undefined,
): { cv: number; theilT: number; theilL: number } {
  const mean = s.weightTotal > 0 ? s.weightedSum / s.weightTotal : NaN;
  const positiveMean = s.positiveWeight > 0 ? s.positiveSum / s.positiveWeight : NaN;
  const idx = s.included;
  let squares = 0;
  let tSum = 0;
  let lSum = 0;
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    const y = values[i]!;
    const w = weights === undefined ? 1 : weights[i]!;
    const d = y - mean;
    squares += w * d * d;
    if (y > 0) {
      const r = y / positiveMean;
      const lr = Math.log(r);
      tSum += w * r * lr;
      lSum -= w * lr;
    }
  }
  return {
    cv: mean !== 0 ? Math.sqrt(squares / s.weightTotal) / mean : NaN,
    theilT: s.positiveWeight > 0 ? tSum / s.positiveWeight : NaN,
    theilL: s.positiveWeight > 0 ? lSum / s.positiveWeight : NaN,
  };
}

/** One pass over the units in ascending order of y: Gini, median and S80/S20. */
function sortedPass(
  s: Scan,
  order: Uint32Array,
  values: Float64Array,
  weights: Float64Array | undefined,
): { gini: number; median: number; quintileShareRatio: number } {
  const total = s.weightTotal;
  const cut = 0.2 * total;
  const topFrom = total - cut;
  let cum = 0;
  let giniSum = 0;
  let bottom = 0;
  let top = 0;
  let median = NaN;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const y = values[i]!;
    const w = weights === undefined ? 1 : weights[i]!;
    // Unit i lies on [cum, cum + w): the pairs with the weight below count +, above −.
    giniSum += w * y * (2 * cum + w - total);
    if (cum < cut) bottom += y * Math.min(w, cut - cum);
    if (cum + w > topFrom) top += y * Math.min(w, cum + w - topFrom);
    cum += w;
    if (median !== median && 2 * cum >= total) median = y;
  }
  return {
    gini: s.weightedSum > 0 ? giniSum / (total * s.weightedSum) : NaN,
    median,
    quintileShareRatio: bottom > 0 ? top / bottom : NaN,
  };
}

/** Per-group statistics and the Theil decompositions, reusing the scan and the sorted order. */
function groupPasses(
  s: Scan,
  order: Uint32Array,
  values: Float64Array,
  weights: Float64Array | undefined,
  labels: GroupLabels,
  groupCount: number | undefined,
): { groups: GroupInequality[]; decomposition: { theilT: TheilParts; theilL: TheilParts } } {
  if (labels.length !== values.length) {
    throw new RangeError(`groups has ${labels.length} elements, values ${values.length}`);
  }
  const { codes, names } = groupCodes(labels, groupCount);
  const G = names.length;
  const n = new Float64Array(G);
  const W = new Float64Array(G);
  const S = new Float64Array(G);
  const Wp = new Float64Array(G);
  const Sp = new Float64Array(G);
  // Counts, over every unit with a value and a weight (so weight-0 units count in n like the total).
  for (let i = 0; i < values.length; i++) {
    const y = values[i]!;
    const w = weights === undefined ? 1 : weights[i]!;
    if (y !== y || w !== w) continue;
    n[codes[i]!]!++;
  }
  const idx = s.included;
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    const g = codes[i]!;
    const y = values[i]!;
    const w = weights === undefined ? 1 : weights[i]!;
    W[g]! += w;
    S[g]! += w * y;
    if (y > 0) {
      Wp[g]! += w;
      Sp[g]! += w * y;
    }
  }
  const tSum = new Float64Array(G);
  const lSum = new Float64Array(G);
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    const y = values[i]!;
    if (!(y > 0)) continue;
    const g = codes[i]!;
    const w = weights === undefined ? 1 : weights[i]!;
    const r = y / (Sp[g]! / Wp[g]!);
    const lr = Math.log(r);
    tSum[g]! += w * r * lr;
    lSum[g]! -= w * lr;
  }
  const cum = new Float64Array(G);
  const giniSum = new Float64Array(G);
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const g = codes[i]!;
    const y = values[i]!;
    const w = weights === undefined ? 1 : weights[i]!;
    giniSum[g]! += w * y * (2 * cum[g]! + w - W[g]!);
    cum[g]! += w;
  }

  const mu = s.positiveWeight > 0 ? s.positiveSum / s.positiveWeight : NaN;
  const decomposition = {
    theilT: { total: NaN, within: 0, between: 0 },
    theilL: { total: NaN, within: 0, between: 0 },
  };
  const groups: GroupInequality[] = [];
  for (let g = 0; g < G; g++) {
    const has = Wp[g]! > 0;
    const T = has ? tSum[g]! / Wp[g]! : NaN;
    const L = has ? lSum[g]! / Wp[g]! : NaN;
    const incomeShare = s.positiveSum > 0 ? Sp[g]! / s.positiveSum : NaN;
    const populationShare = s.positiveWeight > 0 ? Wp[g]! / s.positiveWeight : NaN;
    // A group without positive units has s_g = p_g = 0 and adds nothing (0·NaN read as 0).
    const muG = Sp[g]! / Wp[g]!;
    const tWithin = has ? incomeShare * T : 0;
    const tBetween = has ? incomeShare * Math.log(muG / mu) : 0;
    const lWithin = has ? populationShare * L : 0;
    const lBetween = has ? populationShare * Math.log(mu / muG) : 0;
    decomposition.theilT.within += tWithin;
    decomposition.theilT.between += tBetween;
    decomposition.theilL.within += lWithin;
    decomposition.theilL.between += lBetween;
    groups.push({
      group: names[g]!,
      n: n[g]!,
      weightTotal: W[g]!,
      mean: W[g]! > 0 ? S[g]! / W[g]! : NaN,
      gini: S[g]! > 0 ? giniSum[g]! / (W[g]! * S[g]!) : NaN,
      theilT: T,
      theilL: L,
      incomeShare,
      populationShare,
      theilTContribution: { total: tWithin + tBetween, within: tWithin, between: tBetween },
      theilLContribution: { total: lWithin + lBetween, within: lWithin, between: lBetween },
    });
  }
  if (s.positiveWeight > 0) {
    decomposition.theilT.total = decomposition.theilT.within + decomposition.theilT.between;
    decomposition.theilL.total = decomposition.theilL.within + decomposition.theilL.between;
  } else {
    decomposition.theilT = { total: NaN, within: NaN, between: NaN };
    decomposition.theilL = { total: NaN, within: NaN, between: NaN };
  }
  return { groups, decomposition };
}

/** Integer codes 0..G−1 for the labels, and each code's name. */
function groupCodes(
  labels: GroupLabels,
  groupCount: number | undefined,
): { codes: Int32Array; names: (string | number)[] } {
  if (labels instanceof Int32Array) {
    let max = -1;
    for (let i = 0; i < labels.length; i++) {
      const c = labels[i]!;
      if (c < 0) throw new RangeError(`groups[${i}] is ${c}; group codes must be ≥ 0`);
      if (c > max) max = c;
    }
    const G = groupCount ?? max + 1;
    if (max >= G) throw new RangeError(`group code ${max} is not below groupCount ${G}`);
    return { codes: labels, names: Array.from({ length: G }, (_, g) => g) };
  }
  const codes = new Int32Array(labels.length);
  const byName = new Map<string, number>();
  const names: string[] = [];
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    let c = byName.get(label);
    if (c === undefined) {
      c = names.length;
      byName.set(label, c);
      names.push(label);
    }
    codes[i] = c;
  }
  return { codes, names };
}

/** Below this many units a comparison sort beats the radix sort's fixed cost. */
const RADIX_THRESHOLD = 1024;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** The radix sort's digits: [word (0 = low 32 bits, 1 = high), shift]; 11 + 11 + 10 bits per word. */
const DIGITS: readonly (readonly [number, number])[] = [
  [0, 0],
  [0, 11],
  [0, 22],
  [1, 0],
  [1, 11],
  [1, 22],
];
const BUCKETS = 2048;

/**
 * The given indices ordered by ascending `values[index]` (a new array; stable). Values must not be NaN.
 * Large inputs use an LSD radix sort on the 64 bits of each double (flip the sign bit of positive
 * numbers and every bit of negative ones, and unsigned order is numeric order), six 11-bit digits
 * that carry their keys along (sequential reads), skipping a digit that every key shares.
 */
export function sortIndicesByValue(values: Float64Array, indices: Uint32Array): Uint32Array {
  const n = indices.length;
  if (n < RADIX_THRESHOLD) return indices.slice().sort((a, b) => values[a]! - values[b]!);
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  const loAt = LITTLE_ENDIAN ? 0 : 1;
  const hiAt = 1 - loAt;
  let lo = new Uint32Array(n);
  let hi = new Uint32Array(n);
  let idx = indices.slice();
  let lo2 = new Uint32Array(n);
  let hi2 = new Uint32Array(n);
  let idx2 = new Uint32Array(n);
  const counts = new Uint32Array(DIGITS.length * BUCKETS);
  for (let k = 0; k < n; k++) {
    const i = indices[k]!;
    const h0 = bits[2 * i + hiAt]!;
    const mask = h0 >> 31; // −1 for negative numbers
    const h = (h0 ^ (mask | 0x80000000)) >>> 0;
    const l = (bits[2 * i + loAt]! ^ mask) >>> 0;
    hi[k] = h;
    lo[k] = l;
    counts[l & 2047]!++;
    counts[BUCKETS + ((l >>> 11) & 2047)]!++;
    counts[2 * BUCKETS + (l >>> 22)]!++;
    counts[3 * BUCKETS + (h & 2047)]!++;
    counts[4 * BUCKETS + ((h >>> 11) & 2047)]!++;
    counts[5 * BUCKETS + (h >>> 22)]!++;
  }
  const offsets = new Uint32Array(BUCKETS);
  for (let p = 0; p < DIGITS.length; p++) {
    const [word, shift] = DIGITS[p]!;
    const base = p * BUCKETS;
    const keys = word === 0 ? lo : hi;
    if (counts[base + ((keys[0]! >>> shift) & 2047)] === n) continue; // every key shares this digit
    let running = 0;
    for (let d = 0; d < BUCKETS; d++) {
      offsets[d] = running;
      running += counts[base + d]!;
    }
    if (word === 0) {
      for (let k = 0; k < n; k++) {
        const l = lo[k]!;
        const at = offsets[(l >>> shift) & 2047]!++;
        lo2[at] = l;
        hi2[at] = hi[k]!;
        idx2[at] = idx[k]!;
      }
      [lo, lo2] = [lo2, lo];
    } else {
      for (let k = 0; k < n; k++) {
        const h = hi[k]!;
        const at = offsets[(h >>> shift) & 2047]!++;
        hi2[at] = h;
        idx2[at] = idx[k]!;
      }
    }
    [hi, hi2] = [hi2, hi];
    [idx, idx2] = [idx2, idx];
  }
  return idx;
}
