/** Problems of an uploaded file, one line each: where (sheet, row, column), which indicator, why. */
import { useLocale, useT } from '../../i18n';
import { issueText, type Issue } from './model';

export function IssueTable({ issues, testId }: { issues: readonly Issue[]; testId?: string }) {
  const t = useT();
  const locale = useLocale();
  return (
    <div className="table-wrap">
      <table className="data-table dense entry-issues" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col" style={{ textAlign: 'right', width: 56 }}>
              {t('entry.excel.col.row')}
            </th>
            <th scope="col" style={{ width: 56 }}>
              {t('entry.excel.col.column')}
            </th>
            <th scope="col" style={{ width: 200 }}>
              {t('entry.excel.col.indicator')}
            </th>
            <th scope="col">{t('entry.excel.col.message')}</th>
          </tr>
        </thead>
        <tbody>
          {issues.map((i, k) => (
            <tr key={k} className={i.severity === 'warning' ? 'issue-warning' : 'issue-error'}>
              <td style={{ textAlign: 'right' }} className="num">
                {i.row ?? '—'}
              </td>
              <td>{i.column ?? '—'}</td>
              <td>
                <code>{i.indicator ?? '—'}</code>
                {i.sheet && <div className="muted small">{i.sheet}</div>}
              </td>
              <td>{issueText(i, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
