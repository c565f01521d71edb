/**
 * The Launchpad sync (`steward bugs sync`) and import (`steward bugs import`), issue 15: searchTasks
 * pages → parser → store, with the bug of every task on the page and the project's blueprints.
 *
 * - Incremental: the checkpoint is the start time of the last completed run; the next run asks
 *   for bugs modified since (checkpoint − overlap, default 1 hour) with `modified_since`.
 * - Resumable: each page (its tasks and their bugs) is stored in one transaction with the run's
 *   position (`ws.start` of the next page). Tasks are listed oldest first, so a position stays
 *   valid while bugs change; a killed sync resumes there and can only see some tasks twice.
 * - Exclusive: a lock per Launchpad root and project; a second sync refuses with SYNC_BUSY.
 * - Whole pages: every entry of a page and every bug it names is parsed before anything of the
 *   page is written; a bad page stops the sync with the page's URL and the entry, leaving the run
 *   at the page before (SOURCE_BAD_RESPONSE), and the next run resumes there.
 *
 * Checkpoints live in sync_state under host `launchpad:HOST/PATH`, project = the Launchpad project
 * (tasks) and `PROJECT+blueprints` (blueprints, re-read in full each run: Launchpad has no
 * `modified_since` for them).
 */
import { readFileSync } from 'node:fs';
import type { Bug, BugTask, LaunchpadRecords } from '../model/bugs.js';
import { StewardError } from '../model/errors.js';
import type { LaunchpadClient, LaunchpadPage } from '../sources/launchpad/launchpad-client.js';
import { parseCollectionPage, parseEntries, seriesOfSpecificationsPage } from '../sources/launchpad/launchpad-parser.js';
import type { Store } from '../store/engine.js';
import { writeLaunchpadPage } from '../store/ingest-writes.js';
import type { LaunchpadWriteCounts } from '../store/queries/bugs.js';
import { acquireLock, beginRun, completeRun, getSyncState, heartbeatLock, recordSyncError, releaseLock } from '../store/sync-store.js';
import { isProcessAlive, lockOwner } from './sync-lock.js';
import { fetchSeriesGoals, withSeriesGoals } from './launchpad-series-goals.js';

export interface LaunchpadSyncTarget {
  /** The web service root with its version, e.g. https://api.launchpad.net/devel. */
  url: string;
  /** The Launchpad project, e.g. nova. */
  project: string;
}

/** What the sync says while it runs. */
export interface LaunchpadProgress {
  project: string;
  kind: 'tasks' | 'blueprints';
  /** Entries on the page just stored. */
  entries: number;
  /** Entries stored so far in this run (this kind). */
  soFar: number;
  /** The collection's size when Launchpad said (total_size), else null. */
  total: number | null;
}

export interface LaunchpadSyncOptions {
  client: LaunchpadClient;
  clock: () => number;
  /** Fetch bugs modified since this time instead of since the checkpoint (epoch ms). */
  since?: number;
  /** Ignore the checkpoint and any run in progress: walk every task. */
  full?: boolean;
  /** How far before the checkpoint the next run reaches, in ms (default 1 hour). */
  overlapMs?: number;
  /** Entries per page, `ws.size` (default 300; Launchpad caps it). */
  pageSize?: number;
  /** Pages fetched (with their bugs) ahead of the page being written (default 2). */
  lookahead?: number;
  /** Also read the project's blueprints (default true). */
  blueprints?: boolean;
  /** A lock whose holder has not written a heartbeat for this long is taken over (default 10 min). */
  staleLockMs?: number;
  onPage?: (p: LaunchpadProgress) => void;
}

export interface LaunchpadSyncResult {
  launchpad: string;
  project: string;
  resumed: boolean;
  /** Bugs modified before this were already stored (null: every task was walked). */
  after: string | null;
  counts: LaunchpadWriteCounts;
  tasks: number;
  bugs: number;
  blueprints: number;
  pages: number;
  requests: number;
  retries: number;
  checkpoint: string | null;
  durationMs: number;
}

export const DEFAULT_LAUNCHPAD_OVERLAP_MS = 3_600_000;

const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());
const add = (a: LaunchpadWriteCounts, b: LaunchpadWriteCounts): LaunchpadWriteCounts => ({
  new: a.new + b.new,
  updated: a.updated + b.updated,
  unchanged: a.unchanged + b.unchanged,
});

/** The sync_state host under which a Launchpad root's checkpoints are kept. */
export function launchpadStateKey(url: string): string {
  const u = new URL(url);
  return `launchpad:${u.host}${u.pathname.replace(/\/+$/, '')}`;
}

