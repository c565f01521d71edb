/**
 * The published-advisories report (`steward security advisories`, docs/security-advisories.md):
 * per product and per year, advisories, CVEs, reporters, how many link to the commits that fixed
 * them, and the time from the fix landing on the main branch to the advisory, with the fixes that
 * landed long before the advisory (an embargo that leaked, or a fix made in public) and the
 * backports that merged long after it. Pure: records in, result out.
 *
 * Definitions:
 * - an advisory's **day** is its `date`, at 00:00 UTC;
 * - its **fixes** are the commits of the code history that name one of its Launchpad bugs as fixed
 *   (Closes-Bug, Partial-Bug and older forms: sources/links/links.ts), and the stored Gerrit changes
 *   on a main branch (`mainBranches`) that its review links name or that name its bugs as fixed,
 *   merged;
 * - it is **linked** when it has at least one fix;
 * - **fix-to-advisory** is the days from the first fix landing (commit landing time, or merge time
 *   of a change) to the advisory's day: positive when the fix landed before the advisory;
 * - **early fix**: fix-to-advisory above `earlyDays` (the fix was public that long before the
 *   advisory);
 * - **late backport**: a stored Gerrit change on another branch, named by the advisory's review
 *   links or naming its bugs as fixed, merged more than `lateDays` after the advisory's day; and
 *   **open backport**: such a change not merged (nor abandoned) yet;
 * - the **median** fix-to-advisory of a group, with a 95% percentile interval from a bootstrap over
 *   its advisories (2,000 resamples, seeded: the same data give the same interval); no interval
 *   below `MIN_FOR_INTERVAL` advisories ("cannot tell").
 */
import type { AdvisoryChange, AdvisoryRecord, BugFixCommit } from '../model/advisories.js';
import { clusterBootstrap, percentileInterval } from './stats/bootstrap.js';
import { seededRandom } from './stats/random.js';
import { quantileSorted } from './stats.js';

const DAY = 86_400_000;
/** Fewer linked advisories than this in a group: the median is given without an interval. */
export const MIN_FOR_INTERVAL = 5;
const SEED = 16;

export interface AdvisoryReportOptions {
  /** Only advisories affecting one of these products (lower-case); empty: all. */
  products: readonly string[];
  /** A fix landing more than this many days before the advisory is flagged as early (default 30). */
  earlyDays: number;
  /** A backport merging more than this many days after the advisory is flagged as late (default 30). */
  lateDays: number;
  /** Gerrit branches that are a main branch (default master, main). */
  mainBranches: readonly string[];
}

export const DEFAULT_ADVISORY_OPTIONS: AdvisoryReportOptions = {
  products: [],
  earlyDays: 30,
  lateDays: 30,
  mainBranches: ['master', 'main'],
};

export interface AdvisoryFix {
  /** `commit` (code history) or `change` (a Gerrit change on a main branch). */
  source: 'commit' | 'change';
  /** Commit hash, or `project#number`. */
  ref: string;
  repo: string;
  bug: string | null;
  subject: string;
  author: string | null;
  landedAt: string;
}

export interface AdvisoryBackport {
  branch: string;
  project: string;
  number: number;
  status: string;
  mergedAt: string | null;
  /** Days from the advisory's day to the merge (null while not merged). */
  daysAfterAdvisory: number | null;
  late: boolean;
}

export interface AdvisoryRow {
  id: string;
  date: string;
  year: number;
  title: string;
  products: string[];
  cves: string[];
  reporters: string[];
  bugs: string[];
  fixes: AdvisoryFix[];
  firstFixAt: string | null;
  /** Days from the first fix landing to the advisory's day, one decimal; null when not linked. */
  fixToAdvisoryDays: number | null;
  early: boolean;
  backports: AdvisoryBackport[];
  lateBackports: number;
}

export interface MedianWithInterval {
  /** Linked advisories the median is over. */
  n: number;
  median: number | null;
  /** 95% bootstrap percentile interval; null below MIN_FOR_INTERVAL advisories. */
  lower: number | null;
  upper: number | null;
}

export interface AdvisoryGroup {
  /** null: every product. */
  product: string | null;
  /** null: every year. */
  year: number | null;
  advisories: number;
  /** Distinct CVE ids. */
  cves: number;
  /** Distinct reporter names (ignoring case). */
  reporters: number;
  /** Advisories with a Launchpad bug. */
  withBugs: number;
  linked: number;
  fixToAdvisoryDays: MedianWithInterval;
  early: number;
  lateBackports: number;
  openBackports: number;
}

