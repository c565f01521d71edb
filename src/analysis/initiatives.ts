/**
 * Initiatives (`steward initiative status|brief`): tracked work across releases, measured on
 * evidence as of `asOf`. A release priority is the one-milestone case (model/initiatives.ts
 * `priorityAsTrackedWork`): the same matching rule (`scopeQueries` extends analysis/priorities.ts
 * `priorityQueries`) and the same review-wait comparison (`compare`, analysis/priorities.ts).
 *
 * Definitions (docs/initiatives.md has them in full):
 * - In scope: a Gerrit change any scope query matches (blueprints and the specs' blueprints as
 *   `blueprint:`, topics, queries, bugs as `bug:N`, paths as `file:^PREFIX.*`) or whose commit
 *   message a commit pattern matches; a commit naming a scope blueprint (not Related-Blueprint) or
 *   bug, or whose message a pattern matches; a spec of the specs repository named by `specs`.
 * - Milestones, in due order: due on the target date, else on their release's release day; a
 *   milestone's window starts at its release's start (first of its release) or the previous due.
 *   A milestone with its own scope owns everything its scope matches; one without shares the
 *   initiative's and owns the specs of its release and the changes and commits of its window.
 * - Met: every spec of the milestone implemented and none of its changes open, with something
 *   done; `metAt` the last of those completions; late when after the due time.
 * - Stall: `stallWeeks` or more without a merged change or landed commit in scope, from the start
 *   of the first milestone (or the first evidence) to `asOf` (or to the moment the last milestone was met).
 * - Bugs: the scope's bug numbers and, with Launchpad data in the store, the public bugs carrying one
 *   of its tags; the changes and commits naming those bugs are in scope (their stored links, one
 *   rule: sources/links). Fixed when Launchpad says so or a merged change or landed commit closes it.
 * - Review wait: the priorities' comparison over the period's cohort; beyond
 *   {@link REVIEW_WAIT_SAMPLE} changes, against a seeded sample of the rest (see {@link sampleFraction}).
 */
import type { Bug, BugTask } from '../model/bugs.js';
import type { FlowChange } from '../model/flow.js';
import { changeUrl } from '../model/flow.js';
import {
  scopeSize,
  SCOPE_KINDS,
  type Initiative,
  type InitiativeNote,
  type TrackedCommit,
  type TrackedScope,
} from '../model/initiatives.js';
import type { Timestamp } from '../model/records.js';
import type { SpecRecord } from '../model/specs.js';
import type { EventTime, FollowedTime } from './flow-inference.js';
import { kmMedianPoint, percentileMonteCarlo, timeToEvent } from './flow-inference.js';
import { compileQuery, QueryView, type QueryEnv } from './gerrit-query/evaluate.js';
import { compareDrawn, priorityQueries, type PriorityComparison } from './priorities.js';
import { bugItems, fixedAt as taskFixedAt } from './bugs-common.js';
import { finalVotes, replayFlow, situationAt, type FlowContext, type FlowState } from './queue-state.js';
import { round as roundOrNull } from './stats.js';

const round = (x: number, digits = 2): number => roundOrNull(x, digits)!;
import type { ChangeWaits, ReleaseCycle } from './waits.js';

/** A change's wait split as `steward waits` computes it (the fields the status reads). */
export type WaitSplit = Pick<ChangeWaits, 'project' | 'number' | 'outcome' | 'reviewersDays' | 'authorDays' | 'ciDays' | 'wipDays'>;

const DAY = 86_400_000;
const WEEK = 7 * DAY;
export const DEFAULT_STALL_WEEKS = 6;

const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());

/**
 * Beyond this many changes in the period's cohort, the rest of the project is compared through a
 * seeded sample of about this many (each change in with the same chance, {@link inSample}): a
 * random sample of the comparison group keeps the interval honest (wider, never narrower than the
 * data allow) and makes the status cost what its scope costs, not what the whole project does.
 */
export const REVIEW_WAIT_SAMPLE = 1000;

/**
 * Re-draws of the review-wait comparison: 400 (the priorities' report draws 1,000), with the
 * Monte Carlo error of the interval's ends given beside it (`vsRest.monteCarlo`): on a large scope
 * the re-draws are most of the status's cost, and 400 place each end to within the range shown.
 */
export const REVIEW_WAIT_REPLICATES = 400;

/** The share of the cohort's changes the comparison reads: 1 up to {@link REVIEW_WAIT_SAMPLE} changes. */
export function sampleFraction(cohort: number): number {
  return cohort <= REVIEW_WAIT_SAMPLE ? 1 : REVIEW_WAIT_SAMPLE / cohort;
}

/** Whether change `id` is in a sample of `fraction` of the changes: a fixed hash of the id (murmur3's finaliser), so the same changes every time. */
export function inSample(id: number, fraction: number): boolean {
  if (fraction >= 1) return true;
  let h = id >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296 < fraction;
}

/**
 * Each change's wait split as of `asOf`, for the changes created in [since, asOf): the replayed
 * phases (queue-state.ts) summed as `steward waits` sums them (analysis/waits.ts cohortWaits —
 * "approved, waiting to merge" counts as CI), without the factors and the weekly flow the waits
 * report also computes.
 */
export function waitSplits(changes: readonly FlowChange[], ctx: FlowContext, since: Timestamp, asOf: Timestamp): WaitSplit[] {
  const out: WaitSplit[] = [];
  const days = (ms: number): number => roundOrNull(ms / DAY, 2) ?? 0;
  for (const c of changes) {
    if (c.created < since || c.created >= asOf) continue;
    const replay = replayFlow(c, ctx, asOf);
    const merged = c.mergedAt !== null && c.mergedAt <= asOf;
    const abandoned = !merged && c.status === 'ABANDONED' && c.abandonedAt !== null && c.abandonedAt <= asOf;
    // Each phase's time summed in the segments' order, in local numbers (not an object keyed by phase).
    let reviewers = 0;
    let author = 0;
    let ci = 0;
    let approved = 0;
    let wip = 0;
    for (const seg of replay.segments) {
      const d = seg.to - seg.from;
      switch (seg.phase) {
        case 'reviewers':
          reviewers += d;
          break;
        case 'author':
          author += d;
          break;
        case 'ci':
          ci += d;
          break;
        case 'approved':
          approved += d;
          break;
        case 'wip':
          wip += d;
          break;
        default:
          break;
      }
    }
    out.push({
      project: c.project,
      number: c.number,
      outcome: merged ? 'merged' : abandoned ? 'abandoned' : 'open',
      reviewersDays: days(reviewers),
      authorDays: days(author),
      ciDays: days(ci + approved),
      wipDays: days(wip),
    });
  }
  return out;
}

/**
 * The change of a wait split: the last of `changes` with its project and number. By number alone
 * when no number is in two projects (no key string per change), else by both.
 */
function changeOfWait(changes: readonly FlowChange[]): (w: WaitSplit) => FlowChange | undefined {
  const byNumber = new Map<number, FlowChange>();
  let clash = false;
  for (const c of changes) {
    const before = byNumber.get(c.number);
    if (before !== undefined && before.project !== c.project) clash = true;
    byNumber.set(c.number, c);
  }
  if (!clash)
    return (w) => {
      const c = byNumber.get(w.number);
      return c !== undefined && c.project === w.project ? c : undefined;
    };
  const byKey = new Map(changes.map((c) => [`${c.project}\u0000${c.number}`, c]));
  return (w) => byKey.get(`${w.project}\u0000${w.number}`);
}

