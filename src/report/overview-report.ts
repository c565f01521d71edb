import type { SecurityOverviewLine } from '../analysis/advisories.js';
import type { CiHealthSummary } from '../analysis/ci-health.js';
import type { Overview, TeamSummary } from '../analysis/overview.js';
import type { Distribution } from '../analysis/stats.js';
import type { BugsOverview } from '../model/bugs.js';
import { renderCiHealthLines } from './ci-report.js';
import type { QueueSummary } from '../analysis/queue.js';
import { renderQueueLines } from './queue-report.js';
import { flattenRows, toCsv } from './csv.js';
import { who, type AccountLabel } from './reviewers-report.js';

export interface OverviewReport extends Overview {
  projects: string[];
  /** CI job health in short (docs/ci.md "CI health"), with weekly series for charts; null unless asked for (`--full`, `full=true`). */
  ciHealth: CiHealthSummary | null;
  /** The review queue in short (docs/review-flow.md "Review queue"); null unless asked for (`--full`, `full=true`). */
  queue: QueueSummary | null;
  /** The core-team reports in short (docs/reviewers-and-core.md "Reviewers", "Idle cores", "Core candidates", "Core load", "Mentoring"). */
  team: TeamSummary<AccountLabel> | null;
  /** The sections left out (null above) because they are slow on a large store, and the reports that show them; empty with `--full` (`full=true`). */
  skipped: OverviewSkipped[];
  /** Published security advisories in short (docs/security.md "The overview's security line"): public facts only, never the embargoed tracker. */
  security: SecurityOverviewLine;
  /** Launchpad bugs in short, public ones only (docs/bugs.md "Overview"); null when the store has no bugs of the projects. */
  bugs?: BugsOverview | null;
  /** Where the core team and bots came from, so readers know what "core" means here. */
  sources: { config: string | null; coreTeam: string; bots: string };
}

/** A section the overview left out (`steward overview --full` adds it), and the reports that show it. */
export interface OverviewSkipped {
  part: 'ciHealth' | 'team' | 'ci' | 'queue';
  commands: string[];
}

const pct = (x: number | null): string => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);
const num = (x: number | null): string => (x === null ? 'n/a' : String(x));
const dist = (d: Distribution): string =>
  d.count === 0 ? 'none' : `median ${num(d.median)} d, p75 ${num(d.p75)} d, p90 ${num(d.p90)} d, max ${num(d.max)} d`;

export function renderOverviewText(r: OverviewReport): string {
  const day = (s: string) => s.slice(0, 10);
  const lines = [
    `Overview of ${r.projects.length ? r.projects.join(', ') : '(no projects)'}`,
    `Period ${day(r.period.since)} to ${day(r.period.until)} (${r.period.days} days), as of ${r.now.replace('.000Z', 'Z')}`,
    '',
    'Changes',
    `  opened ${r.changes.opened}   merged ${r.changes.merged}   abandoned ${r.changes.abandoned}`,
    '',
    `Open changes: ${r.open.count} (${r.open.workInProgress} work in progress)`,
    `  waiting since created:            ${dist(r.open.waitingDaysSinceCreated)}`,
    `  waiting since latest patch set:   ${dist(r.open.waitingDaysSinceLatestPatchSet)}`,
    `  latest patch set older than 7 d: ${r.open.waitingMoreThan.days7}, 30 d: ${r.open.waitingMoreThan.days30}, 90 d: ${r.open.waitingMoreThan.days90}`,
  ];
  if (r.open.longestWaiting.length) {
    lines.push('  longest waiting:');
    for (const c of r.open.longestWaiting)
      lines.push(`    ${String(c.number).padStart(7)}  ${String(c.days).padStart(6)} d  ${c.subject.slice(0, 70)}`);
  }
  const core = r.reviewers.core;
  lines.push(
    '',
    'Reviewers',
    `  active ${r.reviewers.active}   reviews ${r.reviewers.reviews} (${r.reviewers.commentOnlyReviews} comment-only)   self-votes (not counted) ${r.reviewers.selfVotes}`,
    core.configured === null
      ? `  core team: not configured (${r.sources.coreTeam})`
      : `  core team ${core.configured}: ${core.active} active, ${core.reviews} reviews (${pct(r.reviewers.reviews ? (core.reviews ?? 0) / r.reviewers.reviews : null)} of all)`,
  );
  if (r.ci) {
    lines.push(
      '',
      'CI (job results reported in the period)',
      `  runs ${r.ci.runs}   failures ${r.ci.failures}   failure rate ${pct(r.ci.failureRate)}`,
      `  voting jobs: ${r.ci.voting.runs} runs, ${pct(r.ci.voting.failureRate)} failed   non-voting: ${r.ci.nonVoting.runs} runs, ${pct(r.ci.nonVoting.failureRate)} failed`,
    );
    for (const p of r.ci.byPipeline)
      lines.push(`  ${p.pipeline.padEnd(14)} ${String(p.runs).padStart(7)} runs  ${pct(p.failureRate).padStart(6)} failed`);
  }
  if (r.ciHealth) lines.push(...renderCiHealthLines(r.ciHealth));
  if (r.team) lines.push(...renderTeamLines(r.team));
  if (r.queue) lines.push(...renderQueueLines(r.queue));
  lines.push('', renderSecurityLine(r.security));
  if (r.bugs) lines.push(...renderBugsOverviewLines(r.bugs));
  if (r.skipped.length) {
    const names: Record<OverviewSkipped['part'], string> = {
      ciHealth: 'CI health (per job)',
      team: 'core team',
      ci: 'CI line (runs and failures)',
      queue: 'review queue',
    };
    lines.push(
      '',
      "Left out (each reads every CI run, review or open change's votes of the period: seconds on a large store); all of them with --full:",
    );
    for (const s of r.skipped) lines.push(`  ${names[s.part]}: ${s.commands.join(', ')}`);
  }
  lines.push(
    '',
    `Core team from: ${r.sources.coreTeam}. Bots: ${r.sources.bots}.`,
    'Definitions: docs/review-flow.md, section "Overview". Use --format json for every number.',
  );
  return lines.join('\n') + '\n';
}

