import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../errors.js';
import { inequalityFromCsv, parseBrackets, register } from './inequality.js';

const { log, sqrt } = Math;
const ln2 = log(2);
const ln3 = log(3);

function expectRel(actual: number | null | undefined, expected: number, what: string): void {
  const ok = typeof actual === 'number' && Math.abs(actual - expected) <= Math.max(1e-9 * Math.abs(expected), 1e-12);
  expect(ok, `${what}: ${actual} vs expected ${expected}`).toBe(true);
}

// Households 1, 3 (urban) and 4, 4 (rural); h5 has no income (missing). Worked out by hand:
// μ = 3; sorted 1, 3, 4, 4 → median 3 (cumulative 2 of 4); Σ_{i<j}|d| = 3+2+3+1+0+1 = 10,
// G = 20 / (2·16·3) = 5/24; σ² = (4+0+1+1)/4 = 1.5; 倍差 4/1; S80/S20: cut 0.8 → 0.8·4 / 0.8·1 = 4.
// Theil (see src/engine/inequality.test.ts, the same data): T = (4/3)ln2 − ¾ln3, within ¼ln3 − ⅓ln2;
// L = ¾ln3 − ln2, within ½ln2 − ¼ln3.
const HOUSEHOLDS = [
  'household,region,income,note',
  'h1,urban,1,',
  'h2,rural,4,"a note, with a comma"',
  'h3,urban,3,',
  'h4,rural,4,',
  'h5,urban,,no answer',
].join('\n');

describe('inequalityFromCsv', () => {
  it('prints the documented keys in order, with known answers', () => {
    const r = inequalityFromCsv(HOUSEHOLDS, { value: 'income', group: 'region', brackets: '2-4,4-,-2' });
    expect(Object.keys(r)).toEqual([
      'n',
      'weightTotal',
      'mean',
      'median',
      'gini',
      'theilT',
      'theilL',
      'cv',
      'maxMinRatio',
      'quintileShareRatio',
      'excludedNonPositive',
      'brackets',
      'groups',
      'decomposition',
    ]);
    expect(r).toMatchObject({ n: 4, weightTotal: 4, mean: 3, median: 3, excludedNonPositive: 0 });
    expectRel(r.gini, 5 / 24, 'gini');
    expectRel(r.cv, sqrt(1.5) / 3, 'cv');
    expectRel(r.maxMinRatio, 4, 'maxMinRatio');
    expectRel(r.quintileShareRatio, 4, 'S80/S20');
    expectRel(r.theilT, (4 / 3) * ln2 - 0.75 * ln3, 'theilT');
    expectRel(r.theilL, 0.75 * ln3 - ln2, 'theilL');
    // [2, 4) holds 3; [4, ∞) holds 4 and 4; (−∞, 2) holds 1.
    expect(r.brackets).toEqual([
      { from: 2, to: 4, share: 0.25 },
      { from: 4, to: null, share: 0.5 },
      { from: null, to: 2, share: 0.25 },
    ]);
    expect(r.groups!.map((g) => Object.keys(g))).toEqual(
      Array(2).fill(['group', 'n', 'weightTotal', 'mean', 'gini', 'theilT', 'theilL']),
    );
    expect(r.groups![0]).toMatchObject({ group: 'urban', n: 2, weightTotal: 2, mean: 2, gini: 0.25 });
    expect(r.groups![1]).toMatchObject({ group: 'rural', n: 2, weightTotal: 2, mean: 4, gini: 0, theilT: 0 });
    expect(Object.keys(r.decomposition!)).toEqual(['theilT', 'theilL']);
    expect(Object.keys(r.decomposition!.theilT)).toEqual(['within', 'between']);
    expectRel(r.decomposition!.theilT.within, 0.25 * ln3 - ln2 / 3, 'T within');
    expectRel(r.decomposition!.theilT.between, (5 / 3) * ln2 - ln3, 'T between');
    expectRel(r.decomposition!.theilL.within, 0.5 * ln2 - 0.25 * ln3, 'L within');
    expectRel(r.decomposition!.theilL.between, ln3 - 1.5 * ln2, 'L between');
  });

  it('without --group there are no groups and no decomposition; without --brackets an empty list', () => {
    const r = inequalityFromCsv(HOUSEHOLDS, { value: 'income' });
    expect(r.groups).toBeUndefined();
    expect(r.decomposition).toBeUndefined();
    expect(r.brackets).toEqual([]);
    expect(JSON.stringify(r)).not.toContain('groups');
  });

  it('weights: population-weighted county values (weight 0 counts in n, a row without weight is missing)', () => {
    // Counties 2 (pop 1) and 1 (pop 3): μ = 5/4, G = 3/20, median 1, 倍差 2 (see the engine's test).
    const csv = 'county,pop,income\nA,1,2\nB,3,1\nC,0,100\nD,,50\n';
    const r = inequalityFromCsv(csv, { value: 'income', weight: 'pop', brackets: '1.5-' });
    expect(r).toMatchObject({ n: 3, weightTotal: 4, mean: 1.25, median: 1, maxMinRatio: 2 });
    expectRel(r.gini, 3 / 20, 'gini');
    expect(r.brackets).toEqual([{ from: 1.5, to: null, share: 0.25 }]);
  });

  it('prints null (never NaN) where a statistic is not available', () => {
    const r = inequalityFromCsv('x\n0\n0\n', { value: 'x', group: 'x' });
    expect(r).toMatchObject({ n: 2, mean: 0, gini: null, theilT: null, cv: null, maxMinRatio: null });
    expect(r.quintileShareRatio).toBeNull();
    expect(r.excludedNonPositive).toBe(2);
    expect(r.decomposition).toEqual({
      theilT: { within: null, between: null },
      theilL: { within: null, between: null },
    });
    const empty = inequalityFromCsv('x\n', { value: 'x', brackets: '0-1' });
    expect(empty).toMatchObject({ n: 0, weightTotal: 0, mean: null, median: null, brackets: [{ share: null }] });
    expect(JSON.stringify(empty)).not.toContain('NaN');
  });

  it.each([
    {
      why: 'a non-numeric value names the row (header = row 1) and the column',
      csv: 'id,income\na,1\nb,2\nc,12a\n',
      options: { value: 'income' },
      message: 'row 4, column "income": "12a" is not a number.',
    },
    {
      why: 'a non-numeric weight',
      csv: 'id,income,w\na,1,1\nb,2,many\n',
      options: { value: 'income', weight: 'w' },
      message: 'row 3, column "w": "many" is not a number.',
    },
    {
      why: 'a negative weight',
      csv: 'id,income,w\na,1,-2\n',
      options: { value: 'income', weight: 'w' },
      message: 'row 2, column "w": the weight -2 is negative.',
    },
    {
      why: 'a missing value column',
      csv: 'id,income\na,1\n',
      options: { value: 'salary' },
      message: 'the CSV file has no column "salary" (its columns: id, income).',
    },
    {
      why: 'a missing group column',
      csv: 'id,income\na,1\n',
      options: { value: 'income', group: 'county' },
      message: 'the CSV file has no column "county" (its columns: id, income).',
    },
    {
      why: 'an empty file',
      csv: '',
      options: { value: 'income' },
      message: 'the CSV file is empty; it needs a header row.',
    },
    {
      why: '"Infinity" is not a number here',
      csv: 'income\nInfinity\n',
      options: { value: 'income' },
      message: 'row 2, column "income": "Infinity" is not a number.',
    },
  ])('UsageError: $why', ({ csv, options, message }) => {
    expect(() => inequalityFromCsv(csv, options)).toThrow(new UsageError(message));
  });
});

