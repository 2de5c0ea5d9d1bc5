/**
 * Demo data for `gongfu start`: every raw indicator of a plan, for the plan's root unit (Jinhua city),
 * its counties and its towns, from the base year to the latest complete period before `asOf`.
 *
 * Published figures (`real-figures.ts`) are used as they are — value, source, vintage, `synthetic:
 * false` — and are never overwritten; everything else is generated, marked `synthetic: true` with the
 * source `示例数据（合成）/ synthetic demo data`. Pure and deterministic: no clock, no I/O, one seeded
 * generator (mulberry32) split into an independent stream per indicator and unit, so the same inputs
 * give the same output, and adding an indicator does not change the others.
 *
 * How a series comes about (the assumptions, per kind of indicator):
 * - A model path for the root unit from the indicator's first usable target and a table of
 *   magnitudes (`PRIORS`, base-year values for Jinhua where the target gives no size):
 *   · level target (达到/超过 v): from a start below v (the prior, or a fraction of v) towards v by the
 *     target year; about one indicator in five lags and ends short of v (a red light);
 *   · level target on the good side already (失业率 ≤ 3.5% when it is 2%): stays about where it is;
 *   · level ≤ 0 (no cases left): falls to zero by the target year (laggards keep a few);
 *   · yearly target (每年 ≥ n): each year around n, most above, laggards below;
 *   · cumulative target (累计 n over the years): yearly flows ≈ n / years, rising, with noise;
 *   · growth target (年均增长 r, or an amount a year): compound (or linear) growth from the prior,
 *     most at 80–110% of the rate, laggards at half;
 *   · trend, relative, rank or no target: the prior's base and yearly growth; laggards break the
 *     trend in one year.
 * - Shares (unit kind share/rate) move linearly-ish between a start and an end in [0, 1], never down
 *   for coverage targets; shares of the nine counties (拥有三级医院的县(市、区)占比) are k/9; the
 *   town-level shares of administrative villages (行政村覆盖率) are k/n of each town's villages in
 *   the org-unit file, and the county and city values are Σk/Σn.
 * - Counties differ by a development index (per-capita GDP and income relative to the city, from the
 *   real figures where they exist; mountain counties (attribute mountain=1) lower); each indicator
 *   draws its own spread and its lagging counties (mountain counties more often).
 * - Sum indicators (aggregation sum): counties share the city total by weights (economy: GDP;
 *   population; rural: villages), towns share their county's value by their number of villages;
 *   where the city has a real figure the synthetic counties are scaled so that all counties sum to it,
 *   otherwise the city is the sum of its counties. Whole units are allocated by largest remainder, so
 *   the sums are exact.
 * - Other indicators: the city is the population-weighted mean of its counties (the weight indicator
 *   of a weighted mean, a plain mean for `mean`), unless it has a real figure.
 * - Anchoring: every unit's path goes through its real figures (ratio interpolated in logs between
 *   them, constant beyond); the growth published with an income or a count ("+5.0%") anchors the year
 *   before, where that year has no figure (GDP growth is at constant prices, so not for GDP).
 * - Linked series: the numerator of a share the plan computes (POP_URBAN of URBANIZATION_RATE,
 *   LABOR_COMP of LABOR_SHARE_GDP, HIGH_SKILLED_TALENT, the village counts) is generated as share ×
 *   denominator, the share anchored to its published values; urban and rural income come from the
 *   resident income, the urbanisation rate and an urban–rural ratio anchored to the published ratios;
 *   per-capita GDP is GDP over the mean population; the mountain counties' income ratio is the city's
 *   income over the county's; administrative villages are counted in the org-unit file; employment
 *   is a share of the resident population and per-capita education spending the education budget
 *   over it.
 * - Periods: `latestCompletePeriod` of `domain/period.ts` in the plan's calendar (Asia/Shanghai by
 *   default), capped at the plan's target year: for asOf 2026-11-29, 2020–2025. Village-level
 *   reporting is not generated (the summary says so where a plan asks for it).
 * - Months and quarters (none in the Jinhua plan today): flows split by a seasonal profile (low in
 *   February, high in December) so that they add up to the year; stocks step from one year-end to the
 *   next; means vary around the year's value (higher in winter).
 */
import type { ValueInput } from '../domain/data.js';
import { formatPeriod, latestCompletePeriod, makePeriod, periodsOfYear, type PeriodType } from '../domain/period.js';
import { unitOf, type Indicator, type Plan, type Target } from '../domain/plan.js';
import type { UnitDefinition } from '../domain/units.js';
import { byVintage, describeSource, type RealFigure } from './real-figures.js';

// ───────────────────────── seeded randomness ─────────────────────────

