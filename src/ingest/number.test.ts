import { describe, expect, it } from 'vitest';
import { UNITS } from '../domain/units.js';
import { parseCellNumber, parsePercentAware, type UnitKind } from './number.js';

describe('parseCellNumber', () => {
  // [what, cell, value]
  const numbers: [string, unknown, number][] = [
    ['a JS number', 98000, 98000],
    ['a negative number', -0.012, -0.012],
    ['negative zero becomes zero', -0, 0],
    ['an integer string', '98000', 98000],
    ['a decimal string', '0.735', 0.735],
    ['a fraction without integer part', '.5', 0.5],
    ['a trailing decimal point', '5.', 5],
    ['thousands separators', '1,234.5', 1234.5],
    ['several thousands groups', '1,234,567', 1234567],
    ['a full-width comma as thousands separator', '1，234', 1234],
    ['full-width digits', '１２３', 123],
    ['full-width digits, comma and point', '１，２３４．５', 1234.5],
    ['a leading +', '+5', 5],
    ['a full-width +', '＋5', 5],
    ['a leading -', '-3.2', -3.2],
    ['a full-width minus', '－3.2', -3.2],
    ['a minus sign (U+2212)', '\u22123.2', -3.2],
    ['spaces around', '  42 ', 42],
    ['an ideographic space and a no-break space', '\u300042\u00a0', 42],
    ['a tab and a line break', '\t42\n', 42],
    ['a percentage', '73.5%', 0.735],
    ['a percentage with a space before the sign', '73.5 %', 0.735],
    ['a full-width percentage', '８％', 0.08],
    ['a percentage computed on the decimal text', '1.1%', 0.011],
    ['a negative percentage', '-2.5%', -0.025],
    ['a percentage with thousands separators', '1,200%', 12],
    ['an exponent (Excel CSV of a narrow column)', '1.2E+05', 120000],
    ['a small exponent', '5e-3', 0.005],
    ['zero', '0', 0],
    ['leading zeros', '007', 7],
    ['an ExcelJS formula result', { formula: 'B2*2', result: 42 }, 42],
    ['a shared formula result', { sharedFormula: 'G5', result: 0.5 }, 0.5],
    ['a formula result that is a string', { formula: 'TEXT(1,"0")', result: '1,000' }, 1000],
    ['rich text', { richText: [{ text: '1,2' }, { font: { bold: true }, text: '34' }] }, 1234],
    ['a hyperlink cell', { text: '77', hyperlink: 'http://example.org' }, 77],
    ['a safe bigint', 12n, 12],
  ];
  it.each(numbers)('reads %s', (_what, cell, value) => {
    expect(parseCellNumber(cell)).toEqual({ ok: true, value });
  });

  const missing: [string, unknown][] = [
    ['null', null],
    ['undefined', undefined],
    ['an empty string', ''],
    ['spaces only', '   '],
    ['a hyphen', '-'],
    ['two hyphens', '--'],
    ['an em dash', '—'],
    ['a double em dash', '——'],
    ['an en dash', '–'],
    ['a full-width hyphen', '－'],
    ['a slash', '/'],
    ['a full-width slash', '／'],
    ['a backslash', '\\'],
    ['a dash with spaces', ' — '],
  ];
  it.each(missing)('reads %s as missing (null, never zero)', (_what, cell) => {
    expect(parseCellNumber(cell)).toEqual({ ok: true, value: null });
  });

  const invalid: [string, unknown, string][] = [
    ['a word', '很多', '很多'],
    ['an approximate figure', '约100', '约100'],
    ['two decimal points', '1.2.3', '1.2.3'],
    ['a figure with its unit', '98000元', '98000元'],
    ['thousands groups of the wrong size', '12,34', '12,34'],
    ['a decimal comma', '1,5', '1,5'],
    ['a percent sign alone', '%', '%'],
    ['two percent signs', '5%%', '5%%'],
    ['a sign alone', '+', '+'],
    ['a hexadecimal literal', '0x10', '0x10'],
    ['Infinity as text', 'Infinity', 'Infinity'],
    ['an exponent beyond doubles', '1e400', '1e400'],
    ['an N/A mark', 'N/A', 'N/A'],
    ['an accounting negative', '(5)', '(5)'],
    ['NaN', Number.NaN, 'NaN'],
    ['Infinity', Number.POSITIVE_INFINITY, 'Infinity'],
    ['a boolean', true, 'true'],
    ['a date (Excel turned the entry into one)', new Date(Date.UTC(2024, 6, 1)), '2024-07-01'],
    ['a formula without a cached result', { formula: 'SUM(A1:A3)' }, '=SUM(A1:A3)'],
    ['a formula error', { formula: '1/0', result: { error: '#DIV/0!' } }, '#DIV/0!'],
    ['an error cell', { error: '#N/A' }, '#N/A'],
    ['a formula whose result is a word', { formula: 'A1', result: 'abc' }, 'abc'],
    ['a word with spaces around (trimmed in the text)', '  abc ', 'abc'],
  ];
  it.each(invalid)('refuses %s', (_what, cell, text) => {
    expect(parseCellNumber(cell)).toEqual({ ok: false, text });
  });
});

describe('parsePercentAware', () => {
  const KINDS = [...new Set(Object.values(UNITS).map((u) => u.kind))] as UnitKind[];
  const percentKinds = new Set<UnitKind>(['share', 'rate']);

  it.each(KINDS)('never divides a figure without a %% sign (%s): 73.5 stays 73.5', (kind) => {
    expect(parsePercentAware(73.5, kind)).toEqual({ ok: true, value: 73.5 });
    expect(parsePercentAware('73.5', kind)).toEqual({ ok: true, value: 73.5 });
  });

  it.each(KINDS)('converts an explicit %% sign only for shares and rates (%s)', (kind) => {
    const r = parsePercentAware('73.5%', kind);
    if (percentKinds.has(kind)) expect(r).toEqual({ ok: true, value: 0.735 });
    else expect(r).toEqual({ ok: false, text: '73.5%', reason: 'percent_not_allowed' });
  });

  it.each(KINDS)('keeps missing marks and refusals as parseCellNumber does (%s)', (kind) => {
    expect(parsePercentAware('—', kind)).toEqual({ ok: true, value: null });
    expect(parsePercentAware('', kind)).toEqual({ ok: true, value: null });
    expect(parsePercentAware('很多', kind)).toEqual({ ok: false, text: '很多' });
  });

  it('is parseCellNumber without a kind', () => {
    expect(parsePercentAware('８％', undefined)).toEqual({ ok: true, value: 0.08 });
    expect(parsePercentAware('1,234', undefined)).toEqual({ ok: true, value: 1234 });
  });

  it('reads a share stored by Excel as a fraction (a cell formatted 0.0%) unchanged', () => {
    expect(parsePercentAware(0.021, 'share')).toEqual({ ok: true, value: 0.021 });
  });
});