describe('parseBrackets', () => {
  it('reads closed, open-top and open-bottom brackets', () => {
    expect(parseBrackets('100000-500000, 200000-600000,500000-,-100000,1e5-2.5e5')).toEqual([
      { from: 100000, to: 500000 },
      { from: 200000, to: 600000 },
      { from: 500000, to: null },
      { from: null, to: 100000 },
      { from: 100000, to: 250000 },
    ]);
  });

  it.each(['-', 'abc', '100000', '500000-100000', '5-5', '1-2-3', ''])('rejects "%s"', (spec) => {
    expect(() => parseBrackets(spec)).toThrow(UsageError);
  });
});

describe('register', () => {
  let dir: string | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('adds `calc inequality`, which prints the JSON of a file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'gongfu-inequality-'));
    const file = join(dir, 'households.csv');
    await writeFile(file, HOUSEHOLDS);
    const program = new Command('gongfu').exitOverride();
    register(program.command('calc'));
    const inequalityCommand = program.commands[0]!.commands.find((c) => c.name() === 'inequality');
    expect(inequalityCommand).toBeDefined();

    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((text: string) => void printed.push(text));
    await program.parseAsync(['calc', 'inequality', '--file', file, '--value', 'income', '--brackets', '2-4'], {
      from: 'user',
    });
    expect(printed).toHaveLength(1);
    expect(printed[0]).toBe(
      JSON.stringify(inequalityFromCsv(HOUSEHOLDS, { value: 'income', brackets: '2-4' }), null, 2),
    );
  });

  it('turns malformed CSV into a UsageError naming the file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'gongfu-inequality-'));
    const file = join(dir, 'bad.csv');
    await writeFile(file, 'income\n"unterminated\n');
    const program = new Command('gongfu').exitOverride();
    register(program.command('calc'));
    await expect(
      program.parseAsync(['calc', 'inequality', '--file', file, '--value', 'income'], { from: 'user' }),
    ).rejects.toThrow(UsageError);
  });
});
