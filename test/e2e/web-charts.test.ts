/**
 * The charts and pages issue 19 asked to stop misleading, in Chromium on the demo, each against the
 * JSON of the same report (`--format json`, or the API for the web's own parameters):
 * - the CI page: one small chart per judged non-voting job, its weekly false-failure rate against
 *   the voting baseline with their Wilson bands, weeks under the readiness threshold left as gaps;
 * - the queue chart: the changes waiting at each week's end and the median and p90 of how long they
 *   had waited;
 * - the share-merged charts: no empty group and no flat "unknown" one, said under the chart;
 * - the review inbox paged, the page and the API alike; the dashboards' intro sentences apart;
 * - priorities: the factor of the wait with its interval;
 * - a phone's viewport: legends leave the canvas (folded under it), so the plot keeps its height.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { runSteward } from '../helpers/cli.js';
import { BROWSER_SKIP_REASON, browserDemo, WEB_NOW, type BrowserSession } from '../helpers/web.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON and the page's Chart.js objects
type Json = any;
interface El {
  textContent: string | null;
  cells: El[];
}

/* eslint-disable @typescript-eslint/no-explicit-any -- code run in the page */
/** Every chart on the page: its canvas id, datasets (label, band edge or not, data), legend shown, and plot and canvas heights. */
const chartsOf = (page: Json): Promise<Json[]> =>
  page.evaluate(() =>
    Array.from((globalThis as any).document.querySelectorAll('canvas[data-chart]')).map((canvas: any) => {
      const c = (globalThis as any).Chart.getChart(canvas);
      return {
        id: canvas.id,
        legend: c.options.plugins.legend.display !== false,
        datasets: c.data.datasets.map((d: any) => ({ label: d.label, band: !!d.band, data: d.data, spanGaps: d.spanGaps })),
        plotHeight: c.chartArea.bottom - c.chartArea.top,
        canvasHeight: canvas.getBoundingClientRect().height,
      };
    }),
  );
/* eslint-enable @typescript-eslint/no-explicit-any */

