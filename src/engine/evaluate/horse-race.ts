/**
 * Step 6 of the whole-plan evaluation (see evaluate.ts): the horse race (赛马) of the root's children
 * (the counties), with the root alongside, each year from the plan's base year to asOf.
 *
 * Score of indicator i for unit u in year y, 0–100, toward i's FIRST target (the one that sets the
 * status); NaN — left out of the index — where i has no target, is not evaluated at u's level, or u has
 * no value of i in y (a score needs that year's figure: a county that stops reporting does not keep
 * its old score):
 * - level: `progressToTarget` (normalise.ts) from the unit's base value (its value in the base year,
 *   the root's baseline, else its first later value — as targets.ts) to the target value;
 * - cumulative: `progressToTarget` of the sum from `from` to y, from 0 to the target sum (direction from
 *   the op: ≥ a sum to reach, ≤ a cap);
 * - growth, yearly, trend: `evaluateTarget` as of y, its `progress` (share of the way: growth to the
 *   path's end, years met, years improved) × 100, capped to [0, 100];
 * - relative and rank have no share of the way: 100 when met in y, 0 when not.
 * Progress to a fixed target is on one scale in every year, so the change of an index over years is
 * progress, and the improvement ranking (ranking.ts) may use it.
 *
 * Index: `compositeIndex` (composite.ts), separately for each level among the units (the counties; the
 * root), since the indicators evaluated differ by level: equal weights for the indicators with a
 * target at that level within their dimension (the plan gives no weights yet), equal weights across
 * the dimensions that have any. Ranks among the root's children per year, competition ranking with
 * ties within 1e-9 (floating-point noise is a tie); rank change from the previous year; improvement =
 * index − the unit's index in its first year with one, ranked the same way.
 */
import type { Indicator } from '../../domain/plan.js';
import { compositeIndex, explainComposite, type CompositeResult } from '../composite.js';
import { progressToTarget } from '../normalise.js';
import { childrenOf, levelOf } from '../org-tree.js';
import { improvementRanking, rank, rankChange } from '../ranking.js';
import { evaluateTargetAt, seriesAt, type TargetsContext } from './cells.js';
import type { HorseRace, IndexExplanation } from './types.js';

/** Scores within this are ties (the index is on a 0–100 scale). */
export const TIE_TOLERANCE = 1e-9;

export interface HorseRaceFrame {
  readonly years: Int32Array;
  readonly units: Int32Array;
}

/** Root first, then its children; years from the base year (or the axis start) to asOf. */
export function horseRaceFrame(ctx: TargetsContext): HorseRaceFrame {
  const from = Math.max(ctx.plan.baseYear, ctx.years.first);
  const to = Math.min(ctx.asOf, ctx.years.first + ctx.years.count - 1);
  const n = Math.max(0, to - from + 1);
  return {
    years: Int32Array.from({ length: n }, (_, j) => from + j),
    units: Int32Array.from([ctx.root, ...childrenOf(ctx.tree, ctx.root)]),
  };
}

/** Is indicator i scored at a unit of this level? */
const scored = (ind: Indicator, level: string) => ind.targets.length > 0 && ind.levels.some((l) => l === level);

const clamp100 = (p: number) => (p !== p ? NaN : p <= 0 ? 0 : p >= 1 ? 100 : 100 * p);

/** The base point of a level target's progress (see the module note); null when none up to `upTo`. */
function basePoint(ctx: TargetsContext, ind: Indicator, unit: number, upTo: number): number {
  const series = seriesAt(ctx, ind.code, unit);
  const jb = ctx.plan.baseYear - ctx.years.first;
  if (jb >= 0 && jb < ctx.years.count && series.values[jb] === series.values[jb]) return series.values[jb]!;
  const b = ind.baseline;
  if (unit === ctx.root && b && b.year === ctx.plan.baseYear) return b.value;
  for (let j = Math.max(jb + 1, 0); j < ctx.years.count && ctx.years.first + j <= upTo; j++)
    if (series.values[j] === series.values[j]) return series.values[j]!;
  return NaN;
}

