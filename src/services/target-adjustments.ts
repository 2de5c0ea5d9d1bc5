/**
 * Target adjustment (动态调整): an analyst proposes a new version of one target of an indicator, with a
 * justification; someone else — a leader of the plan or an admin — approves or rejects it (four eyes:
 * never the proposer). An approved adjustment is in force from its approval until a later approved one
 * of the same target supersedes it or it is withdrawn. The plan's target stays as written: the
 * evaluation runs against the adjusted targets by default, against the original ones on request, and
 * `compareTargetBases` shows both side by side.
 *
 * Who: proposing is `plan.edit` (the plan's targets are the plan), deciding and lifting an approved
 * adjustment is `target.approve`, both on the plan's root; reading is `report.read` there.
 */
import type { Kysely } from 'kysely';
import { can } from '../domain/access.js';
import { planReferenceIssues, target as targetSchema, type Plan, type Target } from '../domain/plan.js';
import { evaluate } from '../engine/evaluate.js';
import { canonicalJson } from '../engine/evaluate/fingerprint.js';
import type { CellStatus, Evaluation } from '../engine/evaluate/types.js';
import type { Store } from '../store/db.js';
import { getOrgUnit } from '../store/org-units.js';
import type { Database } from '../store/schema.js';
import * as repo from '../store/target-adjustments.js';
import type { AdjustmentRow, AdjustmentStatus } from '../store/target-adjustments.js';
import { audit, authorize, requireSignedIn, type RequestContext } from './context.js';
import { AppError, notFound } from './errors.js';
import { loadEvaluationInput } from './evaluation.js';
import { currentPlanId, getPlan } from './plans.js';
import { actorName } from './problems.js';

export type TargetBasis = 'adjusted' | 'original';
export const TARGET_BASES: readonly TargetBasis[] = ['adjusted', 'original'];

export const ADJUSTMENT_STATUS_LABELS: Record<AdjustmentStatus, { zh: string; en: string }> = {
  proposed: { zh: '待审批', en: 'awaiting approval' },
  approved: { zh: '已批准（生效中）', en: 'approved (in force)' },
  rejected: { zh: '已驳回', en: 'rejected' },
  withdrawn: { zh: '已撤回', en: 'withdrawn' },
  superseded: { zh: '已被后续调整取代', en: 'superseded by a later adjustment' },
};

/** A message in both languages, the way the API writes them: 中文；English. */
const both = (zh: string, en: string) => `${zh}；${en}`;

// Applying adjustments (pure)

/** The plan's target at the adjustment's place, or undefined when the plan no longer has it. */
function currentTarget(plan: Plan, indicator: string, index: number): Target | undefined {
  return plan.indicators.find((i) => i.code === indicator)?.targets[index];
}

/**
 * Has the plan's target changed since the adjustment was proposed (a plan reloaded with another
 * target there)? Then the adjustment adjusts something that is no longer the plan's, and is not applied.
 */
export function isStale(plan: Plan, a: Pick<AdjustmentRow, 'indicator' | 'target_index' | 'original'>): boolean {
  const now = currentTarget(plan, a.indicator, a.target_index);
  return now === undefined || canonicalJson(now) !== canonicalJson(a.original);
}

/**
 * The plan with `adjustments` applied: each replaces its target, unless stale. Returns the plan (the
 * input is not changed; indicators without an adjustment are shared) and the ids applied.
 */
export function applyAdjustments(
  plan: Plan,
  adjustments: readonly Pick<AdjustmentRow, 'id' | 'indicator' | 'target_index' | 'original' | 'adjusted'>[],
): { plan: Plan; applied: number[] } {
  const applied: number[] = [];
  const byIndicator = new Map<string, typeof adjustments>();
  for (const a of adjustments) {
    if (isStale(plan, a)) continue;
    byIndicator.set(a.indicator, [...(byIndicator.get(a.indicator) ?? []), a]);
    applied.push(a.id);
  }
  if (applied.length === 0) return { plan, applied };
  const indicators = plan.indicators.map((ind) => {
    const own = byIndicator.get(ind.code);
    if (!own) return ind;
    const targets = [...ind.targets];
    for (const a of own) targets[a.target_index] = a.adjusted;
    return { ...ind, targets };
  });
  return { plan: { ...plan, indicators }, applied: applied.sort((a, b) => a - b) };
}

