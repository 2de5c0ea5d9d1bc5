/**
 * One indicator: its definition and the plan's sentence, the target and its kind, the city's series
 * with the target line and the projection to the target year, the counties (bars and map) and how far
 * apart they are, the status in past runs, who answers for it, and its problems.
 */
import { useMemo } from 'react';
import { api } from '../../api';
import { RegionMap } from '../../charts/RegionMap';
import {
  Card,
  Chart,
  DataTable,
  Empty,
  ErrorBox,
  Loading,
  Page,
  StatusBadge,
  SyntheticBadge,
  useApi,
} from '../../components';
import { coefficientOfVariation, maxMin } from '../../../../src/engine/inequality.js';
import { displayNumber, formatDate, formatNumber, formatPercent, formatValue, unitLabel } from '../../format';
import { useLocale, useName, useT } from '../../i18n';
import { fetchProblems } from '../../problems';
import { Link, navigate, useParams } from '../../router';
import { STATUS_COLOURS, asStatus } from '../../status';
import type { Cell, Indicator, Overview, Plan } from '../../types';

interface RunSummary {
  id: number;
  asOfYear: number;
  createdAt: string;
  frozen: boolean;
  label: string | null;
}

export default function IndicatorPage() {
  const { code } = useParams<{ code: string }>();
  const t = useT();
  const locale = useLocale();
  const name = useName();
  const indicator = useApi(() => api.get<Indicator>(`/indicators/${encodeURIComponent(code)}`), [code]);
  const overview = useApi(() => api.get<Overview>('/overview'), []);
  const runId = overview.data?.run.id;
  const cells = useApi(
    () =>
      runId ? api.get<{ items: Cell[] }>(`/evaluations/${runId}/cells`, { indicator: code }) : Promise.resolve(null),
    [runId, code],
  );
  const plan = useApi(() => api.get<Plan>('/plan'), []);
  const problems = useApi(() => fetchProblems({ indicator: code }), [code]);

  if (indicator.error)
    return (
      <Page title={code}>
        <ErrorBox error={indicator.error} onRetry={indicator.reload} />
      </Page>
    );
  if (!indicator.data || !overview.data)
    return (
      <Page title={code}>
        <Loading />
      </Page>
    );
  const ind = indicator.data;
  const o = overview.data;
  const root = o.plan.rootOrgUnit;
  const counties = o.units.slice(1);
  const all = cells.data?.items ?? [];
  const cityCell = all.find((c) => c.orgUnit === root);
  const countyCells = counties.map((u) => ({ unit: u, cell: all.find((c) => c.orgUnit === u.code) }));
  const target = cityCell?.detail.targets?.[0];
  const dimension = o.dimensions.find((d) => d.code === ind.dimension);
  const tasks = (plan.data?.tasks ?? []).filter((tk) => ind.tasks.includes(tk.number));
  const synthetic = o.values.synthetic > 0;

  return (
    <Page
      title={name(ind.name)}
      badges={
        <>
          {cityCell && <StatusBadge status={cityCell.status} />}
          {synthetic && <SyntheticBadge />}
        </>
      }
      subtitle={
        <>
          <code>{ind.code}</code> · {dimension ? name(dimension.name) : ind.dimension} · {unitLabel(ind.unit, locale)} ·{' '}
          {t(`direction.${ind.direction}`)}
        </>
      }
      actions={<Link to="/indicators">{t('indicator.all')}</Link>}
    >
      <div className="grid">
        <Card span={5} title={t('indicator.definition')}>
          <dl className="meta-list">
            <dt>{t('indicator.source')}</dt>
            <dd>
              <blockquote className="source" lang="zh-CN">
                {ind.source}
              </blockquote>
            </dd>
            {ind.description && (
              <>
                <dt>{t('indicator.description')}</dt>
                <dd>{name(ind.description)}</dd>
              </>
            )}
            <dt>{t('indicator.computation')}</dt>
            <dd>{t(`computation.${ind.computation.kind}`)}</dd>
            <dt>{t('indicator.levels')}</dt>
            <dd>{ind.levels.map((l) => t(`level.${l}`)).join('、')}</dd>
            <dt>{t('indicator.periodicity')}</dt>
            <dd>{t(`periodicity.${ind.periodicity}`)}</dd>
            {ind.baseline && (
              <>
                <dt>{t('indicator.baseline')}</dt>
                <dd>
                  {formatValue(ind.baseline.value, ind.unit, locale)} ({ind.baseline.year})
                </dd>
              </>
            )}
            <dt>{t('indicator.targets')}</dt>
            <dd>
              {ind.targets.length === 0
                ? t('indicator.noTarget')
                : ind.targets.map((tg, i) => <TargetText key={i} target={tg} unit={ind.unit} />)}
            </dd>
            <dt>{t('indicator.responsible')}</dt>
            <dd>
              {tasks.length === 0 ? (
                <span className="muted">{t('indicator.noTask')}</span>
              ) : (
                tasks.map((tk) => (
                  <div key={tk.number}>
                    {t('indicator.task', { n: tk.number })} {name(tk.title)}：
                    <strong>{tk.lead.map((l) => l.unit).join('、') || '—'}</strong>
                    {tk.lead.some((l) => l.demo) && (
                      <span className="badge synthetic" title={t('indicator.demoLeadHint')}>
                        {t('indicator.demoLead')}
                      </span>
                    )}
                  </div>
                ))
              )}
            </dd>
            {ind.note && (
              <>
                <dt>{t('indicator.note')}</dt>
                <dd className="small muted">{ind.note}</dd>
              </>
            )}
          </dl>
        </Card>
        <Card span={7} title={t('indicator.series', { name: counties.length ? o.units[0]!.name : '' })}>
          {cells.error ? (
            <ErrorBox error={cells.error} onRetry={cells.reload} />
          ) : !cells.data ? (
            <Loading />
          ) : cityCell ? (
            <>
              <SeriesChart cell={cityCell} unit={ind.unit} targetYear={o.plan.targetYear} />
              {target && (
                <p className="small muted">
                  {t('indicator.latest', {
                    value: formatValue(cityCell.value, ind.unit, locale),
                    year: cityCell.year ?? '—',
                  })}
                  {target.projection !== null &&
                    target.projection !== undefined &&
                    ' · ' +
                      t('indicator.projection', {
                        value: formatValue(target.projection, ind.unit, locale),
                        year: target.targetYear ?? o.plan.targetYear,
                      })}
                  {target.progress !== null &&
                    target.progress !== undefined &&
                    ' · ' + t('overview.progress', { p: formatPercent(target.progress, locale) })}
                </p>
              )}
            </>
          ) : (
            <Empty>{t('indicator.notAtRoot')}</Empty>
          )}
        </Card>

        <Card span={7} title={t('indicator.counties')}>
          {!cells.data ? (
            <Loading />
          ) : countyCells.every((c) => !c.cell) ? (
            <Empty>{t('indicator.noCounties')}</Empty>
          ) : (
            <CountyBars rows={countyCells} unit={ind.unit} direction={ind.direction} />
          )}
        </Card>
        <Card span={5} title={t('indicator.map')}>
          {cells.data && countyCells.some((c) => c.cell) ? (
            <RegionMap
              height={320}
              mode="value"
              higherIsBetter={ind.direction !== 'down'}
              data={countyCells.map(({ unit, cell }) => ({
                code: unit.code,
                name: unit.name,
                value: displayNumber(cell?.value, ind.unit),
                label: cell ? formatValue(cell.value, ind.unit, locale) : t('common.none'),
              }))}
              onSelect={(c) => navigate(`/org-units/${c}`)}
            />
          ) : (
            <Empty />
          )}
          <Disparity
            values={countyCells.map((c) => ({ name: c.unit.name, value: c.cell?.value ?? null }))}
            unit={ind.unit}
          />
        </Card>

        <Card span={6} title={t('indicator.statusHistory')}>
          <StatusHistory code={ind.code} root={root} />
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
                  <span className="badge">{p.statusLabel ? name(p.statusLabel) : p.status}</span>{' '}
                  {p.overdue && (
                    <span className="badge" style={{ color: STATUS_COLOURS.off_track }}>
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

function TargetText({ target, unit }: { target: Indicator['targets'][number]; unit: string }) {
  const t = useT();
  const locale = useLocale();
  const tg = target as {
    kind: string;
    op?: string;
    value?: number;
    year?: number;
    rate?: number;
    amount?: number;
    source?: string;
  };
  const parts = [t(`targetKind.${tg.kind}`)];
  if (typeof tg.value === 'number') parts.push(`${tg.op ?? '≥'} ${formatValue(tg.value, unit, locale)}`);
  if (typeof tg.rate === 'number') parts.push(`${formatNumber(tg.rate * 100, locale, 1)}%/${t('common.yearShort')}`);
  if (typeof tg.amount === 'number') parts.push(`+${formatValue(tg.amount, unit, locale)}/${t('common.yearShort')}`);
  if (typeof tg.year === 'number') parts.push(`(${tg.year})`);
  return (
    <div>
      <span className="badge">{parts[0]}</span> {parts.slice(1).join(' ')}
      {tg.source && <div className="small muted">“{tg.source}”</div>}
    </div>
  );
}

function SeriesChart({ cell, unit, targetYear }: { cell: Cell; unit: string; targetYear: number }) {
  const t = useT();
  const locale = useLocale();
  const series = cell.detail.series;
  const target = cell.detail.targets?.[0];
  const option = useMemo(() => {
    const years = [...(series?.years ?? [])];
    const lastYear = years[years.length - 1] ?? targetYear;
    for (let y = lastYear + 1; y <= Math.max(targetYear, target?.targetYear ?? 0); y++) years.push(y);
    const values = years.map((_, i) => displayNumber(series?.values[i] ?? null, unit));
    const lastIdx = values.map((v) => v !== null).lastIndexOf(true);
    const projection = years.map(() => null as number | null);
    const projected = displayNumber(target?.projection, unit);
    const tYear = target?.targetYear ?? targetYear;
    if (lastIdx >= 0 && projected !== null && tYear > years[lastIdx]!) {
      projection[lastIdx] = values[lastIdx]!;
      projection[years.indexOf(tYear)] = projected;
    }
    const targetValue = displayNumber(target?.targetValue, unit);
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v: number | null) => (v === null ? '—' : formatNumber(v, locale)) },
      legend: { bottom: 0 },
      grid: { left: 56, right: 24, top: 24, bottom: 48 },
      xAxis: { type: 'category', data: years.map(String) },
      yAxis: { type: 'value', name: unitLabel(unit, locale), scale: true },
      series: [
        {
          type: 'line',
          name: t('indicator.actual'),
          data: values,
          symbolSize: 7,
          lineStyle: { width: 2.5, color: '#1d4e89' },
          itemStyle: { color: '#1d4e89' },
          markLine:
            targetValue !== null
              ? {
                  symbol: 'none',
                  lineStyle: { type: 'dashed', color: STATUS_COLOURS.off_track },
                  label: { formatter: `${t('common.target')} ${formatValue(target?.targetValue, unit, locale)}` },
                  data: [{ yAxis: targetValue }],
                }
              : undefined,
        },
        {
          type: 'line',
          name: t('indicator.projectionLine'),
          data: projection,
          connectNulls: true,
          lineStyle: { type: 'dotted', width: 2, color: '#8a94a6' },
          itemStyle: { color: '#8a94a6' },
          symbol: 'emptyCircle',
        },
      ],
    };
  }, [series, unit, target, targetYear, t, locale]);
  return <Chart option={option} height={300} ariaLabel={t('indicator.series', { name: '' })} />;
}

function CountyBars({
  rows,
  unit,
  direction,
}: {
  rows: { unit: { code: string; name: string }; cell: Cell | undefined }[];
  unit: string;
  direction: string;
}) {
  const t = useT();
  const locale = useLocale();
  const sorted = [...rows].sort(
    (a, b) => (direction === 'down' ? 1 : -1) * ((a.cell?.value ?? -Infinity) - (b.cell?.value ?? -Infinity)),
  );
  const option = {
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (v: number | null) => (v === null ? '—' : formatNumber(v, locale)),
    },
    grid: { left: 72, right: 56, top: 8, bottom: 24 },
    xAxis: { type: 'value', name: unitLabel(unit, locale) },
    yAxis: { type: 'category', data: sorted.map((r) => r.unit.name), inverse: true },
    series: [
      {
        type: 'bar',
        data: sorted.map((r) => ({
          value: displayNumber(r.cell?.value, unit),
          itemStyle: { color: STATUS_COLOURS[asStatus(r.cell?.status)] },
        })),
        label: {
          show: true,
          position: 'right',
          formatter: (p: { value: number | null }) => (p.value === null ? '—' : formatNumber(p.value, locale)),
        },
        barMaxWidth: 18,
      },
    ],
  };
  return (
    <>
      <Chart
        option={option}
        height={Math.max(220, rows.length * 30 + 40)}
        ariaLabel={t('indicator.counties')}
        onEvents={{
          click: (p) => {
            const i = (p as { dataIndex: number }).dataIndex;
            const r = sorted[i];
            if (r) navigate(`/org-units/${r.unit.code}`);
          },
        }}
      />
      <p className="small muted">{t('indicator.barColours')}</p>
    </>
  );
}

