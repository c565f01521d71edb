import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChangeFacts, ReviewMessageText, TeamActRecord } from '../model/team.js';
import { computeJudgementCandidates, isSubstantive } from './judgement-candidates.js';
import { buildCoreRoster } from './reviewers.js';
import { seededRandom } from './stats/random.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const NOW = Date.UTC(2015, 3, 10);
const SINCE = NOW - 180 * DAY;
const CORE = 1;
const CORE2 = 2;
const PILE = 10; // +1 "LGTM" an hour after the core's +2, on 80 changes
const NIT = 11; // −1 "nit" on every first patch set, before the cores
const CAREFUL = 12; // 20 changes, votes before the cores, with reasons, agrees with them
const ALWAYS = 13; // +1 "LGTM" on every first patch set before the cores
const OWNER = 100;

function act(over: Partial<TeamActRecord>): TeamActRecord {
  return {
    changeId: 1,
    changeNumber: 7001,
    project: 'p',
    changeOwnerId: OWNER,
    patchSet: 1,
    actorId: CORE,
    at: NOW,
    type: 'vote',
    label: 'Code-Review',
    value: 1,
    selfVote: false,
    ...over,
  };
}
const msg = (changeId: number, patchSet: number, authorId: number, at: number, text: string): ReviewMessageText => ({
  changeId,
  patchSet,
  authorId,
  at,
  text,
});

/**
 * 80 changes, one a day. Patch set 1 at t0; a core votes on it at t0 + 3 h: −1 on every fourth
 * change (a real problem), +1 on the others. Patch set 2 (a rework) the next day, +2 by a core at
 * t0 + 1 d + 3 h, merged at t0 + 2 d.
 */
function world() {
  const changes: ChangeFacts[] = [];
  const acts: TeamActRecord[] = [];
  const messages: ReviewMessageText[] = [];
  for (let i = 1; i <= 80; i++) {
    const t0 = NOW - 170 * DAY + i * 2 * DAY;
    const bad = i % 4 === 0;
    const base = { changeId: i, changeNumber: 7000 + i };
    changes.push({
      id: i,
      host: 'h',
      project: 'p',
      number: 7000 + i,
      ownerId: OWNER,
      status: 'MERGED',
      created: t0,
      mergedAt: t0 + 2 * DAY,
      abandonedAt: null,
      patchSets: [
        { number: 1, created: t0, kind: 'REWORK' },
        { number: 2, created: t0 + DAY, kind: 'REWORK' },
      ],
      files: [i % 3 === 0 ? 'nova/api/a.py' : i % 3 === 1 ? 'nova/compute/b.py' : 'nova/virt/c.py'],
    });
    acts.push(act({ ...base, actorId: i % 2 ? CORE : CORE2, at: t0 + 3 * HOUR, value: bad ? -1 : 1 }));
    acts.push(act({ ...base, patchSet: 2, actorId: CORE, at: t0 + DAY + 3 * HOUR, value: 2 }));
    // The pile-on: +1 LGTM on patch set 2, an hour after the +2.
    acts.push(act({ ...base, patchSet: 2, actorId: PILE, at: t0 + DAY + 4 * HOUR, value: 1 }));
    messages.push(msg(i, 2, PILE, t0 + DAY + 4 * HOUR, 'Patch Set 2: Code-Review+1\n\nLGTM'));
    // The nit spammer: −1 "nit" on every first patch set, before the cores.
    acts.push(act({ ...base, actorId: NIT, at: t0 + HOUR, value: -1 }));
    messages.push(msg(i, 1, NIT, t0 + HOUR, 'Patch Set 1: Code-Review-1\n\nnit'));
    // Always +1, early.
    acts.push(act({ ...base, actorId: ALWAYS, at: t0 + HOUR, value: 1 }));
    messages.push(msg(i, 1, ALWAYS, t0 + HOUR, 'Patch Set 1: Code-Review+1\n\nLooks good to me'));
    // The careful reviewer: 20 changes, before the cores, with reasons, right every time.
    if (i > 60) {
      acts.push(act({ ...base, actorId: CAREFUL, at: t0 + 2 * HOUR, value: bad ? -1 : 1 }));
      messages.push(
        msg(
          i,
          1,
          CAREFUL,
          t0 + 2 * HOUR,
          bad
            ? 'Patch Set 1: Code-Review-1\n\n(2 comments)\n\nThe retry loop never gives up when the service is down.'
            : 'Patch Set 1: Code-Review+1\n\nChecked the locking; the timeout path releases it.',
        ),
      );
    }
  }
  const roster = buildCoreRoster([{ project: 'p', snapshots: [], configured: new Set([CORE, CORE2]) }]);
  return { changes, acts, messages, roster, isBot: () => false };
}

