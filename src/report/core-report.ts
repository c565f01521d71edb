/**
 * Rendering of the core-team reports — `steward core idle`, `core candidates`, `core load`,
 * `core mentoring`, `core mentor list` — as text and CSV; JSON is the report object itself.
 * People appear by username, name and Gerrit account id (store ids never leave the store).
 */
import type { CoreActivity, IdleResult } from '../analysis/core-idle.js';
import type { LoadResult } from '../analysis/core-load.js';
import type { CandidatesResult, JudgementCandidate } from '../analysis/judgement-candidates.js';
import type { MentoringResult, MentoringTrajectory } from '../analysis/mentoring.js';
import { toCsv } from './csv.js';
import { who, type AccountLabel, type ReportSources } from './reviewers-report.js';

/** A row with its store account id replaced by how reports name the person. */
export type Labeled<T extends { accountId: number }> = AccountLabel & Omit<T, 'accountId'>;

interface Common {
  projects: string[];
  sources: ReportSources;
}

export interface IdleReport extends Common, Omit<IdleResult, 'idle' | 'tooNewToJudge' | 'cores'> {
  idle: Array<Labeled<CoreActivity>>;
  tooNewToJudge: Array<Labeled<CoreActivity>>;
  cores: Array<Labeled<CoreActivity>>;
}

export interface CandidatesReport extends Common, Omit<CandidatesResult, 'candidates'> {
  candidates: Array<Labeled<JudgementCandidate>>;
}

export interface LoadReport extends Common, Omit<LoadResult, 'total'> {
  total: Omit<LoadResult['total'], 'perCore'> & { perCore: Array<Labeled<LoadResult['total']['perCore'][number]>> };
}

export type MentoringRow = Omit<MentoringTrajectory, 'candidateId' | 'mentorId'> & { candidate: AccountLabel; mentor: AccountLabel };

export interface MentoringReport extends Common, Omit<MentoringResult, 'mentorships'> {
  mentorships: MentoringRow[];
}

export interface MentorListReport {
  report: 'core mentor list';
  mentorships: Array<{
    id: number;
    candidate: AccountLabel;
    mentor: AccountLabel;
    startedAt: string;
    endedAt: string | null;
    note: string | null;
    endNote: string | null;
  }>;
}

const day = (s: string | null): string => (s ? s.slice(0, 10) : '-');
const pct = (x: number | null): string => (x === null ? '-' : `${Math.round(x * 100)}%`);

// ---- idle ------------------------------------------------------------------------------------

export function renderIdleText(r: IdleReport): string {
  const rule = `fewer than ${r.rule.threshold} ${r.rule.counts === 'reviews' ? 'reviews' : 'reviews with a Code-Review vote'} in the last ${r.rule.days} days`;
  const lines = [
    `Idle core reviewers of ${r.projects.join(', ') || '(no projects)'}: ${rule}`,
    `As of ${r.now.replace('.000Z', 'Z')} (window ${day(r.period.since)} to ${day(r.period.until)}); history from ${day(r.historyFrom)}`,
    '',
  ];
  const row = (c: Labeled<CoreActivity>): string =>
    c.lastReviewAt === null && c.count === 0
      ? `  ${who(c).padEnd(20)} ${String(c.count).padStart(5)}  no review in the whole history since ${day(r.historyFrom)}${r.sources.unmatched?.some((u) => u.as === 'core' && String(u.name) === (c.username ?? String(c.gerritAccountId))) ? ' (configured, but no account of that name in the store)' : ''}`
      : `  ${who(c).padEnd(20)} ${String(c.count).padStart(5)}  last review ${day(c.lastReviewAt)}${c.lastReviewChange ? ` (change ${c.lastReviewChange})` : ''}  below since ${c.neverReached ? `before ${day(r.historyFrom)}` : day(c.belowSince)}  quarters ${c.quarters.map((q) => q.reviews).join(' → ')} (${c.trend})`;
  if (r.idle.length === 0) lines.push('No idle core reviewers.');
  else {
    lines.push(`${r.idle.length} idle:`);
    for (const c of r.idle) lines.push(row(c));
  }
  if (r.tooNewToJudge.length) {
    lines.push('', 'Below the threshold but core only since inside the window (too new to judge):');
    for (const c of r.tooNewToJudge) lines.push(`${row(c)}  core since ${day(c.coreSince)}`);
  }
  lines.push('', `All ${r.cores.length} cores (reviews in the window): ${r.cores.map((c) => `${who(c)} ${c.count}`).join(', ')}`);
  lines.push('', `Core team from: ${r.sources.coreTeam}. Definitions: docs/reviewers-and-core.md, section "Idle cores".`);
  return lines.join('\n') + '\n';
}

