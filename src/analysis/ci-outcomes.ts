/**
 * What each CI run tells about the code: every failure is a false failure (the code was fine), a
 * caught regression, or unexplained; and which runs were rechecks. Definitions (docs/ci.md, "CI
 * health"):
 *
 * - **Counted runs.** A run counts when it has a verdict on the code: SUCCESS (a pass) or any
 *   failure word (FAILURE, TIMED_OUT, POST_FAILURE, NODE_FAILURE, RETRY_LIMIT, ERROR, LOST, …).
 *   SKIPPED, CANCELED, ABORTED, DEQUEUED and merge failures (MERGER_FAILURE, MERGE_CONFLICT,
 *   CONFIG_ERROR, NO_JOBS) are not counted: the job did not judge the code.
 * - **Same code.** A patch set has the same code as the one before it when Gerrit calls it a
 *   TRIVIAL_REBASE (with or without a message update), NO_CODE_CHANGE or NO_CHANGE.
 * - **False failure.** A counted failure of job J on patch set P is false when
 *   (a) J passed later on P, or on a later patch set with the same code as P (a recheck or a
 *       trivial rebase passed) — `passed-later`;
 *   (b) the change merged with P's code: P, or a later patch set with the same code, merged —
 *       `merged-unchanged`;
 *   (c) the run was in a gate pipeline and P carried an approval (+A) when it ran — `gate-approved`.
 * - **Known-fine run.** A counted run whose code is known to be fine whatever the job: its patch
 *   set merged unchanged (rule b), or it is a gate run of an approved change (rule c). Rates are
 *   computed over these runs, so that voting and non-voting jobs compare fairly: rule (a) favours
 *   voting jobs, whose failures are always rechecked until they pass, while nobody rechecks a
 *   non-voting job.
 * - **Revision check.** The situations in which job J could catch a regression: J ran on code C
 *   (its last run there outside gate pipelines, on patch set P), every other voting job that ran on
 *   P in a named check-like pipeline passed its last run there, the change was then revised (the
 *   next patch set has different code) and J's first counted run on the revised code passed.
 * - **Caught regression.** A revision check where J's last run on P failed. Such a failure may
 *   still be chance (a flaky job failing just before a revision asked for by a reviewer): reports
 *   set the count beside the number expected by chance, J's known-fine failure rate × its revision
 *   checks.
 * - **Unexplained failure.** Any other failure; `pending` when the change is still open and P has
 *   not been revised (a recheck or a merge may still show it false).
 * - **Recheck.** A buildset in a named check-like pipeline (not gate, not experimental) on a patch
 *   set that already had a buildset in that pipeline. It follows the latest earlier buildset on the
 *   patch set (any pipeline but experimental); the jobs that failed there are the ones rechecked.
 */
import type { CiChangeRecord } from '../model/ci.js';
import type { PatchSetKind, Timestamp } from '../model/records.js';
import type { CiRun } from './ci-match.js';

export interface CiPipelineRules {
  /** Pipelines that gate merges (failures there of an approved change are false). Default ['gate']. */
  gatePipelines: readonly string[];
  /** Pipelines that run only on request ("check experimental"). Default ['experimental']. */
  experimentalPipelines: readonly string[];
}

export const DEFAULT_PIPELINE_RULES: CiPipelineRules = { gatePipelines: ['gate'], experimentalPipelines: ['experimental'] };

export type RunClass = 'pass' | 'not-counted' | 'false-failure' | 'caught-regression' | 'unexplained-failure';
export type FalseReason = 'passed-later' | 'merged-unchanged' | 'gate-approved';

export interface ClassifiedRun {
  run: CiRun;
  class: RunClass;
  /** Why a false failure is false (every rule that holds). Empty otherwise. */
  reasons: readonly FalseReason[];
  /** A counted run on code known to be fine for every job (merged unchanged, or gate and approved). */
  knownFine: boolean;
  /** For a caught regression: the run that passed on the revised code. */
  fixedBy: CiRun | null;
  /** An unexplained failure that may still turn out false (change open, patch set not revised). */
  pending: boolean;
}

/** A situation in which a job could catch a regression (see the module comment). */
export interface RevisionCheck {
  changeId: number;
  patchSet: number;
  job: string;
  /** The job's last run on the old code; a failure here is a caught regression. */
  last: CiRun;
  /** The job's first counted run on the revised code (a pass). */
  passedOnRevision: CiRun;
  caught: boolean;
}

