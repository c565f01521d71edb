/**
 * Turning the body of a Gerrit REST response into JSON: shared by the client (rest-client.ts),
 * which does it on the calling thread, and the page parser worker (rest-page-worker.ts), which
 * does it for change pages on its own thread. Either way the client decides what a body that is
 * not JSON means (cut short and retried, or a page that is not Gerrit's) — the decoder only says
 * what it found.
 */
import { describeJson, isObject, quote } from '../http/json-http-client.js';
import { StewardError } from '../../model/errors.js';

export const XSSI_PREFIX = ")]}'";

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
 * StewardError for content it rejects (not retried); returns `ok: false` for a body that is not JSON.
 */
export type BodyDecoder<T> = (body: Uint8Array, url: string) => DecodedBody<T> | Promise<DecodedBody<T>>;

const utf8 = new TextDecoder();

/** The body as text (UTF-8, as `Response.text()` reads it). */
export function bodyText(body: Uint8Array): string {
  return utf8.decode(body);
}

/** Remove Gerrit's anti-XSSI first line `)]}'` when present. */
export function stripXssi(body: string): string {
  const text = body.trimStart();
  if (!text.startsWith(XSSI_PREFIX)) return body;
  const newline = text.indexOf('\n');
  return newline === -1 ? text.slice(XSSI_PREFIX.length) : text.slice(newline + 1);
}

/** Decodes a body as Gerrit's JSON (XSSI prefix removed). */
export function decodeJsonBody(body: Uint8Array): DecodedBody<unknown> {
  const text = bodyText(body);
  try {
    return { ok: true, value: JSON.parse(stripXssi(text)) as unknown };
  } catch (e) {
    // Only a prefix is ever quoted (rest-client.ts quote): never copy a multi-megabyte body.
    return { ok: false, chars: text.length, head: text.trimStart().slice(0, 1000), error: (e as Error).message };
  }
}

/**
 * A page of `GET /changes/`: the array of ChangeInfo objects and whether Gerrit said more follow
 * (`_more_changes` on the last element).
 *
 * @throws StewardError SOURCE_BAD_RESPONSE when the JSON is not an array.
 */
export function changesArray(json: unknown, url: string): { changes: unknown[]; more: boolean } {
  if (!Array.isArray(json)) throw shapeError(url, 'a JSON array of changes', json);
  const last: unknown = json[json.length - 1];
  return { changes: json, more: json.length > 0 && isObject(last) && last._more_changes === true };
}

/** The error for JSON of the wrong shape (the client scrubs credentials from it). */
export function shapeError(url: string, expected: string, received: unknown): StewardError {
  return new StewardError('SOURCE_BAD_RESPONSE', `expected ${expected}, received ${describeJson(received)}.`, {
    where: url,
    hint: 'Check that the URL points at the Gerrit root, not a page inside it.',
  });
}

export { isObject, quote };
