/**
 * `steward bugs sync` killed with SIGKILL at several points, then run again, on both engines: the
 * store ends identical to the import of the same data, the dead process's lock does not block the
 * next run, and the run after a kill resumes at the last stored page. The sync runs as a real child
 * process (test/helpers/launchpad-sync-child.ts, bundled by test/helpers/child-bundle.ts, else TypeScript as the test files run it: TS_NODE_ARGS) against the fake Launchpad; the kill
 * comes when the fake has received the k-th request.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { importLaunchpadFiles } from '../../src/ingest/launchpad-sync.js';
import { dumpStore } from '../../src/store/dump.js';
import { openStore } from '../../src/store/open-store.js';
import { bugSet } from '../helpers/bug-builders.js';
import { FakeLaunchpad } from '../helpers/fake-launchpad.js';
import { mulberry32 } from '../helpers/fake-http.js';
import { ENGINES, freshLocation, withStore } from '../helpers/stores.js';
import { bundleForChildren, type ChildBundle } from '../helpers/child-bundle.js';
import { TS_NODE_ARGS } from '../helpers/ts-child.js';

const CHILD = fileURLToPath(new URL('../helpers/launchpad-sync-child.ts', import.meta.url));
/**
 * How the children start: the child and its worker thread bundled with the packages they load
 * (test/helpers/child-bundle.ts: a child's start-up, loading hundreds of modules one by one, was
 * most of its CPU), else from the sources as the test files run (TS_NODE_ARGS).
 */
let childCommand: string[] = [...TS_NODE_ARGS, CHILD];
let childEnv: NodeJS.ProcessEnv = process.env;
let bundle: ChildBundle | null = null;
before(async () => {
  // The worker's file beside the bundled sync thread, as launchpad-sync-thread.ts looks for it (.js
  // when not run from TypeScript sources).
  bundle = await bundleForChildren(
    'launchpad-kill',
    { 'launchpad-sync-child': 'test/helpers/launchpad-sync-child.ts', 'launchpad-sync-worker': 'src/ingest/launchpad-sync-worker.ts' },
    '.js',
  );
  if (bundle) [childCommand, childEnv] = [[bundle.files['launchpad-sync-child']!], bundle.env];
});
after(() => bundle?.remove());

/** Runs the child; kills it with SIGKILL once the fake has seen `killAt` requests (null: let it finish). */
function runChild(
  f: FakeLaunchpad,
  location: string,
  killAt: number | null,
): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const start = f.log.length;
    const child = spawn(process.execPath, [...childCommand, f.root, location, '20'], { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer =
      killAt === null
        ? null
        : setInterval(() => {
            if (f.log.length - start >= killAt) child.kill('SIGKILL');
          }, 2);
    child.on('exit', (code, signal) => {
      if (timer) clearInterval(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

for (const engine of ENGINES) {
  describe(`Launchpad sync killed with -9, then resumed (${engine.name})`, { skip: engine.skip }, () => {
    let f: FakeLaunchpad;
    let tmp: string;
    before(async () => {
      const { tasks, bugs } = bugSet(150);
      f = new FakeLaunchpad({ tasks, bugs });
      f.latencyMs = 3;
      await f.start();
      tmp = mkdtempSync(join(tmpdir(), 'steward-lp-kill-'));
    });
    after(async () => {
      await f.stop();
      rmSync(tmp, { recursive: true, force: true });
    });

    it('ends with the same store as an import of the same data, whatever the kill points', async () => {
      const expected = await withStore(engine.name, async (store) => {
        await importLaunchpadFiles(store, f.savePages(join(tmp, 'pages'), 'nova'));
        const d = await dumpStore(store);
        return { t: d.lp_bug_tasks, b: d.lp_bugs };
      });
      const random = mulberry32(engine.name === 'sqlite' ? 15 : 16);
      const { location, cleanup } = await freshLocation(engine.name);
      try {
        // A full walk is 9 pages of 20 tasks and 150 bugs (~160 requests); each run resumes where the
        // last stopped, so kills early in each run leave the walk unfinished.
        const kills = [2, 25 + Math.floor(random() * 20), 25 + Math.floor(random() * 20)];
        let killed = 0;
        for (const k of kills) {
          const r = await runChild(f, location, k);
          if (r.signal === 'SIGKILL') killed++;
          else assert.equal(r.code, 0, r.stderr);
        }
        assert.ok(killed >= 2, `${killed} of the runs were killed`);
        const last = await runChild(f, location, null);
        assert.equal(last.code, 0, last.stderr);
        assert.equal(JSON.parse(last.stdout).resumed, true, 'the run after a kill resumes');
        const store = await openStore(location);
        try {
          const d = await dumpStore(store);
          assert.deepEqual({ t: d.lp_bug_tasks, b: d.lp_bugs }, expected);
          assert.equal(
            await store.db
              .selectFrom('sync_locks')
              .selectAll()
              .execute()
              .then((r) => r.length),
            0,
          );
        } finally {
          await store.close();
        }
      } finally {
        await cleanup();
      }
    });
  });
}
