/**
 * Appraisal (考核) as a service: the scheme in force, the inputs of a period gathered from what is
 * stored (the evaluation's composite index, the task milestones and problems of the loop, the
 * survey responses, approved events), the engine's scores stored as a run; freezing and publishing
 * (a published run does not change: a correction is a new version with its reason); events with
 * evidence and approval; survey import with per-row errors; the views of a period and of one unit.
 *
 * Where the inputs come from, for a unit U and period P (a quarter or a year, China time, UTC+8):
 * - indicator performance: U's composite index for P's year in the latest evaluation run (a run is
 *   made if there is none). The evaluation has no sampling error: SE 0.
 * - task completion: milestones due in P of the task items U leads or whose scope lies in U
 *   (departments: the items they lead), cancelled items left out; met on time = reached by the end
 *   of the due day.
 * - problem loop: problems of the seven lists about U's subtree (departments: assigned to U) that were
 *   open at some time in P: raised before P's end and not closed before its start. Found by U itself
 *   = `found_by = self` (automatic alerts count with higher inspections); days to close from raising
 *   to closure within P; overdue = closed after the deadline, or open past it at P's end; reopened =
 *   verifications failed (the loop's `reopened`).
 * - satisfaction: survey responses of P about U's subtree (departments: about U), each answer mapped
 *   to 0–100 on its own scale, with the Kish-n_eff interval (engine/survey.ts).
 * - events: approved events of P recorded for U.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { can, scopesOf } from '../domain/access.js';
import {
  parseAppraisalSchemes,
  schemeInForce,
  type AppraisalScheme,
  type AppraisalSubject,
} from '../domain/appraisal-scheme.js';
import type { Issue } from '../domain/data.js';
import { formatPeriod, periodType, previousPeriod, safeParsePeriod, yearOf } from '../domain/period.js';
import { PROBLEM_CATEGORIES } from '../domain/problem-workflow.js';
import { describeNote, scoreAppraisal, type AppraisalUnitInput, type UnitScore } from '../engine/appraisal.js';
import {
  DEFAULT_PROBLEM_CONTROL,
  problemControl,
  problemControlOf,
  type ProblemRecord,
} from '../engine/problem-control.js';
import { surveySatisfaction, toPercentScale, type SurveyAnswer } from '../engine/survey.js';
import { demoSurveyCsv, generateDemoSurvey } from '../demo/survey.js';
import { parseCsv, CsvError } from '../ingest/csv.js';
import { parseCellNumber } from '../ingest/number.js';
import * as repo from '../store/appraisal.js';
import type { Store } from '../store/db.js';
import type { OrgUnit } from '../domain/org-unit.js';
import { getOrgUnit, listOrgUnits } from '../store/org-units.js';
import { getPlanSource } from '../store/plans.js';
import { findProblems } from '../store/problems.js';
import { findItems, milestonesOf } from '../store/tasks.js';
import { audit, authorize, requireSignedIn, type RequestContext } from './context.js';
import { AppError, notFound } from './errors.js';
import { latestRunId, runEvaluation, runRanking } from './evaluation.js';
import { currentPlanId, getPlan } from './plans.js';

export const SCHEME_FILE = 'appraisal.yaml';
const DAY_MS = 24 * 60 * 60 * 1000;
/** Periods, deadlines and due dates are in China time. */
const CHINA_OFFSET = '+08:00';

function who(ctx: RequestContext): string | null {
  return ctx.actor.kind === 'user' ? ctx.actor.username : ctx.actor.kind === 'system' ? 'system' : null;
}

// Schemes

/** The schemes beside the plan file (plans/<plan>/appraisal.yaml), or in `file`. */
export async function loadSchemes(
  store: Store,
  planId: string,
  file?: string,
): Promise<{ file: string; schemes: AppraisalScheme[] }> {
  let path = file;
  if (!path) {
    const source = await getPlanSource(store.db, planId);
    if (!source)
      throw new AppError(
        'NOT_FOUND',
        `plan ${planId} was not loaded from a file: name the appraisal scheme file (--scheme FILE)`,
      );
    path = resolve(dirname(source.file), SCHEME_FILE);
  }
  const text = await readFile(path, 'utf8').catch(() => {
    throw new AppError('NOT_FOUND', `no appraisal scheme file at ${path}`);
  });
  return { file: path, schemes: validSchemes(text, path) };
}

export function validSchemes(text: string, file: string): AppraisalScheme[] {
  const r = parseAppraisalSchemes(text);
  if (!r.ok)
    throw new AppError(
      'INVALID_PLAN',
      `${file}: ${r.problems.length} problem(s): ${r.problems
        .slice(0, 5)
        .map((p) => `line ${p.line} ${p.path}: ${p.message}`)
        .join('; ')}`,
      r.problems,
    );
  return r.file.schemes;
}

function checkPeriod(period: string): string {
  const p = safeParsePeriod(period);
  if (!p.ok || periodType(period) === 'month')
    throw new AppError('INVALID_INPUT', `period ${period}: an appraisal period is a quarter (2024Q4) or a year (2024)`);
  return period;
}

/** First instant of a period and of the next one, China time. */
function periodBounds(period: string): { start: Date; end: Date } {
  const year = yearOf(period);
  const [from, months] = periodType(period) === 'year' ? [1, 12] : [(Number(period.slice(5)) - 1) * 3 + 1, 3];
  const at = (y: number, m: number) => new Date(`${y}-${String(m).padStart(2, '0')}-01T00:00:00${CHINA_OFFSET}`);
  const endMonth = from + months;
  return { start: at(year, from), end: endMonth > 12 ? at(year + 1, endMonth - 12) : at(year, endMonth) };
}

