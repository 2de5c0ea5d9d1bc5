/**
 * Province-scale synthetic data for benchmarks: the Zhejiang org units (`data-sets/zhejiang-org-units.csv`,
 * about 27,000 units), N synthetic indicators IND001… with a mix of roll-up rules, monthly over six
 * years, reported by the leaf units (villages, and towns without villages) — and millions of
 * households as typed arrays for the inequality benchmark.
 *
 * Nothing is held in memory that need not be: rows come from a generator (or a callback) and are
 * computed from (seed, indicator, unit, month) by an integer hash, so any row can be recomputed
 * anywhere without state, and a ratio's value is exactly its numerator's over its denominator's at the
 * same unit and month. Deterministic: the same arguments give the same rows in the same order.
 *
 * Indicators come in groups of five (a sixth indicator starts the next group):
 *   IND…1 persons, stock (sum; last)         IND…4 score 0–100 (mean; mean)
 *   IND…2 persons, part of IND…1 (sum; last)  IND…5 share IND…2 / IND…1 (ratio; last)
 *   IND…3 yuan, flow with seasons (sum; sum)
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Indicator } from '../domain/plan.js';
import { DEFAULT_SEED, mulberry32, type DemoOrgUnit } from './generate.js';

export interface ScaleRow {
  indicator: string;
  orgUnit: string;
  period: string;
  value: number;
}

/** Integer hash of up to four 32-bit numbers (MurmurHash3's finaliser over a mixed word). */
function mix(seed: number, a: number, b: number, c: number): number {
  let h = (seed ^ Math.imul(a + 1, 0x9e3779b1) ^ Math.imul(b + 1, 0x85ebca77) ^ Math.imul(c + 1, 0xc2b2ae3d)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
/** Uniform in (0, 1). */
const unit = (h: number) => (h + 0.5) / 4294967296;
/** Standard normal from two hashes (Box–Muller). */
const gauss = (h1: number, h2: number) => Math.sqrt(-2 * Math.log(unit(h1))) * Math.cos(2 * Math.PI * unit(h2));

/** Flow seasonality by month: low in February, high in December. */
const SEASON = [0.93, 0.7, 0.96, 0.97, 1.0, 1.06, 0.98, 0.97, 1.02, 1.0, 1.04, 1.37];

const KINDS = ['base', 'part', 'flow', 'score', 'share'] as const;
type Kind = (typeof KINDS)[number];

const codeOf = (i: number) => `IND${String(i + 1).padStart(3, '0')}`;
const kindOf = (i: number): Kind => KINDS[i % 5]!;

/**
 * N synthetic indicators, valid against the plan schema's indicator shape (dimension SCALE, no
 * targets). A share is only made when its group has both its numerator and its denominator.
 */
export function scaleIndicators(n: number): Indicator[] {
  const out: Indicator[] = [];
  for (let i = 0; i < n; i++) {
    const kind = kindOf(i);
    const code = codeOf(i);
    const common = {
      code,
      dimension: 'SCALE',
      tasks: [],
      direction: 'up' as const,
      periodicity: 'month' as const,
      levels: ['province', 'city', 'county', 'town', 'village'] as Indicator['levels'],
      computation: { kind: 'raw' as const },
      targets: [],
      source: 'synthetic benchmark indicator',
    };
    switch (kind) {
      case 'base':
        out.push({
          ...common,
          name: { zh: `基数${code}`, en: `Base count ${code}` },
          unit: 'persons',
          periodAggregation: 'last',
          aggregation: { method: 'sum' },
          bounds: { min: 0 },
        });
        break;
      case 'part':
        out.push({
          ...common,
          name: { zh: `部分${code}`, en: `Part count ${code}` },
          unit: 'persons',
          periodAggregation: 'last',
          aggregation: { method: 'sum' },
          bounds: { min: 0 },
        });
        break;
      case 'flow':
        out.push({
          ...common,
          name: { zh: `流量${code}`, en: `Flow ${code}` },
          unit: 'yuan',
          periodAggregation: 'sum',
          aggregation: { method: 'sum' },
          bounds: { min: 0 },
        });
        break;
      case 'score':
        out.push({
          ...common,
          name: { zh: `得分${code}`, en: `Score ${code}` },
          unit: 'score',
          periodAggregation: 'mean',
          aggregation: { method: 'mean' },
          bounds: { min: 0, max: 100 },
        });
        break;
      case 'share':
        out.push({
          ...common,
          name: { zh: `比例${code}`, en: `Share ${code}` },
          unit: 'share',
          periodAggregation: 'last',
          aggregation: { method: 'ratio', numerator: codeOf(i - 3), denominator: codeOf(i - 4) },
          bounds: { min: 0, max: 1 },
        });
        break;
    }
  }
  return out;
}

/** Units that report: those without children (villages, and towns or counties with none below). */
export function leafUnits<T extends Pick<DemoOrgUnit, 'code' | 'parent'>>(orgUnits: readonly T[]): T[] {
  const parents = new Set<string>();
  for (const u of orgUnits) if (u.parent !== null) parents.add(u.parent);
  return orgUnits.filter((u) => !parents.has(u.code));
}

export interface ScaleOptions {
  /** The units that report (e.g. `leafUnits(zhejiang)`). */
  units: readonly Pick<DemoOrgUnit, 'code'>[];
  /** How many indicators, IND001…; default 100. */
  indicators?: number | undefined;
  /** How many months from January of `startYear`; default 72 (six years). */
  months?: number | undefined;
  startYear?: number | undefined;
  seed?: number | undefined;
}

/** Number of rows `scaleRows` yields for these options. */
export function scaleRowCount(options: ScaleOptions): number {
  return (options.indicators ?? 100) * (options.months ?? 72) * options.units.length;
}

/** The value of indicator i at unit u in month m (0-based from January of the start year). */
export function scaleValue(seed: number, i: number, u: number, m: number): number {
  const kind = kindOf(i);
  const group = i - (i % 5);
  // each unit's size is shared by the indicators of a group, so that part ≤ base
  const size = 1500 * Math.exp(0.6 * gauss(mix(seed, group, u, 0x5151), mix(seed, group, u, 0x5152)));
  switch (kind) {
    case 'base':
      return baseAt(seed, group, u, m, size);
    case 'part':
      return partAt(seed, group, u, m, size);
    case 'flow': {
      const h = mix(seed, i, u, m);
      return Math.round(
        size * 2500 * SEASON[m % 12]! * (1 + 0.004 * m) * Math.exp(0.1 * gauss(h, mix(seed, i, u, m + 7919))),
      );
    }
    case 'score': {
      const level = 55 + 35 * unit(mix(seed, i, u, 0x5c0e));
      const v = level + 0.08 * m + 3 * gauss(mix(seed, i, u, m), mix(seed, i, u, m + 7919));
      return Math.round(Math.min(100, Math.max(0, v)) * 100) / 100;
    }
    case 'share': {
      const base = baseAt(seed, group, u, m, size);
      return base > 0 ? Math.round((partAt(seed, group, u, m, size) / base) * 1e6) / 1e6 : 0;
    }
  }
}

function baseAt(seed: number, group: number, u: number, m: number, size: number): number {
  const drift = 1 + 0.0004 * m * (unit(mix(seed, group, u, 0xd71f)) - 0.3);
  return Math.round(size * drift * (1 + 0.002 * gauss(mix(seed, group, u, m), mix(seed, group, u, m + 104729))));
}

function partAt(seed: number, group: number, u: number, m: number, size: number): number {
  const share = Math.min(0.95, 0.2 + 0.5 * unit(mix(seed, group + 1, u, 0x5a7e)) + 0.002 * m);
  return Math.round(baseAt(seed, group, u, m, size) * share);
}

const monthId = (startYear: number, m: number) =>
  `${startYear + Math.floor(m / 12)}${String((m % 12) + 1).padStart(2, '0')}`;

/**
 * Calls `row` for every indicator × month × unit, in that order, without allocating a row object
 * (the fastest way to feed a benchmark).
 */
export function forEachScaleRow(
  options: ScaleOptions,
  row: (indicator: string, orgUnit: string, period: string, value: number) => void,
): void {
  const seed = (options.seed ?? DEFAULT_SEED) >>> 0;
  const n = options.indicators ?? 100;
  const months = options.months ?? 72;
  const start = options.startYear ?? 2020;
  const codes = options.units.map((u) => u.code);
  for (let i = 0; i < n; i++) {
    const code = codeOf(i);
    for (let m = 0; m < months; m++) {
      const period = monthId(start, m);
      for (let u = 0; u < codes.length; u++) row(code, codes[u]!, period, scaleValue(seed, i, u, m));
    }
  }
}

/** The same rows as objects, lazily. */
export function* scaleRows(options: ScaleOptions): Generator<ScaleRow> {
  const seed = (options.seed ?? DEFAULT_SEED) >>> 0;
  const n = options.indicators ?? 100;
  const months = options.months ?? 72;
  const start = options.startYear ?? 2020;
  for (let i = 0; i < n; i++) {
    const indicator = codeOf(i);
    for (let m = 0; m < months; m++) {
      const period = monthId(start, m);
      for (let u = 0; u < options.units.length; u++)
        yield { indicator, orgUnit: options.units[u]!.code, period, value: scaleValue(seed, i, u, m) };
    }
  }
}

/**
 * Writes `rowCount` rows (or all there are, if fewer) as a long CSV `indicator,org_unit,period,value`
 * with a header, in chunks of about 1 MB, waiting for 'drain' when the stream asks. Does not end the
 * stream. Resolves to the number of rows written.
 */
export async function writeLongCsv(out: Writable, rowCount: number, options: ScaleOptions): Promise<number> {
  let buffer = 'indicator,org_unit,period,value\n';
  let written = 0;
  const flush = async () => {
    if (!out.write(buffer)) await once(out, 'drain');
    buffer = '';
  };
  for (const r of scaleRows(options)) {
    if (written >= rowCount) break;
    buffer += `${r.indicator},${r.orgUnit},${r.period},${r.value}\n`;
    written++;
    if (buffer.length >= 1 << 20) await flush();
  }
  if (buffer.length > 0) await flush();
  return written;
}

export interface ScaleHouseholds {
  /** Per-capita disposable income, yuan per year. */
  income: Float64Array;
  /** Persons each record stands for. */
  weight: Float64Array;
  /** Index into `counties`. */
  county: Int32Array;
  counties: string[];
}

/**
 * `households` synthetic survey records spread over counties (codes, or a number of counties named
 * C0001…): each county's mean per-capita income log-normal around 60,000 yuan (σ 0.3 between
 * counties), incomes log-normal within (σ 0.55), weights 200–800 persons.
 */
export function scaleHouseholds(options: {
  households: number;
  counties: readonly string[] | number;
  seed?: number | undefined;
}): ScaleHouseholds {
  const counties =
    typeof options.counties === 'number'
      ? Array.from({ length: options.counties }, (_, i) => `C${String(i + 1).padStart(4, '0')}`)
      : [...options.counties];
  if (counties.length === 0) throw new RangeError('scaleHouseholds needs at least one county');
  const n = options.households;
  const rand = mulberry32((options.seed ?? DEFAULT_SEED) ^ 0x4f1bbcdc);
  const normal = () => {
    let u = 0;
    while (u === 0) u = rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  };
  const sigma = 0.55;
  const means = Float64Array.from(counties, () => 60000 * Math.exp(0.3 * normal()));
  const mu = Float64Array.from(means, (m) => Math.log(m) - (sigma * sigma) / 2);
  const income = new Float64Array(n);
  const weight = new Float64Array(n);
  const county = new Int32Array(n);
  const k = counties.length;
  for (let i = 0; i < n; i++) {
    const c = Math.floor(rand() * k);
    county[i] = c;
    income[i] = Math.round(Math.exp(mu[c]! + sigma * normal()));
    weight[i] = 200 + Math.floor(rand() * 601);
  }
  return { income, weight, county, counties };
}
