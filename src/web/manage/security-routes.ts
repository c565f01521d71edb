/**
 * The embargoed vulnerability tracker on the web (docs/security.md): /security (the items the
 * reader may see and a form to report one), /security/items/:id (an item, and the forms for what
 * the reader may do to it), /security/roster and /security/team; the same as JSON under
 * /api/v1/security/. Every decision is the service's (service/security-service.ts), which asks
 * `authorize` on each request: revoking a grant or a membership ends access at once, open sessions
 * included.
 *
 * An item the reader may not see is answered exactly as an item that does not exist — the app's
 * not-found handler, after the same store reads — so status, body, headers and the log tell nothing.
 * Nothing here is cached: every response says `cache-control: no-store`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { StewardError, isStewardError } from '../../model/errors.js';
import { GRANT_KINDS, SECURITY_STATES } from '../../model/security.js';
import type { TransitionRequest } from '../../analysis/security-process.js';
import { authorize } from '../../service/authorize.js';
import { parseAuditFilter, type AuditParamsText } from '../../service/audit-view.js';
import {
  addSecurityMember,
  assignSecurityItem,
  attachSecurityPatch,
  buildRosterFor,
  exportSecurityAdvisory,
  grantSecurityItem,
  isSecurityMember,
  listSecurityItems,
  removeSecurityMember,
  reportSecurityItem,
  revokeSecurityItem,
  reviewSecurityPatch,
  securityAuditFor,
  showSecurityItem,
  transitionSecurityItem,
  type SecurityDeps,
  type SecurityItemView,
  type SecurityListView,
  type SecurityRosterView,
} from '../../service/security-service.js';
import type { Advisory } from '../../model/advisories.js';
import { listTeam } from '../../store/queries/security.js';
import type { SecretBox } from '../../store/secret-box.js';
import { refusalErrorHandler } from '../auth/login-routes.js';
import type { WebWrites } from '../../store/web-writes.js';
import { csrfField, wantsHtml } from '../auth/auth-pages.js';
import { html, type SafeHtml } from '../html.js';
import type { ManageRoutesOptions } from './mentoring-routes.js';

export interface SecurityRoutesOptions extends ManageRoutesOptions {
  /** The key's box (serve: from STEWARD_SECURITY_KEY or its file); null or absent: texts cannot be read or written. */
  securityBox?: SecretBox | null;
  /**
   * The advisory YAML writer (sources/advisories' `advisoryToYaml`, which the web layer may not
   * import: `steward serve` passes it). With it, /api/v1/security/items/:id/advisory?format=yaml
   * answers the YAML `steward security export` writes; without it, JSON only.
   */
  advisoryYaml?: (a: Advisory) => string;
  /** Where audit lines go (store/web-writes.ts; `steward serve` passes its bookkeeping connection). */
  writes?: WebWrites;
}

const str = (max: number) => ({ type: 'string', maxLength: max }) as const;
const ID = { type: 'object', properties: { id: { type: 'string', maxLength: 64 } }, required: ['id'] } as const;
const FORM = {
  type: 'object',
  properties: {
    _csrf: str(300),
    title: str(300),
    description: str(50_000),
    project: str(300),
    to: str(40),
    verdict: str(20),
    cvss: str(200),
    releases: str(2000),
    branches: str(2000),
    cve: str(40),
    date: str(20),
    recipients: str(5000),
    advisory: str(500),
    publicChanges: str(5000),
    note: str(20_000),
    user: str(100),
    kind: str(20),
    branch: str(200),
    content: str(2_000_000),
    patch: str(20),
    vote: str(4),
  },
} as const;
type Form = Partial<Record<keyof (typeof FORM)['properties'], string>>;

const list = (s: string | undefined) => (s ?? '').split(/[\s,]+/).filter(Boolean);
const lines = (s: string | undefined) =>
  (s ?? '')
    .split(/\r?\n/)
    .map((x) => x.trim())
    .filter(Boolean);

const flagText = (f: string, left: number | null) =>
  f === 'past-cap'
    ? `past the cap by ${-(left ?? 0)} days`
    : f === 'near-cap'
      ? `near the cap: ${left} days left`
      : f === 'ok'
        ? `${left} days left`
        : '';

