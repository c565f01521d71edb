/**
 * `steward reviewers` and `steward core …` end to end, in-process:
 * - a hand-built history through the store on both engines (a vote changed on one patch set, a vote
 *   carried over by a rebase, a reviewer without a username, a bot, a self-vote, a comment-only review);
 * - `--compat reviewstats` against an independent re-computation of reviewstats' rules straight
 *   from the SSH export file, on the demo project, on both engines;
 * - the demo project's planted facts: its idle cores are idle, its strong candidate ranks on top and
 *   its +1 gamer does not; native numbers checked against hand-written SQL;
 * - mentoring from `mentor add` to `core mentoring`, and the errors on the way.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { demoConfigYaml } from '../../src/cli/commands/demo-command.js';
import { demoConfig } from '../../src/demo/demo-project.js';
import { writeSshExport } from '../../src/demo/demo-export.js';
import type { AccountRef, ChangeRecord } from '../../src/model/records.js';
import { AccountResolver } from '../../src/store/account-resolver.js';
import { writeChanges } from '../../src/store/change-writer.js';
import type { TeamActRecord } from '../../src/model/team.js';
import { openStore } from '../../src/store/open-store.js';
import { loadTeamActs } from '../../src/store/queries/reviewers.js';
import { DAY, HOUR, T0, alice, bob, carol, makeChange, makeMessage, makePatchSet, makeVote, zuul } from '../helpers/builders.js';
import { runSteward } from '../helpers/cli.js';
import { ENGINES, freshLocation } from '../helpers/stores.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- parsed JSON reports */

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'steward-reviewers-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const json = (r: { code: number; stdout: string; stderr: string }): any => {
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
};

// ---- a hand-built history on both engines --------------------------------------------------------

const dave: AccountRef = { accountId: 1004, username: 'dave', name: 'Dave Commenter', email: 'dave@example.org' };
const anon1: AccountRef = { accountId: 2001, name: 'No Username One' };
const anon2: AccountRef = { accountId: 2002, name: 'No Username Two' };
const erin: AccountRef = { accountId: 1005, username: 'erin', name: 'Erin Undecided', email: 'erin@example.org' };
const NOW = T0 + 10 * DAY;

function history(): ChangeRecord[] {
  const c1 = makeChange(501, {
    owner: alice,
    patchSets: [makePatchSet(1, { created: T0 }), makePatchSet(2, { created: T0 + 2 * DAY, kind: 'TRIVIAL_REBASE' })],
    votes: [
      makeVote({ voter: zuul, label: 'Verified', value: 1, grantedAt: T0 + 2 * HOUR }),
      makeVote({ voter: carol, value: 1, grantedAt: T0 + HOUR }),
      makeVote({ voter: carol, value: -1, grantedAt: T0 + 3 * HOUR }), // changed on the same patch set
      makeVote({ voter: bob, value: 2, grantedAt: T0 + 5 * HOUR }),
      makeVote({ voter: bob, value: 2, grantedAt: T0 + 5 * HOUR, patchSet: 2, origin: 'approval', copied: true }), // carried over by the rebase
      makeVote({ voter: alice, value: 1, grantedAt: T0 + 6 * HOUR, selfVote: true }),
      makeVote({ voter: anon1, value: 1, grantedAt: T0 + 7 * HOUR }),
    ],
    messages: [
      makeMessage(0, { author: alice, text: 'Uploaded patch set 1.', kind: 'upload', date: T0 }),
      makeMessage(1, { author: dave, patchSet: 2, text: 'Patch Set 2:\n\nWhy the rebase?', kind: 'comment', date: T0 + 2 * DAY + HOUR }),
    ],
  });
  const c2 = makeChange(502, {
    owner: carol,
    votes: [
      makeVote({ voter: anon2, value: -1, grantedAt: T0 + 4 * HOUR }),
      makeVote({ voter: bob, value: -1, grantedAt: T0 + 8 * HOUR }),
      makeVote({ voter: erin, value: 1, grantedAt: T0 + 9 * HOUR }),
      makeVote({ voter: erin, value: 0, grantedAt: T0 + 10 * HOUR }), // removed again: Gerrit lists no approval
    ],
    messages: [makeMessage(0, { author: carol, text: 'Uploaded patch set 1.', kind: 'upload', date: T0 })],
  });
  // A core's −1 long before the window still makes the verdict on the patch set.
  const c3 = makeChange(503, {
    owner: alice,
    created: T0 - 50 * DAY,
    patchSets: [makePatchSet(1, { created: T0 - 50 * DAY })],
    votes: [makeVote({ voter: bob, value: -1, grantedAt: T0 - 40 * DAY }), makeVote({ voter: carol, value: 1, grantedAt: T0 + 9 * DAY })],
    messages: [makeMessage(0, { author: alice, text: 'Uploaded patch set 1.', kind: 'upload', date: T0 - 50 * DAY })],
  });
  return [c1, c2, c3];
}

