/**
 * `steward serve`: the web dashboard (src/web) over the store, on loopback by default; with
 * `--sync-every`, a scheduled sync (sync/schedule.ts, the sync command's runner) whose last and
 * next run the overview shows. The only place that listens.
 */
import { StewardError } from '../../model/errors.js';
import { resolveEffectiveConfig } from '../../service/effective-config.js';
import { buildApp, type AppDeps } from '../../web/build-app.js';
import type { SyncStatus } from '../../web/sync-status.js';
import { configFor, openStoreFor, type GlobalOptions, type Runtime } from '../context.js';
import { parsePositiveInt } from '../options.js';
import { parseDuration, schedule, type Scheduler } from '../sync/schedule.js';
import { syncOnce, syncTargets } from './sync-command.js';

export interface ServeCommandOptions extends GlobalOptions {
  port?: string;
  host?: string;
  syncEvery?: string;
  credentials?: string;
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
  const loaded = configFor(o, rt);
  const every = o.syncEvery ? parseDuration(o.syncEvery, '--sync-every') : null;
  // Check the sync targets before starting, so a wrong steward.yaml stops the server at once.
  const targets = every ? syncTargets(loaded.config, {}) : [];
  const store = await openStoreFor(o, rt);
  let scheduler: Scheduler | null = null;
  const syncStatus = (): SyncStatus | null =>
    scheduler && o.syncEvery ? { everyText: o.syncEvery, ...scheduler.state } : null;
  const app = await buildApp({
    store,
    config: async () => resolveEffectiveConfig(configFor(o, rt), store),
    clock: rt.clock,
    syncStatus,
    cwd: rt.cwd,
    ...hooks.deps,
  });
  try {
    const address = await app.listen({ port, host });
    if (every) {
      scheduler = schedule(every, () => syncOnce(store, targets, { ...o, quiet: true }, rt, 'text'), {
        clock: rt.clock,
        setTimer: (fn, ms) => setTimeout(fn, ms),
        clearTimer: (t) => clearTimeout(t as NodeJS.Timeout),
        onError: (e) => rt.stderr(`steward: scheduled sync failed: ${e instanceof StewardError ? e.describe() : String(e)}\n`),
      });
    }
    if (!o.quiet) rt.stderr(`Steward dashboard on ${address}${every ? `, syncing every ${o.syncEvery}` : ''}. Stop with Ctrl-C.\n`);
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
    await app.close();
    await store.close();
  }
}
