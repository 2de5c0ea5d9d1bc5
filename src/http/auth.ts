/**
 * Who is calling: a bearer API token, a session cookie, or nobody. Runs first on every request, so
 * that an anonymous write is refused with 401 before its body is even read, and a cookie-borne write
 * without the session's CSRF token is refused with 403.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthSettings } from '../config.js';
import { ANONYMOUS } from '../domain/access.js';
import {
  API_TOKEN_PREFIX,
  resolveApiToken,
  resolveSession,
  safeEqual,
  SESSION_COOKIE,
  type SessionInfo,
} from '../services/auth.js';
import { demoVisitorActor, type RequestContext } from '../services/context.js';
import { demoVisitorRoot } from '../services/demo.js';
import { AppError } from '../services/errors.js';
import type { Store } from '../store/db.js';

declare module 'fastify' {
  interface FastifyRequest {
    ctx: RequestContext;
    /** The session cookie's token, when the caller signed in with a browser session. */
    sessionToken: string | undefined;
  }
  interface FastifyInstance {
    /** The plan root an anonymous visitor may read as the demo visitor, or null (no demo data). */
    demoVisitorRoot(): Promise<{ code: string; path: string } | null>;
  }
  interface FastifyContextConfig {
    /** Anyone may call this state-changing route (sign-in). */
    anonymousWrite?: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const CSRF_HEADER = 'x-csrf-token';

/** How long the answer to "does this server hold the demo?" is kept (it changes only with the data). */
const DEMO_VISITOR_TTL_MS = 10_000;

export function registerAuth(app: FastifyInstance, store: Store, settings: AuthSettings): void {
  let visitor: { at: number; root: Promise<{ code: string; path: string } | null> } | undefined;
  const demoVisitor = () => {
    if (!visitor || Date.now() - visitor.at > DEMO_VISITOR_TTL_MS)
      visitor = { at: Date.now(), root: demoVisitorRoot(store).catch(() => null) };
    return visitor.root;
  };
  app.decorate('demoVisitorRoot', demoVisitor);
  app.decorateRequest('ctx', null as unknown as RequestContext);
  app.decorateRequest('sessionToken', undefined);

  app.addHook('onRequest', async (request) => {
    request.ctx = { actor: ANONYMOUS, address: request.ip };
    const write = !SAFE_METHODS.has(request.method);
    const authorization = request.headers.authorization;
    if (authorization?.startsWith('Bearer ')) {
      const token = authorization.slice('Bearer '.length).trim();
      if (!token.startsWith(API_TOKEN_PREFIX)) throw new AppError('UNAUTHENTICATED', 'the API token is not valid');
      request.ctx = { actor: await resolveApiToken(store, token), address: request.ip };
      return;
    }
    const cookie = request.cookies[SESSION_COOKIE];
    const session = cookie ? await resolveSession(store, settings, cookie) : undefined;
    if (session) {
      request.ctx = { actor: session.actor, address: request.ip };
      request.sessionToken = cookie;
      if (write) {
        const sent = request.headers[CSRF_HEADER];
        if (typeof sent !== 'string' || !safeEqual(sent, session.csrfToken))
          throw new AppError('CSRF', `a change from a browser must carry the session's ${CSRF_HEADER} header`);
      }
      return;
    }
    if (write && !request.routeOptions.config.anonymousWrite) throw new AppError('UNAUTHENTICATED', 'sign in first');
    // Nobody signed in, on a server with the demo: reads go as the demo visitor (read actions only).
    // Not for /auth/* (there the visitor is nobody: /auth/me answers 401 and the UI offers sign-in), nor
    // for the public portal (/public/*), which shows anonymous visitors exactly what the public sees.
    if (!write && !/^\/api\/v1\/(auth|public)(\/|\?|$)/.test(request.url)) {
      const root = await demoVisitor();
      if (root) request.ctx = { actor: demoVisitorActor(root), address: request.ip };
    }
  });
}

export function setSessionCookie(reply: FastifyReply, session: SessionInfo, settings: AuthSettings): void {
  void reply.setCookie(SESSION_COOKIE, session.token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: settings.secureCookies,
    expires: session.expiresAt,
  });
}

export function clearSessionCookie(reply: FastifyReply, settings: AuthSettings): void {
  void reply.clearCookie(SESSION_COOKIE, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: settings.secureCookies,
  });
}

export const ctxOf = (request: FastifyRequest) => request.ctx;
