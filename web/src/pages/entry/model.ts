/**
 * The entry form's logic, apart from React: what the server sends (GET /data/form), how a typed cell
 * becomes a number (the same reader as the Excel template: `73.5%` → 0.735 for rates only), which
 * rows changed, and where the server's issues belong. Messages for cells the browser cannot send at
 * all (not a number) come from the server's own message table, so they read the same as the server's.
 */
import { messages } from '../../../../src/domain/data.js';
import { UNITS, storedUnitLabel, type UnitDefinition } from '../../../../src/domain/units.js';
import { parsePercentAware } from '../../../../src/ingest/number.js';
/** The app's languages (i18n.tsx Locale); not imported, so that this file also runs under Node in tests. */
type Locale = 'zh-CN' | 'en';

export type ValueStatus = 'draft' | 'submitted' | 'approved' | 'returned';

/** An issue as the server reports it (src/domain/data.ts Issue). */
export interface Issue {
  code: string;
  severity: 'error' | 'warning';
  message: { zh: string; en: string };
  file?: string;
  sheet?: string;
  row?: number;
  column?: string;
  indicator?: string;
  orgUnit?: string;
  period?: string;
}

export interface FormRow {
  indicator: {
    code: string;
    name: { zh: string; en: string };
    unit: string;
    direction: 'up' | 'down';
    bounds?: { min?: number; max?: number };
  };
  previous: { period: string; value: number | null } | null;
  target: string | null;
  current: {
    value: number | null;
    status: ValueStatus;
    comment: string | null;
    synthetic: boolean;
    revision: number;
  } | null;
  issues: Issue[];
}

export interface EntryForm {
  orgUnit: { code: string; name: string; level: string };
  period: string;
  status: ValueStatus;
  locked: boolean;
  rows: FormRow[];
}

export interface ReturnEvent {
  action: 'submit' | 'approve' | 'return' | 'unlock' | string;
  reason: string | null;
  by: string | null;
  at: string;
}

export interface ReturnState {
  orgUnit: string;
  period: string;
  status: ValueStatus;
  locked: boolean;
  events?: ReturnEvent[];
}

/** What the reporter has typed in one row. */
export interface Draft {
  text: string;
  comment: string;
  confirm: boolean;
}

export const unitDef = (unit: string): UnitDefinition | undefined => (UNITS as Record<string, UnitDefinition>)[unit];
const isRate = (unit: string) => {
  const kind = unitDef(unit)?.kind;
  return kind === 'share' || kind === 'rate';
};

/** The label of the unit the reporter types in: the stored unit (元, 人), or % for rates. */
export function entryUnitLabel(unit: string, locale: Locale): string {
  return storedUnitLabel(unitDef(unit), locale === 'en' ? 'en' : 'zh');
}

/** Trims binary noise: 0.735 * 100 is 73.50000000000001 in doubles. */
const clean = (n: number) => Number(n.toPrecision(12));

/** Groups by three with commas, the way the number reader (and an office) writes it: 260,382,000,000. */
const grouped = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 10, useGrouping: true });

/** A stored number as the reporter types it: rates as a percentage (0.735 → "73.5%"), others grouped. */
export function toInputText(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined) return '';
  return isRate(unit) ? `${grouped(clean(value * 100))}%` : grouped(clean(value));
}

/** A stored number for reading beside the cell, grouped (61,000; 73.5%), in the same unit as the cell. */
export function toDisplayText(value: number | null | undefined, unit: string, locale: Locale): string {
  if (value === null || value === undefined) return '—';
  const n = isRate(unit) ? clean(value * 100) : clean(value);
  const text = new Intl.NumberFormat(locale === 'en' ? 'en-US' : 'zh-CN', { maximumFractionDigits: 6 }).format(n);
  return isRate(unit) ? `${text}%` : text;
}

export type Parsed = { ok: true; value: number | null } | { ok: false; issue: Issue };

/** Reads a typed cell the way the Excel template is read; a cell that is not a number gets the server's message. */
export function parseInput(text: string, row: FormRow): Parsed {
  const p = parsePercentAware(text, unitDef(row.indicator.unit)?.kind);
  if (p.ok) return { ok: true, value: p.value };
  const percent = p.reason === 'percent_not_allowed';
  return {
    ok: false,
    issue: {
      code: percent ? 'percent_not_allowed' : 'not_a_number',
      severity: 'error',
      message: percent ? messages.percentNotAllowed(p.text) : messages.notANumber(p.text),
      indicator: row.indicator.code,
    },
  };
}

export function initialDraft(row: FormRow): Draft {
  return {
    text: toInputText(row.current?.value, row.indicator.unit),
    comment: row.current?.comment ?? '',
    confirm: false,
  };
}

/** Has the reporter changed this row since it was loaded? */
export function isDirty(row: FormRow, draft: Draft | undefined): boolean {
  if (!draft) return false;
  const first = initialDraft(row);
  if (draft.confirm) return true;
  if (draft.comment.trim() !== first.comment.trim()) return true;
  if (draft.text.trim() === first.text.trim()) return false;
  // "61000" and "61,000" are the same number: only a different number is a change.
  const a = parseInput(draft.text, row);
  const b = parseInput(first.text, row);
  return !(a.ok && b.ok && a.value === b.value);
}

