/** The list of returns (an approver's queue) through the API, on both databases. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_AUTH } from '../src/config.js';
import { buildApp } from '../src/http/app.js';
import { SYSTEM_CONTEXT } from '../src/services/context.js';
import * as plans from '../src/services/plans.js';
import * as users from '../src/services/users.js';
import { Browser } from './support/http-client.js';
import { describeEachStore } from './support/stores.js';

const MINI = new URL('./fixtures/mini-plan/plan.yaml', import.meta.url).pathname;
const PASSWORD = 'Queue-Of-Returns-42';

interface Item {
  orgUnit: string;
  unitName: string;
  unitLevel: string;
  period: string;
  status: string;
  locked: boolean;
  values: number;
  lastEvent: { action: string; reason: string | null; by: string | null; at: string } | null;
  mayApprove: boolean;
}

describeEachStore('the queue of returns', (store) => {
  let app: FastifyInstance;
  const as = async (username: string) => {
    const b = new Browser(app);
    expect((await b.login(username, PASSWORD)).status).toBe(200);
    return b;
  };
  const summary = (items: Item[]) => items.map((i) => `${i.orgUnit}/${i.period}/${i.status}`);

  beforeAll(async () => {
    await plans.importPlan(store(), MINI);
    const add = (username: string, role: string, unit: string) =>
      users.addUser(store(), SYSTEM_CONTEXT, { username, password: PASSWORD, grants: [{ role, unit }] });
    await add('rep-east', 'reporter', '990101');
    await add('rep-west', 'reporter', '990102');
    await add('app-east', 'approver', '990101');
    await add('leader-city', 'leader', '990100');
    app = await buildApp({ store: store(), auth: { ...DEFAULT_AUTH, loginAttemptsPerMinute: 10_000 } });

    const east = await as('rep-east');
    const west = await as('rep-west');
    const put = (b: Browser, orgUnit: string, period: string, values: [string, number][]) =>
      b.request('PUT', '/api/v1/data/values', {
        values: values.map(([indicator, value]) => ({ indicator, orgUnit, period, value })),
      });
    // East submits 2023 first, then 2024 (two values); 2022 stays a draft; west submits 2024.
    expect((await put(east, '990101', '2023', [['POP', 500000]])).status).toBe(200);
    expect((await east.post('/api/v1/data/returns/990101/2023/submit')).status).toBe(200);
    expect(
      (
        await put(east, '990101', '2024', [
          ['POP', 505000],
          ['INC_PC', 61000],
        ])
      ).status,
    ).toBe(200);
    expect((await east.post('/api/v1/data/returns/990101/2024/submit')).status).toBe(200);
    expect((await put(east, '990101', '2022', [['POP', 498000]])).status).toBe(200);
    expect((await put(west, '990102', '2024', [['POP', 300000]])).status).toBe(200);
    expect((await west.post('/api/v1/data/returns/990102/2024/submit')).status).toBe(200);
  });
  afterAll(async () => {
    await app.close();
  });

  it('gives an approver the submitted returns of their scope only, the longest waiting first', async () => {
    const approver = await as('app-east');
    const res = await approver.get('/api/v1/data/returns?status=submitted');
    expect(res.status).toBe(200);
    expect(summary(res.body.items)).toEqual(['990101/2023/submitted', '990101/2024/submitted']);
    expect(res.body.total).toBe(2);
    const second = res.body.items[1] as Item;
    expect(second).toMatchObject({ unitName: '东区', unitLevel: 'county', values: 2, locked: false, mayApprove: true });
    expect(second.lastEvent).toMatchObject({ action: 'submit', by: 'rep-east', reason: null });
    expect(Number.isNaN(Date.parse(second.lastEvent!.at))).toBe(false);
  });

  it('shows a leader the whole city, but not as someone who may approve', async () => {
    const leader = await as('leader-city');
    const res = await leader.get('/api/v1/data/returns?status=submitted');
    expect(summary(res.body.items)).toEqual([
      '990101/2023/submitted',
      '990101/2024/submitted',
      '990102/2024/submitted',
    ]);
    expect(res.body.items.every((i: Item) => !i.mayApprove)).toBe(true);
    const west = await leader.get('/api/v1/data/returns?status=submitted&within=990102');
    expect(summary(west.body.items)).toEqual(['990102/2024/submitted']);
  });

  it('follows the workflow: an approved or returned return leaves the queue, with its reason kept', async () => {
    const approver = await as('app-east');
    expect((await approver.post('/api/v1/data/returns/990101/2023/approve')).status).toBe(200);
    expect(
      (await approver.post('/api/v1/data/returns/990101/2024/return', { reason: '人均收入口径有误' })).status,
    ).toBe(200);
    expect((await approver.get('/api/v1/data/returns?status=submitted')).body.items).toEqual([]);
    const all = await approver.get('/api/v1/data/returns?status=approved,returned');
    expect(summary(all.body.items)).toEqual(['990101/2023/approved', '990101/2024/returned']);
    expect(all.body.items[0].locked).toBe(true);
    expect(all.body.items[1].lastEvent).toMatchObject({ action: 'return', reason: '人均收入口径有误', by: 'app-east' });
  });

  it('lists a reporter their own returns in every status', async () => {
    const reporter = await as('rep-west');
    const res = await reporter.get('/api/v1/data/returns');
    expect(summary(res.body.items)).toEqual(['990102/2024/submitted']);
    expect(res.body.items[0].mayApprove).toBe(false);
  });

  it('refuses an unknown status and an anonymous caller', async () => {
    const approver = await as('app-east');
    const bad = await approver.get('/api/v1/data/returns?status=submitted,pending');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/unknown status pending/);
    expect((await new Browser(app).get('/api/v1/data/returns?status=submitted')).status).toBe(401);
  });
});
