/**
 * Filing a progress report: what was done (required), percent complete, the milestone it reaches,
 * and evidence files (checked here for type and size as the server checks them, sent as base64).
 */
import { useState, type FormEvent } from 'react';
import { api } from '../../api';
import { ErrorBox } from '../../components';
import { formatDate } from '../../format';
import { useLocale, useT } from '../../i18n';
import type { TaskItemDetail } from './types';

/** What the server accepts as evidence (services/tasks.ts EVIDENCE_TYPES), 5 MB each, 10 at most. */
const EVIDENCE_TYPES = [
  'application/pdf',
  'image/jpeg',
  'image/png',
  'text/plain',
  'text/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
];
const MAX_BYTES = 5 * 1024 * 1024;
const MAX_FILES = 10;

function base64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error(`cannot read ${file.name}`));
    reader.readAsDataURL(file);
  });
}

export function ReportForm({ item, onReported }: { item: TaskItemDetail; onReported(item: TaskItemDetail): void }) {
  const t = useT();
  const locale = useLocale();
  const [text, setText] = useState('');
  const [percent, setPercent] = useState(String(item.percentComplete));
  const [milestone, setMilestone] = useState('');
  const [reached, setReached] = useState(false);
  const [files, setFiles] = useState<File[]>([]);
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState(false);
  /** Changing it gives a fresh file input (the browser keeps a chosen file otherwise). */
  const [fileKey, setFileKey] = useState(0);

  const check = (): string[] => {
    const out: string[] = [];
    if (!text.trim()) out.push(t('tasks.report.textRequired'));
    const p = Number(percent);
    if (percent.trim() !== '' && (!Number.isInteger(p) || p < 0 || p > 100)) out.push(t('tasks.report.badPercent'));
    if (files.length > MAX_FILES) out.push(t('tasks.report.tooMany'));
    for (const f of files) {
      if (!EVIDENCE_TYPES.includes(f.type)) out.push(t('tasks.report.badType', { name: f.name }));
      else if (f.size > MAX_BYTES) out.push(t('tasks.report.tooBig', { name: f.name }));
    }
    return out;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSent(false);
    setError(null);
    const found = check();
    setProblems(found);
    if (found.length > 0) return;
    setBusy(true);
    try {
      const evidence = await Promise.all(
        files.map(async (f) => ({ fileName: f.name, mediaType: f.type, contentBase64: await base64(f) })),
      );
      const updated = await api.send<TaskItemDetail>('POST', `/task-items/${item.id}/reports`, {
        text: text.trim(),
        ...(percent.trim() !== '' && { percentComplete: Number(percent) }),
        ...(milestone && { milestoneId: Number(milestone), milestoneReached: reached }),
        ...(evidence.length > 0 && { evidence }),
      });
      setText('');
      setFiles([]);
      setFileKey((k) => k + 1);
      setMilestone('');
      setReached(false);
      setSent(true);
      onReported(updated);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="report-form" onSubmit={(e) => void submit(e)} noValidate data-testid="report-form">
      <label htmlFor="report-text">{t('tasks.report.text')}</label>
      <textarea
        id="report-text"
        value={text}
        placeholder={t('tasks.report.textPlaceholder')}
        aria-invalid={problems.length > 0 && !text.trim() ? true : undefined}
        data-testid="report-text"
        onChange={(e) => setText(e.target.value)}
      />
      <div className="report-row">
        <label>
          {t('tasks.report.percent')}{' '}
          <input
            type="number"
            min={0}
            max={100}
            step={1}
            className="report-percent"
            value={percent}
            data-testid="report-percent"
            onChange={(e) => setPercent(e.target.value)}
          />
        </label>
        {item.milestones.some((m) => !m.reachedAt) && (
          <>
            <label>
              {t('tasks.report.milestone')}{' '}
              <select value={milestone} onChange={(e) => setMilestone(e.target.value)}>
                <option value="">{t('tasks.report.noMilestone')}</option>
                {item.milestones
                  .filter((m) => !m.reachedAt)
                  .map((m) => (
                    <option key={m.id} value={m.id}>
                      {m.title} · {formatDate(m.due, locale)}
                    </option>
                  ))}
              </select>
            </label>
            {milestone && (
              <label className="entry-check">
                <input type="checkbox" checked={reached} onChange={(e) => setReached(e.target.checked)} />
                {t('tasks.report.reached')}
              </label>
            )}
          </>
        )}
      </div>
      <label>
        {t('tasks.report.evidence')}{' '}
        <input
          key={fileKey}
          type="file"
          multiple
          accept={EVIDENCE_TYPES.join(',')}
          data-testid="report-evidence"
          onChange={(e) => setFiles([...(e.target.files ?? [])])}
        />
      </label>
      <p className="muted small">{t('tasks.report.evidenceHint')}</p>
      {files.length > 0 && (
        <ul className="evidence">
          {files.map((f) => (
            <li key={f.name}>
              {f.name} <span className="muted small">{Math.max(1, Math.round(f.size / 1024))} KB</span>
            </li>
          ))}
        </ul>
      )}
      {problems.length > 0 && (
        <ul className="entry-note error" role="alert">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      {error !== null && <ErrorBox error={error} />}
      {sent && (
        <p className="entry-note ok" role="status">
          {t('tasks.report.sent')}
        </p>
      )}
      <div>
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="report-submit">
          {busy ? t('tasks.report.sending') : t('tasks.report.submit')}
        </button>
      </div>
    </form>
  );
}
