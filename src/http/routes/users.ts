/** User administration and the audit trail. */
import type { FastifyInstance } from 'fastify';
import { formatCsv } from '../../ingest/csv.js';
import * as auditService from '../../services/audit.js';
import * as plans from '../../services/plans.js';
import * as users from '../../services/users.js';
import { routeSchema, type RouteDeps } from '../route.js';
import * as s from '../schemas.js';

export function userRoutes(app: FastifyInstance, { store, planId }: RouteDeps): void {
  const root = async () => (await plans.getPlanSummary(store, await planId())).rootOrgUnit;
  const tags = ['users'];

  app.get(
    '/api/v1/users',
    { schema: routeSchema({ summary: 'Users I administer', tags, response: s.userList }) },
    async (request) => {
      const items = await users.listUsers(store, request.ctx, await root());
      return { items, total: items.length };
    },
  );

  app.post(
    '/api/v1/users',
    {
      schema: routeSchema({
        summary: 'Add a user with roles',
        tags,
        body: s.newUserBody,
        response: s.newUserResult,
        status: 201,
      }),
    },
    async (request, reply) =>
      reply.status(201).send(await users.addUser(store, request.ctx, s.newUserBody.parse(request.body))),
  );

  app.post(
    '/api/v1/users/:id/grants',
    {
      schema: routeSchema({
        summary: 'Grant a role on an org unit',
        tags,
        params: s.idParam,
        body: s.grantBody,
        response: s.userView,
      }),
    },
    async (request) => {
      const { role, unit } = s.grantBody.parse(request.body);
      return users.grantRole(store, request.ctx, s.idParam.parse(request.params).id, role, unit);
    },
  );

  app.delete(
    '/api/v1/users/:id/grants/:role/:unit',
    { schema: routeSchema({ summary: 'Revoke a role', tags, params: s.revokeParams, response: s.userView }) },
    async (request) => {
      const { id, role, unit } = s.revokeParams.parse(request.params);
      return users.revokeRole(store, request.ctx, id, role, unit);
    },
  );

  app.post(
    '/api/v1/users/:id/unlock',
    {
      schema: routeSchema({
        summary: 'Lift a lock-out after failed sign-ins',
        tags,
        params: s.idParam,
        response: s.userView,
      }),
    },
    async (request) => users.unlockUser(store, request.ctx, s.idParam.parse(request.params).id, await root()),
  );

  for (const [path, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    app.post(
      `/api/v1/users/:id/${path}`,
      {
        schema: routeSchema({
          summary: `${path[0]!.toUpperCase()}${path.slice(1)} an account`,
          tags,
          params: s.idParam,
          response: s.userView,
        }),
      },
      async (request) =>
        users.setDisabled(store, request.ctx, s.idParam.parse(request.params).id, disabled, await root()),
    );
  }

  app.get(
    '/api/v1/audit',
    {
      schema: routeSchema({
        summary: 'Search the audit trail (newest first)',
        tags: ['audit'],
        query: s.auditQuery,
        response: s.auditList,
      }),
    },
    async (request) => {
      const items = await auditService.searchAudit(store, request.ctx, await root(), s.auditQuery.parse(request.query));
      return { items: items.map((r) => ({ ...r, at: r.at.toISOString() })) };
    },
  );

  app.get(
    '/api/v1/audit.csv',
    { schema: { summary: 'Export the audit trail as CSV', tags: ['audit'], querystring: s.jsonSchema(s.auditQuery) } },
    async (request, reply) => {
      const items = await auditService.searchAudit(store, request.ctx, await root(), s.auditQuery.parse(request.query));
      const header = [
        'id',
        'at',
        'user_id',
        'username',
        'address',
        'action',
        'target_type',
        'target_id',
        'outcome',
        'before',
        'after',
      ];
      const rows = items.map((r) => [
        String(r.id),
        r.at.toISOString(),
        r.userId === null ? '' : String(r.userId),
        r.username ?? '',
        r.address ?? '',
        r.action,
        r.targetType,
        r.targetId ?? '',
        r.outcome,
        JSON.stringify(r.before),
        JSON.stringify(r.after),
      ]);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="gongfu-audit.csv"')
        .send(formatCsv([header, ...rows]));
    },
  );
}
