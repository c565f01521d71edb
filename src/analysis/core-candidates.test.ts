import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChangeFacts, ReviewMessageText, TeamActRecord } from '../model/team.js';
import { areaOf, hasReasoning, patchSetFate } from './core-candidates.js';
import { computeCandidates } from './judgement-candidates.js';
import { seededRandom } from './stats/random.js';
import { buildCoreRoster } from './reviewers.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const NOW = Date.UTC(2015, 3, 10);
const SINCE = NOW - 180 * DAY;
const CORE = 1;
const STRONG = 3;
const GAMER = 4;
const OWNER = 100;

function facts(id: number, over: Partial<ChangeFacts> = {}): ChangeFacts {
  return {
    id,
    host: 'h',
    project: 'p',
    number: 7000 + id,
    ownerId: OWNER,
    status: 'NEW',
    created: NOW - 100 * DAY + id * DAY,
    mergedAt: null,
    abandonedAt: null,
    patchSets: [{ number: 1, created: NOW - 100 * DAY + id * DAY, kind: 'REWORK' }],
    files: ['nova/compute/manager.py'],
    ...over,
  };
}
function act(over: Partial<TeamActRecord>): TeamActRecord {
  return {
    changeId: 1,
    changeNumber: 7001,
    project: 'p',
    changeOwnerId: OWNER,
    patchSet: 1,
    actorId: STRONG,
    at: NOW - 50 * DAY,
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

describe('core candidates: building blocks', () => {
  it('areas: the longest configured prefix, else the directory at the configured depth', () => {
    assert.equal(areaOf('nova/compute/manager.py', { prefixes: [], depth: 1 }), 'nova/');
    assert.equal(areaOf('nova/compute/manager.py', { prefixes: [], depth: 2 }), 'nova/compute/');
    assert.equal(areaOf('nova/virt/libvirt/driver.py', { prefixes: ['nova/virt/', 'nova/virt/libvirt/'], depth: 1 }), 'nova/virt/libvirt/');
    assert.equal(areaOf('setup.cfg', { prefixes: [], depth: 1 }), '/');
    assert.equal(areaOf('doc/index.rst', { prefixes: [], depth: 3 }), 'doc/');
  });

  it('reasoning: anything besides the "Patch Set N: votes" line', () => {
    assert.equal(hasReasoning('Patch Set 2: Code-Review+1'), false);
    assert.equal(hasReasoning('Patch Set 2: Code-Review+1\n\n'), false);
    assert.equal(hasReasoning('Patch Set 2: Code-Review-1\n\n(3 comments)'), true);
    assert.equal(hasReasoning('Patch Set 2: Code-Review+1\n\nThe lock is needed here.'), true);
  });

  it('a patch set is revised by a later code change, not by a trivial rebase', () => {
    const c = facts(1, {
      patchSets: [
        { number: 1, created: NOW - 10 * DAY, kind: 'REWORK' },
        { number: 2, created: NOW - 8 * DAY, kind: 'TRIVIAL_REBASE' },
        { number: 3, created: NOW - 6 * DAY, kind: 'REWORK' },
      ],
    });
    assert.equal(patchSetFate(c, 1, NOW - 9 * DAY, NOW), 'revised');
    assert.equal(patchSetFate(c, 1, NOW - 9 * DAY, NOW - 7 * DAY), 'open', 'as of a moment before the rework');
    assert.equal(patchSetFate(c, 3, NOW - 5 * DAY, NOW), 'open');
    assert.equal(patchSetFate({ ...c, status: 'MERGED', mergedAt: NOW - DAY }, 3, NOW - 5 * DAY, NOW), 'merged');
    assert.equal(patchSetFate({ ...c, status: 'ABANDONED', abandonedAt: NOW - DAY }, 3, NOW - 5 * DAY, NOW), 'abandoned');
  });
});

describe('steward core candidates', () => {
  // 40 changes. GAMER +1s ps1 of changes 1–30 without a word; a core then −1s them and they are
  // revised. STRONG −1s ps1 of changes 31–36 with reasons (then revised: confirmed), and +1s ps2 of
  // 31–40 with reasons (then the core +2s: agreed). STRONG owns change 41, merged in the window.
  const changes: ChangeFacts[] = [];
  const acts: TeamActRecord[] = [];
  const messages: ReviewMessageText[] = [];
  for (let i = 1; i <= 40; i++) {
    const t0 = NOW - 120 * DAY + i * 2 * DAY;
    const area = i % 2 === 0 ? 'nova/compute/x.py' : 'nova/api/y.py';
    changes.push(
      facts(i, {
        created: t0,
        files: [area],
        patchSets: [
          { number: 1, created: t0, kind: 'REWORK' },
          { number: 2, created: t0 + DAY, kind: 'REWORK' },
        ],
      }),
    );
    const base = { changeId: i, changeNumber: 7000 + i };
    if (i <= 30) {
      acts.push(act({ ...base, actorId: GAMER, at: t0 + HOUR, value: 1 }));
      messages.push(msg(i, 1, GAMER, t0 + HOUR, 'Patch Set 1: Code-Review+1'));
      acts.push(act({ ...base, actorId: CORE, at: t0 + 3 * HOUR, value: -1 }));
    }
    if (i > 30 && i <= 36) {
      acts.push(act({ ...base, actorId: STRONG, at: t0 + 2 * HOUR, value: -1 }));
      messages.push(msg(i, 1, STRONG, t0 + 2 * HOUR, 'Patch Set 1: Code-Review-1\n\n(2 comments)\n\nThis races with the resize.'));
    }
    if (i > 30) {
      acts.push(act({ ...base, patchSet: 2, actorId: STRONG, at: t0 + DAY + HOUR, value: 1 }));
      messages.push(msg(i, 2, STRONG, t0 + DAY + HOUR, 'Patch Set 2: Code-Review+1\n\nThanks, looks right now.'));
      acts.push(act({ ...base, patchSet: 2, actorId: CORE, at: t0 + DAY + 2 * HOUR, value: 2 }));
    }
  }
  changes.push(facts(41, { ownerId: STRONG, status: 'MERGED', mergedAt: NOW - 5 * DAY }));
  const roster = buildCoreRoster([{ project: 'p', snapshots: [], configured: new Set([CORE]) }]);
  const result = computeCandidates(
    { acts, messages, changes, isBot: () => false, roster },
    {
      since: SINCE,
      until: NOW,
      now: NOW,
      areaRules: { prefixes: ['nova/compute/', 'nova/api/'], depth: 1 },
      minReviews: 5,
      random: seededRandom(1),
      replicates: 50,
    },
  );
  const get = (id: number) => result.candidates.find((c) => c.accountId === id)!;

  it('volume alone does not rank a drive-by +1 gamer first', () => {
    assert.deepEqual(
      result.candidates.map((c) => c.accountId),
      [STRONG, GAMER],
    );
    assert.ok(get(GAMER).reviews > get(STRONG).reviews, 'the gamer has more reviews');
    assert.ok(get(STRONG).score > get(GAMER).score);
    assert.equal(get(STRONG).rank, 1);
  });

  it('lays out the evidence: the votes each component came from', () => {
    const s = get(STRONG);
    assert.equal(s.reviews, 16);
    assert.equal(s.independent, 16, 'every vote came before the core voted');
    assert.equal(s.afterCore, 0);
    // Verdicts: the core's +2 on the ten patch sets 2; the revision on the six −1'd patch sets 1.
    assert.deepEqual({ votes: s.kappa.votes, agreed: s.kappa.agreed, value: s.kappa.value }, { votes: 16, agreed: 16, value: 1 });
    assert.deepEqual(s.minusOnes, { total: 6, confirmedByCore: 0, confirmedByRevision: 6, overruled: 0, unsupported: 0, pending: 0 });
    assert.equal(s.substantive, 6, 'the −1s with inline comments; "Thanks, looks right now." is not a reason');
    assert.deepEqual(s.areas, ['nova/api/', 'nova/compute/']);
    const g = get(GAMER);
    assert.equal(g.independent, 30);
    assert.deepEqual(
      { votes: g.kappa.votes, agreed: g.kappa.agreed, value: g.kappa.value },
      { votes: 30, agreed: 0, value: 0 },
      'always +1: no agreement beyond chance',
    );
    assert.equal(g.substantive, 0);
    assert.equal(g.components.agreement, 0);
    assert.equal(g.score, 0, 'no quality, no score');
  });

  it('measures consistency in active weeks, and reports the period and rules it used', () => {
    const s = get(STRONG);
    assert.equal(s.weeks, Math.ceil(180 / 7));
    assert.ok(s.activeWeeks >= 3 && s.activeWeeks <= 4, `its reviews span 20 days: ${s.activeWeeks} weeks`);
    assert.equal(result.period.days, 180);
    assert.equal(result.minReviews, 5);
  });

  it('leaves out cores and people under the minimum', () => {
    assert.equal(
      result.candidates.some((c) => c.accountId === CORE),
      false,
    );
    const strict = computeCandidates(
      { acts, messages, changes, isBot: () => false, roster },
      {
        since: SINCE,
        until: NOW,
        now: NOW,
        areaRules: { prefixes: [], depth: 1 },
        minReviews: 20,
        random: seededRandom(1),
        replicates: 50,
      },
    );
    assert.deepEqual(
      strict.candidates.map((c) => c.accountId),
      [GAMER],
    );
    assert.equal(strict.belowMinimum, 1);
  });
});
