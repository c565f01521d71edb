/**
 * The pages: server-rendered HTML that reads without JavaScript. Each page builds its reports
 * through the same functions as the API (reports.ts) and renders them (pages/*.ts). An empty store
 * gets a page that says how to fill it; a bad parameter gets the page with the error on it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from './app-context.js';
import { html, type SafeHtml } from './html.js';
import { emptyStorePage } from './pages/empty-page.js';
import { page, type PageContext } from './pages/layout.js';
import { PAGES, type PageDef } from './pages/page-list.js';
import { pageQuerySchema, type PageQuery } from './pages/page-queries.js';
import { errorBody, statusOf } from './errors.js';
import { pathOf } from './api-routes.js';
import { storeState } from './store-state.js';
import { typed } from './typed-routes.js';

export function registerPageRoutes(app: FastifyInstance, ctx: AppContext): void {
  const routes = typed(app);
  for (const def of PAGES) {
    const preHandler =
      def.action && app.hasDecorator('access') && app.access.enabled
        ? [app.access.require(def.action, { kind: 'report', id: def.path })]
        : [];
    routes.get(def.path, { schema: { querystring: pageQuerySchema(def.path) }, attachValidation: true, preHandler }, async (req, reply) =>
      renderPage(def, req, req.validationError ? {} : req.query, reply, ctx),
    );
  }
}

async function renderPage(
  def: PageDef,
  req: FastifyRequest,
  query: PageQuery,
  reply: FastifyReply,
  ctx: AppContext,
): Promise<FastifyReply> {
  const state = await storeState(ctx.store);
  const pc: PageContext = {
    path: req.url.split('?')[0] ?? def.path,
    query,
    projects: state.projects,
    sync: ctx.syncStatus(),
    nav: ctx.auth?.nav?.(req),
    now: ctx.clock(),
    reader: req.user ?? null,
  };
  reply.type('text/html; charset=utf-8');
  if (req.validationError) {
    const b = errorBody(req.validationError);
    return reply.code(400).send(page(pc, def.title, errorNotice(b.message, b.hint)).value);
  }
  if (state.empty && !def.withoutChanges) return reply.send(emptyStorePage(pc, ctx.store.engine).value);
  let body: SafeHtml;
  try {
    body = await def.render(pc, ctx, pathOf(req));
  } catch (e) {
    const status = statusOf(e);
    if (status >= 500) throw e;
    const b = errorBody(e);
    return reply.code(status).send(page(pc, def.title, errorNotice(b.message, b.hint)).value);
  }
  return reply.send(body.value);
}

function errorNotice(message: string, hint?: string): SafeHtml {
  return html`<div class="notice error" role="alert"><p>${message}</p>${hint ? html`<p>${hint}</p>` : ''}</div>`;
}
