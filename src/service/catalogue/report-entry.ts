/**
 * What a report is, once, for the command line, the API and the pages: a catalogue entry (see
 * docs/adding-a-report.md). The callers are adapters: they turn their input into the entry's
 * parameters (`paramSchema`), ask `authorize` for `action`, cache by `cache`, call `build` and render.
 */
import type { Action, AuthUser } from '../authorize.js';
import type { EffectiveConfig } from '../effective-config.js';
import type { Store } from '../../store/engine.js';
import type { StoreData } from '../../store/queries/store-contents.js';
import { parseTime } from '../params.js';
import { envelope, type Enveloped } from './envelope.js';
import { checkOnlyWith, type InputOf, type ParamDefs, type ParamSchema, type Surface } from './param-schema.js';

/** Who reads a report: the signed-in user, or null (nobody signed in, or a server without --auth). */
export type Reader = AuthUser | null;

/**
 * Whether a report's result may be shared between readers. 'shared': it depends on the store, the
 * configuration and the parameters only. 'per-reader': it depends on who reads it, so a cache keeps
 * one entry per reader.
 */
export type CacheScope = 'shared' | 'per-reader';

export type OutputFormat = 'text' | 'json' | 'csv';

/** What resolving the input may use besides the input itself. */
export interface ResolveContext {
  surface: Surface;
  /** The time the report is as of (the input's `now`, else the clock). */
  now: number;
  config: EffectiveConfig;
  /** Where relative paths (a dashboard's .dash file) resolve. */
  cwd: string;
  /** Parameters that come from the path (`/dashboards/:name`) or a command's argument. */
  path: Record<string, string>;
}

/** A report's renderers; JSON is the result itself (`JSON.stringify(result, null, 2)`). */
// Methods, not function properties: a generic holder of entries (AnyReportEntry) sees the result as unknown.
export interface Renderers<S extends ParamDefs, R> {
  text(result: R, input: InputOf<S>): string;
  /** Absent: the report has no CSV form (the entry's `csvRefused` says so after building). */
  csv?(result: R, input: InputOf<S>): string;
}

/** The command line's view of a report. */
export interface CliSpec {
  /** The command words: `['core', 'idle']`. */
  command: readonly string[];
  description: string;
  /** The options listed before `--format` in the help (default: all of them). */
  formatAfter?: string;
  /** The formats it prints (default: text, json, csv). */
  formats?: readonly OutputFormat[];
  /** Thrown after building when CSV is asked for and the report has no CSV form. */
  csvRefused?: string;
  /** The command its parent runs when given no subcommand (`steward priorities --release R`). */
  isDefault?: boolean;
  /**
   * PostgreSQL: the connections the command may open (default 1, store/open-store.ts
   * OpenStoreOptions.connections). A report whose slow reads run side by side (the overview) sets
   * more, so that the server runs them while the command works on the ones already read.
   */
  connections?: number;
}

export interface ReportEntry<S extends ParamDefs, P, R> {
  /** The catalogue key. */
  name: string;
  params: ParamSchema<S>;
  /** Checks of the input alone, before the store is read: value rules and rules between options. */
  check?: (input: InputOf<S>, surface: Surface) => void;
  /** The build function's parameters from the input (windows resolved, defaults applied). */
  resolve: (input: InputOf<S>, ctx: ResolveContext) => P;
  /**
   * The data the report reads (any one kind suffices when several are named): on a store holding
   * none of it the report is refused with STORE_EMPTY (service/store-contents.ts) instead of zeros.
   */
  needs?: readonly StoreData[];
  /** The action the reader needs (authorize decides). */
  action: Action;
  cache: CacheScope;
  /** The report, as `--format json` prints it and the API returns it. */
  build: (store: Store, params: P, config: EffectiveConfig, now: number, reader?: Reader) => Promise<R>;
  render?: Renderers<S, R>;
  cli?: CliSpec;
}

