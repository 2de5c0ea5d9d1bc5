/**
 * The overview endpoint (one answer for the leaders' screen), the demo visitor (reads only, and only
 * on a server holding demo data), the plan's boundaries, and the web app's serving (SPA fallback, API
 * 404s stay JSON) — on both databases.
 */
import type { FastifyInstance } from 'fastify';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_AUTH } from '../src/config.js';
import { buildApp } from '../src/http/app.js';
import { demoVisitorActor, SYSTEM_CONTEXT } from '../src/services/context.js';
import * as data from '../src/services/data.js';
import * as evaluation from '../src/services/evaluation.js';
import { getOverview, LIVE_PART_MAX_AGE_MS } from '../src/services/overview.js';
import * as plans from '../src/services/plans.js';
import * as users from '../src/services/users.js';
import { writeValues } from '../src/store/values.js';
import { Browser } from './support/http-client.js';
import { describeEachStore } from './support/stores.js';

const MINI_DIR = new URL('./fixtures/mini-plan/', import.meta.url).pathname;
const PASSWORD = 'Overview-Plan-6';
const auth = { ...DEFAULT_AUTH, loginAttemptsPerMinute: 10_000 };

/** The mini plan in a folder of its own, with a boundary file of its two counties. */
async function miniPlanWithBoundaries(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gongfu-overview-'));
  await cp(MINI_DIR, dir, { recursive: true });
  const plan = await readFile(join(dir, 'plan.yaml'), 'utf8');
  await writeFile(
    join(dir, 'plan.yaml'),
    plan.replace(
      '  departments: departments.csv\n',
      '  departments: departments.csv\n  boundaries: counties.geojson\n',
    ),
  );
  const square = (x: number) => [
    [
      [x, 0],
      [x + 1, 0],
      [x + 1, 1],
      [x, 1],
      [x, 0],
    ],
  ];
  await writeFile(
    join(dir, 'counties.geojson'),
    JSON.stringify({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { code: '990101', name: '东区' },
          geometry: { type: 'Polygon', coordinates: square(0) },
        },
        {
          type: 'Feature',
          properties: { code: '990102', name: '西县' },
          geometry: { type: 'Polygon', coordinates: square(1) },
        },
      ],
    }),
  );
  return dir;
}

