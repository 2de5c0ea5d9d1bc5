/** The HTTP API through Fastify's inject (no port), on both databases. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.js';
import * as plans from '../src/services/plans.js';
import { describeEachStore } from './support/stores.js';

const MINI = new URL('./fixtures/mini-plan/plan.yaml', import.meta.url).pathname;

describeEachStore('HTTP API', (store) => {
  let app: FastifyInstance;
  const get = async (url: string) => {
    const res = await app.inject({ method: 'GET', url });
    return { status: res.statusCode, body: res.json() as Record<string, any> };
  };

  beforeAll(async () => {
    app = await buildApp({ store: store() });
  });
  afterAll(async () => {
    await app.close();
  });

  it('says when no plan is loaded', async () => {
    expect((await get('/healthz')).body).toEqual({ status: 'ok', database: store().kind, plan: null });
    const res = await get('/api/v1/plan');
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('NO_PLAN');
  });

  it('serves the plan once imported', async () => {
    await plans.importPlan(store(), MINI);
    expect((await get('/healthz')).body.plan).toBe('mini-2021-2025');
    const { status, body } = await get('/api/v1/plan');
    expect(status).toBe(200);
    expect(body).toEqual(JSON.parse(JSON.stringify(await plans.getPlan(store(), 'mini-2021-2025'))));
  });

  it('filters indicators and answers 404 and 400 with stable codes', async () => {
    expect((await get('/api/v1/indicators?task=1')).body.items.map((i: { code: string }) => i.code)).toEqual([
      'INC_PC',
      'NEW_JOBS',
    ]);
    expect((await get('/api/v1/indicators?dimension=ECOLOGY')).body.total).toBe(2);
    expect((await get('/api/v1/indicators/URBAN_RURAL_RATIO')).body.computation).toEqual({
      kind: 'formula',
      expression: 'INC_URBAN / INC_RURAL',
    });
    const missing = await get('/api/v1/indicators/NOPE');
    expect(missing).toEqual({
      status: 404,
      body: { error: { code: 'NOT_FOUND', message: 'indicator NOPE was not found' } },
    });
    const bad = await get('/api/v1/indicators?task=first');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_INPUT');
  });

  it('lists children of an org unit, regions by default', async () => {
    const { body } = await get('/api/v1/org-units?parent=990100');
    expect(body.items.map((u: { code: string }) => u.code)).toEqual(['990101', '990102']);
    const departments = await get('/api/v1/org-units?parent=990100&kind=department');
    expect(departments.body.items.map((u: { code: string }) => u.code)).toEqual(['990100-fgw', '990100-tjj']);
    expect((await get('/api/v1/org-units?parent=990100&kind=all')).body.total).toBe(4);
    expect((await get('/api/v1/org-units?parent=000000')).status).toBe(404);
  });

  it('shows one org unit with its ancestors and subtree', async () => {
    const { body } = await get('/api/v1/org-units/990101');
    expect(body).toMatchObject({
      code: '990101',
      level: 'county',
      children: 2,
      subtree: { county: 1, town: 2, village: 2 },
    });
    expect(body.ancestors.map((a: { code: string }) => a.code)).toEqual(['990100']);
  });

  it('lists tasks by unit and by list', async () => {
    expect((await get('/api/v1/tasks')).body.total).toBe(2);
    expect((await get('/api/v1/tasks?unit=990100-fgw')).body.items[0].lead).toEqual([
      { unit: '990100-fgw', demo: true },
    ]);
    expect((await get('/api/v1/tasks?list=reform')).body.total).toBe(0);
  });

  it('publishes an OpenAPI document in which every route has a summary and schemas', async () => {
    const { body } = await get('/api/docs/json');
    expect(body.openapi).toBe('3.0.3');
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/indicators',
        '/api/v1/indicators/{code}',
        '/api/v1/org-units',
        '/api/v1/org-units/{code}',
        '/api/v1/plan',
        '/api/v1/tasks',
        '/healthz',
      ]),
    );
    for (const [path, methods] of Object.entries(
      body.paths as Record<string, Record<string, { summary?: string; responses?: object }>>,
    ))
      for (const [method, op] of Object.entries(methods)) {
        expect(op.summary, `${method} ${path}`).toBeTruthy();
        expect(op.responses, `${method} ${path}`).toBeTruthy();
      }
    expect((await app.inject({ method: 'GET', url: '/api/docs' })).statusCode).toBeLessThan(400);
  });

  it('answers unknown routes with a JSON 404', async () => {
    expect(await get('/api/v1/nothing')).toEqual({
      status: 404,
      body: { error: { code: 'NOT_FOUND', message: 'no route for GET /api/v1/nothing' } },
    });
  });
});