const areaRules = { prefixes: ['nova/api/', 'nova/compute/', 'nova/virt/'], depth: 1 };

describe('substance', () => {
  it('stock phrases are not reasons; words about the change and inline comments are', () => {
    assert.equal(isSubstantive('Patch Set 1: Code-Review+1\n\nLGTM'), false);
    assert.equal(isSubstantive('Patch Set 1: Code-Review+1\n\nLooks good to me, thanks!'), false);
    assert.equal(isSubstantive('Patch Set 1: Code-Review-1\n\nnit'), false);
    assert.equal(isSubstantive('Patch Set 1: Code-Review-1\n\nnit: typo'), false);
    assert.equal(isSubstantive('Patch Set 1: Code-Review-1\n\n(2 comments)'), true);
    assert.equal(isSubstantive('Patch Set 1: Code-Review-1\n\n(1 comment)'), true);
    assert.equal(isSubstantive('Patch Set 1: Code-Review-1\n\nThis races with the resize.'), true);
  });
});

describe('candidates by judgement: the gaming cases of issue 21', () => {
  const w = world();
  const result = computeJudgementCandidates(w, {
    since: SINCE,
    until: NOW,
    now: NOW,
    areaRules,
    minReviews: 10,
    random: seededRandom(21),
    replicates: 200,
  });
  const get = (id: number) => result.candidates.find((c) => c.accountId === id)!;

  it('the careful reviewer of 20 changes ranks above the pile-on and the nit spammer (and above always-+1)', () => {
    assert.equal(result.candidates[0]!.accountId, CAREFUL);
    assert.ok(get(CAREFUL).score > get(NIT).score);
    assert.ok(get(CAREFUL).score > get(PILE).score);
    assert.ok(get(CAREFUL).score > get(ALWAYS).score);
    assert.ok(get(CAREFUL).reviews < get(NIT).reviews, 'with a quarter of their volume');
  });

  it('the pile-on earns nothing: every vote came after a core vote', () => {
    const p = get(PILE);
    assert.equal(p.reviews, 80);
    assert.equal(p.independent, 0);
    assert.equal(p.afterCore, 80);
    assert.equal(p.quality, 0);
    assert.equal(p.score, 0);
  });

  it('the nit spammer: κ 0 (always −1), −1s confirmed only where a core also voted −1, no reasons', () => {
    const n = get(NIT);
    assert.equal(n.independent, 80);
    assert.equal(n.kappa.value, 0);
    assert.deepEqual(n.minusOnes, { total: 80, confirmedByCore: 20, confirmedByRevision: 0, overruled: 60, unsupported: 0, pending: 0 });
    assert.equal(n.components.confirmedMinusOnes, 0.25);
    assert.equal(n.substantive, 0);
  });

  it('always +1 scores κ 0 however often the change was fine', () => {
    const a = get(ALWAYS);
    assert.equal(a.kappa.votes, 80);
    assert.equal(a.kappa.agreed, 60);
    assert.equal(a.kappa.value, 0);
  });

  it('the careful reviewer: κ 1 on 20 votes, its −1s confirmed by a core, all reasoned', () => {
    const c = get(CAREFUL);
    assert.equal(c.kappa.value, 1);
    assert.equal(c.kappa.votes, 20);
    assert.equal(c.minusOnes.confirmedByCore, 5);
    assert.equal(c.components.reasoning, 1);
    assert.equal(c.components.volume, 0.25, 'volume is in the activity half, relative to the busiest');
  });

  it('shows each rank with its uncertainty; a seed fixes it', () => {
    for (const c of result.candidates)
      assert.ok(c.rankRange.best <= c.rank && c.rank <= c.rankRange.worst, `rank ${c.rank} in ${JSON.stringify(c.rankRange)}`);
    assert.deepEqual(get(CAREFUL).rankRange, { best: 1, worst: 1 }, 'clearly first');
    const again = computeJudgementCandidates(w, {
      since: SINCE,
      until: NOW,
      now: NOW,
      areaRules,
      minReviews: 10,
      random: seededRandom(21),
      replicates: 200,
    });
    assert.deepEqual(again, result);
  });
});