const CONFIG = `hosts:
  - name: review.example.org
    url: https://review.example.org
projects:
  - name: demo/compute
    core:
      members: [bob]
bots: [zuul]
`;

for (const engine of ENGINES) {
  describe(`steward reviewers on a hand-built history (${engine.name})`, { skip: engine.skip }, () => {
    let location: string;
    let cleanup: () => Promise<void>;
    let cwd: string;
    before(async () => {
      ({ location, cleanup } = await freshLocation(engine.name));
      cwd = mkdtempSync(join(dir, `${engine.name}-`));
      writeFileSync(join(cwd, 'steward.yaml'), CONFIG);
      const store = await openStore(location);
      const records = history();
      await store.db
        .transaction()
        .execute(async (trx) => writeChanges(trx, new AccountResolver(trx, records[0]!.host, store.bulk), records, 'ssh', store.bulk));
      await store.close();
    });
    after(async () => cleanup());
    const cli = (args: string[]) => runSteward([...args, '--db', location, '--now', new Date(NOW).toISOString()], { cwd });
    const byName = (rows: any[], name: string | null) => rows.find((r) => r.username === name);

    it('counts reviews by its own definition: a changed vote once, a copied vote never, self-votes and bots apart', async () => {
      const r = json(await cli(['reviewers', '--days', '30', '--format', 'json']));
      assert.equal(r.totals.reviews, 8);
      const erinRow = byName(r.rows, 'erin');
      assert.equal(erinRow.reviews, 1, 'a vote removed again is still a review…');
      assert.deepEqual(erinRow.codeReview, { minus2: 0, minus1: 0, plus1: 0, plus2: 0 }, '…in none of the four columns');
      const carolRow = byName(r.rows, 'carol');
      assert.equal(carolRow.reviews, 2);
      assert.deepEqual(carolRow.codeReview, { minus2: 0, minus1: 1, plus1: 1, plus2: 0 });
      assert.equal(carolRow.disagreements, 2, "carol's −1 against bob's +2, her +1 against his −1 from before the window");
      assert.deepEqual(carolRow.disagreedOn, [
        { change: 501, patchSet: 1 },
        { change: 503, patchSet: 1 },
      ]);
      const bobRow = byName(r.rows, 'bob');
      assert.equal(bobRow.reviews, 2, 'the +2 copied to patch set 2 is no new review');
      assert.equal(bobRow.core, 'yes');
      assert.deepEqual(bobRow.changes, [501, 502]);
      assert.equal(
        byName(r.rows, 'alice'),
        undefined,
        'a self-vote alone is no review: alice is no reviewer (her self-vote is in the totals)',
      );
      assert.ok(
        r.rows.every((x: any) => x.reviews > 0),
        'nobody with 0 reviews in the rows',
      );
      assert.equal(byName(r.rows, 'zuul'), undefined);
      assert.equal(byName(r.rows, 'dave').commentOnly, 1);
      assert.equal(r.rows.filter((x: any) => x.username === null).length, 2, 'accounts without a username stay apart');
      assert.equal(r.totals.coreReviews, 2);
      assert.equal(r.totals.coreTeamSize, 1);
      assert.equal(r.totals.selfVotes, 1);
    });

    it('text and CSV: nobody with 0 reviews in the table, and a legend under it for every terse heading', async () => {
      const text = (await cli(['reviewers', '--days', '30'])).stdout;
      const lines = text.split('\n');
      const header = lines.findIndex((l) => l.startsWith('reviewer '));
      const end = lines.indexOf('', header);
      const rows = lines.slice(header + 1, end);
      assert.ok(rows.length > 0);
      assert.ok(!rows.some((l) => l.startsWith('alice ')), 'alice (a self-vote, no review) is not in the table');
      assert.match(rows.at(-1)!, /^Columns: /, 'the legend is the line under the table');
      for (const heading of ['+A', '+/-', 'disagree', '/day', 'comment', 'changes', 'self', 'core'])
        assert.ok(rows.at(-1)!.includes(`${heading} = `), `the legend explains ${heading}`);
      const csv = (await cli(['reviewers', '--days', '30', '--format', 'csv'])).stdout;
      assert.ok(!csv.split('\n').some((l) => l.startsWith('alice,')), 'nor in the CSV');
      assert.equal(
        json(await cli(['reviewers', '--days', '30', '--format', 'json'])).totals.selfVotes,
        1,
        "alice's self-vote still counts in the totals",
      );
    });

    it('--compat reviewstats counts approval records: the copied vote again, self-votes, one "unknown" row, no removed vote', async () => {
      const r = json(await cli(['reviewers', '--compat', 'reviewstats', '--days', '30', '--format', 'json']));
      assert.equal(r.compat, 'reviewstats');
      const rows = r.rows.map((x: any) => [
        x.reviewer,
        x.core,
        x.reviews,
        x.minus2,
        x.minus1,
        x.plus1,
        x.plus2,
        x.approvals,
        x.disagreements,
      ]);
      // carol's +1 on 503 came after bob's −1 there: no disagreement in reviewstats' terms.
      assert.deepEqual(rows, [
        ['bob', true, 3, 0, 1, 0, 2, 0, 0],
        ['carol', false, 2, 0, 1, 1, 0, 0, 1],
        ['unknown', false, 2, 0, 1, 1, 0, 0, 0],
        ['alice', false, 1, 0, 0, 1, 0, 0, 0],
      ]);
      assert.deepEqual(r.totals, {
        reviews: 8,
        reviewsPerDay: 0.3,
        reviewers: 4,
        reviewsPerReviewerPerDay: 0.1,
        coreReviews: 3,
        coreReviewsPerDay: 0.1,
        coreTeamSize: 1,
        coreReviewsPerCorePerDay: 0.1,
      });
      const text = await cli(['reviewers', '--compat', 'reviewstats', '--days', '30']);
      assert.match(text.stdout, /^As reviewstats' `reviewers -d 30` computes them/);
      assert.match(text.stdout, /\|\s+bob \*\*\s+\|\s+3 {4}0 {3}1 {3}0 {3}2 {3}0 {4}66\.7% \|/);
      const csv = await cli(['reviewers', '--compat', 'reviewstats', '--days', '30', '--format', 'csv']);
      assert.equal(csv.stdout.split('\n')[0], 'Reviewer,Reviews,-2,-1,+1,+2,+A,+/- %,Disagreements,Disagreement%,Core');
      assert.equal(csv.stdout.split('\n')[1], 'bob,3,0,1,0,2,0,66.7,0,0.0,yes');
    });

    it('takes its rules from steward.yaml coreRules, flags overriding them, and reports a bad key with what is allowed', async () => {
      writeFileSync(join(cwd, 'steward.yaml'), `${CONFIG}coreRules:\n  idleThreshold: 3\n  idleDays: 30\n`);
      try {
        const idle = json(await cli(['core', 'idle', '--format', 'json']));
        assert.deepEqual(idle.rule, { threshold: 3, days: 30, counts: 'reviews' });
        assert.deepEqual(
          idle.idle.map((c: any) => [c.username, c.count]),
          [['bob', 2]],
        );
        const flagged = json(await cli(['core', 'idle', '--threshold', '2', '--format', 'json']));
        assert.deepEqual(flagged.idle, []);
        writeFileSync(join(cwd, 'steward.yaml'), `${CONFIG}coreRules:\n  idleTreshold: 3\n`);
        const bad = await cli(['core', 'idle']);
        assert.equal(bad.code, 3);
        assert.match(bad.stderr, /unknown key `idleTreshold`; allowed here: idleThreshold, idleDays/);
      } finally {
        writeFileSync(join(cwd, 'steward.yaml'), CONFIG);
      }
    });

    it("the loader's fast path for the engine reads exactly what the portable path reads", async () => {
      const store = await openStore(location);
      try {
        const filter = { since: T0 - 20 * DAY, until: NOW + 1, priorCodeReviewBy: [] as number[] };
        const sort = (acts: TeamActRecord[]) =>
          [...acts].sort(
            (a, b) => a.at - b.at || a.changeId - b.changeId || a.actorId - b.actorId || String(a.label).localeCompare(String(b.label)),
          );
        const fast = sort(await loadTeamActs(store.db, { ...filter, engine: store.engine }));
        const portable = sort(await loadTeamActs(store.db, filter));
        assert.deepEqual(fast, portable);
        assert.equal(
          fast.filter((a) => a.type === 'vote').length,
          11,
          'the votes in the window (6 on 501, 4 on 502, 1 on 503), the copy on 501 not among them',
        );
        assert.equal(fast.filter((a) => a.type === 'comment').length, 1);
        const bobIds = fast.filter((a) => a.changeNumber === 501 && a.label === 'Code-Review' && a.value === 2).map((a) => a.actorId);
        const withPrior = await loadTeamActs(store.db, { ...filter, priorCodeReviewBy: bobIds, engine: store.engine });
        assert.equal(withPrior.length, fast.length + 1, "bob's −1 on 503 before the window comes along");
      } finally {
        await store.close();
      }
    });

    it('refuses what it cannot do, saying what to do instead', async () => {
      const bad = await cli(['reviewers', '--compat', 'gerritstats']);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /--compat must be "reviewstats"/);
      const win = await cli(['reviewers', '--compat', 'reviewstats', '--since', '2015-01-01']);
      assert.equal(win.code, 2);
      assert.match(win.stderr, /give --days N/);
      const proj = await cli(['reviewers', '--project', 'nope']);
      assert.equal(proj.code, 10);
      assert.match(proj.stderr, /Projects in the store: demo\/compute/);
      writeFileSync(join(cwd, 'steward.yaml'), 'projects:\n  - name: demo/compute\n');
      try {
        const noCore = await cli(['core', 'candidates']);
        assert.equal(noCore.code, 3);
        assert.match(noCore.stderr, /no core team is configured/);
        assert.match(noCore.stderr, /projects\[\]\.core\.members/);
        const overview = json(await cli(['overview', '--days', '30', '--full', '--format', 'json']));
        assert.equal(overview.team.idle, null, 'the overview still works without a core team');
        assert.equal(overview.team.reviewers.reviews, 8);
      } finally {
        writeFileSync(join(cwd, 'steward.yaml'), CONFIG);
      }
    });
  });
}

