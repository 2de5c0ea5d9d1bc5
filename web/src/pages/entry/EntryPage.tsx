/**
 * Data entry (数据填报): a reporter picks one of their units and a period, fills in the form the
 * server offers (only the indicators that apply), saves a draft, confirms unusual values and submits
 * the return. A failed save loses nothing: the typed figures stay, each with the server's message.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, ApiError } from '../../api';
import { Card, Empty, ErrorBox, Loading, Page } from '../../components';
import { formatDate, formatPeriod } from '../../format';
import { hasBegun, hasEnded, latestCompletePeriod, periodicityOf, periodIn, type Periodicity } from './period';
import { useLocale, useT } from '../../i18n';
import { useQuery } from '../../router';
import { useSession } from '../../session';
import { PERMISSIONS } from '../../../../src/domain/access.js';
import { EntryGrid } from './EntryGrid';
import { ExcelPanel } from './ExcelPanel';
import {
  buildSave,
  initialDraft,
  isDirty,
  issuesByIndicator,
  issuesOf,
  issueText,
  type Draft,
  type EntryForm,
  type Issue,
  type ReturnState,
} from './model';
import { useUnsavedGuard } from './useUnsavedGuard';
import './entry.css';

interface OrgUnit {
  code: string;
  name: string;
  nameEn: string | null;
  level: string;
  kind: string;
  children: number;
}

interface UnitOption {
  code: string;
  label: string;
  depth: number;
  writable: boolean;
}

const backupKey = (unit: string, period: string) => `gongfu.entry.${unit}.${period}`;

/** The units a user may report for (value.write) — their granted units and the units directly under them. */
function useUnitOptions(): { options: UnitOption[] | undefined; error: unknown } {
  const session = useSession();
  const locale = useLocale();
  const [state, setState] = useState<{ options?: UnitOption[]; error?: unknown }>({});
  const grants = session.user?.grants ?? [];
  const key = grants.map((g) => `${g.role}:${g.unit}`).join(',');
  useEffect(() => {
    let live = true;
    const allows = (role: string, action: 'value.write' | 'value.read') =>
      (PERMISSIONS[role as keyof typeof PERMISSIONS] as readonly string[] | undefined)?.includes(action) ?? false;
    const writable = [...new Set(grants.filter((g) => allows(g.role, 'value.write')).map((g) => g.unit))];
    const readable = [...new Set(grants.filter((g) => allows(g.role, 'value.read')).map((g) => g.unit))];
    const roots = writable.length > 0 ? writable : readable;
    (async () => {
      const out: UnitOption[] = [];
      for (const code of roots) {
        const [unit, children] = await Promise.all([
          api.get<OrgUnit>(`/org-units/${encodeURIComponent(code)}`),
          api.get<{ items: OrgUnit[] }>('/org-units', { parent: code, kind: 'region' }),
        ]);
        const label = (u: OrgUnit) => (locale === 'en' && u.nameEn ? u.nameEn : u.name);
        out.push({ code: unit.code, label: label(unit), depth: 0, writable: writable.length > 0 });
        for (const c of children.items)
          out.push({ code: c.code, label: label(c), depth: 1, writable: writable.length > 0 });
      }
      if (live) setState({ options: out });
    })().catch((error: unknown) => live && setState({ error }));
    return () => {
      live = false;
    };
  }, [key, locale]);
  return { options: state.options, error: state.error };
}

/** Years to offer: this year and the seven before it (reporting runs a year behind). */
function yearsOffered(now = new Date()): number[] {
  const y = now.getFullYear();
  return Array.from({ length: 8 }, (_, i) => y - i);
}

function splitPeriod(period: string): { year: string; sub: string } {
  const m = /^(\d{4})(Q[1-4]|\d{2})?$/.exec(period);
  return m ? { year: m[1]!, sub: m[2] ?? '' } : { year: period, sub: '' };
}

