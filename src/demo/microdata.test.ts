/**
 * Household microdata: calibrated to the county means, a plausible spread (Gini of per-capita income
 * by an O(n²) definition, independent of the engine), plausible income brackets, deterministic.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ValueInput } from '../domain/data.js';
import {
  countyYearIncomes,
  generateMicrodata,
  householdRecords,
  householdsOf,
  surveyUrbanShare,
  type CountyYearIncome,
  type HouseholdRecord,
} from './microdata.js';

const YIWU: CountyYearIncome = {
  orgUnit: '330782',
  year: 2024,
  incomePerCapita: 88048,
  urbanPerCapita: 97170,
  ruralPerCapita: 54407,
  population: 1918000,
};
const PANAN: CountyYearIncome = {
  orgUnit: '330727',
  year: 2023,
  incomePerCapita: 38447,
  urbanPerCapita: 51266,
  ruralPerCapita: 25864,
  population: 178000,
};

/** Person-weighted mean per-capita income: Σ w·income / Σ w·size. */
function meanPerCapita(rs: readonly HouseholdRecord[]): number {
  let income = 0;
  let persons = 0;
  for (const r of rs) {
    income += r.weight * r.disposableIncome;
    persons += r.weight * r.size;
  }
  return income / persons;
}

/** Gini of per-capita income over persons, G = ΣΣ wᵢwⱼ|yᵢ − yⱼ| / (2 W² μ): O(n²), for small samples. */
function gini(rs: readonly HouseholdRecord[]): number {
  const y = rs.map((r) => r.disposableIncome / r.size);
  const w = rs.map((r) => r.weight * r.size);
  const W = w.reduce((a, b) => a + b, 0);
  const mu = y.reduce((a, v, i) => a + v * w[i]!, 0) / W;
  let s = 0;
  for (let i = 0; i < y.length; i++) for (let j = 0; j < y.length; j++) s += w[i]! * w[j]! * Math.abs(y[i]! - y[j]!);
  return s / (2 * W * W * mu);
}

function bracketShare(rs: readonly HouseholdRecord[], from: number, to: number): number {
  let inside = 0;
  let all = 0;
  for (const r of rs) {
    all += r.weight;
    if (r.disposableIncome >= from && r.disposableIncome < to) inside += r.weight;
  }
  return inside / all;
}

describe('householdsOf', () => {
  it('matches the county’s per-capita income, and its urban and rural incomes, within 2%', () => {
    for (const s of [YIWU, PANAN]) {
      const rs = householdsOf(s);
      expect(rs).toHaveLength(2000);
      expect(Math.abs(meanPerCapita(rs) / s.incomePerCapita - 1)).toBeLessThan(0.02);
      expect(Math.abs(meanPerCapita(rs.filter((r) => r.urbanRural === 'urban')) / s.urbanPerCapita - 1)).toBeLessThan(
        0.02,
      );
      expect(Math.abs(meanPerCapita(rs.filter((r) => r.urbanRural === 'rural')) / s.ruralPerCapita - 1)).toBeLessThan(
        0.02,
      );
    }
  });

  it('weights add up to the population in persons and to about the number of households', () => {
    const rs = householdsOf(YIWU);
    const persons = rs.reduce((a, r) => a + r.weight * r.size, 0);
    const households = rs.reduce((a, r) => a + r.weight, 0);
    expect(persons).toBeCloseTo(YIWU.population, 0);
    const meanSize = persons / households;
    expect(meanSize).toBeGreaterThan(2.5);
    expect(meanSize).toBeLessThan(3.1);
    for (const r of rs) {
      expect(Number.isInteger(r.size) && r.size >= 1 && r.size <= 6).toBe(true);
      expect(Number.isInteger(r.disposableIncome) && r.disposableIncome > 0).toBe(true);
    }
  });

  it('has a Gini of per-capita income in a plausible range (0.28–0.38)', () => {
    for (const s of [YIWU, PANAN]) {
      const g = gini(householdsOf(s, { householdsPerCountyYear: 400 }));
      expect(g).toBeGreaterThan(0.28);
      expect(g).toBeLessThan(0.38);
    }
  });

  it('puts a plausible share of households in the plan’s brackets, below the 2025 targets', () => {
    const rs = householdsOf(YIWU);
    const mid = bracketShare(rs, 100_000, 500_000);
    const upper = bracketShare(rs, 200_000, 600_000);
    expect(mid).toBeGreaterThan(0.55);
    expect(mid).toBeLessThan(0.85);
    expect(upper).toBeGreaterThan(0.25);
    expect(upper).toBeLessThan(0.6);
    const poor = householdsOf(PANAN);
    expect(bracketShare(poor, 100_000, 500_000)).toBeLessThan(mid);
  });

  it('calibrates to the resident income also when the three incomes disagree', () => {
    const odd = { ...YIWU, incomePerCapita: 99000 }; // above the urban income: u would exceed 1
    expect(surveyUrbanShare(odd)).toBeGreaterThan(1);
    expect(Math.abs(meanPerCapita(householdsOf(odd)) / 99000 - 1)).toBeLessThan(0.02);
  });

  it('is deterministic per seed, and independent of the other strata', () => {
    const h = (rs: readonly HouseholdRecord[]) => createHash('sha256').update(JSON.stringify(rs)).digest('hex');
    expect(h(householdsOf(YIWU))).toBe(h(householdsOf(YIWU)));
    expect(h(householdsOf(YIWU, { seed: 2 }))).not.toBe(h(householdsOf(YIWU)));
    const both = generateMicrodata([PANAN, YIWU], { householdsPerCountyYear: 50 });
    expect(both.filter((r) => r.orgUnit === '330782')).toEqual(householdsOf(YIWU, { householdsPerCountyYear: 50 }));
    expect(new Set(both.map((r) => r.householdId)).size).toBe(100);
  });

  it('streams records stratum by stratum', () => {
    const it = householdRecords([YIWU, PANAN], { householdsPerCountyYear: 3 });
    const first = it.next();
    expect(first.done).toBe(false);
    expect((first.value as HouseholdRecord).householdId).toBe('330782-2024-1');
    expect([...it]).toHaveLength(5);
  });
});

describe('countyYearIncomes', () => {
  it('reads the calibration targets of each county and year from data values, the last vintage winning', () => {
    const v = (indicator: string, orgUnit: string, period: string, value: number): ValueInput => ({
      indicator,
      orgUnit,
      period,
      value,
    });
    const values = [
      v('INC_PC', '330782', '2024', 88000),
      v('INC_PC', '330782', '2024', 88048),
      v('INC_URBAN_PC', '330782', '2024', 97170),
      v('INC_RURAL_PC', '330782', '2024', 54407),
      v('POP_RESIDENT', '330782', '2024', 1918000),
      v('INC_PC', '330727', '2024', 40000),
      v('POP_RESIDENT', '330727', '2024', 179000),
      v('INC_PC', '330700', '2024', 64816),
    ];
    const units = [
      { code: '330700', level: 'city', parent: '330000' },
      { code: '330782', level: 'county', parent: '330700' },
      { code: '330727', level: 'county', parent: '330700' },
    ];
    const strata = countyYearIncomes(values, units, '330700');
    expect(strata).toHaveLength(2);
    expect(strata.find((s) => s.orgUnit === '330782')).toEqual(YIWU);
    const panan = strata.find((s) => s.orgUnit === '330727')!;
    expect(panan.urbanPerCapita / panan.ruralPerCapita).toBeCloseTo(1.9, 6);
    expect(0.65 * panan.urbanPerCapita + 0.35 * panan.ruralPerCapita).toBeCloseTo(40000, 3);
  });
});
