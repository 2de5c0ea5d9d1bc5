import { describe, expect, it } from 'vitest';
import {
  FORMULA_FUNCTIONS,
  FormulaCycleError,
  FormulaError,
  type FormulaFunction,
  evaluateFormula,
  evaluateScalar,
  formulaOrder,
  parseFormula,
} from './formula.js';

/** |actual − expected| ≤ rel · max(|expected|, tiny); NaN only equals NaN. */
function expectRel(actual: number, expected: number, rel = 1e-9) {
  if (Number.isNaN(expected)) return expect(actual).toBeNaN();
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(Math.abs(expected), 1e-300));
}
const f64 = (...x: number[]) => Float64Array.from(x);
const N = NaN;
const value = (expression: string, values: Record<string, number> = {}) => evaluateScalar(expression, values);

describe('precedence and associativity', () => {
  // Worked by hand with the usual rules: * and / before + and −, left to right within a level.
  it.each([
    ['2-3-4', -5], // (2−3)−4, not 2−(3−4) = 3
    ['2/2/2', 0.5], // (2/2)/2, not 2/(2/2) = 2
    ['-2*3', -6],
    ['2*-3', -6],
    ['2--3', 5],
    ['-(2+3)', -5],
    ['--2', 2],
    ['+2', 2],
    ['1+2*3', 7],
    ['(1+2)*3', 9],
    ['1-2*3+4', -1],
    ['12/4*3', 9], // (12/4)·3, not 12/(4·3) = 1
    ['2*3/4', 1.5],
    ['1 - -1', 2],
    ['-2 - -2', 0],
    ['((((7))))', 7],
    ['.5 + 1.5e1 + 2E-1', 15.7],
    ['10 - 2 - 3 - 4', 1],
  ])('%s = %d', (expression, expected) => {
    expectRel(value(expression), expected);
  });
});

describe('functions', () => {
  // One row per function: arguments, expected, worked by hand.
  const CASES: Record<FormulaFunction, [string, number][]> = {
    min: [
      ['min(3, 1, 2)', 1],
      ['min(-1)', -1],
      ['min(2, NA)', N],
    ],
    max: [
      ['max(3, 1, 2)', 3],
      ['max(-5, -7)', -5],
      ['max(NA, 2)', N],
    ],
    abs: [
      ['abs(-2.5)', 2.5],
      ['abs(3)', 3],
      ['abs(NA)', N],
    ],
    ln: [
      ['ln(1)', 0],
      ['ln(exp(2))', 2],
      ['ln(0)', N], // −∞ is not a value
      ['ln(-1)', N],
    ],
    exp: [
      ['exp(0)', 1],
      ['exp(1)', Math.E],
      ['exp(1000)', N], // overflow
    ],
    sqrt: [
      ['sqrt(16)', 4],
      ['sqrt(2)*sqrt(2)', 2],
      ['sqrt(-1)', N],
    ],
    pow: [
      ['pow(2, 10)', 1024],
      ['pow(1.08, 5)', 1.4693280768],
      ['pow(4, 0.5)', 2],
      ['pow(0, -1)', N], // 1/0
      ['pow(NA, 0)', N], // missing stays missing (JavaScript's NaN ** 0 is 1)
      ['pow(-8, 1/3)', N],
    ],
  };
  describe.each(FORMULA_FUNCTIONS)('%s', (fn) => {
    it.each(CASES[fn])('%s = %d', (expression, expected) => {
      expectRel(value(expression, { NA: NaN }), expected, 1e-9);
    });
  });

  it.each([
    ['abs()', /abs at column 1 takes 1 argument, not 0/],
    ['abs(1, 2)', /abs at column 1 takes 1 argument, not 2/],
    ['pow(2)', /pow at column 1 takes 2 arguments, not 1/],
    ['1 + min()', /min at column 5 takes at least 1 argument, not 0/],
  ])('checks the number of arguments: %s', (expression, message) => {
    expect(() => parseFormula(expression)).toThrow(message);
  });
});

