/** The plan, its indicators and tasks: public reading. */
import type { FastifyInstance } from 'fastify';
import * as plans from '../../services/plans.js';
import { routeSchema, type RouteDeps } from '../route.js';
import * as s from '../schemas.js';

export function planRoutes(app: FastifyInstance, { store, planId }: RouteDeps): void {
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
}
