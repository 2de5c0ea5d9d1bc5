/**
 * Step 5 of the whole-plan evaluation (see evaluate.ts): every indicator × org unit at the indicator's
 * levels × each of its targets, by `evaluateTarget` (targets.ts) on the unit's yearly series, and the
 * Open SDG progress measure (sdg-progress.ts) as a second opinion. Also the context a target needs —
 * thresholds, the root's baseline, the reference series of a relative target, the peers of a rank
 * target — which the horse race (step 6) reuses year by year.
 */
import type { Indicator, Plan, Target } from '../../domain/plan.js';
import { childrenOf, type OrgTree } from '../org-tree.js';
import { valueInYear, type YearlySeries } from '../projection.js';
import { progressMeasure, type ProgressMeasureOptions } from '../sdg-progress.js';
import { evaluateTarget, type TargetContext, type TargetEvaluation } from '../targets.js';
import type { CellEvaluation, EvaluationOrgUnit, ExternalSeries, Origin, YearlyValues } from './types.js';
import type { YearAxis } from './values.js';

const ORIGIN_NAMES: readonly Origin[] = ['missing', 'reported', 'computed'];

/** What target evaluation reads, shared by the cells and the horse race. */
export interface TargetsContext {
  readonly plan: Plan;
  readonly tree: OrgTree;
  readonly rows: readonly EvaluationOrgUnit[];
  readonly years: YearAxis;
  readonly root: number;
  readonly asOf: number;
  readonly values: (code: string) => YearlyValues;
  readonly external: ExternalIndex;
  /** Units of each set of levels (key: levels joined by ','), in preorder; filled on first use. */
  readonly unitsOfLevels: Map<string, Int32Array>;
}

export interface ExternalIndex {
  readonly byUnit: ReadonlyMap<string, ExternalSeries>;
  readonly byParent: ReadonlyMap<string, readonly ExternalSeries[]>;
}

const key = (indicator: string, unit: string) => `${indicator}\u0000${unit}`;

/** Outside series by (indicator, org unit) and by (indicator, parent); the first of duplicates wins. */
export function indexExternal(series: readonly ExternalSeries[] | undefined, tree: OrgTree): ExternalIndex {
  const byUnit = new Map<string, ExternalSeries>();
  const byParent = new Map<string, ExternalSeries[]>();
  for (const s of series ?? []) {
    if (s.years.length !== s.values.length)
      throw new RangeError(
        `the series of ${s.indicator} for ${s.orgUnit} has ${s.years.length} years and ${s.values.length} values`,
      );
    const k = key(s.indicator, s.orgUnit);
    if (byUnit.has(k)) continue;
    byUnit.set(k, s);
    // A unit of the tree speaks for itself: its own values come from the evaluation.
    if (s.parent !== undefined && !tree.index.has(s.orgUnit)) {
      const pk = key(s.indicator, s.parent);
      const list = byParent.get(pk) ?? [];
      list.push(s);
      byParent.set(pk, list);
    }
  }
  return { byUnit, byParent };
}

/** The unit's yearly series of an indicator (a view, no copy). */
export function seriesAt(ctx: TargetsContext, code: string, unit: number): YearlySeries {
  const Y = ctx.years.count;
  return { years: ctx.years.years, values: ctx.values(code).value.subarray(unit * Y, (unit + 1) * Y) };
}

/** The units at any of the indicator's levels, in preorder. */
export function unitsAtLevels(ctx: TargetsContext, levels: readonly string[]): Int32Array {
  const k = levels.join(',');
  let units = ctx.unitsOfLevels.get(k);
  if (!units) {
    const codes = new Set(levels.map((l) => ctx.tree.levels.indexOf(l)).filter((c) => c >= 0));
    const list: number[] = [];
    for (let p = 0; p < ctx.tree.size; p++)
      if (codes.has(ctx.tree.level[ctx.tree.topDown[p]!]!)) list.push(ctx.tree.topDown[p]!);
    units = Int32Array.from(list);
    ctx.unitsOfLevels.set(k, units);
  }
  return units;
}

/**
 * Evaluates one target at one unit as of `asOf`:
 * - baseline: the indicator's `baseline` for the root only (the plan's figures are the root's), and
 *   which completes a series but never stands in for one (targets.ts `withBase`);
 * - relative: the reference indicator (default this one) of the reference unit (default this one),
 *   from the evaluation when the unit is in the tree, else from the outside series; none → no_data
 *   with a note that says what to pass;
 * - rank among X: only a child of X has peers — X's other children in the tree and the outside series
 *   whose parent is X — with their values in the latest year ≤ min(asOf, target year) in which the
 *   unit has a value. Other units, or no peer with a value that year → no_data with a note.
 */
