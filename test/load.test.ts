/**
 * Load and soak against PostgreSQL: 200 concurrent readers (overview, ranking, values, plan) and 50
 * concurrent reporters, each saving a month's value and submitting the return, again and again, for
 * LOAD_SECONDS (10 in CI; LOAD_SECONDS=60 or FULL=1 for the full form). Then: the server answered
 * every request without an error, and every acknowledged save and submission is stored exactly once
 * (one revision, one submit event) — and nothing unacknowledged is. Traffic only to 127.0.0.1.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SYSTEM_CONTEXT } from '../src/services/context.js';
import * as evaluation from '../src/services/evaluation.js';
import * as plans from '../src/services/plans.js';
import * as users from '../src/services/users.js';
import { openStore, type Store } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import { withDatabase } from './global-setup.js';
import { Client, startServer, type ServerProcess } from './support/server.js';

const SECONDS = Number(process.env.LOAD_SECONDS ?? (process.env.FULL ? 60 : 10));
const READERS = 200;
const REPORTERS = 50;
/** Reader sessions (200 readers share them, as many browser tabs of a few leaders would). */
const READER_ACCOUNTS = 10;
const MINI = new URL('./fixtures/mini-plan/plan.yaml', import.meta.url).pathname;
const PASSWORD = 'Load-Test-Password-5';
const UNITS = ['990100', '990101', '990102'];
const SLOT = 700;

/** Reporter r reports for UNITS[r % 3], months of its own range (no two reporters share a return). */
function periodOf(r: number, k: number): string {
  const index = Math.floor(r / UNITS.length) * SLOT + k;
  return `${1000 + Math.floor(index / 12)}${String((index % 12) + 1).padStart(2, '0')}`;
}

