/**
 * The assessment report: its numbers are the evaluation's (index, ranks, statuses), the workbook opens
 * with the expected sheets, frozen headers and filters, the HTML holds every county's scorecard, and
 * the route checks report.read.
 */
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_AUTH } from '../src/config.js';
import { buildApp } from '../src/http/app.js';
import { renderReportHtml } from '../src/report/html.js';
import { showValue, targetText } from '../src/report/model.js';
import { renderReportXlsx, SHEETS } from '../src/report/xlsx.js';
import { SYSTEM_CONTEXT } from '../src/services/context.js';
import * as appraisal from '../src/services/appraisal.js';
import * as data from '../src/services/data.js';
import * as evaluation from '../src/services/evaluation.js';
import * as plans from '../src/services/plans.js';
import { reportModel } from '../src/services/reports.js';
import * as users from '../src/services/users.js';
import { Browser } from './support/http-client.js';
import { describeEachStore } from './support/stores.js';

const MINI = new URL('./fixtures/mini-plan/plan.yaml', import.meta.url).pathname;
const PASSWORD = 'Report-Pass-42';

describe('report formatting', () => {
  it('shows shares as per cent and keeps a missing value visible', () => {
    expect(showValue(0.4567, 'share', 'en')).toBe('45.7');
    expect(showValue(0.04567, 'rate', 'en')).toBe('4.57');
    expect(showValue(61500, 'currency', 'en')).toBe('61,500');
    expect(showValue(null, 'share', 'zh')).toBe('—');
  });
  it('writes targets in words in both languages', () => {
    const i = { targets: [{ kind: 'level', op: '>=', value: 75000 }], direction: 'up' } as never;
    expect(targetText(i, { targetYear: 2025 }, 'zh', 'currency')).toBe('≥ 75000（2025年）');
    expect(targetText(i, { targetYear: 2025 }, 'en', 'currency')).toBe('≥ 75000 (2025)');
  });
});