export interface ValueToSave {
  indicator: string;
  orgUnit: string;
  period: string;
  value: number | null;
  comment?: string;
  confirmOutlier?: boolean;
}

/**
 * The values to send for the changed rows, or the cells that cannot be sent at all (by indicator).
 * A cleared cell of a saved value is sent as missing (null), which the server accepts with a comment.
 */
export function buildSave(
  form: EntryForm,
  drafts: Readonly<Record<string, Draft>>,
): { values: ValueToSave[]; errors: Map<string, Issue[]> } {
  const values: ValueToSave[] = [];
  const errors = new Map<string, Issue[]>();
  for (const row of form.rows) {
    const draft = drafts[row.indicator.code];
    if (!draft || !isDirty(row, draft)) continue;
    const parsed = parseInput(draft.text, row);
    if (!parsed.ok) {
      errors.set(row.indicator.code, [parsed.issue]);
      continue;
    }
    const comment = draft.comment.trim();
    values.push({
      indicator: row.indicator.code,
      orgUnit: form.orgUnit.code,
      period: form.period,
      value: parsed.value,
      ...(comment && { comment }),
      ...(draft.confirm && { confirmOutlier: true }),
    });
  }
  return { values, errors };
}

/** The server's issues by indicator; those about no row in particular under ''. */
export function issuesByIndicator(issues: readonly Issue[] | undefined, form: EntryForm): Map<string, Issue[]> {
  const codes = new Set(form.rows.map((r) => r.indicator.code));
  const out = new Map<string, Issue[]>();
  for (const issue of issues ?? []) {
    const k = issue.indicator && codes.has(issue.indicator) ? issue.indicator : '';
    out.set(k, [...(out.get(k) ?? []), issue]);
  }
  return out;
}

/** The issues carried by an API error's details (the server sends them as an array). */
export function issuesOf(details: unknown): Issue[] {
  if (Array.isArray(details)) return details.filter((d): d is Issue => !!d && typeof d === 'object' && 'message' in d);
  return [];
}

export const issueText = (issue: Issue, locale: Locale) => (locale === 'en' ? issue.message.en : issue.message.zh);

const OPS: Record<string, { zh: string; en: string }> = {
  '>=': { zh: '≥', en: '≥' },
  '>': { zh: '>', en: '>' },
  '<=': { zh: '≤', en: '≤' },
  '<': { zh: '<', en: '<' },
  '~': { zh: '约', en: '≈' },
};

/**
 * The target as the server describes it (services/data.ts describeTarget: ">= 75000 (2025)",
 * ">= 15%/yr", ">= 30 every year", "rising every year") in the reader's language and the cell's
 * unit. Anything else is shown as it came.
 */
export function localizeTarget(text: string | null, unit: string, locale: Locale): string {
  if (!text) return '—';
  const zh = locale !== 'en';
  const op = (o: string) => (OPS[o] ? (zh ? OPS[o].zh : OPS[o].en) : o);
  const num = (n: string) => toDisplayText(Number(n), unit, locale);
  let m = /^(>=|>|<=|<|~) (-?[\d.e+-]+)(?: ± ([\d.e+-]+))? \((\d{4})\)$/.exec(text);
  if (m) {
    const tol = m[3] ? ` ± ${num(m[3])}` : '';
    return zh ? `${m[4]}年${op(m[1]!)} ${num(m[2]!)}${tol}` : `${op(m[1]!)} ${num(m[2]!)}${tol} by ${m[4]}`;
  }
  m = /^(>=|>|<=|<|~) (-?[\d.]+)%\/yr$/.exec(text);
  if (m) return zh ? `年均增长${op(m[1]!)} ${m[2]}%` : `growth ${op(m[1]!)} ${m[2]}% a year`;
  m = /^(>=|>|<=|<|~) \+(-?[\d.e+-]+)\/yr$/.exec(text);
  if (m) return zh ? `年均增加${op(m[1]!)} ${num(m[2]!)}` : `${op(m[1]!)} +${num(m[2]!)} a year`;
  m = /^(>=|>|<=|<|~) (-?[\d.e+-]+) every year$/.exec(text);
  if (m) return zh ? `每年${op(m[1]!)} ${num(m[2]!)}` : `${op(m[1]!)} ${num(m[2]!)} every year`;
  m = /^(>=|>|<=|<|~) (-?[\d.e+-]+) in total by (\d{4})$/.exec(text);
  if (m) return zh ? `至${m[3]}年累计${op(m[1]!)} ${num(m[2]!)}` : `${op(m[1]!)} ${num(m[2]!)} in total by ${m[3]}`;
  if (text === 'rising every year') return zh ? '逐年上升' : text;
  if (text === 'falling every year') return zh ? '逐年下降' : text;
  return text;
}

/** Relative change from last period, for a hint beside the cell (null when it cannot be said). */
export function changeFromPrevious(value: number | null, previous: number | null | undefined): number | null {
  if (value === null || previous === null || previous === undefined || previous === 0) return null;
  return (value - previous) / Math.abs(previous);
}
