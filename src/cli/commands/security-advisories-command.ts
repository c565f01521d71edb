/**
 * `steward security advisories …`: published advisories. `import DIR|FILE…` reads advisory YAML
 * files into the store (ingest/advisories-import.ts); `steward security advisories` is the report
 * (a catalogue entry) and `steward security candidates` the candidates report.
 */
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { StewardError } from '../../model/errors.js';
import { importAdvisories, readAdvisories, type AdvisoryImportSummary } from '../../ingest/advisories-import.js';
import { REPORTS } from '../../service/catalogue/report-catalogue.js';
import { openStoreFor, type GlobalOptions, type Runtime } from '../context.js';
import { parseFormat } from '../options.js';
import { reportCommand } from '../report-command.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];

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

/** Adds `advisories` (the report, and `advisories import`) and `candidates` under `security`. */
export function addAdvisoryCommands(security: Command, rt: Runtime): void {
  const advisories = reportCommand(security, REPORTS.securityAdvisories, rt);
  advisories
    .command('import')
    .description('import published advisories (OSSA YAML files, or directories of them) into the store, in one transaction')
    .argument('<paths...>', "advisory YAML files or directories holding them (e.g. the OSSA repository's ossa/)")
    .option('--known-product <name>', 'a product advisories may name (repeat; default: any well-formed name)', collect)
    .option('--quiet', 'print nothing but errors')
    .addOption(new Option('--format <format>', 'summary format: text or json').default('text'))
    .action(async (paths: string[], _o, cmd: Command) => runAdvisoriesImport(paths, cmd.optsWithGlobals(), rt));
  reportCommand(security, REPORTS.securityCandidates, rt);
}
