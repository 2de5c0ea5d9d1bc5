/**
 * The Open SDG progress measure: Statistics Canada's method as implemented by sdg-build 2.4
 * (`sdg/ProgressMeasure.py`, class `SeriesProgress`), for one yearly series.
 *
 * Definition:
 * - years: the current year t is the latest year with data; the base year t0 is the configured one or,
 *   where it has no data, the first later year with data (configured base year omitted: the first
 *   year with data). t − t0 < 1 → no progress value.
 * - sign s = −1 when the base value is negative, else 1. A base value of 0 is replaced by 0.001 and a
 *   target of 0 by 0.001. Base and current values of opposite signs → no progress value.
 * - observed growth g_o = (y_t / y_0)^(1/(t − t0)) − 1; with a target y_T in year T, required growth
 *   g_r = (y_T / y_0)^(1/(T − t0)) − 1.
 * - progress value v = s·d·g_o without a target, v = s·d·g_o / |g_r| with one; d = +1 when higher is
 *   better, −1 when lower is better.
 * - thresholds (high / med / low): with a target 0.95 / 0.60 / 0; without, 0.015 / 0.005 / 0, multiplied
 *   by a coefficient C when the indicator has a natural limit L: with b = |y_0|,
 *   C = 1 if b ≥ 2L; 1 − (b/L)^4.44 if b ≤ L; 1 − ((2L − b)/L)^4.44 otherwise.
 * - status: target_achieved when the current value is on the good side of the target (≥ for up, ≤ for
 *   down), or g_r = 0; else substantial_progress (v ≥ high), moderate_progress (med ≤ v < high),
 *   limited_progress (low ≤ v < med), deterioration (v < low); not_available without v.
 * - score in [−5, 5]: target achieved → 5. Without a target: max(125v − 2.5, −5) below low; 5 when C = 0
 *   (and v ≥ low); 500v/C − 2.5 from low; 250v/C − 1.25 from med; min(500v/C − 5, 5) from high. With a
 *   target: min(7.1429v − 4.2857, 5) when v ≥ med (0.6), else max(4.1667v − 2.5, −5).
 *
 * Choices where the definition is silent, each as sdg-build does it unless said otherwise:
 * - "target achieved" needs only the current value, so it is decided even where v is not available (one
 *   year of data, opposite signs, no base year); v and the growths are still reported where defined.
 * - C is computed from the base value as observed (before 0 → 0.001) and from |L|.
 * - g_r = 0 (a target equal to the base value) counts as achieved (sdg-build divides by zero there);
 *   a target year not after the base year, or a target of the opposite sign to the base, gives no g_r
 *   and so no v.
 * - `baseValue` in the result is the observed value (0 stays 0), not the 0.001 used in the growths.
 */
import type { Direction } from '../domain/plan.js';
import { earliestIndex, latestIndex, type YearlySeries } from './projection.js';

export const PROGRESS_STATUSES = [
  'target_achieved',
  'substantial_progress',
  'moderate_progress',
  'limited_progress',
  'deterioration',
  'not_available',
] as const;
export type ProgressStatus = (typeof PROGRESS_STATUSES)[number];

export interface ProgressMeasureOptions {
  direction: Direction;
  /** Configured base year; omitted: the first year with data. */
  baseYear?: number;
  /** A quantitative target: reach `value` by `year`. */
  target?: { value: number; year: number };
  /** A natural limit of the indicator (e.g. 1 for a coverage rate); used only without a target. */
  limit?: number;
}

export interface ProgressThresholds {
  high: number;
  med: number;
  low: number;
}

export interface ProgressMeasure {
  baseYear: number;
  baseValue: number;
  currentYear: number;
  currentValue: number;
  observedGrowth: number;
  requiredGrowth: number;
  progressValue: number;
  /** In [−5, 5]; NaN when not available. */
  score: number;
  status: ProgressStatus;
  targetAchieved: boolean;
  /** s: −1 for a negative base value, else 1 (NaN without a base value). */
  sign: number;
  /** C, the reduction coefficient near a limit (1 without a limit, or with a target). */
  coefficient: number;
  /** Thresholds after multiplying by C. */
  thresholds: ProgressThresholds;
}

/** Used in place of a base value or target of exactly 0 (sdg-build). */
export const ZERO_REPLACEMENT = 0.001;
/** The exponent of the limit coefficient. */
export const LIMIT_EXPONENT = 4.44;

const WITH_TARGET: ProgressThresholds = { high: 0.95, med: 0.6, low: 0 };
const WITHOUT_TARGET: ProgressThresholds = { high: 0.015, med: 0.005, low: 0 };

