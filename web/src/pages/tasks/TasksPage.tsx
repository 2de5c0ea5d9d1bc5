/**
 * Task lists (清单化管理): the three lists with filters by unit, status and overdue; open an item
 * (?item=ID) for its milestones, timeline and the progress report form.
 */
import { api } from '../../api';
import { AsyncView, Card, DataTable, Empty, Page, SyntheticBadge, useApi, type Column } from '../../components';
import { formatDate } from '../../format';
import { useLocale, useName, useT } from '../../i18n';
import { Link, navigate, useQuery } from '../../router';
import { TaskItemView } from './TaskItemView';
import { ITEM_STATUSES, LISTS, isOverdue, nextMilestone, type TaskItem, type TaskListSummary } from './types';
import { useUnitDirectory } from './units';
import './loop.css';

export default function TasksPage() {
  const [query] = useQuery();
  const id = Number(query.item);
  if (Number.isInteger(id) && id > 0) return <TaskItemView id={id} />;
  return <TaskLists />;
}

function TaskLists() {
  const t = useT();
  const locale = useLocale();
  const name = useName();
  const [query, setQuery] = useQuery();
  const units = useUnitDirectory();
  const list = query.list ?? '';
  const unit = query.unit ?? '';
  const status = query.status ?? '';
  const overdueOnly = query.overdue === '1';

  const lists = useApi(() => api.get<{ items: TaskListSummary[] }>('/task-lists'), []);
  const items = useApi(
    () =>
      api.get<{ items: TaskItem[] }>('/task-items', {
        list: list || undefined,
        unit: unit || undefined,
        status: status || undefined,
      }),
    [list, unit, status],
  );

  const columns: Column<TaskItem>[] = [
    {
      key: 'number',
      header: t('tasks.col.number'),
      align: 'right',
      width: 56,
      sortValue: (i) => i.taskNumber ?? i.id + 1000,
      render: (i) => i.taskNumber ?? '—',
    },
    {
      key: 'title',
      header: t('tasks.col.title'),
      sortValue: (i) => name({ zh: i.title.zh, en: i.title.en ?? '' }),
      render: (i) => (
        <span className="task-title">
          <Link to={`/tasks?item=${i.id}`} data-testid={`task-${i.id}`}>
            {name({ zh: i.title.zh, en: i.title.en ?? '' })}
          </Link>
          {i.priority === 'high' && <span className="badge prio-high">{t('tasks.priority.high')}</span>}
          {!list && <span className="muted small task-list-label">{name(i.listLabel)}</span>}
        </span>
      ),
    },
    {
      key: 'lead',
      header: t('tasks.col.lead'),
      sortValue: (i) => units.name(i.leadUnit),
      render: (i) => (
        <span>
          {units.name(i.leadUnit)} {i.leadDemo && <SyntheticBadge title={t('tasks.demoLead')} />}
        </span>
      ),
    },
    {
      key: 'status',
      header: t('tasks.col.status'),
      sortValue: (i) => ITEM_STATUSES.indexOf(i.status),
      render: (i) => (
        <span className="task-status-cell">
          <span className={`badge task-${i.status}`}>{t(`tasks.status.${i.status}`)}</span>
          {isOverdue(i) && <span className="badge overdue">{t('tasks.overdueBadge')}</span>}
        </span>
      ),
    },
    {
      key: 'progress',
      header: t('tasks.col.progress'),
      align: 'right',
      sortValue: (i) => i.percentComplete,
      descFirst: true,
      render: (i) => (
        <span className="bar-cell progress-cell" title={t('tasks.percent', { n: i.percentComplete })}>
          <span className="bar" style={{ width: `${Math.max(2, i.percentComplete * 0.6)}px` }} />
          <span className="num">{i.percentComplete}%</span>
        </span>
      ),
    },
    {
      key: 'milestone',
      header: t('tasks.col.milestone'),
      sortValue: (i) => nextMilestone(i)?.due,
      render: (i) => {
        const m = nextMilestone(i);
        return m ? (
          <span className={m.overdue ? 'overdue-text' : undefined}>
            {m.title} · {formatDate(m.due, locale)}
          </span>
        ) : (
          '—'
        );
      },
    },
    {
      key: 'updated',
      header: t('tasks.col.updated'),
      sortValue: (i) => i.updatedAt,
      descFirst: true,
      render: (i) => formatDate(i.updatedAt, locale),
    },
  ];

  return (
    <Page title={t('tasks.title')} subtitle={t('tasks.subtitle')}>
      <div className="segmented list-tabs" role="group" aria-label={t('tasks.title')} data-testid="list-tabs">
        <button type="button" aria-pressed={!list} onClick={() => setQuery({ list: undefined })}>
          {t('tasks.allLists')}
        </button>
        {LISTS.map((code) => {
          const summary = lists.data?.items.find((l) => l.code === code);
          return (
            <button key={code} type="button" aria-pressed={list === code} onClick={() => setQuery({ list: code })}>
              {summary ? `${name(summary.label)} ${summary.items}` : code}
            </button>
          );
        })}
      </div>
      <div className="toolbar loop-filters">
        <label>
          {t('tasks.unit')}{' '}
          <select
            value={unit}
            data-testid="task-unit"
            onChange={(e) => setQuery({ unit: e.target.value || undefined })}
          >
            <option value="">{t('tasks.anyUnit')}</option>
            {units.units.map((u) => (
              <option key={u.code} value={u.code}>
                {units.name(u.code)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('tasks.status')}{' '}
          <select
            value={status}
            data-testid="task-status"
            onChange={(e) => setQuery({ status: e.target.value || undefined })}
          >
            <option value="">{t('tasks.anyStatus')}</option>
            {ITEM_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`tasks.status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="entry-check">
          <input
            type="checkbox"
            checked={overdueOnly}
            data-testid="task-overdue"
            onChange={(e) => setQuery({ overdue: e.target.checked ? '1' : undefined })}
          />
          {t('tasks.overdue')}
        </label>
      </div>
      <Card>
        <AsyncView state={items}>
          {(data) => {
            const rows = overdueOnly ? data.items.filter(isOverdue) : data.items;
            return (
              <>
                <p className="muted small" data-testid="task-count">
                  {t('tasks.count', { n: rows.length })}
                </p>
                <DataTable
                  testId="task-items"
                  columns={columns}
                  rows={rows}
                  rowKey={(i) => String(i.id)}
                  onRowClick={(i) => navigate(`/tasks?item=${i.id}`)}
                  empty={<Empty title={t('tasks.empty')} />}
                />
              </>
            );
          }}
        </AsyncView>
      </Card>
    </Page>
  );
}
