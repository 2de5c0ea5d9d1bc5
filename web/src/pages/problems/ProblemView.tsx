/** One problem: what, where, since when, its whole history, and the steps the user may take now. */
import { useState } from 'react';
import { api } from '../../api';
import { AsyncView, Card, Page, useApi } from '../../components';
import { formatDate, formatPeriod } from '../../format';
import { useLocale, useName, useT } from '../../i18n';
import { Link } from '../../router';
import { TransitionButtons } from './TransitionButtons';
import type { ProblemDetail } from './types';
import '../entry/entry.css';
import '../tasks/loop.css';

export function ProblemView({ id }: { id: number }) {
  const t = useT();
  const locale = useLocale();
  const name = useName();
  const [fresh, setFresh] = useState<ProblemDetail | null>(null);
  const state = useApi(async () => {
    setFresh(null);
    return api.get<ProblemDetail>(`/problems/${id}`);
  }, [id]);
  return (
    <AsyncView state={state}>
      {(loaded) => {
        const p = fresh ?? loaded;
        return (
          <Page
            title={p.title}
            subtitle={
              <Link to="/problems" data-testid="back-to-board">
                ← {t('problems.back')}
              </Link>
            }
            badges={
              <span className="badge" data-testid="problem-status" data-status={p.status}>
                {t(`problems.column.${p.status}`)}
              </span>
            }
          >
            <div className="grid">
              <Card span={7}>
                {p.description && <p>{p.description}</p>}
                <dl className="meta-list">
                  <dt>{t('problems.detail.unit')}</dt>
                  <dd>
                    <Link to={`/org-units/${encodeURIComponent(p.orgUnit)}`}>{p.orgUnitName}</Link>
                  </dd>
                  <dt>{t('problems.detail.category')}</dt>
                  <dd>{name(p.categoryLabel)}</dd>
                  {p.source.indicator && (
                    <>
                      <dt>{t('problems.detail.source')}</dt>
                      <dd>
                        <Link to={`/indicators/${encodeURIComponent(p.source.indicator)}`}>
                          {t('problems.detail.indicator', {
                            code: p.source.indicator,
                            period: formatPeriod(p.source.period, locale),
                          })}
                        </Link>
                      </dd>
                    </>
                  )}
                  <dt>{t('problems.detail.created')}</dt>
                  <dd>{formatDate(p.createdAt, locale, true)}</dd>
                  {p.assignedUnitName && p.status !== 'open' && (
                    <>
                      <dt>{t('problems.form.assignedUnit')}</dt>
                      <dd>{p.assignedUnitName}</dd>
                    </>
                  )}
                  {p.deadline && (
                    <>
                      <dt>{t('problems.form.deadline')}</dt>
                      <dd>
                        {formatDate(p.deadline, locale)}{' '}
                        {p.overdue && (
                          <span className="badge overdue">{t('problems.overdueDays', { n: p.daysOverdue })}</span>
                        )}
                      </dd>
                    </>
                  )}
                </dl>
                <TransitionButtons problem={p} onDone={setFresh} />
              </Card>
              <Card title={t('problems.history')} span={5}>
                <ol className="timeline" data-testid="problem-history">
                  {[...p.history].reverse().map((e, k) => (
                    <li key={k}>
                      <strong>
                        {e.transition ? t(`problems.t.${e.transition}`) : e.to ? t(`problems.column.${e.to}`) : e.kind}
                      </strong>{' '}
                      <span className="when">
                        {e.by ?? '—'} · {formatDate(e.at, locale, true)}
                      </span>
                      {e.reason && <div className="timeline-text">{e.reason}</div>}
                    </li>
                  ))}
                </ol>
              </Card>
            </div>
          </Page>
        );
      }}
    </AsyncView>
  );
}
