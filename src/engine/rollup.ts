/**
 * Roll-up of indicator values up the org-unit hierarchy, by each indicator's aggregation rule, and
 * from months or quarters to quarters or years by its period aggregation. Columnar: a matrix is a
 * Float64Array of units × periods, cell `unit * periods + p`, NaN = not reported.
 *
 * Rules (the plan's `aggregation.method`), over the children c of a unit that have a value x_c:
 * - `sum`: Σ x_c. With some children missing this is the sum of what is there, and the coverage
 *   (below) says it is partial; nothing is imputed for the missing children;
 * - `mean`: Σ x_c / n, the unweighted mean of the children that have a value;
 * - `weightedMean`: Σ w_c·x_c / Σ w_c over the children with both x_c and a weight w_c ≥ 0 (a child
 *   with a value but no weight, or a negative one, is left out and shows in the coverage); NaN when
 *   Σ w_c = 0. The weights are another indicator's values (e.g. resident population), normally the
 *   `value` of that indicator's own roll-up;
 * - `ratio`: N/D of the unit's own numerator and denominator values, which are rolled up first by
 *   their own rules — a ratio of sums, not a mean of ratios: a county's per-capita income is not the
 *   average of its towns' per-capita incomes. Defined at every unit, leaves included; D = 0 gives NaN;
 * - `none`: no roll-up (e.g. a survey estimate reported separately at each level).
 *
 * Reported beats computed: `value` is the unit's own reported figure where it has one, else the
 * rolled-up one; `rolledUp` is always the computed figure (NaN where nothing could be computed), so
 * that a reported county total can be compared with the sum of its towns (`discrepancies`); `origin`
 * says which one `value` is. A parent rolls up its children's `value`s, so a town's reported total
 * stands for its villages.
 *
 * Coverage travels with every rolled-up value, never hidden:
 * - `childrenReported`: the children whose value entered the roll-up (the numerator); the number of
 *   children (the denominator) is `childCount(tree, unit)`;
 * - `coverage`: the share of the unit's leaves (bottom units, e.g. villages) whose figures are in the
 *   rolled-up value, directly or through a descendant that has a value: a child with a reported value
 *   covers all its leaves, a child with a computed value covers its own coverage of them. 1 exactly
 *   when nothing is missing anywhere below; 0 when no child has a value; NaN for a leaf (nothing to
 *   roll up). A ratio's coverage is the smaller of its numerator's and denominator's (a reported
 *   figure counts as 1);
 * - `weightCoverage` (weightedMean only): Σ w over the children that entered / Σ w over the children
 *   with a weight — e.g. the share of the population living in towns that reported.
 *
 * Periods (`rollUpPeriods`, the plan's `periodAggregation`): months → quarters or years, quarters →
 * years. `sum` (flows) adds the sub-periods present, `mean` averages them, `last` (stocks and rates)
 * takes the value of the latest sub-period present — with gaps, November stands for the year when
 * December is missing, and `lastPresent` says which sub-period it was. Every result carries how many
 * sub-periods were present, and `complete` = all of them; a partial year is marked, never filled.
 *
 * Cost: one bottom-up pass over the tree per indicator, reading each child's row of periods once;
 * no object per cell.
 */
import type { Aggregation } from '../domain/plan.js';
import { PERIOD_AGGREGATIONS } from '../domain/plan.js';
import {
  MONTHS_PER_PERIOD,
  type PeriodAxis,
  type PeriodType,
  containingPeriod,
  isCoarserOrSame,
  periodFromIndex,
  periodIndex,
} from '../domain/period.js';
import { type OrgTree, type OrgTreeRow, buildOrgTree, childCount } from './org-tree.js';

export type AggregationMethod = Aggregation['method'];
export type PeriodAggregation = (typeof PERIOD_AGGREGATIONS)[number];

/** `origin` of a cell: where its `value` comes from. */
export const MISSING = 0;
export const REPORTED = 1;
export const COMPUTED = 2;

export type RollupRule =
  | { readonly method: 'sum' }
  | { readonly method: 'mean' }
  /** Weights: units × periods, like the values (usually the weight indicator's `Rollup.value`). */
  | { readonly method: 'weightedMean'; readonly weights: Float64Array }
  /** The numerator's and denominator's roll-ups, done first by their own rules. */
  | { readonly method: 'ratio'; readonly numerator: Rollup; readonly denominator: Rollup }
  | { readonly method: 'none' };

