/**
 * Data values in CSV files, read as a stream and written as a stream, so that a million rows pass
 * through without the file being held in memory (neither as bytes nor as rows).
 *
 * Two shapes of table:
 * - long: one value per record, header `indicator,org_unit,period,value[,comment]` or the same in
 *   Chinese (`指标代码,单位代码,期间,数值,说明`), columns in any order;
 * - wide: key columns, then one column per period (`indicator,org_unit,2021,2022,2023`), per org unit
 *   (`indicator,period,330702,330703`) or per indicator (`org_unit,period,INC_PC,POP_RESIDENT`). The
 *   axis is the key that has no column; where two are absent (and no default is given), the column
 *   headers decide: periods (2024, 2024Q3, 202407, 2024年) before unit codes, then indicator codes.
 *
 * Conventions:
 * - Each record becomes a row with its location (1-based line, column header) or an issue. The reader
 *   checks the layout and the numbers; whether the keys exist (indicator, org unit, period) is for
 *   validation (`src/domain/validation.ts`), which sees the same rows from every kind of file.
 * - Missing is never zero: in a long table an empty value cell or a missing mark (— / -) is a row with
 *   `value: null` (reported as missing, which validation accepts only with a comment); in a wide table
 *   an empty cell is no row at all (the grid simply has a hole there), a missing mark is a null row.
 * - Records whose fields are all empty (blank lines, Excel's `,,,,` rows) are skipped.
 * - Columns recognised as descriptive (indicator name, org unit name, unit of measure) are ignored;
 *   any other unknown column is a `bad_header` issue, and a header issue ends the reading.
 * - Encoding: UTF-8 (a BOM is dropped) or, since Excel on a Chinese Windows saves "CSV" in the ANSI
 *   code page, GB18030 (a superset of GBK): `auto` switches to it when the bytes are not UTF-8 and
 *   everything before them was ASCII.
 */
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import { TextDecoder } from 'node:util';
import { messages, type Issue, type Location } from '../domain/data.js';
import { isPeriodId } from '../domain/period.js';
import { CsvError, csvField } from './csv.js';
import { parsePercentAware, type CellNumber, type UnitKind } from './number.js';

/** One value as read from a file, before validation against the plan. */
export interface RawValueRow {
  indicator: string;
  orgUnit: string;
  period: string;
  /** null: reported as missing (a missing mark, or an empty value cell in a long table). */
  value: number | null;
  comment?: string;
  /** The value's cell. */
  location: Location;
}

export type ValueEvent = { kind: 'row'; row: RawValueRow } | { kind: 'issue'; issue: Issue };

export interface ReadProgress {
  /** Bytes of the source consumed so far. */
  bytes: number;
  /** Rows yielded so far. */
  rows: number;
}

export type CsvEncoding = 'auto' | 'utf-8' | 'gb18030';

/** A Node Readable, any async iterable of chunks, or the whole file. */
export type CsvSource = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string> | Uint8Array | string;

export type ShapeOption = 'auto' | 'long' | 'wide';
export type KeyName = 'indicator' | 'orgUnit' | 'period';

export interface ReadValuesOptions {
  /** The file's name, for issue locations. */
  fileName?: string;
  /** Default `auto`: long when the header has a value column (or all three key columns), else wide. */
  shape?: ShapeOption;
  /** Keys that the file leaves out (e.g. `--org-unit 330782` for a file of one unit's indicators by year). */
  defaults?: Partial<Record<KeyName, string>>;
  /** The unit kind of an indicator: percentages are then accepted only for shares and rates. */
  unitKind?: (indicator: string) => UnitKind | undefined;
  /** Called after each chunk of the source, and once at the end. */
  progress?: (progress: ReadProgress) => void;
  encoding?: CsvEncoding;
}

// ---------------------------------------------------------------------------------------------------
// Streaming RFC 4180 records

export interface CsvRecord {
  fields: string[];
  /** The 1-based line on which the record starts. */
  line: number;
}

export type CsvProblem = 'unterminated_quote' | 'after_quote' | 'quote_in_field';

