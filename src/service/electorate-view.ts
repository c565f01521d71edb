/**
 * The electorate (`steward electorate --release R`, `/api/v1/electorate`): who may vote, by
 * steward.yaml's rule (`people.electorate`), each person once with the evidence
 * (analysis/electorate.ts; people from people-service.ts).
 */
import { computeElectorate, type Contribution } from '../analysis/electorate.js';
import { emailKey, gerritKey } from '../analysis/identities.js';
import { StewardError } from '../model/errors.js';
import { findRelease } from '../model/release-calendar.js';
import type { ElectorateView } from '../report/electorate-report.js';
import type { Store } from '../store/engine.js';
import { loadHistoryCommits } from '../store/queries/code-history.js';
import { loadMergedChangeOwners } from '../store/queries/people.js';
import type { EffectiveConfig } from './effective-config.js';
import { loadPeople } from './people-service.js';
import { releaseCalendar } from './releases.js';

export type { ElectorateView };

export interface ElectorateParams {
  release: string;
  project?: readonly string[];
  /** Where a relative .mailmap resolves when no steward.yaml was read. */
  cwd: string;
}

/** Builds the electorate of a release (see analysis/electorate.ts for the rule). */
export async function buildElectorateView(
  store: Store,
  params: ElectorateParams,
  config: EffectiveConfig,
  now: number,
): Promise<ElectorateView> {
  const { calendar, source } = releaseCalendar(config.config, config.origin);
  const r = findRelease(calendar, params.release);
  if (!r)
    throw new StewardError('USAGE', `--release "${params.release}" is not in the release calendar (${source})`, {
      hint: `Known releases: ${calendar.map((x) => x.name).join(', ')}.`,
    });
  const rule = config.config.people.electorate;
  const [commits, changes, set] = await Promise.all([
    rule.evidence === 'changes' ? [] : loadHistoryCommits(store.db),
    rule.evidence === 'commits' ? [] : loadMergedChangeOwners(store.db, params.project),
    loadPeople(store, config, params.cwd),
  ]);
  const contributions: Contribution[] = [
    ...commits
      .filter((c) => !c.backport)
      .map((c) => ({ identity: emailKey(c.authorEmail), kind: 'commit' as const, ref: c.sha, at: c.landedAt, where: c.repo })),
    ...changes.map((c) => ({
      identity: gerritKey(c.host, c.ownerGerritId),
      kind: 'change' as const,
      ref: `${c.host}/${c.project}/${c.number}`,
      at: c.mergedAt,
      where: c.project,
    })),
  ];
  const e = computeElectorate(
    { contributions, people: set.byIdentity, calendar },
    { release: r.name, rule: { cycles: rule.cycles, evidence: rule.evidence } },
  );
  return {
    kind: 'electorate',
    now: new Date(now).toISOString(),
    calendar: { source },
    sources: {
      contributions: `${commits.filter((c) => !c.backport).length} commits landed in the synced repositories (backports left out) and ${changes.length} merged Gerrit changes${params.project?.length ? ` of ${params.project.join(', ')}` : ''} in the store, as the rule's evidence "${rule.evidence}" takes them`,
      people: set.sources,
    },
    ...e,
  };
}