/** One indicator's scores: years × units of the frame (NaN where not scored). */
export function scoreIndicator(ctx: TargetsContext, frame: HorseRaceFrame, ind: Indicator): Float64Array {
  const U = frame.units.length;
  const out = new Float64Array(frame.years.length * U).fill(NaN);
  const target = ind.targets[0];
  if (!target) return out;
  for (let k = 0; k < U; k++) {
    const unit = frame.units[k]!;
    if (!scored(ind, levelOf(ctx.tree, unit))) continue;
    const series = seriesAt(ctx, ind.code, unit);
    for (let y = 0; y < frame.years.length; y++) {
      const year = frame.years[y]!;
      const j = year - ctx.years.first;
      const x = series.values[j]!;
      if (x !== x) continue;
      let score = NaN;
      switch (target.kind) {
        case 'level':
          score = progressToTarget(x, basePoint(ctx, ind, unit, year), target.value, ind.direction);
          break;
        case 'cumulative': {
          const from = target.from ?? ctx.plan.baseYear + 1;
          if (year < from) break;
          let sum = 0;
          for (let t = Math.max(from - ctx.years.first, 0); t <= j; t++)
            if (series.values[t] === series.values[t]) sum += series.values[t]!;
          const cap = target.op === '<=' || target.op === '<';
          score = progressToTarget(sum, 0, target.value, cap ? 'down' : 'up');
          break;
        }
        case 'growth':
        case 'yearly':
        case 'trend': {
          const ev = evaluateTargetAt(ctx, ind, target, unit, year);
          if (ev.latestYear === year) score = clamp100(ev.progress);
          break;
        }
        case 'relative':
        case 'rank': {
          const ev = evaluateTargetAt(ctx, ind, target, unit, year);
          if (ev.latestYear === year) score = ev.status === 'achieved' ? 100 : ev.status === 'off_track' ? 0 : NaN;
          break;
        }
      }
      out[y * U + k] = score;
    }
  }
  return out;
}

/** Dimension of each indicator (plan order), as an index into plan.dimensions. */
function indicatorDimensions(ctx: TargetsContext): Int32Array {
  const dims = ctx.plan.dimensions.map((d) => d.code);
  return Int32Array.from(ctx.plan.indicators, (ind) => {
    const d = dims.indexOf(ind.dimension);
    if (d < 0)
      throw new RangeError(`indicator ${ind.code} is in dimension ${ind.dimension}, which the plan does not define`);
    return d;
  });
}

/** The composite index of a set of frame units sharing a level (`positions` into the frame). */
function compositeOfLevel(
  ctx: TargetsContext,
  frame: HorseRaceFrame,
  scores: Float64Array,
  level: string,
  positions: readonly number[],
): CompositeResult | null {
  const I = ctx.plan.indicators.length;
  const D = ctx.plan.dimensions.length;
  const U = frame.units.length;
  const Y = frame.years.length;
  const indicatorDimension = indicatorDimensions(ctx);
  const indicatorWeights = Float64Array.from(ctx.plan.indicators, (ind) => (scored(ind, level) ? 1 : 0));
  const dimensionWeights = new Float64Array(D);
  for (let i = 0; i < I; i++) if (indicatorWeights[i]! > 0) dimensionWeights[indicatorDimension[i]!] = 1;
  if (!dimensionWeights.some((w) => w > 0)) return null;
  const G = positions.length;
  const sub = new Float64Array(Y * G * I);
  for (let y = 0; y < Y; y++)
    for (let g = 0; g < G; g++)
      sub.set(scores.subarray((y * U + positions[g]!) * I, (y * U + positions[g]! + 1) * I), (y * G + g) * I);
  return compositeIndex({
    scores: sub,
    periods: Y,
    units: G,
    indicators: I,
    dimensions: D,
    indicatorDimension,
    indicatorWeights,
    dimensionWeights,
  });
}

