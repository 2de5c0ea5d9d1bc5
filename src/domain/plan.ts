/**
 * The plan file: a city's (or province's) implementation plan as data. One YAML document, checked by
 * `planSchema`. Everything the rest of Gongfu knows about goals, tasks and indicators comes from here,
 * so another city loads its own file and nothing else changes.
 *
 * Conventions inside a plan file:
 * - data values are in base units (yuan, persons, fractions for shares and rates), see `units.ts`;
 * - every indicator, target and task quotes the sentence of the plan it comes from (`source`);
 * - years are calendar years; a target without `year` is due in the plan's `targetYear`.
 */
import { z } from 'zod';
import { FormulaError, parseFormula } from '../engine/formula.js';
import { UNITS } from './units.js';

const localized = z.strictObject({
  zh: z.string().min(1),
  en: z.string().min(1),
});
const localizedOptionalEn = z.strictObject({
  zh: z.string().min(1),
  en: z.string().min(1).optional(),
});
export type LocalizedText = z.infer<typeof localized>;

const indicatorCode = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]*$/, 'an indicator code is upper-case letters, digits and _ (e.g. INC_PC)');
const orgUnitCode = z.string().regex(/^[0-9A-Za-z_-]{2,32}$/, 'an org-unit code is 2–32 letters or digits');
const year = z.number().int().min(1949).max(2100);
/** A quotation from the plan text; checked against the text by the plan-source test. */
const source = z.string().min(4);

export const ORG_UNIT_LEVELS = ['province', 'city', 'county', 'town', 'village'] as const;
export const orgUnitLevel = z.enum(ORG_UNIT_LEVELS);
export type OrgUnitLevel = z.infer<typeof orgUnitLevel>;

export const DIRECTIONS = ['up', 'down'] as const;
/** `up`: higher is better; `down`: lower is better. */
export const direction = z.enum(DIRECTIONS);
export type Direction = z.infer<typeof direction>;

export const COMPARISONS = ['>=', '>', '<=', '<', '~'] as const;
/** `~` means "about" (左右): within `tolerance` of the value. */
export const comparison = z.enum(COMPARISONS);
export type Comparison = z.infer<typeof comparison>;

const milestone = z.strictObject({
  year,
  value: z.number(),
  source: source.optional(),
});

const targetCommon = {
  /** The sentence this target comes from, when it differs from the indicator's. */
  source: source.optional(),
  /** 力争 / 争取: a stretch goal, reported but not counted as a failure in the same way. */
  aspirational: z.boolean().optional(),
  /** Interim values per year (e.g. a 2023 milestone on the way to 2025). */
  milestones: z.array(milestone).optional(),
  note: z.string().optional(),
};

/** Reach (or stay on the good side of) a value by a year: 人均可支配收入达到7.5万元, 失业率控制在3.5%以下. */
const levelTarget = z.strictObject({
  kind: z.literal('level'),
  op: comparison,
  value: z.number(),
  /** For `~` (左右): the half-width of the acceptable band, in the indicator's unit. */
  tolerance: z.number().positive().optional(),
  year: year.optional(),
  ...targetCommon,
});

/**
 * Grow at least so much a year from `from` to `year`. `rate` is compound (a CAGR, 年均增长15%);
 * `amount` is an absolute yearly increase (高新技术产业增加值年均增长100亿元).
 */
const growthTarget = z.strictObject({
  kind: z.literal('growth'),
  op: comparison.default('>='),
  rate: z.number().optional(),
  amount: z.number().optional(),
  from: year.optional(),
  year: year.optional(),
  ...targetCommon,
});

/** Every year in [from, year] the value meets op/value: 每年培育智能工厂30个以上. */
const yearlyTarget = z.strictObject({
  kind: z.literal('yearly'),
  op: comparison.default('>='),
  value: z.number(),
  from: year.optional(),
  year: year.optional(),
  ...targetCommon,
});

/** The sum of yearly values over [from, year] meets op/value: 累计城镇新增就业50万人. */
const cumulativeTarget = z.strictObject({
  kind: z.literal('cumulative'),
  op: comparison.default('>='),
  value: z.number(),
  from: year.optional(),
  year: year.optional(),
  ...targetCommon,
});

