/** Text and CSV of the people report (`steward people list`); JSON is the view itself. */
import type { IdentityKey } from '../model/people.js';
import { toCsv } from './csv.js';

/** One person as the people report lists them. */
export interface PersonRow {
  id: IdentityKey;
  name: string | null;
  /** Null unless the reader may see addresses. */
  preferredEmail: string | null;
  bot: boolean;
  identities: {
    gerrit: Array<{ host: string; id: number; username: string | null }>;
    /** The addresses; null unless the reader may see them (`emailCount` says how many). */
    emails: string[] | null;
    emailCount: number;
    launchpad: string[];
  };
  /** Recorded affiliations, oldest first (ISO dates; null: open). */
  affiliations: Array<{ company: string; start: string | null; end: string | null; source: string }>;
  /** The company at the report's time: recorded, else an e-mail domain guess (basis says which). */
  companyNow: { company: string | null; basis: 'recorded' | 'domain-guess' | 'unknown' };
  /** In the window: non-merge commits landed (backports left out), merged Gerrit changes owned, reviews. */
  activity: { commits: number; changes: number; reviews: number };
}

/** The people report as `--format json` prints it and `/api/v1/people` returns it. */
export interface PeopleView {
  kind: 'people';
  /** The window the activity is counted in: [since, until), ISO; `days` when given as a number of days. */
  period: { since: string; until: string; days?: number };
  /** The release whose window it is, or null (then the report's days before --until, 90 by default). */
  release: string | null;
  /** The same window as `period` (start, end). */
  window: { start: string | null; end: string | null };
  search: string | null;
  /** Whether addresses are shown to this reader. */
  emailsShown: boolean;
  /** People matching (before the limit). */
  total: number;
  people: PersonRow[];
  unit: 'people';
  sources: { people: string[]; activity: string };
}

/** The activity window in words: "Liberty's window (2015-04-30 – 2015-10-15)", "the 90 days to 2026-01-01". */
export function activityWindowText(v: { release: string | null; period: { since: string; until: string; days?: number } }): string {
  const span = `${v.period.since.slice(0, 10)} – ${v.period.until.slice(0, 10)}`;
  if (v.release) return `${v.release}'s window (${span})`;
  return v.period.days !== undefined ? `the ${v.period.days} days to ${v.period.until.slice(0, 10)}` : span;
}

/** The people report as text: one block per person. */
export function renderPeopleText(v: PeopleView): string {
  const out = [
    `People${v.search ? ` matching "${v.search}"` : ''}: ${v.total} (people, not addresses; bots ${v.people.some((p) => p.bot) ? 'marked [bot]' : 'left out'}), activity in ${activityWindowText(v)}${v.emailsShown ? '' : '; e-mail addresses are for leads and admins'}`,
    '',
  ];
  for (const p of v.people) {
    const a = p.activity;
    out.push(
      `${p.name ?? '(no name)'}${p.bot ? ' [bot]' : ''}${p.preferredEmail ? ` <${p.preferredEmail}>` : ''} — ${a.commits} commits, ${a.changes} changes, ${a.reviews} reviews; ${p.companyNow.company ?? 'company unknown'}${p.companyNow.basis === 'domain-guess' ? ' (guessed from the e-mail domain)' : ''}`,
    );
    for (const g of p.identities.gerrit) out.push(`  gerrit   ${g.host}/${g.id}${g.username ? ` (${g.username})` : ''}`);
    if (p.identities.emails) for (const e of p.identities.emails) out.push(`  e-mail   ${e}`);
    else if (p.identities.emailCount) out.push(`  e-mail   ${p.identities.emailCount} address${p.identities.emailCount > 1 ? 'es' : ''}`);
    for (const l of p.identities.launchpad) out.push(`  launchpad ${l}`);
    for (const f of p.affiliations) out.push(`  company  ${f.company} ${f.start?.slice(0, 10) ?? '…'} – ${f.end?.slice(0, 10) ?? 'now'}`);
  }
  if (v.people.length < v.total) out.push('', `${v.total - v.people.length} more (--limit).`);
  return out.join('\n') + '\n';
}

/** The people report as CSV: one row per person. */
export function renderPeopleCsv(v: PeopleView): string {
  return toCsv(
    [
      'id',
      'name',
      'preferred_email',
      'bot',
      'gerrit_accounts',
      'emails',
      'launchpad',
      'company_now',
      'company_basis',
      'commits',
      'changes',
      'reviews',
    ],
    v.people.map((p) => [
      p.id,
      p.name,
      p.preferredEmail,
      p.bot,
      p.identities.gerrit.map((g) => `${g.host}/${g.id}`).join(' '),
      p.identities.emails ? p.identities.emails.join(' ') : p.identities.emailCount,
      p.identities.launchpad.join(' '),
      p.companyNow.company,
      p.companyNow.basis,
      p.activity.commits,
      p.activity.changes,
      p.activity.reviews,
    ]),
  );
}
