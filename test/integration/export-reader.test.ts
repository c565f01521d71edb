import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { StewardError } from '../../src/model/errors.js';
import { open } from 'node:fs/promises';
import {
  readGerritExport,
  readLines,
  splitArrayOfObjects,
  type ExportItem,
  type ExportStats,
} from '../../src/sources/gerrit/export-reader.js';

let dir: string;
before(() => (dir = mkdtempSync(join(tmpdir(), 'steward-reader-'))));
after(() => rmSync(dir, { recursive: true, force: true }));

const rest = (n: number) => ({ _number: n, project: 'p', branch: 'master', id: `p~master~I${n}` });
const ssh = (n: number) => ({ number: n, project: 'p', branch: 'master', id: `I${n}` });

async function read(name: string, text: string): Promise<{ items: ExportItem[]; stats: ExportStats }> {
  const path = join(dir, name);
  writeFileSync(path, text);
  const it = readGerritExport(path);
  const items: ExportItem[] = [];
  for (;;) {
    const r = await it.next();
    if (r.done) return { items, stats: r.value };
    items.push(r.value);
  }
}

async function readError(name: string, text: string): Promise<StewardError> {
  try {
    await read(name, text);
  } catch (e) {
    assert.ok(e instanceof StewardError, String(e));
    return e;
  }
  assert.fail('expected an error');
}

describe('export reader', () => {
  it('reads a REST array with the XSSI prefix', async () => {
    const { items } = await read('a.json', `)]}'\n${JSON.stringify([rest(1), rest(2)])}\n`);
    assert.deepEqual(
      items.map((i) => [i.format, (i.raw as { _number: number })._number, i.line, i.index]),
      [
        ['rest', 1, 2, 0],
        ['rest', 2, 2, 1],
      ],
    );
  });

  it('reads pages concatenated one per line, each with its own prefix, CRLF and a BOM', async () => {
    const { items } = await read(
      'b.json',
      `\uFEFF)]}'\r\n${JSON.stringify([rest(1)])}\r\n)]}'\r\n${JSON.stringify([rest(2), rest(3)])}\r\n`,
    );
    assert.deepEqual(
      items.map((i) => (i.raw as { _number: number })._number),
      [1, 2, 3],
    );
  });

  it('streams a pretty-printed array spread over many lines', async () => {
    const { items } = await read('c.json', `)]}'\n${JSON.stringify([rest(1), rest(2), rest(3)], null, 2)}\n`);
    assert.deepEqual(
      items.map((i) => [(i.raw as { _number: number })._number, i.line]),
      [
        [1, null],
        [2, null],
        [3, null],
      ],
    );
  });

  it('says a pretty-printed array that is cut short may be truncated', async () => {
    const text = JSON.stringify([rest(1), rest(2), rest(3)], null, 2);
    const e = await readError('c2.json', text.slice(0, text.length - 40));
    assert.equal(e.code, 'INPUT_JSON');
    assert.match(e.message, /may be truncated/);
  });

  it('reads SSH rows and the closing stats row', async () => {
    const { items, stats } = await read(
      'd.json',
      `${JSON.stringify(ssh(1))}\n${JSON.stringify(ssh(2))}\n{"type":"stats","rowCount":2,"runTimeMilliseconds":5,"moreChanges":true}\n`,
    );
    assert.deepEqual(
      items.map((i) => i.format),
      ['ssh', 'ssh'],
    );
    assert.deepEqual(stats, { sawStatsRow: true, statsRowCount: 2, moreChanges: true });
  });

  it('notices an SSH export without its stats row', async () => {
    const { stats } = await read('e.json', `${JSON.stringify(ssh(1))}\n`);
    assert.equal(stats.sawStatsRow, false);
  });

  it('refuses REST and SSH mixed in one file, naming the line', async () => {
    const e = await readError('f.json', `${JSON.stringify(rest(1))}\n${JSON.stringify(ssh(2))}\n`);
    assert.equal(e.code, 'INPUT_FORMAT');
    assert.equal(e.details.line, 2);
    assert.match(e.message, /mixed/);
  });

  it('refuses content after the stats row and JSON that is not a change', async () => {
    assert.match(
      (await readError('g.json', `{"type":"stats","rowCount":0}\n${JSON.stringify(ssh(1))}\n`)).message,
      /after the closing stats row/,
    );
    assert.match((await readError('h.json', '[1, 2]\n')).message, /expected change objects, found number/);
    assert.match((await readError('i.json', '[{"id": 1}]\n')).message, /neither `_number` and `project`/);
  });

  it('an empty file yields nothing', async () => {
    const { items } = await read('j.json', '\n\n');
    assert.equal(items.length, 0);
  });
});

