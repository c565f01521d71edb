/**
 * Rendering of `steward reviewers` (Steward's definitions) and `steward reviewers --compat
 * reviewstats` (reviewstats' numbers and layout) as text and CSV; JSON is the report object itself.
 */
import type { ReviewerRow, ReviewersResult } from '../analysis/reviewers.js';
import { pyFixed, type CompatResult, type CompatRow } from '../analysis/reviewstats-compat.js';
import { toCsv } from './csv.js';

/** How a report names a person: stable across stores, unlike store ids. */
export interface AccountLabel {
  username: string | null;
  name: string | null;
  gerritAccountId: number | null;
}

export interface ReportSources {
  config: string;
  coreTeam: string;
  bots: string;
  /** Configured names (core members, bots) that match no account in the store: reported, not dropped. */
  unmatched?: UnmatchedName[];
}

/** A name steward.yaml gives that matches no account in the store. */
export interface UnmatchedName {
  /** The username or Gerrit account id as configured. */
  name: string | number;
  as: 'core' | 'bot';
  /** The project whose core team names it (cores only). */
  project?: string;
}

export type ReviewerReportRow = AccountLabel & Omit<ReviewerRow, 'accountId'>;

export interface ReviewersReport extends Omit<ReviewersResult, 'rows'> {
  projects: string[];
  rows: ReviewerReportRow[];
  sources: ReportSources;
}

export interface ReviewstatsReport extends CompatResult {
  compat: 'reviewstats';
  projects: string[];
  sources: ReportSources & { data: string };
}

/** A person's name for text output: username, else full name, else the Gerrit id. */
export function who(a: AccountLabel): string {
  return a.username ?? a.name ?? (a.gerritAccountId !== null ? `#${a.gerritAccountId}` : '?');
}

const pct = (x: number | null): string => (x === null ? '   -' : `${(x * 100).toFixed(0).padStart(3)}%`);

/** The reviewers table's column legend (one line under the table). */
export const REVIEWERS_LEGEND =
  "Columns: -2…+2 = the review's final Code-Review vote; +A = approved (Workflow +1); +/- = share of +1/+2 among those votes; disagree = votes against the cores' verdict on the patch set (count, share); /day = reviews per day; comment = comment-only reviews; changes = distinct changes reviewed; self = votes on one's own changes (not reviews); core = core at the time of every review (or of some).";

export function renderReviewersText(r: ReviewersReport): string {
  const t = r.totals;
  const lines = [
    `Reviewers of ${r.projects.length ? r.projects.join(', ') : '(no projects)'}`,
    `Period ${r.period.since.slice(0, 10)} to ${r.period.until.slice(0, 10)} (${r.period.days} days), as of ${r.now.replace('.000Z', 'Z')}`,
    'A review: one reviewing act on a patch set by a human (votes and comment-only messages); copied votes and self-votes are not reviews.',
    '',
    `${'reviewer'.padEnd(22)} ${'reviews'.padStart(7)}  ${'-2'.padStart(4)} ${'-1'.padStart(4)} ${'+1'.padStart(4)} ${'+2'.padStart(4)} ${'+A'.padStart(4)}  ${'+/-'.padStart(4)}  ${'disagree'.padStart(8)}  ${'/day'.padStart(5)}  ${'comment'.padStart(7)}  ${'changes'.padStart(7)}  ${'self'.padStart(4)}  core`,
  ];
  for (const row of r.rows) {
    const cr = row.codeReview;
    lines.push(
      `${who(row).slice(0, 22).padEnd(22)} ${String(row.reviews).padStart(7)}  ${String(cr.minus2).padStart(4)} ${String(cr.minus1).padStart(4)} ${String(cr.plus1).padStart(4)} ${String(cr.plus2).padStart(4)} ${String(row.approvals).padStart(4)}  ${pct(row.positiveShare)}  ${`${row.disagreements} ${pct(row.disagreementShare).trim()}`.padStart(8)}  ${row.reviewsPerDay.toFixed(2).padStart(5)}  ${String(row.commentOnly).padStart(7)}  ${String(row.distinctChanges).padStart(7)}  ${String(row.selfVotes).padStart(4)}  ${row.core === 'yes' ? 'core' : row.core === 'partly' ? `core for ${row.coreReviews}` : ''}`,
    );
  }
  lines.push(
    REVIEWERS_LEGEND,
    '',
    `Total reviews: ${t.reviews} (${t.reviewsPerDay}/day), ${t.commentOnly} comment-only; self-votes (not reviews): ${t.selfVotes}`,
    `Active reviewers: ${t.activeReviewers}${t.reviewsPerReviewerPerDay === null ? '' : ` (avg ${t.reviewsPerReviewerPerDay} reviews/day each)`}`,
    t.coreTeamSize === null
      ? `Core team: not configured (${r.sources.coreTeam})`
      : `Reviews by the core team: ${t.coreReviews} (${t.coreReviewsPerDay}/day); core team ${t.coreTeamSize} at the end of the period, ${t.coreDays} core-days, ${t.coreReviewsPerCorePerDay ?? 'n/a'} reviews per core per day`,
    '',
    `Core team from: ${r.sources.coreTeam}. Bots: ${r.sources.bots}.`,
    'Definitions: docs/reviewers-and-core.md, section "Reviewers". Use --format json for the changes behind each count.',
  );
  return lines.join('\n') + '\n';
}

