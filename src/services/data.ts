/**
 * Use cases of data collection: the entry form of a unit and period, saving values (from a form, a
 * file or another system — the same checks every time), submitting a return, approving or returning
 * it, unlocking an approved one, reading values and their history.
 */
import { EventEmitter } from 'node:events';
import type { Issue, Location, ValueInput, ValueStatus } from '../domain/data.js';
import { messages } from '../domain/data.js';
import type { Indicator, Plan } from '../domain/plan.js';
import { can, scopesOf } from '../domain/access.js';
import {
  comparePeriods,
  formatPeriod,
  latestCompletePeriod,
  makePeriod,
  MIN_YEAR,
  parsePeriod,
  samePeriod,
  periodContaining,
  PERIODS_PER_YEAR,
  periodRange,
  previousPeriod as previous,
  safeParsePeriod,
} from '../domain/period.js';
import { dueDate, releaseLagDays } from '../domain/timeliness.js';
import { checkValue, type CheckedValue, type UnitInfo, type ValidationContext } from '../domain/validation.js';
import {
  DEFAULT_OUTLIER_SETTINGS,
  modifiedZ,
  relativeChange,
  robustCentre,
  type OutlierSettings,
  type RobustCentre,
} from '../engine/outliers.js';
import type { Store } from '../store/db.js';
import { childrenOf, getOrgUnit, getOrgUnits, listOrgUnits } from '../store/org-units.js';
import * as values from '../store/values.js';
import { audit, authorize, requireSignedIn, type RequestContext } from './context.js';
import { AppError, notFound } from './errors.js';
import { currentPlanId, getPlan } from './plans.js';

/** A value (or, without `indicator`, every value of a unit's return) that changed. */
export interface ValueChange {
  indicator?: string;
  orgUnit: string;
  period: string;
}

/**
 * Tells listeners (the server's live evaluation) which values changed, after the change commits:
 * `valueEvents.on('changed', ({ store, changes }) => …)`.
 */
export const valueEvents = new EventEmitter<{ changed: [{ store: Store; changes: readonly ValueChange[] }] }>();

export interface DataSettings {
  outliers: OutlierSettings;
}

const DEFAULTS: DataSettings = { outliers: DEFAULT_OUTLIER_SETTINGS };

function who(ctx: RequestContext): values.Who {
  switch (ctx.actor.kind) {
    case 'user':
      return { userId: ctx.actor.userId, name: ctx.actor.username };
    case 'system':
      return { userId: null, name: 'system' };
    case 'anonymous':
      return { userId: null, name: null };
  }
}

/** The plan's indicators by code, and a validation context over the stored org units. */
function validationContext(plan: Plan, units: Map<string, UnitInfo | null>): ValidationContext {
  return {
    plan,
    indicators: new Map(plan.indicators.map((i) => [i.code, i])),
    unit: (code) => units.get(code) ?? undefined,
    period: (text) => {
      const p = safeParsePeriod(text.trim());
      return p.ok ? { ok: true, id: formatPeriod(p.period), type: p.period.type } : { ok: false, why: p.message };
    },
  };
}

/** The org units a batch refers to, in one query; unknown codes map to null. */
async function loadUnits(store: Store, codes: Iterable<string>): Promise<Map<string, UnitInfo | null>> {
  const wanted = [...new Set(codes)];
  const found = await getOrgUnits(store.db, wanted);
  const out = new Map<string, UnitInfo | null>(wanted.map((c) => [c, null]));
  for (const u of found) out.set(u.code, { code: u.code, level: u.level, path: u.path, parent: u.parent });
  return out;
}

const key = (indicator: string, orgUnit: string, period: string) => `${indicator}|${orgUnit}|${period}`;
/** The period before `id`; for the first period there is (the start of MIN_YEAR), '' — which no value has. */
const previousPeriod = (id: string) => {
  const p = parsePeriod(id);
  return samePeriod(p, makePeriod(p.type, MIN_YEAR)) ? '' : formatPeriod(previous(p));
};

