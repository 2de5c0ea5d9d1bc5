import { describe, expect, it } from 'vitest';
import { decisionMatrix, MatrixValueError } from './normalise.js';
import {
  ENTROPY_NORMALISATIONS,
  InconsistentJudgementsError,
  SAATY_RANDOM_INDEX,
  ahpWeights,
  entropyWeights,
  equalWeights,
  fixedWeights,
  randomIndex,
} from './weights.js';

function expectRel(actual: number, expected: number, rel = 1e-9) {
  if (Number.isNaN(expected)) return expect(actual).toBeNaN();
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(Math.abs(expected), 1e-300));
}
function expectAllRel(actual: ArrayLike<number>, expected: readonly number[], rel = 1e-9) {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expectRel(actual[i]!, e, rel));
}
/** A small seeded generator (mulberry32), uniform on [0, 1). */
function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const sum = (x: ArrayLike<number>) => Array.from(x).reduce((s, v) => s + v, 0);

describe('fixedWeights', () => {
  it('scales to sum 1', () => {
    expectAllRel(fixedWeights([2, 3, 5]), [0.2, 0.3, 0.5]);
    expectAllRel(fixedWeights([0.3, 0.7]), [0.3, 0.7]);
    expectAllRel(fixedWeights([0, 4]), [0, 1]);
  });
  it('refuses negative, missing and all-zero weights', () => {
    expect(() => fixedWeights([1, -0.5])).toThrow(/weight 2 is negative/);
    expect(() => fixedWeights([1, NaN])).toThrow(/weight 2 is not a number/);
    expect(() => fixedWeights([0, 0])).toThrow(/sum to 0/);
    expect(() => fixedWeights([])).toThrow(/no weights/);
  });
  it('equal weights', () => {
    expectAllRel(equalWeights(4), [0.25, 0.25, 0.25, 0.25]);
  });
});

describe('Saaty random index', () => {
  it('is the 1980 table for n = 1 … 15 and refuses larger n', () => {
    expect(SAATY_RANDOM_INDEX).toEqual([
      0, 0, 0.58, 0.9, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59,
    ]);
    expect(randomIndex(3)).toBe(0.58);
    expect(randomIndex(15)).toBe(1.59);
    expect(() => randomIndex(16)).toThrow(/1 to 15/);
    expect(() => randomIndex(0)).toThrow(/1 to 15/);
  });
});

