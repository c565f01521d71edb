/** Text and CSV of the bug reports (`steward bugs backlog|rota|targets`); JSON is the result itself. */
import type { BugBacklogReport, MedianDays } from '../analysis/bugs-backlog.js';
import type { BugRotaReport, RateComparison } from '../analysis/bugs-rota.js';
import type { BugTargetsReport } from '../analysis/bugs-targets.js';
import type { BugBlueprintsReport } from '../analysis/bugs-blueprints.js';
import { toCsv } from './csv.js';

const d = (x: number | null): string => (x === null ? '—' : `${x} d`);
const pct = (x: number | null): string => (x === null ? '—' : `${Math.round(x * 1000) / 10}%`);

function medianLine(name: string, m: MedianDays): string {
  const interval = m.median === null ? '' : ` (95% CI ${m.lower === null ? '?' : m.lower}–${m.upper === null ? 'open' : m.upper} d)`;
  return `${name}: median ${m.median === null ? 'not reached' : `${m.median} d`}${interval}; within 7 d ${pct(m.within7)}, within 30 d ${pct(m.within30)} (${m.events} of ${m.n} bugs, the rest still waiting: censored)`;
}

function restrictedNote(r: { restrictedHidden: number; restrictedShown: boolean }): string {
  if (r.restrictedShown || r.restrictedHidden === 0) return '';
  return `  (${r.restrictedHidden} private or security bug(s) left out of the lists above; counted in the totals)\n`;
}

export function renderBugBacklogText(r: BugBacklogReport): string {
  if (r.projects.length === 0) return 'No Launchpad bugs in the store: run `steward bugs sync` (or `steward bugs import`) first.\n';
  const out: string[] = [];
  out.push(`Bug backlog of ${r.projects.join(', ')} as of ${r.now.slice(0, 10)}`);
  out.push(`Open: ${r.open} (${r.restrictedOpen} private or security), untriaged (New): ${r.untriaged}, median age ${d(r.age.medianDays)}`);
  out.push(`By importance: ${r.byImportance.map((x) => `${x.importance} ${x.open}`).join(', ') || 'none'}`);
  out.push(`By status: ${r.byStatus.map((x) => `${x.status} ${x.total}`).join(', ') || 'none'}`);
  out.push(`Age: ${r.age.buckets.map((b) => `${b.label} ${b.count}`).join(', ')}`);
  out.push(medianLine('Time to triage (created → left New)', r.timeToTriage));
  out.push(medianLine('Time to fix (created → Fix Committed)', r.timeToFix));
  const g = r.growth;
  out.push(
    `Over ${r.weeks.length} weeks: ${g.opened} opened, ${g.closed} closed — ${g.verdict}${g.shareOpened === null ? '' : ` (share opened ${g.shareOpened}, 95% CI ${g.lower}–${g.upper}; growing when above 0.5)`}`,
  );
  out.push('');
  out.push(`In Progress with no open change — candidates to unassign (${r.inProgressStuck.length}):`);
  for (const s of r.inProgressStuck.slice(0, 20))
    out.push(
      `  #${s.bug} ${s.importance} ${s.assignee ?? '(nobody)'} idle ${s.idleDays} d, ${s.why}${s.lastChange ? ` (last: change ${s.lastChange.number} ${s.lastChange.status}${s.lastChange.abandonReason ? `: ${s.lastChange.abandonReason.slice(0, 60)}` : ''})` : ''} — ${s.title}`,
    );
  out.push(`Fix merged, bug still open (${r.fixedStillOpen.length}):`);
  for (const f of r.fixedStillOpen.slice(0, 20))
    out.push(`  #${f.bug} ${f.status} ${f.importance}: change ${f.change} merged ${f.mergedAt} (${f.daysSinceMerge} d ago) — ${f.title}`);
  out.push('Areas (tags) by open high-importance bugs:');
  for (const a of r.areas.slice(0, 10))
    out.push(`  ${a.tag}: ${a.openHigh} high of ${a.open} open, oldest ${d(a.oldestHighDays)}, median age ${d(a.medianHighAgeDays)}`);
  return out.join('\n') + '\n' + restrictedNote(r);
}

