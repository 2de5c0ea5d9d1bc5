/**
 * The reporter's workbook ("Excel, the way offices work"): a template for one org unit and one period,
 * filled in Excel and uploaded again; and plain value sheets (long or wide) for statisticians who keep
 * their figures in Excel rather than CSV.
 *
 * The template:
 * - sheet "填报" / "Entry": a title, a line of instructions, an optional note (e.g. 示例数据), a header
 *   (代码, 指标, 单位, 上期, 上期数值, 目标, 本期数值, 说明) and one row per indicator. The sheet is protected
 *   without a password (so that structure stays, while anyone who must can lift it); only the value
 *   and comment cells are unlocked. The value cell has data validation by unit kind (a share: decimal
 *   0–1, shown as 0.0%, so typing 73.5% stores 0.735), a number format by unit kind and a prompt.
 * - sheet "_gongfu" (very hidden): the template's identity — format, version, plan, org unit, period,
 *   generation time, language, and the indicator codes in row order with their unit kinds — so that
 *   an upload is recognised, attributed to its unit and period, and checked row by row.
 *
 * Reading a template: an empty value cell is skipped (the row was not filled — neither zero nor a
 * missing value); an empty value with a comment is a value reported as missing (`value: null`) with
 * its explanation. A code that differs from the one the template put in its row is reported where it
 * is (`not_a_template`, with sheet, row and column) and the row is still returned under the code it
 * now has, so that validation also says whether that code exists. Values are in base units (yuan,
 * persons, fractions): the unit label passed for a row must name the base unit.
 */
import ExcelJS from 'exceljs';
import { messages, type Issue, type Location } from '../domain/data.js';
import { safeParsePeriod } from '../domain/period.js';
import { parsePercentAware, type UnitKind } from './number.js';
import {
  cellString,
  ValueTableReader,
  type RawValueRow,
  type ReadValuesOptions,
  type ValueEvent,
} from './values-csv.js';

export const TEMPLATE_FORMAT = 'gongfu-template';
export const TEMPLATE_VERSION = 1;
/** The very hidden sheet holding the template's identity. */
export const META_SHEET = '_gongfu';

const UNIT_KINDS: readonly UnitKind[] = ['money', 'count', 'share', 'rate', 'ratio', 'measure', 'index'];

export interface TemplateRow {
  code: string;
  name: string;
  /** The label of the unit the values are in: the base unit (元, 户, %), since values are stored in base units. */
  unit: string;
  kind: UnitKind;
  /** The period of `lastValue` (usually the previous one), or null. */
  lastPeriod: string | null;
  lastValue: number | null;
  /** The target as text, e.g. "≥ 75,000 (2025)". */
  target: string | null;
  /** The value already entered for this period, if any (pre-filled). */
  current: number | null;
  comment: string | null;
  /** Plausible range in base units; shares are held to [0, 1] in any case. */
  bounds?: { min?: number | undefined; max?: number | undefined } | undefined;
}

export interface TemplateSpec {
  planId: string;
  planTitle: string;
  orgUnit: { code: string; name: string };
  /** A period id: 2024, 2024Q3, 202407. */
  period: string;
  /** Default zh. */
  language?: 'zh' | 'en';
  generatedAt: Date;
  /** Shown under the title, e.g. "示例数据：数值为演示用途生成". */
  note?: string | undefined;
  rows: readonly TemplateRow[];
}

export interface TemplateMeta {
  format: typeof TEMPLATE_FORMAT;
  version: typeof TEMPLATE_VERSION;
  planId: string;
  orgUnit: string;
  period: string;
  /** ISO 8601. */
  generatedAt: string;
  language: 'zh' | 'en';
  /** The entry sheet's name. */
  sheet: string;
  /** The header row of the entry sheet (1-based). */
  headerRow: number;
  /** The indicators in row order, with the sheet row each was written to. */
  indicators: { code: string; kind: UnitKind; row: number }[];
}

// ---------------------------------------------------------------------------------------------------
// Words