describe('vectorised evaluation', () => {
  it('evaluates over columns, with NaN propagating and division by zero giving NaN', () => {
    const columns = {
      INC_URBAN_PC: f64(60_000, 70_000, N, 50_000, 1),
      INC_RURAL_PC: f64(30_000, 35_000, 20_000, 0, 0),
    };
    const out = evaluateFormula('INC_URBAN_PC / INC_RURAL_PC', columns, 5);
    // By hand: 2, 2, missing urban, ÷0, 0÷0.
    [2, 2, N, N, N].forEach((e, i) => expectRel(out[i]!, e));
  });

  it('mixes constants and columns, and folds constant parts', () => {
    const out = evaluateFormula(
      '100 * (A - B) / B + 2 * 3',
      new Map([
        ['A', f64(110, 90)],
        ['B', f64(100, 100)],
      ]),
      2,
    );
    expectRel(out[0]!, 16);
    expectRel(out[1]!, -4);
    expect(Array.from(evaluateFormula('1 + 1', {}, 3))).toEqual([2, 2, 2]);
  });

  it('takes columns from a function and fills a given output', () => {
    const out = new Float64Array(2);
    const r = evaluateFormula(
      'max(A, 0) - min(B, C)',
      (c) => ({ A: f64(-1, 5), B: f64(1, 2), C: f64(3, N) })[c],
      2,
      out,
    );
    expect(r).toBe(out);
    expectRel(out[0]!, -1);
    expectRel(out[1]!, N);
  });

  it('drops infinities in the input and in results', () => {
    const out = evaluateFormula('A', { A: f64(Infinity, 1) }, 2);
    expectRel(out[0]!, N);
    expectRel(evaluateFormula('A * 1e308', { A: f64(10) }, 1)[0]!, N);
    expectRel(evaluateFormula('1 / A', { A: f64(-0) }, 1)[0]!, N);
    const a = f64(Infinity, 2);
    for (const expression of ['min(A)', '-A', 'abs(A)', 'A + 0', '0 + A', 'max(A, 1)']) {
      const r = evaluateFormula(expression, { A: a }, 2);
      expectRel(r[0]!, N);
      expect(r).not.toBe(a);
    }
    expect(Array.from(a)).toEqual([Infinity, 2]);
  });

  it('does not modify its inputs', () => {
    const a = f64(1, 2, 3);
    evaluateFormula('-A * 2', { A: a }, 3);
    expect(Array.from(a)).toEqual([1, 2, 3]);
  });

  it('names a code without values and a column of the wrong length', () => {
    expect(() => evaluateFormula('A + B', { A: f64(1) }, 1)).toThrow(/no values given for B \(column 5\)/);
    expect(() => evaluateFormula('A', { A: f64(1, 2) }, 1)).toThrow(/A have 2 cells, not 1/);
  });

  it('is fast enough for a province (2 million cells)', () => {
    const n = 2_000_000;
    const a = new Float64Array(n).fill(3);
    const b = new Float64Array(n).fill(2);
    const out = evaluateFormula('pow(A / B, 2) - max(A, B) + ln(B)', { A: a, B: b }, n);
    expectRel(out[n - 1]!, 2.25 - 3 + Math.log(2));
  });
});

describe('references', () => {
  it('lists the codes once each, in order of first appearance', () => {
    expect(parseFormula('(B + A) / B - min(C_2, A) * 2').codes).toEqual(['B', 'A', 'C_2']);
    expect(parseFormula('1 + 2').codes).toEqual([]);
  });
});

