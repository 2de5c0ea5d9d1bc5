/**
 * The closed loop end to end, on both databases: an off-track indicator opens a problem (once, however
 * often the evaluation runs), it is assigned, rectified, fails verification, is rectified again and
 * closed, and its history names every step with who and why; an illegal jump is refused; overdue
 * problems escalate once per level; the loop figures count it.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_AUTH } from '../src/config.js';
import type { Role } from '../src/domain/access.js';
import { buildApp } from '../src/http/app.js';
import { SYSTEM_CONTEXT, type RequestContext } from '../src/services/context.js';
import * as data from '../src/services/data.js';
import * as evaluation from '../src/services/evaluation.js';
import * as notifications from '../src/services/notifications.js';
import * as plans from '../src/services/plans.js';
import * as problems from '../src/services/problems.js';
import * as users from '../src/services/users.js';
import { getOrgUnit } from '../src/store/org-units.js';
import { findProblems, type ProblemRow } from '../src/store/problems.js';
import { can, scopesOf } from '../src/domain/access.js';
import { deadlineState, type ProblemStatus } from '../src/domain/problem-workflow.js';
import type { Store } from '../src/store/db.js';
import { Browser } from './support/http-client.js';
import { describeEachStore } from './support/stores.js';

const MINI = new URL('./fixtures/mini-plan/plan.yaml', import.meta.url).pathname;
const PASSWORD = 'Loop-Closed-42';

async function person(store: Store, username: string, role: Role, unit: string): Promise<RequestContext> {
  const { user } = await users.addUser(store, SYSTEM_CONTEXT, {
    username,
    password: PASSWORD,
    grants: [{ role, unit }],
  });
  const path = (await getOrgUnit(store.db, unit))!.path;
  return {
    actor: { kind: 'user', userId: user.id, username, grants: [{ role, unit, unitPath: path }], via: 'session' },
    address: null,
  };
}

const factories = (value: number) => [{ indicator: 'SMART_FACTORIES', orgUnit: '990100', period: '2021', value }];

describeEachStore('the closed loop', (store) => {
  let supervisor: RequestContext;
  let member: RequestContext;
  let countySupervisor: RequestContext;
  let app: FastifyInstance;
  let problemId: number;

  beforeAll(async () => {
    await plans.importPlan(store(), MINI);
    supervisor = await person(store(), 'dc', 'supervisor', '990100');
    member = await person(store(), 'fgw', 'unit_member', '990100-fgw');
    countySupervisor = await person(store(), 'dc-east', 'supervisor', '990101');
    await person(store(), 'east', 'unit_member', '990101');
    app = await buildApp({ store: store(), auth: { ...DEFAULT_AUTH, loginAttemptsPerMinute: 10_000 } });
  });
  afterAll(async () => {
    await app.close();
  });

  it('opens one problem for an off-track indicator, however often the evaluation runs', async () => {
    // 每年培育智能工厂30个以上: 10 in 2021 is off track.
    await data.saveValues(store(), SYSTEM_CONTEXT, factories(10), { status: 'approved' });
    await evaluation.runEvaluation(store(), SYSTEM_CONTEXT);
    const opened = await problems.listProblems(store(), supervisor, { indicator: 'SMART_FACTORIES' });
    expect(opened).toHaveLength(1);
    const p = opened[0]!;
    problemId = p.id;
    expect(p).toMatchObject({
      status: 'open',
      foundBy: 'auto',
      category: 'indicator',
      orgUnit: '990100',
      assignedUnit: '990100',
      redRuns: 1,
      allowedTransitions: ['assign'],
    });
    expect((await problems.getProblem(store(), supervisor, p.id)).evidence).toMatchObject({
      value: 10,
      status: 'off_track',
      target: { targetValue: 30 },
    });

    await evaluation.runEvaluation(store(), SYSTEM_CONTEXT);
    await evaluation.runEvaluation(store(), SYSTEM_CONTEXT);
    const again = await problems.listProblems(store(), supervisor, { indicator: 'SMART_FACTORIES' });
    expect(again.map((x) => x.id)).toEqual([problemId]);
    expect(again[0]!.redRuns).toBe(3);
    const all = await problems.listProblems(store(), supervisor);
    // every red cell has exactly one problem not closed
    const keys = all.filter((x) => x.status !== 'closed').map((x) => `${x.source.indicator}|${x.orgUnit}`);
    expect(new Set(keys).size).toBe(keys.length);
    const history = (await problems.getProblem(store(), supervisor, problemId)).history;
    expect(history.map((h) => h.kind)).toEqual(['raised', 'alert', 'alert']);
  });

  it('says so when the indicator recovers', async () => {
    await data.saveValues(store(), SYSTEM_CONTEXT, factories(40), { status: 'approved' });
    await evaluation.runEvaluation(store(), SYSTEM_CONTEXT);
    const p = await problems.getProblem(store(), supervisor, problemId);
    expect(p.recoveredAt).not.toBeNull();
    expect(p.history.at(-1)).toMatchObject({ kind: 'recovered', by: 'system' });
    expect(p.history.at(-1)!.reason).toMatch(/已恢复.*can be verified and closed/);
    // red again: the same problem, not a new one
    await data.saveValues(store(), SYSTEM_CONTEXT, factories(12), { status: 'approved' });
    await evaluation.runEvaluation(store(), SYSTEM_CONTEXT);
    const back = await problems.listProblems(store(), supervisor, { indicator: 'SMART_FACTORIES' });
    expect(back.map((x) => x.id)).toEqual([problemId]);
    expect(back[0]!.recoveredAt).toBeNull();
  });

  it('refuses open → closed and actions by the wrong side', async () => {
    await expect(
      problems.transitionProblem(store(), supervisor, problemId, { transition: 'close', reason: '已整改' }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      details: { message: { zh: '问题当前为“待交办”，不能“验收通过，销号”；此时可以：交办' } },
    });
    const assign = { transition: 'assign', assignedUnit: '990100-fgw', deadline: '2099-01-01' } as const;
    // a unit member does not even see a problem not assigned to their unit; a leader sees it but may not assign
    await expect(problems.transitionProblem(store(), member, problemId, assign)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const leader = await person(store(), 'boss', 'leader', '990100');
    await expect(problems.transitionProblem(store(), leader, problemId, assign)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(
      problems.transitionProblem(store(), supervisor, problemId, { transition: 'assign', assignedUnit: '990100-fgw' }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect((await problems.getProblem(store(), supervisor, problemId)).status).toBe('open');
  });

  it('walks assignment, rectification, a failed verification, a second rectification and closure', async () => {
    const t0 = Date.now();
    const step = (
      ctx: RequestContext,
      transition: problems.TransitionInput['transition'],
      more: Partial<problems.TransitionInput> = {},
    ) => problems.transitionProblem(store(), ctx, problemId, { transition, ...more });
    const assigned = await step(supervisor, 'assign', {
      assignedUnit: '990100-fgw',
      deadline: '2099-06-30',
      reason: '请市发改委牵头整改',
    });
    expect(assigned).toMatchObject({ status: 'assigned', assignedUnit: '990100-fgw', allowedTransitions: [] });
    // the member sees it as theirs, with what they may do
    const mine = await problems.listProblems(store(), member, { assignee: 'me' });
    expect(mine.map((x) => [x.id, x.allowedTransitions])).toEqual([[problemId, ['start']]]);
    await expect(step(member, 'submit', { reason: 'x' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await step(member, 'start');
    await expect(step(member, 'submit')).rejects.toMatchObject({ code: 'INVALID_INPUT' }); // a reason is required
    await step(member, 'submit', { reason: '已出台扶持政策，新增智能工厂12个' });
    await expect(step(member, 'close')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const returned = await step(supervisor, 'reject', { reason: '佐证材料不足' });
    expect(returned).toMatchObject({ status: 'rectifying', reopened: 1 });
    await step(member, 'submit', { reason: '补充了认定文件' });
    const closed = await step(supervisor, 'close', { reason: '验收通过' });
    expect(closed.status).toBe('closed');
    expect(Date.parse(closed.closedAt!)).toBeGreaterThanOrEqual(t0);
    expect(closed.allowedTransitions).toEqual([]);

    const steps = closed.history
      .filter((h) => h.kind === 'transition')
      .map((h) => [h.transition, h.from, h.to, h.by, h.reason]);
    expect(steps).toEqual([
      ['assign', 'open', 'assigned', 'dc', '请市发改委牵头整改'],
      ['start', 'assigned', 'rectifying', 'fgw', null],
      ['submit', 'rectifying', 'awaiting_verification', 'fgw', '已出台扶持政策，新增智能工厂12个'],
      ['reject', 'awaiting_verification', 'rectifying', 'dc', '佐证材料不足'],
      ['submit', 'rectifying', 'awaiting_verification', 'fgw', '补充了认定文件'],
      ['close', 'awaiting_verification', 'closed', 'dc', '验收通过'],
    ]);
    const inbox = await notifications.inbox(store(), member);
    expect(inbox.map((n) => n.kind).sort()).toEqual(['assigned', 'returned']);
    const supInbox = (await notifications.inbox(store(), supervisor)).map((n) => n.kind);
    expect(supInbox.filter((k) => k === 'to_verify')).toHaveLength(2);
    // closed: a new red spell opens a new problem
    await evaluation.runEvaluation(store(), SYSTEM_CONTEXT);
    const after = await problems.listProblems(store(), supervisor, { indicator: 'SMART_FACTORIES' });
    expect(after.map((x) => x.status)).toEqual(['open', 'closed']);
  });

  it('flags overdue problems and escalates each level once after the grace period (3 days)', async () => {
    const raised = await problems.raiseProblem(store(), countySupervisor, {
      title: '信访反映农村公路破损',
      category: 'petition',
      orgUnit: '990101',
      foundBy: 'higher',
    });
    const start = new Date('2030-01-01T00:00:00Z');
    await problems.transitionProblem(store(), countySupervisor, raised.id, {
      transition: 'assign',
      assignedUnit: '990101',
      deadline: '2030-01-10T00:00:00Z',
      at: start,
    });
    const day = (d: number) => new Date(Date.parse('2030-01-10T00:00:00Z') + d * 86_400_000);
    const at = async (d: number) =>
      (await problems.listProblems(store(), supervisor, { now: day(d) })).find((x) => x.id === raised.id)!;
    expect(await at(-1)).toMatchObject({ overdue: false, dueSoon: true, escalationLevel: 0 });
    expect(await at(2)).toMatchObject({ overdue: true, daysOverdue: 2, escalationLevel: 0, escalatedTo: null });
    expect(await at(4)).toMatchObject({ overdue: true, escalationLevel: 1, escalatedTo: '990100' });
    expect(
      (await problems.listProblems(store(), supervisor, { now: day(4), overdue: true })).map((x) => x.id),
    ).toContain(raised.id);

    const first = await problems.sweepProblems(store(), SYSTEM_CONTEXT, { now: day(4) });
    expect(first.escalated).toBe(1);
    const again = await problems.sweepProblems(store(), SYSTEM_CONTEXT, { now: day(5) });
    expect(again).toMatchObject({ escalated: 0, notifications: 0 });
    const escalations = (await notifications.inbox(store(), supervisor)).filter((n) => n.kind === 'escalated');
    expect(escalations).toHaveLength(1);
    expect(escalations[0]!.message.zh).toMatch(/提级督办/);
    const eastInbox = (await problems.getProblem(store(), supervisor, raised.id)).history.map((h) => h.kind);
    expect(eastInbox).toEqual(['raised', 'transition', 'escalated']);
  });

  it('counts the loop per unit and per county', async () => {
    const f = await problems.loopFigures(store(), supervisor, { now: new Date('2030-01-20T00:00:00Z') });
    const fgw = f.byUnit.find((u) => u.group === '990100-fgw')!;
    expect(fgw).toMatchObject({ total: 1, open: 0, closed: 1, closedOnTime: 1, overdue: 0 });
    const east = f.byCounty.find((u) => u.group === '990101')!;
    expect(east).toMatchObject({ name: '东区', total: 1, open: 1, overdue: 1, closed: 0, averageDaysToClose: null });
    expect(f.total.total).toBe(f.byUnit.reduce((s, u) => s + u.total, 0));
    await expect(problems.loopFigures(store(), countySupervisor, {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await problems.loopFigures(store(), countySupervisor, { under: '990101' })).total.total).toBe(1);
  });

  it('serves problems with allowedTransitions and the transition route over HTTP', async () => {
    const b = new Browser(app);
    expect((await b.login('dc', PASSWORD)).status).toBe(200);
    const list = await b.get('/api/v1/problems?status=open&orgUnit=990100');
    expect(list.status).toBe(200);
    const open = list.body.items.find(
      (x: { source: { indicator: string } }) => x.source.indicator === 'SMART_FACTORIES',
    );
    expect(open.allowedTransitions).toEqual(['assign']);
    const refused = await b.post(`/api/v1/problems/${open.id}/transitions`, { transition: 'close', reason: 'x' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.details.message.zh).toMatch(/不能/);
    const ok = await b.post(`/api/v1/problems/${open.id}/transitions`, {
      transition: 'assign',
      deadline: '2099-01-01',
    });
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('assigned');
    expect(
      (await b.get('/api/v1/problems?overdue=true')).body.items.every((x: { overdue: boolean }) => x.overdue),
    ).toBe(true);
    expect((await b.get('/api/v1/loop-figures')).status).toBe(200);
    expect(
      (await b.get('/api/v1/problem-categories')).body.items.filter((c: { sevenLists: boolean }) => c.sevenLists),
    ).toHaveLength(7);
  });
  it('opens problems below the root only down to GONGFU_ALERT_DEPTH levels (default: the root only)', async () => {
    // PM2.5 is to keep falling (trend, down); at 990101 it rises: off track at a county.
    const pm25 = [
      { indicator: 'PM25', orgUnit: '990101', period: '2021', value: 30 },
      { indicator: 'PM25', orgUnit: '990101', period: '2022', value: 36 },
    ];
    await data.saveValues(store(), SYSTEM_CONTEXT, pm25, { status: 'approved' });
    const { evaluation: ev } = await evaluation.runEvaluation(store(), SYSTEM_CONTEXT);
    expect(ev.indicators.get('PM25')!.cells.find((c) => c.unit === '990101')!.status).toBe('off_track');
    const atCounty = () => problems.listProblems(store(), supervisor, { indicator: 'PM25', orgUnit: '990101' });
    expect(await atCounty()).toHaveLength(0);
    process.env.GONGFU_ALERT_DEPTH = '1';
    try {
      await evaluation.runEvaluation(store(), SYSTEM_CONTEXT);
    } finally {
      delete process.env.GONGFU_ALERT_DEPTH;
    }
    const opened = await atCounty();
    expect(opened.map((p) => [p.orgUnit, p.assignedUnit, p.foundBy])).toEqual([['990101', '990101', 'auto']]);
  });

  it('pages problems with a total, every filter in SQL giving the rows the in-memory filter gave', async () => {
    // More problems: several units, categories, who found them, deadlines around a fixed instant.
    const units = ['990100', '990101', '990102', '990101001'];
    const categories = ['petition', 'audit', 'media', 'other'] as const;
    const assignTo = ['990100-fgw', '990101', '990102', '990101001'];
    const deadlines = ['2030-03-01', '2030-03-02T00:00:00+08:00', '2030-03-05'];
    for (let i = 0; i < 12; i++) {
      const raised = await problems.raiseProblem(store(), SYSTEM_CONTEXT, {
        title: `分页测试问题${i}`,
        category: categories[i % 4]!,
        orgUnit: units[i % 4]!,
        foundBy: i % 3 === 0 ? 'self' : 'higher',
      });
      if (i % 4 === 3) continue; // left open, without a deadline
      await problems.transitionProblem(store(), SYSTEM_CONTEXT, raised.id, {
        transition: 'assign',
        assignedUnit: assignTo[(i + 1) % 4]!,
        deadline: deadlines[i % 3]!,
        ...(i % 5 === 0 && { assignee: (member.actor as { userId: number }).userId }),
        at: new Date('2030-01-01T00:00:00Z'),
      });
    }
    const planId = await plans.currentPlanId(store());
    // The rule as it was before: every row of the plan, filtered in memory.
    type Q = problems.ProblemQuery;
    const before = async (ctx: RequestContext, q: Q, now: Date): Promise<number[]> => {
      const all: ProblemRow[] = await findProblems(store().db, { planId });
      const within = q.orgUnit ? (await getOrgUnit(store().db, q.orgUnit))!.path : undefined;
      const rectify = scopesOf(ctx.actor, 'problem.rectify');
      return all
        .filter((r) => !q.status || q.status.includes(r.status))
        .filter((r) => !within || r.unit_path.startsWith(within) || !!r.assigned_path?.startsWith(within))
        .filter((r) => !q.category || r.category === q.category)
        .filter((r) => !q.foundBy || r.found_by === q.foundBy)
        .filter((r) => !q.indicator || r.indicator === q.indicator)
        .filter((r) => typeof q.assignee !== 'number' || r.assignee === q.assignee)
        .filter(
          (r) =>
            can(ctx.actor, 'problem.read', r.unit_path) ||
            (r.assigned_path !== null && can(ctx.actor, 'problem.read', r.assigned_path)),
        )
        .filter(
          (r) =>
            q.assignee !== 'me' ||
            (ctx.actor.kind === 'user' && r.assignee === ctx.actor.userId) ||
            (r.assigned_path !== null && rectify.some((x) => r.assigned_path!.startsWith(x))),
        )
        .filter((r) => q.overdue === undefined || deadlineState(r, now).overdue === q.overdue)
        .map((r) => r.id);
    };
    const paged = async (ctx: RequestContext, q: Q, limit: number) => {
      const ids: number[] = [];
      let total = -1;
      for (let offset: number | null = 0; offset !== null;) {
        const page = await problems.pageProblems(store(), ctx, { ...q, limit, offset });
        expect(page.items.length).toBeLessThanOrEqual(limit);
        if (total >= 0) expect(page.total).toBe(total);
        total = page.total;
        ids.push(...page.items.map((x) => x.id));
        offset = page.nextOffset;
      }
      return { ids, total };
    };
    // At, just before and just after the deadlines (a date's deadline: 23:59:59 China time).
    const nows = [
      new Date('2030-02-28T12:00:00Z'),
      new Date('2030-03-01T15:59:58Z'),
      new Date('2030-03-01T15:59:59Z'),
      new Date('2030-03-01T15:59:59.001Z'),
      new Date('2030-03-01T16:00:00Z'),
      new Date('2030-03-06T00:00:00Z'),
    ];
    const statusSets: (ProblemStatus[] | undefined)[] = [undefined, ['open'], ['assigned', 'rectifying'], ['closed']];
    const queries: Q[] = [
      {},
      { orgUnit: '990101' },
      { orgUnit: '990100-fgw' },
      { category: 'petition' },
      { foundBy: 'self' },
      { foundBy: 'auto' },
      { indicator: 'SMART_FACTORIES' },
      { assignee: (member.actor as { userId: number }).userId },
      { assignee: 'me' },
      { orgUnit: '990102', foundBy: 'higher' },
    ];
    let compared = 0;
    let nonEmpty = 0;
    for (const ctx of [supervisor, countySupervisor, member, SYSTEM_CONTEXT])
      for (const q of queries)
        for (const status of statusSets)
          for (const overdue of [undefined, true, false]) {
            const now = nows[compared % nows.length]!;
            const query = { ...q, status, overdue, now };
            const want = await before(ctx, query, now);
            const got = await paged(ctx, query, 4);
            expect(got.ids, JSON.stringify({ ctx: ctx.actor, query })).toEqual(want);
            expect(got.total).toBe(want.length);
            compared++;
            if (want.length > 0) nonEmpty++;
          }
    expect(nonEmpty).toBeGreaterThan(compared / 3);

    // Overdue in SQL is deadlineState's overdue, at every instant around every deadline.
    const rows = await findProblems(store().db, { planId });
    const instants = [...new Set(rows.flatMap((r) => (r.deadline ? [r.deadline.getTime()] : [])))].flatMap((t) => [
      t - 1,
      t,
      t + 1,
    ]);
    expect(instants.length).toBeGreaterThanOrEqual(9);
    for (const t of instants) {
      const now = new Date(t);
      const overdue = await problems.listProblems(store(), SYSTEM_CONTEXT, { overdue: true, now });
      expect(overdue.map((x) => x.id)).toEqual(rows.filter((r) => deadlineState(r, now).overdue).map((r) => r.id));
      expect(overdue.every((x) => x.overdue)).toBe(true);
      const notOverdue = await problems.countProblems(store(), SYSTEM_CONTEXT, { overdue: false, now });
      expect(notOverdue + overdue.length).toBe(rows.length);
    }

    // Urgent order: overdue first, the earliest deadline first, then the oldest.
    const at = new Date('2030-03-03T00:00:00Z');
    const urgent = (await problems.pageProblems(store(), supervisor, { order: 'urgent', limit: 500, now: at })).items;
    const flags = urgent.map((x) => x.overdue);
    expect(flags.indexOf(false)).toBe(flags.lastIndexOf(true) + 1);
    const late = urgent.filter((x) => x.overdue).map((x) => x.deadline!);
    expect(late).toEqual([...late].sort());
  });

  it('leaves the evidence out of lists and keeps it in the problem', async () => {
    const page = await problems.pageProblems(store(), supervisor, { indicator: 'SMART_FACTORIES', limit: 10 });
    expect(page.items.length).toBeGreaterThan(0);
    for (const item of page.items) expect(item).not.toHaveProperty('evidence');
    const detail = await problems.getProblem(store(), supervisor, page.items[0]!.id);
    expect(detail.evidence).toMatchObject({ status: 'off_track', target: { targetValue: 30 } });

    const b = new Browser(app);
    expect((await b.login('dc', PASSWORD)).status).toBe(200);
    const first = await b.get('/api/v1/problems?limit=5');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ limit: 5, offset: 0, nextOffset: 5 });
    expect(first.body.items).toHaveLength(5);
    expect(first.body.total).toBeGreaterThan(10);
    for (const item of first.body.items) expect(item).not.toHaveProperty('evidence');
    const all = await b.get('/api/v1/problems');
    expect(all.body.limit).toBe(50);
    expect(all.body.total).toBe(first.body.total);
    const second = await b.get('/api/v1/problems?limit=5&offset=5');
    expect(second.body.items.map((x: { id: number }) => x.id)).toEqual(
      all.body.items.slice(5, 10).map((x: { id: number }) => x.id),
    );
    const count = await b.get('/api/v1/problems?limit=0&status=open');
    expect(count.body.items).toEqual([]);
    expect(count.body.total).toBe(all.body.items.filter((x: { status: string }) => x.status === 'open').length);
    expect((await b.get('/api/v1/problems?limit=501')).status).toBe(400);
    expect((await b.get('/api/v1/problems?offset=-1')).status).toBe(400);
    const one = await b.get(`/api/v1/problems/${page.items[0]!.id}`);
    expect(one.body.evidence).toMatchObject({ status: 'off_track' });
  });
});