const TEXT = {
  zh: {
    sheet: '填报',
    headers: ['代码', '指标', '单位', '上期', '上期数值', '目标', '本期数值', '说明'],
    title: (s: TemplateSpec) =>
      `${s.orgUnit.name}（${s.orgUnit.code}） ${periodLabel(s.period, 'zh')} 数据填报 — ${s.planTitle}`,
    instructions: (s: TemplateSpec) =>
      `只填写“本期数值”和“说明”两列，其他单元格已锁定。比率填0.735或73.5%；数值以元、人、户等基本单位填写；无数据时数值留空并在说明中写明原因。` +
      `模板生成于${s.generatedAt.toISOString().slice(0, 10)}（规划 ${s.planId}），请勿改动代码列和隐藏内容。`,
  },
  en: {
    sheet: 'Entry',
    headers: ['Code', 'Indicator', 'Unit', 'Last period', 'Last value', 'Target', 'Value', 'Comment'],
    title: (s: TemplateSpec) =>
      `${s.orgUnit.name} (${s.orgUnit.code}), ${periodLabel(s.period, 'en')}: data entry — ${s.planTitle}`,
    instructions: (s: TemplateSpec) =>
      'Fill in only the Value and Comment columns; the other cells are locked. A rate is 0.735 or 73.5%; values are in base units (yuan, persons, households); where there is no figure, leave the value empty and explain in the comment. ' +
      `Template generated on ${s.generatedAt.toISOString().slice(0, 10)} (plan ${s.planId}); do not change the code column or hidden content.`,
  },
} as const;

/** Where the code, value and comment are found, by header text in either language. */
const HEADER_ROLES: Readonly<Record<string, 'code' | 'value' | 'comment'>> = {
  代码: 'code',
  code: 'code',
  本期数值: 'value',
  value: 'value',
  说明: 'comment',
  comment: 'comment',
};

const MONTHS_EN = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** A period for people: 2024年, 2024年第3季度, 2024年7月 / 2024, Q3 2024, July 2024. */
export function periodLabel(id: string, language: 'zh' | 'en'): string {
  const r = safeParsePeriod(id);
  if (!r.ok) return id;
  const p = r.period;
  switch (p.type) {
    case 'year':
      return language === 'zh' ? `${p.year}年` : String(p.year);
    case 'quarter':
      return language === 'zh' ? `${p.year}年第${p.quarter}季度` : `Q${p.quarter} ${p.year}`;
    case 'month':
      return language === 'zh' ? `${p.year}年${p.month}月` : `${MONTHS_EN[p.month - 1]} ${p.year}`;
  }
}

// ---------------------------------------------------------------------------------------------------
// Formats and validation by unit kind

export function numberFormat(kind: UnitKind): string {
  switch (kind) {
    case 'share':
    case 'rate':
      return '0.0%';
    case 'money':
    case 'count':
      return '#,##0';
    case 'ratio':
      return '0.00';
    case 'measure':
    case 'index':
      return 'General';
  }
}

const BIG = 1e15;

