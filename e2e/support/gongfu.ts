/**
 * Starts Gongfu for a browser test the way `npm start` does (`node bin/gongfu.js start`), on a free
 * port with a temporary data folder, and stops it. The demo accounts all get the password in
 * GONGFU_DEMO_PASSWORD (test-only), so `signIn` can use them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureWebBuilt } from '../../src/http/web.js';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The demo accounts' password in browser tests. */
export const DEMO_PASSWORD = process.env.GONGFU_DEMO_PASSWORD || 'E2e-Demo-Pass-2025';

export interface Gongfu {
  url: string;
  dataDir: string;
  /** Everything the server printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/** Builds web/dist once per test process if it is missing or stale (the servers then skip it). */
let built: Promise<void> | undefined;
export function ensureWeb(): Promise<void> {
  built ??= ensureWebBuilt((line) => console.log(`[web] ${line}`));
  return built;
}

export async function startGongfu(options: { demo?: boolean; env?: Record<string, string> } = {}): Promise<Gongfu> {
  await ensureWeb();
  const dataDir = await mkdtemp(join(tmpdir(), 'gongfu-e2e-'));
  const args = ['bin/gongfu.js', 'start', '--port', '0', '--host', '127.0.0.1', '--data', dataDir];
  if (options.demo === false) args.push('--no-demo');
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      GONGFU_DEMO_PASSWORD: DEMO_PASSWORD,
      GONGFU_SKIP_WEB_BUILD: '1',
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Gongfu did not start within 240 s:\n${output}`)), 240_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /serving on (http:\/\/[^\s]+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Gongfu exited (${code}) before serving:\n${output}`));
    });
  });
  return {
    url,
    dataDir,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
