/**
 * Problems (督办事项 / 问题清单) and their closed loop: raise, assign (交办), rectify (整改), verify
 * and close (销号) or return; every transition records who, when and why, and is audited. Overdue
 * and escalation are computed on read from the deadline (domain/problem-workflow.ts); the sweep
 * (`gongfu problems escalate`, also run after each evaluation) turns them into inbox notices once.
 */
import type { Kysely } from 'kysely';
import { can, scopesOf, type Action } from '../domain/access.js';
import {
  allowedTransitions,
  applyTransition,
  CATEGORY_CODES,
  deadlineState,
  DEFAULT_TIMING,
  PROBLEM_CATEGORIES,
  STATUS_LABELS,
  TRANSITION_RULES,
  unitAbove,
  type ActingOn,
  type DeadlineState,
  type FoundBy,
  type LoopTiming,
  type ProblemStatus,
  type Transition,
} from '../domain/problem-workflow.js';
import { loopFigures as computeLoopFigures, type LoopFigures } from '../engine/loop-figures.js';
import type { Store } from '../store/db.js';
import { getOrgUnit, listOrgUnits } from '../store/org-units.js';
import type { Database } from '../store/schema.js';
import * as repo from '../store/problems.js';
import type { ProblemRow } from '../store/problems.js';
import * as taskRepo from '../store/tasks.js';
import { audit, authorize, requireSignedIn, type RequestContext } from './context.js';
import { AppError, notFound } from './errors.js';
import { deliverEmails, notifyUnit } from './notifications.js';
import { currentPlanId, getPlan } from './plans.js';

export interface LoopSettings extends LoopTiming {
  /** An indicator opens a problem after this many evaluations in a row found it off track (red). */
  redRuns: number;
  /** Cells down to this many levels below the plan's root open problems (0: the root only). */
  alertDepth: number;
}

function nonNegative(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  if (!/^\d+(\.\d+)?$/.test(v)) throw new AppError('INVALID_INPUT', `${name}=${v} is not a number ≥ 0`);
  return Number(v);
}

/** GONGFU_ESCALATION_GRACE_DAYS (3), GONGFU_DUE_SOON_DAYS (3), GONGFU_ALERT_RED_RUNS (1). */
export function loopSettings(): LoopSettings {
  return {
    graceDays: nonNegative('GONGFU_ESCALATION_GRACE_DAYS', DEFAULT_TIMING.graceDays),
    dueSoonDays: nonNegative('GONGFU_DUE_SOON_DAYS', DEFAULT_TIMING.dueSoonDays),
    redRuns: Math.max(1, Math.round(nonNegative('GONGFU_ALERT_RED_RUNS', 1))),
    alertDepth: Math.round(nonNegative('GONGFU_ALERT_DEPTH', 0)),
  };
}

/** Roles that rectify (their unit's members and reporters) and that supervise. */
export const RECTIFIER_ROLES = ['unit_member', 'reporter'] as const;
export const SUPERVISOR_ROLES = ['supervisor'] as const;

export function actorName(ctx: RequestContext): { byUser: number | null; byName: string | null } {
  switch (ctx.actor.kind) {
    case 'user':
      return { byUser: ctx.actor.userId, byName: ctx.actor.username };
    case 'system':
      return { byUser: null, byName: 'system' };
    case 'anonymous':
      return { byUser: null, byName: null };
  }
}

export interface ProblemEventView {
  kind: string;
  transition: string | null;
  from: string | null;
  to: string | null;
  reason: string | null;
  data: unknown;
  by: string | null;
  byUserId: number | null;
  at: string;
}

export interface ProblemView {
  id: number;
  planId: string;
  title: string;
  description: string | null;
  category: string;
  categoryLabel: { zh: string; en: string };
  sevenLists: boolean;
  source: {
    kind: string;
    indicator: string | null;
    period: string | null;
    itemId: number | null;
    milestoneId: number | null;
  };
  orgUnit: string;
  orgUnitName: string;
  foundBy: FoundBy;
  status: ProblemStatus;
  statusLabel: { zh: string; en: string };
  assignedUnit: string | null;
  assignedUnitName: string | null;
  assignee: number | null;
  deadline: string | null;
  reopened: number;
  redRuns: number | null;
  lastRunId: number | null;
  recoveredAt: string | null;
  overdue: boolean;
  dueSoon: boolean;
  daysOverdue: number;
  /** Levels above the problem's unit it has escalated to by now (0: none). */
  escalationLevel: number;
  /** The unit whose supervisors it has reached by escalation; null when not escalated. */
  escalatedTo: string | null;
  createdBy: string | null;
  createdAt: string;
  closedAt: string | null;
  /** What the caller may do to it now. */
  allowedTransitions: Transition[];
}

