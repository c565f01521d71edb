/**
 * The specs report (`steward specs report`, the web's specs page): why approved specs don't land,
 * per release (analysis/specs-report.ts), from the specs `steward specs sync` stored, the Gerrit
 * changes linked to their blueprints and the code history.
 */
import { computeCodeHistory, gitBotRule } from '../analysis/code-history.js';
import { computeSpecsReport, specNamesOf, type LinkedCommit, type RelatedChange } from '../analysis/specs-report.js';
import { StewardError } from '../model/errors.js';
import type { FlowChange } from '../model/flow.js';
import { findRelease, type ReleaseDates } from '../model/release-calendar.js';
import type { SpecsReportView } from '../report/specs-report.js';
import type { Store } from '../store/engine.js';
import { attachDetails, loadFlowChanges } from '../store/queries/flow.js';
import { loadHistoryColumns, summariseCodeHistory } from '../store/queries/code-history.js';
import { loadSpecs, loadSpecsSync, windowsWithChanges } from '../store/queries/specs.js';
import type { EffectiveConfig } from './effective-config.js';
import { findBlueprintCode } from './blueprint-code-view.js';
import { flowSetup } from './flow-setup.js';
import { releaseCalendar } from './releases.js';

export interface SpecsReportParams {
  /** One release (directory name or calendar alias); null or absent for the table over all releases. */
  release?: string | null;
  /** Gerrit projects whose changes count (default: every project in the store). */
  project?: readonly string[];
}