/** An entry whatever its types: what generic code (routes, the compute threads) holds. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the catalogue holds entries of every parameter and result type
export type AnyReportEntry = ReportEntry<any, any, unknown>;

/**
 * Defines an entry: its build's result is put in the one envelope of every report (envelope.ts:
 * report, schemaVersion, projects, period, now, sources, then the report's own fields), so the
 * entry's result type, its JSON and its schema all have it without the entry writing it.
 */
export function defineReport<S extends ParamDefs, P, R extends object & { length?: never }>(
  entry: ReportEntry<S, P, R>,
): ReportEntry<S, P, Enveloped<R>> {
  const build = entry.build;
  const check = entry.check;
  return {
    ...entry,
    // Every entry refuses an option it does not use (`onlyWith` in its parameters) before its own rules.
    check: (input, surface) => {
      checkOnlyWith(entry.params.defs, input as Record<string, unknown>, surface);
      check?.(input, surface);
    },
    // Names the store must hold (a branch, a pipeline) are checked before building: an unknown one is
    // refused like an unknown project rather than answered with an empty report.
    // A report's JSON is an object (never a bare list: `length?: never`), so the envelope can lead it.
    build: async (store, params, config, now, reader) => {
      await checkInStore(entry.params.defs, params, store);
      return envelope(entry.name, await build(store, params, config, now, reader), params, config, now) as Enveloped<R>;
    },
  };
}

/** Checks the values of the `inStore` parameters (passed on in the build's parameters under their own names). */
async function checkInStore(defs: ParamDefs, params: unknown, store: Store): Promise<void> {
  const asked = Object.entries(defs).flatMap(([name, d]) => {
    const v: unknown = d.inStore && params && typeof params === 'object' ? (params as Record<string, unknown>)[name] : undefined;
    // A names parameter gives a list; a text one (a series) one value.
    const values = Array.isArray(v) ? v.map(String) : typeof v === 'string' && v !== '' ? [v] : [];
    return d.inStore && values.length ? [{ name, kind: d.inStore, values }] : [];
  });
  if (!asked.length) return;
  // Loaded only when a report is asked for a branch, a pipeline, a job or a series (the catalogue stays light).
  const { checkKnownValues } = await import('../known-values.js');
  for (const a of asked) await checkKnownValues(store, a.name, a.kind, a.values);
}

/**
 * A build function whose module is loaded when the report is first built, not when the catalogue is.
 * Every command and the server load the whole catalogue (`steward --help` lists it): an entry that
 * imported its view statically would load the store's query layer (Kysely), the configuration
 * loader and every other report's analysis into `steward --help` and into every other command.
 * Entries therefore import only their parameters and renderers, and take their build from here.
 *
 * @example
 * build: lazyBuild(() => import('../overview-view.js'), 'buildOverviewView'),
 */
export function lazyBuild<M, K extends keyof M>(load: () => Promise<M>, name: K): M[K] {
  const build = async (...args: unknown[]): Promise<unknown> => {
    const fn = (await load())[name] as (...a: unknown[]) => Promise<unknown>;
    return fn(...args);
  };
  return Object.assign(build, { [PRELOAD]: load }) as M[K];
}

const PRELOAD = Symbol('preload');

/**
 * Starts loading a lazy build's module (lazyBuild) without waiting for it, as a command does while
 * its store opens (on PostgreSQL, while the server starts the connection's process). Nothing for
 * another build; a module that fails to load fails the build itself, where it is reported.
 */
export function preloadBuild(build: unknown): void {
  const load = (build as { [PRELOAD]?: () => Promise<unknown> } | null)?.[PRELOAD];
  load?.().catch(() => undefined);
}

/** The time a report is as of: the input's `now` (a replay), else the clock. */
export function nowOf(input: { now?: string }, surface: Surface, clock: () => number): number {
  return input.now ? parseTime(input.now, surface.name('now')) : clock();
}
