import { describe, expect, it } from 'vitest';
import { DIRECTIONS } from '../domain/plan.js';
import { RANK_METHODS, improvementRanking, rank, rankChange, rankOrder } from './ranking.js';

const ranks = (x: ArrayLike<number>) => Array.from(x);

describe('rank', () => {
  // Scores 90, 80, 80, 70: competition 1, 2, 2, 4 ("1224"); dense 1, 2, 2, 3 ("1223").
  it.each([
    ['competition', [1, 2, 2, 4]],
    ['dense', [1, 2, 2, 3]],
  ] as const)('%s ranking of 90, 80, 80, 70', (method, expected) => {
    expect(ranks(rank([90, 80, 80, 70], { method }))).toEqual(expected);
  });

  it('competition is the default; input order does not matter', () => {
    expect(ranks(rank([70, 80, 90, 80]))).toEqual([4, 2, 1, 2]);
  });

  it.each(RANK_METHODS)('%s: a three-way tie at the top, and all equal', (method) => {
    expect(ranks(rank([5, 5, 5, 1], { method }))).toEqual(method === 'competition' ? [1, 1, 1, 4] : [1, 1, 1, 2]);
    expect(ranks(rank([3, 3, 3], { method }))).toEqual([1, 1, 1]);
  });

  it.each(DIRECTIONS)('direction %s', (direction) => {
    expect(ranks(rank([3.5, 2.1, 4.0], { direction }))).toEqual(direction === 'up' ? [2, 3, 1] : [2, 1, 3]);
  });

  it.each(RANK_METHODS)('%s: missing scores get no rank and take no place', (method) => {
    expect(ranks(rank([NaN, 10, 30, NaN, 20], { method }))).toEqual([NaN, 3, 1, NaN, 2]);
    expect(ranks(rank([NaN, NaN], { method }))).toEqual([NaN, NaN]);
  });

  it('one unit, no units, negatives and zero', () => {
    expect(ranks(rank([-3]))).toEqual([1]);
    expect(ranks(rank([]))).toEqual([]);
    expect(ranks(rank([0, -1, 1, -0]))).toEqual([2, 4, 1, 2]); // 0 and −0 tie
  });

  it('tolerance: ties within it of the best of the group, not chained', () => {
    // 1.0, 0.96, 0.92, 0.5 with tolerance 0.05: 0.96 ties 1.0; 0.92 is 0.08 below the group's
    // first (1.0), so it starts a new group even though it is only 0.04 below 0.96.
    expect(ranks(rank([1.0, 0.96, 0.92, 0.5], { tolerance: 0.05 }))).toEqual([1, 1, 3, 4]);
    expect(ranks(rank([1.0, 0.96, 0.92, 0.5], { tolerance: 0.05, method: 'dense' }))).toEqual([1, 1, 2, 3]);
    // Float noise: 0.1 + 0.2 vs 0.3.
    expect(ranks(rank([0.1 + 0.2, 0.3]))).toEqual([1, 2]);
    expect(ranks(rank([0.1 + 0.2, 0.3], { tolerance: 1e-12 }))).toEqual([1, 1]);
    expect(() => rank([1], { tolerance: -1 })).toThrow(/≥ 0/);
  });
});

describe('rankChange', () => {
  it('previous − current: positive = moved up', () => {
    // 5th → 2nd is +3; 1st → 4th is −3; unchanged 0; a missing rank gives NaN.
    expect(ranks(rankChange([5, 1, 3, NaN, 2], [2, 4, 3, 1, NaN]))).toEqual([3, -3, 0, NaN, NaN]);
  });
  it('checks lengths', () => {
    expect(() => rankChange([1], [1, 2])).toThrow(/1 previous ranks for 2/);
  });
});

describe('improvementRanking', () => {
  it('a poorer county wins by moving fastest', () => {
    // Progress to target in the base year and now: A leads in level (90 → 95, +5) but B climbs
    // from 40 to 70 (+30) and C from 60 to 80 (+20): the improvement ranking is B, C, A.
    const r = improvementRanking([90, 40, 60], [95, 70, 80]);
    expect(ranks(r.improvement)).toEqual([5, 30, 20]);
    expect(ranks(r.rank)).toEqual([3, 1, 2]);
    // …while the level ranking now still puts A first.
    expect(ranks(rank([95, 70, 80]))).toEqual([1, 3, 2]);
  });

  it.each(RANK_METHODS)('%s: ties, declines and missing values', (method) => {
    const r = improvementRanking([50, 50, 60, NaN, 70], [60, 60, 55, 80, NaN], { method });
    expect(ranks(r.improvement)).toEqual([10, 10, -5, NaN, NaN]);
    expect(ranks(r.rank)).toEqual(method === 'competition' ? [1, 1, 3, NaN, NaN] : [1, 1, 2, NaN, NaN]);
  });

  it('checks lengths', () => {
    expect(() => improvementRanking([1, 2], [1])).toThrow(/2 base scores for 1/);
  });
});

describe('rankOrder', () => {
  it('by rank, ties by id, unranked last by id', () => {
    const ids = ['330783', '330702', '330781', '330703', '330723'];
    const r = [2, NaN, 1, 2, NaN];
    expect(rankOrder(r, ids).map((i) => ids[i])).toEqual(['330781', '330703', '330783', '330702', '330723']);
  });
});
