/**
 * Files in and out: the reporter's Excel template, imports of templates, value sheets and CSV (long
 * or wide), and exports. An import runs every row through the same checks as the form; by default a
 * file goes in whole or not at all, and with `partial` the good rows go in and the rejected ones come
 * back with their place in the file and the reason.
 */
import ExcelJS from 'exceljs';
import type { Issue, Location, ValueInput } from '../domain/data.js';
import { storedUnitLabel } from '../domain/units.js';
import { unitOf } from '../domain/plan.js';
import { csvField } from '../ingest/csv.js';
import { readWorkbook, writeTemplate, type TemplateMeta } from '../ingest/excel-template.js';
import {
  readValuesCsv,
  type CsvSource,
  type LongCsvRow,
  formatLongCsv,
  type ReadProgress,
} from '../ingest/values-csv.js';
import {
  detectExchangeFormat,
  emptyMapping,
  MappingError,
  parseMapping,
  readExchange,
  writeExchange,
  type CodeMapping,
  type ExchangeFile,
  type ExchangeFormat,
} from '../exchange/index.js';
import type { Store } from '../store/db.js';
import { requireSignedIn, type RequestContext } from './context.js';
import { entryForm, listValues, saveValues, type ValueQuery } from './data.js';
import { AppError } from './errors.js';
import { currentPlanId, getPlan } from './plans.js';

export interface ImportResult {
  file: string;
  /** Rows read from the file (values, including rejected ones). */
  rows: number;
  saved: number;
  changed: number;
  /** With `partial`: the rows left out and why. */
  rejected: Issue[];
  /** Unusual values saved as drafts, to confirm with a comment before submission. */
  warnings: Issue[];
  /** The template's identity, when the file was one. */
  template?: TemplateMeta | undefined;
}

export type ImportSource =
  | { kind: 'xlsx'; buffer: Uint8Array }
  | { kind: 'csv'; source: CsvSource }
  /** Open SDG data CSV, SDMX-CSV or a DHIS2 data value set (src/exchange/), with ids mapped to codes. */
  | { kind: 'exchange'; format: ExchangeFormat; text: string; mapping?: CodeMapping; indicator?: string };

/** Tells a file's kind from its name and first bytes (a zip signature for .xlsx). */
export function sourceKind(fileName: string, head: Uint8Array): 'xlsx' | 'csv' {
  const zip = head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
  if (/\.xlsx$/i.test(fileName)) {
    if (!zip) throw new AppError('INVALID_FILE', `${fileName} is not an Excel (.xlsx) file`);
    return 'xlsx';
  }
  if (/\.(csv|txt)$/i.test(fileName)) {
    if (zip) throw new AppError('INVALID_FILE', `${fileName} looks like a spreadsheet, not a CSV file`);
    return 'csv';
  }
  throw new AppError('INVALID_FILE', `${fileName}: only .xlsx and .csv files can be imported`);
}

