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
import { isAscii } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
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
  const why =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EISDIR'
        ? 'it is a directory'
        : code === 'EACCES'
          ? 'permission denied'
          : (e as Error).message;
  return new StewardError(
    'INPUT_UNREADABLE',
    `cannot read the file: ${why}`,
    { where: path, hint: 'Give the path of a Gerrit export file (REST JSON or SSH query JSON lines).' },
    { cause: e },
  );
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
  const input = await open(path, 'r');
  let lineNo = 0;
  let index = 0;
  let format: SourceFormat | null = null;
  let streamed = false;
  try {
    for await (const bytes of readLines(input)) {
      lineNo += 1;
      // A page of changes (`[{…},{…}]`) is cut into its changes on the bytes, and each change is
      // decoded and parsed on its own: most changes are ASCII and decode as fast as a copy, where a
      // whole page with one accent in it decodes slowly into a two-byte string; and each change's
      // objects die young instead of the whole page's living until its last change is done (most
      // of the import's garbage collection went into that). Anything else, and a page with an
      // error (for JSON.parse's own message), is read whole.
      const elements = stats.sawStatsRow ? null : splitArrayOfObjects(bytes, lineNo === 1);
      const badJson = (e: unknown) =>
        new StewardError(
          'INPUT_JSON',
          `line ${lineNo} is not valid JSON (${(e as Error).message})${lineNo > 1 ? '; the file may be truncated' : ''}`,
          {
            where: path,
            line: lineNo,
            hint: 'Export the data again, or remove the broken line. Changes stored before this file are kept; re-running the import is safe.',
          },
          { cause: e },
        );
      let items: unknown[] | null = null;
      if (!elements) {
        const text = bytes.toString('utf8');
        const line = lineNo === 1 ? text.replace(/^\uFEFF/, '').trim() : text.trim();
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
          throw badJson(e);
        }
        items = Array.isArray(value) ? value : [value];
      }
      const count = elements ? elements.length / 2 : items!.length;
      for (let k = 0; k < count; k++) {
        let item: unknown;
        if (!elements) item = items![k];
        else {
          const from = elements[2 * k]!;
          const to = elements[2 * k + 1]!;
          try {
            item = JSON.parse(bytes.toString(isAscii(bytes.subarray(from, to)) ? 'latin1' : 'utf8', from, to));
          } catch (e) {
            try {
              JSON.parse(bytes.toString('utf8'));
            } catch (whole) {
              throw badJson(whole);
            }
            throw badJson(e);
          }
        }
        if (item === null || typeof item !== 'object' || Array.isArray(item)) {
          throw notExport(
            path,
            lineNo,
            `expected change objects, found ${item === null ? 'null' : Array.isArray(item) ? 'an array' : typeof item}`,
          );
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
          throw notExport(
            path,
            lineNo,
            'an object with neither `_number` and `project` (REST ChangeInfo) nor `number` and `project` (SSH query row)',
          );
        }
        if (format === null) format = kind;
        else if (format !== kind) {
          throw notExport(path, lineNo, `REST and SSH records are mixed in one file (this one is ${kind}, earlier ones were ${format})`);
        }
        yield { format: kind, raw: item, line: lineNo, index: index++ };
      }
    }
  } finally {
    await input.close();
  }
  if (streamed) {
    return yield* streamPrettyArray(path, stats);
  }
  return stats;
}

/**
 * Where the elements of a JSON array of objects start and end in `bytes` (pairs of offsets, end
 * exclusive), found by a scan that follows only brackets and strings (UTF-8 never puts an ASCII
 * byte inside a multi-byte character, so this is safe on undecoded bytes). Null when `bytes` is
 * not, between ASCII white space, `[` objects separated by commas `]` (the caller then reads the
 * line whole). The objects' insides are checked when each is parsed. On the first line a UTF-8
 * byte order mark is skipped.
 */
export function splitArrayOfObjects(bytes: Uint8Array, firstLine = false): number[] | null {
  let n = bytes.length;
  while (n > 0 && isSpace(bytes[n - 1]!)) n--;
  let i = firstLine && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  i = skipSpace(bytes, i, n);
  if (bytes[i] !== 91 /* [ */ || bytes[n - 1] !== 93 /* ] */) return null;
  const out: number[] = [];
  i = skipSpace(bytes, i + 1, n);
  if (i === n - 1) return out;
  for (;;) {
    if (bytes[i] !== 123 /* { */) return null;
    const start = i;
    const end = objectEnd(bytes, i, n);
    if (end < 0) return null;
    out.push(start, end);
    i = skipSpace(bytes, end, n);
    if (bytes[i] === 44 /* , */) i = skipSpace(bytes, i + 1, n);
    else return i === n - 1 ? out : null;
  }
}

