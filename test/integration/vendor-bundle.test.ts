/**
 * The launcher loads Kysely, yaml and pg from their bundles (dist/vendor/, written by `npm run build`,
 * scripts/bundle-vendor.mjs) in place of the packages' hundreds of modules (issue 20, a fast start),
 * and a report built on them prints the same as one built on the packages themselves.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freshLocation, PG_SKIP_REASON } from '../helpers/stores.js';

const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const dir = mkdtempSync(join(tmpdir(), 'steward-vendor-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const RECORDER = `data:text/javascript,${encodeURIComponent(`
import { registerHooks } from 'node:module';
import { writeFileSync } from 'node:fs';
const seen = new Set();
registerHooks({ load(url, context, next) { seen.add(url); return next(url, context); } });
process.on('exit', () => writeFileSync(process.env.STEWARD_TEST_MODULES, [...seen].join('\\n')));
`)}`;

describe('the vendor bundles', () => {
  it('bin/steward.js loads Kysely and yaml from dist/vendor, and the report is the same as without them', () => {
    assert.ok(existsSync(join(REPO, 'dist', 'vendor', 'vendor.json')), 'npm run build writes dist/vendor/ (esbuild is a devDependency)');
    const db = join(dir, 'demo.db');
    const demo = spawnSync(
      process.execPath,
      [
        join(REPO, 'bin', 'steward.js'),
        'demo',
        '--changes',
        '300',
        '--months',
        '3',
        '--now',
        '2026-01-01',
        '--out',
        dir,
        '--db',
        db,
        '--quiet',
      ],
      { encoding: 'utf8' },
    );
    assert.equal(demo.status, 0, demo.stderr);
    const config = join(dir, 'steward.yaml');
    const args = ['reviewers', '--db', db, '--config', config, '--now', '2026-01-01', '--format', 'json'];
    const out = join(dir, 'modules.txt');
    const bundled = spawnSync(process.execPath, ['--import', RECORDER, join(REPO, 'bin', 'steward.js'), ...args], {
      env: { ...process.env, STEWARD_TEST_MODULES: out, NODE_DISABLE_COMPILE_CACHE: '1' },
      encoding: 'utf8',
    });
    assert.equal(bundled.status, 0, bundled.stderr);
    const urls = readFileSync(out, 'utf8').split('\n');
    assert.ok(
      urls.some((u) => u.endsWith('/dist/vendor/kysely.js')),
      'Kysely from its bundle',
    );
    assert.ok(
      urls.some((u) => u.endsWith('/dist/vendor/yaml.js')),
      'yaml from its bundle',
    );
    const stray = urls.filter((u) => /node_modules\/(kysely|yaml)\//.test(u));
    assert.deepEqual(stray, [], 'no module of the packages themselves');
    // The same report from dist/ without the launcher: the packages module by module.
    const plain = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { runCli } = await import(${JSON.stringify(join(REPO, 'dist', 'cli', 'main.js'))}); await runCli();`,
        'steward',
        ...args,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(plain.status, 0, plain.stderr);
    assert.equal(bundled.stdout, plain.stdout);
  });

  it(
    'on PostgreSQL, bin/steward.js loads pg from dist/vendor, and the report is the same as with the package',
    { skip: PG_SKIP_REASON },
    async () => {
      const { location, cleanup } = await freshLocation('postgres');
      try {
        const steward = join(REPO, 'bin', 'steward.js');
        const demo = spawnSync(
          process.execPath,
          [
            steward,
            'demo',
            '--changes',
            '200',
            '--months',
            '2',
            '--now',
            '2026-01-01',
            '--out',
            join(dir, 'pg'),
            '--db',
            location,
            '--quiet',
          ],
          { encoding: 'utf8' },
        );
        assert.equal(demo.status, 0, demo.stderr);
        const args = ['overview', '--db', location, '--config', join(dir, 'pg', 'steward.yaml'), '--now', '2026-01-01', '--format', 'json'];
        const out = join(dir, 'modules-pg.txt');
        const bundled = spawnSync(process.execPath, ['--import', RECORDER, steward, ...args], {
          env: { ...process.env, STEWARD_TEST_MODULES: out, NODE_DISABLE_COMPILE_CACHE: '1' },
          encoding: 'utf8',
        });
        assert.equal(bundled.status, 0, bundled.stderr);
        const urls = readFileSync(out, 'utf8').split('\n');
        assert.ok(
          urls.some((u) => u.endsWith('/dist/vendor/pg.js')),
          'pg from its bundle',
        );
        assert.deepEqual(
          urls.filter((u) => /node_modules\/pg[^/]*\//.test(u)),
          [],
          'no module of pg or its packages themselves',
        );
        const plain = spawnSync(
          process.execPath,
          [
            '--input-type=module',
            '-e',
            `const { runCli } = await import(${JSON.stringify(join(REPO, 'dist', 'cli', 'main.js'))}); await runCli();`,
            'steward',
            ...args,
          ],
          { encoding: 'utf8' },
        );
        assert.equal(plain.status, 0, plain.stderr);
        assert.equal(bundled.stdout, plain.stdout);
      } finally {
        await cleanup();
      }
    },
  );
});
