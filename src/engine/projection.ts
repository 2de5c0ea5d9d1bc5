/**
 * Projections of a yearly series toward a target year, and the growth a unit still needs.
 *
 * Definitions:
 * - compound annual growth rate (CAGR) between (t0, y0) and (t1, y1): g = (y1 / y0)^(1 / (t1 − t0)) − 1,
 *   and the compound projection y(t) = y1 · (1 + g)^(t − t1);
 * - ordinary least-squares linear trend over the (year, value) points with a value (NaN skipped):
 *   slope b = Σ(t − t̄)(y − ȳ) / Σ(t − t̄)², intercept a = ȳ − b·t̄, fitted value a + b·t. Years are
 *   centred before summing so that b keeps its precision with years near 2020;
 * - required yearly growth from the latest value y_t to a target y_T by year T, compound:
 *   (y_T / y_t)^(1 / (T − t)) − 1; and required yearly increase, absolute: (y_T − y_t) / (T − t).
 *
 * Edge cases (NaN means "not defined", the CLI and JSON print it as null):
 * - a growth rate needs two distinct years and y0 > 0 and y1 ≥ 0 (a zero or negative base has no
 *   meaningful compound growth; y1 = 0 gives g = −1);
 * - a trend needs at least two points in at least two distinct years;
 * - the required growth and increase need T > t (no years left means nothing can be required);
 *   they are returned raw even when the target is already met, so a negative required growth of a
 *   "≥" target says how much the value may fall and still meet it.
 */

/** Yearly (year, value) points, parallel arrays; `NaN` values are missing. */
export interface YearlySeries {
  readonly years: Int32Array | readonly number[];
  readonly values: Float64Array;
}

/** CAGR from (startYear, startValue) to (endYear, endValue); NaN where not defined (see the module notes). */
export function compoundGrowthRate(startYear: number, startValue: number, endYear: number, endValue: number): number {
  const span = endYear - startYear;
  if (!(span > 0) || !(startValue > 0) || !(endValue >= 0)) return NaN;
  return Math.pow(endValue / startValue, 1 / span) - 1;
}

/** value · (1 + rate)^(toYear − fromYear). */
export function projectCompound(fromYear: number, value: number, rate: number, toYear: number): number {
  return value * Math.pow(1 + rate, toYear - fromYear);
}

/** value + increase · (toYear − fromYear). */
export function projectLinear(fromYear: number, value: number, increase: number, toYear: number): number {
  return value + increase * (toYear - fromYear);
}

export interface LinearTrend {
  /** Change per year. NaN with fewer than two distinct years. */
  slope: number;
  /** Fitted value at year 0 (a + b·0); use `trendValue` for a year. */
  intercept: number;
  /** Points used (value not NaN, within the year window). */
  n: number;
  /** Mean year of the points used (the centring point). */
  meanYear: number;
  /** Mean value of the points used. */
  meanValue: number;
}

/**
 * Least-squares line through the points with a value, optionally only those with fromYear ≤ year ≤ toYear.
 */
export function linearTrend(series: YearlySeries, fromYear = -Infinity, toYear = Infinity): LinearTrend {
  const { years, values } = series;
  let n = 0;
  let sumT = 0;
  let sumY = 0;
  for (let i = 0; i < values.length; i++) {
    const y = values[i]!;
    const t = years[i]!;
    if (Number.isNaN(y) || t < fromYear || t > toYear) continue;
    n++;
    sumT += t;
    sumY += y;
  }
  if (n === 0) return { slope: NaN, intercept: NaN, n, meanYear: NaN, meanValue: NaN };
  const meanYear = sumT / n;
  const meanValue = sumY / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < values.length; i++) {
    const y = values[i]!;
    const t = years[i]!;
    if (Number.isNaN(y) || t < fromYear || t > toYear) continue;
    sxx += (t - meanYear) * (t - meanYear);
    sxy += (t - meanYear) * (y - meanValue);
  }
  if (sxx === 0) return { slope: NaN, intercept: NaN, n, meanYear, meanValue };
  const slope = sxy / sxx;
  return { slope, intercept: meanValue - slope * meanYear, n, meanYear, meanValue };
}

