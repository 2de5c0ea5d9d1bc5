/**
 * The task lists (清单化管理): the key-task list (重点任务清单), the breakthrough list (突破性抓手清单)
 * and the reform-request list (重大改革诉求清单). Every task of a loaded plan lands on its list as an
 * item (reloading never duplicates); analysts add, split and re-scope items; the responsible unit
 * reports progress with evidence; every change is kept in the item's timeline and audited.
 *
 * Lead units: a plan's lead unit marked `demo` in the plan file is not the plan office's decision,
 * so plan loading leaves such an item without a lead; the demo (`gongfu start` with demo data)
 * assigns it, marked demo.
 */
import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import { can, type Action } from '../domain/access.js';
import type { Plan } from '../domain/plan.js';
import { taskFigures as computeTaskFigures, type TaskFigures } from '../engine/task-figures.js';
import type { Store } from '../store/db.js';
import { getOrgUnit } from '../store/org-units.js';
import type { Database } from '../store/schema.js';
import * as repo from '../store/tasks.js';
import type { ListCode, Priority, TaskItemRow, TaskItemStatus, UnitRef } from '../store/tasks.js';
import { audit, authorize, requireSignedIn, type RequestContext } from './context.js';
import { AppError, notFound } from './errors.js';
import { currentPlanId, getPlan } from './plans.js';
import { actorName } from './problems.js';

export const LIST_LABELS: Record<ListCode, { zh: string; en: string }> = {
  key: { zh: '重点任务清单', en: 'Key tasks' },
  breakthrough: { zh: '突破性抓手清单', en: 'Breakthrough measures' },
  reform: { zh: '重大改革诉求清单', en: 'Major reform requests' },
};

export const ITEM_STATUS_LABELS: Record<TaskItemStatus, { zh: string; en: string }> = {
  not_started: { zh: '未启动', en: 'not started' },
  in_progress: { zh: '推进中', en: 'in progress' },
  done: { zh: '已完成', en: 'done' },
  delayed: { zh: '滞后', en: 'delayed' },
  cancelled: { zh: '已取消', en: 'cancelled' },
};

/** Evidence files: at most 5 MB each, of these types. */
export const EVIDENCE_MAX_BYTES = 5 * 1024 * 1024;
export const EVIDENCE_TYPES = [
  'application/pdf',
  'image/jpeg',
  'image/png',
  'text/plain',
  'text/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
] as const;

// Plan loading and the demo

/**
 * Puts every task of `plan` on its list, once: an item per task not yet there (origin 'plan'),
 * with the plan's lead and co-operating units except those marked demo. Call inside the plan's
 * import transaction. Returns the number of items made.
 */
export async function syncPlanItems(db: Kysely<Database>, plan: Plan): Promise<number> {
  const have = await repo.planItemNumbers(db, plan.id);
  let made = 0;
  for (const t of plan.tasks) {
    if (have.has(t.number)) continue;
    const lead = t.lead.find((u) => !u.demo);
    await repo.insertItem(db, {
      planId: plan.id,
      list: t.list,
      taskNumber: t.number,
      origin: 'plan',
      titleZh: t.title.zh,
      titleEn: t.title.en,
      description: t.summary.zh,
      leadUnit: lead?.unit ?? null,
      cooperating: t.cooperating.filter((u) => !u.demo).map((u) => ({ unit: u.unit, demo: false })),
      scopeUnit: plan.rootOrgUnit,
      indicators: plan.indicators.filter((i) => i.tasks.includes(t.number)).map((i) => i.code),
      createdBy: 'system',
    });
    made++;
  }
  return made;
}

