/**
 * Publication and the public portal. An analyst publishes an indicator's period (value.publish, on
 * the plan's root); from then on the approved values of that indicator and period, at the plan's
 * regions, are public: the portal's series, its statuses and its downloads. Nothing else is: not a
 * draft, not a submitted value, not a period that is not published — and the statuses the public sees
 * are computed from published values alone, so that they cannot hint at unpublished ones.
 */
import { safeParsePeriod, formatPeriod } from '../domain/period.js';
import type { Indicator, Plan } from '../domain/plan.js';
import { unitOf } from '../domain/plan.js';
import { storedUnitLabel } from '../domain/units.js';
import { evaluate } from '../engine/evaluate.js';
import type { CellStatus, Evaluation } from '../engine/evaluate/types.js';
import { axisPeriod } from '../domain/period.js';
import type { Store } from '../store/db.js';
import { getOrgUnit, listOrgUnits } from '../store/org-units.js';
import * as repo from '../store/publication.js';
import { audit, authorize, type RequestContext } from './context.js';
import { valueEvents } from './data.js';
import { AppError, notFound } from './errors.js';
import { loadEvaluationInput } from './evaluation.js';
import { currentPlanId, getPlan } from './plans.js';

function who(ctx: RequestContext): { userId: number | null; name: string | null } {
  if (ctx.actor.kind === 'user') return { userId: ctx.actor.userId, name: ctx.actor.username };
  return { userId: null, name: ctx.actor.kind === 'system' ? 'system' : null };
}

async function checkedTarget(
  plan: Plan,
  indicator: string,
  period: string,
): Promise<{ indicator: Indicator; period: string }> {
  const i = plan.indicators.find((x) => x.code === indicator);
  if (!i) throw new AppError('INVALID_INPUT', `unknown indicator ${indicator}`);
  const p = safeParsePeriod(period.trim());
  if (!p.ok) throw new AppError('INVALID_INPUT', p.message);
  // Computed indicators are evaluated by year.
  const wanted = i.computation.kind === 'raw' ? i.periodicity : 'year';
  if (p.period.type !== wanted) throw new AppError('INVALID_INPUT', `indicator ${indicator} is published by ${wanted}`);
  return { indicator: i, period: formatPeriod(p.period) };
}

/** Publishes periods of an indicator (all its units at once). Publishing twice changes nothing. */
export async function publish(
  store: Store,
  ctx: RequestContext,
  input: { indicator: string; periods: readonly string[] },
  options: { demo?: boolean } = {},
): Promise<{ published: number }> {
  const plan = await getPlan(store, await currentPlanId(store));
  await authorize(store, ctx, 'value.publish', plan.rootOrgUnit);
  if (input.periods.length === 0) throw new AppError('INVALID_INPUT', 'name at least one period to publish');
  const rows: { indicator: string; period: string }[] = [];
  for (const p of input.periods)
    rows.push({ indicator: input.indicator, period: (await checkedTarget(plan, input.indicator, p)).period });
  const published = await store.db.transaction().execute(async (trx) => {
    const n = await repo.upsertPublications(trx, rows, who(ctx), options.demo ?? false);
    await audit(trx, ctx, {
      action: 'value.publish',
      targetType: 'publication',
      targetId: `${input.indicator}/${rows.map((r) => r.period).join(',')}`,
      after: { indicator: input.indicator, periods: rows.map((r) => r.period), demo: options.demo ?? false },
    });
    return n;
  });
  publicCache.delete(store);
  return { published };
}

export async function unpublish(store: Store, ctx: RequestContext, indicator: string, period: string): Promise<void> {
  const plan = await getPlan(store, await currentPlanId(store));
  await authorize(store, ctx, 'value.publish', plan.rootOrgUnit);
  const target = await checkedTarget(plan, indicator, period);
  await store.db.transaction().execute(async (trx) => {
    if (!(await repo.deletePublication(trx, indicator, target.period)))
      throw notFound(`publication ${indicator}/${target.period}`);
    await audit(trx, ctx, {
      action: 'value.unpublish',
      targetType: 'publication',
      targetId: `${indicator}/${target.period}`,
    });
  });
  publicCache.delete(store);
}

