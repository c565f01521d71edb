/**
 * The web's compute threads (web/view-workers.ts): reports computed on worker threads with their own
 * store connection give exactly what the service functions give in-process, errors keep their code
 * and details, a thread that dies fails its call and is replaced, and the server's thread answers
 * other requests while a report is being computed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load-config.js';
import { StewardError } from '../../src/model/errors.js';
import { resolveEffectiveConfig, type EffectiveConfig } from '../../src/service/effective-config.js';
import type { Store } from '../../src/store/engine.js';
import { openStore } from '../../src/store/open-store.js';
import { REPORTS } from '../../src/service/catalogue/report-catalogue.js';
import { startViewWorkers, type ViewWorkerPool } from '../../src/web/view-workers.js';
import { ENGINES } from '../helpers/stores.js';
import { demoStore, WEB_NOW, type DemoStore } from '../helpers/web.js';

const DAY = 86_400_000;
const window = { since: WEB_NOW - 90 * DAY, until: WEB_NOW, now: WEB_NOW };

for (const engine of ENGINES) {
  describe(`compute threads on ${engine.name}`, { skip: engine.skip }, () => {
    let demo: DemoStore;
    let store: Store;
    let config: EffectiveConfig;
    let pool: ViewWorkerPool;
    before(async () => {
      // The store web-cache.test.ts reads too: generated once per run, copied after (demo-cache.ts).
      demo = await demoStore(engine.name, { changes: 400, months: 4 });
      store = await openStore(demo.location);
      config = await resolveEffectiveConfig(loadConfig(undefined, demo.dir), store);
      // One thread: the calls below are made one after another, so they all go to the first thread
      // (the one with the fewest running, the first on a tie); a second one only started and loaded
      // the catalogue (~1 s of CPU) to sit idle.
      pool = startViewWorkers(demo.location, { threads: 1 });
    });
    after(async () => {
      await pool?.close();
      await store?.close();
      await demo?.cleanup();
    });

    it('give the same reports as the build functions of the catalogue on the server thread', async () => {
      const calls: Array<[keyof typeof REPORTS, unknown]> = [
        ['overview', { window }],
        ['reviewers', { window }],
        ['queue', {}],
        ['waits', { window }],
        ['coreIdle', {}],
        ['ci', { window }],
      ];
      for (const [name, params] of calls) {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each report takes its own parameters
        const entry = REPORTS[name] as any;
        const inProcess = await entry.build(store, params, config, WEB_NOW, null);
        const threaded = await pool.compute(entry, null as never, params, config, WEB_NOW, null);
        assert.deepEqual(threaded, inProcess, name);
      }
    });
  });
}

describe('compute threads (behaviour)', () => {
  let demo: DemoStore;
  let config: EffectiveConfig;
  let pool: ViewWorkerPool;
  before(async () => {
    // Any store will do (the catalogue here is blocking-views.ts): the one above, already generated.
    demo = await demoStore('sqlite', { changes: 400, months: 4 });
    const store = await openStore(demo.location);
    config = await resolveEffectiveConfig(loadConfig(undefined, demo.dir), store);
    await store.close();
    pool = startViewWorkers(demo.location, { threads: 1, catalogueModule: new URL('../helpers/blocking-views.ts', import.meta.url) });
  });
  after(async () => {
    await pool?.close();
    await demo?.cleanup();
  });

  it('leave the server thread free while a report computes', async () => {
    const gate = new SharedArrayBuffer(4);
    const view = pool.compute(REPORTS.overview, null as never, { gate } as never, config, WEB_NOW, null);
    // The thread is blocked until the gate opens; this thread still runs timers and I/O meanwhile.
    let ticks = 0;
    await new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (++ticks === 3) {
          clearInterval(t);
          resolve();
        }
      }, 5);
    });
    let settled = false;
    void view.then(() => (settled = true));
    await new Promise((r) => setImmediate(r));
    assert.equal(settled, false, 'the report is still being computed');
    Atomics.store(new Int32Array(gate), 0, 7);
    Atomics.notify(new Int32Array(gate), 0);
    assert.deepEqual(await view, { released: 7 });
  });

  it('pass a StewardError on with its code and details', async () => {
    await assert.rejects(pool.compute(REPORTS.queue, null as never, {} as never, config, WEB_NOW, null), (e: unknown) => {
      assert.ok(e instanceof StewardError);
      assert.equal(e.code, 'USAGE');
      assert.equal(e.message, 'no such branch: feature/x');
      assert.equal(e.details.field, 'branch');
      return true;
    });
  });

  it('fail the call of a thread that dies, and replace the thread', async () => {
    await assert.rejects(pool.compute(REPORTS.reviewers, null as never, {} as never, config, WEB_NOW, null), (e: unknown) => {
      assert.ok(e instanceof StewardError);
      assert.equal(e.code, 'INTERNAL');
      assert.match(e.message, /compute thread stopped \(exit code 3\)/);
      return true;
    });
    // The replacement answers.
    const gate = new SharedArrayBuffer(4);
    Atomics.store(new Int32Array(gate), 0, 1);
    assert.deepEqual(await pool.compute(REPORTS.overview, null as never, { gate } as never, config, WEB_NOW, null), { released: 1 });
  });
});
