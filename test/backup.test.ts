/**
 * Backup and restore: a backup restores into an empty database of either kind and gives the same
 * evaluation (same fingerprint, same cells, the stored run reproduces); restore is all or nothing,
 * refuses a database with data (unless --replace), and a backup from a newer schema.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../src/engine/evaluate.js';
import { SYSTEM_CONTEXT } from '../src/services/context.js';
import { DEFAULT_AUTH } from '../src/config.js';
import * as auth from '../src/services/auth.js';
import * as data from '../src/services/data.js';
import * as evaluation from '../src/services/evaluation.js';
import * as plans from '../src/services/plans.js';
import * as users from '../src/services/users.js';
import { backupDatabase, BackupError, restoreDatabase } from '../src/store/backup.js';
import type { DatabaseKind, Store } from '../src/store/db.js';
import { countValues } from '../src/store/values.js';
import { describeEachStore, freshStore } from './support/stores.js';

const ROOT = new URL('..', import.meta.url).pathname;
const MINI = join(ROOT, 'test/fixtures/mini-plan/plan.yaml');

async function fill(store: Store): Promise<number> {
  await plans.importPlan(store, MINI);
  const v = (indicator: string, orgUnit: string, period: string, value: number) => ({
    indicator,
    orgUnit,
    period,
    value,
  });
  await data.saveValues(
    store,
    SYSTEM_CONTEXT,
    [
      v('POP', '990101', '2020', 100),
      v('POP', '990102', '2020', 300),
      v('POP', '990101', '2022', 100),
      v('POP', '990102', '2022', 300),
      v('INC_PC', '990101', '2020', 60000),
      v('INC_PC', '990102', '2020', 40000),
      v('INC_PC', '990101', '2022', 70000.123456789),
      v('INC_PC', '990102', '2022', 50000),
    ],
    { status: 'approved' },
  );
  // A correction, so that the value history has more than one revision.
  await data.saveValues(store, SYSTEM_CONTEXT, [v('INC_PC', '990102', '2022', 51234.5)], { status: 'approved' });
  await users.addUser(store, SYSTEM_CONTEXT, {
    username: 'analyst',
    password: 'Backup-Restore-7',
    grants: [{ role: 'analyst', unit: '990100' }],
  });
  // A tree whose child has the smaller id (an item moved under a later one): restore must order it.
  for (const [id, parent] of [
    [100_002, null],
    [100_001, 100_002],
  ] as const)
    await sql`INSERT INTO task_item (id, plan_id, list, origin, parent_id, title_zh, scope_unit) OVERRIDING SYSTEM VALUE
              VALUES (${id}, 'mini-2021-2025', 'key', 'user', ${parent}, ${`事项${id}`}, '990100')`.execute(store.db);
  const { run } = await evaluation.runEvaluation(store, SYSTEM_CONTEXT, { freeze: true, label: 'before backup' });
  return run.id;
}

/** What must survive a backup: the evaluation recomputed now, the stored run, its cells. */
async function evaluationOf(store: Store, runId: number) {
  const planId = await plans.currentPlanId(store);
  const now = evaluate((await evaluation.loadEvaluationInput(store, planId)).input);
  const reproduced = await evaluation.reproduceRun(store, SYSTEM_CONTEXT, runId);
  const cells = await sql<{
    indicator: string;
    org_unit: string;
    year: number | null;
    value: number | null;
    status: string;
  }>`
    SELECT indicator, org_unit, year, value, status FROM evaluation_cell WHERE run_id = ${runId} ORDER BY indicator, org_unit, year`.execute(
    store.db,
  );
  return {
    fingerprint: now.fingerprint,
    stored: reproduced.run.fingerprint,
    reproduces: reproduced.same,
    cells: cells.rows,
    values: await countValues(store.db),
    tree: (
      await sql<{ id: number; parent_id: number | null }>`
        SELECT id, parent_id FROM task_item WHERE id > 100000 ORDER BY id`.execute(store.db)
    ).rows,
  };
}

const tempDir = () => mkdtemp(join(tmpdir(), 'gongfu-backup-'));

