/**
 * The demo's closed loop at county level (src/demo/loop.ts written by services/demo.ts loadDemoLoop)
 * on the Jinhua plan: every county gets demo task items with milestones and seven-list problems with
 * legal histories; the loop figures and the appraisal's task and problem components of 2025Q4 have a
 * value for every county, and the counties do not all tie.
 */
import { beforeAll, expect, it } from 'vitest';
import { TRANSITION_RULES, PROBLEM_CATEGORIES, type Transition } from '../src/domain/problem-workflow.js';
import * as appraisal from '../src/services/appraisal.js';
import { SYSTEM_CONTEXT } from '../src/services/context.js';
import { loadDemo, loadDemoAppraisal, loadDemoLoop } from '../src/services/demo.js';
import { runEvaluation } from '../src/services/evaluation.js';
import * as plans from '../src/services/plans.js';
import { loopFigures } from '../src/services/problems.js';
import { listOrgUnits } from '../src/store/org-units.js';
import { findProblems, problemEvents } from '../src/store/problems.js';
import { findItems, milestonesOf } from '../src/store/tasks.js';
import { describeEachStore } from './support/stores.js';

const JINHUA = new URL('../plans/jinhua-2021-2025/plan.yaml', import.meta.url).pathname;
const AS_OF = new Date('2026-11-29T00:00:00Z');