/**
 * The end (exclusive) of the object that opens at `bytes[i]`, or −1 when it does not close before
 * `n`. One plain loop over the bytes: a string's body is skipped byte by byte (a backslash skips the
 * byte after it), which costs less than a call to `indexOf` per string when most strings are short
 * keys and values (about a fifth of the parser thread's scan on the bench export).
 */
function objectEnd(bytes: Uint8Array, i: number, n: number): number {
  let depth = 0;
  for (; i < n; i++) {
    const c = bytes[i]!;
    if (c === 34 /* " */) {
      for (i++; i < n; i++) {
        const d = bytes[i]!;
        if (d === 34) break;
        if (d === 92 /* \ */) i++;
      }
      if (i >= n) return -1;
    } else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function skipSpace(bytes: Uint8Array, i: number, end: number): number {
  while (i < end && isSpace(bytes[i]!)) i++;
  return i;
}

/**
 * The lines of a file (LF or CRLF), undecoded, read into one buffer that is reused: each line is a
 * view into it, valid until the next line is asked for (the caller is done with a line by then).
 * Paged exports have very long lines (one can hold 500 changes, several MB); read in 1 MB chunks
 * and joined, every byte of such a line was copied once more, and each joined line was a new
 * allocation of several MB. Here only the start of a line cut by the end of the buffer is moved
 * to its front, and the buffer grows only for a line longer than itself.
 */
export async function* readLines(file: FileHandle, initialSize = 16 << 20): AsyncGenerator<Buffer> {
  let buf = Buffer.allocUnsafe(initialSize);
  let start = 0; // first byte of the current line
  let end = 0; // end of the bytes read
  let eof = false;
  for (;;) {
    const nl = buf.subarray(0, end).indexOf(10, start);
    if (nl >= 0) {
      const stop = nl > start && buf[nl - 1] === 13 ? nl - 1 : nl;
      yield buf.subarray(start, stop);
      start = nl + 1;
      continue;
    }
    if (eof) {
      if (start < end) {
        const stop = buf[end - 1] === 13 ? end - 1 : end;
        yield buf.subarray(start, stop);
      }
      return;
    }
    // No complete line left: keep the partial one, at the front of the buffer (or of a larger one).
    if (start > 0) {
      buf.copy(buf, 0, start, end);
      end -= start;
      start = 0;
    } else if (end === buf.length) {
      const larger = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(larger, 0, 0, end);
      buf = larger;
    }
    const { bytesRead } = await file.read(buf, end, buf.length - end, null);
    if (bytesRead === 0) eof = true;
    end += bytesRead;
  }
}

async function* streamPrettyArray(path: string, stats: ExportStats): AsyncGenerator<ExportItem, ExportStats, undefined> {
  const prefix = Buffer.alloc(64);
  const fh = await open(path, 'r');
  const { bytesRead } = await fh.read(prefix, 0, 64, 0);
  await fh.close();
  const head = prefix
    .subarray(0, bytesRead)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  const skip = head.trimStart().startsWith(XSSI)
    ? Buffer.byteLength(head.slice(0, head.indexOf(XSSI) + XSSI.length)) + (prefix[0] === 0xef ? 3 : 0)
    : 0;
  const pipeline = StreamChain.chain([
    createReadStream(path, { start: skip, highWaterMark: 1 << 20 }),
    StreamJsonParser.parser(),
    StreamArray.streamArray(),
  ]);
  let index = 0;
  try {
    for await (const chunk of pipeline as AsyncIterable<{ key: number; value: unknown }>) {
      const item = chunk.value;
      if (item === null || typeof item !== 'object' || Array.isArray(item) || classifyObject(item as Record<string, unknown>) !== 'rest') {
        throw new StewardError(
          'INPUT_FORMAT',
          `element ${chunk.key} of the array is not a REST ChangeInfo (it needs \`_number\` and \`project\`)`,
          {
            where: path,
            hint: 'Steward imports the REST change list (/changes/?q=…&o=… as JSON) or the SSH `gerrit query --format=JSON` output.',
          },
        );
      }
      yield { format: 'rest', raw: item, line: null, index: index++ };
    }
  } catch (e) {
    if (e instanceof StewardError) throw e;
    throw new StewardError(
      'INPUT_JSON',
      `not valid JSON after change ${index} of the array (${(e as Error).message}); the file may be truncated`,
      {
        where: path,
        hint: 'Export the data again. Changes stored before this file are kept; re-running the import is safe.',
      },
      { cause: e },
    );
  } finally {
    pipeline.destroy();
  }
  return stats;
}
