/**
 * The JSON API (/api/v1/) on the demo project, in both engines: every endpoint returns exactly what
 * the CLI's `--format json` prints for the same parameters (one code path), and bad parameters get
 * a 400 whose JSON names the parameter. Called in-process with `app.inject`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runSteward } from '../helpers/cli.js';
import { ENGINES } from '../helpers/stores.js';
import { demoStore, testApp, WEB_NOW, type DemoStore, type TestApp } from '../helpers/web.js';

/** API path + query → the CLI arguments that print the same report. */
const SAME: Array<[string, string[]]> = [
  ['/api/v1/overview', ['overview']],
  ['/api/v1/overview?full=true', ['overview', '--full']],
  ['/api/v1/overview?days=30&project=demo/compute', ['overview', '--days', '30', '--project', 'demo/compute']],
  [
    '/api/v1/overview?since=2026-06-01&until=2026-09-01&now=2026-10-01',
    ['overview', '--since', '2026-06-01', '--until', '2026-09-01', '--now', '2026-10-01'],
  ],
  ['/api/v1/reviewers?days=30', ['reviewers', '--days', '30']],
  ['/api/v1/reviewers?days=180', ['reviewers', '--days', '180']],
  ['/api/v1/reviewers?compat=reviewstats&days=60', ['reviewers', '--compat', 'reviewstats', '--days', '60']],
  ['/api/v1/core/idle', ['core', 'idle']],
  ['/api/v1/core/idle?threshold=50&days=30', ['core', 'idle', '--threshold', '50', '--days', '30']],
  ['/api/v1/core/candidates', ['core', 'candidates']],
  ['/api/v1/core/load?days=60', ['core', 'load', '--days', '60']],
  ['/api/v1/core/mentoring?all=true', ['core', 'mentoring', '--all']],
  ['/api/v1/queue', ['queue']],
  ['/api/v1/queue?longest=10&branch=master', ['queue', '--longest', '10', '--branch', 'master']],
  ['/api/v1/queue?trivial=true', ['queue', '--trivial']],
  ['/api/v1/queue?compat=reviewstats&waitingMore=14', ['queue', '--compat', 'reviewstats', '--waiting-more', '14']],
  ['/api/v1/waits', ['waits']],
  ['/api/v1/waits?bandwidth=true&days=60', ['waits', '--bandwidth', '--days', '60']],
  ['/api/v1/dashboards', ['dashboard', '--list']],
  ['/api/v1/dashboards/review-inbox', ['dashboard', 'review-inbox']],
  ['/api/v1/ci/jobs', ['ci', 'jobs']],
  ['/api/v1/ci/jobs?pipeline=check&days=30', ['ci', 'jobs', '--pipeline', 'check', '--days', '30']],
  ['/api/v1/ci/voting-readiness', ['ci', 'voting-readiness']],
  ['/api/v1/ci/experimental', ['ci', 'experimental']],
  ['/api/v1/specs/report', ['specs', 'report']],
  ['/api/v1/specs/report?release=kestrel', ['specs', 'report', '--release', 'kestrel']],
  ['/api/v1/priorities?release=Kestrel', ['priorities', 'report', '--release', 'Kestrel']],
  ['/api/v1/priorities/list', ['priorities', 'list']],
  ['/api/v1/security/advisories', ['security', 'advisories']],
  ['/api/v1/security/advisories?product=compute&lateDays=60', ['security', 'advisories', '--product', 'compute', '--late-days', '60']],
  ['/api/v1/security/candidates?days=365', ['security', 'candidates', '--days', '365']],
  ['/api/v1/bugs/backlog', ['bugs', 'backlog']],
  ['/api/v1/bugs/backlog?weeks=8&project=demo-compute', ['bugs', 'backlog', '--weeks', '8', '--project', 'demo-compute']],
  ['/api/v1/bugs/rota', ['bugs', 'rota']],
  ['/api/v1/bugs/targets?limit=5', ['bugs', 'targets', '--limit', '5']],
  ['/api/v1/bugs/blueprints', ['bugs', 'blueprints']],
  ['/api/v1/bugs/blueprints?series=Larch', ['bugs', 'blueprints', '--series', 'Larch']],
];

