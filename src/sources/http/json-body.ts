/**
 * Reading a response body as JSON, and quoting what was received in messages: the part of the
 * HTTP core (json-http-client.ts) that a worker thread decoding pages needs too, without the
 * client itself.
 */

/** What a decoder made of a successful (2xx) response's body. */
export type DecodedBody<T> =
  | { ok: true; value: T }
  /**
   * The body did not parse as JSON: its length in characters, its first characters (leading
   * whitespace removed) and the parser's message, for the client to tell a body cut short
   * (retried) from a page that is not JSON at all (reported).
   */
  | { ok: false; chars: number; head: string; error: string };

/**
 * Turns the bytes of a successful response into a value, on this thread or elsewhere. Throws a
 * StewardError for content it rejects (final, not retried); returns `ok: false` for a body that is
 * not JSON. The bytes are lent: the client reuses their buffer once the result settles (a decoder
 * that moves the buffer to another thread gives it back to body-buffers.ts itself).
 */
export type BodyDecoder<T> = (body: Uint8Array, url: string) => DecodedBody<T> | Promise<DecodedBody<T>>;

const utf8 = new TextDecoder();

/** A body as text (UTF-8, as `Response.text()` reads it). */
export function bodyText(body: Uint8Array): string {
  return utf8.decode(body);
}

/** `body` without its first line when it starts with the XSSI guard `prefix` (e.g. Gerrit's `)]}'`). */
export function stripXssiPrefix(body: string, prefix: string): string {
  const text = body.trimStart();
  if (!text.startsWith(prefix)) return body;
  const newline = text.indexOf('\n');
  return newline === -1 ? text.slice(prefix.length) : text.slice(newline + 1);
}

/** Decodes a body as JSON, after the XSSI guard line `xssiPrefix` when given and present. */
export function decodeJsonBytes(body: Uint8Array, xssiPrefix?: string): DecodedBody<unknown> {
  const text = bodyText(body);
  try {
    return { ok: true, value: JSON.parse(xssiPrefix ? stripXssiPrefix(text, xssiPrefix) : text) as unknown };
  } catch (e) {
    // Only a prefix is ever quoted (see quote): never copy a multi-megabyte body.
    return { ok: false, chars: text.length, head: text.trimStart().slice(0, 1000), error: (e as Error).message };
  }
}

/** `url` without `user:password@`. */
export function stripUserinfo(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** A short description of a JSON value for error messages (its kind and a quoted prefix). */
export function describeJson(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value === null) return 'null';
  if (typeof value === 'object') return `an object with keys ${Object.keys(value).slice(0, 5).join(', ') || '(none)'}`;
  return `${typeof value} ${quote(String(value), 80)}`;
}

/** JSON-quote the first `max` characters of `text`, whitespace collapsed (only a prefix is scanned). */
export function quote(text: string, max: number): string {
  const flat = text
    .slice(0, max * 8)
    .replace(/\s+/g, ' ')
    .trim();
  return JSON.stringify(flat.length > max ? `${flat.slice(0, max)}…` : flat);
}
