/**
 * `gongfu calc inequality`: disparity and inequality statistics of one CSV column (optionally weighted,
 * optionally grouped), as JSON. The statistics and their conventions are those of
 * `src/engine/inequality.ts`; this module only reads the file and shapes the output.
 */
import { cellNumber, columnIndex } from './csv-input.js';
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { inequality, type Bracket, type InequalityResult, type TheilParts } from '../../engine/inequality.js';
import { CsvError, parseCsv } from '../../ingest/csv.js';
import { UsageError } from '../errors.js';

export interface InequalityCsvOptions {
  /** Column holding the values. */
  value: string;
  /** Column holding the weights (population, survey weight). */
  weight?: string;
  /** Column holding each row's group, for per-group statistics and the Theil decompositions. */
  group?: string;
  /** Brackets as given on the command line, e.g. `100000-500000,200000-`. */
  brackets?: string;
}

export interface InequalityJson {
  n: number;
  weightTotal: number;
  mean: number | null;
  median: number | null;
  gini: number | null;
  theilT: number | null;
  theilL: number | null;
  cv: number | null;
  maxMinRatio: number | null;
  quintileShareRatio: number | null;
  excludedNonPositive: number;
  brackets: { from: number | null; to: number | null; share: number | null }[];
  groups?: {
    group: string;
    n: number;
    weightTotal: number;
    mean: number | null;
    gini: number | null;
    theilT: number | null;
    theilL: number | null;
  }[];
  decomposition?: {
    theilT: { within: number | null; between: number | null };
    theilL: { within: number | null; between: number | null };
  };
}

const HELP_AFTER = `
Conventions:
  n             rows with a numeric value (and weight); an empty cell is missing, the row skipped;
                rows of weight 0 count in n but take part in nothing
  median        the smallest value whose cumulative weight reaches half of the total weight
  gini          population form ΣΣ f_i f_j |y_i − y_j| / (2μ), f_i = w_i / Σw
  theilT/L      over the rows with value > 0 only; the others are counted in excludedNonPositive
  cv            σ/μ, σ² = Σw(y − μ)² / Σw
  maxMinRatio   max / min (倍差); null when min ≤ 0
  quintileShareRatio
                S80/S20: income of the top 20% of the weight over that of the bottom 20%, the row
                that straddles a cut split by weight (Lorenz curve)
  brackets      half-open [from, to): 100000-500000 means 100000 ≤ value < 500000; an open top is
                written 100000- and an open bottom -500000; bounds are non-negative numbers
  groups        in order of first appearance; decomposition: Theil T and L = within + between
  null          not available (no data, or a ratio whose denominator is not positive)

Example:
  gongfu calc inequality --file households.csv --value income --weight weight \\
    --group urban_rural --brackets 100000-500000,200000-600000
`;

export function register(calc: Command): void {
  calc
    .command('inequality')
    .description(
      'disparity and inequality of a CSV column: mean, median, Gini, Theil T and L (decomposed by group), CV, max/min ratio, S80/S20, bracket shares',
    )
    .requiredOption('--file <csv>', 'CSV file with a header row')
    .requiredOption('--value <column>', 'column of values (e.g. disposable income)')
    .option('--weight <column>', 'column of weights (population, survey weights); default 1 per row')
    .option('--group <column>', 'column of groups: adds per-group statistics and the Theil decompositions')
    .option('--brackets <list>', 'comma-separated half-open brackets, e.g. 100000-500000,200000-600000,500000-')
    .addHelpText('after', HELP_AFTER)
    .action(async (opts: InequalityCsvOptions & { file: string }) => {
      const text = await readFile(opts.file, 'utf8');
      let result: InequalityJson;
      try {
        result = inequalityFromCsv(text, opts);
      } catch (error) {
        if (error instanceof CsvError) throw new UsageError(`${opts.file}: ${error.message}.`);
        throw error;
      }
      console.log(JSON.stringify(result, null, 2));
    });
}

