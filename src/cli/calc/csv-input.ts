/** Reading the columns of a `gongfu calc` CSV: one sentence for each mistake, naming row and column. */
import { UsageError } from '../errors.js';

/** The position of a column by its header; absent or repeated → UsageError. */
export function columnIndex(header: readonly string[], name: string): number {
  const at = header.findIndex((h) => h.trim() === name);
  if (at < 0) {
    throw new UsageError(
      `the CSV file has no column "${name}" (its columns: ${header.map((h) => h.trim()).join(', ')}).`,
    );
  }
  if (header.findIndex((h, i) => i > at && h.trim() === name) >= 0) {
    throw new UsageError(`the CSV file has two columns named "${name}".`);
  }
  return at;
}

export const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** An empty (or absent) cell is missing (NaN); anything but a decimal number is a UsageError. */
export function cellNumber(cell: string | undefined, row: number, column: string): number {
  const text = (cell ?? '').trim();
  if (text === '') return NaN;
  const x = Number(text);
  if (!DECIMAL.test(text) || !Number.isFinite(x)) {
    throw new UsageError(`row ${row}, column "${column}": "${text}" is not a number.`);
  }
  return x;
}
