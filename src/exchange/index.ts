/** The exchange formats as one entry point: tell a file's format, read it, write values in it. */
import { unitOf, type Plan } from '../domain/plan.js';
import { storedUnitLabel } from '../domain/units.js';
import { parseCsv } from '../ingest/csv.js';
import { reverse, type CodeMapping, type ExchangeFormat, type ExchangeRead, type ExchangeValue } from './common.js';
import { looksLikeDhis2, readDhis2, writeDhis2 } from './dhis2.js';
import { looksLikeOpenSdg, openSdgFileName, openSdgIndicatorOfFile, readOpenSdg, writeOpenSdg } from './open-sdg.js';
import { looksLikeSdmxCsv, readSdmxCsv, writeSdmxCsv } from './sdmx-csv.js';

export * from './common.js';
export { writeDhis2, writeOpenSdg, writeSdmxCsv };

/** The first line of a text, as CSV cells (enough to tell the format by its header). */
function headerCells(text: string): string[] {
  const end = text.search(/\r?\n/);
  try {
    return parseCsv(end < 0 ? text : text.slice(0, end))[0] ?? [];
  } catch {
    return [];
  }
}

/**
 * The exchange format of a file, from its name and first bytes, or undefined for Gongfu's own CSV and
 * Excel files: a JSON data value set is DHIS2's; a CSV whose first column is DATAFLOW or STRUCTURE is
 * SDMX-CSV; a CSV that starts with Year and has Value (or is named indicator_….csv) is Open SDG's.
 */
export function detectExchangeFormat(fileName: string, head: string): ExchangeFormat | undefined {
  if (/\.json$/i.test(fileName) || looksLikeDhis2(head)) return 'dhis2';
  if (!/\.(csv|txt)$/i.test(fileName)) return undefined;
  const header = headerCells(head.replace(/^\ufeff/, ''));
  if (looksLikeSdmxCsv(header)) return 'sdmx';
  if (
    looksLikeOpenSdg(header) ||
    (openSdgIndicatorOfFile(fileName) && header.some((h) => h.trim().toLowerCase() === 'year'))
  )
    return 'open-sdg';
  return undefined;
}

export interface ReadExchangeOptions {
  fileName: string;
  mapping: CodeMapping;
  /** Open SDG: the unit of headline rows (the plan's root). */
  headlineUnit: string;
  /** Open SDG: the indicator, where the file name does not say it. */
  indicator?: string | undefined;
}

export function readExchange(format: ExchangeFormat, text: string, options: ReadExchangeOptions): ExchangeRead {
  switch (format) {
    case 'open-sdg':
      return readOpenSdg(text, options);
    case 'sdmx':
      return readSdmxCsv(text, options);
    case 'dhis2':
      return readDhis2(text, options);
  }
}

export interface ExchangeFile {
  name: string;
  contentType: string;
  content: string;
}

export interface WriteExchangeOptions {
  plan: Pick<Plan, 'id' | 'rootOrgUnit' | 'units' | 'indicators'>;
  /** Gongfu codes → external ids on the way out (the same mapping file as for import). */
  mapping?: CodeMapping | undefined;
  language?: 'zh' | 'en';
}

/** Values in an exchange format: Open SDG one file per indicator, SDMX-CSV and DHIS2 one file. */
export function writeExchange(
  format: ExchangeFormat,
  values: readonly ExchangeValue[],
  options: WriteExchangeOptions,
): ExchangeFile[] {
  const { plan } = options;
  const indicatorUnit = new Map(plan.indicators.map((i) => [i.code, i.unit]));
  const toIndicator = options.mapping ? reverse(options.mapping.indicators) : undefined;
  const toUnit = options.mapping ? reverse(options.mapping.orgUnits) : undefined;
  switch (format) {
    case 'open-sdg': {
      const byIndicator = new Map<string, ExchangeValue[]>();
      // Open SDG files are yearly: an indicator with no yearly value has no file.
      for (const v of values)
        if (/^\d{4}$/.test(v.period) && v.value !== null)
          byIndicator.set(v.indicator, [...(byIndicator.get(v.indicator) ?? []), v]);
      return [...byIndicator].map(([code, list]) => ({
        name: openSdgFileName(toIndicator?.get(code) ?? code),
        contentType: 'text/csv; charset=utf-8',
        content: writeOpenSdg(list, {
          headlineUnit: plan.rootOrgUnit,
          units: storedUnitLabel(unitOf(plan, indicatorUnit.get(code) ?? ''), options.language ?? 'zh'),
          ...(toUnit && { orgUnits: toUnit }),
        }),
      }));
    }
    case 'sdmx':
      return [
        {
          name: `${plan.id}.sdmx.csv`,
          contentType: 'text/csv; charset=utf-8',
          content: writeSdmxCsv(
            values.map((v) => ({
              ...v,
              indicator: toIndicator?.get(v.indicator) ?? v.indicator,
              orgUnit: toUnit?.get(v.orgUnit) ?? v.orgUnit,
            })),
            {
              dataflow: `GONGFU:DF_${plan.id.replace(/[^A-Za-z0-9_@$-]/g, '_')}(1.0)`,
              unitOf: (code) => indicatorUnit.get(options.mapping?.indicators.get(code) ?? code) ?? '',
            },
          ),
        },
      ];
    case 'dhis2':
      return [
        {
          name: `${plan.id}.dhis2.json`,
          contentType: 'application/json; charset=utf-8',
          content: writeDhis2(values, { dataElements: toIndicator, orgUnits: toUnit }),
        },
      ];
  }
}
