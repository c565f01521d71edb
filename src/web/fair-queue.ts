/**
 * The fair queue of `steward serve`: the expensive work (computing a report the view cache does not
 * hold) waits here, per client, so one reader asking for many uncached views cannot make everyone
 * else wait behind them. Cached answers never enter it (reports.ts asks the queue only on a miss).
 *
 * - At most `concurrency` computations run at once (the compute threads' number).
 * - Each client (the signed-in user, else the remote address) may have at most `perClient`
 *   computations running or waiting; one more is refused at once with SERVER_BUSY (HTTP 503 with
 *   `Retry-After: retryAfterSeconds`). So is any request once `maxWaiting` are waiting in all.
 * - When a slot frees, the next computation comes from the next client in turn (round robin over
 *   the clients with work waiting, each client's own in the order asked): a client with one request
 *   waits behind at most one computation of each other client, however many those have asked for.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { StewardError } from '../model/errors.js';

export interface FairQueueOptions {
  /** Computations running at once, over all clients (at least 1). */
  concurrency: number;
  /** Computations one client may have running or waiting (at least 1). */
  perClient: number;
  /** Computations waiting (not yet running) over all clients (at least 1). */
  maxWaiting: number;
  /** What a refused request is told to wait before trying again (the Retry-After header), in seconds. */
  retryAfterSeconds: number;
}

export const DEFAULT_QUEUE: Omit<FairQueueOptions, 'concurrency'> = { perClient: 4, maxWaiting: 64, retryAfterSeconds: 10 };

/** A refusal: the client (or the whole queue) is at its limit. */
export class QueueFullError extends StewardError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super('SERVER_BUSY', message, {
      hint: `Try again in ${retryAfterSeconds} s; views already computed are served meanwhile (docs/web.md, "The fair queue").`,
    });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

interface Job {
  client: string;
  run: () => void;
}

export interface FairQueueStats {
  running: number;
  waiting: number;
  /** Running or waiting, per client. */
  clients: Record<string, number>;
}

export class FairQueue {
  readonly options: FairQueueOptions;
  #running = 0;
  #waiting = 0;
  /** Each client's waiting jobs, in order (the map in the order the clients began waiting). */
  readonly #queues = new Map<string, Job[]>();
  /** When each client's work last started (a turn number); forgotten when the client holds nothing. */
  readonly #servedAt = new Map<string, number>();
  #turn = 0;
  /** Running or waiting, per client. */
  readonly #held = new Map<string, number>();

  constructor(o: FairQueueOptions) {
    const whole = (n: number) => Math.max(1, Math.floor(n));
    this.options = {
      concurrency: whole(o.concurrency),
      perClient: whole(o.perClient),
      maxWaiting: whole(o.maxWaiting),
      retryAfterSeconds: whole(o.retryAfterSeconds),
    };
  }

  /** Runs `work` for `client` when its turn comes; refuses at once (QueueFullError) beyond the limits. */
  run<T>(client: string, work: () => Promise<T>): Promise<T> {
    const held = this.#held.get(client) ?? 0;
    const { perClient, maxWaiting, retryAfterSeconds, concurrency } = this.options;
    if (held >= perClient)
      return Promise.reject(
        new QueueFullError(
          `too many reports being computed for this client (${held} running or waiting, at most ${perClient})`,
          retryAfterSeconds,
        ),
      );
    const startsNow = this.#running < concurrency && this.#waiting === 0;
    if (!startsNow && this.#waiting >= maxWaiting)
      return Promise.reject(
        new QueueFullError(`the server is busy (${this.#waiting} reports waiting, at most ${maxWaiting})`, retryAfterSeconds),
      );
    this.#held.set(client, held + 1);
    return new Promise<T>((resolve, reject) => {
      const job: Job = {
        client,
        run: () => {
          this.#running++;
          this.#servedAt.set(client, ++this.#turn);
          let p: Promise<T>;
          try {
            p = work();
          } catch (e) {
            p = Promise.reject(e);
          }
          p.then(resolve, reject).finally(() => {
            this.#running--;
            const h = (this.#held.get(client) ?? 1) - 1;
            if (h > 0) this.#held.set(client, h);
            else {
              this.#held.delete(client);
              this.#servedAt.delete(client);
            }
            this.#next();
          });
        },
      };
      if (startsNow) job.run();
      else {
        const q = this.#queues.get(client);
        if (q) q.push(job);
        else this.#queues.set(client, [job]);
        this.#waiting++;
      }
    });
  }

  stats(): FairQueueStats {
    return { running: this.#running, waiting: this.#waiting, clients: Object.fromEntries(this.#held) };
  }

  #next(): void {
    while (this.#running < this.options.concurrency && this.#waiting > 0) {
      // The client served longest ago (or never) goes first; among equals, the one waiting longest.
      let client = '';
      let at = Infinity;
      for (const c of this.#queues.keys()) {
        const t = this.#servedAt.get(c) ?? 0;
        if (t < at) [client, at] = [c, t];
      }
      const q = this.#queues.get(client)!;
      const job = q.shift()!;
      if (q.length === 0) this.#queues.delete(client);
      this.#waiting--;
      job.run();
    }
  }
}

/**
 * Who the current request is from, for the queue: set per request by buildApp (the signed-in user
 * when there is one, else the remote address); work started outside a request is the server's own.
 */
export const requestClient = new AsyncLocalStorage<() => string>();

export function currentClient(): string {
  return requestClient.getStore()?.() ?? 'server';
}
