/**
 * Open SDG data files (the format of the Open SDG reporting platforms, `data/indicator_<id>.csv`):
 * one file per indicator, columns `Year`, disaggregation columns, then `Value`. Gongfu's one
 * breakdown is the area: `GeoCode` is the org unit, and a row with no GeoCode is the headline — the
 * plan's own area. `Units` and `Series` are read as labels; observation attributes (`COMMENT_OBS`,
 * `OBS_STATUS`) carry the comment and the standing. Rows split by any other disaggregation (Sex, Age …)
 * are refused, each with its row: Gongfu keeps no such breakdown.
 *
 * Values are in the plan's base units (yuan, persons, rates as fractions), as Gongfu stores them.
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

/** Columns that are not disaggregations: they label or qualify the observation. */
const ATTRIBUTE_COLUMNS = new Set([
  'units',
  'unit measure',
  'unit_measure',
  'series',
  'comment_obs',
  'obs_status',
  'synthetic',
]);

/** The indicator id in an Open SDG file name: `indicator_1-1-1.csv` → `1-1-1`. */
export function openSdgIndicatorOfFile(fileName: string): string | undefined {
  return /(?:^|[\\/])indicator_(.+)\.csv$/i.exec(fileName)?.[1];
}

export const openSdgFileName = (indicator: string) => `indicator_${indicator}.csv`;

/** Is this header an Open SDG data file's (Year first, Value somewhere, no Gongfu long-CSV keys)? */
export function looksLikeOpenSdg(header: readonly string[]): boolean {
  const h = header.map((c) =>
    c
      .replace(/^\ufeff/, '')
      .trim()
      .toLowerCase(),
  );
  return h[0] === 'year' && h.includes('value') && !h.includes('indicator') && !h.includes('org_unit');
}

export interface OpenSdgReadOptions {
  fileName: string;
  /** The Gongfu indicator (default: from the file name, through the mapping). */
  indicator?: string | undefined;
  /** The org unit of headline rows (no GeoCode): the plan's root. */
  headlineUnit: string;
  mapping: CodeMapping;
}

