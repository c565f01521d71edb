/**
 * Initiatives: one's status (`steward initiative status NAME`, `/api/v1/initiatives/NAME`), its
 * one-page brief (`steward initiative brief NAME --format markdown`: the same JSON), and the list
 * (`steward initiative list`, `/api/v1/initiatives`).
 */
import {
  renderInitiativeBrief,
  renderInitiativeCsv,
  renderInitiativesList,
  renderInitiativeText,
} from '../../report/initiatives-report.js';
import { names, paramSchema, time } from './param-schema.js';
import { defineReport, lazyBuild } from './report-entry.js';

const statusParams = paramSchema({
  project: names('only changes of this project (repeat for several; default: all)'),
  now: time('report as of this time instead of the current time (where did it stand then?)', '<time>'),
});

export const initiativeStatusReport = defineReport({
  name: 'initiativeStatus',
  params: statusParams,
  resolve: (i, ctx) => ({ name: ctx.path.name ?? '', project: i.project }),
  action: 'read',
  cache: 'shared',
  build: lazyBuild(() => import('../initiatives-view.js'), 'buildInitiativeView'),
  render: { text: renderInitiativeText, csv: renderInitiativeCsv },
});

export const initiativeBriefReport = defineReport({
  name: 'initiativeBrief',
  params: statusParams,
  resolve: (i, ctx) => ({ name: ctx.path.name ?? '', project: i.project }),
  action: 'read',
  cache: 'shared',
  build: lazyBuild(() => import('../initiatives-view.js'), 'buildInitiativeView'),
  // The brief's text form is Markdown.
  render: { text: renderInitiativeBrief },
});

export const initiativeListReport = defineReport({
  name: 'initiativeList',
  params: paramSchema({}),
  resolve: () => ({}),
  action: 'read',
  cache: 'shared',
  build: async (store, _p, config) => (await import('../initiatives-view.js')).buildInitiativesList(store, config),
  render: { text: renderInitiativesList },
});
