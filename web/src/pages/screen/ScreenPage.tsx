/**
 * The big screen (大屏) for the command centre's wall: 1920×1080, dark, scaled to fit any display,
 * refreshed every minute, the map cycling through the composite index and the goal areas. No
 * interaction needed.
 */
import { useEffect, useState } from 'react';
import { Chart, ErrorBox, Loading, Sparkline, StatusBadge } from '../../components';
import { formatPercent, formatPeriod, formatScore, formatValue } from '../../format';
import { useLocale, useName, useT } from '../../i18n';
import { useDocumentTitle } from '../../router';
import { STATUS_COLOURS, STATUSES, asStatus, statusKey } from '../../status';
import { MetricMap, RaceList, useOverview, type MapMetric } from '../overview/OverviewPage';
import './screen.css';

const REFRESH_MS = 60_000;
const CYCLE_MS = 15_000;

function useScale(): number {
  const get = () => Math.min(window.innerWidth / 1920, window.innerHeight / 1080);
  const [scale, setScale] = useState(get);
  useEffect(() => {
    const on = () => setScale(get());
    window.addEventListener('resize', on);
    return () => window.removeEventListener('resize', on);
  }, []);
  return scale;
}

function useClock(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = window.setInterval(() => setNow(new Date()), 1000);
    return () => window.clearInterval(id);
  }, []);
  return now;
}

export default function ScreenPage() {
  const t = useT();
  const locale = useLocale();
  const name = useName();
  const overview = useOverview(REFRESH_MS);
  const scale = useScale();
  const now = useClock();
  const [step, setStep] = useState(0);
  useDocumentTitle(t('nav.screen'));
  useEffect(() => {
    const id = window.setInterval(() => setStep((s) => s + 1), CYCLE_MS);
    return () => window.clearInterval(id);
  }, []);

  const o = overview.data;
  const metrics: { metric: MapMetric; label: string }[] = o
    ? [
        { metric: { kind: 'index' }, label: t('overview.metricIndex') },
        ...o.dimensions.map((d) => ({ metric: { kind: 'dimension', code: d.code } as MapMetric, label: name(d.name) })),
      ]
    : [];
  const current = metrics.length ? metrics[step % metrics.length]! : undefined;

  return (
    <div className="screen-viewport">
      <div className="screen" style={{ transform: `scale(${scale})` }} data-testid="screen">
        {!o ? (
          overview.error ? (
            <ErrorBox error={overview.error} onRetry={overview.reload} />
          ) : (
            <Loading />
          )
        ) : (
          <>
            <header className="screen-header">
              <div className="screen-title">
                <span className="brand-mark">共</span>
                <div>
                  <h1>{name(o.plan.shortTitle ?? o.plan.title)}</h1>
                  <p>{t('screen.subtitle', { year: formatPeriod(o.run.asOfYear, locale) })}</p>
                </div>
              </div>
              <div className="screen-meta">
                {o.values.synthetic > 0 && <span className="badge synthetic">{t('synthetic.label')}</span>}
                <span>
                  {t('overview.latestPeriod')}{' '}
                  {formatPeriod(o.latestPeriods.month ?? o.latestPeriods.quarter ?? o.latestPeriods.year, locale)}
                </span>
                <time className="screen-clock">
                  {now.toLocaleString(locale === 'en' ? 'en-US' : 'zh-CN', { hour12: false })}
                </time>
              </div>
            </header>
            <div className="screen-body">
              <section className="screen-col">
                <div className="screen-panel">
                  <h2>{t('overview.cityIndex', { name: o.units[0]!.name })}</h2>
                  <div className="screen-big">{formatScore(o.units[0]!.index, locale)}</div>
                  <Sparkline
                    values={o.units[0]!.history.map((h) => h.index)}
                    width={420}
                    height={60}
                    colour="#6fb2e8"
                  />
                </div>
                <div className="screen-panel">
                  <h2>{t('screen.statuses')}</h2>
                  <StatusDonut counts={o.units[0]!.statuses} />
                </div>
                <div className="screen-panel grow">
                  <h2>{t('overview.byDimension')}</h2>
                  <ul className="screen-dims">
                    {o.dimensions.map((d) => {
                      const total = STATUSES.reduce((n, s) => n + d.statuses[s], 0) || 1;
                      return (
                        <li key={d.code}>
                          <span>{name(d.name)}</span>
                          <span className="stack">
                            {STATUSES.map((s) => (
                              <span
                                key={s}
                                style={{ width: `${(d.statuses[s] / total) * 100}%`, background: STATUS_COLOURS[s] }}
                              />
                            ))}
                          </span>
                        </li>
                      );
                    })}
                  </ul>
                </div>
              </section>
              <section className="screen-col center">
                <div className="screen-panel grow">
                  <h2>
                    {t('overview.map')} · <span className="accent">{current?.label}</span>
                  </h2>
                  {current && <MetricMap overview={o} metric={current.metric} height={600} dark />}
                </div>
              </section>
              <section className="screen-col">
                <div className="screen-panel grow">
                  <h2>{t('overview.race')}</h2>
                  <RaceList units={o.units.slice(1)} dark />
                </div>
              </section>
            </div>
            <footer className="screen-goals">
              {o.headline.slice(0, 8).map((h) => (
                <div key={h.indicator} className="screen-goal">
                  <span className="goal-name">{name(h.name)}</span>
                  <strong>{formatValue(h.value, h.unit, locale)}</strong>
                  <span className="screen-goal-foot">
                    <StatusBadge status={h.status} />
                    {h.progress !== null && <span>{formatPercent(h.progress, locale)}</span>}
                  </span>
                  <Sparkline
                    values={h.series.values}
                    target={h.target?.value ?? null}
                    width={190}
                    height={30}
                    colour={STATUS_COLOURS[asStatus(h.status)]}
                  />
                </div>
              ))}
            </footer>
          </>
        )}
      </div>
    </div>
  );
}

function StatusDonut({ counts }: { counts: Record<string, number> }) {
  const t = useT();
  const option = {
    tooltip: { trigger: 'item' },
    legend: { orient: 'vertical', right: 0, top: 'middle', textStyle: { color: '#c5d1e2', fontSize: 16 } },
    series: [
      {
        type: 'pie',
        radius: ['48%', '78%'],
        center: ['32%', '50%'],
        label: { show: false },
        itemStyle: { borderColor: '#0d1826', borderWidth: 2 },
        data: STATUSES.map((s) => ({
          name: t(statusKey(s)),
          value: counts[s] ?? 0,
          itemStyle: { color: STATUS_COLOURS[s] },
        })),
      },
    ],
  };
  return <Chart option={option} height={170} ariaLabel={t('screen.statuses')} />;
}
