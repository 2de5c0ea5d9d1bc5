/** Loading, empty and error states: every page shows one of them instead of a blank area. */
import { ApiError } from '../api';
import { useT } from '../i18n';
import type { ReactNode } from 'react';

export function Loading({ label, inline }: { label?: string; inline?: boolean }) {
  const t = useT();
  return (
    <div className={inline ? 'loading inline' : 'loading'} role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label ?? t('common.loading')}</span>
    </div>
  );
}

export function Empty({ children, title }: { children?: ReactNode; title?: string }) {
  const t = useT();
  return (
    <div className="empty">
      <strong>{title ?? t('common.empty')}</strong>
      {children && <div>{children}</div>}
    </div>
  );
}

export function ErrorBox({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const t = useT();
  const e = error instanceof ApiError ? error : null;
  const message = e ? e.message : error instanceof Error ? error.message : String(error);
  const title =
    e?.status === 401
      ? t('error.unauthenticated')
      : e?.status === 403
        ? t('error.forbidden')
        : e?.status === 404
          ? t('error.notFound')
          : e?.status === 0
            ? t('error.network')
            : t('error.title');
  return (
    <div className="error-box" role="alert">
      <strong>{title}</strong>
      <p>{message}</p>
      {e?.issues && e.issues.length > 0 && (
        <ul>
          {e.issues.slice(0, 20).map((i, k) => (
            <li key={k}>
              {[i.row !== undefined ? t('error.row', { row: i.row }) : null, i.field ?? i.path, i.message]
                .filter(Boolean)
                .join(' · ')}
            </li>
          ))}
        </ul>
      )}
      {e?.code && <code className="muted">{e.code}</code>}
      {onRetry && (
        <button type="button" className="btn" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

/** Marks data that is not real: 示例数据 / synthetic. */
export function SyntheticBadge({ title }: { title?: string }) {
  const t = useT();
  return (
    <span className="badge synthetic" title={title ?? t('synthetic.hint')}>
      {t('synthetic.label')}
    </span>
  );
}
