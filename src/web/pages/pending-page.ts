/** Pages whose reports are not in this build yet (specs, priorities): say so and how to get the data. */
import { html, type SafeHtml } from '../html.js';
import { notice } from './components.js';
import { page, type PageContext } from './layout.js';

export function pendingPage(pc: PageContext, title: string, what: string): SafeHtml {
  return page(pc, title, notice('note', html`<p>${what}</p>`), { chooser: null });
}
