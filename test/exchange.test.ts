/**
 * The exchange formats: Open SDG data CSV, SDMX-CSV (1.0 and 2.0) and DHIS2 data value sets, read
 * from real-shaped files, through the same import path as CSV and Excel (per-row issues, all or
 * nothing), and written back: export → import reproduces the same values, on both databases.
 */
import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_AUTH } from '../src/config.js';
import { dhis2Period, readDhis2, writeDhis2 } from '../src/exchange/dhis2.js';
import { emptyMapping, parseMapping, MappingError } from '../src/exchange/common.js';
import { detectExchangeFormat } from '../src/exchange/index.js';
import { readOpenSdg, writeOpenSdg } from '../src/exchange/open-sdg.js';
import { readSdmxCsv, sdmxPeriod, writeSdmxCsv } from '../src/exchange/sdmx-csv.js';
import { buildApp } from '../src/http/app.js';
import { SYSTEM_CONTEXT } from '../src/services/context.js';
import * as data from '../src/services/data.js';
import { AppError } from '../src/services/errors.js';
import * as imports from '../src/services/imports.js';
import * as plans from '../src/services/plans.js';
import * as users from '../src/services/users.js';
import { findValues } from '../src/store/values.js';
import { Browser } from './support/http-client.js';
import { describeEachStore } from './support/stores.js';

const MINI = new URL('./fixtures/mini-plan/plan.yaml', import.meta.url).pathname;
const FIXTURES = new URL('./fixtures/exchange/', import.meta.url);
const fixture = (name: string) => readFile(new URL(name, FIXTURES), 'utf8');
const PASSWORD = 'Exchange-Pass-42';

describe('Open SDG data CSV', () => {
  it('reads headline rows as the root, GeoCode as the org unit, the indicator from the file name', async () => {
    const r = readOpenSdg(await fixture('indicator_INC_PC.csv'), {
      fileName: 'indicator_INC_PC.csv',
      headlineUnit: '990100',
      mapping: emptyMapping(),
    });
    expect(r.issues).toEqual([]);
    expect(r.rows.map((x) => [x.indicator, x.orgUnit, x.period, x.value])).toEqual([
      ['INC_PC', '990100', '2021', 61500],
      ['INC_PC', '990100', '2022', 64800],
      ['INC_PC', '990100', '2023', 68900],
      ['INC_PC', '990101', '2021', 63200],
      ['INC_PC', '990101', '2022', 66900],
      ['INC_PC', '990102', '2021', 52800],
      ['INC_PC', '990102', '2022', 55700.5],
    ]);
    expect(r.rows[2]!.comment).toBe('初步核算');
    expect(r.rows[0]!.location).toEqual({ file: 'indicator_INC_PC.csv', row: 2, column: 'Value' });
  });

  it('refuses, row by row, another disaggregation, a year that is not one and a value that is not a number', async () => {
    const r = readOpenSdg(await fixture('broken/indicator_INC_PC.csv'), {
      fileName: 'indicator_INC_PC.csv',
      headlineUnit: '990100',
      mapping: emptyMapping(),
    });
    expect(r.rows.map((x) => x.location.row)).toEqual([2, 6]); // row 6: an unknown unit, for the service to refuse
    expect(r.issues.map((i) => [i.row, i.code, i.column])).toEqual([
      [3, 'bad_file', 'Sex'],
      [4, 'bad_period', 'Year'],
      [5, 'not_a_number', 'Value'],
    ]);
    expect(r.issues[0]!.message.zh).toContain('Sex=F');
  });

  it('refuses a file without Year and Value as a whole', () => {
    const r = readOpenSdg('Jahr,Wert\n2021,5\n', {
      fileName: 'indicator_X.csv',
      headlineUnit: '1',
      mapping: emptyMapping(),
    });
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]!.code).toBe('bad_header');
    expect(r.issues[0]!.row).toBeUndefined();
  });

  it('writes yearly values only, headline first with an empty GeoCode, preliminary as P, synthetic marked', () => {
    const text = writeOpenSdg(
      [
        { indicator: 'A', orgUnit: '990101', period: '2022', value: 2 },
        { indicator: 'A', orgUnit: '990100', period: '2022', value: 1.5, vintage: 'preliminary', synthetic: true },
        { indicator: 'A', orgUnit: '990100', period: '2022Q1', value: 9 },
        { indicator: 'A', orgUnit: '990100', period: '2021', value: null, comment: '缺' },
      ],
      { headlineUnit: '990100', units: '元' },
    );
    expect(text).toBe(
      'Year,GeoCode,Units,Value,COMMENT_OBS,OBS_STATUS,SYNTHETIC\n2022,,元,1.5,,P,true\n2022,990101,元,2,,A,\n',
    );
  });
});