export function renderReviewersCsv(r: ReviewersReport): string {
  return toCsv(
    [
      'username',
      'name',
      'gerrit_account_id',
      'reviews',
      'minus2',
      'minus1',
      'plus1',
      'plus2',
      'approvals',
      'positive_share',
      'agreements',
      'disagreements',
      'disagreement_share',
      'reviews_per_day',
      'comment_only',
      'distinct_changes',
      'reviews_on_others_changes',
      'self_votes',
      'core_reviews',
      'core',
    ],
    r.rows.map((x) => [
      x.username,
      x.name,
      x.gerritAccountId,
      x.reviews,
      x.codeReview.minus2,
      x.codeReview.minus1,
      x.codeReview.plus1,
      x.codeReview.plus2,
      x.approvals,
      x.positiveShare,
      x.agreements,
      x.disagreements,
      x.disagreementShare,
      x.reviewsPerDay,
      x.commentOnly,
      x.distinctChanges,
      x.reviewsOnOthersChanges,
      x.selfVotes,
      x.coreReviews,
      x.core,
    ]),
  );
}

// ---- reviewstats layout ----------------------------------------------------------------------

const reviewsCell = (r: CompatRow): string =>
  `${String(r.reviews).padStart(7)}  ${String(r.minus2).padStart(3)} ${String(r.minus1).padStart(3)} ${String(r.plus1).padStart(3)} ${String(r.plus2).padStart(3)} ${String(r.approvals).padStart(3)}   ${pyFixed(r.positivePercent, 1).padStart(5)}%`;
const disagreementCell = (r: CompatRow): string =>
  `${String(r.disagreements).padStart(3)} (${pyFixed(r.disagreementPercent, 1).padStart(5)}%)`;

/** A table in the style of Python's prettytable, as reviewstats prints it. */
function prettyTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const rule = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
  const center = (s: string, w: number): string => {
    const left = Math.floor((w - s.length) / 2);
    return ' '.repeat(left) + s + ' '.repeat(w - s.length - left);
  };
  const line = (cells: string[]) => `|${cells.map((c, i) => ` ${center(c, widths[i] as number)} `).join('|')}|`;
  return [rule, line(header), rule, ...rows.map(line), rule];
}

export function renderReviewstatsText(r: ReviewstatsReport): string {
  const d = r.days;
  const one = (x: number): string => pyFixed(x, 1);
  const t = r.totals;
  const c = r.changeStats;
  const lines = [
    `As reviewstats' \`reviewers -d ${d}\` computes them (steward reviewers --compat reviewstats), as of ${r.now.replace('.000Z', 'Z')}; counting approval records granted since ${r.cutOff.replace('.000Z', 'Z')}.`,
    `Data: ${r.sources.data}`,
    '',
    r.projects.length === 1
      ? `Reviews for the last ${d} days in ${r.projects[0]}`
      : `Reviews for the last ${d} days in projects: [${r.projects.map((p) => `'${p}'`).join(', ')}]`,
    r.projects.length === 1 ? `** -- ${r.projects[0]}-core team member` : '** -- Member of at least one core reviewer team',
    ...prettyTable(
      ['Reviewer', 'Reviews   -2  -1  +1  +2  +A    +/- %', 'Disagreements*'],
      r.rows.map((row) => [`${row.reviewer}${row.core ? ' **' : ''}`, reviewsCell(row), disagreementCell(row)]),
    ),
    '',
    `Total reviews: ${t.reviews} (${one(t.reviewsPerDay)}/day)`,
    `Total reviewers: ${t.reviewers} (avg ${one(t.reviewsPerReviewerPerDay)} reviews/day)`,
    `Total reviews by core team: ${t.coreReviews} (${one(t.coreReviewsPerDay)}/day)`,
    `Core team size: ${t.coreTeamSize} (avg ${one(t.coreReviewsPerCorePerDay)} reviews/day)`,
    `New patch sets in the last ${d} days: ${c.newPatchSets} (${one(c.newPatchSetsPerDay)}/day)`,
    `Changes involved in the last ${d} days: ${c.changesInvolved} (${one(c.changesInvolvedPerDay)}/day)`,
    `  New changes in the last ${d} days: ${c.newChanges} (${one(c.newChangesPerDay)}/day)`,
    `  Changes merged in the last ${d} days: ${c.merged} (${one(c.mergedPerDay)}/day)`,
    `  Changes abandoned in the last ${d} days: ${c.abandoned} (${one(c.abandonedPerDay)}/day)`,
    `  Changes left in state WIP in the last ${d} days: ${c.workInProgress} (${one(c.workInProgressPerDay)}/day)`,
    `  Queue growth in the last ${d} days: ${c.queueGrowth} (${one(c.queueGrowthPerDay)}/day)`,
    `  Average number of patches per changeset: ${one(c.patchSetsPerChange)}`,
    '',
    '(*) Disagreements: a +1 or +2 granted before the latest -1/-2 of a core on the same patch set, or a -1/-2 granted before its latest core +1/+2.',
    'Columns: Reviews = Code-Review approval records since the cut-off; -2…+2 = by value; +A = approvals (Workflow/Approved > 0); +/- % = share of +1/+2 among the four; ** = in a core-team list.',
    'Definitions: docs/reviewers-and-core.md, section "Reviewers", "reviewstats compatibility (steward reviewers --compat reviewstats)".',
  ];
  return lines.join('\n') + '\n';
}

export function renderReviewstatsCsv(r: ReviewstatsReport): string {
  return toCsv(
    ['Reviewer', 'Reviews', '-2', '-1', '+1', '+2', '+A', '+/- %', 'Disagreements', 'Disagreement%', 'Core'],
    r.rows.map((x) => [
      x.reviewer,
      x.reviews,
      x.minus2,
      x.minus1,
      x.plus1,
      x.plus2,
      x.approvals,
      pyFixed(x.positivePercent, 1),
      x.disagreements,
      pyFixed(x.disagreementPercent, 1),
      x.core ? 'yes' : 'no',
    ]),
  );
}
