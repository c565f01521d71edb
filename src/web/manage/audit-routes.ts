/**
 * /manage/audit: the audit log, newest first, with the filters of `steward audit` as a form (GET,
 * so a filtered view is a link). Needs `audit.read` (admin). Read-only: nothing here changes data.
 */
import type { FastifyInstance } from 'fastify';
import { isStewardError } from '../../model/errors.js';
import { AUDIT_OUTCOMES, buildAuditView, parseAuditFilter, type AuditParamsText } from '../../service/audit-view.js';
import { html, type SafeHtml } from '../html.js';
import { typed } from '../typed-routes.js';
import type { ManageRoutesOptions } from './mentoring-routes.js';
import { isSecurityMember } from '../../service/security-service.js';

const param = { type: 'string', maxLength: 200 } as const;
const querySchema = {
  type: 'object',
  properties: { limit: param, event: param, actor: param, subject: param, outcome: param, since: param, until: param },
} as const;

export async function auditRoutes(app: FastifyInstance, o: ManageRoutesOptions): Promise<void> {
  const guard = app.access.require('audit.read', { kind: 'audit' });

  typed(app).get('/manage/audit', { preHandler: guard, schema: { querystring: querySchema } }, async (request, reply) => {
    // The schema's fields are the filters of `steward audit`, as text: the service's input type.
    const q: AuditParamsText = request.query;
    let error: string | null = null;
    let events: Awaited<ReturnType<typeof buildAuditView>>['events'] = [];
    try {
      events = (
        await buildAuditView(o.store, {
          ...parseAuditFilter(q, (p) => p),
          // Reads and changes of embargoed items are for the security team's eyes (steward security audit).
          ...(request.user && (await isSecurityMember(o.store, request.user.id)) ? {} : { hideFamily: 'security.item' }),
        })
      ).events;
    } catch (e) {
      if (!isStewardError(e) || e.code !== 'USAGE') throw e;
      error = e.details.hint ? `${e.message}. ${e.details.hint}` : `${e.message}.`;
    }
    const input = (name: keyof AuditParamsText, label: string, hint = '') =>
      html`<label>${label} <input name="${name}" maxlength="200" value="${q[name] ?? ''}"${hint ? html` placeholder="${hint}"` : ''}></label> `;
    const body: SafeHtml = html`${error ? html`<div class="notice error" role="alert"><p>${error}</p></div>` : ''}
<form method="get" action="/manage/audit" class="manage">
  <p>${input('event', 'Event', 'login, user.role…')}${input('actor', 'Actor')}${input('subject', 'Subject')}
  <label>Outcome <select name="outcome"><option value="">any</option>${AUDIT_OUTCOMES.map((x) => html`<option${x === q.outcome ? html` selected` : ''}>${x}</option>`)}</select></label></p>
  <p>${input('since', 'Since', '2026-11-01')}${input('until', 'Until')}${input('limit', 'At most', '50')}<button type="submit">Show</button></p>
</form>
${
  events.length === 0
    ? html`<p>No audit events match.</p>`
    : html`<table><thead><tr><th>When (UTC)</th><th>Event</th><th>Outcome</th><th>Actor</th><th>Subject</th><th>Address</th><th>Details</th></tr></thead><tbody>
${events.map((e) => html`<tr><td>${e.at.slice(0, 19).replace('T', ' ')}</td><td>${e.event}</td><td>${e.outcome}</td><td>${e.actor ?? ''}</td><td>${e.subject ?? ''}</td><td>${e.ip ?? ''}</td><td>${e.detail ? JSON.stringify(e.detail) : ''}</td></tr>`)}
</tbody></table>`
}
<p class="hint">The same list on the command line: <code>steward audit</code>.</p>`;
    return reply
      .code(error ? 400 : 200)
      .type('text/html; charset=utf-8')
      .send(app.access.page(request, 'Audit log', body));
  });
}
