/** Use cases of user administration: add users, grant and revoke roles, unlock, list. */
import { randomInt } from 'node:crypto';
import { can, passwordProblem, ROLES, type Grant, type Role } from '../domain/access.js';
import type { Store } from '../store/db.js';
import { getOrgUnit } from '../store/org-units.js';
import * as users from '../store/users.js';
import { audit, authorize, requireSignedIn, type RequestContext } from './context.js';
import { hashPassword } from './auth.js';
import { AppError, notFound } from './errors.js';

export interface UserView {
  id: number;
  username: string;
  displayName: string;
  demo: boolean;
  disabled: boolean;
  locked: boolean;
  grants: Grant[];
}

/** A password that satisfies the rules, for new accounts whose password is printed once. */
export function generatePassword(): string {
  const sets = ['abcdefghijkmnpqrstuvwxyz', 'ABCDEFGHJKLMNPQRSTUVWXYZ', '23456789', '-_.!@#'];
  const all = sets.join('');
  const chars = sets.map((s) => s[randomInt(s.length)]!);
  while (chars.length < 16) chars.push(all[randomInt(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

function assertRole(role: string): Role {
  if (!(ROLES as readonly string[]).includes(role))
    throw new AppError('INVALID_INPUT', `role must be one of ${ROLES.join(', ')}`);
  return role as Role;
}

async function view(store: Store, u: users.UserRecord, now = new Date()): Promise<UserView> {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    demo: u.demo,
    disabled: u.disabled,
    locked: !!u.lockedUntil && u.lockedUntil > now,
    grants: await users.grantsOf(store.db, u.id),
  };
}

/** May the actor administer this user? Only if they manage users over every unit the user holds a grant on. */
async function assertManages(store: Store, ctx: RequestContext, user: users.UserRecord, root: string): Promise<void> {
  const grants = await users.grantsOf(store.db, user.id);
  const units = grants.length ? [...new Set(grants.map((g) => g.unit))] : [root];
  for (const unit of units) await authorize(store, ctx, 'user.manage', unit, { hide: `user ${user.username}` });
}

export interface NewUser {
  username: string;
  displayName?: string;
  /** Omitted: a password is generated and returned once. */
  password?: string;
  grants: { role: string; unit: string }[];
  demo?: boolean;
}

export async function addUser(
  store: Store,
  ctx: RequestContext,
  input: NewUser,
): Promise<{ user: UserView; password: string }> {
  requireSignedIn(ctx);
  if (!/^[A-Za-z0-9_.@-]{2,64}$/.test(input.username))
    throw new AppError('INVALID_INPUT', 'a user name is 2–64 letters, digits or _ . @ -');
  for (const g of input.grants) {
    assertRole(g.role);
    await authorize(store, ctx, 'user.manage', g.unit);
  }
  if (input.grants.length === 0 && ctx.actor.kind !== 'system')
    throw new AppError('INVALID_INPUT', 'give the new user at least one role on an org unit');
  if (await users.findUserByName(store.db, input.username))
    throw new AppError('CONFLICT', `user ${input.username} exists already`);
  const password = input.password ?? generatePassword();
  const problem = passwordProblem(password, input.username);
  if (problem) throw new AppError('INVALID_INPUT', problem);
  const passwordHash = await hashPassword(password);
  const user = await store.db.transaction().execute(async (trx) => {
    const u = await users.insertUser(trx, {
      username: input.username,
      displayName: input.displayName ?? input.username,
      passwordHash,
      ...(input.demo !== undefined && { demo: input.demo }),
    });
    for (const g of input.grants) await users.addGrant(trx, u.id, g.role as Role, g.unit);
    await audit(trx, ctx, {
      action: 'user.add',
      targetType: 'user',
      targetId: u.id,
      after: { username: u.username, displayName: u.displayName, demo: u.demo, grants: input.grants },
    });
    return u;
  });
  return { user: await view(store, user), password };
}

async function findUser(store: Store, id: number): Promise<users.UserRecord> {
  const user = await users.findUserById(store.db, id);
  if (!user) throw notFound(`user ${id}`);
  return user;
}

/** Gives (or takes back) a role on a unit: only where the actor manages users. Audited when it changed anything. */
async function changeGrant(
  store: Store,
  ctx: RequestContext,
  change: 'grant' | 'revoke',
  userId: number,
  role: string,
  unit: string,
): Promise<UserView> {
  await authorize(store, ctx, 'user.manage', unit);
  const user = await findUser(store, userId);
  const r = assertRole(role);
  await store.db.transaction().execute(async (trx) => {
    const changed =
      change === 'grant' ? await users.addGrant(trx, user.id, r, unit) : await users.removeGrant(trx, user.id, r, unit);
    if (changed)
      await audit(trx, ctx, {
        action: `user.${change}`,
        targetType: 'user',
        targetId: user.id,
        ...(change === 'grant' ? { after: { role, unit } } : { before: { role, unit } }),
      });
  });
  return view(store, user);
}

export const grantRole = (store: Store, ctx: RequestContext, userId: number, role: string, unit: string) =>
  changeGrant(store, ctx, 'grant', userId, role, unit);

export const revokeRole = (store: Store, ctx: RequestContext, userId: number, role: string, unit: string) =>
  changeGrant(store, ctx, 'revoke', userId, role, unit);

/** Lifts a lock-out and resets the failure count. */
export async function unlockUser(store: Store, ctx: RequestContext, userId: number, root: string): Promise<UserView> {
  const user = await findUser(store, userId);
  await assertManages(store, ctx, user, root);
  await store.db.transaction().execute(async (trx) => {
    await users.updateUser(trx, user.id, { failedLogins: 0, lockedUntil: null });
    await audit(trx, ctx, {
      action: 'user.unlock',
      targetType: 'user',
      targetId: user.id,
      before: { lockedUntil: user.lockedUntil },
    });
  });
  return view(store, (await users.findUserById(store.db, user.id))!);
}

/** Disables or enables an account; disabling ends its sessions. */
export async function setDisabled(
  store: Store,
  ctx: RequestContext,
  userId: number,
  disabled: boolean,
  root: string,
): Promise<UserView> {
  const user = await findUser(store, userId);
  await assertManages(store, ctx, user, root);
  await store.db.transaction().execute(async (trx) => {
    await users.updateUser(trx, user.id, { disabled });
    if (disabled) await users.deleteSessionsOf(trx, user.id);
    await audit(trx, ctx, { action: disabled ? 'user.disable' : 'user.enable', targetType: 'user', targetId: user.id });
  });
  return view(store, (await users.findUserById(store.db, user.id))!);
}

/** Users the actor may administer: those all of whose grants lie within the actor's user.manage scope. */
export async function listUsers(store: Store, ctx: RequestContext, root: string): Promise<UserView[]> {
  requireSignedIn(ctx);
  const rootUnit = await getOrgUnit(store.db, root);
  const out: UserView[] = [];
  for (const u of await users.listUsers(store.db)) {
    const v = await view(store, u);
    const paths = v.grants.length ? v.grants.map((g) => g.unitPath) : [rootUnit?.path ?? '/'];
    if (paths.every((p) => can(ctx.actor, 'user.manage', p))) out.push(v);
  }
  return out;
}

export async function me(store: Store, ctx: RequestContext): Promise<UserView> {
  requireSignedIn(ctx);
  if (ctx.actor.kind !== 'user') throw new AppError('FORBIDDEN', 'only a user has a profile');
  return view(store, await findUser(store, ctx.actor.userId));
}
