/**
 * Periods: a year `2024`, a quarter `2024Q3` or a month `202407` (ISO-like ids, the form stored and
 * shown everywhere). Parsing with errors that say how to write the period, formatting, ordering,
 * arithmetic within a type (next, previous, shift, same period last year), conversion between types
 * (the quarter of a month, the months of a quarter), ranges, an integer index per type for columnar
 * storage, and the latest complete period at a given moment.
 *
 * Conventions:
 * - Years have four digits (1000–9999); anything that would leave that range is a RangeError.
 * - A period covers whole calendar months: it starts at 00:00 on its first day and ends at 00:00 on
 *   the first day of the next period (a half-open interval).
 * - Periods of one type are ordered by time. Periods of different types are ordered by their first
 *   month, then the longer first (2024 < 2024Q1 < 202401 < 202402), as in a calendar's outline.
 * - Functions take a `Period` or its id (`'2024Q3'`), and return `Period` objects.
 */
import { PERIODICITIES } from './plan.js';

export const PERIOD_TYPES = PERIODICITIES;
export type PeriodType = (typeof PERIODICITIES)[number];

export type Period =
  | { readonly type: 'year'; readonly year: number }
  | { readonly type: 'quarter'; readonly year: number; readonly quarter: number }
  | { readonly type: 'month'; readonly year: number; readonly month: number };

/** A period or its id. */
export type PeriodInput = Period | string;

export const MIN_YEAR = 1000;
export const MAX_YEAR = 9999;

/** Periods of a type in one year. */
export const PERIODS_PER_YEAR: Readonly<Record<PeriodType, number>> = { year: 1, quarter: 4, month: 12 };
/** Months in one period of a type. */
export const MONTHS_PER_PERIOD: Readonly<Record<PeriodType, number>> = { year: 12, quarter: 3, month: 1 };
/** How long a type is, for ordering and for "coarser than": year 2, quarter 1, month 0. */
const COARSENESS: Readonly<Record<PeriodType, number>> = { year: 2, quarter: 1, month: 0 };

