/** Evaluation as a service: runs stored and reproducible, the live evaluation kept current, on both databases. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_AUTH } from '../src/config.js';
import { evaluate } from '../src/engine/evaluate.js';
import { buildApp } from '../src/http/app.js';
import { SYSTEM_CONTEXT } from '../src/services/context.js';
import * as data from '../src/services/data.js';
import * as evaluation from '../src/services/evaluation.js';
import * as plans from '../src/services/plans.js';
import * as users from '../src/services/users.js';
import { Browser } from './support/http-client.js';
import { describeEachStore } from './support/stores.js';

const MINI = new URL('./fixtures/mini-plan/plan.yaml', import.meta.url).pathname;
const PASSWORD = 'Evaluate-Plan-5';

describeEachStore('evaluation runs', (store) => {
  let app: FastifyInstance;

  beforeAll(async () => {
    await plans.importPlan(store(), MINI);
    const v = (indicator: string, orgUnit: string, period: string, value: number) => ({
      indicator,
      orgUnit,
      period,
      value,
    });
    // Two counties' population and income, 2020–2022; the city's income rolls up weighted by population.
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
    await users.addUser(store(), SYSTEM_CONTEXT, {
      username: 'analyst',
      password: PASSWORD,
      grants: [{ role: 'analyst', unit: '990100' }],
    });
    await users.addUser(store(), SYSTEM_CONTEXT, {
      username: 'county',
      password: PASSWORD,
      grants: [{ role: 'leader', unit: '990101' }],
    });
    app = await buildApp({ store: store(), auth: { ...DEFAULT_AUTH, loginAttemptsPerMinute: 10_000 } });
  });
  afterAll(async () => {
    await app.close();
  });

  it('evaluates, stores the run and explains each cell', async () => {
    const analyst = new Browser(app);
    await analyst.login('analyst', PASSWORD);
    const run = await analyst.post('/api/v1/evaluations', { label: '2022年度' });
    expect(run.status).toBe(201);
    expect(run.body).toMatchObject({ asOfYear: 2022, label: '2022年度', valuesUsed: 8, frozen: false });
    const cells = await analyst.get('/api/v1/evaluations/latest/cells?indicator=INC_PC&orgUnit=990100');
    const city = cells.body.items[0];
    // (70000·100 + 50000·300) / 400 = 55,000: a population-weighted mean, not the plain mean 60,000
    expect(city.value).toBe(55000);
    expect(city.origin).toBe('computed');
    expect(city.detail.targets[0]).toMatchObject({ kind: 'level', targetValue: 75000 });
    expect(city.status).toBe(city.detail.targets[0].status);
    const ranking = await analyst.get('/api/v1/evaluations/latest/ranking');
    expect(ranking.body.rows.map((r: { orgUnit: string }) => r.orgUnit)).toEqual(['990100', '990101', '990102']);
    expect(ranking.body.rows[1].rank).toBe(1);
  });

  it('refuses a county leader the whole plan, and an anonymous caller everything', async () => {
    const county = new Browser(app);
    await county.login('county', PASSWORD);
    expect((await county.post('/api/v1/evaluations', {})).status).toBe(403);
    expect((await county.get('/api/v1/evaluations/latest/ranking')).status).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/api/v1/evaluations' })).statusCode).toBe(401);
  });

  it('reproduces a frozen run from the history after the data has changed', async () => {
    const { run } = await evaluation.runEvaluation(store(), SYSTEM_CONTEXT, { freeze: true, label: '冻结' });
    await data.saveValues(
      store(),
      SYSTEM_CONTEXT,
      [{ indicator: 'INC_PC', orgUnit: '990101', period: '2022', value: 71000 }],
      { status: 'approved' },
    );
    const again = await evaluation.reproduceRun(store(), SYSTEM_CONTEXT, run.id);
    expect(again.same).toBe(true);
    const fresh = await evaluation.runEvaluation(store(), SYSTEM_CONTEXT);
    expect(fresh.run.fingerprint).not.toBe(run.fingerprint);
  });

  it('keeps the live evaluation equal to a full one after writes and a submission', async () => {
    const live = new evaluation.LiveEvaluation(store());
    await live.get();
    await data.saveValues(
      store(),
      SYSTEM_CONTEXT,
      [{ indicator: 'INC_PC', orgUnit: '990102', period: '2022', value: 52000 }],
      { status: 'approved' },
    );
    await data.saveValues(store(), SYSTEM_CONTEXT, [
      { indicator: 'PM25', orgUnit: '990101', period: '2022', value: 31 },
    ]);
    // A draft does not count until it is submitted.
    const beforeSubmit = await live.get();
    await data.submitReturn(store(), SYSTEM_CONTEXT, '990101', '2022');
    const incremental = await live.get();
    const full = evaluate((await evaluation.loadEvaluationInput(store(), 'mini-2021-2025')).input);
    expect(incremental.fingerprint).toBe(full.fingerprint);
    expect(incremental.fingerprint).not.toBe(beforeSubmit.fingerprint);
    expect(incremental.indicators.get('INC_PC')!.cells.map((c) => [c.unit, c.value])).toEqual(
      full.indicators.get('INC_PC')!.cells.map((c) => [c.unit, c.value]),
    );
    live.close();
  });
});
