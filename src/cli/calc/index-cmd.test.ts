import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../errors.js';
import { INDEX_METHODS, calcIndex, parseCriteria, register } from './index-cmd.js';

function expectRel(actual: number, expected: number, rel = 1e-9) {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(Math.abs(expected), 1e-300));
}

/** Runs `fn`, expecting a UsageError whose message matches. */
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

// Hwang & Yoon (1981), pp. 133–134, fighter aircraft (see engine/topsis.test.ts for the working).
const fighters = `aircraft,speed,range,payload,cost,reliability,manoeuvrability
A1,2.0,1500,20000,5.5,5,9
A2,2.5,2700,18000,6.5,3,5
A3,1.8,2000,21000,4.5,7,7
A4,2.2,1800,20000,5.0,5,5
`;
const fighterCriteria = 'speed:up,range:up,payload:up,cost:down,reliability:up,manoeuvrability:up';

// The min–max entropy example of engine/weights.test.ts: c1 (up) 10, 20, 40 → 0, 1/3, 1;
// c2 (down) 5, 3, 4 → 0, 1, ½; e = (2L − ¾, 1 − (2/3)L) with L = ln 2 / ln 3;
// w = (0.53714987055438781898, 0.46285012944561218102).
const small = `county,c1,c2
x,10,5
y,20,3
z,40,4
`;
const W1 = 0.5371498705543878;
const W2 = 0.46285012944561216;

