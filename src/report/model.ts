/**
 * The assessment report as plain data, built from an evaluation: the composite index and ranks, each
 * dimension with its indicators (value, status, target, projection), one scorecard per county, the
 * off-track list with the units that answer for it, and the closed loop's figures. Pure: the HTML and
 * XLSX writers only lay this out, and the tests check its numbers against the evaluation.
 */
import type { CellStatus, Evaluation } from '../engine/evaluate/types.js';
import type { Indicator, Plan } from '../domain/plan.js';
import { unitOf } from '../domain/plan.js';
import { storedUnitLabel } from '../domain/units.js';
import type { LoopFigures } from '../engine/loop-figures.js';

export type ReportLanguage = 'zh' | 'en';

export interface IndicatorLine {
  code: string;
  name: string;
  dimension: string;
  /** The unit label as values are shown ("%" for shares and rates, else the stored unit). */
  unit: string;
  /** The unit's kind: shares and rates are shown × 100. */
  kind: string;
  year: number | null;
  value: number | null;
  status: CellStatus;
  /** The first target, in words; null without one. */
  target: string | null;
  targetValue: number | null;
  targetYear: number | null;
  /** Where the series is heading by the target year (the first target's projection). */
  projection: number | null;
  /** Share of the way from the base to the target (0–1, may leave that range). */
  progress: number | null;
}

export interface RankLine {
  code: string;
  name: string;
  index: number | null;
  coverage: number | null;
  /** Null for the city itself (not ranked). */
  rank: number | null;
  rankChange: number | null;
  improvement: number | null;
  /** Sub-index by dimension code. */
  dimensions: Record<string, number | null>;
}

export interface Scorecard extends RankLine {
  /** The index in each year up to the report's. */
  history: { year: number; index: number | null; rank: number | null }[];
  indicators: IndicatorLine[];
  offTrack: number;
}

export interface OffTrackLine {
  indicator: string;
  name: string;
  orgUnit: string;
  orgUnitName: string;
  value: number | null;
  unit: string;
  kind: string;
  target: string | null;
  /** Lead units of the plan's tasks that the indicator serves. */
  responsible: string[];
}

export interface LoopSection {
  total: LoopFigures;
  byCounty: (LoopFigures & { name: string })[];
}

/** The county appraisal (考核) of the report year's last quarter: published, or the latest scored (not published). */
export interface AppraisalSection {
  period: string;
  version: number;
  published: boolean;
  frozen: boolean;
  correctedFrom: number | null;
  reason: string | null;
  /** Some inputs are synthetic demo data (示例数据). */
  synthetic: boolean;
  scheme: string;
  components: { code: string; title: string; weight: number }[];
  rows: {
    code: string;
    name: string;
    rank: number;
    rankChange: number | null;
    total: number;
    se: number;
    /** Points per component code; null when the component had no data. */
    points: Record<string, number | null>;
    bonuses: number;
    deductions: number;
    /** '=' tied with a neighbour, '≈' within the uncertainty of one, '' a clear difference. */
    mark: string;
  }[];
}

export interface ReportModel {
  language: ReportLanguage;
  planId: string;
  planTitle: string;
  year: number;
  generatedAt: string;
  /** Some values behind the report are synthetic demo data (示例数据). */
  synthetic: boolean;
  root: { code: string; name: string };
  /** Only this county's scorecard (gongfu report --org). */
  only: { code: string; name: string } | null;
  dimensions: { code: string; name: string }[];
  /** The city first, then the counties by rank. */
  ranking: RankLine[];
  dimensionSections: { code: string; name: string; indicators: IndicatorLine[] }[];
  scorecards: Scorecard[];
  offTrack: OffTrackLine[];
  /** Null: the loop has no data yet (or the reader may not see it). */
  loop: LoopSection | null;
  statusCounts: Record<string, number>;
  /** Null: no county appraisal of the year's last quarter (or not the whole plan's report). */
  appraisal: AppraisalSection | null;
}

export interface ReportInput {
  evaluation: Evaluation;
  year: number;
  language: ReportLanguage;
  /** Org unit (and department) names by code. */
  names: ReadonlyMap<string, string>;
  synthetic: boolean;
  only?: string | undefined;
  loop?: LoopSection | null | undefined;
  appraisal?: AppraisalSection | null | undefined;
  now?: Date;
}

