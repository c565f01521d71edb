import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { ERROR_CODES } from '../../src/model/errors.js';

it('every error code is documented in docs/errors.md with its exit code, and nothing else is', () => {
  const section = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  const documented = new Map([...section.matchAll(/^\| `([A-Z_]+)` \| (\d+) \|/gm)].map((m) => [m[1]!, Number(m[2])]));
  const actual = new Map(Object.entries(ERROR_CODES).map(([k, v]) => [k, v.exit]));
  assert.deepEqual([...documented.entries()].sort(), [...actual.entries()].sort());
  assert.equal(new Set(actual.values()).size, actual.size, 'exit codes are distinct');
});
