/** Rendering of `steward priorities report` and `steward priorities list` (text and CSV; JSON is the view itself). */
import type { PriorityGroupStats, PriorityMedianCi, PrioritiesResult, PriorityComparison } from '../analysis/priorities.js';
import type { Priority } from '../model/priorities.js';
import { toCsv } from './csv.js';

/** `steward priorities report --format json`. */
export type PrioritiesView = {
  projects: string[];
  /** The wait the comparison is on: `reviewersDays`, the time waiting on reviewers (see `steward waits`). */
  metric: 'reviewersDays';
  sources: Record<string, string>;
} & PrioritiesResult;

type ListedPriority = Omit<Priority, 'createdAt'> & { createdAt: string | null };

/** `steward priorities list --format json`. */
export interface PrioritiesList {
  release: string | null;
  priorities: ListedPriority[];
  shadowed: ListedPriority[];
  sources: { config: string };
}

const med = (m: PriorityMedianCi): string => (m.median === null ? 'not reached' : `${m.median} d`);
const interval = (m: PriorityMedianCi): string =>
  m.low === null ? `(no interval, n=${m.n})` : `(95% CI ${m.low}–${m.high ?? '…'}, n=${m.n})`;
const verdict = (c: PriorityComparison): string =>
  c.verdict +
  (c.differenceDays !== null && c.low !== null ? ` (${c.differenceDays} d, ${c.low} to ${c.high})` : '') +
  (c.verdict === 'faster' && c.speedup !== null ? ` ${c.speedup}×` : '') +
  // The wait as a factor of the rest's, with its interval (the same re-draws), when the report is "slower".
  (c.verdict === 'slower' && c.factor !== null ? ` ${c.factor}× as long (95% CI ${c.factorLow ?? '?'}–${c.factorHigh ?? '?'}×)` : '');

function row(name: string, g: PriorityGroupStats, vs: PriorityComparison | null): string {
  const cells = [
    name.padEnd(34).slice(0, 34),
    String(g.proposed).padStart(8),
    String(g.merged).padStart(7),
    String(g.open).padStart(5),
    String(g.reviews).padStart(8),
    `${med(g.reviewersDays)} ${interval(g.reviewersDays)}`.padEnd(38),
    vs ? verdict(vs) : '',
  ];
  return cells.join('  ').trimEnd();
}

export function renderPrioritiesText(v: PrioritiesView): string {
  const out: string[] = [];
  out.push(
    `Priorities of ${v.release.name} (${v.release.start.slice(0, 10)} to ${v.release.release.slice(0, 10)}, freeze ${v.release.featureFreeze.slice(0, 10)}), as of ${v.asOf.slice(0, 10)}`,
  );
  out.push(
    'Wait for review: median days waiting on reviewers of the changes proposed in the release (Kaplan–Meier: open ones censored at their wait so far);',
  );
  out.push('vs the rest: difference of medians with a 95% interval re-drawing whole blueprints; inconclusive when it spans 0.');
  out.push('');
  out.push(['priority'.padEnd(34), 'proposed', 'merged', 'open', 'reviews', 'wait for review'.padEnd(38), 'vs the rest'].join('  '));
  for (const p of v.priorities) out.push(row(`${p.title}${p.origin === 'store' ? ' *' : ''}`, p, p.vsBaseline));
  if (v.priorities.length > 1) out.push(row('(all priorities)', v.allPriorities, v.allPriorities.vsBaseline));
  out.push(row('(the rest of the release)', v.baseline, null));
  out.push(row('(the rest: features only)', v.featureBaseline, null));
  if (v.priorities.some((p) => p.origin === 'store'))
    out.push('* defined in the store (steward priorities add); the others in steward.yaml');
  out.push('');
  for (const s of v.summary) out.push(s);
  return out.join('\n') + '\n';
}

export function renderPrioritiesCsv(v: PrioritiesView): string {
  const header = [
    'priority',
    'origin',
    'proposed',
    'merged',
    'abandoned',
    'open',
    'reviews',
    'reviewers_days_n',
    'reviewers_days_median',
    'reviewers_days_low',
    'reviewers_days_high',
    'vs_baseline',
    'vs_baseline_difference_days',
    'vs_baseline_low',
    'vs_baseline_high',
    'vs_feature_baseline',
  ];
  const line = (
    name: string,
    origin: string,
    g: PriorityGroupStats,
    a: PriorityComparison | null,
    b: PriorityComparison | null,
  ): unknown[] => [
    name,
    origin,
    g.proposed,
    g.merged,
    g.abandoned,
    g.open,
    g.reviews,
    g.reviewersDays.n,
    g.reviewersDays.median,
    g.reviewersDays.low,
    g.reviewersDays.high,
    a?.verdict ?? '',
    a?.differenceDays ?? '',
    a?.low ?? '',
    a?.high ?? '',
    b?.verdict ?? '',
  ];
  return toCsv(header, [
    ...v.priorities.map((p) => line(p.title, p.origin, p, p.vsBaseline, p.vsFeatureBaseline)),
    line('(all priorities)', '', v.allPriorities, v.allPriorities.vsBaseline, v.allPriorities.vsFeatureBaseline),
    line('(baseline)', '', v.baseline, null, null),
    line('(feature baseline)', '', v.featureBaseline, null, null),
  ]);
}

export function renderPrioritiesList(l: PrioritiesList): string {
  if (l.priorities.length === 0) return `No priorities${l.release ? ` for ${l.release}` : ''}.\n`;
  const out = l.priorities.map((p) => {
    const covers = [
      ...p.blueprints.map((b) => `blueprint:${b}`),
      ...p.topics.map((t) => `topic:${t}`),
      ...p.queries.map((q) => `query: ${q}`),
    ].join('; ');
    const from =
      p.origin === 'config'
        ? l.sources.config
        : `store #${p.id}${p.createdBy ? `, added by ${p.createdBy}` : ''}${p.createdAt ? ` on ${p.createdAt.slice(0, 10)}` : ''}`;
    return `${p.release}: ${p.title} — ${covers} (${from})`;
  });
  for (const s of l.shadowed) out.push(`(hidden by steward.yaml) ${s.release}: ${s.title} — store #${s.id}`);
  return out.join('\n') + '\n';
}