// Inputs

interface SubjectUnit {
  code: string;
  name: string;
  path: string;
}

async function subjectUnits(store: Store, root: string, subject: AppraisalSubject): Promise<SubjectUnit[]> {
  const units: OrgUnit[] =
    subject === 'county'
      ? await listOrgUnits(store.db, { within: root, level: 'county' })
      : await listOrgUnits(store.db, { within: root, kind: 'department' });
  return units.map((u) => ({ code: u.code, name: u.name, path: u.path }));
}

const isSevenLists = (category: string) =>
  (PROBLEM_CATEGORIES as Record<string, { sevenLists: boolean } | undefined>)[category]?.sevenLists === true;

export interface GatheredInputs {
  units: SubjectUnit[];
  inputs: AppraisalUnitInput[];
  /** Per unit, what the inputs were computed from (kept in the breakdown). */
  trace: Map<string, Record<string, unknown>>;
  sources: Record<string, unknown>;
}

/** Everything a period is scored from (see the module note). */
export async function gatherInputs(
  store: Store,
  ctx: RequestContext,
  planId: string,
  scheme: AppraisalScheme,
  period: string,
): Promise<GatheredInputs> {
  const plan = await getPlan(store, planId);
  const units = await subjectUnits(store, plan.rootOrgUnit, scheme.subject);
  const { start, end } = periodBounds(period);
  const trace = new Map<string, Record<string, unknown>>(units.map((u) => [u.code, {}]));
  const sources: Record<string, unknown> = {};
  const uses = new Set(scheme.components.map((c) => c.source));
  const inputs: AppraisalUnitInput[] = units.map((u) => ({ unit: u.code }));
  const byCode = new Map(inputs.map((i) => [i.unit, i]));

  // Indicator performance: the composite index of the year.
  if (uses.has('indicator_index') || uses.has('improvement_index')) {
    const runId = await latestRunId(store, planId).catch(
      async () => (await runEvaluation(store, ctx, { planId })).run.id,
    );
    const { rows } = await runRanking(store, ctx, runId, yearOf(period));
    const row = new Map(rows.map((r) => [r.orgUnit, r]));
    const improvements = units
      .map((u) => row.get(u.code)?.improvement)
      .filter((x): x is number => typeof x === 'number');
    const lo = Math.min(...improvements);
    const hi = Math.max(...improvements);
    for (const u of units) {
      const r = row.get(u.code);
      const input = byCode.get(u.code)!;
      if (typeof r?.index === 'number') input.indicatorIndex = { value: r.index, se: 0 };
      if (typeof r?.improvement === 'number' && hi > lo)
        input.improvementIndex = { value: (100 * (r.improvement - lo)) / (hi - lo), se: 0 };
      trace.get(u.code)!.evaluation = {
        run: runId,
        year: yearOf(period),
        index: r?.index ?? null,
        coverage: r?.coverage ?? null,
        improvement: r?.improvement ?? null,
      };
    }
    sources.evaluation = { run: runId, year: yearOf(period) };
  }

  // Task completion: milestones due in the period.
  if (uses.has('task_completion')) {
    const items = (await findItems(store.db, { planId })).filter((i) => i.status !== 'cancelled');
    const milestones = await milestonesOf(
      store.db,
      items.map((i) => i.id),
    );
    const itemsOf = (u: SubjectUnit) =>
      new Set(
        items
          .filter((i) =>
            scheme.subject === 'department'
              ? i.lead_unit === u.code
              : (i.lead_path?.startsWith(u.path) ?? false) || i.scope_path.startsWith(u.path),
          )
          .map((i) => i.id),
      );
    let counted = 0;
    for (const u of units) {
      const mine = itemsOf(u);
      const due = milestones.filter((m) => {
        if (!mine.has(m.item_id)) return false;
        const at = new Date(`${m.due}T00:00:00${CHINA_OFFSET}`);
        return at >= start && at < end;
      });
      const met = due.filter(
        (m) =>
          m.reached_at !== null &&
          m.reached_at.getTime() < new Date(`${m.due}T00:00:00${CHINA_OFFSET}`).getTime() + DAY_MS,
      );
      counted += due.length;
      byCode.get(u.code)!.tasks = { due: due.length, metOnTime: met.length };
      trace.get(u.code)!.milestones = due.map((m) => ({
        id: m.id,
        item: m.item_id,
        due: m.due,
        metOnTime: met.includes(m),
      }));
    }
    sources.tasks = { milestonesDue: counted };
  }

  // The problem loop.
  if (uses.has('problem_control') || scheme.rules.some((r) => r.automatic)) {
    const config = scheme.problemControl
      ? { ...scheme.problemControl, whenNoProblems: DEFAULT_PROBLEM_CONTROL.whenNoProblems }
      : DEFAULT_PROBLEM_CONTROL;
    const rows = (await findProblems(store.db, { planId })).filter(
      (p) => isSevenLists(p.category) && p.created_at < end && (p.closed_at === null || p.closed_at >= start),
    );
    let counted = 0;
    for (const u of units) {
      const mine = rows.filter((p) =>
        scheme.subject === 'department' ? p.assigned_unit === u.code : p.unit_path.startsWith(u.path),
      );
      const records: ProblemRecord[] = mine.map((p) => {
        const closedIn = p.closed_at !== null && p.closed_at < end ? p.closed_at : null;
        return {
          unit: u.code,
          list: p.category,
          foundBy: p.found_by === 'self' ? 'self' : 'higher',
          daysToClose: closedIn ? (closedIn.getTime() - p.created_at.getTime()) / DAY_MS : null,
          overdue: p.deadline !== null && (closedIn ? closedIn > p.deadline : p.deadline < end),
          reopened: p.reopened,
        };
      });
      counted += records.length;
      const pc = problemControlOf(u.code, records, config);
      byCode.get(u.code)!.problems = { index: pc.index, overdue: pc.overdue, reopenEvents: pc.reopenEvents };
      // Per list too: the index of each of the seven lists the unit has problems on.
      const byList = problemControl([u.code], records, config).byUnitList;
      trace.get(u.code)!.problems = { ...pc, ids: mine.map((p) => p.id), byList };
    }
    sources.problems = { counted, config };
  }

  // Satisfaction.
  if (uses.has('satisfaction')) {
    const root = await getOrgUnit(store.db, plan.rootOrgUnit);
    const responses = await repo.responsesFor(store.db, { planId, period, withinPath: root!.path });
    const answers: SurveyAnswer[] = [];
    for (const r of responses) {
      const unit = units.find((u) =>
        scheme.subject === 'department' ? r.orgUnit === u.code : r.unitPath.startsWith(u.path),
      );
      if (!unit) continue;
      answers.push({
        // A respondent is one person of one unit; the same id in another unit is someone else.
        respondent: `${r.orgUnit}/${r.respondent}`,
        weight: r.weight,
        unit: unit.code,
        question: r.question,
        answer: r.answer === null ? null : toPercentScale(r.answer, { min: r.scaleMin, max: r.scaleMax }),
      });
    }
    const result = surveySatisfaction(answers, { min: 0, max: 100 });
    for (const s of result.byUnit) {
      const input = byCode.get(s.unit);
      if (!input || !Number.isFinite(s.mean)) continue;
      input.satisfaction = { value: s.mean, se: Number.isFinite(s.se) ? s.se : 0 };
      trace.get(s.unit)!.satisfaction = {
        ...s,
        byQuestion: result.byQuestion.filter((q) => q.unit === s.unit),
      };
    }
    sources.survey = { responses: answers.length, synthetic: responses.some((r) => r.synthetic) };
  }

  // Approved events.
  const events = await repo.findEvents(store.db, { planId, period, status: 'approved' });
  for (const e of events) {
    const input = byCode.get(e.org_unit);
    if (!input) continue;
    (input.events = [...(input.events ?? [])]).push({ rule: e.rule, quantity: e.quantity, ref: String(e.id) });
  }
  sources.events = events.filter((e) => byCode.has(e.org_unit)).map((e) => e.id);
  return { units, inputs, trace, sources };
}

