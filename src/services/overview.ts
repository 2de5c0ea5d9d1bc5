/**
 * The leaders' one screen (全局一屏掌控), in one answer: the composite index of the city and each
 * county with its history, indicators by status by goal area, the headline goals, the latest data
 * period and whether any figure shown is synthetic. Read from the latest stored evaluation run; when
 * there is none yet, one is run first (by the system, audited), so a fresh server shows its data.
 *
 * It is the same for everyone who may read reports over the plan's root (nothing in it depends on
 * who asks), and it is asked for often (every leader's home screen), so it is answered from two
 * caches (see getOverview): what comes from the run, which never changes, and what comes from the
 * values, until a value changes.
 */
import { sql } from 'kysely';
import type { OrgUnit } from '../domain/org-unit.js';
import type { Plan } from '../domain/plan.js';
import type { Store } from '../store/db.js';
import { getOrgUnit, listOrgUnits } from '../store/org-units.js';
import { authorize, SYSTEM_CONTEXT, type RequestContext } from './context.js';
import { valueEvents } from './data.js';
import { EVALUATED_STATUSES, runEvaluation, type RunSummary } from './evaluation.js';
import { notFound } from './errors.js';
import { currentPlan } from './plans.js';

export const OVERVIEW_STATUSES = ['achieved', 'on_track', 'at_risk', 'off_track', 'no_data', 'no_target'] as const;
export type OverviewStatus = (typeof OVERVIEW_STATUSES)[number];
type StatusCounts = Record<OverviewStatus, number>;

export interface OverviewUnit {
  code: string;
  name: string;
  level: string;
  /** Composite index 0–100 in the run's year; null without one. */
  index: number | null;
  coverage: number | null;
  /** Among the root's children (null for the root). */
  rank: number | null;
  /** Previous year's rank − this year's: positive = moved up. */
  rankChange: number | null;
  dimensions: Record<string, number | null>;
  /** Its indicators by status (cells at its level). */
  statuses: StatusCounts;
  /** Index by year, base year … run year. */
  history: { year: number; index: number | null; rank: number | null }[];
}

export interface OverviewHeadline {
  indicator: string;
  name: { zh: string; en: string };
  unit: string;
  dimension: string;
  direction: string;
  year: number | null;
  value: number | null;
  status: string;
  target: { kind: string; value: number | null; year: number | null } | null;
  /** Share of the way from base to target (may lie outside 0–1); null without a target. */
  progress: number | null;
  series: { years: number[]; values: (number | null)[] };
  /** Some figure behind the value is synthetic (示例数据). */
  synthetic: boolean;
}

export interface Overview {
  plan: {
    id: string;
    title: { zh: string; en: string };
    shortTitle: { zh: string; en: string } | null;
    rootOrgUnit: string;
    baseYear: number;
    targetYear: number;
  };
  run: Pick<RunSummary, 'id' | 'asOfYear' | 'dataAsOf' | 'createdAt' | 'frozen' | 'label'> & {
    /** Values changed after the run read them: a new run would differ. */
    stale: boolean;
    /** This request ran the evaluation because none existed. */
    createdNow: boolean;
  };
  /** The latest period with data, per period type ('2024', '2025Q1', '2025-03'). */
  latestPeriods: Record<string, string>;
  /** Values behind the overview that are synthetic, and all of them (approved or submitted). */
  values: { total: number; synthetic: number };
  dimensions: { code: string; name: { zh: string; en: string }; indicators: number; statuses: StatusCounts }[];
  /** The root first, then its children by rank. */
  units: OverviewUnit[];
  headline: OverviewHeadline[];
}

const emptyCounts = (): StatusCounts => ({
  achieved: 0,
  on_track: 0,
  at_risk: 0,
  off_track: 0,
  no_data: 0,
  no_target: 0,
});
const asStatus = (s: string): OverviewStatus =>
  (OVERVIEW_STATUSES as readonly string[]).includes(s) ? (s as OverviewStatus) : 'no_data';
const finite = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);

type RunRow = Omit<Overview['run'], 'stale' | 'createdNow'>;

/** The latest run on the adjusted targets: only the columns shown (its cells are read once, below). */
async function latestRun(store: Store, planId: string): Promise<RunRow | undefined> {
  const r = await store.db
    .withTables<{ evaluation_run: { target_basis: string } }>()
    .selectFrom('evaluation_run')
    .select(['id', 'as_of_year', 'created_at', 'frozen', 'label'])
    .select(sql<string>`data_as_of::text`.as('data_as_of'))
    .where('plan_id', '=', planId)
    .where('target_basis', '=', 'adjusted')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return (
    r && {
      id: r.id,
      asOfYear: r.as_of_year,
      dataAsOf: r.data_as_of,
      createdAt: r.created_at.toISOString(),
      frozen: r.frozen,
      label: r.label,
    }
  );
}

