/**
 * The demo's Launchpad side (issue 15): the bugs its changes name, and more that no change names,
 * as Launchpad would hold them, written by `steward demo` as saved searchTasks pages and bug pages
 * (demo-launchpad-pages.ts) and read back by `steward bugs import`. Deterministic for a seed.
 *
 * A bug's state follows its changes: a merged Closes-Bug (or bug/N topic) change on master fixed
 * it (Fix Released when it merged); an open change has it In Progress, assigned to the owner; a bug
 * whose only changes were abandoned went back to Confirmed, unassigned. Planted truths, each for
 * the report meant to find it:
 * - `staleInProgress` (bugs backlog): bugs left In Progress, assigned, although their only change
 *   was abandoned more than 60 days ago;
 * - `oldHighArea` (bugs backlog, bugs targets): a tag with many open High and Critical bugs,
 *   250–350 days old, unassigned, no change — some with duplicates;
 * - `compute-api` (initiatives): the planted initiative's bug tag (demo-initiative.ts), added to the
 *   first few bugs no change names that were reported from its target release's start to the next
 *   release — some fixed, some open;
 * - the rota (bugs rota): three active cores and `stoppedMember`, a core who stopped reviewing
 *   (demo-world.ts idle cores); the reverted trivial fix is planted in demo-project.ts;
 * - blueprints (bugs blueprints): each demo blueprint as Launchpad keeps it (Approved, a goal of its
 *   cycle, implemented when every change naming it merged or its cycle was released with some
 *   merged, started when a change naming it merged or is open), plus
 *   `approvedNotStarted`, `drafting` and `proposed`, goals of the current series no change names
 *   (`proposed`: approved, but its goal only proposed, not accepted by the series' drivers).
 */
import { extractLinks } from '../sources/links/links.js';
import type { Blueprint, Bug, BugImportance, BugStatus, BugTask, InformationType } from '../model/bugs.js';
import { blueprintRefs } from '../sources/links/blueprint-refs.js';
import type { DemoChange } from './demo-change.js';
import { demoConfig, generateDemoChanges, type DemoConfig, type DemoOptions } from './demo-project.js';
import { bugEntry, bugTaskEntry, collectionPage, LAUNCHPAD_API_ROOT, specificationEntry } from './demo-launchpad-pages.js';
import { DEMO_INITIATIVE_BUG_TAG, DEMO_INITIATIVE_TAGGED_BUGS } from './demo-initiative.js';
import { DEMO_LAUNCHPAD_PROJECT } from './demo-specs-repo.js';
import { SeededRandom, labelKey } from './seeded-random.js';
import { buildDemoWorld, DAY_MS } from './demo-world.js';

const K_BUG = labelKey('launchpad-bug');
const K_EXTRA = labelKey('launchpad-extra');

export interface DemoLaunchpad {
  project: string;
  tasks: BugTask[];
  bugs: Bug[];
  /** The blueprints (all_specifications): the demo's own, and two no change names (see `planted.blueprints`). */
  blueprints: Blueprint[];
  rota: { members: string[] };
  planted: {
    staleInProgress: number[];
    oldHighArea: string;
    oldHighBugs: number[];
    stoppedMember: string;
    /** A bug a small trivial-path fix closed, reopened a week after it merged (null when the demo has no such fix). */
    reopened: { bug: number; change: number } | null;
    /**
     * `approvedNotStarted`: definition Approved, goal of the current series, no change names it;
     * `drafting`: the same but not approved (not actionable); `proposed`: approved and not started,
     * its series goal proposed but not accepted (not planned for the series); `implemented`: an Implemented
     * blueprint with merged changes, null when there is none.
     */
    blueprints: { series: string; approvedNotStarted: string; drafting: string; proposed: string; implemented: string | null };
  };
}

/** The tag of a demo area: the last directory of its prefix (nova/virt/hyperv/ → hyperv). */
export function areaTag(dir: string): string {
  const parts = dir.split('/').filter(Boolean);
  return parts[parts.length - 1] ?? 'general';
}

