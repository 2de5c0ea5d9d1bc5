/**
 * A county's or town's scorecard: every indicator evaluated at the unit with its status, value and
 * target; its composite index and rank among its peers; its problems; and its towns to drill into.
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
  StatusBadge,
  SyntheticBadge,
  useApi,
  type Column,
} from '../../components';
import { formatDate, formatPercent, formatRankChange, rankChangeClass, formatScore, formatValue } from '../../format';
import { useLocale, useName, useT } from '../../i18n';
import { fetchProblems } from '../../problems';
import { Link, navigate, useParams } from '../../router';
import { STATUS_COLOURS, STATUS_SEVERITY, STATUSES, asStatus, statusKey } from '../../status';
import type { Cell, Indicator, OrgUnit, Overview } from '../../types';

interface Row {
  cell: Cell;
  indicator: Indicator | undefined;
}

export default function OrgUnitPage() {
  const { code } = useParams<{ code: string }>();
  const t = useT();
  const locale = useLocale();
  const name = useName();
  const unit = useApi(
    () =>
      api.get<OrgUnit & { ancestors: OrgUnit[]; children: number; subtree: Record<string, number> }>(
        `/org-units/${encodeURIComponent(code)}`,
      ),
    [code],
  );
  const overview = useApi(() => api.get<Overview>('/overview'), []);
  const indicators = useApi(() => api.get<{ items: Indicator[] }>('/indicators'), []);
  const runId = overview.data?.run.id;
  const cells = useApi(
    () =>
      runId ? api.get<{ items: Cell[] }>(`/evaluations/${runId}/cells`, { orgUnit: code }) : Promise.resolve(null),
    [runId, code],
  );
  const children = useApi(
    () => api.get<{ items: (OrgUnit & { children: number })[] }>('/org-units', { parent: code }),
    [code],
  );
  const problems = useApi(() => fetchProblems({ orgUnit: code }), [code]);
  const [filter, setFilter] = useState<string>('all');

  const byCode = useMemo(() => new Map((indicators.data?.items ?? []).map((i) => [i.code, i])), [indicators.data]);
  const rows: Row[] = useMemo(
    () => (cells.data?.items ?? []).map((cell) => ({ cell, indicator: byCode.get(cell.indicator) })),
    [cells.data, byCode],
  );
  const shown = filter === 'all' ? rows : rows.filter((r) => asStatus(r.cell.status) === filter);

  const columns: Column<Row>[] = [
    {
      key: 'status',
      header: t('indicator.status'),
      sortValue: (r) => STATUS_SEVERITY[asStatus(r.cell.status)],
      render: (r) => <StatusBadge status={r.cell.status} />,
      width: 110,
    },
    {
      key: 'name',
      header: t('orgUnit.indicator'),
      sortValue: (r) => (r.indicator ? name(r.indicator.name) : r.cell.indicator),
      render: (r) => (
        <Link to={`/indicators/${r.cell.indicator}`}>{r.indicator ? name(r.indicator.name) : r.cell.indicator}</Link>
      ),
    },
    {
      key: 'dimension',
      header: t('overview.dimension'),
      sortValue: (r) => r.indicator?.dimension ?? '',
      render: (r) => {
        const d = overview.data?.dimensions.find((x) => x.code === r.indicator?.dimension);
        return <span className="muted small">{d ? name(d.name) : r.indicator?.dimension}</span>;
      },
    },
    {
      key: 'value',
      header: t('common.value'),
      align: 'right',
      sortValue: (r) => r.cell.value,
      descFirst: true,
      render: (r) => formatValue(r.cell.value, r.indicator?.unit, locale),
    },
    {
      key: 'year',
      header: t('common.year'),
      align: 'center',
      sortValue: (r) => r.cell.year,
      render: (r) => r.cell.year ?? '—',
    },
    {
      key: 'target',
      header: t('common.target'),
      align: 'right',
      render: (r) => {
        const tg = r.cell.detail.targets?.[0];
        return tg?.targetValue !== null && tg?.targetValue !== undefined
          ? `${formatValue(tg.targetValue, r.indicator?.unit, locale)} (${tg.targetYear})`
          : tg
            ? t(`targetKind.${tg.kind}`)
            : '—';
      },
    },
    {
      key: 'progress',
      header: t('orgUnit.progress'),
      align: 'right',
      sortValue: (r) => r.cell.detail.targets?.[0]?.progress ?? null,
      descFirst: true,
      render: (r) => formatPercent(r.cell.detail.targets?.[0]?.progress, locale),
    },
    {
      key: 'trend',
      header: t('race.trend'),
      render: (r) => (
        <Sparkline
          values={r.cell.detail.series?.values ?? []}
          width={90}
          height={22}
          colour={STATUS_COLOURS[asStatus(r.cell.status)]}
        />
      ),
    },
  ];

  if (unit.error)
    return (
      <Page title={code}>
        <ErrorBox error={unit.error} onRetry={unit.reload} />
      </Page>
    );
  if (!unit.data || !overview.data)
    return (
      <Page title={code}>
        <Loading />
      </Page>
    );
  const u = unit.data;
  const o = overview.data;
  const raced = o.units.find((x) => x.code === code);
  const counts = Object.fromEntries(
    STATUSES.map((s) => [s, rows.filter((r) => asStatus(r.cell.status) === s).length]),
  ) as Record<string, number>;

  return (
    <Page
      title={u.name}
      badges={o.values.synthetic > 0 ? <SyntheticBadge /> : undefined}
      subtitle={
        <nav aria-label={t('orgUnit.breadcrumb')} className="breadcrumb">
          {u.ancestors
            .filter(
              (a) =>
                a.path?.startsWith(`/${o.plan.rootOrgUnit}`) || a.code === o.plan.rootOrgUnit || a.level !== 'province',
            )
            .map((a) => (
              <span key={a.code}>
                {a.code === o.plan.rootOrgUnit ? (
                  <Link to="/">{a.name}</Link>
                ) : (
                  <Link to={`/org-units/${a.code}`}>{a.name}</Link>
                )}{' '}
                ›{' '}
              </span>
            ))}
          <span>
            {u.name} · {t(`level.${u.level}`)} · <code>{u.code}</code>
          </span>
        </nav>
      }
    >
      <div className="kpi-row">
        <div className="kpi-tile kpi">
          <span className="kpi-label">{t('race.index')}</span>
          <span className="kpi-value" data-testid="unit-index">
            {formatScore(raced?.index, locale)}
          </span>
          {raced && <Sparkline values={raced.history.map((h) => h.index)} width={140} />}
        </div>
        <div className="kpi-tile kpi">
          <span className="kpi-label">{t('common.rank')}</span>
          <span className="kpi-value" data-testid="unit-rank">
            {raced?.rank ? `${raced.rank} / ${o.units.length - 1}` : '—'}
          </span>
          <span className={`small ${rankChangeClass(raced?.rankChange)}`}>
            {raced ? t('orgUnit.rankChange', { c: formatRankChange(raced.rankChange) }) : t('orgUnit.notRaced')}
          </span>
        </div>
        {(['achieved', 'on_track', 'at_risk', 'off_track'] as const).map((s) => (
          <button
            key={s}
            type="button"
            className="kpi-tile kpi kpi-button"
            aria-pressed={filter === s}
            onClick={() => setFilter(filter === s ? 'all' : s)}
          >
            <span className="kpi-label">{t(statusKey(s))}</span>
            <span className="kpi-value" style={{ color: STATUS_COLOURS[s] }}>
              {counts[s] ?? 0}
            </span>
          </button>
        ))}
      </div>
      <div className="grid">
        <Card
          span={raced ? 8 : 12}
          title={t('orgUnit.scorecard', { n: rows.length })}
          actions={
            filter !== 'all' ? (
              <button type="button" className="btn btn-small" onClick={() => setFilter('all')}>
                {t('common.all')}
              </button>
            ) : undefined
          }
          testId="scorecard"
        >
          {cells.error ? (
            <ErrorBox error={cells.error} onRetry={cells.reload} />
          ) : !cells.data || !indicators.data ? (
            <Loading />
          ) : (
            <DataTable
              dense
              rows={shown}
              rowKey={(r) => r.cell.indicator}
              columns={columns}
              initialSort={{ key: 'status', dir: 'asc' }}
              empty={<Empty>{t('orgUnit.noCells')}</Empty>}
            />
          )}
        </Card>
        {raced && (
          <Card span={4} title={t('orgUnit.dimensions')}>
            <DimensionRadar overview={o} code={code} />
          </Card>
        )}
        <Card span={6} title={t('orgUnit.children', { n: children.data?.items.length ?? 0 })}>
          {children.error ? (
            <ErrorBox error={children.error} />
          ) : !children.data ? (
            <Loading />
          ) : children.data.items.length === 0 ? (
            <Empty />
          ) : (
            <div className="chips">
              {children.data.items.map((c) => (
                <Link key={c.code} to={`/org-units/${c.code}`} className="btn btn-small">
                  {c.name}
                </Link>
              ))}
            </div>
          )}
          <p className="small muted">{t('orgUnit.childrenHint')}</p>
        </Card>
        <Card span={6} title={t('indicator.problems')}>
          {problems.error ? (
            <ErrorBox error={problems.error} />
          ) : problems.data === undefined ? (
            <Loading />
          ) : problems.data === null ? (
            <p className="muted">{t('overview.problemsUnavailable')}</p>
          ) : problems.data.length === 0 ? (
            <Empty>{t('indicator.noProblems')}</Empty>
          ) : (
            <ul className="plain-list">
              {problems.data.map((p) => (
                <li key={p.id}>
                  <Link to={`/problems?id=${p.id}`}>{p.title}</Link>{' '}
                  <span className="badge">{p.statusLabel ? name(p.statusLabel) : p.status}</span>
                  {p.overdue && (
                    <span className="badge" style={{ color: STATUS_COLOURS.off_track }}>
                      {' '}
                      {t('problem.overdue')}
                    </span>
                  )}
                  {p.deadline && <span className="muted small"> · {formatDate(p.deadline, locale)}</span>}
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </Page>
  );
}

function DimensionRadar({ overview, code }: { overview: Overview; code: string }) {
  const t = useT();
  const name = useName();
  const unit = overview.units.find((u) => u.code === code);
  const city = overview.units[0];
  if (!unit) return <Empty />;
  const option = {
    tooltip: {},
    legend: { bottom: 0 },
    radar: { indicator: overview.dimensions.map((d) => ({ name: name(d.name).slice(0, 6), max: 100 })), radius: '62%' },
    series: [
      {
        type: 'radar',
        data: [
          {
            name: unit.name,
            value: overview.dimensions.map((d) => unit.dimensions[d.code] ?? 0),
            areaStyle: { opacity: 0.2 },
          },
          ...(city && city.code !== code
            ? [
                {
                  name: city.name,
                  value: overview.dimensions.map((d) => city.dimensions[d.code] ?? 0),
                  lineStyle: { type: 'dashed' },
                },
              ]
            : []),
        ],
      },
    ],
  };
  return (
    <>
      <Chart option={option} height={300} ariaLabel={t('orgUnit.dimensions')} />
      <DataTable
        dense
        rows={overview.dimensions}
        rowKey={(d) => d.code}
        columns={[
          { key: 'd', header: t('overview.dimension'), render: (d) => name(d.name) },
          {
            key: 'v',
            header: t('race.index'),
            align: 'right',
            render: (d) => formatScore(unit.dimensions[d.code], 'zh-CN'),
          },
        ]}
      />
      <button type="button" className="btn btn-small" style={{ marginTop: 8 }} onClick={() => navigate('/race')}>
        {t('nav.race')}
      </button>
    </>
  );
}
