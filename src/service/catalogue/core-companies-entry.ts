/** `steward core companies`, `/api/v1/core/companies`: the core team's make-up by company against coreRules.maxPerCompany. */
import { toCsv } from '../../report/csv.js';
import { names, paramSchema, time } from './param-schema.js';
import { defineReport, lazyBuild } from './report-entry.js';

export const coreCompaniesReport = defineReport({
  name: 'coreCompanies',
  params: paramSchema({
    project: names('project (repeat for several; default: all)'),
    now: time('the core team as of this time', '<time>'),
  }),
  resolve: (i, ctx) => ({ project: i.project, cwd: ctx.cwd }),
  needs: ['changes'],
  action: 'read',
  cache: 'shared',
  build: lazyBuild(() => import('../core-companies-view.js'), 'buildCoreCompaniesView'),
  render: {
    text: (v) =>
      [
        `Core team by company at ${v.at.slice(0, 10)}: ${v.cores} people${v.limit !== null ? `; limit ${v.limit} per company (coreRules.maxPerCompany)` : '; no limit set (coreRules.maxPerCompany)'}`,
        '',
        ...v.companies.map(
          (c) =>
            `${(c.company ?? '(unknown)').padEnd(28)}${String(c.cores).padStart(4)}${c.overLimit ? '  OVER THE LIMIT' : ''}  ${c.members.map((m) => `${m.name ?? m.person}${m.basis === 'domain-guess' ? ' (guess)' : ''}`).join(', ')}`,
        ),
        '',
        `Core team: ${v.sources.coreTeam}. Affiliations: ${v.sources.affiliations}.`,
      ].join('\n') + '\n',
    csv: (v) =>
      toCsv(
        ['company', 'cores', 'over_limit', 'members'],
        v.companies.map((c) => [c.company, c.cores, c.overLimit, c.members.map((m) => m.name ?? m.person).join('; ')]),
      ),
  },
  cli: {
    command: ['core', 'companies'],
    description: "the core team's make-up by company (people, at their company then) against coreRules.maxPerCompany",
  },
});
