/**
 * What-if: extend yearly series to a year under assumed growth, then re-evaluate targets on the
 * extended series — "if 磐安's income grows 9% a year, is the 2.2 max/min county income ratio met in
 * 2025?".
 *
 * Rules for the years after a unit's latest value (earlier years keep their data, NaN stays NaN):
 * - `rate`: compound from the latest value, y(t) = y_latest · (1 + rate)^(t − latest year);
 * - `amount`: linear from the latest value, y(t) = y_latest + amount · (t − latest year);
 * - `compound` / `linear-trend`: the unit's own CAGR or least-squares trend over its data from
 *   `fromYear`, exactly as `projectSeries` (projection.ts) projects — so a what-if with no assumption
 *   reproduces the projection of a target evaluation. The trend is the fitted line, not a line through
 *   the latest value. A compound rule falls back to the trend where the CAGR is not defined, and a unit
 *   with fewer than two points stays flat;
 * - `flat`: the latest value carried forward.
 *
 * A formula or disparity over units (a max/min ratio of county incomes) is recomputed by the caller on
 * the projected panel: `crossSection` gives the units' values in one year, `seriesOverUnits` turns a
 * function of a cross-section into a yearly series that `evaluateTarget` takes.
 */
import type { Target } from '../domain/plan.js';
import { evaluateTarget, type TargetContext, type TargetEvaluation } from './targets.js';
import {
  latestIndex,
  linearTrend,
  projectSeries,
  trendValue,
  type ProjectionMethod,
  type YearlySeries,
} from './projection.js';

export type ExtensionRule =
  | { kind: 'rate'; rate: number }
  | { kind: 'amount'; amount: number }
  | { kind: ProjectionMethod; fromYear?: number }
  | { kind: 'flat' };

export interface ExtendedSeries {
  /** Every year from the first year of the input to `toYear`, ascending. */
  years: Int32Array;
  values: Float64Array;
  /** 1 where the value is projected, 0 where it is data (or missing data). */
  projected: Uint8Array;
}

/** The series on consecutive years up to `toYear`, with the years after its latest value projected. */
export function extendSeries(series: YearlySeries, toYear: number, rule: ExtensionRule): ExtendedSeries {
  let first = Infinity;
  for (let i = 0; i < series.years.length; i++) first = Math.min(first, series.years[i]!);
  if (first === Infinity) first = toYear;
  const last = Math.max(toYear, first);
  const n = last - first + 1;
  const years = new Int32Array(n);
  const values = new Float64Array(n).fill(NaN);
  const projected = new Uint8Array(n);
  for (let i = 0; i < n; i++) years[i] = first + i;
  for (let i = 0; i < series.years.length; i++) {
    const t = series.years[i]!;
    if (t <= last) values[t - first] = series.values[i]!;
  }

  const li = latestIndex(series);
  if (li < 0) return { years, values, projected };
  const latestYear = series.years[li]!;
  const latest = series.values[li]!;
  let at: (year: number) => number;
  switch (rule.kind) {
    case 'rate':
      at = (t) => latest * Math.pow(1 + rule.rate, t - latestYear);
      break;
    case 'amount':
      at = (t) => latest + rule.amount * (t - latestYear);
      break;
    case 'compound':
    case 'linear-trend': {
      const from = rule.fromYear ?? -Infinity;
      const probe = projectSeries(series, latestYear + 1, rule.kind, from);
      if (probe.method === null) at = () => latest;
      else if (probe.method === 'compound') at = (t) => latest * Math.pow(1 + probe.rate, t - latestYear);
      else {
        const trend = linearTrend(series, from);
        at = (t) => trendValue(trend, t);
      }
      break;
    }
    case 'flat':
      at = () => latest;
      break;
  }
  for (let t = latestYear + 1; t <= last; t++) {
    values[t - first] = at(t);
    projected[t - first] = 1;
  }
  return { years, values, projected };
}

