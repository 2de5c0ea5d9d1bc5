import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeIssue, type Issue } from '../domain/data.js';
import {
  FIXTURE_DIR,
  YIWU_TEMPLATE,
  fillWorkbook,
  makeBrokenTemplate,
  makeDataFixtures,
  makeFilledTemplate,
} from '../../scripts/make-data-fixtures.js';
import {
  META_SHEET,
  columnLetter,
  numberFormat,
  periodLabel,
  readLongSheet,
  readTemplate,
  readValuesSheet,
  readWorkbook,
  writeTemplate,
  type TemplateRead,
  type TemplateRow,
  type TemplateSpec,
} from './excel-template.js';
import type { UnitKind } from './number.js';

const row = (code: string, kind: UnitKind, extra: Partial<TemplateRow> = {}): TemplateRow => ({
  code,
  name: `${code} name`,
  unit: kind === 'share' ? '%' : '元',
  kind,
  lastPeriod: '2023',
  lastValue: null,
  target: null,
  current: null,
  comment: null,
  ...extra,
});

const SPEC: TemplateSpec = {
  planId: 'jinhua-2021-2025',
  planTitle: '金华市高质量发展建设共同富裕示范区实施方案',
  orgUnit: { code: '330782', name: '金华市义乌市' },
  period: '2024',
  generatedAt: new Date('2025-01-15T08:00:00Z'),
  note: '示例数据：数值为演示用途生成',
  rows: [
    row('INC_PC', 'money', { lastValue: 90000, target: '≥ 75,000 (2025)', bounds: { min: 0, max: 500000 } }),
    row('URBAN_REG_UNEMPLOYMENT_RATE', 'share', { lastValue: 0.022, target: '≤ 3.5% (2025)' }),
    row('MARKET_ENTITIES', 'count', { unit: '户' }),
    row('GDP_GROWTH', 'rate'),
    row('INCOME_RATIO', 'ratio', { current: 1.6, comment: '已填' }),
    row('PM25', 'measure'),
    row('ECO_ENV_INDEX', 'index'),
  ],
};
// Title, instructions, note, header: data from row 5.
const FIRST = 5;
const rowOf = (code: string) => FIRST + SPEC.rows.findIndex((r) => r.code === code);

