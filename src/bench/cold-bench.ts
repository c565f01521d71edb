/**
 * `npm run bench`, cold part (issue 20): every report of the catalogue that has a command, run as
 * a user runs it — a fresh `steward` process (bin/steward.js, the compile cache warm) over the
 * 100,000-change bench store, `--format json`, as of the export's end — in SQLite and, with a
 * PostgreSQL location, PostgreSQL. Beside each, the warm figure: the same report built again in one
 * long-lived process (configuration, build, JSON), which is what the server pays per uncached view.
 *
 * The reports come from the catalogue (`REPORTS`), so a new report is measured without touching
 * this file; one whose command needs an argument the bench cannot guess (a release name) shows the
 * command's own error instead of a time. Plus `steward --help` and `steward db info`.
 *
 * Beside each warm figure: the large tables the report's slow statements read in full, from their
 * plans (query-plans.ts); every plan goes to `.bench/plans-<engine>.txt`.
 *
 * Targets: `steward --help` ≤ 200 ms; each report ≤ 500 ms on SQLite, ≤ 700 ms on PostgreSQL.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config/load-config.js';
import { demoConfigYaml } from '../demo/demo-config-yaml.js';
import type { DemoOptions } from '../demo/demo-project.js';
import { CATALOGUE } from '../service/catalogue/report-catalogue.js';
import { CLI_SURFACE } from '../service/catalogue/param-schema.js';
import { nowOf, type AnyReportEntry } from '../service/catalogue/report-entry.js';
import { resolveEffectiveConfig } from '../service/effective-config.js';
import { openStore } from '../store/open-store.js';
import { explainStatements, recordStatements } from './query-plans.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const STEWARD = resolve(here, '../../bin/steward.js');
const NOW = '2026-01-01T00:00:00Z';

/** One command of the cold benchmark: its words and the report entry it runs, if any. */
interface ColdCase {
  label: string;
  args: string[];
  entry?: string;
}

/** The report commands of the catalogue, as of the bench export's end, plus --help and db info. */
export function coldCases(): ColdCase[] {
  const cases: ColdCase[] = [];
  for (const [name, entry] of Object.entries(CATALOGUE)) {
    if (!entry.cli) continue;
    const args = [...entry.cli.command];
    if ('now' in entry.params.defs) args.push('--now', NOW);
    cases.push({ label: args.slice(0, entry.cli.command.length).join(' '), args, entry: name });
    if (name === 'reviewers') {
      cases.push({ label: 'reviewers --compat reviewstats', args: [...args, '--days', '90', '--compat', 'reviewstats'], entry: name });
    }
  }
  // BENCH_COLD_ONLY: a comma-separated list of labels ("core mentoring,reviewers") to run only those.
  const only = process.env.BENCH_COLD_ONLY?.split(',').map((l) => l.trim());
  return only ? cases.filter((c) => only.includes(c.label)) : cases;
}

