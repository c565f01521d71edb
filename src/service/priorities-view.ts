/**
 * Release priorities (`steward priorities report|list|add|remove`, `/api/v1/priorities`): the
 * report built by analysis/priorities.ts, and the store-defined priorities the web form for leads
 * adds and removes (steward.yaml's are edited in the file; they win on a clash of title).
 */
import { isQueryError, type QueryError } from '../analysis/gerrit-query/query-error.js';
import type { QueryAccounts, QueryEnv } from '../analysis/gerrit-query/evaluate.js';
import { compileQuery } from '../analysis/gerrit-query/evaluate.js';
import { computePriorities, mergePriorities, priorityQueries } from '../analysis/priorities.js';
import { cohortWaits, type ReleaseCycle } from '../analysis/waits.js';
import { toMs } from '../config/config-dates.js';
import type { StewardConfig } from '../config/config-schema.js';
import { StewardError } from '../model/errors.js';
import type { Priority, PriorityDefinition } from '../model/priorities.js';
import type { PrioritiesList, PrioritiesView } from '../report/priorities-report.js';
import type { Store } from '../store/engine.js';
import { addStoredPriority, findStoredPriority, listStoredPriorities, removeStoredPriority } from '../store/priorities-store.js';
import { loadFlowChanges, loadOwnerHistory } from '../store/queries/flow.js';
import { accountResolver } from './dashboard-view.js';
import type { EffectiveConfig } from './effective-config.js';
import { flowSetup, type FlowSetup } from './flow-setup.js';

export interface PrioritiesParams {
  /** Release name (case-insensitive), one of steward.yaml's `releases`. */
  release: string;
  project?: readonly string[];
}

/** The release of steward.yaml's calendar a name means (ignoring case), or a USAGE error listing them. */
export function findConfiguredRelease(config: StewardConfig, name: string, param = '--release'): ReleaseCycle {
  const r = config.releases.find((x) => x.name.toLowerCase() === name.trim().toLowerCase());
  if (!r) {
    throw new StewardError('USAGE', `${param}: no release "${name}" in the release calendar`, {
      hint: config.releases.length
        ? `Releases: ${config.releases.map((x) => x.name).join(', ')}.`
        : 'Add the release calendar to steward.yaml (`releases`: name, start, featureFreeze, release).',
    });
  }
  return { name: r.name, start: toMs(r.start), featureFreeze: toMs(r.featureFreeze), release: toMs(r.release) };
}

/** steward.yaml's priorities of a release (all releases when null), as priorities. */
export function configPriorities(config: StewardConfig, release: string | null): Priority[] {
  const out: Priority[] = [];
  for (const [name, list] of Object.entries(config.priorities)) {
    if (release !== null && name.toLowerCase() !== release.toLowerCase()) continue;
    // A priority keyed by the calendar's name in another case reports under the calendar's spelling.
    const canonical = config.releases.find((r) => r.name.toLowerCase() === name.toLowerCase())?.name ?? name;
    for (const p of list)
      out.push({
        release: canonical,
        title: p.title,
        blueprints: [...p.blueprints],
        topics: [...p.topics],
        queries: [...p.queries],
        origin: 'config',
        id: null,
        createdAt: null,
        createdBy: null,
      });
  }
  return out;
}

/** Where a priority is defined, in words (for messages). */
function whereDefined(p: Priority, effective: EffectiveConfig): string {
  return p.origin === 'config' ? `${effective.origin}: priorities.${p.release}` : `the store (priority ${p.id})`;
}

/** The query environment of priorities and initiatives as of `now` (users, the configured core groups). */
export function queryEnv(setup: FlowSetup, config: StewardConfig, now: number): QueryEnv {
  const groups = new Set(
    ['core', ...config.projects.map((p) => p.core?.group).filter((g): g is string => !!g)].map((g) => g.toLowerCase()),
  );
  const accounts: QueryAccounts = {
    resolveUser: accountResolver(setup.accounts),
    resolveGroup: (g) => (groups.has(g.toLowerCase()) ? setup.coreAt(now) : null),
    self: null,
  };
  return { now, flow: setup.ctx, accounts };
}

function queryProblem(e: QueryError, p: Priority, effective: EffectiveConfig): StewardError {
  return new StewardError(
    p.origin === 'config' ? 'CONFIG' : 'USAGE',
    `priority "${p.title}": ${e.message} (column ${e.position + 1})\n${e.pointer('    ')}`,
    {
      where: whereDefined(p, effective),
      hint:
        e.hint ??
        (p.origin === 'store' ? 'Remove it (steward priorities remove) and add it again with a query Steward can evaluate.' : undefined),
    },
    { cause: e },
  );
}

/** Checks every query of the priorities against the query language (operators, users, groups). */
function checkQueries(list: readonly Priority[], env: QueryEnv, effective: EffectiveConfig): void {
  for (const p of list) {
    for (const q of priorityQueries(p)) {
      try {
        compileQuery(q.query, env);
      } catch (e) {
        if (isQueryError(e)) throw queryProblem(e, p, effective);
        throw e;
      }
    }
  }
}

