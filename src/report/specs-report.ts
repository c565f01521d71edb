/**
 * `steward specs report` as text and CSV (JSON is the view object itself).
 */
import type { ReleaseSummary, SpecEntry, SpecsReport } from '../analysis/specs-report.js';
import type { SpecsWarning } from '../model/specs.js';
import { toCsv } from './csv.js';

export interface SpecsReportView extends SpecsReport {
  kind: 'specs-report';
  /** The release asked for, as the calendar names it; null for the table over all releases. */
  release: string | null;
  now: string;
  /** The repository the specs were read from and when, with the sync's warnings. */
  repo: { path: string; head: string; headAt: string; syncedAt: string; commits: number; warnings: SpecsWarning[] };
  calendar: { source: string; releases: number };
  /**
   * What the answer rests on, for the releases reported: `present` says which data there is
   * (the specs repository always; code history and review data when they cover a reported
   * release), the others say what each is, or "none: …" when absent.
   */
  sources: {
    present: { specs: boolean; codeHistory: boolean; reviewData: boolean };
    specs: string;
    reviewData: string;
    codeHistory: string;
    coreTeam: string;
    gatingCi: string;
    /** What "is it review bandwidth?" rests on: review data, git alone, or nothing. */
    bandwidth: string;
  };
}

const pct = (x: number | null): string => (x === null ? 'n/a' : `${Math.round(x * 1000) / 10}%`);
const day = (iso: string | null): string => (iso ? iso.slice(0, 10) : '-');

const SPECS_LEGEND =
  'Columns: share = implemented / approved; not landed = approved but not implemented in the release; landed later = of those, re-proposed and implemented in a later release; code later = not re-proposed, but code naming the blueprint landed later; data = what the reasons rest on.';

function releaseTable(rows: readonly ReleaseSummary[]): string[] {
  const head = `${'release'.padEnd(10)}${'freeze'.padEnd(12)}${'approved'.padStart(9)}${'implemented'.padStart(12)}${'share'.padStart(8)}${'not landed'.padStart(11)}${'landed later'.padStart(13)}${'code later'.padStart(11)}  data`;
  const lines = [head];
  for (const r of rows) {
    const data = [r.reviewData ? 'reviews' : null, r.commitData ? 'commits' : null].filter(Boolean).join('+') || 'specs only';
    lines.push(
      `${(r.inProgress ? `${r.release}*` : r.release).padEnd(10)}${day(r.featureFreeze).padEnd(12)}${String(r.approved).padStart(9)}${String(r.implemented).padStart(12)}${pct(r.implementedShare).padStart(8)}${`${r.notLanded} (${pct(r.notLandedShare)})`.padStart(11)}${String(r.landedLater).padStart(13)}${String(r.codeLandedLater).padStart(11)}  ${data}`,
    );
  }
  return lines;
}

function specLines(e: SpecEntry): string[] {
  const lines = [
    `  ${e.landed ? '✓' : '✗'} ${e.blueprint}${e.title ? ` — ${e.title}` : ''}`,
    `      ${e.path}; approved ${day(e.approvedAt)}${e.implementedAt ? `, implemented ${day(e.implementedAt)}` : ''}${e.removedAt ? `, removed ${day(e.removedAt)}` : ''}`,
  ];
  if (e.earlierReleases.length) lines.push(`      re-proposal of ${e.earlierReleases.join(', ')}`);
  if (e.reProposals.length)
    lines.push(
      `      proposed again: ${e.reProposals.map((p) => `${p.release}${p.implementedAt ? ` (implemented ${day(p.implementedAt)})` : ''}`).join(', ')}`,
    );
  if (e.reason)
    lines.push(`      reason: ${e.reason}${e.reasons.length > 1 ? ` (also ${e.reasons.slice(1).join(', ')})` : ''} — ${e.evidence}`);
  if (e.candidates) lines.push(`      could be: ${e.candidates.join(', ')}`);
  if (e.outcome) lines.push(`      afterwards: ${e.outcome.outcome} — ${e.outcome.text}`);
  if (e.waits)
    lines.push(
      `      waits (days, its ${e.changes!.length} change(s)): on reviewers ${e.waits.reviewersDays}, on author ${e.waits.authorDays}, on CI ${e.waits.ciDays}, WIP ${e.waits.wipDays}`,
    );
  if (e.commits)
    lines.push(
      `      commits: ${e.commits.total} linked${e.commits.total ? ` (first ${day(e.commits.first)}, last ${day(e.commits.last)}), ${e.commits.inRelease} in the release` : ''}`,
    );
  const related = [
    e.related.commits ? `${e.related.commits} commit(s)` : null,
    e.related.changes ? `${e.related.changes} change(s)` : null,
  ].filter(Boolean);
  if (related.length) lines.push(`      related work (Related-Blueprint, not counted as its code): ${related.join(', ')}`);
  return lines;
}

