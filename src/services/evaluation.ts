/**
 * Evaluation as a service: load what an evaluation reads (the plan, the region tree, the reported
 * values as matrices, household microdata), run the engine, store the result as a run. A run records
 * the instant of its data; frozen, it can be reproduced from the value history, and its fingerprint
 * says whether the reproduction read the same inputs.
 */
import type { ValueStatus } from '../domain/data.js';
import {
  axisColumn,
  makePeriod,
  periodAxis,
  periodFromIndex,
  periodIndex,
  periodType as periodTypeOf,
} from '../domain/period.js';
import { evaluate, evaluateIncrementally } from '../engine/evaluate.js';
import { toJson } from '../engine/evaluate/json.js';
import type {
  ChangedCell,
  Evaluation,
  EvaluationInput,
  HouseholdYear,
  ReportedMatrix,
} from '../engine/evaluate/types.js';
import type { Store } from '../store/db.js';
import { getOrgUnit, listOrgUnits } from '../store/org-units.js';
import { findValues, valuesForEvaluation } from '../store/values.js';
import * as runs from '../store/evaluations.js';
import type { CellRecord, IndexRecord } from '../store/evaluations.js';
import { householdsWithin } from '../store/households.js';
import { audit, authorize, type RequestContext } from './context.js';
import { AppError, notFound } from './errors.js';
import { currentPlanId, getPlan } from './plans.js';
import { valueEvents, type ValueChange } from './data.js';
import { alertsAfterRun } from './alerts.js';
import { planForBasis, type TargetBasis } from './target-adjustments.js';

/** Values that count: approved ones and those submitted for approval (drafts are work in progress). */
export const EVALUATED_STATUSES: readonly ValueStatus[] = ['approved', 'submitted'];

export interface LoadedInput {
  input: EvaluationInput;
  valuesUsed: number;
  /** PostgreSQL's text of the latest change read (microseconds kept); null when no value was read. */
  dataAsOf: string | null;
  /** The targets evaluated against, and the approved target adjustments applied (services/target-adjustments.ts). */
  targetBasis: TargetBasis;
  targetAdjustments: number[];
}

