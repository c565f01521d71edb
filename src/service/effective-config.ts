/**
 * The configuration a report runs with, and the people it names: the file when there is one, else
 * the demo project's configuration that `steward demo` keeps in the store, else the defaults.
 * Shared by the CLI and the web, which both pass it to the report views.
 */
import { parseConfigCached } from '../config/config-cache.js';
import type { LoadedConfig } from '../config/load-config.js';
import type { StewardConfig } from '../config/config-schema.js';
import type { AccountInfo } from '../model/activity.js';
import type { Store } from '../store/engine.js';
import { readMeta } from '../store/queries/meta.js';

/** The configuration in effect and where it came from (for the reports' `sources`). */
export interface EffectiveConfig extends LoadedConfig {
  /** Where the configuration came from, in words: the file path, or what stood in for it. */
  origin: string;
}

/** Key under which `steward demo` keeps the demo project's configuration in the store. */
export const DEMO_CONFIG_META_KEY = 'demo.config';

/**
 * The configuration in effect: `loaded` when it came from a file; otherwise, for a store filled by
 * `steward demo`, the demo project's configuration kept in the store; otherwise the defaults.
 */
export async function resolveEffectiveConfig(loaded: LoadedConfig, store: Store, cacheDir?: string | null): Promise<EffectiveConfig> {
  if (loaded.path) return { ...loaded, origin: loaded.path };
  const stored = await readMeta(store.db, DEMO_CONFIG_META_KEY);
  if (stored !== undefined) {
    // Through the cache of validated configurations (config/config-cache.ts) when given one; the
    // loader (YAML, the schema) is imported only when it must parse.
    const where = 'the demo configuration in the store';
    const config = await parseConfigCached(cacheDir, where, stored, async () =>
      (await import('../config/load-config.js')).parseConfig(stored, where),
    );
    return { config, path: null, origin: 'the demo project (no steward.yaml)' };
  }
  return { ...loaded, origin: 'defaults (no steward.yaml)' };
}

/** Whether a configured person (username or Gerrit account id) is this account. */
export function accountMatches(a: AccountInfo, spec: string | number): boolean {
  return typeof spec === 'number' ? a.gerritId === spec : a.username === spec;
}

/** Store ids of the configured core team of `projects` (all projects when empty), or null if none is configured. */
export function coreTeamIds(config: StewardConfig, accounts: readonly AccountInfo[], projects: readonly string[]): Set<number> | null {
  const chosen = config.projects.filter((p) => projects.length === 0 || projects.includes(p.name));
  const specs = chosen.flatMap((p) => p.core?.members ?? []);
  if (!chosen.some((p) => p.core?.members)) return null;
  return new Set(accounts.filter((a) => specs.some((s) => accountMatches(a, s))).map((a) => a.id));
}

/**
 * Bots: the accounts named in `bots`, plus every account that has posted a CI build report
 * (a CI system is a bot whether or not someone remembered to configure it).
 */
export function botIds(config: StewardConfig, accounts: readonly AccountInfo[], ciReporters: Iterable<number>): Set<number> {
  const ids = new Set<number>(ciReporters);
  for (const a of accounts) if (config.bots.some((s) => accountMatches(a, s))) ids.add(a.id);
  return ids;
}
