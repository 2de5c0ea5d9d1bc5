import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { finished } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeIssue, type Issue } from '../domain/data.js';
import { CsvError, parseCsv } from './csv.js';
import {
  CsvStreamError,
  CsvStreamParser,
  detectShape,
  formatLongCsv,
  periodHeaderId,
  readCsvRecords,
  readLongCsv,
  readValuesCsv,
  readWideCsv,
  sniffValuesCsv,
  writeLongCsv,
  type CsvRecord,
  type CsvSource,
  type RawValueRow,
  type ReadValuesOptions,
  type ValueEvent,
} from './values-csv.js';

const fixture = (name: string) => new URL(`../../test/fixtures/data/${name}`, import.meta.url);

async function collect(source: CsvSource, options: ReadValuesOptions = {}) {
  const events: ValueEvent[] = [];
  for await (const e of readValuesCsv(source, options)) events.push(e);
  return {
    events,
    rows: events.flatMap((e) => (e.kind === 'row' ? [e.row] : [])),
    issues: events.flatMap((e) => (e.kind === 'issue' ? [e.issue] : [])),
  };
}

/** Every record of `text` fed to the parser in the given pieces. */
function parsePieces(pieces: string[]): { records: CsvRecord[]; error?: CsvStreamError } {
  const p = new CsvStreamParser();
  const records: CsvRecord[] = [];
  for (const piece of pieces) records.push(...p.push(piece));
  records.push(...p.end());
  return { records, ...(p.error ? { error: p.error } : {}) };
}

/** All ways to cut `text` into two pieces, and into single characters. */
function splits(text: string): string[][] {
  const out: string[][] = [[text], [...text]];
  for (let i = 1; i < text.length; i++) out.push([text.slice(0, i), text.slice(i)]);
  return out;
}

describe('CsvStreamParser', () => {
  // The stream parser is parseCsv cut into pieces: the same records, wherever the cuts fall.
  const texts: [string, string][] = [
    ['LF', 'a,b,c\n1,2,3\n'],
    ['CRLF', 'a,b\r\n1,2\r\n'],
    ['lone CRs', 'a\rb\r'],
    ['quotes, escaped quotes and a line break inside quotes', '"a,b","c""d"\n"multi\nline",x\n'],
    ['a CRLF inside quotes and no final line break', '"x\r\ny",z\r\nq'],
    ['a BOM', '\uFEFFh1,h2\n1,2'],
    ['blank lines and trailing commas', 'a,\n\nb,'],
    ['empty quoted fields', '"",""\n'],
    ['one line break', '\n'],
    ['one field', 'a'],
    ['one comma', ','],
    ['nothing', ''],
    ['Chinese text', '指标代码,说明\nINC_PC,"含个体工商户，不含分支机构"\n'],
  ];
  it.each(texts)('reads %s as parseCsv does, in pieces of any size', (_what, text) => {
    const expected = parseCsv(text);
    for (const pieces of splits(text)) {
      const { records, error } = parsePieces(pieces);
      expect(error).toBeUndefined();
      expect(records.map((r) => r.fields)).toEqual(expected);
    }
  });

  it('gives each record the line on which it starts', () => {
    const text = 'h\r\n"a\r\nb"\n\nc\rd\n"x\ny\nz",1\nlast';
    for (const pieces of splits(text)) {
      expect(parsePieces(pieces).records.map((r) => [r.fields[0], r.line])).toEqual([
        ['h', 1],
        ['a\r\nb', 2],
        ['', 4],
        ['c', 5],
        ['d', 6],
        ['x\ny\nz', 7],
        ['last', 10],
      ]);
    }
  });

  const broken: [string, string, string][] = [
    ['an unterminated quoted field', 'a,b\n1,"open\n', 'unterminated_quote'],
    ['text after a closing quote', 'a,b\r\n1,"x"y\n', 'after_quote'],
    ['a quote inside an unquoted field', 'a,b\n\uFEFF1,ab"c\n', 'quote_in_field'],
    ['an error after a quoted line break', '"a\nb",c\nd"e', 'quote_in_field'],
    ['an error after a BOM', '\uFEFFa,b"', 'quote_in_field'],
  ];
  it.each(broken)('reports %s at the line and column parseCsv reports', (_what, text, problem) => {
    let expected: CsvError | undefined;
    try {
      parseCsv(text);
    } catch (e) {
      expected = e as CsvError;
    }
    expect(expected).toBeInstanceOf(CsvError);
    for (const pieces of splits(text)) {
      const { error } = parsePieces(pieces);
      expect(error?.problem).toBe(problem);
      expect([error?.line, error?.column]).toEqual([expected!.line, expected!.column]);
    }
  });

  it('returns the records before an error, then stops', () => {
    const p = new CsvStreamParser();
    expect(p.push('a,b\n1,"x"y\n2,3\n').map((r) => r.fields)).toEqual([['a', 'b']]);
    expect(p.error?.message).toBe('unexpected character after closing quote at line 2, column 6');
    expect(p.push('4,5\n')).toEqual([]);
  });

  it('readCsvRecords streams a Readable and throws on malformed input', async () => {
    const records: CsvRecord[] = [];
    for await (const r of readCsvRecords(Readable.from([Buffer.from('a,b\n1,'), Buffer.from('2\n')]))) records.push(r);
    expect(records).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['1', '2'], line: 2 },
    ]);
    await expect(async () => {
      for await (const _ of readCsvRecords('a\n"b')) void _;
    }).rejects.toThrow(CsvStreamError);
  });

  it('decodes UTF-8 characters cut between chunks', async () => {
    const bytes = Buffer.from('说明\n含个体工商户\n');
    const chunks = [...bytes].map((b) => Uint8Array.of(b));
    const records: string[][] = [];
    for await (const r of readCsvRecords(chunks)) records.push(r.fields);
    expect(records).toEqual([['说明'], ['含个体工商户']]);
  });
});