export function renderIdleCsv(r: IdleReport): string {
  return toCsv(
    [
      'username',
      'name',
      'gerrit_account_id',
      'reviews',
      'idle',
      'too_new_to_judge',
      'last_review_at',
      'last_review_change',
      'below_since',
      'never_reached',
      'q1',
      'q2',
      'q3',
      'q4',
      'trend',
      'core_since',
    ],
    r.cores.map((c) => [
      c.username,
      c.name,
      c.gerritAccountId,
      c.count,
      c.idle,
      r.tooNewToJudge.some((t) => t.username === c.username && t.gerritAccountId === c.gerritAccountId),
      c.lastReviewAt,
      c.lastReviewChange,
      c.belowSince,
      c.neverReached,
      ...c.quarters.map((q) => q.reviews),
      c.trend,
      c.coreSince,
    ]),
  );
}

// ---- candidates ------------------------------------------------------------------------------

export function renderCandidatesText(r: CandidatesReport, limit = 15): string {
  const k = (x: number | null): string => (x === null ? 'n/a' : x.toFixed(2));
  const lines = [
    `Core candidates of ${r.projects.join(', ') || '(no projects)'}: non-core reviewers with at least ${r.minReviews} reviews`,
    `Period ${day(r.period.since)} to ${day(r.period.until)} (${r.period.days} days), as of ${r.now.replace('.000Z', 'Z')}`,
    'Score = quality × activity. Only votes cast before any core voted on the patch set count ("indep."); later ones are shown ("after core"), not scored.',
    "Quality: agreement with the cores' verdicts beyond chance (Cohen's κ, on the votes counted), −1s confirmed (a core also voted negative, or a reasoned −1 led to a revision),",
    'reasons (substantive text or inline comments; "LGTM", "nit" are not). Activity: independent reviews, active weeks, areas. Rank range: 95% over a bootstrap by change.',
    '',
    `${'#'.padStart(3)} ${'range'.padStart(7)} ${'reviewer'.padEnd(18)} ${'score'.padStart(5)}  ${'reviews'.padStart(7)} ${'indep.'.padStart(6)} ${'after core'.padStart(10)}  ${'κ [95% CI] (agreed/votes)'.padEnd(28)}  ${'-1 conf./settled'.padStart(16)}  ${'reasons'.padStart(9)}  ${'weeks'.padStart(6)}  ${'areas'.padStart(5)}`,
  ];
  for (const c of r.candidates.slice(0, limit)) {
    const settled = c.minusOnes.total - c.minusOnes.pending;
    const kappa = `${k(c.kappa.value)} [${k(c.kappa.lower)}, ${k(c.kappa.upper)}] (${c.kappa.agreed}/${c.kappa.votes})`;
    lines.push(
      `${String(c.rank).padStart(3)} ${`${c.rankRange.best}–${c.rankRange.worst}`.padStart(7)} ${who(c).slice(0, 18).padEnd(18)} ${c.score.toFixed(2).padStart(5)}  ${String(c.reviews).padStart(7)} ${String(c.independent).padStart(6)} ${String(c.afterCore).padStart(10)}  ${kappa.padEnd(28)}  ${`${c.minusOnes.confirmedByCore + c.minusOnes.confirmedByRevision}/${settled}`.padStart(16)}  ${`${c.substantive}/${c.independent}`.padStart(9)}  ${`${c.activeWeeks}/${c.weeks}`.padStart(6)}  ${String(c.areas.length).padStart(5)}`,
    );
  }
  if (r.candidates.length > limit) lines.push(`… and ${r.candidates.length - limit} more (--limit N, or --format json for all)`);
  if (r.candidates.length === 0) lines.push('No non-core reviewer reaches the minimum.');
  lines.push(
    '',
    `${r.belowMinimum} more non-core reviewers reviewed less than ${r.minReviews} times.`,
    `Overlapping rank ranges mean the order between those candidates is not established (${r.replicates} resamples).`,
    `Core team from: ${r.sources.coreTeam}. Ranking rule and definitions: docs/reviewers-and-core.md, "Core candidates".`,
  );
  return lines.join('\n') + '\n';
}

