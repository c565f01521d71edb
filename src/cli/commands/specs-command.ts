/**
 * `steward specs sync`: reads a specs repository (sources/specs/) into the store. `steward specs
 * report` (why approved specs don't land) is a catalogue entry (service/catalogue/specs-entries.ts).
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { StewardConfig } from '../../config/config-schema.js';
import { StewardError } from '../../model/errors.js';
import { findRelease } from '../../model/release-calendar.js';
import type { SpecRecord, SpecsWarning } from '../../model/specs.js';
import { releaseCalendar } from '../../service/specs-report-view.js';
import { readSpecsRepo } from '../../sources/specs/read-specs-repo.js';
import { OPENSTACK_LAYOUT, type SpecsLayout } from '../../sources/specs/spec-layout.js';
import { replaceSpecs } from '../../store/queries/specs.js';
import { configFor, effectiveConfig, openStoreFor, storeLocation, type GlobalOptions, type Runtime } from '../context.js';
import { parseFormat } from '../options.js';

export interface SpecsSyncOptions extends GlobalOptions {
  repo?: string;
  format?: string;
  strict?: boolean;
}

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

/** Reads the repository, stores what it holds, and returns the summary. */
export async function specsSync(o: SpecsSyncOptions, rt: Runtime): Promise<SpecsSyncSummary> {
  const loaded = configFor(o, rt);
  let configured = loaded.config.specs?.repo;
  const location = storeLocation(o, rt);
  if (!o.repo && !configured && !loaded.path && (/^postgres/i.test(location) || existsSync(location))) {
    // No steward.yaml: the demo project's configuration that `steward demo` keeps in the store names
    // its specs repository (by an absolute path). A store that does not exist is not created for this.
    const store = await openStoreFor(o, rt);
    try {
      configured = (await effectiveConfig(o, rt, store)).config.specs?.repo;
    } finally {
      await store.close();
    }
  }
  if (!o.repo && !configured) {
    throw new StewardError('USAGE', 'no specs repository given', { hint: 'Give --repo PATH (a git clone of the specs repository) or set specs.repo in steward.yaml.' });
  }
  // A path in steward.yaml is relative to the file; one on the command line to the working directory.
  const repo = o.repo ? resolve(rt.cwd, o.repo) : resolve(loaded.path ? dirname(loaded.path) : rt.cwd, configured!);
  const read = await readSpecsRepo(repo, specsLayout(loaded.config));
  const store = await openStoreFor(o, rt);
  try {
    const { config, origin } = await effectiveConfig(o, rt, store);
    const { calendar, source } = releaseCalendar(config, origin);
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
      warnings.push({ kind: 'unknown-release', file: dir, message: `release directory "${r.release}" is not in the release calendar (${source}); its ${r.approved} specs are stored but left out of the report until steward.yaml releases names it` });
    }
    const order = (name: string) => findRelease(calendar, name)?.release ?? Number.MAX_SAFE_INTEGER;
    releases.sort((a, b) => order(a.release) - order(b.release) || (a.release < b.release ? -1 : 1));
    await replaceSpecs(store.db, { repo, head: read.head, headAt: read.headAt, syncedAt: rt.clock(), commits: read.commits, warnings }, read.specs);
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
  } finally {
    await store.close();
  }
}

export function renderSpecsSyncText(s: SpecsSyncSummary): string {
  const lines = [
    `Read ${s.repo} at ${s.head.slice(0, 12)} (${s.headAt.slice(0, 10)}): ${s.commits} main-line commits, ${s.specs} specs.`,
    `  ${s.releases.length} releases: ${s.releases.map((r) => `${r.release} ${r.implemented}/${r.approved}${r.inCalendar ? '' : ' (not in the calendar)'}`).join(', ')} (implemented/approved)`,
    `  backlog ${s.backlog}, abandoned ${s.abandoned}, removed or moved away ${s.removed}`,
    `  calendar: ${s.calendar}`,
  ];
  if (s.warnings.length) {
    lines.push(`${s.warnings.length} warning(s); everything else was stored:`);
    for (const w of s.warnings) lines.push(`  ${w.file}: ${w.message}`);
  }
  return lines.join('\n') + '\n';
}

export async function runSpecsSync(o: SpecsSyncOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  if (format === 'csv') throw new StewardError('USAGE', '--format must be text or json for specs sync');
  const summary = await specsSync(o, rt);
  rt.stdout(format === 'json' ? JSON.stringify(summary, null, 2) + '\n' : renderSpecsSyncText(summary));
  if (o.strict && summary.warnings.length) {
    throw new StewardError('INPUT_PARTIAL', `${summary.warnings.length} spec file(s) or directories could not be read as expected (listed above); the rest was stored`, { where: summary.repo });
  }
}