/**
 * The plan an evaluation reads for a basis: as loaded ('original'), or with the adjustments in force
 * applied ('adjusted'); `ids` names the adjustments instead (a reproduction applies what its run applied).
 */
export async function planForBasis(
  db: Kysely<Database>,
  plan: Plan,
  basis: TargetBasis,
  ids?: readonly number[],
): Promise<{ plan: Plan; applied: number[] }> {
  if (basis === 'original') return { plan, applied: [] };
  const rows = ids
    ? await repo.findAdjustments(db, { planId: plan.id, ids })
    : await repo.adjustmentsInForce(db, plan.id);
  return applyAdjustments(plan, rows);
}

// Views

export interface AdjustmentView {
  id: number;
  planId: string;
  indicator: string;
  indicatorName: { zh: string; en: string } | null;
  /** Position in the indicator's targets, from 0 (targets[0] is the one that sets the cell's status). */
  targetIndex: number;
  original: Target;
  adjusted: Target;
  justification: string;
  status: AdjustmentStatus;
  statusLabel: { zh: string; en: string };
  /** Approved, not stale: the evaluation's 'adjusted' basis applies it. */
  inForce: boolean;
  /** The approval's instant, for an adjustment that is or was in force. */
  inForceFrom: string | null;
  /** The plan's target is no longer the one adjusted (the plan was reloaded with another). */
  stale: boolean;
  proposedBy: string | null;
  proposedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  withdrawnBy: string | null;
  withdrawnAt: string | null;
  withdrawReason: string | null;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

function toView(plan: Plan, r: AdjustmentRow): AdjustmentView {
  const stale = isStale(plan, r);
  return {
    id: r.id,
    planId: r.plan_id,
    indicator: r.indicator,
    indicatorName: plan.indicators.find((i) => i.code === r.indicator)?.name ?? null,
    targetIndex: r.target_index,
    original: r.original,
    adjusted: r.adjusted,
    justification: r.justification,
    status: r.status,
    statusLabel: ADJUSTMENT_STATUS_LABELS[r.status],
    inForce: r.status === 'approved' && !stale,
    inForceFrom: r.status === 'approved' || r.status === 'superseded' ? iso(r.decided_at) : null,
    stale,
    proposedBy: r.proposed_by,
    proposedAt: r.proposed_at.toISOString(),
    decidedBy: r.decided_by,
    decidedAt: iso(r.decided_at),
    decisionNote: r.decision_note,
    withdrawnBy: r.withdrawn_by,
    withdrawnAt: iso(r.withdrawn_at),
    withdrawReason: r.withdraw_reason,
  };
}

export interface AdjustmentQuery {
  planId?: string | undefined;
  status?: AdjustmentStatus | undefined;
  indicator?: string | undefined;
}

export async function listAdjustments(
  store: Store,
  ctx: RequestContext,
  q: AdjustmentQuery = {},
): Promise<AdjustmentView[]> {
  const plan = await getPlan(store, q.planId ?? (await currentPlanId(store)));
  await authorize(store, ctx, 'report.read', plan.rootOrgUnit, { hide: 'target adjustments' });
  const rows = await repo.findAdjustments(store.db, { planId: plan.id, status: q.status, indicator: q.indicator });
  return rows.map((r) => toView(plan, r));
}

export async function getAdjustment(store: Store, ctx: RequestContext, id: number): Promise<AdjustmentView> {
  const row = await repo.findAdjustment(store.db, id);
  if (!row) throw notFound(`target adjustment ${id}`);
  const plan = await getPlan(store, row.plan_id);
  await authorize(store, ctx, 'report.read', plan.rootOrgUnit, { hide: `target adjustment ${id}` });
  return toView(plan, row);
}

// Changes

export interface ProposalInput {
  planId?: string | undefined;
  indicator: string;
  /** Position in the indicator's targets, from 0. */
  targetIndex: number;
  /** The new target, in the plan file's form (checked by the plan's target schema). */
  target: unknown;
  justification: string;
}

const JUSTIFICATION_MAX = 4000;

/** Checks the proposed target as the plan file would be checked, naming the field; returns it parsed. */
function checkTarget(plan: Plan, indicatorIndex: number, targetIndex: number, input: unknown): Target {
  const parsed = targetSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `target${i.path.map((p) => `.${String(p)}`).join('')}: ${i.message}`);
    throw new AppError(
      'INVALID_INPUT',
      both(
        `目标不符合方案文件的目标格式：${issues.join('；')}`,
        `the target is not a valid plan target: ${issues.join('; ')}`,
      ),
      { issues },
    );
  }
  // The plan-wide checks (growth has rate or amount, "about" needs a tolerance, a reference exists …)
  // on the plan with this target in place: the same rules as a plan file.
  const indicators = plan.indicators.map((ind, k) =>
    k === indicatorIndex ? { ...ind, targets: ind.targets.map((t, j) => (j === targetIndex ? parsed.data : t)) } : ind,
  );
  const prefix = ['indicators', indicatorIndex, 'targets', targetIndex];
  const issues = planReferenceIssues({ ...plan, indicators })
    .filter((i) => prefix.every((p, k) => i.path[k] === p))
    .map(
      (i) =>
        `target${i.path
          .slice(prefix.length)
          .map((p) => `.${String(p)}`)
          .join('')}: ${i.message}`,
    );
  if (issues.length)
    throw new AppError(
      'INVALID_INPUT',
      both(`目标与方案不一致：${issues.join('；')}`, `the target does not fit the plan: ${issues.join('; ')}`),
      { issues },
    );
  return parsed.data;
}

