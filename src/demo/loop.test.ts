import { describe, expect, it } from 'vitest';
import { PROBLEM_CATEGORIES, TRANSITION_RULES, type ProblemStatus } from '../domain/problem-workflow.js';
import { generateDemoLoop, type DemoLoopInput } from './loop.js';

const counties = Array.from({ length: 9 }, (_, k) => ({
  code: `3307${String(k + 2).padStart(2, '0')}`,
  name: `县${k}`,
}));
const tasks = Array.from({ length: 42 }, (_, k) => ({ number: k + 1, titleZh: `任务${k + 1}` }));
const input: DemoLoopInput = { counties, tasks, year: 2025, asOf: new Date('2026-11-29T00:00:00Z') };

describe('the demo loop generator', () => {
  it('is deterministic: the same seed gives the same rows, another seed others', () => {
    expect(generateDemoLoop(input)).toEqual(generateDemoLoop(input));
    expect(generateDemoLoop({ ...input, seed: 7 })).not.toEqual(generateDemoLoop(input));
  });

  it('gives each county 2–4 items with milestones in the year and 4–10 seven-list problems', () => {
    const { items, problems } = generateDemoLoop(input);
    for (const c of counties) {
      const mine = items.filter((i) => i.county === c.code);
      expect(mine.length).toBeGreaterThanOrEqual(2);
      expect(mine.length).toBeLessThanOrEqual(4);
      const ms = mine.flatMap((i) => i.milestones);
      for (const m of ms) expect(m.due.startsWith('2025-')).toBe(true);
      // Something due in each of the two quarters the demo appraisal scores.
      expect(ms.some((m) => m.due >= '2025-07-01' && m.due < '2025-10-01')).toBe(true);
      expect(ms.some((m) => m.due >= '2025-10-01')).toBe(true);
      const ps = problems.filter((p) => p.county === c.code);
      expect(ps.length).toBeGreaterThanOrEqual(4);
      expect(ps.length).toBeLessThanOrEqual(10);
      for (const p of ps) {
        expect(PROBLEM_CATEGORIES[p.category].sevenLists).toBe(true);
        expect(p.title.startsWith('示例：')).toBe(true);
      }
    }
    const outcomes = new Set(items.flatMap((i) => i.milestones.map((m) => m.outcome)));
    expect([...outcomes].sort()).toEqual(['late', 'missed', 'on_time']);
  });

  it('walks the workflow legally and ends each problem where its history ends', () => {
    const { problems } = generateDemoLoop(input);
    for (const p of problems) {
      let status: ProblemStatus = 'open';
      expect(p.events[0]).toMatchObject({ kind: 'raised', to: 'open', at: p.createdAt });
      for (const e of p.events.slice(1)) {
        const rule = TRANSITION_RULES[e.transition!];
        expect(rule.from).toContain(status);
        expect(e.from).toBe(status);
        expect(e.to).toBe(rule.to);
        status = rule.to;
      }
      expect(p.status).toBe(status);
      expect(p.reopened).toBe(p.events.filter((e) => e.transition === 'reject').length);
      expect(p.closedAt === null).toBe(status !== 'closed');
    }
  });

  it('cuts histories at asOf: nothing after it, open problems stay open', () => {
    const asOf = new Date('2025-09-15T00:00:00Z');
    const { items, problems } = generateDemoLoop({ ...input, asOf });
    for (const p of problems) {
      expect(p.createdAt <= asOf).toBe(true);
      for (const e of p.events) expect(e.at <= asOf).toBe(true);
    }
    for (const m of items.flatMap((i) => i.milestones)) {
      if (m.reachedAt) expect(m.reachedAt <= asOf).toBe(true);
      if (m.due > '2025-09-15') expect(m.outcome === 'pending' || m.outcome === 'on_time').toBe(true);
    }
    expect(problems.some((p) => p.status !== 'closed')).toBe(true);
  });
});