/** Fetches and parses the bug of each task of a page (in parallel, as the client allows). */
async function fetchBugs(client: LaunchpadClient, tasks: readonly BugTask[], pageUrl: string): Promise<Bug[]> {
  const first = new Map<number, BugTask>();
  for (const t of tasks) if (!first.has(t.bug)) first.set(t.bug, t);
  return Promise.all(
    [...first.entries()].map(async ([id, task]) => {
      let json: unknown;
      try {
        json = await client.bug(id);
      } catch (e) {
        if (e instanceof StewardError && e.code === 'SOURCE_NOT_FOUND') {
          throw new StewardError(
            'SOURCE_NOT_FOUND',
            `bug ${id}, named by the task ${task.selfLink} on ${pageUrl}, does not exist (HTTP 404)`,
            {
              where: e.details.where,
              hint: 'Launchpad listed a task of a bug it does not serve; run the sync again later (it resumes at this page).',
            },
            { cause: e },
          );
        }
        throw e;
      }
      const where = client.http.url(`/bugs/${id}`);
      const page = parseCollectionPage(json, { where, code: 'SOURCE_BAD_RESPONSE' });
      const parsed = parseEntries(page.entries, { where, code: 'SOURCE_BAD_RESPONSE' });
      const bug = parsed.bugs[0];
      if (parsed.bugs.length !== 1 || !bug || bug.id !== id)
        throw new StewardError('SOURCE_BAD_RESPONSE', `expected bug ${id}, got ${bug ? `bug ${bug.id}` : 'no bug entry'}`, { where });
      return bug;
    }),
  );
}

