/**
 * The bug pages in a real headless Chromium on the demo project: they load with no console error,
 * every chart is drawn, and they show the numbers `steward bugs … --format json` gives for the same
 * parameters. SQLite only: the API tests hold both engines to the CLI's numbers.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BROWSER_SKIP_REASON, browserDemo } from '../helpers/web.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed CLI JSON
type Json = any;
interface El {
  textContent: string | null;
}
const numberOf = (s: string): number => Number(s.replace(/[,%\s]/g, ''));

describe('bug pages in Chromium', { skip: BROWSER_SKIP_REASON }, () => {
  const web = browserDemo();
  const { cli } = web;

  it('every bug page loads with no console errors, and every chart is drawn', async () => {
    for (const path of ['/bugs', '/bugs?weeks=8', '/bugs/rota', '/bugs/targets']) {
      const { page, errors } = await web.browser.newPage();
      const res = await page.goto(web.server.url + path, { waitUntil: 'load' });
      assert.equal(res.status(), 200, path);
      const charts = await page.$$eval('canvas[data-chart]', (cs: El[]) =>
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        cs.map((c) => Boolean((globalThis as any).Chart?.getChart(c))),
      );
      assert.ok(charts.every(Boolean), `${path}: every canvas has a chart`);
      assert.deepEqual(errors, [], `${path}: ${errors.join('\n')}`);
      await page.close();
    }
  });

  it('the pages show the numbers of the CLI JSON', async () => {
    const { page } = await web.browser.newPage();
    const stats = async (id: string) =>
      (await page.$$eval(`#${id} .stat-value`, (els: El[]) => els.map((e) => e.textContent ?? ''))).map((s: string) => s.trim());

    const b = await cli(['bugs', 'backlog']);
    await page.goto(web.server.url + '/bugs');
    const s = await stats('bugs-stats');
    assert.deepEqual([numberOf(s[0]!), numberOf(s[1]!)], [b.open, b.untriaged]);
    assert.equal(s[2], `${b.age.medianDays} d`);
    assert.equal(s[3], `${b.timeToTriage.median} d`);
    assert.equal(s[5], b.growth.verdict);
    const stuck = await page.$$eval('#bugs-stuck tbody tr td:first-child', (els: El[]) => els.map((e) => e.textContent ?? ''));
    assert.deepEqual(
      stuck.map(Number),
      b.inProgressStuck.map((x: Json) => x.bug),
    );

    const r = await cli(['bugs', 'rota']);
    await page.goto(web.server.url + '/bugs/rota');
    assert.deepEqual((await stats('rota-stats')).map(numberOf), [
      r.queueSize,
      r.deadWeeks,
      r.people.filter((p: Json) => p.stoppedReviewing).length,
    ]);

    const t = await cli(['bugs', 'targets']);
    await page.goto(web.server.url + '/bugs/targets');
    assert.deepEqual((await stats('targets-stats')).map(numberOf), [t.openHigh, t.unattended]);
    const rows = await page.$$eval('#bugs-targets tbody tr td:nth-child(2)', (els: El[]) => els.map((e) => e.textContent ?? ''));
    assert.deepEqual(
      rows.map(Number),
      t.targets.map((x: Json) => x.bug),
    );
    await page.close();
  });
});
