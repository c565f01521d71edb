/**
 * The fixed part of the demo world, derived from the options alone: the time window, the release
 * calendar, the people (with their planted traits) and the blueprints. Changes are generated
 * against it one by one (demo-project.ts).
 */
import type { DemoAccount, DemoPerson, DemoRole } from './demo-change.js';
import { SeededRandom, labelKey } from './seeded-random.js';
import {
  AREAS,
  BLUEPRINT_OBJECTS,
  BLUEPRINT_VERBS,
  FIRST_NAMES,
  LAST_NAMES,
  MAIL_DOMAINS,
  RELEASE_NAMES,
  SLOW_AREA,
} from './demo-vocabulary.js';
import type { DemoArea } from './demo-vocabulary.js';
import { TARGET_BLUEPRINTS, planDemoSpecs, specTargetRelease } from './demo-specs.js';
import type { DemoSpecPlan } from './demo-specs.js';
import type { DemoBlueprint, DemoRelease, ResolvedDemoOptions } from './demo-world-types.js';

export type { DemoBlueprint, DemoRelease, ResolvedDemoOptions } from './demo-world-types.js';

export const SECOND_MS = 1000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** The one project the demo generates. */
export const DEMO_PROJECT = 'demo/compute';
export const DEFAULT_DEMO_HOST = 'review.example.org';

/**
 * Options of the demo generator. Everything generated is a pure function of these: the same
 * options give byte-identical exports.
 */
export interface DemoOptions {
  /** PRNG seed; default 1. */
  seed?: number;
  /** Number of changes; default 5,000. */
  changes?: number;
  /** Length of the window ending at `now`, in months of 30.44 days; default 12. */
  months?: number;
  /** End of the window, epoch ms. Nothing happens after it. */
  now: number;
  /** Gerrit host name; default "review.example.org". */
  host?: string;
}

/** Applies the defaults once; `now` is truncated to whole seconds because both formats carry seconds. */
export function resolveDemoOptions(opts: DemoOptions): ResolvedDemoOptions {
  if (!Number.isFinite(opts.now)) throw new TypeError(`demo: "now" must be epoch milliseconds, got ${String(opts.now)}`);
  const months = opts.months ?? 12;
  const changes = opts.changes ?? 5000;
  if (!(months > 0)) throw new RangeError(`demo: "months" must be positive, got ${months}`);
  if (!Number.isInteger(changes) || changes < 0) throw new RangeError(`demo: "changes" must be a non-negative integer, got ${changes}`);
  const now = Math.floor(opts.now / SECOND_MS) * SECOND_MS;
  const start = now - Math.round(months * 30.4375) * DAY_MS;
  return { seed: Math.trunc(opts.seed ?? 1), changes, months, now, host: opts.host ?? DEFAULT_DEMO_HOST, start };
}

const CYCLE_DAYS = 182;
/** The latest release happened this long before `now`, so a 12-month window holds two. */
const LAST_RELEASE_AGE_DAYS = 105;

function releaseName(offset: number): string {
  // offset 0 is the cycle in progress; older cycles go back through the alphabet.
  const base = 11 - offset;
  const lap = Math.floor(base / RELEASE_NAMES.length);
  const name = RELEASE_NAMES[((base % RELEASE_NAMES.length) + RELEASE_NAMES.length) % RELEASE_NAMES.length] as string;
  return lap === 0 ? name : `${name}${lap < 0 ? -lap + 1 : lap + 1}`;
}

/**
 * Release cycles of about six months whose release falls in the window, plus the cycle in
 * progress. Dates are UTC midnights; feature freeze is two thirds into each cycle.
 */
export function buildCalendar(o: ResolvedDemoOptions): DemoRelease[] {
  const today = Math.floor(o.now / DAY_MS) * DAY_MS;
  const lastRelease = today - LAST_RELEASE_AGE_DAYS * DAY_MS;
  const cycles: DemoRelease[] = [];
  for (let offset = 0; ; offset++) {
    const release = lastRelease + (1 - offset) * CYCLE_DAYS * DAY_MS;
    if (release < o.start) break;
    const start = release - CYCLE_DAYS * DAY_MS;
    const name = releaseName(offset);
    cycles.unshift({
      name,
      stableBranch: `stable/${name.toLowerCase()}`,
      start,
      featureFreeze: start + Math.round((CYCLE_DAYS * 2) / 3) * DAY_MS,
      release,
    });
  }
  return cycles;
}

function asciiFold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L')
    .toLowerCase();
}

/** Bots: Zuul (votes Verified) and one third-party CI that reports in the old Jenkins form. */
export const ZUUL: DemoAccount = { accountId: 22348, username: 'zuul', name: 'Zuul', email: 'zuul@example.org' };
export const HYPERV_CI: DemoAccount = { accountId: 10118, username: 'hyperv-ci', name: 'Hyper-V CI', email: 'hyperv-ci@cloudbase.example' };