// ---- reviewstats, recomputed from the SSH export file ------------------------------------------------

/**
 * reviewstats' `reviewers -d days` rules applied straight to `gerrit query --all-approvals` rows:
 * written from its documented behaviour, independently of Steward's store and analysis.
 */
function reviewstatsOracle(rows: any[], core: Set<string>, nowMs: number, days: number) {
  const ts = Math.floor((nowMs - days * DAY) / 1000);
  const people = new Map<string, { total: number; v: Record<string, number>; A: number; d: number }>();
  const person = (n: string) => {
    if (!people.has(n)) people.set(n, { total: 0, v: { '-2': 0, '-1': 0, '1': 0, '2': 0 }, A: 0, d: 0 });
    return people.get(n)!;
  };
  let patches = 0;
  let created = 0;
  let involved = 0;
  let merged = 0;
  let abandoned = 0;
  for (const change of rows) {
    let touched = false;
    (change.patchSets ?? []).forEach((ps: any, i: number) => {
      const approvals: any[] = ps.approvals ?? [];
      let neg = 0;
      let pos = 0;
      for (const a of approvals) {
        if (a.type !== 'Code-Review' || !core.has(a.by?.username ?? 'unknown')) continue;
        if (Number(a.value) > 0) pos = Math.max(pos, a.grantedOn);
        else neg = Math.max(neg, a.grantedOn);
      }
      for (const a of approvals) {
        if (a.grantedOn < ts) continue;
        if (!['Code-Review', 'Approved', 'Workflow'].includes(a.type)) continue;
        const p = person(a.by?.username ?? 'unknown');
        if (a.type === 'Approved' || (a.type === 'Workflow' && Number(a.value) > 0)) p.A += 1;
        else if (a.type !== 'Workflow') {
          p.total += 1;
          p.v[a.value] = (p.v[a.value] ?? 0) + 1;
          if ((a.value === '1' || a.value === '2') && a.grantedOn < neg) p.d += 1;
          if ((a.value === '-1' || a.value === '-2') && a.grantedOn < pos) p.d += 1;
        }
      }
      const first = approvals.length ? Math.min(...approvals.map((a) => a.grantedOn)) : ps.createdOn;
      if (first > ts) {
        patches += 1;
        touched = true;
        if (i === 0) created += 1;
      }
    });
    if (touched) {
      involved += 1;
      if (change.status === 'MERGED') merged += 1;
      else if (change.status === 'ABANDONED') abandoned += 1;
    }
  }
  const out = [...people.entries()]
    .filter(([n, p]) => !['jenkins', 'smokestack'].includes(n.toLowerCase()) && (p.total > 0 || p.A > 0))
    .map(([n, p]) => ({
      reviewer: n,
      reviews: p.total,
      minus2: p.v['-2'],
      minus1: p.v['-1'],
      plus1: p.v['1'],
      plus2: p.v['2'],
      approvals: p.A,
      disagreements: p.d,
      core: core.has(n),
    }))
    .sort((a, b) => b.reviews - a.reviews || (a.reviewer < b.reviewer ? -1 : 1));
  const total = out.reduce((s, r) => s + r.reviews, 0);
  const coreTotal = out.filter((r) => r.core).reduce((s, r) => s + r.reviews, 0);
  return { rows: out, total, coreTotal, reviewers: out.filter((r) => r.reviews > 0).length, patches, created, involved, merged, abandoned };
}

