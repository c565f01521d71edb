/**
 * Running a job every N minutes, never two at once: the next run is scheduled only after the
 * previous one finished (a run longer than the period starts the next one right away, once).
 * Used by `steward sync --every` and by the web server's `--sync-every`.
 */
import { StewardError } from '../model/errors.js';

/** "15m", "1h", "90s", "2h30m" → milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const s = text.trim().toLowerCase();
  const re = /(\d+)\s*(ms|s|m|h|d)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    total += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
    matched = re.lastIndex;
  }
  if (!s || matched !== s.length || total <= 0) {
    throw new StewardError('USAGE', `${flag} must be a duration like 15m, 1h or 2h30m, not "${text}"`);
  }
  return total;
}

export interface ScheduleState {
  lastStartedAt: number | null;
  lastFinishedAt: number | null;
  lastError: string | null;
  nextRunAt: number | null;
  running: boolean;
  runs: number;
}

export interface Scheduler {
  readonly state: Readonly<ScheduleState>;
  stop(): void;
  /** Resolves when the scheduler is stopped and no run is in progress. */
  stopped: Promise<void>;
}

/**
 * Runs `job` now and then every `everyMs` after the previous run started (or at once when it ran
 * longer). Errors are recorded in `state.lastError` and passed to `onError`; the schedule goes on.
 */
export function schedule(
  everyMs: number,
  job: () => Promise<void>,
  deps: {
    clock: () => number;
    setTimer: (fn: () => void, ms: number) => unknown;
    clearTimer: (t: unknown) => void;
    onError?: (e: unknown) => void;
  },
): Scheduler {
  const state: ScheduleState = { lastStartedAt: null, lastFinishedAt: null, lastError: null, nextRunAt: null, running: false, runs: 0 };
  let timer: unknown = null;
  let stopping = false;
  let resolveStopped: () => void = () => undefined;
  const stopped = new Promise<void>((r) => (resolveStopped = r));

  const run = async (): Promise<void> => {
    timer = null;
    if (stopping) return;
    state.running = true;
    state.lastStartedAt = deps.clock();
    state.nextRunAt = null;
    try {
      await job();
      state.lastError = null;
    } catch (e) {
      state.lastError = e instanceof StewardError ? e.describe() : String((e as Error)?.message ?? e);
      deps.onError?.(e);
    } finally {
      state.running = false;
      state.runs += 1;
      state.lastFinishedAt = deps.clock();
    }
    if (stopping) {
      resolveStopped();
      return;
    }
    const wait = Math.max(0, state.lastStartedAt + everyMs - deps.clock());
    state.nextRunAt = deps.clock() + wait;
    timer = deps.setTimer(() => void run(), wait);
  };
  timer = deps.setTimer(() => void run(), 0);
  state.nextRunAt = deps.clock();
  return {
    state,
    stopped,
    stop() {
      stopping = true;
      if (timer !== null) deps.clearTimer(timer);
      timer = null;
      state.nextRunAt = null;
      if (!state.running) resolveStopped();
    },
  };
}
