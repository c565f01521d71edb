/**
 * The Gerrit REST sync (`steward sync`, `steward serve --sync-every`) for one Gerrit host and
 * project: REST pages → parser → store, incremental, resumable and polite.
 *
 * - Incremental: the checkpoint is the newest `updated` a completed run saw; the next run asks
 *   for `after:` (checkpoint − overlap), so a change updated while pages were walked is picked up
 *   next time. Unchanged changes are not rewritten (change-writer.ts).
 * - Resumable: each page is stored in one transaction together with the run's position, so a sync
 *   killed at any moment (kill -9) continues from the next page. Gerrit orders by `updated`
 *   descending; a change updated while we page moves to the front, which can only repeat
 *   changes on later pages (harmless), never skip any of the run's `after:` window except the
 *   moved change itself, which the next run's overlap catches.
 * - Polite: at most two pages requested ahead of the one being written, one after the other;
 *   the client bounds concurrency, backs off and honours Retry-After.
 * - Parallel: pages are parsed on a worker thread (rest-page-parser.ts), so this thread only
 *   fetches and writes: the next pages are fetched and parsed while the current one is written.
 * - Exclusive: a lock per host and project; a second sync of the same project refuses (SYNC_BUSY).
 * - A first load: into a store with no changes yet, the indexes an import into an empty store
 *   defers are dropped and built once after the last page (store/deferred-indexes.ts); a sync
 *   killed before then leaves them recorded, and the next sync of the store builds them at its end.
 */
import { StewardError } from '../model/errors.js';
import { GerritClient, type GerritClientOptions } from '../sources/gerrit/rest-client.js';
import { RestPageParser } from '../sources/gerrit/rest-page-parser.js';
import type { RestAccountInfo } from '../sources/gerrit/rest-types.js';
import { formatRestTimestamp } from '../sources/gerrit/time.js';
import type { HttpClientLimits } from '../sources/http/json-http-client.js';
import { AccountResolver } from '../store/account-resolver.js';
import { addCounts, emptyCounts, type WriteCounts } from '../store/change-writer.js';
import { buildDeferredIndexes, deferIndexesIfEmpty } from '../store/deferred-indexes.js';
import type { Store } from '../store/engine.js';
import { recordGroupMembers, recordHost, writeChangePage } from '../store/ingest-writes.js';
import {
  acquireLock,
  beginRun,
  completeRun,
  getSyncState,
  heartbeatLock,
  loadGroupSnapshots,
  recordSyncError,
  releaseLock,
} from '../store/sync-store.js';
import { isProcessAlive, lockOwner } from './sync-lock.js';

/** The REST options a sync asks for: the same as the import format documents. */
export const CHANGE_OPTIONS = ['DETAILED_LABELS', 'MESSAGES', 'ALL_REVISIONS', 'DETAILED_ACCOUNTS', 'ALL_COMMITS', 'ALL_FILES'];

export interface SyncTarget {
  host: { name: string; url: string };
  project: string;
  /** Gerrit group holding the project's core team, snapshotted after the changes. */
  coreGroup?: string;
}

export interface SyncOptions {
  client: GerritClient;
  clock: () => number;
  /** Start from this time instead of the checkpoint (epoch ms). */
  since?: number;
  /** Ignore the checkpoint and any run in progress: walk every change of the project. */
  full?: boolean;
  /**
   * Let a core group that Gerrit lists with no members replace a stored membership that has some
   * (default false: SOURCE_EMPTY, the stored team kept). Members hidden from an anonymous or
   * under-privileged account look exactly like an empty group.
   */
  replace?: boolean;
  /** How far before the checkpoint the next run starts, in ms (default 15 minutes). */
  overlapMs?: number;
  /** Changes per page (default 500, Gerrit's usual limit for one query). */
  pageSize?: number;
  /** A lock whose holder has not written a heartbeat for this long is taken over (default 10 min). */
  staleLockMs?: number;
  onPage?: (p: { project: string; changes: number; totalSoFar: number }) => void;
  /** Parses the pages (default: a RestPageParser of its own, closed at the end; one given here is the caller's to close). */
  pageParser?: Pick<RestPageParser, 'decode'>;
}

export interface SyncResult {
  host: string;
  project: string;
  resumed: boolean;
  after: string | null;
  counts: WriteCounts;
  changesFetched: number;
  pages: number;
  checkpoint: string | null;
  coreGroup: { name: string; members: number; changed: boolean } | null;
  durationMs: number;
}