/** The roll-up of one indicator: every array is units × periods, cell `unit * periods + p`. */
export interface Rollup {
  readonly method: AggregationMethod;
  readonly units: number;
  readonly periods: number;
  /** The reported value where there is one, else the rolled-up one; NaN where neither. */
  readonly value: Float64Array;
  /** The value computed from the children (ratio: from N and D); NaN where none. */
  readonly rolledUp: Float64Array;
  /** MISSING, REPORTED or COMPUTED: which one `value` is. */
  readonly origin: Uint8Array;
  /** Children whose value entered `rolledUp` (ratio: with both N and D). */
  readonly childrenReported: Uint32Array;
  /** Share of the unit's leaves covered by `rolledUp` (see the module comment); NaN for a leaf. */
  readonly coverage: Float32Array;
  /** weightedMean only: Σw of the children that entered / Σw of the children with a weight. */
  readonly weightCoverage: Float32Array | null;
}

function checkMatrix(tree: OrgTree, matrix: Float64Array, periods: number, what: string): void {
  if (!Number.isInteger(periods) || periods < 0) throw new RangeError(`periods must be a whole number, not ${periods}`);
  if (matrix.length !== tree.size * periods)
    throw new RangeError(
      `${what} has ${matrix.length} cells; ${tree.size} units × ${periods} periods need ${tree.size * periods}`,
    );
}

/** The output arrays, with `value` and `origin` set from the reported values. */
function start(tree: OrgTree, reported: Float64Array, periods: number, method: AggregationMethod) {
  const cells = tree.size * periods;
  const value = reported.slice();
  const origin = new Uint8Array(cells);
  for (let i = 0; i < cells; i++) if (value[i] === value[i]) origin[i] = REPORTED;
  return {
    method,
    units: tree.size,
    periods,
    value,
    rolledUp: new Float64Array(cells).fill(NaN),
    origin,
    childrenReported: new Uint32Array(cells),
    coverage: new Float32Array(cells).fill(NaN),
    weightCoverage: method === 'weightedMean' ? new Float32Array(cells).fill(NaN) : null,
  };
}

/**
 * Rolls one indicator up the tree. `reported` holds what units reported (NaN elsewhere); it is not
 * modified. See the module comment for the rules, reported vs computed, and coverage.
 */
export function rollUp(tree: OrgTree, reported: Float64Array, periods: number, rule: RollupRule): Rollup {
  checkMatrix(tree, reported, periods, 'the value matrix');
  switch (rule.method) {
    case 'none':
      return start(tree, reported, periods, 'none');
    case 'sum':
    case 'mean':
      return rollUpChildren(tree, reported, periods, rule.method, null);
    case 'weightedMean':
      checkMatrix(tree, rule.weights, periods, 'the weight matrix');
      return rollUpChildren(tree, reported, periods, 'weightedMean', rule.weights);
    case 'ratio':
      return rollUpRatio(tree, reported, periods, rule.numerator, rule.denominator);
  }
}

/** sum, mean and weightedMean: one bottom-up pass, each child's row read once. */
function rollUpChildren(
  tree: OrgTree,
  reported: Float64Array,
  periods: number,
  method: 'sum' | 'mean' | 'weightedMean',
  weights: Float64Array | null,
): Rollup {
  const out = start(tree, reported, periods, method);
  const { value, rolledUp, origin, childrenReported, coverage, weightCoverage } = out;
  const { bottomUp, childStart, childIndex, leafCount } = tree;
  const P = periods;
  // Per-period accumulators for the unit being rolled up.
  const total = new Float64Array(P); // Σx, or Σw·x
  const count = new Uint32Array(P);
  const covered = new Float64Array(P); // leaves covered
  const weightIn = new Float64Array(P); // Σw of the children that entered
  const weightAll = new Float64Array(P); // Σw of the children with a weight

  for (let k = 0; k < bottomUp.length; k++) {
    const u = bottomUp[k]!;
    const c0 = childStart[u]!;
    const c1 = childStart[u + 1]!;
    if (c0 === c1) continue; // a leaf: its value is what it reported
    total.fill(0);
    count.fill(0);
    covered.fill(0);
    if (weights) {
      weightIn.fill(0);
      weightAll.fill(0);
    }
    for (let j = c0; j < c1; j++) {
      const c = childIndex[j]!;
      const base = c * P;
      const leaves = leafCount[c]!;
      if (weights) {
        for (let p = 0; p < P; p++) {
          const w = weights[base + p]!;
          if (!(w >= 0)) continue; // NaN or negative: no usable weight
          weightAll[p]! += w;
          const x = value[base + p]!;
          if (x !== x) continue;
          total[p]! += w * x;
          weightIn[p]! += w;
          count[p]!++;
          covered[p]! += origin[base + p] === REPORTED ? leaves : coverage[base + p]! * leaves;
        }
      } else {
        for (let p = 0; p < P; p++) {
          const x = value[base + p]!;
          if (x !== x) continue;
          total[p]! += x;
          count[p]!++;
          covered[p]! += origin[base + p] === REPORTED ? leaves : coverage[base + p]! * leaves;
        }
      }
    }
    const base = u * P;
    const leaves = leafCount[u]!;
    for (let p = 0; p < P; p++) {
      const i = base + p;
      const n = count[p]!;
      childrenReported[i] = n;
      coverage[i] = covered[p]! / leaves;
      if (weightCoverage) weightCoverage[i] = weightAll[p]! > 0 ? weightIn[p]! / weightAll[p]! : NaN;
      if (n === 0) continue;
      const r =
        method === 'sum'
          ? total[p]!
          : method === 'mean'
            ? total[p]! / n
            : weightIn[p]! > 0
              ? total[p]! / weightIn[p]!
              : NaN;
      rolledUp[i] = r;
      if (origin[i] !== REPORTED && r === r) {
        value[i] = r;
        origin[i] = COMPUTED;
      }
    }
  }
  return out;
}

