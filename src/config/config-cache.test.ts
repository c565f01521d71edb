import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadConfigCached, MAX_ENTRIES, parseConfigCached } from './config-cache.js';
import { emptyConfig } from './config-schema.js';
import { loadConfig, parseConfig } from './load-config.js';

const root = mkdtempSync(join(tmpdir(), 'steward-config-cache-'));
after(() => rmSync(root, { recursive: true, force: true }));

const config = (core: string) => `
hosts:
  - name: r.example
    url: https://r.example
projects:
  - name: openstack/nova
    host: r.example
    core:
      members: [${core}]
bots: [zuul]
releases:
  - name: kilo
    start: 2014-10-16
    featureFreeze: 2015-03-19
    release: "2015-04-30"
`;

describe('the cache of validated configurations', () => {
  it('gives what the loader gives, parsing once for the same text and again when the text changes', async () => {
    const dir = join(root, 'a-cache');
    const file = join(root, 'a.yaml');
    writeFileSync(file, config('alice, bob'));
    let parses = 0;
    const parse = (text: string) => async () => {
      parses++;
      return parseConfig(text, file);
    };
    const first = await parseConfigCached(dir, file, config('alice, bob'), parse(config('alice, bob')));
    const second = await parseConfigCached(dir, file, config('alice, bob'), parse(config('alice, bob')));
    assert.equal(parses, 1);
    assert.deepEqual(second, first);
    assert.deepEqual(second, loadConfig(file, root).config);
    // One entry per location, readable by its owner only, in a folder only they can open.
    const entries = readdirSync(dir);
    assert.equal(entries.length, 1);
    assert.equal(statSync(join(dir, entries[0]!)).mode & 0o777, 0o600);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    const changed = await parseConfigCached(dir, file, config('carol'), parse(config('carol')));
    assert.equal(parses, 2);
    assert.deepEqual(changed.projects[0]!.core?.members, ['carol']);
    // No folder: no cache.
    await parseConfigCached(null, file, config('carol'), parse(config('carol')));
    await parseConfigCached(null, file, config('carol'), parse(config('carol')));
    assert.equal(parses, 4);
  });

  it('loads a file as loadConfig does, and sees a change of the file or of a file it names', async () => {
    const dir = join(root, 'b-cache');
    const folder = join(root, 'b');
    mkdirSync(join(folder, 'projects'), { recursive: true });
    const file = join(folder, 'steward.yaml');
    const team = (members: string[]) =>
      writeFileSync(
        join(folder, 'projects', 'nova.json'),
        JSON.stringify({ name: 'nova', subprojects: ['openstack/nova'], 'core-team': members }),
      );
    team(['a', 'b']);
    writeFileSync(
      file,
      'hosts:\n  - name: r.example\n    url: https://r.example\nteams:\n  - reviewstats: projects/nova.json\n    host: r.example\n',
    );
    const fresh = loadConfig(file, folder);
    const miss = await loadConfigCached(file, folder, dir);
    const hit = await loadConfigCached(undefined, folder, dir);
    assert.deepEqual(miss, fresh);
    assert.deepEqual(hit, fresh);
    // The named file changes, the configuration does not: the entry is not used.
    team(['c']);
    const after = await loadConfigCached(file, folder, dir);
    assert.deepEqual(after.config.projects[0]!.core?.members, ['c']);
    assert.deepEqual(after, loadConfig(file, folder));
  });

  it('caches neither errors nor missing files, and gives the defaults without a file', async () => {
    const dir = join(root, 'c-cache');
    const file = join(root, 'c.yaml');
    writeFileSync(file, 'projects:\n  - name: x\n    colour: red\n');
    const expected = (() => {
      try {
        loadConfig(file, root);
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    })();
    assert.match(expected, /unknown key `colour`/);
    for (let i = 0; i < 2; i++) await assert.rejects(loadConfigCached(file, root, dir), (e: Error) => e.message === expected);
    await assert.rejects(loadConfigCached(join(root, 'none.yaml'), root, dir), /cannot read the configuration file: no such file/);
    const empty = join(root, 'empty-folder');
    mkdirSync(empty);
    for (let i = 0; i < 2; i++) assert.deepEqual(await loadConfigCached(undefined, empty, dir), { config: emptyConfig(), path: null });
  });

  it('keeps at most MAX_ENTRIES entries, dropping the least recently written', async () => {
    const dir = join(root, 'd-cache');
    const text = config('alice');
    for (let i = 0; i < MAX_ENTRIES + 5; i++)
      await parseConfigCached(dir, join(root, `d${i}.yaml`), text, async () => parseConfig(text, 'd.yaml'));
    assert.equal(readdirSync(dir).length, MAX_ENTRIES);
  });

  it('does not read an entry others can write', async () => {
    const dir = join(root, 'e-cache');
    const file = join(root, 'e.yaml');
    let parses = 0;
    const parse = async () => {
      parses++;
      return parseConfig(config('alice'), file);
    };
    await parseConfigCached(dir, file, config('alice'), parse);
    const entry = join(dir, readdirSync(dir)[0]!);
    chmodSync(entry, 0o666);
    await parseConfigCached(dir, file, config('alice'), parse);
    assert.equal(parses, 2);
    // Written again, its own way.
    assert.equal(statSync(entry).mode & 0o777, 0o600);
    await parseConfigCached(dir, file, config('alice'), parse);
    assert.equal(parses, 2);
  });
});