/** A period id from user input, or INVALID_INPUT saying what is wrong with it. */
function checkedPeriod(text: string): { id: string; type: 'year' | 'quarter' | 'month' } {
  const p = safeParsePeriod(text.trim());
  if (!p.ok) throw new AppError('INVALID_INPUT', p.message);
  return { id: formatPeriod(p.period), type: p.period.type };
}

/**
 * Warnings a reporter confirms with a comment, for checked values: a value for a period that has not
 * ended (an estimate), a jump from the unit's previous period, and a robust z-score among the
 * siblings' values of the same period (stored values, overridden by the batch's own). Three queries
 * whatever the batch size: previous values, the siblings, and the siblings' values.
 */
async function plausibilityWarnings(
  store: Store,
  checked: CheckedValue[],
  settings: OutlierSettings,
  now: Date,
): Promise<Map<string, Issue[]>> {
  const out = new Map<string, Issue[]>();
  const withValue = checked.filter((c) => c.input.value !== null);
  if (withValue.length === 0) return out;
  const add = (c: CheckedValue, issue: Issue) => {
    const k = key(c.indicator.code, c.unit.code, c.period);
    out.set(k, [...(out.get(k) ?? []), issue]);
  };
  const indicators = [...new Set(withValue.map((c) => c.indicator.code))];
  const periods = [...new Set(withValue.map((c) => c.period))];
  const previous = await values.findValues(store.db, {
    indicators,
    orgUnits: [...new Set(withValue.map((c) => c.unit.code))],
    periods: [...new Set(periods.map(previousPeriod))],
  });
  const siblings = await childrenOf(store.db, [
    ...new Set(withValue.map((c) => c.unit.parent).filter((p): p is string => !!p)),
  ]);
  const peerCodes = [...new Set([...siblings.values()].flat().map((u) => u.code))];
  const stored = await values.findValues(store.db, { indicators, orgUnits: peerCodes, periods });
  const known = new Map<string, number | null>();
  for (const v of [...previous, ...stored]) known.set(key(v.indicator, v.orgUnit, v.period), v.value);
  for (const c of withValue) known.set(key(c.indicator.code, c.unit.code, c.period), c.input.value);

  // One centre (median, MAD) per group of siblings: indicator × parent × level × period.
  const centres = new Map<string, RobustCentre>();
  const centreOf = (c: CheckedValue): RobustCentre | undefined => {
    if (!c.unit.parent) return undefined;
    const group = `${c.indicator.code}|${c.unit.parent}|${c.unit.level}|${c.period}`;
    let centre = centres.get(group);
    if (!centre) {
      const peers = (siblings.get(c.unit.parent) ?? [])
        .filter((u) => u.level === c.unit.level)
        .map((u) => known.get(key(c.indicator.code, u.code, c.period)))
        .filter((v): v is number => v !== undefined && v !== null);
      centre = robustCentre(peers);
      centres.set(group, centre);
    }
    return centre;
  };

  for (const c of withValue) {
    const x = c.input.value as number;
    const where = { indicator: c.indicator.code, orgUnit: c.unit.code, period: c.period };
    if (comparePeriods(c.period, latestCompletePeriod(c.periodType, now)) > 0)
      add(c, { code: 'period_not_ended', severity: 'warning', message: messages.periodNotEnded(c.period), ...where });
    const prev = known.get(key(c.indicator.code, c.unit.code, previousPeriod(c.period)));
    if (prev !== undefined && prev !== null) {
      const change = relativeChange(x, prev);
      if (Math.abs(change) > settings.jump)
        add(c, { code: 'jump', severity: 'warning', message: messages.jump(x, prev, change), ...where });
    }
    const centre = centreOf(c);
    if (!centre || centre.n < settings.minSiblings) continue;
    const z = modifiedZ(x, centre);
    if (Math.abs(z) > settings.robustZ)
      add(c, { code: 'sibling_outlier', severity: 'warning', message: messages.siblingOutlier(z), ...where });
  }
  return out;
}

export interface SaveResult {
  saved: number;
  changed: number;
  /** Warnings to confirm before submission, and (with `partial`) the rejected rows' errors. */
  issues: Issue[];
}

