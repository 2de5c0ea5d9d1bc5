/**
 * The Excel route: download the unit's template for the period, upload it filled in, and see every
 * rejected row with its place in the file and the reason (the same checks as the form).
 */
import { useRef, useState } from 'react';
import { api, apiUrl, ApiError } from '../../api';
import { Card, ErrorBox } from '../../components';
import { useLocale, useT } from '../../i18n';
import { IssueTable } from './IssueTable';
import { issuesOf, type Issue } from './model';

interface ImportResult {
  file: string;
  rows: number;
  saved: number;
  changed: number;
  rejected: Issue[];
  warnings: Issue[];
  template: { orgUnit: string; period: string } | null;
}

export function ExcelPanel({
  orgUnit,
  period,
  editable,
  onImported,
}: {
  orgUnit: string;
  period: string;
  editable: boolean;
  onImported: () => void;
}) {
  const t = useT();
  const locale = useLocale();
  const input = useRef<HTMLInputElement>(null);
  const [partial, setPartial] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [failure, setFailure] = useState<{ error: unknown; issues: Issue[] } | null>(null);

  const upload = async (file: File) => {
    setBusy(true);
    setResult(null);
    setFailure(null);
    try {
      const r = await api.upload<ImportResult>(`/data/import${partial ? '?partial=true' : ''}`, file);
      setResult(r);
      onImported();
    } catch (e) {
      setFailure({ error: e, issues: e instanceof ApiError ? issuesOf(e.details) : [] });
    } finally {
      setBusy(false);
      if (input.current) input.current.value = '';
    }
  };

  const href = apiUrl('/data/template', { orgUnit, period, lang: locale === 'en' ? 'en' : 'zh' });
  return (
    <Card title={t('entry.excel.title')} testId="excel-panel">
      <p className="muted small">{t('entry.excel.hint')}</p>
      <div className="toolbar">
        <a className="btn" href={href} download data-testid="template-download">
          {t('entry.excel.download')}
        </a>
        {editable && (
          <>
            <label className="btn" aria-busy={busy}>
              {busy ? t('entry.excel.uploading') : t('entry.excel.upload')}
              <input
                ref={input}
                type="file"
                accept=".xlsx,.csv"
                className="sr-only"
                disabled={busy}
                data-testid="template-upload"
                onChange={(e) => {
                  const f = e.target.files?.[0];
                  if (f) void upload(f);
                }}
              />
            </label>
            <label className="entry-check">
              <input type="checkbox" checked={partial} onChange={(e) => setPartial(e.target.checked)} />
              {t('entry.excel.partial')}
            </label>
          </>
        )}
      </div>
      <div aria-live="polite" data-testid="import-result">
        {result && (
          <div className="entry-import-result">
            <p className="entry-note ok">
              {t('entry.excel.result', { rows: result.rows, saved: result.saved, changed: result.changed })}
            </p>
            {result.rejected.length > 0 && (
              <>
                <p className="entry-note error">{t('entry.excel.rejected', { n: result.rejected.length })}</p>
                <IssueTable issues={result.rejected} testId="import-rejected" />
              </>
            )}
            {result.warnings.length > 0 && (
              <>
                <p className="entry-note warning">{t('entry.excel.warnings', { n: result.warnings.length })}</p>
                <IssueTable issues={result.warnings} testId="import-warnings" />
              </>
            )}
          </div>
        )}
        {failure &&
          (failure.issues.length > 0 ? (
            <div className="entry-import-result">
              <p className="entry-note error" role="alert">
                {t('entry.excel.failed', { n: failure.issues.length })}
              </p>
              <IssueTable issues={failure.issues} testId="import-rejected" />
            </div>
          ) : (
            <ErrorBox error={failure.error} />
          ))}
      </div>
    </Card>
  );
}
