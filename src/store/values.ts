/**
 * Repository of data values, their history and the returns (a unit's report for a period).
 *
 * A write changes `data_value` and appends the new state to `data_value_revision` in the same
 * statement, so a value is never changed without trace. Writing a value equal to the current one
 * changes nothing (no new revision): importing the same file twice is a no-op the second time.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { ValueStatus, Vintage } from '../domain/data.js';
import type { Database, DataValueRevisionTable, DataValueTable } from './schema.js';

type Db = Kysely<Database>;

export interface StoredValue {
  indicator: string;
  orgUnit: string;
  period: string;
  periodType: 'year' | 'quarter' | 'month';
  value: number | null;
  status: ValueStatus;
  vintage: Vintage | null;
  source: string | null;
  synthetic: boolean;
  comment: string | null;
  confirmedOutlier: boolean;
  revision: number;
  updatedBy: string | null;
  updatedAt: Date;
}

/** What a write sets; revision, author and time are the store's to keep. */
export type ValueWrite = Omit<StoredValue, 'revision' | 'updatedBy' | 'updatedAt'>;

export interface Who {
  userId: number | null;
  name: string | null;
}

function toValue(r: Selectable<DataValueTable>): StoredValue {
  return {
    indicator: r.indicator,
    orgUnit: r.org_unit,
    period: r.period,
    periodType: r.period_type,
    value: r.value,
    status: r.status,
    vintage: r.vintage,
    source: r.source,
    synthetic: r.synthetic,
    comment: r.comment,
    confirmedOutlier: r.confirmed_outlier,
    revision: r.revision,
    updatedBy: r.updated_by_name,
    updatedAt: r.updated_at,
  };
}

/** Rows per statement: arrays of this many elements per column (unnest), a few MB of parameters. */
const BATCH = 50_000;

/**
 * Writes values (insert or update) and records each changed one as a new revision. Returns how many
 * values changed; values identical to the current state are left alone. Rows go in as one array per
 * column (`unnest`): one statement per 50,000 rows, on PostgreSQL and PGlite alike.
 */
export async function writeValues(
  db: Db,
  rows: readonly ValueWrite[],
  who: Who,
  change: 'write' | 'import',
): Promise<number> {
  let changed = 0;
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    const col = <T>(f: (r: ValueWrite) => T) => batch.map(f);
    const result = await sql<{ n: string }>`
      WITH incoming AS (
        SELECT * FROM unnest(
          ${col((r) => r.indicator)}::text[], ${col((r) => r.orgUnit)}::text[], ${col((r) => r.period)}::text[],
          ${col((r) => r.periodType)}::text[], ${col((r) => r.value)}::double precision[], ${col((r) => r.status)}::text[],
          ${col((r) => r.vintage)}::text[], ${col((r) => r.source)}::text[], ${col((r) => r.synthetic)}::boolean[],
          ${col((r) => r.comment)}::text[], ${col((r) => r.confirmedOutlier)}::boolean[]
        ) AS t (indicator, org_unit, period, period_type, value, status, vintage, source, synthetic, comment, confirmed_outlier)
      ), upserted AS (
        INSERT INTO data_value AS d (indicator, org_unit, period, period_type, value, status, vintage, source, synthetic, comment, confirmed_outlier, updated_by, updated_by_name)
        SELECT i.*, ${who.userId}::integer, ${who.name}::text FROM incoming i
        ON CONFLICT (indicator, org_unit, period) DO UPDATE SET
          value = EXCLUDED.value, status = EXCLUDED.status, vintage = EXCLUDED.vintage, source = EXCLUDED.source,
          synthetic = EXCLUDED.synthetic, comment = EXCLUDED.comment, confirmed_outlier = EXCLUDED.confirmed_outlier,
          updated_by = EXCLUDED.updated_by, updated_by_name = EXCLUDED.updated_by_name, updated_at = now(),
          revision = d.revision + 1
        WHERE (d.value, d.status, d.vintage, d.source, d.synthetic, d.comment, d.confirmed_outlier)
          IS DISTINCT FROM (EXCLUDED.value, EXCLUDED.status, EXCLUDED.vintage, EXCLUDED.source, EXCLUDED.synthetic, EXCLUDED.comment, EXCLUDED.confirmed_outlier)
        RETURNING d.*
      ), recorded AS (
        INSERT INTO data_value_revision (indicator, org_unit, period, revision, value, status, vintage, source, synthetic, comment, confirmed_outlier, change, changed_by, changed_by_name)
        SELECT indicator, org_unit, period, revision, value, status, vintage, source, synthetic, comment, confirmed_outlier, ${change}, updated_by, updated_by_name
        FROM upserted
        RETURNING 1
      )
      SELECT count(*) AS n FROM recorded
    `.execute(db);
    changed += Number(result.rows[0]?.n ?? 0);
  }
  return changed;
}