export function renderBugBacklogCsv(r: BugBacklogReport): string {
  return toCsv(
    ['week', 'opened', 'fixed', 'closed_other', 'open', 'untriaged'],
    r.weeks.map((w) => [w.week, w.opened, w.fixed, w.closedOther, w.open, w.untriaged]),
  );
}

function rateLine(name: string, c: RateComparison): string {
  return `${name}: trivial ${c.trivial.count}/${c.trivial.of} (${pct(c.trivial.rate)}), other ${c.other.count}/${c.other.of} (${pct(c.other.rate)}) — ${c.verdict}${c.difference === null ? '' : ` (difference ${c.difference}, 95% CI ${c.lower}–${c.upper}, Fisher p ${c.fisherP})`}`;
}

export function renderBugRotaText(r: BugRotaReport): string {
  const out: string[] = [];
  if (!r.configured) out.push('No rota in steward.yaml (bugs.rota.members): the queue and the constraints only.');
  else
    out.push(
      `Rota: ${r.members.join(', ')} — trivial path: ≤ ${r.rules.maxLines} lines, "${r.rules.tag}" or bugs of importance ${r.rules.importances.join('/')}`,
    );
  out.push(`Trivial-fix queue now: ${r.queueSize}`);
  for (const q of r.queue.slice(0, 20))
    out.push(
      `  ${q.number} ${q.project} ${q.delta} lines, waiting ${q.waitingDays} d${q.bugs.length ? `, bugs ${q.bugs.map((b) => `#${b.bug}${b.importance ? ` ${b.importance}` : ''}`).join(' ')}` : ''} — ${q.subject}`,
    );
  out.push(`Weeks (${r.deadWeeks} with nobody on duty active):`);
  for (const w of r.weeks)
    out.push(
      `  ${w.week}: cleared ${w.cleared} (${w.clearedByRota} by the rota), median wait ${d(w.medianWaitDays)}, active ${w.active.join(' ') || '—'}${w.dead ? '  ← nobody on duty active' : ''}`,
    );
  out.push('Rota members:');
  for (const p of r.people)
    out.push(
      `  ${p.who}: ${p.reviews} reviews (${p.reviewsRecent} recently), ${p.trivialApproved} trivial fixes approved, active ${p.weeksActive} weeks, last ${p.lastReview ?? 'never'}${p.stoppedReviewing ? '  ← stopped reviewing' : ''}`,
    );
  out.push('Did the constraints hold?');
  out.push(`  ${rateLine('Reverted', r.constraints.reverted)}`);
  out.push(`  ${rateLine('Bug reopened', r.constraints.reopened)}`);
  for (const b of r.constraints.breaches)
    out.push(`  ${b.what}: ${b.number} ${b.project} merged ${b.mergedAt}${b.bug ? ` (bug #${b.bug})` : ''} — ${b.subject}`);
  return out.join('\n') + '\n';
}

export function renderBugRotaCsv(r: BugRotaReport): string {
  return toCsv(
    ['week', 'cleared', 'cleared_by_rota', 'median_wait_days', 'on_duty', 'active', 'dead'],
    r.weeks.map((w) => [w.week, w.cleared, w.clearedByRota, w.medianWaitDays, w.onDuty.join(' '), w.active.join(' '), w.dead ? 1 : 0]),
  );
}

export function renderBugTargetsText(r: BugTargetsReport): string {
  const out: string[] = [];
  out.push(`Open high-importance bugs: ${r.openHigh}; nobody working on ${r.unattended} (${r.restrictedUnattended} private or security)`);
  for (const t of r.targets) {
    out.push(
      `${String(t.rank).padStart(3)}. #${t.bug} ${t.importance} ${t.status}, ${t.ageDays} d old, heat ${t.heat}, ${t.duplicates} duplicate(s), ${t.unattended}${t.tags.length ? `, tags ${t.tags.join(' ')}` : ''} — ${t.title}`,
    );
    for (const a of t.abandoned.slice(0, 3))
      out.push(
        `       tried: change ${a.number} by ${a.owner ?? '?'} abandoned ${a.abandonedAt ?? '?'}${a.reason ? `: ${a.reason.slice(0, 80)}` : ''}`,
      );
    if (t.fixersInArea.length)
      out.push(`       fixed bugs in this area before: ${t.fixersInArea.map((f) => `${f.who} (${f.fixes})`).join(', ')}`);
  }
  return out.join('\n') + '\n' + restrictedNote(r);
}

export function renderBugTargetsCsv(r: BugTargetsReport): string {
  return toCsv(
    [
      'rank',
      'bug',
      'project',
      'importance',
      'status',
      'age_days',
      'heat',
      'duplicates',
      'unattended',
      'tags',
      'abandoned_changes',
      'fixers',
      'title',
    ],
    r.targets.map((t) => [
      t.rank,
      t.bug,
      t.project,
      t.importance,
      t.status,
      t.ageDays,
      t.heat,
      t.duplicates,
      t.unattended,
      t.tags.join(' '),
      t.abandoned.map((a) => a.number).join(' '),
      t.fixersInArea.map((f) => f.who).join(' '),
      t.title,
    ]),
  );
}

const seriesName = (s: string | null) => (s === null ? '(no series goal)' : s);

export function renderBugBlueprintsText(r: BugBlueprintsReport): string {
  const out: string[] = [`Blueprints: ${r.total}${r.series === null ? '' : ` (series goal ${r.series})`}`];
  for (const s of r.seriesList) {
    out.push('', `${seriesName(s.series)}: ${s.total} blueprint(s)`);
    out.push(`  implementation: ${s.byImplementation.map((c) => `${c.status} ${c.count}`).join(', ')}`);
    out.push(`  definition:     ${s.byDefinition.map((c) => `${c.status} ${c.count}`).join(', ')}`);
    if (s.series !== null)
      out.push(
        `  series goal:    accepted ${s.goal.accepted}, not accepted (proposed or declined) ${s.goal.notAccepted}${s.goal.unknown ? `, not known ${s.goal.unknown}` : ''}`,
      );
    if (s.approvedNotStarted.length)
      out.push(
        `  approved but not started: ${s.approvedNotStarted.map((b) => `${b.name} (${b.priority}, ${b.assignee ?? 'unassigned'})`).join(', ')}`,
      );
    if (s.goalNotAccepted.length)
      out.push(
        `  goal proposed, not accepted (not planned): ${s.goalNotAccepted.map((b) => `${b.name} (${b.priority}, ${b.definitionStatus})`).join(', ')}`,
      );
    for (const b of s.blueprints)
      out.push(
        `  ${b.priority.padEnd(10)} ${b.name}${s.series !== null && b.seriesGoalAccepted === false ? ' (goal not accepted)' : ''} — ${b.implementationStatus}, ${b.definitionStatus}, ${b.assignee ?? 'unassigned'}; changes ${b.changes.merged} merged, ${b.changes.open} open; ${b.commits} commit(s)`,
      );
  }
  return out.join('\n') + '\n';
}

export function renderBugBlueprintsCsv(r: BugBlueprintsReport): string {
  return toCsv(
    [
      'series',
      'project',
      'name',
      'priority',
      'assignee',
      'definition',
      'implementation',
      'lifecycle',
      'approved_not_started',
      'merged_changes',
      'open_changes',
      'commits',
      'series_goal_accepted',
    ],
    r.seriesList.flatMap((s) =>
      s.blueprints.map((b) => [
        s.series ?? '',
        b.project,
        b.name,
        b.priority,
        b.assignee ?? '',
        b.definitionStatus,
        b.implementationStatus,
        b.lifecycleStatus,
        s.approvedNotStarted.includes(b) ? 'yes' : 'no',
        b.changes.merged,
        b.changes.open,
        b.commits,
        b.seriesGoalAccepted === null ? '' : b.seriesGoalAccepted ? 'yes' : 'no',
      ]),
    ),
  );
}
