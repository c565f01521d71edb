/**
 * `steward bugs sync` and `steward bugs import` against a fake Launchpad on loopback, on both
 * engines: a full sync equals the import of the same pages; an incremental sync asks only for what
 * changed; faults (429, 5xx, slow, dropped, truncated) end in a complete sync with the retries
 * counted; a sync stopped by a failure resumes where it stopped; the bad-input matrix of issue 15
 * gives a clear error naming the page or entry, its code, and nothing half-written.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { importLaunchpadFiles, launchpadStateKey, syncLaunchpadProject } from '../../src/ingest/launchpad-sync.js';
import { syncLaunchpadInWorker } from '../../src/ingest/launchpad-sync-thread.js';
import { StewardError, type ErrorCode } from '../../src/model/errors.js';
import { bugEntry, bugTaskEntry } from '../../src/demo/demo-launchpad-pages.js';
import { LaunchpadClient, oauthPlaintextHeader, type LaunchpadClientOptions } from '../../src/sources/launchpad/launchpad-client.js';
import { dumpStore, type StoreDump } from '../../src/store/dump.js';
import type { Store } from '../../src/store/engine.js';
import { countLaunchpadRows, loadBlueprints } from '../../src/store/queries/bugs.js';
import { getSyncState } from '../../src/store/sync-store.js';
import { bugSet, makeBlueprint, makeBug, makeBugTask, BUG_T0 } from '../helpers/bug-builders.js';
import { FakeLaunchpad } from '../helpers/fake-launchpad.js';
import { openStore } from '../../src/store/open-store.js';
import { ENGINES, freshLocation, withStore } from '../helpers/stores.js';

const NOW = BUG_T0 + 400 * 86_400_000;

function client(root: string, over: Partial<LaunchpadClientOptions> = {}) {
  return new LaunchpadClient({ baseUrl: root, random: () => 0.5, sleep: async () => undefined, timeoutMs: 2000, ...over });
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

const lp = (store: Store): Promise<StoreDump> => dumpStore(store).then((d) => ({ t: d.lp_bug_tasks!, b: d.lp_bugs!, s: d.lp_blueprints! }));

function fake(n = 230): FakeLaunchpad {
  const { tasks, bugs } = bugSet(n);
  return new FakeLaunchpad({
    tasks,
    bugs,
    specs: [
      makeBlueprint({ name: 'libvirt-virtiofs' }),
      makeBlueprint({ name: 'remove-mox', implementationStatus: 'Implemented', completedAt: BUG_T0 }),
    ],
    maxSize: 1000,
  });
}

const sync = (
  store: Store,
  f: FakeLaunchpad,
  over: Partial<LaunchpadClientOptions> = {},
  opts: { full?: boolean; pageSize?: number } = {},
) =>
  syncLaunchpadProject(store, { url: f.root, project: 'nova' }, { client: client(f.root, over), clock: () => NOW, pageSize: 50, ...opts });

let tmp: string;
before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'steward-lp-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

for (const engine of ENGINES) {
  describe(`Launchpad sync and import (${engine.name})`, { skip: engine.skip }, () => {
    let f: FakeLaunchpad;
    before(async () => {
      f = fake();
      await f.start();
    });
    after(() => f.stop());
    /**
     * What a fault-free full sync of `f` stores (its summary and rows), made once for the file: the
     * first test asserts on it, the faults and resume tests compare with it. `f` serves the same
     * pages throughout (the faults tests' faults are all used up), and the sync's clock is NOW, so
     * every such sync stores the same rows.
     */
    let fullSync:
      Promise<{ r: Awaited<ReturnType<typeof sync>>; rows: StoreDump; counts: Awaited<ReturnType<typeof countLaunchpadRows>> }> | undefined;
    const fullSyncOfF = () =>
      (fullSync ??= withStore(engine.name, async (store) => {
        const r = await sync(store, f);
        return { r, rows: await lp(store), counts: await countLaunchpadRows(store.db) };
      }));

    it('a full sync equals the import of the same pages', async () => {
      const { r, rows: synced, counts } = await fullSyncOfF();
      assert.equal(r.tasks, f.tasksOf('nova', null).length);
      assert.equal(r.bugs, 230);
      assert.equal(r.blueprints, 2);
      assert.equal(r.pages, Math.ceil(r.tasks / 50) + 1);
      assert.equal(r.retries, 0);
      assert.deepEqual(counts, { tasks: r.tasks, bugs: 230, blueprints: 2 });
      const files = f.savePages(join(tmp, `pages-${engine.name}`), 'nova', 70);
      const imported = await withStore(engine.name, async (store) => {
        const r = await importLaunchpadFiles(store, files);
        assert.equal(r.bugs, 230);
        return lp(store);
      });
      assert.deepEqual(imported, synced);
    });

    it("blueprints' series goals come from each series' own list (Launchpad's entries carry none), with whether each is accepted", async () => {
      const g = new FakeLaunchpad({
        specs: [
          makeBlueprint({ name: 'accepted-goal', seriesGoal: 'zed' }),
          makeBlueprint({ name: 'proposed-goal', seriesGoal: 'zed', seriesGoalAccepted: false, implementationStatus: 'Not started' }),
          makeBlueprint({ name: 'older-goal', seriesGoal: 'yoga' }),
          makeBlueprint({ name: 'no-goal', seriesGoal: null, seriesGoalAccepted: false }),
        ],
        maxSize: 2,
      });
      await g.start();
      try {
        await withStore(engine.name, async (store) => {
          const r = await syncLaunchpadProject(
            store,
            { url: g.root, project: 'nova' },
            { client: client(g.root), clock: () => NOW, pageSize: 2 },
          );
          assert.equal(r.blueprints, 4);
          const got = (await loadBlueprints(store.db, { projects: ['nova'] })).map((b) => [b.name, b.seriesGoal, b.seriesGoalAccepted]);
          assert.deepEqual(got, [
            ['accepted-goal', 'zed', true],
            ['no-goal', null, false],
            ['older-goal', 'yoga', true],
            ['proposed-goal', 'zed', false],
          ]);
        });
        const paths = g.log.map((x) => x.path.replace(/\?.*/, ''));
        for (const p of [
          '/devel/nova/all_specifications',
          '/devel/nova/series',
          '/devel/nova/yoga/all_specifications',
          '/devel/nova/zed/all_specifications',
        ])
          assert.ok(paths.includes(p), `asked for ${p}`);
        // What the project's list served had no goal: the goals came from the series' lists.
        const served = await (await fetch(`${g.root}/nova/all_specifications`)).json();
        assert.ok((served as { entries: object[] }).entries.every((e) => !('goal_link' in e)));
      } finally {
        await g.stop();
      }
    });

    it("the import takes series goals from saved series' lists as the sync does (--series NAME=FILE, or the series their links name)", async () => {
      const g = new FakeLaunchpad({
        specs: [
          makeBlueprint({ name: 'accepted-goal', seriesGoal: 'zed' }),
          makeBlueprint({ name: 'proposed-goal', seriesGoal: 'zed', seriesGoalAccepted: false, implementationStatus: 'Not started' }),
          makeBlueprint({ name: 'third-goal', seriesGoal: 'zed' }),
          makeBlueprint({ name: 'older-goal', seriesGoal: 'yoga' }),
          makeBlueprint({ name: 'no-goal', seriesGoal: null, seriesGoalAccepted: false }),
        ],
        maxSize: 2,
      });
      await g.start();
      try {
        const synced = await withStore(engine.name, async (store) => {
          await syncLaunchpadProject(store, { url: g.root, project: 'nova' }, { client: client(g.root), clock: () => NOW, pageSize: 2 });
          return lp(store);
        });
        // Saved as with curl: every page of a list, following next_collection_link, each as it came.
        const dir = mkdtempSync(join(tmp, `series-${engine.name}-`));
        const save = async (url: string, name: string): Promise<string[]> => {
          const out: string[] = [];
          for (let next: string | undefined = url; next;) {
            const page = (await (await fetch(next)).json()) as { next_collection_link?: string };
            const file = join(dir, `${name}-${out.length}.json`);
            writeFileSync(file, JSON.stringify(page));
            out.push(file);
            next = page.next_collection_link;
          }
          return out;
        };
        const project = await save(`${g.root}/nova/all_specifications`, 'nova');
        const zed = await save(`${g.root}/nova/zed/all_specifications`, 'zed');
        const yoga = await save(`${g.root}/nova/yoga/all_specifications`, 'yoga');
        assert.equal(zed.length, 2);
        const imported = await withStore(engine.name, async (store) => {
          // zed's first page names its series in its next_collection_link; its last page and yoga's
          // only page name none.
          const r = await importLaunchpadFiles(store, [...project, zed[0]!], {
            series: [
              { file: zed[1]!, series: 'zed' },
              { file: yoga[0]!, series: 'yoga' },
            ],
          });
          assert.equal(r.blueprints, 5);
          return lp(store);
        });
        assert.deepEqual(imported, synced);
        // The first page given as `--series FILE` (its series from its links) does the same.
        const again = await withStore(engine.name, async (store) => {
          await importLaunchpadFiles(store, project, {
            series: [
              { file: zed[0]!, series: null },
              { file: zed[1]!, series: 'zed' },
              { file: yoga[0]!, series: 'yoga' },
            ],
          });
          return lp(store);
        });
        assert.deepEqual(again, synced);
        // Without the series pages the import has no goal to give.
        await withStore(engine.name, async (store) => {
          await importLaunchpadFiles(store, project);
          assert.ok((await loadBlueprints(store.db, { projects: ['nova'] })).every((b) => b.seriesGoal === null));
        });
        await withStore(engine.name, async (store) => {
          // A series page that names no series, given without its name: refused, naming the file; nothing stored.
          const e = await rejection(importLaunchpadFiles(store, project, { series: [{ file: yoga[0]!, series: null }] }), 'INPUT_FORMAT');
          assert.equal(e.details.where, yoga[0]);
          assert.match(e.message, /names no series/);
          assert.match(e.describe(), /--series NAME=FILE/);
          // A name its links contradict.
          const c = await rejection(importLaunchpadFiles(store, [], { series: [{ file: zed[0]!, series: 'yoga' }] }), 'INPUT_FORMAT');
          assert.match(c.message, /name series "zed", not "yoga"/);
          assert.deepEqual(await countLaunchpadRows(store.db), { tasks: 0, bugs: 0, blueprints: 0 });
        });
      } finally {
        await g.stop();
      }
    });

    it('asks for each bug once per run, even when its tasks fall on different pages, with several requests in flight', async () => {
      const g = fake(120);
      g.latencyMs = 20;
      await g.start();
      try {
        await withStore(engine.name, async (store) => {
          const listed = g.tasksOf('nova', null);
          // Pages that end just before a series task: that bug's project task ends one page, its
          // series task starts the next.
          const pageSize = listed.findIndex((t, i) => i > 10 && t.series !== null);
          assert.ok(pageSize > 10 && listed[pageSize - 1]!.bug === listed[pageSize]!.bug, 'a bug straddles a page boundary');
          const r = await syncLaunchpadProject(
            store,
            { url: g.root, project: 'nova' },
            { client: client(g.root, { concurrency: 4 }), clock: () => NOW, pageSize, blueprints: false },
          );
          const bugRequests = g.log.filter((q) => /\/devel\/bugs\/\d+$/.test(q.path)).map((q) => q.path);
          assert.equal(bugRequests.length, new Set(bugRequests).size, 'no bug asked twice');
          assert.equal(bugRequests.length, 120);
          assert.equal(r.bugs, 120);
          assert.ok(g.maxInFlight > 1, `requests overlapped (at most ${g.maxInFlight} in flight)`);
          assert.ok(g.maxInFlight <= 4, `never more than the concurrency (${g.maxInFlight})`);
          assert.deepEqual(await countLaunchpadRows(store.db), { tasks: listed.length, bugs: 120, blueprints: 0 });
        });
      } finally {
        await g.stop();
      }
    });

    it('an incremental sync asks for bugs modified since the checkpoint and takes in their changes', async () => {
      const g = fake(120);
      await g.start();
      try {
        await withStore(engine.name, async (store) => {
          await syncLaunchpadProject(
            store,
            { url: g.root, project: 'nova' },
            { client: client(g.root), clock: () => BUG_T0 + 200 * 86_400_000, pageSize: 50 },
          );
          // Two bugs change after the first sync, and a new one arrives.
          const later = BUG_T0 + 300 * 86_400_000;
          const t = g.tasks.find((x) => x.bug === 1005 && x.series === null)!;
          t.status = 'Fix Released';
          t.dates = { ...t.dates, fixReleased: later };
          g.bugs.get(1005)!.lastUpdatedAt = later;
          g.bugs.get(1010)!.heat = 99;
          g.bugs.get(1010)!.lastUpdatedAt = later;
          g.tasks.push(makeBugTask({ bug: 5000 }));
          g.bugs.set(5000, makeBug({ id: 5000, lastUpdatedAt: later }));
          const before = g.searchRequests.length;
          const r = await syncLaunchpadProject(
            store,
            { url: g.root, project: 'nova' },
            { client: client(g.root), clock: () => BUG_T0 + 301 * 86_400_000, pageSize: 50 },
          );
          const asked = g.searchRequests.slice(before);
          assert.equal(asked.length, 1);
          assert.match(decodeURIComponent(asked[0]!.path), /modified_since=2026-/);
          assert.equal(r.bugs, 3);
          assert.equal(r.counts.new, 2); // bug 5000 and its task
          const files = g.savePages(join(tmp, `incr-${engine.name}`), 'nova');
          const expected = await withStore(engine.name, async (s2) => {
            await importLaunchpadFiles(s2, files);
            return lp(s2);
          });
          assert.deepEqual(await lp(store), expected);
        });
      } finally {
        await g.stop();
      }
    });

    it('faults (429 with Retry-After, 5xx, slow, dropped, truncated) end in a complete sync, the retries counted', async () => {
      const expected = (await fullSyncOfF()).rows;
      f.faults.push(
        { status: 429, retryAfter: 0, match: 'ws.start=50' },
        { status: 503, match: 'ws.start=100' },
        { status: 502, match: '/bugs/1100' },
        { truncate: true, match: 'ws.start=150' },
        { dropMidBody: true, match: '/bugs/1120' },
        { delayMs: 2600, match: 'all_specifications' },
      );
      await withStore(engine.name, async (store) => {
        const r = await sync(store, f);
        assert.equal(r.retries, 6);
        assert.equal(f.faults.length, 0);
        assert.deepEqual(await lp(store), expected);
      });
    });

    it('a sync stopped by a failure resumes at the page it stopped before, and ends the same', async () => {
      const expected = (await fullSyncOfF()).rows;
      await withStore(engine.name, async (store) => {
        f.faults.push({ status: 503, match: 'ws.start=150' });
        const e = await rejection(sync(store, f, { maxTotalRetries: 0 }), 'SOURCE_RETRIES_EXHAUSTED');
        assert.match(e.describe(), /ws\.start=150/);
        assert.match(e.describe(), /resume/);
        const state = await getSyncState(store.db, launchpadStateKey(f.root), 'nova');
        assert.equal(Number(state?.run_next_start), 150);
        assert.equal(Number(state?.run_in_progress), 1);
        const n = f.searchRequests.length;
        const r = await sync(store, f);
        assert.equal(r.resumed, true);
        assert.match(f.searchRequests[n]!.path, /ws\.start=150/);
        assert.deepEqual(await lp(store), expected);
      });
    });

    describe('bad input: a clear error, its code, nothing of the page written, and the next run resumes', () => {
      const cases: Array<{ name: string; code: ErrorCode; text: RegExp; arrange: (g: FakeLaunchpad) => void }> = [
        {
          name: 'a page that is not JSON (an HTML page)',
          code: 'SOURCE_BAD_RESPONSE',
          text: /ws\.start=100/,
          arrange: (g) => g.faults.push({ html: true, match: 'ws.start=100' }),
        },
        {
          name: 'a page that is not a collection',
          code: 'SOURCE_BAD_RESPONSE',
          text: /bugs\/1101.*expected a Launchpad collection|expected a Launchpad collection.*got an array/s,
          arrange: (g) => g.bugOverrides.set(1101, [1, 2]),
        },
        {
          name: 'an entry without its self link',
          code: 'SOURCE_BAD_RESPONSE',
          text: /entries\[3\]\.self_link: the entry has no self link/,
          arrange: (g) => {
            const t = g.tasksOf('nova', null)[103]!;
            const { self_link: _s, ...rest } = bugTaskEntry(t);
            g.overrides.set(bugTaskEntry(t).self_link as string, rest);
          },
        },
        {
          name: 'an entry with an unknown status',
          code: 'SOURCE_BAD_RESPONSE',
          text: /entries\[4\]\.status: unknown status "Fixed"/,
          arrange: (g) => {
            const t = g.tasksOf('nova', null)[104]!;
            g.overrides.set(bugTaskEntry(t).self_link as string, { ...bugTaskEntry(t), status: 'Fixed' });
          },
        },
        {
          name: 'an entry with an unknown importance',
          code: 'SOURCE_BAD_RESPONSE',
          text: /entries\[5\]\.importance: unknown importance "Urgent"/,
          arrange: (g) => {
            const t = g.tasksOf('nova', null)[105]!;
            g.overrides.set(bugTaskEntry(t).self_link as string, { ...bugTaskEntry(t), importance: 'Urgent' });
          },
        },
        {
          name: 'a bug number that does not exist',
          code: 'SOURCE_NOT_FOUND',
          text: /bug 9999999, named by the task .*\+bug\/9999999 on .*ws\.start=100.*does not exist/,
          arrange: (g) => {
            const t = g.tasksOf('nova', null)[106]!;
            g.overrides.set(bugTaskEntry(t).self_link as string, {
              ...bugTaskEntry(t),
              bug_link: 'https://api.launchpad.net/devel/bugs/9999999',
              self_link: 'https://api.launchpad.net/devel/nova/+bug/9999999',
            });
          },
        },
        {
          name: 'a duplicate pointing at itself',
          code: 'SOURCE_BAD_RESPONSE',
          text: /duplicate_of_link: bug 1105 is marked a duplicate of itself/,
          arrange: (g) =>
            g.bugOverrides.set(1105, { ...bugEntry(g.bugs.get(1105)!), duplicate_of_link: 'https://api.launchpad.net/devel/bugs/1105' }),
        },
        {
          name: 'a page that is cut off (every retry too)',
          code: 'SOURCE_BAD_RESPONSE',
          text: /ws\.start=100: .*kept sending JSON that does not parse after 4 attempts/,
          arrange: (g) => g.faults.push(...Array.from({ length: 8 }, () => ({ truncate: true as const, match: 'ws.start=100' }))),
        },
      ];
      for (const c of cases) {
        it(c.name, async () => {
          const g = fake(130);
          await g.start();
          try {
            await withStore(engine.name, async (store) => {
              c.arrange(g);
              const e = await rejection(
                syncLaunchpadProject(
                  store,
                  { url: g.root, project: 'nova' },
                  { client: client(g.root, { maxRetriesPerRequest: 3 }), clock: () => NOW, pageSize: 50 },
                ),
                c.code,
              );
              assert.match(e.describe(), c.text);
              // Pages 0 and 50 stored, nothing of page 100.
              const stored = await countLaunchpadRows(store.db);
              assert.equal(stored.tasks, 100, e.describe());
              const state = await getSyncState(store.db, launchpadStateKey(g.root), 'nova');
              assert.equal(Number(state?.run_next_start), 100);
              // Fixed at the source: the next run resumes there and ends complete.
              g.overrides.clear();
              g.bugOverrides.clear();
              g.faults.length = 0;
              const r = await syncLaunchpadProject(
                store,
                { url: g.root, project: 'nova' },
                { client: client(g.root), clock: () => NOW, pageSize: 50 },
              );
              assert.equal(r.resumed, true);
              assert.equal((await countLaunchpadRows(store.db)).tasks, g.tasksOf('nova', null).length);
            });
          } finally {
            await g.stop();
          }
        });
      }

      it('an OAuth token that Launchpad refuses: SOURCE_AUTH, the token in no message', async () => {
        const g = fake(20);
        g.requireToken = { token: 'good-token', tokenSecret: 'good-secret' };
        await g.start();
        try {
          await withStore(engine.name, async (store) => {
            const bad = { consumerKey: 'steward', token: 'revoked-token-123', tokenSecret: 'sekrit-456' };
            const e = await rejection(sync(store, g, { token: bad }), 'SOURCE_AUTH');
            assert.match(e.describe(), /refused the OAuth token \(HTTP 401/);
            assert.doesNotMatch(e.describe() + inspect(e), /revoked-token-123|sekrit-456/);
            assert.equal((await countLaunchpadRows(store.db)).tasks, 0);
            const r = await sync(store, g, { token: { consumerKey: 'steward', token: 'good-token', tokenSecret: 'good-secret' } });
            assert.equal(r.bugs, 20);
            assert.match(g.log.at(-1)!.authorization ?? '', /oauth_signature_method="PLAINTEXT"/);
          });
        } finally {
          await g.stop();
        }
      });
    });

    describe('import: bad files stop it naming the file and entry, with nothing written', () => {
      const write = (name: string, text: string) => {
        const p = join(tmp, `${engine.name}-${name}`);
        writeFileSync(p, text);
        return p;
      };
      const good = () => write('good.json', JSON.stringify({ total_size: 1, start: 0, entries: [bugTaskEntry(makeBugTask({ bug: 1 }))] }));
      const cases: Array<{ name: string; code: ErrorCode; text: RegExp; file: () => string }> = [
        { name: 'not JSON', code: 'INPUT_JSON', text: /bad\.json: not valid JSON/, file: () => write('bad.json', '<html>') },
        {
          name: 'cut off',
          code: 'INPUT_JSON',
          text: /cut\.json: not valid JSON/,
          file: () => write('cut.json', '{"total_size": 3, "entries": [{"self_link": "x"'),
        },
        {
          name: 'not a collection',
          code: 'INPUT_FORMAT',
          text: /list\.json: expected a Launchpad collection/,
          file: () => write('list.json', '[]'),
        },
        {
          name: 'an entry without a self link',
          code: 'INPUT_FORMAT',
          text: /noself\.json: entries\[0\]\.self_link/,
          file: () =>
            write('noself.json', JSON.stringify({ entries: [{ resource_type_link: 'https://api.launchpad.net/devel/#bug_task' }] })),
        },
        {
          name: 'a missing file',
          code: 'INPUT_UNREADABLE',
          text: /nope\.json: cannot read the file: no such file/,
          file: () => join(tmp, 'nope.json'),
        },
      ];
      for (const c of cases) {
        it(c.name, async () => {
          await withStore(engine.name, async (store) => {
            const e = await rejection(importLaunchpadFiles(store, [good(), c.file()]), c.code);
            assert.match(e.describe(), c.text);
            assert.equal((await countLaunchpadRows(store.db)).tasks, 0);
          });
        });
      }
    });
  });
}

