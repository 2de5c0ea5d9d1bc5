/**
 * Target adjustment (动态调整) on both databases: propose, the four-eyes rule, approval, the evaluation
 * against the adjusted and the original targets (both kept, side by side), rejection and withdrawal
 * changing nothing, superseding, lifting, reproduction of a run with the targets it used, and the audit.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_AUTH } from '../src/config.js';
import { buildApp } from '../src/http/app.js';
import { SYSTEM_CONTEXT } from '../src/services/context.js';
import * as data from '../src/services/data.js';
import * as plans from '../src/services/plans.js';
import * as users from '../src/services/users.js';
import { searchAudit } from '../src/store/audit.js';
import { Browser } from './support/http-client.js';
import { describeEachStore } from './support/stores.js';

const MINI = new URL('./fixtures/mini-plan/plan.yaml', import.meta.url).pathname;
const PASSWORD = 'Adjust-Target-7';

describeEachStore('target adjustments', (store) => {
  let app: FastifyInstance;
  const as: Record<string, Browser> = {};
  let first: number; // the adjustment approved first (INC_PC ≥ 75,000 → ≥ 50,000)
  let adjustedRun: { id: number; fingerprint: string };
  let originalRun: { id: number; fingerprint: string };

  beforeAll(async () => {
    await plans.importPlan(store(), MINI);
    const v = (indicator: string, orgUnit: string, period: string, value: number) => ({
      indicator,
      orgUnit,
      period,
      value,
    });
    // City income (population-weighted): 2020 (60000·100 + 40000·300)/400 = 45,000; 2022 55,000.
    await data.saveValues(
      store(),
      SYSTEM_CONTEXT,
      [
        v('POP', '990101', '2020', 100),
        v('POP', '990102', '2020', 300),
        v('POP', '990101', '2022', 100),
        v('POP', '990102', '2022', 300),
        v('INC_PC', '990101', '2020', 60000),
        v('INC_PC', '990102', '2020', 40000),
        v('INC_PC', '990101', '2022', 70000),
        v('INC_PC', '990102', '2022', 50000),
      ],
      { status: 'approved' },
    );
    const grants: Record<string, { role: 'analyst' | 'leader'; unit: string }[]> = {
      analyst: [{ role: 'analyst', unit: '990100' }],
      analyst2: [{ role: 'analyst', unit: '990100' }],
      leader: [{ role: 'leader', unit: '990100' }],
      // The plan office's head: may both propose and approve — but not their own.
      chief: [
        { role: 'analyst', unit: '990100' },
        { role: 'leader', unit: '990100' },
      ],
      county: [{ role: 'leader', unit: '990101' }],
    };
    for (const [username, g] of Object.entries(grants))
      await users.addUser(store(), SYSTEM_CONTEXT, { username, password: PASSWORD, grants: g });
    app = await buildApp({ store: store(), auth: { ...DEFAULT_AUTH, loginAttemptsPerMinute: 10_000 } });
    for (const username of Object.keys(grants)) {
      as[username] = new Browser(app);
      expect((await as[username]!.login(username, PASSWORD)).status).toBe(200);
    }
  });
  afterAll(async () => {
    await app.close();
  });

  const propose = (who: string, body: Record<string, unknown>) =>
    as[who]!.post('/api/v1/target-adjustments', {
      indicator: 'INC_PC',
      targetIndex: 0,
      justification: '受外部环境影响，经市委市政府研究，目标调整为5万元',
      ...body,
    });

  it('checks a proposal like a plan file, naming the field in Chinese and English', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ target: { kind: 'level', op: '>=', value: 'lots' } }, 'target.value'],
      [{ target: { kind: 'level', op: '~', value: 50000 } }, 'target.tolerance'],
      [{ target: { kind: 'growth', op: '>=', rate: 0.05, amount: 100 } }, 'either rate'],
      [{ target: { kind: 'level', op: '>=', value: 75000 } }, 'same as the original'],
      [{ targetIndex: 5, target: { kind: 'level', op: '>=', value: 50000 } }, 'targetIndex'],
      [{ indicator: 'NOPE', target: { kind: 'level', op: '>=', value: 50000 } }, 'NOPE'],
      [{ justification: '   ', target: { kind: 'level', op: '>=', value: 50000 } }, 'justification'],
    ];
    for (const [body, says] of cases) {
      const res = await propose('analyst', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message).toContain(says);
    }
    // Chinese first, then English.
    const blank = await propose('analyst', { justification: ' ', target: { kind: 'level', op: '>=', value: 1 } });
    expect(blank.body.error.message).toMatch(/须说明理由；justification/);
    // Leaders decide but do not propose; a county leader does neither.
    expect((await propose('leader', { target: { kind: 'level', op: '>=', value: 50000 } })).status).toBe(403);
    expect((await propose('county', { target: { kind: 'level', op: '>=', value: 50000 } })).status).toBe(403);
    expect((await as.leader!.get('/api/v1/target-adjustments')).body.total).toBe(0);
  });

  it('refuses self-approval (four eyes), then is in force once another approves', async () => {
    const proposed = await propose('chief', { target: { kind: 'level', op: '>=', value: 50000 } });
    expect(proposed.status).toBe(201);
    expect(proposed.body).toMatchObject({
      status: 'proposed',
      inForce: false,
      proposedBy: 'chief',
      original: { kind: 'level', op: '>=', value: 75000 },
      adjusted: { kind: 'level', op: '>=', value: 50000 },
    });
    first = proposed.body.id;
    const self = await as.chief!.post(`/api/v1/target-adjustments/${first}/approve`, {});
    expect(self.status).toBe(403);
    expect(self.body.error.message).toMatch(/四眼原则.*four eyes/);
    // An analyst may not decide at all.
    expect((await as.analyst!.post(`/api/v1/target-adjustments/${first}/approve`, {})).status).toBe(403);
    const approved = await as.leader!.post(`/api/v1/target-adjustments/${first}/approve`, { note: '同意' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'approved',
      inForce: true,
      decidedBy: 'leader',
      decisionNote: '同意',
    });
    expect(approved.body.inForceFrom).toBe(approved.body.decidedAt);
    // Decided once: a second decision is a conflict.
    expect((await as.chief!.post(`/api/v1/target-adjustments/${first}/reject`, { note: '否' })).status).toBe(409);
  });

  it('evaluates against the adjusted targets by default and the original ones on request; both runs kept', async () => {
    const adj = await as.analyst!.post('/api/v1/evaluations', {});
    const orig = await as.analyst!.post('/api/v1/evaluations', { targets: 'original' });
    expect(adj.status).toBe(201);
    expect(orig.status).toBe(201);
    expect(adj.body).toMatchObject({ targetBasis: 'adjusted', targetAdjustments: [first] });
    expect(orig.body).toMatchObject({ targetBasis: 'original', targetAdjustments: [] });
    expect(adj.body.fingerprint).not.toBe(orig.body.fingerprint);
    adjustedRun = adj.body;
    originalRun = orig.body;

    const cell = async (run: number) =>
      (await as.analyst!.get(`/api/v1/evaluations/${run}/cells?indicator=INC_PC&orgUnit=990100`)).body.items[0];
    const a = await cell(adjustedRun.id);
    const o = await cell(originalRun.id);
    expect(a.value).toBe(55000);
    expect(a.detail.targets[0]).toMatchObject({ targetValue: 50000, status: 'achieved' });
    expect(a.status).toBe('achieved');
    expect(o.detail.targets[0].targetValue).toBe(75000);
    expect(o.status).not.toBe('achieved');
    // The second target (growth) is not adjusted: the same under both.
    expect(a.detail.targets[1]).toEqual(o.detail.targets[1]);

    const runs = (await as.analyst!.get('/api/v1/evaluations')).body.items.map((r: { id: number }) => r.id);
    expect(runs).toEqual(expect.arrayContaining([adjustedRun.id, originalRun.id]));
    const plan = (await as.analyst!.get('/api/v1/indicators/INC_PC')).body;
    // The plan itself keeps the target as written.
    expect(JSON.stringify(plan)).toContain('75000');
  });

  it('shows both side by side for the adjusted indicator at the root and the counties', async () => {
    const res = await as.leader!.get('/api/v1/evaluations/compare-targets');
    expect(res.status).toBe(200);
    const body = res.body;
    expect(body.asOfYear).toBe(2022);
    // The same inputs as the two stored runs (one read of the data, one evaluation per basis).
    expect(body.fingerprints.adjusted).toBe(adjustedRun.fingerprint);
    expect(body.fingerprints.original).toBe(originalRun.fingerprint);
    // A year asked for is the same year here: the same rows.
    const asked = (await as.leader!.get('/api/v1/evaluations/compare-targets?year=2022')).body;
    expect(asked.rows).toEqual(body.rows);
    expect(body.adjustments.map((x: { id: number }) => x.id)).toEqual([first]);
    expect(body.rows.map((r: { orgUnit: string }) => r.orgUnit)).toEqual(['990100', '990101', '990102']);
    expect(new Set(body.rows.map((r: { indicator: string }) => r.indicator))).toEqual(new Set(['INC_PC']));
    const city = body.rows[0];
    expect(city.value).toBe(55000);
    expect(city.original).toMatchObject({ targetValue: 75000, targetYear: 2025 });
    expect(city.adjusted).toMatchObject({ targetValue: 50000, status: 'achieved', cellStatus: 'achieved' });
    expect(city.original.status).not.toBe('achieved');
    expect(city.changed).toBe(true);
    // Share of the way from the 2020 value 45,000: (55,000 − 45,000) / (75,000 − 45,000) = 1/3 of the
    // original way; the adjusted way (to 50,000) is covered twice over.
    expect(city.original.progress).toBeCloseTo(1 / 3, 12);
    expect(city.adjusted.progress).toBeCloseTo(2, 12);
    // 西县 at 50,000 meets ≥ 50,000 exactly.
    expect(body.rows[2].adjusted).toMatchObject({ targetValue: 50000, status: 'achieved' });

    expect((await app.inject({ method: 'GET', url: '/api/v1/evaluations/compare-targets' })).statusCode).toBe(401);
    expect((await as.county!.get('/api/v1/evaluations/compare-targets')).status).toBe(404);
  });

  it('a rejected or withdrawn adjustment changes nothing', async () => {
    const toReject = await propose('analyst', { target: { kind: 'level', op: '>=', value: 30000 } });
    expect(toReject.status).toBe(201);
    const noReason = await as.leader!.post(`/api/v1/target-adjustments/${toReject.body.id}/reject`, {});
    expect(noReason.status).toBe(400);
    const rejected = await as.leader!.post(`/api/v1/target-adjustments/${toReject.body.id}/reject`, {
      note: '依据不足',
    });
    expect(rejected.body).toMatchObject({ status: 'rejected', inForce: false, decisionNote: '依据不足' });

    const toWithdraw = await propose('analyst', {
      indicator: 'URBAN_RURAL_RATIO',
      target: { kind: 'level', op: '<=', value: 2.1 },
    });
    expect(toWithdraw.status).toBe(201);
    // Another analyst, neither proposer nor approver, may not withdraw it.
    expect((await as.analyst2!.post(`/api/v1/target-adjustments/${toWithdraw.body.id}/withdraw`, {})).status).toBe(403);
    const withdrawn = await as.analyst!.post(`/api/v1/target-adjustments/${toWithdraw.body.id}/withdraw`, {
      reason: '另行研究',
    });
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn', withdrawnBy: 'analyst', withdrawReason: '另行研究' });
    expect((await as.leader!.post(`/api/v1/target-adjustments/${toWithdraw.body.id}/approve`, {})).status).toBe(409);

    const again = await as.analyst!.post('/api/v1/evaluations', {});
    expect(again.body.targetAdjustments).toEqual([first]);
    expect(again.body.fingerprint).toBe(adjustedRun.fingerprint);
    const compare = (await as.leader!.get('/api/v1/evaluations/compare-targets?year=2022')).body;
    expect(compare.adjustments.map((x: { id: number }) => x.id)).toEqual([first]);
    const list = (await as.leader!.get('/api/v1/target-adjustments')).body.items;
    expect(list.map((x: { status: string }) => x.status).sort()).toEqual(['approved', 'rejected', 'withdrawn']);
    expect((await as.leader!.get('/api/v1/target-adjustments?status=approved')).body.total).toBe(1);
  });

  it('supersedes with a later approval, lifts with a reason, and reproduces a run with the targets it used', async () => {
    const second = await propose('analyst', { target: { kind: 'level', op: '>=', value: 60000 } });
    expect((await as.chief!.post(`/api/v1/target-adjustments/${second.body.id}/approve`, {})).status).toBe(200);
    const items = (await as.leader!.get('/api/v1/target-adjustments?indicator=INC_PC')).body.items;
    const byId = new Map(items.map((x: { id: number }) => [x.id, x]));
    expect(byId.get(first)).toMatchObject({ status: 'superseded', inForce: false });
    expect(byId.get(second.body.id)).toMatchObject({ status: 'approved', inForce: true });
    const run = await as.analyst!.post('/api/v1/evaluations', {});
    expect(run.body.targetAdjustments).toEqual([second.body.id]);
    const cell = (await as.analyst!.get(`/api/v1/evaluations/${run.body.id}/cells?indicator=INC_PC&orgUnit=990100`))
      .body.items[0];
    expect(cell.detail.targets[0].targetValue).toBe(60000);

    // Lifting needs a reason and the right to approve.
    const lift = `/api/v1/target-adjustments/${second.body.id}/withdraw`;
    expect((await as.analyst!.post(lift, { reason: '恢复原目标' })).status).toBe(403);
    expect((await as.leader!.post(lift, {})).status).toBe(400);
    expect((await as.leader!.post(lift, { reason: '恢复原目标' })).body).toMatchObject({
      status: 'withdrawn',
      inForce: false,
    });
    // Nothing in force: the default basis reads the plan as written.
    const plain = await as.analyst!.post('/api/v1/evaluations', {});
    expect(plain.body).toMatchObject({ targetBasis: 'adjusted', targetAdjustments: [] });
    expect(plain.body.fingerprint).toBe(originalRun.fingerprint);
    // A run reproduces with the adjustments it applied, whatever is in force now.
    const reproduced = (await as.analyst!.get(`/api/v1/evaluations/${adjustedRun.id}/reproduce`)).body;
    expect(reproduced).toMatchObject({ same: true, fingerprint: adjustedRun.fingerprint });
    expect((await as.analyst!.get(`/api/v1/evaluations/${originalRun.id}/reproduce`)).body.same).toBe(true);
    expect((await as.leader!.get('/api/v1/evaluations/compare-targets')).body.rows).toEqual([]);
  });

  it('audits every proposal, decision and withdrawal', async () => {
    const rows = await searchAudit(store().db, { action: 'target.' });
    const seen = rows.map((r) => `${r.action} ${r.username}`).sort();
    expect(seen).toEqual(
      [
        'target.propose chief',
        'target.approve leader',
        'target.propose analyst',
        'target.reject leader',
        'target.propose analyst',
        'target.withdraw analyst',
        'target.propose analyst',
        'target.approve chief',
        'target.withdraw leader',
      ].sort(),
    );
    const approval = rows.find((r) => r.action === 'target.approve' && r.username === 'chief')!;
    expect(approval.after).toMatchObject({ status: 'approved', superseded: first });
    // The runs say which targets they used.
    const runAudit = await searchAudit(store().db, { action: 'evaluation.run', targetId: String(originalRun.id) });
    expect(runAudit[0]!.after).toMatchObject({ targetBasis: 'original', targetAdjustments: [] });
  });
});
