/**
 * The shapes that go into and come out of the whole-plan evaluation (`evaluate.ts`): inputs are the plan,
 * the region rows, reported matrices, optional household microdata and optional outside series; the
 * output is columnar per indicator (units × years typed arrays), with one object per indicator × unit
 * at the indicator's levels for the target evaluations, the horse race as typed arrays, and a short
 * headline list. Nothing here computes.
 *
 * Indexing, everywhere:
 * - unit i is the i-th row of `orgUnits` (and `OrgTree` index i);
 * - year j is `years[j]` of the evaluation's year axis (consecutive calendar years);
 * - a units × years matrix holds cell (i, j) at `i * years.length + j`.
 */
import type { Computation, Plan } from '../../domain/plan.js';
import type { PeriodAxis } from '../../domain/period.js';
import type { OrgTree } from '../org-tree.js';
import type { ProgressMeasure } from '../sdg-progress.js';
import type { TargetEvaluation, TargetStatus } from '../targets.js';

// ——— input ———

/** A region row: the store's `OrgUnit` fits. Rows are the tree under and including the plan's root. */
export interface EvaluationOrgUnit {
  readonly code: string;
  /** The parent's code. The root's parent (e.g. 330000 for 330700) is outside the rows; it names the root's peers for rank targets. */
  readonly parent: string | null;
  readonly level: string;
  readonly name?: string;
  /** e.g. { mountain: '1' }; `EvaluationOptions.groupBy` ranks the counties within groups of one attribute. */
  readonly attributes?: Readonly<Record<string, string>>;
}

/**
 * Reported values of one raw indicator at its own periodicity: units (in `orgUnits` order) × the
 * periods of `axis` (`values[unit * axis.length + column]`), NaN = not reported. The axis type must be
 * the indicator's periodicity; it normally runs from the plan's base year to the last period with data.
 */
export interface ReportedMatrix {
  readonly axis: PeriodAxis;
  readonly values: Float64Array;
}

/**
 * One year of household survey microdata, one element per household in every array.
 * `income` is the household's yearly disposable income (yuan), `size` its persons, `weight` its survey
 * weight (households it stands for), `unitIndex` the tree index of its unit (a town, a county …), and
 * `urbanRural` 0 for urban, 1 for rural.
 */
export interface HouseholdYear {
  readonly year: number;
  readonly income: Float64Array;
  readonly size: Float64Array;
  readonly weight: Float64Array;
  readonly unitIndex: Int32Array;
  readonly urbanRural: Uint8Array;
}

/**
 * A yearly series of an indicator for an org unit outside the tree (330000 Zhejiang, 100000 China, a
 * sister city): the reference of a relative target, and — with `parent` — a peer of rank targets
 * "among `parent`'s units".
 */
export interface ExternalSeries {
  readonly indicator: string;
  readonly orgUnit: string;
  /** The unit's parent (330000 for Zhejiang's other cities): makes it a peer among that parent's units. */
  readonly parent?: string;
  readonly years: readonly number[] | Int32Array;
  readonly values: Float64Array;
}

export interface EvaluationInput {
  readonly plan: Plan;
  /** The region tree under and including `plan.rootOrgUnit`. */
  readonly orgUnits: readonly EvaluationOrgUnit[];
  /** By indicator code, for raw indicators; missing → nothing reported (all NaN). */
  readonly reported: ReadonlyMap<string, ReportedMatrix>;
  /** Household microdata by year, for microdata indicators; absent → those indicators have no data. */
  readonly households?: readonly HouseholdYear[];
  /** Series of org units outside the tree, for relative and rank targets. */
  readonly external?: readonly ExternalSeries[];
  /** The evaluation year; default the latest year with any data, but not after `lastCompleteYear`. */
  readonly asOf?: number;
  /**
   * The last calendar year that had ended when the data were read: a value entered for an unfinished
   * year (a partial year of monthly figures, an early yearly estimate) does not move the default year.
   */
  readonly lastCompleteYear?: number;
  /** An attribute of the root's children (e.g. 'mountain') to rank them within groups as well. */
  readonly groupBy?: string;
}

/** One changed cell of reported values, for `evaluateIncrementally`. */
export interface ChangedCell {
  readonly indicator: string;
  /** The org unit's code. */
  readonly unit: string;
}

// ——— output ———

export const ORIGINS = ['missing', 'reported', 'computed'] as const;
export type Origin = (typeof ORIGINS)[number];

/**
 * An indicator's yearly values at every unit: units × years. `origin` holds rollup.ts's MISSING (0),
 * REPORTED (1) or COMPUTED (2). `coverage` is the share of the data that should back the value which is
 * there (0 … 1; see the pipeline notes in evaluate.ts), NaN where the measure does not apply.
 */