/** Units' yearly values on one grid of years: values[u][i] is unit u in years[i] (NaN missing). */
export interface UnitPanel {
  years: Int32Array;
  units: readonly string[];
  values: readonly Float64Array[];
}

export interface ProjectedPanel extends UnitPanel {
  /** projected[u][i] = 1 where unit u's value in years[i] is projected. */
  projected: readonly Uint8Array[];
  /** The rule applied to each unit. */
  rules: readonly ExtensionRule[];
}

export interface PanelWhatIf {
  toYear: number;
  /** Assumed compound yearly growth by unit code, from each such unit's latest value. */
  rates: Readonly<Record<string, number>>;
  /** How the other units are extended: their own CAGR, trend, or flat. */
  others: ProjectionMethod | 'flat';
  /** First year of the window the others' CAGR or trend uses (e.g. the plan's base year). */
  fromYear?: number;
}

/** Every unit extended to `toYear`: assumed rates where given, the others by `others`. */
export function projectPanel(panel: UnitPanel, whatIf: PanelWhatIf): ProjectedPanel {
  const first = panel.years.length > 0 ? Math.min(...panel.years) : whatIf.toYear;
  const last = Math.max(whatIf.toYear, first);
  const n = last - first + 1;
  const years = new Int32Array(n);
  for (let i = 0; i < n; i++) years[i] = first + i;
  const values: Float64Array[] = [];
  const projected: Uint8Array[] = [];
  const rules: ExtensionRule[] = [];
  panel.units.forEach((unit, u) => {
    const rate = Object.hasOwn(whatIf.rates, unit) ? whatIf.rates[unit] : undefined;
    const rule: ExtensionRule =
      rate !== undefined
        ? { kind: 'rate', rate }
        : whatIf.others === 'flat'
          ? { kind: 'flat' }
          : { kind: whatIf.others, ...(whatIf.fromYear !== undefined && { fromYear: whatIf.fromYear }) };
    const ext = extendSeries({ years: panel.years, values: panel.values[u]! }, last, rule);
    // Align to the panel's grid (a unit's own first year is the panel's first year).
    const v = new Float64Array(n).fill(NaN);
    const p = new Uint8Array(n);
    for (let i = 0; i < ext.years.length; i++) {
      const k = ext.years[i]! - first;
      if (k >= 0 && k < n) {
        v[k] = ext.values[i]!;
        p[k] = ext.projected[i]!;
      }
    }
    values.push(v);
    projected.push(p);
    rules.push(rule);
  });
  return { years, units: panel.units, values, projected, rules };
}

/** The units' values in one year (NaN for a year off the grid). */
export function crossSection(panel: UnitPanel, year: number): Float64Array {
  const i = panel.years.indexOf(year);
  const out = new Float64Array(panel.units.length).fill(NaN);
  if (i < 0) return out;
  panel.values.forEach((v, u) => {
    out[u] = v[i]!;
  });
  return out;
}

/** A yearly series of a statistic over the units (e.g. the max/min ratio), one value per panel year. */
export function seriesOverUnits(panel: UnitPanel, statistic: (values: Float64Array) => number): YearlySeries {
  const values = new Float64Array(panel.years.length);
  for (let i = 0; i < panel.years.length; i++) values[i] = statistic(crossSection(panel, panel.years[i]!));
  return { years: panel.years, values };
}

/**
 * Evaluates a target on the series extended to the target's year by `rule`, as of that year.
 * The extension runs to the target's own year (or the plan's target year).
 */
export function evaluateWhatIf(
  target: Target,
  series: YearlySeries,
  ctx: TargetContext,
  rule: ExtensionRule,
): { evaluation: TargetEvaluation; extended: ExtendedSeries } {
  const due = target.year ?? ctx.targetYear;
  const extended = extendSeries(series, due, rule);
  return { evaluation: evaluateTarget(target, extended, { ...ctx, asOf: due }), extended };
}
