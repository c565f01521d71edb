/**
 * `steward serve`: listens only where told (loopback by default), serves the app, and with
 * `--sync-every` syncs from Gerrit on a schedule whose last and next run the pages show; a failed
 * sync is shown (on the page and in /api/v1/status), never silent. Gerrit is a fake on loopback.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runServe } from '../../src/cli/commands/serve-command.js';
import type { Runtime } from '../../src/cli/context.js';
import { FakeGerrit } from '../helpers/fake-gerrit.js';

const NOW = Date.UTC(2026, 10, 1);

interface Served {
  url: string;
  stderr: () => string;
  stop: () => Promise<void>;
  done: Promise<void>;
}

async function serve(dir: string, args: { syncEvery?: string; port?: string; host?: string } = {}): Promise<Served> {
  let err = '';
  const rt: Runtime = { cwd: dir, env: {}, clock: () => NOW, stdout: () => undefined, stderr: (s) => void (err += s), isTty: false };
  let resolveReady: (v: { url: string; stop: () => Promise<void> }) => void = () => undefined;
  const ready = new Promise<{ url: string; stop: () => Promise<void> }>((r) => (resolveReady = r));
  const done = runServe({ db: join(dir, 'steward.db'), port: args.port ?? '0', syncEvery: args.syncEvery, host: args.host }, rt, {
    onListening: (url, stop) => resolveReady({ url, stop }),
  });
  const failed = done.then(() => {
    throw new Error(`serve stopped: ${err}`);
  });
  const { url, stop } = await Promise.race([ready, failed]);
  return { url, stop, done, stderr: () => err };
}

async function status(url: string): Promise<{
  sync: { runs: number; lastError: string | null; nextRunAt: number | null; running: boolean; everyText: string } | null;
  store: { empty: boolean };
}> {
  const res = await fetch(`${url}/api/v1/status`);
  return (await res.json()) as never;
}

async function afterFirstRun(url: string): Promise<Awaited<ReturnType<typeof status>>> {
  for (let i = 0; i < 200; i++) {
    const s = await status(url);
    if (s.sync && s.sync.runs >= 1 && !s.sync.running) return s;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the scheduled sync did not run');
}

/** A GET naming `host` in its Host header (fetch cannot set it). */
function getWithHost(url: string, path: string, host: string): Promise<{ status: number; type: string; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: u.hostname, port: u.port, path, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('steward serve', () => {
  it('without --auth answers only the names it is meant to be reached by (DNS rebinding): 421 for any other Host', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-serve-'));
    writeFileSync(join(dir, 'steward.yaml'), 'web:\n  publicUrl: https://steward.example.org/\n');
    const s = await serve(dir);
    try {
      const port = new URL(s.url).port;
      const page = await getWithHost(s.url, '/', `attacker.example:${port}`);
      assert.equal(page.status, 421);
      assert.match(page.body, /does not answer to the host name "attacker\.example": it answers to .*localhost.*steward\.example\.org/);
      assert.match(page.body, /web\.publicUrl in steward\.yaml/);
      const api = await getWithHost(s.url, '/api/v1/status', `attacker.example:${port}`);
      assert.equal(api.status, 421);
      assert.match(api.type, /application\/json/);
      assert.equal(JSON.parse(api.body).error.code, 'USAGE');
      for (const ok of [`localhost:${port}`, `127.0.0.1:${port}`, 'steward.example.org']) {
        assert.equal((await getWithHost(s.url, '/api/v1/status', ok)).status, 200, ok);
      }
      assert.doesNotMatch(s.stderr(), /WARNING/, 'no warning on loopback');
    } finally {
      await s.stop();
      await s.done;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('warns loudly when it listens beyond loopback without --auth', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-serve-'));
    const s = await serve(dir, { host: '0.0.0.0' });
    try {
      assert.match(
        s.stderr(),
        /steward: WARNING: listening on 0\.0\.0\.0 without --auth: anyone who can reach this address reads every report/,
      );
      const port = new URL(s.url).port;
      assert.equal((await getWithHost(`http://127.0.0.1:${port}`, '/api/v1/status', `127.0.0.1:${port}`)).status, 200);
      assert.equal((await getWithHost(`http://127.0.0.1:${port}`, '/api/v1/status', `rebound.attacker.example:${port}`)).status, 421);
    } finally {
      await s.stop();
      await s.done;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('listens on 127.0.0.1 by default and serves the pages and the API', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-serve-'));
    const s = await serve(dir);
    try {
      assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const page = await fetch(s.url + '/');
      assert.equal(page.status, 200);
      assert.match(await page.text(), /The store is empty/);
      assert.deepEqual((await status(s.url)).sync, null, 'no schedule without --sync-every');
      assert.match(s.stderr(), /Steward dashboard on http:\/\/127\.0\.0\.1/);
    } finally {
      await s.stop();
      await s.done;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--sync-every syncs at once, then shows the last and next run', async () => {
    const gerrit = new FakeGerrit({ projects: ['demo/compute'] });
    const base = await gerrit.start();
    const dir = mkdtempSync(join(tmpdir(), 'steward-serve-'));
    writeFileSync(join(dir, 'steward.yaml'), `hosts: [{ name: fake, url: '${base}' }]\nprojects: [{ name: demo/compute }]\n`);
    const s = await serve(dir, { syncEvery: '1h' });
    try {
      const st = await afterFirstRun(s.url);
      assert.equal(st.sync!.lastError, null);
      assert.equal(st.sync!.everyText, '1h');
      assert.equal(st.sync!.nextRunAt, NOW + 3_600_000);
      assert.ok(
        gerrit.log.some((r) => r.path.includes('/changes/')),
        'it asked Gerrit',
      );
      const html = await (await fetch(s.url + '/')).text();
      assert.match(html, /Sync every 1h: last run 2026-11-01 00:00 UTC — ok; next run 2026-11-01 01:00 UTC\./);
    } finally {
      await s.stop();
      await s.done;
      await gerrit.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a failed scheduled sync is shown on the page and in the status, and the server goes on', async () => {
    const gerrit = new FakeGerrit({ projects: ['demo/compute'], anonymous: 'forbid' });
    const base = await gerrit.start();
    const dir = mkdtempSync(join(tmpdir(), 'steward-serve-'));
    writeFileSync(join(dir, 'steward.yaml'), `hosts: [{ name: fake, url: '${base}' }]\nprojects: [{ name: demo/compute }]\n`);
    const s = await serve(dir, { syncEvery: '30m' });
    try {
      const st = await afterFirstRun(s.url);
      assert.ok(st.sync!.lastError, 'the error is kept');
      assert.match(st.sync!.lastError!, /403|refused|credentials/i);
      assert.equal(st.sync!.nextRunAt, NOW + 30 * 60_000, 'the schedule goes on');
      const html = await (await fetch(s.url + '/reviewers')).text();
      assert.match(html, /class="sync failed"/);
      assert.match(html, /<strong>failed<\/strong>: /);
      assert.match(s.stderr(), /scheduled sync failed/);
    } finally {
      await s.stop();
      await s.done;
      await gerrit.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a bad port, a bad period, --sync-every without hosts to sync, and bad queue limits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-serve-'));
    const rt: Runtime = { cwd: dir, env: {}, clock: () => NOW, stdout: () => undefined, stderr: () => undefined, isTty: false };
    try {
      await assert.rejects(runServe({ db: join(dir, 'steward.db'), port: '70000' }, rt), /--port must be a whole number from 1 to 65535/);
      await assert.rejects(
        runServe({ db: join(dir, 'steward.db'), port: '0', syncEvery: 'often' }, rt),
        /--sync-every must be a duration like 15m/,
      );
      await assert.rejects(runServe({ db: join(dir, 'steward.db'), port: '0', syncEvery: '1h' }, rt), /lists no Gerrit hosts/);
      // The fair queue's limits are whole numbers from 1 (docs/web.md, "The fair queue").
      await assert.rejects(
        runServe({ db: join(dir, 'steward.db'), port: '0', queuePerClient: '0' }, rt),
        /--queue-per-client must be a whole number from 1 to 1000/,
      );
      await assert.rejects(
        runServe({ db: join(dir, 'steward.db'), port: '0', queueMaxWaiting: 'many' }, rt),
        /--queue-max-waiting must be a whole number/,
      );
      writeFileSync(join(dir, 'steward.yaml'), 'web:\n  queue:\n    perClient: 0\n');
      await assert.rejects(runServe({ db: join(dir, 'steward.db'), port: '0' }, rt), /perClient/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