// Runs

export interface RunView {
  id: number;
  planId: string;
  period: string;
  subject: AppraisalSubject;
  version: number;
  scheme: { id: string; version: number; title: { zh: string; en: string } };
  frozen: boolean;
  published: boolean;
  correctedFrom: number | null;
  reason: string | null;
  createdBy: string | null;
  createdAt: string;
  publishedBy: string | null;
  publishedAt: string | null;
  sources: unknown;
  /** Some inputs are synthetic demo data (示例数据). */
  synthetic: boolean;
}

function runView(r: repo.RunRow): RunView {
  const scheme = r.scheme as AppraisalScheme;
  const sources = r.sources as { survey?: { synthetic?: boolean } };
  return {
    id: r.id,
    planId: r.plan_id,
    period: r.period,
    subject: r.subject,
    version: r.version,
    scheme: { id: scheme.id, version: scheme.version, title: scheme.title },
    frozen: r.frozen,
    published: r.published,
    correctedFrom: r.corrected_from,
    reason: r.reason,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    publishedBy: r.published_by,
    publishedAt: r.published_at?.toISOString() ?? null,
    sources: r.sources,
    synthetic: sources.survey?.synthetic === true,
  };
}

function scoreRecord(
  s: UnitScore,
  scheme: AppraisalScheme,
  trace: Record<string, unknown>,
  input: AppraisalUnitInput,
): repo.NewScore {
  const title = new Map([...scheme.components, ...scheme.rules].map((x) => [x.code, x.title]));
  return {
    org_unit: s.unit,
    total: s.total,
    se: s.se,
    components: s.components.map((c) => ({ ...c, title: title.get(c.code) })),
    bonuses: s.bonus,
    deductions: s.deduction,
    rules: s.rules.map((r) => ({ ...r, title: title.get(r.rule) })),
    rank: s.rank,
    rank_change: s.rankChange,
    significance: {
      above: s.above && { ...s.above, note: describeNote(s.above, 'above') },
      below: s.below && { ...s.below, note: describeNote(s.below, 'below') },
    },
    detail: {
      reweighting: s.reweighting,
      componentPoints: s.componentPoints,
      bonusCapped: s.bonusCapped,
      deductionCapped: s.deductionCapped,
      unlimitedTotal: s.unlimitedTotal,
      limited: s.limited,
      previousRank: s.previousRank,
      input,
      trace,
    },
  };
}