const finite = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? x : null);

const OP: Record<string, string> = { '>=': '≥', '>': '>', '<=': '≤', '<': '<', '~': '≈' };

/** The first target in words, in the report's language. */
export function targetText(
  indicator: Indicator,
  plan: Pick<Plan, 'targetYear'>,
  lang: ReportLanguage,
  kind: string,
): string | null {
  const t = indicator.targets[0];
  if (!t) return null;
  const shown = (v: number) =>
    kind === 'share' || kind === 'rate' ? `${+(v * 100).toPrecision(10)}%` : `${+v.toPrecision(12)}`;
  const zh = lang === 'zh';
  switch (t.kind) {
    case 'level':
      return zh
        ? `${OP[t.op] ?? t.op} ${shown(t.value)}（${t.year ?? plan.targetYear}年）`
        : `${OP[t.op] ?? t.op} ${shown(t.value)} (${t.year ?? plan.targetYear})`;
    case 'growth':
      return t.rate !== undefined
        ? zh
          ? `年均增长${OP[t.op] ?? t.op} ${+(t.rate * 100).toPrecision(10)}%`
          : `growth ${OP[t.op] ?? t.op} ${+(t.rate * 100).toPrecision(10)}%/yr`
        : zh
          ? `年均增加${OP[t.op] ?? t.op} ${shown(t.amount ?? 0)}`
          : `+${shown(t.amount ?? 0)}/yr`;
    case 'yearly':
      return zh ? `每年${OP[t.op] ?? t.op} ${shown(t.value)}` : `${OP[t.op] ?? t.op} ${shown(t.value)} every year`;
    case 'cumulative':
      return zh ? `累计${OP[t.op] ?? t.op} ${shown(t.value)}` : `${OP[t.op] ?? t.op} ${shown(t.value)} in total`;
    case 'trend':
      return zh
        ? indicator.direction === 'up'
          ? '持续上升'
          : '持续下降'
        : indicator.direction === 'up'
          ? 'rising every year'
          : 'falling every year';
    case 'relative':
      return zh
        ? `${t.measure === 'growth' ? '增幅' : '水平'}${OP[t.op] ?? t.op} ${t.reference.indicator ?? ''}${t.reference.orgUnit ? `@${t.reference.orgUnit}` : ''}`
        : `${t.measure} ${OP[t.op] ?? t.op} ${t.reference.indicator ?? ''}${t.reference.orgUnit ? `@${t.reference.orgUnit}` : ''}`;
    case 'rank':
      return zh ? '排名目标（见方案）' : 'a rank among peers (see the plan)';
  }
}

