/**
 * The assessment report as one print-ready HTML file: A4 pages (@page), a cover, a table of contents,
 * the index and ranks, every dimension, one page per county scorecard, the off-track list and the
 * closed loop; charts inline as SVG. Tables use a fixed layout with wrapping cells so that none is
 * wider than the page.
 */
import { showValue, type IndicatorLine, type ReportModel } from './model.js';
import { indexChart, scorecardChart, STATUS_COLOURS, statusChart } from './svg-charts.js';

const esc = (s: string | number | null | undefined) =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

export const REPORT_LABELS = {
  zh: {
    title: '共同富裕实施方案评估报告',
    scorecardTitle: '县（市、区）评估卡',
    synthetic: '示例数据：本报告含演示用合成数据，非真实统计数据',
    generated: '生成时间',
    year: '评估年度',
    contents: '目录',
    summary: '一、综合指数与排名',
    dimensions: '二、分领域指标',
    scorecards: '三、县（市、区）评估卡',
    offTrack: '四、未达预期指标及责任单位',
    loop: '五、交办整改闭环',
    unit: '单位',
    index: '综合指数',
    rank: '排名',
    rankChange: '名次变化',
    improvement: '较基期提升',
    coverage: '数据覆盖',
    indicator: '指标',
    value: '数值',
    dataYear: '数据年份',
    status: '状态',
    target: '目标',
    projection: '目标年预计',
    progress: '完成进度',
    responsible: '责任单位',
    offTrackCount: '未达预期指标数',
    noOffTrack: '没有未达预期的指标。',
    noLoop: '交办整改闭环暂无数据。',
    total: '合计',
    open: '未办结',
    overdue: '已超期',
    closed: '已办结',
    onTime: '按期办结率',
    avgDays: '平均办结天数',
    statusCounts: '指标状态分布',
    statuses: {
      achieved: '已完成',
      on_track: '进展顺利',
      at_risk: '存在风险',
      off_track: '未达预期',
      no_data: '暂无数据',
      no_target: '无目标',
    },
    city: '全市',
  },
  en: {
    title: 'Common prosperity plan: assessment report',
    scorecardTitle: 'County scorecard',
    synthetic: 'Demo data: this report includes synthetic values, not real statistics',
    generated: 'Generated',
    year: 'Year assessed',
    contents: 'Contents',
    summary: '1. Composite index and ranks',
    dimensions: '2. Indicators by dimension',
    scorecards: '3. County scorecards',
    offTrack: '4. Off-track indicators and responsible units',
    loop: '5. Assignment and rectification loop',
    unit: 'Unit',
    index: 'Index',
    rank: 'Rank',
    rankChange: 'Rank change',
    improvement: 'Improvement',
    coverage: 'Coverage',
    indicator: 'Indicator',
    value: 'Value',
    dataYear: 'Data year',
    status: 'Status',
    target: 'Target',
    projection: 'Projected',
    progress: 'Progress',
    responsible: 'Responsible units',
    offTrackCount: 'Off-track indicators',
    noOffTrack: 'No indicator is off track.',
    noLoop: 'The assignment and rectification loop has no data yet.',
    total: 'Total',
    open: 'Open',
    overdue: 'Overdue',
    closed: 'Closed',
    onTime: 'Closed on time',
    avgDays: 'Average days to close',
    statusCounts: 'Indicators by status',
    statuses: {
      achieved: 'Achieved',
      on_track: 'On track',
      at_risk: 'At risk',
      off_track: 'Off track',
      no_data: 'No data',
      no_target: 'No target',
    },
    city: 'City',
  },
} as const;

const CSS = `
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif; font-size: 10pt; color: #222; margin: 0; }
main { max-width: 182mm; margin: 0 auto; }
h1 { font-size: 22pt; margin: 40mm 0 8mm; }
h2 { font-size: 15pt; border-bottom: 2px solid #4575b4; padding-bottom: 2mm; margin-top: 0; }
h3 { font-size: 12pt; margin: 6mm 0 2mm; }
section.page { break-before: page; page-break-before: always; }
section.card { break-before: page; page-break-before: always; }
.cover { text-align: left; }
.synthetic { border: 2px solid #d73027; color: #d73027; padding: 2mm 4mm; font-weight: bold; margin: 4mm 0; }
.muted { color: #666; }
table { width: 100%; table-layout: fixed; border-collapse: collapse; margin: 2mm 0 5mm; font-size: 8.5pt; }
th, td { border: 1px solid #bbb; padding: 1.2mm 1.5mm; overflow-wrap: anywhere; word-break: break-word; vertical-align: top; }
th { background: #eef2f8; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
.status { display: inline-block; padding: 0 1.5mm; border-radius: 1mm; color: #fff; font-size: 8pt; }
.chart svg { max-width: 100%; height: auto; }
.chart { break-inside: avoid; }
table.compact { font-size: 8pt; }
p.compact { font-size: 8.5pt; line-height: 1.5; }
nav ol { line-height: 1.8; }
nav a { color: #222; text-decoration: none; }
`;

