/**
 * `steward security advisories` and `steward security candidates` as text and CSV (JSON is the
 * view itself), and the views' types.
 */
import type { AdvisoryGroup, SecurityAdvisoriesResult } from '../analysis/advisories.js';
import type { SecurityCandidate, SecurityCandidatesResult } from '../analysis/security-candidates.js';
import { toCsv } from './csv.js';
import { who, type AccountLabel } from './reviewers-report.js';

/** `steward security advisories --format json`, `/api/v1/security/advisories`. */
export interface SecurityAdvisoriesView extends SecurityAdvisoriesResult {
  kind: 'security-advisories';
  now: string;
  /** What the answer rests on: the advisories stored, and the code history synced (repositories and their commits). */
  sources: { advisories: number; codeHistory: Array<{ repo: string; branch: string; commits: number }> };
}

/** `steward security candidates --format json`, `/api/v1/security/candidates`. */
export interface SecurityCandidatesView extends Omit<SecurityCandidatesResult, 'candidates'> {
  kind: 'security-candidates';
  now: string;
  projects: string[];
  candidates: Array<Omit<SecurityCandidate, 'accountId'> & AccountLabel>;
  sources: { advisories: number; securityBugs: string; bots: string; excluded: number };
}

const days = (x: number | null): string => (x === null ? '-' : x.toFixed(1));

/** "12.0 d (4.0–30.5, n=14)", "3.0 d (n=2, too few for an interval)", "-" when none linked. */
export function medianText(g: AdvisoryGroup): string {
  const m = g.fixToAdvisoryDays;
  if (m.median === null) return '-';
  return m.lower === null
    ? `${days(m.median)} d (n=${m.n}, too few for an interval)`
    : `${days(m.median)} d (${days(m.lower)} to ${days(m.upper)}, n=${m.n})`;
}

function table(groups: readonly AdvisoryGroup[], label: (g: AdvisoryGroup) => string): string[] {
  const lines = [
    `  ${'group'.padEnd(24)}${'advis.'.padStart(7)}${'CVEs'.padStart(6)}${'report.'.padStart(8)}${'bugs'.padStart(6)}${'linked'.padStart(7)}${'early'.padStart(6)}${'late bp'.padStart(8)}  fix to advisory (median, 95% interval)`,
  ];
  for (const g of groups)
    lines.push(
      `  ${label(g).padEnd(24)}${String(g.advisories).padStart(7)}${String(g.cves).padStart(6)}${String(g.reporters).padStart(8)}${String(g.withBugs).padStart(6)}${String(g.linked).padStart(7)}${String(g.early).padStart(6)}${String(g.lateBackports).padStart(8)}  ${medianText(g)}`,
    );
  return lines;
}

export function renderSecurityAdvisoriesText(r: SecurityAdvisoriesView): string {
  if (r.sources.advisories === 0)
    return "No advisories in the store. Import them with `steward security advisories import DIR|FILE…` (e.g. the OSSA repository's ossa/).\n";
  const history = r.sources.codeHistory.length
    ? r.sources.codeHistory.map((h) => `${h.repo} (${h.branch}, ${h.commits} commits)`).join(', ')
    : 'none (`steward git sync` links advisories to the commits fixing them)';
  const lines = [
    `Published advisories: ${r.total.advisories}${r.options.products.length ? ` affecting ${r.options.products.join(', ')}` : ''}; code history: ${history}`,
    `Early fix: landed more than ${r.options.earlyDays} days before the advisory. Late backport: merged more than ${r.options.lateDays} days after it.`,
    '',
    'Per year:',
    ...table([...r.byYear, r.total], (g) => (g.year === null ? 'all' : String(g.year))),
    '',
    'Per product:',
    ...table(r.byProduct, (g) => g.product ?? 'all'),
  ];
  const early = r.advisories.filter((a) => a.early);
  if (early.length) {
    lines.push('', 'Fixes that landed long before the advisory:');
    for (const a of early)
      lines.push(
        `  ${a.id} (${a.date}): first fix ${a.firstFixAt?.slice(0, 10)} ${a.fixes[0]?.ref.slice(0, 12)} — ${days(a.fixToAdvisoryDays)} days before; ${a.title}`,
      );
  }
  const late = r.advisories.filter((a) => a.lateBackports > 0);
  if (late.length) {
    lines.push('', 'Backports merged long after the advisory:');
    for (const a of late)
      for (const b of a.backports.filter((x) => x.late))
        lines.push(
          `  ${a.id} (${a.date}): ${b.branch} ${b.project}#${b.number} merged ${b.mergedAt?.slice(0, 10)}, ${days(b.daysAfterAdvisory)} days after`,
        );
  }
  return lines.join('\n') + '\n';
}

