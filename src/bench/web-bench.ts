/**
 * `npm run bench`, web part: a load run of `steward serve` on loopback (issues 8 and 16). Each server
 * runs in its own process over the 100,000-change bench store that run.ts imports, exactly as
 * `steward serve` builds it (buildApp with the view cache and the store's data version). autocannon
 * (in this process) keeps 50 connections busy for 30 seconds.
 *
 * Two servers side by side over the same store, measured in turn in the same minutes:
 * - open (no --auth: reading is open on loopback): every connection asks in turn for the overview
 *   and the 90-day reviewers report as of the bench export's end
 *     /api/v1/overview?now=2026-01-01   /api/v1/reviewers?now=2026-01-01
 * - signed in (--auth, with a security key), twice: the same two reports alone (`signed-in`: the
 *   figure to set beside the open one), then the reports and the tracker (`auth`). The
 *   connections are split between four readers
 *   (web-auth.ts: a viewer, a lead, a security team member, a grantee of one item), each signed in
 *   through the login form and sending its own session cookie; each asks in turn for the same two
 *   reports and for the tracker: its item list, one embargoed item (the member and the grantee
 *   read it; for the viewer and the lead it is a missing item, 404), and the /security page. So
 *   the session lookup, `authorize`, the item reads and their audit lines are on the measured path.
 *   Every answer's status is checked against what its reader must get.
 *
 * The signed-in server writes (accounts, sessions, the audit log): it runs over a scratch copy the
 * bench makes of the bench store before the run and removes after it (the open server reads the
 * bench store itself) — the
 * SQLite file copied to BENCH_WEB_SQLITE_COPY (default .bench/bench-web.db), the PostgreSQL
 * database copied with `CREATE DATABASE … TEMPLATE` to BENCH_WEB_PG_COPY (default the bench
 * database's name + `_web`). The bench store itself is only read. BENCH_WEB_AUTH=0 runs the open
 * server alone, on the bench store itself, as before issue 16.
 *
 * Two runs each: without Accept-Encoding (the JSON as is), and with the Accept-Encoding Chromium
 * sends (gzip: what a browser or `curl --compressed` gets). Reported: requests per second, latency
 * p50/p95/p99 over every response (taken from each response, not autocannon's histogram, which has
 * no p95) and, for the signed-in run, the p95 of the report requests and of the tracker requests
 * apart; non-2xx responses (signed in: answers whose status is not the one expected), errors; the
 * server's CPU time per request; and, before the runs, each report's first (uncached) computation.
 * Target: p95 under 150 ms, no errors.
 *
 * The first request of each report computes it (seconds on this store); every later one is served
 * from the cache until the store's data changes. The run starts after one warm-up request per report,
 * and the cold time is reported beside it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { get } from 'node:http';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { demoConfigYaml } from '../demo/demo-config-yaml.js';
import { parseConfig } from '../config/load-config.js';
import type { DemoOptions } from '../demo/demo-project.js';
import { openWebWrites } from '../store/web-writes.js';
import { copyPostgresDatabase, copySqliteStore, dropPostgresDatabase } from '../store/maintenance.js';
import { openStore } from '../store/open-store.js';
import { secretBox } from '../store/secret-box.js';
import { accessHooks } from '../web/auth/access-hooks.js';
import { buildApp } from '../web/build-app.js';
import { ViewCache } from '../web/view-cache.js';
import { pgLocation } from './bench-store.js';
import {
  BENCH_READERS,
  REPORT_PATHS,
  plantBenchAccounts,
  readerName,
  readerRequests,
  signInReader,
  type BenchRequest,
} from './web-auth.js';

const PATHS = REPORT_PATHS;
/** The environment variable the signed-in server reads its security key from (hex), as `steward serve` does. */
const KEY_ENV = 'STEWARD_SECURITY_KEY';