/** Frame positions grouped by level, in order of first appearance. */
function levelGroups(ctx: TargetsContext, frame: HorseRaceFrame): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  frame.units.forEach((u, k) => {
    const level = levelOf(ctx.tree, u);
    const list = groups.get(level) ?? [];
    list.push(k);
    groups.set(level, list);
  });
  return groups;
}

/** Ranks of the root's children in each year (frame position 0, the root, stays NaN). */
function ranksOf(values: Float64Array, Y: number, U: number, members?: readonly number[]): Float64Array {
  const out = new Float64Array(Y * U).fill(NaN);
  const positions = members ?? Array.from({ length: U - 1 }, (_, k) => k + 1);
  for (let y = 0; y < Y; y++) {
    const r = rank(
      positions.map((k) => values[y * U + k]!),
      { tolerance: TIE_TOLERANCE },
    );
    positions.forEach((k, n) => (out[y * U + k] = r[n]!));
  }
  return out;
}

/**
 * The horse race from the scores (years × units × indicators): composite, ranks, rank change,
 * improvement and ranks within groups.
 */
export function finishHorseRace(
  ctx: TargetsContext,
  frame: HorseRaceFrame,
  scores: Float64Array,
  groupBy: string | undefined,
): HorseRace {
  const I = ctx.plan.indicators.length;
  const D = ctx.plan.dimensions.length;
  const U = frame.units.length;
  const Y = frame.years.length;
  const subIndex = new Float64Array(Y * U * D).fill(NaN);
  const dimensionCoverage = new Float64Array(Y * U * D);
  const index = new Float64Array(Y * U).fill(NaN);
  const indexCoverage = new Float64Array(Y * U);
  const indicatorWeights = new Float64Array(U * I);
  for (const [level, positions] of levelGroups(ctx, frame)) {
    for (const k of positions)
      ctx.plan.indicators.forEach((ind, i) => (indicatorWeights[k * I + i] = scored(ind, level) ? 1 : 0));
    const res = compositeOfLevel(ctx, frame, scores, level, positions);
    if (!res) continue;
    const G = positions.length;
    for (let y = 0; y < Y; y++)
      positions.forEach((k, g) => {
        const from = y * G + g;
        const to = y * U + k;
        index[to] = res.index[from]!;
        indexCoverage[to] = res.indexCoverage[from]!;
        subIndex.set(res.subIndex.subarray(from * D, (from + 1) * D), to * D);
        dimensionCoverage.set(res.coverage.subarray(from * D, (from + 1) * D), to * D);
      });
  }

  const ranks = ranksOf(index, Y, U);
  const change = new Float64Array(Y * U).fill(NaN);
  for (let y = 1; y < Y; y++)
    change.set(rankChange(ranks.subarray((y - 1) * U, y * U), ranks.subarray(y * U, (y + 1) * U)), y * U);

  const improvementFrom = new Float64Array(U).fill(NaN);
  const improvement = new Float64Array(Y * U).fill(NaN);
  const improvementRank = new Float64Array(Y * U).fill(NaN);
  const base = new Float64Array(U).fill(NaN);
  for (let k = 0; k < U; k++)
    for (let y = 0; y < Y; y++)
      if (index[y * U + k] === index[y * U + k]) {
        improvementFrom[k] = frame.years[y]!;
        base[k] = index[y * U + k]!;
        break;
      }
  for (let y = 0; y < Y; y++) {
    const now = index.subarray(y * U, (y + 1) * U);
    // Before a unit's first year with an index there is nothing to improve on.
    const from = Float64Array.from(base, (b, k) => (frame.years[y]! >= improvementFrom[k]! ? b : NaN));
    const r = improvementRanking(from.subarray(1), now.subarray(1), { tolerance: TIE_TOLERANCE });
    improvement[y * U] = now[0]! - from[0]!;
    improvement.set(r.improvement, y * U + 1);
    improvementRank.set(r.rank, y * U + 1);
  }

  let groups: string[] | null = null;
  let rankInGroup: Float64Array | null = null;
  if (groupBy !== undefined) {
    groups = Array.from(frame.units, (u, k) => (k === 0 ? '' : (ctx.rows[u]!.attributes?.[groupBy] ?? '')));
    rankInGroup = new Float64Array(Y * U).fill(NaN);
    for (const g of new Set(groups.slice(1))) {
      const members = groups.flatMap((x, k) => (k > 0 && x === g ? [k] : []));
      const r = ranksOf(index, Y, U, members);
      for (let y = 0; y < Y; y++) for (const k of members) rankInGroup[y * U + k] = r[y * U + k]!;
    }
  }

  return {
    years: frame.years,
    units: frame.units,
    codes: Array.from(frame.units, (u) => ctx.tree.codes[u]!),
    indicators: ctx.plan.indicators.map((i) => i.code),
    dimensions: ctx.plan.dimensions.map((d) => d.code),
    indicatorDimensions: indicatorDimensions(ctx),
    scores,
    indicatorWeights,
    subIndex,
    dimensionCoverage,
    index,
    indexCoverage,
    rank: ranks,
    rankChange: change,
    improvement,
    improvementRank,
    improvementFrom,
    groups,
    rankInGroup,
  };
}

