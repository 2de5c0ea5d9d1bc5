/**
 * Numbers, units, dates and periods for the user's locale. Values come in base units (yuan, persons;
 * shares and rates as fractions); the plan's unit says how to show them (万元, 亿元, %).
 */
import { UNITS, type UnitDefinition } from '../../src/domain/units.js';
import type { Locale } from './i18n';

const intl = (locale: Locale) => (locale === 'en' ? 'en-US' : 'zh-CN');

export function formatNumber(value: number | null | undefined, locale: Locale, digits?: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const d = digits ?? (Math.abs(value) >= 1000 ? 0 : Math.abs(value) >= 10 ? 1 : 2);
  return new Intl.NumberFormat(intl(locale), { maximumFractionDigits: d, minimumFractionDigits: 0 }).format(value);
}

/**
 * A value in its plan unit (src/domain/units.ts): shares and rates as %, display scales applied
 * (万人, 亿元), and plain yuan amounts shortened to 万元 / 亿元 in Chinese (k / m / bn in English).
 */
export function formatValue(value: number | null | undefined, unit: string | null | undefined, locale: Locale): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const def = unit ? (UNITS as Record<string, UnitDefinition>)[unit] : undefined;
  if (!def) return unit ? `${formatNumber(value, locale)} ${unit}` : formatNumber(value, locale);
  if (def.kind === 'share' || def.kind === 'rate') {
    const pct = value * 100;
    return `${formatNumber(pct, locale, Math.abs(pct) >= 100 ? 0 : 1)}%`;
  }
  if (unit === 'yuan') {
    const abs = Math.abs(value);
    if (locale === 'zh-CN') {
      if (abs >= 1e8) return `${formatNumber(value / 1e8, locale, 2)}亿元`;
      if (abs >= 1e4) return `${formatNumber(value / 1e4, locale, 2)}万元`;
      return `${formatNumber(value, locale, 0)}元`;
    }
    if (abs >= 1e9) return `¥${formatNumber(value / 1e9, locale, 2)}bn`;
    if (abs >= 1e6) return `¥${formatNumber(value / 1e6, locale, 2)}m`;
    return `¥${formatNumber(value, locale, 0)}`;
  }
  const shown = value * (def.displayScale ?? 1);
  const n = formatNumber(shown, locale, def.kind === 'ratio' ? 2 : undefined);
  if (def.kind === 'ratio' && locale === 'en') return n;
  return locale === 'en' ? `${n} ${def.en}` : `${n}${def.zh}`;
}

/** The unit's label alone (for axes and table headers). */
export function unitLabel(unit: string | null | undefined, locale: Locale): string {
  const def = unit ? (UNITS as Record<string, UnitDefinition>)[unit] : undefined;
  if (!def) return unit ?? '';
  return locale === 'en' ? def.en : def.zh;
}

/** The number to plot for a stored value (display scale applied: 0.5 share → 50). */
export function displayNumber(value: number | null | undefined, unit: string | null | undefined): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  const def = unit ? (UNITS as Record<string, UnitDefinition>)[unit] : undefined;
  return value * (def?.displayScale ?? 1);
}

/** A 0–100 score or index. */
export const formatScore = (value: number | null | undefined, locale: Locale) => formatNumber(value, locale, 1);

export function formatPercent(fraction: number | null | undefined, locale: Locale, digits = 0): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '—';
  return new Intl.NumberFormat(intl(locale), { style: 'percent', maximumFractionDigits: digits }).format(fraction);
}

export function formatDate(value: string | Date | null | undefined, locale: Locale, withTime = false): string {
  if (!value) return '—';
  const d =
    typeof value === 'string'
      ? new Date(value.includes('T') || value.includes(' ') ? value.replace(' ', 'T') : value)
      : value;
  if (Number.isNaN(d.getTime())) return String(value);
  return new Intl.DateTimeFormat(intl(locale), {
    year: 'numeric',
    month: locale === 'en' ? 'short' : '2-digit',
    day: '2-digit',
    ...(withTime && { hour: '2-digit', minute: '2-digit' }),
  }).format(d);
}

/** A period code ('2024', '2024Q3', '2024-07' / '2024M07', '2024H1') in words. */
export function formatPeriod(period: string | number | null | undefined, locale: Locale): string {
  if (period === null || period === undefined || period === '') return '—';
  const p = String(period);
  let m = /^(\d{4})$/.exec(p);
  if (m) return locale === 'en' ? m[1]! : `${m[1]}年`;
  m = /^(\d{4})-?Q([1-4])$/i.exec(p);
  if (m) return locale === 'en' ? `Q${m[2]} ${m[1]}` : `${m[1]}年第${m[2]}季度`;
  m = /^(\d{4})-?H([12])$/i.exec(p);
  if (m) return locale === 'en' ? `H${m[2]} ${m[1]}` : `${m[1]}年${m[2] === '1' ? '上' : '下'}半年`;
  m = /^(\d{4})-?M?(\d{2})$/i.exec(p);
  if (m) {
    if (locale === 'en')
      return new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short' }).format(
        new Date(Number(m[1]), Number(m[2]) - 1, 1),
      );
    return `${m[1]}年${Number(m[2])}月`;
  }
  return p;
}

/** Signed change of rank: ▲2, ▼1, –. Positive = moved up. */
export function formatRankChange(change: number | null | undefined): string {
  if (change === null || change === undefined || !Number.isFinite(change)) return '–';
  if (change > 0) return `▲${change}`;
  if (change < 0) return `▼${-change}`;
  return '=';
}

/** The class that colours a change of rank: up, down, or neither (no change, no rank). */
export function rankChangeClass(change: number | null | undefined): 'rank-up' | 'rank-down' | 'muted' {
  if (change && change > 0) return 'rank-up';
  if (change && change < 0) return 'rank-down';
  return 'muted';
}
