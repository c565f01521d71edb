/**
 * Reused buffers for response bodies, one pool per thread: the HTTP client (json-http-client.ts)
 * reads each body into one of them instead of a new `ArrayBuffer` per response, and whoever the
 * bytes were moved to (the page parser's worker, rest-page-parser.ts) moves them back and returns
 * them here. A sync reads a ~12 MB page after another; a new buffer for each, freed on another
 * thread, left glibc's malloc arenas holding ~150 MB of freed bodies at the sync's peak
 * (docs/benchmarks.md, sync). A buffer moved between threads keeps its memory, so the few buffers
 * in use are allocated once, at the size of the largest page.
 */

/** Buffers kept for reuse at most: one per request in flight and one with the parser is plenty. */
const KEPT = 4;
/** The smallest buffer allocated (most bodies other than pages fit). */
const MIN_BYTES = 64 * 1024;

export class BodyBuffers {
  readonly #free: ArrayBuffer[] = [];

  /** A buffer of at least `bytes` (a kept one when one is large enough), for the caller to fill. */
  take(bytes: number): ArrayBuffer {
    // The largest kept buffer: they all grow to the largest body.
    let best = -1;
    for (let i = 0; i < this.#free.length; i++) {
      if (best === -1 || this.#free[i]!.byteLength > this.#free[best]!.byteLength) best = i;
    }
    if (best !== -1) {
      const [buffer] = this.#free.splice(best, 1);
      if (buffer!.byteLength >= bytes) return buffer!;
    }
    return new ArrayBuffer(Math.max(bytes, MIN_BYTES));
  }

  /**
   * `buffer` with room for `needed` bytes, its first `used` bytes kept: itself when it is large
   * enough, else a larger one (half as large again, to grow in few steps when the size is unknown).
   */
  grow(buffer: ArrayBuffer, used: number, needed: number): ArrayBuffer {
    if (needed <= buffer.byteLength) return buffer;
    const larger = new ArrayBuffer(Math.max(needed, Math.ceil(buffer.byteLength * 1.5)));
    new Uint8Array(larger).set(new Uint8Array(buffer, 0, used));
    return larger;
  }

  /** Returns a buffer for reuse; one moved elsewhere since (detached) or one too many is dropped. */
  give(buffer: ArrayBuffer): void {
    if (buffer.byteLength === 0 || this.#free.length >= KEPT || this.#free.includes(buffer)) return;
    this.#free.push(buffer);
  }
}

/** This thread's pool. */
export const bodyBuffers = new BodyBuffers();

/**
 * Reads a response's body into a buffer of `pool` (sized from Content-Length when given). The
 * bytes are `body`'s first `byteLength`; give `body.buffer` back when done with them. Rejects as
 * `response.arrayBuffer()` would, with the body stream's error.
 */
export async function readBody(response: Response, pool: BodyBuffers): Promise<Uint8Array> {
  const stream = response.body;
  if (!stream) return new Uint8Array(0);
  const declared = Number(response.headers.get('content-length'));
  // Only a hint: a compressed body is longer once decoded; a larger one than 1 GB is grown to.
  let buffer = pool.take(Number.isSafeInteger(declared) && declared > 0 ? Math.min(declared, 2 ** 30) : 0);
  let used = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer = pool.grow(buffer, used, used + value.byteLength);
    new Uint8Array(buffer).set(value, used);
    used += value.byteLength;
  }
  return new Uint8Array(buffer, 0, used);
}
