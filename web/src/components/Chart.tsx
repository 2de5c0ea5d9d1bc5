/**
 * An ECharts wrapper: <Chart option={...} height={300} />. Initialises once, applies option changes,
 * follows its container's size, and disposes on unmount. `onEvents` binds chart events (click …).
 */
import { useEffect, useRef, type CSSProperties } from 'react';
import { echarts, type EChartsOption } from '../charts/echarts';

type Handler = (params: unknown) => void;

export interface ChartProps {
  option: EChartsOption;
  height?: number | string;
  width?: number | string;
  renderer?: 'canvas' | 'svg';
  theme?: 'dark' | undefined;
  onEvents?: Record<string, Handler>;
  /** Describes the chart for screen readers. */
  ariaLabel?: string;
  className?: string;
  style?: CSSProperties;
  /** Called with the instance after every option change (tests read series data from the DOM). */
  onRendered?: (chart: echarts.ECharts) => void;
  testId?: string;
}

export function Chart({
  option,
  height = 300,
  width = '100%',
  renderer = 'canvas',
  theme,
  onEvents,
  ariaLabel,
  className,
  style,
  onRendered,
  testId,
}: ChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const chartRef = useRef<echarts.ECharts | null>(null);
  const handlersRef = useRef(onEvents);
  handlersRef.current = onEvents;

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = echarts.init(el, theme, { renderer });
    chartRef.current = chart;
    const bound = new Set<string>();
    for (const name of Object.keys(handlersRef.current ?? {})) {
      bound.add(name);
      chart.on(name, (p: unknown) => handlersRef.current?.[name]?.(p));
    }
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.dispose();
      chartRef.current = null;
    };
  }, [renderer, theme]);

  useEffect(() => {
    const chart = chartRef.current;
    if (!chart) return;
    chart.setOption({ aria: { enabled: true }, ...option }, { notMerge: true });
    onRendered?.(chart);
  }, [option, onRendered]);

  return (
    <div
      ref={ref}
      className={className}
      role="img"
      aria-label={ariaLabel}
      data-testid={testId}
      style={{ width, height, ...style }}
    />
  );
}