/** How many people of each role the world has. Reviewers: all but four of the authors. */
const ROLE_COUNTS: ReadonlyArray<[DemoRole, number]> = [
  ['core', 12],
  ['strong', 1],
  ['gamer', 1],
  ['regular', 30],
  ['newcomer', 16],
  ['author', 24],
];
const SILENT_AUTHORS = 4;

/** Areas a core can specialise in (nobody specialises in the slow area: that is why it is slow). */
const CORE_AREAS = AREAS.filter((a) => a.dir !== SLOW_AREA && a.dir !== 'doc/').map((a) => a.dir);

function buildPeople(o: ResolvedDemoOptions): DemoPerson[] {
  const rng = SeededRandom.from(o.seed, labelKey('people'));
  const total = ROLE_COUNTS.reduce((n, [, c]) => n + c, 0);
  const pairs: Array<[string, string]> = [];
  const seen = new Set<string>();
  while (pairs.length < total) {
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    if (seen.has(`${first} ${last}`)) continue;
    seen.add(`${first} ${last}`);
    pairs.push([first, last]);
  }
  const usernames = new Set<string>();
  const longAgo = o.start - 2 * 365 * DAY_MS;
  const people: DemoPerson[] = [];
  let idx = 0;
  let accountId = 1000000 + rng.int(0, 500);
  for (const [role, count] of ROLE_COUNTS) {
    for (let k = 0; k < count; k++, idx++) {
      const [first, last] = pairs[idx] as [string, string];
      let username = asciiFold(first[0] + last).replace(/[^a-z0-9]/g, '');
      for (let n = 2; usernames.has(username); n++) username = `${asciiFold(first[0] + last).replace(/[^a-z0-9]/g, '')}${n}`;
      usernames.add(username);
      const domain = rng.pick(MAIL_DOMAINS);
      accountId += rng.int(7, 400);
      const person: DemoPerson = {
        accountId,
        username,
        name: `${first} ${last}`,
        email: `${asciiFold(first)}.${asciiFold(last).replace(/[^a-z0-9]/g, '')}@${domain}`,
        role,
        areas: [],
        reviewWeight: 0,
        authorWeight: 0,
        joined: longAgo,
        idleFrom: null,
      };
      switch (role) {
        case 'core': {
          person.areas = [CORE_AREAS[k % CORE_AREAS.length] as string, CORE_AREAS[(k + 3) % CORE_AREAS.length] as string];
          if (rng.chance(0.5)) person.areas.push(rng.pick(CORE_AREAS));
          person.reviewWeight = 0.6 + rng.float() * 0.8;
          person.authorWeight = 0.5;
          // The two planted idle cores: active for most of the window, then nearly silent.
          if (k === count - 2) person.idleFrom = o.now - 115 * DAY_MS;
          if (k === count - 1) person.idleFrom = o.now - 140 * DAY_MS;
          break;
        }
        case 'strong':
          person.areas = CORE_AREAS.slice();
          person.authorWeight = 2;
          break;
        case 'gamer':
          person.areas = [rng.pick(CORE_AREAS)];
          person.authorWeight = 0.4;
          break;
        case 'regular':
          person.areas = [rng.pick(AREAS).dir, rng.pick(AREAS).dir];
          person.reviewWeight = 1 / (1 + k * 0.18);
          person.authorWeight = 1 + rng.float() * 2;
          break;
        case 'newcomer':
          person.areas = [rng.pick(AREAS).dir];
          person.reviewWeight = 0.25;
          person.authorWeight = 1.2;
          person.joined = o.start + Math.round(45 + rng.float() * Math.max(1, (o.now - o.start) / DAY_MS - 65)) * DAY_MS;
          break;
        case 'author':
          person.areas = [rng.pick(AREAS).dir];
          person.reviewWeight = k < count - SILENT_AUTHORS ? 0.05 : 0;
          person.authorWeight = 0.9;
          break;
        case 'bot':
          break;
      }
      people.push(person);
    }
  }
  return people;
}

