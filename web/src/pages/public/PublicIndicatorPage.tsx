/**
 * One published indicator: the series of the city and its counties (published periods only), the
 * county map of the latest published year, the targets, and downloads. An unpublished indicator is
 * not found — the API answers 404 and nothing of it is shown.
 */
import { useMemo } from 'react';
import { api, ApiError } from '../../api';
import { RegionMap } from '../../charts/RegionMap';
import { Card, Chart, ErrorBox, Loading, Page, StatusBadge, SyntheticBadge, useApi } from '../../components';
import { displayNumber, formatPeriod, formatValue, unitLabel } from '../../format';
import { useLocale, useName, useT } from '../../i18n';
import { Link, useParams } from '../../router';
import { downloadUrl, type PublicDetail } from './types';

export default function PublicIndicatorPage() {
  const { code = '' } = useParams<{ code: string }>();
  const t = useT();
  const locale = useLocale();
  const name = useName();
  const state = useApi(() => api.get<PublicDetail>(`/public/indicators/${encodeURIComponent(code)}`), [code]);
  const d = state.data;

  const option = useMemo(() => {
    if (!d) return null;
    const periods = [...new Set(d.series.flatMap((s) => s.points.map((p) => p.period)))].sort();
    return {
      tooltip: { trigger: 'axis' as const },
      legend: { type: 'scroll' as const, bottom: 0 },
      grid: { left: 60, right: 20, top: 20, bottom: 50 },
      xAxis: { type: 'category' as const, data: periods.map((p) => formatPeriod(p, locale)) },
      yAxis: { type: 'value' as const, name: unitLabel(d.unit, locale), scale: true },
      series: d.series.map((s, k) => {
        const byPeriod = new Map(s.points.map((p) => [p.period, p.value]));
        return {
          type: 'line' as const,
          name: s.name,
          data: periods.map((p) => displayNumber(byPeriod.get(p) ?? null, d.unit)),
          lineStyle: { width: k === 0 ? 3 : 1 },
          connectNulls: true,
        };
      }),
    };
  }, [d, locale]);

  if (state.error) {
    const missing = state.error instanceof ApiError && state.error.status === 404;
    return (
      <Page title={t('public.title')}>
        {missing ? (
          <div className="empty" data-testid="public-not-found">
            <strong>{t('public.notFound')}</strong>
            <p>
              <Link to="/public">{t('public.back')}</Link>
            </p>
          </div>
        ) : (
          <ErrorBox error={state.error} onRetry={state.reload} />
        )}
      </Page>
    );
  }
  if (!d || !option) return <Loading />;
  const latestYear = d.latest?.period;
  const mapData = d.series.slice(1).map((s) => {
    const p = s.points.find((x) => x.period === latestYear);
    return {
      code: s.orgUnit,
      name: s.name,
      value: displayNumber(p?.value ?? null, d.unit),
      label: formatValue(p?.value ?? null, d.unit, locale),
    };
  });
  return (
    <Page
      title={name(d.name)}
      subtitle={<Link to="/public">{t('public.back')}</Link>}
      badges={
        <>
          <StatusBadge status={d.status ?? 'no_data'} />{' '}
          {(d.synthetic || d.demo) && <SyntheticBadge title={t('public.demo')} />}
        </>
      }
      actions={
        <>
          <a className="button" href={downloadUrl('csv', d.code)} download>
            CSV
          </a>{' '}
          <a className="button" href={downloadUrl('xlsx', d.code)} download>
            XLSX
          </a>{' '}
          <a className="button" href={downloadUrl('sdmx', d.code)} download>
            SDMX
          </a>{' '}
          <a className="button" href={downloadUrl('open-sdg', d.code)} download>
            Open SDG
          </a>
        </>
      }
    >
      <div className="grid" data-testid="public-indicator" data-code={d.code}>
        <Card title={t('public.series')} span={8}>
          <Chart option={option} height={320} ariaLabel={t('public.series')} />
          <p className="muted">{t('public.statusNote')}</p>
        </Card>
        <Card title={t('public.latest')} span={4}>
          <p style={{ fontSize: '2em', margin: 0 }} data-testid="public-latest">
            {d.latest ? formatValue(d.latest.value, d.unit, locale) : '—'}
          </p>
          <p>{d.latest ? formatPeriod(d.latest.period, locale) : ''}</p>
          <h3>{t('public.targets')}</h3>
          <p>{d.source}</p>
          <p className="muted">
            {t('public.periods')}: {d.periods.map((p) => formatPeriod(p, locale)).join('、')}
          </p>
        </Card>
        {mapData.length > 0 && (
          <Card title={`${t('public.map')} · ${latestYear ? formatPeriod(latestYear, locale) : ''}`} span={12}>
            <RegionMap
              data={mapData}
              mode="value"
              height={380}
              higherIsBetter={d.direction !== 'down'}
              ariaLabel={t('public.map')}
            />
          </Card>
        )}
      </div>
    </Page>
  );
}
