/**
 * The assessment report as a workbook: the same tables as the HTML, one sheet each, with number
 * formats, frozen header rows and filters. Shares and rates are written as fractions with a % format,
 * so that a spreadsheet computes with the true numbers.
 */
import ExcelJS from 'exceljs';
import { REPORT_LABELS } from './html.js';
import type { IndicatorLine, ReportModel } from './model.js';

export const SHEETS = {
  zh: {
    summary: '综合指数',
    indicators: '分领域指标',
    scorecards: '县（市、区）评估卡',
    offTrack: '未达预期',
    loop: '交办整改',
    appraisal: '考核',
    about: '说明',
  },
  en: {
    summary: 'Index',
    indicators: 'Indicators',
    scorecards: 'Scorecards',
    offTrack: 'Off track',
    loop: 'Loop',
    appraisal: 'Appraisal',
    about: 'About',
  },
} as const;

type Column = { header: string; key: string; width: number; numFmt?: string };

function table(wb: ExcelJS.Workbook, name: string, columns: Column[], rows: readonly object[]): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({
    header: c.header,
    key: c.key,
    width: c.width,
    ...(c.numFmt && { style: { numFmt: c.numFmt } }),
  }));
  for (const r of rows) ws.addRow(r);
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEEF2F8' } };
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  return ws;
}

const valueFormat = (kind: string) => (kind === 'share' || kind === 'rate' ? '0.0%' : '#,##0.##');

function indicatorRows(
  lines: readonly IndicatorLine[],
  statuses: Record<string, string>,
  extra: Record<string, unknown>,
) {
  return lines.map((i) => ({
    ...extra,
    code: i.code,
    name: i.name,
    value: i.value,
    unit: i.unit,
    year: i.year,
    status: statuses[i.status] ?? i.status,
    target: i.target,
    projection: i.projection,
    progress: i.progress,
    kind: i.kind,
  }));
}

/** Cells of value and projection get the indicator's own format (%, or a number). */
function formatValues(ws: ExcelJS.Worksheet, keys: string[]): void {
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const kind = String(row.getCell('kind').value ?? '');
    for (const k of keys) row.getCell(k).numFmt = valueFormat(kind);
  });
  ws.getColumn('kind').hidden = true;
}