/** mulberry32 (Tommy Ettinger, public domain): uniform in [0, 1) from a 32-bit seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit seed from a seed and labels: FNV-1a over the text, then MurmurHash3's finaliser. */
export function hashSeed(seed: number, ...parts: readonly (string | number)[]): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  const text = parts.join('\u0001');
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class Rng {
  private readonly next: () => number;
  private spare = NaN;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  /** A stream for a purpose: `Rng.of(seed, 'INC_PC', '330782')`. */
  static of(seed: number, ...parts: readonly (string | number)[]): Rng {
    return new Rng(hashSeed(seed, ...parts));
  }

  random(): number {
    return this.next();
  }

  uniform(a: number, b: number): number {
    return a + (b - a) * this.next();
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Normal by Box–Muller (the second draw is kept for the next call). */
  normal(mean = 0, sd = 1): number {
    if (!Number.isNaN(this.spare)) {
      const z = this.spare;
      this.spare = NaN;
      return mean + sd * z;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return mean + sd * r * Math.cos(2 * Math.PI * v);
  }

  /** An index drawn with probability proportional to the (non-negative) weights. */
  weighted(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += Math.max(0, weights[i]!);
    if (!(total > 0)) return this.int(weights.length);
    let x = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= Math.max(0, weights[i]!);
      if (x < 0) return i;
    }
    return weights.length - 1;
  }
}

// ───────────────────────── public types ─────────────────────────

export const SYNTHETIC_SOURCE = '示例数据（合成）/ synthetic demo data';
export const DEFAULT_SEED = 20210722;

/** The fields of an org unit the generator reads (an `OrgUnitRow` or an `OrgUnit` will do). */
export interface DemoOrgUnit {
  code: string;
  level: string;
  parent: string | null;
  attributes?: Readonly<Record<string, string>> | undefined;
}

export interface DemoOptions {
  plan: Plan;
  /** The plan's regions: the root unit, its counties, towns and (for counting) villages. */
  orgUnits: readonly DemoOrgUnit[];
  /** Published figures, e.g. from `parseStatisticsCsv`. */
  realFigures?: readonly RealFigure[] | undefined;
  /** "Now": data runs to the latest complete period before it. */
  asOf: Date;
  seed?: number | undefined;
  /** The calendar that decides which periods are complete; default Asia/Shanghai. */
  timeZone?: string | undefined;
}

export interface LevelCount {
  real: number;
  synthetic: number;
}

export interface DemoSummary {
  asOf: string;
  seed: number;
  /** The latest complete year, quarter and month at `asOf` (capped at the plan's target year). */
  latest: { year: string; quarter: string; month: string };
  years: { from: number; to: number };
  total: number;
  real: number;
  synthetic: number;
  byLevel: Record<string, LevelCount>;
  byIndicator: Record<string, { real: number; synthetic: number; byLevel: Record<string, number> }>;
  /** Indicators drawn to lag behind their target (their city light should be amber or red). */
  lagging: string[];
  /** Indicators the plan lists that get no values, and why (computed ones, village level …). */
  skipped: { indicator: string; reason: string }[];
  /** Indicators with no target value and no prior: their magnitude is a guess from the unit. */
  weak: string[];
  /** Real figures that were not turned into values, and why. */
  realNotUsed: { indicator: string; orgUnit: string; period: string; reason: string }[];
  notes: string[];
}

export interface DemoData {
  values: ValueInput[];
  summary: DemoSummary;
}

// ───────────────────────── priors ─────────────────────────

/**
 * Magnitudes for Jinhua where the plan's target gives none (or gives only a rate). Values are the
 * city's in the base year 2020, in base units; `growth` is a yearly relative change, `add` a yearly
 * absolute one (shares). These are estimates of the right order, not statistics: they only size the
 * synthetic series. `basis` says how a sum is shared among counties; `spread` how strongly counties
 * differ with their development; `tilt: -1` when poorer (mountain) counties are higher.
 */
interface Prior {
  base?: number;
  growth?: number;
  add?: number;
  basis?: Basis;
  spread?: number;
  tilt?: number;
  /** value = this indicator's value ÷ resident population (per capita of another series). */
  perCapitaOf?: string;
  /** value = ratio × another indicator (base/add give the ratio). */
  ratioOf?: string;
  /** A policy that takes a value from a year on. */
  step?: { year: number; from: number; to: number };
}
type Basis = 'economy' | 'population' | 'rural';

const PRIORS: Readonly<Record<string, Prior>> = {
  // core economy (anchored to real figures wherever they exist)
  GDP: { base: 4.704e11, growth: 0.065, basis: 'economy' },
  POP_RESIDENT: { base: 7.05e6, growth: 0.005, basis: 'population' },
  MARKET_ENTITIES: { base: 1.3e6, basis: 'economy' },
  INC_PC: { base: 50500, growth: 0.062, spread: 0.5 },
  EMPLOYED: { ratioOf: 'POP_RESIDENT', base: 0.655, add: -0.001 },
  URBANIZATION_RATE: { base: 0.682, add: 0.0085 },
  URBAN_RURAL_INC_RATIO: { base: 2.03, add: -0.03 },
  LABOR_SHARE_GDP: { base: 0.455, add: 0.003 },
  VILLAGES_OPINC50_SHARE: { base: 0.28 },
  // incomes, services
  EDU_FISCAL_EXPENDITURE: { base: 1.65e10, growth: 0.06, basis: 'population' },
  EDU_SPEND_PC: { perCapitaOf: 'EDU_FISCAL_EXPENDITURE' },
  EDU_INTERSCHOOL_CV: { base: 0.4, growth: -0.035, spread: 0.3 },
  HIGHER_EDU_GER: { base: 0.62 },
  CHILD_EXPECTED_SCHOOLING: { base: 15.1 },
  WORKING_AGE_SCHOOLING: { base: 10.7, growth: 0.009 },
  COUNTY_VISIT_RATE: { base: 0.87 },
  MAJOR_ILLNESS_INS_UPTAKE: { base: 0.86 },
  OOP_HEALTH_SHARE: { base: 0.285 },
  LIFE_EXPECTANCY: { base: 81.4, growth: 0.0025, spread: 0.02 },
  SOCIAL_INSURANCE_COVERAGE: { base: 0.955 },
  OLD_COMMUNITY_RENOVATION: { base: 0.35 },
  URBAN_HOUSING_SECURITY_COVERAGE: { base: 0.17 },
  DIBAO_STANDARD: { base: 11280, growth: 0.075, spread: 0.25 },
  RESIDENT_BASIC_PENSION: { base: 255, growth: 0.07, spread: 0.3 },
  KINDERGARTEN_GRADE2_PLUS_ENROLMENT_SHARE: { base: 0.62 },
  KINDERGARTEN_INCLUSIVE_ENROLMENT_SHARE: { base: 0.86 },
  COMPULSORY_EDU_URBAN_RURAL_COMMUNITY_COVERAGE: { base: 0.55 },
  VOCATIONAL_GRADUATE_PROGRESSION_RATE: { base: 0.38 },
  CENTRAL_TOWN_SECONDARY_HOSPITAL_COVERAGE: { base: 0.6 },
  VILLAGE_PUBLIC_PRIMARY_CARE_COVERAGE: { base: 0.9 },
  FAMILY_DOCTOR_COVERAGE_PRIORITY_GROUPS: { base: 0.7 },
  PREMATURE_MORTALITY_MAJOR_CHRONIC: { base: 0.094 },
  CANCER_FIVE_YEAR_SURVIVAL: { base: 0.405 },
  URBAN_COMMUNITY_NEARBY_CHILDCARE_COVERAGE: { base: 0.5 },
  CHILDCARE_PLACES_PER_1000: { base: 1.6 },
  TOWN_INFANT_CARE_INSTITUTION_COVERAGE: { base: 0.22 },
  CERTIFIED_CARE_WORKERS_PER_10K_ELDERLY: { base: 12 },
  NURSING_BED_SHARE: { base: 0.45 },
  SOCIAL_ASSISTANCE_PURCHASED_SERVICES_SHARE: { base: 0.015 },
  CONSUMER_SERVICES_DIGITALISATION: { base: 0.62 },
  TOWN_5G_BASE_STATION_COVERAGE: { base: 0.55 },
  TOWN_GIGABIT_NETWORK_COVERAGE: { base: 0.6 },
  URBAN_RURAL_HOMOGENEOUS_WATER_SUPPLY_COVERAGE: { base: 0.88 },
  TOWNSHIP_GRADE3_ROAD_COVERAGE: { base: 0.9 },
  URBAN_RURAL_BUS_INTEGRATION_RATE: { base: 0.8 },
  LAND_SALE_REVENUE_RURAL_REVITALISATION_SHARE: { base: 0.3 },
  VILLAGE_HEMEI_STANDARD_RATE: { base: 0.45 },
  CIVILISATION_PRACTICE_CENTRE_COVERAGE: { base: 0.85 },
  PUBLIC_CULTURE_FISCAL_EXPENDITURE: { base: 1.25e9, growth: 0.05, basis: 'population' },
  VILLAGE_CULTURAL_AUDITORIUM_COVERAGE: { base: 0.8 },
  // integration
  TRAVEL_TIME_PROVINCIAL_CAPITALS: { base: 2.3 },
  COMMUTE_TIME_METRO: { base: 1.4 },
  TRAVEL_TIME_NEIGHBOUR_CITIES: { base: 0.9 },
  // ecology, safety, governance
  ECO_ENV_INDEX: { base: 80.5, growth: 0.003, spread: 0.08, tilt: -1 },
  PM25: { base: 29, growth: -0.035, spread: 0.15 },
  WORK_SAFETY_DEATH_RATE: { base: 0.016, growth: -0.08 },
  CRIME_RATE: { base: 9.5, growth: -0.06 },
  LITIGATION_RATE: { base: 118, growth: -0.04 },
  PUBLIC_SATISFACTION: { base: 0.885, add: 0.006 },
  SURFACE_WATER_III_SHARE: { base: 0.93 },
  PARK_10MIN_WALK_COVERAGE: { base: 0.8 },
  KEY_INDUSTRIAL_PARK_ZERO_DIRECT_DISCHARGE_SHARE: { base: 0.7 },
  RESIDENTIAL_COMPOUND_ZERO_DIRECT_DISCHARGE_SHARE: { base: 0.6 },
  RURAL_SEWAGE_TREATMENT_VILLAGE_COVERAGE: { base: 0.85 },
  RURAL_SEWAGE_EFFLUENT_COMPLIANCE_RATE: { base: 0.8 },
  CHEMICAL_FERTILISER_USE: { base: 1.3e8, growth: -0.025, basis: 'rural' },
  PESTICIDE_USE: { base: 6.4e6, growth: -0.035, basis: 'rural' },
  URBAN_WASTE_SORTING_COVERAGE: { base: 0.8 },
  NATURE_RESERVE_LAND_SHARE: { base: 0.085, tilt: -1 },
  KEY_SPECIES_PROTECTION_RATE: { base: 0.9 },
  LOW_CARBON_INDUSTRY_VALUE_ADDED_SHARE: { base: 0.48 },
  HOUCHEN_RULE_OF_LAW_VILLAGE_COVERAGE: { base: 0.6 },
  PETITION_LOCAL_RESOLUTION_RATE: { base: 0.92 },
  DANGEROUS_RESERVOIRS_PONDS: { base: 160, basis: 'rural' },
  NEW_AFFORESTATION_AREA: { basis: 'rural' },
  GRAIN_SOWN_AREA: { basis: 'rural' },
  GRAIN_OUTPUT: { basis: 'rural' },
  // innovation, industry
  FISCAL_ST_SPENDING: { base: 3.6e9, basis: 'economy' },
  TALENT_ENCLAVES: { base: 1 },
  HITECH_VALUE_ADDED: { base: 6.2e10, basis: 'economy' },
  HITECH_ENTERPRISES: { base: 1560 },
  SCI_TECH_SMES: { base: 5200 },
  ABOVE_SCALE_RD_INSTITUTION_COVERAGE: { base: 0.45 },
  ABOVE_SCALE_RD_ACTIVITY_COVERAGE: { base: 0.7 },
  RD_PERSONNEL_PER_10K_EMPLOYED: { base: 105, spread: 0.6 },
  CLUSTERS_100B: { base: 1 },
  CLUSTERS_50B: { base: 2 },
  INDUSTRIAL_VA_ABOVE_SCALE: { base: 1.16e11, basis: 'economy' },
  TAX_PER_MU_ABOVE_SCALE: { base: 215000, spread: 0.6 },
  PORT_CONTAINER_THROUGHPUT: { base: 1.45e6 },
  SEA_RAIL_CONTAINERS: { base: 1.0e5 },
  CHINA_EUROPE_TRAINS: { base: 1399 },
  CROSS_BORDER_ECOMMERCE: { base: 7.9e10, basis: 'economy' },
  BUSINESS_ENV_EASE: { base: 82, spread: 0.05 },
  // jobs, skills
  URBAN_REG_UNEMPLOYMENT_RATE: { base: 0.021 },
  ZERO_EMPLOYMENT_HOUSEHOLDS: { base: 24, basis: 'population' },
  TWO_NO_THREE_GUARANTEE_CASES: { base: 6, basis: 'rural' },
  SKILLED_TALENT_TOTAL: { base: 1.02e6, basis: 'population' },
  TRAINING_SKILL_LEVEL_GAIN: { base: 0.75 },
  RESEARCHER_USE_RIGHT_TERM: { step: { year: 2022, from: 0, to: 10 } },
};

/** Incomes and counts are published with nominal growth; GDP growth is real, so it is not used. */
const NOMINAL_GROWTH_ANCHORS = new Set(['INC_PC', 'INC_URBAN_PC', 'INC_RURAL_PC', 'MARKET_ENTITIES']);

const RURAL_CODES = /GRAIN|FERTILI|PESTICIDE|FARM|COOP|VILLAGE|AFFOREST|AGRI_|LEISURE|RESERVOIR|RIVERS|BEAUTIFUL_TOWNS/;
const PEOPLE_CODES = /POP_|EMPLOY|JOBS|TRAINING|HOUSEHOLDS|HOUSING|TALENT|RECRUITED/;

// ───────────────────────── org-unit tree ─────────────────────────

interface Tree {
  root: DemoOrgUnit;
  counties: DemoOrgUnit[];
  towns: DemoOrgUnit[];
  townsOf: Map<string, DemoOrgUnit[]>;
  countyOfTown: Map<string, number>;
  /** Villagers' committees (attribute urban=0) under each town and county. */
  rural: Map<string, number>;
  /** All village-level units under each town and county. */
  villages: Map<string, number>;
  byCode: Map<string, DemoOrgUnit>;
}

function buildTree(orgUnits: readonly DemoOrgUnit[], rootCode: string): Tree {
  const byCode = new Map(orgUnits.map((u) => [u.code, u]));
  const root = byCode.get(rootCode);
  if (!root) throw new Error(`the plan's root org unit ${rootCode} is not among the org units`);
  const children = new Map<string, DemoOrgUnit[]>();
  for (const u of orgUnits)
    if (u.parent !== null) {
      const list = children.get(u.parent) ?? [];
      list.push(u);
      children.set(u.parent, list);
    }
  const sorted = (list: DemoOrgUnit[] | undefined) => [...(list ?? [])].sort((a, b) => a.code.localeCompare(b.code));
  const counties = sorted(children.get(root.code)).filter((u) => u.level !== 'department');
  const townsOf = new Map<string, DemoOrgUnit[]>();
  const countyOfTown = new Map<string, number>();
  const rural = new Map<string, number>();
  const villages = new Map<string, number>();
  const towns: DemoOrgUnit[] = [];
  counties.forEach((c, ci) => {
    const ts = sorted(children.get(c.code)).filter((u) => u.level !== 'department');
    townsOf.set(c.code, ts);
    let cr = 0;
    let cv = 0;
    for (const t of ts) {
      towns.push(t);
      countyOfTown.set(t.code, ci);
      const vs = children.get(t.code) ?? [];
      const r = vs.filter((v) => v.attributes?.urban === '0').length;
      rural.set(t.code, r);
      villages.set(t.code, vs.length);
      cr += r;
      cv += vs.length;
    }
    rural.set(c.code, cr);
    villages.set(c.code, cv);
  });
  return { root, counties, towns, townsOf, countyOfTown, rural, villages, byCode };
}

// ───────────────────────── context ─────────────────────────

/** Yearly values per org unit (NaN: none), in base units, over the model years. */
type Series = Map<string, Float64Array>;

interface Profile {
  /** Per county, normalised to sum 1. */
  population: Float64Array;
  economy: Float64Array;
  rural: Float64Array;
  /** Development index per county, 1 = the city. */
  dev: Float64Array;
  mountain: boolean[];
}

interface Ctx {
  plan: Plan;
  tree: Tree;
  years: number[];
  seed: number;
  real: Map<string, RealFigure[]>;
  series: Map<string, Series>;
  profile: Profile;
  indicators: Map<string, Indicator>;
  lagging: Set<string>;
  weak: Set<string>;
  notes: string[];
}

const key = (indicator: string, unit: string, period: string) => `${indicator}|${unit}|${period}`;

/** The current (latest-vintage) real value, or NaN. */
function realValue(ctx: Ctx, indicator: string, unit: string, year: number): number {
  const list = ctx.real.get(key(indicator, unit, String(year)));
  return list && list.length > 0 ? list[list.length - 1]!.value : NaN;
}

/** Real values of a unit over the model years, plus the years before implied by published growth. */
function anchorsOf(ctx: Ctx, indicator: string, unit: string): Float64Array {
  const out = new Float64Array(ctx.years.length).fill(NaN);
  ctx.years.forEach((y, i) => (out[i] = realValue(ctx, indicator, unit, y)));
  if (indicator === 'GDP' && ctx.series.has('POP_RESIDENT')) {
    // a published per-capita GDP implies the GDP (× the mean population) where GDP itself is missing
    const pop = ctx.series.get('POP_RESIDENT')!.get(unit);
    ctx.years.forEach((y, i) => {
      const pc = realValue(ctx, 'GDP_PC', unit, y);
      const p = i > 0 ? ((pop?.[i] ?? NaN) + (pop?.[i - 1] ?? NaN)) / 2 : (pop?.[i] ?? NaN);
      if (!Number.isFinite(out[i]!) && pc > 0 && p > 0) out[i] = pc * p;
    });
  }
  if (NOMINAL_GROWTH_ANCHORS.has(indicator))
    ctx.years.forEach((y, i) => {
      if (i === 0 || Number.isFinite(out[i - 1]!)) return;
      const list = ctx.real.get(key(indicator, unit, String(y)));
      const g = list?.[list.length - 1]?.reportedGrowth;
      if (g !== undefined && Number.isFinite(out[i]!) && g > -0.5) out[i - 1] = out[i]! / (1 + g);
    });
  return out;
}

const levelApplies = (ind: Indicator, unit: DemoOrgUnit) => (ind.levels as readonly string[]).includes(unit.level);

function unitKind(ctx: Ctx, ind: Indicator): string {
  return unitOf(ctx.plan, ind.unit)?.kind ?? 'measure';
}

/** The grid a value is rounded to: whole counts, 0.01 of the display unit for money, 4 decimals for shares. */
function quantum(ctx: Ctx, ind: Indicator): number {
  const def: UnitDefinition | undefined = unitOf(ctx.plan, ind.unit);
  switch (def?.kind) {
    case 'count':
      return 1;
    case 'share':
    case 'rate':
      return 1e-4;
    case 'ratio':
      return 1e-3;
    case 'money':
      return def.displayScale ? Math.max(1, 0.01 / def.displayScale) : 1;
    case 'index':
      return 0.01;
    case 'measure':
      if (def.displayScale) return Math.max(1, 0.01 / def.displayScale);
      return ['mu', 'jin'].includes(ind.unit) ? 1 : 0.01;
    case undefined:
      return 0.01;
  }
}

function quantize(v: number, q: number): number {
  if (!Number.isFinite(v)) return v;
  if (q >= 1) return Math.round(v / q) * q;
  const inv = Math.round(1 / q);
  return Math.round(v * inv) / inv;
}

function clampToBounds(ctx: Ctx, ind: Indicator, v: number): number {
  const kind = unitKind(ctx, ind);
  let lo = ind.bounds?.min ?? -Infinity;
  let hi = ind.bounds?.max ?? Infinity;
  if (kind === 'share') {
    lo = Math.max(lo, 0);
    hi = Math.min(hi, 1);
  }
  if (kind === 'count' || kind === 'money') lo = Math.max(lo, 0);
  return Math.min(hi, Math.max(lo, v));
}

function finish(ctx: Ctx, ind: Indicator, v: number): number {
  if (!Number.isFinite(v)) return NaN;
  const c = clampToBounds(ctx, ind, v);
  let q = quantum(ctx, ind);
  // small measures keep four significant digits (0.0162 deaths per 100m yuan, not 0.02)
  if (q < 1 && c !== 0 && unitKind(ctx, ind) !== 'share')
    q = Math.min(q, Math.pow(10, Math.floor(Math.log10(Math.abs(c))) - 3));
  return quantize(c, q);
}

/** The first target that sizes a series: level, then yearly, cumulative, growth (due by the target year). */
function mainTarget(ctx: Ctx, ind: Indicator): Target | undefined {
  const due = (t: Target) => (t.year ?? ctx.plan.targetYear) <= ctx.plan.targetYear;
  for (const kind of ['level', 'yearly', 'cumulative', 'growth'] as const) {
    const t = ind.targets.find((x) => x.kind === kind && due(x));
    if (t) return t;
  }
  return ind.targets[0];
}

/**
 * A path through the anchors (NaN: none): the model times a correction interpolated between anchors
 * (a ratio in logs, a difference for shares or paths that touch zero), held constant beyond them.
 */
function anchorPath(model: Float64Array, anchors: Float64Array, mode: 'log' | 'lin'): Float64Array {
  const n = model.length;
  const idx: number[] = [];
  for (let i = 0; i < n; i++) if (Number.isFinite(anchors[i]!)) idx.push(i);
  if (idx.length === 0) return model.slice();
  const useLog = mode === 'log' && idx.every((i) => anchors[i]! > 0 && model[i]! > 0);
  const d = idx.map((i) => (useLog ? Math.log(anchors[i]! / model[i]!) : anchors[i]! - model[i]!));
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let corr: number;
    if (i <= idx[0]!) corr = d[0]!;
    else if (i >= idx[idx.length - 1]!) corr = d[d.length - 1]!;
    else {
      let k = 0;
      while (idx[k + 1]! < i) k++;
      const a = idx[k]!;
      const b = idx[k + 1]!;
      corr = d[k]! + ((d[k + 1]! - d[k]!) * (i - a)) / (b - a);
    }
    out[i] = Number.isFinite(anchors[i]!) ? anchors[i]! : useLog ? model[i]! * Math.exp(corr) : model[i]! + corr;
  }
  return out;
}