/** Pages requested ahead of the one being written: enough to keep the parser busy while a page is written. */
const PAGES_AHEAD = 2;

const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());

/** Syncs one project of one host. Throws StewardError for every failure, leaving a resumable run. */
export async function syncProject(store: Store, target: SyncTarget, opts: SyncOptions): Promise<SyncResult> {
  const t0 = opts.clock();
  const { db } = store;
  const host = target.host.name;
  const lockName = `gerrit:${host}:${target.project}`;
  const me = lockOwner();
  const staleLockMs = opts.staleLockMs ?? 600_000;
  const holder = await acquireLock(db, lockName, me, opts.clock(), staleLockMs, isProcessAlive);
  if (holder) {
    throw new StewardError(
      'SYNC_BUSY',
      `another sync of ${target.project} on ${host} is running (process ${holder.pid} on ${holder.hostname}, since ${new Date(holder.acquired_at).toISOString()})`,
      {
        hint: 'Wait for it to finish, then run the command again. A sync that died is taken over automatically.',
      },
    );
  }
  // The heartbeat says "alive", not "made progress": one page can take longer than staleLockMs
  // (retries honouring Retry-After up to 2 minutes each), and a live sync must not be taken over.
  const beat = setInterval(
    () => void heartbeatLock(db, lockName, me.owner, opts.clock()).catch(() => undefined),
    Math.max(10, Math.floor(staleLockMs / 4)),
  );
  beat.unref();
  const ownParser = opts.pageParser ? null : new RestPageParser(host);
  const parser = opts.pageParser ?? ownParser!;
  try {
    await recordHost(store, host, target.host.url);
    const restart = Boolean(opts.full) || opts.since !== undefined;
    const existing = await getSyncState(db, host, target.project);
    const resumed = Boolean(existing?.run_in_progress) && !restart;
    const after = opts.full
      ? null
      : (opts.since ?? (existing?.checkpoint_updated != null ? existing.checkpoint_updated - (opts.overlapMs ?? 15 * 60_000) : null));
    const state = await beginRun(db, host, target.project, after, opts.clock(), restart);
    // A first sync into an empty store builds the random-order indexes once after its last page, as
    // the import does (store/deferred-indexes.ts); one killed before then leaves them to the next.
    const deferred = await deferIndexesIfEmpty(store);

    // Gerrit reads after: in UTC when no zone is given; seconds are its finest unit.
    const query = `project:${target.project}${state.run_after !== null ? ` after:"${formatRestTimestamp(Math.floor(state.run_after / 1000) * 1000).slice(0, 19)}"` : ''}`;
    const resolver = new AccountResolver(db, host, store.bulk);
    let counts = emptyCounts();
    let fetched = 0;
    let pages = 0;
    // How errors about one change name its page (the full URL repeats every o= option).
    const where = (start: number) => `${opts.client.root}/changes/?q=${encodeURIComponent(query)}&S=${start}`;
    const it = opts.client.queryChangePages(
      query,
      { options: CHANGE_OPTIONS, pageSize: opts.pageSize ?? 500, start: state.run_next_start },
      (body, page) => parser.decode(body, { url: page.url, where: where(page.start) }),
    );
    // Pages asked for and not yet written. The generator fetches them one after the other: the
    // next request goes out once the worker has read the previous page's head (paging needs its
    // length), while that page's changes are parsed and the one before is written.
    const ahead: Array<ReturnType<typeof it.next>> = [];
    let more = true;
    const askAhead = () => {
      while (more && ahead.length < PAGES_AHEAD) {
        const next = it.next();
        next.catch(() => undefined);
        ahead.push(next);
      }
    };
    askAhead();
    try {
      for (;;) {
        // Nothing asked for: the last page said no more follow.
        const next = ahead.shift();
        if (!next) break;
        const r = await next;
        if (r.done) break;
        const page = r.value;
        more = page.more;
        askAhead();
        const { batch, high } = await page.parsed;
        counts = addCounts(
          counts,
          await writeChangePage(store, resolver, batch, {
            host,
            project: target.project,
            nextStart: page.start + page.count,
            highWater: high,
          }),
        );
        fetched += page.count;
        pages += 1;
        await heartbeatLock(db, lockName, me.owner, opts.clock());
        opts.onPage?.({ project: target.project, changes: page.count, totalSoFar: fetched });
      }
    } catch (e) {
      await it.return?.(undefined).catch(() => undefined);
      const msg = e instanceof StewardError ? e.describe() : String((e as Error)?.message ?? e);
      await recordSyncError(db, host, target.project, msg).catch(() => undefined);
      if (e instanceof StewardError && (e.code === 'SOURCE_RETRIES_EXHAUSTED' || e.code === 'SOURCE_UNREACHABLE')) {
        e.details.hint = `${e.details.hint ? `${e.details.hint} ` : ''}Everything fetched so far is stored; run the same command again to resume.`;
      }
      throw e;
    }
    if (deferred) await buildDeferredIndexes(store);
    const done = await completeRun(db, host, target.project, opts.clock());

    let coreGroup: SyncResult['coreGroup'] = null;
    if (target.coreGroup) {
      const group = await opts.client.findGroup(target.coreGroup);
      if (!group) {
        throw new StewardError(
          'SOURCE_NOT_FOUND',
          `Gerrit has no group named "${target.coreGroup}" (or it is not visible to this account)`,
          {
            where: target.host.url,
            hint: 'Check projects[].core.group in steward.yaml; a group visible only to its members needs credentials.',
          },
        );
      }
      const members: RestAccountInfo[] = await opts.client.groupMembers(group.id, true);
      if (members.length === 0 && !opts.replace) {
        const last = (await loadGroupSnapshots(db, host, target.coreGroup)).at(-1);
        if (last && last.memberIds.length > 0) {
          throw new StewardError(
            'SOURCE_EMPTY',
            `Gerrit lists no members in group "${target.coreGroup}", but the store's last snapshot of it (${iso(last.takenAt)}) has ${last.memberIds.length}: the stored core team was kept (the changes fetched are stored)`,
            {
              where: target.host.url,
              hint: 'A group whose members only its members or admins may see needs credentials (see "Credentials" in docs/getting-data.md). If the group really is empty now, run again with --replace.',
            },
          );
        }
      }
      const refs = members.map((m) => ({ accountId: m._account_id, username: m.username, name: m.name, email: m.email }));
      const snapshot = await recordGroupMembers(store, host, { name: target.coreGroup, uuid: group.id }, refs, opts.clock());
      coreGroup = { name: target.coreGroup, ...snapshot };
    }
    return {
      host,
      project: target.project,
      resumed,
      after: iso(state.run_after),
      counts,
      changesFetched: fetched,
      pages,
      checkpoint: iso(done.checkpoint_updated),
      coreGroup,
      durationMs: opts.clock() - t0,
    };
  } finally {
    clearInterval(beat);
    await ownParser?.close();
    await releaseLock(db, lockName, me.owner).catch(() => undefined);
  }
}