describe('detectShape', () => {
  const shapes: [string, string[], object][] = [
    [
      'a long header',
      ['indicator', 'org_unit', 'period', 'value', 'comment'],
      { shape: 'long', columns: { indicator: 0, orgUnit: 1, period: 2, value: 3, comment: 4 } },
    ],
    [
      'a long header in Chinese, in another order',
      ['数值', '期间', '指标代码', '单位代码'],
      { shape: 'long', columns: { indicator: 2, orgUnit: 3, period: 1, value: 0 } },
    ],
    [
      'a long header with spaces, capitals and a descriptive column',
      [' Indicator ', 'Org Unit', 'PERIOD', 'indicator_name', 'Value'],
      { shape: 'long', columns: { indicator: 0, orgUnit: 1, period: 2, value: 4 } },
    ],
    [
      'periods as columns',
      ['indicator', 'org_unit', '2021', '2022', '2023'],
      {
        shape: 'wide',
        axis: 'period',
        keys: { indicator: 0, orgUnit: 1 },
        data: [
          { index: 2, id: '2021' },
          { index: 3, id: '2022' },
          { index: 4, id: '2023' },
        ],
      },
    ],
    [
      'quarters and months written the Chinese way',
      ['指标代码', '单位代码', '2024年第三季度', '2024年7月', '2024-08', '2024Q4'],
      {
        shape: 'wide',
        axis: 'period',
        keys: { indicator: 0, orgUnit: 1 },
        data: [
          { index: 2, id: '2024Q3' },
          { index: 3, id: '202407' },
          { index: 4, id: '202408' },
          { index: 5, id: '2024Q4' },
        ],
      },
    ],
    [
      'org units as columns (six-digit codes are not months)',
      ['indicator', 'period', '330702', '330703'],
      {
        shape: 'wide',
        axis: 'orgUnit',
        keys: { indicator: 0, period: 1 },
        data: [
          { index: 2, id: '330702' },
          { index: 3, id: '330703' },
        ],
      },
    ],
    [
      'indicators as columns',
      ['org_unit', 'period', 'INC_PC', 'POP_RESIDENT'],
      {
        shape: 'wide',
        axis: 'indicator',
        keys: { orgUnit: 0, period: 1 },
        data: [
          { index: 2, id: 'INC_PC' },
          { index: 3, id: 'POP_RESIDENT' },
        ],
      },
    ],
  ];
  it.each(shapes)('recognises %s', (_what, header, shape) => {
    expect(detectShape(header)).toEqual({ ok: true, shape });
  });

  it('takes a key without a column from the defaults', () => {
    const r = detectShape(['indicator', '2021', '2022'], { defaults: { orgUnit: '330782' } });
    expect(r.ok && r.shape.shape === 'wide' && r.shape.axis).toBe('period');
    const long = detectShape(['indicator', 'period', 'value'], { defaults: { orgUnit: '330782' } });
    expect(long.ok && long.shape.shape).toBe('long');
  });

  it('decides by the headers where two keys have no column: periods, then unit codes', () => {
    const periods = detectShape(['indicator', '202407', '202408']);
    expect(periods.ok).toBe(false);
    if (!periods.ok) expect(periods.messages[0]?.en).toBe('the header lacks required columns: org_unit');
    const units = detectShape(['indicator', '330702', '330703']);
    if (!units.ok) expect(units.messages[0]?.en).toBe('the header lacks required columns: period');
  });

  const bad: [string, string[], string[]][] = [
    [
      'unknown columns, named',
      ['indicator', 'org_unit', 'period', 'value', 'vaule', 'origin'],
      [
        'the header has columns that are not known: "vaule", "origin" (known: indicator, org_unit, period, value, comment)',
      ],
    ],
    [
      'a missing value column',
      ['indicator', 'org_unit', 'period', 'vlaue'],
      [
        'the header has columns that are not known: "vlaue" (known: indicator, org_unit, period, value, comment)',
        'the header lacks required columns: value',
      ],
    ],
    ['missing key columns', ['indicator', 'value'], ['the header lacks required columns: org_unit, period']],
    [
      'a repeated column',
      ['indicator', 'org_unit', 'period', 'value', '数值'],
      ['the header has the column "数值" more than once'],
    ],
    [
      'a wide header with a column that is not a period',
      ['indicator', 'org_unit', '2021', '2022', 'total'],
      ['the column headers "total" are not periods (2024, 2024Q3, 202407)'],
    ],
    [
      'a repeated period',
      ['indicator', 'org_unit', '2021', '2021年'],
      ['the header has the column "2021年" more than once'],
    ],
    [
      'a header of nothing known',
      ['name', 'count'],
      [
        'the layout is not recognised: a long table has the header indicator,org_unit,period,value[,comment]; a wide table has key columns followed by one column per period or per org unit',
      ],
    ],
  ];
  it.each(bad)('refuses %s', (_what, header, en) => {
    const r = detectShape(header);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.messages.map((m) => m.en)).toEqual(en);
  });

  it('names missing columns in Chinese in the Chinese message', () => {
    const r = detectShape(['指标代码', '数值']);
    expect(!r.ok && r.messages[0]?.zh).toBe('表头缺少必需的列：单位代码（org_unit）、期间（period）');
  });

  it.each([
    ['2024', '2024'],
    ['2024年', '2024'],
    ['2024年度', '2024'],
    ['2024Q3', '2024Q3'],
    ['2024 q3', '2024Q3'],
    ['2024年第一季度', '2024Q1'],
    ['2024年3季度', '2024Q3'],
    ['202407', '202407'],
    ['2024-7', '202407'],
    ['2024年7月', '202407'],
    ['２０２４', '2024'],
    ['330702', undefined],
    ['202413', undefined],
    ['2024Q5', undefined],
    ['1850', undefined],
    ['total', undefined],
  ])('reads the column header %j as the period %j', (header, id) => {
    expect(periodHeaderId(header)).toBe(id);
  });
});

