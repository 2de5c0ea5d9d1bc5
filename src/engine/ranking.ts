/**
 * Ranking for the horse race (赛马): ranks with ties, rank change between two periods, and a ranking
 * by improvement.
 *
 * - **Competition ranking** ("1224", standard competition ranking): tied units share the best rank of
 *   their group and the next unit's rank counts every unit above it. **Dense ranking** ("1223"):
 *   the next rank is one more. Scores are ties when equal, or, with `tolerance` > 0, when within
 *   `tolerance` of the first (best) score of their group — measured from the group's first so that
 *   a chain of small gaps cannot merge a whole field. Missing scores (NaN) get no rank (NaN) and
 *   take no place. `direction: 'down'` ranks the lowest score first.
 * - **Rank change** = previous rank − current rank: positive when a unit moved up (from 5th to 2nd
 *   is +3); NaN when either rank is missing.
 * - **Improvement ranking**: units ranked by now − base of a score that is on one scale in both
 *   periods — progress to target (fixed base and target), or min–max pooled over both periods
 *   (`minMaxPooled` in normalise.ts) — so a poorer county can win by moving fastest. A min–max
 *   taken separately in each period measures position, not progress: don't feed it here.
 */
import type { Direction } from '../domain/plan.js';

export const RANK_METHODS = ['competition', 'dense'] as const;
export type RankMethod = (typeof RANK_METHODS)[number];

export interface RankOptions {
  /** Default 'competition'. */
  method?: RankMethod;
  /** 'up' (default): the highest score ranks 1. */
  direction?: Direction;
  /** Absolute tolerance for ties; default 0 (exact). */
  tolerance?: number;
}

/** Rank of each score (1 = best); NaN for missing scores. */
export function rank(scores: ArrayLike<number>, options: RankOptions = {}): Float64Array {
  const method = options.method ?? 'competition';
  // Comparator result when a's score is above b's: 'up' puts a first.
  const sign = (options.direction ?? 'up') === 'up' ? -1 : 1;
  const tolerance = options.tolerance ?? 0;
  if (!(tolerance >= 0)) throw new RangeError(`the tie tolerance must be ≥ 0, not ${tolerance}`);

  const ranks = new Float64Array(scores.length).fill(NaN);
  const order: number[] = [];
  for (let i = 0; i < scores.length; i++) if (!Number.isNaN(scores[i]!)) order.push(i);
  // Best first; equal scores keep input order (the sort is stable), which does not affect ranks.
  order.sort((a, b) => {
    const x = scores[a]!;
    const y = scores[b]!;
    return x === y ? 0 : x < y ? -sign : sign;
  });

  let groupRank = 0;
  let groupScore = NaN;
  order.forEach((unit, position) => {
    const s = scores[unit]!;
    if (position === 0 || Math.abs(s - groupScore) > tolerance) {
      groupRank = method === 'competition' ? position + 1 : groupRank + 1;
      groupScore = s;
    }
    ranks[unit] = groupRank;
  });
  return ranks;
}

/** previous − current: positive = moved up; NaN when either is missing. */
export function rankChange(previous: ArrayLike<number>, current: ArrayLike<number>): Float64Array {
  if (previous.length !== current.length)
    throw new RangeError(`${previous.length} previous ranks for ${current.length} current ranks`);
  const out = new Float64Array(current.length);
  for (let i = 0; i < out.length; i++) out[i] = previous[i]! - current[i]!; // NaN propagates
  return out;
}

export interface ImprovementRanking {
  /** now − base; NaN when either is missing. */
  improvement: Float64Array;
  /** Rank by improvement (1 = the largest gain). */
  rank: Float64Array;
}

/** Ranks units by how much their score rose from `base` to `now` (see the module note). */
export function improvementRanking(
  base: ArrayLike<number>,
  now: ArrayLike<number>,
  options: Omit<RankOptions, 'direction'> = {},
): ImprovementRanking {
  if (base.length !== now.length) throw new RangeError(`${base.length} base scores for ${now.length} current scores`);
  const improvement = new Float64Array(now.length);
  for (let i = 0; i < now.length; i++) improvement[i] = now[i]! - base[i]!;
  return { improvement, rank: rank(improvement, options) };
}

/**
 * Unit indices in display order: by rank (1 first), ties by id (plain code-unit order, so "330702"
 * before "330703"), units without a rank last, by id.
 */
export function rankOrder(ranks: ArrayLike<number>, ids: readonly string[]): number[] {
  if (ranks.length !== ids.length) throw new RangeError(`${ranks.length} ranks for ${ids.length} ids`);
  const byId = (a: number, b: number) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0);
  return Array.from({ length: ids.length }, (_, i) => i).sort((a, b) => {
    const ra = ranks[a]!;
    const rb = ranks[b]!;
    const missingA = Number.isNaN(ra);
    const missingB = Number.isNaN(rb);
    if (missingA !== missingB) return missingA ? 1 : -1;
    if (!missingA && ra !== rb) return ra - rb;
    return byId(a, b);
  });
}
