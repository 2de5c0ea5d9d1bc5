import { describe, expect, it } from 'vitest';
import {
  PERIOD_TYPES,
  PeriodError,
  type Period,
  type PeriodType,
  axisColumn,
  axisPeriod,
  comparePeriods,
  containingPeriod,
  endMonth,
  formatPeriod,
  isPeriodId,
  latestCompletePeriod,
  makePeriod,
  nextPeriod,
  parsePeriod,
  periodAxis,
  periodContaining,
  periodContains,
  periodFromIndex,
  periodIndex,
  periodRange,
  periodType,
  periodsOfYear,
  previousPeriod,
  safeParsePeriod,
  samePeriod,
  samePeriodLastYear,
  shiftPeriod,
  startMonth,
  subPeriods,
  yearOf,
} from './period.js';

const ids = (ps: readonly Period[]) => ps.map((p) => formatPeriod(p));

/** One row per period type: a period of it and what the functions give, worked out by calendar. */
const BY_TYPE: Record<
  PeriodType,
  {
    id: string;
    period: Period;
    next: string;
    previous: string;
    lastYear: string;
    plus5: string;
    minus5: string;
    index: number;
    start: string;
    end: string;
    ofYear: string[];
  }
> = {
  year: {
    id: '2024',
    period: { type: 'year', year: 2024 },
    next: '2025',
    previous: '2023',
    lastYear: '2023',
    plus5: '2029',
    minus5: '2019',
    index: 2024,
    start: '202401',
    end: '202412',
    ofYear: ['2024'],
  },
  quarter: {
    id: '2024Q3',
    period: { type: 'quarter', year: 2024, quarter: 3 },
    next: '2024Q4',
    previous: '2024Q2',
    lastYear: '2023Q3',
    plus5: '2025Q4', // Q3 + 5 = Q4 of the next year
    minus5: '2023Q2',
    index: 2024 * 4 + 2,
    start: '202407',
    end: '202409',
    ofYear: ['2024Q1', '2024Q2', '2024Q3', '2024Q4'],
  },
  month: {
    id: '202407',
    period: { type: 'month', year: 2024, month: 7 },
    next: '202408',
    previous: '202406',
    lastYear: '202307',
    plus5: '202412',
    minus5: '202402',
    index: 2024 * 12 + 6,
    start: '202407',
    end: '202407',
    ofYear: Array.from({ length: 12 }, (_, i) => `2024${String(i + 1).padStart(2, '0')}`),
  },
};

describe.each(PERIOD_TYPES)('a %s', (type) => {
  const row = BY_TYPE[type];
  it('parses, formats and knows its type and year', () => {
    expect(parsePeriod(row.id)).toEqual(row.period);
    expect(formatPeriod(row.period)).toBe(row.id);
    expect(periodType(row.id)).toBe(type);
    expect(yearOf(row.id)).toBe(2024);
    expect(isPeriodId(row.id)).toBe(true);
  });
  it('steps within its type', () => {
    expect(formatPeriod(nextPeriod(row.id))).toBe(row.next);
    expect(formatPeriod(previousPeriod(row.id))).toBe(row.previous);
    expect(formatPeriod(samePeriodLastYear(row.id))).toBe(row.lastYear);
    expect(formatPeriod(shiftPeriod(row.id, 5))).toBe(row.plus5);
    expect(formatPeriod(shiftPeriod(row.id, -5))).toBe(row.minus5);
    expect(formatPeriod(shiftPeriod(row.id, 0))).toBe(row.id);
  });
  it('has an index with an inverse', () => {
    expect(periodIndex(row.id)).toBe(row.index);
    expect(periodFromIndex(type, row.index)).toEqual(row.period);
    expect(periodIndex(row.next)).toBe(row.index + 1);
    // The inverse over 30 years, across year boundaries.
    for (let i = row.index - 200; i < row.index + 200; i++) {
      const p = periodFromIndex(type, i);
      expect(periodIndex(p)).toBe(i);
      expect(parsePeriod(formatPeriod(p))).toEqual(p);
    }
  });
  it('knows its first and last month', () => {
    expect(formatPeriod(startMonth(row.id))).toBe(row.start);
    expect(formatPeriod(endMonth(row.id))).toBe(row.end);
  });
  it('lists the periods of its type in a year', () => {
    expect(ids(periodsOfYear(2024, type))).toEqual(row.ofYear);
  });
  it('is ordered by time within its type', () => {
    expect(comparePeriods(row.previous, row.id)).toBeLessThan(0);
    expect(comparePeriods(row.id, row.id)).toBe(0);
    expect(comparePeriods(row.next, row.id)).toBeGreaterThan(0);
    expect(samePeriod(row.id, row.period)).toBe(true);
    expect(samePeriod(row.id, row.next)).toBe(false);
  });
  it('ranges from one period to another', () => {
    expect(ids(periodRange(row.previous, row.next))).toEqual([row.previous, row.id, row.next]);
    expect(ids(periodRange(row.id, row.id))).toEqual([row.id]);
    expect(periodRange(row.next, row.previous)).toEqual([]);
  });
  it('sits on an axis', () => {
    const axis = periodAxis(row.previous, row.next);
    expect(axis).toEqual({ type, start: row.index - 1, length: 3 });
    expect(formatPeriod(axisPeriod(axis, 1))).toBe(row.id);
    expect(axisColumn(axis, row.next)).toBe(2);
    expect(axisColumn(axis, row.plus5)).toBe(-1);
  });
});

