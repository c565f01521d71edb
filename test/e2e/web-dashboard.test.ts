/**
 * The dashboard in a real headless Chromium (Debian's, driven by playwright-core) on the demo
 * project: every page loads with no console error (a Content-Security-Policy violation is one);
 * the numbers on the pages equal the CLI's JSON for the same parameters; sorting and filtering
 * work (and sorting without JavaScript, from the URL); charts are drawn in light and dark schemes
 * with their tables a click away; a change subject and a name holding HTML and script are shown
 * as text. SQLite only: the API tests hold both engines to the CLI's numbers.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { BROWSER_SKIP_REASON, browserDemo } from '../helpers/web.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed CLI JSON
type Json = any;
/** The little of the DOM these tests read (the project compiles without the DOM library). */
interface El {
  textContent: string | null;
  getAttribute(name: string): string | null;
  cells: El[];
}

const PAGES = [
  '/',
  '/reviewers',
  '/reviewers?days=30',
  '/core',
  '/queue',
  '/queue?trivial=true',
  '/dashboards',
  '/dashboards/review-inbox',
  '/waits',
  '/ci',
  '/specs',
  '/specs?release=kestrel',
  '/priorities',
  '/priorities?release=Larch',
  '/security/advisories',
];
const HOSTILE_SUBJECT = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script> & "quoted"';
const HOSTILE_NAME = '<b onmouseover="window.__xss=3">Mallory</b><script>window.__xss=4</script>';

const numberOf = (s: string): number => Number(s.replace(/[,%\s]/g, ''));