export interface Recheck {
  buildset: string;
  changeId: number;
  patchSet: number;
  pipeline: string;
  at: Timestamp;
  /** The buildset it followed and the jobs that had failed there. */
  after: { buildset: string; pipeline: string | null; failedJobs: string[] } | null;
}

export interface CiOutcomes {
  /** Every run, classified, in time order. */
  runs: ClassifiedRun[];
  rechecks: Recheck[];
  revisionChecks: RevisionCheck[];
}

const NOT_COUNTED = new Set([
  'SKIPPED',
  'CANCELED',
  'CANCELLED',
  'ABORTED',
  'DEQUEUED',
  'MERGER_FAILURE',
  'MERGE_CONFLICT',
  'MERGE_FAILURE',
  'CONFIG_ERROR',
  'NO_JOBS',
  'RETRY',
  'NOT_REGISTERED',
]);
const SAME_CODE_KINDS: ReadonlySet<PatchSetKind> = new Set([
  'TRIVIAL_REBASE',
  'TRIVIAL_REBASE_WITH_MESSAGE_UPDATE',
  'NO_CODE_CHANGE',
  'NO_CHANGE',
]);

const countedMemo = new Map<string, boolean>();

/** Whether a result is a verdict on the code (see the module comment). */
export function isCounted(result: string): boolean {
  // Memoised: a handful of distinct results, asked about several times for each of 300,000 runs.
  let v = countedMemo.get(result);
  if (v === undefined) countedMemo.set(result, (v = !NOT_COUNTED.has(result.toUpperCase())));
  return v;
}

export function isPass(result: string): boolean {
  return result === 'SUCCESS';
}

export type PipelineKind = 'gate' | 'experimental' | 'check';

/** A voting run in a named check-like pipeline: what the voting baseline is made of. */
export function isVotingRun(r: CiRun, rules: CiPipelineRules): boolean {
  return r.voting && r.pipeline !== null && pipelineKind(r.pipeline, rules) === 'check';
}

export function pipelineKind(pipeline: string | null, rules: CiPipelineRules): PipelineKind {
  if (pipeline !== null && rules.gatePipelines.includes(pipeline)) return 'gate';
  if (pipeline !== null && rules.experimentalPipelines.includes(pipeline)) return 'experimental';
  return 'check';
}

interface ChangeIndex {
  change: CiChangeRecord;
  /** Patch set number → the first patch set of its same-code run. */
  root: Map<number, number>;
  /** Patch set numbers, ascending. */
  numbers: number[];
  /** The patch set that merged, or null. */
  mergedPs: number | null;
}

function indexChange(c: CiChangeRecord): ChangeIndex {
  const sorted = [...c.patchSets].sort((a, b) => a.number - b.number);
  const root = new Map<number, number>();
  let prev: number | null = null;
  for (const p of sorted) {
    root.set(p.number, prev !== null && p.kind !== null && SAME_CODE_KINDS.has(p.kind) ? (root.get(prev) ?? prev) : p.number);
    prev = p.number;
  }
  let mergedPs: number | null = null;
  if (c.mergedAt !== null) {
    for (const p of sorted) if (p.created <= c.mergedAt) mergedPs = p.number;
    if (mergedPs === null) mergedPs = sorted.at(-1)?.number ?? null;
  }
  return { change: c, root, numbers: sorted.map((p) => p.number), mergedPs };
}

/** The `reasons` of every run that is not a false failure: one shared empty list, not one per run. */
const NO_REASONS: readonly FalseReason[] = Object.freeze([]);

const rootOf = (ix: ChangeIndex | undefined, ps: number): number => ix?.root.get(ps) ?? ps;

/**
 * Classifies every run and finds the rechecks. Pure; `runs` and `changes` are everything known as
 * of the report's `now` (later runs decide whether an earlier failure was false).
 *
 * @example
 * const { runs, rechecks } = classifyCiRuns(merged.runs, history.changes, DEFAULT_PIPELINE_RULES);
 * runs.filter((r) => r.class === 'false-failure').length
 */
