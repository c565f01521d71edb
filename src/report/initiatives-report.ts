/**
 * Initiatives in words: the status as text, the one-page brief as Markdown (ready to paste into a
 * mailing-list post or an etherpad), the list. JSON is the view itself (service/initiatives-view.ts).
 */
import type { InitiativeStatus } from '../analysis/initiatives.js';
import type { Initiative } from '../model/initiatives.js';

export type InitiativeView = { projects: string[]; sources: Record<string, string> } & InitiativeStatus;

export interface InitiativesList {
  initiatives: Array<Omit<Initiative, 'createdAt' | 'notes'> & { createdAt: string | null; openQuestions: number; notes: number }>;
  shadowed: Array<{ id: number | null; name: string }>;
  sources: { config: string };
}

const day = (s: string | null): string => (s === null ? '—' : s.slice(0, 10));

function notesLines(r: InitiativeView, bullet: string): string[] {
  return r.notes.map(
    (n) =>
      `${bullet}[${n.status === 'open' ? 'open' : 'resolved'} ${n.kind}${n.id !== null ? ` #${n.id}` : ''}] ${n.text} (${day(n.at)}${n.by ? `, ${n.by}` : ''})${n.link ? ` ${n.link}` : ''}${n.status === 'resolved' ? ` — resolved ${day(n.resolvedAt)}${n.resolvedBy ? ` by ${n.resolvedBy}` : ''}${n.resolution ? `: ${n.resolution}` : ''}` : ''}`,
  );
}

/** `steward initiative status NAME`: open questions first, then milestones, stalls, blockers, people. */
export function renderInitiativeText(r: InitiativeView): string {
  const out: string[] = [`${r.title} (${r.name}) as of ${day(r.asOf)}`];
  if (r.goal) out.push(`Goal: ${r.goal}`);
  if (r.owners.length) out.push(`Owners: ${r.owners.join(', ')}`);
  if (r.openQuestions.length) {
    out.push('', `Open questions (${r.openQuestions.length}):`);
    for (const q of r.openQuestions)
      out.push(`  #${q.id ?? '-'} ${q.text} (${day(new Date(q.at).toISOString())}${q.by ? `, ${q.by}` : ''})`);
  }
  if (r.emptyScope) out.push('', `Nothing in scope: ${r.emptyScope}.`);
  out.push('', 'Milestones:');
  for (const m of r.milestones)
    out.push(`  ${m.title}${m.release ? ` [${m.release}]` : ''} due ${day(m.due)}: ${m.status} — ${m.evidence}`);
  if (r.releases.length) {
    out.push('', 'Per release: specs approved/implemented, changes proposed/merged, commits landed');
    for (const x of r.releases)
      out.push(
        `  ${x.release.padEnd(12)} ${x.specsApproved}/${x.specsImplemented}  ${x.changesProposed}/${x.changesMerged}  ${x.commitsLanded}`,
      );
  }
  out.push('', `Stalls (${r.stallWeeks}+ weeks without a merged change or landed commit): ${r.stalls.length || 'none'}`);
  for (const s of r.stalls) out.push(`  ${day(s.from)} → ${s.ongoing ? 'now' : day(s.to)} (${s.weeks} weeks): ${s.why}`);
  const b = r.blockers;
  out.push('', 'Blockers:');
  if (!b.vetoed.length && !b.unapprovedSpecs.length && !b.waitingOnReviewers.length) out.push('  none');
  for (const v of b.vetoed) out.push(`  −2 on change ${v.number} (${v.project}) by ${v.by} since ${day(v.since)}: ${v.subject}`);
  for (const s of b.unapprovedSpecs) out.push(`  spec ${s.name}: ${s.why}`);
  for (const w of b.waitingOnReviewers)
    out.push(
      `  change ${w.number} waiting on reviewers ${w.reviewersDays} d (project median ${b.projectMedianReviewersDays} d; author ${w.authorDays} d, CI ${w.ciDays} d, WIP ${w.wipDays} d)`,
    );
  out.push('', `People doing: ${r.people.doing.map((p) => `${p.name} (${p.changes} changes, ${p.commits} commits)`).join(', ') || 'none'}`);
  out.push(`Reviewing: ${r.people.reviewing.map((p) => `${p.name} (${p.reviews})`).join(', ') || 'none'}`);
  out.push('', ...r.summary.filter((s) => s.startsWith('Bugs:') || s.startsWith('Review wait') || s.startsWith('Last activity')));
  if (r.notes.length) out.push('', 'Notes:', ...notesLines(r, '  '));
  return out.join('\n') + '\n';
}

