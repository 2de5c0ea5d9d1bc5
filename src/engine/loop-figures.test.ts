import { describe, expect, it } from 'vitest';
import { loopFigures, type LoopProblem } from './loop-figures.js';

const d = (s: string) => new Date(`${s}T00:00:00Z`);
const now = d('2025-06-30');

describe('loop figures', () => {
  it('counts open, overdue, closed on time and average days to close (worked by hand)', () => {
    const problems: LoopProblem[] = [
      // A: closed in 10 days, before its deadline
      { group: 'A', createdAt: d('2025-01-01'), deadline: d('2025-01-31'), closedAt: d('2025-01-11') },
      // A: closed in 40 days, 9 days after its deadline
      { group: 'A', createdAt: d('2025-02-01'), deadline: d('2025-03-04'), closedAt: d('2025-03-13') },
      // A: closed on the deadline itself (on time), in 31 days
      { group: 'A', createdAt: d('2025-03-01'), deadline: d('2025-04-01'), closedAt: d('2025-04-01') },
      // A: open, past its deadline
      { group: 'A', createdAt: d('2025-04-01'), deadline: d('2025-05-01'), closedAt: null },
      // A: open, deadline ahead
      { group: 'A', createdAt: d('2025-06-01'), deadline: d('2025-07-01'), closedAt: null },
      // B: open without a deadline (not yet assigned): open, never overdue
      { group: 'B', createdAt: d('2025-06-01'), deadline: null, closedAt: null },
    ];
    expect(loopFigures(problems, now)).toEqual([
      {
        group: 'A',
        total: 5,
        open: 2,
        overdue: 1,
        closed: 3,
        closedOnTime: 2,
        onTimeRate: 2 / 3,
        averageDaysToClose: (10 + 40 + 31) / 3, // 27
      },
      {
        group: 'B',
        total: 1,
        open: 1,
        overdue: 0,
        closed: 0,
        closedOnTime: 0,
        onTimeRate: null,
        averageDaysToClose: null,
      },
    ]);
  });

  it('counts a closed problem without a deadline as on time, and gives nothing for no problems', () => {
    expect(
      loopFigures([{ group: 'X', createdAt: d('2025-01-01'), deadline: null, closedAt: d('2025-01-02') }], now),
    ).toEqual([
      { group: 'X', total: 1, open: 0, overdue: 0, closed: 1, closedOnTime: 1, onTimeRate: 1, averageDaysToClose: 1 },
    ]);
    expect(loopFigures([], now)).toEqual([]);
  });

  it('is not overdue at the deadline instant, only after it', () => {
    const p = { group: 'A', createdAt: d('2025-01-01'), deadline: now, closedAt: null };
    expect(loopFigures([p], now)[0]!.overdue).toBe(0);
    expect(loopFigures([p], new Date(now.getTime() + 1))[0]!.overdue).toBe(1);
  });
});
