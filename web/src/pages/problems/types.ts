/** What the problem routes return (src/http/schemas-tasks.ts). */
export const PROBLEM_STATUSES = ['open', 'assigned', 'rectifying', 'awaiting_verification', 'closed'] as const;
export type ProblemStatus = (typeof PROBLEM_STATUSES)[number];
export type Transition = 'assign' | 'start' | 'submit' | 'reject' | 'close';

/** Transitions that need a reason (domain/problem-workflow.ts TRANSITION_RULES.needsReason). */
export const NEEDS_REASON: ReadonlySet<Transition> = new Set(['submit', 'reject']);

export interface Problem {
  id: number;
  title: string;
  description: string | null;
  category: string;
  categoryLabel: { zh: string; en: string };
  sevenLists: boolean;
  source: {
    kind: 'indicator' | 'item' | 'milestone' | 'free';
    indicator: string | null;
    period: string | null;
    itemId: number | null;
    milestoneId: number | null;
  };
  orgUnit: string;
  orgUnitName: string;
  foundBy: 'auto' | 'self' | 'higher';
  status: ProblemStatus;
  statusLabel: { zh: string; en: string };
  assignedUnit: string | null;
  assignedUnitName: string | null;
  deadline: string | null;
  reopened: number;
  overdue: boolean;
  dueSoon: boolean;
  daysOverdue: number;
  escalationLevel: number;
  escalatedTo: string | null;
  createdBy: string | null;
  createdAt: string;
  closedAt: string | null;
  allowedTransitions: Transition[];
}

export interface ProblemEvent {
  kind: string;
  transition: string | null;
  from: string | null;
  to: string | null;
  reason: string | null;
  by: string | null;
  at: string;
}

export interface ProblemDetail extends Problem {
  history: ProblemEvent[];
}
