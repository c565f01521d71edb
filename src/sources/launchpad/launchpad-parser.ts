/**
 * Launchpad's web service JSON → model records (model/bugs.ts). Launchpad answers a collection
 * (`/devel/nova?ws.op=searchTasks`, `/devel/nova/all_specifications`) as one page:
 *
 *     { "total_size": 1234, "start": 0, "next_collection_link": "https://…&ws.start=75",
 *       "entries": [ { "self_link": "…/devel/nova/+bug/1234567", "resource_type_link": "…/#bug_task", … } ] }
 *
 * (a large search gives `total_size_link` instead of `total_size`). Each entry names its kind in
 * `resource_type_link` (`#bug_task`, `#bug`, `#specification`); one page may mix kinds, as the
 * saved pages `steward bugs import` reads do. A single entry (`/devel/bugs/N`) is read as a page of one.
 *
 * Every problem is a StewardError naming the page and the entry (`entries[3].status`): an entry
 * without its self link, an unknown status or importance, a bug that is a duplicate of itself.
 * The caller chooses the code (a sync: SOURCE_BAD_RESPONSE; an import: INPUT_FORMAT).
 */
import {
  BUG_IMPORTANCES,
  BUG_STATUSES,
  INFORMATION_TYPES,
  type Blueprint,
  type Bug,
  type BugImportance,
  type BugStatus,
  type BugTask,
  type InformationType,
  type LaunchpadRecords,
} from '../../model/bugs.js';
import { StewardError, type ErrorCode } from '../../model/errors.js';

/** A collection page, its entries not yet parsed. */
export interface LaunchpadCollectionPage {
  entries: unknown[];
  /** `start` of the page (0 when absent). */
  start: number;
  /** `total_size` when the page gives it. */
  totalSize: number | null;
  /** `total_size_link` when the page gives that instead. */
  totalSizeLink: string | null;
  nextLink: string | null;
}

export interface ParseContext {
  /** The page's URL or file, for messages. */
  where: string;
  /** The error code for a page that is not what Launchpad sends. */
  code: ErrorCode;
}

const STATUS_SET: ReadonlySet<string> = new Set(BUG_STATUSES);
const IMPORTANCE_SET: ReadonlySet<string> = new Set(BUG_IMPORTANCES);
const INFO_SET: ReadonlySet<string> = new Set(INFORMATION_TYPES);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(ctx: ParseContext, field: string | undefined, message: string, hint?: string): never {
  throw new StewardError(ctx.code, message, {
    where: ctx.where,
    field,
    hint: hint ?? 'This is not a page Launchpad sends; if it is a saved page, save it again from the web service.',
  });
}

/**
 * Reads a collection page (or a single entry, as a page of one).
 *
 * @example parseCollectionPage(JSON.parse(text), { where: url, code: 'SOURCE_BAD_RESPONSE' }).entries.length
 */
export function parseCollectionPage(json: unknown, ctx: ParseContext): LaunchpadCollectionPage {
  if (!isObj(json)) fail(ctx, undefined, `expected a Launchpad collection (an object with "entries"), got ${kindOf(json)}`);
  if (!('entries' in json)) {
    if (typeof json.self_link === 'string' && typeof json.resource_type_link === 'string')
      return { entries: [json], start: 0, totalSize: 1, totalSizeLink: null, nextLink: null };
    fail(ctx, undefined, `expected a Launchpad collection (an object with "entries"), got an object with keys ${keysOf(json)}`);
  }
  if (!Array.isArray(json.entries)) fail(ctx, 'entries', `expected an array of entries, got ${kindOf(json.entries)}`);
  const start = json.start === undefined ? 0 : json.start;
  if (typeof start !== 'number' || !Number.isInteger(start) || start < 0)
    fail(ctx, 'start', `expected a whole number, got ${kindOf(start)}`);
  const total = json.total_size;
  if (total !== undefined && (typeof total !== 'number' || !Number.isInteger(total) || total < 0))
    fail(ctx, 'total_size', `expected a whole number, got ${kindOf(total)}`);
  const next = json.next_collection_link;
  if (next !== undefined && next !== null && typeof next !== 'string')
    fail(ctx, 'next_collection_link', `expected a URL, got ${kindOf(next)}`);
  const totalLink = typeof json.total_size_link === 'string' ? json.total_size_link : null;
  return {
    entries: json.entries,
    start,
    totalSize: typeof total === 'number' ? total : null,
    totalSizeLink: totalLink,
    nextLink: typeof next === 'string' ? next : null,
  };
}

