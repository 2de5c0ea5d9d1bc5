/**
 * Once per test run: a throwaway PostgreSQL cluster with a migrated template database, and a
 * migrated PGlite data-dir dump. Each suite then clones a fresh database from one of them (cheap),
 * so tests never share state. GONGFU_TEST_DATABASE_URL uses an existing server instead.
 */
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openStore } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import { startPostgres } from './support/postgres.js';

export const TEMPLATE_DB = 'gongfu_template';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
    pgliteTemplate: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = await mkdtemp(join(tmpdir(), 'gongfu-test-'));

  const pglite = await PGlite.create('memory://');
  const embedded = await openStore({ kind: 'pglite', pglite });
  await migrate(embedded.db);
  const dump = await pglite.dumpDataDir('none');
  await embedded.close();
  await pglite.close();
  const pgliteTemplate = join(dir, 'pglite-template.tar');
  await writeFile(pgliteTemplate, Buffer.from(await dump.arrayBuffer()));

  const external = process.env.GONGFU_TEST_DATABASE_URL;
  const cluster = external ? undefined : await startPostgres();
  const postgresUrl = external ?? cluster!.url;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB}`);
  await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  await admin.end();
  const template = await openStore({ kind: 'postgres', connectionString: withDatabase(postgresUrl, TEMPLATE_DB) });
  await migrate(template.db);
  await template.close();

  project.provide('postgresUrl', postgresUrl);
  project.provide('pgliteTemplate', pgliteTemplate);

  return async () => {
    await cluster?.stop();
    await rm(dir, { recursive: true, force: true });
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