const shown = (run: RunSummary): RunRow => ({
  id: run.id,
  asOfYear: run.asOfYear,
  dataAsOf: run.dataAsOf,
  createdAt: run.createdAt,
  frozen: run.frozen,
  label: run.label,
});

/** First runs in progress, by store and plan: concurrent first visits wait for one run, not start several. */
const firstRuns = new WeakMap<Store, Map<string, Promise<RunSummary>>>();

/** The latest run of the plan; runs one (as the system) when there is none. */
async function latestOrNewRun(store: Store, plan: Plan): Promise<{ run: RunRow; createdNow: boolean }> {
  const latest = await latestRun(store, plan.id);
  if (latest) return { run: latest, createdNow: false };
  let inFlight = firstRuns.get(store);
  if (!inFlight) firstRuns.set(store, (inFlight = new Map()));
  let running = inFlight.get(plan.id);
  if (!running) {
    running = runEvaluation(store, SYSTEM_CONTEXT, { planId: plan.id })
      .then((r) => r.run)
      .finally(() => inFlight.delete(plan.id));
    inFlight.set(plan.id, running);
  }
  return { run: shown(await running), createdNow: true };
}

/** What the overview takes from a run: fixed once the run is stored (cells and index are never rewritten). */
interface RunPart {
  dimensions: Overview['dimensions'];
  units: OverviewUnit[];
  /** Without `synthetic`, which depends on the values (LivePart). */
  headline: (Omit<OverviewHeadline, 'synthetic'> & { raw: boolean })[];
}