export interface ScoreOptions {
  period: string;
  subject?: AppraisalSubject;
  /** Needed once the period is published: the new version is a correction. */
  reason?: string;
  schemeFile?: string;
  planId?: string;
}

/** Scores a period under the scheme in force and stores it as the next version (a draft). */
export async function scorePeriod(store: Store, ctx: RequestContext, options: ScoreOptions): Promise<RunView> {
  const planId = options.planId ?? (await currentPlanId(store));
  const plan = await getPlan(store, planId);
  await authorize(store, ctx, 'appraisal.edit', plan.rootOrgUnit);
  const period = checkPeriod(options.period);
  const subject = options.subject ?? 'county';
  const { file, schemes } = await loadSchemes(store, planId, options.schemeFile);
  const scheme = schemeInForce(schemes, subject, period);
  if (!scheme)
    throw new AppError('NOT_FOUND', `no ${subject} appraisal scheme in ${basename(file)} is in force for ${period}`);
  const [published] = await repo.findRuns(store.db, { planId, period, subject, published: true });
  const reason = options.reason?.trim() || null;
  if (published && !reason)
    throw new AppError(
      'CONFLICT',
      `${period} was published (version ${published.version}) and does not change; a correction is a new version: give its reason`,
    );
  const gathered = await gatherInputs(store, ctx, planId, scheme, period);
  const [previous] = await repo.findRuns(store.db, {
    planId,
    period: formatPeriod(previousPeriod(period)),
    subject,
    published: true,
  });
  const previousRanks = previous
    ? new Map((await repo.scoresOf(store.db, previous.id)).map((s) => [s.org_unit, s.rank]))
    : new Map<string, number>();
  for (const input of gathered.inputs) input.previousRank = previousRanks.get(input.unit) ?? null;
  let scores: UnitScore[];
  try {
    scores = scoreAppraisal(scheme, gathered.inputs);
  } catch (e) {
    if (e instanceof RangeError) throw new AppError('INVALID_INPUT', e.message);
    throw e;
  }
  const inputOf = new Map(gathered.inputs.map((i) => [i.unit, i]));
  const run = await store.db.transaction().execute(async (trx) => {
    const row = await repo.insertRun(
      trx,
      {
        planId,
        period,
        subject,
        schemeId: scheme.id,
        schemeVersion: scheme.version,
        scheme,
        sources: { ...gathered.sources, schemeFile: basename(file), previousRun: previous?.id ?? null },
        correctedFrom: published?.id ?? null,
        reason,
        createdBy: who(ctx),
      },
      scores.map((s) => scoreRecord(s, scheme, gathered.trace.get(s.unit) ?? {}, inputOf.get(s.unit)!)),
    );
    await audit(trx, ctx, {
      action: 'appraisal.score',
      targetType: 'appraisal_run',
      targetId: row.id,
      after: {
        period,
        subject,
        version: row.version,
        scheme: `${scheme.id} v${scheme.version}`,
        correctedFrom: row.corrected_from,
        reason,
        units: scores.length,
      },
    });
    return row;
  });
  return runView(run);
}

async function runOf(
  store: Store,
  planId: string,
  period: string,
  subject: AppraisalSubject,
  version?: number,
): Promise<repo.RunRow> {
  const runs = await repo.findRuns(store.db, { planId, period, subject });
  const run = version === undefined ? runs[0] : runs.find((r) => r.version === version);
  if (!run) throw notFound(`${subject} appraisal of ${period}${version === undefined ? '' : ` version ${version}`}`);
  return run;
}

/** Freezes the latest version of a period (its numbers no longer change; it can then be published). */
export async function freezePeriod(
  store: Store,
  ctx: RequestContext,
  options: { period: string; subject?: AppraisalSubject; planId?: string },
): Promise<RunView> {
  const planId = options.planId ?? (await currentPlanId(store));
  const plan = await getPlan(store, planId);
  await authorize(store, ctx, 'appraisal.approve', plan.rootOrgUnit);
  const run = await runOf(store, planId, checkPeriod(options.period), options.subject ?? 'county');
  if (run.frozen) throw new AppError('CONFLICT', `${run.period} version ${run.version} is frozen already`);
  return store.db.transaction().execute(async (trx) => {
    const row = await repo.freezeRun(trx, run.id, who(ctx));
    if (!row) throw new AppError('CONFLICT', `${run.period} version ${run.version} is frozen already`);
    await audit(trx, ctx, {
      action: 'appraisal.freeze',
      targetType: 'appraisal_run',
      targetId: run.id,
      after: { period: run.period, version: run.version },
    });
    return runView(row);
  });
}

/** Publishes the latest version of a period (freezing it if needed). Published, it does not change. */
export async function publishPeriod(
  store: Store,
  ctx: RequestContext,
  options: { period: string; subject?: AppraisalSubject; planId?: string },
): Promise<RunView> {
  const planId = options.planId ?? (await currentPlanId(store));
  const plan = await getPlan(store, planId);
  await authorize(store, ctx, 'appraisal.approve', plan.rootOrgUnit);
  const run = await runOf(store, planId, checkPeriod(options.period), options.subject ?? 'county');
  if (run.published)
    throw new AppError(
      'CONFLICT',
      `${run.period} version ${run.version} is published already; to correct it, score the period again with a reason`,
    );
  return store.db.transaction().execute(async (trx) => {
    if (!run.frozen) await repo.freezeRun(trx, run.id, who(ctx));
    const row = await repo.publishRun(trx, run.id, who(ctx));
    if (!row) throw new AppError('CONFLICT', `${run.period} version ${run.version} changed meanwhile; try again`);
    await audit(trx, ctx, {
      action: 'appraisal.publish',
      targetType: 'appraisal_run',
      targetId: run.id,
      after: { period: run.period, version: run.version, correctedFrom: run.corrected_from, reason: run.reason },
    });
    return runView(row);
  });
}