describeEachStore('overview and the demo visitor', (store) => {
  let dir: string;
  let app: FastifyInstance;

  beforeAll(async () => {
    dir = await miniPlanWithBoundaries();
    await plans.importPlan(store(), join(dir, 'plan.yaml'));
    const v = (indicator: string, orgUnit: string, period: string, value: number, synthetic = false) => ({
      indicator,
      orgUnit,
      period,
      value,
      synthetic,
    });
    await data.saveValues(
      store(),
      SYSTEM_CONTEXT,
      [
        v('POP', '990101', '2020', 100),
        v('POP', '990102', '2020', 300),
        v('POP', '990101', '2022', 100),
        v('POP', '990102', '2022', 300),
        v('INC_PC', '990101', '2020', 60000, true),
        v('INC_PC', '990102', '2020', 40000, true),
        v('INC_PC', '990101', '2022', 70000, true),
        v('INC_PC', '990102', '2022', 50000, true),
      ],
      { status: 'approved' },
    );
    await users.addUser(store(), SYSTEM_CONTEXT, {
      username: 'leader',
      password: PASSWORD,
      grants: [{ role: 'leader', unit: '990100' }],
    });
    app = await buildApp({ store: store(), auth });
  });
  afterAll(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses anonymous reads without demo data, and says the visitor is off', async () => {
    const anonymous = new Browser(app);
    expect((await anonymous.request('GET', '/api/v1/overview')).status).toBe(401);
    expect((await anonymous.request('GET', '/api/v1/demo-visitor')).body).toEqual({
      enabled: false,
      rootOrgUnit: null,
      actions: [],
    });
  });

  it('runs the first evaluation when there is none, then reads the stored run', async () => {
    const leader = new Browser(app);
    expect(
      (await leader.request('POST', '/api/v1/auth/login', { username: 'leader', password: PASSWORD })).status,
    ).toBe(200);
    const first = await leader.request('GET', '/api/v1/overview');
    expect(first.status).toBe(200);
    const o = first.body;
    expect(o.run.createdNow).toBe(true);
    expect(o.run.asOfYear).toBe(2022);
    const again = (await leader.request('GET', '/api/v1/overview')).body;
    expect(again.run).toMatchObject({ id: o.run.id, createdNow: false, stale: false });

    // The city first, then the two counties by rank, with the run's horse race.
    expect(o.units.map((u: { code: string }) => u.code)).toEqual(
      expect.arrayContaining(['990100', '990101', '990102']),
    );
    expect(o.units[0].code).toBe('990100');
    const ranking = (await leader.request('GET', `/api/v1/evaluations/${o.run.id}/ranking`)).body.rows;
    for (const u of o.units) {
      const r = ranking.find((x: { orgUnit: string }) => x.orgUnit === u.code);
      expect(u.index).toBe(r.index);
      expect(u.rank).toBe(r.rank);
    }
    expect(o.units[1].rank).toBe(1);
    expect(o.units[2].rank).toBe(2);

    // Statuses by goal area are the city's cells of the run, counted by their indicator's dimension.
    const cells = (await leader.request('GET', `/api/v1/evaluations/${o.run.id}/cells?orgUnit=990100`)).body.items;
    const plan = (await leader.request('GET', '/api/v1/plan')).body;
    for (const d of o.dimensions) {
      const mine = cells.filter(
        (c: { indicator: string }) =>
          plan.indicators.find((i: { code: string }) => i.code === c.indicator)?.dimension === d.code,
      );
      const total = Object.values(d.statuses as Record<string, number>).reduce((a, b) => a + b, 0);
      expect(total).toBe(mine.length);
      for (const [status, n] of Object.entries(d.statuses))
        expect(n).toBe(mine.filter((c: { status: string }) => c.status === status).length);
    }

    // The headline goal: the city's income is the population-weighted mean, (70000·100 + 50000·300) / 400.
    const income = o.headline.find((h: { indicator: string }) => h.indicator === 'INC_PC');
    expect(income.value).toBe(55000);
    expect(income.year).toBe(2022);
    expect(income.target).toMatchObject({ kind: 'level', value: 75000 });
    expect(income.series.years).toEqual([2020, 2021, 2022]);
    expect(income.series.values).toEqual([45000, null, 55000]);
    expect(income.synthetic).toBe(true); // rests on synthetic county figures
    expect(o.values).toEqual({ total: 8, synthetic: 4 });
    expect(o.latestPeriods).toEqual({ year: '2022' });
  });

  it('says when values changed after the run', async () => {
    await data.saveValues(
      store(),
      SYSTEM_CONTEXT,
      [{ indicator: 'POP', orgUnit: '990101', period: '2022', value: 110 }],
      {
        status: 'approved',
      },
    );
    const o = await getOverview(store(), SYSTEM_CONTEXT);
    expect(o.run.stale).toBe(true);
  });

  it('gives every reader of the plan the same answer, refuses others however warm the cache, and equals a fresh answer', async () => {
    await users.addUser(store(), SYSTEM_CONTEXT, {
      username: 'leader2',
      password: PASSWORD,
      grants: [{ role: 'leader', unit: '990100' }],
    });
    await users.addUser(store(), SYSTEM_CONTEXT, {
      username: 'county',
      password: PASSWORD,
      grants: [{ role: 'leader', unit: '990101' }],
    });
    const signIn = async (username: string) => {
      const b = new Browser(app);
      expect((await b.request('POST', '/api/v1/auth/login', { username, password: PASSWORD })).status).toBe(200);
      return b;
    };
    const [one, two, county] = [await signIn('leader'), await signIn('leader2'), await signIn('county')];
    const a = await one.request('GET', '/api/v1/overview');
    const b = await two.request('GET', '/api/v1/overview');
    expect(a.status).toBe(200);
    expect(b.body).toStrictEqual(a.body);
    // A county's leader reads its county, not the city's overview — the cached answer is not handed out.
    const refused = await county.request('GET', '/api/v1/overview');
    expect(refused.status).toBe(403);
    expect(refused.body).not.toHaveProperty('units');
    expect((await new Browser(app).request('GET', '/api/v1/overview')).status).toBe(401);

    // What the caches give is what a fresh computation gives, and what the route sends.
    const cached = await getOverview(store(), SYSTEM_CONTEXT);
    const fresh = await getOverview(store(), SYSTEM_CONTEXT, { fresh: true });
    expect(cached).toStrictEqual(fresh);
    expect(JSON.parse(JSON.stringify(cached))).toStrictEqual(a.body);
    // The answer is the caller's: changing it does not change the next one.
    cached.units[0]!.statuses.achieved += 100;
    cached.values.total = -1;
    expect(await getOverview(store(), SYSTEM_CONTEXT)).toStrictEqual(fresh);
  });

  it('shows a write at once, and a new run at once with its numbers', async () => {
    const before = await getOverview(store(), SYSTEM_CONTEXT);
    expect(before.values).toEqual({ total: 8, synthetic: 4 });
    // A reported (not synthetic) figure replaces a synthetic one: the counts change before any new run.
    await data.saveValues(
      store(),
      SYSTEM_CONTEXT,
      [{ indicator: 'INC_PC', orgUnit: '990101', period: '2022', value: 90000 }],
      { status: 'approved' },
    );
    const written = await getOverview(store(), SYSTEM_CONTEXT);
    expect(written.values).toEqual({ total: 8, synthetic: 3 });
    expect(written.run).toMatchObject({ id: before.run.id, stale: true });
    expect(written).toStrictEqual(await getOverview(store(), SYSTEM_CONTEXT, { fresh: true }));

    const { run } = await evaluation.runEvaluation(store(), SYSTEM_CONTEXT);
    expect(run.id).toBeGreaterThan(before.run.id);
    const after = await getOverview(store(), SYSTEM_CONTEXT);
    expect(after.run).toMatchObject({ id: run.id, stale: false, createdNow: false });
    // The city's income, population-weighted: (90000·110 + 50000·300) / 410 (POP of 990101 is 110 since the test above).
    const income = after.headline.find((h) => h.indicator === 'INC_PC')!;
    expect(income.value).toBeCloseTo((90000 * 110 + 50000 * 300) / 410, 6);
    expect(income.synthetic).toBe(true); // the other county's 2022 figure still is
    const oldIncome = before.headline.find((h) => h.indicator === 'INC_PC')!;
    expect(oldIncome.value).not.toBeCloseTo(income.value!, 0);
    const ranking = await evaluation.runRanking(store(), SYSTEM_CONTEXT, run.id);
    for (const u of after.units) expect(u.index).toBe(ranking.rows.find((r) => r.orgUnit === u.code)?.index);
    expect(after).toStrictEqual(await getOverview(store(), SYSTEM_CONTEXT, { fresh: true }));
  });

  it('shows a write made past this process within LIVE_PART_MAX_AGE_MS', async () => {
    // A clock of our own: the cached part is computed at t, the write is missed at t, seen after t + max age.
    const t = Date.now() + 60_000;
    const clock = vi.spyOn(Date, 'now').mockReturnValue(t);
    try {
      const before = await getOverview(store(), SYSTEM_CONTEXT);
      expect(before.run.stale).toBe(false);
      // Straight to the repository, as another process on the same database would: no event here.
      await writeValues(
        store().db,
        [
          {
            indicator: 'POP',
            orgUnit: '990102',
            period: '2023',
            periodType: 'year',
            value: 310,
            status: 'approved',
            vintage: null,
            source: null,
            synthetic: false,
            comment: null,
            confirmedOutlier: false,
          },
        ],
        { userId: null, name: 'another process' },
        'write',
      );
      expect((await getOverview(store(), SYSTEM_CONTEXT)).values.total).toBe(before.values.total); // cached
      clock.mockReturnValue(t + LIVE_PART_MAX_AGE_MS + 1);
      const later = await getOverview(store(), SYSTEM_CONTEXT);
      expect(later.values.total).toBe(before.values.total + 1);
      expect(later.latestPeriods).toEqual({ year: '2023' });
      expect(later.run.stale).toBe(true);
      expect(later).toStrictEqual(await getOverview(store(), SYSTEM_CONTEXT, { fresh: true }));
    } finally {
      clock.mockRestore();
    }
  });

  it('serves the boundaries the plan names, to anyone', async () => {
    const res = await new Browser(app).request('GET', '/api/v1/org-units/boundaries');
    expect(res.status).toBe(200);
    expect(res.body.type).toBe('FeatureCollection');
    expect(res.body.features.map((f: { properties: { code: string } }) => f.properties.code)).toEqual([
      '990101',
      '990102',
    ]);
  });

  describe('with demo data (demo accounts exist)', () => {
    let demoApp: FastifyInstance;
    beforeAll(async () => {
      await users.addUser(store(), SYSTEM_CONTEXT, {
        username: 'demo-leader',
        grants: [{ role: 'leader', unit: '990100' }],
        demo: true,
      });
      demoApp = await buildApp({ store: store(), auth });
    });
    afterAll(async () => {
      await demoApp.close();
    });

    it('lets an anonymous browser read as the demo visitor', async () => {
      const visitor = new Browser(demoApp);
      expect((await visitor.request('GET', '/api/v1/demo-visitor')).body).toEqual({
        enabled: true,
        rootOrgUnit: '990100',
        actions: ['value.read', 'report.read', 'task.read', 'problem.read'],
      });
      const o = await visitor.request('GET', '/api/v1/overview');
      expect(o.status).toBe(200);
      expect(o.body.units).toHaveLength(3);
      expect((await visitor.request('GET', '/api/v1/evaluations/latest/ranking')).status).toBe(200);
      expect((await visitor.request('GET', '/api/v1/data/values?orgUnit=990101')).status).toBe(200);
      // Not signed in, as far as /auth is concerned.
      expect((await visitor.request('GET', '/api/v1/auth/me')).status).toBe(401);
    });

    it('does not let the demo visitor change or administer anything', async () => {
      const visitor = new Browser(demoApp);
      expect((await visitor.request('POST', '/api/v1/evaluations', {})).status).toBe(401);
      expect(
        (
          await visitor.request('PUT', '/api/v1/data/values', {
            values: [{ indicator: 'POP', orgUnit: '990101', period: '2022', value: 1 }],
          })
        ).status,
      ).toBe(401);
      expect((await visitor.request('GET', '/api/v1/users')).body.items).toEqual([]); // administers nobody
      expect((await visitor.request('GET', '/api/v1/audit')).status).toBe(403);
      // The use cases refuse the visitor's actor too, whatever route would carry it.
      const ctx = { actor: demoVisitorActor({ code: '990100', path: '/990000/990100/' }), address: null };
      await expect(evaluation.runEvaluation(store(), ctx)).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(
        data.saveValues(store(), ctx, [{ indicator: 'POP', orgUnit: '990101', period: '2022', value: 1 }]),
      ).rejects.toMatchObject({ status: 403 });
    });
  });
});

