/**
 * A report's parameters as one schema: each parameter's name, type, command-line spelling and
 * help, and its web query-string schema, with a zod object that types the input (`InputOf`).
 * The command line's options (commander) and the web's querystring schema (Fastify) are both made
 * from it, and its values reach the report in one shape whichever caller gave them: lists of
 * names, flags as booleans, times and whole numbers as the text the caller wrote (checked, with the
 * caller's spelling in the message, where the report resolves them).
 */
import { z } from 'zod';
import { StewardError } from '../../model/errors.js';
import { CLI_WINDOW_NAMES, type WindowNames } from '../params.js';

/** The longest window the web computes: 20 years, more than any Gerrit history (a guard against costly mistakes). */
export const MAX_WEB_WINDOW_DAYS = 7300;

/** Who asks, and how it spells a parameter in messages: `--waiting-more` on the command line, `waitingMore` on the web. */
export interface Surface {
  kind: 'cli' | 'web';
  /** The parameter as this caller writes it. */
  name(param: string): string;
  /** A parameter with its value, as this caller writes it: `--compat reviewstats`, `compat=reviewstats`. */
  setting(param: string, value: string): string;
  /** A parameter with a placeholder for its value, as the command line's messages show it (`--days N`); the web's name it bare. */
  example(param: string, placeholder: string): string;
  window: WindowNames;
  /** The longest window this caller may ask for, in days. */
  maxWindowDays: number;
}

const kebab = (s: string): string => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The command line's spelling. */
export const CLI_SURFACE: Surface = {
  kind: 'cli',
  name: (p) => `--${kebab(p)}`,
  setting: (p, v) => `--${kebab(p)} ${v}`,
  example: (p, x) => `--${kebab(p)} ${x}`,
  window: CLI_WINDOW_NAMES,
  maxWindowDays: 36_500,
};

/** The web's spelling (API and pages). */
export const WEB_SURFACE: Surface = {
  kind: 'web',
  name: (p) => p,
  setting: (p, v) => `${p}=${v}`,
  example: (p) => p,
  window: { since: 'since', until: 'until', days: 'days' },
  maxWindowDays: MAX_WEB_WINDOW_DAYS,
};

type Kind = 'names' | 'int' | 'time' | 'flag' | 'choice' | 'text';
type ValueOfKind<K extends Kind> = K extends 'names' ? string[] : K extends 'flag' ? boolean : string;

const TIME_JSON = {
  type: 'string',
  minLength: 1,
  maxLength: 40,
  pattern: '^(\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?(Z|[+-]\\d{2}:?\\d{2})?)?|\\d{11,15})$',
} as const;
const NAMES_JSON = { type: 'array', maxItems: 50, items: { type: 'string', minLength: 1, maxLength: 300 } } as const;

/**
 * Each kind's JSON schema in the web's querystring, as a literal type: the web's typed routes
 * (web/typed-routes.ts) read a page's query type from it, so the schema Fastify checks and the type
 * a handler sees are one definition.
 */
interface WebJson {
  names: typeof NAMES_JSON;
  int: { readonly type: 'integer'; readonly minimum: 1; readonly maximum: number };
  time: typeof TIME_JSON;
  flag: { readonly type: 'boolean' };
  choice: { readonly type: 'string'; readonly enum: readonly string[] };
  text: { readonly type: 'string'; readonly minLength: 1; readonly maxLength: number };
}

/** One parameter. `web: null` keeps it to the command line (how text output is laid out, say). */
export interface ParamDef<K extends Kind = Kind, W extends WebJson[K] | null = WebJson[K] | null> {
  kind: K;
  /** The command line's placeholder (`<n>`); none for a flag. */
  arg?: string;
  /** The command line's help text. */
  help: string;
  /** Its JSON schema in the web's querystring, or null: not a web parameter. */
  web: W;
  /** The allowed values of a choice (the web refuses others; the report says what the command line may give). */
  values?: readonly string[];
  /** false: not a command-line option (the web takes it; the command line has no such option). */
  cli?: false;
  /** The parameter this one is used with only (`--days` of `steward queue` only with `--trivial`): given without it, it is refused. */
  onlyWith?: string;
  /**
   * The names (or the text) it takes must be in the store (branches, pipelines, CI jobs, Launchpad series): one the store does not hold is
   * refused like an unknown project, naming those it holds (defineReport checks it for every
   * report; the entry's `resolve` passes the value on under the same name).
   */
  inStore?: InStoreKind;
}

