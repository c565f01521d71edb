/**
 * Changing mentoring (`steward core mentor add|end`, the web's /manage/mentoring): one set of rules
 * for the command line and the browser. People are named as on the command line: a username, a
 * Gerrit account id (digits) or an email. Every refusal is a StewardError naming the field at fault
 * the way the caller spells it (`--mentor` on the command line, `mentor` on the web).
 */
import type { AccountInfo } from '../model/activity.js';
import { StewardError } from '../model/errors.js';
import type { Store } from '../store/engine.js';
import { addMentorship, endMentorships, listMentorships } from '../store/mentoring-store.js';
import { loadAccounts } from '../store/queries/activity.js';
import type { EffectiveConfig } from './effective-config.js';
import { teamContextFor } from './team-context.js';

/** How the caller spells the fields, for messages. */
export interface MentoringFieldNames {
  candidate: string;
  mentor: string;
  since: string;
  at: string;
  host: string;
  /** How to end a running mentorship, for the hint when one already runs. */
  endHint: (candidate: string, mentor: string) => string;
}

export const CLI_MENTORING_NAMES: MentoringFieldNames = {
  candidate: 'candidate',
  mentor: '--mentor',
  since: '--since',
  at: '--at',
  host: '--host',
  endHint: (c, m) => `End it first with \`steward core mentor end ${c} --mentor ${m}\`.`,
};

export interface AccountRef {
  username: string | null;
  name: string | null;
  gerritAccountId: number | null;
}

export function accountRef(a: AccountInfo): AccountRef {
  return { username: a.username, name: a.name, gerritAccountId: a.gerritId };
}

/**
 * Finds the stored account a spec names: a Gerrit account id (digits), an email (with `@`), else a
 * username. Refuses unknown and ambiguous specs with what to do.
 */
export function resolveAccountSpec(
  accounts: readonly AccountInfo[],
  spec: string,
  field: string,
  host?: string,
  hostField = '--host',
): AccountInfo {
  const s = spec.trim();
  const pool = host ? accounts.filter((a) => a.host === host) : accounts;
  const found = /^\d+$/.test(s)
    ? pool.filter((a) => a.gerritId === Number(s))
    : s.includes('@')
      ? pool.filter((a) => a.email === s)
      : pool.filter((a) => a.username === s);
  if (found.length === 1) return found[0]!;
  if (found.length > 1) {
    throw new StewardError('USAGE', `${field} "${spec}" names ${found.length} accounts, on hosts ${found.map((a) => a.host).join(', ')}`, {
      hint: `Add ${hostField} NAME to say which Gerrit host you mean.`,
    });
  }
  const near = pool.filter((a) => a.username?.toLowerCase() === s.toLowerCase() || a.name?.toLowerCase() === s.toLowerCase());
  throw new StewardError('NOT_FOUND', `${field} "${spec}": no such account in the store${host ? ` on host ${host}` : ''}`, {
    hint: near.length
      ? `Did you mean ${near.map((a) => a.username ?? a.email ?? String(a.gerritId)).join(' or ')}?`
      : 'Accounts are known from imported review data; give a username, a Gerrit account id or an email that appears in it.',
  });
}

export interface AddMentoringInput {
  candidate: string;
  mentor: string;
  note?: string | null;
  /** Start (default: now). */
  startedAt?: number;
  host?: string;
}

export interface AddedMentoring {
  id: number;
  candidate: AccountRef;
  mentor: AccountRef;
  startedAt: string;
  note: string | null;
}

/**
 * Starts a mentorship after checking it makes sense: both accounts known and distinct, neither a
 * bot, the mentor a core and the candidate not (when a core team is configured), the start not in
 * the future, no same pair already running.
 */