/** The specs report as `--format json` prints it. */
export async function buildSpecsReportView(
  store: Store,
  params: SpecsReportParams,
  config: EffectiveConfig,
  now: number,
): Promise<SpecsReportView> {
  const sync = await loadSpecsSync(store.db);
  if (!sync)
    throw new StewardError('NOT_FOUND', 'no specs in the store', {
      hint: 'Run `steward specs sync --repo PATH` (a clone of the specs repository) first.',
    });
  const { calendar, source } = releaseCalendar(config.config, config.origin);
  const release = params.release ?? null;
  const wanted = release === null ? null : findRelease(calendar, release);
  if (release !== null && !wanted) {
    throw new StewardError('USAGE', `--release "${release}" is not in the release calendar (${source})`, {
      hint: `Known releases: ${calendar.map((r) => r.name).join(', ')}.`,
    });
  }
  const specs = await loadSpecs(store.db);
  const setup = await flowSetup(store, params.project, config);

  // Review data: the Gerrit changes linked to the blueprints of the releases reported on.
  const relevant = specs.filter((s) => s.release !== null && (wanted === null || findRelease(calendar, s.release) === wanted));
  const blueprints = [...new Set(relevant.flatMap(specNamesOf(specs)))];
  // A spec's code: every Gerrit change and every commit naming one of its names in any form (the
  // code-history queries; one rule for both sources); a Related-Blueprint trailer is related work.
  const [{ changes: linkedChanges, commits: linkedCommits }, histories] = await Promise.all([
    findBlueprintCode(store, blueprints, { projects: setup.projects }),
    summariseCodeHistory(store.db),
  ]);
  const relatedChangesByBlueprint = new Map<string, RelatedChange[]>();
  for (const l of linkedChanges) {
    if (l.kind !== 'related') continue;
    const list = relatedChangesByBlueprint.get(l.blueprint) ?? [];
    list.push({ number: l.number, project: l.project, subject: l.subject, status: l.status, created: l.created });
    relatedChangesByBlueprint.set(l.blueprint, list);
  }
  const allIds = [...new Set(linkedChanges.filter((c) => c.kind !== 'related').map((c) => c.id))];
  const changes = allIds.length
    ? await loadFlowChanges(store.db, store.engine, {
        scope: { kind: 'ids', ids: allIds },
        projects: setup.projects,
        messages: 'flow',
        asOf: now,
      })
    : [];
  if (changes.length) await attachDetails(store.db, store.engine, changes, { commitMessage: false });
  const byId = new Map(changes.map((c) => [c.id, c]));
  const changesByBlueprint = new Map<string, FlowChange[]>();
  for (const l of linkedChanges) {
    if (l.kind === 'related') continue;
    const c = byId.get(l.id);
    if (!c) continue;
    const list = changesByBlueprint.get(l.blueprint);
    if (!list) changesByBlueprint.set(l.blueprint, [c]);
    else if (!list.includes(c)) list.push(c);
  }
  const commitsByBlueprint = new Map<string, LinkedCommit[]>();
  const relatedCommitsByBlueprint = new Map<string, LinkedCommit[]>();
  for (const c of linkedCommits) {
    const into = c.kind === 'related' ? relatedCommitsByBlueprint : commitsByBlueprint;
    const list = into.get(c.blueprint);
    const commit = { hash: c.sha, subject: c.subject, landedAt: c.landedAt };
    if (!list) into.set(c.blueprint, [commit]);
    else if (!list.some((x) => x.hash === c.sha)) list.push(commit);
  }

  const covered = await windowsWithChanges(
    store.db,
    calendar.map((r) => [r.start, r.featureFreeze] as const),
    setup.projects,
  );
  const reviewCover = new Map<ReleaseDates, boolean>(calendar.map((r, i) => [r, covered[i]!]));
  // The code history covers a release when a synced repository's landings span part of it.
  const commitCovers = (r: ReleaseDates) =>
    histories.some((h) => h.firstLandedAt !== null && h.lastLandedAt !== null && h.firstLandedAt < r.release && h.lastLandedAt >= r.start);

  // The code history per release window, for the releases without review data ("is it review
  // bandwidth?" from git alone): only when a repository is synced and some release lacks review data.
  const historyWindows =
    histories.length && calendar.some((r) => !(reviewCover.get(r) ?? false) && commitCovers(r))
      ? computeCodeHistory(
          { commits: await loadHistoryColumns(store.db, store.engine), calendar, isBot: gitBotRule(config.config.bots) },
          { now },
        ).releases
      : [];

  const report = computeSpecsReport(
    {
      specs,
      calendar,
      changesByBlueprint,
      commitsByBlueprint,
      relatedCommitsByBlueprint,
      relatedChangesByBlueprint,
      ctx: setup.ctx,
      coreAt: setup.coreAt,
      reviewDataCovers: (r) => reviewCover.get(r) ?? false,
      commitDataCovers: commitCovers,
      hostUrls: setup.hostUrls,
      codeHistory: historyWindows,
    },
    { release: wanted ? wanted.name : null, now },
  );
  const iso = (t: number) => new Date(t).toISOString();
  // What the answer rests on, for the releases reported: said as it is, data absent included.
  const names = (rs: readonly { release: string }[]) => rs.map((r) => r.release).join(', ');
  const reported = report.releases;
  const withReviews = reported.filter((r) => r.reviewData);
  const withCommits = reported.filter((r) => r.commitData);
  const which = (some: readonly { release: string }[]) =>
    reported.length === 1
      ? `for ${reported[0]!.release}`
      : some.length === reported.length
        ? 'for every release reported'
        : `for ${some.length} of the ${reported.length} releases reported (${names(some)})`;
  const projects = setup.projects.length ? ` of ${setup.projects.join(', ')}` : '';
  const span = (h: (typeof histories)[number]) =>
    `${h.repo} (${h.branch} at ${h.tip.slice(0, 12)}, landings ${h.firstLandedAt ? iso(h.firstLandedAt).slice(0, 10) : '-'} to ${h.lastLandedAt ? iso(h.lastLandedAt).slice(0, 10) : '-'})`;
  const reviewData = withReviews.length
    ? `Gerrit changes in the store${projects} naming a spec (Implements:, Partially-Implements:, a bp/NAME topic, or a mention; Related-Blueprint: as related work), ${which(withReviews)}`
    : `none: the store holds no Gerrit changes${projects} created between a reported release's start and its feature freeze; reasons only review data can tell apart are "undetermined"`;
  const codeHistory = !histories.length
    ? 'none: no repository synced (`steward git sync --repo PATH` gives linked commits)'
    : withCommits.length
      ? `commits naming a spec in ${histories.map(span).join(', ')}, synced by steward git sync, ${which(withCommits)}`
      : `none for the releases reported: the synced history (${histories.map(span).join(', ')}) does not reach them`;
  const byReviews = reported.filter((r) => r.bandwidth !== null);
  const byGit = reported.filter((r) => r.gitBandwidth !== null);
  const bandwidth = [
    byReviews.length
      ? `review data: the time the changes of landed and non-landed specs waited on reviewers and on authors, ${which(byReviews)}`
      : null,
    byGit.length
      ? `git alone (the code history per release window, as steward history gives it): throughput and author-to-landing times against the neighbouring releases, ${which(byGit)}; what the changes waited on needs review data`
      : null,
  ]
    .filter((x) => x !== null)
    .join('; ');
  return {
    kind: 'specs-report',
    release: wanted ? wanted.name : null,
    now: iso(now),
    repo: {
      path: sync.repo,
      head: sync.head,
      headAt: iso(sync.headAt),
      syncedAt: iso(sync.syncedAt),
      commits: sync.commits,
      warnings: sync.warnings,
    },
    calendar: { source, releases: calendar.length },
    sources: {
      present: { specs: true, codeHistory: withCommits.length > 0, reviewData: withReviews.length > 0 },
      specs: `the specs repository ${sync.repo} at ${sync.head.slice(0, 12)} (${iso(sync.headAt).slice(0, 10)}), synced ${iso(sync.syncedAt)}: ${specs.length} specs`,
      reviewData,
      codeHistory,
      coreTeam: withReviews.length ? setup.sources.coreTeam : `not used (no review data): ${setup.sources.coreTeam}`,
      gatingCi: withReviews.length ? setup.sources.gatingCi : `not used (no review data): ${setup.sources.gatingCi}`,
      bandwidth: bandwidth || 'none: neither review data nor a synced code history reaches the releases reported',
    },
    ...report,
  };
}