/** The priorities report of a release as `--format json` prints it. */
export async function buildPrioritiesView(
  store: Store,
  params: PrioritiesParams,
  effective: EffectiveConfig,
  now: number,
): Promise<PrioritiesView> {
  const { config } = effective;
  const release = findConfiguredRelease(config, params.release);
  const { priorities, shadowed } = mergePriorities(
    configPriorities(config, release.name),
    await listStoredPriorities(store.db, release.name),
  );
  const setup = await flowSetup(store, params.project, effective);
  const asOf = Math.min(release.release, now);
  const env = queryEnv(setup, config, asOf);
  checkQueries(priorities, env, effective);
  const [changes, ownerHistory] = await Promise.all([
    loadFlowChanges(store.db, store.engine, {
      scope: { kind: 'active', since: release.start, until: asOf },
      projects: setup.projects,
      asOf,
      messages: 'flow',
      details: true,
      files: true,
    }),
    loadOwnerHistory(store.db, store.engine, params.project?.length ? setup.projects : []),
  ]);
  const releases: ReleaseCycle[] = config.releases.map((r) => ({
    name: r.name,
    start: toMs(r.start),
    featureFreeze: toMs(r.featureFreeze),
    release: toMs(r.release),
  }));
  // The waits of `steward waits` over the release (its cohort, followed to asOf): one definition of "waiting on reviewers".
  const waits = cohortWaits(
    {
      changes,
      ctx: setup.ctx,
      coreAt: setup.coreAt,
      ownerHistory,
      releases,
      hostUrls: setup.hostUrls,
      areaPrefixes: config.coreRules.areas,
    },
    { since: release.start, until: asOf, now: asOf },
  );
  let result;
  try {
    result = computePriorities(
      { release, priorities, shadowed, changes: changes.filter((c) => c.created >= release.start), waits, env, hostUrls: setup.hostUrls },
      now,
    );
  } catch (e) {
    if (isQueryError(e))
      throw queryProblem(e, priorities.find((p) => priorityQueries(p).some((q) => q.query === e.query)) ?? priorities[0]!, effective);
    throw e;
  }
  return {
    projects: setup.projects,
    metric: 'reviewersDays',
    ...result,
    sources: { ...setup.sources, priorities: `${effective.origin} (priorities.${release.name}) and the store` },
  };
}

/** Every priority (of one release when given): steward.yaml's, then the store's, with the stored ones steward.yaml hides. */
export async function buildPrioritiesList(store: Store, params: { release?: string }, effective: EffectiveConfig): Promise<PrioritiesList> {
  const release = params.release === undefined ? null : findConfiguredRelease(effective.config, params.release).name;
  const { priorities, shadowed } = mergePriorities(
    configPriorities(effective.config, release),
    await listStoredPriorities(store.db, release ?? undefined),
  );
  const show = (p: Priority) => ({ ...p, createdAt: p.createdAt === null ? null : new Date(p.createdAt).toISOString() });
  return {
    release,
    priorities: priorities.map(show),
    shadowed: shadowed.map(show),
    sources: { config: effective.origin },
  };
}

export interface AddPriorityInput extends PriorityDefinition {
  /** Who adds it: a web user's name, or `--by`; null when not said. */
  createdBy: string | null;
}

/**
 * Adds a store-defined priority after checking it: a release of the calendar (stored under the
 * calendar's spelling), a title no priority of that release has (in steward.yaml or the store,
 * ignoring case), at least one blueprint, topic or query, and queries Steward can evaluate.
 * USAGE errors name the parameter; the web form shows them beside its fields.
 */
export async function addPriority(store: Store, input: AddPriorityInput, effective: EffectiveConfig, now: number): Promise<Priority> {
  const release = findConfiguredRelease(effective.config, input.release);
  const title = input.title.trim();
  if (!title) throw new StewardError('USAGE', '--title: give the priority a title');
  const clean = (xs: readonly string[]): string[] => [...new Set(xs.map((x) => x.trim()).filter(Boolean))];
  const def: PriorityDefinition = {
    release: release.name,
    title,
    blueprints: clean(input.blueprints).map((b) => b.toLowerCase()),
    topics: clean(input.topics),
    queries: clean(input.queries),
  };
  if (def.blueprints.length + def.topics.length + def.queries.length === 0) {
    throw new StewardError('USAGE', `priority "${title}": say what it covers with --blueprint, --topic or --query (each repeatable)`);
  }
  const clash =
    configPriorities(effective.config, release.name).find((p) => p.title.toLowerCase() === title.toLowerCase()) ??
    (await findStoredPriority(store.db, release.name, title));
  if (clash) {
    throw new StewardError('USAGE', `${release.name} already has a priority titled "${clash.title}" (${whereDefined(clash, effective)})`, {
      hint: 'Choose another title, or remove that one first.',
    });
  }
  const setup = await flowSetup(store, undefined, effective);
  const candidate: Priority = { ...def, origin: 'store', id: null, createdAt: now, createdBy: input.createdBy };
  checkQueries([candidate], queryEnv(setup, effective.config, now), effective);
  return addStoredPriority(store.db, def, input.createdBy, now);
}

/**
 * Removes a store-defined priority of a release by title (ignoring case). A steward.yaml priority
 * cannot be removed here (USAGE: edit the file); none of that title is NOT_FOUND.
 */
export async function removePriority(
  store: Store,
  params: { release: string; title: string },
  effective: EffectiveConfig,
): Promise<Priority> {
  const release = findConfiguredRelease(effective.config, params.release);
  const stored = await findStoredPriority(store.db, release.name, params.title);
  const inConfig = configPriorities(effective.config, release.name).find(
    (p) => p.title.toLowerCase() === params.title.trim().toLowerCase(),
  );
  if (!stored) {
    if (inConfig)
      throw new StewardError('USAGE', `priority "${inConfig.title}" of ${release.name} is defined in ${effective.origin}`, {
        hint: 'Edit steward.yaml to change or remove it.',
      });
    throw new StewardError('NOT_FOUND', `${release.name} has no stored priority titled "${params.title}"`, {
      hint: 'steward priorities list shows them.',
    });
  }
  await removeStoredPriority(store.db, stored.id!);
  return stored;
}