export interface YearlyValues {
  readonly value: Float64Array;
  readonly origin: Uint8Array;
  readonly coverage: Float32Array;
  /** Sub-year indicators: sub-periods of the year with a value (of `expected`); null for yearly ones. */
  readonly present: Uint8Array | null;
  /** Sub-periods in a year: 1, 4 or 12. */
  readonly expected: number;
  /** Sub-year indicators summed over the year: the sum so far of an incomplete year (NaN elsewhere); else null. */
  readonly partialSum: Float64Array | null;
}

/** Who drives a disparity, per unit × year (columnar; `explainDisparity` spells one cell out). */
export interface DisparityCells {
  /** Descendants at the `across` level with a value (and a weight where weighted) … */
  readonly counted: Uint32Array;
  /** … out of the descendants at that level. */
  readonly eligible: Uint32Array;
  /** Tree index of the unit with the largest value; −1 where none. */
  readonly maxUnit: Int32Array;
  /** Tree index of the unit with the smallest value; −1 where none. */
  readonly minUnit: Int32Array;
}

/** `TargetStatus`, or `no_target` for an indicator that has no target (monitored only). */
export type CellStatus = TargetStatus | 'no_target';

/** One indicator at one unit of one of its levels, as of the evaluation year. */
export interface CellEvaluation {
  readonly indicator: string;
  readonly unit: string;
  readonly unitIndex: number;
  /** The latest year ≤ asOf with a value, and the value; NaN when there is none. */
  readonly year: number;
  readonly value: number;
  /** Coverage and origin of that value (of the asOf year when there is none). */
  readonly coverage: number;
  readonly origin: Origin;
  /** The status of the first target; `no_target` without targets. */
  readonly status: CellStatus;
  /** Every target's evaluation, in the plan's order. */
  readonly targets: readonly TargetEvaluation[];
  /** The Open SDG progress measure toward the first target (or without a target), a second opinion. */
  readonly progress: ProgressMeasure;
}

export interface IndicatorResult {
  readonly code: string;
  readonly computation: Computation['kind'];
  readonly values: YearlyValues;
  /** The latest year in which any unit has a value; NaN when none. */
  readonly lastYear: number;
  /** Disparity indicators only. */
  readonly disparity: DisparityCells | null;
  /** Microdata indicators only: households that entered each cell's statistic. */
  readonly households: Uint32Array | null;
  /** One per unit at the indicator's levels, in the tree's preorder. */
  readonly cells: readonly CellEvaluation[];
}

/**
 * The horse race (赛马) of the root's children, with the root alongside (not ranked): units are
 * `units` (root first), years `years` (base year … asOf). Every matrix is row-major in that order:
 * `scores[(y * units + u) * indicators + i]`, `subIndex[(y * units + u) * dimensions + d]`,
 * `index[y * units + u]`.
 */
export interface HorseRace {
  readonly years: Int32Array;
  /** Tree indices: the root, then its children in tree order. */
  readonly units: Int32Array;
  readonly codes: readonly string[];
  /** Indicator codes in plan order: the columns of `scores`. */
  readonly indicators: readonly string[];
  /** Dimension codes in plan order. */
  readonly dimensions: readonly string[];
  /** The dimension (index into `dimensions`) of each indicator. */
  readonly indicatorDimensions: Int32Array;
  /** 0–100 progress toward each indicator's first target; NaN where not scored. */
  readonly scores: Float64Array;
  /** Nominal weight of each indicator for each unit: 1 where it is scored at the unit's level, else 0 (units × indicators). */
  readonly indicatorWeights: Float64Array;
  /** Dimension sub-indices, 0–100. */
  readonly subIndex: Float64Array;
  /** Share of a dimension's indicators with a score. */
  readonly dimensionCoverage: Float64Array;
  /** Overall index, 0–100. */
  readonly index: Float64Array;
  readonly indexCoverage: Float64Array;
  /** Rank among the root's children (1 = best, ties share the best rank); NaN for the root. */
  readonly rank: Float64Array;
  /** previous year's rank − this year's (positive = moved up); NaN in the first year. */
  readonly rankChange: Float64Array;
  /** index − the unit's index in its first year with one (from the base year on). */
  readonly improvement: Float64Array;
  readonly improvementRank: Float64Array;
  /** The year each unit's improvement counts from; NaN where the unit has no index. */
  readonly improvementFrom: Float64Array;
  /** With `groupBy`: each unit's group (the attribute's value, '' where absent; '' for the root) … */
  readonly groups: readonly string[] | null;
  /** … and its rank within its group each year. */
  readonly rankInGroup: Float64Array | null;
}