/** A string that is not a period id; the message says how to write it. */
export class PeriodError extends RangeError {
  override name = 'PeriodError';
  constructor(
    message: string,
    readonly input: string,
  ) {
    super(message);
  }
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const CHINESE_QUARTERS: Readonly<Record<string, number>> = {
  一: 1,
  二: 2,
  三: 3,
  四: 4,
  '1': 1,
  '2': 2,
  '3': 3,
  '4': 4,
};
const HOW_TO_WRITE = 'write a year (2024), a quarter (2024Q3) or a month (202407)';

/** Why `id` is not a period id, or undefined when it is one. */
function periodIdProblem(id: string): string | undefined {
  let m: RegExpExecArray | null;
  if (/^0\d{3}/.test(id)) return `'${id}' does not start with a year: years are ${MIN_YEAR}–${MAX_YEAR}`;
  if (/^\d{4}$/.test(id)) return undefined;
  if ((m = /^(\d{4})Q(\d+)$/.exec(id))) {
    const q = Number(m[2]);
    return m[2]!.length === 1 && q >= 1 && q <= 4
      ? undefined
      : `'${id}' is not a quarter: quarters are 1–4 (2024Q1 … 2024Q4)`;
  }
  if ((m = /^(\d{4})(\d{2})$/.exec(id))) {
    const month = Number(m[2]);
    return month >= 1 && month <= 12 ? undefined : `'${id}' is not a month: months are 01–12 (202401 … 202412)`;
  }
  if (id.trim() === '') return `the period is empty: ${HOW_TO_WRITE}`;
  if (id !== id.trim()) return `'${id}' has spaces around it: write '${id.trim()}'`;
  // Common ways of writing a month: 2024-07, 2024/7, 2024.07, 2024M07, 2024-M07 (SDMX), 2024年7月.
  if ((m = /^(\d{4})(?:[-/.]|-?M|年)(\d{1,2})月?$/i.exec(id))) {
    const month = Number(m[2]);
    if (month < 1 || month > 12) return `'${id}' is not a month: months are 01–12`;
    return `'${id}' is not a period id: months are written ${m[1]}${pad2(month)} (year and two-digit month, no separator)`;
  }
  // … and a quarter: 2024-Q3 (SDMX), 2024q3, 2024 Q3, 2024年第三季度, 2024年3季度.
  if ((m = /^(\d{4})(?:[-_ ]?[Qq]|年第?)([0-9一二三四])(?:季度)?$/.exec(id))) {
    const q = CHINESE_QUARTERS[m[2]!];
    if (q === undefined) return `'${id}' is not a quarter: quarters are 1–4`;
    return `'${id}' is not a period id: quarters are written ${m[1]}Q${q}`;
  }
  if ((m = /^(\d{4})(\d)$/.exec(id))) return `'${id}' is not a period id: a month has two digits, ${m[1]}0${m[2]}`;
  if ((m = /^(\d{4})年(?:度)?$/.exec(id))) return `'${id}' is not a period id: years are written ${m[1]}`;
  if ((m = /^(\d{4})[-/.]?(\d{2})[-/.]?(\d{2})$/.exec(id)))
    return `'${id}' is a day; a period is a year, a quarter or a month: the month is ${m[1]}${m[2]}`;
  if (/^\d{1,3}$/.test(id)) return `'${id}' is not a year: years have four digits (2024)`;
  return `'${id}' is not a period: ${HOW_TO_WRITE}`;
}

/** Parses a period id; throws a PeriodError that says how to write it. */
export function parsePeriod(id: string): Period {
  const problem = periodIdProblem(id);
  if (problem !== undefined) throw new PeriodError(problem, id);
  const y = Number(id.slice(0, 4));
  if (id.length === 4) return { type: 'year', year: y };
  if (id[4] === 'Q') return { type: 'quarter', year: y, quarter: Number(id[5]) };
  return { type: 'month', year: y, month: Number(id.slice(4, 6)) };
}

/** Parses a period id without throwing: the period, or the message that says what is wrong. */
export function safeParsePeriod(id: string): { ok: true; period: Period } | { ok: false; message: string } {
  const problem = periodIdProblem(id);
  return problem === undefined ? { ok: true, period: parsePeriod(id) } : { ok: false, message: problem };
}

export function isPeriodId(id: string): boolean {
  return periodIdProblem(id) === undefined;
}

const toPeriod = (p: PeriodInput): Period => (typeof p === 'string' ? parsePeriod(p) : p);

/** The id: `2024`, `2024Q3`, `202407`. */
export function formatPeriod(period: PeriodInput): string {
  const p = toPeriod(period);
  switch (p.type) {
    case 'year':
      return String(p.year);
    case 'quarter':
      return `${p.year}Q${p.quarter}`;
    case 'month':
      return `${p.year}${pad2(p.month)}`;
  }
}

export function periodType(period: PeriodInput): PeriodType {
  return toPeriod(period).type;
}

export function yearOf(period: PeriodInput): number {
  return toPeriod(period).year;
}

/** The quarter (1–4) or month (1–12) within the year; 1 for a year. */
function partOf(p: Period): number {
  switch (p.type) {
    case 'year':
      return 1;
    case 'quarter':
      return p.quarter;
    case 'month':
      return p.month;
  }
}

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR)
    throw new RangeError(`year ${year} is out of range: periods have four-digit years (${MIN_YEAR}–${MAX_YEAR})`);
}

/** A period from its type, year and part (quarter 1–4, month 1–12; ignored for a year). */
export function makePeriod(type: PeriodType, year: number, part = 1): Period {
  checkYear(year);
  const perYear = PERIODS_PER_YEAR[type];
  if (!Number.isInteger(part) || part < 1 || part > perYear)
    throw new RangeError(`${type} ${part} is out of range: ${type}s are 1–${perYear}`);
  switch (type) {
    case 'year':
      return { type, year };
    case 'quarter':
      return { type, year, quarter: part };
    case 'month':
      return { type, year, month: part };
  }
}

/**
 * An integer per period, consecutive within a type, for columnar storage: years since year 0 for a
 * year (= the year), quarters since year 0 (year·4 + quarter − 1), months since year 0 (year·12 +
 * month − 1). Indices of different types are not comparable.
 */
export function periodIndex(period: PeriodInput): number {
  const p = toPeriod(period);
  return p.year * PERIODS_PER_YEAR[p.type] + partOf(p) - 1;
}