describe('OAuth PLAINTEXT header', () => {
  it('signs with & and the token secret, percent-encoded', () => {
    const h = oauthPlaintextHeader({ consumerKey: 'steward', token: 'tok', tokenSecret: 'a b&c' }, 1_700_000_000.7, 'n1');
    assert.match(h, /^OAuth realm="https:\/\/api\.launchpad\.net\/", /);
    assert.match(h, /oauth_signature="%26a%20b%26c"/);
    assert.match(h, /oauth_timestamp="1700000000"/);
    assert.match(h, /oauth_signature_method="PLAINTEXT"/);
  });
});

for (const engine of ENGINES) {
  describe(`Launchpad sync on its worker thread, as steward bugs sync runs it (${engine.name})`, { skip: engine.skip }, () => {
    it('gives the store a sync in this thread gives, with its progress; an error comes back with its code, page and details', async () => {
      const g = fake(120);
      await g.start();
      const { location, cleanup } = await freshLocation(engine.name);
      try {
        const expected = await withStore(engine.name, async (store) => {
          await sync(store, g, {}, { pageSize: 25 });
          return lp(store);
        });
        await (await openStore(location)).close();
        const job = {
          location,
          target: { url: g.root, project: 'nova' },
          client: { token: null, concurrency: 3, timeoutMs: 2000, maxTotalRetries: 0, maxRetriesPerRequest: 0 },
          pageSize: 25,
        };
        const pages: number[] = [];
        const r = await syncLaunchpadInWorker(job, { onPage: (p) => p.kind === 'tasks' && pages.push(p.soFar) });
        assert.equal(r.tasks, g.tasksOf('nova', null).length);
        assert.deepEqual(
          pages,
          Array.from({ length: Math.ceil(r.tasks / 25) }, (_, i) => Math.min(r.tasks, (i + 1) * 25)),
        );
        const store = await openStore(location);
        try {
          assert.deepEqual(await lp(store), expected);
        } finally {
          await store.close();
        }
        // A bad entry on the next full walk: the worker's StewardError, rebuilt here.
        const t = g.tasksOf('nova', null)[54]!;
        g.overrides.set(bugTaskEntry(t).self_link as string, { ...bugTaskEntry(t), status: 'Fixed' });
        const e = await rejection(syncLaunchpadInWorker({ ...job, full: true }), 'SOURCE_BAD_RESPONSE');
        assert.match(e.describe(), /ws\.start=50.*entries\[4\]\.status: unknown status "Fixed"/s);
      } finally {
        await cleanup();
        await g.stop();
      }
    });
  });
}
