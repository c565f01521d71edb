/**
 * The demo project's feature specs: which blueprint gets a spec in which release, what became of
 * it (implemented, still approved, re-proposed, abandoned, backlog), and the scripted changes that
 * plant every reason an approved spec can fail to land (issue 6). demo-specs-repo.ts writes the
 * plan as a git repository in the OpenStack layout; demo-project.ts generates the scripted changes
 * among the random ones; demoConfig().planted.specs names the planted reason of each spec.
 *
 * The plan is a pure function of the world (so of the demo options): nothing here needs the
 * generated changes, and the scripted changes are made to behave as planned (demo-story.ts).
 *
 * Planting happens in the target release: the latest release cycle that lies wholly inside the
 * window and is released by `now` ("Kestrel" with the default 12 months), when the demo has at
 * least {@link MIN_CHANGES_TO_PLANT} changes. With F its feature freeze:
 * - `no-code`: no change ever names the blueprint;
 * - `no-core-review`: one change, uploaded F − 35 d, CI green, +1s from non-core reviewers only;
 * - `waited-on-author`: one change, uploaded F − 42 d; a core's −1 that its owner never answers;
 * - `waited-on-reviewers`: one change, uploaded F − 45 d; reworked after a core's −1, then one
 *   core's +2 on a clean patch set and no second +2;
 * - `blocked`: one change, uploaded F − 40 d, whose first core review is a −2 that stays;
 * - `part-merged`: two changes; the first (F − 70 d) merges, the second (F − 50 d) is abandoned by its
 *   owner after a core's −1;
 * - `landed-later`: one change (F − 30 d) left waiting on its owner after a core's −1; the spec is
 *   approved again for the next release, whose two changes (its start + 15 d and + 17 d) merge,
 *   and the spec moves to that release's implemented/ before `now`.
 * The other blueprints of the target release land: besides the random feature changes that name
 * them, each gets one scripted change that merges early in the cycle, and its spec moves to
 * implemented/ a week after the release.
 */
import type { DemoFate, DemoPerson } from './demo-change.js';
import { SeededRandom, labelKey } from './seeded-random.js';
import { SLOW_AREA } from './demo-vocabulary.js';
import type { DemoBlueprint, DemoRelease, ResolvedDemoOptions } from './demo-world-types.js';

const DAY = 86_400_000;

/** Below this many changes the demo plants no specs (the scripted changes would crowd it). */
export const MIN_CHANGES_TO_PLANT = 200;

/** Why an approved spec of the target release did not land, as planted. */
export type PlantedSpecReason =
  'no-code' | 'no-core-review' | 'waited-on-author' | 'waited-on-reviewers' | 'blocked' | 'part-merged' | 'landed-later';

/** In the order the module comment describes them; the target release's first blueprints get them in this order. */
export const PLANTED_SPEC_REASONS: readonly PlantedSpecReason[] = [
  'no-code',
  'no-core-review',
  'waited-on-author',
  'waited-on-reviewers',
  'blocked',
  'part-merged',
  'landed-later',
];

/** How many blueprints the target release has: one per reason plus four that land. */
export const TARGET_BLUEPRINTS = PLANTED_SPEC_REASONS.length + 4;

/** Steering of a scripted change's story (demo-story.ts) beyond its fate. */
export interface StoryScript {
  /** Whoever sends the change back for rework is a core reviewer. */
  coreCritic: boolean;
  /** No core reviewer ever reviews it: a non-core reviewer's +1 is all it gets. */
  casualOnly: boolean;
  /** It merges: the gate never fails for good. */
  mustMerge: boolean;
}

/** A change the plan puts at a fixed time, with a fixed fate. */
export interface ScriptedChange {
  blueprint: DemoBlueprint;
  created: number;
  fate: DemoFate;
  reworkRounds: number;
  script: StoryScript;
  /** Owner (a non-core regular, the spec's author). */
  owner: DemoPerson;
}

/** One spec file's life in the specs repository. */
export interface DemoSpec {
  blueprint: string;
  title: string;
  /** Release name as the calendar spells it; null for a backlog spec. */
  release: string | null;
  /** Commit date of the commit that adds it. */
  approvedAt: number;
  author: DemoPerson;
  /** Commit date of the commit that moves it to implemented/, or null. */
  implementedAt: number | null;
  /** Commit date of the commit that moves it to specs/abandoned/, or null. */
  abandonedAt: number | null;
  /** The release it was approved for before, when this spec is a re-proposal. */
  reproposalOf: string | null;
}