function buildBlueprints(o: ResolvedDemoOptions, releases: readonly DemoRelease[]): DemoBlueprint[] {
  const rng = SeededRandom.from(o.seed, labelKey('blueprints'));
  const out: DemoBlueprint[] = [];
  const used = new Set<string>();
  const featureAreas = AREAS.filter((a) => a.dir !== 'doc/' && a.dir !== 'nova/tests/');
  let objectIdx = rng.int(0, BLUEPRINT_OBJECTS.length - 1);
  // Seven per cycle; the release that plants the specs' not-landed reasons (demo-specs.ts) has more.
  const target = specTargetRelease(o, releases);
  for (const cycle of releases) {
    for (let k = 0; k < (cycle === target ? TARGET_BLUEPRINTS : 7); k++) {
      const object = BLUEPRINT_OBJECTS[objectIdx++ % BLUEPRINT_OBJECTS.length] as string;
      let name = `${rng.pick(BLUEPRINT_VERBS)}-${object}`;
      for (let n = 2; used.has(name); n++) name = `${rng.pick(BLUEPRINT_VERBS)}-${object}-${n}`;
      used.add(name);
      // In the planting release only a Hyper-V blueprint is in the slow area, so that three of its
      // landing blueprints are sure to be outside it (the planted priorities need them).
      const areas = cycle === target ? featureAreas.filter((a) => a.dir !== SLOW_AREA) : featureAreas;
      let area: DemoArea = rng.weighted(areas, (a) => a.weight) as DemoArea;
      if (object.includes('hyperv')) area = AREAS.find((a) => a.dir === SLOW_AREA) as DemoArea;
      out.push({ name, cycle: cycle.name, area: area.dir });
    }
  }
  return out;
}

/**
 * The planted reviewers a core-candidate score must see through (issue 21): a pile-on (+1 "LGTM"
 * an hour after a core's +2), a nit spammer (−1 "nit" on first patch sets) and a careful reviewer
 * (a few changes, voting before the cores with reasons, agreeing with the outcome). Drawn from
 * their own random stream and kept out of `people`, so that adding them changed no other draw.
 */
function buildPlantedReviewers(
  o: ResolvedDemoOptions,
  people: readonly DemoPerson[],
): Record<'pileOn' | 'nitSpammer' | 'careful', DemoPerson> {
  const rng = SeededRandom.from(o.seed, labelKey('planted-reviewers'));
  const names = new Set(people.map((p) => p.name));
  const usernames = new Set(people.map((p) => p.username));
  let accountId = Math.max(...people.map((p) => p.accountId));
  const make = (role: DemoRole): DemoPerson => {
    let first: string;
    let last: string;
    do {
      first = rng.pick(FIRST_NAMES);
      last = rng.pick(LAST_NAMES);
    } while (names.has(`${first} ${last}`));
    names.add(`${first} ${last}`);
    const base = asciiFold(first[0] + last).replace(/[^a-z0-9]/g, '');
    let username = base;
    for (let n = 2; usernames.has(username); n++) username = `${base}${n}`;
    usernames.add(username);
    accountId += rng.int(7, 400);
    return {
      accountId,
      username,
      name: `${first} ${last}`,
      email: `${asciiFold(first)}.${asciiFold(last).replace(/[^a-z0-9]/g, '')}@${rng.pick(MAIL_DOMAINS)}`,
      role,
      areas: [],
      reviewWeight: 0,
      authorWeight: 0,
      joined: o.start - 2 * 365 * DAY_MS,
      idleFrom: null,
    };
  };
  return { pileOn: make('pile-on'), nitSpammer: make('nit-spammer'), careful: make('careful') };
}

/** Everything fixed for one set of options. */
export interface DemoWorld {
  options: ResolvedDemoOptions;
  releases: DemoRelease[];
  people: DemoPerson[];
  cores: DemoPerson[];
  /** The core who runs the project (and its clean-up scripts). */
  ptl: DemoPerson;
  strong: DemoPerson;
  gamer: DemoPerson;
  /** The planted reviewers of {@link buildPlantedReviewers}; not in `people` (they author nothing). */
  pileOn: DemoPerson;
  nitSpammer: DemoPerson;
  careful: DemoPerson;
  idleCores: DemoPerson[];
  /** Non-core people who review now and then (regulars, newcomers, most authors). */
  casualReviewers: DemoPerson[];
  blueprints: DemoBlueprint[];
  /** The specs repository and the changes scripted to plant why specs did not land (demo-specs.ts). */
  specs: DemoSpecPlan;
  /** "example.org" for "review.example.org": CI log servers live beside Gerrit. */
  domain: string;
}

export function buildDemoWorld(opts: DemoOptions): DemoWorld {
  const options = resolveDemoOptions(opts);
  const releases = buildCalendar(options);
  const people = buildPeople(options);
  const cores = people.filter((p) => p.role === 'core');
  const find = (role: DemoRole): DemoPerson => people.find((p) => p.role === role) as DemoPerson;
  const blueprints = buildBlueprints(options, releases);
  return {
    options,
    releases,
    people,
    cores,
    ptl: cores[0] as DemoPerson,
    strong: find('strong'),
    gamer: find('gamer'),
    ...buildPlantedReviewers(options, people),
    idleCores: cores.filter((c) => c.idleFrom !== null),
    casualReviewers: people.filter((p) => (p.role === 'regular' || p.role === 'newcomer' || p.role === 'author') && p.reviewWeight > 0),
    blueprints,
    specs: planDemoSpecs(options, releases, blueprints, people),
    domain: options.host.replace(/^review\./, ''),
  };
}
