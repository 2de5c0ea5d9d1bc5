/** Sign-in, lock-out, sessions, CSRF, API tokens and the audit trail, through the HTTP API. */
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_AUTH } from '../src/config.js';
import { buildApp } from '../src/http/app.js';
import * as auth from '../src/services/auth.js';
import { SYSTEM_CONTEXT } from '../src/services/context.js';
import * as plans from '../src/services/plans.js';
import * as users from '../src/services/users.js';
import { countAudit, searchAudit } from '../src/store/audit.js';
import { Browser } from './support/http-client.js';
import { describeEachStore } from './support/stores.js';

const MINI = new URL('./fixtures/mini-plan/plan.yaml', import.meta.url).pathname;
const PASSWORD = 'Correct-Horse-9';
const settings = { ...DEFAULT_AUTH, maxFailedLogins: 3, loginAttemptsPerMinute: 50 };

describeEachStore('sign-in and sessions', (store) => {
  let app: FastifyInstance;

  beforeAll(async () => {
    await plans.importPlan(store(), MINI);
    await users.addUser(store(), SYSTEM_CONTEXT, {
      username: 'admin',
      password: PASSWORD,
      grants: [{ role: 'admin', unit: '990100' }],
    });
    await users.addUser(store(), SYSTEM_CONTEXT, {
      username: 'rep-east',
      password: PASSWORD,
      grants: [{ role: 'reporter', unit: '990101' }],
    });
    app = await buildApp({ store: store(), auth: settings });
  });
  afterAll(async () => {
    await app.close();
  });

  it('signs in, knows who I am, and signs out', async () => {
    const b = new Browser(app);
    const res = await b.login('rep-east', PASSWORD);
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ username: 'rep-east', grants: [{ role: 'reporter', unit: '990101' }] });
    expect(res.body.csrfToken).toMatch(/^[\w-]{20,}$/);
    const cookie = (
      await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'rep-east', password: PASSWORD },
      })
    ).headers['set-cookie'];
    expect(String(cookie)).toMatch(/HttpOnly/);
    expect(String(cookie)).toMatch(/SameSite=Strict/);
    expect((await b.get('/api/v1/auth/me')).body.user.username).toBe('rep-east');
    expect((await b.post('/api/v1/auth/logout')).status).toBe(204);
    expect((await b.get('/api/v1/auth/me')).status).toBe(401);
  });

  it('says the same for an unknown user and a wrong password', async () => {
    const unknown = await new Browser(app).login('nobody', PASSWORD);
    const wrong = await new Browser(app).login('admin', 'Wrong-Password-1');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body.error).toEqual(wrong.body.error);
    await users.unlockUser(
      store(),
      SYSTEM_CONTEXT,
      (await users.listUsers(store(), SYSTEM_CONTEXT, '990100')).find((u) => u.username === 'admin')!.id,
      '990100',
    );
  });

  it('locks an account after the configured number of failures, until an admin lifts it', async () => {
    await users.addUser(store(), SYSTEM_CONTEXT, {
      username: 'target',
      password: PASSWORD,
      grants: [{ role: 'leader', unit: '990100' }],
    });
    const attacker = new Browser(app, '10.0.0.9');
    expect((await attacker.login('target', 'guess-1-Aa')).status).toBe(401);
    expect((await attacker.login('target', 'guess-2-Aa')).status).toBe(401);
    const third = await attacker.login('target', 'guess-3-Aa');
    expect(third.status).toBe(429);
    expect(third.body.error.code).toBe('LOCKED');
    // Even the right password is refused while locked.
    expect((await new Browser(app).login('target', PASSWORD)).body.error.code).toBe('LOCKED');
    const admin = new Browser(app);
    await admin.login('admin', PASSWORD);
    const id = (await admin.get('/api/v1/users')).body.items.find(
      (u: { username: string }) => u.username === 'target',
    ).id;
    expect(
      (await admin.get('/api/v1/users')).body.items.find((u: { username: string }) => u.username === 'target').locked,
    ).toBe(true);
    expect((await admin.post(`/api/v1/users/${id}/unlock`)).status).toBe(200);
    expect((await new Browser(app).login('target', PASSWORD)).status).toBe(200);
    const trail = await searchAudit(store().db, { action: 'auth.', targetId: String(id) });
    expect(trail.map((r) => `${r.action}:${r.outcome}`)).toEqual([
      'auth.login:ok',
      'auth.login:denied',
      'auth.lock:ok',
      'auth.login:failed',
      'auth.login:failed',
      'auth.login:failed',
    ]);
  });

  it('refuses an anonymous change with 401 before reading its body', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/users',
      payload: 'not json at all',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a browser change without the CSRF token, and with a wrong one', async () => {
    const b = new Browser(app);
    await b.login('admin', PASSWORD);
    const body = { username: 'csrf-victim', grants: [{ role: 'leader', unit: '990101' }] };
    expect((await b.request('POST', '/api/v1/users', body, { 'x-csrf-token': '' })).body.error.code).toBe('CSRF');
    const saved = b.csrf;
    b.csrf = undefined;
    expect((await b.post('/api/v1/users', body)).status).toBe(403);
    b.csrf = 'x'.repeat(32);
    expect((await b.post('/api/v1/users', body)).status).toBe(403);
    b.csrf = saved;
    expect((await b.post('/api/v1/users', body)).status).toBe(201);
  });

  it('ends a session after it has been idle too long', async () => {
    const session = await auth.login(store(), SYSTEM_CONTEXT, settings, { username: 'rep-east', password: PASSWORD });
    expect(await auth.resolveSession(store(), settings, session.token)).toBeDefined();
    const later = new Date(Date.now() + (settings.sessionIdleMinutes + 1) * 60_000);
    expect(await auth.resolveSession(store(), settings, session.token, later)).toBeUndefined();
    // … and it is gone for good.
    expect(await auth.resolveSession(store(), settings, session.token)).toBeUndefined();
  });

  it('signs out everywhere', async () => {
    const [a, b] = [new Browser(app), new Browser(app)];
    await a.login('rep-east', PASSWORD);
    await b.login('rep-east', PASSWORD);
    expect((await a.post('/api/v1/auth/logout-everywhere')).status).toBe(204);
    expect((await b.get('/api/v1/auth/me')).status).toBe(401);
  });

  it('changes a password by the rules, and ends every session', async () => {
    const b = new Browser(app);
    await b.login('rep-east', PASSWORD);
    const other = new Browser(app);
    await other.login('rep-east', PASSWORD);
    const weak = await b.post('/api/v1/auth/password', { current: PASSWORD, next: 'short' });
    expect(weak.body.error).toEqual({ code: 'INVALID_INPUT', message: 'a password has at least 10 characters' });
    expect(
      (await b.post('/api/v1/auth/password', { current: 'Wrong-Password-1', next: 'Another-Good-1' })).status,
    ).toBe(401);
    expect((await b.post('/api/v1/auth/password', { current: PASSWORD, next: 'Another-Good-1' })).status).toBe(204);
    expect((await other.get('/api/v1/auth/me')).status).toBe(401);
    expect((await new Browser(app).login('rep-east', PASSWORD)).status).toBe(401);
    expect((await new Browser(app).login('rep-east', 'Another-Good-1')).status).toBe(200);
    await auth.changePassword(
      store(),
      {
        actor: { kind: 'user', userId: await userId('rep-east'), username: 'rep-east', grants: [], via: 'session' },
        address: null,
      },
      { current: 'Another-Good-1', next: PASSWORD },
    );
  });

  async function userId(name: string): Promise<number> {
    return (await users.listUsers(store(), SYSTEM_CONTEXT, '990100')).find((u) => u.username === name)!.id;
  }

  it('API tokens: scoped, refused when revoked or expired, hashed at rest', async () => {
    const b = new Browser(app);
    await b.login('admin', PASSWORD);
    const created = await b.post('/api/v1/auth/tokens', { name: 'stats bureau', scopes: ['user.manage'], days: 30 });
    expect(created.status).toBe(201);
    const token: string = created.body.token;
    expect(token).toMatch(/^gft_/);
    const bearer = { authorization: `Bearer ${token}` };
    const list = await app.inject({ method: 'GET', url: '/api/v1/users', headers: bearer });
    expect(list.statusCode).toBe(200);
    // Outside the token's scopes, even though the user is an admin.
    expect((await app.inject({ method: 'GET', url: '/api/v1/audit', headers: bearer })).statusCode).toBe(403);
    // No CSRF needed for a bearer token (not a browser), and a change is possible.
    const add = await app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: bearer,
      payload: { username: 'via-token', grants: [{ role: 'leader', unit: '990101' }] },
    });
    expect(add.statusCode).toBe(201);
    const stored = await sql<{ token_hash: string }>`SELECT token_hash FROM api_token`.execute(store().db);
    expect(stored.rows.some((r) => r.token_hash.includes(token))).toBe(false);
    expect((await b.delete(`/api/v1/auth/tokens/${created.body.id}`)).status).toBe(204);
    const revoked = await app.inject({ method: 'GET', url: '/api/v1/users', headers: bearer });
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().error.message).toBe('the API token has been revoked');

    const session = await auth.login(store(), SYSTEM_CONTEXT, settings, { username: 'admin', password: PASSWORD });
    const ctx = { actor: (await auth.resolveSession(store(), settings, session.token))!.actor, address: null };
    const old = await auth.createApiToken(
      store(),
      ctx,
      { name: 'old', scopes: ['user.manage'], days: 1 },
      new Date(Date.now() - 2 * 86_400_000),
    );
    const expired = await app.inject({
      method: 'GET',
      url: '/api/v1/users',
      headers: { authorization: `Bearer ${old.token}` },
    });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.message).toBe('the API token has expired');
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/users', headers: { authorization: 'Bearer gft_made-up' } }))
        .statusCode,
    ).toBe(401);
  });

  it("refuses a token scope the user's roles do not allow, and hides others' tokens", async () => {
    const b = new Browser(app);
    await b.login('rep-east', PASSWORD);
    expect((await b.post('/api/v1/auth/tokens', { name: 'x', scopes: ['user.manage'] })).status).toBe(403);
    const mine = await b.post('/api/v1/auth/tokens', { name: 'mine', scopes: ['value.write'] });
    expect(mine.status).toBe(201);
    const admin = new Browser(app);
    await admin.login('admin', PASSWORD);
    expect((await admin.delete(`/api/v1/auth/tokens/${mine.body.id}`)).status).toBe(404);
  });

  it('keeps the audit trail append-only', async () => {
    await expect(sql`UPDATE audit_log SET action = 'x'`.execute(store().db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log`.execute(store().db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_log`.execute(store().db)).rejects.toThrow(/append-only/);
  });

  it('leaves exactly one audit record per change, with who and what', async () => {
    const admin = new Browser(app, '192.0.2.7');
    await admin.login('admin', PASSWORD);
    const before = await countAudit(store().db);
    const added = await admin.post('/api/v1/users', {
      username: 'audited',
      grants: [{ role: 'leader', unit: '990101' }],
    });
    const id = added.body.user.id;
    await admin.post(`/api/v1/users/${id}/grants`, { role: 'reporter', unit: '990102' });
    await admin.delete(`/api/v1/users/${id}/grants/leader/990101`);
    await admin.post(`/api/v1/users/${id}/disable`);
    await admin.post(`/api/v1/users/${id}/enable`);
    expect((await countAudit(store().db)) - before).toBe(5);
    const trail = await searchAudit(store().db, { targetType: 'user', targetId: String(id) });
    expect(trail.map((r) => r.action)).toEqual([
      'user.enable',
      'user.disable',
      'user.revoke',
      'user.grant',
      'user.add',
    ]);
    expect(trail.every((r) => r.username === 'admin' && r.address === '192.0.2.7')).toBe(true);
    expect(trail[2]!.before).toEqual({ role: 'leader', unit: '990101' });
    const csv = await admin.get(`/api/v1/audit.csv?targetType=user&targetId=${id}`);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(String(csv.body).split('\n')[0]).toBe(
      'id,at,user_id,username,address,action,target_type,target_id,outcome,before,after',
    );
  });

  it('rate-limits sign-in attempts per address', async () => {
    const limited = await buildApp({ store: store(), auth: { ...settings, loginAttemptsPerMinute: 2 } });
    const b = new Browser(limited, '198.51.100.1');
    await b.login('nobody', 'x');
    await b.login('nobody', 'x');
    const third = await b.login('nobody', 'x');
    expect(third.status).toBe(429);
    expect((await new Browser(limited, '198.51.100.2').login('nobody', 'x')).status).toBe(401);
    await limited.close();
  });
});