export class CsvStreamError extends CsvError {
  constructor(
    readonly problem: CsvProblem,
    line: number,
    column: number,
  ) {
    super(
      {
        unterminated_quote: 'unterminated quoted field',
        after_quote: 'unexpected character after closing quote',
        quote_in_field: 'quote inside an unquoted field',
      }[problem],
      line,
      column,
    );
    this.name = 'CsvStreamError';
  }
}

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  /** A quote inside a quoted field: the closing one, or the first of an escaped pair. */
  QuoteInQuoted,
}

const UNQUOTED_STOP = /[,\r\n"]/g;

/**
 * An incremental version of `parseCsv` (same rules: RFC 4180, LF, CRLF or a lone CR, a leading BOM
 * dropped, no empty record after a final line break, a blank line is a record of one empty field).
 * Feed text in pieces of any size; each `push` returns the records completed by it. On malformed
 * input the records before the error are returned and `error` is set; the parser then stops.
 */
export class CsvStreamParser {
  error: CsvStreamError | undefined;
  private state = State.FieldStart;
  private field = '';
  private fields: string[] = [];
  private line = 1;
  private recordLine = 1;
  /** Offset, in characters since the start, of the current line and of the current chunk. */
  private lineStart = 0;
  private offset = 0;
  private quoteLine = 0;
  private quoteColumn = 0;
  private first = true;
  /** The previous chunk ended with a CR (a CRLF may be split between chunks). */
  private skipLf = false;
  /** Inside quotes, the previous character was a CR (a CRLF counts as one line). */
  private quotedCr = false;

  push(text: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    if (this.error) return out;
    const n = text.length;
    let i = 0;
    if (this.first && n > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) i = 1;
      this.lineStart = i;
    }
    if (this.skipLf && n > 0) {
      this.skipLf = false;
      if (text.charCodeAt(i) === 10) {
        i++;
        this.lineStart = this.offset + i;
      }
    }
    const col = (at: number) => this.offset + at - this.lineStart + 1;
    const fail = (problem: CsvProblem, line: number, column: number) => {
      this.error = new CsvStreamError(problem, line, column);
    };
    /** Ends the record at the line break at `at`; returns the index after the break. */
    const endRecord = (at: number): number => {
      this.fields.push(this.field);
      out.push({ fields: this.fields, line: this.recordLine });
      this.fields = [];
      this.field = '';
      this.state = State.FieldStart;
      let next = at + 1;
      if (text.charCodeAt(at) === 13) {
        if (next < n) {
          if (text.charCodeAt(next) === 10) next++;
        } else this.skipLf = true;
      }
      this.line++;
      this.recordLine = this.line;
      this.lineStart = this.offset + next;
      return next;
    };

    while (i < n && !this.error) {
      switch (this.state) {
        case State.FieldStart:
          if (text.charCodeAt(i) === 34) {
            this.state = State.Quoted;
            this.quoteLine = this.line;
            this.quoteColumn = col(i);
            this.quotedCr = false;
            i++;
            break;
          }
          this.state = State.Unquoted;
          break;
        case State.Unquoted: {
          UNQUOTED_STOP.lastIndex = i;
          const m = UNQUOTED_STOP.exec(text);
          const j = m ? m.index : n;
          if (j > i) this.field += text.slice(i, j);
          i = j;
          if (i >= n) break;
          const c = text.charCodeAt(i);
          if (c === 34) fail('quote_in_field', this.line, col(i));
          else if (c === 44) {
            this.fields.push(this.field);
            this.field = '';
            this.state = State.FieldStart;
            i++;
          } else i = endRecord(i);
          break;
        }
        case State.Quoted: {
          const j = text.indexOf('"', i);
          const end = j < 0 ? n : j;
          // Count line breaks inside the quotes: CR, LF, and CRLF as one.
          for (let k = i; k < end; k++) {
            const c = text.charCodeAt(k);
            if (c === 13 || (c === 10 && !this.quotedCr)) {
              this.line++;
              this.lineStart = this.offset + k + 1;
            } else if (c === 10) this.lineStart = this.offset + k + 1;
            this.quotedCr = c === 13;
          }
          this.field += text.slice(i, end);
          if (j < 0) {
            i = n;
            break;
          }
          this.quotedCr = false;
          this.state = State.QuoteInQuoted;
          i = j + 1;
          break;
        }
        case State.QuoteInQuoted: {
          const c = text.charCodeAt(i);
          if (c === 34) {
            this.field += '"';
            this.state = State.Quoted;
            i++;
          } else if (c === 44) {
            this.fields.push(this.field);
            this.field = '';
            this.state = State.FieldStart;
            i++;
          } else if (c === 10 || c === 13) i = endRecord(i);
          else fail('after_quote', this.line, col(i));
          break;
        }
      }
    }
    this.offset += n;
    return out;
  }

  /** The last record, if the text did not end with a line break. */
  end(): CsvRecord[] {
    if (this.error) return [];
    if (this.state === State.Quoted) {
      this.error = new CsvStreamError('unterminated_quote', this.quoteLine, this.quoteColumn);
      return [];
    }
    if (this.state === State.FieldStart && this.fields.length === 0) return [];
    this.fields.push(this.field);
    const record = { fields: this.fields, line: this.recordLine };
    this.fields = [];
    this.field = '';
    this.state = State.FieldStart;
    return [record];
  }
}

