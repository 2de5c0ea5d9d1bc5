/** `gongfu calc …`: the engine's methods on files, JSON out — for analysts and for checking numbers. */
import type { Command } from 'commander';
import { register as inequality } from './calc/inequality.js';

export function registerCalcCommands(program: Command): void {
  const calc = program.command('calc').description("the engine's methods on CSV or JSON files; JSON on standard output");
  inequality(calc);
}
