/**
 * The electorate (`steward electorate --release R`, `/api/v1/electorate`): who may vote, by
 * steward.yaml's rule (`people.electorate`), each person once with the evidence
 * (analysis/electorate.ts; people from people-service.ts).
 */
import { calendarBounds, computeElectorate, summariseSpans, type Contribution } from '../analysis/electorate.js';
import { gerritKey } from '../analysis/identities.js';
import { StewardError } from '../model/errors.js';
import { findRelease } from '../model/release-calendar.js';
import type { ElectorateView } from '../report/electorate-report.js';
import type { Store } from '../store/engine.js';
import { landedRange, loadAuthorSpans, loadLandedCommits } from '../store/queries/code-history.js';
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
  const ordered = [...calendar].sort((x, y) => x.start - y.start);
  const at = ordered.findIndex((x) => x.name === r.name);
  const window = { start: ordered[Math.max(0, at - rule.cycles + 1)]!.start, end: r.release };
  const bounds = calendarBounds(calendar);
  // Commits: the database counts each author's per span of the calendar (for the counts per
  // release) and lists only the qualifying period's (the evidence); changes are read whole.
  const withCommits = rule.evidence !== 'changes';
  const [spans, range, windowCommits, changes, set] = await Promise.all([
    withCommits ? loadAuthorSpans(store.db, bounds) : [],
    withCommits ? landedRange(store.db) : { first: null, last: null, commits: 0 },
    withCommits ? loadLandedCommits(store.db, window.start, window.end) : [],
    rule.evidence === 'commits' ? [] : loadMergedChangeOwners(store.db, params.project),
    loadPeople(store, config, params.cwd),
  ]);
  const changeContributions: Contribution[] = changes.map((c) => ({
    identity: gerritKey(c.host, c.ownerGerritId),
    kind: 'change' as const,
    ref: `${c.host}/${c.project}/${c.number}`,
    at: c.mergedAt,
    where: c.project,
  }));
  const contributions: Contribution[] = [
    ...windowCommits.map((c) => ({ identity: `email:${c.authorKey}`, kind: 'commit' as const, ref: c.sha, at: c.landedAt, where: c.repo })),
    ...changeContributions,
  ];
  const changeSpans = summariseSpans(changeContributions, bounds);
  const times = [range.first, range.last, changeSpans.first, changeSpans.last].filter((t): t is number => t !== null);
  const e = computeElectorate(
    {
      contributions,
      people: set.byIdentity,
      calendar,
      activity: {
        bounds,
        spans: [
          ...spans.map((x) => ({ identity: `email:${x.authorKey}`, kind: 'commit' as const, span: x.span, contributions: x.commits })),
          ...changeSpans.spans,
        ],
        first: times.length ? Math.min(...times) : null,
        last: times.length ? Math.max(...times) : null,
      },
    },
    { release: r.name, rule: { cycles: rule.cycles, evidence: rule.evidence } },
  );
  return {
    kind: 'electorate',
    now: new Date(now).toISOString(),
    calendar: { source },
    sources: {
      contributions: `${range.commits} commits landed in the synced repositories (backports left out) and ${changes.length} merged Gerrit changes${params.project?.length ? ` of ${params.project.join(', ')}` : ''} in the store, as the rule's evidence "${rule.evidence}" takes them`,
      people: set.sources,
    },
    ...e,
  };
}
