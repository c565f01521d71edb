/** Building blocks of the pages: tables (sortable, filterable), charts with their tables, numbers. */
import { html, jsonForScript, type HtmlValue, type SafeHtml } from '../html.js';

export interface Column<T> {
  /** Stable key: the `sort` URL parameter and the client sorter use it. */
  key: string;
  label: string;
  /** Right-aligned, sorted as a number. */
  numeric?: boolean;
  cell: (row: T) => HtmlValue;
  /** What the column sorts by (default: the cell's text for text columns). */
  sort?: (row: T) => number | string | null;
  title?: string;
}

export interface TableOptions {
  id: string;
  caption?: string;
  /** Show the filter box (client script). */
  filter?: boolean;
  /** Server-side sort (pages without JavaScript): `?sort=key&dir=asc|desc`. */
  sort?: { key?: string; dir?: 'asc' | 'desc'; link: (key: string, dir: 'asc' | 'desc') => string };
  empty?: string;
}

const sortKey = (v: number | string | null): string => (v === null ? '' : String(v));

/** A table; its rows sorted by `o.sort` when given (the same order the client sorter produces). */
export function table<T>(columns: ReadonlyArray<Column<T>>, rows: readonly T[], o: TableOptions): SafeHtml {
  let sorted = rows;
  const sortCol = o.sort?.key ? columns.find((c) => c.key === o.sort!.key && (c.sort || !c.numeric)) : undefined;
  if (sortCol && o.sort) {
    const dir = o.sort.dir === 'asc' ? 1 : -1;
    const val = (r: T) => (sortCol.sort ? sortCol.sort(r) : String(sortCol.cell(r) ?? ''));
    sorted = [...rows].sort((a, b) => {
      const x = val(a);
      const y = val(b);
      if (x === y) return 0;
      if (x === null) return 1;
      if (y === null) return -1;
      return (x < y ? -1 : 1) * dir;
    });
  }
  const head = columns.map((c) => {
    const dir = sortCol === c && o.sort?.dir === 'desc' ? 'asc' : 'desc';
    const aria = sortCol === c ? (o.sort?.dir === 'asc' ? 'ascending' : 'descending') : null;
    const label =
      o.sort && (c.sort || !c.numeric) ? html`<a class="sort" href="${o.sort.link(c.key, dir)}">${c.label}</a>` : html`${c.label}`;
    return html`<th scope="col" data-key="${c.key}"${c.numeric ? html` class="num"` : ''}${aria ? html` aria-sort="${aria}"` : ''}${c.title ? html` title="${c.title}"` : ''}>${label}</th>`;
  });
  const body = sorted.map(
    (r) =>
      html`<tr>${columns.map((c) => {
        const s = c.sort ? c.sort(r) : undefined;
        return html`<td${c.numeric ? html` class="num"` : ''}${s !== undefined ? html` data-sort="${sortKey(s)}"` : ''}>${c.cell(r)}</td>`;
      })}</tr>`,
  );
  const filter = o.filter
    ? html`<p class="filter" hidden><label>Filter <input type="search" data-filter-for="${o.id}" placeholder="type to filter rows"></label></p>`
    : '';
  return html`${filter}<div class="table-wrap"><table id="${o.id}" class="data${o.sort ? ' sortable' : ''}">${o.caption ? html`<caption>${o.caption}</caption>` : ''}<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>${rows.length === 0 ? html`<p class="empty">${o.empty ?? 'Nothing to show.'}</p>` : ''}`;
}

/** A chart's data, as the client chart script reads it. */
export interface ChartSpec {
  type: 'line' | 'bar';
  /** Labels of the x axis (weeks, days, releases). */
  labels: Array<string | number>;
  series: Array<{
    label: string;
    data: Array<number | null>;
    axis?: 'y' | 'y2';
    stepped?: boolean;
    /** A pointwise confidence band drawn as a shaded area around the line (null where unknown). */
    band?: { low: Array<number | null>; high: Array<number | null> };
  }>;
  yTitle?: string;
  y2Title?: string;
  xTitle?: string;
  /** Values are fractions shown as percentages. */
  percent?: boolean;
  /** Leave missing values (null) as gaps in the lines, rather than joining across them. */
  gaps?: boolean;
  /** Top of the y axis (small multiples share one scale). */
  yMax?: number;
  /** One of several small charts side by side (a shorter box). */
  small?: boolean;
}

/**
 * A chart drawn by the client script from the JSON block, with the table of its numbers in a
 * `<details>` right under it (there without JavaScript too).
 */
export function chart(id: string, title: string, spec: ChartSpec, note?: HtmlValue): SafeHtml {
  const fmt = (v: number | null) => (v === null ? '–' : spec.percent ? `${(v * 100).toFixed(1)}%` : String(v));
  return html`<figure class="chart">
<figcaption>${title}</figcaption>
<div class="chart-box${spec.small ? ' small' : ''}"><canvas id="${id}" data-chart="${id}-data" role="img" aria-label="${title}"></canvas></div>
<script type="application/json" id="${id}-data">${jsonForScript(spec)}</script>
${note ? html`<p class="note">${note}</p>` : ''}
<details><summary>Table of the numbers</summary><div class="table-wrap"><table class="data"><thead><tr><th scope="col">${spec.xTitle ?? ''}</th>${spec.series.map((s) => html`<th scope="col" class="num">${s.label}</th>${s.band ? html`<th scope="col" class="num">95% band</th>` : ''}`)}</tr></thead>
<tbody>${spec.labels.map((l, i) => html`<tr><td>${l}</td>${spec.series.map((s) => html`<td class="num">${fmt(s.data[i] ?? null)}</td>${s.band ? html`<td class="num">${fmt(s.band.low[i] ?? null)}–${fmt(s.band.high[i] ?? null)}</td>` : ''}`)}</tr>`)}</tbody></table></div></details>
</figure>`;
}

export const pct = (x: number | null | undefined, digits = 1): string =>
  x === null || x === undefined ? '–' : `${(x * 100).toFixed(digits)}%`;
export const num = (x: number | null | undefined): string => (x === null || x === undefined ? '–' : x.toLocaleString('en-US'));
export const day = (s: string | null | undefined): string => (s ? s.slice(0, 10) : '–');

/** A person by username, else name, else Gerrit id; the full name as a tooltip. */
export function person(a: { username: string | null; name: string | null; gerritAccountId: number | null }): SafeHtml {
  const label = a.username ?? a.name ?? (a.gerritAccountId !== null ? `#${a.gerritAccountId}` : '?');
  return a.name && a.name !== label ? html`<span title="${a.name}">${label}</span>` : html`${label}`;
}

/** A link to a change in Gerrit when its URL is known (only http(s) URLs become links). */
export function changeLink(number: number, url: string | null | undefined): SafeHtml {
  return url && /^https?:\/\//i.test(url) ? html`<a href="${url}" rel="noopener noreferrer">${number}</a>` : html`${number}`;
}

/** A small figure with its label. */
export function stat(label: HtmlValue, value: HtmlValue, sub?: HtmlValue): SafeHtml {
  return html`<div class="stat"><div class="stat-value">${value}</div><div class="stat-label">${label}</div>${sub ? html`<div class="stat-sub">${sub}</div>` : ''}</div>`;
}

/** A message box: errors in red, notes neutral. */
export function notice(kind: 'error' | 'note' | 'warn', body: HtmlValue): SafeHtml {
  return html`<div class="notice ${kind}" role="${kind === 'error' ? 'alert' : 'note'}">${body}</div>`;
}
