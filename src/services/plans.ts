/** Use cases of plans: validate a plan file, import it with its org units, read it back, export it. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { sql } from 'kysely';
import { stringify } from 'yaml';
import type { Indicator, Plan, Task } from '../domain/plan.js';
import type { OrgUnitRow } from '../domain/org-unit.js';
import { readOrgUnitFile, type RowProblem } from '../ingest/org-units.js';
import { readPlanFile, summarizePlan } from '../ingest/plan.js';
import type { Store } from '../store/db.js';
import { getOrgUnit, upsertOrgUnits } from '../store/org-units.js';
import * as plans from '../store/plans.js';
import { AppError, notFound } from './errors.js';
import { audit, authorize, SYSTEM_CONTEXT, type RequestContext } from './context.js';
import { syncPlanItems } from './tasks.js';

export { summarizePlan };

export interface PlanImportResult {
  plan: Plan;
  summary: string;
  orgUnits: number;
}

function formatRowProblems(problems: RowProblem[]): string {
  return problems.map((p) => `${p.file}:${p.line}${p.column ? ` (${p.column})` : ''}: ${p.message}`).join('\n');
}

/** Reads and checks a plan file and the org-unit files it names; throws INVALID_PLAN / INVALID_FILE. */
export async function readPlanWithOrgUnits(file: string): Promise<{ plan: Plan; orgUnits: OrgUnitRow[] }> {
  const read = await readPlanFile(file);
  if (!read.ok) {
    const lines = read.problems.map((p) => `${file}:${p.line}:${p.column} ${p.path}: ${p.message}`);
    throw new AppError(
      'INVALID_PLAN',
      `the plan file has ${read.problems.length} problem(s):\n${lines.join('\n')}`,
      read.problems,
    );
  }
  const plan = read.plan;
  const here = dirname(resolve(file));
  const files = [plan.orgUnits.regions, plan.orgUnits.departments].filter((f): f is string => !!f);
  const orgUnits: OrgUnitRow[] = [];
  for (const f of files) {
    const result = await readOrgUnitFile(resolve(here, f));
    if (!result.ok)
      throw new AppError(
        'INVALID_FILE',
        `the org-unit file ${f} has problems:\n${formatRowProblems(result.problems)}`,
        result.problems,
      );
    orgUnits.push(...result.units);
  }
  return { plan, orgUnits };
}

/** Units a plan refers to that are neither in its own files nor already stored. */
async function missingUnits(store: Store, plan: Plan, orgUnits: OrgUnitRow[]): Promise<string[]> {
  const known = new Set(orgUnits.map((u) => u.code));
  const wanted = new Set([
    plan.rootOrgUnit,
    ...plan.tasks.flatMap((t) => [...t.lead, ...t.cooperating].map((u) => u.unit)),
  ]);
  const missing: string[] = [];
  for (const code of wanted) if (!known.has(code) && !(await getOrgUnit(store.db, code))) missing.push(code);
  return missing;
}

async function checksum(file: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
}

/** Imports a plan file and its org units in one transaction: all of it, or nothing. */
export async function importPlan(
  store: Store,
  file: string,
  ctx: RequestContext = SYSTEM_CONTEXT,
): Promise<PlanImportResult> {
  const sha256 = await checksum(file);
  const { plan, orgUnits } = await readPlanWithOrgUnits(file);
  // A user edits the plan of a region that exists; a new region's first plan comes from the command line.
  if (ctx.actor.kind !== 'system') await authorize(store, ctx, 'plan.edit', plan.rootOrgUnit);
  const previous = await plans.getPlanSource(store.db, plan.id);
  const missing = await missingUnits(store, plan, orgUnits);
  if (missing.length > 0)
    throw new AppError('INVALID_PLAN', `the plan refers to org units that are not defined: ${missing.join(', ')}`, {
      missing,
    });
  await store.db.transaction().execute(async (trx) => {
    if (orgUnits.length > 0) await upsertOrgUnits(trx, orgUnits);
    await plans.savePlan(trx, plan, { file: resolve(file), sha256 });
    // Every task of the plan on its list (key, breakthrough, reform), once.
    await syncPlanItems(trx, plan);
    await audit(trx, ctx, {
      action: 'plan.import',
      targetType: 'plan',
      targetId: plan.id,
      before: previous ?? null,
      after: { file: resolve(file), sha256, summary: summarizePlan(plan), orgUnits: orgUnits.length },
    });
  });
  // The version check would see the new row too; this frees the old plan at once.
  forgetPlan(store, plan.id);
  return { plan, summary: summarizePlan(plan), orgUnits: orgUnits.length };
}

/**
 * For `gongfu start`: imports the plan file unless a plan was already imported from a file with the
 * same content. Returns undefined when nothing had to be done.
 */