/** The kind an entry names in its resource_type_link (`bug_task`, `bug`, `specification`, …). */
export function entryKind(entry: unknown): string | null {
  if (!isObj(entry) || typeof entry.resource_type_link !== 'string') return null;
  const hash = entry.resource_type_link.lastIndexOf('#');
  return hash === -1 ? null : entry.resource_type_link.slice(hash + 1);
}

/**
 * Parses every entry of a page into records. Kinds other than bug tasks, bugs and specifications
 * are refused (they are not what Steward asked for).
 */
export function parseEntries(entries: readonly unknown[], ctx: ParseContext): LaunchpadRecords {
  const out: LaunchpadRecords = { tasks: [], bugs: [], blueprints: [] };
  entries.forEach((entry, i) => {
    const field = `entries[${i}]`;
    if (!isObj(entry)) fail(ctx, field, `expected an entry object, got ${kindOf(entry)}`);
    if (typeof entry.self_link !== 'string' || entry.self_link === '') fail(ctx, `${field}.self_link`, 'the entry has no self link');
    const kind = entryKind(entry);
    if (kind === 'bug_task') out.tasks.push(parseBugTask(entry, ctx, field));
    else if (kind === 'bug') out.bugs.push(parseBug(entry, ctx, field));
    else if (kind === 'specification') out.blueprints.push(parseBlueprint(entry, ctx, field));
    else
      fail(
        ctx,
        `${field}.resource_type_link`,
        `expected a bug_task, bug or specification entry, got ${kind === null ? 'no resource_type_link' : JSON.stringify(kind)} (${entry.self_link})`,
      );
  });
  return out;
}

/** Path segments after the API version (`https://api.launchpad.net/devel/nova/+bug/1` → nova, +bug, 1). */
function apiPath(link: string): string[] {
  let path: string;
  try {
    path = new URL(link).pathname;
  } catch {
    path = link;
  }
  const parts = path.split('/').filter(Boolean);
  // The first segment is the API version (devel, 1.0, beta) when the link is an API link.
  return parts.length && /^(devel|beta|1\.0)$/.test(parts[0]!) ? parts.slice(1) : parts;
}

/** `~name` link → name. */
function personOf(v: unknown, ctx: ParseContext, field: string): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'string') fail(ctx, field, `expected a person link, got ${kindOf(v)}`);
  const seg = apiPath(v).find((s) => s.startsWith('~'));
  if (!seg) fail(ctx, field, `expected a person link like https://api.launchpad.net/devel/~name, got ${JSON.stringify(v)}`);
  return decodeURIComponent(seg.slice(1));
}

/** `…/nova/+milestone/2023.1` → 2023.1. */
function milestoneOf(v: unknown, ctx: ParseContext, field: string): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'string') fail(ctx, field, `expected a milestone link, got ${kindOf(v)}`);
  const parts = apiPath(v);
  const i = parts.indexOf('+milestone');
  if (i === -1 || !parts[i + 1]) fail(ctx, field, `expected a milestone link like …/nova/+milestone/2023.1, got ${JSON.stringify(v)}`);
  return decodeURIComponent(parts[i + 1]!);
}

/** Launchpad's ISO 8601 times (with microseconds) → epoch ms; null stays null. */
function dateOf(v: unknown, ctx: ParseContext, field: string, required = false): number | null {
  if (v === null || v === undefined) {
    if (required) fail(ctx, field, 'a required date is missing');
    return null;
  }
  if (typeof v !== 'string') fail(ctx, field, `expected an ISO 8601 time, got ${kindOf(v)}`);
  const t = Date.parse(v.replace(/(\.\d{3})\d+/, '$1'));
  if (Number.isNaN(t)) fail(ctx, field, `expected an ISO 8601 time, got ${JSON.stringify(v)}`);
  return t;
}

function str(entry: Obj, key: string, ctx: ParseContext, field: string): string {
  const v = entry[key];
  if (typeof v !== 'string') fail(ctx, `${field}.${key}`, `expected text, got ${kindOf(v)} (${String(entry.self_link)})`);
  return v;
}

function oneOf<T extends string>(entry: Obj, key: string, set: ReadonlySet<string>, ctx: ParseContext, field: string): T {
  const v = entry[key];
  if (typeof v !== 'string' || !set.has(v))
    fail(
      ctx,
      `${field}.${key}`,
      `unknown ${key.replace(/_/g, ' ')} ${JSON.stringify(v)} on ${String(entry.self_link)}; expected one of ${[...set].join(', ')}`,
    );
  return v as T;
}