/** An analyst proposes a new version of one target of an indicator. */
export async function proposeAdjustment(
  store: Store,
  ctx: RequestContext,
  input: ProposalInput,
): Promise<AdjustmentView> {
  const plan = await getPlan(store, input.planId ?? (await currentPlanId(store)));
  await authorize(store, ctx, 'plan.edit', plan.rootOrgUnit);
  const indicatorIndex = plan.indicators.findIndex((i) => i.code === input.indicator);
  const indicator = plan.indicators[indicatorIndex];
  if (!indicator)
    throw new AppError(
      'INVALID_INPUT',
      both(`indicator：方案中没有指标“${input.indicator}”`, `indicator: the plan has no indicator ${input.indicator}`),
    );
  const original = indicator.targets[input.targetIndex];
  if (!Number.isInteger(input.targetIndex) || original === undefined)
    throw new AppError(
      'INVALID_INPUT',
      both(
        `targetIndex：指标${indicator.code}有${indicator.targets.length}个目标（从0起编号），没有第${input.targetIndex}个`,
        `targetIndex: indicator ${indicator.code} has ${indicator.targets.length} target(s), numbered from 0; there is no ${input.targetIndex}`,
      ),
    );
  const justification = input.justification.trim();
  if (!justification)
    throw new AppError(
      'INVALID_INPUT',
      both('justification：调整目标须说明理由', 'justification: an adjustment needs a justification'),
    );
  if (justification.length > JUSTIFICATION_MAX)
    throw new AppError(
      'INVALID_INPUT',
      both(`justification：理由不超过${JUSTIFICATION_MAX}字`, `justification: at most ${JUSTIFICATION_MAX} characters`),
    );
  const adjusted = checkTarget(plan, indicatorIndex, input.targetIndex, input.target);
  if (canonicalJson(adjusted) === canonicalJson(original))
    throw new AppError(
      'INVALID_INPUT',
      both('target：调整后的目标与原目标相同', 'target: the adjusted target is the same as the original'),
    );
  const who = actorName(ctx);
  const id = await store.db.transaction().execute(async (trx) => {
    const id = await repo.insertAdjustment(trx, {
      planId: plan.id,
      indicator: indicator.code,
      targetIndex: input.targetIndex,
      original,
      adjusted,
      justification,
      proposedBy: who.byName,
      proposedByUser: who.byUser,
    });
    await audit(trx, ctx, {
      action: 'target.propose',
      targetType: 'target_adjustment',
      targetId: id,
      after: {
        planId: plan.id,
        indicator: indicator.code,
        targetIndex: input.targetIndex,
        original,
        adjusted,
        justification,
      },
    });
    return id;
  });
  return getAdjustment(store, ctx, id);
}