type Labels = (typeof REPORT_LABELS)[keyof typeof REPORT_LABELS];

function statusBadge(status: string, l: Labels): string {
  const text = (l.statuses as Record<string, string>)[status] ?? status;
  const colour = STATUS_COLOURS[status] ?? '#999';
  const dark = status === 'at_risk' || status === 'no_data';
  return `<span class="status" style="background:${colour};color:${dark ? '#222' : '#fff'}">${esc(text)}</span>`;
}

const fixed = (x: number | null, digits = 1) => (x === null ? '—' : x.toFixed(digits));
const signed = (x: number | null) => (x === null ? '—' : x > 0 ? `+${x}` : String(x));
const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);

function indicatorTable(lines: readonly IndicatorLine[], l: Labels, lang: 'zh' | 'en'): string {
  const rows = lines
    .map(
      (i) =>
        `<tr><td>${esc(i.name)}<br><span class="muted">${esc(i.code)}</span></td><td class="num">${esc(showValue(i.value, i.kind, lang))}</td><td>${esc(i.unit)}</td><td class="num">${esc(i.year ?? '—')}</td><td>${statusBadge(i.status, l)}</td><td>${esc(i.target ?? '—')}</td><td class="num">${esc(showValue(i.projection, i.kind, lang))}</td><td class="num">${esc(pct(i.progress))}</td></tr>`,
    )
    .join('');
  return `<table><colgroup><col style="width:26%"><col style="width:12%"><col style="width:8%"><col style="width:8%"><col style="width:11%"><col style="width:15%"><col style="width:11%"><col style="width:9%"></colgroup>
<thead><tr><th>${l.indicator}</th><th>${l.value}</th><th>${l.unit}</th><th>${l.dataYear}</th><th>${l.status}</th><th>${l.target}</th><th>${l.projection}</th><th>${l.progress}</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function renderReportHtml(model: ReportModel): string {
  const lang = model.language;
  const l = REPORT_LABELS[lang];
  const dims = model.dimensions;
  const parts: string[] = [];
  const toc: { id: string; title: string }[] = [];
  const title = model.only ? `${model.only.name} ${l.scorecardTitle}` : l.title;
  const banner = model.synthetic ? `<div class="synthetic">${esc(l.synthetic)}</div>` : '';

  if (!model.only) {
    toc.push({ id: 'summary', title: l.summary });
    const rankRows = model.ranking
      .map(
        (r) =>
          `<tr><td>${esc(r.code === model.root.code ? `${r.name}（${l.city}）` : r.name)}</td><td class="num">${fixed(r.index)}</td><td class="num">${esc(r.rank ?? '—')}</td><td class="num">${esc(signed(r.rankChange))}</td><td class="num">${fixed(r.improvement)}</td><td class="num">${pct(r.coverage)}</td>${dims.map((d) => `<td class="num">${fixed(r.dimensions[d.code] ?? null)}</td>`).join('')}</tr>`,
      )
      .join('');
    const dimWidth = Math.max(5, Math.floor(52 / Math.max(1, dims.length)));
    parts.push(`<section class="page" id="summary"><h2>${l.summary}</h2>${banner}
<div class="chart">${indexChart(model.ranking, model.root.code, lang)}</div>
<table><colgroup><col style="width:16%"><col style="width:8%"><col style="width:6%"><col style="width:7%"><col style="width:7%"><col style="width:6%">${dims.map(() => `<col style="width:${dimWidth}%">`).join('')}</colgroup>
<thead><tr><th>${l.unit}</th><th>${l.index}</th><th>${l.rank}</th><th>${l.rankChange}</th><th>${l.improvement}</th><th>${l.coverage}</th>${dims.map((d) => `<th>${esc(d.name)}</th>`).join('')}</tr></thead><tbody>${rankRows}</tbody></table>
<h3>${l.statusCounts}</h3><div class="chart">${statusChart(model.statusCounts, l.statuses)}</div></section>`);

    toc.push({ id: 'dimensions', title: l.dimensions });
    parts.push(
      `<section class="page" id="dimensions"><h2>${l.dimensions}</h2>${model.dimensionSections
        .map((d) => `<h3 id="dim-${esc(d.code)}">${esc(d.name)}</h3>${indicatorTable(d.indicators, l, lang)}`)
        .join('')}</section>`,
    );
  }

  toc.push({ id: 'scorecards', title: l.scorecards });
  const STATUS_ORDER = ['achieved', 'on_track', 'at_risk', 'off_track', 'no_data', 'no_target'] as const;
  // One page per county: the headline numbers, the charts, the statuses by dimension and what is off track.
  const byDimension = (c: (typeof model.scorecards)[number]) =>
    dims
      .map((d) => {
        const lines = c.indicators.filter((i) => i.dimension === d.code);
        const count = (s: string) => lines.filter((i) => i.status === s).length;
        return `<tr><td>${esc(d.name)}</td><td class="num">${fixed(c.dimensions[d.code] ?? null)}</td>${STATUS_ORDER.map((s) => `<td class="num">${count(s) || ''}</td>`).join('')}</tr>`;
      })
      .join('');
  parts.push(
    model.scorecards
      .map((c, k) => {
        const off = c.indicators.filter((i) => i.status === 'off_track');
        return `<section class="card" ${k === 0 ? 'id="scorecards"' : ''} data-county="${esc(c.code)}"><h2 id="county-${esc(c.code)}">${esc(c.name)} · ${l.scorecardTitle}</h2>${banner}
<table><thead><tr><th>${l.index}</th><th>${l.rank}</th><th>${l.rankChange}</th><th>${l.improvement}</th><th>${l.offTrackCount}</th></tr></thead>
<tbody><tr><td class="num">${fixed(c.index)}</td><td class="num">${esc(c.rank ?? '—')}</td><td class="num">${esc(signed(c.rankChange))}</td><td class="num">${fixed(c.improvement)}</td><td class="num">${c.offTrack}</td></tr></tbody></table>
<div class="chart">${scorecardChart(c, dims, lang)}</div>
<table class="compact"><colgroup><col style="width:28%"><col style="width:12%">${STATUS_ORDER.map(() => '<col style="width:10%">').join('')}</colgroup>
<thead><tr><th>${lang === 'zh' ? '领域' : 'Dimension'}</th><th>${l.index}</th>${STATUS_ORDER.map((s) => `<th>${esc((l.statuses as Record<string, string>)[s] ?? s)}</th>`).join('')}</tr></thead><tbody>${byDimension(c)}</tbody></table>
<h3>${l.offTrackCount}：${off.length}</h3><p class="compact">${off.length ? off.map((i) => esc(i.name)).join('、') : l.noOffTrack}</p>
</section>${model.only ? `<section class="page" id="details"><h2>${esc(c.name)} · ${lang === 'zh' ? '指标明细' : 'All indicators'}</h2>${indicatorTable(c.indicators, l, lang)}</section>` : ''}`;
      })
      .join(''),
  );

  toc.push({ id: 'off-track', title: l.offTrack });
  parts.push(
    `<section class="page" id="off-track"><h2>${l.offTrack}</h2>${
      model.offTrack.length === 0
        ? `<p>${l.noOffTrack}</p>`
        : `<table><colgroup><col style="width:28%"><col style="width:14%"><col style="width:14%"><col style="width:18%"><col style="width:26%"></colgroup><thead><tr><th>${l.indicator}</th><th>${l.unit}</th><th>${l.value}</th><th>${l.target}</th><th>${l.responsible}</th></tr></thead><tbody>${model.offTrack
            .map(
              (o) =>
                `<tr><td>${esc(o.name)}<br><span class="muted">${esc(o.indicator)}</span></td><td>${esc(o.orgUnitName)}</td><td class="num">${esc(showValue(o.value, o.kind, lang))} ${esc(o.unit)}</td><td>${esc(o.target ?? '—')}</td><td>${esc(o.responsible.join('、') || '—')}</td></tr>`,
            )
            .join('')}</tbody></table>`
    }</section>`,
  );

  if (!model.only) {
    toc.push({ id: 'loop', title: l.loop });
    const loop = model.loop;
    const loopRow = (name: string, f: NonNullable<typeof loop>['total']) =>
      `<tr><td>${esc(name)}</td><td class="num">${f.total}</td><td class="num">${f.open}</td><td class="num">${f.overdue}</td><td class="num">${f.closed}</td><td class="num">${pct(f.onTimeRate)}</td><td class="num">${fixed(f.averageDaysToClose)}</td></tr>`;
    parts.push(
      `<section class="page" id="loop"><h2>${l.loop}</h2>${
        !loop || loop.total.total === 0
          ? `<p>${l.noLoop}</p>`
          : `<table><thead><tr><th>${l.unit}</th><th>${l.total}</th><th>${l.open}</th><th>${l.overdue}</th><th>${l.closed}</th><th>${l.onTime}</th><th>${l.avgDays}</th></tr></thead><tbody>${loopRow(l.total, loop.total)}${loop.byCounty.map((f) => loopRow(f.name, f)).join('')}</tbody></table>`
      }</section>`,
    );
  }

  const cover = `<section class="cover"><h1>${esc(title)}</h1><p>${esc(model.planTitle)}</p><p>${l.year}：${model.year}&emsp;${esc(model.root.name)}</p><p class="muted">${l.generated}：${esc(model.generatedAt.slice(0, 16).replace('T', ' '))} UTC</p>${banner}
<nav><h2>${l.contents}</h2><ol>${toc.map((t) => `<li><a href="#${t.id}">${esc(t.title)}</a></li>`).join('')}</ol></nav></section>`;
  return `<!doctype html><html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><title>${esc(title)} ${model.year}</title><style>${CSS}</style></head><body><main>${cover}${parts.join('\n')}</main></body></html>\n`;
}
