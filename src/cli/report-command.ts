/**
 * The command line's adapter over the report catalogue (service/catalogue): a report's command and
 * options come from its entry's parameter schema, and running it is always the same steps — parse
 * and check the options, open the store, resolve the configuration, build, print as text, JSON or CSV.
 * Every command's table entry goes through here when `steward` starts, so this module loads only
 * the catalogue's entries and Commander: the store, the configuration and the report's build are
 * imported when the command runs (docs/development.md, "A fast start").
 */
import { Option, type Command } from 'commander';
import { StewardError } from '../model/errors.js';
import { CLI_SURFACE, type InputOf, type ParamDefs } from '../service/catalogue/param-schema.js';
import { nowOf, preloadBuild, type CliSpec, type OutputFormat, type ReportEntry } from '../service/catalogue/report-entry.js';
import type { LoadedConfig } from '../config/load-config.js';
import type { Store } from '../store/engine.js';
import type { GlobalOptions, Runtime } from './context.js';
import { parseFormat } from './options.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];
const kebab = (s: string): string => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The `--format` option of a report printing `formats`. */
export function formatOption(formats: readonly OutputFormat[] = ['text', 'json', 'csv']): Option {
  const list = formats.length > 2 ? `${formats.slice(0, -1).join(', ')} or ${formats.at(-1)}` : formats.join(' or ');
  return new Option('--format <format>', `output format: ${list}`).default('text');
}

/** Adds the entry's options (from its parameter schema) and `--format` to `cmd`. */
export function addReportOptions<S extends ParamDefs, P, R>(cmd: Command, entry: ReportEntry<S, P, R>): Command {
  const defs = Object.entries(entry.params.defs).filter(([, d]) => d.cli !== false);
  const formatAfter = entry.cli?.formatAfter ?? defs.at(-1)?.[0];
  if (defs.length === 0) cmd.addOption(formatOption(entry.cli?.formats));
  for (const [name, d] of defs) {
    const flag = `--${kebab(name)}${d.arg && d.kind !== 'flag' ? ` ${d.arg}` : ''}`;
    if (d.kind === 'names') cmd.option(flag, d.help, collect);
    else cmd.option(flag, d.help);
    if (name === formatAfter) cmd.addOption(formatOption(entry.cli?.formats));
  }
  return cmd;
}

/**
 * Adds the entry's command under `parent` (its last command word; the parent holds the others) and
 * runs it with the catalogue. `extend` adds options of the command itself, not the report's.
 */
export function reportCommand<S extends ParamDefs, P, R>(
  parent: Command,
  entry: ReportEntry<S, P, R>,
  rt: Runtime,
  o: { extend?: (cmd: Command) => void; run?: (options: Record<string, unknown>) => Promise<void> } = {},
): Command {
  if (!entry.cli) throw new StewardError('INTERNAL', `report ${entry.name} has no command`);
  const cmd = parent.command(entry.cli.command.at(-1)!, entry.cli.isDefault ? { isDefault: true } : {}).description(entry.cli.description);
  addReportOptions(cmd, entry);
  o.extend?.(cmd);
  cmd.action(async (_opts, c: Command) => {
    const options = c.optsWithGlobals<Record<string, unknown>>();
    await (o.run ? o.run(options) : runReport(entry, options, rt));
  });
  return cmd;
}

/** The report's input from the command line's options, checked. */
export function reportInput<S extends ParamDefs, P, R>(entry: ReportEntry<S, P, R>, options: Record<string, unknown>): InputOf<S> {
  const input = entry.params.fromCli(options);
  entry.check?.(input, CLI_SURFACE);
  return input;
}

/** Builds the report from a checked input, on an open store, as `--format json` prints it. */
export async function buildReportFor<S extends ParamDefs, P, R>(
  entry: ReportEntry<S, P, R>,
  store: Store,
  input: InputOf<S>,
  g: GlobalOptions,
  rt: Runtime,
  path: Record<string, string> = {},
  loaded?: Promise<LoadedConfig>,
): Promise<R> {
  // The configuration's loader (YAML, its schema) is loaded here, not with the command table.
  const { effectiveConfig } = await import('./context.js');
  const config = await effectiveConfig(g, rt, store, loaded);
  const now = nowOf({ now: entry.params.textOf(input, 'now') }, CLI_SURFACE, rt.clock);
  const params = entry.resolve(input, { surface: CLI_SURFACE, now, config, cwd: rt.cwd, path });
  // A store without the data the report reads (an empty store, no CI runs, no specs…) is said so.
  if (entry.needs?.length)
    await (
      await import('../service/store-contents.js')
    ).checkStoreHolds(store, reportLabel(entry), entry.needs, {
      specsRepo: config.config.specs?.repo,
      gitRepo: config.config.git?.repo,
      origin: config.origin,
    });
  return entry.build(store, params, config, now, null);
}

/** How messages name a report: its command (`ci jobs`), else its catalogue name. */
function reportLabel(entry: { name: string; cli?: CliSpec }): string {
  return `steward ${entry.cli ? entry.cli.command.join(' ') : entry.name}`;
}

/** The report in `format`: JSON as the stable contract (the result itself), else the entry's renderers. */
export function renderReport<S extends ParamDefs, P, R>(
  entry: ReportEntry<S, P, R>,
  format: OutputFormat,
  result: R,
  input: InputOf<S>,
): string {
  if (format === 'json') return JSON.stringify(result, null, 2) + '\n';
  if (!entry.render) throw new StewardError('INTERNAL', `report ${entry.name} has no text form`);
  if (format === 'text') return entry.render.text(result, input);
  if (entry.render.csv) return entry.render.csv(result, input);
  throw new StewardError('USAGE', entry.cli?.csvRefused ?? `${entry.name} has no CSV form: give --format text or json`);
}

/** Runs a report command: options → input → store → build → print. */
export async function runReport<S extends ParamDefs, P, R>(
  entry: ReportEntry<S, P, R>,
  options: Record<string, unknown> & GlobalOptions,
  rt: Runtime,
  path: Record<string, string> = {},
): Promise<void> {
  const format = parseFormat(typeof options.format === 'string' ? options.format : undefined);
  const input = reportInput(entry, options);
  // A report never creates a store: a --db that names nothing (a typo, another folder) is an error
  // naming the location, not an empty store reported as zeros.
  const { openStoreFor, configFor } = await import('./context.js');
  // One PostgreSQL connection unless the report asks for more: a command reads once, and a second
  // server process costs more than the short reads it would run beside the first (open-store.ts,
  // OpenStoreOptions.connections).
  const opening = openStoreFor(options, rt, { create: false, connections: entry.cli?.connections ?? 1 });
  // While the store opens (on PostgreSQL: the server starts the connection's process), the
  // configuration and the report's code load; their errors are reported where they are awaited.
  const loaded = configFor(options, rt);
  loaded.catch(() => undefined);
  preloadBuild(entry.build);
  const store = await opening;
  try {
    const result = await buildReportFor(entry, store, input, options, rt, path, loaded);
    rt.stdout(renderReport(entry, format, result, input));
  } finally {
    await store.close();
  }
}
