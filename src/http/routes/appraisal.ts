/**
 * Appraisal (考核): score a period, freeze and publish it, read the table and a unit's breakdown;
 * bonus and deduction events with approval; satisfaction survey import.
 *
 * For screens and reports: `GET /api/v1/appraisals/{period}` (the table: run, versions, one row per
 * unit the asker may read) and `GET /api/v1/appraisals/{period}/units/{code}` (the breakdown with
 * every component, rule, significance note and the inputs they came from).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { APPRAISAL_SUBJECTS } from '../../domain/appraisal-scheme.js';
import * as appraisal from '../../services/appraisal.js';
import { AppError } from '../../services/errors.js';
import { routeSchema, type RouteDeps } from '../route.js';
import * as s from '../schemas.js';

const tags = ['appraisal'];

const localized = z.object({ zh: z.string(), en: z.string() });
const periodParam = z.object({ period: z.string().describe('A quarter (2024Q4) or a year (2024)') });
const unitParams = periodParam.extend({ code: z.string() });
const subject = z.enum(APPRAISAL_SUBJECTS).optional().describe('county (default) or department');
const viewQuery = z.object({
  subject,
  version: z.coerce.number().int().positive().optional().describe('A version (default: the latest published)'),
});
const scoreBody = z.object({
  subject,
  reason: z
    .string()
    .max(2000)
    .optional()
    .describe('Needed once the period is published: the new version is a correction'),
});
const subjectBody = z.object({ subject });

const runView = z.object({
  id: z.number().int(),
  planId: z.string(),
  period: z.string(),
  subject: z.enum(APPRAISAL_SUBJECTS),
  version: z.number().int(),
  scheme: z.object({ id: z.string(), version: z.number().int(), title: localized }),
  frozen: z.boolean(),
  published: z.boolean(),
  correctedFrom: z.number().int().nullable(),
  reason: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  publishedBy: z.string().nullable(),
  publishedAt: z.string().nullable(),
  sources: z.unknown().describe('Where the inputs came from: evaluation run, survey (synthetic?), loop counts, events'),
  synthetic: z.boolean().describe('Some inputs are synthetic demo data (示例数据)'),
});
const scoreRow = z.object({
  orgUnit: z.string(),
  name: z.string(),
  total: z.number(),
  se: z.number().describe('Standard error of the total, points'),
  rank: z.number().int().describe('Competition ranking (1, 2, 2, 4) on the published total'),
  rankChange: z.number().int().nullable().describe('Previous rank − rank: positive = moved up'),
  bonuses: z.number(),
  deductions: z.number(),
  components: z
    .unknown()
    .describe('Per component: raw 0–100 score, SE, score within floor…cap, weight, points, inputs'),
  rules: z.unknown().describe('Per rule applied: points each, quantity, raw, capped points, event ids'),
  significance: z
    .unknown()
    .describe('Against the neighbours above and below: gap, margin z·√(SE₁²+SE₂²), verdict, note'),
});
const table = z.object({
  run: runView,
  versions: z.array(
    z.object({
      id: z.number().int(),
      version: z.number().int(),
      frozen: z.boolean(),
      published: z.boolean(),
      correctedFrom: z.number().int().nullable(),
      reason: z.string().nullable(),
    }),
  ),
  rows: z.array(scoreRow),
});
const breakdown = z.object({ run: runView, score: scoreRow.extend({ detail: z.unknown() }) });

const eventView = z.object({
  id: z.number().int(),
  orgUnit: z.string(),
  period: z.string(),
  rule: z.string(),
  quantity: z.number(),
  evidence: z.string(),
  status: z.enum(['recorded', 'approved', 'rejected']),
  recordedBy: z.string().nullable(),
  recordedAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
});
const eventBody = z.object({
  period: z.string(),
  orgUnit: z.string(),
  rule: z.string().describe('A rule of the scheme in force that is not automatic'),
  quantity: z.number().positive().optional(),
  evidence: z.string().min(1).max(2000),
});
const decisionBody = z.object({ note: z.string().max(2000).optional() });
const issue = z.object({
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  message: localized,
  file: z.string().optional(),
  row: z.number().int().optional(),
  column: z.string().optional(),
});
const surveyQuery = z.object({
  period: z.string().optional().describe('The period of every row (else a period column)'),
  scale: z
    .string()
    .regex(/^-?\d+(\.\d+)?-\d+(\.\d+)?$/, 'a scale is written MIN-MAX, e.g. 1-5')
    .optional()
    .describe('The answer scale, default 1-5'),
  partial: z.enum(['true', 'false']).optional(),
});
const surveyResult = z.object({
  file: z.string(),
  rows: z.number().int(),
  imported: z.number().int(),
  rejected: z.array(issue),
});

export function appraisalRoutes(app: FastifyInstance, { store }: RouteDeps): void {
  app.get(
    '/api/v1/appraisals',
    {
      schema: routeSchema({
        summary: 'Scored periods and their versions (unpublished ones only for readers of the whole plan)',
        tags,
        query: z.object({ subject }),
        response: z.object({ items: z.array(runView) }),
      }),
    },
    async (request) => {
      const q = z.object({ subject }).parse(request.query);
      return { items: await appraisal.listRuns(store, request.ctx, q.subject ? { subject: q.subject } : {}) };
    },
  );

  app.get(
    '/api/v1/appraisals/:period',
    {
      schema: routeSchema({
        summary: "A period's appraisal table: the run, its versions, one row per unit the asker may read",
        tags,
        params: periodParam,
        query: viewQuery,
        response: table,
      }),
    },
    async (request) => {
      const { period } = periodParam.parse(request.params);
      const q = viewQuery.parse(request.query);
      return appraisal.viewPeriod(store, request.ctx, {
        period,
        ...(q.subject && { subject: q.subject }),
        ...(q.version !== undefined && { version: q.version }),
      });
    },
  );

  app.get(
    '/api/v1/appraisals/:period/units/:code',
    {
      schema: routeSchema({
        summary: "One unit's breakdown: components, rules, significance notes and the inputs behind them",
        tags,
        params: unitParams,
        query: viewQuery,
        response: breakdown,
      }),
    },
    async (request) => {
      const { period, code } = unitParams.parse(request.params);
      const q = viewQuery.parse(request.query);
      return appraisal.viewUnit(store, request.ctx, {
        period,
        orgUnit: code,
        ...(q.subject && { subject: q.subject }),
        ...(q.version !== undefined && { version: q.version }),
      });
    },
  );

  app.post(
    '/api/v1/appraisals/:period/score',
    {
      schema: routeSchema({
        summary: 'Score a period under the scheme in force; stored as the next version (a correction once published)',
        tags,
        params: periodParam,
        body: scoreBody,
        response: runView,
        status: 201,
      }),
    },
    async (request, reply) => {
      const { period } = periodParam.parse(request.params);
      const body = scoreBody.parse(request.body ?? {});
      const run = await appraisal.scorePeriod(store, request.ctx, {
        period,
        ...(body.subject && { subject: body.subject }),
        ...(body.reason && { reason: body.reason }),
      });
      return reply.status(201).send(run);
    },
  );

  for (const step of ['freeze', 'publish'] as const)
    app.post(
      `/api/v1/appraisals/:period/${step}`,
      {
        schema: routeSchema({
          summary:
            step === 'freeze'
              ? 'Freeze the latest version of a period: its numbers no longer change'
              : 'Publish the latest version of a period (freezing it); published, it does not change',
          tags,
          params: periodParam,
          body: subjectBody,
          response: runView,
        }),
      },
      async (request) => {
        const { period } = periodParam.parse(request.params);
        const body = subjectBody.parse(request.body ?? {});
        const options = { period, ...(body.subject && { subject: body.subject }) };
        return step === 'freeze'
          ? appraisal.freezePeriod(store, request.ctx, options)
          : appraisal.publishPeriod(store, request.ctx, options);
      },
    );

  app.get(
    '/api/v1/appraisal-events',
    {
      schema: routeSchema({
        summary: 'Bonus and deduction events the asker may read',
        tags,
        query: z.object({ period: z.string().optional() }),
        response: z.object({ items: z.array(eventView) }),
      }),
    },
    async (request) => {
      const q = z.object({ period: z.string().optional() }).parse(request.query);
      return { items: await appraisal.listEvents(store, request.ctx, q.period ? { period: q.period } : {}) };
    },
  );

  app.post(
    '/api/v1/appraisal-events',
    {
      schema: routeSchema({
        summary: 'Record a bonus or deduction event with its evidence (it counts once approved)',
        tags,
        body: eventBody,
        response: eventView,
        status: 201,
      }),
    },
    async (request, reply) => {
      const body = eventBody.parse(request.body);
      const event = await appraisal.recordEvent(store, request.ctx, {
        period: body.period,
        orgUnit: body.orgUnit,
        rule: body.rule,
        evidence: body.evidence,
        ...(body.quantity !== undefined && { quantity: body.quantity }),
      });
      return reply.status(201).send(event);
    },
  );

  for (const decision of ['approve', 'reject'] as const)
    app.post(
      `/api/v1/appraisal-events/:id/${decision}`,
      {
        schema: routeSchema({
          summary: `${decision === 'approve' ? 'Approve' : 'Reject'} a recorded event (not by whoever recorded it)`,
          tags,
          params: s.idParam,
          body: decisionBody,
          response: eventView,
        }),
      },
      async (request) => {
        const { id } = s.idParam.parse(request.params);
        const body = decisionBody.parse(request.body ?? {});
        return appraisal.decideEvent(store, request.ctx, id, {
          approve: decision === 'approve',
          ...(body.note && { note: body.note }),
        });
      },
    );

  app.post(
    '/api/v1/surveys/import',
    {
      schema: {
        summary:
          'Import satisfaction survey responses (multipart field "file", CSV or XLSX: respondent, weight, unit, question, answer[, period])',
        tags,
        querystring: s.jsonSchema(surveyQuery),
        consumes: ['multipart/form-data'],
        response: { 200: s.jsonSchema(surveyResult) },
      },
    },
    async (request) => {
      const q = surveyQuery.parse(request.query);
      const file = await request.file();
      if (!file) throw new AppError('INVALID_INPUT', 'send the file as multipart/form-data in a field named "file"');
      const buffer = await file.toBuffer();
      return appraisal.importSurvey(store, request.ctx, file.filename, buffer, {
        ...(q.period && { period: q.period }),
        ...(q.scale && { scale: appraisal.parseScale(q.scale) }),
        partial: q.partial === 'true',
      });
    },
  );
}