export function renderCandidatesCsv(r: CandidatesReport): string {
  return toCsv(
    [
      'rank',
      'rank_best',
      'rank_worst',
      'username',
      'name',
      'gerrit_account_id',
      'score',
      'quality',
      'activity',
      'reviews',
      'independent',
      'after_core',
      'kappa',
      'kappa_low',
      'kappa_high',
      'kappa_votes',
      'kappa_agreed',
      'minus_ones',
      'minus_confirmed_by_core',
      'minus_confirmed_by_revision',
      'minus_overruled',
      'minus_unsupported',
      'minus_pending',
      'substantive',
      'active_weeks',
      'weeks',
      'areas',
      'c_agreement',
      'c_confirmed_minus_ones',
      'c_reasoning',
      'c_volume',
      'c_consistency',
      'c_breadth',
    ],
    r.candidates.map((c) => [
      c.rank,
      c.rankRange.best,
      c.rankRange.worst,
      c.username,
      c.name,
      c.gerritAccountId,
      c.score,
      c.quality,
      c.activity,
      c.reviews,
      c.independent,
      c.afterCore,
      c.kappa.value,
      c.kappa.lower,
      c.kappa.upper,
      c.kappa.votes,
      c.kappa.agreed,
      c.minusOnes.total,
      c.minusOnes.confirmedByCore,
      c.minusOnes.confirmedByRevision,
      c.minusOnes.overruled,
      c.minusOnes.unsupported,
      c.minusOnes.pending,
      c.substantive,
      c.activeWeeks,
      c.weeks,
      c.areas.length,
      c.components.agreement,
      c.components.confirmedMinusOnes,
      c.components.reasoning,
      c.components.volume,
      c.components.consistency,
      c.components.breadth,
    ]),
  );
}

// ---- load ------------------------------------------------------------------------------------