/** A problem with its evidence (automatic alerts: value, target, projection) and its whole history. */
export interface ProblemDetail extends ProblemView {
  evidence: unknown;
  history: ProblemEventView[];
}

function mayOn(ctx: RequestContext, row: repo.ProblemListRow) {
  return (action: Action, on: ActingOn): boolean => {
    if (on === 'scope') return can(ctx.actor, action, row.unit_path);
    // Rectifying needs an assigned unit; the deadline is set at assignment.
    return row.assigned_path !== null && can(ctx.actor, action, row.assigned_path);
  };
}

function toView(
  ctx: RequestContext,
  row: repo.ProblemListRow,
  now: Date,
  timing: LoopTiming,
  rootPath: string,
): ProblemView {
  const state: DeadlineState = deadlineState(row, now, timing);
  const category = PROBLEM_CATEGORIES[row.category as keyof typeof PROBLEM_CATEGORIES] ?? PROBLEM_CATEGORIES.other;
  return {
    id: row.id,
    planId: row.plan_id,
    title: row.title,
    description: row.description,
    category: row.category,
    categoryLabel: { zh: category.zh, en: category.en },
    sevenLists: category.sevenLists,
    source: {
      kind: row.source_kind,
      indicator: row.indicator,
      period: row.period,
      itemId: row.item_id,
      milestoneId: row.milestone_id,
    },
    orgUnit: row.org_unit,
    orgUnitName: row.unit_name,
    foundBy: row.found_by,
    status: row.status,
    statusLabel: STATUS_LABELS[row.status],
    assignedUnit: row.assigned_unit,
    assignedUnitName: row.assigned_name,
    assignee: row.assignee,
    deadline: row.deadline?.toISOString() ?? null,
    reopened: row.reopened,
    redRuns: row.red_runs,
    lastRunId: row.last_run_id,
    recoveredAt: row.recovered_at?.toISOString() ?? null,
    ...state,
    escalatedTo: state.escalationLevel > 0 ? (unitAbove(row.unit_path, state.escalationLevel, rootPath) ?? null) : null,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    closedAt: row.closed_at?.toISOString() ?? null,
    allowedTransitions: allowedTransitions(row.status, mayOn(ctx, row)),
  };
}

function mayRead(ctx: RequestContext, row: ProblemRow): boolean {
  return (
    can(ctx.actor, 'problem.read', row.unit_path) ||
    (row.assigned_path !== null && can(ctx.actor, 'problem.read', row.assigned_path))
  );
}

async function rootPathOf(store: Store, planId: string): Promise<string> {
  const plan = await getPlan(store, planId);
  return (await getOrgUnit(store.db, plan.rootOrgUnit))?.path ?? '/';
}