/** Places one indicator's scores (years × units) into the scores matrix (years × units × indicators). */
export function placeScores(all: Float64Array, column: Float64Array, i: number, I: number): void {
  for (let c = 0; c < column.length; c++) all[c * I + i] = column[c]!;
}

/** Every indicator's scores and the horse race. */
export function horseRace(ctx: TargetsContext, groupBy: string | undefined): HorseRace {
  const frame = horseRaceFrame(ctx);
  const I = ctx.plan.indicators.length;
  const scores = new Float64Array(frame.years.length * frame.units.length * I).fill(NaN);
  ctx.plan.indicators.forEach((ind, i) => placeScores(scores, scoreIndicator(ctx, frame, ind), i, I));
  return finishHorseRace(ctx, frame, scores, groupBy);
}

/**
 * Why a unit's index is what it is in a year: each dimension's sub-index, weight and contribution,
 * and each indicator's score and contribution (composite.ts's explanation, with codes).
 */
export function explainIndex(race: HorseRace, unitCode: string, year: number): IndexExplanation | null {
  const k = race.codes.indexOf(unitCode);
  const y = race.years.indexOf(year);
  if (k < 0 || y < 0) return null;
  const I = race.indicators.length;
  const D = race.dimensions.length;
  const U = race.units.length;
  // Rebuilt from the inputs the race used: the same numbers, for one unit and year.
  const weights = race.indicatorWeights.subarray(k * I, (k + 1) * I);
  const dimensionWeights = new Float64Array(D);
  for (let i = 0; i < I; i++) if (weights[i]! > 0) dimensionWeights[race.indicatorDimensions[i]!] = 1;
  if (!dimensionWeights.some((w) => w > 0)) return null;
  const res = compositeIndex({
    scores: race.scores.slice((y * U + k) * I, (y * U + k + 1) * I),
    units: 1,
    indicators: I,
    dimensions: D,
    indicatorDimension: race.indicatorDimensions,
    indicatorWeights: weights,
    dimensionWeights,
  });
  const e = explainComposite(res, 0, 0);
  return {
    unit: unitCode,
    year,
    index: e.index,
    coverage: e.coverage,
    dimensions: e.dimensions.map((d) => ({
      dimension: race.dimensions[d.dimension]!,
      subIndex: d.subIndex,
      coverage: d.coverage,
      weight: d.weight,
      effectiveWeight: d.effectiveWeight,
      contribution: d.contribution,
      indicators: d.indicators
        .filter((x) => x.weight > 0)
        .map((x) => ({
          indicator: race.indicators[x.indicator]!,
          score: x.score,
          weight: x.weight,
          effectiveWeight: x.effectiveWeight,
          contribution: x.contribution,
        })),
    })),
  };
}
