/** `steward electorate --release R`, `/api/v1/electorate`: who may vote (leads and admins only: it lists e-mail addresses). */
import { StewardError } from '../../model/errors.js';
import { renderElectorateCsv, renderElectorateText } from '../../report/electorate-report.js';
import { names, paramSchema, text, time } from './param-schema.js';
import { defineReport, lazyBuild } from './report-entry.js';

export const electorateReport = defineReport({
  name: 'electorate',
  params: paramSchema({
    release: text('the release the vote is for (the rule counts the cycles ending at it)', 100, '<name>'),
    project: names('Gerrit project whose merged changes count (repeat for several; default: all)'),
    now: time('report as of this time', '<time>'),
  }),
  check: (i, surface) => {
    if (!i.release)
      throw new StewardError('USAGE', `${surface.name('release')} is required`, {
        hint: `Give the release the vote is for: ${surface.example('release', 'NAME')}.`,
      });
  },
  resolve: (i, ctx) => ({ release: i.release!, project: i.project, cwd: ctx.cwd }),
  needs: ['git', 'changes'],
  action: 'electorate.read',
  cache: 'shared',
  build: lazyBuild(() => import('../electorate-view.js'), 'buildElectorateView'),
  render: { text: renderElectorateText, csv: renderElectorateCsv },
  cli: {
    command: ['electorate'],
    description:
      "who may vote for a release under steward.yaml's rule (default: authors of a change merged in the two cycles ending at it), one line per person with the evidence",
  },
});
