import { describe, expect, it } from 'vitest';
import { taskFigures, type FigureTask } from './task-figures.js';

const at = (iso: string) => new Date(`${iso}T10:00:00Z`);
const TODAY = '2026-06-15';

describe('taskFigures', () => {
  it('is empty for no items', () => {
    expect(taskFigures([], TODAY)).toEqual([]);
  });

  it('counts by hand: on time, late, overdue, due today, future, early', () => {
    const items: FigureTask[] = [
      {
        group: 'fgw',
        cancelled: false,
        milestones: [
          { due: '2026-03-31', reachedAt: at('2026-03-31') }, // on time (same day)
          { due: '2026-04-30', reachedAt: at('2026-05-02') }, // late
          { due: '2026-05-31', reachedAt: null }, // overdue
          { due: '2026-06-15', reachedAt: null }, // due today, not yet overdue
          { due: '2026-12-31', reachedAt: at('2026-06-01') }, // early: on time, not yet due
        ],
      },
      { group: 'fgw', cancelled: false, milestones: [{ due: '2026-12-31', reachedAt: null }] }, // future only
      { group: 'fgw', cancelled: true, milestones: [{ due: '2026-01-01', reachedAt: null }] }, // no longer binds
    ];
    expect(taskFigures(items, TODAY)).toEqual([
      {
        group: 'fgw',
        items: 2,
        cancelled: 1,
        milestones: 6,
        due: 4, // 03-31, 04-30, 05-31, 06-15
        metOnTime: 2,
        metLate: 1,
        overdue: 1,
        onTimeRate: 2 / 4,
      },
    ]);
  });

  it('gives no rate where nothing is decided, and sorts groups', () => {
    const r = taskFigures(
      [
        { group: 'z', cancelled: false, milestones: [] },
        { group: 'a', cancelled: false, milestones: [{ due: '2027-01-01', reachedAt: null }] },
      ],
      TODAY,
    );
    expect(r.map((f) => [f.group, f.items, f.milestones, f.due, f.onTimeRate])).toEqual([
      ['a', 1, 1, 0, null],
      ['z', 1, 0, 0, null],
    ]);
  });

  it('ties a reach late in the day (UTC) to its own calendar day', () => {
    const [f] = taskFigures(
      [
        {
          group: 'u',
          cancelled: false,
          milestones: [
            { due: '2026-06-01', reachedAt: new Date('2026-06-01T23:59:59Z') },
            { due: '2026-06-01', reachedAt: new Date('2026-06-02T00:00:00Z') },
          ],
        },
      ],
      TODAY,
    );
    expect(f).toMatchObject({ metOnTime: 1, metLate: 1, overdue: 0, onTimeRate: 0.5 });
  });
});
