/**
 * `steward dashboard` as text and CSV (JSON is the result object).
 */
import type { DashboardResult } from '../analysis/gerrit-query/dashboard.js';
import { toCsv } from './csv.js';

export type DashboardView = { name: string; origin: string; projects: string[] } & DashboardResult;

const STATE: Record<string, string> = {
  reviewers: 'reviewers',
  author: 'author',
  ci: 'CI',
  approved: 'approved',
  wip: 'WIP',
  closed: 'closed',
};

export function renderDashboardText(r: DashboardView, show = 20): string {
  const lines = [
    `${r.title}${r.description ? ` — ${r.description}` : ''}`,
    `(${r.name}, ${r.origin}; ${r.projects.join(', ')}; as of ${r.now.replace('.000Z', 'Z')})`,
  ];
  if (r.foreach) lines.push(`for each: ${r.foreach}`);
  for (const s of r.sections) {
    lines.push('', `${s.name}: ${s.count}${s.limit !== null ? ` (limit ${s.limit})` : ''}`, `  ${s.query}`);
    for (const c of s.changes.slice(0, show)) {
      lines.push(
        `  ${String(c.number).padStart(8)}  ${`${c.updatedDays} d`.padStart(8)}  ${(STATE[c.state] ?? c.state).padEnd(9)} ${c.owner.slice(0, 16).padEnd(16)} ${c.subject.slice(0, 56).padEnd(56)}  ${c.url ?? ''}`,
      );
    }
    if (s.changes.length > show) lines.push(`  … ${s.changes.length - show} more (--show N, or --format json)`);
  }
  lines.push(
    '',
    'Columns: change, days since the last update, what it waits on, owner, subject, link. Query language: docs/dashboards.md, section "Dashboards".',
  );
  return lines.join('\n') + '\n';
}

export function renderDashboardCsv(r: DashboardView): string {
  return toCsv(
    ['section', 'number', 'project', 'branch', 'updated_days', 'state', 'owner', 'subject', 'url'],
    r.sections.flatMap((s) =>
      s.changes.map((c) => [s.name, c.number, c.project, c.branch, c.updatedDays, c.state, c.owner, c.subject, c.url]),
    ),
  );
}

export function renderDashboardList(list: ReadonlyArray<{ name: string; title: string; sections: number; origin: string }>): string {
  const lines = ['Dashboards (steward dashboard NAME):'];
  for (const d of list) lines.push(`  ${d.name.padEnd(20)} ${d.title} — ${d.sections} sections (${d.origin})`);
  return lines.join('\n') + '\n';
}
