/**
 * Target adjustment (动态调整): propose, approve, reject, withdraw; and the evaluation against the
 * original and the adjusted targets side by side.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ADJUSTMENT_STATUSES } from '../../store/target-adjustments.js';
import * as adjustments from '../../services/target-adjustments.js';
import { routeSchema, type RouteDeps } from '../route.js';

const tags = ['evaluation'];
const localized = z.object({ zh: z.string(), en: z.string() });
/** A target in the plan file's form; its kinds and fields are those of the plan schema (src/domain/plan.ts). */
const targetObject = z
  .object({ kind: z.string() })
  .catchall(z.unknown())
  .describe(
    'A target as in the plan file: kind (level, growth, yearly, cumulative, trend, relative, rank) and its fields',
  );

const adjustmentView = z.object({
  id: z.number().int(),
  planId: z.string(),
  indicator: z.string(),
  indicatorName: localized.nullable(),
  targetIndex: z.number().int().describe("Position in the indicator's targets, from 0"),
  original: targetObject,
  adjusted: targetObject,
  justification: z.string(),
  status: z.enum(ADJUSTMENT_STATUSES),
  statusLabel: localized,
  inForce: z.boolean(),
  inForceFrom: z.string().nullable(),
  stale: z.boolean().describe("The plan's target is no longer the one adjusted (the plan was reloaded)"),
  proposedBy: z.string().nullable(),
  proposedAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
  withdrawnBy: z.string().nullable(),
  withdrawnAt: z.string().nullable(),
  withdrawReason: z.string().nullable(),
});
const adjustmentList = z.object({ items: z.array(adjustmentView), total: z.number().int() });
const adjustmentQuery = z.object({
  status: z.enum(ADJUSTMENT_STATUSES).optional(),
  indicator: z.string().optional(),
});
const proposalBody = z.object({
  indicator: z.string().min(1),
  targetIndex: z.number().int().min(0).describe("Position in the indicator's targets, from 0"),
  target: targetObject,
  justification: z.string().min(1).max(4000),
});
const idParam = z.object({ id: z.coerce.number().int().positive() });
const approveBody = z.object({ note: z.string().max(2000).optional() });
const rejectBody = z.object({ note: z.string().min(1).max(2000).describe('Why it is rejected') });
const withdrawBody = z.object({
  reason: z.string().max(2000).optional().describe('Required to lift an adjustment in force'),
});

const targetSide = z.object({
  cellStatus: z.string(),
  status: z.string(),
  targetValue: z.number().nullable(),
  targetYear: z.number().int().nullable(),
  progress: z.number().nullable(),
  expectedToDate: z.number().nullable(),
  sdgScore: z.number().nullable(),
});
const comparison = z.object({
  asOfYear: z.number().int(),
  fingerprints: z.object({ original: z.string(), adjusted: z.string() }),
  adjustments: z.array(adjustmentView),
  rows: z.array(
    z.object({
      indicator: z.string(),
      orgUnit: z.string(),
      orgUnitName: z.string(),
      targetIndex: z.number().int(),
      adjustmentId: z.number().int(),
      year: z.number().int().nullable(),
      value: z.number().nullable(),
      original: targetSide,
      adjusted: targetSide,
      changed: z.boolean(),
    }),
  ),
});
const compareQuery = z.object({ year: z.coerce.number().int().min(1949).max(2100).optional() });

export function targetAdjustmentRoutes(app: FastifyInstance, { store, planId }: RouteDeps): void {
  app.get(
    '/api/v1/target-adjustments',
    {
      schema: routeSchema({
        summary: 'Target adjustments (动态调整): proposed, in force, rejected, withdrawn',
        tags,
        query: adjustmentQuery,
        response: adjustmentList,
      }),
    },
    async (request) => {
      const items = await adjustments.listAdjustments(store, request.ctx, {
        planId: await planId(),
        ...adjustmentQuery.parse(request.query),
      });
      return { items, total: items.length };
    },
  );

  app.post(
    '/api/v1/target-adjustments',
    {
      schema: routeSchema({
        summary: 'Propose a new version of one target of an indicator, with a justification',
        tags,
        body: proposalBody,
        response: adjustmentView,
        status: 201,
      }),
    },
    async (request, reply) =>
      reply.status(201).send(
        await adjustments.proposeAdjustment(store, request.ctx, {
          planId: await planId(),
          ...proposalBody.parse(request.body),
        }),
      ),
  );

  app.post(
    '/api/v1/target-adjustments/:id/approve',
    {
      schema: routeSchema({
        summary: 'Approve a proposed adjustment (not its proposer): it is in force from now',
        tags,
        params: idParam,
        body: approveBody,
        response: adjustmentView,
      }),
    },
    async (request) =>
      adjustments.approveAdjustment(
        store,
        request.ctx,
        idParam.parse(request.params).id,
        approveBody.parse(request.body ?? {}).note,
      ),
  );

  app.post(
    '/api/v1/target-adjustments/:id/reject',
    {
      schema: routeSchema({
        summary: 'Reject a proposed adjustment, saying why (not its proposer)',
        tags,
        params: idParam,
        body: rejectBody,
        response: adjustmentView,
      }),
    },
    async (request) =>
      adjustments.rejectAdjustment(
        store,
        request.ctx,
        idParam.parse(request.params).id,
        rejectBody.parse(request.body).note,
      ),
  );

  app.post(
    '/api/v1/target-adjustments/:id/withdraw',
    {
      schema: routeSchema({
        summary: 'Withdraw a proposal, or lift an adjustment in force (with a reason)',
        tags,
        params: idParam,
        body: withdrawBody,
        response: adjustmentView,
      }),
    },
    async (request) =>
      adjustments.withdrawAdjustment(
        store,
        request.ctx,
        idParam.parse(request.params).id,
        withdrawBody.parse(request.body ?? {}).reason,
      ),
  );

  app.get(
    '/api/v1/evaluations/compare-targets',
    {
      schema: routeSchema({
        summary:
          'The evaluation against the original and the adjusted targets side by side (root and its children, adjusted indicators only)',
        tags,
        query: compareQuery,
        response: comparison,
      }),
    },
    async (request) =>
      adjustments.compareTargetBases(store, request.ctx, {
        planId: await planId(),
        asOfYear: compareQuery.parse(request.query).year,
      }),
  );
}
