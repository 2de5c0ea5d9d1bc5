/**
 * Bad input, thrown at random (fast-check): malformed CSV and XLSX at the importer, junk JSON at the
 * API, broken YAML plans, periods and formulas. Whatever comes in: no 5xx, no crash, no partial
 * write (the values and their history are counted before and after every rejected request), and
 * every rejection says what is wrong (a non-empty message; the row of a file, the field of a body).
 *
 * The CI form runs few cases per property; FULL=1 runs many more.
 */
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_AUTH } from '../src/config.js';
import { formatPeriod, parsePeriod, PeriodError, safeParsePeriod } from '../src/domain/period.js';
import { FormulaError, parseFormula } from '../src/engine/formula.js';
import { buildApp } from '../src/http/app.js';
import { parsePlan } from '../src/ingest/plan.js';
import { SYSTEM_CONTEXT } from '../src/services/context.js';
import * as plans from '../src/services/plans.js';
import * as users from '../src/services/users.js';
import type { Store } from '../src/store/db.js';
import { Browser, type Response } from './support/http-client.js';
import { describeEachStore } from './support/stores.js';

const FULL = !!process.env.FULL;
/** Cases per property: pure functions are cheap; each API case is a request (and a transaction). */
const PURE_RUNS = FULL ? 5000 : 300;
const API_RUNS = FULL ? 500 : 40;
// Each API case is a request and a transaction: the full form takes minutes per property.
vi.setConfig({ testTimeout: FULL ? 900_000 : 60_000 });
const MINI = new URL('./fixtures/mini-plan/plan.yaml', import.meta.url).pathname;
const ADMIN = 'fuzz-admin-qx7';
const PASSWORD = 'Fuzz-Input-Test-9';

// ---------------------------------------------------------------------------------------------
// Pure parsers: periods, formulas, plans

describe('periods', () => {
  const nearPeriod = fc.oneof(
    fc.string({ maxLength: 10 }),
    fc
      .tuple(
        fc.integer({ min: -1, max: 12000 }).map(String),
        fc.constantFrom('', 'Q', 'M', '-', 'q', '年', ' ', 'Q0', 'Q5', 'H1'),
        fc.integer({ min: -1, max: 14 }).map((n) => (n < 10 ? `0${n}` : String(n))),
      )
      .map(([y, sep, p]) => `${y}${sep}${sep === '' && p.length > 0 ? p : p}`),
    fc.constantFrom(
      '2024',
      '2024Q4',
      '202412',
      '2024-12',
      '2024-12-31',
      '0999',
      '10000',
      ' 2024',
      '2024\n',
      '２０２４',
    ),
  );

  it('a period id parses to itself or is refused with a message that quotes it', () => {
    fc.assert(
      fc.property(nearPeriod, (id) => {
        const safe = safeParsePeriod(id);
        try {
          const p = parsePeriod(id);
          expect(safe.ok).toBe(true);
          expect(formatPeriod(p)).toBe(id);
        } catch (e) {
          expect(e).toBeInstanceOf(PeriodError);
          expect(safe.ok).toBe(false);
          expect((e as Error).message.length).toBeGreaterThan(10);
          if (id.trim() !== '' && !/[\n\r]/.test(id)) expect((e as Error).message).toContain(id.trim());
        }
      }),
      { numRuns: PURE_RUNS },
    );
  });
});