/** Bad requests: the status, and what the message must say (and the parameter it names, when one). */
const BAD: Array<[string, number, RegExp, string | undefined]> = [
  ['/api/v1/overview?project=no/such', 400, /no changes of project "no\/such"/, 'project'],
  ['/api/v1/reviewers?since=2026-05-01&until=2026-04-01', 400, /window is empty or inverted/, 'since'],
  ['/api/v1/reviewers?days=10000', 400, /days must be <= 7300/, 'days'],
  ['/api/v1/overview?since=1990-01-01', 400, /longer than 7300 days/, 'since'],
  ['/api/v1/waits?since=yesterday', 400, /since must be a date like 2015-04-10/, 'since'],
  ['/api/v1/queue?now=2026-13-45', 400, /now must be a date/, 'now'],
  ['/api/v1/reviewers?days=0', 400, /days must be >= 1/, 'days'],
  ['/api/v1/reviewers?days=abc', 400, /days must be integer/, 'days'],
  ['/api/v1/reviewers?compat=gerrit', 400, /compat must be equal to one of the allowed values: reviewstats/, 'compat'],
  ['/api/v1/reviewers?compat=reviewstats&since=2026-01-01', 400, /give days/, undefined],
  ['/api/v1/queue?trivial=true&compat=reviewstats', 400, /either compat=reviewstats or trivial/, undefined],
  ['/api/v1/queue?days=30', 400, /days is used only with trivial/, undefined],
  ['/api/v1/days?x=1', 404, /no such page/, undefined],
  ['/api/v1/dashboards/no-such-dashboard', 400, /no dashboard named "no-such-dashboard"/, undefined],
  ['/api/v1/ci/jobs?job=no-such-job', 400, /job "no-such-job": no such job/, 'job'],
  ['/api/v1/core/history', 409, /no project has a core group/, undefined],
  ['/api/v1/priorities', 400, /release is required/, 'release'],
  ['/api/v1/priorities?release=nope', 400, /no release "nope"/, 'release'],
  ['/api/v1/specs/report?release=nope', 400, /"nope" is not in the release calendar/, 'release'],
  ['/api/v1/security/advisories?earlyDays=0', 400, /earlyDays must be >= 1/, 'earlyDays'],
];