describe('charts that do not mislead, in Chromium', { skip: BROWSER_SKIP_REASON }, () => {
  // Two priorities of Larch (the small demo has none): blueprints' topics with enough changes to compare.
  const web = browserDemo({
    prepare: async (demo) => {
      for (const [title, topics] of [
        ['igb and disk', ['bp/add-igb-vif-model', 'bp/improve-local-disk-qos']],
        ['numa', ['bp/support-numa-aware-vswitches']],
      ] as const) {
        const r = await runSteward(
          ['priorities', 'add', '--db', demo.location, '--release', 'Larch', '--title', title, ...topics.flatMap((t) => ['--topic', t])],
          { cwd: demo.dir, now: WEB_NOW },
        );
        assert.equal(r.code, 0, r.stderr);
      }
    },
  });
  const { cli } = web;
  let phone: BrowserSession;
  const api = async (path: string): Promise<Json> => {
    const r = await fetch(web.server.url + path);
    assert.equal(r.status, 200, path);
    return r.json();
  };

  before(async () => {
    phone = await web.launch({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  });

  it('CI: one small chart per non-voting job against the voting baseline, with the JSON’s Wilson bands and gaps', async () => {
    const r = await cli(['ci', 'voting-readiness']);
    assert.ok(r.jobs.length > 0, 'the demo has non-voting jobs to judge');
    const min = r.rules.minWeeklyRuns;
    const { page, errors } = await web.browser.tab();
    await page.goto(web.server.url + '/ci');
    const charts = (await chartsOf(page)).filter((c) => c.id.startsWith('ci-ready-chart-'));
    assert.equal(charts.length, r.jobs.length, 'one chart per job');
    let gaps = 0;
    r.jobs.forEach((j: Json, i: number) => {
      const c = charts[i];
      const own = (f: (w: Json) => number | null) => j.weeks.map((w: Json) => (w.knownFineRuns >= min ? f(w) : null));
      const base = (f: (w: Json) => number | null) => j.weeks.map((w: Json) => (w.baselineRuns >= min ? f(w) : null));
      const lines = c.datasets.filter((d: Json) => !d.band);
      assert.deepEqual(
        lines.map((d: Json) => d.label),
        [j.job, 'voting baseline'],
      );
      assert.deepEqual(
        lines[0].data,
        own((w) => w.rate),
      );
      assert.deepEqual(
        lines[1].data,
        base((w) => w.baseline),
      );
      const bands = c.datasets.filter((d: Json) => d.band);
      assert.deepEqual(
        bands.map((d: Json) => d.data),
        [
          own((w) => w.rateCi95?.low ?? null),
          own((w) => w.rateCi95?.high ?? null),
          base((w) => w.baselineCi95?.low ?? null),
          base((w) => w.baselineCi95?.high ?? null),
        ],
      );
      assert.ok(
        lines.every((d: Json) => d.spanGaps === false),
        'missing weeks are gaps, not joined',
      );
      gaps += lines[0].data.filter((x: number | null) => x === null).length;
    });
    // The weeks drawn are those with enough runs; a job whose every week is short has no line at all.
    assert.ok(gaps >= 0);
    assert.match(await page.textContent('.chart-intro'), new RegExp(`fewer than ${min} such runs`));
    // No tangle: no chart of the CI page draws more than two lines.
    for (const c of await chartsOf(page)) assert.ok(c.datasets.filter((d: Json) => !d.band).length <= 2, c.id);
    assert.deepEqual(errors, []);
  });

  it('queue: the chart draws the age of what waits, the JSON’s numbers', async () => {
    const b = await cli(['waits', '--bandwidth']);
    const { page, errors } = await web.browser.tab();
    await page.goto(web.server.url + '/queue');
    const [c] = (await chartsOf(page)).filter((x) => x.id === 'queue-chart');
    assert.deepEqual(
      c.datasets.map((d: Json) => d.data),
      [
        b.weeks.map((w: Json) => w.waitingAtEnd),
        b.weeks.map((w: Json) => w.medianAgeAtEndDays),
        b.weeks.map((w: Json) => w.p90AgeAtEndDays),
      ],
    );
    assert.deepEqual(
      c.datasets.map((d: Json) => d.label),
      ['changes waiting at the week’s end', 'median days waited by them (right axis)', '90th percentile days waited (right axis)'],
    );
    // The last week's median age is the queue's own: it is not the mean of the waits that ended.
    const last = b.weeks.at(-1);
    assert.ok(last.waitingAtEnd > 0);
    assert.ok(last.medianAgeAtEndDays > 0);
    assert.deepEqual(errors, []);
  });

  it('waits: share-merged charts leave out empty and flat "unknown" groups, and say so', async () => {
    const w = await cli(['waits']);
    const { page, errors } = await web.browser.tab();
    await page.goto(web.server.url + '/waits');
    const charts = await chartsOf(page);
    let leftOut = 0;
    for (const f of w.factors.filter((x: Json) => x.groups.length > 0)) {
      const id = `merged-${f.factor.replace(/[^a-z0-9]+/gi, '-')}`;
      const flat = (g: Json) => g.toMerge.points.every((p: Json) => p.merged === g.toMerge.points[0]?.merged);
      const want = f.groups.filter((g: Json) => g.n > 0 && !(g.group === 'unknown' && flat(g)));
      const left = f.groups.filter((g: Json) => !want.includes(g));
      leftOut += left.length;
      const c = charts.find((x) => x.id === id);
      if (want.length === 0) {
        assert.equal(c, undefined, `${id}: nothing to draw`);
        continue;
      }
      assert.deepEqual(
        c.datasets.filter((d: Json) => !d.band).map((d: Json) => d.label),
        want.map((g: Json) => `${g.group} (n=${g.n})`),
        id,
      );
      const note = await page.textContent(`figure:has(#${id}) p.note`);
      for (const g of left) assert.ok(note.includes(`Not drawn:`) && note.includes(g.group), `${id}: ${g.group} named as left out`);
    }
    assert.ok(leftOut >= 0);
    assert.deepEqual(errors, []);
  });

  it('the review inbox is paged, the page and the API alike, and its intro reads as sentences', async () => {
    const d = await cli(['dashboard', 'review-inbox']);
    const longest = Math.max(...d.sections.map((s: Json) => s.changes.length));
    // The small demo's longest section is shorter than the default page of 50: pages of 10 here.
    const per = 10;
    assert.ok(longest > 2 * per, `the demo's inbox has a section longer than two pages (${longest})`);
    const { page, errors } = await web.browser.tab();
    // The default page: at most 50 changes a section.
    await page.goto(`${web.server.url}/dashboards/review-inbox`);
    for (const [i, s] of d.sections.entries())
      assert.equal(await page.locator(`#dashboard-section-${i} tbody tr`).count(), Math.min(50, s.changes.length));
    for (const n of [1, 2, 3]) {
      // Page 1 through the pager's own link, the others by URL.
      if (n === 1) await page.goto(`${web.server.url}/dashboards/review-inbox?perPage=${per}`);
      else await page.goto(`${web.server.url}/dashboards/review-inbox?perPage=${per}&page=${n}`);
      const fromApi = await api(`/api/v1/dashboards/review-inbox?page=${n}&perPage=${per}`);
      assert.deepEqual(fromApi.paging, { page: n, perPage: per, pages: Math.ceil(longest / per) });
      for (const [i, s] of d.sections.entries()) {
        const shown = await page.$$eval(`#dashboard-section-${i} tbody tr`, (trs: El[]) =>
          trs.map((tr) => Number(tr.cells[0]!.textContent)),
        );
        const want = s.changes.slice((n - 1) * per, n * per).map((c: Json) => c.number);
        assert.deepEqual(shown, want, `page ${n}, section ${s.name}`);
        assert.deepEqual(
          fromApi.sections[i].changes.map((c: Json) => c.number),
          want,
        );
        assert.equal(fromApi.sections[i].count, s.count);
      }
      assert.equal(await page.locator('nav.pager').first().isVisible(), true);
      if (n === 1) {
        // The pager's "next" link leads to page 2 with the same page size.
        assert.match(
          await page.getAttribute('nav.pager a[rel="next"]', 'href'),
          new RegExp(`perPage=${per}&page=2|page=2.*perPage=${per}`),
        );
      }
    }
    const leads = await page.$$eval('p.lead', (ps: El[]) => ps.map((p) => (p.textContent ?? '').trim()));
    assert.ok(leads.length >= 2);
    for (const l of leads) assert.match(l, /[.!?:]$/, `"${l}" ends as a sentence`);
    // Without paging the API is the command's JSON.
    const all = await api('/api/v1/dashboards/review-inbox');
    assert.equal(all.paging, null);
    assert.deepEqual(
      all.sections.map((s: Json) => s.changes.length),
      d.sections.map((s: Json) => s.changes.length),
    );
    assert.deepEqual(errors, []);
  });

  it('priorities: each verdict says by what factor, with its interval, as the JSON', async () => {
    const p = await cli(['priorities', 'report', '--release', 'Larch']);
    const { page, errors } = await web.browser.tab();
    await page.goto(web.server.url + '/priorities?release=Larch');
    const cells = await page.$$eval('#priorities tbody tr', (trs: El[]) => trs.map((tr) => tr.cells[6]!.textContent ?? ''));
    const groups = [...p.priorities, p.allPriorities];
    let withFactor = 0;
    groups.forEach((g: Json, i: number) => {
      const v = g.vsBaseline;
      assert.ok(cells[i]!.startsWith(v.verdict), cells[i]);
      if (v.factor !== null && v.verdict !== 'too few changes') {
        withFactor++;
        assert.ok(cells[i]!.includes(`${v.factor}× the wait`), cells[i]);
        if (v.factorLow !== null) assert.ok(cells[i]!.includes(`[${v.factorLow}–${v.factorHigh}×]`), cells[i]);
      }
    });
    assert.ok(withFactor > 0, 'some priority has a factor');
    assert.deepEqual(errors, []);
  });

  it('on a phone, legends fold under the charts and the plots keep their height', async () => {
    for (const path of ['/waits', '/queue', '/core', '/ci']) {
      const { page, errors } = await phone.tab();
      await page.goto(web.server.url + path);
      const charts = await chartsOf(page);
      assert.ok(charts.length > 0, path);
      for (const c of charts) {
        assert.equal(c.legend, false, `${path} ${c.id}: no legend inside the canvas`);
        assert.ok(
          c.plotHeight >= 0.6 * c.canvasHeight && c.plotHeight >= 120,
          `${path} ${c.id}: plot ${c.plotHeight}px of ${c.canvasHeight}px`,
        );
      }
      const legends = page.locator('details.chart-legend');
      assert.equal(await legends.count(), charts.length);
      const first = legends.first();
      assert.equal(await first.isVisible(), true);
      await first.locator('summary').click();
      assert.ok((await first.locator('li').count()) > 0);
      assert.deepEqual(errors, [], path);
    }
    // On a wide screen the legend is the chart's own, and the folded one is hidden.
    const { page } = await web.browser.tab();
    await page.goto(web.server.url + '/waits');
    assert.ok((await chartsOf(page)).every((c) => c.legend));
    assert.equal(await page.locator('details.chart-legend').first().isVisible(), false);
  });
});
