/**
 * 考核: a period's appraisal table — rank with ties, rank change, total ± its uncertainty, each
 * component's points, bonuses and deductions, and a "≈" where a place is within the uncertainty of
 * the neighbour's — with the run's state (draft / frozen / published), version and correction reason,
 * and a stacked bar chart of what each total is made of. The server scopes the rows: a county's
 * leader sees the county's own row.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../../api';
import {
  Card,
  Chart,
  DataTable,
  Empty,
  ErrorBox,
  Loading,
  Page,
  SyntheticBadge,
  useApi,
  type Column,
} from '../../components';
import { formatDate, formatNumber, formatPeriod, formatRankChange, rankChangeClass } from '../../format';
import { useLocale, useName, useT, type Translate } from '../../i18n';
import { Link, navigate, useQuery } from '../../router';
import { useSession } from '../../session';
import type { Overview } from '../../types';
import { neighbourMark, type AppraisalRow, type AppraisalRun, type AppraisalTable, type Subject } from './types';

const points = (x: number | null | undefined, locale: 'zh-CN' | 'en') => formatNumber(x, locale, 2);

/** Where a unit's breakdown lives, keeping the subject and version picked. */
export function breakdownPath(period: string, code: string, subject: Subject, version?: number): string {
  const q = new URLSearchParams();
  if (subject !== 'county') q.set('subject', subject);
  if (version !== undefined) q.set('version', String(version));
  const qs = q.toString();
  return `/appraisal/${encodeURIComponent(period)}/${encodeURIComponent(code)}${qs ? `?${qs}` : ''}`;
}

export function RunState({ run }: { run: AppraisalRun }) {
  const t = useT();
  const locale = useLocale();
  const name = useName();
  const state = run.published ? 'published' : run.frozen ? 'frozen' : 'draft';
  return (
    <div className="toolbar" data-testid="appraisal-state" data-state={state} data-version={run.version}>
      <span className="badge" style={run.published ? { borderColor: '#0072B2', color: '#0072B2' } : undefined}>
        {t(`appraisal.state.${state}`)}
      </span>
      <span className="badge">{t('appraisal.versionN', { n: run.version })}</span>
      <span className="muted small">
        {t('appraisal.scheme')}: {name(run.scheme.title)} (v{run.scheme.version})
      </span>
      {run.publishedAt && (
        <span className="muted small">
          {t('appraisal.publishedAt', { at: formatDate(run.publishedAt, locale, true) })}
        </span>
      )}
      {run.correctedFrom !== null && (
        <span className="badge" data-testid="appraisal-correction">
          {t('appraisal.correction', { v: run.version - 1, reason: run.reason ?? '—' })}
        </span>
      )}
    </div>
  );
}

/** "≈" or "=" with its explanation on hover and for screen readers. */
export function NeighbourMark({ row, t, locale }: { row: AppraisalRow; t: Translate; locale: 'zh-CN' | 'en' }) {
  const mark = neighbourMark(row);
  if (!mark) return null;
  const notes = [row.significance.above, row.significance.below]
    .filter((n) => n && n.verdict !== 'clear')
    .map((n) => (locale === 'en' ? n!.note.en : n!.note.zh))
    .join('；');
  const hint = t(mark === '=' ? 'appraisal.tiedHint' : 'appraisal.approxHint', { notes });
  return (
    <span className="neighbour-mark" title={hint} data-mark={mark} style={{ cursor: 'help', fontWeight: 600 }}>
      <span aria-hidden="true">{mark}</span>
      <span className="sr-only">{hint}</span>
    </span>
  );
}

const COMPONENT_COLOURS = ['#0072B2', '#009E73', '#E69F00', '#56B4E9', '#CC79A7', '#F0E442'];

function CompositionChart({ rows }: { rows: AppraisalRow[] }) {
  const t = useT();
  const name = useName();
  const option = useMemo(() => {
    const sorted = [...rows].sort((a, b) => a.rank - b.rank || a.orgUnit.localeCompare(b.orgUnit)).reverse();
    const components = sorted[0]?.components ?? [];
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { bottom: 0, type: 'scroll' },
      grid: { left: 8, right: 24, top: 8, bottom: 40, containLabel: true },
      xAxis: { type: 'value', name: t('breakdown.points') },
      yAxis: { type: 'category', data: sorted.map((r) => r.name) },
      series: [
        ...components.map((c, i) => ({
          type: 'bar',
          stack: 'total',
          name: c.title ? name(c.title) : c.code,
          itemStyle: { color: COMPONENT_COLOURS[i % COMPONENT_COLOURS.length] },
          data: sorted.map((r) => Number((r.components.find((x) => x.code === c.code)?.points ?? 0).toFixed(2))),
        })),
        {
          type: 'bar',
          stack: 'total',
          name: t('appraisal.bonuses'),
          itemStyle: { color: '#7fc97f', decal: { symbol: 'rect', dashArrayX: [1, 0], dashArrayY: [2, 3] } },
          data: sorted.map((r) => r.bonuses),
        },
        {
          type: 'bar',
          stack: 'total',
          name: t('appraisal.deductionsNeg'),
          itemStyle: { color: '#D55E00' },
          data: sorted.map((r) => -r.deductions),
        },
      ],
    };
  }, [rows, t, name]);
  return (
    <>
      <Chart
        option={option}
        height={Math.max(240, rows.length * 34 + 80)}
        ariaLabel={t('appraisal.chart')}
        testId="appraisal-chart"
      />
      <p className="muted small">{t('appraisal.chartHint')}</p>
    </>
  );
}