async function computeRunPart(store: Store, plan: Plan, run: RunRow, root: OrgUnit, children: OrgUnit[]) {
  const units = [root, ...children];
  const codes = units.map((u) => u.code);
  const cells = await store.db
    .selectFrom('evaluation_cell')
    .select(['indicator', 'org_unit', 'year', 'value', 'status', 'detail'])
    .where('run_id', '=', run.id)
    .where('org_unit', 'in', codes)
    .execute();
  const index = await store.db
    .selectFrom('evaluation_index')
    .selectAll()
    .where('run_id', '=', run.id)
    .where('org_unit', 'in', codes)
    .orderBy('year')
    .execute();

  const indicatorDimension = new Map(plan.indicators.map((i) => [i.code, i.dimension]));
  const dimensionCounts = new Map(plan.dimensions.map((d) => [d.code, emptyCounts()]));
  const unitCounts = new Map(codes.map((c) => [c, emptyCounts()]));
  const rootCells = new Map<string, (typeof cells)[number]>();
  for (const c of cells) {
    const status = asStatus(c.status);
    unitCounts.get(c.org_unit)![status]++;
    if (c.org_unit !== root.code) continue;
    rootCells.set(c.indicator, c);
    const counts = dimensionCounts.get(indicatorDimension.get(c.indicator) ?? '');
    if (counts) counts[status]++;
  }

  const overviewUnits: OverviewUnit[] = units.map((u) => {
    const rows = index.filter((r) => r.org_unit === u.code);
    const current = rows.find((r) => r.year === run.asOfYear);
    return {
      code: u.code,
      name: u.name,
      level: u.level,
      index: current?.index_value ?? null,
      coverage: current?.coverage ?? null,
      rank: current?.rank ?? null,
      rankChange: current?.rank_change ?? null,
      dimensions: current?.dimensions ?? {},
      statuses: unitCounts.get(u.code)!,
      history: rows
        .filter((r) => r.year <= run.asOfYear)
        .map((r) => ({ year: r.year, index: r.index_value, rank: r.rank })),
    };
  });
  overviewUnits.sort((a, b) =>
    a.code === root.code
      ? -1
      : b.code === root.code
        ? 1
        : (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.code.localeCompare(b.code),
  );

  const headline = plan.indicators
    .filter((i) => i.headline)
    .map((i) => {
      const c = rootCells.get(i.code);
      const detail = (c?.detail ?? {}) as {
        targets?: { kind: string; targetValue: unknown; targetYear: unknown; progress: unknown }[];
        series?: { years: number[]; values: unknown[] };
      };
      const t = detail.targets?.[0];
      const years = detail.series?.years ?? [];
      const values = (detail.series?.values ?? []).map(finite);
      const upTo = years.findIndex((y) => y > run.asOfYear);
      return {
        indicator: i.code,
        name: { zh: i.name.zh, en: i.name.en ?? i.name.zh },
        unit: i.unit,
        dimension: i.dimension,
        direction: i.direction,
        year: c?.year ?? null,
        value: c ? finite(c.value) : null,
        status: c?.status ?? 'no_data',
        target: t ? { kind: t.kind, value: finite(t.targetValue), year: finite(t.targetYear) } : null,
        progress: t ? finite(t.progress) : null,
        series: {
          years: upTo < 0 ? years : years.slice(0, upTo),
          values: upTo < 0 ? values : values.slice(0, upTo),
        },
        raw: i.computation.kind === 'raw',
      };
    });

  const part: RunPart = {
    dimensions: plan.dimensions.map((d) => ({
      code: d.code,
      name: { zh: d.name.zh, en: d.name.en ?? d.name.zh },
      indicators: plan.indicators.filter((i) => i.dimension === d.code).length,
      statuses: dimensionCounts.get(d.code)!,
    })),
    units: overviewUnits,
    headline,
  };
  return part;
}

/** What the overview takes from the values themselves: changes with every write. */
interface LivePart {
  stale: boolean;
  latestPeriods: Record<string, string>;
  values: { total: number; synthetic: number };
  /** indicator|year where some figure within the root (its own, or those rolled up into it) is synthetic. */
  syntheticRaw: Set<string>;
}

async function computeLivePart(store: Store, plan: Plan, run: RunRow, rootPath: string): Promise<LivePart> {
  // What is synthetic: the values an evaluation reads, within the plan's root.
  const valueCounts = await store.db
    .selectFrom('data_value as v')
    .innerJoin('org_unit as u', 'u.code', 'v.org_unit')
    .select([
      (eb) => eb.fn.countAll<string>().as('total'),
      sql<string>`count(*) filter (where v.synthetic)`.as('synthetic'),
    ])
    .where('u.path', 'like', `${rootPath}%`)
    .where('v.status', 'in', [...EVALUATED_STATUSES])
    .executeTakeFirstOrThrow();
  const periods = await store.db
    .selectFrom('data_value as v')
    .innerJoin('org_unit as u', 'u.code', 'v.org_unit')
    .select(['v.period_type', (eb) => eb.fn.max('v.period').as('period')])
    .where('u.path', 'like', `${rootPath}%`)
    .where('v.status', 'in', [...EVALUATED_STATUSES])
    .where('v.value', 'is not', null)
    .groupBy('v.period_type')
    .execute();
  const latestChange = await store.db
    .selectFrom('data_value')
    .select(sql<boolean>`max(updated_at) > ${run.dataAsOf}::timestamptz`.as('stale'))
    .where('status', 'in', [...EVALUATED_STATUSES])
    .executeTakeFirst();
  const rawHeadline = plan.indicators.filter((i) => i.headline && i.computation.kind === 'raw').map((i) => i.code);
  const syntheticRaw = new Set(
    rawHeadline.length === 0
      ? []
      : (
          await store.db
            .selectFrom('data_value as v')
            .innerJoin('org_unit as u', 'u.code', 'v.org_unit')
            .select(['v.indicator', 'v.period'])
            .distinct()
            .where('v.indicator', 'in', rawHeadline)
            .where('u.path', 'like', `${rootPath}%`)
            .where('v.synthetic', '=', true)
            .where('v.status', 'in', [...EVALUATED_STATUSES])
            .execute()
        ).map((r) => `${r.indicator}|${r.period.slice(0, 4)}`),
  );
  return {
    stale: !!latestChange?.stale,
    latestPeriods: Object.fromEntries(periods.map((p) => [p.period_type, String(p.period)])),
    values: { total: Number(valueCounts.total), synthetic: Number(valueCounts.synthetic) },
    syntheticRaw,
  };
}

/*
 * The caches. Both hang off the cached plan object (a new plan version is a new object, see
 * plans.getPlan), so a changed plan starts them afresh.
 *
 * Run parts, by run and the units shown: a stored run's cells and index are never rewritten, so this
 * needs no invalidation; a new run has a new id. The units (names, levels, who the root's children
 * are) are read on every request and are part of the key, so a renamed or added county shows at once.
 *
 * Live parts, by run and root: computed again after any value of this store changes (valueEvents,
 * which every write through services/data.ts emits after its commit), and after LIVE_PART_MAX_AGE_MS
 * whatever happened — the bound on how long a write by another process (a command-line import into
 * the same PostgreSQL database while the server runs) takes to show; PGlite has one process only.
 */
export const LIVE_PART_MAX_AGE_MS = 5_000;
/** Runs kept per plan: the latest, and a few before it for readers still on them. */
const RUN_PARTS_KEPT = 4;

const runParts = new WeakMap<Plan, Map<string, Promise<RunPart>>>();
const liveParts = new WeakMap<Plan, Map<string, { version: number; until: number; part: Promise<LivePart> }>>();
const valueVersions = new WeakMap<Store, number>();
valueEvents.on('changed', ({ store }) => {
  valueVersions.set(store, (valueVersions.get(store) ?? 0) + 1);
});

/** `compute()` once per key; failures are not kept. */
function memo<T>(cache: Map<string, Promise<T>>, key: string, compute: () => Promise<T>, keep: number): Promise<T> {
  const hit = cache.get(key);
  if (hit) return hit;
  const value = compute();
  cache.set(key, value);
  value.catch(() => {
    if (cache.get(key) === value) cache.delete(key);
  });
  // Oldest first (insertion order): drop the oldest beyond `keep`.
  for (const k of cache.keys()) if (cache.size > keep) cache.delete(k);
  return value;
}

function cachedRunPart(store: Store, plan: Plan, run: RunRow, root: OrgUnit, children: OrgUnit[]): Promise<RunPart> {
  let cache = runParts.get(plan);
  if (!cache) runParts.set(plan, (cache = new Map()));
  const key = JSON.stringify([run.id, run.createdAt, [root, ...children].map((u) => [u.code, u.name, u.level])]);
  return memo(cache, key, () => computeRunPart(store, plan, run, root, children), RUN_PARTS_KEPT);
}

function cachedLivePart(store: Store, plan: Plan, run: RunRow, rootPath: string): Promise<LivePart> {
  let cache = liveParts.get(plan);
  if (!cache) liveParts.set(plan, (cache = new Map()));
  const key = JSON.stringify([rootPath, run.id, run.dataAsOf]);
  // Read before computing: a write during the computation bumps it, and the next request recomputes.
  const version = valueVersions.get(store) ?? 0;
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && hit.version === version && now < hit.until) return hit.part;
  const entry = { version, until: now + LIVE_PART_MAX_AGE_MS, part: computeLivePart(store, plan, run, rootPath) };
  cache.set(key, entry);
  entry.part.catch(() => {
    if (cache.get(key) === entry) cache.delete(key);
  });
  for (const k of cache.keys()) if (cache.size > RUN_PARTS_KEPT) cache.delete(k);
  return entry.part;
}

