/** Task lists: the three lists, their items, progress reports with evidence, comments, splits, replies, export. */
import type { FastifyInstance } from 'fastify';
import * as tasks from '../../services/tasks.js';
import { routeSchema, type RouteDeps } from '../route.js';
import { jsonSchema } from '../schemas.js';
import * as s from '../schemas-tasks.js';

const tags = ['tasks'];
/** A report carries its evidence files (5 MB each, base64) in the JSON body. */
const REPORT_BODY_LIMIT = 40 * 1024 * 1024;

export function taskRoutes(app: FastifyInstance, { store, planId }: RouteDeps): void {
  app.get(
    '/api/v1/task-lists',
    {
      schema: routeSchema({
        summary: 'The three lists (重点任务, 突破性抓手, 重大改革诉求) with counts',
        tags,
        response: s.taskLists,
      }),
    },
    async (request) => ({ items: await tasks.listTaskLists(store, request.ctx, await planId()) }),
  );

  app.get(
    '/api/v1/task-figures',
    {
      schema: routeSchema({
        summary: 'Task lists in numbers per lead unit: items, milestones due, met on time, late, overdue, on-time rate',
        tags,
        query: s.taskFiguresQuery,
        response: s.taskFigures,
      }),
    },
    async (request) =>
      tasks.taskFiguresByUnit(store, request.ctx, {
        planId: await planId(),
        ...s.taskFiguresQuery.parse(request.query),
      }),
  );

  app.get(
    '/api/v1/task-items',
    {
      schema: routeSchema({
        summary: 'Items the caller may read',
        tags,
        query: s.taskItemQuery,
        response: s.taskItemList,
      }),
    },
    async (request) => {
      const items = await tasks.listItems(store, request.ctx, {
        planId: await planId(),
        ...s.taskItemQuery.parse(request.query),
      });
      return { items, total: items.length };
    },
  );

  app.post(
    '/api/v1/task-items',
    {
      schema: routeSchema({
        summary: 'Add an item to a list',
        tags,
        body: s.newItemBody,
        response: s.taskItemDetail,
        status: 201,
      }),
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await tasks.createItem(store, request.ctx, { planId: await planId(), ...s.newItemBody.parse(request.body) }),
        ),
  );

  app.get(
    '/api/v1/task-items/:id',
    {
      schema: routeSchema({
        summary: 'An item with its milestones and timeline',
        tags,
        params: s.idParam,
        response: s.taskItemDetail,
      }),
    },
    async (request) => tasks.getItem(store, request.ctx, s.idParam.parse(request.params).id),
  );

  app.patch(
    '/api/v1/task-items/:id',
    {
      schema: routeSchema({
        summary: 'Edit, re-scope, re-list or change the status of an item; add milestones',
        tags,
        params: s.idParam,
        body: s.itemChangeBody,
        response: s.taskItemDetail,
      }),
    },
    async (request) =>
      tasks.updateItem(store, request.ctx, s.idParam.parse(request.params).id, s.itemChangeBody.parse(request.body)),
  );

  app.post(
    '/api/v1/task-items/:id/split',
    {
      schema: routeSchema({
        summary: 'Split an item into parts',
        tags,
        params: s.idParam,
        body: s.splitBody,
        response: s.splitResult,
        status: 201,
      }),
    },
    async (request, reply) =>
      reply.status(201).send({
        items: await tasks.splitItem(
          store,
          request.ctx,
          s.idParam.parse(request.params).id,
          s.splitBody.parse(request.body).parts,
        ),
      }),
  );

  app.post(
    '/api/v1/task-items/:id/reports',
    {
      bodyLimit: REPORT_BODY_LIMIT,
      schema: routeSchema({
        summary: 'Report progress (text, percent, milestone, evidence files)',
        tags,
        params: s.idParam,
        body: s.reportBody,
        response: s.taskItemDetail,
        status: 201,
      }),
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await tasks.reportProgress(
            store,
            request.ctx,
            s.idParam.parse(request.params).id,
            s.reportBody.parse(request.body),
          ),
        ),
  );

  app.post(
    '/api/v1/task-items/:id/comments',
    {
      schema: routeSchema({
        summary: 'Comment in the item’s timeline',
        tags,
        params: s.idParam,
        body: s.commentBody,
        status: 204,
      }),
    },
    async (request, reply) => {
      await tasks.commentOnItem(
        store,
        request.ctx,
        s.idParam.parse(request.params).id,
        s.commentBody.parse(request.body).text,
      );
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/task-items/:id/reply',
    {
      schema: routeSchema({
        summary: 'Record the higher level’s reply to a reform request',
        tags,
        params: s.idParam,
        body: s.replyBody,
        response: s.taskItemDetail,
      }),
    },
    async (request) =>
      tasks.recordReply(store, request.ctx, s.idParam.parse(request.params).id, s.replyBody.parse(request.body)),
  );

  app.get(
    '/api/v1/evidence/:sha256',
    {
      schema: {
        summary: 'An evidence file (for those who may read an item that names it)',
        tags,
        params: jsonSchema(s.shaParam),
      },
    },
    async (request, reply) => {
      const f = await tasks.evidenceFile(store, request.ctx, s.shaParam.parse(request.params).sha256);
      return reply
        .header('content-type', f.media_type)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(f.file_name)}`)
        .send(f.content);
    },
  );

  app.get(
    '/api/v1/task-lists.xlsx',
    { schema: { summary: 'The three lists as an Excel workbook', tags } },
    async (request, reply) =>
      reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', 'attachment; filename="task-lists.xlsx"')
        .send(await tasks.exportListsXlsx(store, request.ctx, await planId())),
  );
}