/** Everything an evaluation reads, from the database (current values, or as they stood at `dataAsOf`). */
export async function loadEvaluationInput(
  store: Store,
  planId: string,
  options: {
    dataAsOf?: string;
    asOfYear?: number;
    statuses?: readonly ValueStatus[];
    /** Default 'adjusted': the plan with the target adjustments in force (or those named) applied. */
    targets?: TargetBasis;
    targetAdjustments?: readonly number[];
  } = {},
): Promise<LoadedInput> {
  const targetBasis = options.targets ?? 'adjusted';
  const { plan, applied } = await planForBasis(
    store.db,
    await getPlan(store, planId),
    targetBasis,
    options.targetAdjustments,
  );
  const root = await getOrgUnit(store.db, plan.rootOrgUnit);
  if (!root) throw notFound(`org unit ${plan.rootOrgUnit}`);
  // The tree down to the lowest level any indicator is reported or computed at (not 3,300 empty villages).
  const levels = new Set<string>(plan.indicators.flatMap((i) => i.levels));
  const orgUnits = (await listOrgUnits(store.db, { within: plan.rootOrgUnit, kind: 'region' }))
    .filter((u) => u.code === root.code || levels.has(u.level))
    .sort((a, b) => a.depth - b.depth || a.code.localeCompare(b.code));
  const indexOf = new Map(orgUnits.map((u, i) => [u.code, i]));

  const raw = plan.indicators.filter((i) => i.computation.kind === 'raw');
  const loaded = await valuesForEvaluation(store.db, {
    indicators: raw.map((i) => i.code),
    withinPath: root.path,
    statuses: options.statuses ?? EVALUATED_STATUSES,
    ...(options.dataAsOf && { asOf: options.dataAsOf }),
  });
  // Each indicator's axis runs from the plan's base year to its last period with data.
  const last = new Map<string, number>();
  for (let k = 0; k < loaded.indicator.length; k++) {
    const p = periodIndex(loaded.period[k]!);
    const code = loaded.indicator[k]!;
    if (p > (last.get(code) ?? -Infinity)) last.set(code, p);
  }
  const reported = new Map<string, ReportedMatrix>();
  for (const i of raw) {
    const end = last.get(i.code);
    if (end === undefined) continue;
    const start = makePeriod(i.periodicity, plan.baseYear, 1);
    const to = periodFromIndex(i.periodicity, Math.max(end, periodIndex(start)));
    const axis = periodAxis(start, to);
    reported.set(i.code, { axis, values: new Float64Array(orgUnits.length * axis.length).fill(NaN) });
  }
  let used = 0;
  for (let k = 0; k < loaded.indicator.length; k++) {
    const m = reported.get(loaded.indicator[k]!);
    const unit = indexOf.get(loaded.orgUnit[k]!);
    if (!m || unit === undefined) continue;
    const column = axisColumn(m.axis, loaded.period[k]!);
    if (column < 0 || column >= m.axis.length) continue; // before the plan's base year
    m.values[unit * m.axis.length + column] = loaded.value[k]!;
    used++;
  }

  const households = await loadHouseholds(store, root.path, indexOf);
  return {
    input: {
      plan,
      orgUnits: orgUnits.map((u) => ({
        code: u.code,
        parent: u.parent,
        level: u.level,
        name: u.name,
        attributes: u.attributes,
      })),
      reported,
      households,
      ...(options.asOfYear !== undefined && { asOf: options.asOfYear }),
      // The year of the data's instant (the database session's zone) minus one: the last year that had ended.
      ...(loaded.dataAsOf !== null && { lastCompleteYear: Number(loaded.dataAsOf.slice(0, 4)) - 1 }),
      groupBy: 'mountain',
    },
    valuesUsed: used,
    dataAsOf: loaded.dataAsOf,
    targetBasis,
    targetAdjustments: applied,
  };
}

async function loadHouseholds(store: Store, rootPath: string, indexOf: Map<string, number>): Promise<HouseholdYear[]> {
  const byYear = new Map<number, Awaited<ReturnType<typeof householdsWithin>>>();
  for (const r of await householdsWithin(store.db, rootPath)) {
    if (!indexOf.has(r.org_unit)) continue;
    const list = byYear.get(r.year);
    if (list) list.push(r);
    else byYear.set(r.year, [r]);
  }
  return [...byYear].map(([year, list]) => ({
    year,
    income: Float64Array.from(list, (r) => r.disposable_income),
    size: Float64Array.from(list, (r) => r.size),
    weight: Float64Array.from(list, (r) => r.weight),
    unitIndex: Int32Array.from(list, (r) => indexOf.get(r.org_unit)!),
    urbanRural: Uint8Array.from(list, (r) => (r.urban_rural === 'rural' ? 1 : 0)),
  }));
}

export interface RunSummary {
  id: number;
  planId: string;
  asOfYear: number;
  /** The year asked for, or null when the evaluation took the latest year with data. */
  requestedYear: number | null;
  dataAsOf: string;
  fingerprint: string;
  valuesUsed: number;
  durationMs: number;
  frozen: boolean;
  label: string | null;
  createdAt: string;
  createdBy: string | null;
  /** Cells by status. */
  statuses: Record<string, number>;
  /** Evaluated against the adjusted targets (the default) or the plan's original ones. */
  targetBasis: TargetBasis;
  /** The target adjustments applied (basis 'adjusted'). */
  targetAdjustments: number[];
}

function who(ctx: RequestContext): string | null {
  return ctx.actor.kind === 'user' ? ctx.actor.username : ctx.actor.kind === 'system' ? 'system' : null;
}

