/**
 * The closed loop of a problem (督办事项): its states, the transitions between them, who may make
 * each, and when an unfinished problem is overdue and escalates. Pure: no I/O, no clock (`now` is
 * passed in), so the rules are tested on their own and the same everywhere (API, command line, web).
 *
 *   open ──assign(交办)──▶ assigned ──start(签收)──▶ rectifying ──submit(申请验收)──▶ awaiting_verification
 *                                                     ▲                                 │          │
 *                                                     └─────────reject(验收不通过)───────┘   close(销号)
 *                                                                                                  ▼
 *                                                                                               closed
 */
import type { Action } from './access.js';

export const PROBLEM_STATUSES = ['open', 'assigned', 'rectifying', 'awaiting_verification', 'closed'] as const;
export type ProblemStatus = (typeof PROBLEM_STATUSES)[number];

export const STATUS_LABELS: Record<ProblemStatus, { zh: string; en: string }> = {
  open: { zh: '待交办', en: 'open' },
  assigned: { zh: '已交办', en: 'assigned' },
  rectifying: { zh: '整改中', en: 'rectifying' },
  awaiting_verification: { zh: '待验收', en: 'awaiting verification' },
  closed: { zh: '已销号', en: 'closed' },
};

export const TRANSITIONS = ['assign', 'start', 'submit', 'reject', 'close'] as const;
export type Transition = (typeof TRANSITIONS)[number];

/**
 * Who acts on what: `scope` is the unit the problem is about (supervisors there assign and verify);
 * `assignee` is the unit it was assigned to (its members rectify).
 */
export type ActingOn = 'scope' | 'assignee';

export interface TransitionRule {
  from: readonly ProblemStatus[];
  to: ProblemStatus;
  action: Action;
  on: ActingOn;
  /** A reason must be given (what was done, why it fails). */
  needsReason: boolean;
  label: { zh: string; en: string };
}

export const TRANSITION_RULES: Record<Transition, TransitionRule> = {
  assign: {
    from: ['open'],
    to: 'assigned',
    action: 'problem.assign',
    on: 'scope',
    needsReason: false,
    label: { zh: '交办', en: 'assign' },
  },
  start: {
    from: ['assigned'],
    to: 'rectifying',
    action: 'problem.rectify',
    on: 'assignee',
    needsReason: false,
    label: { zh: '签收并开始整改', en: 'accept and start rectifying' },
  },
  submit: {
    from: ['rectifying'],
    to: 'awaiting_verification',
    action: 'problem.rectify',
    on: 'assignee',
    needsReason: true,
    label: { zh: '提交整改情况，申请验收', en: 'report the rectification and ask for verification' },
  },
  reject: {
    from: ['awaiting_verification'],
    to: 'rectifying',
    action: 'problem.verify',
    on: 'scope',
    needsReason: true,
    label: { zh: '验收不通过，退回整改', en: 'fail verification and return for rectification' },
  },
  close: {
    from: ['awaiting_verification'],
    to: 'closed',
    action: 'problem.verify',
    on: 'scope',
    needsReason: false,
    label: { zh: '验收通过，销号', en: 'pass verification and close' },
  },
};

export interface LocalizedMessage {
  zh: string;
  en: string;
}

/** The status a transition leads to, or why it is refused. */
export function applyTransition(
  status: ProblemStatus,
  transition: Transition,
  reason: string | undefined,
): { ok: true; to: ProblemStatus } | { ok: false; refusal: 'illegal' | 'no_reason'; message: LocalizedMessage } {
  const rule = TRANSITION_RULES[transition];
  if (!rule.from.includes(status)) {
    const allowed = nextTransitions(status);
    return {
      ok: false,
      refusal: 'illegal',
      message: {
        zh: `问题当前为“${STATUS_LABELS[status].zh}”，不能“${rule.label.zh}”${
          allowed.length
            ? `；此时可以：${allowed.map((t) => TRANSITION_RULES[t].label.zh).join('、')}`
            : '；已销号的问题不能再变更'
        }`,
        en: `the problem is ${STATUS_LABELS[status].en}: it cannot ${rule.label.en}${
          allowed.length
            ? `; possible now: ${allowed.map((t) => TRANSITION_RULES[t].label.en).join(', ')}`
            : '; a closed problem does not change any more'
        }`,
      },
    };
  }
  if (rule.needsReason && !reason?.trim())
    return {
      ok: false,
      refusal: 'no_reason',
      message: {
        zh: `“${rule.label.zh}”须填写理由（reason）`,
        en: `to ${rule.label.en}, give a reason (field reason)`,
      },
    };
  return { ok: true, to: rule.to };
}