export async function securityRoutes(app: FastifyInstance, o: SecurityRoutesOptions): Promise<void> {
  const refusal = refusalErrorHandler(app, o.store, o.clock);
  const deps = async (request: FastifyRequest): Promise<SecurityDeps> => ({
    store: o.store,
    box: o.securityBox ?? null,
    clock: o.clock,
    rules: (await o.config()).config.security,
    ip: request.ip,
    writes: o.writes,
  });
  const isApi = (request: FastifyRequest) => request.url.startsWith('/api/');

  app.addHook('onRequest', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });

  app.setErrorHandler(async (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    if (!isStewardError(error)) return refusal(error as Parameters<typeof refusal>[0], request, reply);
    // A forbidden item and a missing one: the app's own not-found answer.
    if (error.code === 'NOT_FOUND' && /^there is no security item/.test(error.message)) return reply.callNotFound();
    const status = statusOf(error);
    reply.code(status);
    const message = error.details.hint ? `${error.message}. ${error.details.hint}` : `${error.message}.`;
    if (isApi(request) || !wantsHtml(request)) return reply.send({ error: { status, code: error.code, message } });
    const back =
      request.method === 'POST' ? request.url.replace(/\/(transition|grant|revoke|assign|patch|review|add|remove)$/, '') : '/security';
    const body = html`<div class="notice error" role="alert"><p>${status < 500 && request.method === 'POST' ? 'Nothing was changed: ' : ''}${message}</p></div>
<p><a href="${back === '/security/report' || back === '/security/team' ? '/security' : back}">Back</a></p>`;
    return reply
      .type('text/html; charset=utf-8')
      .send(app.access.page(request, status === 403 ? 'Not allowed' : 'That cannot be done', body));
  });

  const signedIn = (request: FastifyRequest) => {
    if (!request.user) {
      const e = new Error('sign in first') as Error & { statusCode: number };
      e.statusCode = 401;
      throw e;
    }
    return request.user;
  };

  // ---- JSON ----
  app.get('/api/v1/security/items', async (request) => listSecurityItems(await deps(request), signedIn(request)));
  app.get<{ Params: { id: string } }>('/api/v1/security/items/:id', { schema: { params: ID } }, async (request) =>
    showSecurityItem(await deps(request), signedIn(request), request.params.id),
  );
  // A disclosed item as the advisory it publishes (as `steward security export`): the team only,
  // audited, refused before disclosure; for anyone who may not read the item, the missing-item
  // answer. A read: no form, so nothing for CSRF to forge.
  const FORMAT = { type: 'object', properties: { format: { type: 'string', enum: ['json', 'yaml'] } } } as const;
  app.get<{ Params: { id: string }; Querystring: { format?: 'json' | 'yaml' } }>(
    '/api/v1/security/items/:id/advisory',
    { schema: { params: ID, querystring: FORMAT } },
    async (request, reply) => {
      const user = signedIn(request);
      const yaml = request.query.format === 'yaml';
      if (yaml && !o.advisoryYaml)
        throw new StewardError('USAGE', 'this server writes advisories as JSON only', {
          hint: 'Leave out format=yaml, or write the YAML with `steward security export ID`.',
        });
      const advisory = await exportSecurityAdvisory(await deps(request), user, request.params.id);
      if (!yaml) return { advisory };
      return reply
        .type('application/yaml; charset=utf-8')
        .header('content-disposition', `attachment; filename="${advisory.id.replace(/[^A-Za-z0-9._-]/g, '_')}.yaml"`)
        .send(o.advisoryYaml!(advisory));
    },
  );
  app.get('/api/v1/security/roster', async (request) => buildRosterFor(await deps(request), signedIn(request)));
  app.get<{ Querystring: AuditParamsText }>('/api/v1/security/audit', async (request) =>
    securityAuditFor(
      await deps(request),
      signedIn(request),
      parseAuditFilter(request.query ?? {}, (p) => p),
    ),
  );

  // ---- pages ----
  const send = (request: FastifyRequest, reply: FastifyReply, title: string, body: SafeHtml, status = 200) =>
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(app.access.page(request, title, body));

  app.get<{ Querystring: { done?: string } }>('/security', async (request, reply) => {
    const user = signedIn(request);
    const d = await deps(request);
    const v = await listSecurityItems(d, user);
    const team = await isSecurityMember(o.store, user.id);
    return send(request, reply, 'Security', listPage(v, app.access.csrfToken(request, reply), team));
  });

  app.get<{ Params: { id: string } }>('/security/items/:id', { schema: { params: ID } }, async (request, reply) => {
    const v = await showSecurityItem(await deps(request), signedIn(request), request.params.id);
    return send(request, reply, `Security item ${v.item.id}`, itemPage(v, app.access.csrfToken(request, reply), Boolean(o.advisoryYaml)));
  });

  app.post<{ Body: Form }>('/security/report', { schema: { body: FORM } }, async (request, reply) => {
    const f = request.body ?? {};
    const id = await reportSecurityItem(await deps(request), signedIn(request), {
      title: f.title ?? '',
      description: f.description ?? '',
      project: f.project ?? '',
    });
    return reply.redirect(`/security/items/${id}`, 303);
  });

  const itemPost = (
    path: string,
    fn: (d: SecurityDeps, request: FastifyRequest<{ Body: Form; Params: { id: string } }>, f: Form) => Promise<unknown>,
  ) =>
    app.post<{ Body: Form; Params: { id: string } }>(
      `/security/items/:id/${path}`,
      { schema: { body: FORM, params: ID } },
      async (request, reply) => {
        signedIn(request);
        await fn(await deps(request), request, request.body ?? {});
        return reply.redirect(`/security/items/${request.params.id}`, 303);
      },
    );

  itemPost('transition', (d, r, f) => {
    const req: TransitionRequest = {
      to: (f.to ?? '') as TransitionRequest['to'],
      note: f.note,
      verdict: f.verdict === 'rejected' ? 'rejected' : f.verdict === 'confirmed' ? 'confirmed' : undefined,
      cvssVector: f.cvss || undefined,
      releases: list(f.releases),
      branches: list(f.branches),
      cve: f.cve,
      disclosureDate: f.date,
      preDisclosureList: lines(f.recipients),
      advisory: f.advisory,
      publicChanges: lines(f.publicChanges),
    };
    return transitionSecurityItem(d, r.user!, r.params.id, req);
  });
  itemPost('grant', (d, r, f) => grantSecurityItem(d, r.user!, r.params.id, f.user ?? '', f.kind ?? ''));
  itemPost('revoke', (d, r, f) => revokeSecurityItem(d, r.user!, r.params.id, f.user ?? ''));
  itemPost('assign', (d, r, f) => assignSecurityItem(d, r.user!, r.params.id, f.user ?? ''));
  itemPost('patch', (d, r, f) => attachSecurityPatch(d, r.user!, r.params.id, f.branch ?? '', f.content ?? ''));
  itemPost('review', (d, r, f) =>
    reviewSecurityPatch(d, r.user!, r.params.id, Number(f.patch), f.vote === '-1' ? -1 : f.vote === '+1' || f.vote === '1' ? 1 : 0),
  );

  app.get('/security/roster', async (request, reply) => {
    const r = await buildRosterFor(await deps(request), signedIn(request));
    return send(request, reply, 'Security team roster', rosterPage(r));
  });

  app.get('/security/team', async (request, reply) => {
    const user = signedIn(request);
    const manage = authorize(user, 'security.team.manage', { kind: 'security-team' }).allowed;
    const member = await isSecurityMember(o.store, user.id);
    if (!manage && !member)
      throw new StewardError('SECURITY_FORBIDDEN', 'not allowed: the security team page is for its members and admins');
    const team = await listTeam(o.store.db);
    const rules = (await o.config()).config.security;
    const csrf = app.access.csrfToken(request, reply);
    return send(
      request,
      reply,
      'Security team',
      html`<p>${team.length} member${team.length === 1 ? '' : 's'} of at most ${rules.teamMax} (<code>security.teamMax</code>).</p>
<ul>${team.map((m) => html`<li>${m.name}${m.disabled ? ' (disabled)' : ''}, added by ${m.addedBy} on ${new Date(m.addedAt).toISOString().slice(0, 10)}${manage ? html` <form method="post" action="/security/team/remove" class="inline">${csrfField(csrf)}<input type="hidden" name="user" value="${m.name}"><button type="submit">Remove</button></form>` : ''}</li>`)}</ul>
${manage ? html`<form method="post" action="/security/team/add" class="manage">${csrfField(csrf)}<p><label>Add a member <input name="user" required maxlength="100"></label> <button type="submit">Add</button></p><p class="hint">Adding yourself is allowed; it is audited and shown to the team.</p></form>` : ''}`,
    );
  });
  app.post<{ Body: Form }>('/security/team/add', { schema: { body: FORM } }, async (request, reply) => {
    await addSecurityMember(await deps(request), signedIn(request), request.body?.user ?? '');
    return reply.redirect('/security/team', 303);
  });
  app.post<{ Body: Form }>('/security/team/remove', { schema: { body: FORM } }, async (request, reply) => {
    await removeSecurityMember(await deps(request), signedIn(request), request.body?.user ?? '');
    return reply.redirect('/security/team', 303);
  });
}

