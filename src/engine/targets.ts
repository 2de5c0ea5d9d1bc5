/**
 * Evaluation of one plan target for one indicator × org unit: status light, expected-to-date value
 * (序时进度), progress, projection to the target year and the growth still required, with the rule,
 * inputs and intermediate numbers that explain the result.
 *
 * Inputs: the unit's yearly series (NaN = missing), the indicator's direction, the plan's base and
 * target years, the evaluation ("as of") year — default the latest year with data — and the plan's
 * thresholds. Only points with a value and a year ≤ min(as-of year, the target's year) are used: a
 * target "by 2025" is judged on data up to 2025. The latest such point is the current value.
 *
 * Thresholds (plan.evaluation): a kind that measures progress computes a ratio of actual progress to
 * the progress expected to date; ratio ≥ `onTrack` (default 1) → on_track, ratio < `offTrack` (default
 * 0.9) → off_track, in between → at_risk. A target whose year has been reached by the data (latest year
 * ≥ target year) and is not achieved is off_track whatever the ratio. With no time elapsed since the
 * base (the only point is the base) nothing is due yet: on_track.
 *
 * Semantics per kind:
 * - level (op ≥ > ≤ < ~): achieved when the latest value satisfies op (for ~: within ± tolerance).
 *   Base point: the value in the plan's base year, else `baseline` when given, else the first year
 *   with data after the base year. The expected-to-date value lies on the straight line from the base
 *   point to the target value in the target year (for ~: to the nearest edge of the band);
 *   progress = (latest − base) / (target − base); ratio = progress / elapsed share of the period.
 *   A base that already met the target and a latest value that no longer does → off_track.
 * - growth, `rate` (compound, a CAGR from `from`, default the base year, to `year`): base point as
 *   for level but at `from`; the target value is base·(1+rate)^(year − from) and the expected-to-date
 *   value lies on that compound path; ratio = observed CAGR / rate. Achieved once the latest value has
 *   reached the path's end value. `amount` (absolute yearly increase) is the same on a straight path:
 *   ratio = observed average yearly increase / amount. When op caps the growth instead of asking for
 *   it (≥ a non-positive rate, ≤ a non-negative rate) there is no path: the observed rate satisfies
 *   op → on_track (achieved once the target year is reached), else off_track.
 * - yearly: every year in [from, year] (from: base year + 1) must satisfy op/value. Achieved (so far)
 *   when every year with data does; off_track as soon as one fails. Years without data are reported
 *   (`missingYears`) and neither pass nor fail. progress = years met / years in the period.
 * - cumulative: the sum of yearly values over [from, year] (from: base year + 1) against op/value.
 *   Expected to date = value × elapsed years / total years (elapsed = years from `from` to the latest
 *   year with data, inclusive); progress = sum / value; ratio = sum / expected. Projection: the sum plus
 *   the average yearly value (over years with data) for each year left; required increase: the average
 *   yearly value still needed. For ≤ and < (a cap on the sum): off_track once the sum breaks the cap,
 *   else on_track while the projection keeps under it (at_risk otherwise); achieved at the target year.
 * - trend: improves in the indicator's direction from `from` (default the base year). strict: every
 *   change between consecutive years with data improves → achieved (so far), any other → off_track.
 *   Not strict: the least-squares slope has the good sign → achieved, or at_risk when the latest
 *   change went the wrong way; otherwise off_track. Fewer than two points → no_data.
 *   progress = share of year-on-year changes that improved.
 * - relative, measure growth: the unit's CAGR against the reference series' CAGR over the same years
 *   (the first and last years, from the base year, where both have data); measure level: the unit's
 *   latest value against the reference value of the same year (the latest year both have). op with
 *   tolerance for ~. Satisfied → achieved, else off_track. For growth the target value is the level
 *   that would have matched the reference's growth.
 * - rank: the unit's rank among itself and its peers (the peers' values in one year; NaN skipped) in
 *   the indicator's direction; ties share the better rank (1 + the number of strictly better peers).
 *   Achieved when rank op value, else off_track. The target value is the value that would reach the
 *   wanted rank (that of the k-th best peer, k = value for ≤, value − 1 for <).
 * - milestones (any kind): each milestone is met or missed when its year has data (for cumulative the
 *   sum from `from` to that year), pending otherwise. Compared with the target's op (≥ for ~ without a
 *   tolerance); for trend, relative and rank targets with the direction (≥ up, ≤ down). Milestones are
 *   reported and do not change the status.
 * - `~` on growth, yearly and cumulative targets (whose schema has no tolerance) reads as ≥.
 *
 * requiredGrowth is the compound yearly growth from the latest value to the target value by the
 * target year, requiredIncrease the absolute one (NaN where the kind has no target value or no years
 * are left). Numbers that do not apply are NaN (JSON null).
 */
