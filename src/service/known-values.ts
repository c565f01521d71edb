/** Report parameters that name things in the store (branches, pipelines, CI jobs, Launchpad series), checked once for every report. */
import { StewardError } from '../model/errors.js';
import type { Store } from '../store/engine.js';
import { listKnownValues, missingValues, type KnownKind } from '../store/queries/known-values.js';

/** How many of the names there are a message lists. */
const KNOWN_LISTED = 30;

const PLURAL: Record<KnownKind, string> = { branch: 'branches', pipeline: 'pipelines', job: 'jobs', series: 'series' };
const WHAT: Record<KnownKind, string> = {
  branch: 'no change in the store is on it',
  pipeline: 'no CI run in the store is in it',
  job: 'no CI run in the store ran it',
  series: 'no blueprint in the store is a goal of it and no bug task is on it',
};

/**
 * Refuses names of `kind` the store does not hold, as an unknown project is refused: NOT_FOUND
 * (the command line's exit 10, the web's 400), naming the parameter, the names and those there are.
 */
export async function checkKnownValues(store: Store, param: string, kind: KnownKind, values: readonly string[]): Promise<void> {
  if (!values.length) return;
  const missing = await missingValues(store.db, kind, values);
  if (!missing.length) return;
  const known = await listKnownValues(store.db, kind, KNOWN_LISTED);
  throw new StewardError(
    'NOT_FOUND',
    `${param} ${missing.map((m) => `"${m}"`).join(', ')}: ${missing.length > 1 ? `no such ${PLURAL[kind]}` : `no such ${kind}`} (${WHAT[kind]})`,
    {
      field: param,
      hint: known.length
        ? `${PLURAL[kind][0]!.toUpperCase()}${PLURAL[kind].slice(1)} in the store${known.length >= KNOWN_LISTED ? ` (the first ${KNOWN_LISTED} by name)` : ''}: ${known.join(', ')}.`
        : `The store holds no ${PLURAL[kind]}.`,
    },
  );
}
