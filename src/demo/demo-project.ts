/**
 * A deterministic synthetic Gerrit project ("demo/compute", modelled on OpenStack Nova) for demos,
 * tests and benchmarks. Changes are generated one at a time, so any number of them can be
 * streamed in bounded memory; the same options always give the same changes.
 *
 * Planted facts (named by {@link demoConfig}'s `planted`) let tests of later reports check that
 * a report finds what is known to be there: two idle cores, a strong non-core candidate, a +1
 * gamer, a slow area of the tree, a flaky and a stable non-voting CI job, newcomers.
 */
import type { DemoChange, DemoFate, DemoFile, DemoPerson, DemoPurpose } from './demo-change.js';
import { simulateChange } from './demo-story.js';
import type { ChangeSpec, GenerationState, SeriesParent } from './demo-story.js';
import { unitTestPath } from './demo-story.js';
import { SeededRandom, hexId, labelKey } from './seeded-random.js';
import {
  AREAS,
  BODY_SENTENCES,
  BUG_SUBJECTS,
  CHECK_JOBS,
  CLEANUP_SUBJECTS,
  DOCS_JOBS,
  DOCS_SUBJECTS,
  EXPERIMENTAL_JOBS,
  FEATURE_STEPS,
  FLAKY_JOB,
  SLOW_AREA,
  STABLE_NON_VOTING_JOB,
  TESTS_SUBJECTS,
  TRIVIAL_SUBJECTS,
} from './demo-vocabulary.js';
import type { DemoArea } from './demo-vocabulary.js';
import { DAY_MS, DEMO_PROJECT, HYPERV_CI, SECOND_MS, ZUUL, buildDemoWorld } from './demo-world.js';
import type { DemoBlueprint, DemoOptions, DemoRelease, DemoWorld } from './demo-world.js';
import type { PlantedPriority, PlantedSpecReason, ScriptedChange } from './demo-specs.js';

export type { DemoOptions, DemoRelease, DemoBlueprint } from './demo-world.js';
export { DEMO_PROJECT, DEFAULT_DEMO_HOST } from './demo-world.js';

const K_PLAN = labelKey('plan');
const K_CHANGE_ID = labelKey('change-id');
const K_NOTE = labelKey('release-note');
const K_SCRIPTED = labelKey('scripted');
const FIRST_NUMBER = 880000;
const RECENT_MERGES = 400;

/**
 * Everyone in the demo world: 84 people (12 cores, the strong candidate, the gamer, regulars,
 * newcomers, occasional authors), the three planted reviewers (pile-on, nit spammer, careful) and
 * the two CI bots (role `bot`).
 *
 * @example demoPeople({ now: Date.parse('2025-06-01') }).filter((p) => p.role === 'core').length // 12
 */
export function demoPeople(opts: DemoOptions): DemoPerson[] {
  const w = buildDemoWorld(opts);
  const bot = (a: typeof ZUUL): DemoPerson => ({
    ...a,
    role: 'bot',
    areas: [],
    reviewWeight: 0,
    authorWeight: 0,
    joined: w.options.start,
    idleFrom: null,
  });
  return [...w.people, w.pileOn, w.nitSpammer, w.careful, bot(ZUUL), bot(HYPERV_CI)];
}

/**
 * The release calendar: every cycle released inside the window (two for 12 months) plus the
 * cycle in progress, whose feature freeze or release may lie after `now`. Epoch ms, UTC midnights.
 *
 * @example demoCalendar({ now }).map((r) => r.name) // ['Juniper', 'Kestrel', 'Larch']
 */
export function demoCalendar(opts: DemoOptions): DemoRelease[] {
  return buildDemoWorld(opts).releases;
}

