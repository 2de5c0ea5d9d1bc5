/**
 * The demo data against the Jinhua plan: deterministic, every value valid for its indicator and
 * unit, real figures kept as published and never replaced, sums that add up, per-capita values that
 * are population-weighted means, and the latest complete period taken from `asOf`.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValueInput } from '../domain/data.js';
import type { Indicator, Plan } from '../domain/plan.js';
import { checkNumber } from '../domain/validation.js';
import { parseOrgUnits } from '../ingest/org-units.js';
import { parsePlan } from '../ingest/plan.js';
import { generateDemoData, hashSeed, mulberry32, Rng, SYNTHETIC_SOURCE, type DemoData } from './generate.js';
import { parseStatisticsCsv, type RealFigure } from './real-figures.js';
import type { OrgUnitRow } from '../domain/org-unit.js';

const DIR = new URL('../../plans/jinhua-2021-2025/', import.meta.url);
const AS_OF = new Date('2026-11-29T10:00:00+08:00');

let plan: Plan;
let units: OrgUnitRow[];
let figures: RealFigure[];
let demo: DemoData;

const hash = (values: readonly ValueInput[]) => createHash('sha256').update(JSON.stringify(values)).digest('hex');
const byKey = (values: readonly ValueInput[]) => {
  const m = new Map<string, ValueInput[]>();
  for (const v of values) {
    const k = `${v.indicator}|${v.orgUnit}|${v.period}`;
    m.set(k, [...(m.get(k) ?? []), v]);
  }
  return m;
};
/** The current value: the last vintage of a key. */
const current = (m: Map<string, ValueInput[]>, ind: string, unit: string, period: string) => {
  const list = m.get(`${ind}|${unit}|${period}`);
  return list?.[list.length - 1];
};

beforeAll(() => {
  const p = parsePlan(readFileSync(new URL('plan.yaml', DIR), 'utf8'));
  if (!p.ok) throw new Error(JSON.stringify(p.problems.slice(0, 3)));
  plan = p.plan;
  const o = parseOrgUnits(readFileSync(new URL('org-units.csv', DIR), 'utf8'), 'org-units.csv');
  if (!o.ok) throw new Error(JSON.stringify(o.problems.slice(0, 3)));
  units = o.units;
  const s = parseStatisticsCsv(readFileSync(new URL('statistics.csv', DIR), 'utf8'));
  if (!s.ok) throw new Error(JSON.stringify(s.problems.slice(0, 3)));
  figures = s.figures;
  demo = generateDemoData({ plan, orgUnits: units, realFigures: figures, asOf: AS_OF });
});

describe('randomness', () => {
  it('mulberry32 repeats itself for a seed and differs between seeds', () => {
    const a = mulberry32(1);
    const b = mulberry32(1);
    const c = mulberry32(2);
    const xs = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(xs);
    expect(c()).not.toBe(xs[0]);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });

  it('derives different streams per label, stable across calls', () => {
    expect(hashSeed(7, 'INC_PC', '330782')).toBe(hashSeed(7, 'INC_PC', '330782'));
    expect(hashSeed(7, 'INC_PC', '330782')).not.toBe(hashSeed(7, 'INC_PC', '330783'));
    expect(hashSeed(7, 'ab', 'c')).not.toBe(hashSeed(7, 'a', 'bc'));
  });

  it('draws normals with the right moments', () => {
    const r = Rng.of(1, 'normal');
    const xs = Array.from({ length: 20000 }, () => r.normal(3, 2));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    expect(mean).toBeCloseTo(3, 1);
    expect(sd).toBeCloseTo(2, 1);
  });
});

