/** `gongfu evaluate`: the whole plan on the current data, stored as a run, and a summary a person can read. */
import type { Command } from 'commander';
import { toJson } from '../engine/evaluate/json.js';
import type { Evaluation } from '../engine/evaluate/types.js';
import { SYSTEM_CONTEXT } from '../services/context.js';
import * as evaluation from '../services/evaluation.js';
import type { Store } from '../store/db.js';
import { UsageError } from './errors.js';

type WithStore = <T>(cmd: Command, work: (store: Store) => Promise<T>) => Promise<T>;

const fmt = (x: number, digits = 3) => (Number.isFinite(x) ? String(Number(x.toFixed(digits))) : '—');

function summary(ev: Evaluation): string {
  const lines: string[] = [];
  const root = ev.tree.codes[ev.root]!;
  const statuses = new Map<string, number>();
  let cells = 0;
  for (const r of ev.indicators.values())
    for (const c of r.cells)
      if (c.unit === root) {
        statuses.set(c.status, (statuses.get(c.status) ?? 0) + 1);
        cells++;
      }
  lines.push(
    `Indicators of ${root} as of ${ev.asOf} (${cells}): ${[...statuses].map(([s, n]) => `${s} ${n}`).join(', ')}`,
  );
  lines.push('Headline disparities:');
  for (const h of ev.headline) {
    const who =
      h.attribution && 'max' in h.attribution
        ? ` (max ${String((h.attribution as { max?: { unit: string } }).max?.unit ?? '')}, min ${String((h.attribution as { min?: { unit: string } }).min?.unit ?? '')})`
        : '';
    lines.push(
      `  ${h.indicator.padEnd(28)} ${fmt(h.value, 4).padStart(8)} in ${Number.isFinite(h.year) ? h.year : '—'}  ${h.status ?? ''}${who}  ${h.name.zh}`,
    );
  }
  const hr = ev.horseRace;
  const y = hr.years.indexOf(ev.asOf);
  if (y >= 0) {
    lines.push(`Horse race ${ev.asOf} (composite index 0–100, rank, change since last year):`);
    const rows = Array.from(hr.units, (_, u) => u)
      .map((u) => ({ u, k: y * hr.units.length + u }))
      .sort((a, b) => (hr.rank[a.k]! || 0) - (hr.rank[b.k]! || 0));
    for (const { u, k } of rows) {
      const rank = hr.rank[k]!;
      const change = hr.rankChange[k]!;
      lines.push(
        `  ${Number.isFinite(rank) ? String(rank).padStart(2) : '  '}  ${hr.codes[u]!.padEnd(8)} ${fmt(hr.index[k]!, 1).padStart(6)}  ${Number.isFinite(change) ? (change > 0 ? `+${change}` : String(change)) : ''}`,
      );
    }
  }
  return lines.join('\n');
}

export function registerEvaluateCommand(program: Command, withStore: WithStore): void {
  program
    .command('evaluate')
    .description('evaluate the whole plan on the current data and store the result as a run')
    .option('--year <year>', 'evaluate as of this year (default: the latest year with data)')
    .option('--freeze', 'freeze the run: an assessment published on it can be reproduced')
    .option('--label <text>', 'a label for the run, e.g. 2025年度考核')
    .option('--json', 'print the whole evaluation as JSON instead of the summary')
    .option('--reproduce <run>', 'recompute a stored run from the value history and check its fingerprint')
    .action(
      async (
        opts: { year?: string; freeze?: boolean; label?: string; json?: boolean; reproduce?: string },
        cmd: Command,
      ) => {
        await withStore(cmd, async (store) => {
          if (opts.reproduce) {
            const id = Number(opts.reproduce);
            if (!Number.isInteger(id)) throw new UsageError('--reproduce takes a run number');
            const r = await evaluation.reproduceRun(store, SYSTEM_CONTEXT, id);
            console.log(
              r.same
                ? `Run ${id} reproduced: fingerprint ${r.fingerprint} is the same (data as of ${r.run.dataAsOf}).`
                : `Run ${id} NOT reproduced: fingerprint ${r.fingerprint} differs from ${r.run.fingerprint}.`,
            );
            if (!r.same) process.exitCode = 1;
            return;
          }
          const year = opts.year === undefined ? undefined : Number(opts.year);
          if (year !== undefined && !Number.isInteger(year)) throw new UsageError('--year takes a year, e.g. 2024');
          const { run, evaluation: ev } = await evaluation.runEvaluation(store, SYSTEM_CONTEXT, {
            ...(year !== undefined && { asOfYear: year }),
            ...(opts.freeze && { freeze: true }),
            ...(opts.label && { label: opts.label }),
          });
          if (opts.json) {
            process.stdout.write(
              `${JSON.stringify(toJson({ run, headline: ev.headline, indicators: ev.indicators, horseRace: ev.horseRace }))}\n`,
            );
            return;
          }
          console.log(
            `Evaluation run ${run.id}${run.frozen ? ' (frozen)' : ''}: ${run.valuesUsed} values, fingerprint ${run.fingerprint}, ${run.durationMs} ms.`,
          );
          console.log(summary(ev));
        });
      },
    );
}
