/**
 * `steward bugs sync` and `steward bugs import`: Launchpad bugs into the store, loaded when one of
 * them runs (bugs-commands.ts defines the commands). docs/bugs.md describes them.
 */
import cliProgress from 'cli-progress';
import { importLaunchpadFiles, type LaunchpadSyncResult, type SeriesPageFile } from '../../ingest/launchpad-sync.js';
import { syncLaunchpadInWorker } from '../../ingest/launchpad-sync-thread.js';
import { StewardError } from '../../model/errors.js';
import type { HttpRetryEvent } from '../../sources/http/json-http-client.js';
import type { Store } from '../../store/engine.js';
import { listEmbargoedBugs } from '../../store/queries/security.js';
import { configFor, effectiveConfig, openStoreFor, storeLocation, type GlobalOptions, type Runtime } from '../context.js';
import { loadLaunchpadToken } from '../launchpad-credentials.js';
import { securityBoxFrom } from '../security-key.js';
import { parseFormat, parsePositiveInt, parseTime } from '../options.js';

export interface BugsSyncOptions extends GlobalOptions {
  project?: string[];
  url?: string;
  since?: string;
  full?: boolean;
  blueprints?: boolean;
  /** false: `--no-security-intake`. */
  securityIntake?: boolean;
  credentials?: string;
  pageSize?: string;
  timeout?: string;
  concurrency?: string;
  maxRetries?: string;
  quiet?: boolean;
  format?: string;
}

export interface BugsImportOptions extends GlobalOptions {
  quiet?: boolean;
  format?: string;
  /** `--series NAME=FILE` (or FILE alone), repeated. */
  series?: string[];
}

/** `--series NAME=FILE` (FILE alone: the series its page's links name). */
export function parseSeriesPageOption(v: string): SeriesPageFile {
  const eq = v.indexOf('=');
  if (eq === 0 || eq === v.length - 1)
    throw new StewardError('USAGE', `--series takes NAME=FILE (or FILE alone), not ${JSON.stringify(v)}`);
  return eq < 0 ? { file: v, series: null } : { file: v.slice(eq + 1), series: v.slice(0, eq) };
}

function parseRetries(v: string): number {
  if (!/^\d+$/.test(v.trim())) throw new StewardError('USAGE', `--max-retries must be a whole number (0 or more), not "${v}"`);
  return Number(v);
}

function renderSync(r: LaunchpadSyncResult): string {
  const c = r.counts;
  return (
    [
      `${r.launchpad} ${r.project}: ${r.tasks} bug tasks, ${r.bugs} bugs, ${r.blueprints} blueprints in ${r.pages} page(s) — ${c.new} new, ${c.updated} updated, ${c.unchanged} unchanged`,
      `  ${r.resumed ? 'resumed an interrupted run; ' : ''}${r.after ? `bugs modified since ${r.after}` : 'all bugs'}; checkpoint now ${r.checkpoint ?? 'none'}; ${r.requests} requests, ${r.retries} retries; ${(r.durationMs / 1000).toFixed(1)} s`,
    ].join('\n') + '\n'
  );
}

