/**
 * The `steward` command: the only place that reads process.env and process.argv, and the one
 * error boundary. User errors print one line (plus a hint) and exit with the code from the error
 * catalogue; anything unexpected prints its stack and asks for a report.
 */
import { Command, CommanderError, Option } from 'commander';
import { ERROR_CODES, isStewardError } from '../model/errors.js';
import { runCoreHistory } from './commands/core-command.js';
import { runDbInfo, runDbMigrate } from './commands/db-command.js';
import { runDemo } from './commands/demo-command.js';
import { runImport } from './commands/import-command.js';
import { runOverview } from './commands/overview-command.js';
import { runSync } from './commands/sync-command.js';
import type { Runtime } from './context.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function buildProgram(rt: Runtime): Command {
  const program = new Command('steward')
    .description('Evidence about how a Gerrit-based project is really doing.')
    .option('--db <location>', 'store: a SQLite file path or a postgres:// URL (default: $STEWARD_DB or ./steward.db)')
    .option('--config <path>', 'configuration file (default: $STEWARD_CONFIG or ./steward.yaml)')
    .option('--debug', 'show stack traces for errors')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: rt.stdout, writeErr: rt.stderr });

  const globals = (cmd: Command) => cmd.optsWithGlobals();
  const format = () => new Option('--format <format>', 'output format: text, json or csv').default('text');
  const withWindow = (cmd: Command) =>
    cmd
      .option('--project <name>', 'project (repeat for several; default: all)', collect)
      .option('--days <n>', 'the window is the N days before --until (default 90)')
      .option('--since <date>', 'window start (inclusive), e.g. 2015-01-01')
      .option('--until <date>', 'window end (exclusive; default: --now)')
      .option('--now <time>', 'report as of this time instead of the current time (replays the past)');

  program
    .command('import')
    .description('import Gerrit export files (REST change list JSON, or SSH `gerrit query --format=JSON` lines)')
    .argument('<files...>', 'export files')
    .option('--host <name>', 'Gerrit host the files come from (default: the only host in steward.yaml, else "default")')
    .option('--quiet', 'print nothing but errors')
    .addOption(new Option('--format <format>', 'summary format: text or json').default('text'))
    .action(async (files: string[], _o, cmd: Command) => runImport(files, globals(cmd), rt));

  program
    .command('sync')
    .description('fetch changes from Gerrit over its REST API into the store: incremental, resumable')
    .option('--host <name>', 'only this host from steward.yaml')
    .option('--project <name>', 'only this project (repeat for several; default: every project in steward.yaml)', collect)
    .option('--since <date>', 'fetch changes updated since this date instead of since the checkpoint')
    .option('--full', 'ignore the checkpoint and fetch every change (unchanged ones are not rewritten)')
    .option('--credentials <file>', 'netrc-format credentials file, mode 0600 (default: $STEWARD_CREDENTIALS; or STEWARD_GERRIT_USERNAME/STEWARD_GERRIT_PASSWORD)')
    .option('--page-size <n>', 'changes per request (default 500)')
    .option('--timeout <seconds>', 'per-request timeout (default 30)')
    .option('--concurrency <n>', 'requests in flight at most (default 2)')
    .option('--max-retries <n>', 'retries (429, 5xx, timeouts, dropped connections) before stopping at a resumable checkpoint (default 30)')
    .option('--every <duration>', 'keep running: sync again every DURATION (e.g. 15m), never two at once')
    .option('--quiet', 'print nothing but errors')
    .addOption(new Option('--format <format>', 'summary format: text or json').default('text'))
    .action(async (_o, cmd: Command) => runSync(globals(cmd), rt));

  const core = program.command('core').description('the core team');
  core
    .command('history')
    .description("joins and leaves of each project's core group, from the snapshots `steward sync` records")
    .option('--project <name>', 'project (repeat for several; default: all with a core group)', collect)
    .addOption(format())
    .action(async (_o, cmd: Command) => runCoreHistory(globals(cmd), rt));

  const db = program.command('db').description('the store');
  db.command('migrate').description('bring the store schema up to date (safe to re-run)').addOption(format()).action(async (_o, cmd: Command) => runDbMigrate(globals(cmd), rt));
  db.command('info').description('engine, schema version and row counts per table').addOption(format()).action(async (_o, cmd: Command) => runDbInfo(globals(cmd), rt));

  program
    .command('demo')
    .description('generate the demo project (seeded, deterministic), write it as export files and import it')
    .option('--seed <n>', 'random seed', '42')
    .option('--changes <n>', 'number of changes', '5000')
    .option('--months <n>', 'months of history', '12')
    .option('--now <time>', 'the demo history ends at this time (default: today, 00:00 UTC)')
    .option('--out <dir>', 'folder for the export files and the demo steward.yaml', 'steward-demo')
    .option('--no-import', 'only write the files')
    .option('--quiet', 'print nothing but errors')
    .action(async (_o, cmd: Command) => runDemo(globals(cmd), rt));

  withWindow(program.command('overview').description('the project at a glance: changes, open changes and waits, reviewers, CI'))
    .addOption(format())
    .option('--demo-if-empty', 'when the store is empty, generate the demo project first')
    .action(async (_o, cmd: Command) => runOverview(globals(cmd), rt));

  return program;
}

export async function main(argv: string[], rt: Runtime): Promise<number> {
  const program = buildProgram(rt);
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.help' || e.code === 'commander.version') return 0;
      return ERROR_CODES.USAGE.exit;
    }
    if (isStewardError(e)) {
      rt.stderr(`steward: ${e.describe()}\n`);
      if (debug && e.cause) rt.stderr(`${(e.cause as Error)?.stack ?? String(e.cause)}\n`);
      return e.exitCode;
    }
    const err = e as Error;
    rt.stderr(`steward: internal error: ${err?.message ?? String(e)}\n${err?.stack ?? ''}\nThis is a bug in Steward; please report it with the command you ran.\n`);
    return ERROR_CODES.INTERNAL.exit;
  }
}

/** Entry point (bin/steward.js): the only place that touches the real process. */
export async function runCli(): Promise<void> {
  const rt: Runtime = {
    cwd: process.cwd(),
    env: {
      STEWARD_DB: process.env.STEWARD_DB,
      STEWARD_CONFIG: process.env.STEWARD_CONFIG,
      STEWARD_GERRIT_USERNAME: process.env.STEWARD_GERRIT_USERNAME,
      STEWARD_GERRIT_PASSWORD: process.env.STEWARD_GERRIT_PASSWORD,
      STEWARD_CREDENTIALS: process.env.STEWARD_CREDENTIALS,
    },
    clock: () => Date.now(),
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    isTty: Boolean(process.stderr.isTTY),
    progressStream: process.stderr.isTTY ? process.stderr : undefined,
  };
  process.exitCode = await main(process.argv.slice(2), rt);
}
