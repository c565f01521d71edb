/** The page an empty store gets: how to fill it, instead of an error. */
import { html, type SafeHtml } from '../html.js';
import { page, type PageContext } from './layout.js';

export function emptyStorePage(pc: PageContext, engine: string): SafeHtml {
  return page(
    pc,
    'The store is empty',
    html`<div class="notice note" role="note">
<p>There are no changes in this store (${engine}) yet, so there is nothing to report. Fill it, then reload this page:</p>
<ul>
<li><code>steward demo</code> — the seeded demo project, to look around (a minute);</li>
<li><code>steward sync</code> — changes from the Gerrit servers in <code>steward.yaml</code> (or start the server with <code>steward serve --sync-every 1h</code>);</li>
<li><code>steward import FILE…</code> — Gerrit export files.</li>
</ul>
<p>Use the same <code>--db</code> (or <code>STEWARD_DB</code>) as this server.</p>
</div>`,
    { chooser: null },
  );
}