/** Publications, for the analyst's screen (anyone may see what is published; values come separately). */
export const listPublications = (store: Store, indicator?: string) => repo.listPublications(store.db, indicator);

// ——— the public side ———

interface PublicState {
  key: string;
  plan: Plan;
  evaluation: Evaluation;
  publications: repo.Publication[];
  names: Map<string, string>;
}
const publicCache = new WeakMap<Store, PublicState>();
let valueVersion = 0;
valueEvents.on('changed', () => {
  valueVersion++;
});

/**
 * The evaluation the public sees: approved values only, and of each raw indicator only its published
 * periods (the rest masked as missing). Cached until a value or a publication changes.
 */
async function publicState(store: Store): Promise<PublicState> {
  const planId = await currentPlanId(store);
  const key = `${planId}|${valueVersion}|${await repo.publicationStamp(store.db)}`;
  const cached = publicCache.get(store);
  if (cached?.key === key) return cached;
  const plan = await getPlan(store, planId);
  const publications = await repo.listPublications(store.db);
  const published = new Set(publications.map((p) => `${p.indicator}|${p.period}`));
  const loaded = await loadEvaluationInput(store, planId, { statuses: ['approved'] });
  for (const [code, m] of loaded.input.reported) {
    const n = m.values.length / m.axis.length;
    for (let c = 0; c < m.axis.length; c++) {
      if (published.has(`${code}|${formatPeriod(axisPeriod(m.axis, c))}`)) continue;
      for (let u = 0; u < n; u++) m.values[u * m.axis.length + c] = NaN;
    }
  }
  const evaluation = evaluate(loaded.input);
  const names = new Map(loaded.input.orgUnits.map((u) => [u.code, u.name ?? u.code]));
  const state = { key, plan, evaluation, publications, names };
  publicCache.set(store, state);
  return state;
}

export interface PublicPoint {
  period: string;
  value: number | null;
  synthetic: boolean;
}

export interface PublicSeries {
  orgUnit: string;
  name: string;
  status: CellStatus | null;
  points: PublicPoint[];
}

export interface PublicIndicatorSummary {
  code: string;
  name: { zh: string; en: string };
  dimension: string;
  unit: string;
  unitLabel: { zh: string; en: string };
  kind: string;
  direction: string;
  periods: string[];
  latest: { period: string; value: number | null } | null;
  status: CellStatus | null;
  synthetic: boolean;
  demo: boolean;
}

export interface PublicIndicator extends PublicIndicatorSummary {
  targets: Indicator['targets'];
  source: string;
  series: PublicSeries[];
}

function summaryOf(state: PublicState, i: Indicator, points: Map<string, PublicPoint[]>): PublicIndicatorSummary {
  const def = unitOf(state.plan, i.unit);
  const pubs = state.publications.filter((p) => p.indicator === i.code);
  const root = state.plan.rootOrgUnit;
  const rootPoints = points.get(root) ?? [];
  const last = rootPoints.filter((p) => p.value !== null).at(-1);
  const cell = state.evaluation.indicators.get(i.code)?.cells.find((c) => c.unit === root);
  return {
    code: i.code,
    name: { zh: i.name.zh, en: i.name.en ?? i.name.zh },
    dimension: i.dimension,
    unit: i.unit,
    unitLabel: { zh: storedUnitLabel(def, 'zh'), en: storedUnitLabel(def, 'en') },
    kind: def?.kind ?? 'measure',
    direction: i.direction,
    periods: pubs.map((p) => p.period),
    latest: last ? { period: last.period, value: last.value } : null,
    status: cell ? cell.status : null,
    synthetic: [...points.values()].some((list) => list.some((p) => p.synthetic)),
    demo: pubs.some((p) => p.demo),
  };
}

