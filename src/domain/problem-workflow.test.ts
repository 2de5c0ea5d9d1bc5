import { describe, expect, it } from 'vitest';
import {
  allowedTransitions,
  applyTransition,
  deadlineState,
  nextTransitions,
  PROBLEM_STATUSES,
  TRANSITIONS,
  unitAbove,
  type ProblemStatus,
} from './problem-workflow.js';

const DAY = 24 * 3600 * 1000;
const deadline = new Date('2025-03-31T16:00:00Z');
const at = (days: number) => new Date(deadline.getTime() + days * DAY);

describe('problem workflow', () => {
  it('follows open → assigned → rectifying → awaiting verification → closed, and back on a failed verification', () => {
    const walk: [ProblemStatus, (typeof TRANSITIONS)[number], ProblemStatus][] = [
      ['open', 'assign', 'assigned'],
      ['assigned', 'start', 'rectifying'],
      ['rectifying', 'submit', 'awaiting_verification'],
      ['awaiting_verification', 'reject', 'rectifying'],
      ['awaiting_verification', 'close', 'closed'],
    ];
    for (const [from, t, to] of walk) expect(applyTransition(from, t, 'why')).toEqual({ ok: true, to });
  });

  it('refuses every other jump, with a message in both languages', () => {
    const legal = new Set([
      'open:assign',
      'assigned:start',
      'rectifying:submit',
      'awaiting_verification:reject',
      'awaiting_verification:close',
    ]);
    let refused = 0;
    for (const s of PROBLEM_STATUSES)
      for (const t of TRANSITIONS) {
        const r = applyTransition(s, t, 'why');
        expect(r.ok, `${s}:${t}`).toBe(legal.has(`${s}:${t}`));
        if (!r.ok) {
          refused++;
          expect(r.message.zh).toMatch(/不能/);
          expect(r.message.en).toMatch(/cannot/);
        }
      }
    expect(refused).toBe(5 * 5 - 5);
    const jump = applyTransition('open', 'close', 'done');
    expect(jump).toEqual({
      ok: false,
      refusal: 'illegal',
      message: {
        zh: '问题当前为“待交办”，不能“验收通过，销号”；此时可以：交办',
        en: 'the problem is open: it cannot pass verification and close; possible now: assign',
      },
    });
    expect(nextTransitions('closed')).toEqual([]);
  });

  it('asks for a reason where one is needed', () => {
    expect(applyTransition('rectifying', 'submit', '  ').ok).toBe(false);
    expect(applyTransition('awaiting_verification', 'reject', undefined).ok).toBe(false);
    expect(applyTransition('open', 'assign', undefined).ok).toBe(true);
  });

  it('offers each side only its own transitions', () => {
    const supervisor = (_a: string, on: string) => on === 'scope';
    const member = (a: string, on: string) => on === 'assignee' && a === 'problem.rectify';
    expect(allowedTransitions('open', supervisor)).toEqual(['assign']);
    expect(allowedTransitions('open', member)).toEqual([]);
    expect(allowedTransitions('assigned', member)).toEqual(['start']);
    expect(allowedTransitions('awaiting_verification', supervisor)).toEqual(['reject', 'close']);
    expect(allowedTransitions('awaiting_verification', member)).toEqual([]);
  });
});

describe('deadline and escalation (grace 3 days, due soon 3 days)', () => {
  const state = (status: ProblemStatus, now: Date) => deadlineState({ status, deadline }, now);

  it('is due soon within 3 days before the deadline, not before', () => {
    expect(state('rectifying', at(-3.5))).toEqual({
      overdue: false,
      dueSoon: false,
      daysOverdue: 0,
      escalationLevel: 0,
    });
    expect(state('rectifying', at(-3))).toMatchObject({ dueSoon: true, overdue: false });
    expect(state('rectifying', at(0))).toMatchObject({ dueSoon: true, overdue: false });
  });

  it('is overdue after the deadline and escalates one level per 3 days after 3 days of grace', () => {
    expect(state('rectifying', at(0.5))).toEqual({ overdue: true, dueSoon: false, daysOverdue: 0, escalationLevel: 0 });
    expect(state('rectifying', at(3))).toMatchObject({ daysOverdue: 3, escalationLevel: 0 });
    expect(state('rectifying', at(3.01))).toMatchObject({ daysOverdue: 3, escalationLevel: 1 });
    expect(state('assigned', at(6))).toMatchObject({ daysOverdue: 6, escalationLevel: 1 });
    expect(state('awaiting_verification', at(6.5))).toMatchObject({ escalationLevel: 2 });
    expect(state('open', at(10))).toMatchObject({ daysOverdue: 10, escalationLevel: 3 });
  });

  it('never holds a closed problem or one without a deadline overdue', () => {
    expect(state('closed', at(30)).overdue).toBe(false);
    expect(deadlineState({ status: 'rectifying', deadline: null }, at(30)).overdue).toBe(false);
  });

  it('honours another grace period', () => {
    const s = deadlineState({ status: 'rectifying', deadline }, at(8), { graceDays: 7, dueSoonDays: 1 });
    expect(s.escalationLevel).toBe(1);
    expect(deadlineState({ status: 'rectifying', deadline }, at(-2), { graceDays: 7, dueSoonDays: 1 }).dueSoon).toBe(
      false,
    );
  });

  it('finds the unit above, never above the root', () => {
    const path = '/330000/330700/330782/';
    expect(unitAbove(path, 0)).toBe('330782');
    expect(unitAbove(path, 1)).toBe('330700');
    expect(unitAbove(path, 2, '/330000/330700/')).toBe('330700');
    expect(unitAbove('/330000/330700/330700-fgw/', 1, '/330000/330700/')).toBe('330700');
  });
});
