/**
 * `gongfu backup FILE` and `gongfu restore FILE`: the whole database to one gzip'd file and back, on
 * PGlite or PostgreSQL (a backup of one restores into the other). See store/backup.ts for the format.
 */
import type { Command } from 'commander';
import { audit, SYSTEM_CONTEXT } from '../services/context.js';
import { AppError } from '../services/errors.js';
import { backupDatabase, BackupError, readBackupHeader, restoreDatabase } from '../store/backup.js';
import { openStore, storeOptionsFrom } from '../store/db.js';
import { migrate } from '../store/migrate.js';
import { configOf } from './store.js';

/** A BackupError is the user's to fix: one sentence, exit status 1 (see main.ts). */
const asUserError = (error: unknown) =>
  error instanceof BackupError ? new AppError('INVALID_FILE', error.message) : error;

export function registerBackupCommands(program: Command): void {
  program
    .command('backup')
    .argument('<file>', 'the backup file to write (gzip’d JSON lines)')
    .description('write the whole database to FILE (PGlite: stop the server first; PostgreSQL: while serving)')
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      const config = configOf(cmd);
      const store = await openStore(storeOptionsFrom(config));
      try {
        await migrate(store.db);
        const started = Date.now();
        const s = await backupDatabase(store, file);
        const rows = s.tables.reduce((n, t) => n + t.rows, 0);
        console.log(
          `Backed up ${rows} rows of ${s.tables.length} tables (schema: ${s.migrations} migrations) to ${file} in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
        );
      } finally {
        await store.close();
      }
    });

  program
    .command('restore')
    .argument('<file>', 'a file written by `gongfu backup`')
    .option('--replace', 'replace a database that already holds data (all of it, in one transaction)')
    .description('restore FILE into the database: all or nothing; refuses a database with data unless --replace')
    .action(async (file: string, opts: { replace?: boolean }, cmd: Command) => {
      const config = configOf(cmd);
      try {
        const header = await readBackupHeader(file);
        const store = await openStore(storeOptionsFrom(config));
        try {
          const started = Date.now();
          const s = await restoreDatabase(store, file, {
            replace: !!opts.replace,
            finish: (trx, summary) =>
              audit(trx, SYSTEM_CONTEXT, {
                action: 'database.restore',
                targetType: 'database',
                after: { file, createdAt: header.createdAt, source: header.source, ...summary },
              }),
          });
          const rows = s.tables.reduce((n, t) => n + t.rows, 0);
          console.log(
            `Restored ${rows} rows of ${s.tables.length} tables from ${file} (made ${header.createdAt} on ${header.source}) in ${((Date.now() - started) / 1000).toFixed(1)} s.` +
              (s.upgradedWith.length ? ` Upgraded with ${s.upgradedWith.join(', ')}.` : ''),
          );
          console.log('Sessions are not in backups: everyone signs in again.');
        } finally {
          await store.close();
        }
      } catch (error) {
        throw asUserError(error);
      }
    });
}