export interface SecurityAdvisoriesResult {
  options: AdvisoryReportOptions;
  total: AdvisoryGroup;
  byYear: AdvisoryGroup[];
  byProduct: AdvisoryGroup[];
  byProductYear: AdvisoryGroup[];
  advisories: AdvisoryRow[];
}

const iso = (ms: number): string => new Date(ms).toISOString();
const oneDecimal = (x: number): number => Math.round(x * 10) / 10;

/** Launchpad bug numbers of an advisory (the key to its fixes). */
export function launchpadBugs(r: AdvisoryRecord): string[] {
  return [...new Set(r.facts.bugs.filter((b) => b.tracker === 'launchpad' && b.bug !== null).map((b) => b.bug!))];
}

/**
 * The rows and groups of the report. `commits` are the fix commits of the advisories' bugs
 * (store/queries/advisories.ts listBugFixCommits), `changes` the Gerrit changes they name
 * (listAdvisoryChanges); both may hold more than the advisories need.
 *
 * @example computeAdvisoryReport(records, commits, [], DEFAULT_ADVISORY_OPTIONS).total.linked
 */
export function computeAdvisoryReport(
  records: readonly AdvisoryRecord[],
  commits: readonly BugFixCommit[],
  changes: readonly AdvisoryChange[],
  options: AdvisoryReportOptions,
): SecurityAdvisoriesResult {
  const wanted = new Set(options.products.map((p) => p.toLowerCase()));
  const main = new Set(options.mainBranches);
  const commitsByBug = new Map<string, BugFixCommit[]>();
  for (const c of commits) commitsByBug.set(c.bug, [...(commitsByBug.get(c.bug) ?? []), c]);
  const changesByNumber = new Map<number, AdvisoryChange[]>();
  const changesByBug = new Map<string, AdvisoryChange[]>();
  for (const c of changes) {
    changesByNumber.set(c.number, [...(changesByNumber.get(c.number) ?? []), c]);
    for (const b of c.bugs) changesByBug.set(b, [...(changesByBug.get(b) ?? []), c]);
  }

  const rows: AdvisoryRow[] = [];
  for (const r of records) {
    const a = r.advisory;
    if (wanted.size > 0 && !r.facts.products.some((p) => wanted.has(p))) continue;
    const day = Date.parse(`${a.date}T00:00:00Z`);
    const bugs = launchpadBugs(r);
    const fixes: AdvisoryFix[] = [];
    const seenCommits = new Set<string>();
    for (const b of bugs)
      for (const c of commitsByBug.get(b) ?? []) {
        if (seenCommits.has(`${c.repo} ${c.sha}`)) continue;
        seenCommits.add(`${c.repo} ${c.sha}`);
        fixes.push({
          source: 'commit',
          ref: c.sha,
          repo: c.repo,
          bug: c.bug,
          subject: c.subject,
          author: c.authorName,
          landedAt: iso(c.landedAt),
        });
      }
    const named = new Map<number, AdvisoryChange>();
    for (const v of r.facts.reviews) if (v.number !== null) for (const c of changesByNumber.get(v.number) ?? []) named.set(c.id, c);
    for (const b of bugs) for (const c of changesByBug.get(b) ?? []) named.set(c.id, c);
    const backports: AdvisoryBackport[] = [];
    for (const c of [...named.values()].sort((x, y) => x.number - y.number)) {
      if (main.has(c.branch)) {
        if (c.mergedAt !== null)
          fixes.push({
            source: 'change',
            ref: `${c.project}#${c.number}`,
            repo: c.project,
            bug: c.bugs.find((b) => bugs.includes(b)) ?? null,
            subject: c.subject,
            author: c.ownerName,
            landedAt: iso(c.mergedAt),
          });
        continue;
      }
      if (c.status === 'ABANDONED') continue;
      const after = c.mergedAt === null ? null : oneDecimal((c.mergedAt - day) / DAY);
      backports.push({
        branch: c.branch,
        project: c.project,
        number: c.number,
        status: c.status,
        mergedAt: c.mergedAt === null ? null : iso(c.mergedAt),
        daysAfterAdvisory: after,
        late: after !== null && after > options.lateDays,
      });
    }
    fixes.sort((x, y) => (x.landedAt < y.landedAt ? -1 : x.landedAt > y.landedAt ? 1 : x.ref < y.ref ? -1 : 1));
    const first = fixes[0] ? Date.parse(fixes[0].landedAt) : null;
    const fta = first === null ? null : oneDecimal((day - first) / DAY);
    rows.push({
      id: a.id,
      date: a.date,
      year: Number(a.date.slice(0, 4)),
      title: a.title,
      products: r.facts.products,
      cves: r.facts.cves,
      reporters: a.reporters.map((p) => p.name),
      bugs,
      fixes,
      firstFixAt: first === null ? null : iso(first),
      fixToAdvisoryDays: fta,
      early: fta !== null && fta > options.earlyDays,
      backports,
      lateBackports: backports.filter((b) => b.late).length,
    });
  }

  const group = (product: string | null, year: number | null, members: readonly AdvisoryRow[]): AdvisoryGroup => {
    const linked = members.filter((m) => m.fixToAdvisoryDays !== null);
    return {
      product,
      year,
      advisories: members.length,
      cves: new Set(members.flatMap((m) => m.cves)).size,
      reporters: new Set(members.flatMap((m) => m.reporters.map((n) => n.trim().toLowerCase()))).size,
      withBugs: members.filter((m) => m.bugs.length > 0).length,
      linked: linked.length,
      fixToAdvisoryDays: medianWithInterval(linked.map((m) => m.fixToAdvisoryDays!)),
      early: members.filter((m) => m.early).length,
      lateBackports: members.reduce((s, m) => s + m.lateBackports, 0),
      openBackports: members.reduce((s, m) => s + m.backports.filter((b) => b.mergedAt === null).length, 0),
    };
  };
  const years = [...new Set(rows.map((r) => r.year))].sort((a, b) => a - b);
  const products = [...new Set(rows.flatMap((r) => r.products))].filter((p) => wanted.size === 0 || wanted.has(p)).sort();
  return {
    options,
    total: group(null, null, rows),
    byYear: years.map((y) =>
      group(
        null,
        y,
        rows.filter((r) => r.year === y),
      ),
    ),
    byProduct: products.map((p) =>
      group(
        p,
        null,
        rows.filter((r) => r.products.includes(p)),
      ),
    ),
    byProductYear: products.flatMap((p) => {
      const of = rows.filter((r) => r.products.includes(p));
      return [...new Set(of.map((r) => r.year))]
        .sort((a, b) => a - b)
        .map((y) =>
          group(
            p,
            y,
            of.filter((r) => r.year === y),
          ),
        );
    }),
    advisories: rows,
  };
}

