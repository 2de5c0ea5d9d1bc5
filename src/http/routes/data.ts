/** Data entry and the return workflow: form, values, history, submit, approve, return, unlock. */
import type { FastifyInstance } from 'fastify';
import { VALUE_STATUSES, type ValueStatus } from '../../domain/data.js';
import * as data from '../../services/data.js';
import { AppError } from '../../services/errors.js';
import { routeSchema, type RouteDeps } from '../route.js';
import * as s from '../schemas.js';

const tags = ['data'];

export function dataRoutes(app: FastifyInstance, { store }: RouteDeps): void {
  app.get(
    '/api/v1/data/form',
    {
      schema: routeSchema({
        summary: "A unit's entry form for a period: the indicators that apply, last period's value, the target",
        tags,
        query: s.formQuery,
        response: s.formBody,
      }),
    },
    async (request) => {
      const q = s.formQuery.parse(request.query);
      return data.entryForm(store, request.ctx, q.orgUnit, q.period);
    },
  );

  app.put(
    '/api/v1/data/values',
    {
      schema: routeSchema({
        summary: 'Save values (checked; all or nothing unless partial)',
        tags,
        body: s.saveValuesBody,
        response: s.saveResult,
      }),
    },
    async (request) => {
      const body = s.saveValuesBody.parse(request.body);
      return data.saveValues(store, request.ctx, body.values, { partial: body.partial ?? false });
    },
  );

  app.get(
    '/api/v1/data/values',
    {
      schema: routeSchema({ summary: 'Values I may read, filtered', tags, query: s.valueQuery, response: s.valueList }),
    },
    async (request) => {
      const items = await data.listValues(store, request.ctx, s.valueQuery.parse(request.query));
      return { items: items.map((v) => ({ ...v, updatedAt: v.updatedAt.toISOString() })), total: items.length };
    },
  );

  app.get(
    '/api/v1/data/values/:indicator/:orgUnit/:period/history',
    {
      schema: routeSchema({
        summary: 'Every state a value has had',
        tags,
        params: s.historyParams,
        response: s.historyBody,
      }),
    },
    async (request) => {
      const p = s.historyParams.parse(request.params);
      const items = await data.valueHistory(store, request.ctx, p.indicator, p.orgUnit, p.period);
      return { items: items.map((r) => ({ ...r, changedAt: r.changedAt.toISOString() })) };
    },
  );

  app.get(
    '/api/v1/data/overdue',
    {
      schema: routeSchema({
        summary: 'Figures that are due and not in, per unit of a subtree',
        tags,
        query: s.overdueQuery,
        response: s.overdueBody,
      }),
    },
    async (request) => {
      const q = s.overdueQuery.parse(request.query);
      const asOf = q.asOf ? new Date(q.asOf) : new Date();
      if (Number.isNaN(asOf.getTime())) throw new AppError('INVALID_INPUT', `asOf is not a date-time: ${q.asOf}`);
      return { items: await data.overdue(store, request.ctx, q.orgUnit, asOf) };
    },
  );

  app.get(
    '/api/v1/data/returns',
    {
      schema: routeSchema({
        summary: 'Returns I may read, by status (status=submitted: the approval queue, longest waiting first)',
        tags,
        query: s.returnListQuery,
        response: s.returnList,
      }),
    },
    async (request) => {
      const q = s.returnListQuery.parse(request.query);
      const statuses = q.status?.split(',').map((x) => x.trim());
      const unknown = statuses?.filter((x) => !(VALUE_STATUSES as readonly string[]).includes(x)) ?? [];
      if (unknown.length > 0)
        throw new AppError(
          'INVALID_INPUT',
          `unknown status ${unknown.join(', ')} (known: ${VALUE_STATUSES.join(', ')})`,
        );
      const items = await data.listReturns(store, request.ctx, {
        statuses: statuses as ValueStatus[] | undefined,
        within: q.within,
        limit: q.limit,
      });
      return {
        items: items.map((r) => ({
          ...r,
          updatedAt: r.updatedAt.toISOString(),
          lastEvent: r.lastEvent && { ...r.lastEvent, at: r.lastEvent.at.toISOString() },
        })),
        total: items.length,
      };
    },
  );

  app.get(
    '/api/v1/data/returns/:orgUnit/:period',
    {
      schema: routeSchema({
        summary: "A unit's return for a period: status, lock and its events",
        tags,
        params: s.returnParams,
        response: s.returnBody,
      }),
    },
    async (request) => {
      const p = s.returnParams.parse(request.params);
      const r = await data.returnState(store, request.ctx, p.orgUnit, p.period);
      return { ...r, events: r.events.map((e) => ({ ...e, at: e.at.toISOString() })) };
    },
  );

  for (const [step, summary] of [
    ['submit', 'Submit a return for approval (unusual values must be confirmed first)'],
    ['approve', 'Approve a submitted return (it is then locked)'],
    ['return', 'Return a submitted return to the reporter, with a reason'],
    ['unlock', 'Unlock an approved return, with a reason'],
  ] as const) {
    app.post(
      `/api/v1/data/returns/:orgUnit/:period/${step}`,
      { schema: routeSchema({ summary, tags, params: s.returnParams, body: s.reasonBody, response: s.returnBody }) },
      async (request) => {
        const p = s.returnParams.parse(request.params);
        const reason = s.reasonBody.parse(request.body ?? {}).reason;
        const ctx = request.ctx;
        const run = {
          submit: () => data.submitReturn(store, ctx, p.orgUnit, p.period),
          approve: () => data.approveReturn(store, ctx, p.orgUnit, p.period),
          return: () => data.returnReturn(store, ctx, p.orgUnit, p.period, reason),
          unlock: () => data.unlockReturn(store, ctx, p.orgUnit, p.period, reason),
        }[step];
        const state = await run();
        return { orgUnit: state.orgUnit, period: state.period, status: state.status, locked: state.locked };
      },
    );
  }
}