/** Largest-remainder allocation of `units` whole units by weights; small totals are drawn one by one. */
function allocate(units: number, weights: readonly number[], rng: Rng): number[] {
  const n = weights.length;
  const out = new Array<number>(n).fill(0);
  if (n === 0 || units <= 0) return out;
  const w = weights.map((x) => (Number.isFinite(x) && x > 0 ? x : 0));
  const total = w.reduce((a, b) => a + b, 0);
  if (!(total > 0)) {
    for (let k = 0; k < units; k++) out[rng.int(n)]!++;
    return out;
  }
  if (units < 3 * n) {
    // a few projects or colleges: whichever county gets them is a draw, not always the largest
    for (let k = 0; k < units; k++) out[rng.weighted(w)]!++;
    return out;
  }
  const exact = w.map((x) => (units * x) / total);
  let given = 0;
  exact.forEach((x, i) => {
    out[i] = Math.floor(x);
    given += out[i]!;
  });
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; k < units - given; k++) out[order[k % n]![1]]!++;
  return out;
}

/** Distributes `total` (a multiple of q when q ≥ 1) by weights, exactly. */
function distribute(total: number, weights: readonly number[], q: number, rng: Rng): number[] {
  if (q >= 1) return allocate(Math.round(total / q), weights, rng).map((k) => k * q);
  const s = weights.reduce((a, b) => a + (b > 0 ? b : 0), 0);
  return weights.map((w) => (s > 0 ? (total * Math.max(0, w)) / s : total / weights.length));
}

const normalise = (a: Float64Array): Float64Array => {
  const s = a.reduce((x, y) => x + (Number.isFinite(y) ? y : 0), 0);
  return s > 0 ? a.map((x) => x / s) : a.map(() => 1 / Math.max(1, a.length));
};

function structuralProfile(tree: Tree): Profile {
  const n = tree.counties.length;
  const villages = new Float64Array(n);
  const rural = new Float64Array(n);
  const mountain = tree.counties.map((c) => c.attributes?.mountain === '1');
  tree.counties.forEach((c, i) => {
    villages[i] = (tree.villages.get(c.code) ?? 0) + 5 * (tree.townsOf.get(c.code)?.length ?? 0) + 1;
    rural[i] = (tree.rural.get(c.code) ?? 0) + 1;
  });
  const dev = new Float64Array(n).map((_, i) => (mountain[i] ? 0.8 : 1.02));
  return { population: normalise(villages), economy: normalise(villages), rural: normalise(rural), dev, mountain };
}

/** Shares and development index from the generated core series, where the plan has them. */
function dataProfile(ctx: Ctx): Profile {
  const p = structuralProfile(ctx.tree);
  const last = ctx.years.length - 1;
  const at = (code: string, unit: string) => ctx.series.get(code)?.get(unit)?.[last] ?? NaN;
  const counties = ctx.tree.counties;
  const root = ctx.tree.root.code;
  const pop = Float64Array.from(counties, (c) => at('POP_RESIDENT', c.code));
  const gdp = Float64Array.from(counties, (c) => at('GDP', c.code));
  if (pop.every(Number.isFinite)) p.population = normalise(pop);
  if (gdp.every(Number.isFinite)) p.economy = normalise(gdp);
  const incRoot = at('INC_PC', root);
  const gdpPcRoot = at('GDP', root) / at('POP_RESIDENT', root);
  counties.forEach((c, i) => {
    const parts: number[] = [];
    const inc = at('INC_PC', c.code) / incRoot;
    const gpc = gdp[i]! / pop[i]! / gdpPcRoot;
    if (Number.isFinite(inc) && inc > 0) parts.push(Math.log(inc));
    if (Number.isFinite(gpc) && gpc > 0) parts.push(Math.log(gpc));
    if (parts.length > 0) p.dev[i] = Math.exp(parts.reduce((a, b) => a + b, 0) / parts.length);
  });
  return p;
}

function countyWeights(ctx: Ctx, basis: Basis): Float64Array {
  return ctx.profile[basis === 'economy' ? 'economy' : basis === 'population' ? 'population' : 'rural'];
}

function basisOf(ind: Indicator, prior: Prior | undefined): Basis {
  if (prior?.basis) return prior.basis;
  if (RURAL_CODES.test(ind.code)) return 'rural';
  if (PEOPLE_CODES.test(ind.code)) return 'population';
  return 'economy';
}

/** Population weights of the counties in a year (resident population where generated). */
function populationAt(ctx: Ctx, yi: number): Float64Array {
  const pop = ctx.series.get('POP_RESIDENT');
  const w = Float64Array.from(ctx.tree.counties, (c) => pop?.get(c.code)?.[yi] ?? NaN);
  return w.every((x) => Number.isFinite(x) && x > 0) ? w : ctx.profile.population;
}

/** The city's value from its counties' for a non-sum indicator: mean, weighted mean or population-weighted. */
function rollUp(ctx: Ctx, ind: Indicator, countyValues: readonly number[], yi: number): number {
  let w: ArrayLike<number> = populationAt(ctx, yi);
  if (ind.aggregation.method === 'mean') w = countyValues.map(() => 1);
  if (ind.aggregation.method === 'weightedMean') {
    const ws = ctx.series.get(ind.aggregation.weight);
    const cand = ctx.tree.counties.map((c) => ws?.get(c.code)?.[yi] ?? NaN);
    if (cand.every((x) => Number.isFinite(x) && x > 0)) w = cand;
  }
  let sw = 0;
  let s = 0;
  countyValues.forEach((v, i) => {
    if (!Number.isFinite(v)) return;
    s += v * w[i]!;
    sw += w[i]!;
  });
  return sw > 0 ? s / sw : NaN;
}

// ───────────────────────── model paths ─────────────────────────

interface Draws {
  rng: Rng;
  lag: boolean;
  prior: Prior | undefined;
  /** Years since the base year, divided by the plan's span (0 … 1 at the target year). */
  tt: (yi: number) => number;
}

