/**
 * The Fastify application: REST under /api/v1, OpenAPI at /api/docs. Routes are thin: parse the
 * request, call a use case in services/, answer. Errors are mapped to responses in one place.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { z } from 'zod';
import type { Store } from '../store/db.js';
import { registerErrorHandler } from './errors.js';
import * as s from './schemas.js';
import * as plans from '../services/plans.js';
import * as orgUnits from '../services/org-units.js';

export interface AppOptions {
  store: Store;
  /** Show this plan; default: the most recently loaded. */
  planId?: string;
  logger?: FastifyServerOptions['logger'];
}

const errorResponses = {
  400: s.jsonSchema(s.errorBody),
  404: s.jsonSchema(s.errorBody),
  500: s.jsonSchema(s.errorBody),
};

function routeSchema(opts: {
  summary: string;
  tags: string[];
  response: z.ZodType;
  query?: z.ZodType;
  params?: z.ZodType;
}) {
  return {
    summary: opts.summary,
    tags: opts.tags,
    ...(opts.query && { querystring: s.jsonSchema(opts.query) }),
    ...(opts.params && { params: s.jsonSchema(opts.params) }),
    response: { 200: s.jsonSchema(opts.response), ...errorResponses },
  };
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { store } = options;
  const app = Fastify({
    logger: options.logger ?? false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true, useDefaults: true } },
  });
  registerErrorHandler(app);

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Gongfu API',
        description: 'Targets, data, evaluation and the closed loop of a common-prosperity implementation plan.',
        version: '1',
      },
      tags: [
        { name: 'plan', description: 'The plan: goal areas, sections, tasks, indicators and targets' },
        { name: 'org-units', description: 'Regions (city, counties, towns, villages) and departments' },
        { name: 'system', description: 'Health' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  const planId = () => plans.currentPlanId(store, options.planId);

  app.get(
    '/healthz',
    { schema: routeSchema({ summary: 'Liveness and the plan served', tags: ['system'], response: s.health }) },
    async () => {
      const plan = await planId().catch(() => null);
      return { status: 'ok' as const, database: store.kind, plan };
    },
  );

  app.get(
    '/api/v1/plan',
    { schema: routeSchema({ summary: 'The whole plan', tags: ['plan'], response: s.planBody }) },
    async () => plans.getPlan(store, await planId()),
  );

  app.get(
    '/api/v1/indicators',
    {
      schema: routeSchema({
        summary: 'Indicators, by goal area or task',
        tags: ['plan'],
        query: s.indicatorQuery,
        response: s.indicatorList,
      }),
    },
    async (request) => {
      const q = s.indicatorQuery.parse(request.query);
      const items = await plans.listIndicators(store, await planId(), q);
      return { items, total: items.length };
    },
  );

  app.get(
    '/api/v1/indicators/:code',
    {
      schema: routeSchema({
        summary: 'One indicator with its targets and source',
        tags: ['plan'],
        params: s.codeParam,
        response: s.planBody.shape.indicators.element,
      }),
    },
    async (request) => plans.getIndicator(store, await planId(), s.codeParam.parse(request.params).code),
  );

  app.get(
    '/api/v1/tasks',
    {
      schema: routeSchema({
        summary: 'Tasks of the plan with their responsible units',
        tags: ['plan'],
        query: s.taskQuery,
        response: s.taskList,
      }),
    },
    async (request) => {
      const q = s.taskQuery.parse(request.query);
      const items = await plans.listTasks(store, await planId(), q);
      return { items, total: items.length };
    },
  );

  app.get(
    '/api/v1/org-units',
    {
      schema: routeSchema({
        summary: 'Org units: children of a parent, or by level, kind or subtree',
        tags: ['org-units'],
        query: s.orgUnitQuery,
        response: s.orgUnitList,
      }),
    },
    async (request) => {
      const q = s.orgUnitQuery.parse(request.query);
      const items = await orgUnits.listOrgUnits(store, q);
      return { items, total: items.length };
    },
  );

  app.get(
    '/api/v1/org-units/:code',
    {
      schema: routeSchema({
        summary: 'One org unit with its ancestors and the size of its subtree',
        tags: ['org-units'],
        params: s.codeParam,
        response: s.orgUnitDetail,
      }),
    },
    async (request) => {
      const { code } = s.codeParam.parse(request.params);
      const unit = await orgUnits.getOrgUnit(store, code);
      return { ...unit, subtree: await orgUnits.countSubtree(store, code) };
    },
  );

  return app;
}