/** How far apart the counties are: 倍差 (max/min), range and coefficient of variation (src/engine/inequality). */
function Disparity({ values, unit }: { values: { name: string; value: number | null }[]; unit: string }) {
  const t = useT();
  const locale = useLocale();
  const present = values.filter(
    (v): v is { name: string; value: number } => v.value !== null && Number.isFinite(v.value),
  );
  if (present.length < 2) return null;
  const column = Float64Array.from(present, (v) => v.value);
  const mm = maxMin(column);
  const cv = coefficientOfVariation(column);
  return (
    <dl className="meta-list" style={{ marginTop: 12 }} data-testid="disparity">
      <dt>{t('indicator.maxMin')}</dt>
      <dd>{Number.isFinite(mm.maxMinRatio) ? formatNumber(mm.maxMinRatio, locale, 2) : '—'}</dd>
      <dt>{t('indicator.highest')}</dt>
      <dd>
        {present[mm.maxIndex]?.name} {formatValue(mm.max, unit, locale)}
      </dd>
      <dt>{t('indicator.lowest')}</dt>
      <dd>
        {present[mm.minIndex]?.name} {formatValue(mm.min, unit, locale)}
      </dd>
      <dt>{t('indicator.cv')}</dt>
      <dd>{Number.isFinite(cv) ? formatNumber(cv, locale, 3) : '—'}</dd>
    </dl>
  );
}

