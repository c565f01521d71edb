/** A release's priorities: the report (`steward priorities report`, `/api/v1/priorities`) and the list (`steward priorities list`, `/api/v1/priorities/list`). */
import { StewardError } from '../../model/errors.js';
import { renderPrioritiesCsv, renderPrioritiesList, renderPrioritiesText } from '../../report/priorities-report.js';
import { names, paramSchema, text, time } from './param-schema.js';
import { defineReport, lazyBuild } from './report-entry.js';

export const prioritiesReport = defineReport({
  name: 'priorities',
  params: paramSchema({
    release: text('the release (one of steward.yaml `releases`)', 100, '<name>'),
    project: names('project (repeat for several; default: all)'),
    now: time('report as of this time instead of the current time', '<time>'),
  }),
  check: (i, s) => {
    if (i.release) return;
    if (s.kind === 'cli')
      throw new StewardError('USAGE', `give the release with ${s.example('release', 'NAME')} (one of steward.yaml \`releases\`)`);
    throw new StewardError('USAGE', `${s.name('release')} is required: the release whose priorities to report`, {
      hint: 'See /api/v1/priorities/list for the releases with priorities.',
    });
  },
  resolve: (i) => ({ release: i.release ?? '', project: i.project }),
  needs: ['changes'],
  action: 'read',
  cache: 'shared',
  build: lazyBuild(() => import('../priorities-view.js'), 'buildPrioritiesView'),
  render: { text: renderPrioritiesText, csv: renderPrioritiesCsv },
  cli: {
    command: ['priorities', 'report'],
    // The default, so `steward priorities --release R` (the form issue 6 names) is the report.
    isDefault: true,
    description:
      '(default) per priority of the release: changes proposed, merged, open, reviews, median wait for review against the rest of the release',
  },
});

export const prioritiesListReport = defineReport({
  name: 'prioritiesList',
  params: paramSchema({
    release: text('only this release', 100, '<name>'),
    // The list does not depend on the time; `now` fixes the envelope's, so its JSON can be reproduced.
    now: time('report as of this time instead of the current time', '<time>'),
  }),
  resolve: (i) => ({ release: i.release }),
  action: 'read',
  cache: 'shared',
  build: async (store, p, config) => (await import('../priorities-view.js')).buildPrioritiesList(store, p, config),
  render: { text: renderPrioritiesList },
  cli: {
    command: ['priorities', 'list'],
    description: "the priorities of steward.yaml and of the store (steward.yaml's win on a clash of title)",
    formats: ['text', 'json'],
    csvRefused: '--format: priorities list is text or json',
  },
});
