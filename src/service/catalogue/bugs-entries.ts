/**
 * The bug reports (issue 15): `steward bugs backlog|rota|targets`, `/api/v1/bugs/…`. Backlog and
 * targets name bugs, so who reads them matters (restricted bugs only for readers allowed
 * `bugs.private.read`): their results are per reader. docs/bugs.md defines every figure.
 */
import {
  renderBugBlueprintsCsv,
  renderBugBlueprintsText,
  renderBugBacklogCsv,
  renderBugBacklogText,
  renderBugRotaCsv,
  renderBugRotaText,
  renderBugTargetsCsv,
  renderBugTargetsText,
} from '../../report/bugs-report.js';
import { optionalInt } from './common-params.js';
import { cliOnly, flag, inStore, int, names, paramSchema, text, time } from './param-schema.js';
import { defineReport, lazyBuild } from './report-entry.js';

const now = time('report as of this time instead of the current time', '<time>');
const weeks = int('weeks of history in the weekly series (default 26)', 520);
const includePrivate = cliOnly(
  flag('name private and security bugs too (the command line reads the store itself; the web decides by role)'),
);

export const bugsBacklogReport = defineReport({
  name: 'bugsBacklog',
  params: paramSchema({
    project: names('Launchpad project (repeat for several; default: bugs.launchpad.projects, else all stored)'),
    weeks,
    now,
    includePrivate,
  }),
  resolve: (i, ctx) => ({
    project: i.project,
    weeks: optionalInt(i.weeks, 'weeks', ctx, 520) ?? 26,
    includePrivate: Boolean(i.includePrivate),
    limit: 1000,
  }),
  needs: ['bugs'],
  action: 'read',
  cache: 'per-reader',
  build: lazyBuild(() => import('../bugs-view.js'), 'buildBugBacklogView'),
  render: { text: renderBugBacklogText, csv: renderBugBacklogCsv },
  cli: {
    command: ['bugs', 'backlog'],
    description:
      'open bugs by status and importance, age, untriaged trend, time to triage and to fix, In Progress bugs nobody works on, fixes merged on open bugs, areas, opened vs fixed per week',
  },
});

export const bugsRotaReport = defineReport({
  name: 'bugsRota',
  params: paramSchema({
    project: names('Gerrit project whose changes count (repeat for several; default: all)'),
    weeks,
    limit: int('queue entries shown (default 50)', 10_000),
    now,
  }),
  resolve: (i, ctx) => ({
    project: i.project,
    weeks: optionalInt(i.weeks, 'weeks', ctx, 520) ?? 26,
    includePrivate: false,
    limit: optionalInt(i.limit, 'limit', ctx, 10_000) ?? 50,
  }),
  needs: ['changes'],
  action: 'read',
  cache: 'shared',
  build: lazyBuild(() => import('../bugs-view.js'), 'buildBugRotaView'),
  render: { text: renderBugRotaText, csv: renderBugRotaCsv },
  cli: {
    command: ['bugs', 'rota'],
    description:
      'the trivial-fix rota (steward.yaml bugs.rota, bugs.trivial): the queue now, per week what was cleared and who was active, and whether the trivial path gets reverted more',
  },
});

export const bugsTargetsReport = defineReport({
  name: 'bugsTargets',
  params: paramSchema({
    project: names('Launchpad project (repeat for several; default: bugs.launchpad.projects, else all stored)'),
    limit: int('targets listed (default 30)', 10_000),
    now,
    includePrivate,
  }),
  resolve: (i, ctx) => ({
    project: i.project,
    weeks: 26,
    includePrivate: Boolean(i.includePrivate),
    limit: optionalInt(i.limit, 'limit', ctx, 10_000) ?? 30,
  }),
  needs: ['bugs'],
  action: 'read',
  cache: 'per-reader',
  build: lazyBuild(() => import('../bugs-view.js'), 'buildBugTargetsView'),
  render: { text: renderBugTargetsText, csv: renderBugTargetsCsv },
  cli: {
    command: ['bugs', 'targets'],
    description: 'open high-importance bugs nobody works on, ranked, with the evidence and who fixed bugs in the same area before',
  },
});

export const bugsBlueprintsReport = defineReport({
  name: 'bugsBlueprints',
  params: paramSchema({
    project: names('Launchpad project (repeat for several; default: bugs.launchpad.projects, else all stored)'),
    series: inStore('series', text('only the blueprints that are goals of this series', 100, '<series>')),
  }),
  resolve: (i) => ({ project: i.project, series: i.series || undefined }),
  needs: ['bugs'],
  action: 'read',
  cache: 'shared',
  build: lazyBuild(() => import('../bugs-view.js'), 'buildBugBlueprintsView'),
  render: { text: renderBugBlueprintsText, csv: renderBugBlueprintsCsv },
  cli: {
    command: ['bugs', 'blueprints'],
    description:
      'Launchpad blueprints per series goal: counts by implementation and definition status, each with the changes and commits naming it, and the approved ones not started',
  },
});
