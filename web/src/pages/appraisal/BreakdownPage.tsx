/**
 * A unit's appraisal breakdown: every number of the total traced to its inputs — components with
 * weights, raw and counted scores, the scale-up factor for missing components, each bonus and
 * deduction rule with its events and caps, the significance against the neighbours, and the inputs
 * themselves (composite index, satisfaction with its interval, problem-control parts, milestones).
 */
import { api } from '../../api';
import { Card, DataTable, ErrorBox, Loading, Page, SyntheticBadge, useApi } from '../../components';
import { formatNumber, formatPercent, formatPeriod, formatRankChange, rankChangeClass } from '../../format';
import { useLocale, useName, useT } from '../../i18n';
import { Link, useParams, useQuery } from '../../router';
import { RunState } from './AppraisalPage';
import type { Breakdown, ComponentScore, NeighbourNote, RuleScore, Trace } from './types';

const two = (x: number | null | undefined, locale: 'zh-CN' | 'en') => formatNumber(x, locale, 2);
const one = (x: number | null | undefined, locale: 'zh-CN' | 'en') => formatNumber(x, locale, 1);

export default function BreakdownPage() {
  const t = useT();
  const locale = useLocale();
  const name = useName();
  const { period = '', code = '' } = useParams<{ period: string; code: string }>();
  const [query] = useQuery();
  const subject = query.subject === 'department' ? 'department' : undefined;
  const version = query.version ? Number(query.version) : undefined;
  const data = useApi(
    () =>
      api.get<Breakdown>(`/appraisals/${encodeURIComponent(period)}/units/${encodeURIComponent(code)}`, {
        subject,
        version,
      }),
    [period, code, subject, version],
  );
  const backQuery = new URLSearchParams({
    period,
    ...(subject && { subject }),
    ...(version && { version: String(version) }),
  });
  const back = <Link to={`/appraisal?${backQuery.toString()}`}>← {t('appraisal.back')}</Link>;

  if (data.error)
    return (
      <Page title={t('nav.appraisal')} subtitle={back}>
        <ErrorBox error={data.error} onRetry={data.reload} />
      </Page>
    );
  if (!data.data)
    return (
      <Page title={t('nav.appraisal')} subtitle={back}>
        <Loading />
      </Page>
    );
  const { run, score } = data.data;
  const d = score.detail;
  const trace = d.trace ?? {};
  const sources = run.sources as { problems?: { config?: { weights?: Record<string, number> } } };
  const weights = sources.problems?.config?.weights;

  return (
    <Page
      title={t('breakdown.title', { name: score.name, period: formatPeriod(run.period, locale) })}
      subtitle={back}
      badges={run.synthetic ? <SyntheticBadge title={t('appraisal.synthetic')} /> : undefined}
    >
      <div className="grid">
        <Card span={12}>
          <RunState run={run} />
          {run.synthetic && <p className="muted small">{t('appraisal.synthetic')}</p>}
        </Card>
        <div className="kpi-row" style={{ gridColumn: 'span 12' }}>
          <div className="kpi-tile kpi">
            <span className="kpi-label">{t('appraisal.total')}</span>
            <span className="kpi-value" data-testid="breakdown-total">
              {two(score.total, locale)}
            </span>
            <span className="muted small">{t('appraisal.se', { se: two(score.se, locale) })}</span>
          </div>
          <div className="kpi-tile kpi">
            <span className="kpi-label">{t('breakdown.rank')}</span>
            <span className="kpi-value" data-testid="breakdown-rank">
              {score.rank}
            </span>
            <span className={rankChangeClass(score.rankChange)}>
              {formatRankChange(score.rankChange)}{' '}
              {d.previousRank !== null && (
                <span className="muted small">
                  ({t('breakdown.previousRank')} {d.previousRank})
                </span>
              )}
            </span>
          </div>
          <div className="kpi-tile kpi">
            <span className="kpi-label">{t('appraisal.bonuses')}</span>
            <span className="kpi-value rank-up">+{two(score.bonuses, locale)}</span>
          </div>
          <div className="kpi-tile kpi">
            <span className="kpi-label">{t('appraisal.deductions')}</span>
            <span className="kpi-value rank-down">−{two(score.deductions, locale)}</span>
          </div>
        </div>

        <Card span={12} title={t('breakdown.summary')} testId="breakdown-summary">
          <p data-testid="breakdown-formula" style={{ fontSize: 16 }}>
            {t('breakdown.formula', {
              components: two(d.componentPoints, locale),
              bonus: two(score.bonuses, locale),
              deduction: two(score.deductions, locale),
              total: two(d.unlimitedTotal, locale),
            })}
            {d.limited && <> → {t(`breakdown.limited.${d.limited}`)}</>} → <strong>{two(score.total, locale)}</strong>
          </p>
          {d.reweighting !== 1 && (
            <p className="muted" data-testid="breakdown-reweighting">
              {t('breakdown.reweighting')}: <strong>{formatNumber(d.reweighting, locale, 4)}</strong> —{' '}
              {t('breakdown.reweightingHint', { f: formatNumber(d.reweighting, locale, 4) })}
            </p>
          )}
        </Card>

        <Card span={12} title={t('breakdown.components')} testId="breakdown-components">
          <DataTable<ComponentScore>
            dense
            rows={score.components}
            rowKey={(c) => c.code}
            columns={[
              { key: 'title', header: t('breakdown.component'), render: (c) => (c.title ? name(c.title) : c.code) },
              { key: 'source', header: t('breakdown.source'), render: (c) => t(`source.${c.source}`) },
              { key: 'weight', header: t('breakdown.weight'), align: 'right', render: (c) => c.weight },
              {
                key: 'raw',
                header: t('breakdown.raw'),
                align: 'right',
                render: (c) =>
                  c.raw === null ? (
                    <span className="muted">{t('appraisal.missing')}</span>
                  ) : (
                    <>
                      {two(c.raw, locale)}
                      {c.se > 0 && <span className="muted small"> ±{two(c.se, locale)}</span>}
                    </>
                  ),
              },
              {
                key: 'score',
                header: t('breakdown.score'),
                align: 'right',
                render: (c) => (
                  <>
                    {two(c.score, locale)}
                    {c.limited && (
                      <span className="badge" style={{ marginLeft: 4 }}>
                        {t(c.limited === 'cap' ? 'breakdown.limitedCap' : 'breakdown.limitedFloor')}
                      </span>
                    )}
                  </>
                ),
              },
              {
                key: 'factor',
                header: t('breakdown.factor'),
                align: 'right',
                render: (c) => (c.score === null ? '—' : formatNumber(d.reweighting, locale, 4)),
              },
              {
                key: 'points',
                header: t('breakdown.points'),
                align: 'right',
                render: (c) => <strong data-testid={`points-${c.code}`}>{two(c.points, locale)}</strong>,
              },
            ]}
          />
          <p className="muted small">{t('breakdown.pointsFormula')}</p>
        </Card>

        <Card span={12} title={t('breakdown.rules')} testId="breakdown-rules">
          {score.rules.length === 0 ? (
            <p className="muted">{t('breakdown.noRules')}</p>
          ) : (
            <DataTable<RuleScore>
              dense
              rows={score.rules}
              rowKey={(r) => r.rule}
              columns={[
                {
                  key: 'rule',
                  header: t('breakdown.rule'),
                  render: (r) => (
                    <>
                      {r.title ? name(r.title) : r.rule}
                      {r.automatic && <span className="muted small"> · {t('breakdown.automatic')}</span>}
                    </>
                  ),
                },
                {
                  key: 'each',
                  header: t('breakdown.pointsEach'),
                  align: 'right',
                  render: (r) => two(r.pointsEach, locale),
                },
                {
                  key: 'q',
                  header: t('breakdown.quantity'),
                  align: 'right',
                  render: (r) => formatNumber(r.quantity, locale),
                },
                { key: 'raw', header: t('breakdown.rawPoints'), align: 'right', render: (r) => two(r.raw, locale) },
                {
                  key: 'points',
                  header: t('breakdown.applied'),
                  align: 'right',
                  render: (r) => (
                    <>
                      <strong className={r.points > 0 ? 'rank-up' : 'rank-down'}>
                        {r.points > 0 ? '+' : ''}
                        {two(r.points, locale)}
                      </strong>
                      {r.capped && (
                        <span className="badge" style={{ marginLeft: 4 }}>
                          {t('breakdown.capped')}
                        </span>
                      )}
                    </>
                  ),
                },
                {
                  key: 'refs',
                  header: t('breakdown.events'),
                  render: (r) => (r.refs.length ? r.refs.map((x) => `#${x}`).join(', ') : '—'),
                },
              ]}
            />
          )}
          {d.bonusCapped && <p className="muted small">{t('breakdown.bonusCapped')}</p>}
          {d.deductionCapped && <p className="muted small">{t('breakdown.deductionCapped')}</p>}
        </Card>

        <Card span={12} title={t('breakdown.significance')} testId="breakdown-significance">
          <dl className="meta-list">
            {(['above', 'below'] as const).map((side) => {
              const n: NeighbourNote | null = score.significance[side];
              if (!n) return null;
              return (
                <div key={side} style={{ display: 'contents' }}>
                  <dt>{t(`breakdown.${side}`)}</dt>
                  <dd data-verdict={n.verdict}>
                    <strong>{t(`breakdown.verdict.${n.verdict}`)}</strong> · {t('breakdown.gap')} {two(n.gap, locale)} ·{' '}
                    {t('breakdown.margin')} ±{two(n.margin, locale)} — {locale === 'en' ? n.note.en : n.note.zh}
                  </dd>
                </div>
              );
            })}
          </dl>
        </Card>

        <Inputs trace={trace} weights={weights} span={12} />
      </div>
    </Page>
  );
}