/** The value cell's data validation: a number of the right kind within the plausible range. */
export function valueValidation(row: TemplateRow, language: 'zh' | 'en'): ExcelJS.DataValidation {
  const zh = language === 'zh';
  let min = row.bounds?.min;
  let max = row.bounds?.max;
  let type: 'decimal' | 'whole' = 'decimal';
  let prompt: string;
  switch (row.kind) {
    case 'share':
      min = Math.max(0, min ?? 0);
      max = Math.min(1, max ?? 1);
      prompt = zh ? '比率填0.735或73.5%（按百分比显示）' : 'A rate: type 0.735 or 73.5% (shown as a percentage)';
      break;
    case 'rate':
      prompt = zh ? '增速填0.05或5%，可为负数' : 'A rate of change: type 0.05 or 5%; may be negative';
      break;
    case 'count':
      type = 'whole';
      min = Math.max(0, min ?? 0);
      prompt = zh ? `整数，单位：${row.unit}` : `A whole number, in ${row.unit}`;
      break;
    case 'money':
    case 'ratio':
    case 'measure':
    case 'index':
      prompt = zh ? `数值，单位：${row.unit}` : `A number, in ${row.unit}`;
      break;
  }
  const range =
    min !== undefined && max !== undefined
      ? zh
        ? `${min}到${max}之间`
        : `between ${min} and ${max}`
      : min !== undefined
        ? zh
          ? `不小于${min}`
          : `at least ${min}`
        : max !== undefined
          ? zh
            ? `不大于${max}`
            : `at most ${max}`
          : '';
  const kindWord = type === 'whole' ? (zh ? '整数' : 'a whole number') : zh ? '数字' : 'a number';
  const cut = (t: string) => (t.length > 255 ? `${t.slice(0, 254)}…` : t);
  return {
    type,
    operator: 'between',
    formulae: [min ?? -BIG, max ?? BIG],
    allowBlank: true,
    showInputMessage: true,
    // Excel refuses a workbook whose validation titles pass 32 characters or messages 255.
    promptTitle: row.code.slice(0, 32),
    prompt: cut(prompt),
    showErrorMessage: true,
    errorStyle: 'stop',
    errorTitle: zh ? '数值不符合要求' : 'Not an acceptable value',
    error: cut(
      zh
        ? `请填写${kindWord}${range ? `，${range}` : ''}${row.kind === 'share' ? '（73.5%填0.735或73.5%）' : ''}；无数据时留空并在说明中写明原因`
        : `Enter ${kindWord}${range ? `, ${range}` : ''}${row.kind === 'share' ? ' (73.5% is 0.735 or 73.5%)' : ''}; where there is no figure, leave it empty and explain in the comment`,
    ),
  };
}

// ---------------------------------------------------------------------------------------------------
// Writing

const COLUMNS = { code: 1, name: 2, unit: 3, lastPeriod: 4, lastValue: 5, target: 6, value: 7, comment: 8 };
const WIDTHS = [30, 36, 10, 10, 14, 22, 14, 40];
const THIN = { style: 'thin' as const, color: { argb: 'FFBFBFBF' } };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
const INPUT_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };

/** The reporter's workbook for one org unit and period, as .xlsx bytes. */
export async function writeTemplate(spec: TemplateSpec): Promise<Buffer> {
  const language = spec.language ?? 'zh';
  const text = TEXT[language];
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Gongfu';
  wb.lastModifiedBy = 'Gongfu';
  wb.created = spec.generatedAt;
  wb.modified = spec.generatedAt;
  wb.title = text.title(spec);

  const ws = wb.addWorksheet(text.sheet, { properties: { defaultRowHeight: 18 } });
  ws.columns = WIDTHS.map((width) => ({ width }));

  let r = 1;
  const title = ws.getCell(r, 1);
  title.value = text.title(spec);
  title.font = { bold: true, size: 14 };
  ws.mergeCells(r, 1, r, 8);
  r++;
  const help = ws.getCell(r, 1);
  help.value = text.instructions(spec);
  help.font = { size: 9, color: { argb: 'FF595959' } };
  help.alignment = { wrapText: true, vertical: 'top' };
  ws.getRow(r).height = 30;
  ws.mergeCells(r, 1, r, 8);
  r++;
  if (spec.note) {
    const note = ws.getCell(r, 1);
    note.value = spec.note;
    note.font = { bold: true, color: { argb: 'FFC00000' } };
    ws.mergeCells(r, 1, r, 8);
    r++;
  }
  const headerRow = r;
  const header = ws.getRow(headerRow);
  text.headers.forEach((h, i) => {
    const c = header.getCell(i + 1);
    c.value = h;
    c.font = { bold: true };
    c.fill = HEADER_FILL;
    c.border = BORDER;
    c.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  });
  r++;

  const indicators: TemplateMeta['indicators'] = [];
  for (const row of spec.rows) {
    const x = ws.getRow(r);
    const fmt = numberFormat(row.kind);
    x.getCell(COLUMNS.code).value = row.code;
    x.getCell(COLUMNS.name).value = row.name;
    x.getCell(COLUMNS.name).alignment = { wrapText: true, vertical: 'middle' };
    x.getCell(COLUMNS.unit).value = row.unit;
    x.getCell(COLUMNS.lastPeriod).value = row.lastPeriod;
    x.getCell(COLUMNS.lastValue).value = row.lastValue;
    x.getCell(COLUMNS.lastValue).numFmt = fmt;
    x.getCell(COLUMNS.target).value = row.target;
    const value = x.getCell(COLUMNS.value);
    value.value = row.current;
    value.numFmt = fmt;
    value.protection = { locked: false };
    value.fill = INPUT_FILL;
    value.dataValidation = valueValidation(row, language);
    const comment = x.getCell(COLUMNS.comment);
    comment.value = row.comment;
    comment.protection = { locked: false };
    comment.fill = INPUT_FILL;
    comment.alignment = { wrapText: true, vertical: 'middle' };
    for (let c = 1; c <= 8; c++) x.getCell(c).border = BORDER;
    indicators.push({ code: row.code, kind: row.kind, row: r });
    r++;
  }

  ws.views = [{ state: 'frozen', xSplit: 2, ySplit: headerRow, activeCell: `G${headerRow + 1}` }];
  // No password: the protection keeps the layout that uploads rely on, and is not a security boundary.
  await ws.protect('', {
    selectLockedCells: true,
    selectUnlockedCells: true,
    formatColumns: true,
    formatRows: true,
  });

  const meta: TemplateMeta = {
    format: TEMPLATE_FORMAT,
    version: TEMPLATE_VERSION,
    planId: spec.planId,
    orgUnit: spec.orgUnit.code,
    period: spec.period,
    generatedAt: spec.generatedAt.toISOString(),
    language,
    sheet: text.sheet,
    headerRow,
    indicators,
  };
  const hidden = wb.addWorksheet(META_SHEET, { state: 'veryHidden' });
  const pairs: [string, string | number][] = [
    ['format', meta.format],
    ['version', meta.version],
    ['planId', meta.planId],
    ['orgUnit', meta.orgUnit],
    ['period', meta.period],
    ['generatedAt', meta.generatedAt],
    ['language', meta.language],
    ['sheet', meta.sheet],
    ['headerRow', meta.headerRow],
  ];
  for (const [k, v] of pairs) hidden.addRow([k, v]);
  hidden.addRow(['indicator', 'kind', 'row']);
  for (const i of indicators) hidden.addRow([i.code, i.kind, i.row]);
  await hidden.protect('', {});

  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ---------------------------------------------------------------------------------------------------
// Reading

export interface TemplateRead {
  /** The template's identity, or undefined when the file is not a (readable) template. */
  meta: TemplateMeta | undefined;
  rows: RawValueRow[];
  issues: Issue[];
}

/** Column number (1-based) as a letter: 1 → A, 27 → AA. */
export function columnLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

function fileIssue(code: Issue['code'], message: Issue['message'], fileName: string, at: Location = {}): Issue {
  return { code, severity: 'error', message, file: fileName, ...at };
}

async function loadWorkbook(buffer: Uint8Array): Promise<ExcelJS.Workbook | undefined> {
  const wb = new ExcelJS.Workbook();
  try {
    // exceljs declares its own Buffer type; a Node Buffer or Uint8Array is what it reads.
    await wb.xlsx.load(Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength) as unknown as ExcelJS.Buffer);
    return wb;
  } catch {
    return undefined;
  }
}

