/**
 * Initiatives (`steward initiative …`, `/api/v1/initiatives`): tracked work across releases,
 * defined in steward.yaml (`initiatives:`) or in the store (the command line and the web form for
 * leads call the functions here), measured by analysis/initiatives.ts. Every definition is checked
 * in full before anything is stored: milestones in order and not overlapping, queries Steward can
 * evaluate (the dashboards' query errors), commit patterns that are regular expressions, a scope
 * that matches something (unless allowed empty). A refused one stores nothing.
 */
import { isQueryError, type QueryError } from '../analysis/gerrit-query/query-error.js';
import { compileQuery } from '../analysis/gerrit-query/evaluate.js';
import {
  commitPattern,
  computeInitiativeStatus,
  describeScope,
  inSample,
  REVIEW_WAIT_SAMPLE,
  resolveMilestones,
  sampleFraction,
  scopePathPrefix,
  scopeQueries,
  specNames,
  waitSplits,
  type InitiativeStatus,
} from '../analysis/initiatives.js';
import type { ReleaseCycle } from '../analysis/waits.js';
import { toMs } from '../config/config-dates.js';
import type { InitiativeConfig, StewardConfig } from '../config/config-schema.js';
import { StewardError } from '../model/errors.js';
import {
  emptyScope,
  NOTE_KINDS,
  SCOPE_KINDS,
  scopeSize,
  type Initiative,
  type InitiativeDefinition,
  type InitiativeNote,
  type NoteKind,
  type TrackedScope,
} from '../model/initiatives.js';
import type { InitiativesList, InitiativeView } from '../report/initiatives-report.js';
import type { Store } from '../store/engine.js';
import {
  addStoredInitiative,
  addStoredNote,
  findStoredInitiative,
  listStoredInitiatives,
  removeStoredInitiative,
  replaceStoredInitiative,
  resolveStoredNote,
} from '../store/initiatives-store.js';
import { attachLinks, loadFlowChanges } from '../store/queries/flow.js';
import {
  attachSubjects,
  changesCreatedIn,
  cohortExtent,
  countScopeEvidence,
  creationMarks,
  loadScopeBugs,
  loadScopeCommits,
  periodChanges,
  scopeChangeCandidates,
} from '../store/queries/initiatives.js';
import { loadSpecs } from '../store/queries/specs.js';
import type { EffectiveConfig } from './effective-config.js';
import { flowSetup, type FlowSetup } from './flow-setup.js';
import { queryEnv } from './priorities-view.js';

const DAY = 86_400_000;
const YEAR = 365 * DAY;

/** steward.yaml's calendar as release cycles. */
export function calendarOf(config: StewardConfig): ReleaseCycle[] {
  return config.releases.map((r) => ({
    name: r.name,
    start: toMs(r.start),
    featureFreeze: toMs(r.featureFreeze),
    release: toMs(r.release),
  }));
}

function fromConfig(x: InitiativeConfig): Initiative {
  const scope = (s: InitiativeConfig['scope']): TrackedScope => ({
    ...emptyScope(),
    ...s,
    blueprints: s.blueprints.map((b) => b.toLowerCase()),
  });
  return {
    name: x.name,
    title: x.title,
    owners: [...x.owners],
    goal: x.goal,
    scope: scope(x.scope),
    milestones: x.milestones.map((m) => ({
      title: m.title,
      release: m.release ?? null,
      targetDate: m.targetDate === undefined ? null : toMs(m.targetDate),
      scope: scope(m.scope),
    })),
    stallWeeks: x.stallWeeks ?? null,
    origin: 'config',
    id: null,
    createdAt: null,
    createdBy: null,
    notes: x.notes.map((n) => ({
      id: null,
      kind: n.kind,
      text: n.text,
      link: n.link ?? null,
      at: toMs(n.at),
      by: n.by ?? null,
      status: n.status,
      resolvedAt: n.resolvedAt === undefined ? null : toMs(n.resolvedAt),
      resolvedBy: n.resolvedBy ?? null,
      resolution: n.resolution ?? null,
    })),
  };
}

