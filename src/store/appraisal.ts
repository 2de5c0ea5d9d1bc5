/** Repository of appraisal: events, survey responses, scored runs and their scores (migration 0007). */
import { sql, type ColumnType, type Generated, type Kysely, type Selectable } from 'kysely';
import type { Database } from './schema.js';

type Json<T> = ColumnType<T, string, string>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type EventStatus = 'recorded' | 'approved' | 'rejected';
export type Subject = 'county' | 'department';

export interface AppraisalEventTable {
  id: Generated<number>;
  plan_id: string;
  org_unit: string;
  period: string;
  rule: string;
  quantity: number;
  evidence: string;
  status: ColumnType<EventStatus, EventStatus | undefined, EventStatus>;
  recorded_by: string | null;
  recorded_at: Timestamp;
  decided_by: string | null;
  decided_at: Date | null;
  decision_note: string | null;
}

export interface SurveyResponseTable {
  id: Generated<string>;
  plan_id: string;
  period: string;
  respondent: string;
  weight: number;
  org_unit: string;
  question: string;
  answer: number | null;
  scale_min: number;
  scale_max: number;
  synthetic: boolean;
  source: string | null;
  imported_by: string | null;
  imported_at: Timestamp;
}

export interface AppraisalRunTable {
  id: Generated<number>;
  plan_id: string;
  period: string;
  subject: Subject;
  version: number;
  scheme_id: string;
  scheme_version: number;
  scheme: Json<unknown>;
  sources: Json<unknown>;
  frozen: ColumnType<boolean, boolean | undefined, boolean>;
  published: ColumnType<boolean, boolean | undefined, boolean>;
  corrected_from: number | null;
  reason: string | null;
  created_by: string | null;
  created_at: Timestamp;
  frozen_by: string | null;
  frozen_at: Date | null;
  published_by: string | null;
  published_at: Date | null;
}

export interface AppraisalScoreTable {
  run_id: number;
  org_unit: string;
  total: number;
  se: number;
  components: Json<unknown>;
  bonuses: number;
  deductions: number;
  rules: Json<unknown>;
  rank: number;
  rank_change: number | null;
  significance: Json<unknown>;
  detail: Json<unknown>;
}

export type AppraisalTables = {
  appraisal_event: AppraisalEventTable;
  survey_response: SurveyResponseTable;
  appraisal_run: AppraisalRunTable;
  appraisal_score: AppraisalScoreTable;
};
type Db = Kysely<Database & AppraisalTables>;
const appraisalDb = (db: Kysely<Database>): Db => db.withTables<AppraisalTables>();

export type EventRow = Selectable<AppraisalEventTable>;
export type RunRow = Selectable<AppraisalRunTable>;
export type ScoreRow = Selectable<AppraisalScoreTable>;

// Events

export interface NewEvent {
  planId: string;
  orgUnit: string;
  period: string;
  rule: string;
  quantity: number;
  evidence: string;
  recordedBy: string | null;
}