/** Improves every year in the indicator's direction: PM2.5 持续下降, 逐年提高. */
const trendTarget = z.strictObject({
  kind: z.literal('trend'),
  from: year.optional(),
  year: year.optional(),
  /** `strict`: every single year must improve; otherwise the fitted trend must. */
  strict: z.boolean().optional(),
  ...targetCommon,
});

/**
 * Compared with another series: 低保标准增幅不低于人均可支配收入增幅 (growth vs growth of another
 * indicator), 人均预期寿命高于全国全省平均水平 (level vs the same indicator of a higher unit).
 * `reference.indicator` defaults to this indicator and `reference.orgUnit` to the unit evaluated.
 */
const relativeTarget = z.strictObject({
  kind: z.literal('relative'),
  measure: z.enum(['growth', 'level']),
  op: comparison.default('>='),
  reference: z.strictObject({
    indicator: indicatorCode.optional(),
    orgUnit: orgUnitCode.optional(),
  }),
  /** For `~` (基本同步): the half-width of the acceptable band. */
  tolerance: z.number().positive().optional(),
  year: year.optional(),
  ...targetCommon,
});

/** A rank among peers: 达到全省中等水平以上 = in the upper half of the province's cities. */
const rankTarget = z.strictObject({
  kind: z.literal('rank'),
  /** The parent unit whose children are the peers (e.g. 330000 for Zhejiang's cities). */
  among: orgUnitCode,
  op: z.enum(['<=', '<']),
  /** A rank (1 = best in the indicator's direction). */
  value: z.number().int().positive(),
  year: year.optional(),
  ...targetCommon,
});

