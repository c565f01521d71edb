/**
 * Why approved specs don't land (`steward specs report`): per release, the specs approved and
 * implemented, and for each spec that did not land the reason with its evidence, from the specs
 * repository's history (model/specs.ts), the code linked to each spec's blueprint (Gerrit changes
 * and git commits) and the review flow of those changes (queue-state.ts: the one definition of
 * waiting on reviewers, the author, CI or work in progress). Pure.
 *
 * Definitions (release R: its start, feature freeze FF and release day from the calendar):
 * - approved in R: every spec recorded under R's directory (approved/, implemented/, or the flat
 *   directory of the first releases), including any later deleted or moved away;
 * - landed (implemented): the spec was moved to (or added under) R's implemented/ directory;
 * - a spec's names ({@link specNames}): its blueprint (from its Launchpad URL, else its file
 *   name) and its file names (now, first, and through renames). One rule finds everything that
 *   belongs to it: a commit or change naming any of its names (any form of sources/links/
 *   blueprint-refs.ts) is its code, and a spec of another release sharing a name is the same work;
 * - the spec's changes in R: Gerrit changes naming it (any form but `Related-Blueprint:`), created
 *   before FF and not closed before R's start; its commits in R: commits naming it that reached the
 *   main line in [start, release);
 * - related work: commits and changes whose only link to it is a `Related-Blueprint:` trailer;
 *   counted apart (`related`), never as its code;
 * - re-proposals: specs of later releases sharing one of its names, or its file name;
 * - merged in R: a change merged before the release day, or a commit landed in [start, release).
 *
 * Reasons a spec did not land in R — causes within R only, the first that applies (all that apply
 * are listed too):
 * 1. `part-merged`: some of its code merged in R (a change or a commit), the spec is not implemented;
 * 2. `blocked`: at FF one of its open changes carried a −2 (Code-Review) on its current patch set;
 * 3. `no-code`: no change was proposed for it in R (and no commit landed);
 * 4. `no-core-review`: changes were proposed, but no core reviewer (core at the time of the
 *    review; any reviewer but the owner when no core team is configured) reviewed any before FF;
 * 5.–7. at FF its open changes waited; the change that had been waiting longest in its state at FF
 *    decides: on its author (`waited-on-author`: a negative review or a CI failure unanswered, or
 *    work in progress), on reviewers (`waited-on-reviewers`: the current patch set clean and
 *    unreviewed, or one +2 short), or on CI (`waited-on-ci`: CI running, or approved but not merged);
 * 8. `abandoned`: every change proposed for it was abandoned before FF;
 * 9. `undetermined`: the review data does not cover R (see `cannotTell`); `candidates` lists the
 *    reasons it could be.
 *
 * What happened afterwards (`outcome`, apart from the reason), the first that applies:
 * 1. `re-proposed-landed`: a spec of a later release sharing a name was implemented (in which
 *    release, how many releases after R);
 * 2. `landed-next-release`: not re-proposed, and its linked commits landed in the next release;
 * 3. `code-landed-later`: not re-proposed, and its linked commits landed in a release after the next;
 * 4. `re-proposed`: re-proposed, not implemented (yet);
 * 5. `nothing-later`: not re-proposed, and no linked commit landed after R (as far as the code
 *    history shows: without one, only re-proposals are seen).
 * "Landed in a release": the first release (calendar order) whose release day is after the time.
 *
 * Waits per spec: the time its changes in R spent in each flow state (queue-state.ts replay), from
 * each change's creation to its merge (when merged before the release day) or to FF; changes
 * running side by side add up.
 */
import type { FlowChange } from '../model/flow.js';
import { changeUrl } from '../model/flow.js';
import type { Timestamp } from '../model/records.js';
import type { HistoryWindow } from './code-history.js';
import type { ReleaseDates } from '../model/release-calendar.js';
import { findRelease } from '../model/release-calendar.js';
import type { SpecRecord, SpecRename, SpecState } from '../model/specs.js';
import { replayFlow, reviewActsOf, type FlowContext, type FlowPhase, type Replay } from './queue-state.js';
import { extractReviews } from './reviews.js';
import { DAY_MS, quantileSorted, round } from './stats.js';
import { clusterBootstrap, intervalVerdict, percentileInterval } from './stats/bootstrap.js';
import { seededRandom } from './stats/random.js';

export const SPEC_REASONS = [
  'part-merged',
  'blocked',
  'no-code',
  'no-core-review',
  'waited-on-author',
  'waited-on-reviewers',
  'waited-on-ci',
  'abandoned',
  'undetermined',
] as const;
export type SpecReason = (typeof SPEC_REASONS)[number];

/** What happened to a spec that did not land in its release, afterwards (see the module comment). */
export const SPEC_OUTCOMES = ['re-proposed-landed', 'landed-next-release', 'code-landed-later', 're-proposed', 'nothing-later'] as const;
export type SpecOutcomeKind = (typeof SPEC_OUTCOMES)[number];

/** The reasons only review data can tell apart (git history shows merged code only). */
export const REVIEW_ONLY_REASONS: readonly SpecReason[] = [
  'blocked',
  'no-code',
  'no-core-review',
  'waited-on-author',
  'waited-on-reviewers',
  'waited-on-ci',
  'abandoned',
];

/** A commit that names a blueprint, as the code history gives it. */
export interface LinkedCommit {
  hash: string;
  subject: string;
  /** When it reached the main line (the landing merge's time), epoch ms. */
  landedAt: Timestamp;
}

/** A Gerrit change whose only link to a blueprint is a `Related-Blueprint:` trailer. */
export interface RelatedChange {
  number: number;
  project: string;
  subject: string;
  status: string;
  created: Timestamp;
}

