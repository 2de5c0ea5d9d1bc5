import { describe, expect, it } from 'vitest';
import {
  closureCredit,
  DEFAULT_PROBLEM_CONTROL,
  problemControl,
  problemControlOf,
  type ProblemRecord,
} from './problem-control.js';

const p = (over: Partial<ProblemRecord>): ProblemRecord => ({
  unit: 'A',
  list: 'safety',
  foundBy: 'self',
  daysToClose: null,
  overdue: false,
  reopened: 0,
  ...over,
});

describe('closureCredit', () => {
  it('is 1 up to 30 days, 0 from 90, linear in between', () => {
    expect([0, 30, 45, 60, 75, 90, 200].map((d) => closureCredit(d, DEFAULT_PROBLEM_CONTROL))).toEqual([
      1, 1, 0.75, 0.5, 0.25, 0, 0,
    ]);
  });
});

describe('problemControlOf', () => {
  it('combines self-found share, closure speed and reopen control (worked example)', () => {
    // p1 self, closed in 10 days → credit 1.
    // p2 self, closed in 45 days, late (overdue), reopened once → credit (90 − 45)/(90 − 30) = 0.75.
    // p3 higher, open past its deadline → credit 0.
    // p4 higher, open within its deadline → not judged for speed.
    // Self-found 2/4 = 50. Speed (1 + 0.75 + 0)/3 = 58.333. Closed at least once: p1, p2; reopened: p2 → 50.
    // Index 0.4·50 + 0.4·58.333 + 0.2·50 = 20 + 23.333 + 10 = 53.333.
    const r = problemControlOf('A', [
      p({ daysToClose: 10 }),
      p({ daysToClose: 45, overdue: true, reopened: 1 }),
      p({ foundBy: 'higher', overdue: true }),
      p({ foundBy: 'higher' }),
    ]);
    expect(r).toMatchObject({
      found: 4,
      selfFound: 2,
      higherFound: 2,
      closed: 2,
      meanDaysToClose: 27.5,
      overdue: 2,
      reopenedProblems: 1,
      reopenEvents: 1,
      selfFoundShare: 50,
      reopenControl: 50,
    });
    expect(r.closureSpeed).toBeCloseTo(175 / 3, 10);
    expect(r.index).toBeCloseTo(160 / 3, 10);
  });

  it('leaves out a part with nothing to judge and scales the other weights up', () => {
    // One problem, found by a higher inspection, open within its deadline: only the self-found part
    // (0) exists → index 0, not 0.4·0 = 0 "by accident": check with a self-found one too (100).
    const higher = problemControlOf('B', [p({ foundBy: 'higher' })]);
    expect(higher.closureSpeed).toBeNaN();
    expect(higher.reopenControl).toBeNaN();
    expect(higher.index).toBe(0);
    expect(problemControlOf('B', [p({})]).index).toBe(100);
    // Closed in 60 days (credit 0.5), self-found, never reopened: (0.4·100 + 0.4·50 + 0.2·100)/1 = 80.
    expect(problemControlOf('B', [p({ daysToClose: 60 })]).index).toBeCloseTo(80, 12);
  });

  it('counts a problem reopened twice once for the rate and twice as events', () => {
    // Reopened twice and open again (not overdue): closed at least once, reopened → reopen control 0.
    const r = problemControlOf('C', [p({ reopened: 2 }), p({ daysToClose: 5 })]);
    expect(r.reopenedProblems).toBe(1);
    expect(r.reopenEvents).toBe(2);
    expect(r.reopenControl).toBe(50);
  });

  it('gives a unit without problems NaN, or the configured value', () => {
    expect(problemControlOf('D', []).index).toBeNaN();
    expect(problemControlOf('D', [], { ...DEFAULT_PROBLEM_CONTROL, whenNoProblems: 100 }).index).toBe(100);
  });

  it('uses configured weights and days', () => {
    // Weights 1/0/0: only the self-found share counts → 50.
    const config = { ...DEFAULT_PROBLEM_CONTROL, weights: { selfFound: 1, closureSpeed: 0, reopenControl: 0 } };
    expect(problemControlOf('E', [p({ daysToClose: 100 }), p({ foundBy: 'higher' })], config).index).toBe(50);
    // Days 10 … 20: closed in 15 days → credit 0.5; speed 50; self 100; reopen 100 → 0.4·100 + 0.4·50 + 0.2·100 = 80.
    const days = { ...DEFAULT_PROBLEM_CONTROL, fullCreditDays: 10, zeroCreditDays: 20 };
    expect(problemControlOf('E', [p({ daysToClose: 15 })], days).index).toBeCloseTo(80, 12);
    expect(() =>
      problemControlOf('E', [], { ...DEFAULT_PROBLEM_CONTROL, fullCreditDays: 90, zeroCreditDays: 30 }),
    ).toThrow(/fullCreditDays < zeroCreditDays/);
    expect(() => problemControlOf('E', [p({ daysToClose: -1 })])).toThrow(/days to close/);
  });
});

describe('problemControl', () => {
  it('gives every unit a row, and a row per unit and list', () => {
    const r = problemControl(
      ['A', 'B'],
      [
        p({ list: 'safety', daysToClose: 10 }),
        p({ list: 'environment', foundBy: 'higher', overdue: true }),
        p({ unit: 'Z' }),
      ],
    );
    expect(r.byUnit.map((u) => [u.unit, u.found])).toEqual([
      ['A', 2],
      ['B', 0],
    ]);
    expect(r.byUnitList.map((u) => [u.unit, u.list, u.index])).toEqual([
      ['A', 'environment', 0],
      ['A', 'safety', 100],
    ]);
  });
});