describe('generateDemoData on the Jinhua plan', () => {
  it('is deterministic: the same inputs give identical output, another seed another', () => {
    const again = generateDemoData({ plan, orgUnits: units, realFigures: figures, asOf: AS_OF });
    expect(hash(again.values)).toBe(hash(demo.values));
    expect(again.summary).toEqual(demo.summary);
    const other = generateDemoData({ plan, orgUnits: units, realFigures: figures, asOf: AS_OF, seed: 7 });
    expect(hash(other.values)).not.toBe(hash(demo.values));
    // real figures do not depend on the seed
    expect(other.values.filter((v) => !v.synthetic)).toEqual(demo.values.filter((v) => !v.synthetic));
  });

  it('runs to the latest complete year before asOf: 2020–2025 for 2026-11-29', () => {
    expect(demo.summary.latest.year).toBe('2025');
    expect(demo.summary.years).toEqual({ from: 2020, to: 2025 });
    const periods = new Set(demo.values.filter((v) => v.synthetic).map((v) => v.period));
    expect([...periods].sort()).toEqual(['2020', '2021', '2022', '2023', '2024', '2025']);
  });

  it('fills every raw indicator at each level it applies to, and nothing else', () => {
    const indicators = new Map(plan.indicators.map((i) => [i.code, i]));
    const unitByCode = new Map(units.map((u) => [u.code, u]));
    const counties = units.filter((u) => u.level === 'county').length;
    for (const ind of plan.indicators) {
      const mine = demo.values.filter((v) => v.indicator === ind.code);
      if (ind.computation.kind !== 'raw') {
        expect(mine, ind.code).toHaveLength(0);
        continue;
      }
      const levels = new Set(mine.map((v) => unitByCode.get(v.orgUnit)?.level));
      const expected = ind.levels.filter((l) => l !== 'village' && l !== 'province');
      // the mountain-county ratio is for mountain counties only
      expect([...levels].sort(), ind.code).toEqual([...expected].sort());
      if (ind.levels.includes('county') && ind.code !== 'MOUNTAIN_COUNTY_INC_RATIO')
        expect(
          new Set(mine.filter((v) => v.orgUnit.length === 6 && v.orgUnit !== '330700').map((v) => v.orgUnit)).size,
        ).toBe(counties);
    }
    for (const v of demo.values) {
      const ind = indicators.get(v.indicator)!;
      expect(ind.periodicity).toBe('year');
      expect(ind.levels as readonly string[]).toContain(unitByCode.get(v.orgUnit)!.level);
    }
  });

  it('gives values that pass the unit and bounds checks (shares in [0, 1], counts whole)', () => {
    const indicators = new Map(plan.indicators.map((i) => [i.code, i]));
    const problems = demo.values.flatMap((v) =>
      v.synthetic ? checkNumber(v.value, indicators.get(v.indicator)!, plan, {}, v).map((i) => i.code) : [],
    );
    expect(problems).toEqual([]);
    expect(demo.values.every((v) => typeof v.value === 'number' && Number.isFinite(v.value))).toBe(true);
  });

  it('keeps real figures as published, with source and vintage, and never replaces them', () => {
    const m = byKey(demo.values);
    const unitCodes = new Set(units.map((u) => u.code));
    const raw = new Set(plan.indicators.filter((i) => i.computation.kind === 'raw').map((i) => i.code));
    const usable = figures.filter((f) => raw.has(f.indicator) && unitCodes.has(f.orgUnit) && Number(f.period) <= 2025);
    expect(usable.length).toBeGreaterThan(80);
    for (const f of usable) {
      const list = m.get(`${f.indicator}|${f.orgUnit}|${f.period}`) ?? [];
      expect(
        list.every((v) => v.synthetic === false),
        `${f.indicator} ${f.orgUnit} ${f.period}`,
      ).toBe(true);
      const match = list.find((v) => v.value === f.value && v.vintage === f.vintage);
      expect(match, `${f.indicator} ${f.orgUnit} ${f.period}`).toBeDefined();
      expect(match!.source).toContain(f.url);
    }
    expect(demo.summary.real).toBe(usable.length);
    // the city's 2021 income and both vintages of 2022 GDP, the final one last
    expect(current(m, 'INC_PC', '330700', '2021')).toMatchObject({ value: 55880, synthetic: false });
    expect(m.get('GDP|330700|2022')!.map((v) => [v.value, v.vintage])).toEqual([
      [556247000000, 'preliminary'],
      [559202000000, 'final'],
    ]);
    for (const v of demo.values.filter((x) => x.synthetic)) expect(v.source).toBe(SYNTHETIC_SOURCE);
  });

  it('says why the real figures it did not use were not used', () => {
    const reasons = demo.summary.realNotUsed;
    expect(reasons.find((r) => r.indicator === 'URBANIZATION_RATE')?.reason).toMatch(/computed/);
    expect(reasons.find((r) => r.orgUnit === '330000')?.reason).toMatch(/not one of the plan/);
    expect(demo.summary.real + reasons.length).toBe(figures.length);
  });

  it('adds counties up to the city for sum indicators, and to a real city figure where there is one', () => {
    const m = byKey(demo.values);
    const counties = units.filter((u) => u.level === 'county').map((u) => u.code);
    let checked = 0;
    for (const ind of plan.indicators) {
      if (ind.computation.kind !== 'raw' || ind.aggregation.method !== 'sum' || !ind.levels.includes('county'))
        continue;
      for (let y = 2020; y <= 2025; y++) {
        const city = current(m, ind.code, '330700', String(y))!;
        const parts = counties.map((c) => current(m, ind.code, c, String(y))!);
        if (parts.every((p) => !p.synthetic)) continue; // all published: they need not add up
        const sum = parts.reduce((a, p) => a + (p.value as number), 0);
        const tolerance = ind.unit === '100m_yuan' ? 1e6 : 1;
        expect(Math.abs(sum - (city.value as number)), `${ind.code} ${y}`).toBeLessThanOrEqual(tolerance);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(250);
  });

  it('makes the city’s synthetic per-capita income the population-weighted mean of its counties', () => {
    const m = byKey(demo.values);
    const counties = units.filter((u) => u.level === 'county').map((u) => u.code);
    for (const y of ['2020', '2023', '2025']) {
      const city = current(m, 'INC_PC', '330700', y)!;
      expect(city.synthetic).toBe(true);
      let s = 0;
      let w = 0;
      for (const c of counties) {
        const pop = current(m, 'POP_RESIDENT', c, y)!.value as number;
        s += (current(m, 'INC_PC', c, y)!.value as number) * pop;
        w += pop;
      }
      expect(Math.abs((city.value as number) / (s / w) - 1)).toBeLessThan(0.002);
    }
  });

  it('keeps counties apart: 义乌 richest, 磐安 poorest, the max/min income ratio near the plan’s 2.2', () => {
    const m = byKey(demo.values);
    const counties = units.filter((u) => u.level === 'county').map((u) => u.code);
    const ratios: number[] = [];
    for (let y = 2020; y <= 2025; y++) {
      const inc = counties.map((c) => current(m, 'INC_PC', c, String(y))!.value as number);
      expect(counties[inc.indexOf(Math.max(...inc))]).toBe('330782');
      expect(counties[inc.indexOf(Math.min(...inc))]).toBe('330727');
      ratios.push(Math.max(...inc) / Math.min(...inc));
    }
    for (const r of ratios) expect(r).toBeGreaterThan(1.9);
    for (const r of ratios) expect(r).toBeLessThan(2.4);
    expect(ratios.some((r) => r > 2.2)).toBe(true); // the published 2021 figures already breach it
    expect(ratios.some((r) => r <= 2.2)).toBe(true);
    // incomes grow
    const city = ['2020', '2021', '2022', '2023', '2024', '2025'].map(
      (y) => current(m, 'INC_PC', '330700', y)!.value as number,
    );
    for (let i = 1; i < city.length; i++) expect(city[i]!).toBeGreaterThan(city[i - 1]!);
  });

  it('splits resident income into urban and rural incomes that bracket it', () => {
    const m = byKey(demo.values);
    for (const u of ['330700', ...units.filter((x) => x.level === 'county').map((x) => x.code)])
      for (let y = 2020; y <= 2025; y++) {
        const inc = current(m, 'INC_PC', u, String(y))!.value as number;
        const urban = current(m, 'INC_URBAN_PC', u, String(y))!.value as number;
        const rural = current(m, 'INC_RURAL_PC', u, String(y))!.value as number;
        expect(urban).toBeGreaterThan(inc);
        expect(rural).toBeLessThan(inc);
        expect(urban / rural).toBeGreaterThan(1.5);
        expect(urban / rural).toBeLessThan(2.5);
      }
  });

  it('gives town shares of villages as k of the town’s villages, and the county the ratio of sums', () => {
    const rural = new Map<string, number>();
    for (const u of units)
      if (u.level === 'village' && u.attributes.urban === '0') rural.set(u.parent!, (rural.get(u.parent!) ?? 0) + 1);
    const m = byKey(demo.values);
    const towns = units.filter((u) => u.level === 'town');
    const code = 'VILLAGE_CULTURAL_AUDITORIUM_COVERAGE';
    let withValue = 0;
    for (const t of towns) {
      const n = rural.get(t.code) ?? 0;
      const v = current(m, code, t.code, '2023');
      if (n === 0) {
        expect(v).toBeUndefined();
        continue;
      }
      withValue++;
      const k = (v!.value as number) * n;
      expect(Math.abs(k - Math.round(k))).toBeLessThan(0.01 * n);
    }
    expect(withValue).toBeGreaterThan(100);
    const county = '330782';
    let num = 0;
    let den = 0;
    for (const t of towns.filter((x) => x.parent === county)) {
      const n = rural.get(t.code) ?? 0;
      if (n === 0) continue;
      num += Math.round((current(m, code, t.code, '2023')!.value as number) * n);
      den += n;
    }
    expect(current(m, code, county, '2023')!.value).toBeCloseTo(num / den, 4);
  });

  it('marks some indicators as lagging and summarises counts by indicator and level', () => {
    const s = demo.summary;
    expect(s.total).toBe(demo.values.length);
    expect(s.real + s.synthetic).toBe(s.total);
    expect(Object.values(s.byLevel).reduce((a, b) => a + b.real + b.synthetic, 0)).toBe(s.total);
    expect(s.byIndicator.INC_PC).toMatchObject({ byLevel: { city: 6, county: 54 } });
    expect(s.lagging.length).toBeGreaterThan(10);
    expect(s.lagging.length).toBeLessThan(plan.indicators.length / 2);
    expect(s.weak).toEqual([]);
    expect(s.skipped.map((x) => x.indicator)).toContain('URBANIZATION_RATE');
  });

  it('stops at the latest complete year for an earlier asOf and leaves later real figures out', () => {
    const early = generateDemoData({
      plan,
      orgUnits: units,
      realFigures: figures,
      asOf: new Date('2024-03-01T00:00:00+08:00'),
    });
    expect(early.summary.latest.year).toBe('2023');
    expect(Math.max(...early.values.map((v) => Number(v.period)))).toBe(2023);
    expect(early.summary.realNotUsed.some((r) => r.period === '2024' && /after the latest/.test(r.reason))).toBe(true);
    // 1 January 00:00 in Jinhua: the year before has just ended
    const newYear = generateDemoData({ plan, orgUnits: units, asOf: new Date('2024-01-01T00:00:00+08:00') });
    expect(newYear.summary.latest.year).toBe('2023');
  });

  it('works without any real figures', () => {
    const none = generateDemoData({ plan, orgUnits: units, asOf: AS_OF });
    expect(none.summary.real).toBe(0);
    expect(none.values.every((v) => v.synthetic)).toBe(true);
    const indicators = new Map(plan.indicators.map((i) => [i.code, i]));
    for (const v of none.values) expect(checkNumber(v.value, indicators.get(v.indicator)!, plan, {})).toEqual([]);
  });
});

describe('months, quarters and village-level indicators', () => {
  /** The Jinhua plan with a few indicators made monthly or quarterly, one reported by villages too. */
  function variant(): Plan {
    const change = (ind: Indicator): Indicator => {
      switch (ind.code) {
        case 'GRAIN_OUTPUT':
          return { ...ind, periodicity: 'month', levels: ['city', 'county', 'town'] };
        case 'PM25':
          return { ...ind, periodicity: 'month' };
        case 'HITECH_ENTERPRISES':
          return { ...ind, periodicity: 'quarter' };
        case 'VILLAGE_HEMEI_STANDARD_RATE':
          return { ...ind, levels: [...ind.levels, 'village'] };
        default:
          return ind;
      }
    };
    return { ...plan, indicators: plan.indicators.map(change) };
  }

  it('fills complete months and quarters only, with flows that add up across units', () => {
    const p = variant();
    const d = generateDemoData({ plan: p, orgUnits: units, asOf: new Date('2025-08-15T12:00:00+08:00') });
    expect(d.summary.latest).toMatchObject({ year: '2024', quarter: '2025Q2', month: '202507' });
    const grain = d.values.filter((v) => v.indicator === 'GRAIN_OUTPUT');
    const months = [...new Set(grain.map((v) => v.period))].sort();
    expect(months[0]).toBe('202001');
    expect(months[months.length - 1]).toBe('202507');
    expect(months).toHaveLength(67);
    const quarters = [
      ...new Set(d.values.filter((v) => v.indicator === 'HITECH_ENTERPRISES').map((v) => v.period)),
    ].sort();
    expect(quarters[quarters.length - 1]).toBe('2025Q2');
    expect(quarters).toHaveLength(22);
    // the city's month is the sum of its counties', a county's the sum of its towns'
    const m = byKey(d.values);
    const counties = units.filter((u) => u.level === 'county');
    for (const period of ['202002', '202312', '202507']) {
      const city = current(m, 'GRAIN_OUTPUT', '330700', period)!.value as number;
      expect(counties.reduce((a, c) => a + (current(m, 'GRAIN_OUTPUT', c.code, period)!.value as number), 0)).toBe(
        city,
      );
      const c = counties[0]!;
      const towns = units.filter((u) => u.parent === c.code);
      expect(towns.reduce((a, t) => a + (current(m, 'GRAIN_OUTPUT', t.code, period)!.value as number), 0)).toBe(
        current(m, 'GRAIN_OUTPUT', c.code, period)!.value,
      );
    }
    // seasonal: December above February
    const city = (period: string) => current(m, 'GRAIN_OUTPUT', '330700', period)!.value as number;
    for (const y of [2020, 2021, 2022, 2023, 2024]) expect(city(`${y}12`)).toBeGreaterThan(city(`${y}02`));
    // PM2.5 is higher in winter
    const pm = (period: string) => current(m, 'PM25', '330700', period)!.value as number;
    expect(pm('202301')).toBeGreaterThan(pm('202307'));
    const indicators = new Map(p.indicators.map((i) => [i.code, i]));
    for (const v of d.values) expect(checkNumber(v.value, indicators.get(v.indicator)!, p, {})).toEqual([]);
  });

  it('says it skips the village level', () => {
    const d = generateDemoData({ plan: variant(), orgUnits: units, asOf: AS_OF });
    expect(d.summary.skipped.find((s) => s.indicator === 'VILLAGE_HEMEI_STANDARD_RATE')?.reason).toMatch(/village/);
    expect(d.values.some((v) => v.orgUnit.length === 12)).toBe(false);
  });
});