// Views

export interface ScoreView {
  orgUnit: string;
  name: string;
  total: number;
  se: number;
  rank: number;
  rankChange: number | null;
  bonuses: number;
  deductions: number;
  components: unknown;
  rules: unknown;
  significance: unknown;
  detail?: unknown;
}

const scoreView = (s: repo.ScoreRow & { name: string }, withDetail: boolean): ScoreView => ({
  orgUnit: s.org_unit,
  name: s.name,
  total: s.total,
  se: s.se,
  rank: s.rank,
  rankChange: s.rank_change,
  bonuses: s.bonuses,
  deductions: s.deductions,
  components: s.components,
  rules: s.rules,
  significance: s.significance,
  ...(withDetail && { detail: s.detail }),
});

export interface AppraisalTable {
  run: RunView;
  versions: {
    id: number;
    version: number;
    frozen: boolean;
    published: boolean;
    correctedFrom: number | null;
    reason: string | null;
  }[];
  rows: ScoreView[];
}

/**
 * The appraisal of a period: the latest published version (or `version`); an unpublished one only for
 * those who may read reports over the whole plan. Rows are those the asker may read (report.read):
 * a county's leader sees the county's own row.
 */
export async function viewPeriod(
  store: Store,
  ctx: RequestContext,
  options: { period: string; subject?: AppraisalSubject; version?: number; planId?: string },
): Promise<AppraisalTable> {
  requireSignedIn(ctx);
  const planId = options.planId ?? (await currentPlanId(store));
  const plan = await getPlan(store, planId);
  const period = checkPeriod(options.period);
  const subject = options.subject ?? 'county';
  const root = await getOrgUnit(store.db, plan.rootOrgUnit);
  const whole = can(ctx.actor, 'report.read', root!.path);
  const runs = await repo.findRuns(store.db, { planId, period, subject });
  const visible = whole ? runs : runs.filter((r) => r.published);
  const run =
    options.version === undefined
      ? (visible.find((r) => r.published) ?? visible[0])
      : visible.find((r) => r.version === options.version);
  if (!run)
    throw notFound(
      `${subject} appraisal of ${period}${options.version === undefined ? '' : ` version ${options.version}`}`,
    );
  let rows = await repo.scoresOf(store.db, run.id);
  if (!whole) {
    const scopes = scopesOf(ctx.actor, 'report.read');
    const paths = new Map((await listOrgUnits(store.db, { within: plan.rootOrgUnit })).map((u) => [u.code, u.path]));
    rows = rows.filter((s) => scopes.some((p) => paths.get(s.org_unit)?.startsWith(p)));
    if (rows.length === 0) throw notFound(`${subject} appraisal of ${period}`);
  }
  return {
    run: runView(run),
    versions: visible.map((r) => ({
      id: r.id,
      version: r.version,
      frozen: r.frozen,
      published: r.published,
      correctedFrom: r.corrected_from,
      reason: r.reason,
    })),
    rows: rows.map((s) => scoreView(s, false)),
  };
}

/** One unit's breakdown: every component, rule and note, with the inputs they were computed from. */
export async function viewUnit(
  store: Store,
  ctx: RequestContext,
  options: { period: string; orgUnit: string; subject?: AppraisalSubject; version?: number; planId?: string },
): Promise<{ run: RunView; score: ScoreView }> {
  await authorize(store, ctx, 'report.read', options.orgUnit, { hide: `org unit ${options.orgUnit}` });
  const unit = await getOrgUnit(store.db, options.orgUnit);
  const subject = options.subject ?? (unit?.kind === 'department' ? 'department' : 'county');
  const table = await viewPeriod(store, ctx, { ...options, subject });
  const [score] = await repo.scoresOf(store.db, table.run.id, [options.orgUnit]);
  if (!score) throw notFound(`${options.orgUnit} in the ${subject} appraisal of ${options.period}`);
  return { run: table.run, score: scoreView(score, true) };
}

export async function listRuns(
  store: Store,
  ctx: RequestContext,
  options: { subject?: AppraisalSubject; planId?: string } = {},
): Promise<RunView[]> {
  requireSignedIn(ctx);
  const planId = options.planId ?? (await currentPlanId(store));
  const plan = await getPlan(store, planId);
  const root = await getOrgUnit(store.db, plan.rootOrgUnit);
  const whole = can(ctx.actor, 'report.read', root!.path);
  const runs = await repo.findRuns(store.db, { planId, ...(options.subject && { subject: options.subject }) });
  return runs.filter((r) => whole || r.published).map(runView);
}

// Events

export interface EventView {
  id: number;
  orgUnit: string;
  period: string;
  rule: string;
  quantity: number;
  evidence: string;
  status: repo.EventStatus;
  recordedBy: string | null;
  recordedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
}