function draws(ctx: Ctx, ind: Indicator, stream = 'model'): Draws {
  const rng = Rng.of(ctx.seed, ind.code, stream);
  // about one indicator in five lags behind its target (none without a target: no light to turn red)
  const lag = ind.targets.length > 0 && Rng.of(ctx.seed, ind.code, 'lag').chance(0.22);
  const span = Math.max(1, ctx.plan.targetYear - ctx.plan.baseYear);
  return { rng, lag, prior: PRIORS[ind.code], tt: (yi) => (ctx.years[yi]! - ctx.plan.baseYear) / span };
}

function defaultBase(ctx: Ctx, ind: Indicator): number {
  ctx.weak.add(ind.code);
  switch (unitKind(ctx, ind)) {
    case 'money':
      return 1e9;
    case 'count':
      return 1000;
    case 'index':
      return 80;
    case 'ratio':
      return 1;
    default:
      return 100;
  }
}

/** The city's model path for a positive quantity (money, counts, measures, indices, ratios). */
function positiveModel(ctx: Ctx, ind: Indicator, d: Draws): Float64Array {
  const { rng, lag, prior, tt } = d;
  const n = ctx.years.length;
  const out = new Float64Array(n);
  const up = ind.direction === 'up';
  const t = mainTarget(ctx, ind);
  const geometric = (start: number, end: number) => {
    // noise in proportion to the yearly change: 15.1 → 15.5 school years must not jump about
    const sd = Math.min(0.012, (0.15 * Math.abs(Math.log(end / start))) / Math.max(1, n - 1) + 0.0005);
    for (let i = 0; i < n; i++)
      out[i] = start * Math.pow(end / start, tt(i)) * (i === 0 ? 1 : Math.exp(rng.normal(0, sd)));
  };
  if (lag) ctx.lagging.add(ind.code);

  if (prior?.step) {
    const s = prior.step;
    ctx.years.forEach((y, i) => (out[i] = y >= s.year ? s.to : s.from));
    ctx.lagging.delete(ind.code);
    return out;
  }
  if (unitKind(ctx, ind) === 'count' && ind.bounds?.max === 1) {
    // a yes/no milestone (创成5A级景区): reached in one of the later years, or not at all
    const when = lag ? Infinity : ctx.plan.baseYear + 3 + rng.int(3);
    ctx.years.forEach((y, i) => (out[i] = y >= when ? 1 : 0));
    return out;
  }
  if (prior?.base !== undefined && prior.growth !== undefined) {
    let v = prior.base;
    let broken = false;
    const breakAt = lag ? 1 + rng.int(Math.max(1, n - 1)) : -1;
    for (let i = 0; i < n; i++) {
      if (i > 0) {
        let g = prior.growth + rng.normal(0, Math.abs(prior.growth) * 0.25 + 0.0005);
        if (i === breakAt && !broken) {
          g = -0.5 * prior.growth;
          broken = true;
        }
        v *= 1 + g;
      }
      out[i] = v;
    }
    return out;
  }
  const kind = unitKind(ctx, ind);
  // counts and money may overshoot a target by a few per cent; years, hours and indices hardly
  const overshoot = kind === 'count' || kind === 'money' ? 0.08 : 0.02;
  if (t?.kind === 'level' && (t.op === '>=' || t.op === '>') && up) {
    const frac = kind === 'count' || kind === 'money' ? rng.uniform(0.5, 0.72) : rng.uniform(0.82, 0.93);
    const start = prior?.base ?? t.value * frac;
    let end: number;
    if (start >= t.value) end = start * (1 + rng.uniform(0.005, 0.02));
    else if (lag) end = start + (t.value - start) * rng.uniform(0.4, 0.8);
    else end = t.value * (1 + rng.uniform(0, overshoot));
    geometric(start, end);
    return out;
  }
  if (t?.kind === 'level' && (t.op === '<=' || t.op === '<') && t.value <= 0) {
    const start = prior?.base ?? defaultBase(ctx, ind);
    const rest = lag ? rng.uniform(0.05, 0.15) : 0;
    for (let i = 0; i < n; i++) out[i] = start * Math.max(rest, 1 - tt(i) * rng.uniform(0.95, 1.05));
    return out;
  }
  if (t?.kind === 'level') {
    const v = t.value;
    const goodSide = t.op === '<=' || t.op === '<';
    const start = prior?.base ?? (goodSide ? v * rng.uniform(1.08, 1.3) : v * rng.uniform(0.85, 0.95));
    const short = start + (v - start) * rng.uniform(0.4, 0.8);
    let end: number;
    if (t.op === '~') end = lag ? short : v * rng.uniform(0.98, 1.02);
    else if (start <= v === goodSide) end = start * (1 + (goodSide ? -1 : 1) * rng.uniform(0.005, 0.03));
    else end = lag ? short : v * (1 + (goodSide ? -1 : 1) * rng.uniform(0, overshoot));
    geometric(start, end);
    return out;
  }
  if (t?.kind === 'yearly') {
    const from = t.from ?? ctx.plan.baseYear + 1;
    if ((t.op === '<=' || t.op === '<') && t.value <= 0) {
      const start = prior?.base ?? defaultBase(ctx, ind);
      const slip = lag ? from + rng.int(Math.max(1, ctx.plan.targetYear - from + 1)) : Infinity;
      ctx.years.forEach((y, i) => {
        if (y < from) out[i] = start * Math.exp(rng.normal(0, 0.1));
        else out[i] = y === slip ? Math.max(1, Math.round(start * rng.uniform(0.05, 0.2))) : 0;
      });
      return out;
    }
    const below = t.op === '<=' || t.op === '<';
    ctx.years.forEach((y, i) => {
      const m = below ? (lag ? 0.03 : -0.08) : lag ? -0.05 : 0.08;
      out[i] = y < from ? t.value * rng.uniform(0.85, 1.0) : t.value * Math.exp(rng.normal(m, 0.04));
    });
    return out;
  }
  if (t?.kind === 'cumulative') {
    const from = t.from ?? ctx.plan.baseYear + 1;
    const to = t.year ?? ctx.plan.targetYear;
    const yearsIn = Math.max(1, to - from + 1);
    const mean = t.value / yearsIn;
    const level = lag ? rng.uniform(0.7, 0.85) : rng.uniform(1.0, 1.12);
    ctx.years.forEach((y, i) => {
      const rise = 0.85 + 0.3 * Math.min(1, Math.max(0, (y - from) / Math.max(1, yearsIn - 1)));
      out[i] = y < from ? mean * rng.uniform(0.55, 0.85) : mean * rise * level * Math.exp(rng.normal(0, 0.12));
    });
    return out;
  }
  if (t?.kind === 'growth') {
    let v = prior?.base ?? defaultBase(ctx, ind);
    const f = lag ? rng.uniform(0.35, 0.65) : rng.uniform(0.8, 1.1);
    for (let i = 0; i < n; i++) {
      if (i > 0) {
        if (t.rate !== undefined) v *= 1 + t.rate * f + rng.normal(0, 0.012);
        else v += (t.amount ?? 0) * f * Math.exp(rng.normal(0, 0.15));
      }
      out[i] = v;
    }
    return out;
  }
  // trend, relative, rank, none
  let v = prior?.base ?? defaultBase(ctx, ind);
  const g = prior?.growth ?? (up ? 0.04 : -0.03);
  const breakAt = lag ? 1 + rng.int(Math.max(1, n - 1)) : -1;
  for (let i = 0; i < n; i++) {
    if (i > 0) v *= 1 + (i === breakAt ? -0.5 * g : g + rng.normal(0, Math.abs(g) * 0.3 + 0.001));
    out[i] = v;
  }
  return out;
}

/** Parameters of a share's path: start and end, or a yearly level, and whether it only ever improves. */
interface ShareModel {
  start: number;
  end: number;
  yearly?: { value: number; from: number; below: boolean };
  /** 1: never falls (coverage), -1: never rises, 0: free. */
  monotone: number;
  lo: number;
  hi: number;
}

function shareModel(ctx: Ctx, ind: Pick<Indicator, 'code' | 'direction' | 'targets' | 'bounds'>, d: Draws): ShareModel {
  const { rng, lag, prior } = d;
  const span = Math.max(1, ctx.plan.targetYear - ctx.plan.baseYear);
  const lo = Math.max(0, ind.bounds?.min ?? 0);
  const hi = Math.min(1, ind.bounds?.max ?? 1);
  const t = mainTarget(ctx, ind as Indicator);
  if (lag) ctx.lagging.add(ind.code);
  if (prior?.base !== undefined && prior.add !== undefined)
    return { start: prior.base, end: prior.base + prior.add * span, monotone: 0, lo, hi };
  if (t?.kind === 'level') {
    const v = t.value;
    if (t.op === '~') {
      const start = prior?.base ?? v * rng.uniform(0.85, 0.95);
      return { start, end: v * (lag ? rng.uniform(0.86, 0.92) : rng.uniform(0.98, 1.02)), monotone: 0, lo, hi };
    }
    if (t.op === '>=' || t.op === '>') {
      const start = prior?.base ?? (v >= 0.999 ? rng.uniform(0.72, 0.92) : v * rng.uniform(0.75, 0.92));
      let end: number;
      if (start >= v) end = Math.min(hi, start + rng.uniform(0.005, 0.02));
      else if (lag) end = v * rng.uniform(0.9, 0.96);
      else end = v >= 0.999 ? 1 : v * rng.uniform(1.0, 1.05);
      return { start, end: Math.min(hi, end), monotone: 1, lo, hi };
    }
    const start = prior?.base ?? v * rng.uniform(1.08, 1.3);
    let end: number;
    if (start <= v) end = start * rng.uniform(0.9, 1.02);
    else end = v * (lag ? rng.uniform(1.03, 1.12) : rng.uniform(0.88, 0.98));
    return { start, end, monotone: -1, lo, hi };
  }
  if (t?.kind === 'yearly')
    return {
      start: t.value,
      end: t.value,
      yearly: { value: t.value, from: t.from ?? ctx.plan.baseYear + 1, below: t.op === '<=' || t.op === '<' },
      monotone: 0,
      lo,
      hi,
    };
  if (prior?.base === undefined) ctx.weak.add(ind.code);
  const start = prior?.base ?? 0.5;
  const add = prior?.add ?? (ind.direction === 'up' ? 0.01 : -0.01);
  return { start, end: start + add * span, monotone: 0, lo, hi };
}

/** One unit's share path: start → end along t^γ, a little noise, clamped, monotone where asked. */
function sharePath(
  ctx: Ctx,
  m: ShareModel,
  start: number,
  end: number,
  d: Draws,
  rng: Rng,
  lag: boolean,
): Float64Array {
  const n = ctx.years.length;
  const out = new Float64Array(n);
  if (m.yearly) {
    const y0 = m.yearly;
    ctx.years.forEach((y, i) => {
      const mu = y0.below ? (lag ? 0.02 : -0.03) : lag ? -0.03 : 0.04;
      out[i] = y < y0.from ? y0.value * rng.uniform(0.9, 1.0) : y0.value + rng.normal(mu, 0.03);
    });
  } else {
    const gamma = rng.uniform(0.7, 1.4);
    const sd = (0.12 * Math.abs(end - start)) / Math.max(1, ctx.years.length) + 0.002;
    for (let i = 0; i < n; i++) {
      const t = d.tt(i);
      const f = t <= 1 ? Math.pow(Math.max(0, t), gamma) : 1 + 0.15 * (t - 1);
      out[i] = start + (end - start) * f + (i === 0 ? 0 : rng.normal(0, sd));
    }
  }
  for (let i = 0; i < n; i++) out[i] = Math.min(m.hi, Math.max(m.lo, out[i]!));
  if (m.monotone !== 0)
    for (let i = 1; i < n; i++)
      out[i] = m.monotone > 0 ? Math.max(out[i]!, out[i - 1]!) : Math.min(out[i]!, out[i - 1]!);
  return out;
}

