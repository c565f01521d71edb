/**
 * Access control in a real headless Chromium (Debian's, via playwright-core) against
 * `steward serve --auth` as buildApp builds it over the demo project: the login page and its
 * refusals, the session cookie as the browser keeps it (HttpOnly, Secure on http://127.0.0.1,
 * SameSite=Lax), roles (a viewer reads and is refused the change pages with the reason, a lead
 * starts and ends a mentorship through the form), CSRF (a tampered token and a scripted POST without
 * one are refused, nothing changes), and logout.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load-config.js';
import { resolveEffectiveConfig } from '../../src/service/effective-config.js';
import type { Store } from '../../src/store/engine.js';
import { listMentorships } from '../../src/store/mentoring-store.js';
import { openStore } from '../../src/store/open-store.js';
import { accessHooks } from '../../src/web/auth/access-hooks.js';
import { runSteward } from '../helpers/cli.js';
import {
  BROWSER_SKIP_REASON,
  WEB_NOW,
  demoStore,
  launchBrowser,
  listeningApp,
  type BrowserSession,
  type DemoStore,
} from '../helpers/web.js';
import { TEST_HASH, addUser } from '../helpers/web-auth.js';

const LEAD = { name: 'lena', password: 'lena-browser-password-1' };
const VIEWER = { name: 'vera', password: 'vera-browser-password-2' };

describe('access control in Chromium (steward serve --auth)', { skip: BROWSER_SKIP_REASON }, () => {
  let demo: DemoStore;
  let authStore: Store;
  let server: Awaited<ReturnType<typeof listeningApp>>;
  const sessions: BrowserSession[] = [];
  let candidate: string;
  let mentor: string;

  before(async () => {
    demo = await demoStore('sqlite');
    authStore = await openStore(demo.location);
    await addUser(authStore, LEAD.name, 'lead', LEAD.password, WEB_NOW);
    await addUser(authStore, VIEWER.name, 'viewer', VIEWER.password, WEB_NOW);
    const config = async () => resolveEffectiveConfig(loadConfig(undefined, demo.dir), authStore);
    const r = await runSteward(['core', 'candidates', '--db', demo.location, '--format', 'json'], { cwd: demo.dir, now: WEB_NOW });
    candidate = JSON.parse(r.stdout).candidates[0].username;
    const members = (await config()).config.projects[0]!.core!.members!;
    mentor = String(members[0]);
    server = await listeningApp(demo.location, demo.dir, {
      auth: accessHooks({
        enabled: true,
        store: authStore,
        clock: () => WEB_NOW,
        config,
        hashParams: TEST_HASH,
        loginAttemptsPerMinute: 1000,
      }),
    });
  });
  after(async () => {
    for (const s of sessions) await s.close().catch(() => undefined);
    await server?.close();
    await authStore?.close();
    await demo?.cleanup();
  });

  const browse = async () => {
    const s = await launchBrowser();
    sessions.push(s);
    return s.newPage();
  };
  const signIn = async (page: Awaited<ReturnType<typeof browse>>['page'], who: { name: string; password: string }) => {
    await page.fill('#login-name', who.name);
    await page.fill('#login-password', who.password);
    await Promise.all([page.waitForNavigation(), page.click('form.login button[type=submit]')]);
  };

  it('sends a visitor to the login page, refuses a wrong password, and signs in with a Secure, HttpOnly, SameSite cookie', async () => {
    const { page, errors } = await browse();
    await page.goto(`${server.url}/reviewers?days=30`);
    assert.equal(new URL(page.url()).pathname, '/login');
    await signIn(page, { name: VIEWER.name, password: 'not-the-password-at-all' });
    assert.equal(new URL(page.url()).pathname, '/login');
    assert.match(await page.textContent('[role=alert]'), /Wrong name or password/);
    await signIn(page, VIEWER);
    const url = new URL(page.url());
    assert.equal(url.pathname + url.search, '/reviewers?days=30', 'back where the visitor was going');
    assert.match((await page.textContent('header')) ?? '', /vera \(viewer\)/);
    const cookie = (await page.context().cookies()).find((c: { name: string }) => c.name === 'steward_session');
    assert.ok(cookie, 'the browser kept the session cookie over http://127.0.0.1');
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.secure, true);
    assert.equal(cookie.sameSite, 'Lax');
    assert.ok(!(await page.evaluate('document.cookie')).includes('steward_session'), 'scripts cannot read it');
    // The pages after login have no console errors (a CSP violation would be one) — the refused login's 401 aside.
    assert.deepEqual(
      errors.filter((e) => !/401/.test(e)),
      [],
    );
  });

  it('a viewer reads but is refused the change pages, with the reason', async () => {
    const { page } = await browse();
    await page.goto(`${server.url}/login`);
    await signIn(page, VIEWER);
    const res = await page.goto(`${server.url}/manage/mentoring`);
    assert.equal(res.status(), 403);
    assert.match((await page.textContent('main')) ?? '', /changing mentoring needs the lead or admin role; vera has the viewer role/);
    assert.equal((await page.goto(`${server.url}/api/v1/overview`)).status(), 200);
  });

  it('a lead starts and ends a mentorship through the form; a tampered or missing CSRF token changes nothing; logout ends the session', async () => {
    const { page, errors } = await browse();
    await page.goto(`${server.url}/manage/mentoring`);
    assert.equal(new URL(page.url()).pathname, '/login');
    await signIn(page, LEAD);
    assert.equal(new URL(page.url()).pathname, '/manage/mentoring');

    // A tampered token: refused, nothing stored.
    await page.fill('input[name=candidate]', candidate);
    await page.fill('input[name=mentor]', mentor);
    await page.evaluate("document.querySelector('form[action=\"/manage/mentoring/add\"] input[name=_csrf]').value = 'forged-token'");
    const [forged] = await Promise.all([page.waitForNavigation(), page.click('form[action="/manage/mentoring/add"] button[type=submit]')]);
    assert.equal(forged.status(), 403);
    assert.match((await page.textContent('main')) ?? '', /The form was not sent by this page, or it has expired/);
    // A script posting without any token (what a cross-site form would do): refused too.
    const scripted = await page.evaluate(
      `fetch('/manage/mentoring/add', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'candidate=${candidate}&mentor=${mentor}' }).then((r) => r.status)`,
    );
    assert.equal(scripted, 403);
    assert.equal((await listMentorships(authStore.db)).length, 0);

    // The real form: started, shown, ended.
    await page.goto(`${server.url}/manage/mentoring`);
    await page.fill('input[name=candidate]', candidate);
    await page.fill('input[name=mentor]', mentor);
    await page.fill('input[name=note]', 'reviews of the API');
    await Promise.all([page.waitForNavigation(), page.click('form[action="/manage/mentoring/add"] button[type=submit]')]);
    assert.match((await page.textContent('[role=status]')) ?? '', /Mentorship started/);
    assert.match((await page.textContent('table')) ?? '', /reviews of the API/);
    assert.equal((await listMentorships(authStore.db, { activeOnly: true })).length, 1);
    await Promise.all([page.waitForNavigation(), page.click('form[action="/manage/mentoring/end"] button[type=submit]')]);
    assert.match((await page.textContent('[role=status]')) ?? '', /Mentorship ended/);
    assert.equal((await listMentorships(authStore.db, { activeOnly: true })).length, 0);

    // Log out: the session ends; the dashboard asks for a login again.
    await page.goto(`${server.url}/logout`);
    await Promise.all([page.waitForNavigation(), page.click('main form[action="/logout"] button[type=submit]')]);
    assert.equal(new URL(page.url()).pathname, '/login');
    await page.goto(`${server.url}/`);
    assert.equal(new URL(page.url()).pathname, '/login');
    // Allowed: the refusals' own status lines (403), and Chromium reporting the refused POST's document
    // as aborted when the test navigates away from it.
    assert.deepEqual(
      errors.filter((e) => !/40[13]/.test(e) && !/\/manage\/mentoring\/add net::ERR_ABORTED/.test(e)),
      [],
    );
  });
});