/** What steward.yaml needs to describe the demo project, plus the planted facts for tests. */
export interface DemoConfig {
  host: { name: string; url: string };
  projects: string[];
  branches: string[];
  /** Usernames. */
  coreTeam: string[];
  /** Usernames of CI accounts. */
  bots: string[];
  releases: Array<{ name: string; start: string; featureFreeze: string; release: string }>;
  blueprints: DemoBlueprint[];
  /** Directory prefixes the demo tree is divided into. */
  areas: string[];
  ci: {
    zuul: string;
    thirdParty: string[];
    votingJobs: string[];
    nonVotingJobs: string[];
    experimentalJobs: string[];
  };
  /** ISO timestamps of the generated window. */
  window: { start: string; end: string };
  planted: {
    /** Cores with fewer than 10 reviews in the last 90 days but many before. */
    idleCores: string[];
    /** Non-core with core-like volume, agreement with cores, breadth and comments. */
    strongCandidate: string;
    /** Many comment-less +1s, mostly on changes that then get a -1. */
    gamer: string;
    /** +1 "LGTM" about an hour after a core's +2, on many changes: agrees, but never first. */
    pileOn: string;
    /** −1 "nit" on the first patch set of many changes, before the cores. */
    nitSpammer: string;
    /** About 20 changes in 180 days: votes before the cores, with reasons, agreeing with the outcome. */
    carefulReviewer: string;
    /** Changes touching it wait far longer for review. */
    slowArea: string;
    /** Non-voting job failing ~25% of runs whatever the code. */
    flakyJob: string;
    /** Non-voting job failing about as often as the voting jobs. */
    stableNonVotingJob: string;
    /** People whose first change is inside the window (not in its first 45 days). */
    newcomers: string[];
    /**
     * Blueprint → why its spec, approved for `specsRelease`, did not land there (demo-specs.ts
     * describes each planted story). Empty when the demo plants no specs.
     */
    specs: Record<string, PlantedSpecReason>;
    /** The release whose specs plant the reasons, or null. */
    specsRelease: string | null;
    /** Release priorities (also in the demo steward.yaml) and what their changes were made to do. */
    priorities: PlantedPriority[];
  };
}

const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * Configuration facts of the demo project for the given options.
 *
 * @example const cfg = demoConfig({ now }); cfg.planted.slowArea // 'nova/virt/hyperv/'
 */
export function demoConfig(opts: DemoOptions): DemoConfig {
  const w = buildDemoWorld(opts);
  const unique = (xs: string[]): string[] => [...new Set(xs)];
  return {
    host: { name: w.options.host, url: `https://${w.options.host}` },
    projects: [DEMO_PROJECT],
    branches: ['master', ...w.releases.filter((r) => r.release <= w.options.now).map((r) => r.stableBranch)],
    coreTeam: w.cores.map((c) => c.username),
    bots: [ZUUL.username, HYPERV_CI.username],
    releases: w.releases.map((r) => ({
      name: r.name,
      start: isoDate(r.start),
      featureFreeze: isoDate(r.featureFreeze),
      release: isoDate(r.release),
    })),
    blueprints: w.blueprints,
    areas: AREAS.map((a) => a.dir),
    ci: {
      zuul: ZUUL.username,
      thirdParty: [HYPERV_CI.username],
      votingJobs: unique([...CHECK_JOBS, ...DOCS_JOBS].filter((j) => j.voting).map((j) => j.name)),
      nonVotingJobs: CHECK_JOBS.filter((j) => !j.voting).map((j) => j.name),
      experimentalJobs: EXPERIMENTAL_JOBS.map((j) => j.name),
    },
    window: { start: new Date(w.options.start).toISOString(), end: new Date(w.options.now).toISOString() },
    planted: {
      idleCores: w.idleCores.map((c) => c.username),
      strongCandidate: w.strong.username,
      gamer: w.gamer.username,
      pileOn: w.pileOn.username,
      nitSpammer: w.nitSpammer.username,
      carefulReviewer: w.careful.username,
      slowArea: SLOW_AREA,
      flakyJob: FLAKY_JOB,
      stableNonVotingJob: STABLE_NON_VOTING_JOB,
      newcomers: w.people.filter((p) => p.role === 'newcomer').map((p) => p.username),
      specs: { ...w.specs.planted },
      specsRelease: w.specs.target,
      priorities: w.specs.priorities.map((p) => ({ ...p, blueprints: [...p.blueprints], queries: [...p.queries] })),
    },
  };
}

