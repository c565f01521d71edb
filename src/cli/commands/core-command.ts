/**
 * `steward core mentor add|end|list`: the mentoring records. The core-team reports (`core history`,
 * `idle`, `candidates`, `load`, `mentoring`) are catalogue entries (service/catalogue/core-entries.ts).
 */
import { StewardError } from '../../model/errors.js';
import { renderMentorListCsv, renderMentorListText, type MentorListReport } from '../../report/core-report.js';
import { addMentoring, endMentoring } from '../../service/mentoring-service.js';
import { listMentorships } from '../../store/mentoring-store.js';
import { loadAccounts } from '../../store/queries/activity.js';
import { effectiveConfig, openStoreFor, type GlobalOptions, type Runtime } from '../context.js';
import { parseFormat, parseTime, type OutputFormat } from '../options.js';

function print(rt: Runtime, format: OutputFormat, json: unknown, csv: () => string, text: () => string): void {
  if (format === 'json') rt.stdout(JSON.stringify(json, null, 2) + '\n');
  else if (format === 'csv') rt.stdout(csv());
  else rt.stdout(text());
}

const nowOf = (o: { now?: string }, rt: Runtime): number => (o.now ? parseTime(o.now, '--now') : rt.clock());

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
    const out = await addMentoring(
      store,
      {
        candidate: candidateSpec,
        mentor: o.mentor,
        note: o.note ?? null,
        startedAt: o.since ? parseTime(o.since, '--since') : undefined,
        host: o.host,
      },
      config,
      now,
    );
    if (format === 'json') rt.stdout(JSON.stringify(out, null, 2) + '\n');
    else
      rt.stdout(
        `Mentorship #${out.id}: ${out.candidate.username ?? candidateSpec} mentored by ${out.mentor.username ?? o.mentor} since ${out.startedAt.slice(0, 10)}.\n`,
      );
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
    const r = await endMentoring(
      store,
      {
        candidate: candidateSpec,
        mentor: o.mentor ?? null,
        note: o.note ?? null,
        endedAt: o.at ? parseTime(o.at, '--at') : undefined,
        host: o.host,
      },
      now,
    );
    if (format === 'json') rt.stdout(JSON.stringify({ ended: r.ended }, null, 2) + '\n');
    else
      rt.stdout(
        `Ended ${r.ended.length} mentorship${r.ended.length > 1 ? 's' : ''} of ${r.candidate.username ?? candidateSpec}: ${r.ended.map((m) => `#${m.id}`).join(', ')}.\n`,
      );
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
        id: m.id,
        candidate: label(m.candidateId),
        mentor: label(m.mentorId),
        startedAt: new Date(m.startedAt).toISOString(),
        endedAt: m.endedAt === null ? null : new Date(m.endedAt).toISOString(),
        note: m.note,
        endNote: m.endNote,
      })),
    };
    print(
      rt,
      format,
      report,
      () => renderMentorListCsv(report),
      () => renderMentorListText(report),
    );
  } finally {
    await store.close();
  }
}