import type { Comparison, Direction, Target, TargetKind } from '../domain/plan.js';
import {
  compoundGrowthRate,
  linearTrend,
  projectSeries,
  requiredGrowth as requiredGrowthOf,
  requiredIncrease as requiredIncreaseOf,
  type ProjectionMethod,
  type YearlySeries,
} from './projection.js';

export const TARGET_STATUSES = ['achieved', 'on_track', 'at_risk', 'off_track', 'no_data'] as const;
export type TargetStatus = (typeof TARGET_STATUSES)[number];

export const MILESTONE_STATUSES = ['met', 'missed', 'pending'] as const;
export type MilestoneStatus = (typeof MILESTONE_STATUSES)[number];

export interface EvaluationThresholds {
  /** Ratio of progress to expected-to-date progress at or above which a unit is on track. */
  onTrack: number;
  /** … and below which it is off track (in between: at risk). */
  offTrack: number;
}
export const DEFAULT_THRESHOLDS: EvaluationThresholds = { onTrack: 1, offTrack: 0.9 };

export interface TargetContext {
  direction: Direction;
  /** The plan's base and target years. */
  baseYear: number;
  targetYear: number;
  /** The evaluation year; default the latest year with data. */
  asOf?: number;
  thresholds?: EvaluationThresholds;
  /** How to project to the target year; default compound. */
  projection?: ProjectionMethod;
  /** A base-year value from the plan (indicator.baseline), used where the series has none in that year. */
  baseline?: { year: number; value: number };
  /** `relative` targets: the series compared with. */
  reference?: YearlySeries;
  /** `rank` targets: the other peers' values (not the unit's own) in `year`. */
  peers?: { year: number; values: Float64Array };
}

export interface MilestoneCheck {
  year: number;
  value: number;
  /** The measured value (the sum to that year for cumulative targets); NaN when pending. */
  actual: number;
  status: MilestoneStatus;
}

export interface TargetExplanation {
  /** A short English sentence, e.g. "level ≥ 75000 by 2025". */
  rule: string;
  /** The points used, and the reference or peers where the kind takes them. */
  inputs: {
    years: number[];
    values: number[];
    reference?: { years: number[]; values: number[] };
    peers?: { year: number; values: number[] };
  };
  /** Every intermediate number, by name (NaN where not defined). */
  numbers: Record<string, number>;
  /** Why a status could not be computed, or a caveat. */
  note?: string;
}

export interface TargetEvaluation {
  kind: TargetKind;
  status: TargetStatus;
  aspirational: boolean;
  latestYear: number;
  latestValue: number;
  targetValue: number;
  targetYear: number;
  expectedToDate: number;
  /** Share of the way from base to target covered (raw: may be < 0 or > 1). */
  progress: number;
  projection: number;
  projectionMethod: ProjectionMethod | null;
  requiredGrowth: number;
  requiredIncrease: number;
  milestones: MilestoneCheck[];
  /** yearly and cumulative: years of the period up to the latest year with no data; others []. */
  missingYears: number[];
  explanation: TargetExplanation;
}

/** x op v; `~` is |x − v| ≤ tolerance. NaN never satisfies. */
export function satisfies(x: number, op: Comparison, v: number, tolerance = 0): boolean {
  switch (op) {
    case '>=':
      return x >= v;
    case '>':
      return x > v;
    case '<=':
      return x <= v;
    case '<':
      return x < v;
    case '~':
      return Math.abs(x - v) <= tolerance;
  }
}

