/**
 * What the management pages of tracked work (/manage/priorities, /manage/initiatives) share: a
 * page listing the work with its forms, and one POST route per action (add, remove, note, …).
 * Every route needs `priorities.change` (lead, admin) and a CSRF token; an action runs the same
 * checks as the command line (the service), is audited, and is answered with a redirect back to
 * the page saying what was done. An action the service refuses (USAGE, NOT_FOUND, CONFIG) changes
 * nothing: the page comes back with status 400, the message (its `--options` named as the form's
 * fields) and, when asked, the form as it was filled in.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isStewardError } from '../../model/errors.js';
import type { EffectiveConfig } from '../../service/effective-config.js';
import { html, type SafeHtml } from '../html.js';
import { DONE_QUERY, typed } from '../typed-routes.js';
import type { ManageRoutesOptions } from './mentoring-routes.js';

/** A form field: a string of at most `max` characters. */
export const formField = (max: number) => ({ type: 'string', maxLength: max }) as const;

/** Names separated by commas, spaces or lines (blueprints, topics). */
export const formWords = (s: string | undefined): string[] => (s ?? '').split(/[\s,]+/).filter(Boolean);

/** One entry a line (queries, patterns, milestones). */
export const formLines = (s: string | undefined): string[] =>
  (s ?? '')
    .split(/\r?\n/)
    .map((x) => x.trim())
    .filter(Boolean);

/** The service's messages name command-line options (`--title`); the form's fields have the same names without the dashes. */
export const forTheWeb = (s: string): string => s.replace(/--([a-z][a-z-]*)/g, '$1');

/** What an action leaves in the audit log. */
export interface TrackedWorkAudit {
  event: string;
  subject: string;
  detail: Record<string, unknown>;
}

export interface TrackedWorkPage<F> {
  /** The page's path, e.g. `/manage/priorities`; actions are posted to `PATH/ACTION`. */
  path: string;
  title: string;
  /** The body schema every action's form is validated with. */
  bodySchema: Record<string, unknown>;
  /** The page's own content (lists and forms) below the notices. */
  body: (v: { request: FastifyRequest; reply: FastifyReply; effective: EffectiveConfig; form: F }) => Promise<SafeHtml>;
  /** Each action: what it does (through the service) and its audit record. */
  actions: Record<string, TrackedWorkAction<F>>;
}

/** One action of a tracked-work page; `done` is the `?done=` word and the notice shown. */
export interface TrackedWorkAction<F> {
  done: [word: string, notice: string];
  /** Whether a refused form comes back filled in (an add does; a remove need not). */
  keepForm: boolean;
  run: (request: FastifyRequest, form: F, effective: EffectiveConfig, now: number) => Promise<TrackedWorkAudit>;
}

/** Registers a tracked-work management page and its actions (see the module comment). */
export function trackedWorkRoutes<F extends object>(app: FastifyInstance, o: ManageRoutesOptions, page: TrackedWorkPage<F>): void {
  const guard = app.access.require('priorities.change', { kind: 'priorities' });
  const notices = new Map(Object.values(page.actions).map((a) => a.done));

  const render = async (request: FastifyRequest, reply: FastifyReply, status: number, v: { error?: string; form?: F; done?: string }) => {
    const effective = await o.config();
    const content = await page.body({ request, reply, effective, form: v.form ?? ({} as F) });
    const body: SafeHtml = html`${v.done ? html`<p class="notice ok" role="status">${v.done}</p>` : ''}
${v.error ? html`<div class="notice error" role="alert"><p>${v.error}</p></div>` : ''}
${content}`;
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(app.access.page(request, page.title, body));
  };

  const routes = typed(app);
  routes.get(page.path, { preHandler: guard, schema: { querystring: DONE_QUERY } }, async (request, reply) =>
    render(request, reply, 200, { done: notices.get(request.query.done ?? '') }),
  );
  for (const [name, action] of Object.entries(page.actions)) {
    app.post(`${page.path}/${name}`, { preHandler: guard, schema: { body: page.bodySchema } }, async (request, reply) => {
      const form = (request.body ?? {}) as F;
      try {
        const record = await action.run(request, form, await o.config(), o.clock());
        await app.access.audit(request, { ...record, outcome: 'ok' });
        return reply.redirect(`${page.path}?done=${action.done[0]}`, 303);
      } catch (e) {
        if (!isStewardError(e) || !['USAGE', 'NOT_FOUND', 'CONFIG'].includes(e.code)) throw e;
        const message = forTheWeb(e.details.hint ? `${e.message}. ${e.details.hint}` : `${e.message}.`);
        return render(request, reply, 400, { error: `Nothing was changed: ${message}`, form: action.keepForm ? form : undefined });
      }
    });
  }
}
