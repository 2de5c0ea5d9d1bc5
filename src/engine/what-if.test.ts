/**
 * What-if known answers, by hand. Three counties (A, B, C = 磐安), per-capita income:
 *   A: 60000 (2020) → 72600 (2022)  = 60000 · 1.1²  (10% a year)
 *   B: 50000 (2020) → 55125 (2022)  = 50000 · 1.05² (5% a year)
 *   C: 30000 (2020) → 33075 (2022)  = 30000 · 1.05² (5% a year)
 * 2021 is missing for all. Max/min ratio in 2022: 72600 / 33075 = 2.19501…
 * Others by their own CAGR to 2025: A = 72600 · 1.1³ = 96630.6, B = 55125 · 1.05³ = 63814.078125.
 * If C grows 9% a year from 2022: C = 33075 · 1.09³ = 33075 · 1.295029 = 42833.084175;
 *   ratio 96630.6 / 42833.084175 = 2.25598… > 2.2 → the 2.2 target is missed.
 * If C grows 12% a year: C = 33075 · 1.404928 = 46467.9936; ratio 96630.6 / 46467.9936 = 2.07951… ≤ 2.2 → met.
 * C would need (96630.6 / 2.2 / 33075)^(1/3) − 1 = (43923 / 33075)^(1/3) − 1 ≈ 9.92% a year.
 */
import { describe, expect, it } from 'vitest';
import type { Target } from '../domain/plan.js';
import { requiredGrowth } from './projection.js';
import { evaluateTarget } from './targets.js';
import {
  crossSection,
  evaluateWhatIf,
  extendSeries,
  projectPanel,
  seriesOverUnits,
  type UnitPanel,
} from './what-if.js';

function expectRel(actual: number, expected: number, tol = 1e-9) {
  const scale = Math.max(1, Math.abs(expected));
  expect(Math.abs(actual - expected) / scale).toBeLessThanOrEqual(tol);
}

const panel: UnitPanel = {
  years: Int32Array.from([2020, 2021, 2022]),
  units: ['A', 'B', 'C'],
  values: [
    Float64Array.from([60000, NaN, 72600]),
    Float64Array.from([50000, NaN, 55125]),
    Float64Array.from([30000, NaN, 33075]),
  ],
};

/** Max/min over the units with a value (NaN when none). */
function maxMinRatio(values: Float64Array): number {
  let max = -Infinity;
  let min = Infinity;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    max = Math.max(max, v);
    min = Math.min(min, v);
  }
  return max === -Infinity ? NaN : max / min;
}

const ratioTarget: Target = { kind: 'level', op: '<=', value: 2.2 };
const ctx = { direction: 'down' as const, baseYear: 2020, targetYear: 2025 };

describe('projectPanel and the county max/min ratio', () => {
  it('C at 9% a year, the others at their own CAGR: 2.256 in 2025, the 2.2 target missed', () => {
    const p = projectPanel(panel, { toYear: 2025, rates: { C: 0.09 }, others: 'compound' });
    expect(Array.from(p.years)).toEqual([2020, 2021, 2022, 2023, 2024, 2025]);
    const in2025 = crossSection(p, 2025);
    expectRel(in2025[0]!, 96630.6);
    expectRel(in2025[1]!, 63814.078125);
    expectRel(in2025[2]!, 42833.084175);
    expectRel(maxMinRatio(in2025), 96630.6 / 42833.084175);
    expect(Array.from(p.projected[2]!)).toEqual([0, 0, 0, 1, 1, 1]);
    expect(p.rules).toEqual([{ kind: 'compound' }, { kind: 'compound' }, { kind: 'rate', rate: 0.09 }]);

    const ratio = seriesOverUnits(p, maxMinRatio);
    expectRel(ratio.values[2]!, 72600 / 33075);
    expect(ratio.values[1]).toBeNaN(); // 2021 missing for all
    const r = evaluateTarget(ratioTarget, ratio, ctx);
    expect(r.latestYear).toBe(2025);
    expect(r.status).toBe('off_track');
  });

  it('C at 12% a year: 2.080 in 2025, met', () => {
    const p = projectPanel(panel, { toYear: 2025, rates: { C: 0.12 }, others: 'compound' });
    expectRel(maxMinRatio(crossSection(p, 2025)), 96630.6 / 46467.9936);
    expect(evaluateTarget(ratioTarget, seriesOverUnits(p, maxMinRatio), ctx).status).toBe('achieved');
  });

  it('the growth C would need: (43923 / 33075)^(1/3) − 1 ≈ 9.92%', () => {
    const p = projectPanel(panel, { toYear: 2025, rates: {}, others: 'compound' });
    const maxIn2025 = Math.max(...crossSection(p, 2025));
    const need = requiredGrowth(2022, 33075, 2025, maxIn2025 / 2.2);
    expectRel(need, Math.cbrt(43923 / 33075) - 1);
    expect(need).toBeGreaterThan(0.099);
    expect(need).toBeLessThan(0.1);
  });

  it('others flat, or by their own trend', () => {
    const flat = projectPanel(panel, { toYear: 2024, rates: { C: 0.09 }, others: 'flat' });
    expect(Array.from(crossSection(flat, 2024)).slice(0, 2)).toEqual([72600, 55125]);
    // A's trend through (2020, 60000), (2022, 72600): slope 12600/2 = 6300 → 2024: 72600 + 2 · 6300 = 85200
    const trend = projectPanel(panel, { toYear: 2024, rates: {}, others: 'linear-trend' });
    expectRel(crossSection(trend, 2024)[0]!, 85200);
  });

  it('a year off the grid gives NaN for every unit', () => {
    expect(Array.from(crossSection(panel, 2030)).every(Number.isNaN)).toBe(true);
  });
});

