/**
 * Task lists in numbers (任务推进指标), per group (the lead unit): how many items a unit leads, how
 * many of their milestones are due, met on time, met late, or overdue, and the on-time rate. The
 * horse race ranks departments on these next to the closed-loop figures. Pure: items and the day are
 * passed in.
 *
 * Definitions (a milestone's due date is a calendar day, compared with `today` as YYYY-MM-DD, UTC):
 * - due: due date on or before today;
 * - met on time: reached on or before its due date (a milestone reached early counts even before it falls due);
 * - met late: reached after its due date;
 * - overdue: not reached and its due date before today (today itself is not yet overdue);
 * - on-time rate: met on time / (met on time + met late + overdue), the milestones already decided;
 *   null when none is decided.
 * Cancelled items count in `cancelled` only: their milestones no longer bind.
 */
export interface FigureTask {
  /** The group the item counts in (its lead unit). */
  group: string;
  cancelled: boolean;
  milestones: readonly { due: string; reachedAt: Date | null }[];
}

export interface TaskFigures {
  group: string;
  items: number;
  cancelled: number;
  milestones: number;
  due: number;
  metOnTime: number;
  metLate: number;
  overdue: number;
  onTimeRate: number | null;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** Figures per group, sorted by group. `today` is YYYY-MM-DD. */
export function taskFigures(items: readonly FigureTask[], today: string): TaskFigures[] {
  const acc = new Map<string, Omit<TaskFigures, 'group' | 'onTimeRate'>>();
  for (const item of items) {
    let a = acc.get(item.group);
    if (!a)
      acc.set(
        item.group,
        (a = { items: 0, cancelled: 0, milestones: 0, due: 0, metOnTime: 0, metLate: 0, overdue: 0 }),
      );
    if (item.cancelled) {
      a.cancelled++;
      continue;
    }
    a.items++;
    for (const m of item.milestones) {
      a.milestones++;
      if (m.due <= today) a.due++;
      if (m.reachedAt !== null) {
        if (day(m.reachedAt) <= m.due) a.metOnTime++;
        else a.metLate++;
      } else if (m.due < today) a.overdue++;
    }
  }
  return [...acc]
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([group, a]) => {
      const decided = a.metOnTime + a.metLate + a.overdue;
      return { group, ...a, onTimeRate: decided > 0 ? a.metOnTime / decided : null };
    });
}
