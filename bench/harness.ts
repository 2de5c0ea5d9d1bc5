/**
 * The benchmark harness: each benchmark times our implementation and a peer doing the same work in
 * the same run, several times, and reports the median of each with the spread and the ratio
 * ours / peer (lower is better for time). Absolute numbers on these machines are noisy; the ratio is
 * what to compare between runs.
 */
export interface Timing {
  /** Milliseconds of each run. */
  runs: number[];
  median: number;
  min: number;
  max: number;
}

export interface BenchmarkResult {
  name: string;
  description: string;
  peer: string;
  /** What one run does (rows, households, units × indicators …). */
  size: string;
  ours: Timing;
  theirs: Timing;
  /** ours.median / theirs.median: below 1, ours is faster. */
  ratio: number;
  /** Checks that both sides computed the same thing (e.g. "gini agrees to 1e-9"). */
  agreement?: string;
  /** What the figures are: milliseconds (default, lower is better) or requests per second (higher is better). */
  unit?: 'ms' | 'req/s';
}

export interface Benchmark {
  name: string;
  description: string;
  peer: string;
  /** One result, or several when one measurement gives more than one figure (throughput and p99). */
  run(options: {
    quick: boolean;
    runs: number;
    log: (line: string) => void;
  }): Promise<BenchmarkResult | BenchmarkResult[]>;
}

export function timing(runs: number[]): Timing {
  const sorted = [...runs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { runs, median, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

/** Times `fn` `runs` times (after `setup` each time, untimed). */
export async function measure(
  runs: number,
  fn: () => Promise<unknown> | unknown,
  setup?: () => Promise<unknown> | unknown,
): Promise<Timing> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    await setup?.();
    const start = performance.now();
    await fn();
    out.push(performance.now() - start);
  }
  return timing(out);
}

export function result(
  b: Pick<Benchmark, 'name' | 'description' | 'peer'>,
  size: string,
  ours: Timing,
  theirs: Timing,
  agreement?: string,
  unit: 'ms' | 'req/s' = 'ms',
): BenchmarkResult {
  return {
    ...b,
    size,
    ours,
    theirs,
    ratio: ours.median / theirs.median,
    ...(agreement && { agreement }),
    ...(unit !== 'ms' && { unit }),
  };
}

/** Says whether ours is better or worse than the peer, whichever way the figure points. */
export function verdict(r: BenchmarkResult): string {
  const higher = r.unit === 'req/s';
  const better = higher ? r.ratio > 1 : r.ratio < 1;
  const ratio = r.ratio >= 0.01 ? r.ratio.toFixed(2) : r.ratio.toPrecision(2);
  return `${ratio} (${higher ? 'higher' : 'lower'} is better: ${better ? 'ours better' : 'peer better'})`;
}

const ms = (t: number) =>
  t >= 10_000
    ? `${(t / 1000).toFixed(1)} s`
    : t >= 1000
      ? `${(t / 1000).toFixed(2)} s`
      : t >= 10
        ? `${t.toFixed(0)} ms`
        : `${t.toFixed(2)} ms`;
const figure = (r: BenchmarkResult, t: number) => (r.unit === 'req/s' ? `${t.toFixed(0)} req/s` : ms(t));

export function formatTable(results: readonly BenchmarkResult[]): string {
  const rows = results.map((r) => [
    r.name,
    r.size,
    `${figure(r, r.ours.median)} (${figure(r, r.ours.min)}–${figure(r, r.ours.max)})`,
    r.peer,
    `${figure(r, r.theirs.median)} (${figure(r, r.theirs.min)}–${figure(r, r.theirs.max)})`,
    verdict(r),
  ]);
  const header = ['benchmark', 'size', 'ours: median (min–max)', 'peer', 'peer: median (min–max)', 'ours / peer'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