/** A planted release priority (steward.yaml `priorities`) and what its changes were made to do. */
export interface PlantedPriority {
  release: string;
  title: string;
  blueprints: string[];
  queries: string[];
  /**
   * `faster`: its changes' review delays were divided by 4; `slower`: it is the slow area of the
   * tree (a priority on paper that did not get its changes reviewed any faster).
   */
  effect: 'faster' | 'slower';
}

export interface DemoSpecPlan {
  /** The release that plants every reason; null when none does (window too short, too few changes). */
  target: string | null;
  specs: DemoSpec[];
  /** Blueprint → planted reason, for the target release's specs that did not land there. */
  planted: Record<string, PlantedSpecReason>;
  /** Scripted changes, in creation order. */
  changes: ScriptedChange[];
  /** Blueprints the random feature changes must not name (their changes are scripted or absent). */
  reserved: Set<string>;
  /** Review speed multiplier per blueprint (< 1: reviewed faster); absent = 1. */
  speed: Map<string, number>;
  priorities: PlantedPriority[];
}

/** The release that plants the reasons: the latest one wholly inside the window and released by `now`. */
export function specTargetRelease(o: ResolvedDemoOptions, releases: readonly DemoRelease[]): DemoRelease | null {
  if (o.changes < MIN_CHANGES_TO_PLANT) return null;
  const done = releases.filter((r) => r.start >= o.start && r.release <= o.now);
  const target = done[done.length - 1];
  if (!target) return null;
  // The re-proposal needs the next cycle to have run two months.
  const next = releases[releases.indexOf(target) + 1];
  return next && next.start + 65 * DAY <= o.now ? target : null;
}

