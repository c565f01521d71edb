/**
 * A report on a store that holds none of the data it reads is refused (STORE_EMPTY), naming the
 * store, what it lacks and the command that fills it: zeros would look like an answer.
 */
import { StewardError } from '../model/errors.js';
import type { Store } from '../store/engine.js';
import { storeHolds, type StoreData } from '../store/queries/store-contents.js';

export type { StoreData };

const WHAT: Record<StoreData, { noun: string; fill: string }> = {
  changes: { noun: 'no changes', fill: '`steward import FILE` (a Gerrit export), `steward sync` (live from Gerrit) or `steward demo`' },
  ci: {
    noun: 'no CI runs (no CI report messages and no Zuul builds)',
    fill: '`steward ci sync` (Zuul builds), or `steward import`/`steward sync` of changes whose messages carry CI reports',
  },
  specs: { noun: 'no specs', fill: '`steward specs sync --repo PATH` (a clone of the specs repository)' },
  git: { noun: 'no code history', fill: '`steward git sync --repo PATH` (a clone of the code repository)' },
  bugs: { noun: 'no Launchpad bugs', fill: '`steward bugs sync` (or `steward bugs import FILE`)' },
  advisories: { noun: 'no security advisories', fill: "`steward security advisories import DIR|FILE…` (e.g. the OSSA repository's ossa/)" },
};

/** The command that fills `kind`: without --repo when the configuration names the repository. */
function fillOf(kind: StoreData, c: { specsRepo?: string; gitRepo?: string; origin?: string }): string {
  const from = c.origin ? ` in ${c.origin}` : '';
  if (kind === 'specs' && c.specsRepo) return `\`steward specs sync\` (it reads specs.repo: ${c.specsRepo}${from})`;
  if (kind === 'git' && c.gitRepo) return `\`steward git sync\` (it reads git.repo: ${c.gitRepo}${from})`;
  return WHAT[kind].fill;
}

/**
 * Refuses a report whose store holds none of `needs` (any one kind suffices when several are
 * given: the electorate counts commits or merged changes), naming the store and what fills it.
 */
export async function checkStoreHolds(
  store: Store,
  report: string,
  needs: readonly StoreData[],
  /** Repositories the configuration names: the sync command then needs no --repo. */
  configured: { specsRepo?: string; gitRepo?: string; origin?: string } = {},
): Promise<void> {
  if (!needs.length) return;
  for (const kind of needs) if (await storeHolds(store.db, kind)) return;
  throw new StewardError('STORE_EMPTY', `the store holds ${needs.map((k) => WHAT[k].noun).join(' and ')}, which ${report} reads`, {
    where: store.location,
    hint: `Fill it with ${needs.map((k) => fillOf(k, configured)).join('; or ')}.`,
  });
}