const eventView = (e: repo.EventRow): EventView => ({
  id: e.id,
  orgUnit: e.org_unit,
  period: e.period,
  rule: e.rule,
  quantity: e.quantity,
  evidence: e.evidence,
  status: e.status,
  recordedBy: e.recorded_by,
  recordedAt: e.recorded_at.toISOString(),
  decidedBy: e.decided_by,
  decidedAt: e.decided_at?.toISOString() ?? null,
  decisionNote: e.decision_note,
});

/** Records a bonus or deduction event with its evidence; it counts once approved. */
export async function recordEvent(
  store: Store,
  ctx: RequestContext,
  e: {
    period: string;
    orgUnit: string;
    rule: string;
    quantity?: number;
    evidence: string;
    planId?: string;
    schemeFile?: string;
  },
): Promise<EventView> {
  await authorize(store, ctx, 'appraisal.edit', e.orgUnit);
  const planId = e.planId ?? (await currentPlanId(store));
  const period = checkPeriod(e.period);
  const unit = (await getOrgUnit(store.db, e.orgUnit))!;
  const subject: AppraisalSubject = unit.kind === 'department' ? 'department' : 'county';
  if (subject === 'county' && unit.level !== 'county')
    throw new AppError(
      'INVALID_INPUT',
      `${unit.name} (${unit.code}) is not a county or a department: it is not appraised`,
    );
  const { schemes } = await loadSchemes(store, planId, e.schemeFile);
  const scheme = schemeInForce(schemes, subject, period);
  const rule = scheme?.rules.find((r) => r.code === e.rule);
  if (!scheme || !rule)
    throw new AppError(
      'INVALID_INPUT',
      `rule ${e.rule} is not in the ${subject} scheme in force for ${period}${
        scheme
          ? `; its rules: ${scheme.rules
              .filter((r) => !r.automatic)
              .map((r) => r.code)
              .join(', ')}`
          : ''
      }`,
    );
  if (rule.automatic)
    throw new AppError('INVALID_INPUT', `rule ${e.rule} is applied from the problem loop, not recorded by hand`);
  const quantity = e.quantity ?? 1;
  if (!(quantity > 0) || !Number.isFinite(quantity))
    throw new AppError('INVALID_INPUT', `quantity must be > 0, not ${quantity}`);
  if (!e.evidence.trim())
    throw new AppError('INVALID_INPUT', 'an event needs its evidence (a document number, a link)');
  return store.db.transaction().execute(async (trx) => {
    const row = await repo.insertEvent(trx, {
      planId,
      orgUnit: e.orgUnit,
      period,
      rule: e.rule,
      quantity,
      evidence: e.evidence.trim(),
      recordedBy: who(ctx),
    });
    await audit(trx, ctx, {
      action: 'appraisal.event.record',
      targetType: 'appraisal_event',
      targetId: row.id,
      after: eventView(row),
    });
    return eventView(row);
  });
}

/** Approves or rejects a recorded event; whoever recorded it may not decide it. */
export async function decideEvent(
  store: Store,
  ctx: RequestContext,
  id: number,
  decision: { approve: boolean; note?: string },
): Promise<EventView> {
  const event = await repo.findEvent(store.db, id);
  if (!event) throw notFound(`appraisal event ${id}`);
  const plan = await getPlan(store, event.plan_id);
  await authorize(store, ctx, 'appraisal.approve', plan.rootOrgUnit);
  if (ctx.actor.kind === 'user' && event.recorded_by === ctx.actor.username)
    throw new AppError('FORBIDDEN', 'an event is approved by someone other than who recorded it');
  return store.db.transaction().execute(async (trx) => {
    const row = await repo.decideEvent(trx, id, {
      status: decision.approve ? 'approved' : 'rejected',
      by: who(ctx),
      note: decision.note?.trim() || null,
    });
    if (!row) throw new AppError('CONFLICT', `appraisal event ${id} was ${event.status} already`);
    await audit(trx, ctx, {
      action: decision.approve ? 'appraisal.event.approve' : 'appraisal.event.reject',
      targetType: 'appraisal_event',
      targetId: id,
      before: { status: event.status },
      after: { status: row.status, note: row.decision_note },
    });
    return eventView(row);
  });
}

/** Events of a period the asker may read (report.read on the unit). */
export async function listEvents(
  store: Store,
  ctx: RequestContext,
  options: { period?: string; planId?: string } = {},
): Promise<EventView[]> {
  requireSignedIn(ctx);
  const planId = options.planId ?? (await currentPlanId(store));
  const plan = await getPlan(store, planId);
  const scopes = scopesOf(ctx.actor, 'report.read');
  const paths = new Map((await listOrgUnits(store.db, { within: plan.rootOrgUnit })).map((u) => [u.code, u.path]));
  const rows = await repo.findEvents(store.db, {
    planId,
    ...(options.period && { period: checkPeriod(options.period) }),
  });
  return rows.filter((e) => scopes.some((p) => paths.get(e.org_unit)?.startsWith(p))).map(eventView);
}

// Surveys

const HEADERS: Record<string, readonly string[]> = {
  respondent: ['respondent', 'respondent_id', '受访者', '受访者编号'],
  weight: ['weight', '权重'],
  unit: ['unit', 'org_unit', '单位', '单位代码'],
  question: ['question', '题目', '问题'],
  answer: ['answer', '答案', '评分'],
  period: ['period', '期间'],
};

export interface SurveyImportResult {
  file: string;
  rows: number;
  imported: number;
  rejected: Issue[];
}