/** The inverse of `periodIndex`. */
export function periodFromIndex(type: PeriodType, index: number): Period {
  if (!Number.isInteger(index)) throw new RangeError(`a period index is an integer, not ${index}`);
  const perYear = PERIODS_PER_YEAR[type];
  const year = Math.floor(index / perYear);
  return makePeriod(type, year, index - year * perYear + 1);
}

/** Months since year 0 of the first month of the period. */
function startMonthIndex(p: Period): number {
  return p.year * 12 + (partOf(p) - 1) * MONTHS_PER_PERIOD[p.type];
}

/** The first month of the period. */
export function startMonth(period: PeriodInput): Period {
  return periodFromIndex('month', startMonthIndex(toPeriod(period)));
}

/** The last month of the period (202409 for 2024Q3, 202412 for 2024). */
export function endMonth(period: PeriodInput): Period {
  const p = toPeriod(period);
  return periodFromIndex('month', startMonthIndex(p) + MONTHS_PER_PERIOD[p.type] - 1);
}

/**
 * Orders periods: by time within a type; across types by first month, then the longer first.
 * Negative, zero or positive, for `Array.prototype.sort`.
 */
export function comparePeriods(a: PeriodInput, b: PeriodInput): number {
  const pa = toPeriod(a);
  const pb = toPeriod(b);
  if (pa.type === pb.type) return periodIndex(pa) - periodIndex(pb);
  return startMonthIndex(pa) - startMonthIndex(pb) || COARSENESS[pb.type] - COARSENESS[pa.type];
}

export function samePeriod(a: PeriodInput, b: PeriodInput): boolean {
  const pa = toPeriod(a);
  const pb = toPeriod(b);
  return pa.type === pb.type && periodIndex(pa) === periodIndex(pb);
}

/** The period n periods of the same type later (n < 0: earlier). */
export function shiftPeriod(period: PeriodInput, n: number): Period {
  if (!Number.isInteger(n)) throw new RangeError(`a period shift is a whole number, not ${n}`);
  const p = toPeriod(period);
  return periodFromIndex(p.type, periodIndex(p) + n);
}

export function nextPeriod(period: PeriodInput): Period {
  return shiftPeriod(period, 1);
}

export function previousPeriod(period: PeriodInput): Period {
  return shiftPeriod(period, -1);
}

/** The same quarter or month a year earlier (同期); the previous year for a year. */
export function samePeriodLastYear(period: PeriodInput): Period {
  const p = toPeriod(period);
  return shiftPeriod(p, -PERIODS_PER_YEAR[p.type]);
}

/** The periods of a type in a year, in order. */
export function periodsOfYear(year: number, type: PeriodType): Period[] {
  const first = periodIndex(makePeriod(type, year));
  return Array.from({ length: PERIODS_PER_YEAR[type] }, (_, i) => periodFromIndex(type, first + i));
}

/** Is `type` the same as or longer than `than`? (year ⊇ quarter ⊇ month) */
export function isCoarserOrSame(type: PeriodType, than: PeriodType): boolean {
  return COARSENESS[type] >= COARSENESS[than];
}

/**
 * The period of a coarser (or the same) type that contains this one: the quarter of a month
 * (202407 → 2024Q3), the year of a quarter. A finer type is a RangeError: use `subPeriods`.
 */
export function containingPeriod(period: PeriodInput, type: PeriodType): Period {
  const p = toPeriod(period);
  if (!isCoarserOrSame(type, p.type))
    throw new RangeError(`a ${p.type} is not inside one ${type}: list its ${type}s with subPeriods`);
  return periodFromIndex(type, Math.floor(startMonthIndex(p) / MONTHS_PER_PERIOD[type]));
}

/**
 * The periods of a finer (or the same) type that make up this one, in order: the months of a quarter
 * (2024Q3 → 202407, 202408, 202409). A coarser type is a RangeError: use `containingPeriod`.
 */
export function subPeriods(period: PeriodInput, type: PeriodType): Period[] {
  const p = toPeriod(period);
  if (!isCoarserOrSame(p.type, type))
    throw new RangeError(`a ${p.type} is part of a ${type}, not made of them: use containingPeriod`);
  const per = MONTHS_PER_PERIOD[p.type] / MONTHS_PER_PERIOD[type];
  const first = startMonthIndex(p) / MONTHS_PER_PERIOD[type];
  return Array.from({ length: per }, (_, i) => periodFromIndex(type, first + i));
}