/** Whether any of `times` is in [from, to). */
function someIn(times: ArrayLike<number>, from: number, to: number): boolean {
  for (let i = 0; i < times.length; i++) if (times[i]! >= from && times[i]! < to) return true;
  return false;
}

/** The Gerrit queries a scope stands for over changes, each with its label (blueprints first: the priorities' rule). */
export function scopeQueries(scope: TrackedScope, specBlueprints: readonly string[] = []): Array<{ label: string; query: string }> {
  const blueprints = [...new Set([...scope.blueprints, ...specBlueprints].map((b) => b.toLowerCase()))];
  const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return [
    ...priorityQueries({ blueprints, topics: scope.topics, queries: scope.queries }),
    ...scope.bugs.map((b) => ({ label: `bug:${b}`, query: `bug:${b}` })),
    ...scope.paths.map((p) => ({ label: `path:${p}`, query: `file:"^${escape(scopePathPrefix(p))}.*"` })),
  ];
}

/** The prefix a scope path stands for: without leading slashes and quotes (`file:"^PREFIX.*"`, {@link scopeQueries}). */
export function scopePathPrefix(p: string): string {
  return p.replace(/^\/+/, '').replace(/"/g, '');
}

/** A commit pattern as a regular expression, or the reason it is not one: case-insensitive, `^` and `$` at line ends (as `git log -i --grep` matches lines). */
export function commitPattern(p: string): RegExp | string {
  try {
    return new RegExp(p, 'im');
  } catch (e) {
    return (e as Error).message;
  }
}

/** The names a spec answers to: its blueprint, and its file names (now and first) without `.rst`. */
export function specNames(s: Pick<SpecRecord, 'blueprint' | 'path' | 'firstPath'>): string[] {
  const base = (p: string): string => (p.split('/').pop() ?? p).replace(/\.rst$/i, '').toLowerCase();
  return [...new Set([s.blueprint.toLowerCase(), base(s.path), base(s.firstPath)])];
}

export interface ResolvedMilestone {
  index: number;
  title: string;
  release: string | null;
  /** Start of its window, or null (open-ended: the first milestone without a release). */
  start: Timestamp | null;
  due: Timestamp;
  ownScope: boolean;
  scope: TrackedScope;
}

/**
 * The milestones with their windows, or the problems that keep them from having any: a release the
 * calendar lacks, a target date before its release's start, milestones out of due order, a window
 * that begins before the previous milestone is due (overlapping).
 */
export function resolveMilestones(
  def: Pick<Initiative, 'milestones' | 'scope'>,
  calendar: readonly ReleaseCycle[],
): { milestones: ResolvedMilestone[]; problems: string[] } {
  const problems: string[] = [];
  const out: ResolvedMilestone[] = [];
  const day = (t: number): string => new Date(t).toISOString().slice(0, 10);
  def.milestones.forEach((m, index) => {
    const rel = m.release === null ? null : (calendar.find((r) => r.name.toLowerCase() === m.release!.toLowerCase()) ?? null);
    if (m.release !== null && rel === null) {
      problems.push(
        `milestone ${index + 1} "${m.title}": no release "${m.release}" in the release calendar${calendar.length ? ` (${calendar.map((r) => r.name).join(', ')})` : ''}`,
      );
      return;
    }
    if (m.release === null && m.targetDate === null) {
      problems.push(`milestone ${index + 1} "${m.title}": give it a release or a target date`);
      return;
    }
    const due = m.targetDate ?? rel!.release;
    if (rel && due < rel.start)
      problems.push(`milestone ${index + 1} "${m.title}": target date ${day(due)} is before ${rel.name} starts (${day(rel.start)})`);
    const prev = out[out.length - 1];
    const firstOfRelease = rel !== null && (prev === undefined || prev.release?.toLowerCase() !== rel.name.toLowerCase());
    const start = firstOfRelease ? rel.start : (prev?.due ?? null);
    if (prev && due <= prev.due)
      problems.push(
        `milestones out of order: ${index + 1} "${m.title}" is due ${day(due)}, not after ${prev.index + 1} "${prev.title}" (due ${day(prev.due)}); list them in the order they are due`,
      );
    else if (prev && start !== null && start < prev.due)
      problems.push(
        `milestones overlap: ${index + 1} "${m.title}" (${rel?.name}) begins ${day(start)}, before ${prev.index + 1} "${prev.title}" is due (${day(prev.due)})`,
      );
    const ownScope = scopeSize(m.scope) > 0;
    out.push({ index, title: m.title, release: rel?.name ?? null, start, due, ownScope, scope: ownScope ? m.scope : def.scope });
  });
  return { milestones: out, problems };
}

export type MilestoneStatus = 'met' | 'met late' | 'missed' | 'in progress' | 'commits only' | 'nothing yet';

export interface MilestoneResult {
  title: string;
  release: string | null;
  start: string | null;
  due: string;
  ownScope: boolean;
  status: MilestoneStatus;
  /** When its last spec was implemented or change closed, when met; else null. */
  metAt: string | null;
  /** Days after the due time it was met (0 when on time); null when not met. */
  lateDays: number | null;
  specsApproved: number;
  specsImplemented: number;
  changesProposed: number;
  changesMerged: number;
  changesAbandoned: number;
  changesOpen: number;
  commitsLanded: number;
  /** Bugs in its scope fixed (in its window, for a milestone sharing the initiative's scope), and open at its due time (or asOf, if sooner). */
  bugsFixed: number;
  bugsOpen: number;
  /** Its specs, one per blueprint: the releases that approved it, first approval, implementation (any approval's, null while not). */
  specs: Array<{ name: string; releases: Array<string | null>; paths: string[]; approvedAt: string; implementedAt: string | null }>;
  evidence: string;
}

export interface InitiativeChange {
  number: number;
  project: string;
  subject: string;
  url: string | null;
  status: 'merged' | 'abandoned' | 'open';
  created: string;
  mergedAt: string | null;
  matchedBy: string[];
  /** The milestones (titles) it counts for. */
  milestones: string[];
}

export interface Stall {
  from: string;
  /** Null while it lasts (at asOf). */
  to: string | null;
  weeks: number;
  ongoing: boolean;
  /** At its end (or asOf): open changes in scope, by what they waited on. */
  openChanges: number;
  waitingOnReviewers: number;
  waitingOnAuthor: number;
  blocked: number;
  /** Open questions raised before its end and not resolved before its start. */
  openQuestions: number;
  why: string;
}

export interface InitiativeStatus {
  name: string;
  title: string;
  goal: string;
  owners: string[];
  origin: 'config' | 'store';
  id: number | null;
  asOf: string;
  stallWeeks: number;
  scope: TrackedScope;
  /** The scope as Gerrit queries over changes (what `matchedBy` names). */
  scopeQueries: string[];
  /** Null, or a sentence: the scope matched nothing (with the scope shown). */
  emptyScope: string | null;
  openQuestions: InitiativeNote[];
  notes: Array<Omit<InitiativeNote, 'at' | 'resolvedAt'> & { at: string; resolvedAt: string | null }>;
  milestones: MilestoneResult[];
  totals: {
    specs: number;
    specsImplemented: number;
    changes: number;
    changesMerged: number;
    changesOpen: number;
    commits: number;
    bugsNamed: number;
    bugsFixed: number;
  };
  bugs: {
    /** Bug numbers the scopes name. */
    named: string[];
    /** Bug numbers carrying a scope tag (public bugs, duplicates left out), when bug data is in the store. */
    tagged: string[];
    /** Of named and tagged: fixed as of asOf, not fixed, and open (neither fixed nor closed). */
    fixed: string[];
    notFixed: string[];
    open: string[];
    tags: string[];
    /** Restricted bugs carrying a scope tag, left out (counted only). */
    restrictedLeftOut: number;
    cannotTell: string | null;
  };
  releases: Array<{
    release: string;
    specsApproved: number;
    specsImplemented: number;
    changesProposed: number;
    changesMerged: number;
    commitsLanded: number;
  }>;
  burnup: Array<{
    at: string;
    specsApproved: number;
    specsImplemented: number;
    changesProposed: number;
    changesMerged: number;
    commitsLanded: number;
    planned: number;
    done: number;
  }>;
  lastActivity: { at: string; what: string } | null;
  stalls: Stall[];
  blockers: {
    vetoed: Array<{ number: number; project: string; subject: string; url: string | null; by: string; since: string }>;
    unapprovedSpecs: Array<{ name: string; why: string }>;
    waitingOnReviewers: Array<{
      number: number;
      project: string;
      subject: string;
      url: string | null;
      reviewersDays: number;
      authorDays: number;
      ciDays: number;
      wipDays: number;
    }>;
    /** The project's median wait on reviewers (Kaplan–Meier, open changes censored) the waits are held to. */
    projectMedianReviewersDays: number | null;
  };
  people: {
    doing: Array<{ name: string; changes: number; commits: number }>;
    reviewing: Array<{ name: string; reviews: number }>;
  };
  reviewWait: {
    initiative: EventTime;
    rest: EventTime;
    /** The priorities' comparison with {@link REVIEW_WAIT_REPLICATES} re-draws, and where a re-run could put each end of the interval (95%). */
    vsRest: PriorityComparison & { replicates: number; monteCarlo: { low: [number, number]; high: [number, number] } | null };
    /** Null when every change of the period is compared; else the sample of the rest ({@link REVIEW_WAIT_SAMPLE}). */
    sample: { cohort: number; fraction: number; rest: number; why: string } | null;
  };
  changes: InitiativeChange[];
  commits: Array<{ sha: string; repo: string; subject: string; landedAt: string; milestones: string[] }>;
  summary: string[];
}

export interface InitiativeInput {
  initiative: Initiative;
  calendar: readonly ReleaseCycle[];
  /** Every change active in the initiative's period, with details, files, flow messages and commit messages. */
  changes: readonly FlowChange[];
  /**
   * When given, the changes under each scope path prefix ({@link scopePathPrefix}) by the store's
   * files of their latest patch set: a scope's paths are matched from these instead of evaluating
   * `file:` on the changes' files (which need not be loaded then). A prefix missing here is evaluated.
   */
  pathMatches?: ReadonlyMap<string, ReadonlySet<number>>;
  /** The wait split of those changes created in the period ({@link waitSplits}), as of asOf. */
  waits: readonly WaitSplit[];
  /**
   * The review-wait comparison's sample: the cohort's size (changes created in the period) and the
   * share of it read ({@link sampleFraction}); the rest is the changes of `waits` out of scope and
   * {@link inSample}.
   */
  sample: { cohort: number; fraction: number };
  /**
   * Creation times of the projects' changes from 90 days before the period (is there review data
   * for a stall?): all of them, or any of them that keep the first and the last and leave no
   * creation between two consecutive times more than 90 days apart (store/queries/initiatives.ts
   * creationMarks) — a stall's window is longer than that, so it holds one exactly when it holds a creation.
   */
  reviewDataTimes: ArrayLike<Timestamp>;
  /** Commits that may be in scope (the store query pre-selects; the patterns and links decide here). */
  commits: readonly TrackedCommit[];
  specs: readonly SpecRecord[];
  env: QueryEnv;
  hostUrls: ReadonlyMap<string, string | null>;
  nameOf: (accountId: number) => string;
  /** Launchpad's tasks and bugs for the scopes' bug numbers and tags; null when the store has no bug data. */
  bugData: { tasks: readonly BugTask[]; bugs: readonly Bug[] } | null;
}

/**
 * Computes an initiative's status as of `now`. Pure. Throws the gerrit-query QueryError of a scope
 * query it cannot evaluate, and an Error for milestones `resolveMilestones` refuses (the service
 * checks both first, to say where).
 */
export function computeInitiativeStatus(input: InitiativeInput, now: Timestamp): InitiativeStatus {
  const { initiative: ini, calendar } = input;
  const asOf = now;
  const stallWeeks = ini.stallWeeks ?? DEFAULT_STALL_WEEKS;
  const { milestones, problems } = resolveMilestones(ini, calendar);
  if (problems.length) throw new Error(problems.join('; '));
  const env = { ...input.env, now: asOf };

  // Specs: approved by asOf (not removed by then), named by any scope.
  const specsIn = (scope: TrackedScope): SpecRecord[] => {
    const names = new Set(scope.specs.map((s) => s.toLowerCase()));
    return names.size === 0
      ? []
      : input.specs.filter(
          (s) => s.approvedAt <= asOf && !(s.removedAt !== null && s.removedAt <= asOf) && specNames(s).some((n) => names.has(n)),
        );
  };
  const implementedBy = (s: SpecRecord, t: number): boolean => s.implementedAt !== null && s.implementedAt <= t;

  // Per scope (the initiative's and each own one), what it matches.
  interface Matches {
    specs: SpecRecord[];
    changes: Map<number, string[]>;
    commits: Set<string>;
    queries: string[];
    /** Bug numbers in scope: named, and carrying a scope tag. */
    bugs: Set<string>;
  }
  // Bugs by tag (bug data): the public project tasks' bugs, duplicates left out (bugs-common.ts).
  const items = input.bugData
    ? bugItems({ tasks: [...input.bugData.tasks], bugs: [...input.bugData.bugs], blueprints: [], changes: [], commits: [] })
    : [];
  const publicItems = items.filter((i) => !i.restricted && i.bug !== null);
  const taggedBy = (tags: readonly string[]): Map<string, string[]> => {
    const want = new Set(tags.map((t) => t.toLowerCase()));
    const out = new Map<string, string[]>();
    if (want.size === 0) return out;
    for (const i of publicItems) {
      const hit = i.bug!.tags.filter((t) => want.has(t.toLowerCase()));
      if (hit.length && i.bug!.createdAt <= asOf) out.set(String(i.bug!.id), [...new Set([...(out.get(String(i.bug!.id)) ?? []), ...hit])]);
    }
    return out;
  };
  const BUG_KINDS = new Set(['closes-bug', 'partial-bug', 'related-bug', 'topic-bug']);
  const existing = input.changes.filter((c) => c.created < asOf);
  // Query views only when a scope has a query to evaluate (paths matched by the store's files need none).
  let views: QueryView[] | null = null;
  const viewsOf = (): QueryView[] => (views ??= existing.map((c) => new QueryView(c, env)));
  const commitsAsOf = input.commits.filter((c) => c.landedAt <= asOf);
  const match = (scope: TrackedScope): Matches => {
    const specs = specsIn(scope);
    const specBps = specs.map((s) => s.blueprint);
    const queries = scopeQueries(scope, specBps);
    // Paths are the last queries: matched through the store's path matches when given.
    const fromPaths = queries.length - scope.paths.length;
    const compiled = queries.map((q, i) => {
      const under =
        input.pathMatches && i >= fromPaths ? (input.pathMatches.get(scopePathPrefix(scope.paths[i - fromPaths]!)) ?? null) : null;
      return { label: q.label, under, c: under ? null : compileQuery(q.query, env) };
    });
    const patterns = scope.commitPatterns
      .map((p) => ({ label: `pattern:${p}`, re: commitPattern(p) }))
      .filter((p) => p.re instanceof RegExp);
    const tagged = taggedBy(scope.bugTags);
    const changes = new Map<number, string[]>();
    const evaluated = compiled.some((q) => q.c !== null) ? viewsOf() : null;
    for (let i = 0; i < existing.length; i++) {
      const change = existing[i]!;
      const by: string[] = [];
      for (const q of compiled) if (q.c ? q.c.matches(evaluated![i]!) : q.under!.has(change.id)) by.push(q.label);
      const msg = change.commitMessage ?? change.subject;
      for (const p of patterns) if ((p.re as RegExp).test(msg)) by.push(p.label);
      if (tagged.size)
        for (const l of change.links)
          if (BUG_KINDS.has(l.kind)) for (const t of tagged.get(l.target) ?? []) if (!by.includes(`bugTag:${t}`)) by.push(`bugTag:${t}`);
      if (by.length) changes.set(change.id, by);
    }
    const bps = new Set([...scope.blueprints.map((b) => b.toLowerCase()), ...specBps]);
    const bugs = new Set([...scope.bugs, ...tagged.keys()]);
    const commits = new Set<string>();
    for (const c of commitsAsOf) {
      const hit =
        c.links.some(
          (l) =>
            ((l.kind === 'implements' || l.kind === 'partially-implements' || l.kind === 'mention') && bps.has(l.target.toLowerCase())) ||
            ((l.kind === 'closes-bug' || l.kind === 'partial-bug' || l.kind === 'related-bug') && bugs.has(l.target)),
        ) || patterns.some((p) => (p.re as RegExp).test(c.message));
      if (hit) commits.add(`${c.repo}\u0000${c.sha}`);
    }
    return { specs, changes, commits, queries: queries.map((q) => q.query), bugs };
  };
  const whole = match(ini.scope);
  const own = new Map<number, Matches>();
  for (const m of milestones) if (m.ownScope) own.set(m.index, match(m.scope));

  const changeById = new Map(input.changes.map((c) => [c.id, c]));
  const commitByKey = new Map(commitsAsOf.map((c) => [`${c.repo}\u0000${c.sha}`, c]));
  const allChangeIds = new Set<number>(whole.changes.keys());
  const allCommitKeys = new Set<string>(whole.commits);
  const allSpecs = new Map<number | string, SpecRecord>(whole.specs.map((s) => [s.path, s]));
  for (const m of own.values()) {
    for (const id of m.changes.keys()) allChangeIds.add(id);
    for (const k of m.commits) allCommitKeys.add(k);
    for (const s of m.specs) allSpecs.set(s.path, s);
  }
  const matchedBy = (id: number): string[] => {
    const labels = whole.changes.get(id) ?? [];
    if (own.size === 0 && labels.length === 1) return [labels[0]!];
    const out = new Set(labels);
    for (const m of own.values()) for (const l of m.changes.get(id) ?? []) out.add(l);
    return [...out];
  };

  const statusOf = (c: FlowChange): 'merged' | 'abandoned' | 'open' =>
    c.mergedAt !== null && c.mergedAt <= asOf
      ? 'merged'
      : c.status === 'ABANDONED' && c.abandonedAt !== null && c.abandonedAt <= asOf
        ? 'abandoned'
        : 'open';
  const closedAt = (c: FlowChange): number | null =>
    statusOf(c) === 'merged' ? c.mergedAt : statusOf(c) === 'abandoned' ? c.abandonedAt : null;
  const inWindow = (t: number, m: ResolvedMilestone): boolean => (m.start === null || t >= m.start) && t < m.due;

  // Each milestone's share of the evidence.
  const perMilestone = milestones.map((m) => {
    let specs: SpecRecord[];
    let changes: FlowChange[];
    let commits: TrackedCommit[];
    if (m.ownScope) {
      const x = own.get(m.index)!;
      specs = x.specs;
      changes = [...x.changes.keys()].map((id) => changeById.get(id)!);
      commits = [...x.commits].map((k) => commitByKey.get(k)!);
    } else {
      specs = whole.specs.filter((s) =>
        m.release !== null && s.release !== null ? s.release.toLowerCase() === m.release.toLowerCase() : inWindow(s.approvedAt, m),
      );
      changes = [...whole.changes.keys()].map((id) => changeById.get(id)!).filter((c) => inWindow(c.created, m));
      commits = [...whole.commits].map((k) => commitByKey.get(k)!).filter((c) => inWindow(c.landedAt, m));
    }
    return { m, specs, changes, commits, bugs: m.ownScope ? own.get(m.index)!.bugs : whole.bugs };
  });
  // Bugs: fixed when Launchpad's project task says so (Fix Committed, else Fix Released) or a merged
  // change or landed commit closes it, whichever came first; closed without a fix when every
  // project task was closed so; open otherwise, from its report (unknown without bug data: from always).
  const tasksOf = new Map<string, BugTask[]>();
  const reportedOf = new Map<string, number>();
  for (const i of items) {
    tasksOf.set(String(i.task.bug), [...(tasksOf.get(String(i.task.bug)) ?? []), i.task]);
    if (i.bug) reportedOf.set(String(i.bug.id), i.bug.createdAt);
  }
  const closing = (links: ReadonlyArray<{ kind: string; target: string }>, b: string): boolean =>
    links.some((l) => l.kind === 'closes-bug' && l.target === b);
  const bugFixedAt = (b: string): number | null => {
    const times = [
      ...(tasksOf.get(b) ?? []).map(taskFixedAt),
      ...input.changes.filter((c) => statusOf(c) === 'merged' && closing(c.links, b)).map((c) => c.mergedAt),
      ...commitsAsOf.filter((c) => closing(c.links, b)).map((c) => c.landedAt),
    ].filter((t): t is number => t !== null && t <= asOf);
    return times.length ? Math.min(...times) : null;
  };
  const bugClosedAt = (b: string): number | null => {
    const tasks = tasksOf.get(b) ?? [];
    if (!tasks.length || tasks.some((t) => t.dates.closed === null || taskFixedAt(t) !== null)) return null;
    const at = Math.max(...tasks.map((t) => t.dates.closed!));
    return at <= asOf ? at : null;
  };
  const bugTimes = new Map<string, { reported: number; fixed: number | null; closed: number | null }>();
  const timesOf = (b: string) => {
    let x = bugTimes.get(b);
    if (!x)
      bugTimes.set(b, (x = { reported: reportedOf.get(b) ?? Number.NEGATIVE_INFINITY, fixed: bugFixedAt(b), closed: bugClosedAt(b) }));
    return x;
  };
  const bugOpenAt = (b: string, t: number): boolean => {
    const x = timesOf(b);
    return x.reported <= t && !(x.fixed !== null && x.fixed <= t) && !(x.closed !== null && x.closed <= t);
  };
  const allSpecRecords = [...allSpecs.values()];
  // Which milestones hold a change or commit: a set per milestone, not a search of its list per item.
  const holding = perMilestone.map((x) => ({
    title: x.m.title,
    changes: new Set<FlowChange>(x.changes),
    commits: new Set<TrackedCommit>(x.commits),
  }));
  const milestonesOf = (c: FlowChange): string[] => holding.filter((x) => x.changes.has(c)).map((x) => x.title);
  const milestonesOfCommit = (c: TrackedCommit): string[] => holding.filter((x) => x.commits.has(c)).map((x) => x.title);

  const milestoneResults: MilestoneResult[] = perMilestone.map(({ m, specs, changes, commits, bugs }) => {
    const bugList = [...bugs];
    const bugsFixed = bugList.filter((b) => {
      const f = timesOf(b).fixed;
      return f !== null && (m.ownScope || inWindow(f, m));
    }).length;
    const bugsOpen = bugList.filter((b) => bugOpenAt(b, Math.min(m.due, asOf))).length;
    // A spec is one piece of work whatever release approved it: done when any approval of its
    // blueprint moved to implemented/ (a re-proposal implemented later completes it then).
    const units = specUnits(specs, asOf, allSpecRecords);
    const implemented = units.filter((u) => u.implementedAt !== null);
    const merged = changes.filter((c) => statusOf(c) === 'merged');
    const abandoned = changes.filter((c) => statusOf(c) === 'abandoned');
    const open = changes.filter((c) => statusOf(c) === 'open');
    let status: MilestoneStatus;
    let metAt: number | null = null;
    if (units.length + changes.length === 0) status = commits.length ? 'commits only' : asOf >= m.due ? 'missed' : 'nothing yet';
    else {
      // With specs, the specs say when it is done (the project's own signal); without, its changes.
      const done = units.length ? implemented.length === units.length : open.length === 0 && merged.length > 0;
      if (done) {
        metAt = units.length ? Math.max(...implemented.map((u) => u.implementedAt!)) : Math.max(...changes.map((c) => closedAt(c)!));
        status = metAt <= m.due ? 'met' : 'met late';
      } else status = asOf >= m.due ? 'missed' : 'in progress';
    }
    const parts = [
      units.length ? `${implemented.length} of ${units.length} specs implemented` : null,
      changes.length ? `${merged.length} of ${changes.length} changes merged (${open.length} open, ${abandoned.length} abandoned)` : null,
      commits.length ? `${commits.length} commits landed` : null,
      bugsFixed + bugsOpen ? `${bugsFixed} bugs fixed, ${bugsOpen} open` : null,
    ].filter(Boolean);
    const dueWords = new Date(m.due).toISOString().slice(0, 10);
    const evidence =
      (parts.length ? parts.join('; ') : 'no spec, change or commit in scope') +
      (status === 'met late'
        ? `; met ${iso(metAt)!.slice(0, 10)}, ${round((metAt! - m.due) / DAY, 1)} days after it was due (${dueWords})`
        : status === 'met'
          ? `; met ${iso(metAt)!.slice(0, 10)}, due ${dueWords}`
          : status === 'missed'
            ? `; due ${dueWords}, not met`
            : `; due ${dueWords}`);
    return {
      title: m.title,
      release: m.release,
      start: iso(m.start),
      due: iso(m.due)!,
      ownScope: m.ownScope,
      status,
      metAt: iso(metAt),
      lateDays: metAt === null ? null : round(Math.max(0, metAt - m.due) / DAY, 1),
      specsApproved: units.length,
      specsImplemented: implemented.length,
      changesProposed: changes.length,
      changesMerged: merged.length,
      changesAbandoned: abandoned.length,
      changesOpen: open.length,
      commitsLanded: commits.length,
      bugsFixed,
      bugsOpen,
      specs: units.map((u) => ({
        name: u.name,
        releases: u.releases,
        paths: u.paths,
        approvedAt: iso(u.approvedAt)!,
        implementedAt: iso(u.implementedAt),
      })),
      evidence,
    };
  });

  const changes = [...allChangeIds].map((id) => changeById.get(id)!).sort((a, b) => a.created - b.created || a.number - b.number);
  const commits = [...allCommitKeys].map((k) => commitByKey.get(k)!).sort((a, b) => a.landedAt - b.landedAt || (a.sha < b.sha ? -1 : 1));
  const specs = [...allSpecs.values()].sort((a, b) => a.approvedAt - b.approvedAt || (a.path < b.path ? -1 : 1));

  // The timeline: progress events (merges, landings) from the start.
  const progress = [...changes.filter((c) => statusOf(c) === 'merged').map((c) => c.mergedAt!), ...commits.map((c) => c.landedAt)].sort(
    (a, b) => a - b,
  );
  const firstEvidence = Math.min(
    ...changes.map((c) => c.created),
    ...commits.map((c) => c.landedAt),
    ...specs.map((s) => s.approvedAt),
    Number.POSITIVE_INFINITY,
  );
  const firstStart = milestones[0]?.start ?? null;
  // The timeline starts with the first milestone's window (specs approved before it are planning, not a stall).
  const t0 = firstStart ?? firstEvidence;
  const allMet = milestoneResults.length > 0 && milestoneResults.every((m) => m.status === 'met' || m.status === 'met late');
  const end = allMet ? Math.min(asOf, Math.max(...milestoneResults.map((m) => Date.parse(m.metAt!)))) : asOf;

  const openQuestionsAt = (from: number, to: number): number =>
    ini.notes.filter((n) => n.kind === 'question' && n.at < to && !(n.resolvedAt !== null && n.resolvedAt <= from)).length;
  const stalls: Stall[] = [];
  if (Number.isFinite(t0) && t0 < end) {
    const points = [t0, ...progress.filter((t) => t > t0 && t <= end), end];
    for (let i = 1; i < points.length; i++) {
      const from = points[i - 1]!;
      const to = points[i]!;
      if (to - from < stallWeeks * WEEK) continue;
      const ongoing = i === points.length - 1 && !allMet;
      const openThen = changes.filter((c) => c.created < to && !((closedAt(c) ?? Number.POSITIVE_INFINITY) < to));
      let reviewers = 0;
      let author = 0;
      let blocked = 0;
      for (const c of openThen) {
        const s = situationAt(c, env.flow, to);
        if (s.blocked) blocked++;
        if (s.state === 'reviewers') reviewers++;
        else if (s.state === 'author') author++;
      }
      const questions = openQuestionsAt(from, to);
      const reviewData = someIn(input.reviewDataTimes, from - 90 * DAY, to);
      const reasons = [
        !reviewData
          ? 'no review data covers it (only the code history and specs show the gap): cannot tell what was waiting'
          : openThen.length === 0
            ? 'no change in scope was open: nobody was proposing work'
            : `${openThen.length} change${openThen.length === 1 ? '' : 's'} open at its end (${reviewers} waiting on reviewers, ${author} on their authors${blocked ? `, ${blocked} blocked by a −2` : ''})`,
        questions ? `${questions} open question${questions === 1 ? '' : 's'} unanswered` : null,
      ].filter(Boolean);
      stalls.push({
        from: iso(from)!,
        to: ongoing ? null : iso(to),
        weeks: round((to - from) / WEEK, 1),
        ongoing,
        openChanges: openThen.length,
        waitingOnReviewers: reviewers,
        waitingOnAuthor: author,
        blocked,
        openQuestions: questions,
        why: reasons.join('; '),
      });
    }
  }

  // Blockers at asOf.
  // Each wait's change (by project and number), found once: the maps below are by change.
  const waitChanges = input.waits.map(changeOfWait(input.changes));
  const waitsOf = new Map<FlowChange, WaitSplit>();
  input.waits.forEach((w, i) => {
    if (waitChanges[i]) waitsOf.set(waitChanges[i], w);
  });
  const waitOf = (c: FlowChange): WaitSplit | undefined => waitsOf.get(c);
  const url = (c: FlowChange): string | null => changeUrl(input.hostUrls.get(c.host), c.project, c.number);
  const open = changes.filter((c) => statusOf(c) === 'open');
  const vetoed: InitiativeStatus['blockers']['vetoed'] = [];
  const situations = new Map(open.map((c) => [c.id, situationAt(c, env.flow, asOf)]));
  for (const c of open) {
    const s = situations.get(c.id)!;
    if (!s.blocked) continue;
    const veto = finalVotes(c.votes, s.patchSet, asOf).find((v) => v.label === 'Code-Review' && v.value <= -2);
    vetoed.push({
      number: c.number,
      project: c.project,
      subject: c.subject,
      url: url(c),
      by: veto ? input.nameOf(veto.voterId) : 'unknown',
      since: iso(veto?.at ?? c.created)!,
    });
  }
  // For the median alone: no clusters (kmMedianPoint reads the times and events).
  const cohortTimes = (list: readonly WaitSplit[]): FollowedTime[] =>
    list.map((w) => ({ days: w.reviewersDays, event: w.outcome !== 'open', cluster: '' }));
  // The project's median: every change of the cohort, or its sample (scope changes too, by the same rule).
  const { fraction } = input.sample;
  const isSampled = waitChanges.map((c) => inSample(c?.id ?? 0, fraction));
  const projectMedian = kmMedianPoint(cohortTimes(input.waits.filter((_, i) => isSampled[i])));
  const waitingOnReviewers: InitiativeStatus['blockers']['waitingOnReviewers'] = [];
  for (const c of open) {
    const w = waitOf(c);
    const state: FlowState | 'closed' = situations.get(c.id)!.state;
    if (!w || state !== 'reviewers' || projectMedian === null || w.reviewersDays <= projectMedian) continue;
    waitingOnReviewers.push({
      number: c.number,
      project: c.project,
      subject: c.subject,
      url: url(c),
      reviewersDays: round(w.reviewersDays, 1),
      authorDays: round(w.authorDays, 1),
      ciDays: round(w.ciDays, 1),
      wipDays: round(w.wipDays, 1),
    });
  }
  waitingOnReviewers.sort((a, b) => b.reviewersDays - a.reviewersDays);
  const approvedNames = new Set(input.specs.filter((s) => s.approvedAt <= asOf).flatMap((s) => specNames(s)));
  const allSpecNames = [...new Set([ini.scope, ...ini.milestones.map((m) => m.scope)].flatMap((s) => s.specs.map((x) => x.toLowerCase())))];
  const unapprovedSpecs = allSpecNames
    .filter((n) => !approvedNames.has(n))
    .map((name) => ({
      name,
      why:
        input.specs.length === 0
          ? 'no specs repository in the store (steward specs sync)'
          : `no spec named "${name}" approved by ${iso(asOf)!.slice(0, 10)}`,
    }));

  // People.
  const doing = new Map<string, { changes: number; commits: number }>();
  const bump = (name: string, k: 'changes' | 'commits'): void => {
    const x = doing.get(name) ?? { changes: 0, commits: 0 };
    x[k]++;
    doing.set(name, x);
  };
  for (const c of changes) bump(input.nameOf(c.ownerId), 'changes');
  for (const c of commits) bump(c.authorName, 'commits');
  const reviewing = reviewsByReviewer(changes, env.flow.isBot, input.nameOf, asOf);

  // The review wait of its changes against the rest of the project's (the priorities' comparison).
  const clusterOf = (c: FlowChange): string => {
    const bp = c.links.find((l) => l.kind === 'implements' || l.kind === 'partially-implements' || l.kind === 'topic-blueprint');
    return bp ? `blueprint:${bp.target.toLowerCase()}` : `change:${c.number}`;
  };
  const inScope = new Set(changes);
  const followed = (w: WaitSplit, i: number): FollowedTime => {
    const c = waitChanges[i];
    return { days: w.reviewersDays, event: w.outcome !== 'open', cluster: c ? clusterOf(c) : `change:${w.number}` };
  };
  const mine: FollowedTime[] = [];
  const rest: FollowedTime[] = [];
  input.waits.forEach((w, i) => {
    const c = waitChanges[i];
    if (c && inScope.has(c)) mine.push(followed(w, i));
    else if (isSampled[i]) rest.push(followed(w, i));
  });

  // Per release ("lands in" the first calendar release whose release day is after the time).
  const releaseOf = (t: number): string | null => calendar.find((r) => t < r.release)?.name ?? null;
  // A spec counts for the release whose directory holds it; one outside the calendar, by the time.
  const specRelease = (s: SpecRecord, t: number): string | null =>
    (s.release !== null ? calendar.find((r) => r.name.toLowerCase() === s.release!.toLowerCase())?.name : undefined) ?? releaseOf(t);
  const releases = calendar
    .filter((r) => r.release > Math.min(t0, firstEvidence) && r.start <= asOf)
    .map((r) => {
      const inR = (t: number | null): boolean => t !== null && t <= asOf && releaseOf(t) === r.name;
      return {
        release: r.name,
        specsApproved: specs.filter((s) => specRelease(s, s.approvedAt) === r.name).length,
        specsImplemented: specs.filter((s) => implementedBy(s, asOf) && specRelease(s, s.implementedAt!) === r.name).length,
        changesProposed: changes.filter((c) => inR(c.created)).length,
        changesMerged: changes.filter((c) => statusOf(c) === 'merged' && inR(c.mergedAt)).length,
        commitsLanded: commits.filter((c) => inR(c.landedAt)).length,
      };
    });

  // Burn-up: cumulative counts at the end of each week (each month beyond five years).
  const burnup: InitiativeStatus['burnup'] = [];
  if (Number.isFinite(t0) && t0 < asOf) {
    const step = asOf - t0 > 5 * 365 * DAY ? 30 * DAY : WEEK;
    // Each series' times sorted once; a week's count is how many are at or before its end.
    const series = <T>(xs: readonly T[], f: (x: T) => number | null) => {
      const times = xs
        .map(f)
        .filter((v): v is number => v !== null)
        .sort((a, b) => a - b);
      let k = 0;
      return (at: number): number => {
        while (k < times.length && times[k]! <= at) k++;
        return k;
      };
    };
    const specsApproved = series(specs, (s) => s.approvedAt);
    const specsImplemented = series(specs, (s) => s.implementedAt);
    const changesProposed = series(changes, (c) => c.created);
    const changesMerged = series(changes, (c) => (statusOf(c) === 'merged' ? c.mergedAt : null));
    const commitsLanded = series(commits, (c) => c.landedAt);
    for (let t = t0 + step; ; t += step) {
      const at = Math.min(t, asOf);
      const p = {
        at: iso(at)!,
        specsApproved: specsApproved(at),
        specsImplemented: specsImplemented(at),
        changesProposed: changesProposed(at),
        changesMerged: changesMerged(at),
        commitsLanded: commitsLanded(at),
        planned: 0,
        done: 0,
      };
      p.planned = p.specsApproved + p.changesProposed;
      p.done = p.specsImplemented + p.changesMerged;
      burnup.push(p);
      if (at >= asOf) break;
    }
  }

  // Last activity.
  // The latest at or before asOf (the first listed of equals), its description made for it alone.
  const latest: { at: number; what: (() => string) | null } = { at: Number.NEGATIVE_INFINITY, what: null };
  const later = (at: number): boolean => at <= asOf && (latest.what === null || at > latest.at);
  const act = (at: number, what: () => string): void => {
    if (later(at)) {
      latest.at = at;
      latest.what = what;
    }
  };
  for (const c of changes) act(c.created, () => `change ${c.number} proposed`);
  for (const c of changes) if (statusOf(c) === 'merged') act(c.mergedAt!, () => `change ${c.number} merged`);
  // (A description only for a patch set that is the latest so far: thousands of them.)
  for (const c of changes)
    for (const p of c.patchSets) if (later(p.created)) act(p.created, () => `change ${c.number} patch set ${p.number}`);
  for (const c of commits) act(c.landedAt, () => `commit ${c.sha.slice(0, 10)} landed`);
  for (const sp of specs) act(sp.approvedAt, () => `spec ${sp.blueprint} approved`);
  for (const sp of specs) if (implementedBy(sp, asOf)) act(sp.implementedAt!, () => `spec ${sp.blueprint} implemented`);
  for (const n of ini.notes) act(n.at, () => `${n.kind} noted`);
  const last = latest.what === null ? null : { at: latest.at, what: latest.what() };

  // Bugs: named in scope, or carrying a scope tag; fixed as above.
  const named = [...new Set([ini.scope, ...ini.milestones.map((m) => m.scope)].flatMap((s) => s.bugs))];
  const tags = [...new Set([ini.scope, ...ini.milestones.map((m) => m.scope)].flatMap((s) => s.bugTags))];
  const byNumber = (a: string, b: string): number => Number(a) - Number(b);
  const tagged = [...new Set([whole, ...own.values()].flatMap((x) => [...x.bugs]))].filter((b) => !named.includes(b)).sort(byNumber);
  const scopeBugs = [...named, ...tagged];
  const fixed = scopeBugs.filter((b) => timesOf(b).fixed !== null);
  const wantTags = new Set(tags.map((t) => t.toLowerCase()));
  const restrictedLeftOut = new Set(
    items.filter((i) => i.restricted && i.bug !== null && i.bug.tags.some((t) => wantTags.has(t.toLowerCase()))).map((i) => i.task.bug),
  ).size;

  const notesAsOf = ini.notes
    .filter((n) => n.at <= asOf)
    .map((n) =>
      n.resolvedAt !== null && n.resolvedAt > asOf
        ? { ...n, status: 'open' as const, resolvedAt: null, resolvedBy: null, resolution: null }
        : n,
    );
  const openQuestions = notesAsOf.filter((n) => n.kind === 'question' && n.status === 'open');
  const orderedNotes = [...notesAsOf].sort(
    (a, b) => Number(b.status === 'open' && b.kind === 'question') - Number(a.status === 'open' && a.kind === 'question') || a.at - b.at,
  );
  const scopeWords = describeScope(ini);
  const emptyScope =
    changes.length + commits.length + specs.length + tagged.length === 0
      ? `the scope matches nothing as of ${iso(asOf)!.slice(0, 10)}: no change, commit, spec or tagged bug in ${scopeWords}`
      : null;

  const out: InitiativeStatus = {
    name: ini.name,
    title: ini.title,
    goal: ini.goal,
    owners: [...ini.owners],
    origin: ini.origin,
    id: ini.id,
    asOf: iso(asOf)!,
    stallWeeks,
    scope: ini.scope,
    scopeQueries: whole.queries,
    emptyScope,
    openQuestions,
    notes: orderedNotes.map((n) => ({ ...n, at: iso(n.at)!, resolvedAt: iso(n.resolvedAt) })),
    milestones: milestoneResults,
    totals: {
      specs: specUnits(specs, asOf).length,
      specsImplemented: specUnits(specs, asOf).filter((u) => u.implementedAt !== null).length,
      changes: changes.length,
      changesMerged: changes.filter((c) => statusOf(c) === 'merged').length,
      changesOpen: open.length,
      commits: commits.length,
      bugsNamed: scopeBugs.length,
      bugsFixed: fixed.length,
    },
    bugs: {
      named,
      tagged,
      fixed,
      notFixed: scopeBugs.filter((b) => !fixed.includes(b)),
      open: scopeBugs.filter((b) => bugOpenAt(b, asOf)),
      tags,
      restrictedLeftOut,
      cannotTell:
        tags.length && !input.bugData
          ? `bug tags (${tags.join(', ')}) need bug data in the store; without it only bugs named by number are followed, through the changes and commits that name them`
          : null,
    },
    releases,
    burnup,
    lastActivity: last ? { at: iso(last.at)!, what: last.what } : null,
    stalls,
    blockers: {
      vetoed,
      unapprovedSpecs,
      waitingOnReviewers,
      projectMedianReviewersDays: projectMedian === null ? null : round(projectMedian, 1),
    },
    people: {
      doing: [...doing]
        .map(([name, x]) => ({ name, ...x }))
        .sort((a, b) => b.changes + b.commits - (a.changes + a.commits) || (a.name < b.name ? -1 : 1)),
      reviewing: [...reviewing]
        .map(([name, reviews]) => ({ name, reviews }))
        .sort((a, b) => b.reviews - a.reviews || (a.name < b.name ? -1 : 1)),
    },
    reviewWait: {
      initiative: timeToEvent(mine),
      rest: timeToEvent(rest),
      vsRest: vsRest(mine, rest),
      sample:
        fraction >= 1
          ? null
          : {
              cohort: input.sample.cohort,
              fraction: round(fraction, 4),
              rest: rest.length,
              why: `the period has ${input.sample.cohort} changes: the rest of the project is compared through a seeded sample of ${rest.length} of its changes (each change in with the same chance), so the interval is wider than all of them would give, never narrower`,
            },
    },
    changes: changes.map((c) => ({
      number: c.number,
      project: c.project,
      subject: c.subject,
      url: url(c),
      status: statusOf(c),
      created: iso(c.created)!,
      mergedAt: statusOf(c) === 'merged' ? iso(c.mergedAt) : null,
      matchedBy: matchedBy(c.id),
      milestones: milestonesOf(c),
    })),
    commits: commits.map((c) => ({
      sha: c.sha,
      repo: c.repo,
      subject: c.subject,
      landedAt: iso(c.landedAt)!,
      milestones: milestonesOfCommit(c),
    })),
    summary: [],
  };
  out.summary = initiativeSummary(out);
  return out;
}

/**
 * How many reviews each person (by `nameOf`) gave on `changes` by `asOf`: the reviews of
 * reviews.ts `extractReviews` over queue-state.ts `reviewActsOf` (a person's votes, not copied,
 * and comments on one patch set, neither a bot's nor the change owner's, dated by the first),
 * counted without building the acts: a review is dated by `asOf` when any of its acts is.
 */
export function reviewsByReviewer(
  changes: readonly FlowChange[],
  isBot: (accountId: number) => boolean,
  nameOf: (accountId: number) => string,
  asOf: Timestamp,
): Map<string, number> {
  const out = new Map<string, number>();
  // The current change's reviews counted so far, as (patch set, reviewer) pairs: a handful.
  const patchSets: number[] = [];
  const reviewers: number[] = [];
  const act = (owner: number, patchSet: number, actor: number, at: number): void => {
    if (at > asOf || isBot(actor) || actor === owner) return;
    for (let k = 0; k < patchSets.length; k++) if (patchSets[k] === patchSet && reviewers[k] === actor) return;
    patchSets.push(patchSet);
    reviewers.push(actor);
    const n = nameOf(actor);
    out.set(n, (out.get(n) ?? 0) + 1);
  };
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i]!;
    patchSets.length = 0;
    reviewers.length = 0;
    for (let j = 0; j < c.votes.length; j++) {
      const v = c.votes[j]!;
      if (!v.copied) act(c.ownerId, v.patchSet, v.voterId, v.at);
    }
    for (let j = 0; j < c.messages.length; j++) {
      const m = c.messages[j]!;
      if (m.kind === 'comment' && m.authorId !== null && m.patchSet !== null) act(c.ownerId, m.patchSet, m.authorId, m.at);
    }
  }
  return out;
}

