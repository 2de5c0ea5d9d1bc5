/**
 * Crashes: the server is killed with SIGKILL at a random moment while clients import large files,
 * save values, submit returns and freeze evaluations; then the database is opened again and checked:
 *   - every acknowledged write is there (each saved value's revision, each submitted return, each
 *     frozen run), and a return is submitted exactly when its history has one submit event;
 *   - no file is half-imported (each import's rows are all in the value history or none are);
 *   - every frozen run recomputes to the same fingerprint from the value history.
 * On PGlite (a data folder) and on PostgreSQL. The CI form kills 3 times per store; CRASH_KILLS=20
 * (or FULL=1) for the full form.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SYSTEM_CONTEXT } from '../src/services/context.js';
import * as evaluation from '../src/services/evaluation.js';
import * as plans from '../src/services/plans.js';
import * as users from '../src/services/users.js';
import { openStore, type DatabaseKind, type Store, type StoreOptions } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import { withDatabase } from './global-setup.js';
import { Client, startServer, type Where } from './support/server.js';

const KILLS = Number(process.env.CRASH_KILLS ?? (process.env.FULL ? 20 : 3));
const MINI = new URL('./fixtures/mini-plan/plan.yaml', import.meta.url).pathname;
const ADMIN = 'crash-admin';
const PASSWORD = 'Crash-Test-Password-3';
const UNITS = ['990100', '990101', '990102'];
/** Rows of one import: NEW_JOBS, monthly 1950–2024, for the city and its two counties. */
const MONTHS = Array.from(
  { length: 75 * 12 },
  (_, i) => `${1950 + Math.floor(i / 12)}${String((i % 12) + 1).padStart(2, '0')}`,
);
const IMPORT_ROWS = MONTHS.length * UNITS.length;

/** Import `id`'s values are id × 10,000 + row: the value history tells which import each revision came from. */
function importFile(id: number): string {
  const lines = ['indicator,org_unit,period,value'];
  let row = 0;
  for (const unit of UNITS) for (const month of MONTHS) lines.push(`NEW_JOBS,${unit},${month},${id * 10_000 + row++}`);
  return lines.join('\n');
}

interface Acknowledged {
  /** Saved values: indicator, unit, period and the value the server said it saved. */
  values: { indicator: string; orgUnit: string; period: string; value: number }[];
  imports: number[];
  runs: { id: number; fingerprint: string }[];
  /** Returns submitted (unit, period). */
  submitted: { unit: string; period: string }[];
  /** Imports sent whose answer never came (killed mid-way): all or nothing. */
  unanswered: number[];
}

/** Clients hammering the server until it dies; returns what it acknowledged. */
async function drive(client: Client, round: number, killed: () => boolean): Promise<Acknowledged> {
  const ack: Acknowledged = { values: [], imports: [], runs: [], submitted: [], unanswered: [] };
  const swallow = (e: unknown) => {
    // A refused connection or a reset is the kill; anything else is a failure of the test.
    if (!killed()) throw e;
  };
  const importer = (i: number) => async () => {
    // Writers and the evaluator go first: PGlite runs one statement at a time, and an import is long.
    await new Promise((resolve) => setTimeout(resolve, 200 + i * 300));
    for (let k = 0; !killed(); k++) {
      const id = round * 100 + k * 2 + i;
      ack.unanswered.push(id);
      const res = await client.upload('/api/v1/data/import', 'values.csv', importFile(id)).catch(swallow);
      if (!res) return;
      expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200);
      expect(res.body.saved).toBe(IMPORT_ROWS);
      ack.unanswered.pop();
      ack.imports.push(id);
    }
  };
  const writer = (w: number) => async () => {
    for (let k = 0; !killed(); k++) {
      // POP of a county in a year of the last century: unique values, so each write is its own revision.
      const v = {
        indicator: 'POP',
        orgUnit: UNITS[1 + (w % 2)]!,
        period: String(1900 + ((w * 7 + k) % 100)),
        value: round * 1_000_000 + w * 10_000 + k,
      };
      const res = await client.request('PUT', '/api/v1/data/values', { values: [v] }).catch(swallow);
      if (!res) return;
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      ack.values.push(v);
    }
  };
  const submitter = async () => {
    for (let k = 0; !killed() && k < 40; k++) {
      // A county's yearly return of its own year (1000 + 40 × round + k): save, then submit.
      const unit = '990102';
      const period = String(1000 + round * 40 + k);
      const put = await client
        .request('PUT', '/api/v1/data/values', { values: [{ indicator: 'POP', orgUnit: unit, period, value: 1000 }] })
        .catch(swallow);
      if (!put) return;
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      const sub = await client.request('POST', `/api/v1/data/returns/${unit}/${period}/submit`, {}).catch(swallow);
      if (!sub) return;
      expect(sub.status, JSON.stringify(sub.body)).toBe(200);
      ack.submitted.push({ unit, period });
    }
  };
  const evaluator = async () => {
    for (let k = 0; !killed(); k++) {
      const res = await client
        .request('POST', '/api/v1/evaluations', { freeze: true, label: `crash ${round}.${k}` })
        .catch(swallow);
      if (!res) return;
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      ack.runs.push({ id: res.body.id, fingerprint: res.body.fingerprint });
    }
  };
  await Promise.all([importer(0)(), importer(1)(), writer(0)(), writer(1)(), writer(2)(), submitter(), evaluator()]);
  return ack;
}

