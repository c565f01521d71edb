/**
 * The one JSON contract (docs/json-contract.md): every catalogue report has a JSON Schema in
 * docs/schemas/ generated from its result type (and current), served under /api/v1/schemas/, and
 * every report's JSON — each variant, on the demo store, in both engines — opens with the same
 * envelope and validates against its schema.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPORTS } from '../../src/service/catalogue/report-catalogue.js';
import { SCHEMA_VERSION } from '../../src/service/catalogue/envelope.js';
import { API_REPORTS } from '../../src/web/reports.js';
import { assertMatchesSchema, HOW_TO_GENERATE, SCHEMA_DIR, schemaValidator } from '../helpers/report-schema.js';
import { ENGINES } from '../helpers/stores.js';
import { demoStore, testApp, type DemoStore, type TestApp } from '../helpers/web.js';

const ROOT = join(import.meta.dirname, '..', '..');
const ENVELOPE = ['report', 'schemaVersion', 'projects', 'period', 'now', 'sources'];

/** Requests that give every report, each variant of it, on the demo store (path and query under /api/v1). */
const REQUESTS: string[] = [
  '/overview',
  '/overview?days=30&project=demo/compute',
  '/reviewers?days=30',
  '/reviewers?compat=reviewstats&days=60',
  '/core/idle',
  '/core/candidates',
  '/core/load?days=60',
  '/core/mentoring?all=true',
  '/queue',
  '/queue?trivial=true',
  '/queue?compat=reviewstats',
  '/waits',
  '/waits?bandwidth=true&days=60',
  '/dashboards',
  '/dashboards/review-inbox',
  '/ci/jobs',
  '/ci/voting-readiness',
  '/ci/experimental',
  '/ci?days=60',
  '/specs/report',
  '/specs/report?release=kestrel',
  '/priorities?release=Kestrel',
  '/priorities/list',
  '/security/advisories',
  '/security/candidates?days=365',
  '/initiatives',
  '/bugs/backlog',
  '/bugs/rota',
  '/bugs/targets',
  '/bugs/blueprints',
  '/core/companies',
  '/people/companies',
  '/electorate?release=Kestrel',
  '/people',
];
/** Reports the demo store cannot give, and why (each is validated by its own test instead). */
const NOT_ON_DEMO: Record<string, string> = {
  coreHistory: 'the demo configures no core group (projects[].core.group): sync.test.ts ("core group") validates it',
  history: "the demo has no code history (steward git sync): history-nova.test.ts validates it on nova's real history",
  initiativeStatus: "the web demo store (800 changes) is too short for the demo's initiative: initiatives.test.ts validates it",
};

function entryOf(url: string): string {
  const path = url.split('?')[0]!;
  for (const [p, entry] of API_REPORTS) {
    const re = new RegExp(`^${p.replace(/:[a-z]+/g, '[^/]+')}$`);
    if (re.test(path)) return entry.name;
  }
  throw new Error(`${url} is no report's path`);
}

describe('report schemas', () => {
  it('every catalogue report has its schema, and the checked-in schemas are the types of today', async () => {
    for (const name of Object.keys(REPORTS)) schemaValidator(name);
    const { staleSchemas } = (await import(join(ROOT, 'scripts', 'generate-schemas.mjs'))) as { staleSchemas: () => Promise<string[]> };
    assert.deepEqual(await staleSchemas(), [], `docs/schemas/ differs from the result types: ${HOW_TO_GENERATE}`);
  });

  it('every report the API serves is covered by a request here (or says why not)', () => {
    const covered = new Set(REQUESTS.map(entryOf));
    for (const [, entry] of API_REPORTS)
      assert.ok(covered.has(entry.name) || NOT_ON_DEMO[entry.name], `no request gives report "${entry.name}": add one to REQUESTS`);
  });
});

for (const engine of ENGINES) {
  describe(`report JSON against its schema (${engine.name})`, { skip: engine.skip }, () => {
    let demo: DemoStore;
    let t: TestApp;
    before(async () => {
      demo = await demoStore(engine.name);
      t = await testApp(demo.location, demo.dir);
    });
    after(async () => {
      await t?.close();
      await demo?.cleanup();
    });

    it('every report opens with the one envelope and validates against its schema', async () => {
      for (const url of REQUESTS) {
        const res = await t.app.inject({ method: 'GET', url: `/api/v1${url}` });
        assert.equal(res.statusCode, 200, `${url}: ${res.body.slice(0, 300)}`);
        const body = JSON.parse(res.body) as Record<string, unknown>;
        const report = entryOf(url);
        assert.deepEqual(Object.keys(body).slice(0, ENVELOPE.length), ENVELOPE, `${url}: the envelope comes first, in order`);
        assert.equal(body.report, report, url);
        assert.equal(body.schemaVersion, SCHEMA_VERSION, url);
        assert.ok(Array.isArray(body.projects) && body.projects.length > 0, `${url}: names its projects`);
        assertMatchesSchema(report, body, url);
      }
    });

    it('the schemas are served under /api/v1/schemas/', async () => {
      const list = await t.app.inject({ method: 'GET', url: '/api/v1/schemas/' });
      assert.equal(list.statusCode, 200);
      assert.deepEqual(
        (JSON.parse(list.body) as { schemas: Array<{ report: string }> }).schemas.map((s) => s.report),
        Object.keys(REPORTS),
      );
      const one = await t.app.inject({ method: 'GET', url: '/api/v1/schemas/coreIdle.json' });
      assert.equal(one.statusCode, 200);
      assert.equal(one.body, readFileSync(join(SCHEMA_DIR, 'coreIdle.json'), 'utf8'));
      const none = await t.app.inject({ method: 'GET', url: '/api/v1/schemas/nope.json' });
      assert.notEqual(none.statusCode, 200);
      assert.match((JSON.parse(none.body) as { error: { message: string } }).error.message, /no report named "nope"/);
    });
  });
}
