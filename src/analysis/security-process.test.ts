import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StewardError } from '../model/errors.js';
import { SECURITY_MAIN_LINE } from '../model/security.js';
import { checkTransition, embargoStatus, nextStates } from './security-process.js';

const NOW = Date.UTC(2026, 5, 1, 12);
const DAY = 86_400_000;
const refused = (re: RegExp) => (e: unknown) => e instanceof StewardError && e.code === 'SECURITY_TRANSITION' && re.test(e.message);

describe('the security process', () => {
  it('moves one step along the main line; rejected from received or triaged; public from any embargoed state', () => {
    for (let i = 0; i < SECURITY_MAIN_LINE.length - 1; i++)
      assert.ok(nextStates(SECURITY_MAIN_LINE[i]!).includes(SECURITY_MAIN_LINE[i + 1]!));
    assert.deepEqual(nextStates('received'), ['triaged', 'rejected', 'public']);
    assert.deepEqual(nextStates('disclosed'), ['closed']);
    assert.deepEqual(nextStates('closed'), []);
    assert.deepEqual(nextStates('rejected'), ['closed']);
  });

  it('refuses skipping and going backwards, naming what was skipped', () => {
    assert.throws(() => checkTransition('received', { to: 'fix-in-progress' }, NOW), refused(/skips triaged/));
    assert.throws(() => checkTransition('cve-assigned', { to: 'triaged', verdict: 'confirmed' }, NOW), refused(/goes backwards/));
    assert.throws(() => checkTransition('closed', { to: 'disclosed', advisory: 'x' }, NOW), refused(/goes backwards/));
  });

  it('triage needs a verdict, a valid vector and branches; a rejection needs a reason', () => {
    assert.throws(() => checkTransition('received', { to: 'triaged' }, NOW), refused(/verdict/));
    assert.throws(
      () => checkTransition('received', { to: 'triaged', verdict: 'confirmed', cvssVector: 'nope', branches: ['master'] }, NOW),
      (e: unknown) => e instanceof StewardError && e.code === 'CVSS_INVALID',
    );
    assert.throws(
      () =>
        checkTransition(
          'received',
          { to: 'triaged', verdict: 'confirmed', cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
          NOW,
        ),
      refused(/branches/),
    );
    const ok = checkTransition(
      'received',
      {
        to: 'triaged',
        verdict: 'confirmed',
        cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
        branches: ['master', ' '],
        releases: ['2026.1'],
      },
      NOW,
    );
    assert.deepEqual(ok, {
      to: 'triaged',
      cvss: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 9.8 },
      releases: ['2026.1'],
      branches: ['master'],
    });
    assert.throws(() => checkTransition('triaged', { to: 'triaged', verdict: 'rejected' }, NOW), refused(/say why/));
    assert.equal(checkTransition('triaged', { to: 'triaged', verdict: 'rejected', note: 'works as designed' }, NOW).to, 'rejected');
  });

  it('a CVE id, a disclosure day not in the past, recipients, an advisory', () => {
    assert.throws(() => checkTransition('fix-in-progress', { to: 'cve-assigned', cve: 'CVE-26-1' }, NOW), refused(/not a CVE id/));
    assert.equal(checkTransition('fix-in-progress', { to: 'cve-assigned', cve: 'CVE-2026-12345' }, NOW).cve, 'CVE-2026-12345');
    assert.throws(
      () => checkTransition('cve-assigned', { to: 'disclosure-date-agreed', disclosureDate: '2026-05-31' }, NOW),
      refused(/in the past/),
    );
    assert.throws(
      () => checkTransition('cve-assigned', { to: 'disclosure-date-agreed', disclosureDate: '2026-02-30' }, NOW),
      refused(/not a day/),
    );
    assert.equal(
      checkTransition('cve-assigned', { to: 'disclosure-date-agreed', disclosureDate: '2026-06-01' }, NOW).disclosureDate,
      '2026-06-01',
    );
    assert.throws(
      () => checkTransition('disclosure-date-agreed', { to: 'pre-disclosure-sent', preDisclosureList: [] }, NOW),
      refused(/recipient/),
    );
    assert.throws(() => checkTransition('pre-disclosure-sent', { to: 'disclosed' }, NOW), refused(/advisory/));
  });

  it('the embargo cap: ok, near (within the warning days), past; none once out of embargo', () => {
    const rules = { embargoCapDays: 90, embargoWarnDays: 14 };
    assert.deepEqual(embargoStatus({ state: 'triaged', receivedAt: NOW - 10 * DAY }, NOW, rules), {
      ageDays: 10,
      daysLeft: 80,
      flag: 'ok',
    });
    assert.deepEqual(embargoStatus({ state: 'triaged', receivedAt: NOW - 76 * DAY }, NOW, rules), {
      ageDays: 76,
      daysLeft: 14,
      flag: 'near-cap',
    });
    assert.deepEqual(embargoStatus({ state: 'received', receivedAt: NOW - 91 * DAY }, NOW, rules), {
      ageDays: 91,
      daysLeft: -1,
      flag: 'past-cap',
    });
    assert.equal(embargoStatus({ state: 'disclosed', receivedAt: NOW - 200 * DAY }, NOW, rules).flag, 'not-embargoed');
  });
});