/** The proposer is the decider: same user, or (the command line) the same name. */
function isProposer(ctx: RequestContext, row: AdjustmentRow): boolean {
  const who = actorName(ctx);
  return (
    (row.proposed_by_user !== null && row.proposed_by_user === who.byUser) ||
    (row.proposed_by !== null && row.proposed_by === who.byName)
  );
}

async function loadForChange(store: Store, ctx: RequestContext, id: number) {
  requireSignedIn(ctx);
  const row = await repo.findAdjustment(store.db, id);
  if (!row) throw notFound(`target adjustment ${id}`);
  const plan = await getPlan(store, row.plan_id);
  return { row, plan };
}

function notProposed(row: AdjustmentRow, what: { zh: string; en: string }): AppError {
  const label = ADJUSTMENT_STATUS_LABELS[row.status];
  return new AppError(
    'CONFLICT',
    both(
      `调整${row.id}的状态为“${label.zh}”，只有待审批的调整才能${what.zh}`,
      `target adjustment ${row.id} is ${label.en}: only an adjustment awaiting approval can be ${what.en}`,
    ),
  );
}

/**
 * Approves or rejects a proposal. Four eyes: never by its proposer. Approval puts it in force at
 * once and supersedes the adjustment of the same target in force before it.
 */
export async function decideAdjustment(
  store: Store,
  ctx: RequestContext,
  id: number,
  decision: 'approved' | 'rejected',
  note?: string,
): Promise<AdjustmentView> {
  const { plan } = await loadForChange(store, ctx, id);
  await authorize(store, ctx, 'target.approve', plan.rootOrgUnit);
  const verb = decision === 'approved' ? { zh: '批准', en: 'approved' } : { zh: '驳回', en: 'rejected' };
  if (decision === 'rejected' && !note?.trim())
    throw new AppError('INVALID_INPUT', both('note：驳回须说明理由', 'note: say why the adjustment is rejected'));
  await store.db.transaction().execute(async (trx) => {
    const row = await repo.findAdjustmentForUpdate(trx, id);
    if (!row) throw notFound(`target adjustment ${id}`);
    if (row.status !== 'proposed') throw notProposed(row, verb);
    if (isProposer(ctx, row))
      throw new AppError(
        'FORBIDDEN',
        both(
          `四眼原则：调整由${row.proposed_by ?? '您'}提出，须由另一人${verb.zh}`,
          `four eyes: ${row.proposed_by ?? 'you'} proposed this adjustment, so someone else must decide on it`,
        ),
      );
    let superseded: number | null = null;
    if (decision === 'approved') {
      if (isStale(plan, row))
        throw new AppError(
          'CONFLICT',
          both(
            `方案中指标${row.indicator}的第${row.target_index}个目标已变更，此调整已失效，请重新提出`,
            `the plan's target ${row.target_index} of ${row.indicator} has changed since the proposal; propose again`,
          ),
        );
      const before = await repo.findForTarget(
        trx,
        { planId: row.plan_id, indicator: row.indicator, targetIndex: row.target_index },
        'approved',
      );
      if (before) {
        await repo.setStatus(trx, before.id, 'superseded');
        superseded = before.id;
      }
    }
    const who = actorName(ctx);
    await repo.decideAdjustment(trx, id, {
      status: decision,
      by: who.byName,
      byUser: who.byUser,
      note: note?.trim() || null,
    });
    await audit(trx, ctx, {
      action: decision === 'approved' ? 'target.approve' : 'target.reject',
      targetType: 'target_adjustment',
      targetId: id,
      before: { status: row.status },
      after: { status: decision, note: note ?? null, ...(superseded !== null && { superseded }) },
    });
  });
  return getAdjustment(store, ctx, id);
}