type Step = 'score' | 'freeze' | 'publish' | 'correct';

/**
 * Score again, freeze, publish — or, once published, correct with a reason (a new version) — the
 * latest version of a period. Each button shows only to whom the server allows it (scoring needs
 * appraisal.edit, freezing and publishing appraisal.approve, on the plan's root) and asks first.
 */
function PublishControls({
  period,
  subject,
  latest,
  onDone,
}: {
  period: string;
  subject: Subject;
  latest: AppraisalRun;
  onDone: (run: AppraisalRun, step: Step) => void;
}) {
  const t = useT();
  const { user, can } = useSession();
  const overview = useApi(() => (user ? api.get<Overview>('/overview') : Promise.resolve(null)), [user?.id]);
  const [step, setStep] = useState<Step | null>(null);
  const root = overview.data?.plan.rootOrgUnit;
  if (!user || !root) return null;
  const canEdit = can('appraisal.edit', root);
  const canApprove = can('appraisal.approve', root);
  const steps: Step[] = latest.published
    ? canEdit
      ? ['correct']
      : []
    : [
        ...(canEdit ? (['score'] as const) : []),
        ...(canApprove && !latest.frozen ? (['freeze'] as const) : []),
        ...(canApprove ? (['publish'] as const) : []),
      ];
  if (steps.length === 0) return null;
  return (
    <div className="toolbar" data-testid="appraisal-controls" style={{ marginTop: 8 }}>
      <span className="muted small">{t('appraisal.latest', { n: latest.version })}</span>
      {steps.map((s) => (
        <button
          key={s}
          type="button"
          className={s === 'publish' ? 'btn btn-primary btn-small' : 'btn btn-small'}
          data-testid={`appraisal-${s}`}
          onClick={() => setStep(s)}
        >
          {t(`appraisal.action.${s}`)}
        </button>
      ))}
      {step && (
        <ConfirmStep
          step={step}
          period={period}
          subject={subject}
          latest={latest}
          onClose={() => setStep(null)}
          onDone={(run) => {
            setStep(null);
            onDone(run, step);
          }}
        />
      )}
    </div>
  );
}

function ConfirmStep({
  step,
  period,
  subject,
  latest,
  onClose,
  onDone,
}: {
  step: Step;
  period: string;
  subject: Subject;
  latest: AppraisalRun;
  onClose: () => void;
  onDone: (run: AppraisalRun) => void;
}) {
  const t = useT();
  const locale = useLocale();
  const dialog = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
  }, []);
  const needsReason = step === 'correct';
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const path = `/appraisals/${encodeURIComponent(period)}/${step === 'correct' ? 'score' : step}`;
      const body = { ...(subject !== 'county' && { subject }), ...(needsReason && { reason: reason.trim() }) };
      onDone(await api.send<AppraisalRun>('POST', path, body));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <dialog
      ref={dialog}
      data-testid="appraisal-confirm"
      aria-labelledby="appraisal-confirm-title"
      onClose={onClose}
      style={{ maxWidth: 520 }}
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <h2 id="appraisal-confirm-title">{t(`appraisal.action.${step}`)}</h2>
        <p>
          {t(`appraisal.confirm.${step}`, {
            period: formatPeriod(period, locale),
            n: latest.version,
            next: latest.version + 1,
          })}
        </p>
        {needsReason && (
          <label style={{ display: 'block' }}>
            <span>{t('appraisal.reason')}</span>
            <textarea
              name="reason"
              required
              maxLength={2000}
              rows={3}
              style={{ display: 'block', width: '100%' }}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          </label>
        )}
        {error !== null && <ErrorBox error={error} />}
        <div className="toolbar" style={{ justifyContent: 'flex-end', marginTop: 12 }}>
          <button type="button" className="btn" onClick={() => dialog.current?.close()} disabled={busy}>
            {t('appraisal.cancel')}
          </button>
          <button
            type="submit"
            className="btn btn-primary"
            data-testid="appraisal-confirm-ok"
            disabled={busy || (needsReason && !reason.trim())}
            aria-busy={busy}
          >
            {busy ? t('appraisal.working') : t(`appraisal.action.${step}`)}
          </button>
        </div>
      </form>
    </dialog>
  );
}