/** Text pieces of a source, with the bytes consumed so far. */
async function* decodeSource(
  source: CsvSource,
  encoding: CsvEncoding,
): AsyncGenerator<{ text: string; bytes: number }> {
  if (typeof source === 'string') {
    yield { text: source, bytes: Buffer.byteLength(source) };
    return;
  }
  const chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string> =
    source instanceof Uint8Array ? [source] : source;
  let bytes = 0;
  let decoder =
    encoding === 'auto' ? new TextDecoder('utf-8', { fatal: true }) : new TextDecoder(encoding, { fatal: false });
  let auto = encoding === 'auto';
  let asciiSoFar = true;
  for await (const chunk of chunks) {
    if (typeof chunk === 'string') {
      bytes += Buffer.byteLength(chunk);
      yield { text: chunk, bytes };
      continue;
    }
    bytes += chunk.byteLength;
    let text: string;
    if (auto) {
      try {
        text = decoder.decode(chunk, { stream: true });
        // eslint-disable-next-line no-control-regex
        if (asciiSoFar && /[^\x00-\x7f]/.test(text)) asciiSoFar = false;
      } catch {
        // Not UTF-8. If nothing but ASCII came before, the file is in the Chinese ANSI code page.
        auto = false;
        decoder = new TextDecoder(asciiSoFar ? 'gb18030' : 'utf-8', { fatal: false });
        text = decoder.decode(chunk, { stream: true });
      }
    } else text = decoder.decode(chunk, { stream: true });
    if (text) yield { text, bytes };
  }
  const rest = auto ? tryDecodeEnd(decoder) : decoder.decode();
  if (rest) yield { text: rest, bytes };
}

function tryDecodeEnd(decoder: TextDecoder): string {
  try {
    return decoder.decode();
  } catch {
    return '\ufffd'; // a truncated UTF-8 sequence at the very end
  }
}

/** Records of a CSV source, one at a time (`progress` receives the bytes consumed). Throws a CsvStreamError on malformed input. */
export async function* readCsvRecords(
  source: CsvSource,
  options: { encoding?: CsvEncoding; progress?: (bytes: number) => void } = {},
): AsyncGenerator<CsvRecord> {
  const parser = new CsvStreamParser();
  for await (const { text, bytes } of decodeSource(source, options.encoding ?? 'auto')) {
    yield* parser.push(text);
    if (parser.error) throw parser.error;
    options.progress?.(bytes);
  }
  yield* parser.end();
  if (parser.error) throw parser.error;
}

// ---------------------------------------------------------------------------------------------------
// Layout: which column is what

type Role = KeyName | 'value' | 'comment';

