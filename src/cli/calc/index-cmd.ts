/**
 * `gongfu calc index`: a composite score and rank for each row of a CSV (units × criteria).
 *
 *   gongfu calc index --file F.csv --id COL --criteria c1:up,c2:down,… \
 *     --method entropy|topsis|entropy-topsis [--weights c1=0.3,…] [--normalise minmax|none]
 *
 * Methods:
 * - `entropy`: entropy weights of the min–max normalised criteria (best 1, worst 0); the score is
 *   the weighted sum of those normalised values, in [0, 1]. Needs min–max (`--normalise none` is
 *   refused: a sum of raw values in different units means nothing).
 * - `topsis`: TOPSIS closeness in [0, 1] with the weights of `--weights` (default: equal), on the
 *   raw values by default (TOPSIS normalises by vector norm itself) or on min–max values.
 * - `entropy-topsis` (熵权TOPSIS): entropy weights feed TOPSIS; both work on the min–max
 *   normalised criteria by default, or on the raw values with `--normalise none`.
 * Raw values for entropy or TOPSIS must be ≥ 0; a negative one is refused, naming its row and
 * column (use min–max). After min–max every criterion points up.
 *
 * Rows: the header is row 1. An empty cell, NA or N/A (any case) is missing; a row missing any
 * criterion gets score and rank null, is listed last, and takes no part in the weights or the
 * normalisation. Output `{ weights: {c: w}, entropy?: {c: e}, scores: [{id, score, rank}] }`:
 * `entropy` only for the entropy methods; scores sorted by rank (competition ranking, 1224), ties by
 * id in code-unit order, then the rows without a score by id.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { DIRECTIONS, type Direction } from '../../domain/plan.js';
import { MatrixValueError, normaliseMatrix, type DecisionMatrix } from '../../engine/normalise.js';
import { rank, rankOrder } from '../../engine/ranking.js';
import { topsis } from '../../engine/topsis.js';
import { entropyWeights, equalWeights, fixedWeights } from '../../engine/weights.js';
import { CsvError, parseCsv } from '../../ingest/csv.js';
import { UsageError } from '../errors.js';

export const INDEX_METHODS = ['entropy', 'topsis', 'entropy-topsis'] as const;
export type IndexMethod = (typeof INDEX_METHODS)[number];
export const INDEX_NORMALISATIONS = ['minmax', 'none'] as const;
export type IndexNormalisation = (typeof INDEX_NORMALISATIONS)[number];

export interface IndexOptions {
  id: string;
  /** "c1:up,c2:down" */
  criteria: string;
  method: string;
  /** "c1=0.3,c2=0.7" (topsis only) */
  weights?: string;
  normalise?: string;
}

export interface IndexOutput {
  weights: Record<string, number>;
  entropy?: Record<string, number>;
  scores: { id: string; score: number | null; rank: number | null }[];
}

interface Criterion {
  name: string;
  direction: Direction;
}

const MISSING = /^(|na|n\/a)$/i;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A number as written in a CSV cell or an option; NaN for a missing cell; undefined when it is not a number. */
function parseNumber(text: string): number | undefined {
  const t = text.trim();
  if (MISSING.test(t)) return NaN;
  if (!NUMBER.test(t)) return undefined;
  const x = Number(t);
  return Number.isFinite(x) ? x : undefined;
}

export function parseCriteria(spec: string): Criterion[] {
  const items = spec
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0)
    throw new UsageError('--criteria names no criterion; write e.g. --criteria income:up,gap:down');
  const seen = new Set<string>();
  return items.map((item) => {
    const at = item.lastIndexOf(':');
    const name = (at < 0 ? item : item.slice(0, at)).trim();
    const direction = at < 0 ? '' : item.slice(at + 1).trim();
    if (at < 0 || name === '')
      throw new UsageError(`criterion "${item}" needs a column and a direction, e.g. ${item || 'income'}:up or :down`);
    if (!(DIRECTIONS as readonly string[]).includes(direction))
      throw new UsageError(`criterion "${name}" has direction "${direction}"; use up (higher is better) or down`);
    if (seen.has(name)) throw new UsageError(`criterion "${name}" is listed twice in --criteria`);
    seen.add(name);
    return { name, direction: direction as Direction };
  });
}

