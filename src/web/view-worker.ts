/**
 * Worker thread body for the web's compute threads (view-workers.ts): opens its own connection to
 * the store and builds catalogue reports on request, so a long computation never holds up the server's
 * main thread (which keeps answering cached views, pages, sign-ins).
 *
 * Messages in: `{ id, name, params, config, now, reader }` (name: the catalogue entry). Out: `{ id, ok: true, value }` or
 * `{ id, ok: false, error: { code, message, details } }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { StewardError } from '../model/errors.js';
import type { AnyReportEntry, Reader } from '../service/catalogue/report-entry.js';
import type { EffectiveConfig } from '../service/effective-config.js';
import type { Store } from '../store/engine.js';
import { openStore } from '../store/open-store.js';

interface Setup {
  location: string;
  /** The module whose `CATALOGUE` this worker runs (tests give their own). */
  catalogueModule: string;
}

interface Call {
  id: number;
  name: string;
  params: unknown;
  config: EffectiveConfig;
  now: number;
  reader: Reader;
}

const setup = workerData as Setup;
const port = parentPort!;
// Opened once, on the first call; the server has already migrated the store.
let ready: Promise<{ store: Store; catalogue: Readonly<Record<string, AnyReportEntry>> }> | null = null;
const open = () =>
  (ready ??= (async () => {
    const { CATALOGUE } = (await import(setup.catalogueModule)) as { CATALOGUE: Readonly<Record<string, AnyReportEntry>> };
    return { store: await openStore(setup.location, { migrate: false, largePageCache: true }), catalogue: CATALOGUE };
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
      const { store, catalogue } = await open();
      const entry = catalogue[m.name];
      if (!entry) throw new StewardError('INTERNAL', `no report named "${m.name}" in the compute thread's catalogue`);
      port.postMessage({ id: m.id, ok: true, value: await entry.build(store, m.params, m.config, m.now, m.reader) });
    } catch (e) {
      const error =
        e instanceof StewardError
          ? { code: e.code, message: e.message, details: e.details }
          : { code: 'INTERNAL', message: `the report failed: ${(e as Error)?.message ?? String(e)}`, details: {} };
      port.postMessage({ id: m.id, ok: false, error });
    }
  })();
});
