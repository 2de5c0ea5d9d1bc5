/**
 * A table with sortable columns: each sortable header is a button (keyboard accessible) and the header
 * carries aria-sort. Missing values sort last whichever the direction.
 */
import { useMemo, useState, type ReactNode } from 'react';
import { useLocale, useT } from '../i18n';
import { Empty } from './states';

export interface Column<R> {
  key: string;
  header: ReactNode;
  render?: (row: R, index: number) => ReactNode;
  /** The value to sort by; columns without it are not sortable. */
  sortValue?: (row: R) => number | string | null | undefined;
  align?: 'left' | 'right' | 'center';
  width?: number | string;
  /** Sort descending on the first click (scores, values). */
  descFirst?: boolean;
}

export interface DataTableProps<R> {
  columns: Column<R>[];
  rows: readonly R[];
  rowKey: (row: R) => string;
  initialSort?: { key: string; dir: 'asc' | 'desc' };
  onRowClick?: (row: R) => void;
  caption?: string;
  empty?: ReactNode;
  dense?: boolean;
  testId?: string;
  /** Show only the first rows (after sorting); the caller offers "show all". */
  limit?: number;
}

export function DataTable<R>({
  columns,
  rows,
  rowKey,
  initialSort,
  onRowClick,
  caption,
  empty,
  dense,
  testId,
  limit,
}: DataTableProps<R>) {
  const t = useT();
  const locale = useLocale();
  const [sort, setSort] = useState(initialSort);
  const sorted = useMemo(() => {
    const col = sort && columns.find((c) => c.key === sort.key);
    if (!col?.sortValue) return rows;
    const collator = new Intl.Collator(locale === 'en' ? 'en' : 'zh-CN', { numeric: true });
    const dir = sort!.dir === 'asc' ? 1 : -1;
    return [...rows].sort((a, b) => {
      const x = col.sortValue!(a);
      const y = col.sortValue!(b);
      const xm = x === null || x === undefined || (typeof x === 'number' && !Number.isFinite(x));
      const ym = y === null || y === undefined || (typeof y === 'number' && !Number.isFinite(y));
      if (xm || ym) return xm === ym ? 0 : xm ? 1 : -1;
      if (typeof x === 'number' && typeof y === 'number') return (x - y) * dir;
      return collator.compare(String(x), String(y)) * dir;
    });
  }, [rows, columns, sort, locale]);

  const toggle = (c: Column<R>) =>
    setSort((s) =>
      s?.key === c.key
        ? { key: c.key, dir: s.dir === 'asc' ? 'desc' : 'asc' }
        : { key: c.key, dir: c.descFirst ? 'desc' : 'asc' },
    );

  if (rows.length === 0) return <>{empty ?? <Empty />}</>;
  return (
    <div className="table-wrap">
      <table className={`data-table ${dense ? 'dense' : ''}`} data-testid={testId}>
        {caption && <caption className="sr-only">{caption}</caption>}
        <thead>
          <tr>
            {columns.map((c) => {
              const active = sort?.key === c.key;
              return (
                <th
                  key={c.key}
                  scope="col"
                  style={{ textAlign: c.align ?? 'left', width: c.width }}
                  aria-sort={
                    active ? (sort!.dir === 'asc' ? 'ascending' : 'descending') : c.sortValue ? 'none' : undefined
                  }
                  data-column={c.key}
                >
                  {c.sortValue ? (
                    <button type="button" className="sort-button" onClick={() => toggle(c)} title={t('table.sortBy')}>
                      {c.header}
                      <span className="sort-mark" aria-hidden="true">
                        {active ? (sort!.dir === 'asc' ? '▲' : '▼') : '↕'}
                      </span>
                    </button>
                  ) : (
                    c.header
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {(limit === undefined ? sorted : sorted.slice(0, limit)).map((r, i) => (
            <tr
              key={rowKey(r)}
              data-key={rowKey(r)}
              className={onRowClick ? 'clickable' : undefined}
              onClick={onRowClick ? () => onRowClick(r) : undefined}
            >
              {columns.map((c) => (
                <td key={c.key} style={{ textAlign: c.align ?? 'left' }}>
                  {c.render ? c.render(r, i) : String((r as Record<string, unknown>)[c.key] ?? '—')}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
