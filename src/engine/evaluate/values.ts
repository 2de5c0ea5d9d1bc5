/**
 * Steps 1–4 of the whole-plan evaluation (see evaluate.ts): every indicator's yearly values at every
 * org unit, one indicator at a time, in an order where each comes after what it uses.
 *
 * - raw: roll up the tree at the indicator's own periodicity (`rollUp`, rollup.ts), then to years by
 *   its `periodAggregation` (`rollUpPeriods`);
 * - formula: `evaluateFormula` (formula.ts) over the yearly matrices of its inputs, all cells at once;
 * - disparity: `inequality` (inequality.ts) over each unit's descendants at the `across` level;
 * - microdata: `inequality` over the households in each unit's subtree.
 *
 * The dependency graph spans kinds: a raw indicator can roll up weighted by a formula indicator
 * (INC_RURAL_PC by POP_RURAL = POP_RESIDENT − POP_URBAN), so one topological order over all indicators
 * replaces rollUpIndicators' per-kind order (that function also keeps every roll-up in memory, which a
 * province cannot afford at 15 MB per monthly matrix).
 */
import {
  PERIODS_PER_YEAR,
  makePeriod,
  periodFromIndex,
  periodIndex,
  type PeriodAxis,
  type PeriodType,
} from '../../domain/period.js';
import type { Computation, Indicator, Plan } from '../../domain/plan.js';
import { evaluateFormula, FormulaError, parseFormula, type Formula } from '../formula.js';
import { inequality, type InequalityResult } from '../inequality.js';
import type { OrgTree } from '../org-tree.js';
import { COMPUTED, MISSING, REPORTED, rollUp, rollUpPeriods, type Rollup, type RollupRule } from '../rollup.js';
import type { DisparityCells, HouseholdYear, ReportedMatrix, YearlyValues } from './types.js';

// ——— the year axis ———

export interface YearAxis {
  readonly first: number;
  readonly count: number;
  readonly years: Int32Array;
}

/**
 * Years from min(base year, the first year of any raw indicator's axis or of the microdata) to
 * max(base year, the last such year). Only raw indicators of the plan count.
 */
export function yearAxisOf(
  plan: Plan,
  reported: ReadonlyMap<string, ReportedMatrix>,
  households: readonly HouseholdYear[] | undefined,
): YearAxis {
  let first = plan.baseYear;
  let last = plan.baseYear;
  for (const ind of plan.indicators) {
    if (ind.computation.kind !== 'raw') continue;
    const m = reported.get(ind.code);
    if (!m || m.axis.length === 0) continue;
    first = Math.min(first, periodFromIndex(m.axis.type, m.axis.start).year);
    last = Math.max(last, periodFromIndex(m.axis.type, m.axis.start + m.axis.length - 1).year);
  }
  for (const h of households ?? []) {
    first = Math.min(first, h.year);
    last = Math.max(last, h.year);
  }
  const count = last - first + 1;
  return { first, count, years: Int32Array.from({ length: count }, (_, j) => first + j) };
}

/** The axis of a periodicity that covers the year axis exactly (2020-01 … 2025-12 for months). */
export function nativeAxis(years: YearAxis, type: PeriodType): PeriodAxis {
  return {
    type,
    start: periodIndex(makePeriod(type, years.first, 1)),
    length: years.count * PERIODS_PER_YEAR[type],
  };
}

// ——— the dependency graph ———

export interface IndicatorGraph {
  readonly byCode: ReadonlyMap<string, Indicator>;
  /** Every indicator after the ones it uses; ties in plan order. */
  readonly order: readonly string[];
  /** What each indicator's value is computed from (roll-up weights, numerators, formula inputs …). */
  readonly uses: ReadonlyMap<string, readonly string[]>;
  /** The reverse: who uses each indicator. */
  readonly usedBy: ReadonlyMap<string, readonly string[]>;
  readonly formulas: ReadonlyMap<string, Formula>;
}

function usesOf(ind: Indicator, formula: Formula | undefined): string[] {
  const c = ind.computation;
  switch (c.kind) {
    case 'raw': {
      const a = ind.aggregation;
      return a.method === 'weightedMean' ? [a.weight] : a.method === 'ratio' ? [a.numerator, a.denominator] : [];
    }
    case 'formula':
      return [...formula!.codes];
    case 'disparity':
      return c.weight ? [c.of, c.weight] : [c.of];
    case 'microdata':
      return [];
  }
}

