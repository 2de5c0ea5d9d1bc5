/** Repository of the audit trail: append and search (the table refuses updates and deletes). */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database>;

export interface AuditEntry {
  userId: number | null;
  username: string | null;
  address: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  before?: unknown;
  after?: unknown;
  outcome?: 'ok' | 'denied' | 'failed';
}

export interface AuditRecord extends Required<AuditEntry> {
  id: number;
  at: Date;
}

export async function appendAudit(db: Db, e: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      user_id: e.userId,
      username: e.username,
      address: e.address,
      action: e.action,
      target_type: e.targetType,
      target_id: e.targetId,
      before: JSON.stringify(e.before ?? null),
      after: JSON.stringify(e.after ?? null),
      outcome: e.outcome ?? 'ok',
    })
    .execute();
}

export interface AuditFilter {
  userId?: number;
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
  limit?: number;
  /** Records older than this id (for paging backwards). */
  beforeId?: number;
}

export async function searchAudit(db: Db, f: AuditFilter = {}): Promise<AuditRecord[]> {
  let q = db.selectFrom('audit_log').selectAll();
  if (f.userId !== undefined) q = q.where('user_id', '=', f.userId);
  if (f.action !== undefined) q = q.where('action', 'like', `${f.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (f.targetType !== undefined) q = q.where('target_type', '=', f.targetType);
  if (f.targetId !== undefined) q = q.where('target_id', '=', f.targetId);
  if (f.from !== undefined) q = q.where('at', '>=', f.from);
  if (f.to !== undefined) q = q.where('at', '<', f.to);
  if (f.beforeId !== undefined) q = q.where('id', '<', String(f.beforeId));
  const rows = await q
    .orderBy('id', 'desc')
    .limit(f.limit ?? 1000)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    at: r.at,
    userId: r.user_id,
    username: r.username,
    address: r.address,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    before: r.before,
    after: r.after,
    outcome: r.outcome,
  }));
}

export async function countAudit(db: Db): Promise<number> {
  const r = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
