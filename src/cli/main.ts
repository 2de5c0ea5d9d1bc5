/**
 * `gongfu`: the command line. Every command is a thin adapter over services/. A user's mistake ends
 * with one clear sentence and exit status 1; an unexpected failure with exit status 2 (and the
 * stack only with DEBUG=1).
 */
import { Command, CommanderError, Option } from 'commander';
import { AppError } from '../services/errors.js';
import { ConfigError } from '../config.js';
import { MigrationError } from '../store/migrate.js';
import { registerCommands, registerDataAndUserCommands } from './commands.js';
import { registerCalcCommands } from './calc.js';
import { registerTaskCommands } from './task-commands.js';
import { registerBackupCommands } from './backup-command.js';
import { registerReportCommand } from './report-command.js';
import { registerAppraisalCommands } from './appraisal-commands.js';
import { UsageError } from './errors.js';

const program = new Command('gongfu')
  .description(
    'Gongfu (共富): run a common-prosperity implementation plan — targets, data, evaluation, horse race and the closed loop — from one screen.',
  )
  .addOption(new Option('--data <dir>', 'folder of the embedded database (PGlite)').env('GONGFU_DATA'))
  .addOption(
    new Option('--database-url <url>', 'use PostgreSQL at this URL instead of the embedded database').env(
      'DATABASE_URL',
    ),
  )
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

registerCommands(program);
registerDataAndUserCommands(program);
registerCalcCommands(program);
registerReportCommand(program);
registerTaskCommands(program);
registerBackupCommands(program);
registerAppraisalCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = report(error);
}

function report(error: unknown): number {
  if (error instanceof CommanderError) {
    // Help and version exit with 0; commander has already printed its message.
    return error.exitCode;
  }
  if (
    error instanceof AppError ||
    error instanceof UsageError ||
    error instanceof ConfigError ||
    error instanceof MigrationError
  ) {
    console.error(`gongfu: ${error.message}`);
    return 1;
  }
  const e = error as NodeJS.ErrnoException;
  if (e?.code === 'ENOENT' && e.path) {
    console.error(`gongfu: file not found: ${e.path}`);
    return 1;
  }
  if (e?.code === 'EADDRINUSE') {
    console.error(`gongfu: the port is already in use (${e.message}); choose another with --port or PORT`);
    return 1;
  }
  console.error(`gongfu: unexpected error: ${e?.message ?? String(error)}`);
  if (process.env.DEBUG) console.error(e?.stack);
  else console.error('(set DEBUG=1 to see the details)');
  return 2;
}