describe('--compat reviewstats reproduces reviewstats on an SSH export of the demo project', () => {
  const DEMO = { seed: 11, changes: 400, months: 3, now: Date.UTC(2026, 10, 1) };
  let ssh: string;
  let cwd: string;
  before(async () => {
    cwd = mkdtempSync(join(dir, 'ssh-'));
    ssh = join(cwd, 'demo-ssh.json');
    await writeSshExport(DEMO, ssh);
    writeFileSync(join(cwd, 'steward.yaml'), demoConfigYaml(DEMO));
  });

  for (const engine of ENGINES) {
    it(`matches reviewstats' numbers exactly, quirks included (${engine.name})`, { skip: engine.skip }, async () => {
      const { location, cleanup } = await freshLocation(engine.name);
      try {
        const imp = await runSteward(['import', ssh, '--db', location, '--quiet'], { cwd });
        assert.equal(imp.code, 0, imp.stderr);
        const rows = readFileSync(ssh, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l))
          .filter((r) => r.type !== 'stats');
        const core = new Set(demoConfig(DEMO).coreTeam);
        assert.ok(
          rows.some((r) => r.patchSets.some((p: any) => (p.approvals ?? []).some((a: any) => a.grantedOn < p.createdOn))),
          'the export has copied votes',
        );
        for (const days of [7, 30, 90]) {
          // An odd moment, so the cut-off falls between votes and has a fraction of a second.
          const now = DEMO.now - 3 * DAY - 12_345_678;
          const want = reviewstatsOracle(rows, core, now, days);
          const got = json(
            await runSteward(
              ['reviewers', '--compat', 'reviewstats', '--days', String(days), '--now', String(now), '--db', location, '--format', 'json'],
              { cwd },
            ),
          );
          assert.ok(want.rows.length > 10 && want.total > 100, `a real sample for ${days} days`);
          assert.deepEqual(
            got.rows.map((r: any) => ({
              reviewer: r.reviewer,
              reviews: r.reviews,
              minus2: r.minus2,
              minus1: r.minus1,
              plus1: r.plus1,
              plus2: r.plus2,
              approvals: r.approvals,
              disagreements: r.disagreements,
              core: r.core,
            })),
            want.rows,
            `rows for -d ${days}`,
          );
          assert.ok(
            want.rows.some((r) => r.disagreements > 0),
            'disagreements occur',
          );
          assert.equal(got.totals.reviews, want.total);
          assert.equal(got.totals.coreReviews, want.coreTotal);
          assert.equal(got.totals.reviewers, want.reviewers);
          assert.deepEqual(
            [
              got.changeStats.newPatchSets,
              got.changeStats.newChanges,
              got.changeStats.changesInvolved,
              got.changeStats.merged,
              got.changeStats.abandoned,
            ],
            [want.patches, want.created, want.involved, want.merged, want.abandoned],
            `change statistics for -d ${days}`,
          );
        }
      } finally {
        await cleanup();
      }
    });
  }
});