export const TARGET_KINDS = ['level', 'growth', 'yearly', 'cumulative', 'trend', 'relative', 'rank'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

export const target = z.discriminatedUnion('kind', [
  levelTarget,
  growthTarget,
  yearlyTarget,
  cumulativeTarget,
  trendTarget,
  relativeTarget,
  rankTarget,
]);
export type Target = z.infer<typeof target>;

/**
 * How values of child units combine into the parent's value. Never the mean of ratios: a ratio rolls
 * up as the ratio of its rolled-up numerator and denominator.
 */
export const aggregation = z.discriminatedUnion('method', [
  z.strictObject({ method: z.literal('sum') }),
  z.strictObject({ method: z.literal('mean') }),
  z.strictObject({ method: z.literal('weightedMean'), weight: indicatorCode }),
  z.strictObject({ method: z.literal('ratio'), numerator: indicatorCode, denominator: indicatorCode }),
  /** Reported separately at each level (e.g. a survey estimate): no roll-up. */
  z.strictObject({ method: z.literal('none') }),
]);
export type Aggregation = z.infer<typeof aggregation>;

/** How sub-year values make a year: sum for flows, last for stocks and rates, mean where asked. */
export const PERIOD_AGGREGATIONS = ['sum', 'last', 'mean'] as const;
export const PERIODICITIES = ['year', 'quarter', 'month'] as const;

export const DISPARITY_MEASURES = ['maxMinRatio', 'range', 'cv', 'gini', 'theilT', 'theilL'] as const;
export const MICRODATA_STATISTICS = [
  'mean',
  'median',
  'bracketShare',
  'gini',
  'theilT',
  'theilL',
  'quintileShareRatio',
] as const;

/** How the indicator's value comes about. */
export const computation = z.discriminatedUnion('kind', [
  /** Reported by org units (or taken from official statistics). */
  z.strictObject({ kind: z.literal('raw') }),
  /** An expression over other indicators of the same unit and period, e.g. `INC_URBAN_PC / INC_RURAL_PC`. */
  z.strictObject({ kind: z.literal('formula'), expression: z.string().min(1) }),
  /** A disparity of another indicator across the child units of a level (倍差 between counties). */
  z.strictObject({
    kind: z.literal('disparity'),
    of: indicatorCode,
    across: orgUnitLevel,
    measure: z.enum(DISPARITY_MEASURES),
    /** Weight units by this indicator (e.g. population) where the measure takes weights. */
    weight: indicatorCode.optional(),
  }),
  /** A statistic of household survey microdata (weighted by survey weights). */
  z.strictObject({
    kind: z.literal('microdata'),
    statistic: z.enum(MICRODATA_STATISTICS),
    variable: z.enum(['disposable_income', 'disposable_income_per_capita']),
    /** Half-open bracket [from, to) for `bracketShare`. */
    from: z.number().optional(),
    to: z.number().optional(),
    filter: z.strictObject({ urbanRural: z.enum(['urban', 'rural']).optional() }).optional(),
  }),
]);
export type Computation = z.infer<typeof computation>;

export const indicator = z.strictObject({
  code: indicatorCode,
  name: localized,
  description: localizedOptionalEn.optional(),
  unit: z.string().min(1),
  /** The goal area (dimension) it measures. */
  dimension: z.string().min(1),
  /** Plan task numbers it belongs to. */
  tasks: z.array(z.number().int().positive()).default([]),
  direction,
  periodicity: z.enum(PERIODICITIES).default('year'),
  periodAggregation: z.enum(PERIOD_AGGREGATIONS).default('last'),
  /** Levels of org unit that report it or for which it is computed. */
  levels: z.array(orgUnitLevel).min(1),
  aggregation: aggregation.default({ method: 'none' }),
  computation: computation.default({ kind: 'raw' }),
  /** Plausible range for validation, in base units. */
  bounds: z.strictObject({ min: z.number().optional(), max: z.number().optional() }).optional(),
  /** A natural limit (e.g. 1 for a coverage rate) for the Open SDG progress measure. */
  limit: z.number().optional(),
  /**
   * Days after the end of a period by which its figure is expected (annual income by the end of March:
   * about 90). Default by periodicity: year 90, quarter 45, month 25. A figure not in by then is overdue.
   */
  releaseLagDays: z.number().int().min(0).max(730).optional(),
  /** The value in the plan's base year, where the plan or the official statistics give one. */
  baseline: z.strictObject({ year, value: z.number(), source: z.string().optional() }).optional(),
  targets: z.array(target).default([]),
  /** Is this one of the headline goals shown first (the plan's 一、发展目标)? */
  headline: z.boolean().optional(),
  source,
  note: z.string().optional(),
});
export type Indicator = z.infer<typeof indicator>;

const unitRef = z.strictObject({
  /** An org unit code (department or region). */
  unit: orgUnitCode,
  /** Set by demo data: a plausible assignment, not the plan office's decision. */
  demo: z.boolean().optional(),
});

export const TASK_LISTS = ['key', 'breakthrough', 'reform'] as const;

export const task = z.strictObject({
  number: z.number().int().positive(),
  section: z.number().int().positive(),
  title: localized,
  summary: localizedOptionalEn,
  /** The goal areas it serves. */
  dimensions: z.array(z.string()).default([]),
  /** Key-task list (重点任务清单), breakthrough list (突破性抓手清单), reform-request list (重大改革诉求清单). */
  list: z.enum(TASK_LISTS).default('key'),
  lead: z.array(unitRef).default([]),
  cooperating: z.array(unitRef).default([]),
  source,
});
export type Task = z.infer<typeof task>;

export const dimension = z.strictObject({
  code: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
  name: localized,
  goal: localizedOptionalEn.optional(),
  source,
});
export type Dimension = z.infer<typeof dimension>;

export const section = z.strictObject({
  number: z.number().int().positive(),
  /** The numeral as printed (二, 三 …). */
  label: z.string().optional(),
  title: localized,
  source,
});
export type Section = z.infer<typeof section>;

const customUnit = z.strictObject({
  zh: z.string(),
  en: z.string(),
  kind: z.enum(['money', 'count', 'share', 'rate', 'ratio', 'measure', 'index']),
  displayScale: z.number().optional(),
});

/** Thresholds of the status light; issue-level rules live in the engine, the numbers here. */
export const evaluationSettings = z.strictObject({
  /** Progress against the expected-to-date value at or above which a unit is on track. */
  onTrack: z.number().min(0).max(2).default(1),
  /** … and below which it is off track (between the two: at risk). */
  offTrack: z.number().min(0).max(2).default(0.9),
  projection: z.enum(['compound', 'linear-trend']).default('compound'),
});

export const planBase = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a plan id is lower-case letters, digits and -'),
  title: localized,
  shortTitle: localized.optional(),
  issuer: localizedOptionalEn.optional(),
  issued: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  /** Where the text of the plan was published. */
  documentUrl: z.string().optional(),
  baseYear: year,
  targetYear: year,
  /** The org unit the plan governs (e.g. 330700 Jinhua). */
  rootOrgUnit: orgUnitCode,
  /** Org units and departments files, relative to the plan file. */
  orgUnits: z.strictObject({
    regions: z.string(),
    departments: z.string().optional(),
    boundaries: z.string().optional(),
  }),
  units: z.record(z.string(), customUnit).default({}),
  evaluation: evaluationSettings.default({ onTrack: 1, offTrack: 0.9, projection: 'compound' }),
  dimensions: z.array(dimension).min(1),
  sections: z.array(section).min(1),
  tasks: z.array(task).min(1),
  indicators: z.array(indicator).min(1),
});

