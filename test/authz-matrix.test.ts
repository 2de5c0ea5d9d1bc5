/**
 * The authorisation matrix: every role (and anonymous) × every state-changing route × an org unit
 * inside and outside the grant, against an expected allow/deny written out by hand below — not
 * derived from the permission table, so a wrong table fails here. Runs on PostgreSQL.
 *
 * Every role is granted on 990101 (东区); "inside" targets 990101, "outside" targets 990102 (西县).
 * A route that is about oneself (sign-out, password, tokens) has no unit: both columns are the same.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_AUTH } from '../src/config.js';
import { ROLES, type Role } from '../src/domain/access.js';
import { buildApp } from '../src/http/app.js';
import * as appraisal from '../src/services/appraisal.js';
import * as auth from '../src/services/auth.js';
import { SYSTEM_CONTEXT } from '../src/services/context.js';
import * as data from '../src/services/data.js';
import * as plans from '../src/services/plans.js';
import * as publication from '../src/services/publication.js';
import * as users from '../src/services/users.js';
import * as tasks from '../src/services/tasks.js';
import * as problems from '../src/services/problems.js';
import * as targetAdjustments from '../src/services/target-adjustments.js';
import { insertNotifications } from '../src/store/problems.js';
import { Browser } from './support/http-client.js';
import { countAudit } from '../src/store/audit.js';
import { describeEachStore } from './support/stores.js';

const MINI = new URL('./fixtures/mini-plan/plan.yaml', import.meta.url).pathname;
const PASSWORD = 'Matrix-Pass-42';
const INSIDE = '990101';
const OUTSIDE = '990102';

type Actor = Role | 'anonymous';
const ACTORS: Actor[] = ['anonymous', ...ROLES];
type Expect = 'allow' | 'deny';

interface Case {
  /** A file upload instead of a JSON body. */
  file?: (unit: string) => { name: string; content: string };
  /** "METHOD path" as in the OpenAPI document. */
  route: string;
  /** Builds the request for a unit; may create what it needs (as the system). */
  prepare(unit: string, me: { id: number; username: string }): Promise<{ url: string; body?: unknown }>;
  /** Who may, inside their grant; outside, nobody may (unless `self`). */
  inside: Actor[];
  /** The route is about the caller, not a unit: the outside column equals the inside one. */
  self?: boolean;
}

let counter = 0;
const fresh = (prefix: string) => `${prefix}-${++counter}`;

async function someoneOn(store: Parameters<typeof users.addUser>[0], unit: string, role: Role = 'leader') {
  return (
    await users.addUser(store, SYSTEM_CONTEXT, {
      username: fresh('target'),
      password: PASSWORD,
      grants: [{ role, unit }],
    })
  ).user;
}

const SIGNED_IN: Actor[] = [...ROLES];

/** A past year no other cell uses, so each cell starts from its own return (a year not begun is refused). */
const freshYear = () => String(1100 + ++counter);