// ---- the demo project's planted facts ---------------------------------------------------------------

describe('the core-team reports on the demo project', () => {
  const NOW_DATE = '2026-11-01';
  const DEMO = { seed: 42, changes: 2500, months: 12, now: Date.parse(`${NOW_DATE}T00:00:00Z`) };
  const planted = demoConfig(DEMO).planted;
  let cwd: string;
  let db: string;
  const cli = (args: string[]) => runSteward([...args, '--db', db, '--now', NOW_DATE], { cwd });
  const list = (args: string[]) => runSteward(['core', 'mentor', 'list', ...args, '--db', db, '--format', 'json'], { cwd });
  before(async () => {
    cwd = mkdtempSync(join(dir, 'demo-'));
    db = join(cwd, 'steward.db');
    const r = await runSteward(['demo', '--changes', String(DEMO.changes), '--months', '12', '--now', NOW_DATE, '--db', db, '--quiet'], {
      cwd,
    });
    assert.equal(r.code, 0, r.stderr);
  });

  it('reports the planted idle cores as idle, and only them', async () => {
    const r = json(await cli(['core', 'idle', '--format', 'json']));
    assert.deepEqual(r.idle.map((c: any) => c.username).sort(), [...planted.idleCores].sort());
    for (const c of r.idle) {
      assert.ok(c.count < 10);
      assert.ok(c.lastReviewAt && c.belowSince, 'with the facts a thank-you note needs');
      assert.equal(c.quarters.length, 4);
      assert.equal(c.trend, 'falling');
    }
    assert.equal(r.cores.length, 12);
    const text = (await cli(['core', 'idle'])).stdout;
    for (const name of planted.idleCores) assert.match(text, new RegExp(`  ${name} `));
  });

  it('ranks the planted strong reviewer first among the candidates, and the +1 gamer far below', async () => {
    const r = json(await cli(['core', 'candidates', '--format', 'json']));
    const strong = r.candidates.find((c: any) => c.username === planted.strongCandidate);
    const gamer = r.candidates.find((c: any) => c.username === planted.gamer);
    assert.equal(strong.rank, 1);
    assert.ok(gamer.rank > 5, `gamer ranked ${gamer.rank}`);
    assert.ok(gamer.reviews > r.candidates[2].reviews, 'even though the gamer has the volume');
    assert.ok(gamer.kappa.value <= 0.05, `the gamer's +1s agree no better than chance: κ ${gamer.kappa.value}`);
    assert.ok(
      strong.kappa.value > 0.9 && strong.minusOnes.confirmedByCore + strong.minusOnes.confirmedByRevision > 0 && strong.areas.length >= 1,
    );
    assert.deepEqual(strong.rankRange, { best: 1, worst: 1 });
    assert.ok(
      r.candidates.every(
        (c: any) => c.score === Number((c.quality * c.activity).toFixed(4)) || Math.abs(c.score - c.quality * c.activity) < 1e-3,
      ),
    );
    // Every number traces back to counted votes.
    for (const c of r.candidates) {
      assert.ok(c.kappa.agreed <= c.kappa.votes && c.kappa.votes <= c.independent && c.independent <= c.reviews, c.username);
      const m = c.minusOnes;
      assert.equal(m.confirmedByCore + m.confirmedByRevision + m.overruled + m.unsupported + m.pending, m.total, c.username);
      assert.ok(c.rankRange.best <= c.rank && c.rank <= c.rankRange.worst, c.username);
    }
    const csv = (await cli(['core', 'candidates', '--format', 'csv'])).stdout.split('\n');
    assert.match(csv[0]!, /^rank,rank_best,rank_worst,username,name,gerrit_account_id,score,/);
    assert.match(csv[1]!, new RegExp(`^1,1,1,${planted.strongCandidate},`));
  });

  it('ranks the planted pile-on and nit spammer below the planted careful reviewer (issue 21)', async () => {
    const r = json(await cli(['core', 'candidates', '--format', 'json']));
    const get = (who: string) => {
      const c = r.candidates.find((x: any) => x.username === who);
      assert.ok(c, `${who} is listed (at least ${r.minReviews} reviews)`);
      return c;
    };
    const careful = get(planted.carefulReviewer);
    const pileOn = get(planted.pileOn);
    const nit = get(planted.nitSpammer);
    assert.ok(careful.rank < nit.rank && careful.rank < pileOn.rank, `careful ${careful.rank}, nit ${nit.rank}, pile-on ${pileOn.rank}`);
    assert.ok(
      careful.rankRange.worst < nit.rankRange.best && careful.rankRange.worst < pileOn.rankRange.best,
      'and the order is established: the rank ranges do not overlap',
    );
    assert.ok(pileOn.reviews > careful.reviews && nit.reviews > careful.reviews, 'although both have more reviews');
    // Why: the pile-on votes only after a core did; the nit spammer always votes −1 (κ 0) and never says why.
    assert.equal(pileOn.independent, 0);
    assert.equal(pileOn.afterCore, pileOn.reviews);
    assert.equal(pileOn.score, 0);
    assert.equal(nit.kappa.value, 0);
    assert.equal(nit.substantive, 0);
    assert.ok(nit.minusOnes.overruled > 0, 'its −1s on patch sets the cores approved are overruled');
    assert.equal(careful.afterCore, 0);
    assert.ok(careful.kappa.value > 0.8 && careful.substantive === careful.independent, JSON.stringify(careful.kappa));
    const text = (await cli(['core', 'candidates', '--limit', '200'])).stdout;
    const line = (who: string) => text.split('\n').findIndex((l) => l.includes(` ${who} `));
    assert.ok(
      line(planted.carefulReviewer) < line(planted.nitSpammer) && line(planted.carefulReviewer) < line(planted.pileOn),
      'in the text report too',
    );
  });

  it('native reviewer numbers match hand-written SQL over the store', async () => {
    const r = json(await cli(['reviewers', '--format', 'json']));
    const sql = new BetterSqlite3(db, { readonly: true });
    const until = DEMO.now;
    const since = until - 90 * DAY;
    const bots = (sql.prepare("select id from accounts where username in ('zuul', 'hyperv-ci')").all() as Array<{ id: number }>).map(
      (b) => b.id,
    );
    const notBot = `not in (${bots.join(',')})`;
    const reviews = sql
      .prepare(
        `select count(*) as n from (
           select v.change_id, v.patch_set, v.voter_id as who from votes v join changes c on c.id = v.change_id
             where v.copied = 0 and v.granted_at >= ? and v.granted_at < ? and v.voter_id <> c.owner_id and v.voter_id ${notBot}
           union
           select m.change_id, m.patch_set, m.author_id from messages m join changes c on c.id = m.change_id
             where m.kind = 'comment' and m.date >= ? and m.date < ? and m.author_id <> c.owner_id and m.author_id ${notBot} and m.patch_set is not null)`,
      )
      .get(since, until, since, until) as { n: number };
    sql.close();
    assert.equal(r.totals.reviews, reviews.n);
    assert.equal(
      r.rows.reduce((s: number, x: any) => s + x.reviews, 0),
      r.totals.reviews,
    );
    assert.equal(r.totals.coreTeamSize, 12);
    const csv = (await cli(['reviewers', '--format', 'csv'])).stdout.split('\n');
    assert.match(csv[0]!, /^username,name,gerrit_account_id,reviews,minus2,minus1,plus1,plus2,approvals,/);
    assert.equal(csv.length - 2, r.rows.length);
  });

  it('core load sets patch sets needing review beside core reviews, per week', async () => {
    const r = json(await cli(['core', 'load', '--format', 'json']));
    assert.equal(r.weeks.length, 13);
    assert.equal(
      r.weeks.reduce((s: number, w: any) => s + w.patchSetsNeedingReview, 0),
      r.total.patchSetsNeedingReview,
    );
    assert.equal(
      r.weeks.reduce((s: number, w: any) => s + w.coreReviews, 0),
      r.total.coreReviews,
    );
    assert.equal(r.total.busiestCores, 3);
    assert.ok(r.total.busiestShare > 0 && r.total.busiestShare < 1);
    assert.equal(r.total.perCore.length, 12);
  });

  it('tracks mentoring from `mentor add` to the trajectory, and refuses bad input clearly', async () => {
    const candidate = planted.strongCandidate;
    const coreName = demoConfig(DEMO).coreTeam[0]!;
    const missing = await cli(['core', 'mentor', 'add', 'nobody-here', '--mentor', coreName]);
    assert.equal(missing.code, 10);
    assert.match(missing.stderr, /candidate "nobody-here": no such account in the store/);
    const notCore = await cli(['core', 'mentor', 'add', candidate, '--mentor', planted.gamer]);
    assert.equal(notCore.code, 2);
    assert.match(notCore.stderr, /is not in the core team/);
    const add = json(
      await cli([
        'core',
        'mentor',
        'add',
        candidate,
        '--mentor',
        coreName,
        '--since',
        '2026-09-01',
        '--note',
        'API reviews',
        '--format',
        'json',
      ]),
    );
    assert.equal(add.candidate.username, candidate);
    const again = await cli(['core', 'mentor', 'add', candidate, '--mentor', coreName]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already mentored/);
    assert.equal(json(await list([])).mentorships.length, 1);
    const m = json(await cli(['core', 'mentoring', '--format', 'json'])).mentorships[0];
    assert.equal(m.candidate.username, candidate);
    assert.equal(m.note, 'API reviews');
    assert.ok(m.during.reviews > 0 && m.before.reviews > 0);
    assert.equal(m.weeks.filter((w: any) => w.phase === 'before').length, m.weeks.filter((w: any) => w.phase === 'during').length);
    const overview = json(await cli(['overview', '--full', '--format', 'json']));
    assert.deepEqual(overview.team.idle.cores.map((c: any) => c.username).sort(), [...planted.idleCores].sort());
    assert.equal(overview.team.candidates.top[0].username, candidate);
    assert.equal(overview.team.mentoring.active, 1);
    assert.equal(overview.team.reviewers.reviews, json(await cli(['reviewers', '--format', 'json'])).totals.reviews);
    const end = await cli(['core', 'mentor', 'end', candidate, '--note', 'joined the core team']);
    assert.equal(end.code, 0, end.stderr);
    assert.equal(json(await list([])).mentorships.length, 0);
    assert.equal(json(await list(['--all'])).mentorships[0].endNote, 'joined the core team');
    const endAgain = await cli(['core', 'mentor', 'end', candidate]);
    assert.equal(endAgain.code, 10);
  });
});
