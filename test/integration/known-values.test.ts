/**
 * A branch, pipeline, CI job or Launchpad series the store does not hold is refused like an unknown project (issue 19): the
 * command line exits with NOT_FOUND's code, the API answers 400 naming the parameter, and both list
 * the names the store holds. Checked once in the catalogue (defineReport), so every report that
 * takes a branch, a pipeline or a job does it; a name that exists still gives the report.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ERROR_CODES } from '../../src/model/errors.js';
import type { ParamDef } from '../../src/service/catalogue/param-schema.js';
import { CATALOGUE } from '../../src/service/catalogue/report-catalogue.js';
import { runSteward } from '../helpers/cli.js';
import { ENGINES } from '../helpers/stores.js';
import { WEB_NOW, demoStore, testApp, type DemoStore, type TestApp } from '../helpers/web.js';

/** Every report parameter that names branches, pipelines or CI jobs, with its command (if it has one) and API path. */
const CASES: Array<{ report: string; cli?: string[]; api: string; param: 'branch' | 'pipeline' | 'job' | 'series'; good: string }> = [
  { report: 'queue', cli: ['queue'], api: '/api/v1/queue', param: 'branch', good: 'master' },
  { report: 'waits', cli: ['waits'], api: '/api/v1/waits', param: 'branch', good: 'master' },
  { report: 'ciJobs', cli: ['ci', 'jobs'], api: '/api/v1/ci/jobs', param: 'pipeline', good: 'gate' },
  { report: 'ciJobs', cli: ['ci', 'jobs'], api: '/api/v1/ci/jobs', param: 'job', good: 'nova-live-migration' },
  { report: 'ciReadiness', cli: ['ci', 'voting-readiness'], api: '/api/v1/ci/voting-readiness', param: 'job', good: 'nova-live-migration' },
  { report: 'ciExperimental', cli: ['ci', 'experimental'], api: '/api/v1/ci/experimental', param: 'job', good: 'nova-emulation' },
  // The CI page's three reports together: the API only.
  { report: 'ci', api: '/api/v1/ci', param: 'job', good: 'nova-live-migration' },
  // A text parameter (one series, not a list): the demo's Launchpad side has blueprints for its last two series.
  { report: 'bugsBlueprints', cli: ['bugs', 'blueprints'], api: '/api/v1/bugs/blueprints', param: 'series', good: 'Larch' },
];
const IN_STORE_NAMES = ['branch', 'pipeline', 'job', 'series'];

describe('the cases cover every report parameter that names branches, pipelines or jobs', () => {
  it('lists them all', () => {
    const withNames = Object.entries(CATALOGUE)
      .flatMap(([k, e]) =>
        Object.entries(e.params.defs as Record<string, ParamDef>)
          .filter(([, d]) => d.inStore)
          .map(([name]) => `${k}.${name}`),
      )
      .sort();
    assert.deepEqual(withNames, CASES.map((c) => `${c.report}.${c.param}`).sort());
    for (const [k, e] of Object.entries(CATALOGUE))
      for (const [name, d] of Object.entries(e.params.defs as Record<string, ParamDef>))
        if (IN_STORE_NAMES.includes(name)) assert.ok(d.inStore, `${k}.${name} is checked against the store`);
  });
});

for (const engine of ENGINES) {
  describe(`unknown branches, pipelines and jobs (${engine.name})`, { skip: engine.skip }, () => {
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

    it('a date that does not exist is refused by the API too, naming the parameter (2026-02-30 is not moved to March)', async () => {
      for (const [url, param] of [
        ['/api/v1/reviewers?since=2026-02-30', 'since'],
        ['/api/v1/queue?now=2026-04-31', 'now'],
      ] as const) {
        const res = await t.app.inject({ method: 'GET', url });
        assert.equal(res.statusCode, 400, res.body);
        const body = JSON.parse(res.body) as { error: { message: string; parameter?: string } };
        assert.match(body.error.message, /must be a date that exists/);
        assert.equal(body.error.parameter, param);
      }
    });

    for (const c of CASES) {
      it(`${c.cli?.join(' ') ?? c.api} ${c.param} nope: NOT_FOUND naming those there are; the API's 400 names the parameter`, async () => {
        if (c.cli) {
          const r = await runSteward([...c.cli, `--${c.param}`, 'nope', '--db', demo.location], { cwd: demo.dir, now: WEB_NOW });
          assert.equal(r.code, ERROR_CODES.NOT_FOUND.exit, r.stderr);
          assert.match(r.stderr, new RegExp(`${c.param} "nope": no such ${c.param}`));
          assert.match(r.stderr, new RegExp(`in the store: [^\\n]*\\b${c.good}\\b`));
          assert.equal(r.stdout, '');
        }

        const res = await t.app.inject({ method: 'GET', url: `${c.api}?${c.param}=nope` });
        assert.equal(res.statusCode, 400, res.body);
        const body = JSON.parse(res.body) as { error: { code: string; message: string; parameter?: string; hint?: string } };
        assert.equal(body.error.code, 'NOT_FOUND');
        assert.match(body.error.message, new RegExp(`${c.param} "nope": no such ${c.param}`));
        assert.equal(body.error.parameter, c.param);
        assert.match(body.error.hint ?? '', new RegExp(`\\b${c.good}\\b`));
        const good = await t.app.inject({ method: 'GET', url: `${c.api}?${c.param}=${c.good}` });
        assert.equal(good.statusCode, 200, good.body.slice(0, 300));

        if (c.cli) {
          const ok = await runSteward([...c.cli, `--${c.param}`, c.good, '--db', demo.location, '--format', 'json'], {
            cwd: demo.dir,
            now: WEB_NOW,
          });
          assert.equal(ok.code, 0, ok.stderr);
          const both = await runSteward([...c.cli, `--${c.param}`, c.good, `--${c.param}`, 'nope', '--db', demo.location], {
            cwd: demo.dir,
            now: WEB_NOW,
          });
          assert.equal(both.code, ERROR_CODES.NOT_FOUND.exit, 'one unknown name among known ones is still refused');
        }
      });
    }

    it('a job the store holds but that has no run in the period is refused too, naming the parameter and the jobs that ran', async () => {
      const url = '/api/v1/ci/jobs?job=nova-live-migration&since=2020-01-01&until=2020-01-15';
      const res = await t.app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 400, res.body);
      const body = JSON.parse(res.body) as { error: { code: string; message: string; parameter?: string } };
      assert.equal(body.error.code, 'NOT_FOUND');
      assert.equal(body.error.parameter, 'job');
      assert.match(body.error.message, /job "nova-live-migration": no runs in the period/);
    });
  });
}
