/**
 * Repository of the plan aggregate: the plan with its dimensions, sections, tasks (and who answers
 * for them) and indicators. A plan is saved whole, replacing the previous version of the same id.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Aggregation, Computation, Dimension, Indicator, Plan, Section, Target, Task } from '../domain/plan.js';
import type { Database, IndicatorTable, PlanTaskTable } from './schema.js';

type Db = Kysely<Database>;

export interface PlanSummary {
  id: string;
  title: { zh: string; en: string };
  baseYear: number;
  targetYear: number;
  rootOrgUnit: string;
  loadedAt: Date;
}

/** Plan-level fields kept in `plan.settings` as written. */
type PlanSettings = Pick<
  Plan,
  'shortTitle' | 'issuer' | 'issued' | 'documentUrl' | 'orgUnits' | 'units' | 'evaluation'
>;

export interface PlanSource {
  file: string;
  sha256: string;
}

export async function savePlan(trx: Transaction<Database>, plan: Plan, source?: PlanSource): Promise<void> {
  await trx.deleteFrom('plan').where('id', '=', plan.id).execute();
  const settings: PlanSettings = {
    shortTitle: plan.shortTitle,
    issuer: plan.issuer,
    issued: plan.issued,
    documentUrl: plan.documentUrl,
    orgUnits: plan.orgUnits,
    units: plan.units,
    evaluation: plan.evaluation,
  };
  await trx
    .insertInto('plan')
    .values({
      id: plan.id,
      title_zh: plan.title.zh,
      title_en: plan.title.en,
      base_year: plan.baseYear,
      target_year: plan.targetYear,
      root_org_unit: plan.rootOrgUnit,
      settings: JSON.stringify(settings),
      source_file: source?.file ?? null,
      source_sha256: source?.sha256 ?? null,
    })
    .execute();
  await trx
    .insertInto('plan_dimension')
    .values(
      plan.dimensions.map((d, position) => ({
        plan_id: plan.id,
        code: d.code,
        position,
        name_zh: d.name.zh,
        name_en: d.name.en,
        goal: JSON.stringify(d.goal ?? null),
        source: d.source,
      })),
    )
    .execute();
  await trx
    .insertInto('plan_section')
    .values(
      plan.sections.map((s) => ({
        plan_id: plan.id,
        number: s.number,
        label: s.label ?? null,
        title_zh: s.title.zh,
        title_en: s.title.en,
        source: s.source,
      })),
    )
    .execute();
  await trx
    .insertInto('plan_task')
    .values(
      plan.tasks.map((t) => ({
        plan_id: plan.id,
        number: t.number,
        section: t.section,
        list: t.list,
        title_zh: t.title.zh,
        title_en: t.title.en,
        summary_zh: t.summary.zh,
        summary_en: t.summary.en ?? null,
        dimensions: t.dimensions,
        source: t.source,
      })),
    )
    .execute();
  const taskUnits = plan.tasks.flatMap((t) => [
    ...t.lead.map((u, position) => ({ ...u, role: 'lead' as const, position, task: t.number })),
    ...t.cooperating.map((u, position) => ({ ...u, role: 'cooperating' as const, position, task: t.number })),
  ]);
  if (taskUnits.length > 0)
    await trx
      .insertInto('plan_task_unit')
      .values(
        taskUnits.map((u) => ({
          plan_id: plan.id,
          task_number: u.task,
          org_unit: u.unit,
          role: u.role,
          position: u.position,
          demo: u.demo ?? false,
        })),
      )
      .execute();
  await trx
    .insertInto('indicator')
    .values(
      plan.indicators.map((i, position) => ({
        plan_id: plan.id,
        code: i.code,
        position,
        name_zh: i.name.zh,
        name_en: i.name.en,
        description: JSON.stringify(i.description ?? null),
        unit: i.unit,
        dimension: i.dimension,
        tasks: i.tasks,
        direction: i.direction,
        periodicity: i.periodicity,
        period_aggregation: i.periodAggregation,
        levels: i.levels,
        aggregation: JSON.stringify(i.aggregation),
        computation: JSON.stringify(i.computation),
        bounds: JSON.stringify(i.bounds ?? null),
        limit_value: i.limit ?? null,
        baseline: JSON.stringify(i.baseline ?? null),
        targets: JSON.stringify(i.targets),
        headline: i.headline ?? false,
        source: i.source,
        note: i.note ?? null,
      })),
    )
    .execute();
}

/** Drops undefined and null fields so a read plan equals the plan as parsed. */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as T;
}

function toIndicator(r: Selectable<IndicatorTable>): Indicator {
  return compact({
    code: r.code,
    name: { zh: r.name_zh, en: r.name_en },
    description: (r.description ?? undefined) as Indicator['description'],
    unit: r.unit,
    dimension: r.dimension,
    tasks: r.tasks,
    direction: r.direction,
    periodicity: r.periodicity,
    periodAggregation: r.period_aggregation,
    levels: r.levels as Indicator['levels'],
    aggregation: r.aggregation as Aggregation,
    computation: r.computation as Computation,
    bounds: (r.bounds ?? undefined) as Indicator['bounds'],
    limit: r.limit_value ?? undefined,
    baseline: (r.baseline ?? undefined) as Indicator['baseline'],
    targets: r.targets as Target[],
    headline: r.headline || undefined,
    source: r.source,
    note: r.note ?? undefined,
  });
}

