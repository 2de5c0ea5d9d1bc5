/**
 * `gongfu calc progress`: the Open SDG progress measure (Statistics Canada's method, as in sdg-build
 * 2.4) of each series in a CSV file, as a JSON array. The method and its conventions are those of
 * `src/engine/sdg-progress.ts`; this module only reads the file and shapes the output.
 */
import { cellNumber, columnIndex, DECIMAL } from './csv-input.js';
import { readFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import type { Direction } from '../../domain/plan.js';
import { progressMeasure, type ProgressMeasureOptions, type ProgressStatus } from '../../engine/sdg-progress.js';
import { CsvError, parseCsv } from '../../ingest/csv.js';
import { UsageError } from '../errors.js';

export interface ProgressCsvOptions {
  /** Column naming the series; rows are grouped by it. Without it the whole file is one series. */
  series?: string;
  /** Column of years (integers). */
  year: string;
  /** Column of values; an empty cell is missing. */
  value: string;
  direction: string;
  /** Target value and year, as given on the command line. */
  target?: string;
  targetYear?: string;
  baseYear?: string;
  limit?: string;
}

/** One printed object; keys in this order. */
export interface ProgressJson {
  series: string | null;
  baseYear: number | null;
  baseValue: number | null;
  currentYear: number | null;
  currentValue: number | null;
  observedGrowth: number | null;
  requiredGrowth: number | null;
  progressValue: number | null;
  score: number | null;
  status: ProgressStatus;
}

const HELP_AFTER = `
Method (Open SDG / sdg-build 2.4, Statistics Canada):
  years           current year t: the latest with a value; base year t0: --base-year or, without a
                  value in it, the first later year with one (default: the series' first year)
  observedGrowth  (y_t / y_t0)^(1/(t − t0)) − 1   (a base value or target of 0 counts as 0.001)
  requiredGrowth  (target / y_t0)^(1/(T − t0)) − 1, with --target and --target-year
  progressValue   sign·d·observed, divided by |required| with a target (d = +1 up, −1 down;
                  sign = −1 for a negative base value)
  status          target_achieved, substantial_progress, moderate_progress, limited_progress,
                  deterioration, not_available
  score           from −5 to 5 (5 when the target is achieved)
  --limit         a natural limit (e.g. 1 for a rate); lowers the thresholds near it (no target only)
  null            not available (one year of data, opposite signs of base and current value, …)

Example:
  gongfu calc progress --file data.csv --series county --year year --value coverage \\
    --direction up --target 0.95 --target-year 2025 --base-year 2020
`;

export function register(calc: Command): void {
  calc
    .command('progress')
    .description('Open SDG progress measure (status and score) of each series of a CSV file')
    .requiredOption('--file <csv>', 'CSV file with a header row')
    .option('--series <column>', 'column naming the series (one result per series); default: one series')
    .requiredOption('--year <column>', 'column of years')
    .requiredOption('--value <column>', 'column of values (an empty cell is missing)')
    .addOption(
      new Option('--direction <direction>', 'up: higher is better; down: lower is better')
        .choices(['up', 'down'])
        .makeOptionMandatory(),
    )
    .option('--target <value>', 'target value (needs --target-year)')
    .option('--target-year <year>', 'year the target is due')
    .option('--base-year <year>', 'base year (default: each series’ first year with a value)')
    .option('--limit <value>', 'natural limit of the indicator (without a target)')
    .addHelpText('after', HELP_AFTER)
    .action(async (opts: ProgressCsvOptions & { file: string }) => {
      const text = await readFile(opts.file, 'utf8');
      let result: ProgressJson[];
      try {
        result = progressFromCsv(text, opts);
      } catch (error) {
        if (error instanceof CsvError) throw new UsageError(`${opts.file}: ${error.message}.`);
        throw error;
      }
      console.log(JSON.stringify(result, null, 2));
    });
}

/**
 * The command without the file system: CSV text in, the printed array out, one object per series in
 * order of first appearance. User mistakes (a missing column, a cell that is not a number, a year that
 * is not an integer, a year twice in one series, a bad option) throw UsageError; malformed CSV throws
 * CsvError.
 */
export function progressFromCsv(text: string, options: ProgressCsvOptions): ProgressJson[] {
  const measure = measureOptions(options);
  const rows = parseCsv(text);
  const header = rows[0];
  if (header === undefined) throw new UsageError('the CSV file is empty; it needs a header row.');
  const yearAt = columnIndex(header, options.year);
  const valueAt = columnIndex(header, options.value);
  const seriesAt = options.series !== undefined ? columnIndex(header, options.series) : -1;

  const groups = new Map<string | null, { years: number[]; values: number[]; rowOfYear: Map<number, number> }>();
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r]!;
    const rowNumber = r + 1; // as in a spreadsheet: the header is row 1
    // A blank line is no row.
    if (row.length === 1 && row[0]!.trim() === '') continue;
    const name = seriesAt >= 0 ? (row[seriesAt] ?? '').trim() : null;
    const year = cellYear(row[yearAt], rowNumber, options.year);
    const value = cellNumber(row[valueAt], rowNumber, options.value);
    let group = groups.get(name);
    if (!group) {
      group = { years: [], values: [], rowOfYear: new Map() };
      groups.set(name, group);
    }
    const earlier = group.rowOfYear.get(year);
    if (earlier !== undefined) {
      const which = name === null ? '' : ` of series "${name}"`;
      throw new UsageError(
        `row ${rowNumber}, column "${options.year}": year ${year}${which} is also on row ${earlier}.`,
      );
    }
    group.rowOfYear.set(year, rowNumber);
    group.years.push(year);
    group.values.push(value);
  }

  return [...groups].map(([name, g]) => {
    const m = progressMeasure({ years: g.years, values: Float64Array.from(g.values) }, measure);
    return {
      series: name,
      baseYear: num(m.baseYear),
      baseValue: num(m.baseValue),
      currentYear: num(m.currentYear),
      currentValue: num(m.currentValue),
      observedGrowth: num(m.observedGrowth),
      requiredGrowth: num(m.requiredGrowth),
      progressValue: num(m.progressValue),
      score: num(m.score),
      status: m.status,
    };
  });
}