export interface ProblemQuery {
  planId?: string | undefined;
  status?: ProblemStatus[] | undefined;
  /** Problems about this unit's subtree or assigned to a unit in it. */
  orgUnit?: string | undefined;
  overdue?: boolean | undefined;
  /** A user id, or 'me': assigned to the caller in person or to a unit where the caller rectifies. */
  assignee?: number | 'me' | undefined;
  category?: string | undefined;
  foundBy?: FoundBy | undefined;
  indicator?: string | undefined;
  /** The instant overdue is judged at (default: now). */
  now?: Date | undefined;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export interface ProblemPageQuery extends ProblemQuery {
  /** Problems per page (default 50, at most 500; 0: only the total). */
  limit?: number | undefined;
  offset?: number | undefined;
  /** newest (default): latest raised first; urgent: overdue first, longest overdue first, then oldest. */
  order?: repo.ProblemOrder | undefined;
}

export interface ProblemPageResult {
  /** Without their evidence: GET /problems/:id (getProblem) has it. */
  items: ProblemView[];
  /** How many match in all. */
  total: number;
  limit: number;
  offset: number;
  /** The offset of the next page; null on the last. */
  nextOffset: number | null;
}

/**
 * The query as a repository filter: every condition in SQL, the caller's read scope (mayRead) and
 * "assigned to me" included, so that pages and totals count what the caller may see.
 */
async function problemFilter(
  store: Store,
  ctx: RequestContext,
  planId: string,
  q: ProblemQuery,
  now: Date,
): Promise<repo.ProblemFilter> {
  let withinPath: string | undefined;
  if (q.orgUnit) {
    const unit = await getOrgUnit(store.db, q.orgUnit);
    if (!unit) throw notFound(`org unit ${q.orgUnit}`);
    withinPath = unit.path;
  }
  return {
    planId,
    statuses: q.status,
    withinPath,
    category: q.category,
    foundBy: q.foundBy,
    indicator: q.indicator,
    readableUnder: scopesOf(ctx.actor, 'problem.read'),
    ...(typeof q.assignee === 'number' && { assignee: q.assignee }),
    ...(q.assignee === 'me' && {
      assignedTo: {
        userId: ctx.actor.kind === 'user' ? ctx.actor.userId : null,
        unitPaths: scopesOf(ctx.actor, 'problem.rectify'),
      },
    }),
    ...(q.overdue !== undefined && { overdue: { at: now, overdue: q.overdue } }),
  };
}

/** A page of the problems the caller may read, with what they may do to each, and the total. */
export async function pageProblems(
  store: Store,
  ctx: RequestContext,
  q: ProblemPageQuery = {},
): Promise<ProblemPageResult> {
  requireSignedIn(ctx);
  const limit = q.limit ?? DEFAULT_PAGE_SIZE;
  const offset = q.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_PAGE_SIZE)
    throw new AppError('INVALID_INPUT', `limit: ${limit} is not a whole number from 0 to ${MAX_PAGE_SIZE}`);
  if (!Number.isInteger(offset) || offset < 0)
    throw new AppError('INVALID_INPUT', `offset: ${offset} is not a whole number ≥ 0`);
  const planId = q.planId ?? (await currentPlanId(store));
  const now = q.now ?? new Date();
  const filter = await problemFilter(store, ctx, planId, q, now);
  const { rows, total } = await repo.pageProblems(store.db, filter, {
    limit,
    offset,
    order: q.order ?? 'newest',
    at: now,
  });
  const timing = loopSettings();
  const rootPath = await rootPathOf(store, planId);
  return {
    items: rows.map((r) => toView(ctx, r, now, timing, rootPath)),
    total,
    limit,
    offset,
    nextOffset: offset + rows.length < total && rows.length > 0 ? offset + rows.length : null,
  };
}

/** How many problems the caller may read match the query. */
export async function countProblems(store: Store, ctx: RequestContext, q: ProblemQuery = {}): Promise<number> {
  return (await pageProblems(store, ctx, { ...q, limit: 0 })).total;
}

/** Every problem the caller may read that matches (newest first): for the command line and tests. */
export async function listProblems(store: Store, ctx: RequestContext, q: ProblemQuery = {}): Promise<ProblemView[]> {
  const all: ProblemView[] = [];
  for (let offset: number | null = 0; offset !== null;) {
    const page = await pageProblems(store, ctx, { ...q, offset, limit: MAX_PAGE_SIZE });
    all.push(...page.items);
    offset = page.nextOffset;
  }
  return all;
}

/** A problem with its whole history. */
export async function getProblem(store: Store, ctx: RequestContext, id: number): Promise<ProblemDetail> {
  requireSignedIn(ctx);
  const row = await repo.findProblem(store.db, id);
  if (!row || !mayRead(ctx, row)) throw notFound(`problem ${id}`);
  const events = await repo.problemEvents(store.db, id);
  return {
    ...toView(ctx, row, new Date(), loopSettings(), await rootPathOf(store, row.plan_id)),
    evidence: row.evidence,
    history: events.map((e) => ({
      kind: e.kind,
      transition: e.transition,
      from: e.from_status,
      to: e.to_status,
      reason: e.reason,
      data: e.data,
      by: e.by_name,
      byUserId: e.by_user,
      at: e.at.toISOString(),
    })),
  };
}

export interface RaiseInput {
  planId?: string | undefined;
  title: string;
  description?: string | undefined;
  category: string;
  orgUnit: string;
  indicator?: string | undefined;
  period?: string | undefined;
  itemId?: number | undefined;
  /** 'self' (the unit found it itself) or 'higher' (found by a higher level); default 'higher'. */
  foundBy?: 'self' | 'higher' | undefined;
  /** The unit proposed to answer for it (assignment confirms it). */
  assignedUnit?: string | undefined;
}