/** The median of `values` with its bootstrap percentile interval (see the module's definitions). */
export function medianWithInterval(values: readonly number[]): MedianWithInterval {
  const sorted = [...values].sort((a, b) => a - b);
  const median = quantileSorted(sorted, 0.5);
  if (values.length < MIN_FOR_INTERVAL) return { n: values.length, median, lower: null, upper: null };
  const reps = clusterBootstrap(
    values.map((v, i) => ({ v, i })),
    (x) => x.i,
    (s) =>
      quantileSorted(
        s.map((x) => x.v).sort((a, b) => a - b),
        0.5,
      ),
    { random: seededRandom(SEED) },
  );
  const interval = percentileInterval(reps.values);
  return {
    n: values.length,
    median,
    lower: interval ? oneDecimal(interval.lower) : null,
    upper: interval ? oneDecimal(interval.upper) : null,
  };
}

/**
 * The overview's security line (docs/security.md, "The overview's security line"): public facts
 * only — published advisories — never the embargoed tracker, so the shared, cached overview reads
 * the same for every reader whatever is under embargo.
 */
export interface SecurityOverviewLine {
  /** Advisories published on or before the overview's `now` (UTC day). */
  published: number;
  /** The calendar year of `now` (UTC). */
  year: number;
  /** Of those, published in `year`. */
  thisYear: number;
  /** The latest of those (by day, then id), or null. */
  last: { id: string; date: string } | null;
}

/** Whether an advisory of `date` (YYYY-MM-DD) was published by `now`: on or before `now`'s UTC day. Every report as of `now` uses it. */
export function publishedBy(date: string, now: number): boolean {
  return date <= new Date(now).toISOString().slice(0, 10);
}

/**
 * Counts published advisories (`{ id, date: YYYY-MM-DD }`) as of `now`: those dated after `now`'s
 * UTC day are not yet published and are left out.
 *
 * @example summariseAdvisoriesForOverview([{ id: 'OSSA-2026-001', date: '2026-02-03' }], Date.UTC(2026, 5, 1))
 * // { published: 1, year: 2026, thisYear: 1, last: { id: 'OSSA-2026-001', date: '2026-02-03' } }
 */
export function summariseAdvisoriesForOverview(advisories: ReadonlyArray<{ id: string; date: string }>, now: number): SecurityOverviewLine {
  const year = new Date(now).getUTCFullYear();
  const out = advisories
    .filter((a) => publishedBy(a.date, now))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const last = out.at(-1);
  return {
    published: out.length,
    year,
    thisYear: out.filter((a) => a.date.startsWith(`${year}-`)).length,
    last: last ? { id: last.id, date: last.date } : null,
  };
}
