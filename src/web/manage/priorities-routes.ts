/**
 * /manage/priorities: every release priority (steward.yaml's and the store's), a form to add one to
 * the store and a button to remove a stored one. Needs `priorities.change` (lead, admin) and a CSRF
 * token; the checks are `steward priorities add|remove`'s (service/priorities-view.ts). Changes are
 * audited and answered with a redirect back to the page (tracked-work-routes.ts, shared with
 * /manage/initiatives).
 */
import type { FastifyInstance } from 'fastify';
import { addPriority, buildPrioritiesList, removePriority } from '../../service/priorities-view.js';
import { csrfField } from '../auth/auth-pages.js';
import { html } from '../html.js';
import type { Validated } from '../typed-routes.js';
import type { ManageRoutesOptions } from './mentoring-routes.js';
import { formField as field, formLines as lines, formWords as words, trackedWorkRoutes } from './tracked-work-routes.js';

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

export async function prioritiesRoutes(app: FastifyInstance, o: ManageRoutesOptions): Promise<void> {
  trackedWorkRoutes<PriorityForm>(app, o, {
    path: '/manage/priorities',
    title: 'Manage priorities',
    bodySchema,
    body: async ({ request, reply, effective, form: f }) => {
      const list = await buildPrioritiesList(o.store, {}, effective);
      const csrf = app.access.csrfToken(request, reply);
      const releases = effective.config.releases.map((r) => r.name);
      const covers = (p: { blueprints: string[]; topics: string[]; queries: string[] }) =>
        [...p.blueprints.map((b) => `blueprint ${b}`), ...p.topics.map((t) => `topic ${t}`), ...p.queries.map((q) => `query ${q}`)].join(
          '; ',
        );
      return html`<h2>Add a priority</h2>
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
    },
    actions: {
      add: {
        done: ['added', 'Priority added.'],
        keepForm: true,
        run: async (request, f, effective, now) => {
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
            now,
          );
          return { event: 'priority.add', subject: `priority ${p.id}`, detail: { release: p.release, title: p.title } };
        },
      },
      remove: {
        done: ['removed', 'Priority removed.'],
        keepForm: false,
        run: async (_request, f, effective) => {
          const p = await removePriority(o.store, { release: f.release ?? '', title: f.title ?? '' }, effective);
          return { event: 'priority.remove', subject: `priority ${p.id}`, detail: { release: p.release, title: p.title } };
        },
      },
    },
  });
}