/** A Gerrit account's credentials, read by the entry point (never from argv) and passed in. */
export interface GerritCredentials {
  username: string;
  password: string;
}

/** How the client of each host is set up; unset values take the defaults of `steward sync`. */
export interface GerritClientSettings {
  /** Requests in flight at once (default 2). */
  concurrency?: number;
  /** Time limit of one request, in ms (default 30 s). */
  timeoutMs?: number;
  /** Retries in the whole run (default 30). */
  maxTotalRetries?: number;
  /** Retries of one request (default 6). */
  maxRetriesPerRequest?: number;
  onRetry?: GerritClientOptions['onRetry'];
}

/** What {@link syncGerritTargets} says while it runs: one target starts, a page is stored, a target is done. */
export interface GerritSyncEvents {
  onTargetStart?: (target: SyncTarget) => void;
  onPage?: (target: SyncTarget, p: { project: string; changes: number; totalSoFar: number }) => void;
  onTargetDone?: (result: GerritTargetResult) => void;
}

export interface GerritSyncRunOptions extends GerritSyncEvents {
  clock: () => number;
  /**
   * The credentials for a Gerrit machine (the host name of its URL), or null to go anonymously.
   * Called once per target, just before its sync; the entry point reads them (file or environment).
   */
  credentials: (machine: string) => GerritCredentials | null;
  /** What to tell a user refused for want of credentials: where the entry point reads them from. */
  authHint?: (machine: string) => string;
  client?: GerritClientSettings;
  since?: number;
  full?: boolean;
  /** See {@link SyncOptions.replace}. */
  replace?: boolean;
  pageSize?: number;
}