export async function importPlanIfChanged(store: Store, file: string): Promise<PlanImportResult | undefined> {
  const sha256 = await checksum(file);
  for (const p of await plans.listPlans(store.db)) {
    const source = await plans.getPlanSource(store.db, p.id);
    if (source?.sha256 === sha256) return undefined;
  }
  return importPlan(store, file);
}

/**
 * Parsed plans, by store and plan id, with the version of the plan row they were read at. Reading a
 * plan back is a dozen queries and some JSON (~17 ms for Jinhua); checking that the cached one is
 * current is one single-row query. The version is the row's `xmin` (the transaction that wrote it)
 * with its `loaded_at`: `savePlan` replaces the row (and every child row with it) in one
 * transaction, so any rewrite — an import here, one by another process on the same PostgreSQL
 * database, a restore — gives the row a new version, and the next read parses the plan again.
 * Cached plans are frozen: every caller shares one object.
 */
const planCache = new WeakMap<Store, Map<string, { version: string; plan: Promise<Plan | undefined> }>>();

function cacheOf(store: Store) {
  let cache = planCache.get(store);
  if (!cache) planCache.set(store, (cache = new Map()));
  return cache;
}

/** Drops a cached plan (after this process changed it; the version check would also see it). */
function forgetPlan(store: Store, id: string): void {
  planCache.get(store)?.delete(id);
}

const planVersion = sql<string>`xmin::text || '|' || loaded_at::text`;

function deepFreeze<T>(x: T): T {
  if (x && typeof x === 'object' && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const v of Object.values(x)) deepFreeze(v);
  }
  return x;
}

/** The plan as of `version`, parsed once per version (concurrent readers share one read). */
function cachedPlan(store: Store, id: string, version: string): Promise<Plan | undefined> {
  const cache = cacheOf(store);
  const hit = cache.get(id);
  if (hit?.version === version) return hit.plan;
  // The version was read before the plan: a change committed in between makes the next check miss
  // and read again, never keeps a newer plan under an older version or the reverse for long.
  const plan = plans.getPlan(store.db, id).then(deepFreeze);
  const entry = { version, plan };
  cache.set(id, entry);
  plan.catch(() => {
    if (cache.get(id) === entry) cache.delete(id);
  });
  return plan;
}

/** The plan the server shows: the one named, or the most recently loaded. */
export async function currentPlanId(store: Store, wanted?: string): Promise<string> {
  if (wanted) {
    const found = await store.db.selectFrom('plan').select('id').where('id', '=', wanted).executeTakeFirst();
    if (!found) throw notFound(`plan ${wanted}`);
    return wanted;
  }
  const latest = await store.db
    .selectFrom('plan')
    .select('id')
    .orderBy('loaded_at', 'desc')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  if (!latest) throw new AppError('NO_PLAN', 'no plan is loaded: run `gongfu plan import FILE` or `gongfu start`');
  return latest.id;
}

/** The plan, parsed once per version of it (see planCache); frozen, shared by every caller. */
export async function getPlan(store: Store, id: string): Promise<Plan> {
  const row = await store.db
    .selectFrom('plan')
    .select(planVersion.as('version'))
    .where('id', '=', id)
    .executeTakeFirst();
  const plan = row && (await cachedPlan(store, id, row.version));
  if (!plan) throw notFound(`plan ${id}`);
  return plan;
}

/** The plan the server shows (see currentPlanId), from the cache: one single-row query when it is current. */
export async function currentPlan(store: Store): Promise<Plan> {
  const latest = await store.db
    .selectFrom('plan')
    .select(['id', planVersion.as('version')])
    .orderBy('loaded_at', 'desc')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  if (!latest) throw new AppError('NO_PLAN', 'no plan is loaded: run `gongfu plan import FILE` or `gongfu start`');
  const plan = await cachedPlan(store, latest.id, latest.version);
  if (!plan) return getPlan(store, latest.id); // replaced in between: read the new one
  return plan;
}

export const listPlans = (store: Store) => plans.listPlans(store.db);

export async function getPlanSummary(store: Store, id: string): Promise<plans.PlanSummary> {
  const found = (await plans.listPlans(store.db)).find((p) => p.id === id);
  if (!found) throw notFound(`plan ${id}`);
  return found;
}

export async function exportPlanYaml(store: Store, id: string): Promise<string> {
  return stringify(await getPlan(store, id), { lineWidth: 0 });
}

export function listIndicators(store: Store, planId: string, filter: plans.IndicatorFilter = {}): Promise<Indicator[]> {
  return plans.listIndicators(store.db, planId, filter);
}

export async function getIndicator(store: Store, planId: string, code: string): Promise<Indicator> {
  const indicator = await plans.getIndicator(store.db, planId, code);
  if (!indicator) throw notFound(`indicator ${code}`);
  return indicator;
}

export function listTasks(store: Store, planId: string, filter: plans.TaskFilter = {}): Promise<Task[]> {
  return plans.listTasks(store.db, planId, filter);
}
