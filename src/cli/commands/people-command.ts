/**
 * `steward people show|merge|split` (one person across addresses and accounts) and
 * `steward people import` (affiliations and identities from a contributor file): what they do,
 * loaded when one of them runs. people-commands.ts defines the commands and their options.
 */
import type { IdentityKey, PeopleDecision, Person } from '../../model/people.js';
import { identityOf, loadPeople, mergePeople, splitPeople, type PeopleSet } from '../../service/people-service.js';
import { effectiveConfig, openStoreFor, type GlobalOptions, type Runtime } from '../context.js';
import { parseFormat } from '../options.js';
import { resolve } from 'node:path';
import { importContributors } from '../../ingest/people-import.js';

const CLI_ACTOR = 'command line';

export interface PeopleOptions extends GlobalOptions {
  format?: string;
  note?: string;
}

export async function runPeopleImport(
  file: string,
  o: PeopleOptions & { as?: 'default-data' | 'csv'; replace?: boolean },
  rt: Runtime,
): Promise<void> {
  const format = parseFormat(o.format);
  const store = await openStoreFor(o, rt);
  try {
    const r = await importContributors(store, resolve(rt.cwd, file), o.as, o.replace === true);
    if (format === 'json') return rt.stdout(JSON.stringify(r, null, 2) + '\n');
    rt.stdout(
      `Imported ${r.file} (${r.format}): ${r.users} people, ${r.links} identity links, ${r.affiliations} affiliations, ${r.companies} companies.\n`,
    );
  } finally {
    await store.close();
  }
}

/** A person as `steward people show --format json` prints it. */
export function personView(p: Person, set: PeopleSet) {
  const ids = new Set(p.identities);
  return {
    id: p.id,
    name: p.name,
    preferredEmail: p.preferredEmail,
    bot: p.bot,
    identities: p.identities,
    links: p.links,
    heldApart: p.heldApart,
    decisions: set.decisions.filter((d) => ids.has(d.a) || ids.has(d.b)).map((d) => ({ ...d, at: new Date(d.at).toISOString() })),
    sources: set.sources,
  };
}

export async function runPeopleShow(spec: string, o: PeopleOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  const store = await openStoreFor(o, rt);
  try {
    const config = await effectiveConfig(o, rt, store);
    const set = await loadPeople(store, config, rt.cwd);
    const p = set.byIdentity.get(identityOf(spec, set))!;
    const v = personView(p, set);
    if (format === 'json') return rt.stdout(JSON.stringify(v, null, 2) + '\n');
    const lines = [
      `${p.name ?? '(no name)'}${p.bot ? ' [bot]' : ''} — preferred e-mail ${p.preferredEmail ?? '-'}; person ${p.id}`,
      'Identities:',
      ...p.identities.map((k) => `  ${k}`),
    ];
    if (p.links.length) lines.push('Joined by:', ...p.links.map((l) => `  ${l.a} = ${l.b}  (${l.evidence}: ${l.source})`));
    if (p.heldApart.length)
      lines.push('Held apart by a split:', ...p.heldApart.map((l) => `  ${l.a} ≠ ${l.b}  (${l.evidence}: ${l.source})`));
    if (v.decisions.length)
      lines.push(
        'Decisions by hand:',
        ...v.decisions.map((d) => `  #${d.id} ${d.kind} ${d.a} ${d.b} by ${d.actor} at ${d.at}${d.note ? ` — ${d.note}` : ''}`),
      );
    rt.stdout(lines.join('\n') + '\n');
  } finally {
    await store.close();
  }
}

export async function runPeopleDecision(kind: PeopleDecision['kind'], a: string, b: string, o: PeopleOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  const store = await openStoreFor(o, rt);
  try {
    const config = await effectiveConfig(o, rt, store);
    const set = await loadPeople(store, config, rt.cwd);
    const ka: IdentityKey = identityOf(a, set);
    const kb: IdentityKey = identityOf(b, set);
    const opts = { actor: CLI_ACTOR, now: rt.clock(), note: o.note ?? null };
    const d = kind === 'merge' ? await mergePeople(store, set, ka, kb, opts) : await splitPeople(store, set, ka, kb, opts);
    const after = await loadPeople(store, config, rt.cwd);
    const view = {
      decision: { ...d, at: new Date(d.at).toISOString() },
      people: [...new Set([after.byIdentity.get(ka)!, after.byIdentity.get(kb)!])].map((p) => personView(p, after)),
    };
    if (format === 'json') return rt.stdout(JSON.stringify(view, null, 2) + '\n');
    rt.stdout(
      kind === 'merge'
        ? `Decision #${d.id}: ${ka} and ${kb} are one person (${view.people[0]!.id}, ${view.people[0]!.identities.length} identities).\n`
        : `Decision #${d.id}: ${ka} and ${kb} are different people from now on.\n`,
    );
  } finally {
    await store.close();
  }
}
