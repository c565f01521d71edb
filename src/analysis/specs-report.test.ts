import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FlowChange } from '../model/flow.js';
import type { ReleaseDates } from '../model/release-calendar.js';
import type { SpecRecord } from '../model/specs.js';
import { ALICE, BOB, CTX, D, OWNER, T0, ZUUL, at, flowChange, message, patchSets, vote } from '../../test/helpers/flow-builders.js';
import type { HistoryCommit } from '../model/git.js';
import { computeCodeHistory } from './code-history.js';
import { computeSpecsReport, reviewerShareOf, type LinkedCommit, type SpecsReportInput } from './specs-report.js';

// Release r1: start T0 - 10 d, feature freeze T0 + 30 d, release T0 + 60 d; r2 follows.
const R1: ReleaseDates = { name: 'r1', aliases: [], start: T0 - 10 * D, featureFreeze: T0 + 30 * D, release: T0 + 60 * D };
const R2: ReleaseDates = { name: 'r2', aliases: [], start: R1.release, featureFreeze: R1.release + 60 * D, release: R1.release + 90 * D };
const CORES = new Set([ALICE]);

function spec(blueprint: string, over: Partial<SpecRecord> = {}): SpecRecord {
  return {
    release: 'r1',
    path: `specs/r1/approved/${blueprint}.rst`,
    firstPath: `specs/r1/approved/${blueprint}.rst`,
    blueprint,
    blueprintUrl: `https://blueprints.launchpad.net/demo/+spec/${blueprint}`,
    title: blueprint,
    state: 'approved',
    approvedAt: T0 - 5 * D,
    approvedCommit: 'c0',
    implementedAt: null,
    implementedCommit: null,
    removedAt: null,
    renames: [],
    ...over,
  };
}

function input(
  specs: SpecRecord[],
  changes: Record<string, FlowChange[]>,
  commits: Record<string, LinkedCommit[]> = {},
  opts: { review?: boolean; code?: boolean } = {},
): SpecsReportInput {
  return {
    specs,
    calendar: [R2, R1],
    changesByBlueprint: new Map(Object.entries(changes)),
    commitsByBlueprint: new Map(Object.entries(commits)),
    ctx: CTX,
    coreAt: () => CORES,
    reviewDataCovers: () => opts.review ?? true,
    commitDataCovers: () => opts.code ?? false,
    hostUrls: new Map([['review.example.org', 'https://review.example.org']]),
  };
}

const entryOf = (r: ReturnType<typeof computeSpecsReport>, bp: string) => r.specs.find((e) => e.blueprint === bp)!;

