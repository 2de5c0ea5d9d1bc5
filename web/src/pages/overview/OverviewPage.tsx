/**
 * 全局一屏掌控: the city's composite index and its counties on the map and in the race, indicators by
 * status by goal area, the headline goals, open and overdue problems, the latest data period.
 */
import { useMemo } from 'react';
import { api, ApiError } from '../../api';
import { RegionMap, type RegionDatum } from '../../charts/RegionMap';
import { Card, ErrorBox, Loading, Page, Sparkline, StatusBadge, SyntheticBadge, useApi } from '../../components';
import {
  displayNumber,
  formatDate,
  formatPercent,
  formatPeriod,
  formatRankChange,
  rankChangeClass,
  formatScore,
  formatValue,
} from '../../format';
import { useLocale, useName, useT } from '../../i18n';
import { takePrefetched } from '../../prefetch';
import { Link, navigate, useQuery } from '../../router';
import { STATUS_COLOURS, STATUSES, statusKey, asStatus } from '../../status';
import type { Cell, Indicator, Overview, OverviewUnit } from '../../types';

let indicatorList: Promise<Indicator[]> | undefined;
/** The plan's indicators, once per page load (for the map's choice of any indicator). */
export function loadIndicators(): Promise<Indicator[]> {
  indicatorList ??= api.get<{ items: Indicator[] }>('/indicators').then((r) => r.items);
  indicatorList.catch(() => (indicatorList = undefined));
  return indicatorList;
}

/** Problems not closed, in the order of the workflow (src/domain/problem-workflow.ts). */
const NOT_CLOSED = ['open', 'assigned', 'rectifying', 'awaiting_verification'].join(',');

/**
 * Open and overdue problems the reader may see, counted by the server (GET /problems?limit=0
 * answers the total alone); null when the server has no problems API.
 */
export async function fetchProblemCounts(): Promise<{ open: number; overdue: number } | null> {
  try {
    const [open, overdue] = await Promise.all([
      api.get<{ total: number }>('/problems', { status: NOT_CLOSED, limit: 0 }),
      api.get<{ total: number }>('/problems', { overdue: true, limit: 0 }),
    ]);
    return { open: open.total, overdue: overdue.total };
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 405)) return null;
    throw e;
  }
}

/** Headline goals shown before "all": two rows on a desk screen. */
const HEADLINE_SHOWN = 8;

export function useOverview(refreshMs?: number) {
  return useApi(() => takePrefetched<Overview>('/overview'), [], refreshMs ? { refreshMs } : {});
}

/** The map's colouring: the composite index, one goal area's sub-index, off-track count, or an indicator. */
export type MapMetric =
  | { kind: 'index' }
  | { kind: 'dimension'; code: string }
  | { kind: 'offTrack' }
  | { kind: 'indicator'; code: string; byStatus?: boolean };

export function parseMetric(text: string | undefined): MapMetric {
  if (!text || text === 'index') return { kind: 'index' };
  if (text === 'offTrack') return { kind: 'offTrack' };
  if (text.startsWith('dim:')) return { kind: 'dimension', code: text.slice(4) };
  if (text.startsWith('ind:')) return { kind: 'indicator', code: text.slice(4) };
  if (text.startsWith('st:')) return { kind: 'indicator', code: text.slice(3), byStatus: true };
  return { kind: 'index' };
}