function parseWeights(spec: string, criteria: readonly Criterion[]): Float64Array {
  const given = new Map<string, number>();
  for (const item of spec.split(',').map((s) => s.trim())) {
    if (item === '') continue;
    const at = item.lastIndexOf('=');
    const name = at < 0 ? item : item.slice(0, at).trim();
    if (at < 0) throw new UsageError(`weight "${item}" needs a value, e.g. ${name}=0.3`);
    if (!criteria.some((c) => c.name === name))
      throw new UsageError(`--weights names "${name}", which is not in --criteria`);
    if (given.has(name)) throw new UsageError(`--weights gives "${name}" twice`);
    const w = parseNumber(item.slice(at + 1));
    if (w === undefined || Number.isNaN(w))
      throw new UsageError(`the weight of "${name}" is "${item.slice(at + 1)}", not a number`);
    if (w < 0) throw new UsageError(`the weight of "${name}" is negative (${w})`);
    given.set(name, w);
  }
  const missing = criteria.filter((c) => !given.has(c.name)).map((c) => c.name);
  if (missing.length > 0) throw new UsageError(`--weights gives no weight for ${missing.join(', ')}`);
  const raw = criteria.map((c) => given.get(c.name)!);
  if (raw.every((w) => w === 0)) throw new UsageError('the weights in --weights sum to 0');
  return fixedWeights(raw);
}

interface Table {
  ids: string[];
  /** Spreadsheet row number (header = 1) of each data row. */
  rowNumbers: number[];
  /** units × criteria, NaN for missing. */
  values: Float64Array;
}

function readTable(text: string, idColumn: string, criteria: readonly Criterion[]): Table {
  let rows: string[][];
  try {
    rows = parseCsv(text);
  } catch (e) {
    if (e instanceof CsvError) throw new UsageError(`the CSV file is malformed: ${e.message}`);
    throw e;
  }
  const header = rows[0];
  if (!header) throw new UsageError('the CSV file is empty');
  const names = header.map((h) => h.trim());
  const columnOf = (name: string, what: string) => {
    const at = names.indexOf(name);
    if (at < 0)
      throw new UsageError(`no column "${name}" (${what}) in the header; the columns are ${names.join(', ')}`);
    if (names.indexOf(name, at + 1) >= 0) throw new UsageError(`column "${name}" appears twice in the header`);
    return at;
  };
  const idAt = columnOf(idColumn, '--id');
  const criterionAt = criteria.map((c) => columnOf(c.name, 'in --criteria'));

  const ids: string[] = [];
  const rowNumbers: number[] = [];
  const values: number[] = [];
  const firstRowOf = new Map<string, number>();
  rows.forEach((row, r) => {
    const rowNumber = r + 1;
    if (r === 0 || (row.length === 1 && row[0]!.trim() === '')) return; // header; blank line
    if (row.length !== header.length)
      throw new UsageError(`row ${rowNumber} has ${row.length} fields; the header has ${header.length}`);
    const id = row[idAt]!.trim();
    if (id === '') throw new UsageError(`row ${rowNumber}, column "${idColumn}": the id is empty`);
    const first = firstRowOf.get(id);
    if (first !== undefined)
      throw new UsageError(`row ${rowNumber}, column "${idColumn}": id "${id}" appears again (first in row ${first})`);
    firstRowOf.set(id, rowNumber);
    ids.push(id);
    rowNumbers.push(rowNumber);
    criteria.forEach((c, k) => {
      const cell = row[criterionAt[k]!]!;
      const x = parseNumber(cell);
      if (x === undefined) throw new UsageError(`row ${rowNumber}, column "${c.name}": "${cell}" is not a number`);
      values.push(x);
    });
  });
  if (ids.length === 0) throw new UsageError('the CSV file has a header but no data rows');
  return { ids, rowNumbers, values: Float64Array.from(values) };
}

function resolveNormalisation(method: IndexMethod, option: string | undefined): IndexNormalisation {
  if (option !== undefined && !(INDEX_NORMALISATIONS as readonly string[]).includes(option))
    throw new UsageError(`--normalise "${option}" is not one of ${INDEX_NORMALISATIONS.join(', ')}`);
  const chosen = option as IndexNormalisation | undefined;
  switch (method) {
    case 'entropy':
      if (chosen === 'none')
        throw new UsageError(
          '--method entropy scores the weighted sum of min–max normalised criteria; --normalise none is not allowed with it',
        );
      return 'minmax';
    case 'topsis':
      return chosen ?? 'none';
    case 'entropy-topsis':
      return chosen ?? 'minmax';
  }
}