async function check(store: Store, acks: Acknowledged[]) {
  // Every acknowledged value write has its revision.
  const revisions = await sql<{ org_unit: string; period: string; value: number }>`
    SELECT org_unit, period, value FROM data_value_revision WHERE indicator = 'POP'`.execute(store.db);
  const have = new Set(revisions.rows.map((r) => `${r.org_unit}|${r.period}|${r.value}`));
  for (const a of acks)
    for (const v of a.values) expect(have.has(`${v.orgUnit}|${v.period}|${v.value}`), JSON.stringify(v)).toBe(true);

  // Imports: all rows or none; acknowledged ones all.
  const perImport = await sql<{ id: number; n: string }>`
    SELECT floor(value / 10000)::int AS id, count(*) AS n FROM data_value_revision
     WHERE indicator = 'NEW_JOBS' GROUP BY 1`.execute(store.db);
  const rows = new Map(perImport.rows.map((r) => [r.id, Number(r.n)]));
  for (const [id, n] of rows) expect(n, `import ${id}`).toBe(IMPORT_ROWS);
  for (const a of acks) for (const id of a.imports) expect(rows.get(id), `import ${id}`).toBe(IMPORT_ROWS);

  // Returns: the state and the events agree (one submit event iff submitted); acknowledged ones are submitted.
  const returns = await sql<{ org_unit: string; period: string; status: string; events: string }>`
    SELECT r.org_unit, r.period, r.status,
           (SELECT count(*) FROM data_return_event e WHERE e.org_unit = r.org_unit AND e.period = r.period AND e.action = 'submit') AS events
      FROM data_return r`.execute(store.db);
  const state = new Map(returns.rows.map((r) => [`${r.org_unit}|${r.period}`, r]));
  for (const r of returns.rows)
    expect(Number(r.events), `${r.org_unit} ${r.period}`).toBe(r.status === 'submitted' ? 1 : 0);
  for (const a of acks)
    for (const s of a.submitted)
      expect(state.get(`${s.unit}|${s.period}`)?.status, `${s.unit} ${s.period}`).toBe('submitted');

  // Every acknowledged frozen run is there and recomputes to the same fingerprint.
  for (const a of acks)
    for (const r of a.runs) {
      const again = await evaluation.reproduceRun(store, SYSTEM_CONTEXT, r.id);
      expect(again.run.fingerprint).toBe(r.fingerprint);
      expect(again.same, `run ${r.id}`).toBe(true);
    }
  return { imports: rows.size, values: revisions.rows.length };
}

interface Target {
  where: Where;
  options: StoreOptions;
  cleanup(): Promise<void>;
}

async function target(kind: DatabaseKind): Promise<Target> {
  if (kind === 'pglite') {
    const dir = await mkdtemp(join(tmpdir(), 'gongfu-crash-'));
    const data = join(dir, 'data');
    return {
      where: { data },
      options: { kind: 'pglite', dataDir: data },
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  }
  const url = inject('postgresUrl');
  const name = `gongfu_crash_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const databaseUrl = withDatabase(url, name);
  return {
    where: { databaseUrl },
    options: { kind: 'postgres', connectionString: databaseUrl },
    cleanup: async () => {
      const a = new pg.Client({ connectionString: url });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

async function withStore<T>(options: StoreOptions, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(options);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

describe.each(['pglite', 'postgres'] as DatabaseKind[])('SIGKILL during imports and writes [%s]', (kind) => {
  let t: Target;
  beforeAll(async () => {
    t = await target(kind);
    await withStore(t.options, async (store) => {
      await migrate(store.db);
      await plans.importPlan(store, MINI);
      await users.addUser(store, SYSTEM_CONTEXT, {
        username: ADMIN,
        password: PASSWORD,
        grants: [{ role: 'admin', unit: '990100' }],
      });
    });
  }, 120_000);
  afterAll(() => t?.cleanup());

  it(
    `survives ${KILLS} kills: acknowledged writes kept, imports whole or absent, runs reproduce`,
    async () => {
      const acks: Acknowledged[] = [];
      let imported = 0;
      for (let round = 1; round <= KILLS; round++) {
        const server = await startServer(t.where, { env: { GONGFU_LOGIN_ATTEMPTS_PER_MINUTE: '1000' } });
        const client = new Client(server.url);
        await client.login(ADMIN, PASSWORD);
        // Kill after 0.5–4 s of traffic (PGlite, one statement at a time: 1.5–6 s), during an import, a
        // write or a commit, wherever it lands.
        const delay =
          kind === 'pglite' ? 1500 + Math.floor(Math.random() * 4500) : 500 + Math.floor(Math.random() * 3500);
        let killed = false;
        const stop = new Promise<void>((resolve) => setTimeout(resolve, delay)).then(() => {
          killed = true;
          return server.kill('SIGKILL');
        });
        acks.push(await drive(client, round, () => killed));
        await stop;
        expect(server.child.signalCode).toBe('SIGKILL');
        const seen = await withStore(t.options, (store) => check(store, acks));
        imported = seen.imports;
      }
      const total = (k: keyof Acknowledged) => acks.reduce((n, a) => n + a[k].length, 0);
      console.log(
        `[${kind}] ${KILLS} kills: ${total('values')} acknowledged writes, ${total('imports')} acknowledged imports ` +
          `(${imported} whole imports in the history, ${total('unanswered')} cut off by the kill), ` +
          `${total('submitted')} submitted returns, ${total('runs')} frozen runs — all kept`,
      );
      expect(total('values')).toBeGreaterThan(0);
    },
    KILLS * 90_000,
  );
});
