/** The projects a report asks for, checked against the store. */
import { StewardError } from '../model/errors.js';

/**
 * Refuses projects that have no changes in the store (`known`), naming them and listing the
 * projects there are (or saying how to fill an empty store).
 */
export function checkProjects(asked: readonly string[] | undefined, known: readonly string[]): void {
  const missing = (asked ?? []).filter((p) => !known.includes(p));
  if (missing.length) {
    throw new StewardError('NOT_FOUND', `no changes of project ${missing.map((m) => `"${m}"`).join(', ')} in the store`, {
      hint: known.length
        ? `Projects in the store: ${[...new Set(known)].join(', ')}.`
        : 'The store is empty: run `steward import FILE` or `steward demo`.',
    });
  }
}