describe('formulas', () => {
  const token = fc.constantFrom(
    'POP',
    'INC_PC',
    'x1',
    '1',
    '2.5',
    '1e3',
    '+',
    '-',
    '*',
    '/',
    '(',
    ')',
    ',',
    'min(',
    'max(',
    'pow(',
    'ln(',
    'sqrt(',
    'foo(',
    ' ',
    '.',
    '^',
    '%',
    '"',
    '收入',
    '1e999',
  );
  const formula = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.array(token, { maxLength: 25 }).map((t) => t.join('')),
  );

  it('an expression parses or is refused with a FormulaError that says where', () => {
    fc.assert(
      fc.property(formula, (text) => {
        try {
          const f = parseFormula(text);
          expect(f.codes.every((c) => text.includes(c))).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(FormulaError);
          expect((e as Error).message.length).toBeGreaterThan(5);
          const column = (e as FormulaError).column;
          expect(column).toBeGreaterThanOrEqual(0);
          expect(column).toBeLessThanOrEqual(text.length + 1);
        }
      }),
      { numRuns: PURE_RUNS },
    );
  });

  it('deep nesting is refused, not a stack overflow', () => {
    for (const text of [
      '('.repeat(100_000) + 'A' + ')'.repeat(100_000),
      '-'.repeat(100_000) + 'A',
      'min('.repeat(50_000),
    ])
      expect(() => parseFormula(text)).toThrow(FormulaError);
  });
});

