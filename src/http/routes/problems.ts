/** Problems (督办事项) and their workflow, the loop in numbers, the reminder sweep, and the caller's inbox. */
import type { FastifyInstance } from 'fastify';
import { PROBLEM_CATEGORIES, PROBLEM_STATUSES, type ProblemStatus } from '../../domain/problem-workflow.js';
import { AppError } from '../../services/errors.js';
import * as notifications from '../../services/notifications.js';
import * as problems from '../../services/problems.js';
import { routeSchema, type RouteDeps } from '../route.js';
import * as s from '../schemas-tasks.js';

const tags = ['problems'];

function statuses(text: string | undefined): ProblemStatus[] | undefined {
  if (!text) return undefined;
  const list = text.split(',').map((x) => x.trim());
  const bad = list.filter((x) => !(PROBLEM_STATUSES as readonly string[]).includes(x));
  if (bad.length)
    throw new AppError('INVALID_INPUT', `status: ${bad.join(', ')} is not one of ${PROBLEM_STATUSES.join(', ')}`);
  return list as ProblemStatus[];
}

function assignee(text: string | undefined): number | 'me' | undefined {
  if (text === undefined) return undefined;
  if (text === 'me') return 'me';
  if (!/^\d+$/.test(text)) throw new AppError('INVALID_INPUT', `assignee: "${text}" is neither a user id nor 'me'`);
  return Number(text);
}

export function problemRoutes(app: FastifyInstance, { store, planId }: RouteDeps): void {
  app.get(
    '/api/v1/problems',
    {
      schema: routeSchema({
        summary:
          'A page of the problems the caller may read (newest first by default), each with the transitions the caller may make (allowedTransitions), and the total',
        tags,
        query: s.problemQuery,
        response: s.problemList,
      }),
    },
    async (request) => {
      const q = s.problemQuery.parse(request.query);
      return problems.pageProblems(store, request.ctx, {
        planId: await planId(),
        status: statuses(q.status),
        orgUnit: q.orgUnit,
        overdue: q.overdue,
        assignee: assignee(q.assignee),
        category: q.category,
        foundBy: q.foundBy,
        indicator: q.indicator,
        limit: q.limit,
        offset: q.offset,
        order: q.order,
      });
    },
  );

  app.post(
    '/api/v1/problems',
    {
      schema: routeSchema({
        summary: 'Raise a problem about a unit',
        tags,
        body: s.raiseBody,
        response: s.problemDetail,
        status: 201,
      }),
    },
    async (request, reply) =>
      reply.status(201).send(
        await problems.raiseProblem(store, request.ctx, {
          planId: await planId(),
          ...s.raiseBody.parse(request.body),
        }),
      ),
  );

  app.get(
    '/api/v1/problems/:id',
    {
      schema: routeSchema({
        summary: 'A problem with its whole history (who, when, why)',
        tags,
        params: s.idParam,
        response: s.problemDetail,
      }),
    },
    async (request) => problems.getProblem(store, request.ctx, s.idParam.parse(request.params).id),
  );

  app.post(
    '/api/v1/problems/:id/transitions',
    {
      schema: routeSchema({
        summary: 'Move a problem along its workflow: assign (交办), start, submit, reject (验收不通过), close (销号)',
        tags,
        params: s.idParam,
        body: s.transitionBody,
        response: s.problemDetail,
      }),
    },
    async (request) =>
      problems.transitionProblem(
        store,
        request.ctx,
        s.idParam.parse(request.params).id,
        s.transitionBody.parse(request.body),
      ),
  );

  app.get(
    '/api/v1/problem-categories',
    {
      schema: routeSchema({
        summary: 'Problem categories, the seven problem lists (七张问题清单) among them',
        tags,
        response: s.categories,
      }),
    },
    async () => ({ items: Object.entries(PROBLEM_CATEGORIES).map(([code, c]) => ({ code, ...c })) }),
  );

  app.post(
    '/api/v1/problems/sweep',
    {
      schema: routeSchema({
        summary: 'Send due-soon, overdue and escalation notices and open milestone problems (each once)',
        tags,
        response: s.sweepResult,
      }),
    },
    async (request) => problems.sweepProblems(store, request.ctx, { planId: await planId() }),
  );

  app.get(
    '/api/v1/loop-figures',
    {
      schema: routeSchema({
        summary: 'The loop in numbers per unit and per county: open, overdue, closed on time, average days to close',
        tags,
        query: s.loopFiguresQuery,
        response: s.loopFigures,
      }),
    },
    async (request) =>
      problems.loopFigures(store, request.ctx, { planId: await planId(), ...s.loopFiguresQuery.parse(request.query) }),
  );

  app.get(
    '/api/v1/inbox',
    {
      schema: routeSchema({
        summary: 'The caller’s notifications, newest first',
        tags: ['inbox'],
        query: s.inboxQuery,
        response: s.inbox,
      }),
    },
    async (request) => ({ items: await notifications.inbox(store, request.ctx, s.inboxQuery.parse(request.query)) }),
  );

  app.post(
    '/api/v1/inbox/:id/read',
    { schema: routeSchema({ summary: 'Mark a notification read', tags: ['inbox'], params: s.idParam, status: 204 }) },
    async (request, reply) => {
      await notifications.markNotificationRead(store, request.ctx, s.idParam.parse(request.params).id);
      return reply.status(204).send();
    },
  );

  app.put(
    '/api/v1/inbox/email',
    {
      schema: routeSchema({
        summary: 'Where the caller’s notifications are e-mailed (null: nowhere); used only when SMTP is configured',
        tags: ['inbox'],
        body: s.emailBody,
        status: 204,
      }),
    },
    async (request, reply) => {
      await notifications.setMyEmail(store, request.ctx, s.emailBody.parse(request.body).email);
      return reply.status(204).send();
    },
  );
}
