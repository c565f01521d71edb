/**
 * One person across addresses and accounts (pure; docs/people-and-history.md, "Identities").
 *
 * Identities are joined only on sure evidence: the same address (identities are keyed by the
 * lower-cased address, so that is automatic), a Gerrit account's registered e-mail, a `.mailmap`
 * line, an explicit mapping (steward.yaml `people`, an imported contributor file), or a merge made
 * by hand. Names never join anyone. A split made by hand keeps two identities in different people
 * whatever else links them: links are applied in a fixed order (hand-made merges, mappings,
 * imports, .mailmap, Gerrit e-mails) and a link that would join two identities split apart is not
 * applied; the person lists it under `heldApart`.
 */
import type { IdentityFacts, IdentityKey, IdentityLink, PeopleDecision, Person } from '../model/people.js';

const ORDER: Record<IdentityLink['evidence'], number> = { manual: 0, mapping: 1, import: 2, mailmap: 3, 'gerrit-email': 4 };

/** An e-mail identity's key. */
export const emailKey = (address: string): IdentityKey => `email:${address.trim().toLowerCase()}`;
/** A Gerrit account's key. */
export const gerritKey = (host: string, id: number): IdentityKey => `gerrit:${host}/${id}`;
/** A Launchpad id's key. */
export const launchpadKey = (id: string): IdentityKey => `launchpad:${id.trim().toLowerCase()}`;

export interface ResolveInput {
  facts: readonly IdentityFacts[];
  links: readonly IdentityLink[];
  decisions: readonly PeopleDecision[];
  /** Proper addresses given by a mapping or .mailmap, by identity (the preferred e-mail of its person). */
  preferred?: ReadonlyMap<IdentityKey, string>;
}

/**
 * The people the identities make (see the module comment for the rules), ordered by id.
 *
 * @example resolvePeople({ facts, links: [{ a: 'gerrit:r/1', b: 'email:ann@x.org', evidence: 'gerrit-email', source: 'r' }], decisions: [] })
 * // [{ id: 'email:ann@x.org', identities: ['email:ann@x.org', 'gerrit:r/1'], … }]
 */