export interface WebBenchRun {
  /**
   * open: no --auth; signed-in: --auth, four signed-in readers asking for the same reports as
   * open; auth: the same readers asking for the reports and the tracker's routes.
   */
  mode: 'open' | 'signed-in' | 'auth';
  /** identity: no Accept-Encoding; gzip: Accept-Encoding as Chromium sends it. */
  encoding: 'identity' | 'gzip';
  connections: number;
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** auth: the p95 of the report requests alone and of the tracker's requests alone. */
  p95Reports?: number;
  p95Security?: number;
  /** open: responses not 2xx; auth: responses whose status is not the one their reader must get. */
  non2xx: number;
  errors: number;
  timeouts: number;
  /** CPU time the server process spent per request (user + system), whatever else the machine did. */
  serverCpuMsPerRequest: number;
}

export interface WebBenchResult {
  engine: string;
  coldMs: Record<string, number>;
  runs: WebBenchRun[];
}

const demoConfig = (demo: DemoOptions) => parseConfig(demoConfigYaml(demo), 'the demo configuration');

/** The server process: listens on a free loopback port and prints its URL. `auth`: --auth, the key from KEY_ENV. */
async function serverChild(location: string, demo: DemoOptions, auth: boolean): Promise<void> {
  const store = await openStore(location);
  // As `steward serve`: sessions and audit lines through the connection the data version is read from.
  const version = await openWebWrites(location, store);
  const config = { config: demoConfig(demo), path: null, origin: 'the demo configuration' };
  const clock = () => Date.now();
  const keyHex = process.env[KEY_ENV];
  const app = await buildApp({
    store,
    config: async () => config,
    clock,
    cache: new ViewCache({ version: version.current, clock }),
    auth: auth
      ? accessHooks({
          enabled: true,
          store,
          writes: version,
          clock,
          config: async () => config,
          securityBox: keyHex ? secretBox(Buffer.from(keyHex, 'hex')) : null,
        })
      : undefined,
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`${url}\n`);
  // The parent asks for this process's CPU time around each run (the server's own cost per request).
  process.on('message', () => process.send!(process.cpuUsage()));
  process.stdin.resume();
  await once(process.stdin, 'end');
  await app.close();
  await version.close();
  await store.close();
  if (process.connected) process.disconnect();
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

interface Server {
  url: string;
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

async function startServer(location: string, demo: DemoOptions, auth: boolean, keyHex?: string): Promise<Server> {
  const child: ChildProcess = spawn(
    process.execPath,
    [fileURLToPath(import.meta.url), 'serve', location, JSON.stringify(demo), auth ? 'auth' : 'open'],
    { stdio: ['pipe', 'pipe', 'inherit', 'ipc'], env: keyHex ? { ...process.env, [KEY_ENV]: keyHex } : process.env },
  );
  const stop = async () => {
    if (child.connected) child.disconnect();
    child.stdin!.end();
    if (child.exitCode === null) await once(child, 'exit').catch(() => undefined);
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (c: Buffer) => {
        out += String(c);
        if (out.includes('\n')) resolve(out.trim());
      });
      child.once('exit', (code) => reject(new Error(`the ${auth ? 'signed-in' : 'open'} server exited (${code}) before listening`)));
    });
    return {
      url,
      async cpuMs() {
        child.send('cpu');
        const [u] = (await once(child, 'message')) as [NodeJS.CpuUsage];
        return (u.user + u.system) / 1000;
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** One reader's share of the load: its cookie (none when open), its turn of requests, its connections. */
interface Load {
  cookie: string | null;
  requests: BenchRequest[];
  connections: number;
}

/** `loads` at once against `server` for `seconds`: every response's latency, by kind, and whether its status was the expected one. */
async function runLoads(server: Server, loads: Load[], seconds: number, encoding: 'identity' | 'gzip', mode: WebBenchRun['mode']) {
  const latencies: number[] = [];
  const byKind = { report: [] as number[], security: [] as number[] };
  let unexpected = 0;
  const cpu0 = await server.cpuMs();
  const results = await Promise.all(
    loads.map(
      (load) =>
        new Promise<autocannon.Result>((resolve, reject) => {
          // autocannon calls a request's onResponse just before it emits 'response' for it (one request
          // in flight per connection): the answered request is known when its latency arrives.
          let last: BenchRequest | null = null;
          const headers: Record<string, string> = {};
          if (encoding === 'gzip') headers['accept-encoding'] = 'gzip, deflate, br, zstd';
          if (load.cookie) headers['cookie'] = load.cookie;
          const instance = autocannon(
            {
              url: server.url,
              connections: load.connections,
              duration: seconds,
              headers,
              timeout: 10,
              requests: load.requests.map((r) => ({
                method: 'GET' as const,
                path: r.path,
                headers: r.accept ? { accept: r.accept } : {},
                onResponse: (status: number) => {
                  last = r;
                  if (status !== r.expect) unexpected++;
                },
              })),
            },
            (e, result) => (e ? reject(e) : resolve(result)),
          );
          instance.on('response', (_client, _status, _bytes, responseTime) => {
            latencies.push(responseTime);
            if (last) byKind[last.kind].push(responseTime);
            last = null;
          });
        }),
    ),
  );
  const cpu = (await server.cpuMs()) - cpu0;
  const total = results.reduce((n, r) => n + r.requests.total, 0);
  latencies.sort((a, b) => a - b);
  for (const l of Object.values(byKind)) l.sort((a, b) => a - b);
  const run: WebBenchRun = {
    mode,
    encoding,
    connections: loads.reduce((n, l) => n + l.connections, 0),
    seconds,
    requests: total,
    requestsPerSecond: Math.round(total / seconds),
    p50: pct(latencies, 50),
    p95: pct(latencies, 95),
    p99: pct(latencies, 99),
    max: latencies.at(-1) ?? NaN,
    non2xx: mode === 'open' ? results.reduce((n, r) => n + r.non2xx, 0) : unexpected,
    errors: results.reduce((n, r) => n + r.errors, 0),
    timeouts: results.reduce((n, r) => n + r.timeouts, 0),
    serverCpuMsPerRequest: Math.round((cpu / Math.max(1, total)) * 1000) / 1000,
  };
  if (mode === 'auth') {
    run.p95Reports = pct(byKind.report, 95);
    run.p95Security = pct(byKind.security, 95);
  }
  return run;
}

/**
 * A GET without a time limit (node:http): a report's first computation on this store can take
 * minutes on a loaded machine, past fetch's five-minute wait for the headers.
 */
function getUnlimited(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

/** Each report once (its first, uncached computation), on `server` with `cookie`. */
async function warm(server: Server, cookie: string | null, coldMs: Record<string, number>, label: string): Promise<void> {
  for (const p of PATHS) {
    const t0 = performance.now();
    const r = await getUnlimited(server.url + p, cookie ? { cookie } : {});
    if (r.status !== 200) throw new Error(`${label} ${p}: HTTP ${r.status}: ${r.body.slice(0, 300)}`);
    coldMs[`${label} ${p.split('?')[0]!}`] = Math.round(performance.now() - t0);
  }
}

/**
 * Each reader's turn once before the load, checked beyond its status: the member's list shows
 * every planted item, the grantee's one, the others' none; for the viewer and the lead the item's
 * answer is byte for byte the answer for an item that does not exist.
 */
async function checkReaders(url: string, loads: Array<Load & { reader: string }>, items: number, itemId: string): Promise<void> {
  for (const l of loads) {
    const get = async (path: string, accept = 'application/json') => {
      const r = await fetch(url + path, { headers: { cookie: l.cookie!, accept }, redirect: 'manual' });
      return { status: r.status, body: await r.text() };
    };
    for (const q of l.requests) {
      const r = await get(q.path, q.accept);
      if (r.status !== q.expect)
        throw new Error(`${l.reader} GET ${q.path}: HTTP ${r.status}, expected ${q.expect}: ${r.body.slice(0, 200)}`);
    }
    const list = JSON.parse((await get('/api/v1/security/items')).body) as { items: unknown[] };
    const want = l.reader === readerName('member') ? items : l.reader === readerName('grantee') ? 1 : 0;
    if (list.items.length !== want) throw new Error(`${l.reader} lists ${list.items.length} security items, expected ${want}`);
    if (want === 0) {
      const missing = 'zzzzzzzzzz';
      const [a, b] = [await get(`/api/v1/security/items/${itemId}`), await get(`/api/v1/security/items/${missing}`)];
      if (a.status !== b.status || a.body.replaceAll(itemId, missing) !== b.body)
        throw new Error(`${l.reader}: the answer for a forbidden item differs from a missing one's`);
    }
  }
}

/**
 * Starts the server(s) on `location`, warms each report once, then runs autocannon: open and, with
 * `auth`, signed in, in turn, for each encoding. `auth` writes the bench accounts into `location`:
 * give it a scratch copy.
 */
export async function measureWeb(
  location: string,
  demo: DemoOptions,
  o: { connections?: number; seconds?: number; auth?: boolean; openLocation?: string } = {},
): Promise<WebBenchResult> {
  const connections = o.connections ?? 50;
  const seconds = o.seconds ?? 30;
  const keyHex = o.auth ? randomBytes(32).toString('hex') : undefined;
  let accounts: Awaited<ReturnType<typeof plantBenchAccounts>> | null = null;
  if (keyHex) {
    const store = await openStore(location);
    try {
      accounts = await plantBenchAccounts(store, secretBox(Buffer.from(keyHex, 'hex')), demoConfig(demo), Date.now());
    } finally {
      await store.close();
    }
  }
  const servers: Server[] = [];
  try {
    // The open server reads the bench store itself when given (the signed-in one writes its accounts,
    // sessions and audit lines into the scratch copy).
    const open = await startServer(o.openLocation ?? location, demo, false);
    servers.push(open);
    const coldMs: Record<string, number> = {};
    await warm(open, null, coldMs, 'open');
    const openLoad: Load[] = [{ cookie: null, requests: readerRequests(null, PATHS, ''), connections }];
    let authLoads: Array<Load & { reader: string }> = [];
    let signedIn: Server | null = null;
    if (accounts) {
      signedIn = await startServer(location, demo, true, keyHex);
      servers.push(signedIn);
      authLoads = await Promise.all(
        BENCH_READERS.map(async (reader, i) => ({
          reader: readerName(reader),
          cookie: await signInReader(signedIn!.url, readerName(reader), accounts!.password),
          requests: readerRequests(reader, PATHS, accounts!.itemId),
          // 50 connections over 4 readers: 13, 13, 12, 12.
          connections: Math.floor(connections / BENCH_READERS.length) + (i < connections % BENCH_READERS.length ? 1 : 0),
        })),
      );
      await warm(signedIn, authLoads[0]!.cookie, coldMs, 'signed in');
      await checkReaders(signedIn.url, authLoads, accounts.items, accounts.itemId);
    }
    const runs: WebBenchRun[] = [];
    for (const encoding of ['identity', 'gzip'] as const) {
      runs.push(await runLoads(open, openLoad, seconds, encoding, 'open'));
      if (!signedIn) continue;
      const reportsOnly = authLoads.map((l) => ({ ...l, requests: l.requests.filter((r) => r.kind === 'report') }));
      runs.push(await runLoads(signedIn, reportsOnly, seconds, encoding, 'signed-in'));
      runs.push(await runLoads(signedIn, authLoads, seconds, encoding, 'auth'));
    }
    return { engine: location.startsWith('postgres') ? 'postgres' : 'sqlite', coldMs, runs };
  } finally {
    for (const s of servers) await s.stop();
  }
}

/**
 * The scratch copy of the bench store the signed-in run writes into, made before and removed after
 * `fn` (see the file's comment); without auth (BENCH_WEB_AUTH=0) the bench store itself, read only.
 */
async function withScratch<T>(
  engine: 'sqlite' | 'postgres',
  store: { sqlitePath: string; pgAdmin: string | undefined; pgDb: string },
  auth: boolean,
  fn: (location: string) => Promise<T>,
): Promise<T> {
  if (engine === 'sqlite') {
    if (!auth) return fn(store.sqlitePath);
    const copy = process.env.BENCH_WEB_SQLITE_COPY ?? join(dirname(store.sqlitePath), 'bench-web.db');
    if (copy === store.sqlitePath) throw new Error('BENCH_WEB_SQLITE_COPY names the bench store itself: give another file');
    try {
      return await fn(await copySqliteStore(store.sqlitePath, copy));
    } finally {
      for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(copy + suffix, { force: true });
    }
  }
  const admin = store.pgAdmin!;
  if (!auth) return fn(pgLocation(admin, store.pgDb));
  const name = process.env.BENCH_WEB_PG_COPY ?? `${store.pgDb}_web`;
  try {
    return await fn(await copyPostgresDatabase(admin, store.pgDb, name));
  } finally {
    await dropPostgresDatabase(admin, name);
  }
}

/** Runs the load benchmark on the SQLite bench store and, with `pgAdminUrl`, the PostgreSQL one (database `pgDb`). */
export async function runWebBench(
  sqlitePath: string,
  pgAdminUrl: string | undefined,
  demo: DemoOptions,
  pgDb = 'steward_bench',
): Promise<void> {
  const auth = process.env.BENCH_WEB_AUTH !== '0';
  const engines: Array<'sqlite' | 'postgres'> = pgAdminUrl ? ['sqlite', 'postgres'] : ['sqlite'];
  for (const engine of engines) {
    const name = engine === 'postgres' ? 'PostgreSQL' : 'SQLite';
    try {
      const original = engine === 'sqlite' ? sqlitePath : pgLocation(pgAdminUrl!, pgDb);
      const x = await withScratch(engine, { sqlitePath, pgAdmin: pgAdminUrl, pgDb }, auth, (location) =>
        measureWeb(location, demo, { auth, openLocation: original }),
      );
      const ms = (v: number) => `${v.toFixed(1)} ms`;
      console.log(
        `${`serve: first computation (${name})`.padEnd(28)} ${Object.entries(x.coldMs)
          .map(([k, v]) => `${k} ${v} ms`)
          .join(', ')}`,
      );
      for (const r of x.runs) {
        const what =
          r.mode === 'open'
            ? 'overview + reviewers, open'
            : r.mode === 'signed-in'
              ? 'overview + reviewers, 4 signed-in readers'
              : `overview + reviewers + tracker, 4 signed-in readers (p95 reports ${ms(r.p95Reports!)}, tracker ${ms(r.p95Security!)})`;
        console.log(
          `${`serve: load (${name}, ${r.mode}, ${r.encoding})`.padEnd(28)} ${r.connections} connections × ${r.seconds} s, ${what}: ${r.requestsPerSecond} requests/s (${r.requests}), p50 ${ms(r.p50)}, p95 ${ms(r.p95)}, p99 ${ms(r.p99)}, max ${ms(r.max)}, ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} ${r.mode === 'open' ? 'non-2xx' : 'unexpected statuses'}; server CPU ${r.serverCpuMsPerRequest} ms/request   (target p95 < 150 ms, 0 errors)`,
        );
      }
    } catch (e) {
      console.log(`serve: load (${name}) failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === 'serve')
    await serverChild(process.argv[3]!, JSON.parse(process.argv[4]!) as DemoOptions, process.argv[5] === 'auth');
  else if (process.argv[2]) {
    // Direct run: node dist/bench/web-bench.js LOCATION [SECONDS] [--auth]: open only, LOCATION only
    // read; with --auth also signed in, writing the bench accounts into LOCATION (give it a copy).
    const demo = { seed: 7, changes: Number(process.env.BENCH_CHANGES ?? 100_000), months: 24, now: Date.UTC(2026, 0, 1) };
    const seconds = Number(process.argv.slice(3).find((a) => /^\d+$/.test(a)) ?? 30);
    const x = await measureWeb(process.argv[2], demo, { seconds, auth: process.argv.includes('--auth') });
    process.stdout.write(JSON.stringify(x) + '\n');
  }
}
