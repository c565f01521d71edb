/**
 * `steward bugs targets`: open high-importance bugs nobody is working on, ranked, with the evidence
 * beside each, and who fixed bugs in the same area before — a week's work for a senior developer.
 * Definitions in docs/bugs.md ("bugs targets").
 *
 * Nobody is working on an open bug when no open Gerrit change names it and either nobody is
 * assigned or the assignment is stale (assigned, or last touched by a change, more than
 * `staleDays` ago). Ranked by importance (Critical first), then duplicates (more people hit it),
 * then heat, then age: a lexicographic order anyone can check by hand, no hidden weights.
 */
import type { BugChangeRef, BugData, BugImportance, TagFixer, TargetsData } from '../model/bugs.js';
import { DAY_MS } from './stats.js';
import { bugItems, days, fixedAt, IMPORTANCE_RANK, isOpen, isoDay, type VisibilityCounts } from './bugs-common.js';

export interface BugTargetsOptions {
  now: number;
  highImportances: readonly BugImportance[];
  /** An assignment older than this with no change activity no longer counts as work (default 90). */
  staleDays: number;
  /** How far back fixes count towards "who fixed bugs in this area" (days, default 730). */
  fixersDays: number;
  limit: number;
  showRestricted: boolean;
}

export interface BugTarget {
  rank: number;
  bug: number;
  project: string;
  title: string;
  importance: BugImportance;
  status: string;
  ageDays: number;
  heat: number;
  duplicates: number;
  tags: string[];
  assignee: string | null;
  /** Why it counts as unattended. */
  unattended: 'unassigned' | 'stale assignment';
  /** Changes that tried to fix it and were abandoned, newest first, with the reason when a message gave one. */
  abandoned: Array<{ number: number; owner: string | null; abandonedAt: string | null; reason: string | null }>;
  /** People who fixed bugs with one of its tags before (merged changes naming the bug), most fixes first. */
  fixersInArea: Array<{ who: string; fixes: number }>;
}

export interface BugTargetsReport extends VisibilityCounts {
  now: string;
  /** Open high-importance bugs, and how many of them nobody works on. */
  openHigh: number;
  unattended: number;
  /** Restricted bugs among the unattended (counted, named only when shown). */
  restrictedUnattended: number;
  targets: BugTarget[];
}

/**
 * The targets report.
 *
 * @example computeBugTargets(await loadTargetsData(db, ['nova'], { now, highImportances: ['Critical', 'High'], fixersDays: 730 }, 'sqlite'), { now, highImportances: ['Critical', 'High'], staleDays: 90, fixersDays: 730, limit: 30, showRestricted: false })
 */