/** Syncs the bug tasks (and blueprints) of one Launchpad project. Throws StewardError for every failure, leaving a resumable run. */
export async function syncLaunchpadProject(
  store: Store,
  target: LaunchpadSyncTarget,
  opts: LaunchpadSyncOptions,
): Promise<LaunchpadSyncResult> {
  const t0 = opts.clock();
  const { db } = store;
  const { client } = opts;
  const before = { ...client.stats };
  const key = launchpadStateKey(target.url);
  const lockName = `${key}:${target.project}`;
  const me = lockOwner();
  const holder = await acquireLock(db, lockName, me, opts.clock(), opts.staleLockMs ?? 600_000, isProcessAlive);
  if (holder) {
    throw new StewardError(
      'SYNC_BUSY',
      `another sync of ${target.project}'s Launchpad bugs is running (process ${holder.pid} on ${holder.hostname}, since ${new Date(holder.acquired_at).toISOString()})`,
      { hint: 'Wait for it to finish, then run the command again. A sync that died is taken over automatically.' },
    );
  }
  const pageSize = opts.pageSize ?? 300;
  let counts: LaunchpadWriteCounts = { new: 0, updated: 0, unchanged: 0 };
  let tasks = 0;
  let bugs = 0;
  let blueprints = 0;
  let pages = 0;
  let current = target.project;
  try {
    const restart = Boolean(opts.full) || opts.since !== undefined;
    const existing = await getSyncState(db, key, target.project);
    const resumed = Boolean(existing?.run_in_progress) && !restart;
    const after = opts.full
      ? null
      : (opts.since ??
        (existing?.checkpoint_updated != null ? existing.checkpoint_updated - (opts.overlapMs ?? DEFAULT_LAUNCHPAD_OVERLAP_MS) : null));
    const state = await beginRun(db, key, target.project, after, opts.clock(), restart);
    const runStart = Number(state.run_started_at);

    // Tasks, with their bugs.
    let total: number | null = null;
    const first = client.searchTasksUrl(target.project, {
      pageSize,
      start: Number(state.run_next_start),
      modifiedSince: state.run_after === null ? null : Number(state.run_after),
    });
    // A pipeline: while a page is written, the next pages and their bugs are fetched (at most
    // `lookahead` pages ahead, the client's concurrency bounding the requests in flight). Pages are
    // written in order, each with its checkpoint, so a stop anywhere resumes at the first page not
    // written. A bug already fetched in this run (another task of it, e.g. a series task) is not asked again.
    const fetched = new Set<number>();
    const lookahead = Math.max(1, opts.lookahead ?? 2);
    const prepare = async (page: LaunchpadPage) => {
      const parsed = parseEntries(page.entries, { where: page.url, code: 'SOURCE_BAD_RESPONSE' });
      if (parsed.bugs.length || parsed.blueprints.length)
        throw new StewardError('SOURCE_BAD_RESPONSE', 'expected only bug_task entries in a searchTasks page', { where: page.url });
      const wanted = parsed.tasks.filter((t) => !fetched.has(t.bug));
      for (const t of wanted) fetched.add(t.bug);
      return { page, tasks: parsed.tasks, bugs: await fetchBugs(client, wanted, page.url) };
    };
    const queue: Array<Promise<Awaited<ReturnType<typeof prepare>>>> = [];
    let nextPage: Promise<LaunchpadPage> | null = client.page(first);
    nextPage.catch(() => undefined);
    for (;;) {
      while (queue.length < lookahead && nextPage) {
        let prepared: ReturnType<typeof prepare>;
        try {
          const page: LaunchpadPage = await nextPage;
          if (total === null) total = page.totalSize ?? (page.totalSizeLink ? await client.totalSize(page.totalSizeLink) : null);
          nextPage = page.nextLink ? client.page(page.nextLink) : null;
          nextPage?.catch(() => undefined);
          prepared = prepare(page);
        } catch (e) {
          // A failure ahead surfaces only once the pages before it are written.
          prepared = Promise.reject(e as Error);
          nextPage = null;
        }
        prepared.catch(() => undefined);
        queue.push(prepared);
      }
      const head = queue.shift();
      if (!head) break;
      const { page, tasks: pageTasks, bugs: pageBugs } = await head;
      const c = await writeLaunchpadPage(
        store,
        { tasks: pageTasks, bugs: pageBugs, blueprints: [] },
        { host: key, project: target.project, nextStart: page.start + page.entries.length, highWater: runStart },
      );
      counts = add(counts, c);
      tasks += pageTasks.length;
      bugs += pageBugs.length;
      pages += 1;
      await heartbeatLock(db, lockName, me.owner, opts.clock());
      opts.onPage?.({ project: target.project, kind: 'tasks', entries: pageTasks.length, soFar: tasks, total });
    }
    const done = await completeRun(db, key, target.project, opts.clock());

    // Blueprints: every run reads them all (resuming a killed walk).
    if (opts.blueprints !== false) {
      current = `${target.project}+blueprints`;
      const bpState = await beginRun(db, key, current, null, opts.clock(), Boolean(opts.full));
      let bpTotal: number | null = null;
      // The entries do not carry their series goal: each series' own list gives it (launchpad-series-goals.ts).
      const goals = await fetchSeriesGoals(client, target.project, pageSize);
      for await (const page of client.pages(
        client.specificationsUrl(target.project, { pageSize, start: Number(bpState.run_next_start) }),
      )) {
        if (bpTotal === null) bpTotal = page.totalSize;
        const parsed = withSeriesGoals(parseEntries(page.entries, { where: page.url, code: 'SOURCE_BAD_RESPONSE' }), goals);
        if (parsed.bugs.length || parsed.tasks.length)
          throw new StewardError('SOURCE_BAD_RESPONSE', 'expected only specification entries in a blueprints page', { where: page.url });
        const c = await writeLaunchpadPage(store, parsed, {
          host: key,
          project: current,
          nextStart: page.start + page.entries.length,
          highWater: runStart,
        });
        counts = add(counts, c);
        blueprints += parsed.blueprints.length;
        pages += 1;
        await heartbeatLock(db, lockName, me.owner, opts.clock());
        opts.onPage?.({
          project: target.project,
          kind: 'blueprints',
          entries: parsed.blueprints.length,
          soFar: blueprints,
          total: bpTotal,
        });
      }
      await completeRun(db, key, current, opts.clock());
    }
    return {
      launchpad: target.url,
      project: target.project,
      resumed,
      after: iso(state.run_after === null ? null : Number(state.run_after)),
      counts,
      tasks,
      bugs,
      blueprints,
      pages,
      requests: client.stats.requests - before.requests,
      retries: client.stats.retries - before.retries,
      checkpoint: iso(done.checkpoint_updated === null ? null : Number(done.checkpoint_updated)),
      durationMs: opts.clock() - t0,
    };
  } catch (e) {
    const msg = e instanceof StewardError ? e.describe() : String((e as Error)?.message ?? e);
    await recordSyncError(db, key, current, msg).catch(() => undefined);
    if (
      e instanceof StewardError &&
      ['SOURCE_RETRIES_EXHAUSTED', 'SOURCE_UNREACHABLE', 'SOURCE_BAD_RESPONSE', 'SOURCE_NOT_FOUND'].includes(e.code) &&
      pages > 0 &&
      !/resume/.test(e.details.hint ?? '')
    ) {
      e.details.hint = `${e.details.hint ? `${e.details.hint} ` : ''}Everything fetched so far is stored; run the same command again to resume.`;
    }
    throw e;
  } finally {
    await releaseLock(db, lockName, me.owner).catch(() => undefined);
  }
}

