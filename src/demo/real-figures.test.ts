/**
 * Published figures: mapped to plan codes in base units with their sources, caveats and vintages; the
 * plan's statistics.csv reads back, fits the plan, and (where the shared compilation is at hand) is
 * exactly what the mapping makes of it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../domain/plan.js';
import { parseOrgUnits } from '../ingest/org-units.js';
import { parsePlan } from '../ingest/plan.js';
import {
  byVintage,
  formatStatisticsCsv,
  growthFromNote,
  mapSharedStatistics,
  parseStatisticsCsv,
  SHARED_CODE_MAP,
  toValueInputs,
  type RealFigure,
} from './real-figures.js';

const HEADER = 'indicator_code,region_code,region_name,year,value,unit,source\n';
const SAMPLE =
  HEADER +
  [
    'income_all,330700,金华市,2021,55880,yuan,"http://a.example/1 | 计划执行情况的报告, 2022-04-25 | official | note: +10.5% y/y"',
    'gdp,330700,金华市,2022,5592.02,100m_yuan,http://b.example/2 | 2023年统计公报 (mirror) | official-mirror | note: final verified figure; preliminary was 5562.47 (+2.5%)',
    'pop_resident,330727,磐安县,2020,17.9161,10k_persons,https://c.example/3 | compilation | secondary-github | note: 七普',
    'urbanization_rate,330703,金东区,2024,64.5,percent,http://d.example/4 | 人口公报 | official-repost',
    'gdp,330702,婺城区,2024,800,100m_yuan,http://e.example/5 | 公报 | official',
    'market_entities,330700,金华市,2021,143.7,10k_units,http://a.example/1 | 报告 | official | note: 143.7万户',
    'trade_total,330700,金华市,2024,8794.9,100m_yuan,http://f.example/6 | 报告 | official',
    'gdp,330700,金华市,2023,6011.27,usd,http://g.example/7 | wrong unit | official',
  ].join('\n') +
  '\n';

describe('mapSharedStatistics', () => {
  it('maps codes and converts to base units', () => {
    const { figures } = mapSharedStatistics(SAMPLE);
    const get = (ind: string, unit: string, vintage?: string) =>
      figures.find(
        (f) => f.indicator === ind && f.orgUnit === unit && (vintage === undefined || f.vintage === vintage),
      );
    expect(get('INC_PC', '330700')).toMatchObject({ period: '2021', value: 55880, grade: 'official' });
    expect(get('POP_RESIDENT', '330727')!.value).toBe(179161);
    expect(get('URBANIZATION_RATE', '330703')!.value).toBe(0.645);
    expect(get('MARKET_ENTITIES', '330700')!.value).toBe(1437000);
    expect(get('GDP', '330700', 'final')!.value).toBe(559202000000);
  });

  it('keeps the source and its grade, and the note with the compilation’s caveats', () => {
    const { figures } = mapSharedStatistics(SAMPLE);
    const inc = figures.find((f) => f.indicator === 'INC_PC')!;
    expect(inc.url).toBe('http://a.example/1');
    expect(inc.title).toBe('计划执行情况的报告, 2022-04-25');
    expect(inc.note).toBe('+10.5% y/y');
    expect(inc.reportedGrowth).toBe(0.105);
    expect(figures.find((f) => f.orgUnit === '330703')!.note).toMatch(/金义新区/);
    const wucheng = figures.find((f) => f.orgUnit === '330702')!;
    expect(wucheng.note).toMatch(/开发区/);
    expect(wucheng.note).toMatch(/fifth-economic-census/);
  });

  it('keeps the preliminary and the final figure of one year, the preliminary first', () => {
    const gdp = mapSharedStatistics(SAMPLE).figures.filter((f) => f.indicator === 'GDP' && f.period === '2022');
    expect(gdp.map((f) => [f.vintage, f.value])).toEqual([
      ['preliminary', 556247000000],
      ['final', 559202000000],
    ]);
    expect(gdp[0]!.reportedGrowth).toBe(0.025);
    expect(gdp[1]!.reportedGrowth).toBeUndefined();
  });

  it('lists what does not map, with the reason', () => {
    const { unmapped } = mapSharedStatistics(SAMPLE);
    expect(unmapped.map((u) => [u.line, u.code])).toEqual([
      [8, 'trade_total'],
      [9, 'gdp'],
    ]);
    expect(unmapped[0]!.reason).toMatch(/foreign trade/);
    expect(unmapped[1]!.reason).toMatch(/unit usd/);
  });

  it('refuses a file with another header', () => {
    expect(() => mapSharedStatistics('a,b,c\n1,2,3\n')).toThrow(/unexpected header/);
  });
});

describe('growthFromNote', () => {
  it.each([
    ['+10.5% y/y', 0.105],
    ['final; preliminary was 5562.47 (+2.5%)', 0.025],
    ['年末在册市场经营主体180392户 (+9.50%)', 0.095],
    ['-1.2%', -0.012],
    ['+1.4pp vs 2023', undefined],
    ['-0.03 y/y', undefined],
    [undefined, undefined],
  ])('%s → %s', (note, growth) => expect(growthFromNote(note)).toBe(growth));
});

describe('statistics.csv', () => {
  const DIR = new URL('../../plans/jinhua-2021-2025/', import.meta.url);
  let plan: Plan;
  let figures: RealFigure[];
  let unitCodes: Set<string>;

  beforeAll(() => {
    const p = parsePlan(readFileSync(new URL('plan.yaml', DIR), 'utf8'));
    if (!p.ok) throw new Error('plan');
    plan = p.plan;
    const o = parseOrgUnits(readFileSync(new URL('org-units.csv', DIR), 'utf8'), 'org-units.csv');
    if (!o.ok) throw new Error('org units');
    unitCodes = new Set(o.units.map((u) => u.code));
    const s = parseStatisticsCsv(readFileSync(new URL('statistics.csv', DIR), 'utf8'));
    if (!s.ok) throw new Error(JSON.stringify(s.problems));
    figures = s.figures;
  });

  it('holds figures of the plan’s indicators, for its units (or the province as reference), within bounds', () => {
    expect(figures.length).toBeGreaterThan(100);
    const indicators = new Map(plan.indicators.map((i) => [i.code, i]));
    for (const f of figures) {
      const ind = indicators.get(f.indicator);
      expect(ind, f.indicator).toBeDefined();
      expect(unitCodes.has(f.orgUnit) || f.orgUnit === '330000', f.orgUnit).toBe(true);
      // the plan's bounds are sized for Jinhua: the province's GDP and population lie above them
      const { min = -Infinity, max = Infinity } = ind!.bounds ?? {};
      if (f.orgUnit !== '330000')
        expect(f.value >= min && f.value <= max, `${f.indicator} ${f.orgUnit} ${f.period} ${f.value}`).toBe(true);
      expect(f.url).toMatch(/^https?:\/\//);
      expect(f.title.length).toBeGreaterThan(3);
      expect(f.grade).toMatch(/^(official|media|secondary)/);
    }
  });

  it('reads back what it writes', () => {
    expect(parseStatisticsCsv(formatStatisticsCsv(figures))).toEqual({ ok: true, figures });
  });

  const SHARED = '/work/shared/data/jinhua-statistics.csv';
  it.skipIf(!existsSync(SHARED))('is the mapping of the shared compilation, row for row', () => {
    const mapped = mapSharedStatistics(readFileSync(SHARED, 'utf8'));
    expect(readFileSync(new URL('statistics.csv', DIR), 'utf8')).toBe(formatStatisticsCsv(mapped.figures));
    for (const u of mapped.unmapped) expect(SHARED_CODE_MAP[u.code]).toBeUndefined();
  });

  it('turns raw indicators of known units into data values, the vintages in order', () => {
    const values = toValueInputs(figures, plan, unitCodes);
    expect(values.every((v) => v.synthetic === false)).toBe(true);
    expect(values.some((v) => v.indicator === 'URBANIZATION_RATE')).toBe(false); // computed
    expect(values.some((v) => v.orgUnit === '330000')).toBe(false);
    const gdp = values.filter((v) => v.indicator === 'GDP' && v.orgUnit === '330700' && v.period === '2022');
    expect(gdp.map((v) => v.vintage)).toEqual(['preliminary', 'final']);
    expect(gdp[1]!.source).toMatch(/\(official-mirror\)$/);
  });
});

describe('parseStatisticsCsv', () => {
  it('reports bad rows with their line and reads nothing', () => {
    const text =
      'indicator,org_unit,period,value,vintage,source,grade,note\n' +
      'INC_PC,330700,2021,55880,,http://a | t,official,\n' +
      'inc_pc,330700,2021,1,,http://a | t,official,\n' +
      'INC_PC,330700,2021,x,,http://a | t,official,\n' +
      'INC_PC,330700,2021,1,draft,http://a | t,official,\n' +
      'INC_PC,330700,21,1,,http://a | t,official,\n' +
      'INC_PC,330700,2021,1,,no title,official,\n';
    const r = parseStatisticsCsv(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.line)).toEqual([3, 4, 5, 6, 7]);
    expect(parseStatisticsCsv('a,b\n').ok).toBe(false);
  });

  it('orders vintages preliminary < (none) < final < revised', () => {
    const f = (vintage?: RealFigure['vintage']) => ({ vintage }) as RealFigure;
    const list = [f('revised'), f(), f('final'), f('preliminary')].sort(byVintage);
    expect(list.map((x) => x.vintage)).toEqual(['preliminary', undefined, 'final', 'revised']);
  });
});