export function computeBugTargets(data: TargetsData, o: BugTargetsOptions): BugTargetsReport {
  const { now } = o;
  const items = bugItems(data.candidates).filter((i) => i.task.dates.created <= now);
  const high = new Set(o.highImportances);
  const changesOf = new Map<number, BugChangeRef[]>();
  for (const c of data.candidates.changes) {
    if (c.kind === 'related-bug') continue;
    const l = changesOf.get(c.bug) ?? [];
    l.push(c);
    changesOf.set(c.bug, l);
  }
  const duplicates = new Map<number, number>();
  for (const b of data.candidates.bugs) if (b.duplicateOf !== null) duplicates.set(b.duplicateOf, (duplicates.get(b.duplicateOf) ?? 0) + 1);

  // Who fixed bugs of each tag.
  const fixers = new Map<string, Map<string, number>>();
  for (const f of data.fixers)
    for (const tag of f.tags) {
      const m = fixers.get(tag) ?? new Map<string, number>();
      m.set(f.who, (m.get(f.who) ?? 0) + f.fixes);
      fixers.set(tag, m);
    }

  const openHigh = items.filter((i) => isOpen(i) && high.has(i.task.importance));
  // The evidence lists (abandoned changes, fixers in the area) are built for the shown targets only.
  const unattended: Array<
    Omit<BugTarget, 'rank' | 'abandoned' | 'fixersInArea'> & { restricted: boolean; created: number; changes: BugChangeRef[] }
  > = [];
  for (const i of openHigh) {
    const cs = changesOf.get(i.task.bug) ?? [];
    if (cs.some((c) => c.status === 'NEW')) continue;
    let kind: BugTarget['unattended'];
    if (i.task.assignee === null) kind = 'unassigned';
    else {
      const touched = Math.max(i.task.dates.assigned ?? i.task.dates.created, i.task.dates.inProgress ?? 0, ...cs.map((c) => c.updated));
      if (now - touched <= o.staleDays * DAY_MS) continue;
      kind = 'stale assignment';
    }
    const tags = i.bug?.tags ?? [];
    unattended.push({
      restricted: i.restricted,
      created: i.task.dates.created,
      bug: i.task.bug,
      project: i.task.project,
      title: i.bug?.title ?? i.task.title,
      importance: i.task.importance,
      status: i.task.status,
      ageDays: days(now - i.task.dates.created),
      heat: i.bug?.heat ?? 0,
      duplicates: duplicates.get(i.task.bug) ?? 0,
      tags,
      assignee: i.task.assignee,
      unattended: kind,
      changes: cs,
    });
  }
  const abandoned = (cs: readonly BugChangeRef[]): BugTarget['abandoned'] =>
    cs
      .filter((c) => c.status === 'ABANDONED')
      .sort((a, b) => (b.abandonedAt ?? b.updated) - (a.abandonedAt ?? a.updated))
      .map((c) => ({
        number: c.number,
        owner: c.owner,
        abandonedAt: c.abandonedAt === null ? null : isoDay(c.abandonedAt),
        reason: c.abandonReason,
      }));
  const fixersInArea = (tags: readonly string[]): BugTarget['fixersInArea'] => {
    const fx = new Map<string, number>();
    for (const t of tags) for (const [who, n] of fixers.get(t) ?? []) fx.set(who, (fx.get(who) ?? 0) + n);
    return [...fx.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 5)
      .map(([who, fixes]) => ({ who, fixes }));
  };
  unattended.sort(
    (a, b) =>
      IMPORTANCE_RANK[a.importance] - IMPORTANCE_RANK[b.importance] ||
      b.duplicates - a.duplicates ||
      b.heat - a.heat ||
      a.created - b.created ||
      a.bug - b.bug,
  );
  const visible = unattended.filter((t) => o.showRestricted || !t.restricted);
  return {
    now: new Date(now).toISOString(),
    openHigh: openHigh.length,
    unattended: unattended.length,
    restrictedUnattended: unattended.filter((t) => t.restricted).length,
    restrictedHidden: unattended.length - visible.length,
    restrictedShown: o.showRestricted,
    targets: visible.slice(0, o.limit).map(({ restricted: _r, created: _c, changes, ...t }, k) => ({
      rank: k + 1,
      ...t,
      abandoned: abandoned(changes),
      fixersInArea: fixersInArea(t.tags),
    })),
  };
}

/**
 * Who fixed bugs of each tag, from the full data in memory: the owners of the merged changes (not
 * Related-Bug) naming each closed project task fixed within `fixersDays` before `now`, once per task
 * and owner. store/queries/bugs.ts loadTargetsData counts the same in SQL (a test holds the two
 * equal on the demo, both engines).
 */
export function targetsDataFrom(data: BugData, o: { now: number; fixersDays: number }): TargetsData {
  const fixers: TagFixer[] = [];
  for (const i of bugItems(data)) {
    if (!i.bug || isOpen(i) || i.task.dates.created > o.now) continue;
    const f = fixedAt(i.task);
    if (f === null || f < o.now - o.fixersDays * DAY_MS) continue;
    const owners = new Set(
      data.changes.filter((c) => c.bug === i.task.bug && c.kind !== 'related-bug' && c.status === 'MERGED' && c.owner).map((c) => c.owner!),
    );
    if (i.bug.tags.length) for (const who of owners) fixers.push({ tags: i.bug.tags, who, fixes: 1 });
  }
  return { candidates: data, fixers };
}
