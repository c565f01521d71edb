/**
 * A disclosed tracker item as a published advisory (docs/security.md, "Export at disclosure"): the
 * same record the advisory import reads (model/advisories.ts), so the YAML written from it
 * (sources/advisories/advisory-yaml.ts advisoryToYaml) reads back unchanged. Pure: the item, its
 * disclosure step, its reporters and the branches of its public changes come in.
 */
import type { Advisory, AdvisoryReviewGroup } from '../model/advisories.js';
import { StewardError } from '../model/errors.js';
import type { SecurityItem } from '../model/security.js';
import { severityOf } from './cvss.js';

/** An advisory id as the VMT writes them (OSSA-2026-001), anywhere in the text recorded at disclosure. */
const ADVISORY_ID = /\b([A-Z][A-Z0-9]*-\d{4}-\d{3,})\b/;
/** A Gerrit change number at the end of a change URL: …/c/PROJECT/+/N, …/#/c/N, …/N (a trailing slash allowed). */
const CHANGE_NUMBER = /(?:\/\+\/|#\/c\/|\/)(\d+)\/?$/;
/** The key public changes of no known branch are listed under. */
export const UNSORTED_BRANCH = 'unsorted';

export interface ItemAdvisoryInput {
  /** The item, texts opened. */
  item: SecurityItem;
  /** When the item was disclosed (its `disclosed` step), epoch ms. */
  disclosedAt: number;
  /** The names of the item's reporters (reporter grants, revoked ones too), in grant order. */
  reporters: readonly string[];
  /** The branch of each public change Steward holds, by change number. */
  changeBranches: ReadonlyMap<number, string>;
}

/** The change number a public change URL ends in, or null. */
export function changeNumberOf(url: string): number | null {
  const m = CHANGE_NUMBER.exec(url.trim());
  return m ? Number(m[1]) : null;
}

/** `stable/2024.1` → `2024.1` (the VMT's review keys name the series); other branches as they are. */
function reviewKey(branch: string): string {
  return branch.replace(/^stable\//, '');
}

/**
 * The advisory a disclosed item publishes:
 * - `id`: the advisory id in the text recorded at disclosure (`--advisory OSSA-2026-001`, or a URL
 *   ending in it); `date`: the day (UTC) of the `disclosed` step.
 * - `title`, `description`: the item's; `affected-products`: the project's last path segment
 *   (`openstack/nova` → `nova`) with the affected releases, comma-separated.
 * - `vulnerabilities`: the CVE with the CVSS v3.1 assessment (rating, base score, vector).
 * - `reporters`: the reporter grantees, each credited with the CVE.
 * - `issues`: the Launchpad bug the report came from (intake), if any.
 * - `reviews`: the public changes per branch (the branch of the change in the store, `stable/`
 *   dropped; else the item's only affected branch; else `unsorted`), type `gerrit`.
 * Throws SECURITY_TRANSITION when the disclosure names no advisory id.
 *
 * @example advisoryOfItem({ item, disclosedAt, reporters: ['ada'], changeBranches: new Map([[9001, 'master']]) }).reviews
 * // [{ branch: 'master', links: ['https://review.example.org/c/nova/+/9001'] }]
 */
export function advisoryOfItem(i: ItemAdvisoryInput): Advisory {
  const t = i.item.text;
  const id = ADVISORY_ID.exec(t.advisory ?? '')?.[1];
  if (!id)
    throw new StewardError(
      'SECURITY_TRANSITION',
      `the advisory recorded at disclosure ("${(t.advisory ?? '').slice(0, 80)}") holds no advisory id like OSSA-2026-001`,
      { hint: 'An exported advisory needs its id: record the disclosure with --advisory OSSA-YYYY-NNN (or a URL ending in it).' },
    );
  const cve = t.cve;
  const vulnerabilities: Advisory['vulnerabilities'] = cve
    ? [
        {
          cveId: cve,
          note: null,
          impactAssessment:
            i.item.cvssScore === null || i.item.cvssVector === null
              ? null
              : {
                  source: null,
                  rating: severityOf(i.item.cvssScore),
                  assessment: { type: 'CVSS v3.1', score: i.item.cvssScore, detail: i.item.cvssVector },
                },
          classification: null,
        },
      ]
    : [];
  const groups = new Map<string, string[]>();
  for (const url of t.publicChanges) {
    const n = changeNumberOf(url);
    const known = n === null ? undefined : i.changeBranches.get(n);
    const key = reviewKey(known ?? (t.branches.length === 1 ? t.branches[0]! : UNSORTED_BRANCH));
    groups.set(key, [...(groups.get(key) ?? []), url]);
  }
  const reviews: AdvisoryReviewGroup[] = [...groups].map(([branch, links]) => ({ branch, links }));
  const product =
    t.project
      .split('/')
      .filter((p) => p !== '')
      .pop() ?? t.project;
  return {
    id,
    date: new Date(i.disclosedAt).toISOString().slice(0, 10),
    title: t.title,
    description: t.description,
    reference: null,
    products: [{ product, version: t.releases.length ? t.releases.join(', ') : null }],
    vulnerabilities,
    reporters: [...new Set(i.reporters)].map((name) => ({ name, affiliation: null, reported: cve ? [cve] : null })),
    issues: t.launchpadBug ? { links: [`https://launchpad.net/bugs/${t.launchpadBug}`], type: 'launchpad' } : { links: [], type: null },
    reviews,
    reviewsType: reviews.length ? 'gerrit' : null,
    notes: null,
    errata: null,
    errataHistory: null,
    type: null,
  };
}