export function classifyCiRuns(
  runs: readonly CiRun[],
  changes: readonly CiChangeRecord[],
  rules: CiPipelineRules = DEFAULT_PIPELINE_RULES,
): CiOutcomes {
  const index = new Map<number, ChangeIndex>();
  for (const c of changes) index.set(c.id, indexChange(c));

  // Runs by change, then by job; each list in time order.
  // Keyed by change id, then job or patch set: no key strings built per run (300,000 runs on a large store).
  const byChangeJob = new Map<number, Map<string, CiRun[]>>();
  const byChangePs = new Map<number, Map<number, CiRun[]>>();
  // Each (change, job) in the order its first run came, the order revision checks are listed in.
  const jobLists: Array<{ changeId: number; job: string }> = [];
  const byTime = (a: CiRun, b: CiRun): number => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  // mergeCiRuns gives them in this order already: checked in one pass rather than sorted again.
  const ordered = runs.every((r, i) => i === 0 || byTime(runs[i - 1]!, r) <= 0) ? [...runs] : [...runs].sort(byTime);
  for (const r of ordered) {
    const jobs = inner(byChangeJob, r.changeId);
    if (!jobs.has(r.job)) jobLists.push({ changeId: r.changeId, job: r.job });
    push(jobs, r.job, r);
    push(inner(byChangePs, r.changeId), r.patchSet, r);
  }

  const revisionChecks = findRevisionChecks(index, jobLists, byChangeJob, byChangePs, rules);
  const caughtBy = new Map<CiRun, RevisionCheck>();
  for (const rc of revisionChecks) if (rc.caught) caughtBy.set(rc.last, rc);

  const classified: ClassifiedRun[] = ordered.map((run) => {
    if (!isCounted(run.result)) return { run, class: 'not-counted', reasons: NO_REASONS, knownFine: false, fixedBy: null, pending: false };
    const ix = index.get(run.changeId);
    const root = rootOf(ix, run.patchSet);
    const mergedUnchanged = ix?.mergedPs != null && ix.mergedPs >= run.patchSet && rootOf(ix, ix.mergedPs) === root;
    const gateApproved =
      pipelineKind(run.pipeline, rules) === 'gate' &&
      Boolean(ix?.change.approvals.some((a) => a.patchSet === run.patchSet && a.at <= run.at));
    const knownFine = mergedUnchanged || gateApproved;
    if (isPass(run.result)) return { run, class: 'pass', reasons: NO_REASONS, knownFine, fixedBy: null, pending: false };
    const sameJob = byChangeJob.get(run.changeId)?.get(run.job) ?? [];
    const reasons: FalseReason[] = [];
    if (sameJob.some((o) => o.at > run.at && o.patchSet >= run.patchSet && rootOf(ix, o.patchSet) === root && isPass(o.result)))
      reasons.push('passed-later');
    if (mergedUnchanged) reasons.push('merged-unchanged');
    if (gateApproved) reasons.push('gate-approved');
    if (reasons.length) return { run, class: 'false-failure', reasons, knownFine, fixedBy: null, pending: false };
    const caught = caughtBy.get(run);
    if (caught)
      return { run, class: 'caught-regression', reasons: NO_REASONS, knownFine, fixedBy: caught.passedOnRevision, pending: false };
    const revised = ix?.numbers.some((n) => n > run.patchSet && rootOf(ix, n) !== root) ?? false;
    return {
      run,
      class: 'unexplained-failure',
      reasons: NO_REASONS,
      knownFine,
      fixedBy: null,
      pending: !revised && ix?.change.status === 'NEW',
    };
  });

  return { runs: classified, rechecks: findRechecks(ordered, rules), revisionChecks };
}

