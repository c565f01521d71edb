/**
 * `steward people …`: `show`, `merge`, `split` and `import` (people-command.ts, loaded when they run)
 * and `people companies` (a catalogue entry). This module defines the commands only, so that
 * main.ts adds them with one call and `steward --help` loads no store (docs/development.md, "A fast
 * start").
 */
import { Option, type Command } from 'commander';
import { REPORTS } from '../../service/catalogue/report-catalogue.js';
import type { Runtime } from '../context.js';
import { reportCommand } from '../report-command.js';

/** Adds `steward people …` to the program. */
export function registerPeopleCommands(program: Command, rt: Runtime): void {
  const globals = (cmd: Command) => cmd.optsWithGlobals();
  const people = program
    .command('people')
    .description('one person across e-mail addresses, Gerrit accounts and Launchpad ids: show, merge, split');
  people
    .command('show')
    .description('a person: every identity, the evidence that joined them, the splits that held others apart')
    .argument('<identity>', 'an e-mail address, a Gerrit account as HOST/ID, or launchpad:ID')
    .addOption(new Option('--format <format>', 'output format: text or json').default('text'))
    .action(async (identity: string, _o, cmd: Command) => (await import('./people-command.js')).runPeopleShow(identity, globals(cmd), rt));
  people
    .command('merge')
    .description('the people of two identities are one person (recorded with the audit log; refused if split on purpose)')
    .argument('<a>', 'an identity')
    .argument('<b>', 'another identity')
    .option('--note <text>', 'why (kept with the decision)')
    .addOption(new Option('--format <format>', 'output format: text or json').default('text'))
    .action(async (a: string, b: string, _o, cmd: Command) =>
      (await import('./people-command.js')).runPeopleDecision('merge', a, b, globals(cmd), rt),
    );
  people
    .command('split')
    .description('two identities are different people, whatever else links them (recorded with the audit log)')
    .argument('<a>', 'an identity')
    .argument('<b>', 'another identity')
    .option('--note <text>', 'why (kept with the decision)')
    .addOption(new Option('--format <format>', 'output format: text or json').default('text'))
    .action(async (a: string, b: string, _o, cmd: Command) =>
      (await import('./people-command.js')).runPeopleDecision('split', a, b, globals(cmd), rt),
    );
  people
    .command('import')
    .description(
      'identities and affiliations from a contributor file: default_data.json (OpenStack contributor statistics) or a CSV email,company,start,end',
    )
    .argument('<file>', 'the file')
    .addOption(
      new Option('--as <format>', 'the file format (default: from the name: .csv is CSV, else default_data.json)').choices([
        'default-data',
        'csv',
      ]),
    )
    .option('--replace', 'let a file with nobody in it replace what an earlier import of it stored')
    .addOption(new Option('--format <format>', 'output format: text or json').default('text'))
    .action(async (file: string, _o, cmd: Command) => (await import('./people-command.js')).runPeopleImport(file, globals(cmd), rt));
  reportCommand(people, REPORTS.companies, rt);
  reportCommand(people, REPORTS.people, rt);
}
