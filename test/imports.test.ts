/**
 * Files the way offices use them, through the API: the template of 义乌市 downloaded, filled, and
 * uploaded; a broken copy refused row by row with nothing changed; CSV long and wide; --partial; exports.
 */
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_AUTH } from '../src/config.js';
import { buildApp } from '../src/http/app.js';
import { SYSTEM_CONTEXT } from '../src/services/context.js';
import * as plans from '../src/services/plans.js';
import * as users from '../src/services/users.js';
import { countValues } from '../src/store/values.js';
import { countHouseholds } from '../src/store/households.js';
import { describeEachStore } from './support/stores.js';

const JINHUA = new URL('../plans/jinhua-2021-2025/plan.yaml', import.meta.url).pathname;
const FIXTURES = new URL('./fixtures/data/', import.meta.url);
const PASSWORD = 'Files-Office-88';

/** A multipart/form-data body with one file. */
function multipart(fileName: string, content: Buffer | string) {
  const boundary = '----gongfu-test-boundary';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const payload = Buffer.concat([Buffer.from(head), Buffer.from(content), Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describeEachStore('files: templates, imports, exports', (store) => {
  let app: FastifyInstance;
  let session: { cookie: string; csrf: string };
  let analyst: { cookie: string; csrf: string };

  async function signIn(username: string) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username, password: PASSWORD },
    });
    return {
      cookie: `gongfu_session=${res.cookies.find((c) => c.name === 'gongfu_session')!.value}`,
      csrf: res.json().csrfToken as string,
    };
  }
  const upload = (who: { cookie: string; csrf: string }, url: string, fileName: string, content: Buffer | string) => {
    const body = multipart(fileName, content);
    return app.inject({
      method: 'POST',
      url,
      payload: body.payload,
      headers: { ...body.headers, cookie: who.cookie, 'x-csrf-token': who.csrf },
    });
  };
  const get = (who: { cookie: string }, url: string) =>
    app.inject({ method: 'GET', url, headers: { cookie: who.cookie } });

  beforeAll(async () => {
    await plans.importPlan(store(), JINHUA);
    await users.addUser(store(), SYSTEM_CONTEXT, {
      username: 'yiwu',
      password: PASSWORD,
      grants: [{ role: 'reporter', unit: '330782' }],
    });
    await users.addUser(store(), SYSTEM_CONTEXT, {
      username: 'stats',
      password: PASSWORD,
      grants: [{ role: 'admin', unit: '330700' }],
    });
    app = await buildApp({ store: store(), auth: { ...DEFAULT_AUTH, loginAttemptsPerMinute: 10_000 } });
    session = await signIn('yiwu');
    analyst = await signIn('stats');
  });
  afterAll(async () => {
    await app.close();
  });

  it('gives 义乌 its template for 2024 with only the indicators that apply at county level', async () => {
    const res = await get(session, '/api/v1/data/template?orgUnit=330782&period=2024');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="330782-2024.xlsx"');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    const codes: string[] = [];
    sheet.eachRow((row, n) => {
      if (n > 3 && typeof row.getCell(1).value === 'string') codes.push(row.getCell(1).value as string);
    });
    expect(codes).toContain('INC_PC');
    expect(codes).not.toContain('HH_INC_100K_500K_SHARE'); // city-level microdata, computed
    expect(codes).not.toContain('GDP_PC_COUNTY_MAXMIN'); // a disparity: computed
    expect(wb.getWorksheet('_gongfu')?.state).toBe('veryHidden');
    // Someone else's unit: as if it did not exist.
    expect((await get(session, '/api/v1/data/template?orgUnit=330783&period=2024')).statusCode).toBe(404);
  });

  it('takes back its own template, downloaded and filled in', async () => {
    const res = await get(session, '/api/v1/data/template?orgUnit=330782&period=2023');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    sheet.eachRow((row) => {
      if (row.getCell(1).value === 'INC_PC') row.getCell(7).value = 91500;
      if (row.getCell(1).value === 'PM25') row.getCell(7).value = 28.4;
    });
    const filled = Buffer.from(await wb.xlsx.writeBuffer());
    const up = await upload(session, '/api/v1/data/import', '330782-2023.xlsx', filled);
    expect(up.json()).toMatchObject({
      saved: 2,
      changed: 2,
      rejected: [],
      template: { orgUnit: '330782', period: '2023' },
    });
    const stored = await get(session, '/api/v1/data/values?orgUnit=330782&period=2023');
    expect(
      stored
        .json()
        .items.map((v: { indicator: string; value: number }) => `${v.indicator}=${v.value}`)
        .sort(),
    ).toEqual(['INC_PC=91500', 'PM25=28.4']);
  });

  it('imports the filled template', async () => {
    const res = await upload(
      session,
      '/api/v1/data/import',
      'yiwu-2024.xlsx',
      await readFile(new URL('yiwu-template-filled.xlsx', FIXTURES)),
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      saved: 3,
      changed: 3,
      rejected: [],
      template: { orgUnit: '330782', period: '2024' },
    });
    const values = await get(session, '/api/v1/data/values?orgUnit=330782&period=2024');
    const byCode = Object.fromEntries(
      values.json().items.map((v: { indicator: string; value: number }) => [v.indicator, v.value]),
    );
    expect(byCode).toEqual({ INC_PC: 98000, URBAN_REG_UNEMPLOYMENT_RATE: 0.021, MARKET_ENTITIES: 1234567 });
  });

  it('refuses the broken copy with three row-level messages and changes nothing', async () => {
    const before = await countValues(store().db);
    const res = await upload(
      session,
      '/api/v1/data/import',
      'yiwu-broken.xlsx',
      await readFile(new URL('yiwu-template-broken.xlsx', FIXTURES)),
    );
    expect(res.statusCode).toBe(422);
    const details = res.json().error.details as {
      code: string;
      sheet: string;
      row: number;
      column: string;
      message: { zh: string; en: string };
    }[];
    expect(details.map((d) => `${d.code} ${d.sheet}!${d.column}${d.row}`)).toEqual([
      'not_a_number 填报!G4',
      'share_out_of_range 填报!G5',
      'unknown_indicator 填报!G9',
    ]);
    expect(details[0]!.message).toEqual({ zh: '“很多”不是数字', en: '"很多" is not a number' });
    expect(details[2]!.message.zh).toBe('指标代码“NOT_AN_INDICATOR”不存在');
    expect(await countValues(store().db)).toBe(before);
    const still = await get(session, '/api/v1/data/values?orgUnit=330782&period=2024&indicator=INC_PC');
    expect(still.json().items[0].value).toBe(98000);
  });

  it('imports the same file twice without changing anything the second time', async () => {
    const file = await readFile(new URL('yiwu-template-filled.xlsx', FIXTURES));
    const again = await upload(session, '/api/v1/data/import', 'yiwu-2024.xlsx', file);
    expect(again.json()).toMatchObject({ saved: 3, changed: 0 });
  });

  it('imports a long CSV all or nothing, and with partial the good rows', async () => {
    const csv =
      'indicator,org_unit,period,value,comment\nINC_PC,330782,2023,91000,\nPM25,330782,2023,29.5,\nPM25,330782,2022,abc,\nNOPE,330782,2023,1,\n';
    const whole = await upload(session, '/api/v1/data/import', 'values.csv', csv);
    expect(whole.statusCode).toBe(422);
    expect(whole.json().error.details.map((d: { code: string; row: number }) => `${d.code}@${d.row}`)).toEqual([
      'not_a_number@4',
      'unknown_indicator@5',
    ]);
    const partial = await upload(session, '/api/v1/data/import?partial=true', 'values.csv', csv);
    expect(partial.statusCode).toBe(200);
    expect(partial.json()).toMatchObject({ saved: 2, changed: 2 });
    expect(partial.json().rejected.map((d: { row: number }) => d.row)).toEqual([4, 5]);
  });

  it('imports a wide CSV with periods as columns', async () => {
    const csv = 'indicator,org_unit,2021,2022\nPOP_RESIDENT,330782,1880000,1890000\n';
    const res = await upload(session, '/api/v1/data/import', 'wide.csv', csv);
    expect(res.json()).toMatchObject({ saved: 2, changed: 2 });
  });

  it('refuses a file that is not what its name says', async () => {
    const res = await upload(session, '/api/v1/data/import', 'values.xlsx', 'indicator,org_unit\n');
    expect(res.statusCode).toBe(422);
    expect(res.json().error.message).toBe('values.xlsx is not an Excel (.xlsx) file');
    expect((await upload(session, '/api/v1/data/import', 'values.pdf', 'x')).json().error.message).toMatch(
      /only .xlsx and .csv/,
    );
  });

  it('exports what the reader may read, with each value’s standing', async () => {
    const res = await get(session, '/api/v1/data/export?within=330782&period=2024');
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const lines = res.body
      .replace(/^\ufeff/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toBe('indicator,org_unit,period,value,comment,status,vintage,source,synthetic');
    expect(lines).toContain('INC_PC,330782,2024,98000,,draft,,,');
    const xlsx = await get(session, '/api/v1/data/export?within=330782&format=xlsx');
    expect(xlsx.headers['content-type']).toMatch(/spreadsheetml/);
  });

  it('imports household microdata, refusing bad rows with their place', async () => {
    const good =
      'household_id,org_unit,year,urban_rural,size,disposable_income,weight\nH1,330782,2024,urban,3,180000,120.5\nH2,330782,2024,农村,4,95000,240\n';
    expect((await upload(session, '/api/v1/microdata/import', 'hh.csv', good)).statusCode).toBe(403); // a reporter does not load the survey
    const ok = await upload(analyst, '/api/v1/microdata/import', 'hh.csv', good);
    expect(ok.json()).toEqual({ imported: 2, changed: 2, rejected: [] });
    expect(await countHouseholds(store().db)).toBe(2);
    const bad =
      'household_id,org_unit,year,urban_rural,size,disposable_income,weight\nH3,330782,2024,city,3,1,1\nH4,999999,2024,urban,0,1,-1\n';
    const res = await upload(analyst, '/api/v1/microdata/import', 'hh-bad.csv', bad);
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details.map((d: { row: number; column: string }) => `${d.row}:${d.column}`)).toEqual([
      '2:urban_rural',
      '3:size',
      '3:weight',
    ]);
    expect(await countHouseholds(store().db)).toBe(2);
  });
});