export function readOpenSdg(text: string, options: OpenSdgReadOptions): ExchangeRead {
  const file = options.fileName;
  const out: ExchangeRead = { rows: [], issues: [] };
  const records = readCsvRecords(text, file, out);
  if (!records) return out;
  const header = (records[0] ?? []).map((h) => h.trim());
  const lower = header.map((h) => h.toLowerCase());
  const year = lower.indexOf('year');
  const value = lower.indexOf('value');
  if (year < 0 || value < 0) {
    out.issues.push(
      issue(
        'bad_header',
        { zh: 'Open SDG 数据文件须有 Year 和 Value 两列', en: 'an Open SDG data file has the columns Year and Value' },
        { file },
      ),
    );
    return out;
  }
  const geo = lower.indexOf('geocode');
  const series = lower.indexOf('series');
  const comment = lower.indexOf('comment_obs');
  const status = lower.indexOf('obs_status');
  const synthetic = lower.indexOf('synthetic');
  const disaggregations = header
    .map((h, i) => ({ h, i }))
    .filter(({ i }) => i !== year && i !== value && i !== geo && !ATTRIBUTE_COLUMNS.has(lower[i]!));
  const fromFile = options.indicator ?? openSdgIndicatorOfFile(file);

  records.slice(1).forEach((r, k) => {
    const row = k + 2;
    if (r.every((c) => c.trim() === '')) return;
    const cell = (i: number) => (i >= 0 ? (r[i] ?? '').trim() : '');
    const external = cell(series) || fromFile;
    if (!external) {
      out.issues.push(
        issue(
          'unknown_indicator',
          {
            zh: '无法确定指标：文件名应为 indicator_<代码>.csv，或填写 Series 列',
            en: 'which indicator? name the file indicator_<code>.csv or fill in Series',
          },
          { file, row },
        ),
      );
      return;
    }
    const indicator = options.mapping.indicators.get(external) ?? external;
    const geoCode = cell(geo);
    const orgUnit = geoCode ? (options.mapping.orgUnits.get(geoCode) ?? geoCode) : options.headlineUnit;
    const yearText = cell(year).replace(/\.0+$/, '');
    const keys = { indicator, orgUnit, period: yearText };
    const split = disaggregations.filter(({ i }) => cell(i) !== '');
    if (split.length > 0) {
      const what = split.map(({ h, i }) => `${h}=${cell(i)}`).join(', ');
      out.issues.push(
        issue(
          'bad_file',
          {
            zh: `该行按“${what}”分组，Gongfu 只按地区分组，不导入`,
            en: `this row is split by ${what}; Gongfu keeps no breakdown other than the area`,
          },
          { file, row, column: split[0]!.h, ...keys },
        ),
      );
      return;
    }
    if (!/^\d{4}$/.test(yearText)) {
      out.issues.push(
        issue(
          'bad_period',
          periodMessage(cell(year), { why: 'Year is a four-digit year', whyZh: 'Year 列应为四位年份' }),
          {
            file,
            row,
            column: header[year]!,
            ...keys,
          },
        ),
      );
      return;
    }
    const valueText = cell(value);
    // An empty Value is an observation not made: Open SDG files leave such rows out or blank.
    if (valueText === '') return;
    const n = readNumber(valueText, { file, row, column: header[value]! }, keys);
    if (!n.ok) {
      out.issues.push(n.issue);
      return;
    }
    const item: ExchangeRow = { ...keys, value: n.value, location: { file, row, column: header[value]! } };
    if (cell(comment)) item.comment = cell(comment);
    if (cell(status).toUpperCase() === 'P') item.vintage = 'preliminary';
    if (/^(true|1|yes|synthetic|示例数据)$/i.test(cell(synthetic))) item.synthetic = true;
    out.rows.push(item);
  });
  return out;
}

export interface OpenSdgWriteOptions {
  /** Values of the plan's root are the headline: written with an empty GeoCode. */
  headlineUnit: string;
  /** The unit label of the indicator (Units column). */
  units: string;
  /** Gongfu code → external id, for GeoCode. */
  orgUnits?: Map<string, string>;
}

/**
 * One indicator's yearly values as an Open SDG data file: Year, GeoCode, Units, Value, then the
 * observation attributes COMMENT_OBS and OBS_STATUS (P for a preliminary figure), and SYNTHETIC where
 * any value is generated demo data. Sub-year periods and missing values are left out.
 */
export function writeOpenSdg(values: readonly ExchangeValue[], options: OpenSdgWriteOptions): string {
  const yearly = values
    .filter((v) => /^\d{4}$/.test(v.period) && v.value !== null && Number.isFinite(v.value))
    .map((v) => ({
      ...v,
      geo: v.orgUnit === options.headlineUnit ? '' : (options.orgUnits?.get(v.orgUnit) ?? v.orgUnit),
    }))
    .sort((a, b) =>
      a.geo === b.geo
        ? a.period.localeCompare(b.period)
        : a.geo === ''
          ? -1
          : b.geo === ''
            ? 1
            : a.geo.localeCompare(b.geo),
    );
  const anySynthetic = yearly.some((v) => v.synthetic);
  const lines = [
    ['Year', 'GeoCode', 'Units', 'Value', 'COMMENT_OBS', 'OBS_STATUS', ...(anySynthetic ? ['SYNTHETIC'] : [])].join(
      ',',
    ),
  ];
  for (const v of yearly)
    lines.push(
      [
        v.period,
        csvField(v.geo),
        csvField(options.units),
        numberText(v.value),
        csvField(v.comment ?? ''),
        v.vintage === 'preliminary' ? 'P' : 'A',
        ...(anySynthetic ? [v.synthetic ? 'true' : ''] : []),
      ].join(','),
    );
  return `${lines.join('\n')}\n`;
}
