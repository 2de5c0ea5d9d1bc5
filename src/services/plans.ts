/** Use cases of plans: validate a plan file, import it with its org units, read it back, export it. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
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

/** The plan the server shows: the one named, or the most recently loaded. */
export async function currentPlanId(store: Store, wanted?: string): Promise<string> {
  const all = await plans.listPlans(store.db);
  if (wanted) {
    if (!all.some((p) => p.id === wanted)) throw notFound(`plan ${wanted}`);
    return wanted;
  }
  const latest = [...all].sort((a, b) => b.loadedAt.getTime() - a.loadedAt.getTime())[0];
  if (!latest) throw new AppError('NO_PLAN', 'no plan is loaded: run `gongfu plan import FILE` or `gongfu start`');
  return latest.id;
}

export async function getPlan(store: Store, id: string): Promise<Plan> {
  const plan = await plans.getPlan(store.db, id);
  if (!plan) throw notFound(`plan ${id}`);
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