export function renderSpecsReportText(v: SpecsReportView): string {
  const lines: string[] = [];
  lines.push(
    `Specs: ${v.repo.path} at ${v.repo.head.slice(0, 12)} (${day(v.repo.headAt)}), synced ${v.repo.syncedAt.replace('.000Z', 'Z')}; calendar: ${v.calendar.source}`,
    '',
  );
  lines.push(...releaseTable(v.releases), SPECS_LEGEND);
  if (v.release !== null) {
    const r = v.releases[0]!;
    lines.push(
      '',
      `${r.release}: ${r.approved} approved, ${r.implemented} implemented (${pct(r.implementedShare)}), ${r.notLanded} ${r.inProgress ? 'not landed yet (before its feature freeze)' : 'did not land'} (${pct(r.notLandedShare)}); ${r.reProposed} re-proposed, ${r.landedLater} of them implemented later; ${r.codeLandedLater} not re-proposed whose code landed later.`,
    );
    if (r.reasons.length) {
      lines.push('', `Why the others did not land in ${r.release} (first reason; share of the non-landed):`);
      for (const x of r.reasons)
        lines.push(
          `  ${x.reason.padEnd(22)}${String(x.specs).padStart(4)}  ${pct(x.share).padStart(6)}${x.applies !== x.specs ? `   (applies to ${x.applies})` : ''}`,
        );
    }
    if (r.notLanded > 0) {
      lines.push('', 'What happened to them afterwards:');
      for (const x of r.outcomes) if (x.specs > 0) lines.push(`  ${x.outcome.padEnd(22)}${String(x.specs).padStart(4)}`);
    }
    if (r.bandwidth) {
      const g = (name: string, w: typeof r.bandwidth.landed) =>
        `  ${name.padEnd(12)}${String(w.specs).padStart(6)}${String(w.withCode).padStart(10)}${String(w.reviewersDays).padStart(14)}${String(w.authorDays).padStart(12)}${String(w.ciDays).padStart(9)}${pct(w.reviewerShare).padStart(16)}`;
      lines.push(
        '',
        'Is it review bandwidth? Days their changes waited (summed):',
        `  ${''.padEnd(12)}${'specs'.padStart(6)}${'with code'.padStart(10)}${'on reviewers'.padStart(14)}${'on author'.padStart(12)}${'on CI'.padStart(9)}${'reviewer share'.padStart(16)}`,
      );
      lines.push(g('landed', r.bandwidth.landed), g('not landed', r.bandwidth.notLanded), `  → ${r.bandwidth.answer}`);
    }
    if (!r.bandwidth && r.gitBandwidth) {
      lines.push('', 'Is it review bandwidth? What git alone can show (no review data for this release):');
      lines.push(`  ${''.padEnd(12)}${'commits'.padStart(8)}${'authors'.padStart(9)}${'median days to land [95%]'.padStart(30)}`);
      for (const w of r.gitBandwidth.windows)
        lines.push(
          `  ${w.release.padEnd(12)}${String(w.merged).padStart(8)}${String(w.authors).padStart(9)}${(w.medianDays === null ? '-' : `${w.medianDays} [${w.medianLower ?? '?'}, ${w.medianUpper ?? '?'}]`).padStart(30)}`,
        );
      lines.push(`  → ${r.gitBandwidth.answer}`);
    }
    if (r.cannotTell) lines.push('', `Note: ${r.cannotTell}.`);
    lines.push('', 'Specs (not landed first):');
    for (const e of v.specs) lines.push(...specLines(e));
  } else {
    const blind = v.releases.filter((r) => !r.reviewData).map((r) => r.release);
    if (blind.length)
      lines.push(
        '',
        `No review data for ${blind.join(', ')}: their non-landed specs' reasons are part-merged or undetermined (docs/specs-and-priorities.md).`,
      );
    lines.push('', 'One release in detail, with the reason each spec did not land: steward specs report --release NAME.');
  }
  if (v.releases.some((r) => r.inProgress)) lines.push('', '* before its feature freeze: states and reasons as of now.');
  if (v.unknownReleases.length)
    lines.push(
      '',
      `Left out (release directories the calendar does not know): ${v.unknownReleases.map((u) => `${u.release} (${u.specs} specs)`).join(', ')}. Add them to steward.yaml releases.`,
    );
  if (v.repo.warnings.length) lines.push('', `${v.repo.warnings.length} warning(s) at the last sync: steward specs sync lists them.`);
  lines.push(
    '',
    `Data: specs repository; code history ${v.sources.present.codeHistory ? 'yes' : 'none'}; review data ${v.sources.present.reviewData ? 'yes' : 'none'} (--format json "sources" says which).`,
  );
  lines.push('', 'Definitions: docs/specs-and-priorities.md. --format json has every spec with its evidence.');
  return lines.join('\n') + '\n';
}

