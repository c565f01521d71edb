/**
 * The security team's health (`steward security roster`, docs/security.md "The roster"): per
 * member over the last 90 and 180 days, per report, the open items against the embargo cap, who
 * "hasn't had time recently" and whether the team is over its maximum size. Pure: records, rules
 * and `now` in; no text of any item is needed or returned.
 */
import { EMBARGO_STATES, type SecurityState } from '../model/security.js';
import { embargoStatus, type CapFlag } from './security-process.js';

const DAY = 86_400_000;

export interface RosterInput {
  members: Array<{ name: string; addedAt: number; addedBy: string; disabled: boolean }>;
  items: Array<{ id: string; state: SecurityState; receivedAt: number; assignee: string | null; disclosureDate: string | null }>;
  transitions: Array<{ itemId: string; at: number; actor: string; from: SecurityState | null; to: SecurityState }>;
  patches: Array<{ id: number; itemId: string; author: string; at: number }>;
  reviews: Array<{ itemId: string; reviewer: string; at: number }>;
  grants: Array<{ itemId: string; grantedBy: string; at: number }>;
}

export interface RosterRules {
  inactiveDays: number;
  teamMax: number;
  embargoCapDays: number;
  embargoWarnDays: number;
}

export interface MemberWindow {
  days: number;
  /** Steps into triaged or rejected. */
  triage: number;
  /** Every step the member made (triage included; reporting an item counts as its first step). */
  steps: number;
  patches: number;
  /** Votes on other people's private patches. */
  reviews: number;
  grants: number;
  /** Items assigned to the member that came in within the window. */
  assigned: number;
  /** Of those, answered by the member: its first action on the item. */
  answered: number;
  /** Median days from an assigned item's arrival to the member's first action on it; null if none answered. */
  medianFirstResponseDays: number | null;
}

export interface RosterMember {
  name: string;
  since: string;
  addedBy: string;
  disabled: boolean;
  windows: [MemberWindow, MemberWindow];
  lastActivity: { at: string; what: string; item: string } | null;
  /** The "hasn't had time recently" rule: no activity in the last `inactiveDays` days, and on the team at least that long. */
  inactive: boolean;
  /** The facts behind `inactive`, in words. */
  evidence: string;
}

export interface RosterReport {
  id: string;
  state: SecurityState;
  received: string;
  /** Days from arrival to the first step after `received`, by anyone. */
  firstResponseDays: number | null;
  /** Days from arrival to the first private patch. */
  fixDays: number | null;
  /** Days from arrival to disclosure (or to being made public). */
  disclosureDays: number | null;
}

export interface RosterOpenItem {
  id: string;
  state: SecurityState;
  ageDays: number;
  daysLeft: number | null;
  flag: CapFlag;
}

export interface SecurityRoster {
  now: string;
  rules: RosterRules;
  team: { size: number; max: number; overMax: boolean };
  members: RosterMember[];
  inactive: string[];
  reports: RosterReport[];
  open: RosterOpenItem[];
}

const iso = (ms: number) => new Date(ms).toISOString();
const days = (ms: number) => Math.round((ms / DAY) * 10) / 10;

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * The roster at `now`.
 *
 * @example buildSecurityRoster({ members, items, transitions, patches, reviews, grants }, rules, Date.now())
 */
