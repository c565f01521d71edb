/**
 * A query Steward cannot evaluate: bad syntax, an unknown operator, or an operator whose answer
 * the store does not hold. Carries where in the query the problem is, so callers can point at it.
 * Pure analysis code throws this; the CLI turns it into a StewardError of the right code (USAGE
 * for a query on the command line, CONFIG for steward.yaml, INPUT_FORMAT for a .dash file).
 */
export class QueryError extends Error {
  /** 0-based offset of the offending text in the query. */
  readonly position: number;
  readonly length: number;
  readonly query: string;
  readonly hint: string | null;

  constructor(message: string, query: string, position: number, length: number, hint: string | null = null) {
    super(message);
    this.name = 'QueryError';
    this.query = query;
    this.position = position;
    this.length = Math.max(1, length);
    this.hint = hint;
  }

  /** The query with a caret line under the offending text. */
  pointer(indent = ''): string {
    return `${indent}${this.query}\n${indent}${' '.repeat(this.position)}${'^'.repeat(Math.min(this.length, Math.max(1, this.query.length - this.position)))}`;
  }
}

export function isQueryError(e: unknown): e is QueryError {
  return e instanceof QueryError;
}
