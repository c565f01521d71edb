/**
 * What buildApp takes as `auth` (its AuthHooks): registers access control and the pages that change
 * data, and tells the page header who is signed in. `steward serve` always passes it — with
 * `enabled: false` without --auth, so that the change pages exist and say why they refuse.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { html, type SafeHtml } from '../html.js';
import { manageRoutes } from '../manage/manage-routes.js';
import type { ManageRoutesOptions } from '../manage/mentoring-routes.js';
import type { SecurityRoutesOptions } from '../manage/security-routes.js';
import { page } from '../pages/layout.js';
import { accessPlugin, type AccessOptions } from './access-plugin.js';
import type { PageRenderer } from './auth-pages.js';
import { authorize } from './authorize.js';

export interface AccessHooks {
  register(app: FastifyInstance): Promise<void>;
  nav(request: FastifyRequest): SafeHtml | undefined;
}

/** Who is signed in, with links to the change pages they may use and to log out. */
function navFor(enabled: boolean, request: FastifyRequest): SafeHtml | undefined {
  if (!enabled) return undefined;
  const u = request.user;
  if (!u) return html`<p class="who"><a href="/login">Sign in</a></p>`;
  const manage = [
    authorize(u, 'mentoring.change', { kind: 'mentoring' }).allowed ? html` · <a href="/manage/mentoring">Manage mentoring</a>` : '',
    authorize(u, 'priorities.change', { kind: 'priorities' }).allowed ? html` · <a href="/manage/priorities">Manage priorities</a>` : '',
    authorize(u, 'users.manage', { kind: 'users' }).allowed ? html` · <a href="/manage/users">Manage users</a>` : '',
    authorize(u, 'audit.read', { kind: 'audit' }).allowed ? html` · <a href="/manage/audit">Audit log</a>` : '',
    html` · <a href="/security">Security</a>`,
  ];
  return html`<p class="who">${u.name} (${u.role})${manage} · <a href="/logout">Log out</a></p>`;
}

export function accessHooks(o: AccessOptions & ManageRoutesOptions & SecurityRoutesOptions): AccessHooks {
  // The dashboard's own layout, without the project and window chooser.
  const layout: PageRenderer = (request, title, body) =>
    page(
      { path: request.url.split('?')[0] ?? '/', query: {}, projects: [], sync: null, nav: navFor(o.enabled, request), now: o.clock() },
      title,
      body,
      { chooser: null },
    ).value;
  // The login page needs the dashboard's style sheet and scripts: static files are public.
  const options = { ...o, page: o.page ?? layout, publicPrefixes: o.publicPrefixes ?? ['/assets/', '/favicon.ico'] };
  return {
    async register(app) {
      await app.register(accessPlugin, options);
      await app.register(manageRoutes, options);
    },
    nav: (request) => navFor(o.enabled, request),
  };
}
