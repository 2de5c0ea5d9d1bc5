/** Sign-in, sign-out, one's own password and API tokens. */
import type { FastifyInstance } from 'fastify';
import * as auth from '../../services/auth.js';
import * as users from '../../services/users.js';
import { clearSessionCookie, setSessionCookie } from '../auth.js';
import { routeSchema, type RouteDeps } from '../route.js';
import * as s from '../schemas.js';

const tags = ['auth'];

export function authRoutes(app: FastifyInstance, { store, auth: settings }: RouteDeps): void {
  app.post(
    '/api/v1/auth/login',
    {
      schema: routeSchema({
        summary: 'Sign in with a user name and password',
        tags,
        body: s.loginBody,
        response: s.sessionBody,
      }),
      config: {
        anonymousWrite: true,
        rateLimit: { max: settings.loginAttemptsPerMinute, timeWindow: '1 minute' },
      },
    },
    async (request, reply) => {
      const body = s.loginBody.parse(request.body);
      const session = await auth.login(store, request.ctx, settings, body);
      setSessionCookie(reply, session, settings);
      // The sign-in request came in anonymous: the profile is read as the user just signed in.
      const ctx = {
        actor: {
          kind: 'user' as const,
          userId: session.user.id,
          username: session.user.username,
          grants: [],
          via: 'session' as const,
        },
        address: request.ip,
      };
      return {
        user: await users.me(store, ctx),
        csrfToken: session.csrfToken,
        expiresAt: session.expiresAt.toISOString(),
      };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    { schema: routeSchema({ summary: 'Sign out of this browser', tags, status: 204 }) },
    async (request, reply) => {
      if (request.sessionToken) await auth.logout(store, request.ctx, request.sessionToken);
      clearSessionCookie(reply, settings);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/auth/logout-everywhere',
    { schema: routeSchema({ summary: 'Sign out of every browser', tags, status: 204 }) },
    async (request, reply) => {
      await auth.logoutEverywhere(store, request.ctx);
      clearSessionCookie(reply, settings);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/auth/me',
    { schema: routeSchema({ summary: 'Who I am, my roles and my CSRF token', tags, response: s.sessionBody }) },
    async (request) => {
      const csrf = request.sessionToken
        ? (await auth.resolveSession(store, settings, request.sessionToken))?.csrfToken
        : undefined;
      return { user: await users.me(store, request.ctx), csrfToken: csrf ?? null, expiresAt: null };
    },
  );

  app.post(
    '/api/v1/auth/password',
    {
      schema: routeSchema({
        summary: 'Change my password (signs out every session)',
        tags,
        body: s.passwordBody,
        status: 204,
      }),
    },
    async (request, reply) => {
      await auth.changePassword(store, request.ctx, s.passwordBody.parse(request.body));
      clearSessionCookie(reply, settings);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/auth/tokens',
    { schema: routeSchema({ summary: 'My API tokens', tags, response: s.tokenList }) },
    async (request) => {
      const items = await auth.listApiTokens(store, request.ctx);
      return {
        items: items.map((t) => ({
          id: t.id,
          name: t.name,
          scopes: t.scopes,
          createdAt: t.createdAt.toISOString(),
          expiresAt: t.expiresAt.toISOString(),
          revokedAt: t.revokedAt?.toISOString() ?? null,
          lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
        })),
      };
    },
  );

  app.post(
    '/api/v1/auth/tokens',
    {
      schema: routeSchema({
        summary: 'Create an API token limited to some actions',
        tags,
        body: s.tokenBody,
        response: s.createdToken,
        status: 201,
      }),
    },
    async (request, reply) => {
      const created = await auth.createApiToken(store, request.ctx, s.tokenBody.parse(request.body));
      return reply.status(201).send({ ...created, expiresAt: created.expiresAt.toISOString() });
    },
  );

  app.delete(
    '/api/v1/auth/tokens/:id',
    { schema: routeSchema({ summary: 'Revoke one of my API tokens', tags, params: s.idParam, status: 204 }) },
    async (request, reply) => {
      await auth.revokeApiToken(store, request.ctx, s.idParam.parse(request.params).id);
      return reply.status(204).send();
    },
  );
}