describe('extendSeries', () => {
  const s = { years: [2020, 2022], values: Float64Array.from([100, 121]) };

  it.each([
    // latest 121 (2022)
    [{ kind: 'rate', rate: 0.1 } as const, [100, NaN, 121, 133.1, 146.41]],
    [{ kind: 'amount', amount: 5 } as const, [100, NaN, 121, 126, 131]],
    [{ kind: 'compound' } as const, [100, NaN, 121, 133.1, 146.41]], // own CAGR 10%
    [{ kind: 'linear-trend' } as const, [100, NaN, 121, 131.5, 142]], // slope 10.5, line through both points
    [{ kind: 'flat' } as const, [100, NaN, 121, 121, 121]],
  ])('%o', (rule, expected) => {
    const ext = extendSeries(s, 2024, rule);
    expect(Array.from(ext.years)).toEqual([2020, 2021, 2022, 2023, 2024]);
    expected.forEach((v, i) => (Number.isNaN(v) ? expect(ext.values[i]).toBeNaN() : expectRel(ext.values[i]!, v)));
    expect(Array.from(ext.projected)).toEqual([0, 0, 0, 1, 1]);
  });

  it('a single point stays flat under its own trend', () => {
    const ext = extendSeries({ years: [2022], values: Float64Array.from([7]) }, 2024, { kind: 'linear-trend' });
    expect(Array.from(ext.values)).toEqual([7, 7, 7]);
  });

  it('an empty series stays empty', () => {
    const ext = extendSeries({ years: [2022], values: Float64Array.from([NaN]) }, 2023, { kind: 'rate', rate: 0.1 });
    expect(Array.from(ext.values).every(Number.isNaN)).toBe(true);
    expect(Array.from(ext.projected)).toEqual([0, 0]);
  });
});

describe('evaluateWhatIf', () => {
  it('"if C grows 9% a year, does it reach 40000 by 2025?" — 42833.08, achieved', () => {
    const { evaluation, extended } = evaluateWhatIf(
      { kind: 'level', op: '>=', value: 40000 },
      { years: [2020, 2022], values: Float64Array.from([30000, 33075]) },
      { direction: 'up', baseYear: 2020, targetYear: 2025 },
      { kind: 'rate', rate: 0.09 },
    );
    expect(extended.years.at(-1)).toBe(2025);
    expectRel(evaluation.latestValue, 42833.084175);
    expect(evaluation.latestYear).toBe(2025);
    expect(evaluation.status).toBe('achieved');
  });

  it('at 5% a year it stays at 38288.8 in 2025: off track', () => {
    // 33075 · 1.05³ = 38288.446875
    const { evaluation } = evaluateWhatIf(
      { kind: 'level', op: '>=', value: 40000 },
      { years: [2020, 2022], values: Float64Array.from([30000, 33075]) },
      { direction: 'up', baseYear: 2020, targetYear: 2025 },
      { kind: 'compound' },
    );
    expectRel(evaluation.latestValue, 38288.446875);
    expect(evaluation.status).toBe('off_track');
  });
});
