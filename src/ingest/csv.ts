/**
 * A small RFC 4180 CSV reader and writer on node built-ins only.
 *
 * Reading: fields are separated by commas and records by CRLF or LF (a lone CR is taken as a line
 * break too); a field may be quoted, and inside quotes commas, CR, LF and doubled quotes ("") are
 * data. A leading UTF-8 BOM is dropped. A final line break does not start an empty record; a blank
 * line elsewhere is a record of one empty field. Malformed input (an unterminated quoted field, or
 * text between a closing quote and the next separator) throws a CsvError with line and column.
 */

export class CsvError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${message} at line ${line}, column ${column}`);
    this.name = 'CsvError';
  }
}

export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  if (i >= n) return rows;

  let row: string[] = [];
  let line = 1;
  let lineStart = i;
  const col = (at: number) => at - lineStart + 1;

  for (;;) {
    // At the start of a field.
    let field: string;
    if (text[i] === '"') {
      const openLine = line;
      const openCol = col(i);
      i++;
      let value = '';
      let chunk = i;
      for (;;) {
        if (i >= n) throw new CsvError('unterminated quoted field', openLine, openCol);
        const c = text[i];
        if (c === '"') {
          if (text[i + 1] === '"') {
            value += text.slice(chunk, i + 1);
            i += 2;
            chunk = i;
            continue;
          }
          value += text.slice(chunk, i);
          i++;
          break;
        }
        if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) {
          line++;
          lineStart = i + 1;
        }
        i++;
      }
      field = value;
      if (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
        throw new CsvError('unexpected character after closing quote', line, col(i));
      }
    } else {
      const start = i;
      while (i < n) {
        const c = text[i];
        if (c === ',' || c === '\n' || c === '\r') break;
        if (c === '"') throw new CsvError('quote inside an unquoted field', line, col(i));
        i++;
      }
      field = text.slice(start, i);
    }
    row.push(field);

    // After a field: a comma, a line break, or the end.
    if (i >= n) {
      rows.push(row);
      return rows;
    }
    if (text[i] === ',') {
      i++;
      continue; // a trailing comma at the end of the text yields a final empty field
    }
    // Line break: CRLF, LF or lone CR.
    i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1;
    rows.push(row);
    row = [];
    line++;
    lineStart = i;
    if (i >= n) return rows;
  }
}

/** Quotes a field when it holds a comma, a quote, CR or LF (RFC 4180). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Records to CSV text with LF line breaks and a final line break. */
export function formatCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((r) => r.map(csvField).join(',') + '\n').join('');
}
