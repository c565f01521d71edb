/**
 * /manage/priorities: every release priority (steward.yaml's and the store's), a form to add one to
 * the store and a button to remove a stored one. Needs `priorities.change` (lead, admin) and a CSRF
 * token; the checks are `steward priorities add|remove`'s (service/priorities-view.ts). Changes are
 * audited and answered with a redirect back to the page.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isStewardError } from '../../model/errors.js';
import { addPriority, buildPrioritiesList, removePriority } from '../../service/priorities-view.js';
import { csrfField } from '../auth/auth-pages.js';
import { html, type SafeHtml } from '../html.js';
import { DONE_QUERY, typed, type Validated } from '../typed-routes.js';
import type { ManageRoutesOptions } from './mentoring-routes.js';

const field = (max: number) => ({ type: 'string', maxLength: max }) as const;
const bodySchema = {
  type: 'object',
  properties: {
    release: field(100),
    title: field(300),
    blueprints: field(5000),
    topics: field(5000),
    queries: field(20_000),
    _csrf: field(300),
  },
} as const;
type PriorityForm = Validated<typeof bodySchema>;

const DONE: Record<string, string> = { added: 'Priority added.', removed: 'Priority removed.' };

/** Blueprints and topics: separated by commas, spaces or lines. Queries: one per line. */
const words = (s: string | undefined) => (s ?? '').split(/[\s,]+/).filter(Boolean);
const lines = (s: string | undefined) =>
  (s ?? '')
    .split(/\r?\n/)
    .map((x) => x.trim())
    .filter(Boolean);

/** The service's messages name command-line options (`--title`); the form's fields have the same names without the dashes. */
const forTheWeb = (s: string) => s.replace(/--([a-z][a-z-]*)/g, '$1');

export async function prioritiesRoutes(app: FastifyInstance, o: ManageRoutesOptions): Promise<void> {
  const guard = app.access.require('priorities.change', { kind: 'priorities' });

  const render = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    v: { error?: string; form?: PriorityForm; done?: string },
  ) => {
    const effective = await o.config();
    const list = await buildPrioritiesList(o.store, {}, effective);
    const csrf = app.access.csrfToken(request, reply);
    const f = v.form ?? {};
    const releases = effective.config.releases.map((r) => r.name);
    const covers = (p: { blueprints: string[]; topics: string[]; queries: string[] }) =>
      [...p.blueprints.map((b) => `blueprint ${b}`), ...p.topics.map((t) => `topic ${t}`), ...p.queries.map((q) => `query ${q}`)].join(
        '; ',
      );
    const body: SafeHtml = html`${v.done ? html`<p class="notice ok" role="status">${v.done}</p>` : ''}
${v.error ? html`<div class="notice error" role="alert"><p>${v.error}</p></div>` : ''}
<h2>Add a priority</h2>
${
  releases.length === 0
    ? html`<p>There is no release calendar: add <code>releases</code> to steward.yaml first.</p>`
    : html`<form method="post" action="/manage/priorities/add" class="manage">
  ${csrfField(csrf)}
  <p><label>Release <select name="release">${releases.map((r) => html`<option${r === f.release ? html` selected` : ''}>${r}</option>`)}</select></label></p>
  <p><label>Title <input name="title" required maxlength="300" value="${f.title ?? ''}"></label></p>
  <p><label>Blueprints <input name="blueprints" maxlength="5000" value="${f.blueprints ?? ''}" placeholder="names, separated by commas or spaces"></label></p>
  <p><label>Topics <input name="topics" maxlength="5000" value="${f.topics ?? ''}"></label></p>
  <p><label>Gerrit queries (one per line)<br><textarea name="queries" rows="3" cols="60" maxlength="20000">${f.queries ?? ''}</textarea></label></p>
  <p><button type="submit">Add</button></p>
</form>`
}
<h2>Priorities (${list.priorities.length})</h2>
${
  list.priorities.length === 0
    ? html`<p>No priorities yet.</p>`
    : html`<table><thead><tr><th>Release</th><th>Title</th><th>Covers</th><th>Defined in</th><th></th></tr></thead><tbody>
${list.priorities.map(
  (
    p,
  ) => html`<tr><td>${p.release}</td><td>${p.title}</td><td>${covers(p)}</td><td>${p.origin === 'config' ? list.sources.config : `the store${p.createdBy ? `, added by ${p.createdBy}` : ''}${p.createdAt ? ` on ${p.createdAt.slice(0, 10)}` : ''}`}</td><td>
${p.origin === 'store' ? html`<form method="post" action="/manage/priorities/remove" class="inline">${csrfField(csrf)}<input type="hidden" name="release" value="${p.release}"><input type="hidden" name="title" value="${p.title}"><button type="submit">Remove</button></form>` : html`<span class="hint">edit steward.yaml</span>`}</td></tr>`,
)}
</tbody></table>`
}
<p>How each priority is doing: <a href="/priorities">Priorities</a>.</p>`;
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(app.access.page(request, 'Manage priorities', body));
  };

  const change = async (request: FastifyRequest, f: PriorityForm, reply: FastifyReply, what: 'add' | 'remove') => {
    try {
      const effective = await o.config();
      if (what === 'add') {
        const p = await addPriority(
          o.store,
          {
            release: f.release ?? '',
            title: f.title ?? '',
            blueprints: words(f.blueprints),
            topics: words(f.topics),
            queries: lines(f.queries),
            createdBy: request.user?.name ?? null,
          },
          effective,
          o.clock(),
        );
        await app.access.audit(request, {
          event: 'priority.add',
          subject: `priority ${p.id}`,
          outcome: 'ok',
          detail: { release: p.release, title: p.title },
        });
      } else {
        const p = await removePriority(o.store, { release: f.release ?? '', title: f.title ?? '' }, effective);
        await app.access.audit(request, {
          event: 'priority.remove',
          subject: `priority ${p.id}`,
          outcome: 'ok',
          detail: { release: p.release, title: p.title },
        });
      }
      return reply.redirect(`/manage/priorities?done=${what === 'add' ? 'added' : 'removed'}`, 303);
    } catch (e) {
      if (!isStewardError(e) || !['USAGE', 'NOT_FOUND', 'CONFIG'].includes(e.code)) throw e;
      const message = forTheWeb(e.details.hint ? `${e.message}. ${e.details.hint}` : `${e.message}.`);
      return render(request, reply, 400, { error: `Nothing was changed: ${message}`, form: what === 'add' ? f : undefined });
    }
  };

  const routes = typed(app);
  routes.get('/manage/priorities', { preHandler: guard, schema: { querystring: DONE_QUERY } }, async (request, reply) =>
    render(request, reply, 200, { done: DONE[request.query.done ?? ''] }),
  );
  routes.post('/manage/priorities/add', { preHandler: guard, schema: { body: bodySchema } }, (request, reply) =>
    change(request, request.body ?? {}, reply, 'add'),
  );
  routes.post('/manage/priorities/remove', { preHandler: guard, schema: { body: bodySchema } }, (request, reply) =>
    change(request, request.body ?? {}, reply, 'remove'),
  );
}
