/**
 * `steward ci sync` against a fake Zuul on loopback: the client's paging, filters and faults, then
 * the sync on both engines — incremental, resumable after a failure, exclusive — and the builds of
 * both sources counted once.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { syncZuulProject, zuulStateKey, type ZuulSyncTarget } from '../../src/ingest/zuul-sync.js';
import { StewardError, type ErrorCode } from '../../src/model/errors.js';
import { ZuulClient, type ZuulClientOptions } from '../../src/sources/zuul/zuul-client.js';
import { AccountResolver } from '../../src/store/account-resolver.js';
import { writeChanges } from '../../src/store/change-writer.js';
import type { Store } from '../../src/store/engine.js';
import { openStore } from '../../src/store/open-store.js';
import { makeBuild, makeChange, makeMessage, T0 } from '../helpers/builders.js';
import { runSteward } from '../helpers/cli.js';
import { FakeZuul, fakeBuild } from '../helpers/fake-zuul.js';
import { dumpStore } from '../../src/store/dump.js';
import { ENGINES, freshLocation, withStore } from '../helpers/stores.js';

const MIN = 60_000;

function client(url: string, over: Partial<ZuulClientOptions> = {}) {
  const sleeps: number[] = [];
  const c = new ZuulClient({ baseUrl: url, tenant: 'openstack', random: () => 0.5, sleep: async (ms) => void sleeps.push(ms), ...over });
  return { client: c, sleeps };
}

async function rejection(p: Promise<unknown>, code: ErrorCode): Promise<StewardError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof StewardError, `expected a StewardError, got ${inspect(e)}`);
    assert.equal(e.code, code, e.describe());
    return e;
  }
  assert.fail(`expected ${code}`);
}

async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Builds 1..n of change 880001 (newer ids start later), all finished. */
const builds = (n: number, from = 1) => Array.from({ length: n }, (_, i) => fakeBuild({ id: from + i }));