function measureOptions(options: ProgressCsvOptions): ProgressMeasureOptions {
  if (options.direction !== 'up' && options.direction !== 'down') {
    throw new UsageError(`--direction must be up or down, not "${options.direction}".`);
  }
  const direction: Direction = options.direction;
  const out: ProgressMeasureOptions = { direction };
  if (options.baseYear !== undefined) out.baseYear = optionYear('--base-year', options.baseYear);
  if ((options.target === undefined) !== (options.targetYear === undefined)) {
    throw new UsageError('--target and --target-year go together: give both or neither.');
  }
  if (options.target !== undefined && options.targetYear !== undefined) {
    out.target = {
      value: optionNumber('--target', options.target),
      year: optionYear('--target-year', options.targetYear),
    };
  }
  if (options.limit !== undefined) out.limit = optionNumber('--limit', options.limit);
  return out;
}

const YEAR = /^[+-]?\d{1,4}$/;

function optionNumber(name: string, text: string): number {
  const t = text.trim();
  if (!DECIMAL.test(t) || !Number.isFinite(Number(t))) throw new UsageError(`${name}: "${text}" is not a number.`);
  return Number(t);
}

function optionYear(name: string, text: string): number {
  const t = text.trim();
  if (!YEAR.test(t)) throw new UsageError(`${name}: "${text}" is not a year.`);
  return Number(t);
}

/** A year is an integer; an empty cell is an error (a value needs its year). */
function cellYear(cell: string | undefined, row: number, column: string): number {
  const text = (cell ?? '').trim();
  if (!YEAR.test(text)) {
    throw new UsageError(`row ${row}, column "${column}": "${text}" is not a year.`);
  }
  return Number(text);
}

/** NaN and ±Infinity become null: JSON has no NaN. */
function num(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