interface Use {
  kind: string;
  status: DemoChange['status'];
  branch: string;
  created: number;
  mergedAt: number | null;
  /** When it was abandoned (its last update), for an abandoned change. */
  abandonedAt: number | null;
  owner: string;
  area: string;
  number: number;
  /** Insertions + deletions of its last patch set. */
  delta: number;
  /** Whether its commit message carries the TrivialFix line. */
  tagged: boolean;
  /** How many bugs it names. */
  bugsNamed: number;
}

/** The importances the demo's trivial path allows (the configuration's default, bugs.trivial.importances). */
const TRIVIAL_IMPORTANCES: readonly BugImportance[] = ['Medium', 'Low', 'Wishlist', 'Undecided'];

const IMPORTANCE_WEIGHTS: Array<[BugImportance, number]> = [
  ['Critical', 0.02],
  ['High', 0.13],
  ['Medium', 0.45],
  ['Low', 0.27],
  ['Wishlist', 0.05],
  ['Undecided', 0.08],
];

function importance(rng: SeededRandom): BugImportance {
  return rng.weighted(IMPORTANCE_WEIGHTS, ([, w]) => w)![0];
}

function infoType(rng: SeededRandom): InformationType {
  const x = rng.float();
  return x < 0.02 ? 'Public Security' : x < 0.03 ? 'Private Security' : 'Public';
}

function task(
  project: string,
  bug: number,
  status: BugStatus,
  imp: BugImportance,
  o: Partial<BugTask['dates']> & { created: number },
  assignee: string | null,
  title: string,
): BugTask {
  return {
    selfLink: `${LAUNCHPAD_API_ROOT}/${project}/+bug/${bug}`,
    bug,
    project,
    series: null,
    status,
    importance: imp,
    assignee,
    milestone: null,
    title,
    dates: {
      created: o.created,
      assigned: o.assigned ?? null,
      confirmed: o.confirmed ?? null,
      triaged: o.triaged ?? null,
      inProgress: o.inProgress ?? null,
      fixCommitted: o.fixCommitted ?? null,
      fixReleased: o.fixReleased ?? null,
      closed: o.closed ?? null,
      leftNew: o.leftNew ?? null,
      incomplete: o.incomplete ?? null,
      leftClosed: o.leftClosed ?? null,
      deferred: o.deferred ?? null,
    },
  };
}

/** Options of the Launchpad side beyond the demo's own. */
export interface DemoLaunchpadOptions {
  /**
   * About this many bugs in all (the bench asks 50,000, the shape): more bugs no change
   * names are added, with the same distribution, numbered from 10,000,000. Default: the demo's own
   * count (about one bug per eight changes beside the bugs the changes name).
   */
  bugs?: number;
}

/**
 * The demo's Launchpad bugs for `opts`, from its generated changes.
 *
 * @example generateDemoLaunchpad({ now, changes: 2000 }).planted.oldHighArea // 'hyperv'
 */
