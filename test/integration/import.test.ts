/**
 * `steward import` end to end on the demo project's export files: both formats, both engines,
 * idempotency, and every kind of bad input.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeRestExport, writeSshExport } from '../../src/demo/demo-export.js';
import { importFiles } from '../../src/ingest/import-files.js';
import { dumpStore, type StoreDump } from '../../src/store/dump.js';
import { openStore } from '../../src/store/open-store.js';
import { runSteward } from '../helpers/cli.js';
import { ENGINES, freshLocation } from '../helpers/stores.js';

const NOW = Date.UTC(2026, 10, 1);
const DEMO = { seed: 11, changes: 200, months: 3, now: NOW };
const HOST = 'review.example.org';
let dir: string;
let rest: string;
let ssh: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'steward-import-'));
  rest = join(dir, 'rest.json');
  ssh = join(dir, 'ssh.json');
  await writeRestExport(DEMO, rest, { pageSize: 50 });
  await writeSshExport(DEMO, ssh);
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function importInto(location: string, files: string[], extra: string[] = []) {
  return runSteward(['import', ...files, '--db', location, '--host', HOST, ...extra], { cwd: dir });
}

async function dumpOf(location: string): Promise<StoreDump> {
  const s = await openStore(location);
  try {
    return await dumpStore(s);
  } finally {
    await s.close();
  }
}

/** Rewrites account keys to usernames so REST (ids) and SSH (usernames) stores compare. */
function byUsername(d: StoreDump): (key: unknown) => unknown {
  const names = new Map<string, string>();
  for (const a of d.accounts!) {
    const key = `${a.host}/${a.gerrit_id != null ? `id:${a.gerrit_id}` : a.username ? `user:${a.username}` : a.email ? `email:${a.email}` : `name:${a.name}`}`;
    names.set(key, String(a.username ?? a.email ?? a.name));
  }
  return (k) => (typeof k === 'string' ? (names.get(k) ?? k) : k);
}

const sortRows = <T>(rows: T[]): T[] =>
  rows
    .map((r) => JSON.stringify(r))
    .sort()
    .map((s) => JSON.parse(s) as T);

