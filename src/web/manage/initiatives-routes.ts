/**
 * /manage/initiatives: every initiative (steward.yaml's and the store's), a form to add one to the
 * store, a form to note a question, decision or feedback, and buttons to resolve a note or remove a
 * stored initiative. Initiatives are tracked work like priorities: the same permission
 * (`priorities.change`: lead, admin) and a CSRF token; the checks are `steward initiative`'s
 * (service/initiatives-view.ts), so a refused form stores nothing. Changes are audited and answered
 * with a redirect back to the page.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isStewardError } from '../../model/errors.js';
import {
  addInitiative,
  buildInitiativesList,
  findInitiative,
  noteInitiative,
  parseMilestoneArg,
  removeInitiative,
} from '../../service/initiatives-view.js';
import { csrfField } from '../auth/auth-pages.js';
import { html, type SafeHtml } from '../html.js';
import type { ManageRoutesOptions } from './mentoring-routes.js';

interface InitiativeForm {
  name?: string;
  title?: string;
  goal?: string;
  owners?: string;
  blueprints?: string;
  specs?: string;
  topics?: string;
  queries?: string;
  bugs?: string;
  commitPatterns?: string;
  paths?: string;
  milestones?: string;
  stallWeeks?: string;
  allowEmpty?: string;
  kind?: string;
  text?: string;
  link?: string;
  note?: string;
}

const field = (max: number) => ({ type: 'string', maxLength: max }) as const;
const bodySchema = {
  type: 'object',
  properties: {
    name: field(100),
    title: field(300),
    goal: field(2000),
    owners: field(2000),
    blueprints: field(5000),
    specs: field(5000),
    topics: field(5000),
    queries: field(20_000),
    bugs: field(5000),
    commitPatterns: field(5000),
    paths: field(5000),
    milestones: field(5000),
    stallWeeks: field(10),
    allowEmpty: field(10),
    kind: field(20),
    text: field(5000),
    link: field(2000),
    note: field(20),
    _csrf: field(300),
  },
} as const;

const DONE: Record<string, string> = {
  added: 'Initiative added.',
  removed: 'Initiative removed.',
  noted: 'Note added.',
  resolved: 'Note resolved.',
};
const words = (s: string | undefined) => (s ?? '').split(/[\s,]+/).filter(Boolean);
const lines = (s: string | undefined) =>
  (s ?? '')
    .split(/\r?\n/)
    .map((x) => x.trim())
    .filter(Boolean);
const forTheWeb = (s: string) => s.replace(/--([a-z][a-z-]*)/g, '$1');

export async function initiativesRoutes(app: FastifyInstance, o: ManageRoutesOptions): Promise<void> {
  const guard = app.access.require('priorities.change', { kind: 'priorities' });

  const render = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    v: { error?: string; form?: InitiativeForm; done?: string },
  ) => {
    const effective = await o.config();
    const list = await buildInitiativesList(o.store, effective);
    const csrf = app.access.csrfToken(request, reply);
    const f = v.form ?? {};
    const input = (name: keyof InitiativeForm, label: string, hint = '') =>
      html`<p><label>${label} <input name="${name}" maxlength="5000" value="${f[name] ?? ''}" placeholder="${hint}"></label></p>`;
    const area = (name: keyof InitiativeForm, label: string) =>
      html`<p><label>${label}<br><textarea name="${name}" rows="3" cols="60">${f[name] ?? ''}</textarea></label></p>`;
    const full = await Promise.all(list.initiatives.map((i) => findInitiative(o.store, effective, i.name)));
    const body: SafeHtml = html`${v.done ? html`<p class="notice ok" role="status">${v.done}</p>` : ''}
${v.error ? html`<div class="notice error" role="alert"><p>${v.error}</p></div>` : ''}
<h2>Add an initiative</h2>
<form method="post" action="/manage/initiatives/add" class="manage">
  ${csrfField(csrf)}
  <p><label>Name <input name="name" required maxlength="100" value="${f.name ?? ''}" placeholder="cells-v2"></label></p>
  <p><label>Title <input name="title" maxlength="300" value="${f.title ?? ''}"></label></p>
  ${input('goal', 'Goal')}
  ${input('owners', 'Owners', 'names, separated by commas')}
  ${area('milestones', 'Milestones, in due order, one per line: TITLE=RELEASE, TITLE=YYYY-MM-DD or TITLE=RELEASE,YYYY-MM-DD')}
  ${input('blueprints', 'Blueprints')}
  ${input('specs', 'Specs')}
  ${input('topics', 'Topics')}
  ${area('queries', 'Gerrit queries (one per line)')}
  ${input('bugs', 'Bug numbers')}
  ${area('commitPatterns', 'Commit-message patterns (regular expressions, one per line)')}
  ${input('paths', 'Paths (prefixes)')}
  <p><label>Stall after (weeks) <input name="stallWeeks" maxlength="10" value="${f.stallWeeks ?? ''}" placeholder="6"></label></p>
  <p><label><input type="checkbox" name="allowEmpty" value="on"${f.allowEmpty ? html` checked` : ''}> Store it even if its scope matches nothing yet</label></p>
  <p><button type="submit">Add</button></p>
</form>
<h2>Note a question, decision or feedback</h2>
${
  list.initiatives.length === 0
    ? html`<p>No initiative yet.</p>`
    : html`<form method="post" action="/manage/initiatives/note" class="manage">
  ${csrfField(csrf)}
  <p><label>Initiative <select name="name">${list.initiatives.map((i) => html`<option${i.name === f.name ? html` selected` : ''}>${i.name}</option>`)}</select></label></p>
  <p><label>Kind <select name="kind">${['question', 'decision', 'feedback'].map((k) => html`<option${k === f.kind ? html` selected` : ''}>${k}</option>`)}</select></label></p>
  ${area('text', 'Text')}
  ${input('link', 'Link', 'https://…')}
  <p><button type="submit">Note</button></p>
</form>`
}
<h2>Initiatives (${list.initiatives.length})</h2>
${full.map(
  (i) => html`<section><h3><a href="/initiatives/${encodeURIComponent(i.name)}">${i.title}</a> (${i.name})</h3>
<p>${i.origin === 'config' ? html`Defined in ${list.sources.config}: <span class="hint">edit steward.yaml</span>` : html`In the store. <form method="post" action="/manage/initiatives/remove" class="inline">${csrfField(csrf)}<input type="hidden" name="name" value="${i.name}"><button type="submit">Remove</button></form>`}</p>
${i.notes.length ? html`<ul>${i.notes.map((n) => html`<li>[${n.status} ${n.kind}] ${n.text}${n.status === 'open' && i.origin === 'store' ? html` <form method="post" action="/manage/initiatives/resolve" class="inline">${csrfField(csrf)}<input type="hidden" name="name" value="${i.name}"><input type="hidden" name="note" value="${String(n.id)}"><input name="text" placeholder="answer"><button type="submit">Resolve</button></form>` : ''}</li>`)}</ul>` : ''}
</section>`,
)}`;
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(app.access.page(request, 'Manage initiatives', body));
  };

  const change = async (
    request: FastifyRequest<{ Body: InitiativeForm }>,
    reply: FastifyReply,
    what: 'add' | 'remove' | 'note' | 'resolve',
  ) => {
    const f = request.body ?? {};
    const by = request.user?.name ?? null;
    try {
      const effective = await o.config();
      const now = o.clock();
      if (what === 'add') {
        const i = await addInitiative(
          o.store,
          {
            name: f.name ?? '',
            title: f.title ?? '',
            goal: f.goal ?? '',
            owners: (f.owners ?? '')
              .split(',')
              .map((x) => x.trim())
              .filter(Boolean),
            scope: {
              blueprints: words(f.blueprints),
              specs: words(f.specs),
              topics: words(f.topics),
              queries: lines(f.queries),
              bugs: words(f.bugs),
              commitPatterns: lines(f.commitPatterns),
              paths: words(f.paths),
            },
            milestones: lines(f.milestones).map(parseMilestoneArg),
            stallWeeks: f.stallWeeks ? Number(f.stallWeeks) : null,
            createdBy: by,
            allowEmpty: f.allowEmpty === 'on',
          },
          effective,
          now,
        );
        await app.access.audit(request, {
          event: 'initiative.add',
          subject: `initiative ${i.id}`,
          outcome: 'ok',
          detail: { name: i.name, title: i.title },
        });
      } else if (what === 'remove') {
        const i = await removeInitiative(o.store, f.name ?? '', effective);
        await app.access.audit(request, {
          event: 'initiative.remove',
          subject: `initiative ${i.id}`,
          outcome: 'ok',
          detail: { name: i.name },
        });
      } else {
        const input =
          what === 'note'
            ? { kind: f.kind ?? '', text: f.text ?? '', link: f.link || null, by }
            : { resolve: Number(f.note), resolution: f.text || null, by };
        const { initiative, note } = await noteInitiative(o.store, f.name ?? '', input, effective, now);
        await app.access.audit(request, {
          event: what === 'note' ? 'initiative.note' : 'initiative.note.resolve',
          subject: `initiative ${initiative.id}`,
          outcome: 'ok',
          detail: { name: initiative.name, note: note.id, kind: note.kind },
        });
      }
      const done = { add: 'added', remove: 'removed', note: 'noted', resolve: 'resolved' }[what];
      return reply.redirect(`/manage/initiatives?done=${done}`, 303);
    } catch (e) {
      if (!isStewardError(e) || !['USAGE', 'NOT_FOUND', 'CONFIG'].includes(e.code)) throw e;
      const message = forTheWeb(e.details.hint ? `${e.message}. ${e.details.hint}` : `${e.message}.`);
      return render(request, reply, 400, { error: `Nothing was changed: ${message}`, form: f });
    }
  };

  app.get<{ Querystring: { done?: string } }>('/manage/initiatives', { preHandler: guard }, async (request, reply) =>
    render(request, reply, 200, { done: DONE[request.query.done ?? ''] }),
  );
  for (const what of ['add', 'remove', 'note', 'resolve'] as const)
    app.post<{ Body: InitiativeForm }>(
      `/manage/initiatives/${what}`,
      { preHandler: guard, schema: { body: bodySchema } },
      (request, reply) => change(request, reply, what),
    );
}
