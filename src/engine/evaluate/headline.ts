/**
 * Step 7 of the whole-plan evaluation (see evaluate.ts): the root's headline disparities — found
 * generically as the headline indicators (`headline: true`) that are computed as a formula, a
 * disparity or a microdata statistic (城乡居民收入倍差, 地区人均收入最高最低倍差, 中等收入群体比例 …) —
 * each with its latest value and what drives it. Also `explainDisparity`, which spells out one
 * disparity cell: every member's value, who is the max and the min, and the Theil split by the unit's
 * children (a county's towns are one group each per town, a city's towns are grouped by county).
 */
import type { Computation, Plan } from '../../domain/plan.js';
import type { Formula } from '../formula.js';
import { inequality } from '../inequality.js';
import { childrenOf, type OrgTree } from '../org-tree.js';
import type { CellStatus, DisparityExplanation, DisparityMember, HeadlineItem, YearlyValues } from './types.js';
import {
  bracketOf,
  descendantRange,
  disparityMeasure,
  levelIndex,
  MIN_DISPARITY_UNITS,
  type YearAxis,
} from './values.js';

export interface ExplainContext {
  readonly plan: Plan;
  readonly tree: OrgTree;
  readonly years: YearAxis;
  readonly values: (code: string) => YearlyValues;
}

type DisparityComputation = Extract<Computation, { kind: 'disparity' }>;

const valid = (x: number) => (x - x === 0 ? x : NaN);
const validWeight = (w: number) => (w >= 0 && w !== Infinity ? w : NaN);

/** One disparity cell spelled out; null when the indicator is not a disparity or the cell is outside the axis. */
export function explainDisparityCell(
  ctx: ExplainContext,
  indicator: string,
  unit: number,
  year: number,
): DisparityExplanation | null {
  const ind = ctx.plan.indicators.find((i) => i.code === indicator);
  if (!ind || ind.computation.kind !== 'disparity') return null;
  const c: DisparityComputation = ind.computation;
  const j = year - ctx.years.first;
  if (j < 0 || j >= ctx.years.count || unit < 0 || unit >= ctx.tree.size) return null;
  const { tree } = ctx;
  const Y = ctx.years.count;
  const of = ctx.values(c.of).value;
  const weight = c.weight ? ctx.values(c.weight).value : null;
  const index = levelIndex(tree, c.across);
  const [lo, hi] = descendantRange(tree, index, unit);
  const n = hi - lo;
  const children = childrenOf(tree, unit);
  const x = new Float64Array(n);
  const w = new Float64Array(n).fill(1);
  const groups = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const d = index.units[lo + k]!;
    x[k] = valid(of[d * Y + j]!);
    if (weight) w[k] = validWeight(weight[d * Y + j]!);
    // The child of `unit` on the way up from d.
    let g = d;
    while (tree.parent[g] !== unit) g = tree.parent[g]!;
    groups[k] = children.indexOf(g);
  }
  const r = inequality(x, weight ? w : undefined, { groups, groupCount: children.length });
  let usable = 0;
  for (let k = 0; k < n; k++) if (x[k] === x[k] && w[k]! > 0) usable++;
  const members: DisparityMember[] = Array.from({ length: n }, (_, k) => ({
    unit: tree.codes[index.units[lo + k]!]!,
    value: x[k]!,
    weight: w[k]!,
    group: tree.codes[children[groups[k]!]!]!,
  }));
  // Highest first, missing last; ties keep preorder (the sort is stable).
  members.sort((a, b) =>
    a.value !== a.value ? (b.value !== b.value ? 0 : 1) : b.value !== b.value ? -1 : b.value - a.value,
  );
  const point = (i: number, v: number) => (i >= 0 ? { unit: tree.codes[index.units[lo + i]!]!, value: v } : null);
  return {
    indicator,
    unit: tree.codes[unit]!,
    year,
    measure: c.measure,
    of: c.of,
    across: c.across,
    weight: c.weight ?? null,
    value: usable >= MIN_DISPARITY_UNITS ? disparityMeasure(r, c.measure) : NaN,
    counted: r.n,
    eligible: n,
    max: point(r.maxIndex, r.max),
    min: point(r.minIndex, r.min),
    members,
    groups: (r.groups ?? [])
      .filter((g) => g.n > 0)
      .map((g) => ({
        group: tree.codes[children[g.group as number]!]!,
        n: g.n,
        mean: g.mean,
        theilT: g.theilTContribution,
        theilL: g.theilLContribution,
      })),
  };
}

/** The root's headline disparities (see the module note), in plan order. */
export function headlineItems(
  ctx: ExplainContext,
  root: number,
  asOf: number,
  formulas: ReadonlyMap<string, Formula>,
  households: (code: string) => Uint32Array | null,
  statusAtRoot: (code: string) => CellStatus | null,
): HeadlineItem[] {
  const Y = ctx.years.count;
  const items: HeadlineItem[] = [];
  for (const ind of ctx.plan.indicators) {
    const c = ind.computation;
    if (!ind.headline || c.kind === 'raw') continue;
    const v = ctx.values(ind.code);
    const years: number[] = [];
    const values: number[] = [];
    let j = -1;
    for (let t = 0; t < Y && ctx.years.first + t <= asOf; t++) {
      years.push(ctx.years.first + t);
      values.push(v.value[root * Y + t]!);
      if (v.value[root * Y + t] === v.value[root * Y + t]) j = t;
    }
    const year = j >= 0 ? ctx.years.first + j : NaN;
    const cell = root * Y + j;
    let attribution: HeadlineItem['attribution'] = null;
    if (j >= 0)
      switch (c.kind) {
        case 'formula':
          attribution = {
            kind: 'formula',
            expression: c.expression,
            inputs: formulas.get(ind.code)!.codes.map((code) => ({
              indicator: code,
              value: ctx.values(code).value[cell]!,
              coverage: ctx.values(code).coverage[cell]!,
            })),
          };
          break;
        case 'disparity':
          attribution = { kind: 'disparity', ...explainDisparityCell(ctx, ind.code, root, year)! };
          break;
        case 'microdata':
          attribution = {
            kind: 'microdata',
            statistic: c.statistic,
            variable: c.variable,
            urbanRural: c.filter?.urbanRural ?? null,
            bracket: bracketOf(c)[0] ?? null,
            households: households(ind.code)?.[cell] ?? 0,
          };
          break;
      }
    items.push({
      indicator: ind.code,
      name: { zh: ind.name.zh, en: ind.name.en },
      computation: c.kind,
      year,
      value: j >= 0 ? v.value[cell]! : NaN,
      coverage: j >= 0 ? v.coverage[cell]! : NaN,
      status: statusAtRoot(ind.code),
      series: { years, values },
      attribution,
    });
  }
  return items;
}