/** A figure's share of reported data: 1 reported, its coverage when computed, 0 when missing. */
function backing(r: Rollup, i: number): number {
  const o = r.origin[i];
  if (o === REPORTED) return 1;
  if (o === COMPUTED) {
    const c = r.coverage[i]!;
    return c === c ? c : 0;
  }
  return 0;
}

/** ratio: N/D of each unit's own (rolled-up or reported) numerator and denominator. */
function rollUpRatio(tree: OrgTree, reported: Float64Array, periods: number, num: Rollup, den: Rollup): Rollup {
  checkMatrix(tree, num.value, periods, 'the numerator roll-up');
  checkMatrix(tree, den.value, periods, 'the denominator roll-up');
  const out = start(tree, reported, periods, 'ratio');
  const { value, rolledUp, origin, childrenReported, coverage } = out;
  const { childStart, childIndex } = tree;
  const N = num.value;
  const D = den.value;
  const P = periods;
  for (let u = 0; u < tree.size; u++) {
    const base = u * P;
    for (let p = 0; p < P; p++) {
      const i = base + p;
      const n = N[i]!;
      const d = D[i]!;
      coverage[i] = Math.min(backing(num, i), backing(den, i));
      if (n !== n || d !== d) continue;
      const r = d === 0 ? NaN : n / d; // division by zero is no value, not Infinity
      rolledUp[i] = r;
      if (origin[i] !== REPORTED && r === r) {
        value[i] = r;
        origin[i] = COMPUTED;
      }
    }
    for (let j = childStart[u]!; j < childStart[u + 1]!; j++) {
      const cb = childIndex[j]! * P;
      for (let p = 0; p < P; p++) if (N[cb + p] === N[cb + p] && D[cb + p] === D[cb + p]) childrenReported[base + p]!++;
    }
  }
  return out;
}

/** An indicator as the roll-up needs it: `Indicator` from the plan fits. */
export interface RollupSpec {
  readonly code: string;
  readonly aggregation: Aggregation;
}

/**
 * Rolls up a set of indicators, the weights, numerators and denominators before the indicators that
 * use them. `reported(code)` gives an indicator's reported matrix (undefined: nothing reported yet,
 * all NaN). Every indicator an aggregation refers to must be in `specs`; a cycle is an error.
 * Returns the roll-ups by code, in the order they were computed.
 */
export function rollUpIndicators(
  tree: OrgTree,
  periods: number,
  specs: readonly RollupSpec[],
  reported: (code: string) => Float64Array | undefined,
): Map<string, Rollup> {
  const byCode = new Map(specs.map((s) => [s.code, s]));
  const done = new Map<string, Rollup>();
  const inProgress: string[] = [];
  const dependencies = (a: Aggregation): string[] =>
    a.method === 'weightedMean' ? [a.weight] : a.method === 'ratio' ? [a.numerator, a.denominator] : [];

  const visit = (code: string, from: string | undefined): Rollup => {
    const ready = done.get(code);
    if (ready) return ready;
    const spec = byCode.get(code);
    if (!spec)
      throw new RangeError(`indicator ${from ?? '?'} rolls up with ${code}, which is not among the indicators given`);
    const at = inProgress.indexOf(code);
    if (at >= 0)
      throw new RangeError(
        `indicators roll up with each other in a cycle: ${[...inProgress.slice(at), code].join(' → ')}`,
      );
    inProgress.push(code);
    const deps = dependencies(spec.aggregation).map((d) => visit(d, code));
    inProgress.pop();
    const matrix = reported(code) ?? new Float64Array(tree.size * periods).fill(NaN);
    const a = spec.aggregation;
    const rule: RollupRule =
      a.method === 'weightedMean'
        ? { method: 'weightedMean', weights: deps[0]!.value }
        : a.method === 'ratio'
          ? { method: 'ratio', numerator: deps[0]!, denominator: deps[1]! }
          : { method: a.method };
    const result = rollUp(tree, matrix, periods, rule);
    done.set(code, result);
    return result;
  };
  for (const s of specs) visit(s.code, undefined);
  return done;
}

