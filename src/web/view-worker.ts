/**
 * Worker thread body for the web's compute threads (view-workers.ts): opens its own connection to
 * the store and runs report views on request, so a long computation never holds up the server's
 * main thread (which keeps answering cached views, pages, sign-ins).
 *
 * Messages in: `{ id, name, params, config, now }`. Out: `{ id, ok: true, value }` or
 * `{ id, ok: false, error: { code, message, details } }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { StewardError } from '../model/errors.js';
import type { EffectiveConfig } from '../service/effective-config.js';
import type { Store } from '../store/engine.js';
import { openStore } from '../store/open-store.js';
import type { ReportViews } from './report-views.js';

interface Setup {
  location: string;
  /** The module whose `defaultReportViews` this worker runs (tests give their own). */
  viewsModule: string;
}

interface Call {
  id: number;
  name: keyof ReportViews;
  params: unknown;
  config: EffectiveConfig;
  now: number;
}

const setup = workerData as Setup;
const port = parentPort!;
// Opened once, on the first call; the server has already migrated the store.
let ready: Promise<{ store: Store; views: ReportViews }> | null = null;
const open = () =>
  (ready ??= (async () => {
    const { defaultReportViews } = (await import(setup.viewsModule)) as { defaultReportViews: ReportViews };
    return { store: await openStore(setup.location, { migrate: false }), views: defaultReportViews };
  })());

port.on('message', (m: Call | { type: 'close' }) => {
  if ('type' in m) {
    void (async () => {
      if (ready) await (await ready.catch(() => null))?.store.close();
      port.close();
    })();
    return;
  }
  void (async () => {
    try {
      const { store, views } = await open();
      const fn = views[m.name] as unknown as (s: Store, p: unknown, c: EffectiveConfig, n: number) => Promise<unknown>;
      port.postMessage({ id: m.id, ok: true, value: await fn(store, m.params, m.config, m.now) });
    } catch (e) {
      const error = e instanceof StewardError
        ? { code: e.code, message: e.message, details: e.details }
        : { code: 'INTERNAL', message: `the report failed: ${(e as Error)?.message ?? String(e)}`, details: {} };
      port.postMessage({ id: m.id, ok: false, error });
    }
  })();
});