/** steward.yaml's initiatives, then the store's whose name it does not use (steward.yaml wins, as for priorities). */
export async function allInitiatives(store: Store, config: StewardConfig): Promise<{ initiatives: Initiative[]; shadowed: Initiative[] }> {
  const configured = config.initiatives.map(fromConfig);
  const taken = new Set(configured.map((i) => i.name.toLowerCase()));
  const stored = await listStoredInitiatives(store.db);
  return {
    initiatives: [...configured, ...stored.filter((i) => !taken.has(i.name.toLowerCase()))],
    shadowed: stored.filter((i) => taken.has(i.name.toLowerCase())),
  };
}

/** The initiative a name means (ignoring case), or NOT_FOUND listing them. */
export async function findInitiative(store: Store, effective: EffectiveConfig, name: string): Promise<Initiative> {
  const { initiatives } = await allInitiatives(store, effective.config);
  const found = initiatives.find((i) => i.name.toLowerCase() === name.trim().toLowerCase());
  if (!found)
    throw new StewardError('NOT_FOUND', `no initiative named "${name}"`, {
      hint: initiatives.length
        ? `Initiatives: ${initiatives.map((i) => i.name).join(', ')}.`
        : 'Add one with steward initiative add, or under `initiatives:` in steward.yaml.',
    });
  return found;
}

const whereDefined = (i: Pick<Initiative, 'origin' | 'id' | 'name'>, effective: EffectiveConfig): string =>
  i.origin === 'config' ? `${effective.origin}: initiatives.${i.name}` : `the store (initiative ${i.id ?? 'being added'})`;

function queryProblem(e: QueryError, i: Pick<Initiative, 'origin' | 'id' | 'name'>, effective: EffectiveConfig): StewardError {
  return new StewardError(
    i.origin === 'config' ? 'CONFIG' : 'USAGE',
    `initiative "${i.name}": ${e.message} (column ${e.position + 1})\n${e.pointer('    ')}`,
    { where: whereDefined(i, effective), hint: e.hint ?? undefined },
    { cause: e },
  );
}

/** Every problem of a definition that needs no data: milestones, queries, patterns. Throws the first kind found. */
async function checkDefinition(store: Store, i: Initiative, effective: EffectiveConfig, now: number, given?: FlowSetup): Promise<void> {
  const code = i.origin === 'config' ? 'CONFIG' : 'USAGE';
  const { problems } = resolveMilestones(i, calendarOf(effective.config));
  if (i.milestones.length === 0) problems.unshift('give it at least one milestone (--milestone "TITLE=RELEASE" or "TITLE=YYYY-MM-DD")');
  if (problems.length)
    throw new StewardError(code, `initiative "${i.name}": ${problems.join('; ')}`, { where: whereDefined(i, effective) });
  for (const s of [i.scope, ...i.milestones.map((m) => m.scope)]) {
    for (const p of s.commitPatterns) {
      const re = commitPattern(p);
      if (typeof re === 'string')
        throw new StewardError(code, `initiative "${i.name}": commit pattern /${p}/ is not a regular expression: ${re}`, {
          where: whereDefined(i, effective),
        });
    }
    for (const b of s.bugs)
      if (!/^\d+$/.test(b))
        throw new StewardError(code, `initiative "${i.name}": bug "${b}" is not a bug number`, { where: whereDefined(i, effective) });
  }
  const setup = given ?? (await flowSetup(store, undefined, effective));
  const env = queryEnv(setup, effective.config, now);
  for (const s of [i.scope, ...i.milestones.map((m) => m.scope)])
    for (const q of scopeQueries(s)) {
      try {
        compileQuery(q.query, env);
      } catch (e) {
        if (isQueryError(e)) throw queryProblem(e, i, effective);
        throw e;
      }
    }
}

/** The input of add and edit: a definition as a person gives it. */
export interface InitiativeInputDef {
  name: string;
  title: string;
  owners: readonly string[];
  goal: string;
  scope: Partial<Record<keyof TrackedScope, readonly string[]>>;
  milestones: ReadonlyArray<{
    title: string;
    release?: string | null;
    targetDate?: string | number | null;
    scope?: Partial<Record<keyof TrackedScope, readonly string[]>>;
  }>;
  stallWeeks?: number | null;
}

