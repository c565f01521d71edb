/**
 * How the web runs a catalogue entry's build: on the server's thread (here), or on compute threads
 * (view-workers.ts) that `steward serve` starts so that a long report never holds up the server.
 */
import type { Reader, ReportEntry } from '../service/catalogue/report-entry.js';
import type { ParamDefs } from '../service/catalogue/param-schema.js';
import type { EffectiveConfig } from '../service/effective-config.js';
import type { Store } from '../store/engine.js';

/** Builds `entry` with resolved `params`: the same call whichever thread runs it. */
export type ReportCompute = <S extends ParamDefs, P, R>(
  entry: ReportEntry<S, P, R>,
  store: Store,
  params: P,
  config: EffectiveConfig,
  now: number,
  reader: Reader,
) => Promise<R>;

/** On the server's own thread. */
export const computeInProcess: ReportCompute = (entry, store, params, config, now, reader) =>
  entry.build(store, params, config, now, reader);
