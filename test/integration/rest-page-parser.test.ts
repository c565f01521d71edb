/**
 * The page parser a sync uses (src/sources/gerrit/rest-page-parser.ts): pages of changes parsed
 * on a worker thread give exactly the packed batch the parser and packer give on this thread; a
 * body that is not JSON comes back for the client to judge; a change it cannot read, or a worker
 * that dies, is an error naming the page — never a wait without end.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toRestChange } from '../../src/demo/demo-export.js';
import { generateDemoChanges } from '../../src/demo/demo-project.js';
import { StewardError } from '../../src/model/errors.js';
import { packChanges } from '../../src/model/packed-changes.js';
import { packChangesPage, readChangesPage } from '../../src/sources/gerrit/rest-page-decoder.js';
import { RestPageParser } from '../../src/sources/gerrit/rest-page-parser.js';
import { parseRestChange } from '../../src/sources/gerrit/rest-parser.js';
import type { RestChangeInfo } from '../../src/sources/gerrit/rest-types.js';
import { parseRestTimestamp } from '../../src/sources/gerrit/time.js';
import { CRASH_MARKER } from '../helpers/failing-page-worker.js';

const HOST = 'review.example.org';
const URL_ = 'https://review.example.org/changes/?q=project:demo/compute&n=20&S=40';
const WHERE = 'https://review.example.org/changes/?q=project%3Ademo%2Fcompute&S=40';
const served: RestChangeInfo[] = [...generateDemoChanges({ seed: 5, changes: 60, months: 2, now: Date.UTC(2026, 5, 1) })].map(toRestChange);

/** A page as Gerrit sends it: the XSSI prefix line, then the array; `_more_changes` on the last when `more`. */
function pageBody(changes: readonly unknown[], more = false): Uint8Array {
  const list = changes.map((c, i) => (more && i === changes.length - 1 ? { ...(c as object), _more_changes: true } : c));
  return new TextEncoder().encode(`)]}'\n${JSON.stringify(list)}\n`);
}

/** What parsing and packing `changes` on this thread gives. */
function expected(changes: readonly RestChangeInfo[]) {
  const records = changes.map((c, i) => parseRestChange(c, { host: HOST, where: WHERE, path: `[${i}]` }));
  return { batch: packChanges(records, HOST, 'rest'), high: Math.max(...changes.map((c) => parseRestTimestamp(c.updated)!)) };
}