/** Header names, normalised (NFKC, lower case, spaces and hyphens as _). The first is the canonical one. */
const COLUMN_NAMES: Readonly<Record<Role, readonly string[]>> = {
  indicator: ['indicator', 'indicator_code', '指标代码', '指标编码'],
  orgUnit: ['org_unit', 'orgunit', 'org_unit_code', 'unit_code', '单位代码', '单位编码', '区划代码', '行政区划代码'],
  period: ['period', '期间', '时期', '报告期'],
  value: ['value', '数值', '本期数值'],
  comment: ['comment', '说明', '备注'],
};
/** Columns that describe a row for people and are not read. */
const DESCRIPTIVE = new Set([
  'indicator_name',
  '指标名称',
  '指标',
  'org_unit_name',
  'unit_name',
  '单位名称',
  'unit',
  '计量单位',
  // Written by `gongfu data export` so a reader knows a figure's standing; not read back.
  'status',
  '状态',
  'vintage',
  '口径',
  'source',
  '来源',
  'synthetic',
  '示例数据',
]);
const ROLE_OF = new Map<string, Role>(
  (Object.entries(COLUMN_NAMES) as [Role, readonly string[]][]).flatMap(([role, names]) =>
    names.map((n) => [n, role] as [string, Role]),
  ),
);
const CANONICAL: Readonly<Record<KeyName | 'value', 'indicator' | 'org_unit' | 'period' | 'value'>> = {
  indicator: 'indicator',
  orgUnit: 'org_unit',
  period: 'period',
  value: 'value',
};

