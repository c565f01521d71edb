import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StewardError } from '../../model/errors.js';
import { JsonHttpClient, type JsonHttpClientOptions } from './json-http-client.js';

/** A client on `baseUrl` answering from `answer`, with recorded (not waited) sleeps and jitter fixed at 0.5. */
function makeClient(answer: (url: string, init: RequestInit) => Response, over: Partial<JsonHttpClientOptions> = {}) {
  const seen: Array<{ url: string; headers: Record<string, string> }> = [];
  const reasons: string[] = [];
  const http = new JsonHttpClient({
    baseUrl: 'https://api.example.org/devel/',
    service: 'Launchpad',
    random: () => 0.5,
    sleep: async () => undefined,
    onRetry: (e) => reasons.push(e.reason),
    fetch: async (input, init) => {
      seen.push({ url: String(input), headers: { ...(init?.headers as Record<string, string>) } });
      return answer(String(input), init ?? {});
    },
    ...over,
  });
  return { http, seen, reasons };
}

const json = (value: unknown, status = 200) =>
  new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });

/** What `promise` rejected with, which must be a StewardError. */
async function rejection(promise: Promise<unknown>): Promise<StewardError> {
  const e = await promise.then(
    () => 'resolved',
    (err: unknown) => err,
  );
  assert.ok(e instanceof StewardError, `expected a StewardError, got ${String(e)}`);
  return e;
}

describe('JsonHttpClient', () => {
  it('follows a link under its root (a next page) and refuses one elsewhere, before sending anything', async () => {
    const { http, seen } = makeClient(() => json({ entries: [], next_collection_link: null }));
    const next = 'https://api.example.org/devel/nova?ws.op=searchTasks&ws.start=75&ws.size=75';
    assert.deepEqual(await http.getJsonAt(next), { entries: [], next_collection_link: null });
    assert.deepEqual(
      seen.map((s) => s.url),
      [next],
    );
    for (const away of [
      'https://evil.example.org/devel/nova',
      'https://api.example.org/develop/nova',
      'https://u:p@api.example.org/devel/nova',
    ]) {
      const e = await rejection(http.getJsonAt(away));
      assert.equal(e.code, 'SOURCE_BAD_RESPONSE');
      assert.match(e.message, /Launchpad sent a link outside https:\/\/api\.example\.org\/devel/);
      assert.ok(!e.message.includes('u:p@'));
    }
    assert.equal(seen.length, 1, 'no request left the root');
  });

  it('asks a header function once per attempt (a fresh signature each time)', async () => {
    let calls = 0;
    let n = 0;
    const { http, seen } = makeClient(() => (++n === 1 ? new Response('busy', { status: 503 }) : json([])), {
      headers: () => ({ Authorization: `OAuth oauth_nonce="${++calls}"` }),
    });
    await http.getJson('/bugs');
    assert.deepEqual(
      seen.map((s) => s.headers.Authorization),
      ['OAuth oauth_nonce="1"', 'OAuth oauth_nonce="2"'],
    );
    assert.equal(seen[0]!.headers.Accept, 'application/json');
  });

  it('blanks its secrets out of errors and retry reports, and names URL and status', async () => {
    const secret = 'tok-3f9a-very-secret';
    const { http, reasons } = makeClient(
      (url) =>
        url.includes('first')
          ? new Response(`echo ${secret}`, { status: 500, statusText: `Oops ${secret}` })
          : new Response(`no access for ${secret}`, { status: 401 }),
      { secrets: [secret, undefined], maxRetriesPerRequest: 1 },
    );
    const e1 = await rejection(http.getJson('/first'));
    assert.equal(e1.code, 'SOURCE_RETRIES_EXHAUSTED');
    const e2 = await rejection(http.getJson('/second'));
    assert.equal(e2.code, 'SOURCE_AUTH');
    assert.match(e2.message, /Launchpad at https:\/\/api\.example\.org refused access \(HTTP 401 Unauthorized\): "no access for \*\*\*"/);
    assert.equal(e2.details.where, 'https://api.example.org/devel/second');
    for (const text of [e1.describe(), e2.describe(), ...reasons]) assert.ok(!text.includes(secret), text);
    assert.match(reasons[0]!, /HTTP 500 Oops \*\*\*/);
  });

  it('strips an XSSI guard line when it has one, and retries a body cut short', async () => {
    let n = 0;
    const { http, reasons } = makeClient(() => new Response(++n === 1 ? ")]}'\n[1, 2" : ")]}'\n[1, 2]", { status: 200 }), {
      xssiPrefix: ")]}'",
    });
    assert.deepEqual(await http.getJson('/x'), [1, 2]);
    assert.match(reasons[0]!, /truncated or invalid JSON/);
  });

  it('answers a status the caller accepts instead of throwing', async () => {
    const { http } = makeClient(() => new Response('Not found', { status: 404 }));
    const answer = await http.request(http.url('/groups/x'), { accept: new Set([404]), decode: http.decodeJson });
    assert.deepEqual(answer, { status: 404, json: undefined, url: 'https://api.example.org/devel/groups/x' });
  });
  it("holds every request in flight back while the server's Retry-After runs, not just the one that got it", async () => {
    // Four requests at once; the first answer is a 429 asking for 2 s. The sleep is real time on a
    // controllable clock: nothing may be sent while it runs.
    let paused = false;
    const sentWhilePaused: string[] = [];
    let first = true;
    const waits: number[] = [];
    let release: () => void = () => undefined;
    const { http, seen } = makeClient(
      (url) => {
        if (paused) sentWhilePaused.push(url);
        if (first) {
          first = false;
          return new Response('slow down', { status: 429, headers: { 'retry-after': '2' } });
        }
        return json({ url });
      },
      {
        concurrency: 4,
        sleep: (ms) => {
          waits.push(ms);
          paused = true;
          return new Promise<void>((resolve) => {
            release = () => {
              paused = false;
              resolve();
            };
          });
        },
      },
    );
    const a = http.getJson('/a');
    // Let the 429 arrive and the pause start before the others are asked for.
    while (!paused) await new Promise((r) => setImmediate(r));
    const others = [http.getJson('/b'), http.getJson('/c'), http.getJson('/d')];
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    assert.equal(seen.length, 1, 'only the first request was sent while the server asked to wait');
    release();
    await Promise.all([a, ...others]);
    assert.deepEqual(sentWhilePaused, []);
    assert.deepEqual(waits, [2000], 'one wait, shared');
    assert.equal(seen.length, 5);
    assert.equal(http.stats.retries, 1);
  });
});
