/**
 * The report's charts as SVG text, drawn by ECharts' server-side renderer (no DOM, no browser): an
 * SVG scales to the printed page and stays sharp. Colours follow the status palette of the web app
 * (colour-blind safe).
 */
import * as echarts from 'echarts';
import type { RankLine, ReportLanguage, Scorecard } from './model.js';

export const STATUS_COLOURS: Record<string, string> = {
  achieved: '#1a9850',
  on_track: '#4575b4',
  at_risk: '#fdae61',
  off_track: '#d73027',
  no_data: '#bdbdbd',
  no_target: '#8c8c8c',
};

const FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif';

function render(option: echarts.EChartsOption, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  chart.setOption({ animation: false, textStyle: { fontFamily: FONT }, ...option });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}

/** The composite index of each county, best first, the city's as a line. */
export function indexChart(ranking: readonly RankLine[], rootCode: string, lang: ReportLanguage): string {
  const counties = ranking.filter((r) => r.code !== rootCode && r.index !== null);
  const city = ranking.find((r) => r.code === rootCode)?.index ?? null;
  return render(
    {
      grid: { left: 110, right: 40, top: 20, bottom: 30 },
      xAxis: { type: 'value', min: 0, max: 100 },
      yAxis: { type: 'category', inverse: true, data: counties.map((r) => r.name), axisLabel: { fontSize: 11 } },
      series: [
        {
          type: 'bar',
          data: counties.map((r) => Math.round(r.index! * 10) / 10),
          itemStyle: { color: '#4575b4' },
          label: { show: true, position: 'right', fontSize: 10 },
          ...(city !== null && {
            markLine: {
              symbol: 'none',
              data: [{ xAxis: Math.round(city * 10) / 10, name: lang === 'zh' ? '全市' : 'City' }],
              lineStyle: { color: '#d73027', type: 'dashed' },
              label: { formatter: lang === 'zh' ? '全市 {c}' : 'City {c}', fontSize: 10 },
            },
          }),
        },
      ],
    },
    640,
    Math.max(180, 26 * counties.length + 60),
  );
}

/** Cells by status, as a ring. */
export function statusChart(counts: Record<string, number>, labels: Record<string, string>): string {
  const data = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => ({
      name: labels[status] ?? status,
      value: n,
      itemStyle: { color: STATUS_COLOURS[status] ?? '#999' },
    }));
  return render(
    {
      legend: { orient: 'vertical', right: 10, top: 'middle', textStyle: { fontSize: 11 } },
      series: [
        {
          type: 'pie',
          radius: ['40%', '70%'],
          center: ['35%', '50%'],
          data,
          label: { formatter: '{c}', fontSize: 11 },
        },
      ],
    },
    480,
    220,
  );
}

/** A county's index over the years, and its sub-indices in the report's year. */
export function scorecardChart(
  card: Scorecard,
  dimensions: readonly { code: string; name: string }[],
  lang: ReportLanguage,
): string {
  return render(
    {
      title: [
        { text: lang === 'zh' ? '综合指数走势' : 'Index over the years', left: '2%', textStyle: { fontSize: 12 } },
        { text: lang === 'zh' ? '分领域指数' : 'Sub-indices', left: '52%', textStyle: { fontSize: 12 } },
      ],
      grid: [
        { left: '6%', width: '40%', top: 35, bottom: 30 },
        { left: '62%', width: '34%', top: 35, bottom: 30 },
      ],
      xAxis: [
        { type: 'category', gridIndex: 0, data: card.history.map((h) => String(h.year)) },
        { type: 'value', gridIndex: 1, min: 0, max: 100 },
      ],
      yAxis: [
        { type: 'value', gridIndex: 0, min: 0, max: 100 },
        {
          type: 'category',
          gridIndex: 1,
          inverse: true,
          data: dimensions.map((d) => d.name),
          axisLabel: { fontSize: 10 },
        },
      ],
      series: [
        {
          type: 'line',
          xAxisIndex: 0,
          yAxisIndex: 0,
          data: card.history.map((h) => (h.index === null ? null : Math.round(h.index * 10) / 10)),
          label: { show: true, fontSize: 9 },
          itemStyle: { color: '#4575b4' },
        },
        {
          type: 'bar',
          xAxisIndex: 1,
          yAxisIndex: 1,
          data: dimensions.map((d) => {
            const v = card.dimensions[d.code];
            return v === null || v === undefined ? null : Math.round(v * 10) / 10;
          }),
          itemStyle: { color: '#91bfdb' },
          label: { show: true, position: 'right', fontSize: 9 },
        },
      ],
    },
    680,
    200,
  );
}