describe('ZuulClient against a fake Zuul', () => {
  let zuul: FakeZuul;
  let url: string;
  before(async () => {
    zuul = new FakeZuul();
    url = await zuul.start();
  });
  after(() => zuul.stop());
  beforeEach(() => {
    zuul.builds = builds(7);
    zuul.faults = [];
    zuul.log = [];
    zuul.tenants = ['openstack'];
  });

  it('pages with limit and skip, newest first, until a short page; passes the filters', async () => {
    const { client: c } = client(url);
    const pages = [];
    for await (const p of c.builds({ project: 'openstack/nova', jobName: 'tox-py3' }, { pageSize: 3 })) pages.push(p);
    assert.deepEqual(
      pages.map((p) => [p.skip, p.builds.map((b) => (b as { _id: number })._id), p.more]),
      [
        [0, [7, 6, 5], true],
        [3, [4, 3, 2], true],
        [6, [1], false],
      ],
    );
    const q = new URL(zuul.log[0]!.path, url);
    assert.equal(q.pathname, '/api/tenant/openstack/builds');
    assert.deepEqual(Object.fromEntries(q.searchParams), { project: 'openstack/nova', job_name: 'tox-py3', limit: '3', skip: '0' });
  });

  it('retries 503 and a connection dropped mid-body, honouring Retry-After', async () => {
    zuul.faults.push({ status: 503, retryAfter: 2 }, { dropMidBody: true });
    const { client: c, sleeps } = client(url);
    const page = await c.http.getJson<unknown[]>(c.buildsPath, { project: 'openstack/nova', limit: 10 });
    assert.equal(page.length, 7);
    assert.equal(sleeps[0], 2000);
    assert.equal(c.stats.retries, 2);
  });

  it('an unknown tenant is SOURCE_NOT_FOUND naming the URL and where to look', async () => {
    const { client: c } = client(url, { tenant: 'nope' });
    const e = await rejection(c.builds({ project: 'openstack/nova' }, { pageSize: 5 }).next(), 'SOURCE_NOT_FOUND');
    assert.match(
      e.message,
      /Zuul at http:\/\/127\.0\.0\.1:\d+ does not know what was asked for \(HTTP 404 Not Found\): .*Tenant nope does not exist/,
    );
    assert.match(e.details.where!, /\/api\/tenant\/nope\/builds\?project=openstack\/nova&limit=5&skip=0$/);
    assert.match(e.details.hint!, /zuul\.tenant .*\/api\/tenants lists the tenants/);
    assert.equal(e.exitCode, 14);
  });

  it('an HTML page is SOURCE_BAD_RESPONSE; JSON that is not a list of builds too', async () => {
    zuul.faults.push({ html: true });
    const { client: c } = client(url);
    const e = await rejection(c.builds({ project: 'openstack/nova' }, { pageSize: 5 }).next(), 'SOURCE_BAD_RESPONSE');
    assert.match(e.message, /expected JSON from Zuul .*received text\/html/);
    const objectFetch: typeof fetch = async () =>
      new Response('{"message":"maintenance"}', { status: 200, headers: { 'content-type': 'application/json' } });
    const { client: c2 } = client('https://zuul.example.org', { fetch: objectFetch });
    const e2 = await rejection(c2.builds({ project: 'openstack/nova' }, { pageSize: 5 }).next(), 'SOURCE_BAD_RESPONSE');
    assert.match(e2.message, /expected a JSON array of builds from Zuul, received an object with keys message/);
    assert.equal(e2.details.where, 'https://zuul.example.org/api/tenant/openstack/builds?project=openstack/nova&limit=5&skip=0');
  });

  it('truncated JSON is retried, then reported when it keeps happening', async () => {
    zuul.faults.push({ truncate: true });
    const { client: c } = client(url);
    assert.equal((await c.http.getJson<unknown[]>(c.buildsPath, { limit: 50 })).length, 7);
    zuul.faults.push({ truncate: true }, { truncate: true }, { truncate: true });
    const { client: c2 } = client(url, { maxRetriesPerRequest: 2 });
    const e = await rejection(c2.http.getJson(c2.buildsPath, { limit: 50 }), 'SOURCE_BAD_RESPONSE');
    assert.match(e.message, /kept sending JSON that does not parse after 3 attempts/);
  });

  it('a port nobody listens on is SOURCE_UNREACHABLE at once; endless 500s are SOURCE_RETRIES_EXHAUSTED', async () => {
    const { client: c } = client(`http://127.0.0.1:${await closedPort()}`);
    const e = await rejection(c.http.getJson('/api/tenants'), 'SOURCE_UNREACHABLE');
    assert.match(e.message, /cannot reach Zuul at http:\/\/127\.0\.0\.1:\d+: connection refused \(ECONNREFUSED\)/);
    assert.equal(c.stats.retries, 0);
    for (let i = 0; i < 5; i++) zuul.faults.push({ status: 500 });
    const { client: c2, sleeps } = client(url, { maxRetriesPerRequest: 3 });
    const e2 = await rejection(c2.http.getJson(c2.buildsPath), 'SOURCE_RETRIES_EXHAUSTED');
    assert.match(e2.message, /kept failing after 4 attempts \(3 retries; 3 in this run\): last failure HTTP 500/);
    assert.deepEqual(sleeps, [250, 500, 1000], 'exponential backoff with (fixed) jitter');
  });
});

