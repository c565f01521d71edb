/**
 * `steward security advisories` (`/api/v1/security/advisories`) and `steward security candidates`
 * (`/api/v1/security/candidates`): published advisories and the people doing public security work.
 * Both read only public data (published advisories, public reviews): results are shared.
 */
import {
  renderSecurityAdvisoriesCsv,
  renderSecurityAdvisoriesText,
  renderSecurityCandidatesCsv,
  renderSecurityCandidatesText,
} from '../../report/security-advisories-report.js';
import { optionalInt, windowOf, WINDOW_PARAMS } from './common-params.js';
import { int, names, paramSchema, time } from './param-schema.js';
import { defineReport, lazyBuild } from './report-entry.js';

export const securityAdvisoriesReport = defineReport({
  name: 'securityAdvisories',
  params: paramSchema({
    product: names('only advisories affecting this product (repeat for several; default: all)', '<product>'),
    earlyDays: int('a fix landing more than N days before the advisory is flagged (default 30)', 3650),
    lateDays: int('a backport merging more than N days after the advisory is flagged (default 30)', 3650),
    now: time('report as of this time', '<time>'),
  }),
  resolve: (i, ctx) => ({
    product: i.product ?? [],
    earlyDays: optionalInt(i.earlyDays, 'earlyDays', ctx, 3650),
    lateDays: optionalInt(i.lateDays, 'lateDays', ctx, 3650),
  }),
  needs: ['advisories'],
  action: 'read',
  cache: 'shared',
  build: lazyBuild(() => import('../security-advisories-view.js'), 'buildSecurityAdvisoriesView'),
  render: { text: renderSecurityAdvisoriesText, csv: renderSecurityAdvisoriesCsv },
  cli: {
    command: ['security', 'advisories'],
    description:
      'published advisories per product and year: CVEs, reporters, fixes linked in the code history, fix-to-advisory time, early fixes and late backports',
  },
});

export const securityCandidatesReport = defineReport({
  name: 'securityCandidates',
  params: paramSchema({
    ...WINDOW_PARAMS,
    areaDepth: int('directory depth of a security area (default 2)', 10),
    exclude: names('leave out this person: the security team (Gerrit username or account id; repeat)', '<who>'),
  }),
  resolve: (i, ctx) => ({
    project: i.project ?? [],
    window: windowOf(i, ctx, 180),
    areaDepth: optionalInt(i.areaDepth, 'areaDepth', ctx, 10),
    exclude: i.exclude ?? [],
  }),
  needs: ['changes'],
  action: 'read',
  cache: 'shared',
  build: lazyBuild(() => import('../security-candidates-view.js'), 'buildSecurityCandidatesView'),
  render: { text: renderSecurityCandidatesText, csv: renderSecurityCandidatesCsv },
  cli: {
    command: ['security', 'candidates'],
    description:
      'people doing public security work (fixes and reviews of disclosed security bugs, work in the areas past fixes touched), ranked with evidence',
    formatAfter: 'exclude',
  },
});
