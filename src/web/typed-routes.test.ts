/**
 * The type provider and the catalogue line up: for every report, the query the API's and the pages'
 * schemas let through — typed by the provider from the very schema Fastify checks — is, once
 * `fromWeb` has written its numbers as text, the report's input (`InputOf`), with the same names.
 * These are compile-time checks (tsc fails on a mismatch); the runtime part checks the schemas
 * the pages register carry each page's parameters and the sort.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { InputOf, ParamDefs, QuerystringOf, WebNames } from '../service/catalogue/param-schema.js';
import type { REPORTS } from '../service/catalogue/report-catalogue.js';
import type { ReportEntry } from '../service/catalogue/report-entry.js';
import { PAGE_QUERIES, pageQuerySchema, type PageQuery, type PagePath } from './pages/page-queries.js';
import type { Validated } from './typed-routes.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;

/** fromWeb's one change: numbers (as Fastify coerced them) become the text the report parses. */
type AsInput<Q> = { [K in keyof Q]: Q[K] extends number | undefined ? string | undefined : Q[K] };

type DefsOf<E> = E extends ReportEntry<infer S, infer _P, infer _R> ? S : never;
/** true when the provider's type of the entry's querystring has the web's names and is the entry's input. */
type LinesUp<S extends ParamDefs> =
  Equal<keyof Validated<QuerystringOf<S>>, WebNames<S>> extends true
    ? AsInput<Validated<QuerystringOf<S>>> extends Pick<InputOf<S>, WebNames<S>>
      ? true
      : false
    : false;

type EveryReport = { [N in keyof typeof REPORTS]: LinesUp<DefsOf<(typeof REPORTS)[N]>> };
export type CatalogueLinesUp = Assert<Equal<EveryReport[keyof EveryReport], true>>;

// A few fields by hand, so a provider that typed everything `unknown` (or `any`) could not pass unnoticed.
export type PageFields = [
  Assert<Equal<PageQuery['project'], string[] | undefined>>,
  Assert<Equal<PageQuery['days'], number | undefined>>,
  Assert<Equal<PageQuery['trivial'], boolean | undefined>>,
  Assert<Equal<PageQuery['dir'], 'asc' | 'desc' | undefined>>,
  Assert<Equal<PageQuery['release'], string | undefined>>,
];
type QueueQuery = Validated<QuerystringOf<DefsOf<typeof REPORTS.queue>>>;
export type QueueFields = [
  Assert<Equal<QueueQuery['compat'], 'reviewstats' | undefined>>,
  Assert<Equal<QueueQuery['waitingMore'], number | undefined>>,
  Assert<Equal<'limit' extends keyof Validated<QuerystringOf<DefsOf<typeof REPORTS.coreCandidates>>> ? true : false, false>>,
];

describe('typed routes', () => {
  it("each page's schema takes its report's parameters and the sort, nothing else", () => {
    for (const path of Object.keys(PAGE_QUERIES) as PagePath[]) {
      const schema = pageQuerySchema(path);
      assert.equal(schema.additionalProperties, false);
      assert.deepEqual(Object.keys(schema.properties).sort(), [...Object.keys(PAGE_QUERIES[path].properties), 'sort', 'dir'].sort());
    }
    assert.deepEqual(Object.keys(PAGE_QUERIES['/queue'].properties), ['project', 'days', 'since', 'until', 'now', 'trivial']);
  });
});