for (const engine of ENGINES) {
  describe(`steward ci sync on ${engine.name}`, { skip: engine.skip }, () => {
    let zuul: FakeZuul;
    let url: string;
    let target: ZuulSyncTarget;
    before(async () => {
      zuul = new FakeZuul();
      url = await zuul.start();
      target = { url, tenant: 'openstack', host: 'review.example.org', project: 'openstack/nova' };
    });
    after(() => zuul.stop());
    beforeEach(() => {
      zuul.faults = [];
      zuul.log = [];
    });

    const countRows = async (store: Store) =>
      Number(
        (
          await store.db
            .selectFrom('zuul_builds')
            .select((e) => e.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const now = () => Date.UTC(2026, 9, 20);

    it('stores finished builds, skips running and retried ones, and next time fetches only what is new', async () => {
      zuul.builds = [
        ...builds(12),
        fakeBuild({ id: 13, result: null, end_time: null }),
        fakeBuild({ id: 14, final: false, result: 'RETRY' }),
        fakeBuild({ id: 15, project: 'openstack/cinder' }),
      ];
      await withStore(engine.name, async (store) => {
        const r1 = await syncZuulProject(store, target, { client: client(url).client, clock: now, pageSize: 5 });
        assert.deepEqual(
          { fetched: r1.buildsFetched, running: r1.running, retried: r1.retried, pages: r1.pages, new: r1.counts.new },
          { fetched: 12, running: 1, retried: 1, pages: 3, new: 12 },
        );
        assert.equal(r1.after, null, 'the first run walks every build');
        assert.equal(
          r1.checkpoint,
          new Date(zuul.builds[13]!.start_time!).toISOString(),
          'the newest start seen, running and retried builds included',
        );
        assert.equal(await countRows(store), 12);
        const row = await store.db.selectFrom('zuul_builds').selectAll().where('uuid', '=', zuul.builds[0]!.uuid).executeTakeFirstOrThrow();
        assert.deepEqual(
          {
            host: row.host,
            change: row.change_number,
            ps: row.patch_set,
            job: row.job,
            voting: row.voting,
            start: row.start_time,
            end: row.end_time,
            dur: row.duration_s,
            bs: row.buildset_uuid,
          },
          {
            host: 'review.example.org',
            change: 880001,
            ps: 1,
            job: 'tox-py3',
            voting: 1,
            start: zuul.builds[0]!.start_time,
            end: zuul.builds[0]!.end_time,
            dur: 1200,
            bs: 'bs1',
          },
        );

        // The running build finishes, two new ones arrive; builds far older than the checkpoint are not asked for again.
        zuul.builds[12] = { ...zuul.builds[12]!, result: 'FAILURE', end_time: zuul.builds[12]!.start_time! + 30 * MIN };
        zuul.builds.push(fakeBuild({ id: 16 }), fakeBuild({ id: 17, job_name: 'tox-pep8' }));
        zuul.log = [];
        const r2 = await syncZuulProject(store, target, { client: client(url).client, clock: now, pageSize: 5 });
        assert.deepEqual({ new: r2.counts.new, pages: r2.pages, requests: zuul.buildRequests.length }, { new: 3, pages: 2, requests: 2 });
        assert.ok(
          r2.after !== null && Date.parse(r2.after) === Date.parse(r1.checkpoint!) - 6 * 3_600_000,
          'starts 6 h before the checkpoint',
        );
        assert.equal(await countRows(store), 15);
        const again = await syncZuulProject(store, target, { client: client(url).client, clock: now, pageSize: 5 });
        assert.deepEqual({ new: again.counts.new, updated: again.counts.updated }, { new: 0, updated: 0 });
      });
    });

    it('a Zuul that suddenly lists no builds erases none: builds are only ever added or updated', async () => {
      zuul.builds = builds(6);
      await withStore(engine.name, async (store) => {
        await syncZuulProject(store, target, { client: client(url).client, clock: now, pageSize: 5 });
        const before = await dumpStore(store);
        assert.equal(await countRows(store), 6);
        zuul.builds = [];
        const incremental = await syncZuulProject(store, target, { client: client(url).client, clock: now, pageSize: 5 });
        const full = await syncZuulProject(store, target, { client: client(url).client, clock: now, pageSize: 5, full: true });
        assert.deepEqual([incremental.buildsFetched, full.buildsFetched], [0, 0]);
        assert.deepEqual((await dumpStore(store)).zuul_builds, before.zuul_builds);
      });
    });

    it('a sync stopped by a failure resumes where it stopped and ends with the same store', async () => {
      zuul.builds = builds(11);
      await withStore(engine.name, async (store) => {
        // Page 2 fails for good (no retries left): pages stored so far stay, the run is left in progress.
        zuul.faults.push({ status: 500, match: 'skip=4' });
        const e = await rejection(
          syncZuulProject(store, target, { client: client(url, { maxRetriesPerRequest: 0 }).client, clock: now, pageSize: 4 }),
          'SOURCE_RETRIES_EXHAUSTED',
        );
        assert.match(e.details.hint!, /run the same command again to resume/);
        assert.equal(await countRows(store), 4);
        const state = await store.db
          .selectFrom('sync_state')
          .selectAll()
          .where('host', '=', zuulStateKey(url, 'openstack'))
          .executeTakeFirstOrThrow();
        assert.deepEqual(
          { inProgress: state.run_in_progress, next: state.run_next_start, error: /HTTP 500/.test(state.last_error ?? '') },
          { inProgress: 1, next: 4, error: true },
        );

        zuul.log = [];
        const r = await syncZuulProject(store, target, { client: client(url).client, clock: now, pageSize: 4 });
        assert.equal(r.resumed, true);
        assert.deepEqual(
          zuul.buildRequests.map((q) => new URL(q.path, url).searchParams.get('skip')),
          ['4', '8'],
        );
        assert.equal(await countRows(store), 11);
        const uuids = (await store.db.selectFrom('zuul_builds').select('uuid').orderBy('uuid').execute()).map((x) => x.uuid);
        assert.deepEqual(uuids, zuul.builds.map((b) => b.uuid).sort());
      });
    });

    it('a second sync of the same project refuses with SYNC_BUSY; a dead holder is taken over', async () => {
      zuul.builds = builds(2);
      await withStore(engine.name, async (store) => {
        const lock = `${zuulStateKey(url, 'openstack')}:openstack/nova`;
        await store.db
          .insertInto('sync_locks')
          .values({ name: lock, owner: 'other', pid: process.pid, hostname: hostname(), acquired_at: now(), heartbeat_at: now() })
          .execute();
        const e = await rejection(syncZuulProject(store, target, { client: client(url).client, clock: now }), 'SYNC_BUSY');
        assert.equal(e.exitCode, 17);
        await store.db
          .updateTable('sync_locks')
          .set({ heartbeat_at: now() - 3_600_000 })
          .execute();
        const r = await syncZuulProject(store, target, { client: client(url).client, clock: now });
        assert.equal(r.counts.new, 2);
      });
    });

    it('builds from Zuul and from report messages are one run each in `ci jobs`', async () => {
      // Change 1 (review.example.org, demo/compute): Zuul reported tox-py3 twice on patch set 1 (a
      // failure, then a recheck that passed); Zuul's API knows both builds and one it never reported.
      const report1 = T0 + 2 * 3_600_000;
      const report2 = T0 + 6 * 3_600_000;
      const change = makeChange(1, {
        status: 'MERGED',
        submitted: T0 + 8 * 3_600_000,
        messages: [
          makeMessage(0, { text: 'Uploaded patch set 1.', kind: 'upload', date: T0 }),
          makeMessage(1, { text: 'Patch Set 1: Verified-1\n\nBuild failed (check pipeline).', kind: 'ci-report', date: report1 }),
          makeMessage(2, { text: 'Patch Set 1:\n\nrecheck', kind: 'comment', date: report1 + 3_600_000 }),
          makeMessage(3, { text: 'Patch Set 1: Verified+1\n\nBuild succeeded (check pipeline).', kind: 'ci-report', date: report2 }),
        ],
        ciBuilds: [
          makeBuild({ messageSeq: 1, reportedAt: report1, result: 'FAILURE', logUrl: 'https://zuul.example.org/t/openstack/build/aaa' }),
          makeBuild({ messageSeq: 3, reportedAt: report2, result: 'SUCCESS', logUrl: 'https://zuul.example.org/t/openstack/build/bbb' }),
        ],
      });
      zuul.builds = [
        fakeBuild({
          id: 1,
          uuid: 'aaa',
          project: 'demo/compute',
          change: 1,
          patchset: 1,
          result: 'FAILURE',
          start_time: report1 - 40 * MIN,
          end_time: report1 - 5 * MIN,
          buildset: 'bs-a',
        }),
        fakeBuild({
          id: 2,
          uuid: 'bbb',
          project: 'demo/compute',
          change: 1,
          patchset: 1,
          start_time: report2 - 40 * MIN,
          end_time: report2 - 5 * MIN,
          buildset: 'bs-b',
        }),
        fakeBuild({
          id: 3,
          uuid: 'ccc',
          project: 'demo/compute',
          change: 1,
          patchset: 1,
          job_name: 'tox-docs',
          start_time: report2 - 30 * MIN,
          end_time: report2 - 20 * MIN,
          buildset: 'bs-b',
        }),
      ];
      const dir = mkdtempSync(join(tmpdir(), 'steward-ci-'));
      const { location, cleanup } = await freshLocation(engine.name);
      try {
        const store = await openStore(location);
        await store.db
          .transaction()
          .execute(async (trx) => writeChanges(trx, new AccountResolver(trx, change.host, store.bulk), [change], 'rest', store.bulk));
        await store.close();
        // The store knows no URL for the host: links use steward.yaml's.
        writeFileSync(
          join(dir, 'steward.yaml'),
          `hosts:\n  - name: review.example.org\n    url: https://review.example.org\nprojects:\n  - name: demo/compute\nzuul:\n  url: ${url}\n  tenant: openstack\n`,
        );
        const sync = await runSteward(['ci', 'sync', '--db', location, '--format', 'json', '--quiet'], { cwd: dir, now: now() });
        assert.equal(sync.code, 0, sync.stderr);
        assert.equal(JSON.parse(sync.stdout)[0].new, 3);

        const r = await runSteward(
          ['ci', 'jobs', '--db', location, '--since', '2015-03-30', '--until', '2015-04-06', '--now', '2015-04-06', '--format', 'json'],
          { cwd: dir, now: now() },
        );
        assert.equal(r.code, 0, r.stderr);
        const report = JSON.parse(r.stdout);
        assert.deepEqual(report.sources.runs, { both: 2, messageOnly: 0, zuulOnly: 1 });
        const py = report.jobs.find((j: { job: string }) => j.job === 'tox-py3');
        assert.deepEqual(
          { runs: py.runs, failures: py.failures, ff: py.falseFailures, rechecks: py.rechecksAfterFailure },
          { runs: 2, failures: 1, ff: 1, rechecks: 1 },
        );
        assert.deepEqual(py.evidence.falseFailures[0].reasons, ['passed-later', 'merged-unchanged']);
        assert.equal(py.evidence.falseFailures[0].uuid, 'aaa');
        assert.equal(py.evidence.falseFailures[0].url, 'https://review.example.org/c/demo/compute/+/1/1');
        assert.equal(py.evidence.falseFailures[0].logUrl, 'https://logs.example.org/1/', "Zuul's log URL wins");
        const docs = report.jobs.find((j: { job: string }) => j.job === 'tox-docs');
        assert.equal(docs.runs, 1, 'a build only Zuul knows is a run too');
      } finally {
        rmSync(dir, { recursive: true, force: true });
        await cleanup();
      }
    });
  });
}

describe('steward ci sync: configuration errors', () => {
  it('no zuul section, a zuul.host that is not a host, a bad zuul.url or bad ci rules are CONFIG errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-ci-'));
    try {
      const cases: Array<[string, RegExp]> = [
        ['hosts: []\n', /steward\.yaml has no `zuul` section/],
        [
          'hosts:\n  - name: a\n    url: https://a.example.org\nzuul:\n  url: https://zuul.example.org\n  tenant: t\n  host: b\n',
          /zuul\.host "b" is not one of the hosts/,
        ],
        ['zuul:\n  url: not a url\n  tenant: t\n', /`zuul\.url` expected the Zuul web root/],
        [
          'zuul:\n  url: https://zuul.example.org\n  tenant: t\n  tennant: x\n',
          /unknown key `tennant`; allowed here: url, tenant, host, projects/,
        ],
        ['ci:\n  readiness:\n    margin: 5\n', /steward\.yaml:3: `ci\.readiness\.margin` expected a fraction from 0 to 1/],
        ['ci:\n  readiness:\n    week: 4\n', /unknown key `week`; allowed here: margin, weeks, minRuns, minWeeklyRuns/],
      ];
      for (const [yaml, pattern] of cases) {
        writeFileSync(join(dir, 'steward.yaml'), yaml);
        const r = await runSteward(['ci', 'sync', '--db', join(dir, 's.db')], { cwd: dir });
        assert.equal(r.code, 3, `${yaml}: ${r.stderr}`);
        assert.match(r.stderr, pattern);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
