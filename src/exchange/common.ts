/**
 * What the exchange formats share: the rows they read (in the same shape as the CSV and Excel
 * readers', so that every value goes through the same checks in services/data.ts), the issues they
 * find themselves (a period the format has and Gongfu does not, a value that is not a number), the
 * mapping between another system's ids and Gongfu's codes, and the values they write.
 */
import { messages, type Issue, type IssueCode, type Location } from '../domain/data.js';
import { parseCsv } from '../ingest/csv.js';
import { parseCellNumber } from '../ingest/number.js';

export const EXCHANGE_FORMATS = ['open-sdg', 'sdmx', 'dhis2'] as const;
export type ExchangeFormat = (typeof EXCHANGE_FORMATS)[number];

/** One value read from a file, keys as Gongfu codes (after mapping), not yet checked. */
export interface ExchangeRow {
  indicator: string;
  orgUnit: string;
  period: string;
  value: number | null;
  comment?: string | undefined;
  vintage?: 'preliminary' | undefined;
  synthetic?: boolean | undefined;
  location: Location;
}

export interface ExchangeRead {
  rows: ExchangeRow[];
  /** Per-row problems (with `row`) and problems of the whole file (without: nothing is imported). */
  issues: Issue[];
}

/** A stored value to write out. */
export interface ExchangeValue {
  indicator: string;
  orgUnit: string;
  period: string;
  value: number | null;
  comment?: string | null | undefined;
  vintage?: string | null | undefined;
  synthetic?: boolean | undefined;
}

/** Another system's ids → Gongfu codes (DHIS2 data elements and org-unit uids, SDG series, area codes). */
export interface CodeMapping {
  /** External id (for DHIS2 `dataElement` or `dataElement.categoryOptionCombo`) → indicator code. */
  indicators: Map<string, string>;
  /** External id → org unit code. */
  orgUnits: Map<string, string>;
}

export const emptyMapping = (): CodeMapping => ({ indicators: new Map(), orgUnits: new Map() });

export function issue(
  code: IssueCode,
  message: { zh: string; en: string },
  where: Location & Partial<Issue> = {},
): Issue {
  return { code, severity: 'error', message, ...where };
}

/** A file's CSV records, or null with a `bad_file` issue in `out` saying why the text is not CSV. */
export function readCsvRecords(text: string, file: string, out: ExchangeRead): string[][] | null {
  try {
    return parseCsv(text);
  } catch (e) {
    const why = (e as Error).message;
    out.issues.push(issue('bad_file', { zh: `CSV格式错误：${why}`, en: `not valid CSV: ${why}` }, { file }));
    return null;
  }
}

/** Reads a cell's number the way the CSV reader does (full-width digits, thousands separators, missing marks). */
export function readNumber(
  text: string,
  where: Location,
  keys: { indicator: string; orgUnit: string; period: string },
): { ok: true; value: number | null } | { ok: false; issue: Issue } {
  const n = parseCellNumber(text);
  if (n.ok) return n;
  return {
    ok: false,
    issue: issue('not_a_number', messages.notANumber(n.text), { ...where, ...keys }),
  };
}

/** The shortest text that reads back as the same double. */
export function numberText(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '';
  return Object.is(value, -0) ? '0' : String(value);
}

/** Inverts a mapping for export (the first external id of a code wins). */
export function reverse(map: Map<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [external, code] of map) if (!out.has(code)) out.set(code, external);
  return out;
}

const DHIS2_UID = /^[A-Za-z][A-Za-z0-9]{10}$/;
export const isDhis2Uid = (id: string) => DHIS2_UID.test(id);

const KIND_NAMES: Record<string, 'indicators' | 'orgUnits'> = {
  indicator: 'indicators',
  indicators: 'indicators',
  dataelement: 'indicators',
  dataelements: 'indicators',
  data_element: 'indicators',
  series: 'indicators',
  orgunit: 'orgUnits',
  orgunits: 'orgUnits',
  org_unit: 'orgUnits',
  geocode: 'orgUnits',
  ref_area: 'orgUnits',
};

export class MappingError extends Error {
  override name = 'MappingError';
}

/**
 * A mapping file: JSON `{ "dataElements": { "<uid>[.<coc uid>]": "INC_PC" }, "orgUnits": { "<uid>": "330782" } }`
 * (`indicators` for `dataElements` too), or CSV `type,external_id,code` with type dataElement|indicator|orgUnit.
 * Throws MappingError naming the line or key that is wrong.
 */
export function parseMapping(text: string, fileName = 'mapping'): CodeMapping {
  const mapping = emptyMapping();
  const put = (kind: 'indicators' | 'orgUnits', external: string, code: string, where: string) => {
    const e = external.trim();
    const c = code.trim();
    if (!e || !c) throw new MappingError(`${fileName} ${where}: an empty id or code`);
    const target = mapping[kind];
    if (target.has(e) && target.get(e) !== c)
      throw new MappingError(`${fileName} ${where}: ${e} is mapped twice (${target.get(e)} and ${c})`);
    target.set(e, c);
  };
  const trimmed = text.replace(/^\ufeff/, '').trim();
  if (trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch (e) {
      throw new MappingError(`${fileName} is not valid JSON: ${(e as Error).message}`);
    }
    for (const [key, entries] of Object.entries(json as Record<string, unknown>)) {
      const kind = KIND_NAMES[key.toLowerCase()];
      if (!kind)
        throw new MappingError(`${fileName}: unknown key "${key}" (use dataElements / indicators and orgUnits)`);
      if (typeof entries !== 'object' || entries === null || Array.isArray(entries))
        throw new MappingError(`${fileName}: "${key}" must be an object of id → code`);
      for (const [external, code] of Object.entries(entries)) {
        if (typeof code !== 'string') throw new MappingError(`${fileName}: ${key}.${external} must be a code (text)`);
        put(kind, external, code, `${key}.${external}`);
      }
    }
    return mapping;
  }
  const rows = parseCsv(trimmed);
  const header = (rows[0] ?? []).map((h) => h.trim().toLowerCase());
  const [t, x, c] = [
    header.indexOf('type'),
    header.findIndex((h) => /^(external_id|dhis2|dhis2_id|id|uid)$/.test(h)),
    header.findIndex((h) => /^(code|gongfu|gongfu_code)$/.test(h)),
  ];
  if (t < 0 || x < 0 || c < 0) throw new MappingError(`${fileName}: the header must be type,external_id,code`);
  rows.slice(1).forEach((r, i) => {
    if (r.every((cell) => cell.trim() === '')) return;
    const kind = KIND_NAMES[(r[t] ?? '').trim().toLowerCase()];
    if (!kind)
      throw new MappingError(
        `${fileName} line ${i + 2}: type "${r[t] ?? ''}" is not dataElement, indicator or orgUnit`,
      );
    put(kind, r[x] ?? '', r[c] ?? '', `line ${i + 2}`);
  });
  return mapping;
}

/** A period the other system has and Gongfu does not keep, said in both languages. */
export function periodMessage(text: string, why: { why: string; whyZh: string }): { zh: string; en: string } {
  return { zh: `期间“${text}”无效：${why.whyZh}`, en: messages.badPeriod(text, why.why).en };
}
