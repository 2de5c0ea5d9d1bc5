/** Repository of stored evaluations: runs, their cells and their horse race. */
import { sql, type ColumnType, type Insertable, type Kysely } from 'kysely';
import type { Database, EvaluationCellTable, EvaluationIndexTable } from './schema.js';

type Db = Kysely<Database>;

/** Which targets a run was evaluated against (migration 0008): see services/target-adjustments.ts. */
export type TargetBasis = 'adjusted' | 'original';
type RunTargetColumns = {
  evaluation_run: {
    target_basis: ColumnType<TargetBasis, TargetBasis | undefined, TargetBasis>;
    target_adjustments: ColumnType<number[], number[] | undefined, number[]>;
  };
};
const withTargetColumns = (db: Db) => db.withTables<RunTargetColumns>();

export interface NewRun {
  planId: string;
  asOfYear: number;
  requestedYear: number | null;
  /** PostgreSQL's text of a timestamp: microseconds kept. */
  dataAsOf: string;
  fingerprint: string;
  statuses: string[];
  valuesUsed: number;
  durationMs: number;
  frozen: boolean;
  label: string | null;
  createdBy: string | null;
  /** Default 'adjusted'. */
  targetBasis?: TargetBasis;
  /** The approved adjustments applied (basis 'adjusted'); a reproduction applies the same ones. */
  targetAdjustments?: number[];
}

export type CellRecord = Omit<Insertable<EvaluationCellTable>, 'run_id'>;
export type IndexRecord = Omit<Insertable<EvaluationIndexTable>, 'run_id'>;

const CHUNK = 1000;

/** Inserts a run with its cells and horse race; returns its id. Call inside a transaction. */
export async function insertRun(
  db: Db,
  run: NewRun,
  cells: readonly CellRecord[],
  index: readonly IndexRecord[],
): Promise<number> {
  const { id } = await withTargetColumns(db)
    .insertInto('evaluation_run')
    .values({
      plan_id: run.planId,
      as_of_year: run.asOfYear,
      requested_year: run.requestedYear,
      data_as_of: sql<Date>`${run.dataAsOf}::timestamptz`,
      fingerprint: run.fingerprint,
      statuses: run.statuses,
      values_used: run.valuesUsed,
      duration_ms: Math.round(run.durationMs),
      frozen: run.frozen,
      label: run.label,
      created_by: run.createdBy,
      target_basis: run.targetBasis ?? 'adjusted',
      target_adjustments: run.targetAdjustments ?? [],
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (let i = 0; i < cells.length; i += CHUNK)
    await db
      .insertInto('evaluation_cell')
      .values(cells.slice(i, i + CHUNK).map((c) => ({ ...c, run_id: id })))
      .execute();
  for (let i = 0; i < index.length; i += CHUNK)
    await db
      .insertInto('evaluation_index')
      .values(index.slice(i, i + CHUNK).map((r) => ({ ...r, run_id: id })))
      .execute();
  return id;
}

export interface RunRecord extends Omit<NewRun, 'statuses' | 'targetBasis' | 'targetAdjustments'> {
  id: number;
  targetBasis: TargetBasis;
  targetAdjustments: number[];
  createdAt: Date;
  /** Cells by status. */
  statuses: Record<string, number>;
}

export async function findRun(db: Db, id: number): Promise<RunRecord | undefined> {
  const r = await withTargetColumns(db)
    .selectFrom('evaluation_run')
    .selectAll()
    .select(sql<string>`data_as_of::text`.as('data_as_of_text'))
    .where('id', '=', id)
    .executeTakeFirst();
  if (!r) return undefined;
  const counts = await db
    .selectFrom('evaluation_cell')
    .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
    .where('run_id', '=', id)
    .groupBy('status')
    .execute();
  return {
    id: r.id,
    planId: r.plan_id,
    asOfYear: r.as_of_year,
    requestedYear: r.requested_year,
    dataAsOf: r.data_as_of_text,
    fingerprint: r.fingerprint,
    valuesUsed: r.values_used,
    durationMs: r.duration_ms,
    frozen: r.frozen,
    label: r.label,
    createdBy: r.created_by,
    createdAt: r.created_at,
    targetBasis: r.target_basis,
    targetAdjustments: r.target_adjustments,
    statuses: Object.fromEntries(counts.map((c) => [c.status, Number(c.n)])),
  };
}

/** Ids of a plan's runs, newest first. */
/** The latest runs of a plan, newest first; `basis` keeps those against adjusted or original targets. */
export async function runIds(db: Db, planId: string, limit: number, basis?: TargetBasis): Promise<number[]> {
  const rows = await withTargetColumns(db)
    .selectFrom('evaluation_run')
    .select('id')
    .where('plan_id', '=', planId)
    .$if(basis !== undefined, (q) => q.where('target_basis', '=', basis!))
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

export async function findCells(
  db: Db,
  id: number,
  filter: { indicator?: string | undefined; orgUnit?: string | undefined },
) {
  let q = db.selectFrom('evaluation_cell').selectAll().where('run_id', '=', id);
  if (filter.indicator) q = q.where('indicator', '=', filter.indicator);
  if (filter.orgUnit) q = q.where('org_unit', '=', filter.orgUnit);
  const rows = await q.orderBy('indicator').orderBy('org_unit').execute();
  return rows.map((r) => ({
    indicator: r.indicator,
    orgUnit: r.org_unit,
    year: r.year,
    value: r.value,
    coverage: r.coverage,
    origin: r.origin,
    status: r.status,
    detail: r.detail as unknown,
  }));
}

/** The horse race of a run for a year, ranked units first (the unranked root last by rank, first by sort). */
export async function findRanking(db: Db, id: number, year: number) {
  const rows = await db
    .selectFrom('evaluation_index as e')
    .innerJoin('org_unit as u', 'u.code', 'e.org_unit')
    .select([
      'e.org_unit',
      'u.name',
      'e.index_value',
      'e.coverage',
      'e.rank',
      'e.rank_change',
      'e.improvement',
      'e.improvement_rank',
      'e.dimensions',
    ])
    .where('e.run_id', '=', id)
    .where('e.year', '=', year)
    .execute();
  return rows
    .sort((a, b) => (a.rank ?? -1) - (b.rank ?? -1) || a.org_unit.localeCompare(b.org_unit))
    .map((r) => ({
      orgUnit: r.org_unit,
      name: r.name,
      index: r.index_value,
      coverage: r.coverage,
      rank: r.rank,
      rankChange: r.rank_change,
      improvement: r.improvement,
      improvementRank: r.improvement_rank,
      dimensions: r.dimensions,
    }));
}
