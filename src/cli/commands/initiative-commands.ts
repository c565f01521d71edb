/**
 * `steward initiative add|edit|list|remove|note|status|brief`: initiatives, tracked work across
 * releases. This module defines the commands and their options only (Commander and the catalogue):
 * `add`, `edit`, `remove` and `note` load initiative-command.ts when they run, and `status`, `brief`
 * and `list` are catalogue entries (service/catalogue/initiative-entries.ts), so `steward --help`
 * loads neither the store nor the initiatives' code (docs/development.md, "A fast start").
 */
import { Option, type Command } from 'commander';
import { StewardError } from '../../model/errors.js';
import { SCOPE_KINDS, type TrackedScope } from '../../model/initiatives.js';
import { REPORTS } from '../../service/catalogue/report-catalogue.js';
import type { Runtime } from '../context.js';
import { addReportOptions, runReport } from '../report-command.js';
import type { Opts } from './initiative-command.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];
const run = () => import('./initiative-command.js');

/** The option of each scope kind (repeatable). */
const SCOPE_OPTIONS: Record<keyof TrackedScope, [string, string]> = {
  blueprints: ['--blueprint <name>', 'a blueprint (repeatable)'],
  specs: ['--spec <name>', 'a spec of the specs repository: its blueprint or file name (repeatable)'],
  topics: ['--topic <topic>', 'a Gerrit topic, exact (repeatable)'],
  queries: ['--query <query>', 'a Gerrit search query (repeatable)'],
  bugs: ['--bug <number>', 'a bug number (repeatable)'],
  bugTags: ['--bug-tag <tag>', 'a bug tag (repeatable; needs bug data)'],
  commitPatterns: ['--commit-pattern <regex>', 'a regular expression over commit messages, case-insensitive (repeatable)'],
  paths: ['--path <prefix>', 'a path prefix in the tree (repeatable)'],
};

/** The `initiative` command and its subcommands (main.ts adds it with one line). */
export function initiativeCommand(program: Command, rt: Runtime): Command {
  const ini = program
    .command('initiative')
    .description('initiatives: plans across releases, tracked on evidence (milestones, stalls, blockers, notes)');
  const fmt = () => new Option('--format <format>', 'output format: text or json').default('text');
  const globals = (cmd: Command) => cmd.optsWithGlobals<Opts>();
  const definition = (cmd: Command): Command => {
    cmd
      .option('--title <text>', 'the title')
      .option('--goal <text>', 'what it is for, in a sentence')
      .option('--owner <name>', 'an owner (repeatable)', collect)
      .option('--milestone <spec>', 'TITLE=RELEASE, TITLE=YYYY-MM-DD or TITLE=RELEASE,YYYY-MM-DD, in due order (repeatable)', collect)
      .option('--stall-weeks <n>', 'weeks without a merged change or landed commit that make a stall (default 6)');
    for (const k of SCOPE_KINDS) cmd.option(SCOPE_OPTIONS[k][0], SCOPE_OPTIONS[k][1], collect);
    return cmd
      .option(
        '--from <file>',
        'the whole definition from a YAML or JSON file (the shape of steward.yaml `initiatives` entries; milestones may have their own scope)',
      )
      .option('--allow-empty', 'store it even when its scope matches nothing yet (a plan before any work)')
      .option('--by <name>', 'who makes the change (recorded, and in the audit log)')
      .option('--now <time>', 'the current time (for replays and tests)')
      .addOption(fmt());
  };
  definition(
    ini
      .command('add')
      .description('store an initiative: goal, owners, scope, milestones across releases')
      .argument('[name]', 'its short name (like cells-v2)'),
  ).action(async (name: string | undefined, _o, cmd: Command) => (await run()).runInitiativeAdd(name, globals(cmd), rt));
  definition(
    ini
      .command('edit')
      .description('change a stored initiative: each option given replaces that field (a scope option replaces that kind)')
      .argument('<name>'),
  ).action(async (name: string, _o, cmd: Command) => (await run()).runInitiativeEdit(name, globals(cmd), rt));
  ini
    .command('remove')
    .description('remove a stored initiative with its notes')
    .argument('<name>')
    .option('--by <name>', 'who removes it (in the audit log)')
    .addOption(fmt())
    .action(async (name: string, _o, cmd: Command) => (await run()).runInitiativeRemove(name, globals(cmd), rt));
  ini
    .command('note')
    .description('add a question, decision or feedback (dated, attributed), or resolve one with --resolve ID')
    .argument('<name>')
    .option('--kind <kind>', 'question, decision or feedback')
    .option('--text <text>', 'what it says (with --resolve: the answer)')
    .option('--link <url>', 'where it was said (a mailing-list post, an etherpad)')
    .option('--by <name>', 'who raised, took or gave it')
    .option('--at <time>', 'when (default: now)')
    .option('--resolve <id>', 'resolve the note with this id')
    .option('--now <time>', 'the current time (for replays and tests)')
    .addOption(fmt())
    .action(async (name: string, _o, cmd: Command) => (await run()).runInitiativeNote(name, globals(cmd), rt));
  const list = ini.command('list').description("every initiative (steward.yaml's and the store's)");
  addReportOptions(list, REPORTS.initiativeList);
  list.action(async (_o, cmd: Command) => {
    const o = globals(cmd);
    if (o.format === 'csv') throw new StewardError('USAGE', '--format: initiative list is text or json');
    await runReport(REPORTS.initiativeList, o, rt);
  });
  const status = ini
    .command('status')
    .description(
      'where it stands (as of --now): open questions, milestones planned vs done, burn-up, stalls, blockers, people, review wait',
    )
    .argument('<name>');
  addReportOptions(status, REPORTS.initiativeStatus);
  status.action(async (name: string, _o, cmd: Command) => runReport(REPORTS.initiativeStatus, globals(cmd), rt, { name }));
  const brief = ini.command('brief').description('a one-page brief to paste (--format markdown, or json)').argument('<name>');
  addReportOptions(brief, REPORTS.initiativeBrief);
  brief.options.find((x) => x.long === '--format')!.description = 'output format: markdown (the default) or json';
  brief.action(async (name: string, _o, cmd: Command) => {
    const o = globals(cmd);
    const f = o.format === undefined || o.format === 'text' || o.format === 'markdown' ? 'text' : o.format;
    if (f !== 'json' && f !== 'text') throw new StewardError('USAGE', `--format: the brief is markdown or json, not "${String(o.format)}"`);
    await runReport(REPORTS.initiativeBrief, { ...o, format: f }, rt, { name });
  });
  return ini;
}
