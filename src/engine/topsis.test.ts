import { describe, expect, it } from 'vitest';
import { DIRECTIONS } from '../domain/plan.js';
import { decisionMatrix, MatrixValueError } from './normalise.js';
import { topsis } from './topsis.js';

function expectRel(actual: number, expected: number, rel = 1e-9) {
  if (Number.isNaN(expected)) return expect(actual).toBeNaN();
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(Math.abs(expected), 1e-300));
}
function expectAllRel(actual: ArrayLike<number>, expected: readonly number[], rel = 1e-9) {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expectRel(actual[i]!, e, rel));
}

describe('topsis', () => {
  // Hwang, C.-L. & Yoon, K. (1981). Multiple Attribute Decision Making: Methods and Applications,
  // Springer, pp. 133–134: choosing a fighter aircraft. Criteria: maximum speed (Mach), ferry range
  // (NM), maximum payload (lb), acquisition cost (10⁶ $, the one cost criterion), reliability,
  // manoeuvrability (the last two rated on an interval scale). Weights 0.2, 0.1, 0.1, 0.1, 0.2, 0.3.
  // Column sums of squares (by hand): 18.33, 16,780,000, 1,565,000,000, 117.75, 108, 180; e.g. the
  // ideal best manoeuvrability is 0.3 · 9 / √180 = 0.20124611797498107. The book prints
  // C* = 0.643, 0.268, 0.613, 0.312 (A1 > A3 > A4 > A2). The values below are the definition
  // evaluated in 40-digit decimal arithmetic (Python decimal), rounded to the nearest double.
  const fighters = decisionMatrix(
    [
      [2.0, 1500, 20000, 5.5, 5, 9],
      [2.5, 2700, 18000, 6.5, 3, 5],
      [1.8, 2000, 21000, 4.5, 7, 7],
      [2.2, 1800, 20000, 5.0, 5, 5],
    ],
    ['up', 'up', 'up', 'down', 'up', 'up'],
  );
  const fighterWeights = [0.2, 0.1, 0.1, 0.1, 0.2, 0.3];

  it('Hwang & Yoon (1981) fighter aircraft: closeness, distances and ideals', () => {
    const r = topsis(fighters, fighterWeights);
    expectAllRel(r.closeness, [0.6432770005532701, 0.2683835677194119, 0.6135422900072309, 0.31229106558175435]);
    expectAllRel(
      r.distanceToBest,
      [0.054557448313032976, 0.11967930762346221, 0.057976716251835377, 0.10093671059896046],
    );
    expectAllRel(
      r.distanceToWorst,
      [0.09838320423151971, 0.043902731192149075, 0.09204413920714916, 0.045835718182041144],
    );
    expectAllRel(
      r.idealBest,
      [
        0.11678545896676293, 0.06591250023875199, 0.05308381461238366, 0.041469810982568224, 0.13471506281091267,
        0.20124611797498107,
      ],
    );
    expectAllRel(
      r.idealWorst,
      [
        0.08408553045606931, 0.036618055688195546, 0.04550041252490028, 0.059900838085931885, 0.057735026918962574,
        0.11180339887498948,
      ],
    );
    expectAllRel(r.columnNorms, [
      Math.sqrt(18.33),
      Math.sqrt(16_780_000),
      Math.sqrt(1_565_000_000),
      Math.sqrt(117.75),
      Math.sqrt(108),
      Math.sqrt(180),
    ]);
    // As printed in the book, within 0.001: the book rounds at every step, so A3's exact 0.61354
    // comes out there as 0.613 (from its rounded D⁺ = 0.0580 and D⁻ = 0.0920).
    [0.643, 0.268, 0.613, 0.312].forEach((printed, i) =>
      expect(Math.abs(r.closeness[i]! - printed)).toBeLessThan(1e-3),
    );
  });

  it('multiplying all weights by one factor leaves the closeness unchanged', () => {
    const a = topsis(fighters, fighterWeights);
    const b = topsis(
      fighters,
      fighterWeights.map((w) => w * 7),
    );
    expectAllRel(b.closeness, Array.from(a.closeness), 1e-12);
  });

  // By hand: A = (3, 4), B = (4, 3), C = (0, 0), weights ½, ½, both up. Column norms √(9 + 16) = 5;
  // weighted A = (0.3, 0.4), B = (0.4, 0.3), C = (0, 0); A⁺ = (0.4, 0.4), A⁻ = (0, 0).
  // A: D⁺ = 0.1, D⁻ = 0.5, C = 5/6; B likewise (a tie); C: D⁺ = √0.32, D⁻ = 0, closeness 0.
  it('by hand: a tie and a unit of zeros', () => {
    const r = topsis(
      decisionMatrix(
        [
          [3, 4],
          [4, 3],
          [0, 0],
        ],
        ['up', 'up'],
      ),
      [0.5, 0.5],
    );
    expectAllRel(r.closeness, [5 / 6, 5 / 6, 0]);
    expectAllRel(r.distanceToBest, [0.1, 0.1, Math.sqrt(0.32)]);
    expectAllRel(r.distanceToWorst, [0.5, 0.5, 0]);
    expectAllRel(r.weighted, [0.3, 0.4, 0.4, 0.3, 0, 0]);
  });

  // By hand: A = (3, 4), B = (4, 3), the second criterion down. Weighted as above; A⁺ = (0.4, 0.3),
  // A⁻ = (0.3, 0.4) = A itself, so A scores 0 and B (= A⁺) scores 1.
  it.each(DIRECTIONS)('by hand: the second criterion %s', (dir) => {
    const r = topsis(
      decisionMatrix(
        [
          [3, 4],
          [4, 3],
        ],
        ['up', dir],
      ),
      [0.5, 0.5],
    );
    if (dir === 'down') {
      expectAllRel(r.closeness, [0, 1]);
      expectAllRel(r.idealBest, [0.4, 0.3]);
      expectAllRel(r.idealWorst, [0.3, 0.4]);
    } else {
      // Symmetric: each is best on one criterion and worst on the other.
      expectAllRel(r.closeness, [0.5, 0.5]);
    }
  });

  it.each(DIRECTIONS)('%s: all units equal → every closeness is 1 (D⁺ = D⁻ = 0)', (dir) => {
    const r = topsis(
      decisionMatrix(
        [
          [2, 5],
          [2, 5],
          [2, 5],
        ],
        [dir, dir],
      ),
      [0.5, 0.5],
    );
    expect(Array.from(r.closeness)).toEqual([1, 1, 1]);
    expect(Array.from(r.distanceToBest)).toEqual([0, 0, 0]);
  });

  it('one unit → closeness 1', () => {
    const r = topsis(decisionMatrix([[3, 1, 4]], ['up', 'down', 'up']), [0.2, 0.3, 0.5]);
    expect(Array.from(r.closeness)).toEqual([1]);
  });

  it('a column of zeros contributes nothing', () => {
    // Column 2 only: weighted 0.5 · (1, 2)/√5; A is the worst (0), B the best (1).
    const r = topsis(
      decisionMatrix(
        [
          [0, 1],
          [0, 2],
        ],
        ['up', 'up'],
      ),
      [0.5, 0.5],
    );
    expectAllRel(r.closeness, [0, 1]);
    expect(r.columnNorms[0]).toBe(0);
    expectAllRel(r.weighted, [0, 0.5 / Math.sqrt(5), 0, 1 / Math.sqrt(5)]);
  });

  it('a weight of 0 removes a criterion', () => {
    const r = topsis(
      decisionMatrix(
        [
          [3, 100],
          [4, 1],
        ],
        ['up', 'up'],
      ),
      [1, 0],
    );
    expectAllRel(r.closeness, [0, 1]);
  });

  it('a unit with a missing value is left out and does not move the others', () => {
    const withGap = topsis(
      decisionMatrix(
        [
          [3, 4],
          [NaN, 9],
          [4, 3],
          [0, 0],
        ],
        ['up', 'up'],
      ),
      [0.5, 0.5],
    );
    expectAllRel(withGap.closeness, [5 / 6, NaN, 5 / 6, 0]);
    expect(Array.from(withGap.included)).toEqual([1, 0, 1, 1]);
    expect(withGap.distanceToBest[1]).toBeNaN();
    expect(withGap.weighted[2]).toBeNaN();
  });

  it('refuses negative values, naming the cell', () => {
    let error: unknown;
    try {
      topsis(
        decisionMatrix(
          [
            [1, 2],
            [-3, 4],
          ],
          ['up', 'up'],
        ),
        [0.5, 0.5],
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MatrixValueError);
    expect(error).toMatchObject({ unit: 1, criterion: 0 });
    expect((error as Error).message).toMatch(/unit 2, criterion 1: -3 is negative; TOPSIS needs values ≥ 0/);
  });

  it('checks the weights', () => {
    const m = decisionMatrix([[1, 2]], ['up', 'up']);
    expect(() => topsis(m, [1])).toThrow(/1 weights for 2 criteria/);
    expect(() => topsis(m, [1, -1])).toThrow(/criterion 2 must be a number ≥ 0/);
  });
});
