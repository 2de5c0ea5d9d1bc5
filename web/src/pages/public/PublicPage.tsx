/** The public portal: every published indicator with its latest published value and status, and downloads. */
import { api } from '../../api';
import { AsyncView, Card, DataTable, Empty, Page, StatusBadge, SyntheticBadge, useApi } from '../../components';
import { formatPeriod, formatValue } from '../../format';
import { useLocale, useName, useT } from '../../i18n';
import { Link } from '../../router';
import { downloadUrl, type PublicSummary } from './types';

export default function PublicPage() {
  const t = useT();
  const locale = useLocale();
  const name = useName();
  const state = useApi(() => api.get<{ items: PublicSummary[] }>('/public/indicators'), []);
  return (
    <Page
      title={t('public.title')}
      subtitle={t('public.subtitle')}
      actions={
        <>
          <a className="button" href={downloadUrl('csv')} download data-testid="public-download-csv">
            CSV
          </a>{' '}
          <a className="button" href={downloadUrl('xlsx')} download data-testid="public-download-xlsx">
            XLSX
          </a>
        </>
      }
    >
      <AsyncView state={state}>
        {(data) =>
          data.items.length === 0 ? (
            <Empty title={t('public.none')} />
          ) : (
            <Card
              title={t('public.indicators')}
              actions={
                data.items.some((i) => i.synthetic || i.demo) ? <SyntheticBadge title={t('public.demo')} /> : undefined
              }
              testId="public-indicators"
            >
              <DataTable
                rows={data.items}
                rowKey={(r) => r.code}
                columns={[
                  {
                    key: 'name',
                    header: t('public.indicator'),
                    sortValue: (r) => name(r.name),
                    render: (r) => (
                      <Link
                        to={`/public/indicators/${encodeURIComponent(r.code)}`}
                        data-testid={`public-indicator-${r.code}`}
                      >
                        {name(r.name)}
                      </Link>
                    ),
                  },
                  {
                    key: 'latest',
                    header: t('public.latest'),
                    align: 'right',
                    sortValue: (r) => r.latest?.value ?? null,
                    render: (r) => (r.latest ? formatValue(r.latest.value, r.unit, locale) : '—'),
                  },
                  {
                    key: 'period',
                    header: t('public.period'),
                    sortValue: (r) => r.latest?.period ?? '',
                    render: (r) => (r.latest ? formatPeriod(r.latest.period, locale) : '—'),
                  },
                  {
                    key: 'status',
                    header: t('public.status'),
                    sortValue: (r) => r.status ?? '',
                    render: (r) => <StatusBadge status={r.status ?? 'no_data'} compact />,
                  },
                  {
                    key: 'download',
                    header: t('public.download'),
                    render: (r) => (
                      <a href={downloadUrl('csv', r.code)} download>
                        CSV
                      </a>
                    ),
                  },
                ]}
              />
            </Card>
          )
        }
      </AsyncView>
    </Page>
  );
}