/** A definition cleaned (trimmed, de-duplicated, blueprints in lower case) and dated; USAGE errors name the field. */
export function cleanDefinition(d: InitiativeInputDef): InitiativeDefinition {
  const clean = (xs: readonly string[] | undefined): string[] => [...new Set((xs ?? []).map((x) => String(x).trim()).filter(Boolean))];
  const scope = (s: InitiativeInputDef['scope'] | undefined): TrackedScope => {
    const out = emptyScope();
    for (const k of SCOPE_KINDS) out[k] = clean(s?.[k]);
    out.blueprints = out.blueprints.map((b) => b.toLowerCase());
    out.bugs = out.bugs.map((b) => b.replace(/^#/, ''));
    return out;
  };
  const name = d.name.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name))
    throw new StewardError(
      'USAGE',
      `initiative name "${d.name}": expected a short name of letters, digits, dots and dashes (like cells-v2)`,
    );
  const title = d.title.trim() || name;
  if (d.stallWeeks !== undefined && d.stallWeeks !== null && !(Number.isInteger(d.stallWeeks) && d.stallWeeks >= 1 && d.stallWeeks <= 520))
    throw new StewardError('USAGE', `--stall-weeks must be a whole number of weeks from 1 to 520, not "${d.stallWeeks}"`);
  return {
    name,
    title,
    owners: clean(d.owners),
    goal: d.goal.trim(),
    scope: scope(d.scope),
    milestones: d.milestones.map((m, i) => {
      let targetDate: number | null = null;
      if (m.targetDate !== undefined && m.targetDate !== null && m.targetDate !== '') {
        targetDate = typeof m.targetDate === 'number' ? m.targetDate : toMs(m.targetDate);
        if (Number.isNaN(targetDate))
          throw new StewardError('USAGE', `milestone ${i + 1} "${m.title}": target date "${m.targetDate}" is not a date like 2016-04-07`);
      }
      if (!m.title.trim()) throw new StewardError('USAGE', `milestone ${i + 1}: give it a title`);
      return { title: m.title.trim(), release: m.release?.trim() || null, targetDate, scope: scope(m.scope) };
    }),
    stallWeeks: d.stallWeeks ?? null,
  };
}

/**
 * Parses `--milestone` values: `TITLE=RELEASE`, `TITLE=YYYY-MM-DD` or `TITLE=RELEASE,YYYY-MM-DD`
 * (a release and a target date in it).
 */
export function parseMilestoneArg(v: string): { title: string; release: string | null; targetDate: string | null } {
  const at = v.lastIndexOf('=');
  if (at <= 0 || at === v.length - 1)
    throw new StewardError('USAGE', `--milestone "${v}": expected TITLE=RELEASE, TITLE=YYYY-MM-DD or TITLE=RELEASE,YYYY-MM-DD`);
  const title = v.slice(0, at).trim();
  const parts = v
    .slice(at + 1)
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const isDate = (s: string): boolean => /^\d{4}-\d{2}-\d{2}/.test(s);
  const targetDate = parts.find(isDate) ?? null;
  const release = parts.find((p) => !isDate(p)) ?? null;
  return { title, release, targetDate };
}

async function canonical(d: InitiativeDefinition, effective: EffectiveConfig): Promise<InitiativeDefinition> {
  const calendar = effective.config.releases;
  return {
    ...d,
    milestones: d.milestones.map((m) => ({
      ...m,
      release: m.release === null ? null : (calendar.find((r) => r.name.toLowerCase() === m.release!.toLowerCase())?.name ?? m.release),
    })),
  };
}