export function renderSpecsReportCsv(v: SpecsReportView): string {
  if (v.release === null) {
    return toCsv(
      [
        'release',
        'start',
        'feature_freeze',
        'release_date',
        'in_progress',
        'approved',
        'implemented',
        'implemented_share',
        'not_landed',
        'not_landed_share',
        'removed',
        're_proposed',
        'landed_later',
        'code_landed_later',
        'review_data',
        'commit_data',
      ],
      v.releases.map((r) => [
        r.release,
        day(r.start),
        day(r.featureFreeze),
        day(r.releaseDate),
        r.inProgress,
        r.approved,
        r.implemented,
        r.implementedShare,
        r.notLanded,
        r.notLandedShare,
        r.removed,
        r.reProposed,
        r.landedLater,
        r.codeLandedLater,
        r.reviewData,
        r.commitData,
      ]),
    );
  }
  return toCsv(
    [
      'release',
      'path',
      'blueprint',
      'title',
      'state',
      'approved_at',
      'implemented_at',
      'landed',
      'reason',
      'reasons',
      'evidence',
      'changes',
      'reviewers_days',
      'author_days',
      'ci_days',
      'wip_days',
      'commits',
      'first_commit',
      'last_commit',
      'related_commits',
      're_proposed_in',
      'outcome',
      'outcome_release',
      'releases_later',
    ],
    v.specs.map((e) => [
      e.release,
      e.path,
      e.blueprint,
      e.title,
      e.state,
      e.approvedAt,
      e.implementedAt,
      e.landed,
      e.reason,
      e.reasons.join(' '),
      e.evidence,
      e.changes?.length ?? null,
      e.waits?.reviewersDays ?? null,
      e.waits?.authorDays ?? null,
      e.waits?.ciDays ?? null,
      e.waits?.wipDays ?? null,
      e.commits?.total ?? null,
      e.commits?.first ?? null,
      e.commits?.last ?? null,
      e.related.commits,
      e.reProposals.map((p) => p.release).join(' '),
      e.outcome?.outcome ?? null,
      e.outcome?.release ?? null,
      e.outcome?.releasesLater ?? null,
    ]),
  );
}
