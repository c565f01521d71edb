/**
 * `steward initiative add|edit|list|remove|note|status|brief`: initiatives, tracked work across
 * releases (service/initiatives-view.ts). Changes to the store are written to the audit log, as the
 * web form's are (actor "command line", or `--by`). `status`, `brief` and `list` are catalogue
 * entries (service/catalogue/initiative-entries.ts).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { StewardError } from '../../model/errors.js';
import { SCOPE_KINDS, type TrackedScope } from '../../model/initiatives.js';
import { REPORTS } from '../../service/catalogue/report-catalogue.js';
import {
  addInitiative,
  editInitiative,
  noteInitiative,
  parseMilestoneArg,
  removeInitiative,
  type InitiativeInputDef,
} from '../../service/initiatives-view.js';
import { appendAudit } from '../../store/users-store.js';
import type { Store } from '../../store/engine.js';
import { effectiveConfig, openStoreFor, type GlobalOptions, type Runtime } from '../context.js';
import { parseFormat, parseTime } from '../options.js';
import { addReportOptions, runReport } from '../report-command.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];

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
const OPTION_KEY: Record<keyof TrackedScope, string> = {
  blueprints: 'blueprint',
  specs: 'spec',
  topics: 'topic',
  queries: 'query',
  bugs: 'bug',
  bugTags: 'bugTag',
  commitPatterns: 'commitPattern',
  paths: 'path',
};

type Opts = GlobalOptions & Record<string, unknown>;

const nowOf = (o: Opts, rt: Runtime): number => (typeof o.now === 'string' ? parseTime(o.now, '--now') : rt.clock());

function scopeFrom(o: Opts): Partial<Record<keyof TrackedScope, string[]>> {
  const s: Partial<Record<keyof TrackedScope, string[]>> = {};
  for (const k of SCOPE_KINDS) {
    const v = o[OPTION_KEY[k]];
    if (Array.isArray(v)) s[k] = v as string[];
  }
  return s;
}

/** A definition file (`--from FILE`): YAML or JSON, the shape of one entry of steward.yaml's `initiatives`. */
function fromFile(path: string, cwd: string): InitiativeInputDef {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(resolve(cwd, path), 'utf8'));
  } catch (e) {
    throw new StewardError('USAGE', `--from ${path}: cannot read it as YAML or JSON: ${(e as Error).message}`, {}, { cause: e });
  }
  const d = raw as Partial<InitiativeInputDef> | null;
  if (!d || typeof d !== 'object' || typeof d.name !== 'string' || !Array.isArray(d.milestones))
    throw new StewardError(
      'USAGE',
      `--from ${path}: expected an initiative like steward.yaml's \`initiatives\` entries (name, title, goal, owners, scope, milestones)`,
    );
  return {
    name: d.name,
    title: d.title ?? d.name,
    goal: d.goal ?? '',
    owners: d.owners ?? [],
    scope: d.scope ?? {},
    milestones: d.milestones,
    stallWeeks: d.stallWeeks ?? null,
  };
}

const stallOf = (o: Opts): number | undefined => {
  if (o.stallWeeks === undefined) return undefined;
  const n = Number(o.stallWeeks);
  if (!Number.isInteger(n) || n < 1 || n > 520)
    throw new StewardError('USAGE', `--stall-weeks must be a whole number from 1 to 520, not "${String(o.stallWeeks)}"`);
  return n;
};

async function audited(
  store: Store,
  now: number,
  by: string | null,
  event: string,
  subject: string,
  detail: Record<string, unknown>,
): Promise<void> {
  await appendAudit(store.db, { at: now, event, actorId: null, actor: by ?? 'command line', subject, ip: null, outcome: 'ok', detail });
}

async function withStore(o: Opts, rt: Runtime, f: (store: Store) => Promise<void>): Promise<void> {
  const store = await openStoreFor(o, rt);
  try {
    await f(store);
  } finally {
    await store.close();
  }
}

function print(o: Opts, rt: Runtime, json: unknown, text: string): void {
  rt.stdout(parseFormat(o.format as string | undefined) === 'json' ? JSON.stringify(json, null, 2) + '\n' : text + '\n');
}

const iso = <T extends { createdAt: number | null }>(x: T) => ({
  ...x,
  createdAt: x.createdAt === null ? null : new Date(x.createdAt).toISOString(),
});

export async function runInitiativeAdd(name: string | undefined, o: Opts, rt: Runtime): Promise<void> {
  const by = typeof o.by === 'string' ? o.by : null;
  const def: InitiativeInputDef =
    typeof o.from === 'string'
      ? fromFile(o.from, rt.cwd)
      : {
          name: name ?? '',
          title: typeof o.title === 'string' ? o.title : (name ?? ''),
          goal: typeof o.goal === 'string' ? o.goal : '',
          owners: (o.owner as string[] | undefined) ?? [],
          scope: scopeFrom(o),
          milestones: ((o.milestone as string[] | undefined) ?? []).map(parseMilestoneArg),
          stallWeeks: stallOf(o) ?? null,
        };
  if (!def.name) throw new StewardError('USAGE', 'name the initiative: steward initiative add NAME … (or --from FILE)');
  await withStore(o, rt, async (store) => {
    const now = nowOf(o, rt);
    const i = await addInitiative(
      store,
      { ...def, createdBy: by, allowEmpty: o.allowEmpty === true },
      await effectiveConfig(o, rt, store),
      now,
    );
    await audited(store, now, by, 'initiative.add', `initiative ${i.id}`, { name: i.name, title: i.title });
    print(
      o,
      rt,
      iso(i),
      `Initiative #${i.id} ${i.name}: ${i.title}, ${i.milestones.length} milestone${i.milestones.length === 1 ? '' : 's'}.`,
    );
  });
}