/** The identity from the hidden sheet, or what is wrong with it (for `templateDamaged`). */
function readMeta(sheet: ExcelJS.Worksheet): { ok: true; meta: TemplateMeta } | { ok: false; what: string } {
  const pairs = new Map<string, unknown>();
  let r = 1;
  for (; r <= sheet.rowCount; r++) {
    const key = cellString(sheet.getCell(r, 1).value);
    if (key === 'indicator') break;
    if (key) pairs.set(key, sheet.getCell(r, 2).value);
  }
  const str = (k: string) => cellString(pairs.get(k));
  if (str('format') !== TEMPLATE_FORMAT) return { ok: false, what: 'format' };
  const version = Number(str('version'));
  if (version !== TEMPLATE_VERSION) return { ok: false, what: `version ${str('version') || '?'}` };
  for (const k of ['planId', 'orgUnit', 'period', 'generatedAt', 'sheet']) if (!str(k)) return { ok: false, what: k };
  const headerRow = Number(str('headerRow'));
  if (!Number.isInteger(headerRow) || headerRow < 1) return { ok: false, what: 'headerRow' };
  const language = str('language') === 'en' ? 'en' : 'zh';
  if (r > sheet.rowCount) return { ok: false, what: 'indicators' };
  const indicators: TemplateMeta['indicators'] = [];
  for (r++; r <= sheet.rowCount; r++) {
    const code = cellString(sheet.getCell(r, 1).value);
    if (!code) continue;
    const kind = cellString(sheet.getCell(r, 2).value) as UnitKind;
    const row = Number(cellString(sheet.getCell(r, 3).value));
    if (!UNIT_KINDS.includes(kind) || !Number.isInteger(row) || row <= headerRow)
      return { ok: false, what: `indicator ${code}` };
    indicators.push({ code, kind, row });
  }
  return {
    ok: true,
    meta: {
      format: TEMPLATE_FORMAT,
      version: TEMPLATE_VERSION,
      planId: str('planId'),
      orgUnit: str('orgUnit'),
      period: str('period'),
      generatedAt: str('generatedAt'),
      language,
      sheet: str('sheet'),
      headerRow,
      indicators,
    },
  };
}

/**
 * Reads a filled template: its identity, then every data row (see the module comment for empty cells
 * and changed codes). Locations name the sheet, the row and the column letter. A file that is not an
 * .xlsx is `bad_file`; one without a readable identity is `not_a_template`, with no rows.
 */
export async function readTemplate(buffer: Uint8Array, fileName: string): Promise<TemplateRead> {
  const wb = await loadWorkbook(buffer);
  if (!wb) return { meta: undefined, rows: [], issues: [fileIssue('bad_file', messages.notASpreadsheet(), fileName)] };
  return readLoadedTemplate(wb, fileName);
}

function readLoadedTemplate(wb: ExcelJS.Workbook, fileName: string): TemplateRead {
  const hidden = wb.getWorksheet(META_SHEET);
  if (!hidden)
    return { meta: undefined, rows: [], issues: [fileIssue('not_a_template', messages.notATemplate(), fileName)] };
  const m = readMeta(hidden);
  if (!m.ok)
    return {
      meta: undefined,
      rows: [],
      issues: [fileIssue('not_a_template', messages.templateDamaged(m.what), fileName)],
    };
  const meta = m.meta;
  const ws = wb.getWorksheet(meta.sheet);
  if (!ws)
    return {
      meta,
      rows: [],
      issues: [fileIssue('not_a_template', messages.templateDamaged(`sheet ${meta.sheet}`), fileName)],
    };

  const columns: Partial<Record<'code' | 'value' | 'comment', number>> = {};
  ws.getRow(meta.headerRow).eachCell((cell, col) => {
    const role = HEADER_ROLES[cellString(cell.value).toLowerCase()];
    if (role && columns[role] === undefined) columns[role] = col;
  });
  const { code: codeCol, value: valueCol, comment: commentCol } = columns;
  if (codeCol === undefined || valueCol === undefined)
    return { meta, rows: [], issues: [fileIssue('not_a_template', messages.templateDamaged('header'), fileName)] };

  const expectedAt = new Map(meta.indicators.map((i) => [i.row, i.code]));
  const kindOf = new Map(meta.indicators.map((i) => [i.code, i.kind]));
  const rows: RawValueRow[] = [];
  const issues: Issue[] = [];
  const last = Math.max(ws.rowCount, ...meta.indicators.map((i) => i.row));
  for (let r = meta.headerRow + 1; r <= last; r++) {
    const code = cellString(ws.getCell(r, codeCol).value).normalize('NFKC').trim();
    const raw = ws.getCell(r, valueCol).value;
    const comment = commentCol === undefined ? '' : cellString(ws.getCell(r, commentCol).value);
    const empty = cellString(raw) === '';
    // An empty row was simply not filled: no value, not zero, not missing.
    if (empty && !comment) continue;
    const at = (col: number): Location => ({ file: fileName, sheet: ws.name, row: r, column: columnLetter(col) });
    const about = { indicator: code, orgUnit: meta.orgUnit, period: meta.period };
    const expected = expectedAt.get(r);
    if (expected !== undefined && code !== expected)
      issues.push({
        code: 'not_a_template',
        severity: 'error',
        message: messages.templateCodeChanged(expected, code),
        ...at(codeCol),
        ...about,
        indicator: code || expected,
      });
    if (!code) {
      if (expected === undefined)
        issues.push({
          code: 'not_a_template',
          severity: 'error',
          message: messages.templateNoCode(),
          ...at(codeCol),
          ...about,
        });
      continue;
    }
    const n = empty ? { ok: true as const, value: null } : parsePercentAware(raw, kindOf.get(code));
    if (!n.ok) {
      issues.push({
        code: 'not_a_number',
        severity: 'error',
        message: n.reason === 'percent_not_allowed' ? messages.percentNotAllowed(n.text) : messages.notANumber(n.text),
        ...at(valueCol),
        ...about,
      });
      continue;
    }
    const row: RawValueRow = {
      indicator: code,
      orgUnit: meta.orgUnit,
      period: meta.period,
      value: n.value,
      location: at(valueCol),
    };
    if (comment) row.comment = comment;
    rows.push(row);
  }
  return { meta, rows, issues };
}

