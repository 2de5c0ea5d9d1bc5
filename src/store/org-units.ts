/** Repository of org units (regions and departments). */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { OrgUnit, OrgUnitRow } from '../domain/org-unit.js';
import type { Database, OrgUnitTable } from './schema.js';

type Db = Kysely<Database>;

function toOrgUnit(row: Selectable<OrgUnitTable>): OrgUnit {
  return {
    code: row.code,
    name: row.name,
    nameEn: row.name_en,
    kind: row.kind,
    level: row.level,
    parent: row.parent,
    path: row.path,
    depth: row.depth,
    attributes: row.attributes,
  };
}

const BATCH = 1000;

/**
 * Inserts or updates units, then recomputes every materialised path from the parent links, so the
 * order of rows and of files does not matter (a province loaded after its cities re-roots them).
 */
export async function upsertOrgUnits(db: Db, units: readonly OrgUnitRow[]): Promise<void> {
  for (let i = 0; i < units.length; i += BATCH) {
    const values = units.slice(i, i + BATCH).map((u) => ({
      code: u.code,
      name: u.name,
      name_en: u.nameEn ?? null,
      kind: u.kind,
      level: u.level,
      parent: u.parent,
      path: '',
      depth: 0,
      attributes: JSON.stringify(u.attributes),
    }));
    await db
      .insertInto('org_unit')
      .values(values)
      .onConflict((oc) =>
        oc.column('code').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          name_en: eb.ref('excluded.name_en'),
          kind: eb.ref('excluded.kind'),
          level: eb.ref('excluded.level'),
          parent: eb.ref('excluded.parent'),
          attributes: eb.ref('excluded.attributes'),
        })),
      )
      .execute();
  }
  await recomputePaths(db);
}

/**
 * Paths from parent links. A unit whose parent is not stored starts a tree, with the missing
 * parent's code kept at the head of its path ('/330000/330700/') so ancestry is not lost.
 */
async function recomputePaths(db: Db): Promise<void> {
  await sql`
    WITH RECURSIVE tree (code, path, depth) AS (
      SELECT u.code,
             CASE WHEN u.parent IS NULL THEN '/' || u.code || '/' ELSE '/' || u.parent || '/' || u.code || '/' END,
             CASE WHEN u.parent IS NULL THEN 0 ELSE 1 END
        FROM org_unit u
       WHERE u.parent IS NULL OR NOT EXISTS (SELECT 1 FROM org_unit p WHERE p.code = u.parent)
      UNION ALL
      SELECT c.code, t.path || c.code || '/', t.depth + 1
        FROM org_unit c JOIN tree t ON c.parent = t.code
    )
    UPDATE org_unit u SET path = tree.path, depth = tree.depth
      FROM tree
     WHERE u.code = tree.code AND (u.path IS DISTINCT FROM tree.path OR u.depth IS DISTINCT FROM tree.depth)
  `.execute(db);
}

export async function getOrgUnit(db: Db, code: string): Promise<OrgUnit | undefined> {
  const row = await db.selectFrom('org_unit').selectAll().where('code', '=', code).executeTakeFirst();
  return row && toOrgUnit(row);
}

/** Several units by code, in one query (codes not found are left out). */
export async function getOrgUnits(db: Db, codes: readonly string[]): Promise<OrgUnit[]> {
  // PostgreSQL text cannot hold NUL: such a code names no unit (and would fail the query).
  codes = codes.filter((c) => !c.includes('\u0000'));
  const out: OrgUnit[] = [];
  for (let i = 0; i < codes.length; i += 5000) {
    const rows = await db
      .selectFrom('org_unit')
      .selectAll()
      .where('code', 'in', codes.slice(i, i + 5000))
      .execute();
    out.push(...rows.map(toOrgUnit));
  }
  return out;
}

export interface OrgUnitFilter {
  parent?: string;
  level?: OrgUnit['level'];
  kind?: OrgUnit['kind'];
  /** Units in the subtree of this code (itself included). */
  within?: string;
  limit?: number;
  offset?: number;
}

export async function listOrgUnits(db: Db, filter: OrgUnitFilter = {}): Promise<OrgUnit[]> {
  let q = db.selectFrom('org_unit').selectAll();
  if (filter.parent !== undefined) q = q.where('parent', '=', filter.parent);
  if (filter.level !== undefined) q = q.where('level', '=', filter.level);
  if (filter.kind !== undefined) q = q.where('kind', '=', filter.kind);
  if (filter.within !== undefined) {
    const root = await getOrgUnit(db, filter.within);
    if (!root) return [];
    q = q.where('path', 'like', `${escapeLike(root.path)}%`);
  }
  q = q.orderBy('code');
  if (filter.limit !== undefined) q = q.limit(filter.limit);
  if (filter.offset !== undefined) q = q.offset(filter.offset);
  return (await q.execute()).map(toOrgUnit);
}

/** The children of each of these units, by parent code. */
export async function childrenOf(db: Db, parents: readonly string[]): Promise<Map<string, OrgUnit[]>> {
  const out = new Map<string, OrgUnit[]>(parents.map((p) => [p, []]));
  if (parents.length === 0) return out;
  const rows = await db.selectFrom('org_unit').selectAll().where('parent', 'in', parents).orderBy('code').execute();
  for (const r of rows) out.get(r.parent as string)?.push(toOrgUnit(r));
  return out;
}

/** Number of units in the subtree of `code`, itself included, by level. */
export async function countSubtree(db: Db, code: string): Promise<Record<string, number>> {
  const root = await getOrgUnit(db, code);
  if (!root) return {};
  const rows = await db
    .selectFrom('org_unit')
    .select(['level', (eb) => eb.fn.countAll<string>().as('n')])
    .where('path', 'like', `${escapeLike(root.path)}%`)
    .groupBy('level')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.level, Number(r.n)]));
}

/** Number of direct children per unit, for the units given. */
export async function countChildren(db: Db, codes: readonly string[]): Promise<Map<string, number>> {
  if (codes.length === 0) return new Map();
  const rows = await db
    .selectFrom('org_unit')
    .select(['parent', (eb) => eb.fn.countAll<string>().as('n')])
    .where('parent', 'in', codes)
    .groupBy('parent')
    .execute();
  return new Map(rows.map((r) => [r.parent as string, Number(r.n)]));
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