/** Parses the formulas and orders the indicators; unknown codes and cycles are RangeErrors. */
export function indicatorGraph(plan: Plan): IndicatorGraph {
  const byCode = new Map<string, Indicator>();
  for (const ind of plan.indicators) {
    if (byCode.has(ind.code)) throw new RangeError(`indicator ${ind.code} appears more than once in the plan`);
    byCode.set(ind.code, ind);
  }
  const formulas = new Map<string, Formula>();
  const uses = new Map<string, string[]>();
  const usedBy = new Map<string, string[]>(plan.indicators.map((i) => [i.code, []]));
  for (const ind of plan.indicators) {
    if (ind.computation.kind === 'formula') {
      try {
        formulas.set(ind.code, parseFormula(ind.computation.expression));
      } catch (e) {
        if (e instanceof FormulaError) throw new FormulaError(`${ind.code}: ${e.message}`, e.column);
        throw e;
      }
    }
    const list = usesOf(ind, formulas.get(ind.code));
    for (const dep of list) {
      if (!byCode.has(dep)) throw new RangeError(`${ind.code} uses ${dep}, which is not an indicator of the plan`);
      usedBy.get(dep)!.push(ind.code);
    }
    uses.set(ind.code, list);
  }
  const order: string[] = [];
  const state = new Map<string, 1 | 2>();
  const path: string[] = [];
  const visit = (code: string) => {
    const s = state.get(code);
    if (s === 2) return;
    if (s === 1)
      throw new RangeError(
        `indicators are computed from each other in a cycle: ${[...path.slice(path.indexOf(code)), code].join(' → ')}`,
      );
    state.set(code, 1);
    path.push(code);
    for (const dep of uses.get(code)!) visit(dep);
    path.pop();
    state.set(code, 2);
    order.push(code);
  };
  for (const ind of plan.indicators) visit(ind.code);
  return { byCode, order, uses, usedBy, formulas };
}

// ——— per-indicator results ———

export interface ComputedValues {
  readonly values: YearlyValues;
  readonly lastYear: number;
  readonly disparity: DisparityCells | null;
  readonly households: Uint32Array | null;
}

/** Everything the value steps read. */
export interface ValuesContext {
  readonly plan: Plan;
  readonly tree: OrgTree;
  readonly years: YearAxis;
  readonly graph: IndicatorGraph;
  readonly reported: ReadonlyMap<string, ReportedMatrix>;
  /** Prepared lazily: only microdata indicators need it. */
  households: PreparedHouseholds | undefined;
  readonly householdInput: readonly HouseholdYear[] | undefined;
  /** Yearly dependencies repeated onto a sub-year axis, by `code@periodicity`: made once per run. */
  readonly expanded: Map<string, Rollup>;
}

/** The latest year with a value in any unit; NaN when none. */
function lastYearOf(value: Float64Array, units: number, years: YearAxis): number {
  const Y = years.count;
  for (let j = Y - 1; j >= 0; j--)
    for (let u = 0; u < units; u++) if (value[u * Y + j] === value[u * Y + j]) return years.first + j;
  return NaN;
}

/**
 * Computes one indicator from the results of those it uses (which `results` must hold).
 * `natives` keeps sub-year roll-ups that later raw indicators roll up with.
 */
export function computeIndicator(
  ctx: ValuesContext,
  code: string,
  results: ReadonlyMap<string, ComputedValues>,
  natives: NativeRollups,
): ComputedValues {
  const ind = ctx.graph.byCode.get(code)!;
  const c = ind.computation;
  let out: Omit<ComputedValues, 'lastYear'>;
  switch (c.kind) {
    case 'raw':
      out = { values: rawYearly(ctx, ind, results, natives), disparity: null, households: null };
      break;
    case 'formula':
      out = { values: formulaValues(ctx, code, results), disparity: null, households: null };
      break;
    case 'disparity':
      out = disparityValues(ctx, c, results);
      break;
    case 'microdata':
      ctx.households ??= prepareHouseholds(ctx.tree, ctx.householdInput ?? []);
      out = microdataValues(ctx, c, ctx.households);
      break;
  }
  return { ...out, lastYear: lastYearOf(out.values.value, ctx.tree.size, ctx.years) };
}

