/** `steward history`, `/api/v1/history`: the code history per release window (git alone, review side when present). */
import { renderHistoryCsv, renderHistoryText } from '../../report/history-report.js';
import { checkRelease } from '../releases.js';
import { paramSchema, text, time } from './param-schema.js';
import { defineReport, lazyBuild } from './report-entry.js';

export const historyReport = defineReport({
  name: 'history',
  params: paramSchema({
    release: text('one release window in detail, with its neighbours and its weeks (a name like liberty or 2023.1)', 100, '<name>'),
    repo: text('one synced repository (its name in `steward git sync`; default: all)', 200, '<name>'),
    now: time('report as of this time', '<time>'),
  }),
  resolve: (i, ctx) => {
    if (i.release) checkRelease(i.release, ctx.config, ctx.surface.name('release'));
    return { release: i.release ?? null, repo: i.repo ?? null };
  },
  needs: ['git'],
  action: 'read',
  cache: 'shared',
  build: lazyBuild(() => import('../history-view.js'), 'buildHistoryView'),
  render: { text: renderHistoryText, csv: renderHistoryCsv },
  cli: {
    command: ['history'],
    description:
      'the code history per release window: commits landed, backports, fast-forwards, authors (new, retained), author-to-landing time, bugs and blueprints named',
  },
});
