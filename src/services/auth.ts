/**
 * Signing in and proving who you are: password sign-in with lock-out, browser sessions (idle expiry,
 * CSRF token, sign-out everywhere) and API tokens. How a user proved who they are ends in
 * `openSession`; an OIDC sign-in can end there too without touching the rest.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { ACTIONS, passwordProblem, roleAllows, type Action, type Actor } from '../domain/access.js';
import type { AuthSettings } from '../config.js';
import type { Store } from '../store/db.js';
import * as users from '../store/users.js';
import { audit, requireSignedIn, type RequestContext } from './context.js';
import { AppError, notFound } from './errors.js';

export const SESSION_COOKIE = 'gongfu_session';
export const API_TOKEN_PREFIX = 'gft_';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const secret = (bytes: number) => randomBytes(bytes).toString('base64url');

export function hashPassword(password: string): Promise<string> {
  return hash(password); // argon2id with the library's defaults (m = 19 MiB, t = 2, p = 1; OWASP's minimum)
}

// Verifying against this when the user does not exist keeps the answer time the same either way.
let dummyHash: Promise<string> | undefined;

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface SessionInfo {
  /** The cookie value; shown to the browser once, stored only as a hash. */
  token: string;
  csrfToken: string;
  expiresAt: Date;
  user: { id: number; username: string; displayName: string; demo: boolean };
}

async function openSession(
  store: Store,
  settings: AuthSettings,
  user: users.UserRecord,
  address: string | null,
  now: Date,
): Promise<SessionInfo> {
  const token = secret(32);
  const csrfToken = secret(24);
  const expiresAt = new Date(now.getTime() + settings.sessionIdleMinutes * 60_000);
  await users.insertSession(store.db, { tokenHash: sha256(token), userId: user.id, csrfToken, expiresAt, address });
  return {
    token,
    csrfToken,
    expiresAt,
    user: { id: user.id, username: user.username, displayName: user.displayName, demo: user.demo },
  };
}

const WRONG = 'wrong user name or password';

/** Password sign-in. Failures count per account; after `maxFailedLogins` the account locks. */
export async function login(
  store: Store,
  ctx: RequestContext,
  settings: AuthSettings,
  credentials: { username: string; password: string },
  now = new Date(),
): Promise<SessionInfo> {
  const user = await users.findUserByName(store.db, credentials.username);
  const failure = async (reason: string, outcome: 'denied' | 'failed' = 'failed') =>
    audit(store.db, ctx, {
      action: 'auth.login',
      targetType: 'user',
      targetId: user?.id ?? null,
      after: { username: credentials.username, reason },
      outcome,
    });
  if (!user || user.disabled) {
    await verify(await (dummyHash ??= hashPassword('not a password of anyone')), credentials.password);
    await failure(user ? 'disabled' : 'unknown user');
    throw new AppError('INVALID_CREDENTIALS', WRONG);
  }
  if (user.lockedUntil && user.lockedUntil > now) {
    await failure('locked', 'denied');
    throw locked(user.lockedUntil);
  }
  if (!(await verify(user.passwordHash, credentials.password))) {
    const failures = await users.countFailedLogin(store.db, user.id);
    await failure(`wrong password (${failures} in a row)`);
    if (failures >= settings.maxFailedLogins) {
      const until = new Date(now.getTime() + settings.lockMinutes * 60_000);
      await users.updateUser(store.db, user.id, { lockedUntil: until });
      await audit(store.db, ctx, {
        action: 'auth.lock',
        targetType: 'user',
        targetId: user.id,
        after: { lockedUntil: until, failures },
      });
      throw locked(until);
    }
    throw new AppError('INVALID_CREDENTIALS', WRONG);
  }
  await users.updateUser(store.db, user.id, { failedLogins: 0, lockedUntil: null });
  const session = await openSession(store, settings, user, ctx.address, now);
  await audit(
    store.db,
    { ...ctx, actor: { kind: 'user', userId: user.id, username: user.username, grants: [], via: 'session' } },
    {
      action: 'auth.login',
      targetType: 'user',
      targetId: user.id,
    },
  );
  return session;
}

function locked(until: Date): AppError {
  return new AppError(
    'LOCKED',
    `the account is locked after too many failed sign-ins, until ${until.toISOString()}; an administrator can unlock it sooner`,
  );
}

async function actorOf(
  store: Store,
  user: users.UserRecord,
  via: 'session' | 'token',
  tokenScopes?: Action[],
): Promise<Actor> {
  return {
    kind: 'user',
    userId: user.id,
    username: user.username,
    grants: await users.grantsOf(store.db, user.id),
    via,
    ...(tokenScopes && { tokenScopes }),
  };
}

export interface ResolvedSession {
  actor: Actor;
  csrfToken: string;
  tokenHash: string;
}

/** The actor of a session cookie, or undefined when the session is unknown or has expired. */
export async function resolveSession(
  store: Store,
  settings: AuthSettings,
  token: string,
  now = new Date(),
): Promise<ResolvedSession | undefined> {
  const tokenHash = sha256(token);
  const session = await users.findSession(store.db, tokenHash);
  if (!session) return undefined;
  if (session.expiresAt <= now) {
    await users.deleteSession(store.db, tokenHash);
    return undefined;
  }
  const user = await users.findUserById(store.db, session.userId);
  if (!user || user.disabled) return undefined;
  // Sliding expiry, written at most once a minute.
  if (now.getTime() - session.lastSeenAt.getTime() > 60_000)
    await users.touchSession(store.db, tokenHash, new Date(now.getTime() + settings.sessionIdleMinutes * 60_000));
  return { actor: await actorOf(store, user, 'session'), csrfToken: session.csrfToken, tokenHash };
}

