/**
 * Repository of target adjustments (动态调整): a proposed change of one target of an indicator, its
 * decision, and its withdrawal. The table comes with migration 0005 and is completed by 0008; its type
 * is declared here and joined to the schema with `withTables`.
 */
import type { ColumnType, Generated, JSONColumnType, Kysely, Selectable } from 'kysely';
import type { Target } from '../domain/plan.js';
import type { Database } from './schema.js';

type Json<T extends object> = JSONColumnType<T, string, string>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export const ADJUSTMENT_STATUSES = ['proposed', 'approved', 'rejected', 'withdrawn', 'superseded'] as const;
export type AdjustmentStatus = (typeof ADJUSTMENT_STATUSES)[number];

export interface TargetAdjustmentTable {
  id: Generated<number>;
  plan_id: string;
  indicator: string;
  /** Position in the indicator's targets, from 0. */
  target_index: number;
  original: Json<Target>;
  adjusted: Json<Target>;
  justification: string;
  status: Generated<AdjustmentStatus>;
  proposed_by: string | null;
  proposed_by_user: number | null;
  proposed_at: Generated<Date>;
  decided_by: string | null;
  decided_by_user: number | null;
  decided_at: Timestamp | null;
  decision_note: string | null;
  withdrawn_by: string | null;
  withdrawn_at: Timestamp | null;
  withdraw_reason: string | null;
}

export type AdjustmentTables = { target_adjustment: TargetAdjustmentTable };
export type AdjustmentDb = Kysely<Database & AdjustmentTables>;
const adjustmentsDb = (db: Kysely<Database>): AdjustmentDb => db.withTables<AdjustmentTables>();

export type AdjustmentRow = Selectable<TargetAdjustmentTable>;

export interface AdjustmentFilter {
  planId: string;
  status?: AdjustmentStatus | undefined;
  indicator?: string | undefined;
  ids?: readonly number[] | undefined;
}

export async function findAdjustments(db: Kysely<Database>, f: AdjustmentFilter): Promise<AdjustmentRow[]> {
  let q = adjustmentsDb(db).selectFrom('target_adjustment').selectAll().where('plan_id', '=', f.planId);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.indicator) q = q.where('indicator', '=', f.indicator);
  if (f.ids) q = q.where('id', 'in', f.ids.length ? [...f.ids] : [-1]);
  return q.orderBy('indicator').orderBy('target_index').orderBy('id').execute();
}

/** The approved adjustments of a plan: at most one per target (a unique index keeps it so). */
export const adjustmentsInForce = (db: Kysely<Database>, planId: string) =>
  findAdjustments(db, { planId, status: 'approved' });

export async function findAdjustment(db: Kysely<Database>, id: number): Promise<AdjustmentRow | undefined> {
  return adjustmentsDb(db).selectFrom('target_adjustment').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Locks the row for a decision (inside a transaction), so that two deciders cannot both decide. */
export async function findAdjustmentForUpdate(db: Kysely<Database>, id: number): Promise<AdjustmentRow | undefined> {
  return adjustmentsDb(db)
    .selectFrom('target_adjustment')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** The adjustment of the same target in `status`, if any (other than `exceptId`). */
export async function findForTarget(
  db: Kysely<Database>,
  key: { planId: string; indicator: string; targetIndex: number },
  status: AdjustmentStatus,
): Promise<AdjustmentRow | undefined> {
  return adjustmentsDb(db)
    .selectFrom('target_adjustment')
    .selectAll()
    .where('plan_id', '=', key.planId)
    .where('indicator', '=', key.indicator)
    .where('target_index', '=', key.targetIndex)
    .where('status', '=', status)
    .executeTakeFirst();
}

export interface NewAdjustment {
  planId: string;
  indicator: string;
  targetIndex: number;
  original: Target;
  adjusted: Target;
  justification: string;
  proposedBy: string | null;
  proposedByUser: number | null;
}

export async function insertAdjustment(db: Kysely<Database>, n: NewAdjustment): Promise<number> {
  const { id } = await adjustmentsDb(db)
    .insertInto('target_adjustment')
    .values({
      plan_id: n.planId,
      indicator: n.indicator,
      target_index: n.targetIndex,
      original: JSON.stringify(n.original),
      adjusted: JSON.stringify(n.adjusted),
      justification: n.justification,
      proposed_by: n.proposedBy,
      proposed_by_user: n.proposedByUser,
      decided_by: null,
      decided_by_user: null,
      decided_at: null,
      decision_note: null,
      withdrawn_by: null,
      withdrawn_at: null,
      withdraw_reason: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function decideAdjustment(
  db: Kysely<Database>,
  id: number,
  d: { status: 'approved' | 'rejected'; by: string | null; byUser: number | null; note: string | null },
): Promise<void> {
  await adjustmentsDb(db)
    .updateTable('target_adjustment')
    .set({
      status: d.status,
      decided_by: d.by,
      decided_by_user: d.byUser,
      decided_at: new Date(),
      decision_note: d.note,
    })
    .where('id', '=', id)
    .execute();
}

export async function setStatus(db: Kysely<Database>, id: number, status: AdjustmentStatus): Promise<void> {
  await adjustmentsDb(db).updateTable('target_adjustment').set({ status }).where('id', '=', id).execute();
}

export async function withdrawAdjustment(
  db: Kysely<Database>,
  id: number,
  w: { by: string | null; reason: string | null },
): Promise<void> {
  await adjustmentsDb(db)
    .updateTable('target_adjustment')
    .set({ status: 'withdrawn', withdrawn_by: w.by, withdrawn_at: new Date(), withdraw_reason: w.reason })
    .where('id', '=', id)
    .execute();
}