describe('import of the demo exports', () => {
  // The REST export imported into a new SQLite store, as each of the three tests below began (the
  // same command each time): made once for them. The first dumps it, the second imports it again,
  // the third reads what the import printed.
  let a: { location: string; cleanup: () => Promise<void> };
  let ra: Awaited<ReturnType<typeof importInto>>;
  before(async () => {
    a = await freshLocation('sqlite');
    ra = await importInto(a.location, [rest]);
  });
  after(async () => a?.cleanup());

  it('REST and SSH give the same changes, patch sets, messages, CI builds and final votes', async () => {
    const b = await freshLocation('sqlite');
    try {
      const rb = await importInto(b.location, [ssh]);
      assert.equal(ra.code, 0, ra.stderr);
      assert.equal(rb.code, 0, rb.stderr);
      const da = await dumpOf(a.location);
      const db = await dumpOf(b.location);
      const ua = byUsername(da);
      const ub = byUsername(db);
      assert.equal(da.changes!.length, DEMO.changes);

      const changes = (d: StoreDump, u: (k: unknown) => unknown) =>
        sortRows(d.changes!.map(({ source_format: _f, content_hash: _h, owner, ...c }) => ({ ...c, owner: u(owner) })));
      assert.deepEqual(changes(db, ub), changes(da, ua));

      const ps = (d: StoreDump, u: (k: unknown) => unknown) =>
        sortRows(d.patch_sets!.map(({ uploader, author_date: _ad, ...p }) => ({ ...p, uploader: u(uploader) })));
      assert.deepEqual(ps(db, ub), ps(da, ua));

      const msgs = (d: StoreDump, u: (k: unknown) => unknown) =>
        sortRows(d.messages!.map(({ author, tag: _t, ...m }) => ({ ...m, author: u(author) })));
      assert.deepEqual(msgs(db, ub), msgs(da, ua));

      const builds = (d: StoreDump, u: (k: unknown) => unknown) =>
        sortRows(d.ci_builds!.map(({ reporter, ...x }) => ({ ...x, reporter: u(reporter) })));
      assert.deepEqual(builds(db, ub), builds(da, ua));
      assert.ok(da.ci_builds!.length > DEMO.changes, 'the demo has CI builds');

      assert.deepEqual(sortRows(db.links!), sortRows(da.links!));
      assert.deepEqual(sortRows(db.change_files!), sortRows(da.change_files!));

      // Final vote per (change, patch set, label, voter), wherever both formats carry it.
      const finals = (d: StoreDump, u: (k: unknown) => unknown) => {
        const m = new Map<string, unknown>();
        const rows = [...d.votes!].sort((x, y) => Number(x.granted_at) - Number(y.granted_at));
        for (const v of rows) m.set(`${v.change}|${v.patch_set}|${v.label}|${u(v.voter)}`, v.value);
        return m;
      };
      const fa = finals(da, ua);
      const fb = finals(db, ub);
      let shared = 0;
      for (const [k, v] of fa) {
        if (!fb.has(k)) continue;
        shared += 1;
        assert.equal(fb.get(k), v, `final vote ${k}`);
      }
      assert.ok(shared > DEMO.changes, `compared ${shared} final votes`);
      // What only one format carries: SSH lists copied votes on rebased patch sets.
      assert.ok(
        db.votes!.some((v) => v.copied === 1),
        'SSH data has copied votes',
      );
    } finally {
      await b.cleanup();
    }
  });

  it('re-import changes nothing and says so', async () => {
    const before = await dumpOf(a.location);
    const again = await importInto(a.location, [rest], ['--format', 'json']);
    assert.equal(again.code, 0);
    const summary = JSON.parse(again.stdout);
    assert.deepEqual(
      { n: summary.totals.new, u: summary.totals.updated, same: summary.totals.unchanged },
      { n: 0, u: 0, same: DEMO.changes },
    );
    assert.deepEqual(await dumpOf(a.location), before);
  });

  it('prints a summary of what it did', () => {
    assert.match(
      ra.stdout,
      new RegExp(
        `${DEMO.changes} new, 0 updated, 0 unchanged changes; \\d+ new accounts; \\d+ votes, \\d+ messages, \\d+ CI builds written; [\\d.]+ s`,
      ),
    );
  });
});

describe('the host of an import without --host', () => {
  it('is the one host the store holds when steward.yaml names none: no "default" copy of every account', async () => {
    const { location, cleanup } = await freshLocation('sqlite');
    try {
      assert.equal((await importInto(location, [ssh])).code, 0);
      const before = await dumpOf(location);
      const r = await runSteward(['import', rest, '--db', location], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`Imported into host "${HOST}"`));
      const after = await dumpOf(location);
      assert.deepEqual(
        after.hosts!.map((h) => h.name),
        [HOST],
      );
      assert.deepEqual([...new Set(after.accounts!.map((a) => a.host))], [HOST]);
      assert.equal(after.accounts!.length, before.accounts!.length, 'the REST accounts were matched to the stored ones, not copied');
    } finally {
      await cleanup();
    }
  });

  it('is refused, naming the hosts, when the store holds several and steward.yaml names none; nothing written', async () => {
    const { location, cleanup } = await freshLocation('sqlite');
    try {
      assert.equal((await importInto(location, [ssh])).code, 0);
      assert.equal((await runSteward(['import', ssh, '--db', location, '--host', 'review.other.org', '--quiet'], { cwd: dir })).code, 0);
      const before = await dumpOf(location);
      const r = await runSteward(['import', rest, '--db', location], { cwd: dir });
      assert.equal(r.code, 2, r.stderr);
      assert.match(
        r.stderr,
        /the store holds changes of 2 hosts \(review\.example\.org, review\.other\.org\) and steward\.yaml names none: say which one the files come from with --host/,
      );
      assert.deepEqual(await dumpOf(location), before);
    } finally {
      await cleanup();
    }
  });

  it('is "default" for an empty store and no steward.yaml, and the only host of steward.yaml otherwise', async () => {
    const { location, cleanup } = await freshLocation('sqlite');
    try {
      const r = await runSteward(['import', ssh, '--db', location], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Imported into host "default"/);
      const cfgDir = mkdtempSync(join(dir, 'cfg-'));
      writeFileSync(join(cfgDir, 'steward.yaml'), 'hosts: [{ name: review.configured.org, url: https://review.configured.org }]\n');
      const c = await runSteward(['import', rest, '--db', location], { cwd: cfgDir });
      assert.equal(c.code, 0, c.stderr);
      assert.match(c.stdout, /Imported into host "review\.configured\.org"/);
    } finally {
      await cleanup();
    }
  });
});