describe('parsePeriod errors say how to write the period', () => {
  it.each([
    ['2024Q5', /quarters are 1–4/],
    ['2024Q0', /quarters are 1–4/],
    ['2024Q01', /quarters are 1–4/],
    ['202413', /months are 01–12/],
    ['202400', /months are 01–12/],
    ['2024-07', /months are written 202407/],
    ['2024/7', /months are written 202407/],
    ['2024.07', /months are written 202407/],
    ['2024M07', /months are written 202407/],
    ['2024-M07', /months are written 202407/],
    ['2024年7月', /months are written 202407/],
    ['2024-13', /months are 01–12/],
    ['2024-Q3', /quarters are written 2024Q3/],
    ['2024q3', /quarters are written 2024Q3/],
    ['2024 Q3', /quarters are written 2024Q3/],
    ['2024年第三季度', /quarters are written 2024Q3/],
    ['2024年', /years are written 2024/],
    ['20247', /a month has two digits, 202407/],
    ['2024-07-15', /is a day.*202407/],
    ['20240715', /is a day.*202407/],
    ['24', /years have four digits/],
    ['0999', /years are 1000–9999/],
    ['', /empty/],
    [' 2024', /spaces around it: write '2024'/],
    ['next year', /write a year \(2024\), a quarter \(2024Q3\) or a month \(202407\)/],
  ])('%j', (input, message) => {
    expect(() => parsePeriod(input)).toThrow(PeriodError);
    expect(() => parsePeriod(input)).toThrow(message);
    const r = safeParsePeriod(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
    expect(isPeriodId(input)).toBe(false);
  });

  it('keeps the input on the error', () => {
    try {
      parsePeriod('2024Q5');
    } catch (e) {
      expect(e).toBeInstanceOf(PeriodError);
      expect((e as PeriodError).input).toBe('2024Q5');
    }
  });
});

describe('conversion between types', () => {
  it.each([
    ['202407', 'month', '202407'],
    ['202407', 'quarter', '2024Q3'],
    ['202407', 'year', '2024'],
    ['202401', 'quarter', '2024Q1'],
    ['202412', 'quarter', '2024Q4'],
    ['2024Q3', 'quarter', '2024Q3'],
    ['2024Q3', 'year', '2024'],
    ['2024', 'year', '2024'],
  ] as const)('%s in a %s is %s', (id, type, expected) => {
    expect(formatPeriod(containingPeriod(id, type))).toBe(expected);
    expect(periodContains(expected, id)).toBe(true);
  });

  it.each([
    ['2024', 'quarter', ['2024Q1', '2024Q2', '2024Q3', '2024Q4']],
    ['2024Q3', 'month', ['202407', '202408', '202409']],
    ['2024Q1', 'quarter', ['2024Q1']],
    ['202407', 'month', ['202407']],
  ] as const)('%s is made of the %ss %j', (id, type, expected) => {
    expect(ids(subPeriods(id, type))).toEqual(expected);
  });
  it('has 12 months in a year', () => {
    expect(ids(subPeriods('2024', 'month'))).toEqual(periodsOfYear(2024, 'month').map((p) => formatPeriod(p)));
  });

  it('refuses the wrong direction', () => {
    expect(() => containingPeriod('2024', 'month')).toThrow(/subPeriods/);
    expect(() => subPeriods('202407', 'year')).toThrow(/containingPeriod/);
  });

  it('knows what contains what', () => {
    expect(periodContains('2024', '202407')).toBe(true);
    expect(periodContains('2024Q3', '202407')).toBe(true);
    expect(periodContains('2024Q2', '202407')).toBe(false);
    expect(periodContains('2023', '202407')).toBe(false);
    expect(periodContains('202407', '2024Q3')).toBe(false);
  });
});

describe('ordering across types', () => {
  it('sorts by first month, the longer first', () => {
    const sorted = ['202402', '2024Q1', '202312', '2024', '202401', '2023Q4', '2024Q2', '2023'].sort(comparePeriods);
    expect(sorted).toEqual(['2023', '2023Q4', '202312', '2024', '2024Q1', '202401', '202402', '2024Q2']);
  });
  it('orders the turn of the year', () => {
    expect(comparePeriods('202312', '202401')).toBeLessThan(0);
    expect(comparePeriods('2023Q4', '2024Q1')).toBeLessThan(0);
    expect(formatPeriod(nextPeriod('202312'))).toBe('202401');
    expect(formatPeriod(previousPeriod('2024Q1'))).toBe('2023Q4');
  });
});

describe('ranges and arithmetic', () => {
  it('crosses year boundaries', () => {
    expect(ids(periodRange('202311', '202402'))).toEqual(['202311', '202312', '202401', '202402']);
    expect(ids(periodRange('2023Q3', '2024Q2'))).toEqual(['2023Q3', '2023Q4', '2024Q1', '2024Q2']);
    expect(periodRange('2021', '2025')).toHaveLength(5);
    expect(periodRange('202101', '202612')).toHaveLength(72);
  });
  it('refuses ranges and axes across types', () => {
    expect(() => periodRange('2024', '202412')).toThrow(/one type/);
    expect(() => periodAxis('2024Q1', '202412')).toThrow(/one type/);
    expect(() => periodAxis('2025', '2024')).toThrow(/before it starts/);
  });
  it('refuses years outside four digits', () => {
    expect(() => shiftPeriod('9999', 1)).toThrow(/out of range/);
    expect(() => shiftPeriod('100001', -1)).toThrow(/out of range/);
    expect(() => shiftPeriod('2024', 0.5)).toThrow(/whole number/);
    expect(() => makePeriod('quarter', 2024, 5)).toThrow(/quarters are 1–4/);
    expect(() => axisPeriod(periodAxis('2024', '2025'), 2)).toThrow(/outside the axis/);
  });
  it('has consecutive month indices across years', () => {
    expect(periodIndex('202312') + 1).toBe(periodIndex('202401'));
    expect(periodIndex('2023Q4') + 1).toBe(periodIndex('2024Q1'));
    expect(() => periodFromIndex('month', 0)).toThrow(/out of range/);
  });
});

describe('the period containing an instant and the latest complete one', () => {
  // The clock is pinned in each case; TZ is UTC in the test run (vitest.config.ts).
  it.each([
    // instant                     type       containing  latest complete
    ['2024-08-15T10:00:00Z', 'month', '202408', '202407'],
    ['2024-08-15T10:00:00Z', 'quarter', '2024Q3', '2024Q2'],
    ['2024-08-15T10:00:00Z', 'year', '2024', '2023'],
    // At midnight on the first day the previous period has just ended.
    ['2024-07-01T00:00:00Z', 'month', '202407', '202406'],
    ['2024-07-01T00:00:00Z', 'quarter', '2024Q3', '2024Q2'],
    ['2024-06-30T23:59:59Z', 'quarter', '2024Q2', '2024Q1'],
    ['2024-01-01T00:00:00Z', 'month', '202401', '202312'],
    ['2024-01-01T00:00:00Z', 'quarter', '2024Q1', '2023Q4'],
    ['2024-01-01T00:00:00Z', 'year', '2024', '2023'],
    ['2024-12-31T23:59:59Z', 'year', '2024', '2023'],
  ] as const)('%s, %s: in %s, latest complete %s', (instant, type, containing, latest) => {
    const date = new Date(instant);
    expect(formatPeriod(periodContaining(type, date))).toBe(containing);
    expect(formatPeriod(latestCompletePeriod(type, date))).toBe(latest);
    expect(formatPeriod(latestCompletePeriod(type, date, 'UTC'))).toBe(latest);
  });

  it('follows the calendar of the time zone it is given', () => {
    // 2024-06-30 17:00 UTC is already 2024-07-01 01:00 in Beijing (UTC+8): June is over there.
    const date = new Date('2024-06-30T17:00:00Z');
    expect(formatPeriod(latestCompletePeriod('month', date, 'UTC'))).toBe('202405');
    expect(formatPeriod(latestCompletePeriod('month', date, 'Asia/Shanghai'))).toBe('202406');
    expect(formatPeriod(latestCompletePeriod('quarter', date, 'Asia/Shanghai'))).toBe('2024Q2');
  });

  it('refuses an invalid date', () => {
    expect(() => latestCompletePeriod('month', new Date('not a date'))).toThrow(/valid Date/);
  });
});