/** The whole command on the text of a CSV file. */
export function calcIndex(text: string, options: IndexOptions): IndexOutput {
  if (!(INDEX_METHODS as readonly string[]).includes(options.method))
    throw new UsageError(`--method "${options.method}" is not one of ${INDEX_METHODS.join(', ')}`);
  const method = options.method as IndexMethod;
  const criteria = parseCriteria(options.criteria);
  if (criteria.some((c) => c.name === options.id))
    throw new UsageError(`column "${options.id}" is the id (--id) and cannot also be a criterion`);
  if (options.weights !== undefined && method !== 'topsis')
    throw new UsageError(`--weights applies to --method topsis; --method ${method} derives its weights by entropy`);
  const normalisation = resolveNormalisation(method, options.normalise);
  const given = options.weights !== undefined ? parseWeights(options.weights, criteria) : undefined;

  const table = readTable(text, options.id, criteria);
  const k = criteria.length;

  // Complete rows only: a row missing a criterion is not scored and does not shape the others.
  const complete: number[] = [];
  table.ids.forEach((_, u) => {
    if (!table.values.subarray(u * k, (u + 1) * k).some(Number.isNaN)) complete.push(u);
  });
  if (complete.length === 0) throw new UsageError('no row has a value in every criterion');
  const raw: DecisionMatrix = {
    values: Float64Array.from(complete.flatMap((u) => Array.from(table.values.subarray(u * k, (u + 1) * k)))),
    units: complete.length,
    criteria: k,
    directions: criteria.map((c) => c.direction),
  };
  const matrix = normalisation === 'minmax' ? normaliseMatrix(raw, 'minmax') : raw;

  let weights: Float64Array;
  let entropy: Float64Array | undefined;
  let scores: Float64Array;
  try {
    if (method === 'topsis') {
      weights = given ?? equalWeights(k);
    } else {
      const e = entropyWeights(matrix);
      weights = e.weights;
      entropy = e.entropy;
    }
    if (method === 'entropy') {
      scores = new Float64Array(matrix.units);
      for (let u = 0; u < matrix.units; u++) {
        let s = 0;
        for (let c = 0; c < k; c++) s += weights[c]! * matrix.values[u * k + c]!;
        scores[u] = s;
      }
    } else {
      scores = topsis(matrix, weights).closeness;
    }
  } catch (e) {
    if (e instanceof MatrixValueError) {
      const row = table.rowNumbers[complete[e.unit]!]!;
      const name = criteria[e.criterion]!.name;
      const value = raw.values[e.unit * k + e.criterion]!;
      throw new UsageError(
        `row ${row}, column "${name}": ${value} is negative; ${method} needs values ≥ 0 — add --normalise minmax`,
      );
    }
    throw e;
  }

  const ranks = rank(scores);
  const allScores = new Float64Array(table.ids.length).fill(NaN);
  const allRanks = new Float64Array(table.ids.length).fill(NaN);
  complete.forEach((u, i) => {
    allScores[u] = scores[i]!;
    allRanks[u] = ranks[i]!;
  });
  const orNull = (x: number) => (Number.isNaN(x) ? null : x);
  const byName = (x: Float64Array) => Object.fromEntries(criteria.map((c, i) => [c.name, x[i]!]));

  return {
    weights: byName(weights),
    ...(entropy && { entropy: byName(entropy) }),
    scores: rankOrder(allRanks, table.ids).map((u) => ({
      id: table.ids[u]!,
      score: orNull(allScores[u]!),
      rank: orNull(allRanks[u]!),
    })),
  };
}

export function register(calc: Command): void {
  calc
    .command('index')
    .description(
      'score and rank the rows of a CSV by entropy weights, TOPSIS, or entropy-weighted TOPSIS (熵权TOPSIS); JSON out',
    )
    .requiredOption('--file <csv>', 'CSV with a header row: one row per unit, one column per criterion')
    .requiredOption('--id <column>', 'the column that names each row')
    .requiredOption('--criteria <list>', 'criteria and directions, e.g. income:up,unemployment:down')
    .requiredOption('--method <method>', `one of ${INDEX_METHODS.join(', ')}`)
    .option('--weights <list>', 'weights for --method topsis, e.g. income=0.6,unemployment=0.4 (default: equal)')
    .option(
      '--normalise <how>',
      'minmax (best 1, worst 0) or none; default minmax for entropy and entropy-topsis, none for topsis',
    )
    .action(async (opts: IndexOptions & { file: string }) => {
      const text = await readFile(opts.file, 'utf8');
      console.log(JSON.stringify(calcIndex(text, opts), null, 2));
    });
}
