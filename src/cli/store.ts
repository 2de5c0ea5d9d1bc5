/** How every command reaches the database: the configured store, migrated, closed whatever happens. */
import type { Command } from 'commander';
import { readConfig, type Config } from '../config.js';
import { openStore, storeOptionsFrom, type Store } from '../store/db.js';
import { migrate } from '../store/migrate.js';

interface GlobalOptions {
  data?: string;
  databaseUrl?: string;
}

/** The configuration of a command: the environment, overridden by the global --data / --database-url. */
export function configOf(cmd: Command): Readonly<Config> {
  const g = cmd.optsWithGlobals<GlobalOptions>();
  return readConfig({
    ...process.env,
    ...(g.data !== undefined && { GONGFU_DATA: g.data }),
    ...(g.databaseUrl !== undefined && { DATABASE_URL: g.databaseUrl }),
  });
}

/** Opens the configured store, brings its schema up to date, runs `work`, and closes the store whatever happens. */
export async function withStore<T>(
  config: Readonly<Config>,
  work: (store: Store, migrationsApplied: string[]) => Promise<T>,
): Promise<T> {
  const store = await openStore(storeOptionsFrom(config));
  try {
    return await work(store, await migrate(store.db));
  } finally {
    await store.close();
  }
}

/** `withStore` with the configuration of a command. */
export function withCommandStore<T>(cmd: Command, work: (store: Store) => Promise<T>): Promise<T> {
  return withStore(configOf(cmd), (store) => work(store));
}