export interface SaveOptions {
  /** Write the good rows and report the bad ones, instead of all-or-nothing. */
  partial?: boolean;
  change?: 'write' | 'import';
  /** Status given to saved values (official statistics imported by an analyst may come approved). */
  status?: ValueStatus;
  settings?: DataSettings;
  planId?: string;
  /** Where each input came from (same order as the inputs), for messages. */
  locations?: readonly (Location | undefined)[];
  /** Problems found before (reading the file): they count like the checks' own. */
  priorIssues?: readonly Issue[];
  /** The instant that decides which periods have started and ended (default: now, local calendar). */
  now?: Date;
}

/**
 * Checks and saves values. By default all-or-nothing: any error and nothing is written (the errors
 * come back as INVALID_INPUT with every row's issue). Outliers are warnings: the values are saved
 * as drafts, and submission waits until each is confirmed with a comment.
 */
export async function saveValues(
  store: Store,
  ctx: RequestContext,
  inputs: readonly ValueInput[],
  options: SaveOptions = {},
): Promise<SaveResult> {
  requireSignedIn(ctx);
  const now = options.now ?? new Date();
  const plan = await getPlan(store, options.planId ?? (await currentPlanId(store)));
  const units = await loadUnits(
    store,
    inputs.map((i) => i.orgUnit),
  );
  const vctx = validationContext(plan, units);
  const errors: Issue[] = (options.priorIssues ?? []).filter((i) => i.severity === 'error');
  const checked: CheckedValue[] = [];
  const seen = new Map<string, number>();
  inputs.forEach((input, i) => {
    const where = options.locations?.[i] ?? {};
    const r = checkValue(input, where, vctx);
    if (!r.ok) {
      errors.push(...r.issues);
      return;
    }
    const k = key(r.value.indicator.code, r.value.unit.code, r.value.period);
    const first = seen.get(k);
    if (first !== undefined) {
      errors.push({
        code: 'duplicate_row',
        severity: 'error',
        message: messages.duplicateRow(options.locations?.[first]?.row ?? first + 1),
        ...where,
        indicator: input.indicator,
        orgUnit: input.orgUnit,
        period: input.period,
      });
      return;
    }
    seen.set(k, i);
    // A period that has not begun has nothing to report yet (a typo such as 2062 for 2026).
    if (comparePeriods(r.value.period, periodContaining(r.value.periodType, now)) > 0) {
      errors.push({
        code: 'period_not_started',
        severity: 'error',
        message: messages.periodNotStarted(r.value.period),
        ...where,
        indicator: input.indicator,
        orgUnit: input.orgUnit,
        period: input.period,
      });
      return;
    }
    if (!can(ctx.actor, 'value.write', r.value.unit.path)) {
      errors.push({
        code: 'not_in_scope',
        severity: 'error',
        message: messages.notInScope(input.orgUnit),
        ...where,
        indicator: input.indicator,
        orgUnit: input.orgUnit,
        period: input.period,
      });
      return;
    }
    checked.push(r.value);
  });
  // A write into an approved (locked) return is refused, whoever writes.
  const locked = await values.lockedReturns(
    store.db,
    checked.map((c) => ({ orgUnit: c.unit.code, period: c.period })),
  );
  const open = checked.filter((c) => {
    if (!locked.has(`${c.unit.code}|${c.period}`)) return true;
    errors.push({
      code: 'locked',
      severity: 'error',
      message: messages.locked(),
      indicator: c.indicator.code,
      orgUnit: c.unit.code,
      period: c.period,
    });
    return false;
  });
  // In file order, so that a person can go down the file fixing it.
  errors.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  if (errors.length > 0 && !options.partial) {
    // Writing outside one's grant is a matter of permission (403), whatever else is wrong with the batch.
    const outside = errors.filter((e) => e.code === 'not_in_scope').length;
    if (outside > 0)
      throw new AppError(
        'FORBIDDEN',
        `${outside} value(s) are for units you may not report for; nothing was saved`,
        errors,
      );
    const code = options.change === 'import' ? 'INVALID_FILE' : 'INVALID_INPUT';
    throw new AppError(code, `${errors.length} value(s) cannot be saved; nothing was saved`, errors);
  }
  const warnings = await plausibilityWarnings(store, open, (options.settings ?? DEFAULTS).outliers, now);
  const rows: values.ValueWrite[] = open.map((c) => ({
    indicator: c.indicator.code,
    orgUnit: c.unit.code,
    period: c.period,
    periodType: c.periodType,
    value: c.input.value,
    status: options.status ?? 'draft',
    vintage: c.input.vintage ?? null,
    source: c.input.source ?? null,
    synthetic: c.input.synthetic ?? false,
    comment: c.input.comment?.trim() || null,
    confirmedOutlier: !!c.input.confirmOutlier,
  }));
  const changed = await store.db.transaction().execute(async (trx) => {
    const n = await values.writeValues(trx, rows, who(ctx), options.change ?? 'write');
    await audit(trx, ctx, {
      action: options.change === 'import' ? 'value.import' : 'value.write',
      targetType: 'data_value',
      targetId: summariseTarget(rows),
      after: { values: rows.length, changed: n, rejected: errors.length },
    });
    return n;
  });
  if (changed > 0)
    valueEvents.emit('changed', {
      store,
      changes: rows.map((r) => ({ indicator: r.indicator, orgUnit: r.orgUnit, period: r.period })),
    });
  const confirmed = new Set(
    open.filter((c) => c.input.confirmOutlier).map((c) => key(c.indicator.code, c.unit.code, c.period)),
  );
  const unconfirmed = [...warnings.entries()].filter(([k]) => !confirmed.has(k)).flatMap(([, w]) => w);
  return { saved: rows.length, changed, issues: [...errors, ...unconfirmed] };
}

