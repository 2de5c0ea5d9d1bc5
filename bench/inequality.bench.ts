/**
 * Inequality statistics on weighted household microdata (mean, median, Gini, Theil T and L, CV,
 * S80/S20, two income brackets) — the engine on typed arrays vs the same in DuckDB SQL over a table
 * already in DuckDB's memory. Both start from data in memory; loading is not timed.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { scaleHouseholds } from '../src/demo/scale.js';
import { inequality } from '../src/engine/inequality.js';
import { measure, result, type Benchmark } from './harness.js';

const BRACKETS = [
  { from: 100000, to: 500000 },
  { from: 200000, to: 600000 },
];

const SQL = `
WITH s AS (SELECT income AS y, weight AS w FROM hh WHERE weight > 0),
tot AS (SELECT sum(w) AS tw, sum(w * y) AS twy FROM s),
ord AS (SELECT y, w, sum(w) OVER (ORDER BY y ROWS UNBOUNDED PRECEDING) - w AS before FROM s),
stats AS (
  SELECT
    (SELECT twy / tw FROM tot) AS mean,
    (SELECT min(y) FROM ord, tot WHERE before + w >= tw / 2) AS median,
    (SELECT sum(w * y * (2 * before + w - tw)) / any_value(tw * twy) FROM ord, tot) AS gini,
    (SELECT sqrt(sum(w * (y - twy / tw) ^ 2) / any_value(tw)) / any_value(twy / tw) FROM s, tot) AS cv,
    (SELECT sum(y * greatest(0, least(before + w, 0.2 * tw) - before)) FROM ord, tot) AS bottom20,
    (SELECT sum(y * greatest(0, before + w - greatest(before, 0.8 * tw))) FROM ord, tot) AS top20,
    (SELECT sum(w) FILTER (WHERE y >= 100000 AND y < 500000) / sum(w) FROM s) AS b1,
    (SELECT sum(w) FILTER (WHERE y >= 200000 AND y < 600000) / sum(w) FROM s) AS b2
),
pos AS (SELECT y, w FROM s WHERE y > 0),
ptot AS (SELECT sum(w) AS pw, sum(w * y) / sum(w) AS mu FROM pos)
SELECT stats.*, top20 / bottom20 AS s80s20,
  (SELECT sum(w * (y / mu) * ln(y / mu)) / any_value(pw) FROM pos, ptot) AS theil_t,
  (SELECT sum(w * ln(mu / y)) / any_value(pw) FROM pos, ptot) AS theil_l
FROM stats`;

export const inequalityBenchmark: Benchmark = {
  name: 'inequality',
  description: 'Gini, Theil T/L, CV, median, S80/S20 and two brackets on weighted households',
  peer: 'DuckDB SQL',
  async run({ quick, runs, log }) {
    const n = quick ? 200_000 : 5_000_000;
    const hh = scaleHouseholds({ households: n, counties: 90 });
    const duck = await DuckDBInstance.create(':memory:');
    const conn = await duck.connect();
    await conn.run('CREATE TABLE hh (income DOUBLE, weight DOUBLE)');
    const appender = await conn.createAppender('hh');
    for (let i = 0; i < n; i++) {
      appender.appendDouble(hh.income[i]!);
      appender.appendDouble(hh.weight[i]!);
      appender.endRow();
    }
    appender.closeSync();
    log(`  loaded ${n.toLocaleString('en')} households into both`);
    let ours = inequality(hh.income, hh.weight, { brackets: BRACKETS });
    let theirs: Record<string, unknown> = {};
    const oursT = await measure(runs, () => {
      ours = inequality(hh.income, hh.weight, { brackets: BRACKETS });
    });
    const theirsT = await measure(runs, async () => {
      theirs = (await conn.runAndReadAll(SQL)).getRowObjects()[0] as Record<string, unknown>;
    });
    const rel = (a: number, b: unknown) => Math.abs(a - Number(b)) / Math.abs(a);
    const worst = Math.max(
      rel(ours.gini, theirs.gini),
      rel(ours.theilT, theirs.theil_t),
      rel(ours.theilL, theirs.theil_l),
      rel(ours.cv, theirs.cv),
      rel(ours.mean, theirs.mean),
      rel(ours.median, theirs.median),
      rel(ours.quintileShareRatio, theirs.s80s20),
      rel(ours.brackets[0]!.share, theirs.b1),
    );
    conn.closeSync();
    return result(
      this,
      `${n.toLocaleString('en')} households`,
      oursT,
      theirsT,
      `all statistics agree to ${worst.toExponential(1)} (relative)`,
    );
  },
};
