/**
 * The Zuul builds sync (`steward ci sync`) for one Zuul tenant and project: builds pages → parser → store, incremental,
 * resumable and exclusive, as the Gerrit sync (gerrit-sync.ts) is.
 *
 * - Incremental: Zuul lists builds newest first. The checkpoint is the newest start time a
 *   completed run saw; the next run walks pages until it reaches builds that started before
 *   (checkpoint − overlap). The overlap (default 6 hours) outlasts any job, so a build that was
 *   still running at the last sync — Zuul lists it, with no result, where it started — is fetched
 *   once it has finished. Builds are stored by UUID, so seeing one again changes nothing.
 * - Resumable: each page is stored in one transaction with the run's position (`skip`). A killed
 *   sync resumes at that position; builds that arrived meanwhile push older ones further down, so
 *   resuming can only see some builds twice, never skip one.
 * - Exclusive: a lock per Zuul tenant and project; a second sync refuses with SYNC_BUSY.
 *
 * Checkpoints live in sync_state under host `zuul:TENANT@ZUUL_HOST` (beside Gerrit's rows).
 */
import { StewardError } from '../model/errors.js';
import type { ZuulClient } from '../sources/zuul/zuul-client.js';
import { parseZuulBuilds } from '../sources/zuul/zuul-parser.js';
import type { Store } from '../store/engine.js';
import { writeZuulPage } from '../store/ingest-writes.js';
import type { ZuulWriteCounts } from '../store/queries/ci.js';
import { acquireLock, beginRun, completeRun, getSyncState, heartbeatLock, recordSyncError, releaseLock } from '../store/sync-store.js';
import { isProcessAlive, lockOwner } from './sync-lock.js';

export interface ZuulSyncTarget {
  /** The Zuul web root. */
  url: string;
  tenant: string;
  /** The Gerrit host (hosts[].name) the builds' changes are on. */
  host: string;
  project: string;
}

export interface ZuulSyncOptions {
  client: ZuulClient;
  clock: () => number;
  /** Fetch builds started since this time instead of since the checkpoint (epoch ms). */
  since?: number;
  /** Ignore the checkpoint and any run in progress: walk every build of the project. */
  full?: boolean;
  /** How far before the checkpoint the next run reaches, in ms (default 6 hours). */
  overlapMs?: number;
  /** Builds per page (default 200). */
  pageSize?: number;
  /** A lock whose holder has not written a heartbeat for this long is taken over (default 10 min). */
  staleLockMs?: number;
  onPage?: (p: { project: string; builds: number; totalSoFar: number }) => void;
}

export interface ZuulSyncResult {
  zuul: string;
  tenant: string;
  project: string;
  resumed: boolean;
  /** Builds started before this were already stored (null: every build was walked). */
  after: string | null;
  counts: ZuulWriteCounts;
  buildsFetched: number;
  /** Builds seen still running (fetched by a later sync) or retried by Zuul (not results). */
  running: number;
  retried: number;
  pages: number;
  checkpoint: string | null;
  durationMs: number;
}

export const DEFAULT_ZUUL_OVERLAP_MS = 6 * 3_600_000;

const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());

/** The sync_state host under which a Zuul tenant's checkpoints are kept. */
export function zuulStateKey(url: string, tenant: string): string {
  const u = new URL(url);
  return `zuul:${tenant}@${u.host}${u.pathname.replace(/\/+$/, '')}`;
}

