import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../errors.js';
import { progressFromCsv, register, type ProgressCsvOptions } from './progress.js';

function expectRel(actual: number | null | undefined, expected: number, what: string): void {
  const ok = typeof actual === 'number' && Math.abs(actual - expected) <= Math.max(1e-9 * Math.abs(expected), 1e-12);
  expect(ok, `${what}: ${actual} vs expected ${expected}`).toBe(true);
}

// Coverage rates of three counties; B's 2022 is missing, C has one year.
const COVERAGE = [
  'county,year,coverage,note',
  'A,2020,0.80,',
  'B,2020,0.90,',
  'A,2021,0.84,',
  'B,2021,0.89,"a note, with a comma"',
  'B,2022,,not yet published',
  'C,2021,0.5,',
].join('\n');

const KEYS = [
  'series',
  'baseYear',
  'baseValue',
  'currentYear',
  'currentValue',
  'observedGrowth',
  'requiredGrowth',
  'progressValue',
  'score',
  'status',
];

const base: ProgressCsvOptions = { series: 'county', year: 'year', value: 'coverage', direction: 'up' };

describe('progressFromCsv', () => {
  it('without a target: one object per series, keys in the documented order, known answers', () => {
    const out = progressFromCsv(COVERAGE, base);
    expect(out.map((o) => o.series)).toEqual(['A', 'B', 'C']);
    for (const o of out) expect(Object.keys(o)).toEqual(KEYS);

    // A: 0.84 / 0.80 − 1 = 0.05 ≥ 0.015 → substantial; min(500 · 0.05 − 5, 5) = 5
    const [a, b, c] = out;
    expect(a).toMatchObject({ baseYear: 2020, baseValue: 0.8, currentYear: 2021, currentValue: 0.84 });
    expectRel(a!.observedGrowth, 0.05, 'A growth');
    expectRel(a!.progressValue, 0.05, 'A v');
    expect(a!.score).toBe(5);
    expect(a!.status).toBe('substantial_progress');
    expect(a!.requiredGrowth).toBeNull();

    // B: the current year is 2021 (2022 empty); 0.89/0.90 − 1 = −1/90; 125 · (−1/90) − 2.5 = −3.8888…
    expect(b!.currentYear).toBe(2021);
    expectRel(b!.progressValue, -1 / 90, 'B v');
    expectRel(b!.score, -125 / 90 - 2.5, 'B score');
    expect(b!.status).toBe('deterioration');

    // C: one year → not available, nulls (never NaN)
    expect(c).toEqual({
      series: 'C',
      baseYear: 2021,
      baseValue: 0.5,
      currentYear: 2021,
      currentValue: 0.5,
      observedGrowth: null,
      requiredGrowth: null,
      progressValue: null,
      score: null,
      status: 'not_available',
    });
  });

  it('with a target: 0.80 (2020) → 0.968 (2022) needs 1.21^(1/2) − 1 = 10% a year', () => {
    const out = progressFromCsv(COVERAGE, { ...base, target: '0.968', targetYear: '2022', baseYear: '2020' });
    const [a, b, c] = out;
    // A: g_o = 0.05, v = 0.05 / 0.1 = 0.5 ∈ [0, 0.6) → limited; 4.1667 · 0.5 − 2.5 = −0.41665
    expectRel(a!.requiredGrowth, 0.1, 'A g_r');
    expectRel(a!.progressValue, 0.5, 'A v');
    expectRel(a!.score, -0.41665, 'A score');
    expect(a!.status).toBe('limited_progress');
    // B: falls, v < 0
    expect(b!.status).toBe('deterioration');
    // C: no value in 2020, base = its first later year 2021 = the current year → not available
    expect(c!.baseYear).toBe(2021);
    expect(c!.status).toBe('not_available');
  });

  it('direction down and a limit', () => {
    // B falls 0.90 → 0.89: v = −1 · (−1/90) = 1/90 = 0.0111; limit 1: b = 0.9 ≤ L, C = 1 − 0.9^4.44,
    // thresholds 0.015C and 0.005C; 0.9^4.44 = e^(4.44 · ln 0.9) = e^(−0.467798) = 0.62636…, C = 0.37364…
    // 1/90 ≥ 0.015C = 0.0056 → substantial; score min(500 · (1/90)/C − 5, 5) = 5
    const out = progressFromCsv(COVERAGE, { ...base, direction: 'down', limit: '1' });
    expectRel(out[1]!.progressValue, 1 / 90, 'B v');
    expect(out[1]!.status).toBe('substantial_progress');
    expect(out[1]!.score).toBe(5);
  });

  it('without --series: one series named null', () => {
    const out = progressFromCsv('year,v\n2020,100\n2021,101\n', { year: 'year', value: 'v', direction: 'up' });
    expect(out).toHaveLength(1);
    expect(out[0]!.series).toBeNull();
    expectRel(out[0]!.score, 1.25, 'score'); // v = 0.01 → 250 · 0.01 − 1.25
    expect(out[0]!.status).toBe('moderate_progress');
  });

  it('an empty file (header only) gives an empty array', () => {
    expect(progressFromCsv('year,v\n', { year: 'year', value: 'v', direction: 'up' })).toEqual([]);
  });

  it.each([
    [
      'a bad value cell',
      'county,year,coverage\nA,2020,0.8\nA,2021,abc\n',
      base,
      /row 3, column "coverage": "abc" is not a number/,
    ],
    ['a bad year cell', 'county,year,coverage\nA,20x1,0.8\n', base, /row 2, column "year": "20x1" is not a year/],
    ['an empty year cell', 'county,year,coverage\nA,,0.8\n', base, /row 2, column "year"/],
    [
      'a year twice in a series',
      'county,year,coverage\nA,2020,1\nA,2020,2\n',
      base,
      /row 3.*2020 of series "A" is also on row 2/,
    ],
    ['a missing column', 'county,yr,coverage\n', base, /no column "year"/],
    ['an empty file', '', base, /empty/],
    ['--target without --target-year', COVERAGE, { ...base, target: '1' }, /go together/],
    ['a bad --target', COVERAGE, { ...base, target: 'x', targetYear: '2025' }, /--target: "x" is not a number/],
    ['a bad --base-year', COVERAGE, { ...base, baseYear: '2020.5' }, /--base-year/],
    ['a bad --direction', COVERAGE, { ...base, direction: 'sideways' }, /--direction must be up or down/],
  ] as const)('%s → UsageError', (_why, text, options, message) => {
    expect(() => progressFromCsv(text, options)).toThrow(UsageError);
    expect(() => progressFromCsv(text, options)).toThrow(message);
  });

  it('the same year in two series is fine', () => {
    expect(progressFromCsv('s,year,v\nA,2020,1\nB,2020,2\n', { ...base, series: 's', value: 'v' })).toHaveLength(2);
  });
});