export default function EntryPage() {
  const t = useT();
  const locale = useLocale();
  const session = useSession();
  const [query, setQuery] = useQuery();
  const { options, error: unitsError } = useUnitOptions();

  const unit = query.unit ?? options?.[0]?.code ?? '';
  // The latest complete period (a year: last year); the running one may be picked (the server warns).
  const period = query.period ?? latestCompletePeriod('year', new Date());
  const option = options?.find((o) => o.code === unit);

  const [form, setForm] = useState<EntryForm | null>(null);
  const [formError, setFormError] = useState<unknown>(null);
  const [returnState, setReturnState] = useState<ReturnState | null>(null);
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [saveIssues, setSaveIssues] = useState<Map<string, Issue[]>>(new Map());
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error' | 'warning'; text: string } | null>(null);
  const [busy, setBusy] = useState<'save' | 'submit' | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [filter, setFilter] = useState('');
  const [only, setOnly] = useState<'all' | 'problems' | 'empty'>('all');
  const [restored, setRestored] = useState(0);
  const loadedAt = useRef(0);

  const load = useCallback(
    async (opts: { keepNotice?: boolean } = {}) => {
      if (!unit) return;
      setFormError(null);
      if (!opts.keepNotice) setNotice(null);
      try {
        const [f, r] = await Promise.all([
          api.get<EntryForm>('/data/form', { orgUnit: unit, period }),
          api.get<ReturnState>(`/data/returns/${encodeURIComponent(unit)}/${encodeURIComponent(period)}`),
        ]);
        const fresh = Object.fromEntries(f.rows.map((row) => [row.indicator.code, initialDraft(row)]));
        // Figures typed before a reload or a crash, never saved: offer them back.
        let back = 0;
        try {
          const saved = JSON.parse(
            window.localStorage.getItem(backupKey(f.orgUnit.code, f.period)) ?? 'null',
          ) as Record<string, Draft> | null;
          if (saved && !f.locked && f.status !== 'submitted')
            for (const row of f.rows) {
              const d = saved[row.indicator.code];
              if (d && isDirty(row, d)) {
                fresh[row.indicator.code] = d;
                back++;
              }
            }
        } catch {
          // a damaged backup is ignored
        }
        setRestored(back);
        setForm(f);
        setReturnState(r);
        setDrafts(fresh);
        setSaveIssues(new Map());
        loadedAt.current = performance.now();
      } catch (e) {
        setForm(null);
        setFormError(e);
      }
    },
    [unit, period],
  );

  useEffect(() => {
    setForm(null);
    void load();
  }, [load]);

  const editable = !!form && !!option?.writable && !form.locked && form.status !== 'submitted';
  const dirtyCodes = useMemo(
    () => (form ? form.rows.filter((r) => isDirty(r, drafts[r.indicator.code])).map((r) => r.indicator.code) : []),
    [form, drafts],
  );
  const dirty = dirtyCodes.length > 0;
  useUnsavedGuard(dirty, t('entry.unsavedLeave'));

  // Keep unsaved figures in the browser until they are saved.
  useEffect(() => {
    if (!form) return;
    const k = backupKey(form.orgUnit.code, form.period);
    try {
      if (dirty)
        window.localStorage.setItem(k, JSON.stringify(Object.fromEntries(dirtyCodes.map((c) => [c, drafts[c]]))));
      else window.localStorage.removeItem(k);
    } catch {
      // storage full or unavailable: the page still holds them
    }
  }, [form, drafts, dirty, dirtyCodes]);

  const onChange = useCallback((code: string, draft: Draft) => {
    setDrafts((ds) => ({ ...ds, [code]: draft }));
    // The message was about what the cell held before.
    setSaveIssues((m) => {
      if (!m.has(code)) return m;
      const next = new Map(m);
      next.delete(code);
      return next;
    });
  }, []);

  /** The issues to show per row: the last save's or submit's, else the form's own (outlier warnings). */
  const issues = useMemo(() => {
    const out = new Map<string, Issue[]>();
    for (const row of form?.rows ?? []) {
      const code = row.indicator.code;
      const own = saveIssues.get(code) ?? row.issues;
      if (own.length > 0) out.set(code, own);
    }
    return out;
  }, [form, saveIssues]);
  const general = saveIssues.get('') ?? [];

  const changeSelection = (changes: Record<string, string | undefined>) => {
    if (dirty && !window.confirm(t('entry.unsavedLeave'))) return;
    setQuery(changes);
  };

  /** Saves the changed rows; true when everything was saved (warnings allowed). */
  const save = async (): Promise<boolean> => {
    if (!form) return false;
    setActionError(null);
    const { values, errors } = buildSave(form, drafts);
    if (errors.size > 0) {
      setSaveIssues(errors);
      setNotice({ kind: 'error', text: t('entry.localErrors', { n: errors.size }) });
      focusFirstProblem(errors);
      return false;
    }
    if (values.length === 0) {
      setNotice({ kind: 'ok', text: t('entry.nothingToSave') });
      return true;
    }
    try {
      const r = await api.send<{ saved: number; changed: number; issues: Issue[] }>('PUT', '/data/values', { values });
      const warnings = r.issues.filter((i) => i.severity === 'warning').length;
      window.localStorage.removeItem(backupKey(form.orgUnit.code, form.period));
      await load({ keepNotice: true });
      setNotice(
        warnings > 0
          ? { kind: 'warning', text: t('entry.savedWithWarnings', { n: r.saved, w: warnings }) }
          : { kind: 'ok', text: t('entry.saved', { n: r.saved }) },
      );
      return true;
    } catch (e) {
      const found = e instanceof ApiError ? issuesOf(e.details) : [];
      if (found.length > 0) {
        const byRow = issuesByIndicator(found, form);
        setSaveIssues(byRow);
        setNotice({ kind: 'error', text: t('entry.saveFailed', { n: found.length }) });
        focusFirstProblem(byRow);
      } else setActionError(e);
      return false;
    }
  };

  const submit = async () => {
    if (!form) return;
    setBusy('submit');
    try {
      if (dirty && !(await save())) return;
      const empty = form.rows.filter((r) => r.current === null && !drafts[r.indicator.code]?.text.trim()).length;
      if (empty > 0 && !window.confirm(t('entry.confirmSubmitEmpty', { n: empty }))) return;
      setActionError(null);
      await api.send(
        'POST',
        `/data/returns/${encodeURIComponent(form.orgUnit.code)}/${encodeURIComponent(form.period)}/submit`,
        {},
      );
      await load({ keepNotice: true });
      setNotice({ kind: 'ok', text: t('entry.submitted') });
    } catch (e) {
      const found = e instanceof ApiError ? issuesOf(e.details) : [];
      if (found.length > 0) {
        const byRow = issuesByIndicator(found, form);
        setSaveIssues(byRow);
        setNotice({ kind: 'warning', text: t('entry.submitBlocked', { n: found.length }) });
        focusFirstProblem(byRow);
      } else setActionError(e);
    } finally {
      setBusy(null);
    }
  };

  const discard = () => {
    if (!form) return;
    setDrafts(Object.fromEntries(form.rows.map((row) => [row.indicator.code, initialDraft(row)])));
    setSaveIssues(new Map());
    setRestored(0);
  };

  const shown = useMemo(() => {
    if (!form) return [];
    const q = filter.trim().toLowerCase();
    return form.rows.filter((r) => {
      if (q && !`${r.indicator.code} ${r.indicator.name.zh} ${r.indicator.name.en}`.toLowerCase().includes(q))
        return false;
      if (only === 'problems') return issues.has(r.indicator.code);
      if (only === 'empty') return !drafts[r.indicator.code]?.text.trim();
      return true;
    });
  }, [form, filter, only, issues, drafts]);

  const filled = form ? form.rows.filter((r) => drafts[r.indicator.code]?.text.trim()).length : 0;
  const { year, sub } = splitPeriod(period);
  const periodicity = periodicityOf(period);
  const lastReturn = [...(returnState?.events ?? [])].reverse().find((e) => e.action === 'return');

  if (!session.user) return <Page title={t('entry.title')}>{<Empty title={t('error.unauthenticated')} />}</Page>;
  if (unitsError) return <Page title={t('entry.title')}>{<ErrorBox error={unitsError} />}</Page>;
  if (!options) return <Page title={t('entry.title')}>{<Loading />}</Page>;
  if (options.length === 0)
    return (
      <Page title={t('entry.title')}>
        <Empty title={t('entry.noUnits')} />
      </Page>
    );

  return (
    <Page
      title={t('entry.title')}
      subtitle={t('entry.subtitle')}
      actions={
        form && editable ? (
          <div className="toolbar">
            <span className={`entry-dirty ${dirty ? 'on' : ''}`} aria-live="polite" data-testid="dirty-count">
              {dirty ? t('entry.unsavedCount', { n: dirtyCodes.length }) : t('entry.allSaved')}
            </span>
            <button
              type="button"
              className="btn"
              disabled={!!busy}
              data-testid="save"
              onClick={() => {
                setBusy('save');
                void save().finally(() => setBusy(null));
              }}
            >
              {busy === 'save' ? t('entry.saving') : t('entry.save')}
            </button>
            <button
              type="button"
              className="btn btn-primary"
              disabled={!!busy}
              data-testid="submit"
              onClick={() => void submit()}
            >
              {busy === 'submit' ? t('entry.submitting') : t('entry.submit')}
            </button>
          </div>
        ) : undefined
      }
    >
      <div className="entry-pickers toolbar" role="group" aria-label={t('entry.period')}>
        <label>
          {t('entry.unit')}{' '}
          <select value={unit} data-testid="unit-select" onChange={(e) => changeSelection({ unit: e.target.value })}>
            {options.map((o) => (
              <option key={o.code} value={o.code}>
                {`${o.depth ? '\u3000' : ''}${o.label}${locale === 'en' ? ` (${o.code})` : `（${o.code}）`}`}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('entry.periodicity')}{' '}
          <select
            value={periodicity}
            data-testid="periodicity-select"
            onChange={(e) =>
              changeSelection({ unit, period: latestCompletePeriod(e.target.value as Periodicity, new Date()) })
            }
          >
            {(['year', 'quarter', 'month'] as const).map((p) => (
              <option key={p} value={p}>
                {t(`entry.periodicity.${p}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('entry.year')}{' '}
          <select
            value={year}
            data-testid="year-select"
            onChange={(e) => changeSelection({ unit, period: periodIn(periodicity, e.target.value, sub, new Date()) })}
          >
            {[...new Set([...yearsOffered().map(String), year])]
              .sort()
              .reverse()
              .map((y) => (
                <option key={y} value={y}>
                  {formatPeriod(y, locale)}
                  {periodicity === 'year' && !hasEnded(y, new Date()) ? ` ${t('entry.running')}` : ''}
                </option>
              ))}
          </select>
        </label>
        {periodicity !== 'year' && (
          <label>
            {t(periodicity === 'quarter' ? 'entry.quarterPick' : 'entry.monthPick')}{' '}
            <select
              value={sub}
              data-testid="sub-select"
              onChange={(e) => changeSelection({ unit, period: `${year}${e.target.value}` })}
            >
              {(periodicity === 'quarter'
                ? [1, 2, 3, 4].map((n) => ({ value: `Q${n}`, label: t('entry.quarter', { n }) }))
                : Array.from({ length: 12 }, (_, i) => ({
                    value: String(i + 1).padStart(2, '0'),
                    label: t('entry.month', { n: i + 1 }),
                  }))
              ).map((o) => {
                const id = `${year}${o.value}`;
                const now = new Date();
                return (
                  // A period not begun is refused by the server (period_not_started): not offered.
                  <option key={o.value} value={o.value} disabled={!hasBegun(id, now)}>
                    {o.label}
                    {hasBegun(id, now) && !hasEnded(id, now) ? ` ${t('entry.running')}` : ''}
                  </option>
                );
              })}
            </select>
          </label>
        )}
        {form && <ReturnBadge form={form} />}
      </div>

      {formError ? (
        <ErrorBox error={formError} onRetry={() => void load()} />
      ) : !form ? (
        <Loading />
      ) : (
        <>
          {!option?.writable && <p className="entry-note">{t('entry.readOnly')}</p>}
          {form.locked && <p className="entry-note info">{t('entry.state.approved')}</p>}
          {!form.locked && form.status === 'submitted' && (
            <p className="entry-note info">{t('entry.state.submitted')}</p>
          )}
          {!form.locked && form.status === 'returned' && (
            <div className="entry-note warning" role="note" data-testid="returned-note">
              <strong>{t('entry.state.returned')}</strong>
              {lastReturn?.reason && (
                <p>
                  {t('entry.returnReason', { reason: lastReturn.reason })}{' '}
                  <span className="muted small">
                    {t('approvals.by', { by: lastReturn.by ?? '—', at: formatDate(lastReturn.at, locale, true) })}
                  </span>
                </p>
              )}
            </div>
          )}
          {restored > 0 && (
            <p className="entry-note info">
              {t('entry.restored', { n: restored })}{' '}
              <button type="button" className="btn btn-small" onClick={discard}>
                {t('entry.discard')}
              </button>
            </p>
          )}
          <div aria-live="polite" data-testid="entry-notice">
            {notice && <p className={`entry-note ${notice.kind}`}>{notice.text}</p>}
          </div>
          {general.length > 0 && (
            <div className="entry-note error" role="alert">
              {t('entry.generalIssues')}
              <ul>
                {general.map((i, k) => (
                  <li key={k}>{issueText(i, locale)}</li>
                ))}
              </ul>
            </div>
          )}
          {actionError !== null && <ErrorBox error={actionError} />}

          {form.rows.length === 0 ? (
            <Empty title={t('entry.noRows')} />
          ) : (
            <Card
              title={`${form.orgUnit.name} · ${formatPeriod(form.period, locale)}`}
              actions={
                <div className="toolbar">
                  <span className="muted small" data-testid="filled-count">
                    {t('entry.filled', { filled, total: form.rows.length })}
                  </span>
                  <input
                    type="search"
                    value={filter}
                    placeholder={t('entry.searchPlaceholder')}
                    aria-label={t('entry.search')}
                    data-testid="entry-search"
                    onChange={(e) => setFilter(e.target.value)}
                  />
                  <div className="segmented" role="group">
                    {(['all', 'problems', 'empty'] as const).map((k) => (
                      <button
                        key={k}
                        type="button"
                        aria-pressed={only === k}
                        data-testid={`only-${k}`}
                        onClick={() => setOnly(k)}
                      >
                        {k === 'all'
                          ? t('common.all')
                          : k === 'problems'
                            ? t('entry.onlyProblems')
                            : t('entry.onlyEmpty')}
                      </button>
                    ))}
                  </div>
                </div>
              }
            >
              {shown.length === 0 ? (
                <Empty title={t('entry.noMatch')} />
              ) : (
                <EntryGrid rows={shown} drafts={drafts} issues={issues} editable={editable} onChange={onChange} />
              )}
            </Card>
          )}
          <ExcelPanel
            orgUnit={form.orgUnit.code}
            period={form.period}
            editable={editable}
            onImported={() => void load({ keepNotice: true })}
          />
        </>
      )}
    </Page>
  );
}

function ReturnBadge({ form }: { form: EntryForm }) {
  const t = useT();
  const status = form.locked ? 'approved' : form.status;
  return (
    <span className={`badge return-${status}`} data-testid="return-status" data-status={status}>
      {t('entry.statusIs', { status: t(`return.${status}`) })}
      {form.locked && ` · ${t('return.locked')}`}
    </span>
  );
}

/** Puts the cursor in the first cell with a problem, so the reporter can start fixing at once. */
function focusFirstProblem(byRow: ReadonlyMap<string, Issue[]>): void {
  window.requestAnimationFrame(() => {
    for (const code of byRow.keys()) {
      const input = document.querySelector<HTMLInputElement>(`[data-testid="value-${CSS.escape(code)}"]`);
      if (input) {
        input.focus();
        input.scrollIntoView({ block: 'center' });
        return;
      }
    }
  });
}