function statusOf(e: StewardError): number {
  if (e.code === 'SECURITY_FORBIDDEN') return 403;
  if (e.code === 'SECURITY_KEY') return 503;
  if (['USAGE', 'NOT_FOUND', 'SECURITY_TRANSITION', 'CVSS_INVALID', 'SECURITY_TEAM_FULL'].includes(e.code)) return 400;
  return 500;
}

function listPage(v: SecurityListView, csrf: string, team: boolean): SafeHtml {
  return html`${team ? html`<p><a href="/security/roster">Team roster</a> · <a href="/security/team">Team</a></p>` : ''}
<h2>Embargoed items you may see (${v.items.length})</h2>
${
  v.items.length === 0
    ? html`<p>None.</p>`
    : html`<table><thead><tr><th>Item</th><th>Project</th><th>Title</th><th>State</th><th>CVSS</th><th>Age</th><th>Embargo (cap ${v.embargoCapDays} d)</th><th>Disclosure</th></tr></thead><tbody>
${v.items.map((i) => html`<tr class="${i.capFlag}"><td><a href="/security/items/${i.id}">${i.id}</a></td><td>${i.project}</td><td>${i.title}</td><td>${i.state}</td><td>${i.cvssScore === null ? '' : `${i.cvssScore.toFixed(1)} ${i.severity}`}</td><td>${i.ageDays} d</td><td>${flagText(i.capFlag, i.daysLeft)}</td><td>${i.disclosureDate ?? ''}</td></tr>`)}
</tbody></table>`
}
<h2>Report a vulnerability</h2>
<form method="post" action="/security/report" class="manage">${csrfField(csrf)}
<p><label>Project <input name="project" required maxlength="300"></label></p>
<p><label>Title <input name="title" required maxlength="300"></label></p>
<p><label>Description<br><textarea name="description" rows="8" cols="70" required maxlength="50000"></textarea></label></p>
<p class="hint">Only the security team and the people they add will see it. You can follow it here.</p>
<p><button type="submit">Report</button></p></form>`;
}

