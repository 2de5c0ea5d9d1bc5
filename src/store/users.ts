/** Repository of users, their grants, browser sessions and API tokens. */
import type { Kysely } from 'kysely';
import type { Grant, Role } from '../domain/access.js';
import type { Database } from './schema.js';

type Db = Kysely<Database>;

export interface UserRecord {
  id: number;
  username: string;
  displayName: string;
  passwordHash: string;
  demo: boolean;
  disabled: boolean;
  failedLogins: number;
  lockedUntil: Date | null;
  createdAt: Date;
}

const userColumns = [
  'id',
  'username',
  'display_name',
  'password_hash',
  'demo',
  'disabled',
  'failed_logins',
  'locked_until',
  'created_at',
] as const;

function toUser(r: {
  id: number;
  username: string;
  display_name: string;
  password_hash: string;
  demo: boolean;
  disabled: boolean;
  failed_logins: number;
  locked_until: Date | null;
  created_at: Date;
}): UserRecord {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    passwordHash: r.password_hash,
    demo: r.demo,
    disabled: r.disabled,
    failedLogins: r.failed_logins,
    lockedUntil: r.locked_until,
    createdAt: r.created_at,
  };
}

export async function insertUser(
  db: Db,
  user: { username: string; displayName: string; passwordHash: string; demo?: boolean },
): Promise<UserRecord> {
  const row = await db
    .insertInto('app_user')
    .values({
      username: user.username,
      display_name: user.displayName,
      password_hash: user.passwordHash,
      demo: user.demo ?? false,
    })
    .returning(userColumns)
    .executeTakeFirstOrThrow();
  return toUser(row);
}

export async function findUserByName(db: Db, username: string): Promise<UserRecord | undefined> {
  // PostgreSQL text cannot hold NUL: no user has such a name (and the query would fail).
  if (username.includes('\u0000')) return undefined;
  const row = await db.selectFrom('app_user').select(userColumns).where('username', '=', username).executeTakeFirst();
  return row && toUser(row);
}

export async function findUserById(db: Db, id: number): Promise<UserRecord | undefined> {
  const row = await db.selectFrom('app_user').select(userColumns).where('id', '=', id).executeTakeFirst();
  return row && toUser(row);
}

export async function listUsers(db: Db): Promise<UserRecord[]> {
  return (await db.selectFrom('app_user').select(userColumns).orderBy('username').execute()).map(toUser);
}

export async function updateUser(
  db: Db,
  id: number,
  changes: Partial<{
    passwordHash: string;
    disabled: boolean;
    failedLogins: number;
    lockedUntil: Date | null;
    displayName: string;
  }>,
): Promise<void> {
  await db
    .updateTable('app_user')
    .set({
      ...(changes.passwordHash !== undefined && {
        password_hash: changes.passwordHash,
        password_changed_at: new Date(),
      }),
      ...(changes.disabled !== undefined && { disabled: changes.disabled }),
      ...(changes.failedLogins !== undefined && { failed_logins: changes.failedLogins }),
      ...(changes.lockedUntil !== undefined && { locked_until: changes.lockedUntil }),
      ...(changes.displayName !== undefined && { display_name: changes.displayName }),
    })
    .where('id', '=', id)
    .execute();
}

/** Counts one failed sign-in and returns the new count (atomic, so parallel attempts all count). */
export async function countFailedLogin(db: Db, id: number): Promise<number> {
  const row = await db
    .updateTable('app_user')
    .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
    .where('id', '=', id)
    .returning('failed_logins')
    .executeTakeFirstOrThrow();
  return row.failed_logins;
}

export async function grantsOf(db: Db, userId: number): Promise<Grant[]> {
  const rows = await db
    .selectFrom('user_grant as g')
    .innerJoin('org_unit as u', 'u.code', 'g.org_unit')
    .select(['g.role', 'g.org_unit', 'u.path'])
    .where('g.user_id', '=', userId)
    .orderBy('g.org_unit')
    .orderBy('g.role')
    .execute();
  return rows.map((r) => ({ role: r.role as Role, unit: r.org_unit, unitPath: r.path }));
}