describe('SDMX-CSV', () => {
  it('converts SDMX time periods to Gongfu periods, and says why the others do not fit', () => {
    expect(['2024', '2024-A1', '2024-Q3', '2024-03', '2024-M11'].map((t) => sdmxPeriod(t))).toEqual([
      { ok: true, id: '2024' },
      { ok: true, id: '2024' },
      { ok: true, id: '2024Q3' },
      { ok: true, id: '202403' },
      { ok: true, id: '202411' },
    ]);
    for (const t of ['2024-S1', '2024-W10', '2024-03-15', '2024-13', '24']) expect(sdmxPeriod(t).ok, t).toBe(false);
  });

  it('reads 1.0 with labels, scales by UNIT_MULT, takes OBS_STATUS P as preliminary', async () => {
    const r = readSdmxCsv(await fixture('sdmx-1.0-labels.csv'), { fileName: 's.csv', mapping: emptyMapping() });
    expect(r.issues).toEqual([]);
    expect(r.rows.map((x) => [x.indicator, x.orgUnit, x.period, x.value, x.vintage, x.comment])).toEqual([
      ['POP', '990100', '2022', 7123000, undefined, undefined],
      ['POP', '990101', '2022', 4011000, 'preliminary', '快报数'],
      ['NEW_JOBS', '990100', '202303', 1520, undefined, undefined],
      ['NEW_JOBS', '990101', '202303', 830, undefined, undefined],
    ]);
  });

  it('reads 2.0 (STRUCTURE, STRUCTURE_ID, ACTION), a missing observation as null', async () => {
    const r = readSdmxCsv(await fixture('sdmx-2.0.csv'), { fileName: 's.csv', mapping: emptyMapping() });
    expect(r.issues).toEqual([]);
    expect(r.rows.map((x) => [x.indicator, x.orgUnit, x.period, x.value])).toEqual([
      ['PM25', '990100', '2022', 31.5],
      ['PM25', '990102', '2022', 28],
      ['NEW_JOBS', '990101', '202302', null],
    ]);
  });

  it('refuses deletions, half-years and words row by row', async () => {
    const r = readSdmxCsv(await fixture('sdmx-2.0-broken.csv'), { fileName: 's.csv', mapping: emptyMapping() });
    expect(r.issues.map((i) => [i.row, i.code, i.column])).toEqual([
      [3, 'bad_file', 'ACTION'],
      [4, 'bad_period', 'TIME_PERIOD'],
      [5, 'not_a_number', 'OBS_VALUE'],
    ]);
    expect(r.rows.map((x) => x.location.row)).toEqual([2, 6]);
  });

  it('refuses a file without the SDMX columns as a whole', () => {
    const r = readSdmxCsv('DATAFLOW,REF_AREA,OBS_VALUE\nX,1,2\n', { fileName: 's.csv', mapping: emptyMapping() });
    expect(r.issues.map((i) => i.code)).toEqual(['bad_header']);
    expect(r.issues[0]!.message.en).toContain('INDICATOR, TIME_PERIOD');
  });

  it('writes 2.0 with FREQ, SDMX periods and M for a missing value; 1.0 with DATAFLOW', () => {
    const values = [
      { indicator: 'NEW_JOBS', orgUnit: '990101', period: '202302', value: null, comment: '暂缺' },
      { indicator: 'PM25', orgUnit: '990100', period: '2022Q4', value: 31.5 },
    ];
    const v2 = writeSdmxCsv(values, { dataflow: 'GONGFU:DF_MINI(1.0)', unitOf: () => 'u' }).split('\n');
    expect(v2[0]).toBe(
      'STRUCTURE,STRUCTURE_ID,ACTION,FREQ,REF_AREA,INDICATOR,TIME_PERIOD,OBS_VALUE,UNIT_MULT,UNIT_MEASURE,OBS_STATUS,COMMENT_OBS',
    );
    expect(v2[1]).toBe('dataflow,GONGFU:DF_MINI(1.0),I,M,990101,NEW_JOBS,2023-02,NaN,0,u,M,暂缺');
    expect(v2[2]).toBe('dataflow,GONGFU:DF_MINI(1.0),I,Q,990100,PM25,2022-Q4,31.5,0,u,A,');
    const v1 = writeSdmxCsv(values, { dataflow: 'X:Y(1.0)', unitOf: () => 'u', version: '1.0' }).split('\n');
    expect(v1[0]!.startsWith('DATAFLOW,FREQ,')).toBe(true);
    // what is written reads back the same
    const back = readSdmxCsv(v2.join('\n'), { fileName: 'x', mapping: emptyMapping() });
    expect(back.rows.map((x) => [x.period, x.value, x.comment])).toEqual([
      ['202302', null, '暂缺'],
      ['2022Q4', 31.5, undefined],
    ]);
  });
});

