/**
 * `steward initiative add|edit|remove|note`: what they do (service/initiatives-view.ts), loaded when
 * one of them runs; initiative-commands.ts defines the commands and their options. Changes to the
 * store are written to the audit log, as the web form's are (actor "command line", or `--by`).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { StewardError } from '../../model/errors.js';
import { SCOPE_KINDS, type TrackedScope } from '../../model/initiatives.js';
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

export type Opts = GlobalOptions & Record<string, unknown>;

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
