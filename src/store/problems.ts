/**
 * Repository of problems (督办事项) and their history, the in-app inbox, and target adjustments.
 * Tables of migration 0005; their types are declared here and joined with `withTables`.
 */
import { sql, type ColumnType, type Generated, type JSONColumnType, type Kysely, type Selectable } from 'kysely';
import type { FoundBy, ProblemStatus } from '../domain/problem-workflow.js';
import type { Database } from './schema.js';

type Json<T extends object | null> = JSONColumnType<T, string, string>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type SourceKind = 'indicator' | 'item' | 'milestone' | 'free';

export interface ProblemTable {
  id: Generated<number>;
  plan_id: string;
  title: string;
  description: string | null;
  category: string;
  source_kind: SourceKind;
  org_unit: string;
  indicator: string | null;
  period: string | null;
  item_id: number | null;
  milestone_id: number | null;
  found_by: FoundBy;
  status: Generated<ProblemStatus>;
  assigned_unit: string | null;
  assignee: number | null;
  deadline: Date | null;
  reopened: Generated<number>;
  evidence: Json<object | null>;
  last_run_id: number | null;
  red_runs: number | null;
  recovered_at: Date | null;
  escalation_level: Generated<number>;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  closed_at: Date | null;
}

export interface ProblemEventTable {
  id: Generated<string>;
  problem_id: number;
  kind: 'raised' | 'transition' | 'alert' | 'recovered' | 'escalated' | 'comment';
  transition: string | null;
  from_status: string | null;
  to_status: string | null;
  reason: string | null;
  data: Json<object | null>;
  by_user: number | null;
  by_name: string | null;
  at: Timestamp;
}

export type NotificationKind = 'assigned' | 'due_soon' | 'overdue' | 'returned' | 'escalated' | 'to_verify' | 'alert';

export interface NotificationTable {
  id: Generated<number>;
  user_id: number;
  kind: NotificationKind;
  problem_id: number | null;
  item_id: number | null;
  message_zh: string;
  message_en: string;
  dedupe: string;
  created_at: Generated<Date>;
  read_at: Date | null;
  emailed_at: Date | null;
  email_error: string | null;
}

export interface UserContactTable {
  user_id: number;
  email: string;
}

export interface TargetAdjustmentTable {
  id: Generated<number>;
  plan_id: string;
  indicator: string;
  target_index: number;
  original: Json<object>;
  adjusted: Json<object>;
  justification: string;
  status: Generated<'proposed' | 'approved' | 'rejected'>;
  proposed_by: string | null;
  proposed_at: Generated<Date>;
  decided_by: string | null;
  decided_at: Date | null;
  decision_note: string | null;
}

export type ProblemTables = {
  problem: ProblemTable;
  problem_event: ProblemEventTable;
  notification: NotificationTable;
  user_contact: UserContactTable;
  target_adjustment: TargetAdjustmentTable;
};

export type ProblemDb = Kysely<Database & ProblemTables>;
export const problemsDb = (db: Kysely<Database>): ProblemDb => db.withTables<ProblemTables>();

export type ProblemRow = Selectable<ProblemTable> & {
  unit_path: string;
  unit_name: string;
  assigned_path: string | null;
  assigned_name: string | null;
};
export type ProblemEventRow = Selectable<ProblemEventTable>;

export interface ProblemFilter {
  planId: string;
  statuses?: ProblemStatus[] | undefined;
  /** Problems about this unit's subtree or assigned to a unit in it (a path prefix). */
  withinPath?: string | undefined;
  assignee?: number | undefined;
  category?: string | undefined;
  foundBy?: FoundBy | undefined;
  indicator?: string | undefined;
  ids?: number[] | undefined;
  /**
   * Only problems a reader may see: about a unit under one of these paths, or assigned to one
   * (services/problems.ts mayRead). Undefined: no restriction; empty: none.
   */
  readableUnder?: string[] | undefined;
  /** "Assigned to me": to this user in person, or to a unit under one of these paths (where they rectify). */
  assignedTo?: { userId: number | null; unitPaths: string[] } | undefined;
  /**
   * Overdue (true) or not (false) at `now`: not closed and its deadline before `now` — the rule of
   * domain/problem-workflow.ts deadlineState, on the stored instant (a date's deadline is already
   * the end of that day, China time, parseDeadline).
   */
  overdue?: { at: Date; overdue: boolean } | undefined;
}