/** `steward bugs sync`: bug tasks, bugs and blueprints from Launchpad's web service. */
export async function runBugsSync(o: BugsSyncOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  if (format === 'csv') throw new StewardError('USAGE', 'steward bugs sync prints its summary as text or json, not csv');
  const { config } = await configFor(o, rt);
  const url = o.url ?? config.bugs.launchpad?.url ?? 'https://api.launchpad.net/devel';
  const projects = o.project?.length ? o.project : (config.bugs.launchpad?.projects ?? []);
  if (!projects.length)
    throw new StewardError('CONFIG', 'no Launchpad project to sync', {
      field: 'bugs.launchpad.projects',
      hint: 'Name them in steward.yaml (bugs: { launchpad: { projects: [nova] } }) or with --project NAME.',
    });
  const since = o.since ? parseTime(o.since, '--since') : undefined;
  const pageSize = o.pageSize ? parsePositiveInt(o.pageSize, '--page-size', 1000) : undefined;
  const credentials = loadLaunchpadToken(o.credentials, rt.env);
  const client = {
    token: credentials?.token ?? null,
    concurrency: o.concurrency ? parsePositiveInt(o.concurrency, '--concurrency', 16) : 4,
    timeoutMs: o.timeout ? parsePositiveInt(o.timeout, '--timeout', 3600) * 1000 : 30_000,
    maxTotalRetries: o.maxRetries !== undefined ? parseRetries(o.maxRetries) : 30,
    maxRetriesPerRequest: o.maxRetries !== undefined ? Math.min(6, parseRetries(o.maxRetries)) : 6,
  };
  const onRetry = (e: HttpRetryEvent) => {
    if (!o.quiet) rt.stderr(`${rt.isTty ? '\n' : ''}retry ${e.attempt} in ${(e.delayMs / 1000).toFixed(1)} s: ${e.reason} (${e.url})\n`);
  };
  // Opened here to create and migrate it; each project's sync runs on a worker thread with a
  // connection of its own (ingest/launchpad-sync-thread.ts: a capped young generation, for the RSS).
  await (await openStoreFor(o, rt)).close();
  const location = storeLocation(o, rt);
  const results: LaunchpadSyncResult[] = [];
  let bar: cliProgress.SingleBar | null = null;
  try {
    for (const project of projects) {
      bar =
        rt.progressStream && !o.quiet
          ? new cliProgress.SingleBar(
              { stream: rt.progressStream, format: `${project} {kind}: [{bar}] {value}/{total}`, hideCursor: true, clearOnComplete: true },
              cliProgress.Presets.shades_classic,
            )
          : null;
      bar?.start(0, 0, { kind: 'tasks' });
      const r = await syncLaunchpadInWorker(
        { location, target: { url, project }, client, since, full: o.full, pageSize, blueprints: o.blueprints !== false },
        {
          onRetry,
          onPage: (p) => {
            if (bar) {
              bar.setTotal(p.total ?? p.soFar);
              bar.update(p.soFar, { kind: p.kind });
            } else if (!o.quiet && format !== 'json') {
              rt.stderr(
                `${project}: page of ${p.entries} ${p.kind} stored, ${p.soFar}${p.total !== null ? ` of ${p.total}` : ''} so far\n`,
              );
            }
          },
        },
      );
      bar?.stop();
      bar = null;
      results.push(r);
      if (format !== 'json' && !o.quiet) rt.stdout(renderSync(r));
    }
    if (o.securityIntake !== false) {
      const store = await openStoreFor(o, rt);
      const line = await securityIntakeAfterSync(o, rt, store).finally(() => store.close());
      // The JSON summary stays the list of projects' results: the intake's line goes to stderr then.
      if (line && !o.quiet) (format === 'json' ? rt.stderr : rt.stdout)(line);
    }
  } finally {
    (bar as cliProgress.SingleBar | null)?.stop();
  }
  if (format === 'json') rt.stdout(JSON.stringify(results, null, 2) + '\n');
}

/**
 * After a sync, the embargoed bugs (Private Security, Embargoed: they arrive only with a token that
 * may see them) go into the security tracker, as `steward security intake` does it as the system
 * (docs/security.md, "Intake from Launchpad"): an embargo counts from the bug's report, so they
 * should not wait for another command. The tracker's texts are sealed with its key; without the key
 * in the environment nothing is taken in and the line says how to do it. Nothing when the store
 * holds no embargoed bug. Returns the line to print, or null.
 */
async function securityIntakeAfterSync(o: BugsSyncOptions, rt: Runtime, store: Store): Promise<string | null> {
  const embargoed = (await listEmbargoedBugs(store.db)).length;
  if (embargoed === 0) return null;
  const box = securityBoxFrom(rt.env as Record<string, string | undefined>);
  if (!box)
    return `security intake: ${embargoed} embargoed bug(s) in the store, not taken into the security tracker here: STEWARD_SECURITY_KEY (or _FILE) is not set; run \`steward security intake\` with the tracker's key\n`;
  const config = await effectiveConfig(o, rt, store);
  // Loaded only when there is something to take in (the tracker's service is not every sync's start).
  const { intakeSecurityBugs } = await import('../../service/security-service.js');
  const r = await intakeSecurityBugs(
    { store, box, clock: rt.clock, rules: config.config.security, ip: null },
    null,
    config.config.people.same,
  );
  return `security intake: ${r.bugs} embargoed bug(s) in the store, ${r.created.length} taken into the security tracker now, ${r.alreadyTracked} already tracked\n`;
}

/** `steward bugs import FILE…`: saved Launchpad pages into the store. */
export async function runBugsImport(files: string[], o: BugsImportOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  if (format === 'csv') throw new StewardError('USAGE', 'steward bugs import prints its summary as text or json, not csv');
  const series = (o.series ?? []).map(parseSeriesPageOption);
  if (!files.length && !series.length) throw new StewardError('USAGE', 'steward bugs import needs FILE… or --series NAME=FILE');
  const store = await openStoreFor(o, rt);
  try {
    const r = await importLaunchpadFiles(store, files, {
      series,
      onFile: (file, entries) => {
        if (!o.quiet && format !== 'json') rt.stderr(`${file}: ${entries} entries\n`);
      },
    });
    if (format === 'json') rt.stdout(JSON.stringify(r, null, 2) + '\n');
    else if (!o.quiet)
      rt.stdout(
        `${r.files} file(s): ${r.tasks} bug tasks, ${r.bugs} bugs, ${r.blueprints} blueprints — ${r.counts.new} new, ${r.counts.updated} updated, ${r.counts.unchanged} unchanged\n`,
      );
  } finally {
    await store.close();
  }
}