// ——— step 1: raw indicators ———

/** The reported matrix placed on the native axis (the same array when the axes agree). */
function reportedOnAxis(ctx: ValuesContext, ind: Indicator, axis: PeriodAxis): Float64Array {
  const units = ctx.tree.size;
  const m = ctx.reported.get(ind.code);
  const P = axis.length;
  if (!m) return new Float64Array(units * P).fill(NaN);
  if (m.axis.type !== axis.type)
    throw new RangeError(
      `the values of ${ind.code} are by ${m.axis.type}, but ${ind.code} is reported by ${axis.type} (its periodicity)`,
    );
  if (m.values.length !== units * m.axis.length)
    throw new RangeError(
      `the values of ${ind.code} have ${m.values.length} cells; ${units} units × ${m.axis.length} periods need ${units * m.axis.length}`,
    );
  if (m.axis.start === axis.start && m.axis.length === P) return m.values;
  const out = new Float64Array(units * P).fill(NaN);
  const from = Math.max(m.axis.start, axis.start);
  const to = Math.min(m.axis.start + m.axis.length, axis.start + P);
  for (let u = 0; u < units; u++)
    for (let t = from; t < to; t++) out[u * P + t - axis.start] = m.values[u * m.axis.length + t - m.axis.start]!;
  return out;
}

/**
 * Roll-ups at a sub-year periodicity that other raw indicators of that periodicity roll up with
 * (a monthly weight or numerator), kept until their last user has taken them; anything else is
 * recomputed on demand.
 */
export class NativeRollups {
  private readonly kept = new Map<string, Rollup>();
  private readonly remaining = new Map<string, number>();

  /** `computing`: the indicators this run will compute, whose requests are counted. */
  constructor(graph: IndicatorGraph, computing: readonly string[]) {
    for (const code of computing) {
      const ind = graph.byCode.get(code)!;
      if (ind.computation.kind !== 'raw') continue;
      for (const dep of graph.uses.get(code)!)
        if (sameNativePeriodicity(graph, dep, ind.periodicity))
          this.remaining.set(dep, (this.remaining.get(dep) ?? 0) + 1);
    }
  }

  /** The kept roll-up, counting the request; undefined when not kept. */
  take(code: string): Rollup | undefined {
    const r = this.kept.get(code);
    const left = (this.remaining.get(code) ?? 0) - 1;
    this.remaining.set(code, left);
    if (left <= 0) this.kept.delete(code);
    return r;
  }

  offer(code: string, rollup: Rollup): void {
    if ((this.remaining.get(code) ?? 0) > 0) this.kept.set(code, rollup);
  }
}

/** Is `dep` a raw indicator rolled up at the same sub-year periodicity (so its native roll-up is used)? */
function sameNativePeriodicity(graph: IndicatorGraph, dep: string, periodicity: PeriodType): boolean {
  const d = graph.byCode.get(dep)!;
  return periodicity !== 'year' && d.computation.kind === 'raw' && d.periodicity === periodicity;
}

/**
 * A dependency on the native axis as a Rollup: the dependency's own roll-up when it is a raw
 * indicator of the same sub-year periodicity; otherwise its yearly values, repeated over the
 * sub-periods of each year (a yearly population weights every month of the year). Only `value`,
 * `origin` and `coverage` of the latter are meaningful (what rollUp reads of a weight, numerator or
 * denominator).
 */
