import { useT } from '../i18n';
import { asStatus, STATUS_COLOURS, STATUS_SYMBOLS, statusKey } from '../status';

/** A status as a symbol, a word and a colour (never colour alone). */
export function StatusBadge({ status, compact }: { status: string | null | undefined; compact?: boolean }) {
  const t = useT();
  const s = asStatus(status ?? 'no_data');
  return (
    <span
      className={`status-badge status-${s}`}
      style={{ '--status': STATUS_COLOURS[s] } as React.CSSProperties}
      title={t(statusKey(s))}
    >
      <span aria-hidden="true">{STATUS_SYMBOLS[s]}</span>
      {compact ? <span className="sr-only">{t(statusKey(s))}</span> : <span>{t(statusKey(s))}</span>}
    </span>
  );
}