// ---- arrivals ---------------------------------------------------------------------------------

/**
 * When changes are created: a rate per day (quiet weekends and holidays, a rush before each
 * feature freeze, a lull after each release), inverted so change i lands at quantile (i + u) / n.
 * Monotonic in i, so change numbers grow with creation time as on a real server.
 */
class ArrivalClock {
  private readonly cum: Float64Array;
  private readonly weights: Float64Array;
  private readonly days: number;

  constructor(private readonly w: DemoWorld) {
    const { start, now } = w.options;
    this.days = Math.max(1, Math.ceil((now - start) / DAY_MS));
    this.weights = new Float64Array(this.days);
    this.cum = new Float64Array(this.days + 1);
    for (let d = 0; d < this.days; d++) {
      const mid = start + (d + 0.5) * DAY_MS;
      const date = new Date(mid);
      const dow = date.getUTCDay();
      let weight = dow === 0 || dow === 6 ? 0.3 : 1;
      const month = date.getUTCMonth();
      const day = date.getUTCDate();
      if ((month === 11 && day >= 20) || (month === 0 && day <= 3)) weight *= 0.5;
      for (const r of w.releases) {
        if (mid >= r.featureFreeze - 28 * DAY_MS && mid < r.featureFreeze) weight *= 1.35;
        if (mid >= r.release && mid < r.release + 14 * DAY_MS) weight *= 0.8;
      }
      const length = Math.min(DAY_MS, now - (start + d * DAY_MS));
      this.weights[d] = (weight * length) / DAY_MS;
      this.cum[d + 1] = (this.cum[d] as number) + (this.weights[d] as number);
    }
  }

  /** Creation time of change `i` of `n`; `u` in [0, 1) places it inside its slot. */
  at(i: number, n: number, u: number): number {
    const total = this.cum[this.days] as number;
    const target = ((i + 0.1 + 0.8 * u) / n) * total;
    let lo = 0;
    let hi = this.days - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.cum[mid] as number) <= target) lo = mid;
      else hi = mid - 1;
    }
    const within = (target - (this.cum[lo] as number)) / Math.max(1e-12, this.weights[lo] as number);
    const dayStart = this.w.options.start + lo * DAY_MS;
    const length = Math.min(DAY_MS, this.w.options.now - dayStart);
    return Math.floor((dayStart + Math.min(0.999, within) * length) / SECOND_MS) * SECOND_MS;
  }
}

// ---- planning -------------------------------------------------------------------------------

/** A merged master change a later backport can be cherry-picked from. */
interface RecentMerge {
  changeId: string;
  subject: string;
  body: string;
  trailers: string[];
  revision: string;
  files: DemoFile[];
  area: DemoArea;
  owner: DemoPerson;
  mergedAt: number;
}

interface GroupPlan {
  purpose: DemoPurpose;
  area: DemoArea;
  owner: DemoPerson;
  branch: string;
  length: number;
  blueprint: DemoBlueprint | null;
  /** Feature-step indices for a series, in order. */
  steps: number[];
  backportOf: RecentMerge | null;
}

function pickOwner(w: DemoWorld, rng: SeededRandom, t: number, area: string): DemoPerson {
  return rng.weighted(w.people, (p) =>
    p.joined > t || (p.idleFrom !== null && t >= p.idleFrom) ? 0 : p.authorWeight * (p.areas.includes(area) ? 3 : 1),
  ) as DemoPerson;
}

function areaByDir(dir: string): DemoArea {
  return AREAS.find((a) => a.dir === dir) as DemoArea;
}

