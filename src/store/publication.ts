/**
 * Repository of publications (indicator × period) and of the values the public may see: approved
 * values of published periods, at the regions under a root. The table is declared here (not in
 * schema.ts) so that the publication feature stays in its own files.
 */
import { sql, type Generated, type Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface PublicationTable {
  indicator: string;
  period: string;
  published_at: Generated<Date>;
  published_by: number | null;
  published_by_name: string | null;
  demo: Generated<boolean>;
}

type Db = Kysely<Database>;
type PubDb = Kysely<Database & { publication: PublicationTable }>;
const pub = (db: Db) => db as unknown as PubDb;

export interface Publication {
  indicator: string;
  period: string;
  publishedAt: Date;
  publishedBy: string | null;
  demo: boolean;
}

export async function upsertPublications(
  db: Db,
  rows: readonly { indicator: string; period: string }[],
  by: { userId: number | null; name: string | null },
  demo = false,
): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await pub(db)
    .insertInto('publication')
    .values(
      rows.map((r) => ({
        indicator: r.indicator,
        period: r.period,
        published_by: by.userId,
        published_by_name: by.name,
        demo,
      })),
    )
    .onConflict((oc) => oc.columns(['indicator', 'period']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

export async function deletePublication(db: Db, indicator: string, period: string): Promise<boolean> {
  const r = await pub(db)
    .deleteFrom('publication')
    .where('indicator', '=', indicator)
    .where('period', '=', period)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function listPublications(db: Db, indicator?: string): Promise<Publication[]> {
  let q = pub(db).selectFrom('publication').selectAll();
  if (indicator) q = q.where('indicator', '=', indicator);
  const rows = await q.orderBy('indicator').orderBy('period').execute();
  return rows.map((r) => ({
    indicator: r.indicator,
    period: r.period,
    publishedAt: r.published_at,
    publishedBy: r.published_by_name,
    demo: r.demo,
  }));
}

export interface PublicValue {
  indicator: string;
  orgUnit: string;
  period: string;
  value: number | null;
  vintage: string | null;
  source: string | null;
  synthetic: boolean;
}

/** Approved values of published indicator periods, at regions under `rootPath`. */
export async function publishedValues(
  db: Db,
  rootPath: string,
  filter: { indicator?: string } = {},
): Promise<PublicValue[]> {
  const like = `${rootPath.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  let q = pub(db)
    .selectFrom('data_value as v')
    .innerJoin('publication as p', (j) => j.onRef('p.indicator', '=', 'v.indicator').onRef('p.period', '=', 'v.period'))
    .innerJoin('org_unit as u', 'u.code', 'v.org_unit')
    .select(['v.indicator', 'v.org_unit', 'v.period', 'v.value', 'v.vintage', 'v.source', 'v.synthetic'])
    .where('v.status', '=', 'approved')
    .where('u.kind', '=', 'region')
    .where('u.path', 'like', like);
  if (filter.indicator) q = q.where('v.indicator', '=', filter.indicator);
  const rows = await q.orderBy('v.indicator').orderBy('v.org_unit').orderBy('v.period').execute();
  return rows.map((r) => ({
    indicator: r.indicator,
    orgUnit: r.org_unit,
    period: r.period,
    value: r.value,
    vintage: r.vintage,
    source: r.source,
    synthetic: r.synthetic,
  }));
}

/** A number that changes whenever publications change (for caches). */
export async function publicationStamp(db: Db): Promise<string> {
  const r = await sql<{
    n: string;
    at: string | null;
  }>`SELECT count(*)::text AS n, max(published_at)::text AS at FROM publication`.execute(db);
  return `${r.rows[0]?.n}|${r.rows[0]?.at}`;
}
