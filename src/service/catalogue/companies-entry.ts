/** `steward people companies`, `/api/v1/people/companies`: commits, merged changes and reviews per company. */
import { toCsv } from '../../report/csv.js';
import { paramSchema, text } from './param-schema.js';
import { defineReport } from './report-entry.js';
import { WINDOW_PARAMS } from './common-params.js';
import { activityWindowParams } from './people-entry.js';
import { activityWindowText } from '../../report/people-report.js';

export const companiesReport = defineReport({
  name: 'companies',
  params: paramSchema({
    release: text("one release's window (instead of --days, --since, --until)", 100, '<name>'),
    ...WINDOW_PARAMS,
  }),
  resolve: (i, ctx) => ({ ...activityWindowParams(i, ctx), project: i.project, cwd: ctx.cwd }),
  needs: ['git', 'changes'],
  action: 'read',
  cache: 'shared',
  build: async (store, p, config) => (await import('../companies-view.js')).buildCompaniesView(store, p, config),
  render: {
    text: (v, i) =>
      [
        `Commits, merged changes and reviews per company in ${activityWindowText(v)} (people, not addresses; bots left out)`,
        '',
        `${'company'.padEnd(30)}${'commits'.padStart(9)}${'changes'.padStart(9)}${'reviews'.padStart(9)}${'people'.padStart(8)}${'guessed'.padStart(9)}`,
        ...v.rows.map(
          (r) =>
            `${(r.company ?? '(unknown)').padEnd(30)}${String(r.commits).padStart(9)}${String(r.changes).padStart(9)}${String(r.reviews).padStart(9)}${String(r.people).padStart(8)}${String(r.guessed).padStart(9)}`,
        ),
        '',
        `Reviews as steward reviewers counts them; changes and reviews on ${i.project?.length ? i.project.join(', ') : 'every project'}, commits of every synced repository. guessed: attributed by the e-mail domain, not a recorded affiliation. Affiliations: ${v.sources.affiliations}.`,
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