export async function importValues(
  store: Store,
  ctx: RequestContext,
  fileName: string,
  input: ImportSource,
  options: { partial?: boolean; progress?: (p: ReadProgress) => void } = {},
): Promise<ImportResult> {
  requireSignedIn(ctx);
  const plan = await getPlan(store, await currentPlanId(store));
  const indicators = new Map(plan.indicators.map((i) => [i.code, i]));
  const unitKind = (code: string) => {
    const i = indicators.get(code);
    return i ? unitOf(plan, i.unit)?.kind : undefined;
  };
  const inputs: ValueInput[] = [];
  const locations: Location[] = [];
  const fileIssues: Issue[] = [];
  let template: TemplateMeta | undefined;
  const take = (row: {
    indicator: string;
    orgUnit: string;
    period: string;
    value: number | null;
    comment?: string | undefined;
    location: Location;
  }) => {
    inputs.push({
      indicator: row.indicator,
      orgUnit: row.orgUnit,
      period: row.period,
      value: row.value,
      comment: row.comment,
    });
    locations.push(row.location);
  };
  if (input.kind === 'xlsx') {
    const read = await readWorkbook(input.buffer, fileName, { unitKind });
    template = read.meta;
    if (template && template.planId !== plan.id)
      fileIssues.push({
        code: 'not_a_template',
        severity: 'error',
        file: fileName,
        message: {
          zh: `该模板属于方案“${template.planId}”，不是当前方案“${plan.id}”`,
          en: `this template belongs to plan "${template.planId}", not the current plan "${plan.id}"`,
        },
      });
    read.rows.forEach(take);
    fileIssues.push(...read.issues);
  } else if (input.kind === 'exchange') {
    const read = readExchange(input.format, input.text, {
      fileName,
      mapping: input.mapping ?? emptyMapping(),
      headlineUnit: plan.rootOrgUnit,
      indicator: input.indicator,
    });
    for (const r of read.rows) {
      inputs.push({
        indicator: r.indicator,
        orgUnit: r.orgUnit,
        period: r.period,
        value: r.value,
        comment: r.comment,
        ...(r.vintage && { vintage: r.vintage }),
        ...(r.synthetic && { synthetic: true }),
      });
      locations.push(r.location);
    }
    fileIssues.push(...read.issues);
  } else {
    for await (const event of readValuesCsv(input.source, {
      fileName,
      unitKind,
      ...(options.progress && { progress: options.progress }),
    })) {
      if (event.kind === 'row') take(event.row);
      else fileIssues.push(event.issue);
    }
  }
  const fatal = fileIssues.filter((i) => i.severity === 'error' && (i.row === undefined || i.code === 'bad_header'));
  if (fatal.length > 0)
    throw new AppError('INVALID_FILE', `${fileName} cannot be read: ${fatal[0]!.message.en}`, fileIssues);
  if (inputs.length === 0 && fileIssues.length === 0)
    throw new AppError('INVALID_FILE', `${fileName} holds no values (a template with no cell filled in?)`);
  const result = await saveValues(store, ctx, inputs, {
    partial: options.partial ?? false,
    change: 'import',
    locations,
    priorIssues: fileIssues,
    planId: plan.id,
  });
  return {
    file: fileName,
    rows: inputs.length + fileIssues.filter((i) => i.severity === 'error').length,
    saved: result.saved,
    changed: result.changed,
    rejected: result.issues.filter((i) => i.severity === 'error'),
    warnings: result.issues.filter((i) => i.severity === 'warning'),
    template,
  };
}

/** The reporter's workbook for a unit and period, pre-filled with what is there. */
export async function templateWorkbook(
  store: Store,
  ctx: RequestContext,
  orgUnit: string,
  period: string,
  language: 'zh' | 'en' = 'zh',
  now = new Date(),
): Promise<{ fileName: string; buffer: Buffer }> {
  const form = await entryForm(store, ctx, orgUnit, period);
  const plan = await getPlan(store, await currentPlanId(store));
  const byCode = new Map(plan.indicators.map((i) => [i.code, i]));
  const synthetic = form.rows.some((r) => r.current?.synthetic);
  const buffer = await writeTemplate({
    planId: plan.id,
    planTitle: plan.title[language],
    orgUnit: { code: form.orgUnit.code, name: form.orgUnit.name },
    period: form.period,
    language,
    generatedAt: now,
    note: synthetic
      ? language === 'zh'
        ? '示例数据：已填数值含演示用合成数据，非真实统计数据'
        : 'Demo data: some values already filled in are synthetic, not real statistics'
      : undefined,
    rows: form.rows.map((r) => {
      const indicator = byCode.get(r.indicator.code)!;
      const unit = unitOf(plan, indicator.unit);
      return {
        code: r.indicator.code,
        name: r.indicator.name[language],
        unit: storedUnitLabel(unit, language),
        kind: unit?.kind ?? 'measure',
        lastPeriod: r.previous?.period ?? null,
        lastValue: r.previous?.value ?? null,
        target: r.target,
        current: r.current?.value ?? null,
        comment: r.current?.comment ?? null,
        bounds: indicator.bounds,
      };
    }),
  });
  return { fileName: `${form.orgUnit.code}-${form.period}.xlsx`, buffer };
}

/** Values the actor may read, as a long CSV with each value's standing (status, vintage, source, synthetic). */
export async function exportValuesCsv(store: Store, ctx: RequestContext, q: ValueQuery): Promise<string> {
  return formatLongCsv(await exportRows(store, ctx, q), { standing: true });
}