/** "support-vtpm-live-migration" → "Support vTPM live migration". */
export function specTitle(blueprint: string): string {
  const acronyms: Record<string, string> = {
    vtpm: 'vTPM',
    cpu: 'CPU',
    pci: 'PCI',
    vdpa: 'vDPA',
    mdev: 'mdev',
    igb: 'igb',
    vif: 'VIF',
    qos: 'QoS',
    numa: 'NUMA',
    uefi: 'UEFI',
    uuid: 'UUID',
    hyperv: 'Hyper-V',
    fs: 'FS',
    v2: 'v2',
  };
  const words = blueprint
    .split('-')
    .filter((w) => !/^\d+$/.test(w))
    .map((w) => acronyms[w] ?? w);
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Plans the specs repository and the scripted changes. `people` are the world's people; spec
 * authors and scripted owners are drawn from its regular contributors.
 */
export function planDemoSpecs(
  o: ResolvedDemoOptions,
  releases: readonly DemoRelease[],
  blueprints: readonly DemoBlueprint[],
  people: readonly DemoPerson[],
): DemoSpecPlan {
  const rng = SeededRandom.from(o.seed, labelKey('specs'));
  const authors = people.filter((p) => p.role === 'regular');
  const target = specTargetRelease(o, releases);
  const specs: DemoSpec[] = [];
  const planted: Record<string, PlantedSpecReason> = {};
  const changes: ScriptedChange[] = [];
  const reserved = new Set<string>();
  const speed = new Map<string, number>();
  const priorities: PlantedPriority[] = [];
  const none: StoryScript = { coreCritic: false, casualOnly: false, mustMerge: false };

  for (const cycle of releases) {
    const own = blueprints.filter((b) => b.cycle === cycle.name);
    const released = cycle.release <= o.now;
    own.forEach((bp, k) => {
      const author = rng.pick(authors);
      // Specs are approved over the month before the cycle opens, a couple of days apart.
      const approvedAt = cycle.start - 30 * DAY + k * 2 * DAY + rng.int(9 * 3600, 17 * 3600) * 1000;
      const spec: DemoSpec = {
        blueprint: bp.name,
        title: specTitle(bp.name),
        release: cycle.name,
        approvedAt,
        author,
        implementedAt: null,
        abandonedAt: null,
        reproposalOf: null,
      };
      specs.push(spec);
      const moveDay = cycle.release + 7 * DAY + 11 * 3600_000;
      if (target && cycle.name === target.name) {
        const reason = PLANTED_SPEC_REASONS[k];
        const at = (days: number): number => target.featureFreeze - days * DAY + rng.int(8 * 3600, 18 * 3600) * 1000;
        const add = (created: number, fate: DemoFate, reworkRounds: number, script: Partial<StoryScript>): void => {
          changes.push({ blueprint: bp, created, fate, reworkRounds, script: { ...none, ...script }, owner: author });
        };
        if (reason === undefined) {
          // Lands: one early change that surely merges, beside the random ones.
          add(target.start + (10 + 3 * (k - PLANTED_SPEC_REASONS.length)) * DAY + rng.int(8 * 3600, 18 * 3600) * 1000, 'merge', 1, {
            mustMerge: true,
          });
          spec.implementedAt = moveDay;
          return;
        }
        planted[bp.name] = reason;
        reserved.add(bp.name);
        switch (reason) {
          case 'no-code':
            break;
          case 'no-core-review':
            add(at(35), 'stall-unreviewed', 0, { casualOnly: true });
            break;
          case 'waited-on-author':
            add(at(42), 'stall-author', 1, { coreCritic: true });
            break;
          case 'waited-on-reviewers':
            add(at(45), 'stall-one-short', 1, { coreCritic: true });
            break;
          case 'blocked':
            add(at(40), 'stall-blocked', 0, {});
            break;
          case 'part-merged':
            add(at(70), 'merge', 1, { coreCritic: true, mustMerge: true });
            add(at(50), 'abandon-author', 1, { coreCritic: true });
            break;
          case 'landed-later': {
            add(at(30), 'stall-author', 1, { coreCritic: true });
            const next = releases[releases.indexOf(target) + 1] as DemoRelease;
            const again: DemoSpec = {
              ...spec,
              release: next.name,
              approvedAt: next.start + 5 * DAY + rng.int(9 * 3600, 17 * 3600) * 1000,
              implementedAt: next.start + 60 * DAY + 10 * 3600_000,
              reproposalOf: target.name,
            };
            specs.push(again);
            for (const d of [15, 17]) add(next.start + d * DAY + rng.int(8 * 3600, 18 * 3600) * 1000, 'merge', 1, { mustMerge: true });
            break;
          }
        }
        return;
      }
      // Other cycles: the first blueprint gets no code and stays approved; in a released cycle the
      // second gets no code either and is abandoned a month after the release; the rest land.
      if (k === 0 || (released && k === 1)) reserved.add(bp.name);
      if (!released) return;
      if (k === 1) {
        const at = cycle.release + 30 * DAY + 14 * 3600_000;
        if (at <= o.now) spec.abandonedAt = at;
      } else if (k > 1 && moveDay <= o.now) {
        spec.implementedAt = moveDay;
      }
    });
  }

  // The backlog: two ideas without a release, added early in the window.
  for (const [k, name] of ['support-live-resize-of-ephemeral-disks', 'allow-per-tenant-scheduler-weights'].entries()) {
    specs.push({
      blueprint: name,
      title: specTitle(name),
      release: null,
      approvedAt: o.start + (20 + 9 * k) * DAY + 13 * 3600_000,
      author: rng.pick(authors),
      implementedAt: null,
      abandonedAt: null,
      reproposalOf: null,
    });
  }

  if (target) {
    // The faster priority: two landing blueprints outside the slow area (whose slowness would mask the effect).
    const landed = blueprints.filter((b) => b.cycle === target.name && planted[b.name] === undefined && b.area !== SLOW_AREA);
    const [fast1, fast2] = landed;
    if (fast1 && fast2) {
      speed.set(fast1.name, 0.25);
      speed.set(fast2.name, 0.25);
      priorities.push({
        release: target.name,
        title: `${specTitle(fast1.name)} and ${specTitle(fast2.name).toLowerCase()}`,
        blueprints: [fast1.name, fast2.name],
        queries: [],
        effect: 'faster',
      });
    }
    priorities.push({
      release: target.name,
      title: 'Hyper-V driver parity',
      blueprints: [],
      queries: ['file:^nova/virt/hyperv/.*'],
      effect: 'slower',
    });
  }

  changes.sort((a, b) => a.created - b.created);
  return { target: target?.name ?? null, specs, planted, changes, reserved, speed, priorities };
}
