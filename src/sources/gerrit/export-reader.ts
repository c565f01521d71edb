/**
 * Streams the changes out of a Gerrit export file without holding the file in memory.
 *
 * Accepted layouts (detected from the content, never from the file name):
 * - REST, as `/changes/?q=…` returns it: a JSON array, with or without the `)]}'` first line;
 *   several pages concatenated one per line (each line a JSON array, each optionally preceded by
 *   its own `)]}'` line); one REST change object per line; or one pretty-printed array over many
 *   lines (streamed through stream-json).
 * - SSH, as `gerrit query --format=JSON …` prints it: one change object per line and a closing
 *   `{"type":"stats",…}` row.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import StreamChain from 'stream-chain';
import StreamJsonParser from 'stream-json';
import StreamArray from 'stream-json/streamers/StreamArray.js';
import { StewardError } from '../../model/errors.js';
import type { SourceFormat } from '../../model/records.js';

export interface ExportItem {
  format: SourceFormat;
  raw: unknown;
  /** 1-based line of the file the item is on; null in streamed (multi-line) mode. */
  line: number | null;
  /** 0-based position of the change in the file. */
  index: number;
}

export interface ExportStats {
  /** SSH exports end with a stats row; its absence suggests a cut-off file. */
  sawStatsRow: boolean;
  statsRowCount: number | null;
  moreChanges: boolean;
}

const XSSI = ")]}'";

function unreadable(path: string, e: unknown): StewardError {
  const code = (e as { code?: string }).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
  return new StewardError('INPUT_UNREADABLE', `cannot read the file: ${why}`, { where: path, hint: 'Give the path of a Gerrit export file (REST JSON or SSH query JSON lines).' }, { cause: e });
}

function classifyObject(o: Record<string, unknown>): SourceFormat | 'stats' | null {
  if (o.type === 'stats') return 'stats';
  if (typeof o._number === 'number' && typeof o.project === 'string') return 'rest';
  if ((typeof o.number === 'number' || typeof o.number === 'string') && typeof o.project === 'string') return 'ssh';
  return null;
}

const notExport = (path: string, line: number, what: string) =>
  new StewardError('INPUT_FORMAT', `this is not a Gerrit export: ${what}`, {
    where: path,
    line,
    hint: 'Steward imports the REST change list (/changes/?q=…&o=… as JSON) or the SSH `gerrit query --format=JSON` output.',
  });

/**
 * Yields every change in `path` with its format and position; returns the stats of the file.
 * Throws StewardError (INPUT_UNREADABLE, INPUT_JSON, INPUT_FORMAT) naming the file and line.
 */
export async function* readGerritExport(path: string): AsyncGenerator<ExportItem, ExportStats, undefined> {
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    const fh = await open(path, 'r');
    await fh.close();
  } catch (e) {
    throw unreadable(path, e);
  }
  const stats: ExportStats = { sawStatsRow: false, statsRowCount: null, moreChanges: false };
  const input = createReadStream(path, { highWaterMark: 1 << 20 });
  let lineNo = 0;
  let index = 0;
  let format: SourceFormat | null = null;
  let streamed = false;
  try {
    for await (const rawLine of splitLines(input)) {
      lineNo += 1;
      const line = lineNo === 1 ? rawLine.replace(/^\uFEFF/, '').trim() : rawLine.trim();
      if (line === '' || line === XSSI) continue;
      if (stats.sawStatsRow) throw notExport(path, lineNo, 'there is content after the closing stats row');
      const first = line[0];
      if (first !== '[' && first !== '{') {
        throw notExport(path, lineNo, `line ${lineNo} starts with ${JSON.stringify(line.slice(0, 20))}, not with a JSON array or object`);
      }
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (e) {
        // A line that opens an array but does not close it is a pretty-printed export: stream it.
        if (format === null && first === '[' && !line.endsWith(']')) {
          streamed = true;
          break;
        }
        throw new StewardError('INPUT_JSON', `line ${lineNo} is not valid JSON (${(e as Error).message})${lineNo > 1 ? '; the file may be truncated' : ''}`, {
          where: path,
          line: lineNo,
          hint: 'Export the data again, or remove the broken line. Changes stored before this file are kept; re-running the import is safe.',
        }, { cause: e });
      }
      const items = Array.isArray(value) ? value : [value];
      for (const item of items) {
        if (item === null || typeof item !== 'object' || Array.isArray(item)) {
          throw notExport(path, lineNo, `expected change objects, found ${item === null ? 'null' : Array.isArray(item) ? 'an array' : typeof item}`);
        }
        const kind = classifyObject(item as Record<string, unknown>);
        if (kind === 'stats') {
          const st = item as { rowCount?: unknown; moreChanges?: unknown };
          stats.sawStatsRow = true;
          stats.statsRowCount = typeof st.rowCount === 'number' ? st.rowCount : null;
          stats.moreChanges = st.moreChanges === true;
          continue;
        }
        if (kind === null) {
          throw notExport(path, lineNo, 'an object with neither `_number` and `project` (REST ChangeInfo) nor `number` and `project` (SSH query row)');
        }
        if (format === null) format = kind;
        else if (format !== kind) {
          throw notExport(path, lineNo, `REST and SSH records are mixed in one file (this one is ${kind}, earlier ones were ${format})`);
        }
        yield { format: kind, raw: item, line: lineNo, index: index++ };
      }
    }
  } finally {
    input.destroy();
  }
  if (streamed) {
    return yield* streamPrettyArray(path, stats);
  }
  return stats;
}