interface Timing {
  medianMs: number;
  minMs: number;
  runs: number;
  error?: string;
  /** Large tables the report's slow statements read in full (query-plans.ts); warm runs only. */
  fullScans?: string[];
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** `steward ...args` in a fresh process, `runs` times after one run that fills the compile cache. */
function cold(args: string[], runs: number): Timing {
  const times: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [STEWARD, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
    const ms = performance.now() - t0;
    if (r.status !== 0) return { medianMs: NaN, minMs: NaN, runs: 0, error: r.stderr.trim().split('\n')[0] ?? `exit ${r.status}` };
    if (i > 0) times.push(ms);
  }
  return { medianMs: Math.round(median(times)), minMs: Math.round(Math.min(...times)), runs };
}

/** Child: the warm figure of every report on one store, as JSON lines keyed by the case's label. */
async function warmChild(location: string, configPath: string, runs: number, plansPath?: string): Promise<void> {
  // Warm figures are a long-lived process's: opened as the web server opens its store (a 64 MB page cache).
  const store = await openStore(location, { create: false, largePageCache: true });
  const out: Record<string, Timing> = {};
  const planText: string[] = [];
  try {
    for (const c of coldCases()) {
      if (!c.entry) continue;
      const entry: AnyReportEntry = CATALOGUE[c.entry]!;
      const options: Record<string, unknown> = {};
      for (let i = entry.cli!.command.length; i < c.args.length; i += 2) {
        options[c.args[i]!.slice(2).replace(/-([a-z])/g, (_m, x: string) => x.toUpperCase())] = c.args[i + 1];
      }
      const once = async (): Promise<number> => {
        const t0 = performance.now();
        const input = entry.params.fromCli(options);
        entry.check?.(input, CLI_SURFACE);
        const config = await resolveEffectiveConfig(loadConfig(configPath, process.cwd()), store);
        const now = nowOf({ now: entry.params.textOf(input, 'now') }, CLI_SURFACE, Date.now);
        const params = entry.resolve(input, { surface: CLI_SURFACE, now, config, cwd: process.cwd(), path: {} });
        JSON.stringify(await entry.build(store, params, config, now, null), null, 2);
        return performance.now() - t0;
      };
      try {
        // The first run's statements, for their plans.
        const { statements } = await recordStatements(once);
        const plans = await explainStatements(store, statements);
        planText.push(
          `== ${c.label} (${store.engine})`,
          ...plans.flatMap((p) => [`-- ${p.ms} ms: ${p.sql.replace(/\s+/g, ' ')}`, ...p.plan.map((l) => `   ${l}`)]),
          '',
        );
        const times: number[] = [];
        for (let i = 0; i < runs; i++) times.push(await once());
        out[c.label] = {
          medianMs: Math.round(median(times)),
          minMs: Math.round(Math.min(...times)),
          runs,
          fullScans: [...new Set(plans.flatMap((p) => p.fullScans))],
        };
      } catch (e) {
        out[c.label] = { medianMs: NaN, minMs: NaN, runs: 0, error: (e as Error).message.split('\n')[0] };
      }
    }
  } finally {
    await store.close();
  }
  if (plansPath) writeFileSync(plansPath, planText.join('\n'));
  process.stdout.write(JSON.stringify(out) + '\n');
}

const fmt = (t: Timing | undefined): string => (!t ? '—' : t.error ? `failed: ${t.error}` : `${t.medianMs} ms`);

/**
 * Runs the cold benchmark on the SQLite bench store and, when given, the PostgreSQL one (a
 * location: the database the import benchmark filled). `demo`: the options the bench export was
 * made with, for its configuration (core team, bots), written beside the store and given with
 * `--config` as a user's steward.yaml would be.
 */
export async function runColdBench(
  benchDir: string,
  sqlitePath: string,
  pgLocation: string | undefined,
  demo: DemoOptions,
  runs = Number(process.env.BENCH_COLD_RUNS ?? 5),
): Promise<void> {
  const configPath = join(benchDir, 'steward-bench.yaml');
  writeFileSync(configPath, demoConfigYaml(demo));
  const load = () =>
    process.platform === 'linux' ? (spawnSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).stdout.split(' ')[0] ?? '?') : '?';
  console.log(
    `cold: a fresh \`steward\` process per run, median of ${runs} (after one that fills the compile cache); warm: in one process`,
  );
  console.log(
    `${'steward --help'.padEnd(34)} ${fmt(cold(['--help'], runs))}   (target ≤ 200 ms; load ${load()}); --version ${fmt(cold(['--version'], runs))}`,
  );
  // BENCH_COLD_ENGINE: sqlite or postgresql to run one engine's half only.
  const only = process.env.BENCH_COLD_ENGINE?.toLowerCase();
  const engines: Array<[string, string, number]> = [];
  if (!only || only === 'sqlite') engines.push(['SQLite', sqlitePath, 500]);
  if (pgLocation && (!only || only === 'postgresql')) engines.push(['PostgreSQL', pgLocation, 700]);
  if (!pgLocation && only === 'postgresql') console.log('cold (PostgreSQL): no PostgreSQL location (STEWARD_BENCH_PG or STEWARD_TEST_PG)');
  for (const [name, location, target] of engines) {
    // Warm: fewer runs (BENCH_WARM_RUNS, default 3) — the slow reports (the overview, waits) take seconds each.
    const warmRuns = Number(process.env.BENCH_WARM_RUNS ?? 3);
    const plansPath = join(benchDir, `plans-${name.toLowerCase()}.txt`);
    const w = spawnSync(process.execPath, [fileURLToPath(import.meta.url), location, configPath, String(warmRuns), plansPath], {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    });
    const warm = w.status === 0 ? (JSON.parse(w.stdout.trim().split('\n').pop()!) as Record<string, Timing>) : {};
    if (w.status !== 0) console.log(`warm runs (${name}) failed: ${w.stderr.trim().split('\n').slice(-3).join(' ')}`);
    else console.log(`plans of each report's statements of 5 ms or more (${name}): ${plansPath}`);
    const common = ['--db', location, '--config', configPath];
    console.log(
      `${`steward db info (${name})`.padEnd(34)} cold ${fmt(cold(['db', 'info', ...common, '--format', 'json'], runs))}   (load ${load()})`,
    );
    for (const c of coldCases()) {
      const t = cold([...c.args, ...common, '--format', 'json'], runs);
      const met = t.error ? '' : t.medianMs <= target ? 'met' : 'missed';
      const scans = warm[c.label]?.fullScans;
      const plans = !scans ? '' : scans.length ? `; reads all of ${scans.join(', ')}` : '; by index';
      console.log(
        `${`${c.label} (${name})`.padEnd(34)} cold ${fmt(t).padStart(8)}, warm ${fmt(warm[c.label]).padStart(8)}   (target ≤ ${target} ms cold${met ? `: ${met}` : ''}; load ${load()}${plans})`,
      );
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] && process.argv[3]) {
  await warmChild(process.argv[2], process.argv[3], Number(process.argv[4] ?? 5), process.argv[5]);
}