/** Spec records grouped by blueprint: one piece of work, approved first at the earliest, implemented at the first implementation by `asOf`. */
export function specUnits(
  specs: readonly SpecRecord[],
  asOf: number,
  /** Every approval of the blueprints in scope (a re-proposal implemented later completes the earlier approval too). */
  all: readonly SpecRecord[] = specs,
): Array<{ name: string; releases: Array<string | null>; paths: string[]; approvedAt: number; implementedAt: number | null }> {
  const by = new Map<string, SpecRecord[]>();
  for (const s of specs) by.set(s.blueprint, [...(by.get(s.blueprint) ?? []), s]);
  return [...by].map(([name, list]) => {
    const done = [...list, ...all.filter((s) => s.blueprint === name)]
      .map((s) => s.implementedAt)
      .filter((t): t is number => t !== null && t <= asOf);
    return {
      name,
      releases: list.map((s) => s.release),
      paths: list.map((s) => s.path),
      approvedAt: Math.min(...list.map((s) => s.approvedAt)),
      implementedAt: done.length ? Math.min(...done) : null,
    };
  });
}

/**
 * The priorities' comparison (analysis/priorities.ts `compare`), without the re-draws when a side
 * has fewer than 6 changes: the verdict is then `too few changes` whatever they would say.
 */
