/**
 * Reads and validates steward.yaml, reporting every problem at once with file, line and key.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isNode, type Document, type LineCounter } from 'yaml';
import { z, type ZodIssue } from 'zod';
import { StewardError } from '../model/errors.js';
import { loadYamlSafely } from '../model/safe-yaml.js';
import { CONFIG_KEYS, configSchema, emptyConfig, type StewardConfig, type StewardConfigInput } from './config-schema.js';

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

/** Reads a file named in the configuration (relative to it): its text and how to name it in messages. */
export type ConfigFileReader = (relative: string) => { text: string; where: string };

/** Parses config text; `where` names the file in messages; `readFile` reads files it names (teams[].reviewstats). */
export function parseConfig(text: string, where: string, readFile?: ConfigFileReader): StewardConfig {
  const { doc, lineCounter, raw } = readYaml(text, where);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new StewardError('CONFIG', `expected a mapping with keys ${CONFIG_KEYS.join(', ')} (or a reviewstats project file)`, {
      where,
      line: 1,
    });
  }
  const input = raw as Record<string, unknown>;
  // A reviewstats project file given as the whole configuration (`steward --config nova.json`).
  if ('subprojects' in input) return configSchema.parse({ teams: [reviewstatsTeam(doc, lineCounter, input, where)] });
  if (Array.isArray(input.teams)) {
    input.teams = input.teams.map((t: unknown, i: number) => {
      if (typeof t !== 'object' || t === null || !('reviewstats' in t)) return t;
      const { reviewstats: file, ...rest } = t as Record<string, unknown>;
      const line = lineOf(doc, lineCounter, ['teams', i]);
      if (typeof file !== 'string' || !file)
        throw new StewardError(
          'CONFIG',
          `\`teams[${i}].reviewstats\` expected the path of a reviewstats project file (projects/nova.json)`,
          {
            where,
            line,
            field: `teams[${i}].reviewstats`,
          },
        );
      const extra = Object.keys(rest).filter((k) => k !== 'host');
      if (extra.length)
        throw new StewardError(
          'CONFIG',
          `\`teams[${i}]\` reads its team from ${file}: only \`host\` may be given beside \`reviewstats\` (found ${extra.map((k) => `\`${k}\``).join(', ')})`,
          { where, line, field: `teams[${i}]` },
        );
      if (!readFile)
        throw new StewardError('CONFIG', `\`teams[${i}].reviewstats\` names a file, and ${where} cannot name files`, { where, line });
      const f = readFile(file);
      const parsed = readYaml(f.text, f.where);
      if (typeof parsed.raw !== 'object' || parsed.raw === null || Array.isArray(parsed.raw))
        throw new StewardError('CONFIG', 'expected a reviewstats project file: a JSON object with name, subprojects and core-team', {
          where: f.where,
          line: 1,
        });
      return { ...reviewstatsTeam(parsed.doc, parsed.lineCounter, parsed.raw as Record<string, unknown>, f.where), ...rest };
    });
  }
  const parsed = configSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw issuesError(doc, lineCounter, parsed.error.issues, where, allowedKeysAt);
}

/**
 * reviewstats' project file (reviewstats/projects/*.json): `name`, `subprojects` (the repositories),
 * `core-team` (usernames) or `core-team-gerrit-group` (a Gerrit group), and keys Steward does not
 * use (`lp_projects`, `unofficial`).
 */
const reviewstatsProjectSchema = z
  .object({
    name: z.string().min(1),
    subprojects: z.array(z.string().min(1)).min(1, 'name at least one repository'),
    'core-team': z.array(z.string().min(1)).optional(),
    'core-team-gerrit-group': z.string().min(1).optional(),
    lp_projects: z.array(z.string()).optional(),
    unofficial: z.boolean().optional(),
  })
  .strict()
  .refine((p) => p['core-team'] !== undefined || p['core-team-gerrit-group'] !== undefined, {
    message: 'give the core team as `core-team` (a list of usernames) or `core-team-gerrit-group`',
    path: ['core-team'],
  });

