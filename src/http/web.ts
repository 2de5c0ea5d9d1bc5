/**
 * The web app: web/dist served by the API's own server, with the SPA fallback (any GET that is not
 * under /api and not a file answers index.html, so /indicators/X can be reloaded), and the build that
 * `gongfu start`/`serve` run when web/dist is missing or older than its sources.
 */
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const WEB_ROOT = resolve(PROJECT_ROOT, 'web');
export const WEB_DIST = resolve(WEB_ROOT, 'dist');
const VITE_CONFIG = resolve(PROJECT_ROOT, 'vite.config.ts');

/**
 * Serves `dist` (default web/dist) at /; a missing build answers a page that says how to build it.
 * Files are looked up when asked for, not listed at start, so a rebuild while serving (new hashed
 * names) is served at once.
 */
/** Content types of the files Vite copies to the top of dist from web/public. */
const TOP_LEVEL_TYPES: Record<string, string> = {
  svg: 'image/svg+xml',
  ico: 'image/x-icon',
  png: 'image/png',
  txt: 'text/plain; charset=utf-8',
  json: 'application/json; charset=utf-8',
  webmanifest: 'application/manifest+json',
};

export async function registerWeb(app: FastifyInstance, dist: string = WEB_DIST): Promise<void> {
  const assets = join(dist, 'assets');
  if (existsSync(assets))
    await app.register(fastifyStatic, {
      root: assets,
      prefix: '/assets/',
      wildcard: true,
      index: false,
      cacheControl: false,
      // Hashed names: an asset never changes (the page itself is revalidated every time).
      setHeaders: (reply) => void reply.header('cache-control', 'public, max-age=31536000, immutable'),
    });
  const notFound = (reply: FastifyReply, path: string) =>
    reply.status(404).send({ error: { code: 'NOT_FOUND', message: `no route for GET ${path}` } });
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0]!;
    // The API's unknown paths stay JSON 404s.
    if (path === '/api' || path.startsWith('/api/')) return notFound(reply, path);
    if (!existsSync(join(dist, 'index.html')))
      return reply
        .status(503)
        .type('text/html; charset=utf-8')
        .send(
          '<!doctype html><meta charset="utf-8"><title>Gongfu</title><p>网页应用尚未构建：请运行 <code>npm run build:web</code> 或 <code>gongfu start</code>。<br>' +
            'The web app is not built: run <code>npm run build:web</code> or <code>gongfu start</code>.</p>',
        );
    // A file at the top of dist (favicon.svg), or a missing one (a name with a dot: 404, not the page).
    if (/^\/[\w.-]+\.[a-z0-9]+$/i.test(path) && !path.startsWith('/.')) {
      const name = path.slice(1);
      if (name !== 'index.html' && existsSync(join(dist, name)))
        return reply
          .header('cache-control', 'no-cache')
          .type(TOP_LEVEL_TYPES[name.slice(name.lastIndexOf('.') + 1).toLowerCase()] ?? 'application/octet-stream')
          .send(await readFile(join(dist, name)));
      return notFound(reply, path);
    }
    if (/\.[a-z0-9]+$/i.test(path)) return notFound(reply, path);
    return reply
      .header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8')
      .send(await readFile(join(dist, 'index.html')));
  };
  app.get('/', { schema: { hide: true } }, handler);
  app.get('/*', { schema: { hide: true } }, handler);
}

async function newestMtime(path: string): Promise<number> {
  const s = await stat(path).catch(() => undefined);
  if (!s) return 0;
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = s.mtimeMs;
  for (const entry of await readdir(path)) newest = Math.max(newest, await newestMtime(join(path, entry)));
  return newest;
}

/** Whether web/dist is missing or older than anything in web/src, web/public, web/index.html or the Vite config. */
export async function webBuildIsStale(): Promise<boolean> {
  if (!existsSync(join(WEB_ROOT, 'src'))) return false; // an installation without the sources: serve what is there
  const built = await stat(join(WEB_DIST, 'index.html')).catch(() => undefined);
  if (!built) return true;
  const sources = Math.max(
    await newestMtime(join(WEB_ROOT, 'src')),
    await newestMtime(join(WEB_ROOT, 'public')),
    await newestMtime(join(WEB_ROOT, 'index.html')),
    await newestMtime(VITE_CONFIG),
    // The web app imports a few pure modules of the server (units, permissions).
    await newestMtime(join(PROJECT_ROOT, 'src', 'domain')),
  );
  return sources > built.mtimeMs;
}

/**
 * Builds the web app with Vite's API into a fresh folder, then swaps it in, so that a server reading
 * web/dist never sees half a build. Returns the seconds it took.
 */
export async function buildWeb(options: { log?: (line: string) => void } = {}): Promise<number> {
  const started = performance.now();
  const { build } = await import('vite');
  const staging = `${WEB_DIST}.building-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  // A production build whatever the calling process is (vitest sets NODE_ENV=test, which would bundle React's development build).
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: VITE_CONFIG,
      mode: 'production',
      logLevel: 'warn',
      build: { outDir: staging, emptyOutDir: true },
    });
    const old = `${WEB_DIST}.old-${process.pid}`;
    if (existsSync(WEB_DIST)) await rename(WEB_DIST, old);
    await rename(staging, WEB_DIST);
    await rm(old, { recursive: true, force: true });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
    await rm(staging, { recursive: true, force: true });
  }
  const seconds = (performance.now() - started) / 1000;
  options.log?.(`Built the web app in ${seconds.toFixed(1)} s (${WEB_DIST}).`);
  return seconds;
}

const BUILD_LOCK = `${WEB_DIST}.lock`;
/** A lock older than this was left by a build that died. */
const STALE_LOCK_MS = 5 * 60_000;

/** One build at a time across processes (several servers or test files may start at once). */
async function withBuildLock<T>(work: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      await mkdir(BUILD_LOCK);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const held = await stat(BUILD_LOCK).catch(() => undefined);
      if (held && Date.now() - held.mtimeMs > STALE_LOCK_MS) await rm(BUILD_LOCK, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await work();
  } finally {
    await rm(BUILD_LOCK, { recursive: true, force: true });
  }
}

/** For `gongfu start`/`serve`: builds the web app when it is missing or stale; says so. */
export async function ensureWebBuilt(log: (line: string) => void = console.log): Promise<void> {
  if (process.env.GONGFU_SKIP_WEB_BUILD === '1' || !(await webBuildIsStale())) return;
  await withBuildLock(async () => {
    if (!(await webBuildIsStale())) return; // another process built it while this one waited
    log('Building the web app (web/dist is missing or older than web/src)…');
    try {
      await buildWeb({ log });
    } catch (e) {
      log(
        `The web app could not be built: ${e instanceof Error ? e.message : String(e)}. The API is served without it.`,
      );
    }
  });
}
