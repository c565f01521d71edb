/**
 * Who may do what: roles, actions and the one decision function every route asks.
 *
 * Roles are data, not code paths: each role lists the actions it grants. A later role (the
 * security team of an embargoed tracker, say) is a new entry here; a later rule that depends on the
 * resource itself (an embargoed item readable only by its reporters and the security team) goes into
 * `authorize`, which already receives the resource. Routes never test role names themselves.
 */
import type { GrantKind, SecurityRelation } from '../model/security.js';

/** The security tracker's actions (SECURITY_RULES below says who has each). */
export const SECURITY_ACTIONS = [
  'security.report',
  'security.item.read',
  'security.item.change',
  'security.item.patch',
  'security.team.read',
  'security.team.manage',
  'security.item.export',
  'security.intake',
] as const;

/** Everything a user can be allowed to do. */
export const ACTIONS = [
  'read',
  'mentoring.change',
  'priorities.change',
  'users.manage',
  'audit.read',
  'electorate.read',
  'bugs.private.read',
  ...SECURITY_ACTIONS,
] as const;
export type Action = (typeof ACTIONS)[number];

// The embargoed security tracker (docs/security.md, "Roles and grants"). Its actions are decided by
// what the reader is to the resource — on the security team, granted the item — not by the role
// alone; an admin is no exception. The rules are data: per action, the roles that have it
// regardless of the resource, whether the team has it, and which grants give it.
export type SecurityAction = (typeof SECURITY_ACTIONS)[number];

export const SECURITY_RULES: Record<SecurityAction, { roles: readonly string[]; team: boolean; grants: readonly GrantKind[] }> = {
  /** Anyone signed in may report a vulnerability (and becomes its reporter grantee). */
  'security.report': { roles: ['viewer', 'lead', 'admin'], team: false, grants: [] },
  /** Reading an item: the team and every live grantee. */
  'security.item.read': { roles: [], team: true, grants: ['reporter', 'fix-author', 'downstream'] },
  /** Moving it through the process, granting, revoking, assigning, reviewing patches: the team. */
  'security.item.change': { roles: [], team: true, grants: [] },
  /** Attaching a private patch: the team and the fix author. */
  'security.item.patch': { roles: [], team: true, grants: ['fix-author'] },
  /** The roster, the tracker's audit log: the team. */
  'security.team.read': { roles: [], team: true, grants: [] },
  /** Adding and removing team members (oneself included: audited and shown to the team): admins. */
  'security.team.manage': { roles: ['admin'], team: false, grants: [] },
  /** Writing a disclosed item out as an advisory: the team (the VMT publishes it). */
  'security.item.export': { roles: [], team: true, grants: [] },
  /** Taking Launchpad's private security bugs into the tracker: the team. */
  'security.intake': { roles: [], team: true, grants: [] },
};

const isSecurityAction = (a: string): a is SecurityAction => Object.hasOwn(SECURITY_RULES, a);

/** Roles and what each grants. Ordered from least to most. */
export const ROLES = {
  /** Reads every report. */
  viewer: ['read'],
  /** A project lead: also changes the data people curate (mentoring, priorities). */
  lead: ['read', 'mentoring.change', 'priorities.change', 'electorate.read', 'bugs.private.read'],
  /** Manages users, reads the audit log; can do whatever a lead can. */
  admin: ['read', 'mentoring.change', 'priorities.change', 'users.manage', 'audit.read', 'electorate.read', 'bugs.private.read'],
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
  kind: 'report' | 'mentoring' | 'priorities' | 'users' | 'audit' | 'security-item' | 'security-team' | 'bugs';
  /** A specific item (a mentorship id, a user name), when the action is about one. */
  id?: string;
  /** For the security tracker: what the reader is to it (on the team; its live grant on the item). */
  relation?: SecurityRelation;
}

export type Decision = { allowed: true } | { allowed: false; reason: string };

/**
 * Decides whether `user` (null: nobody signed in) may do `action` to `resource`.
 * Pure: the caller turns a refusal into 401 (nobody signed in) or 403 (signed in, not allowed).
 *
 * @example authorize({ id: 1, name: 'ann', role: 'viewer' }, 'mentoring.change', { kind: 'mentoring' })
 *   // → { allowed: false, reason: 'changing mentoring needs the lead or admin role; ann has the viewer role' }
 */
export function authorize(user: AuthUser | null, action: Action, resource: Resource): Decision {
  if (!user) return { allowed: false, reason: 'sign in first' };
  if (isSecurityAction(action)) {
    const rule = SECURITY_RULES[action];
    const r = resource.relation;
    if (!isRole(user.role)) return { allowed: false, reason: `${user.name} has no known role` };
    if (rule.roles.includes(user.role) || (rule.team && r?.team) || (r?.grant && rule.grants.includes(r.grant))) return { allowed: true };
    // Never names the item: the refusal must read the same whether it exists or not.
    return {
      allowed: false,
      reason: `${ACTION_TEXT[action]} is for ${rule.roles.length ? `the ${rule.roles.join(' or ')} role` : 'the security team'}`,
    };
  }
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
  'security.report': 'reporting a vulnerability',
  'security.item.read': 'reading security items',
  'security.item.change': 'changing security items',
  'security.item.patch': 'attaching private patches',
  'security.team.read': 'reading the security roster and its audit log',
  'security.team.manage': 'managing the security team',
  'security.item.export': 'exporting security items as advisories',
  'security.intake': 'taking private security bugs into the tracker',
  'electorate.read': 'reading the electorate (it lists e-mail addresses)',
  'bugs.private.read': 'seeing private and security bugs by name',
};
