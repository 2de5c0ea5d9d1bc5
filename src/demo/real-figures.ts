/**
 * Published statistics mapped to the plan's indicators: the demo data starts from these and fills
 * only the gaps with synthetic values.
 *
 * Two files:
 * - the shared compilation (`/work/shared/data/jinhua-statistics.csv`, columns
 *   `indicator_code,region_code,region_name,year,value,unit,source` with `source` as
 *   `URL | title | grade | note: …`), read by `mapSharedStatistics`;
 * - the plan's copy, `plans/jinhua-2021-2025/statistics.csv`, columns
 *   `indicator,org_unit,period,value,vintage,source,grade,note`, with values in the plan's base
 *   units (yuan, persons, households, fractions) and `source` as `URL | title`. It is written by
 *   `formatStatisticsCsv` and read by `parseStatisticsCsv`.
 *
 * A figure is kept as published: the value (converted to base units and nothing else), its source and
 * grade, its vintage where the source says (初步核算 preliminary / 最终核实 final), and the caveats of
 * the compilation in `note`. Figures of indicators the plan computes (URBANIZATION_RATE,
 * URBAN_RURAL_INC_RATIO) are kept as check values: `toValueInputs` leaves them out, because a
 * computed indicator takes no reported values.
 */
import type { ValueInput, Vintage } from '../domain/data.js';
import { VINTAGES } from '../domain/data.js';
import type { Plan } from '../domain/plan.js';
import { formatCsv, parseCsv } from '../ingest/csv.js';

export interface RealFigure {
  /** The plan's indicator code (INC_PC). */
  indicator: string;
  /** Org unit code (330700, 330782, or 330000 for the province as a reference). */
  orgUnit: string;
  /** A year id ('2024'). */
  period: string;
  /** In the plan's base units (yuan, persons, households, fractions). */
  value: number;
  vintage?: Vintage | undefined;
  url: string;
  title: string;
  /** The compilation's confidence grade: official, official-mirror, … secondary-github. */
  grade: string;
  /** Remarks of the compilation and the caveats that apply (basis, naming, coverage). */
  note?: string | undefined;
  /**
   * Year-on-year change published with the figure (+5.0% → 0.05), read from the note. For GDP it is
   * the real (constant-price) growth, for incomes and counts the nominal one.
   */
  reportedGrowth?: number | undefined;
}

/** Units of the shared compilation, and the factor to the plan's base unit. */
const UNIT_FACTORS: Readonly<Record<string, number>> = {
  yuan: 1,
  '100m_yuan': 1e8,
  '10k_persons': 1e4,
  '10k_units': 1e4,
  count: 1,
  ratio: 1,
  percent: 0.01,
};

/** Shared code → plan indicator, with the units the shared file may use for it. */
export const SHARED_CODE_MAP: Readonly<Record<string, { indicator: string; units: readonly string[] }>> = {
  income_all: { indicator: 'INC_PC', units: ['yuan'] },
  income_urban: { indicator: 'INC_URBAN_PC', units: ['yuan'] },
  income_rural: { indicator: 'INC_RURAL_PC', units: ['yuan'] },
  urban_rural_income_ratio: { indicator: 'URBAN_RURAL_INC_RATIO', units: ['ratio'] },
  gdp: { indicator: 'GDP', units: ['100m_yuan'] },
  gdp_per_capita: { indicator: 'GDP_PC', units: ['yuan'] },
  pop_resident: { indicator: 'POP_RESIDENT', units: ['10k_persons'] },
  pop_urban: { indicator: 'POP_URBAN', units: ['10k_persons'] },
  urbanization_rate: { indicator: 'URBANIZATION_RATE', units: ['percent'] },
  market_entities: { indicator: 'MARKET_ENTITIES', units: ['10k_units'] },
  unemployment_registered: { indicator: 'URBAN_REG_UNEMPLOYMENT_RATE', units: ['percent'] },
};

/** Shared codes with no indicator in the plan, and why. */
export const UNMAPPED_SHARED_CODES: Readonly<Record<string, string>> = {
  gdp_excl_devzone:
    '婺城区 GDP without the 金华经济技术开发区: the plan has one county unit 330702 and reports the published figure that includes the zone (GDP)',
  gdp_per_capita_usd:
    'per-capita GDP in US dollars: the plan measures GDP_PC in yuan, and converting would need an exchange rate; the figure (13,835 USD for 2020) also does not agree with GDP ÷ resident population (≈ 9,700 USD), so its basis is unclear',
  hitech_enterprises_new:
    'newly certified national high-tech enterprises (a yearly flow): the plan counts the stock of high-tech enterprises (HITECH_ENTERPRISES), and the stock cannot be derived from the flow without exits',
  sci_tech_sme_new:
    'newly certified provincial science-and-technology SMEs (a flow): the plan counts the stock (SCI_TECH_SMES)',
  dibao_recipients:
    'number of minimum-living-allowance recipients: the plan tracks the allowance standard (DIBAO_STANDARD), not the number of recipients',
  trade_total: 'total imports and exports: no indicator of the plan measures foreign trade as a whole',
};