export function evaluateTargetAt(
  ctx: TargetsContext,
  ind: Indicator,
  target: Target,
  unit: number,
  asOf: number,
): TargetEvaluation {
  const { plan, tree } = ctx;
  const series = seriesAt(ctx, ind.code, unit);
  const context: TargetContext = {
    direction: ind.direction,
    baseYear: plan.baseYear,
    targetYear: plan.targetYear,
    asOf,
    thresholds: { onTrack: plan.evaluation.onTrack, offTrack: plan.evaluation.offTrack },
    projection: plan.evaluation.projection,
  };
  if (unit === ctx.root && ind.baseline) context.baseline = { year: ind.baseline.year, value: ind.baseline.value };
  let note: string | undefined;
  const code = tree.codes[unit]!;

  if (target.kind === 'relative') {
    const refIndicator = target.reference.indicator ?? ind.code;
    const refUnit = target.reference.orgUnit ?? code;
    const inTree = tree.index.get(refUnit);
    if (inTree !== undefined) context.reference = seriesAt(ctx, refIndicator, inTree);
    else {
      const s = ctx.external.byUnit.get(key(refIndicator, refUnit));
      if (s) context.reference = { years: s.years, values: s.values };
      else
        note = `no series of ${refIndicator} for ${refUnit} was given: ${refUnit} is outside the tree, pass it as an external series`;
    }
  }

  if (target.kind === 'rank') {
    const among = target.among;
    if (ctx.rows[unit]!.parent !== among) note = `the rank is among ${among}'s units, and ${code} is not one of them`;
    else {
      const cutoff = Math.min(asOf, target.year ?? plan.targetYear);
      let year = NaN;
      for (let j = ctx.years.count - 1; j >= 0; j--)
        if (ctx.years.first + j <= cutoff && series.values[j] === series.values[j]) {
          year = ctx.years.first + j;
          break;
        }
      if (Number.isNaN(year)) note = `${code} has no value up to ${cutoff}`;
      else {
        const peers: number[] = [];
        const amongIndex = tree.index.get(among);
        if (amongIndex !== undefined)
          for (const sibling of childrenOf(tree, amongIndex))
            if (sibling !== unit) peers.push(valueAt(ctx, ind.code, sibling, year));
        for (const s of ctx.external.byParent.get(key(ind.code, among)) ?? [])
          if (s.orgUnit !== code) peers.push(valueInYear(s, year));
        if (peers.some((v) => v === v)) context.peers = { year, values: Float64Array.from(peers) };
        else note = `no other unit among ${among}'s has a value of ${ind.code} in ${year}`;
      }
    }
  }

  const result = evaluateTarget(target, series, context);
  if (note !== undefined && result.status === 'no_data') result.explanation.note = note;
  return result;
}

/**
 * Does the series have a value of its own up to `asOf`? The plan's baseline completes the root's
 * series, it does not stand in for one (the same rule as targets.ts's base point).
 */
function hasValueUpTo(ctx: TargetsContext, series: YearlySeries, asOf: number): boolean {
  for (let j = 0; j < ctx.years.count && ctx.years.first + j <= asOf; j++)
    if (series.values[j] === series.values[j]) return true;
  return false;
}

function valueAt(ctx: TargetsContext, code: string, unit: number, year: number): number {
  const j = year - ctx.years.first;
  return j >= 0 && j < ctx.years.count ? ctx.values(code).value[unit * ctx.years.count + j]! : NaN;
}

/**
 * The progress measure of the unit's series up to asOf (with the root's baseline where its base year
 * has no value), toward the first target's value where that is a level to reach: a level target's
 * value, or the end of a growth target's path; other kinds (and no target) use the measure without a
 * target (with the indicator's natural `limit`).
 */
function progressOf(ctx: TargetsContext, ind: Indicator, unit: number, first: TargetEvaluation | undefined) {
  const series = seriesAt(ctx, ind.code, unit);
  const years: number[] = [];
  const values: number[] = [];
  for (let j = 0; j < ctx.years.count; j++) {
    const y = ctx.years.first + j;
    if (y > ctx.asOf) break;
    years.push(y);
    values.push(series.values[j]!);
  }
  const b = ind.baseline;
  if (unit === ctx.root && b && b.year === ctx.plan.baseYear && hasValueUpTo(ctx, series, ctx.asOf)) {
    const at = years.indexOf(b.year);
    if (at < 0) {
      years.unshift(b.year);
      values.unshift(b.value);
    } else if (Number.isNaN(values[at]!)) values[at] = b.value;
  }
  const options: ProgressMeasureOptions = { direction: ind.direction, baseYear: ctx.plan.baseYear };
  const t = ind.targets[0];
  const due = t?.year ?? ctx.plan.targetYear;
  if (t?.kind === 'level') options.target = { value: t.value, year: due };
  else if (t?.kind === 'growth' && first && Number.isFinite(first.targetValue))
    options.target = { value: first.targetValue, year: due };
  if (ind.limit !== undefined) options.limit = ind.limit;
  return progressMeasure({ years, values: Float64Array.from(values) }, options);
}

/** One cell: latest value, every target, status of the first, progress measure. */
export function evaluateCell(ctx: TargetsContext, ind: Indicator, unit: number): CellEvaluation {
  const Y = ctx.years.count;
  const values = ctx.values(ind.code);
  const last = Math.min(ctx.asOf - ctx.years.first, Y - 1);
  let j = last;
  while (j >= 0 && !(values.value[unit * Y + j] === values.value[unit * Y + j])) j--;
  const at = j >= 0 ? j : last;
  const cell = at >= 0 ? unit * Y + at : -1;
  const targets = ind.targets.map((t) => evaluateTargetAt(ctx, ind, t, unit, ctx.asOf));
  return {
    indicator: ind.code,
    unit: ctx.tree.codes[unit]!,
    unitIndex: unit,
    year: j >= 0 ? ctx.years.first + j : NaN,
    value: j >= 0 ? values.value[cell]! : NaN,
    coverage: cell >= 0 ? values.coverage[cell]! : NaN,
    origin: cell >= 0 ? ORIGIN_NAMES[values.origin[cell]!]! : 'missing',
    status: targets[0]?.status ?? 'no_target',
    targets,
    progress: progressOf(ctx, ind, unit, targets[0]),
  };
}

/** The cells of an indicator at every unit of its levels, in preorder. */
export function evaluateCells(ctx: TargetsContext, ind: Indicator): CellEvaluation[] {
  return Array.from(unitsAtLevels(ctx, ind.levels), (u) => evaluateCell(ctx, ind, u));
}