describe('the web app served by the API server', () => {
  let dist: string;
  let app: FastifyInstance;
  beforeAll(async () => {
    dist = await mkdtemp(join(tmpdir(), 'gongfu-dist-'));
    await mkdir(join(dist, 'assets'));
    await writeFile(join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
    await writeFile(join(dist, 'assets', 'main-abc123.js'), 'console.log(1)');
    // No database needed for the static side: a store whose queries are never made.
    const { openStore } = await import('../src/store/db.js');
    const { PGlite } = await import('@electric-sql/pglite');
    const store = await openStore({ kind: 'pglite', pglite: await PGlite.create() });
    app = await buildApp({ store, auth, web: dist });
  });
  afterAll(async () => {
    await app.close();
    await rm(dist, { recursive: true, force: true });
  });

  it('answers index.html for the app’s paths, files for assets, and JSON 404s for the API', async () => {
    const b = new Browser(app);
    for (const path of ['/', '/race', '/org-units/330782', '/indicators/GDP?lang=en']) {
      const r = await b.request('GET', path);
      expect(r.status, path).toBe(200);
      expect(String(r.headers['content-type'])).toContain('text/html');
      expect(r.body).toContain('<div id="root">');
    }
    const js = await b.request('GET', '/assets/main-abc123.js');
    expect(js.status).toBe(200);
    expect(js.headers['cache-control']).toContain('immutable');
    expect((await b.request('GET', '/assets/missing-000.js')).status).toBe(404);
    // A rebuild while serving: new hashed files are served without a restart.
    await writeFile(join(dist, 'assets', 'main-def456.js'), 'console.log(2)');
    expect((await b.request('GET', '/assets/main-def456.js')).body).toBe('console.log(2)');
    await writeFile(join(dist, 'favicon.svg'), '<svg/>');
    const icon = await b.request('GET', '/favicon.svg');
    expect(icon.status).toBe(200);
    expect(String(icon.headers['content-type'])).toContain('image/svg+xml');
    expect((await b.request('GET', '/robots.txt')).status).toBe(404);
    const api = await b.request('GET', '/api/v1/no-such-thing');
    expect(api.status).toBe(404);
    expect(api.body.error.code).toBe('NOT_FOUND');
    expect((await b.request('POST', '/api/v1/no-such-thing', {})).status).toBe(401); // refused before routing
  });
});
