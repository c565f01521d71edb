/**
 * People: the identities the store holds (git authors, Gerrit accounts), joined into people on sure
 * evidence (analysis/identities.ts) — .mailmap (steward.yaml `people.mailmap`), explicit mappings
 * (`people.same`), imported contributor files, Gerrit accounts' registered e-mails — and the merges
 * and splits made by hand (`steward people merge|split`, recorded in the store and the audit log).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { gitBotRule } from '../analysis/code-history.js';
import { emailKey, gerritKey, launchpadKey, personIndex, resolvePeople, splitBetween } from '../analysis/identities.js';
import { StewardError } from '../model/errors.js';
import type { IdentityFacts, IdentityKey, IdentityLink, PeopleDecision, Person } from '../model/people.js';
import { parseMailmap } from '../sources/links/mailmap.js';
import type { Store } from '../store/engine.js';
import { addPeopleDecision, listPeopleDecisions, loadGerritAccounts, loadGitAuthors, loadPeopleLinks } from '../store/queries/people.js';
import { appendAudit } from '../store/users-store.js';
import type { EffectiveConfig } from './effective-config.js';

export interface PeopleSet {
  people: Person[];
  byIdentity: Map<IdentityKey, Person>;
  decisions: PeopleDecision[];
  /** What the people rest on, in words. */
  sources: string[];
}

/** The .mailmap steward.yaml names, read and parsed (a malformed line is an error naming it). */
function readMailmap(
  config: EffectiveConfig,
  cwd: string,
): { links: IdentityLink[]; preferred: Map<IdentityKey, string>; names: Map<IdentityKey, string>; file: string | null } {
  const rel = config.config.people.mailmap;
  const links: IdentityLink[] = [];
  const preferred = new Map<IdentityKey, string>();
  const names = new Map<IdentityKey, string>();
  if (!rel) return { links, preferred, names, file: null };
  const file = resolve(config.path ? dirname(config.path) : cwd, rel);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new StewardError('INPUT_UNREADABLE', `cannot read the .mailmap ${file} (steward.yaml people.mailmap): ${(e as Error).message}`);
  }
  for (const m of parseMailmap(text, file)) {
    const commit = emailKey(m.commitEmail);
    if (m.properEmail && m.properEmail !== m.commitEmail) {
      links.push({ a: emailKey(m.properEmail), b: commit, evidence: 'mailmap', source: `${file}:${m.line}` });
    }
    if (m.properEmail) preferred.set(commit, m.properEmail);
    if (m.properName) names.set(m.properEmail ? emailKey(m.properEmail) : commit, m.properName);
  }
  return { links, preferred, names, file };
}

/**
 * Every person the store's identities make, with the evidence (see the module comment). `cwd`
 * resolves a relative .mailmap when no steward.yaml was read.
 */
export async function loadPeople(store: Store, config: EffectiveConfig, cwd: string): Promise<PeopleSet> {
  const [authors, accounts, decisions, imported] = await Promise.all([
    loadGitAuthors(store.db),
    loadGerritAccounts(store.db),
    listPeopleDecisions(store.db),
    loadPeopleLinks(store.db),
  ]);
  const isBot = gitBotRule(config.config.bots);
  const configuredBots = new Set(config.config.bots.map((b) => String(b).toLowerCase()));
  const facts = new Map<IdentityKey, IdentityFacts & { nameCounts: Map<string, number> }>();
  const fact = (key: IdentityKey) => {
    let f = facts.get(key);
    if (!f) facts.set(key, (f = { key, names: [], commits: 0, bot: false, nameCounts: new Map() }));
    return f;
  };
  for (const a of authors) {
    const f = fact(emailKey(a.email));
    f.commits += a.commits;
    f.nameCounts.set(a.name, (f.nameCounts.get(a.name) ?? 0) + a.commits);
    if (isBot(a.name, a.email)) f.bot = true;
  }
  const links: IdentityLink[] = [...imported];
  for (const acc of accounts) {
    const key = gerritKey(acc.host, acc.gerritId);
    const f = fact(key);
    f.username = acc.username;
    if (acc.name) f.nameCounts.set(acc.name, (f.nameCounts.get(acc.name) ?? 0) + 1);
    if (configuredBots.has(String(acc.gerritId)) || (acc.username && configuredBots.has(acc.username.toLowerCase()))) f.bot = true;
    if (acc.email) {
      fact(emailKey(acc.email));
      links.push({ a: key, b: emailKey(acc.email), evidence: 'gerrit-email', source: `the Gerrit account ${acc.gerritId} on ${acc.host}` });
    }
  }
  // An imported file's Gerrit username joins the one account in the store with that username (none
  // or several: not joined, since a username alone does not say which host's account it is).
  const byUsername = new Map<string, Array<(typeof accounts)[number]>>();
  for (const acc of accounts)
    if (acc.username)
      (byUsername.get(acc.username.toLowerCase()) ?? byUsername.set(acc.username.toLowerCase(), []).get(acc.username.toLowerCase())!).push(
        acc,
      );
  for (const k of new Set(imported.flatMap((l) => [l.a, l.b]).filter((k) => k.startsWith('gerrit-user:')))) {
    const accs = byUsername.get(k.slice('gerrit-user:'.length)) ?? [];
    if (accs.length === 1)
      links.push({
        a: k,
        b: gerritKey(accs[0]!.host, accs[0]!.gerritId),
        evidence: 'import',
        source: `the only Gerrit account named ${accs[0]!.username}`,
      });
  }
  const mailmap = readMailmap(config, cwd);
  links.push(...mailmap.links);
  const preferred = new Map(mailmap.preferred);
  const origin = config.origin;
  config.config.people.same.forEach((m, i) => {
    const keys = [
      ...m.emails.map(emailKey),
      ...m.gerrit.map((g) => gerritKey(g.host, g.id)),
      ...(m.launchpad ? [launchpadKey(m.launchpad)] : []),
    ];
    for (const k of keys) fact(k);
    for (const k of keys.slice(1)) links.push({ a: keys[0]!, b: k, evidence: 'mapping', source: `${origin} people.same[${i}]` });
    if (m.emails[0]) for (const k of keys) preferred.set(k, m.emails[0].toLowerCase());
    if (m.name) for (const k of keys) fact(k).properName = m.name;
  });
  for (const [k, n] of mailmap.names) fact(k).properName ??= n;
  for (const l of links) {
    fact(l.a);
    fact(l.b);
  }
  const list: IdentityFacts[] = [...facts.values()].map(({ nameCounts, ...f }) => ({
    ...f,
    names: [...nameCounts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([n]) => n),
  }));
  const people = resolvePeople({ facts: list, links, decisions, preferred });
  const sources = [
    `git authors of the synced repositories (${authors.length} address and name pairs)`,
    `Gerrit accounts in the store (${accounts.length}), joined to their registered e-mail`,
    mailmap.file ? `the .mailmap ${mailmap.file} (${mailmap.links.length} address links)` : 'no .mailmap (steward.yaml people.mailmap)',
    `${config.config.people.same.length} explicit mappings in ${origin}`,
    `${imported.length} links from imported contributor files`,
    `${decisions.length} merges and splits made by hand`,
  ];
  return { people, byIdentity: personIndex(people), decisions, sources };
}

