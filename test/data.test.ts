/** Data entry and the return workflow through the API, on both databases. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_AUTH } from '../src/config.js';
import { buildApp } from '../src/http/app.js';
import { SYSTEM_CONTEXT } from '../src/services/context.js';
import * as plans from '../src/services/plans.js';
import * as users from '../src/services/users.js';
import { countAudit } from '../src/store/audit.js';
import { Browser } from './support/http-client.js';
import { describeEachStore } from './support/stores.js';

const MINI = new URL('./fixtures/mini-plan/plan.yaml', import.meta.url).pathname;
const PASSWORD = 'Data-Entry-77';

describeEachStore('data entry and returns', (store) => {
  let app: FastifyInstance;
  const as = async (username: string) => {
    const b = new Browser(app);
    expect((await b.login(username, PASSWORD)).status).toBe(200);
    return b;
  };

  beforeAll(async () => {
    await plans.importPlan(store(), MINI);
    const add = (username: string, role: string, unit: string) =>
      users.addUser(store(), SYSTEM_CONTEXT, { username, password: PASSWORD, grants: [{ role, unit }] });
    await add('rep-east', 'reporter', '990101');
    await add('rep-west', 'reporter', '990102');
    await add('app-east', 'approver', '990101');
    await add('leader-city', 'leader', '990100');
    app = await buildApp({ store: store(), auth: { ...DEFAULT_AUTH, loginAttemptsPerMinute: 10_000 } });
  });
  afterAll(async () => {
    await app.close();
  });

  const v = (indicator: string, value: number | null, extra: Record<string, unknown> = {}) => ({
    indicator,
    orgUnit: '990101',
    period: '2024',
    value,
    ...extra,
  });

  it('offers only the indicators that apply to the unit and period', async () => {
    const rep = await as('rep-east');
    const form = await rep.get('/api/v1/data/form?orgUnit=990101&period=2024');
    expect(form.status).toBe(200);
    // county level, yearly, reported (not computed): POP, INC_PC, PM25 — not the city-only or monthly ones
    expect(form.body.rows.map((r: { indicator: { code: string } }) => r.indicator.code)).toEqual([
      'POP',
      'INC_PC',
      'PM25',
    ]);
    expect(form.body.rows[1].target).toBe('>= 75000 (2025)');
    const monthly = await rep.get('/api/v1/data/form?orgUnit=990101&period=202403');
    expect(monthly.body.rows.map((r: { indicator: { code: string } }) => r.indicator.code)).toEqual(['NEW_JOBS']);
    expect((await rep.get('/api/v1/data/form?orgUnit=990101&period=2024-03')).body.error.code).toBe('INVALID_INPUT');
  });

  it('saves values, keeps each state, and changes nothing when the same values come again', async () => {
    const rep = await as('rep-east');
    const first = await rep.request('PUT', '/api/v1/data/values', { values: [v('INC_PC', 61000), v('POP', 512000)] });
    expect(first.body).toEqual({ saved: 2, changed: 2, issues: [] });
    const again = await rep.request('PUT', '/api/v1/data/values', { values: [v('INC_PC', 61000), v('POP', 512000)] });
    expect(again.body).toEqual({ saved: 2, changed: 0, issues: [] });
    await rep.request('PUT', '/api/v1/data/values', { values: [v('INC_PC', 61500, { comment: '更正' })] });
    const history = await rep.get('/api/v1/data/values/INC_PC/990101/2024/history');
    expect(
      history.body.items.map((r: { revision: number; value: number; changedBy: string }) => [
        r.revision,
        r.value,
        r.changedBy,
      ]),
    ).toEqual([
      [1, 61000, 'rep-east'],
      [2, 61500, 'rep-east'],
    ]);
  });

  it('refuses a batch with any bad value and saves none of it', async () => {
    const rep = await as('rep-east');
    const before = (await rep.get('/api/v1/data/values?orgUnit=990101&period=2024')).body.total;
    const res = await rep.request('PUT', '/api/v1/data/values', {
      values: [
        v('POP', 520000),
        v('NOPE', 1),
        v('PM25', -3),
        v('POP', 1.5, { period: '2023' }),
        { ...v('INC_PC', 1), orgUnit: '990102' },
      ],
    });
    // A unit outside the grant makes it a 403, with every row's problem listed.
    expect(res.status).toBe(403);
    expect(res.body.error.details.map((i: { code: string; indicator: string }) => `${i.code}:${i.indicator}`)).toEqual([
      'unknown_indicator:NOPE',
      'below_minimum:PM25',
      'not_whole_number:POP',
      'not_in_scope:INC_PC',
    ]);
    expect(res.body.error.details[1].message).toEqual({ zh: '-3低于下限0', en: '-3 is below the minimum 0' });
    expect((await rep.get('/api/v1/data/values?orgUnit=990101&period=2024')).body.total).toBe(before);
    expect((await rep.get('/api/v1/data/values?orgUnit=990101&period=2024&indicator=POP')).body.items[0].value).toBe(
      512000,
    );
  });

  it('keeps a missing value missing, and asks why', async () => {
    const rep = await as('rep-east');
    const bare = await rep.request('PUT', '/api/v1/data/values', { values: [v('PM25', null)] });
    expect(bare.body.error.details[0].code).toBe('missing_value');
    const explained = await rep.request('PUT', '/api/v1/data/values', {
      values: [v('PM25', null, { comment: '监测站检修，暂缺' })],
    });
    expect(explained.status).toBe(200);
    const stored = (await rep.get('/api/v1/data/values?orgUnit=990101&period=2024&indicator=PM25')).body.items[0];
    expect(stored.value).toBeNull();
  });

  it('walks a return through submit, return, resubmit, approve (locked), unlock', async () => {
    const rep = await as('rep-east');
    const approver = await as('app-east');
    const submit = () => rep.post('/api/v1/data/returns/990101/2024/submit');
    expect((await submit()).body).toMatchObject({ status: 'submitted', locked: false });
    // The reporter cannot approve; the approver cannot return without a reason.
    expect((await rep.post('/api/v1/data/returns/990101/2024/approve')).status).toBe(403);
    expect((await approver.post('/api/v1/data/returns/990101/2024/return', {})).body.error.message).toMatch(
      /reason is required/,
    );
    expect(
      (await approver.post('/api/v1/data/returns/990101/2024/return', { reason: '人口数与统计年鉴不一致' })).body
        .status,
    ).toBe('returned');
    await rep.request('PUT', '/api/v1/data/values', { values: [v('POP', 515000, { comment: '按年鉴更正' })] });
    expect((await submit()).body.status).toBe('submitted');
    expect((await approver.post('/api/v1/data/returns/990101/2024/approve')).body).toMatchObject({
      status: 'approved',
      locked: true,
    });
    // Locked: nobody writes into it, and approving twice is refused with a clear message.
    const write = await rep.request('PUT', '/api/v1/data/values', { values: [v('POP', 516000)] });
    expect(write.body.error.details[0].code).toBe('locked');
    const twice = await approver.post('/api/v1/data/returns/990101/2024/approve');
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toBe(
      'cannot approve the return of 990101 for 2024: it is approved and locked, and only a return that is submitted can be',
    );
    expect((await approver.post('/api/v1/data/returns/990101/2024/unlock', {})).status).toBe(400);
    expect(
      (await approver.post('/api/v1/data/returns/990101/2024/unlock', { reason: '统计局发布最终核实数' })).body,
    ).toMatchObject({ status: 'draft', locked: false });
    const state = await rep.get('/api/v1/data/returns/990101/2024');
    expect(
      state.body.events.map(
        (e: { action: string; by: string; reason: string | null }) => `${e.action}/${e.by}/${e.reason ?? ''}`,
      ),
    ).toEqual([
      'submit/rep-east/',
      'return/app-east/人口数与统计年鉴不一致',
      'submit/rep-east/',
      'approve/app-east/',
      'unlock/app-east/统计局发布最终核实数',
    ]);
    const history = await rep.get('/api/v1/data/values/POP/990101/2024/history');
    expect(history.body.items.map((r: { change: string; status: string }) => `${r.change}:${r.status}`)).toEqual([
      'write:draft',
      'submit:submitted',
      'return:returned',
      'write:draft',
      'submit:submitted',
      'approve:approved',
      'unlock:draft',
    ]);
  });

  it('questions a jump from last period until the reporter confirms it with a comment', async () => {
    const rep = await as('rep-east');
    await rep.request('PUT', '/api/v1/data/values', { values: [v('INC_PC', 40000, { period: '2022' })] });
    const jump = await rep.request('PUT', '/api/v1/data/values', { values: [v('INC_PC', 90000, { period: '2023' })] });
    expect(jump.status).toBe(200);
    expect(jump.body.issues.map((i: { code: string; severity: string }) => `${i.code}/${i.severity}`)).toEqual([
      'jump/warning',
    ]);
    expect(jump.body.issues[0].message.zh).toBe('与上期（40000）相比变化125%，请核实并填写说明');
    const refused = await rep.post('/api/v1/data/returns/990101/2023/submit');
    expect(refused.status).toBe(400);
    expect(refused.body.error.details[0].code).toBe('jump');
    const noComment = await rep.request('PUT', '/api/v1/data/values', {
      values: [v('INC_PC', 90000, { period: '2023', confirmOutlier: true })],
    });
    expect(noComment.body.error.details[0].code).toBe('confirmation_needs_comment');
    await rep.request('PUT', '/api/v1/data/values', {
      values: [v('INC_PC', 90000, { period: '2023', confirmOutlier: true, comment: '重大项目投产，收入口径调整' })],
    });
    expect((await rep.post('/api/v1/data/returns/990101/2023/submit')).status).toBe(200);
  });

  it('takes a value for the running year as an estimate to confirm, and refuses a year not begun', async () => {
    const rep = await as('rep-east');
    const thisYear = String(new Date().getFullYear());
    const estimate = await rep.request('PUT', '/api/v1/data/values', {
      values: [v('INC_PC', 61000, { period: thisYear })],
    });
    expect(estimate.status).toBe(200);
    const codes = estimate.body.issues.map((i: { code: string; severity: string }) => `${i.code}/${i.severity}`);
    expect(codes).toContain('period_not_ended/warning');
    const refused = await rep.post(`/api/v1/data/returns/990101/${thisYear}/submit`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.map((d: { code: string }) => d.code)).toContain('period_not_ended');

    const nextYear = String(Number(thisYear) + 1);
    const future = await rep.request('PUT', '/api/v1/data/values', {
      values: [v('INC_PC', 62000, { period: nextYear })],
    });
    expect(future.status).toBe(400);
    expect(future.body.error.details[0].code).toBe('period_not_started');
    expect(future.body.error.details[0].message.zh).toBe(`报告期${nextYear}尚未开始，不能填报`);
  });

  it('keeps each vintage of an official figure, the latest being current', async () => {
    const rep = await as('rep-east');
    await rep.request('PUT', '/api/v1/data/values', {
      values: [v('POP', 520000, { period: '2022', vintage: 'preliminary', source: '2022年统计公报' })],
    });
    await rep.request('PUT', '/api/v1/data/values', {
      values: [v('POP', 521300, { period: '2022', vintage: 'final', source: '2023年统计年鉴' })],
    });
    const current = (await rep.get('/api/v1/data/values?orgUnit=990101&period=2022&indicator=POP')).body.items[0];
    expect(current).toMatchObject({ value: 521300, vintage: 'final', source: '2023年统计年鉴' });
    const history = (await rep.get('/api/v1/data/values/POP/990101/2022/history')).body.items;
    expect(history.map((r: { vintage: string; value: number }) => `${r.vintage}:${r.value}`)).toEqual([
      'preliminary:520000',
      'final:521300',
    ]);
  });

  it("shows each reader only what is theirs, and hides others' history", async () => {
    const west = await as('rep-west');
    expect((await west.get('/api/v1/data/values?period=2024')).body.total).toBe(0);
    expect((await west.get('/api/v1/data/values/INC_PC/990101/2024/history')).status).toBe(404);
    expect((await west.get('/api/v1/data/form?orgUnit=990101&period=2024')).status).toBe(404);
    const leader = await as('leader-city');
    expect((await leader.get('/api/v1/data/values?period=2024')).body.total).toBeGreaterThan(0);
    expect((await app.inject({ method: 'GET', url: '/api/v1/data/values?period=2024' })).json().total).toBe(0);
  });

  it('lists the figures that are due and not in', async () => {
    const west = await as('rep-west');
    const res = await west.get('/api/v1/data/overdue?orgUnit=990102&asOf=2025-04-02T00:00:00Z');
    expect(res.body.items).toHaveLength(1);
    const items = res.body.items[0].items as { indicator: string; period: string; due: string }[];
    // yearly POP, INC_PC, PM25 for 2020–2024 (2024 due 2025-04-01) and monthly NEW_JOBS 202001–202502
    expect(items.filter((i) => i.indicator === 'INC_PC').map((i) => i.period)).toEqual([
      '2020',
      '2021',
      '2022',
      '2023',
      '2024',
    ]);
    expect(items.filter((i) => i.indicator === 'NEW_JOBS')).toHaveLength(62);
    expect(items).toHaveLength(77);
    expect(items.find((i) => i.indicator === 'INC_PC' && i.period === '2024')?.due).toBe('2025-04-01T00:00:00.000Z');
    const east = await as('rep-east');
    const mine = (await east.get('/api/v1/data/overdue?orgUnit=990101&asOf=2025-04-02T00:00:00Z')).body.items[0].items;
    // INC_PC 2022, 2023 and 2024 are in, so only 2020 and 2021 remain
    expect(
      mine.filter((i: { indicator: string }) => i.indicator === 'INC_PC').map((i: { period: string }) => i.period),
    ).toEqual(['2020', '2021']);
  });

  it('leaves an audit record for every change', async () => {
    const rep = await as('rep-east');
    const before = await countAudit(store().db);
    await rep.request('PUT', '/api/v1/data/values', { values: [v('POP', 530000, { period: '2021' })] });
    await rep.post('/api/v1/data/returns/990101/2021/submit');
    // +1 sign-in of `as` is before `before`; a refused write changes nothing and records nothing
    await rep.request('PUT', '/api/v1/data/values', { values: [v('NOPE', 1)] });
    expect((await countAudit(store().db)) - before).toBe(2);
  });
});