describe('web dashboard in Chromium', { skip: BROWSER_SKIP_REASON }, () => {
  const web = browserDemo();
  const { cli, launch } = web;
  let hostileChange: number;
  let hostileUser: string;

  before(async () => {
    // Untrusted text in the store: the longest-waiting change's subject and the busiest reviewer's name.
    const overview = await cli(['overview']);
    hostileChange = overview.open.longestWaiting[0].number;
    const reviewers = await cli(['reviewers']);
    hostileUser = reviewers.rows[0].username;
    await web.server.store.db.updateTable('changes').set({ subject: HOSTILE_SUBJECT }).where('number', '=', hostileChange).execute();
    await web.server.store.db.updateTable('accounts').set({ name: HOSTILE_NAME }).where('username', '=', hostileUser).execute();
  });

  it('every page loads with no console errors, and every chart is drawn', async () => {
    for (const path of PAGES) {
      const { page, errors } = await web.browser.tab();
      const res = await page.goto(web.server.url + path, { waitUntil: 'load' });
      assert.equal(res.status(), 200, path);
      assert.ok((await page.title()).endsWith('— Steward'), path);
      const charts = await page.$$eval('canvas[data-chart]', (cs: El[]) =>
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        cs.map((c) => Boolean((globalThis as any).Chart?.getChart(c))),
      );
      assert.ok(charts.every(Boolean), `${path}: every canvas has a chart`);
      assert.deepEqual(errors, [], `${path}: ${errors.join('\n')}`);
    }
  });

  it('the overview shows the CLI overview numbers', async () => {
    const o = await cli(['overview']);
    const { page } = await web.browser.tab();
    await page.goto(web.server.url + '/');
    const stats = async (id: string) =>
      (await page.$$eval(`#${id} .stat-value`, (els: El[]) => els.map((e) => e.textContent ?? ''))).map(numberOf);
    assert.deepEqual(await stats('overview-changes'), [o.changes.opened, o.changes.merged, o.changes.abandoned]);
    // The short overview: the open changes as the queue counts them, no queue or CI line (left to full=true).
    assert.deepEqual(await stats('overview-open'), [
      o.open.count,
      o.open.workInProgress,
      o.open.waitingDaysSinceLatestPatchSet.median,
      o.open.waitingMoreThan.days7,
    ]);
    assert.equal(o.queue, null);
    assert.equal(o.ci, null);
    assert.deepEqual(await stats('overview-queue'), []);
    assert.deepEqual(await stats('overview-ci'), []);
    const r = await stats('overview-reviewers');
    assert.deepEqual([r[0], r[1]], [o.reviewers.reviews, o.reviewers.active]);
    // The full overview: the queue and the CI line.
    const f = await cli(['overview', '--full']);
    await page.goto(web.server.url + '/?full=true');
    assert.deepEqual(await stats('overview-queue'), [
      f.queue.open,
      f.queue.reviewers,
      f.queue.author,
      f.queue.ci,
      f.queue.approved,
      f.queue.wip,
    ]);
    assert.equal(f.queue.open, o.open.count);
    assert.equal(f.queue.wip, o.open.workInProgress);
    assert.equal((await stats('overview-ci'))[0], f.ci.runs);
  });

  it('the reviewers table holds the CLI rows for the same window', async () => {
    for (const days of ['30', '180']) {
      const report = await cli(['reviewers', '--days', days]);
      const { page } = await web.browser.tab();
      await page.goto(`${web.server.url}/reviewers?days=${days}`);
      const rows = await page.$$eval('#reviewers tbody tr', (trs: El[]) =>
        trs.map((tr) => Array.from(tr.cells).map((c) => c.textContent ?? '')),
      );
      assert.equal(rows.length, report.rows.length, `${days} days: one row per reviewer`);
      const byName = new Map<string, string[]>(rows.map((cells: string[]) => [cells[0]!, cells]));
      for (const row of report.rows) {
        const label = row.username ?? row.name;
        const cells = byName.get(label);
        assert.ok(cells, `${label} is on the page`);
        assert.deepEqual(
          cells!.slice(1, 7).map(numberOf),
          [row.reviews, row.codeReview.minus2, row.codeReview.minus1, row.codeReview.plus1, row.codeReview.plus2, row.approvals],
          label,
        );
      }
      const totals = (await page.$$eval('#reviewers-totals .stat-value', (els: El[]) => els.map((e) => e.textContent ?? ''))).map(numberOf);
      assert.deepEqual([totals[0], totals[1]], [report.totals.reviews, report.totals.activeReviewers]);
    }
  });

  it('the core, queue and CI pages show the CLI numbers', async () => {
    const { page } = await web.browser.tab();
    const idle = await cli(['core', 'idle']);
    await page.goto(web.server.url + '/core');
    assert.equal(numberOf(await page.textContent('#idle-count')), idle.idle.length);
    const candidates = await cli(['core', 'candidates']);
    assert.equal(await page.locator('#core-candidates tbody tr').count(), candidates.candidates.length);

    const queue = await cli(['queue']);
    await page.goto(web.server.url + '/queue');
    const states = (await page.$$eval('#queue-states .stat-value', (els: El[]) => els.map((e) => e.textContent ?? ''))).map(numberOf);
    assert.deepEqual(states, [
      queue.open,
      queue.states.reviewers.count,
      queue.states.author.count,
      queue.states.ci.count,
      queue.states.approved.count,
      queue.states.wip.count,
    ]);

    const waits = await cli(['waits']);
    await page.goto(web.server.url + '/waits');
    const shares = (await page.$$eval('#waits-shares .stat-value', (els: El[]) => els.map((e) => e.textContent ?? ''))).map(numberOf);
    const sh = waits.totals.shares;
    assert.deepEqual(
      shares,
      [sh.reviewers, sh.author, sh.ci, sh.wip].map((x: number) => Number((x * 100).toFixed(1))),
    );
    const overall = await page.$$eval('#waits-overall tbody tr', (trs: El[]) => trs.map((tr) => tr.cells[2]!.textContent ?? ''));
    assert.equal(numberOf(overall[0]!), waits.overall.toMerge.median);
    // Each group's merge curve is drawn with its 95% band: the band's edges are the JSON's, and
    // they stay out of the legend; groups with no changes, and a flat "unknown", are not drawn.
    /* eslint-disable @typescript-eslint/no-explicit-any -- the page's Chart.js objects */
    const drawn = await page.evaluate(() => {
      const canvas = (globalThis as any).document.querySelector('canvas[id^="merged-"]');
      const c = (globalThis as any).Chart.getChart(canvas);
      const legend = c.legend.legendItems.map((i: { text: string }) => i.text);
      return { id: canvas.id, legend, datasets: c.data.datasets.map((d: any) => ({ label: d.label, band: !!d.band, data: d.data })) };
    });
    /* eslint-enable @typescript-eslint/no-explicit-any */
    const factor = waits.factors.find((f: Json) => `merged-${f.factor.replace(/[^a-z0-9]+/gi, '-')}` === drawn.id);
    const flat = (g: Json) => g.toMerge.points.every((p: Json) => p.merged === g.toMerge.points[0]?.merged);
    const groups = factor.groups.filter((g: Json) => g.n > 0 && !(g.group === 'unknown' && flat(g)));
    assert.deepEqual(
      drawn.legend,
      groups.map((g: Json) => `${g.group} (n=${g.n})`),
    );
    const bands = drawn.datasets.filter((d: Json) => d.band);
    assert.equal(bands.length, 2 * groups.length, 'a lower and an upper edge per group');
    assert.deepEqual(
      bands[0].data,
      groups[0].toMerge.points.map((p: Json) => p.mergedLow),
    );
    assert.deepEqual(
      bands[1].data,
      groups[0].toMerge.points.map((p: Json) => p.mergedHigh),
    );

    const priorities = await cli(['priorities', 'report', '--release', 'Larch']);
    await page.goto(web.server.url + '/priorities?release=Larch');
    const prows = await page.$$eval('#priorities tbody tr', (trs: El[]) =>
      trs.map((tr) => [tr.cells[0]!.textContent, tr.cells[1]!.textContent]),
    );
    assert.deepEqual(
      prows.map(([t, n]: [string, string]) => [t, numberOf(n)]),
      [
        ...priorities.priorities.map((p: Json) => [p.title, p.proposed]),
        ['all priorities', priorities.allPriorities.proposed],
        ['the rest of the release', priorities.baseline.proposed],
        ['the rest implementing blueprints', priorities.featureBaseline.proposed],
      ],
    );

    const specs = await cli(['specs', 'report']);
    await page.goto(web.server.url + '/specs');
    const releases = await page.$$eval('#specs-releases tbody tr', (trs: El[]) =>
      trs.map((tr) => [tr.cells[0]!.textContent, tr.cells[2]!.textContent, tr.cells[3]!.textContent]),
    );
    assert.deepEqual(
      releases.map(([r, a, i]: [string, string, string]) => [r, numberOf(a), numberOf(i)]),
      specs.releases.filter((r: Json) => r.approved > 0).map((r: Json) => [r.release, r.approved, r.implemented]),
    );

    const jobs = await cli(['ci', 'jobs']);
    await page.goto(web.server.url + '/ci');
    const rows = await page.$$eval('#ci-jobs tbody tr', (trs: El[]) =>
      trs.map((tr) => [tr.cells[0]!.textContent, tr.cells[2]!.textContent]),
    );
    assert.deepEqual(
      rows.map(([job, runs]: [string, string]) => [job, numberOf(runs)]).sort(),
      jobs.jobs.map((j: Json) => [j.job, j.runs]).sort(),
    );
  });

  it('sorting by a column works in the browser and, from the URL, without JavaScript', async () => {
    const { page } = await web.browser.tab();
    await page.goto(`${web.server.url}/reviewers?days=90`);
    const reviews = async () =>
      (await page.$$eval('#reviewers tbody tr', (trs: El[]) => trs.map((tr) => tr.cells[1]!.textContent ?? ''))).map(numberOf);
    await page.click('#reviewers th[data-key="reviews"] a');
    const desc = await reviews();
    assert.deepEqual(
      desc,
      [...desc].sort((a, b) => b - a),
    );
    assert.match(page.url(), /sort=reviews&dir=desc/);
    await page.click('#reviewers th[data-key="reviews"] a');
    const asc = await reviews();
    assert.deepEqual(
      asc,
      [...asc].sort((a, b) => a - b),
    );
    assert.equal(await page.getAttribute('#reviewers th[data-key="reviews"]', 'aria-sort'), 'ascending');

    const noJs = await launch({ javaScriptEnabled: false });
    const { page: plain } = await noJs.newPage();
    await plain.goto(`${web.server.url}/reviewers?days=90&sort=selfVotes&dir=desc`);
    const self = (await plain.$$eval('#reviewers tbody tr', (trs: El[]) => trs.map((tr) => tr.cells[12]!.textContent ?? ''))).map(numberOf);
    assert.ok(self.length > 1);
    assert.deepEqual(
      self,
      [...self].sort((a, b) => b - a),
      'sorted by the server',
    );
  });

  it('filtering hides the rows that do not match', async () => {
    const { page } = await web.browser.tab();
    await page.goto(`${web.server.url}/reviewers`);
    const total = await page.locator('#reviewers tbody tr').count();
    assert.ok(total > 3);
    await page.fill('input[data-filter-for="reviewers"]', hostileUser);
    const visible = await page.locator('#reviewers tbody tr:visible').count();
    assert.ok(visible >= 1 && visible < total, `${visible} of ${total} rows visible`);
    await page.fill('input[data-filter-for="reviewers"]', '');
    assert.equal(await page.locator('#reviewers tbody tr:visible').count(), total);
  });

  it('HTML and script in a change subject and a name are shown as text, never run', async (t) => {
    const { page, errors } = await web.browser.tab();
    let dialog = false;
    const onDialog = async (d: { dismiss(): Promise<void> }) => {
      dialog = true;
      await d.dismiss();
    };
    page.on('dialog', onDialog);
    t.after(() => page.off('dialog', onDialog));
    await page.goto(web.server.url + '/');
    const cell = await page.$$eval('#longest-waiting tbody tr', (trs: El[]) => trs.map((tr) => tr.cells[1]!.textContent));
    assert.ok(cell.includes(HOSTILE_SUBJECT), 'the subject is shown, as text');
    await page.goto(web.server.url + '/reviewers');
    const title = await page.$$eval('#reviewers tbody td span[title]', (els: El[]) => els.map((e) => e.getAttribute('title')));
    assert.ok(title.includes(HOSTILE_NAME), 'the name is shown, as text');
    await page.hover('#reviewers tbody tr:first-child td:first-child');
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    assert.equal(await page.evaluate(() => (globalThis as any).__xss), undefined);
    assert.equal(await page.locator('#longest-waiting img, #reviewers b, main script').count(), 0);
    assert.equal(dialog, false);
    assert.deepEqual(errors, []);
  });

  it('charts are readable in the dark scheme, and each has its table a click away', async (t) => {
    // The scheme as a context's `colorScheme: 'dark'` sets it (the same emulation), on the file's page.
    const { page, errors } = await web.browser.tab();
    await page.emulateMedia({ colorScheme: 'dark' });
    t.after(() => page.emulateMedia({ colorScheme: null }));
    await page.goto(web.server.url + '/queue');
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the page's globals
    const bg = await page.evaluate(() => (globalThis as any).getComputedStyle((globalThis as any).document.body).backgroundColor);
    assert.equal(bg, 'rgb(13, 17, 23)');
    const tickColor = await page.evaluate(
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the page's globals
      () => (globalThis as any).Chart.getChart((globalThis as any).document.querySelector('canvas'))?.options.scales.x.ticks.color,
    );
    assert.equal(tickColor, 'rgb(230, 237, 243)', 'axis text in the dark scheme is light');
    const details = page.locator('figure.chart details:not(.chart-legend)').first();
    assert.equal(await details.locator('table').isVisible(), false);
    await details.locator('summary').click();
    assert.equal(await details.locator('table').isVisible(), true);
    const bandwidth = await cli(['waits', '--bandwidth']);
    const rows = await details.locator('tbody tr').count();
    assert.equal(rows, bandwidth.weeks.length);
    assert.deepEqual(errors, []);
  });
});
