/**
 * Seeded synthetic plans and data for the whole-plan evaluation: the property tests (incremental =
 * full, determinism) and the benchmarks. Deterministic for a seed; no I/O.
 *
 * `syntheticPlan` holds one indicator of every computation kind and target kind with the dependencies
 * that matter — a roll-up weighted by a formula, a monthly ratio of two monthly indicators, a yearly
 * ratio of a monthly numerator, disparities weighted and not, microdata filtered and per capita,
 * relative targets reading another indicator, a unit in the tree and one outside, rank targets among
 * units in and outside the tree — plus `extra` raw indicators of random kinds. `syntheticReported`
 * fills any plan's raw indicators with values (leaves report, a few parents too, some cells missing).
 */
import { PERIODS_PER_YEAR, makePeriod, periodIndex } from '../../domain/period.js';
import { planSchema, type Plan, type PlanInput } from '../../domain/plan.js';
import { buildOrgTree, childCount } from '../org-tree.js';
import { seededRandom, syntheticOrgRows } from '../rollup.js';
import type { EvaluationInput, EvaluationOrgUnit, ExternalSeries, HouseholdYear, ReportedMatrix } from './types.js';

/** A stable 32-bit number from a string (FNV-1a), to give each indicator its own random stream. */
function seedOf(s: string, seed: number): number {
  let h = (2166136261 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

export interface SyntheticPlanOptions {
  seed?: number;
  /** The root's code and level and the levels below it (default a province: 33, province, city …). */
  root?: string;
  levels?: readonly string[];
  /** Code of the root's parent, outside the tree (peers of the root for rank targets). */
  rootParent?: string;
  baseYear?: number;
  targetYear?: number;
  /** Extra raw indicators of random kinds (default 8). */
  extra?: number;
  /** Share of the extra indicators that are monthly (default 0.3). */
  monthlyShare?: number;
}

const LEVELS = ['province', 'city', 'county', 'town', 'village'];

/** A plan with every computation and target kind (see the module note). */
export function syntheticPlan(options: SyntheticPlanOptions = {}): Plan {
  const random = seededRandom(options.seed ?? 1);
  const [top = 'province', second = 'city', third = 'county', fourth = 'town'] = options.levels ?? LEVELS;
  const rootParent = options.rootParent ?? 'X0';
  const root = options.root ?? '33';
  const upper = [top, second, third];
  const base = (code: string, extra: Record<string, unknown>) => ({
    code,
    name: { zh: code, en: code },
    unit: 'count',
    dimension: 'D1',
    direction: 'up' as const,
    levels: upper,
    source: `source of ${code}`,
    ...extra,
  });
  const indicators: Record<string, unknown>[] = [
    base('POP', { unit: 'persons', aggregation: { method: 'sum' } }),
    base('POP_URBAN', { unit: 'persons', aggregation: { method: 'sum' } }),
    base('POP_RURAL', { unit: 'persons', computation: { kind: 'formula', expression: 'POP - POP_URBAN' } }),
    base('INC', {
      unit: 'yuan',
      aggregation: { method: 'weightedMean', weight: 'POP' },
      baseline: { year: options.baseYear ?? 2020, value: 50000 },
      targets: [
        { kind: 'level', op: '>=', value: 75000 },
        { kind: 'growth', rate: 0.08 },
      ],
      headline: true,
    }),
    base('INC_RURAL', {
      unit: 'yuan',
      aggregation: { method: 'weightedMean', weight: 'POP_RURAL' },
      targets: [{ kind: 'trend' }],
    }),
    base('GDP', {
      unit: 'yuan',
      periodicity: 'month',
      periodAggregation: 'sum',
      aggregation: { method: 'sum' },
      targets: [{ kind: 'growth', rate: 0.06 }],
    }),
    base('GDP_PC', { unit: 'yuan', aggregation: { method: 'ratio', numerator: 'GDP', denominator: 'POP' } }),
    base('JOBS', {
      unit: 'persons',
      periodicity: 'month',
      periodAggregation: 'sum',
      aggregation: { method: 'sum' },
      targets: [{ kind: 'cumulative', value: 4e6, milestones: [{ year: (options.baseYear ?? 2020) + 2, value: 1e6 }] }],
    }),
    base('EMP', { unit: 'persons', periodicity: 'month', periodAggregation: 'mean', aggregation: { method: 'sum' } }),
    base('JOBS_RATE', {
      unit: 'ratio',
      periodicity: 'month',
      periodAggregation: 'mean',
      aggregation: { method: 'ratio', numerator: 'JOBS', denominator: 'EMP' },
      targets: [{ kind: 'yearly', value: 0.02 }],
    }),
    base('WAGE', {
      unit: 'yuan',
      periodicity: 'month',
      periodAggregation: 'last',
      aggregation: { method: 'weightedMean', weight: 'EMP' },
      targets: [{ kind: 'relative', measure: 'growth', reference: { indicator: 'INC' } }],
    }),
    base('STOCK', {
      periodicity: 'quarter',
      periodAggregation: 'last',
      aggregation: { method: 'sum' },
      targets: [{ kind: 'yearly', op: '>=', value: 1000 }],
    }),
    base('URBAN_RURAL', {
      unit: 'ratio',
      direction: 'down',
      computation: { kind: 'formula', expression: 'INC / INC_RURAL' },
      targets: [{ kind: 'level', op: '<=', value: 1.5 }],
      headline: true,
    }),
    base('INC_MAXMIN', {
      unit: 'ratio',
      direction: 'down',
      levels: [top, second],
      computation: { kind: 'disparity', of: 'INC', across: third, measure: 'maxMinRatio' },
      targets: [{ kind: 'level', op: '<=', value: 1.6 }],
      headline: true,
    }),
    base('INC_THEIL', {
      unit: 'index',
      direction: 'down',
      computation: { kind: 'disparity', of: 'INC', across: fourth, measure: 'theilT', weight: 'POP' },
      targets: [{ kind: 'trend' }],
      headline: true,
    }),
    base('GDP_PC_GINI', {
      unit: 'index',
      direction: 'down',
      levels: [top],
      computation: { kind: 'disparity', of: 'GDP_PC', across: second, measure: 'gini' },
    }),
    base('MIDDLE', {
      unit: 'share',
      levels: [top, second],
      limit: 1,
      computation: {
        kind: 'microdata',
        statistic: 'bracketShare',
        variable: 'disposable_income',
        from: 100000,
        to: 500000,
      },
      targets: [{ kind: 'level', op: '>=', value: 0.6 }],
      headline: true,
    }),
    base('QSR_URBAN', {
      unit: 'ratio',
      direction: 'down',
      levels: [top],
      computation: {
        kind: 'microdata',
        statistic: 'quintileShareRatio',
        variable: 'disposable_income_per_capita',
        filter: { urbanRural: 'urban' },
      },
      targets: [{ kind: 'trend' }],
      headline: true,
    }),
    base('MEDIAN_RURAL', {
      unit: 'yuan',
      levels: [top],
      computation: {
        kind: 'microdata',
        statistic: 'median',
        variable: 'disposable_income_per_capita',
        filter: { urbanRural: 'rural' },
      },
    }),
    base('SUBSIDY', {
      unit: 'yuan',
      aggregation: { method: 'mean' },
      targets: [{ kind: 'relative', measure: 'growth', reference: { indicator: 'INC' } }],
    }),
    base('LIFE', {
      unit: 'years',
      aggregation: { method: 'mean' },
      dimension: 'D2',
      targets: [
        { kind: 'relative', measure: 'level', op: '>', reference: { orgUnit: rootParent } },
        { kind: 'rank', among: rootParent, op: '<=', value: 3 },
      ],
    }),
    base('SCHOOL', {
      unit: 'years',
      aggregation: { method: 'mean' },
      dimension: 'D2',
      targets: [{ kind: 'relative', measure: 'level', op: '>=', reference: { orgUnit: root } }],
    }),
    base('SAFETY', {
      unit: 'index',
      aggregation: { method: 'mean' },
      dimension: 'D2',
      targets: [{ kind: 'rank', among: root, op: '<=', value: 2 }],
    }),
    base('PM25', {
      unit: 'ug_m3',
      direction: 'down',
      dimension: 'D2',
      aggregation: { method: 'mean' },
      targets: [{ kind: 'trend', strict: true }],
    }),
    base('WATCH', { aggregation: { method: 'sum' } }),
  ];
  const kinds = ['level', 'growth', 'yearly', 'cumulative', 'trend'] as const;
  const aggregations = ['sum', 'mean', 'none', 'weightedMean'] as const;
  for (let k = 1; k <= (options.extra ?? 8); k++) {
    const monthly = random() < (options.monthlyShare ?? 0.3);
    const method = aggregations[Math.floor(random() * aggregations.length)]!;
    const kind = kinds[Math.floor(random() * kinds.length)]!;
    const direction = random() < 0.8 ? 'up' : 'down';
    const up = direction === 'up';
    const target =
      kind === 'level'
        ? { kind, op: up ? '>=' : '<=', value: up ? 2000 : 300 }
        : kind === 'growth'
          ? { kind, rate: up ? 0.05 : -0.03 }
          : kind === 'yearly'
            ? { kind, op: up ? '>=' : '<=', value: up ? 400 : 900 }
            : kind === 'cumulative'
              ? { kind, value: 5000 }
              : { kind };
    indicators.push(
      base(`X${k}`, {
        dimension: random() < 0.5 ? 'D1' : 'D2',
        direction,
        periodicity: monthly ? 'month' : 'year',
        periodAggregation: monthly ? (method === 'sum' ? 'sum' : 'mean') : 'last',
        aggregation: method === 'weightedMean' ? { method, weight: 'POP' } : { method },
        levels: method === 'none' ? [top, second] : upper,
        targets: [target],
      }),
    );
  }
  const input: PlanInput = {
    id: 'synthetic',
    title: { zh: '合成方案', en: 'Synthetic plan' },
    baseYear: options.baseYear ?? 2020,
    targetYear: options.targetYear ?? 2025,
    rootOrgUnit: root,
    orgUnits: { regions: 'regions.csv' },
    dimensions: [
      { code: 'D1', name: { zh: '收入', en: 'Income' }, source: 'dimension one' },
      { code: 'D2', name: { zh: '生活', en: 'Life' }, source: 'dimension two' },
    ],
    sections: [{ number: 1, title: { zh: '目标', en: 'Goals' }, source: 'section one' }],
    tasks: [{ number: 1, section: 1, title: { zh: '任务', en: 'Task' }, summary: { zh: '任务' }, source: 'task one' }],
    indicators: indicators as PlanInput['indicators'],
  };
  return planSchema.parse(input);
}

export interface SyntheticValuesOptions {
  seed?: number;
  /** First and last year of data (default the plan's base year and four years later). */
  firstYear?: number;
  lastYear?: number;
  /** Sub-year indicators' axes end this many periods before the end of the last year (default 0). */
  shortenSubYear?: number;
  /** Share of leaf cells reported (default 0.93) and of other units' cells (default 0.03). */
  leafReported?: number;
  parentReported?: number;
}

/** Reported matrices for every raw indicator of a plan over the given rows (see the module note). */
export function syntheticReported(
  plan: Plan,
  rows: readonly EvaluationOrgUnit[],
  options: SyntheticValuesOptions = {},
): Map<string, ReportedMatrix> {
  const tree = buildOrgTree(rows);
  const first = options.firstYear ?? plan.baseYear;
  const last = options.lastYear ?? plan.baseYear + 4;
  const out = new Map<string, ReportedMatrix>();
  for (const ind of plan.indicators) {
    if (ind.computation.kind !== 'raw') continue;
    const random = seededRandom(seedOf(ind.code, options.seed ?? 1));
    const per = PERIODS_PER_YEAR[ind.periodicity];
    const shorten = per > 1 ? (options.shortenSubYear ?? 0) : 0;
    const P = (last - first + 1) * per - shorten;
    const axis = { type: ind.periodicity, start: periodIndex(makePeriod(ind.periodicity, first, 1)), length: P };
    const scale = 10 ** (1 + Math.floor(random() * 4));
    const growth = (ind.direction === 'up' ? 0.06 : -0.04) + 0.04 * (random() - 0.5);
    const levels = new Set(ind.levels.map((l) => tree.levels.indexOf(l)));
    const values = new Float64Array(tree.size * P).fill(NaN);
    for (let u = 0; u < tree.size; u++) {
      const leaf = childCount(tree, u) === 0;
      const reports =
        ind.aggregation.method === 'none'
          ? levels.has(tree.level[u]!)
            ? (options.leafReported ?? 0.93)
            : 0
          : leaf
            ? (options.leafReported ?? 0.93)
            : (options.parentReported ?? 0.03);
      if (reports === 0) continue;
      const factor = 0.5 + random();
      for (let p = 0; p < P; p++) {
        if (random() >= reports) continue;
        const t = p / per;
        values[u * P + p] = scale * factor * (1 + growth) ** t * (1 + 0.1 * (random() - 0.5));
      }
    }
    out.set(ind.code, { axis, values });
  }
  return out;
}

/** Household microdata for each year: households at random leaves, log-normal-ish incomes. */
export function syntheticHouseholds(
  rows: readonly EvaluationOrgUnit[],
  years: readonly number[],
  perYear: number,
  seed = 1,
): HouseholdYear[] {
  const tree = buildOrgTree(rows);
  const leaves: number[] = [];
  for (let u = 0; u < tree.size; u++) if (childCount(tree, u) === 0) leaves.push(u);
  const random = seededRandom(seedOf('households', seed));
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return years.map((year, k) => {
    const income = new Float64Array(perYear);
    const size = new Float64Array(perYear);
    const weight = new Float64Array(perYear);
    const unitIndex = new Int32Array(perYear);
    const urbanRural = new Uint8Array(perYear);
    for (let h = 0; h < perYear; h++) {
      income[h] = Math.exp(11.4 + 0.04 * k + 0.7 * normal());
      size[h] = 1 + Math.floor(random() * 5);
      weight[h] = 50 + 100 * random();
      unitIndex[h] = leaves[Math.floor(random() * leaves.length)]!;
      urbanRural[h] = random() < 0.6 ? 0 : 1;
    }
    return { year, income, size, weight, unitIndex, urbanRural };
  });
}

/** Outside series: the root's parent (for relative targets) and its other children (rank peers). */
export function syntheticExternal(
  plan: Plan,
  rootParent: string,
  years: readonly number[],
  peers = 6,
  seed = 1,
): ExternalSeries[] {
  const random = seededRandom(seedOf('external', seed));
  const out: ExternalSeries[] = [];
  for (const ind of plan.indicators) {
    const reads = ind.targets.some(
      (t) =>
        (t.kind === 'relative' && t.reference.orgUnit === rootParent) || (t.kind === 'rank' && t.among === rootParent),
    );
    if (!reads) continue;
    const series = (orgUnit: string, parent: string | undefined, level: number) => {
      const values = Float64Array.from(years, (_, k) => level * (1 + 0.01 * k) * (1 + 0.02 * (random() - 0.5)));
      out.push({ indicator: ind.code, orgUnit, ...(parent !== undefined && { parent }), years: [...years], values });
    };
    series(rootParent, undefined, 10 + 90 * random());
    for (let k = 1; k <= peers; k++) series(`${rootParent}P${k}`, rootParent, 10 + 90 * random());
  }
  return out;
}

export interface SyntheticInputOptions extends SyntheticPlanOptions, SyntheticValuesOptions {
  /** Children per unit at each level below the root (syntheticOrgRows; default [3, 2, 2, 2]). */
  fanout?: readonly number[];
  /** Households per survey year (default 400; 0 for none). */
  households?: number;
}

/** A whole input: plan, a tree from `syntheticOrgRows`, values, microdata and outside series. */
export function syntheticEvaluationInput(options: SyntheticInputOptions = {}): EvaluationInput {
  const seed = options.seed ?? 1;
  const rootParent = options.rootParent ?? 'X0';
  const plan = syntheticPlan({ ...options, rootParent, root: '33' });
  const rows: EvaluationOrgUnit[] = syntheticOrgRows({ seed, fanout: options.fanout ?? [3, 2, 2, 2] }).map((r) => ({
    code: r.code,
    parent: r.parent ?? rootParent,
    level: r.level,
    attributes: { mountain: seedOf(r.code, seed) % 3 === 0 ? '1' : '0' },
  }));
  const first = options.firstYear ?? plan.baseYear;
  const last = options.lastYear ?? plan.baseYear + 4;
  const years = Array.from({ length: last - first + 1 }, (_, k) => first + k);
  const perYear = options.households ?? 400;
  return {
    plan,
    orgUnits: rows,
    reported: syntheticReported(plan, rows, { ...options, seed }),
    ...(perYear > 0 && { households: syntheticHouseholds(rows, years.slice(1), perYear, seed) }),
    external: syntheticExternal(plan, rootParent, years, 6, seed),
    groupBy: 'mountain',
  };
}
