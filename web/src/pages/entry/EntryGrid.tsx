/**
 * The reporter's grid: one row per indicator with last period's value and the target beside the
 * cell, numbers right-aligned, and the server's messages under the cell they are about. Enter (or
 * ↓) goes to the next value, Shift+Enter (or ↑) to the one before; Tab walks value → comment → next.
 */
import { memo, useCallback, type KeyboardEvent } from 'react';
import { SyntheticBadge } from '../../components';
import { useLocale, useName, useT } from '../../i18n';
import {
  changeFromPrevious,
  entryUnitLabel,
  issueText,
  isDirty,
  localizeTarget,
  parseInput,
  toDisplayText,
  unitDef,
  type Draft,
  type FormRow,
  type Issue,
} from './model';

export interface GridProps {
  rows: readonly FormRow[];
  drafts: Readonly<Record<string, Draft>>;
  issues: ReadonlyMap<string, Issue[]>;
  editable: boolean;
  onChange(code: string, draft: Draft): void;
}

/** Moves the focus to another row's value cell (by its position among the shown rows). */
function focusValue(table: HTMLElement | null, index: number): boolean {
  const next = table?.querySelector<HTMLInputElement>(`input[data-value-index="${index}"]`);
  if (!next) return false;
  next.focus();
  next.select();
  return true;
}

export function EntryGrid({ rows, drafts, issues, editable, onChange }: GridProps) {
  const t = useT();
  const onKeyDown = useCallback((e: KeyboardEvent<HTMLInputElement>) => {
    const index = Number(e.currentTarget.dataset.valueIndex);
    const table = e.currentTarget.closest('table');
    const down = (e.key === 'Enter' && !e.shiftKey) || e.key === 'ArrowDown';
    const up = (e.key === 'Enter' && e.shiftKey) || e.key === 'ArrowUp';
    if ((down && focusValue(table, index + 1)) || (up && focusValue(table, index - 1))) e.preventDefault();
    else if (e.key === 'Enter') e.preventDefault(); // never submits anything by accident
  }, []);
  return (
    <div className="table-wrap entry-wrap">
      <table className="data-table entry-grid" data-testid="entry-grid">
        <thead>
          <tr>
            <th scope="col" className="col-indicator">
              {t('entry.col.indicator')}
            </th>
            <th scope="col" className="col-unit">
              {t('entry.col.unit')}
            </th>
            <th scope="col" className="num col-previous">
              {t('entry.col.previous')}
            </th>
            <th scope="col" className="col-target">
              {t('entry.col.target')}
            </th>
            <th scope="col" className="num col-value">
              {t('entry.col.value')}
            </th>
            <th scope="col" className="col-comment">
              {t('entry.col.comment')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <GridRow
              key={row.indicator.code}
              row={row}
              index={i}
              draft={drafts[row.indicator.code]}
              issues={issues.get(row.indicator.code)}
              editable={editable}
              onChange={onChange}
              onKeyDown={onKeyDown}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

const GridRow = memo(function GridRow({
  row,
  index,
  draft,
  issues,
  editable,
  onChange,
  onKeyDown,
}: {
  row: FormRow;
  index: number;
  draft: Draft | undefined;
  issues: Issue[] | undefined;
  editable: boolean;
  onChange(code: string, draft: Draft): void;
  onKeyDown(e: KeyboardEvent<HTMLInputElement>): void;
}) {
  const t = useT();
  const locale = useLocale();
  const name = useName();
  const code = row.indicator.code;
  const unit = row.indicator.unit;
  const d = draft ?? { text: '', comment: '', confirm: false };
  const errors = (issues ?? []).filter((i) => i.severity === 'error');
  const warnings = (issues ?? []).filter((i) => i.severity === 'warning');
  const dirty = isDirty(row, draft);
  const parsed = parseInput(d.text, row);
  const change = parsed.ok ? changeFromPrevious(parsed.value, row.previous?.value) : null;
  const rate = unitDef(unit)?.kind === 'share' || unitDef(unit)?.kind === 'rate';
  const messageId = `entry-msg-${code}`;
  const unitText = entryUnitLabel(unit, locale);
  const label = name(row.indicator.name);
  const state = errors.length > 0 ? 'error' : warnings.length > 0 ? 'warning' : dirty ? 'dirty' : '';
  return (
    <tr data-indicator={code} data-state={state || undefined} className={state ? `row-${state}` : undefined}>
      <th scope="row" className="col-indicator">
        <span className="entry-name">{label}</span>
        <span className="entry-code">
          <code>{code}</code>
          {row.current?.synthetic && <SyntheticBadge />}
        </span>
      </th>
      <td className="col-unit">{unitText}</td>
      <td className="num col-previous" data-previous={row.previous?.value ?? ''}>
        {toDisplayText(row.previous?.value, unit, locale)}
        {row.previous && <div className="muted small">{row.previous.period}</div>}
      </td>
      <td className="col-target small">{localizeTarget(row.target, unit, locale)}</td>
      <td className="num col-value">
        <input
          className="entry-value"
          inputMode="decimal"
          autoComplete="off"
          value={d.text}
          readOnly={!editable}
          aria-label={t('entry.valueLabel', { name: label, unit: unitText })}
          aria-invalid={errors.length > 0 || undefined}
          aria-describedby={issues?.length ? messageId : undefined}
          title={rate ? t('entry.rateHint') : undefined}
          data-value-index={index}
          data-testid={`value-${code}`}
          onChange={(e) => onChange(code, { ...d, text: e.target.value })}
          onKeyDown={onKeyDown}
        />
        {change !== null && Number.isFinite(change) && d.text.trim() !== '' && (
          <div className={`entry-change small ${Math.abs(change) > 0.5 ? 'big' : ''}`}>
            {t('entry.change', { change: `${change >= 0 ? '+' : ''}${(change * 100).toFixed(1)}%` })}
          </div>
        )}
      </td>
      <td className="col-comment">
        <input
          className="entry-comment"
          value={d.comment}
          readOnly={!editable}
          placeholder={editable ? t('entry.commentPlaceholder') : ''}
          aria-label={t('entry.commentLabel', { name: label })}
          data-testid={`comment-${code}`}
          onChange={(e) => onChange(code, { ...d, comment: e.target.value })}
        />
        {issues && issues.length > 0 && (
          <div id={messageId} className="entry-messages" data-testid={`issues-${code}`}>
            {errors.map((i, k) => (
              <p key={`e${k}`} className="entry-msg error" data-code={i.code}>
                <span aria-hidden="true">✕ </span>
                {issueText(i, locale)}
              </p>
            ))}
            {warnings.map((i, k) => (
              <p key={`w${k}`} className="entry-msg warning" data-code={i.code}>
                <span aria-hidden="true">▲ </span>
                {issueText(i, locale)}
              </p>
            ))}
            {warnings.length > 0 && editable && (
              <label className="entry-check" title={t('entry.confirmHint')}>
                <input
                  type="checkbox"
                  checked={d.confirm}
                  data-testid={`confirm-${code}`}
                  onChange={(e) => onChange(code, { ...d, confirm: e.target.checked })}
                />
                {t('entry.confirm')}
              </label>
            )}
          </div>
        )}
      </td>
    </tr>
  );
});
