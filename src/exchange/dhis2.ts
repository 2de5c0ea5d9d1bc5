/**
 * DHIS2 data value sets (`/api/dataValueSets`, JSON): `{ dataValues: [{ dataElement, period, orgUnit,
 * categoryOptionCombo?, attributeOptionCombo?, value, comment?, storedBy?, followup?, deleted? }] }`.
 * DHIS2 names things by 11-character uids; a mapping file says which Gongfu code each uid stands for
 * (a data element, or a data element with one category option combo, is an indicator; an org unit
 * uid is an org unit). Without a mapping, ids are read as Gongfu codes — DHIS2's `idScheme=CODE`.
 *
 * DHIS2 periods: 2024 (year), 2024Q1, 202403 map to Gongfu's; weeks (2024W10), days (20240315),
 * bi-months (202401B), six-months (2024S1, 2024AprilS1) and financial years (2024April …) do not.
 */
import {
  issue,
  periodMessage,
  numberText,
  readNumber,
  type CodeMapping,
  type ExchangeRead,
  type ExchangeRow,
  type ExchangeValue,
} from './common.js';

/** DHIS2's default category option combo: no disaggregation. */
export const DEFAULT_COC = 'HllvX50cXC0';

export function dhis2Period(text: string): { ok: true; id: string } | { ok: false; why: string; whyZh: string } {
  const t = text.trim();
  if (/^\d{4}$/.test(t) || /^\d{4}Q[1-4]$/.test(t)) return { ok: true, id: t };
  if (/^\d{4}(0[1-9]|1[0-2])$/.test(t)) return { ok: true, id: t };
  const kinds: [RegExp, string, string][] = [
    [/^\d{8}$/, 'a day', '日'],
    [/^\d{4}(Wed|Thu|Sat|Sun)?W\d{1,2}$/, 'a week', '周'],
    [/^\d{4}BiW\d{1,2}$/, 'a bi-week', '双周'],
    [/^\d{4}0[1-6]B$/, 'a bi-month', '双月'],
    [/^\d{4}(April|Nov)?S[12]$/, 'a six-month period', '半年'],
    [/^\d{4}(April|July|Oct|Nov)$/, 'a financial year', '财年'],
  ];
  const kind = kinds.find(([re]) => re.test(t));
  return kind
    ? {
        ok: false,
        why: `${kind[1]} in DHIS2; Gongfu keeps years (2024), quarters (2024Q1) and months (202403)`,
        whyZh: `DHIS2 的${kind[2]}期间，Gongfu 只保存年（2024）、季度（2024Q1）和月（202403）`,
      }
    : {
        ok: false,
        why: 'DHIS2 periods are written 2024, 2024Q1 or 202403',
        whyZh: 'DHIS2 期间应写作 2024、2024Q1 或 202403',
      };
}