const num = (x: number) => (Number.isFinite(x) ? x : null);

/** Stores an evaluation as a run: its cells (with explanations and series) and its horse race. */
async function storeRun(
  store: Store,
  ctx: RequestContext,
  ev: Evaluation,
  meta: {
    requestedYear: number | null;
    dataAsOf: string;
    valuesUsed: number;
    durationMs: number;
    frozen: boolean;
    label: string | null;
    targetBasis: TargetBasis;
    targetAdjustments: number[];
  },
): Promise<number> {
  const years = Array.from(ev.years);
  const cells: CellRecord[] = [...ev.indicators.values()].flatMap((r) =>
    r.cells.map((c) => {
      const row = c.unitIndex * years.length;
      return {
        indicator: c.indicator,
        org_unit: c.unit,
        year: num(c.year),
        value: num(c.value),
        coverage: num(c.coverage),
        origin: c.origin,
        status: c.status,
        detail: JSON.stringify(
          toJson({
            targets: c.targets,
            progress: c.progress,
            series: {
              years,
              values: Array.from(r.values.value.subarray(row, row + years.length)),
              coverage: Array.from(r.values.coverage.subarray(row, row + years.length)),
            },
          }),
        ),
      };
    }),
  );
  const h = ev.horseRace;
  const index: IndexRecord[] = [];
  for (let y = 0; y < h.years.length; y++)
    for (let u = 0; u < h.units.length; u++) {
      const k = y * h.units.length + u;
      index.push({
        org_unit: h.codes[u]!,
        year: h.years[y]!,
        index_value: num(h.index[k]!),
        coverage: num(h.indexCoverage[k]!),
        rank: num(h.rank[k]!),
        rank_change: num(h.rankChange[k]!),
        improvement: num(h.improvement[k]!),
        improvement_rank: num(h.improvementRank[k]!),
        dimensions: JSON.stringify(
          Object.fromEntries(h.dimensions.map((d, di) => [d, num(h.subIndex[k * h.dimensions.length + di]!)])),
        ),
      });
    }
  return store.db.transaction().execute(async (trx) => {
    const id = await runs.insertRun(
      trx,
      {
        planId: ev.planId,
        asOfYear: ev.asOf,
        fingerprint: ev.fingerprint,
        statuses: [...EVALUATED_STATUSES],
        createdBy: who(ctx),
        ...meta,
      },
      cells,
      index,
    );
    await audit(trx, ctx, {
      action: 'evaluation.run',
      targetType: 'evaluation_run',
      targetId: id,
      after: {
        fingerprint: ev.fingerprint,
        asOf: ev.asOf,
        cells: cells.length,
        frozen: meta.frozen,
        label: meta.label,
        targetBasis: meta.targetBasis,
        targetAdjustments: meta.targetAdjustments,
      },
    });
    return id;
  });
}

/** Evaluates the whole plan on the current data and stores the run. */
export async function runEvaluation(
  store: Store,
  ctx: RequestContext,
  options: { asOfYear?: number; freeze?: boolean; label?: string; planId?: string; targets?: TargetBasis } = {},
): Promise<{ run: RunSummary; evaluation: Evaluation }> {
  const planId = options.planId ?? (await currentPlanId(store));
  const plan = await getPlan(store, planId);
  await authorize(store, ctx, 'evaluation.run', plan.rootOrgUnit);
  const started = performance.now();
  const loaded = await loadEvaluationInput(store, planId, {
    ...(options.asOfYear !== undefined && { asOfYear: options.asOfYear }),
    ...(options.targets && { targets: options.targets }),
  });
  const ev = evaluate(loaded.input);
  const durationMs = performance.now() - started;
  const id = await storeRun(store, ctx, ev, {
    requestedYear: options.asOfYear ?? null,
    dataAsOf: loaded.dataAsOf ?? '1970-01-01 00:00:00+00',
    valuesUsed: loaded.valuesUsed,
    durationMs,
    frozen: !!options.freeze,
    label: options.label ?? null,
    targetBasis: loaded.targetBasis,
    targetAdjustments: loaded.targetAdjustments,
  });
  // Red indicators open (or update, never duplicate) problems; recovered ones say so. Only against the
  // targets in force: a run against the original targets is for comparison and raises nothing.
  if (loaded.targetBasis === 'adjusted') await alertsAfterRun(store, ctx, id);
  return { run: await getRun(store, id), evaluation: ev };
}