function itemPage(v: SecurityItemView, csrf: string, yaml: boolean): SafeHtml {
  const i = v.item;
  const form = (action: string, fields: SafeHtml, button: string) =>
    html`<form method="post" action="/security/items/${i.id}/${action}" class="manage">${csrfField(csrf)}${fields}<button type="submit">${button}</button></form>`;
  return html`<h2>${i.text.title}</h2>
<p>Project ${i.text.project} · state <strong>${i.state}</strong> · received ${i.received.slice(0, 10)} · ${v.embargo.ageDays} days old${v.embargo.flag === 'not-embargoed' ? '' : html` · <span class="${v.embargo.flag}">${flagText(v.embargo.flag, v.embargo.daysLeft)}</span>`}</p>
<p>Severity: ${i.cvssVector ? `${i.cvssScore} ${i.severity} (${i.cvssVector})` : 'not triaged'} · releases ${i.text.releases.join(', ') || '-'} · branches ${i.text.branches.join(', ') || '-'} · CVE ${i.text.cve ?? '-'} · disclosure ${i.disclosureDate ?? '-'} · assigned to ${i.assignee ?? 'nobody'}</p>
<pre>${i.text.description}</pre>
${v.may.change && v.transitions.some((t) => t.to === 'disclosed') ? html`<p>Disclosed: the advisory it publishes, as <code>steward security export</code> writes it: ${yaml ? html`<a href="/api/v1/security/items/${i.id}/advisory?format=yaml">YAML</a> · ` : ''}<a href="/api/v1/security/items/${i.id}/advisory">JSON</a></p>` : ''}
<h3>History</h3><ol>${v.transitions.map((t) => html`<li>${t.at.slice(0, 16).replace('T', ' ')} ${t.actor}: ${t.from ?? '-'} → ${t.to}${t.note ? html` — ${t.note}` : ''}</li>`)}</ol>
<h3>Private patches</h3>${v.patches.length === 0 ? html`<p>None.</p>` : html`<ul>${v.patches.map((p) => html`<li>#${p.id} ${p.branch} by ${p.author} (${p.at.slice(0, 10)}) ${p.reviews.map((r) => `${r.vote > 0 ? '+1' : '-1'} ${r.reviewer}`).join(', ')}<pre>${p.content}</pre>${v.may.change ? form('review', html`<input type="hidden" name="patch" value="${p.id}"><select name="vote"><option>+1</option><option>-1</option></select>`, 'Review') : ''}</li>`)}</ul>`}
${v.may.patch ? form('patch', html`<p><label>Branch <select name="branch">${i.text.branches.map((b) => html`<option>${b}</option>`)}</select></label></p><p><textarea name="content" rows="6" cols="70"></textarea></p>`, 'Attach patch') : ''}
${
  v.grants
    ? html`<h3>Shared with</h3><ul>${v.grants.map((g) => html`<li>${g.user} (${g.kind}), by ${g.grantedBy} ${g.granted.slice(0, 10)}${g.revoked ? `, revoked ${g.revoked.slice(0, 10)} by ${g.revokedBy}` : ''}</li>`)}</ul>`
    : ''
}
${
  v.may.change
    ? html`<h3>Next step</h3>${form(
        'transition',
        html`<p><label>To <select name="to">${v.next.map((s) => html`<option>${s}</option>`)}</select></label>
<label>Verdict <select name="verdict"><option value="">-</option><option>confirmed</option><option>rejected</option></select></label></p>
<p><label>CVSS v3.1 vector <input name="cvss" maxlength="200" size="50"></label> <label>Releases <input name="releases"></label> <label>Branches <input name="branches"></label></p>
<p><label>CVE <input name="cve" maxlength="40"></label> <label>Disclosure date <input name="date" placeholder="YYYY-MM-DD"></label> <label>Advisory <input name="advisory"></label></p>
<p><label>Pre-disclosure recipients (one per line)<br><textarea name="recipients" rows="2" cols="50"></textarea></label> <label>Public changes (one per line)<br><textarea name="publicChanges" rows="2" cols="50"></textarea></label></p>
<p><label>Note<br><textarea name="note" rows="2" cols="70"></textarea></label></p>`,
        'Move',
      )}
<h3>Access</h3>${form('grant', html`<label>User <input name="user" required maxlength="100"></label> <select name="kind">${GRANT_KINDS.map((k) => html`<option>${k}</option>`)}</select>`, 'Grant')}
${form('revoke', html`<label>User <input name="user" required maxlength="100"></label>`, 'Revoke')}
${form('assign', html`<label>Assign to team member <input name="user" required maxlength="100"></label>`, 'Assign')}`
    : ''
}
<p class="hint">States of the process: ${SECURITY_STATES.join(' → ')}.</p>`;
}

