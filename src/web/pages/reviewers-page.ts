/** Reviewers: the same columns as `steward reviewers`, sortable and filterable; 30/90/180 days or any window. */
import { isReviewstats } from '../../service/catalogue/reviewers-entry.js';
import type { AppContext } from '../app-context.js';
import { html, type SafeHtml } from '../html.js';
import { buildReport, REPORTS } from '../reports.js';
import { num, pct, person, stat, table } from './components.js';
import { page, sortLink, urlFor, type PageContext } from './layout.js';

export async function reviewersPage(pc: PageContext, ctx: AppContext): Promise<SafeHtml> {
  const q = pc.query as Record<string, unknown>;
  const r = await buildReport(ctx, REPORTS.reviewers, { query: { ...pc.query, compat: undefined }, reader: pc.reader });
  if (isReviewstats(r)) throw new Error("expected Steward's reviewers report, not reviewstats'");
  const t = r.totals;
  const body = html`
<p class="lead">${r.projects.join(', ') || '(no projects)'} — ${r.period.since.slice(0, 10)} to ${r.period.until.slice(0, 10)} (${r.period.days} days). A review is one reviewing act on a patch set by a human (votes and comment-only messages); copied votes and self-votes are not reviews.</p>
<div class="stats" id="reviewers-totals">${stat('reviews', num(t.reviews), `${num(t.reviewsPerDay)} per day`)}${stat('active reviewers', num(t.activeReviewers))}${stat('comment-only', num(t.commentOnly))}${stat('by the core team', num(t.coreReviews), t.coreTeamSize === null ? 'no core team configured' : `${num(t.coreReviewsPerCorePerDay)} per core per day`)}${stat('self-votes (not reviews)', num(t.selfVotes))}</div>
${table(
  [
    { key: 'reviewer', label: 'Reviewer', cell: (x) => person(x), sort: (x) => (x.username ?? x.name ?? '').toLowerCase() },
    { key: 'reviews', label: 'Reviews', numeric: true, cell: (x) => num(x.reviews), sort: (x) => x.reviews },
    { key: 'minus2', label: '−2', numeric: true, cell: (x) => num(x.codeReview.minus2), sort: (x) => x.codeReview.minus2 },
    { key: 'minus1', label: '−1', numeric: true, cell: (x) => num(x.codeReview.minus1), sort: (x) => x.codeReview.minus1 },
    { key: 'plus1', label: '+1', numeric: true, cell: (x) => num(x.codeReview.plus1), sort: (x) => x.codeReview.plus1 },
    { key: 'plus2', label: '+2', numeric: true, cell: (x) => num(x.codeReview.plus2), sort: (x) => x.codeReview.plus2 },
    { key: 'approvals', label: '+A', numeric: true, cell: (x) => num(x.approvals), sort: (x) => x.approvals },
    {
      key: 'positiveShare',
      label: '+/−',
      numeric: true,
      cell: (x) => pct(x.positiveShare, 0),
      sort: (x) => x.positiveShare,
      title: 'share of votes that are positive',
    },
    {
      key: 'disagreements',
      label: 'Disagree',
      numeric: true,
      cell: (x) => html`${num(x.disagreements)} <small>${pct(x.disagreementShare, 0)}</small>`,
      sort: (x) => x.disagreements,
      title: 'votes against the cores’ verdict',
    },
    { key: 'reviewsPerDay', label: '/day', numeric: true, cell: (x) => x.reviewsPerDay.toFixed(2), sort: (x) => x.reviewsPerDay },
    { key: 'commentOnly', label: 'Comment', numeric: true, cell: (x) => num(x.commentOnly), sort: (x) => x.commentOnly },
    { key: 'distinctChanges', label: 'Changes', numeric: true, cell: (x) => num(x.distinctChanges), sort: (x) => x.distinctChanges },
    { key: 'selfVotes', label: 'Self', numeric: true, cell: (x) => num(x.selfVotes), sort: (x) => x.selfVotes },
    {
      key: 'core',
      label: 'Core',
      cell: (x) => (x.core === 'yes' ? 'core' : x.core === 'partly' ? `core for ${x.coreReviews}` : ''),
      sort: (x) => (x.core === 'yes' ? 2 : x.core === 'partly' ? 1 : 0),
    },
  ],
  r.rows,
  {
    id: 'reviewers',
    filter: true,
    sort: { key: pc.query.sort, dir: pc.query.dir, link: sortLink(pc) },
    empty: 'No reviews in the period.',
  },
)}
<p class="sources">Core team: ${r.sources.coreTeam}. Bots: ${r.sources.bots}. reviewstats' numbers: <a href="${urlFor('/api/v1/reviewers', q, { compat: 'reviewstats', since: undefined, until: undefined })}">compat=reviewstats</a>.</p>`;
  return page(pc, 'Reviewers', body, { api: [urlFor('/api/v1/reviewers', q)] });
}