/** Transitions possible from a status, whoever asks. */
export function nextTransitions(status: ProblemStatus): Transition[] {
  return TRANSITIONS.filter((t) => TRANSITION_RULES[t].from.includes(status));
}

/** Transitions possible from a status that the asker may make, given what they may do on each side. */
export function allowedTransitions(
  status: ProblemStatus,
  may: (action: Action, on: ActingOn) => boolean,
): Transition[] {
  return nextTransitions(status).filter((t) => may(TRANSITION_RULES[t].action, TRANSITION_RULES[t].on));
}

// Categories: the seven problem lists (七张问题清单) and the loop's own sources.

export const PROBLEM_CATEGORIES = {
  inspection_tour: { zh: '巡视巡察发现问题', en: 'Found by inspection tours (巡视巡察)', sevenLists: true },
  supervision: { zh: '督查检查发现问题', en: 'Found by supervision and checks (督查检查)', sevenLists: true },
  audit: { zh: '审计发现问题', en: 'Found by audit (审计)', sevenLists: true },
  eco_inspection: {
    zh: '生态环境保护督察发现问题',
    en: 'Found by environmental inspection (环保督察)',
    sevenLists: true,
  },
  safety: { zh: '安全生产问题', en: 'Work-safety problems (安全生产)', sevenLists: true },
  petition: { zh: '信访举报反映问题', en: 'Raised in petitions and reports (信访举报)', sevenLists: true },
  media: { zh: '媒体曝光问题', en: 'Exposed by the media (媒体曝光)', sevenLists: true },
  indicator: { zh: '指标预警', en: 'Indicator off track', sevenLists: false },
  milestone: { zh: '节点逾期', en: 'Milestone overdue', sevenLists: false },
  other: { zh: '其他', en: 'Other', sevenLists: false },
} as const;
export type ProblemCategory = keyof typeof PROBLEM_CATEGORIES;
export const CATEGORY_CODES = Object.keys(PROBLEM_CATEGORIES) as ProblemCategory[];

export const FOUND_BY = ['self', 'higher', 'auto'] as const;
export type FoundBy = (typeof FOUND_BY)[number];

// Overdue and escalation

export interface LoopTiming {
  /** Days after the deadline before a problem escalates one level up; each further such span, one more. */
  graceDays: number;
  /** A reminder is due this many days before the deadline. */
  dueSoonDays: number;
}

export const DEFAULT_TIMING: LoopTiming = Object.freeze({ graceDays: 3, dueSoonDays: 3 });

const DAY_MS = 24 * 60 * 60 * 1000;

export interface DeadlineState {
  /** Not closed and past its deadline. */
  overdue: boolean;
  /** Not closed, not overdue, and the deadline within `dueSoonDays`. */
  dueSoon: boolean;
  /** Whole days past the deadline (0 when not overdue). */
  daysOverdue: number;
  /**
   * Levels above the problem's unit whose supervisors it has reached: 0 until the deadline plus
   * the grace period has passed, then 1, and one more for each further grace period.
   */
  escalationLevel: number;
}

/** Where a problem stands against its deadline at `now` (a closed one, or one without a deadline, never overdue). */
export function deadlineState(
  p: { status: ProblemStatus; deadline: Date | null },
  now: Date,
  timing: LoopTiming = DEFAULT_TIMING,
): DeadlineState {
  const none = { overdue: false, dueSoon: false, daysOverdue: 0, escalationLevel: 0 };
  if (p.status === 'closed' || p.deadline === null) return none;
  const late = now.getTime() - p.deadline.getTime();
  if (late <= 0) return { ...none, dueSoon: -late <= timing.dueSoonDays * DAY_MS };
  const grace = timing.graceDays * DAY_MS;
  return {
    overdue: true,
    dueSoon: false,
    daysOverdue: Math.floor(late / DAY_MS),
    escalationLevel: grace <= 0 ? 1 + Math.floor(late / DAY_MS) : late <= grace ? 0 : Math.ceil(late / grace) - 1,
  };
}

/**
 * The unit `levels` steps above the unit at `path` ('/330000/330700/330782/'), not above `rootPath`'s
 * unit. Where escalation goes.
 */
export function unitAbove(path: string, levels: number, rootPath = '/'): string | undefined {
  const codes = path.split('/').filter(Boolean);
  const rootDepth = rootPath.split('/').filter(Boolean).length;
  const index = Math.max(codes.length - 1 - levels, Math.max(rootDepth - 1, 0));
  return codes[index];
}
