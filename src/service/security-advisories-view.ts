/**
 * The published-advisories report (`steward security advisories`, `/api/v1/security/advisories`,
 * the web's advisories page): gathers the stored advisories, the commits of the code history that
 * fix their bugs and the Gerrit changes they name, and computes the report
 * (analysis/advisories.ts).
 */
import { computeAdvisoryReport, DEFAULT_ADVISORY_OPTIONS, launchpadBugs, publishedBy } from '../analysis/advisories.js';
import type { SecurityAdvisoriesView } from '../report/security-advisories-report.js';
import type { Store } from '../store/engine.js';
import { listAdvisoryChanges, listBugFixCommits, loadAdvisories } from '../store/queries/advisories.js';
import { summariseCodeHistory } from '../store/queries/code-history.js';
import type { EffectiveConfig } from './effective-config.js';

export interface SecurityAdvisoriesParams {
  /** Products (lower-case); empty: all. */
  product: readonly string[];
  earlyDays?: number;
  lateDays?: number;
}

export async function buildSecurityAdvisoriesView(
  store: Store,
  params: SecurityAdvisoriesParams,
  _config: EffectiveConfig | null,
  now: number,
): Promise<SecurityAdvisoriesView> {
  // As of `now`: an advisory dated later was not published yet (the overview's security line counts the same).
  const records = (await loadAdvisories(store.db, { products: params.product })).filter((r) => publishedBy(r.advisory.date, now));
  const bugs = records.flatMap(launchpadBugs);
  const numbers = records.flatMap((r) => r.facts.reviews.flatMap((v) => (v.number === null ? [] : [v.number])));
  const [commits, changes, history] = [
    await listBugFixCommits(store.db, bugs),
    await listAdvisoryChanges(store.db, numbers, bugs),
    await summariseCodeHistory(store.db),
  ];
  const result = computeAdvisoryReport(records, commits, changes, {
    ...DEFAULT_ADVISORY_OPTIONS,
    products: params.product.map((p) => p.toLowerCase()),
    earlyDays: params.earlyDays ?? DEFAULT_ADVISORY_OPTIONS.earlyDays,
    lateDays: params.lateDays ?? DEFAULT_ADVISORY_OPTIONS.lateDays,
  });
  return {
    kind: 'security-advisories',
    now: new Date(now).toISOString(),
    sources: { advisories: records.length, codeHistory: history.map((h) => ({ repo: h.repo, branch: h.branch, commits: h.commits })) },
    ...result,
  };
}

export type { SecurityAdvisoriesView };
