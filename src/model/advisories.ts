/**
 * Published security advisories, as a project's vulnerability management team writes them (the
 * OpenStack VMT's OSSA YAML files: docs/security-advisories.md "Format"), and the facts Steward
 * derives from them (products, bugs, reviews). `Advisory` holds exactly what the file says, so an
 * advisory written back out (sources/advisories/advisory-yaml.ts) reads back equal.
 */

/** One `affected-products` entry: the product as written (`nova`, `Nova`, `Cinder, Glance, Nova`) and its versions as text. */
export interface AdvisoryProduct {
  product: string;
  version: string | null;
}

/** An `impact-assessment` of a vulnerability (older advisories): who rated it, the rating and the score. */
export interface AdvisoryImpact {
  source: string | null;
  rating: string | null;
  assessment: { type: string | null; score: number | null; detail: string | null } | null;
}

/** A `classification` of a vulnerability (older advisories): e.g. a CWE. */
export interface AdvisoryClassification {
  source: string | null;
  type: string | null;
  detail: string | null;
}

/** One `vulnerabilities` entry. `cveId` is as written ("CVE-2016-0737 (client to proxy)", "CVE-2026-pending"). */
export interface AdvisoryVulnerability {
  cveId: string;
  note: string | null;
  impactAssessment: AdvisoryImpact | null;
  classification: AdvisoryClassification | null;
}

/** One `reporters` entry; `reported` lists the CVEs they reported (null when the entry has none). */
export interface AdvisoryReporter {
  name: string;
  affiliation: string | null;
  reported: string[] | null;
}

/** The `reviews` of one branch key ("essex", "2024.1/caracal", "2023.1/antelope(nova)"), links as written. */
export interface AdvisoryReviewGroup {
  branch: string;
  links: string[];
}

/** One advisory file's content. `date` is the publication day, `YYYY-MM-DD`. */
export interface Advisory {
  id: string;
  date: string;
  title: string;
  description: string;
  reference: string | null;
  products: AdvisoryProduct[];
  vulnerabilities: AdvisoryVulnerability[];
  reporters: AdvisoryReporter[];
  /** `issues.links` as written, and `issues.type` (e.g. `launchpad`). */
  issues: { links: string[]; type: string | null };
  reviews: AdvisoryReviewGroup[];
  /** `reviews.type` (e.g. `gerrit`), null when absent. */
  reviewsType: string | null;
  notes: string[] | null;
  errata: string | null;
  errataHistory: string[] | null;
  /** A top-level `type` key (one real file has it), kept so the file round-trips. */
  type: string | null;
}

/** A bug an advisory links: the tracker and the bug's number (Launchpad, StoryBoard) or null for other trackers. */
export interface AdvisoryBug {
  tracker: 'launchpad' | 'storyboard' | 'other';
  /** The bug or story number as digits, null for links Steward cannot number. */
  bug: string | null;
  url: string;
  /** Text after the URL ("(client to proxy)"), or null. */
  note: string | null;
}

/** A review an advisory lists for a branch: the Gerrit host and change number read from the URL. */
export interface AdvisoryReview {
  /** The branch key as written. */
  branch: string;
  /** The branch key without the product in parentheses and remarks ("2023.1/antelope(nova)" → "2023.1/antelope"). */
  series: string;
  /** The Gerrit host name (`review.opendev.org`), null when the link is not a Gerrit change URL. */
  host: string | null;
  number: number | null;
  url: string;
  /** Text around the URL ("(keystonemiddleware)", "- errata"), or null. */
  note: string | null;
}

/** What Steward derives from an advisory to count and link it. */
export interface AdvisoryFacts {
  /** Product names, lower-cased, one per product ("Cinder, Glance, Nova" gives three). */
  products: string[];
  /** CVE ids (`CVE-YYYY-N`) found in the `cve-id` fields; entries without one ("CVE-2026-pending") give none. */
  cves: string[];
  bugs: AdvisoryBug[];
  reviews: AdvisoryReview[];
}

/** An advisory with its facts and where it was read from. */
export interface AdvisoryRecord {
  advisory: Advisory;
  facts: AdvisoryFacts;
  /** The file it came from (as given to the import), or null. */
  source: string | null;
}

/** A commit of the code history that names an advisory's bug as fixed (Closes-Bug, Partial-Bug and older forms). Times are epoch ms. */
export interface BugFixCommit {
  bug: string;
  kind: 'closes-bug' | 'partial-bug';
  repo: string;
  sha: string;
  subject: string;
  authorName: string;
  authorEmail: string;
  authoredAt: number;
  changeId: string | null;
  /** When it landed on the synced (main) branch. */
  landedAt: number;
}

/** A Gerrit change in the store that an advisory names: by a review link, or by fixing one of its bugs. Times are epoch ms. */
export interface AdvisoryChange {
  id: number;
  host: string;
  project: string;
  branch: string;
  number: number;
  subject: string;
  status: string;
  ownerId: number;
  ownerName: string | null;
  created: number;
  mergedAt: number | null;
  /** The fixed bugs it names (closes/partial), as digits. */
  bugs: string[];
}

/**
 * A security bug from the bug tracker (Launchpad bugs tagged `security`, or of a security
 * information type), for the candidates report: its number and when it became public (null: it
 * always was). Advisories' bugs need none: they are public from the advisory's day.
 */
export interface SecurityBug {
  bug: string;
  disclosedAt: number | null;
}

/** A Code-Review vote on a change (not a copy, not by the change's owner). Times are epoch ms. */
export interface WorkReview {
  accountId: number;
  value: number;
  at: number;
}

/** A Gerrit change with what the security candidates report weighs: its files, fixed bugs and reviews. Times are epoch ms. */
export interface SecurityWorkChange {
  id: number;
  project: string;
  branch: string;
  number: number;
  subject: string;
  status: string;
  ownerId: number;
  created: number;
  mergedAt: number | null;
  files: string[];
  /** Bugs it names as fixed (closes/partial), as digits. */
  bugs: string[];
  reviews: WorkReview[];
}
