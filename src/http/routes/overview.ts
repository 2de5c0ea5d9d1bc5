/**
 * The leaders' overview in one request, the plan's region boundaries (GeoJSON) for the map, and
 * whether an anonymous browser may read as the demo visitor.
 */
import type { FastifyInstance } from 'fastify';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { DEMO_VISITOR_ACTIONS } from '../../services/context.js';
import { AppError, notFound } from '../../services/errors.js';
import { getOverview, OVERVIEW_STATUSES } from '../../services/overview.js';
import { getPlan } from '../../services/plans.js';
import { getPlanSource } from '../../store/plans.js';
import { routeSchema, type RouteDeps } from '../route.js';

const localized = z.object({ zh: z.string(), en: z.string() });
const statusCounts = z.object(Object.fromEntries(OVERVIEW_STATUSES.map((s) => [s, z.number().int()])));
const nullableNumber = z.number().nullable();

export const overviewBody = z.object({
  plan: z.object({
    id: z.string(),
    title: localized,
    shortTitle: localized.nullable(),
    rootOrgUnit: z.string(),
    baseYear: z.number().int(),
    targetYear: z.number().int(),
  }),
  run: z.object({
    id: z.number().int(),
    asOfYear: z.number().int(),
    dataAsOf: z.string(),
    createdAt: z.string(),
    frozen: z.boolean(),
    label: z.string().nullable(),
    stale: z.boolean().describe('Values changed after the run read them'),
    createdNow: z.boolean().describe('No run existed: this request ran the evaluation'),
  }),
  latestPeriods: z.record(z.string(), z.string()).describe('The latest period with data, per period type'),
  values: z.object({ total: z.number().int(), synthetic: z.number().int() }),
  dimensions: z.array(
    z.object({ code: z.string(), name: localized, indicators: z.number().int(), statuses: statusCounts }),
  ),
  units: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      level: z.string(),
      index: nullableNumber,
      coverage: nullableNumber,
      rank: nullableNumber,
      rankChange: nullableNumber,
      dimensions: z.record(z.string(), nullableNumber),
      statuses: statusCounts,
      history: z.array(z.object({ year: z.number().int(), index: nullableNumber, rank: nullableNumber })),
    }),
  ),
  headline: z.array(
    z.object({
      indicator: z.string(),
      name: localized,
      unit: z.string(),
      dimension: z.string(),
      direction: z.string(),
      year: nullableNumber,
      value: nullableNumber,
      status: z.string(),
      target: z.object({ kind: z.string(), value: nullableNumber, year: nullableNumber }).nullable(),
      progress: nullableNumber,
      series: z.object({ years: z.array(z.number().int()), values: z.array(nullableNumber) }),
      synthetic: z.boolean(),
    }),
  ),
});

const visitorBody = z.object({
  enabled: z.boolean().describe('Anonymous browsers read as the demo visitor (the server holds demo data)'),
  rootOrgUnit: z.string().nullable(),
  actions: z.array(z.string()),
});

const geoJson = z
  .object({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()) })
  .describe('GeoJSON FeatureCollection; each feature has properties.code and properties.name');

export function overviewRoutes(app: FastifyInstance, { store, planId }: RouteDeps): void {
  app.get(
    '/api/v1/overview',
    {
      schema: routeSchema({
        summary:
          'The overview (全局一屏掌控): composite index of the city and each county, statuses by goal area, headline goals, latest period — from the latest evaluation run (one is run first when none exists)',
        tags: ['evaluation'],
        response: overviewBody,
      }),
    },
    async (request) => getOverview(store, request.ctx),
  );

  app.get(
    '/api/v1/demo-visitor',
    {
      schema: routeSchema({
        summary: 'Whether an anonymous browser may read as the demo visitor (only on a server holding demo data)',
        tags: ['auth'],
        response: visitorBody,
      }),
    },
    async () => {
      const root = await app.demoVisitorRoot();
      return { enabled: !!root, rootOrgUnit: root?.code ?? null, actions: root ? [...DEMO_VISITOR_ACTIONS] : [] };
    },
  );

  // Public like the org units themselves: the regions' outlines, from the file the plan names.
  let cached: { plan: string; body: string } | undefined;
  app.get(
    '/api/v1/org-units/boundaries',
    {
      schema: routeSchema({
        summary: "The plan's region boundaries (GeoJSON), as its plan file names them (orgUnits.boundaries)",
        tags: ['org-units'],
        response: geoJson,
      }),
    },
    async (_request, reply) => {
      const id = await planId();
      if (cached?.plan !== id) {
        const plan = await getPlan(store, id);
        const file = plan.orgUnits?.boundaries;
        const source = await getPlanSource(store.db, id);
        if (!file || !source) throw notFound(`boundaries of plan ${id}`);
        const path = resolve(dirname(source.file), file);
        const text = await readFile(path, 'utf8').catch(() => {
          throw new AppError('NOT_FOUND', `the boundary file ${path} named by plan ${id} cannot be read`);
        });
        cached = { plan: id, body: text };
      }
      // Sent as it is (half a megabyte of coordinates): no re-serialising.
      return reply
        .type('application/json; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .serializer((x: unknown) => x as string)
        .send(cached.body);
    },
  );
}
