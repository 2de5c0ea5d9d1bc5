/**
 * The assessment report (评估报告) of a year: the evaluation of the plan as of that year, laid out
 * as print-ready HTML or an XLSX workbook; with `org`, one county's scorecard alone. Needs report.read
 * on the unit reported on (a county leader may print their county's scorecard).
 */
import { evaluate } from '../engine/evaluate.js';
import {
  buildReportModel,
  type AppraisalSection,
  type LoopSection,
  type ReportLanguage,
  type ReportModel,
} from '../report/model.js';
import { renderReportHtml } from '../report/html.js';
import { renderReportXlsx } from '../report/xlsx.js';
import type { Store } from '../store/db.js';
import { getOrgUnits } from '../store/org-units.js';
import { authorize, type RequestContext } from './context.js';
import { AppError } from './errors.js';
import { loadEvaluationInput } from './evaluation.js';
import { currentPlanId, getPlan } from './plans.js';
import { loopFigures } from './problems.js';
import { viewPeriod, type AppraisalTable } from './appraisal.js';

export const REPORT_FORMATS = ['html', 'xlsx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportRequest {
  period: string;
  org?: string | undefined;
  language?: ReportLanguage;
  now?: Date;
}

/** The report's data: the evaluation as of the year, the names it shows, the loop's figures. */
export async function reportModel(store: Store, ctx: RequestContext, req: ReportRequest): Promise<ReportModel> {
  if (!/^\d{4}$/.test(req.period.trim()))
    throw new AppError('INVALID_INPUT', `period "${req.period}": the assessment report is of a year (e.g. 2024)`);
  const year = Number(req.period.trim());
  const plan = await getPlan(store, await currentPlanId(store));
  const org = req.org && req.org !== plan.rootOrgUnit ? req.org : undefined;
  await authorize(store, ctx, 'report.read', org ?? plan.rootOrgUnit);
  const loaded = await loadEvaluationInput(store, plan.id, { asOfYear: year });
  const evaluation = evaluate(loaded.input);
  if (org && !evaluation.horseRace.codes.includes(org))
    throw new AppError(
      'INVALID_INPUT',
      `${org} is not one of the counties of the horse race: a scorecard is for a county`,
    );
  if (!evaluation.horseRace.years.includes(year))
    throw new AppError(
      'INVALID_INPUT',
      `no evaluation for ${year}: the data run from ${evaluation.years[0]} to ${evaluation.asOf}`,
    );
  const names = new Map(loaded.input.orgUnits.map((u) => [u.code, u.name ?? u.code]));
  const leads = [...new Set(plan.tasks.flatMap((t) => t.lead.map((l) => l.unit)))];
  for (const u of await getOrgUnits(store.db, leads)) names.set(u.code, u.name);
  const synthetic = !!(await store.db
    .selectFrom('data_value')
    .select('indicator')
    .where('synthetic', '=', true)
    .limit(1)
    .executeTakeFirst());
  let loop: LoopSection | null = null;
  if (!org) {
    // The reader may not see the loop (problem.read), or it may be empty: the report says it has no data.
    const figures = await loopFigures(store, ctx, { planId: plan.id }).catch(() => null);
    if (figures && figures.total.total > 0) loop = { total: figures.total, byCounty: figures.byCounty };
  }
  // The county appraisal of the year's last quarter: published, else the latest scored (marked so).
  let appraisal: AppraisalSection | null = null;
  if (!org) {
    const table = await viewPeriod(store, ctx, { period: `${year}Q4`, subject: 'county', planId: plan.id }).catch(
      () => null,
    );
    if (table) appraisal = appraisalSection(table, req.language ?? 'zh');
  }
  return buildReportModel({
    evaluation,
    appraisal,
    year,
    language: req.language ?? 'zh',
    names,
    synthetic,
    only: org,
    loop,
    ...(req.now && { now: req.now }),
  });
}

interface ScoredRow {
  points: number;
  score: number | null;
  code: string;
  title?: { zh: string; en: string };
  weight: number;
}
interface Note {
  verdict: string;
}

function appraisalSection(t: AppraisalTable, lang: ReportLanguage): AppraisalSection {
  const first = (t.rows[0]?.components ?? []) as ScoredRow[];
  const local = (x: { zh: string; en: string } | undefined, fallback: string) =>
    x ? (lang === 'en' ? x.en : x.zh) : fallback;
  return {
    period: t.run.period,
    version: t.run.version,
    published: t.run.published,
    frozen: t.run.frozen,
    correctedFrom: t.run.correctedFrom,
    reason: t.run.reason,
    synthetic: t.run.synthetic,
    scheme: `${local(t.run.scheme.title, t.run.scheme.id)} v${t.run.scheme.version}`,
    components: first.map((c) => ({ code: c.code, title: local(c.title, c.code), weight: c.weight })),
    rows: [...t.rows]
      .sort((a, b) => a.rank - b.rank || a.orgUnit.localeCompare(b.orgUnit))
      .map((r) => {
        const notes = Object.values(r.significance as Record<string, Note | null>);
        return {
          code: r.orgUnit,
          name: r.name,
          rank: r.rank,
          rankChange: r.rankChange,
          total: r.total,
          se: r.se,
          points: Object.fromEntries(
            (r.components as ScoredRow[]).map((c) => [c.code, c.score === null ? null : c.points]),
          ),
          bonuses: r.bonuses,
          deductions: r.deductions,
          mark: notes.some((n) => n?.verdict === 'tied')
            ? '='
            : notes.some((n) => n?.verdict === 'within_uncertainty')
              ? '≈'
              : '',
        };
      }),
  };
}

export async function assessmentReport(
  store: Store,
  ctx: RequestContext,
  req: ReportRequest & { format: ReportFormat },
): Promise<{ fileName: string; contentType: string; body: string | Buffer; model: ReportModel }> {
  const model = await reportModel(store, ctx, req);
  const base = `gongfu-report-${model.year}${model.only ? `-${model.only.code}` : ''}`;
  if (req.format === 'xlsx')
    return {
      fileName: `${base}.xlsx`,
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      body: await renderReportXlsx(model),
      model,
    };
  return { fileName: `${base}.html`, contentType: 'text/html; charset=utf-8', body: renderReportHtml(model), model };
}
