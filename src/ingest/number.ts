/**
 * Numbers as they come out of spreadsheets and CSV files typed in offices.
 *
 * Conventions:
 * - A number stays the number it is: `1,234.5`, `1，234`, `１２３`, `+5`, ` 42 `, `1.2E+05` (Excel's CSV of
 *   a wide column) are read as written. Thousands separators must group by three (`12,34` is not a
 *   number: it is more likely a mistyped decimal than a thousands group).
 * - A percent sign divides by 100 (`73.5%` → 0.735, `８％` → 0.08), computed on the decimal text so that
 *   `1.1%` gives exactly the double of `0.011`. Without a sign nothing is divided: a share typed as
 *   73.5 stays 73.5, and validation says that rates lie between 0 and 1. Guessing would turn a genuine
 *   0.9 (0.9 %) into a wrong 0.009 or leave 90 as 90 depending on a threshold.
 * - The marks offices use for "no figure" (`""`, `-`, `—`, `——`, `－`, `/`, `\`) are missing (null), never
 *   zero. Whether a missing value is acceptable (it needs a comment) is validation's call.
 * - Anything else — a word, `约100`, `1.2.3`, `98000元`, a date, a formula error — is not a number, and
 *   the text comes back for the message.
 */
import type { UnitDefinition } from '../domain/units.js';

export type UnitKind = UnitDefinition['kind'];

export type CellNumber =
  | { ok: true; value: number | null }
  | {
      ok: false;
      text: string;
      /** Why, where it is not simply "not a number": a percentage for an indicator that is not a rate. */
      reason?: 'percent_not_allowed';
    };

/** What the text of a cell holds: a number (and whether it carried a % sign), a missing mark, or neither. */
type Parsed = { kind: 'number'; value: number; percent: boolean } | { kind: 'missing' } | { kind: 'invalid' };

/** The marks for "no figure", after NFKC (full-width － and ／ become - and /). */
const MISSING_MARKS = new Set(['', '-', '--', '—', '——', '–', '/', '\\']);

/**
 * sign, integer part (plain or grouped by three with commas), fraction, exponent, percent sign.
 * Either the integer part or the fraction must have a digit.
 */
const NUMBER = /^([+-])?\s*(?:(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d*))?|\.(\d+))(?:[eE]([+-]?\d{1,3}))?\s*(%)?$/;

function parseText(raw: string): Parsed {
  // NFKC folds full-width digits, signs, commas, the percent sign and the ideographic space.
  const text = raw
    .normalize('NFKC')
    .replace(/[\u2212\uFE63]/g, '-') // minus sign, small hyphen-minus
    .trim();
  if (MISSING_MARKS.has(text)) return { kind: 'missing' };
  const m = NUMBER.exec(text);
  if (!m) return { kind: 'invalid' };
  const [, sign = '', int, frac, fracOnly, exp, percent] = m;
  const mantissa = `${sign}${int !== undefined ? int.replace(/,/g, '') : '0'}.${frac ?? fracOnly ?? ''}0`;
  const exponent = Number(exp ?? 0) - (percent ? 2 : 0);
  // Number() of a decimal string is the nearest double: 73.5% → "73.50e-2" → 0.735 exactly as typed.
  const value = Number(`${mantissa}e${exponent}`);
  if (!Number.isFinite(value)) return { kind: 'invalid' };
  return { kind: 'number', value: Object.is(value, -0) ? 0 : value, percent: percent !== undefined };
}

/** The text of a cell that is not a plain number or string, or undefined for one that has none. */
function cellText(cell: object): string | undefined {
  const c = cell as Record<string, unknown>;
  if (Array.isArray(c.richText))
    return (c.richText as { text?: unknown }[]).map((r) => (typeof r.text === 'string' ? r.text : '')).join('');
  if (typeof c.text === 'string') return c.text; // hyperlink
  return undefined;
}

function dateText(d: Date): string {
  return Number.isNaN(d.getTime()) ? 'Invalid Date' : d.toISOString().slice(0, 10);
}

function parseCell(cell: unknown): Parsed & { text: string } {
  if (cell === null || cell === undefined) return { kind: 'missing', text: '' };
  if (typeof cell === 'number')
    return Number.isFinite(cell)
      ? { kind: 'number', value: Object.is(cell, -0) ? 0 : cell, percent: false, text: String(cell) }
      : { kind: 'invalid', text: String(cell) };
  if (typeof cell === 'string') return { ...parseText(cell), text: cell.trim() };
  if (typeof cell === 'bigint') {
    const n = Number(cell);
    return Number.isSafeInteger(n)
      ? { kind: 'number', value: n, percent: false, text: String(cell) }
      : { kind: 'invalid', text: String(cell) };
  }
  // A date in a number cell is an error: Excel turned "2024-07" or "7/1" into a date, or the value is in
  // the wrong column.
  if (cell instanceof Date) return { kind: 'invalid', text: dateText(cell) };
  if (typeof cell === 'object') {
    const c = cell as Record<string, unknown>;
    // A formula: its cached result counts; without one (never calculated) there is no figure to read.
    if ('formula' in c || 'sharedFormula' in c) {
      if (c.result === undefined || c.result === null) {
        const formula = typeof c.formula === 'string' ? c.formula : String(c.sharedFormula);
        return { kind: 'invalid', text: `=${formula}` };
      }
      return parseCell(c.result);
    }
    if (typeof c.error === 'string') return { kind: 'invalid', text: c.error }; // #DIV/0!, #N/A …
    const text = cellText(cell);
    if (text !== undefined) return { ...parseText(text), text: text.trim() };
  }
  return { kind: 'invalid', text: String(cell as string) };
}

/**
 * A cell's number: a JS number (ExcelJS numbers, formula results, rich text, hyperlinks are unwrapped),
 * or a string written the ways offices write numbers. `value: null` is a missing mark or an empty
 * cell. Not ok: the text, for a `not_a_number` message.
 */
export function parseCellNumber(cell: unknown): CellNumber {
  const p = parseCell(cell);
  switch (p.kind) {
    case 'number':
      return { ok: true, value: p.value };
    case 'missing':
      return { ok: true, value: null };
    case 'invalid':
      return { ok: false, text: p.text };
  }
}

/** Kinds whose numbers may be written as percentages. */
const PERCENT_KINDS: ReadonlySet<UnitKind> = new Set(['share', 'rate']);

/**
 * A cell's number for an indicator of a known unit kind. Only an explicit % sign converts: a share
 * typed as 73.5 stays 73.5, so that validation flags it ("rates lie between 0 and 1") instead of the
 * reader guessing. A percentage for an indicator that is not a share or rate (`5%` of a count) is
 * refused with `reason: 'percent_not_allowed'`. Without a kind this is `parseCellNumber`.
 */
export function parsePercentAware(cell: unknown, kind: UnitKind | undefined): CellNumber {
  const p = parseCell(cell);
  switch (p.kind) {
    case 'number':
      if (p.percent && kind !== undefined && !PERCENT_KINDS.has(kind))
        return { ok: false, text: p.text, reason: 'percent_not_allowed' };
      return { ok: true, value: p.value };
    case 'missing':
      return { ok: true, value: null };
    case 'invalid':
      return { ok: false, text: p.text };
  }
}
