/**
 * Reads and validates steward.yaml, reporting every problem at once with file, line and key.
 */
import { readFileSync } from 'node:fs';
import { isNode } from 'yaml';
import type { ZodIssue } from 'zod';
import { StewardError } from '../model/errors.js';
import { loadYamlSafely } from '../model/safe-yaml.js';
import { configSchema, emptyConfig, type StewardConfig } from './config-schema.js';

export interface LoadedConfig {
  config: StewardConfig;
  /** The file it came from, or null when none was found and defaults apply. */
  path: string | null;
}

function keyPath(path: ReadonlyArray<string | number>): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

/**
 * How deep collections may nest in a configuration file. steward.yaml needs about six levels; the
 * YAML library composes documents recursively, so a file nested thousands deep (a mistake or an
 * attack) would exhaust the stack instead of being refused.
 */
export const MAX_CONFIG_DEPTH = 64;

/**
 * How many alias expansions (`*name`) a configuration file may make. A few are handy for sharing a
 * core list; a "billion laughs" file makes an alias of aliases of aliases to blow up memory.
 */
export const MAX_CONFIG_ALIASES = 100;

/** Parses config text; `where` names the file in messages. */
export function parseConfig(text: string, where: string): StewardConfig {
  const loaded = loadYamlSafely(text, {
    where,
    code: 'CONFIG',
    maxDepth: MAX_CONFIG_DEPTH,
    maxAliases: MAX_CONFIG_ALIASES,
    depthNeeds: 'a Steward configuration needs fewer than ten',
    aliasHint: 'Write the lists out, or use fewer nested aliases (&name / *name).',
  });
  const { doc, lines: lineCounter } = loaded;
  const raw = loaded.value ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new StewardError(
      'CONFIG',
      'expected a mapping with keys hosts, projects, bots, releases, zuul, ci, coreRules, dashboards, git, priorities, specs, web',
      { where, line: 1 },
    );
  }
  const parsed = configSchema.safeParse(raw);
  if (parsed.success) return parsed.data;

  const lineOf = (path: ReadonlyArray<string | number>): number | undefined => {
    for (let n = path.length; n > 0; n--) {
      const node = doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  const lines = parsed.error.issues.map((issue: ZodIssue) => {
    let msg = issue.message;
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeysAt(issue.path);
      msg = `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `\`${k}\``).join(', ')}${allowed ? `; allowed here: ${allowed}` : ''}`;
    } else if (issue.code === 'invalid_type' && issue.received === 'undefined') {
      msg = 'is required';
    }
    const line = lineOf(issue.path);
    const key = keyPath(issue.path);
    return `${where}${line ? `:${line}` : ''}: ${key ? `\`${key}\` ` : ''}${msg}`;
  });
  const first = parsed.error.issues[0]!;
  throw new StewardError('CONFIG', `${lines.length} problem${lines.length > 1 ? 's' : ''} in the configuration:\n  ${lines.join('\n  ')}`, {
    field: keyPath(first.path) || undefined,
    hint: 'See docs/configuration.md for every key and its allowed values.',
  });
}

function allowedKeysAt(path: ReadonlyArray<string | number>): string | null {
  const names = path.filter((p) => typeof p === 'string');
  const last = names[names.length - 1];
  const table: Record<string, string> = {
    '': 'hosts, projects, bots, releases, zuul, ci, coreRules, dashboards, git, priorities, specs, web',
    web: 'publicUrl',
    git: 'repo, branch, name, landingCommitters',
    dashboards: 'name, title, description, foreach, sections, file',
    sections: 'name, query',
    hosts: 'name, url',
    projects: 'name, host, core',
    core: 'group, members',
    releases: 'name, start, featureFreeze, release',
    zuul: 'url, tenant, host, projects',
    ci: 'gatePipelines, experimentalPipelines, matchToleranceMinutes, readiness',
    readiness: 'margin, weeks, minRuns, minWeeklyRuns',
    coreRules: 'idleThreshold, idleDays, idleCounts, candidateDays, candidateMinReviews, areas, areaDepth, ranking',
    ranking: 'quality, activity, unreasonedVoteWeight, driveByWeight',
    quality: 'agreement, confirmedMinusOnes, reasoning',
    activity: 'volume, consistency, breadth, ownMerged',
  };
  return table[last ?? ''] ?? null;
}

/**
 * Loads the config from `path` when given (it must exist), else from `./steward.yaml` when present,
 * else returns the defaults.
 */
export function loadConfig(path: string | undefined, cwd: string): LoadedConfig {
  const candidate = path ?? `${cwd}/steward.yaml`;
  let text: string;
  try {
    text = readFileSync(candidate, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (!path && code === 'ENOENT') return { config: emptyConfig(), path: null };
    throw new StewardError(
      'CONFIG',
      `cannot read the configuration file: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
      {
        where: candidate,
        hint: 'Check the path given with --config or STEWARD_CONFIG.',
      },
      { cause: e },
    );
  }
  return { config: parseConfig(text, candidate), path: candidate };
}
