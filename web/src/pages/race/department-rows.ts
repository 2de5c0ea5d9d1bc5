/** The departments' race: problem figures (GET /loop-figures) joined with task figures (GET /task-figures) per unit. */

/** One unit's problem figures: GET /api/v1/loop-figures `byUnit` (src/engine/loop-figures.ts), by the unit answering. */
export interface UnitLoopFigures {
  group: string;
  name: string;
  total: number;
  open: number;
  overdue: number;
  closed: number;
}

export interface LoopFiguresResponse {
  byUnit: UnitLoopFigures[];
}

export interface UnitProblemRow {
  unit: string;
  name: string;
  total: number;
  open: number;
  overdue: number;
  closed: number;
  /** closed / total; null without problems. */
  closedShare: number | null;
}

/** One unit's row of GET /api/v1/task-figures (definitions in src/engine/task-figures.ts). */
export interface UnitTaskFigures {
  group: string;
  name: string;
  items: number;
  cancelled: number;
  milestones: number;
  due: number;
  metOnTime: number;
  metLate: number;
  overdue: number;
  onTimeRate: number | null;
}

export interface TaskFiguresResponse {
  planId: string;
  asOf: string;
  under: string | null;
  byUnit: UnitTaskFigures[];
}

export interface DepartmentRow extends UnitProblemRow {
  itemsLed: number;
  milestonesDue: number;
  metOnTime: number;
  /** Milestones not met by their due date: overdue (still open) plus met late. */
  missed: number;
  onTimeRate: number | null;
}

/** Every unit with problems or tasks, once; a unit missing from one side has zeros there. */
export function departmentRows(
  problems: readonly UnitLoopFigures[],
  tasks: readonly UnitTaskFigures[],
): DepartmentRow[] {
  const rows = new Map<string, DepartmentRow>();
  for (const p of problems)
    rows.set(p.group, {
      unit: p.group,
      name: p.name,
      total: p.total,
      open: p.open,
      overdue: p.overdue,
      closed: p.closed,
      closedShare: p.total ? p.closed / p.total : null,
      itemsLed: 0,
      milestonesDue: 0,
      metOnTime: 0,
      missed: 0,
      onTimeRate: null,
    });
  for (const f of tasks) {
    const r =
      rows.get(f.group) ??
      ({ unit: f.group, name: f.name, total: 0, open: 0, overdue: 0, closed: 0, closedShare: null } as DepartmentRow);
    rows.set(f.group, {
      ...r,
      itemsLed: f.items,
      milestonesDue: f.due,
      metOnTime: f.metOnTime,
      missed: f.overdue + f.metLate,
      onTimeRate: f.onTimeRate,
    });
  }
  return [...rows.values()];
}
