/**
 * What the web's routes and pages are given: the app's dependencies (`AppDeps`, what buildApp
 * takes) and the context every route sees (`AppContext`, the same filled in). Apart from
 * build-app.ts so that routes and pages need not import the module that registers them.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AnyReportEntry } from '../service/catalogue/report-entry.js';
import type { EffectiveConfig } from '../service/effective-config.js';
import type { Store } from '../store/engine.js';
import type { HostCheckOptions } from './host-check.js';
import type { SafeHtml } from './html.js';
import type { ReportCompute } from './report-compute.js';
import type { SyncStatusProvider } from './sync-status.js';
import type { ViewCache } from './view-cache.js';
import type { FairQueue } from './fair-queue.js';

/** What the auth plugin (src/web/auth) adds: routes and hooks, and who is signed in for the header. */
export interface AuthHooks {
  /** Registers login routes and access hooks on the app, before the report routes. */
  register(app: FastifyInstance): Promise<void> | void;
  /** Safe HTML for the header (who is signed in, a log-out form), per request. */
  nav?(request: FastifyRequest): SafeHtml | undefined;
}

/** A report the API serves besides the catalogue's (tests register their own this way). */
export interface ExtraApiReport {
  /** Path under /api/v1. */
  path: string;
  entry: AnyReportEntry;
}

export interface AppDeps {
  store: Store;
  /** The configuration in effect, resolved per request (the file may change; `steward demo` may fill the store). */
  config: () => Promise<EffectiveConfig>;
  /** The current time (reports are as of it unless the URL says `now=`). */
  clock?: () => number;
  /** The scheduled sync's status, for the overview; absent when the server does not sync. */
  syncStatus?: SyncStatusProvider;
  auth?: AuthHooks;
  /** Runs a catalogue entry's build (default: on this thread; `steward serve` passes its compute threads). */
  compute?: ReportCompute;
  /** Reports computed once per (report, parameters, reader when per-reader, store data version) and shared (view-cache.ts); absent: every request computes. */
  cache?: ViewCache;
  /** The fair queue the computations of uncached reports wait in, per client (fair-queue.ts); absent: none waits. */
  queue?: FairQueue;
  /** Reports served under /api/v1 besides the catalogue's. */
  extraReports?: readonly ExtraApiReport[];
  /** Where relative .dash paths of a configuration without a file resolve. */
  cwd?: string;
  /** Fastify's logger (off by default: tests and the CLI print their own). */
  logger?: boolean;
  /** Answer only requests naming these hosts (host-check.ts); `steward serve` sets it without `--auth`. Absent: no check. */
  hostCheck?: HostCheckOptions;
}

/** What the routes get: the dependencies, filled in. */
export interface AppContext {
  store: Store;
  config: () => Promise<EffectiveConfig>;
  clock: () => number;
  syncStatus: SyncStatusProvider;
  compute: ReportCompute;
  cache?: ViewCache;
  queue?: FairQueue;
  cwd: string;
  auth?: AuthHooks;
}