function summariseTarget(rows: readonly values.ValueWrite[]): string {
  const units = [...new Set(rows.map((r) => r.orgUnit))];
  const periods = [...new Set(rows.map((r) => r.period))];
  return `${units.length === 1 ? units[0] : `${units.length} units`}/${periods.length === 1 ? periods[0] : `${periods.length} periods`}`;
}

// The entry form

export interface FormRow {
  indicator: Pick<Indicator, 'code' | 'name' | 'unit' | 'direction' | 'bounds'>;
  previous: { period: string; value: number | null } | null;
  /** The first target, described ("≥ 75000 by 2025"). */
  target: string | null;
  current: {
    value: number | null;
    status: ValueStatus;
    comment: string | null;
    synthetic: boolean;
    revision: number;
  } | null;
  issues: Issue[];
}

export interface EntryForm {
  orgUnit: { code: string; name: string; level: string };
  period: string;
  status: ValueStatus;
  locked: boolean;
  rows: FormRow[];
}

export function describeTarget(indicator: Indicator, targetYear: number): string | null {
  const t = indicator.targets[0];
  if (!t) return null;
  switch (t.kind) {
    case 'level':
      return `${t.op} ${t.value}${t.tolerance ? ` ± ${t.tolerance}` : ''} (${t.year ?? targetYear})`;
    case 'growth':
      return t.rate !== undefined ? `${t.op} ${Math.round(t.rate * 1000) / 10}%/yr` : `${t.op} +${t.amount}/yr`;
    case 'yearly':
      return `${t.op} ${t.value} every year`;
    case 'cumulative':
      return `${t.op} ${t.value} in total by ${t.year ?? targetYear}`;
    case 'trend':
      return indicator.direction === 'up' ? 'rising every year' : 'falling every year';
    case 'relative':
      return `${t.measure} ${t.op} ${t.reference.indicator ?? ''}${t.reference.orgUnit ? `@${t.reference.orgUnit}` : ''}`;
    case 'rank':
      return `rank ${t.op} ${t.value} in ${t.among}`;
  }
}

