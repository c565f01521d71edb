/**
 * `steward serve`: the web dashboard (src/web) over the store, on loopback by default; with
 * `--sync-every`, a scheduled sync (ingest/schedule.ts running ingest/gerrit-sync.ts) whose last and
 * next run the overview shows. The only place that listens.
 */
import { statSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { StewardError } from '../../model/errors.js';
import { resolveEffectiveConfig, type EffectiveConfig } from '../../service/effective-config.js';
import type { AppContext } from '../../web/app-context.js';
import { buildApp, type AppDeps } from '../../web/build-app.js';
import { computeInProcess } from '../../web/report-compute.js';
import { buildReport, REPORTS } from '../../web/reports.js';
import type { SyncStatus } from '../../web/sync-status.js';
import { openWebWrites } from '../../store/web-writes.js';
import { listUsers } from '../../store/users-store.js';
import { securityBoxFrom } from '../security-key.js';
import { advisoryToYaml } from '../../sources/advisories/advisory-yaml.js';
import { accessHooks } from '../../web/auth/access-hooks.js';
import { ViewCache } from '../../web/view-cache.js';
import { startViewWorkers } from '../../web/view-workers.js';
import { DEFAULT_QUEUE, FairQueue } from '../../web/fair-queue.js';
import { configFor, openStoreFor, storeLocation, type GlobalOptions, type Runtime } from '../context.js';
import { parsePositiveInt } from '../options.js';
import { syncGerritTargets } from '../../ingest/gerrit-sync.js';
import { parseDuration, schedule, type Scheduler } from '../../ingest/schedule.js';
import { syncTargets } from '../../ingest/sync-targets.js';
import { gerritCredentialSource } from '../credentials.js';

export interface ServeCommandOptions extends GlobalOptions {
  port?: string;
  host?: string;
  syncEvery?: string;
  credentials?: string;
  /** Accounts, sessions and roles (web/auth); without it reading is open and changes are refused. */
  auth?: boolean;
  /** Threads computing reports (web/view-workers.ts); 0: on the server's own thread. Default 1. */
  computeThreads?: string;
  /** The fair queue's limits (web/fair-queue.ts); default steward.yaml's web.queue, else DEFAULT_QUEUE. */
  queuePerClient?: string;
  queueMaxWaiting?: string;
  quiet?: boolean;
}

/** Hooks for tests and for web-auth: extra dependencies, and a callback once listening. */
export interface ServeHooks {
  deps?: Partial<AppDeps>;
  /** Called with the address once listening; resolve `stop` to shut down (tests). */
  onListening?: (address: string, stop: () => Promise<void>) => void;
  /** Wait for this instead of SIGINT/SIGTERM. */
  until?: Promise<void>;
}

export async function runServe(o: ServeCommandOptions, rt: Runtime, hooks: ServeHooks = {}): Promise<void> {
  const port = o.port === undefined ? 7878 : o.port === '0' ? 0 : parsePositiveInt(o.port, '--port', 65_535);
  const host = o.host ?? '127.0.0.1';
  const loaded = await configFor(o, rt);
  const every = o.syncEvery ? parseDuration(o.syncEvery, '--sync-every') : null;
  const computeThreads =
    o.computeThreads === undefined || o.computeThreads === '1'
      ? 1
      : o.computeThreads === '0'
        ? 0
        : parsePositiveInt(o.computeThreads, '--compute-threads', 64);
  // The fair queue's limits: the options, else steward.yaml's web.queue, else the defaults.
  const queueConfig = loaded.config.web?.queue ?? {};
  const queueLimits = {
    concurrency: Math.max(1, computeThreads),
    perClient:
      o.queuePerClient !== undefined
        ? parsePositiveInt(o.queuePerClient, '--queue-per-client', 1000)
        : (queueConfig.perClient ?? DEFAULT_QUEUE.perClient),
    maxWaiting:
      o.queueMaxWaiting !== undefined
        ? parsePositiveInt(o.queueMaxWaiting, '--queue-max-waiting', 100_000)
        : (queueConfig.maxWaiting ?? DEFAULT_QUEUE.maxWaiting),
    retryAfterSeconds: queueConfig.retryAfterSeconds ?? DEFAULT_QUEUE.retryAfterSeconds,
  };
  // Check the sync targets before starting, so a wrong steward.yaml stops the server at once.
  const targets = every ? syncTargets(loaded.config, {}) : [];
  const store = await openStoreFor(o, rt, { largePageCache: true });
  // The view cache drops a report when the store's data changes, from this process or another, but
  // not when the server writes its sessions and audit lines: those go through `dataVersion`'s own
  // connection, whose commits do not move the version it reads (store/web-writes.ts).
  const dataVersion = await openWebWrites(storeLocation(o, rt), store).catch(async (e: unknown) => {
    await store.close();
    throw e;
  });
  const cache = new ViewCache({ version: dataVersion.current, clock: rt.clock });
  const pool = computeThreads > 0 ? startViewWorkers(storeLocation(o, rt), { threads: computeThreads }) : null;
  const compute = pool?.compute ?? computeInProcess;
  // Uncached computations wait their client's turn; as many run at once as there are compute threads.
  const queue = new FairQueue(queueLimits);
  // The configuration in effect, read again only when steward.yaml changes (its size or time) or the
  // store's data does (the demo's configuration lives in the store): not parsed on every request.
  const configPath = resolve(rt.cwd, o.config ?? rt.env.STEWARD_CONFIG ?? 'steward.yaml');
  let memo: { key: string; value: Promise<EffectiveConfig> } | null = null;
  const config = (): Promise<EffectiveConfig> => {
    let stamp = 'none';
    try {
      const st = statSync(configPath);
      stamp = `${st.mtimeMs}:${st.size}:${st.ino}`;
    } catch {
      // no file: the defaults or the demo's configuration in the store
    }
    const key = `${stamp}|${dataVersion.current()}`;
    if (memo?.key !== key) memo = { key, value: (async () => resolveEffectiveConfig(await configFor(o, rt), store))() };
    return memo.value;
  };
  let scheduler: Scheduler | null = null;
  const syncStatus = (): SyncStatus | null => (scheduler && o.syncEvery ? { everyText: o.syncEvery, ...scheduler.state } : null);
  const app = await buildApp({
    store,
    config,
    clock: rt.clock,
    syncStatus,
    cache,
    compute,
    queue,
    auth: accessHooks({
      enabled: Boolean(o.auth),
      store,
      writes: dataVersion,
      clock: rt.clock,
      config,
      securityBox: securityBoxFrom(rt.env as Record<string, string | undefined>),
      advisoryYaml: advisoryToYaml,
    }),
    cwd: rt.cwd,
    // Open for reading: answer only the names the server is meant to be reached by (DNS rebinding).
    hostCheck: o.auth
      ? undefined
      : { listenHost: host, names: [hostname()], publicUrls: loaded.config.web?.publicUrl ? [loaded.config.web.publicUrl] : [] },
    ...hooks.deps,
  });
  let warmer: NodeJS.Timeout | undefined;
  try {
    const address = await app.listen({ port, host });
    if (every) {
      // As `steward sync --quiet` with the default client settings: nothing printed but failures.
      const sync = async (): Promise<void> => {
        await syncGerritTargets(store, targets, { ...gerritCredentialSource(o.credentials, rt.env), clock: rt.clock });
      };
      scheduler = schedule(every, sync, {
        clock: rt.clock,
        setTimer: (fn, ms) => setTimeout(fn, ms),
        clearTimer: (t) => clearTimeout(t as NodeJS.Timeout),
        onError: (e) => rt.stderr(`steward: scheduled sync failed: ${e instanceof StewardError ? e.describe() : String(e)}\n`),
      });
    }
    // The overview as the front page asks for it, computed ahead of its first reader and again
    // after the data changes (checked every 30 s), so nobody waits for it on a big store.
    const warmCtx: AppContext = { store, config, clock: rt.clock, syncStatus, compute, cache, cwd: rt.cwd };
    let warmedAt: string | null = null;
    let warming = false;
    const warm = async (): Promise<void> => {
      const version = dataVersion.current();
      if (warming || version === warmedAt) return;
      warming = true;
      try {
        await buildReport(warmCtx, REPORTS.overview, { query: {} });
        warmedAt = version;
      } catch {
        warmedAt = version; // the overview page shows the error to its reader
      } finally {
        warming = false;
      }
    };
    void warm();
    warmer = setInterval(() => void warm(), 30_000);
    warmer.unref();
    if (!o.quiet)
      rt.stderr(
        `Steward dashboard on ${address}${every ? `, syncing every ${o.syncEvery}` : ''}${o.auth ? ', sign-in required' : ', open for reading'}. Stop with Ctrl-C.\n`,
      );
    if (o.auth && !o.quiet && (await listUsers(store.db)).every((u) => u.disabledAt !== null)) {
      rt.stderr('steward: --auth is on but nobody can sign in yet: add a user with `steward user add NAME --role admin`.\n');
    }
    const loopback = /^(127\.|localhost$|::1$|\[::1\]$)/.test(host);
    // Loud, and even with --quiet: everyone who can reach this address reads everything.
    if (!o.auth && !loopback) {
      rt.stderr(
        `steward: WARNING: listening on ${host} without --auth: anyone who can reach this address reads every report and the whole API, with no sign-in.\n` +
          '  Use --auth (behind HTTPS), or listen on 127.0.0.1 and put an authenticating proxy in front.\n',
      );
    }
    // Browsers keep Secure cookies from plain http only for localhost and 127.0.0.1.
    if (o.auth && !o.quiet && !loopback) {
      rt.stderr(
        `steward: --auth on ${host} over plain http: browsers will not keep the session cookie (it is Secure). Put HTTPS in front (a reverse proxy) and listen on 127.0.0.1.\n`,
      );
    }
    let stopRequested: () => void = () => undefined;
    const stopped = new Promise<void>((r) => (stopRequested = r));
    hooks.onListening?.(address, async () => stopRequested());
    if (hooks.until) await Promise.race([hooks.until, stopped]);
    else {
      process.once('SIGINT', stopRequested);
      process.once('SIGTERM', stopRequested);
      await stopped;
    }
  } finally {
    const s = scheduler as Scheduler | null;
    if (s) {
      s.stop();
      await s.stopped;
    }
    clearInterval(warmer);
    await app.close();
    await pool?.close();
    await dataVersion.close();
    await store.close();
  }
}
