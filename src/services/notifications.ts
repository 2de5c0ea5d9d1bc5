/**
 * The in-app inbox (assigned to you, due soon, overdue, returned, escalated, to verify, alerts) and,
 * when SMTP is configured, the same by e-mail through nodemailer. Without SMTP, or with a mail
 * server that fails, nothing else fails: the inbox is the record, an e-mail is a courtesy and its
 * error is kept on the notification.
 *
 * SMTP: GONGFU_SMTP_URL (smtp://user:pass@host:587 or smtps://…) and GONGFU_SMTP_FROM; a user's
 * address is set with PUT /api/v1/inbox/email.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { Store } from '../store/db.js';
import * as repo from '../store/problems.js';
import type { NotificationKind } from '../store/problems.js';
import { audit, requireSignedIn, type RequestContext } from './context.js';
import { AppError, notFound } from './errors.js';

let transport: Transporter | null | undefined;
let mailFrom = 'gongfu@localhost';
/** Why GONGFU_SMTP_URL gave no transport (e.g. not a URL); kept on each notification it could not send. */
let transportError: string | null = null;

/**
 * The mail transport: set in tests (a stream transport), else from the environment, else none.
 * `undefined` forgets the one set and reads the environment again on the next delivery.
 */
export function setMailTransport(t: Transporter | null | undefined, from = 'gongfu@localhost'): void {
  transport = t;
  mailFrom = from;
  transportError = null;
}

function mailer(): Transporter | null {
  if (transport === undefined) {
    const url = process.env.GONGFU_SMTP_URL;
    mailFrom = process.env.GONGFU_SMTP_FROM || mailFrom;
    try {
      transport = url ? nodemailer.createTransport(url) : null;
    } catch (error) {
      // a malformed URL must not fail the change that sent the notice (it is already committed)
      transport = null;
      transportError = `GONGFU_SMTP_URL: ${errorText(error)}`;
    }
  }
  return transport;
}

/** A transport may reject with anything, not only an Error. */
function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}

export interface Notice {
  kind: NotificationKind;
  problemId?: number | null;
  itemId?: number | null;
  zh: string;
  en: string;
  /** The same key for the same user arrives once (e.g. `overdue:12`, `escalated:12:2`). */
  dedupe: string;
}

/** Writes a notice to the inbox of each user holding one of `roles` on `unit`; call inside the change's transaction. */
export async function notifyUnit(
  db: Kysely<Database>,
  unit: string,
  roles: readonly string[],
  n: Notice,
): Promise<number[]> {
  const users = await repo.usersWithRoleOn(db, unit, roles);
  return notifyUsers(db, users, n);
}

export async function notifyUsers(db: Kysely<Database>, users: readonly number[], n: Notice): Promise<number[]> {
  return repo.insertNotifications(
    db,
    users.map((userId) => ({
      userId,
      kind: n.kind,
      problemId: n.problemId ?? null,
      itemId: n.itemId ?? null,
      messageZh: n.zh,
      messageEn: n.en,
      dedupe: n.dedupe,
    })),
  );
}

/** Sends new notifications by e-mail where SMTP is configured and the user left an address; after the commit. */
export async function deliverEmails(store: Store, ids: readonly number[]): Promise<{ sent: number; failed: number }> {
  const t = mailer();
  if (ids.length === 0) return { sent: 0, failed: 0 };
  if (!t) {
    if (transportError === null) return { sent: 0, failed: 0 };
    const pending = await repo.pendingEmails(store.db, [...ids]);
    for (const n of pending) await repo.recordEmail(store.db, n.id, transportError);
    return { sent: 0, failed: pending.length };
  }
  let sent = 0;
  let failed = 0;
  for (const n of await repo.pendingEmails(store.db, [...ids])) {
    try {
      await t.sendMail({
        from: mailFrom,
        to: n.email,
        subject: `[共富 Gongfu] ${[...n.message_zh].slice(0, 60).join('')}`,
        text: `${n.message_zh}\n\n${n.message_en}\n`,
      });
      await repo.recordEmail(store.db, n.id, null);
      sent++;
    } catch (error) {
      await repo.recordEmail(store.db, n.id, errorText(error));
      failed++;
    }
  }
  return { sent, failed };
}

export interface NotificationView {
  id: number;
  kind: NotificationKind;
  problemId: number | null;
  itemId: number | null;
  message: { zh: string; en: string };
  createdAt: string;
  readAt: string | null;
  emailedAt: string | null;
}

function me(ctx: RequestContext): number {
  requireSignedIn(ctx);
  if (ctx.actor.kind !== 'user') throw new AppError('INVALID_INPUT', 'the inbox belongs to a signed-in user');
  return ctx.actor.userId;
}

/** The caller's own inbox, newest first. */
export async function inbox(
  store: Store,
  ctx: RequestContext,
  options: { unread?: boolean } = {},
): Promise<NotificationView[]> {
  const rows = await repo.notificationsOf(store.db, me(ctx), !!options.unread);
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    problemId: r.problem_id,
    itemId: r.item_id,
    message: { zh: r.message_zh, en: r.message_en },
    createdAt: r.created_at.toISOString(),
    readAt: r.read_at?.toISOString() ?? null,
    emailedAt: r.emailed_at?.toISOString() ?? null,
  }));
}

export async function markNotificationRead(store: Store, ctx: RequestContext, id: number): Promise<void> {
  const userId = me(ctx);
  await store.db.transaction().execute(async (trx) => {
    if (!(await repo.markRead(trx, userId, id))) throw notFound(`notification ${id}`);
    await audit(trx, ctx, { action: 'inbox.read', targetType: 'notification', targetId: id });
  });
}

/** Where the caller's notifications are e-mailed (null: nowhere). */
export async function setMyEmail(store: Store, ctx: RequestContext, email: string | null): Promise<void> {
  const userId = me(ctx);
  if (email !== null && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
    throw new AppError('INVALID_INPUT', `email: "${email}" is not an e-mail address`);
  await store.db.transaction().execute(async (trx) => {
    await repo.setContact(trx, userId, email);
    await audit(trx, ctx, { action: 'inbox.email', targetType: 'user', targetId: userId, after: { email } });
  });
}