/** A problem found by looking across the plan (codes, references), with its path in the file. */
export interface ReferenceIssue {
  path: (string | number)[];
  message: string;
}

const asRecord = (x: unknown): Record<string, unknown> =>
  x && typeof x === 'object' && !Array.isArray(x) ? (x as Record<string, unknown>) : {};
const asArray = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);

/** The elements of a list that pass their schema, with their index; the others are reported elsewhere. */
function validItems<T>(list: unknown, schema: z.ZodType<T>): [number, T][] {
  const out: [number, T][] = [];
  asArray(list).forEach((item, i) => {
    const r = schema.safeParse(item);
    if (r.success) out.push([i, r.data]);
  });
  return out;
}

/** The values of a key over a list's elements, whatever state the elements are in. */
function keysOf(list: unknown, key: string): unknown[] {
  return asArray(list).map((item) => asRecord(item)[key]);
}

function duplicateIssues(list: unknown, key: string, what: string, path: string): ReferenceIssue[] {
  const seen = new Set<unknown>();
  const issues: ReferenceIssue[] = [];
  keysOf(list, key).forEach((value, i) => {
    if (value === undefined) return;
    if (seen.has(value))
      issues.push({ path: [path, i, key], message: `${what} ${String(value)} is used more than once` });
    seen.add(value);
  });
  return issues;
}

/**
 * Cross-references the per-field schema cannot see: unique codes, known units, dimensions, sections,
 * tasks and indicators. It works on a plan that may be partly invalid (each element is checked on its
 * own, and codes are collected leniently), so a file with both kinds of problems shows all of them.
 */