export function looksLikeDhis2(text: string): boolean {
  return /^\s*\{[\s\S]*"dataValues"\s*:/.test(text.slice(0, 4096).replace(/^\ufeff/, ''));
}

export interface Dhis2ReadOptions {
  fileName: string;
  mapping: CodeMapping;
}

const text = (v: unknown) => (v === undefined || v === null ? '' : String(v).trim());

export function readDhis2(json: string, options: Dhis2ReadOptions): ExchangeRead {
  const file = options.fileName;
  const out: ExchangeRead = { rows: [], issues: [] };
  let doc: unknown;
  try {
    doc = JSON.parse(json.replace(/^\ufeff/, ''));
  } catch (e) {
    out.issues.push(
      issue(
        'bad_file',
        { zh: `不是有效的 JSON：${(e as Error).message}`, en: `not valid JSON: ${(e as Error).message}` },
        { file },
      ),
    );
    return out;
  }
  const list = (doc as { dataValues?: unknown } | null)?.dataValues;
  if (!Array.isArray(list)) {
    out.issues.push(
      issue(
        'bad_header',
        { zh: 'DHIS2 数据须为 { "dataValues": [...] }', en: 'a DHIS2 data value set is { "dataValues": [...] }' },
        { file },
      ),
    );
    return out;
  }
  list.forEach((item: unknown, k) => {
    const dv = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const row = k + 1;
    const where = (column: string) => ({ file, row, column: `dataValues[${k}].${column}` });
    const de = text(dv.dataElement);
    const coc = text(dv.categoryOptionCombo);
    const ou = text(dv.orgUnit);
    const m = options.mapping;
    const indicator =
      (coc && coc !== DEFAULT_COC ? m.indicators.get(`${de}.${coc}`) : undefined) ?? m.indicators.get(de) ?? de;
    const orgUnit = m.orgUnits.get(ou) ?? ou;
    const p = dhis2Period(text(dv.period));
    const keys = { indicator, orgUnit, period: p.ok ? p.id : text(dv.period) };
    if (!de || !ou) {
      out.issues.push(
        issue(
          !de ? 'unknown_indicator' : 'unknown_org_unit',
          { zh: '缺少 dataElement 或 orgUnit', en: 'dataElement or orgUnit is missing' },
          { ...where(!de ? 'dataElement' : 'orgUnit'), ...keys },
        ),
      );
      return;
    }
    if (dv.deleted === true) {
      out.issues.push(
        issue(
          'bad_file',
          { zh: '已删除的数值（deleted=true）不导入', en: 'a deleted value (deleted: true) is not imported' },
          { ...where('deleted'), ...keys },
        ),
      );
      return;
    }
    if (!p.ok) {
      out.issues.push(issue('bad_period', periodMessage(text(dv.period), p), { ...where('period'), ...keys }));
      return;
    }
    const raw = dv.value;
    const n =
      typeof raw === 'number'
        ? Number.isFinite(raw)
          ? ({ ok: true, value: raw } as const)
          : readNumber(String(raw), where('value'), keys)
        : readNumber(text(raw), where('value'), keys);
    if (!n.ok) {
      out.issues.push(n.issue);
      return;
    }
    const r: ExchangeRow = { ...keys, value: n.value, location: where('value') };
    if (text(dv.comment)) r.comment = text(dv.comment);
    out.rows.push(r);
  });
  return out;
}

export interface Dhis2WriteOptions {
  /** Gongfu code → DHIS2 uid; without them the codes are written and the set says idScheme CODE. */
  dataElements?: Map<string, string> | undefined;
  orgUnits?: Map<string, string> | undefined;
}

/**
 * Values as a DHIS2 data value set. Values are strings, as DHIS2 writes them; a missing value is left
 * out (DHIS2 has no "reported as missing"). Where no mapping is given for a kind of id, the set
 * carries `dataElementIdScheme`/`orgUnitIdScheme: "CODE"` so that DHIS2 matches by code.
 */
export function writeDhis2(values: readonly ExchangeValue[], options: Dhis2WriteOptions = {}): string {
  const de = options.dataElements?.size ? options.dataElements : undefined;
  const ou = options.orgUnits?.size ? options.orgUnits : undefined;
  const dataValues = values
    .filter((v) => v.value !== null && Number.isFinite(v.value))
    .map((v) => {
      const uid = de?.get(v.indicator);
      const [element, combo] = uid ? uid.split('.') : [v.indicator, undefined];
      return {
        dataElement: element!,
        period: v.period,
        orgUnit: ou?.get(v.orgUnit) ?? v.orgUnit,
        ...(combo && { categoryOptionCombo: combo }),
        value: numberText(v.value),
        ...(v.comment && { comment: v.comment }),
      };
    });
  return `${JSON.stringify(
    {
      ...(de ? {} : { dataElementIdScheme: 'CODE' }),
      ...(ou ? {} : { orgUnitIdScheme: 'CODE' }),
      dataValues,
    },
    null,
    2,
  )}\n`;
}
