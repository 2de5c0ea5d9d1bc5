/**
 * 赛马: the counties ranked by the composite index and by each goal area, with rank change since the
 * previous year; every column sorts. A year switch looks back at earlier races of the same run.
 */
import { useMemo, useState } from 'react';
import { api } from '../../api';
import {
  Card,
  Chart,
  DataTable,
  Empty,
  ErrorBox,
  Loading,
  Page,
  Sparkline,
  SyntheticBadge,
  useApi,
  type Column,
} from '../../components';
import { formatPercent, formatPeriod, formatRankChange, rankChangeClass, formatScore } from '../../format';
import { takePrefetched } from '../../prefetch';
import { useLocale, useName, useT } from '../../i18n';
import { Link, navigate, useQuery } from '../../router';
import type { Overview, RankingRow } from '../../types';
import { departmentRows, type LoopFiguresResponse, type TaskFiguresResponse } from './department-rows';

export default function RacePage() {
  const t = useT();
  const locale = useLocale();
  const name = useName();
  const overview = useApi(() => takePrefetched<Overview>('/overview'), []);
  const [query, setQuery] = useQuery();
  const o = overview.data;
  const year = query.year ? Number(query.year) : o?.run.asOfYear;
  const ranking = useApi(
    () =>
      o && year
        ? api.get<{ year: number; rows: RankingRow[] }>(`/evaluations/${o.run.id}/ranking`, { year })
        : Promise.resolve(null),
    [o?.run.id, year],
  );

  const rows = useMemo(
    () => (ranking.data?.rows ?? []).filter((r) => r.orgUnit !== o?.plan.rootOrgUnit),
    [ranking.data, o],
  );
  const city = ranking.data?.rows.find((r) => r.orgUnit === o?.plan.rootOrgUnit);
  const history = new Map((o?.units ?? []).map((u) => [u.code, u.history]));

  const columns: Column<RankingRow>[] = useMemo(() => {
    if (!o) return [];
    return [
      {
        key: 'rank',
        header: t('common.rank'),
        sortValue: (r) => r.rank,
        align: 'center',
        width: 60,
        render: (r) => <span className="race-rank">{r.rank ?? '—'}</span>,
      },
      {
        key: 'name',
        header: t('race.county'),
        sortValue: (r) => r.name,
        render: (r) => <Link to={`/org-units/${r.orgUnit}`}>{r.name}</Link>,
      },
      {
        key: 'index',
        header: t('race.index'),
        sortValue: (r) => r.index,
        descFirst: true,
        align: 'right',
        render: (r) => <strong>{formatScore(r.index, locale)}</strong>,
      },
      {
        key: 'rankChange',
        header: t('race.rankChange'),
        sortValue: (r) => r.rankChange,
        descFirst: true,
        align: 'center',
        render: (r) => <span className={rankChangeClass(r.rankChange)}>{formatRankChange(r.rankChange)}</span>,
      },
      {
        key: 'trend',
        header: t('race.trend'),
        render: (r) => (
          <Sparkline
            values={(history.get(r.orgUnit) ?? []).filter((h) => h.year <= (year ?? 9999)).map((h) => h.index)}
            width={90}
            height={24}
            label={t('race.trend')}
          />
        ),
      },
      {
        key: 'improvement',
        header: t('race.improvement'),
        sortValue: (r) => r.improvement,
        descFirst: true,
        align: 'right',
        render: (r) => formatScore(r.improvement, locale),
      },
      ...o.dimensions.map<Column<RankingRow>>((d) => ({
        key: `dim:${d.code}`,
        header: <span title={name(d.name)}>{name(d.name).slice(0, locale === 'en' ? 18 : 4)}</span>,
        sortValue: (r) => r.dimensions[d.code] ?? null,
        descFirst: true,
        align: 'right',
        render: (r) => (
          <DimensionCell value={r.dimensions[d.code] ?? null} all={rows.map((x) => x.dimensions[d.code] ?? null)} />
        ),
      })),
      {
        key: 'coverage',
        header: t('race.coverage'),
        sortValue: (r) => r.coverage,
        descFirst: true,
        align: 'right',
        render: (r) => (r.coverage === null ? '—' : `${Math.round(r.coverage * 100)}%`),
      },
    ];
  }, [o, rows, t, locale, name, history, year]);

  if (overview.error)
    return (
      <Page title={t('nav.race')}>
        <ErrorBox error={overview.error} onRetry={overview.reload} />
      </Page>
    );
  if (!o)
    return (
      <Page title={t('nav.race')}>
        <Loading />
      </Page>
    );
  const years = (o.units[0]?.history ?? []).map((h) => h.year);

  return (
    <Page
      title={t('race.title')}
      badges={o.values.synthetic > 0 ? <SyntheticBadge /> : undefined}
      subtitle={t('race.subtitle')}
      actions={
        <label className="toolbar">
          <span>{t('common.year')}</span>
          <select
            value={year}
            onChange={(e) => setQuery({ year: e.target.value === String(o.run.asOfYear) ? undefined : e.target.value })}
            data-testid="race-year"
          >
            {years.map((y) => (
              <option key={y} value={y}>
                {formatPeriod(y, locale)}
              </option>
            ))}
          </select>
        </label>
      }
    >
      <div className="grid">
        <Card
          span={12}
          title={t('race.table')}
          actions={
            city ? (
              <span className="muted small">{t('race.cityIndex', { v: formatScore(city.index, locale) })}</span>
            ) : undefined
          }
        >
          {ranking.error ? (
            <ErrorBox error={ranking.error} onRetry={ranking.reload} />
          ) : !ranking.data ? (
            <Loading />
          ) : (
            <DataTable
              testId="race-table"
              caption={t('race.table')}
              columns={columns}
              rows={rows}
              rowKey={(r) => r.orgUnit}
              initialSort={{ key: 'rank', dir: 'asc' }}
              onRowClick={(r) => navigate(`/org-units/${r.orgUnit}`)}
            />
          )}
        </Card>
        <Card span={7} title={t('race.history')}>
          <RankHistory overview={o} />
        </Card>
        <Card span={5} title={t('race.departments')}>
          <DepartmentRace />
        </Card>
      </div>
    </Page>
  );
}

