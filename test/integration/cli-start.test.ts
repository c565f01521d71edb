/**
 * A fast start (issue 20): a command loads its own code and nothing else. `steward --help` and
 * `--version` load neither the store, the configuration's loader nor the web server; a report on a
 * SQLite store loads neither the web server, pg, Chart.js, the progress bars nor the demo generator.
 * Each case runs the CLI (from source, through tsx) in a child process that records every module
 * it loads.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AccountResolver } from '../../src/store/account-resolver.js';
import { writeChanges } from '../../src/store/change-writer.js';
import { openStore } from '../../src/store/open-store.js';
import { makeChange } from '../helpers/builders.js';

const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const dir = mkdtempSync(join(tmpdir(), 'steward-start-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// Registered before tsx: every module URL the process loads, written to a file when it exits.
const RECORDER = `data:text/javascript,${encodeURIComponent(`
import { registerHooks } from 'node:module';
import { writeFileSync } from 'node:fs';
const seen = new Set();
registerHooks({ load(url, context, next) { seen.add(url); return next(url, context); } });
process.on('exit', () => writeFileSync(process.env.STEWARD_TEST_MODULES, [...seen].join('\\n')));
`)}`;

/** The packages and Steward folders a run of `steward ...args` loaded. */
function loaded(args: string[]): { code: number | null; packages: Set<string>; files: string[]; stderr: string } {
  const out = join(dir, `modules-${Math.random().toString(36).slice(2)}.txt`);
  const r = spawnSync(process.execPath, ['--import', RECORDER, '--import', 'tsx', 'test/helpers/steward-dev.ts', ...args], {
    cwd: REPO,
    env: { ...process.env, STEWARD_TEST_MODULES: out, STEWARD_DB: join(dir, 'none.db'), NODE_DISABLE_COMPILE_CACHE: '1' },
    encoding: 'utf8',
  });
  const urls = readFileSync(out, 'utf8').split('\n');
  const packages = new Set(urls.map((u) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1]).filter((p): p is string => !!p));
  const files = urls.filter((u) => u.includes('/src/')).map((u) => u.slice(u.indexOf('/src/') + 1));
  return { code: r.status, packages, files, stderr: r.stderr };
}

describe('a command loads only its own code', () => {
  it('steward --help and --version load no store, configuration loader or web server', () => {
    for (const args of [['--help'], ['--version'], ['reviewers', '--help']]) {
      const r = loaded(args);
      assert.equal(r.code, 0, r.stderr);
      for (const p of ['kysely', 'better-sqlite3', 'pg', 'fastify', 'yaml', 'chart.js', 'cli-progress', 'stream-json']) {
        assert.ok(!r.packages.has(p), `steward ${args.join(' ')} loaded ${p}`);
      }
      // The renderers' few analysis helpers (pure code, no package) may come along; the store may not.
      const stray = r.files.filter((f) => /^src\/(store|web|demo|ingest|sources|config)\//.test(f));
      assert.deepEqual(stray, [], `steward ${args.join(' ')} loaded ${stray.join(', ')}`);
    }
  });

  it('a report on a SQLite store loads the store and its own analysis, not the web, pg or the demo generator', async () => {
    const db = join(dir, 'start.db');
    const store = await openStore(db);
    // One change: a report on a store without any is refused (STORE_EMPTY) before it loads its analysis.
    const records = [makeChange(1)];
    await store.db
      .transaction()
      .execute(async (trx) => writeChanges(trx, new AccountResolver(trx, records[0]!.host, store.bulk), records, 'ssh', store.bulk));
    await store.close();
    const r = loaded(['reviewers', '--db', db, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.packages.has('kysely') && r.packages.has('better-sqlite3'), 'the report read the store');
    for (const p of ['pg', 'fastify', 'chart.js', 'cli-progress', 'stream-json'])
      assert.ok(!r.packages.has(p), `steward reviewers loaded ${p}`);
    const stray = r.files.filter((f) => /^src\/(web|demo|ingest|sources)\/|^src\/store\/migrations\/0/.test(f));
    // The migrations' list is read to know the schema is current; their code runs only when behind.
    assert.deepEqual(
      stray.filter((f) => !f.startsWith('src/store/migrations/')),
      [],
      `steward reviewers loaded ${stray.join(', ')}`,
    );
    const other = r.files.filter((f) =>
      /^src\/service\/(core|ci|queue|waits|overview|priorities|specs|dashboard)[a-z-]*-view\.ts$/.test(f),
    );
    assert.deepEqual(other, [], `steward reviewers loaded other reports' views: ${other.join(', ')}`);
  });
});