/**
 * The command without the file system: CSV text in, the printed JSON object out. User mistakes (a
 * missing column, a cell that is not a number, a bad bracket) throw UsageError; malformed CSV throws
 * CsvError.
 */
export function inequalityFromCsv(text: string, options: InequalityCsvOptions): InequalityJson {
  const brackets = options.brackets !== undefined ? parseBrackets(options.brackets) : [];
  const rows = parseCsv(text);
  const header = rows[0];
  if (header === undefined) throw new UsageError('the CSV file is empty; it needs a header row.');
  const valueAt = columnIndex(header, options.value);
  const weightAt = options.weight !== undefined ? columnIndex(header, options.weight) : -1;
  const groupAt = options.group !== undefined ? columnIndex(header, options.group) : -1;

  const count = rows.length - 1;
  const values = new Float64Array(count);
  const weights = weightAt >= 0 ? new Float64Array(count) : undefined;
  const groups: string[] | undefined = groupAt >= 0 ? new Array<string>(count) : undefined;
  for (let r = 0; r < count; r++) {
    const row = rows[r + 1]!;
    // Rows are numbered as in a spreadsheet: the header is row 1.
    values[r] = cellNumber(row[valueAt], r + 2, options.value);
    if (weights !== undefined) {
      const w = cellNumber(row[weightAt], r + 2, options.weight!);
      if (w < 0) throw new UsageError(`row ${r + 2}, column "${options.weight}": the weight ${w} is negative.`);
      weights[r] = w;
    }
    if (groups !== undefined) groups[r] = (row[groupAt] ?? '').trim();
  }

  const result = inequality(values, weights, { brackets, ...(groups !== undefined && { groups }) });
  return toJson(result);
}

/**
 * Parses `--brackets`: comma-separated `FROM-TO` (half-open [FROM, TO)), `FROM-` (open top) or `-TO`
 * (open bottom), with non-negative decimal bounds.
 */
export function parseBrackets(spec: string): Bracket[] {
  return spec.split(',').map((raw) => {
    const part = raw.trim();
    const m = /^(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)?\s*-\s*(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)?$/.exec(part);
    if (!m || (m[1] === undefined && m[2] === undefined)) {
      throw new UsageError(
        `--brackets: "${part}" is not a bracket; write FROM-TO (e.g. 100000-500000), FROM- for an open top or -TO for an open bottom.`,
      );
    }
    const from = m[1] !== undefined ? Number(m[1]) : null;
    const to = m[2] !== undefined ? Number(m[2]) : null;
    if (from !== null && to !== null && !(from < to)) {
      throw new UsageError(`--brackets: "${part}" is empty; FROM must be below TO.`);
    }
    return { from, to };
  });
}

/** NaN and ±Infinity become null: JSON has no NaN. */
function num(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function parts(p: TheilParts): { within: number | null; between: number | null } {
  return { within: num(p.within), between: num(p.between) };
}

/** The printed object, keys in the documented order. */
function toJson(r: InequalityResult): InequalityJson {
  const json: InequalityJson = {
    n: r.n,
    weightTotal: r.weightTotal,
    mean: num(r.mean),
    median: num(r.median),
    gini: num(r.gini),
    theilT: num(r.theilT),
    theilL: num(r.theilL),
    cv: num(r.cv),
    maxMinRatio: num(r.maxMinRatio),
    quintileShareRatio: num(r.quintileShareRatio),
    excludedNonPositive: r.excludedNonPositive,
    brackets: r.brackets.map((b) => ({ from: b.from, to: b.to, share: num(b.share) })),
  };
  if (r.groups !== undefined && r.decomposition !== undefined) {
    json.groups = r.groups.map((g) => ({
      group: String(g.group),
      n: g.n,
      weightTotal: g.weightTotal,
      mean: num(g.mean),
      gini: num(g.gini),
      theilT: num(g.theilT),
      theilL: num(g.theilL),
    }));
    json.decomposition = { theilT: parts(r.decomposition.theilT), theilL: parts(r.decomposition.theilL) };
  }
  return json;
}