describe('DHIS2 data value sets', () => {
  it('maps DHIS2 periods onto Gongfu periods and refuses weeks, days, six-months and financial years', () => {
    expect(['2024', '2024Q1', '202403'].map((p) => dhis2Period(p))).toEqual([
      { ok: true, id: '2024' },
      { ok: true, id: '2024Q1' },
      { ok: true, id: '202403' },
    ]);
    for (const [p, kind] of [
      ['2024W10', 'a week'],
      ['20240315', 'a day'],
      ['2024S1', 'six-month'],
      ['2024AprilS1', 'six-month'],
      ['2024April', 'financial year'],
      ['2024BiW3', 'bi-week'],
      ['202401B', 'bi-month'],
    ] as const) {
      const r = dhis2Period(p);
      expect(r.ok, p).toBe(false);
      if (!r.ok) expect(r.why, p).toContain(kind);
    }
  });

  it('reads uids through a CSV or JSON mapping (the same result)', async () => {
    const json = await fixture('dhis2-datavalueset.json');
    const viaCsv = readDhis2(json, { fileName: 'd.json', mapping: parseMapping(await fixture('dhis2-mapping.csv')) });
    const viaJson = readDhis2(json, { fileName: 'd.json', mapping: parseMapping(await fixture('dhis2-mapping.json')) });
    expect(viaCsv).toEqual(viaJson);
    expect(viaCsv.issues).toEqual([]);
    expect(viaCsv.rows.map((x) => [x.indicator, x.orgUnit, x.period, x.value, x.comment])).toEqual([
      ['INC_PC', '990100', '2023', 73500, undefined],
      ['INC_PC', '990101', '2023', 75210.5, '统计公报'],
      ['NEW_JOBS', '990101', '202303', 812, undefined],
      ['NEW_JOBS', '990102', '202304', 0, undefined],
    ]);
  });

  it('refuses weeks, non-numbers and deleted values per data value; an unmapped uid stays for the unknown-code check', async () => {
    const r = readDhis2(await fixture('dhis2-broken.json'), {
      fileName: 'd.json',
      mapping: parseMapping(await fixture('dhis2-mapping.csv')),
    });
    expect(r.issues.map((i) => [i.row, i.code, i.column])).toEqual([
      [2, 'bad_period', 'dataValues[1].period'],
      [4, 'not_a_number', 'dataValues[3].value'],
      [5, 'bad_file', 'dataValues[4].deleted'],
    ]);
    expect(r.rows.map((x) => [x.location.row, x.indicator])).toEqual([
      [1, 'INC_PC'],
      [3, 'Uvn6LCg7dVU'],
    ]);
  });

  it('refuses a mapping that maps one id twice, or an unknown kind', () => {
    expect(() => parseMapping('type,external_id,code\ndataElement,a,X\ndataElement,a,Y\n')).toThrow(MappingError);
    expect(() => parseMapping('{"dataSets":{"a":"b"}}')).toThrow(/unknown key/);
  });

  it('writes strings, codes with idScheme CODE without a mapping, uids (and combos) with one', () => {
    const values = [
      { indicator: 'INC_PC', orgUnit: '990101', period: '2023', value: 75210.5, comment: '公报' },
      { indicator: 'INC_PC', orgUnit: '990102', period: '2023', value: null },
    ];
    const plain = JSON.parse(writeDhis2(values));
    expect(plain).toEqual({
      dataElementIdScheme: 'CODE',
      orgUnitIdScheme: 'CODE',
      dataValues: [{ dataElement: 'INC_PC', period: '2023', orgUnit: '990101', value: '75210.5', comment: '公报' }],
    });
    const mapped = JSON.parse(
      writeDhis2(values, {
        dataElements: new Map([['INC_PC', 'fbfJHSPpUQD.Prlt0C1RF0s']]),
        orgUnits: new Map([['990101', 'jUb8gELQApl']]),
      }),
    );
    expect(mapped.dataValues[0]).toMatchObject({
      dataElement: 'fbfJHSPpUQD',
      categoryOptionCombo: 'Prlt0C1RF0s',
      orgUnit: 'jUb8gELQApl',
    });
  });
});

