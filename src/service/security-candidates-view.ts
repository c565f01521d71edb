/**
 * Security team candidates (`steward security candidates`, `/api/v1/security/candidates`): people
 * doing public security work, ranked with their evidence (analysis/security-candidates.ts), from
 * the stored advisories, the Gerrit changes linked to them and the changes of the same projects.
 */
import { computeSecurityCandidates, DEFAULT_SECURITY_WEIGHTS } from '../analysis/security-candidates.js';
import { launchpadBugs, publishedBy } from '../analysis/advisories.js';
import type { SecurityBug } from '../model/advisories.js';
import type { SecurityCandidatesView } from '../report/security-advisories-report.js';
import type { Store } from '../store/engine.js';
import { listAdvisoryChanges, loadAdvisories, loadSecurityWorkChanges } from '../store/queries/advisories.js';
import { accountMatches, type EffectiveConfig } from './effective-config.js';
import type { Window } from './params.js';
import { labelOf, teamContextFor } from './team-context.js';

export interface SecurityCandidatesParams {
  project: readonly string[];
  window: Window;
  areaDepth?: number;
  /** People left out (Gerrit username, or account id as digits): the security team. */
  exclude: readonly string[];
  /** Security bugs from the bug tracker; absent until the Launchpad sync provides them. */
  securityBugs?: readonly SecurityBug[];
}

export async function buildSecurityCandidatesView(
  store: Store,
  params: SecurityCandidatesParams,
  config: EffectiveConfig,
  now: number,
): Promise<SecurityCandidatesView> {
  const ctx = await teamContextFor(store, config.config, config.origin, params.project);
  // As of now, as the advisories report and the overview count them: one published later is not evidence yet.
  const advisories = (await loadAdvisories(store.db)).filter((r) => publishedBy(r.advisory.date, now));
  const securityBugs = params.securityBugs ?? [];
  const bugs = [...advisories.flatMap(launchpadBugs), ...securityBugs.map((b) => b.bug)];
  const numbers = advisories.flatMap((r) => r.facts.reviews.flatMap((v) => (v.number === null ? [] : [v.number])));
  const linked = (await listAdvisoryChanges(store.db, numbers, bugs)).filter(
    (c) => !params.project.length || params.project.includes(c.project),
  );
  const projects = params.project.length ? [...params.project] : [...new Set(linked.map((c) => c.project))].sort();
  const changes = await loadSecurityWorkChanges(store.db, {
    ids: linked.map((c) => c.id),
    projects,
    since: params.window.since,
    until: params.window.until,
  });
  const exclude = new Set(
    ctx.accounts.filter((a) => params.exclude.some((s) => accountMatches(a, /^\d+$/.test(s) ? Number(s) : s))).map((a) => a.id),
  );
  const result = computeSecurityCandidates(
    { advisories, securityBugs, changes, isBot: (id) => ctx.bots.has(id), exclude },
    {
      since: params.window.since,
      until: params.window.until,
      areaDepth: params.areaDepth ?? 2,
      weights: DEFAULT_SECURITY_WEIGHTS,
      evidenceLimit: 10,
    },
  );
  return {
    kind: 'security-candidates',
    now: new Date(now).toISOString(),
    projects,
    ...result,
    candidates: result.candidates.map(({ accountId, ...c }) => ({ ...labelOf(ctx, accountId), ...c })),
    sources: {
      advisories: advisories.length,
      securityBugs: params.securityBugs
        ? `${securityBugs.length} from the bug tracker`
        : 'none yet: bugs tagged security come with the Launchpad sync; advisories only',
      bots: ctx.sources.bots,
      excluded: exclude.size,
    },
  };
}

export type { SecurityCandidatesView };
