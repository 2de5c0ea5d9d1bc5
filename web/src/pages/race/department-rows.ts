/** The departments' race: problem figures (from the problem list) joined with task figures (GET /task-figures) per unit. */
import type { UnitProblemRow } from '../../problems';

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
  problems: readonly UnitProblemRow[],
  tasks: readonly UnitTaskFigures[],
): DepartmentRow[] {
  const rows = new Map<string, DepartmentRow>();
  for (const p of problems)
    rows.set(p.unit, { ...p, itemsLed: 0, milestonesDue: 0, metOnTime: 0, missed: 0, onTimeRate: null });
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
