import cliProgress from 'cli-progress';
import { StewardError } from '../../model/errors.js';
import { GerritClient } from '../../sources/gerrit/rest-client.js';
import type { Store } from '../../store/engine.js';
import { loadCredentials } from '../credentials.js';
import { configFor, openStoreFor, type GlobalOptions, type Runtime } from '../context.js';
import { parseFormat, parsePositiveInt, parseTime } from '../options.js';
import { syncProject, type SyncResult, type SyncTarget } from '../sync/gerrit-sync.js';
import { parseDuration, schedule } from '../sync/schedule.js';
import type { StewardConfig } from '../../config/config-schema.js';

export interface SyncCommandOptions extends GlobalOptions {
  host?: string;
  project?: string[];
  since?: string;
  full?: boolean;
  credentials?: string;
  pageSize?: string;
  timeout?: string;
  concurrency?: string;
  every?: string;
  maxRetries?: string;
  quiet?: boolean;
  format?: string;
}

/** Which host/project pairs to sync: from steward.yaml, narrowed by --host and --project. */
export function syncTargets(config: StewardConfig, o: { host?: string; project?: string[] }): SyncTarget[] {
  if (config.hosts.length === 0) {
    throw new StewardError('CONFIG', 'steward.yaml lists no Gerrit hosts to sync from', {
      hint: 'Add a host, e.g.\n  hosts:\n    - name: review.opendev.org\n      url: https://review.opendev.org\n  projects:\n    - name: openstack/nova',
    });
  }
  const hosts = o.host ? config.hosts.filter((h) => h.name === o.host) : config.hosts;
  if (o.host && hosts.length === 0) throw new StewardError('USAGE', `--host ${o.host} is not in steward.yaml (hosts: ${config.hosts.map((h) => h.name).join(', ')})`);
  const hostOf = (p: { host?: string }) => {
    if (p.host) return config.hosts.find((h) => h.name === p.host);
    return config.hosts.length === 1 ? config.hosts[0] : undefined;
  };
  const targets: SyncTarget[] = [];
  if (o.project?.length) {
    for (const name of o.project) {
      const configured = config.projects.find((p) => p.name === name);
      const host = configured ? hostOf(configured) : hosts.length === 1 ? hosts[0] : undefined;
      if (!host) throw new StewardError('USAGE', `say which host ${name} is on: --host NAME, or add it under projects in steward.yaml`);
      targets.push({ host, project: name, coreGroup: configured?.core?.group });
    }
    return targets;
  }
  for (const p of config.projects) {
    const host = hostOf(p);
    if (!host) throw new StewardError('CONFIG', `project ${p.name} names no host and steward.yaml lists several`, { field: 'projects[].host' });
    if (hosts.includes(host)) targets.push({ host, project: p.name, coreGroup: p.core?.group });
  }
  if (targets.length === 0) throw new StewardError('CONFIG', 'steward.yaml lists no projects to sync', { hint: 'Add projects: [{name: ...}] or pass --project NAME.' });
  return targets;
}

function parseRetries(v: string): number {
  if (!/^\d+$/.test(v.trim())) throw new StewardError('USAGE', `--max-retries must be a whole number (0 or more), not "${v}"`);
  return Number(v);
}

function renderResult(r: SyncResult, requests: number, retries: number): string {
  const c = r.counts;
  const parts = [
    `${r.host} ${r.project}: ${r.changesFetched} changes fetched in ${r.pages} page(s) — ${c.new} new, ${c.updated} updated, ${c.unchanged} unchanged`,
    `  ${r.resumed ? 'resumed an interrupted run; ' : ''}${r.after ? `changes updated after ${r.after}` : 'all changes'}; checkpoint now ${r.checkpoint ?? 'none'}; ${requests} requests, ${retries} retries; ${(r.durationMs / 1000).toFixed(1)} s`,
  ];
  if (r.coreGroup) parts.push(`  core group ${r.coreGroup.name}: ${r.coreGroup.members} members${r.coreGroup.changed ? ' (changed: new snapshot recorded)' : ' (unchanged)'}`);
  return parts.join('\n') + '\n';
}

