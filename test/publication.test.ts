/**
 * Publication and the public portal's API: an analyst publishes a period of an indicator; anyone may
 * then read its approved values of that period — and nothing else: no draft, no unpublished period,
 * no unpublished indicator, in the series or in any download.
 */
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_AUTH } from '../src/config.js';
import { buildApp } from '../src/http/app.js';
import { SYSTEM_CONTEXT } from '../src/services/context.js';
import * as data from '../src/services/data.js';
import * as plans from '../src/services/plans.js';
import * as users from '../src/services/users.js';
import { countAudit } from '../src/store/audit.js';
import { Browser } from './support/http-client.js';
import { describeEachStore } from './support/stores.js';

const MINI = new URL('./fixtures/mini-plan/plan.yaml', import.meta.url).pathname;
const PASSWORD = 'Publish-Pass-42';
const SECRET = 99_999; // a value that must never leave unpublished

describeEachStore('publication and the public portal', (store) => {
  let app: FastifyInstance;
  let analyst: Browser;
  const anonymous = () => new Browser(app);

  beforeAll(async () => {
    await plans.importPlan(store(), MINI);
    for (const [username, role, unit] of [
      ['pub-analyst', 'analyst', '990100'],
      ['pub-reporter', 'reporter', '990100'],
    ] as const)
      await users.addUser(store(), SYSTEM_CONTEXT, { username, password: PASSWORD, grants: [{ role, unit }] });
    const approved = (indicator: string, orgUnit: string, period: string, value: number) => ({
      indicator,
      orgUnit,
      period,
      value,
    });
    await data.saveValues(
      store(),
      SYSTEM_CONTEXT,
      [
        approved('INC_PC', '990100', '2021', 61500),
        approved('INC_PC', '990101', '2021', 63200),
        approved('INC_PC', '990100', '2022', SECRET), // approved but not published
        approved('POP', '990100', '2021', SECRET), // an indicator never published
      ],
      { status: 'approved' },
    );
    // a draft in a published period: not public either
    await data.saveValues(store(), SYSTEM_CONTEXT, [
      { indicator: 'INC_PC', orgUnit: '990102', period: '2021', value: SECRET },
    ]);
    app = await buildApp({ store: store(), auth: DEFAULT_AUTH });
    analyst = new Browser(app);
    expect((await analyst.login('pub-analyst', PASSWORD)).status).toBe(200);
  });
  afterAll(async () => {
    await app.close();
  });

  it('shows nothing before anything is published, and 404 for an unpublished indicator', async () => {
    expect((await anonymous().get('/api/v1/public/indicators')).body.items).toEqual([]);
    expect((await anonymous().get('/api/v1/public/indicators/INC_PC')).status).toBe(404);
    expect((await anonymous().get('/api/v1/public/download?indicator=INC_PC')).status).toBe(404);
  });

  it('lets an analyst publish (audited), not a reporter nor an anonymous caller', async () => {
    const reporter = new Browser(app);
    await reporter.login('pub-reporter', PASSWORD);
    expect((await reporter.post('/api/v1/publications', { indicator: 'INC_PC', periods: ['2021'] })).status).toBe(403);
    expect((await anonymous().post('/api/v1/publications', { indicator: 'INC_PC', periods: ['2021'] })).status).toBe(
      401,
    );
    expect((await analyst.post('/api/v1/publications', { indicator: 'INC_PC', periods: ['2021Q1'] })).status).toBe(400);
    const before = await countAudit(store().db);
    const res = await analyst.post('/api/v1/publications', { indicator: 'INC_PC', periods: ['2021'] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.published).toBe(1);
    expect(await countAudit(store().db)).toBe(before + 1);
  });

  it('serves the published period without sign-in, and never an unpublished or unapproved value', async () => {
    const list = await anonymous().get('/api/v1/public/indicators');
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { code: string }) => i.code)).toEqual(['INC_PC']);
    expect(list.body.items[0].latest).toEqual({ period: '2021', value: 61500 });
    const detail = await anonymous().get('/api/v1/public/indicators/INC_PC');
    expect(detail.status).toBe(200);
    expect(detail.body.series.map((s: { orgUnit: string; points: unknown[] }) => [s.orgUnit, s.points])).toEqual([
      ['990100', [{ period: '2021', value: 61500, synthetic: false }]],
      ['990101', [{ period: '2021', value: 63200, synthetic: false }]],
    ]);
    expect(detail.body.targets.length).toBeGreaterThan(0);
    expect((await anonymous().get('/api/v1/public/indicators/POP')).status).toBe(404);

    for (const format of ['csv', 'sdmx', 'dhis2', 'open-sdg']) {
      const all = await anonymous().get(`/api/v1/public/download?format=${format}&indicator=INC_PC`);
      expect(all.status, format).toBe(200);
      const text = typeof all.body === 'string' ? all.body : JSON.stringify(all.body);
      expect(text, format).toContain('61500');
      expect(text, format).not.toContain('99999');
    }
    const everything = await anonymous().get('/api/v1/public/download?format=csv');
    expect(everything.body).not.toContain('99999');
    expect(everything.body).not.toContain('POP');
    const xlsx = await app.inject({ method: 'GET', url: '/api/v1/public/download?format=xlsx' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const values: unknown[] = [];
    wb.worksheets[0]!.eachRow((row) => values.push(...(row.values as unknown[])));
    expect(values).toContain(61500);
    expect(values).not.toContain(SECRET);
  });

  it('withdraws a publication: 404 again', async () => {
    const del = await analyst.delete('/api/v1/publications/INC_PC/2021');
    expect(del.status).toBe(204);
    expect((await anonymous().get('/api/v1/public/indicators/INC_PC')).status).toBe(404);
    expect((await analyst.delete('/api/v1/publications/INC_PC/2021')).status).toBe(404);
  });
});
