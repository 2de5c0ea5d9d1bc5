import { describe, it, expect } from 'vitest';
import { CsvError, formatCsv, parseCsv } from './csv.js';

describe('parseCsv', () => {
  it('reads plain records with LF', () => {
    expect(parseCsv('a,b,c\n1,2,3\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
  });

  it('accepts a missing final line break', () => {
    expect(parseCsv('a,b\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('reads CRLF line breaks', () => {
    expect(parseCsv('a,b\r\n1,2\r\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('takes a lone CR as a line break', () => {
    expect(parseCsv('a,b\r1,2\r')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('drops a leading BOM', () => {
    const rows = parseCsv('\uFEFFcode,name\n330700,金华市\n');
    expect(rows[0]).toEqual(['code', 'name']);
    expect(rows[1]).toEqual(['330700', '金华市']);
  });

  it('keeps a BOM that is not at the start', () => {
    expect(parseCsv('a,\uFEFFb')).toEqual([['a', '\uFEFFb']]);
  });

  it('reads quoted fields', () => {
    expect(parseCsv('"a","b c",d\n')).toEqual([['a', 'b c', 'd']]);
  });

  it('reads doubled quotes inside quotes', () => {
    expect(parseCsv('"say ""hi""","""",""""""\n')).toEqual([['say "hi"', '"', '""']]);
  });

  it('reads commas inside quotes', () => {
    expect(parseCsv('"1,2",3\n')).toEqual([['1,2', '3']]);
  });

  it('reads LF and CRLF inside quotes as data', () => {
    expect(parseCsv('"line 1\nline 2",x\r\n"a\r\nb",y\r\n')).toEqual([
      ['line 1\nline 2', 'x'],
      ['a\r\nb', 'y'],
    ]);
  });

  it('reads empty fields, quoted and not', () => {
    expect(parseCsv(',"",\n')).toEqual([['', '', '']]);
    expect(parseCsv('a,b,')).toEqual([['a', 'b', '']]);
  });

  it('keeps spaces around fields', () => {
    expect(parseCsv(' a , b \n')).toEqual([[' a ', ' b ']]);
  });

  it('returns no records for empty input or a lone BOM', () => {
    expect(parseCsv('')).toEqual([]);
    expect(parseCsv('\uFEFF')).toEqual([]);
  });

  it('reads a blank line in the middle as one empty field', () => {
    expect(parseCsv('a\n\nb\n')).toEqual([['a'], [''], ['b']]);
  });

  it('rejects an unterminated quoted field with its position', () => {
    expect(() => parseCsv('a,b\nc,"open\nmore')).toThrow(CsvError);
    try {
      parseCsv('a,b\nc,"open\nmore');
    } catch (e) {
      expect(e).toBeInstanceOf(CsvError);
      expect((e as CsvError).line).toBe(2);
      expect((e as CsvError).column).toBe(3);
    }
  });

  it('rejects text after a closing quote', () => {
    expect(() => parseCsv('"a"b,c\n')).toThrow(/after closing quote/);
  });

  it('rejects a quote inside an unquoted field', () => {
    expect(() => parseCsv('a"b,c\n')).toThrow(/quote inside an unquoted field/);
  });

  it('round-trips with formatCsv', () => {
    const rows = [
      ['code', 'name', 'note'],
      ['330782', '义乌市', 'a, "quoted"\nvalue'],
      ['', 'x', '\r\n'],
    ];
    const text = formatCsv(rows);
    expect(text).toBe('code,name,note\n330782,义乌市,"a, ""quoted""\nvalue"\n,x,"\r\n"\n');
    expect(parseCsv(text)).toEqual(rows);
  });
});
