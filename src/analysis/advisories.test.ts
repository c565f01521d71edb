import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Advisory, AdvisoryChange, AdvisoryRecord, BugFixCommit } from '../model/advisories.js';
import { computeAdvisoryReport, DEFAULT_ADVISORY_OPTIONS, medianWithInterval, MIN_FOR_INTERVAL } from './advisories.js';

const DAY = 86_400_000;

function record(id: string, date: string, products: string[], bugs: string[], reviews: number[] = [], reporters = ['Ann']): AdvisoryRecord {
  const advisory: Advisory = {
    id,
    date,
    title: id,
    description: 'x',
    reference: null,
    products: products.map((p) => ({ product: p, version: null })),
    vulnerabilities: [{ cveId: `CVE-${date.slice(0, 4)}-1${id.slice(-3)}`, note: null, impactAssessment: null, classification: null }],
    reporters: reporters.map((name) => ({ name, affiliation: null, reported: null })),
    issues: { links: bugs.map((b) => `https://launchpad.net/bugs/${b}`), type: null },
    reviews: [],
    reviewsType: null,
    notes: null,
    errata: null,
    errataHistory: null,
    type: null,
  };
  return {
    advisory,
    facts: {
      products: products.map((p) => p.toLowerCase()),
      cves: [advisory.vulnerabilities[0]!.cveId],
      bugs: bugs.map((b) => ({ tracker: 'launchpad' as const, bug: b, url: `https://launchpad.net/bugs/${b}`, note: null })),
      reviews: reviews.map((n) => ({
        branch: 'master',
        series: 'master',
        host: 'review.example.org',
        number: n,
        url: `https://review.example.org/${n}`,
        note: null,
      })),
    },
    source: null,
  };
}

const commit = (bug: string, landedAt: number, sha = `c${bug}${landedAt}`): BugFixCommit => ({
  bug,
  kind: 'closes-bug',
  repo: 'compute',
  sha,
  subject: 'fix',
  authorName: 'a',
  authorEmail: 'a@example.org',
  authoredAt: landedAt,
  changeId: null,
  landedAt,
});

const change = (
  number: number,
  branch: string,
  mergedAt: number | null,
  bugs: string[] = [],
  status = mergedAt === null ? 'NEW' : 'MERGED',
): AdvisoryChange => ({
  id: number,
  host: 'review.example.org',
  project: 'demo/compute',
  branch,
  number,
  subject: 's',
  status,
  ownerId: 1,
  ownerName: 'o',
  created: 0,
  mergedAt,
  bugs,
});

describe('computeAdvisoryReport', () => {
  const day = (d: string) => Date.parse(`${d}T00:00:00Z`);

  it('takes the first fix, counts per product and year, and flags early fixes and late backports', () => {
    const records = [
      record('XSA-2030-001', '2030-03-01', ['Compute', 'Image'], ['11'], [900]),
      record('XSA-2030-002', '2030-06-01', ['compute'], ['22'], [], ['Ann', 'bo']),
      record('XSA-2031-001', '2031-01-10', ['image'], ['33']),
    ];
    const commits = [commit('11', day('2030-03-01') + DAY / 2), commit('11', day('2030-02-01')), commit('22', day('2030-04-01'))];
    const changes = [
      change(901, 'stable/a', day('2030-03-01') + 45 * DAY, ['11']),
      change(900, 'stable/b', day('2030-03-01') + 10 * DAY),
      change(902, 'stable/c', null, ['11'], 'ABANDONED'),
      change(903, 'stable/d', null, ['22']),
    ];
    const r = computeAdvisoryReport(records, commits, changes, DEFAULT_ADVISORY_OPTIONS);
    const a = Object.fromEntries(r.advisories.map((x) => [x.id, x]));
    assert.equal(a['XSA-2030-001']!.fixToAdvisoryDays, 28); // the earlier of its two commits (February 2030 has 28 days)
    assert.equal(a['XSA-2030-001']!.early, false);
    assert.deepEqual(
      a['XSA-2030-001']!.backports.map((b) => [b.number, b.daysAfterAdvisory, b.late]),
      [
        [900, 10, false],
        [901, 45, true],
      ],
    );
    assert.equal(a['XSA-2030-002']!.fixToAdvisoryDays, 61);
    assert.equal(a['XSA-2030-002']!.early, true);
    assert.equal(a['XSA-2031-001']!.fixToAdvisoryDays, null);
    assert.deepEqual(
      r.byProduct.map((g) => [g.product, g.advisories, g.linked, g.early, g.lateBackports, g.openBackports]),
      [
        ['compute', 2, 2, 1, 1, 1],
        ['image', 2, 1, 0, 1, 0],
      ],
    );
    assert.deepEqual(
      r.byYear.map((g) => [g.year, g.advisories, g.cves, g.reporters]),
      [
        [2030, 2, 2, 2],
        [2031, 1, 1, 1],
      ],
    );
    assert.equal(
      computeAdvisoryReport(records, commits, changes, { ...DEFAULT_ADVISORY_OPTIONS, products: ['image'] }).total.advisories,
      2,
    );
  });

  it('takes a merged change on a main branch as a fix, and its merge time as the landing', () => {
    const r = computeAdvisoryReport(
      [record('XSA-2030-001', '2030-03-01', ['compute'], ['11'], [800])],
      [],
      [change(800, 'master', day('2030-02-27'))],
      DEFAULT_ADVISORY_OPTIONS,
    );
    assert.deepEqual(
      r.advisories[0]!.fixes.map((f) => [f.source, f.ref]),
      [['change', 'demo/compute#800']],
    );
    assert.equal(r.advisories[0]!.fixToAdvisoryDays, 2);
    assert.deepEqual(r.advisories[0]!.backports, []);
  });
});

describe('medianWithInterval', () => {
  it('gives no interval below the minimum, and the same interval for the same data', () => {
    assert.deepEqual(medianWithInterval([3, 1]), { n: 2, median: 2, lower: null, upper: null });
    const values = [-1, -0.5, 0, 0.5, 2, 30, 90].slice(0, Math.max(MIN_FOR_INTERVAL, 7));
    const a = medianWithInterval(values);
    assert.equal(a.median, 0.5);
    assert.ok(a.lower !== null && a.upper !== null && a.lower <= 0.5 && a.upper >= 0.5);
    assert.deepEqual(medianWithInterval([...values].reverse()), a);
  });
});