/** Per-county start/end around the city's, by development and luck; some counties lag. */
function countyShareEnds(ctx: Ctx, m: ShareModel, up: boolean, d: Draws, ci: number, rng: Rng) {
  const gap = Math.abs(m.end - m.start) + 0.02;
  const tilt = (up ? 1 : -1) * (d.prior?.tilt ?? 1);
  const dev = ctx.profile.dev[ci]! - 1;
  const laggard = rng.chance(0.08 + (ctx.profile.mountain[ci] ? 0.12 : 0) + (d.lag ? 0.1 : 0));
  const start = m.start + tilt * 0.6 * gap * dev + rng.normal(0, 0.25 * gap);
  let end = m.end + tilt * 0.3 * gap * dev + rng.normal(0, 0.1 * gap);
  if (laggard) end -= (up ? 1 : -1) * rng.uniform(0.3, 0.7) * gap;
  const clamp = (x: number) => Math.min(m.hi, Math.max(m.lo, x));
  return { start: clamp(start), end: clamp(end), laggard };
}

/** Share paths for the root and each county (NaN rows where the indicator does not apply). */
function sharePaths(
  ctx: Ctx,
  ind: Pick<Indicator, 'code' | 'direction' | 'targets' | 'bounds'>,
  d: Draws,
): { model: ShareModel; root: Float64Array; counties: Float64Array[]; laggards: boolean[] } {
  const m = shareModel(ctx, ind, d);
  const up = ind.direction === 'up';
  const root = sharePath(ctx, m, m.start, m.end, d, d.rng, d.lag);
  const laggards: boolean[] = [];
  const counties = ctx.tree.counties.map((c, ci) => {
    const rng = Rng.of(ctx.seed, ind.code, 'share', c.code);
    const e = countyShareEnds(ctx, m, up, d, ci, rng);
    laggards.push(e.laggard);
    return sharePath(ctx, m, e.start, e.end, d, rng, d.lag || e.laggard);
  });
  return { model: m, root, counties, laggards };
}

// ───────────────────────── settling: sums, roll-ups, towns ─────────────────────────

interface Applies {
  root: boolean;
  county: boolean;
  town: boolean;
}

function appliesTo(ctx: Ctx, ind: Indicator): Applies {
  const t = ctx.tree;
  return {
    root: levelApplies(ind, t.root),
    county: t.counties.length > 0 && t.counties.every((c) => levelApplies(ind, c)),
    town: t.towns.length > 0 && t.towns.every((c) => levelApplies(ind, c)),
  };
}

const emptyRow = (n: number) => new Float64Array(n).fill(NaN);

/**
 * A sum indicator from its counties' model paths: real county figures stay; where the city has a real
 * figure the other counties share what is left (so the counties add up to it); otherwise the city's
 * model total is shared out, or the city is the sum of its counties.
 */
function settleSum(
  ctx: Ctx,
  ind: Indicator,
  rootModel: Float64Array | undefined,
  countyModels: readonly Float64Array[],
): Series {
  const s: Series = new Map();
  const a = appliesTo(ctx, ind);
  const q = quantum(ctx, ind);
  const rng = Rng.of(ctx.seed, ind.code, 'allocate');
  const { counties, root } = ctx.tree;
  const n = ctx.years.length;
  const rootRow = emptyRow(n);
  const rows = counties.map(() => emptyRow(n));
  // Where the city has a real figure, the free counties are scaled to fit it; the scale is
  // interpolated to the years between, so a county's path does not jump in and out of them.
  const scale = new Float64Array(n).fill(NaN);
  if (a.root && a.county)
    for (let yi = 0; yi < n; yi++) {
      const y = ctx.years[yi]!;
      const rootReal = realValue(ctx, ind.code, root.code, y);
      if (!Number.isFinite(rootReal)) continue;
      let rest = rootReal;
      let modelled = 0;
      counties.forEach((c, ci) => {
        const r = realValue(ctx, ind.code, c.code, y);
        if (Number.isFinite(r)) rest -= r;
        else modelled += Math.max(0, countyModels[ci]![yi]!);
      });
      const k = rest / modelled;
      if (modelled > 0 && k > 0.6 && k < 1.6) scale[yi] = k;
    }
  const k = anchorPath(new Float64Array(n).fill(1), scale, 'log');
  for (let yi = 0; yi < n; yi++) {
    const y = ctx.years[yi]!;
    const rootReal = a.root ? realValue(ctx, ind.code, root.code, y) : NaN;
    if (!a.county) {
      rootRow[yi] = Number.isFinite(rootReal) ? rootReal : finish(ctx, ind, rootModel?.[yi] ?? NaN);
      continue;
    }
    const fixed = counties.map((c) => realValue(ctx, ind.code, c.code, y));
    const freeIdx = fixed.map((v, i) => (Number.isFinite(v) ? -1 : i)).filter((i) => i >= 0);
    const models = countyModels.map((m) => Math.max(0, clampToBounds(ctx, ind, m[yi]! * k[yi]!)));
    const values = fixed.slice();
    const fill = (vals: readonly number[]) => freeIdx.forEach((ci, k) => (values[ci] = vals[k]!));
    const sumFixed = fixed.reduce((acc, v) => acc + (Number.isFinite(v) ? v : 0), 0);
    if (Number.isFinite(rootReal) && freeIdx.length > 0) {
      const rest = rootReal - sumFixed;
      const modelled = freeIdx.reduce((acc, ci) => acc + models[ci]!, 0);
      const ratio = rest / modelled;
      if (rest >= 0 && modelled > 0 && ratio > 0.6 && ratio < 1.6)
        fill(
          distribute(
            rest,
            freeIdx.map((ci) => models[ci]!),
            q,
            rng,
          ),
        );
      else {
        fill(freeIdx.map((ci) => finish(ctx, ind, models[ci]!)));
        ctx.notes.push(
          `${ind.code} ${y}: the city's real figure minus the real county figures leaves ${rest.toPrecision(4)} for the other counties, ${ratio.toFixed(2)}× their model; they keep their model values and do not add up to the city`,
        );
      }
    } else if (!Number.isFinite(rootReal) && freeIdx.length === counties.length && rootModel) {
      fill(distribute(finish(ctx, ind, rootModel[yi]!), models, q, rng));
    } else {
      fill(freeIdx.map((ci) => finish(ctx, ind, models[ci]!)));
    }
    values.forEach((v, ci) => (rows[ci]![yi] = v));
    rootRow[yi] = Number.isFinite(rootReal)
      ? rootReal
      : quantize(
          values.reduce((acc, v) => acc + v, 0),
          q,
        );
  }
  if (a.root) s.set(root.code, rootRow);
  if (a.county) counties.forEach((c, ci) => s.set(c.code, rows[ci]!));
  if (a.town && a.county) townsOfSum(ctx, ind, rows, s);
  return s;
}

/** Towns share their county's value by their number of villages (and luck), exactly. */
function townsOfSum(ctx: Ctx, ind: Indicator, countyRows: readonly Float64Array[], s: Series): void {
  const q = quantum(ctx, ind);
  ctx.tree.counties.forEach((c, ci) => {
    const towns = ctx.tree.townsOf.get(c.code) ?? [];
    if (towns.length === 0) return;
    const rng = Rng.of(ctx.seed, ind.code, 'towns', c.code);
    const base = towns.map((t) => ((ctx.tree.villages.get(t.code) ?? 0) + 1) * Math.exp(rng.normal(0, 0.3)));
    const rows = towns.map(() => emptyRow(ctx.years.length));
    countyRows[ci]!.forEach((v, yi) => {
      if (!Number.isFinite(v)) return;
      const w = base.map((b) => b * Math.exp(rng.normal(0, 0.05)));
      distribute(v, w, q, rng).forEach((x, ti) => (rows[ti]![yi] = x));
    });
    towns.forEach((t, ti) => s.set(t.code, rows[ti]!));
  });
}

/** A non-sum indicator: counties from their models; the city real, or rolled up from its counties. */
function settleMean(
  ctx: Ctx,
  ind: Indicator,
  rootModel: Float64Array | undefined,
  countyModels: readonly Float64Array[] | undefined,
): Series {
  const s: Series = new Map();
  const a = appliesTo(ctx, ind);
  const { counties, root } = ctx.tree;
  const n = ctx.years.length;
  const rows = counties.map((c, ci) => {
    const row = emptyRow(n);
    if (!a.county || !countyModels) return row;
    ctx.years.forEach((y, yi) => {
      const r = realValue(ctx, ind.code, c.code, y);
      row[yi] = Number.isFinite(r) ? r : finish(ctx, ind, countyModels[ci]![yi]!);
    });
    return row;
  });
  if (a.root) {
    const row = emptyRow(n);
    ctx.years.forEach((y, yi) => {
      const r = realValue(ctx, ind.code, root.code, y);
      if (Number.isFinite(r)) row[yi] = r;
      else if (a.county && countyModels)
        row[yi] = finish(
          ctx,
          ind,
          rollUp(
            ctx,
            ind,
            rows.map((x) => x[yi]!),
            yi,
          ),
        );
      else row[yi] = finish(ctx, ind, rootModel?.[yi] ?? NaN);
    });
    s.set(root.code, row);
  }
  if (a.county && countyModels) counties.forEach((c, ci) => s.set(c.code, rows[ci]!));
  if (a.town && a.county && countyModels) {
    const share = unitKind(ctx, ind) === 'share' || unitKind(ctx, ind) === 'rate';
    for (const t of ctx.tree.towns) {
      const rng = Rng.of(ctx.seed, ind.code, 'town', t.code);
      const ci = ctx.tree.countyOfTown.get(t.code)!;
      const off = rng.normal(0, share ? 0.03 : 0.08);
      const row = emptyRow(n);
      rows[ci]!.forEach((v, yi) => {
        const w = rng.normal(0, share ? 0.005 : 0.02);
        row[yi] = finish(ctx, ind, share ? v + off + w : v * Math.exp(off + w));
      });
      s.set(t.code, row);
    }
  }
  return s;
}

/** Running maximum (up) or minimum (down) of a finished row. */
function monotone(row: Float64Array, up: boolean): Float64Array {
  for (let i = 1; i < row.length; i++)
    if (Number.isFinite(row[i]!) && Number.isFinite(row[i - 1]!))
      row[i] = up ? Math.max(row[i]!, row[i - 1]!) : Math.min(row[i]!, row[i - 1]!);
  return row;
}

// ───────────────────────── generic handlers ─────────────────────────

