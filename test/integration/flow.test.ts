/**
 * Review flow end to end on the demo project, in both engines: the queue, the waits and the
 * dashboards from the CLI; the planted facts found (the slow area, the changes one +2 short, the
 * unreviewed and the blocked ones); `--compat reviewstats` checked against reviewstats' algorithm
 * run directly on the SSH export; the queue's one-moment rule held to the replay; and the errors a
 * bad query gives from each place a query can come from.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { replayFlow, situationAt, gatingCiIds } from '../../src/analysis/queue-state.js';
import { demoConfig, generateDemoChanges } from '../../src/demo/demo-project.js';
import { writeSshExport } from '../../src/demo/demo-export.js';
import type { DemoChange } from '../../src/demo/demo-change.js';
import { openStore } from '../../src/store/open-store.js';
import { loadCiReporters, loadFlowChanges, loadGatingCiCandidates } from '../../src/store/queries/flow.js';
import type { EngineName } from '../../src/store/engine.js';
import { runSteward } from '../helpers/cli.js';
import { cachedStore } from '../helpers/demo-cache.js';
import { ENGINES, freshLocation } from '../helpers/stores.js';

const NOW = Date.UTC(2026, 10, 1);
const NOW_ARG = '2026-11-01';
const DEMO = { seed: 5, changes: 2500, months: 6, now: NOW };
const HOST = 'review.example.org';
let dir: string;
let ssh: string;
let truth: DemoChange[];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'steward-flow-'));
  ssh = join(dir, 'demo-ssh.json');
  await writeSshExport(DEMO, ssh);
  truth = [...generateDemoChanges(DEMO)];
  const cfg = demoConfig(DEMO);
  writeFileSync(
    join(dir, 'steward.yaml'),
    [
      `hosts: [{ name: ${HOST}, url: 'https://${HOST}' }]`,
      `projects: [{ name: demo/compute, core: { members: [${cfg.coreTeam.join(', ')}] } }]`,
      `bots: [${cfg.bots.join(', ')}]`,
      'releases:',
      ...cfg.releases.map(
        (r) => `  - { name: ${r.name}, start: '${r.start}', featureFreeze: '${r.featureFreeze}', release: '${r.release}' }`,
      ),
      '',
    ].join('\n'),
  );
});
after(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A store with the demo's SSH export imported by `steward import`. Two describes below read the
 * same SQLite import (the reports, then the command line's errors and renderings): under the test
 * runner it is made once and copied (demo-cache.ts). PostgreSQL's is read once: imported directly.
 */
async function importedStore(engine: EngineName): Promise<{ location: string; cleanup: () => Promise<void> }> {
  const fill = async (location: string) => {
    const r = await runSteward(['import', ssh, '--db', location, '--host', HOST, '--quiet'], { cwd: dir, now: NOW });
    assert.equal(r.code, 0, r.stderr);
  };
  if (engine === 'sqlite') return cachedStore(engine, `steward import of writeSshExport(${JSON.stringify(DEMO)}) --host ${HOST}`, fill);
  const fresh = await freshLocation(engine);
  await fill(fresh.location);
  return fresh;
}

