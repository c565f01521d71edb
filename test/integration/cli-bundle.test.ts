/**
 * The launcher runs Steward's own modules from their bundle (dist/bundle/, written by `npm run
 * build`, scripts/bundle-cli.mjs; issue 20, a fast start): a report loads a few dozen files (its
 * chunks), not the compiled tree's hundred and more module by module, and prints the same. What the bundled modules find beside
 * their own files still resolves: the export parser's worker thread (import of an SSH export), the
 * web server's assets, JSON schemas and view workers, the migrations of a new store (the demo).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const BIN = join(REPO, 'bin', 'steward.js');
const dir = mkdtempSync(join(tmpdir(), 'steward-bundle-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const RECORDER = `data:text/javascript,${encodeURIComponent(`
import { registerHooks } from 'node:module';
import { writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
const seen = new Set();
registerHooks({ load(url, context, next) { seen.add(url); return next(url, context); } });
if (isMainThread) process.on('exit', () => writeFileSync(process.env.STEWARD_TEST_MODULES, [...seen].join('\\n')));
`)}`;

const steward = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 26 });

describe('the CLI bundle', () => {
  const db = join(dir, 'demo.db');
  before(() => {
    assert.ok(existsSync(join(REPO, 'dist', 'bundle', 'main.js')), 'npm run build writes dist/bundle/ (esbuild is a devDependency)');
    // The demo from the bundle: a new store, every migration run, the REST export imported.
    const demo = steward(['demo', '--changes', '300', '--months', '3', '--now', '2026-01-01', '--out', dir, '--db', db, '--quiet']);
    assert.equal(demo.status, 0, demo.stderr);
  });

  it('a report loads its code from a handful of bundled files and prints what the compiled tree prints', () => {
    const args = ['reviewers', '--db', db, '--config', join(dir, 'steward.yaml'), '--now', '2026-01-01', '--format', 'json'];
    const out = join(dir, 'modules.txt');
    const bundled = spawnSync(process.execPath, ['--import', RECORDER, BIN, ...args], {
      env: { ...process.env, STEWARD_TEST_MODULES: out },
      encoding: 'utf8',
    });
    assert.equal(bundled.status, 0, bundled.stderr);
    const own = readFileSync(out, 'utf8')
      .split('\n')
      .filter((u) => u.startsWith('file:') && !u.includes('/node_modules/'));
    const outside = own.filter((u) => !/\/dist\/(bundle|vendor)\/[^/]+\.js$/.test(u) && !u.endsWith('/bin/steward.js'));
    assert.deepEqual(outside, [], 'nothing of the compiled tree, module by module');
    assert.ok(own.length <= 60, `${own.length} files of Steward's own: ${own.join(' ')}`);
    const plain = steward(args, { STEWARD_NO_BUNDLE: '1' });
    assert.equal(plain.status, 0, plain.stderr);
    assert.equal(bundled.stdout, plain.stdout);
  });

  it('--help from the bundle loads no package (Commander and zod are bundled) and no store chunk', () => {
    const out = join(dir, 'modules-help.txt');
    const r = spawnSync(process.execPath, ['--import', RECORDER, BIN, '--help'], {
      env: { ...process.env, STEWARD_TEST_MODULES: out },
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    const urls = readFileSync(out, 'utf8').split('\n');
    assert.deepEqual(
      urls.filter((u) => u.includes('/node_modules/') || u.includes('/dist/vendor/')),
      [],
      'no package, no Kysely or yaml',
    );
  });

  it("imports an SSH export on the export parser's worker thread", () => {
    const r = steward(['import', join(dir, 'demo-ssh.json'), '--db', join(dir, 'ssh.db'), '--host', 'review.example.org']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout + r.stderr, /300 new/);
  });

  it('serves pages, assets, schemas and reports computed on a view worker', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--db', db, '--config', join(dir, 'steward.yaml'), '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((res, rej) => {
        // "Steward dashboard on http://127.0.0.1:PORT, …" (on stderr, with the warnings).
        let text = '';
        const hear = (d: Buffer) => {
          text += d.toString();
          const m = /(http:\/\/[\d.]+:\d+),/.exec(text);
          if (m) res(m[1]!);
        };
        child.stdout.on('data', hear);
        child.stderr.on('data', hear);
        child.on('exit', (code) => rej(new Error(`serve exited ${code}: ${text}`)));
      });
      for (const [path, expect] of [
        ['/queue', /<html/i],
        ['/assets/app.js', /./],
        ['/assets/chart.umd.min.js', /Chart/],
        ['/api/v1/schemas/reviewers.json', /"\$schema"/],
        ['/api/v1/queue?now=2026-01-01', /"report"/],
      ] as const) {
        const r = await fetch(url + path);
        assert.equal(r.status, 200, path);
        assert.match(await r.text(), expect, path);
      }
    } finally {
      child.kill();
    }
  });
});
