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
 * The electorate of `release` (see the module comment). `contributions` in any order; `people`
 * maps every identity to its person (identities without one count as their own person).
 *
 * @example computeElectorate({ contributions, people, calendar }, { release: 'liberty', rule: { cycles: 2, evidence: 'either' } })
 * // { release: 'liberty', window: { start: '2014-10-16…', end: '2015-10-15…', releases: ['kilo', 'liberty'] }, voters: [...], … }
 */
export function computeElectorate(
  input: { contributions: readonly Contribution[]; people: ReadonlyMap<IdentityKey, Person>; calendar: readonly ReleaseDates[] },
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
  const first = counted[0]?.at ?? null;
  const last = counted[counted.length - 1]?.at ?? null;
  const counts = ordered
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => first !== null && last !== null && r.release > first && windowOf(ordered.indexOf(r)).start <= last)
    .map(({ r, i }) => {
      const x = windowOf(i);
      return { release: r.name, voters: votersIn(x.start, x.end).by.size };
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
