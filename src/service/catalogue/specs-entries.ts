/** `steward specs report`, `/api/v1/specs/report`: why approved specs do not land. */
import { renderSpecsReportCsv, renderSpecsReportText } from '../../report/specs-report.js';
import { names, paramSchema, text, time } from './param-schema.js';
import { defineReport, lazyBuild } from './report-entry.js';

export const specsReport = defineReport({
  name: 'specs',
  params: paramSchema({
    release: text('one release in detail (a specs directory name like kilo or 2023.1, or its code name)', 100, '<name>'),
    project: names('Gerrit project whose changes count (repeat for several; default: all)'),
    now: time('report as of this time', '<time>'),
  }),
  resolve: (i) => ({ release: i.release ?? null, project: i.project }),
  needs: ['specs'],
  action: 'read',
  cache: 'shared',
  build: lazyBuild(() => import('../specs-report-view.js'), 'buildSpecsReportView'),
  render: { text: renderSpecsReportText, csv: renderSpecsReportCsv },
  cli: {
    command: ['specs', 'report'],
    description:
      'per release: approved, implemented, and why each spec that did not land did not, with the evidence; a table over all releases without --release',
  },
});