export default function OverviewPage() {
  const t = useT();
  const locale = useLocale();
  const name = useName();
  const overview = useOverview();
  const problems = useApi(fetchProblemCounts, []);
  const [query, setQuery] = useQuery();
  const metricText = query.map ?? 'index';
  const metric = parseMetric(metricText);
  const allGoals = query.goals === 'all';

  if (overview.error && !overview.data)
    return (
      <Page title={t('overview.title')}>
        <ErrorBox error={overview.error} onRetry={overview.reload} />
      </Page>
    );
  if (!overview.data)
    return (
      <Page title={t('overview.title')}>
        <Loading label={t('overview.loading')} />
      </Page>
    );
  const o = overview.data;
  const city = o.units[0]!;
  const counties = o.units.slice(1);
  const synthetic = o.values.synthetic > 0;
  const counts = problems.data ?? null;
  const cityStatuses = city.statuses;
  const scored = STATUSES.filter((s) => s !== 'no_target').reduce((n, s) => n + cityStatuses[s], 0);

  return (
    <Page
      title={t('overview.title')}
      badges={
        synthetic ? (
          <SyntheticBadge title={t('overview.syntheticShare', { n: o.values.synthetic, total: o.values.total })} />
        ) : undefined
      }
      subtitle={
        <>
          {name(o.plan.shortTitle ?? o.plan.title)} ·{' '}
          {t('overview.asOf', { year: formatPeriod(o.run.asOfYear, locale) })} · {t('overview.latestPeriod')}{' '}
          <strong data-testid="latest-period">
            {formatPeriod(o.latestPeriods.month ?? o.latestPeriods.quarter ?? o.latestPeriods.year, locale)}
          </strong>
        </>
      }
      actions={
        <>
          {o.run.stale && (
            <span className="badge" title={t('overview.staleHint')}>
              {t('overview.stale')}
            </span>
          )}
          <span className="muted small">
            {t('overview.evaluatedAt', { at: formatDate(o.run.createdAt, locale, true) })}
          </span>
          <Link to="/screen" className="btn btn-small">
            {t('nav.screen')}
          </Link>
        </>
      }
    >
      <div className="kpi-row" data-testid="overview-kpis">
        <div className="kpi-tile kpi">
          <span className="kpi-label">{t('overview.cityIndex', { name: city.name })}</span>
          <span className="kpi-value" data-testid="city-index">
            {formatScore(city.index, locale)}
          </span>
          <Sparkline values={city.history.map((h) => h.index)} label={t('overview.indexTrend')} width={140} />
        </div>
        <div className="kpi-tile kpi">
          <span className="kpi-label">{t('overview.achievedShare')}</span>
          <span className="kpi-value" style={{ color: STATUS_COLOURS.achieved }}>
            {formatPercent(scored ? (cityStatuses.achieved + cityStatuses.on_track) / scored : null, locale)}
          </span>
          <span className="muted small">
            {t('overview.ofScored', { n: cityStatuses.achieved + cityStatuses.on_track, total: scored })}
          </span>
        </div>
        <div className="kpi-tile kpi">
          <span className="kpi-label">{t('overview.offTrack')}</span>
          <span className="kpi-value" style={{ color: STATUS_COLOURS.off_track }}>
            {cityStatuses.off_track + cityStatuses.at_risk}
          </span>
          <span className="muted small">
            {t('status.off_track')} {cityStatuses.off_track} · {t('status.at_risk')} {cityStatuses.at_risk}
          </span>
        </div>
        <div className="kpi-tile kpi" data-testid="problem-counts">
          <span className="kpi-label">{t('overview.problems')}</span>
          <span className="kpi-value">{counts ? counts.open : '—'}</span>
          <span className="muted small">
            {counts
              ? t('overview.overdueN', { n: counts.overdue })
              : problems.loading
                ? t('common.loading')
                : t('overview.problemsUnavailable')}
          </span>
        </div>
        <div className="kpi-tile kpi">
          <span className="kpi-label">{t('overview.leader')}</span>
          <span className="kpi-value">{counties.find((c) => c.rank === 1)?.name ?? '—'}</span>
          <span className="muted small">{t('overview.leaderHint')}</span>
        </div>
      </div>

      <div className="grid">
        <Card
          span={7}
          title={t('overview.map')}
          testId="overview-map"
          actions={
            <>
              <MetricSelect
                overview={o}
                value={metricText}
                onChange={(v) => setQuery({ map: v === 'index' ? undefined : v })}
              />
              {metric.kind === 'indicator' && (
                <button
                  type="button"
                  className="btn btn-small"
                  aria-pressed={!!metric.byStatus}
                  onClick={() => setQuery({ map: `${metric.byStatus ? 'ind' : 'st'}:${metric.code}` })}
                >
                  {t('overview.byStatus')}
                </button>
              )}
            </>
          }
        >
          <MetricMap overview={o} metric={metric} onSelect={(code) => navigate(`/org-units/${code}`)} />
        </Card>
        <Card
          span={5}
          title={t('overview.race')}
          actions={<Link to="/race">{t('overview.fullRace')}</Link>}
          testId="overview-race"
        >
          <RaceList units={counties} />
        </Card>

        <Card
          span={12}
          title={t('overview.headline')}
          testId="overview-headline"
          actions={
            o.headline.length > HEADLINE_SHOWN && (
              <button
                type="button"
                className="btn btn-small"
                aria-expanded={allGoals}
                onClick={() => setQuery({ goals: allGoals ? undefined : 'all' })}
              >
                {allGoals ? t('overview.fewerGoals') : t('overview.allGoals', { n: o.headline.length })}
              </button>
            )
          }
        >
          <div className="goal-list">
            {(allGoals ? o.headline : o.headline.slice(0, HEADLINE_SHOWN)).map((h) => (
              <Link
                key={h.indicator}
                to={`/indicators/${h.indicator}`}
                className="goal"
                style={{ color: 'inherit', textDecoration: 'none' }}
              >
                <span className="goal-name">
                  {name(h.name)} {h.synthetic && <SyntheticBadge />}
                </span>
                <span className="goal-figures">
                  <span>
                    <span className="goal-value">{formatValue(h.value, h.unit, locale)}</span>
                    <br />
                    <span className="muted small">
                      {h.target?.value !== null && h.target?.value !== undefined
                        ? t('overview.targetBy', {
                            value: formatValue(h.target.value, h.unit, locale),
                            year: h.target.year ?? o.plan.targetYear,
                          })
                        : t(`targetKind.${h.target?.kind ?? 'none'}`)}
                    </span>
                  </span>
                  <Sparkline
                    values={h.series.values}
                    target={h.target?.value ?? null}
                    colour={STATUS_COLOURS[asStatus(h.status)]}
                    label={name(h.name)}
                  />
                </span>
                <ProgressBar progress={h.progress} status={h.status} />
                <span className="goal-figures">
                  <StatusBadge status={h.status} />
                  <span className="muted small">
                    {h.progress !== null ? t('overview.progress', { p: formatPercent(h.progress, locale) }) : ''}
                  </span>
                </span>
              </Link>
            ))}
          </div>
        </Card>

        <Card span={7} title={t('overview.byDimension')} testId="overview-dimensions">
          <StatusMatrix overview={o} />
        </Card>
        <Card span={5} title={t('overview.countyStatuses')}>
          <CountyStatusBars units={counties} />
        </Card>
      </div>
    </Page>
  );
}

