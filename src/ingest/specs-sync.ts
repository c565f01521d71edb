/**
 * The specs sync (`steward specs sync`): a specs repository (sources/specs/) → spec records →
 * store, replacing what the last sync stored. Two steps, so the caller can read the repository
 * before it opens the store (a repository that cannot be read creates no store): `readSpecs`, then
 * `storeSpecs` with the release calendar in effect, which sorts the releases and warns about
 * release directories the calendar does not name.
 */
import type { StewardConfig } from '../config/config-schema.js';
import { findRelease, type ReleaseDates } from '../model/release-calendar.js';
import type { SpecRecord, SpecsWarning } from '../model/specs.js';
import { readSpecsRepo, type SpecsRepoRead } from '../sources/specs/read-specs-repo.js';
import { OPENSTACK_LAYOUT, type SpecsLayout } from '../sources/specs/spec-layout.js';
import type { Store } from '../store/engine.js';
import { StewardError } from '../model/errors.js';
import { countSpecs, loadSpecsSync, replaceSpecs } from '../store/queries/specs.js';

/** What `steward specs sync --format json` prints. */
export interface SpecsSyncSummary {
  repo: string;
  head: string;
  headAt: string;
  commits: number;
  specs: number;
  releases: Array<{ release: string; approved: number; implemented: number; inCalendar: boolean }>;
  backlog: number;
  abandoned: number;
  removed: number;
  calendar: string;
  warnings: SpecsWarning[];
}

/** The layout in effect: the OpenStack default with steward.yaml `specs.layout` keys in place of its own. */
export function specsLayout(config: StewardConfig): SpecsLayout {
  return { ...OPENSTACK_LAYOUT, ...(config.specs?.layout ?? {}) };
}

/** Reads the specs repository at `repo` (a git clone) by `layout`; nothing is written. */
export function readSpecs(repo: string, layout: SpecsLayout): Promise<SpecsRepoRead> {
  return readSpecsRepo(repo, layout);
}

/**
 * Stores what `readSpecs` read in place of the previous sync's specs and returns the summary.
 * `calendar`: the release calendar in effect and where it comes from (for messages).
 *
 * A repository with no specs does not replace stored ones (SOURCE_EMPTY, nothing changed) unless
 * `replace` is set: pointed at the code repository by mistake, the sync would otherwise wipe them.
 */
export async function storeSpecs(
  store: Store,
  repo: string,
  read: SpecsRepoRead,
  opts: { calendar: readonly ReleaseDates[]; calendarSource: string; syncedAt: number; replace?: boolean },
): Promise<SpecsSyncSummary> {
  const { calendar, calendarSource: source } = opts;
  if (read.specs.length === 0 && !opts.replace) {
    const stored = await countSpecs(store.db);
    if (stored > 0) {
      const last = await loadSpecsSync(store.db);
      throw new StewardError(
        'SOURCE_EMPTY',
        `found no specs in this repository, but the store holds ${stored} specs${last ? ` from ${last.repo} (synced ${new Date(last.syncedAt).toISOString().slice(0, 10)})` : ''}; they were kept and nothing was changed`,
        {
          where: repo,
          hint: 'Check --repo (the specs repository, not the code repository?) and specs.layout in steward.yaml. To replace the stored specs with none, run again with --replace.',
        },
      );
    }
  }
  const warnings = [...read.warnings];
  const byRelease = new Map<string, SpecRecord[]>();
  for (const s of read.specs) {
    if (s.release === null) continue;
    const l = byRelease.get(s.release);
    if (l) l.push(s);
    else byRelease.set(s.release, [s]);
  }
  const releases = [...byRelease.entries()].map(([release, list]) => ({
    release,
    approved: list.length,
    implemented: list.filter((s) => s.implementedAt !== null).length,
    inCalendar: findRelease(calendar, release) !== null,
  }));
  for (const r of releases) {
    if (r.inCalendar) continue;
    const dir = byRelease.get(r.release)![0]!.firstPath.split('/').slice(0, -1).join('/');
    warnings.push({
      kind: 'unknown-release',
      file: dir,
      message: `release directory "${r.release}" is not in the release calendar (${source}); its ${r.approved} specs are stored but left out of the report until steward.yaml releases names it`,
    });
  }
  const order = (name: string) => findRelease(calendar, name)?.release ?? Number.MAX_SAFE_INTEGER;
  releases.sort((a, b) => order(a.release) - order(b.release) || (a.release < b.release ? -1 : 1));
  await replaceSpecs(
    store.db,
    { repo, head: read.head, headAt: read.headAt, syncedAt: opts.syncedAt, commits: read.commits, warnings },
    read.specs,
  );
  return {
    repo,
    head: read.head,
    headAt: new Date(read.headAt).toISOString(),
    commits: read.commits,
    specs: read.specs.length,
    releases,
    backlog: read.specs.filter((s) => s.state === 'backlog').length,
    abandoned: read.specs.filter((s) => s.state === 'abandoned').length,
    removed: read.specs.filter((s) => s.state === 'removed').length,
    calendar: source,
    warnings,
  };
}