/** The indicators a unit reports for a period (only those that apply), with last period's value and the target. */
export async function entryForm(
  store: Store,
  ctx: RequestContext,
  orgUnit: string,
  periodText: string,
): Promise<EntryForm> {
  await authorize(store, ctx, 'value.read', orgUnit, { hide: `org unit ${orgUnit}` });
  const period = checkedPeriod(periodText);
  const unit = (await getOrgUnit(store.db, orgUnit))!;
  const plan = await getPlan(store, await currentPlanId(store));
  const applicable = plan.indicators.filter(
    (i) =>
      i.computation.kind === 'raw' &&
      i.periodicity === period.type &&
      (i.levels as readonly string[]).includes(unit.level),
  );
  const codes = applicable.map((i) => i.code);
  const prev = previousPeriod(period.id);
  const stored = await values.findValues(store.db, {
    indicators: codes,
    orgUnits: [orgUnit],
    periods: [period.id, prev],
  });
  const at = new Map(stored.map((v) => [`${v.indicator}|${v.period}`, v]));
  const ret = await values.getReturn(store.db, orgUnit, period.id);
  const checked: CheckedValue[] = [];
  for (const i of applicable) {
    const cur = at.get(`${i.code}|${period.id}`);
    if (cur && cur.value !== null)
      checked.push({
        input: {
          indicator: i.code,
          orgUnit,
          period: period.id,
          value: cur.value,
          confirmOutlier: cur.confirmedOutlier,
        },
        indicator: i,
        unit: { code: unit.code, level: unit.level, path: unit.path, parent: unit.parent },
        period: period.id,
        periodType: period.type,
      });
  }
  const warnings = await plausibilityWarnings(store, checked, DEFAULTS.outliers, new Date());
  return {
    orgUnit: { code: unit.code, name: unit.name, level: unit.level },
    period: period.id,
    status: ret?.status ?? 'draft',
    locked: ret?.locked ?? false,
    rows: applicable.map((i) => {
      const cur = at.get(`${i.code}|${period.id}`);
      const before = at.get(`${i.code}|${prev}`);
      return {
        indicator: {
          code: i.code,
          name: i.name,
          unit: i.unit,
          direction: i.direction,
          ...(i.bounds && { bounds: i.bounds }),
        },
        previous: before ? { period: prev, value: before.value } : null,
        target: describeTarget(i, plan.targetYear),
        current: cur
          ? {
              value: cur.value,
              status: cur.status,
              comment: cur.comment,
              synthetic: cur.synthetic,
              revision: cur.revision,
            }
          : null,
        issues: cur?.confirmedOutlier ? [] : (warnings.get(key(i.code, orgUnit, period.id)) ?? []),
      };
    }),
  };
}

// The return's workflow: draft → submitted → approved (locked) | returned; unlock → draft

async function transition(
  store: Store,
  ctx: RequestContext,
  orgUnit: string,
  period: string,
  step: {
    action: 'submit' | 'approve' | 'return' | 'unlock';
    from: (s: values.ReturnState) => boolean;
    fromText: string;
    to: ValueStatus;
    locked: boolean;
    reason: string | null;
  },
): Promise<values.ReturnState> {
  const result = await store.db.transaction().execute(async (trx) => {
    const state = await values.lockReturnRow(trx, orgUnit, period);
    if (!step.from(state))
      throw new AppError(
        'CONFLICT',
        `cannot ${step.action} the return of ${orgUnit} for ${period}: it is ${state.locked ? 'approved and locked' : state.status}, and only a return that is ${step.fromText} can be`,
      );
    const touched = await values.setReturnValuesStatus(
      trx,
      orgUnit,
      period,
      step.to,
      step.action,
      step.reason,
      who(ctx),
    );
    if (step.action === 'submit' && touched === 0)
      throw new AppError('CONFLICT', `there are no values of ${orgUnit} for ${period} to submit`);
    await values.setReturn(trx, orgUnit, period, step.to, step.locked);
    await values.appendReturnEvent(trx, { orgUnit, period, action: step.action, reason: step.reason, who: who(ctx) });
    await audit(trx, ctx, {
      action: `value.${step.action}`,
      targetType: 'data_return',
      targetId: `${orgUnit}/${period}`,
      before: { status: state.status, locked: state.locked },
      after: { status: step.to, locked: step.locked, values: touched, ...(step.reason && { reason: step.reason }) },
    });
    return { ...state, status: step.to, locked: step.locked };
  });
  valueEvents.emit('changed', { store, changes: [{ orgUnit, period }] });
  return result;
}

