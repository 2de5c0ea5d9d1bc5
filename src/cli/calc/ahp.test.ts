import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../errors.js';
import { calcAhp, parsePairwiseMatrix, register } from './ahp.js';

function expectRel(actual: number, expected: number, rel = 1e-9) {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(Math.abs(expected), 1e-300));
}
function usageError(fn: () => unknown, message: RegExp | string) {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(UsageError);
  expect((error as Error).message).toMatch(message);
}

// Saaty (1990), EJOR 48:9–26, yard space of three houses; closed form worked in
// engine/weights.test.ts: λmax = 1 + 2.4^(1/3) + 2.4^(−1/3), w ∝ row geometric means.
const yard = '[[1, 5, 4], ["1/5", 1, "1/3"], ["1/4", 3, 1]]';

// Saaty (1990): the eight criteria of the house; λmax 9.669, CI 0.238, CR 0.169.
const house = JSON.stringify([
  [1, 5, 3, 7, 6, 6, '1/3', '1/4'],
  ['1/5', 1, '1/3', 5, 3, 3, '1/5', '1/7'],
  ['1/3', 3, 1, 6, 3, 4, 6, '1/5'],
  ['1/7', '1/5', '1/6', 1, '1/3', '1/4', '1/7', '1/8'],
  ['1/6', '1/3', '1/3', 3, 1, '1/2', '1/5', '1/6'],
  ['1/6', '1/3', '1/4', 4, 2, 1, '1/5', '1/6'],
  [3, 5, '1/6', 7, 5, 5, 1, '1/2'],
  [4, 7, 5, 8, 6, 6, 2, 1],
]);

describe('calcAhp', () => {
  it('yard (Saaty 1990): weights, λmax, CI, CR with exact fractions', () => {
    const out = calcAhp(yard);
    expect(Object.keys(out)).toEqual(['weights', 'lambdaMax', 'ci', 'cr']);
    [0.6738105710836421, 0.10065392971782092, 0.22553549919853697].forEach((w, i) => expectRel(out.weights[i]!, w));
    expectRel(out.lambdaMax, 3.0857666912572);
    expectRel(out.ci, 0.04288334562859991);
    expectRel(out.cr, 0.07393680280793088);
  });

  it('house criteria (Saaty 1990): CR 0.169 is a UsageError without --force', () => {
    usageError(
      () => calcAhp(house),
      'the consistency ratio CR = 0.169 is above 0.1: the matrix is inconsistent; revise the comparisons, or pass --force to accept it',
    );
  });

  it('house criteria with --force: the published values', () => {
    const out = calcAhp(house, { force: true });
    expectRel(out.lambdaMax, 9.668887317118154);
    expectRel(out.ci, 0.23841247387402192);
    expectRel(out.cr, 0.16908686090356165);
    expectRel(out.weights[7]!, 0.3331889800020703);
  });

  it('numbers, decimals and numeric strings are all accepted', () => {
    const out = calcAhp('[[1, "2"], [0.5, "1.0"]]');
    expectRel(out.weights[0]!, 2 / 3);
    expectRel(out.lambdaMax, 2);
    expect(out.cr).toBe(0);
  });

  it('bad input → UsageError naming the row and column', () => {
    usageError(() => calcAhp('[[1, 2], [0.5, 1]'), /not valid JSON/);
    usageError(() => calcAhp('{"a": 1}'), /non-empty JSON array of rows/);
    usageError(() => calcAhp('[]'), /non-empty JSON array of rows/);
    usageError(() => calcAhp('[[1, 2], 3]'), /row 2 is not an array/);
    usageError(() => calcAhp('[[1, 2], [0.5]]'), /row 2 has 1 entries; the matrix has 2 rows/);
    usageError(
      () => calcAhp('[[1, "two"], [0.5, 1]]'),
      'row 1, column 2: "two" is not a number or a fraction like "1/3"',
    );
    usageError(() => calcAhp('[[1, "1/0"], [0, 1]]'), /row 1, column 2: "1\/0"/);
    usageError(() => calcAhp('[[1, null], [1, 1]]'), 'row 1, column 2: null is not a number');
    usageError(() => calcAhp('[[1, 0], [1, 1]]'), /row 1, column 2: 0 is not a positive number/);
    usageError(() => calcAhp('[[1, 3], [3, 1]]'), /row 1, column 2 \(3\) and row 2, column 1 \(3\) are not reciprocal/);
    usageError(() => calcAhp('[[2, 1], [1, 1]]'), /diagonal must be 1/);
  });

  it('parsePairwiseMatrix reads fractions exactly', () => {
    expect(parsePairwiseMatrix('[[1, "1/3"], ["3", 1]]')).toEqual([
      [1, 1 / 3],
      [3, 1],
    ]);
  });
});

describe('register', () => {
  let dir: string | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('adds `ahp` to the calc command; --force lets an inconsistent matrix through', async () => {
    dir = await mkdtemp(join(tmpdir(), 'gongfu-ahp-'));
    const file = join(dir, 'house.json');
    await writeFile(file, house);
    const calc = new Command('calc').exitOverride();
    register(calc);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await expect(calc.parseAsync(['ahp', '--matrix', file], { from: 'user' })).rejects.toThrow(UsageError);
    await calc.parseAsync(['ahp', '--matrix', file, '--force'], { from: 'user' });
    const printed = JSON.parse(log.mock.calls[0]![0] as string);
    expect(printed.weights).toHaveLength(8);
    expect(printed.cr).toBeCloseTo(0.169, 3);
  });
});
