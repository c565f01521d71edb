import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { StewardError } from '../../src/model/errors.js';
import type { ErrorCode } from '../../src/model/errors.js';
import { FakeGerrit } from '../helpers/fake-gerrit.js';
import { OPENSSL_SKIP_REASON, selfSignedCert } from '../helpers/self-signed-cert.js';
import type { FakeGroup } from '../helpers/fake-gerrit.js';
import { GerritClient } from '../../src/sources/gerrit/rest-client.js';
import type { GerritClientOptions, RetryEvent } from '../../src/sources/gerrit/rest-client.js';
import type { RestAccountInfo, RestChangeInfo } from '../../src/sources/gerrit/rest-types.js';
import { formatRestTimestamp } from '../../src/sources/gerrit/time.js';

// ---- builders ----

const T0 = Date.UTC(2023, 0, 10, 9, 0, 0);
const HOUR = 3_600_000;
const PASSWORD = 'Zx9-very-distinctive-Pa55w0rd';
const alice: RestAccountInfo = { _account_id: 1001, name: 'Alice Owner', email: 'alice@example.com', username: 'alice' };
const bob: RestAccountInfo = { _account_id: 2002, name: 'Bob Core', email: 'bob@example.com', username: 'bob' };
const carol: RestAccountInfo = { _account_id: 3003, name: 'Carol Core', email: 'carol@example.com', username: 'carol' };

/** A REST change numbered `n`, updated `n` hours after T0 unless overridden. */
function restChange(n: number, over: Partial<RestChangeInfo> = {}): RestChangeInfo {
  return {
    id: `openstack%2Fnova~master~I${String(n).padStart(40, '0')}`,
    project: 'openstack/nova',
    branch: 'master',
    change_id: `I${String(n).padStart(40, '0')}`,
    subject: `Change ${n}`,
    status: 'NEW',
    created: formatRestTimestamp(T0),
    updated: formatRestTimestamp(T0 + n * HOUR),
    _number: n,
    owner: alice,
    messages: [{ id: `m${n}`, author: bob, date: formatRestTimestamp(T0 + n * HOUR), message: 'Patch Set 1: Code-Review+1' }],
    ...over,
  };
}

/** A client on `baseUrl` whose sleeps are recorded, not waited, with jitter fixed at 0.5. */
function makeClient(baseUrl: string, over: Partial<GerritClientOptions> = {}) {
  const sleeps: number[] = [];
  const retries: RetryEvent[] = [];
  const client = new GerritClient({
    baseUrl,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    onRetry: (e) => retries.push(e),
    ...over,
  });
  return { client, sleeps, retries };
}

async function rejection(promise: Promise<unknown>): Promise<StewardError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof StewardError, `expected a StewardError, got ${inspect(e)}`);
    return e;
  }
  assert.fail('expected the promise to reject');
}

async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<StewardError> {
  const e = await rejection(promise);
  assert.equal(e.code, code, `expected ${code}, got ${e.code}: ${e.describe()}`);
  return e;
}

async function collect(client: GerritClient, query: string, pageSize: number, start?: number) {
  const pages = [];
  for await (const page of client.queryChanges(query, { options: ['MESSAGES', 'DETAILED_ACCOUNTS'], pageSize, start })) pages.push(page);
  return pages;
}

const numbers = (changes: unknown[]): number[] => changes.map((c) => (c as RestChangeInfo)._number);

/** A loopback port nobody listens on: opened, then closed. */
async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// ---- tests ----