/** Syncs the builds of one project of one Zuul tenant. Throws StewardError for every failure, leaving a resumable run. */
export async function syncZuulProject(store: Store, target: ZuulSyncTarget, opts: ZuulSyncOptions): Promise<ZuulSyncResult> {
  const t0 = opts.clock();
  const { db } = store;
  const key = zuulStateKey(target.url, target.tenant);
  const lockName = `${key}:${target.project}`;
  const me = lockOwner();
  const holder = await acquireLock(db, lockName, me, opts.clock(), opts.staleLockMs ?? 600_000, isProcessAlive);
  if (holder) {
    throw new StewardError(
      'SYNC_BUSY',
      `another sync of ${target.project}'s Zuul builds (tenant ${target.tenant}) is running (process ${holder.pid} on ${holder.hostname}, since ${new Date(holder.acquired_at).toISOString()})`,
      {
        hint: 'Wait for it to finish, then run the command again. A sync that died is taken over automatically.',
      },
    );
  }
  try {
    const restart = Boolean(opts.full) || opts.since !== undefined;
    const existing = await getSyncState(db, key, target.project);
    const resumed = Boolean(existing?.run_in_progress) && !restart;
    const after = opts.full
      ? null
      : (opts.since ??
        (existing?.checkpoint_updated != null ? existing.checkpoint_updated - (opts.overlapMs ?? DEFAULT_ZUUL_OVERLAP_MS) : null));
    const state = await beginRun(db, key, target.project, after, opts.clock(), restart);
    const origin = { zuul: target.url, tenant: target.tenant, host: target.host };
    let counts: ZuulWriteCounts = { new: 0, updated: 0, unchanged: 0 };
    let fetched = 0;
    let running = 0;
    let retried = 0;
    let pages = 0;
    const it = opts.client.builds({ project: target.project }, { pageSize: opts.pageSize ?? 200, skip: state.run_next_start });
    try {
      for await (const page of it) {
        const parsed = parseZuulBuilds(page.builds, { where: page.url });
        const fetchedAt = opts.clock();
        const c = await writeZuulPage(store, parsed.builds, origin, fetchedAt, {
          host: key,
          project: target.project,
          nextStart: page.skip + page.builds.length,
          highWater: parsed.newestStart,
        });
        counts = { new: counts.new + c.new, updated: counts.updated + c.updated, unchanged: counts.unchanged + c.unchanged };
        fetched += parsed.builds.length;
        running += parsed.running;
        retried += parsed.retried;
        pages += 1;
        await heartbeatLock(db, lockName, me.owner, opts.clock());
        opts.onPage?.({ project: target.project, builds: parsed.builds.length, totalSoFar: fetched });
        // Newest first: once a page reaches builds older than the run's start point, the rest is stored.
        if (state.run_after !== null && parsed.oldestStart !== null && parsed.oldestStart < state.run_after) break;
      }
    } catch (e) {
      const msg = e instanceof StewardError ? e.describe() : String((e as Error)?.message ?? e);
      await recordSyncError(db, key, target.project, msg).catch(() => undefined);
      if (
        e instanceof StewardError &&
        (e.code === 'SOURCE_RETRIES_EXHAUSTED' || e.code === 'SOURCE_UNREACHABLE' || e.code === 'SOURCE_BAD_RESPONSE')
      ) {
        e.details.hint = `${e.details.hint ? `${e.details.hint} ` : ''}Everything fetched so far is stored; run the same command again to resume.`;
      }
      throw e;
    }
    const done = await completeRun(db, key, target.project, opts.clock());
    return {
      zuul: target.url,
      tenant: target.tenant,
      project: target.project,
      resumed,
      after: iso(state.run_after),
      counts,
      buildsFetched: fetched,
      running,
      retried,
      pages,
      checkpoint: iso(done.checkpoint_updated),
      durationMs: opts.clock() - t0,
    };
  } finally {
    await releaseLock(db, lockName, me.owner).catch(() => undefined);
  }
}

/** What {@link syncZuulTargets} says while it runs: one project starts, a page is stored, a project is done. */
export interface ZuulSyncEvents {
  onTargetStart?: (target: ZuulSyncTarget) => void;
  onPage?: (target: ZuulSyncTarget, p: { project: string; builds: number; totalSoFar: number }) => void;
  onTargetDone?: (result: ZuulTargetResult) => void;
}

/** One project's result with the requests and retries the client made for it. */
export type ZuulTargetResult = ZuulSyncResult & { requests: number; retries: number };

/**
 * Syncs the builds of every target in turn through one client (`steward ci sync`). Stops at the
 * first project that fails, throwing its StewardError; the projects before it stay stored.
 */
export async function syncZuulTargets(
  store: Store,
  targets: readonly ZuulSyncTarget[],
  opts: Omit<ZuulSyncOptions, 'onPage'> & ZuulSyncEvents,
): Promise<ZuulTargetResult[]> {
  const { client } = opts;
  const results: ZuulTargetResult[] = [];
  for (const target of targets) {
    const before = { ...client.stats };
    opts.onTargetStart?.(target);
    const r = await syncZuulProject(store, target, {
      client,
      clock: opts.clock,
      since: opts.since,
      full: opts.full,
      overlapMs: opts.overlapMs,
      pageSize: opts.pageSize,
      staleLockMs: opts.staleLockMs,
      onPage: opts.onPage && ((p) => opts.onPage!(target, p)),
    });
    const result = { ...r, requests: client.stats.requests - before.requests, retries: client.stats.retries - before.retries };
    results.push(result);
    opts.onTargetDone?.(result);
  }
  return results;
}
