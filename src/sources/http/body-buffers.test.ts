import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BodyBuffers, readBody } from './body-buffers.js';

/** A response whose body arrives as `chunks`, with Content-Length only when `declared` is given. */
function chunked(chunks: string[], declared?: number): Response {
  const bytes = chunks.map((c) => new TextEncoder().encode(c));
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = bytes.shift();
      if (next) controller.enqueue(next);
      else controller.close();
    },
  });
  const headers: Record<string, string> = declared === undefined ? {} : { 'content-length': String(declared) };
  return new Response(stream, { headers });
}

const text = (body: Uint8Array) => new TextDecoder().decode(body);

describe('body buffers', () => {
  it('reads a body in chunks, growing past the declared length, and reuses the buffer for the next body', async () => {
    const pool = new BodyBuffers();
    const big = 'x'.repeat(70_000);
    // Declared shorter than it is (as a compressed body's length is): the buffer grows.
    const first = await readBody(chunked([big, big, '!'], 10), pool);
    assert.equal(first.byteLength, 140_001);
    assert.equal(first.byteOffset, 0);
    assert.equal(text(first), `${big}${big}!`);
    const buffer = first.buffer;
    assert.ok(buffer.byteLength >= 140_001);
    pool.give(buffer as ArrayBuffer);
    const second = await readBody(chunked(['[1,', '2]']), pool);
    assert.equal(second.buffer, buffer, 'the kept buffer, not a new one');
    assert.equal(text(second), '[1,2]');
    assert.equal(second.byteLength, 5);
  });

  it('reads an empty or absent body as no bytes', async () => {
    const pool = new BodyBuffers();
    assert.equal((await readBody(new Response(null), pool)).byteLength, 0);
    assert.equal((await readBody(chunked([]), pool)).byteLength, 0);
  });

  it('rejects with the body stream’s error', async () => {
    const failing = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('[1,'));
        controller.error(new Error('connection reset'));
      },
    });
    await assert.rejects(readBody(new Response(failing), new BodyBuffers()), /connection reset/);
  });

  it('takes a larger buffer than the kept ones when asked for more, and drops moved (detached) buffers', () => {
    const pool = new BodyBuffers();
    const small = pool.take(100_000);
    assert.ok(small.byteLength >= 100_000);
    pool.give(small);
    const large = pool.take(300_000);
    assert.notEqual(large, small);
    assert.ok(large.byteLength >= 300_000);
    const moved = pool.take(1000);
    structuredClone(moved, { transfer: [moved] });
    pool.give(moved);
    pool.give(large);
    assert.equal(pool.take(1), large, 'the detached buffer was not kept');
  });

  it('keeps at most four buffers', () => {
    const pool = new BodyBuffers();
    const given = Array.from({ length: 6 }, () => new ArrayBuffer(1000));
    for (const b of given) pool.give(b);
    const taken = Array.from({ length: 6 }, () => pool.take(1000));
    assert.equal(taken.filter((b) => given.includes(b)).length, 4);
  });
});