function Inputs({ trace, weights, span }: { trace: Trace; weights?: Record<string, number>; span: number }) {
  const t = useT();
  const locale = useLocale();
  const e = trace.evaluation;
  const s = trace.satisfaction;
  const p = trace.problems;
  const m = trace.milestones;
  return (
    <>
      {e && (
        <Card span={6} title={t('breakdown.evaluation')} testId="input-evaluation">
          <dl className="meta-list">
            <dt>{t('breakdown.index')}</dt>
            <dd>
              <strong>{two(e.index, locale)}</strong>{' '}
              <span className="muted small">{t('breakdown.evalRun', { run: e.run, year: e.year })}</span>
            </dd>
            <dt>{t('breakdown.coverage')}</dt>
            <dd>{e.coverage === null ? '—' : formatPercent(e.coverage, locale)}</dd>
            <dt>{t('breakdown.improvement')}</dt>
            <dd>{two(e.improvement, locale)}</dd>
          </dl>
        </Card>
      )}
      <Card span={6} title={t('breakdown.problems')} testId="input-problems">
        {!p || p.found === 0 ? (
          <p className="muted">{t('breakdown.noProblems')}</p>
        ) : (
          <dl className="meta-list">
            <dt>{t('breakdown.problems')}</dt>
            <dd>
              <strong>{one(p.index, locale)}</strong>
            </dd>
            <dt>{t('breakdown.selfFoundShare')}</dt>
            <dd>{one(p.selfFoundShare, locale)}</dd>
            <dt>{t('breakdown.closureSpeed')}</dt>
            <dd>{one(p.closureSpeed, locale)}</dd>
            <dt>{t('breakdown.reopenControl')}</dt>
            <dd>{one(p.reopenControl, locale)}</dd>
            <dt>{t('breakdown.found')}</dt>
            <dd>
              {p.found} ({p.selfFound} / {p.higherFound})
            </dd>
            <dt>{t('breakdown.closed')}</dt>
            <dd>{p.closed}</dd>
            <dt>{t('breakdown.meanDays')}</dt>
            <dd>{one(p.meanDaysToClose, locale)}</dd>
            <dt>{t('breakdown.overdue')}</dt>
            <dd>{p.overdue}</dd>
            <dt>{t('breakdown.reopened')}</dt>
            <dd>{p.reopenEvents}</dd>
          </dl>
        )}
        {weights && (
          <p className="muted small">
            {t('breakdown.problemsFormula', {
              a: weights.selfFound ?? '—',
              b: weights.closureSpeed ?? '—',
              c: weights.reopenControl ?? '—',
            })}
          </p>
        )}
      </Card>
      {s && (
        <Card span={span} title={t('breakdown.satisfaction')} testId="input-satisfaction">
          <dl className="meta-list">
            <dt>{t('breakdown.mean')}</dt>
            <dd>
              <strong data-testid="satisfaction-mean">{two(s.mean, locale)}</strong> ± {two(s.se, locale)} ·{' '}
              {t('breakdown.ci')} [{two(s.lower, locale)}, {two(s.upper, locale)}]
            </dd>
            <dt>{t('breakdown.respondents')}</dt>
            <dd>{s.respondents ?? s.n}</dd>
            <dt>{t('breakdown.nEff')}</dt>
            <dd>{one(s.nEff, locale)}</dd>
          </dl>
          <DataTable
            dense
            rows={s.byQuestion ?? []}
            rowKey={(q) => q.question}
            columns={[
              { key: 'q', header: t('breakdown.question'), render: (q) => q.question },
              { key: 'n', header: 'n', align: 'right', render: (q) => q.n },
              { key: 'mean', header: t('breakdown.mean'), align: 'right', render: (q) => two(q.mean, locale) },
              {
                key: 'ci',
                header: t('breakdown.ci'),
                align: 'right',
                render: (q) => `[${two(q.lower, locale)}, ${two(q.upper, locale)}]`,
              },
              { key: 'neff', header: t('breakdown.nEff'), align: 'right', render: (q) => one(q.nEff, locale) },
            ]}
          />
        </Card>
      )}
      <Card span={span} title={t('breakdown.milestones')} testId="input-milestones">
        {!m || m.length === 0 ? (
          <p className="muted">{t('breakdown.noMilestones')}</p>
        ) : (
          <>
            <p>{t('breakdown.milestonesSummary', { due: m.length, met: m.filter((x) => x.metOnTime).length })}</p>
            <DataTable
              dense
              rows={m}
              rowKey={(x) => String(x.id)}
              columns={[
                { key: 'item', header: t('breakdown.item'), render: (x) => `#${x.item}` },
                { key: 'due', header: t('breakdown.due'), render: (x) => x.due },
                {
                  key: 'met',
                  header: t('breakdown.metOnTime'),
                  render: (x) => (x.metOnTime ? t('breakdown.yes') : t('breakdown.no')),
                },
              ]}
            />
          </>
        )}
      </Card>
    </>
  );
}
