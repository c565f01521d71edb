/** `steward people companies`, `/api/v1/people/companies`: commits, merged changes and reviews per company. */
import { toCsv } from '../../report/csv.js';
import { names, paramSchema, text } from './param-schema.js';
import { defineReport } from './report-entry.js';

export const companiesReport = defineReport({
  name: 'companies',
  params: paramSchema({
    release: text('one release window (default: the whole history)', 100, '<name>'),
    project: names('Gerrit project whose merged changes count (repeat for several; default: all)'),
  }),
  resolve: (i, ctx) => ({ release: i.release ?? null, project: i.project, cwd: ctx.cwd }),
  needs: ['git', 'changes'],
  action: 'read',
  cache: 'shared',
  build: async (store, p, config) => (await import('../companies-view.js')).buildCompaniesView(store, p, config),
  render: {
    text: (v) =>
      [
        `Commits, merged changes and reviews per company${v.release ? ` in ${v.release}'s window` : ''} (people, not addresses; bots left out)`,
        '',
        `${'company'.padEnd(30)}${'commits'.padStart(9)}${'changes'.padStart(9)}${'reviews'.padStart(9)}${'people'.padStart(8)}${'guessed'.padStart(9)}`,
        ...v.rows.map(
          (r) =>
            `${(r.company ?? '(unknown)').padEnd(30)}${String(r.commits).padStart(9)}${String(r.changes).padStart(9)}${String(r.reviews).padStart(9)}${String(r.people).padStart(8)}${String(r.guessed).padStart(9)}`,
        ),
        '',
        `Reviews as steward reviewers counts them. guessed: attributed by the e-mail domain, not a recorded affiliation. Affiliations: ${v.sources.affiliations}.`,
      ].join('\n') + '\n',
    csv: (v) =>
      toCsv(
        ['company', 'commits', 'changes', 'reviews', 'people', 'guessed'],
        v.rows.map((r) => [r.company, r.commits, r.changes, r.reviews, r.people, r.guessed]),
      ),
  },
  cli: {
    command: ['people', 'companies'],
    description:
      "commits, merged changes and reviews per company, each at its author's (reviewer's) company at the time (recorded, else an e-mail domain guess)",
  },
});
