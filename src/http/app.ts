/**
 * The Fastify application: REST under /api/v1, OpenAPI at /api/docs. Routes are thin: parse the
 * request, call a use case in services/ (which checks permissions), answer. Errors are mapped to
 * responses in one place; who is calling is settled first, in auth.ts.
 */
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { DEFAULT_AUTH, type AuthSettings } from '../config.js';
import * as plans from '../services/plans.js';
import type { Store } from '../store/db.js';
import { registerAuth } from './auth.js';
import { registerErrorHandler } from './errors.js';
import type { RouteDeps } from './route.js';
import { appraisalRoutes } from './routes/appraisal.js';
import { authRoutes } from './routes/auth.js';
import { dataRoutes } from './routes/data.js';
import { fileRoutes } from './routes/files.js';
import { evaluationRoutes } from './routes/evaluation.js';
import { problemRoutes } from './routes/problems.js';
import { taskRoutes } from './routes/tasks.js';
import { orgUnitRoutes } from './routes/org-units.js';
import { planRoutes } from './routes/plan.js';
import { reportRoutes } from './routes/reports.js';
import { publicRoutes } from './routes/public.js';
import { userRoutes } from './routes/users.js';
import { overviewRoutes } from './routes/overview.js';
import { targetAdjustmentRoutes } from './routes/target-adjustments.js';
import { registerWeb } from './web.js';
import * as s from './schemas.js';
import { routeSchema } from './route.js';

export interface AppOptions {
  store: Store;
  /** Show this plan; default: the most recently loaded. */
  planId?: string;
  auth?: AuthSettings;
  logger?: FastifyServerOptions['logger'];
  /** Serve the web app: true for web/dist, or a folder; default off (the API alone). */
  web?: boolean | string;
}

/** JSON bodies above this are refused (files come through their own upload routes). */
const BODY_LIMIT = 1024 * 1024;

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { store } = options;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: BODY_LIMIT,
    trustProxy: false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true, useDefaults: true } },
  });
  registerErrorHandler(app);

  await app.register(helmet, { global: true });
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Gongfu API',
        description:
          'Targets, data, evaluation and the closed loop of a common-prosperity implementation plan. ' +
          'Browsers sign in with POST /api/v1/auth/login (a session cookie; send x-csrf-token with every change); ' +
          'other systems send "Authorization: Bearer <API token>".',
        version: '1',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'gongfu_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      tags: [
        { name: 'plan', description: 'The plan: goal areas, sections, tasks, indicators and targets' },
        { name: 'org-units', description: 'Regions (city, counties, towns, villages) and departments' },
        { name: 'auth', description: 'Sign-in, sessions and API tokens' },
        { name: 'users', description: 'Users and their roles on the org tree' },
        { name: 'audit', description: 'The audit trail of every change' },
        {
          name: 'data',
          description: 'Data entry, files, the return workflow (submit, approve, return, unlock) and history',
        },
        {
          name: 'tasks',
          description: 'Task lists (重点任务、突破性抓手、重大改革诉求): items, milestones, progress reports',
        },
        {
          name: 'problems',
          description: 'Problems (督办事项) and the closed loop: assign, rectify, verify, close; loop figures',
        },
        { name: 'inbox', description: 'The caller’s notifications' },
        {
          name: 'appraisal',
          description:
            'Appraisal (考核): scoring schemes, events, satisfaction surveys, frozen and versioned publication',
        },
        { name: 'public', description: 'Publication (analysts) and the public portal: published figures, no sign-in' },
        { name: 'system', description: 'Health' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  const auth = options.auth ?? DEFAULT_AUTH;
  registerAuth(app, store, auth);

  const deps: RouteDeps = { store, auth, planId: () => plans.currentPlanId(store, options.planId) };

  app.get(
    '/healthz',
    { schema: routeSchema({ summary: 'Liveness and the plan served', tags: ['system'], response: s.health }) },
    async () => ({ status: 'ok' as const, database: store.kind, plan: await deps.planId().catch(() => null) }),
  );
  planRoutes(app, deps);
  orgUnitRoutes(app, deps);
  authRoutes(app, deps);
  userRoutes(app, deps);
  dataRoutes(app, deps);
  await fileRoutes(app, deps);
  evaluationRoutes(app, deps);
  reportRoutes(app, deps);
  publicRoutes(app, deps);
  taskRoutes(app, deps);
  problemRoutes(app, deps);
  overviewRoutes(app, deps);
  appraisalRoutes(app, deps);
  targetAdjustmentRoutes(app, deps);
  if (options.web) await registerWeb(app, typeof options.web === 'string' ? options.web : undefined);
  return app;
}
