/**
 * /manage/mentoring: the running mentorships, a form to start one and a form per row to end it.
 * Needs the `mentoring.change` action (lead, admin) and, for the changes, a CSRF token; the rules
 * are the command line's (service/mentoring-service.ts). A change is audited and answered with a
 * redirect back to the page (so a reload does not send it twice), which says what was done.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isStewardError } from '../../model/errors.js';
import type { EffectiveConfig } from '../../service/effective-config.js';
import { addMentoring, endMentoring, type MentoringFieldNames } from '../../service/mentoring-service.js';
import { parseTime } from '../../service/params.js';
import type { Store } from '../../store/engine.js';
import { listMentorships } from '../../store/mentoring-store.js';
import { loadAccounts } from '../../store/queries/activity.js';
import { csrfField } from '../auth/auth-pages.js';
import { html, type SafeHtml } from '../html.js';
import { DONE_QUERY, typed, type Validated } from '../typed-routes.js';

export interface ManageRoutesOptions {
  store: Store;
  config: () => Promise<EffectiveConfig>;
  clock: () => number;
}

const WEB_NAMES: MentoringFieldNames = {
  candidate: 'candidate',
  mentor: 'mentor',
  since: 'since',
  at: 'end date',
  host: 'host',
  endHint: () => 'End the running one first (its row below).',
};

const field = { type: 'string', maxLength: 300 } as const;
const bodySchema = {
  type: 'object',
  properties: { candidate: field, mentor: field, since: field, at: field, note: { type: 'string', maxLength: 2000 }, _csrf: field },
} as const;

type MentoringForm = Validated<typeof bodySchema>;

const DONE: Record<string, string> = { added: 'Mentorship started.', ended: 'Mentorship ended.' };

/** The account spec a form can send back for an account: its Gerrit id, else username, else email. */
function specOf(a: { gerritId: number | null; username: string | null; email: string | null } | undefined): string {
  return a ? (a.gerritId !== null ? String(a.gerritId) : (a.username ?? a.email ?? '')) : '';
}

export async function mentoringRoutes(app: FastifyInstance, o: ManageRoutesOptions): Promise<void> {
  const guard = app.access.require('mentoring.change', { kind: 'mentoring' });

  const render = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    v: { error?: string; form?: MentoringForm; done?: string },
  ) => {
    const accounts = new Map((await loadAccounts(o.store.db)).map((a) => [a.id, a]));
    const who = (id: number) => {
      const a = accounts.get(id);
      return a
        ? `${a.name ?? a.username ?? a.email ?? `#${a.gerritId}`}${a.username && a.name ? ` (${a.username})` : ''}`
        : `account ${id}`;
    };
    const running = await listMentorships(o.store.db, { activeOnly: true });
    const csrf = app.access.csrfToken(request, reply);
    const f = v.form ?? {};
    const day = (t: number) => new Date(t).toISOString().slice(0, 10);
    const body: SafeHtml = html`${v.done ? html`<p class="notice ok" role="status">${v.done}</p>` : ''}
${v.error ? html`<div class="notice error" role="alert"><p>${v.error}</p></div>` : ''}
<h2>Start a mentorship</h2>
<form method="post" action="/manage/mentoring/add" class="manage">
  ${csrfField(csrf)}
  <p><label>Candidate <input name="candidate" required maxlength="300" value="${f.candidate ?? ''}" placeholder="username, Gerrit account id or email"></label></p>
  <p><label>Mentor (a core) <input name="mentor" required maxlength="300" value="${f.mentor ?? ''}"></label></p>
  <p><label>Since <input type="date" name="since" value="${f.since ?? ''}"></label> (empty: today)</p>
  <p><label>Note <input name="note" maxlength="2000" value="${f.note ?? ''}"></label></p>
  <p><button type="submit">Start</button></p>
</form>
<h2>Running (${running.length})</h2>
${
  running.length === 0
    ? html`<p>No mentorship is running.</p>`
    : html`<table><thead><tr><th>Candidate</th><th>Mentor</th><th>Since</th><th>Note</th><th>End</th></tr></thead><tbody>
${running.map(
  (m) => html`<tr><td>${who(m.candidateId)}</td><td>${who(m.mentorId)}</td><td>${day(m.startedAt)}</td><td>${m.note ?? ''}</td><td>
<form method="post" action="/manage/mentoring/end" class="inline">${csrfField(csrf)}<input type="hidden" name="candidate" value="${specOf(accounts.get(m.candidateId))}"><input type="hidden" name="mentor" value="${specOf(accounts.get(m.mentorId))}">
<label>on <input type="date" name="at"></label> <label>note <input name="note" maxlength="2000"></label> <button type="submit">End</button></form></td></tr>`,
)}
</tbody></table>`
}
<p>Progress of each mentored candidate: <a href="/core">Core team</a>.</p>`;
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(app.access.page(request, 'Mentoring', body));
  };

  /** A form's date field (YYYY-MM-DD) as epoch ms, or undefined when empty. */
  const dateOf = (v: string | undefined, name: string) => (v && v.trim() ? parseTime(v, name) : undefined);

  const change = async (request: FastifyRequest, f: MentoringForm, reply: FastifyReply, what: 'add' | 'end') => {
    try {
      const now = o.clock();
      if (what === 'add') {
        const added = await addMentoring(
          o.store,
          { candidate: f.candidate ?? '', mentor: f.mentor ?? '', note: f.note ?? null, startedAt: dateOf(f.since, 'since') },
          await o.config(),
          now,
          WEB_NAMES,
        );
        await app.access.audit(request, {
          event: 'mentorship.add',
          subject: `mentorship ${added.id}`,
          outcome: 'ok',
          detail: { candidate: added.candidate.username, mentor: added.mentor.username, startedAt: added.startedAt },
        });
      } else {
        const r = await endMentoring(
          o.store,
          { candidate: f.candidate ?? '', mentor: f.mentor || null, note: f.note ?? null, endedAt: dateOf(f.at, 'end date') },
          now,
          WEB_NAMES,
        );
        await app.access.audit(request, {
          event: 'mentorship.end',
          subject: r.ended.map((m) => `mentorship ${m.id}`).join(', '),
          outcome: 'ok',
          detail: { candidate: r.candidate.username, endedAt: r.ended[0]?.endedAt },
        });
      }
      return reply.redirect(`/manage/mentoring?done=${what === 'add' ? 'added' : 'ended'}`, 303);
    } catch (e) {
      if (!isStewardError(e) || (e.code !== 'USAGE' && e.code !== 'NOT_FOUND')) throw e;
      const message = e.details.hint ? `${e.message}. ${e.details.hint}` : `${e.message}.`;
      return render(request, reply, 400, { error: `Nothing was changed: ${message}`, form: what === 'add' ? f : undefined });
    }
  };

  const routes = typed(app);
  routes.get('/manage/mentoring', { preHandler: guard, schema: { querystring: DONE_QUERY } }, async (request, reply) =>
    render(request, reply, 200, { done: DONE[request.query.done ?? ''] }),
  );
  routes.post('/manage/mentoring/add', { preHandler: guard, schema: { body: bodySchema } }, (request, reply) =>
    change(request, request.body ?? {}, reply, 'add'),
  );
  routes.post('/manage/mentoring/end', { preHandler: guard, schema: { body: bodySchema } }, (request, reply) =>
    change(request, request.body ?? {}, reply, 'end'),
  );
}
