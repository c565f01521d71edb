/**
 * `steward core …`: the core-team reports (built by service/core-*-view.ts) and the mentoring
 * records (`core mentor add|end|list`).
 */
import type { AccountInfo } from '../../model/activity.js';
import { StewardError } from '../../model/errors.js';
import {
  renderCandidatesCsv, renderCandidatesText, renderIdleCsv, renderIdleText, renderLoadCsv, renderLoadText, renderMentoringCsv,
  renderMentoringText, renderMentorListCsv, renderMentorListText, type MentorListReport,
} from '../../report/core-report.js';
import { toCsv } from '../../report/csv.js';
import { buildCoreCandidatesView } from '../../service/core-candidates-view.js';
import { buildCoreHistoryView } from '../../service/core-history-view.js';
import { buildCoreIdleView } from '../../service/core-idle-view.js';
import { buildCoreLoadView } from '../../service/core-load-view.js';
import { buildCoreMentoringView } from '../../service/core-mentoring-view.js';
import { teamContextFor } from '../../service/team-context.js';
import { addMentorship, endMentorships, listMentorships } from '../../store/mentoring-store.js';
import { loadAccounts } from '../../store/queries/activity.js';
import { effectiveConfig, openStoreFor, type GlobalOptions, type Runtime } from '../context.js';
import { parseFormat, parsePositiveInt, parseTime, resolveWindow, type OutputFormat } from '../options.js';

export interface CoreHistoryOptions extends GlobalOptions {
  project?: string[];
  format?: string;
}

/** `steward core history`: joins and leaves of each project's core group, from sync snapshots. */
export async function runCoreHistory(o: CoreHistoryOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  const store = await openStoreFor(o, rt);
  try {
    const out = await buildCoreHistoryView(store, { project: o.project }, await effectiveConfig(o, rt, store), rt.clock());
    if (format === 'json') rt.stdout(JSON.stringify(out, null, 2) + '\n');
    else if (format === 'csv') {
      rt.stdout(toCsv(['project', 'group', 'date', 'not_before', 'change', 'username', 'name'], out.flatMap((g) => g.events.map((e) => [g.project, g.group, e.date, e.notBefore, e.change, e.username, e.name]))));
    } else {
      for (const g of out) {
        rt.stdout(`${g.project}: core group ${g.group} on ${g.host} — ${g.snapshots} snapshot(s), last checked ${g.lastChecked ?? 'never (run steward sync)'}\n`);
        if (g.events.length === 0) rt.stdout('  no membership recorded yet\n');
        for (const e of g.events) {
          rt.stdout(`  ${e.date.slice(0, 16).replace('T', ' ')}  ${e.change === 'joined' ? '+' : '-'} ${(e.username ?? e.name ?? '?').padEnd(20)} ${e.change}${e.notBefore ? ` (between ${e.notBefore.slice(0, 10)} and ${e.date.slice(0, 10)})` : ' (first snapshot)'}\n`);
        }
        rt.stdout(`  current members (${g.currentMembers.length}): ${g.currentMembers.join(', ')}\n`);
      }
    }
  } finally {
    await store.close();
  }
}

// ---- idle, candidates, load, mentoring ---------------------------------------------------------

export interface CoreReportOptions extends GlobalOptions {
  project?: string[];
  days?: string;
  since?: string;
  until?: string;
  now?: string;
  format?: string;
  threshold?: string;
  limit?: string;
  all?: boolean;
}

function print(rt: Runtime, format: OutputFormat, json: unknown, csv: () => string, text: () => string): void {
  if (format === 'json') rt.stdout(JSON.stringify(json, null, 2) + '\n');
  else if (format === 'csv') rt.stdout(csv());
  else rt.stdout(text());
}

const nowOf = (o: { now?: string }, rt: Runtime): number => (o.now ? parseTime(o.now, '--now') : rt.clock());

/** `steward core idle`. */
export async function runCoreIdle(o: CoreReportOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  if (o.since || o.until) throw new StewardError('USAGE', '`core idle` looks back --days N (default from steward.yaml coreRules.idleDays) from --now; it takes no --since/--until');
  const store = await openStoreFor(o, rt);
  try {
    const report = await buildCoreIdleView(store, {
      project: o.project,
      threshold: o.threshold ? parsePositiveInt(o.threshold, '--threshold') : undefined,
      days: o.days ? parsePositiveInt(o.days, '--days', 36_500) : undefined,
    }, await effectiveConfig(o, rt, store), nowOf(o, rt));
    print(rt, format, report, () => renderIdleCsv(report), () => renderIdleText(report));
  } finally {
    await store.close();
  }
}