function ProgressBar({ progress, status }: { progress: number | null; status: string }) {
  const p = progress === null ? 0 : Math.max(0, Math.min(1, progress));
  return (
    <span
      className="progress"
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(p * 100)}
    >
      <span style={{ width: `${p * 100}%`, background: STATUS_COLOURS[asStatus(status)] }} />
    </span>
  );
}

export function MetricSelect({
  overview,
  value,
  onChange,
  id,
}: {
  overview: Overview;
  value: string;
  onChange: (v: string) => void;
  id?: string;
}) {
  const t = useT();
  const name = useName();
  const indicators = useApi(loadIndicators, []);
  const headline = new Set(overview.headline.map((h) => h.indicator));
  // The status variant keeps its indicator selected in the list.
  const selected = value.startsWith('st:') ? `ind:${value.slice(3)}` : value;
  return (
    <select
      aria-label={t('overview.colourBy')}
      value={selected}
      onChange={(e) => onChange(e.target.value)}
      id={id}
      data-testid="map-metric"
    >
      <option value="index">{t('overview.metricIndex')}</option>
      <optgroup label={t('overview.metricDimensions')}>
        {overview.dimensions.map((d) => (
          <option key={d.code} value={`dim:${d.code}`}>
            {name(d.name)}
          </option>
        ))}
      </optgroup>
      <option value="offTrack">{t('overview.metricOffTrack')}</option>
      <optgroup label={t('overview.metricIndicators')}>
        {overview.headline.map((h) => (
          <option key={h.indicator} value={`ind:${h.indicator}`}>
            {name(h.name)}
          </option>
        ))}
      </optgroup>
      {overview.dimensions.map((d) => {
        const more = (indicators.data ?? []).filter(
          (i) => i.dimension === d.code && i.levels.includes('county') && !headline.has(i.code),
        );
        return more.length === 0 ? null : (
          <optgroup key={d.code} label={name(d.name)}>
            {more.map((i) => (
              <option key={i.code} value={`ind:${i.code}`}>
                {name(i.name)}
              </option>
            ))}
          </optgroup>
        );
      })}
    </select>
  );
}

