/**
 * Automatic alerts after each evaluation. A cell (indicator × unit) that is off track (red) in this
 * run and in the runs just before it — `GONGFU_ALERT_RED_RUNS` in a row, default 1 — opens a
 * problem (found_by 'auto', category 'indicator') proposed to the indicator's responsible unit,
 * with the evidence (value, target, expected to date, projection). Deduplication: at most one
 * problem not yet closed per plan × indicator × unit (a unique index enforces it); while one is
 * open, later runs update its evidence and red-run count and add an 'alert' line to its history
 * instead of opening another. When the cell is achieved or on track again, the problem is marked
 * recovered (it says so; a supervisor verifies and closes it as usual). After it is closed, a new
 * red spell opens a new problem. Only cells down to `GONGFU_ALERT_DEPTH` levels below the plan's root
 * open problems (default 0: the root's own figures, answered for by the lead units; 1 adds the
 * counties): one problem per red cell of every town would bury the few that a supervisor can follow.
 */
import type { Indicator } from '../domain/plan.js';
import type { Store } from '../store/db.js';
import { findCells, findRun, runIds } from '../store/evaluations.js';
import type { Database } from '../store/schema.js';
import type { Kysely } from 'kysely';
import { notFound } from './errors.js';
import { getOrgUnit, listOrgUnits } from '../store/org-units.js';
import * as repo from '../store/problems.js';
import * as taskRepo from '../store/tasks.js';
import { audit, type RequestContext } from './context.js';
import { deliverEmails, notifyUnit } from './notifications.js';
import { getPlan } from './plans.js';
import { loopSettings, SUPERVISOR_ROLES } from './problems.js';

export interface AlertResult {
  opened: number;
  updated: number;
  recovered: number;
}

const RECOVERED = new Set(['achieved', 'on_track']);

/** The evidence of a red cell: value and year, and the first target's figures. */
function evidenceOf(
  runId: number,
  cell: { year: number | null; value: number | null; status: string; detail: unknown },
) {
  const t = ((cell.detail as { targets?: Record<string, unknown>[] } | null)?.targets ?? [])[0] ?? {};
  return {
    runId,
    year: cell.year,
    value: cell.value,
    status: cell.status,
    target: {
      kind: t.kind ?? null,
      targetValue: t.targetValue ?? null,
      targetYear: t.targetYear ?? null,
      expectedToDate: t.expectedToDate ?? null,
      projection: t.projection ?? null,
      explanation: t.explanation ?? null,
    },
  };
}

/**
 * Who answers for an indicator at a unit: the unit itself below the plan's root (a county answers
 * for its own figures); at the root, the lead unit of the indicator's first task on the task list.
 */
async function responsibleUnit(
  db: Kysely<Database>,
  planId: string,
  root: string,
  indicator: Indicator | undefined,
  unit: string,
) {
  if (unit !== root || !indicator || indicator.tasks.length === 0) return unit;
  const [item] = await taskRepo.findItems(db, { planId, taskNumber: indicator.tasks[0] });
  return item?.lead_unit ?? unit;
}

