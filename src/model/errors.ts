/**
 * Steward's error catalogue. Every error a user can meet has a stable code, documented in the
 * README's "Errors" table (a test keeps the two in sync) and an exit code for scripts.
 *
 * Messages follow one shape: what failed, where (file, line, field, URL), what was expected or
 * received, and what to do next. The cause is kept in `cause` for `--debug`.
 */

export const ERROR_CODES = {
  /** Wrong command-line usage: unknown option value, missing argument. */
  USAGE: { exit: 2, summary: 'The command line is wrong.' },
  /** steward.yaml (or another config file) is missing a key, has an unknown key or a bad value. */
  CONFIG: { exit: 3, summary: 'The configuration file is invalid.' },
  /** An input file cannot be read (missing, a directory, no permission). */
  INPUT_UNREADABLE: { exit: 4, summary: 'An input file cannot be read.' },
  /** An input file is not valid JSON, or is truncated. */
  INPUT_JSON: { exit: 5, summary: 'An input file is not valid JSON.' },
  /** An input file is JSON but not a Gerrit export, or a change in it lacks a required field. */
  INPUT_FORMAT: { exit: 6, summary: 'An input file is not in a format Steward reads.' },
  /** The store cannot be opened: locked by another process, unreachable server, bad URL. */
  STORE_UNAVAILABLE: { exit: 7, summary: 'The store cannot be opened.' },
  /** The store was written by a newer Steward (its schema is ahead of this version). */
  STORE_VERSION: { exit: 8, summary: 'The store is from a newer version of Steward.' },
  /** A migration failed. */
  STORE_MIGRATION: { exit: 9, summary: 'A store migration failed.' },
  /** A requested thing (project, host) is not in the store. */
  NOT_FOUND: { exit: 10, summary: 'The requested project or host is not in the store.' },
  /** Anything Steward did not expect: a bug. */
  INTERNAL: { exit: 70, summary: 'Internal error (a bug in Steward).' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorDetails {
  /** File path, URL or store location the error is about. */
  where?: string;
  /** 1-based line number in `where`, when known. */
  line?: number;
  /** The field or key, e.g. `changes[3].revisions`, `hosts[0].url`. */
  field?: string;
  /** What to do next. */
  hint?: string;
}

export class StewardError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StewardError';
    this.code = code;
    this.details = details;
  }

  get exitCode(): number {
    return ERROR_CODES[this.code].exit;
  }

  /** One-line (plus hint) rendering for the CLI: `file:line: field: message` then the hint. */
  describe(): string {
    const { where, line, field, hint } = this.details;
    const loc = [where && (line ? `${where}:${line}` : where), field].filter(Boolean).join(': ');
    const head = loc ? `${loc}: ${this.message}` : this.message;
    return hint ? `${head}\n  ${hint}` : head;
  }
}

export function isStewardError(e: unknown): e is StewardError {
  return e instanceof StewardError;
}