describeEachStore('backup and restore', (store, kind) => {
  let runId: number;
  let dir: string;
  let file: string;
  let before: Awaited<ReturnType<typeof evaluationOf>>;

  beforeAll(async () => {
    runId = await fill(store());
    before = await evaluationOf(store(), runId);
    dir = await tempDir();
    file = join(dir, 'gongfu.backup.gz');
    await backupDatabase(store(), file);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('the evaluation before the backup is a real one', () => {
    expect(before.reproduces).toBe(true);
    expect(before.fingerprint).toBe(before.stored);
    expect(before.cells.length).toBeGreaterThan(5);
    expect(before.cells.some((c) => c.value !== null)).toBe(true);
    expect(before.tree).toEqual([
      { id: 100_001, parent_id: 100_002 },
      { id: 100_002, parent_id: null },
    ]);
  });

  for (const target of ['pglite', 'postgres'] as DatabaseKind[])
    it(`restores into an empty ${target} database: the same evaluation, the same cells, the run reproduces`, async () => {
      const restored = await freshStore(target);
      try {
        const s = await restoreDatabase(restored, file);
        expect(s.upgradedWith).toEqual([]);
        expect(s.tables.find((t) => t.name === 'data_value')?.rows).toBe(before.values);
        const after = await evaluationOf(restored, runId);
        expect(after).toEqual(before);
        // Identity sequences continue after the restored ids: a new run gets a new id.
        const { run } = await evaluation.runEvaluation(restored, SYSTEM_CONTEXT);
        expect(run.id).toBeGreaterThan(runId);
        expect(run.fingerprint).toBe(before.fingerprint);
        // The restored users sign in with their passwords.
        const session = await auth.login(
          restored,
          { actor: { kind: 'anonymous' }, address: '127.0.0.1' },
          DEFAULT_AUTH,
          {
            username: 'analyst',
            password: 'Backup-Restore-7',
          },
        );
        expect(session.user.username).toBe('analyst');
      } finally {
        await restored.close();
      }
    });

  it('refuses a database that already holds data, and changes nothing in it', async () => {
    const other = await freshStore(kind);
    try {
      await plans.importPlan(other, MINI);
      const units = await sql<{ n: string }>`SELECT count(*) AS n FROM org_unit`.execute(other.db);
      const e = await restoreDatabase(other, file).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(BackupError);
      expect((e as Error).message).toMatch(/already holds data \(.*org_unit: \d+ rows/);
      expect((e as Error).message).toMatch(/目标数据库已有数据/);
      expect((await sql<{ n: string }>`SELECT count(*) AS n FROM org_unit`.execute(other.db)).rows).toEqual(units.rows);
      // With --replace it replaces everything.
      await restoreDatabase(other, file, { replace: true });
      expect(await evaluationOf(other, runId)).toEqual(before);
    } finally {
      await other.close();
    }
  });

  it('a truncated or damaged file restores nothing, even with --replace', async () => {
    const whole = gunzipSync(await readFile(file))
      .toString('utf8')
      .split('\n');
    const cut = join(dir, 'cut.gz');
    // Cut inside the value history: the earlier tables would load, then the restore must roll back.
    const at = whole.findIndex((l) => l.startsWith('{"$":"table","name":"data_value_revision"'));
    expect(at).toBeGreaterThan(0);
    await writeFile(cut, gzipSync(whole.slice(0, at + 2).join('\n')));
    const damaged = join(dir, 'damaged.gz');
    const bytes = await readFile(file);
    await writeFile(damaged, bytes.subarray(0, Math.floor(bytes.length * 0.7)));

    const target = await freshStore(kind);
    try {
      await plans.importPlan(target, MINI);
      await data.saveValues(
        target,
        SYSTEM_CONTEXT,
        [{ indicator: 'POP', orgUnit: '990101', period: '2021', value: 7 }],
        {
          status: 'approved',
        },
      );
      for (const f of [cut, damaged]) {
        const e = await restoreDatabase(target, f, { replace: true }).catch((x: unknown) => x);
        expect(e).toBeInstanceOf(BackupError);
        expect((e as Error).message).toMatch(/incomplete|damaged/);
        expect(await countValues(target.db)).toBe(1);
        const runs = await sql<{ n: string }>`SELECT count(*) AS n FROM evaluation_run`.execute(target.db);
        expect(Number(runs.rows[0]!.n)).toBe(0);
      }
    } finally {
      await target.close();
    }
  });

  it('refuses a backup from a newer schema, saying so', async () => {
    const lines = gunzipSync(await readFile(file))
      .toString('utf8')
      .split('\n');
    const header = JSON.parse(lines[0]!);
    header.migrations.push({ name: '9999_from_the_future.sql', checksum: 'x', appliedAt: '2030-01-01 00:00:00+00' });
    const newer = join(dir, 'newer.gz');
    await writeFile(newer, gzipSync([JSON.stringify(header), ...lines.slice(1)].join('\n')));
    const target = await freshStore(kind);
    try {
      const e = await restoreDatabase(target, newer).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(BackupError);
      expect((e as Error).message).toMatch(
        /newer schema \(migration 9999_from_the_future\.sql is unknown.*upgrade Gongfu/,
      );
      const tables = await sql<{ n: string }>`SELECT count(*) AS n FROM org_unit`.execute(target.db);
      expect(Number(tables.rows[0]!.n)).toBe(0);
    } finally {
      await target.close();
    }
  });

  it('does not write sign-in sessions', async () => {
    const text = gunzipSync(await readFile(file)).toString('utf8');
    expect(text).not.toMatch(/"name":"user_session"/);
    expect(text.split('\n').at(-2)).toBe('{"$":"complete"}');
  });
});

describe('gongfu backup / restore (the command, PGlite folders)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir();
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const gongfu = (args: string[]) =>
    spawnSync(process.execPath, [join(ROOT, 'bin/gongfu.js'), ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    });

  it('backs up a folder, restores into a new one, refuses to restore over it', async () => {
    const source = join(dir, 'source');
    expect(gongfu(['--data', source, 'plan', 'import', MINI]).status).toBe(0);
    const file = join(dir, 'cli.backup.gz');
    const b = gongfu(['--data', source, 'backup', file]);
    expect(b.stderr).toBe('');
    expect(b.stdout).toMatch(/^Backed up \d+ rows of \d+ tables \(schema: \d+ migrations\) to /);
    const r = gongfu(['--data', join(dir, 'copy'), 'restore', file]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Restored \d+ rows/);
    const again = gongfu(['--data', join(dir, 'copy'), 'restore', file]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/^gongfu: 目标数据库已有数据.*--replace/);
    const missing = gongfu(['--data', join(dir, 'copy'), 'restore', join(dir, 'nope.gz')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/file not found/);
  }, 120_000);
});
