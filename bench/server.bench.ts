/**
 * The server as a user meets it.
 *
 * cold-start: `gongfu start` (what `npm start` runs: node bin/gongfu.js start) on a fresh data folder
 * — PGlite created, migrated, the Jinhua plan and its org units loaded, demo data generated — until
 * the first answered request (GET /api/v1/plan), vs a bare Fastify server started with `node -e`
 * until its first answered request: the floor of starting Node and a web server on this machine.
 * The restart of Gongfu on the folder it has just filled is logged too.
 *
 * overview: GET /api/v1/overview of that server (the Jinhua demo, signed in as the demo leader) under
 * 200 concurrent connections (autocannon), vs a bare Fastify route returning a precomputed JSON of
 * the same size — requests per second and p99 latency. Both servers run as their own process on
 * 127.0.0.1; autocannon runs in this one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { freePort } from '../test/support/postgres.js';
import { timing, result, type Benchmark, type BenchmarkResult } from './harness.js';

const ROOT = new URL('..', import.meta.url).pathname;
const BIN = join(ROOT, 'bin/gongfu.js');

interface Child {
  child: ChildProcess;
  url: string;
  output: () => string;
  stop(): Promise<void>;
  kill(): Promise<void>;
}

/** Spawns a server and waits for its first answer to `path`; returns it with the milliseconds that took. */
async function spawnServer(args: string[], path: string, env: Record<string, string> = {}): Promise<[Child, number]> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(
    process.execPath,
    args.map((a) => a.replace('$PORT', String(port))),
    {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'error', PORT: String(port), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${output}`);
    try {
      const res = await fetch(`${url}${path}`);
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (performance.now() - started > 300_000) throw new Error(`no answer in 5 minutes:\n${output}`);
  }
  const ms = performance.now() - started;
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    await exited;
  };
  return [
    {
      child,
      url,
      output: () => output,
      stop: () => end('SIGTERM'),
      kill: () => end('SIGKILL'),
    },
    ms,
  ];
}

const gongfu = (data: string, command: 'start' | 'serve') => [
  BIN,
  '--data',
  data,
  command,
  '--port',
  '$PORT',
  '--host',
  '127.0.0.1',
];

/** A bare Fastify server: one route answering `file`'s text as JSON (or `{}`), started with node -e. */
function bareFastify(file?: string): string[] {
  const body = file ? `readFileSync(${JSON.stringify(file)}, 'utf8')` : `'{}'`;
  const script =
    `import Fastify from 'fastify'; import { readFileSync } from 'node:fs';` +
    `const body = ${body}; const app = Fastify();` +
    `for (const p of ['/api/v1/plan', '/api/v1/overview']) app.get(p, (_, reply) => reply.type('application/json; charset=utf-8').send(body));` +
    `await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });`;
  return ['--input-type=module', '-e', script];
}

async function cannon(url: string, cookie: string | undefined, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url,
    connections: 200,
    duration: seconds,
    timeout: 60,
    ...(cookie && { headers: { cookie } }),
  });
}

/** Signs in as the demo leader that `gongfu start` printed; returns the session cookie. */
async function demoLeaderCookie(base: string, output: string): Promise<string> {
  const line = output.split('\n').find((l) => /^\s+\S*leader\S*\s+\S+\s+/.test(l));
  if (!line) throw new Error(`no demo leader account in the output of gongfu start:\n${output}`);
  const [username, password] = line.trim().split(/\s+/);
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`demo leader sign-in: ${res.status} ${await res.text()}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

let shared: { dir: string; data: string; startOutput: string } | undefined;

export const coldStartBenchmark: Benchmark = {
  name: 'cold-start',
  description: '`gongfu start` on a fresh folder (PGlite, Jinhua plan, demo data) to the first answered request',
  peer: 'bare Fastify via node -e',
  async run({ quick, runs, log }) {
    const dir = await mkdtemp(join(tmpdir(), 'gongfu-bench-start-'));
    const ours: number[] = [];
    const restart: number[] = [];
    let startOutput = '';
    // A cold start is long (the demo data): one in --quick, and at most three.
    const n = quick ? 1 : Math.min(runs, 3);
    for (let i = 0; i < n; i++) {
      const data = join(dir, `data-${i}`);
      const [server, ms] = await spawnServer(gongfu(data, 'start'), '/api/v1/plan');
      ours.push(ms);
      startOutput = server.output();
      await server.stop();
      const [again, ms2] = await spawnServer(gongfu(data, 'serve'), '/api/v1/plan');
      restart.push(ms2);
      await again.stop();
      log(`  start ${ms.toFixed(0)} ms, restart on the filled folder ${ms2.toFixed(0)} ms`);
      if (i < n - 1) await rm(data, { recursive: true, force: true });
    }
    shared = { dir, data: join(dir, `data-${n - 1}`), startOutput };
    const theirs: number[] = [];
    for (let i = 0; i < Math.max(n, 3); i++) {
      const [server, ms] = await spawnServer(bareFastify(), '/api/v1/plan');
      theirs.push(ms);
      await server.stop();
    }
    const r = timing(restart);
    return result(
      this,
      'fresh data folder, Jinhua plan + demo data',
      timing(ours),
      timing(theirs),
      `restart of Gongfu on the filled folder (gongfu serve): ${r.median.toFixed(0)} ms median (${r.min.toFixed(0)}–${r.max.toFixed(0)})`,
    );
  },
};