export interface SpecsReportInput {
  specs: readonly SpecRecord[];
  calendar: readonly ReleaseDates[];
  /** Gerrit changes that are part of each blueprint's work (lower-case name; any link but related), with votes, patch sets and flow messages. */
  changesByBlueprint: ReadonlyMap<string, readonly FlowChange[]>;
  /** Commits that are part of each blueprint's work (lower-case name; any link but related). */
  commitsByBlueprint: ReadonlyMap<string, readonly LinkedCommit[]>;
  /** Related work: commits and changes naming a blueprint only in a `Related-Blueprint:` trailer. */
  relatedCommitsByBlueprint?: ReadonlyMap<string, readonly LinkedCommit[]>;
  relatedChangesByBlueprint?: ReadonlyMap<string, readonly RelatedChange[]>;
  ctx: FlowContext;
  /** The core team at a time, or null when none is configured. */
  coreAt: (t: Timestamp) => ReadonlySet<number> | null;
  /** Whether the store's review data covers a release (changes created between its start and FF). */
  reviewDataCovers: (r: ReleaseDates) => boolean;
  /** Whether the store's code history covers a release (commits landed between its start and release day). */
  commitDataCovers: (r: ReleaseDates) => boolean;
  hostUrls: ReadonlyMap<string, string | null>;
  /**
   * The code history per release window (analysis/code-history.ts), when a repository is synced:
   * a release without review data gets the part of "is it review bandwidth?" git alone can show.
   */
  codeHistory?: readonly HistoryWindow[];
}

/**
 * "Is it review bandwidth?" from git alone, for a release without review data: its throughput and
 * author-to-landing times against the neighbouring release windows. Git cannot say what a change
 * waited on, so this shows only whether less landed, or landed more slowly, than around it.
 */
export interface GitBandwidth {
  /** What the figures rest on (always: git alone). */
  basis: 'git-alone';
  windows: Array<{
    release: string;
    merged: number;
    authors: number;
    medianDays: number | null;
    medianLower: number | null;
    medianUpper: number | null;
  }>;
  answer: string;
}

export interface SpecsReportOptions {
  /** One release (a directory name or calendar alias), or null for every release. */
  release: string | null;
  now: Timestamp;
}

export interface WaitTotals {
  reviewersDays: number;
  authorDays: number;
  ciDays: number;
  wipDays: number;
}

/** What one change looked like at FF, and the time it spent in each state. */
export interface SpecChange extends WaitTotals {
  number: number;
  project: string;
  url: string | null;
  subject: string;
  created: string;
  mergedAt: string | null;
  abandonedAt: string | null;
  /** At FF: merged, abandoned, or the state it was waiting in (reviewers, author, ci, approved, wip). */
  atFreeze: 'merged' | 'abandoned' | Exclude<FlowPhase, 'closed'>;
  /** How long it had been in that state at FF, in days (null when merged or abandoned). */
  waitingDays: number | null;
  /** At FF: the current patch set, its +2s, the humans whose vote was negative, a −2, CI's verdict. */
  patchSet: number | null;
  plusTwos: number;
  negativeReviews: number;
  blocked: boolean;
  ci: 'passed' | 'failed' | 'pending' | 'none' | null;
  /** Whether a core reviewer (see the module comment) reviewed it before FF. */
  coreReviewedBeforeFreeze: boolean;
}

export interface SpecCommits {
  /** Every linked commit, any time. */
  total: number;
  first: string | null;
  last: string | null;
  /** Those that landed in [start, release) of the spec's release. */
  inRelease: number;
  list: Array<{ hash: string; subject: string; landedAt: string }>;
}

/** What happened to a spec after its release (see the module comment). */
export interface SpecOutcome {
  outcome: SpecOutcomeKind;
  /** The release its work landed in (the re-proposal's, or the first after R with linked commits), or null. */
  release: string | null;
  /** How many releases after the spec's own that is (1: the next), or null. */
  releasesLater: number | null;
  /** Linked commits that landed after the spec's release day, per release; null without code history. */
  laterCommits: Array<{ release: string; commits: number }> | null;
  /** In a sentence. */
  text: string;
}

/** Work related to a spec (`Related-Blueprint:`), counted apart from its code. */
export interface SpecRelated {
  /** Related commits, any time; null without code history. */
  commits: number | null;
  /** Related Gerrit changes created before the release's feature freeze; null without review data. */
  changes: number | null;
  list: Array<{ hash: string; subject: string; landedAt: string }>;
}

export interface SpecEntry {
  release: string;
  path: string;
  blueprint: string;
  /** Every name that links code and other specs to it: the blueprint and the file names. */
  names: string[];
  blueprintUrl: string | null;
  title: string | null;
  state: SpecState;
  approvedAt: string;
  implementedAt: string | null;
  removedAt: string | null;
  renames: Array<Omit<SpecRename, 'at'> & { at: string }>;
  landed: boolean;
  /** Releases before this one whose specs name the same blueprint (this spec is a re-proposal). */
  earlierReleases: string[];
  /** Later releases whose specs name the same blueprint, and whether it was implemented there. */
  reProposals: Array<{ release: string; path: string; approvedAt: string; implementedAt: string | null }>;
  /** Linked Gerrit changes in the release; null when the review data does not cover it. */
  changes: SpecChange[] | null;
  /** Linked commits; null when the code history does not cover the release. */
  commits: SpecCommits | null;
  /** Related work (`Related-Blueprint:`), not counted in `changes` or `commits`. */
  related: SpecRelated;
  /** Sums over `changes`; null without review data. */
  waits: WaitTotals | null;
  /** Why it did not land in its release (causes within the release); null for a landed spec. */
  reason: SpecReason | null;
  reasons: SpecReason[];
  /** For `undetermined`: the reasons it could be. */
  candidates: SpecReason[] | null;
  /** The evidence for the reasons, in a sentence. */
  evidence: string | null;
  /** What happened afterwards; null for a landed spec. */
  outcome: SpecOutcome | null;
}