describe('sniffValuesCsv', () => {
  it('tells the shape from the first bytes, even cut mid-record', () => {
    const head = readFileSync(fixture('values-wide-units.csv')).subarray(0, 60);
    const r = sniffValuesCsv(head);
    expect(r.ok && r.shape.shape === 'wide' && r.shape.axis).toBe('orgUnit');
    const gbk = sniffValuesCsv(readFileSync(fixture('values-long-gbk.csv')).subarray(0, 50));
    expect(gbk.ok && gbk.shape.shape).toBe('long');
  });

  it('says so when there is no header', () => {
    expect(sniffValuesCsv('\n\n')).toEqual({
      ok: false,
      messages: [{ zh: '文件为空或没有表头', en: 'the file is empty or has no header' }],
    });
  });
});

describe('readValuesCsv: long', () => {
  it('reads the fixture: BOM, CRLF, free column order, missing marks, a word', async () => {
    const { rows, issues } = await collect(createReadStream(fixture('values-long.csv')), {
      fileName: 'values-long.csv',
    });
    const at = (row: number) => ({ file: 'values-long.csv', row, column: 'value' });
    expect(rows).toEqual<RawValueRow[]>([
      { indicator: 'INC_PC', orgUnit: '330782', period: '2024', value: 98000, location: at(2) },
      { indicator: 'URBAN_REG_UNEMPLOYMENT_RATE', orgUnit: '330782', period: '2024', value: 0.021, location: at(3) },
      {
        indicator: 'MARKET_ENTITIES',
        orgUnit: '330782',
        period: '2024',
        value: 1234567,
        comment: '含个体工商户, 不含分支机构',
        location: at(4),
      },
      // An empty value cell is reported as missing (validation asks for the comment it has).
      {
        indicator: 'POP_RESIDENT',
        orgUnit: '330782',
        period: '2024',
        value: null,
        comment: '统计公报尚未发布',
        location: at(6),
      },
      { indicator: 'GDP', orgUnit: '330782', period: '2024', value: null, location: at(7) },
    ]);
    expect(issues).toEqual<Issue[]>([
      {
        code: 'not_a_number',
        severity: 'error',
        message: { zh: '“很多”不是数字', en: '"很多" is not a number' },
        ...at(8),
        indicator: 'INC_PC',
        orgUnit: '330783',
        period: '2024',
      },
    ]);
    expect(describeIssue(issues[0]!, 'zh')).toBe('values-long.csv，第8行，value列：“很多”不是数字');
    expect(describeIssue(issues[0]!, 'en')).toBe('values-long.csv, row 8, column value: "很多" is not a number');
  });

  it('reads a file Excel saved as CSV on a Chinese Windows (GB18030), with the Chinese header', async () => {
    const { rows, issues } = await collect(createReadStream(fixture('values-long-gbk.csv')), { fileName: 'gbk.csv' });
    expect(issues).toEqual([]);
    expect(rows).toEqual([
      {
        indicator: 'INC_PC',
        orgUnit: '330782',
        period: '2024',
        value: 98000,
        comment: '初步核算',
        location: { file: 'gbk.csv', row: 2, column: '数值' },
      },
      {
        indicator: 'URBAN_REG_UNEMPLOYMENT_RATE',
        orgUnit: '330782',
        period: '2024',
        value: 0.021,
        location: { file: 'gbk.csv', row: 3, column: '数值' },
      },
    ]);
  });

  it('switches to GB18030 only when what came before was ASCII', async () => {
    const gbk = readFileSync(fixture('values-long-gbk.csv'));
    const ascii = Buffer.from('indicator,org_unit,period,value,comment\nA,1,2024,1,x\n');
    const body = gbk.subarray(gbk.indexOf(0x0a) + 1); // the GBK rows without their header
    const { rows } = await collect([ascii, body]);
    expect(rows.map((r) => r.comment)).toEqual(['x', '初步核算', undefined]);
  });

  it('refuses a percentage for an indicator that is not a rate, when told the unit kinds', async () => {
    const kinds: Record<string, 'share' | 'count'> = { RATE: 'share', ENTITIES: 'count' };
    const { rows, issues } = await collect('indicator,org_unit,period,value\nRATE,1,2024,2.1%\nENTITIES,1,2024,5%\n', {
      unitKind: (i) => kinds[i],
    });
    expect(rows.map((r) => r.value)).toEqual([0.021]);
    expect(issues.map((i) => [i.code, i.row, i.message.en])).toEqual([
      ['not_a_number', 3, '"5%" is a percentage, but this indicator is not a rate: write the number'],
    ]);
  });

  it('keeps a share typed without a % sign as written (validation flags it)', async () => {
    const { rows } = await collect('indicator,org_unit,period,value\nRATE,1,2024,73.5\n', { unitKind: () => 'share' });
    expect(rows[0]?.value).toBe(73.5);
  });

  it('stops at a bad header, with issues that name the columns', async () => {
    const { rows, issues } = await collect('indicator,org_unit,period,value,origin\nA,1,2024,5,x\n', {
      fileName: 'f.csv',
    });
    expect(rows).toEqual([]);
    expect(issues).toEqual([
      {
        code: 'bad_header',
        severity: 'error',
        file: 'f.csv',
        row: 1,
        message: {
          zh: '表头有无法识别的列：“origin”（可用列：指标代码,单位代码,期间,数值,说明 或 indicator,org_unit,period,value,comment）',
          en: 'the header has columns that are not known: "origin" (known: indicator, org_unit, period, value, comment)',
        },
      },
    ]);
  });

  it('takes the header from the first non-blank record, and reports content under no header', async () => {
    const { rows, issues } = await collect('\n\nindicator,org_unit,period,value,\nA,1,2024,5,oops\nB,1,2024,6,,\n');
    expect(rows.map((r) => [r.indicator, r.location.row])).toEqual([
      ['A', 4],
      ['B', 5],
    ]);
    expect(issues.map((i) => [i.code, i.row, i.column, i.message.zh])).toEqual([
      ['bad_file', 4, '#5', '此单元格有内容，但所在列没有列名'],
    ]);
  });

  it('ends with a bad_file issue at a syntax error, after the rows before it', async () => {
    const { rows, issues } = await collect('indicator,org_unit,period,value\nA,1,2024,5\nB,1,"2024"x,6\nC,1,2024,7\n', {
      fileName: 'f.csv',
    });
    expect(rows.map((r) => r.indicator)).toEqual(['A']);
    expect(issues).toEqual([
      {
        code: 'bad_file',
        severity: 'error',
        file: 'f.csv',
        row: 3,
        message: {
          zh: 'CSV格式错误（第11个字符）：右引号后面还有字符',
          en: 'CSV syntax error at character 11: characters follow a closing quote',
        },
      },
    ]);
  });

  it('reports an empty file', async () => {
    const { issues } = await collect(Buffer.alloc(0), { fileName: 'empty.csv' });
    expect(issues.map((i) => [i.code, i.file, i.message.en])).toEqual([
      ['bad_file', 'empty.csv', 'the file is empty or has no header'],
    ]);
  });

  it('readWideCsv refuses a long file, readLongCsv a wide one', async () => {
    const long = 'indicator,org_unit,period,value\nA,1,2024,5\n';
    const wide = 'indicator,org_unit,2021\nA,1,5\n';
    const first = async (it: AsyncIterable<ValueEvent>) => {
      for await (const e of it) return e;
    };
    expect(await first(readWideCsv(long))).toMatchObject({ kind: 'issue', issue: { code: 'bad_header' } });
    expect(await first(readLongCsv(wide))).toMatchObject({ kind: 'issue', issue: { code: 'bad_header' } });
    expect(await first(readLongCsv(long))).toMatchObject({ kind: 'row' });
  });
});

