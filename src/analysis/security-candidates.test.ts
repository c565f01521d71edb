import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AdvisoryRecord, SecurityWorkChange } from '../model/advisories.js';
import { computeSecurityCandidates, DEFAULT_SECURITY_WEIGHTS } from './security-candidates.js';

const DAY = 86_400_000;
const D = Date.parse('2030-03-01T00:00:00Z');

const advisory = (bug: string, numbers: number[]): AdvisoryRecord =>
  ({
    advisory: { id: 'XSA-2030-001', date: '2030-03-01' },
    facts: {
      products: ['compute'],
      cves: [],
      bugs: [{ tracker: 'launchpad', bug, url: '', note: null }],
      reviews: numbers.map((n) => ({ branch: 'b', series: 'b', host: 'h', number: n, url: '', note: null })),
    },
    source: null,
  }) as unknown as AdvisoryRecord;

const change = (id: number, over: Partial<SecurityWorkChange>): SecurityWorkChange => ({
  id,
  project: 'demo/compute',
  branch: 'master',
  number: id,
  subject: 's',
  status: 'MERGED',
  ownerId: 1,
  created: D - 10 * DAY,
  mergedAt: D - DAY,
  files: ['compute/api/a.py'],
  bugs: [],
  reviews: [],
  ...over,
});

const options = { since: D - 100 * DAY, until: D + 100 * DAY, areaDepth: 2, weights: DEFAULT_SECURITY_WEIGHTS, evidenceLimit: 10 };

describe('computeSecurityCandidates', () => {
  it('counts public security work after disclosure, area work, and leaves out bots, the team and embargoed reviews', () => {
    const changes = [
      // The embargoed fix: owner 1 (created before disclosure: not public work), reviewed by 2 before disclosure.
      change(1, { bugs: ['11'], reviews: [{ accountId: 2, value: 2, at: D - 2 * DAY }] }),
      // A backport by 3, named by the advisory's reviews, reviewed by 2 and a bot (9) after disclosure.
      change(2, {
        branch: 'stable/x',
        ownerId: 3,
        created: D + DAY,
        mergedAt: D + 5 * DAY,
        reviews: [
          { accountId: 2, value: 2, at: D + 2 * DAY },
          { accountId: 2, value: 2, at: D + 3 * DAY },
          { accountId: 9, value: 1, at: D + 2 * DAY },
        ],
      }),
      // A security bug made public at D + 10 days, fixed in public by 4 (a team member: excluded).
      change(3, { ownerId: 4, bugs: ['44'], created: D + 20 * DAY, mergedAt: D + 30 * DAY, files: ['compute/db/x.py'] }),
      // Area work: 5 changes compute/api/, 6 reviews it; docs elsewhere count nothing.
      change(4, {
        ownerId: 5,
        mergedAt: D + 40 * DAY,
        files: ['compute/api/b.py'],
        reviews: [{ accountId: 6, value: 1, at: D + 39 * DAY }],
      }),
      change(5, { ownerId: 7, mergedAt: D + 40 * DAY, files: ['doc/x.rst', 'setup.py'] }),
    ];
    const r = computeSecurityCandidates(
      {
        advisories: [advisory('11', [2])],
        securityBugs: [{ bug: '44', disclosedAt: D + 10 * DAY }],
        changes,
        isBot: (id) => id === 9,
        exclude: new Set([4]),
      },
      options,
    );
    assert.equal(r.securityChanges, 3);
    assert.deepEqual(r.areas, ['compute/api/', 'compute/db/']);
    assert.deepEqual(
      r.candidates.map((c) => [c.accountId, c.score, c.fixes, c.securityReviews, c.areaChanges, c.areaReviews]),
      [
        [3, 4, 1, 0, 0, 0],
        [2, 2, 0, 1, 0, 0],
        [5, 1, 0, 0, 1, 0],
        [6, 0.5, 0, 0, 0, 1],
      ],
    );
    assert.deepEqual(r.candidates[0]!.advisories, ['XSA-2030-001']);
    assert.deepEqual(r.candidates[1]!.evidence.securityReviews, ['demo/compute#2']);
  });

  it('counts only what falls in the window', () => {
    const changes = [change(2, { branch: 'stable/x', ownerId: 3, bugs: ['11'], created: D + DAY, mergedAt: D + 5 * DAY })];
    const r = computeSecurityCandidates(
      { advisories: [advisory('11', [])], securityBugs: [], changes, isBot: () => false, exclude: new Set() },
      { ...options, since: D + 6 * DAY },
    );
    assert.deepEqual(r.candidates, []);
  });
});