describe('register', () => {
  let dir: string | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('adds `calc progress`, which prints the JSON of a file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'gongfu-progress-'));
    const file = join(dir, 'coverage.csv');
    await writeFile(file, COVERAGE);
    const program = new Command('gongfu').exitOverride();
    register(program.command('calc'));
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((text: string) => void printed.push(text));
    await program.parseAsync(
      [
        'calc',
        'progress',
        '--file',
        file,
        '--series',
        'county',
        '--year',
        'year',
        '--value',
        'coverage',
        '--direction',
        'up',
      ],
      { from: 'user' },
    );
    expect(printed).toHaveLength(1);
    expect(printed[0]).toBe(JSON.stringify(progressFromCsv(COVERAGE, base), null, 2));
  });

  it('turns malformed CSV into a UsageError', async () => {
    dir = await mkdtemp(join(tmpdir(), 'gongfu-progress-'));
    const file = join(dir, 'bad.csv');
    await writeFile(file, 'year,v\n"unterminated\n');
    const program = new Command('gongfu').exitOverride();
    register(program.command('calc'));
    await expect(
      program.parseAsync(['calc', 'progress', '--file', file, '--year', 'year', '--value', 'v', '--direction', 'up'], {
        from: 'user',
      }),
    ).rejects.toThrow(UsageError);
  });
});