/** The map coloured by the chosen metric; an indicator's county values come from the run's cells. */
export function MetricMap({
  overview,
  metric,
  onSelect,
  height,
  dark,
}: {
  overview: Overview;
  metric: MapMetric;
  onSelect?: (code: string) => void;
  height?: number;
  dark?: boolean;
}) {
  const t = useT();
  const locale = useLocale();
  const indicatorCode = metric.kind === 'indicator' ? metric.code : undefined;
  const cells = useApi(
    () =>
      indicatorCode
        ? api.get<{ items: Cell[] }>(`/evaluations/${overview.run.id}/cells`, { indicator: indicatorCode })
        : Promise.resolve({ items: [] }),
    [indicatorCode, overview.run.id],
  );
  const indicators = useApi(loadIndicators, []);
  const definition = indicatorCode ? indicators.data?.find((i) => i.code === indicatorCode) : undefined;
  const unit = definition?.unit ?? overview.headline.find((h) => h.indicator === indicatorCode)?.unit;
  const counties = overview.units.slice(1);
  const data: RegionDatum[] = useMemo(() => {
    switch (metric.kind) {
      case 'index':
        return counties.map((u) => ({
          code: u.code,
          name: u.name,
          value: u.index,
          label: `${t('overview.metricIndex')} ${formatScore(u.index, locale)} · ${t('common.rank')} ${u.rank ?? '—'}`,
        }));
      case 'dimension':
        return counties.map((u) => ({
          code: u.code,
          name: u.name,
          value: u.dimensions[metric.code] ?? null,
          label: formatScore(u.dimensions[metric.code], locale),
        }));
      case 'offTrack':
        return counties.map((u) => ({
          code: u.code,
          name: u.name,
          value: u.statuses.off_track + u.statuses.at_risk,
          label: t('overview.offTrackN', { n: u.statuses.off_track, r: u.statuses.at_risk }),
        }));
      case 'indicator': {
        const byUnit = new Map((cells.data?.items ?? []).map((c) => [c.orgUnit, c]));
        return counties.map((u) => {
          const c = byUnit.get(u.code);
          return {
            code: u.code,
            name: u.name,
            value: displayNumber(c?.value, unit),
            status: c?.status ?? 'no_data',
            label: c ? `${formatValue(c.value, unit, locale)} · ${t(statusKey(c.status))}` : t('common.none'),
          };
        });
      }
    }
  }, [metric, counties, cells.data, unit, t, locale]);
  if (cells.error) return <ErrorBox error={cells.error} onRetry={cells.reload} />;
  const direction = definition?.direction ?? overview.headline.find((h) => h.indicator === indicatorCode)?.direction;
  return (
    <RegionMap
      data={data}
      mode={metric.kind === 'indicator' && metric.byStatus ? 'status' : 'value'}
      height={height ?? 400}
      onSelect={onSelect}
      higherIsBetter={metric.kind !== 'offTrack' && direction !== 'down'}
      dark={dark}
      ariaLabel={t('overview.map')}
    />
  );
}

export function RaceList({ units, dark }: { units: OverviewUnit[]; dark?: boolean }) {
  const t = useT();
  const locale = useLocale();
  const max = Math.max(1, ...units.map((u) => u.index ?? 0));
  return (
    <ol className={`race-list ${dark ? 'dark' : ''}`} data-testid="race-list">
      {units.map((u) => (
        <li key={u.code}>
          <span className="race-rank">{u.rank ?? '—'}</span>
          <Link to={`/org-units/${u.code}`} className="race-name">
            {u.name}
          </Link>
          <span className="race-bar" aria-hidden="true">
            <span style={{ width: `${((u.index ?? 0) / max) * 100}%` }} />
          </span>
          <span className="race-score">{formatScore(u.index, locale)}</span>
          <span className={`race-change ${rankChangeClass(u.rankChange)}`} title={t('race.rankChange')}>
            {formatRankChange(u.rankChange)}
          </span>
        </li>
      ))}
    </ol>
  );
}

function StatusMatrix({ overview }: { overview: Overview }) {
  const t = useT();
  const name = useName();
  const shown = STATUSES;
  return (
    <div className="table-wrap">
      <table className="status-matrix">
        <thead>
          <tr>
            <th scope="col">{t('overview.dimension')}</th>
            <th scope="col">{t('overview.distribution')}</th>
            {shown.map((s) => (
              <th key={s} scope="col" title={t(statusKey(s))}>
                <StatusBadge status={s} compact />
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {overview.dimensions.map((d) => {
            const total = shown.reduce((n, s) => n + d.statuses[s], 0) || 1;
            return (
              <tr key={d.code}>
                <td>{name(d.name)}</td>
                <td>
                  <span className="stack" aria-hidden="true">
                    {shown.map((s) => (
                      <span
                        key={s}
                        style={{ width: `${(d.statuses[s] / total) * 100}%`, background: STATUS_COLOURS[s] }}
                      />
                    ))}
                  </span>
                </td>
                {shown.map((s) => (
                  <td key={s}>{d.statuses[s] || <span className="muted">0</span>}</td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="legend-row" style={{ marginTop: 8 }}>
        {shown.map((s) => (
          <span key={s}>
            <i className="swatch" style={{ background: STATUS_COLOURS[s] }} />
            {t(statusKey(s))}
          </span>
        ))}
      </div>
    </div>
  );
}

function CountyStatusBars({ units }: { units: OverviewUnit[] }) {
  const t = useT();
  return (
    <ul className="county-bars">
      {units.map((u) => {
        const total = STATUSES.reduce((n, s) => n + u.statuses[s], 0) || 1;
        return (
          <li key={u.code}>
            <Link to={`/org-units/${u.code}`}>{u.name}</Link>
            <span className="stack" title={STATUSES.map((s) => `${t(statusKey(s))} ${u.statuses[s]}`).join(' · ')}>
              {STATUSES.map((s) => (
                <span key={s} style={{ width: `${(u.statuses[s] / total) * 100}%`, background: STATUS_COLOURS[s] }} />
              ))}
            </span>
            <span className="muted small">
              {t('status.off_track')} {u.statuses.off_track}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