export async function logout(store: Store, ctx: RequestContext, sessionToken: string): Promise<void> {
  await users.deleteSession(store.db, sha256(sessionToken));
  await audit(store.db, ctx, {
    action: 'auth.logout',
    targetType: 'user',
    targetId: ctx.actor.kind === 'user' ? ctx.actor.userId : null,
  });
}

/** Ends every session of the signed-in user (all browsers). */
export async function logoutEverywhere(store: Store, ctx: RequestContext): Promise<number> {
  requireSignedIn(ctx);
  if (ctx.actor.kind !== 'user') return 0;
  const ended = await users.deleteSessionsOf(store.db, ctx.actor.userId);
  await audit(store.db, ctx, {
    action: 'auth.logout_everywhere',
    targetType: 'user',
    targetId: ctx.actor.userId,
    after: { ended },
  });
  return ended;
}

/** Changes one's own password: the old one must be right; every session ends (sign in again). */
export async function changePassword(
  store: Store,
  ctx: RequestContext,
  passwords: { current: string; next: string },
): Promise<void> {
  requireSignedIn(ctx);
  if (ctx.actor.kind !== 'user') throw new AppError('FORBIDDEN', 'only a user has a password');
  const user = await users.findUserById(store.db, ctx.actor.userId);
  if (!user) throw notFound('user');
  if (!(await verify(user.passwordHash, passwords.current))) {
    await audit(store.db, ctx, { action: 'auth.password', targetType: 'user', targetId: user.id, outcome: 'failed' });
    throw new AppError('INVALID_CREDENTIALS', 'the current password is wrong');
  }
  const problem = passwordProblem(passwords.next, user.username);
  if (problem) throw new AppError('INVALID_INPUT', problem);
  await store.db.transaction().execute(async (trx) => {
    await users.updateUser(trx, user.id, { passwordHash: await hashPassword(passwords.next) });
    await users.deleteSessionsOf(trx, user.id);
    await audit(trx, ctx, { action: 'auth.password', targetType: 'user', targetId: user.id });
  });
}

// API tokens

export interface CreatedToken {
  id: number;
  /** Shown once; only its hash is kept. */
  token: string;
  scopes: Action[];
  expiresAt: Date;
}

export async function createApiToken(
  store: Store,
  ctx: RequestContext,
  request: { name: string; scopes: string[]; days: number },
  now = new Date(),
): Promise<CreatedToken> {
  requireSignedIn(ctx);
  if (ctx.actor.kind !== 'user' || ctx.actor.via !== 'session')
    throw new AppError('FORBIDDEN', 'API tokens are created from a signed-in browser session');
  const actor = ctx.actor;
  const unknown = request.scopes.filter((s) => !(ACTIONS as readonly string[]).includes(s));
  if (unknown.length) throw new AppError('INVALID_INPUT', `unknown scope(s): ${unknown.join(', ')}`);
  const scopes = request.scopes as Action[];
  const notYours = scopes.filter((s) => !actor.grants.some((g) => roleAllows(g.role, s)));
  if (notYours.length) throw new AppError('FORBIDDEN', `your roles do not allow: ${notYours.join(', ')}`);
  if (!(request.days >= 1 && request.days <= 366)) throw new AppError('INVALID_INPUT', 'a token lasts 1 to 366 days');
  const token = API_TOKEN_PREFIX + secret(32);
  const expiresAt = new Date(now.getTime() + request.days * 86_400_000);
  const record = await store.db.transaction().execute(async (trx) => {
    const r = await users.insertToken(trx, {
      userId: actor.userId,
      name: request.name,
      tokenHash: sha256(token),
      scopes,
      expiresAt,
    });
    await audit(trx, ctx, {
      action: 'token.create',
      targetType: 'api_token',
      targetId: r.id,
      after: { name: request.name, scopes, expiresAt },
    });
    return r;
  });
  return { id: record.id, token, scopes, expiresAt };
}

export async function listApiTokens(store: Store, ctx: RequestContext): Promise<users.ApiTokenRecord[]> {
  requireSignedIn(ctx);
  return ctx.actor.kind === 'user' ? users.listTokens(store.db, ctx.actor.userId) : [];
}

export async function revokeApiToken(store: Store, ctx: RequestContext, id: number): Promise<void> {
  requireSignedIn(ctx);
  const token = await users.findTokenById(store.db, id);
  // Someone else's token does not exist as far as you are concerned.
  if (!token || ctx.actor.kind !== 'user' || token.userId !== ctx.actor.userId) throw notFound(`API token ${id}`);
  await store.db.transaction().execute(async (trx) => {
    await users.revokeToken(trx, id);
    await audit(trx, ctx, { action: 'token.revoke', targetType: 'api_token', targetId: id });
  });
}

/** The actor of a bearer token; an unknown, revoked or expired token is refused (never treated as anonymous). */
export async function resolveApiToken(store: Store, token: string, now = new Date()): Promise<Actor> {
  const record = await users.findTokenByHash(store.db, sha256(token));
  if (!record) throw new AppError('UNAUTHENTICATED', 'the API token is not valid');
  if (record.revokedAt) throw new AppError('UNAUTHENTICATED', 'the API token has been revoked');
  if (record.expiresAt <= now) throw new AppError('UNAUTHENTICATED', 'the API token has expired');
  const user = await users.findUserById(store.db, record.userId);
  if (!user || user.disabled) throw new AppError('UNAUTHENTICATED', 'the API token is not valid');
  await users.markTokenUsed(store.db, record.id);
  return actorOf(store, user, 'token', record.scopes as Action[]);
}
