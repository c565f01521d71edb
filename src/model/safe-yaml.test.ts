import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isStewardError, type StewardError } from './errors.js';
import { loadYamlSafely, type SafeYamlOptions } from './safe-yaml.js';

const OPTS: SafeYamlOptions = {
  where: 'x.yaml',
  code: 'INPUT_FORMAT',
  maxDepth: 4,
  maxAliases: 10,
  depthNeeds: 'x needs two',
  aliasHint: 'write it out',
};

function failure(text: string, o: Partial<SafeYamlOptions> = {}): StewardError {
  try {
    loadYamlSafely(text, { ...OPTS, ...o });
  } catch (e) {
    assert.ok(isStewardError(e), `expected a StewardError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected an error');
}

describe('loadYamlSafely: the one safe YAML reader (steward.yaml and advisory files)', () => {
  it('reads a document with the core schema by default, and keeps every scalar as text with failsafe', () => {
    assert.deepEqual(loadYamlSafely('a: [1, true]\nb: 2014.10\n', OPTS).value, { a: [1, true], b: 2014.1 });
    assert.deepEqual(loadYamlSafely('a: [1, true]\nb: 2014.10\n', { ...OPTS, schema: 'failsafe' }).value, {
      a: ['1', 'true'],
      b: '2014.10',
    });
    assert.equal(loadYamlSafely('', OPTS).value, undefined);
  });

  it('refuses nesting deeper than the limit before composing, with the line and the caller’s code', () => {
    const e = failure('a:\n  b:\n    c:\n      d:\n        e:\n          f: 1\n');
    assert.equal(e.code, 'INPUT_FORMAT');
    assert.match(e.message, /nest more than 4 levels deep; x needs two/);
    assert.equal(e.details.where, 'x.yaml');
    assert.equal(typeof e.details.line, 'number');
    assert.equal(failure('['.repeat(5000), { code: 'CONFIG' }).code, 'CONFIG');
  });

  it('refuses an alias bomb, duplicate keys, several documents and bad syntax', () => {
    const bomb = ['a: &a [x, x, x, x]', 'b: &b [*a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b]', 'd: [*c, *c, *c, *c]'].join('\n');
    const e = failure(bomb);
    assert.match(e.message, /aliases expand too many times \(more than 10 nodes\)/);
    assert.equal(e.details.hint, 'write it out');
    assert.match(failure('a: 1\na: 2\n').message, /not valid YAML/);
    assert.match(failure('a: 1\n---\nb: 2\n', { oneDocument: 'a file holds one' }).message, /several YAML documents; a file holds one/);
    const syntax = failure('a: [1, 2\nb: 3\n');
    assert.match(syntax.message, /not valid YAML/);
    assert.equal(typeof syntax.details.line, 'number');
  });
});