/**
 * Sets the status of every value of a unit's return for a period (submit, approve, return, unlock)
 * and records each as a revision with the reason. Returns how many values it touched.
 */
export async function setReturnValuesStatus(
  db: Db,
  orgUnit: string,
  period: string,
  status: ValueStatus,
  change: 'submit' | 'approve' | 'return' | 'unlock',
  reason: string | null,
  who: Who,
): Promise<number> {
  const result = await sql<{ n: string }>`
    WITH updated AS (
      UPDATE data_value AS d
         SET status = ${status}, revision = d.revision + 1, updated_at = now(),
             updated_by = ${who.userId}::integer, updated_by_name = ${who.name}
       WHERE d.org_unit = ${orgUnit} AND d.period = ${period}
      RETURNING d.*
    ), recorded AS (
      INSERT INTO data_value_revision (indicator, org_unit, period, revision, value, status, vintage, source, synthetic, comment, confirmed_outlier, change, reason, changed_by, changed_by_name)
      SELECT indicator, org_unit, period, revision, value, status, vintage, source, synthetic, comment, confirmed_outlier, ${change}, ${reason}, updated_by, updated_by_name
      FROM updated
      RETURNING 1
    )
    SELECT count(*) AS n FROM recorded
  `.execute(db);
  return Number(result.rows[0]?.n ?? 0);
}

export interface ValueFilter {
  indicators?: readonly string[];
  orgUnits?: readonly string[];
  /** Units in any of these subtrees (materialised paths). */
  withinPaths?: readonly string[];
  periods?: readonly string[];
  periodType?: 'year' | 'quarter' | 'month';
  limit?: number;
}

export async function findValues(db: Db, f: ValueFilter): Promise<StoredValue[]> {
  let q = db.selectFrom('data_value').selectAll('data_value');
  if (f.indicators) {
    if (f.indicators.length === 0) return [];
    q = q.where('data_value.indicator', 'in', f.indicators);
  }
  if (f.orgUnits) {
    if (f.orgUnits.length === 0) return [];
    q = q.where('data_value.org_unit', 'in', f.orgUnits);
  }
  if (f.periods) {
    if (f.periods.length === 0) return [];
    q = q.where('data_value.period', 'in', f.periods);
  }
  if (f.periodType) q = q.where('data_value.period_type', '=', f.periodType);
  if (f.withinPaths) {
    const paths = f.withinPaths;
    if (paths.length === 0) return [];
    q = q
      .innerJoin('org_unit as u', 'u.code', 'data_value.org_unit')
      .where((eb) => eb.or(paths.map((p) => eb('u.path', 'like', `${p.replace(/[\\%_]/g, (c) => `\\${c}`)}%`))));
  }
  q = q.orderBy('data_value.indicator').orderBy('data_value.org_unit').orderBy('data_value.period');
  if (f.limit !== undefined) q = q.limit(f.limit);
  return (await q.execute()).map(toValue);
}

export interface Revision {
  revision: number;
  value: number | null;
  status: string;
  vintage: string | null;
  source: string | null;
  synthetic: boolean;
  comment: string | null;
  confirmedOutlier: boolean;
  change: string;
  reason: string | null;
  changedBy: string | null;
  changedAt: Date;
}

function toRevision(r: Selectable<DataValueRevisionTable>): Revision {
  return {
    revision: r.revision,
    value: r.value,
    status: r.status,
    vintage: r.vintage,
    source: r.source,
    synthetic: r.synthetic,
    comment: r.comment,
    confirmedOutlier: r.confirmed_outlier,
    change: r.change,
    reason: r.reason,
    changedBy: r.changed_by_name,
    changedAt: r.changed_at,
  };
}

export async function valueHistory(db: Db, indicator: string, orgUnit: string, period: string): Promise<Revision[]> {
  const rows = await db
    .selectFrom('data_value_revision')
    .selectAll()
    .where('indicator', '=', indicator)
    .where('org_unit', '=', orgUnit)
    .where('period', '=', period)
    .orderBy('revision')
    .execute();
  return rows.map(toRevision);
}

// Returns

