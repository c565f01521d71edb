/**
 * The life of one demo change: a script of events (uploads, reviews, CI reports, merge or
 * abandon) played out from a {@link ChangeSpec}, then replayed into a {@link DemoChange} the way
 * Gerrit would record it (patch set numbers, copied votes, final approvals, the `now` cut-off).
 *
 * Simulation and replay are split on purpose: the story only says who does what and when; the
 * replay alone decides patch set numbers and message texts, so events inserted later (a series
 * parent's rebase) stay consistent with the rules Gerrit applies.
 */
import type { PatchSetKind } from '../model/records.js';
import type {
  DemoAccount,
  DemoApproval,
  DemoBuild,
  DemoChange,
  DemoFate,
  DemoFile,
  DemoLabel,
  DemoMessage,
  DemoMessageKind,
  DemoPatchSet,
  DemoPerson,
  DemoPurpose,
  DemoVote,
} from './demo-change.js';
import { SeededRandom, hexId, labelKey } from './seeded-random.js';
import {
  BLOCK_COMMENTS,
  CAREFUL_MINUS_COMMENTS,
  CAREFUL_PLUS_COMMENTS,
  CHECK_JOBS,
  COMMENT_ONLY,
  CRITIC_COMMENTS,
  DOCS_JOBS,
  EXPERIMENTAL_JOBS,
  OWNER_REPLIES,
  PLUS_ONE_COMMENTS,
  PLUS_TWO_COMMENTS,
  RECHECKS,
  REMOVAL_COMMENTS,
  ABANDON_REASONS,
  STRONG_MINUS_COMMENTS,
  SLOW_AREA,
  STRONG_PLUS_COMMENTS,
  THIRD_PARTY_JOB,
} from './demo-vocabulary.js';
import type { DemoArea, DemoJob } from './demo-vocabulary.js';
import { DAY_MS, DEMO_PROJECT, HOUR_MS, HYPERV_CI, MINUTE_MS, SECOND_MS, ZUUL } from './demo-world.js';
import type { DemoWorld } from './demo-world.js';
import type { StoryScript } from './demo-specs.js';

/** The parent of a change in a patch series, as far as the child needs to know it. */
export interface SeriesParent {
  number: number;
  fate: DemoFate;
  /** The parent's patch sets, oldest first. */
  revisions: Array<{ created: number; revision: string; kind: PatchSetKind }>;
  /** When the parent merged, or null if it had not merged by `now`. */
  mergedAt: number | null;
}

/** Everything decided about a change before its story is played. */
export interface ChangeSpec {
  index: number;
  number: number;
  changeId: string;
  created: number;
  owner: DemoPerson;
  branch: string;
  area: DemoArea;
  purpose: DemoPurpose;
  topic: string | null;
  subject: string;
  /** Commit message body (paragraphs separated by blank lines); may be empty. */
  body: string;
  /** Footer lines before Change-Id ("Closes-Bug: #2012345", "TrivialFix"…). */
  trailers: string[];
  /** Revision of the master commit a backport was cherry-picked from. */
  cherryPickOf: string | null;
  files: DemoFile[];
  fate: DemoFate;
  /** How many times a reviewer sends the change back for rework. */
  reworkRounds: number;
  /** Uploaded as work in progress: with Gerrit's WIP flag or with the owner's Workflow-1. */
  wipStart: 'flag' | 'workflow' | null;
  /** The third-party Hyper-V CI reports on this change. */
  thirdPartyCi: boolean;
  /** Release whose feature freeze the change ran into (gets a procedural -2), if any. */
  frozenUntil: { release: number; name: string } | null;
  parent: SeriesParent | null;
  /** Set on the changes demo-specs.ts scripts; null for the random ones. */
  script: StoryScript | null;
  /** Multiplies every review delay (< 1: reviewed faster, as a release priority's changes are). */
  reviewSpeed: number;
}

/** Counters shared by all changes of one generation run (deterministic: changes are generated in order). */
export interface GenerationState {
  /** Review acts of each idle core (by account id) in the last 90 days. */
  idleActs: Map<number, number>;
}

/** An idle core acts at most this many times in the last 90 days, whatever the number of changes. */
const IDLE_CAP = 4;
const IDLE_WEIGHT = 0.05;

/**
 * The planted reviewers (demo-world.ts, buildPlantedReviewers): how often each acts. The nit
 * spammer and the pile-on act on about one change in twenty; the careful reviewer follows about 40
 * changes whatever the demo's size (some 20 in a 180-day window of a 12-month demo). Scripted changes (the specs' stories) are
 * left alone, and the nit spammer leaves the slow area, work in progress and the changes nobody
 * reviews alone, so that the other planted effects stay as they were.
 */
const P_NIT = 0.05;
const P_PILE_ON = 0.05;
const CAREFUL_CHANGES = 40;
const K_PLANTED = labelKey('planted-reviewers');

type StoryEvent =
  | {
      type: 'upload';
      t: number;
      uploadId: number;
      kind: PatchSetKind;
      uploader: DemoAccount;
      content: DemoFile[] | null;
      messageUpdate: boolean;
      wip: boolean;
    }
  | { type: 'review'; t: number; author: DemoAccount; votes: DemoVote[]; inline: number; body: string | null }
  /**
   * A CI report. Runs started by an upload belong to that upload (`uploadId`); runs started by a
   * comment or an approval (recheck, gate, check experimental) belong to whatever patch set was
   * current at `triggeredAt`. Either way a report on a superseded patch set never comes.
   */
  | {
      type: 'ci';
      t: number;
      uploadId: number | null;
      triggeredAt: number;
      author: DemoAccount;
      pipeline: 'check' | 'gate' | 'experimental' | null;
      builds: DemoBuild[];
      verified: number | null;
    }
  | { type: 'merge'; t: number; author: DemoAccount }
  | { type: 'abandon'; t: number; author: DemoAccount; reason: string | null }
  | { type: 'wip'; t: number; author: DemoAccount; on: boolean };

const K_REVISION = labelKey('revision');
const K_BASE = labelKey('base');
const K_MESSAGE = labelKey('message');
const K_BUILD = labelKey('build');

