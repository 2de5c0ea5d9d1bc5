/**
 * The problem board (督办问题): one column per step of the loop (open → assigned → rectifying →
 * awaiting verification → closed), filtered by unit, category and overdue; each card carries the
 * buttons of the steps the user may take. Each column loads its own pages from the server (most
 * urgent first) with its total, so a city with a thousand open alerts loads twenty cards a column.
 * ?id=N opens one problem with its history.
 */
import { useState } from 'react';
import { api } from '../../api';
import { AsyncView, Empty, ErrorBox, Page, useApi } from '../../components';
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

/** Cards per column and per "show more" (a city can have a thousand open alerts). */
const PAGE = 20;

/** What GET /problems returns: one page and the total. */
interface ProblemPage {
  items: Problem[];
  total: number;
  nextOffset: number | null;
}

/** Each load of the board's first pages: a new one starts the columns afresh. */
let generation = 0;

type Filters = { orgUnit?: string; category?: string; overdue?: boolean };

/** One column's page: its problems in urgent order (overdue first, the longest overdue first, then the oldest). */
function fetchColumn(status: ProblemStatus, filters: Filters, offset: number): Promise<ProblemPage> {
  return api.get<ProblemPage>('/problems', { ...filters, status, order: 'urgent', limit: PAGE, offset });
}

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
  const filters: Filters = {
    orgUnit: unit || undefined,
    category: category || undefined,
    overdue: overdue || undefined,
  };
  // The first page of every column; "show more" adds the next page of one column (Columns).
  const problems = useApi(async () => {
    setChanged(new Map());
    const pages = await Promise.all(PROBLEM_STATUSES.map((status) => fetchColumn(status, filters, 0)));
    return {
      filters,
      generation: ++generation,
      pages: new Map(PROBLEM_STATUSES.map((status, i) => [status, pages[i]!])),
    };
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
            key={data.generation}
            filters={data.filters}
            first={data.pages}
            changed={changed}
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

interface Column {
  items: Problem[];
  total: number;
  nextOffset: number | null;
  loading: boolean;
  error: unknown;
}

function Columns({
  filters,
  first,
  changed,
  onChanged,
}: {
  filters: Filters;
  first: Map<ProblemStatus, ProblemPage>;
  /** Problems changed on this board since it loaded: shown in their new column. */
  changed: Map<number, Problem>;
  onChanged(p: Problem): void;
}) {
  const t = useT();
  const [columns, setColumns] = useState<Map<ProblemStatus, Column>>(
    () =>
      new Map(
        PROBLEM_STATUSES.map((s) => {
          const page = first.get(s)!;
          return [
            s,
            { items: page.items, total: page.total, nextOffset: page.nextOffset, loading: false, error: null },
          ];
        }),
      ),
  );
  const update = (status: ProblemStatus, change: Partial<Column>) =>
    setColumns((m) => new Map(m).set(status, { ...m.get(status)!, ...change }));

  const showMore = async (status: ProblemStatus) => {
    const column = columns.get(status)!;
    if (column.nextOffset === null || column.loading) return;
    update(status, { loading: true, error: null });
    try {
      const page = await fetchColumn(status, filters, column.nextOffset);
      setColumns((m) => {
        const c = m.get(status)!;
        const seen = new Set(c.items.map((p) => p.id));
        return new Map(m).set(status, {
          items: [...c.items, ...page.items.filter((p) => !seen.has(p.id))],
          total: page.total,
          nextOffset: page.nextOffset,
          loading: false,
          error: null,
        });
      });
    } catch (error) {
      update(status, { loading: false, error });
    }
  };

  // A card moved by a transition leaves its column and heads the one it moved to.
  const loaded = [...columns.entries()].flatMap(([status, c]) => c.items.map((p) => ({ status, p })));
  const moved = loaded.map(({ status, p }) => ({ from: status, p: changed.get(p.id) ?? p }));
  const total = [...columns.values()].reduce((n, c) => n + c.total, 0);
  return (
    <>
      <p className="muted small" data-testid="problem-count">
        {t('problems.count', { n: total })}
      </p>
      <div className="board" data-testid="problem-board">
        {PROBLEM_STATUSES.map((status) => {
          const column = columns.get(status)!;
          const movedIn = moved.filter((x) => x.p.status === status && x.from !== status).map((x) => x.p);
          const stayed = moved.filter((x) => x.from === status && x.p.status === status).map((x) => x.p);
          const movedOut = moved.filter((x) => x.from === status && x.p.status !== status).length;
          const list = [...movedIn, ...stayed];
          const count = column.total + movedIn.length - movedOut;
          const rest = column.total - column.items.length;
          return (
            <section key={status} className="board-column" data-status={status} aria-labelledby={`col-${status}`}>
              <h2 id={`col-${status}`}>
                {t(`problems.column.${status}`)} <span className="count">{count}</span>
              </h2>
              {list.length === 0 && <Empty title={t('problems.empty')} />}
              {list.map((p) => (
                <ProblemCard key={p.id} problem={p} onChanged={onChanged} />
              ))}
              {column.error !== null && <ErrorBox error={column.error} onRetry={() => void showMore(status)} />}
              {column.nextOffset !== null && rest > 0 && (
                <button
                  type="button"
                  className="btn btn-small"
                  data-testid={`show-more-${status}`}
                  disabled={column.loading}
                  aria-busy={column.loading}
                  onClick={() => void showMore(status)}
                >
                  {t('problems.showMore', { n: Math.min(PAGE, rest) })}
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
