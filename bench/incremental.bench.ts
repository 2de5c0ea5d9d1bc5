/**
 * Re-evaluation after one unit's submission: a town submits its monthly return (every indicator it
 * reports, one month) on the province-scale input of the evaluation benchmark. Ours: the engine's
 * `evaluateIncrementally` from the evaluation before the submission (what the live evaluation does
 * on each change). Peer: a full `evaluate` of the same new input. Both must give the same result
 * (the same fingerprint and the same province value).
 */
import { evaluate, evaluateIncrementally } from '../src/engine/evaluate.js';
import type { ChangedCell, EvaluationInput } from '../src/engine/evaluate/types.js';
import { measure, result, type Benchmark } from './harness.js';
import { scaleInput } from './evaluation.bench.js';

export const incrementalBenchmark: Benchmark = {
  name: 'incremental',
  description: "re-evaluation after one town's monthly return (all its indicators, one month)",
  peer: 'full evaluation (evaluate)',
  async run({ quick, runs, log }) {
    const { input, plan, units, towns, months } = await scaleInput(quick);
    const before = evaluate(input);
    const town = towns[Math.floor(towns.length / 2)]!;
    const u = units.findIndex((x) => x.code === town.code);
    const month = months - 1;
    // The submission: every indicator of that town in the last month goes up by 10%. Patched in place,
    // as the live evaluation patches its input (a copy of 1.5 GB of matrices would measure the GC).
    for (const m of input.reported.values()) m.values[u * m.axis.length + month]! *= 1.1;
    const after: EvaluationInput = input;
    const changed: ChangedCell[] = plan.indicators.map((i) => ({ indicator: i.code, unit: town.code }));
    log(`  ${town.code} submits ${changed.length} values for the last month`);

    // No warm-up run: the engine is warm from `before` (and from the evaluation benchmark before it).
    let ours = before;
    const oursT = await measure(runs, () => {
      ours = evaluateIncrementally(before, after, changed);
    });
    let full = before;
    const theirsT = await measure(runs, () => {
      full = evaluate(after);
    });
    if (ours.fingerprint !== full.fingerprint) throw new Error('incremental and full evaluation differ in fingerprint');
    const code = plan.indicators[0]!.code;
    const at = (ev: typeof ours) =>
      ev.indicators.get(code)!.values.value[ev.root * ev.years.length + ev.years.length - 1]!;
    if (at(ours) !== at(full)) throw new Error(`incremental ${at(ours)} ≠ full ${at(full)}`);
    return result(
      this,
      `${units.length.toLocaleString('en')} units × ${plan.indicators.length} indicators × ${months} months; 1 town × ${changed.length} values`,
      oursT,
      theirsT,
      `same fingerprint (${ours.fingerprint.slice(0, 12)}…); province ${code} in the last year: ${at(ours)} both; before the submission ${at(before)}`,
    );
  },
};