function vsRest(
  mine: readonly FollowedTime[],
  rest: readonly FollowedTime[],
): PriorityComparison & { replicates: number; monteCarlo: { low: [number, number]; high: [number, number] } | null } {
  if (mine.length >= 6 && rest.length >= 6) {
    const { draws, ...c } = compareDrawn(mine, rest, 1, REVIEW_WAIT_REPLICATES);
    return { ...c, replicates: REVIEW_WAIT_REPLICATES, monteCarlo: c.low === null ? null : percentileMonteCarlo(draws) };
  }
  return {
    replicates: 0,
    monteCarlo: null,
    verdict: 'too few changes',
    differenceDays: null,
    low: null,
    high: null,
    clusters: new Set([...mine, ...rest].map((x) => x.cluster)).size,
    priorityClusters: new Set(mine.map((x) => x.cluster)).size,
    baselineClusters: new Set(rest.map((x) => x.cluster)).size,
    failed: 0,
    reason: `fewer than 6 changes on a side (${mine.length} and ${rest.length})`,
    speedup: null,
    factor: null,
    factorLow: null,
    factorHigh: null,
  };
}

/** The scope in words: every kind that has values. */
export function describeScope(ini: Pick<Initiative, 'scope' | 'milestones'>): string {
  const one = (s: TrackedScope): string[] => SCOPE_KINDS.filter((k) => s[k].length).map((k) => `${k} ${s[k].join(', ')}`);
  const parts = [...one(ini.scope), ...ini.milestones.flatMap((m) => one(m.scope).map((p) => `${m.title}: ${p}`))];
  return parts.length ? parts.join('; ') : 'an empty scope';
}

