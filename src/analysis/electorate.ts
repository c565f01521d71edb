/**
 * The electorate (`steward electorate --release R`): the people entitled to vote under steward.yaml's
 * rule — by default OpenStack's: the authors of a change merged in the project's repositories
 * during the two release cycles ending at R (pure; docs/people-and-history.md, "The electorate").
 *
 * A contribution is a non-merge commit that landed on the main branch of a synced repository (not a
 * backport) or a merged Gerrit change (its owner), as the rule's `evidence` says. Its identity (the
 * author's address, the owner's Gerrit account) maps to a person (analysis/identities.ts), so a
 * person with several addresses and accounts is one voter; bots are never voters.
 */
import type { ReleaseDates } from '../model/release-calendar.js';
import type { IdentityKey, Person } from '../model/people.js';

export interface Contribution {
  identity: IdentityKey;
  kind: 'commit' | 'change';
  /** The commit hash, or the change as HOST/PROJECT/NUMBER. */
  ref: string;
  /** Landing time (commit) or merge time (change), epoch ms. */
  at: number;
  /** The repository or Gerrit project. */
  where: string;
}

/**
 * Contributions summarised by span of time, for the counts per release: `bounds` (epoch ms,
 * ascending, every window's start and end among them) cut time into spans — span 0 before
 * bounds[0], span k from bounds[k-1] to bounds[k] (exclusive), span bounds.length after the last.
 */
export interface ActivitySpans {
  bounds: readonly number[];
  spans: ReadonlyArray<{ identity: IdentityKey; kind: Contribution['kind']; span: number; contributions: number }>;
  /** The first and last contribution's time (epoch ms), null when none. */
  first: number | null;
  last: number | null;
}