/** A supervisor (or analyst) raises a problem about a unit. */
export async function raiseProblem(store: Store, ctx: RequestContext, input: RaiseInput): Promise<ProblemDetail> {
  await authorize(store, ctx, 'problem.raise', input.orgUnit);
  const planId = input.planId ?? (await currentPlanId(store));
  if (!(CATEGORY_CODES as string[]).includes(input.category))
    throw new AppError('INVALID_INPUT', `category: "${input.category}" is not one of ${CATEGORY_CODES.join(', ')}`);
  if (!input.title.trim()) throw new AppError('INVALID_INPUT', 'title: a problem needs a title');
  if (input.assignedUnit && !(await getOrgUnit(store.db, input.assignedUnit)))
    throw new AppError('INVALID_INPUT', `assignedUnit: org unit ${input.assignedUnit} does not exist`);
  if (input.itemId !== undefined && !(await taskRepo.findItem(store.db, input.itemId)))
    throw new AppError('INVALID_INPUT', `itemId: task item ${input.itemId} does not exist`);
  const sourceKind = input.indicator ? 'indicator' : input.itemId !== undefined ? 'item' : 'free';
  if (input.indicator) {
    const existing = await repo.openIndicatorProblem(store.db, planId, input.indicator, input.orgUnit);
    if (existing)
      throw new AppError(
        'CONFLICT',
        `problem ${existing.id} about ${input.indicator} at ${input.orgUnit} is still ${existing.status}; add to it instead of raising another`,
        {
          problemId: existing.id,
          message: {
            zh: `该指标在此单位已有未销号的问题（编号${existing.id}），请在原问题上跟进`,
            en: `problem ${existing.id} about this indicator and unit is not closed yet`,
          },
        },
      );
  }
  const id = await store.db.transaction().execute(async (trx) => {
    const id = await repo.insertProblem(trx, {
      planId,
      title: input.title.trim(),
      description: input.description ?? null,
      category: input.category,
      sourceKind,
      orgUnit: input.orgUnit,
      indicator: input.indicator ?? null,
      period: input.period ?? null,
      itemId: input.itemId ?? null,
      foundBy: input.foundBy ?? 'higher',
      assignedUnit: input.assignedUnit ?? null,
      createdBy: actorName(ctx).byName,
    });
    await repo.appendProblemEvent(trx, {
      problemId: id,
      kind: 'raised',
      toStatus: 'open',
      reason: input.description ?? null,
      ...actorName(ctx),
    });
    await audit(trx, ctx, {
      action: 'problem.raise',
      targetType: 'problem',
      targetId: id,
      after: { ...input, planId },
    });
    return id;
  });
  return getProblem(store, ctx, id);
}

export interface TransitionInput {
  transition: Transition;
  reason?: string | undefined;
  /** assign: the unit that answers for it (default: the one proposed when it was raised). */
  assignedUnit?: string | undefined;
  /** assign: an optional person in that unit. */
  assignee?: number | undefined;
  /** assign: the deadline (ISO date or date-time; a date means the end of that day, China time). */
  deadline?: string | undefined;
  /** For tests and imports of past records: the instant of the transition (default: now). */
  at?: Date | undefined;
}

