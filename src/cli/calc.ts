/** `gongfu calc …`: the engine's methods on files, JSON out — for analysts and for checking numbers. */
import type { Command } from 'commander';

export function registerCalcCommands(program: Command): void {
  program.command('calc').description("the engine's methods on CSV or JSON files; JSON on standard output");
}