/** Published points by unit: stored approved values for raw indicators, the public evaluation's for computed ones. */
async function pointsOf(store: Store, state: PublicState, i: Indicator): Promise<Map<string, PublicPoint[]>> {
  const out = new Map<string, PublicPoint[]>();
  const root = await getOrgUnit(store.db, state.plan.rootOrgUnit);
  if (!root) return out;
  if (i.computation.kind === 'raw') {
    for (const v of await repo.publishedValues(store.db, root.path, { indicator: i.code }))
      out.set(v.orgUnit, [...(out.get(v.orgUnit) ?? []), { period: v.period, value: v.value, synthetic: v.synthetic }]);
    return out;
  }
  const periods = new Set(state.publications.filter((p) => p.indicator === i.code).map((p) => p.period));
  const r = state.evaluation.indicators.get(i.code);
  if (!r) return out;
  const years = Array.from(state.evaluation.years);
  for (const c of r.cells) {
    const row = c.unitIndex * years.length;
    const list = years
      .map((y, j) => ({ period: String(y), value: r.values.value[row + j]! }))
      .filter((p) => periods.has(p.period) && Number.isFinite(p.value))
      .map((p) => ({ ...p, synthetic: false }));
    if (list.length) out.set(c.unit, list);
  }
  return out;
}

export async function publicIndicators(store: Store): Promise<PublicIndicatorSummary[]> {
  const state = await publicState(store);
  const codes = new Set(state.publications.map((p) => p.indicator));
  const out: PublicIndicatorSummary[] = [];
  for (const i of state.plan.indicators)
    if (codes.has(i.code)) out.push(summaryOf(state, i, await pointsOf(store, state, i)));
  return out;
}

/** One published indicator with its series; 404 when nothing of it is published. */
export async function publicIndicator(store: Store, code: string): Promise<PublicIndicator> {
  const state = await publicState(store);
  const i = state.plan.indicators.find((x) => x.code === code);
  if (!i || !state.publications.some((p) => p.indicator === code)) throw notFound(`published indicator ${code}`);
  const points = await pointsOf(store, state, i);
  const cells = new Map((state.evaluation.indicators.get(code)?.cells ?? []).map((c) => [c.unit, c.status]));
  const counties = (await listOrgUnits(store.db, { within: state.plan.rootOrgUnit, level: 'county' })).map(
    (u) => u.code,
  );
  const units = [state.plan.rootOrgUnit, ...counties].filter((u) => points.has(u));
  return {
    ...summaryOf(state, i, points),
    targets: i.targets,
    source: i.source,
    series: units.map((u) => ({
      orgUnit: u,
      name: state.names.get(u) ?? u,
      status: cells.get(u) ?? null,
      points: (points.get(u) ?? []).sort((a, b) => a.period.localeCompare(b.period)),
    })),
  };
}

/** Published values for download (raw indicators: the stored approved values). */
export async function publicValues(
  store: Store,
  filter: { indicator?: string | undefined } = {},
): Promise<repo.PublicValue[]> {
  const plan = await getPlan(store, await currentPlanId(store));
  const root = await getOrgUnit(store.db, plan.rootOrgUnit);
  if (!root) return [];
  if (filter.indicator && !(await repo.listPublications(store.db, filter.indicator)).length)
    throw notFound(`published indicator ${filter.indicator}`);
  return repo.publishedValues(store.db, root.path, filter.indicator ? { indicator: filter.indicator } : {});
}

/**
 * The demo's publications (`gongfu start`): every raw indicator's periods up to the latest complete
 * year that hold real (not synthetic) approved figures at the plan's root or a county — so that the
 * portal opens with the published statistics. Marked demo.
 */
export async function publishDemo(store: Store, ctx: RequestContext, asOf: Date): Promise<number> {
  const plan = await getPlan(store, await currentPlanId(store));
  const lastYear = asOf.getUTCFullYear() - 1;
  const rows = await store.db
    .selectFrom('data_value')
    .select(['indicator', 'period'])
    .distinct()
    .where('synthetic', '=', false)
    .where('status', '=', 'approved')
    .where('value', 'is not', null)
    .execute();
  const raw = new Set(plan.indicators.filter((i) => i.computation.kind === 'raw').map((i) => i.code));
  const byIndicator = new Map<string, string[]>();
  for (const r of rows)
    if (raw.has(r.indicator) && Number(r.period.slice(0, 4)) <= lastYear)
      byIndicator.set(r.indicator, [...(byIndicator.get(r.indicator) ?? []), r.period]);
  let n = 0;
  for (const [indicator, periods] of byIndicator)
    n += (await publish(store, ctx, { indicator, periods }, { demo: true })).published;
  return n;
}