function positiveIndicator(ctx: Ctx, ind: Indicator): Series {
  const d = draws(ctx, ind);
  const a = appliesTo(ctx, ind);
  const root = ctx.tree.root.code;
  const model = positiveModel(ctx, ind, d);
  const anchors = anchorsOf(ctx, ind.code, root);
  const bi = ind.baseline ? ctx.years.indexOf(ind.baseline.year) : -1;
  if (bi >= 0 && !Number.isFinite(anchors[bi]!)) anchors[bi] = ind.baseline!.value;
  const mode = model.every((v) => v > 0) ? 'log' : 'lin';
  const rootPath = anchorPath(model, anchors, mode);
  const t = mainTarget(ctx, ind);
  const stock = ind.periodAggregation !== 'sum' && unitKind(ctx, ind) === 'count' && t?.kind === 'level';

  if (!a.county) {
    const s = settleMean(ctx, ind, rootPath, undefined);
    const row = s.get(root);
    if (row && stock) monotone(row, ind.direction === 'up');
    return s;
  }
  const n = ctx.years.length;
  const rng = Rng.of(ctx.seed, ind.code, 'counties');
  const counties = ctx.tree.counties;
  if (ind.aggregation.method === 'sum') {
    const basis = countyWeights(ctx, basisOf(ind, d.prior));
    const w = counties.map((_, ci) => basis[ci]! * Math.exp(rng.normal(0, 0.15)));
    const models = counties.map(() => new Float64Array(n));
    for (let yi = 0; yi < n; yi++) {
      // year-to-year wobble of a county's share: a little for flows, hardly any for stocks
      const wy = w.map((x) => x * Math.exp(rng.normal(0, ind.periodAggregation === 'sum' ? 0.012 : 0.004)));
      const sw = wy.reduce((x, y) => x + y, 0);
      counties.forEach((_, ci) => (models[ci]![yi] = (rootPath[yi]! * wy[ci]!) / sw));
    }
    const anchored = counties.map((c, ci) => anchorPath(models[ci]!, anchorsOf(ctx, ind.code, c.code), mode));
    return settleSum(ctx, ind, rootPath, anchored);
  }
  const up = ind.direction === 'up';
  // year-to-year noise of a county in proportion to the city's typical yearly change
  let step = 0;
  for (let yi = 1; yi < n; yi++) step += Math.abs(Math.log(rootPath[yi]! / rootPath[yi - 1]!)) / (n - 1);
  const yearSd = Number.isFinite(step) ? Math.min(0.004, 0.2 * step + 0.0003) : 0.004;
  const spread = d.prior?.spread ?? rng.uniform(0.15, 0.5);
  const sign = (up ? 1 : -1) * (d.prior?.tilt ?? 1);
  const f = counties.map((_, ci) => {
    let x = Math.pow(ctx.profile.dev[ci]!, sign * spread) * Math.exp(rng.normal(0, Math.min(0.05, 0.3 * spread)));
    const lagP = 0.08 + (ctx.profile.mountain[ci] ? 0.12 : 0) + (d.lag ? 0.1 : 0);
    if (t?.kind === 'level' && rng.chance(lagP)) x *= up ? rng.uniform(0.9, 0.96) : rng.uniform(1.04, 1.1);
    return x;
  });
  const pop = ctx.profile.population;
  const mean = f.reduce((acc, x, ci) => acc + x * pop[ci]!, 0);
  const models = counties.map((_, ci) => {
    const m = new Float64Array(n);
    for (let yi = 0; yi < n; yi++) m[yi] = (rootPath[yi]! * f[ci]!) / mean / Math.exp(rng.normal(0, yearSd));
    return anchorPath(m, anchorsOf(ctx, ind.code, counties[ci]!.code), mode);
  });
  return settleMean(ctx, ind, rootPath, models);
}

/** Is this a share of the root's counties (拥有三级医院的县(市、区)占比), so k/N? */
function isCountyShare(ctx: Ctx, ind: Indicator): boolean {
  return (
    unitKind(ctx, ind) === 'share' &&
    ind.levels.length === 1 &&
    ind.levels[0] === ctx.tree.root.level &&
    ctx.tree.counties.length > 0 &&
    (ind.name.zh.includes('县(市、区)') || /(^|_)COUNTY(_|$)/.test(ind.code))
  );
}

/** Is this a share of administrative villages reported by towns (行政村覆盖率), so k/n of real villages? */
function isVillageShare(ctx: Ctx, ind: Indicator): boolean {
  return appliesTo(ctx, ind).town && ctx.tree.towns.some((t) => (ctx.tree.rural.get(t.code) ?? 0) > 0);
}

function shareIndicator(ctx: Ctx, ind: Indicator): Series {
  const d = draws(ctx, ind);
  const a = appliesTo(ctx, ind);
  const root = ctx.tree.root.code;
  const p = sharePaths(ctx, ind, d);
  const rootPath = anchorPath(p.root, anchorsOf(ctx, ind.code, root), 'lin');
  if (!a.county) {
    const s = settleMean(ctx, ind, rootPath, undefined);
    const row = s.get(root);
    if (row && isCountyShare(ctx, ind)) {
      const k = ctx.tree.counties.length;
      row.forEach((v, i) => (row[i] = quantize(Math.round(v * k) / k, 1e-4)));
      monotone(row, ind.direction === 'up');
    }
    return s;
  }
  const counties = p.counties.map((c, ci) =>
    anchorPath(c, anchorsOf(ctx, ind.code, ctx.tree.counties[ci]!.code), 'lin'),
  );
  if (isVillageShare(ctx, ind)) return villageShares(ctx, ind, p.model, counties);
  return settleMean(ctx, ind, rootPath, counties);
}

/**
 * Shares of administrative villages by town: k of the town's n villagers' committees, never falling;
 * the county's and the city's value are Σk / Σn (a ratio of sums). Towns without villages (streets
 * of residents' committees only) get no value.
 */
function villageShares(ctx: Ctx, ind: Indicator, m: ShareModel, countyPaths: readonly Float64Array[]): Series {
  const s: Series = new Map();
  const n = ctx.years.length;
  const up = ind.direction === 'up';
  const num = ctx.tree.counties.map(() => new Float64Array(n));
  const den = ctx.tree.counties.map(() => new Float64Array(n));
  for (const t of ctx.tree.towns) {
    const villages = ctx.tree.rural.get(t.code) ?? 0;
    if (villages === 0) continue;
    const ci = ctx.tree.countyOfTown.get(t.code)!;
    const rng = Rng.of(ctx.seed, ind.code, 'village-share', t.code);
    const off = rng.normal(0, 0.06);
    const laggard = rng.chance(0.1);
    const row = emptyRow(n);
    let k = 0;
    for (let yi = 0; yi < n; yi++) {
      const fade = 1 - 0.6 * Math.min(1, yi / Math.max(1, n - 1));
      let v = countyPaths[ci]![yi]! + off * fade + rng.normal(0, 0.01);
      if (laggard) v -= (up ? 1 : -1) * 0.06 * (yi / Math.max(1, n - 1));
      v = Math.min(m.hi, Math.max(m.lo, v));
      const kk = Math.round(v * villages);
      k = yi === 0 ? kk : up ? Math.max(k, kk) : Math.min(k, kk);
      row[yi] = quantize(k / villages, 1e-4);
      num[ci]![yi]! += k;
      den[ci]![yi]! += villages;
    }
    s.set(t.code, row);
  }
  const a = appliesTo(ctx, ind);
  const rootRow = emptyRow(n);
  for (let yi = 0; yi < n; yi++) {
    let sn = 0;
    let sd = 0;
    ctx.tree.counties.forEach((c, ci) => {
      const dd = den[ci]![yi]!;
      const real = realValue(ctx, ind.code, c.code, ctx.years[yi]!);
      const row = s.get(c.code) ?? emptyRow(n);
      row[yi] = Number.isFinite(real) ? real : dd > 0 ? quantize(num[ci]![yi]! / dd, 1e-4) : NaN;
      if (a.county) s.set(c.code, row);
      sn += num[ci]![yi]!;
      sd += dd;
    });
    const real = realValue(ctx, ind.code, ctx.tree.root.code, ctx.years[yi]!);
    rootRow[yi] = Number.isFinite(real) ? real : sd > 0 ? quantize(sn / sd, 1e-4) : NaN;
  }
  if (a.root) s.set(ctx.tree.root.code, rootRow);
  return s;
}

// ───────────────────────── linked series ─────────────────────────

/** A formula `A / B` of a share the plan computes, whose numerator is a raw series without targets. */
interface ShareLink {
  formula: Indicator;
  denominator: string;
}

function shareLinks(plan: Plan): Map<string, ShareLink> {
  const raw = new Map(plan.indicators.filter((i) => i.computation.kind === 'raw').map((i) => [i.code, i]));
  const out = new Map<string, ShareLink>();
  for (const f of plan.indicators) {
    if (f.computation.kind !== 'formula' || unitOf(plan, f.unit)?.kind !== 'share') continue;
    const m = /^\s*([A-Z][A-Z0-9_]*)\s*\/\s*([A-Z][A-Z0-9_]*)\s*$/.exec(f.computation.expression);
    if (!m) continue;
    const [, num, den] = m as unknown as [string, string, string];
    const a = raw.get(num);
    if (!a || !raw.has(den) || num === den || a.targets.length > 0 || out.has(num)) continue;
    out.set(num, { formula: f, denominator: den });
  }
  return out;
}

/** A = s × B for every unit, s a path per unit; then settled as a sum (or a mean). */
function productIndicator(
  ctx: Ctx,
  ind: Indicator,
  denominator: string,
  root: Float64Array,
  counties: readonly Float64Array[],
): Series {
  const b = ctx.series.get(denominator)!;
  const n = ctx.years.length;
  const mult = (s: Float64Array, unit: string) => {
    const out = new Float64Array(n);
    const row = b.get(unit);
    for (let i = 0; i < n; i++) out[i] = s[i]! * (row?.[i] ?? NaN);
    return out;
  };
  const rootModel = mult(root, ctx.tree.root.code);
  const models = ctx.tree.counties.map((c, ci) =>
    anchorPath(mult(counties[ci]!, c.code), anchorsOf(ctx, ind.code, c.code), 'log'),
  );
  if (ind.aggregation.method === 'sum') return settleSum(ctx, ind, undefined, models);
  return settleMean(ctx, ind, rootModel, models);
}

function linkedShare(ctx: Ctx, ind: Indicator, link: ShareLink): Series {
  const f = link.formula;
  const d = draws(ctx, f, 'link');
  const p = sharePaths(ctx, f, d);
  const share = (unit: string, path: Float64Array) => {
    const anchors = anchorsOf(ctx, f.code, unit);
    ctx.years.forEach((y, i) => {
      if (Number.isFinite(anchors[i]!)) return;
      const an = realValue(ctx, ind.code, unit, y);
      const bd = realValue(ctx, link.denominator, unit, y);
      if (Number.isFinite(an) && bd > 0) anchors[i] = an / bd;
    });
    return anchorPath(path, anchors, 'lin');
  };
  const root = share(ctx.tree.root.code, p.root);
  const counties = ctx.tree.counties.map((c, ci) => share(c.code, p.counties[ci]!));
  if (!ctx.series.has(link.denominator)) return positiveIndicator(ctx, ind);
  return productIndicator(ctx, ind, link.denominator, root, counties);
}

