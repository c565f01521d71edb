import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FairQueue, QueueFullError, currentClient, requestClient } from './fair-queue.js';

/** A job that runs until released; records when it started. */
function gated(log: string[], name: string) {
  let release!: () => void;
  const done = new Promise<void>((r) => (release = r));
  return {
    work: async () => {
      log.push(name);
      await done;
      return name;
    },
    release: () => release(),
  };
}

const settle = () => new Promise<void>((r) => setImmediate(r));

describe('FairQueue', () => {
  it('serves clients in turn, however many one of them asked for', async () => {
    const q = new FairQueue({ concurrency: 1, perClient: 10, maxWaiting: 100, retryAfterSeconds: 5 });
    const log: string[] = [];
    const a = [1, 2, 3, 4].map((i) => gated(log, `a${i}`));
    const b = [1, 2].map((i) => gated(log, `b${i}`));
    const c = gated(log, 'c1');
    const results = [...a.map((j) => q.run('A', j.work)), ...b.map((j) => q.run('B', j.work)), q.run('C', c.work)];
    assert.deepEqual(q.stats(), { running: 1, waiting: 6, clients: { A: 4, B: 2, C: 1 } });
    for (const j of [...a, ...b, c]) {
      j.release();
      await settle();
      await settle();
    }
    assert.deepEqual(await Promise.all(results), ['a1', 'a2', 'a3', 'a4', 'b1', 'b2', 'c1']);
    // a1 ran alone; then one of each client in turn: B and C did not wait for all of A.
    assert.deepEqual(log, ['a1', 'b1', 'c1', 'a2', 'b2', 'a3', 'a4']);
    assert.deepEqual(q.stats(), { running: 0, waiting: 0, clients: {} });
  });

  it("refuses a client's request beyond its limit at once, and another client's not", async () => {
    const q = new FairQueue({ concurrency: 1, perClient: 2, maxWaiting: 100, retryAfterSeconds: 7 });
    const log: string[] = [];
    const jobs = [1, 2, 3].map((i) => gated(log, `a${i}`));
    const first = q.run('A', jobs[0]!.work);
    const second = q.run('A', jobs[1]!.work);
    await assert.rejects(q.run('A', jobs[2]!.work), (e: unknown) => {
      assert.ok(e instanceof QueueFullError);
      assert.equal(e.code, 'SERVER_BUSY');
      assert.equal(e.retryAfterSeconds, 7);
      assert.match(e.message, /2 running or waiting, at most 2/);
      return true;
    });
    const other = gated(log, 'b1');
    const b = q.run('B', other.work);
    for (const j of [jobs[0]!, other, jobs[1]!]) {
      j.release();
      await settle();
      await settle();
    }
    assert.deepEqual(await Promise.all([first, second, b]), ['a1', 'a2', 'b1']);
    assert.deepEqual(log, ['a1', 'b1', 'a2']);
    // Its earlier ones done, the client may ask again.
    const again = gated(log, 'a4');
    const p = q.run('A', again.work);
    again.release();
    assert.equal(await p, 'a4');
  });

  it('refuses everyone once maxWaiting are waiting; a failing job frees its place', async () => {
    const q = new FairQueue({ concurrency: 1, perClient: 5, maxWaiting: 1, retryAfterSeconds: 3 });
    const log: string[] = [];
    const running = gated(log, 'a1');
    const p1 = q.run('A', running.work);
    const p2 = q.run('B', async () => {
      throw new Error('boom');
    });
    await assert.rejects(
      q.run('C', async () => 'c'),
      /the server is busy \(1 reports waiting, at most 1\)/,
    );
    running.release();
    assert.equal(await p1, 'a1');
    await assert.rejects(p2, /boom/);
    assert.deepEqual(q.stats(), { running: 0, waiting: 0, clients: {} });
  });

  it('knows the client of the current request', async () => {
    assert.equal(currentClient(), 'server');
    await requestClient.run(
      () => 'address:10.0.0.9',
      async () => {
        await settle();
        assert.equal(currentClient(), 'address:10.0.0.9');
      },
    );
  });
});