function normaliseName(header: string): string {
  return header
    .normalize('NFKC')
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

/** A column header as a period id (2024, 2024Q3, 202407; also 2024年, 2024年第三季度, 2024-07, 2024年7月), or undefined. */
export function periodHeaderId(header: string): string | undefined {
  const h = header.normalize('NFKC').trim();
  let m: RegExpExecArray | null;
  let id: string | undefined;
  if ((m = /^(\d{4})(?:年度?)?$/.exec(h))) id = m[1];
  else if ((m = /^(\d{4})(?:[-_ ]?[Qq]|年第?)([1-4一二三四])(?:季度)?$/.exec(h)))
    id = `${m[1]}Q${{ 一: 1, 二: 2, 三: 3, 四: 4 }[m[2]!] ?? m[2]}`;
  else if (/^\d{6}$/.test(h)) id = h;
  else if ((m = /^(\d{4})(?:[-/.]|年)(\d{1,2})月?$/.exec(h))) id = `${m[1]}${m[2]!.padStart(2, '0')}`;
  if (id === undefined || !isPeriodId(id)) return undefined;
  const year = Number(id.slice(0, 4));
  // A six-digit unit code (330702) would otherwise pass as a month of the year 3307.
  return year >= 1900 && year <= 2100 ? id : undefined;
}

const ORG_UNIT_CODE = /^[0-9A-Za-z_-]{2,32}$/;
const INDICATOR_CODE = /^[A-Z][A-Z0-9_]*$/;

/** A wide table's column header as an id of the axis, or undefined when it is not one. */
function axisId(axis: KeyName, header: string): string | undefined {
  const h = header.normalize('NFKC').trim();
  switch (axis) {
    case 'period':
      return periodHeaderId(h);
    case 'orgUnit':
      return ORG_UNIT_CODE.test(h) ? h : undefined;
    case 'indicator':
      return INDICATOR_CODE.test(h) ? h : undefined;
  }
}

export type ValuesShape =
  | {
      shape: 'long';
      /** Column indexes (0-based); a key without a column comes from `defaults`. */
      columns: Partial<Record<KeyName | 'comment', number>> & { value: number };
    }
  | {
      shape: 'wide';
      /** What the data columns are. */
      axis: KeyName;
      keys: Partial<Record<KeyName | 'comment', number>>;
      data: { index: number; id: string }[];
    };

type Message = Issue['message'];

/**
 * The layout of a table from its header: long or wide, and which column is what. Not ok: why, as
 * messages for `bad_header` issues (unknown, missing or repeated columns; headers of a wide table that
 * are not of the axis' kind).
 */
export function detectShape(
  header: readonly string[],
  options: { shape?: ShapeOption; defaults?: Partial<Record<KeyName, string>> } = {},
): { ok: true; shape: ValuesShape } | { ok: false; messages: Message[] } {
  const defaults = options.defaults ?? {};
  const roles: Partial<Record<Role, number>> = {};
  const duplicates: string[] = [];
  const others: number[] = [];
  header.forEach((h, index) => {
    const name = normaliseName(h);
    if (name === '' || DESCRIPTIVE.has(name)) return;
    const role = ROLE_OF.get(name);
    if (role === undefined) others.push(index);
    else if (roles[role] !== undefined) duplicates.push(h.trim());
    else roles[role] = index;
  });
  const problems: Message[] = duplicates.map((d) => messages.headerDuplicateColumn(d));
  const keys: KeyName[] = ['indicator', 'orgUnit', 'period'];
  const has = (k: KeyName) => roles[k] !== undefined || defaults[k] !== undefined;

  const shape =
    options.shape === 'long' || options.shape === 'wide'
      ? options.shape
      : roles.value !== undefined || keys.every(has)
        ? 'long'
        : 'wide';

  const pick = (rs: readonly Role[]) =>
    Object.fromEntries(rs.filter((r) => roles[r] !== undefined).map((r) => [r, roles[r]])) as Partial<
      Record<KeyName | 'comment', number>
    >;

  if (shape === 'long') {
    if (others.length > 0) problems.push(messages.headerUnknownColumns(others.map((i) => header[i]!.trim())));
    const missing = [...keys.filter((k) => !has(k)), ...(roles.value === undefined ? (['value'] as const) : [])];
    if (missing.length > 0) problems.push(messages.headerMissingColumns(missing.map((k) => CANONICAL[k])));
    if (problems.length > 0 || roles.value === undefined) return { ok: false, messages: problems };
    return {
      ok: true,
      shape: { shape: 'long', columns: { ...pick(['indicator', 'orgUnit', 'period', 'comment']), value: roles.value } },
    };
  }

  // Wide: the axis is the key without a column (or default); where several lack one, the headers decide.
  if (roles.value !== undefined) others.push(roles.value);
  others.sort((a, b) => a - b);
  const absent = keys.filter((k) => !has(k));
  const labels = others.map((i) => header[i]!);
  if (others.length === 0 || absent.length === 0)
    return { ok: false, messages: [...problems, messages.headerNoShape()] };
  let axis: KeyName;
  if (absent.length === 1) axis = absent[0]!;
  else {
    // Guessing from headers alone, a unit code must have a digit: "name" or "total" is no org unit.
    const fits = (k: KeyName, l: string) => axisId(k, l) !== undefined && (k !== 'orgUnit' || /\d/.test(l));
    const fitting = (['period', 'orgUnit', 'indicator'] as const).filter(
      (k) => absent.includes(k) && labels.every((l) => fits(k, l)),
    );
    if (fitting.length === 0) return { ok: false, messages: [...problems, messages.headerNoShape()] };
    axis = fitting[0]!;
    const stillMissing = absent.filter((k) => k !== axis);
    problems.push(messages.headerMissingColumns(stillMissing.map((k) => CANONICAL[k])));
  }
  const notAxis = labels.filter((l) => axisId(axis, l) === undefined).map((l) => l.trim());
  if (notAxis.length > 0) problems.push(messages.headerNotAxis(notAxis, axis));
  const data = others.map((index) => ({ index, id: axisId(axis, header[index]!) ?? '' }));
  const seen = new Set<string>();
  for (const d of data) {
    if (d.id && seen.has(d.id)) problems.push(messages.headerDuplicateColumn(header[d.index]!.trim()));
    seen.add(d.id);
  }
  if (problems.length > 0) return { ok: false, messages: problems };
  return { ok: true, shape: { shape: 'wide', axis, keys: pick(['indicator', 'orgUnit', 'period', 'comment']), data } };
}

/**
 * The layout of a CSV file from its first bytes (a few kilobytes: enough for the header line).
 * Not ok: the problems, as for `detectShape`.
 */
export function sniffValuesCsv(
  head: string | Uint8Array,
  options: { shape?: ShapeOption; defaults?: Partial<Record<KeyName, string>> } = {},
): { ok: true; shape: ValuesShape } | { ok: false; messages: Message[] } {
  let text: string;
  if (typeof head === 'string') text = head;
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    } catch {
      text = new TextDecoder('gb18030').decode(head, { stream: true });
    }
  }
  const parser = new CsvStreamParser();
  // The head may end inside a record: only records that ended count, unless the head is all there is.
  const records = parser.push(text);
  if (records.length === 0 && !parser.error) records.push(...parser.end());
  const header = records.find((r) => !isBlank(r.fields));
  if (!header) return { ok: false, messages: [messages.emptyFile()] };
  return detectShape(header.fields, options);
}