function dependencyOnAxis(
  ctx: ValuesContext,
  dep: string,
  periodicity: PeriodType,
  results: ReadonlyMap<string, ComputedValues>,
  natives: NativeRollups,
): Rollup {
  if (sameNativePeriodicity(ctx.graph, dep, periodicity))
    return natives.take(dep) ?? nativeRollup(ctx, ctx.graph.byCode.get(dep)!, results, natives);
  const key = `${dep}@${periodicity}`;
  const cached = ctx.expanded.get(key);
  if (cached) return cached;
  const yearly = results.get(dep)!.values;
  const units = ctx.tree.size;
  const Y = ctx.years.count;
  const per = PERIODS_PER_YEAR[periodicity];
  let { value, origin, coverage } = yearly;
  if (per > 1) {
    value = new Float64Array(units * Y * per);
    origin = new Uint8Array(units * Y * per);
    coverage = new Float32Array(units * Y * per);
    for (let i = 0; i < units * Y; i++)
      for (let k = 0; k < per; k++) {
        value[i * per + k] = yearly.value[i]!;
        origin[i * per + k] = yearly.origin[i]!;
        coverage[i * per + k] = yearly.coverage[i]!;
      }
  }
  const expanded: Rollup = {
    method: 'none',
    units,
    periods: Y * per,
    value,
    rolledUp: value,
    origin,
    childrenReported: new Uint32Array(0),
    coverage,
    weightCoverage: null,
  };
  ctx.expanded.set(key, expanded);
  return expanded;
}

/** The roll-up of a raw indicator up the tree at its own periodicity. */
function nativeRollup(
  ctx: ValuesContext,
  ind: Indicator,
  results: ReadonlyMap<string, ComputedValues>,
  natives: NativeRollups,
): Rollup {
  const axis = nativeAxis(ctx.years, ind.periodicity);
  const matrix = reportedOnAxis(ctx, ind, axis);
  const a = ind.aggregation;
  const dep = (code: string) => dependencyOnAxis(ctx, code, ind.periodicity, results, natives);
  const rule: RollupRule =
    a.method === 'weightedMean'
      ? { method: 'weightedMean', weights: dep(a.weight).value }
      : a.method === 'ratio'
        ? { method: 'ratio', numerator: dep(a.numerator), denominator: dep(a.denominator) }
        : { method: a.method };
  return rollUp(ctx.tree, matrix, axis.length, rule);
}

/**
 * Step 1: roll up, then to years. Yearly cells: `coverage` is the backing of the value (1 reported, the
 * roll-up's coverage when computed, 0 missing) — for sub-year indicators the mean backing over the
 * year's sub-periods (sum, mean) or the backing of the sub-period taken (last). A summed year with a
 * sub-period missing has no yearly value (a partial sum is not a year's flow): it is kept in
 * `partialSum`. `origin` is reported when every sub-period that entered was reported.
 */
function rawYearly(
  ctx: ValuesContext,
  ind: Indicator,
  results: ReadonlyMap<string, ComputedValues>,
  natives: NativeRollups,
): YearlyValues {
  const r = nativeRollup(ctx, ind, results, natives);
  natives.offer(ind.code, r);
  const units = ctx.tree.size;
  const Y = ctx.years.count;
  const cells = units * Y;
  const rOrigin = r.origin;
  const rCoverage = r.coverage;
  if (ind.periodicity === 'year') {
    const coverage = new Float32Array(cells);
    for (let i = 0; i < cells; i++) {
      const o = rOrigin[i];
      coverage[i] = o === REPORTED ? 1 : o === COMPUTED && rCoverage[i] === rCoverage[i] ? rCoverage[i]! : 0;
    }
    return { value: r.value, origin: rOrigin, coverage, present: null, expected: 1, partialSum: null };
  }
  const per = PERIODS_PER_YEAR[ind.periodicity];
  const how = ind.periodAggregation;
  const pr = rollUpPeriods(r.value, units, nativeAxis(ctx.years, ind.periodicity), 'year', how);
  const value = pr.values;
  const { present, lastPresent } = pr;
  const origin = new Uint8Array(cells);
  const coverage = new Float32Array(cells);
  const partialSum = how === 'sum' ? new Float64Array(cells).fill(NaN) : null;
  // Sub-cell s of yearly cell o = u·Y + j is o·per + k: the native axis starts with the first year.
  for (let o = 0; o < cells; o++) {
    const n = present[o]!;
    if (n === 0) continue;
    const base = o * per;
    if (how === 'last') {
      const s = base + lastPresent[o]!;
      const so = rOrigin[s]!;
      origin[o] = so;
      coverage[o] = so === REPORTED ? 1 : so === COMPUTED && rCoverage[s] === rCoverage[s] ? rCoverage[s]! : 0;
      continue;
    }
    let sum = 0;
    let allReported = true;
    for (let s = base; s < base + per; s++) {
      const so = rOrigin[s];
      if (so === REPORTED) sum += 1;
      else if (so === COMPUTED) {
        allReported = false;
        const c = rCoverage[s]!;
        if (c === c) sum += c;
      }
    }
    coverage[o] = sum / per;
    origin[o] = allReported ? REPORTED : COMPUTED;
    if (partialSum && n < per) {
      partialSum[o] = value[o]!;
      value[o] = NaN;
      origin[o] = MISSING;
    }
  }
  return { value, origin, coverage, present: pr.present, expected: per, partialSum };
}