/** What a parameter's names are checked against in the store. */
export type InStoreKind = 'branch' | 'pipeline' | 'job' | 'series';

/**
 * `def`, whose names (or text) must be `kind`s the store holds (a branch some change is on, a pipeline
 * some CI run was in, a job some CI run ran, a Launchpad series some blueprint or bug task names).
 */
export function inStore<K extends 'names' | 'text', W extends WebJson[K] | null>(kind: InStoreKind, def: ParamDef<K, W>): ParamDef<K, W> {
  return { ...def, inStore: kind };
}

/** `def`, used only together with parameter `other`: without it, giving `def` is refused, not ignored. */
export function onlyWith<K extends Kind, W extends WebJson[K] | null>(other: string, def: ParamDef<K, W>): ParamDef<K, W> {
  return { ...def, onlyWith: other };
}

const given = (v: unknown): boolean => v !== undefined && v !== false && !(Array.isArray(v) && v.length === 0);

/**
 * Refuses parameters given without the one they are used with (`onlyWith`), naming both as the
 * caller spells them: a report never silently ignores an option it does not use.
 */
export function checkOnlyWith(defs: ParamDefs, input: Record<string, unknown>, surface: Surface): void {
  for (const [name, d] of Object.entries(defs)) {
    if (!d.onlyWith || !given(input[name]) || given(input[d.onlyWith])) continue;
    throw new StewardError(
      'USAGE',
      `${surface.name(name)} is used only with ${surface.name(d.onlyWith)}: give ${surface.name(d.onlyWith)} too, or leave ${surface.name(name)} out`,
    );
  }
}

/** Names, repeatable (`--project a --project b`, `?project=a&project=b`). */
export const names = (help: string, arg = '<name>'): ParamDef<'names', WebJson['names']> => ({
  kind: 'names',
  arg,
  help,
  web: NAMES_JSON,
});
/** A whole number from 1 to `max` (the web's bound; the report checks the command line's). */
export const int = (help: string, max: number, arg = '<n>'): ParamDef<'int', WebJson['int']> => ({
  kind: 'int',
  arg,
  help,
  web: { type: 'integer', minimum: 1, maximum: max },
});
/** A time: an ISO date or date-time, or epoch milliseconds (service/params.ts parseTime). */
export const time = (help: string, arg = '<date>'): ParamDef<'time', WebJson['time']> => ({ kind: 'time', arg, help, web: TIME_JSON });
/** On or off. */
export const flag = (help: string): ParamDef<'flag', WebJson['flag']> => ({ kind: 'flag', help, web: { type: 'boolean' } });
/** One of `values` (its type keeps them: the web's query type is their union). */
export const choice = <const V extends readonly string[]>(
  values: V,
  help: string,
  arg = '<value>',
): ParamDef<'choice', { readonly type: 'string'; readonly enum: V }> => ({
  kind: 'choice',
  arg,
  help,
  values,
  web: { type: 'string', enum: values },
});
/** Free text of at most `maxLength` characters. */
export const text = (help: string, maxLength: number, arg = '<text>'): ParamDef<'text', WebJson['text']> => ({
  kind: 'text',
  arg,
  help,
  web: { type: 'string', minLength: 1, maxLength },
});
/** The same parameter, on the command line only. */
export const cliOnly = <K extends Kind>(d: ParamDef<K>): ParamDef<K, null> => ({ ...d, web: null });
/** The same parameter, on the web only. */
export const webOnly = <K extends Kind, W extends WebJson[K] | null>(d: ParamDef<K, W>): ParamDef<K, W> => ({ ...d, cli: false });