describe('errors give the column and what was expected', () => {
  it.each([
    ['(A + B) * C)', "unexpected ')' at column 12: there is no '(' to close"],
    ['A * (B + C', "expected ')' to close the '(' at column 5, found the end of the formula"],
    ['2 * )', "unexpected ')' at column 5: expected a number, an indicator code, a function or '('"],
    ['A +', "unexpected the end of the formula: expected a number, an indicator code, a function or '('"],
    ['', 'the formula is empty'],
    ['   ', 'the formula is empty'],
    ['A B', "unexpected 'B' at column 3: expected an operator or the end"],
    ['2 3', "unexpected '3' at column 3: expected an operator or the end"],
    ['A ^ 2', "unexpected '^' at column 3: write pow(a, b)"],
    ['A × 2', "unexpected '×' at column 3: write '*'"],
    ['（A）', "unexpected '（' at column 1: write '('"],
    ['A $ 2', "unexpected '$' at column 3: not part of a formula"],
    ['5%', "unexpected '%' at column 2: write a fraction"],
    ['inc_pc', "unknown name 'inc_pc' at column 1: indicator codes are upper-case"],
    ['A + Inc', "unknown name 'Inc' at column 5"],
    ['log(A)', "unknown function 'log' at column 1: functions are min, max, abs, ln, exp, sqrt, pow"],
    ['MAX(A, B)', "unknown function 'MAX' at column 1: write max"],
    ['A + min', 'min at column 5 is a function: write min(…)'],
    ['min(A B)', "expected ',' or ')' in min(…) at column 1, found 'B' at column 7"],
    ['min(A,)', "unexpected ')' at column 7: expected a number"],
    ['2x', "malformed number '2x…' at column 1"],
    ['1.2.3', "malformed number '1.2.…' at column 1"],
    ['('.repeat(150) + '1' + ')'.repeat(150), 'nested too deeply'],
    ['-'.repeat(200) + '1', 'nested too deeply'],
  ])('%j', (expression, message) => {
    expect(() => parseFormula(expression)).toThrow(FormulaError);
    expect(() => parseFormula(expression)).toThrow(message);
  });

  it('puts the column on the error', () => {
    try {
      parseFormula('(INC_URBAN + 1))');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(FormulaError);
      expect((e as FormulaError).column).toBe(16);
    }
  });
});

describe('formulaOrder', () => {
  it('puts each formula after the formulas it uses, keeping input order otherwise', () => {
    const order = formulaOrder([
      { code: 'GAP', expression: 'URBAN_PC / RURAL_PC' },
      { code: 'URBAN_PC', expression: 'URBAN_INC / URBAN_POP' },
      { code: 'SCORE', expression: 'GAP * 2 + OTHER' },
      { code: 'RURAL_PC', expression: 'RURAL_INC / RURAL_POP' },
      { code: 'OTHER', expression: '1' },
    ]);
    expect(order).toEqual(['URBAN_PC', 'RURAL_PC', 'GAP', 'OTHER', 'SCORE']);
  });

  it('takes parsed formulas too', () => {
    expect(
      formulaOrder([
        { code: 'B', expression: parseFormula('A + 1') },
        { code: 'A', expression: 'X' },
      ]),
    ).toEqual(['A', 'B']);
  });

  it.each([
    [
      [
        { code: 'A', expression: 'B + 1' },
        { code: 'B', expression: 'C * 2' },
        { code: 'C', expression: 'A / 3' },
      ],
      ['A', 'B', 'C', 'A'],
    ],
    [
      [
        { code: 'X', expression: 'Y' },
        { code: 'A', expression: 'A + 1' },
        { code: 'Y', expression: '2' },
      ],
      ['A', 'A'],
    ],
    [
      [
        { code: 'S', expression: 'T' },
        { code: 'T', expression: 'U' },
        { code: 'U', expression: 'T' },
      ],
      ['T', 'U', 'T'],
    ],
  ])('names a cycle', (formulas, cycle) => {
    try {
      formulaOrder(formulas);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(FormulaCycleError);
      expect((e as FormulaCycleError).cycle).toEqual(cycle);
      expect((e as Error).message).toContain(cycle.join(' → '));
    }
  });

  it('names the indicator whose formula does not parse, and a code given twice', () => {
    expect(() => formulaOrder([{ code: 'GAP', expression: 'A / (B' }])).toThrow(/^GAP: expected '\)'/);
    expect(() =>
      formulaOrder([
        { code: 'A', expression: '1' },
        { code: 'A', expression: '2' },
      ]),
    ).toThrow(/A is given more than once/);
  });
});
