/**
 * The `steward` command: the only place that reads process.env and process.argv, and the one
 * error boundary. User errors print one line (plus a hint) and exit with the code from the error
 * catalogue; anything unexpected prints its stack and asks for a report.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { ERROR_CODES, isStewardError } from '../model/errors.js';
import { REPORTS } from '../service/catalogue/report-catalogue.js';
import { initiativeCommand } from './commands/initiative-commands.js';
import { registerBugsCommands } from './commands/bugs-commands.js';
import { addAdvisoryCommands } from './commands/security-advisories-commands.js';
import { securityCommand } from './commands/security-commands.js';
import { registerPeopleCommands } from './commands/people-commands.js';
import { readSecretFromProcess } from './read-secret.js';
import { reportCommand } from './report-command.js';
import type { Runtime } from './context.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function buildProgram(rt: Runtime): Command {
  const program = new Command('steward')
    .description('Evidence about how a Gerrit-based project is really doing.')
    .version(stewardVersion(), '-V, --version', 'print the version and exit')
    .option('--db <location>', 'store: a SQLite file path or a postgres:// URL (default: $STEWARD_DB or ./steward.db)')
    .option('--config <path>', 'configuration file (default: $STEWARD_CONFIG or ./steward.yaml)')
    .option('--debug', 'show stack traces for errors')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: rt.stdout, writeErr: rt.stderr });

  const globals = (cmd: Command) => cmd.optsWithGlobals();
  const format = () => new Option('--format <format>', 'output format: text, json or csv').default('text');

  program
    .command('import')
    .description('import Gerrit export files (REST change list JSON, or SSH `gerrit query --format=JSON` lines)')
    .argument('<files...>', 'export files')
    .option(
      '--host <name>',
      'Gerrit host the files come from (default: the only host in steward.yaml, else the only host in the store, else "default")',
    )
    .option('--allow-empty', 'accept export files with no changes (otherwise an error: usually a failed download)')
    .option('--quiet', 'print nothing but errors')
    .addOption(new Option('--format <format>', 'summary format: text or json').default('text'))
    .action(async (files: string[], _o, cmd: Command) => (await import('./commands/import-command.js')).runImport(files, globals(cmd), rt));

  program
    .command('sync')
    .description('fetch changes from Gerrit over its REST API into the store: incremental, resumable')
    .option('--host <name>', 'only this host from steward.yaml')
    .option('--project <name>', 'only this project (repeat for several; default: every project in steward.yaml)', collect)
    .option('--since <date>', 'fetch changes updated since this date instead of since the checkpoint')
    .option('--full', 'ignore the checkpoint and fetch every change (unchanged ones are not rewritten)')
    .option('--replace', 'let a source that finds nothing (no specs, another history, an empty core group) replace what is stored')
    .option(
      '--credentials <file>',
      'netrc-format credentials file, mode 0600 (default: $STEWARD_CREDENTIALS; or STEWARD_GERRIT_USERNAME/STEWARD_GERRIT_PASSWORD)',
    )
    .option('--page-size <n>', 'changes per request (default 500)')
    .option('--timeout <seconds>', 'per-request timeout (default 30)')
    .option('--concurrency <n>', 'requests in flight at most (default 2)')
    .option('--max-retries <n>', 'retries (429, 5xx, timeouts, dropped connections) before stopping at a resumable checkpoint (default 30)')
    .option('--every <duration>', 'keep running: sync again every DURATION (e.g. 15m), never two at once')
    .option('--quiet', 'print nothing but errors')
    .addOption(new Option('--format <format>', 'summary format: text or json').default('text'))
    .action(async (_o, cmd: Command) => (await import('./commands/sync-command.js')).runSync(globals(cmd), rt));

  const core = program.command('core').description('the core team');
  // The reports are catalogue entries (service/catalogue): their options come from the entry.
  reportCommand(core, REPORTS.coreHistory, rt);
  reportCommand(core, REPORTS.coreIdle, rt);
  reportCommand(core, REPORTS.coreCandidates, rt);
  reportCommand(core, REPORTS.coreLoad, rt);
  reportCommand(core, REPORTS.coreMentoring, rt);
  reportCommand(core, REPORTS.coreCompanies, rt);
  const mentor = core.command('mentor').description('track mentoring relationships (stored in the store)');
  mentor
    .command('add')
    .description('start mentoring CANDIDATE (username, Gerrit account id or email) by a core')
    .argument('<candidate>', 'the candidate')
    .requiredOption('--mentor <core>', 'the mentoring core reviewer')
    .option('--note <text>', 'a note (what the mentoring is about)')
    .option('--since <date>', 'start date (default: now)')
    .option('--host <name>', 'the Gerrit host the accounts are on, when several')
    .option('--now <time>', 'the current time (for replays and tests)')
    .addOption(new Option('--format <format>', 'output format: text or json').default('text'))
    .action(async (candidate: string, _o, cmd: Command) =>
      (await import('./commands/core-command.js')).runMentorAdd(candidate, globals(cmd), rt),
    );
  mentor
    .command('end')
    .description("end CANDIDATE's running mentorship(s)")
    .argument('<candidate>', 'the candidate')
    .option('--mentor <core>', 'only the mentorship with this mentor')
    .option('--note <text>', 'why or how it ended')
    .option('--at <date>', 'end date (default: now)')
    .option('--host <name>', 'the Gerrit host the accounts are on, when several')
    .option('--now <time>', 'the current time (for replays and tests)')
    .addOption(new Option('--format <format>', 'output format: text or json').default('text'))
    .action(async (candidate: string, _o, cmd: Command) =>
      (await import('./commands/core-command.js')).runMentorEnd(candidate, globals(cmd), rt),
    );
  mentor
    .command('list')
    .description('running mentorships (--all: ended ones too)')
    .option('--all', 'include mentorships that have ended')
    .addOption(format())
    .action(async (_o, cmd: Command) => (await import('./commands/core-command.js')).runMentorList(globals(cmd), rt));

  const priorities = program
    .command('priorities')
    .description("a release's priorities (steward.yaml and the store): were their changes reviewed faster?");
  reportCommand(priorities, REPORTS.priorities, rt);
  reportCommand(priorities, REPORTS.prioritiesList, rt);
  priorities
    .command('add')
    .description('store a priority of a release: a title and the blueprints, topics or Gerrit queries it covers')
    .option('--release <name>', 'the release')
    .option('--title <text>', 'the title (unique in the release)')
    .option('--blueprint <name>', 'a blueprint (repeatable)', collect)
    .option('--topic <topic>', 'a Gerrit topic (repeatable)', collect)
    .option('--query <query>', 'a Gerrit search query (repeatable)', collect)
    .option('--by <name>', 'who adds it (recorded with it)')
    .option('--now <time>', 'the current time (for replays and tests)')
    .addOption(new Option('--format <format>', 'output format: text or json').default('text'))
    .action(async (_o, cmd: Command) => (await import('./commands/priorities-command.js')).runPrioritiesAdd(globals(cmd), rt));
  priorities
    .command('remove')
    .description('remove a stored priority of a release by title')
    .option('--release <name>', 'the release')
    .option('--title <text>', 'its title')
    .addOption(new Option('--format <format>', 'output format: text or json').default('text'))
    .action(async (_o, cmd: Command) => (await import('./commands/priorities-command.js')).runPrioritiesRemove(globals(cmd), rt));

  initiativeCommand(program, rt);

  const ci = program.command('ci').description('CI job health: Zuul builds, false failures, voting readiness');
  ci.command('sync')
    .description("fetch builds from Zuul's REST API (steward.yaml `zuul`) into the store: incremental, resumable")
    .option('--project <name>', 'only this project (repeat for several; default: zuul.projects, else every project)', collect)
    .option('--since <date>', 'fetch builds started since this date instead of since the checkpoint')
    .option('--full', 'ignore the checkpoint and fetch every build of the project')
    .option('--page-size <n>', 'builds per request (default 200)')
    .option('--timeout <seconds>', 'per-request timeout (default 30)')
    .option('--concurrency <n>', 'requests in flight at most (default 2)')
    .option('--max-retries <n>', 'retries (429, 5xx, timeouts, dropped connections) before stopping at a resumable checkpoint (default 30)')
    .option('--quiet', 'print nothing but errors')
    .addOption(new Option('--format <format>', 'summary format: text or json').default('text'))
    .action(async (_o, cmd: Command) => (await import('./commands/ci-command.js')).runCiSync(globals(cmd), rt));
  reportCommand(ci, REPORTS.ciJobs, rt);
  reportCommand(ci, REPORTS.ciReadiness, rt);
  reportCommand(ci, REPORTS.ciExperimental, rt);

  const git = program
    .command('git')
    .description('code history: commits of a local clone, how they landed, the blueprints and bugs they name');
  git
    .command('sync')
    .description("read a local git clone's branch into the store (every commit, its trailers and landing): incremental")
    .option('--repo <path>', 'the clone (working tree or bare) or a git bundle file (default: steward.yaml git.repo)')
    .option('--branch <name>', 'the main branch (default: git.branch, else the branch HEAD points to)')
    .option('--name <name>', 'store the history under this name (default: git.name, else the directory name)')
    .option('--full', 'read every commit again instead of only the new ones')
    .option('--replace', 'let a source that finds nothing (no specs, another history, an empty core group) replace what is stored')
    .option('--quiet', 'print nothing but errors')
    .addOption(new Option('--format <format>', 'summary format: text or json').default('text'))
    .action(async (_o, cmd: Command) => (await import('./commands/git-command.js')).runGitSync(globals(cmd), rt));
  git
    .command('blueprint')
    .description('the commits and Gerrit changes that name each blueprint, with landing, merge and abandon times')
    .argument('<names...>', 'blueprint names (case-insensitive)')
    .option('--name <name>', 'only commits of the repository stored under this name')
    .option('--project <name>', 'only Gerrit changes of this project (repeat for several)', collect)
    .addOption(new Option('--format <format>', 'output format: text or json').default('text'))
    .action(async (names: string[], _o, cmd: Command) =>
      (await import('./commands/git-command.js')).runGitBlueprint(names, globals(cmd), rt),
    );

  const specs = program.command('specs').description('feature specs: why approved specs do not land');
  specs
    .command('sync')
    .description(
      'read a specs repository (a local git clone) into the store: titles, blueprints, approval and implementation dates, re-proposals, renames',
    )
    .option('--repo <path>', 'the specs repository (default: specs.repo in steward.yaml)')
    .option('--replace', 'let a source that finds nothing (no specs, another history, an empty core group) replace what is stored')
    .option('--strict', 'exit with code 19 (INPUT_PARTIAL) when some files could not be read as expected (the rest is stored either way)')
    .addOption(new Option('--format <format>', 'summary format: text or json').default('text'))
    .action(async (_o, cmd: Command) => (await import('./commands/specs-command.js')).runSpecsSync(globals(cmd), rt));
  reportCommand(specs, REPORTS.specs, rt);

  registerBugsCommands(program, rt);

  const db = program.command('db').description('the store');
  db.command('migrate')
    .description('bring the store schema up to date (safe to re-run)')
    .addOption(format())
    .action(async (_o, cmd: Command) => (await import('./commands/db-command.js')).runDbMigrate(globals(cmd), rt));
  db.command('info')
    .description('engine, schema version and row counts per table')
    .option('--exact', 'count every row (the CI builds, and big PostgreSQL tables, are estimated otherwise)')
    .addOption(format())
    .action(async (_o, cmd: Command) => (await import('./commands/db-command.js')).runDbInfo(globals(cmd), rt));

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
    .action(async (_o, cmd: Command) => (await import('./commands/demo-command.js')).runDemo(globals(cmd), rt));

  reportCommand(program, REPORTS.reviewers, rt);

  reportCommand(program, REPORTS.overview, rt, {
    extend: (cmd) => cmd.option('--demo-if-empty', 'when the store is empty, generate the demo project first'),
    run: async (o) => (await import('./commands/overview-command.js')).runOverview(o, rt),
  });

  reportCommand(program, REPORTS.queue, rt);

  reportCommand(program, REPORTS.waits, rt);

  reportCommand(program, REPORTS.history, rt);

  registerPeopleCommands(program, rt);
  reportCommand(program, REPORTS.electorate, rt);

  program
    .command('dashboard')
    .description('evaluate a dashboard of Gerrit search queries against the store, or print its Gerrit URL')
    .argument('[name]', 'a dashboard from steward.yaml or shipped with Steward (none: list them)')
    .option('--file <path>', 'a gerrit-dash-creator .dash file instead of a named dashboard')
    .option('--query <query>', 'one Gerrit search query instead of a dashboard')
    .option('--project <name>', 'only changes of this project (repeat for several; default: all)', collect)
    .option('--as <user>', 'who "self" is in the queries (owner:self, label:Code-Review>=1,self)')
    .option('--now <time>', 'evaluate as of this time')
    .option('--gerrit-url', 'print the URL that opens the dashboard in Gerrit instead')
    .option('--list', 'list the dashboards')
    .option('--show <n>', 'changes shown per section in text (default 20)')
    .addOption(format())
    .action(async (name: string | undefined, _o, cmd: Command) =>
      (await import('./commands/dashboard-command.js')).runDashboard(name, globals(cmd), rt),
    );

  program
    .command('audit')
    .description('the audit log: sign-ins, refusals and every change made from the web or by `steward user`, newest first')
    .option('--limit <n>', 'most events shown (default 50)')
    .option('--event <name>', 'only this event; a family name (login) matches its members (login.failed, login.locked)')
    .option('--actor <name>', 'only events by this user (the command line is "command line")')
    .option('--subject <name>', 'only events about this user or item')
    .option('--outcome <outcome>', 'only ok, refused or failed events')
    .option('--since <date>', 'only events at or after this time')
    .option('--until <date>', 'only events before this time')
    .addOption(format())
    .action(async (_o, cmd: Command) => (await import('./commands/audit-command.js')).runAudit(globals(cmd), rt));

  const user = program.command('user').description('accounts for the web dashboard (steward serve --auth)');
  user
    .command('add')
    .description('add a user; the password comes from $STEWARD_USER_PASSWORD, a prompt without echo, or the first line of standard input')
    .argument('<name>', 'the name to log in with')
    .requiredOption('--role <role>', 'viewer (reads), lead (also changes mentoring and priorities) or admin (also manages users)')
    .addOption(new Option('--format <format>', 'output format: text or json').default('text'))
    .action(async (name: string, _o, cmd: Command) => (await import('./commands/user-command.js')).runUserAdd(name, globals(cmd), rt));
  user
    .command('list')
    .description('users, their roles, live sessions and status')
    .addOption(format())
    .action(async (_o, cmd: Command) => (await import('./commands/user-command.js')).runUserList(globals(cmd), rt));
  user
    .command('set-role')
    .description("change a user's role")
    .argument('<name>', 'the user')
    .argument('<role>', 'viewer, lead or admin')
    .action(async (name: string, role: string, _o, cmd: Command) =>
      (await import('./commands/user-command.js')).runUserSetRole(name, role, globals(cmd), rt),
    );
  user
    .command('disable')
    .description('stop a user from logging in and end its sessions')
    .argument('<name>', 'the user')
    .action(async (name: string, _o, cmd: Command) =>
      (await import('./commands/user-command.js')).runUserDisable(name, true, globals(cmd), rt),
    );
  user
    .command('enable')
    .description('let a disabled user log in again')
    .argument('<name>', 'the user')
    .action(async (name: string, _o, cmd: Command) =>
      (await import('./commands/user-command.js')).runUserDisable(name, false, globals(cmd), rt),
    );
  user
    .command('password')
    .description("set a user's password (as for add) and end its sessions")
    .argument('<name>', 'the user')
    .action(async (name: string, _o, cmd: Command) => (await import('./commands/user-command.js')).runUserPassword(name, globals(cmd), rt));

  program
    .command('serve')
    .description('the web dashboard: every report as pages with charts, and as JSON under /api/v1/')
    .option('--port <n>', 'port to listen on (0: any free port)', '7878')
    .option('--host <address>', 'address to listen on (default 127.0.0.1: this machine only)', '127.0.0.1')
    .option('--sync-every <duration>', 'sync from Gerrit every DURATION (e.g. 1h) while serving; the overview shows the last and next run')
    .option('--credentials <file>', 'for --sync-every: netrc-format credentials file, mode 0600 (as steward sync)')
    .option('--auth', 'require signing in (accounts from `steward user add`); leads and admins may change mentoring and priorities')
    .option(
      '--compute-threads <n>',
      'threads that compute reports, each with its own store connection, so a long one never holds up the server (0: on the server thread)',
      '1',
    )
    .option(
      '--queue-per-client <n>',
      'uncached reports one reader (user or address) may have computing or waiting; more get 503 (default 4, or web.queue.perClient)',
    )
    .option('--queue-max-waiting <n>', 'uncached reports waiting over all readers; more get 503 (default 64, or web.queue.maxWaiting)')
    .option('--quiet', 'print nothing but errors')
    .action(async (_o, cmd: Command) => (await import('./commands/serve-command.js')).runServe(globals(cmd), rt));

  // The security team: the embargoed tracker and roster, with the published advisories and candidates.
  addAdvisoryCommands(securityCommand(program, rt), rt);

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
    rt.stderr(
      `steward: internal error: ${err?.message ?? String(e)}\n${err?.stack ?? ''}\nThis is a bug in Steward; please report it with the command you ran.\n`,
    );
    return ERROR_CODES.INTERNAL.exit;
  }
}

/** Entry point (bin/steward.js): the only place that touches the real process. */
/**
 * Steward's version, from package.json (two folders up from both src/cli and dist/cli). A copy of
 * the CLI bundled elsewhere (the kill tests' bundle) has no package.json there: "unknown".
 */
function stewardVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * The cache of validated configurations (config/config-cache.ts), beside Node's compile cache
 * (bin/steward.js): $XDG_CACHE_HOME, else ~/.cache, under steward/config-cache;
 * STEWARD_NO_CONFIG_CACHE=1 turns it off.
 */
function configCacheDir(): string | undefined {
  if (process.env.STEWARD_NO_CONFIG_CACHE === '1') return undefined;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'steward', 'config-cache');
}

export async function runCli(): Promise<void> {
  // A reader that stops early (`steward reviewers | head`) closes the pipe: stop quietly, as other
  // command-line tools do, rather than with an unhandled EPIPE stack.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  const rt: Runtime = {
    cwd: process.cwd(),
    env: {
      STEWARD_DB: process.env.STEWARD_DB,
      STEWARD_CONFIG: process.env.STEWARD_CONFIG,
      STEWARD_GERRIT_USERNAME: process.env.STEWARD_GERRIT_USERNAME,
      STEWARD_GERRIT_PASSWORD: process.env.STEWARD_GERRIT_PASSWORD,
      STEWARD_CREDENTIALS: process.env.STEWARD_CREDENTIALS,
      STEWARD_USER_PASSWORD: process.env.STEWARD_USER_PASSWORD,
      STEWARD_SECURITY_KEY: process.env.STEWARD_SECURITY_KEY,
      STEWARD_SECURITY_KEY_FILE: process.env.STEWARD_SECURITY_KEY_FILE,
      STEWARD_SECURITY_NEW_KEY: process.env.STEWARD_SECURITY_NEW_KEY,
      STEWARD_SECURITY_NEW_KEY_FILE: process.env.STEWARD_SECURITY_NEW_KEY_FILE,
      STEWARD_LAUNCHPAD_TOKEN: process.env.STEWARD_LAUNCHPAD_TOKEN,
      STEWARD_LAUNCHPAD_TOKEN_SECRET: process.env.STEWARD_LAUNCHPAD_TOKEN_SECRET,
      STEWARD_LAUNCHPAD_CONSUMER: process.env.STEWARD_LAUNCHPAD_CONSUMER,
      STEWARD_LAUNCHPAD_CREDENTIALS: process.env.STEWARD_LAUNCHPAD_CREDENTIALS,
      STEWARD_DEMO_CHANGES: process.env.STEWARD_DEMO_CHANGES,
    },
    clock: () => Date.now(),
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    isTty: Boolean(process.stderr.isTTY),
    progressStream: process.stderr.isTTY ? process.stderr : undefined,
    readSecret: readSecretFromProcess,
    configCacheDir: configCacheDir(),
  };
  process.exitCode = await main(process.argv.slice(2), rt);
}
