/** One return under review: its values beside last period's, its history, approve or return with a reason. */
import { useState } from 'react';
import { api } from '../../api';
import {
  AsyncView,
  Card,
  DataTable,
  Empty,
  ErrorBox,
  Page,
  SyntheticBadge,
  useApi,
  type Column,
} from '../../components';
import { formatDate, formatPeriod } from '../../format';
import { useLocale, useName, useT } from '../../i18n';
import { Link, navigate } from '../../router';
import {
  changeFromPrevious,
  entryUnitLabel,
  issueText,
  localizeTarget,
  toDisplayText,
  type EntryForm,
  type FormRow,
  type ReturnState,
} from '../entry/model';
import type { ReturnItem } from './ApprovalsPage';

export function ReturnReview({
  orgUnit,
  period,
  onDone,
}: {
  orgUnit: string;
  period: string;
  onDone(message: string): void;
}) {
  const t = useT();
  const locale = useLocale();
  const name = useName();
  const [onlyFilled, setOnlyFilled] = useState(true);
  const [reason, setReason] = useState('');
  const [reasonMissing, setReasonMissing] = useState(false);
  const [busy, setBusy] = useState<'approve' | 'return' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const path = `/data/returns/${encodeURIComponent(orgUnit)}/${encodeURIComponent(period)}`;
  const state = useApi(async () => {
    const [form, ret, listed] = await Promise.all([
      api.get<EntryForm>('/data/form', { orgUnit, period }),
      api.get<ReturnState>(path),
      api.get<{ items: ReturnItem[] }>('/data/returns', { within: orgUnit, status: 'submitted' }),
    ]);
    const mayApprove = listed.items.some((r) => r.orgUnit === orgUnit && r.period === ret.period && r.mayApprove);
    return { form, ret, mayApprove };
  }, [orgUnit, period]);

  const act = async (step: 'approve' | 'return', unitName: string) => {
    setError(null);
    if (step === 'return' && !reason.trim()) {
      setReasonMissing(true);
      document.getElementById('return-reason')?.focus();
      return;
    }
    if (step === 'approve' && !window.confirm(t('approvals.confirmApprove'))) return;
    setBusy(step);
    try {
      await api.send('POST', `${path}/${step}`, step === 'return' ? { reason: reason.trim() } : {});
      const vars = { unit: unitName, period: formatPeriod(period, locale) };
      onDone(step === 'approve' ? t('approvals.approved', vars) : t('approvals.returned', vars));
      navigate('/approvals');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const columns: Column<FormRow>[] = [
    {
      key: 'indicator',
      header: t('entry.col.indicator'),
      sortValue: (r) => r.indicator.code,
      render: (r) => (
        <span>
          {name(r.indicator.name)} <code className="muted small">{r.indicator.code}</code>{' '}
          {r.current?.synthetic && <SyntheticBadge />}
        </span>
      ),
    },
    { key: 'unit', header: t('entry.col.unit'), render: (r) => entryUnitLabel(r.indicator.unit, locale) },
    {
      key: 'previous',
      header: t('entry.col.previous'),
      align: 'right',
      render: (r) => <span className="num">{toDisplayText(r.previous?.value, r.indicator.unit, locale)}</span>,
    },
    {
      key: 'value',
      header: t('entry.col.value'),
      align: 'right',
      render: (r) => <strong className="num">{toDisplayText(r.current?.value, r.indicator.unit, locale)}</strong>,
    },
    {
      key: 'change',
      header: '±',
      align: 'right',
      sortValue: (r) => {
        const c = changeFromPrevious(r.current?.value ?? null, r.previous?.value);
        return c === null ? null : Math.abs(c);
      },
      descFirst: true,
      render: (r) => {
        const c = changeFromPrevious(r.current?.value ?? null, r.previous?.value);
        return c === null ? (
          '—'
        ) : (
          <span
            className={Math.abs(c) > 0.5 ? 'entry-change big' : 'num'}
          >{`${c >= 0 ? '+' : ''}${(c * 100).toFixed(1)}%`}</span>
        );
      },
    },
    {
      key: 'target',
      header: t('entry.col.target'),
      render: (r) => <span className="small muted">{localizeTarget(r.target, r.indicator.unit, locale)}</span>,
    },
    {
      key: 'comment',
      header: t('entry.col.comment'),
      render: (r) => (
        <span>
          {r.current?.comment ?? ''}
          {r.issues.map((i, k) => (
            <span key={k} className="entry-msg warning" style={{ display: 'block' }}>
              ▲ {issueText(i, locale)}
            </span>
          ))}
        </span>
      ),
    },
  ];

  return (
    <AsyncView state={state}>
      {({ form, ret, mayApprove }) => {
        const status = ret.locked ? 'approved' : ret.status;
        const rows = onlyFilled ? form.rows.filter((r) => r.current !== null) : form.rows;
        const waiting = ret.status === 'submitted';
        return (
          <Page
            title={t('approvals.review', { unit: form.orgUnit.name, period: formatPeriod(form.period, locale) })}
            subtitle={
              <Link to="/approvals" data-testid="back-to-queue">
                ← {t('approvals.back')}
              </Link>
            }
            badges={
              <span className={`badge return-${status}`} data-testid="review-status" data-status={status}>
                {t(`return.${status}`)}
              </span>
            }
          >
            {!waiting && (
              <p className="entry-note info">{t('approvals.notSubmitted', { status: t(`return.${status}`) })}</p>
            )}
            {waiting && !mayApprove && <p className="entry-note">{t('approvals.noPermission')}</p>}
            <Card
              title={t('approvals.values')}
              actions={
                <label className="entry-check">
                  <input type="checkbox" checked={onlyFilled} onChange={(e) => setOnlyFilled(e.target.checked)} />
                  {t('approvals.onlyFilled')}
                </label>
              }
            >
              <DataTable
                testId="review-values"
                dense
                columns={columns}
                rows={rows}
                rowKey={(r) => r.indicator.code}
                empty={<Empty />}
              />
            </Card>
            <div className="grid">
              {waiting && mayApprove && (
                <Card title={t('approvals.title')} span={7}>
                  <div className="review-actions">
                    <label htmlFor="return-reason">{t('approvals.reason')}</label>
                    <textarea
                      id="return-reason"
                      value={reason}
                      placeholder={t('approvals.reasonPlaceholder')}
                      aria-invalid={reasonMissing || undefined}
                      aria-describedby={reasonMissing ? 'reason-missing' : undefined}
                      data-testid="return-reason"
                      onChange={(e) => {
                        setReason(e.target.value);
                        if (e.target.value.trim()) setReasonMissing(false);
                      }}
                    />
                    {reasonMissing && (
                      <p id="reason-missing" className="entry-msg error" role="alert">
                        {t('approvals.reasonRequired')}
                      </p>
                    )}
                    <div className="toolbar">
                      <button
                        type="button"
                        className="btn btn-primary"
                        disabled={!!busy}
                        data-testid="approve"
                        onClick={() => void act('approve', form.orgUnit.name)}
                      >
                        {t('approvals.approve')}
                      </button>
                      <button
                        type="button"
                        className="btn"
                        disabled={!!busy}
                        data-testid="return"
                        onClick={() => void act('return', form.orgUnit.name)}
                      >
                        {t('approvals.return')}
                      </button>
                    </div>
                    {error !== null && <ErrorBox error={error} />}
                  </div>
                </Card>
              )}
              <Card title={t('approvals.history')} span={5}>
                {(ret.events ?? []).length === 0 ? (
                  <Empty />
                ) : (
                  <ol className="timeline" data-testid="return-history">
                    {(ret.events ?? []).map((e, k) => (
                      <li key={k}>
                        <strong>{t(`return.action.${e.action}`)}</strong>{' '}
                        <span className="when">
                          {t('approvals.by', { by: e.by ?? '—', at: formatDate(e.at, locale, true) })}
                        </span>
                        {e.reason && <div>{e.reason}</div>}
                      </li>
                    ))}
                  </ol>
                )}
              </Card>
            </div>
          </Page>
        );
      }}
    </AsyncView>
  );
}
