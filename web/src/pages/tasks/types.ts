/** What the task-list routes return (src/http/schemas-tasks.ts). */
export type ListCode = 'key' | 'breakthrough' | 'reform';
export type ItemStatus = 'not_started' | 'in_progress' | 'done' | 'delayed' | 'cancelled';
export const ITEM_STATUSES: ItemStatus[] = ['not_started', 'in_progress', 'delayed', 'done', 'cancelled'];
export const LISTS: ListCode[] = ['key', 'breakthrough', 'reform'];

export interface Localized {
  zh: string;
  en: string;
}

export interface Milestone {
  id: number;
  title: string;
  due: string;
  reachedAt: string | null;
  overdue: boolean;
}

export interface TaskItem {
  id: number;
  list: ListCode;
  listLabel: Localized;
  taskNumber: number | null;
  origin: 'plan' | 'user';
  parentId: number | null;
  title: { zh: string; en: string | null };
  description: string | null;
  leadUnit: string | null;
  leadDemo: boolean;
  cooperating: { unit: string; demo: boolean }[];
  scopeUnit: string;
  indicators: string[];
  status: ItemStatus;
  statusLabel: Localized;
  priority: 'high' | 'normal' | 'low';
  percentComplete: number;
  milestones: Milestone[];
  reform: {
    addressedTo: string | null;
    requestedAt: string | null;
    reply: string | null;
    repliedAt: string | null;
    daysWaiting: number | null;
  } | null;
  createdAt: string;
  updatedAt: string;
}

export interface Evidence {
  sha256: string;
  fileName: string;
  mediaType: string;
  size: number;
}

export interface TaskEvent {
  kind: string;
  text: string | null;
  percent: number | null;
  milestoneId: number | null;
  milestoneReached: boolean | null;
  statusFrom: string | null;
  statusTo: string | null;
  evidence: Evidence[];
  by: string | null;
  at: string;
}

export interface TaskItemDetail extends TaskItem {
  history: TaskEvent[];
}

export interface TaskListSummary {
  code: ListCode;
  label: Localized;
  items: number;
  byStatus: Record<ItemStatus, number>;
  demoLeads: number;
}

/** Late: a milestone past its due date and not reached, or the item marked delayed. */
export const isOverdue = (i: TaskItem) => i.status === 'delayed' || i.milestones.some((m) => m.overdue);

/** The first milestone not yet reached, by due date. */
export const nextMilestone = (i: TaskItem): Milestone | undefined =>
  [...i.milestones].filter((m) => !m.reachedAt).sort((a, b) => a.due.localeCompare(b.due))[0];
