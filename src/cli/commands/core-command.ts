/**
 * `steward core …`: the core-team reports (built by service/core-*-view.ts) and the mentoring
 * records (`core mentor add|end|list`).
 */
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
import { addMentoring, endMentoring } from '../../service/mentoring-service.js';
import { listMentorships } from '../../store/mentoring-store.js';
import { loadAccounts } from '../../store/queries/activity.js';
import { effectiveConfig, openStoreFor, type GlobalOptions, type Runtime, type WindowReportOptions } from '../context.js';
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

export interface CoreReportOptions extends WindowReportOptions {
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

/** Finds the stored account a command-line spec names (service/mentoring-service.ts). */
export { resolveAccountSpec } from '../../service/mentoring-service.js';

/** `steward core mentor add CANDIDATE --mentor CORE [--note TEXT] [--since DATE]`. */
export async function runMentorAdd(candidateSpec: string, o: MentorOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  if (!o.mentor) throw new StewardError('USAGE', 'give the mentor with --mentor CORE (a username, Gerrit account id or email)');
  const store = await openStoreFor(o, rt);
  try {
    const config = await effectiveConfig(o, rt, store);
    const now = nowOf(o, rt);
    const out = await addMentoring(store, { candidate: candidateSpec, mentor: o.mentor, note: o.note ?? null, startedAt: o.since ? parseTime(o.since, '--since') : undefined, host: o.host }, config, now);
    if (format === 'json') rt.stdout(JSON.stringify(out, null, 2) + '\n');
    else rt.stdout(`Mentorship #${out.id}: ${out.candidate.username ?? candidateSpec} mentored by ${out.mentor.username ?? o.mentor} since ${out.startedAt.slice(0, 10)}.\n`);
  } finally {
    await store.close();
  }
}

/** `steward core mentor end CANDIDATE [--mentor CORE] [--note TEXT] [--at DATE]`. */
export async function runMentorEnd(candidateSpec: string, o: MentorOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  const store = await openStoreFor(o, rt);
  try {
    const now = nowOf(o, rt);
    const r = await endMentoring(store, { candidate: candidateSpec, mentor: o.mentor ?? null, note: o.note ?? null, endedAt: o.at ? parseTime(o.at, '--at') : undefined, host: o.host }, now);
    if (format === 'json') rt.stdout(JSON.stringify({ ended: r.ended }, null, 2) + '\n');
    else rt.stdout(`Ended ${r.ended.length} mentorship${r.ended.length > 1 ? 's' : ''} of ${r.candidate.username ?? candidateSpec}: ${r.ended.map((m) => `#${m.id}`).join(', ')}.\n`);
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
