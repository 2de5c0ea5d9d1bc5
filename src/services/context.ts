/**
 * Who is asking, and from where: every use case that reads something private or changes anything
 * takes a context, checks it with `authorize`, and writes its change to the audit trail with `audit`.
 */
import type { Kysely } from 'kysely';
import { ANONYMOUS, can, type Action, type Actor } from '../domain/access.js';
import type { Database } from '../store/schema.js';
import { appendAudit } from '../store/audit.js';
import { getOrgUnit } from '../store/org-units.js';
import type { Store } from '../store/db.js';
import { AppError, notFound } from './errors.js';

export interface RequestContext {
  actor: Actor;
  /** The client's address, for the audit trail. */
  address: string | null;
}

export const ANONYMOUS_CONTEXT: RequestContext = { actor: ANONYMOUS, address: null };
/** The local command line. */
export const SYSTEM_CONTEXT: RequestContext = { actor: { kind: 'system' }, address: 'cli' };

export function requireSignedIn(ctx: RequestContext): void {
  if (ctx.actor.kind === 'anonymous') throw new AppError('UNAUTHENTICATED', 'sign in first');
}

/**
 * Checks that the actor may do `action` on `orgUnit` (a unit code), and returns the unit's path.
 * Anonymous → 401; signed in without the right → 403, or 404 with `hide` where even the existence of
 * the thing is not the asker's business.
 */
export async function authorize(
  store: Store,
  ctx: RequestContext,
  action: Action,
  orgUnit: string,
  options: { hide?: string } = {},
): Promise<string> {
  requireSignedIn(ctx);
  const unit = await getOrgUnit(store.db, orgUnit);
  if (!unit) throw notFound(options.hide ?? `org unit ${orgUnit}`);
  if (!can(ctx.actor, action, unit.path)) {
    if (options.hide) throw notFound(options.hide);
    throw new AppError('FORBIDDEN', `you may not ${action.replace('.', ' ')} for ${unit.name} (${unit.code})`);
  }
  return unit.path;
}

function actorFields(ctx: RequestContext): { userId: number | null; username: string | null } {
  switch (ctx.actor.kind) {
    case 'user':
      return { userId: ctx.actor.userId, username: ctx.actor.username };
    case 'system':
      return { userId: null, username: 'system' };
    case 'anonymous':
      return { userId: null, username: null };
  }
}

export interface AuditEvent {
  action: string;
  targetType: string;
  targetId?: string | number | null;
  before?: unknown;
  after?: unknown;
  outcome?: 'ok' | 'denied' | 'failed';
}

/** Appends to the audit trail; call it inside the transaction that makes the change. */
export async function audit(db: Kysely<Database>, ctx: RequestContext, e: AuditEvent): Promise<void> {
  await appendAudit(db, {
    ...actorFields(ctx),
    address: ctx.address,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId === undefined || e.targetId === null ? null : String(e.targetId),
    before: e.before,
    after: e.after,
    outcome: e.outcome ?? 'ok',
  });
}

/**
 * The demo visitor: on a server filled with demo data, an anonymous browser may READ what a leader of
 * the whole plan reads (values, reports, tasks, problems) and nothing else, so that opening the
 * address shows the overview. It is an actor limited to read actions like an API token (`via: 'token'`
 * with those scopes), so every write use case refuses it; the sign-in page is a click away.
 */
export const DEMO_VISITOR_ACTIONS: readonly Action[] = ['value.read', 'report.read', 'task.read', 'problem.read'];
export const DEMO_VISITOR_USERNAME = 'demo-visitor';

export function demoVisitorActor(root: { code: string; path: string }): Actor {
  return {
    kind: 'user',
    userId: 0,
    username: DEMO_VISITOR_USERNAME,
    grants: [{ role: 'leader', unit: root.code, unitPath: root.path }],
    via: 'token',
    tokenScopes: DEMO_VISITOR_ACTIONS,
  };
}

export function isDemoVisitor(ctx: RequestContext): boolean {
  return ctx.actor.kind === 'user' && ctx.actor.userId === 0 && ctx.actor.username === DEMO_VISITOR_USERNAME;
}