function bugNumberOf(link: unknown, ctx: ParseContext, field: string): number {
  if (typeof link !== 'string') fail(ctx, field, `expected a bug link, got ${kindOf(link)}`);
  const m = /\/bugs\/(\d+)\/?$/.exec(link);
  if (!m) fail(ctx, field, `expected a bug link like https://api.launchpad.net/devel/bugs/1234567, got ${JSON.stringify(link)}`);
  return Number(m[1]);
}

function parseBugTask(e: Obj, ctx: ParseContext, field: string): BugTask {
  const selfLink = e.self_link as string;
  const parts = apiPath(selfLink);
  const at = parts.indexOf('+bug');
  if (at < 1 || at > 2)
    fail(ctx, `${field}.self_link`, `expected a bug task link like …/devel/nova/+bug/1234567, got ${JSON.stringify(selfLink)}`);
  const bug = bugNumberOf(e.bug_link, ctx, `${field}.bug_link`);
  const d = (k: string) => dateOf(e[k], ctx, `${field}.${k}`);
  return {
    selfLink,
    bug,
    project: decodeURIComponent(parts[0]!),
    series: at === 2 ? decodeURIComponent(parts[1]!) : null,
    status: oneOf<BugStatus>(e, 'status', STATUS_SET, ctx, field),
    importance: oneOf<BugImportance>(e, 'importance', IMPORTANCE_SET, ctx, field),
    assignee: personOf(e.assignee_link, ctx, `${field}.assignee_link`),
    milestone: milestoneOf(e.milestone_link, ctx, `${field}.milestone_link`),
    title: taskTitle(str(e, 'title', ctx, field)),
    dates: {
      created: dateOf(e.date_created, ctx, `${field}.date_created`, true)!,
      assigned: d('date_assigned'),
      confirmed: d('date_confirmed'),
      triaged: d('date_triaged'),
      inProgress: d('date_in_progress'),
      fixCommitted: d('date_fix_committed'),
      fixReleased: d('date_fix_released'),
      closed: d('date_closed'),
      leftNew: d('date_left_new'),
      incomplete: d('date_incomplete'),
      leftClosed: d('date_left_closed'),
      deferred: d('date_deferred'),
    },
  };
}

/** A task's title is `Bug #N in Project: "title"`; keep the bug's title part. */
function taskTitle(t: string): string {
  const m = /^Bug #\d+ in [^:]*: "(.*)"$/s.exec(t);
  return m ? m[1]! : t;
}

function parseBug(e: Obj, ctx: ParseContext, field: string): Bug {
  const id = e.id;
  if (typeof id !== 'number' || !Number.isInteger(id) || id <= 0) fail(ctx, `${field}.id`, `expected a bug number, got ${kindOf(id)}`);
  const dup = e.duplicate_of_link == null ? null : bugNumberOf(e.duplicate_of_link, ctx, `${field}.duplicate_of_link`);
  if (dup === id)
    fail(
      ctx,
      `${field}.duplicate_of_link`,
      `bug ${id} is marked a duplicate of itself`,
      'Launchpad never sends this; the page was edited or damaged.',
    );
  const tags = e.tags ?? [];
  if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string' || /\s/.test(t)))
    fail(ctx, `${field}.tags`, `expected a list of tags (words without spaces), got ${kindOf(tags)}`);
  const count = (k: string): number => {
    const v = e[k] ?? 0;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) fail(ctx, `${field}.${k}`, `expected a whole number, got ${kindOf(v)}`);
    return v;
  };
  return {
    id,
    title: str(e, 'title', ctx, field),
    tags: [...(tags as string[])].sort(),
    informationType: oneOf<InformationType>(e, 'information_type', INFO_SET, ctx, field),
    duplicateOf: dup,
    heat: count('heat'),
    messageCount: count('message_count'),
    owner: personOf(e.owner_link, ctx, `${field}.owner_link`),
    createdAt: dateOf(e.date_created, ctx, `${field}.date_created`, true)!,
    lastUpdatedAt: dateOf(e.date_last_updated, ctx, `${field}.date_last_updated`, true)!,
    lastMessageAt: dateOf(e.date_last_message, ctx, `${field}.date_last_message`),
  };
}

/**
 * The names of the series in a page of a project's series (`{root}/{project}/series`: entries of
 * kind `project_series`, each with its `name`).
 *
 * @example parseSeriesNames(page.entries, { where: url, code: 'SOURCE_BAD_RESPONSE' }) // ['2023.1', '2023.2']
 */
