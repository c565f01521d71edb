/**
 * `steward serve --auth` as the command runs it: sign-in required (the API answers 401, pages go to
 * the login page), a warning while nobody can sign in, and a user made with `steward user add`
 * signs in over real HTTP and reads. Without --auth the change pages refuse and say why.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runServe } from '../../src/cli/commands/serve-command.js';
import type { Runtime } from '../../src/cli/context.js';
import { runSteward } from '../helpers/cli.js';

const NOW = Date.UTC(2026, 10, 1);

async function serve(dir: string, auth: boolean) {
  let err = '';
  const rt: Runtime = { cwd: dir, env: {}, clock: () => NOW, stdout: () => undefined, stderr: (s) => void (err += s), isTty: false };
  let ready: (v: { url: string; stop: () => Promise<void> }) => void = () => undefined;
  const listening = new Promise<{ url: string; stop: () => Promise<void> }>((r) => (ready = r));
  const done = runServe({ db: join(dir, 'steward.db'), port: '0', auth }, rt, { onListening: (url, stop) => ready({ url, stop }) });
  const failed = done.then(() => {
    throw new Error(`serve stopped: ${err}`);
  });
  const { url, stop } = await Promise.race([listening, failed]);
  return { url, stderr: () => err, close: async () => (await stop(), await done) };
}

/** Cookies from a fetch response's Set-Cookie headers, as a Cookie header. */
const cookiesOf = (r: Response, jar: Map<string, string>) => {
  for (const c of r.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const [k, v] = pair!.split('=');
    if (v) jar.set(k!, v);
    else jar.delete(k!);
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
};

describe('steward serve --auth', () => {
  it('requires signing in, warns while nobody can, and lets a user from `steward user add` in', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-serve-auth-'));
    try {
      let s = await serve(dir, true);
      try {
        assert.match(s.stderr(), /sign-in required/);
        assert.match(s.stderr(), /nobody can sign in yet: add a user with `steward user add NAME --role admin`/);
        assert.equal((await fetch(`${s.url}/api/v1/status`)).status, 401);
        const page = await fetch(`${s.url}/`, { redirect: 'manual' });
        assert.equal(page.status, 302);
        assert.equal(page.headers.get('location'), '/login?next=%2F');
        assert.equal((await fetch(`${s.url}/assets/style.css`)).status, 200, 'static files are public');
      } finally {
        await s.close();
      }

      const add = await runSteward(['user', 'add', 'ada', '--role', 'viewer', '--db', join(dir, 'steward.db')], {
        cwd: dir,
        env: { STEWARD_USER_PASSWORD: 'ada-serve-password' },
      });
      assert.equal(add.code, 0, add.stderr);
      s = await serve(dir, true);
      try {
        assert.doesNotMatch(s.stderr(), /nobody can sign in/);
        const jar = new Map<string, string>();
        const form = await fetch(`${s.url}/login`);
        const cookie = cookiesOf(form, jar);
        const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
        const login = await fetch(`${s.url}/login`, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
          body: new URLSearchParams({ name: 'ada', password: 'ada-serve-password', next: '/api/v1/status', _csrf: csrf }).toString(),
        });
        assert.equal(login.status, 303);
        const signedIn = cookiesOf(login, jar);
        const st = await fetch(`${s.url}/api/v1/status`, { headers: { cookie: signedIn } });
        assert.equal(st.status, 200);
        assert.equal(((await st.json()) as { store: { empty: boolean } }).store.empty, true);
      } finally {
        await s.close();
      }

      s = await serve(dir, false);
      try {
        assert.match(s.stderr(), /open for reading/);
        assert.equal((await fetch(`${s.url}/api/v1/status`)).status, 200);
        const manage = await fetch(`${s.url}/manage/mentoring`);
        assert.equal(manage.status, 403);
        assert.match(await manage.text(), /steward serve --auth/);
      } finally {
        await s.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