describe('load and soak [postgres]', () => {
  let url: string;
  let name: string;
  let databaseUrl: string;
  let server: ServerProcess;

  beforeAll(async () => {
    url = inject('postgresUrl');
    name = `gongfu_load_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    databaseUrl = withDatabase(url, name);
    const store = await openStore({ kind: 'postgres', connectionString: databaseUrl });
    try {
      await migrate(store.db);
      await plans.importPlan(store, MINI);
      for (let r = 0; r < REPORTERS; r++)
        await users.addUser(store, SYSTEM_CONTEXT, {
          username: `reporter${r}`,
          password: PASSWORD,
          grants: [{ role: 'reporter', unit: UNITS[r % UNITS.length]! }],
        });
      for (let l = 0; l < READER_ACCOUNTS; l++)
        await users.addUser(store, SYSTEM_CONTEXT, {
          username: `leader${l}`,
          password: PASSWORD,
          grants: [{ role: 'leader', unit: '990100' }],
        });
      await evaluation.runEvaluation(store, SYSTEM_CONTEXT);
    } finally {
      await store.close();
    }
    server = await startServer(
      { databaseUrl },
      { env: { GONGFU_LOGIN_ATTEMPTS_PER_MINUTE: '100000', LOG_LEVEL: 'error' } },
    );
  }, 180_000);

  afterAll(async () => {
    await server?.kill('SIGTERM');
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  it(
    `${READERS} readers and ${REPORTERS} reporters for ${SECONDS} s: no errors, every acknowledged submission once`,
    async () => {
      const readers = await Promise.all(
        Array.from({ length: READER_ACCOUNTS }, async (_, l) => {
          const c = new Client(server.url);
          await c.login(`leader${l}`, PASSWORD);
          return c;
        }),
      );
      const reporters = await Promise.all(
        Array.from({ length: REPORTERS }, async (_, r) => {
          const c = new Client(server.url);
          await c.login(`reporter${r}`, PASSWORD);
          return c;
        }),
      );

      const deadline = Date.now() + SECONDS * 1000;
      const statuses = new Map<string, number>();
      const latencies = new Map<string, number[]>();
      const count = (what: string, status: number, ms: number) => {
        statuses.set(`${what} ${status}`, (statuses.get(`${what} ${status}`) ?? 0) + 1);
        latencies.set(what, [...(latencies.get(what) ?? []), ms]);
      };
      const timed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
        const t0 = performance.now();
        const r = await work();
        return [r, performance.now() - t0];
      };
      const failures: string[] = [];
      const READS = [
        '/api/v1/overview',
        '/api/v1/evaluations/latest/ranking',
        '/api/v1/data/values?within=990100&limit=200',
        '/api/v1/plan',
        '/api/v1/indicators',
      ];
      const reader = async (i: number) => {
        const c = readers[i % READER_ACCOUNTS]!;
        for (let k = i; Date.now() < deadline; k++) {
          const path = READS[k % READS.length]!;
          const [res, ms] = await timed(() => c.request('GET', path));
          count(`GET ${path.split('?')[0]}`, res.status, ms);
          if (res.status !== 200) failures.push(`GET ${path}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
        }
      };
      const saved: { unit: string; period: string; value: number }[] = [];
      const submitted: { unit: string; period: string }[] = [];
      const reporter = async (r: number) => {
        const c = reporters[r]!;
        const unit = UNITS[r % UNITS.length]!;
        for (let k = 0; Date.now() < deadline && k < SLOT; k++) {
          const period = periodOf(r, k);
          const value = 1000 + r; // the same every month: no jump to confirm before submitting
          const [put, putMs] = await timed(() =>
            c.request('PUT', '/api/v1/data/values', {
              values: [{ indicator: 'NEW_JOBS', orgUnit: unit, period, value }],
            }),
          );
          count('PUT /data/values', put.status, putMs);
          if (put.status !== 200) {
            failures.push(`PUT ${unit} ${period}: ${put.status} ${JSON.stringify(put.body).slice(0, 300)}`);
            continue;
          }
          saved.push({ unit, period, value });
          const [sub, subMs] = await timed(() =>
            c.request('POST', `/api/v1/data/returns/${unit}/${period}/submit`, {}),
          );
          count('POST /data/returns/…/submit', sub.status, subMs);
          if (sub.status !== 200) {
            failures.push(`submit ${unit} ${period}: ${sub.status} ${JSON.stringify(sub.body).slice(0, 300)}`);
            continue;
          }
          submitted.push({ unit, period });
        }
      };
      const started = Date.now();
      await Promise.all([
        ...Array.from({ length: READERS }, (_, i) => reader(i)),
        ...Array.from({ length: REPORTERS }, (_, r) => reporter(r)),
      ]);
      const elapsed = (Date.now() - started) / 1000;
      const total = [...statuses.values()].reduce((a, b) => a + b, 0);
      console.log(
        `load: ${total} requests in ${elapsed.toFixed(1)} s (${(total / elapsed).toFixed(0)}/s); ` +
          `${saved.length} saves, ${submitted.length} submissions acknowledged; ${JSON.stringify(Object.fromEntries(statuses))}`,
      );
      const pct = (xs: number[], q: number) =>
        [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
      for (const [what, xs] of latencies)
        console.log(
          `  ${what}: ${xs.length} requests, p50 ${pct(xs, 0.5).toFixed(0)} ms, p99 ${pct(xs, 0.99).toFixed(0)} ms`,
        );
      expect(failures.slice(0, 5)).toEqual([]);
      expect(server.output()).not.toMatch(/unhandled error|"level":50/);
      // Every reporter got through at least once (under this load a cycle takes seconds: see the log).
      expect(submitted.length).toBeGreaterThanOrEqual(REPORTERS);

      const store: Store = await openStore({ kind: 'postgres', connectionString: databaseUrl });
      try {
        const revisions = await sql<{ org_unit: string; period: string; n: string }>`
          SELECT org_unit, period, count(*) AS n FROM data_value_revision
           WHERE indicator = 'NEW_JOBS' AND change = 'write' GROUP BY 1, 2`.execute(store.db);
        const writes = new Map(revisions.rows.map((r) => [`${r.org_unit}|${r.period}`, Number(r.n)]));
        for (const s of saved) expect(writes.get(`${s.unit}|${s.period}`), `${s.unit} ${s.period}`).toBe(1);
        expect(writes.size).toBe(saved.length);

        const events = await sql<{ org_unit: string; period: string; n: string }>`
          SELECT org_unit, period, count(*) AS n FROM data_return_event WHERE action = 'submit' GROUP BY 1, 2`.execute(
          store.db,
        );
        const submits = new Map(events.rows.map((r) => [`${r.org_unit}|${r.period}`, Number(r.n)]));
        for (const s of submitted) expect(submits.get(`${s.unit}|${s.period}`), `${s.unit} ${s.period}`).toBe(1);
        expect(submits.size).toBe(submitted.length);
        const states = await sql<{ n: string }>`
          SELECT count(*) AS n FROM data_return WHERE status = 'submitted'`.execute(store.db);
        expect(Number(states.rows[0]!.n)).toBe(submitted.length);
        const current = await sql<{ n: string }>`
          SELECT count(*) AS n FROM data_value WHERE indicator = 'NEW_JOBS' AND status = 'submitted'`.execute(store.db);
        expect(Number(current.rows[0]!.n)).toBe(submitted.length);
      } finally {
        await store.close();
      }
    },
    (SECONDS + 120) * 1000,
  );
});
