/**
 * Which period the entry page offers: the latest complete one of the chosen periodicity (a year
 * opens on last year, not the running one), the running one allowed (the server warns
 * period_not_ended), periods not begun refused (period_not_started). The rule of src/domain/period.ts
 * (periodContaining, latestCompletePeriod) on period ids in the browser's calendar, written out here
 * because that module brings the plan schema (zod) into the bundle; test/entry-period.test.ts holds
 * the two equal.
 */
export type Periodicity = 'year' | 'quarter' | 'month';

const pad2 = (n: number) => String(n).padStart(2, '0');

/** The periodicity of an id: 2024, 2024Q3, 202407. */
export function periodicityOf(period: string): Periodicity {
  return /^\d{4}Q[1-4]$/.test(period) ? 'quarter' : /^\d{6}$/.test(period) ? 'month' : 'year';
}

/** The period of a periodicity that `date` lies in (local time). */
export function periodContaining(type: Periodicity, date: Date): string {
  const year = date.getFullYear();
  const month = date.getMonth() + 1;
  if (type === 'year') return String(year);
  if (type === 'quarter') return `${year}Q${Math.ceil(month / 3)}`;
  return `${year}${pad2(month)}`;
}

/** The period before one. */
export function previousPeriod(period: string): string {
  const year = Number(period.slice(0, 4));
  const type = periodicityOf(period);
  if (type === 'year') return String(year - 1);
  if (type === 'quarter') {
    const q = Number(period[5]);
    return q === 1 ? `${year - 1}Q4` : `${year}Q${q - 1}`;
  }
  const m = Number(period.slice(4, 6));
  return m === 1 ? `${year - 1}12` : `${year}${pad2(m - 1)}`;
}

/** The latest period of a periodicity that has ended by `date`. */
export function latestCompletePeriod(type: Periodicity, date: Date): string {
  return previousPeriod(periodContaining(type, date));
}

/** Ids of one periodicity compare as strings (same length, year first). */
export function hasBegun(period: string, now: Date): boolean {
  return period <= periodContaining(periodicityOf(period), now);
}

export function hasEnded(period: string, now: Date): boolean {
  return period <= latestCompletePeriod(periodicityOf(period), now);
}

/** The period of `type` in `year` with the part (quarter or month) of `like`, or the year's first; not later than the running one. */
export function periodIn(type: Periodicity, year: string, part: string, now: Date): string {
  const candidate =
    type === 'year'
      ? year
      : type === 'quarter'
        ? `${year}${/^Q[1-4]$/.test(part) ? part : 'Q1'}`
        : `${year}${/^\d{2}$/.test(part) ? part : '01'}`;
  const running = periodContaining(type, now);
  return candidate > running ? running : candidate;
}