/**
 * Splits a byte stream into UTF-8 lines (LF or CRLF). Faster than node:readline on the very long
 * lines of paged exports (one line can hold 500 changes), because it searches bytes with
 * Buffer.indexOf and decodes each line once.
 */
async function* splitLines(input: AsyncIterable<Buffer>): AsyncGenerator<string> {
  let pending: Buffer[] = [];
  for await (const chunk of input) {
    let pos = 0;
    for (;;) {
      const nl = chunk.indexOf(10, pos);
      if (nl < 0) break;
      const piece = chunk.subarray(pos, nl);
      const line = pending.length ? Buffer.concat([...pending, piece]) : piece;
      pending = [];
      const end = line.length > 0 && line[line.length - 1] === 13 ? line.length - 1 : line.length;
      yield line.toString('utf8', 0, end);
      pos = nl + 1;
    }
    if (pos < chunk.length) pending.push(chunk.subarray(pos));
  }
  if (pending.length) {
    const line = Buffer.concat(pending);
    const end = line.length > 0 && line[line.length - 1] === 13 ? line.length - 1 : line.length;
    yield line.toString('utf8', 0, end);
  }
}

async function* streamPrettyArray(path: string, stats: ExportStats): AsyncGenerator<ExportItem, ExportStats, undefined> {
  const prefix = Buffer.alloc(64);
  const fh = await open(path, 'r');
  const { bytesRead } = await fh.read(prefix, 0, 64, 0);
  await fh.close();
  const head = prefix.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '');
  const skip = head.trimStart().startsWith(XSSI) ? Buffer.byteLength(head.slice(0, head.indexOf(XSSI) + XSSI.length)) + (prefix[0] === 0xef ? 3 : 0) : 0;
  const pipeline = StreamChain.chain([createReadStream(path, { start: skip, highWaterMark: 1 << 20 }), StreamJsonParser.parser(), StreamArray.streamArray()]);
  let index = 0;
  try {
    for await (const chunk of pipeline as AsyncIterable<{ key: number; value: unknown }>) {
      const item = chunk.value;
      if (item === null || typeof item !== 'object' || Array.isArray(item) || classifyObject(item as Record<string, unknown>) !== 'rest') {
        throw new StewardError('INPUT_FORMAT', `element ${chunk.key} of the array is not a REST ChangeInfo (it needs \`_number\` and \`project\`)`, {
          where: path,
          hint: 'Steward imports the REST change list (/changes/?q=…&o=… as JSON) or the SSH `gerrit query --format=JSON` output.',
        });
      }
      yield { format: 'rest', raw: item, line: null, index: index++ };
    }
  } catch (e) {
    if (e instanceof StewardError) throw e;
    throw new StewardError('INPUT_JSON', `not valid JSON after change ${index} of the array (${(e as Error).message}); the file may be truncated`, {
      where: path,
      hint: 'Export the data again. Changes stored before this file are kept; re-running the import is safe.',
    }, { cause: e });
  } finally {
    pipeline.destroy();
  }
  return stats;
}