describe('specs report: the reason each spec did not land', () => {
  // One story per reason, all in release r1.
  const specs = [
    spec('landed', { state: 'implemented', implementedAt: T0 + 20 * D, path: 'specs/r1/implemented/landed.rst' }),
    spec('no-code'),
    spec('no-core'),
    spec('author'),
    spec('reviewers'),
    spec('one-short'),
    spec('blocked'),
    spec('part'),
    spec('later'),
    spec('later', {
      release: 'r2',
      path: 'specs/r2/implemented/later.rst',
      approvedAt: R2.start + D,
      implementedAt: R2.start + 30 * D,
      state: 'implemented',
    }),
    spec('gone'),
  ];
  const changes: Record<string, FlowChange[]> = {
    landed: [
      flowChange(100, {
        status: 'MERGED',
        mergedAt: at(24 * 10),
        votes: [vote(1, 'Code-Review', 2, ALICE, 48), vote(1, 'Verified', 1, ZUUL, 2)],
      }),
    ],
    // Reviewed only by BOB, who is not core: no core review before the freeze.
    'no-core': [flowChange(101, { votes: [vote(1, 'Code-Review', 1, BOB, 24), vote(1, 'Verified', 1, ZUUL, 2)] })],
    // ALICE (core) −1 on day 5, nothing from the owner since: waiting on the author for 25 days at the freeze.
    author: [flowChange(102, { votes: [vote(1, 'Verified', 1, ZUUL, 2), vote(1, 'Code-Review', -1, ALICE, 24 * 5)] })],
    // Core reviewed patch set 1; patch set 2 on day 20, clean and unreviewed: 10 days on reviewers.
    reviewers: [
      flowChange(103, {
        patchSets: patchSets(0, 24 * 20),
        votes: [vote(1, 'Verified', 1, ZUUL, 2), vote(1, 'Code-Review', -1, ALICE, 24 * 2), vote(2, 'Verified', 1, ZUUL, 24 * 20 + 1)],
      }),
    ],
    'one-short': [flowChange(104, { votes: [vote(1, 'Verified', 1, ZUUL, 2), vote(1, 'Code-Review', 2, ALICE, 24 * 3)] })],
    blocked: [flowChange(105, { votes: [vote(1, 'Verified', 1, ZUUL, 2), vote(1, 'Code-Review', -2, ALICE, 24)] })],
    part: [
      flowChange(106, {
        status: 'MERGED',
        mergedAt: at(24 * 8),
        votes: [vote(1, 'Verified', 1, ZUUL, 2), vote(1, 'Code-Review', 2, ALICE, 24 * 7)],
      }),
      flowChange(107, { votes: [vote(1, 'Verified', 1, ZUUL, 2)] }),
    ],
    // Proposed in r1 with no progress; landed in r2 under a new spec.
    later: [flowChange(108, { votes: [vote(1, 'Verified', 1, ZUUL, 2)] })],
    gone: [
      flowChange(109, {
        status: 'ABANDONED',
        abandonedAt: at(24 * 3),
        votes: [vote(1, 'Code-Review', -1, ALICE, 24)],
        messages: [message(72, { kind: 'system', event: 'abandoned', authorId: OWNER })],
      }),
    ],
  };
  const r = computeSpecsReport(input(specs, changes), { release: 'r1', now: R2.release });

  it('counts approved, implemented and the share that did not land', () => {
    const s = r.releases[0]!;
    assert.equal(s.release, 'r1');
    assert.equal(s.approved, 10);
    assert.equal(s.implemented, 1);
    assert.equal(s.notLanded, 9);
    assert.equal(s.implementedShare, 0.1);
    assert.equal(s.notLandedShare, 0.9);
    assert.equal(s.landedLater, 1);
    assert.equal(s.codeLandedLater, 0);
    assert.deepEqual(Object.fromEntries(s.outcomes.map((x) => [x.outcome, x.specs])), {
      're-proposed-landed': 1,
      'landed-next-release': 0,
      'code-landed-later': 0,
      're-proposed': 0,
      'nothing-later': 8,
    });
    assert.equal(s.cannotTell, null);
  });

  it('no code proposed', () => assert.equal(entryOf(r, 'no-code').reason, 'no-code'));

  it('code proposed, no core reviewer before the freeze', () => {
    const e = entryOf(r, 'no-core');
    assert.equal(e.reason, 'no-core-review');
    assert.equal(e.changes![0]!.coreReviewedBeforeFreeze, false);
  });

  it('waited on its author, with how long before the freeze', () => {
    const e = entryOf(r, 'author');
    assert.equal(e.reason, 'waited-on-author');
    assert.equal(e.changes![0]!.atFreeze, 'author');
    assert.equal(e.changes![0]!.waitingDays, 25);
    assert.match(e.evidence!, /102 waited on its author for 25 days \(a negative review unanswered\)/);
  });

  it('waited on reviewers: latest patch set clean and unreviewed, and one +2 short', () => {
    const e = entryOf(r, 'reviewers');
    assert.equal(e.reason, 'waited-on-reviewers');
    // Patch set 2 at day 20, CI's verdict an hour later: on reviewers for 10 days less an hour.
    assert.equal(e.changes![0]!.waitingDays, 9.96);
    assert.match(e.evidence!, /clean and unreviewed/);
    const s = entryOf(r, 'one-short');
    assert.equal(s.reason, 'waited-on-reviewers');
    assert.equal(s.changes![0]!.plusTwos, 1);
    assert.match(s.evidence!, /one \+2 short/);
  });

  it('blocked by a -2', () => {
    const e = entryOf(r, 'blocked');
    assert.equal(e.reason, 'blocked');
    assert.equal(e.changes![0]!.blocked, true);
  });

  it('part merged, the rest not', () => {
    const e = entryOf(r, 'part');
    assert.equal(e.reason, 'part-merged');
    assert.deepEqual(e.reasons, ['part-merged', 'waited-on-reviewers']);
  });

  it('re-proposed and landed in a later release is what happened afterwards, apart from why it did not land in r1', () => {
    const e = entryOf(r, 'later');
    // Its change had no review at all before the freeze.
    assert.deepEqual(e.reasons, ['no-core-review', 'waited-on-reviewers']);
    assert.deepEqual(
      e.reProposals.map((p) => p.release),
      ['r2'],
    );
    assert.deepEqual(
      { ...e.outcome!, text: undefined },
      { outcome: 're-proposed-landed', release: 'r2', releasesLater: 1, laterCommits: null, text: undefined },
    );
    assert.match(e.outcome!.text, /re-proposed for r2 and implemented there .*the next release/);
    assert.equal(entryOf(r, 'landed').outcome, null);
  });

  it('every change abandoned before the freeze', () => assert.equal(entryOf(r, 'gone').reason, 'abandoned'));

  it('waits per spec use the flow states, up to the merge or the freeze', () => {
    const w = entryOf(r, 'reviewers').waits!;
    // Reviewers from creation (CI passed at 2 h) to the −1 at day 2, author to patch set 2 at day
    // 20, then CI for an hour, then reviewers to the freeze.
    assert.equal(w.authorDays, 18);
    assert.ok(Math.abs(w.reviewersDays - (2 - 2 / 24 + 10 - 1 / 24)) < 0.02, String(w.reviewersDays));
    const landed = entryOf(r, 'landed');
    assert.equal(landed.reason, null);
    assert.ok(landed.waits!.reviewersDays > 0);
  });

  it('the bandwidth comparison sums landed against non-landed', () => {
    const b = r.releases[0]!.bandwidth!;
    assert.equal(b.landed.specs, 1);
    assert.equal(b.notLanded.specs, 9);
    assert.equal(b.notLanded.withCode, 8);
    assert.ok(b.notLanded.reviewersDays > 0 && b.notLanded.authorDays > 0);
    assert.match(b.answer, /%/);
  });

  it('the share of waiting on reviewers: an interval over specs, "cannot tell" when it spans 50%', () => {
    const heavy = (n: number, rev: number, author: number) =>
      Array.from({ length: n }, (_, i) => ({ spec: `s${i}`, reviewersDays: rev + i, authorDays: author + (i % 2) }));
    const onReviewers = reviewerShareOf(heavy(6, 20, 2));
    assert.equal(onReviewers.verdict, 'reviewers');
    assert.equal(onReviewers.mostlyOnReviewers, 6);
    assert.ok(onReviewers.reviewerShareInterval!.lower > 0.5);
    assert.equal(reviewerShareOf(heavy(6, 2, 20)).verdict, 'authors');
    // The demo's shape: a pooled share under 50% carried by one large spec, the others on reviewers.
    const mixed = reviewerShareOf([
      { spec: 'big', reviewersDays: 10, authorDays: 60 },
      { spec: 'b', reviewersDays: 8, authorDays: 2 },
      { spec: 'c', reviewersDays: 9, authorDays: 3 },
      { spec: 'd', reviewersDays: 2, authorDays: 7 },
      { spec: 'e', reviewersDays: 12, authorDays: 1 },
      { spec: 'f', reviewersDays: 6, authorDays: 4 },
    ]);
    assert.equal(mixed.verdict, 'cannot-tell');
    assert.equal(mixed.mostlyOnReviewers, 4);
    assert.ok(mixed.reviewerShareInterval!.lower < 0.5 && mixed.reviewerShareInterval!.upper > 0.5);
    assert.deepEqual(reviewerShareOf([{ spec: 'one', reviewersDays: 5, authorDays: 1 }]), {
      reviewerShareInterval: null,
      mostlyOnReviewers: 1,
      verdict: 'cannot-tell',
    });
  });

  it('says "cannot tell" when the bootstrap over specs spans 50%, with the count of specs that waited mostly on reviewers', () => {
    const b = r.releases[0]!.bandwidth!.notLanded;
    const coded = r.specs.filter((e) => !e.landed && (e.changes?.length ?? 0) > 0);
    assert.equal(b.mostlyOnReviewers, coded.filter((e) => e.waits!.reviewersDays > e.waits!.authorDays).length);
    const iv = b.reviewerShareInterval!;
    assert.ok(iv.lower <= b.reviewerShare! && b.reviewerShare! <= iv.upper, `${iv.lower} ≤ ${b.reviewerShare} ≤ ${iv.upper}`);
    const expected = iv.lower > 0.5 ? 'reviewers' : iv.upper < 0.5 ? 'authors' : 'cannot-tell';
    assert.equal(b.verdict, expected);
    assert.match(r.releases[0]!.bandwidth!.answer, new RegExp(`${b.mostlyOnReviewers} of ${b.withCode} waited mostly on reviewers`));
    if (expected === 'cannot-tell') assert.match(r.releases[0]!.bandwidth!.answer, /cannot tell/);
  });

  it('the table over all releases has one row per release and no specs', () => {
    const all = computeSpecsReport(input(specs, changes), { release: null, now: R2.release });
    assert.deepEqual(
      all.releases.map((x) => x.release),
      ['r1', 'r2'],
    );
    assert.equal(all.specs.length, 0);
  });
});