const days = (m: EventTime): string => (m.median === null ? 'not reached' : `${m.median} d`);

/** Plain sentences, open questions first. */
export function initiativeSummary(r: InitiativeStatus): string[] {
  const out: string[] = [];
  for (const q of r.openQuestions)
    out.push(`Open question (${new Date(q.at).toISOString().slice(0, 10)}${q.by ? `, ${q.by}` : ''}): ${q.text}`);
  if (r.emptyScope) out.push(`"${r.title}": ${r.emptyScope}.`);
  for (const m of r.milestones) out.push(`Milestone "${m.title}"${m.release ? ` (${m.release})` : ''}: ${m.status} — ${m.evidence}.`);
  for (const s of r.stalls)
    out.push(
      `Stalled ${s.weeks} weeks from ${s.from.slice(0, 10)}${s.ongoing ? ' (still stalled)' : ` to ${s.to!.slice(0, 10)}`}: ${s.why}.`,
    );
  const b = r.blockers;
  if (b.vetoed.length) out.push(`Blocked by a −2: ${b.vetoed.map((v) => `change ${v.number} (${v.by})`).join(', ')}.`);
  if (b.unapprovedSpecs.length) out.push(`Specs not approved: ${b.unapprovedSpecs.map((s) => s.name).join(', ')}.`);
  if (b.waitingOnReviewers.length)
    out.push(
      `${b.waitingOnReviewers.length} change${b.waitingOnReviewers.length === 1 ? '' : 's'} waiting on reviewers longer than the project's median (${b.projectMedianReviewersDays} d).`,
    );
  const w = r.reviewWait;
  out.push(
    `Review wait: its changes waited a median ${days(w.initiative)} on reviewers against ${days(w.rest)} for the rest of the project${w.sample ? ` (a seeded sample of ${w.sample.rest} of its changes)` : ''}: ${w.vsRest.verdict}${w.vsRest.reason ? ` (${w.vsRest.reason})` : ''}${w.vsRest.low !== null && w.vsRest.monteCarlo ? `; difference ${w.vsRest.differenceDays} d, 95% CI ${w.vsRest.low} to ${w.vsRest.high} from ${w.vsRest.replicates} re-draws (another run could put the ends within ${w.vsRest.monteCarlo.low[0]} to ${w.vsRest.monteCarlo.low[1]} and ${w.vsRest.monteCarlo.high[0]} to ${w.vsRest.monteCarlo.high[1]})` : ''}.`,
  );
  const bugs = r.bugs.named.length + r.bugs.tagged.length;
  if (bugs)
    out.push(
      `Bugs: ${bugs} in scope (${r.bugs.named.length} named${r.bugs.tags.length ? `, ${r.bugs.tagged.length} tagged ${r.bugs.tags.join(', ')}` : ''}): ${r.bugs.fixed.length} fixed, ${r.bugs.open.length} open.`,
    );
  if (r.lastActivity) out.push(`Last activity: ${r.lastActivity.what}, ${r.lastActivity.at.slice(0, 10)}.`);
  return out;
}
