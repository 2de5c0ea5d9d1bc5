/**
 * The entry page's period rule (web/src/pages/entry/period.ts, written out for the browser) is the
 * domain's (src/domain/period.ts): the same latest complete and running period at every instant tried.
 */
import { describe, expect, it } from 'vitest';
import * as domain from '../src/domain/period.js';
import * as web from '../web/src/pages/entry/period.js';

const TYPES = ['year', 'quarter', 'month'] as const;

describe('the entry page opens on the latest complete period', () => {
  it('agrees with domain/period.ts around every month boundary of two years', () => {
    let tried = 0;
    for (let year = 2024; year <= 2025; year++)
      for (let month = 0; month < 12; month++)
        for (const offset of [-1, 0, 1, 15 * 86_400_000]) {
          const date = new Date(new Date(year, month, 1).getTime() + offset);
          for (const type of TYPES) {
            expect(web.latestCompletePeriod(type, date)).toBe(
              domain.formatPeriod(domain.latestCompletePeriod(type, date)),
            );
            expect(web.periodContaining(type, date)).toBe(domain.formatPeriod(domain.periodContaining(type, date)));
            tried++;
          }
        }
    expect(tried).toBe(2 * 12 * 4 * 3);
  });

  it('opens a year on last year, and lets the running period be picked but not one not begun', () => {
    const now = new Date(2025, 7, 15); // 15 August 2025
    expect(web.latestCompletePeriod('year', now)).toBe('2024');
    expect(web.latestCompletePeriod('quarter', now)).toBe('2025Q2');
    expect(web.latestCompletePeriod('month', now)).toBe('202507');
    expect(web.latestCompletePeriod('month', new Date(2025, 0, 10))).toBe('202412');
    expect(web.hasBegun('2025', now)).toBe(true);
    expect(web.hasEnded('2025', now)).toBe(false);
    expect(web.hasBegun('2025Q3', now)).toBe(true);
    expect(web.hasBegun('2025Q4', now)).toBe(false);
    expect(web.hasBegun('202509', now)).toBe(false);
    expect(web.periodIn('quarter', '2025', 'Q4', now)).toBe('2025Q3');
    expect(web.periodIn('month', '2023', '11', now)).toBe('202311');
    expect(web.periodIn('quarter', '2023', '', now)).toBe('2023Q1');
    expect(web.periodicityOf('2025Q1')).toBe('quarter');
    expect(web.periodicityOf('202501')).toBe('month');
    expect(web.periodicityOf('2025')).toBe('year');
  });
});