/** The span of `t` under `bounds` (see ActivitySpans). */
export function spanOf(bounds: readonly number[], t: number): number {
  let lo = 0;
  let hi = bounds.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (bounds[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Every start and release day of the calendar, ascending, once each: the bounds the counts need. */
export function calendarBounds(calendar: readonly ReleaseDates[]): number[] {
  return [...new Set(calendar.flatMap((r) => [r.start, r.release]))].sort((a, b) => a - b);
}

export interface ElectorateRule {
  /** Release cycles counted, ending with the release asked for. */
  cycles: number;
  evidence: 'commits' | 'changes' | 'either';
}

export interface Qualifying {
  kind: Contribution['kind'];
  ref: string;
  at: string;
  where: string;
}

export interface Voter {
  person: IdentityKey;
  name: string | null;
  preferredEmail: string | null;
  /** The identities the contributions came from. */
  identities: IdentityKey[];
  contributions: number;
  first: Qualifying;
  last: Qualifying;
}

export interface Electorate {
  release: string;
  /** The qualifying period: the first counted cycle's start to the release day (exclusive). */
  window: { start: string; end: string; releases: string[] };
  rule: ElectorateRule & { text: string };
  voters: Voter[];
  /** Contributions by bots in the window (never voters). */
  botContributions: number;
  /** Voters per release of the calendar the data reaches, under the same rule (for a chart). */
  counts: Array<{ release: string; voters: number }>;
  /** What the voters count: people (identities joined), not addresses. */
  unit: 'people';
}

const iso = (t: number) => new Date(t).toISOString();

/** The rule in words. */
export function ruleText(rule: ElectorateRule): string {
  const what =
    rule.evidence === 'commits'
      ? 'a commit landed on the main branch of a synced repository'
      : rule.evidence === 'changes'
        ? 'a Gerrit change merged'
        : 'a commit landed on the main branch of a synced repository or a Gerrit change merged';
  return `authors of ${what} during the ${rule.cycles} release cycle${rule.cycles > 1 ? 's' : ''} ending at the release (from the first cycle's start to the release day)`;
}

/**
 * The electorate of `release` (see the module comment). `contributions` in any order — at least
 * every one in the release's qualifying period; `people` maps every identity to its person
 * (identities without one count as their own person). The counts per release come from `activity`
 * when given (the store's per-span summary of every contribution), else from `contributions`.
 *
 * @example computeElectorate({ contributions, people, calendar }, { release: 'liberty', rule: { cycles: 2, evidence: 'either' } })
 * // { release: 'liberty', window: { start: '2014-10-16…', end: '2015-10-15…', releases: ['kilo', 'liberty'] }, voters: [...], … }
 */
export function computeElectorate(
  input: {
    contributions: readonly Contribution[];
    people: ReadonlyMap<IdentityKey, Person>;
    calendar: readonly ReleaseDates[];
    activity?: ActivitySpans;
  },
  opts: { release: string; rule: ElectorateRule },
): Electorate {
  const ordered = [...input.calendar].sort((a, b) => a.start - b.start);
  const at = ordered.findIndex((r) => r.name === opts.release);
  if (at < 0) throw new RangeError(`computeElectorate: ${opts.release} is not in the calendar`);
  const windowOf = (i: number) => ({ start: ordered[Math.max(0, i - opts.rule.cycles + 1)]!.start, end: ordered[i]!.release });
  const counted = input.contributions
    .filter((c) => opts.rule.evidence === 'either' || (opts.rule.evidence === 'commits' ? c.kind === 'commit' : c.kind === 'change'))
    .sort((a, b) => a.at - b.at || (a.ref < b.ref ? -1 : 1));
  const personOf = (c: Contribution): Person =>
    input.people.get(c.identity) ?? {
      id: c.identity,
      name: null,
      preferredEmail: c.identity.startsWith('email:') ? c.identity.slice(6) : null,
      identities: [c.identity],
      bot: false,
      links: [],
      heldApart: [],
    };
  const votersIn = (start: number, end: number) => {
    const by = new Map<IdentityKey, { p: Person; list: Contribution[] }>();
    let bots = 0;
    for (const c of counted) {
      if (c.at < start || c.at >= end) continue;
      const p = personOf(c);
      if (p.bot) {
        bots++;
        continue;
      }
      const e = by.get(p.id) ?? by.set(p.id, { p, list: [] }).get(p.id)!;
      e.list.push(c);
    }
    return { by, bots };
  };
  const w = windowOf(at);
  const { by, bots } = votersIn(w.start, w.end);
  const q = (c: Contribution): Qualifying => ({ kind: c.kind, ref: c.ref, at: iso(c.at), where: c.where });
  const voters: Voter[] = [...by.values()]
    .map(({ p, list }) => ({
      person: p.id,
      name: p.name,
      preferredEmail: p.preferredEmail,
      identities: [...new Set(list.map((c) => c.identity))].sort(),
      contributions: list.length,
      first: q(list[0]!),
      last: q(list[list.length - 1]!),
    }))
    .sort((a, b) => (a.name ?? a.person).localeCompare(b.name ?? b.person) || (a.person < b.person ? -1 : 1));
  const wanted = (k: Contribution['kind']) =>
    opts.rule.evidence === 'either' || (opts.rule.evidence === 'commits' ? k === 'commit' : k === 'change');
  const activity: ActivitySpans = input.activity ?? summariseSpans(counted, calendarBounds(input.calendar));
  const spans = activity.spans.filter((x) => wanted(x.kind));
  const posOf = new Map(activity.bounds.map((b, k) => [b, k]));
  const first = activity.first;
  const last = activity.last;
  const counts = ordered
    .map((r, i) => ({ r, i }))
    .filter(({ r, i }) => first !== null && last !== null && r.release > first && windowOf(i).start <= last)
    .map(({ r, i }) => {
      const x = windowOf(i);
      // Spans inside [x.start, x.end): those after the bound at x.start up to the one ending at x.end.
      const lo = posOf.get(x.start);
      const hi = posOf.get(x.end);
      if (lo === undefined || hi === undefined) throw new RangeError('computeElectorate: the activity bounds lack a window bound');
      const people = new Set<IdentityKey>();
      for (const a of spans) {
        if (a.span <= lo || a.span > hi) continue;
        const p = input.people.get(a.identity);
        if (p?.bot) continue;
        people.add(p?.id ?? a.identity);
      }
      return { release: r.name, voters: people.size };
    });
  return {
    release: ordered[at]!.name,
    window: {
      start: iso(w.start),
      end: iso(w.end),
      releases: ordered.slice(Math.max(0, at - opts.rule.cycles + 1), at + 1).map((r) => r.name),
    },
    rule: { ...opts.rule, text: ruleText(opts.rule) },
    voters,
    botContributions: bots,
    counts,
    unit: 'people',
  };
}

/** Contributions summarised by span (what the store gives for the counts; see ActivitySpans). */
export function summariseSpans(contributions: readonly Contribution[], bounds: readonly number[]): ActivitySpans {
  const by = new Map<string, { identity: IdentityKey; kind: Contribution['kind']; span: number; contributions: number }>();
  let first: number | null = null;
  let last: number | null = null;
  for (const c of contributions) {
    const span = spanOf(bounds, c.at);
    const k = `${c.kind}\u0000${span}\u0000${c.identity}`;
    const e = by.get(k) ?? by.set(k, { identity: c.identity, kind: c.kind, span, contributions: 0 }).get(k)!;
    e.contributions++;
    if (first === null || c.at < first) first = c.at;
    if (last === null || c.at > last) last = c.at;
  }
  return { bounds, spans: [...by.values()], first, last };
}
