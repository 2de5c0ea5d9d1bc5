/**
 * Repository of the task lists: items with their milestones, their timeline (append-only) and
 * evidence files stored by content hash. The tables come with migration 0005; their types are
 * declared here and joined to the schema with `withTables`.
 */
import type { ColumnType, Generated, JSONColumnType, Kysely, Selectable } from 'kysely';
import type { Database } from './schema.js';

type Json<T extends object | null> = JSONColumnType<T, string, string>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export const TASK_ITEM_STATUSES = ['not_started', 'in_progress', 'done', 'delayed', 'cancelled'] as const;
export type TaskItemStatus = (typeof TASK_ITEM_STATUSES)[number];
export const PRIORITIES = ['high', 'normal', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];
export type ListCode = 'key' | 'breakthrough' | 'reform';

export interface UnitRef {
  unit: string;
  demo: boolean;
}

export interface EvidenceRef {
  sha256: string;
  fileName: string;
  mediaType: string;
  size: number;
}

export interface TaskItemTable {
  id: Generated<number>;
  plan_id: string;
  list: ListCode;
  task_number: number | null;
  origin: 'plan' | 'user';
  parent_id: number | null;
  title_zh: string;
  title_en: string | null;
  description: string | null;
  lead_unit: string | null;
  lead_demo: Generated<boolean>;
  cooperating: Json<UnitRef[]>;
  scope_unit: string;
  indicators: string[];
  status: Generated<TaskItemStatus>;
  priority: Generated<Priority>;
  percent_complete: Generated<number>;
  addressed_to: string | null;
  requested_at: Date | null;
  reply: string | null;
  replied_at: Date | null;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export interface TaskMilestoneTable {
  id: Generated<number>;
  item_id: number;
  title: string;
  due: ColumnType<string, string, string>;
  reached_at: Date | null;
}

export interface TaskEventTable {
  id: Generated<string>;
  item_id: number;
  kind: 'created' | 'report' | 'status' | 'comment' | 'edit' | 'split' | 'reply';
  text: string | null;
  percent: number | null;
  milestone_id: number | null;
  milestone_reached: boolean | null;
  status_from: string | null;
  status_to: string | null;
  evidence: Json<EvidenceRef[]>;
  data: Json<object | null>;
  by_user: number | null;
  by_name: string | null;
  at: Generated<Date>;
}

export interface EvidenceFileTable {
  sha256: string;
  content: Buffer;
  size: number;
  media_type: string;
  file_name: string;
  uploaded_by: string | null;
  uploaded_at: Generated<Date>;
}

export type TaskTables = {
  task_item: TaskItemTable;
  task_milestone: TaskMilestoneTable;
  task_event: TaskEventTable;
  evidence_file: EvidenceFileTable;
};

export type TaskDb = Kysely<Database & TaskTables>;
export const tasksDb = (db: Kysely<Database>): TaskDb => db.withTables<TaskTables>();

export type TaskItemRow = Selectable<TaskItemTable> & { scope_path: string; lead_path: string | null };
export type MilestoneRow = Selectable<TaskMilestoneTable>;
export type TaskEventRow = Selectable<TaskEventTable>;

export interface ItemFilter {
  planId: string;
  list?: ListCode | undefined;
  status?: TaskItemStatus | undefined;
  taskNumber?: number | undefined;
  /** Items this unit leads or co-operates on. */
  unit?: string | undefined;
  ids?: number[] | undefined;
}

export async function findItems(db: Kysely<Database>, f: ItemFilter): Promise<TaskItemRow[]> {
  let q = tasksDb(db)
    .selectFrom('task_item as t')
    .innerJoin('org_unit as s', 's.code', 't.scope_unit')
    .leftJoin('org_unit as l', 'l.code', 't.lead_unit')
    .selectAll('t')
    .select(['s.path as scope_path', 'l.path as lead_path'])
    .where('t.plan_id', '=', f.planId);
  if (f.list) q = q.where('t.list', '=', f.list);
  if (f.status) q = q.where('t.status', '=', f.status);
  if (f.taskNumber !== undefined) q = q.where('t.task_number', '=', f.taskNumber);
  if (f.ids) q = q.where('t.id', 'in', f.ids.length ? f.ids : [-1]);
  if (f.unit) {
    const unit = f.unit;
    q = q.where((eb) =>
      eb.or([eb('t.lead_unit', '=', unit), eb('t.cooperating', '@>', JSON.stringify([{ unit }]) as never)]),
    );
  }
  return q.orderBy('t.task_number').orderBy('t.id').execute();
}

export async function findItem(db: Kysely<Database>, id: number): Promise<TaskItemRow | undefined> {
  return tasksDb(db)
    .selectFrom('task_item as t')
    .innerJoin('org_unit as s', 's.code', 't.scope_unit')
    .leftJoin('org_unit as l', 'l.code', 't.lead_unit')
    .selectAll('t')
    .select(['s.path as scope_path', 'l.path as lead_path'])
    .where('t.id', '=', id)
    .executeTakeFirst();
}

export interface NewItem {
  planId: string;
  list: ListCode;
  taskNumber: number | null;
  origin: 'plan' | 'user';
  parentId?: number | null;
  titleZh: string;
  titleEn?: string | null;
  description?: string | null;
  leadUnit?: string | null;
  leadDemo?: boolean;
  cooperating?: UnitRef[];
  scopeUnit: string;
  indicators?: string[];
  priority?: Priority;
  addressedTo?: string | null;
  requestedAt?: Date | null;
  createdBy: string | null;
}

export async function insertItem(db: Kysely<Database>, n: NewItem): Promise<number> {
  const { id } = await tasksDb(db)
    .insertInto('task_item')
    .values({
      plan_id: n.planId,
      list: n.list,
      task_number: n.taskNumber,
      origin: n.origin,
      parent_id: n.parentId ?? null,
      title_zh: n.titleZh,
      title_en: n.titleEn ?? null,
      description: n.description ?? null,
      lead_unit: n.leadUnit ?? null,
      lead_demo: n.leadDemo ?? false,
      cooperating: JSON.stringify(n.cooperating ?? []),
      scope_unit: n.scopeUnit,
      indicators: n.indicators ?? [],
      priority: n.priority ?? 'normal',
      addressed_to: n.addressedTo ?? null,
      requested_at: n.requestedAt ?? null,
      reply: null,
      replied_at: null,
      created_by: n.createdBy,
      updated_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export type ItemChange = Partial<{
  title_zh: string;
  title_en: string | null;
  description: string | null;
  lead_unit: string | null;
  lead_demo: boolean;
  cooperating: string;
  scope_unit: string;
  indicators: string[];
  status: TaskItemStatus;
  priority: Priority;
  percent_complete: number;
  addressed_to: string | null;
  requested_at: Date | null;
  reply: string | null;
  replied_at: Date | null;
  list: ListCode;
}>;

export async function updateItem(db: Kysely<Database>, id: number, change: ItemChange): Promise<void> {
  await tasksDb(db)
    .updateTable('task_item')
    .set({ ...change, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** Plan tasks without their plan-made item yet; returns how many items were made. */
export async function planItemNumbers(db: Kysely<Database>, planId: string): Promise<Set<number>> {
  const rows = await tasksDb(db)
    .selectFrom('task_item')
    .select('task_number')
    .where('plan_id', '=', planId)
    .where('origin', '=', 'plan')
    .execute();
  return new Set(rows.map((r) => r.task_number!));
}

export async function milestonesOf(db: Kysely<Database>, itemIds: number[]): Promise<MilestoneRow[]> {
  if (itemIds.length === 0) return [];
  return tasksDb(db)
    .selectFrom('task_milestone')
    .select(['id', 'item_id', 'title', 'reached_at'])
    .select((eb) => eb.cast<string>('due', 'text').as('due'))
    .where('item_id', 'in', itemIds)
    .orderBy('task_milestone.due')
    .orderBy('id')
    .execute();
}

export async function insertMilestone(
  db: Kysely<Database>,
  itemId: number,
  title: string,
  due: string,
): Promise<number> {
  const { id } = await tasksDb(db)
    .insertInto('task_milestone')
    .values({ item_id: itemId, title, due, reached_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function markMilestoneReached(db: Kysely<Database>, id: number, at: Date): Promise<void> {
  await tasksDb(db).updateTable('task_milestone').set({ reached_at: at }).where('id', '=', id).execute();
}

/** Milestones past their date and not reached, of items not done or cancelled. */
export async function overdueMilestones(
  db: Kysely<Database>,
  planId: string,
  today: string,
): Promise<(MilestoneRow & { scope_unit: string; lead_unit: string | null; title_zh: string })[]> {
  return tasksDb(db)
    .selectFrom('task_milestone as m')
    .innerJoin('task_item as t', 't.id', 'm.item_id')
    .select(['m.id', 'm.item_id', 'm.title', 'm.reached_at'])
    .select((eb) => eb.cast<string>('m.due', 'text').as('due'))
    .select(['t.scope_unit', 't.lead_unit', 't.title_zh'])
    .where('t.plan_id', '=', planId)
    .where('t.status', 'not in', ['done', 'cancelled'])
    .where('m.reached_at', 'is', null)
    .where('m.due', '<', today)
    .execute();
}

export interface NewTaskEvent {
  itemId: number;
  kind: TaskEventTable['kind'];
  text?: string | null;
  percent?: number | null;
  milestoneId?: number | null;
  milestoneReached?: boolean | null;
  statusFrom?: string | null;
  statusTo?: string | null;
  evidence?: EvidenceRef[];
  data?: object | null;
  byUser: number | null;
  byName: string | null;
}

export async function appendTaskEvent(db: Kysely<Database>, e: NewTaskEvent): Promise<void> {
  await tasksDb(db)
    .insertInto('task_event')
    .values({
      item_id: e.itemId,
      kind: e.kind,
      text: e.text ?? null,
      percent: e.percent ?? null,
      milestone_id: e.milestoneId ?? null,
      milestone_reached: e.milestoneReached ?? null,
      status_from: e.statusFrom ?? null,
      status_to: e.statusTo ?? null,
      evidence: JSON.stringify(e.evidence ?? []),
      data: JSON.stringify(e.data ?? null),
      by_user: e.byUser,
      by_name: e.byName,
    })
    .execute();
}

export async function eventsOf(db: Kysely<Database>, itemId: number): Promise<TaskEventRow[]> {
  return tasksDb(db).selectFrom('task_event').selectAll().where('item_id', '=', itemId).orderBy('id').execute();
}

/** Stores a file once by its hash (a second upload of the same bytes keeps the first). */
export async function putEvidence(
  db: Kysely<Database>,
  f: { sha256: string; content: Buffer; mediaType: string; fileName: string; uploadedBy: string | null },
): Promise<void> {
  await tasksDb(db)
    .insertInto('evidence_file')
    .values({
      sha256: f.sha256,
      content: f.content,
      size: f.content.length,
      media_type: f.mediaType,
      file_name: f.fileName,
      uploaded_by: f.uploadedBy,
    })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
}

export async function getEvidence(db: Kysely<Database>, sha256: string) {
  return tasksDb(db).selectFrom('evidence_file').selectAll().where('sha256', '=', sha256).executeTakeFirst();
}

/** Items whose timeline names this evidence file (to check who may download it). */
export async function itemsWithEvidence(db: Kysely<Database>, sha256: string): Promise<number[]> {
  const rows = await tasksDb(db)
    .selectFrom('task_event')
    .select('item_id')
    .distinct()
    .where('evidence', '@>', JSON.stringify([{ sha256 }]) as never)
    .execute();
  return rows.map((r) => r.item_id);
}
