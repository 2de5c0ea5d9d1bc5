/**
 * The problem board (督办问题): one column per step of the loop (open → assigned → rectifying →
 * awaiting verification → closed), filtered by unit, category and overdue; each card carries the
 * buttons of the steps the user may take. ?id=N opens one problem with its history.
 */
import { useMemo, useState } from 'react';
import { api } from '../../api';
import { AsyncView, Empty, Page, useApi } from '../../components';
import { formatDate } from '../../format';
import { useName, useLocale, useT } from '../../i18n';
import { Link, useQuery } from '../../router';
import { useSession } from '../../session';
import { useUnitDirectory } from '../tasks/units';
import { ProblemView } from './ProblemView';
import { RaiseForm, type Category } from './RaiseForm';
import { TransitionButtons } from './TransitionButtons';
import { PROBLEM_STATUSES, type Problem, type ProblemStatus } from './types';
import '../entry/entry.css';
import '../tasks/loop.css';

/** Cards shown per column before "show more" (a city can have a thousand open alerts). */
const PAGE = 20;

export default function ProblemsPage() {
  const [query] = useQuery();
  const id = Number(query.id);
  if (Number.isInteger(id) && id > 0) return <ProblemView id={id} />;
  return <Board />;
}

function Board() {
  const t = useT();
  const name = useName();
  const [query, setQuery] = useQuery();
  const units = useUnitDirectory();
  const unit = query.unit ?? '';
  const category = query.category ?? '';
  const overdue = query.overdue === '1';
  const [changed, setChanged] = useState<Map<number, Problem>>(new Map());
  const [flash, setFlash] = useState<string | null>(null);
  const [raising, setRaising] = useState(false);
  const session = useSession();
  const categories = useApi(() => api.get<{ items: Category[] }>('/problem-categories'), []);
  const problems = useApi(async () => {
    setChanged(new Map());
    return api.get<{ items: Problem[] }>('/problems', {
      orgUnit: unit || undefined,
      category: category || undefined,
      overdue: overdue || undefined,
    });
  }, [unit, category, overdue]);

  return (
    <Page
      title={t('problems.title')}
      subtitle={t('problems.subtitle')}
      actions={
        session.can('problem.raise') && !raising ? (
          <button type="button" className="btn btn-primary" data-testid="raise" onClick={() => setRaising(true)}>
            {t('problems.raise.title')}
          </button>
        ) : undefined
      }
    >
      {raising && categories.data && (
        <RaiseForm
          categories={categories.data.items}
          defaultUnit={unit}
          onCancel={() => setRaising(false)}
          onRaised={(p) => {
            setRaising(false);
            setFlash(t('problems.raise.raised', { title: p.title }));
            problems.reload();
          }}
        />
      )}
      <div className="toolbar loop-filters">
        <label>
          {t('problems.unit')}{' '}
          <select
            value={unit}
            data-testid="problem-unit"
            onChange={(e) => setQuery({ unit: e.target.value || undefined })}
          >
            <option value="">{t('problems.anyUnit')}</option>
            {units.units.map((u) => (
              <option key={u.code} value={u.code}>
                {units.name(u.code)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('problems.category')}{' '}
          <select value={category} onChange={(e) => setQuery({ category: e.target.value || undefined })}>
            <option value="">{t('problems.anyCategory')}</option>
            {(categories.data?.items ?? []).map((c) => (
              <option key={c.code} value={c.code}>
                {name(c)}
              </option>
            ))}
          </select>
        </label>
        <label className="entry-check">
          <input
            type="checkbox"
            checked={overdue}
            data-testid="problem-overdue"
            onChange={(e) => setQuery({ overdue: e.target.checked ? '1' : undefined })}
          />
          {t('problems.overdue')}
        </label>
      </div>
      {flash && (
        <p className="entry-note ok" role="status" data-testid="problems-flash">
          {flash}
        </p>
      )}
      <AsyncView state={problems}>
        {(data) => (
          <Columns
            items={data.items.map((p) => changed.get(p.id) ?? p)}
            onChanged={(p) => {
              setChanged((m) => new Map(m).set(p.id, p));
              setFlash(t('problems.done', { title: p.title }));
            }}
          />
        )}
      </AsyncView>
    </Page>
  );
}

function Columns({ items, onChanged }: { items: Problem[]; onChanged(p: Problem): void }) {
  const t = useT();
  const [shown, setShown] = useState<Record<string, number>>({});
  const byStatus = useMemo(() => {
    const out = new Map<ProblemStatus, Problem[]>(PROBLEM_STATUSES.map((s) => [s, []]));
    // Overdue first, then the longest overdue, then the oldest.
    const sorted = [...items].sort(
      (a, b) =>
        Number(b.overdue) - Number(a.overdue) ||
        b.daysOverdue - a.daysOverdue ||
        a.createdAt.localeCompare(b.createdAt),
    );
    for (const p of sorted) out.get(p.status)?.push(p);
    return out;
  }, [items]);
  return (
    <>
      <p className="muted small" data-testid="problem-count">
        {t('problems.count', { n: items.length })}
      </p>
      <div className="board" data-testid="problem-board">
        {PROBLEM_STATUSES.map((status) => {
          const list = byStatus.get(status) ?? [];
          const limit = shown[status] ?? PAGE;
          return (
            <section key={status} className="board-column" data-status={status} aria-labelledby={`col-${status}`}>
              <h2 id={`col-${status}`}>
                {t(`problems.column.${status}`)} <span className="count">{list.length}</span>
              </h2>
              {list.length === 0 && <Empty title={t('problems.empty')} />}
              {list.slice(0, limit).map((p) => (
                <ProblemCard key={p.id} problem={p} onChanged={onChanged} />
              ))}
              {list.length > limit && (
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => setShown((s) => ({ ...s, [status]: limit + PAGE * 5 }))}
                >
                  {t('problems.showMore', { n: Math.min(PAGE * 5, list.length - limit) })}
                </button>
              )}
            </section>
          );
        })}
      </div>
    </>
  );
}

function ProblemCard({ problem: p, onChanged }: { problem: Problem; onChanged(p: Problem): void }) {
  const t = useT();
  const locale = useLocale();
  const name = useName();
  return (
    <article className={`problem-card ${p.overdue ? 'is-overdue' : ''}`} data-problem={p.id} data-status={p.status}>
      <h3>
        <Link to={`/problems?id=${p.id}`}>{p.title}</Link>
      </h3>
      <div className="meta">
        <span>{p.orgUnitName}</span>
        <span>{name(p.categoryLabel)}</span>
        {p.foundBy === 'auto' && <span className="badge">{t('problems.auto')}</span>}
      </div>
      <div className="meta">
        {p.assignedUnitName && p.status !== 'open' && (
          <span>{t('problems.assignedTo', { unit: p.assignedUnitName })}</span>
        )}
        {p.deadline && <span>{t('problems.deadline', { date: formatDate(p.deadline, locale) })}</span>}
        {p.overdue && <span className="badge overdue">{t('problems.overdueDays', { n: p.daysOverdue })}</span>}
        {!p.overdue && p.dueSoon && <span className="badge due-soon">{t('problems.dueSoon')}</span>}
        {p.escalatedTo && <span className="badge">{t('problems.escalated', { to: p.escalatedTo })}</span>}
        {p.reopened > 0 && <span className="badge">{t('problems.reopened', { n: p.reopened })}</span>}
      </div>
      <TransitionButtons problem={p} onDone={onChanged} />
    </article>
  );
}