/** The city's status for this indicator in each stored run (newest first, up to ten). */
function StatusHistory({ code, root }: { code: string; root: string }) {
  const t = useT();
  const locale = useLocale();
  const state = useApi(async () => {
    const runs = (await api.get<{ items: RunSummary[] }>('/evaluations')).items.slice(0, 10);
    return Promise.all(
      runs.map(async (r) => ({
        run: r,
        cell: (await api.get<{ items: Cell[] }>(`/evaluations/${r.id}/cells`, { indicator: code, orgUnit: root }))
          .items[0],
      })),
    );
  }, [code, root]);
  if (state.error) return <ErrorBox error={state.error} onRetry={state.reload} />;
  if (!state.data) return <Loading />;
  return (
    <DataTable
      dense
      rows={state.data}
      rowKey={(r) => String(r.run.id)}
      columns={[
        {
          key: 'run',
          header: t('indicator.run'),
          render: (r) => `#${r.run.id}${r.run.label ? ` ${r.run.label}` : ''}`,
        },
        { key: 'at', header: t('indicator.evaluatedAt'), render: (r) => formatDate(r.run.createdAt, locale, true) },
        { key: 'year', header: t('common.year'), render: (r) => r.run.asOfYear },
        {
          key: 'status',
          header: t('indicator.status'),
          render: (r) => <StatusBadge status={r.cell?.status ?? 'no_data'} />,
        },
      ]}
    />
  );
}