// ---------------------------------------------------------------------------------------------------
// Records to rows (shared with spreadsheets: see excel-template.ts)

/** A record of cells: CSV fields (strings) or spreadsheet cell values. */
export interface TableRecord {
  fields: readonly unknown[];
  /** 1-based line (CSV) or row (spreadsheet). */
  line: number;
}

/** A cell as text: strings trimmed, numbers as written, dates as yyyy-mm-dd, rich text joined, formulas' results. */
export function cellString(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string') return cell.trim();
  if (typeof cell === 'number' || typeof cell === 'boolean' || typeof cell === 'bigint') return String(cell);
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? '' : cell.toISOString().slice(0, 10);
  if (typeof cell === 'object') {
    const c = cell as Record<string, unknown>;
    if ('formula' in c || 'sharedFormula' in c) return cellString(c.result);
    if (Array.isArray(c.richText))
      return (c.richText as { text?: unknown }[])
        .map((r) => (typeof r.text === 'string' ? r.text : ''))
        .join('')
        .trim();
    if (typeof c.text === 'string') return c.text.trim();
    if (typeof c.error === 'string') return c.error;
  }
  return '';
}

/** A key (indicator, org unit, period): trimmed, full-width letters and digits folded. */
function keyString(cell: unknown): string {
  const s = cellString(cell);
  // eslint-disable-next-line no-control-regex
  return /[^\x00-\x7f]/.test(s) ? s.normalize('NFKC').trim() : s;
}

function isBlank(fields: readonly unknown[]): boolean {
  return fields.every((f) => cellString(f) === '');
}

export interface TableReaderOptions extends Omit<ReadValuesOptions, 'progress' | 'encoding'> {
  /** The sheet's name, for locations in a workbook. */
  sheet?: string;
  /** How a column is named in locations: CSV uses the header text, spreadsheets the column letter. */
  columnLabel?: (index: number, header: string) => string;
}

/**
 * Turns records (the header first; blank records anywhere are skipped) into value rows and issues.
 * Feed records one by one; after a header issue `done` is true and further records are ignored.
 */
export class ValueTableReader {
  done = false;
  shape: ValuesShape | undefined;
  private header: string[] | undefined;
  private readonly options: TableReaderOptions;
  private readonly label: (index: number, header: string) => string;

  constructor(options: TableReaderOptions = {}) {
    this.options = options;
    this.label = options.columnLabel ?? ((index, header) => header.trim() || `#${index + 1}`);
  }

  private where(line: number, index?: number): Location {
    const at: Location = {};
    if (this.options.fileName !== undefined) at.file = this.options.fileName;
    if (this.options.sheet !== undefined) at.sheet = this.options.sheet;
    at.row = line;
    if (index !== undefined) at.column = this.label(index, this.header?.[index] ?? '');
    return at;
  }

  private issue(code: Issue['code'], message: Message, at: Location, about: Partial<Issue> = {}): ValueEvent {
    return { kind: 'issue', issue: { code, severity: 'error', message, ...at, ...about } };
  }