/** A sub-index with a small bar against the best county's. */
function DimensionCell({ value, all }: { value: number | null; all: (number | null)[] }) {
  const locale = useLocale();
  const max = Math.max(1, ...all.filter((x): x is number => x !== null));
  return (
    <span className="bar-cell" style={{ justifyContent: 'flex-end' }}>
      <span className="bar" style={{ width: value === null ? 0 : `${(value / max) * 40}px` }} aria-hidden="true" />
      <span style={{ minWidth: 36 }}>{formatScore(value, locale)}</span>
    </span>
  );
}

function RankHistory({ overview }: { overview: Overview }) {
  const t = useT();
  const counties = overview.units.slice(1);
  const years = overview.units[0]?.history.map((h) => String(h.year)) ?? [];
  const option = {
    tooltip: { trigger: 'axis' },
    legend: { type: 'scroll', bottom: 0 },
    grid: { left: 40, right: 24, top: 16, bottom: 48 },
    xAxis: { type: 'category', data: years },
    yAxis: {
      type: 'value',
      inverse: true,
      min: 1,
      max: Math.max(counties.length, 1),
      interval: 1,
      name: t('common.rank'),
    },
    series: counties.map((u) => ({
      type: 'line',
      name: u.name,
      data: u.history.map((h) => h.rank),
      smooth: false,
      symbolSize: 6,
    })),
  };
  if (years.length < 2) return <p className="muted">{t('race.noHistory')}</p>;
  return <Chart option={option} height={300} ariaLabel={t('race.history')} />;
}

