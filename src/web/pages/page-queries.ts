/**
 * Each page's query string: the parameters of its form, taken from the catalogue entry the page
 * shows, and the sort order of its tables. These schemas are what Fastify checks, and — through the
 * type provider — what a page's handler gets as `PageContext['query']`: one definition, no
 * hand-written query type.
 */
import { REPORTS } from '../../service/catalogue/report-catalogue.js';
import type { Validated } from '../typed-routes.js';

const WINDOW = ['project', 'days', 'since', 'until', 'now'] as const;

/** Every page's parameters, by path. */
export const PAGE_QUERIES = {
  '/': REPORTS.overview.params.querystring([...WINDOW, 'full']),
  '/reviewers': REPORTS.reviewers.params.querystring(WINDOW),
  '/core': REPORTS.coreLoad.params.querystring(WINDOW),
  '/queue': REPORTS.queue.params.querystring([...WINDOW, 'trivial']),
  '/dashboards': REPORTS.dashboard.params.querystring(['project', 'now']),
  '/dashboards/:name': REPORTS.dashboard.params.querystring(['project', 'now', 'as', 'page', 'perPage']),
  '/waits': REPORTS.waits.params.querystring([...WINDOW, 'branch']),
  '/ci': REPORTS.ci.params.querystring(WINDOW),
  '/specs': REPORTS.specs.params.querystring(['project', 'now', 'release']),
  '/priorities': REPORTS.priorities.params.querystring(['project', 'now', 'release']),
  '/security/advisories': REPORTS.securityAdvisories.params.querystring(['product', 'earlyDays', 'lateDays', 'now']),
  '/initiatives': REPORTS.initiativeStatus.params.querystring(['project', 'now']),
  '/initiatives/:name': REPORTS.initiativeStatus.params.querystring(['project', 'now']),
  '/history': REPORTS.history.params.querystring(['now', 'release', 'repo']),
  '/electorate': REPORTS.electorate.params.querystring(['release', 'project', 'now']),
  '/bugs': REPORTS.bugsBacklog.params.querystring(['project', 'weeks', 'now']),
  '/bugs/rota': REPORTS.bugsRota.params.querystring(['project', 'weeks', 'limit', 'now']),
  '/bugs/targets': REPORTS.bugsTargets.params.querystring(['project', 'limit', 'now']),
  '/bugs/blueprints': REPORTS.bugsBlueprints.params.querystring(['project', 'series']),
  '/people': REPORTS.people.params.querystring(['search', 'person', 'release', 'limit', 'bots', 'now']),
} as const;

export type PagePath = keyof typeof PAGE_QUERIES;

/** The sort order of a page's tables (any page). */
export const SORT_QUERY = {
  sort: { type: 'string', maxLength: 40, pattern: '^[A-Za-z0-9_.-]+$' },
  dir: { type: 'string', enum: ['asc', 'desc'] },
} as const;

/** A page's querystring schema: its report's parameters and the sort order. */
export function pageQuerySchema<P extends PagePath>(path: P) {
  const q: (typeof PAGE_QUERIES)[P] = PAGE_QUERIES[path];
  return { type: 'object', additionalProperties: false, properties: { ...q.properties, ...SORT_QUERY } } as const;
}

/** Each member of a union of schemas, validated. */
type EachValidated<U> = U extends unknown ? Validated<U> : never;
/** The members of a union as one object type (all of a page query's fields are optional, so any page's query is one). */
type Merged<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** A page's query once its schema checked it: the parameters any page takes (each page's schema takes its own) and the sort. */
export type PageQuery = Merged<EachValidated<(typeof PAGE_QUERIES)[PagePath]>> &
  Validated<{ readonly type: 'object'; readonly additionalProperties: false; readonly properties: typeof SORT_QUERY }>;
