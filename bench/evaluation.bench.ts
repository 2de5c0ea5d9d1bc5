/**
 * A full evaluation at province scale: Zhejiang's hierarchy (27,036 units: province, 11 cities, 90
 * counties, 1,387 towns, 25,547 villages), 100 indicators, monthly over six years, reported by the
 * towns. Ours: the engine's `evaluate` — roll-up up the tree by each indicator's rule (sum, mean,
 * ratio of rolled-up numerator and denominator), to years by each indicator's rule (sum, mean, last),
 * with coverage, cells and the horse race. Peer: DuckDB SQL doing the roll-up level by level and to
 * years on the same values, already in its memory (loading is not timed on either side).
 * The peer does less (no coverage, no cells, no composite): the ratio flatters it.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { scaleValue } from '../src/demo/scale.js';
import { formatPeriod, makePeriod, periodAxis } from '../src/domain/period.js';
import { evaluate } from '../src/engine/evaluate.js';
import type { EvaluationInput, ReportedMatrix } from '../src/engine/evaluate/types.js';
import { measure, result, type Benchmark } from './harness.js';
import { scalePlan, zhejiangOrgUnits } from './support/scale-plan.js';

const DEPTH: Record<string, number> = { province: 0, city: 1, county: 2, town: 3, village: 4 };

/** The province-scale input both evaluation benchmarks use: towns report, villages are not asked. */
export async function scaleInput(quick: boolean) {
  const indicators = quick ? 10 : 100;
  const months = quick ? 24 : 72;
  // Towns report; villages are in the tree but not asked (as a city's plan would not ask them monthly).
  const scale = scalePlan(indicators);
  const plan = {
    ...scale,
    indicators: scale.indicators.map((i) => ({ ...i, levels: i.levels.filter((l) => l !== 'village') })),
  };
  const all = (await zhejiangOrgUnits()).filter((u) => u.kind === 'region');
  const units = quick ? all.filter((u) => u.code.startsWith('3301') || u.code === '330000') : all;
  units.sort((a, b) => DEPTH[a.level]! - DEPTH[b.level]! || a.code.localeCompare(b.code));
  const index = new Map(units.map((u, i) => [u.code, i]));
  const towns = units.filter((u) => u.level === 'town');
  const startYear = plan.baseYear;
  const axis = periodAxis(makePeriod('month', startYear, 1), makePeriod('month', startYear + months / 12 - 1, 12));

  const reported = new Map<string, ReportedMatrix>();
  plan.indicators.forEach((ind, i) => {
    const values = new Float64Array(units.length * axis.length).fill(NaN);
    towns.forEach((t, u) => {
      const row = index.get(t.code)! * axis.length;
      for (let m = 0; m < months; m++) values[row + m] = scaleValue(7, i, u, m);
    });
    reported.set(ind.code, { axis, values });
  });
  const input: EvaluationInput = {
    plan,
    orgUnits: units.map((u) => ({ code: u.code, parent: u.parent, level: u.level })),
    reported,
  };
  return { input, plan, units, index, towns, indicators, months, startYear, axis };
}

