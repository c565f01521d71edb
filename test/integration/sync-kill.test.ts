/**
 * `steward sync` killed with SIGKILL at many points, then run again: the store ends identical to
 * that of an uninterrupted sync, with no duplicate changes, and the dead process's lock does not
 * block the next run.
 *
 * The sync runs as a real child process (the CLI) against the fake Gerrit, reached through a small
 * proxy on loopback that counts requests and pulls the trigger: when the k-th request arrives
 * (before it is answered), half-way through the k-th response body, or after a seeded random delay
 * from the first request.
 *
 * Start-up through tsx costs about 1 s of CPU per child, which over the ~50 children here would be
 * most of this file's runtime; so the CLI's sources (test/helpers/steward-dev.ts and what it imports) are first
 * bundled (test/helpers/child-bundle.ts) with esbuild (tsx's own transformer) under node_modules/.cache, split at the CLI's dynamic
 * imports as the sources are (one file would load every command's packages — Fastify, pg, … — at
 * start: 0.8 s of CPU; split, `--version` takes 0.25 s), with the pure-JavaScript packages on the
 * sync's path (Kysely, yaml, commander, zod, pg) bundled in, and with node's compile cache shared by the
 * children (NODE_COMPILE_CACHE); the sync's worker (src/ingest/gerrit-sync-worker.ts) and the page
 * parser's (src/sources/gerrit/rest-page-worker.ts) are bundled beside it, where the bundled CLI looks
 * for them. Without esbuild the children run through
 * tsx, only slower. The children killed at a point of the sync start from a copy of a store migrated
 * once (test/helpers/demo-cache.ts), not migrating it again each; the kills during the migrations
 * have a test of their own, and the uninterrupted reference sync migrates a new store.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { toRestChange } from '../../src/demo/demo-export.js';
import { demoPeople, generateDemoChanges } from '../../src/demo/demo-project.js';
import type { RestAccountInfo, RestChangeInfo } from '../../src/sources/gerrit/rest-types.js';
import { dumpStore, type StoreDump } from '../../src/store/dump.js';
import type { EngineName } from '../../src/store/engine.js';
import { openStore } from '../../src/store/open-store.js';
import { getSyncState, loadGroupSnapshots } from '../../src/store/sync-store.js';
import { runSteward } from '../helpers/cli.js';
import { FakeGerrit } from '../helpers/fake-gerrit.js';
import { mulberry32 } from '../helpers/fake-http.js';
import { bundleForChildren, type ChildBundle } from '../helpers/child-bundle.js';
import { migratedStore } from '../helpers/demo-cache.js';
import { PG_SKIP_REASON, storeIndexes } from '../helpers/stores.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const NOW = Date.UTC(2026, 10, 1);
const HOST = 'review.example.org';
const PROJECT = 'demo/compute';
const GROUP = 'demo-core';
// 60 changes in pages of 10: six pages, so every phase of the sync has a kill point (before the
// first page, between pages, half-way through the first, a middle and the last page, each group
// look-up, at exit) with fewer children than 200 changes gave (each kill starts one or two CLI processes).
const DEMO = { seed: 23, changes: 60, months: 3, now: NOW };
const PAGE = 10;
const PAGES = DEMO.changes / PAGE;
/** Pages, then the core group's two look-ups. */
const REQUESTS = PAGES + 2;

type Trigger =
  | { kind: 'request'; at: number }
  | { kind: 'mid-body'; at: number }
  | { kind: 'delay'; ms: number }
  /** In the child's migrations of a new SQLite store, caught holding its write lock from `ms` after Kysely's lock table showed. */
  | { kind: 'migrating'; ms: number }
  /** When the child's summary shows on its stdout: the sync is done and its lock released, the process ending. */
  | { kind: 'exiting' };

function describeTrigger(t: Trigger): string {
  switch (t.kind) {
    case 'request':
      return `when request ${t.at} arrives`;
    case 'mid-body':
      return `half-way through response ${t.at}`;
    case 'delay':
      return `${t.ms} ms after the first request`;
    case 'migrating':
      return `in its migrations (looked for from ${t.ms} ms after Kysely's lock table showed)`;
    case 'exiting':
      return 'once it printed its summary';
  }
}