export async function runInitiativeEdit(name: string, o: Opts, rt: Runtime): Promise<void> {
  const by = typeof o.by === 'string' ? o.by : null;
  const scope = scopeFrom(o);
  const file = typeof o.from === 'string' ? fromFile(o.from, rt.cwd) : null;
  await withStore(o, rt, async (store) => {
    const now = nowOf(o, rt);
    const i = await editInitiative(
      store,
      name,
      file
        ? { ...file, allowEmpty: o.allowEmpty === true }
        : {
            title: typeof o.title === 'string' ? o.title : undefined,
            goal: typeof o.goal === 'string' ? o.goal : undefined,
            owners: o.owner as string[] | undefined,
            scope,
            milestones: Array.isArray(o.milestone) ? (o.milestone as string[]).map(parseMilestoneArg) : undefined,
            stallWeeks: stallOf(o),
            allowEmpty: o.allowEmpty === true,
          },
      await effectiveConfig(o, rt, store),
      now,
    );
    await audited(store, now, by, 'initiative.edit', `initiative ${i.id}`, { name: i.name });
    print(o, rt, iso(i), `Changed initiative #${i.id} ${i.name}.`);
  });
}

export async function runInitiativeRemove(name: string, o: Opts, rt: Runtime): Promise<void> {
  const by = typeof o.by === 'string' ? o.by : null;
  await withStore(o, rt, async (store) => {
    const i = await removeInitiative(store, name, await effectiveConfig(o, rt, store));
    await audited(store, nowOf(o, rt), by, 'initiative.remove', `initiative ${i.id}`, { name: i.name });
    print(o, rt, { removed: { id: i.id, name: i.name, title: i.title } }, `Removed initiative #${i.id} ${i.name}.`);
  });
}

export async function runInitiativeNote(name: string, o: Opts, rt: Runtime): Promise<void> {
  const by = typeof o.by === 'string' ? o.by : null;
  const at = typeof o.at === 'string' ? parseTime(o.at, '--at') : undefined;
  let input: Parameters<typeof noteInitiative>[2];
  if (o.resolve !== undefined) {
    const id = Number(o.resolve);
    if (!Number.isInteger(id) || id < 1)
      throw new StewardError('USAGE', `--resolve takes a note's id (a whole number), not "${String(o.resolve)}"`);
    input = { resolve: id, resolution: typeof o.text === 'string' ? o.text : null, by, at };
  } else {
    if (typeof o.kind !== 'string') throw new StewardError('USAGE', 'say what the note is with --kind question|decision|feedback');
    if (typeof o.text !== 'string') throw new StewardError('USAGE', 'give the note its text with --text TEXT');
    input = { kind: o.kind, text: o.text, link: typeof o.link === 'string' ? o.link : null, by, at };
  }
  await withStore(o, rt, async (store) => {
    const now = nowOf(o, rt);
    const { initiative, note } = await noteInitiative(store, name, input, await effectiveConfig(o, rt, store), now);
    await audited(store, now, by, 'resolve' in input ? 'initiative.note.resolve' : 'initiative.note', `initiative ${initiative.id}`, {
      name: initiative.name,
      note: note.id,
      kind: note.kind,
    });
    print(
      o,
      rt,
      {
        initiative: initiative.name,
        note: {
          ...note,
          at: new Date(note.at).toISOString(),
          resolvedAt: note.resolvedAt === null ? null : new Date(note.resolvedAt).toISOString(),
        },
      },
      'resolve' in input
        ? `Resolved ${note.kind} #${note.id} of ${initiative.name}.`
        : `Noted ${note.kind} #${note.id} on ${initiative.name}.`,
    );
  });
}

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
  ).action(async (name: string | undefined, _o, cmd: Command) => runInitiativeAdd(name, globals(cmd), rt));
  definition(
    ini
      .command('edit')
      .description('change a stored initiative: each option given replaces that field (a scope option replaces that kind)')
      .argument('<name>'),
  ).action(async (name: string, _o, cmd: Command) => runInitiativeEdit(name, globals(cmd), rt));
  ini
    .command('remove')
    .description('remove a stored initiative with its notes')
    .argument('<name>')
    .option('--by <name>', 'who removes it (in the audit log)')
    .addOption(fmt())
    .action(async (name: string, _o, cmd: Command) => runInitiativeRemove(name, globals(cmd), rt));
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
    .action(async (name: string, _o, cmd: Command) => runInitiativeNote(name, globals(cmd), rt));
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