  feed(record: TableRecord, out: ValueEvent[]): void {
    if (this.done || isBlank(record.fields)) return;
    if (!this.header) {
      this.header = record.fields.map(cellString);
      const r = detectShape(this.header, this.options);
      if (!r.ok) {
        for (const m of r.messages) out.push(this.issue('bad_header', m, this.where(record.line)));
        this.done = true;
      } else this.shape = r.shape;
      return;
    }
    const shape = this.shape!;
    const f = record.fields;
    const defaults = this.options.defaults ?? {};
    const key = (k: KeyName, columns: Partial<Record<KeyName, number>>) => {
      const c = columns[k];
      return c === undefined ? (defaults[k] ?? '') : keyString(f[c]);
    };
    const commentColumn = shape.shape === 'long' ? shape.columns.comment : shape.keys.comment;
    const comment = commentColumn === undefined ? '' : cellString(f[commentColumn]);

    // A NUL character: the file is binary or UTF-16, and no database text can hold it.
    const nul = f.findIndex((x) => typeof x === 'string' && x.includes('\u0000'));
    if (nul >= 0) {
      out.push(
        this.issue(
          'bad_file',
          {
            zh: '单元格含有空字符（\\0），文件可能不是文本文件或为UTF-16编码，请另存为UTF-8 CSV',
            en: 'the cell holds a NUL character (\\0): the file is not text or is UTF-16; save it as UTF-8 CSV',
          },
          this.where(record.line, nul),
        ),
      );
      return;
    }

    // A cell with content under a column without a header (beyond the header, or an empty header cell).
    for (let i = 0; i < f.length; i++)
      if ((i >= this.header.length || this.header[i] === '') && cellString(f[i]) !== '') {
        out.push(this.issue('bad_file', messages.cellWithoutHeader(), this.where(record.line, i)));
        break;
      }

    const emit = (indicator: string, orgUnit: string, period: string, index: number) => {
      const at = this.where(record.line, index);
      const about = { indicator, orgUnit, period };
      const n: CellNumber = parsePercentAware(f[index], this.options.unitKind?.(indicator));
      if (!n.ok) {
        const message =
          n.reason === 'percent_not_allowed' ? messages.percentNotAllowed(n.text) : messages.notANumber(n.text);
        out.push(this.issue('not_a_number', message, at, about));
        return;
      }
      const row: RawValueRow = { indicator, orgUnit, period, value: n.value, location: at };
      if (comment) row.comment = comment;
      out.push({ kind: 'row', row });
    };

    if (shape.shape === 'long') {
      const c = shape.columns;
      emit(key('indicator', c), key('orgUnit', c), key('period', c), c.value);
      return;
    }
    const keys = {
      indicator: key('indicator', shape.keys),
      orgUnit: key('orgUnit', shape.keys),
      period: key('period', shape.keys),
    };
    for (const { index, id } of shape.data) {
      if (cellString(f[index]) === '') continue; // a hole in the grid, not a missing value
      const k = { ...keys, [shape.axis]: id };
      emit(k.indicator, k.orgUnit, k.period, index);
    }
  }

  /** After the last record: an issue when there was no header at all. */
  end(out: ValueEvent[]): void {
    if (!this.header && !this.done) {
      const at: Location = {};
      if (this.options.fileName !== undefined) at.file = this.options.fileName;
      if (this.options.sheet !== undefined) at.sheet = this.options.sheet;
      out.push(this.issue('bad_file', messages.emptyFile(), at));
    }
    this.done = true;
  }
}

/**
 * Value rows and issues of a CSV file, long or wide (see the module comment), streaming: the source is
 * read chunk by chunk and each chunk's rows are yielded before the next is read. A syntax error ends
 * the file with a `bad_file` issue at its line and column (rows before it have been yielded).
 */
export async function* readValuesCsv(
  source: CsvSource,
  options: ReadValuesOptions = {},
): AsyncGenerator<ValueEvent, void, undefined> {
  const reader = new ValueTableReader(options);
  const parser = new CsvStreamParser();
  let bytes = 0;
  let rows = 0;
  const out: ValueEvent[] = [];
  const syntaxIssue = (e: CsvStreamError): ValueEvent => {
    const at: Location = { row: e.line };
    if (options.fileName !== undefined) at.file = options.fileName;
    return {
      kind: 'issue',
      issue: { code: 'bad_file', severity: 'error', message: messages.csvSyntax(e.problem, e.column), ...at },
    };
  };
  const flush = function* (): Generator<ValueEvent> {
    for (const e of out) {
      if (e.kind === 'row') rows++;
      yield e;
    }
    out.length = 0;
  };

  for await (const piece of decodeSource(source, options.encoding ?? 'auto')) {
    bytes = piece.bytes;
    for (const record of parser.push(piece.text)) reader.feed(record, out);
    if (parser.error && !reader.done) out.push(syntaxIssue(parser.error));
    yield* flush();
    options.progress?.({ bytes, rows });
    if (reader.done || parser.error) return;
  }
  for (const record of parser.end()) reader.feed(record, out);
  if (parser.error && !reader.done) out.push(syntaxIssue(parser.error));
  else reader.end(out);
  yield* flush();
  options.progress?.({ bytes, rows });
}