/**
 * A proxy to `upstream` that numbers requests from 1 and calls `fire` at the trigger: on the k-th
 * request without answering it, half-way through the k-th response, or `ms` after the first request.
 */
async function startProxy(upstream: string, trigger: Trigger, fire: () => void) {
  let count = 0;
  const server = createServer((req, res) => {
    const n = ++count;
    if (n === 1 && trigger.kind === 'delay') setTimeout(fire, trigger.ms);
    if (trigger.kind === 'request' && n === trigger.at) {
      fire();
      return;
    }
    const up = httpRequest(`${upstream}${req.url ?? '/'}`, { method: req.method, headers: req.headers }, (answer) => {
      if (trigger.kind === 'mid-body' && n === trigger.at) {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.write(body.subarray(0, Math.floor(body.length / 2)), () => fire());
        });
        return;
      }
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => count,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function writeConfig(dir: string, url: string): string {
  const path = join(dir, 'steward.yaml');
  writeFileSync(path, `hosts:\n  - name: ${HOST}\n    url: ${url}\nprojects:\n  - name: ${PROJECT}\n    core:\n      group: ${GROUP}\n`);
  return path;
}

/** How to start the CLI in a child process: the bundle when esbuild is at hand, else through tsx. */
let cliCommand: string[] = ['--import', 'tsx', 'test/helpers/steward-dev.ts'];
/** The children's environment (the bundle's: node's compile cache shared beside it). */
let childEnv: NodeJS.ProcessEnv = process.env;

/** The CLI as a child process; `kill` sends SIGKILL. Resolves with how it ended. */
function spawnSync(args: string[], onStdout?: () => void) {
  const child = spawn(process.execPath, [...cliCommand, ...args], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: childEnv,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    onStdout?.();
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return {
    pid: child.pid!,
    kill: () => child.kill('SIGKILL'),
    terminate: () => child.kill('SIGTERM'),
    /** What it printed so far, stdout and stderr. */
    output: () => stdout + stderr,
    ended,
  };
}

const syncArgs = (config: string, db: string) => ['sync', '--config', config, '--db', db, '--page-size', String(PAGE), '--format', 'json'];

/**
 * Kills `run` while it holds the write lock of a new SQLite store during its migrations — provably,
 * not by timing. Kysely first creates its own tables (`kysely_migration_lock` among them), then the
 * store runs every pending migration in ONE transaction (open-store.ts), whose tables show only
 * once all of them are done. From `afterMs` after that lock table shows, this process stops the
 * child (SIGSTOP), asks for the write lock itself without waiting: refused means the child holds
 * it, in the middle of its migrations, and it is killed while stopped; granted means it is not
 * writing (released at once, the child continued, and asked again). A timed kill raced the child:
 * on a loaded machine this process ran late and the kill landed after the first request. Returns
 * false when the child ended, or finished its migrations, without being caught in them.
 */
async function killDuringMigrations(location: string, afterMs: number, run: { pid: number; kill: () => void }): Promise<boolean> {
  // Until the child creates the file (opening the store, before any migration), look every few ms,
  // yielding: busy-waiting here would take a core from the child starting up. No fixed deadline:
  // a loaded machine may take many seconds to start it; a child that ended without a store is the failure.
  while (!existsSync(location)) {
    if (!cpuTicks(run.pid)) return false;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  let conn: BetterSqlite3.Database | undefined;
  const look = (q: string): number | null => {
    try {
      conn ??= new BetterSqlite3(location, { fileMustExist: true });
      conn.pragma('busy_timeout = 0');
      return (conn.prepare(q).get() as { n: number }).n;
    } catch {
      return null; // not openable yet, or busy: look again
    }
  };
  try {
    for (let spins = 0; ; spins++) {
      if (spins % 1_000 === 999 && !cpuTicks(run.pid)) return false;
      if (look("select count(*) as n from sqlite_master where name = 'kysely_migration_lock'")) break;
      if (spins % 20 === 19) await new Promise((resolve) => setImmediate(resolve));
    }
    const at = performance.now() + afterMs;
    while (performance.now() < at) {
      // Busy-wait: a timer could fire milliseconds late.
    }
    for (;;) {
      if (!cpuTicks(run.pid)) return false;
      process.kill(run.pid, 'SIGSTOP');
      let writing = false;
      try {
        conn!.exec('begin immediate');
        conn!.exec('rollback');
      } catch (e) {
        writing = String((e as { code?: string }).code).startsWith('SQLITE_BUSY');
        if (!writing) throw e;
      }
      if (writing) {
        run.kill();
        return true;
      }
      process.kill(run.pid, 'SIGCONT');
      // Migrated already (the sync itself has begun): the moment was missed.
      if (look("select count(*) as n from sqlite_master where name = 'meta'")) return false;
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    conn?.close();
  }
}

/** How many of Steward's tables a SQLite store holds (0 for one whose migrations never committed). */
function migratedTables(location: string): number {
  if (!existsSync(location)) return 0;
  const conn = new BetterSqlite3(location, { readonly: true, fileMustExist: true });
  try {
    return (conn.prepare("select count(*) as n from sqlite_master where type = 'table' and name not like 'kysely%'").get() as { n: number })
      .n;
  } finally {
    conn.close();
  }
}

/**
 * The CPU time (clock ticks, user + system) process `pid` has used so far, or 0 once it has ended
 * (gone, or a zombie). Where /proc cannot be read it counts as running, at 1 tick.
 */
function cpuTicks(pid: number): number {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' && existsSync('/proc/self/stat') ? 0 : 1;
  }
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (f[0] === 'Z' || f[0] === 'X') return 0;
  return Number(f[11]) + Number(f[12]) + 1;
}

/** The store's review data without hosts.url (each run reaches the server through its own proxy port). */
async function inspectStore(location: string, withDump = true) {
  const store = await openStore(location);
  try {
    const dump: StoreDump = withDump ? await dumpStore(store) : {};
    const hosts = (await store.db.selectFrom('hosts').select('name').execute()).map((h) => h.name);
    delete dump.hosts;
    const counts = await sql<{
      n: number | string;
      distinct_n: number | string;
    }>`select count(*) as n, count(distinct number) as distinct_n from changes`.execute(store.db);
    const locks = await store.db.selectFrom('sync_locks').selectAll().execute();
    // Every index with its definition: a first sync defers some and builds them at its end
    // (store/deferred-indexes.ts), and one killed before then must leave them to the next run.
    const { indexes, deferred: deferredIndexes } = await storeIndexes(store);
    const state = await getSyncState(store.db, HOST, PROJECT);
    const accountIds = new Map(
      (await store.db.selectFrom('accounts').select(['id', 'gerrit_id']).execute()).map((a) => [a.id, a.gerrit_id]),
    );
    const snapshots = (await loadGroupSnapshots(store.db, HOST, GROUP)).map((s) => s.memberIds.map((id) => accountIds.get(id)).sort());
    return {
      dump,
      hosts,
      changes: Number(counts.rows[0]!.n),
      distinctChanges: Number(counts.rows[0]!.distinct_n),
      locks,
      state,
      snapshots,
      indexes,
      deferredIndexes,
    };
  } finally {
    await store.close();
  }
}

// The random kill points come from a seeded PRNG (the fake servers' mulberry32): the same on every run.
const seeded = mulberry32;

/** Runs `jobs` with at most `limit` at once (child processes are CPU-bound at start-up). */
async function pool<T>(limit: number, jobs: Array<() => Promise<T>>): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, jobs.length) }, async () => {
      while (next < jobs.length) {
        const i = next++;
        out[i] = await jobs[i]!();
      }
    }),
  );
  return out;
}

