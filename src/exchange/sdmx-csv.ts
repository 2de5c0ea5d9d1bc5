/**
 * SDMX-CSV, versions 1.0 (first column `DATAFLOW`) and 2.0 (`STRUCTURE`, `STRUCTURE_ID`, `ACTION`):
 * one observation per row, dimension columns, `TIME_PERIOD`, `OBS_VALUE`, then attributes. Gongfu
 * reads the indicator from `INDICATOR` (or `SERIES`, `MEASURE`), the area from `REF_AREA`, scales
 * `OBS_VALUE` by `UNIT_MULT` (× 10^n), takes `COMMENT_OBS` as the comment and `OBS_STATUS` P as a
 * preliminary figure. Headers and cells written with labels (`REF_AREA: Reference area`, `330782: 义乌市`)
 * are read by their ids. Other dimensions are not kept: two observations that differ only by them
 * repeat each other and are refused as duplicates.
 */
import { csvField } from '../ingest/csv.js';
import {
  issue,
  readCsvRecords,
  periodMessage,
  numberText,
  readNumber,
  type CodeMapping,
  type ExchangeRead,
  type ExchangeRow,
  type ExchangeValue,
} from './common.js';

const INDICATOR_COLUMNS = ['INDICATOR', 'SERIES', 'MEASURE'];

/** The id of a header or cell written with its label: `REF_AREA: Reference area` → `REF_AREA`. */
const idOf = (text: string) => {
  const t = text.replace(/^\ufeff/, '').trim();
  const colon = t.indexOf(': ');
  return colon > 0 ? t.slice(0, colon) : t;
};

export function looksLikeSdmxCsv(header: readonly string[]): boolean {
  const first = idOf(header[0] ?? '').toUpperCase();
  return first === 'DATAFLOW' || first === 'STRUCTURE';
}

/**
 * An SDMX time period as a Gongfu period id: 2024 → 2024, 2024-Q1 → 2024Q1, 2024-03 / 2024-M03 →
 * 202403, 2024-A1 → 2024. Semesters, weeks, days and date ranges have no Gongfu equivalent.
 */
export function sdmxPeriod(text: string): { ok: true; id: string } | { ok: false; why: string; whyZh: string } {
  const t = text.trim();
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})(?:-A1)?$/.exec(t))) return { ok: true, id: m[1]! };
  if ((m = /^(\d{4})-Q([1-4])$/.exec(t))) return { ok: true, id: `${m[1]}Q${m[2]}` };
  if ((m = /^(\d{4})-M?(0[1-9]|1[0-2])$/.exec(t))) return { ok: true, id: `${m[1]}${m[2]}` };
  const kinds: [RegExp, string, string][] = [
    [/^\d{4}-S[12]$/, 'half-years (S1, S2)', '半年'],
    [/^\d{4}-W\d{1,2}$/, 'weeks', '周'],
    [/^\d{4}-\d{2}-\d{2}/, 'days and date ranges', '日和日期区间'],
  ];
  const kind = kinds.find(([re]) => re.test(t));
  return kind
    ? {
        ok: false,
        why: `${kind[1]} are not kept in Gongfu: years, quarters or months`,
        whyZh: `Gongfu 不保存${kind[2]}，只保存年、季度和月`,
      }
    : {
        ok: false,
        why: 'SDMX periods are written 2024, 2024-Q1 or 2024-03',
        whyZh: 'SDMX 期间应写作 2024、2024-Q1 或 2024-03',
      };
}

export function sdmxTimePeriod(id: string): string {
  if (/^\d{4}$/.test(id)) return id;
  if (/^\d{4}Q[1-4]$/.test(id)) return `${id.slice(0, 4)}-Q${id[5]}`;
  return `${id.slice(0, 4)}-${id.slice(4, 6)}`;
}

const FREQ: Record<string, string> = { year: 'A', quarter: 'Q', month: 'M' };
const freqOf = (id: string) => (/^\d{4}$/.test(id) ? FREQ.year! : id.includes('Q') ? FREQ.quarter! : FREQ.month!);

export interface SdmxReadOptions {
  fileName: string;
  mapping: CodeMapping;
}

