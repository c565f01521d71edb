/** Text renderings of the security tracker (docs/security.md); JSON is the views themselves. */
import type { SecurityRosterView } from '../analysis/security-roster.js';
import type { SecurityItemView, SecurityListView } from '../model/security.js';

const flagText = (f: string, left: number | null) =>
  f === 'past-cap' ? `PAST CAP by ${-(left ?? 0)} d` : f === 'near-cap' ? `near cap: ${left} d left` : f === 'ok' ? `${left} d left` : '';

export function renderSecurityListText(v: SecurityListView): string {
  if (v.items.length === 0) return 'No security items you may see.\n';
  const lines = v.items.map(
    (i) =>
      `${i.id}  ${i.state.padEnd(22)} ${i.cvssScore === null ? '   -' : i.cvssScore.toFixed(1).padStart(4)} ${String(i.ageDays).padStart(4)} d  ${flagText(i.capFlag, i.daysLeft).padEnd(22)} ${i.project}: ${i.title}`,
  );
  return `id          state                  cvss  age  embargo (cap ${v.embargoCapDays} d)       report\n${lines.join('\n')}\n`;
}

export function renderSecurityItemText(v: SecurityItemView): string {
  const i = v.item;
  const out = [
    `${i.id}: ${i.text.title}`,
    `project ${i.text.project} · state ${i.state} · received ${i.received.slice(0, 10)} · age ${v.embargo.ageDays} d ${flagText(v.embargo.flag, v.embargo.daysLeft)}`,
    i.cvssVector ? `severity ${i.cvssScore} (${i.severity}) ${i.cvssVector}` : 'severity: not triaged',
    `releases ${i.text.releases.join(', ') || '-'} · branches ${i.text.branches.join(', ') || '-'} · CVE ${i.text.cve ?? '-'} · disclosure ${i.disclosureDate ?? '-'}`,
    i.assignee ? `assigned to ${i.assignee}` : 'unassigned',
    '',
    i.text.description,
    '',
    'History:',
    ...v.transitions.map(
      (t) => `  ${t.at.slice(0, 16).replace('T', ' ')}  ${t.actor.padEnd(12)} ${t.from ?? '-'} → ${t.to}${t.note ? `: ${t.note}` : ''}`,
    ),
  ];
  if (v.patches.length) {
    out.push('Private patches:');
    for (const p of v.patches)
      out.push(
        `  #${p.id} ${p.branch} by ${p.author} ${p.at.slice(0, 10)} ${p.reviews.map((r) => `${r.vote > 0 ? '+1' : '-1'} ${r.reviewer}`).join(', ')}`,
      );
  }
  if (v.grants) {
    out.push('Shared with:');
    for (const g of v.grants)
      out.push(
        `  ${g.user} (${g.kind}) by ${g.grantedBy} ${g.granted.slice(0, 10)}${g.revoked ? `, revoked ${g.revoked.slice(0, 10)} by ${g.revokedBy}` : ''}`,
      );
  }
  if (v.next.length) out.push(`Next: ${v.next.join(', ')}`);
  return out.join('\n') + '\n';
}

export function renderRosterText(r: SecurityRosterView): string {
  const out = [
    `Security team: ${r.team.size} of at most ${r.team.max}${r.team.overMax ? ' — OVER THE MAXIMUM' : ''} (as of ${r.now.slice(0, 10)})`,
    '',
    'member        90 d: triage steps patches reviews | 180 d: triage steps patches reviews | first response (90 d)',
  ];
  for (const m of r.members) {
    const [a, b] = m.windows;
    out.push(
      `${m.name.padEnd(13)} ${String(a.triage).padStart(11)} ${String(a.steps).padStart(5)} ${String(a.patches).padStart(7)} ${String(a.reviews).padStart(7)} | ${String(b.triage).padStart(13)} ${String(b.steps).padStart(5)} ${String(b.patches).padStart(7)} ${String(b.reviews).padStart(7)} | ${a.medianFirstResponseDays === null ? '-' : `${a.medianFirstResponseDays} d`} (${a.answered}/${a.assigned})`,
    );
  }
  out.push('', `Hasn't had time recently (no security activity in ${r.rules.inactiveDays} days):${r.inactive.length ? '' : ' nobody'}`);
  for (const m of r.members.filter((x) => x.inactive)) out.push(`  ${m.name}: ${m.evidence}`);
  out.push('', `Open embargoed items (cap ${r.rules.embargoCapDays} d, flagged ${r.rules.embargoWarnDays} d before):`);
  if (r.open.length === 0) out.push('  none');
  for (const o of r.open) out.push(`  ${o.id}  ${o.state.padEnd(22)} ${String(o.ageDays).padStart(4)} d  ${flagText(o.flag, o.daysLeft)}`);
  out.push('', 'Per report (days from arrival): first response, first patch, disclosure');
  for (const p of r.reports)
    out.push(
      `  ${p.id}  ${p.state.padEnd(22)} ${p.received.slice(0, 10)}  ${p.firstResponseDays ?? '-'}  ${p.fixDays ?? '-'}  ${p.disclosureDays ?? '-'}`,
    );
  if (r.teamChanges.length) {
    out.push('', 'Team changes:');
    for (const c of r.teamChanges) out.push(`  ${c.at.slice(0, 10)} ${c.event} ${c.member} by ${c.actor ?? '-'}${c.self ? ' (self)' : ''}`);
  }
  return out.join('\n') + '\n';
}