export function resolvePeople(input: ResolveInput): Person[] {
  const parent = new Map<IdentityKey, IdentityKey>();
  const apart = new Map<IdentityKey, Set<IdentityKey>>(); // root → roots it must stay apart from
  const find = (x: IdentityKey): IdentityKey => {
    let r = x;
    while (parent.get(r) !== r) {
      if (!parent.has(r)) {
        parent.set(r, r);
        break;
      }
      r = parent.get(r)!;
    }
    for (let y = x; y !== r;) {
      const n = parent.get(y)!;
      parent.set(y, r);
      y = n;
    }
    return r;
  };
  const add = (x: IdentityKey) => {
    if (!parent.has(x)) parent.set(x, x);
  };
  for (const f of input.facts) add(f.key);
  const manual: IdentityLink[] = [];
  for (const d of input.decisions) {
    add(d.a);
    add(d.b);
    if (d.kind === 'merge') manual.push({ a: d.a, b: d.b, evidence: 'manual', source: `decision #${d.id}` });
  }
  // Splits in force: the latest decision about a pair wins (a merge after a split undoes it).
  const latest = new Map<string, PeopleDecision>();
  for (const d of [...input.decisions].sort((x, y) => x.at - y.at || x.id - y.id)) latest.set(pairKey(d.a, d.b), d);
  for (const d of latest.values()) {
    if (d.kind !== 'split') continue;
    (apart.get(d.a) ?? apart.set(d.a, new Set()).get(d.a)!).add(d.b);
    (apart.get(d.b) ?? apart.set(d.b, new Set()).get(d.b)!).add(d.a);
  }
  const links = [...manual, ...input.links]
    .map((l, i) => ({ l, i }))
    .sort((x, y) => ORDER[x.l.evidence] - ORDER[y.l.evidence] || x.i - y.i)
    .map((x) => x.l);
  const applied: IdentityLink[] = [];
  const held: IdentityLink[] = [];
  for (const l of links) {
    add(l.a);
    add(l.b);
    const ra = find(l.a);
    const rb = find(l.b);
    if (ra === rb) {
      applied.push(l);
      continue;
    }
    if (apart.get(ra)?.has(rb)) {
      held.push(l);
      continue;
    }
    // Join: the new root inherits both roots' split partners (re-rooted).
    parent.set(rb, ra);
    const merged = new Set([...(apart.get(ra) ?? []), ...(apart.get(rb) ?? [])]);
    apart.delete(rb);
    apart.set(ra, merged);
    for (const other of merged) {
      const s = apart.get(other);
      if (s?.delete(rb)) s.add(ra);
    }
    applied.push(l);
  }
  // Split partners are recorded per identity; re-root them all now that the joins are done.
  const groups = new Map<IdentityKey, IdentityKey[]>();
  for (const x of parent.keys()) {
    const r = find(x);
    (groups.get(r) ?? groups.set(r, []).get(r)!).push(x);
  }
  const facts = new Map(input.facts.map((f) => [f.key, f]));
  const people: Person[] = [];
  const linksOf = new Map<IdentityKey, IdentityLink[]>();
  for (const l of applied) if (l.a !== l.b) (linksOf.get(find(l.a)) ?? linksOf.set(find(l.a), []).get(find(l.a))!).push(l);
  const heldOf = new Map<IdentityKey, IdentityLink[]>();
  for (const l of held) for (const r of new Set([find(l.a), find(l.b)])) (heldOf.get(r) ?? heldOf.set(r, []).get(r)!).push(l);
  for (const [root, members] of groups) {
    const ids = members.sort();
    const fs = ids.map((k) => facts.get(k)).filter((f): f is IdentityFacts => f !== undefined);
    const emails = fs.filter((f) => f.key.startsWith('email:')).sort((a, b) => b.commits - a.commits || (a.key < b.key ? -1 : 1));
    const proper = ids.map((k) => input.preferred?.get(k)).find((x) => x !== undefined);
    const properName = fs.map((f) => f.properName).find((x) => x);
    const names = new Map<string, number>();
    for (const f of fs) f.names.forEach((n, i) => names.set(n, (names.get(n) ?? 0) + (f.commits || 1) / (i + 1)));
    const topName = [...names].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? null;
    people.push({
      id: ids[0]!,
      name: properName ?? topName,
      preferredEmail: proper ?? (emails[0] ? emails[0].key.slice('email:'.length) : null),
      identities: ids,
      bot: fs.some((f) => f.bot),
      links: linksOf.get(root) ?? [],
      heldApart: heldOf.get(root) ?? [],
    });
  }
  return people.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The person an identity belongs to, from the resolved people. */
export function personIndex(people: readonly Person[]): Map<IdentityKey, Person> {
  const m = new Map<IdentityKey, Person>();
  for (const p of people) for (const k of p.identities) m.set(k, p);
  return m;
}

/**
 * Whether a split keeps `a` and `b` apart: the latest hand-made decision about identities of their
 * two people is a split. Null when none does; else the decision, for the message.
 */
export function splitBetween(
  people: ReadonlyMap<IdentityKey, Person>,
  decisions: readonly PeopleDecision[],
  a: IdentityKey,
  b: IdentityKey,
): PeopleDecision | null {
  const pa = new Set(people.get(a)?.identities ?? [a]);
  const pb = new Set(people.get(b)?.identities ?? [b]);
  const latest = new Map<string, PeopleDecision>();
  for (const d of [...decisions].sort((x, y) => x.at - y.at || x.id - y.id)) latest.set(pairKey(d.a, d.b), d);
  for (const d of latest.values()) if (d.kind === 'split' && ((pa.has(d.a) && pb.has(d.b)) || (pa.has(d.b) && pb.has(d.a)))) return d;
  return null;
}

function pairKey(a: IdentityKey, b: IdentityKey): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}