/** Submits a return; refused while an outlier is unconfirmed. */
export async function submitReturn(store: Store, ctx: RequestContext, orgUnit: string, periodText: string) {
  await authorize(store, ctx, 'value.submit', orgUnit);
  const period = checkedPeriod(periodText).id;
  const pending = (await entryForm(store, ctx, orgUnit, period)).rows.flatMap((r) => r.issues);
  if (pending.length > 0)
    throw new AppError(
      'INVALID_INPUT',
      `${pending.length} value(s) look unusual: confirm each with a comment before submitting`,
      pending,
    );
  return transition(store, ctx, orgUnit, period, {
    action: 'submit',
    from: (s) => !s.locked && (s.status === 'draft' || s.status === 'returned'),
    fromText: 'a draft or returned',
    to: 'submitted',
    locked: false,
    reason: null,
  });
}

export async function approveReturn(store: Store, ctx: RequestContext, orgUnit: string, periodText: string) {
  await authorize(store, ctx, 'value.approve', orgUnit);
  return transition(store, ctx, orgUnit, checkedPeriod(periodText).id, {
    action: 'approve',
    from: (s) => s.status === 'submitted',
    fromText: 'submitted',
    to: 'approved',
    locked: true,
    reason: null,
  });
}

function requireReason(reason: string | undefined, what: string): string {
  if (!reason?.trim()) throw new AppError('INVALID_INPUT', `say why you ${what} (a reason is required)`);
  return reason.trim();
}

export async function returnReturn(
  store: Store,
  ctx: RequestContext,
  orgUnit: string,
  periodText: string,
  reason: string | undefined,
) {
  await authorize(store, ctx, 'value.approve', orgUnit);
  return transition(store, ctx, orgUnit, checkedPeriod(periodText).id, {
    action: 'return',
    from: (s) => s.status === 'submitted',
    fromText: 'submitted',
    to: 'returned',
    locked: false,
    reason: requireReason(reason, 'return it'),
  });
}

export async function unlockReturn(
  store: Store,
  ctx: RequestContext,
  orgUnit: string,
  periodText: string,
  reason: string | undefined,
) {
  await authorize(store, ctx, 'value.unlock', orgUnit);
  return transition(store, ctx, orgUnit, checkedPeriod(periodText).id, {
    action: 'unlock',
    from: (s) => s.locked,
    fromText: 'approved and locked',
    to: 'draft',
    locked: false,
    reason: requireReason(reason, 'unlock it'),
  });
}

export async function returnState(store: Store, ctx: RequestContext, orgUnit: string, periodText: string) {
  await authorize(store, ctx, 'value.read', orgUnit, { hide: `org unit ${orgUnit}` });
  const period = checkedPeriod(periodText).id;
  const state = await values.getReturn(store.db, orgUnit, period);
  return {
    orgUnit,
    period,
    status: state?.status ?? 'draft',
    locked: state?.locked ?? false,
    events: await values.returnEvents(store.db, orgUnit, period),
  };
}

/** A return in a queue, with whether the asker may approve (or return) it. */
export interface ReturnListItem extends Omit<values.ReturnSummary, 'unitPath'> {
  mayApprove: boolean;
}

/**
 * Returns the actor may read (their value.read scopes), optionally of some statuses and within a
 * subtree: `status=submitted` is an approver's queue, the longest waiting first.
 */
export async function listReturns(
  store: Store,
  ctx: RequestContext,
  q: { statuses?: readonly ValueStatus[] | undefined; within?: string | undefined; limit?: number | undefined },
): Promise<ReturnListItem[]> {
  requireSignedIn(ctx);
  let withinPaths = scopesOf(ctx.actor, 'value.read');
  if (q.within) {
    const root = await getOrgUnit(store.db, q.within);
    if (!root) return [];
    withinPaths = withinPaths.flatMap((s) =>
      root.path.startsWith(s) ? [root.path] : s.startsWith(root.path) ? [s] : [],
    );
  }
  const found = await values.listReturns(store.db, {
    withinPaths,
    ...(q.statuses && { statuses: q.statuses }),
    limit: q.limit ?? 1000,
  });
  return found.map(({ unitPath, ...r }) => ({ ...r, mayApprove: can(ctx.actor, 'value.approve', unitPath) }));
}