/** Options for plain value sheets: as for CSV (shape, defaults, unit kinds). */
export type SheetOptions = Pick<ReadValuesOptions, 'shape' | 'defaults' | 'unitKind'>;

function readLoadedSheet(wb: ExcelJS.Workbook, fileName: string, options: SheetOptions) {
  const ws = wb.worksheets.find((s) => s.state === 'visible' && s.name !== META_SHEET);
  if (!ws) return { rows: [], issues: [fileIssue('bad_file', messages.emptyFile(), fileName)] };
  const reader = new ValueTableReader({
    ...options,
    fileName,
    sheet: ws.name,
    columnLabel: (i) => columnLetter(i + 1),
  });
  const events: ValueEvent[] = [];
  const width = ws.columnCount;
  for (let r = 1; r <= ws.rowCount && !reader.done; r++) {
    const row = ws.getRow(r);
    const fields: unknown[] = [];
    for (let c = 1; c <= width; c++) fields.push(row.getCell(c).value);
    reader.feed({ fields, line: r }, events);
  }
  reader.end(events);
  return {
    rows: events.flatMap((e) => (e.kind === 'row' ? [e.row] : [])),
    issues: events.flatMap((e) => (e.kind === 'issue' ? [e.issue] : [])),
  };
}

/**
 * Values from the first visible sheet of a workbook, long or wide, with the same rules as CSV (see
 * values-csv.ts); locations name the sheet, the row and the column letter.
 */
export async function readValuesSheet(
  buffer: Uint8Array,
  fileName: string,
  options: SheetOptions = {},
): Promise<{ rows: RawValueRow[]; issues: Issue[] }> {
  const wb = await loadWorkbook(buffer);
  if (!wb) return { rows: [], issues: [fileIssue('bad_file', messages.notASpreadsheet(), fileName)] };
  return readLoadedSheet(wb, fileName, options);
}

/** A long-format sheet: header indicator,org_unit,period,value[,comment] (or 指标代码,单位代码,期间,数值,说明) on the first sheet. */
export function readLongSheet(
  buffer: Uint8Array,
  fileName: string,
  options: Omit<SheetOptions, 'shape'> = {},
): Promise<{ rows: RawValueRow[]; issues: Issue[] }> {
  return readValuesSheet(buffer, fileName, { ...options, shape: 'long' });
}

/**
 * Any uploaded workbook: a template when it has the identity sheet, otherwise a plain value sheet.
 * `meta` tells which it was.
 */
export async function readWorkbook(
  buffer: Uint8Array,
  fileName: string,
  options: SheetOptions = {},
): Promise<TemplateRead> {
  const wb = await loadWorkbook(buffer);
  if (!wb) return { meta: undefined, rows: [], issues: [fileIssue('bad_file', messages.notASpreadsheet(), fileName)] };
  if (wb.getWorksheet(META_SHEET)) return readLoadedTemplate(wb, fileName);
  return { meta: undefined, ...readLoadedSheet(wb, fileName, options) };
}