describe('plan files', () => {
  let mini: string;
  beforeAll(async () => {
    mini = await readFile(MINI, 'utf8');
  });

  /** The mini plan with random damage: lines dropped, duplicated or cut, characters replaced. */
  const damaged = () =>
    fc
      .array(
        fc.record({
          kind: fc.constantFrom('drop', 'dup', 'cut', 'char', 'indent'),
          at: fc.nat(),
          char: fc.constantFrom(':', '-', '[', '{', '"', "'", '\t', '&', '*', '!', '|', '#', 'x', '9', '\u0000'),
        }),
        { minLength: 1, maxLength: 4 },
      )
      .map((edits) => {
        const lines = mini.split('\n');
        for (const e of edits) {
          const i = e.at % lines.length;
          if (e.kind === 'drop') lines.splice(i, 1);
          else if (e.kind === 'dup') lines.splice(i, 0, lines[i]!);
          else if (e.kind === 'cut') lines.length = Math.max(1, i);
          else if (e.kind === 'indent') lines[i] = ` ${lines[i]}`;
          else {
            const l = lines[i]!;
            const c = e.at % Math.max(1, l.length);
            lines[i] = l.slice(0, c) + e.char + l.slice(c + 1);
          }
        }
        return lines.join('\n');
      });

  it('aliases to nowhere and alias bombs are problems with a line, not exceptions', () => {
    const missing = parsePlan('id: x\nbaseYear: *nowhere');
    expect(missing).toMatchObject({ ok: false, problems: [{ path: '(yaml)', line: 2, column: 11 }] });
    const bomb = parsePlan(
      [
        'a: &a [x, x]',
        ...'bcd'.split('').map((k, i) => `${k}: &${k} [${Array(12).fill(`*${'abc'[i]}`).join(',')}]`),
      ].join('\n'),
    );
    expect(bomb.ok).toBe(false);
    if (!bomb.ok) expect(bomb.problems[0]!.message).toMatch(/alias/i);
  });

  it('a damaged or random plan is never a crash: valid, or every problem with a path, a line and a reason', () => {
    const text = fc.oneof(
      damaged(),
      fc.string({ maxLength: 200 }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.constantFrom(
        '',
        '---',
        '~',
        '[]',
        '{}',
        'a: &a [*a]',
        'a: &a [x, x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]',
        '!!binary xx',
        'key: [unclosed',
        '\uFEFFid: x',
      ),
    );
    fc.assert(
      fc.property(text, (t) => {
        const r = parsePlan(t);
        if (r.ok) return;
        expect(r.problems.length).toBeGreaterThan(0);
        for (const p of r.problems) {
          expect(p.message.length).toBeGreaterThan(0);
          expect(p.path.length).toBeGreaterThan(0);
          expect(p.line).toBeGreaterThanOrEqual(1);
          expect(p.column).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: FULL ? 2000 : 150 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The API: imports and JSON bodies, on both databases

const INDICATORS = ['POP', 'INC_PC', 'NEW_JOBS', 'MIDDLE_SHARE', 'NOPE', '', 'pop', 'INC_PC ', 'POP\u0000'];
const UNITS = ['990101', '990102', '990100', '999999', '', '990101001', '９９０１０１', '\u0000'];
const PERIODS = [
  '2021',
  '2022',
  '2022Q1',
  '202203',
  '2022-03',
  '2022年',
  '20221',
  '',
  '9999',
  '1900',
  '1000',
  '100001',
  '1000Q1',
  '2022\u0000',
];
const VALUES = [
  '100',
  '1,000',
  '12.5%',
  '',
  'abc',
  '-5',
  '1e400',
  'NaN',
  '0.735',
  ' 42 ',
  '１２',
  '—',
  '"',
  '-0',
  '1\u0000',
];

/** A CSV made of plausible and broken pieces, with random quoting, line ends and damage. */
const csvText = fc
  .record({
    header: fc.oneof(
      fc.constant(['indicator', 'org_unit', 'period', 'value']),
      fc.constant(['period', 'indicator', 'org_unit', 'value', 'comment']),
      fc.shuffledSubarray(['indicator', 'org_unit', 'period', 'value', 'comment', 'junk', ''], { minLength: 1 }),
      fc.array(fc.string({ maxLength: 8 }), { minLength: 1, maxLength: 5 }),
    ),
    rows: fc.array(
      fc.array(
        fc.oneof(
          fc.constantFrom(...INDICATORS),
          fc.constantFrom(...UNITS),
          fc.constantFrom(...PERIODS),
          fc.constantFrom(...VALUES),
          fc.string({ maxLength: 6 }),
        ),
        { minLength: 0, maxLength: 6 },
      ),
      { maxLength: 12 },
    ),
    eol: fc.constantFrom('\n', '\r\n', '\r'),
    quote: fc.boolean(),
    bom: fc.boolean(),
    damage: fc.option(fc.tuple(fc.nat(), fc.constantFrom('"', ',', '\n', '\u0000', '\uFFFD', '""')), {
      nil: undefined,
    }),
  })
  .map(({ header, rows, eol, quote, bom, damage }) => {
    const cell = (c: string) => (quote || /[",\n\r]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c);
    const table: string[][] = [header as string[], ...rows];
    let text = (bom ? '\uFEFF' : '') + table.map((r) => r.map(cell).join(',')).join(eol);
    if (damage) {
      const at = damage[0] % (text.length + 1);
      text = text.slice(0, at) + damage[1] + text.slice(at);
    }
    return text;
  });

/** A well-formed valid CSV row set, so that some cases are accepted and the write is checked too. */
const validCsv = fc
  .array(
    fc.record({
      indicator: fc.constantFrom('POP', 'INC_PC'),
      unit: fc.constantFrom('990101', '990102'),
      year: fc.integer({ min: 2019, max: 2024 }),
      value: fc.integer({ min: 1, max: 90_000 }),
    }),
    { minLength: 1, maxLength: 6 },
  )
  .map((rows) =>
    ['indicator,org_unit,period,value', ...rows.map((r) => `${r.indicator},${r.unit},${r.year},${r.value}`)].join('\n'),
  );

type JunkCell = ExcelJS.CellValue;
const junkCell: fc.Arbitrary<JunkCell> = fc.oneof(
  fc.constantFrom<JunkCell>(...INDICATORS, ...UNITS, ...PERIODS, ...VALUES),
  fc.string({ maxLength: 10 }),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.date({ min: new Date('1800-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }),
  fc.constant<JunkCell>({ formula: '1/0', result: { error: '#DIV/0!' } } as ExcelJS.CellFormulaValue),
  fc.constant<JunkCell>({ error: '#N/A' } as ExcelJS.CellErrorValue),
  fc.constant<JunkCell>({ richText: [{ text: 'POP' }, { text: '1' }] }),
  fc.constant<JunkCell>({ text: '990101', hyperlink: 'http://127.0.0.1/' }),
  fc.constant<JunkCell>({ formula: 'SUM(A1:A2)' } as ExcelJS.CellFormulaValue),
);

/** A well-formed workbook with a values sheet whose cells are junk (headers sometimes right). */
const junkWorkbook = fc
  .record({
    header: fc.oneof(
      fc.constant<JunkCell[]>(['indicator', 'org_unit', 'period', 'value']),
      fc.array(junkCell, { maxLength: 5 }),
    ),
    rows: fc.array(fc.array(junkCell, { maxLength: 6 }), { maxLength: 10 }),
    sheetName: fc.constantFrom('values', 'Sheet1', '_gongfu', '数据'),
    meta: fc.boolean(),
  })
  .map(async ({ header, rows, sheetName, meta }) => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet(sheetName);
    ws.addRow(header);
    for (const r of rows) ws.addRow(r);
    if (meta && sheetName !== '_gongfu') {
      // A template's hidden metadata sheet with junk in it.
      const m = wb.addWorksheet('_gongfu');
      m.addRow(['format', 'gongfu-template']);
      m.addRow(['version', rows.length]);
      m.addRow(['plan', 'mini-2021-2025']);
    }
    return Buffer.from(await wb.xlsx.writeBuffer());
  });

/** Bytes that claim to be an xlsx: a zip signature and junk, or a real workbook cut or flipped. */
const xlsxBytes = (real: () => Buffer) =>
  fc.oneof(
    fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), b])),
    fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.nat()).map(([cut, flip]) => {
      const b = Buffer.from(real());
      b[flip % b.length] = b[flip % b.length]! ^ 0xff;
      return b.subarray(0, Math.max(4, Math.floor(b.length * cut)));
    }),
  );

async function counts(store: Store) {
  const r = await sql<{ v: string; r: string; e: string }>`
    SELECT (SELECT count(*) FROM data_value) AS v, (SELECT count(*) FROM data_value_revision) AS r,
           (SELECT count(*) FROM evaluation_run) AS e`.execute(store.db);
  return { values: Number(r.rows[0]!.v), revisions: Number(r.rows[0]!.r), runs: Number(r.rows[0]!.e) };
}

/** No server error, and a refusal says why (a message; field-level for bodies). */
function expectExplained(res: Response, context: string) {
  expect(res.status, `${context}: ${JSON.stringify(res.body)?.slice(0, 300)}`).toBeLessThan(500);
  if (res.status >= 400) {
    expect(res.body?.error?.code, context).toBeTruthy();
    expect(String(res.body?.error?.message ?? '').length, context).toBeGreaterThan(3);
  }
}

describeEachStore('bad input at the API', (store) => {
  let app: FastifyInstance;
  let admin: Browser;
  let realXlsx: Buffer;

  beforeAll(async () => {
    await plans.importPlan(store(), MINI);
    await users.addUser(store(), SYSTEM_CONTEXT, {
      username: ADMIN,
      password: PASSWORD,
      grants: [{ role: 'admin', unit: '990100' }],
    });
    app = await buildApp({
      store: store(),
      auth: { ...DEFAULT_AUTH, loginAttemptsPerMinute: 1_000_000, maxFailedLogins: 1_000_000 },
    });
    admin = new Browser(app);
    expect((await admin.login(ADMIN, PASSWORD)).status).toBe(200);
    const t = await app.inject({
      method: 'GET',
      url: '/api/v1/data/template?orgUnit=990101&period=2022',
      headers: { cookie: admin.cookie! },
    });
    expect(t.statusCode).toBe(200);
    realXlsx = t.rawPayload;
  });
  afterAll(async () => {
    await app.close();
  });

  /** Uploads a file; a refusal writes nothing, and its message or its issues say which row and why. */
  async function importChecked(fileName: string, content: Buffer | string, partial: boolean) {
    const before = await counts(store());
    const res = await admin.upload(`/api/v1/data/import${partial ? '?partial=true' : ''}`, fileName, content);
    const label = `${fileName} ${JSON.stringify(String(content).slice(0, 200))}`;
    expectExplained(res, label);
    const after = await counts(store());
    if (res.status !== 200) {
      expect(after, label).toEqual(before);
      for (const issue of (res.body.error.details as { message?: { en?: string }; row?: number }[] | undefined) ?? [])
        expect(issue.message?.en?.length, label).toBeGreaterThan(0);
      return res;
    }
    expect(after.values - before.values, label).toBeLessThanOrEqual(res.body.saved);
    if (!partial) expect(res.body.rejected, label).toEqual([]);
    for (const issue of res.body.rejected as { row?: number; message: { en: string; zh: string } }[]) {
      expect(issue.message.en.length, label).toBeGreaterThan(0);
      expect(issue.message.zh.length, label).toBeGreaterThan(0);
    }
    return res;
  }

  it('malformed CSV: refused whole with its rows named, or saved (all or nothing, or partial)', async () => {
    let accepted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(csvText, validCsv), fc.boolean(), async (text, partial) => {
        const res = await importChecked('values.csv', text, partial);
        if (res.status === 200) accepted++;
        else refused++;
        // A refusal of a file whose rows were read names a row (or the header) in its issues.
        if (res.status === 422 && res.body.error.details?.length)
          expect(
            res.body.error.details.some(
              (i: { row?: number; column?: string; code?: string }) =>
                i.row !== undefined || i.column !== undefined || i.code,
            ),
          ).toBe(true);
      }),
      { numRuns: API_RUNS },
    );
    expect(accepted).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });

  it('CSV bytes that are not UTF-8 text, or not text at all', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
        await importChecked('values.csv', Buffer.from(bytes), false);
      }),
      { numRuns: API_RUNS },
    );
  });

  it('XLSX: random or damaged bytes are refused with a message, and write nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        xlsxBytes(() => realXlsx),
        async (bytes) => {
          await importChecked('values.xlsx', bytes, false);
        },
      ),
      { numRuns: API_RUNS },
    );
  });

  it('XLSX: well-formed workbooks with junk cells', async () => {
    await fc.assert(
      fc.asyncProperty(junkWorkbook, fc.boolean(), async (book, partial) => {
        await importChecked('values.xlsx', await book, partial);
      }),
      { numRuns: API_RUNS },
    );
  });

  it('PUT /data/values with junk bodies: 400 naming the field, or saved all or nothing', async () => {
    const value = fc.record(
      {
        indicator: fc.oneof(fc.constantFrom(...INDICATORS), fc.anything()),
        orgUnit: fc.oneof(fc.constantFrom(...UNITS), fc.anything()),
        period: fc.oneof(fc.constantFrom(...PERIODS), fc.anything()),
        value: fc.oneof(fc.double(), fc.integer(), fc.constant(null), fc.string({ maxLength: 5 }), fc.anything()),
        comment: fc.oneof(fc.string(), fc.constant('note\u0000'), fc.anything()),
      },
      { requiredKeys: [] },
    );
    const body = fc.oneof(
      fc.record(
        { values: fc.array(value, { maxLength: 8 }), partial: fc.oneof(fc.boolean(), fc.anything()) },
        { requiredKeys: [] },
      ),
      fc.anything(),
      fc.jsonValue(),
    );
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const before = await counts(store());
        const res = await admin.request('PUT', '/api/v1/data/values', b === undefined ? undefined : JSON.stringify(b), {
          'content-type': 'application/json',
        });
        expectExplained(res, JSON.stringify(b));
        const after = await counts(store());
        if (res.status !== 200) expect(after).toEqual(before);
        if (res.status === 400 && res.body.error.code === 'INVALID_INPUT' && typeof b === 'object' && b !== null)
          expect(res.body.error.message).toMatch(/\w/);
        if (res.status === 200 && !(b as { partial?: unknown }).partial)
          expect(res.body.issues.filter((i: { severity: string }) => i.severity === 'error')).toEqual([]);
      }),
      { numRuns: API_RUNS },
    );
  });

  it('malformed JSON text and wrong content types', async () => {
    const text = fc.oneof(
      fc.string({ maxLength: 50 }),
      fc.constantFrom('{', '{"values": [', '[1,2', 'null', '""', '{"values": [{"indicator": "POP"}]}x', '\u0000'),
    );
    await fc.assert(
      fc.asyncProperty(
        text,
        fc.constantFrom(
          'application/json',
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/json; charset=gbk',
        ),
        fc.constantFrom('/api/v1/data/values', '/api/v1/evaluations', '/api/v1/auth/login'),
        async (payload, contentType, url) => {
          const before = await counts(store());
          const res = await admin.request(url.endsWith('values') ? 'PUT' : 'POST', url, payload, {
            'content-type': contentType,
          });
          expectExplained(res, `${url} ${contentType} ${JSON.stringify(payload)}`);
          if (res.status >= 400) expect(await counts(store())).toEqual(before);
        },
      ),
      { numRuns: API_RUNS },
    );
  });

  it('POST /evaluations with junk bodies: 201 with a run, or 400 naming the field', async () => {
    const body = fc.oneof(
      fc.record(
        {
          year: fc.oneof(
            fc.integer({ min: 1900, max: 2200 }),
            fc.double(),
            fc.string({ maxLength: 4 }),
            fc.constant(null),
          ),
          freeze: fc.oneof(fc.boolean(), fc.string({ maxLength: 3 })),
          label: fc.oneof(fc.string({ maxLength: 300 }), fc.integer()),
        },
        { requiredKeys: [] },
      ),
      fc.jsonValue({ maxDepth: 2 }),
    );
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const before = await counts(store());
        const res = await admin.request('POST', '/api/v1/evaluations', JSON.stringify(b), {
          'content-type': 'application/json',
        });
        expectExplained(res, JSON.stringify(b));
        const after = await counts(store());
        if (res.status === 201) {
          expect(after.runs).toBe(before.runs + 1);
          expect(res.body.fingerprint).toMatch(/\w{16,}/);
        } else {
          expect(after).toEqual(before);
          if (res.status === 400 && b && typeof b === 'object' && !Array.isArray(b) && Object.keys(b).length > 0)
            expect(res.body.error.message).toMatch(/year|freeze|label|body|object|Invalid|expected/i);
        }
      }),
      { numRuns: FULL ? 200 : 25 },
    );
  });

  it('NUL characters (which no database text can hold) in every field are refused, not a server error', async () => {
    const ok = { indicator: 'POP', orgUnit: '990101', period: '2021', value: 5 };
    const cases: [string, string, unknown][] = [
      ['PUT', '/api/v1/data/values', { values: [{ ...ok, comment: 'note\u0000' }] }],
      ['PUT', '/api/v1/data/values', { values: [{ ...ok, orgUnit: '990101\u0000' }] }],
      ['PUT', '/api/v1/data/values', { values: [{ ...ok, indicator: 'POP\u0000' }] }],
      ['PUT', '/api/v1/data/values', { values: [{ ...ok, period: '2021\u0000' }] }],
      ['POST', '/api/v1/evaluations', { label: 'run\u0000' }],
      ['POST', '/api/v1/auth/login', { username: '\u0000', password: 'x' }],
    ];
    for (const [method, url, body] of cases) {
      const before = await counts(store());
      const res = await admin.request(method as 'PUT', url, JSON.stringify(body), {
        'content-type': 'application/json',
      });
      expectExplained(res, `${url} ${JSON.stringify(body)}`);
      expect(res.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(await counts(store())).toEqual(before);
    }
  });

  it('login with junk bodies: never a server error, never a session', async () => {
    const body = fc.oneof(
      fc.record(
        {
          username: fc.oneof(
            fc.string({ maxLength: 80 }),
            fc.anything(),
            fc.constantFrom(ADMIN, `${ADMIN}\u0000`, '\u0000'),
          ),
          password: fc.oneof(fc.string({ maxLength: 250 }), fc.anything()),
        },
        { requiredKeys: [] },
      ),
      fc.anything(),
    );
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const anonymous = new Browser(app);
        const res = await anonymous.request('POST', '/api/v1/auth/login', JSON.stringify(b ?? null), {
          'content-type': 'application/json',
        });
        expectExplained(res, JSON.stringify(b));
        expect(res.status).not.toBe(200);
        expect(anonymous.cookie).toBeUndefined();
      }),
      { numRuns: API_RUNS },
    );
    // The admin, after all that, still signs in (junk did not lock the account).
    expect((await new Browser(app).login(ADMIN, PASSWORD)).status).toBe(200);
  });
});