export function planReferenceIssues(input: unknown): ReferenceIssue[] {
  const raw = asRecord(input);
  const issues: ReferenceIssue[] = [];
  const issue = (path: (string | number)[], message: string) => issues.push({ path, message });

  const baseYear = typeof raw.baseYear === 'number' ? raw.baseYear : undefined;
  const targetYear = typeof raw.targetYear === 'number' ? raw.targetYear : undefined;
  if (baseYear !== undefined && targetYear !== undefined && targetYear <= baseYear)
    issue(['targetYear'], 'targetYear must come after baseYear');

  issues.push(
    ...duplicateIssues(raw.indicators, 'code', 'indicator code', 'indicators'),
    ...duplicateIssues(raw.tasks, 'number', 'task number', 'tasks'),
    ...duplicateIssues(raw.sections, 'number', 'section number', 'sections'),
    ...duplicateIssues(raw.dimensions, 'code', 'dimension code', 'dimensions'),
  );

  const indicatorCodes = new Set(keysOf(raw.indicators, 'code'));
  const dimensionCodes = new Set(keysOf(raw.dimensions, 'code'));
  const taskNumbers = new Set(keysOf(raw.tasks, 'number'));
  const sectionNumbers = new Set(keysOf(raw.sections, 'number'));
  const planUnits = asRecord(raw.units);
  const knownUnit = (u: string) => u in UNITS || u in planUnits;
  const needIndicator = (path: (string | number)[], code: string, why: string) => {
    if (!indicatorCodes.has(code)) issue(path, `${why} refers to unknown indicator ${code}`);
  };

  for (const [i, t] of validItems(raw.tasks, task)) {
    if (!sectionNumbers.has(t.section)) issue(['tasks', i, 'section'], `unknown section ${t.section}`);
    t.dimensions.forEach((d, j) => {
      if (!dimensionCodes.has(d)) issue(['tasks', i, 'dimensions', j], `unknown dimension ${d}`);
    });
  }

  // Indicators are checked field by field, so that one bad target does not hide a bad dimension.
  asArray(raw.indicators).forEach((item, i) => {
    const ind = asRecord(item);
    const at = (...p: (string | number)[]) => ['indicators', i, ...p];
    if (typeof ind.unit === 'string' && !knownUnit(ind.unit))
      issue(at('unit'), `unknown unit ${ind.unit}; declare it under units:`);
    if (typeof ind.dimension === 'string' && !dimensionCodes.has(ind.dimension))
      issue(at('dimension'), `unknown dimension ${ind.dimension}`);
    asArray(ind.tasks).forEach((n, j) => {
      if (typeof n === 'number' && !taskNumbers.has(n)) issue(at('tasks', j), `unknown task ${n}`);
    });

    const agg = aggregation.safeParse(ind.aggregation ?? { method: 'none' });
    if (agg.success && agg.data.method === 'weightedMean')
      needIndicator(at('aggregation', 'weight'), agg.data.weight, 'the weight');
    if (agg.success && agg.data.method === 'ratio') {
      needIndicator(at('aggregation', 'numerator'), agg.data.numerator, 'the numerator');
      needIndicator(at('aggregation', 'denominator'), agg.data.denominator, 'the denominator');
    }

    const comp = computation.safeParse(ind.computation ?? { kind: 'raw' });
    if (comp.success && comp.data.kind === 'formula') {
      // The engine's own parser: a formula that validates is one the evaluation can compute.
      let codes: readonly string[] = [];
      try {
        codes = parseFormula(comp.data.expression).codes;
      } catch (e) {
        if (!(e instanceof FormulaError)) throw e;
        const where = e.column > 0 ? ` (at character ${e.column})` : '';
        issue(at('computation', 'expression'), `the formula does not parse${where}: ${e.message}`);
      }
      for (const ref of codes)
        if (ref !== ind.code) needIndicator(at('computation', 'expression'), ref, 'the formula');
        else issue(at('computation', 'expression'), 'a formula cannot refer to its own indicator');
    }
    if (comp.success && comp.data.kind === 'disparity') {
      needIndicator(at('computation', 'of'), comp.data.of, 'the disparity');
      if (comp.data.weight) needIndicator(at('computation', 'weight'), comp.data.weight, 'the weight');
    }
    if (comp.success && comp.data.kind === 'microdata' && comp.data.statistic === 'bracketShare') {
      const { from, to } = comp.data;
      if (from === undefined && to === undefined) issue(at('computation'), 'a bracketShare needs from and/or to');
      if (from !== undefined && to !== undefined && to <= from)
        issue(at('computation', 'to'), 'the bracket must end after it starts');
    }

    for (const [j, t] of validItems(ind.targets, target)) {
      const tp = (...p: (string | number)[]) => at('targets', j, ...p);
      const due = t.year ?? targetYear;
      if (due !== undefined && baseYear !== undefined && due < baseYear)
        issue(tp('year'), `target year ${due} is before the plan's base year`);
      if (t.kind === 'growth' && (t.rate === undefined) === (t.amount === undefined))
        issue(tp(), 'a growth target has either rate (compound) or amount (absolute per year), not both');
      if (t.kind === 'relative' && t.reference.indicator)
        needIndicator(tp('reference', 'indicator'), t.reference.indicator, 'the reference');
      if (t.kind === 'relative' && !t.reference.indicator && !t.reference.orgUnit)
        issue(tp('reference'), 'a relative target compares with another indicator or another org unit');
      if ((t.kind === 'level' || t.kind === 'relative') && t.op === '~' && t.tolerance === undefined)
        issue(tp('tolerance'), 'an "about" (~) target needs a tolerance');
      t.milestones?.forEach((m, k) => {
        if (due !== undefined && m.year > due)
          issue(tp('milestones', k, 'year'), 'a milestone cannot fall after its target year');
      });
    }
  });
  return issues;
}

export const planSchema = planBase.superRefine((plan, ctx) => {
  for (const { path, message } of planReferenceIssues(plan)) ctx.addIssue({ code: 'custom', path, message });
});

export type Plan = z.infer<typeof planSchema>;
export type PlanInput = z.input<typeof planSchema>;

/** Unit definition of an indicator, from the built-in table or the plan's own `units:`. */
export function unitOf(plan: Pick<Plan, 'units'>, unit: string) {
  return (UNITS as Record<string, (typeof UNITS)[keyof typeof UNITS]>)[unit] ?? plan.units[unit];
}