/** Parses a deadline: '2025-06-30' is the end of that day in China (UTC+8). */
export function parseDeadline(text: string): Date {
  const d = /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T23:59:59+08:00`) : new Date(text);
  if (Number.isNaN(d.getTime())) throw new AppError('INVALID_INPUT', `deadline: "${text}" is not a date (YYYY-MM-DD)`);
  return d;
}

/** Moves a problem along its workflow, if the caller may and the workflow allows; records who, when and why. */
export async function transitionProblem(
  store: Store,
  ctx: RequestContext,
  id: number,
  input: TransitionInput,
): Promise<ProblemDetail> {
  requireSignedIn(ctx);
  const row = await repo.findProblem(store.db, id);
  if (!row || !mayRead(ctx, row)) throw notFound(`problem ${id}`);
  const rule = TRANSITION_RULES[input.transition];
  if (!rule) throw new AppError('INVALID_INPUT', `transition: "${String(input.transition)}" is not a transition`);
  if (!mayOn(ctx, row)(rule.action, rule.on)) {
    const unit =
      rule.on === 'scope'
        ? `${row.unit_name} (${row.org_unit})`
        : `${row.assigned_name ?? '—'} (${row.assigned_unit ?? 'not assigned'})`;
    throw new AppError(
      'FORBIDDEN',
      `you may not ${rule.label.en} problem ${id}: that needs ${rule.action} on ${unit}`,
      {
        message: { zh: `您无权对问题${id}执行“${rule.label.zh}”`, en: `you may not ${rule.label.en} problem ${id}` },
      },
    );
  }
  const next = applyTransition(row.status, input.transition, input.reason);
  if (!next.ok)
    throw new AppError(next.refusal === 'illegal' ? 'CONFLICT' : 'INVALID_INPUT', next.message.en, {
      message: next.message,
    });
  const at = input.at ?? new Date();
  const change: repo.ProblemChange = { status: next.to };
  let assignedUnit = row.assigned_unit;
  if (input.transition === 'assign') {
    assignedUnit = input.assignedUnit ?? row.assigned_unit;
    if (!assignedUnit) throw new AppError('INVALID_INPUT', 'assignedUnit: say which unit the problem is assigned to');
    const unit = await getOrgUnit(store.db, assignedUnit);
    if (!unit) throw new AppError('INVALID_INPUT', `assignedUnit: org unit ${assignedUnit} does not exist`);
    if (!can(ctx.actor, 'problem.assign', unit.path))
      throw new AppError('FORBIDDEN', `you may not assign problems to ${unit.name} (${unit.code})`);
    if (!input.deadline) throw new AppError('INVALID_INPUT', 'deadline: an assignment needs a deadline (YYYY-MM-DD)');
    const deadline = parseDeadline(input.deadline);
    if (deadline.getTime() <= at.getTime())
      throw new AppError('INVALID_INPUT', `deadline: ${input.deadline} has already passed`);
    Object.assign(change, {
      assigned_unit: assignedUnit,
      deadline,
      assignee: input.assignee ?? null,
      escalation_level: 0,
    });
  }
  if (input.transition === 'reject') change.reopened = row.reopened + 1;
  if (input.transition === 'close') change.closed_at = at;
  const notices = await store.db.transaction().execute(async (trx) => {
    await repo.updateProblem(trx, id, change, at);
    await repo.appendProblemEvent(trx, {
      problemId: id,
      kind: 'transition',
      transition: input.transition,
      fromStatus: row.status,
      toStatus: next.to,
      reason: input.reason?.trim() || null,
      data:
        input.transition === 'assign' ? { assignedUnit, deadline: change.deadline, assignee: change.assignee } : null,
      ...actorName(ctx),
      at,
    });
    await audit(trx, ctx, {
      action: `problem.${input.transition}`,
      targetType: 'problem',
      targetId: id,
      before: { status: row.status },
      after: {
        status: next.to,
        reason: input.reason ?? null,
        ...(input.transition === 'assign' && { assignedUnit, deadline: input.deadline }),
      },
    });
    return transitionNotices(trx, row, input.transition, assignedUnit, input.reason);
  });
  await deliverEmails(store, notices);
  return getProblem(store, ctx, id);
}

async function transitionNotices(
  db: Kysely<Database>,
  row: ProblemRow,
  transition: Transition,
  assignedUnit: string | null,
  reason: string | undefined,
): Promise<number[]> {
  const ref = `问题${row.id}“${row.title}”`;
  const refEn = `problem ${row.id} "${row.title}"`;
  if (transition === 'assign' && assignedUnit)
    return notifyUnit(db, assignedUnit, RECTIFIER_ROLES, {
      kind: 'assigned',
      problemId: row.id,
      zh: `${ref}已交办给本单位，请按期整改`,
      en: `${refEn} was assigned to your unit for rectification`,
      dedupe: `assigned:${row.id}`,
    });
  if (transition === 'reject' && assignedUnit)
    return notifyUnit(db, assignedUnit, RECTIFIER_ROLES, {
      kind: 'returned',
      problemId: row.id,
      zh: `${ref}验收未通过，已退回整改：${reason ?? ''}`,
      en: `${refEn} failed verification and was returned: ${reason ?? ''}`,
      dedupe: `returned:${row.id}:${row.reopened + 1}`,
    });
  if (transition === 'submit')
    return notifyUnit(db, row.org_unit, SUPERVISOR_ROLES, {
      kind: 'to_verify',
      problemId: row.id,
      zh: `${ref}已提交整改情况，待验收`,
      en: `${refEn} awaits verification`,
      dedupe: `to_verify:${row.id}:${row.reopened}`,
    });
  return [];
}

export interface SweepResult {
  checked: number;
  dueSoon: number;
  overdue: number;
  escalated: number;
  milestoneProblems: number;
  notifications: number;
}

/**
 * The reminder sweep: for every problem not closed, a due-soon notice, an overdue notice and, for
 * each escalation level newly reached, a notice to the supervisors of the unit that many levels up
 * — each once (dedupe keys); and a problem for each milestone past its date and not reached.
 */
export async function sweepProblems(
  store: Store,
  ctx: RequestContext,
  options: { planId?: string; now?: Date } = {},
): Promise<SweepResult> {
  const planId = options.planId ?? (await currentPlanId(store));
  const plan = await getPlan(store, planId);
  await authorize(store, ctx, 'problem.assign', plan.rootOrgUnit);
  const now = options.now ?? new Date();
  const timing = loopSettings();
  const rootPath = await rootPathOf(store, planId);
  const result: SweepResult = {
    checked: 0,
    dueSoon: 0,
    overdue: 0,
    escalated: 0,
    milestoneProblems: 0,
    notifications: 0,
  };
  const ids: number[] = [];
  await store.db.transaction().execute(async (trx) => {
    const rows = await repo.findProblems(trx, {
      planId,
      statuses: ['assigned', 'rectifying', 'awaiting_verification'],
    });
    for (const row of rows) {
      result.checked++;
      const s = deadlineState(row, now, timing);
      const ref = `问题${row.id}“${row.title}”`;
      const refEn = `problem ${row.id} "${row.title}"`;
      const unit = row.assigned_unit ?? row.org_unit;
      if (s.dueSoon) {
        const n = await notifyUnit(trx, unit, RECTIFIER_ROLES, {
          kind: 'due_soon',
          problemId: row.id,
          zh: `${ref}整改期限将至（${row.deadline!.toISOString().slice(0, 10)}）`,
          en: `${refEn} is due on ${row.deadline!.toISOString().slice(0, 10)}`,
          dedupe: `due_soon:${row.id}:${row.deadline!.toISOString()}`,
        });
        if (n.length) result.dueSoon++;
        ids.push(...n);
      }
      if (s.overdue) {
        const n = await notifyUnit(trx, unit, RECTIFIER_ROLES, {
          kind: 'overdue',
          problemId: row.id,
          zh: `${ref}已逾期${s.daysOverdue}天`,
          en: `${refEn} is overdue (${s.daysOverdue} days)`,
          dedupe: `overdue:${row.id}:${row.deadline!.toISOString()}`,
        });
        if (n.length) result.overdue++;
        ids.push(...n);
      }
      for (let level = row.escalation_level + 1; level <= s.escalationLevel; level++) {
        const to = unitAbove(row.unit_path, level, rootPath);
        if (!to) break;
        ids.push(
          ...(await notifyUnit(trx, to, SUPERVISOR_ROLES, {
            kind: 'escalated',
            problemId: row.id,
            zh: `${ref}（${row.unit_name}）逾期${s.daysOverdue}天未整改到位，已提级督办`,
            en: `${refEn} (${row.unit_name}) is ${s.daysOverdue} days overdue and escalated to you`,
            dedupe: `escalated:${row.id}:${level}:${row.deadline!.toISOString()}`,
          })),
        );
        await repo.appendProblemEvent(trx, {
          problemId: row.id,
          kind: 'escalated',
          reason: `逾期${s.daysOverdue}天，提级至${to} / ${s.daysOverdue} days overdue, escalated to ${to}`,
          data: { level, to, daysOverdue: s.daysOverdue, graceDays: timing.graceDays },
          ...actorName(ctx),
          at: now,
        });
        result.escalated++;
      }
      if (s.escalationLevel > row.escalation_level)
        await repo.updateProblem(trx, row.id, { escalation_level: s.escalationLevel }, now);
    }
    // Milestones past their date become problems of the item's lead unit (once each while open).
    const open = await repo.openMilestoneProblemIds(trx, planId);
    const today = now.toISOString().slice(0, 10);
    for (const m of await taskRepo.overdueMilestones(trx, planId, today)) {
      if (open.has(m.id)) continue;
      const id = await repo.insertProblem(trx, {
        planId,
        title: `节点逾期：${m.title_zh} — ${m.title}（${m.due}）`,
        description: `Milestone "${m.title}" of item ${m.item_id} was due on ${m.due} and is not reached.`,
        category: 'milestone',
        sourceKind: 'milestone',
        orgUnit: m.scope_unit,
        itemId: m.item_id,
        milestoneId: m.id,
        foundBy: 'auto',
        assignedUnit: m.lead_unit,
        createdBy: 'system',
        createdAt: now,
      });
      await repo.appendProblemEvent(trx, {
        problemId: id,
        kind: 'raised',
        toStatus: 'open',
        reason: `节点“${m.title}”应于${m.due}完成，尚未完成 / milestone due ${m.due} not reached`,
        byUser: null,
        byName: 'system',
        at: now,
      });
      result.milestoneProblems++;
    }
    await audit(trx, ctx, {
      action: 'problem.sweep',
      targetType: 'plan',
      targetId: planId,
      after: { ...result, at: now.toISOString() },
    });
  });
  result.notifications = ids.length;
  await deliverEmails(store, ids);
  return result;
}

export interface LoopFiguresResult {
  planId: string;
  asOf: string;
  /** The unit the figures are limited to (its subtree), or null for the whole plan. */
  under: string | null;
  /** By the unit answering for the problem (the assigned unit; the problem's own unit while unassigned). */
  byUnit: (LoopFigures & { name: string })[];
  /** By county: the county the problem's unit lies in; city-level units and departments under the root's code. */
  byCounty: (LoopFigures & { name: string })[];
  total: LoopFigures;
}

/**
 * The closed loop in numbers, per unit and per county: open, overdue, closed (on time), average
 * days to close. Definitions in engine/loop-figures.ts. Stable signature: the web overview and the
 * appraisal call it. Needs problem.read on `under` (default: the plan's root).
 */
export async function loopFigures(
  store: Store,
  ctx: RequestContext,
  options: { planId?: string; under?: string; now?: Date } = {},
): Promise<LoopFiguresResult> {
  const planId = options.planId ?? (await currentPlanId(store));
  const plan = await getPlan(store, planId);
  const under = options.under ?? plan.rootOrgUnit;
  const underPath = await authorize(store, ctx, 'problem.read', under);
  const rows = await repo.findProblems(store.db, { planId, withinPath: underPath });
  const now = options.now ?? new Date();
  const counties = new Map(
    (await listOrgUnits(store.db, { within: plan.rootOrgUnit, level: 'county' })).map((u) => [u.code, u.name]),
  );
  const names = new Map<string, string>();
  for (const r of rows) {
    names.set(r.org_unit, r.unit_name);
    if (r.assigned_unit) names.set(r.assigned_unit, r.assigned_name ?? r.assigned_unit);
  }
  const root = await getOrgUnit(store.db, plan.rootOrgUnit);
  names.set(plan.rootOrgUnit, root?.name ?? plan.rootOrgUnit);
  for (const [code, name] of counties) names.set(code, name);
  const countyOf = (path: string) => path.split('/').find((c) => counties.has(c)) ?? plan.rootOrgUnit;
  const base = (r: ProblemRow) => ({ createdAt: r.created_at, deadline: r.deadline, closedAt: r.closed_at });
  const named = (f: LoopFigures) => ({ ...f, name: names.get(f.group) ?? f.group });
  const total = computeLoopFigures(
    rows.map((r) => ({ ...base(r), group: 'total' })),
    now,
  )[0] ?? {
    group: 'total',
    total: 0,
    open: 0,
    overdue: 0,
    closed: 0,
    closedOnTime: 0,
    onTimeRate: null,
    averageDaysToClose: null,
  };
  return {
    planId,
    asOf: now.toISOString(),
    under: options.under ?? null,
    byUnit: computeLoopFigures(
      rows.map((r) => ({ ...base(r), group: r.assigned_unit ?? r.org_unit })),
      now,
    ).map(named),
    byCounty: computeLoopFigures(
      rows.map((r) => ({ ...base(r), group: countyOf(r.unit_path) })),
      now,
    ).map(named),
    total,
  };
}