export async function renderReportXlsx(model: ReportModel): Promise<Buffer> {
  const lang = model.language;
  const l = REPORT_LABELS[lang];
  const s = SHEETS[lang];
  const statuses = l.statuses as Record<string, string>;
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Gongfu';
  wb.created = new Date(model.generatedAt);

  const about = wb.addWorksheet(s.about);
  about.columns = [{ width: 24 }, { width: 80 }];
  about.addRows([
    [model.only ? l.scorecardTitle : l.title, model.planTitle],
    [l.year, model.year],
    [l.unit, model.only ? model.only.name : model.root.name],
    [l.generated, model.generatedAt],
    ...(model.synthetic ? [['示例数据 / demo', l.synthetic]] : []),
  ]);
  about.getColumn(1).font = { bold: true };

  const dims = model.dimensions;
  table(
    wb,
    s.summary,
    [
      { header: l.unit, key: 'name', width: 18 },
      { header: 'code', key: 'code', width: 12 },
      { header: l.index, key: 'index', width: 10, numFmt: '0.0' },
      { header: l.rank, key: 'rank', width: 8, numFmt: '0' },
      { header: l.rankChange, key: 'rankChange', width: 10, numFmt: '+0;-0;0' },
      { header: l.improvement, key: 'improvement', width: 10, numFmt: '0.0' },
      { header: l.coverage, key: 'coverage', width: 10, numFmt: '0%' },
      ...dims.map((d) => ({ header: d.name, key: `d_${d.code}`, width: 12, numFmt: '0.0' })),
    ],
    model.ranking.map((r) => ({
      ...r,
      ...Object.fromEntries(dims.map((d) => [`d_${d.code}`, r.dimensions[d.code] ?? null])),
    })),
  );

  const indicatorColumns: Column[] = [
    { header: 'code', key: 'code', width: 22 },
    { header: l.indicator, key: 'name', width: 34 },
    { header: l.value, key: 'value', width: 14 },
    { header: l.unit, key: 'unit', width: 10 },
    { header: l.dataYear, key: 'year', width: 10, numFmt: '0' },
    { header: l.status, key: 'status', width: 12 },
    { header: l.target, key: 'target', width: 24 },
    { header: l.projection, key: 'projection', width: 14 },
    { header: l.progress, key: 'progress', width: 10, numFmt: '0%' },
    { header: 'kind', key: 'kind', width: 8 },
  ];
  if (!model.only) {
    const ws = table(
      wb,
      s.indicators,
      [{ header: lang === 'zh' ? '领域' : 'Dimension', key: 'dimension', width: 16 }, ...indicatorColumns],
      model.dimensionSections.flatMap((d) => indicatorRows(d.indicators, statuses, { dimension: d.name })),
    );
    formatValues(ws, ['value', 'projection']);
  }
  const cards = table(
    wb,
    s.scorecards,
    [{ header: l.unit, key: 'county', width: 14 }, ...indicatorColumns],
    model.scorecards.flatMap((c) => indicatorRows(c.indicators, statuses, { county: c.name })),
  );
  formatValues(cards, ['value', 'projection']);
  const off = table(
    wb,
    s.offTrack,
    [
      { header: 'code', key: 'indicator', width: 22 },
      { header: l.indicator, key: 'name', width: 34 },
      { header: l.unit, key: 'orgUnitName', width: 14 },
      { header: l.value, key: 'value', width: 14 },
      { header: '', key: 'unit', width: 8 },
      { header: l.target, key: 'target', width: 24 },
      { header: l.responsible, key: 'responsible', width: 40 },
      { header: 'kind', key: 'kind', width: 8 },
    ],
    model.offTrack.map((o) => ({ ...o, responsible: o.responsible.join('、') })),
  );
  formatValues(off, ['value']);
  if (!model.only) {
    const loopRows =
      model.loop && model.loop.total.total > 0 ? [{ ...model.loop.total, name: l.total }, ...model.loop.byCounty] : [];
    const ws = table(
      wb,
      s.loop,
      [
        { header: l.unit, key: 'name', width: 18 },
        { header: l.total, key: 'total', width: 8, numFmt: '0' },
        { header: l.open, key: 'open', width: 8, numFmt: '0' },
        { header: l.overdue, key: 'overdue', width: 8, numFmt: '0' },
        { header: l.closed, key: 'closed', width: 8, numFmt: '0' },
        { header: l.onTime, key: 'onTimeRate', width: 12, numFmt: '0%' },
        { header: l.avgDays, key: 'averageDaysToClose', width: 12, numFmt: '0.0' },
      ],
      loopRows,
    );
    if (loopRows.length === 0) ws.getCell('A2').value = l.noLoop;
  }
  if (!model.only) appraisalSheet(wb, model, s.appraisal);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The county appraisal (考核): rank, the significance mark, every component's points, bonuses, deductions. */
function appraisalSheet(wb: ExcelJS.Workbook, model: ReportModel, name: string): void {
  const zh = model.language === 'zh';
  const a = model.appraisal;
  const state = !a
    ? ''
    : `${a.period} ${zh ? `第${a.version}版` : `v${a.version}`} ${
        a.published ? (zh ? '已发布' : 'published') : zh ? '未发布（草稿或已冻结）' : 'NOT published (draft or frozen)'
      }${a.correctedFrom !== null ? (zh ? `；更正原因：${a.reason ?? ''}` : `; correction: ${a.reason ?? ''}`) : ''}${
        a.synthetic ? (zh ? '；含示例数据' : '; includes synthetic demo data') : ''
      }`;
  const ws = table(
    wb,
    name,
    [
      { header: zh ? '名次' : 'Rank', key: 'rank', width: 7, numFmt: '0' },
      { header: zh ? '差异' : 'Diff.', key: 'mark', width: 6 },
      { header: zh ? '名次变化' : 'Change', key: 'rankChange', width: 9, numFmt: '+0;-0;0' },
      { header: zh ? '单位' : 'Unit', key: 'name', width: 14 },
      { header: 'code', key: 'code', width: 10 },
      { header: zh ? '总分' : 'Total', key: 'total', width: 9, numFmt: '0.00' },
      { header: zh ? '标准误' : 'SE', key: 'se', width: 8, numFmt: '0.00' },
      ...(a?.components ?? []).map((c) => ({
        header: `${c.title} (${c.weight})`,
        key: `c_${c.code}`,
        width: 14,
        numFmt: '0.00',
      })),
      { header: zh ? '加分' : 'Bonuses', key: 'bonuses', width: 8, numFmt: '0.00' },
      { header: zh ? '扣分' : 'Deductions', key: 'deductions', width: 9, numFmt: '0.00' },
      { header: zh ? '考核期与状态' : 'Period and state', key: 'state', width: 36 },
    ],
    (a?.rows ?? []).map((r) => ({
      ...r,
      ...Object.fromEntries(Object.entries(r.points).map(([k, v]) => [`c_${k}`, v])),
      state,
    })),
  );
  if (!a)
    ws.getCell('A2').value = zh
      ? '本年第四季度尚无县（市、区）考核结果'
      : 'No county appraisal of the fourth quarter yet';
  else
    ws.addRow([]).getCell(1).value = zh
      ? `≈：与相邻名次之差在输入的不确定性之内，名次差异不显著；=：并列。方案：${a.scheme}`
      : `≈: within the uncertainty of a neighbour (not a clear difference); =: tied. Scheme: ${a.scheme}`;
}