/**
 * The units compared on their tasks (items led, milestones due, met on time, overdue or late, the
 * on-time rate) and on the problems they answer for (open, overdue, closed, the share closed).
 */
const DEPARTMENTS_SHOWN = 12;

function DepartmentRace() {
  const t = useT();
  const [all, setAll] = useState(false);
  const locale = useLocale();
  const problems = useApi(() => api.get<LoopFiguresResponse>('/loop-figures'), []);
  const taskFigures = useApi(() => api.get<TaskFiguresResponse>('/task-figures'), []);
  if (problems.error) return <ErrorBox error={problems.error} onRetry={problems.reload} />;
  if (problems.data === undefined || (taskFigures.data === undefined && !taskFigures.error)) return <Loading />;
  const rows = departmentRows(problems.data.byUnit, taskFigures.data?.byUnit ?? []);
  return (
    <>
      {taskFigures.error && <p className="muted">{t('race.taskFiguresUnavailable')}</p>}
      <DataTable
        limit={all ? undefined : DEPARTMENTS_SHOWN}
        dense
        testId="department-race"
        rows={rows}
        rowKey={(r) => r.unit}
        initialSort={{ key: 'overdue', dir: 'desc' }}
        empty={<Empty>{t('race.noProblems')}</Empty>}
        columns={[
          { key: 'name', header: t('race.unit'), sortValue: (r) => r.name, render: (r) => r.name },
          {
            key: 'itemsLed',
            header: t('race.itemsLed'),
            align: 'right',
            sortValue: (r) => r.itemsLed,
            descFirst: true,
            render: (r) => r.itemsLed,
          },
          {
            key: 'milestonesDue',
            header: t('race.milestonesDue'),
            align: 'right',
            sortValue: (r) => r.milestonesDue,
            descFirst: true,
            render: (r) => r.milestonesDue,
          },
          {
            key: 'metOnTime',
            header: t('race.milestonesOnTime'),
            align: 'right',
            sortValue: (r) => r.metOnTime,
            descFirst: true,
            render: (r) => r.metOnTime,
          },
          {
            key: 'missed',
            header: t('race.milestonesMissed'),
            align: 'right',
            sortValue: (r) => r.missed,
            descFirst: true,
            render: (r) => <span className={r.missed ? 'rank-down' : 'muted'}>{r.missed}</span>,
          },
          {
            key: 'onTimeRate',
            header: t('race.milestoneOnTimeRate'),
            align: 'right',
            sortValue: (r) => r.onTimeRate,
            descFirst: true,
            render: (r) => formatPercent(r.onTimeRate, locale),
          },
          {
            key: 'open',
            header: t('race.open'),
            align: 'right',
            sortValue: (r) => r.open,
            descFirst: true,
            render: (r) => r.open,
          },
          {
            key: 'overdue',
            header: t('problem.overdue'),
            align: 'right',
            sortValue: (r) => r.overdue,
            descFirst: true,
            render: (r) => <span className={r.overdue ? 'rank-down' : 'muted'}>{r.overdue}</span>,
          },
          {
            key: 'closed',
            header: t('race.closed'),
            align: 'right',
            sortValue: (r) => r.closed,
            descFirst: true,
            render: (r) => r.closed,
          },
          {
            key: 'share',
            header: t('race.closedShare'),
            align: 'right',
            sortValue: (r) => r.closedShare,
            descFirst: true,
            render: (r) => formatPercent(r.closedShare, locale),
          },
        ]}
      />
      {rows.length > DEPARTMENTS_SHOWN && (
        <button
          type="button"
          className="btn btn-small"
          style={{ marginTop: 8 }}
          aria-expanded={all}
          onClick={() => setAll((a) => !a)}
        >
          {all ? t('overview.fewerGoals') : t('overview.allGoals', { n: rows.length })}
        </button>
      )}
    </>
  );
}