/** Does `outer` contain `inner` (a period contains itself)? */
export function periodContains(outer: PeriodInput, inner: PeriodInput): boolean {
  const o = toPeriod(outer);
  const i = toPeriod(inner);
  return isCoarserOrSame(o.type, i.type) && samePeriod(containingPeriod(i, o.type), o);
}

/**
 * Every period from `from` to `to`, both included, in order; empty when `to` comes before `from`.
 * Both ends must be of the same type.
 */
export function periodRange(from: PeriodInput, to: PeriodInput): Period[] {
  const a = toPeriod(from);
  const b = toPeriod(to);
  if (a.type !== b.type)
    throw new RangeError(`a range runs between periods of one type, not from a ${a.type} to a ${b.type}`);
  const start = periodIndex(a);
  const length = Math.max(0, periodIndex(b) - start + 1);
  return Array.from({ length }, (_, i) => periodFromIndex(a.type, start + i));
}

/**
 * The period axis of a columnar matrix: `length` consecutive periods of one type from the one with
 * index `start` (see `periodIndex`). Column j is `periodFromIndex(type, start + j)`.
 */
export interface PeriodAxis {
  readonly type: PeriodType;
  readonly start: number;
  readonly length: number;
}

/** The axis from `from` to `to`, both included. */
export function periodAxis(from: PeriodInput, to: PeriodInput): PeriodAxis {
  const a = toPeriod(from);
  const b = toPeriod(to);
  if (a.type !== b.type) throw new RangeError(`an axis has periods of one type, not a ${a.type} and a ${b.type}`);
  if (comparePeriods(a, b) > 0) throw new RangeError(`an axis cannot end (${formatPeriod(b)}) before it starts`);
  return { type: a.type, start: periodIndex(a), length: periodIndex(b) - periodIndex(a) + 1 };
}

/** The period of column j of an axis. */
export function axisPeriod(axis: PeriodAxis, column: number): Period {
  if (!Number.isInteger(column) || column < 0 || column >= axis.length)
    throw new RangeError(`column ${column} is outside the axis (0–${axis.length - 1})`);
  return periodFromIndex(axis.type, axis.start + column);
}

/** The column of a period on an axis, or −1 when the axis does not hold it (other type, outside). */
export function axisColumn(axis: PeriodAxis, period: PeriodInput): number {
  const p = toPeriod(period);
  if (p.type !== axis.type) return -1;
  const j = periodIndex(p) - axis.start;
  return j >= 0 && j < axis.length ? j : -1;
}

const monthFormatters = new Map<string, Intl.DateTimeFormat>();

/** Calendar year and month (1–12) of an instant in a time zone (IANA name), or in local time. */
function calendarMonth(date: Date, timeZone: string | undefined): { year: number; month: number } {
  if (Number.isNaN(date.getTime())) throw new RangeError('the date is not a valid Date');
  if (timeZone === undefined) return { year: date.getFullYear(), month: date.getMonth() + 1 };
  let fmt = monthFormatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric' });
    monthFormatters.set(timeZone, fmt);
  }
  const parts = fmt.formatToParts(date);
  const get = (t: string) => Number(parts.find((x) => x.type === t)?.value);
  return { year: get('year'), month: get('month') };
}

/**
 * The period of a type that contains an instant, by the calendar of `timeZone` (an IANA name such as
 * 'Asia/Shanghai'; default: the process's local time zone, which tests pin with TZ).
 */
export function periodContaining(type: PeriodType, date: Date, timeZone?: string): Period {
  const { year, month } = calendarMonth(date, timeZone);
  return containingPeriod(makePeriod('month', year, month), type);
}

/**
 * The latest period of a type that has ended by `date` (its end ≤ date): on 2024-08-15 the latest
 * complete month is 202407, quarter 2024Q2, year 2023; at 2024-07-01 00:00 exactly, June has ended.
 * The calendar is that of `timeZone` (default: local time), as in `periodContaining`.
 */
export function latestCompletePeriod(type: PeriodType, date: Date, timeZone?: string): Period {
  return previousPeriod(periodContaining(type, date, timeZone));
}