/** Opens, updates or marks recovered the indicator problems after run `runId`. */
export async function alertsAfterRun(store: Store, ctx: RequestContext, runId: number): Promise<AlertResult> {
  const run = await findRun(store.db, runId);
  if (!run) throw notFound(`evaluation ${runId}`);
  const planId = run.planId;
  const plan = await getPlan(store, planId);
  const indicators = new Map(plan.indicators.map((i) => [i.code, i]));
  const { redRuns, alertDepth } = loopSettings();
  const root = await getOrgUnit(store.db, plan.rootOrgUnit);
  const inDepth = new Set(
    (await listOrgUnits(store.db, { within: plan.rootOrgUnit, kind: 'region' }))
      .filter((u) => root && u.depth - root.depth <= alertDepth)
      .map((u) => u.code),
  );
  const cells = (await findCells(store.db, runId, {})).filter((c) => inDepth.has(c.orgUnit));
  // Red runs in a row count runs against the targets in force only (not comparison runs on the original ones).
  const previous = (await runIds(store.db, planId, 1000, 'adjusted')).filter((id) => id < runId).slice(0, redRuns - 1);
  const previousRed = await Promise.all(previous.map((id) => repo.cellKeysWithStatus(store.db, id, 'off_track')));
  const open = new Map(
    (await repo.openIndicatorProblems(store.db, planId)).map((p) => [`${p.indicator}|${p.org_unit}`, p]),
  );
  const result: AlertResult = { opened: 0, updated: 0, recovered: 0 };
  const notices: number[] = [];
  const now = new Date();
  await store.db.transaction().execute(async (trx) => {
    for (const cell of cells) {
      const key = `${cell.indicator}|${cell.orgUnit}`;
      const existing = open.get(key);
      if (cell.status === 'off_track') {
        let streak = 1;
        while (streak - 1 < previousRed.length && previousRed[streak - 1]!.has(key)) streak++;
        const evidence = evidenceOf(runId, cell);
        if (existing) {
          if (existing.last_run_id === runId) continue;
          const red = (existing.red_runs ?? 0) + 1;
          await repo.updateProblem(trx, existing.id, {
            evidence: JSON.stringify(evidence),
            last_run_id: runId,
            red_runs: red,
            recovered_at: null,
          });
          await repo.appendProblemEvent(trx, {
            problemId: existing.id,
            kind: 'alert',
            reason: existing.recovered_at
              ? `评估${runId}：指标再次偏离目标 / run ${runId}: off track again`
              : `评估${runId}：指标仍偏离目标（连续${red}次）/ run ${runId}: still off track (${red} runs in a row)`,
            data: evidence,
            byUser: null,
            byName: 'system',
          });
          result.updated++;
          continue;
        }
        if (streak < redRuns) continue;
        const indicator = indicators.get(cell.indicator);
        const unit = await getOrgUnit(trx, cell.orgUnit);
        const assignedUnit = await responsibleUnit(trx, planId, plan.rootOrgUnit, indicator, cell.orgUnit);
        const title = `${indicator?.name.zh ?? cell.indicator}偏离目标（${unit?.name ?? cell.orgUnit}）`;
        const id = await repo.insertProblem(trx, {
          planId,
          title,
          description: `${indicator?.name.en ?? cell.indicator} is off track at ${unit?.nameEn ?? unit?.name ?? cell.orgUnit} (evaluation ${runId}, ${streak} run(s) in a row).`,
          category: 'indicator',
          sourceKind: 'indicator',
          orgUnit: cell.orgUnit,
          indicator: cell.indicator,
          period: cell.year === null ? null : String(cell.year),
          foundBy: 'auto',
          assignedUnit,
          evidence,
          lastRunId: runId,
          redRuns: streak,
          createdBy: 'system',
          createdAt: now,
        });
        await repo.appendProblemEvent(trx, {
          problemId: id,
          kind: 'raised',
          toStatus: 'open',
          reason: `评估${runId}自动预警：连续${streak}次偏离目标 / automatic alert of run ${runId}: off track ${streak} run(s) in a row`,
          data: evidence,
          byUser: null,
          byName: 'system',
          at: now,
        });
        notices.push(
          ...(await notifyUnit(trx, plan.rootOrgUnit, SUPERVISOR_ROLES, {
            kind: 'alert',
            problemId: id,
            zh: `自动预警：${title}，待交办`,
            en: `Automatic alert: ${indicator?.name.en ?? cell.indicator} off track at ${cell.orgUnit}; to be assigned`,
            dedupe: `alert:${id}`,
          })),
        );
        result.opened++;
      } else if (existing && RECOVERED.has(cell.status) && !existing.recovered_at) {
        await repo.updateProblem(trx, existing.id, {
          recovered_at: now,
          last_run_id: runId,
          evidence: JSON.stringify(evidenceOf(runId, cell)),
        });
        await repo.appendProblemEvent(trx, {
          problemId: existing.id,
          kind: 'recovered',
          reason: `评估${runId}：指标已恢复（${cell.status === 'achieved' ? '已达标' : '进度正常'}），可验收销号 / run ${runId}: the indicator is ${cell.status.replace('_', ' ')} again; it can be verified and closed`,
          data: evidenceOf(runId, cell),
          byUser: null,
          byName: 'system',
        });
        result.recovered++;
      }
    }
    await audit(trx, ctx, {
      action: 'problem.alerts',
      targetType: 'evaluation_run',
      targetId: runId,
      after: { ...result, redRuns, alertDepth },
    });
  });
  await deliverEmails(store, notices);
  return result;
}
