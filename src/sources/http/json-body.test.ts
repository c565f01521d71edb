import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bodyText, decodeJsonBytes } from './json-body.js';

const encode = (text: string) => new TextEncoder().encode(text);
const whole = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('bodyText', () => {
  it('decodes a body larger than one piece as TextDecoder does, characters of 2, 3 and 4 bytes across every cut', () => {
    // 1 + 2 + 3 + 4 bytes repeated: some character straddles each 512 KiB cut.
    const text = 'aé€😀'.repeat(200_000);
    const bytes = encode(text);
    assert.ok(bytes.byteLength > 3 * 512 * 1024);
    assert.equal(bodyText(bytes), text);
  });

  it('drops a leading byte order mark only, as TextDecoder does', () => {
    const mid = 'x'.repeat(512 * 1024 - 1);
    const bytes = encode(`\uFEFF${mid}\uFEFF[1]`);
    const out = bodyText(bytes);
    assert.equal(out, whole(bytes));
    assert.equal(out, `${mid}\uFEFF[1]`);
  });

  it('replaces invalid bytes as TextDecoder does, across a cut', () => {
    const bytes = new Uint8Array(512 * 1024 + 10).fill(0x61);
    bytes.set([0xe2, 0x82], 512 * 1024 - 1); // a cut-short three-byte sequence at the cut
    bytes.set([0x80, 0x80, 0xff], 512 * 1024 + 3); // stray continuation bytes and an invalid byte
    assert.equal(bodyText(bytes), whole(bytes));
  });

  it('parses a large body as JSON', () => {
    const value = Array.from({ length: 20_000 }, (_, i) => ({ n: i, s: `ünïcode ${i}`.repeat(3) }));
    const decoded = decodeJsonBytes(encode(`)]}'\n${JSON.stringify(value)}`), ")]}'");
    assert.deepEqual(decoded, { ok: true, value });
  });
});