/** Every revision check (see the module comment), per change and job, in patch set order. */
function findRevisionChecks(
  index: ReadonlyMap<number, ChangeIndex>,
  jobLists: ReadonlyArray<{ changeId: number; job: string }>,
  byChangeJob: ReadonlyMap<number, ReadonlyMap<string, CiRun[]>>,
  byChangePs: ReadonlyMap<number, ReadonlyMap<number, CiRun[]>>,
  rules: CiPipelineRules,
): RevisionCheck[] {
  const out: RevisionCheck[] = [];
  for (const { changeId, job } of jobLists) {
    const runs = byChangeJob.get(changeId)!.get(job)!;
    const ix = index.get(changeId);
    if (!ix) continue;
    // The job's counted runs outside gate pipelines, by code (root patch set), in patch set order.
    const byRoot = new Map<number, CiRun[]>();
    for (const r of runs) {
      if (!isCounted(r.result) || pipelineKind(r.pipeline, rules) === 'gate') continue;
      const root = rootOf(ix, r.patchSet);
      let l = byRoot.get(root);
      if (!l) byRoot.set(root, (l = []));
      l.push(r);
    }
    for (const [root, onOld] of byRoot) {
      const lastPs = Math.max(...ix.numbers.filter((n) => rootOf(ix, n) === root));
      const revised = ix.numbers.find((n) => n > lastPs);
      if (revised === undefined) continue;
      const onNew = byRoot.get(rootOf(ix, revised));
      if (!onNew) continue;
      const last = onOld.reduce((a, b) => (b.at >= a.at ? b : a));
      const first = onNew.reduce((a, b) => (b.at < a.at ? b : a));
      if (!isPass(first.result)) continue;
      if (!otherVotingJobsPassed(byChangePs.get(changeId)?.get(last.patchSet) ?? [], job, rules)) continue;
      out.push({ changeId, patchSet: last.patchSet, job, last, passedOnRevision: first, caught: !isPass(last.result) });
    }
  }
  return out;
}

/**
 * Every voting job other than `job` that ran on the patch set in a named check-like pipeline passed
 * its last counted run there; at least one did. (A report naming no pipeline — old Jenkins, a
 * third-party CI — does not say whether its jobs vote, so those runs are not voting runs here.)
 */
function otherVotingJobsPassed(onPatchSet: readonly CiRun[], job: string, rules: CiPipelineRules): boolean {
  const last = new Map<string, CiRun>();
  for (const r of onPatchSet) {
    if (r.job === job || !isVotingRun(r, rules) || !isCounted(r.result)) continue;
    last.set(r.job, r);
  }
  if (last.size === 0) return false;
  for (const r of last.values()) if (!isPass(r.result)) return false;
  return true;
}

interface Buildset {
  key: string;
  changeId: number;
  patchSet: number;
  pipeline: string | null;
  start: Timestamp;
  end: Timestamp;
  runs: CiRun[];
}

function findRechecks(runs: readonly CiRun[], rules: CiPipelineRules): Recheck[] {
  const sets = new Map<string, Buildset>();
  for (const r of runs) {
    let b = sets.get(r.buildset);
    if (!b)
      sets.set(
        r.buildset,
        (b = { key: r.buildset, changeId: r.changeId, patchSet: r.patchSet, pipeline: r.pipeline, start: r.at, end: r.at, runs: [] }),
      );
    b.start = Math.min(b.start, r.at);
    b.end = Math.max(b.end, r.at);
    b.runs.push(r);
  }
  const byPs = new Map<string, Buildset[]>();
  for (const b of sets.values()) push(byPs, `${b.changeId}|${b.patchSet}`, b);
  const out: Recheck[] = [];
  for (const list of byPs.values()) {
    list.sort((a, b) => a.start - b.start || (a.key < b.key ? -1 : 1));
    const seen = new Set<string>();
    for (const b of list) {
      if (b.pipeline === null || pipelineKind(b.pipeline, rules) !== 'check') continue;
      if (!seen.has(b.pipeline)) {
        seen.add(b.pipeline);
        continue;
      }
      let prev: Buildset | undefined;
      for (const o of list) {
        if (o === b || o.end >= b.start || o.pipeline === null || pipelineKind(o.pipeline, rules) === 'experimental') continue;
        if (!prev || o.end > prev.end) prev = o;
      }
      const failedJobs = prev
        ? [...new Set(prev.runs.filter((r) => isCounted(r.result) && !isPass(r.result)).map((r) => r.job))].sort()
        : [];
      out.push({
        buildset: b.key,
        changeId: b.changeId,
        patchSet: b.patchSet,
        pipeline: b.pipeline,
        at: b.start,
        after: prev ? { buildset: prev.key, pipeline: prev.pipeline, failedJobs } : null,
      });
    }
  }
  return out.sort((a, b) => a.at - b.at);
}

function inner<K, V>(m: Map<number, Map<K, V>>, k: number): Map<K, V> {
  let l = m.get(k);
  if (!l) m.set(k, (l = new Map()));
  return l;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  let l = m.get(k);
  if (!l) m.set(k, (l = []));
  l.push(v);
}
