/**
 * Importing a long CSV of values (indicator, org_unit, period, value): Gongfu's import — streaming
 * parse, every row checked against the plan (codes, periodicity, level, unit, bounds), outlier
 * warnings, and a write that keeps each value's history — vs the database's own COPY of the same
 * file into a plain table with the same four columns and no checks. Each side starts from empty
 * tables; the province-scale plan and Zhejiang's 27,036 org units are loaded first (not timed).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { leafUnits, writeLongCsv } from '../src/demo/scale.js';
import { SYSTEM_CONTEXT } from '../src/services/context.js';
import { importValues } from '../src/services/imports.js';
import { openStore, type Store } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import { upsertOrgUnits } from '../src/store/org-units.js';
import { savePlan } from '../src/store/plans.js';
import { startPostgres } from '../test/support/postgres.js';
import { measure, result, type Benchmark } from './harness.js';
import { scalePlan, zhejiangOrgUnits } from './support/scale-plan.js';

async function prepare(store: Store, rows: number): Promise<string> {
  await migrate(store.db);
  const units = await zhejiangOrgUnits();
  await store.db.transaction().execute(async (trx) => {
    await upsertOrgUnits(trx, units);
    await savePlan(trx, scalePlan(100));
  });
  await sql`CREATE TABLE copy_target (indicator text, org_unit text, period text, value double precision)`.execute(
    store.db,
  );
  const file = join(tmpdir(), `gongfu-bench-${rows}.csv`);
  const out = createWriteStream(file);
  await writeLongCsv(out, rows, { units: leafUnits(units), indicators: 100, startYear: 2019, seed: 7 });
  out.end();
  await once(out, 'finish');
  return file;
}

async function empty(store: Store): Promise<void> {
  await sql`TRUNCATE data_value, data_value_revision, copy_target`.execute(store.db);
}

async function ours(store: Store, file: string, rows: number): Promise<void> {
  const r = await importValues(store, SYSTEM_CONTEXT, 'values.csv', { kind: 'csv', source: createReadStream(file) });
  if (r.saved !== rows) throw new Error(`imported ${r.saved} of ${rows} rows`);
}

export const importPostgresBenchmark: Benchmark = {
  name: 'import-postgres',
  description: 'long CSV import into PostgreSQL, checked and with history',
  peer: 'PostgreSQL COPY',
  async run({ quick, runs, log }) {
    const rows = quick ? 20_000 : 1_000_000;
    const cluster = await startPostgres();
    const store = await openStore({ kind: 'postgres', connectionString: cluster.url });
    try {
      const file = await prepare(store, rows);
      log(`  ${rows.toLocaleString('en')} rows written to ${file}`);
      const oursT = await measure(
        runs,
        () => ours(store, file, rows),
        () => empty(store),
      );
      const theirsT = await measure(
        runs,
        async () => {
          const client = new pg.Client({ connectionString: cluster.url });
          await client.connect();
          await pipeline(
            createReadStream(file),
            client.query(copyFrom('COPY copy_target FROM STDIN WITH (FORMAT csv, HEADER true)')),
          );
          await client.end();
        },
        () => empty(store),
      );
      await rm(file, { force: true });
      return result(this, `${rows.toLocaleString('en')} rows`, oursT, theirsT);
    } finally {
      await store.close();
      await cluster.stop();
    }
  },
};

export const importPgliteBenchmark: Benchmark = {
  name: 'import-pglite',
  description: 'long CSV import into PGlite, checked and with history',
  peer: "PGlite's COPY (/dev/blob)",
  async run({ quick, runs, log }) {
    const rows = quick ? 10_000 : 200_000;
    const pglite = await PGlite.create('memory://');
    const store = await openStore({ kind: 'pglite', pglite });
    try {
      const file = await prepare(store, rows);
      log(`  ${rows.toLocaleString('en')} rows written to ${file}`);
      const oursT = await measure(
        runs,
        () => ours(store, file, rows),
        () => empty(store),
      );
      const theirsT = await measure(
        runs,
        async () => {
          const blob = new Blob([await readFile(file)]);
          await pglite.query("COPY copy_target FROM '/dev/blob' WITH (FORMAT csv, HEADER true)", [], { blob });
        },
        () => empty(store),
      );
      await rm(file, { force: true });
      return result(this, `${rows.toLocaleString('en')} rows`, oursT, theirsT);
    } finally {
      await store.close();
      await pglite.close();
    }
  },
};