describe('specs report without review data', () => {
  const specs = [spec('a'), spec('b'), spec('c', { state: 'implemented', implementedAt: T0 })];
  const commits = {
    b: [
      { hash: 'abc', subject: 'Part of b', landedAt: T0 + D },
      { hash: 'def', subject: 'Older', landedAt: R1.start - D },
    ],
  };

  it('says which reasons it cannot tell apart and still gives commits and partial landings', () => {
    const r = computeSpecsReport(input(specs, {}, commits, { review: false, code: true }), { release: 'r1', now: R2.release });
    const a = entryOf(r, 'a');
    assert.equal(a.reason, 'undetermined');
    assert.equal(a.changes, null);
    assert.ok(a.candidates!.includes('no-code') && a.candidates!.includes('waited-on-reviewers'));
    const b = entryOf(r, 'b');
    assert.equal(b.reason, 'part-merged');
    assert.equal(b.commits!.total, 2);
    assert.equal(b.commits!.inRelease, 1);
    assert.equal(b.commits!.first, new Date(R1.start - D).toISOString());
    assert.equal(b.commits!.last, new Date(T0 + D).toISOString());
    assert.match(r.releases[0]!.cannotTell!, /no-code/);
    assert.equal(r.releases[0]!.bandwidth, null);
  });

  it('answers "is it review bandwidth?" with what git alone shows: throughput and landing times against the neighbours', () => {
    const commitsOf = (release: ReleaseDates, n: number, days: number): HistoryCommit[] =>
      Array.from({ length: n }, (_, i) => ({
        repo: 'r',
        sha: `${release.name}-${i}`,
        authorName: `A${i % 3}`,
        authorEmail: `a${i % 3}@example.org`,
        authoredAt: release.start + D + i * 1000,
        landedAt: release.start + D + i * 1000 + (days + (i % 5) * 0.25) * D,
        landing: 'merge' as const,
        backport: false,
        namesBug: false,
        namesBlueprint: false,
        changeId: null,
      }));
    const R0: ReleaseDates = { name: 'r0', aliases: [], start: R1.start - 70 * D, featureFreeze: R1.start - 20 * D, release: R1.start };
    const calendar = [R0, R1, R2];
    const history = computeCodeHistory(
      { commits: [...commitsOf(R0, 40, 2), ...commitsOf(R1, 20, 9), ...commitsOf(R2, 40, 2)], calendar, isBot: () => false },
      { now: R2.release + D },
    ).releases;
    const r = computeSpecsReport(
      { ...input(specs, {}, commits, { review: false, code: true }), calendar, codeHistory: history },
      { release: 'r1', now: R2.release + D },
    );
    const g = r.releases[0]!.gitBandwidth!;
    assert.equal(g.basis, 'git-alone');
    assert.deepEqual(
      g.windows.map((w) => [w.release, w.merged, w.authors, w.medianDays]),
      [
        ['r0', 40, 3, 2.5],
        ['r1', 20, 3, 9.5],
        ['r2', 40, 3, 2.5],
      ],
    );
    assert.match(g.answer, /^from git alone: 20 commits landed in r1's window/);
    assert.match(g.answer, /took longer to land than in the neighbouring releases/);
    assert.match(g.answer, /needs review data$/);
    assert.equal(r.releases[0]!.bandwidth, null);
    // With review data the git-alone answer is not given.
    const withReviews = computeSpecsReport(
      { ...input(specs, {}, commits, { code: true }), calendar, codeHistory: history },
      { release: 'r1', now: R2.release + D },
    );
    assert.equal(withReviews.releases[0]!.gitBandwidth, null);
  });

  it('lists release directories the calendar does not know', () => {
    const r = computeSpecsReport(input([...specs, spec('x', { release: 'mystery' })], {}, {}, { review: false }), {
      release: null,
      now: R2.release,
    });
    assert.deepEqual(r.unknownReleases, [{ release: 'mystery', specs: 1 }]);
    assert.equal(
      r.releases.reduce((n, x) => n + x.approved, 0),
      3,
    );
  });
});

describe('specs report: what happened afterwards, and one rule for linking', () => {
  const R3: ReleaseDates = { name: 'r3', aliases: [], start: R2.release, featureFreeze: R2.release + 60 * D, release: R2.release + 90 * D };
  const specs = [
    spec('next'),
    spec('much-later'),
    spec('again'),
    spec('again', {
      release: 'r2',
      path: 'specs/r2/approved/again.rst',
      firstPath: 'specs/r2/approved/again.rst',
      approvedAt: R2.start + D,
    }),
    spec('none'),
    // Its URL names url-form, its file name file-form: commits naming either are its code.
    spec('url-form', { path: 'specs/r1/approved/file-form.rst', firstPath: 'specs/r1/approved/file-form.rst' }),
    // Its file name is another spec's URL blueprint ("next"): that name stays the other spec's.
    spec('own-url', { path: 'specs/r1/approved/next.rst', firstPath: 'specs/r1/approved/next.rst' }),
  ];
  const c = (hash: string, landedAt: number): LinkedCommit => ({ hash, subject: hash, landedAt });
  const commits = {
    next: [c('n1', R2.start + 5 * D), c('n2', R3.start + 5 * D)],
    'much-later': [c('m1', R3.start + 5 * D)],
    'url-form': [c('u1', T0)],
    'file-form': [c('f1', T0 + D), c('u1', T0)],
  };
  const related = { 'url-form': [c('r1', T0 + 2 * D), c('f1', T0 + D)] };
  const base = input(specs, {}, commits, { review: false, code: true });
  const r = computeSpecsReport(
    { ...base, calendar: [R1, R2, R3], relatedCommitsByBlueprint: new Map(Object.entries(related)) },
    { release: 'r1', now: R3.release },
  );

  it('code landed in the next release without a re-proposal has its own outcome', () => {
    const e = entryOf(r, 'next');
    assert.equal(e.reason, 'undetermined');
    assert.deepEqual(
      { ...e.outcome!, text: undefined },
      {
        outcome: 'landed-next-release',
        release: 'r2',
        releasesLater: 1,
        laterCommits: [
          { release: 'r2', commits: 1 },
          { release: 'r3', commits: 1 },
        ],
        text: undefined,
      },
    );
    const m = entryOf(r, 'much-later').outcome!;
    assert.deepEqual([m.outcome, m.release, m.releasesLater], ['code-landed-later', 'r3', 2]);
    assert.equal(entryOf(r, 'again').outcome!.outcome, 're-proposed');
    assert.equal(entryOf(r, 'none').outcome!.outcome, 'nothing-later');
    const s = r.releases[0]!;
    assert.deepEqual([s.landedLater, s.codeLandedLater], [0, 2]);
  });

  it('the undetermined evidence does not contradict the commits printed beneath it', () => {
    const e = entryOf(r, 'next');
    assert.equal(e.commits!.total, 2);
    assert.doesNotMatch(e.evidence!, /never/);
    assert.match(e.evidence!, /none of its 2 linked commit\(s\) landed in r1/);
    assert.match(entryOf(r, 'none').evidence!, /no commit linked to it landed at any time.*may never have been proposed/);
  });

  it('finds commits by the blueprint name and by the file name, and counts Related-Blueprint work apart', () => {
    const e = entryOf(r, 'url-form');
    assert.deepEqual(e.names, ['url-form', 'file-form']);
    assert.deepEqual(
      e.commits!.list.map((x) => x.hash),
      ['u1', 'f1'],
    );
    assert.equal(e.reason, 'part-merged');
    // r1 is related work only; f1 is also named as its code, so it stays code.
    assert.deepEqual(e.related, {
      commits: 1,
      changes: null,
      list: [{ hash: 'r1', subject: 'r1', landedAt: new Date(T0 + 2 * D).toISOString() }],
    });
    const own = entryOf(r, 'own-url');
    assert.deepEqual(own.names, ['own-url']);
    assert.equal(own.commits!.total, 0);
    // Re-proposals go by the same names.
    assert.deepEqual(
      entryOf(r, 'again').reProposals.map((p) => p.release),
      ['r2'],
    );
  });
});

describe('specs report as of a past moment', () => {
  it('before the freeze: states as of now, later implementations and approvals not yet there', () => {
    const now = T0 + 10 * D;
    const specs = [
      spec('soon', { state: 'implemented', implementedAt: T0 + 20 * D }),
      spec('waiting'),
      spec('future', { approvedAt: T0 + 15 * D }),
    ];
    const changes = { waiting: [flowChange(200, { votes: [vote(1, 'Verified', 1, ZUUL, 2), vote(1, 'Code-Review', -1, ALICE, 24 * 4)] })] };
    const r = computeSpecsReport(input(specs, changes), { release: 'r1', now });
    const s = r.releases[0]!;
    assert.equal(s.inProgress, true);
    assert.equal(s.approved, 2);
    assert.equal(s.implemented, 0);
    const e = entryOf(r, 'waiting');
    assert.equal(e.reason, 'waited-on-author');
    assert.equal(e.changes![0]!.waitingDays, 6);
    assert.match(e.evidence!, /^now \(before the feature freeze\) change 200 waited on its author for 6 days/);
  });
});