describe('readValuesCsv: wide', () => {
  it('reads periods as columns: one row per non-empty cell, located by its column header', async () => {
    const { rows, issues } = await collect(createReadStream(fixture('values-wide-periods.csv')), { fileName: 'w.csv' });
    expect(issues).toEqual([]);
    expect(rows.map((r) => [r.indicator, r.orgUnit, r.period, r.value, r.location])).toEqual([
      ['INC_PC', '330782', '2021', 81234, { file: 'w.csv', row: 2, column: '2021' }],
      ['INC_PC', '330782', '2022', 88000, { file: 'w.csv', row: 2, column: '2022年' }],
      ['INC_PC', '330782', '2023', 95000, { file: 'w.csv', row: 2, column: '2023' }],
      ['URBAN_REG_UNEMPLOYMENT_RATE', '330782', '2021', 0.023, { file: 'w.csv', row: 3, column: '2021' }],
      // 2022 is empty: a hole, no row; 2023 is a dash: reported as missing.
      ['URBAN_REG_UNEMPLOYMENT_RATE', '330782', '2023', null, { file: 'w.csv', row: 3, column: '2023' }],
    ]);
  });

  it('reads org units as columns, with not_a_number located by the unit column', async () => {
    const { rows, issues } = await collect(createReadStream(fixture('values-wide-units.csv')), { fileName: 'u.csv' });
    expect(rows.map((r) => [r.indicator, r.orgUnit, r.period, r.value])).toEqual([
      ['INC_PC', '330702', '2024', 70000],
      ['INC_PC', '330703', '2024', 68000],
      ['INC_PC', '330782', '2024', 98000],
      ['MARKET_ENTITIES', '330782', '2024', 1234567],
    ]);
    expect(issues).toEqual([
      {
        code: 'not_a_number',
        severity: 'error',
        message: { zh: '“约5万”不是数字', en: '"约5万" is not a number' },
        file: 'u.csv',
        row: 3,
        column: '330703',
        indicator: 'MARKET_ENTITIES',
        orgUnit: '330703',
        period: '2024',
      },
    ]);
  });

  it('applies a wide row comment to each of its values, and defaults to missing keys', async () => {
    const { rows } = await collect('indicator,comment,2023,2024\nA,初步核算,1,2\n', {
      defaults: { orgUnit: '330782' },
    });
    expect(rows.map((r) => [r.indicator, r.orgUnit, r.period, r.value, r.comment])).toEqual([
      ['A', '330782', '2023', 1, '初步核算'],
      ['A', '330782', '2024', 2, '初步核算'],
    ]);
  });
});