const INACTIVITY = 'This change has been abandoned due to inactivity; please restore if you want to continue.';
const ZUUL_HELP =
  'For information on how to proceed, see https://docs.opendev.org/opendev/infra-manual/latest/developers.html#automated-testing';
const JENKINS_HELP = 'For information on how to proceed, see https://wiki.openstack.org/wiki/GerritJenkinsGit#Test_Failures';

function toSecond(t: number): number {
  return Math.round(t / SECOND_MS) * SECOND_MS;
}

function firstName(p: DemoAccount): string {
  return p.name.split(' ')[0] ?? p.name;
}

/** Zuul's duration format: "4m 12s", "1h 12m 40s". */
export function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const pad = (n: number): string => String(n).padStart(2, '0');
  return h > 0 ? `${h}h ${pad(m)}m ${pad(s)}s` : `${m}m ${pad(s)}s`;
}

/** Gerrit's rendering of votes in a message: "Code-Review+2", "Verified-1", "-Code-Review". */
export function formatVote(v: DemoVote): string {
  if (v.value === 0) return `-${v.label}`;
  return `${v.label}${v.value > 0 ? '+' : ''}${v.value}`;
}

class Story {
  readonly events: StoryEvent[] = [];
  private uploads = 0;
  private currentUpload = -1;
  private files: DemoFile[];
  private buildSeq = 0;
  private readonly owner: DemoPerson;
  /** The planted reviewers' own random stream: their acts change no other draw of the story. */
  private readonly plant: SeededRandom;
  /** Whether the planted careful reviewer follows this change. */
  private readonly careful: boolean;

  constructor(
    private readonly w: DemoWorld,
    private readonly state: GenerationState,
    private readonly s: ChangeSpec,
    private readonly rng: SeededRandom,
  ) {
    this.plant = SeededRandom.from(w.options.seed, K_PLANTED, s.index);
    this.careful =
      this.plant.chance(Math.min(1, CAREFUL_CHANGES / Math.max(1, w.options.changes))) && !s.script && this.canAct(w.careful, s.created);
    this.files = s.files;
    this.owner = s.owner;
  }

  // ---- time --------------------------------------------------------------------------------

  /** A log-normal delay in ms with the given median in hours (never under a minute). */
  private hours(median: number, sigma: number): number {
    return Math.max(MINUTE_MS, Math.round(this.rng.logNormal(median, sigma) * HOUR_MS));
  }

