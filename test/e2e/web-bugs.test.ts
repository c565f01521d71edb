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
    for (const path of ['/bugs', '/bugs?weeks=8', '/bugs/rota', '/bugs/targets', '/bugs/blueprints', '/bugs/blueprints?series=Larch']) {
      const { page, errors } = await web.browser.tab();
      const res = await page.goto(web.server.url + path, { waitUntil: 'load' });
      assert.equal(res.status(), 200, path);
      const charts = await page.$$eval('canvas[data-chart]', (cs: El[]) =>
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        cs.map((c) => Boolean((globalThis as any).Chart?.getChart(c))),
      );
      assert.ok(charts.every(Boolean), `${path}: every canvas has a chart`);
      assert.deepEqual(errors, [], `${path}: ${errors.join('\n')}`);
    }
  });

  it('the pages show the numbers of the CLI JSON', async () => {
    const { page } = await web.browser.tab();
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

    // Blueprints: the stats, the chart's numbers (per series, by implementation status) and the tables are the JSON's.
    for (const [path, args] of [
      ['/bugs/blueprints', []],
      ['/bugs/blueprints?series=Larch', ['--series', 'Larch']],
    ] as const) {
      const bp = await cli(['bugs', 'blueprints', ...args]);
      await page.goto(web.server.url + path);
      const sum = (f: (s: Json) => number) => bp.seriesList.reduce((n: number, s: Json) => n + f(s), 0);
      assert.deepEqual((await stats('blueprints-stats')).map(numberOf), [
        bp.total,
        sum((s) => s.approvedNotStarted.length),
        sum((s) => s.goalNotAccepted.length),
      ]);
      assert.ok(sum((s) => s.goalNotAccepted.length) > 0, `${path}: the demo's proposed, not accepted goal is there`);
      const spec = JSON.parse(await page.$eval('#blueprints-chart-data', (e: El) => e.textContent ?? '')) as {
        labels: string[];
        series: Array<{ label: string; data: number[] }>;
      };
      assert.deepEqual(
        spec.labels,
        bp.seriesList.map((s: Json) => s.series ?? 'no series goal'),
      );
      bp.seriesList.forEach((s: Json, i: number) => {
        const fromChart = spec.series.map((x) => ({ status: x.label, count: x.data[i] })).filter((c) => c.count! > 0);
        assert.deepEqual(
          [...fromChart].sort((a, b) => a.status.localeCompare(b.status)),
          [...s.byImplementation].sort((a: Json, b: Json) => a.status.localeCompare(b.status)),
          `${path}: ${s.series} by implementation status`,
        );
      });
      for (const [i, s] of (bp.seriesList as Json[]).entries()) {
        const names = (id: string) =>
          page.$$eval(`#${id} tbody tr td:first-child`, (els: El[]) => els.map((e) => (e.textContent ?? '').trim()));
        assert.deepEqual(
          await names(`bp-${i}-all`),
          s.blueprints.map((b: Json) => b.name),
        );
        if (s.series === null) continue;
        assert.deepEqual(
          await names(`bp-${i}-approved`),
          s.approvedNotStarted.map((b: Json) => b.name),
        );
        assert.deepEqual(
          await names(`bp-${i}-proposed`),
          s.goalNotAccepted.map((b: Json) => b.name),
        );
      }
    }
  });
});
