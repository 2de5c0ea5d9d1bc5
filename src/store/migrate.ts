/**
 * Migrations: plain .sql files in migrations/, applied in name order, each in its own transaction,
 * recorded in `schema_migration` with a checksum. A released migration is never edited: a changed
 * checksum stops the start with a message instead of leaving two databases with different schemas.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export async function loadMigrations(): Promise<Migration[]> {
  const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
  return Promise.all(
    files.map(async (name) => {
      const text = await readFile(new URL(name, MIGRATIONS_DIR), 'utf8');
      return { name, sql: text, checksum: createHash('sha256').update(text).digest('hex') };
    }),
  );
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** Applies what is missing; returns the names applied now. */
export async function migrate(db: Kysely<Database>): Promise<string[]> {
  await sql`CREATE TABLE IF NOT EXISTS schema_migration (
    name text PRIMARY KEY,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`.execute(db);
  const applied = new Map(
    (await db.selectFrom('schema_migration').select(['name', 'checksum']).execute()).map((r) => [r.name, r.checksum]),
  );
  const done: string[] = [];
  for (const m of await loadMigrations()) {
    const recorded = applied.get(m.name);
    if (recorded !== undefined) {
      if (recorded !== m.checksum)
        throw new MigrationError(`migration ${m.name} was changed after it was applied; add a new migration instead`);
      continue;
    }
    await db.transaction().execute(async (trx) => {
      await sql.raw(m.sql).execute(trx);
      await trx.insertInto('schema_migration').values({ name: m.name, checksum: m.checksum }).execute();
    });
    done.push(m.name);
  }
  return done;
}