describe('steward sync killed with SIGKILL and run again', () => {
  let gerrit: FakeGerrit;
  let upstream: string;
  let scratch: string;
  /** What an uninterrupted sync (a child process too) leaves in the store. */
  let reference: Awaited<ReturnType<typeof inspectStore>>;
  /** How long the uninterrupted child took from its first request to its exit, in ms. */
  let syncSpanMs: number;
  let bundle: ChildBundle | null = null;
  /** An empty SQLite store with every migration run, copied for each test that needs one. */
  let sqliteTemplate: string;

  before(async () => {
    const served: RestChangeInfo[] = [...generateDemoChanges(DEMO)].map(toRestChange);
    const ids = new Set(served.map((c) => c.owner._account_id));
    const members: RestAccountInfo[] = demoPeople(DEMO)
      .filter((p) => p.role === 'core' && ids.has(p.accountId))
      .slice(0, 3)
      .map((p) => ({ _account_id: p.accountId, name: p.name, email: p.email, username: p.username }));
    gerrit = new FakeGerrit({ changes: served, groups: [{ id: 'uuid-demo-core', name: GROUP, members }] });
    upstream = await gerrit.start();
    scratch = mkdtempSync(join(tmpdir(), 'steward-kill-'));
    sqliteTemplate = join(scratch, 'migrated.db');
    await (await openStore(sqliteTemplate)).close();
    // The CLI, the sync's worker and the page parser's beside it, where gerrit-sync-thread.ts and
    // rest-page-parser.ts look for them (the same extension as their own module's).
    bundle = await bundleForChildren(
      'sync-kill',
      {
        cli: 'test/helpers/steward-dev.ts',
        'gerrit-sync-worker': 'src/ingest/gerrit-sync-worker.ts',
        'rest-page-worker': 'src/sources/gerrit/rest-page-worker.ts',
      },
      '.mjs',
    );
    if (bundle) [cliCommand, childEnv] = [[bundle.files.cli!], bundle.env];

    let first = 0;
    const proxy = await startProxy(upstream, { kind: 'request', at: Number.MAX_SAFE_INTEGER }, () => undefined);
    const dir = mkdtempSync(join(scratch, 'reference-'));
    const db = join(dir, 'steward.db');
    const timer = setInterval(() => {
      if (!first && proxy.requests() > 0) first = Date.now();
    }, 2);
    const run = spawnSync(syncArgs(writeConfig(dir, proxy.url), db));
    const end = await run.ended;
    clearInterval(timer);
    syncSpanMs = Date.now() - first;
    await proxy.close();
    assert.equal(end.code, 0, end.stderr);
    const summary = (JSON.parse(end.stdout) as Array<{ new: number; pages: number; requests: number }>)[0]!;
    assert.deepEqual([summary.new, summary.pages, summary.requests], [DEMO.changes, PAGES, REQUESTS]);
    reference = await inspectStore(db);
    assert.equal(reference.changes, DEMO.changes);
    assert.equal(reference.snapshots.length, 1);
    // The uninterrupted first sync built the indexes it deferred: none is left recorded, and the
    // import's deferred ones are there.
    assert.deepEqual(reference.deferredIndexes, []);
    assert.deepEqual(reference.indexes, (await inspectStore(sqliteTemplate, false)).indexes, 'the indexes of a migrated store');
    for (const name of ['patch_sets_revision', 'change_files_path', 'changes_topic', 'votes_voter'])
      assert.ok(
        reference.indexes.some((i) => i.startsWith(`${name}: `)),
        `the reference store has ${name}`,
      );
  });

  after(async () => {
    await gerrit.stop();
    rmSync(scratch, { recursive: true, force: true });
    bundle?.remove();
  });

  /**
   * A store of `engine` with every migration run, for one test: SQLite a copy of this file's
   * template in `dir`, PostgreSQL a copy of the run's migrated database (demo-cache.ts).
   */
  async function migratedLocation(engine: EngineName, dir: string): Promise<{ location: string; cleanup: () => Promise<void> }> {
    if (engine !== 'sqlite') return migratedStore(engine);
    const location = join(dir, 'steward.db');
    copyFileSync(sqliteTemplate, location);
    return { location, cleanup: async () => undefined };
  }

  /**
   * One kill point: a child sync killed at `trigger`, then the same command run again (in-process,
   * or as a child with `resumeInChild`). Returns where the kill left the store.
   */
  async function killAndResume(engine: EngineName, trigger: Trigger, resumeInChild: boolean) {
    const dir = mkdtempSync(join(scratch, 'kill-'));
    const loc =
      trigger.kind === 'migrating'
        ? { location: join(dir, 'steward.db'), cleanup: async () => undefined }
        : await migratedLocation(engine, dir);
    const expectedIndexes = engine === 'sqlite' ? null : (await inspectStore(loc.location, false)).indexes;
    let run: ReturnType<typeof spawnSync> | undefined;
    const proxy = await startProxy(upstream, trigger, () => run?.kill());
    try {
      const config = writeConfig(dir, proxy.url);
      run = spawnSync(syncArgs(config, loc.location), trigger.kind === 'exiting' ? () => run?.kill() : undefined);
      if (trigger.kind === 'migrating') await killDuringMigrations(loc.location, trigger.ms, run);
      const end = await run.ended;
      const at = describeTrigger(trigger);
      if (end.signal !== 'SIGKILL') {
        // Only a delay may outlast the sync (or the migrations), and a child that printed its summary
        // may end before the kill; then this was no kill point.
        assert.ok(
          trigger.kind === 'delay' || trigger.kind === 'migrating' || trigger.kind === 'exiting',
          `${at}: the child was not killed: exit ${end.code} ${end.stderr}`,
        );
        assert.equal(end.code, 0, end.stderr);
        return null;
      }
      const requested = proxy.requests() > 0;
      // Killed in its migrations: their one transaction left nothing of Steward's schema (only
      // Kysely's own tables) and no request was sent. Not opened here (openStore would migrate it):
      // the next run must.
      const midMigration = trigger.kind === 'migrating' && !migratedTables(loc.location);
      if (midMigration) assert.ok(!requested, `${at}: killed in its migrations, it sent no request`);
      // Killed before it created the store: nothing to inspect, the next run starts afresh.
      const killed = !midMigration && (existsSync(loc.location) || engine !== 'sqlite') ? await inspectStore(loc.location, false) : null;
      // The lock is taken before the first request and released once the sync is done, so a child
      // killed in between still holds it. The process ends a little later (the summary printed, the
      // store closed, the process torn down: hundreds of ms on a loaded machine), and a kill may land
      // there — a random delay drawn from the uninterrupted run's span can — : then no lock is left
      // and the store is already complete.
      const finished =
        killed?.state?.run_in_progress === 0 &&
        killed.changes === DEMO.changes &&
        killed.state.checkpoint_updated === reference.state?.checkpoint_updated &&
        JSON.stringify(killed.snapshots) === JSON.stringify(reference.snapshots);
      if (trigger.kind === 'exiting') assert.ok(finished, `${at}: the sync was done`);
      if (requested)
        assert.deepEqual(
          killed?.locks.map((l) => l.pid),
          finished && !killed.locks.length ? [] : [run.pid],
          `${at}: the dead process's lock is left behind (unless the sync was done)`,
        );
      const stored = killed?.changes ?? 0;
      assert.equal(stored, killed?.distinctChanges ?? 0);
      assert.equal(stored % PAGE, 0, `${at}: whole pages only (${stored} changes)`);
      const inProgress = killed?.state?.run_in_progress === 1;

      const again = resumeInChild
        ? await (async () => {
            const r = await spawnSync(syncArgs(config, loc.location)).ended;
            return { code: r.code ?? -1, stdout: r.stdout, stderr: r.stderr };
          })()
        : await runSteward(syncArgs(config, loc.location), { cwd: dir, now: Date.now() });
      assert.equal(again.code, 0, `${at}: the next run failed: ${again.stderr}`);
      const summary = (JSON.parse(again.stdout) as Array<{ resumed: boolean; changesFetched: number }>)[0]!;
      assert.equal(summary.resumed, inProgress, `${at}: resumes the interrupted run`);
      if (inProgress)
        assert.equal(summary.changesFetched, DEMO.changes - killed!.state!.run_next_start, `${at}: continues from the stored position`);

      const final = await inspectStore(loc.location);
      assert.deepEqual(final.hosts, [HOST]);
      assert.equal(final.changes, DEMO.changes, `${at}: every change once`);
      assert.equal(final.distinctChanges, DEMO.changes, `${at}: no duplicates`);
      assert.deepEqual(final.locks, [], `${at}: the lock was taken over and released`);
      assert.deepEqual(
        [final.state?.run_in_progress, final.state?.checkpoint_updated, final.state?.last_error],
        [0, reference.state?.checkpoint_updated, null],
      );
      assert.deepEqual(final.snapshots, reference.snapshots, `${at}: one snapshot of the core group`);
      assert.deepEqual(final.dump, reference.dump, `${at}: the store equals an uninterrupted sync's`);
      // A PostgreSQL store's indexes: those of the store migrated for this kill point.
      assert.deepEqual(final.indexes, engine === 'sqlite' ? reference.indexes : expectedIndexes, `${at}: with the same indexes`);
      assert.deepEqual(final.deferredIndexes, [], `${at}: none left deferred`);
      return { at, stored, inProgress, requested, midMigration };
    } finally {
      run?.kill(); // a no-op unless an assertion failed while it ran
      await run?.ended;
      await proxy.close();
      await loc.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('at 18+ points (each request, half-way through responses, random delays), on SQLite', async () => {
    const random = seeded(20261125);
    const triggers: Array<{ trigger: Trigger; child: boolean }> = [
      ...Array.from({ length: REQUESTS }, (_, i) => ({ trigger: { kind: 'request', at: i + 1 } as Trigger, child: false })),
      ...[1, 3, 4, PAGES, PAGES + 1].map((at) => ({ trigger: { kind: 'mid-body', at } as Trigger, child: at % 2 === 0 })),
      ...Array.from({ length: 4 }, (_, i) => ({
        trigger: { kind: 'delay', ms: Math.floor(random() * syncSpanMs) } as Trigger,
        child: i < 2,
      })),
      { trigger: { kind: 'exiting' }, child: false },
    ];
    const results = await pool(
      2,
      triggers.map(
        ({ trigger, child }) =>
          () =>
            killAndResume('sqlite', trigger, child),
      ),
    );
    const points = results.filter((r) => r !== null);
    // Every request and mid-body trigger is a kill; random delays may outlast the sync.
    assert.ok(points.length >= REQUESTS + 5, `${points.length} kill points`);
    assert.equal(new Set(points.map((p) => p!.at)).size, points.length, 'distinct kill points');
    // They caught the sync in different states. When request k arrives, page k−1 may or may not be
    // stored yet (it is written while the next is fetched), so k = 1…PAGES give at least PAGES/2.
    const positions = new Set(points.map((p) => `${p!.inProgress}:${p!.stored}`));
    assert.ok(positions.size >= PAGES / 2, `kills left ${positions.size} different store states: ${[...positions].join(' ')}`);
    assert.ok(
      points.some((p) => p!.stored === 0) && points.some((p) => p!.stored === DEMO.changes && !p!.inProgress),
      'before the first page and after the last',
    );
  });

  it('while it migrates a new SQLite store', async () => {
    const results = await pool(
      2,
      [0, 0, 2, 5].map((ms) => () => killAndResume('sqlite', { kind: 'migrating', ms }, false)),
    );
    // killDuringMigrations kills only a child it caught holding the store's write lock in them.
    assert.ok(
      results.some((r) => r?.midMigration),
      'at least one child was killed in its migrations, and the next run migrated the store it left',
    );
  });

  for (const engine of ['sqlite', 'postgres'] as const) {
    it(
      `two syncs of the project started together on ${engine}: one completes, the other is SYNC_BUSY (17), never an internal error`,
      {
        skip: engine === 'postgres' && PG_SKIP_REASON,
      },
      async () => {
        // Latency keeps the winner holding the lock while the other (started at the same moment) asks for it.
        gerrit.latencyMs = 300;
        try {
          for (let round = 0; round < 1; round++) {
            const dir = mkdtempSync(join(scratch, 'together-'));
            const loc = await migratedLocation(engine, dir);
            try {
              const config = writeConfig(dir, upstream);
              // An existing (migrated) store, so both race for the lock rather than to create the schema.
              const both = await Promise.all(
                [0, 1].map(() => spawnSync(['sync', '--config', config, '--db', loc.location, '--page-size', '100', '--quiet']).ended),
              );
              assert.deepEqual(both.map((r) => r.code).sort(), [0, 17], both.map((r) => r.stderr).join('\n'));
              assert.match(
                both.find((r) => r.code === 17)!.stderr,
                /another sync of demo\/compute on review\.example\.org is running \(process \d+ on /,
              );
              const store = await inspectStore(loc.location, false);
              assert.deepEqual([store.changes, store.locks], [DEMO.changes, []]);
            } finally {
              await loc.cleanup();
              rmSync(dir, { recursive: true, force: true });
            }
          }
        } finally {
          gerrit.latencyMs = 0;
        }
      },
    );

    it(
      `two syncs of different projects on one host into one ${engine} store at the same time both complete`,
      {
        skip: engine === 'postgres' && PG_SKIP_REASON,
      },
      async () => {
        const other = 'demo/storage';
        const copies = gerrit.changes.map((c) => ({
          ...c,
          project: other,
          _number: c._number + 5_000_000,
          change_id: `${c.change_id}s`,
          id: `${c.id}s`,
        }));
        const dir = mkdtempSync(join(scratch, 'two-projects-'));
        const loc = await migratedLocation(engine, dir);
        gerrit.changes.push(...copies);
        try {
          const config = join(dir, 'steward.yaml');
          writeFileSync(config, `hosts:\n  - name: ${HOST}\n    url: ${upstream}\nprojects:\n  - name: ${PROJECT}\n  - name: ${other}\n`);
          const ends = await Promise.all(
            [PROJECT, other].map(
              (p) =>
                spawnSync(['sync', '--config', config, '--db', loc.location, '--project', p, '--page-size', String(PAGE), '--quiet']).ended,
            ),
          );
          assert.deepEqual(
            ends.map((e) => e.code),
            [0, 0],
            ends.map((e) => e.stderr).join('\n'),
          );
          assert.equal((await inspectStore(loc.location, false)).changes, 2 * DEMO.changes);
        } finally {
          gerrit.changes.splice(-copies.length);
          await loc.cleanup();
          rmSync(dir, { recursive: true, force: true });
        }
      },
    );
  }

  it('--every syncs again after each period and stops cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(scratch, 'every-'));
    try {
      const db = join(dir, 'steward.db');
      const before = gerrit.log.length;
      const run = spawnSync([...syncArgs(writeConfig(dir, upstream), db), '--every', '1s']);
      // Three runs: the first fetches everything, the next two only the checkpoint's overlap.
      const runs = () => gerrit.log.slice(before).filter((r) => r.path.includes('/members/')).length;
      // Waits as long as the child makes progress (a request to the server, output, or CPU time it
      // used): a loaded machine slows it, but only a child that stopped moving for 20 s fails.
      let seen = '';
      let lastProgress = Date.now();
      while (runs() < 3 && Date.now() - lastProgress < 20_000) {
        const progress = `${gerrit.log.length} ${run.output().length} ${cpuTicks(run.pid)}`;
        if (progress !== seen) [seen, lastProgress] = [progress, Date.now()];
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.ok(runs() >= 3, `three runs began (${runs()}), the child making no progress for 20 s: ${run.output()}`);
      run.terminate();
      const end = await run.ended;
      assert.deepEqual([end.code, end.signal], [0, null], end.stderr);
      const summaries = [...end.stdout.matchAll(/^\[\n[\s\S]*?\n\]$/gm)].map(
        (m) => (JSON.parse(m[0]) as Array<{ new: number; unchanged: number; after: string | null }>)[0]!,
      );
      assert.ok(summaries.length >= 3, `${summaries.length} runs`);
      assert.equal(summaries[0]!.new, DEMO.changes);
      for (const later of summaries.slice(1)) assert.deepEqual([later.new, later.after !== null], [0, true]);
      assert.deepEqual((await inspectStore(db, false)).locks, [], 'the lock was released');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('at a few points on PostgreSQL', { skip: PG_SKIP_REASON }, async () => {
    const triggers: Trigger[] = [
      { kind: 'request', at: 2 },
      { kind: 'mid-body', at: PAGES / 2 + 1 },
      { kind: 'request', at: PAGES + 1 },
    ];
    const results = await pool(
      2,
      triggers.map((t) => () => killAndResume('postgres', t, false)),
    );
    assert.equal(results.filter((r) => r !== null).length, triggers.length);
  });
});