/** The fitted value of a trend in a year (computed around the mean year, for precision). */
export function trendValue(trend: LinearTrend, year: number): number {
  return trend.meanValue + trend.slope * (year - trend.meanYear);
}

/** Compound yearly growth still required to go from `value` in `year` to `target` in `targetYear`. */
export function requiredGrowth(year: number, value: number, targetYear: number, target: number): number {
  return compoundGrowthRate(year, value, targetYear, target);
}

/** Absolute yearly increase still required to go from `value` in `year` to `target` in `targetYear`. */
export function requiredIncrease(year: number, value: number, targetYear: number, target: number): number {
  const span = targetYear - year;
  if (!(span > 0)) return NaN;
  return (target - value) / span;
}

/** The value of a series in a year (NaN when the year is absent or its value missing). */
export function valueInYear(series: YearlySeries, year: number): number {
  const { years, values } = series;
  for (let i = 0; i < values.length; i++) if (years[i] === year) return values[i]!;
  return NaN;
}

/** Index of the point with a value and the latest year ≤ `upTo`; −1 when none. */
export function latestIndex(series: YearlySeries, upTo = Infinity): number {
  const { years, values } = series;
  let best = -1;
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i]!) || years[i]! > upTo) continue;
    if (best < 0 || years[i]! > years[best]!) best = i;
  }
  return best;
}

/** Index of the point with a value and the earliest year ≥ `from` (and ≤ `upTo`); −1 when none. */
export function earliestIndex(series: YearlySeries, from = -Infinity, upTo = Infinity): number {
  const { years, values } = series;
  let best = -1;
  for (let i = 0; i < values.length; i++) {
    const t = years[i]!;
    if (Number.isNaN(values[i]!) || t < from || t > upTo) continue;
    if (best < 0 || t < years[best]!) best = i;
  }
  return best;
}

export const PROJECTION_METHODS = ['compound', 'linear-trend'] as const;
export type ProjectionMethod = (typeof PROJECTION_METHODS)[number];

export interface Projection {
  /** The method actually used: `compound` falls back to `linear-trend` where a CAGR is not defined. */
  method: ProjectionMethod | null;
  /** Projected value in `toYear`; NaN when neither method applies (fewer than two points). */
  value: number;
  /** CAGR from the first to the latest point (compound), else NaN. */
  rate: number;
  /** Least-squares slope (linear-trend), else NaN. */
  slope: number;
}

/**
 * Projects a series to `toYear` from its points in [fromYear, upTo]:
 * - `compound`: the CAGR from the earliest to the latest point, continued from the latest point;
 * - `linear-trend`: the least-squares line through the points, read at `toYear`.
 * A compound projection needs a positive first value; otherwise the trend is used (and reported).
 */
export function projectSeries(
  series: YearlySeries,
  toYear: number,
  method: ProjectionMethod,
  fromYear = -Infinity,
  upTo = Infinity,
): Projection {
  const first = earliestIndex(series, fromYear, upTo);
  const last = latestIndex(series, upTo);
  const none: Projection = { method: null, value: NaN, rate: NaN, slope: NaN };
  if (first < 0 || last < 0 || first === last) return none;
  if (method === 'compound') {
    const t0 = series.years[first]!;
    const t1 = series.years[last]!;
    const rate = compoundGrowthRate(t0, series.values[first]!, t1, series.values[last]!);
    if (!Number.isNaN(rate))
      return { method, value: projectCompound(t1, series.values[last]!, rate, toYear), rate, slope: NaN };
  }
  const trend = linearTrend(series, fromYear, upTo);
  if (Number.isNaN(trend.slope)) return none;
  return { method: 'linear-trend', value: trendValue(trend, toYear), rate: NaN, slope: trend.slope };
}