export function readSdmxCsv(text: string, options: SdmxReadOptions): ExchangeRead {
  const file = options.fileName;
  const out: ExchangeRead = { rows: [], issues: [] };
  const records = readCsvRecords(text, file, out);
  if (!records) return out;
  const header = (records[0] ?? []).map((h) => idOf(h).toUpperCase());
  const col = (name: string) => header.indexOf(name);
  const indicatorCol = INDICATOR_COLUMNS.map(col).find((i) => i >= 0) ?? -1;
  const [area, time, value] = [col('REF_AREA'), col('TIME_PERIOD'), col('OBS_VALUE')];
  const missing = [
    ...(indicatorCol < 0 ? ['INDICATOR'] : []),
    ...(area < 0 ? ['REF_AREA'] : []),
    ...(time < 0 ? ['TIME_PERIOD'] : []),
    ...(value < 0 ? ['OBS_VALUE'] : []),
  ];
  if (!looksLikeSdmxCsv(records[0] ?? []) || missing.length > 0) {
    out.issues.push(
      issue(
        'bad_header',
        {
          zh: `不是 SDMX-CSV 文件：首列应为 DATAFLOW 或 STRUCTURE${missing.length ? `，缺少列 ${missing.join('、')}` : ''}`,
          en: `not an SDMX-CSV file: the first column is DATAFLOW or STRUCTURE${missing.length ? `; missing ${missing.join(', ')}` : ''}`,
        },
        { file },
      ),
    );
    return out;
  }
  const [action, mult, status, comment, synthetic] = [
    'ACTION',
    'UNIT_MULT',
    'OBS_STATUS',
    'COMMENT_OBS',
    'SYNTHETIC',
  ].map(col) as [number, number, number, number, number];
  const names = (records[0] ?? []).map((h) => h.trim());
  records.slice(1).forEach((r, k) => {
    const row = k + 2;
    if (r.every((c) => c.trim() === '')) return;
    const cell = (i: number) => (i >= 0 ? idOf(r[i] ?? '') : '');
    const rawIndicator = cell(indicatorCol);
    const rawArea = cell(area);
    const indicator = options.mapping.indicators.get(rawIndicator) ?? rawIndicator;
    const orgUnit = options.mapping.orgUnits.get(rawArea) ?? rawArea;
    const at = (i: number) => ({ file, row, column: names[i]! });
    const p = sdmxPeriod(cell(time));
    const keys = { indicator, orgUnit, period: p.ok ? p.id : cell(time) };
    if (cell(action).toUpperCase() === 'D') {
      out.issues.push(
        issue(
          'bad_file',
          {
            zh: '删除操作（ACTION=D）不导入：Gongfu 的数值只能修改，不能删除',
            en: 'deletions (ACTION=D) are not imported: Gongfu values are revised, never deleted',
          },
          { ...at(action), ...keys },
        ),
      );
      return;
    }
    if (!p.ok) {
      out.issues.push(issue('bad_period', periodMessage(cell(time), p), { ...at(time), ...keys }));
      return;
    }
    const valueText = cell(value);
    const n = /^nan$/i.test(valueText) ? ({ ok: true, value: null } as const) : readNumber(valueText, at(value), keys);
    if (!n.ok) {
      out.issues.push(n.issue);
      return;
    }
    let x = n.value;
    const multText = cell(mult);
    if (x !== null && multText !== '' && multText !== '0') {
      if (!/^-?\d{1,2}$/.test(multText)) {
        out.issues.push(
          issue(
            'not_a_number',
            { zh: `UNIT_MULT“${multText}”应为整数（10的幂次）`, en: `UNIT_MULT "${multText}" is a whole power of ten` },
            { ...at(mult), ...keys },
          ),
        );
        return;
      }
      // Decimal shift in text: 1.5 × 10^4 is 15000 exactly.
      x = Number(`${numberText(x)}e${multText}`);
    }
    const item: ExchangeRow = { ...keys, value: x, location: at(value) };
    if (cell(comment)) item.comment = (r[comment] ?? '').trim();
    if (cell(status).toUpperCase() === 'P') item.vintage = 'preliminary';
    if (/^(true|1|yes)$/i.test(cell(synthetic))) item.synthetic = true;
    out.rows.push(item);
  });
  return out;
}

export interface SdmxWriteOptions {
  /** `GONGFU:DF_<plan>(1.0)`: the agency, the dataflow id and its version. */
  dataflow: string;
  /** Unit id of each indicator (UNIT_MEASURE). */
  unitOf: (indicator: string) => string;
  version?: '1.0' | '2.0';
}

/**
 * Values as SDMX-CSV (2.0 by default): FREQ, REF_AREA, INDICATOR, TIME_PERIOD, OBS_VALUE,
 * UNIT_MULT (0: base units), UNIT_MEASURE, OBS_STATUS (A normal, P preliminary, M missing),
 * COMMENT_OBS, and SYNTHETIC (true for generated demo values) where any value is synthetic.
 */
export function writeSdmxCsv(values: readonly ExchangeValue[], options: SdmxWriteOptions): string {
  const v2 = (options.version ?? '2.0') === '2.0';
  const anySynthetic = values.some((v) => v.synthetic);
  const head = [
    ...(v2 ? ['STRUCTURE', 'STRUCTURE_ID', 'ACTION'] : ['DATAFLOW']),
    'FREQ',
    'REF_AREA',
    'INDICATOR',
    'TIME_PERIOD',
    'OBS_VALUE',
    'UNIT_MULT',
    'UNIT_MEASURE',
    'OBS_STATUS',
    'COMMENT_OBS',
    ...(anySynthetic ? ['SYNTHETIC'] : []),
  ];
  const lines = [head.join(',')];
  for (const v of values)
    lines.push(
      [
        ...(v2 ? ['dataflow', csvField(options.dataflow), 'I'] : [csvField(options.dataflow)]),
        freqOf(v.period),
        csvField(v.orgUnit),
        csvField(v.indicator),
        sdmxTimePeriod(v.period),
        v.value === null ? 'NaN' : numberText(v.value),
        '0',
        csvField(options.unitOf(v.indicator)),
        v.value === null ? 'M' : v.vintage === 'preliminary' ? 'P' : 'A',
        csvField(v.comment ?? ''),
        ...(anySynthetic ? [v.synthetic ? 'true' : ''] : []),
      ].join(','),
    );
  return `${lines.join('\n')}\n`;
}
