import { describe, expect, it } from 'vitest';
import { dueDate, releaseLagDays } from './timeliness.js';

describe('dueDate', () => {
  it.each([
    // the year 2024 ends at 2025-01-01; + 90 days = 2025-04-01
    ['2024', 90, '2025-04-01T00:00:00.000Z'],
    // 2024Q3 ends at 2024-10-01; + 45 days = 2024-11-15
    ['2024Q3', 45, '2024-11-15T00:00:00.000Z'],
    // December 2024 ends at 2025-01-01; + 25 days = 2025-01-26
    ['202412', 25, '2025-01-26T00:00:00.000Z'],
    ['202402', 0, '2024-03-01T00:00:00.000Z'],
  ])('%s with a lag of %d days is due %s', (period, lag, due) => {
    expect(dueDate(period, lag).toISOString()).toBe(due);
  });

  it('takes the indicator’s lag, else the default of its periodicity', () => {
    expect(releaseLagDays({ periodicity: 'year' })).toBe(90);
    expect(releaseLagDays({ periodicity: 'month', releaseLagDays: 10 })).toBe(10);
  });
});