export function renderLoadText(r: LoadReport): string {
  const t = r.total;
  const lines = [
    `Review bandwidth of ${r.projects.join(', ') || '(no projects)'}`,
    `Period ${day(r.period.since)} to ${day(r.period.until)} (${r.period.days} days), as of ${r.now.replace('.000Z', 'Z')}`,
    '',
    `${'week from'.padEnd(10)}  ${'needing'.padStart(7)}  ${'core rev.'.padStart(9)}  ${'per ps'.padStart(6)}  ${'all rev.'.padStart(8)}  ${'cores'.padStart(5)}  ${'top 20%'.padStart(7)}  ${'ps/core/month'.padStart(13)}`,
  ];
  const line = (label: string, w: Omit<LoadReport['total'], 'perCore'>): string =>
    `${label.padEnd(10)}  ${String(w.patchSetsNeedingReview).padStart(7)}  ${String(w.coreReviews).padStart(9)}  ${(w.coreReviewsPerPatchSet === null ? '-' : w.coreReviewsPerPatchSet.toFixed(2)).padStart(6)}  ${String(w.reviews).padStart(8)}  ${String(w.cores).padStart(5)}  ${pct(w.busiestShare).padStart(7)}  ${(w.patchSetsPerCorePerMonth === null ? '-' : w.patchSetsPerCorePerMonth.toFixed(1)).padStart(13)}`;
  for (const w of r.weeks) lines.push(line(`${day(w.from)}${w.days < 7 ? '*' : ''}`, w));
  lines.push(line('whole', t));
  lines.push(
    '',
    `Columns: needing = patch sets uploaded that need review (not trivial rebases); core rev. = reviews by cores; per ps = core reviews per patch set needing review; all rev. = every human review; cores = core team size; top 20% = share of all reviews by the busiest ${t.busiestCores} of ${t.cores} cores; ps/core/month = patch sets needing review per core per 30 days.`,
    `Core reviews over the period: ${t.perCore.map((c) => `${who(c)} ${c.coreReviews}`).join(', ') || 'none'}`,
    r.weeks.some((w) => w.days < 7) ? '* a partial week' : '',
    `Core team from: ${r.sources.coreTeam}. Definitions: docs/reviewers-and-core.md, section "Core load".`,
  );
  return lines.filter((l, i) => l !== '' || lines[i - 1] !== '').join('\n') + '\n';
}

export function renderLoadCsv(r: LoadReport): string {
  const row = (w: Omit<LoadReport['total'], 'perCore'>) => [
    w.from,
    w.to,
    w.days,
    w.patchSetsNeedingReview,
    w.reviews,
    w.coreReviews,
    w.coreReviewsPerPatchSet,
    w.cores,
    w.coreDays,
    w.busiestCores,
    w.busiestShare,
    w.patchSetsPerCorePerMonth,
  ];
  return toCsv(
    [
      'from',
      'to',
      'days',
      'patch_sets_needing_review',
      'reviews',
      'core_reviews',
      'core_reviews_per_patch_set',
      'cores',
      'core_days',
      'busiest_cores',
      'busiest_share',
      'patch_sets_per_core_per_month',
    ],
    [...r.weeks.map(row), row(r.total)],
  );
}

// ---- mentoring ---------------------------------------------------------------------------------

export function renderMentoringText(r: MentoringReport): string {
  const lines = [`Mentoring of ${r.projects.join(', ') || '(no projects)'}, as of ${r.now.replace('.000Z', 'Z')}`, ''];
  if (r.mentorships.length === 0) lines.push('No mentorships tracked. Start one with `steward core mentor add CANDIDATE --mentor CORE`.');
  for (const m of r.mentorships) {
    lines.push(
      `${who(m.candidate)} mentored by ${who(m.mentor)} since ${day(m.startedAt)}${m.endedAt ? ` until ${day(m.endedAt)}` : ''}${m.coreNow ? ' — core now' : ''}${m.note ? ` — ${m.note}` : ''}`,
      `  ${''.padEnd(8)} ${'reviews/week'.padStart(12)}  ${'agreement'.padStart(9)}  ${'areas'.padStart(5)}`,
      `  ${'before'.padEnd(8)} ${m.before.reviewsPerWeek.toFixed(1).padStart(12)}  ${pct(m.before.agreement).padStart(9)}  ${String(m.before.breadth).padStart(5)}   (${day(m.before.from)} to ${day(m.before.to)})`,
      `  ${'during'.padEnd(8)} ${m.during.reviewsPerWeek.toFixed(1).padStart(12)}  ${pct(m.during.agreement).padStart(9)}  ${String(m.during.breadth).padStart(5)}   (${day(m.during.from)} to ${day(m.during.to)})`,
      `  weekly reviews: ${m.weeks.map((w) => `${w.week === 0 ? '| ' : ''}${w.reviews}`).join(' ')}`,
      '',
    );
  }
  lines.push('Definitions: docs/reviewers-and-core.md, section "Mentoring". --format json or csv gives the weekly series for a chart.');
  return lines.join('\n') + '\n';
}