describeEachStore('the demo loop at county level', (store) => {
  let planId = '';
  let counties: string[] = [];
  let loadMs = 0;
  let year = 0;
  let periods: string[] = [];
  let counts = { items: 0, milestones: 0, problems: 0, events: 0 };

  beforeAll(async () => {
    const { plan } = await plans.importPlan(store(), JINHUA);
    planId = plan.id;
    await loadDemo(store(), { planId, planFile: JINHUA, asOf: AS_OF, accounts: false, householdsPerCountyYear: 50 });
    counties = (await listOrgUnits(store().db, { within: plan.rootOrgUnit, level: 'county' })).map((u) => u.code);
    // As `gongfu start` does (src/cli/commands.ts): evaluation, then the loop, then the appraisal.
    const { run } = await runEvaluation(store(), SYSTEM_CONTEXT, { planId });
    year = run.asOfYear;
    const started = performance.now();
    counts = await loadDemoLoop(store(), { planId, year, asOf: AS_OF });
    loadMs = performance.now() - started;
    console.log(`loadDemoLoop: ${loadMs.toFixed(0)} ms for ${JSON.stringify(counts)}`);
    periods = (await loadDemoAppraisal(store(), { planId, asOf: AS_OF, evaluatedYear: year, respondentsPerCounty: 20 }))
      .periods;
  }, 600_000);

  it('writes quickly', () => {
    expect(loadMs).toBeLessThan(1000);
  });

  it('gives every county demo items with milestones due in 2025 and seven-list problems', async () => {
    expect(counties).toHaveLength(9);
    const items = (await findItems(store().db, { planId })).filter((i) => i.origin === 'user');
    const milestones = await milestonesOf(
      store().db,
      items.map((i) => i.id),
    );
    // The evaluation raises automatic problems too (indicators, milestones): the demo's are on the seven lists.
    const problems = (await findProblems(store().db, { planId })).filter((p) => p.title.startsWith('示例：'));
    expect(year).toBe(2025);
    expect(periods).toEqual(['2025Q3', '2025Q4']);
    expect(items).toHaveLength(counts.items);
    expect(milestones).toHaveLength(counts.milestones);
    expect(problems).toHaveLength(counts.problems);
    for (const county of counties) {
      const mine = items.filter((i) => i.lead_unit === county);
      expect(mine.length).toBeGreaterThanOrEqual(2);
      expect(mine.length).toBeLessThanOrEqual(4);
      for (const i of mine) {
        expect(i.title_zh.startsWith('示例：')).toBe(true);
        expect(i.lead_demo).toBe(true);
        expect(i.scope_unit).toBe(county);
        expect(i.parent_id).not.toBeNull();
      }
      const ms = milestones.filter((m) => mine.some((i) => i.id === m.item_id));
      expect(ms.length).toBeGreaterThan(0);
      for (const m of ms) expect(m.due.startsWith('2025-')).toBe(true);
      const ps = problems.filter((p) => p.org_unit === county);
      expect(ps.length).toBeGreaterThanOrEqual(4);
      expect(ps.length).toBeLessThanOrEqual(10);
      for (const p of ps) {
        expect(PROBLEM_CATEGORIES[p.category as keyof typeof PROBLEM_CATEGORIES].sevenLists).toBe(true);
        expect(p.title.startsWith('示例：')).toBe(true);
        expect(p.created_at.getTime()).toBeGreaterThanOrEqual(new Date('2025-01-01T00:00:00+08:00').getTime());
      }
    }
    // A realistic mix over all counties.
    expect(problems.some((p) => p.found_by === 'self')).toBe(true);
    expect(problems.some((p) => p.found_by === 'higher')).toBe(true);
    expect(problems.some((p) => p.status === 'closed' && p.closed_at! <= p.deadline!)).toBe(true);
    expect(problems.some((p) => p.status === 'closed' && p.closed_at! > p.deadline!)).toBe(true);
    expect(problems.some((p) => p.status !== 'closed' && p.deadline! < AS_OF)).toBe(true);
    expect(problems.some((p) => p.reopened === 1)).toBe(true);
    expect(milestones.some((m) => m.reached_at === null)).toBe(true);
  });

  it('stores every problem history as a legal walk of the workflow, matching the problem row', async () => {
    const problems = (await findProblems(store().db, { planId })).filter((p) => p.title.startsWith('示例：'));
    expect(problems).toHaveLength(counts.problems);
    for (const p of problems) {
      const events = await problemEvents(store().db, p.id);
      expect(events[0]).toMatchObject({ kind: 'raised', to_status: 'open' });
      let status = 'open';
      let rejects = 0;
      let last = events[0]!.at;
      for (const e of events.slice(1)) {
        expect(e.kind).toBe('transition');
        const rule = TRANSITION_RULES[e.transition as Transition];
        expect(rule.from as readonly string[]).toContain(status);
        expect(e.from_status).toBe(status);
        expect(e.to_status).toBe(rule.to);
        if (rule.needsReason) expect(e.reason?.trim()).toBeTruthy();
        expect(['system', 'demo-supervisor']).toContain(e.by_name);
        expect(e.at.getTime()).toBeGreaterThan(last.getTime());
        last = e.at;
        status = rule.to;
        if (e.transition === 'reject') rejects++;
        if (e.transition === 'close') expect(p.closed_at?.getTime()).toBe(e.at.getTime());
        if (e.transition === 'assign')
          expect(e.data).toMatchObject({ assignedUnit: p.org_unit, deadline: expect.any(String) });
      }
      expect(p.status).toBe(status);
      expect(p.reopened).toBe(rejects);
      expect(p.created_at.getTime()).toBe(events[0]!.at.getTime());
      expect(last.getTime()).toBeLessThanOrEqual(AS_OF.getTime());
    }
  });

  it('gives every county non-zero loop figures', async () => {
    const figures = await loopFigures(store(), SYSTEM_CONTEXT, { planId, now: AS_OF });
    const byCounty = new Map(figures.byCounty.map((f) => [f.group, f]));
    for (const county of counties) {
      const f = byCounty.get(county)!;
      expect(f.total).toBeGreaterThan(0);
      expect(f.closed + f.open).toBe(f.total);
    }
    expect(
      new Set(figures.byCounty.filter((f) => counties.includes(f.group)).map((f) => f.onTimeRate)).size,
    ).toBeGreaterThan(1);
  });

  it('gives every county a task and a problem component in both appraised quarters, not all tied', async () => {
    for (const period of periods) {
      const tasks: number[] = [];
      const problems: number[] = [];
      for (const county of counties) {
        const { score } = await appraisal.viewUnit(store(), SYSTEM_CONTEXT, { period, orgUnit: county });
        const c = Object.fromEntries(
          (score as unknown as { components: { code: string; raw: number | null }[] }).components.map((x) => [
            x.code,
            x,
          ]),
        );
        expect(c.tasks?.raw, `tasks of ${county} in ${period}`).toEqual(expect.any(Number));
        expect(c.problems?.raw, `problems of ${county} in ${period}`).toEqual(expect.any(Number));
        tasks.push(c.tasks!.raw!);
        problems.push(c.problems!.raw!);
      }
      console.log(`${period} tasks: ${tasks.map((x) => x.toFixed(1)).join(' ')}`);
      console.log(`${period} problems: ${problems.map((x) => x.toFixed(1)).join(' ')}`);
      expect(new Set(tasks).size).toBeGreaterThan(3);
      expect(new Set(problems).size).toBeGreaterThan(3);
    }
  }, 600_000);
});