describe('cutting a page into its changes', () => {
  const cut = (text: string, firstLine = false) => {
    const bytes = Buffer.from(text, 'utf8');
    const at = splitArrayOfObjects(bytes, firstLine);
    return at && Array.from({ length: at.length / 2 }, (_, k) => bytes.toString('utf8', at[2 * k], at[2 * k + 1]));
  };

  it('finds each object, whatever its strings and nesting hold', () => {
    const a = { _number: 1, message: 'a "quoted" \\ back}slash ] and {braces} [brackets] ünïcödé', list: [{ x: [1, { y: '}' }] }] };
    const b = { _number: 2, s: '\\', t: '\\"' };
    assert.deepEqual(
      cut(JSON.stringify([a, b]))!.map((t) => JSON.parse(t)),
      [a, b],
    );
    assert.deepEqual(
      cut(` [ ${JSON.stringify(a)} ,\t${JSON.stringify(b)} ] \r`)!.map((t) => JSON.parse(t)),
      [a, b],
    );
    assert.deepEqual(cut('\uFEFF[{"_number":1}]', true), ['{"_number":1}']);
    assert.deepEqual(cut('[]'), []);
  });

  it('leaves to JSON.parse anything that is not an array of objects', () => {
    for (const text of [
      '{"_number":1}',
      '[{"a":1}, 2]',
      '[{"a":1}',
      '[{"a":1},]',
      '[{"a":"1}]',
      '[{"a":"1\\"}]',
      '[{"a":1}] x',
      '\uFEFF[{"a":1}]',
      ")]}'",
    ]) {
      assert.equal(cut(text), null, text);
    }
  });

  it("reports a broken change with JSON.parse's message for the whole line", async () => {
    const e = await readError('h.json', `)]}'\n[${JSON.stringify(rest(1))},{"_number":2,"project":"p","x":tru}]\n`);
    assert.equal(e.code, 'INPUT_JSON');
    assert.equal(e.details.line, 2);
    assert.match(e.message, /line 2 is not valid JSON/);
  });
});

describe('readLines', () => {
  // Each line is a view into a reused buffer: copy it before asking for the next one, as readers do.
  async function lines(text: string, bufferSize: number): Promise<string[]> {
    const path = join(dir, `lines-${bufferSize}.txt`);
    writeFileSync(path, text);
    const fh = await open(path, 'r');
    try {
      const out: string[] = [];
      for await (const line of readLines(fh, bufferSize)) out.push(line.toString('utf8'));
      return out;
    } finally {
      await fh.close();
    }
  }

  const text = 'first\r\n\nsecond line, longer than the buffer\n' + 'x'.repeat(100) + '\r\nlast without newline';
  const expected = ['first', '', 'second line, longer than the buffer', 'x'.repeat(100), 'last without newline'];

  it('gives the same lines whatever the buffer size: lines cut by its end, lines longer than it, CRLF', async () => {
    for (const size of [1, 2, 3, 7, 16, 64, 1024]) assert.deepEqual(await lines(text, size), expected, `buffer of ${size} bytes`);
  });

  it('ends a file that ends with a newline without an empty last line, and reads an empty file as no lines', async () => {
    assert.deepEqual(await lines('a\nb\n', 4), ['a', 'b']);
    assert.deepEqual(await lines('', 4), []);
    assert.deepEqual(await lines('\n', 4), ['']);
  });

  it('keeps a multi-byte character cut by the end of the buffer whole', async () => {
    assert.deepEqual(await lines('héllo wörld\nçà\n', 3), ['héllo wörld', 'çà']);
  });
});
