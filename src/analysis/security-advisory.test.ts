import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SecurityItem } from '../model/security.js';
import { StewardError } from '../model/errors.js';
import { advisoryOfItem, changeNumberOf } from './security-advisory.js';

const item = (text: Partial<SecurityItem['text']> = {}): SecurityItem => ({
  id: 'abc',
  state: 'disclosed',
  receivedAt: 0,
  updatedAt: 0,
  assignee: null,
  cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N',
  cvssScore: 7.5,
  disclosureDate: '2026-03-01',
  text: {
    title: 't',
    description: 'd',
    project: 'openstack/nova',
    releases: ['2025.2', '2026.1'],
    branches: ['master', 'stable/2026.1'],
    cve: 'CVE-2026-1234',
    preDisclosureList: ['x'],
    advisory: 'https://security.example.org/ossa/OSSA-2026-003.html',
    publicChanges: [
      'https://review.example.org/c/openstack/nova/+/11',
      'https://review.example.org/#/c/12/',
      'https://review.example.org/13',
      'https://elsewhere.example.org/patch',
    ],
    ...text,
  },
});

describe('advisoryOfItem: a disclosed item as the advisory it publishes', () => {
  it('reads the change number of each Gerrit URL form', () => {
    assert.deepEqual(item().text.publicChanges.map(changeNumberOf), [11, 12, 13, null]);
  });

  it('takes the id from a URL, the date from the disclosure step, the product from the project, reviews per branch of the stored change', () => {
    const a = advisoryOfItem({
      item: item({ launchpadBug: 2_000_123 }),
      disclosedAt: Date.UTC(2026, 2, 1, 23, 59),
      reporters: ['rex', 'rex', 'kim'],
      changeBranches: new Map([
        [11, 'master'],
        [12, 'stable/2026.1'],
        [13, 'master'],
      ]),
    });
    assert.equal(a.id, 'OSSA-2026-003');
    assert.equal(a.date, '2026-03-01');
    assert.deepEqual(a.products, [{ product: 'nova', version: '2025.2, 2026.1' }]);
    assert.deepEqual(a.vulnerabilities[0]!.impactAssessment, {
      source: null,
      rating: 'High',
      assessment: { type: 'CVSS v3.1', score: 7.5, detail: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N' },
    });
    assert.deepEqual(
      a.reporters.map((r) => r.name),
      ['rex', 'kim'],
    );
    assert.deepEqual(a.issues, { links: ['https://launchpad.net/bugs/2000123'], type: 'launchpad' });
    assert.deepEqual(a.reviews, [
      { branch: 'master', links: ['https://review.example.org/c/openstack/nova/+/11', 'https://review.example.org/13'] },
      { branch: '2026.1', links: ['https://review.example.org/#/c/12/'] },
      { branch: 'unsorted', links: ['https://elsewhere.example.org/patch'] },
    ]);
  });

  it('lists changes of no known branch under the only affected branch; refuses a disclosure without an advisory id', () => {
    const one = advisoryOfItem({ item: item({ branches: ['stable/2026.1'] }), disclosedAt: 0, reporters: [], changeBranches: new Map() });
    assert.deepEqual(
      one.reviews.map((g) => [g.branch, g.links.length]),
      [['2026.1', 4]],
    );
    assert.throws(
      () => advisoryOfItem({ item: item({ advisory: 'published on the list' }), disclosedAt: 0, reporters: [], changeBranches: new Map() }),
      (e: unknown) => e instanceof StewardError && e.code === 'SECURITY_TRANSITION' && /no advisory id/.test(e.message),
    );
  });
});
