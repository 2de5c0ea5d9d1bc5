/**
 * `gongfu calc ahp --matrix M.json [--force]`: AHP weights from a pairwise comparison matrix.
 *
 * The file holds a JSON array of arrays, row i comparing criterion i with each criterion j
 * (a_ij = how many times more important i is than j, Saaty's 1–9 scale). Entries are numbers or
 * strings holding a number or a fraction ("1/3"), so reciprocals can be exact. Output
 * `{ weights, lambdaMax, ci, cr }` (see engine/weights.ts for the method and its conventions).
 * A consistency ratio above 0.1 is refused unless `--force`.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { ahpWeights, InconsistentJudgementsError, MAX_CONSISTENCY_RATIO } from '../../engine/weights.js';
import { UsageError } from '../errors.js';

export interface AhpOutput {
  weights: number[];
  lambdaMax: number;
  ci: number;
  cr: number;
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function entry(x: unknown, i: number, j: number): number {
  const where = `row ${i + 1}, column ${j + 1}`;
  if (typeof x === 'number') return x;
  if (typeof x === 'string') {
    const parts = x.split('/').map((p) => p.trim());
    if (parts.length <= 2 && parts.every((p) => DECIMAL.test(p))) {
      const value = parts.length === 1 ? Number(parts[0]) : Number(parts[0]) / Number(parts[1]);
      if (Number.isFinite(value)) return value;
    }
    throw new UsageError(`${where}: "${x}" is not a number or a fraction like "1/3"`);
  }
  throw new UsageError(`${where}: ${JSON.stringify(x) ?? String(x)} is not a number`);
}

/** Parses the matrix file's text into rows of numbers, naming the row and column of any bad entry. */
export function parsePairwiseMatrix(text: string): number[][] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`the matrix file is not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(data) || data.length === 0)
    throw new UsageError('the matrix file must hold a non-empty JSON array of rows, e.g. [[1, 3], ["1/3", 1]]');
  return data.map((row: unknown, i) => {
    if (!Array.isArray(row)) throw new UsageError(`row ${i + 1} is not an array`);
    return row.map((x: unknown, j) => entry(x, i, j));
  });
}

/** The whole command on the text of a matrix file. */
export function calcAhp(text: string, options: { force?: boolean } = {}): AhpOutput {
  const matrix = parsePairwiseMatrix(text);
  try {
    const r = ahpWeights(matrix, { force: options.force === true });
    return { weights: Array.from(r.weights), lambdaMax: r.lambdaMax, ci: r.ci, cr: r.cr };
  } catch (e) {
    if (e instanceof InconsistentJudgementsError)
      throw new UsageError(
        `the consistency ratio CR = ${e.result.cr.toFixed(3)} is above ${MAX_CONSISTENCY_RATIO}: the matrix is inconsistent; revise the comparisons, or pass --force to accept it`,
      );
    if (e instanceof RangeError) throw new UsageError(e.message);
    throw e;
  }
}

export function register(calc: Command): void {
  calc
    .command('ahp')
    .description("AHP weights from a pairwise comparison matrix (Saaty's eigenvector method): weights, λmax, CI, CR")
    .requiredOption('--matrix <json>', 'JSON array of rows; entries are numbers or fractions such as "1/3"')
    .option('--force', `accept a matrix whose consistency ratio is above ${MAX_CONSISTENCY_RATIO}`)
    .action(async (opts: { matrix: string; force?: boolean }) => {
      const text = await readFile(opts.matrix, 'utf8');
      console.log(JSON.stringify(calcAhp(text, { force: opts.force === true }), null, 2));
    });
}