const OP_TEXT: Record<Comparison, string> = { '>=': '≥', '>': '>', '<=': '≤', '<': '<', '~': '≈' };
const pct = (r: number) => `${+(r * 100).toPrecision(12)}%`;
const num = (x: number) => String(+x.toPrecision(15));

/** Sorted points with a value and year ≤ cutoff. */
interface Points {
  years: number[];
  values: number[];
}

function pointsOf(series: YearlySeries, cutoff: number, from = -Infinity): Points {
  const idx: number[] = [];
  for (let i = 0; i < series.values.length; i++) {
    const t = series.years[i]!;
    if (!Number.isNaN(series.values[i]!) && t <= cutoff && t >= from) idx.push(i);
  }
  idx.sort((a, b) => series.years[a]! - series.years[b]!);
  return { years: idx.map((i) => series.years[i]!), values: idx.map((i) => series.values[i]!) };
}

const asSeries = (p: Points): YearlySeries => ({ years: p.years, values: Float64Array.from(p.values) });

function latestDataYear(series: YearlySeries): number {
  let y = NaN;
  for (let i = 0; i < series.values.length; i++)
    if (!Number.isNaN(series.values[i]!) && !(series.years[i]! <= y)) y = series.years[i]!;
  return y;
}

/**
 * The base point: the value in `year`, else the baseline when it is for that year, else the first
 * later point. Returns the points with the baseline inserted when it was used. The baseline completes
 * a series, it does not stand in for one: with no point of its own the series stays empty (no data),
 * or a unit that never reported would be "on track" (nothing due since the base).
 */
function withBase(
  points: Points,
  year: number,
  baseline: TargetContext['baseline'],
): { points: Points; base: number; source: number } {
  let at = points.years.indexOf(year);
  if (at < 0 && points.years.length > 0 && baseline && baseline.year === year && !Number.isNaN(baseline.value)) {
    const insertAt = points.years.findIndex((t) => t > year);
    const pos = insertAt < 0 ? points.years.length : insertAt;
    const years = [...points.years];
    const values = [...points.values];
    years.splice(pos, 0, year);
    values.splice(pos, 0, baseline.value);
    return { points: { years, values }, base: pos, source: 1 };
  }
  if (at < 0) at = points.years.findIndex((t) => t > year);
  return { points, base: at, source: 0 };
}

function missingYearsIn(points: Points, from: number, to: number): number[] {
  const have = new Set(points.years);
  const out: number[] = [];
  for (let t = from; t <= to; t++) if (!have.has(t)) out.push(t);
  return out;
}

function statusFromRatio(ratio: number, t: EvaluationThresholds): TargetStatus {
  if (Number.isNaN(ratio)) return 'at_risk';
  if (ratio >= t.onTrack) return 'on_track';
  if (ratio < t.offTrack) return 'off_track';
  return 'at_risk';
}

