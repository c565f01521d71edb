/**
 * The web's view cache: a report's JSON view computed once and served to every request asking for
 * the same report with the same parameters, until the store's data changes.
 *
 * Key: (report, normalised parameters). Each entry remembers the store data version it was computed
 * at (store/data-version.ts) and when. A request is served from the entry when
 * - the data version is still the same (any committed import, sync or edit, from this process or
 *   another, changes it), and
 * - for a view whose window ends "now" (no explicit `now` in the URL): the entry is younger than
 *   `liveTtlMs`; an older one is still served while one refresh runs in the background, so such a
 *   view is at most `liveTtlMs` plus one computation behind the clock.
 * A view with an explicit `now` depends on the data only and lives until the data changes (or is
 * evicted: the cache keeps the `maxEntries` most recently used).
 *
 * Single flight: concurrent requests for an entry that is missing or stale wait for one computation.
 * A computation that fails is not cached; everyone waiting gets its error.
 */
import { gzipSync } from 'node:zlib';

export interface ViewCacheOptions {
  /** The store's data version now (store/data-version.ts). */
  version: () => string;
  clock: () => number;
  /** How long a "now"-relative view is served before it is refreshed (default 60 s). */
  liveTtlMs?: number;
  /** Most entries kept (default 200), least recently used evicted first. */
  maxEntries?: number;
}

export interface CachedView<T> {
  value: T;
  /** The view serialised as JSON (UTF-8), made once per entry and sent as is. */
  body: Buffer;
  /** The same, gzip-compressed (made on first use, then kept with the entry). */
  gzipped(): Buffer;
  version: string;
  /** When the computation started: the view's "now" for a live view. */
  computedAt: number;
  /** How the request was served: hit, miss (computed for it), shared (waited on another's computation), stale (served while refreshing). */
  served: 'hit' | 'miss' | 'shared' | 'stale';
}

interface Entry {
  value: unknown;
  body: Buffer;
  gzip?: Buffer;
  version: string;
  computedAt: number;
}

interface Flight {
  version: string;
  promise: Promise<Entry>;
}

export interface ViewCacheStats {
  hits: number;
  misses: number;
  shared: number;
  stale: number;
  entries: number;
}

export class ViewCache {
  readonly #version: () => string;
  readonly #clock: () => number;
  readonly #ttl: number;
  readonly #max: number;
  readonly #entries = new Map<string, Entry>();
  readonly #flights = new Map<string, Flight>();
  readonly #stats = { hits: 0, misses: 0, shared: 0, stale: 0 };

  constructor(o: ViewCacheOptions) {
    this.#version = o.version;
    this.#clock = o.clock;
    this.#ttl = o.liveTtlMs ?? 60_000;
    this.#max = o.maxEntries ?? 200;
  }

  /**
   * The view `report` with `params`, from the cache or computed by `compute(now)`. `live` says the
   * view's window ends at the current time (no explicit `now`); `compute` then gets the time to use.
   */
  async get<T>(
    report: string,
    params: Record<string, unknown>,
    live: boolean,
    compute: (now: number) => Promise<T>,
  ): Promise<CachedView<T>> {
    const key = cacheKey(report, params);
    const version = this.#version();
    const entry = this.#entries.get(key);
    if (entry && entry.version === version) {
      const fresh = !live || this.#clock() - entry.computedAt < this.#ttl;
      this.#touch(key, entry);
      if (fresh) {
        this.#stats.hits++;
        return view<T>(entry, 'hit');
      }
      // Old only by the clock: serve it while one refresh runs.
      this.#stats.stale++;
      this.#start(key, version, compute).catch(() => undefined);
      return view<T>(entry, 'stale');
    }
    const flight = this.#flights.get(key);
    if (flight && flight.version === version) {
      this.#stats.shared++;
      return view<T>(await flight.promise, 'shared');
    }
    this.#stats.misses++;
    return view<T>(await this.#start(key, version, compute), 'miss');
  }

  /** Drops every entry (the next requests compute again). */
  clear(): void {
    this.#entries.clear();
  }

  stats(): ViewCacheStats {
    return { ...this.#stats, entries: this.#entries.size };
  }

  #start(key: string, version: string, compute: (now: number) => Promise<unknown>): Promise<Entry> {
    const running = this.#flights.get(key);
    if (running && running.version === version) return running.promise;
    const computedAt = this.#clock();
    const flight: Flight = { version, promise: Promise.resolve(null as unknown as Entry) };
    flight.promise = (async () => {
      try {
        const value = await compute(computedAt);
        const e: Entry = { value, body: Buffer.from(JSON.stringify(value)), version, computedAt };
        const current = this.#entries.get(key);
        // Never replace a newer entry (one computed at a later version or time) with this one.
        if (!current || current.version !== version || current.computedAt <= computedAt) this.#touch(key, e);
        return e;
      } finally {
        if (this.#flights.get(key) === flight) this.#flights.delete(key);
      }
    })();
    this.#flights.set(key, flight);
    return flight.promise;
  }

  #touch(key: string, e: Entry): void {
    this.#entries.delete(key);
    this.#entries.set(key, e);
    while (this.#entries.size > this.#max) this.#entries.delete(this.#entries.keys().next().value!);
  }
}

function view<T>(e: Entry, served: CachedView<T>['served']): CachedView<T> {
  return {
    value: e.value as T,
    body: e.body,
    gzipped: () => (e.gzip ??= gzipSync(e.body, { level: 6 })),
    version: e.version,
    computedAt: e.computedAt,
    served,
  };
}

/**
 * The normalised key: the report and its parameters with keys sorted, absent and empty values
 * dropped and lists sorted, so `?project=b&project=a` and `?project=a&project=b` share an entry.
 */
export function cacheKey(report: string, params: Record<string, unknown>): string {
  const norm: Array<[string, unknown]> = [];
  for (const k of Object.keys(params).sort()) {
    const v = params[k];
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    norm.push([k, Array.isArray(v) ? [...v].map(String).sort() : v]);
  }
  return `${report}?${JSON.stringify(norm)}`;
}
