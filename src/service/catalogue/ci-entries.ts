/** The CI-health reports: `steward ci jobs|voting-readiness|experimental`, `/api/v1/ci/…`, and the three together for the CI page (`/api/v1/ci`). */
import {
  renderCiJobsCsv,
  renderCiJobsText,
  renderExperimentalCsv,
  renderExperimentalText,
  renderReadinessCsv,
  renderReadinessText,
} from '../../report/ci-report.js';
import type { CiParams } from '../ci-gather.js';
import { WINDOW_PARAMS, windowOf } from './common-params.js';
import { StewardError } from '../../model/errors.js';
import { choice, inStore, names, paramSchema, type Surface } from './param-schema.js';
import { defineReport, lazyBuild, type ResolveContext } from './report-entry.js';

/** How many runs each evidence list of a job shows unless `--evidence all` (a large store has thousands of false failures per job). */
export const EVIDENCE_LIMIT = 20;

const ciParams = (
  i: { project?: string[]; pipeline?: string[]; job?: string[]; days?: string; since?: string; until?: string; evidence?: string },
  ctx: ResolveContext,
): CiParams => ({
  project: i.project,
  window: windowOf(i, ctx, 90),
  pipeline: i.pipeline,
  job: i.job,
  evidenceLimit: i.evidence === 'all' ? null : EVIDENCE_LIMIT,
});

/** `--evidence` takes only `all` (the web's schema refuses other values itself). */
function checkEvidence(i: { evidence?: string }, s: Surface): void {
  if (i.evidence !== undefined && i.evidence !== 'all') {
    throw new StewardError('USAGE', `${s.name('evidence')} must be "all", not "${i.evidence}"`, {
      hint: `Leave ${s.name('evidence')} out for the first ${EVIDENCE_LIMIT} runs of each list with how many are left out.`,
    });
  }
}

const evidence = choice(
  ['all'],
  `list every run behind the counts (default: the first ${EVIDENCE_LIMIT} false failures and caught regressions per job, with how many are left out)`,
  '<all>',
);

export const ciJobsReport = defineReport({
  name: 'ciJobs',
  params: paramSchema({
    ...WINDOW_PARAMS,
    pipeline: inStore('pipeline', names('only runs in this pipeline (repeat for several; default: all)')),
    job: inStore('job', names('only this job (repeat for several)')),
    evidence,
  }),
  check: checkEvidence,
  resolve: ciParams,
  needs: ['ci'],
  action: 'read',
  cache: 'shared',
  build: lazyBuild(() => import('../ci-jobs-view.js'), 'buildCiJobsView'),
  render: { text: renderCiJobsText, csv: renderCiJobsCsv },
  cli: {
    command: ['ci', 'jobs'],
    description:
      'per job: runs, failures by result, failure and false-failure rates (95% CI), caught regressions, rechecks, durations, weekly trend',
  },
});

export const ciReadinessReport = defineReport({
  name: 'ciReadiness',
  params: paramSchema({
    ...WINDOW_PARAMS,
    job: inStore('job', names('only this job (repeat for several; any job, voting or not)')),
    evidence,
  }),
  check: checkEvidence,
  resolve: ciParams,
  needs: ['ci'],
  action: 'read',
  cache: 'shared',
  build: lazyBuild(() => import('../ci-readiness-view.js'), 'buildCiReadinessView'),
  render: { text: renderReadinessText, csv: renderReadinessCsv },
  cli: {
    command: ['ci', 'voting-readiness'],
    description: 'for each non-voting job: false-failure rate beside the voting baseline, weeks meeting the bar, verdict',
  },
});

export const ciExperimentalReport = defineReport({
  name: 'ciExperimental',
  params: paramSchema({ ...WINDOW_PARAMS, job: inStore('job', names('only this job (repeat for several)')), evidence }),
  check: checkEvidence,
  resolve: ciParams,
  needs: ['ci'],
  action: 'read',
  cache: 'shared',
  build: lazyBuild(() => import('../ci-experimental-view.js'), 'buildCiExperimentalView'),
  render: { text: renderExperimentalText, csv: renderExperimentalCsv },
  cli: {
    command: ['ci', 'experimental'],
    description: 'jobs run only on request: how often requested, results, ready for the check queue?',
  },
});

/** The three CI reports from one gathering (the CI page); no pipeline: voting readiness and experimental take none. */
export const ciReport = defineReport({
  name: 'ci',
  params: paramSchema({ ...WINDOW_PARAMS, job: inStore('job', names('only this job (repeat for several)')), evidence }),
  check: checkEvidence,
  resolve: ciParams,
  needs: ['ci'],
  action: 'read',
  cache: 'shared',
  build: lazyBuild(() => import('../ci-views.js'), 'buildCiViews'),
});