describe('calcIndex', () => {
  it('topsis with --weights: Hwang & Yoon (1981), sorted by rank', () => {
    const out = calcIndex(fighters, {
      id: 'aircraft',
      criteria: fighterCriteria,
      method: 'topsis',
      weights: 'speed=0.2,range=0.1,payload=0.1,cost=0.1,reliability=0.2,manoeuvrability=0.3',
    });
    expect(out.entropy).toBeUndefined();
    expectRel(out.weights.manoeuvrability!, 0.3);
    expect(out.scores.map((s) => [s.id, s.rank])).toEqual([
      ['A1', 1],
      ['A3', 2],
      ['A4', 3],
      ['A2', 4],
    ]);
    const score = Object.fromEntries(out.scores.map((s) => [s.id, s.score!]));
    expectRel(score.A1!, 0.6432770005532701);
    expectRel(score.A2!, 0.2683835677194119);
    expectRel(score.A3!, 0.6135422900072309);
    expectRel(score.A4!, 0.31229106558175435);
  });

  it('topsis without --weights uses equal weights', () => {
    const out = calcIndex(small, { id: 'county', criteria: 'c1:up,c2:down', method: 'topsis' });
    expect(out.weights).toEqual({ c1: 0.5, c2: 0.5 });
  });

  it('entropy: entropy weights of min–max values, score = weighted sum (by hand)', () => {
    // Scores: x = 0; y = W1/3 + W2; z = W1 + W2/2.
    const out = calcIndex(small, { id: 'county', criteria: 'c1:up,c2:down', method: 'entropy' });
    const L = Math.log(2) / Math.log(3);
    expectRel(out.entropy!.c1!, 2 * L - 0.75);
    expectRel(out.entropy!.c2!, 1 - (2 / 3) * L);
    expectRel(out.weights.c1!, W1);
    expectRel(out.weights.c2!, W2);
    expect(out.scores.map((s) => [s.id, s.rank])).toEqual([
      ['z', 1],
      ['y', 2],
      ['x', 3],
    ]);
    expectRel(out.scores[0]!.score!, 0.7685749352771939);
    expectRel(out.scores[1]!.score!, 0.6419000862970747);
    expect(out.scores[2]!.score).toBe(0);
  });

  it('entropy-topsis: entropy weights feed TOPSIS on the min–max values (by hand)', () => {
    // Min–max matrix x' = (0, 0), (1/3, 1), (1, ½); column norms √10/3 and √5/2, so
    // r = (0, 0), (1/√10, 2/√5), (3/√10, 1/√5); v = w·r; A⁺ = (3W1/√10, 2W2/√5), A⁻ = (0, 0).
    // x: D⁻ = 0 → 0. y: D⁺ = 2W1/√10, D⁻ = √(W1²/10 + 4W2²/5). z: D⁺ = W2/√5, D⁻ = √(9W1²/10 + W2²/5).
    // Evaluated at 40 digits: y 0.56844195215023149294, z 0.72656658584512134758.
    const out = calcIndex(small, { id: 'county', criteria: 'c1:up,c2:down', method: 'entropy-topsis' });
    expectRel(out.weights.c1!, W1);
    expect(out.entropy).toBeDefined();
    expect(out.scores.map((s) => s.id)).toEqual(['z', 'y', 'x']);
    expectRel(out.scores[0]!.score!, 0.7265665858451213);
    expectRel(out.scores[1]!.score!, 0.5684419521502315);
    expect(out.scores[2]!.score).toBe(0);
    const y = Math.sqrt(W1 ** 2 / 10 + (4 * W2 ** 2) / 5);
    expectRel(out.scores[1]!.score!, y / ((2 * W1) / Math.sqrt(10) + y));
  });

  it.each(INDEX_METHODS)(
    '%s: a row with a missing value gets null and comes last; ties share a rank, by id',
    (method) => {
      const csv = `id,a,b
k2,1,1
k1,1,1
gap,,5
na,NA,1
k0,2,2
`;
      const out = calcIndex(csv, { id: 'id', criteria: 'a:up,b:up', method });
      expect(out.scores.map((s) => [s.id, s.rank])).toEqual([
        ['k0', 1],
        ['k1', 2],
        ['k2', 2],
        ['gap', null],
        ['na', null],
      ]);
      expect(out.scores[3]!.score).toBeNull();
      expect(JSON.stringify(out)).not.toContain('NaN');
    },
  );

  it.each(INDEX_METHODS)('%s: one row, and all rows equal', (method) => {
    const one = calcIndex('id,a,b\nonly,3,4\n', { id: 'id', criteria: 'a:up,b:down', method });
    expect(one.scores).toEqual([{ id: 'only', score: 1, rank: 1 }]);
    const equal = calcIndex('id,a,b\np,3,4\nq,3,4\n', { id: 'id', criteria: 'a:up,b:down', method });
    expect(equal.scores.map((s) => [s.id, s.score, s.rank])).toEqual([
      ['p', 1, 1],
      ['q', 1, 1],
    ]);
  });

  it('negative values: refused for raw TOPSIS, naming row and column; fine after min–max', () => {
    const csv = 'id,growth,b\np,0.05,1\nq,-0.02,2\n';
    usageError(
      () => calcIndex(csv, { id: 'id', criteria: 'growth:up,b:up', method: 'topsis' }),
      'row 3, column "growth": -0.02 is negative; topsis needs values ≥ 0 — add --normalise minmax',
    );
    usageError(
      () => calcIndex(csv, { id: 'id', criteria: 'growth:up,b:up', method: 'entropy-topsis', normalise: 'none' }),
      /row 3, column "growth"/,
    );
    const out = calcIndex(csv, { id: 'id', criteria: 'growth:up,b:up', method: 'topsis', normalise: 'minmax' });
    expect(out.scores.map((s) => s.rank)).toEqual([1, 1]); // each best on one criterion: 0.5 and 0.5
  });

  it('reads quoted fields, CRLF, a BOM, blank lines and spaces around numbers', () => {
    const csv = '\uFEFF"id","a"\r\n"金华, 婺城",  3 \r\n\r\nb,1e1\r\n';
    const out = calcIndex(csv, { id: 'id', criteria: 'a:up', method: 'topsis' });
    expect(out.scores.map((s) => s.id)).toEqual(['b', '金华, 婺城']);
  });

  it('bad input → UsageError naming the row and column', () => {
    const opts = { id: 'county', criteria: 'c1:up,c2:down', method: 'entropy' };
    usageError(() => calcIndex('', opts), /empty/);
    usageError(() => calcIndex('county,c1,c2\n', opts), /no data rows/);
    usageError(() => calcIndex(small, { ...opts, id: 'name' }), /no column "name" \(--id\).*county, c1, c2/);
    usageError(() => calcIndex(small, { ...opts, criteria: 'c1:up,c3:up' }), /no column "c3"/);
    usageError(() => calcIndex('county,c1,c2\nx,1,abc\n', opts), 'row 2, column "c2": "abc" is not a number');
    usageError(() => calcIndex('county,c1,c2\nx,1,0x10\n', opts), /"0x10" is not a number/);
    usageError(
      () => calcIndex('county,c1,c2\nx,1,2\nx,3,4\n', opts),
      'row 3, column "county": id "x" appears again (first in row 2)',
    );
    usageError(() => calcIndex('county,c1,c2\n,1,2\n', opts), /row 2, column "county": the id is empty/);
    usageError(() => calcIndex('county,c1,c2\nx,1\n', opts), 'row 2 has 2 fields; the header has 3');
    usageError(() => calcIndex('county,c1,c1\nx,1,2\n', { ...opts, criteria: 'c1:up' }), /appears twice/);
    usageError(() => calcIndex('county,c1,c2\nx,,2\n', opts), /no row has a value in every criterion/);
    usageError(() => calcIndex('county,c1\n"x,1\n', { ...opts, criteria: 'c1:up' }), /malformed.*unterminated/);
  });

  it('bad options → UsageError', () => {
    const opts = { id: 'county', criteria: 'c1:up,c2:down', method: 'topsis' };
    usageError(
      () => calcIndex(small, { ...opts, method: 'vikor' }),
      /"vikor" is not one of entropy, topsis, entropy-topsis/,
    );
    usageError(() => calcIndex(small, { ...opts, normalise: 'zscore' }), /--normalise "zscore"/);
    usageError(() => calcIndex(small, { ...opts, method: 'entropy', normalise: 'none' }), /not allowed/);
    usageError(
      () => calcIndex(small, { ...opts, method: 'entropy', weights: 'c1=1,c2=1' }),
      /--weights applies to --method topsis/,
    );
    usageError(() => calcIndex(small, { ...opts, weights: 'c1=0.5' }), /no weight for c2/);
    usageError(() => calcIndex(small, { ...opts, weights: 'c1=0.5,c3=0.5' }), /"c3", which is not in --criteria/);
    usageError(() => calcIndex(small, { ...opts, weights: 'c1=-1,c2=1' }), /negative/);
    usageError(() => calcIndex(small, { ...opts, weights: 'c1=x,c2=1' }), /"x", not a number/);
    usageError(() => calcIndex(small, { ...opts, weights: 'c1=0,c2=0' }), /sum to 0/);
    usageError(() => calcIndex(small, { ...opts, weights: 'c1,c2=1' }), /needs a value/);
    usageError(() => calcIndex(small, { ...opts, criteria: 'county:up' }), /is the id/);
  });

  it('weights are scaled to sum 1', () => {
    const out = calcIndex(small, { id: 'county', criteria: 'c1:up,c2:down', method: 'topsis', weights: 'c1=3,c2=1' });
    expect(out.weights).toEqual({ c1: 0.75, c2: 0.25 });
  });
});