function planGroup(w: DemoWorld, rng: SeededRandom, t: number, recent: readonly RecentMerge[], remaining: number): GroupPlan {
  const cycle = w.releases.find((r) => r.start <= t && t < r.release);
  const released = w.releases.filter((r) => r.release <= t);

  if (released.length > 0 && rng.chance(0.1)) {
    const target = (released.length > 1 && rng.chance(0.3) ? released[released.length - 2] : released[released.length - 1]) as DemoRelease;
    // Only fixes that landed after the branch was cut (about a month before release) need a backport.
    const candidates = recent.filter((r) => r.mergedAt < t - DAY_MS && r.mergedAt >= target.release - 30 * DAY_MS);
    if (candidates.length > 0) {
      const of = rng.pick(candidates);
      const owner = of.owner.idleFrom === null && rng.chance(0.5) ? of.owner : pickOwner(w, rng, t, of.area.dir);
      return {
        purpose: 'backport',
        area: of.area,
        owner,
        branch: target.stableBranch,
        length: 1,
        blueprint: null,
        steps: [],
        backportOf: of,
      };
    }
  }

  const frozen = cycle !== undefined && t >= cycle.featureFreeze;
  if (cycle && rng.chance(frozen ? 0.03 : 0.2)) {
    // Blueprints whose changes are scripted (or that get none) are left out (demo-specs.ts).
    const bps = w.blueprints.filter((b) => b.cycle === cycle.name && !w.specs.reserved.has(b.name));
    const blueprint = rng.pick(bps.length ? bps : w.blueprints.filter((b) => b.cycle === cycle.name));
    const length = Math.min(remaining, rng.weighted([1, 2, 3, 4, 5], (k) => [0.25, 0.3, 0.25, 0.12, 0.08][k - 1] as number) as number);
    const steps = FEATURE_STEPS.map((_, k) => k).filter(() => rng.chance(0.6));
    while (steps.length < length) {
      const k = rng.int(0, FEATURE_STEPS.length - 1);
      if (!steps.includes(k)) steps.push(k);
    }
    steps.sort((a, b) => a - b);
    const area = areaByDir(blueprint.area);
    return {
      purpose: 'feature',
      area,
      owner: pickOwner(w, rng, t, area.dir),
      branch: 'master',
      length,
      blueprint,
      steps: steps.slice(0, length),
      backportOf: null,
    };
  }

  const area = rng.weighted(AREAS, (a) => a.weight) as DemoArea;
  let purpose: DemoPurpose;
  if (area.dir === 'doc/') purpose = 'docs';
  else if (area.dir === 'nova/tests/') purpose = 'tests';
  else
    purpose = rng.weighted(['bug', 'trivial', 'cleanup'] as const, (p) =>
      p === 'bug' ? 0.64 : p === 'trivial' ? 0.16 : 0.2,
    ) as DemoPurpose;
  return {
    purpose,
    area,
    owner: pickOwner(w, rng, t, area.dir),
    branch: 'master',
    length: 1,
    blueprint: null,
    steps: [],
    backportOf: null,
  };
}

function wrap(text: string, width = 72): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

function makeBody(rng: SeededRandom, noun: string, purpose: DemoPurpose): string {
  if (purpose === 'trivial' && rng.chance(0.6)) return '';
  const paragraphs = purpose === 'trivial' || purpose === 'docs' ? 1 : rng.int(1, 2);
  const out: string[] = [];
  for (let p = 0; p < paragraphs; p++) {
    const sentences: string[] = [];
    for (let k = rng.int(1, 3); k > 0; k--) sentences.push(rng.pick(BODY_SENTENCES).replace('{noun}', noun));
    out.push(wrap(sentences.join(' ')));
  }
  return out.join('\n\n');
}

function bugNumber(w: DemoWorld, rng: SeededRandom, t: number): number {
  // Launchpad numbers grow with time, about 40 new bugs a day across all projects.
  return 2000000 + Math.floor((t - w.options.start) / DAY_MS) * 40 + rng.int(0, 39);
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .split('-')
    .slice(0, 6)
    .join('-');
}

const MEDIAN_SIZE: Record<DemoPurpose, number> = { bug: 28, feature: 140, trivial: 3, cleanup: 60, tests: 70, docs: 25, backport: 28 };

