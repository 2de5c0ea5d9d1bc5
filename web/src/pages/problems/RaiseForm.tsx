/** Raising a problem (登记问题) about a unit: title, category (the seven problem lists among them), description. */
import { useState, type FormEvent } from 'react';
import { api } from '../../api';
import { ErrorBox } from '../../components';
import { useName, useT } from '../../i18n';
import { useUnitDirectory } from '../tasks/units';
import type { Problem } from './types';

export interface Category {
  code: string;
  zh: string;
  en: string;
  sevenLists: boolean;
}

export function RaiseForm({
  categories,
  defaultUnit,
  onRaised,
  onCancel,
}: {
  categories: Category[];
  defaultUnit: string;
  onRaised(p: Problem): void;
  onCancel(): void;
}) {
  const t = useT();
  const name = useName();
  const units = useUnitDirectory();
  const [title, setTitle] = useState('');
  const [category, setCategory] = useState(categories.find((c) => c.code === 'supervision')?.code ?? '');
  const [unit, setUnit] = useState(defaultUnit);
  const [description, setDescription] = useState('');
  const [missing, setMissing] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const gaps = [
      !title.trim() && t('problems.raise.needTitle'),
      !category && t('problems.raise.needCategory'),
      !unit && t('problems.form.needUnit'),
    ].filter((x): x is string => !!x);
    setMissing(gaps);
    if (gaps.length > 0) return;
    setBusy(true);
    setError(null);
    try {
      const p = await api.send<Problem>('POST', '/problems', {
        title: title.trim(),
        category,
        orgUnit: unit,
        ...(description.trim() && { description: description.trim() }),
      });
      onRaised(p);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="transition-form raise-form" onSubmit={(e) => void submit(e)} noValidate data-testid="raise-form">
      <strong>{t('problems.raise.title')}</strong>
      <label>
        {t('problems.raise.problemTitle')}
        <input value={title} data-testid="raise-title" onChange={(e) => setTitle(e.target.value)} />
      </label>
      <div className="report-row">
        <label>
          {t('problems.category')}
          <select value={category} data-testid="raise-category" onChange={(e) => setCategory(e.target.value)}>
            <option value="">—</option>
            {categories
              .filter((c) => c.code !== 'indicator' && c.code !== 'milestone')
              .map((c) => (
                <option key={c.code} value={c.code}>
                  {name(c)}
                </option>
              ))}
          </select>
        </label>
        <label>
          {t('problems.detail.unit')}
          <select value={unit} data-testid="raise-unit" onChange={(e) => setUnit(e.target.value)}>
            <option value="">—</option>
            {units.units.map((u) => (
              <option key={u.code} value={u.code}>
                {units.name(u.code)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <label>
        {t('problems.raise.description')}
        <textarea value={description} onChange={(e) => setDescription(e.target.value)} />
      </label>
      {missing.length > 0 && (
        <ul className="entry-msg error" role="alert">
          {missing.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
      {error !== null && <ErrorBox error={error} />}
      <div className="problem-actions">
        <button type="submit" className="btn btn-small btn-primary" disabled={busy} data-testid="raise-submit">
          {t('problems.raise.submit')}
        </button>
        <button type="button" className="btn btn-small" disabled={busy} onClick={onCancel}>
          {t('problems.form.cancel')}
        </button>
      </div>
    </form>
  );
}
