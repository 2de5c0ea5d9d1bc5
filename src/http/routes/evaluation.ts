/** Evaluations: run one, list runs, read a run's cells and horse race, reproduce a frozen run. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import * as evaluation from '../../services/evaluation.js';
import { routeSchema, type RouteDeps } from '../route.js';
import * as s from '../schemas.js';

const tags = ['evaluation'];
/** Which targets a run is evaluated against (target adjustments, 动态调整; see routes/target-adjustments.ts). */
const targetBasis = z.enum(['adjusted', 'original']);
const runBody = s.runBody.extend({
  targets: targetBasis
    .optional()
    .describe("'adjusted' (default): with the approved adjustments; 'original': as the plan was loaded"),
});
const runSummary = s.runSummary.extend({ targetBasis, targetAdjustments: z.array(z.number().int()) });
const runList = z.object({ items: z.array(runSummary) });

export function evaluationRoutes(app: FastifyInstance, { store }: RouteDeps): void {
  const runId = async (param: unknown) => {
    const { id } = s.runParam.parse(param);
    return id === 'latest' ? evaluation.latestRunId(store) : id;
  };

  app.post(
    '/api/v1/evaluations',
    {
      schema: routeSchema({
        summary: 'Evaluate the whole plan on the current data and store the run',
        tags,
        body: runBody,
        response: runSummary,
        status: 201,
      }),
    },
    async (request, reply) => {
      const body = runBody.parse(request.body ?? {});
      const { run } = await evaluation.runEvaluation(store, request.ctx, {
        ...(body.year !== undefined && { asOfYear: body.year }),
        ...(body.freeze && { freeze: true }),
        ...(body.label && { label: body.label }),
        ...(body.targets && { targets: body.targets }),
      });
      return reply.status(201).send(run);
    },
  );

  app.get(
    '/api/v1/evaluations',
    { schema: routeSchema({ summary: 'Stored runs, newest first', tags, response: runList }) },
    async (request) => ({
      items: await evaluation.listRuns(store, request.ctx),
    }),
  );

  app.get(
    '/api/v1/evaluations/:id',
    {
      schema: routeSchema({
        summary: "A run ('latest' for the newest)",
        tags,
        params: s.runParam,
        response: runSummary,
      }),
    },
    async (request) => evaluation.viewRun(store, request.ctx, await runId(request.params)),
  );

  app.get(
    '/api/v1/evaluations/:id/cells',
    {
      schema: routeSchema({
        summary: "A run's cells: status, value, targets with explanations, series",
        tags,
        params: s.runParam,
        query: s.cellQuery,
        response: s.cellList,
      }),
    },
    async (request) => ({
      items: await evaluation.runCells(
        store,
        request.ctx,
        await runId(request.params),
        s.cellQuery.parse(request.query),
      ),
    }),
  );

  app.get(
    '/api/v1/evaluations/:id/ranking',
    {
      schema: routeSchema({
        summary: 'The horse race of a run for a year: composite index, ranks, rank change, improvement',
        tags,
        params: s.runParam,
        query: s.rankingQuery,
        response: s.ranking,
      }),
    },
    async (request) =>
      evaluation.runRanking(store, request.ctx, await runId(request.params), s.rankingQuery.parse(request.query).year),
  );

  app.get(
    '/api/v1/evaluations/:id/reproduce',
    {
      schema: routeSchema({
        summary: 'Recompute a run from the value history as it stood and compare fingerprints',
        tags,
        params: s.runParam,
        response: s.reproduction,
      }),
    },
    async (request) => evaluation.reproduceRun(store, request.ctx, await runId(request.params)),
  );
}