/** The demo: plan-made items without a lead get the plan file's demo lead and co-operating units, marked demo. */
export async function assignDemoLeads(store: Store, plan: Plan): Promise<number> {
  const items = await repo.findItems(store.db, { planId: plan.id });
  let assigned = 0;
  await store.db.transaction().execute(async (trx) => {
    for (const item of items) {
      if (item.origin !== 'plan' || item.lead_unit !== null) continue;
      const task = plan.tasks.find((t) => t.number === item.task_number);
      const lead = task?.lead[0];
      if (!task || !lead) continue;
      const cooperating: UnitRef[] = task.cooperating.map((u) => ({ unit: u.unit, demo: !!u.demo }));
      await repo.updateItem(trx, item.id, {
        lead_unit: lead.unit,
        lead_demo: !!lead.demo,
        cooperating: JSON.stringify(cooperating),
      });
      await repo.appendTaskEvent(trx, {
        itemId: item.id,
        kind: 'edit',
        text: '示例数据：演示用牵头单位和配合单位 / demo data: lead and co-operating units for the demo',
        data: { leadUnit: lead.unit, leadDemo: !!lead.demo, cooperating },
        byUser: null,
        byName: 'system',
      });
      assigned++;
    }
    await audit(
      trx,
      { actor: { kind: 'system' }, address: 'demo' },
      {
        action: 'task.demo-leads',
        targetType: 'plan',
        targetId: plan.id,
        after: { assigned, demo: true },
      },
    );
  });
  return assigned;
}

// Views

export interface MilestoneView {
  id: number;
  title: string;
  due: string;
  reachedAt: string | null;
  overdue: boolean;
}

export interface TaskItemView {
  id: number;
  planId: string;
  list: ListCode;
  listLabel: { zh: string; en: string };
  taskNumber: number | null;
  origin: 'plan' | 'user';
  parentId: number | null;
  title: { zh: string; en: string | null };
  description: string | null;
  leadUnit: string | null;
  /** The lead unit is a demo assignment (示例数据), not the plan office's decision. */
  leadDemo: boolean;
  cooperating: UnitRef[];
  scopeUnit: string;
  indicators: string[];
  status: TaskItemStatus;
  statusLabel: { zh: string; en: string };
  priority: Priority;
  percentComplete: number;
  milestones: MilestoneView[];
  reform: {
    addressedTo: string | null;
    requestedAt: string | null;
    reply: string | null;
    repliedAt: string | null;
    /** Days the request has waited for its reply (to the reply, or to now while unanswered). */
    daysWaiting: number | null;
  } | null;
  createdAt: string;
  updatedAt: string;
}

const DAY_MS = 86_400_000;
const today = (now: Date) => now.toISOString().slice(0, 10);

