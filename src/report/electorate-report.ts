/** Text and CSV of the electorate (`steward electorate`); JSON is the view itself. */
import type { Electorate } from '../analysis/electorate.js';
import { toCsv } from './csv.js';

/** The electorate as `--format json` prints it and `/api/v1/electorate` returns it. */
export interface ElectorateView extends Electorate {
  kind: 'electorate';
  now: string;
  calendar: { source: string };
  /** What the list rests on, said as it is. */
  sources: { contributions: string; people: string[] };
}

/** The text form: the rule, the window, one line per voter with the evidence. */
export function renderElectorateText(v: ElectorateView): string {
  const lines = [
    `Electorate for ${v.release}: ${v.voters.length} people (${v.window.releases.join(', ')}: ${v.window.start.slice(0, 10)} to ${v.window.end.slice(0, 10)}, exclusive)`,
    `Rule: ${v.rule.text}. Bots are never voters (${v.botContributions} bot contributions left out). One line per person, not per address.`,
    '',
  ];
  for (const x of v.voters)
    lines.push(
      `${(x.name ?? '(no name)').padEnd(30)} ${(x.preferredEmail ?? '-').padEnd(36)} ${String(x.contributions).padStart(4)}  first ${x.first.kind} ${x.first.ref.slice(0, 40)} ${x.first.at.slice(0, 10)}; last ${x.last.kind} ${x.last.ref.slice(0, 40)} ${x.last.at.slice(0, 10)}`,
    );
  if (v.counts.length)
    lines.push('', 'Voters per release under the same rule:', ...v.counts.map((c) => `  ${c.release.padEnd(10)} ${c.voters}`));
  lines.push('', `Contributions: ${v.sources.contributions}.`, `People: ${v.sources.people.join('; ')}.`);
  return lines.join('\n') + '\n';
}

/** The CSV an election official needs: name and preferred e-mail, with the evidence. */
export function renderElectorateCsv(v: ElectorateView): string {
  return toCsv(
    ['name', 'preferred_email', 'person', 'contributions', 'first_kind', 'first_ref', 'first_at', 'last_kind', 'last_ref', 'last_at'],
    v.voters.map((x) => [
      x.name,
      x.preferredEmail,
      x.person,
      x.contributions,
      x.first.kind,
      x.first.ref,
      x.first.at,
      x.last.kind,
      x.last.ref,
      x.last.at,
    ]),
  );
}