  /** People mostly skip weekends: an act that falls on one usually moves to Monday. */
  private human(t: number): number {
    const day = Math.floor(t / DAY_MS);
    const dow = (day + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
    if ((dow === 6 || dow === 0) && this.rng.chance(0.75)) {
      return toSecond((day + (dow === 6 ? 2 : 1)) * DAY_MS + this.rng.int(6 * 60, 17 * 60) * MINUTE_MS);
    }
    return toSecond(t);
  }

  private firstReviewDelay(): number {
    const median = this.s.purpose === 'backport' ? 30 : 14;
    return this.hours(median * this.delayFactor(), 1.0);
  }

  /** The area's review delay, scaled for a priority's changes. */
  private delayFactor(): number {
    return this.s.area.reviewDelay * this.s.reviewSpeed;
  }

  private cleanupAfter(t: number): number {
    // The PTL's clean-up script runs every 30 days; abandons therefore come in batches.
    const period = 30 * DAY_MS;
    const base = this.w.options.start + 10 * HOUR_MS;
    return base + Math.ceil((t - base) / period) * period + this.rng.int(0, 1800) * SECOND_MS;
  }

  // ---- people ------------------------------------------------------------------------------

  private idleFactor(c: DemoPerson, t: number): number {
    if (c.idleFrom === null || t < c.idleFrom) return 1;
    if (t < this.w.options.now - 90 * DAY_MS) return IDLE_WEIGHT;
    return (this.state.idleActs.get(c.accountId) ?? 0) < IDLE_CAP ? IDLE_WEIGHT : 0;
  }

  /** False once an idle core has used up its few acts of the last 90 days. */
  private mayAct(p: DemoPerson, t: number): boolean {
    return this.idleFactor(p, t) > 0;
  }

  private noteAct(p: DemoPerson, t: number): void {
    if (p.idleFrom !== null && t >= this.w.options.now - 90 * DAY_MS) {
      this.state.idleActs.set(p.accountId, (this.state.idleActs.get(p.accountId) ?? 0) + 1);
    }
  }

  private pickCore(t: number, exclude: readonly DemoPerson[] = []): DemoPerson {
    const area = this.s.area.dir;
    const candidates = this.w.cores.filter((c) => c !== this.owner && !exclude.includes(c));
    const chosen =
      this.rng.weighted(candidates, (c) => c.reviewWeight * (c.areas.includes(area) ? 4 : 1) * this.idleFactor(c, t)) ??
      this.rng.weighted(candidates, (c) => (c.idleFrom === null ? 1 : 0)) ??
      (this.w.ptl === this.owner ? (this.w.cores[1] as DemoPerson) : this.w.ptl);
    this.noteAct(chosen, t);
    return chosen;
  }

  private pickCasual(t: number, exclude: readonly DemoPerson[] = []): DemoPerson | null {
    const area = this.s.area.dir;
    return (
      this.rng.weighted(this.w.casualReviewers, (p) =>
        p === this.owner || p.joined > t || exclude.includes(p) ? 0 : p.reviewWeight * (p.areas.includes(area) ? 3 : 1),
      ) ?? null
    );
  }

  private canAct(p: DemoPerson, t: number): boolean {
    return p !== this.owner && p.joined <= t;
  }

  // ---- events ------------------------------------------------------------------------------

  private upload(
    t: number,
    kind: PatchSetKind,
    uploader: DemoAccount,
    content: DemoFile[] | null,
    opts: { wip?: boolean; messageUpdate?: boolean } = {},
  ): number {
    const uploadId = this.uploads++;
    this.currentUpload = uploadId;
    this.events.push({
      type: 'upload',
      t: toSecond(t),
      uploadId,
      kind,
      uploader,
      content,
      messageUpdate: opts.messageUpdate ?? false,
      wip: opts.wip ?? false,
    });
    return uploadId;
  }

  private review(t: number, author: DemoAccount, votes: DemoVote[], body: string | null, inline = 0): void {
    this.events.push({ type: 'review', t: toSecond(t), author, votes, inline, body });
  }

  private cr(value: number): DemoVote {
    return { label: 'Code-Review', value };
  }

  /** The next patch set's files after rework: sizes move a little, sometimes a test is added. */
  private tweak(maybeAddTest: boolean): DemoFile[] {
    const rng = this.rng;
    const out = this.files.map((f) => ({
      ...f,
      insertions: f.type === 'DELETED' ? 0 : Math.max(1, Math.round(f.insertions * (0.8 + rng.float() * 0.5))),
      deletions: f.type === 'ADDED' ? 0 : Math.round(f.deletions * (0.8 + rng.float() * 0.5)),
    }));
    const src = out.find((f) => f.path.startsWith('nova/') && !f.path.startsWith('nova/tests/'));
    if (maybeAddTest && src && rng.chance(0.3)) {
      const test = unitTestPath(src.path);
      if (!out.some((f) => f.path === test)) {
        out.push({ path: test, type: 'MODIFIED', insertions: rng.int(10, 90), deletions: rng.int(0, 6) });
        out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      }
    }
    this.files = out;
    return out;
  }

  private build(job: DemoJob, failed: boolean, allowTimeout: boolean): DemoBuild {
    const rng = this.rng;
    let result = 'SUCCESS';
    let seconds = Math.round(rng.logNormal(job.seconds, 0.15));
    if (failed) {
      result = allowTimeout && job.seconds > 3600 && rng.chance(0.2) ? 'TIMED_OUT' : rng.chance(0.04) ? 'POST_FAILURE' : 'FAILURE';
      if (result === 'TIMED_OUT') seconds = 3 * 3600 + rng.int(0, 120);
      else if (result === 'FAILURE') seconds = Math.round(seconds * (0.5 + rng.float() * 0.5));
    }
    const uuid = hexId(32, this.w.options.seed, K_BUILD, this.s.number, this.buildSeq++);
    return {
      job: job.name,
      result,
      voting: job.voting,
      durationSeconds: seconds,
      url: `https://zuul.${this.w.domain}/t/demo/build/${uuid}`,
    };
  }

  /** One check-pipeline run on the current patch set (plus the third-party CI, if it cares). */
  private checkRun(t: number, broken: boolean, byUpload: boolean): { t: number; failed: boolean; codeFailure: boolean } {
    const uploadId = byUpload ? this.currentUpload : null;
    const rng = this.rng;
    const jobs = this.s.area.dir === 'doc/' ? DOCS_JOBS : CHECK_JOBS;
    const builds: DemoBuild[] = [];
    let failedVoting = false;
    for (const job of jobs) {
      const fail = rng.chance(job.flake) || (broken && rng.chance(job.failWhenBroken));
      const b = this.build(job, fail, !broken);
      builds.push(b);
      if (job.voting && b.result !== 'SUCCESS') failedVoting = true;
    }
    if (broken && !failedVoting) {
      // A broken patch set always fails at least its unit tests.
      const idx = jobs.findIndex((j) => j.voting && j.failWhenBroken >= 0.5);
      const job = jobs[idx] as DemoJob;
      builds[idx] = this.build(job, true, false);
      failedVoting = true;
    }
    const longest = Math.max(...builds.map((b) => b.durationSeconds));
    const reportT = toSecond(t + this.rng.logNormal(12, 0.6) * MINUTE_MS + (longest + 30) * SECOND_MS);
    this.events.push({
      type: 'ci',
      t: reportT,
      uploadId,
      triggeredAt: t,
      author: ZUUL,
      pipeline: 'check',
      builds,
      verified: failedVoting ? -1 : 1,
    });
    if (this.s.thirdPartyCi && rng.chance(0.85)) {
      const fail = rng.chance(broken ? 0.5 : 0.12);
      const seconds = Math.round(rng.logNormal(4200, 0.2) * (fail ? 0.8 : 1));
      const build: DemoBuild = {
        job: THIRD_PARTY_JOB,
        result: fail ? 'FAILURE' : 'SUCCESS',
        voting: false,
        durationSeconds: seconds,
        url: `http://hyperv-ci.${this.w.domain}/${this.s.number}/${this.uploads}/`,
      };
      const at = toSecond(t + this.hours(1, 0.8) + seconds * SECOND_MS);
      this.events.push({ type: 'ci', t: at, uploadId, triggeredAt: t, author: HYPERV_CI, pipeline: null, builds: [build], verified: null });
    }
    return { t: reportT, failed: failedVoting, codeFailure: broken && failedVoting };
  }

  /**
   * Runs check until the current patch set is green: a broken patch set is reworked by the owner,
   * an unrelated failure is rechecked. Returns when the last report came in.
   */
  private ciPhase(tUpload: number, broken: boolean): number {
    const rng = this.rng;
    let t = tUpload;
    let byUpload = true;
    for (let attempt = 0; ; attempt++) {
      const r = this.checkRun(t, broken, byUpload);
      if (!r.failed || attempt >= 4) return r.t;
      if (r.codeFailure) {
        t = this.human(r.t + this.hours(5, 1));
        this.upload(t, 'REWORK', this.owner, this.tweak(false));
        broken = rng.chance(0.1);
        byUpload = true;
      } else {
        t = this.human(r.t + this.hours(2.5, 0.8));
        this.review(t, this.owner, [], rng.pick(RECHECKS));
        byUpload = false;
      }
    }
  }

  private experimental(t: number): void {
    const requester = this.rng.chance(0.5) ? this.owner : this.pickCore(t);
    this.review(t, requester, [], 'check experimental');
    const builds = EXPERIMENTAL_JOBS.map((j) => this.build(j, this.rng.chance(j.flake), true));
    const longest = Math.max(...builds.map((b) => b.durationSeconds));
    this.events.push({
      type: 'ci',
      t: toSecond(t + (longest + 600) * SECOND_MS),
      uploadId: null,
      triggeredAt: t,
      author: ZUUL,
      pipeline: 'experimental',
      builds,
      verified: null,
    });
  }

  /** A gate run; null when it cannot start before the series parent merges (not by `now`). */
  private gateRun(t: number, mustPass = false): { t: number; ok: boolean } | null {
    const rng = this.rng;
    const jobs = (this.s.area.dir === 'doc/' ? DOCS_JOBS : CHECK_JOBS).filter((j) => j.voting);
    const builds = jobs.map((j) => this.build(j, rng.chance(j.flake * 1.2) && !mustPass, true));
    const ok = builds.every((b) => b.result === 'SUCCESS');
    const longest = Math.max(...builds.map((b) => b.durationSeconds));
    let reportT = toSecond(t + rng.logNormal(25, 0.7) * MINUTE_MS + (longest + 30) * SECOND_MS);
    const parent = this.s.parent;
    if (parent) {
      // Zuul merges a series bottom-up: the child cannot merge before its parent.
      if (parent.mergedAt === null) return null;
      reportT = Math.max(reportT, toSecond(parent.mergedAt + rng.int(30, 600) * SECOND_MS));
    }
    this.events.push({
      type: 'ci',
      t: reportT,
      uploadId: null,
      triggeredAt: t,
      author: ZUUL,
      pipeline: 'gate',
      builds,
      verified: ok ? 2 : -2,
    });
    return { t: reportT, ok };
  }

  private abandon(t: number, author: DemoAccount, reason: string | null): void {
    this.events.push({ type: 'abandon', t: toSecond(t), author, reason });
  }

  // ---- the story ---------------------------------------------------------------------------

  play(): void {
    const s = this.s;
    const rng = this.rng;
    let t = s.created;
    this.upload(t, 'REWORK', this.owner, s.files, { wip: s.wipStart === 'flag' });
    let broken = rng.chance(s.purpose === 'trivial' || s.purpose === 'docs' ? 0.08 : 0.22);
    const nit = this.w.nitSpammer;
    if (
      !s.script &&
      !s.wipStart &&
      s.area.dir !== SLOW_AREA &&
      // Nor on the planted stalls (unreviewed, one +2 short, …): a lone −1 would change what they wait on.
      !s.fate.startsWith('stall-') &&
      this.canAct(nit, t) &&
      this.plant.chance(P_NIT)
    ) {
      // The planted nit spammer: a bare −1 on the first patch set, before anyone else looks.
      this.review(t + this.plant.int(40, 180) * MINUTE_MS, nit, [this.cr(-1)], 'nit');
    }

    if (s.wipStart) {
      if (s.wipStart === 'workflow') {
        this.review(t + rng.int(60, 600) * SECOND_MS, this.owner, [{ label: 'Workflow', value: -1 }], 'WIP, not ready for review yet.');
      }
      const before = this.currentUpload;
      t = this.ciPhase(t, broken);
      broken = false;
      // Workflow votes are not copied to a new patch set, so the owner marks the rework WIP again.
      if (s.wipStart === 'workflow' && this.currentUpload !== before) {
        t += rng.int(60, 900) * SECOND_MS;
        this.review(t, this.owner, [{ label: 'Workflow', value: -1 }], null);
      }
      if (s.wipStart === 'flag') {
        // Gerrit's WIP flag survives new patch sets, so the owner can iterate in private.
        for (let k = rng.int(0, 2); k > 0; k--) {
          t = this.human(t + this.hours(30, 1));
          this.upload(t, 'REWORK', this.owner, this.tweak(true));
          t = this.ciPhase(t, rng.chance(0.15));
        }
      } else {
        t = this.human(t + this.hours(48, 1));
      }
      if (s.fate === 'stall-wip') return;
      t = this.human(t + this.hours(6, 1));
      if (s.wipStart === 'flag') this.events.push({ type: 'wip', t: toSecond(t), author: this.owner, on: false });
      else this.review(t, this.owner, [{ label: 'Workflow', value: 0 }], null);
      t += rng.int(60, 600) * SECOND_MS;
      this.upload(t, 'REWORK', this.owner, this.tweak(false));
    }

    if (rng.chance(0.02)) this.review(t + rng.int(120, 1800) * SECOND_MS, this.owner, [this.cr(1)], null);

    if (s.frozenUntil) {
      t = this.ciPhase(t, broken);
      broken = false;
      const tp = this.human(t + this.hours(20, 0.8));
      const blocker = this.rng.weighted(this.w.cores, (c) => (c === this.owner || c.idleFrom !== null ? 0 : 1)) as DemoPerson;
      this.review(
        tp,
        blocker,
        [this.cr(-2)],
        `Procedural -2: feature freeze is in effect for ${s.frozenUntil.name}; this can land once master is open for the next release.`,
      );
      const tl = this.human(Math.max(tp + HOUR_MS, s.frozenUntil.release + this.hours(96, 0.6)));
      this.review(tl, blocker, [this.cr(0)], 'Removing my procedural -2, master is open again.');
      t = this.human(tl + this.hours(8, 1));
      this.upload(t, 'TRIVIAL_REBASE', this.owner, null);
    }

    const endsOnCritic = s.fate === 'abandon-author' || s.fate === 'abandon-auto' || s.fate === 'stall-author';
    const critics = endsOnCritic ? Math.max(1, s.reworkRounds) : s.reworkRounds;
    // A core's "check experimental" would be a core's comment: scripted changes go without.
    const experimentalRound = rng.chance(0.03) && !s.script ? rng.int(0, critics) : -1;
    for (let round = 0; round < critics; round++) {
      const green = this.ciPhase(t, broken);
      if (round === experimentalRound) this.experimental(green + rng.int(60, 3600) * SECOND_MS);
      if (endsOnCritic && s.fate === 'abandon-author' && round === 0 && rng.chance(0.25)) {
        this.abandon(this.human(green + this.hours(30, 1)), this.owner, rng.chance(0.5) ? rng.pick(ABANDON_REASONS) : null);
        return;
      }
      const next = this.criticRound(green, endsOnCritic && round === critics - 1);
      if (next === null) return;
      t = next;
      broken = rng.chance(0.12);
    }
    const green = this.ciPhase(t, broken);
    if (experimentalRound === critics) this.experimental(green + rng.int(60, 3600) * SECOND_MS);
    this.finalRound(green);
  }

  /** A round that ends with the change sent back; returns the time of the rework upload, or null if the story ends. */
  private criticRound(green: number, endsHere: boolean): number | null {
    const s = this.s;
    const rng = this.rng;
    const f = this.delayFactor();
    const { gamer, strong } = this.w;
    let t = this.human(green + this.firstReviewDelay());

    // The planted gamer: quick +1s without a word, mostly on changes about to be sent back.
    const pGamer = endsHere && s.fate !== 'stall-author' ? 0.3 : 0.15;
    if (this.canAct(gamer, t) && rng.chance(pGamer)) {
      this.review(t, gamer, [this.cr(1)], null);
      t = this.human(t + this.hours(5 * f, 1));
    }
    let earlyPlus: DemoPerson | null = null;
    if (rng.chance(0.18)) {
      earlyPlus = this.pickCasual(t);
      if (earlyPlus) {
        this.review(t, earlyPlus, [this.cr(1)], rng.chance(0.4) ? rng.pick(PLUS_ONE_COMMENTS) : null);
        t = this.human(t + this.hours(5 * f, 1));
      }
    }

    const kind = s.script?.coreCritic
      ? 'core'
      : rng.weighted(['core', 'strong', 'casual'] as const, (k) => (k === 'core' ? 0.68 : k === 'strong' ? 0.06 : 0.26));
    let critic: DemoPerson;
    if (kind === 'strong' && this.canAct(strong, t)) critic = strong;
    else if (kind === 'casual') critic = this.pickCasual(t, earlyPlus ? [earlyPlus] : []) ?? this.pickCore(t);
    else critic = this.pickCore(t);
    const criticIsCore = critic.role === 'core';
    if (this.careful) {
      // The planted careful reviewer finds the problem first, and says what it is.
      const tc = Math.max(green + 5 * MINUTE_MS, t - this.plant.int(20, 90) * MINUTE_MS);
      this.review(tc, this.w.careful, [this.cr(-1)], this.plant.pick(CAREFUL_MINUS_COMMENTS), this.plant.int(1, 3));
    }
    this.review(t, critic, [this.cr(-1)], rng.pick(critic === strong ? STRONG_MINUS_COMMENTS : CRITIC_COMMENTS), rng.int(1, 6));
    let last = t;

    // The planted strong reviewer agrees with the cores.
    if (criticIsCore && this.canAct(strong, t) && rng.chance(0.15)) {
      last = this.human(last + this.hours(4, 1));
      this.review(last, strong, [this.cr(-1)], rng.pick(STRONG_MINUS_COMMENTS), rng.int(1, 3));
    }
    if (earlyPlus && rng.chance(0.4)) {
      // A +1 changed to -1 on the same patch set after the critic's review.
      last = this.human(last + this.hours(3, 1));
      this.review(last, earlyPlus, [this.cr(-1)], `Agree with ${firstName(critic)}, I missed that.`);
    }
    if (rng.chance(0.2)) {
      const who = rng.chance(0.5) ? this.pickCore(last) : this.pickCasual(last, [critic]);
      if (who) {
        last = this.human(last + this.hours(6 * f, 1));
        this.review(last, who, [], rng.pick(COMMENT_ONLY), rng.int(0, 2));
      }
    }

    if (endsHere) {
      if (s.fate === 'abandon-author') {
        this.abandon(this.human(last + this.hours(24 * 6, 0.8)), this.owner, rng.chance(0.5) ? rng.pick(ABANDON_REASONS) : null);
      } else if (s.fate === 'abandon-auto') {
        this.abandon(this.cleanupAfter(last + 28 * DAY_MS), this.w.ptl, INACTIVITY);
      }
      return null;
    }

    let tr = this.human(last + this.hours(40, 0.9));
    if (rng.chance(0.35)) {
      this.review(tr, this.owner, [], rng.pick(OWNER_REPLIES), rng.int(1, 4));
      tr += rng.int(2, 20) * MINUTE_MS;
    }
    if (rng.chance(0.05) && this.mayAct(critic, tr)) {
      tr = this.human(tr + this.hours(3, 1));
      this.noteAct(critic, tr);
      this.review(tr, critic, [this.cr(0)], rng.pick(REMOVAL_COMMENTS));
    }
    if (rng.chance(0.07)) {
      // Master moved on: a rebase before the rework (by the owner or, helpfully, by a core).
      const rebaser = rng.chance(0.7) ? this.owner : this.pickCore(tr);
      tr = this.human(tr + this.hours(4, 1));
      this.upload(tr, 'TRIVIAL_REBASE', rebaser, null);
      this.checkRun(tr, false, true);
      tr = this.human(tr + this.hours(8, 1));
    }
    tr = this.human(tr + this.hours(1, 1));
    this.upload(tr, 'REWORK', this.owner, this.tweak(true));
    return tr;
  }

  private finalRound(green: number): void {
    const s = this.s;
    const rng = this.rng;
    const f = this.delayFactor();
    const { gamer, strong } = this.w;

    if (s.fate === 'stall-unreviewed') {
      // Nobody looks. The owner pings and keeps the change rebased for a while.
      let t = green;
      if (s.script?.casualOnly) {
        // Scripted: someone outside the core team does look, and likes it.
        const casual = this.pickCasual(this.human(t + this.firstReviewDelay()));
        if (casual) this.review(this.human(t + this.firstReviewDelay()), casual, [this.cr(1)], rng.pick(PLUS_ONE_COMMENTS));
      }
      if (rng.chance(0.5)) {
        t = this.human(t + this.hours(24 * 14, 0.5));
        this.review(t, this.owner, [], 'Could someone from the core team please take a look?');
      }
      for (let k = 0; k < 3 && rng.chance(0.5); k++) {
        t = this.human(t + this.hours(24 * 25, 0.5));
        this.upload(t, 'TRIVIAL_REBASE', this.owner, null);
        this.checkRun(t, false, true);
      }
      return;
    }

    let t = this.human(green + this.firstReviewDelay());
    if (s.fate === 'stall-blocked') {
      const blocker = this.pickCore(t);
      this.review(t, blocker, [this.cr(-2)], rng.pick(BLOCK_COMMENTS), rng.int(0, 2));
      if (rng.chance(0.5)) {
        t = this.human(t + this.hours(30, 1));
        this.review(t, this.owner, [], 'Thanks, I will bring it to the team meeting.');
      }
      if (rng.chance(0.5)) {
        // The rebase keeps the -2: Gerrit copies the minimum score to a trivial rebase.
        t = this.human(t + this.hours(24 * 20, 0.6));
        this.upload(t, 'TRIVIAL_REBASE', this.owner, null);
        this.checkRun(t, false, true);
      }
      return;
    }

    if (this.canAct(gamer, t) && rng.chance(0.03)) {
      this.review(t, gamer, [this.cr(1)], null);
      t = this.human(t + this.hours(4 * f, 1));
    }
    if (rng.chance(0.3)) {
      const casual = this.pickCasual(t);
      if (casual) {
        this.review(t, casual, [this.cr(1)], rng.chance(0.4) ? rng.pick(PLUS_ONE_COMMENTS) : null, rng.int(0, 1));
        t = this.human(t + this.hours(5 * f, 1));
      }
    }
    if (this.canAct(strong, t) && rng.chance(0.14)) {
      this.review(t, strong, [this.cr(1)], rng.pick(STRONG_PLUS_COMMENTS), rng.int(0, 1));
      t = this.human(t + this.hours(4 * f, 1));
    }
    const a = this.pickCore(t);
    if (this.careful) {
      // The planted careful reviewer approves before the cores do, with what was checked.
      const tc = Math.max(green + 5 * MINUTE_MS, t - this.plant.int(20, 90) * MINUTE_MS);
      this.review(tc, this.w.careful, [this.cr(1)], this.plant.pick(CAREFUL_PLUS_COMMENTS));
    }
    this.review(t, a, [this.cr(2)], rng.chance(0.3) ? rng.pick(PLUS_TWO_COMMENTS) : null, rng.int(0, 1));
    if (!s.script && this.canAct(this.w.pileOn, t) && this.plant.chance(P_PILE_ON)) {
      // The planted pile-on: agrees with a verdict already given.
      this.review(t + this.plant.int(45, 80) * MINUTE_MS, this.w.pileOn, [this.cr(1)], 'LGTM');
    }

    if (s.fate === 'stall-one-short') {
      if (rng.chance(0.3)) {
        const casual = this.pickCasual(t + DAY_MS);
        if (casual) this.review(this.human(t + this.hours(24 * 3, 1)), casual, [this.cr(1)], null);
      }
      return;
    }

    if (rng.chance(0.12)) {
      // Merge conflict between the two +2s: a trivial rebase, and Gerrit copies the +2.
      const tr = this.human(t + this.hours(20 * f, 0.8));
      this.upload(tr, 'TRIVIAL_REBASE', rng.chance(0.6) ? this.owner : a, null);
      t = this.ciPhase(tr, false);
    }
    if (rng.chance(0.04)) {
      // Commit message touch-up: NO_CODE_CHANGE keeps every Code-Review vote.
      const tm = this.human(t + this.hours(6, 1));
      this.upload(tm, 'NO_CODE_CHANGE', this.owner, null, { messageUpdate: true });
      t = this.ciPhase(tm, false);
    }

    const tb = this.human(t + this.hours(24 * f, 1.0));
    const b = this.pickCore(tb, [a]);
    let tw = tb;
    if (rng.chance(0.85) || !this.mayAct(a, tb + 5 * HOUR_MS)) {
      this.review(
        tb,
        b,
        [this.cr(2), { label: 'Workflow', value: 1 }],
        rng.chance(0.2) ? rng.pick(PLUS_TWO_COMMENTS) : null,
        rng.int(0, 1),
      );
    } else {
      this.review(tb, b, [this.cr(2)], null);
      tw = this.human(tb + this.hours(5, 1));
      this.noteAct(a, tw);
      this.review(tw, a, [{ label: 'Workflow', value: 1 }], null);
    }
    this.gate(tw);
  }

  private gate(approvedAt: number): void {
    const rng = this.rng;
    let t = approvedAt;
    for (let attempt = 0; attempt < 4; attempt++) {
      const r = this.gateRun(t, attempt === 3 && this.s.script?.mustMerge === true);
      if (r === null) return;
      if (r.ok) {
        this.events.push({ type: 'merge', t: toSecond(r.t + rng.int(2, 15) * SECOND_MS), author: ZUUL });
        return;
      }
      // Verified-2 in gate: recheck, pass check, and Zuul re-enqueues the approved change.
      let checked = r.t;
      for (let k = 0; k < 3; k++) {
        const tr = this.human(checked + this.hours(3, 0.8));
        this.review(tr, this.owner, [], rng.pick(RECHECKS));
        const c = this.checkRun(tr, false, false);
        checked = c.t;
        if (!c.failed) break;
      }
      t = checked + rng.int(5, 60) * SECOND_MS;
    }
  }

  /**
   * The owner rebases a series child whenever its parent gets a new patch set, until the child
   * is approved. Done after the story so it does not disturb the story's own timing.
   */
  injectParentRebases(): void {
    const parent = this.s.parent;
    if (!parent) return;
    let cutoff = Infinity;
    for (const e of this.events) {
      const stops =
        e.type === 'merge' ||
        e.type === 'abandon' ||
        (e.type === 'review' && e.votes.some((v) => v.label === 'Code-Review' && v.value === 2));
      if (stops && e.t < cutoff) cutoff = e.t;
    }
    for (const ps of parent.revisions) {
      // Only a reworked parent forces a rebase; most owners rebase the stack, some wait.
      if (ps.created <= this.s.created || ps.kind !== 'REWORK' || !this.rng.chance(0.7)) continue;
      const t = toSecond(ps.created + this.rng.int(5, 40) * MINUTE_MS);
      if (t >= cutoff) break;
      this.upload(t, 'TRIVIAL_REBASE', this.owner, null);
      this.checkRun(t, false, true);
    }
  }
}

// ---- replay: from events to what Gerrit records -----------------------------------------------

/** The test module next to a source file: nova/virt/libvirt/driver.py → nova/tests/unit/virt/libvirt/test_driver.py. */
export function unitTestPath(path: string): string {
  const rel = path.replace(/^nova\//, '');
  const slash = rel.lastIndexOf('/');
  const dir = slash >= 0 ? rel.slice(0, slash + 1) : '';
  const base = slash >= 0 ? rel.slice(slash + 1) : rel;
  return `nova/tests/unit/${dir}test_${base}`;
}

/** The full commit message of a patch set; `version` > 0 after a commit-message-only update. */
export function commitMessage(spec: ChangeSpec, version: number): string {
  let body = spec.body;
  if (version > 0) {
    const extra = 'The commit message now explains the upgrade impact as requested in review.';
    body = body ? `${body}\n\n${extra}` : extra;
  }
  const footer = [...spec.trailers, `Change-Id: ${spec.changeId}`];
  if (spec.cherryPickOf) footer.push(`(cherry picked from commit ${spec.cherryPickOf})`);
  return `${spec.subject}\n\n${body ? `${body}\n\n` : ''}${footer.join('\n')}\n`;
}

function uploadText(n: number, kind: PatchSetKind): string {
  if (n === 1 || kind === 'REWORK') return `Uploaded patch set ${n}.`;
  if (kind === 'NO_CODE_CHANGE') return `Uploaded patch set ${n}: Commit message was updated.`;
  return `Uploaded patch set ${n}: Patch Set ${n - 1} was rebased.`;
}

function ciText(ps: number, pipeline: string | null, builds: readonly DemoBuild[], verified: number | null): string {
  const head = `Patch Set ${ps}:${verified === null ? '' : ` ${formatVote({ label: 'Verified', value: verified })}`}`;
  const ok = builds.every((b) => !b.voting || b.result === 'SUCCESS') && (pipeline !== null || builds.every((b) => b.result === 'SUCCESS'));
  let status: string;
  if (pipeline === null) status = ok ? 'Build succeeded.' : `Build failed.  ${JENKINS_HELP}`;
  else status = ok ? `Build succeeded (${pipeline} pipeline).` : `Build failed (${pipeline} pipeline).  ${ZUUL_HELP}`;
  const lines = builds.map(
    (b) =>
      `- ${b.job} ${b.url} : ${b.result} in ${formatDuration(b.durationSeconds)}${pipeline !== null && !b.voting ? ' (non-voting)' : ''}`,
  );
  return `${head}\n\n${status}\n\n${lines.join('\n')}`;
}

function reviewText(ps: number, votes: readonly DemoVote[], inline: number, body: string | null): string {
  const parts = [`Patch Set ${ps}:${votes.length ? ` ${votes.map(formatVote).join(' ')}` : ''}`];
  if (inline > 0) parts.push(`(${inline} comment${inline === 1 ? '' : 's'})`);
  if (body) parts.push(body);
  return parts.join('\n\n');
}

function account(p: DemoAccount): DemoAccount {
  // People carry planted traits; the records carry only what Gerrit knows.
  return { accountId: p.accountId, username: p.username, name: p.name, email: p.email };
}

function approvalKey(ps: number, label: DemoLabel, accountId: number): string {
  return `${ps}|${label}|${accountId}`;
}

function finalize(w: DemoWorld, spec: ChangeSpec, events: StoryEvent[]): DemoChange {
  const { seed, now, host } = w.options;
  const ordered = events
    .map((e, i) => ({ e, i }))
    .sort((x, y) => x.e.t - y.e.t || x.i - y.i)
    .map((x) => x.e);
  let prevT = -Infinity;
  for (const e of ordered) {
    // Two messages in the same second would make the order ambiguous on import.
    if (e.t <= prevT) e.t = prevT + SECOND_MS;
    prevT = e.t;
  }

  const accounts = new Map<number, DemoAccount>();
  const acct = (p: DemoAccount): DemoAccount => {
    let a = accounts.get(p.accountId);
    if (!a) accounts.set(p.accountId, (a = account(p)));
    return a;
  };
  const owner = acct(spec.owner);
  const patchSets: DemoPatchSet[] = [];
  const uploadToPs = new Map<number, number>();
  const messages: DemoMessage[] = [];
  const approvals = new Map<string, DemoApproval>();
  let status: DemoChange['status'] = 'NEW';
  let wip = false;
  let submitted: number | null = null;
  let submitter: DemoAccount | null = null;
  let files = spec.files;
  let messageVersion = 0;
  let message = commitMessage(spec, 0);

  const baseParent = (t: number): string => hexId(40, seed, K_BASE, labelKey(spec.branch), Math.floor(t / HOUR_MS));
  const parentAt = (t: number): string => {
    const revs = spec.parent?.revisions;
    if (!revs) return baseParent(t);
    let rev: string | null = null;
    for (const r of revs) if (r.created <= t) rev = r.revision;
    return rev ?? baseParent(t);
  };
  const push = (
    date: number,
    author: DemoAccount,
    patchSet: number,
    text: string,
    tag: string | null,
    kind: DemoMessageKind,
    votes: DemoVote[],
    ci: DemoMessage['ci'],
  ): void => {
    const seq = messages.length;
    messages.push({
      seq,
      id: hexId(40, seed, K_MESSAGE, spec.number, seq),
      date,
      author: acct(author),
      patchSet,
      text,
      tag,
      kind,
      votes,
      ci,
    });
  };
  const applyVote = (ps: number, v: DemoVote, voter: DemoAccount, t: number, tag: string | null): void => {
    const key = approvalKey(ps, v.label, voter.accountId);
    approvals.delete(key);
    if (v.value !== 0)
      approvals.set(key, { patchSet: ps, label: v.label, value: v.value, voter: acct(voter), granted: t, copied: false, tag });
  };

  for (const e of ordered) {
    if (e.t > now || status !== 'NEW') break;
    const current = patchSets.length;
    switch (e.type) {
      case 'upload': {
        if (e.content) files = e.content;
        if (e.messageUpdate) message = commitMessage(spec, ++messageVersion);
        const n = current + 1;
        const ins = files.reduce((sum, f) => sum + f.insertions, 0);
        const del = files.reduce((sum, f) => sum + f.deletions, 0);
        patchSets.push({
          number: n,
          revision: hexId(40, seed, K_REVISION, spec.number, n),
          parents: [parentAt(e.t)],
          created: e.t,
          uploader: acct(e.uploader),
          kind: e.kind,
          author: owner,
          authorDate: spec.created,
          commitMessage: message,
          files,
          insertions: ins,
          deletions: del,
        });
        uploadToPs.set(e.uploadId, n);
        if (e.wip) wip = true;
        // Copy rules as on OpenStack's Gerrit: Code-Review min/max survive a trivial rebase,
        // every Code-Review vote survives a commit-message-only change. Nothing else is copied.
        for (const a of [...approvals.values()]) {
          if (a.patchSet !== current || a.label !== 'Code-Review') continue;
          if (e.kind === 'NO_CODE_CHANGE' || (e.kind === 'TRIVIAL_REBASE' && Math.abs(a.value) === 2)) {
            approvals.set(approvalKey(n, a.label, a.voter.accountId), { ...a, patchSet: n, copied: true });
          }
        }
        const tag = wip ? 'autogenerated:gerrit:newWipPatchSet' : 'autogenerated:gerrit:newPatchSet';
        push(e.t, e.uploader, n, uploadText(n, e.kind), tag, 'upload', [], null);
        break;
      }
      case 'review': {
        // A removal of a vote that is not there (it was on an older patch set) is no vote at all.
        const votes = e.votes.filter((v) => v.value !== 0 || approvals.has(approvalKey(current, v.label, e.author.accountId)));
        if (votes.length === 0 && !e.body && e.inline === 0) break;
        for (const v of votes) applyVote(current, v, e.author, e.t, null);
        push(e.t, e.author, current, reviewText(current, votes, e.inline, e.body), null, votes.length ? 'review' : 'comment', votes, null);
        break;
      }
      case 'ci': {
        // Zuul drops a superseded patch set from its pipelines; that report never comes.
        const target = e.uploadId !== null ? uploadToPs.get(e.uploadId) : patchSets.filter((p) => p.created <= e.triggeredAt).length;
        if (target !== current) break;
        const tag = e.pipeline ? `autogenerated:zuul:${e.pipeline}` : null;
        const votes: DemoVote[] = e.verified === null ? [] : [{ label: 'Verified', value: e.verified }];
        for (const v of votes) applyVote(current, v, e.author, e.t, tag);
        push(e.t, e.author, current, ciText(current, e.pipeline, e.builds, e.verified), tag, 'ci-report', votes, {
          pipeline: e.pipeline,
          builds: e.builds,
        });
        break;
      }
      case 'merge':
        status = 'MERGED';
        submitted = e.t;
        submitter = acct(e.author);
        push(e.t, e.author, current, 'Change has been successfully merged by Zuul', 'autogenerated:gerrit:merged', 'system', [], null);
        break;
      case 'abandon':
        status = 'ABANDONED';
        push(
          e.t,
          e.author,
          current,
          e.reason ? `Abandoned\n\n${e.reason}` : 'Abandoned',
          'autogenerated:gerrit:abandon',
          'system',
          [],
          null,
        );
        break;
      case 'wip':
        if (e.on === wip) break;
        wip = e.on;
        push(
          e.t,
          e.author,
          current,
          wip ? 'Set Work In Progress' : 'Set Ready For Review',
          wip ? 'autogenerated:gerrit:setWorkInProgress' : 'autogenerated:gerrit:setReadyForReview',
          'system',
          [],
          null,
        );
        break;
    }
  }

  const reviewers: DemoAccount[] = [];
  const seen = new Set<number>();
  for (const m of messages) {
    if (m.kind !== 'review' && m.kind !== 'comment' && m.kind !== 'ci-report') continue;
    if (m.author.accountId === owner.accountId && m.votes.length === 0) continue;
    if (seen.has(m.author.accountId)) continue;
    seen.add(m.author.accountId);
    reviewers.push(m.author);
  }

  const last = patchSets[patchSets.length - 1] as DemoPatchSet;
  return {
    host,
    project: DEMO_PROJECT,
    branch: spec.branch,
    number: spec.number,
    changeId: spec.changeId,
    owner,
    subject: last.commitMessage.slice(0, last.commitMessage.indexOf('\n')),
    topic: spec.topic,
    status,
    workInProgress: wip && status === 'NEW',
    created: spec.created,
    updated: messages.length ? (messages[messages.length - 1] as DemoMessage).date : spec.created,
    submitted,
    submitter,
    patchSets,
    messages,
    approvals: [...approvals.values()].sort((x, y) => x.patchSet - y.patchSet || x.granted - y.granted),
    reviewers,
    truth: { area: spec.area.dir, fate: spec.fate, purpose: spec.purpose, index: spec.index, dependsOn: spec.parent?.number ?? null },
  };
}

/**
 * Plays a change's story and records it as Gerrit would, cut at `now`.
 *
 * @example const change = simulateChange(world, state, spec);
 */
export function simulateChange(w: DemoWorld, state: GenerationState, spec: ChangeSpec): DemoChange {
  const rng = SeededRandom.from(w.options.seed, labelKey('story'), spec.index);
  const story = new Story(w, state, spec, rng);
  story.play();
  story.injectParentRebases();
  return finalize(w, spec, story.events);
}