export async function listPlans(db: Db): Promise<PlanSummary[]> {
  const rows = await db.selectFrom('plan').selectAll().orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    title: { zh: r.title_zh, en: r.title_en },
    baseYear: r.base_year,
    targetYear: r.target_year,
    rootOrgUnit: r.root_org_unit,
    loadedAt: r.loaded_at,
  }));
}

/** The file a plan was imported from and its checksum then. */
export async function getPlanSource(db: Db, id: string): Promise<PlanSource | undefined> {
  const row = await db
    .selectFrom('plan')
    .select(['source_file', 'source_sha256'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.source_file && row.source_sha256 ? { file: row.source_file, sha256: row.source_sha256 } : undefined;
}

export interface IndicatorFilter {
  dimension?: string;
  task?: number;
  codes?: readonly string[];
}

export async function listIndicators(db: Db, planId: string, filter: IndicatorFilter = {}): Promise<Indicator[]> {
  let q = db.selectFrom('indicator').selectAll().where('plan_id', '=', planId);
  if (filter.dimension !== undefined) q = q.where('dimension', '=', filter.dimension);
  if (filter.task !== undefined) q = q.where((eb) => eb(eb.val(filter.task), '=', eb.fn.any('tasks')));
  if (filter.codes !== undefined) {
    if (filter.codes.length === 0) return [];
    q = q.where('code', 'in', filter.codes);
  }
  return (await q.orderBy('position').execute()).map(toIndicator);
}

export async function getIndicator(db: Db, planId: string, code: string): Promise<Indicator | undefined> {
  const row = await db
    .selectFrom('indicator')
    .selectAll()
    .where('plan_id', '=', planId)
    .where('code', '=', code)
    .executeTakeFirst();
  return row && toIndicator(row);
}

async function taskUnits(db: Db, planId: string, numbers?: readonly number[]) {
  let q = db.selectFrom('plan_task_unit').selectAll().where('plan_id', '=', planId);
  if (numbers) q = q.where('task_number', 'in', numbers);
  return q.orderBy('task_number').orderBy('role').orderBy('position').execute();
}

function toTask(r: Selectable<PlanTaskTable>, units: Awaited<ReturnType<typeof taskUnits>>): Task {
  const mine = units.filter((u) => u.task_number === r.number);
  const ref = (u: (typeof mine)[number]) => compact({ unit: u.org_unit, demo: u.demo || undefined });
  return {
    number: r.number,
    section: r.section,
    title: { zh: r.title_zh, en: r.title_en },
    summary: compact({ zh: r.summary_zh, en: r.summary_en ?? undefined }),
    dimensions: r.dimensions,
    list: r.list,
    lead: mine.filter((u) => u.role === 'lead').map(ref),
    cooperating: mine.filter((u) => u.role === 'cooperating').map(ref),
    source: r.source,
  };
}

export interface TaskFilter {
  section?: number;
  dimension?: string;
  list?: Task['list'];
  /** Tasks this unit leads or co-operates on. */
  unit?: string;
}

export async function listTasks(db: Db, planId: string, filter: TaskFilter = {}): Promise<Task[]> {
  let q = db.selectFrom('plan_task').selectAll().where('plan_id', '=', planId);
  if (filter.section !== undefined) q = q.where('section', '=', filter.section);
  if (filter.list !== undefined) q = q.where('list', '=', filter.list);
  if (filter.dimension !== undefined) q = q.where((eb) => eb(eb.val(filter.dimension), '=', eb.fn.any('dimensions')));
  if (filter.unit !== undefined) {
    const unit = filter.unit;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('plan_task_unit as u')
          .select('u.task_number')
          .whereRef('u.plan_id', '=', 'plan_task.plan_id')
          .whereRef('u.task_number', '=', 'plan_task.number')
          .where('u.org_unit', '=', unit),
      ),
    );
  }
  const rows = await q.orderBy('number').execute();
  if (rows.length === 0) return [];
  const units = await taskUnits(
    db,
    planId,
    rows.map((r) => r.number),
  );
  return rows.map((r) => toTask(r, units));
}

/** The whole plan as the plan file holds it (for export and for the API). */
export async function getPlan(db: Db, id: string): Promise<Plan | undefined> {
  const row = await db.selectFrom('plan').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const settings = row.settings as unknown as PlanSettings;
  const [dimensions, sections, tasks, indicators] = await Promise.all([
    db.selectFrom('plan_dimension').selectAll().where('plan_id', '=', id).orderBy('position').execute(),
    db.selectFrom('plan_section').selectAll().where('plan_id', '=', id).orderBy('number').execute(),
    listTasks(db, id),
    listIndicators(db, id),
  ]);
  return compact({
    id: row.id,
    title: { zh: row.title_zh, en: row.title_en },
    shortTitle: settings.shortTitle,
    issuer: settings.issuer,
    issued: settings.issued,
    documentUrl: settings.documentUrl,
    baseYear: row.base_year,
    targetYear: row.target_year,
    rootOrgUnit: row.root_org_unit,
    orgUnits: settings.orgUnits,
    units: settings.units,
    evaluation: settings.evaluation,
    dimensions: dimensions.map((d): Dimension =>
      compact({
        code: d.code,
        name: { zh: d.name_zh, en: d.name_en },
        goal: (d.goal ?? undefined) as Dimension['goal'],
        source: d.source,
      }),
    ),
    sections: sections.map((s): Section =>
      compact({
        number: s.number,
        label: s.label ?? undefined,
        title: { zh: s.title_zh, en: s.title_en },
        source: s.source,
      }),
    ),
    tasks,
    indicators,
  });
}
