/**
 * `steward bugs …`: Launchpad bugs into the store (`sync`, `import`, in bugs-command.ts, loaded when
 * they run) and the bug reports (`backlog`, `rota`, `targets`: catalogue entries,
 * service/catalogue/bugs-entries.ts). This module defines the commands only, so that `steward
 * --help` loads no store, Launchpad client or progress bar (docs/development.md, "A fast start").
 * docs/bugs.md describes them.
 */
import { Option, type Command } from 'commander';
import { REPORTS } from '../../service/catalogue/report-catalogue.js';
import type { Runtime } from '../context.js';
import { reportCommand } from '../report-command.js';

/** Registers `steward bugs` and its subcommands on the program (main.ts calls this). */
export function registerBugsCommands(program: Command, rt: Runtime): void {
  const globals = (cmd: Command) => cmd.optsWithGlobals();
  const collect = (v: string, prev: string[] = []) => [...prev, v];
  const bugs = program.command('bugs').description('bugs from Launchpad: the backlog, the trivial-fix rota, targets for systematic fixing');
  bugs
    .command('sync')
    .description("fetch bug tasks, bugs and blueprints from Launchpad's web service (steward.yaml bugs.launchpad): incremental, resumable")
    .option('--project <name>', 'only this Launchpad project (repeat for several; default: bugs.launchpad.projects)', collect)
    .option('--url <url>', 'the web service root (default: bugs.launchpad.url, else https://api.launchpad.net/devel)')
    .option('--since <date>', 'fetch bugs modified since this date instead of since the checkpoint')
    .option('--full', 'ignore the checkpoint and fetch every bug task')
    .option('--no-blueprints', 'do not read the blueprints')
    .option(
      '--no-security-intake',
      "do not take embargoed bugs into the security tracker after the sync (run with the tracker's key in STEWARD_SECURITY_KEY[_FILE], it does)",
    )
    .option(
      '--credentials <file>',
      'Launchpad OAuth token file (launchpadlib format), mode 0600 (default: $STEWARD_LAUNCHPAD_CREDENTIALS; or STEWARD_LAUNCHPAD_TOKEN/STEWARD_LAUNCHPAD_TOKEN_SECRET)',
    )
    .option('--page-size <n>', 'entries per request, ws.size (default 300)')
    .option('--timeout <seconds>', 'per-request timeout (default 30)')
    .option('--concurrency <n>', 'requests in flight at most (default 4)')
    .option('--max-retries <n>', 'retries (429, 5xx, timeouts, dropped connections) before stopping at a resumable checkpoint (default 30)')
    .option('--quiet', 'print nothing but errors')
    .addOption(new Option('--format <format>', 'summary format: text or json').default('text'))
    .action(async (_o, cmd: Command) => (await import('./bugs-command.js')).runBugsSync(globals(cmd), rt));
  bugs
    .command('import')
    .description('import saved Launchpad pages (searchTasks pages, bugs, blueprints) into the store; all or nothing')
    .argument('[files...]', 'JSON files')
    .option(
      '--series <NAME=FILE>',
      "a saved page of series NAME's blueprints ({root}/{project}/{series}/all_specifications): their series goal (repeat for several; FILE alone: the series its links name)",
      collect,
    )
    .option('--quiet', 'print nothing but errors')
    .addOption(new Option('--format <format>', 'summary format: text or json').default('text'))
    .action(async (files: string[], _o, cmd: Command) => (await import('./bugs-command.js')).runBugsImport(files, globals(cmd), rt));
  reportCommand(bugs, REPORTS.bugsBacklog, rt);
  reportCommand(bugs, REPORTS.bugsRota, rt);
  reportCommand(bugs, REPORTS.bugsTargets, rt);
  reportCommand(bugs, REPORTS.bugsBlueprints, rt);
}