// ——— step 2: formulas ———

/** Step 2: the formula over the inputs' yearly matrices; coverage the least of the inputs'. */
function formulaValues(ctx: ValuesContext, code: string, results: ReadonlyMap<string, ComputedValues>): YearlyValues {
  const f = ctx.graph.formulas.get(code)!;
  const cells = ctx.tree.size * ctx.years.count;
  const value = evaluateFormula(f, (c) => results.get(c)?.values.value, cells);
  const coverage = new Float32Array(cells).fill(1);
  for (const c of f.codes) {
    const cov = results.get(c)!.values.coverage;
    for (let i = 0; i < cells; i++) {
      const x = cov[i]!;
      if (!(x >= coverage[i]!)) coverage[i] = x === x ? x : 0;
    }
  }
  const origin = new Uint8Array(cells);
  for (let i = 0; i < cells; i++) if (value[i] === value[i]) origin[i] = COMPUTED;
  return { value, origin, coverage, present: null, expected: 1, partialSum: null };
}

// ——— step 3: disparities ———

type DisparityComputation = Extract<Computation, { kind: 'disparity' }>;
type MicrodataComputation = Extract<Computation, { kind: 'microdata' }>;

/** First k with sorted[k] ≥ x. */
function lowerBound(sorted: Int32Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The units of a level in preorder with their preorder positions, for subtree ranges by binary search. */
export interface LevelIndex {
  readonly units: Int32Array;
  readonly positions: Int32Array;
}

export function levelIndex(tree: OrgTree, level: string): LevelIndex {
  const code = tree.levels.indexOf(level);
  const list: number[] = [];
  if (code >= 0)
    for (let k = 0; k < tree.size; k++) if (tree.level[tree.topDown[k]!] === code) list.push(tree.topDown[k]!);
  const units = Int32Array.from(list);
  return { units, positions: Int32Array.from(list, (u) => tree.preorder[u]!) };
}

/** [lo, hi): the strict descendants of `unit` in a level index. */
export function descendantRange(tree: OrgTree, index: LevelIndex, unit: number): [number, number] {
  const start = tree.preorder[unit]!;
  return [lowerBound(index.positions, start + 1), lowerBound(index.positions, start + tree.subtreeSize[unit]!)];
}

const finiteOrNaN = (x: number) => (x - x === 0 ? x : NaN);
const weightOrNaN = (w: number) => (w >= 0 && w !== Infinity ? w : NaN);

export function disparityMeasure(r: InequalityResult, measure: DisparityComputation['measure']): number {
  switch (measure) {
    case 'maxMinRatio':
      return r.maxMinRatio;
    case 'range':
      return r.range;
    case 'cv':
      return r.cv;
    case 'gini':
      return r.gini;
    case 'theilT':
      return r.theilT;
    case 'theilL':
      return r.theilL;
  }
}

/** A disparity needs this many units with a value (and a positive weight): one unit has no gap. */
export const MIN_DISPARITY_UNITS = 2;

/**
 * Step 3: at every unit with descendants at the `across` level, each year, the measure over those
 * descendants' values of `of` (weighted by `weight`'s values where given; a negative or infinite value
 * or weight counts as missing); NaN with fewer than two such descendants. Coverage = descendants with
 * a value (and weight) / descendants; NaN at units without such descendants. The max and min units
 * are kept whenever there is a value, so a lone unit still shows.
 */
function disparityValues(
  ctx: ValuesContext,
  c: DisparityComputation,
  results: ReadonlyMap<string, ComputedValues>,
): Omit<ComputedValues, 'lastYear'> {
  const { tree } = ctx;
  const Y = ctx.years.count;
  const cells = tree.size * Y;
  const of = results.get(c.of)!.values.value;
  const weight = c.weight ? results.get(c.weight)!.values.value : null;
  const index = levelIndex(tree, c.across);
  const value = new Float64Array(cells).fill(NaN);
  const origin = new Uint8Array(cells);
  const coverage = new Float32Array(cells).fill(NaN);
  const counted = new Uint32Array(cells);
  const eligible = new Uint32Array(cells);
  const maxUnit = new Int32Array(cells).fill(-1);
  const minUnit = new Int32Array(cells).fill(-1);
  const xs = new Float64Array(index.units.length);
  const ws = new Float64Array(index.units.length);
  for (let u = 0; u < tree.size; u++) {
    const [lo, hi] = descendantRange(tree, index, u);
    const n = hi - lo;
    if (n === 0) continue;
    const x = xs.subarray(0, n);
    const w = ws.subarray(0, n);
    for (let j = 0; j < Y; j++) {
      let usable = 0;
      for (let k = 0; k < n; k++) {
        const d = index.units[lo + k]!;
        x[k] = finiteOrNaN(of[d * Y + j]!);
        if (weight) w[k] = weightOrNaN(weight[d * Y + j]!);
        if (x[k] === x[k] && (!weight || w[k]! > 0)) usable++;
      }
      const r = inequality(x, weight ? w : undefined);
      const o = u * Y + j;
      // One unit has no disparity (its max/min ratio is 1): a gap needs two.
      const v = usable >= MIN_DISPARITY_UNITS ? disparityMeasure(r, c.measure) : NaN;
      value[o] = v;
      if (v === v) origin[o] = COMPUTED;
      counted[o] = r.n;
      eligible[o] = n;
      coverage[o] = r.n / n;
      if (r.maxIndex >= 0) maxUnit[o] = index.units[lo + r.maxIndex]!;
      if (r.minIndex >= 0) minUnit[o] = index.units[lo + r.minIndex]!;
    }
  }
  return {
    values: { value, origin, coverage, present: null, expected: 1, partialSum: null },
    disparity: { counted, eligible, maxUnit, minUnit },
    households: null,
  };
}

// ——— step 4: microdata ———

/** One survey year, households ordered by their unit's preorder position: a subtree is one run. */
export interface PreparedYear {
  readonly year: number;
  /** Run of the households of preorder positions [p, q): offsets[p] … offsets[q]. Length size + 1. */
  readonly offsets: Int32Array;
  readonly income: Float64Array;
  readonly size: Float64Array;
  readonly weight: Float64Array;
  readonly urbanRural: Uint8Array;
}

export type PreparedHouseholds = ReadonlyMap<number, PreparedYear>;

/** Sorts each year's households by unit (a counting sort on preorder positions) and checks them. */
export function prepareHouseholds(tree: OrgTree, years: readonly HouseholdYear[]): PreparedHouseholds {
  const out = new Map<number, PreparedYear>();
  for (const h of years) {
    if (out.has(h.year)) throw new RangeError(`household microdata for ${h.year} is given more than once`);
    const n = h.income.length;
    for (const [name, a] of [
      ['size', h.size],
      ['weight', h.weight],
      ['unitIndex', h.unitIndex],
      ['urbanRural', h.urbanRural],
    ] as const)
      if (a.length !== n)
        throw new RangeError(`household microdata ${h.year}: ${name} has ${a.length} elements, income ${n}`);
    const offsets = new Int32Array(tree.size + 1);
    for (let k = 0; k < n; k++) {
      const u = h.unitIndex[k]!;
      if (!(u >= 0 && u < tree.size))
        throw new RangeError(`household ${k} of ${h.year} has unit index ${u}; the tree has units 0–${tree.size - 1}`);
      offsets[tree.preorder[u]! + 1]!++;
    }
    for (let p = 0; p < tree.size; p++) offsets[p + 1]! += offsets[p]!;
    const fill = offsets.slice(0, tree.size);
    const income = new Float64Array(n);
    const size = new Float64Array(n);
    const weight = new Float64Array(n);
    const urbanRural = new Uint8Array(n);
    for (let k = 0; k < n; k++) {
      const at = fill[tree.preorder[h.unitIndex[k]!]!]!++;
      income[at] = finiteOrNaN(h.income[k]!);
      size[at] = h.size[k]!;
      weight[at] = weightOrNaN(h.weight[k]!);
      urbanRural[at] = h.urbanRural[k]!;
    }
    out.set(h.year, { year: h.year, offsets, income, size, weight, urbanRural });
  }
  return out;
}

export function microdataStatistic(r: InequalityResult, statistic: MicrodataComputation['statistic']): number {
  switch (statistic) {
    case 'mean':
      return r.mean;
    case 'median':
      return r.median;
    case 'bracketShare':
      return r.brackets[0]?.share ?? NaN;
    case 'gini':
      return r.gini;
    case 'theilT':
      return r.theilT;
    case 'theilL':
      return r.theilL;
    case 'quintileShareRatio':
      return r.quintileShareRatio;
  }
}

/**
 * The variable and weight of each household for a microdata computation: household income with the
 * household weight, or per-capita income (income / size; NaN for a size ≤ 0) with the person weight
 * (household weight × size). Households outside the urban/rural filter get NaN and a 0 in `matches`.
 */
export function microdataColumns(
  year: PreparedYear,
  c: MicrodataComputation,
): { x: Float64Array; w: Float64Array; matches: Uint8Array } {
  const n = year.income.length;
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  const matches = new Uint8Array(n);
  const want = c.filter?.urbanRural === 'urban' ? 0 : c.filter?.urbanRural === 'rural' ? 1 : -1;
  const perCapita = c.variable === 'disposable_income_per_capita';
  for (let k = 0; k < n; k++) {
    if (want >= 0 && year.urbanRural[k] !== want) {
      x[k] = NaN;
      w[k] = NaN;
      continue;
    }
    matches[k] = 1;
    if (perCapita) {
      const s = year.size[k]!;
      const ok = s > 0 && s !== Infinity;
      x[k] = ok ? year.income[k]! / s : NaN;
      w[k] = ok ? year.weight[k]! * s : NaN;
    } else {
      x[k] = year.income[k]!;
      w[k] = year.weight[k]!;
    }
  }
  return { x, w, matches };
}

export const bracketOf = (c: MicrodataComputation) =>
  c.statistic === 'bracketShare' ? [{ from: c.from ?? null, to: c.to ?? null }] : [];

/**
 * Step 4: per unit and survey year, the statistic over the households in the unit's subtree (of the
 * filter's kind). Coverage = households that entered / households of the filter's kind in the subtree;
 * 0 where there are none.
 */
function microdataValues(
  ctx: ValuesContext,
  c: MicrodataComputation,
  prepared: PreparedHouseholds,
): Omit<ComputedValues, 'lastYear'> {
  const { tree } = ctx;
  const Y = ctx.years.count;
  const cells = tree.size * Y;
  const value = new Float64Array(cells).fill(NaN);
  const origin = new Uint8Array(cells);
  const coverage = new Float32Array(cells);
  const households = new Uint32Array(cells);
  const brackets = bracketOf(c);
  for (const year of prepared.values()) {
    const j = year.year - ctx.years.first;
    const { x, w, matches } = microdataColumns(year, c);
    const matching = new Int32Array(matches.length + 1);
    for (let k = 0; k < matches.length; k++) matching[k + 1] = matching[k]! + matches[k]!;
    for (let u = 0; u < tree.size; u++) {
      const p = tree.preorder[u]!;
      const a = year.offsets[p]!;
      const b = year.offsets[p + tree.subtreeSize[u]!]!;
      const m = matching[b]! - matching[a]!;
      if (m === 0) continue;
      const r = inequality(x.subarray(a, b), w.subarray(a, b), { brackets });
      const o = u * Y + j;
      const v = microdataStatistic(r, c.statistic);
      value[o] = v;
      if (v === v) origin[o] = COMPUTED;
      households[o] = r.n;
      coverage[o] = r.n / m;
    }
  }
  return {
    values: { value, origin, coverage, present: null, expected: 1, partialSum: null },
    disparity: null,
    households,
  };
}