export type ParamDefs = Record<string, ParamDef>;

/** The input a report receives: every parameter optional, in its one shape. */
export type InputOf<S extends ParamDefs> = { [K in keyof S]?: ValueOfKind<S[K]['kind']> };

/** The parameters of `S` the web takes. */
export type WebNames<S extends ParamDefs> = { [K in keyof S & string]: S[K]['web'] extends null ? never : K }[keyof S & string];

/** The web's querystring schema for the parameters `N` of `S`, as a literal type (for the type provider). */
export interface QuerystringOf<S extends ParamDefs, N extends string = WebNames<S>> {
  readonly type: 'object';
  readonly additionalProperties: false;
  readonly properties: { readonly [K in N & WebNames<S>]: NonNullable<S[K]['web']> };
}

function zodOf(d: ParamDef): z.ZodTypeAny {
  if (d.kind === 'names') return z.array(z.string()).optional();
  if (d.kind === 'flag') return z.boolean().optional();
  return z.string().optional();
}

/** A report's parameters: the definitions, the zod object that checks an input's shape, and both callers' views of them. */
export interface ParamSchema<S extends ParamDefs> {
  defs: S;
  zod: z.ZodType<InputOf<S>>;
  /** The parameters the web takes. */
  webNames: string[];
  /** The web's querystring schema (Fastify checks it before a handler runs): all its web parameters, or `only` these. */
  querystring(): QuerystringOf<S>;
  querystring<N extends WebNames<S>>(only: readonly N[]): QuerystringOf<S, N>;
  /** The input from commander's options (strings, string lists, booleans); other options are dropped. */
  fromCli(options: Record<string, unknown>): InputOf<S>;
  /** A text parameter's value in an input (`now`, say), whether or not the report takes it. */
  textOf(input: InputOf<S>, param: string): string | undefined;
  /** The input from a validated query (numbers as Fastify coerced them); parameters the report does not take are dropped. */
  fromWeb(query: object): InputOf<S>;
}

/** Defines a report's parameters. */
export function paramSchema<S extends ParamDefs>(defs: S): ParamSchema<S> {
  const shape: Record<string, z.ZodTypeAny> = {};
  for (const [k, d] of Object.entries(defs)) shape[k] = zodOf(d);
  const zod: z.ZodType<InputOf<S>> = z.object(shape).strip();
  const webNames = Object.entries(defs)
    .filter(([, d]) => d.web !== null)
    .map(([k]) => k);
  const parse = (raw: Record<string, unknown>): InputOf<S> => {
    const r = zod.safeParse(raw);
    if (r.success) return r.data;
    const issue = r.error.issues[0];
    throw new StewardError('USAGE', `${issue?.path.join('.') ?? 'a parameter'}: ${issue?.message ?? 'is invalid'}`);
  };
  return {
    defs,
    zod,
    webNames,
    querystring: (only?: readonly string[]) => ({
      type: 'object' as const,
      additionalProperties: false as const,
      // Built from the same definitions its type is mapped from (QuerystringOf): TypeScript cannot follow Object.fromEntries.
      properties: Object.fromEntries(
        (only ?? webNames).filter((k) => webNames.includes(k)).map((k) => [k, defs[k]!.web]),
      ) as QuerystringOf<S>['properties'],
    }),
    textOf: (input, param) => {
      const given: Partial<Record<string, unknown>> = input;
      const v = given[param];
      return typeof v === 'string' ? v : undefined;
    },
    fromCli: (o) => {
      const raw: Record<string, unknown> = {};
      for (const [k, d] of Object.entries(defs)) if (d.cli !== false && o[k] !== undefined) raw[k] = o[k];
      return parse(raw);
    },
    fromWeb: (query) => {
      const q = new Map(Object.entries(query));
      const raw: Record<string, unknown> = {};
      for (const k of webNames) {
        const v = q.get(k);
        if (v === undefined) continue;
        raw[k] = typeof v === 'number' ? String(v) : v;
      }
      return parse(raw);
    },
  };
}