export default function AppraisalPage() {
  const t = useT();
  const locale = useLocale();
  const name = useName();
  const [query, setQuery] = useQuery();
  const subject: Subject = query.subject === 'department' ? 'department' : 'county';
  const runs = useApi(() => api.get<{ items: AppraisalRun[] }>('/appraisals', { subject }), [subject]);

  const periods = useMemo(() => {
    const all = [...new Set((runs.data?.items ?? []).map((r) => r.period))];
    return all.sort((a, b) => b.localeCompare(a));
  }, [runs.data]);
  const defaultPeriod = useMemo(() => {
    const items = runs.data?.items ?? [];
    const published = items.filter((r) => r.published).map((r) => r.period);
    return (published.length ? published : periods).sort((a, b) => b.localeCompare(a))[0];
  }, [runs.data, periods]);
  const period = query.period && periods.includes(query.period) ? query.period : defaultPeriod;
  const version = query.version ? Number(query.version) : undefined;
  const latest = useMemo(
    () =>
      (runs.data?.items ?? [])
        .filter((r) => r.period === period && r.subject === subject)
        .reduce<AppraisalRun | undefined>((a, r) => (!a || r.version > a.version ? r : a), undefined),
    [runs.data, period, subject],
  );

  const table = useApi(
    () =>
      period
        ? api.get<AppraisalTable>(`/appraisals/${encodeURIComponent(period)}`, { subject, version })
        : Promise.resolve(null),
    [period, subject, version],
  );

  const rows = table.data?.rows ?? [];
  const componentDefs = rows[0]?.components ?? [];
  const columns: Column<AppraisalRow>[] = useMemo(
    () => [
      {
        key: 'rank',
        header: t('common.rank'),
        sortValue: (r) => r.rank,
        align: 'center',
        width: 64,
        render: (r) => (
          <span data-testid="appraisal-rank">
            <span className="race-rank">{r.rank}</span>
            {rows.filter((x) => x.rank === r.rank).length > 1 && <span title={t('appraisal.legend.tied')}>=</span>}
          </span>
        ),
      },
      {
        key: 'mark',
        header: <span title={t('appraisal.legend.approx')}>{t('appraisal.mark')}</span>,
        align: 'center',
        width: 48,
        render: (r) => <NeighbourMark row={r} t={t} locale={locale} />,
      },
      {
        key: 'rankChange',
        header: t('appraisal.rankChange'),
        sortValue: (r) => r.rankChange,
        descFirst: true,
        align: 'center',
        render: (r) => <span className={rankChangeClass(r.rankChange)}>{formatRankChange(r.rankChange)}</span>,
      },
      {
        key: 'name',
        header: t('appraisal.unit'),
        sortValue: (r) => r.name,
        render: (r) =>
          table.data ? (
            <Link
              to={breakdownPath(table.data.run.period, r.orgUnit, subject, version)}
              aria-label={t('appraisal.openBreakdown', { name: r.name })}
              onClick={(e) => e.stopPropagation()}
            >
              {r.name}
            </Link>
          ) : (
            r.name
          ),
      },
      {
        key: 'total',
        header: t('appraisal.total'),
        sortValue: (r) => r.total,
        descFirst: true,
        align: 'right',
        render: (r) => (
          <span title={t('appraisal.se', { se: points(r.se, locale) })}>
            <strong data-testid="appraisal-total">{points(r.total, locale)}</strong>
            <span className="muted small"> ±{formatNumber(r.se, locale, 2)}</span>
          </span>
        ),
      },
      ...componentDefs.map<Column<AppraisalRow>>((c) => ({
        key: `c:${c.code}`,
        header: (
          <span title={`${c.title ? name(c.title) : c.code} · ${t('breakdown.weight')} ${c.weight}`}>
            {c.title ? name(c.title) : c.code}
            <span className="muted small"> /{c.weight}</span>
          </span>
        ),
        sortValue: (r) => r.components.find((x) => x.code === c.code)?.points ?? null,
        descFirst: true,
        align: 'right',
        render: (r) => {
          const x = r.components.find((y) => y.code === c.code);
          if (!x || x.score === null)
            return (
              <span className="muted" title={t('appraisal.missing')}>
                —
              </span>
            );
          return points(x.points, locale);
        },
      })),
      {
        key: 'bonuses',
        header: t('appraisal.bonuses'),
        sortValue: (r) => r.bonuses,
        descFirst: true,
        align: 'right',
        render: (r) => (r.bonuses ? <span className="rank-up">+{points(r.bonuses, locale)}</span> : '0'),
      },
      {
        key: 'deductions',
        header: t('appraisal.deductions'),
        sortValue: (r) => r.deductions,
        descFirst: true,
        align: 'right',
        render: (r) => (r.deductions ? <span className="rank-down">−{points(r.deductions, locale)}</span> : '0'),
      },
    ],
    [t, locale, name, rows, componentDefs, table.data, subject, version],
  );

  const pickers = (
    <div className="toolbar">
      <label className="toolbar">
        <span>{t('appraisal.subject')}</span>
        <select
          value={subject}
          data-testid="appraisal-subject"
          onChange={(e) =>
            setQuery({
              subject: e.target.value === 'county' ? undefined : e.target.value,
              period: undefined,
              version: undefined,
            })
          }
        >
          <option value="county">{t('appraisal.subject.county')}</option>
          <option value="department">{t('appraisal.subject.department')}</option>
        </select>
      </label>
      {periods.length > 0 && (
        <label className="toolbar">
          <span>{t('appraisal.period')}</span>
          <select
            value={period}
            data-testid="appraisal-period"
            onChange={(e) => setQuery({ period: e.target.value, version: undefined })}
          >
            {periods.map((p) => (
              <option key={p} value={p}>
                {formatPeriod(p, locale)}
              </option>
            ))}
          </select>
        </label>
      )}
      {table.data && table.data.versions.length > 1 && (
        <label className="toolbar">
          <span>{t('appraisal.version')}</span>
          <select
            value={version ?? table.data.run.version}
            data-testid="appraisal-version"
            onChange={(e) => setQuery({ version: e.target.value })}
          >
            {table.data.versions.map((v) => (
              <option key={v.id} value={v.version}>
                {t('appraisal.versionN', { n: v.version })} ·{' '}
                {t(`appraisal.state.${v.published ? 'published' : v.frozen ? 'frozen' : 'draft'}`)}
              </option>
            ))}
          </select>
        </label>
      )}
    </div>
  );

  const body = () => {
    if (runs.error) return <ErrorBox error={runs.error} onRetry={runs.reload} />;
    if (!runs.data) return <Loading />;
    if (periods.length === 0)
      return (
        <Card>
          <Empty title={t('appraisal.none')}>{t('appraisal.noneHint')}</Empty>
        </Card>
      );
    if (table.error) return <ErrorBox error={table.error} onRetry={table.reload} />;
    if (!table.data) return <Loading />;
    const d = table.data;
    return (
      <div className="grid">
        <Card span={12}>
          <RunState run={d.run} />
          {latest && (
            <PublishControls
              period={d.run.period}
              subject={subject}
              latest={latest}
              onDone={(run, step) => {
                runs.reload();
                table.reload();
                // A new version (score, correct) is shown; a frozen or published one is the period's own.
                setQuery({
                  period: run.period,
                  version: step === 'score' || step === 'correct' ? String(run.version) : undefined,
                });
              }}
            />
          )}
          {d.run.synthetic && <p className="muted small">{t('appraisal.synthetic')}</p>}
        </Card>
        <Card span={12} title={`${t('appraisal.table')} · ${formatPeriod(d.run.period, locale)}`}>
          <DataTable
            testId="appraisal-table"
            caption={t('appraisal.table')}
            columns={columns}
            rows={rows}
            rowKey={(r) => r.orgUnit}
            initialSort={{ key: 'rank', dir: 'asc' }}
            onRowClick={(r) => navigate(breakdownPath(d.run.period, r.orgUnit, subject, version))}
          />
          <div className="legend-row muted small" style={{ marginTop: 8 }}>
            <span>{t('appraisal.legend.approx')}</span>
            <span>{t('appraisal.legend.tied')}</span>
            <span>{t('appraisal.legend.rank')}</span>
          </div>
          {rows.length === 1 && <p className="muted small">{t('appraisal.ownOnly')}</p>}
        </Card>
        {rows.length > 1 && (
          <Card span={12} title={t('appraisal.chart')}>
            <CompositionChart rows={rows} />
          </Card>
        )}
      </div>
    );
  };

  return (
    <Page
      title={t('appraisal.title')}
      subtitle={t('appraisal.subtitle')}
      badges={table.data?.run.synthetic ? <SyntheticBadge title={t('appraisal.synthetic')} /> : undefined}
      actions={pickers}
    >
      {body()}
    </Page>
  );
}
