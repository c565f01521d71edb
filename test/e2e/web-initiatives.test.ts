/**
 * The initiative pages in a real headless Chromium on the demo project's planted initiative: the
 * page loads with no console error, its milestone, stall and blocker tables hold the CLI's JSON for
 * the same `now`, the burn-up chart is drawn, the stall timeline has one bar per stall, and the
 * API serves the same JSON as `steward initiative status --format json`. SQLite only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_INITIATIVE_NAME } from '../../src/demo/demo-initiative.js';
import { runSteward } from '../helpers/cli.js';
import { importedDemo, type CachedStore } from '../helpers/demo-cache.js';
import { BROWSER_SKIP_REASON, launchBrowser, listeningApp, type BrowserSession } from '../helpers/web.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed CLI JSON
type Json = any;
interface El {
  textContent: string | null;
  cells: El[];
}
const NOW = Date.UTC(2025, 5, 1);
const DEMO = ['--now', '2025-06-01', '--seed', '7', '--changes', '2500'];

describe('initiative pages in Chromium', { skip: BROWSER_SKIP_REASON }, () => {
  let demo: CachedStore;
  let server: Awaited<ReturnType<typeof listeningApp>>;
  let browser: BrowserSession;
  const cli = async (args: string[]): Promise<Json> => {
    const r = await runSteward([...args, '--db', demo.location, '--format', 'json'], { cwd: demo.dir, now: NOW });
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout);
  };

  before(async () => {
    // The demo as specs-demo and security-advisories-demo read it (`steward demo` stores its specs
    // repository too): under the test runner one generation serves the three files.
    demo = await importedDemo('sqlite', DEMO, NOW);
    server = await listeningApp(demo.location, demo.dir, { clock: () => NOW });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await demo?.cleanup();
  });

  it('the API serves the CLI JSON', async () => {
    const v = await cli(['initiative', 'status', DEMO_INITIATIVE_NAME]);
    const res = await fetch(`${server.url}/api/v1/initiatives/${DEMO_INITIATIVE_NAME}`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), v);
    const list = await (await fetch(`${server.url}/api/v1/initiatives`)).json();
    assert.deepEqual(list, await cli(['initiative', 'list']));
  });

  it('the page shows the JSON: milestones, stalls (table and timeline), blockers, the burn-up drawn', async () => {
    const v = await cli(['initiative', 'status', DEMO_INITIATIVE_NAME]);
    const { page, errors } = await browser.tab();
    const res = await page.goto(`${server.url}/initiatives/${DEMO_INITIATIVE_NAME}`, { waitUntil: 'load' });
    assert.equal(res.status(), 200);
    const rows = async (id: string): Promise<string[][]> =>
      page.$$eval(`#${id} tbody tr`, (trs: El[]) => trs.map((tr) => Array.from(tr.cells).map((c) => (c.textContent ?? '').trim())));
    assert.deepEqual(
      (await rows('milestones')).map((r) => [r[0], r[2], r[3], r[7]]),
      v.milestones.map((m: Json) => [m.title, m.due.slice(0, 10), m.status, `${m.bugsFixed} / ${m.bugsOpen}`]),
    );
    // The demo's Launchpad side is in the store: the third milestone follows its tagged bugs.
    assert.ok(v.milestones[2].bugsFixed + v.milestones[2].bugsOpen > 0, JSON.stringify(v.bugs));
    assert.deepEqual(
      (await rows('stalls')).map((r) => [r[0], r[1], Number(r[2])]),
      v.stalls.map((s: Json) => [s.from.slice(0, 10), s.ongoing ? 'now' : s.to.slice(0, 10), s.weeks]),
    );
    assert.equal(await page.$$eval('#stall-timeline rect.stall', (r: El[]) => r.length), v.stalls.length);
    assert.deepEqual(
      (await rows('vetoed')).map((r) => Number(r[0])),
      v.blockers.vetoed.map((b: Json) => b.number),
    );
    const open = await page.$$eval('#open-questions li', (li: El[]) => li.map((x) => x.textContent ?? ''));
    assert.equal(open.length, v.openQuestions.length);
    assert.ok(open[0]!.startsWith(v.openQuestions[0].text));
    const drawn = await page.$$eval('canvas[data-chart]', (cs: El[]) =>
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      cs.map((c) => Boolean((globalThis as any).Chart?.getChart(c))),
    );
    assert.deepEqual(drawn, [true]);
    assert.deepEqual(errors, [], errors.join('\n'));
    const list = await browser.tab();
    await list.page.goto(`${server.url}/initiatives`);
    assert.deepEqual(
      await list.page.$$eval('#initiatives tbody tr', (trs: El[]) => trs.map((tr) => (tr.cells[0]!.textContent ?? '').trim())),
      ['Compute API migration'],
    );
    assert.deepEqual(list.errors, []);
  });
});
