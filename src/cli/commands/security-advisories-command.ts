/**
 * `steward security advisories import DIR|FILE…`: reads advisory YAML files into the store
 * (ingest/advisories-import.ts); loaded when it runs (security-advisories-commands.ts defines it).
 */
import { resolve } from 'node:path';
import { StewardError } from '../../model/errors.js';
import { importAdvisories, readAdvisories, type AdvisoryImportSummary } from '../../ingest/advisories-import.js';
import { openStoreFor, type GlobalOptions, type Runtime } from '../context.js';
import { parseFormat } from '../options.js';

export interface AdvisoriesImportOptions extends GlobalOptions {
  knownProduct?: string[];
  quiet?: boolean;
  format?: string;
}

function renderImport(r: AdvisoryImportSummary): string {
  return (
    `${r.files} advisory file(s): ${r.added} new, ${r.replaced} replaced; ${r.stored} advisories stored; ` +
    `${r.linkedToCommits} of the ${r.withBugs} with Launchpad bugs link to fixing commits of the code history; ${(r.durationMs / 1000).toFixed(1)} s\n`
  );
}

/** `steward security advisories import DIR|FILE…`: every file is checked before anything is stored. */
export async function runAdvisoriesImport(paths: string[], o: AdvisoriesImportOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  if (format === 'csv') throw new StewardError('USAGE', 'steward security advisories import prints its summary as text or json, not csv');
  const started = rt.clock();
  const known = o.knownProduct?.length ? new Set(o.knownProduct.map((p) => p.trim().toLowerCase())) : undefined;
  const records = readAdvisories(
    paths.map((p) => resolve(rt.cwd, p)),
    { knownProducts: known },
  );
  const store = await openStoreFor(o, rt);
  let summary: AdvisoryImportSummary;
  try {
    summary = await importAdvisories(store, records, records.length, rt.clock, started);
  } finally {
    await store.close();
  }
  if (format === 'json') rt.stdout(JSON.stringify(summary, null, 2) + '\n');
  else if (!o.quiet) rt.stdout(renderImport(summary));
}