interface SurveyRow {
  row: number;
  respondent: string;
  weight: number;
  orgUnit: string;
  question: string;
  answer: number | null;
  period: string;
}

const issue = (code: Issue['code'], file: string, row: number, column: string, zh: string, en: string): Issue => ({
  code,
  severity: 'error',
  file,
  row,
  column,
  message: { zh, en },
});

/** Cells of a spreadsheet or CSV row as text (numbers kept as numbers for the number reader). */
type Cell = string | number | null;

async function readRows(fileName: string, content: Uint8Array): Promise<Cell[][]> {
  if (/\.xlsx$/i.test(fileName)) {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(content) as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0];
    if (!sheet) throw new AppError('INVALID_FILE', `${fileName} has no worksheet`);
    const rows: Cell[][] = [];
    sheet.eachRow({ includeEmpty: true }, (row, n) => {
      const cells: Cell[] = [];
      row.eachCell({ includeEmpty: true }, (cell, col) => {
        const v = cell.value as unknown;
        cells[col - 1] =
          v === null || v === undefined
            ? null
            : typeof v === 'number' || typeof v === 'string'
              ? v
              : typeof v === 'object' && 'result' in v
                ? ((v as { result: Cell }).result ?? null)
                : typeof v === 'object' && 'richText' in v
                  ? (v as { richText: { text: string }[] }).richText.map((t) => t.text).join('')
                  : String(cell.text);
      });
      rows[n - 1] = cells;
    });
    return Array.from(rows, (r) => r ?? []);
  }
  if (!/\.(csv|txt)$/i.test(fileName))
    throw new AppError('INVALID_FILE', `${fileName}: a survey comes as .csv or .xlsx`);
  try {
    return parseCsv(
      Buffer.from(content)
        .toString('utf8')
        .replace(/^\uFEFF/, ''),
    );
  } catch (e) {
    if (e instanceof CsvError) throw new AppError('INVALID_FILE', `${fileName}: ${e.message}`);
    throw e;
  }
}

