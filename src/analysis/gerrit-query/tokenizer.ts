/**
 * Gerrit's change-search syntax, tokens: `(`, `)`, the uppercase keywords `AND`, `OR`, `NOT`, a
 * `-` (or `!`) directly before a term or parenthesis meaning NOT, and terms `operator:value` where
 * the value is a bare word (up to whitespace or a parenthesis), a "double-quoted phrase" (with \"
 * for a quote) or a {braced phrase}. A word without an operator is a bare term.
 *
 * @example tokenize('status:open -label:Code-Review<=-1 (owner:alice OR owner:bob)')
 */
import { QueryError } from './query-error.js';

export type Token =
  | { type: 'lparen' | 'rparen' | 'neg'; pos: number; end: number }
  | { type: 'and' | 'or' | 'not'; pos: number; end: number }
  | { type: 'term'; pos: number; end: number; operator: string | null; value: string; quoted: boolean };

const OPERATOR = /^[A-Za-z][A-Za-z_-]*$/;

export function tokenize(query: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = query.length;
  const isSpace = (ch: string | undefined) => ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';
  while (i < n) {
    const ch = query[i]!;
    if (isSpace(ch)) {
      i++;
      continue;
    }
    if (ch === '(' || ch === ')') {
      out.push({ type: ch === '(' ? 'lparen' : 'rparen', pos: i, end: i + 1 });
      i++;
      continue;
    }
    if ((ch === '-' || ch === '!') && i + 1 < n && !isSpace(query[i + 1]) && query[i + 1] !== ')') {
      out.push({ type: 'neg', pos: i, end: i + 1 });
      i++;
      continue;
    }
    const start = i;
    // A bare quoted phrase has no operator.
    if (ch === '"' || ch === '{') {
      const { value, end } = readQuoted(query, i);
      out.push({ type: 'term', pos: start, end, operator: null, value, quoted: true });
      i = end;
      continue;
    }
    let j = i;
    while (j < n && !isSpace(query[j]) && query[j] !== '(' && query[j] !== ')' && query[j] !== ':' && query[j] !== '"') j++;
    const head = query.slice(i, j);
    if (j < n && query[j] === ':' && OPERATOR.test(head)) {
      const vstart = j + 1;
      if (query[vstart] === '"' || query[vstart] === '{') {
        const { value, end } = readQuoted(query, vstart);
        out.push({ type: 'term', pos: start, end, operator: head, value, quoted: true });
        i = end;
        continue;
      }
      let k = vstart;
      while (k < n && !isSpace(query[k]) && query[k] !== '(' && query[k] !== ')') {
        if (query[k] === '"') throw new QueryError('a quote inside a value: quote the whole value, like message:"two words"', query, k, 1);
        k++;
      }
      out.push({ type: 'term', pos: start, end: k, operator: head, value: query.slice(vstart, k), quoted: false });
      i = k;
      continue;
    }
    // A word: a keyword, or a bare term (which the parser rejects, saying why).
    while (j < n && !isSpace(query[j]) && query[j] !== '(' && query[j] !== ')') j++;
    const word = query.slice(i, j);
    if (word === 'AND' || word === 'OR' || word === 'NOT')
      out.push({ type: word === 'AND' ? 'and' : word === 'OR' ? 'or' : 'not', pos: i, end: j });
    else out.push({ type: 'term', pos: i, end: j, operator: null, value: word, quoted: false });
    i = j;
  }
  return out;
}

function readQuoted(query: string, at: number): { value: string; end: number } {
  const open = query[at]!;
  const close = open === '{' ? '}' : '"';
  let value = '';
  let k = at + 1;
  while (k < query.length) {
    const c = query[k]!;
    if (open === '"' && c === '\\' && k + 1 < query.length) {
      value += query[k + 1];
      k += 2;
      continue;
    }
    if (c === close) return { value, end: k + 1 };
    value += c;
    k++;
  }
  throw new QueryError(`unterminated ${open === '"' ? 'quote' : 'brace'}: expected a closing ${close}`, query, at, query.length - at);
}