/** A reviewstats project file as a Steward team (validated, errors naming `where`, line and key). */
function reviewstatsTeam(doc: Document, lineCounter: LineCounter, raw: Record<string, unknown>, where: string): TeamInput {
  const parsed = reviewstatsProjectSchema.safeParse(raw);
  if (!parsed.success)
    throw issuesError(
      doc,
      lineCounter,
      parsed.error.issues,
      where,
      () => 'name, subprojects, core-team, core-team-gerrit-group, lp_projects, unofficial',
    );
  const p = parsed.data;
  return {
    name: p.name,
    projects: p.subprojects,
    core: {
      ...(p['core-team-gerrit-group'] ? { group: p['core-team-gerrit-group'] } : {}),
      ...(p['core-team'] ? { members: p['core-team'] } : {}),
    },
  };
}

type TeamInput = NonNullable<StewardConfigInput['teams']>[number];

/** Parses YAML (or JSON, its subset) with the depth and alias limits (model/safe-yaml.ts); syntax errors name the line. */
function readYaml(text: string, where: string): { doc: Document; lineCounter: LineCounter; raw: unknown } {
  const loaded = loadYamlSafely(text, {
    where,
    code: 'CONFIG',
    maxDepth: MAX_CONFIG_DEPTH,
    maxAliases: MAX_CONFIG_ALIASES,
    depthNeeds: 'a Steward configuration needs fewer than ten',
    aliasHint: 'Write the lists out, or use fewer nested aliases (&name / *name).',
  });
  return { doc: loaded.doc, lineCounter: loaded.lines, raw: loaded.value ?? {} };
}

function lineOf(doc: Document, lineCounter: LineCounter, path: ReadonlyArray<string | number>): number | undefined {
  for (let n = path.length; n > 0; n--) {
    const node = doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  return undefined;
}

/** Every schema problem at once, each as `file:line: \`key\` message`. */
function issuesError(
  doc: Document,
  lineCounter: LineCounter,
  issues: readonly ZodIssue[],
  where: string,
  allowed: (path: ReadonlyArray<string | number>) => string | null,
): StewardError {
  const lines = issues.map((issue: ZodIssue) => {
    let msg = issue.message;
    if (issue.code === 'unrecognized_keys') {
      const here = allowed(issue.path);
      msg = `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `\`${k}\``).join(', ')}${here ? `; allowed here: ${here}` : ''}`;
    } else if (issue.code === 'invalid_type' && issue.received === 'undefined') {
      msg = 'is required';
    }
    const line = lineOf(doc, lineCounter, issue.path);
    const key = keyPath(issue.path);
    return `${where}${line ? `:${line}` : ''}: ${key ? `\`${key}\` ` : ''}${msg}`;
  });
  const first = issues[0]!;
  return new StewardError(
    'CONFIG',
    `${lines.length} problem${lines.length > 1 ? 's' : ''} in the configuration:\n  ${lines.join('\n  ')}`,
    {
      field: keyPath(first.path) || undefined,
      hint: 'See docs/configuration.md for every key and its allowed values.',
    },
  );
}

function allowedKeysAt(path: ReadonlyArray<string | number>): string | null {
  const names = path.filter((p) => typeof p === 'string');
  const last = names[names.length - 1];
  const table: Record<string, string> = {
    '': CONFIG_KEYS.join(', '),
    web: 'publicUrl',
    git: 'repo, branch, name, landingCommitters',
    dashboards: 'name, title, description, foreach, sections, file',
    sections: 'name, query',
    hosts: 'name, url',
    projects: 'name, host, core',
    teams: 'name, projects, host, core (or reviewstats: a reviewstats project file)',
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
  return { config: parseConfig(text, candidate, relativeReader(candidate)), path: candidate };
}

/** Reads files a configuration names, relative to the configuration's folder. */
export function relativeReader(configPath: string): ConfigFileReader {
  return (relative) => {
    const where = resolve(dirname(configPath), relative);
    try {
      return { text: readFileSync(where, 'utf8'), where };
    } catch (e) {
      const code = (e as { code?: string }).code;
      throw new StewardError(
        'CONFIG',
        `cannot read ${relative}, named in ${configPath}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
        { where, hint: 'Paths in the configuration are relative to its folder.' },
        { cause: e },
      );
    }
  };
}