/** Coverage of one cell, spelled out for an explanation in the UI or a report. */
export interface CellCoverage {
  readonly value: number;
  readonly rolledUp: number;
  readonly origin: 'missing' | 'reported' | 'computed';
  /** Children whose value entered the roll-up … */
  readonly childrenReported: number;
  /** … out of this many children. */
  readonly children: number;
  /** Share of the leaves below that the rolled-up value covers; NaN for a leaf. */
  readonly coverage: number;
  readonly weightCoverage: number | null;
}

export function cellCoverage(tree: OrgTree, rollup: Rollup, unit: number, period: number): CellCoverage {
  const i = unit * rollup.periods + period;
  const o = rollup.origin[i];
  return {
    value: rollup.value[i]!,
    rolledUp: rollup.rolledUp[i]!,
    origin: o === REPORTED ? 'reported' : o === COMPUTED ? 'computed' : 'missing',
    childrenReported: rollup.childrenReported[i]!,
    children: childCount(tree, unit),
    coverage: rollup.coverage[i]!,
    weightCoverage: rollup.weightCoverage ? rollup.weightCoverage[i]! : null,
  };
}

/**
 * Cells where a unit's reported value and the value rolled up from its children disagree by more than
 * `relTolerance` (relative to the larger magnitude), counting only roll-ups whose coverage is at least
 * `minCoverage` (default 1: a partial sum is expected to fall short). Cell indices, ascending.
 */
export function discrepancies(rollup: Rollup, relTolerance = 1e-6, minCoverage = 1): Int32Array {
  const found: number[] = [];
  const { value, rolledUp, origin, coverage } = rollup;
  for (let i = 0; i < value.length; i++) {
    if (origin[i] !== REPORTED) continue;
    const r = rolledUp[i]!;
    if (r !== r || !(coverage[i]! >= minCoverage)) continue;
    const v = value[i]!;
    if (Math.abs(v - r) > relTolerance * Math.max(Math.abs(v), Math.abs(r))) found.push(i);
  }
  return Int32Array.from(found);
}

/** Values rolled up from sub-periods: units × `axis.length`, cell `unit * axis.length + j`. */
export interface PeriodRollup {
  readonly how: PeriodAggregation;
  /** The coarser axis: every period that overlaps the input axis. */
  readonly axis: PeriodAxis;
  readonly values: Float64Array;
  /** Sub-periods in each period (12 months in a year, 3 in a quarter). */
  readonly expected: number;
  /** Sub-periods with a value, per cell. */
  readonly present: Uint8Array;
  /** 1 when every sub-period has a value (present = expected), else 0. */
  readonly complete: Uint8Array;
  /** The position (0-based) within the period of the latest sub-period with a value; −1 when none. */
  readonly lastPresent: Int8Array;
}

/**
 * Rolls a units × sub-periods matrix up to a coarser period type: sum (flows), mean, or last (stocks
 * and rates: the latest sub-period present, see the module comment). Sub-periods outside the input
 * axis count as missing, so a period that the axis only partly covers is incomplete.
 */
