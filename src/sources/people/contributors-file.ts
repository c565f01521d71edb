/**
 * Contributor files: who is who and who worked for whom, when (pure parsing; docs/people-and-history.md,
 * "Affiliations").
 *
 * - `default_data.json`, the format OpenStack's contributor statistics (stackalytics) kept:
 *   `{ "users": [{ "launchpad_id", "gerrit_id", "user_name", "emails": [...], "companies":
 *   [{ "company_name", "end_date" }] }], "companies": [{ "company_name", "domains": [...],
 *   "aliases": [...] }] }`. A user's companies are in order: each ends at its `end_date` (null: still
 *   there) and the next starts where the one before ended. Dates are `2014-Jan-31` or ISO.
 * - a plain CSV with a header: `email,company,start,end` (dates ISO, empty for an open end; one row
 *   per affiliation; the first address of a person names them).
 *
 * Bad input is refused whole, naming the record: not such a file, an end date before its start,
 * overlapping affiliations of one person, an e-mail claimed by two users.
 */
import { StewardError } from '../../model/errors.js';

export interface ContributorUser {
  /** Where it was read: `users[12]` or `line 7`. */
  record: string;
  name: string | null;
  launchpadId: string | null;
  gerritUsername: string | null;
  emails: string[];
  affiliations: Array<{ company: string; start: number | null; end: number | null }>;
}

export interface ContributorCompany {
  name: string;
  domains: string[];
  aliases: string[];
}

export interface ContributorFile {
  users: ContributorUser[];
  companies: ContributorCompany[];
}

const MONTHS: Record<string, string> = {
  jan: '01',
  feb: '02',
  mar: '03',
  apr: '04',
  may: '05',
  jun: '06',
  jul: '07',
  aug: '08',
  sep: '09',
  oct: '10',
  nov: '11',
  dec: '12',
};

function parseDate(v: unknown, where: string, file: string): number | null {
  if (v === null || v === undefined || v === '' || v === 0) return null;
  if (typeof v !== 'string') bad(file, where, `expected a date like 2014-Jan-31, not ${JSON.stringify(v)}`);
  const s = (v as string).trim();
  const m = /^(\d{4})-([A-Za-z]{3})-(\d{1,2})$/.exec(s);
  const iso = m && MONTHS[m[2]!.toLowerCase()] ? `${m[1]}-${MONTHS[m[2]!.toLowerCase()]}-${m[3]!.padStart(2, '0')}` : s;
  const t = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? Date.parse(`${iso}T00:00:00Z`) : NaN;
  if (!Number.isFinite(t)) bad(file, where, `expected a date like 2014-Jan-31 or 2014-01-31, not "${s}"`);
  return t;
}

function bad(file: string, where: string, why: string): never {
  throw new StewardError('INPUT_FORMAT', `${file}: ${where}: ${why}`, {
    hint: 'Fix the record and import again; nothing of the file was stored.',
  });
}

const day = (t: number | null) => (t === null ? 'open' : new Date(t).toISOString().slice(0, 10));

/** Checks what both formats share: end after start, no overlaps per user, no e-mail claimed twice. */
function check(f: ContributorFile, file: string): ContributorFile {
  const owner = new Map<string, string>();
  for (const u of f.users) {
    for (const e of u.emails) {
      const prev = owner.get(e);
      if (prev !== undefined && prev !== u.record) bad(file, u.record, `the e-mail ${e} is claimed by ${prev} too`);
      owner.set(e, u.record);
    }
    const spans = [...u.affiliations].sort((a, b) => (a.start ?? -Infinity) - (b.start ?? -Infinity));
    for (const a of spans)
      if (a.start !== null && a.end !== null && a.end < a.start)
        bad(file, u.record, `the affiliation with ${a.company} ends (${day(a.end)}) before it starts (${day(a.start)})`);
    for (let i = 1; i < spans.length; i++) {
      const p = spans[i - 1]!;
      const c = spans[i]!;
      if (p.end === null || (c.start !== null && c.start < p.end) || c.start === null)
        bad(
          file,
          u.record,
          `the affiliations with ${p.company} (${day(p.start)} to ${day(p.end)}) and ${c.company} (${day(c.start)} to ${day(c.end)}) overlap`,
        );
    }
  }
  return f;
}