/** One sync of every target (also the server's scheduled sync, `steward serve --sync-every`). */
export async function syncOnce(store: Store, targets: SyncTarget[], o: SyncCommandOptions, rt: Runtime, format: 'text' | 'json' | 'csv'): Promise<void> {
  const results: Array<SyncResult & { requests: number; retries: number }> = [];
  for (const target of targets) {
    const machine = new URL(target.host.url).hostname;
    const creds = loadCredentials(machine, o.credentials, rt.env);
    const client = new GerritClient({
      baseUrl: target.host.url,
      auth: creds ? { username: creds.username, password: creds.password } : undefined,
      // The client cannot know where Steward reads credentials from; without this the user is not told how to give them.
      authHint:
        'Set STEWARD_GERRIT_USERNAME and STEWARD_GERRIT_PASSWORD (a Gerrit HTTP password: Settings → HTTP Credentials), ' +
        `or put "machine ${machine} login USER password HTTP-PASSWORD" in a file with mode 0600 named by --credentials or STEWARD_CREDENTIALS.`,
      concurrency: o.concurrency ? parsePositiveInt(o.concurrency, '--concurrency', 16) : 2,
      timeoutMs: o.timeout ? parsePositiveInt(o.timeout, '--timeout', 3600) * 1000 : 30_000,
      maxTotalRetries: o.maxRetries !== undefined ? parseRetries(o.maxRetries) : 30,
      maxRetriesPerRequest: o.maxRetries !== undefined ? Math.min(6, parseRetries(o.maxRetries)) : 6,
      onRetry: (e) => {
        if (!o.quiet) rt.stderr(`${rt.isTty ? '\n' : ''}retry ${e.attempt} in ${(e.delayMs / 1000).toFixed(1)} s: ${e.reason} (${e.url})\n`);
      },
    });
    const bar = rt.progressStream && !o.quiet
      ? new cliProgress.SingleBar({ stream: rt.progressStream, format: `${target.project}: {value} changes fetched, {speed} changes/s`, hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic)
      : null;
    const started = rt.clock();
    bar?.start(0, 0, { speed: 0 });
    try {
      const r = await syncProject(store, target, {
        client,
        clock: rt.clock,
        since: o.since ? parseTime(o.since, '--since') : undefined,
        full: o.full,
        pageSize: o.pageSize ? parsePositiveInt(o.pageSize, '--page-size', 10_000) : undefined,
        onPage: ({ totalSoFar, changes }) => {
          const speed = Math.round(totalSoFar / Math.max(0.001, (rt.clock() - started) / 1000));
          if (bar) {
            bar.setTotal(totalSoFar);
            bar.update(totalSoFar, { speed });
          } else if (!o.quiet && format !== 'json') {
            rt.stderr(`${target.host.name} ${target.project}: page of ${changes} stored, ${totalSoFar} changes so far (${speed}/s)\n`);
          }
        },
      });
      bar?.stop();
      results.push({ ...r, requests: client.stats.requests, retries: client.stats.retries });
      if (format !== 'json' && !o.quiet) rt.stdout(renderResult(r, client.stats.requests, client.stats.retries));
    } catch (e) {
      bar?.stop();
      throw e;
    }
  }
  if (format === 'json') {
    rt.stdout(JSON.stringify(results.map((r) => ({
      host: r.host,
      project: r.project,
      resumed: r.resumed,
      after: r.after,
      new: r.counts.new,
      updated: r.counts.updated,
      unchanged: r.counts.unchanged,
      changesFetched: r.changesFetched,
      pages: r.pages,
      requests: r.requests,
      retries: r.retries,
      checkpoint: r.checkpoint,
      coreGroup: r.coreGroup,
      durationMs: r.durationMs,
    })), null, 2) + '\n');
  }
}

export async function runSync(o: SyncCommandOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  if (format === 'csv') throw new StewardError('USAGE', 'steward sync prints its summary as text or json, not csv');
  const { config } = configFor(o, rt);
  const targets = syncTargets(config, o);
  const store = await openStoreFor(o, rt);
  try {
    if (!o.every) {
      await syncOnce(store, targets, o, rt, format);
      return;
    }
    const every = parseDuration(o.every, '--every');
    const s = schedule(every, () => syncOnce(store, targets, o, rt, format), {
      clock: rt.clock,
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (t) => clearTimeout(t as NodeJS.Timeout),
      onError: (e) => rt.stderr(`steward: sync failed: ${e instanceof StewardError ? e.describe() : String(e)}\n`),
    });
    const stop = () => s.stop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    await s.stopped;
  } finally {
    await store.close();
  }
}