describe('parseCriteria', () => {
  it('reads names and directions', () => {
    expect(parseCriteria(' income:up , gap:down ')).toEqual([
      { name: 'income', direction: 'up' },
      { name: 'gap', direction: 'down' },
    ]);
    expect(parseCriteria('a:b:up')).toEqual([{ name: 'a:b', direction: 'up' }]);
  });
  it.each([
    ['', /names no criterion/],
    ['income', /needs a column and a direction/],
    [':up', /needs a column and a direction/],
    ['income:higher', /direction "higher"; use up/],
    ['a:up,a:down', /listed twice/],
  ])('%j → UsageError', (spec, message) => {
    usageError(() => parseCriteria(spec), message);
  });
});

describe('register', () => {
  let dir: string | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('adds `index` to the calc command and prints JSON', async () => {
    dir = await mkdtemp(join(tmpdir(), 'gongfu-index-'));
    const file = join(dir, 'small.csv');
    await writeFile(file, small);
    const calc = new Command('calc').exitOverride();
    register(calc);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await calc.parseAsync(
      ['index', '--file', file, '--id', 'county', '--criteria', 'c1:up,c2:down', '--method', 'entropy'],
      {
        from: 'user',
      },
    );
    const printed = JSON.parse(log.mock.calls[0]![0] as string);
    expect(printed.scores.map((s: { id: string }) => s.id)).toEqual(['z', 'y', 'x']);
    expect(Object.keys(printed)).toEqual(['weights', 'entropy', 'scores']);
  });
});