/** `steward core candidates`. */
export async function runCoreCandidates(o: CoreReportOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  const limit = o.limit ? parsePositiveInt(o.limit, '--limit') : 15;
  const store = await openStoreFor(o, rt);
  try {
    const config = await effectiveConfig(o, rt, store);
    const window = resolveWindow(o, rt.clock, config.config.coreRules.candidateDays);
    const report = await buildCoreCandidatesView(store, { project: o.project, window }, config, window.now);
    print(rt, format, report, () => renderCandidatesCsv(report), () => renderCandidatesText(report, limit));
  } finally {
    await store.close();
  }
}

/** `steward core load`. */
export async function runCoreLoad(o: CoreReportOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  const store = await openStoreFor(o, rt);
  try {
    const window = resolveWindow(o, rt.clock, 90);
    const report = await buildCoreLoadView(store, { project: o.project, window }, await effectiveConfig(o, rt, store), window.now);
    print(rt, format, report, () => renderLoadCsv(report), () => renderLoadText(report));
  } finally {
    await store.close();
  }
}

/** `steward core mentoring`. */
export async function runCoreMentoring(o: CoreReportOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  const store = await openStoreFor(o, rt);
  try {
    const report = await buildCoreMentoringView(store, { project: o.project, all: o.all }, await effectiveConfig(o, rt, store), nowOf(o, rt));
    print(rt, format, report, () => renderMentoringCsv(report), () => renderMentoringText(report));
  } finally {
    await store.close();
  }
}

// ---- mentor add / end / list -----------------------------------------------------------------------

export interface MentorOptions extends GlobalOptions {
  mentor?: string;
  note?: string;
  since?: string;
  at?: string;
  host?: string;
  now?: string;
  all?: boolean;
  format?: string;
}

/**
 * Finds the stored account a command-line spec names: a Gerrit account id (digits), an email (with
 * `@`), else a username. Refuses unknown and ambiguous specs with what to do.
 */
export function resolveAccountSpec(accounts: readonly AccountInfo[], spec: string, flag: string, host?: string): AccountInfo {
  const s = spec.trim();
  const pool = host ? accounts.filter((a) => a.host === host) : accounts;
  const found = /^\d+$/.test(s) ? pool.filter((a) => a.gerritId === Number(s)) : s.includes('@') ? pool.filter((a) => a.email === s) : pool.filter((a) => a.username === s);
  if (found.length === 1) return found[0]!;
  if (found.length > 1) {
    throw new StewardError('USAGE', `${flag} "${spec}" names ${found.length} accounts, on hosts ${found.map((a) => a.host).join(', ')}`, { hint: 'Add --host NAME to say which Gerrit host you mean.' });
  }
  const near = pool.filter((a) => a.username?.toLowerCase() === s.toLowerCase() || a.name?.toLowerCase() === s.toLowerCase());
  throw new StewardError('NOT_FOUND', `${flag} "${spec}": no such account in the store${host ? ` on host ${host}` : ''}`, {
    hint: near.length
      ? `Did you mean ${near.map((a) => a.username ?? a.email ?? String(a.gerritId)).join(' or ')}?`
      : 'Accounts are known from imported review data; give a username, a Gerrit account id or an email that appears in it.',
  });
}

function labelAccount(a: AccountInfo) {
  return { username: a.username, name: a.name, gerritAccountId: a.gerritId };
}

