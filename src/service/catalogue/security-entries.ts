/**
 * The security team's roster as a catalogue entry (docs/security.md, "The roster"). It depends on
 * who reads it — the security team only — so it is cached per reader, never shared. It holds no
 * text of any item, so it needs no key. `steward security roster --as NAME` and
 * /api/v1/security/roster serve it (web/manage/security-routes.ts, uncached: `no-store`).
 */
import { StewardError } from '../../model/errors.js';
import { renderRosterText } from '../../report/security-report.js';
import { paramSchema, time } from './param-schema.js';
import { defineReport } from './report-entry.js';

export const securityRosterReport = defineReport({
  name: 'securityRoster',
  params: paramSchema({ now: time('report as of this time instead of the current time', '<time>') }),
  resolve: () => ({}),
  action: 'read',
  cache: 'per-reader',
  build: async (store, _params, config, now, reader) => {
    if (!reader) throw new StewardError('SECURITY_FORBIDDEN', 'not allowed: the security roster is for the security team; sign in');
    const { buildRosterFor } = await import('../security-service.js');
    return buildRosterFor({ store, box: null, clock: () => now, rules: config.config.security, ip: null }, reader);
  },
  render: { text: (r) => renderRosterText(r) },
});
