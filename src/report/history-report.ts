/** Text and CSV of the code history report (`steward history`); JSON is the view itself. */
import type { CodeHistory, DaysQuantile, HistoryWindow } from '../analysis/code-history.js';
import { toCsv } from './csv.js';

/** The report as `--format json` prints it and `/api/v1/history` returns it. */
export interface HistoryView extends CodeHistory {
  kind: 'history';
  /** The release asked for (its window and its neighbours are reported), or null for every window. */
  release: string | null;
  now: string;
  calendar: { source: string };
  repos: Array<{ repo: string; branch: string; tip: string; syncedAt: string }>;
  /** What the figures rest on, said as it is (data absent included). */
  sources: { codeHistory: string; reviewData: string };
}

const q = (x: DaysQuantile): string =>
  x.days === null
    ? '-'
    : `${x.days.toFixed(1)} [${x.lower === null ? '?' : x.lower.toFixed(1)}, ${x.upper === null ? '?' : x.upper.toFixed(1)}]`;
const pct = (x: number | null): string => (x === null ? '-' : `${Math.round(x * 100)}%`);

function table(rows: readonly HistoryWindow[]): string[] {
  const head = ['release', 'merged', 'backports', 'ff', 'authors', 'new', 'retained', 'bug', 'bp', 'median days', 'p90 days'];
  const w = [10, 7, 10, 6, 8, 6, 9, 7, 6, 20, 22];
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('');
  return [
    line(head),
    ...rows.map((r) =>
      line([
        `${r.release}${r.inProgress ? '*' : ''}${r.partial ? '~' : ''}`,
        String(r.merged),
        String(r.backports),
        String(r.fastForwarded),
        String(r.authors),
        String(r.firstTimeAuthors),
        r.retainedAuthors === null ? '-' : String(r.retainedAuthors),
        String(r.namingBug),
        String(r.namingBlueprint),
        q(r.landingTime.median),
        q(r.landingTime.p90),
      ]),
    ),
  ];
}

/** The text form: the table of windows; with `--release`, that window's weeks and review side. */
export function renderHistoryText(v: HistoryView): string {
  const lines = [
    `Code history per release window (${v.repos.map((r) => `${r.repo} ${r.branch}`).join(', ')}; calendar: ${v.calendar.source})`,
    `Landings ${v.span.first?.slice(0, 10) ?? '-'} to ${v.span.last?.slice(0, 10) ?? '-'}; authors are e-mail addresses, not people; bots left out.`,
    '',
    ...table(v.releases),
    '',
    'merged: non-merge commits landed on the branch in the window (backports apart); ff: of them fast-forwarded;',
    'new: first-time authors; retained: authors also in the previous window; bug/bp: merged commits naming one;',
    'days: author date to landing, median and p90 [95% interval].',
  ];
  if (v.releases.some((r) => r.inProgress)) lines.push('* window not over: figures so far.');
  if (v.releases.some((r) => r.partial)) lines.push('~ the synced history covers only part of the window.');
  const focus = v.release === null ? null : v.releases.find((r) => r.release === v.release);
  if (focus) {
    lines.push(
      '',
      `${focus.release}: ${focus.merged} merged (${focus.viaMerge} by a landing merge, ${focus.fastForwarded} fast-forwarded), ${focus.backports} backports, ${focus.botCommits} by bots; ${focus.authors} authors, ${focus.firstTimeAuthors} first-time, ${focus.retainedAuthors ?? '-'} retained (${pct(focus.retentionShare)} of the previous window's).`,
    );
    if (focus.review)
      lines.push(
        `Review side (${focus.review.matched} merged commits matched to Gerrit changes, ${pct(focus.review.share)}): created to merged ${q(focus.review.createdToMerged.median)} days median, ${q(focus.review.createdToMerged.p90)} p90; authored to uploaded ${q(focus.review.authoredToCreated.median)} median.`,
      );
    lines.push('', 'Week of      merged  backports  ff  authors');
    for (const w of v.weeks)
      lines.push(
        `${w.week.slice(0, 10)}  ${String(w.merged).padStart(6)}  ${String(w.backports).padStart(9)}  ${String(w.fastForwarded).padStart(2)}  ${String(w.authors).padStart(7)}`,
      );
  }
  lines.push('', `Code history: ${v.sources.codeHistory}.`, `Review data: ${v.sources.reviewData}.`);
  return lines.join('\n') + '\n';
}

/** The CSV form: one row per release window. */
export function renderHistoryCsv(v: HistoryView): string {
  return toCsv(
    [
      'release',
      'start',
      'end',
      'in_progress',
      'partial',
      'merged',
      'backports',
      'fast_forwarded',
      'via_merge',
      'bot_commits',
      'authors',
      'first_time_authors',
      'retained_authors',
      'naming_bug',
      'naming_blueprint',
      'naming_either',
      'landing_days_median',
      'landing_days_median_lower',
      'landing_days_median_upper',
      'landing_days_p90',
      'landing_days_p90_lower',
      'landing_days_p90_upper',
      'review_matched',
      'review_days_median',
      'review_days_p90',
    ],
    v.releases.map((r) => [
      r.release,
      r.start,
      r.end,
      r.inProgress,
      r.partial,
      r.merged,
      r.backports,
      r.fastForwarded,
      r.viaMerge,
      r.botCommits,
      r.authors,
      r.firstTimeAuthors,
      r.retainedAuthors,
      r.namingBug,
      r.namingBlueprint,
      r.namingEither,
      r.landingTime.median.days,
      r.landingTime.median.lower,
      r.landingTime.median.upper,
      r.landingTime.p90.days,
      r.landingTime.p90.lower,
      r.landingTime.p90.upper,
      r.review?.matched ?? null,
      r.review?.createdToMerged.median.days ?? null,
      r.review?.createdToMerged.p90.days ?? null,
    ]),
  );
}