describe('writing', () => {
  const rows = [
    { indicator: 'INC_PC', orgUnit: '330782', period: '2024', value: 98000 },
    { indicator: 'URBAN_REG_UNEMPLOYMENT_RATE', orgUnit: '330782', period: '2024', value: 0.021, comment: null },
    { indicator: 'POP_RESIDENT', orgUnit: '330782', period: '2024', value: null, comment: '统计公报尚未发布' },
    { indicator: 'X', orgUnit: '330782', period: '2024', value: -0, comment: 'a "quoted", \nmulti-line comment' },
    { indicator: 'Y', orgUnit: '330782', period: '2024', value: 1e-7 },
  ];

  it('formatLongCsv writes a BOM, the header and one line per row; missing is an empty cell', () => {
    expect(formatLongCsv(rows.slice(0, 4))).toBe(
      '\uFEFFindicator,org_unit,period,value,comment\n' +
        'INC_PC,330782,2024,98000,\n' +
        'URBAN_REG_UNEMPLOYMENT_RATE,330782,2024,0.021,\n' +
        'POP_RESIDENT,330782,2024,,统计公报尚未发布\n' +
        'X,330782,2024,0,"a ""quoted"", \nmulti-line comment"\n',
    );
    expect(formatLongCsv([], { bom: false, language: 'zh' })).toBe('指标代码,单位代码,期间,数值,说明\n');
  });

  it('round-trips through readLongCsv', async () => {
    const { rows: back, issues } = await collect(formatLongCsv(rows, { language: 'zh' }));
    expect(issues).toEqual([]);
    expect(back.map((r) => ({ ...r, location: undefined }))).toEqual(
      rows.map((r) => ({
        indicator: r.indicator,
        orgUnit: r.orgUnit,
        period: r.period,
        value: Object.is(r.value, -0) ? 0 : r.value,
        ...(r.comment ? { comment: r.comment } : {}),
        location: undefined,
      })),
    );
  });

  it('writeLongCsv waits for a slow writable to drain', async () => {
    const chunks: Buffer[] = [];
    let writes = 0;
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _enc, done) {
        chunks.push(chunk);
        writes++;
        setTimeout(done, 1);
      },
    });
    async function* many() {
      for (let i = 0; i < 20_000; i++) yield { indicator: 'A', orgUnit: '330782', period: '2024', value: i };
    }
    const r = await writeLongCsv(many(), slow);
    slow.end();
    await finished(slow);
    const text = Buffer.concat(chunks).toString('utf8');
    expect(r.rows).toBe(20_000);
    expect(r.bytes).toBe(Buffer.byteLength(text));
    expect(writes).toBeGreaterThan(3);
    expect(text.split('\n')).toHaveLength(20_002);
    expect(text.endsWith('A,330782,2024,19999,\n')).toBe(true);
  });
});