/** value = ratio × another indicator, the ratio a prior's line (全社会就业人员 ≈ 65% of residents). */
function ratioIndicator(ctx: Ctx, ind: Indicator, other: string, prior: Prior): Series {
  const n = ctx.years.length;
  const rng = Rng.of(ctx.seed, ind.code, 'ratio');
  const line = (off: number) =>
    Float64Array.from(ctx.years, (y) => ((prior.base ?? 1) + (prior.add ?? 0) * (y - ctx.plan.baseYear)) * off);
  const root = line(1);
  const counties = ctx.tree.counties.map(() => {
    const l = line(Math.exp(rng.normal(0, 0.05)));
    for (let i = 0; i < n; i++) l[i] = l[i]! * Math.exp(rng.normal(0, 0.005));
    return l;
  });
  return productIndicator(ctx, ind, other, root, counties);
}

/** value = another indicator ÷ resident population (per-capita education spending from the budget). */
function perCapitaIndicator(ctx: Ctx, ind: Indicator, of: string): Series {
  const x = ctx.series.get(of)!;
  const pop = ctx.series.get('POP_RESIDENT')!;
  const per = (unit: string) =>
    Float64Array.from(ctx.years, (_, i) => (x.get(unit)?.[i] ?? NaN) / (pop.get(unit)?.[i] ?? NaN));
  return settleMean(
    ctx,
    ind,
    per(ctx.tree.root.code),
    ctx.tree.counties.map((c) => per(c.code)),
  );
}

/**
 * Urban and rural income from resident income I, the urban share u of the survey population and an
 * urban–rural ratio k: R = I / (u·k + 1 − u), U = k·R. The survey's urban share is below the census
 * urbanisation rate (Jinhua 2022: (I − R)/(U − R) = 0.66 against 69.4%); the factor between them is
 * taken from the units where I, U and R are all published (about 0.94), else 1.
 */
function urbanRuralIncomes(ctx: Ctx): void {
  const urban = ctx.indicators.get('INC_URBAN_PC')!;
  const rural = ctx.indicators.get('INC_RURAL_PC')!;
  const inc = ctx.series.get('INC_PC')!;
  const pop = ctx.series.get('POP_RESIDENT');
  const popU = ctx.series.get('POP_URBAN');
  const prior = PRIORS.URBAN_RURAL_INC_RATIO!;
  const n = ctx.years.length;
  const su: Series = new Map();
  const sr: Series = new Map();
  const units: [DemoOrgUnit, number][] = [
    [ctx.tree.root, -1],
    ...ctx.tree.counties.map((c, ci): [DemoOrgUnit, number] => [c, ci]),
  ];
  const urbanShare = (unit: string, i: number) => (popU?.get(unit)?.[i] ?? NaN) / (pop?.get(unit)?.[i] ?? NaN);
  const factors: number[] = [];
  for (const [unit] of units)
    ctx.years.forEach((y, i) => {
      const [iv, uv, rv] = ['INC_PC', urban.code, rural.code].map((c) => realValue(ctx, c, unit.code, y)) as [
        number,
        number,
        number,
      ];
      const f = (iv - rv) / (uv - rv) / urbanShare(unit.code, i);
      if (Number.isFinite(f) && f > 0.7 && f < 1.2) factors.push(f);
    });
  const surveyFactor = factors.length > 0 ? factors.reduce((a, b) => a + b, 0) / factors.length : 1;
  for (const [unit, ci] of units) {
    if (!levelApplies(urban, unit) || !levelApplies(rural, unit)) continue;
    const rng = Rng.of(ctx.seed, 'URBAN_RURAL_INC_RATIO', unit.code);
    const off =
      ci < 0 ? 0 : -0.35 * (ctx.profile.dev[ci]! - 1) + (ctx.profile.mountain[ci] ? 0.03 : 0) + rng.normal(0, 0.04);
    const model = Float64Array.from(
      ctx.years,
      (y) => (prior.base ?? 2) + (prior.add ?? 0) * (y - ctx.plan.baseYear) + off + rng.normal(0, 0.01),
    );
    // known urban and rural incomes: published, or implied by the growth published the year after
    const knownU = anchorsOf(ctx, urban.code, unit.code);
    const knownR = anchorsOf(ctx, rural.code, unit.code);
    const anchors = anchorsOf(ctx, 'URBAN_RURAL_INC_RATIO', unit.code);
    for (let i = 0; i < n; i++)
      if (!Number.isFinite(anchors[i]!) && knownU[i]! > 0 && knownR[i]! > 0) anchors[i] = knownU[i]! / knownR[i]!;
    const ratio = anchorPath(model, anchors, 'lin');
    const ru = emptyRow(n);
    const rr = emptyRow(n);
    ctx.years.forEach((y, i) => {
      const k = Math.max(1.05, ratio[i]!);
      const share = urbanShare(unit.code, i) * surveyFactor;
      const us = Number.isFinite(share) ? Math.min(0.98, Math.max(0.02, share)) : 0.7;
      const total = inc.get(unit.code)?.[i] ?? NaN;
      let uv = knownU[i]!;
      let rv = knownR[i]!;
      if (!Number.isFinite(uv) && !Number.isFinite(rv)) {
        rv = total / (us * k + 1 - us);
        uv = rv * k;
      } else if (!Number.isFinite(rv)) rv = uv / k;
      else if (!Number.isFinite(uv)) uv = rv * k;
      const realU = realValue(ctx, urban.code, unit.code, y);
      const realR = realValue(ctx, rural.code, unit.code, y);
      ru[i] = Number.isFinite(realU) ? realU : finish(ctx, urban, uv);
      rr[i] = Number.isFinite(realR) ? realR : finish(ctx, rural, rv);
    });
    su.set(unit.code, ru);
    sr.set(unit.code, rr);
  }
  ctx.series.set(urban.code, su);
  ctx.series.set(rural.code, sr);
}

/** Per-capita GDP = GDP ÷ the mean of the year-end populations (real figures stay). */
function gdpPerCapita(ctx: Ctx, ind: Indicator): Series {
  const gdp = ctx.series.get('GDP')!;
  const pop = ctx.series.get('POP_RESIDENT')!;
  const s: Series = new Map();
  for (const unit of [ctx.tree.root, ...ctx.tree.counties]) {
    if (!levelApplies(ind, unit)) continue;
    const g = gdp.get(unit.code);
    const p = pop.get(unit.code);
    s.set(
      unit.code,
      Float64Array.from(ctx.years, (y, i) => {
        const real = realValue(ctx, ind.code, unit.code, y);
        if (Number.isFinite(real)) return real;
        const mean = i > 0 ? ((p?.[i] ?? NaN) + (p?.[i - 1] ?? NaN)) / 2 : (p?.[i] ?? NaN);
        return finish(ctx, ind, (g?.[i] ?? NaN) / mean);
      }),
    );
  }
  return s;
}

/** The city's income over each mountain county's (山区县与全市居民收入倍差); other counties get none. */
function mountainIncomeRatio(ctx: Ctx, ind: Indicator): Series {
  const inc = ctx.series.get('INC_PC')!;
  const root = inc.get(ctx.tree.root.code);
  const s: Series = new Map();
  ctx.tree.counties.forEach((c, ci) => {
    if (!ctx.profile.mountain[ci] || !levelApplies(ind, c)) return;
    const row = inc.get(c.code);
    s.set(
      c.code,
      Float64Array.from(ctx.years, (y, i) => {
        const real = realValue(ctx, ind.code, c.code, y);
        return Number.isFinite(real) ? real : finish(ctx, ind, (root?.[i] ?? NaN) / (row?.[i] ?? NaN));
      }),
    );
  });
  return s;
}

/** Administrative villages: the villagers' committees of the org-unit file, the same every year. */
function adminVillages(ctx: Ctx, ind: Indicator): Series {
  const models = ctx.tree.counties.map((c) => new Float64Array(ctx.years.length).fill(ctx.tree.rural.get(c.code) ?? 0));
  return settleSum(ctx, ind, undefined, models);
}

// ───────────────────────── order and dispatch ─────────────────────────

function dependencies(ctx: Ctx, ind: Indicator, links: Map<string, ShareLink>): string[] {
  const deps = ['POP_RESIDENT'];
  const link = links.get(ind.code);
  if (link) deps.push(link.denominator);
  const prior = PRIORS[ind.code];
  if (prior?.ratioOf) deps.push(prior.ratioOf);
  if (prior?.perCapitaOf) deps.push(prior.perCapitaOf);
  if (ind.code === 'INC_URBAN_PC' || ind.code === 'INC_RURAL_PC') deps.push('INC_PC', 'POP_URBAN');
  if (ind.code === 'GDP_PC') deps.push('GDP');
  if (ind.code === 'MOUNTAIN_COUNTY_INC_RATIO') deps.push('INC_PC');
  if (ind.aggregation.method === 'weightedMean') deps.push(ind.aggregation.weight);
  return deps.filter((x) => x !== ind.code && ctx.indicators.get(x)?.computation.kind === 'raw');
}

function generateOne(ctx: Ctx, ind: Indicator, links: Map<string, ShareLink>): Series {
  const has = (code: string) => ctx.series.has(code);
  const prior = PRIORS[ind.code];
  const link = links.get(ind.code);
  if (link && has(link.denominator)) return linkedShare(ctx, ind, link);
  if (prior?.ratioOf && has(prior.ratioOf)) return ratioIndicator(ctx, ind, prior.ratioOf, prior);
  if (prior?.perCapitaOf && has(prior.perCapitaOf) && has('POP_RESIDENT'))
    return perCapitaIndicator(ctx, ind, prior.perCapitaOf);
  if (
    (ind.code === 'INC_URBAN_PC' || ind.code === 'INC_RURAL_PC') &&
    has('INC_PC') &&
    ctx.indicators.get('INC_URBAN_PC')?.computation.kind === 'raw' &&
    ctx.indicators.get('INC_RURAL_PC')?.computation.kind === 'raw'
  ) {
    if (!has(ind.code)) urbanRuralIncomes(ctx);
    return ctx.series.get(ind.code)!;
  }
  if (ind.code === 'GDP_PC' && has('GDP') && has('POP_RESIDENT')) return gdpPerCapita(ctx, ind);
  if (ind.code === 'MOUNTAIN_COUNTY_INC_RATIO' && has('INC_PC')) return mountainIncomeRatio(ctx, ind);
  if (ind.code === 'ADMIN_VILLAGES' && ctx.tree.towns.some((t) => (ctx.tree.rural.get(t.code) ?? 0) > 0))
    return adminVillages(ctx, ind);
  const kind = unitKind(ctx, ind);
  if (kind === 'share' || kind === 'rate') return shareIndicator(ctx, ind);
  return positiveIndicator(ctx, ind);
}

// ───────────────────────── months and quarters ─────────────────────────

/** Share of a year's flow by month: low in February (Spring Festival), high in December. */
const MONTH_FLOW = [0.078, 0.058, 0.08, 0.081, 0.083, 0.088, 0.082, 0.081, 0.085, 0.083, 0.087, 0.114];
/** Monthly level relative to the year's mean, for averaged series: higher in winter (PM2.5). */
const MONTH_MEAN = [1.35, 1.25, 1.05, 0.9, 0.8, 0.7, 0.65, 0.7, 0.8, 0.95, 1.15, 1.3];

function profileOf(type: PeriodType, monthly: readonly number[], mean: boolean): number[] {
  if (type === 'month') return [...monthly];
  const q = [0, 1, 2, 3].map((k) => monthly.slice(3 * k, 3 * k + 3).reduce((a, b) => a + b, 0));
  return mean ? q.map((x) => x / 3) : q;
}

