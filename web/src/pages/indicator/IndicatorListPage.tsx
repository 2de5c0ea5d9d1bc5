/** All indicators of the plan with the city's status, filterable by goal area, status and text. */
import { useMemo } from 'react';
import { api } from '../../api';
import { Card, DataTable, ErrorBox, Loading, Page, StatusBadge, useApi, type Column } from '../../components';
import { formatValue } from '../../format';
import { useLocale, useName, useT } from '../../i18n';
import { Link, navigate, useQuery } from '../../router';
import { STATUS_SEVERITY, STATUSES, asStatus, statusKey } from '../../status';
import type { Cell, Indicator, Overview } from '../../types';

interface Row {
  indicator: Indicator;
  cell: Cell | undefined;
}

export default function IndicatorListPage() {
  const t = useT();
  const locale = useLocale();
  const name = useName();
  const [query, setQuery] = useQuery();
  const overview = useApi(() => api.get<Overview>('/overview'), []);
  const indicators = useApi(() => api.get<{ items: Indicator[] }>('/indicators'), []);
  const root = overview.data?.plan.rootOrgUnit;
  const cells = useApi(
    () =>
      overview.data
        ? api.get<{ items: Cell[] }>(`/evaluations/${overview.data.run.id}/cells`, { orgUnit: root })
        : Promise.resolve(null),
    [overview.data?.run.id, root],
  );

  const rows: Row[] = useMemo(() => {
    const byCode = new Map((cells.data?.items ?? []).map((c) => [c.indicator, c]));
    const text = (query.q ?? '').trim().toLowerCase();
    return (indicators.data?.items ?? [])
      .map((i) => ({ indicator: i, cell: byCode.get(i.code) }))
      .filter((r) => !query.dimension || r.indicator.dimension === query.dimension)
      .filter((r) => !query.status || asStatus(r.cell?.status) === query.status)
      .filter(
        (r) =>
          !text ||
          r.indicator.code.toLowerCase().includes(text) ||
          r.indicator.name.zh.includes(text) ||
          (r.indicator.name.en ?? '').toLowerCase().includes(text),
      );
  }, [indicators.data, cells.data, query.dimension, query.status, query.q]);

  const columns: Column<Row>[] = [
    {
      key: 'status',
      header: t('indicator.status'),
      sortValue: (r) => STATUS_SEVERITY[asStatus(r.cell?.status)],
      render: (r) => <StatusBadge status={r.cell?.status ?? 'no_data'} />,
      width: 110,
    },
    {
      key: 'name',
      header: t('orgUnit.indicator'),
      sortValue: (r) => name(r.indicator.name),
      render: (r) => <Link to={`/indicators/${r.indicator.code}`}>{name(r.indicator.name)}</Link>,
    },
    {
      key: 'code',
      header: t('indicator.code'),
      sortValue: (r) => r.indicator.code,
      render: (r) => <code className="small">{r.indicator.code}</code>,
    },
    {
      key: 'dimension',
      header: t('overview.dimension'),
      sortValue: (r) => r.indicator.dimension,
      render: (r) => (
        <span className="small muted">
          {name(overview.data?.dimensions.find((d) => d.code === r.indicator.dimension)?.name)}
        </span>
      ),
    },
    {
      key: 'value',
      header: t('common.value'),
      align: 'right',
      sortValue: (r) => r.cell?.value,
      descFirst: true,
      render: (r) => formatValue(r.cell?.value, r.indicator.unit, locale),
    },
    {
      key: 'kind',
      header: t('indicator.targets'),
      render: (r) => r.indicator.targets.map((tg) => t(`targetKind.${tg.kind}`)).join('、') || '—',
    },
  ];

  const error = overview.error ?? indicators.error ?? cells.error;
  return (
    <Page title={t('nav.indicators')} subtitle={t('indicator.listSubtitle')}>
      <Card
        title={t('indicator.count', { n: rows.length })}
        actions={
          <div className="toolbar">
            <input
              type="search"
              placeholder={t('indicator.search')}
              aria-label={t('indicator.search')}
              value={query.q ?? ''}
              onChange={(e) => setQuery({ q: e.target.value })}
            />
            <select
              aria-label={t('overview.dimension')}
              value={query.dimension ?? ''}
              onChange={(e) => setQuery({ dimension: e.target.value })}
            >
              <option value="">{t('common.all')}</option>
              {overview.data?.dimensions.map((d) => (
                <option key={d.code} value={d.code}>
                  {name(d.name)}
                </option>
              ))}
            </select>
            <select
              aria-label={t('indicator.status')}
              value={query.status ?? ''}
              onChange={(e) => setQuery({ status: e.target.value })}
            >
              <option value="">{t('common.all')}</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(statusKey(s))}
                </option>
              ))}
            </select>
          </div>
        }
      >
        {error ? (
          <ErrorBox error={error} />
        ) : !indicators.data || !cells.data ? (
          <Loading />
        ) : (
          <DataTable
            rows={rows}
            rowKey={(r) => r.indicator.code}
            columns={columns}
            initialSort={{ key: 'status', dir: 'asc' }}
            onRowClick={(r) => navigate(`/indicators/${r.indicator.code}`)}
            dense
          />
        )}
      </Card>
    </Page>
  );
}
