/** The frame of every page: navigation, the project and window chooser, the sync status, the footer. */
import { html, type HtmlValue, type SafeHtml } from '../html.js';
import type { Reader } from '../../service/catalogue/report-entry.js';
import type { SyncStatus } from '../sync-status.js';
import type { PageQuery } from './page-queries.js';

export interface PageContext {
  /** The page's path, e.g. /reviewers. */
  path: string;
  /** The query as the page's schema (page-queries.ts) checked it. */
  query: PageQuery;
  /** Projects in the store, for the chooser. */
  projects: string[];
  sync: SyncStatus | null;
  /** Extra navigation (who is signed in), from the auth hooks; already safe HTML. */
  nav?: SafeHtml;
  now: number;
  /** Who reads the page (null: nobody signed in), for the reports that depend on the reader. */
  reader?: Reader;
}

const NAV: Array<[string, string]> = [
  ['/', 'Overview'],
  ['/reviewers', 'Reviewers'],
  ['/core', 'Core team'],
  ['/queue', 'Review queue'],
  ['/dashboards', 'Dashboards'],
  ['/waits', 'Why reviews wait'],
  ['/specs', 'Specs'],
  ['/priorities', 'Priorities'],
  ['/initiatives', 'Initiatives'],
  ['/ci', 'CI'],
  ['/security/advisories', 'Advisories'],
  ['/history', 'Code history'],
  ['/bugs', 'Bugs'],
];

/** The parameters that carry over from page to page: project, window, replay time. */
const CARRIED = ['project', 'days', 'since', 'until', 'now'] as const;

/** A URL on this site with the carried parameters of `q`, changed by `set` (undefined removes). */
export function urlFor(
  path: string,
  q: Record<string, unknown>,
  set: Record<string, string | number | boolean | readonly string[] | undefined> = {},
  keys: readonly string[] = CARRIED,
): string {
  const sp = new URLSearchParams();
  const merged: Record<string, unknown> = {};
  for (const k of keys) if (q[k] !== undefined) merged[k] = q[k];
  for (const [k, v] of Object.entries(set)) merged[k] = v;
  for (const [k, v] of Object.entries(merged)) {
    if (v === undefined || v === null || v === false) continue;
    if (Array.isArray(v)) for (const x of v) sp.append(k, String(x));
    else sp.append(k, String(v));
  }
  const s = sp.toString();
  return s ? `${path}?${s}` : path;
}

/** Links that keep the page's other parameters and change the sort. */
export function sortLink(ctx: PageContext, keep: readonly string[] = []): (key: string, dir: 'asc' | 'desc') => string {
  return (key, dir) => urlFor(ctx.path, ctx.query as Record<string, unknown>, { sort: key, dir }, [...CARRIED, ...keep]);
}

function windowChooser(ctx: PageContext, o: { window: boolean; extra?: HtmlValue }): SafeHtml {
  const q = ctx.query;
  const chosen = q.project?.[0] ?? '';
  const presets = [30, 90, 180].map((d) => {
    const current = !q.since && !q.until && (q.days ?? 90) === d;
    return html`<a href="${urlFor(ctx.path, q as Record<string, unknown>, { days: d, since: undefined, until: undefined })}"${current ? html` aria-current="true" class="current"` : ''}>${d} days</a>`;
  });
  return html`<form class="chooser" method="get" action="${ctx.path}">
<label>Project <select name="project"><option value="">all projects</option>${ctx.projects.map((p) => html`<option${p === chosen ? html` selected` : ''}>${p}</option>`)}</select></label>
${
  o.window
    ? html`<span class="presets">${presets}</span>
<label>From <input type="date" name="since" value="${q.since?.slice(0, 10) ?? ''}"></label>
<label>to <input type="date" name="until" value="${q.until?.slice(0, 10) ?? ''}"></label>`
    : ''
}
${q.now ? html`<input type="hidden" name="now" value="${q.now}">` : ''}
${o.extra ?? ''}
<button type="submit">Show</button>
</form>`;
}

function syncLine(s: SyncStatus | null): SafeHtml {
  if (!s) return html``;
  const t = (ms: number | null) => (ms === null ? 'never' : new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + ' UTC');
  return html`<p class="sync${s.lastError ? ' failed' : ''}">Sync every ${s.everyText}: ${s.running ? html`<strong>running now</strong> (started ${t(s.lastStartedAt)}); ` : ''}last run ${t(s.lastFinishedAt)}${s.lastError ? html` — <strong>failed</strong>: ${s.lastError}` : s.lastFinishedAt !== null ? ' — ok' : ''}; next run ${s.running ? 'after this one' : t(s.nextRunAt)}.</p>`;
}

/** The whole page. `chooser.window`: the page takes a time window. */
export interface PageOptions {
  /** The chooser: project only (window false), project and window (true), or none (null). */
  chooser?: { window: boolean; extra?: HtmlValue } | null;
  /** The API URLs whose JSON the page shows. */
  api?: string[];
  status?: number;
}

/** The whole page. */
export function page(ctx: PageContext, title: string, body: HtmlValue, o: PageOptions = {}): SafeHtml {
  const chooser = o.chooser === undefined ? { window: true } : o.chooser;
  const q = ctx.query as Record<string, unknown>;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${title} — Steward</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/style.css">
<script src="/assets/chart.umd.min.js" defer></script>
<script src="/assets/app.js" defer></script>
</head>
<body>
<div id="progress" hidden role="progressbar" aria-label="Loading the next page"></div>
<header>
<a class="brand" href="${urlFor('/', q)}">Steward</a>
<nav aria-label="Reports"><ul>${NAV.map(([href, label]) => html`<li><a href="${urlFor(href, q)}"${href === ctx.path || (href !== '/' && ctx.path.startsWith(href + '/')) ? html` aria-current="page"` : ''}>${label}</a></li>`)}</ul></nav>
${ctx.nav ?? ''}
</header>
<main>
<h1>${title}</h1>
${chooser ? windowChooser(ctx, chooser) : ''}
${syncLine(ctx.sync)}
${body}
</main>
<footer><p>Every number here is the command line's <code>--format json</code> for the same parameters${o.api?.length ? html`; the JSON: ${o.api.map((u, i) => html`${i ? ', ' : ''}<a href="${u}">${u.split('?')[0]}</a>`)}` : ''}. Definitions: docs/ in Steward's repository.</p></footer>
</body>
</html>`;
}