/**
 * The overview for `ctx` (who must be allowed to read reports over the plan's root). With
 * `fresh: true` both parts are computed again, not taken from the caches (for tests and checks).
 */
export async function getOverview(
  store: Store,
  ctx: RequestContext,
  options: { fresh?: boolean } = {},
): Promise<Overview> {
  const plan = await currentPlan(store);
  const rootPath = await authorize(store, ctx, 'report.read', plan.rootOrgUnit);
  // Read on every request (a few indexed rows): who the units are, and which run is the latest.
  const [root, children, { run, createdNow }] = await Promise.all([
    getOrgUnit(store.db, plan.rootOrgUnit),
    listOrgUnits(store.db, { parent: plan.rootOrgUnit, kind: 'region' }),
    latestOrNewRun(store, plan),
  ]);
  if (!root) throw notFound(`org unit ${plan.rootOrgUnit}`);

  const [runPart, live] = options.fresh
    ? [await computeRunPart(store, plan, run, root, children), await computeLivePart(store, plan, run, rootPath)]
    : await Promise.all([cachedRunPart(store, plan, run, root, children), cachedLivePart(store, plan, run, rootPath)]);

  // Copies of what the caches hold: the answer is the caller's to change.
  const anySynthetic = live.values.synthetic > 0;
  return structuredClone({
    plan: {
      id: plan.id,
      title: { zh: plan.title.zh, en: plan.title.en ?? plan.title.zh },
      shortTitle: plan.shortTitle ? { zh: plan.shortTitle.zh, en: plan.shortTitle.en ?? plan.shortTitle.zh } : null,
      rootOrgUnit: plan.rootOrgUnit,
      baseYear: plan.baseYear,
      targetYear: plan.targetYear,
    },
    run: { ...run, stale: live.stale, createdNow },
    latestPeriods: live.latestPeriods,
    values: live.values,
    dimensions: runPart.dimensions,
    units: runPart.units,
    headline: runPart.headline.map(({ raw, ...h }) => ({
      ...h,
      // A reported figure is synthetic if its own row is; a computed one may rest on synthetic inputs.
      synthetic: raw ? h.year !== null && live.syntheticRaw.has(`${h.indicator}|${h.year}`) : anySynthetic,
    })),
  });
}