export async function insertEvent(db: Kysely<Database>, e: NewEvent): Promise<EventRow> {
  return appraisalDb(db)
    .insertInto('appraisal_event')
    .values({
      plan_id: e.planId,
      org_unit: e.orgUnit,
      period: e.period,
      rule: e.rule,
      quantity: e.quantity,
      evidence: e.evidence,
      recorded_by: e.recordedBy,
      decided_by: null,
      decided_at: null,
      decision_note: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findEvent(db: Kysely<Database>, id: number): Promise<EventRow | undefined> {
  return appraisalDb(db).selectFrom('appraisal_event').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Decides a recorded event; returns the row, or undefined when it was not recorded (decided already). */
export async function decideEvent(
  db: Kysely<Database>,
  id: number,
  decision: { status: 'approved' | 'rejected'; by: string | null; note: string | null },
): Promise<EventRow | undefined> {
  return appraisalDb(db)
    .updateTable('appraisal_event')
    .set({ status: decision.status, decided_by: decision.by, decided_at: new Date(), decision_note: decision.note })
    .where('id', '=', id)
    .where('status', '=', 'recorded')
    .returningAll()
    .executeTakeFirst();
}

export async function findEvents(
  db: Kysely<Database>,
  f: { planId: string; period?: string; orgUnits?: readonly string[]; status?: EventStatus },
): Promise<EventRow[]> {
  let q = appraisalDb(db).selectFrom('appraisal_event').selectAll().where('plan_id', '=', f.planId);
  if (f.period) q = q.where('period', '=', f.period);
  if (f.orgUnits) q = q.where('org_unit', 'in', f.orgUnits.length ? [...f.orgUnits] : ['__none__']);
  if (f.status) q = q.where('status', '=', f.status);
  return q.orderBy('id').execute();
}

// Survey responses

export interface NewResponse {
  planId: string;
  period: string;
  respondent: string;
  weight: number;
  orgUnit: string;
  question: string;
  answer: number | null;
  scaleMin: number;
  scaleMax: number;
  synthetic: boolean;
  source: string | null;
  importedBy: string | null;
}

const CHUNK = 1000;

/** Adds or replaces responses (one per plan × period × unit × respondent × question). */
export async function upsertResponses(db: Kysely<Database>, rows: readonly NewResponse[]): Promise<number> {
  for (let i = 0; i < rows.length; i += CHUNK)
    await appraisalDb(db)
      .insertInto('survey_response')
      .values(
        rows.slice(i, i + CHUNK).map((r) => ({
          plan_id: r.planId,
          period: r.period,
          respondent: r.respondent,
          weight: r.weight,
          org_unit: r.orgUnit,
          question: r.question,
          answer: r.answer,
          scale_min: r.scaleMin,
          scale_max: r.scaleMax,
          synthetic: r.synthetic,
          source: r.source,
          imported_by: r.importedBy,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['plan_id', 'period', 'org_unit', 'respondent', 'question']).doUpdateSet((eb) => ({
          weight: eb.ref('excluded.weight'),
          answer: eb.ref('excluded.answer'),
          scale_min: eb.ref('excluded.scale_min'),
          scale_max: eb.ref('excluded.scale_max'),
          synthetic: eb.ref('excluded.synthetic'),
          source: eb.ref('excluded.source'),
          imported_by: eb.ref('excluded.imported_by'),
          imported_at: sql<Date>`now()`,
        })),
      )
      .execute();
  return rows.length;
}

export interface ResponseRecord {
  respondent: string;
  weight: number;
  orgUnit: string;
  unitPath: string;
  question: string;
  answer: number | null;
  scaleMin: number;
  scaleMax: number;
  synthetic: boolean;
}

/** A period's responses about units within `withinPath`. */
export async function responsesFor(
  db: Kysely<Database>,
  f: { planId: string; period: string; withinPath: string },
): Promise<ResponseRecord[]> {
  const prefix = `${f.withinPath.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await appraisalDb(db)
    .selectFrom('survey_response as s')
    .innerJoin('org_unit as u', 'u.code', 's.org_unit')
    .select([
      's.respondent',
      's.weight',
      's.org_unit',
      'u.path',
      's.question',
      's.answer',
      's.scale_min',
      's.scale_max',
      's.synthetic',
    ])
    .where('s.plan_id', '=', f.planId)
    .where('s.period', '=', f.period)
    .where('u.path', 'like', prefix)
    .orderBy('s.org_unit')
    .orderBy('s.respondent')
    .orderBy('s.question')
    .execute();
  return rows.map((r) => ({
    respondent: r.respondent,
    weight: r.weight,
    orgUnit: r.org_unit,
    unitPath: r.path,
    question: r.question,
    answer: r.answer,
    scaleMin: r.scale_min,
    scaleMax: r.scale_max,
    synthetic: r.synthetic,
  }));
}

// Runs and scores

export interface NewRun {
  planId: string;
  period: string;
  subject: Subject;
  schemeId: string;
  schemeVersion: number;
  scheme: unknown;
  sources: unknown;
  correctedFrom: number | null;
  reason: string | null;
  createdBy: string | null;
}

export type NewScore = Omit<ScoreRow, 'run_id' | 'components' | 'rules' | 'significance' | 'detail'> & {
  components: unknown;
  rules: unknown;
  significance: unknown;
  detail: unknown;
};

/** Inserts a run (the next version of its period and subject) with its scores; call inside a transaction. */
export async function insertRun(db: Kysely<Database>, run: NewRun, scores: readonly NewScore[]): Promise<RunRow> {
  const a = appraisalDb(db);
  const { max } = await a
    .selectFrom('appraisal_run')
    .select((eb) => eb.fn.max('version').as('max'))
    .where('plan_id', '=', run.planId)
    .where('period', '=', run.period)
    .where('subject', '=', run.subject)
    .executeTakeFirstOrThrow();
  const row = await a
    .insertInto('appraisal_run')
    .values({
      plan_id: run.planId,
      period: run.period,
      subject: run.subject,
      version: (max ?? 0) + 1,
      scheme_id: run.schemeId,
      scheme_version: run.schemeVersion,
      scheme: JSON.stringify(run.scheme),
      sources: JSON.stringify(run.sources),
      corrected_from: run.correctedFrom,
      reason: run.reason,
      created_by: run.createdBy,
      frozen_by: null,
      frozen_at: null,
      published_by: null,
      published_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  if (scores.length > 0)
    await a
      .insertInto('appraisal_score')
      .values(
        scores.map((s) => ({
          ...s,
          run_id: row.id,
          components: JSON.stringify(s.components),
          rules: JSON.stringify(s.rules),
          significance: JSON.stringify(s.significance),
          detail: JSON.stringify(s.detail),
        })),
      )
      .execute();
  return row;
}

export async function findRun(db: Kysely<Database>, id: number): Promise<RunRow | undefined> {
  return appraisalDb(db).selectFrom('appraisal_run').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Runs of a period and subject, newest version first. */
export async function findRuns(
  db: Kysely<Database>,
  f: { planId: string; period?: string; subject?: Subject; published?: boolean },
): Promise<RunRow[]> {
  let q = appraisalDb(db).selectFrom('appraisal_run').selectAll().where('plan_id', '=', f.planId);
  if (f.period) q = q.where('period', '=', f.period);
  if (f.subject) q = q.where('subject', '=', f.subject);
  if (f.published !== undefined) q = q.where('published', '=', f.published);
  return q.orderBy('period', 'desc').orderBy('version', 'desc').execute();
}

export async function freezeRun(db: Kysely<Database>, id: number, by: string | null): Promise<RunRow | undefined> {
  return appraisalDb(db)
    .updateTable('appraisal_run')
    .set({ frozen: true, frozen_by: by, frozen_at: new Date() })
    .where('id', '=', id)
    .where('frozen', '=', false)
    .returningAll()
    .executeTakeFirst();
}

export async function publishRun(db: Kysely<Database>, id: number, by: string | null): Promise<RunRow | undefined> {
  return appraisalDb(db)
    .updateTable('appraisal_run')
    .set({ published: true, published_by: by, published_at: new Date() })
    .where('id', '=', id)
    .where('frozen', '=', true)
    .where('published', '=', false)
    .returningAll()
    .executeTakeFirst();
}

export async function scoresOf(
  db: Kysely<Database>,
  runId: number,
  orgUnits?: readonly string[],
): Promise<(ScoreRow & { name: string })[]> {
  let q = appraisalDb(db)
    .selectFrom('appraisal_score as s')
    .innerJoin('org_unit as u', 'u.code', 's.org_unit')
    .selectAll('s')
    .select('u.name')
    .where('s.run_id', '=', runId);
  if (orgUnits) q = q.where('s.org_unit', 'in', orgUnits.length ? [...orgUnits] : ['__none__']);
  return q.orderBy('s.rank').orderBy('s.org_unit').execute();
}
