/**
 * What every command needs: the store location, the configuration and the resolution of configured
 * people (core team, bots) to stored accounts. The environment is read in main.ts only and passed in.
 */
import { resolve } from 'node:path';
import { loadConfigCached } from '../config/config-cache.js';
import type { LoadedConfig } from '../config/load-config.js';
import { resolveEffectiveConfig, type EffectiveConfig } from '../service/effective-config.js';
import type { Store } from '../store/engine.js';
import { openStore, type OpenStoreOptions } from '../store/open-store.js';

export interface GlobalOptions {
  db?: string;
  config?: string;
  debug?: boolean;
}

/** The options of every report over a time window: projects, the window (`--days` or `--since`/`--until`), `--now`, `--format`. */
export interface WindowReportOptions extends GlobalOptions {
  project?: string[];
  days?: string;
  since?: string;
  until?: string;
  now?: string;
  format?: string;
}

export interface Env {
  STEWARD_DB?: string;
  STEWARD_CONFIG?: string;
  STEWARD_GERRIT_USERNAME?: string;
  STEWARD_GERRIT_PASSWORD?: string;
  STEWARD_CREDENTIALS?: string;
  /** A new web user's password (`steward user add|password`), instead of typing it. */
  STEWARD_USER_PASSWORD?: string;
  /** The security tracker's key (docs/security.md): 64 hex digits, or a 0600 file of them; and the next key for rotate-key. */
  STEWARD_SECURITY_KEY?: string;
  STEWARD_SECURITY_KEY_FILE?: string;
  STEWARD_SECURITY_NEW_KEY?: string;
  STEWARD_SECURITY_NEW_KEY_FILE?: string;
  /** Launchpad OAuth token (`steward bugs sync`; cli/launchpad-credentials.ts). */
  STEWARD_LAUNCHPAD_TOKEN?: string;
  STEWARD_LAUNCHPAD_TOKEN_SECRET?: string;
  STEWARD_LAUNCHPAD_CONSUMER?: string;
  STEWARD_LAUNCHPAD_CREDENTIALS?: string;
  /** The number of changes of the demo `overview --demo-if-empty` (npm start) generates (docs/demo.md). */
  STEWARD_DEMO_CHANGES?: string;
}

export interface Runtime {
  cwd: string;
  env: Env;
  clock: () => number;
  /**
   * The time `clock` always returns, when it is fixed (the tests' runtime): what a worker thread,
   * which cannot call `clock`, is given instead (`steward sync`, ingest/gerrit-sync-thread.ts).
   */
  fixedNow?: number;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTty: boolean;
  /** The terminal stream for progress bars, when stderr is a terminal. */
  progressStream?: NodeJS.WriteStream;
  /** Reads a secret from the user (a prompt without echo, or standard input); absent: no way to ask. */
  readSecret?: (prompt: string, opts: { confirm?: boolean }) => Promise<string>;
  /** The folder of the validated-configuration cache (config/config-cache.ts); absent: no cache. */
  configCacheDir?: string;
}

export function storeLocation(g: GlobalOptions, rt: Runtime): string {
  const loc = g.db ?? rt.env.STEWARD_DB ?? './steward.db';
  return /^postgres(ql)?:\/\//i.test(loc) ? loc : resolve(rt.cwd, loc);
}

export function openStoreFor(g: GlobalOptions, rt: Runtime, options?: OpenStoreOptions): Promise<Store> {
  return openStore(storeLocation(g, rt), options);
}

/** The configuration file (or the defaults), through the cache of validated configurations when the runtime has one. */
export function configFor(g: GlobalOptions, rt: Runtime): Promise<LoadedConfig> {
  const path = g.config ?? rt.env.STEWARD_CONFIG;
  return loadConfigCached(path ? resolve(rt.cwd, path) : undefined, rt.cwd, rt.configCacheDir);
}

export { DEMO_CONFIG_META_KEY } from '../service/effective-config.js';

/**
 * The configuration in effect: the file when there is one; otherwise, for a store filled by
 * `steward demo`, the demo project's configuration kept in the store (service/effective-config.ts).
 * `loaded`: the file, when the command started reading it already (configFor).
 */
export async function effectiveConfig(
  g: GlobalOptions,
  rt: Runtime,
  store: Store,
  loaded?: Promise<LoadedConfig>,
): Promise<EffectiveConfig> {
  return resolveEffectiveConfig(await (loaded ?? configFor(g, rt)), store, rt.configCacheDir);
}
