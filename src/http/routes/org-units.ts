/** Org units: public reading of the tree. */
import type { FastifyInstance } from 'fastify';
import * as orgUnits from '../../services/org-units.js';
import { routeSchema, type RouteDeps } from '../route.js';
import * as s from '../schemas.js';

export function orgUnitRoutes(app: FastifyInstance, { store }: RouteDeps): void {
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
}