describe('a million rows', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gongfu-values-csv-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('are written and read back as streams, without holding the file in memory', async () => {
    const N = 1_000_000;
    const file = join(dir, 'million.csv');
    const out = createWriteStream(file);
    function* generate() {
      for (let i = 0; i < N; i++)
        yield {
          indicator: i % 3 === 0 ? 'INC_PC' : 'POP_RESIDENT',
          orgUnit: String(330782001001 + (i % 3300)),
          period: String(1900 + Math.floor(i / 3300)),
          value: i % 1000 === 0 ? null : i * 1.5,
          comment: i % 1000 === 0 ? '缺失' : null,
        };
    }
    const written = await writeLongCsv(generate(), out);
    out.end();
    await finished(out);
    const size = (await stat(file)).size;
    expect(written.bytes).toBe(size);
    expect(size).toBeGreaterThan(30e6);

    const progress: { bytes: number; rows: number }[] = [];
    let rows = 0;
    let nulls = 0;
    let last: RawValueRow | undefined;
    // Measure what stays alive, not garbage waiting for collection: collect before each sample.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    for await (const e of readLongCsv(createReadStream(file), {
      fileName: 'million.csv',
      progress: (p) => progress.push(p),
    })) {
      if (e.kind !== 'row') throw new Error(describeIssue(e.issue, 'en'));
      rows++;
      if (e.row.value === null) nulls++;
      last = e.row;
      if (rows % 100_000 === 0) {
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed);
      }
    }
    expect(rows).toBe(N);
    expect(nulls).toBe(N / 1000);
    expect(last).toEqual({
      indicator: 'INC_PC', // 999,999 is a multiple of 3
      orgUnit: String(330782001001 + ((N - 1) % 3300)),
      period: String(1900 + Math.floor((N - 1) / 3300)),
      value: (N - 1) * 1.5,
      location: { file: 'million.csv', row: N + 1, column: 'value' },
    });
    expect(progress.length).toBeGreaterThan(100);
    expect(progress.at(-1)).toEqual({ bytes: size, rows: N });
    // Holding the file (38 MB as a string) or the rows (hundreds of MB as objects) would show here; a
    // chunk in flight (64 KB of text and its rows) does not.
    expect(peak - before).toBeLessThan(8e6);
    // Spot-check the writer's text.
    const head = (await readFile(file, 'utf8')).slice(0, 120);
    expect(head.startsWith('\uFEFFindicator,org_unit,period,value,comment\nINC_PC,330782001001,1900,,缺失\n')).toBe(
      true,
    );
  });
});

describe('issue messages', () => {
  it('name the place in both languages', async () => {
    const { issues } = await collect('name,count\n', { fileName: 'x.csv' });
    expect(describeIssue(issues[0]!, 'zh')).toMatch(/^x\.csv，第1行：无法识别表格格式/);
    expect(describeIssue(issues[0]!, 'en')).toMatch(/^x\.csv, row 1: the layout is not recognised/);
  });
});