/** The overview's security line: published advisories only (docs/security.md). */
export function renderSecurityLine(s: SecurityOverviewLine): string {
  return `Security advisories: ${s.thisYear} published in ${s.year}, ${s.published} in all; last ${s.last ? `${s.last.id} on ${s.last.date}` : 'none'}`;
}

/** The overview's core-team section: one line per report (steward reviewers, core idle/candidates/load/mentoring). */
export function renderTeamLines(t: TeamSummary<AccountLabel>): string[] {
  const share = (x: number | null): string => (x === null ? 'n/a' : `${Math.round(x * 100)}%`);
  const lines = [
    '',
    'Core team (steward reviewers, steward core …)',
    `  reviews ${t.reviewers.reviews} by ${t.reviewers.activeReviewers} reviewers, ${share(t.reviewers.coreShare)} by cores (${t.reviewers.coreReviewsPerCorePerDay ?? 'n/a'} per core per day); most: ${t.reviewers.top.map((x) => `${who(x)} ${x.reviews}`).join(', ') || 'none'}`,
  ];
  if (t.idle)
    lines.push(
      `  idle cores (< ${t.idle.threshold} reviews in ${t.idle.days} d): ${t.idle.count ? t.idle.cores.map((c) => `${who(c)} (${c.reviews}, last ${c.lastReviewAt?.slice(0, 10) ?? 'never'})`).join(', ') : 'none'}`,
    );
  if (t.candidates)
    lines.push(
      `  top candidates (${t.candidates.days} d): ${t.candidates.top.map((c) => `${c.rank}. ${who(c)} (score ${c.score.toFixed(2)}, rank range ${c.rankRange.best}–${c.rankRange.worst}, ${c.reviews} reviews, κ ${c.kappa === null ? 'n/a' : c.kappa.toFixed(2)})`).join(', ') || 'none'}`,
    );
  if (t.load)
    lines.push(
      `  load: ${t.load.patchSetsNeedingReview} patch sets needing review, ${t.load.coreReviews} core reviews (${t.load.coreReviewsPerPatchSet ?? 'n/a'} per patch set); busiest 20% of cores do ${share(t.load.busiestShare)} of reviews; ${t.load.patchSetsPerCorePerMonth ?? 'n/a'} patch sets per core per month`,
    );
  if (!t.idle) lines.push('  no core team configured: idle cores, candidates and load need projects[].core in steward.yaml');
  lines.push(
    `  mentoring: ${t.mentoring.active} running${t.mentoring.mentorships.length ? ` — ${t.mentoring.mentorships.map((m) => `${who(m.candidate)} by ${who(m.mentor)}: ${m.reviewsPerWeekBefore} → ${m.reviewsPerWeekDuring} reviews/week`).join('; ')}` : ''}`,
  );
  return lines;
}

export function renderOverviewCsv(r: OverviewReport): string {
  // The weekly CI series are for charts (JSON); the CSV keeps one value per metric.
  if (!r.ciHealth) return toCsv(['metric', 'value'], flattenRows(r));
  const { weekly: _weekly, ...ciHealth } = r.ciHealth;
  return toCsv(['metric', 'value'], flattenRows({ ...r, ciHealth }));
}

/** The overview's bugs line (docs/bugs.md "Overview"). */
export function renderBugsOverviewLines(b: BugsOverview): string[] {
  return [
    '',
    `Bugs (Launchpad ${b.projects.join(', ') || 'all projects'}, public bugs only; steward bugs backlog)`,
    `  open ${b.open}   untriaged (New) ${b.untriaged}   In Progress with no open change ${b.inProgressNoOpenChange}`,
  ];
}