/** Evaluates one target on one unit's yearly series. */
export function evaluateTarget(target: Target, series: YearlySeries, ctx: TargetContext): TargetEvaluation {
  const due = target.year ?? ctx.targetYear;
  const asOf = ctx.asOf ?? latestDataYear(series);
  const cutoff = Math.min(asOf, due);
  const thresholds = ctx.thresholds ?? DEFAULT_THRESHOLDS;
  const method = ctx.projection ?? 'compound';

  const result: TargetEvaluation = {
    kind: target.kind,
    status: 'no_data',
    aspirational: target.aspirational ?? false,
    latestYear: NaN,
    latestValue: NaN,
    targetValue: NaN,
    targetYear: due,
    expectedToDate: NaN,
    progress: NaN,
    projection: NaN,
    projectionMethod: null,
    requiredGrowth: NaN,
    requiredIncrease: NaN,
    milestones: [],
    missingYears: [],
    explanation: { rule: '', inputs: { years: [], values: [] }, numbers: {} },
  };
  const numbers = result.explanation.numbers;
  const setPoints = (p: Points) => {
    result.explanation.inputs.years = p.years;
    result.explanation.inputs.values = p.values;
    const n = p.years.length;
    if (n > 0) {
      result.latestYear = p.years[n - 1]!;
      result.latestValue = p.values[n - 1]!;
    }
  };
  const setProjection = (p: Points) => {
    const proj = projectSeries(asSeries(p), due, method);
    result.projection = proj.value;
    result.projectionMethod = proj.method;
    numbers.projection = proj.value;
  };
  const setRequired = () => {
    result.requiredGrowth = requiredGrowthOf(result.latestYear, result.latestValue, due, result.targetValue);
    result.requiredIncrease = requiredIncreaseOf(result.latestYear, result.latestValue, due, result.targetValue);
    numbers.requiredGrowth = result.requiredGrowth;
    numbers.requiredIncrease = result.requiredIncrease;
  };

  switch (target.kind) {
    case 'level': {
      const tol = target.tolerance ?? 0;
      result.targetValue = target.value;
      result.explanation.rule =
        target.op === '~'
          ? `level ≈ ${num(target.value)} ± ${num(tol)} by ${due}`
          : `level ${OP_TEXT[target.op]} ${num(target.value)} by ${due}`;
      const found = withBase(pointsOf(series, cutoff), ctx.baseYear, ctx.baseline);
      // From the base point on; with all data before the base year, from the first point.
      const b = Math.max(found.base, 0);
      const points = { years: found.points.years.slice(b), values: found.points.values.slice(b) };
      const source = found.source;
      setPoints(points);
      if (points.years.length === 0) break;
      const baseYear = points.years[0]!;
      const baseValue = points.values[0]!;
      let pathEnd = target.value;
      if (target.op === '~') pathEnd = baseValue < target.value - tol ? target.value - tol : target.value + tol;
      const baseMet = satisfies(baseValue, target.op, target.value, tol);
      const achieved = satisfies(result.latestValue, target.op, target.value, tol);
      const span = due - baseYear;
      const elapsed = span > 0 ? Math.min(Math.max((result.latestYear - baseYear) / span, 0), 1) : 1;
      result.expectedToDate = baseMet ? target.value : baseValue + elapsed * (pathEnd - baseValue);
      result.progress = pathEnd === baseValue ? NaN : (result.latestValue - baseValue) / (pathEnd - baseValue);
      const ratio = elapsed > 0 ? result.progress / elapsed : NaN;
      Object.assign(numbers, {
        baseYear,
        baseValue,
        baseFromBaseline: source,
        pathEnd,
        tolerance: tol,
        elapsedShare: elapsed,
        expectedToDate: result.expectedToDate,
        progress: result.progress,
        ratio,
        onTrack: thresholds.onTrack,
        offTrack: thresholds.offTrack,
      });
      if (achieved) result.status = 'achieved';
      else if (result.latestYear >= due || baseMet) result.status = 'off_track';
      else if (elapsed === 0) result.status = 'on_track';
      else result.status = statusFromRatio(ratio, thresholds);
      if (baseMet && !achieved) result.explanation.note = 'the target was met at the base and no longer is';
      setProjection(points);
      result.requiredGrowth = requiredGrowthOf(result.latestYear, result.latestValue, due, pathEnd);
      result.requiredIncrease = requiredIncreaseOf(result.latestYear, result.latestValue, due, pathEnd);
      numbers.requiredGrowth = result.requiredGrowth;
      numbers.requiredIncrease = result.requiredIncrease;
      break;
    }

    case 'growth': {
      const from = target.from ?? ctx.baseYear;
      const op: Comparison = target.op === '~' ? '>=' : target.op;
      const compound = target.rate !== undefined;
      const rate = target.rate ?? target.amount ?? NaN;
      result.explanation.rule = compound
        ? `compound growth ${OP_TEXT[op]} ${pct(rate)} a year from ${from} to ${due}`
        : `increase ${OP_TEXT[op]} ${num(rate)} a year from ${from} to ${due}`;
      const { points, base, source } = withBase(pointsOf(series, cutoff, from), from, ctx.baseline);
      setPoints(points);
      if (base < 0 || Number.isNaN(rate)) break;
      const baseYear = points.years[base]!;
      const baseValue = points.values[base]!;
      const dt = result.latestYear - baseYear;
      const observed = compound
        ? compoundGrowthRate(baseYear, baseValue, result.latestYear, result.latestValue)
        : dt > 0
          ? (result.latestValue - baseValue) / dt
          : NaN;
      const at = (year: number) =>
        compound ? baseValue * Math.pow(1 + rate, year - baseYear) : baseValue + rate * (year - baseYear);
      result.targetValue = at(due);
      result.expectedToDate = at(result.latestYear);
      result.progress =
        result.targetValue === baseValue ? NaN : (result.latestValue - baseValue) / (result.targetValue - baseValue);
      // Asking for growth (≥ a positive rate, ≤ a negative one) has a path to follow; a cap does not.
      const asks = ((op === '>=' || op === '>') && rate > 0) || ((op === '<=' || op === '<') && rate < 0);
      const ratio = asks && dt > 0 ? observed / rate : NaN;
      Object.assign(numbers, {
        baseYear,
        baseValue,
        baseFromBaseline: source,
        observedGrowth: observed,
        requiredRate: rate,
        expectedToDate: result.expectedToDate,
        progress: result.progress,
        ratio,
        onTrack: thresholds.onTrack,
        offTrack: thresholds.offTrack,
      });
      if (compound && !(baseValue > 0)) {
        result.explanation.note = 'compound growth needs a positive base value';
        break;
      }
      const ended = result.latestYear >= due;
      if (asks) {
        if (satisfies(result.latestValue, op, result.targetValue)) result.status = 'achieved';
        else if (ended) result.status = 'off_track';
        else if (dt === 0) result.status = 'on_track';
        else result.status = statusFromRatio(ratio, thresholds);
      } else if (dt === 0) {
        result.status = 'on_track';
      } else {
        const ok = satisfies(observed, op, rate);
        result.status = ok ? (ended ? 'achieved' : 'on_track') : 'off_track';
      }
      setProjection(points);
      setRequired();
      break;
    }

    case 'yearly': {
      const from = target.from ?? ctx.baseYear + 1;
      const op: Comparison = target.op === '~' ? '>=' : target.op;
      result.explanation.rule = `each year ${from}–${due} ${OP_TEXT[op]} ${num(target.value)}`;
      result.targetValue = target.value;
      const points = pointsOf(series, cutoff, from);
      setPoints(points);
      if (points.years.length === 0) break;
      const failed: number[] = [];
      points.years.forEach((t, i) => {
        if (!satisfies(points.values[i]!, op, target.value)) failed.push(t);
      });
      result.missingYears = missingYearsIn(points, from, result.latestYear);
      const total = due - from + 1;
      const met = points.years.length - failed.length;
      result.expectedToDate = target.value;
      result.progress = met / total;
      result.status = failed.length > 0 ? 'off_track' : 'achieved';
      Object.assign(numbers, {
        yearsMet: met,
        yearsFailed: failed.length,
        yearsMissing: result.missingYears.length,
        yearsInPeriod: total,
        progress: result.progress,
      });
      if (failed.length > 0) result.explanation.note = `not met in ${failed.join(', ')}`;
      setProjection(points);
      break;
    }

    case 'cumulative': {
      const from = target.from ?? ctx.baseYear + 1;
      const op: Comparison = target.op === '~' ? '>=' : target.op;
      result.explanation.rule = `sum over ${from}–${due} ${OP_TEXT[op]} ${num(target.value)}`;
      result.targetValue = target.value;
      const points = pointsOf(series, cutoff, from);
      setPoints(points);
      const n = points.years.length;
      if (n === 0) break;
      const sum = points.values.reduce((s, v) => s + v, 0);
      const total = due - from + 1;
      const elapsedYears = result.latestYear - from + 1;
      const averageFlow = sum / n;
      const yearsLeft = Math.max(due - result.latestYear, 0);
      result.missingYears = missingYearsIn(points, from, result.latestYear);
      result.expectedToDate = (target.value * elapsedYears) / total;
      result.progress = sum / target.value;
      result.projection = sum + averageFlow * yearsLeft;
      result.projectionMethod = 'linear-trend';
      result.requiredIncrease = yearsLeft > 0 ? (target.value - sum) / yearsLeft : NaN;
      const ratio = sum / result.expectedToDate;
      Object.assign(numbers, {
        sum,
        elapsedYears,
        yearsInPeriod: total,
        yearsWithData: n,
        averageFlow,
        expectedToDate: result.expectedToDate,
        progress: result.progress,
        ratio,
        projection: result.projection,
        requiredIncrease: result.requiredIncrease,
        onTrack: thresholds.onTrack,
        offTrack: thresholds.offTrack,
      });
      const ended = result.latestYear >= due;
      const met = satisfies(sum, op, target.value);
      if (op === '>=' || op === '>') {
        if (met) result.status = 'achieved';
        else if (ended) result.status = 'off_track';
        else result.status = statusFromRatio(ratio, thresholds);
      } else if (!met) result.status = 'off_track';
      else if (ended) result.status = 'achieved';
      else result.status = satisfies(result.projection, op, target.value) ? 'on_track' : 'at_risk';
      break;
    }

    case 'trend': {
      const from = target.from ?? ctx.baseYear;
      const strict = target.strict ?? false;
      const word = ctx.direction === 'up' ? 'rises' : 'falls';
      result.explanation.rule = strict
        ? `${word} every year ${from}–${due}`
        : `the least-squares trend ${word} over ${from}–${due}`;
      const points = pointsOf(series, cutoff, from);
      setPoints(points);
      const n = points.years.length;
      if (n < 2) break;
      const d = ctx.direction === 'up' ? 1 : -1;
      let improved = 0;
      const worsened: number[] = [];
      for (let i = 1; i < n; i++) {
        if (d * (points.values[i]! - points.values[i - 1]!) > 0) improved++;
        else worsened.push(points.years[i]!);
      }
      const slope = linearTrend(asSeries(points)).slope;
      const lastImproved = d * (points.values[n - 1]! - points.values[n - 2]!) > 0;
      result.progress = improved / (n - 1);
      result.missingYears = missingYearsIn(points, points.years[0]!, result.latestYear);
      Object.assign(numbers, { slope, changes: n - 1, improved, progress: result.progress, strict: strict ? 1 : 0 });
      if (strict) result.status = worsened.length === 0 ? 'achieved' : 'off_track';
      else if (d * slope > 0) result.status = lastImproved ? 'achieved' : 'at_risk';
      else result.status = 'off_track';
      if (worsened.length > 0) result.explanation.note = `did not improve in ${worsened.join(', ')}`;
      setProjection(points);
      break;
    }

    case 'relative': {
      const tol = target.tolerance ?? 0;
      const opText =
        target.op === '~' ? `≈ (± ${target.measure === 'growth' ? pct(tol) : num(tol)})` : OP_TEXT[target.op];
      result.explanation.rule =
        target.measure === 'growth'
          ? `growth ${opText} the reference's growth over the same years, by ${due}`
          : `level ${opText} the reference's level in the same year, by ${due}`;
      const own = pointsOf(series, cutoff, target.measure === 'growth' ? ctx.baseYear : -Infinity);
      setPoints(own);
      if (!ctx.reference) {
        result.explanation.note = 'no reference series given';
        break;
      }
      const ref = pointsOf(ctx.reference, cutoff, target.measure === 'growth' ? ctx.baseYear : -Infinity);
      result.explanation.inputs.reference = ref;
      const refAt = new Map(ref.years.map((t, i) => [t, ref.values[i]!]));
      const common = own.years.map((t, i) => [t, i] as const).filter(([t]) => refAt.has(t));
      if (common.length === 0 || (target.measure === 'growth' && common.length < 2)) break;
      const [endYear, endIndex] = common[common.length - 1]!;
      result.latestYear = endYear;
      result.latestValue = own.values[endIndex]!;
      const refEnd = refAt.get(endYear)!;
      if (target.measure === 'level') {
        result.targetValue = refEnd;
        const ok = satisfies(result.latestValue, target.op, refEnd, tol);
        result.status = ok ? 'achieved' : 'off_track';
        Object.assign(numbers, { year: endYear, value: result.latestValue, referenceValue: refEnd, tolerance: tol });
        break;
      }
      const [startYear, startIndex] = common[0]!;
      const start = own.values[startIndex]!;
      const refStart = refAt.get(startYear)!;
      const g = compoundGrowthRate(startYear, start, endYear, result.latestValue);
      const gRef = compoundGrowthRate(startYear, refStart, endYear, refEnd);
      result.targetValue = start * Math.pow(1 + gRef, endYear - startYear);
      result.expectedToDate = result.targetValue;
      Object.assign(numbers, {
        startYear,
        endYear,
        startValue: start,
        referenceStartValue: refStart,
        referenceEndValue: refEnd,
        growth: g,
        referenceGrowth: gRef,
        difference: g - gRef,
        tolerance: tol,
      });
      if (Number.isNaN(g) || Number.isNaN(gRef)) {
        result.explanation.note = 'compound growth needs positive values';
        break;
      }
      result.status = satisfies(g, target.op, gRef, tol) ? 'achieved' : 'off_track';
      setProjection(own);
      break;
    }

    case 'rank': {
      const word = ctx.direction === 'up' ? 'higher' : 'lower';
      result.explanation.rule = `rank ${OP_TEXT[target.op]} ${target.value} among ${target.among}'s units (1 = best, ${word} is better)`;
      if (!ctx.peers) {
        result.explanation.note = 'no peer values given';
        break;
      }
      const year = ctx.peers.year;
      const own = pointsOf(series, year, year);
      setPoints(own);
      const peers = Array.from(ctx.peers.values).filter((v) => !Number.isNaN(v));
      result.explanation.inputs.peers = { year, values: peers };
      if (own.years.length === 0) break;
      const d = ctx.direction === 'up' ? 1 : -1;
      const better = peers.filter((v) => d * (v - result.latestValue) > 0).length;
      const rank = better + 1;
      // The value that would earn the wanted rank: tie the k-th best peer.
      const k = target.op === '<=' ? target.value : target.value - 1;
      const sorted = [...peers].sort((a, b) => d * (b - a));
      result.targetValue = k >= 1 && k <= sorted.length ? sorted[k - 1]! : NaN;
      result.status = satisfies(rank, target.op, target.value) ? 'achieved' : 'off_track';
      Object.assign(numbers, {
        rank,
        units: peers.length + 1,
        wantedRank: target.value,
        valueForWantedRank: result.targetValue,
      });
      break;
    }
  }

  result.milestones = checkMilestones(target, series, ctx, asOf);
  return result;
}

function checkMilestones(target: Target, series: YearlySeries, ctx: TargetContext, asOf: number): MilestoneCheck[] {
  if (!target.milestones?.length) return [];
  const points = pointsOf(series, asOf);
  let op: Comparison = ctx.direction === 'up' ? '>=' : '<=';
  let tol = 0;
  if (target.kind === 'level') {
    op = target.op;
    tol = target.tolerance ?? 0;
  } else if (target.kind === 'growth' || target.kind === 'yearly' || target.kind === 'cumulative') {
    op = target.op === '~' ? '>=' : target.op;
  }
  const from = target.kind === 'cumulative' ? (target.from ?? ctx.baseYear + 1) : -Infinity;
  return target.milestones.map((m) => {
    const at = points.years.indexOf(m.year);
    if (at < 0) return { year: m.year, value: m.value, actual: NaN, status: 'pending' };
    let actual = points.values[at]!;
    if (target.kind === 'cumulative') {
      actual = 0;
      points.years.forEach((t, i) => {
        if (t >= from && t <= m.year) actual += points.values[i]!;
      });
    }
    return { year: m.year, value: m.value, actual, status: satisfies(actual, op, m.value, tol) ? 'met' : 'missed' };
  });
}