/** Caveats of the compilation's README, added to the note of the figures they concern. */
function caveats(code: string, region: string, year: number, note = ''): string[] {
  const out: string[] = [];
  if ((code === 'gdp' || code === 'gdp_per_capita') && year === 2024 && !note.includes('经济普查'))
    out.push(
      '2024 GDP is on the post-fifth-economic-census basis (第五次全国经济普查), not directly comparable with 2023 and earlier',
    );
  if (region === '330703' && !note.includes('金义新区')) out.push('published as 金义新区 (the 金东区 jurisdiction)');
  if (
    region === '330702' &&
    !note.includes('开发区') &&
    ['gdp', 'gdp_per_capita', 'pop_resident', 'urbanization_rate'].includes(code)
  )
    out.push(
      '婺城区 as published includes the 金华经济技术开发区 (Jinhua Economic and Technological Development Zone)',
    );
  if (region === '330000') out.push('reference unit: 浙江省, outside the plan’s org units (for relative targets)');
  return out;
}

/** A vintage where the compilation's note states one. */
function vintageOf(note: string): Vintage | undefined {
  if (/\bfinal\b/i.test(note)) return 'final';
  if (/\bpreliminary\b/i.test(note)) return 'preliminary';
  return undefined;
}

/** The first "+5.0%" / "-1.2%" of a note, as a fraction; "pp" changes and ratios are not growth. */
export function growthFromNote(note: string | undefined): number | undefined {
  const m = note ? /(^|[^\w.])([+-]\d+(?:\.\d+)?)%/.exec(note) : null;
  return m ? Number((Number(m[2]) / 100).toFixed(6)) : undefined;
}

/** Converts to base units, rounding away binary noise (705.07 × 1e4 = 7050700.000000001). */
function toBase(value: number, unit: string): number | undefined {
  const factor = UNIT_FACTORS[unit];
  if (factor === undefined) return undefined;
  const v = value * factor;
  return factor >= 1 ? Math.round(v * 100) / 100 : Number(v.toFixed(8));
}

export interface UnmappedFigure {
  line: number;
  code: string;
  region: string;
  year: string;
  reason: string;
}

export interface SharedMapping {
  figures: RealFigure[];
  unmapped: UnmappedFigure[];
}

/**
 * Maps the shared compilation to plan codes and base units. A GDP row whose note gives the
 * preliminary figure beside the final one ("final verified figure; preliminary was 5562.47") yields
 * two figures, the preliminary first. Throws on a header it does not know.
 */
export function mapSharedStatistics(text: string): SharedMapping {
  const rows = parseCsv(text);
  const header = rows[0] ?? [];
  const want = ['indicator_code', 'region_code', 'region_name', 'year', 'value', 'unit', 'source'];
  if (header.join(',') !== want.join(','))
    throw new Error(`unexpected header "${header.join(',')}": expected "${want.join(',')}"`);
  const figures: RealFigure[] = [];
  const unmapped: UnmappedFigure[] = [];
  rows.slice(1).forEach((cells, i) => {
    const line = i + 2;
    if (cells.length === 1 && cells[0] === '') return;
    const [code = '', region = '', , yearText = '', valueText = '', unit = '', sourceText = ''] = cells;
    const skip = (reason: string) => unmapped.push({ line, code, region, year: yearText, reason });
    const map = SHARED_CODE_MAP[code];
    if (!map) return skip(UNMAPPED_SHARED_CODES[code] ?? `no plan indicator for ${code}`);
    if (!map.units.includes(unit)) return skip(`unit ${unit} is not one of ${map.units.join(', ')} for ${code}`);
    const value = toBase(Number(valueText), unit);
    if (value === undefined || !Number.isFinite(value)) return skip(`value "${valueText}" is not a number`);
    const parts = sourceText.split(' | ').map((s) => s.trim());
    const [url = '', title = '', grade = ''] = parts;
    const rawNote = parts
      .slice(3)
      .join(' | ')
      .replace(/^note:\s*/, '');
    const year = Number(yearText);
    const note = [rawNote, ...caveats(code, region, year, rawNote)].filter(Boolean).join('; ') || undefined;
    const base = { indicator: map.indicator, orgUnit: region, period: yearText, url, title, grade };
    const preliminary = /preliminary was ([\d.]+)/i.exec(rawNote);
    if (preliminary) {
      figures.push({
        ...base,
        value: toBase(Number(preliminary[1]), unit)!,
        vintage: 'preliminary',
        note: [
          `preliminary figure, quoted beside the final one in this source (the ${yearText} bulletin published it first)`,
          ...caveats(code, region, year),
        ].join('; '),
        reportedGrowth: growthFromNote(rawNote.slice(preliminary.index)),
      });
    }
    figures.push({
      ...base,
      value,
      vintage: vintageOf(rawNote),
      note,
      reportedGrowth: growthFromNote(preliminary ? rawNote.slice(0, preliminary.index) : rawNote),
    });
  });
  return { figures, unmapped };
}

export const STATISTICS_HEADER = ['indicator', 'org_unit', 'period', 'value', 'vintage', 'source', 'grade', 'note'];