export async function addGrant(db: Db, userId: number, role: Role, orgUnit: string): Promise<boolean> {
  const r = await db
    .insertInto('user_grant')
    .values({ user_id: userId, role, org_unit: orgUnit })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function removeGrant(db: Db, userId: number, role: Role, orgUnit: string): Promise<boolean> {
  const r = await db
    .deleteFrom('user_grant')
    .where('user_id', '=', userId)
    .where('role', '=', role)
    .where('org_unit', '=', orgUnit)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

// Sessions

export interface SessionRecord {
  userId: number;
  csrfToken: string;
  expiresAt: Date;
  lastSeenAt: Date;
}

export async function insertSession(
  db: Db,
  s: { tokenHash: string; userId: number; csrfToken: string; expiresAt: Date; address: string | null },
): Promise<void> {
  await db
    .insertInto('user_session')
    .values({
      token_hash: s.tokenHash,
      user_id: s.userId,
      csrf_token: s.csrfToken,
      expires_at: s.expiresAt,
      address: s.address,
    })
    .execute();
}

export async function findSession(db: Db, tokenHash: string): Promise<SessionRecord | undefined> {
  const row = await db
    .selectFrom('user_session')
    .select(['user_id', 'csrf_token', 'expires_at', 'last_seen_at'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  return (
    row && { userId: row.user_id, csrfToken: row.csrf_token, expiresAt: row.expires_at, lastSeenAt: row.last_seen_at }
  );
}

export async function touchSession(db: Db, tokenHash: string, expiresAt: Date): Promise<void> {
  await db
    .updateTable('user_session')
    .set({ last_seen_at: new Date(), expires_at: expiresAt })
    .where('token_hash', '=', tokenHash)
    .execute();
}

export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await db.deleteFrom('user_session').where('token_hash', '=', tokenHash).execute();
}

/** Signs the user out everywhere; returns how many sessions ended. */
export async function deleteSessionsOf(db: Db, userId: number): Promise<number> {
  const r = await db.deleteFrom('user_session').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

// API tokens

export interface ApiTokenRecord {
  id: number;
  userId: number;
  name: string;
  scopes: string[];
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

const tokenColumns = [
  'id',
  'user_id',
  'name',
  'scopes',
  'created_at',
  'expires_at',
  'revoked_at',
  'last_used_at',
] as const;

function toToken(r: {
  id: number;
  user_id: number;
  name: string;
  scopes: string[];
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
}): ApiTokenRecord {
  return {
    id: r.id,
    userId: r.user_id,
    name: r.name,
    scopes: r.scopes,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    lastUsedAt: r.last_used_at,
  };
}

export async function insertToken(
  db: Db,
  t: { userId: number; name: string; tokenHash: string; scopes: string[]; expiresAt: Date },
): Promise<ApiTokenRecord> {
  const row = await db
    .insertInto('api_token')
    .values({ user_id: t.userId, name: t.name, token_hash: t.tokenHash, scopes: t.scopes, expires_at: t.expiresAt })
    .returning(tokenColumns)
    .executeTakeFirstOrThrow();
  return toToken(row);
}

export async function findTokenByHash(db: Db, tokenHash: string): Promise<ApiTokenRecord | undefined> {
  const row = await db
    .selectFrom('api_token')
    .select(tokenColumns)
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  return row && toToken(row);
}

export async function listTokens(db: Db, userId: number): Promise<ApiTokenRecord[]> {
  return (
    await db.selectFrom('api_token').select(tokenColumns).where('user_id', '=', userId).orderBy('id').execute()
  ).map(toToken);
}

export async function findTokenById(db: Db, id: number): Promise<ApiTokenRecord | undefined> {
  const row = await db.selectFrom('api_token').select(tokenColumns).where('id', '=', id).executeTakeFirst();
  return row && toToken(row);
}

export async function revokeToken(db: Db, id: number): Promise<void> {
  await db
    .updateTable('api_token')
    .set({ revoked_at: new Date() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function markTokenUsed(db: Db, id: number): Promise<void> {
  await db.updateTable('api_token').set({ last_used_at: new Date() }).where('id', '=', id).execute();
}