export function generateDemoLaunchpad(
  opts: DemoOptions,
  changes: Iterable<DemoChange> = generateDemoChanges(opts),
  more: DemoLaunchpadOptions = {},
): DemoLaunchpad {
  const w = buildDemoWorld(opts);
  const cfg = demoConfig(opts);
  const { now, seed } = w.options;
  const project = DEMO_LAUNCHPAD_PROJECT;
  const uses = new Map<number, Use[]>();
  const bpChanges = new Map<string, Array<{ status: DemoChange['status']; owner: string; created: number; mergedAt: number | null }>>();
  for (const c of changes) {
    const last = c.patchSets[c.patchSets.length - 1];
    for (const r of blueprintRefs(last?.commitMessage ?? '', c.topic)) {
      if (r.kind === 'related') continue;
      const list = bpChanges.get(r.name) ?? [];
      list.push({ status: c.status, owner: c.owner.username, created: c.created, mergedAt: c.status === 'MERGED' ? c.submitted : null });
      bpChanges.set(r.name, list);
    }
    const links = extractLinks(last?.commitMessage ?? '', c.topic).filter((l) => l.kind.endsWith('bug'));
    for (const l of links) {
      const n = Number(l.target);
      const list = uses.get(n) ?? [];
      list.push({
        kind: l.kind,
        status: c.status,
        branch: c.branch,
        created: c.created,
        mergedAt: c.status === 'MERGED' ? c.submitted : null,
        abandonedAt: c.status === 'ABANDONED' ? c.updated : null,
        owner: c.owner.username,
        area: c.truth.area,
        number: c.number,
        delta: last ? last.insertions + last.deletions : 0,
        tagged: /^\s*TrivialFix\s*$/m.test(last?.commitMessage ?? ''),
        bugsNamed: new Set(links.map((x) => x.target)).size,
      });
      uses.set(n, list);
    }
  }

  const tasks: BugTask[] = [];
  const bugs: Bug[] = [];
  const staleInProgress: number[] = [];
  let reopened: DemoLaunchpad['planted']['reopened'] = null;
  const ids = new Set<number>();
  const addBug = (rng: SeededRandom, id: number, t: BugTask, tags: string[], extra: Partial<Bug> = {}) => {
    tasks.push(t);
    ids.add(id);
    const lastUpdatedAt = Math.min(now, Math.max(t.dates.created, ...Object.values(t.dates).filter((x): x is number => x !== null)));
    bugs.push({
      id,
      title: t.title,
      tags,
      informationType: infoType(rng),
      duplicateOf: null,
      heat: rng.int(0, 40),
      messageCount: rng.int(1, 12),
      owner: null,
      createdAt: t.dates.created,
      lastUpdatedAt,
      lastMessageAt: lastUpdatedAt,
      ...extra,
    });
  };

  for (const id of [...uses.keys()].sort((a, b) => a - b)) {
    const us = uses.get(id)!;
    const rng = SeededRandom.from(seed, K_BUG, id);
    const first = Math.min(...us.map((u) => u.created));
    const created = first - rng.int(1, 30) * DAY_MS;
    const imp = importance(rng);
    const tags = [...new Set(us.map((u) => areaTag(u.area)))].sort();
    const triaged = created + rng.int(0, 12) * DAY_MS + rng.int(0, 86_399) * 1000;
    const title = `${tags[0] ?? 'nova'}: failure seen in bug ${id}`;
    const fix = us
      .filter((u) => u.status === 'MERGED' && u.branch === 'master' && (u.kind === 'closes-bug' || u.kind === 'topic-bug'))
      .sort((a, b) => a.mergedAt! - b.mergedAt!)[0];
    const open = us.filter((u) => u.status === 'NEW' && u.kind !== 'related-bug').sort((a, b) => a.created - b.created)[0];
    const fixers = us.filter((u) => u.kind !== 'related-bug');
    let t: BugTask;
    // Planted (bugs rota, bugs backlog): the first bug a trivial-path change alone fixed (small, and
    // tagged TrivialFix or the bug of an importance the demo's rules allow), merged 30–120 days
    // before now, reopened a week later — the fix did not hold.
    const reopen =
      fix !== undefined &&
      reopened === null &&
      (fix.tagged || TRIVIAL_IMPORTANCES.includes(imp)) &&
      fix.delta <= 30 &&
      fix.bugsNamed === 1 &&
      fixers.length === 1 &&
      fix.mergedAt! >= now - 120 * DAY_MS &&
      fix.mergedAt! <= now - 30 * DAY_MS;
    if (fix) {
      const fixed = {
        created,
        leftNew: Math.min(triaged, fix.created),
        triaged: Math.min(triaged, fix.created),
        assigned: fix.created,
        inProgress: fix.created,
        fixCommitted: fix.mergedAt!,
        fixReleased: fix.mergedAt!,
        closed: fix.mergedAt!,
      };
      if (reopen) {
        reopened = { bug: id, change: fix.number };
        t = task(project, id, 'Confirmed', imp, { ...fixed, leftClosed: fix.mergedAt! + 7 * DAY_MS }, null, title);
      } else {
        t = task(project, id, 'Fix Released', imp, fixed, fix.owner, title);
      }
    } else if (open) {
      t = task(
        project,
        id,
        'In Progress',
        imp,
        {
          created,
          leftNew: Math.min(triaged, open.created),
          confirmed: Math.min(triaged, open.created),
          assigned: open.created,
          inProgress: open.created,
        },
        open.owner,
        title,
      );
    } else if (fixers.length && fixers.every((u) => u.status === 'ABANDONED')) {
      const lastAbandon = Math.max(...fixers.map((u) => u.abandonedAt ?? u.created));
      const owner = fixers.find((u) => (u.abandonedAt ?? u.created) === lastAbandon)!.owner;
      // Planted: a few bugs stay In Progress long after their only change was abandoned.
      if (now - lastAbandon > 60 * DAY_MS && staleInProgress.length < 4 && imp !== 'Undecided') {
        staleInProgress.push(id);
        t = task(
          project,
          id,
          'In Progress',
          imp,
          {
            created,
            leftNew: triaged,
            confirmed: triaged,
            assigned: Math.min(...fixers.map((u) => u.created)),
            inProgress: Math.min(...fixers.map((u) => u.created)),
          },
          owner,
          title,
        );
      } else {
        t = task(project, id, 'Confirmed', imp, { created, leftNew: triaged, confirmed: triaged }, null, title);
      }
    } else {
      // Named only by Related-Bug (or a partial fix that merged): fixed long ago or still open.
      const status: BugStatus = rng.chance(0.4) ? 'Fix Released' : rng.pick(['Confirmed', 'Triaged', 'New'] as const);
      const done = Math.min(now, created + rng.int(5, 60) * DAY_MS);
      t =
        status === 'Fix Released'
          ? task(project, id, status, imp, { created, leftNew: triaged, fixCommitted: done, fixReleased: done, closed: done }, null, title)
          : task(
              project,
              id,
              status,
              status === 'New' ? 'Undecided' : imp,
              { created, leftNew: status === 'New' ? null : triaged },
              null,
              title,
            );
    }
    if (t.dates.created > now) continue;
    addBug(rng, id, t, tags);
  }

  // Bugs no change names: reports that were triaged and left, closed without a fix, or still New.
  const areas = cfg.areas.map(areaTag);
  const extra = Math.max(50, Math.round(w.options.changes / 8));
  const span = now - w.options.start;
  // The planted initiative's tag: on the first bugs of its window that no change names.
  const target = cfg.releases.findIndex((r) => r.name === cfg.planted.specsRelease);
  const tagFrom = target >= 0 ? Date.parse(`${cfg.releases[target]!.start}T00:00:00Z`) : Number.POSITIVE_INFINITY;
  const tagTo = target >= 0 && cfg.releases[target + 1] ? Date.parse(`${cfg.releases[target + 1]!.release}T00:00:00Z`) : tagFrom;
  let initiativeTagged = 0;
  // The demo's own extra bugs (k < extra), then the bench's bulk ones (numbered from 10,000,000).
  // The planted area below adds 24 bugs and 24 duplicates.
  const wanted = (more.bugs ?? 0) - 48;
  for (let k = 0; k < extra || bugs.length < wanted; k++) {
    const rng = SeededRandom.from(seed, K_EXTRA, k < extra ? k : 1_000_000 + k);
    const created = w.options.start + Math.floor(rng.float() * span);
    const id = k < extra ? 2000000 + Math.floor((created - w.options.start) / DAY_MS) * 40 + 20 + (k % 20) : 10_000_000 + k;
    if (uses.has(id) || ids.has(id)) continue;
    const tag = rng.pick(areas);
    const status = rng.weighted(
      [
        ['New', 0.3],
        ['Incomplete', 0.08],
        ['Confirmed', 0.2],
        ['Triaged', 0.08],
        ['Invalid', 0.12],
        ["Won't Fix", 0.07],
        ['Expired', 0.07],
        ['Opinion', 0.02],
        ['Fix Released', 0.06],
      ] as Array<[BugStatus, number]>,
      ([, x]) => x,
    )![0];
    const triaged = Math.min(now, created + rng.int(1, 40) * DAY_MS);
    const closed = Math.min(now, triaged + rng.int(1, 60) * DAY_MS);
    const isNew = status === 'New';
    const imp: BugImportance = isNew ? 'Undecided' : importance(rng);
    const dates: Partial<BugTask['dates']> & { created: number } = { created, leftNew: isNew ? null : triaged };
    if (['Invalid', "Won't Fix", 'Expired', 'Opinion'].includes(status)) dates.closed = closed;
    if (status === 'Fix Released') Object.assign(dates, { fixCommitted: closed, fixReleased: closed, closed });
    if (status === 'Incomplete') dates.incomplete = triaged;
    const planted = created >= tagFrom && created < tagTo && initiativeTagged < DEMO_INITIATIVE_TAGGED_BUGS;
    if (planted) initiativeTagged++;
    addBug(
      rng,
      id,
      task(project, id, status, imp, dates, null, `${tag}: unexpected behaviour reported as bug ${id}`),
      planted ? [DEMO_INITIATIVE_BUG_TAG, tag].sort() : [tag],
    );
  }

  // Planted: an area with many old high-importance bugs nobody works on, some reported again as duplicates.
  const oldHighArea = areaTag(cfg.planted.slowArea);
  const oldHighBugs: number[] = [];
  for (let k = 0; k < 24; k++) {
    const rng = SeededRandom.from(seed, K_EXTRA, 100_000 + k);
    const created = now - (250 + rng.int(0, 100)) * DAY_MS;
    const id = 1990000 + k * 7;
    const imp: BugImportance = k % 4 === 0 ? 'Critical' : 'High';
    const triaged = created + rng.int(1, 10) * DAY_MS;
    addBug(
      rng,
      id,
      task(
        project,
        id,
        k % 2 ? 'Triaged' : 'Confirmed',
        imp,
        { created, leftNew: triaged, confirmed: triaged },
        null,
        `${oldHighArea}: instance operations fail after host reboot (${k + 1})`,
      ),
      [oldHighArea],
      {
        informationType: 'Public',
        heat: 20 + rng.int(0, 60),
      },
    );
    oldHighBugs.push(id);
    for (let d = 0; d < k % 3; d++) {
      const dup = id + 1 + d;
      const dupCreated = created + (d + 1) * 20 * DAY_MS;
      addBug(
        rng,
        dup,
        task(
          project,
          dup,
          'New',
          'Undecided',
          { created: dupCreated },
          null,
          `${oldHighArea}: instance fails after reboot, again (${k + 1}.${d + 1})`,
        ),
        [oldHighArea],
        {
          informationType: 'Public',
          duplicateOf: id,
        },
      );
    }
  }

  // Blueprints: the demo's own, as their changes left them, and two planted goals of the current series.
  const bpRng = SeededRandom.from(seed, labelKey('launchpad-blueprints'));
  const current = w.releases.find((r) => r.start <= now && now < r.release) ?? w.releases[w.releases.length - 1]!;
  const blueprints: Blueprint[] = [];
  let implemented: string | null = null;
  const blueprint = (name: string, o: Partial<Blueprint>): Blueprint => ({
    selfLink: `${LAUNCHPAD_API_ROOT}/${project}/+spec/${name}`,
    project,
    name,
    title: name.replace(/-/g, ' '),
    definitionStatus: 'Approved',
    implementationStatus: 'Not started',
    lifecycleStatus: 'Not started',
    priority: bpRng.pick(['High', 'Medium', 'Low']),
    seriesGoal: current.name,
    seriesGoalAccepted: true,
    milestone: null,
    assignee: null,
    createdAt: current.start,
    startedAt: null,
    completedAt: null,
    ...o,
  });
  for (const b of cfg.blueprints) {
    const release = w.releases.find((r) => r.name === b.cycle);
    const cs = (bpChanges.get(b.name.toLowerCase()) ?? []).filter((c) => c.created <= now);
    const merged = cs.filter((c) => c.status === 'MERGED');
    const open = cs.filter((c) => c.status === 'NEW');
    // Implemented when every change merged, or when its cycle was released with some merged (stray follow-ups stay open).
    const done = merged.length > 0 && (open.length === 0 || (release !== undefined && release.release <= now));
    const started = cs.length ? Math.min(...cs.map((c) => c.created)) : null;
    const completed = done ? Math.max(...merged.map((c) => c.mergedAt!)) : null;
    if (done && implemented === null) implemented = b.name;
    blueprints.push(
      blueprint(b.name, {
        implementationStatus: done ? 'Implemented' : merged.length || open.length ? 'Started' : 'Not started',
        lifecycleStatus: done ? 'Complete' : merged.length || open.length ? 'Started' : 'Not started',
        seriesGoal: b.cycle,
        assignee: cs[0]?.owner ?? null,
        createdAt: Math.min(release?.start ?? now, started ?? now) - 30 * DAY_MS,
        startedAt: merged.length || open.length ? started : null,
        completedAt: completed,
      }),
    );
  }
  const approvedNotStarted = 'demo-approved-waiting';
  const drafting = 'demo-still-drafting';
  const proposed = 'demo-goal-proposed';
  blueprints.push(blueprint(approvedNotStarted, { priority: 'High', assignee: cfg.coreTeam[0] ?? null }));
  blueprints.push(blueprint(drafting, { definitionStatus: 'Drafting', priority: 'Low' }));
  // Approved and not started like the first, but its series goal is only proposed: not planned for the series.
  blueprints.push(blueprint(proposed, { priority: 'High', seriesGoalAccepted: false }));
  blueprints.sort((a, b) => a.name.localeCompare(b.name));

  const rota = demoRota(cfg);
  tasks.sort((a, b) => a.bug - b.bug);
  bugs.sort((a, b) => a.id - b.id);
  return {
    project,
    tasks,
    bugs,
    blueprints,
    rota: { members: rota.members },
    planted: {
      staleInProgress,
      oldHighArea,
      oldHighBugs,
      stoppedMember: rota.stopped,
      reopened,
      blueprints: { series: current.name, approvedNotStarted, drafting, proposed, implemented },
    },
  };
}

