/**
 * Units of measure. Data is stored in base units: money in yuan, people and things as plain counts,
 * shares and rates as fractions (0.082, not 8.2). `displayScale` and the short labels are for
 * screens only (亿元, 万人, %), so the same stored number reads the way an office expects.
 */
export interface UnitDefinition {
  zh: string;
  en: string;
  /** What the number is: decides validation (shares lie in [0, 1], counts are whole numbers). */
  kind: 'money' | 'count' | 'share' | 'rate' | 'ratio' | 'measure' | 'index';
  /** Multiply the stored value by this for display in `zh`/`en` units (e.g. 100 for %). */
  displayScale?: number;
  /** The unit the stored number is in, when this one is only a display scale of it (万人 → 人). */
  base?: string;
}

export const UNITS = {
  yuan: { zh: '元', en: 'yuan', kind: 'money' },
  '10k_yuan': { zh: '万元', en: '10k yuan', kind: 'money', displayScale: 1e-4, base: 'yuan' },
  '100m_yuan': { zh: '亿元', en: '100m yuan', kind: 'money', displayScale: 1e-8, base: 'yuan' },
  usd: { zh: '美元', en: 'US dollars', kind: 'money' },
  persons: { zh: '人', en: 'persons', kind: 'count' },
  '10k_persons': { zh: '万人', en: '10k persons', kind: 'count', displayScale: 1e-4, base: 'persons' },
  person_times: { zh: '人次', en: 'person-times', kind: 'count' },
  households: { zh: '户', en: 'households', kind: 'count' },
  '10k_households': { zh: '万户', en: '10k households', kind: 'count', displayScale: 1e-4, base: 'households' },
  count: { zh: '个', en: 'count', kind: 'count' },
  enterprises: { zh: '家', en: 'enterprises', kind: 'count' },
  projects: { zh: '个', en: 'projects', kind: 'count' },
  dwellings: { zh: '套', en: 'dwellings', kind: 'count' },
  trains: { zh: '列', en: 'trains', kind: 'count' },
  beds: { zh: '张', en: 'beds', kind: 'count' },
  teu: { zh: '标准箱', en: 'TEU', kind: 'count' },
  '10k_teu': { zh: '万标准箱', en: '10k TEU', kind: 'count', displayScale: 1e-4, base: 'teu' },
  mu: { zh: '亩', en: 'mu', kind: 'measure' },
  '10k_mu': { zh: '万亩', en: '10k mu', kind: 'measure', displayScale: 1e-4, base: 'mu' },
  jin: { zh: '斤', en: 'jin', kind: 'measure' },
  '100m_jin': { zh: '亿斤', en: '100m jin', kind: 'measure', displayScale: 1e-8, base: 'jin' },
  years: { zh: '年', en: 'years', kind: 'measure' },
  hours: { zh: '小时', en: 'hours', kind: 'measure' },
  minutes: { zh: '分钟', en: 'minutes', kind: 'measure' },
  ug_m3: { zh: '微克/立方米', en: 'µg/m³', kind: 'measure' },
  per_1000_persons: { zh: '个/千人', en: 'per 1,000 persons', kind: 'measure' },
  per_10k_persons: { zh: '人/万人', en: 'per 10,000 persons', kind: 'measure' },
  per_10k_employed: { zh: '人/万名就业人员', en: 'per 10,000 employed', kind: 'measure' },
  per_10k_elderly: { zh: '人/万老年人', en: 'per 10,000 elderly', kind: 'measure' },
  per_100m_yuan_gdp: { zh: '人/亿元GDP', en: 'per 100m yuan of GDP', kind: 'measure' },
  /** A fraction of a whole, in [0, 1]: coverage, share, proportion. */
  share: { zh: '%', en: '%', kind: 'share', displayScale: 100 },
  /** A rate of change, any sign: growth per year. */
  rate: { zh: '%', en: '%', kind: 'rate', displayScale: 100 },
  /** A quotient of two like quantities (倍差, income-to-GDP ratio). */
  ratio: { zh: '倍', en: 'ratio', kind: 'ratio' },
  index: { zh: '指数', en: 'index', kind: 'index' },
  score: { zh: '分', en: 'score', kind: 'index' },
} as const satisfies Record<string, UnitDefinition>;

export type UnitCode = keyof typeof UNITS;

/** The label of the unit stored numbers are in (万户 is shown, 户 is stored): for files people fill in. */
export function storedUnitLabel(unit: UnitDefinition | undefined, language: 'zh' | 'en'): string {
  if (!unit) return '';
  const base = unit.base ? (UNITS as Record<string, UnitDefinition>)[unit.base] : undefined;
  return (base ?? unit)[language];
}

export const UNIT_CODES = Object.keys(UNITS) as [UnitCode, ...UnitCode[]];