describe('GerritClient against a fake Gerrit', () => {
  let gerrit: FakeGerrit;
  let url: string;

  before(async () => {
    gerrit = new FakeGerrit();
    url = await gerrit.start();
  });
  after(async () => {
    await gerrit.stop();
  });
  // Each test starts from five open changes, no groups, no faults and an empty log.
  beforeEach(() => {
    gerrit.changes = [1, 2, 3, 4, 5].map((n) => restChange(n));
    gerrit.groups = [];
    gerrit.faults = [];
    gerrit.log = [];
    gerrit.auth = undefined;
    gerrit.anonymous = 'allow';
    gerrit.latencyMs = 0;
    gerrit.groupQuery = true;
    gerrit.randomFaults(null);
  });

  describe('paging', () => {
    it('follows _more_changes page by page, newest first, one request per page', async () => {
      const { client } = makeClient(url);
      const pages = await collect(client, 'project:openstack/nova status:open', 2);
      assert.deepEqual(
        pages.map((p) => [p.start, numbers(p.changes), p.more]),
        [
          [0, [5, 4], true],
          [2, [3, 2], true],
          [4, [1], false],
        ],
      );
      assert.deepEqual(client.stats, { requests: 3, retries: 0 });
      assert.equal(gerrit.log.length, 3);
      assert.deepEqual(
        gerrit.log.map((r) => new URL(r.path, url).searchParams.get('S')),
        ['0', '2', '4'],
      );
      const first = new URL(gerrit.log[0]!.path, url).searchParams;
      assert.equal(first.get('q'), 'project:openstack/nova status:open');
      assert.deepEqual(first.getAll('o'), ['MESSAGES', 'DETAILED_ACCOUNTS']);
      assert.equal(first.get('n'), '2');
    });

    it('stops after a full last page without _more_changes (no extra empty request)', async () => {
      gerrit.changes = gerrit.changes.slice(0, 4);
      const { client } = makeClient(url);
      const pages = await collect(client, 'project:openstack/nova', 2);
      assert.deepEqual(
        pages.map((p) => p.more),
        [true, false],
      );
      assert.equal(client.stats.requests, 2);
    });

    it('starts at `start` and absorbs a server that returns fewer than asked (its query limit)', async () => {
      const limited = new FakeGerrit({ changes: gerrit.changes, maxPageSize: 2 });
      const limitedUrl = await limited.start();
      try {
        const { client } = makeClient(limitedUrl);
        const pages = await collect(client, 'project:openstack/nova', 100, 1);
        assert.deepEqual(
          pages.map((p) => [p.start, numbers(p.changes)]),
          [
            [1, [4, 3]],
            [3, [2, 1]],
          ],
        );
        assert.equal(client.stats.requests, 2);
      } finally {
        await limited.stop();
      }
    });

    it('yields one empty page and stops when nothing matches', async () => {
      const { client } = makeClient(url);
      const pages = await collect(client, 'project:openstack/nova status:merged', 10);
      assert.deepEqual(pages, [{ changes: [], start: 0, more: false }]);
    });

    it('passes quoted dates, status and branch terms through intact', async () => {
      gerrit.changes[1]!.status = 'MERGED';
      gerrit.changes[3]!.status = 'MERGED';
      gerrit.changes[4]!.branch = 'stable/2023.1';
      const { client } = makeClient(url);
      const after = formatRestTimestamp(T0 + 2 * HOUR).slice(0, 19);
      const pages = await collect(client, `project:openstack/nova AND status:merged after:"${after}" branch:master`, 10);
      // after: is inclusive (updated ≥), like Gerrit's.
      assert.deepEqual(numbers(pages[0]!.changes), [4, 2]);
      assert.equal(
        new URL(gerrit.log[0]!.path, url).searchParams.get('q'),
        `project:openstack/nova AND status:merged after:"${after}" branch:master`,
      );
    });
  });

  describe('responses', () => {
    it("strips Gerrit's )]}' prefix and parses the JSON", async () => {
      const { client } = makeClient(url);
      const changes = await client.getJson<RestChangeInfo[]>('/changes/', { q: 'change:3', o: ['MESSAGES'] });
      assert.equal(changes[0]?._number, 3);
      assert.equal(changes[0]?.messages?.[0]?.message, 'Patch Set 1: Code-Review+1');
      // Without DETAILED_ACCOUNTS Gerrit sends only account ids.
      assert.deepEqual(changes[0]?.owner, { _account_id: 1001 });
    });

    it('accepts JSON without the prefix, and builds URLs under a path prefix', async () => {
      const seen: string[] = [];
      const fakeFetch: typeof fetch = async (input) => {
        seen.push(String(input));
        return new Response('{"ok":true}', { status: 200, headers: { 'content-type': 'application/json' } });
      };
      const { client } = makeClient('https://review.example.org/gerrit/', {
        fetch: fakeFetch,
        auth: { username: 'sync', password: PASSWORD },
      });
      assert.deepEqual(await client.getJson('/changes/', { q: 'project:openstack/nova status:open', o: ['A', 'B'], n: 5, S: undefined }), {
        ok: true,
      });
      assert.deepEqual(seen, ['https://review.example.org/gerrit/a/changes/?q=project:openstack/nova+status:open&o=A&o=B&n=5']);
    });

    it('404 for an unknown project is SOURCE_NOT_FOUND quoting the server, not retried', async () => {
      const { client } = makeClient(url);
      const e = await expectCode(collect(client, 'project:openstack/nvoa status:open', 10), 'SOURCE_NOT_FOUND');
      assert.match(e.message, /Not found: openstack\/nvoa/);
      assert.equal(e.details.where, `${url}/changes/?q=project:openstack/nvoa+status:open&o=MESSAGES&o=DETAILED_ACCOUNTS&n=10&S=0`);
      assert.equal(client.stats.requests, 1);
    });

    it('an HTML page with status 200 is SOURCE_BAD_RESPONSE quoting it and its content type, not retried', async () => {
      gerrit.faults.push({ html: true });
      const { client } = makeClient(url);
      const e = await expectCode(client.getJson('/changes/', { q: 'status:open' }), 'SOURCE_BAD_RESPONSE');
      assert.match(e.message, /text\/html/);
      assert.match(e.message, /<!DOCTYPE html>/);
      assert.ok(e.message.length < 400, 'quotes only the start of the page');
      assert.equal(client.stats.requests, 1);
    });

    it('400 (a query the server rejects) is SOURCE_BAD_RESPONSE with the server text, not retried', async () => {
      const { client } = makeClient(url);
      const e = await expectCode(client.getJson('/changes/', { q: 'reviewer:bob' }), 'SOURCE_BAD_RESPONSE');
      assert.match(e.message, /HTTP 400.*Unsupported operator reviewer:bob/);
      assert.equal(client.stats.requests, 1);
    });

    it('a JSON answer of the wrong shape is SOURCE_BAD_RESPONSE', async () => {
      const fakeFetch: typeof fetch = async () =>
        new Response(')]}\'\n{"not":"a list"}', { status: 200, headers: { 'content-type': 'application/json' } });
      const { client } = makeClient('https://review.example.org', { fetch: fakeFetch });
      const e = await expectCode(collect(client, 'status:open', 10), 'SOURCE_BAD_RESPONSE');
      assert.match(e.message, /expected a JSON array of changes, received an object with keys not/);
    });
  });

  describe('retries', () => {
    it('429 with Retry-After (seconds) waits what the server asked, then succeeds', async () => {
      gerrit.faults.push({ status: 429, retryAfter: 7 });
      const { client, sleeps, retries } = makeClient(url);
      const pages = await collect(client, 'project:openstack/nova', 10);
      assert.equal(pages[0]!.changes.length, 5);
      assert.deepEqual(sleeps, [7000]);
      assert.deepEqual(client.stats, { requests: 2, retries: 1 });
      assert.equal(retries.length, 1);
      assert.equal(retries[0]!.attempt, 1);
      assert.equal(retries[0]!.delayMs, 7000);
      assert.match(retries[0]!.reason, /HTTP 429/);
      assert.ok(retries[0]!.url.startsWith(`${url}/changes/?q=`));
    });

    it('Retry-After as an HTTP date is honoured, and capped', async () => {
      gerrit.faults.push({ status: 503, retryAfter: new Date(Date.now() + 20_000).toUTCString() }, { status: 429, retryAfter: 3600 });
      const { client, sleeps } = makeClient(url, { retryAfterCapMs: 60_000 });
      await client.getJson('/changes/', { q: 'status:open' });
      assert.equal(sleeps.length, 2);
      assert.ok(sleeps[0]! > 15_000 && sleeps[0]! <= 20_000, `date-based delay ${sleeps[0]}`);
      assert.equal(sleeps[1], 60_000);
    });

    it('500 and 503 are retried with exponential backoff and full jitter, then succeed', async () => {
      gerrit.faults.push({ status: 500 }, { status: 503 }, { status: 502 }, { status: 504 });
      const { client, sleeps } = makeClient(url);
      await client.getJson('/changes/', { q: 'status:open' });
      // random() = 0.5: half of 500, 1000, 2000, 4000 ms.
      assert.deepEqual(sleeps, [250, 500, 1000, 2000]);
      assert.deepEqual(client.stats, { requests: 5, retries: 4 });
      assert.equal(gerrit.log.length, 5);
    });

    it('the backoff is capped at 30 s', async () => {
      for (let i = 0; i < 8; i++) gerrit.faults.push({ status: 500 });
      const { client, sleeps } = makeClient(url, { random: () => 0.999, maxRetriesPerRequest: 8 });
      await client.getJson('/changes/', { q: 'status:open' });
      assert.equal(sleeps.at(-1), Math.floor(0.999 * 30_000));
      assert.equal(sleeps[0], Math.floor(0.999 * 500));
    });

    it('a request slower than the timeout is aborted and retried', async () => {
      gerrit.faults.push({ delayMs: 2000 });
      const { client, retries } = makeClient(url, { timeoutMs: 200 });
      const started = Date.now();
      const pages = await collect(client, 'project:openstack/nova', 10);
      assert.equal(pages[0]!.changes.length, 5);
      assert.ok(Date.now() - started < 1500, 'did not wait for the slow answer');
      assert.deepEqual(client.stats, { requests: 2, retries: 1 });
      assert.match(retries[0]!.reason, /timed out after 200 ms/);
    });

    it('the timeout covers a body that stalls after the headers', async () => {
      const encoder = new TextEncoder();
      let calls = 0;
      const fakeFetch: typeof fetch = async () => {
        calls++;
        if (calls === 1) {
          // Headers arrive, the body never finishes (and the stream ignores the abort signal).
          const stalled = new ReadableStream<Uint8Array>({ start: (c) => c.enqueue(encoder.encode(")]}'\n[")) });
          return new Response(stalled, { status: 200, headers: { 'content-type': 'application/json' } });
        }
        return new Response(")]}'\n[]", { status: 200, headers: { 'content-type': 'application/json' } });
      };
      const { client, retries } = makeClient('https://review.example.org', { fetch: fakeFetch, timeoutMs: 100 });
      assert.deepEqual(await client.getJson('/changes/'), []);
      assert.match(retries[0]!.reason, /timed out after 100 ms reading the response/);
    });

    it('a connection dropped mid-body is retried', async () => {
      gerrit.faults.push({ dropMidBody: true });
      const { client, retries } = makeClient(url);
      const pages = await collect(client, 'project:openstack/nova', 10);
      assert.equal(pages[0]!.changes.length, 5);
      assert.deepEqual(client.stats, { requests: 2, retries: 1 });
      assert.match(retries[0]!.reason, /connection dropped while reading the response/);
    });

    it('truncated JSON after a 200 is retried', async () => {
      gerrit.faults.push({ truncate: true });
      const { client, retries } = makeClient(url);
      const pages = await collect(client, 'project:openstack/nova', 10);
      assert.equal(pages[0]!.changes.length, 5);
      assert.deepEqual(client.stats, { requests: 2, retries: 1 });
      assert.match(retries[0]!.reason, /truncated or invalid JSON/);
    });

    it('JSON that keeps arriving truncated becomes SOURCE_BAD_RESPONSE naming the URL', async () => {
      for (let i = 0; i < 3; i++) gerrit.faults.push({ truncate: true });
      const { client } = makeClient(url, { maxRetriesPerRequest: 2 });
      const e = await expectCode(client.getJson('/changes/', { q: 'status:open' }), 'SOURCE_BAD_RESPONSE');
      assert.equal(e.details.where, `${url}/changes/?q=status:open`);
      assert.match(e.message, /does not parse after 3 attempts/);
    });

    it('running out of retries is SOURCE_RETRIES_EXHAUSTED with the URL, the last failure and the counts', async () => {
      gerrit.faults.push({ status: 500 }, { status: 502 }, { status: 503 }, { status: 503 });
      const { client, sleeps } = makeClient(url, { maxRetriesPerRequest: 2 });
      const e = await expectCode(client.getJson('/changes/', { q: 'status:open' }), 'SOURCE_RETRIES_EXHAUSTED');
      assert.equal(e.details.where, `${url}/changes/?q=status:open`);
      assert.match(e.message, /after 3 attempts \(2 retries; 2 in this run\): last failure HTTP 503/);
      assert.match(e.details.hint ?? '', /resumes/);
      assert.deepEqual(client.stats, { requests: 3, retries: 2 });
      assert.equal(sleeps.length, 2);
      assert.equal(gerrit.faults.length, 1, 'no request after giving up');
    });

    it('the client-wide retry budget ends later requests at their first failure', async () => {
      gerrit.faults.push({ status: 503 }, { status: 503 });
      const { client } = makeClient(url, { maxTotalRetries: 2 });
      await client.getJson('/changes/', { q: 'status:open' }); // two retries, then success
      gerrit.faults.push({ status: 503 });
      const e = await expectCode(client.getJson('/changes/', { q: 'status:open' }), 'SOURCE_RETRIES_EXHAUSTED');
      assert.match(e.message, /retry budget \(2 retries in total\) is spent/);
      assert.deepEqual(client.stats, { requests: 4, retries: 2 });
    });

    it('timeouts on every attempt end as SOURCE_UNREACHABLE with the counts', async () => {
      gerrit.faults.push({ delayMs: 1000 }, { delayMs: 1000 });
      const { client } = makeClient(url, { timeoutMs: 100, maxRetriesPerRequest: 1 });
      const e = await expectCode(client.getJson('/changes/', { q: 'status:open' }), 'SOURCE_UNREACHABLE');
      assert.match(e.message, /after 2 attempts \(1 retry; 1 in this run\): timed out after 100 ms/);
    });

    it('survives a soak of seeded random faults and returns every change exactly once', async () => {
      gerrit.changes = Array.from({ length: 40 }, (_, i) => restChange(i + 1));
      gerrit.randomFaults({ seed: 42, probability: 0.35 });
      const { client } = makeClient(url, { maxTotalRetries: 1000, maxRetriesPerRequest: 20 });
      const pages = await collect(client, 'project:openstack/nova', 3);
      const all = pages.flatMap((p) => numbers(p.changes));
      assert.deepEqual(
        all,
        Array.from({ length: 40 }, (_, i) => 40 - i),
      );
      assert.equal(pages.length, 14);
      assert.ok(client.stats.retries > 0, 'faults happened');
      assert.equal(client.stats.requests, pages.length + client.stats.retries);
      assert.equal(gerrit.log.length, client.stats.requests);
    });
  });

  describe('authentication', () => {
    it('sends credentials only to /a/ and only once per request', async () => {
      gerrit.auth = { username: 'sync', password: PASSWORD };
      const { client } = makeClient(url, { auth: { username: 'sync', password: PASSWORD } });
      const pages = await collect(client, 'project:openstack/nova', 2);
      assert.equal(pages.length, 3);
      assert.ok(gerrit.log.every((r) => r.path.startsWith('/a/changes/') && r.auth && r.user === 'sync'));
    });

    it('anonymous clients send no Authorization header', async () => {
      const { client } = makeClient(url);
      await client.getJson('/changes/');
      assert.deepEqual(
        gerrit.log.map((r) => [r.path.slice(0, 9), r.auth]),
        [['/changes/', false]],
      );
    });

    it('401 for wrong credentials is SOURCE_AUTH naming the user, not retried', async () => {
      gerrit.auth = { username: 'sync', password: 'the-right-one' };
      const { client } = makeClient(url, { auth: { username: 'sync', password: PASSWORD } });
      const e = await expectCode(client.getJson('/changes/'), 'SOURCE_AUTH');
      assert.match(e.message, /refused the credentials for user "sync" \(HTTP 401/);
      assert.match(e.details.hint ?? '', /HTTP password/);
      assert.equal(e.details.where, `${url}/a/changes/`);
      assert.equal(client.stats.requests, 1);
    });

    it('403 without credentials says authentication is required, with the caller-supplied hint', async () => {
      gerrit.anonymous = 'forbid';
      const { client } = makeClient(url, { authHint: 'Set STEWARD_GERRIT_PASSWORD.' });
      const e = await expectCode(client.getJson('/changes/'), 'SOURCE_AUTH');
      assert.match(e.message, /requires authentication \(HTTP 403/);
      assert.equal(e.details.hint, 'Set STEWARD_GERRIT_PASSWORD.');
    });

    it('never puts the password in errors, causes, where, hints, retry reports or the client itself', async () => {
      const texts: string[] = [];
      const record = (e: StewardError) => texts.push(e.message, e.describe(), inspect(e, { depth: 10 }), JSON.stringify(e.details));
      gerrit.auth = { username: 'sync', password: PASSWORD };
      const auth = { username: 'sync', password: PASSWORD };
      const { client, retries } = makeClient(url, { auth, maxRetriesPerRequest: 1, timeoutMs: 150 });
      texts.push(inspect(client, { depth: 10, showHidden: true }), JSON.stringify(client));

      gerrit.faults.push({ status: 503, body: `echo ${PASSWORD}` }, { status: 503 });
      record(await expectCode(client.getJson('/changes/'), 'SOURCE_RETRIES_EXHAUSTED'));
      gerrit.faults.push({ delayMs: 1000 }, { dropMidBody: true });
      record(await expectCode(client.getJson('/changes/'), 'SOURCE_UNREACHABLE'));
      gerrit.faults.push({ status: 404, body: `Not found: ${PASSWORD}` });
      record(await expectCode(client.getJson('/changes/'), 'SOURCE_NOT_FOUND'));
      gerrit.faults.push({ html: true });
      record(await expectCode(client.getJson('/changes/'), 'SOURCE_BAD_RESPONSE'));
      gerrit.auth = { username: 'sync', password: 'other' };
      record(await expectCode(client.getJson('/changes/'), 'SOURCE_AUTH'));
      const refused = makeClient(`http://127.0.0.1:${await closedPort()}`, { auth });
      record(await expectCode(refused.client.getJson('/changes/'), 'SOURCE_UNREACHABLE'));
      record(
        await expectCode(
          Promise.resolve().then(() => new GerritClient({ baseUrl: `https://sync:${PASSWORD}@review.example.org` })),
          'CONFIG',
        ),
      );

      texts.push(JSON.stringify(retries), JSON.stringify(refused.retries));
      assert.ok(retries.length >= 2);
      const basic = Buffer.from(`sync:${PASSWORD}`).toString('base64');
      for (const text of texts) {
        assert.ok(!text.includes(PASSWORD), `password leaked in: ${text.slice(0, 300)}`);
        assert.ok(!text.includes(basic), `Authorization leaked in: ${text.slice(0, 300)}`);
      }
      assert.ok(
        texts.some((t) => t.includes('Not found: ***')),
        'a server echoing the password is redacted',
      );
    });
  });

  describe('connection failures', () => {
    it('connection refused on a host never reached is SOURCE_UNREACHABLE at once', async () => {
      const port = await closedPort();
      const { client, sleeps } = makeClient(`http://127.0.0.1:${port}`);
      const e = await expectCode(client.getJson('/changes/'), 'SOURCE_UNREACHABLE');
      assert.match(e.message, new RegExp(`cannot reach http://127\\.0\\.0\\.1:${port}: connection refused \\(ECONNREFUSED\\)`));
      assert.match(e.details.hint ?? '', /Check the host URL/);
      assert.equal(e.details.where, `http://127.0.0.1:${port}/changes/`);
      assert.deepEqual(sleeps, []);
    });

    it('connection refused after a success (a restart) is retried before giving up', async () => {
      const once = new FakeGerrit({ changes: [restChange(1)] });
      const onceUrl = await once.start();
      const { client, sleeps } = makeClient(onceUrl, { maxRetriesPerRequest: 2 });
      await client.getJson('/changes/');
      await once.stop();
      const e = await expectCode(client.getJson('/changes/'), 'SOURCE_UNREACHABLE');
      assert.match(e.message, /after 3 attempts .*connection refused/);
      assert.equal(sleeps.length, 2);
    });

    it('a TLS failure (real error shape) is SOURCE_TLS, not retried', async () => {
      const tlsError = Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
      let calls = 0;
      const fakeFetch: typeof fetch = async () => {
        calls++;
        throw new TypeError('fetch failed', { cause: tlsError });
      };
      const { client } = makeClient('https://review.example.org', { fetch: fakeFetch });
      const e = await expectCode(client.getJson('/changes/'), 'SOURCE_TLS');
      assert.match(e.message, /TLS with https:\/\/review\.example\.org failed: self-signed certificate \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
      assert.equal(calls, 1);
    });

    it('a real self-signed HTTPS server on loopback is SOURCE_TLS', { skip: OPENSSL_SKIP_REASON }, async () => {
      const server = createHttpsServer(selfSignedCert(), (_req, res) => res.end('[]'));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
      try {
        const { port } = server.address() as AddressInfo;
        const { client } = makeClient(`https://127.0.0.1:${port}`);
        const e = await expectCode(client.getJson('/changes/'), 'SOURCE_TLS');
        assert.match(e.message, /\((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_TLS_CERT_ALTNAME_INVALID)\)/);
        assert.equal(client.stats.requests, 1);
      } finally {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });
  });

  describe('concurrency', () => {
    for (const limit of [1, 2, 3]) {
      it(`never has more than ${limit} request(s) in flight`, async () => {
        const fresh = new FakeGerrit({ changes: gerrit.changes, latencyMs: 30 });
        const freshUrl = await fresh.start();
        try {
          const { client } = makeClient(freshUrl, { concurrency: limit });
          fresh.faults.push({ status: 503 }, { status: 500 });
          const results = await Promise.all(
            Array.from({ length: 8 }, (_, i) => client.getJson<unknown[]>('/changes/', { q: `change:${(i % 5) + 1}` })),
          );
          assert.equal(results.length, 8);
          assert.equal(fresh.maxInFlight, limit);
          assert.equal(client.stats.requests, 10);
        } finally {
          await fresh.stop();
        }
      });
    }
  });

  describe('groups', () => {
    const core: FakeGroup = { id: 'ldap:cn=nova-core', name: 'nova-core', group_id: 42, members: [bob], includes: ['b7c1'] };
    const specs: FakeGroup = { id: 'b7c1', name: 'nova-specs-core', members: [carol, bob] };

    it('finds a group by name via /groups/?query= and returns its decoded UUID', async () => {
      gerrit.groups = [core, specs];
      const { client } = makeClient(url);
      assert.deepEqual(await client.findGroup('nova-core'), { id: 'ldap:cn=nova-core', name: 'nova-core', group_id: 42 });
      assert.deepEqual(
        gerrit.log.map((r) => r.path),
        ['/groups/?query=name:nova-core'],
      );
    });

    it('falls back to /groups/NAME when the server has no group query, and returns null for unknown groups', async () => {
      gerrit.groups = [core, specs];
      gerrit.groupQuery = false;
      const { client } = makeClient(url);
      assert.deepEqual(await client.findGroup('nova-specs-core'), { id: 'b7c1', name: 'nova-specs-core' });
      assert.equal(await client.findGroup('nobody'), null);
      assert.deepEqual(
        gerrit.log.map((r) => [r.path, r.status]),
        [
          ['/groups/?query=name:nova-specs-core', 400],
          ['/groups/nova-specs-core', 200],
          ['/groups/?query=name:nobody', 400],
          ['/groups/nobody', 404],
        ],
      );
    });

    it('finds a group by UUID through the fallback', async () => {
      gerrit.groups = [core, specs];
      const { client } = makeClient(url);
      assert.deepEqual(await client.findGroup('ldap:cn=nova-core'), { id: 'ldap:cn=nova-core', name: 'nova-core', group_id: 42 });
      assert.equal(gerrit.log[1]?.path, '/groups/ldap%3Acn%3Dnova-core');
    });

    it('lists members recursively by default, and only direct members on request', async () => {
      gerrit.groups = [core, specs];
      const { client } = makeClient(url);
      const group = await client.findGroup('nova-core');
      assert.ok(group);
      const all = await client.groupMembers(group.id);
      assert.deepEqual(
        all.map((m) => m.username),
        ['bob', 'carol'],
      );
      const direct = await client.groupMembers(group.id, false);
      assert.deepEqual(
        direct.map((m) => m.username),
        ['bob'],
      );
      assert.deepEqual(
        gerrit.log.slice(1).map((r) => r.path),
        ['/groups/ldap%3Acn%3Dnova-core/members/?recursive', '/groups/ldap%3Acn%3Dnova-core/members/'],
      );
      // An id exactly as Gerrit sends it (already encoded) is not encoded twice.
      assert.equal((await client.groupMembers('ldap%3Acn%3Dnova-core')).length, 2);
    });

    it('members of an unknown group is SOURCE_NOT_FOUND', async () => {
      const { client } = makeClient(url);
      const e = await expectCode(client.groupMembers('nova-cor'), 'SOURCE_NOT_FOUND');
      assert.match(e.message, /Not found: nova-cor/);
    });
  });
});

describe('GerritClient configuration', () => {
  it('rejects a base URL with credentials or a non-HTTP scheme as CONFIG', () => {
    assert.throws(
      () => new GerritClient({ baseUrl: 'https://u:p@review.example.org' }),
      (e: unknown) => e instanceof StewardError && e.code === 'CONFIG' && !e.describe().includes(':p@'),
    );
    assert.throws(
      () => new GerritClient({ baseUrl: 'ftp://review.example.org' }),
      (e: unknown) => e instanceof StewardError && e.code === 'CONFIG',
    );
    assert.throws(
      () => new GerritClient({ baseUrl: 'review.example.org' }),
      (e: unknown) => e instanceof StewardError && e.code === 'CONFIG',
    );
  });
});
