/**
 * Gongfu as a real server process for crash, load and start-up tests: `node bin/gongfu.js serve` on a
 * PGlite folder or a PostgreSQL database, on a free port of 127.0.0.1, and a small fetch client that
 * signs in and sends the CSRF token.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { freePort } from './postgres.js';

const ROOT = new URL('../..', import.meta.url).pathname;
export const BIN = join(ROOT, 'bin/gongfu.js');

export type Where = { data: string } | { databaseUrl: string };

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote (stdout and stderr). */
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `gongfu <command>` and resolves once it says it is serving (or rejects with its output). */
export async function startServer(
  where: Where,
  options: { command?: 'serve' | 'start'; args?: string[]; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<ServerProcess> {
  const port = await freePort();
  const args = [
    BIN,
    ...('data' in where ? ['--data', where.data] : ['--database-url', where.databaseUrl]),
    options.command ?? 'serve',
    '--port',
    String(port),
    '--host',
    '127.0.0.1',
    ...(options.args ?? []),
  ];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the server did not start in time:\n${output}`)),
      options.timeoutMs ?? 120_000,
    );
    const check = () => {
      if (output.includes('Gongfu is serving on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before serving:\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    output: () => output,
    kill: async (signal = 'SIGKILL') => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    },
  };
}

/** A signed-in client over fetch: the session cookie and the CSRF token on every change. */
export class Client {
  private cookie = '';
  private csrf = '';
  constructor(readonly base: string) {}

  async login(username: string, password: string): Promise<void> {
    const res = await fetch(`${this.base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { csrfToken: string };
    this.csrf = body.csrfToken;
    this.cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  }

  async request(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        cookie: this.cookie,
        ...(method !== 'GET' && { 'x-csrf-token': this.csrf }),
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // CSV or HTML
    }
    return { status: res.status, body: parsed };
  }

  /** Uploads one file as multipart/form-data (field "file"). */
  async upload(path: string, fileName: string, content: string | Buffer): Promise<{ status: number; body: any }> {
    const form = new FormData();
    form.append('file', new Blob([content]), fileName);
    const res = await fetch(`${this.base}${path}`, {
      method: 'POST',
      headers: { cookie: this.cookie, 'x-csrf-token': this.csrf },
      body: form,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }
}