export const approveAdjustment = (store: Store, ctx: RequestContext, id: number, note?: string) =>
  decideAdjustment(store, ctx, id, 'approved', note);
export const rejectAdjustment = (store: Store, ctx: RequestContext, id: number, note: string) =>
  decideAdjustment(store, ctx, id, 'rejected', note);

/**
 * Withdraws a proposal (its proposer, or whoever may decide on it), or lifts an approved adjustment
 * (whoever may approve, with a reason): it is no longer in force, and the plan's target counts again.
 */
export async function withdrawAdjustment(
  store: Store,
  ctx: RequestContext,
  id: number,
  reason?: string,
): Promise<AdjustmentView> {
  const { row: seen, plan } = await loadForChange(store, ctx, id);
  const root = await getOrgUnit(store.db, plan.rootOrgUnit);
  if (!root) throw notFound(`org unit ${plan.rootOrgUnit}`);
  const mayDecide = can(ctx.actor, 'target.approve', root.path);
  const mayPropose = can(ctx.actor, 'plan.edit', root.path);
  if (!mayDecide && !mayPropose) await authorize(store, ctx, 'plan.edit', plan.rootOrgUnit); // refuses, saying why
  if (seen.status === 'approved') {
    if (!mayDecide) await authorize(store, ctx, 'target.approve', plan.rootOrgUnit);
    if (!reason?.trim())
      throw new AppError(
        'INVALID_INPUT',
        both('reason：撤销已生效的调整须说明理由', 'reason: say why an adjustment in force is lifted'),
      );
  } else if (seen.status === 'proposed') {
    if (!mayDecide && !(mayPropose && isProposer(ctx, seen)))
      throw new AppError(
        'FORBIDDEN',
        both('只有提议人或审批人才能撤回待审批的调整', 'only the proposer or an approver may withdraw a proposal'),
      );
  }
  await store.db.transaction().execute(async (trx) => {
    const row = await repo.findAdjustmentForUpdate(trx, id);
    if (!row) throw notFound(`target adjustment ${id}`);
    if (row.status !== 'proposed' && row.status !== 'approved') {
      const label = ADJUSTMENT_STATUS_LABELS[row.status];
      throw new AppError(
        'CONFLICT',
        both(
          `调整${id}的状态为“${label.zh}”，只能撤回待审批或已生效的调整`,
          `target adjustment ${id} is ${label.en}: only a proposal or an adjustment in force can be withdrawn`,
        ),
      );
    }
    if (row.status !== seen.status) throw notProposed(row, { zh: '撤回', en: 'withdrawn' });
    await repo.withdrawAdjustment(trx, id, { by: actorName(ctx).byName, reason: reason?.trim() || null });
    await audit(trx, ctx, {
      action: 'target.withdraw',
      targetType: 'target_adjustment',
      targetId: id,
      before: { status: row.status },
      after: { status: 'withdrawn', reason: reason ?? null },
    });
  });
  return getAdjustment(store, ctx, id);
}

// Side by side