/** One row per advisory: the figures behind every group. */
export function renderSecurityAdvisoriesCsv(r: SecurityAdvisoriesView): string {
  return toCsv(
    [
      'id',
      'date',
      'year',
      'products',
      'cves',
      'reporters',
      'bugs',
      'fixes',
      'first_fix_at',
      'fix_to_advisory_days',
      'early',
      'backports',
      'late_backports',
      'title',
    ],
    r.advisories.map((a) => [
      a.id,
      a.date,
      a.year,
      a.products.join(' '),
      a.cves.join(' '),
      a.reporters.join('; '),
      a.bugs.join(' '),
      a.fixes.length,
      a.firstFixAt,
      a.fixToAdvisoryDays,
      a.early,
      a.backports.length,
      a.lateBackports,
      a.title,
    ]),
  );
}

// ---- candidates --------------------------------------------------------------------------------

export function renderSecurityCandidatesText(r: SecurityCandidatesView): string {
  const w = r.weights;
  const lines = [
    `Security team candidates, ${r.window.since.slice(0, 10)} to ${r.window.until.slice(0, 10)}: public security work ranked by score = ${w.fix}×fixes + ${w.review}×security reviews + ${w.areaChange}×area changes + ${w.areaReview}×area reviews`,
    `${r.securityChanges} security change(s) from ${r.sources.advisories} advisories (security bugs: ${r.sources.securityBugs}); ${r.areas.length} security area(s) at depth ${r.areaDepth}${r.areas.length ? `: ${r.areas.slice(0, 8).join(', ')}${r.areas.length > 8 ? ', …' : ''}` : ''}; ${r.sources.excluded} excluded`,
    '',
  ];
  if (r.candidates.length === 0) {
    lines.push('No one did public security work in the window.');
    return lines.join('\n') + '\n';
  }
  lines.push(
    `  ${'#'.padStart(3)} ${'who'.padEnd(22)}${'score'.padStart(7)}${'fixes'.padStart(7)}${'sec.rev'.padStart(8)}${'area ch'.padStart(8)}${'area rev'.padStart(9)}  last active  areas`,
  );
  r.candidates.forEach((c, i) => {
    lines.push(
      `  ${String(i + 1).padStart(3)} ${who(c).slice(0, 21).padEnd(22)}${c.score.toFixed(1).padStart(7)}${String(c.fixes).padStart(7)}${String(c.securityReviews).padStart(8)}${String(c.areaChanges).padStart(8)}${String(c.areaReviews).padStart(9)}  ${c.lastActivity.slice(0, 10)}   ${c.areas.slice(0, 3).join(', ')}`,
    );
    const ev = [
      c.evidence.fixes.length ? `fixes ${c.evidence.fixes.join(' ')}` : null,
      c.evidence.securityReviews.length ? `reviewed ${c.evidence.securityReviews.join(' ')}` : null,
      c.advisories.length ? `advisories ${c.advisories.join(' ')}` : null,
    ].filter(Boolean);
    if (ev.length) lines.push(`        ${ev.join('; ')}`);
  });
  lines.push(
    'Columns: fixes = security changes authored (merged); sec.rev = reviews of security changes; area ch = changes in the security areas; area rev = reviews there; areas = the three with the most work.',
  );
  return lines.join('\n') + '\n';
}

export function renderSecurityCandidatesCsv(r: SecurityCandidatesView): string {
  return toCsv(
    [
      'rank',
      'username',
      'name',
      'gerrit_account_id',
      'score',
      'fixes',
      'security_reviews',
      'area_changes',
      'area_reviews',
      'areas',
      'advisories',
      'last_activity',
      'evidence',
    ],
    r.candidates.map((c, i) => [
      i + 1,
      c.username,
      c.name,
      c.gerritAccountId,
      c.score,
      c.fixes,
      c.securityReviews,
      c.areaChanges,
      c.areaReviews,
      c.areas.join(' '),
      c.advisories.join(' '),
      c.lastActivity,
      [...c.evidence.fixes, ...c.evidence.securityReviews].join(' '),
    ]),
  );
}
