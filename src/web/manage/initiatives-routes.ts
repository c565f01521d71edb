/**
 * /manage/initiatives: every initiative (steward.yaml's and the store's), a form to add one to the
 * store, a form to note a question, decision or feedback, and buttons to resolve a note or remove a
 * stored initiative. Initiatives are tracked work like priorities: the same permission
 * (`priorities.change`: lead, admin), CSRF token, audit and redirect (tracked-work-routes.ts,
 * shared with /manage/priorities); the checks are `steward initiative`'s
 * (service/initiatives-view.ts), so a refused form stores nothing.
 */
import type { FastifyInstance } from 'fastify';
import {
  addInitiative,
  buildInitiativesList,
  findInitiative,
  noteInitiative,
  parseMilestoneArg,
  removeInitiative,
} from '../../service/initiatives-view.js';
import { csrfField } from '../auth/auth-pages.js';
import { html } from '../html.js';
import type { ManageRoutesOptions } from './mentoring-routes.js';
import {
  formField as field,
  formLines as lines,
  formWords as words,
  trackedWorkRoutes,
  type TrackedWorkAction,
} from './tracked-work-routes.js';

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
  bugTags?: string;
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
    bugTags: field(5000),
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

export async function initiativesRoutes(app: FastifyInstance, o: ManageRoutesOptions): Promise<void> {
  // Noting and resolving: one call of the service (what the form asks, by whom), one audit record.
  const noteAction = (
    event: string,
    done: [word: string, notice: string],
    note: (f: InitiativeForm, by: string | null) => Parameters<typeof noteInitiative>[2],
  ): TrackedWorkAction<InitiativeForm> => ({
    done,
    keepForm: true,
    run: async (request, f, effective, now) => {
      const { initiative, note: n } = await noteInitiative(o.store, f.name ?? '', note(f, request.user?.name ?? null), effective, now);
      return { event, subject: `initiative ${initiative.id}`, detail: { name: initiative.name, note: n.id, kind: n.kind } };
    },
  });
  trackedWorkRoutes<InitiativeForm>(app, o, {
    path: '/manage/initiatives',
    title: 'Manage initiatives',
    bodySchema,
    body: async ({ request, reply, effective, form: f }) => {
      const list = await buildInitiativesList(o.store, effective);
      const csrf = app.access.csrfToken(request, reply);
      const input = (name: keyof InitiativeForm, label: string, hint = '') =>
        html`<p><label>${label} <input name="${name}" maxlength="5000" value="${f[name] ?? ''}" placeholder="${hint}"></label></p>`;
      const area = (name: keyof InitiativeForm, label: string) =>
        html`<p><label>${label}<br><textarea name="${name}" rows="3" cols="60">${f[name] ?? ''}</textarea></label></p>`;
      const full = await Promise.all(list.initiatives.map((i) => findInitiative(o.store, effective, i.name)));
      return html`<h2>Add an initiative</h2>
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
  ${input('bugTags', 'Bug tags (Launchpad)')}
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
    },
    actions: {
      add: {
        done: ['added', 'Initiative added.'],
        keepForm: true,
        run: async (request, f, effective, now) => {
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
                bugTags: words(f.bugTags),
                commitPatterns: lines(f.commitPatterns),
                paths: words(f.paths),
              },
              milestones: lines(f.milestones).map(parseMilestoneArg),
              stallWeeks: f.stallWeeks ? Number(f.stallWeeks) : null,
              createdBy: request.user?.name ?? null,
              allowEmpty: f.allowEmpty === 'on',
            },
            effective,
            now,
          );
          return { event: 'initiative.add', subject: `initiative ${i.id}`, detail: { name: i.name, title: i.title } };
        },
      },
      remove: {
        done: ['removed', 'Initiative removed.'],
        keepForm: true,
        run: async (_request, f, effective) => {
          const i = await removeInitiative(o.store, f.name ?? '', effective);
          return { event: 'initiative.remove', subject: `initiative ${i.id}`, detail: { name: i.name } };
        },
      },
      note: noteAction('initiative.note', ['noted', 'Note added.'], (f, by) => ({
        kind: f.kind ?? '',
        text: f.text ?? '',
        link: f.link || null,
        by,
      })),
      resolve: noteAction('initiative.note.resolve', ['resolved', 'Note resolved.'], (f, by) => ({
        resolve: Number(f.note),
        resolution: f.text || null,
        by,
      })),
    },
  });
}
