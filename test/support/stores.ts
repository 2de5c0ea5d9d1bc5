/**
 * A fresh, migrated database per suite, on PGlite and on PostgreSQL: the same tests run on both.
 *
 *   describeEachStore('org units', (store) => { it('…', async () => { await store().db… }) })
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { openStore, type DatabaseKind, type Store } from '../../src/store/db.js';
import { TEMPLATE_DB, withDatabase } from '../global-setup.js';

export const STORE_KINDS: DatabaseKind[] = ['pglite', 'postgres'];

export async function freshStore(kind: DatabaseKind): Promise<Store> {
  if (kind === 'pglite') {
    const dump = await readFile(inject('pgliteTemplate'));
    const pglite = await PGlite.create({ loadDataDir: new Blob([dump]) });
    const store = await openStore({ kind: 'pglite', pglite });
    return { ...store, close: async () => (await store.close(), await pglite.close()) };
  }
  const url = inject('postgresUrl');
  const name = `gongfu_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`);
  await admin.end();
  const store = await openStore({ kind: 'postgres', connectionString: withDatabase(url, name) });
  return {
    ...store,
    close: async () => {
      await store.close();
      const a = new pg.Client({ connectionString: url });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

/** Runs the suite once per database kind, each with its own fresh database. */
export function describeEachStore(
  name: string,
  suite: (store: () => Store, kind: DatabaseKind) => void,
  kinds: DatabaseKind[] = STORE_KINDS,
): void {
  describe.each(kinds)(`${name} [%s]`, (kind) => {
    let store: Store | undefined;
    beforeAll(async () => {
      store = await freshStore(kind);
    });
    afterAll(async () => {
      await store?.close();
    });
    suite(() => {
      if (!store) throw new Error('store not ready');
      return store;
    }, kind);
  });
}
