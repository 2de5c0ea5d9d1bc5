/**
 * The leaders' one screen (全局一屏掌控), in one answer: the composite index of the city and each
 * county with its history, indicators by status by goal area, the headline goals, the latest data
 * period and whether any figure shown is synthetic. Read from the latest stored evaluation run; when
 * there is none yet, one is run first (by the system, audited), so a fresh server shows its data.
 */
import { sql } from 'kysely';
import type { Plan } from '../domain/plan.js';
import type { Store } from '../store/db.js';
import * as runs from '../store/evaluations.js';
import { getOrgUnit, listOrgUnits } from '../store/org-units.js';
import { authorize, SYSTEM_CONTEXT, type RequestContext } from './context.js';
import { EVALUATED_STATUSES, getRun, runEvaluation, type RunSummary } from './evaluation.js';
import { notFound } from './errors.js';
import { currentPlanId, getPlan } from './plans.js';

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

/** First runs in progress, by store and plan: concurrent first visits wait for one run, not start several. */
const firstRuns = new WeakMap<Store, Map<string, Promise<RunSummary>>>();

/** The latest run of the plan; runs one (as the system) when there is none. */
async function latestOrNewRun(store: Store, plan: Plan): Promise<{ run: RunSummary; createdNow: boolean }> {
  const [id] = await runs.runIds(store.db, plan.id, 1, 'adjusted');
  if (id !== undefined) return { run: await getRun(store, id), createdNow: false };
  let inFlight = firstRuns.get(store);
  if (!inFlight) firstRuns.set(store, (inFlight = new Map()));
  let running = inFlight.get(plan.id);
  if (!running) {
    running = runEvaluation(store, SYSTEM_CONTEXT, { planId: plan.id })
      .then((r) => r.run)
      .finally(() => inFlight.delete(plan.id));
    inFlight.set(plan.id, running);
  }
  return { run: await running, createdNow: true };
}

export async function getOverview(store: Store, ctx: RequestContext): Promise<Overview> {
  const plan = await getPlan(store, await currentPlanId(store));
  const rootPath = await authorize(store, ctx, 'report.read', plan.rootOrgUnit);
  const root = await getOrgUnit(store.db, plan.rootOrgUnit);
  if (!root) throw notFound(`org unit ${plan.rootOrgUnit}`);
  const { run, createdNow } = await latestOrNewRun(store, plan);

  const children = (await listOrgUnits(store.db, { within: plan.rootOrgUnit, kind: 'region' })).filter(
    (u) => u.parent === root.code,
  );
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

  const headlineIndicators = plan.indicators.filter((i) => i.headline);
  const rawHeadline = headlineIndicators.filter((i) => i.computation.kind === 'raw').map((i) => i.code);
  // indicator|year where some figure within the root (the root's own, or those it is rolled up from) is synthetic.
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
  const anySynthetic = Number(valueCounts.synthetic) > 0;

  const headline: OverviewHeadline[] = headlineIndicators.map((i) => {
    const c = rootCells.get(i.code);
    const detail = (c?.detail ?? {}) as {
      targets?: { kind: string; targetValue: unknown; targetYear: unknown; progress: unknown }[];
      series?: { years: number[]; values: unknown[] };
    };
    const t = detail.targets?.[0];
    const years = detail.series?.years ?? [];
    const values = (detail.series?.values ?? []).map(finite);
    const upTo = years.findIndex((y) => y > run.asOfYear);
    const year = c?.year ?? null;
    return {
      indicator: i.code,
      name: { zh: i.name.zh, en: i.name.en ?? i.name.zh },
      unit: i.unit,
      dimension: i.dimension,
      direction: i.direction,
      year,
      value: c ? finite(c.value) : null,
      status: c?.status ?? 'no_data',
      target: t ? { kind: t.kind, value: finite(t.targetValue), year: finite(t.targetYear) } : null,
      progress: t ? finite(t.progress) : null,
      series: {
        years: upTo < 0 ? years : years.slice(0, upTo),
        values: upTo < 0 ? values : values.slice(0, upTo),
      },
      // A reported figure is synthetic if its own row is; a computed one may rest on synthetic inputs.
      synthetic: i.computation.kind === 'raw' ? year !== null && syntheticRaw.has(`${i.code}|${year}`) : anySynthetic,
    };
  });

  return {
    plan: {
      id: plan.id,
      title: { zh: plan.title.zh, en: plan.title.en ?? plan.title.zh },
      shortTitle: plan.shortTitle ? { zh: plan.shortTitle.zh, en: plan.shortTitle.en ?? plan.shortTitle.zh } : null,
      rootOrgUnit: plan.rootOrgUnit,
      baseYear: plan.baseYear,
      targetYear: plan.targetYear,
    },
    run: {
      id: run.id,
      asOfYear: run.asOfYear,
      dataAsOf: run.dataAsOf,
      createdAt: run.createdAt,
      frozen: run.frozen,
      label: run.label,
      stale: !!latestChange?.stale,
      createdNow,
    },
    latestPeriods: Object.fromEntries(periods.map((p) => [p.period_type, String(p.period)])),
    values: { total: Number(valueCounts.total), synthetic: Number(valueCounts.synthetic) },
    dimensions: plan.dimensions.map((d) => ({
      code: d.code,
      name: { zh: d.name.zh, en: d.name.en ?? d.name.zh },
      indicators: plan.indicators.filter((i) => i.dimension === d.code).length,
      statuses: dimensionCounts.get(d.code)!,
    })),
    units: overviewUnits,
    headline,
  };
}