describe('candidates by judgement: −1 outcomes', () => {
  it('a substantive −1 followed by a code revision is confirmed; a bare one is unsupported; an approved patch set overrules', () => {
    const t0 = NOW - 30 * DAY;
    const change = (id: number, over: Partial<ChangeFacts> = {}): ChangeFacts => ({
      id,
      host: 'h',
      project: 'p',
      number: 8000 + id,
      ownerId: OWNER,
      status: 'NEW',
      created: t0,
      mergedAt: null,
      abandonedAt: null,
      patchSets: [
        { number: 1, created: t0, kind: 'REWORK' },
        { number: 2, created: t0 + DAY, kind: 'REWORK' },
      ],
      files: ['a/x.py'],
      ...over,
    });
    const changes = [
      change(1),
      change(2),
      change(3),
      change(4, {
        patchSets: [
          { number: 1, created: t0, kind: 'REWORK' },
          { number: 2, created: t0 + DAY, kind: 'TRIVIAL_REBASE' },
        ],
      }),
    ];
    const acts = [1, 2, 3, 4].map((id) => act({ changeId: id, changeNumber: 8000 + id, actorId: NIT, at: t0 + HOUR, value: -1 }));
    acts.push(act({ changeId: 3, changeNumber: 8003, actorId: CORE, at: t0 + 2 * HOUR, value: 2 }));
    const messages = [
      msg(1, 1, NIT, t0 + HOUR, 'Patch Set 1: Code-Review-1\n\n(3 comments)'),
      msg(2, 1, NIT, t0 + HOUR, 'Patch Set 1: Code-Review-1\n\nnit'),
      msg(3, 1, NIT, t0 + HOUR, 'Patch Set 1: Code-Review-1\n\n(1 comment)'),
      msg(4, 1, NIT, t0 + HOUR, 'Patch Set 1: Code-Review-1\n\n(1 comment)'),
    ];
    const roster = buildCoreRoster([{ project: 'p', snapshots: [], configured: new Set([CORE]) }]);
    const r = computeJudgementCandidates(
      { acts, messages, changes, roster, isBot: () => false },
      { since: SINCE, until: NOW, now: NOW, areaRules, minReviews: 1, random: seededRandom(1), replicates: 20 },
    );
    assert.deepEqual(r.candidates[0]!.minusOnes, {
      total: 4,
      confirmedByCore: 0,
      confirmedByRevision: 1,
      overruled: 1,
      unsupported: 1,
      pending: 1,
    });
    assert.equal(r.candidates[0]!.components.confirmedMinusOnes, round3(1 / 3));
  });
});

describe('candidates by judgement: rank uncertainty', () => {
  it('two similar reviewers with few votes get overlapping rank ranges', () => {
    const A = 20;
    const B = 21;
    const t0 = NOW - 60 * DAY;
    const changes: ChangeFacts[] = [];
    const acts: TeamActRecord[] = [];
    const messages: ReviewMessageText[] = [];
    for (let i = 1; i <= 16; i++) {
      const t = t0 + i * DAY;
      changes.push({
        id: i,
        host: 'h',
        project: 'p',
        number: 9000 + i,
        ownerId: OWNER,
        status: 'NEW',
        created: t,
        mergedAt: null,
        abandonedAt: null,
        patchSets: [{ number: 1, created: t, kind: 'REWORK' }],
        files: ['a/x.py'],
      });
      const good = i % 2 === 0;
      acts.push(act({ changeId: i, changeNumber: 9000 + i, actorId: CORE, at: t + 3 * HOUR, value: good ? 1 : -1 }));
      const who = i <= 8 ? A : B;
      // Each is wrong once, on a different kind of change.
      const wrong = (who === A && i === 3) || (who === B && i === 12);
      const sign = wrong ? (good ? -1 : 1) : good ? 1 : -1;
      acts.push(act({ changeId: i, changeNumber: 9000 + i, actorId: who, at: t + HOUR, value: sign }));
      messages.push(
        msg(i, 1, who, t + HOUR, `Patch Set 1: Code-Review${sign > 0 ? '+1' : '-1'}\n\nChecked the retry path and the locking order.`),
      );
    }
    const roster = buildCoreRoster([{ project: 'p', snapshots: [], configured: new Set([CORE]) }]);
    const r = computeJudgementCandidates(
      { acts, messages, changes, roster, isBot: () => false },
      { since: SINCE, until: NOW, now: NOW, areaRules, minReviews: 5, random: seededRandom(3), replicates: 300 },
    );
    const [first, second] = r.candidates;
    assert.ok(first!.rankRange.worst >= 2 && second!.rankRange.best <= 1, `ranges ${JSON.stringify(r.candidates.map((c) => c.rankRange))}`);
    assert.ok(first!.kappa.lower! < 0.7, 'κ on 8 votes is uncertain');
  });
});

function round3(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
