/**
 * Opening the database: PGlite (PostgreSQL in WASM, in-process, persisted to a folder) by default,
 * PostgreSQL when a connection string is given. One SQL dialect and one query layer (Kysely) for both.
 */
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

export type DatabaseKind = 'pglite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** The PGlite instance, for PGlite-only operations (COPY via /dev/blob, data-dir dumps). */
  pglite?: PGlite;
  /** The pool, for PostgreSQL-only operations (COPY FROM STDIN). */
  pool?: pg.Pool;
  close(): Promise<void>;
}

// Numbers come back as JavaScript numbers where that is exact: bigint (int8, e.g. count(*)) stays a
// string and is converted on purpose in the repository that reads it; numeric is not used.

export type StoreOptions =
  | { kind: 'pglite'; dataDir: string }
  | { kind: 'pglite'; pglite: PGlite }
  | { kind: 'postgres'; connectionString: string; maxConnections?: number };

export async function openStore(options: StoreOptions): Promise<Store> {
  if (options.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 10 });
    // An idle connection the server closed (a restart, an administrator) is dropped and replaced by
    // the pool; without a listener that 'error' would end the process.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', pool, close: () => db.destroy() };
  }
  let pglite: PGlite;
  if ('pglite' in options) pglite = options.pglite;
  else {
    await mkdir(options.dataDir, { recursive: true });
    pglite = await PGlite.create(options.dataDir);
  }
  // PGlite is single-connection: a pool of one serialises queries, so transactions never interleave.
  const pool = new pg.Pool(createPgConfig(pglite));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'pglite',
    pglite,
    close: async () => {
      await db.destroy();
      if (!('pglite' in options)) await pglite.close();
    },
  };
}

/** The store a configuration asks for: PostgreSQL when DATABASE_URL is set, else PGlite in the data folder. */
export function storeOptionsFrom(config: { databaseUrl: string | undefined; dataDir: string }): StoreOptions {
  return config.databaseUrl
    ? { kind: 'postgres', connectionString: config.databaseUrl }
    : { kind: 'pglite', dataDir: config.dataDir };
}