export const overviewBenchmark: Benchmark = {
  name: 'overview',
  description: 'GET /api/v1/overview under 200 concurrent connections (autocannon)',
  peer: 'bare Fastify, precomputed JSON of the same size',
  async run({ quick, runs, log }): Promise<BenchmarkResult[]> {
    // The folder the cold start filled (or a fresh one when run alone with --only overview).
    if (!shared) {
      const dir = await mkdtemp(join(tmpdir(), 'gongfu-bench-start-'));
      const data = join(dir, 'data');
      const [server] = await spawnServer(gongfu(data, 'start'), '/api/v1/plan');
      shared = { dir, data, startOutput: server.output() };
      await server.stop();
    }
    const { dir, data, startOutput } = shared;
    const serveOurs = async () => {
      const [server] = await spawnServer(gongfu(data, 'serve'), '/api/v1/plan', {
        GONGFU_LOGIN_ATTEMPTS_PER_MINUTE: '1000',
      });
      return { server, cookie: await demoLeaderCookie(server.url, startOutput) };
    };
    /** Median time of `n` requests one after the other (also the warm-up of a fresh server). */
    const alone = async (url: string, cookie: string | undefined, n: number) => {
      const xs: number[] = [];
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        const res = await fetch(url, { ...(cookie && { headers: { cookie } }) });
        await res.text();
        if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
        xs.push(performance.now() - t0);
      }
      return timing(xs).median;
    };
    try {
      let { server, cookie } = await serveOurs();
      const first = await fetch(`${server.url}/api/v1/overview`, { headers: { cookie } });
      const body = await first.text();
      if (first.status !== 200) throw new Error(`GET /api/v1/overview: ${first.status} ${body.slice(0, 300)}`);
      const file = join(dir, 'overview.json');
      await writeFile(file, body);
      const one = await alone(`${server.url}/api/v1/overview`, cookie, 5);
      // Long enough for the queue of 200 to be answered about twice, however slow one answer is.
      const seconds = Math.min(quick ? 10 : 30, Math.max(quick ? 5 : 10, Math.ceil((2 * 200 * one) / 1000)));
      log(
        `  overview: ${body.length.toLocaleString('en')} bytes; one request alone ${one.toFixed(1)} ms; ${seconds} s per run`,
      );
      const check = (url: string, r: autocannon.Result) => {
        if (r.non2xx > 0 || r.errors > 0)
          throw new Error(`${url}: ${r.non2xx} answers not 2xx, ${r.errors} errors under load`);
        if (r.requests.total === 0) throw new Error(`${url}: no answer in ${seconds} s`);
        return r;
      };
      // Ours: a fresh server for each run (killed after it: the requests a run leaves queued would
      // otherwise hold up the next one for as long again).
      const o: autocannon.Result[] = [];
      for (let i = 0; i < runs; i++) {
        if (i > 0) {
          ({ server, cookie } = await serveOurs());
          await alone(`${server.url}/api/v1/overview`, cookie, 3);
        }
        const url = `${server.url}/api/v1/overview`;
        o.push(check(url, await cannon(url, cookie, seconds)));
        await server.kill();
      }
      const [peer] = await spawnServer(bareFastify(file), '/api/v1/overview');
      const t: autocannon.Result[] = [];
      try {
        const url = `${peer.url}/api/v1/overview`;
        if ((await (await fetch(url)).text()) !== body) throw new Error('the peer does not answer the same body');
        await cannon(url, undefined, 1); // warm-up
        for (let i = 0; i < runs; i++) t.push(check(url, await cannon(url, undefined, seconds)));
      } finally {
        await peer.stop();
      }
      const size = `${body.length.toLocaleString('en')} bytes, 200 connections, ${seconds} s`;
      const total = (rs: autocannon.Result[]) => rs.reduce((n, r) => n + r.requests.total, 0);
      const timeouts = (rs: autocannon.Result[]) => rs.reduce((n, r) => n + r.timeouts, 0);
      const agreement =
        `same body (${body.length} bytes); every answer 2xx (${total(o)} ours, ${total(t)} peer; ` +
        `${timeouts(o)} and ${timeouts(t)} timed out at 60 s); one overview request alone ${one.toFixed(1)} ms`;
      const rps = { name: 'overview-rps', description: `${this.description}: requests per second`, peer: this.peer };
      const p99 = { name: 'overview-p99', description: `${this.description}: p99 latency`, peer: this.peer };
      return [
        result(
          rps,
          size,
          timing(o.map((r) => r.requests.total / seconds)),
          timing(t.map((r) => r.requests.total / seconds)),
          agreement,
          'req/s',
        ),
        result(p99, size, timing(o.map((r) => r.latency.p99)), timing(t.map((r) => r.latency.p99))),
      ];
    } finally {
      await rm(dir, { recursive: true, force: true });
      shared = undefined;
    }
  },
};
