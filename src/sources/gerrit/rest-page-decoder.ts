/**
 * One page of `GET /changes/` from bytes to a packed batch of change records: decode, JSON.parse,
 * parse every change (rest-parser.ts), pack (model/packed-changes.ts). The page parser worker
 * (rest-page-worker.ts) runs it so that a sync's main thread only fetches and writes.
 */
import { StewardError } from '../../model/errors.js';
import { ChangePacker, type PackedChanges } from '../../model/packed-changes.js';
import type { ChangeRecord, Timestamp } from '../../model/records.js';
import { changesArray, decodeJsonBody, type DecodedBody } from './rest-body.js';
import { parseRestChange } from './rest-parser.js';

/** A page of changes, parsed and packed. */
export interface ParsedChangesPage {
  batch: PackedChanges;
  /** Changes on the page (Gerrit's array length; every one is in `batch`). */
  count: number;
  /** Whether Gerrit said more changes follow. */
  more: boolean;
  /** The newest `updated` on the page (epoch ms), null for an empty page. */
  high: Timestamp | null;
}

export interface PageContext {
  host: string;
  /** The request URL, named by an error about the page's shape. */
  url: string;
  /** How an error about one change names the page (its change's position is added as the field). */
  where: string;
}

/**
 * Decodes one page. A body that is not JSON is returned as `ok: false` for the client to judge
 * (retry or report).
 *
 * @throws StewardError SOURCE_BAD_RESPONSE when the JSON is not an array of changes, or a change
 *   cannot be read (naming `where` and the change's position).
 */
export function decodeChangesPage(body: Uint8Array, ctx: PageContext): DecodedBody<ParsedChangesPage> {
  const json = decodeJsonBody(body);
  if (!json.ok) return json;
  const { changes, more } = changesArray(json.value, ctx.url);
  const packer = new ChangePacker(ctx.host, 'rest');
  let high: Timestamp | null = null;
  const count = changes.length;
  for (let i = 0; i < count; i++) {
    const record = parseServerChange(changes[i], { host: ctx.host, where: ctx.where, path: `[${i}]` });
    if (high === null || record.updated > high) high = record.updated;
    packer.add(record);
    // Packed: the raw change can go now rather than with the whole page.
    changes[i] = undefined;
  }
  return { ok: true, value: { batch: packer.take(), count, more, high } };
}

/**
 * The parser reports a change it cannot read as INPUT_FORMAT with a hint about export files; from
 * a live server the same problem is the server's answer not being the JSON expected.
 */
function parseServerChange(raw: unknown, ctx: { host: string; where: string; path: string }): ChangeRecord {
  try {
    return parseRestChange(raw, ctx);
  } catch (e) {
    if (!(e instanceof StewardError) || e.code !== 'INPUT_FORMAT') throw e;
    throw new StewardError('SOURCE_BAD_RESPONSE', `the server sent a change Steward cannot read: ${e.message}`, {
      ...e.details,
      hint: 'Nothing from this page was stored (the pages before it were). Check that the host URL points at a Gerrit server; if it does, please report this with the change number.',
    }, { cause: e });
  }
}