async function exportRows(store: Store, ctx: RequestContext, q: ValueQuery): Promise<LongCsvRow[]> {
  requireSignedIn(ctx);
  const found = await listValues(store, ctx, { ...q, limit: q.limit ?? 5_000_000 });
  return found.map((v) => ({
    indicator: v.indicator,
    orgUnit: v.orgUnit,
    period: v.period,
    value: v.value,
    comment: v.comment,
    status: v.status,
    vintage: v.vintage,
    source: v.source,
    synthetic: v.synthetic,
  }));
}

/** The same as an Excel workbook: one sheet, frozen header, filters; synthetic rows marked. */
export async function exportValuesXlsx(store: Store, ctx: RequestContext, q: ValueQuery): Promise<Buffer> {
  const rows = await exportRows(store, ctx, q);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('数据 Data', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = [
    { header: '指标代码 indicator', key: 'indicator', width: 30 },
    { header: '单位代码 org_unit', key: 'orgUnit', width: 16 },
    { header: '期间 period', key: 'period', width: 10 },
    { header: '数值 value', key: 'value', width: 16 },
    { header: '说明 comment', key: 'comment', width: 30 },
    { header: '状态 status', key: 'status', width: 12 },
    { header: '口径 vintage', key: 'vintage', width: 12 },
    { header: '来源 source', key: 'source', width: 40 },
    { header: '示例数据 synthetic', key: 'synthetic', width: 14 },
  ];
  for (const r of rows) ws.addRow({ ...r, synthetic: r.synthetic ? '示例数据 synthetic' : '' });
  ws.getRow(1).font = { bold: true };
  ws.autoFilter = { from: 'A1', to: 'I1' };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Rejected rows as a CSV a person can fix the file from: where, what and why, in both languages. */
export function rejectedCsv(issues: readonly Issue[]): string {
  const q = (s: string | number | undefined) => csvField(s === undefined ? '' : String(s));
  const lines = ['file,sheet,row,column,indicator,org_unit,period,code,reason_zh,reason_en'];
  for (const i of issues)
    lines.push(
      [i.file, i.sheet, i.row, i.column, i.indicator, i.orgUnit, i.period, i.code, i.message.zh, i.message.en]
        .map(q)
        .join(','),
    );
  return `\ufeff${lines.join('\n')}\n`;
}

/**
 * The values the actor may read in an exchange format (Open SDG: one file per indicator; SDMX-CSV and
 * DHIS2: one file). With a mapping, Gongfu codes are written as the other system's ids.
 */
export async function exportExchange(
  store: Store,
  ctx: RequestContext,
  format: ExchangeFormat,
  q: ValueQuery,
  options: { mapping?: CodeMapping | undefined; language?: 'zh' | 'en' } = {},
): Promise<ExchangeFile[]> {
  const rows = await exportRows(store, ctx, q);
  const plan = await getPlan(store, await currentPlanId(store));
  return writeExchange(format, rows, { plan, mapping: options.mapping, language: options.language ?? 'zh' });
}

/** A mapping file (CSV or JSON) between another system's ids and Gongfu codes; INVALID_FILE saying what is wrong. */
export function readMapping(text: string, fileName: string): CodeMapping {
  try {
    return parseMapping(text, fileName);
  } catch (e) {
    if (e instanceof MappingError) throw new AppError('INVALID_FILE', e.message);
    throw e;
  }
}

/**
 * What to import from a file: an exchange format when asked for one (or when the file shows one:
 * a DHIS2 JSON set, SDMX-CSV, an Open SDG data file), else Gongfu's own CSV or Excel.
 */
export function importSourceFor(
  fileName: string,
  buffer: Uint8Array,
  options: {
    format?: ExchangeFormat | undefined;
    mapping?: CodeMapping | undefined;
    indicator?: string | undefined;
  } = {},
): ImportSource {
  const head = Buffer.from(buffer.subarray(0, 4096)).toString('utf8');
  const format = options.format ?? detectExchangeFormat(fileName, head);
  if (format)
    return {
      kind: 'exchange',
      format,
      text: Buffer.from(buffer).toString('utf8'),
      ...(options.mapping && { mapping: options.mapping }),
      ...(options.indicator && { indicator: options.indicator }),
    };
  const kind = sourceKind(fileName, buffer.subarray(0, 4));
  return kind === 'xlsx' ? { kind, buffer } : { kind, source: buffer };
}