/** Recomputes a run from the value history as it stood then; says whether the inputs were the same. */
export async function reproduceRun(
  store: Store,
  ctx: RequestContext,
  id: number,
): Promise<{ run: RunSummary; fingerprint: string; same: boolean }> {
  const run = await viewRun(store, ctx, id);
  // The year only if the run was asked for one: the default year is part of what the fingerprint hashes.
  const loaded = await loadEvaluationInput(store, run.planId, {
    dataAsOf: run.dataAsOf,
    ...(run.requestedYear !== null && { asOfYear: run.requestedYear }),
    // The same targets: the basis, and exactly the adjustments the run applied (not those in force now).
    targets: run.targetBasis,
    targetAdjustments: run.targetAdjustments,
  });
  const ev = evaluate(loaded.input);
  return { run, fingerprint: ev.fingerprint, same: ev.fingerprint === run.fingerprint };
}

export async function getRun(store: Store, id: number): Promise<RunSummary> {
  const r = await runs.findRun(store.db, id);
  if (!r) throw notFound(`evaluation ${id}`);
  return { ...r, createdAt: r.createdAt.toISOString() };
}

/** A run, for those who may read reports over the plan's root. */
export async function viewRun(store: Store, ctx: RequestContext, id: number): Promise<RunSummary> {
  const run = await getRun(store, id);
  await authorize(store, ctx, 'report.read', (await getPlan(store, run.planId)).rootOrgUnit, {
    hide: `evaluation ${id}`,
  });
  return run;
}

export async function latestRunId(store: Store, planId?: string): Promise<number> {
  // The latest run against the targets in force: a comparison run on the original targets is not 'latest'.
  const [id] = await runs.runIds(store.db, planId ?? (await currentPlanId(store)), 1, 'adjusted');
  if (id === undefined)
    throw new AppError(
      'NOT_FOUND',
      'no evaluation has been run yet: run `gongfu evaluate` or POST /api/v1/evaluations',
    );
  return id;
}

export async function listRuns(store: Store, ctx: RequestContext): Promise<RunSummary[]> {
  const plan = await getPlan(store, await currentPlanId(store));
  await authorize(store, ctx, 'report.read', plan.rootOrgUnit, { hide: 'evaluations' });
  return Promise.all((await runs.runIds(store.db, plan.id, 100)).map((id) => getRun(store, id)));
}

export interface CellView {
  indicator: string;
  orgUnit: string;
  year: number | null;
  value: number | null;
  coverage: number | null;
  origin: string;
  status: string;
  detail: unknown;
}

/** Cells of a run the actor may read (their report.read scopes). */
export async function runCells(
  store: Store,
  ctx: RequestContext,
  id: number,
  filter: { indicator?: string | undefined; orgUnit?: string | undefined },
): Promise<CellView[]> {
  if (filter.orgUnit) {
    await getRun(store, id);
    await authorize(store, ctx, 'report.read', filter.orgUnit, { hide: `org unit ${filter.orgUnit}` });
  } else await viewRun(store, ctx, id);
  return runs.findCells(store.db, id, filter);
}

export interface RankingRow {
  orgUnit: string;
  name: string;
  index: number | null;
  coverage: number | null;
  rank: number | null;
  rankChange: number | null;
  improvement: number | null;
  improvementRank: number | null;
  dimensions: Record<string, number | null>;
}

