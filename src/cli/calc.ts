/**
 * `gongfu calc …`: the engine's methods on files, JSON out — for analysts and for checking numbers.
 * The one place where the command line calls engine/ directly: these commands are the engine, on files.
 */
import type { Command } from 'commander';
import { register as ahp } from './calc/ahp.js';
import { register as index } from './calc/index-cmd.js';
import { register as inequality } from './calc/inequality.js';
import { register as progress } from './calc/progress.js';

export function registerCalcCommands(program: Command): void {
  const calc = program
    .command('calc')
    .description("the engine's methods on CSV or JSON files; JSON on standard output");
  inequality(calc);
  progress(calc);
  index(calc);
  ahp(calc);
}
