/**
 * Appraisal end to end on the Jinhua demo: the nine counties scored for 2024Q4 under the county
 * scheme in force (four components, five rules), with task milestones and problems of the loop, a
 * synthetic survey and approved events; every number of a county's breakdown recomputed here from the
 * inputs; publication freezes the period and a correction is a new version; survey files (CSV, XLSX)
 * import with per-row errors.
 */
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import type { Actor } from '../src/domain/access.js';
import { generateDemoSurvey } from '../src/demo/survey.js';
import { DEFAULT_PROBLEM_CONTROL, problemControlOf, type ProblemRecord } from '../src/engine/problem-control.js';
import { weightedEstimate } from '../src/engine/survey.js';
import { rank } from '../src/engine/ranking.js';
import { buildApp } from '../src/http/app.js';
import * as appraisal from '../src/services/appraisal.js';
import { SYSTEM_CONTEXT, type RequestContext } from '../src/services/context.js';
import { loadDemo } from '../src/services/demo.js';
import * as evaluation from '../src/services/evaluation.js';
import * as plans from '../src/services/plans.js';
import * as users from '../src/services/users.js';
import { getOrgUnit, listOrgUnits } from '../src/store/org-units.js';
import { insertProblem, updateProblem } from '../src/store/problems.js';
import { insertItem, insertMilestone, markMilestoneReached } from '../src/store/tasks.js';
import { Browser } from './support/http-client.js';
import { describeEachStore } from './support/stores.js';

const JINHUA = new URL('../plans/jinhua-2021-2025/plan.yaml', import.meta.url).pathname;
const ERRORS_CSV = new URL('./fixtures/survey-errors.csv', import.meta.url).pathname;
const PERIOD = '2024Q4';
const YIWU = '330782';
const at = (text: string) => new Date(`${text}T12:00:00+08:00`);

function userCtx(username: string, role: 'leader' | 'analyst', unit: string, unitPath: string): RequestContext {
  const actor: Actor = { kind: 'user', userId: 1, username, grants: [{ role, unit, unitPath }], via: 'session' };
  return { actor, address: null };
}

interface Breakdown {
  components: { code: string; raw: number | null; score: number | null; weight: number; points: number; se: number }[];
  rules: { rule: string; quantity: number; points: number; raw: number; capped: boolean }[];
}

