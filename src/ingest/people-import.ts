/**
 * `steward people import FILE`: identities and affiliations from a contributor file (a
 * default_data.json or a plain CSV; sources/people/contributors-file.ts) into the store, replacing
 * what an earlier import of the same file stored — all of it or nothing.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { emailKey, launchpadKey } from '../analysis/identities.js';
import { StewardError } from '../model/errors.js';
import type { IdentityKey, IdentityLink } from '../model/people.js';
import { parseAffiliationsCsv, parseDefaultData, type ContributorFile } from '../sources/people/contributors-file.js';
import type { Store } from '../store/engine.js';
import { importHoldsData, replaceImport, type AffiliationRecord } from '../store/queries/people.js';

/** The key of a Gerrit username in an imported file (joined to the one account that has it; people-service.ts). */
export const gerritUserKey = (username: string): IdentityKey => `gerrit-user:${username.trim().toLowerCase()}`;

export interface PeopleImportResult {
  file: string;
  format: 'default-data' | 'csv';
  users: number;
  links: number;
  affiliations: number;
  companies: number;
}

/** Reads, checks and stores a contributor file. `format` defaults from the name (.csv) or the content. */
export async function importContributors(
  store: Store,
  path: string,
  format?: 'default-data' | 'csv',
  /** Let a file with nobody in it replace what an earlier import of it stored (`--replace`). */
  replace = false,
): Promise<PeopleImportResult> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new StewardError('INPUT_UNREADABLE', `cannot read ${path}: ${(e as Error).message}`);
  }
  const fmt = format ?? (path.toLowerCase().endsWith('.csv') ? 'csv' : 'default-data');
  const parsed: ContributorFile = fmt === 'csv' ? parseAffiliationsCsv(text, path) : parseDefaultData(text, path);
  const source = `${fmt}:${basename(path)}`;
  const links: IdentityLink[] = [];
  const affiliations: AffiliationRecord[] = [];
  for (const u of parsed.users) {
    const keys = [
      ...u.emails.map(emailKey),
      ...(u.launchpadId ? [launchpadKey(u.launchpadId)] : []),
      ...(u.gerritUsername ? [gerritUserKey(u.gerritUsername)] : []),
    ];
    if (keys.length === 0) continue;
    for (const k of keys.slice(1)) links.push({ a: keys[0]!, b: k, evidence: 'import', source: `${basename(path)} ${u.record}` });
    for (const a of u.affiliations) affiliations.push({ identity: keys[0]!, company: a.company, startAt: a.start, endAt: a.end, source });
  }
  const companies = parsed.companies.map((c) => ({ ...c, source }));
  // A file that suddenly holds nobody (a cut-short download, the wrong file) must not erase what an
  // earlier import of it stored.
  if (!replace && parsed.users.length === 0 && companies.length === 0 && (await importHoldsData(store.db, source)))
    throw new StewardError(
      'SOURCE_EMPTY',
      `${path} holds no people and no companies, but an earlier import of it stored some: the stored ones were kept`,
      { where: path, hint: 'Check the file; give --replace to replace the stored identities and affiliations with none.' },
    );
  await replaceImport(store.db, source, { links, affiliations, companies });
  return {
    file: path,
    format: fmt,
    users: parsed.users.length,
    links: links.length,
    affiliations: affiliations.length,
    companies: companies.length,
  };
}