async function load(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  return wb;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gongfu-excel-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes the bytes to a real file under the temp dir and reads it back from disk, as an upload would arrive. */
async function viaDisk(name: string, bytes: Buffer): Promise<Buffer> {
  const file = join(dir, name);
  await writeFile(file, bytes);
  return readFile(file);
}

describe('writeTemplate', () => {
  let wb: ExcelJS.Workbook;
  let ws: ExcelJS.Worksheet;
  beforeAll(async () => {
    wb = await load(await viaDisk('template.xlsx', await writeTemplate(SPEC)));
    ws = wb.getWorksheet('填报')!;
  });

  it('has the entry sheet first and the identity sheet very hidden', () => {
    expect(wb.worksheets.map((s) => [s.name, s.state])).toEqual([
      ['填报', 'visible'],
      [META_SHEET, 'veryHidden'],
    ]);
  });

  it('writes the title, the instructions, the note and the header', () => {
    expect(ws.getCell('A1').value).toBe(
      '金华市义乌市（330782） 2024年 数据填报 — 金华市高质量发展建设共同富裕示范区实施方案',
    );
    expect(String(ws.getCell('A2').value)).toMatch(
      /^只填写“本期数值”和“说明”两列.*比率填0\.735或73\.5%.*生成于2025-01-15/,
    );
    expect(ws.getCell('A3').value).toBe('示例数据：数值为演示用途生成');
    expect(ws.getRow(4).values).toEqual([
      undefined,
      '代码',
      '指标',
      '单位',
      '上期',
      '上期数值',
      '目标',
      '本期数值',
      '说明',
    ]);
    expect(ws.getCell('A1').isMerged && ws.getCell('H1').isMerged).toBe(true);
  });

  it('writes one row per indicator with last value, target and any current value and comment', () => {
    expect(ws.getRow(FIRST).values).toEqual([
      undefined,
      'INC_PC',
      'INC_PC name',
      '元',
      '2023',
      90000,
      '≥ 75,000 (2025)',
    ]);
    expect(ws.getCell(`G${rowOf('INCOME_RATIO')}`).value).toBe(1.6);
    expect(ws.getCell(`H${rowOf('INCOME_RATIO')}`).value).toBe('已填');
    expect(ws.rowCount).toBe(FIRST + SPEC.rows.length - 1);
  });

  it('freezes the header and the code and name columns, and sets column widths', () => {
    expect(ws.views[0]).toMatchObject({ state: 'frozen', xSplit: 2, ySplit: 4 });
    expect(ws.columns.map((c) => c.width)).toEqual([30, 36, 10, 10, 14, 22, 14, 40]);
  });

  it('protects the sheets without a password, leaving only value and comment cells unlocked', () => {
    const protection = (ws as unknown as { sheetProtection: Record<string, unknown> }).sheetProtection;
    expect(protection).toMatchObject({ sheet: true, formatColumns: true, formatRows: true });
    expect(protection.hashValue).toBeUndefined();
    expect((wb.getWorksheet(META_SHEET) as unknown as { sheetProtection: object }).sheetProtection).toMatchObject({
      sheet: true,
    });
    for (let r = FIRST; r < FIRST + SPEC.rows.length; r++) {
      for (const c of ['A', 'B', 'C', 'D', 'E', 'F'])
        expect(ws.getCell(`${c}${r}`).protection?.locked, `${c}${r}`).not.toBe(false);
      expect(ws.getCell(`G${r}`).protection).toMatchObject({ locked: false });
      expect(ws.getCell(`H${r}`).protection).toMatchObject({ locked: false });
    }
  });

  const kinds: [UnitKind, string, object][] = [
    ['money', '#,##0', { type: 'decimal', operator: 'between', formulae: [0, 500000] }],
    [
      'share',
      '0.0%',
      { type: 'decimal', operator: 'between', formulae: [0, 1], prompt: '比率填0.735或73.5%（按百分比显示）' },
    ],
    ['count', '#,##0', { type: 'whole', operator: 'between', formulae: [0, 1e15] }],
    ['rate', '0.0%', { type: 'decimal', formulae: [-1e15, 1e15] }],
    ['ratio', '0.00', { type: 'decimal' }],
    ['measure', 'General', { type: 'decimal' }],
    ['index', 'General', { type: 'decimal' }],
  ];
  it.each(kinds)('formats and validates a %s value cell', (kind, format, validation) => {
    expect(numberFormat(kind)).toBe(format);
    const r = FIRST + SPEC.rows.findIndex((x) => x.kind === kind);
    const cell = ws.getCell(`G${r}`);
    if (format !== 'General') expect(cell.numFmt).toBe(format);
    expect(cell.dataValidation).toMatchObject({
      allowBlank: true,
      showInputMessage: true,
      showErrorMessage: true,
      errorStyle: 'stop',
      ...validation,
    });
  });

  it('explains a share in the error message of its validation', () => {
    expect(ws.getCell(`G${rowOf('URBAN_REG_UNEMPLOYMENT_RATE')}`).dataValidation.error).toBe(
      '请填写数字，0到1之间（73.5%填0.735或73.5%）；无数据时留空并在说明中写明原因',
    );
  });

  it('writes the identity: format, version, plan, unit, period, time and codes in row order', () => {
    const hidden = wb.getWorksheet(META_SHEET)!;
    const values = hidden
      .getSheetValues()
      .slice(1)
      .map((r) => (r as unknown[]).slice(1));
    expect(values).toEqual([
      ['format', 'gongfu-template'],
      ['version', 1],
      ['planId', 'jinhua-2021-2025'],
      ['orgUnit', '330782'],
      ['period', '2024'],
      ['generatedAt', '2025-01-15T08:00:00.000Z'],
      ['language', 'zh'],
      ['sheet', '填报'],
      ['headerRow', 4],
      ['indicator', 'kind', 'row'],
      ...SPEC.rows.map((r, i) => [r.code, r.kind, FIRST + i]),
    ]);
  });

  it('writes English words for language en, and no note row without a note', async () => {
    const en = await load(await writeTemplate({ ...SPEC, language: 'en', period: '2024Q3', note: undefined }));
    const sheet = en.getWorksheet('Entry')!;
    expect(sheet.getCell('A1').value).toBe(
      '金华市义乌市 (330782), Q3 2024: data entry — 金华市高质量发展建设共同富裕示范区实施方案',
    );
    expect(sheet.getRow(3).values).toEqual([
      undefined,
      'Code',
      'Indicator',
      'Unit',
      'Last period',
      'Last value',
      'Target',
      'Value',
      'Comment',
    ]);
    expect(sheet.getCell('G5').dataValidation.prompt).toBe('A rate: type 0.735 or 73.5% (shown as a percentage)');
  });
});

describe('readTemplate', () => {
  it('reads back an unfilled template: its identity, and only the pre-filled row', async () => {
    const r = await readTemplate(await viaDisk('blank.xlsx', await writeTemplate(SPEC)), 'blank.xlsx');
    expect(r.issues).toEqual([]);
    expect(r.meta).toEqual({
      format: 'gongfu-template',
      version: 1,
      planId: 'jinhua-2021-2025',
      orgUnit: '330782',
      period: '2024',
      generatedAt: '2025-01-15T08:00:00.000Z',
      language: 'zh',
      sheet: '填报',
      headerRow: 4,
      indicators: SPEC.rows.map((x, i) => ({ code: x.code, kind: x.kind, row: FIRST + i })),
    });
    expect(r.rows).toEqual([
      {
        indicator: 'INCOME_RATIO',
        orgUnit: '330782',
        period: '2024',
        value: 1.6,
        comment: '已填',
        location: { file: 'blank.xlsx', sheet: '填报', row: rowOf('INCOME_RATIO'), column: 'G' },
      },
    ]);
  });

  describe('a template filled as a user would', () => {
    let r: TemplateRead;
    beforeAll(async () => {
      const filled = await fillWorkbook(await writeTemplate(SPEC), (ws) => {
        ws.getCell(`G${rowOf('INC_PC')}`).value = { richText: [{ text: '98,' }, { text: '000' }] };
        ws.getCell(`G${rowOf('URBAN_REG_UNEMPLOYMENT_RATE')}`).value = '73.5%'; // typed as text
        ws.getCell(`G${rowOf('MARKET_ENTITIES')}`).value = '1,234'; // thousands separator, as text
        ws.getCell(`G${rowOf('GDP_GROWTH')}`).value = '很多'; // a word in a number cell
        ws.getCell(`G${rowOf('INCOME_RATIO')}`).value = null; // cleared, its comment kept: reported missing
        ws.getCell(`A${rowOf('PM25')}`).value = 'PM10'; // an edited code
        ws.getCell(`G${rowOf('PM25')}`).value = 31;
        ws.getCell(`G${rowOf('ECO_ENV_INDEX')}`).value = { formula: 'F1*0+88.5', result: 88.5 };
        ws.getCell(`H${rowOf('ECO_ENV_INDEX')}`).value = '  生态环境厅初步数  ';
        const extra = FIRST + SPEC.rows.length;
        ws.getCell(`A${extra}`).value = 'SOMETHING_ELSE'; // a row added under the template
        ws.getCell(`G${extra}`).value = '5%'; // a percentage for an indicator the template does not know
        ws.getCell(`G${extra + 1}`).value = 7; // a value without a code
      });
      r = await readTemplate(await viaDisk('filled.xlsx', filled), 'filled.xlsx');
    });

    const at = (code: string, column = 'G', row = rowOf(code)) => ({ file: 'filled.xlsx', sheet: '填报', row, column });

    it('returns the filled rows in base units, skipping empty ones', () => {
      expect(r.rows.map((x) => [x.indicator, x.value, x.comment, x.location])).toEqual([
        ['INC_PC', 98000, undefined, at('INC_PC')],
        ['URBAN_REG_UNEMPLOYMENT_RATE', 0.735, undefined, at('URBAN_REG_UNEMPLOYMENT_RATE')],
        ['MARKET_ENTITIES', 1234, undefined, at('MARKET_ENTITIES')],
        ['INCOME_RATIO', null, '已填', at('INCOME_RATIO')],
        ['PM10', 31, undefined, at('PM25')],
        ['ECO_ENV_INDEX', 88.5, '生态环境厅初步数', at('ECO_ENV_INDEX')],
        ['SOMETHING_ELSE', 0.05, undefined, at('', 'G', FIRST + SPEC.rows.length)],
      ]);
      expect(r.rows.every((x) => x.orgUnit === '330782' && x.period === '2024')).toBe(true);
    });

    it('reports a word, an edited code and a value without a code, where they are, in both languages', () => {
      const described = r.issues.map((i) => [i.code, describeIssue(i, 'zh'), describeIssue(i, 'en')]);
      expect(described).toEqual([
        [
          'not_a_number',
          `filled.xlsx，工作表“填报”，第${rowOf('GDP_GROWTH')}行，G列：“很多”不是数字`,
          `filled.xlsx, sheet "填报", row ${rowOf('GDP_GROWTH')}, column G: "很多" is not a number`,
        ],
        [
          'not_a_template',
          `filled.xlsx，工作表“填报”，第${rowOf('PM25')}行，A列：指标代码被改动：此行原为“PM25”，现为“PM10”；请勿修改代码列`,
          `filled.xlsx, sheet "填报", row ${rowOf('PM25')}, column A: the indicator code was changed: this row was "PM25", now "PM10"; do not edit the code column`,
        ],
        [
          'not_a_template',
          `filled.xlsx，工作表“填报”，第${FIRST + SPEC.rows.length + 1}行，A列：此行填了数值但没有指标代码`,
          `filled.xlsx, sheet "填报", row ${FIRST + SPEC.rows.length + 1}, column A: this row has a value but no indicator code`,
        ],
      ]);
      expect(r.issues[0]).toMatchObject({
        severity: 'error',
        indicator: 'GDP_GROWTH',
        orgUnit: '330782',
        period: '2024',
      });
      expect(r.issues[1]).toMatchObject({ severity: 'error', indicator: 'PM10' });
    });
  });

  it('refuses a percentage in a count cell, and keeps a share typed as 73.5 for validation to flag', async () => {
    const filled = await fillWorkbook(await writeTemplate(SPEC), (ws) => {
      ws.getCell(`G${rowOf('MARKET_ENTITIES')}`).value = '5%';
      ws.getCell(`G${rowOf('URBAN_REG_UNEMPLOYMENT_RATE')}`).value = 73.5;
    });
    const r = await readTemplate(filled, 'f.xlsx');
    expect(r.rows.map((x) => [x.indicator, x.value])).toEqual([
      ['URBAN_REG_UNEMPLOYMENT_RATE', 73.5],
      ['INCOME_RATIO', 1.6], // pre-filled
    ]);
    expect(r.issues.map((i) => [i.code, i.row, i.column, i.message.zh])).toEqual([
      ['not_a_number', rowOf('MARKET_ENTITIES'), 'G', '“5%”是百分数，但该指标不是比率，请填写数值'],
    ]);
  });

  it('reports a deleted code and does not guess the row', async () => {
    const filled = await fillWorkbook(await writeTemplate(SPEC), (ws) => {
      ws.getCell(`A${rowOf('INC_PC')}`).value = null;
      ws.getCell(`G${rowOf('INC_PC')}`).value = 1;
    });
    const r = await readTemplate(filled, 'f.xlsx');
    expect(r.rows).toEqual([expect.objectContaining({ indicator: 'INCOME_RATIO' })]);
    expect(r.issues.map((i) => [i.code, i.row, i.column, i.indicator, i.message.en])).toEqual([
      [
        'not_a_template',
        rowOf('INC_PC'),
        'A',
        'INC_PC',
        'the indicator code was deleted: this row was "INC_PC"; do not edit the code column',
      ],
    ]);
  });

  it('finds the columns by their headers, in the English template too', async () => {
    const en = await writeTemplate({ ...SPEC, language: 'en', note: undefined });
    const filled = await fillWorkbook(en, (ws) => {
      ws.getCell('G4').value = 98000;
      ws.getCell('H4').value = 'preliminary';
    });
    const r = await readTemplate(filled, 'en.xlsx');
    expect(r.rows[0]).toEqual({
      indicator: 'INC_PC',
      orgUnit: '330782',
      period: '2024',
      value: 98000,
      comment: 'preliminary',
      location: { file: 'en.xlsx', sheet: 'Entry', row: 4, column: 'G' },
    });
  });

  const notTemplates: [string, () => Promise<Buffer>, Issue['code'], string][] = [
    [
      'a workbook without the identity sheet',
      async () => {
        const wb = new ExcelJS.Workbook();
        wb.addWorksheet('填报').addRow(['代码', '本期数值']);
        return Buffer.from(await wb.xlsx.writeBuffer());
      },
      'not_a_template',
      '不是从本系统下载的填报模板（缺少模板标识），请重新下载模板后填写',
    ],
    [
      'a garbled identity (format)',
      async () =>
        fillWorkbookAt(await writeTemplate(SPEC), META_SHEET, (ws) => {
          ws.getCell('B1').value = 'something';
        }),
      'not_a_template',
      '填报模板的标识已损坏（format），请重新下载模板后填写',
    ],
    [
      'an identity of another version',
      async () =>
        fillWorkbookAt(await writeTemplate(SPEC), META_SHEET, (ws) => {
          ws.getCell('B2').value = 2;
        }),
      'not_a_template',
      '填报模板的标识已损坏（version 2），请重新下载模板后填写',
    ],
    [
      'an identity without its indicator list',
      async () =>
        fillWorkbookAt(await writeTemplate(SPEC), META_SHEET, (ws) => {
          ws.getCell('A10').value = null;
        }),
      'not_a_template',
      '填报模板的标识已损坏（indicators），请重新下载模板后填写',
    ],
    [
      'a renamed entry sheet',
      async () =>
        fillWorkbookAt(await writeTemplate(SPEC), '填报', (ws) => {
          ws.name = '改名';
        }),
      'not_a_template',
      '填报模板的标识已损坏（sheet 填报），请重新下载模板后填写',
    ],
    [
      'bytes that are no workbook',
      async () => Buffer.from('indicator,org_unit\n'),
      'bad_file',
      '无法读取该文件：请上传Excel工作簿（.xlsx）',
    ],
  ];
  it.each(notTemplates)('refuses %s', async (what, make, code, zh) => {
    const r = await readTemplate(await make(), 'x.xlsx');
    // An intact identity is returned even when the entry sheet is gone, to say which template it was.
    if (what === 'a renamed entry sheet') expect(r.meta?.sheet).toBe('填报');
    else expect(r.meta).toBeUndefined();
    expect(r.rows).toEqual([]);
    expect(r.issues.map((i) => [i.code, i.severity, i.file, i.message.zh])).toEqual([[code, 'error', 'x.xlsx', zh]]);
  });
});

/** As fillWorkbook, on a sheet by name (hidden ones included). */
async function fillWorkbookAt(xlsx: Buffer, sheet: string, fill: (ws: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = await load(xlsx);
  fill(wb.getWorksheet(sheet)!);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('readLongSheet, readValuesSheet and readWorkbook', () => {
  async function sheet(rows: unknown[][], name = 'Sheet1'): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet(name);
    for (const r of rows) ws.addRow(r);
    return viaDisk(`${name}.xlsx`, Buffer.from(await wb.xlsx.writeBuffer()));
  }

  it('reads a long sheet: numbers as keys, text numbers, a word, columns by letter', async () => {
    const bytes = await sheet([
      ['period', 'indicator', 'org_unit', 'value', 'comment'],
      [2024, 'INC_PC', 330782, 98000, null],
      ['2024', 'URBAN_REG_UNEMPLOYMENT_RATE', '330782', '2.1%', '初步数'],
      [],
      [2024, 'MARKET_ENTITIES', 330782, '约120万', null],
      [2024, 'POP_RESIDENT', 330782, null, '未发布'],
    ]);
    const r = await readLongSheet(bytes, 'long.xlsx');
    const at = (row: number) => ({ file: 'long.xlsx', sheet: 'Sheet1', row, column: 'D' });
    expect(r.rows).toEqual([
      { indicator: 'INC_PC', orgUnit: '330782', period: '2024', value: 98000, location: at(2) },
      {
        indicator: 'URBAN_REG_UNEMPLOYMENT_RATE',
        orgUnit: '330782',
        period: '2024',
        value: 0.021,
        comment: '初步数',
        location: at(3),
      },
      { indicator: 'POP_RESIDENT', orgUnit: '330782', period: '2024', value: null, comment: '未发布', location: at(6) },
    ]);
    expect(r.issues.map((i) => describeIssue(i, 'en'))).toEqual([
      'long.xlsx, sheet "Sheet1", row 5, column D: "约120万" is not a number',
    ]);
  });

  it('reads the Chinese header and refuses an unknown column', async () => {
    const ok = await readLongSheet(
      await sheet([
        ['指标代码', '单位代码', '期间', '数值'],
        ['INC_PC', '330782', '2024', 1],
      ]),
      'zh.xlsx',
    );
    expect(ok.rows.map((x) => x.value)).toEqual([1]);
    const bad = await readLongSheet(
      await sheet([
        ['指标代码', '单位代码', '期间', '数值', '出处'],
        ['INC_PC', '330782', '2024', 1, 'x'],
      ]),
      'zh.xlsx',
    );
    expect(bad.rows).toEqual([]);
    expect(bad.issues.map((i) => [i.code, i.sheet, i.row, i.message.zh])).toEqual([
      [
        'bad_header',
        'Sheet1',
        1,
        '表头有无法识别的列：“出处”（可用列：指标代码,单位代码,期间,数值,说明 或 indicator,org_unit,period,value,comment）',
      ],
    ]);
  });

  it('reports a date where a number belongs', async () => {
    const r = await readLongSheet(
      await sheet([
        ['indicator', 'org_unit', 'period', 'value'],
        ['INC_PC', '330782', '2024', new Date(Date.UTC(2024, 6, 1))],
      ]),
      'd.xlsx',
    );
    expect(r.issues.map((i) => i.message.zh)).toEqual(['“2024-07-01”不是数字']);
  });

  it('reads a wide sheet of periods', async () => {
    const r = await readValuesSheet(
      await sheet([
        ['指标代码', '单位代码', 2022, 2023, '2024年'],
        ['INC_PC', 330782, 88000, null, 98000],
      ]),
      'wide.xlsx',
    );
    expect(r.issues).toEqual([]);
    expect(r.rows.map((x) => [x.period, x.value, x.location.column])).toEqual([
      ['2022', 88000, 'C'],
      ['2024', 98000, 'E'],
    ]);
  });

  it('readWorkbook reads a template as a template and anything else as a value sheet', async () => {
    const template = await readWorkbook(await makeFilledTemplate(), 't.xlsx');
    expect(template.meta?.orgUnit).toBe('330782');
    expect(template.rows).toHaveLength(3);
    const plain = await readWorkbook(
      await sheet([
        ['indicator', 'org_unit', 'period', 'value'],
        ['A', '1', '2024', 2],
      ]),
      'p.xlsx',
    );
    expect(plain.meta).toBeUndefined();
    expect(plain.rows.map((x) => x.value)).toEqual([2]);
  });
});

describe('the committed fixtures', () => {
  const expectedFilled = (file: string) => [
    { indicator: 'INC_PC', value: 98000, location: { file, sheet: '填报', row: 4, column: 'G' } },
    { indicator: 'URBAN_REG_UNEMPLOYMENT_RATE', value: 0.021, location: { file, sheet: '填报', row: 5, column: 'G' } },
    { indicator: 'MARKET_ENTITIES', value: 1234567, location: { file, sheet: '填报', row: 6, column: 'G' } },
  ];
  const strip = (r: TemplateRead) => ({
    meta: r.meta && { ...r.meta, generatedAt: r.meta.generatedAt },
    rows: r.rows.map(({ indicator, value, location, orgUnit, period }) => {
      expect([orgUnit, period]).toEqual(['330782', '2024']);
      return { indicator, value, location };
    }),
    issues: r.issues,
  });

  it('yiwu-template-filled.xlsx holds a 义乌市 2024 template with three values', async () => {
    const file = 'yiwu-template-filled.xlsx';
    const r = await readTemplate(readFileSync(join(FIXTURE_DIR, file)), file);
    expect(r.meta).toMatchObject({ planId: 'jinhua-2021-2025', orgUnit: '330782', period: '2024' });
    expect(r.meta?.indicators.map((i) => i.code)).toEqual(YIWU_TEMPLATE.rows.map((x) => x.code));
    expect(strip(r).rows).toEqual(expectedFilled(file));
    expect(r.issues).toEqual([]);
  });

  it('yiwu-template-broken.xlsx holds a word, a rate above 1 and an unknown code', async () => {
    const file = 'yiwu-template-broken.xlsx';
    const r = await readTemplate(readFileSync(join(FIXTURE_DIR, file)), file);
    expect(strip(r).rows).toEqual([
      { indicator: 'URBAN_REG_UNEMPLOYMENT_RATE', value: 1.7, location: { file, sheet: '填报', row: 5, column: 'G' } },
      { indicator: 'MARKET_ENTITIES', value: 1234567, location: { file, sheet: '填报', row: 6, column: 'G' } },
      { indicator: 'NOT_AN_INDICATOR', value: 5, location: { file, sheet: '填报', row: 9, column: 'G' } },
    ]);
    expect(r.issues).toEqual([
      {
        code: 'not_a_number',
        severity: 'error',
        message: { zh: '“很多”不是数字', en: '"很多" is not a number' },
        file,
        sheet: '填报',
        row: 4,
        column: 'G',
        indicator: 'INC_PC',
        orgUnit: '330782',
        period: '2024',
      },
    ]);
  });

  it('are what scripts/make-data-fixtures.ts makes', async () => {
    const fresh = join(dir, 'fixtures');
    await makeDataFixtures(fresh);
    for (const name of ['yiwu-template-filled.xlsx', 'yiwu-template-broken.xlsx']) {
      const committed = await readTemplate(readFileSync(join(FIXTURE_DIR, name)), name);
      const made = await readTemplate(readFileSync(join(fresh, name)), name);
      expect(made).toEqual(committed);
    }
    expect((await readTemplate(await makeBrokenTemplate(), 'b.xlsx')).rows).toHaveLength(3);
  });
});

describe('helpers', () => {
  it.each([
    ['2024', 'zh', '2024年'],
    ['2024Q3', 'zh', '2024年第3季度'],
    ['202407', 'zh', '2024年7月'],
    ['2024', 'en', '2024'],
    ['2024Q3', 'en', 'Q3 2024'],
    ['202407', 'en', 'July 2024'],
    ['2024-07', 'zh', '2024-07'],
  ] as const)('periodLabel(%s, %s) is %s', (id, language, label) => {
    expect(periodLabel(id, language)).toBe(label);
  });

  it.each([
    [1, 'A'],
    [7, 'G'],
    [26, 'Z'],
    [27, 'AA'],
    [52, 'AZ'],
    [703, 'AAA'],
  ])('columnLetter(%i) is %s', (n, letter) => {
    expect(columnLetter(n)).toBe(letter);
  });
});
