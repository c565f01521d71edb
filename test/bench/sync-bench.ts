/**
 * Sync benchmark (run by `npm run bench` through tsx, since the fake Gerrit server lives with the
 * tests): serves N demo changes from the fake Gerrit on loopback and runs a full sync of them into
 * a fresh SQLite store in a child process (dist/bench/sync-child.js). Prints one JSON line.
 * The child's work is all timed; the server's (serialising the pages) is done before it starts.
 *
 * Alternating pairs (docs/benchmarks.md): SYNC_BENCH_CHILDREN="old=/tree/a/dist/bench/sync-child.js
 * new=dist/bench/sync-child.js" and SYNC_BENCH_ROUNDS=3 run each named child in turn, the order
 * rotated each round, against the one server, one JSON line per run with its name and the load.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CHANGE_OPTIONS } from '../../src/ingest/gerrit-sync.js';
import { toRestChange } from '../../src/demo/demo-export.js';
import { generateDemoChanges } from '../../src/demo/demo-project.js';
import { FakeGerrit } from '../helpers/fake-gerrit.js';

const changes = Number(process.argv[2] ?? 50_000);
const pageSize = 500;
const ownChild = new URL('../../dist/bench/sync-child.js', import.meta.url).pathname;
const children = process.env.SYNC_BENCH_CHILDREN
  ? process.env.SYNC_BENCH_CHILDREN.split(/\s+/)
      .filter(Boolean)
      .map((spec) => {
        const at = spec.indexOf('=');
        return { name: spec.slice(0, at), script: resolve(spec.slice(at + 1)) };
      })
  : [{ name: null, script: ownChild }];
const rounds = Number(process.env.SYNC_BENCH_ROUNDS ?? 1);
const opts = { seed: 9, changes, months: 18, now: Date.UTC(2026, 0, 1) };
const served: ReturnType<typeof toRestChange>[] = [];
for (const c of generateDemoChanges(opts)) served.push(toRestChange(c));
const gerrit = new FakeGerrit({ changes: served, maxPageSize: pageSize });
// A real Gerrit serialises its answers on another machine; the fake one runs on the cores the sync
// is timed on, so it serialises the pages of the full sync's query before the sync starts.
gerrit.precomputePages(`project:${served[0]!.project}`, CHANGE_OPTIONS, pageSize);
const url = await gerrit.start();

/** One sync by the child at `script` into a new store; its JSON line. */
async function runChild(script: string): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'steward-sync-bench-'));
  try {
    // The child runs while this process serves it, so it must not block the event loop: async spawn.
    const out = await new Promise<string>((resolve, reject) => {
      const p = spawn(
        process.execPath,
        [
          ...(process.env.SYNC_CHILD_ARGS ? process.env.SYNC_CHILD_ARGS.split(' ') : []),
          script,
          url,
          join(dir, 'sync.db'),
          served[0]!.project,
          String(pageSize),
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let text = '';
      p.stdout.on('data', (d) => (text += d));
      p.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`sync child exited ${code}`))));
    });
    return JSON.parse(out.trim().split('\n').pop()!) as Record<string, unknown>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

try {
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < children.length; i++) {
      const child = children[(i + round) % children.length]!;
      const load = loadavg()[0]!;
      const result = await runChild(child.script);
      result.pagesNeeded = Math.ceil(changes / pageSize);
      if (child.name !== null) Object.assign(result, { name: child.name, round, load });
      process.stdout.write(JSON.stringify(result) + '\n');
    }
  }
} finally {
  await gerrit.stop();
}