export function buildReportModel(input: ReportInput): ReportModel {
  const ev = input.evaluation;
  const plan = ev.plan;
  const lang = input.language;
  const name = (code: string) => input.names.get(code) ?? code;
  const race = ev.horseRace;
  const yi = Array.from(race.years).indexOf(input.year);
  const U = race.units.length;
  const D = race.dimensions.length;
  const at = (arr: Float64Array, y: number, u: number) => (y < 0 ? null : finite(arr[y * U + u]));
  const rankLine = (u: number, y = yi): RankLine => ({
    code: race.codes[u]!,
    name: name(race.codes[u]!),
    index: at(race.index, y, u),
    coverage: at(race.indexCoverage, y, u),
    rank: at(race.rank, y, u),
    rankChange: at(race.rankChange, y, u),
    improvement: at(race.improvement, y, u),
    dimensions: Object.fromEntries(
      race.dimensions.map((d, di) => [d, y < 0 ? null : finite(race.subIndex[(y * U + u) * D + di])]),
    ),
  });

  const unitInfo = (i: Indicator) => {
    const def = unitOf(plan, i.unit);
    const kind = def?.kind ?? 'measure';
    return { kind, unit: kind === 'share' || kind === 'rate' ? '%' : storedUnitLabel(def, lang) };
  };
  const line = (i: Indicator, unit: string): IndicatorLine | undefined => {
    const cell = ev.indicators.get(i.code)?.cells.find((c) => c.unit === unit);
    if (!cell) return undefined;
    const t = cell.targets[0];
    const u = unitInfo(i);
    return {
      code: i.code,
      name: i.name[lang] ?? i.name.zh,
      dimension: i.dimension,
      unit: u.unit,
      kind: u.kind,
      year: finite(cell.year),
      value: finite(cell.value),
      status: cell.status,
      target: targetText(i, plan, lang, u.kind),
      targetValue: finite(t?.targetValue),
      targetYear: finite(t?.targetYear),
      projection: finite(t?.projection),
      progress: finite(t?.progress),
    };
  };

  // Lead units of the tasks an indicator serves, by name.
  const responsible = new Map<string, string[]>();
  for (const i of plan.indicators) {
    const leads = plan.tasks
      .filter((t) => (i.tasks ?? []).includes(t.number))
      .flatMap((t) => t.lead.map((l) => name(l.unit)));
    responsible.set(i.code, [...new Set(leads)]);
  }

  const ranking = Array.from({ length: U }, (_, u) => rankLine(u)).sort((a, b) =>
    a.rank === null ? -1 : b.rank === null ? 1 : a.rank - b.rank || a.code.localeCompare(b.code),
  );
  const rootCode = plan.rootOrgUnit;
  const counties = ranking.filter((r) => r.code !== rootCode && (!input.only || r.code === input.only));

  const scorecards: Scorecard[] = counties.map((r) => {
    const u = race.codes.indexOf(r.code);
    const indicators = plan.indicators.map((i) => line(i, r.code)).filter((l): l is IndicatorLine => !!l);
    return {
      ...r,
      history: Array.from(race.years)
        .map((year, y) => ({ year, index: at(race.index, y, u), rank: at(race.rank, y, u) }))
        .filter((h) => h.year <= input.year),
      indicators,
      offTrack: indicators.filter((l) => l.status === 'off_track').length,
    };
  });

  const scopeUnits = input.only ? [input.only] : [rootCode, ...counties.map((c) => c.code)];
  const offTrack: OffTrackLine[] = [];
  const statusCounts: Record<string, number> = {};
  for (const i of plan.indicators)
    for (const unit of scopeUnits) {
      const l = line(i, unit);
      if (!l) continue;
      statusCounts[l.status] = (statusCounts[l.status] ?? 0) + 1;
      if (l.status === 'off_track')
        offTrack.push({
          indicator: i.code,
          name: l.name,
          orgUnit: unit,
          orgUnitName: name(unit),
          value: l.value,
          unit: l.unit,
          kind: l.kind,
          target: l.target,
          responsible: responsible.get(i.code) ?? [],
        });
    }

  const dimensionName = (code: string) => {
    const d = plan.dimensions.find((x) => x.code === code);
    return d ? (d.name[lang] ?? d.name.zh) : code;
  };
  return {
    language: lang,
    planId: plan.id,
    planTitle: plan.title[lang] ?? plan.title.zh,
    year: input.year,
    generatedAt: (input.now ?? new Date()).toISOString(),
    synthetic: input.synthetic,
    root: { code: rootCode, name: name(rootCode) },
    only: input.only ? { code: input.only, name: name(input.only) } : null,
    dimensions: plan.dimensions.map((d) => ({ code: d.code, name: dimensionName(d.code) })),
    ranking: input.only ? ranking.filter((r) => r.code === input.only) : ranking,
    dimensionSections: input.only
      ? []
      : plan.dimensions.map((d) => ({
          code: d.code,
          name: dimensionName(d.code),
          indicators: plan.indicators
            .filter((i) => i.dimension === d.code)
            .map((i) => line(i, rootCode))
            .filter((l): l is IndicatorLine => !!l),
        })),
    scorecards,
    offTrack,
    loop: input.loop ?? null,
    statusCounts,
    appraisal: input.appraisal ?? null,
  };
}

/** A value as the report shows it: shares and rates × 100, at most four significant decimals. */
export function showValue(value: number | null, kind: string, lang: ReportLanguage): string {
  if (value === null) return '—';
  const x = kind === 'share' || kind === 'rate' ? value * 100 : value;
  const digits = Math.abs(x) >= 1000 ? 0 : Math.abs(x) >= 10 ? 1 : 2;
  return x.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US', { maximumFractionDigits: digits });
}
