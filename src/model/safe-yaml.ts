/**
 * YAML read safely, once for every YAML file Steward reads (steward.yaml in config/, advisory files
 * in sources/advisories/): nesting and alias expansion are bounded before the document is built, and
 * every failure is one StewardError naming the file and the line. It sits in model/ because it is
 * the one layer both config/ and sources/ may import (eslint.config.js LAYERS); it is pure (text in,
 * document out): no file system, clock or environment.
 */
import { Composer, LineCounter, Parser, type CST, type Document } from 'yaml';
import { StewardError, type ErrorCode } from './errors.js';

export interface SafeYamlOptions {
  /** Names the file in errors. */
  where: string;
  /** The error code for every failure: CONFIG for steward.yaml, INPUT_FORMAT for data files. */
  code: ErrorCode;
  /** How deep collections may nest: the library composes documents recursively, so a file nested thousands deep would exhaust the stack. */
  maxDepth: number;
  /** How many alias expansions (`*name`) the file may make: an alias of aliases of aliases ("billion laughs") blows up memory. */
  maxAliases: number;
  /** What the document needs, said after the depth limit: "a Steward configuration needs fewer than ten". */
  depthNeeds: string;
  /** What to do about an alias bomb. */
  aliasHint: string;
  /** YAML schema: `core` (the default: numbers, booleans, null) or `failsafe` (every scalar is text). */
  schema?: 'core' | 'failsafe';
  /** Refuse duplicate keys in a mapping (default true). */
  uniqueKeys?: boolean;
  /** What is said of a file of several documents ("an advisory file holds one"; default "expected one"). */
  oneDocument?: string;
}

/** A document read safely: the library's document (for lines of fields), its line counter, and its plain value. */
export interface SafeYaml {
  doc: Document;
  lines: LineCounter;
  /** The document as plain values (undefined for an empty document). */
  value: unknown;
}

/** The offset where collections nest deeper than `max` (walked on the CST, which the parser builds without recursion), or null. */
function tooDeepAt(tokens: readonly CST.Token[], max: number): number | null {
  const stack: Array<[CST.Token | undefined, number]> = [];
  for (const token of tokens) stack.push([token, 0]);
  while (stack.length > 0) {
    const [token, depth] = stack.pop()!;
    if (!token) continue;
    if (depth > max) return token.offset;
    if (token.type === 'document') stack.push([token.value, depth]);
    else if (token.type === 'block-map' || token.type === 'flow-collection') {
      for (const item of token.items) stack.push([item.key ?? undefined, depth + 1], [item.value, depth + 1]);
    } else if (token.type === 'block-seq') {
      for (const item of token.items) stack.push([item.value, depth + 1]);
    }
  }
  return null;
}

/**
 * Parses `text` as one YAML document with nesting and aliases bounded. Throws a StewardError
 * (`o.code`, with `where` and the line) for: nesting deeper than `maxDepth`, a syntax error, several
 * documents, more than `maxAliases` alias expansions. An empty text gives `value` undefined.
 *
 * @example loadYamlSafely('a: [1, 2]', { where: 'x.yaml', code: 'INPUT_FORMAT', maxDepth: 8, maxAliases: 10, depthNeeds: 'x needs two', aliasHint: '…' }).value
 * // { a: [1, 2] }
 */
export function loadYamlSafely(text: string, o: SafeYamlOptions): SafeYaml {
  const lines = new LineCounter();
  const tokens = [...new Parser(lines.addNewLine).parse(text)];
  const deep = tooDeepAt(tokens, o.maxDepth);
  if (deep !== null)
    throw new StewardError(o.code, `collections nest more than ${o.maxDepth} levels deep; ${o.depthNeeds}`, {
      where: o.where,
      line: lines.linePos(deep).line,
      hint: 'Check the indentation and brackets around that line.',
    });
  const docs = [...new Composer({ schema: o.schema ?? 'core', uniqueKeys: o.uniqueKeys ?? true }).compose(tokens, true, text.length)];
  // With forceDoc, an empty text still gives one (empty) document.
  const doc = docs[0]!;
  const several =
    docs.length > 1 ? [{ message: `holds several YAML documents; ${o.oneDocument ?? 'expected one'}`, pos: docs[1]!.range }] : [];
  const errors = [...doc.errors, ...several];
  if (errors.length > 0) {
    const e = errors[0]!;
    throw new StewardError(o.code, `not valid YAML: ${e.message.split('\n')[0]}`, {
      where: o.where,
      line: lines.linePos(e.pos[0]).line,
      hint: 'Fix the YAML syntax at that line.',
    });
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: o.maxAliases });
  } catch (e) {
    // The library refuses an alias bomb with a ReferenceError.
    if (e instanceof ReferenceError && /excessive alias/i.test(e.message))
      throw new StewardError(
        o.code,
        `aliases expand too many times (more than ${o.maxAliases} nodes): an alias of aliases makes the file far larger than it looks`,
        { where: o.where, hint: o.aliasHint },
        { cause: e },
      );
    throw e;
  }
  return { doc: doc as Document, lines, value: value ?? undefined };
}