/** CSV: one row per mentorship week (the series for a chart). */
export function renderMentoringCsv(r: MentoringReport): string {
  return toCsv(
    ['mentorship', 'candidate', 'mentor', 'week', 'from', 'phase', 'reviews', 'agreed', 'disagreed', 'areas'],
    r.mentorships.flatMap((m) =>
      m.weeks.map((w) => [m.id, who(m.candidate), who(m.mentor), w.week, w.from, w.phase, w.reviews, w.agreed, w.disagreed, w.areas]),
    ),
  );
}

export function renderMentorListText(r: MentorListReport): string {
  if (r.mentorships.length === 0) return 'No mentorships tracked. Start one with `steward core mentor add CANDIDATE --mentor CORE`.\n';
  return (
    r.mentorships
      .map(
        (m) =>
          `#${m.id}  ${who(m.candidate).padEnd(18)} mentor ${who(m.mentor).padEnd(18)} ${day(m.startedAt)} → ${m.endedAt ? day(m.endedAt) : 'now'}${m.note ? `  ${m.note}` : ''}${m.endNote ? `  (ended: ${m.endNote})` : ''}`,
      )
      .join('\n') + '\n'
  );
}

export function renderMentorListCsv(r: MentorListReport): string {
  return toCsv(
    ['id', 'candidate', 'mentor', 'started_at', 'ended_at', 'note', 'end_note'],
    r.mentorships.map((m) => [m.id, who(m.candidate), who(m.mentor), m.startedAt, m.endedAt, m.note, m.endNote]),
  );
}

// ---- history ---------------------------------------------------------------------------------

/** One join or leave of a core group, as `steward core history --format json` prints it. */
export interface CoreHistoryEvent {
  date: string;
  /** The snapshot before the one that saw the change: it happened between then and `date` (null: first snapshot). */
  notBefore: string | null;
  change: 'joined' | 'left';
  username: string | null;
  name: string | null;
  gerritAccountId: number | null;
}

/** One project's core group history (built by service/core-history-view.ts). */
export interface CoreHistoryGroup {
  project: string;
  host: string;
  group: string;
  snapshots: number;
  lastChecked: string | null;
  currentMembers: string[];
  events: CoreHistoryEvent[];
}

/** `steward core history --format json`: each selected project's core group. */
export interface CoreHistoryView {
  projects: string[];
  sources: { config: string };
  groups: CoreHistoryGroup[];
}

export function renderCoreHistoryText(r: CoreHistoryView): string {
  let s = '';
  for (const g of r.groups) {
    s += `${g.project}: core group ${g.group} on ${g.host} — ${g.snapshots} snapshot(s), last checked ${g.lastChecked ?? 'never (run steward sync)'}\n`;
    if (g.events.length === 0) s += '  no membership recorded yet\n';
    for (const e of g.events) {
      s += `  ${e.date.slice(0, 16).replace('T', ' ')}  ${e.change === 'joined' ? '+' : '-'} ${(e.username ?? e.name ?? '?').padEnd(20)} ${e.change}${e.notBefore ? ` (between ${e.notBefore.slice(0, 10)} and ${e.date.slice(0, 10)})` : ' (first snapshot)'}\n`;
    }
    s += `  current members (${g.currentMembers.length}): ${g.currentMembers.join(', ')}\n`;
  }
  return s;
}

export function renderCoreHistoryCsv(r: CoreHistoryView): string {
  return toCsv(
    ['project', 'group', 'date', 'not_before', 'change', 'username', 'name'],
    r.groups.flatMap((g) => g.events.map((e) => [g.project, g.group, e.date, e.notBefore, e.change, e.username, e.name])),
  );
}
