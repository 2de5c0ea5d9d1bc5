/**
 * `npm run bench [-- --quick] [-- --record] [-- --only NAME[,NAME…]]`: every benchmark, side by side with its
 * peer in the same run. Writes bench/results.json and prints a table; --record appends the table to
 * BENCHMARKS.md with the date and the machine. --quick uses small sizes and one run (for CI: the
 * benchmarks still run and their two sides still agree).
 */
import { appendFile, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { formatTable, verdict, type Benchmark, type BenchmarkResult } from './harness.js';
import { importPgliteBenchmark, importPostgresBenchmark } from './import.bench.js';
import { inequalityBenchmark } from './inequality.bench.js';
import { evaluationBenchmark } from './evaluation.bench.js';
import { incrementalBenchmark } from './incremental.bench.js';
import { coldStartBenchmark, overviewBenchmark } from './server.bench.js';

const ALL: Benchmark[] = [
  evaluationBenchmark,
  incrementalBenchmark,
  inequalityBenchmark,
  importPostgresBenchmark,
  importPgliteBenchmark,
  coldStartBenchmark,
  overviewBenchmark,
];

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const record = args.includes('--record');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const runs = quick ? 1 : 3;

const chosen = ALL.filter((b) => !only || only.split(',').includes(b.name));
if (chosen.length === 0) {
  console.error(`no benchmark named ${only}; there are: ${ALL.map((b) => b.name).join(', ')}`);
  process.exit(1);
}

const results: BenchmarkResult[] = [];
for (const b of chosen) {
  console.log(`${b.name}: ${b.description} — vs ${b.peer}${quick ? ' (quick)' : ''}`);
  const out = await b.run({ quick, runs, log: (line) => console.log(line) });
  for (const r of Array.isArray(out) ? out : [out]) {
    const unit = r.unit ?? 'ms';
    console.log(
      `  ${r.name}: ours ${r.ours.median.toFixed(unit === 'ms' ? 1 : 0)} ${unit}, peer ${r.theirs.median.toFixed(unit === 'ms' ? 1 : 0)} ${unit}, ratio ${verdict(r)}${r.agreement ? `; ${r.agreement}` : ''}`,
    );
    results.push(r);
  }
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
const out = { date: new Date().toISOString(), machine, quick, runs, results };
await writeFile(new URL('./results.json', import.meta.url), `${JSON.stringify(out, null, 2)}\n`);
const table = formatTable(results);
console.log(`\n${table}\n`);
if (record) {
  const notes = results
    .filter((r) => r.agreement)
    .map((r) => `- ${r.name}: ${r.agreement}`)
    .join('\n');
  await appendFile(
    new URL('../BENCHMARKS.md', import.meta.url),
    `\n## ${out.date.slice(0, 10)} — ${machine}${quick ? ' (quick)' : ''}, median of ${runs}\n\n${table}\n${notes ? `\n${notes}\n` : ''}`,
  );
  console.log('Appended to BENCHMARKS.md');
}
