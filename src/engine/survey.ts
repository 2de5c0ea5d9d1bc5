/**
 * Satisfaction surveys (满意度调查): weighted satisfaction per unit and question, and per unit, with
 * confidence intervals.
 *
 * - Answers on a scale `min … max` (e.g. 1–5) are mapped linearly to 0–100: 100·(a − min)/(max − min),
 *   so 1→0, 3→50, 5→100 on a 1–5 scale.
 * - **Weighted mean** ȳ = Σ wᵢyᵢ / Σ wᵢ over the respondents who answered and weigh more than 0.
 * - **Kish effective sample size** n_eff = (Σ wᵢ)² / Σ wᵢ² (Kish, Survey Sampling, 1965): with equal
 *   weights n_eff = n; unequal weights make a sample worth fewer respondents.
 * - **Variance**: the weighted variance Σ wᵢ(yᵢ − ȳ)² / Σ wᵢ, scaled by n_eff / (n_eff − 1) so that with
 *   equal weights it is the ordinary sample variance Σ(yᵢ − ȳ)² / (n − 1).
 * - **Standard error** SE = √(s² / n_eff); interval ȳ ± z·SE with the normal quantile z (1.96 for 95%),
 *   clipped to 0–100 (a share of satisfied people cannot leave the scale; `clipped` says it was).
 * - Edge cases: one respondent (or n_eff ≤ 1) has a mean but no SE and no interval (NaN); all answers
 *   equal give SE 0 and an interval of width 0; missing answers (null, NaN) and zero weights are left
 *   out; no usable answer gives NaN everywhere and n = 0. A negative weight or an answer off the scale
 *   is an error of the data, not something to average: it throws.
 * - **Per unit**: each respondent's score is the mean of their own answers (0–100) over the questions
 *   they answered; the unit's satisfaction is the weighted mean of those respondent scores. Averaging
 *   per respondent first keeps one person's answers together, so their correlation does not shrink
 *   the interval as it would if every answer counted as an independent observation.
 */

export const Z95 = 1.959963984540054;

export interface SurveyAnswer {
  respondent: string;
  /** Design weight ≥ 0 (1 for an unweighted sample). */
  weight: number;
  unit: string;
  question: string;
  /** On the scale; null when not answered. */
  answer: number | null;
}

export interface Scale {
  min: number;
  max: number;
}

export interface WeightedEstimate {
  /** Answers that entered (answered, weight > 0). */
  n: number;
  sumWeights: number;
  /** (Σw)² / Σw². */
  nEff: number;
  /** 0–100; NaN with no answers. */
  mean: number;
  /** s², scaled to n_eff − 1 degrees of freedom; NaN when n_eff ≤ 1. */
  variance: number;
  /** NaN when n_eff ≤ 1. */
  se: number;
  lower: number;
  upper: number;
  /** The interval was cut at 0 or 100. */
  clipped: boolean;
}

/** Maps an answer to 0–100; throws when it is off the scale. */
export function toPercentScale(answer: number, scale: Scale): number {
  if (!(scale.max > scale.min))
    throw new RangeError(`a scale's maximum must exceed its minimum (${scale.min}–${scale.max})`);
  if (answer < scale.min || answer > scale.max)
    throw new RangeError(`answer ${answer} is off the scale ${scale.min}–${scale.max}`);
  return (100 * (answer - scale.min)) / (scale.max - scale.min);
}