describe('the same input into SQLite and PostgreSQL', { skip: ENGINES[1]!.skip }, () => {
  it('gives identical store contents (canonical dumps)', async () => {
    const dumps: StoreDump[] = [];
    for (const engine of ['sqlite', 'postgres'] as const) {
      const loc = await freshLocation(engine);
      try {
        const r = await importInto(loc.location, [ssh, rest]);
        assert.equal(r.code, 0, r.stderr);
        dumps.push(await dumpOf(loc.location));
      } finally {
        await loc.cleanup();
      }
    }
    assert.ok(dumps[0]!.votes!.length > 0);
    assert.deepEqual(dumps[1], dumps[0]);
  });
});

describe('bad input', () => {
  let location: string;
  let cleanup: () => Promise<void>;
  let baseline: StoreDump;

  before(async () => {
    ({ location, cleanup } = await freshLocation('sqlite'));
    const r = await importInto(location, [rest]);
    assert.equal(r.code, 0, r.stderr);
    baseline = await dumpOf(location);
  });
  after(async () => cleanup());

  const restLines = () => readFileSync(rest, 'utf8').split('\n').filter(Boolean);
  const firstPage = (): Array<Record<string, unknown>> => JSON.parse(restLines()[1]!);

  async function expectError(name: string, content: string | null, code: number, pattern: RegExp, target?: string) {
    const path = target ?? join(dir, name);
    if (content !== null) writeFileSync(path, content);
    const r = await importInto(location, [path]);
    assert.equal(r.code, code, `exit code for ${name}: ${r.stderr}`);
    assert.match(r.stderr, pattern);
    assert.doesNotMatch(r.stderr, /\n\s+at .+\(.+:\d+:\d+\)/, 'no stack trace');
    assert.deepEqual(await dumpOf(location), baseline, `store unchanged after ${name}`);
    return r;
  }

  it('malformed JSON names the file and line', async () => {
    const lines = restLines();
    const r = await expectError(
      'broken.json',
      [lines[0], lines[1], '[{"_number": 5, "project": "x",', lines[2]].join('\n'),
      5,
      /broken\.json:3: line 3 is not valid JSON/,
    );
    assert.match(r.stdout, /Stopped at .*broken\.json: nothing from it was stored.*running the import again is safe/);
  });

  it('a truncated file says it may be truncated', async () => {
    const text = readFileSync(rest, 'utf8');
    await expectError(
      'truncated.json',
      text.slice(0, Math.floor(text.length / 2)),
      5,
      /truncated\.json:\d+: line \d+ is not valid JSON .*may be truncated/,
    );
  });

  it('a field of the wrong type names the change and the field', async () => {
    const page = firstPage();
    const bad: Record<string, unknown> = { ...page[3]!, created: 12345 };
    await expectError(
      'wrongtype.json',
      `)]}'\n${JSON.stringify([page[0], bad])}\n`,
      6,
      new RegExp(`wrongtype\\.json:2: .*change ${bad._number}.*created`),
    );
  });

  it('a change without patch sets is refused whole', async () => {
    const page = firstPage();
    const { revisions: _r, current_revision: _c, ...bad } = page[1]!;
    await expectError('nops.json', JSON.stringify([page[0], bad]) + '\n', 6, new RegExp(`change ${bad._number}.*revisions`));
  });

  it('a file that is not a Gerrit export at all', async () => {
    await expectError('package.json', JSON.stringify({ name: 'x', version: '1.0.0' }) + '\n', 6, /not a Gerrit export/);
    await expectError('table.csv', 'a,b,c\n1,2,3\n', 6, /table\.csv:1: this is not a Gerrit export/);
  });

  it('an export with no changes (empty download, the XSSI prefix alone, []) is an error, nothing stored', async () => {
    for (const [name, content] of [
      ['empty.json', ''],
      ['prefix-only.json', ")]}'\n"],
      ['brackets.json', '[]\n'],
      ['empty-ssh.json', '{"type":"stats","rowCount":0,"runTimeMilliseconds":5,"moreChanges":false}\n'],
    ] as const) {
      const r = await expectError(
        name,
        content,
        6,
        new RegExp(
          `${name.replace('.', '\\.')}: the file holds no changes: an empty export is almost always a failed or cut-short download\n.*--allow-empty`,
        ),
      );
      assert.match(r.stdout, new RegExp(`Stopped at .*${name.replace('.', '\\.')}: nothing from it was stored`));
    }
  });

  it('--allow-empty (importFiles allowEmpty) takes an empty export as a warning', async () => {
    const path = join(dir, 'empty-on-purpose.json');
    writeFileSync(path, '[]\n');
    const store = await openStore(location);
    try {
      const summary = await importFiles(store, [path], { host: HOST, allowEmpty: true });
      assert.equal(summary.stopped, null);
      assert.deepEqual(
        summary.files.map((f) => [f.changesRead, f.warnings]),
        [[0, ['the file holds no changes']]],
      );
    } finally {
      await store.close();
    }
    assert.deepEqual(await dumpOf(location), baseline);
  });

  it('an unreadable path: missing, a directory, no permission', async () => {
    await expectError('missing.json', null, 4, /missing\.json: cannot read the file: no such file/);
    const sub = join(dir, 'a-directory');
    mkdirSync(sub, { recursive: true });
    await expectError('a-directory', null, 4, /a-directory: cannot read the file: it is a directory/, sub);
    if (process.getuid?.() !== 0) {
      const locked = join(dir, 'locked.json');
      writeFileSync(locked, '[]');
      chmodSync(locked, 0o000);
      await expectError('locked.json', null, 4, /permission denied/, locked);
    }
  });

  it('a good file before a bad one is kept; the bad one and the rest are not', async () => {
    const { location: loc2, cleanup: c2 } = await freshLocation('sqlite');
    try {
      const bad = join(dir, 'bad-second.json');
      writeFileSync(bad, '{"not": "gerrit"}\n');
      const r = await importInto(loc2, [ssh, bad, rest]);
      assert.equal(r.code, 6);
      assert.match(r.stdout, new RegExp(`${DEMO.changes} new`));
      assert.match(r.stdout, /Stopped at .*bad-second\.json: nothing from it was stored, and 1 later file\(s\) were not read/);
      assert.equal((await dumpOf(loc2)).changes!.length, DEMO.changes);
    } finally {
      await c2();
    }
  });

  it('a store from a newer schema version is refused and left as it was', async () => {
    const { location: loc3, cleanup: c3 } = await freshLocation('sqlite');
    try {
      const s = await openStore(loc3);
      await s.db
        .insertInto('kysely_migration' as never)
        .values({ name: '9000-future', timestamp: new Date().toISOString() } as never)
        .execute();
      await s.close();
      const r = await importInto(loc3, [rest]);
      assert.equal(r.code, 8);
      assert.match(r.stderr, /newer version of Steward.*9000-future/);
    } finally {
      await c3();
    }
  });
});