// Reading

export interface ValueQuery {
  indicator?: string | undefined;
  orgUnit?: string | undefined;
  within?: string | undefined;
  period?: string | undefined;
  limit?: number | undefined;
}

/** Values the actor may read (their value.read scopes), filtered. */
export async function listValues(store: Store, ctx: RequestContext, q: ValueQuery): Promise<values.StoredValue[]> {
  const scopes = scopesOf(ctx.actor, 'value.read');
  if (scopes.length === 0) return [];
  let withinPaths = scopes;
  if (q.within) {
    const root = await getOrgUnit(store.db, q.within);
    if (!root) return [];
    // Narrow each scope to the asked subtree: the deeper of the two paths, where one contains the other.
    withinPaths = scopes.flatMap((s) => (root.path.startsWith(s) ? [root.path] : s.startsWith(root.path) ? [s] : []));
  }
  return values.findValues(store.db, {
    ...(q.indicator && { indicators: [q.indicator] }),
    ...(q.orgUnit && { orgUnits: [q.orgUnit] }),
    ...(q.period && { periods: [checkedPeriod(q.period).id] }),
    withinPaths,
    limit: q.limit ?? 10_000,
  });
}

export async function valueHistory(
  store: Store,
  ctx: RequestContext,
  indicator: string,
  orgUnit: string,
  periodText: string,
) {
  await authorize(store, ctx, 'value.read', orgUnit, { hide: `value ${indicator}/${orgUnit}/${periodText}` });
  const period = checkedPeriod(periodText).id;
  const history = await values.valueHistory(store.db, indicator, orgUnit, period);
  if (history.length === 0) throw notFound(`value ${indicator}/${orgUnit}/${period}`);
  return history;
}

// Timeliness

export interface OverdueItem {
  indicator: string;
  period: string;
  due: string;
}

export interface OverdueUnit {
  orgUnit: string;
  name: string;
  level: string;
  items: OverdueItem[];
}

/**
 * Figures that should be in by `asOf` and are not, per unit of the subtree: every reported indicator
 * that applies to the unit's level, for each period of the plan whose due date has passed.
 */
export async function overdue(store: Store, ctx: RequestContext, orgUnit: string, asOf: Date): Promise<OverdueUnit[]> {
  await authorize(store, ctx, 'value.read', orgUnit, { hide: `org unit ${orgUnit}` });
  const plan = await getPlan(store, await currentPlanId(store));
  const reported = plan.indicators.filter((i) => i.computation.kind === 'raw');
  const levels = new Set(reported.flatMap((i) => i.levels as readonly string[]));
  const units = (await listOrgUnits(store.db, { within: orgUnit })).filter(
    (u) => u.kind === 'region' && levels.has(u.level),
  );
  const root = (await getOrgUnit(store.db, orgUnit))!;
  const stored = await values.findValues(store.db, {
    indicators: reported.map((i) => i.code),
    withinPaths: [root.path],
  });
  const have = new Set(stored.map((v) => key(v.indicator, v.orgUnit, v.period)));
  const duePeriods = new Map<string, { id: string; due: Date }[]>();
  for (const i of reported) {
    const lag = releaseLagDays(i);
    const list = periodRange(
      makePeriod(i.periodicity, plan.baseYear, 1),
      makePeriod(i.periodicity, plan.targetYear, PERIODS_PER_YEAR[i.periodicity]),
    )
      .map((p) => ({ id: formatPeriod(p), due: dueDate(p, lag) }))
      .filter((p) => p.due <= asOf);
    duePeriods.set(i.code, list);
  }
  return units
    .map((u) => ({
      orgUnit: u.code,
      name: u.name,
      level: u.level,
      items: reported
        .filter((i) => (i.levels as readonly string[]).includes(u.level))
        .flatMap((i) =>
          (duePeriods.get(i.code) ?? [])
            .filter((p) => !have.has(key(i.code, u.code, p.id)))
            .map((p) => ({ indicator: i.code, period: p.id, due: p.due.toISOString() })),
        ),
    }))
    .filter((u) => u.items.length > 0);
}