async function rejection(p: Promise<unknown>): Promise<StewardError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof StewardError, `a StewardError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a rejection');
}

/** A page the failing test worker (test/helpers/failing-page-worker.ts) dies on. */
function crashingPage(): Uint8Array {
  const c = structuredClone(served[0]!);
  c.subject = CRASH_MARKER;
  return pageBody([c]);
}

describe('page parsing on this thread (rest-page-decoder)', () => {
  it('reads the page head (count, more) and packs exactly what parsing each change gives', () => {
    const page = served.slice(0, 20);
    const read = readChangesPage(pageBody(page, true), URL_);
    assert.ok(read.ok);
    assert.equal(read.value.changes.length, 20);
    assert.equal(read.value.more, true);
    assert.deepEqual(packChangesPage(read.value.changes, { host: HOST, where: WHERE }), expected(page));
    const last = readChangesPage(pageBody(served.slice(20, 25)), URL_);
    assert.ok(last.ok && !last.value.more);
  });

  it('a body cut short is not JSON: its length and start come back for the client to judge', () => {
    const full = pageBody(served.slice(0, 3));
    const read = readChangesPage(full.subarray(0, 500), URL_);
    assert.equal(read.ok, false);
    assert.ok(!read.ok && read.chars === 500 && read.head.startsWith(")]}'") && read.error.length > 0);
  });
});

describe('RestPageParser (pages parsed on a worker thread)', () => {
  it('gives each page its head, then the same packed changes as this thread, in the order given', async () => {
    const parser = new RestPageParser(HOST);
    try {
      const pages = [served.slice(0, 20), served.slice(20, 40), served.slice(40, 60)];
      const heads = await Promise.all(pages.map((p, i) => parser.decode(pageBody(p, i < 2), { url: URL_, where: WHERE })));
      for (const [i, head] of heads.entries()) {
        assert.ok(head.ok);
        assert.equal(head.value.count, 20);
        assert.equal(head.value.more, i < 2);
        assert.deepEqual(await head.value.parsed, expected(pages[i]!));
      }
      const empty = await parser.decode(pageBody([]), { url: URL_, where: WHERE });
      assert.ok(empty.ok && empty.value.count === 0 && !empty.value.more);
      assert.deepEqual((await empty.value.parsed).high, null);
    } finally {
      await parser.close();
    }
  });

  it('a body that is not JSON (cut short, or an HTML page) comes back as such, and the parser goes on', async () => {
    const parser = new RestPageParser(HOST);
    try {
      const cut = await parser.decode(pageBody(served.slice(0, 5)).subarray(0, 1000), { url: URL_, where: WHERE });
      assert.ok(!cut.ok && cut.chars === 1000);
      const html = await parser.decode(new TextEncoder().encode('\n<!DOCTYPE html><html><body>Sign in</body></html>'), {
        url: URL_,
        where: WHERE,
      });
      assert.ok(!html.ok && html.head.startsWith('<!DOCTYPE html>'));
      const next = await parser.decode(pageBody(served.slice(0, 2)), { url: URL_, where: WHERE });
      assert.ok(next.ok && next.value.count === 2);
    } finally {
      await parser.close();
    }
  });

  it('JSON that is not an array of changes → SOURCE_BAD_RESPONSE naming the URL', async () => {
    const parser = new RestPageParser(HOST);
    try {
      const e = await rejection(parser.decode(new TextEncoder().encode(`)]}'\n{"message":"hello"}`), { url: URL_, where: WHERE }));
      assert.equal(e.code, 'SOURCE_BAD_RESPONSE');
      assert.equal(e.details.where, URL_);
      assert.match(e.message, /expected a JSON array of changes, received an object with keys message/);
    } finally {
      await parser.close();
    }
  });

  it('a change it cannot read → SOURCE_BAD_RESPONSE naming the page and the change; later pages are still parsed', async () => {
    const parser = new RestPageParser(HOST);
    try {
      const page = structuredClone(served.slice(0, 10));
      delete (page[7] as Partial<RestChangeInfo>).owner;
      const head = await parser.decode(pageBody(page, true), { url: URL_, where: WHERE });
      assert.ok(head.ok && head.value.count === 10, 'the head comes first: paging goes on while the changes are parsed');
      const e = await rejection(head.value.parsed);
      assert.equal(e.code, 'SOURCE_BAD_RESPONSE');
      assert.equal(e.details.where, WHERE);
      assert.equal(e.details.field, '[7].owner');
      assert.match(
        e.message,
        new RegExp(`^the server sent a change Steward cannot read: change ${page[7]!._number}: field \`owner\` is missing`),
      );
      assert.doesNotMatch(e.details.hint ?? '', /Export/);
      const next = await parser.decode(pageBody(served.slice(10, 12)), { url: URL_, where: WHERE });
      assert.ok(next.ok);
      assert.deepEqual(await next.value.parsed, expected(served.slice(10, 12)));
    } finally {
      await parser.close();
    }
  });

  it('a worker that dies fails its page and every later one at once with INTERNAL naming the page', { timeout: 60_000 }, async () => {
    const parser = new RestPageParser(HOST, { workerUrl: new URL('../helpers/failing-page-worker.ts', import.meta.url) });
    try {
      const before = await parser.decode(pageBody(served.slice(0, 5), true), { url: URL_, where: `${WHERE}#before` });
      assert.ok(before.ok);
      await before.value.parsed;
      const dying = parser.decode(crashingPage(), { url: URL_, where: `${WHERE}#crash` });
      const queued = parser.decode(pageBody(served.slice(5, 10)), { url: URL_, where: `${WHERE}#queued` });
      const e = await rejection(dying);
      assert.equal(e.code, 'INTERNAL');
      assert.equal(e.message, 'the worker thread parsing pages of changes exited with code 3');
      assert.equal(e.details.where, `${WHERE}#crash`);
      assert.match(e.details.hint ?? '', /run the same command again to resume/);
      assert.equal((await rejection(queued)).details.where, `${WHERE}#queued`);
      const later = await rejection(parser.decode(pageBody(served.slice(10, 12)), { url: URL_, where: `${WHERE}#later` }));
      assert.equal(later.code, 'INTERNAL');
      assert.equal(later.details.where, `${WHERE}#later`);
    } finally {
      await parser.close();
    }
  });

  it('closing with a page still being parsed fails that page rather than leaving it waiting', { timeout: 60_000 }, async () => {
    const parser = new RestPageParser(HOST);
    const pending = parser.decode(pageBody(served), { url: URL_, where: WHERE });
    await parser.close();
    const e = await rejection(pending);
    assert.equal(e.code, 'INTERNAL');
    assert.equal(e.details.where, WHERE);
    assert.equal((await rejection(parser.decode(pageBody([]), { url: URL_, where: WHERE }))).code, 'INTERNAL');
  });
});
