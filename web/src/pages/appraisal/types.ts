/** The shapes of GET /appraisals, /appraisals/:period and /appraisals/:period/units/:code. */
export type Subject = 'county' | 'department';
export type Verdict = 'tied' | 'within_uncertainty' | 'clear';
export interface Localized {
  zh: string;
  en: string;
}

export interface AppraisalRun {
  id: number;
  planId: string;
  period: string;
  subject: Subject;
  version: number;
  scheme: { id: string; version: number; title: Localized };
  frozen: boolean;
  published: boolean;
  correctedFrom: number | null;
  reason: string | null;
  createdBy: string | null;
  createdAt: string;
  publishedBy: string | null;
  publishedAt: string | null;
  sources: unknown;
  synthetic: boolean;
}

export interface ComponentScore {
  code: string;
  source: string;
  title?: Localized;
  weight: number;
  raw: number | null;
  se: number;
  score: number | null;
  limited: 'floor' | 'cap' | null;
  points: number;
  inputs: Record<string, number>;
}

export interface RuleScore {
  rule: string;
  title?: Localized;
  automatic: boolean;
  pointsEach: number;
  quantity: number;
  raw: number;
  points: number;
  capped: boolean;
  refs: string[];
}

export interface NeighbourNote {
  unit: string;
  gap: number;
  margin: number;
  verdict: Verdict;
  note: Localized;
}

export interface AppraisalRow {
  orgUnit: string;
  name: string;
  total: number;
  se: number;
  rank: number;
  rankChange: number | null;
  bonuses: number;
  deductions: number;
  components: ComponentScore[];
  rules: RuleScore[];
  significance: { above: NeighbourNote | null; below: NeighbourNote | null };
}

export interface AppraisalTable {
  run: AppraisalRun;
  versions: {
    id: number;
    version: number;
    frozen: boolean;
    published: boolean;
    correctedFrom: number | null;
    reason: string | null;
  }[];
  rows: AppraisalRow[];
}

export interface Estimate {
  n: number;
  nEff: number;
  mean: number;
  se: number;
  lower: number;
  upper: number;
  clipped: boolean;
  sumWeights?: number;
}

export interface Trace {
  evaluation?: {
    run: number;
    year: number;
    index: number | null;
    coverage: number | null;
    improvement: number | null;
  };
  milestones?: { id: number; item: number; due: string; metOnTime: boolean }[];
  problems?: {
    ids: number[];
    found: number;
    selfFound: number;
    higherFound: number;
    closed: number;
    overdue: number;
    reopenEvents: number;
    reopenedProblems: number;
    meanDaysToClose: number | null;
    selfFoundShare: number | null;
    closureSpeed: number | null;
    reopenControl: number | null;
    index: number | null;
    byList?: { list: string; index: number | null; found: number }[];
  };
  satisfaction?: Estimate & { respondents: number; byQuestion: (Estimate & { question: string })[] };
}

export interface Breakdown {
  run: AppraisalRun;
  score: AppraisalRow & {
    detail: {
      reweighting: number;
      componentPoints: number;
      bonusCapped: boolean;
      deductionCapped: boolean;
      unlimitedTotal: number;
      limited: 'floor' | 'cap' | null;
      previousRank: number | null;
      input: Record<string, unknown>;
      trace: Trace;
    };
  };
}

/** The row's mark: "=" tied with a neighbour, "≈" within the uncertainty of one, else nothing. */
export function neighbourMark(row: AppraisalRow): '=' | '≈' | '' {
  const notes = [row.significance.above, row.significance.below];
  if (notes.some((n) => n?.verdict === 'tied')) return '=';
  if (notes.some((n) => n?.verdict === 'within_uncertainty')) return '≈';
  return '';
}
