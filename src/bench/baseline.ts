/**
 * `npm run bench -- --baseline <rev>`: the same benchmarks for an earlier revision and for this
 * checkout, in one run, with one table of before and after per target.
 *
 * The baseline is checked out with `git worktree add` into a temporary folder (as
 * scripts/compare-reports.mjs does) and built there; its node_modules is a link to this checkout's
 * when every package version its package-lock.json pins is installed here too (the same lock, or
 * one this checkout only added to or placed elsewhere in the tree), else `--baseline-node-modules DIR` names one that
 * matches its lock (a link is made to it), else `npm ci` installs one. Each revision then runs its
 * own benchmark code (`dist/bench/run.js`, its own import, sync, report and server code) in a child
 * process, phase by phase, the baseline first and this checkout right after, so that both see much
 * the same machine load: git sync, then import + sync + queue/waits, then reviewers, then the web
 * load run. Both read the same data: the baseline's `.bench/rest-N.json` is a link to this
 * checkout's export (the demo generator may have changed between them), the same nova bundle, and
 * the fake Gerrit of each revision's own test/bench/sync-bench.ts (the same seed). The baseline's
 * PostgreSQL bench database is `steward_bench` (what older revisions always use), this checkout's
 * `steward_bench_head`, so neither reads a store the other's migrations made.
 *
 * Each line of each child's output is printed as it comes (prefixed with the revision); the figures
 * are then read back from those lines (their wording is the same in both revisions) into the table.
 * CPU figures (user + system of the measured process) move less with the machine's load than wall
 * times do; the load average at the start of each phase is printed under the table.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface BaselineOptions {
  /** The repository root of this checkout. */
  root: string;
  /** The git revision to compare against. */
  rev: string;
  /** A node_modules folder matching the baseline's package-lock.json, when this checkout's does not. */
  nodeModules?: string;
  /** Phases to run (default all): git, perf, reviewers, web. */
  phases: readonly Phase[];
  /** Keep the baseline's worktree (its path is printed). */
  keep: boolean;
  /** Makes `.bench/rest-N.json` in this checkout if it is missing (run.ts's generator); returns its path. */
  ensureExport: () => Promise<string>;
  changes: number;
  pgAdmin: string | undefined;
}

export type Phase = 'git' | 'perf' | 'reviewers' | 'web';
export const PHASES: readonly Phase[] = ['git', 'perf', 'reviewers', 'web'];

interface Side {
  label: 'before' | 'after';
  dir: string;
  pgDb: string;
  lines: string[];
}

const HEAD_PG_DB = 'steward_bench_head';

