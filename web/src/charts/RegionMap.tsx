/**
 * The regions of the plan drawn from their real boundaries (GET /org-units/boundaries), coloured by a
 * number (a continuous legend) or a status (its colours), with the value on hover; a click drills in.
 */
import { useMemo } from 'react';
import { api } from '../api';
import { Chart } from '../components/Chart';
import { useApi } from '../components/useApi';
import { ErrorBox, Loading } from '../components/states';
import { useLocale, useT } from '../i18n';
import { formatNumber } from '../format';
import { STATUS_COLOURS, STATUSES, statusKey } from '../status';
import { echarts } from './echarts';

interface FeatureCollection {
  type: 'FeatureCollection';
  features: { properties: { code: string; name: string } }[];
}

let boundaries: Promise<FeatureCollection> | undefined;
const MAP_NAME = 'gongfu-regions';

/** Loads the boundaries once per page load and registers them with ECharts. */
function loadBoundaries(): Promise<FeatureCollection> {
  boundaries ??= api.get<FeatureCollection>('/org-units/boundaries').then((geo) => {
    echarts.registerMap(MAP_NAME, geo as never);
    return geo;
  });
  boundaries.catch(() => (boundaries = undefined));
  return boundaries;
}

// Fetch the outlines as soon as a page with a map is loaded, in parallel with its data.
void loadBoundaries().catch(() => undefined);

export interface RegionDatum {
  code: string;
  name: string;
  value: number | null;
  /** Shown on hover instead of the plain number. */
  label?: string;
  status?: string;
}

export interface RegionMapProps {
  data: RegionDatum[];
  /** 'value': colour by number; 'status': colour by the data's status. */
  mode: 'value' | 'status';
  height?: number;
  onSelect?: (code: string) => void;
  /** Higher is better (colours run light → dark blue); false reverses. */
  higherIsBetter?: boolean;
  dark?: boolean;
  selected?: string;
  ariaLabel?: string;
}

export function RegionMap({
  data,
  mode,
  height = 420,
  onSelect,
  higherIsBetter = true,
  dark,
  selected,
  ariaLabel,
}: RegionMapProps) {
  const t = useT();
  const locale = useLocale();
  const geo = useApi(loadBoundaries, []);
  const option = useMemo(() => {
    if (!geo.data) return null;
    const byCode = new Map(data.map((d) => [d.code, d]));
    const nameToCode = new Map(geo.data.features.map((f) => [f.properties.name, f.properties.code]));
    const seriesData = geo.data.features.map((f) => {
      const d = byCode.get(f.properties.code);
      const base = {
        name: f.properties.name,
        code: f.properties.code,
        value: d?.value ?? null,
        label: d?.label,
        selected: f.properties.code === selected,
      };
      if (mode === 'status') {
        const colour =
          STATUS_COLOURS[(d?.status as keyof typeof STATUS_COLOURS) ?? 'no_data'] ?? STATUS_COLOURS.no_data;
        return { ...base, itemStyle: { areaColor: colour } };
      }
      return base;
    });
    const values = data.map((d) => d.value).filter((v): v is number => v !== null && Number.isFinite(v));
    const min = values.length ? Math.min(...values) : 0;
    const max = values.length ? Math.max(...values) : 1;
    const textColour = dark ? '#dbe6f5' : '#1f2a37';
    const ramp = dark ? ['#1b3a5c', '#2f6aa3', '#6fb2e8', '#c9e6ff'] : ['#e8eef7', '#a9c1e0', '#5b85bf', '#1d4e89'];
    return {
      tooltip: {
        trigger: 'item',
        formatter: (p: { name: string; data?: { label?: string; value: number | null } }) =>
          `<strong>${p.name}</strong><br/>${p.data?.label ?? (p.data?.value === null || p.data?.value === undefined ? t('common.none') : p.data.value)}`,
      },
      ...(mode === 'value'
        ? {
            visualMap: {
              type: 'continuous',
              min: min === max ? min - 1 : min,
              max: min === max ? max + 1 : max,
              inRange: { color: higherIsBetter ? ramp : [...ramp].reverse() },
              calculable: false,
              orient: 'horizontal',
              left: 'left',
              bottom: 4,
              itemWidth: 10,
              itemHeight: 120,
              precision: 1,
              text: [formatNumber(max, locale), formatNumber(min, locale)],
              textStyle: { color: textColour },
              outOfRange: { color: dark ? '#2a3442' : '#eceff3' },
            },
          }
        : {}),
      series: [
        {
          type: 'map',
          map: MAP_NAME,
          roam: false,
          nameProperty: 'name',
          layoutCenter: ['50%', '48%'],
          layoutSize: '95%',
          selectedMode: false,
          label: {
            show: true,
            color: textColour,
            fontSize: 12,
            textBorderColor: dark ? '#0b1522' : '#fff',
            textBorderWidth: 2,
          },
          itemStyle: {
            borderColor: dark ? '#0b1522' : '#fff',
            borderWidth: 1.2,
            areaColor: dark ? '#2a3442' : '#eceff3',
          },
          emphasis: {
            label: { show: true, color: textColour },
            itemStyle: { areaColor: dark ? '#f0b429' : '#f5c26b' },
          },
          data: seriesData,
          nameMap: undefined,
        },
      ],
      _codes: nameToCode,
    };
  }, [geo.data, data, mode, higherIsBetter, dark, selected, t, locale]);

  if (geo.error) return <ErrorBox error={geo.error} onRetry={geo.reload} />;
  if (!option) return <Loading />;
  const { _codes, ...chartOption } = option;
  return (
    <div className="region-map" data-testid="region-map" data-regions={chartOption.series[0]!.data.length}>
      <Chart
        option={chartOption}
        height={height}
        renderer="svg"
        ariaLabel={ariaLabel}
        onEvents={{
          click: (p) => {
            const params = p as { name?: string; data?: { code?: string } };
            const code = params.data?.code ?? (params.name ? _codes.get(params.name) : undefined);
            if (code) onSelect?.(code);
          },
        }}
      />
      {mode === 'status' && (
        <div className="legend-row" aria-label={t('map.legend')}>
          {STATUSES.filter((s) => s !== 'no_target').map((s) => (
            <span key={s}>
              <i className="swatch" style={{ background: STATUS_COLOURS[s] }} />
              {t(statusKey(s))}
            </span>
          ))}
        </div>
      )}
      {onSelect && (
        <nav className="chips map-links" aria-label={t('map.regions')}>
          {[...data]
            .sort((a, b) => a.code.localeCompare(b.code))
            .map((d) => (
              <button key={d.code} type="button" className="btn btn-small" onClick={() => onSelect(d.code)}>
                {d.name}
              </button>
            ))}
        </nav>
      )}
    </div>
  );
}
