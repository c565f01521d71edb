import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildSecurityRoster, type RosterInput } from './security-roster.js';

const NOW = Date.UTC(2026, 5, 1, 12);
const DAY = 86_400_000;
const RULES = { inactiveDays: 90, teamMax: 2, embargoCapDays: 90, embargoWarnDays: 14 };

describe('the security roster', () => {
  const input: RosterInput = {
    members: [
      { name: 'ana', addedAt: NOW - 400 * DAY, addedBy: 'adm', disabled: false },
      { name: 'ben', addedAt: NOW - 400 * DAY, addedBy: 'adm', disabled: false },
      { name: 'cat', addedAt: NOW - 20 * DAY, addedBy: 'cat', disabled: false },
    ],
    items: [
      { id: 'i1', state: 'fix-in-progress', receivedAt: NOW - 80 * DAY, assignee: 'ana', disclosureDate: null },
      { id: 'i2', state: 'disclosed', receivedAt: NOW - 150 * DAY, assignee: 'ben', disclosureDate: null },
    ],
    transitions: [
      { itemId: 'i1', at: NOW - 80 * DAY, actor: 'rep', from: null, to: 'received' },
      { itemId: 'i1', at: NOW - 78 * DAY, actor: 'ana', from: 'received', to: 'triaged' },
      { itemId: 'i1', at: NOW - 70 * DAY, actor: 'ana', from: 'triaged', to: 'fix-in-progress' },
      { itemId: 'i2', at: NOW - 150 * DAY, actor: 'rep', from: null, to: 'received' },
      { itemId: 'i2', at: NOW - 140 * DAY, actor: 'ben', from: 'received', to: 'triaged' },
      { itemId: 'i2', at: NOW - 100 * DAY, actor: 'ana', from: 'pre-disclosure-sent', to: 'disclosed' },
    ],
    patches: [{ id: 1, itemId: 'i1', author: 'ana', at: NOW - 60 * DAY }],
    reviews: [{ itemId: 'i1', reviewer: 'cat', at: NOW - 5 * DAY }],
    grants: [],
  };
  const r = buildSecurityRoster(input, RULES, NOW);

  it('counts each member’s work over 90 and 180 days', () => {
    const ana = r.members.find((m) => m.name === 'ana')!;
    assert.deepEqual([ana.windows[0].triage, ana.windows[0].steps, ana.windows[0].patches], [1, 2, 1]);
    assert.deepEqual([ana.windows[1].triage, ana.windows[1].steps], [1, 3]);
    assert.deepEqual([ana.windows[0].assigned, ana.windows[0].answered, ana.windows[0].medianFirstResponseDays], [1, 1, 2]);
    const ben = r.members.find((m) => m.name === 'ben')!;
    assert.deepEqual([ben.windows[0].steps, ben.windows[1].triage, ben.windows[1].medianFirstResponseDays], [0, 1, 10]);
  });

  it('names who has not had time recently, with the evidence; a new member is not flagged', () => {
    assert.deepEqual(r.inactive, ['ben']);
    assert.match(r.members.find((m) => m.name === 'ben')!.evidence, /140 days ago.*no activity in the last 90 days/);
    assert.equal(r.members.find((m) => m.name === 'cat')!.inactive, false);
  });

  it('per report: first response, first patch, disclosure; open items against the cap; the size rule', () => {
    assert.deepEqual(
      r.reports.map((x) => [x.id, x.firstResponseDays, x.fixDays, x.disclosureDays]),
      [
        ['i1', 2, 20, null],
        ['i2', 10, null, 50],
      ],
    );
    assert.deepEqual(r.open, [{ id: 'i1', state: 'fix-in-progress', ageDays: 80, daysLeft: 10, flag: 'near-cap' }]);
    assert.deepEqual(r.team, { size: 3, max: 2, overMax: true });
  });
});