/** Runs the comparison; returns the process exit code (0 when every phase of both revisions ran). */
export async function runBaselineComparison(o: BaselineOptions): Promise<number> {
  const git = (...args: string[]) => run('git', args, o.root).trim();
  const baseSha = git('rev-parse', '--verify', `${o.rev}^{commit}`);
  const headSha = git('rev-parse', 'HEAD');
  const dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
  const exportPath = await o.ensureExport();

  const tempRoot = mkdtempSync(join(tmpdir(), 'steward-bench-baseline-'));
  const baseDir = join(tempRoot, `base-${baseSha.slice(0, 12)}`);
  console.log(
    `baseline ${baseSha.slice(0, 12)} (${o.rev}) in ${baseDir}; after: this checkout ${headSha.slice(0, 12)}${dirty ? ' with uncommitted changes' : ''}`,
  );
  git('worktree', 'add', '--detach', baseDir, baseSha);
  let code = 0;
  try {
    linkNodeModules(o, baseDir);
    const t0 = performance.now();
    run('npm', ['run', 'build'], baseDir);
    console.log(`baseline built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    // The same export for both imports: a link to this checkout's.
    mkdirSync(join(baseDir, '.bench'), { recursive: true });
    symlinkSync(exportPath, join(baseDir, '.bench', `rest-${o.changes}.json`));

    const sides: Side[] = [
      { label: 'before', dir: baseDir, pgDb: 'steward_bench', lines: [] },
      { label: 'after', dir: o.root, pgDb: HEAD_PG_DB, lines: [] },
    ];
    const loads: string[] = [];
    for (const phase of o.phases) {
      for (const side of sides) {
        loads.push(
          `${phase} ${side.label}: ${loadavg()
            .map((l) => l.toFixed(1))
            .join(' / ')}`,
        );
        const ok = await runPhase(side, phase, o);
        if (!ok) code = 1;
      }
    }
    printTable(sides[0]!.lines, sides[1]!.lines, `${baseSha.slice(0, 12)} (${o.rev})`, `${headSha.slice(0, 12)}${dirty ? '+' : ''}`);
    console.log(`\nload average (1 / 5 / 15 min) at the start of each phase: ${loads.join('; ')}`);
  } finally {
    if (o.keep) console.log(`baseline worktree kept: ${baseDir} (git worktree remove --force ${baseDir})`);
    else {
      run('git', ['worktree', 'remove', '--force', baseDir], o.root, true);
      rmSync(tempRoot, { recursive: true, force: true });
    }
  }
  return code;
}

/** Runs `cmd`; throws with its last lines of output unless it exits 0 (or `allowFail`). */
function run(cmd: string, args: string[], cwd: string, allowFail = false): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (!allowFail && (r.error || r.status !== 0)) {
    const tail = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.trim().split('\n').slice(-12).join('\n');
    throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) failed: ${r.error?.message ?? `exit ${r.status}`}\n${tail}`);
  }
  return r.stdout ?? '';
}

/** The packages a package-lock.json pins, as `name@version` (wherever npm placed them in the tree). */
function pinned(lockFile: string): Set<string> {
  const lock = JSON.parse(readFileSync(lockFile, 'utf8')) as { packages?: Record<string, { version?: string }> };
  const out = new Set<string>();
  for (const [path, p] of Object.entries(lock.packages ?? {}))
    if (path) out.add(`${path.replace(/^.*node_modules\//, '')}@${p.version ?? '?'}`);
  return out;
}

function linkNodeModules(o: BaselineOptions, baseDir: string): void {
  const target = join(baseDir, 'node_modules');
  if (o.nodeModules) {
    symlinkSync(realpathSync(o.nodeModules), target);
    console.log(`baseline node_modules: a link to ${o.nodeModules} (--baseline-node-modules)`);
    return;
  }
  const here = pinned(join(o.root, 'package-lock.json'));
  const there = pinned(join(baseDir, 'package-lock.json'));
  const missing = [...there].filter((p) => !here.has(p));
  if (missing.length === 0 && existsSync(join(o.root, 'node_modules'))) {
    symlinkSync(realpathSync(join(o.root, 'node_modules')), target);
    console.log("baseline node_modules: a link to this checkout's (every package version its lock pins is installed here)");
    return;
  }
  console.log(
    `baseline node_modules: its lock pins ${missing.length} package(s) this checkout has at another version or not at all (${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}): npm ci (give --baseline-node-modules DIR to use an installed copy)`,
  );
  run('npm', ['ci', '--no-audit', '--no-fund'], baseDir);
}