describe('ahpWeights', () => {
  it('a perfectly consistent matrix gives back its ratios, λmax = n, CI = CR = 0', () => {
    // a_ij = w_i / w_j with w = (0.5, 0.3, 0.2): A w = 3 w exactly.
    const w = [0.5, 0.3, 0.2];
    const a = w.map((wi) => w.map((wj) => wi / wj));
    const r = ahpWeights(a);
    expectAllRel(r.weights, w);
    expectRel(r.lambdaMax, 3);
    expect(Math.abs(r.ci)).toBeLessThan(1e-12);
    expect(Math.abs(r.cr)).toBeLessThan(1e-12);
    expect(r.consistent).toBe(true);
  });

  it('n = 1: weight 1, CR 0', () => {
    const r = ahpWeights([[1]]);
    expectAllRel(r.weights, [1]);
    expect([r.lambdaMax, r.ci, r.cr, r.iterations]).toEqual([1, 0, 0, 0]);
  });

  it('n = 2 exactly: [[1, 3], [1/3, 1]] → (3/4, 1/4), λmax 2, CR 0', () => {
    // Principal eigenvector of [[1, x], [1/x, 1]] is (x, 1)/(x + 1), eigenvalue 2.
    const r = ahpWeights([
      [1, 3],
      [1 / 3, 1],
    ]);
    expectAllRel(r.weights, [0.75, 0.25]);
    expectRel(r.lambdaMax, 2);
    expect(r.cr).toBe(0);
    expect(r.iterations).toBe(0);
  });

  // Saaty, T. L. (1990). How to make a decision: The Analytic Hierarchy Process. European Journal of
  // Operational Research 48, 9–26 — the house-buying example (matrices as transcribed in LINDO
  // Systems' model AnaHierProc02, "Example from Saaty"). For a reciprocal 3 × 3 matrix the
  // principal eigenvector is the vector of row geometric means and
  // λmax = 1 + c^(1/3) + c^(−1/3) with c = a13 / (a12 · a23) (a closed form, worked by hand below;
  // evaluated at 50 digits with mpmath and rounded to the nearest double).
  it('Saaty (1990), yard space of three houses: closed form, CR 0.074 accepted', () => {
    // A = [[1, 5, 4], [1/5, 1, 1/3], [1/4, 3, 1]]; c = 4 / (5 · 1/3) = 2.4.
    // λmax = 1 + 2.4^(1/3) + 2.4^(−1/3) = 3.0857666912571998286; CI = (λ − 3)/2; CR = CI / 0.58.
    // w ∝ (20^(1/3), (1/15)^(1/3), (3/4)^(1/3)) = (0.67381057108364211474, 0.10065392971782092022,
    // 0.22553549919853696504). To three decimals: 0.674, 0.101, 0.226; λmax 3.086, CI 0.043, CR 0.074.
    const r = ahpWeights([
      [1, 5, 4],
      [1 / 5, 1, 1 / 3],
      [1 / 4, 3, 1],
    ]);
    expectAllRel(r.weights, [0.6738105710836421, 0.10065392971782092, 0.22553549919853697]);
    expectRel(r.lambdaMax, 1 + Math.cbrt(2.4) + 1 / Math.cbrt(2.4));
    expectRel(r.lambdaMax, 3.0857666912572);
    expectRel(r.ci, 0.04288334562859991);
    expectRel(r.cr, 0.07393680280793088);
    expect(r.consistent).toBe(true);
  });

  it('Saaty (1990), financing of three houses: closed form, CR 0.056', () => {
    // A = [[1, 1/7, 1/5], [7, 1, 3], [5, 1/3, 1]]; c = (1/5) / ((1/7) · 3) = 7/15.
    // w ∝ ((1/35)^(1/3), 21^(1/3), (5/3)^(1/3)); λmax = 1 + (7/15)^(1/3) + (15/7)^(1/3).
    const r = ahpWeights([
      [1, 1 / 7, 1 / 5],
      [7, 1, 3],
      [5, 1 / 3, 1],
    ]);
    expectAllRel(r.weights, [0.07192742988225646, 0.6491180046313252, 0.27895456548641834]);
    expectRel(r.lambdaMax, 3.064887579872819);
    expectRel(r.cr, 0.05593756885587818);
  });

  // Saaty (1990): the eight criteria of the house (size, transportation, neighbourhood,
  // age, yard, modern facilities, general condition, financing). the published priorities are
  // 0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333 and λmax = 9.669, CI = 0.238, CR = 0.169
  // (above 0.1). Reference digits: the principal eigenpair by mpmath.eig at
  // 50 significant digits (an independent dense eigensolver, not power iteration).
  const house = [
    [1, 5, 3, 7, 6, 6, 1 / 3, 1 / 4],
    [1 / 5, 1, 1 / 3, 5, 3, 3, 1 / 5, 1 / 7],
    [1 / 3, 3, 1, 6, 3, 4, 6, 1 / 5],
    [1 / 7, 1 / 5, 1 / 6, 1, 1 / 3, 1 / 4, 1 / 7, 1 / 8],
    [1 / 6, 1 / 3, 1 / 3, 3, 1, 1 / 2, 1 / 5, 1 / 6],
    [1 / 6, 1 / 3, 1 / 4, 4, 2, 1, 1 / 5, 1 / 6],
    [3, 5, 1 / 6, 7, 5, 5, 1, 1 / 2],
    [4, 7, 5, 8, 6, 6, 2, 1],
  ];
  const houseWeights = [
    0.17301747464834766, 0.053975722999039306, 0.1881102988574408, 0.017507911308195692, 0.031043736403902296,
    0.03632220215465609, 0.16683367362634788, 0.3331889800020703,
  ];

  it('Saaty (1990), eight house criteria: CR 0.169 is refused without force', () => {
    let error: unknown;
    try {
      ahpWeights(house);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InconsistentJudgementsError);
    const e = error as InconsistentJudgementsError;
    expect(e.message).toMatch(/CR = 0\.169 is above 0\.1/);
    expectRel(e.result.cr, 0.16908686090356165);
  });

  it('Saaty (1990), eight house criteria with force: the published eigenvector, λmax, CI, CR', () => {
    const r = ahpWeights(house, { force: true });
    expectAllRel(r.weights, houseWeights);
    expectRel(r.lambdaMax, 9.668887317118154);
    expectRel(r.ci, 0.23841247387402192);
    expectRel(r.cr, 0.16908686090356165);
    expect(r.ri).toBe(1.41);
    expect(r.consistent).toBe(false);
    // Rounded as printed by Saaty.
    expect(Array.from(r.weights, (x) => x.toFixed(3))).toEqual([
      '0.173',
      '0.054',
      '0.188',
      '0.018',
      '0.031',
      '0.036',
      '0.167',
      '0.333',
    ]);
    expect(r.lambdaMax.toFixed(3)).toBe('9.669');
  });

  it('a stricter maxCr refuses what 0.1 accepts', () => {
    const yard = [
      [1, 5, 4],
      [1 / 5, 1, 1 / 3],
      [1 / 4, 3, 1],
    ];
    expect(() => ahpWeights(yard, { maxCr: 0.05 })).toThrow(InconsistentJudgementsError);
  });

  it('accepts reciprocals written with three decimals, refuses a wrong reciprocal', () => {
    const r = ahpWeights([
      [1, 3, 7],
      [0.333, 1, 3],
      [0.143, 0.333, 1],
    ]);
    expectRel(sum(r.weights), 1, 1e-12);
    expect(() =>
      ahpWeights([
        [1, 3, 7],
        [3, 1, 3],
        [1 / 7, 1 / 3, 1],
      ]),
    ).toThrow('row 1, column 2 (3) and row 2, column 1 (3) are not reciprocal');
  });

  it('refuses bad matrices, naming the row and column', () => {
    expect(() => ahpWeights([])).toThrow(/empty/);
    expect(() => ahpWeights([[1, 2], [0.5]])).toThrow(/row 2 has 1 entries; the matrix has 2 rows/);
    expect(() =>
      ahpWeights([
        [1, 0],
        [2, 1],
      ]),
    ).toThrow(/row 1, column 2: 0 is not a positive number/);
    expect(() =>
      ahpWeights([
        [1, -2],
        [-0.5, 1],
      ]),
    ).toThrow(/row 1, column 2: -2 is not a positive number/);
    expect(() =>
      ahpWeights([
        [1, 2],
        [NaN, 1],
      ]),
    ).toThrow(/row 2, column 1: NaN/);
    expect(() =>
      ahpWeights([
        [2, 1],
        [1, 1],
      ]),
    ).toThrow(/row 1, column 1: the diagonal must be 1/);
    const big = Array.from({ length: 16 }, () => Array.from({ length: 16 }, () => 1));
    expect(() => ahpWeights(big)).toThrow(/1 to 15 criteria, not 16/);
  });

  it('converges on every size of the table (a seeded random consistent-ish matrix)', () => {
    // Property: for n = 3 … 15, A w = λ w holds to 1e-10 and the weights sum to 1.
    const next = mulberry32(12345);
    for (let n = 3; n <= 15; n++) {
      const truth = Array.from({ length: n }, () => 0.1 + next());
      const a = truth.map((wi, i) =>
        truth.map((wj, j) => (i === j ? 1 : i < j ? (wi / wj) * (0.8 + 0.4 * next()) : NaN)),
      );
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a[i]![j] = 1 / a[j]![i]!;
      const r = ahpWeights(a, { force: true });
      expectRel(sum(r.weights), 1, 1e-12);
      for (let i = 0; i < n; i++) {
        const aw = a[i]!.reduce((s, x, j) => s + x * r.weights[j]!, 0);
        expectRel(aw, r.lambdaMax * r.weights[i]!, 1e-10);
      }
      expect(r.lambdaMax).toBeGreaterThanOrEqual(n - 1e-9); // λmax ≥ n for reciprocal matrices
    }
  });
});