/** Sub-year values of one unit for one year. */
function splitYear(ctx: Ctx, ind: Indicator, type: PeriodType, v: number, previous: number, rng: Rng): number[] {
  const q = quantum(ctx, ind);
  const k = type === 'month' ? 12 : 4;
  if (!Number.isFinite(v)) return new Array<number>(k).fill(NaN);
  if (ind.periodAggregation === 'sum') {
    const w = profileOf(type, MONTH_FLOW, false).map((x) => x * Math.exp(rng.normal(0, 0.04)));
    return distribute(v, w, q, rng);
  }
  if (ind.periodAggregation === 'mean') {
    const f = profileOf(type, MONTH_MEAN, true).map((x) => Math.pow(x, 0.5) * Math.exp(rng.normal(0, 0.03)));
    const m = f.reduce((a, b) => a + b, 0) / k;
    return f.map((x) => finish(ctx, ind, (v * x) / m));
  }
  const from = Number.isFinite(previous) ? previous : v;
  return Array.from({ length: k }, (_, j) =>
    j === k - 1 ? v : finish(ctx, ind, from + ((v - from) * (j + 1)) / k + rng.normal(0, Math.abs(v - from) * 0.05)),
  );
}

// ───────────────────────── the generator ─────────────────────────

/**
 * Demo values for every raw indicator of the plan, for the root, its counties and its towns (village
 * level is skipped), from the plan's base year to the latest complete period at `asOf` (capped at the
 * plan's target year). Real figures come first and are never replaced.
 */
export function generateDemoData(options: DemoOptions): DemoData {
  const { plan, asOf } = options;
  const seed = (options.seed ?? DEFAULT_SEED) >>> 0;
  const tz = options.timeZone ?? 'Asia/Shanghai';
  const tree = buildTree(options.orgUnits, plan.rootOrgUnit);
  const capped = (type: PeriodType) => {
    const p = latestCompletePeriod(type, asOf, tz);
    return p.year > plan.targetYear
      ? makePeriod(type, plan.targetYear, type === 'month' ? 12 : type === 'quarter' ? 4 : 1)
      : p;
  };
  const latest = { year: capped('year'), quarter: capped('quarter'), month: capped('month') };
  const rawIndicators = plan.indicators.filter((i) => i.computation.kind === 'raw');
  const needs = (type: PeriodType) => rawIndicators.some((i) => i.periodicity === type);
  const lastModelYear = Math.max(
    latest.year.year,
    needs('quarter') ? latest.quarter.year : -Infinity,
    needs('month') ? latest.month.year : -Infinity,
  );
  const years: number[] = [];
  for (let y = plan.baseYear; y <= lastModelYear; y++) years.push(y);

  const real = new Map<string, RealFigure[]>();
  for (const f of options.realFigures ?? []) {
    const k = key(f.indicator, f.orgUnit, f.period);
    real.set(k, [...(real.get(k) ?? []), f].sort(byVintage));
  }
  const ctx: Ctx = {
    plan,
    tree,
    years,
    seed,
    real,
    series: new Map(),
    profile: structuralProfile(tree),
    indicators: new Map(plan.indicators.map((i) => [i.code, i])),
    lagging: new Set(),
    weak: new Set(),
    notes: [],
  };

  // Core series first (with the structural profile), then the profile from them, then the rest.
  const links = shareLinks(plan);
  const done = new Set<string>();
  const visiting = new Set<string>();
  const run = (ind: Indicator) => {
    if (done.has(ind.code) || visiting.has(ind.code)) return;
    visiting.add(ind.code);
    for (const dep of dependencies(ctx, ind, links)) run(ctx.indicators.get(dep)!);
    if (years.length > 0) ctx.series.set(ind.code, generateOne(ctx, ind, links));
    visiting.delete(ind.code);
    done.add(ind.code);
  };
  for (const code of ['POP_RESIDENT', 'GDP', 'INC_PC']) {
    const ind = ctx.indicators.get(code);
    if (ind?.computation.kind === 'raw') run(ind);
  }
  if (years.length > 0) ctx.profile = dataProfile(ctx);
  rawIndicators.forEach(run);

  return emitAll(ctx, options, latest);
}

function emitAll(
  ctx: Ctx,
  options: DemoOptions,
  latest: {
    year: ReturnType<typeof makePeriod>;
    quarter: ReturnType<typeof makePeriod>;
    month: ReturnType<typeof makePeriod>;
  },
): DemoData {
  const { plan, tree } = ctx;
  const values: ValueInput[] = [];
  const summary: DemoSummary = {
    asOf: options.asOf.toISOString(),
    seed: ctx.seed,
    latest: {
      year: formatPeriod(latest.year),
      quarter: formatPeriod(latest.quarter),
      month: formatPeriod(latest.month),
    },
    years: { from: plan.baseYear, to: latest.year.year },
    total: 0,
    real: 0,
    synthetic: 0,
    byLevel: {},
    byIndicator: {},
    lagging: [...ctx.lagging].sort(),
    skipped: [],
    weak: [...ctx.weak].sort(),
    realNotUsed: [],
    notes: ctx.notes,
  };
  const used = new Set<RealFigure>();
  const units = [tree.root, ...tree.counties, ...tree.towns];
  const count = (ind: Indicator, unit: DemoOrgUnit, isReal: boolean) => {
    const bi = (summary.byIndicator[ind.code] ??= { real: 0, synthetic: 0, byLevel: {} });
    const bl = (summary.byLevel[unit.level] ??= { real: 0, synthetic: 0 });
    bi.byLevel[unit.level] = (bi.byLevel[unit.level] ?? 0) + 1;
    if (isReal) {
      bi.real++;
      bl.real++;
      summary.real++;
    } else {
      bi.synthetic++;
      bl.synthetic++;
      summary.synthetic++;
    }
    summary.total++;
  };
  const synthetic = (ind: Indicator, unit: DemoOrgUnit, period: string, value: number) => {
    values.push({ indicator: ind.code, orgUnit: unit.code, period, value, source: SYNTHETIC_SOURCE, synthetic: true });
    count(ind, unit, false);
  };
  const lastYear = latest.year.year;
  const realYearsOf = new Map<string, number[]>();
  for (const list of ctx.real.values()) {
    const f = list[0]!;
    if (!/^\d{4}$/.test(f.period)) continue;
    const k = `${f.indicator}|${f.orgUnit}`;
    realYearsOf.set(k, [...(realYearsOf.get(k) ?? []), Number(f.period)]);
  }

  for (const ind of plan.indicators) {
    if (ind.computation.kind !== 'raw') {
      summary.skipped.push({ indicator: ind.code, reason: `computed (${ind.computation.kind}), not reported` });
      continue;
    }
    const beyond = ind.levels.filter((l) => l === 'village' || l === 'province');
    if (beyond.length > 0)
      summary.skipped.push({
        indicator: ind.code,
        reason: `no values at ${beyond.join(' and ')} level: the demo covers the city, its counties and towns`,
      });
    const s = ctx.series.get(ind.code);
    for (const unit of units) {
      const row = s?.get(unit.code);
      if (!levelApplies(ind, unit)) continue;
      if (ind.periodicity === 'year') {
        const realYears = realYearsOf.get(`${ind.code}|${unit.code}`) ?? [];
        const ys = [
          ...new Set([...ctx.years.filter((y) => y <= lastYear), ...realYears.filter((y) => y <= lastYear)]),
        ].sort((a, b) => a - b);
        for (const y of ys) {
          const list = ctx.real.get(key(ind.code, unit.code, String(y)));
          if (list) {
            for (const f of list) {
              values.push({
                indicator: ind.code,
                orgUnit: unit.code,
                period: String(y),
                value: f.value,
                vintage: f.vintage,
                source: describeSource(f),
                comment: f.note,
                synthetic: false,
              });
              used.add(f);
              count(ind, unit, true);
            }
            continue;
          }
          const yi = ctx.years.indexOf(y);
          const v = yi >= 0 ? (row?.[yi] ?? NaN) : NaN;
          if (Number.isFinite(v)) synthetic(ind, unit, String(y), v);
        }
        continue;
      }
      // months and quarters, split from the yearly model
      if (!row) continue;
      const type = ind.periodicity;
      const last = type === 'month' ? latest.month : latest.quarter;
      const rng = Rng.of(ctx.seed, ind.code, 'split', unit.code);
      ctx.years.forEach((y, yi) => {
        const parts = splitYear(ctx, ind, type, row[yi]!, yi > 0 ? row[yi - 1]! : NaN, rng);
        periodsOfYear(y, type).forEach((p, j) => {
          if (p.year > last.year || (p.year === last.year && formatPeriod(p) > formatPeriod(last))) return;
          const v = parts[j]!;
          if (Number.isFinite(v)) synthetic(ind, unit, formatPeriod(p), v);
        });
      });
    }
    if (ind.periodicity !== 'year' && ind.aggregation.method === 'sum') rollUpSubYear(ctx, ind, values);
  }

  // why the real figures that were not used were not
  const inTree = new Set(units.map((u) => u.code));
  for (const f of options.realFigures ?? []) {
    if (used.has(f)) continue;
    const ind = ctx.indicators.get(f.indicator);
    const unit = tree.byCode.get(f.orgUnit);
    let reason: string;
    if (!ind) reason = 'not an indicator of the plan';
    else if (ind.computation.kind !== 'raw')
      reason = `computed by the plan (${ind.computation.kind}): a check value for the computed result, not a reported value`;
    else if (!unit || !inTree.has(f.orgUnit)) reason = 'the org unit is not one of the plan’s (a reference unit)';
    else if (!levelApplies(ind, unit)) reason = `${ind.code} is not reported at ${unit.level} level`;
    else if (ind.periodicity !== 'year') reason = `a yearly figure of a ${ind.periodicity}ly indicator`;
    else if (Number(f.period) > latest.year.year)
      reason = `after the latest complete year at asOf (${latest.year.year})`;
    else reason = 'not used';
    summary.realNotUsed.push({ indicator: f.indicator, orgUnit: f.orgUnit, period: f.period, reason });
  }
  return { values, summary };
}

/**
 * Monthly and quarterly sums: each unit's periods were split on their own, so the parent's would not
 * add up; replace each parent's sub-year values by the sum of its children's.
 */
function rollUpSubYear(ctx: Ctx, ind: Indicator, values: ValueInput[]): void {
  const q = quantum(ctx, ind);
  const byKey = new Map<string, ValueInput>();
  for (const v of values) if (v.indicator === ind.code) byKey.set(`${v.orgUnit}|${v.period}`, v);
  const sumInto = (parent: string, children: readonly DemoOrgUnit[]) => {
    for (const [k, v] of byKey) {
      if (!k.startsWith(`${parent}|`) || !v.synthetic) continue;
      const period = k.slice(parent.length + 1);
      const parts = children.map((c) => byKey.get(`${c.code}|${period}`)?.value);
      if (parts.length > 0 && parts.every((x) => typeof x === 'number'))
        v.value = quantize(
          (parts as number[]).reduce((a, b) => a + b, 0),
          q,
        );
    }
  };
  for (const c of ctx.tree.counties) sumInto(c.code, ctx.tree.townsOf.get(c.code) ?? []);
  sumInto(ctx.tree.root.code, ctx.tree.counties);
}
