import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StewardError } from '../model/errors.js';
import { parseDuration, schedule } from './schedule.js';

describe('parseDuration', () => {
  it('reads units and their sums', () => {
    assert.equal(parseDuration('15m', '--every'), 15 * 60_000);
    assert.equal(parseDuration('1h', '--every'), 3_600_000);
    assert.equal(parseDuration('90s', '--every'), 90_000);
    assert.equal(parseDuration('2h30m', '--every'), 2.5 * 3_600_000);
    assert.equal(parseDuration('1d', '--every'), 86_400_000);
    assert.equal(parseDuration('250ms', '--every'), 250);
    assert.equal(parseDuration('1m30s', '--every'), 90_000);
    assert.equal(parseDuration(' 15M ', '--every'), 15 * 60_000, 'trimmed, any case');
  });

  for (const bad of ['', '15', 'm', '0m', '0h0m', '1.5h', '-5m', '15 minutes', '1m30', 'h1', '5w']) {
    it(`refuses ${JSON.stringify(bad)} as a usage error naming the flag and the value`, () => {
      assert.throws(
        () => parseDuration(bad, '--every'),
        (e: unknown) => {
          assert.ok(e instanceof StewardError);
          assert.equal(e.code, 'USAGE');
          assert.equal(e.message, `--every must be a duration like 15m, 1h or 2h30m, not "${bad}"`);
          return true;
        },
      );
    });
  }
});

/** A clock and timers that move only when told: `advance` fires due timers in order, letting promises settle between. */
class FakeTime {
  now = 0;
  #timers: Array<{ at: number; seq: number; fn: () => void }> = [];
  #seq = 0;

  readonly clock = () => this.now;
  readonly setTimer = (fn: () => void, ms: number): unknown => {
    const t = { at: this.now + ms, seq: this.#seq++, fn };
    this.#timers.push(t);
    return t;
  };
  readonly clearTimer = (t: unknown): void => {
    this.#timers = this.#timers.filter((x) => x !== t);
  };

  get pending(): number {
    return this.#timers.length;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  async advance(ms: number): Promise<void> {
    const end = this.now + ms;
    await settle();
    for (;;) {
      const due = this.#timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.#timers = this.#timers.filter((t) => t !== due);
      this.now = due.at;
      due.fn();
      await settle();
    }
    this.now = end;
  }

  /** A promise that resolves `ms` from now on this clock. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimer(resolve, ms));
  }
}

/** Lets pending promise callbacks run (a few macrotask turns). */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

const MIN = 60_000;

describe('schedule', () => {
  it('runs at once, then every period after the previous start', async () => {
    const time = new FakeTime();
    const starts: number[] = [];
    const s = schedule(
      10 * MIN,
      async () => {
        starts.push(time.now);
        await time.sleep(3 * MIN);
      },
      time,
    );
    assert.equal(s.state.nextRunAt, 0);
    await time.advance(0);
    assert.deepEqual(starts, [0], 'the first run starts immediately');
    assert.equal(s.state.running, true);
    await time.advance(3 * MIN);
    assert.equal(s.state.running, false);
    assert.equal(s.state.nextRunAt, 10 * MIN, 'next run one period after the previous start, not after its end');
    await time.advance(37 * MIN);
    assert.deepEqual(starts, [0, 10 * MIN, 20 * MIN, 30 * MIN, 40 * MIN]);
    assert.equal(s.state.runs, 4);
    assert.deepEqual([s.state.lastStartedAt, s.state.lastFinishedAt], [40 * MIN, 33 * MIN]);
    s.stop();
    await time.advance(3 * MIN);
    await s.stopped;
  });

  it('never runs two at once: a run longer than the period is followed at once by the next, once', async () => {
    const time = new FakeTime();
    const starts: number[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const s = schedule(
      10 * MIN,
      async () => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        starts.push(time.now);
        await time.sleep(starts.length === 1 ? 25 * MIN : 2 * MIN);
        inFlight--;
      },
      time,
    );
    await time.advance(60 * MIN);
    assert.equal(maxInFlight, 1);
    // 0–25 (three periods missed, not made up), then at once at 25, then back on the period from there.
    assert.deepEqual(starts, [0, 25 * MIN, 35 * MIN, 45 * MIN, 55 * MIN]);
    s.stop();
    await s.stopped;
  });

  it('records an error, tells onError, and keeps the schedule', async () => {
    const time = new FakeTime();
    const errors: unknown[] = [];
    const starts: number[] = [];
    const s = schedule(
      5 * MIN,
      async () => {
        starts.push(time.now);
        await time.sleep(MIN);
        if (starts.length === 2)
          throw new StewardError('SOURCE_UNREACHABLE', 'cannot reach https://review.example.org', { hint: 'Check the network.' });
        if (starts.length === 3) throw new Error('plain failure');
      },
      { clock: time.clock, setTimer: time.setTimer, clearTimer: time.clearTimer, onError: (e) => errors.push(e) },
    );
    await time.advance(6 * MIN + 1);
    assert.equal(errors.length, 1);
    assert.equal(s.state.lastError, 'cannot reach https://review.example.org\n  Check the network.');
    assert.equal(s.state.nextRunAt, 10 * MIN, 'the failed run is followed on schedule');
    await time.advance(5 * MIN);
    assert.equal(s.state.lastError, 'plain failure');
    await time.advance(5 * MIN);
    assert.equal(s.state.lastError, null, 'a good run clears the error');
    assert.deepEqual(starts, [0, 5 * MIN, 10 * MIN, 15 * MIN]);
    assert.equal(errors.length, 2);
    s.stop();
    await s.stopped;
  });

  it('stop() during a run waits for it to end and starts no other', async () => {
    const time = new FakeTime();
    const starts: number[] = [];
    let finished = 0;
    const s = schedule(
      10 * MIN,
      async () => {
        starts.push(time.now);
        await time.sleep(4 * MIN);
        finished++;
      },
      time,
    );
    await time.advance(MIN);
    assert.equal(s.state.running, true);
    let stopped = false;
    void s.stopped.then(() => (stopped = true));
    s.stop();
    await time.advance(MIN);
    assert.equal(stopped, false, 'still running');
    await time.advance(2 * MIN);
    assert.equal(finished, 1);
    assert.equal(stopped, true, 'resolved once the run ended');
    assert.equal(time.pending, 0, 'no next run scheduled');
    await time.advance(60 * MIN);
    assert.deepEqual(starts, [0]);
    assert.equal(s.state.nextRunAt, null);
  });

  it('stop() between runs resolves at once and cancels the next run; stop() before the first run cancels it', async () => {
    const time = new FakeTime();
    let runs = 0;
    const s = schedule(
      10 * MIN,
      async () => {
        runs++;
      },
      time,
    );
    await time.advance(MIN);
    assert.equal(runs, 1);
    assert.equal(time.pending, 1);
    s.stop();
    await s.stopped;
    assert.equal(time.pending, 0);
    await time.advance(60 * MIN);
    assert.equal(runs, 1);

    const never = schedule(
      10 * MIN,
      async () => {
        runs++;
      },
      time,
    );
    never.stop();
    await never.stopped;
    await time.advance(60 * MIN);
    assert.equal(runs, 1);
    assert.equal(never.state.runs, 0);
  });
});