/** Plain decimal text, never an exponent. */
function formatNumber(v: number): string {
  if (Number.isInteger(v)) return v.toFixed(0);
  return String(Number(v.toPrecision(12)));
}

export function formatStatisticsCsv(figures: readonly RealFigure[]): string {
  return formatCsv([
    STATISTICS_HEADER,
    ...figures.map((f) => [
      f.indicator,
      f.orgUnit,
      f.period,
      formatNumber(f.value),
      f.vintage ?? '',
      `${f.url} | ${f.title}`,
      f.grade,
      f.note ?? '',
    ]),
  ]);
}

export interface StatisticsProblem {
  line: number;
  message: string;
}

export type StatisticsReadResult = { ok: true; figures: RealFigure[] } | { ok: false; problems: StatisticsProblem[] };

/** Reads `statistics.csv`; every bad row is reported with its line, and nothing is half-read. */
export function parseStatisticsCsv(text: string): StatisticsReadResult {
  const rows = parseCsv(text);
  const header = (rows[0] ?? []).map((h) => h.trim());
  if (header.join(',') !== STATISTICS_HEADER.join(','))
    return {
      ok: false,
      problems: [{ line: 1, message: `header "${header.join(',')}": expected "${STATISTICS_HEADER.join(',')}"` }],
    };
  const problems: StatisticsProblem[] = [];
  const figures: RealFigure[] = [];
  rows.slice(1).forEach((cells, i) => {
    const line = i + 2;
    if (cells.length === 1 && cells[0] === '') return;
    if (cells.length !== header.length) {
      problems.push({ line, message: `has ${cells.length} fields, the header has ${header.length}` });
      return;
    }
    const [
      indicator = '',
      orgUnit = '',
      period = '',
      valueText = '',
      vintage = '',
      source = '',
      grade = '',
      note = '',
    ] = cells.map((c) => c.trim());
    const bad = (message: string) => problems.push({ line, message });
    if (!/^[A-Z][A-Z0-9_]*$/.test(indicator)) return bad(`indicator "${indicator}" is not an indicator code`);
    if (!/^[0-9A-Za-z_-]{2,32}$/.test(orgUnit)) return bad(`org unit "${orgUnit}" is not a code`);
    if (!/^\d{4}(Q[1-4]|0[1-9]|1[0-2])?$/.test(period)) return bad(`period "${period}" is not a period id`);
    const value = Number(valueText);
    if (valueText === '' || !Number.isFinite(value)) return bad(`value "${valueText}" is not a number`);
    if (vintage !== '' && !(VINTAGES as readonly string[]).includes(vintage))
      return bad(`vintage "${vintage}" is not one of ${VINTAGES.join(', ')}`);
    const cut = source.indexOf(' | ');
    if (cut < 0) return bad('source is not "URL | title"');
    figures.push({
      indicator,
      orgUnit,
      period,
      value,
      vintage: vintage === '' ? undefined : (vintage as Vintage),
      url: source.slice(0, cut).trim(),
      title: source.slice(cut + 3).trim(),
      grade,
      note: note || undefined,
      reportedGrowth: growthFromNote(note),
    });
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, figures };
}

const VINTAGE_RANK: Readonly<Record<string, number>> = { preliminary: 0, '': 1, final: 2, revised: 3 };

/** Orders the figures of one indicator × unit × period from the first vintage to the latest. */
export function byVintage(a: RealFigure, b: RealFigure): number {
  return (VINTAGE_RANK[a.vintage ?? ''] ?? 1) - (VINTAGE_RANK[b.vintage ?? ''] ?? 1);
}

/** The source as a ValueInput shows it: "title — URL (grade)". */
export function describeSource(f: RealFigure): string {
  return `${f.title} — ${f.url} (${f.grade})`;
}

/**
 * The figures that can be loaded as data values: those of raw indicators of the plan (computed ones
 * are check values) and, where given, of known org units. Several vintages of one value come in
 * order, the latest last, so that loading them in order leaves the latest current.
 */
export function toValueInputs(
  figures: readonly RealFigure[],
  plan: Pick<Plan, 'indicators'>,
  orgUnitCodes?: ReadonlySet<string>,
): ValueInput[] {
  const raw = new Set(plan.indicators.filter((i) => i.computation.kind === 'raw').map((i) => i.code));
  return figures
    .filter((f) => raw.has(f.indicator) && (!orgUnitCodes || orgUnitCodes.has(f.orgUnit)))
    .map((f, i) => ({ f, i }))
    .sort(
      (a, b) =>
        a.f.indicator.localeCompare(b.f.indicator) ||
        a.f.orgUnit.localeCompare(b.f.orgUnit) ||
        a.f.period.localeCompare(b.f.period) ||
        byVintage(a.f, b.f) ||
        a.i - b.i,
    )
    .map(({ f }) => ({
      indicator: f.indicator,
      orgUnit: f.orgUnit,
      period: f.period,
      value: f.value,
      vintage: f.vintage,
      source: describeSource(f),
      comment: f.note,
      synthetic: false,
    }));
}
