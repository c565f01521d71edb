/**
 * The demo's published advisories: a few of the demo's merged bug fixes on master that were
 * backported, written as advisories in the OSSA format (sources/advisories/advisory-yaml.ts), so
 * `steward security advisories` and `steward security candidates` show something on the demo.
 * Deterministic from the demo's options.
 *
 * Planted truths (demo-advisories.test.ts checks them through the report): every advisory links to
 * its fix (the master change names its bug with Closes-Bug); the advisory day is the day after the
 * fix merged, except one published 45 days after (an early fix); the backports named in its review
 * links are the demo's backports of that fix, and one advisory is chosen whose backport merged more
 * than 30 days after the advisory (a late backport) when the demo has one.
 */
import type { Advisory, AdvisoryRecord } from '../model/advisories.js';
import { advisoryFacts } from '../sources/advisories/advisory-yaml.js';
import { extractLinks } from '../sources/links/links.js';
import type { DemoChange } from './demo-change.js';
import { generateDemoChanges, type DemoOptions } from './demo-project.js';
import { DAY_MS, resolveDemoOptions } from './demo-world.js';

/** How many advisories the demo publishes at most. */
export const DEMO_ADVISORIES = 6;
/** The advisory published this many days after its fix merged (the planted early fix). */
export const DEMO_EARLY_DAYS = 45;

const REPORTERS = [
  ['Imani Okafor', 'Example Cloud'],
  ['Lars Kettunen', 'Nordic Hosting'],
  ['Priya Raman', null],
  ['Tomás Ferreira', 'Example University'],
] as const;

export interface DemoAdvisories {
  records: AdvisoryRecord[];
  /** Planted truths, by advisory id. */
  truth: { early: string[]; late: string[]; fixes: Record<string, number> };
}

interface Fix {
  number: number;
  changeId: string;
  subject: string;
  bug: string;
  mergedAt: number;
  area: string;
  backports: Array<{ number: number; branch: string; mergedAt: number | null }>;
}

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The demo's advisories and their planted truths (from `changes`, the demo's changes for `opts`: generated unless given). */
export function demoAdvisories(opts: DemoOptions, changes: Iterable<DemoChange> = generateDemoChanges(opts)): DemoAdvisories {
  const o = resolveDemoOptions(opts);
  const host = o.host;
  const fixes = new Map<string, Fix>();
  for (const c of changes) {
    if (c.branch === 'master') {
      if (c.status !== 'MERGED' || c.submitted === null || c.truth.purpose !== 'bug') continue;
      const message = c.patchSets[c.patchSets.length - 1]?.commitMessage ?? '';
      const bug = extractLinks(message, null).find((l) => l.kind === 'closes-bug')?.target;
      if (!bug) continue;
      fixes.set(c.changeId, {
        number: c.number,
        changeId: c.changeId,
        subject: c.subject,
        bug,
        mergedAt: c.submitted,
        area: c.truth.area,
        backports: [],
      });
    } else if (c.status !== 'ABANDONED') {
      fixes.get(c.changeId)?.backports.push({ number: c.number, branch: c.branch, mergedAt: c.status === 'MERGED' ? c.submitted : null });
    }
  }
  const backported = [...fixes.values()].filter((f) => f.backports.length > 0).sort((a, b) => a.mergedAt - b.mergedAt);
  // Spread over the window: every k-th backported fix; and the fix with the slowest backport, when slow.
  const step = Math.max(1, Math.floor(backported.length / (DEMO_ADVISORIES - 1)));
  const chosen = new Set<Fix>(backported.filter((_, i) => i % step === 0).slice(0, DEMO_ADVISORIES - 1));
  const slowest = [...backported].sort((a, b) => lag(b) - lag(a))[0];
  if (slowest && lag(slowest) > 31 * DAY_MS) chosen.add(slowest);
  const list = [...chosen].sort((a, b) => a.mergedAt - b.mergedAt);
  const earlyIndex = list.length > 2 ? 1 : -1;
  const records: AdvisoryRecord[] = [];
  const truth: DemoAdvisories['truth'] = { early: [], late: [], fixes: {} };
  const perYear = new Map<string, number>();
  list.forEach((f, i) => {
    const early = i === earlyIndex;
    const published = f.mergedAt + (early ? DEMO_EARLY_DAYS : 1) * DAY_MS;
    const year = day(published).slice(0, 4);
    const seq = (perYear.get(year) ?? 0) + 1;
    perYear.set(year, seq);
    const id = `DSA-${year}-${String(seq).padStart(3, '0')}`;
    const [name, affiliation] = REPORTERS[i % REPORTERS.length]!;
    const cve = `CVE-${year}-${String(51_000 + (f.number % 1000)).padStart(5, '0')}`;
    const advisory: Advisory = {
      id,
      date: day(published),
      title: `${f.subject.replace(/\.$/, '')} could be abused by an authenticated user`,
      description: `${name}${affiliation ? ` (${affiliation})` : ''} reported a vulnerability in ${f.area} of the demo compute service. An authenticated user could exploit it; the fix is "${f.subject}".\n`,
      reference: null,
      products: [{ product: 'compute', version: '<=2.0' }],
      vulnerabilities: [{ cveId: cve, note: null, impactAssessment: null, classification: null }],
      reporters: [{ name, affiliation, reported: [cve] }],
      issues: { links: [`https://launchpad.net/bugs/${f.bug}`], type: 'launchpad' },
      reviews: [
        { branch: 'master', links: [`https://${host}/c/demo/compute/+/${f.number}`] },
        ...f.backports.map((b) => ({ branch: b.branch.replace(/^stable\//, ''), links: [`https://${host}/c/demo/compute/+/${b.number}`] })),
      ],
      reviewsType: 'gerrit',
      notes: null,
      errata: null,
      errataHistory: null,
      type: null,
    };
    records.push({ advisory, facts: advisoryFacts(advisory), source: null });
    truth.fixes[id] = f.number;
    if (early) truth.early.push(id);
    const dayStart = Date.parse(`${advisory.date}T00:00:00Z`);
    if (f.backports.some((b) => b.mergedAt !== null && b.mergedAt - dayStart > 30 * DAY_MS)) truth.late.push(id);
  });
  return { records, truth };
}

function lag(f: Fix): number {
  return Math.max(0, ...f.backports.map((b) => (b.mergedAt === null ? 0 : b.mergedAt - f.mergedAt)));
}