export interface ReturnState {
  orgUnit: string;
  period: string;
  status: ValueStatus;
  locked: boolean;
  updatedAt: Date;
}

export async function getReturn(db: Db, orgUnit: string, period: string): Promise<ReturnState | undefined> {
  const r = await db
    .selectFrom('data_return')
    .selectAll()
    .where('org_unit', '=', orgUnit)
    .where('period', '=', period)
    .executeTakeFirst();
  return r && { orgUnit: r.org_unit, period: r.period, status: r.status, locked: r.locked, updatedAt: r.updated_at };
}

/** Locks the row of the return (creating it as a draft if new) for the rest of the transaction. */
export async function lockReturnRow(db: Db, orgUnit: string, period: string): Promise<ReturnState> {
  await db
    .insertInto('data_return')
    .values({ org_unit: orgUnit, period })
    .onConflict((oc) => oc.columns(['org_unit', 'period']).doNothing())
    .execute();
  const r = await db
    .selectFrom('data_return')
    .selectAll()
    .where('org_unit', '=', orgUnit)
    .where('period', '=', period)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return { orgUnit: r.org_unit, period: r.period, status: r.status, locked: r.locked, updatedAt: r.updated_at };
}

export async function setReturn(
  db: Db,
  orgUnit: string,
  period: string,
  status: ValueStatus,
  locked: boolean,
): Promise<void> {
  await db
    .updateTable('data_return')
    .set({ status, locked, updated_at: new Date() })
    .where('org_unit', '=', orgUnit)
    .where('period', '=', period)
    .execute();
}

export async function appendReturnEvent(
  db: Db,
  e: {
    orgUnit: string;
    period: string;
    action: 'submit' | 'approve' | 'return' | 'unlock';
    reason: string | null;
    who: Who;
  },
): Promise<void> {
  await db
    .insertInto('data_return_event')
    .values({
      org_unit: e.orgUnit,
      period: e.period,
      action: e.action,
      reason: e.reason,
      by_user: e.who.userId,
      by_name: e.who.name,
    })
    .execute();
}

export async function returnEvents(db: Db, orgUnit: string, period: string) {
  const rows = await db
    .selectFrom('data_return_event')
    .selectAll()
    .where('org_unit', '=', orgUnit)
    .where('period', '=', period)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ action: r.action, reason: r.reason, by: r.by_name, at: r.at }));
}

/** Which of these (unit, period) pairs are locked. */
export async function lockedReturns(
  db: Db,
  pairs: readonly { orgUnit: string; period: string }[],
): Promise<Set<string>> {
  if (pairs.length === 0) return new Set();
  const units = [...new Set(pairs.map((p) => p.orgUnit))];
  const periods = [...new Set(pairs.map((p) => p.period))];
  const rows = await db
    .selectFrom('data_return')
    .select(['org_unit', 'period'])
    .where('locked', '=', true)
    .where('org_unit', 'in', units)
    .where('period', 'in', periods)
    .execute();
  return new Set(rows.map((r) => `${r.org_unit}|${r.period}`));
}

export interface ReturnSummary extends ReturnState {
  unitName: string;
  unitLevel: string;
  unitPath: string;
  /** Values in the return. */
  values: number;
  /** The latest workflow event (who submitted, returned, approved it, and when). */
  lastEvent: { action: string; reason: string | null; by: string | null; at: Date } | null;
}

/**
 * Returns in any of the subtrees, optionally of some statuses; the longest waiting first (so an
 * approver's queue is worked from the top). Three queries whatever the count.
 */