export async function addMentoring(
  store: Store,
  input: AddMentoringInput,
  config: EffectiveConfig,
  now: number,
  names: MentoringFieldNames = CLI_MENTORING_NAMES,
): Promise<AddedMentoring> {
  const ctx = await teamContextFor(store, config.config, config.origin, []);
  const startedAt = input.startedAt ?? now;
  if (startedAt > now)
    throw new StewardError(
      'USAGE',
      `${names.since} ${new Date(startedAt).toISOString().slice(0, 10)} is in the future (now is ${new Date(now).toISOString()})`,
    );
  const candidate = resolveAccountSpec(ctx.accounts, input.candidate, names.candidate, input.host, names.host);
  const mentor = resolveAccountSpec(ctx.accounts, input.mentor, names.mentor, input.host, names.host);
  if (candidate.id === mentor.id) throw new StewardError('USAGE', `the candidate and the mentor are the same account (${input.candidate})`);
  if (ctx.bots.has(candidate.id) || ctx.bots.has(mentor.id))
    throw new StewardError('USAGE', `${ctx.bots.has(candidate.id) ? input.candidate : input.mentor} is a bot`);
  if (ctx.roster.known) {
    const cores = ctx.roster.membersAt(now);
    if (!cores.has(mentor.id))
      throw new StewardError('USAGE', `${names.mentor} ${input.mentor} is not in the core team`, {
        hint: `Mentors are core reviewers (${ctx.sources.coreTeam}).`,
      });
    if (cores.has(candidate.id)) throw new StewardError('USAGE', `${input.candidate} is already in the core team`);
  }
  const running = (await listMentorships(store.db, { activeOnly: true })).find(
    (m) => m.candidateId === candidate.id && m.mentorId === mentor.id,
  );
  if (running) {
    throw new StewardError(
      'USAGE',
      `${input.candidate} is already mentored by ${input.mentor} (since ${new Date(running.startedAt).toISOString().slice(0, 10)})`,
      {
        hint: names.endHint(input.candidate, input.mentor),
      },
    );
  }
  const m = await addMentorship(
    store.db,
    { candidateId: candidate.id, mentorId: mentor.id, startedAt, note: input.note?.trim() || null },
    now,
  );
  return {
    id: m.id,
    candidate: accountRef(candidate),
    mentor: accountRef(mentor),
    startedAt: new Date(m.startedAt).toISOString(),
    note: m.note,
  };
}

export interface EndMentoringInput {
  candidate: string;
  /** Only the mentorship with this mentor (default: every running one of the candidate). */
  mentor?: string | null;
  note?: string | null;
  /** End (default: now). */
  endedAt?: number;
  host?: string;
}

export interface EndedMentoring {
  candidate: AccountRef;
  ended: Array<{ id: number; endedAt: string }>;
}

/** Ends the candidate's running mentorship(s); refuses when none runs or the end is before the start. */
export async function endMentoring(
  store: Store,
  input: EndMentoringInput,
  now: number,
  names: MentoringFieldNames = CLI_MENTORING_NAMES,
): Promise<EndedMentoring> {
  const accounts = await loadAccounts(store.db);
  const endedAt = input.endedAt ?? now;
  const candidate = resolveAccountSpec(accounts, input.candidate, names.candidate, input.host, names.host);
  const mentor = input.mentor ? resolveAccountSpec(accounts, input.mentor, names.mentor, input.host, names.host) : null;
  const running = (await listMentorships(store.db, { activeOnly: true })).filter(
    (m) => m.candidateId === candidate.id && (!mentor || m.mentorId === mentor.id),
  );
  if (running.length === 0) {
    throw new StewardError('NOT_FOUND', `no running mentorship of ${input.candidate}${input.mentor ? ` by ${input.mentor}` : ''}`, {
      hint: 'See them with `steward core mentor list`.',
    });
  }
  const early = running.find((m) => m.startedAt > endedAt);
  if (early)
    throw new StewardError(
      'USAGE',
      `${names.at} ${new Date(endedAt).toISOString()} is before the mentorship started (${new Date(early.startedAt).toISOString()})`,
    );
  const ended = await endMentorships(store.db, {
    candidateId: candidate.id,
    mentorId: mentor?.id ?? null,
    endedAt,
    note: input.note?.trim() || null,
  });
  return { candidate: accountRef(candidate), ended: ended.map((m) => ({ id: m.id, endedAt: new Date(endedAt).toISOString() })) };
}