/** `steward core mentor add CANDIDATE --mentor CORE [--note TEXT] [--since DATE]`. */
export async function runMentorAdd(candidateSpec: string, o: MentorOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  if (!o.mentor) throw new StewardError('USAGE', 'give the mentor with --mentor CORE (a username, Gerrit account id or email)');
  const store = await openStoreFor(o, rt);
  try {
    const { config, origin } = await effectiveConfig(o, rt, store);
    const ctx = await teamContextFor(store, config, origin, []);
    const now = nowOf(o, rt);
    const startedAt = o.since ? parseTime(o.since, '--since') : now;
    if (startedAt > now) throw new StewardError('USAGE', `--since ${o.since} is in the future (now is ${new Date(now).toISOString()})`);
    const candidate = resolveAccountSpec(ctx.accounts, candidateSpec, 'candidate', o.host);
    const mentor = resolveAccountSpec(ctx.accounts, o.mentor, '--mentor', o.host);
    if (candidate.id === mentor.id) throw new StewardError('USAGE', `the candidate and the mentor are the same account (${candidateSpec})`);
    if (ctx.bots.has(candidate.id) || ctx.bots.has(mentor.id)) throw new StewardError('USAGE', `${ctx.bots.has(candidate.id) ? candidateSpec : o.mentor} is a bot`);
    if (ctx.roster.known) {
      const cores = ctx.roster.membersAt(now);
      if (!cores.has(mentor.id)) {
        throw new StewardError('USAGE', `--mentor ${o.mentor} is not in the core team`, { hint: `Mentors are core reviewers (${ctx.sources.coreTeam}).` });
      }
      if (cores.has(candidate.id)) throw new StewardError('USAGE', `${candidateSpec} is already in the core team`);
    }
    const running = (await listMentorships(store.db, { activeOnly: true })).find((m) => m.candidateId === candidate.id && m.mentorId === mentor.id);
    if (running) {
      throw new StewardError('USAGE', `${candidateSpec} is already mentored by ${o.mentor} (since ${new Date(running.startedAt).toISOString().slice(0, 10)})`, {
        hint: `End it first with \`steward core mentor end ${candidateSpec} --mentor ${o.mentor}\`.`,
      });
    }
    const m = await addMentorship(store.db, { candidateId: candidate.id, mentorId: mentor.id, startedAt, note: o.note ?? null }, now);
    const out = { id: m.id, candidate: labelAccount(candidate), mentor: labelAccount(mentor), startedAt: new Date(m.startedAt).toISOString(), note: m.note };
    if (format === 'json') rt.stdout(JSON.stringify(out, null, 2) + '\n');
    else rt.stdout(`Mentorship #${m.id}: ${candidate.username ?? candidateSpec} mentored by ${mentor.username ?? o.mentor} since ${out.startedAt.slice(0, 10)}.\n`);
  } finally {
    await store.close();
  }
}

/** `steward core mentor end CANDIDATE [--mentor CORE] [--note TEXT] [--at DATE]`. */
export async function runMentorEnd(candidateSpec: string, o: MentorOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  const store = await openStoreFor(o, rt);
  try {
    const accounts = await loadAccounts(store.db);
    const now = nowOf(o, rt);
    const endedAt = o.at ? parseTime(o.at, '--at') : now;
    const candidate = resolveAccountSpec(accounts, candidateSpec, 'candidate', o.host);
    const mentor = o.mentor ? resolveAccountSpec(accounts, o.mentor, '--mentor', o.host) : null;
    const running = (await listMentorships(store.db, { activeOnly: true })).filter((m) => m.candidateId === candidate.id && (!mentor || m.mentorId === mentor.id));
    if (running.length === 0) {
      throw new StewardError('NOT_FOUND', `no running mentorship of ${candidateSpec}${o.mentor ? ` by ${o.mentor}` : ''}`, { hint: 'See them with `steward core mentor list`.' });
    }
    const early = running.find((m) => m.startedAt > endedAt);
    if (early) throw new StewardError('USAGE', `--at ${new Date(endedAt).toISOString()} is before the mentorship started (${new Date(early.startedAt).toISOString()})`);
    const ended = await endMentorships(store.db, { candidateId: candidate.id, mentorId: mentor?.id ?? null, endedAt, note: o.note ?? null });
    if (format === 'json') rt.stdout(JSON.stringify({ ended: ended.map((m) => ({ id: m.id, endedAt: new Date(endedAt).toISOString() })) }, null, 2) + '\n');
    else rt.stdout(`Ended ${ended.length} mentorship${ended.length > 1 ? 's' : ''} of ${candidate.username ?? candidateSpec}: ${ended.map((m) => `#${m.id}`).join(', ')}.\n`);
  } finally {
    await store.close();
  }
}

/** `steward core mentor list [--all]`. */
export async function runMentorList(o: MentorOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  const store = await openStoreFor(o, rt);
  try {
    const accounts = new Map((await loadAccounts(store.db)).map((a) => [a.id, a]));
    const label = (id: number) => {
      const a = accounts.get(id);
      return { username: a?.username ?? null, name: a?.name ?? null, gerritAccountId: a?.gerritId ?? null };
    };
    const list = await listMentorships(store.db, { activeOnly: !o.all });
    const report: MentorListReport = {
      report: 'core mentor list',
      mentorships: list.map((m) => ({
        id: m.id, candidate: label(m.candidateId), mentor: label(m.mentorId), startedAt: new Date(m.startedAt).toISOString(),
        endedAt: m.endedAt === null ? null : new Date(m.endedAt).toISOString(), note: m.note, endNote: m.endNote,
      })),
    };
    print(rt, format, report, () => renderMentorListCsv(report), () => renderMentorListText(report));
  } finally {
    await store.close();
  }
}
