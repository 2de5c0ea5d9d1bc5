/**
 * The Jinhua plan on the demo data, end to end: every indicator gets a status with its explanation,
 * the counties are ranked, and the headline disparities come out — the middle-income shares from the
 * household microdata.
 */
import { expect, it } from 'vitest';
import { SYSTEM_CONTEXT } from '../src/services/context.js';
import { loadDemo } from '../src/services/demo.js';
import * as evaluation from '../src/services/evaluation.js';
import * as plans from '../src/services/plans.js';
import { describeEachStore } from './support/stores.js';

const JINHUA = new URL('../plans/jinhua-2021-2025/plan.yaml', import.meta.url).pathname;
const STATUSES = ['achieved', 'on_track', 'at_risk', 'off_track', 'no_data', 'no_target'];

describeEachStore('the Jinhua plan evaluated on the demo data', (store) => {
  it('gives every indicator a status, ranks the counties and computes the headline disparities', async () => {
    const { plan } = await plans.importPlan(store(), JINHUA);
    const demo = await loadDemo(store(), {
      planId: plan.id,
      planFile: JINHUA,
      asOf: new Date('2026-11-29T00:00:00Z'),
      accounts: false,
      householdsPerCountyYear: 300,
    });
    expect(demo.real).toBeGreaterThan(80);
    const { run, evaluation: ev } = await evaluation.runEvaluation(store(), SYSTEM_CONTEXT);
    expect(run.asOfYear).toBe(2025);

    for (const indicator of plan.indicators) {
      const cells = ev.indicators.get(indicator.code)?.cells ?? [];
      expect(cells.length, indicator.code).toBeGreaterThan(0);
      for (const c of cells) {
        expect(STATUSES, `${indicator.code} ${c.unit}`).toContain(c.status);
        expect(c.targets).toHaveLength(indicator.targets.length);
        for (const t of c.targets) expect(t.explanation.rule, indicator.code).toBeTruthy();
      }
    }
    const stored = await evaluation.runCells(store(), SYSTEM_CONTEXT, run.id, { orgUnit: '330700' });
    expect(stored.length).toBeGreaterThan(150);

    const ranking = await evaluation.runRanking(store(), SYSTEM_CONTEXT, run.id);
    const counties = ranking.rows.filter((r) => r.orgUnit !== '330700');
    expect(counties).toHaveLength(9);
    expect(counties.map((r) => r.rank).sort((a, b) => a! - b!)[0]).toBe(1);
    expect(counties.every((r) => r.index !== null && r.index >= 0 && r.index <= 100)).toBe(true);

    const headline = new Map(ev.headline.map((h) => [h.indicator, h]));
    for (const code of [
      'URBAN_RURAL_INC_RATIO',
      'GDP_PC_COUNTY_MAXMIN',
      'INC_PC_COUNTY_MAXMIN',
      'HH_INC_100K_500K_SHARE',
      'HH_INC_200K_600K_SHARE',
    ])
      expect(Number.isFinite(headline.get(code)?.value), code).toBe(true);
    // The middle-income shares come from the households: the cell says how many entered it.
    const middle = ev.indicators.get('HH_INC_100K_500K_SHARE')!;
    const y = ev.years.indexOf(2025);
    expect(middle.households![ev.root * ev.years.length + y]).toBe(9 * 300);
    expect(headline.get('HH_INC_100K_500K_SHARE')!.value).toBeGreaterThan(0.3);
    expect(headline.get('HH_INC_100K_500K_SHARE')!.value).toBeLessThan(0.9);
    // The max/min ratio names who drives the gap.
    expect(headline.get('INC_PC_COUNTY_MAXMIN')!.attribution).not.toBeNull();
  });
});