/** One target's result with the requests and retries its client made. */
export type GerritTargetResult = SyncResult & { requests: number; retries: number };

/**
 * What one target's sync is given besides its store, clock and callbacks: plain data, which a
 * worker thread can be given as it is (gerrit-sync-thread.ts). `client.auth` holds the password.
 */
export interface GerritTargetSettings {
  client: HttpClientLimits & { auth?: { username: string; password: string }; authHint?: string };
  since?: number;
  full?: boolean;
  replace?: boolean;
  pageSize?: number;
}

/** A page stored, as {@link SyncOptions.onPage} says it. */
export type GerritPageProgress = Parameters<NonNullable<SyncOptions['onPage']>>[0];

/**
 * Syncs one target through a client of its own made from `settings.client`, counting its requests
 * and retries: what {@link syncGerritTargets} does for each target, in this thread or on a worker.
 */
export async function syncGerritTarget(
  store: Store,
  target: SyncTarget,
  settings: GerritTargetSettings,
  on: { clock: () => number; onPage?: SyncOptions['onPage']; onRetry?: GerritClientOptions['onRetry'] },
): Promise<GerritTargetResult> {
  const client = new GerritClient({ baseUrl: target.host.url, ...settings.client, onRetry: on.onRetry });
  const r = await syncProject(store, target, {
    client,
    clock: on.clock,
    since: settings.since,
    full: settings.full,
    replace: settings.replace,
    pageSize: settings.pageSize,
    onPage: on.onPage,
  });
  return { ...r, requests: client.stats.requests, retries: client.stats.retries };
}

/**
 * Runs one target's sync for {@link runGerritTargets}: in this thread ({@link syncGerritTargets}) or
 * on a worker thread (gerrit-sync-thread.ts).
 */
export type GerritTargetRunner = (
  target: SyncTarget,
  settings: GerritTargetSettings,
  on: { onPage?: SyncOptions['onPage']; onRetry?: GerritClientOptions['onRetry'] },
) => Promise<GerritTargetResult>;

/**
 * Every target in turn through `run`: each one's credentials read just before its sync, its
 * client's settings completed with the defaults of `steward sync`, the events passed on. Stops at
 * the first target that fails, throwing its StewardError; the targets before it stay stored.
 */
export async function runGerritTargets(
  targets: readonly SyncTarget[],
  opts: Omit<GerritSyncRunOptions, 'clock'>,
  run: GerritTargetRunner,
): Promise<GerritTargetResult[]> {
  const results: GerritTargetResult[] = [];
  const c = opts.client ?? {};
  for (const target of targets) {
    const machine = new URL(target.host.url).hostname;
    const creds = opts.credentials(machine);
    const settings: GerritTargetSettings = {
      client: {
        auth: creds ? { username: creds.username, password: creds.password } : undefined,
        authHint: opts.authHint?.(machine),
        concurrency: c.concurrency ?? 2,
        timeoutMs: c.timeoutMs ?? 30_000,
        maxTotalRetries: c.maxTotalRetries ?? 30,
        maxRetriesPerRequest: c.maxRetriesPerRequest ?? 6,
      },
      since: opts.since,
      full: opts.full,
      replace: opts.replace,
      pageSize: opts.pageSize,
    };
    opts.onTargetStart?.(target);
    const result = await run(target, settings, { onPage: opts.onPage && ((p) => opts.onPage!(target, p)), onRetry: c.onRetry });
    results.push(result);
    opts.onTargetDone?.(result);
  }
  return results;
}

/**
 * Syncs every target in turn in this thread, each through a client of its own (the scheduled sync
 * of `steward serve --sync-every`; `steward sync` runs each on a worker thread,
 * gerrit-sync-thread.ts). Stops at the first target that fails, throwing its StewardError; the
 * targets before it stay stored.
 *
 * @example
 * const results = await syncGerritTargets(store, targets, { clock: Date.now, credentials: () => null });
 */
export function syncGerritTargets(store: Store, targets: readonly SyncTarget[], opts: GerritSyncRunOptions): Promise<GerritTargetResult[]> {
  return runGerritTargets(targets, opts, (target, settings, on) => syncGerritTarget(store, target, settings, { clock: opts.clock, ...on }));
}