export function parseSeriesNames(entries: readonly unknown[], ctx: ParseContext): string[] {
  return entries.map((entry, i) => {
    const field = `entries[${i}]`;
    if (!isObj(entry)) fail(ctx, field, `expected an entry object, got ${kindOf(entry)}`);
    const kind = entryKind(entry);
    if (kind !== 'project_series')
      fail(
        ctx,
        `${field}.resource_type_link`,
        `expected a project_series entry, got ${kind === null ? 'no resource_type_link' : JSON.stringify(kind)}`,
      );
    return str(entry, 'name', ctx, field);
  });
}

/**
 * The project and series a saved page of a series' blueprints names in its own links
 * (`next_collection_link`, `prev_collection_link`, `total_size_link`: `{root}/{project}/{series}/all_specifications?…`),
 * or null when it names none (a list of one page saved as it came carries no link). Links that
 * name two different series are refused.
 *
 * @example seriesOfSpecificationsPage(json, ctx) // { project: 'nova', series: 'zed' }
 */
export function seriesOfSpecificationsPage(json: unknown, ctx: ParseContext): { project: string; series: string } | null {
  if (!isObj(json)) return null;
  let found: { project: string; series: string; field: string } | null = null;
  for (const field of ['next_collection_link', 'prev_collection_link', 'total_size_link']) {
    const link = json[field];
    if (typeof link !== 'string') continue;
    const parts = apiPath(link);
    if (parts.length !== 3 || parts[2] !== 'all_specifications') continue;
    const named = { project: decodeURIComponent(parts[0]!), series: decodeURIComponent(parts[1]!), field };
    if (found && (found.project !== named.project || found.series !== named.series))
      fail(
        ctx,
        field,
        `the page's links name two series: ${found.project}/${found.series} (${found.field}) and ${named.project}/${named.series}`,
      );
    found = named;
  }
  return found && { project: found.project, series: found.series };
}

function parseBlueprint(e: Obj, ctx: ParseContext, field: string): Blueprint {
  const selfLink = e.self_link as string;
  const parts = apiPath(selfLink);
  const at = parts.indexOf('+spec');
  if (at < 1) fail(ctx, `${field}.self_link`, `expected a blueprint link like …/devel/nova/+spec/name, got ${JSON.stringify(selfLink)}`);
  let seriesGoal: string | null = null;
  if (e.goal_link != null) {
    if (typeof e.goal_link !== 'string') fail(ctx, `${field}.goal_link`, `expected a series link, got ${kindOf(e.goal_link)}`);
    const g = apiPath(e.goal_link);
    seriesGoal = g.length >= 2 ? decodeURIComponent(g[g.length - 1]!) : null;
  }
  // "Series goal is accepted": the drivers accepted the goal (false: proposed, declined or none).
  const accepted = e.has_accepted_goal;
  if (accepted != null && typeof accepted !== 'boolean')
    fail(ctx, `${field}.has_accepted_goal`, `expected true or false, got ${kindOf(accepted)}`);
  return {
    selfLink,
    project: decodeURIComponent(parts[0]!),
    name: str(e, 'name', ctx, field),
    title: str(e, 'title', ctx, field),
    definitionStatus: str(e, 'definition_status', ctx, field),
    implementationStatus: str(e, 'implementation_status', ctx, field),
    lifecycleStatus: str(e, 'lifecycle_status', ctx, field),
    priority: str(e, 'priority', ctx, field),
    seriesGoal,
    seriesGoalAccepted: typeof accepted === 'boolean' ? accepted : null,
    milestone: milestoneOf(e.milestone_link, ctx, `${field}.milestone_link`),
    assignee: personOf(e.assignee_link, ctx, `${field}.assignee_link`),
    createdAt: dateOf(e.date_created, ctx, `${field}.date_created`, true)!,
    startedAt: dateOf(e.date_started, ctx, `${field}.date_started`),
    completedAt: dateOf(e.date_completed, ctx, `${field}.date_completed`),
  };
}

function kindOf(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'object') return `an object with keys ${keysOf(v as Obj)}`;
  const s = JSON.stringify(v);
  return `${typeof v} ${s.length > 60 ? `${s.slice(0, 60)}…` : s}`;
}

function keysOf(o: Obj): string {
  return Object.keys(o).slice(0, 5).join(', ') || '(none)';
}