/** The demo's trivial-fix rota: three active cores and one who stopped reviewing (an idle core). */
export function demoRota(cfg: Pick<DemoConfig, 'coreTeam' | 'planted'>): { members: string[]; stopped: string } {
  const idle = cfg.planted.idleCores;
  const stopped = idle[0]!;
  return { members: [...cfg.coreTeam.filter((c) => !idle.includes(c)).slice(0, 3), stopped], stopped };
}

/** The demo's Launchpad side as files: searchTasks pages of `size` tasks, then the bugs as one collection. Returns [name, JSON text] pairs. */
export function demoLaunchpadFiles(lp: DemoLaunchpad, size = 300): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const base = `${LAUNCHPAD_API_ROOT}/${lp.project}?ws.op=searchTasks&omit_duplicates=false&order_by=id`;
  for (let start = 0; start < lp.tasks.length; start += size) {
    const next = start + size < lp.tasks.length ? `${base}&ws.size=${size}&ws.start=${start + size}` : null;
    const entries = lp.tasks.slice(start, start + size).map((t) => bugTaskEntry(t, 'Demo Compute'));
    out.push([
      `tasks-${String(start).padStart(6, '0')}.json`,
      JSON.stringify(collectionPage(entries, { start, total: lp.tasks.length, next }), null, 1),
    ]);
  }
  out.push(['bugs.json', JSON.stringify(collectionPage(lp.bugs.map(bugEntry), { start: 0, total: lp.bugs.length, next: null }), null, 1)]);
  out.push([
    'blueprints.json',
    JSON.stringify(
      collectionPage(
        lp.blueprints.map((b) => specificationEntry(b)),
        { start: 0, total: lp.blueprints.length, next: null },
      ),
      null,
      1,
    ),
  ]);
  return out;
}
