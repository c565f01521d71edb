/**
 * Steward's error catalogue. Every error a user can meet has a stable code, documented in the
 * docs/errors.md table (a test keeps the two in sync) and an exit code for scripts.
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
  /** A read command found no store at the location (no file, no database, no schema) or a store with no changes; it creates none. */
  STORE_EMPTY: { exit: 20, summary: 'There is no store at that location, or it holds none of the data the report reads.' },
  /** The source server (Gerrit, Zuul, Launchpad) cannot be reached: DNS, refused, reset, timeout. */
  SOURCE_UNREACHABLE: { exit: 11, summary: 'The source server cannot be reached.' },
  /** TLS handshake or certificate verification failed. */
  SOURCE_TLS: { exit: 12, summary: 'TLS with the source server failed.' },
  /** The server refused the credentials (HTTP 401/403), or a credentials file is unsafe. */
  SOURCE_AUTH: { exit: 13, summary: 'The source server refused the credentials.' },
  /** The server says the project, group or endpoint does not exist (HTTP 404). */
  SOURCE_NOT_FOUND: { exit: 14, summary: 'The source server does not know what was asked for.' },
  /** The server answered with something that is not the expected JSON. */
  SOURCE_BAD_RESPONSE: { exit: 15, summary: 'The source server sent a response Steward cannot read.' },
  /** Retries ran out (429, 5xx, timeouts); the sync stopped at a resumable checkpoint. */
  SOURCE_RETRIES_EXHAUSTED: { exit: 16, summary: 'The source server kept failing; stopped at a resumable checkpoint.' },
  /** Another sync of the same host and project is running. */
  SYNC_BUSY: { exit: 17, summary: 'Another sync of the same project is running.' },
  /** A path is not a git repository, a branch is missing, or git failed on it. */
  GIT_REPOSITORY: { exit: 18, summary: 'A git repository or branch cannot be read.' },
  /** `steward specs sync --strict`: some spec files or directories were skipped or read without a title; the rest was stored. */
  INPUT_PARTIAL: { exit: 19, summary: 'Part of the input could not be read as expected; the rest was stored.' },
  /** A sync found nothing (no specs, no group members, another history) where the store holds data; nothing was replaced. */
  SOURCE_EMPTY: { exit: 21, summary: 'A sync found nothing where the store holds data; the stored data was kept.' },
  /** A requested thing (project, host) is not in the store. */
  NOT_FOUND: { exit: 10, summary: 'The requested project, branch, pipeline or host is not in the store.' },
  /** A CVSS v3.1 vector that is not well formed (a metric missing, repeated, unknown or with a bad value). */
  CVSS_INVALID: { exit: 41, summary: 'A CVSS v3.1 vector is not valid.' },
  /** A security tracker change the process does not allow (a skipped or backward step, a past disclosure date, a missing grantee). */
  SECURITY_TRANSITION: { exit: 42, summary: 'The security tracker refused a change.' },
  /** The key that seals embargoed texts is missing, unsafe (a key file not mode 0600) or not the store's key. */
  SECURITY_KEY: { exit: 43, summary: 'The security key is missing, unsafe or wrong.' },
  /** Adding a member would make the security team larger than steward.yaml's `security.teamMax`. */
  SECURITY_TEAM_FULL: { exit: 44, summary: 'The security team is at its maximum size.' },
  /** Signed in and able to see the security item (or the team), but not allowed this change. */
  SECURITY_FORBIDDEN: { exit: 45, summary: 'Not allowed on the security tracker.' },
  /** `steward serve`: the reader already has as many reports being computed as the fair queue allows, or the queue is full (HTTP 503, Retry-After). */
  SERVER_BUSY: { exit: 22, summary: 'The web server is computing as many reports for this reader as it allows; try again shortly.' },
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
