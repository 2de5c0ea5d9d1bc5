import { describe, expect, it } from 'vitest';
import {
  compoundGrowthRate,
  earliestIndex,
  latestIndex,
  linearTrend,
  projectCompound,
  projectLinear,
  projectSeries,
  requiredGrowth,
  requiredIncrease,
  trendValue,
  valueInYear,
} from './projection.js';

function expectRel(actual: number, expected: number, tol = 1e-9) {
  const scale = Math.max(1, Math.abs(expected));
  expect(Math.abs(actual - expected) / scale).toBeLessThanOrEqual(tol);
}

const series = (years: number[], values: number[]) => ({ years, values: Float64Array.from(values) });

describe('compound growth', () => {
  it('CAGR 100 (2020) → 121 (2022) is 10%: 1.21^(1/2) = 1.1', () => {
    expectRel(compoundGrowthRate(2020, 100, 2022, 121), 0.1);
  });
  it('projects 121 (2022) at 10% to 2025: 121 · 1.1³ = 161.051', () => {
    expectRel(projectCompound(2022, 121, 0.1, 2025), 161.051);
  });
  it('projects linearly: 10 + 2.5 · 3 = 17.5', () => {
    expectRel(projectLinear(2022, 10, 2.5, 2025), 17.5);
  });
  it.each([
    ['zero base', 2020, 0, 2022, 5],
    ['negative base', 2020, -10, 2022, -5],
    ['negative end', 2020, 10, 2022, -5],
    ['same year', 2020, 10, 2020, 12],
    ['end before start', 2022, 10, 2020, 12],
    ['missing value', 2020, NaN, 2022, 12],
  ])('is NaN for %s', (_why, t0, y0, t1, y1) => {
    expect(compoundGrowthRate(t0, y0, t1, y1)).toBeNaN();
  });
  it('falls to −100% when the end value is 0', () => {
    expect(compoundGrowthRate(2020, 10, 2022, 0)).toBe(-1);
  });
});

describe('least-squares trend', () => {
  // Points (2020, 1), (2021, 3), (2023, 7), 2022 missing. With x = t − 2020: x̄ = 4/3, ȳ = 11/3,
  // Sxx = (16 + 1 + 25)/9 = 14/3, Sxy = (32 + 2 + 50)/9 = 28/3 → slope 2, line y = 1 + 2x.
  const s = series([2020, 2021, 2022, 2023], [1, 3, NaN, 7]);
  it('skips NaN and fits slope 2, value 11 in 2025', () => {
    const fit = linearTrend(s);
    expect(fit.n).toBe(3);
    expectRel(fit.slope, 2);
    expectRel(fit.intercept, 1 - 2 * 2020);
    expectRel(trendValue(fit, 2025), 11);
  });
  it('restricts to a year window', () => {
    const fit = linearTrend(s, 2021, 2023); // (2021, 3), (2023, 7): slope 2
    expect(fit.n).toBe(2);
    expectRel(fit.slope, 2);
    expectRel(trendValue(fit, 2020), 1);
  });
  it('is NaN with one point, or two points in the same year, or none', () => {
    expect(linearTrend(series([2020], [5])).slope).toBeNaN();
    expect(linearTrend(series([2020, 2020], [5, 6])).slope).toBeNaN();
    const empty = linearTrend(series([2020], [NaN]));
    expect(empty.n).toBe(0);
    expect(empty.slope).toBeNaN();
  });
  it('handles negative values: (2020, −4), (2021, −2), (2022, 0) → slope 2, 4 in 2024', () => {
    const fit = linearTrend(series([2020, 2021, 2022], [-4, -2, 0]));
    expectRel(fit.slope, 2);
    expectRel(trendValue(fit, 2024), 4);
  });
});

describe('required growth and increase', () => {
  it('from 121 (2022) to 161.051 (2025): 10% a year, or 13.3503… a year', () => {
    expectRel(requiredGrowth(2022, 121, 2025, 161.051), 0.1);
    expectRel(requiredIncrease(2022, 121, 2025, 161.051), 40.051 / 3);
  });
  it('is negative when the target is already exceeded: 200 → 162 in 2 years is 0.9² → −10%', () => {
    expectRel(requiredGrowth(2023, 200, 2025, 162), -0.1);
    expectRel(requiredIncrease(2023, 200, 2025, 162), -19);
  });
  it('is NaN with no years left, or (compound) from a zero or negative value', () => {
    expect(requiredGrowth(2025, 100, 2025, 120)).toBeNaN();
    expect(requiredIncrease(2026, 100, 2025, 120)).toBeNaN();
    expect(requiredGrowth(2023, 0, 2025, 120)).toBeNaN();
    expect(requiredGrowth(2023, -5, 2025, 120)).toBeNaN();
    expectRel(requiredIncrease(2023, -5, 2025, 15), 10);
  });
});

describe('series helpers', () => {
  const s = series([2022, 2020, 2021, 2023], [5, NaN, 3, NaN]);
  it('finds values, the latest and the earliest point with a value', () => {
    expect(valueInYear(s, 2021)).toBe(3);
    expect(valueInYear(s, 2020)).toBeNaN();
    expect(valueInYear(s, 2019)).toBeNaN();
    expect(s.years[latestIndex(s)]).toBe(2022);
    expect(s.years[latestIndex(s, 2021)]).toBe(2021);
    expect(latestIndex(s, 2020)).toBe(-1);
    expect(s.years[earliestIndex(s)]).toBe(2021);
    expect(s.years[earliestIndex(s, 2022)]).toBe(2022);
    expect(earliestIndex(s, 2023)).toBe(-1);
  });
});

describe('projectSeries', () => {
  it('compound: 100 (2020) → 121 (2022) continues at 10% to 161.051 in 2025', () => {
    const p = projectSeries(series([2020, 2021, 2022], [100, NaN, 121]), 2025, 'compound');
    expect(p.method).toBe('compound');
    expectRel(p.rate, 0.1);
    expectRel(p.value, 161.051);
  });
  it('compound falls back to the trend from a zero base: 0, 1, 2 → slope 1, 5 in 2025', () => {
    const p = projectSeries(series([2020, 2021, 2022], [0, 1, 2]), 2025, 'compound');
    expect(p.method).toBe('linear-trend');
    expectRel(p.value, 5);
  });
  it('linear-trend over a window: points from 2021 on', () => {
    const s = series([2019, 2020, 2021, 2022, 2023], [100, 1, 3, NaN, 7]);
    const p = projectSeries(s, 2025, 'linear-trend', 2020);
    expect(p.method).toBe('linear-trend');
    expectRel(p.slope, 2);
    expectRel(p.value, 11);
  });
  it('returns no projection with a single point', () => {
    const p = projectSeries(series([2020, 2021], [NaN, 4]), 2025, 'compound');
    expect(p.method).toBeNull();
    expect(p.value).toBeNaN();
  });
  it('respects upTo: 2020 → 2021 only', () => {
    const p = projectSeries(series([2020, 2021, 2022], [100, 110, 50]), 2023, 'compound', -Infinity, 2021);
    expectRel(p.value, 133.1);
  });
});