/** Why a unit's index is what it is in a year (composite.ts's explanation, with codes; null = not available). */
export interface IndexExplanation {
  readonly unit: string;
  readonly year: number;
  readonly index: number | null;
  /** Share of the dimension weight with a sub-index. */
  readonly coverage: number;
  readonly dimensions: readonly {
    readonly dimension: string;
    readonly subIndex: number | null;
    readonly coverage: number;
    readonly weight: number;
    readonly effectiveWeight: number;
    /** Its share of the index: contributions sum to the index. */
    readonly contribution: number | null;
    /** The indicators scored at the unit's level. */
    readonly indicators: readonly {
      readonly indicator: string;
      readonly score: number | null;
      readonly weight: number;
      readonly effectiveWeight: number;
      /** Its share of the sub-index. */
      readonly contribution: number | null;
    }[];
  }[];
}

/** One member of a disparity explanation. */
export interface DisparityMember {
  readonly unit: string;
  readonly value: number;
  /** The weight where the disparity is weighted, else 1. */
  readonly weight: number;
  /** The explained unit's child through which it belongs (its group in the Theil split). */
  readonly group: string;
}

/** Why a disparity is what it is, for one unit and year. */
export interface DisparityExplanation {
  readonly indicator: string;
  readonly unit: string;
  readonly year: number;
  readonly measure: string;
  readonly of: string;
  readonly across: string;
  readonly weight: string | null;
  readonly value: number;
  readonly counted: number;
  readonly eligible: number;
  readonly max: { readonly unit: string; readonly value: number } | null;
  readonly min: { readonly unit: string; readonly value: number } | null;
  /** The descendants at the `across` level with their values, highest first (missing ones last). */
  readonly members: readonly DisparityMember[];
  /**
   * Theil T and L split by the unit's children (each a group of its descendants): each group's share
   * of the total, within and between. The group with the largest total drives the gap.
   */
  readonly groups: readonly {
    readonly group: string;
    readonly n: number;
    readonly mean: number;
    readonly theilT: { total: number; within: number; between: number };
    readonly theilL: { total: number; within: number; between: number };
  }[];
}

export type HeadlineAttribution =
  | {
      readonly kind: 'formula';
      readonly expression: string;
      readonly inputs: readonly { readonly indicator: string; readonly value: number; readonly coverage: number }[];
    }
  | ({ readonly kind: 'disparity' } & DisparityExplanation)
  | {
      readonly kind: 'microdata';
      readonly statistic: string;
      readonly variable: string;
      readonly urbanRural: 'urban' | 'rural' | null;
      readonly bracket: { readonly from: number | null; readonly to: number | null } | null;
      /** Households that entered the statistic. */
      readonly households: number;
    };

/** A headline disparity of the root (城乡收入倍差, 地区倍差, 中等收入群体比例 …) with what drives it. */
export interface HeadlineItem {
  readonly indicator: string;
  readonly name: { readonly zh: string; readonly en: string };
  readonly computation: 'formula' | 'disparity' | 'microdata';
  /** Latest year ≤ asOf with a value, the value and its coverage; NaN when none. */
  readonly year: number;
  readonly value: number;
  readonly coverage: number;
  /** The root's cell status where the indicator is evaluated at the root's level, else null. */
  readonly status: CellStatus | null;
  /** The root's yearly values, years up to asOf. */
  readonly series: { readonly years: readonly number[]; readonly values: readonly number[] };
  /** Null when there is no value to explain. */
  readonly attribution: HeadlineAttribution | null;
}

/** Hashes of each part of the input (hex), from which `fingerprint` is made. */
export interface FingerprintParts {
  readonly plan: string;
  readonly orgUnits: string;
  readonly households: string;
  readonly external: string;
  readonly options: string;
  /** By raw indicator code (plan order): the reported matrix and its axis. */
  readonly reported: Readonly<Record<string, string>>;
}

export interface Evaluation {
  readonly planId: string;
  /** The plan evaluated (the same object as the input's). */
  readonly plan: Plan;
  /** A stable hash of everything the evaluation reads: equal inputs, equal fingerprint. */
  readonly fingerprint: string;
  readonly fingerprintParts: FingerprintParts;
  /** The evaluation year (given, or the latest year with any data). */
  readonly asOf: number;
  /** The year axis: consecutive years from min(base year, first data year) to the last data year. */
  readonly years: Int32Array;
  readonly tree: OrgTree;
  /** Tree index of the plan's root. */
  readonly root: number;
  /** By indicator code, in plan order. */
  readonly indicators: ReadonlyMap<string, IndicatorResult>;
  readonly horseRace: HorseRace;
  readonly headline: readonly HeadlineItem[];
  /** Things the caller should know: ignored inputs, unknown codes. */
  readonly notes: readonly string[];
}