/** C for a base value near a natural limit, b = |baseValue|, L = |limit|. */
export function limitCoefficient(baseValue: number, limit: number): number {
  const b = Math.abs(baseValue);
  const l = Math.abs(limit);
  // b ≥ 2L first, so that b = L = 0 gives C = 1 (as sdg-build does).
  if (b >= 2 * l) return 1;
  if (b <= l) return 1 - Math.pow(b / l, LIMIT_EXPONENT);
  return 1 - Math.pow((2 * l - b) / l, LIMIT_EXPONENT);
}

function growth(current: number, base: number, currentYear: number, baseYear: number): number {
  return Math.pow(current / base, 1 / (currentYear - baseYear)) - 1;
}

export function statusOfProgress(
  value: number,
  thresholds: ProgressThresholds,
  targetAchieved: boolean,
): ProgressStatus {
  if (targetAchieved) return 'target_achieved';
  if (Number.isNaN(value)) return 'not_available';
  if (value >= thresholds.high) return 'substantial_progress';
  if (value >= thresholds.med) return 'moderate_progress';
  if (value >= thresholds.low) return 'limited_progress';
  return 'deterioration';
}

/** The score of a progress value; `thresholds` already multiplied by `coefficient`. */
export function scoreOfProgress(
  value: number,
  thresholds: ProgressThresholds,
  coefficient: number,
  withTarget: boolean,
  targetAchieved: boolean,
): number {
  if (targetAchieved) return 5;
  if (Number.isNaN(value)) return NaN;
  if (withTarget) {
    return value >= thresholds.med ? Math.min(7.1429 * value - 4.2857, 5) : Math.max(4.1667 * value - 2.5, -5);
  }
  if (value < thresholds.low) return Math.max(125 * value - 2.5, -5);
  // C = 0: the base value sits at the limit and has not moved away from it.
  if (coefficient === 0) return 5;
  if (value >= thresholds.high) return Math.min((500 * value) / coefficient - 5, 5);
  if (value >= thresholds.med) return (250 * value) / coefficient - 1.25;
  return (500 * value) / coefficient - 2.5;
}

/** The progress measure of one series; `series` may hold NaN (missing) values and years in any order. */
export function progressMeasure(series: YearlySeries, options: ProgressMeasureOptions): ProgressMeasure {
  const d = options.direction === 'up' ? 1 : -1;
  const target = options.target
    ? { value: options.target.value === 0 ? ZERO_REPLACEMENT : options.target.value, year: options.target.year }
    : undefined;
  const withTarget = target !== undefined;
  const result: ProgressMeasure = {
    baseYear: NaN,
    baseValue: NaN,
    currentYear: NaN,
    currentValue: NaN,
    observedGrowth: NaN,
    requiredGrowth: NaN,
    progressValue: NaN,
    score: NaN,
    status: 'not_available',
    targetAchieved: false,
    sign: NaN,
    coefficient: 1,
    thresholds: { ...(withTarget ? WITH_TARGET : WITHOUT_TARGET) },
  };

  const current = latestIndex(series);
  if (current < 0) return result;
  result.currentYear = series.years[current]!;
  result.currentValue = series.values[current]!;

  // The target is judged on the current value alone.
  if (target) {
    result.targetAchieved = d === 1 ? result.currentValue >= target.value : result.currentValue <= target.value;
  }

  const base = earliestIndex(series, options.baseYear ?? -Infinity);
  if (base >= 0) {
    result.baseYear = series.years[base]!;
    result.baseValue = series.values[base]!;
    result.sign = result.baseValue < 0 ? -1 : 1;
    if (!withTarget && options.limit !== undefined) {
      const c = limitCoefficient(result.baseValue, options.limit);
      result.coefficient = c;
      result.thresholds = { high: WITHOUT_TARGET.high * c, med: WITHOUT_TARGET.med * c, low: WITHOUT_TARGET.low * c };
    }
    const y0 = result.baseValue === 0 ? ZERO_REPLACEMENT : result.baseValue;
    const yt = result.currentValue;
    const span = result.currentYear - result.baseYear;
    const oppositeSigns = (y0 > 0 && yt < 0) || (y0 < 0 && yt > 0);
    if (target && target.year > result.baseYear) {
      result.requiredGrowth = growth(target.value, y0, target.year, result.baseYear);
      if (result.requiredGrowth === 0) result.targetAchieved = true;
    }
    if (span >= 1 && !oppositeSigns) {
      result.observedGrowth = growth(yt, y0, result.currentYear, result.baseYear);
      const v = result.sign * d * result.observedGrowth;
      if (!target) result.progressValue = v;
      else if (result.requiredGrowth !== 0) result.progressValue = v / Math.abs(result.requiredGrowth);
    }
  }

  result.status = statusOfProgress(result.progressValue, result.thresholds, result.targetAchieved);
  result.score = scoreOfProgress(
    result.progressValue,
    result.thresholds,
    result.coefficient,
    withTarget,
    result.targetAchieved,
  );
  return result;
}