export interface ReasonCount {
  reason: SpecReason;
  /** Specs whose first reason this is. */
  specs: number;
  /** Share of the release's non-landed specs. */
  share: number | null;
  /** Specs it applies to at all (first reason or not). */
  applies: number;
}

export interface WaitGroup extends WaitTotals {
  specs: number;
  /** Specs with at least one change in the release. */
  withCode: number;
  medianReviewersDays: number | null;
  medianAuthorDays: number | null;
  /** reviewersDays / (reviewersDays + authorDays). */
  reviewerShare: number | null;
  /**
   * 95% interval of `reviewerShare` from a bootstrap over the specs with code (each spec resampled
   * whole, 2,000 resamples, seed 1); null with fewer than two such specs.
   */
  reviewerShareInterval: { lower: number; upper: number } | null;
  /** Specs with code whose changes waited longer on reviewers than on their authors. */
  mostlyOnReviewers: number;
  /**
   * What the interval allows: `reviewers` (entirely above 50%), `authors` (entirely below), or
   * `cannot-tell` (it spans 50%, or there are too few specs for one).
   */
  verdict: 'reviewers' | 'authors' | 'cannot-tell';
}

export interface ReleaseSummary {
  release: string;
  start: string;
  featureFreeze: string;
  releaseDate: string;
  /** The report's time is before the feature freeze: states and reasons are as of now, not at the freeze. */
  inProgress: boolean;
  approved: number;
  implemented: number;
  notLanded: number;
  implementedShare: number | null;
  notLandedShare: number | null;
  /** Approved specs later deleted or moved away (counted in approved and notLanded). */
  removed: number;
  /** Of the non-landed: re-proposed (approved again later), and of those implemented later. */
  reProposed: number;
  landedLater: number;
  /** Of the non-landed, not re-proposed: those whose linked commits landed in a later release. */
  codeLandedLater: number;
  /** Of the non-landed: how many had each outcome (every outcome, zeros included). */
  outcomes: Array<{ outcome: SpecOutcomeKind; specs: number }>;
  reviewData: boolean;
  commitData: boolean;
  reasons: ReasonCount[];
  /** Landed against non-landed: the time their changes waited on reviewers and on authors; null without review data. */
  bandwidth: { landed: WaitGroup; notLanded: WaitGroup; answer: string } | null;
  /** Without review data, with code history: throughput and landing times against the neighbouring windows (git alone); else null. */
  gitBandwidth: GitBandwidth | null;
  /** Which reasons this release's data cannot tell apart, or null when it can tell them all. */
  cannotTell: string | null;
}

export interface SpecsReport {
  releases: ReleaseSummary[];
  /** Per spec, for the release asked for (empty without one). */
  specs: SpecEntry[];
  /** Release directories the calendar does not know: their specs are left out of the report. */
  unknownReleases: Array<{ release: string; specs: number }>;
}

const fileStem = (p: string): string =>
  p
    .slice(p.lastIndexOf('/') + 1)
    .replace(/\.rst$/i, '')
    .toLowerCase();

type Named = Pick<SpecRecord, 'blueprint' | 'blueprintUrl' | 'path' | 'firstPath' | 'renames'>;

/**
 * The names each spec of `specs` goes by: its blueprint (lower-case; from its own Launchpad URL,
 * else its file name), then its file names without `.rst` — now, when first added and through
 * every rename — except a file name that is another spec's blueprint URL name (the URL is the
 * stronger claim: nova's Liberty `virt-driver-cpu-pinning.rst` is blueprint
 * `virt-driver-cpu-thread-pinning`, and `virt-driver-cpu-pinning` is Kilo's blueprint). A commit
 * or change naming any of a spec's names is its code, and specs sharing one are the same work.
 *
 * @example specNamesOf(specs)({ blueprint: 'inject-nmi', blueprintUrl: '…/+spec/inject-nmi', path: 'specs/liberty/approved/nmi.rst', … })
 * // ['inject-nmi', 'nmi']
 */
export function specNamesOf(specs: readonly Named[]): (s: Named) => string[] {
  const byUrl = new Set(specs.filter((s) => s.blueprintUrl !== null).map((s) => s.blueprint));
  return (s) => {
    const stems = [fileStem(s.path), fileStem(s.firstPath), ...s.renames.flatMap((r) => [fileStem(r.from), fileStem(r.to)])];
    return [...new Set([s.blueprint, ...stems.filter((n) => n !== '' && (n === s.blueprint || !byUrl.has(n)))])];
  };
}
/** Change numbers for a sentence: the first eight, then how many more. */
const numbers = (ns: readonly number[]): string =>
  ns.length <= 8 ? ns.join(', ') : `${ns.slice(0, 8).join(', ')} and ${ns.length - 8} more`;
const iso = (t: Timestamp | null): string | null => (t === null ? null : new Date(t).toISOString());
const days = (ms: number): number => round(ms / DAY_MS, 2) ?? 0;
const median = (xs: number[]): number | null =>
  round(
    quantileSorted(
      [...xs].sort((a, b) => a - b),
      0.5,
    ),
    2,
  );

function sumPhases(replay: Replay): WaitTotals {
  const t = { reviewers: 0, author: 0, ci: 0, approved: 0, wip: 0, closed: 0 };
  for (const s of replay.segments) t[s.phase] += s.to - s.from;
  // As in `steward waits`: approved, waiting to merge, is waiting on CI (the gate).
  return { reviewersDays: days(t.reviewers), authorDays: days(t.author), ciDays: days(t.ci + t.approved), wipDays: days(t.wip) };
}