function rosterPage(r: SecurityRosterView): SafeHtml {
  return html`<p>${r.team.size} members of at most ${r.team.max}${r.team.overMax ? html` — <strong>over the maximum</strong>` : ''}.</p>
<table><thead><tr><th>Member</th><th>Triage 90 d</th><th>Steps 90 d</th><th>Patches 90 d</th><th>Reviews 90 d</th><th>Steps 180 d</th><th>First response (90 d, median)</th><th>Last activity</th></tr></thead><tbody>
${r.members.map((m) => html`<tr class="${m.inactive ? 'inactive' : ''}"><td>${m.name}</td><td>${m.windows[0].triage}</td><td>${m.windows[0].steps}</td><td>${m.windows[0].patches}</td><td>${m.windows[0].reviews}</td><td>${m.windows[1].steps}</td><td>${m.windows[0].medianFirstResponseDays === null ? '-' : `${m.windows[0].medianFirstResponseDays} d`} (${m.windows[0].answered}/${m.windows[0].assigned})</td><td>${m.lastActivity ? m.lastActivity.at.slice(0, 10) : 'never'}</td></tr>`)}
</tbody></table>
<h3>Hasn't had time recently (no security activity in ${r.rules.inactiveDays} days)</h3>
${r.inactive.length ? html`<ul>${r.members.filter((m) => m.inactive).map((m) => html`<li>${m.name}: ${m.evidence}</li>`)}</ul>` : html`<p>Nobody.</p>`}
<h3>Open embargoed items</h3>
${r.open.length ? html`<ul>${r.open.map((x) => html`<li class="${x.flag}"><a href="/security/items/${x.id}">${x.id}</a> ${x.state}, ${x.ageDays} days: ${flagText(x.flag, x.daysLeft)}</li>`)}</ul>` : html`<p>None.</p>`}
<h3>Team changes</h3>
<ul>${r.teamChanges.map((c) => html`<li>${c.at.slice(0, 10)} ${c.event} ${c.member} by ${c.actor ?? '-'}${c.self ? ' (added themself)' : ''}</li>`)}</ul>`;
}