/** A long CSV (`indicator,org_unit,period,value[,comment]`, or the Chinese header). */
export function readLongCsv(source: CsvSource, options: Omit<ReadValuesOptions, 'shape'> = {}) {
  return readValuesCsv(source, { ...options, shape: 'long' });
}

/** A wide CSV (key columns, then a column per period, org unit or indicator). */
export function readWideCsv(source: CsvSource, options: Omit<ReadValuesOptions, 'shape'> = {}) {
  return readValuesCsv(source, { ...options, shape: 'wide' });
}

// ---------------------------------------------------------------------------------------------------
// Writing

/** A value to write: a stored value or an input. */
export interface LongCsvRow {
  indicator: string;
  orgUnit: string;
  period: string;
  value: number | null;
  comment?: string | null | undefined;
  status?: string | undefined;
  vintage?: string | null | undefined;
  source?: string | null | undefined;
  /** Generated demo data: written as 示例数据 / synthetic. */
  synthetic?: boolean | undefined;
}

export interface LongCsvOptions {
  /** Start with a UTF-8 BOM, so that Excel opens Chinese text correctly (default true). */
  bom?: boolean;
  /** Header names: `en` indicator,org_unit,period,value,comment (default) or `zh` 指标代码,单位代码,期间,数值,说明. */
  language?: 'en' | 'zh';
  /** Add status, vintage, source and synthetic columns (an export's standing; ignored when read back). */
  standing?: boolean;
}

const LONG_HEADERS = {
  en: 'indicator,org_unit,period,value,comment',
  zh: '指标代码,单位代码,期间,数值,说明',
};
const STANDING_HEADERS = { en: ',status,vintage,source,synthetic', zh: ',状态,口径,来源,示例数据' };

function header(options: LongCsvOptions): string {
  const language = options.language ?? 'en';
  return `${(options.bom ?? true) ? '\ufeff' : ''}${LONG_HEADERS[language]}${options.standing ? STANDING_HEADERS[language] : ''}\n`;
}

/** A number as CSV text: the shortest text that reads back as the same double (no thousands separators). */
function numberText(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '';
  return Object.is(value, -0) ? '0' : String(value);
}

function longLine(r: LongCsvRow, standing = false): string {
  const base = `${csvField(r.indicator)},${csvField(r.orgUnit)},${csvField(r.period)},${numberText(r.value)},${csvField(r.comment ?? '')}`;
  if (!standing) return `${base}\n`;
  return `${base},${csvField(r.status ?? '')},${csvField(r.vintage ?? '')},${csvField(r.source ?? '')},${r.synthetic ? 'synthetic' : ''}\n`;
}

/** Rows as a long CSV: header, one line per row, LF line breaks; missing values are empty cells. */
export function formatLongCsv(rows: Iterable<LongCsvRow>, options: LongCsvOptions = {}): string {
  let text = header(options);
  for (const r of rows) text += longLine(r, options.standing);
  return text;
}

/**
 * Rows to a writable as a long CSV, in pieces of about 64 KB, waiting for the writable to drain (so
 * that an export of a million rows never queues them all). The writable is left open.
 */
export async function writeLongCsv(
  rows: AsyncIterable<LongCsvRow> | Iterable<LongCsvRow>,
  writable: Writable,
  options: LongCsvOptions = {},
): Promise<{ rows: number; bytes: number }> {
  let buffer = header(options);
  let count = 0;
  let bytes = 0;
  const write = async (text: string) => {
    const chunk = Buffer.from(text, 'utf8');
    bytes += chunk.length;
    if (!writable.write(chunk)) await once(writable, 'drain');
  };
  for await (const r of rows) {
    buffer += longLine(r, options.standing);
    count++;
    if (buffer.length >= 65536) {
      await write(buffer);
      buffer = '';
    }
  }
  if (buffer) await write(buffer);
  return { rows: count, bytes };
}
