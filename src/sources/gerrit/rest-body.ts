/**
 * Turning the body of a Gerrit REST response into JSON: shared by the client (rest-client.ts),
 * which does it on the calling thread, and the page parser worker (rest-page-worker.ts), which
 * does it for change pages on its own thread. Either way the client decides what a body that is
 * not JSON means (cut short and retried, or a page that is not Gerrit's) — the decoder only says
 * what it found.
 */
import { bodyText, decodeJsonBytes, describeJson, isObject, quote, stripXssiPrefix, type DecodedBody } from '../http/json-body.js';
import { StewardError } from '../../model/errors.js';

export type { BodyDecoder, DecodedBody } from '../http/json-body.js';

/** Gerrit's anti-XSSI first line, sent before every JSON body. */
export const XSSI_PREFIX = ")]}'";

/** Remove Gerrit's anti-XSSI first line `)]}'` when present. */
export function stripXssi(body: string): string {
  return stripXssiPrefix(body, XSSI_PREFIX);
}

/** Decodes a body as Gerrit's JSON (XSSI prefix removed). */
export function decodeJsonBody(body: Uint8Array): DecodedBody<unknown> {
  return decodeJsonBytes(body, XSSI_PREFIX);
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

export { bodyText, isObject, quote };