function makeFiles(
  w: DemoWorld,
  rng: SeededRandom,
  area: DemoArea,
  purpose: DemoPurpose,
  number: number,
  subject: string,
  bug: number | null,
): DemoFile[] {
  const files = new Map<string, DemoFile>();
  const add = (path: string, type: DemoFile['type'], insertions: number, deletions: number): void => {
    if (!files.has(path))
      files.set(path, {
        path,
        type,
        insertions: type === 'DELETED' ? 0 : Math.max(1, insertions),
        deletions: type === 'ADDED' ? 0 : deletions,
      });
  };
  const size = Math.min(4000, Math.max(1, Math.round(rng.logNormal(MEDIAN_SIZE[purpose], 1.1))));
  const delRatio = (): number => (purpose === 'cleanup' ? rng.logNormal(1.5, 0.5) : Math.min(3, rng.logNormal(0.3, 0.9)));

  if (area.dir === 'doc/' || purpose === 'tests') {
    const n = Math.min(area.files.length, 1 + Math.floor(rng.logNormal(0.6, 0.8)));
    for (let k = 0; k < n; k++) {
      const ins = Math.max(1, Math.round((size / n) * (0.5 + rng.float())));
      add(`${area.dir}${rng.pick(area.files)}`, 'MODIFIED', ins, Math.round(ins * delRatio()));
    }
    if (purpose === 'tests' && bug !== null && rng.chance(0.4))
      add(`nova/tests/functional/regressions/test_bug_${bug}.py`, 'ADDED', rng.int(40, 160), 0);
  } else {
    const sources =
      purpose === 'trivial' ? 1 : Math.min(area.files.length, Math.max(1, Math.round(1 + Math.log2(1 + size / 40) + rng.float() * 1.5)));
    const srcShare = purpose === 'trivial' ? 1 : 0.6;
    const weights = Array.from({ length: sources }, () => 0.2 + rng.float());
    const sum = weights.reduce((a, b) => a + b, 0);
    const paths: string[] = [];
    for (let k = 0; k < sources; k++) {
      const path = `${area.dir}${rng.pick(area.files)}`;
      const ins = Math.round((size * srcShare * (weights[k] as number)) / sum);
      add(path, 'MODIFIED', ins, Math.round(ins * delRatio()));
      paths.push(path);
    }
    if (purpose === 'feature' && rng.chance(0.3))
      add(`${area.dir}${slug(subject).split('-').slice(-2).join('_') || 'helpers'}.py`, 'ADDED', Math.round(size * 0.3), 0);
    if (purpose === 'cleanup' && rng.chance(0.15))
      add(`${area.dir}${rng.pick(area.files).replace(/\.py$/, '_compat.py')}`, 'DELETED', 0, rng.int(30, 300));
    if (purpose !== 'trivial' && rng.chance(0.75)) {
      const ins = Math.round(size * 0.4 * (0.5 + rng.float()));
      add(unitTestPath(paths[0] as string), 'MODIFIED', ins, Math.round(ins * delRatio() * 0.5));
    }
    if (purpose === 'bug' && bug !== null && rng.chance(0.15))
      add(`nova/tests/functional/regressions/test_bug_${bug}.py`, 'ADDED', rng.int(40, 160), 0);
  }
  if ((purpose === 'bug' && rng.chance(0.25)) || (purpose === 'feature' && rng.chance(0.4))) {
    add(`releasenotes/notes/${slug(subject)}-${hexId(16, w.options.seed, K_NOTE, number)}.yaml`, 'ADDED', rng.int(4, 14), 0);
  }
  if (purpose === 'feature' && rng.chance(0.25))
    add(`doc/source/admin/${slug(area.nouns[0] as string)}.rst`, 'MODIFIED', rng.int(10, 120), rng.int(0, 20));
  return [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function pickFate(rng: SeededRandom, area: DemoArea, purpose: DemoPurpose): DemoFate {
  const slow = area.dir === SLOW_AREA;
  const weights: Record<DemoFate, number> =
    purpose === 'backport'
      ? {
          merge: 0.86,
          'abandon-author': 0.05,
          'abandon-auto': 0.02,
          'stall-wip': 0,
          'stall-author': 0.03,
          'stall-unreviewed': 0.02,
          'stall-one-short': 0.02,
          'stall-blocked': 0,
        }
      : {
          merge: slow ? 0.55 : 0.75,
          'abandon-author': 0.07,
          'abandon-auto': slow ? 0.1 : 0.06,
          'stall-wip': 0.03,
          'stall-author': 0.04,
          'stall-unreviewed': slow ? 0.14 : 0.025,
          'stall-one-short': slow ? 0.04 : 0.015,
          'stall-blocked': 0.01,
        };
  const fates = Object.keys(weights) as DemoFate[];
  return rng.weighted(fates, (f) => weights[f]) as DemoFate;
}

function pickReworkRounds(rng: SeededRandom, purpose: DemoPurpose): number {
  if (purpose === 'trivial' || purpose === 'docs' || purpose === 'backport') {
    return rng.weighted([0, 1, 2], (k) => [0.7, 0.25, 0.05][k] as number) as number;
  }
  const base = rng.weighted([0, 1, 2, 3, 4, 5], (k) => [0.33, 0.3, 0.18, 0.11, 0.05, 0.03][k] as number) as number;
  return purpose === 'feature' && rng.chance(0.4) ? base + 1 : base;
}

function buildSpec(
  w: DemoWorld,
  rng: SeededRandom,
  plan: GroupPlan,
  j: number,
  index: number,
  number: number,
  created: number,
  parent: SeriesParent | null,
): ChangeSpec {
  const { area, purpose, owner } = plan;
  const noun = plan.blueprint ? plan.blueprint.name.split('-').slice(1).join(' ') : rng.pick(area.nouns);
  const trailers: string[] = [];
  let topic: string | null = null;
  let subject: string;
  let body: string;
  let files: DemoFile[];
  let changeId = `I${hexId(40, w.options.seed, K_CHANGE_ID, number)}`;
  let cherryPickOf: string | null = null;

  if (plan.backportOf) {
    const of = plan.backportOf;
    // A backport keeps the Change-Id of the master change, as `git cherry-pick -x` does.
    changeId = of.changeId;
    subject = of.subject;
    body = of.body;
    trailers.push(...of.trailers);
    cherryPickOf = of.revision;
    files = of.files.map((f) => ({
      ...f,
      insertions: f.type === 'DELETED' ? 0 : Math.max(1, Math.round(f.insertions * (0.9 + rng.float() * 0.2))),
    }));
  } else {
    const withPrefix = (s: string): string => (rng.chance(0.75) || area.dir === 'doc/' ? `${area.prefix}: ${s}` : s);
    let bug: number | null = null;
    switch (purpose) {
      case 'feature': {
        const step = FEATURE_STEPS[plan.steps[j] ?? j % FEATURE_STEPS.length] as string;
        subject = withPrefix(step.replace('{noun}', noun));
        topic = `bp/${(plan.blueprint as DemoBlueprint).name}`;
        const last = j === plan.length - 1;
        trailers.push(
          `${last && rng.chance(0.5) ? 'Implements' : 'Partially-Implements'}: blueprint ${(plan.blueprint as DemoBlueprint).name}`,
        );
        break;
      }
      case 'bug':
        bug = bugNumber(w, rng, created);
        subject = withPrefix(rng.pick(BUG_SUBJECTS).replace('{noun}', noun));
        trailers.push(`${rng.weighted(['Closes-Bug', 'Partial-Bug', 'Related-Bug'], (k) => (k === 'Closes-Bug' ? 0.7 : 0.15))}: #${bug}`);
        if (rng.chance(0.1)) trailers.push(`Related-Bug: #${bugNumber(w, rng, created - rng.int(30, 300) * DAY_MS)}`);
        if (rng.chance(0.4)) topic = `bug/${bug}`;
        break;
      case 'trivial':
        subject = withPrefix(rng.pick(TRIVIAL_SUBJECTS).replace('{noun}', noun));
        trailers.push('TrivialFix');
        break;
      case 'docs':
        subject = withPrefix(rng.pick(DOCS_SUBJECTS).replace('{noun}', noun));
        if (rng.chance(0.2)) trailers.push(`Closes-Bug: #${bugNumber(w, rng, created)}`);
        break;
      case 'tests':
        subject = withPrefix(rng.pick(TESTS_SUBJECTS).replace('{noun}', noun));
        if (rng.chance(0.6)) {
          bug = bugNumber(w, rng, created);
          trailers.push(`Related-Bug: #${bug}`);
        }
        break;
      default:
        subject = withPrefix(rng.pick(CLEANUP_SUBJECTS).replace('{noun}', noun));
        if (rng.chance(0.2)) trailers.push(`Related-Bug: #${bugNumber(w, rng, created)}`);
    }
    if (rng.chance(0.03)) {
      const co = rng.pick(w.people);
      if (co !== owner) trailers.unshift(`Co-Authored-By: ${co.name} <${co.email}>`);
    }
    body = makeBody(rng, noun, purpose);
    files = makeFiles(w, rng, area, purpose, number, subject, bug);
  }

  let fate = pickFate(rng, area, purpose);
  if (parent && parent.fate !== 'merge') {
    // A series cannot get further than its bottom change.
    fate = parent.fate.startsWith('abandon')
      ? 'abandon-author'
      : rng.pick(['stall-one-short', 'stall-author', 'stall-unreviewed'] as const);
  }
  const wipStart = fate === 'stall-wip' || rng.chance(purpose === 'feature' ? 0.12 : 0.05) ? (rng.chance(0.5) ? 'flag' : 'workflow') : null;
  const cycle = w.releases.find((r) => r.start <= created && created < r.release);
  const frozenUntil =
    purpose === 'feature' && cycle && created >= cycle.featureFreeze ? { release: cycle.release, name: cycle.name } : null;
  return {
    index,
    number,
    changeId,
    created,
    owner,
    branch: plan.branch,
    area,
    purpose,
    topic,
    subject,
    body,
    trailers,
    cherryPickOf,
    files,
    fate,
    reworkRounds: pickReworkRounds(rng, purpose),
    wipStart,
    thirdPartyCi:
      area.dir === SLOW_AREA
        ? rng.chance(0.9)
        : area.dir === 'nova/compute/' || area.dir === 'nova/virt/libvirt/'
          ? rng.chance(0.15)
          : false,
    frozenUntil,
    parent,
    script: null,
    reviewSpeed: plan.blueprint ? (w.specs.speed.get(plan.blueprint.name) ?? 1) : 1,
  };
}

/**
 * The planted revert (issue 15, `steward bugs rota`): the first master clean-up that merges, created
 * in the last 120 days, becomes `Revert "<subject>"` of the latest small TrivialFix change that had
 * merged at least a day before — a trivial fix whose constraints did not hold.
 */
function revertTarget(w: DemoWorld, recent: readonly RecentMerge[], created: number): RecentMerge | null {
  if (created < w.options.now - 120 * DAY_MS) return null;
  for (let k = recent.length - 1; k >= 0; k--) {
    const r = recent[k]!;
    const delta = r.files.reduce((a, f) => a + f.insertions + f.deletions, 0);
    if (r.trailers.includes('TrivialFix') && r.mergedAt < created - DAY_MS && delta <= 30) return r;
  }
  return null;
}

function plantedRevert(spec: ChangeSpec, of: RecentMerge): ChangeSpec {
  return {
    ...spec,
    area: of.area,
    subject: `Revert "${of.subject}"`,
    body: `This reverts commit ${of.revision}.\n\nIt broke the periodic task on hosts without the option set.`,
    trailers: [],
    topic: null,
    files: of.files.map((f) => ({ ...f, insertions: f.deletions, deletions: f.insertions })),
  };
}

/** The spec of a change demo-specs.ts scripted: its time, owner, fate and steering are fixed. */
function buildScriptedSpec(w: DemoWorld, sc: ScriptedChange, k: number, index: number, number: number, created: number): ChangeSpec {
  const rng = SeededRandom.from(w.options.seed, K_SCRIPTED, k);
  const plan: GroupPlan = {
    purpose: 'feature',
    area: areaByDir(sc.blueprint.area),
    owner: sc.owner,
    branch: 'master',
    length: 1,
    blueprint: sc.blueprint,
    steps: [rng.int(0, FEATURE_STEPS.length - 1)],
    backportOf: null,
  };
  const spec = buildSpec(w, rng, plan, 0, index, number, created, null);
  return { ...spec, fate: sc.fate, reworkRounds: sc.reworkRounds, wipStart: null, frozenUntil: null, script: sc.script };
}

/** The gap in change numbers before a scripted change (other projects take numbers too). */
function rng1(seed: number, k: number): number {
  return SeededRandom.from(seed, K_SCRIPTED, k, 1).int(1, 12);
}

/**
 * Generates the demo project's changes in creation order (ascending change numbers), one at a
 * time. Patch series are generated together, bottom first; everything else is independent, so
 * memory stays bounded whatever `changes` is.
 *
 * @example
 * for (const change of generateDemoChanges({ now: Date.parse('2025-06-01T00:00:00Z'), changes: 100 })) {
 *   console.log(change.number, change.status);
 * }
 */
export function* generateDemoChanges(opts: DemoOptions): Generator<DemoChange> {
  const w = buildDemoWorld(opts);
  const { seed, changes: n } = w.options;
  if (n === 0) return;
  const clock = new ArrivalClock(w);
  const state: GenerationState = { idleActs: new Map() };
  const recent: RecentMerge[] = [];
  let number = FIRST_NUMBER;
  let prevCreated = -Infinity;
  let i = 0;
  const scripted = w.specs.changes;
  let nextScripted = 0;
  let revertPlanted = false;
  while (i < n) {
    // The scripted changes (demo-specs.ts) take their turn when their time comes.
    const sc = scripted[nextScripted];
    if (sc && sc.created <= clock.at(i, n, 0.5)) {
      const created = Math.max(sc.created, prevCreated + SECOND_MS);
      number += rng1(seed, nextScripted);
      const change = simulateChange(w, state, buildScriptedSpec(w, sc, nextScripted, i, number, created));
      prevCreated = created;
      nextScripted++;
      i++;
      yield change;
      continue;
    }
    const rng = SeededRandom.from(seed, K_PLAN, i);
    const plan = planGroup(w, rng, Math.max(clock.at(i, n, 0.5), prevCreated + SECOND_MS), recent, n - i);
    let parent: SeriesParent | null = null;
    for (let j = 0; j < plan.length && i < n; j++, i++) {
      let created = clock.at(i, n, rng.float());
      // Series members are pushed together, minutes apart.
      if (j > 0) created = Math.min(created, prevCreated + rng.int(60, 900) * SECOND_MS);
      created = Math.max(created, prevCreated + SECOND_MS);
      number += j === 0 ? rng.int(1, 12) : rng.int(1, 2);
      let spec = buildSpec(w, rng, plan, j, i, number, created, parent);
      if (!revertPlanted && plan.length === 1 && spec.purpose === 'cleanup' && spec.branch === 'master' && spec.fate === 'merge') {
        const reverted = revertTarget(w, recent, created);
        if (reverted) {
          spec = plantedRevert(spec, reverted);
          revertPlanted = true;
        }
      }
      const change = simulateChange(w, state, spec);
      prevCreated = created;
      if (plan.length > 1) {
        parent = {
          number: change.number,
          fate: spec.fate,
          revisions: change.patchSets.map((p) => ({ created: p.created, revision: p.revision, kind: p.kind })),
          mergedAt: change.submitted,
        };
      }
      if (change.branch === 'master' && change.status === 'MERGED' && change.submitted !== null && spec.purpose !== 'feature') {
        const last = change.patchSets[change.patchSets.length - 1];
        recent.push({
          changeId: spec.changeId,
          subject: spec.subject,
          body: spec.body,
          trailers: spec.trailers,
          revision: last?.revision ?? '',
          files: last?.files ?? spec.files,
          area: spec.area,
          owner: spec.owner,
          mergedAt: change.submitted,
        });
        if (recent.length > RECENT_MERGES) recent.shift();
      }
      yield change;
    }
  }
}