/** How long the replay's final state had lasted at its stop. */
function trailingWait(replay: Replay): number {
  const segs = replay.segments;
  if (!segs.length) return 0;
  const phase = segs[segs.length - 1]!.phase;
  let from = segs[segs.length - 1]!.from;
  for (let i = segs.length - 2; i >= 0 && segs[i]!.phase === phase && segs[i]!.to === from; i--) from = segs[i]!.from;
  return replay.stop - from;
}

const addTotals = (a: WaitTotals, b: WaitTotals): WaitTotals => ({
  reviewersDays: round(a.reviewersDays + b.reviewersDays, 2) ?? 0,
  authorDays: round(a.authorDays + b.authorDays, 2) ?? 0,
  ciDays: round(a.ciDays + b.ciDays, 2) ?? 0,
  wipDays: round(a.wipDays + b.wipDays, 2) ?? 0,
});
const ZERO: WaitTotals = { reviewersDays: 0, authorDays: 0, ciDays: 0, wipDays: 0 };

const STATE_WORDS: Record<string, string> = {
  reviewers: 'waited on reviewers',
  author: 'waited on its author',
  wip: 'was work in progress',
  ci: 'waited on CI',
  approved: 'was approved and waiting for the gate to merge it',
};

/** A spec as it stood at `now`: an implementation or removal after it has not happened yet. */
function specAsOf(s: SpecRecord, now: Timestamp): SpecRecord {
  const implemented = s.implementedAt !== null && s.implementedAt <= now;
  const removed = s.removedAt !== null && s.removedAt <= now;
  if (implemented === (s.implementedAt !== null) && removed === (s.removedAt !== null)) return s;
  return {
    ...s,
    implementedAt: implemented ? s.implementedAt : null,
    implementedCommit: implemented ? s.implementedCommit : null,
    removedAt: removed ? s.removedAt : null,
    state: removed ? 'removed' : implemented ? 'implemented' : 'approved',
  };
}

/** Computes the specs report as of `opts.now`. Pure. */
export function computeSpecsReport(input0: SpecsReportInput, opts: SpecsReportOptions): SpecsReport {
  // As of `now`: specs approved later do not exist yet, implementations and removals after it have
  // not happened, and commits landed after it are not there.
  const now = opts.now;
  const input: SpecsReportInput = {
    ...input0,
    specs: input0.specs.filter((s) => s.approvedAt <= now).map((s) => specAsOf(s, now)),
    commitsByBlueprint: new Map([...input0.commitsByBlueprint].map(([k, v]) => [k, v.filter((c) => c.landedAt <= now)])),
  };
  const calendar = [...input.calendar].sort((a, b) => a.release - b.release);
  const releaseOf = new Map<string, ReleaseDates | null>();
  for (const s of input.specs)
    if (s.release !== null && !releaseOf.has(s.release)) releaseOf.set(s.release, findRelease(calendar, s.release));
  const unknown = new Map<string, number>();
  for (const s of input.specs)
    if (s.release !== null && !releaseOf.get(s.release)) unknown.set(s.release, (unknown.get(s.release) ?? 0) + 1);

  // The same work, for re-proposals: specs sharing a name (a spec re-proposed under its old file
  // name while its URL changed, or the reverse), or the same file name (nova's openapi.rst, one
  // blueprint per cycle: openapi, openapi-2, openapi-3…).
  const specNames = specNamesOf(input0.specs);
  const byName = new Map<string, SpecRecord[]>();
  for (const s of input.specs) {
    if (s.release === null || !releaseOf.get(s.release)) continue;
    for (const n of [...specNames(s), `file:${fileStem(s.path)}`]) {
      const l = byName.get(n);
      if (!l) byName.set(n, [s]);
      else if (!l.includes(s)) l.push(s);
    }
  }

  let wanted: ReleaseDates | null = null;
  if (opts.release !== null) wanted = findRelease(calendar, opts.release);
  const dirsOf = (r: ReleaseDates): string[] => [...releaseOf.entries()].filter(([, v]) => v === r).map(([k]) => k);
  const inCalendar = calendar.filter((r) => dirsOf(r).length > 0 || r === wanted);

  const summaries: ReleaseSummary[] = [];
  let entriesOut: SpecEntry[] = [];
  for (const r of inCalendar) {
    if (wanted && r !== wanted) continue;
    const entries = input.specs
      .filter((s) => s.release !== null && releaseOf.get(s.release) === r)
      .map((s) => specEntry(s, specNames(s), r, input, releaseOf, byName, calendar, now))
      .sort((a, b) => (a.landed === b.landed ? (a.path < b.path ? -1 : 1) : a.landed ? 1 : -1));
    summaries.push(summarize(r, entries, input, now));
    if (wanted) entriesOut = entries;
  }
  return {
    releases: summaries,
    specs: entriesOut,
    unknownReleases: [...unknown.entries()]
      .map(([release, specs]) => ({ release, specs }))
      .sort((a, b) => (a.release < b.release ? -1 : 1)),
  };
}

/** Everything `byName` holds under any of `names`, each once (by `key`). */
function gather<T>(byName: ReadonlyMap<string, readonly T[]> | undefined, names: readonly string[], key: (x: T) => unknown): T[] {
  const seen = new Set<unknown>();
  const out: T[] = [];
  for (const n of names) {
    for (const x of byName?.get(n) ?? []) {
      const k = key(x);
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(x);
    }
  }
  return out;
}

/** The release a time falls in: the first (calendar order) whose release day is after it, or null past the calendar's end. */
function releaseAt(calendar: readonly ReleaseDates[], t: Timestamp): ReleaseDates | null {
  return calendar.find((r) => t < r.release) ?? null;
}