/** `steward initiative brief NAME --format markdown`: one page. */
export function renderInitiativeBrief(r: InitiativeView): string {
  const out: string[] = [
    `# ${r.title}`,
    '',
    `*Status as of ${day(r.asOf)}${r.owners.length ? ` · owners: ${r.owners.join(', ')}` : ''}*`,
    '',
  ];
  if (r.goal) out.push(`**Goal.** ${r.goal}`, '');
  if (r.openQuestions.length) {
    out.push('## Open questions', '');
    for (const q of r.openQuestions)
      out.push(`- ${q.text} (${day(new Date(q.at).toISOString())}${q.by ? `, ${q.by}` : ''})${q.link ? ` — ${q.link}` : ''}`);
    out.push('');
  }
  out.push('## Milestones', '', '| milestone | due | status | evidence |', '| --- | --- | --- | --- |');
  for (const m of r.milestones)
    out.push(`| ${m.title}${m.release ? ` (${m.release})` : ''} | ${day(m.due)} | ${m.status} | ${m.evidence.replace(/\|/g, '/')} |`);
  out.push('');
  if (r.emptyScope) out.push(`*Nothing in scope:* ${r.emptyScope}.`, '');
  out.push('## What stalled and why', '');
  if (!r.stalls.length) out.push(`No stall: never ${r.stallWeeks} weeks without a merged change or landed commit.`);
  for (const s of r.stalls)
    out.push(`- ${day(s.from)} → ${s.ongoing ? '**now (still stalled)**' : day(s.to)}, ${s.weeks} weeks: ${s.why}.`);
  out.push('');
  const b = r.blockers;
  if (b.vetoed.length || b.unapprovedSpecs.length || b.waitingOnReviewers.length) {
    out.push('## Blockers', '');
    for (const v of b.vetoed) out.push(`- −2 by ${v.by} on [${v.number}](${v.url ?? '#'}) since ${day(v.since)}: ${v.subject}`);
    for (const s of b.unapprovedSpecs) out.push(`- Spec ${s.name}: ${s.why}`);
    for (const w of b.waitingOnReviewers)
      out.push(
        `- [${w.number}](${w.url ?? '#'}) waiting on reviewers ${w.reviewersDays} d (project median ${b.projectMedianReviewersDays} d): ${w.subject}`,
      );
    out.push('');
  }
  const decided = r.notes.filter((n) => n.kind !== 'question' || n.status === 'resolved');
  if (decided.length) {
    out.push('## Decisions and feedback', '');
    for (const n of decided)
      out.push(
        `- ${n.kind}${n.status === 'resolved' && n.kind === 'question' ? ' (answered)' : ''}: ${n.text} (${day(n.at)}${n.by ? `, ${n.by}` : ''})${n.link ? ` — ${n.link}` : ''}${n.resolution ? ` → ${n.resolution}` : ''}`,
      );
    out.push('');
  }
  out.push('## People', '');
  out.push(
    `- Doing the work: ${
      r.people.doing
        .slice(0, 12)
        .map((p) => `${p.name} (${p.changes + p.commits})`)
        .join(', ') || 'nobody yet'
    }`,
  );
  out.push(
    `- Reviewing: ${
      r.people.reviewing
        .slice(0, 12)
        .map((p) => `${p.name} (${p.reviews})`)
        .join(', ') || 'nobody yet'
    }`,
  );
  const bugs = r.summary.find((s) => s.startsWith('Bugs:'));
  if (bugs) out.push('', bugs);
  const w = r.summary.find((s) => s.startsWith('Review wait'));
  if (w) out.push('', w);
  return out.join('\n') + '\n';
}

export function renderInitiativesList(r: InitiativesList): string {
  if (!r.initiatives.length) return 'No initiatives (steward initiative add, or `initiatives:` in steward.yaml).\n';
  return (
    r.initiatives
      .map(
        (i) =>
          `${i.name}: ${i.title} — ${i.milestones.length} milestone${i.milestones.length === 1 ? '' : 's'} (${i.milestones.map((m) => m.release ?? (m.targetDate === null ? '?' : new Date(m.targetDate).toISOString().slice(0, 10))).join(' → ')}); ${i.openQuestions} open question${i.openQuestions === 1 ? '' : 's'}; ${i.origin === 'config' ? 'steward.yaml' : `store #${i.id}`}`,
      )
      .join('\n') + '\n'
  );
}

/** CSV: one row per milestone. */
export function renderInitiativeCsv(r: InitiativeView): string {
  const q = (v: string | number | null): string =>
    v === null ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v);
  const head =
    'milestone,release,due,status,metAt,lateDays,specsApproved,specsImplemented,changesProposed,changesMerged,changesOpen,commitsLanded';
  return (
    [
      head,
      ...r.milestones.map((m) =>
        [
          m.title,
          m.release,
          m.due,
          m.status,
          m.metAt,
          m.lateDays,
          m.specsApproved,
          m.specsImplemented,
          m.changesProposed,
          m.changesMerged,
          m.changesOpen,
          m.commitsLanded,
        ]
          .map(q)
          .join(','),
      ),
    ].join('\n') + '\n'
  );
}
