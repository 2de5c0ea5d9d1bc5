/**
 * 报告: the assessment report of a year (GET /reports/assessment) — the whole city or one county's
 * scorecard, as an HTML page to print (opened in a new tab) or an XLSX workbook (downloaded), in
 * Chinese or English. Generating takes a few seconds, so the button says so while it works.
 */
import { useState } from 'react';
import { api, ApiError, apiUrl } from '../../api';
import { Card, ErrorBox, Loading, Page, SyntheticBadge, useApi } from '../../components';
import { useLocale, useT } from '../../i18n';
import { useSession } from '../../session';
import type { Overview } from '../../types';

type Format = 'html' | 'xlsx';
type Lang = 'zh' | 'en';

/** The report's file, or an ApiError with the server's message in the user's language. */
async function fetchReport(url: string, locale: string): Promise<{ blob: Blob; fileName: string }> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'same-origin', headers: { 'accept-language': locale } });
  } catch (e) {
    throw new ApiError(0, 'NETWORK', e instanceof Error ? e.message : String(e));
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as {
      error?: { code?: string; message?: string; messageZh?: string };
    } | null;
    const e = body?.error;
    const message = (locale === 'zh-CN' ? e?.messageZh : undefined) ?? e?.message ?? `HTTP ${response.status}`;
    throw new ApiError(response.status, e?.code ?? `HTTP_${response.status}`, message);
  }
  const disposition = response.headers.get('content-disposition') ?? '';
  const fileName = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'report';
  return { blob: await response.blob(), fileName };
}

export default function ReportsPage() {
  const t = useT();
  const locale = useLocale();
  const { can } = useSession();
  const overview = useApi(() => api.get<Overview>('/overview'), []);
  const [year, setYear] = useState<string>('');
  const [org, setOrg] = useState('');
  const [format, setFormat] = useState<Format>('html');
  const [lang, setLang] = useState<Lang>(locale === 'en' ? 'en' : 'zh');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);

  if (overview.error) return <ErrorBox error={overview.error} onRetry={overview.reload} />;
  if (!overview.data) return <Loading />;
  const o = overview.data;
  const root = o.plan.rootOrgUnit;
  const years: string[] = [];
  for (let y = o.run.asOfYear; y >= o.plan.baseYear; y--) years.push(String(y));
  const period = year || String(o.run.asOfYear);
  const counties = o.units.filter((u) => u.code !== root);
  const allowed = can('report.read', org || root);
  const url = apiUrl('/reports/assessment', { period, org: org || undefined, format, lang });

  const generate = async (opened: Window | null) => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const { blob, fileName } = await fetchReport(url, locale);
      const objectUrl = URL.createObjectURL(blob);
      if (format === 'html') {
        if (opened) opened.location.href = objectUrl;
        else window.open(objectUrl, '_blank');
      } else {
        const a = document.createElement('a');
        a.href = objectUrl;
        a.download = fileName;
        document.body.append(a);
        a.click();
        a.remove();
      }
      // The new tab has loaded it (or the download started) before the URL goes away.
      setTimeout(() => URL.revokeObjectURL(objectUrl), 60_000);
      setDone(fileName);
    } catch (e) {
      opened?.close();
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const label = busy ? t('reports.busy') : t(format === 'html' ? 'reports.openHtml' : 'reports.downloadXlsx');
  return (
    <Page
      title={t('reports.title')}
      subtitle={t('reports.subtitle')}
      badges={o.values.synthetic > 0 ? <SyntheticBadge title={t('reports.synthetic')} /> : undefined}
    >
      <Card>
        {!allowed ? (
          <p data-testid="reports-forbidden">{t('reports.noPermission')}</p>
        ) : (
          <form
            className="toolbar"
            style={{ flexWrap: 'wrap', gap: 16, alignItems: 'flex-end' }}
            onSubmit={(e) => e.preventDefault()}
          >
            <label className="toolbar">
              <span>{t('reports.year')}</span>
              <select value={period} data-testid="reports-year" onChange={(e) => setYear(e.target.value)}>
                {years.map((y) => (
                  <option key={y} value={y}>
                    {y}
                  </option>
                ))}
              </select>
            </label>
            <label className="toolbar">
              <span>{t('reports.org')}</span>
              <select value={org} data-testid="reports-org" onChange={(e) => setOrg(e.target.value)}>
                <option value="">{t('reports.org.all')}</option>
                {counties.map((u) => (
                  <option key={u.code} value={u.code}>
                    {u.name}
                  </option>
                ))}
              </select>
            </label>
            <label className="toolbar">
              <span>{t('reports.format')}</span>
              <select value={format} data-testid="reports-format" onChange={(e) => setFormat(e.target.value as Format)}>
                <option value="html">{t('reports.format.html')}</option>
                <option value="xlsx">{t('reports.format.xlsx')}</option>
              </select>
            </label>
            <label className="toolbar">
              <span>{t('reports.lang')}</span>
              <select value={lang} data-testid="reports-lang" onChange={(e) => setLang(e.target.value as Lang)}>
                <option value="zh">{t('reports.lang.zh')}</option>
                <option value="en">{t('reports.lang.en')}</option>
              </select>
            </label>
            {/* A real link (copy it, middle-click it); a click fetches it here so the wait and any
                error show on this page. */}
            <a
              href={url}
              target={format === 'html' ? '_blank' : undefined}
              rel="noopener"
              download={format === 'xlsx' ? '' : undefined}
              className="btn btn-primary"
              role="button"
              aria-busy={busy}
              aria-disabled={busy}
              data-testid="reports-open"
              data-format={format}
              onClick={(e) => {
                e.preventDefault();
                if (busy) return;
                // Opened now, within the click, so that no pop-up blocker stops it.
                void generate(format === 'html' ? window.open('', '_blank') : null);
              }}
            >
              {label}
            </a>
          </form>
        )}
        <p className="muted small">{t('reports.slow')}</p>
        {done && (
          <p className="small" role="status" data-testid="reports-done">
            {t('reports.done', { file: done })}
          </p>
        )}
        {error !== null && <ErrorBox error={error} />}
      </Card>
    </Page>
  );
}
