/**
 * Benchmark data at small sizes: the indicators are valid plan indicators, rows are deterministic and
 * consistent (a share is its numerator over its denominator), the CSV writer writes exactly what it is
 * asked under back-pressure, and the household arrays are what the inequality benchmark expects.
 */
import { existsSync, readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { indicator as indicatorSchema } from '../domain/plan.js';
import { parseCsv } from '../ingest/csv.js';
import { parseOrgUnits } from '../ingest/org-units.js';
import {
  forEachScaleRow,
  leafUnits,
  scaleHouseholds,
  scaleIndicators,
  scaleRowCount,
  scaleRows,
  scaleValue,
  writeLongCsv,
  type ScaleRow,
} from './scale.js';

/** A province of 2 cities, 3 counties, 5 towns and 12 villages; one town has no villages. */
const TREE = [
  { code: '330000', level: 'province', parent: null },
  { code: '330100', level: 'city', parent: '330000' },
  { code: '330200', level: 'city', parent: '330000' },
  { code: '330101', level: 'county', parent: '330100' },
  { code: '330102', level: 'county', parent: '330100' },
  { code: '330201', level: 'county', parent: '330200' },
  ...['330101001', '330101002', '330102001', '330201001', '330201002'].map((code) => ({
    code,
    level: 'town',
    parent: code.slice(0, 6),
  })),
  ...Array.from({ length: 12 }, (_, i) => {
    const town = ['330101001', '330101002', '330102001', '330201001'][i % 4]!;
    return { code: `${town}${String(i + 1).padStart(3, '0')}`, level: 'village', parent: town };
  }),
];

describe('scaleIndicators', () => {
  it('makes IND001… with sum, mean and ratio rules, each valid as a plan indicator', () => {
    const inds = scaleIndicators(12);
    expect(inds.map((i) => i.code)).toEqual(
      Array.from({ length: 12 }, (_, i) => `IND${String(i + 1).padStart(3, '0')}`),
    );
    expect(inds.map((i) => i.aggregation.method)).toEqual([
      'sum',
      'sum',
      'sum',
      'mean',
      'ratio',
      'sum',
      'sum',
      'sum',
      'mean',
      'ratio',
      'sum',
      'sum',
    ]);
    expect(inds[4]!.aggregation).toEqual({ method: 'ratio', numerator: 'IND002', denominator: 'IND001' });
    for (const ind of inds) expect(indicatorSchema.safeParse(ind).success, ind.code).toBe(true);
    expect(inds.every((i) => i.periodicity === 'month')).toBe(true);
  });
});

describe('scale rows', () => {
  const units = leafUnits(TREE);
  const options = { units, indicators: 7, months: 14, startYear: 2020, seed: 3 };

  it('reports by the leaf units: villages and towns without villages', () => {
    expect(units.map((u) => u.code)).toContain('330201002');
    expect(units.filter((u) => u.code.length === 12)).toHaveLength(12);
    expect(units).toHaveLength(13);
  });

  it('yields indicators × months × units rows, deterministically, in a fixed order', () => {
    const rows = [...scaleRows(options)];
    expect(rows).toHaveLength(scaleRowCount(options));
    expect(rows).toHaveLength(7 * 14 * 13);
    expect(rows[0]).toMatchObject({ indicator: 'IND001', orgUnit: units[0]!.code, period: '202001' });
    expect(rows[rows.length - 1]).toMatchObject({ indicator: 'IND007', period: '202102' });
    expect([...scaleRows(options)]).toEqual(rows);
    expect([...scaleRows({ ...options, seed: 4 })]).not.toEqual(rows);
    const viaCallback: ScaleRow[] = [];
    forEachScaleRow(options, (indicator, orgUnit, period, value) =>
      viaCallback.push({ indicator, orgUnit, period, value }),
    );
    expect(viaCallback).toEqual(rows);
  });

  it('keeps values in their units: counts whole, part ≤ base, share = part / base, score in [0, 100]', () => {
    const at = new Map([...scaleRows(options)].map((r) => [`${r.indicator}|${r.orgUnit}|${r.period}`, r.value]));
    for (const u of units)
      for (const p of ['202001', '202012', '202102']) {
        const base = at.get(`IND001|${u.code}|${p}`)!;
        const part = at.get(`IND002|${u.code}|${p}`)!;
        expect(Number.isInteger(base) && Number.isInteger(part)).toBe(true);
        expect(part).toBeLessThanOrEqual(base);
        expect(at.get(`IND005|${u.code}|${p}`)).toBeCloseTo(part / base, 6);
        const score = at.get(`IND004|${u.code}|${p}`)!;
        expect(score >= 0 && score <= 100).toBe(true);
        expect(at.get(`IND003|${u.code}|${p}`)!).toBeGreaterThan(0);
      }
  });

  it('is lazy: taking a few rows does not compute the rest', () => {
    const it = scaleRows({ units, indicators: 1_000_000, months: 1_000 });
    const first = [it.next().value, it.next().value] as ScaleRow[];
    expect(first[1]!.orgUnit).toBe(units[1]!.code);
    expect(scaleValue(1, 4, 0, 0)).toBe(scaleValue(1, 4, 0, 0));
  });
});

describe('writeLongCsv', () => {
  /** A slow sink with a tiny buffer, so the writer has to wait for 'drain'. */
  function sink() {
    const chunks: string[] = [];
    const stream = new Writable({
      highWaterMark: 64,
      write(chunk: Buffer, _enc, done) {
        chunks.push(chunk.toString('utf8'));
        setImmediate(done);
      },
    });
    return { stream, text: () => chunks.join('') };
  }
  const options = { units: leafUnits(TREE), indicators: 3, months: 24 };

  it('writes a header and exactly the rows asked for', async () => {
    const s = sink();
    const n = await writeLongCsv(s.stream, 500, options);
    expect(n).toBe(500);
    const rows = parseCsv(s.text());
    expect(rows[0]).toEqual(['indicator', 'org_unit', 'period', 'value']);
    expect(rows).toHaveLength(501);
    const first = [...scaleRows(options)].slice(0, 500);
    expect(rows.slice(1).map((r) => [r[0], r[1], r[2], Number(r[3])])).toEqual(
      first.map((r) => [r.indicator, r.orgUnit, r.period, r.value]),
    );
  });

  it('stops at the rows there are', async () => {
    const s = sink();
    expect(await writeLongCsv(s.stream, 1e9, options)).toBe(3 * 24 * 13);
  });
});

describe('scaleHouseholds', () => {
  it('fills typed arrays deterministically, with county means that differ', () => {
    const h = scaleHouseholds({ households: 50_000, counties: 9, seed: 5 });
    expect(h.income).toBeInstanceOf(Float64Array);
    expect(h.weight).toBeInstanceOf(Float64Array);
    expect(h.county).toBeInstanceOf(Int32Array);
    expect(h.income).toHaveLength(50_000);
    expect(h.counties).toHaveLength(9);
    expect(Math.min(...h.county)).toBe(0);
    expect(Math.max(...h.county)).toBe(8);
    expect(h.weight.every((w) => w >= 200 && w <= 800)).toBe(true);
    expect(h.income.every((y) => y > 0)).toBe(true);
    const again = scaleHouseholds({ households: 50_000, counties: 9, seed: 5 });
    expect(again.income).toEqual(h.income);
    const means = h.counties.map((_, c) => {
      let s = 0;
      let n = 0;
      h.county.forEach((k, i) => {
        if (k === c) {
          s += h.income[i]!;
          n++;
        }
      });
      return s / n;
    });
    expect(Math.max(...means) / Math.min(...means)).toBeGreaterThan(1.1);
    const overall = h.income.reduce((a, b) => a + b, 0) / h.income.length;
    expect(overall).toBeGreaterThan(30_000);
    expect(overall).toBeLessThan(120_000);
  });

  it('names the counties it is given', () => {
    expect(scaleHouseholds({ households: 10, counties: ['330782', '330727'] }).counties).toEqual(['330782', '330727']);
    expect(() => scaleHouseholds({ households: 10, counties: [] })).toThrow(RangeError);
  });
});

const ZHEJIANG = new URL('../../data-sets/zhejiang-org-units.csv', import.meta.url);
describe.skipIf(!existsSync(ZHEJIANG))('the Zhejiang org units', () => {
  it('give about 25,500 reporting units, and the first rows of a province-scale run', () => {
    const o = parseOrgUnits(readFileSync(ZHEJIANG, 'utf8'), 'zhejiang-org-units.csv');
    if (!o.ok) throw new Error(JSON.stringify(o.problems.slice(0, 3)));
    const leaves = leafUnits(o.units);
    expect(leaves.length).toBeGreaterThan(25_000);
    expect(scaleRowCount({ units: leaves })).toBeGreaterThan(180_000_000);
    let n = 0;
    forEachScaleRow({ units: leaves, indicators: 1, months: 2 }, () => n++);
    expect(n).toBe(2 * leaves.length);
  });
});