function toView(r: TaskItemRow, milestones: repo.MilestoneRow[], now: Date): TaskItemView {
  return {
    id: r.id,
    planId: r.plan_id,
    list: r.list,
    listLabel: LIST_LABELS[r.list],
    taskNumber: r.task_number,
    origin: r.origin,
    parentId: r.parent_id,
    title: { zh: r.title_zh, en: r.title_en },
    description: r.description,
    leadUnit: r.lead_unit,
    leadDemo: r.lead_demo,
    cooperating: r.cooperating,
    scopeUnit: r.scope_unit,
    indicators: r.indicators,
    status: r.status,
    statusLabel: ITEM_STATUS_LABELS[r.status],
    priority: r.priority,
    percentComplete: r.percent_complete,
    milestones: milestones.map((m) => ({
      id: m.id,
      title: m.title,
      due: m.due,
      reachedAt: m.reached_at?.toISOString() ?? null,
      overdue: m.reached_at === null && m.due < today(now),
    })),
    reform:
      r.list === 'reform'
        ? {
            addressedTo: r.addressed_to,
            requestedAt: r.requested_at?.toISOString() ?? null,
            reply: r.reply,
            repliedAt: r.replied_at?.toISOString() ?? null,
            daysWaiting: r.requested_at
              ? Math.floor(((r.replied_at ?? now).getTime() - r.requested_at.getTime()) / DAY_MS)
              : null,
          }
        : null,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** Paths of the units an item names (lead, co-operating), for permission checks. */
async function unitPaths(db: Kysely<Database>, rows: readonly TaskItemRow[]): Promise<Map<string, string>> {
  const codes = new Set(rows.flatMap((r) => r.cooperating.map((c) => c.unit)));
  const paths = new Map<string, string>();
  for (const code of codes) {
    const u = await getOrgUnit(db, code);
    if (u) paths.set(code, u.path);
  }
  return paths;
}

/** May the actor do `action` on the item: on its scope, its lead unit or a co-operating unit. */
function mayOnItem(
  ctx: RequestContext,
  action: Action,
  r: TaskItemRow,
  coopPaths: Map<string, string>,
  sides: ('scope' | 'units')[],
) {
  if (sides.includes('scope') && can(ctx.actor, action, r.scope_path)) return true;
  if (!sides.includes('units')) return false;
  if (r.lead_path && can(ctx.actor, action, r.lead_path)) return true;
  return r.cooperating.some((c) => {
    const p = coopPaths.get(c.unit);
    return p !== undefined && can(ctx.actor, action, p);
  });
}

export interface ItemQuery {
  planId?: string | undefined;
  list?: ListCode | undefined;
  status?: TaskItemStatus | undefined;
  task?: number | undefined;
  unit?: string | undefined;
}

export async function listItems(store: Store, ctx: RequestContext, q: ItemQuery = {}): Promise<TaskItemView[]> {
  requireSignedIn(ctx);
  const planId = q.planId ?? (await currentPlanId(store));
  const rows = await repo.findItems(store.db, {
    planId,
    list: q.list,
    status: q.status,
    taskNumber: q.task,
    unit: q.unit,
  });
  const paths = await unitPaths(store.db, rows);
  const visible = rows.filter((r) => mayOnItem(ctx, 'task.read', r, paths, ['scope', 'units']));
  const milestones = await repo.milestonesOf(
    store.db,
    visible.map((r) => r.id),
  );
  const now = new Date();
  return visible.map((r) =>
    toView(
      r,
      milestones.filter((m) => m.item_id === r.id),
      now,
    ),
  );
}

export interface TaskListSummary {
  code: ListCode;
  label: { zh: string; en: string };
  items: number;
  byStatus: Record<TaskItemStatus, number>;
  /** Items whose lead unit is a demo assignment. */
  demoLeads: number;
}

export async function listTaskLists(store: Store, ctx: RequestContext, planId?: string): Promise<TaskListSummary[]> {
  const items = await listItems(store, ctx, { planId });
  return (Object.keys(LIST_LABELS) as ListCode[]).map((code) => {
    const on = items.filter((i) => i.list === code);
    const byStatus = Object.fromEntries(
      (Object.keys(ITEM_STATUS_LABELS) as TaskItemStatus[]).map((s) => [s, on.filter((i) => i.status === s).length]),
    ) as Record<TaskItemStatus, number>;
    return {
      code,
      label: LIST_LABELS[code],
      items: on.length,
      byStatus,
      demoLeads: on.filter((i) => i.leadDemo).length,
    };
  });
}

export interface TaskEventView {
  kind: string;
  text: string | null;
  percent: number | null;
  milestoneId: number | null;
  milestoneReached: boolean | null;
  statusFrom: string | null;
  statusTo: string | null;
  evidence: repo.EvidenceRef[];
  data: unknown;
  by: string | null;
  at: string;
}

async function loadItem(
  store: Store,
  ctx: RequestContext,
  id: number,
): Promise<{ row: TaskItemRow; paths: Map<string, string> }> {
  requireSignedIn(ctx);
  const row = await repo.findItem(store.db, id);
  if (!row) throw notFound(`task item ${id}`);
  const paths = await unitPaths(store.db, [row]);
  if (!mayOnItem(ctx, 'task.read', row, paths, ['scope', 'units'])) throw notFound(`task item ${id}`);
  return { row, paths };
}

export async function getItem(
  store: Store,
  ctx: RequestContext,
  id: number,
): Promise<TaskItemView & { history: TaskEventView[] }> {
  const { row } = await loadItem(store, ctx, id);
  const events = await repo.eventsOf(store.db, id);
  return {
    ...toView(row, await repo.milestonesOf(store.db, [id]), new Date()),
    history: events.map((e) => ({
      kind: e.kind,
      text: e.text,
      percent: e.percent,
      milestoneId: e.milestone_id,
      milestoneReached: e.milestone_reached,
      statusFrom: e.status_from,
      statusTo: e.status_to,
      evidence: e.evidence,
      data: e.data,
      by: e.by_name,
      at: e.at.toISOString(),
    })),
  };
}

async function checkUnit(db: Kysely<Database>, field: string, code: string | null | undefined): Promise<void> {
  if (code && !(await getOrgUnit(db, code)))
    throw new AppError('INVALID_INPUT', `${field}: org unit ${code} does not exist`);
}

export interface ItemInput {
  planId?: string | undefined;
  list: ListCode;
  taskNumber?: number | null | undefined;
  titleZh: string;
  titleEn?: string | undefined;
  description?: string | undefined;
  leadUnit?: string | undefined;
  cooperating?: string[] | undefined;
  scopeUnit?: string | undefined;
  indicators?: string[] | undefined;
  priority?: Priority | undefined;
  milestones?: { title: string; due: string }[] | undefined;
  /** Reform requests: the level it is addressed to (e.g. 省发展改革委, 国家发展改革委) and when it was sent. */
  addressedTo?: string | undefined;
  requestedAt?: string | undefined;
}

function checkDate(field: string, text: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(new Date(text).getTime()))
    throw new AppError('INVALID_INPUT', `${field}: "${text}" is not a date (YYYY-MM-DD)`);
  return text;
}

/** An analyst adds an item to a list. */
export async function createItem(store: Store, ctx: RequestContext, input: ItemInput): Promise<TaskItemView> {
  const planId = input.planId ?? (await currentPlanId(store));
  const plan = await getPlan(store, planId);
  const scope = input.scopeUnit ?? plan.rootOrgUnit;
  await authorize(store, ctx, 'task.edit', scope);
  if (!input.titleZh.trim()) throw new AppError('INVALID_INPUT', 'titleZh: an item needs a title');
  if (
    input.taskNumber !== undefined &&
    input.taskNumber !== null &&
    !plan.tasks.some((t) => t.number === input.taskNumber)
  )
    throw new AppError('INVALID_INPUT', `taskNumber: the plan has no task ${input.taskNumber}`);
  await checkUnit(store.db, 'leadUnit', input.leadUnit);
  for (const c of input.cooperating ?? []) await checkUnit(store.db, 'cooperating', c);
  const unknown = (input.indicators ?? []).filter((c) => !plan.indicators.some((i) => i.code === c));
  if (unknown.length) throw new AppError('INVALID_INPUT', `indicators: not in the plan: ${unknown.join(', ')}`);
  const milestones = (input.milestones ?? []).map((m, k) => ({
    title: m.title,
    due: checkDate(`milestones[${k}].due`, m.due),
  }));
  const id = await store.db.transaction().execute(async (trx) => {
    const id = await repo.insertItem(trx, {
      planId,
      list: input.list,
      taskNumber: input.taskNumber ?? null,
      origin: 'user',
      titleZh: input.titleZh.trim(),
      titleEn: input.titleEn ?? null,
      description: input.description ?? null,
      leadUnit: input.leadUnit ?? null,
      cooperating: (input.cooperating ?? []).map((unit) => ({ unit, demo: false })),
      scopeUnit: scope,
      indicators: input.indicators ?? [],
      priority: input.priority ?? 'normal',
      addressedTo: input.addressedTo ?? null,
      requestedAt: input.requestedAt ? new Date(checkDate('requestedAt', input.requestedAt)) : null,
      createdBy: actorName(ctx).byName,
    });
    for (const m of milestones) await repo.insertMilestone(trx, id, m.title, m.due);
    await repo.appendTaskEvent(trx, { itemId: id, kind: 'created', data: { ...input }, ...actorName(ctx) });
    await audit(trx, ctx, { action: 'task.create', targetType: 'task_item', targetId: id, after: input });
    return id;
  });
  return getItem(store, ctx, id);
}

export interface ItemChangeInput {
  titleZh?: string | undefined;
  titleEn?: string | undefined;
  description?: string | undefined;
  leadUnit?: string | null | undefined;
  cooperating?: string[] | undefined;
  scopeUnit?: string | undefined;
  indicators?: string[] | undefined;
  status?: TaskItemStatus | undefined;
  priority?: Priority | undefined;
  list?: ListCode | undefined;
  addMilestones?: { title: string; due: string }[] | undefined;
  addressedTo?: string | undefined;
  requestedAt?: string | undefined;
  /** Why (kept in the timeline). */
  reason?: string | undefined;
}

/** An analyst edits, re-scopes or changes the status of an item. */
export async function updateItem(
  store: Store,
  ctx: RequestContext,
  id: number,
  input: ItemChangeInput,
): Promise<TaskItemView> {
  const { row } = await loadItem(store, ctx, id);
  await authorize(store, ctx, 'task.edit', row.scope_unit);
  if (input.scopeUnit) await authorize(store, ctx, 'task.edit', input.scopeUnit);
  await checkUnit(store.db, 'leadUnit', input.leadUnit);
  for (const c of input.cooperating ?? []) await checkUnit(store.db, 'cooperating', c);
  const change: repo.ItemChange = {};
  if (input.titleZh !== undefined) change.title_zh = input.titleZh;
  if (input.titleEn !== undefined) change.title_en = input.titleEn;
  if (input.description !== undefined) change.description = input.description;
  if (input.leadUnit !== undefined) Object.assign(change, { lead_unit: input.leadUnit, lead_demo: false });
  if (input.cooperating !== undefined)
    change.cooperating = JSON.stringify(input.cooperating.map((unit) => ({ unit, demo: false })));
  if (input.scopeUnit !== undefined) change.scope_unit = input.scopeUnit;
  if (input.indicators !== undefined) change.indicators = input.indicators;
  if (input.status !== undefined) change.status = input.status;
  if (input.priority !== undefined) change.priority = input.priority;
  if (input.list !== undefined) change.list = input.list;
  if (input.addressedTo !== undefined) change.addressed_to = input.addressedTo;
  if (input.requestedAt !== undefined) change.requested_at = new Date(checkDate('requestedAt', input.requestedAt));
  const milestones = (input.addMilestones ?? []).map((m, k) => ({
    title: m.title,
    due: checkDate(`addMilestones[${k}].due`, m.due),
  }));
  await store.db.transaction().execute(async (trx) => {
    await repo.updateItem(trx, id, change);
    for (const m of milestones) await repo.insertMilestone(trx, id, m.title, m.due);
    if (input.status !== undefined && input.status !== row.status)
      await repo.appendTaskEvent(trx, {
        itemId: id,
        kind: 'status',
        statusFrom: row.status,
        statusTo: input.status,
        text: input.reason ?? null,
        ...actorName(ctx),
      });
    const { status: _s, reason: _r, ...edits } = input;
    if (Object.keys(edits).length > 0)
      await repo.appendTaskEvent(trx, {
        itemId: id,
        kind: 'edit',
        text: input.reason ?? null,
        data: edits,
        ...actorName(ctx),
      });
    await audit(trx, ctx, {
      action: 'task.edit',
      targetType: 'task_item',
      targetId: id,
      before: { status: row.status, leadUnit: row.lead_unit, scopeUnit: row.scope_unit, list: row.list },
      after: input,
    });
  });
  return getItem(store, ctx, id);
}

/** Splits an item into parts: each a new item (origin 'user') under it, on the same list and task. */
export async function splitItem(
  store: Store,
  ctx: RequestContext,
  id: number,
  parts: {
    titleZh: string;
    titleEn?: string | undefined;
    leadUnit?: string | undefined;
    scopeUnit?: string | undefined;
  }[],
): Promise<TaskItemView[]> {
  const { row } = await loadItem(store, ctx, id);
  await authorize(store, ctx, 'task.edit', row.scope_unit);
  if (parts.length < 2) throw new AppError('INVALID_INPUT', 'parts: a split makes at least two parts');
  for (const [k, p] of parts.entries()) {
    await checkUnit(store.db, `parts[${k}].leadUnit`, p.leadUnit);
    if (p.scopeUnit) await authorize(store, ctx, 'task.edit', p.scopeUnit);
  }
  const ids = await store.db.transaction().execute(async (trx) => {
    const ids: number[] = [];
    for (const p of parts) {
      const child = await repo.insertItem(trx, {
        planId: row.plan_id,
        list: row.list,
        taskNumber: row.task_number,
        origin: 'user',
        parentId: id,
        titleZh: p.titleZh,
        titleEn: p.titleEn ?? null,
        leadUnit: p.leadUnit ?? row.lead_unit,
        leadDemo: p.leadUnit ? false : row.lead_demo,
        cooperating: row.cooperating,
        scopeUnit: p.scopeUnit ?? row.scope_unit,
        indicators: row.indicators,
        priority: row.priority,
        createdBy: actorName(ctx).byName,
      });
      await repo.appendTaskEvent(trx, {
        itemId: child,
        kind: 'created',
        text: `拆分自事项${id} / split from item ${id}`,
        ...actorName(ctx),
      });
      ids.push(child);
    }
    await repo.appendTaskEvent(trx, { itemId: id, kind: 'split', data: { parts: ids }, ...actorName(ctx) });
    await audit(trx, ctx, { action: 'task.split', targetType: 'task_item', targetId: id, after: { parts: ids } });
    return ids;
  });
  return Promise.all(ids.map((i) => getItem(store, ctx, i)));
}

export interface EvidenceUpload {
  fileName: string;
  mediaType: string;
  /** The file's bytes, base64. */
  contentBase64: string;
}

export interface ReportInput {
  text: string;
  percentComplete?: number | undefined;
  milestoneId?: number | undefined;
  milestoneReached?: boolean | undefined;
  evidence?: EvidenceUpload[] | undefined;
}

/** The responsible unit (lead or co-operating) reports progress, with evidence files. */
export async function reportProgress(
  store: Store,
  ctx: RequestContext,
  id: number,
  input: ReportInput,
): Promise<TaskItemView & { history: TaskEventView[] }> {
  const { row, paths } = await loadItem(store, ctx, id);
  if (!mayOnItem(ctx, 'task.report', row, paths, ['units']))
    throw new AppError(
      'FORBIDDEN',
      `you may not report on item ${id}: that needs task.report on its lead or a co-operating unit`,
    );
  if (!input.text.trim()) throw new AppError('INVALID_INPUT', 'text: say what was done');
  if (input.percentComplete !== undefined && (input.percentComplete < 0 || input.percentComplete > 100))
    throw new AppError('INVALID_INPUT', 'percentComplete: between 0 and 100');
  if (
    input.milestoneId !== undefined &&
    !(await repo.milestonesOf(store.db, [id])).some((m) => m.id === input.milestoneId)
  )
    throw new AppError('INVALID_INPUT', `milestoneId: item ${id} has no milestone ${input.milestoneId}`);
  const files = (input.evidence ?? []).map((f, k) => {
    if (!(EVIDENCE_TYPES as readonly string[]).includes(f.mediaType))
      throw new AppError(
        'INVALID_INPUT',
        `evidence[${k}] (${f.fileName}): type ${f.mediaType} is not accepted; use one of ${EVIDENCE_TYPES.join(', ')}`,
      );
    const content = Buffer.from(f.contentBase64, 'base64');
    if (content.length === 0) throw new AppError('INVALID_INPUT', `evidence[${k}] (${f.fileName}): the file is empty`);
    if (content.length > EVIDENCE_MAX_BYTES)
      throw new AppError(
        'INVALID_INPUT',
        `evidence[${k}] (${f.fileName}): ${content.length} bytes, more than ${EVIDENCE_MAX_BYTES}`,
      );
    return { ...f, content, sha256: createHash('sha256').update(content).digest('hex') };
  });
  const now = new Date();
  await store.db.transaction().execute(async (trx) => {
    for (const f of files)
      await repo.putEvidence(trx, {
        sha256: f.sha256,
        content: f.content,
        mediaType: f.mediaType,
        fileName: f.fileName,
        uploadedBy: actorName(ctx).byName,
      });
    await repo.appendTaskEvent(trx, {
      itemId: id,
      kind: 'report',
      text: input.text,
      percent: input.percentComplete ?? null,
      milestoneId: input.milestoneId ?? null,
      milestoneReached: input.milestoneId !== undefined ? (input.milestoneReached ?? false) : null,
      evidence: files.map((f) => ({
        sha256: f.sha256,
        fileName: f.fileName,
        mediaType: f.mediaType,
        size: f.content.length,
      })),
      ...actorName(ctx),
    });
    if (input.milestoneId !== undefined && input.milestoneReached)
      await repo.markMilestoneReached(trx, input.milestoneId, now);
    const change: repo.ItemChange = {};
    if (input.percentComplete !== undefined) change.percent_complete = input.percentComplete;
    if (row.status === 'not_started') {
      change.status = 'in_progress';
      await repo.appendTaskEvent(trx, {
        itemId: id,
        kind: 'status',
        statusFrom: 'not_started',
        statusTo: 'in_progress',
        text: '首次报送进展 / first progress report',
        ...actorName(ctx),
      });
    }
    await repo.updateItem(trx, id, change);
    await audit(trx, ctx, {
      action: 'task.report',
      targetType: 'task_item',
      targetId: id,
      after: {
        text: input.text,
        percent: input.percentComplete ?? null,
        milestoneId: input.milestoneId ?? null,
        evidence: files.map((f) => f.sha256),
      },
    });
  });
  return getItem(store, ctx, id);
}

/** A comment in the item's timeline, by its analysts or its units. */
export async function commentOnItem(store: Store, ctx: RequestContext, id: number, text: string): Promise<void> {
  const { row, paths } = await loadItem(store, ctx, id);
  if (!mayOnItem(ctx, 'task.edit', row, paths, ['scope']) && !mayOnItem(ctx, 'task.report', row, paths, ['units']))
    throw new AppError('FORBIDDEN', `you may not comment on item ${id}`);
  if (!text.trim()) throw new AppError('INVALID_INPUT', 'text: a comment needs some text');
  await store.db.transaction().execute(async (trx) => {
    await repo.appendTaskEvent(trx, { itemId: id, kind: 'comment', text, ...actorName(ctx) });
    await audit(trx, ctx, { action: 'task.comment', targetType: 'task_item', targetId: id, after: { text } });
  });
}

/** The answer to a reform request came back from the higher level: recorded with its date. */
export async function recordReply(
  store: Store,
  ctx: RequestContext,
  id: number,
  input: { reply: string; repliedAt?: string | undefined },
): Promise<TaskItemView> {
  const { row } = await loadItem(store, ctx, id);
  await authorize(store, ctx, 'task.edit', row.scope_unit);
  if (row.list !== 'reform')
    throw new AppError('CONFLICT', `item ${id} is on the ${row.list} list; replies are recorded for reform requests`);
  if (!input.reply.trim()) throw new AppError('INVALID_INPUT', 'reply: the text of the reply');
  const repliedAt = input.repliedAt ? new Date(checkDate('repliedAt', input.repliedAt)) : new Date();
  await store.db.transaction().execute(async (trx) => {
    await repo.updateItem(trx, id, { reply: input.reply, replied_at: repliedAt });
    await repo.appendTaskEvent(trx, {
      itemId: id,
      kind: 'reply',
      text: input.reply,
      data: { repliedAt },
      ...actorName(ctx),
    });
    await audit(trx, ctx, {
      action: 'task.reply',
      targetType: 'task_item',
      targetId: id,
      before: { reply: row.reply },
      after: input,
    });
  });
  return getItem(store, ctx, id);
}

/** An evidence file, for those who may read an item that names it. */
export async function evidenceFile(store: Store, ctx: RequestContext, sha256: string) {
  requireSignedIn(ctx);
  for (const itemId of await repo.itemsWithEvidence(store.db, sha256)) {
    try {
      await loadItem(store, ctx, itemId);
      const f = await repo.getEvidence(store.db, sha256);
      if (f) return f;
    } catch {
      // not readable to this caller: try the next item
    }
  }
  throw notFound(`evidence ${sha256}`);
}

/** The three lists as the offices exchange them: one sheet per list. */
export async function exportListsXlsx(store: Store, ctx: RequestContext, planId?: string): Promise<Buffer> {
  const items = await listItems(store, ctx, { planId });
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Gongfu';
  for (const code of Object.keys(LIST_LABELS) as ListCode[]) {
    const ws = wb.addWorksheet(LIST_LABELS[code].zh);
    ws.columns = [
      { header: '序号 No.', key: 'id', width: 8 },
      { header: '任务 Task', key: 'task', width: 8 },
      { header: '事项 Item', key: 'title', width: 40 },
      { header: '牵头单位 Lead', key: 'lead', width: 18 },
      { header: '配合单位 Co-operating', key: 'coop', width: 30 },
      { header: '范围 Scope', key: 'scope', width: 10 },
      { header: '状态 Status', key: 'status', width: 10 },
      { header: '优先级 Priority', key: 'priority', width: 10 },
      { header: '进度% Progress', key: 'percent', width: 10 },
      { header: '节点 Milestones', key: 'milestones', width: 40 },
      ...(code === 'reform'
        ? [
            { header: '报送对象 Addressed to', key: 'to', width: 20 },
            { header: '报送日期 Sent', key: 'sent', width: 12 },
            { header: '答复 Reply', key: 'reply', width: 30 },
            { header: '答复日期 Replied', key: 'replied', width: 12 },
            { header: '等待天数 Days waiting', key: 'waiting', width: 10 },
          ]
        : []),
      { header: '备注 Note', key: 'note', width: 24 },
    ];
    for (const i of items.filter((x) => x.list === code))
      ws.addRow({
        id: i.id,
        task: i.taskNumber,
        title: i.title.zh,
        lead: i.leadUnit,
        coop: i.cooperating.map((c) => c.unit).join('、'),
        scope: i.scopeUnit,
        status: i.statusLabel.zh,
        priority: i.priority,
        percent: i.percentComplete,
        milestones: i.milestones.map((m) => `${m.due} ${m.title}${m.reachedAt ? '✓' : ''}`).join('；'),
        to: i.reform?.addressedTo,
        sent: i.reform?.requestedAt?.slice(0, 10),
        reply: i.reform?.reply,
        replied: i.reform?.repliedAt?.slice(0, 10),
        waiting: i.reform?.daysWaiting,
        note: i.leadDemo || i.cooperating.some((c) => c.demo) ? '示例数据：演示用牵头/配合单位 (demo)' : '',
      });
    ws.getRow(1).font = { bold: true };
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export interface TaskFiguresResult {
  planId: string;
  /** The day the figures were counted for (YYYY-MM-DD, UTC). */
  asOf: string;
  under: string | null;
  byUnit: (TaskFigures & { name: string })[];
}

/**
 * The task lists in numbers per lead unit: items led, milestones due, met on time, late, overdue, the
 * on-time rate (definitions in engine/task-figures.ts), for the horse race next to the loop figures.
 * Items without a lead unit are not counted. Needs task.read on `under` (default: the plan's root).
 */
export async function taskFiguresByUnit(
  store: Store,
  ctx: RequestContext,
  options: { planId?: string; under?: string; now?: Date } = {},
): Promise<TaskFiguresResult> {
  const planId = options.planId ?? (await currentPlanId(store));
  const plan = await getPlan(store, planId);
  const underPath = await authorize(store, ctx, 'task.read', options.under ?? plan.rootOrgUnit);
  const rows = (await repo.findItems(store.db, { planId })).filter(
    (r) => r.lead_unit !== null && r.lead_path !== null && r.lead_path.startsWith(underPath),
  );
  const milestones = await repo.milestonesOf(
    store.db,
    rows.map((r) => r.id),
  );
  const asOf = today(options.now ?? new Date());
  const figures = computeTaskFigures(
    rows.map((r) => ({
      group: r.lead_unit!,
      cancelled: r.status === 'cancelled',
      milestones: milestones.filter((m) => m.item_id === r.id).map((m) => ({ due: m.due, reachedAt: m.reached_at })),
    })),
    asOf,
  );
  const byUnit = [];
  for (const f of figures) byUnit.push({ ...f, name: (await getOrgUnit(store.db, f.group))?.name ?? f.group });
  return { planId, asOf, under: options.under ?? null, byUnit };
}