export interface TargetSide {
  /** The cell's status (that of the indicator's first target). */
  cellStatus: CellStatus;
  /** The adjusted target's own evaluation. */
  status: string;
  targetValue: number | null;
  targetYear: number | null;
  /** Share of the way from base to target covered. */
  progress: number | null;
  expectedToDate: number | null;
  /** The Open SDG progress score (−5 … 5) toward the first target. */
  sdgScore: number | null;
}

export interface TargetComparisonRow {
  indicator: string;
  orgUnit: string;
  orgUnitName: string;
  targetIndex: number;
  adjustmentId: number;
  year: number | null;
  value: number | null;
  original: TargetSide;
  adjusted: TargetSide;
  /** The status differs between the bases. */
  changed: boolean;
}

export interface TargetComparison {
  asOfYear: number;
  fingerprints: Record<TargetBasis, string>;
  adjustments: AdjustmentView[];
  rows: TargetComparisonRow[];
}

const n = (x: number) => (Number.isFinite(x) ? x : null);

function side(ev: Evaluation, indicator: string, unit: string, index: number): TargetSide | undefined {
  const cell = ev.indicators.get(indicator)?.cells.find((c) => c.unit === unit);
  const t = cell?.targets[index];
  if (!cell || !t) return undefined;
  return {
    cellStatus: cell.status,
    status: t.status,
    targetValue: n(t.targetValue),
    targetYear: n(t.targetYear),
    progress: n(t.progress),
    expectedToDate: n(t.expectedToDate),
    sdgScore: n(cell.progress.score),
  };
}

/**
 * The evaluation against the original and the adjusted targets, side by side: for each adjustment in
 * force, its indicator at the plan's root and the root's children. The data are read once and
 * evaluated once per basis; nothing is stored.
 */
export async function compareTargetBases(
  store: Store,
  ctx: RequestContext,
  options: { asOfYear?: number | undefined; planId?: string | undefined } = {},
): Promise<TargetComparison> {
  const plan = await getPlan(store, options.planId ?? (await currentPlanId(store)));
  await authorize(store, ctx, 'report.read', plan.rootOrgUnit, { hide: 'evaluations' });
  const loaded = await loadEvaluationInput(store, plan.id, {
    targets: 'original',
    ...(options.asOfYear !== undefined && { asOfYear: options.asOfYear }),
  });
  const rows = await repo.adjustmentsInForce(store.db, plan.id);
  const adjustedPlan = applyAdjustments(loaded.input.plan, rows);
  const original = evaluate(loaded.input);
  const adjusted = adjustedPlan.applied.length > 0 ? evaluate({ ...loaded.input, plan: adjustedPlan.plan }) : original;
  const inForce = rows.filter((r) => adjustedPlan.applied.includes(r.id));
  const units = loaded.input.orgUnits.filter((u) => u.code === plan.rootOrgUnit || u.parent === plan.rootOrgUnit);
  const out: TargetComparisonRow[] = [];
  for (const a of inForce)
    for (const u of units) {
      const before = side(original, a.indicator, u.code, a.target_index);
      const after = side(adjusted, a.indicator, u.code, a.target_index);
      if (!before || !after) continue; // the indicator is not evaluated at this unit's level
      const cell = adjusted.indicators.get(a.indicator)!.cells.find((c) => c.unit === u.code)!;
      out.push({
        indicator: a.indicator,
        orgUnit: u.code,
        orgUnitName: u.name ?? u.code,
        targetIndex: a.target_index,
        adjustmentId: a.id,
        year: n(cell.year),
        value: n(cell.value),
        original: before,
        adjusted: after,
        changed: before.status !== after.status || before.cellStatus !== after.cellStatus,
      });
    }
  return {
    asOfYear: original.asOf,
    fingerprints: { original: original.fingerprint, adjusted: adjusted.fingerprint },
    adjustments: inForce.map((r) => toView(plan, r)),
    rows: out,
  };
}
