/**
 * `npm run bench`, web part: a load run of `steward serve` on loopback (issue 8). The server runs in
 * its own process over the 100,000-change bench store that run.ts imports, exactly as `steward serve`
 * builds it (buildApp with the view cache and the store's data version; no --auth: reading is open on
 * loopback). autocannon (in this process) keeps 50 connections busy for 30 seconds, each connection
 * asking in turn for the overview and the 90-day reviewers report as of the bench export's end:
 *   /api/v1/overview?now=2026-01-01   /api/v1/reviewers?now=2026-01-01
 * Two runs: without Accept-Encoding (the JSON as is), and with the Accept-Encoding Chromium sends
 * (gzip: what a browser or `curl --compressed` gets). Reported: requests per second, latency
 * p50/p95/p99 over every response (taken from each response, not autocannon's histogram, which has
 * no p95), non-2xx responses and errors; and, before the runs, each report's first (uncached)
 * computation. Target: p95 under 150 ms, no errors.
 *
 * The first request of each report computes it (seconds on this store); every later one is served
 * from the cache until the store's data changes. The run starts after one warm-up request per report,
 * and the cold time is reported beside it.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { demoConfigYaml } from '../demo/demo-config-yaml.js';
import { parseConfig } from '../config/load-config.js';
import type { DemoOptions } from '../demo/demo-project.js';
import { openDataVersion } from '../store/data-version.js';
import { openStore } from '../store/open-store.js';
import { buildApp } from '../web/build-app.js';
import { ViewCache } from '../web/view-cache.js';
import { benchLocations } from './bench-store.js';

const PATHS = ['/api/v1/overview?now=2026-01-01', '/api/v1/reviewers?now=2026-01-01'];

export interface WebBenchRun {
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

/** The server process: listens on a free loopback port and prints its URL. */
async function serverChild(location: string, demo: DemoOptions): Promise<void> {
  const store = await openStore(location);
  const version = await openDataVersion(location);
  const config = { config: parseConfig(demoConfigYaml(demo), 'the demo configuration'), path: null, origin: 'the demo configuration' };
  const app = await buildApp({
    store,
    config: async () => config,
    cache: new ViewCache({ version: version.current, clock: () => Date.now() }),
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

/** Starts the server on `location`, warms each report once, then runs autocannon. */
export async function measureWeb(
  location: string,
  demo: DemoOptions,
  o: { connections?: number; seconds?: number } = {},
): Promise<WebBenchResult> {
  const connections = o.connections ?? 50;
  const seconds = o.seconds ?? 30;
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'serve', location, JSON.stringify(demo)], {
    stdio: ['pipe', 'pipe', 'inherit', 'ipc'],
  });
  const serverCpuMs = async (): Promise<number> => {
    child.send('cpu');
    const [u] = (await once(child, 'message')) as [NodeJS.CpuUsage];
    return (u.user + u.system) / 1000;
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (c: Buffer) => {
        out += String(c);
        if (out.includes('\n')) resolve(out.trim());
      });
      child.once('exit', (code) => reject(new Error(`the server exited (${code}) before listening`)));
    });
    const coldMs: Record<string, number> = {};
    for (const p of PATHS) {
      const t0 = performance.now();
      const r = await fetch(url + p);
      if (!r.ok) throw new Error(`${p}: HTTP ${r.status}: ${(await r.text()).slice(0, 300)}`);
      await r.arrayBuffer();
      coldMs[p.split('?')[0]!] = Math.round(performance.now() - t0);
    }
    const runs: WebBenchRun[] = [];
    for (const encoding of ['identity', 'gzip'] as const) {
      const latencies: number[] = [];
      const cpu0 = await serverCpuMs();
      const headers: Record<string, string> = encoding === 'gzip' ? { 'accept-encoding': 'gzip, deflate, br, zstd' } : {};
      const r = await new Promise<autocannon.Result>((resolve, reject) => {
        const instance = autocannon(
          { url, connections, duration: seconds, headers, requests: PATHS.map((path) => ({ method: 'GET', path })), timeout: 10 },
          (e, result) => (e ? reject(e) : resolve(result)),
        );
        instance.on('response', (_client, _status, _bytes, responseTime) => void latencies.push(responseTime));
      });
      const cpu = (await serverCpuMs()) - cpu0;
      latencies.sort((a, b) => a - b);
      runs.push({
        serverCpuMsPerRequest: Math.round((cpu / Math.max(1, r.requests.total)) * 1000) / 1000,
        encoding,
        connections,
        seconds,
        requests: r.requests.total,
        requestsPerSecond: Math.round(r.requests.total / seconds),
        p50: pct(latencies, 50),
        p95: pct(latencies, 95),
        p99: pct(latencies, 99),
        max: latencies.at(-1) ?? NaN,
        non2xx: r.non2xx,
        errors: r.errors,
        timeouts: r.timeouts,
      });
    }
    return { engine: location.startsWith('postgres') ? 'postgres' : 'sqlite', coldMs, runs };
  } finally {
    if (child.connected) child.disconnect();
    child.stdin!.end();
    await once(child, 'exit').catch(() => undefined);
  }
}

/** Runs the load benchmark on the SQLite bench store and, with `pgAdminUrl`, the PostgreSQL one (database `pgDb`). */
export async function runWebBench(
  sqlitePath: string,
  pgAdminUrl: string | undefined,
  demo: DemoOptions,
  pgDb = 'steward_bench',
): Promise<void> {
  const locations = benchLocations(sqlitePath, pgAdminUrl, pgDb);
  for (const location of locations) {
    const name = location.startsWith('postgres') ? 'PostgreSQL' : 'SQLite';
    try {
      const x = await measureWeb(location, demo);
      const ms = (v: number) => `${v.toFixed(1)} ms`;
      console.log(
        `${`serve: first computation (${name})`.padEnd(28)} ${Object.entries(x.coldMs)
          .map(([k, v]) => `${k} ${v} ms`)
          .join(', ')}`,
      );
      for (const r of x.runs) {
        console.log(
          `${`serve: load (${name}, ${r.encoding})`.padEnd(28)} ${r.connections} connections × ${r.seconds} s on overview + reviewers: ${r.requestsPerSecond} requests/s (${r.requests}), p50 ${ms(r.p50)}, p95 ${ms(r.p95)}, p99 ${ms(r.p99)}, max ${ms(r.max)}, ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx; server CPU ${r.serverCpuMsPerRequest} ms/request   (target p95 < 150 ms, 0 errors)`,
        );
      }
    } catch (e) {
      console.log(`serve: load (${name}) failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === 'serve') await serverChild(process.argv[3]!, JSON.parse(process.argv[4]!) as DemoOptions);
  else if (process.argv[2]) {
    // Direct run: node dist/bench/web-bench.js LOCATION [SECONDS]
    const demo = { seed: 7, changes: Number(process.env.BENCH_CHANGES ?? 100_000), months: 24, now: Date.UTC(2026, 0, 1) };
    const x = await measureWeb(process.argv[2], demo, { seconds: Number(process.argv[3] ?? 30) });
    process.stdout.write(JSON.stringify(x) + '\n');
  }
}
