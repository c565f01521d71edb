/**
 * The pages of access control: login, logout, and the refusals (401, 403, a stale form). They are
 * rendered inside the dashboard's layout when buildApp passes one (`PageRenderer`), else a plain
 * page. No inline script or style, so a strict Content-Security-Policy holds.
 */
import type { FastifyRequest } from 'fastify';
import { html, type SafeHtml } from '../html.js';
import type { AuthUser } from './authorize.js';

/** Puts a page body (without its title) into the site's layout, which shows the title. */
export type PageRenderer = (request: FastifyRequest, title: string, body: SafeHtml) => string;

/** A plain page, for an app without the dashboard's layout (tests of the plugin alone). */
export const plainPage: PageRenderer = (request, title, body) => {
  const user: AuthUser | null = request.user;
  return `<!doctype html>\n${
    html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} — Steward</title></head>
<body><header><a href="/">Steward</a>${user ? html` · signed in as <strong>${user.name}</strong> (${user.role}) · <a href="/logout">Log out</a>` : ''}</header>
<main><h1>${title}</h1>${body}</main></body></html>`.value
  }`;
};

/** A hidden form field carrying the CSRF token. */
export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

export function loginBody(o: { csrf: string; next: string; name?: string; error?: string }): SafeHtml {
  return html`${o.error ? html`<div class="notice error" role="alert"><p>${o.error}</p></div>` : ''}
<form method="post" action="/login" class="login">
  ${csrfField(o.csrf)}
  <input type="hidden" name="next" value="${o.next}">
  <p><label for="login-name">Name</label><br><input id="login-name" name="name" autocomplete="username" required maxlength="64" value="${o.name ?? ''}" autofocus></p>
  <p><label for="login-password">Password</label><br><input id="login-password" name="password" type="password" autocomplete="current-password" required maxlength="1024"></p>
  <p><button type="submit">Sign in</button></p>
</form>
<p class="hint">Accounts are made with <code>steward user add NAME --role viewer|lead|admin</code>.</p>`;
}

export function logoutBody(o: { csrf: string; user: AuthUser }): SafeHtml {
  return html`<p>Signed in as <strong>${o.user.name}</strong> (${o.user.role}).</p>
<form method="post" action="/logout">${csrfField(o.csrf)}<button type="submit">Log out</button></form>`;
}

export function refusalBody(o: { status: number; reason: string; login?: boolean; back?: string }): SafeHtml {
  return html`<div class="notice error" role="alert"><p>${o.reason}</p></div>
${o.login ? html`<p><a href="/login?next=${encodeURIComponent(o.back ?? '/')}">Sign in</a></p>` : ''}
${o.back && !o.login ? html`<p><a href="${o.back}">Back</a></p>` : ''}
<p class="hint">HTTP ${o.status}</p>`;
}

/** True for a request that wants a page rather than JSON. */
export function wantsHtml(request: FastifyRequest): boolean {
  if (request.url.startsWith('/api/')) return false;
  const accept = request.headers.accept ?? '';
  return !accept.includes('application/json') || accept.includes('text/html');
}

/** A local path to go back to after login; anything else (another site, `//host`) becomes `/`. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[^\s]*$/.test(next) && next.length <= 2000 ? next : '/';
}