function specEntry(
  s: SpecRecord,
  names: string[],
  r: ReleaseDates,
  input: SpecsReportInput,
  releaseOf: ReadonlyMap<string, ReleaseDates | null>,
  byName: ReadonlyMap<string, SpecRecord[]>,
  calendar: readonly ReleaseDates[],
  now: Timestamp,
): SpecEntry {
  // Before the freeze (or the release day), the report looks at the release as it stands now.
  const rc: ReleaseDates = { ...r, featureFreeze: Math.min(r.featureFreeze, now), release: Math.min(r.release, now) };
  const atFreeze = rc.featureFreeze < r.featureFreeze ? 'now (before the feature freeze)' : 'at the feature freeze';
  const landed = s.implementedAt !== null;
  const same = gather(byName, [...names, `file:${fileStem(s.path)}`], (x) => x).filter((x) => x !== s);
  const later = same.filter((x) => releaseOf.get(x.release!)!.release > r.release).sort((a, b) => a.approvedAt - b.approvedAt);
  const earlier = same.filter((x) => releaseOf.get(x.release!)!.release < r.release);
  const reviewData = input.reviewDataCovers(r);
  const commitData = input.commitDataCovers(r);

  // Code: changes proposed before FF and not closed before the start.
  let changes: SpecChange[] | null = null;
  let waits: WaitTotals | null = null;
  const ownChanges = gather(input.changesByBlueprint, names, (c) => c.id);
  if (reviewData) {
    const linked = ownChanges.filter((c) => {
      const end = c.mergedAt ?? (c.status === 'ABANDONED' ? c.abandonedAt : null);
      return c.created < rc.featureFreeze && (end === null || end >= r.start);
    });
    changes = linked.map((c) => changeAtFreeze(c, rc, input));
    waits = changes.reduce<WaitTotals>((a, c) => addTotals(a, c), ZERO);
  }
  // Related work: what names the spec only in a Related-Blueprint trailer (under none of its names as its code).
  const ownHashes = new Set(gather(input.commitsByBlueprint, names, (c) => c.hash).map((c) => c.hash));
  const ownIds = new Set(ownChanges.map((c) => `${c.project}#${c.number}`));
  const relatedCommits = gather(input.relatedCommitsByBlueprint, names, (c) => c.hash)
    .filter((c) => !ownHashes.has(c.hash))
    .sort((a, b) => a.landedAt - b.landedAt);
  const relatedChanges = gather(input.relatedChangesByBlueprint, names, (c) => `${c.project}#${c.number}`).filter(
    (c) => !ownIds.has(`${c.project}#${c.number}`) && c.created < rc.featureFreeze,
  );
  const related: SpecRelated = {
    commits: commitData ? relatedCommits.length : null,
    changes: reviewData ? relatedChanges.length : null,
    list: commitData ? relatedCommits.map((c) => ({ hash: c.hash, subject: c.subject, landedAt: iso(c.landedAt)! })) : [],
  };
  let commits: SpecCommits | null = null;
  let all: LinkedCommit[] = [];
  if (commitData) {
    all = gather(input.commitsByBlueprint, names, (c) => c.hash).sort((a, b) => a.landedAt - b.landedAt || (a.hash < b.hash ? -1 : 1));
    const inRelease = all.filter((c) => c.landedAt >= r.start && c.landedAt < rc.release);
    commits = {
      total: all.length,
      first: iso(all[0]?.landedAt ?? null),
      last: iso(all[all.length - 1]?.landedAt ?? null),
      inRelease: inRelease.length,
      list: all.map((c) => ({ hash: c.hash, subject: c.subject, landedAt: iso(c.landedAt)! })),
    };
  }

  const base = {
    release: s.release!,
    path: s.path,
    blueprint: s.blueprint,
    names,
    blueprintUrl: s.blueprintUrl,
    title: s.title,
    state: s.state,
    approvedAt: iso(s.approvedAt)!,
    implementedAt: iso(s.implementedAt),
    removedAt: iso(s.removedAt),
    renames: s.renames.map((x) => ({ ...x, at: iso(x.at)! })),
    landed,
    earlierReleases: [...new Set(earlier.map((x) => x.release!))],
    reProposals: later.map((x) => ({
      release: x.release!,
      path: x.path,
      approvedAt: iso(x.approvedAt)!,
      implementedAt: iso(x.implementedAt),
    })),
    changes,
    commits,
    related,
    waits,
  };
  if (landed) return { ...base, reason: null, reasons: [], candidates: null, evidence: null, outcome: null };

  const reasons: SpecReason[] = [];
  const evidence: string[] = [];
  const outcome = outcomeOf(r, later, commitData ? all : null, calendar, releaseOf);
  const mergedChanges = (changes ?? []).filter((c) => c.mergedAt !== null && Date.parse(c.mergedAt) < rc.release);
  if (mergedChanges.length || (commits && commits.inRelease > 0)) {
    reasons.push('part-merged');
    const parts: string[] = [];
    if (mergedChanges.length)
      parts.push(`${mergedChanges.length} of its ${changes!.length} change(s) merged (${numbers(mergedChanges.map((c) => c.number))})`);
    if (commits && commits.inRelease > 0) parts.push(`${commits.inRelease} linked commit(s) landed in ${r.name}`);
    evidence.push(`${parts.join('; ')}, but the spec was not moved to implemented/`);
  }

  let candidates: SpecReason[] | null = null;
  if (changes) {
    const open = changes.filter((c) => c.atFreeze !== 'merged' && c.atFreeze !== 'abandoned');
    const blocked = open.filter((c) => c.blocked);
    if (blocked.length) {
      reasons.push('blocked');
      evidence.push(`${atFreeze} change ${numbers(blocked.map((c) => c.number))} carried a -2`);
    }
    if (changes.length === 0 && !(commits && commits.inRelease > 0)) {
      reasons.push('no-code');
      evidence.push(
        `no change linked to blueprint ${s.blueprint} was proposed before ${rc.featureFreeze < r.featureFreeze ? 'now' : `the feature freeze (${iso(r.featureFreeze)!.slice(0, 10)})`}`,
      );
    } else if (changes.length > 0) {
      if (!changes.some((c) => c.coreReviewedBeforeFreeze)) {
        reasons.push('no-core-review');
        evidence.push(
          `${changes.length} change(s) proposed (${numbers(changes.map((c) => c.number))}), none reviewed by a core reviewer before ${rc.featureFreeze < r.featureFreeze ? 'now' : 'the feature freeze'}`,
        );
      }
      if (open.length) {
        const stuck = [...open].sort((a, b) => (b.waitingDays ?? 0) - (a.waitingDays ?? 0) || a.number - b.number)[0]!;
        const reason: SpecReason =
          stuck.atFreeze === 'author' || stuck.atFreeze === 'wip'
            ? 'waited-on-author'
            : stuck.atFreeze === 'reviewers'
              ? 'waited-on-reviewers'
              : 'waited-on-ci';
        reasons.push(reason);
        const detail =
          stuck.atFreeze === 'reviewers'
            ? stuck.plusTwos === 1
              ? ' (one +2 short)'
              : ' (latest patch set clean and unreviewed)'
            : stuck.atFreeze === 'author'
              ? stuck.negativeReviews > 0
                ? ` (a negative review unanswered)`
                : stuck.ci === 'failed'
                  ? ' (a CI failure unanswered)'
                  : ''
              : '';
        evidence.push(`${atFreeze} change ${stuck.number} ${STATE_WORDS[stuck.atFreeze]} for ${stuck.waitingDays} days${detail}`);
      } else if (!mergedChanges.length) {
        reasons.push('abandoned');
        evidence.push(`its ${changes.length} change(s) were abandoned before the feature freeze`);
      }
    }
  } else {
    candidates = REVIEW_ONLY_REASONS.filter((x) => x !== 'no-code' || !(commits && commits.inRelease > 0));
  }
  if (reasons.length === 0) {
    reasons.push('undetermined');
    // Says only what the evidence supports: with linked commits outside the release, its code was
    // proposed at some time, so "never proposed" would contradict them.
    const unknown = `there is no review data for ${r.name}, so whether changes for it were proposed before ${rc.featureFreeze < r.featureFreeze ? 'now' : 'the feature freeze'} and waited on reviewers, its author or CI, or were blocked, cannot be told`;
    evidence.push(
      !commits
        ? `neither review data nor code history covers ${r.name}`
        : commits.total === 0
          ? `no commit linked to it landed at any time, and ${unknown}: its code may never have been proposed`
          : `none of its ${commits.total} linked commit(s) landed in ${r.name} (they landed ${day(commits.first)}${commits.first === commits.last ? '' : ` to ${day(commits.last)}`}), and ${unknown}`,
    );
  }
  return {
    ...base,
    reason: reasons[0]!,
    reasons,
    candidates: reasons[0] === 'undetermined' ? candidates : null,
    evidence: evidence.join('; '),
    outcome,
  };
}