export async function listReturns(
  db: Db,
  f: { withinPaths: readonly string[]; statuses?: readonly ValueStatus[]; limit?: number },
): Promise<ReturnSummary[]> {
  if (f.withinPaths.length === 0 || f.statuses?.length === 0) return [];
  let q = db
    .selectFrom('data_return as r')
    .innerJoin('org_unit as u', 'u.code', 'r.org_unit')
    .select(['r.org_unit', 'r.period', 'r.status', 'r.locked', 'r.updated_at', 'u.name', 'u.level', 'u.path'])
    .where((eb) => eb.or(f.withinPaths.map((p) => eb('u.path', 'like', `${p.replace(/[\\%_]/g, (c) => `\\${c}`)}%`))));
  if (f.statuses) q = q.where('r.status', 'in', f.statuses);
  const rows = await q
    .orderBy('r.updated_at')
    .orderBy('r.org_unit')
    .orderBy('r.period')
    .limit(f.limit ?? 1000)
    .execute();
  if (rows.length === 0) return [];
  const units = [...new Set(rows.map((r) => r.org_unit))];
  const periods = [...new Set(rows.map((r) => r.period))];
  const counts = await db
    .selectFrom('data_value')
    .select(['org_unit', 'period', (eb) => eb.fn.countAll<string>().as('n')])
    .where('org_unit', 'in', units)
    .where('period', 'in', periods)
    .groupBy(['org_unit', 'period'])
    .execute();
  const events = await db
    .selectFrom('data_return_event')
    .selectAll()
    .where('org_unit', 'in', units)
    .where('period', 'in', periods)
    .orderBy('id')
    .execute();
  const k = (unit: string, period: string) => `${unit}|${period}`;
  const n = new Map(counts.map((c) => [k(c.org_unit, c.period), Number(c.n)]));
  const last = new Map(
    events.map((e) => [k(e.org_unit, e.period), { action: e.action, reason: e.reason, by: e.by_name, at: e.at }]),
  );
  return rows.map((r) => ({
    orgUnit: r.org_unit,
    period: r.period,
    status: r.status,
    locked: r.locked,
    updatedAt: r.updated_at,
    unitName: r.name,
    unitLevel: r.level,
    unitPath: r.path,
    values: n.get(k(r.org_unit, r.period)) ?? 0,
    lastEvent: last.get(k(r.org_unit, r.period)) ?? null,
  }));
}

export async function countValues(db: Db): Promise<number> {
  const r = await db
    .selectFrom('data_value')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export interface EvaluationValues {
  indicator: string[];
  orgUnit: string[];
  period: string[];
  value: Float64Array;
  /**
   * The latest change among the values read (`updated_at` / `changed_at`), as PostgreSQL's text of
   * the timestamp: microseconds kept, so that reading the history as of it gives the same values.
   */
  dataAsOf: string | null;
}

/**
 * The values an evaluation reads, as columns: current ones, or — with `asOf` — the state of each
 * value at that instant, from the history (to reproduce a frozen assessment). Only values whose
 * status is in `statuses` (and not missing) count.
 */
export async function valuesForEvaluation(
  db: Db,
  f: { indicators: readonly string[]; withinPath: string; statuses: readonly ValueStatus[]; asOf?: string },
): Promise<EvaluationValues> {
  type Row = { indicator: string; org_unit: string; period: string; value: number | null; at: string; sort_at: Date };
  const within = `${f.withinPath.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows: Row[] = f.asOf
    ? (
        await sql<{ indicator: string; org_unit: string; period: string; value: number; at: string; sort_at: Date }>`
          SELECT indicator, org_unit, period, value, changed_at::text AS at, changed_at AS sort_at FROM (
            SELECT DISTINCT ON (r.indicator, r.org_unit, r.period) r.*
              FROM data_value_revision r JOIN org_unit u ON u.code = r.org_unit
             WHERE r.changed_at <= ${f.asOf}::timestamptz AND r.indicator = ANY(${[...f.indicators]}::text[]) AND u.path LIKE ${within}
             ORDER BY r.indicator, r.org_unit, r.period, r.revision DESC
          ) latest
          WHERE value IS NOT NULL AND status = ANY(${[...f.statuses]}::text[])
          ORDER BY indicator, org_unit, period`.execute(db)
      ).rows
    : await db
        .selectFrom('data_value as d')
        .innerJoin('org_unit as u', 'u.code', 'd.org_unit')
        .select([
          'd.indicator',
          'd.org_unit',
          'd.period',
          'd.value',
          sql<string>`d.updated_at::text`.as('at'),
          'd.updated_at as sort_at',
        ])
        .where('d.indicator', 'in', f.indicators.length ? f.indicators : [''])
        .where('u.path', 'like', within)
        .where('d.status', 'in', f.statuses)
        .where('d.value', 'is not', null)
        .orderBy('d.indicator')
        .orderBy('d.org_unit')
        .orderBy('d.period')
        .execute();
  let latest: { at: string; sort: Date } | null = null;
  for (const r of rows)
    if (!latest || r.sort_at > latest.sort || (r.sort_at.getTime() === latest.sort.getTime() && r.at > latest.at))
      latest = { at: r.at, sort: r.sort_at };
  return {
    indicator: rows.map((r) => r.indicator),
    orgUnit: rows.map((r) => r.org_unit),
    period: rows.map((r) => r.period),
    value: Float64Array.from(rows, (r) => r.value as number),
    dataAsOf: latest?.at ?? null,
  };
}