describeEachStore('assessment report', (store) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    await plans.importPlan(store(), MINI);
    const rows = [];
    const base: Record<string, number> = { '990100': 50000, '990101': 55000, '990102': 42000 };
    const pop: Record<string, number> = { '990100': 1000000, '990101': 600000, '990102': 400000 };
    for (let year = 2020; year <= 2024; year++)
      for (const unit of ['990100', '990101', '990102']) {
        // 东区 grows 9% a year, 西县 3%: different progress, different ranks.
        const rate = unit === '990101' ? 1.09 : unit === '990102' ? 1.03 : 1.06;
        rows.push({
          indicator: 'INC_PC',
          orgUnit: unit,
          period: String(year),
          value: Math.round(base[unit]! * rate ** (year - 2020)),
        });
        rows.push({ indicator: 'POP', orgUnit: unit, period: String(year), value: pop[unit]! });
        rows.push({
          indicator: 'PM25',
          orgUnit: unit,
          period: String(year),
          value: 35 - (unit === '990102' ? -1 : 1) * (year - 2020),
        });
      }
    await data.saveValues(store(), SYSTEM_CONTEXT, rows, { status: 'approved' });
    await users.addUser(store(), SYSTEM_CONTEXT, {
      username: 'rep-leader',
      password: PASSWORD,
      grants: [{ role: 'leader', unit: '990100' }],
    });
    await users.addUser(store(), SYSTEM_CONTEXT, {
      username: 'rep-west',
      password: PASSWORD,
      grants: [{ role: 'leader', unit: '990102' }],
    });
    await users.addUser(store(), SYSTEM_CONTEXT, {
      username: 'rep-member',
      password: PASSWORD,
      grants: [{ role: 'unit_member', unit: '990100' }],
    });
    app = await buildApp({ store: store(), auth: DEFAULT_AUTH });
  });
  afterAll(async () => {
    await app.close();
  });

  it("has the evaluation run's index, ranks and statuses", async () => {
    const model = await reportModel(store(), SYSTEM_CONTEXT, { period: '2024' });
    const { run } = await evaluation.runEvaluation(store(), SYSTEM_CONTEXT, { asOfYear: 2024 });
    const ranking = await evaluation.runRanking(store(), SYSTEM_CONTEXT, run.id, 2024);
    expect(model.ranking.map((r) => [r.code, r.rank, r.index])).toEqual(
      ranking.rows.map((r) => [r.orgUnit, r.rank, r.index]),
    );
    expect(model.ranking.map((r) => r.code)).toEqual(['990100', '990101', '990102']);
    const cells = await evaluation.runCells(store(), SYSTEM_CONTEXT, run.id, { orgUnit: '990102' });
    const west = model.scorecards.find((c) => c.code === '990102')!;
    for (const line of west.indicators) {
      const cell = cells.find((c) => c.indicator === line.code)!;
      expect([line.code, line.status, line.value]).toEqual([cell.indicator, cell.status, cell.value]);
    }
    // 西县's PM2.5 rises every year against a falling trend: off track, listed with its unit.
    expect(model.offTrack.some((o) => o.indicator === 'PM25' && o.orgUnit === '990102')).toBe(true);
    expect(model.loop).toBeNull();
  });

  it('writes a workbook with the expected sheets, frozen headers and filters', async () => {
    const model = await reportModel(store(), SYSTEM_CONTEXT, { period: '2024', language: 'en' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await renderReportXlsx(model)) as unknown as ArrayBuffer);
    const s = SHEETS.en;
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      s.about,
      s.summary,
      s.indicators,
      s.scorecards,
      s.offTrack,
      s.loop,
      s.appraisal,
    ]);
    for (const name of [s.summary, s.indicators, s.scorecards, s.offTrack, s.loop, s.appraisal]) {
      const ws = wb.getWorksheet(name)!;
      expect(ws.views[0], name).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(ws.autoFilter, name).toBeTruthy();
    }
    const summary = wb.getWorksheet(s.summary)!;
    expect(summary.getRow(2).getCell(2).value).toBe('990100');
    expect(summary.getRow(2).getCell(3).value).toBe(model.ranking[0]!.index);
    expect(summary.getColumn(3).numFmt).toBe('0.0');
  });

  it("has the county appraisal sheet: the service's totals, marked while not published", async () => {
    const period = '2024Q4';
    await appraisal.scorePeriod(store(), SYSTEM_CONTEXT, { period });
    const table = await appraisal.viewPeriod(store(), SYSTEM_CONTEXT, { period });
    const read = async (language: 'zh' | 'en') => {
      const model = await reportModel(store(), SYSTEM_CONTEXT, { period: '2024', language });
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load((await renderReportXlsx(model)) as unknown as ArrayBuffer);
      return { model, ws: wb.getWorksheet(SHEETS[language].appraisal)! };
    };
    let { model, ws } = await read('zh');
    expect(model.appraisal).toMatchObject({ period, version: table.run.version, published: false });
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.autoFilter).toBeTruthy();
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 7)).toEqual(['名次', '差异', '名次变化', '单位', 'code', '总分', '标准误']);
    expect(table.rows.length).toBeGreaterThan(0);
    const byCode = new Map(table.rows.map((r) => [r.orgUnit, r]));
    // A loaded workbook has no column keys: find the columns by their headers.
    const col = (w: typeof ws, header: string) =>
      (w.getRow(1).values as unknown[]).findIndex((v) => String(v).startsWith(header));
    const components = (table.rows[0]!.components as { code: string; title: { zh: string } }[]).map((c) => c.code);
    for (let n = 2; n < 2 + table.rows.length; n++) {
      const row = ws.getRow(n);
      const expected = byCode.get(String(row.getCell(col(ws, 'code')).value))!;
      expect(row.getCell(col(ws, '总分')).value).toBe(expected.total);
      expect(row.getCell(col(ws, '名次')).value).toBe(expected.rank);
      expect(row.getCell(col(ws, '加分')).value).toBe(expected.bonuses);
      const first = (expected.components as { code: string; points: number; score: number | null }[])[0]!;
      expect(row.getCell(8).value).toBe(first.score === null ? null : first.points);
      expect(String(row.getCell(col(ws, '考核期与状态')).value)).toContain('未发布');
    }
    expect(components.length).toBeGreaterThan(0);
    expect(ws.getRow(2).getCell(col(ws, '总分')).numFmt).toBe('0.00');
    // Published, the sheet says so (English this time).
    await appraisal.publishPeriod(store(), SYSTEM_CONTEXT, { period });
    ({ model, ws } = await read('en'));
    expect(model.appraisal?.published).toBe(true);
    const state = String(ws.getRow(2).getCell(col(ws, 'Period and state')).value);
    expect(state).toContain('published');
    expect(state).not.toContain('NOT');
  });

  it('writes HTML with a table of contents, every county, SVG charts and A4 pages', async () => {
    const model = await reportModel(store(), SYSTEM_CONTEXT, { period: '2024' });
    const html = renderReportHtml(model);
    expect(html).toContain('@page { size: A4');
    expect(html).toContain('<nav>');
    for (const county of ['东区', '西县']) expect(html).toContain(`${county} · 县（市、区）评估卡`);
    expect(html.match(/data-county=/g)).toHaveLength(2);
    expect(html.match(/<svg/g)!.length).toBeGreaterThanOrEqual(3);
    // The loop's figures when it has problems (an evaluation run may raise some), else a sentence saying so.
    if (model.loop) expect(html).toContain(`<td>合计</td><td class="num">${model.loop.total.total}</td>`);
    else expect(html).toContain('交办整改闭环暂无数据');
    expect(html).not.toContain('示例数据：本报告'); // no synthetic value in this database
  });

  it('over HTTP: report.read on the root for the report, on the county for its scorecard', async () => {
    const leader = new Browser(app);
    await leader.login('rep-leader', PASSWORD);
    const html = await leader.get('/api/v1/reports/assessment?period=2024');
    expect(html.status).toBe(200);
    expect(String(html.headers['content-type'])).toContain('text/html');
    const xlsx = await leader.get('/api/v1/reports/assessment?period=2024&format=xlsx');
    expect(String(xlsx.headers['content-type'])).toContain('spreadsheetml');

    const west = new Browser(app);
    await west.login('rep-west', PASSWORD);
    expect((await west.get('/api/v1/reports/assessment?period=2024')).status).toBe(403);
    const card = await west.get('/api/v1/reports/assessment?period=2024&org=990102');
    expect(card.status).toBe(200);
    expect(card.body).toContain('西县 · 县（市、区）评估卡');
    expect(card.body).not.toContain('东区 · ');

    const member = new Browser(app);
    await member.login('rep-member', PASSWORD);
    expect((await member.get('/api/v1/reports/assessment?period=2024')).status).toBe(403);
    expect((await new Browser(app).get('/api/v1/reports/assessment?period=2024')).status).toBe(401);
    expect((await leader.get('/api/v1/reports/assessment?period=2024Q1')).status).toBe(400);
  });
});