const day = (isoTime: string | null): string => (isoTime === null ? '-' : isoTime.slice(0, 10));
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** What happened after release `r` to a spec that did not land in it (see the module comment). */
function outcomeOf(
  r: ReleaseDates,
  later: readonly SpecRecord[],
  commits: readonly LinkedCommit[] | null,
  calendar: readonly ReleaseDates[],
  releaseOf: ReadonlyMap<string, ReleaseDates | null>,
): SpecOutcome {
  const index = (x: ReleaseDates): number => calendar.indexOf(x);
  const after = (commits ?? []).filter((c) => c.landedAt >= r.release);
  const perRelease = new Map<string, { release: ReleaseDates | null; commits: number }>();
  for (const c of after) {
    const at = releaseAt(calendar, c.landedAt);
    const key = at?.name ?? '(after the calendar)';
    const had = perRelease.get(key);
    if (had) had.commits += 1;
    else perRelease.set(key, { release: at, commits: 1 });
  }
  const laterCommits = commits === null ? null : [...perRelease].map(([release, x]) => ({ release, commits: x.commits }));
  const commitText = (): string =>
    `${plural(after.length, 'linked commit')} landed after ${r.name} (${laterCommits!.map((x) => `${x.release} ${x.commits}`).join(', ')})`;

  const landedIn = later.find((x) => x.implementedAt !== null);
  if (landedIn) {
    const lr = releaseOf.get(landedIn.release!)!;
    const n = index(lr) - index(r);
    return {
      outcome: 're-proposed-landed',
      release: lr.name,
      releasesLater: n,
      laterCommits,
      text: `re-proposed for ${landedIn.release} and implemented there on ${day(iso(landedIn.implementedAt))} (${n === 1 ? 'the next release' : `${n} releases later`}; ${landedIn.path})`,
    };
  }
  if (later.length) {
    return {
      outcome: 're-proposed',
      release: null,
      releasesLater: null,
      laterCommits,
      text: `re-proposed for ${[...new Set(later.map((x) => x.release!))].join(', ')}, not implemented there${after.length ? `; ${commitText()}` : ''}`,
    };
  }
  const first = [...perRelease.values()][0];
  if (first?.release) {
    const n = index(first.release) - index(r);
    return {
      outcome: n === 1 ? 'landed-next-release' : 'code-landed-later',
      release: first.release.name,
      releasesLater: n,
      laterCommits,
      text: `not re-proposed; its code landed ${n === 1 ? `in the next release, ${first.release.name}` : `from ${first.release.name} on, ${n} releases later`}: ${commitText()}`,
    };
  }
  return {
    outcome: 'nothing-later',
    release: null,
    releasesLater: null,
    laterCommits,
    text:
      commits === null
        ? 'not re-proposed (without code history, later code cannot be seen)'
        : `not re-proposed, and no linked commit landed after ${r.name}`,
  };
}

