/** One task item: what it is, who leads, its milestones, its timeline, and the progress report form. */
import { useState } from 'react';
import { api, apiUrl } from '../../api';
import { AsyncView, Card, Empty, Page, SyntheticBadge, useApi } from '../../components';
import { formatDate } from '../../format';
import { useLocale, useName, useT } from '../../i18n';
import { Link } from '../../router';
import { useSession } from '../../session';
import { ReportForm } from './ReportForm';
import { isOverdue, type TaskEvent, type TaskItemDetail } from './types';
import { useUnitDirectory } from './units';
import '../entry/entry.css';
import './loop.css';

export function TaskItemView({ id }: { id: number }) {
  const t = useT();
  const locale = useLocale();
  const name = useName();
  const session = useSession();
  const units = useUnitDirectory();
  const [fresh, setFresh] = useState<TaskItemDetail | null>(null);
  const state = useApi(async () => {
    setFresh(null);
    return api.get<TaskItemDetail>(`/task-items/${id}`);
  }, [id]);

  return (
    <AsyncView state={state}>
      {(loaded) => {
        const item = fresh ?? loaded;
        const mayReport = [item.leadUnit, ...item.cooperating.map((c) => c.unit)].some(
          (u) => !!u && session.can('task.report', u),
        );
        return (
          <Page
            title={name({ zh: item.title.zh, en: item.title.en ?? '' })}
            subtitle={
              <Link to="/tasks" data-testid="back-to-tasks">
                ← {t('tasks.back')}
              </Link>
            }
            badges={
              <>
                <span className={`badge task-${item.status}`} data-testid="item-status">
                  {t(`tasks.status.${item.status}`)}
                </span>{' '}
                {isOverdue(item) && <span className="badge overdue">{t('tasks.overdueBadge')}</span>}
              </>
            }
          >
            <div className="grid">
              <Card title={name(item.listLabel)} span={7}>
                {item.description && (
                  <>
                    <h3 className="small muted">{t('tasks.description')}</h3>
                    <p>{item.description}</p>
                  </>
                )}
                <dl className="meta-list">
                  <dt>{t('tasks.col.lead')}</dt>
                  <dd>
                    {units.name(item.leadUnit)} {item.leadDemo && <SyntheticBadge title={t('tasks.demoLead')} />}
                  </dd>
                  {item.cooperating.length > 0 && (
                    <>
                      <dt>{t('tasks.cooperating')}</dt>
                      <dd>
                        {item.cooperating.map((c) => units.name(c.unit)).join(locale === 'en' ? '; ' : '、')}{' '}
                        {item.cooperating.some((c) => c.demo) && <SyntheticBadge title={t('tasks.demoLead')} />}
                      </dd>
                    </>
                  )}
                  <dt>{t('tasks.col.progress')}</dt>
                  <dd>
                    <span className="bar-cell" title={t('tasks.percent', { n: item.percentComplete })}>
                      <span className="bar" style={{ width: `${Math.max(2, item.percentComplete * 1.6)}px` }} />
                      <span data-testid="item-percent">{item.percentComplete}%</span>
                    </span>
                  </dd>
                  {item.reform && (
                    <>
                      <dt>{t('tasks.reform')}</dt>
                      <dd>
                        {item.reform.addressedTo && t('tasks.addressedTo', { to: item.reform.addressedTo })}
                        {item.reform.daysWaiting !== null &&
                          !item.reform.reply &&
                          ` · ${t('tasks.waiting', { n: item.reform.daysWaiting })}`}
                        {item.reform.reply && <div>{t('tasks.reply', { reply: item.reform.reply })}</div>}
                      </dd>
                    </>
                  )}
                </dl>
                {item.indicators.length > 0 && (
                  <>
                    <h3 className="small muted">{t('tasks.indicators')}</h3>
                    <div className="chips">
                      {item.indicators.map((code) => (
                        <Link key={code} className="badge" to={`/indicators/${encodeURIComponent(code)}`}>
                          {code}
                        </Link>
                      ))}
                    </div>
                  </>
                )}
              </Card>
              <Card title={t('tasks.milestones')} span={5}>
                {item.milestones.length === 0 ? (
                  <Empty title={t('tasks.noMilestones')} />
                ) : (
                  <ul className="milestones">
                    {item.milestones.map((m) => (
                      <li key={m.id} className={m.reachedAt ? 'reached' : m.overdue ? 'overdue-text' : undefined}>
                        <span aria-hidden="true">{m.reachedAt ? '✓' : m.overdue ? '!' : '○'}</span> {m.title}{' '}
                        <span className="muted small">
                          {m.reachedAt
                            ? t('tasks.reached', { at: formatDate(m.reachedAt, locale) })
                            : t('tasks.due', { due: formatDate(m.due, locale) })}
                        </span>
                      </li>
                    ))}
                  </ul>
                )}
              </Card>
              {mayReport ? (
                <Card title={t('tasks.report.title')} span={7}>
                  <ReportForm item={item} onReported={setFresh} />
                </Card>
              ) : null}
              <Card title={t('tasks.timeline')} span={mayReport ? 5 : 12}>
                <Timeline events={item.history} />
              </Card>
            </div>
          </Page>
        );
      }}
    </AsyncView>
  );
}

function Timeline({ events }: { events: TaskEvent[] }) {
  const t = useT();
  const locale = useLocale();
  if (events.length === 0) return <Empty title={t('tasks.noHistory')} />;
  const label = (kind: string) => {
    const key = `tasks.event.${kind}`;
    const text = t(key);
    return text === key ? kind : text;
  };
  return (
    <ol className="timeline" data-testid="item-timeline">
      {[...events].reverse().map((e, k) => (
        <li key={k} data-kind={e.kind}>
          <strong>{label(e.kind)}</strong>{' '}
          <span className="when">
            {e.by ?? '—'} · {formatDate(e.at, locale, true)}
          </span>
          {e.statusFrom && e.statusTo && (
            <div className="small">
              {t(`tasks.status.${e.statusFrom}`)} → {t(`tasks.status.${e.statusTo}`)}
            </div>
          )}
          {e.text && <div className="timeline-text">{e.text}</div>}
          {e.percent !== null && <div className="small muted">{t('tasks.percent', { n: e.percent })}</div>}
          {e.evidence.length > 0 && (
            <ul className="evidence">
              {e.evidence.map((f) => (
                <li key={f.sha256}>
                  <a href={apiUrl(`/evidence/${f.sha256}`)} download={f.fileName}>
                    {f.fileName}
                  </a>{' '}
                  <span className="muted small">{Math.max(1, Math.round(f.size / 1024))} KB</span>
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ol>
  );
}
