/**
 * `steward specs sync`: reads a specs repository into the store (ingest/specs-sync.ts). `steward specs
 * report` (why approved specs don't land) is a catalogue entry (service/catalogue/specs-entries.ts).
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { readSpecs, specsLayout, storeSpecs, type SpecsSyncSummary } from '../../ingest/specs-sync.js';
import { StewardError } from '../../model/errors.js';
import { releaseCalendar } from '../../service/releases.js';
import { configFor, effectiveConfig, openStoreFor, storeLocation, type GlobalOptions, type Runtime } from '../context.js';
import { parseFormat } from '../options.js';

export interface SpecsSyncOptions extends GlobalOptions {
  repo?: string;
  format?: string;
  strict?: boolean;
  /** Let a repository with no specs replace the stored ones (`--replace`). */
  replace?: boolean;
}

/** Reads the repository, stores what it holds, and returns the summary (ingest/specs-sync.ts). */
export async function specsSync(o: SpecsSyncOptions, rt: Runtime): Promise<SpecsSyncSummary> {
  const loaded = await configFor(o, rt);
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
    throw new StewardError('USAGE', 'no specs repository given', {
      hint: 'Give --repo PATH (a git clone of the specs repository) or set specs.repo in steward.yaml.',
    });
  }
  // A path in steward.yaml is relative to the file; one on the command line to the working directory.
  const repo = o.repo ? resolve(rt.cwd, o.repo) : resolve(loaded.path ? dirname(loaded.path) : rt.cwd, configured!);
  const read = await readSpecs(repo, specsLayout(loaded.config));
  const store = await openStoreFor(o, rt);
  try {
    const { config, origin } = await effectiveConfig(o, rt, store);
    const { calendar, source } = releaseCalendar(config, origin);
    return await storeSpecs(store, repo, read, { calendar, calendarSource: source, syncedAt: rt.clock(), replace: o.replace === true });
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
    throw new StewardError(
      'INPUT_PARTIAL',
      `${summary.warnings.length} spec file(s) or directories could not be read as expected (listed above); the rest was stored`,
      { where: summary.repo },
    );
  }
}