function changeAtFreeze(c: FlowChange, r: ReleaseDates, input: SpecsReportInput): SpecChange {
  const ff = r.featureFreeze;
  const atFf = replayFlow(c, input.ctx, ff);
  const mergedBeforeFf = c.mergedAt !== null && c.mergedAt <= ff;
  const abandonedBeforeFf = !mergedBeforeFf && c.status === 'ABANDONED' && c.abandonedAt !== null && c.abandonedAt <= ff;
  const horizon = c.mergedAt !== null && c.mergedAt < r.release ? c.mergedAt : ff;
  const waits = sumPhases(horizon === ff ? atFf : replayFlow(c, input.ctx, horizon));
  const reviews = extractReviews(reviewActsOf(c), input.ctx.isBot).reviews.filter((x) => x.at < ff);
  const coreReviewed = reviews.some((x) => {
    const cores = input.coreAt(x.at);
    return cores === null ? true : cores.has(x.reviewerId);
  });
  const open = !mergedBeforeFf && !abandonedBeforeFf && atFf.final.state !== 'closed';
  const f = atFf.final;
  return {
    number: c.number,
    project: c.project,
    url: changeUrl(input.hostUrls.get(c.host), c.project, c.number),
    subject: c.subject,
    created: iso(c.created)!,
    mergedAt: iso(c.mergedAt),
    abandonedAt: c.status === 'ABANDONED' ? iso(c.abandonedAt) : null,
    atFreeze: mergedBeforeFf ? 'merged' : !open ? 'abandoned' : (f.state as Exclude<FlowPhase, 'closed'>),
    waitingDays: open ? days(trailingWait(atFf)) : null,
    patchSet: open ? f.patchSet : null,
    plusTwos: open ? f.plusTwos.length : 0,
    negativeReviews: open ? f.negativeReviewers.length : 0,
    blocked: open && f.blocked,
    ci: open ? f.ci : null,
    coreReviewedBeforeFreeze: coreReviewed,
    ...waits,
  };
}

function waitGroup(entries: readonly SpecEntry[]): WaitGroup {
  const withWaits = entries.filter((e) => e.waits !== null);
  const t = withWaits.reduce<WaitTotals>((a, e) => addTotals(a, e.waits!), ZERO);
  const coded = withWaits.filter((e) => (e.changes?.length ?? 0) > 0);
  const denom = t.reviewersDays + t.authorDays;
  const share = reviewerShareOf(
    coded.map((e) => ({ spec: e.path, reviewersDays: e.waits!.reviewersDays, authorDays: e.waits!.authorDays })),
  );
  return {
    specs: entries.length,
    withCode: coded.length,
    ...t,
    medianReviewersDays: median(coded.map((e) => e.waits!.reviewersDays)),
    medianAuthorDays: median(coded.map((e) => e.waits!.authorDays)),
    reviewerShare: denom > 0 ? round(t.reviewersDays / denom, 3) : null,
    ...share,
  };
}

/** One spec's waiting, for {@link reviewerShareOf}. */
export interface SpecWaiting {
  spec: string;
  reviewersDays: number;
  authorDays: number;
}

/**
 * Whether specs' changes waited mostly on reviewers: the 95% interval of the pooled share
 * Σ reviewers / Σ (reviewers + author) from a bootstrap that resamples whole specs (2,000
 * resamples, seed 1), its verdict against 50%, and how many specs waited longer on reviewers than
 * on their authors. The specs, not the days, are the sample: a few large specs cannot make the
 * answer look certain.
 *
 * @example reviewerShareOf([{ spec: 'a', reviewersDays: 9, authorDays: 1 }, { spec: 'b', reviewersDays: 1, authorDays: 9 }])
 *   // → { reviewerShareInterval: { lower: 0.1, upper: 0.9 }, mostlyOnReviewers: 1, verdict: 'cannot-tell' }
 */
export function reviewerShareOf(specs: readonly SpecWaiting[]): Pick<WaitGroup, 'reviewerShareInterval' | 'mostlyOnReviewers' | 'verdict'> {
  const pooled = (sample: readonly SpecWaiting[]): number | null => {
    let rev = 0;
    let both = 0;
    for (const e of sample) {
      rev += e.reviewersDays;
      both += e.reviewersDays + e.authorDays;
    }
    return both > 0 ? rev / both : null;
  };
  let interval: WaitGroup['reviewerShareInterval'] = null;
  if (specs.length >= 2) {
    const reps = clusterBootstrap(specs, (e) => e.spec, pooled, { random: seededRandom(1), replicates: 2000 });
    const iv = percentileInterval(reps.values);
    if (iv) interval = { lower: round(iv.lower, 3)!, upper: round(iv.upper, 3)! };
  }
  const verdict = intervalVerdict(interval, 0.5);
  return {
    reviewerShareInterval: interval,
    mostlyOnReviewers: specs.filter((e) => e.reviewersDays > e.authorDays).length,
    verdict: verdict === 'above' ? 'reviewers' : verdict === 'below' ? 'authors' : 'cannot-tell',
  };
}

