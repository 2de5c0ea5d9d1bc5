/**
 * Who may do what, where. One table (`PERMISSIONS`) says what each role may do; a grant gives a role
 * on an org-unit subtree (a region and everything under it) or on a department. Every use case in
 * services/ asks `can()` — routes never decide on their own.
 */
export const ROLES = ['admin', 'analyst', 'leader', 'reporter', 'approver', 'supervisor', 'unit_member'] as const;
export type Role = (typeof ROLES)[number];

export const ACTIONS = [
  'plan.edit',
  'orgunit.edit',
  /** Values not yet published (drafts, submitted, approved-but-unpublished). Published ones are public. */
  'value.read',
  'value.write',
  'value.submit',
  'value.approve',
  'value.unlock',
  'value.publish',
  /** Household survey records (the statistics bureau's sample). */
  'microdata.import',
  'evaluation.run',
  'report.read',
  'task.read',
  'task.edit',
  'task.report',
  'problem.read',
  'problem.raise',
  'problem.assign',
  'problem.rectify',
  'problem.verify',
  /** Appraisal (考核): record bonus and deduction events, import satisfaction surveys, score a period. */
  'appraisal.edit',
  /** Appraisal: approve or reject recorded events, freeze and publish a scored period. */
  'appraisal.approve',
  /**
   * Target adjustment (动态调整): approve or reject a proposed change of a plan target, lift one in force.
   * Analysts propose (plan.edit); a leader of the plan decides: a target is a commitment of the
   * government, so changing it is a leadership decision, taken by someone other than the proposer.
   */
  'target.approve',
  'user.manage',
  'audit.read',
] as const;
export type Action = (typeof ACTIONS)[number];

const READ: Action[] = ['value.read', 'report.read', 'task.read', 'problem.read'];

export const PERMISSIONS: Record<Role, readonly Action[]> = {
  admin: ACTIONS,
  analyst: [
    ...READ,
    'plan.edit',
    'value.publish',
    'microdata.import',
    'evaluation.run',
    'task.edit',
    'problem.raise',
    'appraisal.edit',
  ],
  leader: [...READ, 'appraisal.approve', 'target.approve'],
  reporter: [...READ, 'value.write', 'value.submit'],
  approver: [...READ, 'value.approve', 'value.unlock'],
  supervisor: [...READ, 'problem.raise', 'problem.assign', 'problem.verify'],
  unit_member: ['task.read', 'problem.read', 'task.report', 'problem.rectify'],
};

export interface Grant {
  role: Role;
  /** The org unit (region or department) at the top of the granted subtree. */
  unit: string;
  /** That unit's materialised path, '/330000/330700/330782/'. */
  unitPath: string;
}

export type Actor =
  | { kind: 'anonymous' }
  /** The local command line (`gongfu user add …`): whoever holds the server's shell holds its data. */
  | { kind: 'system' }
  | {
      kind: 'user';
      userId: number;
      username: string;
      grants: readonly Grant[];
      /** Signed in with a browser session, or calling with an API token limited to some actions. */
      via: 'session' | 'token';
      tokenScopes?: readonly Action[];
    };

export const ANONYMOUS: Actor = { kind: 'anonymous' };

export function roleAllows(role: Role, action: Action): boolean {
  return PERMISSIONS[role].includes(action);
}

/**
 * May `actor` do `action` on the unit at `targetPath` (its materialised path)? Anyone may read the plan,
 * the org units and published figures; those reads are not actions and need no check.
 */
export function can(actor: Actor, action: Action, targetPath: string): boolean {
  if (actor.kind === 'anonymous') return false;
  if (actor.kind === 'system') return true;
  if (actor.via === 'token' && !actor.tokenScopes?.includes(action)) return false;
  return actor.grants.some((g) => roleAllows(g.role, action) && targetPath.startsWith(g.unitPath));
}

/** Units at the top of the subtrees where `actor` may do `action` (for filtering lists by scope). */
export function scopesOf(actor: Actor, action: Action): string[] {
  if (actor.kind === 'anonymous') return [];
  if (actor.kind === 'system') return ['/'];
  if (actor.via === 'token' && !actor.tokenScopes?.includes(action)) return [];
  return actor.grants.filter((g) => roleAllows(g.role, action)).map((g) => g.unitPath);
}

/** Password rules: long enough, not trivially guessable. Returns the reason it is refused, or undefined. */
export function passwordProblem(password: string, username: string): string | undefined {
  if (password.length < 10) return 'a password has at least 10 characters';
  if (password.length > 200) return 'a password has at most 200 characters';
  if (password.toLowerCase().includes(username.toLowerCase())) return 'a password must not contain the user name';
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if (kinds < 3) return 'a password mixes at least three of: lower-case, upper-case, digits, other characters';
  return undefined;
}
