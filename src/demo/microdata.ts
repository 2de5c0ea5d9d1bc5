/**
 * Synthetic household survey microdata (住户调查), calibrated to each county's per-capita incomes: the
 * input of the plan's microdata indicators (share of households with a yearly disposable income of
 * 100k–500k and 200k–600k yuan, S80/S20 of urban and rural incomes).
 *
 * For each county and year, `householdsPerCountyYear` households (default 2,000), urban and rural:
 * - household size 1–6 (rural households a little larger: mean ≈ 2.7 urban, ≈ 3.0 rural);
 * - per-capita disposable income log-normal, σ = 0.53 urban / 0.51 rural in 2020, narrowing by 0.003
 *   a year (so S80/S20 falls slowly), a little lower in larger households, then scaled so that the person-weighted mean of each stratum is exactly the county's
 *   urban (rural) per-capita income; the household's income is per-capita income × size;
 * - weights = the stratum's population ÷ the persons in its sample, so Σ weight × size is the
 *   population and Σ weight about the number of households.
 * The urban share of the survey population is taken from the incomes themselves, u = (I − R)/(U − R)
 * (I resident, U urban, R rural per-capita income), so that the weighted mean per-capita income of a
 * county's records is its resident per-capita income I. (The census urbanisation rate is a few points
 * higher: the survey counts households by residence differently.) Within-county Gini of per-capita
 * income comes out about 0.30–0.35 (the city's, across counties, about 0.34–0.36).
 *
 * Deterministic: one seeded stream per county and year (mulberry32 via `Rng`).
 */
import type { ValueInput } from '../domain/data.js';
import { DEFAULT_SEED, Rng, type DemoOrgUnit } from './generate.js';

export interface HouseholdRecord {
  householdId: string;
  /** County code. */
  orgUnit: string;
  year: number;
  urbanRural: 'urban' | 'rural';
  /** Persons, 1–6. */
  size: number;
  /** Household disposable income, yuan per year. */
  disposableIncome: number;
  /** Survey weight: households in the population that this one stands for. */
  weight: number;
}

/** What a county-year's households are calibrated to. */
export interface CountyYearIncome {
  orgUnit: string;
  year: number;
  /** Resident per-capita disposable income (INC_PC). */
  incomePerCapita: number;
  /** Urban and rural per-capita disposable income (INC_URBAN_PC, INC_RURAL_PC). */
  urbanPerCapita: number;
  ruralPerCapita: number;
  /** Resident population (POP_RESIDENT). */
  population: number;
}

export interface MicrodataOptions {
  householdsPerCountyYear?: number | undefined;
  seed?: number | undefined;
  /** σ of log per-capita income within a stratum in 2020. */
  sigma?: { urban: number; rural: number } | undefined;
  /** Change of σ per year after 2020 (default −0.003: inequality narrows a little, S80/S20 falls). */
  sigmaPerYear?: number | undefined;
}

const SIZES = [1, 2, 3, 4, 5, 6];
const SIZE_SHARES = {
  urban: [0.16, 0.32, 0.3, 0.13, 0.06, 0.03],
  rural: [0.14, 0.3, 0.24, 0.16, 0.1, 0.06],
};
const DEFAULT_SIGMA = { urban: 0.53, rural: 0.51 };

/** The survey's urban share of persons, from I = u·U + (1 − u)·R; NaN when the incomes do not allow it. */
export function surveyUrbanShare(
  s: Pick<CountyYearIncome, 'incomePerCapita' | 'urbanPerCapita' | 'ruralPerCapita'>,
): number {
  return (s.incomePerCapita - s.ruralPerCapita) / (s.urbanPerCapita - s.ruralPerCapita);
}

