/**
 * Who may do what: roles, actions and the one decision function every route asks.
 *
 * Roles are data, not code paths: each role lists the actions it grants. A later role (the
 * security team of an embargoed tracker, say) is a new entry here; a later rule that depends on the
 * resource itself (an embargoed item readable only by its reporters and the security team) goes into
 * `authorize`, which already receives the resource. Routes never test role names themselves.
 */

/** Everything a user can be allowed to do. */
export const ACTIONS = ['read', 'mentoring.change', 'priorities.change', 'users.manage', 'audit.read', 'bugs.private.read'] as const;
export type Action = (typeof ACTIONS)[number];

/** Roles and what each grants. Ordered from least to most. */
export const ROLES = {
  /** Reads every report. */
  viewer: ['read'],
  /** A project lead: also changes the data people curate (mentoring, priorities). */
  lead: ['read', 'mentoring.change', 'priorities.change', 'bugs.private.read'],
  /** Manages users, reads the audit log; can do whatever a lead can. */
  admin: ['read', 'mentoring.change', 'priorities.change', 'users.manage', 'audit.read', 'bugs.private.read'],
} as const satisfies Record<string, readonly Action[]>;

export type Role = keyof typeof ROLES;
export const ROLE_NAMES = Object.keys(ROLES) as Role[];

export function isRole(s: string): s is Role {
  return Object.hasOwn(ROLES, s);
}

/** The signed-in user as the web sees it (never the password hash). */
export interface AuthUser {
  id: number;
  name: string;
  role: string;
}

/** What an action is done to. `kind` names the resource; later resources add their own fields. */
export interface Resource {
  kind: 'report' | 'mentoring' | 'priorities' | 'users' | 'audit' | 'bugs';
  /** A specific item (a mentorship id, a user name), when the action is about one. */
  id?: string;
}

export type Decision = { allowed: true } | { allowed: false; reason: string };

/**
 * Decides whether `user` (null: nobody signed in) may do `action` to `resource`.
 * Pure: the caller turns a refusal into 401 (nobody signed in) or 403 (signed in, not allowed).
 *
 * @example authorize({ id: 1, name: 'ann', role: 'viewer' }, 'mentoring.change', { kind: 'mentoring' })
 *   // → { allowed: false, reason: 'changing mentoring needs the lead or admin role; ann has the viewer role' }
 */
export function authorize(user: AuthUser | null, action: Action, _resource: Resource): Decision {
  if (!user) return { allowed: false, reason: 'sign in first' };
  const grants: readonly string[] = isRole(user.role) ? ROLES[user.role] : [];
  if (grants.includes(action)) return { allowed: true };
  const who = ROLE_NAMES.filter((r) => (ROLES[r] as readonly string[]).includes(action));
  return { allowed: false, reason: `${ACTION_TEXT[action]} needs the ${who.join(' or ')} role; ${user.name} has the ${user.role} role` };
}

const ACTION_TEXT: Record<Action, string> = {
  read: 'reading reports',
  'mentoring.change': 'changing mentoring',
  'priorities.change': 'changing priorities',
  'users.manage': 'managing users',
  'audit.read': 'reading the audit log',
  'bugs.private.read': 'seeing private and security bugs by name',
};