/** "1-5" → { min: 1, max: 5 }. */
export function parseScale(text: string): { min: number; max: number } {
  const m = /^(-?\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$/.exec(text.trim());
  if (!m) throw new AppError('INVALID_INPUT', `scale ${text}: write it MIN-MAX, e.g. 1-5`);
  return { min: Number(m[1]), max: Number(m[2]) };
}

const text = (c: Cell | undefined) => (c === null || c === undefined ? '' : String(c).trim());

/**
 * Imports survey responses (respondent, weight, unit, question, answer, and period unless given for
 * the whole file) from CSV or XLSX: every row checked, every problem with its row and column; all or
 * nothing unless `partial`. Answers are on `scale` (default 1–5); an empty answer is "not answered".
 */
export async function importSurvey(
  store: Store,
  ctx: RequestContext,
  fileName: string,
  content: Uint8Array,
  options: {
    period?: string;
    scale?: { min: number; max: number };
    partial?: boolean;
    synthetic?: boolean;
    planId?: string;
  } = {},
): Promise<SurveyImportResult> {
  requireSignedIn(ctx);
  const planId = options.planId ?? (await currentPlanId(store));
  const scale = options.scale ?? { min: 1, max: 5 };
  if (!(scale.max > scale.min))
    throw new AppError('INVALID_INPUT', `scale ${scale.min}–${scale.max}: the maximum must exceed the minimum`);
  if (options.period) checkPeriod(options.period);
  const rows = await readRows(fileName, content);
  const header = (rows[0] ?? []).map((c) => text(c).toLowerCase());
  const column: Partial<Record<keyof typeof HEADERS, number>> = {};
  for (const [key, names] of Object.entries(HEADERS)) {
    const i = header.findIndex((h) => names.includes(h));
    if (i >= 0) column[key as keyof typeof HEADERS] = i;
  }
  const missing = (['respondent', 'weight', 'unit', 'question', 'answer'] as const).filter(
    (k) => column[k] === undefined,
  );
  if (!options.period && column.period === undefined) missing.push('period' as never);
  if (missing.length)
    throw new AppError('INVALID_FILE', `${fileName}: the first row names the columns; missing: ${missing.join(', ')}`, [
      issue(
        'bad_header',
        fileName,
        1,
        missing.join(','),
        `缺少列：${missing.join('、')}`,
        `missing columns: ${missing.join(', ')}`,
      ),
    ]);
  const issues: Issue[] = [];
  const good: SurveyRow[] = [];
  const unitPaths = new Map<string, string | null>();
  const seen = new Map<string, number>();
  const weights = new Map<string, { weight: number; row: number }>();
  for (let r = 1; r < rows.length; r++) {
    const cells = rows[r]!;
    if (cells.every((c) => text(c) === '')) continue;
    const row = r + 1;
    const before = issues.length;
    const get = (k: keyof typeof HEADERS) => (column[k] === undefined ? undefined : cells[column[k]!]);
    const respondent = text(get('respondent'));
    const orgUnit = text(get('unit'));
    const question = text(get('question'));
    const period = options.period ?? text(get('period'));
    for (const [k, v] of [
      ['respondent', respondent],
      ['unit', orgUnit],
      ['question', question],
    ] as const)
      if (!v)
        issues.push(
          issue(
            'missing_value',
            fileName,
            row,
            k,
            `未填写${k === 'respondent' ? '受访者编号' : k === 'unit' ? '单位代码' : '题目'}`,
            `no ${k}`,
          ),
        );
    if (!safeParsePeriod(period).ok || periodType(period) === 'month')
      issues.push(
        issue(
          'bad_period',
          fileName,
          row,
          'period',
          `期间“${period}”无效，应为季度（如2024Q4）或年度`,
          `"${period}" is not a quarter (2024Q4) or a year`,
        ),
      );
    const w = parseCellNumber(get('weight'));
    let weight = NaN;
    if (!w.ok || w.value === null)
      issues.push(
        issue(
          'not_a_number',
          fileName,
          row,
          'weight',
          `权重“${text(get('weight'))}”不是数字`,
          `weight "${text(get('weight'))}" is not a number`,
        ),
      );
    else if (w.value < 0)
      issues.push(
        issue(
          'below_minimum',
          fileName,
          row,
          'weight',
          `权重不能为负数，实际为${w.value}`,
          `a weight cannot be negative, got ${w.value}`,
        ),
      );
    else weight = w.value;
    const a = parseCellNumber(get('answer'));
    let answer: number | null = null;
    if (!a.ok)
      issues.push(
        issue('not_a_number', fileName, row, 'answer', `答案“${a.text}”不是数字`, `answer "${a.text}" is not a number`),
      );
    else if (a.value !== null && (a.value < scale.min || a.value > scale.max))
      issues.push(
        issue(
          a.value < scale.min ? 'below_minimum' : 'above_maximum',
          fileName,
          row,
          'answer',
          `答案${a.value}超出量表${scale.min}–${scale.max}`,
          `answer ${a.value} is off the scale ${scale.min}–${scale.max}`,
        ),
      );
    else answer = a.value;
    if (orgUnit) {
      if (!unitPaths.has(orgUnit)) unitPaths.set(orgUnit, (await getOrgUnit(store.db, orgUnit))?.path ?? null);
      const path = unitPaths.get(orgUnit);
      if (!path)
        issues.push(
          issue(
            'unknown_org_unit',
            fileName,
            row,
            'unit',
            `单位代码“${orgUnit}”不存在`,
            `unknown org unit code "${orgUnit}"`,
          ),
        );
      else if (!can(ctx.actor, 'appraisal.edit', path))
        issues.push(
          issue(
            'not_in_scope',
            fileName,
            row,
            'unit',
            `无权导入单位${orgUnit}的调查数据`,
            `you may not import survey responses about ${orgUnit}`,
          ),
        );
    }
    if (issues.length === before) {
      const key = `${period}|${orgUnit}|${respondent}|${question}`;
      const first = seen.get(key);
      const who = `${period}|${orgUnit}|${respondent}`;
      const w0 = weights.get(who);
      if (first !== undefined)
        issues.push(issue('duplicate_row', fileName, row, 'question', `与第${first}行重复`, `repeats row ${first}`));
      else if (w0 && w0.weight !== weight)
        issues.push(
          issue(
            'duplicate_row',
            fileName,
            row,
            'weight',
            `受访者${respondent}在第${w0.row}行的权重为${w0.weight}，此处为${weight}`,
            `respondent ${respondent} has weight ${w0.weight} on row ${w0.row} and ${weight} here`,
          ),
        );
      else {
        seen.set(key, row);
        if (!w0) weights.set(who, { weight, row });
        good.push({ row, respondent, weight, orgUnit, question, answer, period });
      }
    }
  }
  if (issues.length > 0 && !options.partial) {
    const code = issues.some((i) => i.code === 'not_in_scope') ? 'FORBIDDEN' : 'INVALID_FILE';
    throw new AppError(code, `${issues.length} problem(s) in ${fileName}; nothing was imported`, issues);
  }
  await store.db.transaction().execute(async (trx) => {
    await repo.upsertResponses(
      trx,
      good.map((g) => ({
        planId,
        period: g.period,
        respondent: g.respondent,
        weight: g.weight,
        orgUnit: g.orgUnit,
        question: g.question,
        answer: g.answer,
        scaleMin: scale.min,
        scaleMax: scale.max,
        synthetic: options.synthetic ?? false,
        source: fileName,
        importedBy: who(ctx),
      })),
    );
    await audit(trx, ctx, {
      action: 'survey.import',
      targetType: 'survey_response',
      targetId: fileName,
      after: {
        rows: good.length + issues.length,
        imported: good.length,
        rejected: issues.length,
        synthetic: options.synthetic ?? false,
      },
    });
  });
  return { file: fileName, rows: rows.length - 1, imported: good.length, rejected: issues };
}

/** Imports the synthetic demo survey (示例数据) of the counties for a period, marked synthetic. */
export async function loadDemoSurvey(
  store: Store,
  ctx: RequestContext,
  options: { period: string; respondentsPerCounty?: number; planId?: string },
): Promise<SurveyImportResult> {
  const planId = options.planId ?? (await currentPlanId(store));
  const plan = await getPlan(store, planId);
  const counties = (await listOrgUnits(store.db, { within: plan.rootOrgUnit, level: 'county' })).map((u) => u.code);
  const rows = generateDemoSurvey({
    counties,
    period: checkPeriod(options.period),
    ...(options.respondentsPerCounty !== undefined && { respondentsPerCounty: options.respondentsPerCounty }),
  });
  return importSurvey(store, ctx, `demo-survey-${options.period}.csv`, Buffer.from(demoSurveyCsv(rows)), {
    synthetic: true,
    planId,
  });
}
