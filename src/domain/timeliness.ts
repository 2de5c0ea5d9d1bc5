/**
 * When a figure is due: the end of its period plus the indicator's release lag (annual figures by
 * the end of March, quarterly ones six weeks after the quarter, monthly ones in about three weeks).
 */
import { endMonth, type PeriodInput } from './period.js';
import type { Indicator } from './plan.js';

export const DEFAULT_RELEASE_LAG_DAYS: Record<Indicator['periodicity'], number> = { year: 90, quarter: 45, month: 25 };

export function releaseLagDays(indicator: Pick<Indicator, 'periodicity' | 'releaseLagDays'>): number {
  return indicator.releaseLagDays ?? DEFAULT_RELEASE_LAG_DAYS[indicator.periodicity];
}

/** The instant (UTC) after which a figure for `period` is overdue. */
export function dueDate(period: PeriodInput, lagDays: number): Date {
  const last = endMonth(period);
  if (last.type !== 'month') throw new Error('endMonth returns a month');
  // Day 1 of the month after the period's last month, at 00:00 UTC, plus the lag.
  return new Date(Date.UTC(last.year, last.month, 1) + lagDays * 86_400_000);
}