/** The horse race of a run for a year (default: the run's evaluation year): the root first, then the counties by rank. */
export async function runRanking(
  store: Store,
  ctx: RequestContext,
  id: number,
  year?: number,
): Promise<{ year: number; rows: RankingRow[] }> {
  const run = await viewRun(store, ctx, id);
  const y = year ?? run.asOfYear;
  return { year: y, rows: await runs.findRanking(store.db, id, y) };
}

/**
 * The server's evaluation kept in memory and kept current: the inputs are loaded once; after a write
 * commits, the cells it touched are read back (one small query), patched into the input matrices, and
 * only what depends on them is recomputed (`evaluateIncrementally`), on the next read.
 */
export class LiveEvaluation {
  private loaded: LoadedInput | undefined;
  private current: Evaluation | undefined;
  private pending: ValueChange[] = [];
  private full = false;
  private readonly listener = (e: { store: Store; changes: readonly ValueChange[] }) => {
    if (e.store === this.store) this.pending.push(...e.changes);
  };

  constructor(private readonly store: Store) {
    valueEvents.on('changed', this.listener);
  }

  close(): void {
    valueEvents.off('changed', this.listener);
  }

  /** Something other than values changed (a plan, org units, microdata): evaluate everything next time. */
  invalidate(): void {
    this.full = true;
  }

  async get(): Promise<Evaluation> {
    const planId = await currentPlanId(this.store);
    if (!this.loaded || !this.current || this.full || this.current.planId !== planId) {
      this.loaded = await loadEvaluationInput(this.store, planId);
      this.current = evaluate(this.loaded.input);
      this.full = false;
      this.pending = [];
      return this.current;
    }
    if (this.pending.length === 0) return this.current;
    const changes = this.pending;
    this.pending = [];
    const changed = await this.patch(this.loaded.input, changes);
    if (changed === undefined) {
      this.full = true;
      return this.get();
    }
    this.current = evaluateIncrementally(this.current, this.loaded.input, changed);
    return this.current;
  }

  /** Reads the changed cells back and writes them into the matrices; undefined when an axis would have to grow. */
  private async patch(input: EvaluationInput, changes: readonly ValueChange[]): Promise<ChangedCell[] | undefined> {
    const units = [...new Set(changes.map((c) => c.orgUnit))];
    const periods = [...new Set(changes.map((c) => c.period))];
    const rows = await findValues(this.store.db, { orgUnits: units, periods });
    const byKey = new Map(rows.map((r) => [`${r.indicator}|${r.orgUnit}|${r.period}`, r]));
    const unitIndex = new Map(input.orgUnits.map((u, i) => [u.code, i]));
    const raw = input.plan.indicators.filter((i) => i.computation.kind === 'raw');
    const changed = new Map<string, ChangedCell>();
    for (const c of changes) {
      const u = unitIndex.get(c.orgUnit);
      if (u === undefined) continue;
      for (const i of raw) {
        if (c.indicator && c.indicator !== i.code) continue;
        const m = input.reported.get(i.code);
        const stored = byKey.get(`${i.code}|${c.orgUnit}|${c.period}`);
        if (!m) {
          if (stored) return undefined; // the first value of an indicator: build its matrix anew
          continue;
        }
        if (periodTypeOf(c.period) !== m.axis.type) continue;
        const column = axisColumn(m.axis, c.period);
        if (column < 0) continue;
        if (column >= m.axis.length) {
          if (stored) return undefined;
          continue;
        }
        const counts =
          stored && stored.value !== null && (EVALUATED_STATUSES as readonly string[]).includes(stored.status);
        const next = counts ? (stored.value as number) : NaN;
        const cell = u * m.axis.length + column;
        if (Object.is(m.values[cell], next)) continue;
        m.values[cell] = next;
        changed.set(`${i.code}|${c.orgUnit}`, { indicator: i.code, unit: c.orgUnit });
      }
    }
    return [...changed.values()];
  }
}