/** One phase of one revision in a child process; its output is printed line by line and kept. */
async function runPhase(side: Side, phase: Phase, o: BaselineOptions): Promise<boolean> {
  const runJs = join(side.dir, 'dist', 'bench', 'run.js');
  const env: NodeJS.ProcessEnv = { ...process.env, BENCH_PG_DB: side.pgDb, BENCH_CHANGES: String(o.changes) };
  // The nova bundle as this checkout finds it (beside the repository): the baseline's worktree has no shared/ beside it.
  const bundle = process.env['BENCH_GIT_BUNDLE'] ?? join(o.root, '..', 'shared', 'data', 'nova-history-meta.bundle');
  if (existsSync(bundle)) env['BENCH_GIT_BUNDLE'] = bundle;
  let args: string[];
  if (phase === 'reviewers') {
    // Older run.js files run the reviewers benchmark only as part of a full run: call it directly.
    const moduleUrl = pathToFileURL(join(side.dir, 'dist', 'bench', 'reviewers-bench.js')).href;
    const demo = { seed: 7, changes: o.changes, months: 24, now: Date.UTC(2026, 0, 1) };
    const script = `const m = await import(${JSON.stringify(moduleUrl)}); await m.runReviewersBench(...JSON.parse(process.argv[1]));`;
    args = ['--input-type=module', '-e', script, JSON.stringify([join(side.dir, '.bench', 'bench.db'), o.pgAdmin, demo, side.pgDb])];
  } else {
    args = ['--expose-gc', runJs];
    env['BENCH_ONLY'] = phase;
  }
  const child = spawn(process.execPath, args, { cwd: side.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = `[${side.label} ${phase}] `;
  let partial = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => {
    partial += d;
    const lines = partial.split('\n');
    partial = lines.pop()!;
    for (const l of lines) {
      side.lines.push(l);
      console.log(prefix + l);
    }
  });
  let err = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => (err += d));
  const exit = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (partial) side.lines.push(partial);
  if (exit !== 0) console.log(`${prefix}exited ${exit}: ${err.trim().split('\n').slice(-3).join(' ')}`);
  return exit === 0;
}

interface Figure {
  key: string;
  target: string;
  value: string;
}

/** The figures in a revision's output lines, by measurement. */
export function figuresOf(lines: readonly string[]): Map<string, Figure> {
  const out = new Map<string, Figure>();
  const add = (key: string, target: string, value: string) => out.set(key, { key, target, value });
  for (const l of lines) {
    let m: RegExpMatchArray | null;
    if (
      (m = l.match(
        /^(sync fake Gerrit → SQLite|import REST → \w+)\s+(\d+) changes in\s+[\d.]+ s =\s+(\d+) changes\/s, peak RSS (\d+) MB, CPU ([\d.]+) s/,
      ))
    )
      add(
        m[1]!,
        m[1]!.startsWith('sync') ? '≥ 2000 changes/s' : m[1]!.endsWith('SQLite') ? '≥ 5000 changes/s' : '—',
        `${m[3]} changes/s, CPU ${m[5]} s, RSS ${m[4]} MB`,
      );
    else if (
      (m = l.match(
        /^steward (queue|waits|reviewers) \((\w+)\)\s+\d+ [^:]+: median\s+(\d+) ms, best (\d+) ms[^,]*(?:, CPU median (\d+) ms)?/,
      ))
    )
      add(
        `${m[1]} (${m[2]})`,
        m[1] === 'waits' ? '≤ 2000 ms' : '≤ 250 ms',
        `median ${m[3]} ms, best ${m[4]} ms${m[5] ? `, CPU ${m[5]} ms` : ''}`,
      );
    else if ((m = l.match(/^serve: load \((\w+), ([^)]+)\).* p95 ([\d.]+) ms.*?(\d+) errors.* server CPU ([\d.]+) ms\/request/)))
      add(`API p95 (${m[1]}, ${m[2]})`, 'p95 < 150 ms, 0 errors', `p95 ${m[3]} ms, ${m[4]} errors, CPU ${m[5]} ms/req`);
    else if ((m = l.match(/^(git sync nova → [^\d]+?)\s+(\d+) commits \(\s*\d+ read\) in\s+([\d.]+) s, peak RSS (\d+) MB/)))
      add(m[1]!.trim(), 'well under a minute', `${m[3]} s, RSS ${m[4]} MB`);
  }
  return out;
}

function printTable(before: readonly string[], after: readonly string[], baseLabel: string, headLabel: string): void {
  const b = figuresOf(before);
  const a = figuresOf(after);
  const keys = [...new Set([...b.keys(), ...a.keys()])];
  console.log(`\n| measurement | target | before: ${baseLabel} | after: ${headLabel} |`);
  console.log('| --- | --- | --- | --- |');
  for (const k of keys) console.log(`| ${k} | ${(a.get(k) ?? b.get(k))!.target} | ${b.get(k)?.value ?? '—'} | ${a.get(k)?.value ?? '—'} |`);
}
