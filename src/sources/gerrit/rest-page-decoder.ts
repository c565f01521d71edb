/**
 * One page of `GET /changes/` from bytes to a packed batch of change records, in two steps: read
 * (decode, JSON.parse: how many changes, whether more follow — all that paging needs) and pack
 * (parse every change with rest-parser.ts, pack with model/packed-changes.ts). The page parser
 * worker (rest-page-worker.ts) runs both, answering after the first so the next page can be
 * requested while this one is parsed.
 */
import { StewardError } from '../../model/errors.js';
import { ChangePacker, type PackedChanges } from '../../model/packed-changes.js';
import type { ChangeRecord, Timestamp } from '../../model/records.js';
import { changesArray, decodeJsonBody, type DecodedBody } from './rest-body.js';
import { parseRestChange } from './rest-parser.js';

/** A page of changes, parsed and packed. */
export interface PackedChangesPage {
  batch: PackedChanges;
  /** The newest `updated` on the page (epoch ms), null for an empty page. */
  high: Timestamp | null;
}

/**
 * Reads one page's body: its raw changes and Gerrit's "more follow" flag. A body that is not JSON
 * is returned as `ok: false` for the client to judge (retry or report).
 *
 * @throws StewardError SOURCE_BAD_RESPONSE, naming `url`, when the JSON is not an array.
 */
export function readChangesPage(body: Uint8Array, url: string): DecodedBody<{ changes: unknown[]; more: boolean }> {
  const json = decodeJsonBody(body);
  return json.ok ? { ok: true, value: changesArray(json.value, url) } : json;
}

/**
 * Parses and packs a page's changes. Empties `changes` as it goes (each raw change can be
 * collected as soon as it is packed).
 *
 * @param ctx.where how an error about one change names the page; the change's position is added.
 * @throws StewardError SOURCE_BAD_RESPONSE when a change cannot be read.
 */
export function packChangesPage(changes: unknown[], ctx: { host: string; where: string }): PackedChangesPage {
  const packer = new ChangePacker(ctx.host, 'rest');
  let high: Timestamp | null = null;
  for (let i = 0; i < changes.length; i++) {
    const record = parseServerChange(changes[i], { host: ctx.host, where: ctx.where, path: `[${i}]` });
    if (high === null || record.updated > high) high = record.updated;
    packer.add(record);
    changes[i] = undefined;
  }
  return { batch: packer.take(), high };
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
    throw new StewardError(
      'SOURCE_BAD_RESPONSE',
      `the server sent a change Steward cannot read: ${e.message}`,
      {
        ...e.details,
        hint: 'Nothing from this page was stored (the pages before it were). Check that the host URL points at a Gerrit server; if it does, please report this with the change number.',
      },
      { cause: e },
    );
  }
}