/** Weighted mean with a Kish-n_eff interval (see the module note); values already on 0–100. */
export function weightedEstimate(
  values: ArrayLike<number>,
  weights: ArrayLike<number>,
  options: { z?: number } = {},
): WeightedEstimate {
  if (values.length !== weights.length) throw new RangeError(`${values.length} values for ${weights.length} weights`);
  const z = options.z ?? Z95;
  let n = 0;
  let sw = 0;
  let sw2 = 0;
  let swy = 0;
  for (let i = 0; i < values.length; i++) {
    const w = weights[i]!;
    const y = values[i]!;
    if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`weight ${i + 1} must be a number ≥ 0, not ${w}`);
    if (w === 0 || Number.isNaN(y)) continue;
    n++;
    sw += w;
    sw2 += w * w;
    swy += w * y;
  }
  if (n === 0)
    return { n: 0, sumWeights: 0, nEff: 0, mean: NaN, variance: NaN, se: NaN, lower: NaN, upper: NaN, clipped: false };
  const mean = swy / sw;
  const nEff = (sw * sw) / sw2;
  let ss = 0;
  for (let i = 0; i < values.length; i++) {
    const w = weights[i]!;
    const y = values[i]!;
    if (w === 0 || Number.isNaN(y)) continue;
    ss += w * (y - mean) * (y - mean);
  }
  // n_eff of 1 (one respondent, or all weight on one) leaves no degree of freedom for a variance.
  const variance = nEff > 1 + 1e-12 ? (ss / sw) * (nEff / (nEff - 1)) : NaN;
  const se = Math.sqrt(variance / nEff);
  const rawLower = mean - z * se;
  const rawUpper = mean + z * se;
  const lower = Math.max(0, rawLower);
  const upper = Math.min(100, rawUpper);
  return {
    n,
    sumWeights: sw,
    nEff,
    mean,
    variance,
    se,
    lower,
    upper,
    clipped: lower !== rawLower || upper !== rawUpper,
  };
}

export interface QuestionSatisfaction extends WeightedEstimate {
  unit: string;
  question: string;
}

export interface UnitSatisfaction extends WeightedEstimate {
  unit: string;
  /** Respondents with at least one answer. */
  respondents: number;
}

export interface SurveyResult {
  byQuestion: QuestionSatisfaction[];
  byUnit: UnitSatisfaction[];
}

/**
 * Satisfaction per unit × question and per unit (respondent scores first, see the module note).
 * A respondent has one weight: two rows of one respondent with different weights are an error.
 */
export function surveySatisfaction(
  answers: readonly SurveyAnswer[],
  scale: Scale,
  options: { z?: number } = {},
): SurveyResult {
  const byQuestion = new Map<string, { unit: string; question: string; y: number[]; w: number[] }>();
  const respondents = new Map<string, { unit: string; weight: number; sum: number; count: number }>();
  for (const a of answers) {
    const key = `${a.unit}\u0000${a.respondent}`;
    let r = respondents.get(key);
    if (!r) respondents.set(key, (r = { unit: a.unit, weight: a.weight, sum: 0, count: 0 }));
    else if (r.weight !== a.weight)
      throw new RangeError(`respondent ${a.respondent} of ${a.unit} has two weights (${r.weight} and ${a.weight})`);
    if (a.answer === null || Number.isNaN(a.answer)) continue;
    const y = toPercentScale(a.answer, scale);
    r.sum += y;
    r.count++;
    const qk = `${a.unit}\u0000${a.question}`;
    let q = byQuestion.get(qk);
    if (!q) byQuestion.set(qk, (q = { unit: a.unit, question: a.question, y: [], w: [] }));
    q.y.push(y);
    q.w.push(a.weight);
  }
  const perUnit = new Map<string, { y: number[]; w: number[] }>();
  for (const r of respondents.values()) {
    if (r.count === 0) continue;
    let u = perUnit.get(r.unit);
    if (!u) perUnit.set(r.unit, (u = { y: [], w: [] }));
    u.y.push(r.sum / r.count);
    u.w.push(r.weight);
  }
  const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return {
    byQuestion: [...byQuestion.values()]
      .sort((a, b) => byCode(a.unit, b.unit) || byCode(a.question, b.question))
      .map((q) => ({ unit: q.unit, question: q.question, ...weightedEstimate(q.y, q.w, options) })),
    byUnit: [...perUnit]
      .sort(([a], [b]) => byCode(a, b))
      .map(([unit, u]) => ({ unit, respondents: u.y.length, ...weightedEstimate(u.y, u.w, options) })),
  };
}