describeEachStore(
  'authorisation matrix',
  (store) => {
    let app: FastifyInstance;

    const cases: Case[] = [
      {
        route: 'POST /api/v1/auth/login',
        prepare: async () => {
          const u = await someoneOn(store(), INSIDE);
          return { url: '/api/v1/auth/login', body: { username: u.username, password: PASSWORD } };
        },
        inside: ACTORS,
        self: true,
      },
      {
        route: 'POST /api/v1/auth/logout',
        prepare: async () => ({ url: '/api/v1/auth/logout' }),
        inside: SIGNED_IN,
        self: true,
      },
      {
        route: 'POST /api/v1/auth/logout-everywhere',
        prepare: async () => ({ url: '/api/v1/auth/logout-everywhere' }),
        inside: SIGNED_IN,
        self: true,
      },
      {
        route: 'POST /api/v1/auth/password',
        prepare: async () => ({ url: '/api/v1/auth/password', body: { current: PASSWORD, next: 'Changed-Pass-43' } }),
        inside: SIGNED_IN,
        self: true,
      },
      {
        route: 'POST /api/v1/auth/tokens',
        prepare: async () => ({ url: '/api/v1/auth/tokens', body: { name: 't', scopes: ['task.read'] } }),
        inside: SIGNED_IN,
        self: true,
      },
      {
        route: 'DELETE /api/v1/auth/tokens/{id}',
        prepare: async (_unit, me) => {
          if (me.id === 0) return { url: '/api/v1/auth/tokens/1' };
          const session = await auth.login(store(), SYSTEM_CONTEXT, DEFAULT_AUTH, {
            username: me.username,
            password: PASSWORD,
          });
          const resolved = await auth.resolveSession(store(), DEFAULT_AUTH, session.token);
          const t = await auth.createApiToken(
            store(),
            { actor: resolved!.actor, address: null },
            { name: 'own', scopes: ['task.read'], days: 1 },
          );
          return { url: `/api/v1/auth/tokens/${t.id}` };
        },
        inside: SIGNED_IN,
        self: true,
      },
      {
        route: 'POST /api/v1/users',
        prepare: async (unit) => ({
          url: '/api/v1/users',
          body: { username: fresh('new'), grants: [{ role: 'reporter', unit }] },
        }),
        inside: ['admin'],
      },
      {
        route: 'POST /api/v1/users/{id}/grants',
        prepare: async (unit) => ({
          url: `/api/v1/users/${(await someoneOn(store(), unit)).id}/grants`,
          body: { role: 'reporter', unit },
        }),
        inside: ['admin'],
      },
      {
        route: 'DELETE /api/v1/users/{id}/grants/{role}/{unit}',
        prepare: async (unit) => ({
          url: `/api/v1/users/${(await someoneOn(store(), unit)).id}/grants/leader/${unit}`,
        }),
        inside: ['admin'],
      },
      {
        route: 'PUT /api/v1/data/values',
        prepare: async (unit) => ({
          url: '/api/v1/data/values',
          body: { values: [{ indicator: 'POP', orgUnit: unit, period: freshYear(), value: 1000 }] },
        }),
        inside: ['admin', 'reporter'],
      },
      {
        route: 'POST /api/v1/data/returns/{orgUnit}/{period}/submit',
        prepare: async (unit) => ({ url: `/api/v1/data/returns/${unit}/${await returnAt(unit, 'draft')}/submit` }),
        inside: ['admin', 'reporter'],
      },
      {
        route: 'POST /api/v1/data/returns/{orgUnit}/{period}/approve',
        prepare: async (unit) => ({ url: `/api/v1/data/returns/${unit}/${await returnAt(unit, 'submitted')}/approve` }),
        inside: ['admin', 'approver'],
      },
      {
        route: 'POST /api/v1/data/returns/{orgUnit}/{period}/return',
        prepare: async (unit) => ({
          url: `/api/v1/data/returns/${unit}/${await returnAt(unit, 'submitted')}/return`,
          body: { reason: '请核实' },
        }),
        inside: ['admin', 'approver'],
      },
      {
        route: 'POST /api/v1/data/returns/{orgUnit}/{period}/unlock',
        prepare: async (unit) => ({
          url: `/api/v1/data/returns/${unit}/${await returnAt(unit, 'approved')}/unlock`,
          body: { reason: '最终核实数' },
        }),
        inside: ['admin', 'approver'],
      },
      {
        route: 'POST /api/v1/data/import',
        prepare: async () => ({ url: '/api/v1/data/import' }),
        file: (unit) => ({
          name: 'v.csv',
          content: `indicator,org_unit,period,value\nPOP,${unit},${freshYear()},1000\n`,
        }),
        inside: ['admin', 'reporter'],
      },
      {
        route: 'POST /api/v1/microdata/import',
        prepare: async () => ({ url: '/api/v1/microdata/import' }),
        file: (unit) => ({
          name: 'h.csv',
          content: `household_id,org_unit,year,urban_rural,size,disposable_income,weight\nH${counter},${unit},2024,urban,3,100000,1\n`,
        }),
        inside: ['admin', 'analyst'],
      },
      {
        // The evaluation is of the whole plan: a grant on one county does not allow it, whatever the role.
        route: 'POST /api/v1/evaluations',
        prepare: async () => ({ url: '/api/v1/evaluations', body: {} }),
        inside: [],
      },
      // Publication is of the whole plan (every unit's values of a period): a grant on one county does not allow it.
      {
        route: 'POST /api/v1/publications',
        prepare: async () => ({ url: '/api/v1/publications', body: { indicator: 'POP', periods: [freshYear()] } }),
        inside: [],
      },
      {
        route: 'DELETE /api/v1/publications/{indicator}/{period}',
        prepare: async () => {
          const period = freshYear();
          await publication.publish(store(), SYSTEM_CONTEXT, { indicator: 'POP', periods: [period] });
          return { url: `/api/v1/publications/POP/${period}` };
        },
        inside: [],
      },
      // Task lists and the closed loop
      {
        route: 'POST /api/v1/task-items',
        prepare: async (unit) => ({
          url: '/api/v1/task-items',
          body: { list: 'key', titleZh: fresh('事项'), scopeUnit: unit },
        }),
        inside: ['admin', 'analyst'],
      },
      {
        route: 'PATCH /api/v1/task-items/{id}',
        prepare: async (unit) => ({
          url: `/api/v1/task-items/${await itemAt(unit)}`,
          body: { status: 'in_progress', reason: '启动' },
        }),
        inside: ['admin', 'analyst'],
      },
      {
        route: 'POST /api/v1/task-items/{id}/split',
        prepare: async (unit) => ({
          url: `/api/v1/task-items/${await itemAt(unit)}/split`,
          body: { parts: [{ titleZh: '甲' }, { titleZh: '乙' }] },
        }),
        inside: ['admin', 'analyst'],
      },
      {
        route: 'POST /api/v1/task-items/{id}/reports',
        prepare: async (unit) => ({
          url: `/api/v1/task-items/${await itemAt(unit)}/reports`,
          body: { text: '已完成调研', percentComplete: 20 },
        }),
        inside: ['admin', 'unit_member'],
      },
      {
        route: 'POST /api/v1/task-items/{id}/comments',
        prepare: async (unit) => ({
          url: `/api/v1/task-items/${await itemAt(unit)}/comments`,
          body: { text: '请加快' },
        }),
        inside: ['admin', 'analyst', 'unit_member'],
      },
      {
        route: 'POST /api/v1/task-items/{id}/reply',
        prepare: async (unit) => ({
          url: `/api/v1/task-items/${await itemAt(unit, 'reform')}/reply`,
          body: { reply: '省里同意试点', repliedAt: '2025-01-15' },
        }),
        inside: ['admin', 'analyst'],
      },
      {
        route: 'POST /api/v1/problems',
        prepare: async (unit) => ({
          url: '/api/v1/problems',
          body: { title: fresh('问题'), category: 'supervision', orgUnit: unit },
        }),
        inside: ['admin', 'analyst', 'supervisor'],
      },
      {
        route: 'POST /api/v1/problems/{id}/transitions',
        prepare: async (unit) => {
          const p = await problems.raiseProblem(store(), SYSTEM_CONTEXT, {
            title: fresh('问题'),
            category: 'audit',
            orgUnit: unit,
          });
          return {
            url: `/api/v1/problems/${p.id}/transitions`,
            body: { transition: 'assign', assignedUnit: unit, deadline: '2099-12-31', reason: '交办' },
          };
        },
        inside: ['admin', 'supervisor'],
      },
      {
        // The sweep is over the whole plan: a grant on one county does not allow it.
        route: 'POST /api/v1/problems/sweep',
        prepare: async () => ({ url: '/api/v1/problems/sweep' }),
        inside: [],
      },
      {
        route: 'POST /api/v1/inbox/{id}/read',
        prepare: async (_unit, me) => {
          if (me.id === 0) return { url: '/api/v1/inbox/1/read' };
          const [id] = await insertNotifications(store().db, [
            { userId: me.id, kind: 'assigned', messageZh: '测试', messageEn: 'test', dedupe: fresh('n') },
          ]);
          return { url: `/api/v1/inbox/${id}/read` };
        },
        inside: SIGNED_IN,
        self: true,
      },
      {
        route: 'PUT /api/v1/inbox/email',
        prepare: async () => ({ url: '/api/v1/inbox/email', body: { email: 'someone@example.org' } }),
        inside: SIGNED_IN,
        self: true,
      },
      ...(['unlock', 'disable', 'enable'] as const).map((what): Case => ({
        route: `POST /api/v1/users/{id}/${what}`,
        prepare: async (unit) => ({ url: `/api/v1/users/${(await someoneOn(store(), unit)).id}/${what}` }),
        inside: ['admin'],
      })),
      // Appraisal: scoring, freezing, publishing and deciding events are for the whole plan (its root);
      // a grant on one county does not allow them, whatever the role.
      ...(['score', 'freeze', 'publish'] as const).map((what): Case => ({
        route: `POST /api/v1/appraisals/{period}/${what}`,
        prepare: async () => ({ url: `/api/v1/appraisals/2024Q4/${what}`, body: {} }),
        inside: [],
      })),
      {
        route: 'POST /api/v1/appraisal-events',
        prepare: async (unit) => ({
          url: '/api/v1/appraisal-events',
          body: { period: '2024Q4', orgUnit: unit, rule: 'national_pilot', evidence: fresh('批复') },
        }),
        inside: ['admin', 'analyst'],
      },
      ...(['approve', 'reject'] as const).map((what): Case => ({
        route: `POST /api/v1/appraisal-events/{id}/${what}`,
        prepare: async (unit) => {
          const e = await appraisal.recordEvent(store(), SYSTEM_CONTEXT, {
            period: '2024Q4',
            orgUnit: unit,
            rule: 'national_pilot',
            evidence: fresh('批复'),
          });
          return { url: `/api/v1/appraisal-events/${e.id}/${what}`, body: {} };
        },
        inside: [],
      })),
      {
        route: 'POST /api/v1/surveys/import',
        prepare: async () => ({ url: '/api/v1/surveys/import?period=2024Q4' }),
        file: (unit) => ({
          name: 'survey.csv',
          content: `respondent,weight,unit,question,answer\n${fresh('R')},1,${unit},q1,4\n`,
        }),
        inside: ['admin', 'analyst'],
      },
      // Target adjustments (动态调整) change the plan's targets: for the whole plan (its root); a grant on
      // one county does not allow proposing, deciding or withdrawing, whatever the role.
      {
        route: 'POST /api/v1/target-adjustments',
        prepare: async () => ({
          url: '/api/v1/target-adjustments',
          body: {
            indicator: 'INC_PC',
            targetIndex: 0,
            target: { kind: 'level', op: '>=', value: 50000 + ++counter },
            justification: fresh('理由'),
          },
        }),
        inside: [],
      },
      ...(['approve', 'reject', 'withdraw'] as const).map((what): Case => ({
        route: `POST /api/v1/target-adjustments/{id}/${what}`,
        prepare: async () => {
          const a = await targetAdjustments.proposeAdjustment(store(), SYSTEM_CONTEXT, {
            indicator: 'INC_PC',
            targetIndex: 0,
            target: { kind: 'level', op: '>=', value: 50000 + ++counter },
            justification: fresh('理由'),
          });
          const body = what === 'withdraw' ? { reason: '理由' } : { note: '意见' };
          return { url: `/api/v1/target-adjustments/${a.id}/${what}`, body };
        },
        inside: [],
      })),
    ];

    /** An item scoped to and led by `unit` (prepared as the system). */
    async function itemAt(unit: string, list: 'key' | 'reform' = 'key'): Promise<number> {
      return (
        await tasks.createItem(store(), SYSTEM_CONTEXT, {
          list,
          titleZh: fresh('事项'),
          scopeUnit: unit,
          leadUnit: unit,
        })
      ).id;
    }

    /** A period whose return for `unit` is in `state` (prepared as the system). */
    async function returnAt(unit: string, state: 'draft' | 'submitted' | 'approved'): Promise<string> {
      const period = freshYear();
      await data.saveValues(store(), SYSTEM_CONTEXT, [{ indicator: 'POP', orgUnit: unit, period, value: 1000 }]);
      if (state !== 'draft') await data.submitReturn(store(), SYSTEM_CONTEXT, unit, period);
      if (state === 'approved') await data.approveReturn(store(), SYSTEM_CONTEXT, unit, period);
      return period;
    }

    beforeAll(async () => {
      await plans.importPlan(store(), MINI);
      app = await buildApp({ store: store(), auth: { ...DEFAULT_AUTH, loginAttemptsPerMinute: 100_000 } });
    });
    afterAll(async () => {
      await app.close();
    });

    it('covers every state-changing route of the API', async () => {
      const doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json() as {
        paths: Record<string, Record<string, unknown>>;
      };
      const writes = Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.keys(ops)
          .filter((m) => !['get', 'head', 'options'].includes(m))
          .map((m) => `${m.toUpperCase()} ${path}`),
      );
      expect(cases.map((c) => c.route).sort()).toEqual(writes.sort());
    });

    it('allows and denies as expected in every cell', async () => {
      const results: string[] = [];
      const wrong: string[] = [];
      for (const c of cases) {
        for (const actor of ACTORS) {
          for (const side of ['inside', 'outside'] as const) {
            const unit = side === 'inside' ? INSIDE : OUTSIDE;
            const browser = new Browser(app);
            let me = { id: 0, username: '' };
            if (actor !== 'anonymous') {
              const u = await someoneOn(store(), INSIDE, actor);
              me = { id: u.id, username: u.username };
              expect((await browser.login(u.username, PASSWORD)).status).toBe(200);
            }
            const { url, body } = await c.prepare(unit, me);
            const method = c.route.split(' ')[0] as 'POST' | 'DELETE' | 'PUT' | 'PATCH';
            const file = c.file?.(unit);
            const auditBefore = await countAudit(store().db);
            const res = file
              ? await browser.upload(url, file.name, file.content)
              : await browser.request(method, url, body ?? (method === 'DELETE' ? undefined : {}));
            const expected: Expect = (side === 'inside' || c.self) && c.inside.includes(actor) ? 'allow' : 'deny';
            const got: Expect | 'error' =
              res.status < 300 ? 'allow' : [401, 403, 404].includes(res.status) ? 'deny' : 'error';
            results.push(`${c.route} ${actor} ${side}`);
            if (got !== expected)
              wrong.push(
                `${c.route} as ${actor} ${side}: expected ${expected}, got ${res.status} ${JSON.stringify(res.body)}`,
              );
            // Every change that went through left its record in the audit trail; a refusal changed nothing.
            const audited = (await countAudit(store().db)) - auditBefore;
            if (got === 'allow' && audited < 1) wrong.push(`${c.route} as ${actor} ${side}: allowed but not audited`);
            if (got === 'deny' && actor === 'anonymous' && audited !== 0)
              wrong.push(`${c.route} as ${actor} ${side}: refused but audited ${audited}`);
            // An anonymous write is refused as unauthenticated, never as anything else.
            if (actor === 'anonymous' && expected === 'deny') expect(res.status, c.route).toBe(401);
          }
        }
      }
      expect(wrong).toEqual([]);
      expect(results).toHaveLength(cases.length * ACTORS.length * 2);
      // Every cell signs a user in (a password hash each): minutes on a busy machine, not seconds.
    }, 300_000);
  },
  ['postgres'],
);