/** What an import read. */
export interface LaunchpadImportResult {
  files: number;
  tasks: number;
  bugs: number;
  blueprints: number;
  counts: LaunchpadWriteCounts;
}

/**
 * A saved page of a series' blueprints (`{root}/{project}/{series}/all_specifications`): every
 * blueprint on it has that series as its goal. `series` null: the series its own links name.
 */
export interface SeriesPageFile {
  file: string;
  series: string | null;
}

/** A saved file's JSON, or the error naming the file. */
function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new StewardError(
      'INPUT_UNREADABLE',
      `cannot read the file: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message}`,
      { where: file },
    );
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new StewardError(
      'INPUT_JSON',
      `not valid JSON${text.trim() === '' ? ' (the file is empty)' : ''}: ${(e as Error).message}`,
      { where: file, hint: 'A page cut off while saving ends in the middle of a value; save it again.' },
      { cause: e },
    );
  }
}

/**
 * Reads saved Launchpad pages (searchTasks pages, bug entries or collections of bugs, blueprint
 * pages; any mix) and stores them in one transaction. Every file is read and parsed before
 * anything is written: a bad file stops the import naming the file and the entry, with nothing
 * written (INPUT_UNREADABLE, INPUT_JSON, INPUT_FORMAT).
 *
 * Blueprints get their series goal as the sync gives it (launchpad-series-goals.ts): from saved
 * pages of a series' blueprints — `series` (`--series NAME=FILE`), and any file whose own links
 * (next/prev_collection_link, total_size_link) are those of a series' all_specifications — unless
 * their entry carries a `goal_link`.
 */
export async function importLaunchpadFiles(
  store: Store,
  files: readonly string[],
  opts: { onFile?: (file: string, entries: number) => void; series?: readonly SeriesPageFile[] } = {},
): Promise<LaunchpadImportResult> {
  const all: LaunchpadRecords = { tasks: [], bugs: [], blueprints: [] };
  const goals = new Map<string, string>();
  const read = (file: string, given: { series: string | null } | null) => {
    const json = readJsonFile(file);
    const ctx = { where: file, code: 'INPUT_FORMAT' } as const;
    const page = parseCollectionPage(json, ctx);
    const parsed = parseEntries(page.entries, ctx);
    const named = seriesOfSpecificationsPage(json, ctx);
    if (given) {
      if (parsed.tasks.length || parsed.bugs.length)
        throw new StewardError('INPUT_FORMAT', "expected a series' blueprints page (only specification entries), got bug tasks or bugs", {
          where: file,
          hint: 'Give with --series only a saved {root}/{project}/{series}/all_specifications page; other pages as plain files.',
        });
      if (given.series !== null && named && named.series !== given.series)
        throw new StewardError(
          'INPUT_FORMAT',
          `the page's links name series ${JSON.stringify(named.series)}, not ${JSON.stringify(given.series)}`,
          {
            where: file,
            hint: 'Give each series its own page: --series NAME=FILE.',
          },
        );
    }
    const series = given?.series ?? (named && !parsed.tasks.length && !parsed.bugs.length ? named.series : null);
    if (given && series === null)
      throw new StewardError(
        'INPUT_FORMAT',
        "a series' blueprints page that names no series: its links (next_collection_link, prev_collection_link) name none",
        {
          where: file,
          hint: 'A list of one page saved as it came carries no link to its series: give it as --series NAME=FILE, NAME the series whose all_specifications it is.',
        },
      );
    if (series !== null)
      for (const b of parsed.blueprints) {
        if (named && b.project !== named.project)
          throw new StewardError(
            'INPUT_FORMAT',
            `a blueprint of project ${JSON.stringify(b.project)} on a page of ${named.project}/${named.series}`,
            {
              where: file,
              field: b.selfLink,
            },
          );
        goals.set(b.selfLink, series);
      }
    all.tasks.push(...parsed.tasks);
    all.bugs.push(...parsed.bugs);
    all.blueprints.push(...parsed.blueprints);
    opts.onFile?.(file, page.entries.length);
  };
  for (const file of files) read(file, null);
  for (const s of opts.series ?? []) read(s.file, { series: s.series });
  // A blueprint on several pages (the project's list and its series' list) once, as the sync stores it.
  const blueprints = new Map(all.blueprints.map((b) => [b.selfLink, b]));
  const records = withSeriesGoals({ ...all, blueprints: [...blueprints.values()] }, goals);
  const counts = await store.bulkLoad(() => writeLaunchpadPage(store, records, null));
  return {
    files: files.length + (opts.series?.length ?? 0),
    tasks: records.tasks.length,
    bugs: records.bugs.length,
    blueprints: records.blueprints.length,
    counts,
  };
}
