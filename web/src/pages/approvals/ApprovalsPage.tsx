/**
 * Approvals (数据审核): the queue of returns submitted in the approver's scope, the longest waiting
 * first (GET /data/returns?status=submitted); open one (?unit=…&period=…) to read its values beside
 * last period's and approve it, or return it with a reason.
 */
import { useState } from 'react';
import { api } from '../../api';
import { AsyncView, Card, DataTable, Empty, Page, useApi, type Column } from '../../components';
import { formatDate, formatNumber, formatPeriod } from '../../format';
import { useLocale, useT } from '../../i18n';
import { Link, useQuery } from '../../router';
import { useSession } from '../../session';
import { ReturnReview } from './ReturnReview';
import '../entry/entry.css';

export interface ReturnItem {
  orgUnit: string;
  unitName: string;
  unitLevel: string;
  period: string;
  status: 'draft' | 'submitted' | 'approved' | 'returned';
  locked: boolean;
  updatedAt: string;
  values: number;
  lastEvent: { action: string; reason: string | null; by: string | null; at: string } | null;
  mayApprove: boolean;
}

const DAY = 24 * 3600 * 1000;

export default function ApprovalsPage() {
  const t = useT();
  const session = useSession();
  const [query] = useQuery();
  const [flash, setFlash] = useState<string | null>(null);
  if (!session.user)
    return (
      <Page title={t('approvals.title')}>
        <Empty title={t('error.unauthenticated')} />
      </Page>
    );
  if (query.unit && query.period)
    return <ReturnReview orgUnit={query.unit} period={query.period} onDone={(message) => setFlash(message)} />;
  return <Queue flash={flash} />;
}

function Queue({ flash }: { flash: string | null }) {
  const t = useT();
  const locale = useLocale();
  const [showDone, setShowDone] = useState(false);
  const queue = useApi(() => api.get<{ items: ReturnItem[] }>('/data/returns', { status: 'submitted' }), []);
  const done = useApi(
    () =>
      showDone
        ? api.get<{ items: ReturnItem[] }>('/data/returns', { status: 'approved,returned' })
        : Promise.resolve(null),
    [showDone],
  );
  const now = Date.now();
  const href = (r: ReturnItem) =>
    `/approvals?unit=${encodeURIComponent(r.orgUnit)}&period=${encodeURIComponent(r.period)}`;
  const columns = (mode: 'queue' | 'done'): Column<ReturnItem>[] => [
    {
      key: 'unit',
      header: t('approvals.col.unit'),
      sortValue: (r) => r.unitName,
      render: (r) => (
        <span>
          {r.unitName} <code className="muted small">{r.orgUnit}</code>
        </span>
      ),
    },
    {
      key: 'period',
      header: t('approvals.col.period'),
      sortValue: (r) => r.period,
      render: (r) => formatPeriod(r.period, locale),
    },
    {
      key: 'values',
      header: t('approvals.col.values'),
      align: 'right',
      sortValue: (r) => r.values,
      render: (r) => formatNumber(r.values, locale, 0),
    },
    { key: 'by', header: t('approvals.col.submittedBy'), render: (r) => r.lastEvent?.by ?? '—' },
    {
      key: 'at',
      header: mode === 'queue' ? t('approvals.col.submittedAt') : t('entry.status'),
      sortValue: (r) => r.lastEvent?.at ?? r.updatedAt,
      render: (r) =>
        mode === 'queue' ? (
          formatDate(r.lastEvent?.at ?? r.updatedAt, locale, true)
        ) : (
          <span className={`badge return-${r.status}`}>{t(`return.${r.status}`)}</span>
        ),
    },
    ...(mode === 'queue'
      ? [
          {
            key: 'waiting',
            header: t('approvals.col.waiting'),
            align: 'right' as const,
            sortValue: (r: ReturnItem) => now - Date.parse(r.lastEvent?.at ?? r.updatedAt),
            render: (r: ReturnItem) => {
              const days = Math.floor((now - Date.parse(r.lastEvent?.at ?? r.updatedAt)) / DAY);
              return days < 1 ? t('approvals.lessThanDay') : t('approvals.days', { n: days });
            },
          },
        ]
      : []),
    {
      key: 'open',
      header: '',
      align: 'right',
      render: (r) => (
        <Link
          className={`btn btn-small ${mode === 'queue' && r.mayApprove ? 'btn-primary' : ''}`}
          to={href(r)}
          data-testid={`open-${r.orgUnit}-${r.period}`}
        >
          {mode === 'queue' && r.mayApprove ? t('approvals.open') : t('approvals.view')}
        </Link>
      ),
    },
  ];
  return (
    <Page
      title={t('approvals.title')}
      subtitle={t('approvals.subtitle')}
      actions={
        <label className="entry-check">
          <input type="checkbox" checked={showDone} onChange={(e) => setShowDone(e.target.checked)} />
          {t('approvals.showDone')}
        </label>
      }
    >
      {flash && (
        <p className="entry-note ok" role="status" data-testid="approvals-flash">
          {flash}
        </p>
      )}
      <Card>
        <AsyncView state={queue}>
          {(data) => (
            <DataTable
              testId="approval-queue"
              columns={columns('queue')}
              rows={data.items}
              rowKey={(r) => `${r.orgUnit}/${r.period}`}
              empty={<Empty title={t('approvals.empty')} />}
            />
          )}
        </AsyncView>
      </Card>
      {showDone && (
        <Card title={t('approvals.done')}>
          <AsyncView state={done}>
            {(data) => (
              <DataTable
                testId="approval-done"
                columns={columns('done')}
                rows={[...(data?.items ?? [])].reverse()}
                rowKey={(r) => `${r.orgUnit}/${r.period}`}
              />
            )}
          </AsyncView>
        </Card>
      )}
    </Page>
  );
}