/** Refuses a scope that matches nothing in the store, showing it (unless `allowEmpty`). */
async function checkMatches(store: Store, d: InitiativeDefinition, allowEmpty: boolean): Promise<void> {
  if (allowEmpty) return;
  const scopes = [d.scope, ...d.milestones.map((m) => m.scope)];
  if (scopes.every((s) => scopeSize(s) === 0))
    throw new StewardError(
      'USAGE',
      `initiative "${d.name}": say what it covers (--blueprint, --spec, --topic, --query, --bug, --bug-tag, --commit-pattern, --path)`,
    );
  const specs = await loadSpecs(store.db);
  const found = await countScopeEvidence(store.db, scopes, specs);
  if (found === 0)
    throw new StewardError('USAGE', `initiative "${d.name}": the scope matches nothing in the store: ${describeScope(d)}`, {
      hint: 'Check the names (blueprints and specs in lower case, topics exact), or add it anyway with --allow-empty (a plan before any work).',
    });
}

/** Adds a store-defined initiative after checking it in full. */
export async function addInitiative(
  store: Store,
  input: InitiativeInputDef & { createdBy: string | null; allowEmpty?: boolean },
  effective: EffectiveConfig,
  now: number,
): Promise<Initiative> {
  const d = await canonical(cleanDefinition(input), effective);
  const { initiatives } = await allInitiatives(store, effective.config);
  const clash = initiatives.find((i) => i.name.toLowerCase() === d.name.toLowerCase());
  if (clash)
    throw new StewardError('USAGE', `an initiative is already named "${clash.name}" (${whereDefined(clash, effective)})`, {
      hint: 'Choose another name, or change that one with steward initiative edit.',
    });
  await checkDefinition(store, { ...d, origin: 'store', id: null, createdAt: now, createdBy: input.createdBy, notes: [] }, effective, now);
  await checkMatches(store, d, input.allowEmpty ?? false);
  return addStoredInitiative(store.db, d, input.createdBy, now);
}

/** What an edit changes: fields left undefined stay; a scope kind given replaces that kind. */
export interface InitiativeEdit {
  title?: string;
  goal?: string;
  owners?: readonly string[];
  scope?: Partial<Record<keyof TrackedScope, readonly string[]>>;
  milestones?: InitiativeInputDef['milestones'];
  stallWeeks?: number | null;
  allowEmpty?: boolean;
}

async function storedOrRefuse(store: Store, name: string, effective: EffectiveConfig): Promise<Initiative> {
  const i = await findInitiative(store, effective, name);
  if (i.origin === 'config')
    throw new StewardError('USAGE', `initiative "${i.name}" is defined in ${effective.origin}`, {
      hint: 'Edit steward.yaml to change it.',
    });
  return i;
}

/** Edits a store-defined initiative (its notes stay). */
export async function editInitiative(
  store: Store,
  name: string,
  e: InitiativeEdit,
  effective: EffectiveConfig,
  now: number,
): Promise<Initiative> {
  const cur = await storedOrRefuse(store, name, effective);
  const scope: Partial<Record<keyof TrackedScope, readonly string[]>> = { ...cur.scope, ...(e.scope ?? {}) };
  const d = await canonical(
    cleanDefinition({
      name: cur.name,
      title: e.title ?? cur.title,
      goal: e.goal ?? cur.goal,
      owners: e.owners ?? cur.owners,
      scope,
      milestones: e.milestones ?? cur.milestones,
      stallWeeks: e.stallWeeks === undefined ? cur.stallWeeks : e.stallWeeks,
    }),
    effective,
  );
  await checkDefinition(store, { ...cur, ...d }, effective, now);
  await checkMatches(store, d, e.allowEmpty ?? false);
  await replaceStoredInitiative(store.db, cur.id!, d, now);
  return (await findStoredInitiative(store.db, cur.name))!;
}

/** Removes a store-defined initiative with its notes. */
export async function removeInitiative(store: Store, name: string, effective: EffectiveConfig): Promise<Initiative> {
  const cur = await storedOrRefuse(store, name, effective);
  await removeStoredInitiative(store.db, cur.id!);
  return cur;
}

