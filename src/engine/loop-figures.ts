/**
 * The closed loop in numbers (闭环指标), per group (a unit, a county): how many problems are open,
 * how many are overdue, how many were closed, how many of those on time, and the average days from
 * raising to closing. Pure: the problems and the instant are passed in.
 *
 * Definitions (the dashboard, the horse race and the appraisal all read these):
 * - open: not closed;
 * - overdue: not closed and `now` after the deadline (no deadline: never overdue);
 * - closed on time: closed no later than the deadline (no deadline: on time);
 * - average days to close: mean of (closed − created) in days over the closed ones; null when none.
 */
export interface LoopProblem {
  /** The group the problem counts in (a unit code, a county code). */
  group: string;
  createdAt: Date;
  deadline: Date | null;
  closedAt: Date | null;
}

export interface LoopFigures {
  group: string;
  total: number;
  open: number;
  overdue: number;
  closed: number;
  closedOnTime: number;
  /** closedOnTime / closed; null when nothing was closed. */
  onTimeRate: number | null;
  averageDaysToClose: number | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Figures per group, sorted by group. */
export function loopFigures(problems: readonly LoopProblem[], now: Date): LoopFigures[] {
  const acc = new Map<
    string,
    { total: number; open: number; overdue: number; closed: number; onTime: number; days: number }
  >();
  for (const p of problems) {
    let a = acc.get(p.group);
    if (!a) acc.set(p.group, (a = { total: 0, open: 0, overdue: 0, closed: 0, onTime: 0, days: 0 }));
    a.total++;
    if (p.closedAt === null) {
      a.open++;
      if (p.deadline !== null && now.getTime() > p.deadline.getTime()) a.overdue++;
    } else {
      a.closed++;
      if (p.deadline === null || p.closedAt.getTime() <= p.deadline.getTime()) a.onTime++;
      a.days += (p.closedAt.getTime() - p.createdAt.getTime()) / DAY_MS;
    }
  }
  return [...acc]
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([group, a]) => ({
      group,
      total: a.total,
      open: a.open,
      overdue: a.overdue,
      closed: a.closed,
      closedOnTime: a.onTime,
      onTimeRate: a.closed > 0 ? a.onTime / a.closed : null,
      averageDaysToClose: a.closed > 0 ? a.days / a.closed : null,
    }));
}
