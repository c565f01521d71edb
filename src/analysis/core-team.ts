/**
 * Core team membership over time, from dated group snapshots (`steward sync` takes one whenever
 * the Gerrit group changes) or, failing that, the list configured in steward.yaml.
 */
import type { GroupSnapshot } from '../model/activity.js';
import type { Timestamp } from '../model/records.js';

export interface MembershipEvent {
  /** When the change was first seen: the snapshot's time (the join or leave happened since the previous one). */
  at: Timestamp;
  /** The previous snapshot's time: the change happened after this (null for the first snapshot). */
  notBefore: Timestamp | null;
  accountId: number;
  change: 'joined' | 'left';
}

/** Joins and leaves between consecutive snapshots, oldest first; the first snapshot's members "join". */
export function membershipEvents(snapshots: readonly GroupSnapshot[]): MembershipEvent[] {
  const sorted = [...snapshots].sort((a, b) => a.takenAt - b.takenAt);
  const events: MembershipEvent[] = [];
  let prev = new Set<number>();
  let prevAt: Timestamp | null = null;
  for (const s of sorted) {
    const cur = new Set(s.memberIds);
    for (const id of [...cur].sort((a, b) => a - b))
      if (!prev.has(id)) events.push({ at: s.takenAt, notBefore: prevAt, accountId: id, change: 'joined' });
    for (const id of [...prev].sort((a, b) => a - b))
      if (!cur.has(id)) events.push({ at: s.takenAt, notBefore: prevAt, accountId: id, change: 'left' });
    prev = cur;
    prevAt = s.takenAt;
  }
  return events;
}

/**
 * Members at time t: those of the latest snapshot taken at or before t. Before the first snapshot
 * membership is unknown: returns `fallback` (the configured list), or the first snapshot when no
 * fallback is given — stated in the report that uses it.
 */
export function membersAt(
  snapshots: readonly GroupSnapshot[],
  t: Timestamp,
  fallback: ReadonlySet<number> | null = null,
): ReadonlySet<number> | null {
  let best: GroupSnapshot | null = null;
  for (const s of snapshots) if (s.takenAt <= t && (!best || s.takenAt >= best.takenAt)) best = s;
  if (best) return new Set(best.memberIds);
  if (fallback) return fallback;
  const first = [...snapshots].sort((a, b) => a.takenAt - b.takenAt)[0];
  return first ? new Set(first.memberIds) : null;
}