describe('entropyWeights', () => {
  // Worked by hand, no normalisation, X = [[1, 1], [1, 2], [2, 3]] (three units, two criteria):
  // column 1: p = (1/4, 1/4, 1/2), −Σ p ln p = ½ ln 4 + ½ ln 2 = (3/2) ln 2, e1 = (3/2) ln 2 / ln 3;
  // column 2: p = (1/6, 1/3, 1/2), −Σ p ln p = (1/6) ln 6 + (1/3) ln 3 + ½ ln 2 = (2/3) ln 2 + ½ ln 3,
  // e2 = ½ + (2/3) ln 2 / ln 3. With L = ln 2 / ln 3: d1 = 1 − 1.5 L, d2 = 0.5 − (2/3) L,
  // w = d / (d1 + d2). Evaluated at 40 digits.
  it('3 × 2 by hand, raw values', () => {
    const m = decisionMatrix(
      [
        [1, 1],
        [1, 2],
        [2, 3],
      ],
      ['up', 'up'],
    );
    const L = Math.log(2) / Math.log(3);
    const r = entropyWeights(m);
    expectAllRel(r.entropy, [1.5 * L, 0.5 + (2 / 3) * L]);
    expectAllRel(r.entropy, [0.9463946303571862, 0.920619835714305]);
    expectAllRel(r.weights, [0.4030917353133411, 0.5969082646866589]);
    expectAllRel(r.divergence, [1 - 1.5 * L, 0.5 - (2 / 3) * L]);
    expect(Array.from(r.present)).toEqual([3, 3]);
  });

  // Worked by hand with min–max first: column 1 (up) 10, 20, 40 → 0, 1/3, 1 → p = (0, 1/4, 3/4),
  // −Σ p ln p = ¼ ln 4 + ¾ ln(4/3) = 2 ln 2 − ¾ ln 3, e1 = 2L − ¾;
  // column 2 (down) 5, 3, 4 → 0, 1, ½ → p = (0, 2/3, 1/3), −Σ p ln p = ln 3 − (2/3) ln 2,
  // e2 = 1 − (2/3) L. The zero takes 0 · ln 0 = 0.
  it('3 × 2 by hand, min–max first, one criterion down, with a zero', () => {
    const m = decisionMatrix(
      [
        [10, 5],
        [20, 3],
        [40, 4],
      ],
      ['up', 'down'],
    );
    const L = Math.log(2) / Math.log(3);
    const r = entropyWeights(m, { normalise: 'minmax' });
    expectAllRel(r.entropy, [2 * L - 0.75, 1 - (2 / 3) * L]);
    expectAllRel(r.weights, [0.5371498705543878, 0.46285012944561216]);
    expect(r.normalisation).toBe('minmax');
  });

  it.each(ENTROPY_NORMALISATIONS)('%s: an all-equal column has e = 1 and weight 0', (normalise) => {
    const m = decisionMatrix(
      [
        [5, 1],
        [5, 2],
        [5, 4],
      ],
      ['up', 'up'],
    );
    const r = entropyWeights(m, { normalise });
    expect(r.entropy[0]).toBe(1);
    expect(r.weights[0]).toBe(0);
    expectRel(r.weights[1]!, 1);
  });

  it.each(ENTROPY_NORMALISATIONS)('%s: every column all equal → equal weights', (normalise) => {
    const m = decisionMatrix(
      [
        [5, 0, 2],
        [5, 0, 2],
      ],
      ['up', 'down', 'up'],
    );
    const r = entropyWeights(m, { normalise });
    expect(Array.from(r.entropy)).toEqual([1, 1, 1]);
    expectAllRel(r.weights, [1 / 3, 1 / 3, 1 / 3]);
  });

  it.each(ENTROPY_NORMALISATIONS)('%s: one unit → e = 1 everywhere, equal weights', (normalise) => {
    const r = entropyWeights(decisionMatrix([[3, 9]], ['up', 'down']), { normalise });
    expect(Array.from(r.entropy)).toEqual([1, 1]);
    expectAllRel(r.weights, [0.5, 0.5]);
  });

  it('an all-zero column has e = 1', () => {
    const r = entropyWeights(
      decisionMatrix(
        [
          [0, 1],
          [0, 3],
        ],
        ['up', 'up'],
      ),
    );
    expect(r.entropy[0]).toBe(1);
    expectAllRel(r.weights, [0, 1]);
  });

  it('a unit concentrating all of a column gives e = 0', () => {
    // p = (1, 0, 0): −Σ p ln p = 0.
    const r = entropyWeights(decisionMatrix([[7], [0], [0]], ['up']));
    expect(r.entropy[0]).toBe(0);
    expectAllRel(r.weights, [1]);
  });

  it('negative values are refused without normalisation, fine after min–max', () => {
    const m = decisionMatrix(
      [
        [1, 2],
        [3, -1],
      ],
      ['up', 'up'],
    );
    let error: unknown;
    try {
      entropyWeights(m);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MatrixValueError);
    expect(error).toMatchObject({ unit: 1, criterion: 1 });
    expect((error as Error).message).toMatch(/unit 2, criterion 2: -1 is negative/);
    expect(() => entropyWeights(m, { normalise: 'minmax' })).not.toThrow();
  });

  it('missing values: each column uses its present values (n per column)', () => {
    // Column 1 present: 1, 1, 2 → the same as the raw hand example (n = 3, ln 3);
    // column 2 present: 1, 3 → p = (1/4, 3/4), e = (¼ ln 4 + ¾ ln(4/3)) / ln 2 = 2 − (3/4) log2 3.
    const m = decisionMatrix(
      [
        [1, 1],
        [1, NaN],
        [2, 3],
        [NaN, NaN],
      ],
      ['up', 'up'],
    );
    const r = entropyWeights(m);
    // Column 1 has 1, 1, 2 among four rows — but n counts present values only.
    expectAllRel(r.entropy, [(1.5 * Math.log(2)) / Math.log(3), 2 - 0.75 * Math.log2(3)]);
    expect(Array.from(r.present)).toEqual([3, 2]);
  });

  it('is unchanged by scaling a column (p is scale-free)', () => {
    const a = entropyWeights(
      decisionMatrix(
        [
          [1, 10],
          [2, 30],
          [4, 20],
        ],
        ['up', 'up'],
      ),
    );
    const b = entropyWeights(
      decisionMatrix(
        [
          [1000, 10],
          [2000, 30],
          [4000, 20],
        ],
        ['up', 'up'],
      ),
    );
    expectAllRel(b.weights, Array.from(a.weights), 1e-12);
  });
});
