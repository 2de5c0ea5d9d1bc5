/** Shapes of the API answers the leaders' pages read (see the OpenAPI document at /api/docs). */
export type Localized = { zh: string; en: string };
export type StatusCounts = Record<'achieved' | 'on_track' | 'at_risk' | 'off_track' | 'no_data' | 'no_target', number>;

export interface OverviewUnit {
  code: string;
  name: string;
  level: string;
  index: number | null;
  coverage: number | null;
  rank: number | null;
  rankChange: number | null;
  dimensions: Record<string, number | null>;
  statuses: StatusCounts;
  history: { year: number; index: number | null; rank: number | null }[];
}

export interface Overview {
  plan: {
    id: string;
    title: Localized;
    shortTitle: Localized | null;
    rootOrgUnit: string;
    baseYear: number;
    targetYear: number;
  };
  run: {
    id: number;
    asOfYear: number;
    dataAsOf: string;
    createdAt: string;
    frozen: boolean;
    label: string | null;
    stale: boolean;
    createdNow: boolean;
  };
  latestPeriods: Record<string, string>;
  values: { total: number; synthetic: number };
  dimensions: { code: string; name: Localized; indicators: number; statuses: StatusCounts }[];
  units: OverviewUnit[];
  headline: {
    indicator: string;
    name: Localized;
    unit: string;
    dimension: string;
    direction: string;
    year: number | null;
    value: number | null;
    status: string;
    target: { kind: string; value: number | null; year: number | null } | null;
    progress: number | null;
    series: { years: number[]; values: (number | null)[] };
    synthetic: boolean;
  }[];
}

export interface Indicator {
  code: string;
  name: { zh: string; en?: string };
  description?: { zh: string; en?: string };
  unit: string;
  dimension: string;
  tasks: number[];
  direction: string;
  periodicity: string;
  levels: string[];
  computation: { kind: string; [k: string]: unknown };
  baseline?: { year: number; value: number; source?: string };
  targets: { kind: string; [k: string]: unknown }[];
  headline?: boolean;
  source: string;
  note?: string;
}

export interface CellTarget {
  kind: string;
  status: string;
  latestYear: number | null;
  latestValue: number | null;
  targetValue: number | null;
  targetYear: number | null;
  expectedToDate: number | null;
  progress: number | null;
  projection: number | null;
  projectionMethod: string | null;
  requiredGrowth: number | null;
  explanation?: unknown;
}

export interface Cell {
  indicator: string;
  orgUnit: string;
  year: number | null;
  value: number | null;
  coverage: number | null;
  origin: string;
  status: string;
  detail: {
    targets?: CellTarget[];
    progress?: unknown;
    series?: { years: number[]; values: (number | null)[]; coverage?: (number | null)[] };
  };
}

export interface RankingRow {
  orgUnit: string;
  name: string;
  index: number | null;
  coverage: number | null;
  rank: number | null;
  rankChange: number | null;
  improvement: number | null;
  improvementRank: number | null;
  dimensions: Record<string, number | null>;
}

export interface OrgUnit {
  code: string;
  name: string;
  level: string;
  kind: string;
  parent: string | null;
  path?: string;
  attributes?: Record<string, string>;
  children?: OrgUnit[];
  ancestors?: OrgUnit[];
}

export interface Plan {
  id: string;
  title: Localized;
  rootOrgUnit: string;
  baseYear: number;
  targetYear: number;
  dimensions: { code: string; name: { zh: string; en?: string } }[];
  tasks?: {
    number: number;
    title: { zh: string; en?: string };
    lead: { unit: string; demo?: boolean }[];
    cooperating: { unit: string; demo?: boolean }[];
  }[];
}
