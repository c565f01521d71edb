/**
 * Web test harness (API, end-to-end, and web-auth's login/role/CSRF tests): a demo store built by
 * `steward demo`, the app built over it (in-process for `inject`, or listening on a loopback port for
 * a browser), and Debian's headless Chromium driven by playwright-core (never a downloaded browser).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { after, before } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config/load-config.js';
import type { EngineName, Store } from '../../src/store/engine.js';
import { openStore } from '../../src/store/open-store.js';
import { resolveEffectiveConfig } from '../../src/service/effective-config.js';
import { buildApp, type AppDeps } from '../../src/web/build-app.js';
import { runSteward } from './cli.js';
import { cachedStore } from './demo-cache.js';

/** The time every web test runs at (the demo history ends here). */
export const WEB_NOW = Date.UTC(2026, 10, 1);

export interface DemoStore {
  location: string;
  /** A temporary folder (the cwd of CLI runs: no steward.yaml in it, so the demo's configuration applies). */
  dir: string;
  cleanup: () => Promise<void>;
}

/**
 * A store of `engine` filled by `steward demo` (small by default), ending at WEB_NOW, with the demo's
 * specs repository synced in. Generated once per test run and copied after (demo-cache.ts).
 */
export async function demoStore(engine: EngineName, o: { changes?: number; months?: number; seed?: number } = {}): Promise<DemoStore> {
  const args = [
    '--changes',
    String(o.changes ?? 800),
    '--months',
    String(o.months ?? 6),
    '--seed',
    String(o.seed ?? 7),
    '--now',
    '2026-11-01',
  ];
  return cachedStore(engine, `steward demo ${args.join(' ')}; specs sync`, async (location, out) => {
    // The CLI runs in a folder without a steward.yaml, so the demo's configuration applies.
    const cwd = mkdtempSync(join(tmpdir(), 'steward-web-'));
    try {
      const r = await runSteward(['demo', '--db', location, ...args, '--out', join(out, 'demo'), '--quiet'], { cwd, now: WEB_NOW });
      if (r.code !== 0) throw new Error(`steward demo failed: ${r.stderr}`);
      // The demo's specs repository (written when git is there) into the store, for the specs pages.
      const specsRepo = join(out, 'demo', 'specs');
      if (existsSync(specsRepo)) {
        const s = await runSteward(['specs', 'sync', '--db', location, '--repo', specsRepo], { cwd, now: WEB_NOW });
        if (s.code !== 0) throw new Error(`steward specs sync failed: ${s.stderr}`);
      }
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
}

/**
 * The options of the longer demo store (`demoStore(engine, LONG_DEMO)`): 1,500 changes over 18
 * months. Shared by core-idle-window.test.ts (more than a year of history, with reviews that straddle
 * the bound a year back, for the cores whose whole history is read: seed 7 has them, seed 11 not)
 * and report-consistency.test.ts (its second store: a longer history of a larger project than the
 * default demo's 800 changes over 6 months, other data from the generator), so that a run generates
 * it once per engine rather than a store for each file.
 */
export const LONG_DEMO = { changes: 1500, months: 18, seed: 7 } as const;

export interface TestApp {
  app: FastifyInstance;
  store: Store;
  close: () => Promise<void>;
}

/** The app over the store at `location`, configured as the CLI would be when run in `cwd`. */
export async function testApp(location: string, cwd: string, deps: Partial<AppDeps> = {}): Promise<TestApp> {
  const store = await openStore(location);
  const app = await buildApp({
    store,
    config: async () => resolveEffectiveConfig(loadConfig(undefined, cwd), store),
    clock: () => WEB_NOW,
    cwd,
    ...deps,
  });
  return {
    app,
    store,
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}

/** The app listening on a free loopback port; `url` is its base (http://127.0.0.1:PORT). */
export async function listeningApp(location: string, cwd: string, deps: Partial<AppDeps> = {}): Promise<TestApp & { url: string }> {
  const t = await testApp(location, cwd, deps);
  const url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  return { ...t, url };
}

/** Debian's Chromium; the e2e tests say they are skipped, and why, when it is missing. */
export const CHROMIUM_PATH = process.env.STEWARD_CHROMIUM ?? '/usr/bin/chromium';
export const BROWSER_SKIP_REASON = existsSync(CHROMIUM_PATH)
  ? false
  : `browser tests skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium; .ci/run installs it)`;

/** A browser session (one fresh profile) whose pages record their errors. */
export interface BrowserSession {
  /** Opens a new page that records console errors, uncaught exceptions and failed requests. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- playwright-core's Page, loaded lazily
  newPage: () => Promise<{ page: any; errors: string[] }>;
  /**
   * The session's one reused page (opened at the first call), recording as newPage's do, with
   * `errors` holding only what happened after this call. Each `goto` loads a new document in the
   * same renderer process: a new page starts a renderer and compiles the page's scripts afresh,
   * about four times the CPU of a navigation (measured: 15 dashboard pages, 40 s of Chromium's CPU
   * one page each, 11 s in one page). Do not close it (the session does); use newPage for a page
   * the test adds its own listeners to, or for two pages at once.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- playwright-core's Page, loaded lazily
  tab: () => Promise<{ page: any; errors: string[] }>;
  close: () => Promise<void>;
}

/** The Chromium that this process's sessions share. */
let chromiumProcess: { browser: Promise<Browser> } | undefined;

// The Chromium ends with the process's tests (a root hook: at the end of the file, or of the run's
// browser group, whose five files run in one process, run-tests.mjs), not when a file's last
// session closes: the next file's sessions open their contexts in it rather than start another
// (a Chromium's start and end cost ~1 s of CPU). Each session is still a context of its own.
after(async () => {
  const shared = chromiumProcess;
  chromiumProcess = undefined;
  await (await shared?.browser.catch(() => null))?.close();
});

/**
 * A browser session in headless Chromium with a fresh profile: a new browser context (cookies,
 * storage and cache of its own), no network beyond loopback and no first-run noise. The sessions
 * of a process share one Chromium (starting one costs seconds of CPU), which ends with the
 * process's tests. `options`: Playwright context options, e.g.
 * `{ javaScriptEnabled: false }` or `{ colorScheme: 'dark' }`.
 */
export async function launchBrowser(options: Record<string, unknown> = {}): Promise<BrowserSession> {
  if (!chromiumProcess) {
    const browser = import('playwright-core').then(({ chromium }) =>
      chromium.launch({
        executablePath: CHROMIUM_PATH,
        headless: true,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      }),
    );
    chromiumProcess = { browser };
    // A Chromium that did not start is not kept: the next session tries again.
    browser.catch(() => {
      if (chromiumProcess?.browser === browser) chromiumProcess = undefined;
    });
  }
  const context: BrowserContext = await (await chromiumProcess.browser).newContext(options);
  // A page is a report computed on the demo store: on a loaded machine (load 50 on two cores)
  // its load took over Playwright's default 30 s; the tests wait for it, they do not time it.
  context.setDefaultNavigationTimeout(120_000);
  let closed = false;
  /** A new page of the context, its errors recorded into `sink.errors` (which the caller may replace). */
  const recordingPage = async () => {
    const page = await context.newPage();
    const sink = { errors: [] as string[] };
    page.on('console', (m) => {
      if (m.type() === 'error') sink.errors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => sink.errors.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => sink.errors.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
    return { page, sink };
  };
  let tab: ReturnType<typeof recordingPage> | undefined;
  return {
    newPage: async () => {
      const { page, sink } = await recordingPage();
      return { page, errors: sink.errors };
    },
    tab: async () => {
      tab ??= recordingPage();
      const { page, sink } = await tab;
      sink.errors = [];
      return { page, errors: sink.errors };
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await context.close();
    },
  };
}

/** What `browserDemo` sets up for a browser test file; read its fields in tests and hooks, after its `before`. */
export interface BrowserDemo {
  demo: DemoStore;
  server: TestApp & { url: string };
  /** The file's first browser session (default context options). */
  browser: BrowserSession;
  /** `steward ARGS --db DEMO --format json` at WEB_NOW in the demo's folder, parsed (exit 0 asserted). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed CLI JSON
  cli: (args: string[]) => Promise<any>;
  /** Another browser session in the file's Chromium (closed by the `after` hook). */
  launch: (options?: Record<string, unknown>) => Promise<BrowserSession>;
}

/**
 * The set-up the browser tests share, registered as `before` and `after` hooks of the calling
 * `describe`: the small demo store on SQLite (a copy of the run's, see demoStore), `prepare` run on
 * it (e.g. CLI commands that add to it), the app listening on loopback over it, and a browser
 * session; after: every session closed (the file's one Chromium with the last), the app, the store.
 */
export function browserDemo(o: { prepare?: (demo: DemoStore) => Promise<void> } = {}): BrowserDemo {
  const sessions: BrowserSession[] = [];
  const web = {
    cli: async (args: string[]) => {
      const r = await runSteward([...args, '--db', web.demo.location, '--format', 'json'], { cwd: web.demo.dir, now: WEB_NOW });
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout);
    },
    launch: async (options: Record<string, unknown> = {}) => {
      const s = await launchBrowser(options);
      sessions.push(s);
      return s;
    },
  } as BrowserDemo;
  before(async () => {
    web.demo = await demoStore('sqlite');
    await o.prepare?.(web.demo);
    web.server = await listeningApp(web.demo.location, web.demo.dir);
    web.browser = await web.launch();
  });
  after(async () => {
    for (const s of sessions) await s.close();
    await web.server?.close();
    await web.demo?.cleanup();
  });
  return web;
}