function summarize(r: ReleaseDates, entries: readonly SpecEntry[], input: SpecsReportInput, now: Timestamp): ReleaseSummary {
  const approved = entries.length;
  const implemented = entries.filter((e) => e.landed).length;
  const notLanded = entries.filter((e) => !e.landed);
  const reviewData = input.reviewDataCovers(r);
  const commitData = input.commitDataCovers(r);
  const share = (n: number, d: number) => (d > 0 ? round(n / d, 3) : null);
  const reasons: ReasonCount[] = SPEC_REASONS.map((reason) => {
    const n = notLanded.filter((e) => e.reason === reason).length;
    return { reason, specs: n, share: share(n, notLanded.length), applies: notLanded.filter((e) => e.reasons.includes(reason)).length };
  }).filter((x) => x.applies > 0);

  let bandwidth: ReleaseSummary['bandwidth'] = null;
  if (reviewData) {
    const landed = waitGroup(entries.filter((e) => e.landed));
    const not = waitGroup(notLanded);
    let answer: string;
    if (not.withCode === 0) answer = 'no non-landed spec had code under review: review bandwidth was not what stopped them';
    else if (not.reviewerShare === null) answer = "the non-landed specs' changes spent no time waiting on reviewers or authors";
    else {
      const pctOf = (x: number) => `${Math.round(x * 100)}%`;
      const iv = not.reviewerShareInterval;
      const conclusion =
        not.verdict === 'reviewers'
          ? 'they waited mostly on reviewers: review bandwidth is associated with their not landing'
          : not.verdict === 'authors'
            ? 'they waited mostly on their authors, not on reviewers'
            : iv
              ? 'cannot tell whether they waited mostly on reviewers or on their authors (the interval spans 50%)'
              : 'cannot tell whether they waited mostly on reviewers or on their authors (too few specs with code for an interval)';
      answer =
        `the non-landed specs' changes spent ${pctOf(not.reviewerShare)} of their waiting (reviewers + author) on reviewers` +
        (iv ? ` (95% interval ${pctOf(iv.lower)}–${pctOf(iv.upper)}, resampling the ${not.withCode} specs with code)` : '') +
        (landed.reviewerShare !== null ? ` against ${pctOf(landed.reviewerShare)} for the landed ones` : '') +
        `; ${not.mostlyOnReviewers} of ${not.withCode} waited mostly on reviewers: ${conclusion}`;
    }
    bandwidth = { landed, notLanded: not, answer };
  }
  const gitBandwidth = reviewData ? null : gitOnlyBandwidth(r, input.codeHistory ?? []);
  const cannotTell = reviewData
    ? null
    : `without review data for ${r.name}, ${REVIEW_ONLY_REASONS.join(', ')} cannot be told apart: ` +
      (commitData
        ? 'the specs not part-merged are "undetermined"'
        : 'without code history for it either, part-merged cannot be seen, and every spec that did not land is "undetermined"');
  return {
    release: r.name,
    start: iso(r.start)!,
    featureFreeze: iso(r.featureFreeze)!,
    releaseDate: iso(r.release)!,
    inProgress: now < r.featureFreeze,
    approved,
    implemented,
    notLanded: notLanded.length,
    implementedShare: share(implemented, approved),
    notLandedShare: share(notLanded.length, approved),
    removed: entries.filter((e) => e.state === 'removed' && !e.landed).length,
    reProposed: notLanded.filter((e) => e.reProposals.length > 0).length,
    landedLater: notLanded.filter((e) => e.outcome?.outcome === 're-proposed-landed').length,
    codeLandedLater: notLanded.filter((e) => e.outcome?.outcome === 'landed-next-release' || e.outcome?.outcome === 'code-landed-later')
      .length,
    outcomes: SPEC_OUTCOMES.map((outcome) => ({ outcome, specs: notLanded.filter((e) => e.outcome?.outcome === outcome).length })),
    reviewData,
    commitData,
    reasons,
    bandwidth,
    gitBandwidth,
    cannotTell,
  };
}

/** The git-alone comparison of a release's window with its neighbours (see {@link GitBandwidth}); null when the history does not reach it. */
function gitOnlyBandwidth(r: ReleaseDates, history: readonly HistoryWindow[]): GitBandwidth | null {
  const at = history.findIndex((w) => w.release === r.name);
  if (at < 0) return null;
  const near = history.slice(Math.max(0, at - 1), at + 2);
  const self = history[at]!;
  const others = near.filter((w) => w !== self && !w.inProgress);
  const windows = near.map((w) => ({
    release: w.release,
    merged: w.merged,
    authors: w.authors,
    medianDays: w.landingTime.median.days,
    medianLower: w.landingTime.median.lower,
    medianUpper: w.landingTime.median.upper,
  }));
  const list = (f: (w: HistoryWindow) => string) => others.map((w) => `${f(w)} in ${w.release}`).join(' and ');
  let answer = `from git alone: ${self.merged} commits landed in ${r.name}'s window${self.inProgress ? ' so far' : ''}, by ${self.authors} authors (addresses)`;
  if (others.length) answer += `, against ${list((w) => `${w.merged} by ${w.authors}`)}`;
  const m = self.landingTime.median;
  if (m.days !== null) {
    answer += `; median ${m.days} days from author date to landing [${m.lower ?? '?'}, ${m.upper ?? '?'}]`;
    const slower = others.filter((w) => m.lower !== null && w.landingTime.median.upper !== null && m.lower > w.landingTime.median.upper);
    const faster = others.filter((w) => m.upper !== null && w.landingTime.median.lower !== null && m.upper < w.landingTime.median.lower);
    if (others.length)
      answer += ` against ${list((w) => `${w.landingTime.median.days ?? '-'}`)}: ${
        slower.length === others.length
          ? 'commits took longer to land than in the neighbouring releases'
          : faster.length === others.length
            ? 'commits landed faster than in the neighbouring releases'
            : 'cannot tell apart from its neighbours (the intervals overlap or point both ways)'
      }`;
  }
  answer += '. What the changes waited on (reviewers or authors) needs review data';
  return { basis: 'git-alone', windows, answer };
}