/**
 * A default_data.json's users and companies (see the module comment).
 *
 * @example parseDefaultData('{"users":[{"launchpad_id":"ann","emails":["ann@x.org"],"companies":[{"company_name":"X","end_date":null}]}],"companies":[]}', 'default_data.json')
 * // { users: [{ record: 'users[0] (ann)', launchpadId: 'ann', emails: ['ann@x.org'], affiliations: [{ company: 'X', start: null, end: null }], … }], companies: [] }
 */
export function parseDefaultData(text: string, file: string): ContributorFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new StewardError('INPUT_JSON', `${file}: not valid JSON: ${(e as Error).message}`);
  }
  const o = doc as { users?: unknown; companies?: unknown };
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || !Array.isArray(o.users))
    bad(file, 'top level', 'not a default_data.json: expected an object with a "users" list (and "companies")');
  const users: ContributorUser[] = (o.users as unknown[]).map((raw, i) => {
    const u = raw as Record<string, unknown>;
    const label = typeof u?.launchpad_id === 'string' ? u.launchpad_id : typeof u?.user_name === 'string' ? u.user_name : null;
    const record = `users[${i}]${label ? ` (${label})` : ''}`;
    if (typeof u !== 'object' || u === null) bad(file, record, 'expected an object');
    const emails = u.emails ?? [];
    if (!Array.isArray(emails) || emails.some((e) => typeof e !== 'string' || !e.includes('@')))
      bad(file, record, '"emails" must be a list of addresses');
    const comps = u.companies ?? [];
    if (!Array.isArray(comps)) bad(file, record, '"companies" must be a list');
    let start: number | null = null;
    const affiliations = (comps as Array<Record<string, unknown>>).map((c, j) => {
      if (typeof c?.company_name !== 'string' || c.company_name === '') bad(file, `${record} companies[${j}]`, 'expected a "company_name"');
      const end = parseDate(c.end_date, `${record} companies[${j}] end_date`, file);
      const a = { company: c.company_name as string, start, end };
      if (end !== null && start !== null && end < start)
        bad(
          file,
          record,
          `the affiliation with ${a.company} ends (${day(end)}) before it starts (${day(start)}, the end of the one before)`,
        );
      start = end;
      return a;
    });
    const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
    return {
      record,
      name: str(u.user_name),
      launchpadId: str(u.launchpad_id),
      gerritUsername: str(u.gerrit_id),
      emails: (emails as string[]).map((e) => e.trim().toLowerCase()),
      affiliations,
    };
  });
  const companies = (Array.isArray(o.companies) ? o.companies : []).map((raw, i) => {
    const c = raw as Record<string, unknown>;
    if (typeof c?.company_name !== 'string') bad(file, `companies[${i}]`, 'expected a "company_name"');
    const list = (v: unknown) =>
      Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').map((x) => x.trim().toLowerCase()) : [];
    return {
      name: c.company_name as string,
      domains: list(c.domains),
      aliases: (Array.isArray(c.aliases) ? c.aliases : []).filter((x): x is string => typeof x === 'string'),
    };
  });
  return check({ users, companies }, file);
}

/**
 * A plain CSV of affiliations: header `email,company,start,end` (see the module comment). Rows of
 * the same e-mail are one person's.
 */
export function parseAffiliationsCsv(text: string, file: string): ContributorFile {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').trim().toLowerCase().replace(/\s+/g, '');
  if (header !== 'email,company,start,end') bad(file, 'line 1', `expected the header "email,company,start,end", found "${lines[0] ?? ''}"`);
  const byEmail = new Map<string, ContributorUser>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const cells = line.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
    const where = `line ${i + 1}`;
    if (cells.length !== 4) bad(file, where, `expected 4 fields (email,company,start,end), found ${cells.length}`);
    const [email, company, start, end] = cells as [string, string, string, string];
    if (!email.includes('@')) bad(file, where, `"${email}" is not an e-mail address`);
    if (company === '') bad(file, where, 'the company is empty');
    const s = parseDate(start, `${where} start`, file);
    const e = parseDate(end, `${where} end`, file);
    if (s !== null && e !== null && e < s)
      bad(file, where, `the affiliation with ${company} ends (${day(e)}) before it starts (${day(s)})`);
    const key = email.toLowerCase();
    const u =
      byEmail.get(key) ??
      byEmail.set(key, { record: where, name: null, launchpadId: null, gerritUsername: null, emails: [key], affiliations: [] }).get(key)!;
    u.affiliations.push({ company, start: s, end: e });
  }
  return check({ users: [...byEmail.values()], companies: [] }, file);
}
