/**
 * ECharts, tree-shaken: only the charts and components registered here end up in the bundle.
 * Add a chart type with one `use([...])` line.
 */
import { BarChart, LineChart, MapChart, PieChart, RadarChart, GaugeChart } from 'echarts/charts';
import {
  DatasetComponent,
  GeoComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  MarkPointComponent,
  RadarComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers';

echarts.use([CanvasRenderer, SVGRenderer]);
echarts.use([LineChart, BarChart, MapChart, PieChart, RadarChart, GaugeChart]);
echarts.use([GridComponent, TooltipComponent, LegendComponent, TitleComponent, DatasetComponent]);
echarts.use([
  MarkLineComponent,
  MarkAreaComponent,
  MarkPointComponent,
  VisualMapComponent,
  GeoComponent,
  RadarComponent,
]);

export { echarts };
export type EChartsOption = echarts.EChartsCoreOption;