const likePrefix = (path: string) => `${path.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Problems with the unit they are about (u) and the unit they are assigned to (a). */
function fromProblems(db: Kysely<Database>) {
  return problemsDb(db)
    .selectFrom('problem as p')
    .innerJoin('org_unit as u', 'u.code', 'p.org_unit')
    .leftJoin('org_unit as a', 'a.code', 'p.assigned_unit');
}

const UNIT_COLUMNS = [
  'u.path as unit_path',
  'u.name as unit_name',
  'a.path as assigned_path',
  'a.name as assigned_name',
] as const;

/** Every column but the evidence, which only a single problem carries. */
const LIST_COLUMNS = [
  'p.id',
  'p.plan_id',
  'p.title',
  'p.description',
  'p.category',
  'p.source_kind',
  'p.org_unit',
  'p.indicator',
  'p.period',
  'p.item_id',
  'p.milestone_id',
  'p.found_by',
  'p.status',
  'p.assigned_unit',
  'p.assignee',
  'p.deadline',
  'p.reopened',
  'p.last_run_id',
  'p.red_runs',
  'p.recovered_at',
  'p.escalation_level',
  'p.created_by',
  'p.created_at',
  'p.updated_at',
  'p.closed_at',
] as const;

function selectProblems(db: Kysely<Database>) {
  return fromProblems(db).selectAll('p').select(UNIT_COLUMNS);
}

/** The where-clauses of a filter, shared by the list, the page and the count. */
function applyFilter(q: ReturnType<typeof fromProblems>, f: ProblemFilter): ReturnType<typeof fromProblems> {
  type Q = ReturnType<typeof fromProblems>;
  let r: Q = q.where('p.plan_id', '=', f.planId);
  if (f.statuses) r = r.where('p.status', 'in', f.statuses.length ? f.statuses : ['__none__' as ProblemStatus]);
  if (f.withinPath) {
    const prefix = likePrefix(f.withinPath);
    r = r.where((eb) => eb.or([eb('u.path', 'like', prefix), eb('a.path', 'like', prefix)]));
  }
  if (f.assignee !== undefined) r = r.where('p.assignee', '=', f.assignee);
  if (f.category) r = r.where('p.category', '=', f.category);
  if (f.foundBy) r = r.where('p.found_by', '=', f.foundBy);
  if (f.indicator) r = r.where('p.indicator', '=', f.indicator);
  if (f.ids) r = r.where('p.id', 'in', f.ids.length ? f.ids : [-1]);
  if (f.readableUnder) {
    const prefixes = f.readableUnder.map(likePrefix);
    r = r.where((eb) =>
      prefixes.length === 0
        ? sql<boolean>`false`
        : eb.or(prefixes.flatMap((x) => [eb('u.path', 'like', x), eb('a.path', 'like', x)])),
    );
  }
  if (f.assignedTo) {
    const { userId, unitPaths } = f.assignedTo;
    r = r.where((eb) =>
      eb.or([
        ...(userId !== null ? [eb('p.assignee', '=', userId)] : []),
        ...unitPaths.map((x) => eb('a.path', 'like', likePrefix(x))),
        sql<boolean>`false`,
      ]),
    );
  }
  if (f.overdue) {
    const late = sql<boolean>`(p.status <> 'closed' and p.deadline is not null and p.deadline < ${f.overdue.at})`;
    r = r.where(f.overdue.overdue ? late : sql<boolean>`not ${late}`);
  }
  return r;
}

export async function findProblems(db: Kysely<Database>, f: ProblemFilter): Promise<ProblemRow[]> {
  return applyFilter(fromProblems(db), f).selectAll('p').select(UNIT_COLUMNS).orderBy('p.id', 'desc').execute();
}

/** A problem as a list shows it: without its evidence (GET /problems/:id has it). */
export type ProblemListRow = Omit<ProblemRow, 'evidence'>;

export type ProblemOrder = 'newest' | 'urgent';

export interface ProblemPage {
  limit: number;
  offset: number;
  /**
   * newest: the latest raised first (by id). urgent: overdue first, the longest overdue (the
   * earliest deadline) first, then the oldest — judged at `at`.
   */
  order: ProblemOrder;
  at: Date;
}

/** One page of the problems matching a filter, and how many match in all. */
export async function pageProblems(
  db: Kysely<Database>,
  f: ProblemFilter,
  page: ProblemPage,
): Promise<{ rows: ProblemListRow[]; total: number }> {
  const total = await countProblems(db, f);
  if (page.limit === 0 || page.offset >= total) return { rows: [], total };
  let q = applyFilter(fromProblems(db), f).select(LIST_COLUMNS).select(UNIT_COLUMNS);
  if (page.order === 'urgent') {
    const late = sql`(p.status <> 'closed' and p.deadline is not null and p.deadline < ${page.at})`;
    q = q
      .orderBy(sql`case when ${late} then 0 else 1 end`)
      .orderBy(sql`case when ${late} then p.deadline end`)
      .orderBy('p.created_at')
      .orderBy('p.id');
  } else q = q.orderBy('p.id', 'desc');
  return { rows: await q.limit(page.limit).offset(page.offset).execute(), total };
}

/** How many problems match a filter. */
export async function countProblems(db: Kysely<Database>, f: ProblemFilter): Promise<number> {
  const { n } = await applyFilter(fromProblems(db), f)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}

export async function findProblem(db: Kysely<Database>, id: number): Promise<ProblemRow | undefined> {
  return selectProblems(db).where('p.id', '=', id).executeTakeFirst();
}

/** The problem not yet closed for an indicator × unit (at most one, by a unique index). */
export async function openIndicatorProblem(
  db: Kysely<Database>,
  planId: string,
  indicator: string,
  orgUnit: string,
): Promise<ProblemRow | undefined> {
  return selectProblems(db)
    .where('p.plan_id', '=', planId)
    .where('p.source_kind', '=', 'indicator')
    .where('p.indicator', '=', indicator)
    .where('p.org_unit', '=', orgUnit)
    .where('p.status', '<>', 'closed')
    .executeTakeFirst();
}

export async function openIndicatorProblems(db: Kysely<Database>, planId: string): Promise<ProblemRow[]> {
  return selectProblems(db)
    .where('p.plan_id', '=', planId)
    .where('p.source_kind', '=', 'indicator')
    .where('p.status', '<>', 'closed')
    .execute();
}

export async function openMilestoneProblemIds(db: Kysely<Database>, planId: string): Promise<Set<number>> {
  const rows = await problemsDb(db)
    .selectFrom('problem')
    .select('milestone_id')
    .where('plan_id', '=', planId)
    .where('source_kind', '=', 'milestone')
    .where('status', '<>', 'closed')
    .execute();
  return new Set(rows.map((r) => r.milestone_id!));
}

export interface NewProblem {
  planId: string;
  title: string;
  description?: string | null;
  category: string;
  sourceKind: SourceKind;
  orgUnit: string;
  indicator?: string | null;
  period?: string | null;
  itemId?: number | null;
  milestoneId?: number | null;
  foundBy: FoundBy;
  assignedUnit?: string | null;
  evidence?: object | null;
  lastRunId?: number | null;
  redRuns?: number | null;
  createdBy: string | null;
  createdAt?: Date;
}

export async function insertProblem(db: Kysely<Database>, n: NewProblem): Promise<number> {
  const now = n.createdAt ?? new Date();
  const { id } = await problemsDb(db)
    .insertInto('problem')
    .values({
      plan_id: n.planId,
      title: n.title,
      description: n.description ?? null,
      category: n.category,
      source_kind: n.sourceKind,
      org_unit: n.orgUnit,
      indicator: n.indicator ?? null,
      period: n.period ?? null,
      item_id: n.itemId ?? null,
      milestone_id: n.milestoneId ?? null,
      found_by: n.foundBy,
      assigned_unit: n.assignedUnit ?? null,
      assignee: null,
      deadline: null,
      evidence: JSON.stringify(n.evidence ?? null),
      last_run_id: n.lastRunId ?? null,
      red_runs: n.redRuns ?? null,
      recovered_at: null,
      created_by: n.createdBy,
      created_at: now,
      updated_at: now,
      closed_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export type ProblemChange = Partial<{
  status: ProblemStatus;
  assigned_unit: string | null;
  assignee: number | null;
  deadline: Date | null;
  reopened: number;
  evidence: string;
  last_run_id: number | null;
  red_runs: number | null;
  recovered_at: Date | null;
  escalation_level: number;
  closed_at: Date | null;
}>;

export async function updateProblem(
  db: Kysely<Database>,
  id: number,
  change: ProblemChange,
  at = new Date(),
): Promise<void> {
  await problemsDb(db)
    .updateTable('problem')
    .set({ ...change, updated_at: at })
    .where('id', '=', id)
    .execute();
}

export interface NewProblemEvent {
  problemId: number;
  kind: ProblemEventTable['kind'];
  transition?: string | null;
  fromStatus?: string | null;
  toStatus?: string | null;
  reason?: string | null;
  data?: object | null;
  byUser: number | null;
  byName: string | null;
  at?: Date;
}

export async function appendProblemEvent(db: Kysely<Database>, e: NewProblemEvent): Promise<void> {
  await problemsDb(db)
    .insertInto('problem_event')
    .values({
      problem_id: e.problemId,
      kind: e.kind,
      transition: e.transition ?? null,
      from_status: e.fromStatus ?? null,
      to_status: e.toStatus ?? null,
      reason: e.reason ?? null,
      data: JSON.stringify(e.data ?? null),
      by_user: e.byUser,
      by_name: e.byName,
      at: e.at ?? new Date(),
    })
    .execute();
}

export async function problemEvents(db: Kysely<Database>, problemId: number): Promise<ProblemEventRow[]> {
  return problemsDb(db)
    .selectFrom('problem_event')
    .selectAll()
    .where('problem_id', '=', problemId)
    .orderBy('id')
    .execute();
}

// Inbox

/** Users holding one of `roles` exactly on `unit` (the people of that unit, not everyone above it). */
export async function usersWithRoleOn(db: Kysely<Database>, unit: string, roles: readonly string[]): Promise<number[]> {
  const rows = await db
    .selectFrom('user_grant as g')
    .innerJoin('app_user as u', 'u.id', 'g.user_id')
    .select('g.user_id')
    .distinct()
    .where('g.org_unit', '=', unit)
    .where('g.role', 'in', [...roles])
    .where('u.disabled', '=', false)
    .execute();
  return rows.map((r) => r.user_id);
}

export interface NewNotification {
  userId: number;
  kind: NotificationKind;
  problemId?: number | null;
  itemId?: number | null;
  messageZh: string;
  messageEn: string;
  dedupe: string;
}

/** Adds notifications, each once per user and dedupe key; returns the ids of those that are new. */
export async function insertNotifications(db: Kysely<Database>, list: readonly NewNotification[]): Promise<number[]> {
  if (list.length === 0) return [];
  const rows = await problemsDb(db)
    .insertInto('notification')
    .values(
      list.map((n) => ({
        user_id: n.userId,
        kind: n.kind,
        problem_id: n.problemId ?? null,
        item_id: n.itemId ?? null,
        message_zh: n.messageZh,
        message_en: n.messageEn,
        dedupe: n.dedupe,
        read_at: null,
        emailed_at: null,
        email_error: null,
      })),
    )
    .onConflict((oc) => oc.columns(['user_id', 'dedupe']).doNothing())
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

export async function notificationsOf(db: Kysely<Database>, userId: number, unreadOnly: boolean, limit = 200) {
  let q = problemsDb(db).selectFrom('notification').selectAll().where('user_id', '=', userId);
  if (unreadOnly) q = q.where('read_at', 'is', null);
  return q.orderBy('id', 'desc').limit(limit).execute();
}

export async function markRead(db: Kysely<Database>, userId: number, id: number): Promise<boolean> {
  const r = await problemsDb(db)
    .updateTable('notification')
    .set({ read_at: sql<Date>`coalesce(read_at, now())` })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function pendingEmails(db: Kysely<Database>, ids: number[]) {
  if (ids.length === 0) return [];
  return problemsDb(db)
    .selectFrom('notification as n')
    .innerJoin('user_contact as c', 'c.user_id', 'n.user_id')
    .select(['n.id', 'n.message_zh', 'n.message_en', 'n.kind', 'c.email'])
    .where('n.id', 'in', ids)
    .where('n.emailed_at', 'is', null)
    .execute();
}

export async function recordEmail(db: Kysely<Database>, id: number, error: string | null): Promise<void> {
  await problemsDb(db)
    .updateTable('notification')
    .set(error ? { email_error: error } : { emailed_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function setContact(db: Kysely<Database>, userId: number, email: string | null): Promise<void> {
  if (email === null) await problemsDb(db).deleteFrom('user_contact').where('user_id', '=', userId).execute();
  else
    await problemsDb(db)
      .insertInto('user_contact')
      .values({ user_id: userId, email })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ email }))
      .execute();
}

/** `indicator|org_unit` of a run's cells with the given status. */
export async function cellKeysWithStatus(db: Kysely<Database>, runId: number, status: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('evaluation_cell')
    .select(['indicator', 'org_unit'])
    .where('run_id', '=', runId)
    .where('status', '=', status)
    .execute();
  return new Set(rows.map((r) => `${r.indicator}|${r.org_unit}`));
}