/** One county-year's households, calibrated exactly (up to rounding to whole yuan). */
export function householdsOf(stratum: CountyYearIncome, options: MicrodataOptions = {}): HouseholdRecord[] {
  const n = options.householdsPerCountyYear ?? 2000;
  const sigma = options.sigma ?? DEFAULT_SIGMA;
  const rng = Rng.of(options.seed ?? DEFAULT_SEED, 'households', stratum.orgUnit, stratum.year);
  let u = surveyUrbanShare(stratum);
  if (!Number.isFinite(u)) u = 0.65;
  u = Math.min(0.97, Math.max(0.03, u));
  // where the three incomes disagree (u had to be clamped), both strata move so the mean is still I
  const implied = u * stratum.urbanPerCapita + (1 - u) * stratum.ruralPerCapita;
  const fix = stratum.incomePerCapita > 0 && implied > 0 ? stratum.incomePerCapita / implied : 1;
  const nUrban = Math.min(n - 1, Math.max(1, Math.round(n * u)));
  const out: HouseholdRecord[] = [];
  const pad = String(n).length;
  for (const [kind, count, mean, share] of [
    ['urban', nUrban, stratum.urbanPerCapita * fix, u],
    ['rural', n - nUrban, stratum.ruralPerCapita * fix, 1 - u],
  ] as const) {
    const s = Math.max(0.05, sigma[kind] + (options.sigmaPerYear ?? -0.003) * (stratum.year - 2020));
    const sizes: number[] = [];
    const pc: number[] = [];
    let persons = 0;
    let income = 0;
    for (let i = 0; i < count; i++) {
      const size = SIZES[rng.weighted(SIZE_SHARES[kind])]!;
      // larger households earn a little less per head
      const x = Math.exp(rng.normal(-s * s * 0.5, s)) * Math.pow(size / 2.8, -0.12);
      sizes.push(size);
      pc.push(x);
      persons += size;
      income += x * size;
    }
    const scale = (mean * persons) / income;
    const weight = (stratum.population * share) / persons;
    for (let i = 0; i < count; i++) {
      const id = out.length + 1;
      out.push({
        householdId: `${stratum.orgUnit}-${stratum.year}-${String(id).padStart(pad, '0')}`,
        orgUnit: stratum.orgUnit,
        year: stratum.year,
        urbanRural: kind,
        size: sizes[i]!,
        disposableIncome: Math.round(pc[i]! * scale * sizes[i]!),
        weight,
      });
    }
  }
  return out;
}

/** Households of every county-year, one stratum after the other (for large samples: no array). */
export function* householdRecords(
  strata: readonly CountyYearIncome[],
  options: MicrodataOptions = {},
): Generator<HouseholdRecord> {
  for (const s of strata) yield* householdsOf(s, options);
}

export function generateMicrodata(
  strata: readonly CountyYearIncome[],
  options: MicrodataOptions = {},
): HouseholdRecord[] {
  return [...householdRecords(strata, options)];
}

/**
 * The calibration targets from data values (e.g. `generateDemoData(…).values`): for each county of
 * `rootCode` and each year with a resident income and population. A missing urban or rural income is
 * derived with an urban–rural ratio of 1.9 and an urban share of 0.65. Of several vintages the last
 * one counts.
 */
export function countyYearIncomes(
  values: readonly ValueInput[],
  orgUnits: readonly DemoOrgUnit[],
  rootCode: string,
): CountyYearIncome[] {
  const counties = orgUnits
    .filter((u) => u.parent === rootCode && u.level === 'county')
    .map((u) => u.code)
    .sort();
  const want = new Set(['INC_PC', 'INC_URBAN_PC', 'INC_RURAL_PC', 'POP_RESIDENT']);
  const at = new Map<string, number>();
  const years = new Set<number>();
  for (const v of values) {
    if (!want.has(v.indicator) || typeof v.value !== 'number' || !/^\d{4}$/.test(v.period)) continue;
    at.set(`${v.indicator}|${v.orgUnit}|${v.period}`, v.value);
    years.add(Number(v.period));
  }
  const out: CountyYearIncome[] = [];
  for (const county of counties)
    for (const year of [...years].sort()) {
      const get = (code: string) => at.get(`${code}|${county}|${year}`) ?? NaN;
      const income = get('INC_PC');
      const population = get('POP_RESIDENT');
      if (!(income > 0) || !(population > 0)) continue;
      let urban = get('INC_URBAN_PC');
      let rural = get('INC_RURAL_PC');
      if (!(urban > 0) || !(rural > 0)) {
        rural = income / (0.65 * 1.9 + 0.35);
        urban = rural * 1.9;
      }
      out.push({
        orgUnit: county,
        year,
        incomePerCapita: income,
        urbanPerCapita: urban,
        ruralPerCapita: rural,
        population,
      });
    }
  return out;
}