/** Adds a question, decision or feedback to a stored initiative, or resolves one. */
export async function noteInitiative(
  store: Store,
  name: string,
  n:
    | { kind: string; text: string; link?: string | null; by: string | null; at?: number }
    | { resolve: number; resolution?: string | null; by: string | null; at?: number },
  effective: EffectiveConfig,
  now: number,
): Promise<{ initiative: Initiative; note: InitiativeNote }> {
  const cur = await findInitiative(store, effective, name);
  if (cur.origin === 'config')
    throw new StewardError('USAGE', `initiative "${cur.name}" is defined in ${effective.origin}: its notes are kept there (notes:)`, {
      hint: 'Add the note under its `notes:` in steward.yaml.',
    });
  const at = n.at ?? now;
  if ('resolve' in n) {
    const note = cur.notes.find((x) => x.id === n.resolve);
    if (!note)
      throw new StewardError('NOT_FOUND', `initiative "${cur.name}" has no note ${n.resolve}`, {
        hint: 'steward initiative status NAME lists them with their ids.',
      });
    if (note.status === 'resolved') throw new StewardError('USAGE', `note ${n.resolve} of "${cur.name}" is already resolved`);
    await resolveStoredNote(store.db, cur.id!, n.resolve, { at, by: n.by, resolution: n.resolution?.trim() || null });
    const after = (await findStoredInitiative(store.db, cur.name))!;
    return { initiative: after, note: after.notes.find((x) => x.id === n.resolve)! };
  }
  if (!(NOTE_KINDS as readonly string[]).includes(n.kind))
    throw new StewardError('USAGE', `--kind must be one of ${NOTE_KINDS.join(', ')}, not "${n.kind}"`);
  const text = n.text.trim();
  if (!text) throw new StewardError('USAGE', 'give the note its text with --text TEXT');
  if (n.link) {
    try {
      new URL(n.link);
    } catch {
      throw new StewardError('USAGE', `--link "${n.link}" is not a URL (like https://lists.openstack.org/…)`);
    }
  }
  const note: Omit<InitiativeNote, 'id'> = {
    kind: n.kind as NoteKind,
    text,
    link: n.link?.trim() || null,
    at,
    by: n.by,
    status: 'open',
    resolvedAt: null,
    resolvedBy: null,
    resolution: null,
  };
  const id = await addStoredNote(store.db, cur.id!, note);
  return { initiative: (await findStoredInitiative(store.db, cur.name))!, note: { ...note, id } };
}

/** Every initiative: steward.yaml's, then the store's. */
export async function buildInitiativesList(store: Store, effective: EffectiveConfig): Promise<InitiativesList> {
  const { initiatives, shadowed } = await allInitiatives(store, effective.config);
  return {
    initiatives: initiatives.map(({ notes, ...i }) => ({
      ...i,
      createdAt: i.createdAt === null ? null : new Date(i.createdAt).toISOString(),
      openQuestions: notes.filter((n) => n.kind === 'question' && n.status === 'open').length,
      notes: notes.length,
    })),
    shadowed: shadowed.map((i) => ({ id: i.id, name: i.name })),
    sources: { config: effective.origin },
  };
}

// Every stall window is longer than 90 days (90 days of review data before it, and at least a
// week of it): creation times this far apart stand for all of them (creationMarks).
const REVIEW_DATA_SPAN = 90 * DAY;

/**
 * The cohort's changes the status reads, ascending: the scope's `candidates` and the sample of the
 * rest ({@link inSample}), those created in the period. The sample's ids are found by their hash
 * over the cohort's id range, and only they and the candidates in that range are looked up; when
 * the range is much wider than the cohort (ids not in creation order), the cohort's ids are read.
 */
async function cohortPicks(
  store: Store,
  candidates: readonly number[],
  candidateSet: ReadonlySet<number>,
  extent: { count: number; lowId: number | null; highId: number | null },
  fraction: number,
  period: { projects: readonly string[]; from: number; until: number },
): Promise<number[]> {
  const { count, lowId, highId } = extent;
  if (count === 0 || lowId === null || highId === null) return [];
  // The range's sample is at most 4 times the cohort's (REVIEW_WAIT_SAMPLE, or the whole cohort when smaller).
  if ((highId - lowId + 1) * fraction <= 4 * REVIEW_WAIT_SAMPLE) {
    const picks: number[] = [];
    for (const id of candidates) if (id >= lowId && id <= highId) picks.push(id);
    for (let id = lowId; id <= highId; id++) if (!candidateSet.has(id) && inSample(id, fraction)) picks.push(id);
    return changesCreatedIn(store.db, store.engine, picks, period);
  }
  const { ids: cohort } = await periodChanges(store.db, store.engine, period);
  const picks: number[] = [];
  for (const id of cohort) if (candidateSet.has(id) || inSample(id, fraction)) picks.push(id);
  return picks.sort((a, b) => a - b);
}