for (const engine of ENGINES) {
  describe(`web API (${engine.name})`, { skip: engine.skip }, () => {
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

    it('every endpoint returns what --format json prints for the same parameters', async () => {
      for (const [url, args] of SAME) {
        const res = await t.app.inject({ method: 'GET', url });
        assert.equal(res.statusCode, 200, `${url}: ${res.body.slice(0, 300)}`);
        assert.match(String(res.headers['content-type']), /^application\/json/);
        const cli = await runSteward([...args, '--db', demo.location, '--format', 'json'], { cwd: demo.dir, now: WEB_NOW });
        assert.equal(cli.code, 0, `${args.join(' ')}: ${cli.stderr}`);
        assert.deepEqual(JSON.parse(res.body), JSON.parse(cli.stdout), `${url} differs from steward ${args.join(' ')}`);
      }
    });

    it('/api/v1/ci holds the three CI reports, each as its command prints it', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/ci?days=60' });
      assert.equal(res.statusCode, 200, res.body.slice(0, 300));
      const body = JSON.parse(res.body);
      for (const [key, args] of [
        ['jobs', ['ci', 'jobs']],
        ['votingReadiness', ['ci', 'voting-readiness']],
        ['experimental', ['ci', 'experimental']],
      ] as const) {
        const cli = await runSteward([...args, '--days', '60', '--db', demo.location, '--format', 'json'], { cwd: demo.dir, now: WEB_NOW });
        assert.equal(cli.code, 0, cli.stderr);
        // Each part is the report's own fields; the envelope's name and version lead /api/v1/ci once.
        const { report: _report, schemaVersion: _version, ...own } = JSON.parse(cli.stdout) as Record<string, unknown>;
        assert.deepEqual(body[key], own, key);
      }
    });

    it('bad parameters get a 400 with a clear message naming the parameter', async () => {
      for (const [url, status, message, parameter] of BAD) {
        const res = await t.app.inject({ method: 'GET', url });
        assert.equal(res.statusCode, status, `${url}: ${res.body}`);
        const body = JSON.parse(res.body) as { error: { code: string; message: string; parameter?: string } };
        assert.match(body.error.message, message, url);
        if (parameter) assert.equal(body.error.parameter, parameter, url);
        assert.doesNotMatch(res.body, /at .*\.ts:\d+/, 'no stack traces');
      }
    });

    it('the same bad parameters the CLI refuses, it refuses too', async () => {
      const cli = await runSteward(['overview', '--project', 'no/such', '--db', demo.location], { cwd: demo.dir, now: WEB_NOW });
      assert.notEqual(cli.code, 0);
      assert.match(cli.stderr, /no changes of project "no\/such"/);
    });

    it('every response carries the security headers: a strict CSP with no inline script or style', async () => {
      for (const url of ['/api/v1/overview', '/', '/reviewers?days=30', '/assets/app.js', '/nope']) {
        const res = await t.app.inject({ method: 'GET', url });
        const csp = String(res.headers['content-security-policy']);
        assert.match(csp, /default-src 'none'/, url);
        assert.match(csp, /script-src 'self'(;|$)/, url);
        assert.match(csp, /style-src 'self'(;|$)/, url);
        assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, url);
        assert.equal(res.headers['x-content-type-options'], 'nosniff');
        assert.equal(res.headers['x-frame-options'], 'DENY');
        assert.match(String(res.headers['referrer-policy']), /no-referrer/);
      }
    });

    it('the overview page links to its slow sections and shows them with full=true', async () => {
      const quick = await t.app.inject({ method: 'GET', url: '/' });
      assert.equal(quick.statusCode, 200);
      assert.doesNotMatch(quick.body, /id="ci-health"/);
      assert.match(quick.body, /href="\/\?full=true"/);
      const full = await t.app.inject({ method: 'GET', url: '/?full=true' });
      assert.equal(full.statusCode, 200);
      assert.match(full.body, /id="ci-health"/);
      assert.match(full.body, /id="top-reviewers"/);
    });

    it('status says what the store holds and that the server does not sync', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/status' });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(JSON.parse(res.body), { store: { engine: engine.name, empty: false, projects: ['demo/compute'] }, sync: null });
    });
  });
}

describe('web API on an empty store', () => {
  let demo: { location: string; dir: string; cleanup: () => Promise<void> };
  let t: TestApp;
  before(async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'steward-web-empty-'));
    demo = { location: join(dir, 'steward.db'), dir, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
    t = await testApp(demo.location, demo.dir);
  });
  after(async () => {
    await t?.close();
    await demo?.cleanup();
  });

  it('pages say how to fill the store instead of failing', async () => {
    for (const url of ['/', '/reviewers', '/core', '/queue', '/waits', '/ci', '/dashboards', '/security/advisories']) {
      const res = await t.app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 200, url);
      assert.match(res.body, /The store is empty/, url);
      assert.match(res.body, /steward demo/, url);
      assert.match(res.body, /steward sync/, url);
    }
  });

  it('on an empty store the CLI says so (STORE_EMPTY), and the API status says the store is empty', async () => {
    // The command line refuses a report on a store without changes (issue 19: "a report on an empty
    // store says so"); so do the API's reports (409), and the pages show their "store is empty" page.
    const cli = await runSteward(['overview', '--db', demo.location, '--format', 'json'], { cwd: demo.dir, now: WEB_NOW });
    assert.equal(cli.code, 20, cli.stderr);
    assert.match(cli.stderr, /the store holds no changes/);
    const status = await t.app.inject({ method: 'GET', url: '/api/v1/status' });
    assert.equal(JSON.parse(status.body).store.empty, true);
    // The API's reports say so too, rather than answering with zeros.
    for (const url of ['/api/v1/overview', '/api/v1/reviewers', '/api/v1/ci/jobs', '/api/v1/specs/report', '/api/v1/bugs/backlog']) {
      const res = await t.app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 409, url);
      const { error } = JSON.parse(res.body) as { error: { code: string; message: string; hint?: string } };
      assert.equal(error.code, 'STORE_EMPTY', url);
      assert.match(error.message, /^the store holds no /, url);
      assert.match(error.hint ?? '', /steward /, url);
      assert.doesNotMatch(res.body, new RegExp(demo.dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), `${url}: no file path in the answer`);
    }
  });
});