export const evaluationBenchmark: Benchmark = {
  name: 'evaluation',
  description: 'full evaluation of the Zhejiang hierarchy: roll-up up the tree and to years',
  peer: 'DuckDB SQL',
  async run({ quick, runs, log }) {
    const { input, plan, units, index, towns, indicators, months, startYear } = await scaleInput(quick);
    const cells = towns.length * months * indicators;
    log(
      `  ${units.length.toLocaleString('en')} units, ${indicators} indicators, ${months} months, ${cells.toLocaleString('en')} reported values`,
    );

    // Ours first, before DuckDB takes memory and threads in the same process.
    let ev = evaluate(input);
    const oursT = await measure(runs, () => {
      ev = evaluate(input);
    });

    const duck = await DuckDBInstance.create(':memory:');
    const c = await duck.connect();
    await c.run('CREATE TABLE unit (id INTEGER, parent INTEGER, depth INTEGER)');
    await c.run('CREATE TABLE ind (id INTEGER, method VARCHAR, pagg VARCHAR, num INTEGER, den INTEGER)');
    await c.run('CREATE TABLE v (ind INTEGER, unit INTEGER, month INTEGER, value DOUBLE)');
    const ua = await c.createAppender('unit');
    for (const u of units) {
      ua.appendInteger(index.get(u.code)!);
      if (u.parent && index.has(u.parent)) ua.appendInteger(index.get(u.parent)!);
      else ua.appendNull();
      ua.appendInteger(DEPTH[u.level]!);
      ua.endRow();
    }
    ua.closeSync();
    const codeIndex = new Map(plan.indicators.map((x, i) => [x.code, i]));
    const ia = await c.createAppender('ind');
    plan.indicators.forEach((x, i) => {
      ia.appendInteger(i);
      ia.appendVarchar(x.aggregation.method);
      ia.appendVarchar(x.periodAggregation);
      if (x.aggregation.method === 'ratio') {
        ia.appendInteger(codeIndex.get(x.aggregation.numerator)!);
        ia.appendInteger(codeIndex.get(x.aggregation.denominator)!);
      } else {
        ia.appendNull();
        ia.appendNull();
      }
      ia.endRow();
    });
    ia.closeSync();
    const va = await c.createAppender('v');
    plan.indicators.forEach((_, i) => {
      towns.forEach((t, u) => {
        const id = index.get(t.code)!;
        for (let m = 0; m < months; m++) {
          va.appendInteger(i);
          va.appendInteger(id);
          va.appendInteger(m);
          va.appendDouble(scaleValue(7, i, u, m));
          va.endRow();
        }
      });
    });
    va.closeSync();
    log('  loaded the same values into DuckDB');

    // Level by level from the towns up: sums and means of the children; then ratios from the
    // rolled-up numerators and denominators; then years (sum, mean, or the last month present).
    const peer = async () => {
      await c.run('CREATE OR REPLACE TEMP TABLE r AS SELECT * FROM v');
      for (let d = 2; d >= 0; d--)
        await c.run(`
          INSERT INTO r
          SELECT r.ind, u.parent, r.month, CASE WHEN any_value(i.method) = 'mean' THEN avg(r.value) ELSE sum(r.value) END
            FROM r JOIN unit u ON u.id = r.unit AND u.depth = ${d + 1} JOIN ind i ON i.id = r.ind AND i.method <> 'ratio'
           GROUP BY r.ind, u.parent, r.month`);
      await c.run(`
        INSERT INTO r
        SELECT i.id, n.unit, n.month, n.value / nullif(d.value, 0)
          FROM ind i JOIN r n ON n.ind = i.num JOIN r d ON d.ind = i.den AND d.unit = n.unit AND d.month = n.month
          JOIN unit u ON u.id = n.unit AND u.depth < 3
         WHERE i.method = 'ratio'`);
      const y = await c.runAndReadAll(`
        SELECT count(*) AS n FROM (
          SELECT r.ind, r.unit, r.month // 12 AS year,
                 CASE any_value(i.pagg) WHEN 'sum' THEN sum(r.value) WHEN 'mean' THEN avg(r.value) ELSE arg_max(r.value, r.month) END AS value
            FROM r JOIN ind i ON i.id = r.ind
           GROUP BY r.ind, r.unit, r.month // 12)`);
      return y.getRowObjects()[0];
    };

    const theirsT = await measure(runs, peer);
    // Check one number both computed: the province's yearly sum of the first flow indicator in the last year.
    const flow = plan.indicators.findIndex((x) => x.periodAggregation === 'sum');
    const lastYear = startYear + months / 12 - 1;
    const ours = ev.indicators.get(plan.indicators[flow]!.code)!.values.value[
      ev.root * ev.years.length + ev.years.indexOf(lastYear)
    ]!;
    const theirs = Number(
      (
        await c.runAndReadAll(
          `SELECT sum(value) AS s FROM r WHERE ind = ${flow} AND unit = ${index.get('330000')} AND month // 12 = ${months / 12 - 1}`,
        )
      ).getRowObjects()[0]!.s,
    );
    c.closeSync();
    return result(
      this,
      `${units.length.toLocaleString('en')} units × ${indicators} indicators × ${months} months`,
      oursT,
      theirsT,
      `province yearly sum of ${plan.indicators[flow]!.code} ${formatPeriod(makePeriod('year', lastYear))}: ours ${ours}, DuckDB ${theirs} (relative difference ${(Math.abs(ours - theirs) / Math.abs(theirs)).toExponential(1)})`,
    );
  },
};