describeEachStore('appraisal of the Jinhua counties', (store) => {
  let planId = '';
  let counties: string[] = [];
  /** What the loop holds per county, as the test put it there. */
  const seededTasks = new Map<string, { due: number; metOnTime: number }>();
  const seededProblems = new Map<string, ProblemRecord[]>();

  beforeAll(async () => {
    const { plan } = await plans.importPlan(store(), JINHUA);
    planId = plan.id;
    await loadDemo(store(), {
      planId,
      planFile: JINHUA,
      asOf: new Date('2026-11-29T00:00:00Z'),
      accounts: false,
      householdsPerCountyYear: 50,
    });
    counties = (await listOrgUnits(store().db, { within: plan.rootOrgUnit, level: 'county' })).map((u) => u.code);
    const db = store().db;
    for (const [k, county] of counties.entries()) {
      // Milestones due in 2024Q4: k % 4 + 2 of them; the first k % 3 met on time, one met late, the rest open.
      const item = await insertItem(db, {
        planId,
        list: 'key',
        taskNumber: null,
        origin: 'user',
        titleZh: `测试任务 ${county}`,
        leadUnit: county,
        scopeUnit: county,
        createdBy: 'test',
      });
      const due = (k % 4) + 2;
      let met = 0;
      for (let m = 0; m < due; m++) {
        const id = await insertMilestone(db, item, `节点${m}`, `2024-1${m % 3}-15`);
        if (m < k % 3) {
          await markMilestoneReached(db, id, at(`2024-1${m % 3}-14`));
          met++;
        } else if (m === k % 3) await markMilestoneReached(db, id, at(`2024-1${m % 3}-20`));
      }
      // A milestone of another quarter does not count.
      await insertMilestone(db, item, '下季度节点', '2025-01-15');
      seededTasks.set(county, { due, metOnTime: met });

      // Problems of the seven lists: k self-found closed in 10·(k+1) days; one higher-found open past
      // its deadline (overdue) when k is odd; one reopened once when k % 3 = 0; an indicator alert
      // (not a seven-list category) that must not count; one closed before the quarter (not counted).
      const records: ProblemRecord[] = [];
      const raise = async (p: {
        category: string;
        foundBy: 'self' | 'higher' | 'auto';
        created: string;
        deadline?: string;
        closed?: string;
        reopened?: number;
      }) => {
        const id = await insertProblem(db, {
          planId,
          title: `测试问题 ${county}`,
          category: p.category,
          sourceKind: 'free',
          orgUnit: county,
          foundBy: p.foundBy,
          createdBy: 'test',
          createdAt: at(p.created),
        });
        await updateProblem(db, id, {
          status: p.closed ? 'closed' : 'rectifying',
          deadline: p.deadline ? at(p.deadline) : null,
          closed_at: p.closed ? at(p.closed) : null,
          reopened: p.reopened ?? 0,
        });
      };
      for (let i = 0; i < k; i++) {
        const days = 10 * (i + 1);
        const closed = new Date(at('2024-10-01').getTime() + days * 86_400_000).toISOString().slice(0, 10);
        await raise({ category: 'safety', foundBy: 'self', created: '2024-10-01', deadline: '2024-11-10', closed });
        records.push({
          unit: county,
          list: 'safety',
          foundBy: 'self',
          daysToClose: days,
          overdue: days > 40,
          reopened: 0,
        });
      }
      if (k % 2 === 1) {
        await raise({ category: 'audit', foundBy: 'higher', created: '2024-09-01', deadline: '2024-11-30' });
        records.push({ unit: county, list: 'audit', foundBy: 'higher', daysToClose: null, overdue: true, reopened: 0 });
      }
      if (k % 3 === 0) {
        await raise({
          category: 'petition',
          foundBy: 'higher',
          created: '2024-10-05',
          deadline: '2025-03-01',
          reopened: 1,
        });
        records.push({
          unit: county,
          list: 'petition',
          foundBy: 'higher',
          daysToClose: null,
          overdue: false,
          reopened: 1,
        });
      }
      await raise({ category: 'indicator', foundBy: 'auto', created: '2024-10-02', deadline: '2024-10-10' });
      await raise({ category: 'media', foundBy: 'self', created: '2024-05-01', closed: '2024-06-01' });
      seededProblems.set(county, records);
    }

    // The synthetic survey of the quarter, imported as a file.
    const survey = await appraisal.loadDemoSurvey(store(), SYSTEM_CONTEXT, {
      period: PERIOD,
      respondentsPerCounty: 40,
    });
    expect(survey.rejected).toEqual([]);
    expect(survey.imported).toBe(9 * 40 * 5);

    // Events: approved ones count; a recorded one and a rejected one do not.
    const analyst = userCtx('analyst-a', 'analyst', '330700', (await getOrgUnit(store().db, '330700'))!.path);
    const leader = userCtx('leader-a', 'leader', '330700', (await getOrgUnit(store().db, '330700'))!.path);
    const pilot = await appraisal.recordEvent(store(), analyst, {
      period: PERIOD,
      orgUnit: YIWU,
      rule: 'national_pilot',
      quantity: 3,
      evidence: '国务院批复文号（测试）',
    });
    await appraisal.decideEvent(store(), leader, pilot.id, { approve: true });
    const accident = await appraisal.recordEvent(store(), analyst, {
      period: PERIOD,
      orgUnit: counties[0]!,
      rule: 'major_safety_accident',
      evidence: '事故通报（测试）',
    });
    await appraisal.decideEvent(store(), leader, accident.id, { approve: true });
    await appraisal.recordEvent(store(), analyst, {
      period: PERIOD,
      orgUnit: counties[1]!,
      rule: 'national_pilot',
      evidence: '待审核',
    });
    const rejected = await appraisal.recordEvent(store(), analyst, {
      period: PERIOD,
      orgUnit: counties[2]!,
      rule: 'provincial_award',
      evidence: '证据不足',
    });
    await appraisal.decideEvent(store(), leader, rejected.id, { approve: false, note: '证据不足' });
    // Whoever recorded an event does not approve it; automatic rules are not recorded by hand.
    await expect(appraisal.decideEvent(store(), analyst, pilot.id, { approve: true })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(
      appraisal.recordEvent(store(), analyst, {
        period: PERIOD,
        orgUnit: YIWU,
        rule: 'overdue_rectification',
        evidence: 'x',
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  }, 600_000);

  it('scores the nine counties; every number of a breakdown traces to its inputs', async () => {
    const run = await appraisal.scorePeriod(store(), SYSTEM_CONTEXT, { period: PERIOD });
    expect(run).toMatchObject({
      period: PERIOD,
      subject: 'county',
      version: 1,
      frozen: false,
      published: false,
      synthetic: true,
    });
    expect(run.scheme).toMatchObject({ id: 'county', version: 2 });
    const table = await appraisal.viewPeriod(store(), SYSTEM_CONTEXT, { period: PERIOD });
    expect(table.rows.map((r) => r.orgUnit).sort()).toEqual([...counties].sort());

    // The evaluation the indicator component read.
    const runId = await evaluation.latestRunId(store(), planId);
    const ranking = new Map(
      (await evaluation.runRanking(store(), SYSTEM_CONTEXT, runId, 2024)).rows.map((r) => [r.orgUnit, r]),
    );
    // The survey, recomputed from the generator: respondent means on 0–100, then weighted.
    const rows = generateDemoSurvey({ counties, period: PERIOD, respondentsPerCounty: 40 });
    const weights = { indicators: 40, tasks: 25, problems: 20, satisfaction: 15 };

    const totals: number[] = [];
    for (const [k, county] of counties.entries()) {
      const { score } = await appraisal.viewUnit(store(), SYSTEM_CONTEXT, { period: PERIOD, orgUnit: county });
      const b = score as unknown as Breakdown & typeof score;
      const c = Object.fromEntries(b.components.map((x) => [x.code, x]));

      const index = ranking.get(county)!.index!;
      expect(c.indicators!.raw).toBeCloseTo(index, 10);

      const t = seededTasks.get(county)!;
      expect(c.tasks!.raw).toBeCloseTo((100 * t.metOnTime) / t.due, 10);

      const problems = seededProblems.get(county)!;
      const pc = problemControlOf(county, problems, DEFAULT_PROBLEM_CONTROL);
      if (problems.length === 0) expect(c.problems!.raw).toBeNull();
      else expect(c.problems!.raw).toBeCloseTo(pc.index, 8);

      const byRespondent = new Map<string, { w: number; sum: number; n: number }>();
      for (const r of rows.filter((x) => x.unit === county && x.answer !== null)) {
        const e = byRespondent.get(r.respondent) ?? { w: r.weight, sum: 0, n: 0 };
        e.sum += ((r.answer! - 1) / 4) * 100;
        e.n++;
        byRespondent.set(r.respondent, e);
      }
      const list = [...byRespondent.values()];
      const sat = weightedEstimate(
        list.map((e) => e.sum / e.n),
        list.map((e) => e.w),
      );
      expect(c.satisfaction!.raw).toBeCloseTo(sat.mean, 8);
      expect(c.satisfaction!.se).toBeCloseTo(sat.se, 8);

      // Points: weight · score / 100, reweighted over present components when one is missing.
      const present = (Object.keys(weights) as (keyof typeof weights)[]).filter((key) => c[key]!.raw !== null);
      const factor = 100 / present.reduce((s, key) => s + weights[key], 0);
      let points = 0;
      for (const key of present) {
        const expected = (weights[key] * c[key]!.raw! * factor) / 100;
        expect(c[key]!.points, `${county} ${key}`).toBeCloseTo(expected, 8);
        points += expected;
      }
      // Rules: 3 pilots for Yiwu (+6, capped +4); an accident for the first county (−5); −0.5 per overdue
      // rectification (capped −3); −0.2 per reopening (capped −1).
      const bonus = county === YIWU ? 4 : 0;
      const overdue = problems.filter((p) => p.overdue).length;
      const reopened = problems.reduce((s, p) => s + p.reopened, 0);
      const deduction = (k === 0 ? 5 : 0) + Math.min(3, 0.5 * overdue) + Math.min(1, 0.2 * reopened);
      expect(score.bonuses).toBeCloseTo(bonus, 10);
      expect(score.deductions).toBeCloseTo(deduction, 10);
      expect(b.rules.find((r) => r.rule === 'overdue_rectification')?.quantity ?? 0).toBe(overdue);
      const total = Math.round((points + bonus - deduction) * 100) / 100;
      expect(score.total, county).toBeCloseTo(total, 10);
      totals.push(score.total);
      // The standard error comes from the survey alone: (15 · factor / 100) · SE.
      expect(score.se).toBeCloseTo((15 * factor * sat.se) / 100, 8);
    }
    // Competition ranking on the published totals.
    const ranks = rank(totals);
    for (const [k, county] of counties.entries())
      expect(table.rows.find((r) => r.orgUnit === county)!.rank, county).toBe(ranks[k]);
    // The first county's accident and Yiwu's pilots are in their breakdowns with the event ids.
    const yiwu = await appraisal.viewUnit(store(), SYSTEM_CONTEXT, { period: PERIOD, orgUnit: YIWU });
    expect((yiwu.score.rules as Breakdown['rules'])[0]).toMatchObject({
      rule: 'national_pilot',
      quantity: 3,
      raw: 6,
      points: 4,
      capped: true,
    });
  });

  it('shows a county its own row and breakdown, not the others', async () => {
    const path = (await getOrgUnit(store().db, YIWU))!.path;
    const yiwuLeader = userCtx('leader-yiwu', 'leader', YIWU, path);
    // Not published yet: a county sees nothing.
    await expect(appraisal.viewPeriod(store(), yiwuLeader, { period: PERIOD })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await appraisal.publishPeriod(store(), SYSTEM_CONTEXT, { period: PERIOD });
    const own = await appraisal.viewPeriod(store(), yiwuLeader, { period: PERIOD });
    expect(own.rows.map((r) => r.orgUnit)).toEqual([YIWU]);
    const breakdown = await appraisal.viewUnit(store(), yiwuLeader, { period: PERIOD, orgUnit: YIWU });
    expect(breakdown.score.orgUnit).toBe(YIWU);
    await expect(
      appraisal.viewUnit(store(), yiwuLeader, { period: PERIOD, orgUnit: counties[0]! }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    // A county leader does not publish.
    await expect(appraisal.publishPeriod(store(), yiwuLeader, { period: PERIOD })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('keeps a published period frozen; a correction is a new version with its reason', async () => {
    const published = await appraisal.viewPeriod(store(), SYSTEM_CONTEXT, { period: PERIOD });
    expect(published.run).toMatchObject({ version: 1, frozen: true, published: true });
    await expect(appraisal.scorePeriod(store(), SYSTEM_CONTEXT, { period: PERIOD })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(appraisal.publishPeriod(store(), SYSTEM_CONTEXT, { period: PERIOD })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    // Not even the database lets it change.
    await expect(
      sql`UPDATE appraisal_score SET total = 0 WHERE run_id = ${published.run.id}`.execute(store().db),
    ).rejects.toThrow(/written once/);
    await expect(sql`DELETE FROM appraisal_run WHERE id = ${published.run.id}`.execute(store().db)).rejects.toThrow(
      /frozen/,
    );
    await expect(
      sql`UPDATE appraisal_run SET reason = 'x' WHERE id = ${published.run.id}`.execute(store().db),
    ).rejects.toThrow(/published/);

    // An accident reported late: approved now, it enters the correction, not the published version.
    const county = counties[4]!;
    const late = await appraisal.recordEvent(store(), SYSTEM_CONTEXT, {
      period: PERIOD,
      orgUnit: county,
      rule: 'major_safety_accident',
      evidence: '补报事故通报（测试）',
    });
    await appraisal.decideEvent(store(), SYSTEM_CONTEXT, late.id, { approve: true });
    const correction = await appraisal.scorePeriod(store(), SYSTEM_CONTEXT, {
      period: PERIOD,
      reason: '补报重大安全事故',
    });
    expect(correction).toMatchObject({
      version: 2,
      correctedFrom: published.run.id,
      reason: '补报重大安全事故',
      published: false,
    });
    // Until the correction is published, the published version is what is shown.
    expect((await appraisal.viewPeriod(store(), SYSTEM_CONTEXT, { period: PERIOD })).run.version).toBe(1);
    await appraisal.publishPeriod(store(), SYSTEM_CONTEXT, { period: PERIOD });
    const now = await appraisal.viewPeriod(store(), SYSTEM_CONTEXT, { period: PERIOD });
    expect(now.run).toMatchObject({ version: 2, published: true });
    expect(now.versions.map((v) => [v.version, v.published])).toEqual([
      [2, true],
      [1, true],
    ]);
    const before = published.rows.find((r) => r.orgUnit === county)!;
    const after = now.rows.find((r) => r.orgUnit === county)!;
    expect(after.deductions).toBeCloseTo(before.deductions + 5, 10);
    expect(after.total).toBeCloseTo(Math.max(0, before.total - 5), 10);
    // Version 1 is still there, unchanged.
    const v1 = await appraisal.viewPeriod(store(), SYSTEM_CONTEXT, { period: PERIOD, version: 1 });
    expect(v1.rows.find((r) => r.orgUnit === county)!.total).toBe(before.total);
  });

  it('scores each period under the scheme in force then, and carries the rank change', async () => {
    const old = await appraisal.scorePeriod(store(), SYSTEM_CONTEXT, { period: '2023Q4' });
    expect(old.scheme).toMatchObject({ id: 'county', version: 1 });
    const unit = await appraisal.viewUnit(store(), SYSTEM_CONTEXT, { period: '2023Q4', orgUnit: YIWU });
    expect((unit.score.components as Breakdown['components']).map((c) => c.code)).toEqual([
      'indicators',
      'tasks',
      'problems',
    ]);

    // 2025Q1 after the published 2024Q4: rank change = previous rank − rank.
    const next = await appraisal.scorePeriod(store(), SYSTEM_CONTEXT, { period: '2025Q1' });
    expect(next.sources).toMatchObject({ previousRun: expect.any(Number) });
    const q4 = await appraisal.viewPeriod(store(), SYSTEM_CONTEXT, { period: PERIOD });
    const q1 = await appraisal.viewPeriod(store(), SYSTEM_CONTEXT, { period: '2025Q1' });
    for (const r of q1.rows) expect(r.rankChange).toBe(q4.rows.find((x) => x.orgUnit === r.orgUnit)!.rank - r.rank);
    await expect(appraisal.scorePeriod(store(), SYSTEM_CONTEXT, { period: '2020Q4' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(appraisal.scorePeriod(store(), SYSTEM_CONTEXT, { period: '202410' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('scores the departments under their own scheme, and shows the problem index per list', async () => {
    const run = await appraisal.scorePeriod(store(), SYSTEM_CONTEXT, { period: PERIOD, subject: 'department' });
    expect(run.scheme).toMatchObject({ id: 'department', version: 1 });
    const table = await appraisal.viewPeriod(store(), SYSTEM_CONTEXT, { period: PERIOD, subject: 'department' });
    const departments = await listOrgUnits(store().db, { within: '330700', kind: 'department' });
    expect(table.rows).toHaveLength(departments.length);
    // A county's breakdown has the problem-control index of each list it has problems on.
    const k = 3; // odd and ≡ 0 (mod 3): safety (3 self-found), audit (overdue) and petition (reopened)
    const { score } = await appraisal.viewUnit(store(), SYSTEM_CONTEXT, {
      period: PERIOD,
      orgUnit: counties[k]!,
      version: 1,
    });
    const byList = (score.detail as { trace: { problems: { byList: { list: string; found: number }[] } } }).trace
      .problems.byList;
    expect(byList.map((l) => [l.list, l.found])).toEqual([
      ['audit', 1],
      ['petition', 1],
      ['safety', 3],
    ]);
  });

  it('imports a survey CSV with an error per row, all or nothing unless partial', async () => {
    const content = await readFile(ERRORS_CSV);
    const refused = appraisal.importSurvey(store(), SYSTEM_CONTEXT, 'survey-errors.csv', content);
    await expect(refused).rejects.toMatchObject({ code: 'INVALID_FILE' });
    const partial = await appraisal.importSurvey(store(), SYSTEM_CONTEXT, 'survey-errors.csv', content, {
      partial: true,
    });
    expect(partial.imported).toBe(3);
    expect(partial.rejected.map((i) => [i.row, i.column, i.code])).toEqual([
      [4, 'weight', 'not_a_number'],
      [5, 'unit', 'unknown_org_unit'],
      [6, 'answer', 'above_maximum'],
      [7, 'question', 'duplicate_row'],
      [8, 'weight', 'below_minimum'],
      [9, 'period', 'bad_period'],
      [10, 'weight', 'duplicate_row'],
      [11, 'respondent', 'missing_value'],
    ]);
    expect(partial.rejected[0]!.message.zh).toContain('权重');
  });

  it('imports a survey workbook (.xlsx), and its satisfaction enters the appraisal', async () => {
    // 2025Q2 has no demo survey: one county answers through a workbook.
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('问卷');
    ws.addRow(['受访者编号', '权重', '单位代码', '题目', '答案']);
    // Two respondents of 婺城区 (330702): (5, 4) → 87.5 with weight 1; (3, 3) → 50 with weight 3.
    // Satisfaction = (87.5 + 150)/4 = 59.375.
    ws.addRow(['A1', 1, '330702', 'q1', 5]);
    ws.addRow(['A1', 1, '330702', 'q2', 4]);
    ws.addRow(['A2', 3, '330702', 'q1', 3]);
    ws.addRow(['A2', 3, '330702', 'q2', 3]);
    const buffer = new Uint8Array(await wb.xlsx.writeBuffer());
    const result = await appraisal.importSurvey(store(), SYSTEM_CONTEXT, 'survey.xlsx', buffer, { period: '2025Q2' });
    expect(result).toMatchObject({ imported: 4, rejected: [] });
    await appraisal.scorePeriod(store(), SYSTEM_CONTEXT, { period: '2025Q2' });
    const { score } = await appraisal.viewUnit(store(), SYSTEM_CONTEXT, { period: '2025Q2', orgUnit: '330702' });
    const sat = (score.components as Breakdown['components']).find((c) => c.code === 'satisfaction')!;
    expect(sat.raw).toBeCloseTo(59.375, 10);
    // A county without answers has no satisfaction component: the others are reweighted.
    const other = await appraisal.viewUnit(store(), SYSTEM_CONTEXT, { period: '2025Q2', orgUnit: YIWU });
    expect((other.score.components as Breakdown['components']).find((c) => c.code === 'satisfaction')!.raw).toBeNull();
  });

  it('serves the table and a breakdown over HTTP, scoped to what the asker may read', async () => {
    const app = await buildApp({ store: store() });
    try {
      const password = 'Appraisal-Pass-42';
      await users.addUser(store(), SYSTEM_CONTEXT, {
        username: 'http-leader-yiwu',
        password,
        grants: [{ role: 'leader', unit: YIWU }],
      });
      await users.addUser(store(), SYSTEM_CONTEXT, {
        username: 'http-analyst',
        password,
        grants: [{ role: 'analyst', unit: '330700' }],
      });
      expect((await new Browser(app).request('GET', `/api/v1/appraisals/${PERIOD}`)).status).toBe(401);

      const county = new Browser(app);
      expect((await county.login('http-leader-yiwu', password)).status).toBe(200);
      const own = await county.request('GET', `/api/v1/appraisals/${PERIOD}`);
      expect(own.status).toBe(200);
      const body = own.body as {
        run: { version: number; published: boolean; synthetic: boolean };
        rows: { orgUnit: string; total: number; components: unknown[] }[];
      };
      expect(body.run).toMatchObject({ version: 2, published: true, synthetic: true });
      expect(body.rows.map((r) => r.orgUnit)).toEqual([YIWU]);
      expect(body.rows[0]!.components).toHaveLength(4);
      const unit = await county.request('GET', `/api/v1/appraisals/${PERIOD}/units/${YIWU}`);
      expect(unit.status).toBe(200);
      expect((unit.body as { score: { detail: { input: { unit: string } } } }).score.detail.input.unit).toBe(YIWU);
      expect((await county.request('GET', `/api/v1/appraisals/${PERIOD}/units/${counties[0]}`)).status).toBe(404);

      const analyst = new Browser(app);
      expect((await analyst.login('http-analyst', password)).status).toBe(200);
      const all = await analyst.request('GET', `/api/v1/appraisals/${PERIOD}?version=1`);
      expect((all.body as { rows: unknown[]; run: { version: number } }).rows).toHaveLength(9);
      expect((all.body as { run: { version: number } }).run.version).toBe(1);
      const scored = await analyst.request('POST', '/api/v1/appraisals/2025Q3/score', {});
      expect(scored.status).toBe(201);
      // An analyst scores but does not publish.
      expect((await analyst.request('POST', '/api/v1/appraisals/2025Q3/publish', {})).status).toBe(403);
      const upload = await analyst.upload(
        '/api/v1/surveys/import?period=2025Q3&scale=0-10',
        'survey.csv',
        `respondent,weight,unit,question,answer\nH1,1,${YIWU},q1,8\nH2,1,${YIWU},q1,11\n`,
      );
      expect(upload.status).toBe(422);
      expect(JSON.stringify(upload.body)).toContain('off the scale 0–10');
    } finally {
      await app.close();
    }
  });

  it('writes every change to the audit trail', async () => {
    const { rows } = await sql<{
      action: string;
    }>`SELECT DISTINCT action FROM audit_log WHERE action LIKE 'appraisal.%' OR action = 'survey.import'`.execute(
      store().db,
    );
    expect(rows.map((r) => r.action).sort()).toEqual([
      'appraisal.event.approve',
      'appraisal.event.record',
      'appraisal.event.reject',
      'appraisal.publish',
      'appraisal.score',
      'survey.import',
    ]);
  });
});
