/**
 * Tracked work: an effort a project's leads follow on evidence. A release priority
 * (model/priorities.ts) is tracked work of one release whose scope is blueprints, topics and
 * queries; an **initiative** is tracked work with milestones across releases, a goal, owners and
 * notes (questions, decisions, feedback). Both match Gerrit changes by one rule
 * (analysis/priorities.ts `priorityQueries`, extended by analysis/initiatives.ts `scopeQueries`).
 * Defined in steward.yaml (`initiatives:`) or in the store (`steward initiative add`, the web form).
 */
import type { Priority } from './priorities.js';
import type { Timestamp } from './records.js';

/** What tracked work covers. A change, commit or spec in any of these is in scope. */
export interface TrackedScope {
  /** Blueprint names (lower case): changes and commits that name one (Implements, Partially-Implements, bp/NAME topic). */
  blueprints: string[];
  /** Spec names (blueprint or file name of a spec of the specs repository); their code is what names them. */
  specs: string[];
  /** Gerrit topics, exact. */
  topics: string[];
  /** Gerrit search queries (analysis/gerrit-query), over changes. */
  queries: string[];
  /** Bug numbers: changes (`bug:N`) and commits (Closes-Bug, Partial-Bug, Related-Bug) naming one. */
  bugs: string[];
  /** Launchpad bug tags: bugs carrying one are in scope when bug data is in the store. */
  bugTags: string[];
  /** Regular expressions (case-insensitive) over commit messages: of commits and of changes' latest patch sets. */
  commitPatterns: string[];
  /** Path prefixes in the tree: changes touching a file under one (`file:^PREFIX.*`). */
  paths: string[];
}

export const SCOPE_KINDS = ['blueprints', 'specs', 'topics', 'queries', 'bugs', 'bugTags', 'commitPatterns', 'paths'] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];

export function emptyScope(): TrackedScope {
  return { blueprints: [], specs: [], topics: [], queries: [], bugs: [], bugTags: [], commitPatterns: [], paths: [] };
}

export function scopeSize(s: TrackedScope): number {
  return SCOPE_KINDS.reduce((n, k) => n + s[k].length, 0);
}

export interface MilestoneDefinition {
  title: string;
  /** The release it is due in (a calendar name), or null. */
  release: string | null;
  /** When it is due; null: its release's release day. One of `release` and `targetDate` is given. */
  targetDate: Timestamp | null;
  /** Its own scope; empty: the initiative's. */
  scope: TrackedScope;
}

export interface InitiativeDefinition {
  /** Short name, unique ignoring case: how commands name it (`steward initiative status cells-v2`). */
  name: string;
  title: string;
  owners: string[];
  goal: string;
  scope: TrackedScope;
  /** In due order; one milestone of a release, with no scope of its own, is a priority. */
  milestones: MilestoneDefinition[];
  /** Weeks without a merged change or landed commit in scope that make a stall; null: the default (6). */
  stallWeeks: number | null;
}

export const NOTE_KINDS = ['question', 'decision', 'feedback'] as const;
export type NoteKind = (typeof NOTE_KINDS)[number];

/** An open question, a decision or feedback (e.g. from operators), dated and attributed. */
export interface InitiativeNote {
  id: number | null;
  kind: NoteKind;
  text: string;
  link: string | null;
  /** When it was raised / taken / given. */
  at: Timestamp;
  /** Who raised it, took it or gave it. */
  by: string | null;
  status: 'open' | 'resolved';
  resolvedAt: Timestamp | null;
  resolvedBy: string | null;
  resolution: string | null;
}

export interface Initiative extends InitiativeDefinition {
  origin: 'config' | 'store';
  id: number | null;
  createdAt: Timestamp | null;
  createdBy: string | null;
  notes: InitiativeNote[];
}

/**
 * A release priority as tracked work: one milestone (its release, due on the release day, no scope
 * of its own), the priority's blueprints, topics and queries as the scope.
 */
export function priorityAsTrackedWork(p: Priority): Initiative {
  return {
    name: p.title,
    title: p.title,
    owners: p.createdBy ? [p.createdBy] : [],
    goal: '',
    scope: { ...emptyScope(), blueprints: [...p.blueprints], topics: [...p.topics], queries: [...p.queries] },
    milestones: [{ title: p.release, release: p.release, targetDate: null, scope: emptyScope() }],
    stallWeeks: null,
    origin: p.origin,
    id: p.id,
    createdAt: p.createdAt,
    createdBy: p.createdBy,
    notes: [],
  };
}

/** A commit of the code history as tracked work reads it (store/queries/initiatives.ts). Times are epoch ms. */
export interface TrackedCommit {
  repo: string;
  sha: string;
  subject: string;
  message: string;
  authorName: string;
  authorEmail: string;
  /** When it landed on the main branch (git_commits.landed_at). */
  landedAt: Timestamp;
  /** Bugs and blueprints it names: kind (closes-bug, partial-bug, related-bug, implements, partially-implements, related, mention) and target. */
  links: Array<{ kind: string; target: string }>;
}