/**
 * An identity as the command line gives it: an e-mail address, `gerrit:HOST/ID`, `HOST/ID`,
 * `launchpad:ID`, or a key as printed. Refused when the store knows no such identity.
 */
export function identityOf(spec: string, set: PeopleSet): IdentityKey {
  const s = spec.trim();
  const candidates = [s, s.includes('@') && !s.includes(':') ? emailKey(s) : null, /^[^:]+\/\d+$/.test(s) ? `gerrit:${s}` : null].filter(
    (x): x is string => x !== null,
  );
  for (const c of candidates) {
    const k = c.startsWith('email:') ? emailKey(c.slice(6)) : c.startsWith('launchpad:') ? launchpadKey(c.slice(10)) : c;
    if (set.byIdentity.has(k)) return k;
  }
  throw new StewardError('NOT_FOUND', `no identity "${spec}" in the store`, {
    hint: "Give an e-mail address seen in the synced commits or a Gerrit account, a Gerrit account as HOST/ID, or a launchpad:ID from an imported file (steward people show lists a person's identities).",
  });
}

/**
 * Joins the people of two identities by hand. Refused when a split made by hand keeps them apart
 * (undo it by merging the exact pair the split named) or when they already are one person.
 */
export async function mergePeople(
  store: Store,
  set: PeopleSet,
  a: IdentityKey,
  b: IdentityKey,
  o: { actor: string; now: number; note: string | null },
): Promise<PeopleDecision> {
  const pa = set.byIdentity.get(a)!;
  const pb = set.byIdentity.get(b)!;
  if (pa === pb) throw new StewardError('USAGE', `${a} and ${b} are already one person (${pa.id})`);
  const split = splitBetween(set.byIdentity, set.decisions, a, b);
  const exactUndo = split && ((split.a === a && split.b === b) || (split.a === b && split.b === a));
  if (split && !exactUndo)
    throw new StewardError(
      'USAGE',
      `${a} and ${b} were split on purpose (decision #${split.id}: ${split.a} apart from ${split.b}, by ${split.actor} on ${new Date(split.at).toISOString().slice(0, 10)}): not merged`,
      { hint: `To undo that split, merge exactly the pair it named: steward people merge ${split.a} ${split.b}.` },
    );
  return record(store, { kind: 'merge', a, b, actor: o.actor, at: o.now, note: o.note });
}

/** Keeps two identities in different people from now on, whatever else links them. */
export async function splitPeople(
  store: Store,
  set: PeopleSet,
  a: IdentityKey,
  b: IdentityKey,
  o: { actor: string; now: number; note: string | null },
): Promise<PeopleDecision> {
  if (a === b) throw new StewardError('USAGE', 'give two different identities to split');
  return record(store, { kind: 'split', a, b, actor: o.actor, at: o.now, note: o.note });
}

async function record(store: Store, d: Omit<PeopleDecision, 'id'>): Promise<PeopleDecision> {
  return store.db.transaction().execute(async (tx) => {
    const saved = await addPeopleDecision(tx, d);
    await appendAudit(tx, {
      at: d.at,
      event: `people.${d.kind}`,
      actorId: null,
      actor: d.actor,
      subject: `${d.a} ${d.b}`,
      ip: null,
      outcome: 'ok',
      detail: { decision: saved.id, ...(d.note ? { note: d.note } : {}) },
    });
    return saved;
  });
}
