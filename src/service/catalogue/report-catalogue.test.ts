import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StewardError } from '../../model/errors.js';
import { CLI_SURFACE, WEB_SURFACE, int, names, paramSchema, time, webOnly } from './param-schema.js';
import { CATALOGUE, REPORTS } from './report-catalogue.js';

describe('parameter schema', () => {
  const schema = paramSchema({ project: names('p'), waitingMore: int('w', 100, '<days>'), since: webOnly(time('s')) });

  it('takes the same input from the command line and from a validated query', () => {
    assert.deepEqual(schema.fromCli({ project: ['a'], waitingMore: '7', format: 'json', db: 'x.db' }), {
      project: ['a'],
      waitingMore: '7',
    });
    assert.deepEqual(schema.fromWeb({ project: ['a'], waitingMore: 7, sort: 'name' }), { project: ['a'], waitingMore: '7' });
  });

  it('keeps a web-only parameter off the command line, and gives the web its querystring schema', () => {
    assert.deepEqual(schema.fromCli({ since: '2026-01-01' }), {});
    assert.deepEqual(schema.fromWeb({ since: '2026-01-01' }), { since: '2026-01-01' });
    const q = schema.querystring();
    assert.deepEqual(Object.keys(q.properties), ['project', 'waitingMore', 'since']);
    assert.deepEqual(q.properties.waitingMore, { type: 'integer', minimum: 1, maximum: 100 });
    assert.deepEqual(Object.keys(schema.querystring(['project']).properties), ['project']);
  });

  it('refuses an input of the wrong shape, naming the parameter', () => {
    assert.throws(
      () => schema.fromCli({ project: 'a' }),
      (e: unknown) => e instanceof StewardError && e.code === 'USAGE' && /^project: /.test(e.message),
    );
  });

  it('spells parameters the way each caller does', () => {
    assert.equal(CLI_SURFACE.name('waitingMore'), '--waiting-more');
    assert.equal(WEB_SURFACE.name('waitingMore'), 'waitingMore');
    assert.equal(CLI_SURFACE.setting('compat', 'reviewstats'), '--compat reviewstats');
    assert.equal(WEB_SURFACE.setting('compat', 'reviewstats'), 'compat=reviewstats');
  });
});

describe('the report catalogue', () => {
  it('names each entry by its key, and gives every command a text form', () => {
    for (const [key, entry] of Object.entries(CATALOGUE)) {
      assert.equal(entry.name, key);
      if (entry.cli) assert.ok(entry.render, `${key} has a command but no renderer`);
    }
  });

  it("applies a rule between options with the caller's names", () => {
    const input = { compat: 'reviewstats', trivial: true };
    assert.throws(() => REPORTS.queue.check!(input, CLI_SURFACE), { message: 'give either --compat reviewstats or --trivial, not both' });
    assert.throws(() => REPORTS.queue.check!(input, WEB_SURFACE), { message: 'give either compat=reviewstats or trivial, not both' });
    const window = { compat: 'reviewstats', since: '2026-01-01' };
    assert.throws(() => REPORTS.reviewers.check!(window, CLI_SURFACE), {
      message:
        '--compat reviewstats counts from now − N days with no upper bound: give --days N (and --now T to replay), not --since/--until',
    });
    assert.throws(() => REPORTS.reviewers.check!(window, WEB_SURFACE), {
      message: 'compat=reviewstats counts from now − N days with no upper bound: give days (and now to replay), not since/until',
    });
  });
});

describe('options a report does not use', () => {
  const refused = (f: () => void, re: RegExp) =>
    assert.throws(f, (e: unknown) => e instanceof StewardError && e.code === 'USAGE' && re.test(e.message));

  it('are refused, not ignored, naming the option they need, in each caller spelling', () => {
    const queue = REPORTS.queue;
    refused(
      () => queue.check!(queue.params.fromCli({ days: '30' }), CLI_SURFACE),
      /^--days is used only with --trivial: give --trivial too, or leave --days out$/,
    );
    refused(() => queue.check!(queue.params.fromWeb({ days: 30 }), WEB_SURFACE), /^days is used only with trivial/);
    refused(() => queue.check!(queue.params.fromCli({ waitingMore: '14' }), CLI_SURFACE), /--waiting-more is used only with --compat/);
    refused(() => queue.check!(queue.params.fromCli({ stable: true }), CLI_SURFACE), /--stable is used only with --compat/);
    // With what they need, they are taken.
    queue.check!(queue.params.fromCli({ days: '30', trivial: true }), CLI_SURFACE);
    queue.check!(queue.params.fromCli({ waitingMore: '14', compat: 'reviewstats' }), CLI_SURFACE);
  });

  it('every catalogue entry checks them (defineReport adds the rule)', () => {
    for (const [name, entry] of Object.entries(CATALOGUE)) assert.equal(typeof entry.check, 'function', name);
  });
});
