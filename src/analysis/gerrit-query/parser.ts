/**
 * Gerrit's change-search syntax → an AST. Precedence as in Gerrit: NOT (or `-`) binds tightest,
 * then AND (also implied between adjacent terms), then OR; parentheses group.
 *
 * @example parseQuery('status:open (label:Code-Review>=2 OR -is:wip)')
 * // { kind: 'and', children: [term status:open, { kind: 'or', children: [term, { kind: 'not', … }] }] }
 */
import { QueryError } from './query-error.js';
import { tokenize, type Token } from './tokenizer.js';

export type QueryNode =
  | { kind: 'and'; children: QueryNode[]; pos: number; end: number }
  | { kind: 'or'; children: QueryNode[]; pos: number; end: number }
  | { kind: 'not'; child: QueryNode; pos: number; end: number }
  | { kind: 'term'; operator: string | null; value: string; quoted: boolean; pos: number; end: number };

/**
 * How deep parentheses and NOT / `-` may nest. Real dashboards use three or four levels; the parser
 * and the evaluator recurse once per level, so a query nested thousands deep would exhaust the stack
 * (a RangeError and a 500) instead of being refused as a bad query.
 */
export const MAX_QUERY_DEPTH = 100;

export function parseQuery(query: string): QueryNode {
  const tokens = tokenize(query);
  let i = 0;
  let depth = 0;
  const enter = (t: Token): void => {
    if (++depth > MAX_QUERY_DEPTH)
      fail(
        `the query nests parentheses or NOT more than ${MAX_QUERY_DEPTH} levels deep`,
        t,
        'Write the query with fewer nested groups; AND and OR chains need no parentheses.',
      );
  };
  const peek = (): Token | undefined => tokens[i];
  const fail = (message: string, t: Token | undefined, hint: string | null = null): never => {
    throw new QueryError(message, query, t ? t.pos : query.length, t ? t.end - t.pos : 1, hint);
  };
  if (tokens.length === 0) throw new QueryError('the query is empty', query, 0, 1, 'Write at least one operator, like status:open.');

  const startsUnary = (t: Token | undefined) =>
    t !== undefined && (t.type === 'term' || t.type === 'lparen' || t.type === 'neg' || t.type === 'not');

  function orExpr(): QueryNode {
    const first = andExpr();
    const children = [first];
    while (peek()?.type === 'or') {
      const op = tokens[i++]!;
      if (!startsUnary(peek())) fail('OR must be followed by a term', peek() ?? op);
      children.push(andExpr());
    }
    return children.length === 1 ? first : { kind: 'or', children, pos: first.pos, end: children[children.length - 1]!.end };
  }

  function andExpr(): QueryNode {
    const first = unary();
    const children = [first];
    for (;;) {
      const t = peek();
      if (t?.type === 'and') {
        i++;
        if (!startsUnary(peek())) fail('AND must be followed by a term', peek() ?? t);
        children.push(unary());
      } else if (startsUnary(t)) {
        children.push(unary());
      } else break;
    }
    return children.length === 1 ? first : { kind: 'and', children, pos: first.pos, end: children[children.length - 1]!.end };
  }

  function unary(): QueryNode {
    const t = peek();
    if (t?.type === 'not' || t?.type === 'neg') {
      i++;
      if (!startsUnary(peek())) fail(`${t.type === 'neg' ? '-' : 'NOT'} must be followed by a term`, peek() ?? t);
      enter(t);
      const child = unary();
      depth--;
      return { kind: 'not', child, pos: t.pos, end: child.end };
    }
    return primary();
  }

  function primary(): QueryNode {
    const t = peek();
    if (!t) return fail('the query ends where a term was expected', undefined);
    if (t.type === 'lparen') {
      i++;
      if (peek()?.type === 'rparen') fail('empty parentheses', peek());
      enter(t);
      const inner = orExpr();
      depth--;
      const close = peek();
      if (close?.type !== 'rparen') fail('missing )', close ?? undefined, `The ( at column ${t.pos + 1} is not closed.`);
      i++;
      return { ...inner, pos: t.pos, end: close!.end };
    }
    if (t.type === 'rparen') return fail('unexpected )', t, 'There is no ( to close here.');
    if (t.type === 'and' || t.type === 'or') return fail(`${t.type.toUpperCase()} needs a term before it`, t);
    if (t.type === 'term') {
      i++;
      return { kind: 'term', operator: t.operator, value: t.value, quoted: t.quoted, pos: t.pos, end: t.end };
    }
    return fail('unexpected token', t);
  }

  const root = orExpr();
  if (i < tokens.length) fail(tokens[i]!.type === 'rparen' ? 'unexpected )' : 'unexpected text', tokens[i]);
  return root;
}