/**
 * A report's JSON from the CLI. The stores `json` reads are not written after their import, and the
 * command runs at NOW in `dir`, whose steward.yaml does not change: the same command on the same
 * store gives the same report, so it runs once and later tests read what it printed (the queue and
 * `waits --days 120` are asked for again by the filter test, which compares the filtered reports
 * with them; a waits report with its models and bootstraps is about a second of CPU).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed report
const reports = new Map<string, Promise<any>>();
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed report
const json = (args: string[], location: string): Promise<any> => {
  const key = JSON.stringify([location, args]);
  let report = reports.get(key);
  if (!report) {
    report = (async () => {
      const r = await runSteward([...args, '--db', location, '--format', 'json'], { cwd: dir, now: NOW });
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout) as unknown;
    })();
    reports.set(key, report);
  }
  return report;
};

// ---- reviewstats' openreviews, run directly on the SSH export (Python semantics) -------------

interface SshApproval {
  type: string;
  value: string;
  grantedOn: number;
}
interface SshPatchSet {
  number: number;
  createdOn: number;
  approvals?: SshApproval[];
}
interface SshRow {
  number?: number;
  branch: string;
  status: string;
  patchSets: SshPatchSet[];
  rowCount?: number;
  type?: string;
}

function reviewstatsOpenreviews(lines: SshRow[], nowSeconds: number, waitingMore: number) {
  const ageOf = (p: SshPatchSet) => {
    const a = [...(p.approvals ?? [])].sort((x, y) => x.grantedOn - y.grantedOn);
    return nowSeconds - (a.length ? a[0]!.grantedOn : p.createdOn);
  };
  const onReviewer: Array<{ n: number; age: number; age2: number; age3: number }> = [];
  const onSubmitter: number[] = [];
  for (const c of lines) {
    if (c.type === 'stats' || c.number === undefined) continue;
    if (c.status !== 'NEW' || c.branch.includes('stable')) continue;
    const latest = c.patchSets[c.patchSets.length - 1]!;
    const ap = latest.approvals ?? [];
    if (ap.some((a) => a.type === 'Workflow' && Number(a.value) < 0)) continue;
    if (ap.some((a) => a.type === 'Approved' || (a.type === 'Workflow' && Number(a.value) > 0))) continue;
    const nacked = ap.some((a) => ['CRVW', 'VRIF', 'Code-Review', 'Verified'].includes(a.type) && (a.value === '-1' || a.value === '-2'));
    let oldest: SshPatchSet | null = null;
    for (const p of [...c.patchSets].reverse()) {
      if ((p.approvals ?? []).some((a) => a.value === '-1' || a.value === '-2')) break;
      oldest = p;
    }
    const row = { n: c.number, age: ageOf(latest), age2: ageOf(c.patchSets[0]!), age3: oldest ? ageOf(oldest) : 0 };
    if (nacked) onSubmitter.push(c.number);
    else onReviewer.push(row);
  }
  const stats = (k: 'age' | 'age2' | 'age3') => {
    const asc = [...onReviewer].sort((a, b) => a[k] - b[k] || a.n - b.n);
    const q = (x: number) => asc[Math.floor((asc.length * x) / 4)]![k];
    return { average: Math.floor(asc.reduce((s, r) => s + r[k], 0) / asc.length), q1: q(1), median: q(2), q3: q(3) };
  };
  const top = (k: 'age' | 'age2' | 'age3') =>
    [...onReviewer]
      .sort((a, b) => b[k] - a[k] || a.n - b.n)
      .slice(0, 5)
      .map((r) => [r.n, r[k]]);
  return {
    total: onReviewer.length + onSubmitter.length,
    onReviewer: onReviewer.map((r) => r.n).sort((a, b) => a - b),
    onSubmitter: onSubmitter.sort((a, b) => a - b),
    latest: stats('age'),
    withoutNack: stats('age3'),
    first: stats('age2'),
    moreThan: onReviewer.filter((r) => r.age >= waitingMore * 86_400).length,
    top: { age: top('age'), age3: top('age3'), age2: top('age2') },
  };
}

const results: Record<string, { queue: unknown; waits: unknown; dashboard: unknown }> = {};

for (const engine of ENGINES) {
  describe(`review flow on ${engine.name}`, { skip: engine.skip }, () => {
    let location: string;
    let cleanup: () => Promise<void>;
    before(async () => ({ location, cleanup } = await importedStore(engine.name)));
    after(async () => cleanup());

    it('queue: every open change classified; the planted one-+2-short, unreviewed and blocked changes found', async () => {
      const q = await json(['queue', '--now', NOW_ARG], location);
      results[engine.name] = { ...results[engine.name]!, queue: q };
      const s = q.states;
      assert.equal(s.reviewers.count + s.author.count + s.ci.count + s.approved.count + s.wip.count, q.open);
      const open = truth.filter((c) => c.status === 'NEW');
      assert.equal(q.open, open.length);
      // Planted one-short changes whose story got as far as the first +2 before the demo's end.
      const gotPlusTwo = (c: DemoChange) =>
        c.approvals.some((a) => a.label === 'Code-Review' && a.value === 2 && a.patchSet === c.patchSets.length);
      const oneShort = open.filter((c) => c.truth.fate === 'stall-one-short' && gotPlusTwo(c)).map((c) => c.number);
      assert.ok(oneShort.length >= 10, `planted one-short changes: ${oneShort.length}`);
      const found = new Set<number>(q.onePlusTwoShort.changes);
      assert.deepEqual(
        oneShort.filter((n) => !found.has(n)),
        [],
        'every planted one-+2-short change is listed',
      );
      // Planted "nobody looks at the final patch set" changes wait on reviewers; those nobody but
      // the owner and CI ever touched are never reviewed.
      const bots = new Set(demoConfig(DEMO).bots);
      const unreviewed = open.filter((c) => c.truth.fate === 'stall-unreviewed' && !c.workInProgress);
      assert.ok(unreviewed.length >= 10, `planted unreviewed changes: ${unreviewed.length}`);
      // (Some are still mid-story at the demo's end: a failed CI run on a rebase, a critic's −1.)
      const waiting = unreviewed.filter((c) => s.reviewers.changes.includes(c.number) || s.ci.changes.includes(c.number));
      assert.ok(
        waiting.length / unreviewed.length >= 0.8,
        `unreviewed changes waiting on reviewers: ${waiting.length} of ${unreviewed.length}`,
      );
      const untouched = open
        .filter(
          (c) => !c.workInProgress && c.messages.every((m) => m.author.accountId === c.owner.accountId || bots.has(m.author.username)),
        )
        .map((c) => c.number);
      const never = new Set<number>(q.neverReviewed.changes);
      const wipNow = new Set<number>(s.wip.changes);
      assert.deepEqual(
        untouched.filter((n) => !never.has(n) && !wipNow.has(n)),
        [],
        'untouched changes are never reviewed',
      );
      assert.deepEqual(
        [...never].filter((n) => !untouched.includes(n)),
        [],
        'never-reviewed changes were touched only by their owner and CI',
      );
      const minusTwo = (c: DemoChange) =>
        c.approvals.some((a) => a.label === 'Code-Review' && a.value === -2 && a.patchSet === c.patchSets.length);
      const blocked = open.filter((c) => c.truth.fate === 'stall-blocked' && minusTwo(c)).map((c) => c.number);
      assert.ok(blocked.length > 0);
      assert.deepEqual(
        blocked.filter((n) => !s.author.changes.includes(n)),
        [],
        'blocked changes wait on their author',
      );
      assert.ok(q.states.author.blocked >= blocked.length);
      assert.match(q.waitingOnReviewers.sinceLatestPatchSet.longest[0].url, /^https:\/\/review\.example\.org\/c\/demo\/compute\/\+\/\d+$/);
    });

    it('queue --compat reviewstats equals reviewstats’ algorithm run on the SSH export itself', async () => {
      const r = await json(['queue', '--now', NOW_ARG, '--compat', 'reviewstats', '--waiting-more', '7'], location);
      const lines = readFileSync(ssh, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as SshRow);
      const want = reviewstatsOpenreviews(lines, Math.floor(NOW / 1000), 7);
      assert.equal(r.totalOpenReviews, want.total);
      assert.deepEqual(r.changes.waitingOnReviewer, want.onReviewer);
      assert.deepEqual(r.changes.waitingOnSubmitter, want.onSubmitter);
      const pick = (x: any) => ({ average: x.averageSeconds, q1: x.q1Seconds, median: x.medianSeconds, q3: x.q3Seconds }); // eslint-disable-line @typescript-eslint/no-explicit-any
      assert.deepEqual(pick(r.latestRevision), want.latest);
      assert.deepEqual(pick(r.lastWithoutNack), want.withoutNack);
      assert.deepEqual(pick(r.firstRevision), want.first);
      assert.equal(r.latestRevision.waitingMoreThan.count, want.moreThan);
      assert.deepEqual(
        r.longestWaitingLatest.map((e: { number: number; seconds: number }) => [e.number, e.seconds]),
        want.top.age,
      );
      assert.deepEqual(
        r.longestWaitingWithoutNack.map((e: { number: number; seconds: number }) => [e.number, e.seconds]),
        want.top.age3,
      );
      assert.deepEqual(
        r.oldest.map((e: { number: number; seconds: number }) => [e.number, e.seconds]),
        want.top.age2,
      );
    });

    it('waits: the planted slow area is named, and release phase and core load are no longer artefacts', async () => {
      const w = await json(['waits', '--now', NOW_ARG, '--days', '120'], location);
      results[engine.name] = { ...results[engine.name]!, waits: w };
      const factor = (name: string) => w.factors.find((f: { factor: string }) => f.factor === name);
      const area = factor('area');
      const slowArea = demoConfig(DEMO).planted.slowArea;
      for (const model of ['merge', 'firstCoreReview']) {
        assert.equal(area[model].declared, true, model);
        assert.equal(area[model].named.level, slowArea, model);
        assert.ok(area[model].named.hazardRatio < 0.6, `${model}: ${JSON.stringify(area[model].named)}`);
        assert.notEqual(area[model].reference, 'other');
      }
      const text = w.summary.join('\n');
      assert.match(text, /Largest association — area: "nova\/virt\/hyperv\/" associated with [\d.]+× slower merging/);
      // The survivorship artefacts of the closed-only comparison (issue 21) are gone.
      for (const name of ['release phase', 'core load']) {
        assert.equal(factor(name).merge.declared, false, name);
        assert.equal(factor(name).firstCoreReview.declared, false, name);
      }
      assert.equal(factor('patch sets').role, 'mediator');
      assert.doesNotMatch(text, /makes|beyond noise|within noise/);
      // The default 90-day window too: fewer changes, and the slow area is still its own level
      // (a fixed "top 8 areas" once lumped it into "other").
      const w90 = await json(['waits', '--now', NOW_ARG], location);
      const area90 = w90.factors.find((f: { factor: string }) => f.factor === 'area');
      assert.ok(
        area90.groups.some((g: { group: string }) => g.group === slowArea),
        `areas: ${area90.groups.map((g: { group: string }) => g.group)}`,
      );
      assert.equal(area90.merge.named.level, slowArea);
      // The cohort: every change created in the window, followed to now (open ones included).
      const since = NOW - 120 * 86_400_000;
      const created = truth.filter((c) => c.created >= since && c.created < NOW);
      assert.equal(w.cohort.total, created.length);
      assert.equal(w.changes.length, created.length);
      assert.equal(w.cohort.open, w.changes.filter((c: { outcome: string }) => c.outcome === 'open').length);
      assert.ok(w.cohort.open > 0);
      assert.equal(w.overall.toMerge.n, created.length);
      for (const c of w.changes.slice(0, 50)) {
        const sum = c.reviewersDays + c.authorDays + c.ciDays + c.wipDays + c.abandonedDays;
        assert.ok(Math.abs(sum - c.followDays) < 0.06, `change ${c.number}: parts ${sum} vs follow-up ${c.followDays}`);
      }
      const b = await json(['waits', '--now', NOW_ARG, '--days', '120', '--bandwidth'], location);
      assert.equal(b.kind, 'bandwidth');
      assert.ok(b.weeks.length >= 17);
      assert.ok(b.weeks.every((w: { coreReviews: number; reviews: number }) => w.coreReviews <= w.reviews));
      // Partial weeks are dropped; the balance adds up; supply is weighed with arrivals, and a
      // wide interval is "cannot tell", never "did not".
      assert.ok(b.droppedWeeks.length >= 1 && b.fullWeeks.length === b.weeks.length - b.droppedWeeks.length);
      assert.equal(b.balance.net, b.balance.entries - b.balance.exits);
      const core = b.regression.terms.find((t: { name: string }) => t.name === 'core reviews');
      assert.ok(['grows', 'shrinks', 'cannot tell'].includes(core.verdict));
      assert.doesNotMatch(b.summary.join('\n'), /did not|within noise/);

      // The age of what is waiting at each week's end (the queue chart's lines) is in the text table
      // and the CSV too, not only in the JSON: the same figures, week by week.
      const args = ['waits', '--now', NOW_ARG, '--days', '120', '--bandwidth', '--db', location];
      const csv = await runSteward([...args, '--format', 'csv'], { cwd: dir, now: NOW });
      assert.equal(csv.code, 0, csv.stderr);
      const [head, ...rows] = csv.stdout
        .trimEnd()
        .split('\n')
        .map((l) => l.split(','));
      const col = (name: string) => head!.indexOf(name);
      for (const name of ['waiting_at_end', 'median_age_at_end_days', 'p90_age_at_end_days']) assert.ok(col(name) > 0, name);
      assert.equal(rows.length, b.weeks.length);
      const table = await runSteward(args, { cwd: dir, now: NOW });
      assert.equal(table.code, 0, table.stderr);
      assert.match(table.stdout, /waiting@end +age med +age p90/);
      const textRows = table.stdout.split('\n').filter((l) => /^ {2}\d{4}-\d{2}-\d{2} /.test(l));
      assert.equal(textRows.length, b.weeks.length);
      b.weeks.forEach(
        (w: { week: string; waitingAtEnd: number; medianAgeAtEndDays: number | null; p90AgeAtEndDays: number | null }, i: number) => {
          const cell = (x: number | null) => (x === null ? '' : String(x));
          assert.deepEqual(
            [rows[i]![0], rows[i]![col('waiting_at_end')], rows[i]![col('median_age_at_end_days')], rows[i]![col('p90_age_at_end_days')]],
            [w.week, String(w.waitingAtEnd), cell(w.medianAgeAtEndDays), cell(w.p90AgeAtEndDays)],
            `week ${w.week} in the CSV`,
          );
          // Text: week … λ×W, then waiting@end, age med, age p90, then reviews, core rev., cores.
          const t = textRows[i]!.trim().split(/\s+/);
          assert.deepEqual(
            [t[0], ...t.slice(8, 11)],
            [w.week, String(w.waitingAtEnd), String(w.medianAgeAtEndDays ?? 'n/a'), String(w.p90AgeAtEndDays ?? 'n/a')],
            `week ${w.week} in the text table`,
          );
        },
      );
      assert.ok(b.weeks.some((w: { medianAgeAtEndDays: number | null }) => w.medianAgeAtEndDays !== null));
    });

    it('dashboard: the shipped review inbox, evaluated', async () => {
      const d = await json(['dashboard', 'review-inbox', '--now', NOW_ARG], location);
      results[engine.name] = { ...results[engine.name]!, dashboard: d };
      assert.equal(d.sections.length, 6);
      const finalPlusTwo = d.sections.find((s: { name: string }) => s.name === 'Needs final +2');
      assert.ok(finalPlusTwo.count > 0);
      assert.ok(finalPlusTwo.changes.every((c: { state: string }) => c.state === 'reviewers' || c.state === 'ci'));
      // The list with --now: the envelope's time is the one given (the list itself does not depend on it).
      const list = await json(['dashboard', '--list', '--now', '2025-06-01'], location);
      assert.equal(list.now, '2025-06-01T00:00:00.000Z');
      assert.ok(list.dashboards.some((x: { name: string }) => x.name === 'review-inbox'));
    });

    it('project and branch filters select on the scope’s own rows: the same reports as filtering by hand', async () => {
      const all = await json(['queue', '--now', NOW_ARG], location);
      assert.deepEqual(await json(['queue', '--now', NOW_ARG, '--project', 'demo/compute'], location), all);
      const master = await json(['queue', '--now', NOW_ARG, '--branch', 'master'], location);
      const openOnMaster = truth.filter((c) => c.status === 'NEW' && c.branch === 'master').length;
      assert.ok(openOnMaster > 0 && openOnMaster < truth.filter((c) => c.status === 'NEW').length, `open on master: ${openOnMaster}`);
      assert.equal(master.open, openOnMaster);
      const waits = await json(['waits', '--now', NOW_ARG, '--days', '120'], location);
      assert.deepEqual(await json(['waits', '--now', NOW_ARG, '--days', '120', '--project', 'demo/compute'], location), waits);
      const onMaster = await json(['waits', '--now', NOW_ARG, '--days', '120', '--branch', 'master'], location);
      // Each change's own split is the same (its factors may not be: core load and the branch groups
      // are read from the changes reported on).
      const split = (c: Record<string, unknown>) => ({
        number: c.number,
        branch: c.branch,
        followDays: c.followDays,
        reviewersDays: c.reviewersDays,
        authorDays: c.authorDays,
        ciDays: c.ciDays,
        wipDays: c.wipDays,
        firstHumanReviewDays: c.firstHumanReviewDays,
      });
      assert.ok(onMaster.changes.length > 0 && onMaster.changes.length < waits.changes.length);
      assert.deepEqual(onMaster.changes.map(split), waits.changes.filter((c: { branch: string }) => c.branch === 'master').map(split));
    });

    it('flow messages with their events read in one pass equal the ones read from every message', async () => {
      const store = await openStore(location);
      try {
        const scope = { kind: 'active', since: NOW - 120 * 86_400_000, until: NOW } as const;
        const [flow, every] = await Promise.all([
          loadFlowChanges(store.db, store.engine, { scope, messages: 'flow', asOf: NOW - 30 * 86_400_000 }),
          loadFlowChanges(store.db, store.engine, { scope, messages: 'all', asOf: NOW - 30 * 86_400_000 }),
        ]);
        assert.equal(flow.length, every.length);
        let events = 0;
        for (let i = 0; i < flow.length; i++) {
          assert.equal(flow[i]!.messagesComplete, true);
          assert.deepEqual(
            flow[i]!.messages,
            every[i]!.messages.filter((m) => m.kind === 'comment' || m.kind === 'system'),
            `change ${flow[i]!.number}`,
          );
          events += flow[i]!.messages.filter((m) => m.event).length;
        }
        assert.ok(events > 50, `messages with events: ${events}`);
      } finally {
        await store.close();
      }
    });

    it('the queue’s one-moment rule agrees with the replay, change by change', async () => {
      const store = await openStore(location);
      try {
        const [changes, gating, reporters] = await Promise.all([
          loadFlowChanges(store.db, store.engine, { scope: { kind: 'active', since: 0, until: NOW }, messages: 'flow' }),
          loadGatingCiCandidates(store.db),
          loadCiReporters(store.db),
        ]);
        const bots = new Set(reporters);
        const ctx = { isBot: (id: number) => bots.has(id), gatingCi: gatingCiIds(gating, bots) };
        let compared = 0;
        for (const c of changes) {
          for (const t of [c.created + 3_600_000, c.created + 5 * 86_400_000, NOW]) {
            const r = replayFlow(c, ctx, t);
            if (r.stop < t || r.final.state === 'closed' || t > NOW) continue;
            const s = situationAt(c, ctx, t);
            assert.deepEqual(s, r.final, `change ${c.number} at ${new Date(t).toISOString()}`);
            compared++;
          }
        }
        assert.ok(compared > 1000, `compared ${compared}`);
      } finally {
        await store.close();
      }
    });
  });
}

describe('review flow: both engines give the same reports', () => {
  it('queue, waits and dashboard JSON are identical in SQLite and PostgreSQL', { skip: ENGINES[1]!.skip }, () => {
    assert.deepEqual(results.postgres?.queue, results.sqlite?.queue);
    assert.deepEqual(results.postgres?.waits, results.sqlite?.waits);
    assert.deepEqual(results.postgres?.dashboard, results.sqlite?.dashboard);
  });
});

describe('review flow on the command line: errors pointing at the operator, and the renderings', () => {
  let location: string;
  let cleanup: () => Promise<void>;
  before(async () => ({ location, cleanup } = await importedStore('sqlite')));
  after(async () => cleanup());

  it('--query: a usage error with a caret under the operator', async () => {
    const r = await runSteward(['dashboard', '--query', 'status:open is:mergeable', '--db', location], { cwd: dir, now: NOW });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot evaluate `is:mergeable`.*\(column 13\)\n {4}status:open is:mergeable\n {16}\^{12}/);
  });

  it('--query nested 3,000 levels deep: a usage error naming --query, no RangeError', async () => {
    const r = await runSteward(['dashboard', '--query', `${'('.repeat(3000)}status:open${')'.repeat(3000)}`, '--db', location], {
      cwd: dir,
      now: NOW,
    });
    assert.equal(r.code, 2, r.stderr.slice(0, 500));
    assert.match(r.stderr, /^steward: --query: the query nests parentheses or NOT more than 100 levels deep \(column 101\)/);
    assert.doesNotMatch(r.stderr, /RangeError|call stack/);
  });

  it('steward.yaml dashboards: a config error naming the file and the section', async () => {
    const cfg = join(dir, 'bad-dash.yaml');
    writeFileSync(
      cfg,
      `${readFileSync(join(dir, 'steward.yaml'), 'utf8')}dashboards:\n  - name: mine\n    foreach: status:open\n    sections:\n      - { name: ok, query: 'label:Code-Review>=2' }\n      - { name: bad, query: 'label:Code-Review<=2' }\n`,
    );
    const r = await runSteward(['dashboard', 'mine', '--db', location, '--config', cfg], { cwd: dir, now: NOW });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /bad-dash\.yaml: dashboards\[0\]: sections\[1\]\.query: label range includes 0/);
  });

  it('a .dash file: an input error naming the file and line', async () => {
    const dash = join(dir, 'team.dash');
    writeFileSync(dash, '[dashboard]\ntitle = Team\nforeach = status:open\n\n[section "Mine"]\nquery = owner:self\n');
    const r = await runSteward(['dashboard', '--file', dash, '--db', location], { cwd: dir, now: NOW });
    assert.equal(r.code, 6, r.stderr);
    assert.match(r.stderr, /team\.dash:6: section "Mine": `owner:self` needs to know who "self" is/);
    const ok = await runSteward(['dashboard', '--file', dash, '--db', location, '--as', 'zuul', '--format', 'json'], {
      cwd: dir,
      now: NOW,
    });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).sections[0].count, 0);
  });

  it('--gerrit-url prints the Gerrit dashboard URL, the core group renamed from steward.yaml', async () => {
    const cfg = join(dir, 'group.yaml');
    writeFileSync(
      cfg,
      `hosts: [{ name: ${HOST}, url: 'https://${HOST}' }]\nprojects: [{ name: demo/compute, core: { group: nova-core } }]\n`,
    );
    const r = await runSteward(['dashboard', 'review-inbox', '--gerrit-url', '--db', location, '--config', cfg], { cwd: dir, now: NOW });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Review inbox\nhttps:\/\/review\.example\.org\/dashboard\/\?title=Review%20inbox&foreach=status%3Aopen/);
    assert.match(r.stdout, /%2Cnova-core/);
    assert.doesNotMatch(r.stdout, /%2Ccore\b/);
  });

  it('text and CSV renderings', async () => {
    const run = async (args: string[]) => {
      const r = await runSteward([...args, '--db', location, '--now', NOW_ARG], { cwd: dir, now: NOW });
      assert.equal(r.code, 0, r.stderr);
      return r.stdout;
    };
    assert.match(await run(['queue']), /^Review queue of demo\/compute as of 2026-11-01T00:00:00Z: \d+ open changes\n/);
    assert.match(await run(['queue', '--trivial']), /^Trivial-fix queue of demo\/compute/);
    assert.match(
      await run(['queue', '--trivial', '--format', 'csv']),
      /^rank,number,project,waiting_days,delta,why,bugs,score,url,subject\n/,
    );
    const rs = await run(['queue', '--compat', 'reviewstats']);
    assert.match(rs, /^> Projects: \['demo\/compute'\]\n--> Total Open Reviews: \d+/);
    // reviewstats' own wording today (an old release printed "1rd quartile").
    assert.match(rs, /----> 1st quartile wait time: /);
    assert.doesNotMatch(rs, /1rd/);
    assert.match(await run(['waits']), /^Where the time went: demo\/compute/);
    assert.match(
      await run(['waits', '--format', 'csv']),
      /^number,project,branch,owner,outcome,created,closed,follow_days,reviewers_days,author_days,ci_days,wip_days,abandoned_days,first_human_review_days,first_core_review_days,review_follow_days,factor_size,factor_area,factor_author,factor_kind,factor_branch,factor_release_phase,factor_core_load,factor_patch_sets,url\n\d+,/,
    );
    assert.match(
      await run(['waits', '--bandwidth', '--format', 'csv']),
      /^week,arrivals,queue_entries,queue_exits,queue_at_start,queue_average,mean_wait_days,little_lambda_w,waiting_at_end,median_age_at_end_days,p90_age_at_end_days,reviews,core_reviews,cores\n/,
    );
    assert.match(
      await run(['dashboard', 'review-inbox', '--format', 'csv']),
      /^section,number,project,branch,updated_days,state,owner,subject,url\n/,
    );
    assert.match(await run(['dashboard']), /review-inbox +Review inbox — 6 sections \(shipped with Steward\)/);
    // The short overview counts the open changes and leaves the queue to --full, saying so.
    const short = await run(['overview']);
    assert.match(short, /\nOpen changes: \d+ \(\d+ work in progress\)\n/);
    assert.match(short, /\n {2}review queue: steward queue\n/);
    assert.doesNotMatch(short, /Review queue \(steward queue\)/);
    assert.match(await run(['overview', '--full']), /Review queue \(steward queue\)\n {2}\d+ open: \d+ waiting on reviewers/);
  });

  it('usage errors', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['queue', '--compat', 'gerrit'], /--compat must be reviewstats/],
      [['queue', '--days', '30'], /--days is used only with --trivial/],
      [['queue', '--project', 'no/such'], /no changes of project "no\/such"/],
      [['dashboard', 'nope'], /no dashboard named "nope"/],
      [['dashboard', 'review-inbox', '--query', 'x:y'], /name one dashboard/],
      [['waits', '--since', '2026-05-01', '--until', '2026-04-01'], /window is empty or inverted/],
    ];
    for (const [args, pattern] of cases) {
      const r = await runSteward([...args, '--db', location], { cwd: dir, now: NOW });
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, pattern);
    }
  });
});
