/**
 * What buildApp takes as `auth` (its AuthHooks): registers access control and the pages that change
 * data, and tells the page header who is signed in. `steward serve` always passes it — with
 * `enabled: false` without --auth, so that the change pages exist and say why they refuse.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { html, type SafeHtml } from '../html.js';
import { manageRoutes } from '../manage/manage-routes.js';
import type { ManageRoutesOptions } from '../manage/mentoring-routes.js';
import { accessPlugin, type AccessOptions } from './access-plugin.js';
import { authorize } from './authorize.js';

export interface AccessHooks {
  register(app: FastifyInstance): Promise<void>;
  nav(request: FastifyRequest): SafeHtml | undefined;
}

export function accessHooks(o: AccessOptions & ManageRoutesOptions): AccessHooks {
  return {
    async register(app) {
      await app.register(accessPlugin, o);
      await app.register(manageRoutes, o);
    },
    nav(request) {
      if (!o.enabled) return undefined;
      const u = request.user;
      if (!u) return html`<a href="/login">Sign in</a>`;
      const manage = authorize(u, 'mentoring.change', { kind: 'mentoring' }).allowed ? html` · <a href="/manage/mentoring">Mentoring</a>` : '';
      return html`<span class="who">${u.name} (${u.role})</span>${manage} · <a href="/logout">Log out</a>`;
    },
  };
}
