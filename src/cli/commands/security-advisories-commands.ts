/**
 * `steward security advisories …`: published advisories. `import DIR|FILE…` reads advisory YAML
 * files into the store (security-advisories-command.ts, loaded when it runs); `steward security
 * advisories` is the report (a catalogue entry) and `steward security candidates` the candidates
 * report. This module defines the commands only (docs/development.md, "A fast start").
 */
import { Option, type Command } from 'commander';
import { REPORTS } from '../../service/catalogue/report-catalogue.js';
import type { Runtime } from '../context.js';
import { reportCommand } from '../report-command.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];

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
    .action(async (paths: string[], _o, cmd: Command) =>
      (await import('./security-advisories-command.js')).runAdvisoriesImport(paths, cmd.optsWithGlobals(), rt),
    );
  reportCommand(security, REPORTS.securityCandidates, rt);
}
