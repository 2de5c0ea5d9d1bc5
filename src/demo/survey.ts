/**
 * A synthetic satisfaction survey for the demo (示例数据（合成）/ synthetic): for each county and period,
 * respondents with design weights answering five questions on a 1–5 scale. Deterministic: the same
 * seed, counties and period give the same file. No real survey of Jinhua is behind these numbers.
 */
import { formatCsv } from '../ingest/csv.js';
import { DEFAULT_SEED, Rng } from './generate.js';

export const SURVEY_QUESTIONS = [
  { code: 'income', zh: '对本地收入增长的满意程度', en: 'Satisfaction with income growth' },
  { code: 'public_services', zh: '对教育医疗等公共服务的满意程度', en: 'Satisfaction with public services' },
  { code: 'environment', zh: '对生态环境的满意程度', en: 'Satisfaction with the environment' },
  { code: 'governance', zh: '对基层治理和办事效率的满意程度', en: 'Satisfaction with local governance' },
  { code: 'sense_of_gain', zh: '共同富裕获得感', en: 'Sense of gain from common prosperity' },
] as const;

export const SYNTHETIC_SURVEY_NOTE = '示例数据（合成）/ synthetic demo survey';

export interface DemoSurveyRow {
  respondent: string;
  weight: number;
  unit: string;
  question: string;
  /** 1–5, or null (not answered). */
  answer: number | null;
  period: string;
}

/**
 * Respondents per county (default 120); each county has its own mean level (3.2–4.4 of 5), each
 * respondent a personal offset, each answer noise; about 3% of answers are left blank. Weights
 * 0.5–2.0 (two decimals) stand in for a design weighting.
 */
export function generateDemoSurvey(options: {
  counties: readonly string[];
  period: string;
  respondentsPerCounty?: number;
  seed?: number;
}): DemoSurveyRow[] {
  const seed = options.seed ?? DEFAULT_SEED;
  const n = options.respondentsPerCounty ?? 120;
  const rows: DemoSurveyRow[] = [];
  for (const county of options.counties) {
    const level = Rng.of(seed, 'survey-level', county).uniform(3.2, 4.4);
    const rng = Rng.of(seed, 'survey', county, options.period);
    for (let r = 1; r <= n; r++) {
      const respondent = `S${String(r).padStart(4, '0')}`;
      const weight = Math.round(rng.uniform(0.5, 2) * 100) / 100;
      const personal = rng.normal(0, 0.5);
      for (const q of SURVEY_QUESTIONS) {
        const blank = rng.chance(0.03);
        const x = Math.round(level + personal + rng.normal(0, 0.6));
        rows.push({
          respondent,
          weight,
          unit: county,
          question: q.code,
          answer: blank ? null : Math.min(5, Math.max(1, x)),
          period: options.period,
        });
      }
    }
  }
  return rows;
}

/** The survey as the CSV a survey office would send (respondent,weight,unit,question,answer,period). */
export function demoSurveyCsv(rows: readonly DemoSurveyRow[]): string {
  return formatCsv([
    ['respondent', 'weight', 'unit', 'question', 'answer', 'period'],
    ...rows.map((r) => [
      r.respondent,
      String(r.weight),
      r.unit,
      r.question,
      r.answer === null ? '' : String(r.answer),
      r.period,
    ]),
  ]);
}