/** An initiative's status as of `now` (`steward initiative status NAME --format json`, `/api/v1/initiatives/NAME`). */
export async function buildInitiativeView(
  store: Store,
  params: { name: string; project?: readonly string[] },
  effective: EffectiveConfig,
  now: number,
): Promise<InitiativeView> {
  const { config } = effective;
  const initiative = await findInitiative(store, effective, params.name);
  const setup = await flowSetup(store, params.project, effective);
  await checkDefinition(store, initiative, effective, now, setup);
  const calendar = calendarOf(config);
  const { milestones } = resolveMilestones(initiative, calendar);
  const asOf = now;
  // The period looked at: the first milestone's window start, else a year before it is due.
  const since = Math.min(milestones[0]!.start ?? milestones[0]!.due - YEAR, asOf);
  // The period's cohort (changes created in [since, asOf)): its size and id range, not its rows;
  // and, from 90 days before it, the creation times that say whether review data covers a stall
  // (creationMarks: every stall window is longer than 90 days). Every project of the store when
  // none is asked for: no condition on the project. Started now: nothing below changes them
  // (PostgreSQL reads them beside the reads that follow).
  const periodProjects = params.project?.length ? setup.projects : [];
  const extentRead = cohortExtent(store.db, store.engine, { projects: periodProjects, from: since, until: asOf });
  extentRead.catch(() => undefined);
  const marksRead = creationMarks(store.db, store.engine, {
    projects: periodProjects,
    from: since - 90 * DAY,
    until: asOf,
    span: REVIEW_DATA_SPAN,
  });
  marksRead.catch(() => undefined);
  const specs = await loadSpecs(store.db);
  const scopes = [initiative.scope, ...initiative.milestones.map((m) => m.scope)];
  const names = new Set(scopes.flatMap((s) => s.specs.map((x) => x.toLowerCase())));
  const specBlueprints = specs.filter((s) => specNames(s).some((n) => names.has(n))).map((s) => s.blueprint);
  const env = queryEnv(setup, config, asOf);
  // What is read: with a scope of blueprints, specs, topics, bugs, bug tags and paths, the changes
  // the indexes say it may name (scopeChangeCandidates) and the sample of the rest; with Gerrit
  // queries or commit patterns, which no index answers, every change of the period. Paths are then
  // matched by the store's files (scopeChangeCandidates' byPath), so no change's files are read.
  const everything = scopes.some((s) => s.queries.length + s.commitPatterns.length > 0);
  const storePaths = !everything && scopes.every((s) => s.paths.every((p) => scopePathPrefix(p) !== ''));
  // Load what the scope's queries need (files for `file:`, commit messages for `message:` and the patterns).
  const needs = scopes
    .flatMap((s) => {
      const qs = scopeQueries(s, specBlueprints);
      return storePaths ? qs.slice(0, qs.length - s.paths.length) : qs;
    })
    .map((q) => compileQuery(q.query, env).needs);
  const tags = scopes.flatMap((s) => s.bugTags);
  const bugData = await loadScopeBugs(store.db, { numbers: scopes.flatMap((s) => s.bugs), tags });
  const taggedBugs = tags.length && bugData ? bugData.bugs.map((b) => String(b.id)) : [];
  const extent = await extentRead;
  const cohortSize = extent.count;
  const fraction = sampleFraction(cohortSize);
  const commitMessage = scopes.some((s) => s.commitPatterns.length > 0) || needs.some((n) => n.commitMessage);
  let ids: number[] | null = null;
  let candidates: Set<number> | null = null;
  let pathMatches: Map<string, Set<number>> | undefined;
  if (!everything) {
    const found = await scopeChangeCandidates(store.db, store.engine, {
      targets: [...scopes.flatMap((s) => s.blueprints), ...specBlueprints, ...scopes.flatMap((s) => s.bugs), ...taggedBugs].map((x) =>
        x.toLowerCase(),
      ),
      topics: scopes.flatMap((s) => s.topics),
      paths: scopes.flatMap((s) => s.paths.map(scopePathPrefix)),
      // No change outside the cohort's id range is read (the analysis matches only what is read).
      ...(extent.lowId !== null && extent.highId !== null ? { idRange: { low: extent.lowId, high: extent.highId } } : {}),
    });
    if (storePaths) pathMatches = found.byPath;
    candidates = new Set(found.ids);
    ids = await cohortPicks(store, found.ids, candidates, extent, fraction, { projects: periodProjects, from: since, until: asOf });
  }
  const [loaded, commits] = await Promise.all([
    loadFlowChanges(store.db, store.engine, {
      scope: ids === null ? { kind: 'active', since, until: asOf } : { kind: 'ids', ids },
      projects: setup.projects,
      asOf,
      messages: 'flow',
      // With the ids, details below: in full for the scope's candidates, links alone for the sample.
      details: ids === null,
      files: needs.some((n) => n.files),
      commitMessage: ids === null && commitMessage,
    }),
    loadScopeCommits(store.db, {
      blueprints: [...scopes.flatMap((s) => s.blueprints), ...specBlueprints],
      bugs: [...scopes.flatMap((s) => s.bugs), ...taggedBugs],
      withPatterns: scopes.some((s) => s.commitPatterns.length > 0),
      since,
      until: asOf,
    }),
  ]);
  if (candidates !== null) {
    // The sample's other changes are compared, not shown or matched (no index names them): what they
    // implement (their clusters) is all they need.
    // The scope's candidates get what its queries and the status read (no Gerrit query or commit
    // pattern here: subjects, topics and links, not the commit message's TrivialFix flag or hashtags).
    const named = loaded.filter((c) => candidates!.has(c.id));
    await Promise.all([
      attachSubjects(store.db, store.engine, named),
      attachLinks(store.db, store.engine, named),
      attachLinks(
        store.db,
        store.engine,
        loaded.filter((c) => !candidates!.has(c.id)),
      ),
    ]);
  }
  const changes = loaded.filter((c) => c.created >= since && c.created < asOf);
  const waits = waitSplits(changes, setup.ctx, since, asOf);
  let status: InitiativeStatus;
  try {
    status = computeInitiativeStatus(
      {
        initiative,
        calendar,
        changes,
        ...(pathMatches ? { pathMatches } : {}),
        waits,
        sample: { cohort: cohortSize, fraction },
        reviewDataTimes: await marksRead,
        commits,
        specs,
        env,
        hostUrls: setup.hostUrls,
        nameOf: setup.nameOf,
        bugData,
      },
      asOf,
    );
  } catch (e) {
    if (isQueryError(e)) throw queryProblem(e, initiative, effective);
    throw e;
  }
  return {
    projects: setup.projects,
    ...status,
    sources: {
      ...setup.sources,
      initiative: whereDefined(initiative, effective),
      specs: specs.length ? `${specs.length} specs (steward specs sync)` : 'none (steward specs sync): specs cannot be followed',
      codeHistory: commits.length
        ? 'the synced code history (steward git sync)'
        : 'no commit in scope, or no code history (steward git sync)',
      bugs: bugData
        ? 'Launchpad bug data in the store (steward bugs sync): bug tags select bugs; bugs fixed by Launchpad or by the changes and commits that close them'
        : 'bug numbers through the changes and commits that name them; no bug tracker data (steward bugs sync)',
      ...(scopes.some((s) => s.paths.length)
        ? {
            paths:
              "paths matched against change files (each change's latest patch set); commits not matched by path (the code history stores no file lists)",
          }
        : {}),
      read:
        ids === null
          ? `every change of the period (${changes.length}): the scope has Gerrit queries or commit patterns, which no index answers`
          : `${ids.length} changes: those the scope's blueprints, bugs, topics and paths may name, and the rest's sample`,
    },
  };
}
