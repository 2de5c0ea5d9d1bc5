/** Reading the audit trail: the whole of it, for those who may read the audit over the plan root. */
import type { Store } from '../store/db.js';
import { searchAudit as search, type AuditRecord } from '../store/audit.js';
import { authorize, type RequestContext } from './context.js';
import { AppError } from './errors.js';

export interface AuditQuery {
  user?: number | undefined;
  action?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit?: number | undefined;
  beforeId?: number | undefined;
}

function date(name: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new AppError('INVALID_INPUT', `${name} is not a date-time: ${value}`);
  return d;
}

/** The whole trail is for those who may read the audit over the plan's root unit. */
export async function searchAudit(
  store: Store,
  ctx: RequestContext,
  root: string,
  q: AuditQuery,
): Promise<AuditRecord[]> {
  await authorize(store, ctx, 'audit.read', root);
  const from = date('from', q.from);
  const to = date('to', q.to);
  return search(store.db, {
    ...(q.user !== undefined && { userId: q.user }),
    ...(q.action !== undefined && { action: q.action }),
    ...(q.targetType !== undefined && { targetType: q.targetType }),
    ...(q.targetId !== undefined && { targetId: q.targetId }),
    ...(from && { from }),
    ...(to && { to }),
    ...(q.limit !== undefined && { limit: q.limit }),
    ...(q.beforeId !== undefined && { beforeId: q.beforeId }),
  });
}
