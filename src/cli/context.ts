/**
 * What every command needs: the store location, the configuration and the resolution of configured
 * people (core team, bots) to stored accounts. The environment is read in main.ts only and passed in.
 */
import { resolve } from 'node:path';
import { loadConfig, type LoadedConfig } from '../config/load-config.js';
import { parseConfig } from '../config/load-config.js';
import type { StewardConfig } from '../config/config-schema.js';
import type { AccountInfo } from '../model/activity.js';
import type { Store } from '../store/engine.js';
import { openStore, type OpenStoreOptions } from '../store/open-store.js';

export interface GlobalOptions {
  db?: string;
  config?: string;
  debug?: boolean;
}

export interface Env {
  STEWARD_DB?: string;
  STEWARD_CONFIG?: string;
  STEWARD_GERRIT_USERNAME?: string;
  STEWARD_GERRIT_PASSWORD?: string;
  STEWARD_CREDENTIALS?: string;
}

export interface Runtime {
  cwd: string;
  env: Env;
  clock: () => number;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTty: boolean;
  /** The terminal stream for progress bars, when stderr is a terminal. */
  progressStream?: NodeJS.WriteStream;
}

export function storeLocation(g: GlobalOptions, rt: Runtime): string {
  const loc = g.db ?? rt.env.STEWARD_DB ?? './steward.db';
  return /^postgres(ql)?:\/\//i.test(loc) ? loc : resolve(rt.cwd, loc);
}

export function openStoreFor(g: GlobalOptions, rt: Runtime, options?: OpenStoreOptions): Promise<Store> {
  return openStore(storeLocation(g, rt), options);
}

export function configFor(g: GlobalOptions, rt: Runtime): LoadedConfig {
  const path = g.config ?? rt.env.STEWARD_CONFIG;
  return loadConfig(path ? resolve(rt.cwd, path) : undefined, rt.cwd);
}

/** Key under which `steward demo` keeps the demo project's configuration in the store. */
export const DEMO_CONFIG_META_KEY = 'demo.config';

/**
 * The configuration in effect: the file when there is one; otherwise, for a store filled by
 * `steward demo`, the demo project's configuration kept in the store.
 */
export async function effectiveConfig(g: GlobalOptions, rt: Runtime, store: Store): Promise<LoadedConfig & { origin: string }> {
  const loaded = configFor(g, rt);
  if (loaded.path) return { ...loaded, origin: loaded.path };
  const row = await store.db.selectFrom('meta').select('value').where('key', '=', DEMO_CONFIG_META_KEY).executeTakeFirst();
  if (row) return { config: parseConfig(row.value, 'the demo configuration in the store'), path: null, origin: 'the demo project (no steward.yaml)' };
  return { ...loaded, origin: 'defaults (no steward.yaml)' };
}

function matches(a: AccountInfo, spec: string | number): boolean {
  return typeof spec === 'number' ? a.gerritId === spec : a.username === spec;
}

/** Store ids of the configured core team of `projects` (all projects when empty), or null if none is configured. */
export function coreTeamIds(config: StewardConfig, accounts: readonly AccountInfo[], projects: readonly string[]): Set<number> | null {
  const chosen = config.projects.filter((p) => projects.length === 0 || projects.includes(p.name));
  const specs = chosen.flatMap((p) => p.core?.members ?? []);
  if (!chosen.some((p) => p.core?.members)) return null;
  return new Set(accounts.filter((a) => specs.some((s) => matches(a, s))).map((a) => a.id));
}

/**
 * Bots: the accounts named in `bots`, plus every account that has posted a CI build report
 * (a CI system is a bot whether or not someone remembered to configure it).
 */
export function botIds(config: StewardConfig, accounts: readonly AccountInfo[], ciReporters: Iterable<number>): Set<number> {
  const ids = new Set<number>(ciReporters);
  for (const a of accounts) if (config.bots.some((s) => matches(a, s))) ids.add(a.id);
  return ids;
}
