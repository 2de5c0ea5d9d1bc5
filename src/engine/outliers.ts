/**
 * Plausibility checks a reporter must confirm with a comment:
 * - a jump from the unit's own previous value beyond a threshold: |x − x₋₁| / |x₋₁|;
 * - a robust z-score among sibling units (Iglewicz & Hoaglin 1993, "modified z-score"):
 *   z = 0.6745 · (x − median) / MAD, with MAD the median absolute deviation; values with |z| > 3.5
 *   are potential outliers. When MAD = 0 (most siblings equal) the mean absolute deviation is used
 *   instead, z = (x − median) / (1.253314 · meanAD), as in the same reference; when that is 0 too,
 *   any value different from the median is an outlier (z = ±Infinity).
 */

export interface OutlierSettings {
  /** Relative change from the previous period above which a value is questioned (0.5 = 50%). */
  jump: number;
  /** |modified z| above which a value is questioned among its siblings. */
  robustZ: number;
  /** Fewer siblings with values than this: no sibling check (a median of three says little). */
  minSiblings: number;
}

export const DEFAULT_OUTLIER_SETTINGS: OutlierSettings = Object.freeze({ jump: 0.5, robustZ: 3.5, minSiblings: 5 });

/** Relative change from `previous` to `current`; Infinity from 0 to non-zero, NaN when either is missing. */
export function relativeChange(current: number, previous: number): number {
  if (Number.isNaN(current) || Number.isNaN(previous)) return NaN;
  if (previous === 0) return current === 0 ? 0 : Infinity;
  return (current - previous) / Math.abs(previous);
}

function median(sorted: Float64Array): number {
  const n = sorted.length;
  const mid = n >> 1;
  return n % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface RobustCentre {
  median: number;
  /** Median absolute deviation from the median. */
  mad: number;
  /** Mean absolute deviation from the median (used when MAD is 0). */
  meanAd: number;
  /** How many values it was computed from. */
  n: number;
}

/** Median, MAD and mean absolute deviation of `values` (NaN skipped); computed once for a group of siblings. */
export function robustCentre(values: ArrayLike<number>): RobustCentre {
  const present: number[] = [];
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) present.push(values[i]!);
  if (present.length === 0) return { median: NaN, mad: NaN, meanAd: NaN, n: 0 };
  const sorted = Float64Array.from(present).sort();
  const m = median(sorted);
  const deviations = sorted.map((v) => Math.abs(v - m)).sort();
  return {
    median: m,
    mad: median(deviations),
    meanAd: deviations.reduce((a, b) => a + b, 0) / deviations.length,
    n: sorted.length,
  };
}

/** Modified z-score of `x` against a centre computed with `robustCentre`. */
export function modifiedZ(x: number, c: RobustCentre): number {
  if (c.n === 0 || Number.isNaN(x)) return NaN;
  if (c.mad > 0) return (0.6745 * (x - c.median)) / c.mad;
  if (c.meanAd > 0) return (x - c.median) / (1.253314 * c.meanAd);
  return x === c.median ? 0 : x > c.median ? Infinity : -Infinity;
}

/** Modified z-score of `x` among `values` (NaN skipped); NaN when there are no values. */
export function robustZ(x: number, values: ArrayLike<number>): number {
  return modifiedZ(x, robustCentre(values));
}