export function buildSecurityRoster(input: RosterInput, rules: RosterRules, now: number): SecurityRoster {
  type Act = { at: number; what: string; item: string };
  const acts = new Map<string, Act[]>();
  const add = (who: string, a: Act) => {
    const l = acts.get(who) ?? [];
    l.push(a);
    acts.set(who, l);
  };
  for (const t of input.transitions) add(t.actor, { at: t.at, what: t.from === null ? 'reported' : `moved it to ${t.to}`, item: t.itemId });
  for (const p of input.patches) add(p.author, { at: p.at, what: 'attached a private patch', item: p.itemId });
  for (const r of input.reviews) add(r.reviewer, { at: r.at, what: 'reviewed a private patch', item: r.itemId });
  for (const g of input.grants) add(g.grantedBy, { at: g.at, what: 'granted access', item: g.itemId });

  const windowOf = (name: string, d: number): MemberWindow => {
    const from = now - d * DAY;
    const inW = (at: number) => at > from && at <= now;
    const mine = input.transitions.filter((t) => t.actor === name && inW(t.at));
    const assignedItems = input.items.filter((i) => i.assignee === name && inW(i.receivedAt));
    const responses: number[] = [];
    for (const i of assignedItems) {
      // Recording the report is not a response to it.
      const first = (acts.get(name) ?? [])
        .filter((a) => a.item === i.id && a.at >= i.receivedAt && a.what !== 'reported')
        .sort((a, b) => a.at - b.at)[0];
      if (first) responses.push(days(first.at - i.receivedAt));
    }
    return {
      days: d,
      triage: mine.filter((t) => t.to === 'triaged' || t.to === 'rejected').length,
      steps: mine.length,
      patches: input.patches.filter((p) => p.author === name && inW(p.at)).length,
      reviews: input.reviews.filter((r) => r.reviewer === name && inW(r.at)).length,
      grants: input.grants.filter((g) => g.grantedBy === name && inW(g.at)).length,
      assigned: assignedItems.length,
      answered: responses.length,
      medianFirstResponseDays: median(responses),
    };
  };

  const members: RosterMember[] = input.members.map((m) => {
    const mine = (acts.get(m.name) ?? []).filter((a) => a.at <= now).sort((a, b) => b.at - a.at);
    const last = mine[0] ?? null;
    const quietDays = last ? Math.floor((now - last.at) / DAY) : null;
    const memberDays = Math.floor((now - m.addedAt) / DAY);
    const quiet = last === null || now - last.at >= rules.inactiveDays * DAY;
    const inactive = quiet && memberDays >= rules.inactiveDays;
    const evidence = last
      ? `last security activity ${last.at ? iso(last.at).slice(0, 10) : ''} (${last.what}, item ${last.item}), ${quietDays} days ago; on the team ${memberDays} days`
      : `no security activity recorded; on the team ${memberDays} days`;
    return {
      name: m.name,
      since: iso(m.addedAt),
      addedBy: m.addedBy,
      disabled: m.disabled,
      windows: [windowOf(m.name, 90), windowOf(m.name, 180)],
      lastActivity: last ? { at: iso(last.at), what: last.what, item: last.item } : null,
      inactive,
      evidence: inactive ? `${evidence}: no activity in the last ${rules.inactiveDays} days` : evidence,
    };
  });

  const reports: RosterReport[] = input.items.map((i) => {
    const steps = input.transitions.filter((t) => t.itemId === i.id).sort((a, b) => a.at - b.at);
    const response = steps.find((t) => t.from !== null);
    const patch = input.patches.filter((p) => p.itemId === i.id).sort((a, b) => a.at - b.at)[0];
    const out = steps.find((t) => t.to === 'disclosed' || t.to === 'public');
    return {
      id: i.id,
      state: i.state,
      received: iso(i.receivedAt),
      firstResponseDays: response ? days(response.at - i.receivedAt) : null,
      fixDays: patch ? days(patch.at - i.receivedAt) : null,
      disclosureDays: out ? days(out.at - i.receivedAt) : null,
    };
  });

  const open: RosterOpenItem[] = input.items
    .filter((i) => EMBARGO_STATES.includes(i.state))
    .map((i) => ({ id: i.id, state: i.state, ...embargoStatus(i, now, rules) }))
    .sort((a, b) => b.ageDays - a.ageDays);

  const size = input.members.filter((m) => !m.disabled).length;
  return {
    now: iso(now),
    rules,
    team: { size, max: rules.teamMax, overMax: size > rules.teamMax },
    members,
    inactive: members.filter((m) => m.inactive).map((m) => m.name),
    reports,
    open,
  };
}

/** The roster as the tracker serves it: with the team's changes from the audit log. */
export interface SecurityRosterView extends SecurityRoster {
  /** Team changes (from the audit log), newest first: who added whom, and self-additions. */
  teamChanges: Array<{ at: string; event: string; actor: string | null; member: string; self: boolean }>;
}