export function rollUpPeriods(
  values: Float64Array,
  units: number,
  axis: PeriodAxis,
  to: PeriodType,
  how: PeriodAggregation,
): PeriodRollup {
  if (values.length !== units * axis.length)
    throw new RangeError(
      `the matrix has ${values.length} cells; ${units} units × ${axis.length} periods need ${units * axis.length}`,
    );
  if (!isCoarserOrSame(to, axis.type))
    throw new RangeError(`${axis.type}s do not roll up into ${to}s (a ${to} is shorter)`);
  const expected = MONTHS_PER_PERIOD[to] / MONTHS_PER_PERIOD[axis.type];
  const empty = axis.length === 0;
  const first = empty ? 0 : periodIndex(containingPeriod(periodFromIndex(axis.type, axis.start), to));
  const last = empty ? -1 : periodIndex(containingPeriod(periodFromIndex(axis.type, axis.start + axis.length - 1), to));
  const outAxis: PeriodAxis = { type: to, start: first, length: last - first + 1 };
  const J = outAxis.length;
  const out = new Float64Array(units * J).fill(NaN);
  const present = new Uint8Array(units * J);
  const complete = new Uint8Array(units * J);
  const lastPresent = new Int8Array(units * J).fill(-1);
  // Input column t is sub-period (axis.start + t); its output column and position within it.
  const offset = axis.start - first * expected;
  for (let u = 0; u < units; u++) {
    const inBase = u * axis.length;
    const outBase = u * J;
    for (let t = 0; t < axis.length; t++) {
      const x = values[inBase + t]!;
      if (x !== x) continue;
      const s = offset + t;
      const j = Math.floor(s / expected);
      const o = outBase + j;
      const prior = out[o]!;
      if (how === 'last') out[o] = x;
      else out[o] = prior === prior ? prior + x : x;
      present[o]!++;
      lastPresent[o] = s - j * expected;
    }
    for (let j = 0; j < J; j++) {
      const o = outBase + j;
      if (how === 'mean' && present[o]! > 0) out[o] = out[o]! / present[o]!;
      complete[o] = present[o] === expected ? 1 : 0;
    }
  }
  return { how, axis: outAxis, values: out, expected, present, complete, lastPresent };
}

/** A seeded generator (mulberry32): deterministic synthetic data for tests and benchmarks. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SyntheticTreeOptions {
  seed?: number;
  /** Children per unit at each level below the root: exact for the first, else a mean (each unit draws 50–150% of it). */
  fanout?: readonly number[];
}

const SYNTHETIC_LEVELS = ['province', 'city', 'county', 'town', 'village'];

/**
 * A synthetic province for benchmarks: by default 1 province, ~11 cities, ~88 counties, ~1,300 towns,
 * ~26,000 villages (≈ Zhejiang's 27,000 units), with GB/T 2260-like codes (33, 3301, 330101,
 * 330101001, 330101001001). Deterministic for a seed.
 */
export function syntheticOrgRows(options: SyntheticTreeOptions = {}): OrgTreeRow[] {
  const random = seededRandom(options.seed ?? 1);
  const fanout = options.fanout ?? [11, 8, 15, 20];
  const digits = [2, 2, 3, 3];
  const rows: OrgTreeRow[] = [{ code: '33', parent: null, level: SYNTHETIC_LEVELS[0]! }];
  let frontier = ['33'];
  fanout.forEach((mean, depth) => {
    const next: string[] = [];
    const width = digits[depth] ?? 3;
    for (const parent of frontier) {
      // The first level is exact (Zhejiang has 11 cities); below it each unit varies.
      const n = depth === 0 ? mean : Math.max(1, Math.round(mean * (0.5 + random())));
      for (let k = 1; k <= n; k++) {
        const code = parent + String(k).padStart(width, '0');
        rows.push({ code, parent, level: SYNTHETIC_LEVELS[depth + 1] ?? `level${depth + 1}` });
        next.push(code);
      }
    }
    frontier = next;
  });
  return rows;
}

export interface SyntheticValuesOptions {
  seed?: number;
  /** Share of leaf cells reported (default 0.95). */
  leafReported?: number;
  /** Share of non-leaf cells with their own reported figure (default 0.02). */
  parentReported?: number;
}

/**
 * A reported matrix for a tree: leaves report positive values (1–1,000) with probability
 * `leafReported`, other units with `parentReported`; NaN elsewhere. Deterministic for a seed.
 */
export function syntheticValues(tree: OrgTree, periods: number, options: SyntheticValuesOptions = {}): Float64Array {
  const random = seededRandom(options.seed ?? 1);
  const leafReported = options.leafReported ?? 0.95;
  const parentReported = options.parentReported ?? 0.02;
  const values = new Float64Array(tree.size * periods);
  for (let u = 0; u < tree.size; u++) {
    const share = childCount(tree, u) === 0 ? leafReported : parentReported;
    for (let p = 0; p < periods; p++) values[u * periods + p] = random() < share ? 1 + 999 * random() : NaN;
  }
  return values;
}

/** A synthetic tree and one reported matrix, for a benchmark against another engine (e.g. DuckDB SQL). */
export function syntheticProvince(options: SyntheticTreeOptions & SyntheticValuesOptions & { periods?: number } = {}) {
  const rows = syntheticOrgRows(options);
  const tree = buildOrgTree(rows);
  const periods = options.periods ?? 72;
  return { rows, tree, periods, values: syntheticValues(tree, periods, options) };
}
