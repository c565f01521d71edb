import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import type { DemoChange, DemoMessage } from './demo-change.js';
import { demoCalendar, demoConfig, demoPeople, generateDemoChanges } from './demo-project.js';
import type { DemoConfig } from './demo-project.js';

const NOW = Date.parse('2025-06-01T00:00:00Z');
const DAY = 86_400_000;
const OPTS = { now: NOW, seed: 7 };

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};
const isBot = (username: string): boolean => username === 'zuul' || username === 'hyperv-ci';
/** A human reviewing act on someone else's change (vote or comment-only). */
const isReviewAct = (c: DemoChange, m: DemoMessage): boolean =>
  (m.kind === 'review' || m.kind === 'comment') && m.author.accountId !== c.owner.accountId && !isBot(m.author.username);
const crVote = (m: DemoMessage): number | undefined => m.votes.find((v) => v.label === 'Code-Review')?.value;

describe('demo project at default size', () => {
  let changes: DemoChange[];
  let cfg: DemoConfig;
  before(() => {
    changes = [...generateDemoChanges(OPTS)];
    cfg = demoConfig(OPTS);
  });

  it('has 5,000 changes in creation order, all inside the window', () => {
    assert.equal(changes.length, 5000);
    const start = Date.parse(cfg.window.start);
    for (let i = 1; i < changes.length; i++) {
      const [a, b] = [changes[i - 1] as DemoChange, changes[i] as DemoChange];
      assert.ok(b.number > a.number && b.created > a.created, `change ${b.number} out of order`);
    }
    for (const c of changes) {
      assert.ok(c.created >= start && c.updated <= NOW, `change ${c.number} outside the window`);
      for (const m of c.messages) assert.ok(m.date <= NOW && m.date >= c.created);
    }
  });

  it('has 12 cores and about 80 reviewers', () => {
    assert.equal(cfg.coreTeam.length, 12);
    const people = demoPeople(OPTS);
    assert.equal(people.filter((p) => p.role === 'core').length, 12);
    assert.deepEqual(
      people.filter((p) => p.role === 'bot').map((p) => p.username),
      ['zuul', 'hyperv-ci'],
    );
    const reviewers = new Set<string>();
    for (const c of changes) for (const m of c.messages) if (isReviewAct(c, m)) reviewers.add(m.author.username);
    assert.ok(reviewers.size >= 70 && reviewers.size <= 90, `${reviewers.size} reviewers`);
  });

  it('has two releases in the window, each freezing about two thirds in', () => {
    const releases = demoCalendar(OPTS);
    const start = Date.parse(cfg.window.start);
    assert.equal(releases.filter((r) => r.release >= start && r.release <= NOW).length, 2);
    for (const r of releases) {
      const share = (r.featureFreeze - r.start) / (r.release - r.start);
      assert.ok(share > 0.6 && share < 0.72);
    }
    assert.equal(cfg.releases.length, releases.length);
    assert.match(cfg.releases[0]?.featureFreeze ?? '', /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(cfg.blueprints.length >= 15 && cfg.blueprints.length <= 25);
  });

  it('plants two idle cores: under 10 reviews in the last 90 days, many before', () => {
    assert.equal(cfg.planted.idleCores.length, 2);
    const since = NOW - 90 * DAY;
    for (const core of cfg.planted.idleCores) {
      assert.ok(cfg.coreTeam.includes(core));
      let recent = 0;
      let earlier = 0;
      let recentVotes = 0;
      for (const c of changes) {
        for (const m of c.messages) {
          if (m.author.username !== core || !isReviewAct(c, m)) continue;
          if (m.date >= since) recent++;
          else earlier++;
          if (m.date >= since && crVote(m) !== undefined) recentVotes++;
        }
      }
      assert.ok(recent < 10 && recentVotes < 10, `${core}: ${recent} reviews in the last 90 days`);
      assert.ok(earlier >= 100, `${core}: only ${earlier} reviews before`);
    }
    // Every other core stays busy.
    for (const core of cfg.coreTeam.filter((u) => !cfg.planted.idleCores.includes(u))) {
      const recent = changes.reduce(
        (n, c) => n + c.messages.filter((m) => m.author.username === core && m.date >= since && isReviewAct(c, m)).length,
        0,
      );
      assert.ok(recent >= 30, `${core}: ${recent}`);
    }
  });

  it('plants a strong non-core reviewer: core-like volume every week, agreeing with cores, broad, with comments', () => {
    const strong = cfg.planted.strongCandidate;
    assert.ok(!cfg.coreTeam.includes(strong));
    const counts = new Map<string, number>();
    const weeks = new Set<number>();
    const areas = new Set<string>();
    let withText = 0;
    let acts = 0;
    let agree = 0;
    let compared = 0;
    for (const c of changes) {
      for (const m of c.messages) {
        if (!isReviewAct(c, m) || crVote(m) === undefined) continue;
        counts.set(m.author.username, (counts.get(m.author.username) ?? 0) + 1);
        if (m.author.username !== strong) continue;
        acts++;
        weeks.add(Math.floor((NOW - m.date) / (7 * DAY)));
        areas.add(c.truth.area);
        if (m.text.split('\n\n').length > 1) withText++;
      }
      // Final (non-copied) votes on the same patch set: does the strong reviewer side with the cores?
      const finals = c.approvals.filter((a) => a.label === 'Code-Review' && !a.copied);
      for (const s of finals.filter((a) => a.voter.username === strong)) {
        for (const core of finals.filter((a) => a.patchSet === s.patchSet && cfg.coreTeam.includes(a.voter.username))) {
          compared++;
          if (Math.sign(core.value) === Math.sign(s.value)) agree++;
        }
      }
    }
    const activeCores = cfg.coreTeam.filter((u) => !cfg.planted.idleCores.includes(u)).map((u) => counts.get(u) ?? 0);
    assert.ok(acts >= median(activeCores), `strong ${acts} vs core median ${median(activeCores)}`);
    const windowWeeks = Math.floor((NOW - Date.parse(cfg.window.start)) / (7 * DAY));
    assert.ok(weeks.size >= windowWeeks * 0.9, `active in ${weeks.size} of ${windowWeeks} weeks`);
    assert.ok(compared >= 50 && agree / compared >= 0.85, `agreement ${agree}/${compared}`);
    assert.ok(areas.size >= 7, `${areas.size} areas`);
    assert.ok(withText / acts >= 0.9, `${withText}/${acts} with comments`);
  });

  it('plants a +1 gamer: many comment-less +1s, mostly on changes that then fail review', () => {
    const gamer = cfg.planted.gamer;
    let plusOnes = 0;
    let bare = 0;
    let failedLater = 0;
    let strongPlusOnes = 0;
    let strongFailedLater = 0;
    for (const c of changes) {
      c.messages.forEach((m, i) => {
        if (!isReviewAct(c, m) || crVote(m) !== 1) return;
        const later = c.messages.slice(i + 1).some((x) => x.author.accountId !== m.author.accountId && (crVote(x) ?? 0) < 0);
        const failed = later || c.status === 'ABANDONED';
        if (m.author.username === gamer) {
          plusOnes++;
          if (m.text === `Patch Set ${m.patchSet}: Code-Review+1`) bare++;
          if (failed) failedLater++;
        } else if (m.author.username === cfg.planted.strongCandidate) {
          strongPlusOnes++;
          if (failed) strongFailedLater++;
        }
      });
    }
    assert.ok(plusOnes >= 300, `${plusOnes} +1s`);
    assert.equal(bare, plusOnes, 'the gamer never writes a word');
    assert.ok(failedLater / plusOnes >= 0.6, `gamer: ${failedLater}/${plusOnes} failed later`);
    assert.ok(strongFailedLater / strongPlusOnes <= 0.3, `strong: ${strongFailedLater}/${strongPlusOnes} failed later`);
  });

  it('plants a pile-on, a nit spammer and a careful reviewer (issue 21), none of them core', () => {
    const { pileOn, nitSpammer, carefulReviewer } = cfg.planted;
    const cores = new Set(cfg.coreTeam);
    for (const who of [pileOn, nitSpammer, carefulReviewer]) assert.ok(!cores.has(who), who);
    const firstCoreVote = (c: DemoChange, ps: number): DemoMessage | undefined =>
      c.messages.find((x) => x.patchSet === ps && cores.has(x.author.username) && (crVote(x) ?? 0) !== 0);
    let piles = 0;
    let nits = 0;
    const carefulChanges = new Set<number>();
    let carefulVotes = 0;
    let carefulAgrees = 0;
    for (const c of changes) {
      for (const m of c.messages) {
        if (m.author.username === pileOn) {
          // +1 "LGTM" 45–80 minutes after a core's +2 (on that patch set, or the one before a rebase
          // or message update the +2 was copied to).
          piles++;
          assert.equal(m.text, `Patch Set ${m.patchSet}: Code-Review+1\n\nLGTM`);
          const plus2 = c.messages.find(
            (x) => x.patchSet <= m.patchSet && cores.has(x.author.username) && crVote(x) === 2 && x.date < m.date,
          );
          assert.ok(plus2 && m.date - plus2.date <= 80 * 60_000, `change ${c.number}: the pile-on follows a +2`);
        } else if (m.author.username === nitSpammer) {
          // A bare −1 "nit" on the first patch set, before any core voted on it, outside the slow area.
          nits++;
          assert.equal(m.text, `Patch Set ${m.patchSet}: Code-Review-1\n\nnit`);
          const core = firstCoreVote(c, m.patchSet);
          assert.ok(!core || core.date > m.date, `change ${c.number}: the nit comes before the cores`);
          assert.ok(!c.patchSets[0]?.files.some((f) => f.path.startsWith(cfg.planted.slowArea)));
        } else if (m.author.username === carefulReviewer) {
          // Before the cores, with a reason, on the side the patch set ended on.
          carefulChanges.add(c.number);
          carefulVotes++;
          const core = firstCoreVote(c, m.patchSet);
          assert.ok(!core || core.date > m.date, `change ${c.number}: the careful reviewer votes first`);
          assert.ok(m.text.split('\n\n').slice(1).join(' ').length > 40, 'with a reason');
          // The verdict: the first core vote on the patch set, else what became of it.
          const revised = c.patchSets.some((p) => p.number > m.patchSet && p.kind === 'REWORK');
          const fate = revised || c.status === 'ABANDONED' ? -1 : c.status === 'MERGED' ? 1 : 0;
          const verdict = core ? Math.sign(crVote(core)!) : fate;
          if (verdict === Math.sign(crVote(m)!)) carefulAgrees++;
        }
      }
    }
    const expected = Math.round(changes.length * 0.05);
    assert.ok(piles > expected / 2 && nits > expected / 2, `${piles} pile-ons, ${nits} nits (about ${expected} each planted)`);
    assert.ok(
      carefulChanges.size >= 25 && carefulChanges.size <= 60,
      `${carefulChanges.size} changes followed carefully (about 40 planted)`,
    );
    assert.ok(carefulAgrees / carefulVotes >= 0.95, `careful: ${carefulAgrees}/${carefulVotes} agree with the outcome`);
  });

  it('plants a slow area: changes there wait far longer for a first review', () => {
    const slow: number[] = [];
    const other: number[] = [];
    for (const c of changes) {
      const first = c.messages.find((m) => isReviewAct(c, m));
      if (!first) continue;
      const touchesSlow = c.patchSets[0]?.files.some((f) => f.path.startsWith(cfg.planted.slowArea));
      (touchesSlow ? slow : other).push(first.date - c.created);
    }
    assert.ok(slow.length >= 100, `${slow.length} slow-area changes reviewed`);
    assert.ok(median(slow) >= 3 * median(other), `median ${median(slow) / 3.6e6}h vs ${median(other) / 3.6e6}h`);
  });

  it('plants a flaky non-voting job (~25% failures) and a stable one (like the voting jobs)', () => {
    const runs = new Map<string, { n: number; failed: number; voting: boolean }>();
    for (const c of changes) {
      for (const m of c.messages) {
        if (m.ci?.pipeline !== 'check') continue;
        for (const b of m.ci.builds) {
          const r = runs.get(b.job) ?? { n: 0, failed: 0, voting: b.voting };
          r.n++;
          if (b.result !== 'SUCCESS') r.failed++;
          runs.set(b.job, r);
        }
      }
    }
    const rate = (job: string): number => {
      const r = runs.get(job);
      assert.ok(r && r.n > 1000, `${job} ran`);
      return r.failed / r.n;
    };
    const voting = cfg.ci.votingJobs.filter((j) => (runs.get(j)?.n ?? 0) > 1000).map(rate);
    const votingMean = voting.reduce((a, b) => a + b, 0) / voting.length;
    const flaky = rate(cfg.planted.flakyJob);
    const stable = rate(cfg.planted.stableNonVotingJob);
    assert.ok(flaky > 0.22 && flaky < 0.28, `flaky ${flaky}`);
    assert.ok(Math.abs(stable - votingMean) < 0.02, `stable ${stable} vs voting ${votingMean}`);
    assert.equal(runs.get(cfg.planted.flakyJob)?.voting, false);
    assert.equal(runs.get(cfg.planted.stableNonVotingJob)?.voting, false);
  });

  it('brings newcomers whose first change is well inside the window', () => {
    const first = new Map<string, number>();
    for (const c of changes) if (!first.has(c.owner.username)) first.set(c.owner.username, c.created);
    const start = Date.parse(cfg.window.start);
    const seen = cfg.planted.newcomers.filter((u) => first.has(u));
    assert.ok(seen.length >= 12, `${seen.length} newcomers authored`);
    for (const u of seen) assert.ok((first.get(u) as number) >= start + 45 * DAY);
  });

  it('contains the review situations reports must handle', () => {
    const count = (pred: (c: DemoChange) => boolean): number => changes.reduce((n, c) => n + (pred(c) ? 1 : 0), 0);
    const any = (c: DemoChange, pred: (m: DemoMessage, i: number) => boolean): boolean => c.messages.some(pred);
    const open = (c: DemoChange): boolean => c.status === 'NEW';
    const currentCr = (c: DemoChange): number[] =>
      c.approvals.filter((a) => a.patchSet === c.patchSets.length && a.label === 'Code-Review').map((a) => a.value);
    const expectations: Array<[string, number, number]> = [
      ['series children', count((c) => c.truth.dependsOn !== null), 200],
      [
        'trivial rebases with copied votes',
        count((c) => c.approvals.some((a) => a.copied && c.patchSets[a.patchSet - 1]?.kind === 'TRIVIAL_REBASE')),
        50,
      ],
      ['commit-message-only patch sets', count((c) => c.patchSets.some((p) => p.kind === 'NO_CODE_CHANGE')), 30],
      [
        'reworks after -1',
        count((c) => any(c, (m) => (crVote(m) ?? 0) < 0) && c.patchSets.filter((p) => p.kind === 'REWORK').length > 1),
        1000,
      ],
      [
        '+1 changed to -1 on one patch set',
        count((c) =>
          any(
            c,
            (m, i) =>
              crVote(m) === -1 &&
              c.messages.slice(0, i).some((x) => x.author.accountId === m.author.accountId && x.patchSet === m.patchSet && crVote(x) === 1),
          ),
        ),
        50,
      ],
      ['vote removals', count((c) => any(c, (m) => /^Patch Set \d+: -Code-Review/.test(m.text))), 50],
      ['self +1s', count((c) => any(c, (m) => m.author.accountId === c.owner.accountId && crVote(m) === 1)), 30],
      [
        'abandoned by the author',
        count((c) => any(c, (m) => m.text.startsWith('Abandoned') && m.author.accountId === c.owner.accountId)),
        100,
      ],
      ['abandoned for inactivity', count((c) => any(c, (m) => m.text.includes('abandoned due to inactivity'))), 100],
      ['open for over a month', count((c) => open(c) && NOW - c.created > 30 * DAY), 200],
      ['open WIP (flag)', count((c) => open(c) && c.workInProgress), 20],
      [
        'open WIP (Workflow-1)',
        count((c) => open(c) && c.approvals.some((a) => a.label === 'Workflow' && a.value === -1 && a.patchSet === c.patchSets.length)),
        20,
      ],
      [
        'open one +2 short',
        count((c) => open(c) && currentCr(c).filter((v) => v === 2).length === 1 && !currentCr(c).some((v) => v < 0)),
        20,
      ],
      ['open blocked by -2', count((c) => open(c) && currentCr(c).includes(-2)), 20],
      [
        'rechecks answered on the same patch set',
        count((c) =>
          any(
            c,
            (m, i) =>
              m.text.endsWith('recheck') && c.messages.slice(i + 1).some((x) => x.ci?.pipeline === 'check' && x.patchSet === m.patchSet),
          ),
        ),
        200,
      ],
      [
        'experimental runs',
        count((c) =>
          any(
            c,
            (m) => m.text.includes('Build succeeded (experimental pipeline).') || m.text.includes('Build failed (experimental pipeline).'),
          ),
        ),
        30,
      ],
      ['gate failures', count((c) => any(c, (m) => m.text.includes('Verified-2\n\nBuild failed (gate pipeline).'))), 30],
      ['third-party reports', count((c) => any(c, (m) => m.author.username === 'hyperv-ci')), 100],
      [
        'third-party failures',
        count((c) => any(c, (m) => m.author.username === 'hyperv-ci' && m.text.includes('Build failed.  For information'))),
        20,
      ],
      [
        'stable backports',
        count((c) => c.branch.startsWith('stable/') && c.patchSets[0]?.commitMessage.includes('(cherry picked from commit') === true),
        100,
      ],
      ['bp topics', count((c) => c.topic?.startsWith('bp/') === true), 300],
      ['bug topics', count((c) => c.topic?.startsWith('bug/') === true), 300],
    ];
    for (const trailer of [
      'Closes-Bug: #',
      'Partial-Bug: #',
      'Related-Bug: #',
      'Implements: blueprint ',
      'Partially-Implements: blueprint ',
      'TrivialFix',
    ]) {
      expectations.push([trailer, count((c) => (c.patchSets[0]?.commitMessage ?? '').split('\n').some((l) => l.startsWith(trailer))), 50]);
    }
    for (const [what, n, min] of expectations) assert.ok(n >= min, `${what}: ${n} < ${min}`);
  });

  it('links series children to their parent and merges them after it', () => {
    const byNumber = new Map(changes.map((c) => [c.number, c]));
    let checked = 0;
    for (const c of changes) {
      if (c.truth.dependsOn === null) continue;
      const parent = byNumber.get(c.truth.dependsOn) as DemoChange;
      const parentRevs = new Set(parent.patchSets.map((p) => p.revision));
      assert.ok(parentRevs.has(c.patchSets[0]?.parents[0] ?? ''), `change ${c.number} is not based on ${parent.number}`);
      assert.equal(c.topic, parent.topic);
      if (c.status === 'MERGED') assert.ok(parent.status === 'MERGED' && (parent.submitted as number) < (c.submitted as number));
      checked++;
    }
    assert.ok(checked > 100);
  });

  it('records merges the way Gerrit and Zuul do', () => {
    for (const c of changes.filter((x) => x.status === 'MERGED')) {
      const cur = c.patchSets.length;
      const finals = c.approvals.filter((a) => a.patchSet === cur);
      const plusTwos = finals.filter((a) => a.label === 'Code-Review' && a.value === 2);
      assert.ok(plusTwos.length >= 2 && plusTwos.every((a) => cfg.coreTeam.includes(a.voter.username)), `change ${c.number}`);
      assert.ok(finals.some((a) => a.label === 'Workflow' && a.value === 1));
      assert.ok(finals.some((a) => a.label === 'Verified' && a.value === 2 && a.voter.username === 'zuul'));
      const last = c.messages[c.messages.length - 1] as DemoMessage;
      assert.equal(last.text, 'Change has been successfully merged by Zuul');
      assert.equal(last.date, c.submitted);
    }
  });

  it('writes every review and CI message in Gerrit\'s "Patch Set N: votes" form', () => {
    for (const c of changes.slice(0, 1500)) {
      c.messages.forEach((m, i) => {
        assert.equal(m.seq, i);
        if (i > 0) assert.ok(m.date > (c.messages[i - 1] as DemoMessage).date);
        if (m.kind === 'upload') {
          assert.match(m.text, /^Uploaded patch set \d+(\.|: Patch Set \d+ was rebased\.|: Commit message was updated\.)$/);
          return;
        }
        if (m.kind === 'system') return;
        const head = m.text.split('\n')[0] as string;
        const match = /^Patch Set (\d+):(.*)$/.exec(head);
        assert.ok(match, `message ${m.text}`);
        assert.equal(Number(match[1]), m.patchSet);
        const votes = (match[2] as string)
          .trim()
          .split(' ')
          .filter(Boolean)
          .map((v) => {
            const r = /^(-)?([A-Za-z-]+?)([+-]\d+)?$/.exec(v);
            assert.ok(r, v);
            return { label: r[2], value: r[1] ? 0 : Number(r[3]) };
          });
        assert.deepEqual(
          votes,
          m.votes.map((v) => ({ label: v.label, value: v.value })),
        );
      });
    }
  });

  it('copies votes only as OpenStack Gerrit does, keeping the original grant time', () => {
    let copies = 0;
    for (const c of changes) {
      for (const a of c.approvals.filter((x) => x.copied)) {
        const ps = c.patchSets[a.patchSet - 1];
        assert.ok(ps && a.label === 'Code-Review');
        assert.ok(ps.kind === 'NO_CODE_CHANGE' || (ps.kind === 'TRIVIAL_REBASE' && Math.abs(a.value) === 2));
        assert.ok(a.granted < ps.created, 'a copied vote predates its patch set');
        copies++;
      }
    }
    assert.ok(copies > 100);
  });

  it('has realistic change sizes: mostly small with a long tail', () => {
    const sizes = changes.map((c) => (c.patchSets.at(-1)?.insertions ?? 0) + (c.patchSets.at(-1)?.deletions ?? 0));
    const files = changes.map((c) => c.patchSets.at(-1)?.files.length ?? 0);
    assert.ok(median(sizes) >= 10 && median(sizes) <= 120, `median size ${median(sizes)}`);
    assert.ok(Math.max(...sizes) >= 1000);
    assert.ok(median(files) >= 2 && median(files) <= 5, `median files ${median(files)}`);
  });
});

describe('demo project options', () => {
  const first = (opts: Parameters<typeof generateDemoChanges>[0], n: number): string =>
    JSON.stringify([...generateDemoChanges(opts)].slice(0, n));

  it('is deterministic for a seed and a now, and differs for another seed', () => {
    const a = first({ now: NOW, seed: 3, changes: 300 }, 300);
    assert.equal(first({ now: NOW, seed: 3, changes: 300 }, 300), a);
    assert.notEqual(first({ now: NOW, seed: 4, changes: 300 }, 300), a);
    assert.notEqual(first({ now: NOW + DAY, seed: 3, changes: 300 }, 300), a);
  });

  it('honours changes, months and host', () => {
    const changes = [...generateDemoChanges({ now: NOW, changes: 250, months: 3, host: 'gerrit.test' })];
    assert.equal(changes.length, 250);
    assert.ok(changes.every((c) => c.host === 'gerrit.test' && c.created >= NOW - 92 * DAY));
    assert.equal([...generateDemoChanges({ now: NOW, changes: 0 })].length, 0);
    assert.equal(demoConfig({ now: NOW, host: 'gerrit.test' }).host.url, 'https://gerrit.test');
  });

  it('rejects options it cannot honour', () => {
    assert.throws(() => demoConfig({ now: Number.NaN }), /now/);
    assert.throws(() => [...generateDemoChanges({ now: NOW, changes: -1 })], /changes/);
    assert.throws(() => demoCalendar({ now: NOW, months: 0 }), /months/);
  });
});