describe('format detection', () => {
  it('tells the formats from their names and headers, and leaves Gongfu CSV alone', () => {
    expect(detectExchangeFormat('x.json', '{"dataValues":[]}')).toBe('dhis2');
    expect(detectExchangeFormat('x.csv', 'STRUCTURE,STRUCTURE_ID,ACTION\n')).toBe('sdmx');
    expect(detectExchangeFormat('x.csv', '\ufeffDATAFLOW,REF_AREA\n')).toBe('sdmx');
    expect(detectExchangeFormat('indicator_1-1-1.csv', 'Year,Sex,Value\n')).toBe('open-sdg');
    expect(detectExchangeFormat('v.csv', 'indicator,org_unit,period,value\n')).toBeUndefined();
    expect(detectExchangeFormat('v.xlsx', 'PK')).toBeUndefined();
  });
});

describeEachStore('exchange formats through the import path', (store) => {
  let app: FastifyInstance;
  const stored = async (indicators: string[]) =>
    (await findValues(store().db, { indicators })).map((v) => [v.indicator, v.orgUnit, v.period, v.value, v.comment]);
  const importText = (
    fileName: string,
    text: string,
    options: Parameters<typeof imports.importSourceFor>[2] = {},
    partial = false,
  ) =>
    imports.importValues(
      store(),
      SYSTEM_CONTEXT,
      fileName,
      imports.importSourceFor(fileName, Buffer.from(text), options),
      {
        partial,
      },
    );

  beforeAll(async () => {
    await plans.importPlan(store(), MINI);
    await users.addUser(store(), SYSTEM_CONTEXT, {
      username: 'east-reporter',
      password: PASSWORD,
      grants: [{ role: 'reporter', unit: '990101' }],
    });
    app = await buildApp({ store: store(), auth: DEFAULT_AUTH });
  });
  afterAll(async () => {
    await app.close();
  });

  it('imports nothing from a broken file and reports every bad row (Open SDG, SDMX, DHIS2)', async () => {
    const cases = [
      ['indicator_INC_PC.csv', await fixture('broken/indicator_INC_PC.csv'), undefined, [3, 4, 5, 6]],
      ['s.csv', await fixture('sdmx-2.0-broken.csv'), undefined, [3, 4, 5, 6]],
      ['d.json', await fixture('dhis2-broken.json'), await fixture('dhis2-mapping.csv'), [2, 3, 4, 5]],
    ] as const;
    for (const [name, text, mapping, rows] of cases) {
      const error = await importText(name, text, { mapping: mapping ? parseMapping(mapping) : undefined }).catch(
        (e: unknown) => e,
      );
      expect(error, name).toBeInstanceOf(AppError);
      const issues = (error as AppError).details as { row: number; code: string }[];
      expect(
        issues.map((i) => i.row),
        name,
      ).toEqual(rows);
      expect(
        issues.map((i) => i.code),
        name,
      ).toContain(
        name === 'd.json' ? 'unknown_indicator' : name === 's.csv' ? 'unknown_indicator' : 'unknown_org_unit',
      );
    }
    expect(await stored(['INC_PC', 'PM25'])).toEqual([]);
  });

  it('with partial, imports the good rows and returns the others', async () => {
    const r = await importText('s.csv', await fixture('sdmx-2.0-broken.csv'), {}, true);
    expect(r.saved).toBe(1);
    expect(r.rejected.map((i) => i.row)).toEqual([3, 4, 5, 6]);
    expect(await stored(['PM25'])).toEqual([['PM25', '990100', '2022', 31.5, null]]);
  });

  it('imports each real-shaped file whole', async () => {
    expect((await importText('indicator_INC_PC.csv', await fixture('indicator_INC_PC.csv'))).saved).toBe(7);
    expect((await importText('sdmx-1.0-labels.csv', await fixture('sdmx-1.0-labels.csv'))).saved).toBe(4);
    expect((await importText('sdmx-2.0.csv', await fixture('sdmx-2.0.csv'))).saved).toBe(3);
    const d = await importText('d.json', await fixture('dhis2-datavalueset.json'), {
      mapping: parseMapping(await fixture('dhis2-mapping.json')),
    });
    expect(d.saved).toBe(4);
    const pop = await findValues(store().db, { indicators: ['POP'] });
    expect(pop.map((v) => [v.orgUnit, v.value, v.vintage])).toEqual([
      ['990100', 7123000, null],
      ['990101', 4011000, 'preliminary'],
    ]);
  });

  for (const format of ['open-sdg', 'sdmx', 'dhis2'] as const)
    it(`${format}: export → import reproduces the same values`, async () => {
      const indicators = ['INC_PC', 'POP', 'NEW_JOBS', 'PM25'];
      const exported = format === 'open-sdg' ? ['INC_PC', 'POP', 'PM25'] : indicators; // Open SDG: yearly only
      const before = await stored(exported);
      const files = await imports.exportExchange(store(), SYSTEM_CONTEXT, format, {});
      expect(files.length).toBe(format === 'open-sdg' ? 3 : 1);
      // Change every stored value, then bring the export back.
      await data.saveValues(
        store(),
        SYSTEM_CONTEXT,
        (await findValues(store().db, { indicators: exported })).map((v) => ({
          indicator: v.indicator,
          orgUnit: v.orgUnit,
          period: v.period,
          value: v.value === null ? 1 : v.value + 1,
          comment: 'changed',
        })),
      );
      expect(await stored(exported)).not.toEqual(before);
      for (const f of files) await importText(f.name, f.content);
      // SDMX carries missing values (OBS_STATUS M with the comment); Open SDG and DHIS2 leave them out.
      const carried = format === 'sdmx' ? before : before.filter((v) => v[3] !== null);
      expect(carried.length).toBeGreaterThanOrEqual(format === 'open-sdg' ? 9 : 15);
      const after = new Map((await stored(exported)).map((v) => [v.slice(0, 3).join('|'), v]));
      expect(carried.map((v) => after.get(v.slice(0, 3).join('|')))).toEqual(carried);
    });

  it('over HTTP: imports DHIS2 with a mapping part, exports SDMX and Open SDG, refuses a reporter outside the grant', async () => {
    const b = new Browser(app);
    expect((await b.login('east-reporter', PASSWORD)).status).toBe(200);
    const boundary = '----exchange';
    const part = (field: string, name: string, content: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n${content}\r\n`;
    const send = (body: string, url: string) =>
      app.inject({
        method: 'POST',
        url,
        payload: Buffer.from(`${body}--${boundary}--\r\n`),
        headers: {
          'content-type': `multipart/form-data; boundary=${boundary}`,
          cookie: b.cookie!,
          'x-csrf-token': b.csrf!,
        },
      });
    const east = JSON.stringify({
      dataValues: [{ dataElement: 'fbfJHSPpUQD', period: '2024', orgUnit: 'jUb8gELQApl', value: '80001' }],
    });
    const ok = await send(
      part('mapping', 'm.csv', await fixture('dhis2-mapping.csv')) + part('file', 'east.json', east),
      '/api/v1/data/import?format=dhis2',
    );
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().saved).toBe(1);
    const west = east.replace('jUb8gELQApl', 'Vth0fbpFcsO');
    const refused = await send(
      part('file', 'west.json', west) + part('mapping', 'm.csv', await fixture('dhis2-mapping.csv')),
      '/api/v1/data/import',
    );
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.details[0].code).toBe('not_in_scope');

    const sdmx = await b.get('/api/v1/data/export?format=sdmx&indicator=INC_PC');
    expect(sdmx.status).toBe(200);
    expect(String(sdmx.headers['content-type'])).toContain('text/csv');
    expect(sdmx.body).toContain('dataflow,GONGFU:DF_mini-2021-2025(1.0),I,A,990101,INC_PC,2024,80001,0,yuan,A,');
    expect((await b.get('/api/v1/data/export?format=open-sdg')).status).toBe(400);
    const sdg = await b.get('/api/v1/data/export?format=open-sdg&indicator=INC_PC');
    expect(String(sdg.headers['content-disposition'])).toContain('indicator_INC_PC.csv');
    expect(sdg.body).toContain('2024,990101,元,80001');
  });
});
