/**
 * `steward git …`: code history. `git sync` reads a local clone's branch into the store (see
 * ingest/git-sync.ts); `git blueprint` lists the commits and changes that name blueprints.
 */
import { dirname, resolve } from 'node:path';
import { StewardError } from '../../model/errors.js';
import { DEFAULT_LANDING_COMMITTERS } from '../../sources/git/landing.js';
import { syncGitRepository, type GitSyncResult, type GitSyncTarget } from '../../ingest/git-sync.js';
import { buildBlueprintCodeView } from '../../service/blueprint-code-view.js';
import { configFor, openStoreFor, type GlobalOptions, type Runtime } from '../context.js';
import { parseFormat } from '../options.js';

export interface GitSyncCommandOptions extends GlobalOptions {
  repo?: string;
  branch?: string;
  name?: string;
  full?: boolean;
  /** Let a branch sharing less than half its commits with the stored history replace it (`--replace`). */
  replace?: boolean;
  quiet?: boolean;
  format?: string;
}

const n = (x: number): string => x.toLocaleString('en-US');

function renderGitSync(r: GitSyncResult): string {
  const head = `${r.repo} (${r.branch} at ${r.tip.slice(0, 12)}, ${r.path})`;
  if (r.upToDate) return `${head}: up to date, ${n(r.commits)} commits; ${(r.durationMs / 1000).toFixed(1)} s\n`;
  return (
    [
      `${head}: ${n(r.commits)} commits on the branch — ${n(r.added)} new, ${n(r.removed)} removed (no longer on the branch), ${n(r.relanded)} with a changed landing`,
      `  ${n(r.mainline)} on the main line; landed by a merge ${n(r.landedByMerge)}, directly (fast-forward or push) ${n(r.landedDirect)}; ${r.previousTip ? `previous tip ${r.previousTip.slice(0, 12)}` : 'first sync'}; ${(r.durationMs / 1000).toFixed(1)} s`,
    ].join('\n') + '\n'
  );
}

/** The repository to sync: --repo (relative to the current directory) else steward.yaml `git.repo` (relative to the file). */
export async function gitTarget(
  o: GitSyncCommandOptions,
  rt: Runtime,
): Promise<{ target: GitSyncTarget; landingCommitters: readonly string[] }> {
  const { config, path } = await configFor(o, rt);
  const g = config.git;
  if (o.repo) {
    return {
      target: { path: resolve(rt.cwd, o.repo), branch: o.branch ?? g?.branch, name: o.name ?? g?.name },
      landingCommitters: g?.landingCommitters ?? DEFAULT_LANDING_COMMITTERS,
    };
  }
  if (!g) {
    throw new StewardError('USAGE', 'no repository to sync: give --repo PATH or set `git.repo` in steward.yaml', {
      hint: 'E.g. `steward git sync --repo ../nova`, or in steward.yaml:\n  git:\n    repo: ../nova\n    branch: master',
    });
  }
  const base = path ? dirname(path) : rt.cwd;
  return {
    target: { path: resolve(base, g.repo), branch: o.branch ?? g.branch, name: o.name ?? g.name },
    landingCommitters: g.landingCommitters ?? DEFAULT_LANDING_COMMITTERS,
  };
}

/** `steward git sync`: read a local clone's branch into the store (incremental). */
export async function runGitSync(o: GitSyncCommandOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  if (format === 'csv') throw new StewardError('USAGE', 'steward git sync prints its summary as text or json, not csv');
  const { target, landingCommitters } = await gitTarget(o, rt);
  const store = await openStoreFor(o, rt);
  let result: GitSyncResult;
  try {
    let lastShown = 0;
    result = await syncGitRepository(store, target, {
      clock: rt.clock,
      rules: { landingCommitters },
      full: o.full,
      replace: o.replace === true,
      onProgress: (p) => {
        if (o.quiet || format === 'json' || !rt.progressStream) return;
        const now = rt.clock();
        if (now - lastShown < 500) return;
        lastShown = now;
        rt.progressStream.write(
          `\r${p.phase === 'graph' ? `reading the graph: ${n(p.count)} commits` : `storing: ${n(p.count)} of ${n(p.total)} commits`}   `,
        );
      },
    });
    if (rt.progressStream && !o.quiet && format !== 'json') rt.progressStream.write('\r\u001b[K');
  } finally {
    await store.close();
  }
  if (format === 'json') rt.stdout(JSON.stringify(result, null, 2) + '\n');
  else if (!o.quiet) rt.stdout(renderGitSync(result));
}

export interface GitBlueprintOptions extends GlobalOptions {
  /** Only commits of the repository stored under this name. */
  name?: string;
  project?: string[];
  format?: string;
}

/** `steward git blueprint NAME…`: the commits and Gerrit changes that name each blueprint. */
export async function runGitBlueprint(names: string[], o: GitBlueprintOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  if (format === 'csv') throw new StewardError('USAGE', 'steward git blueprint prints text or json, not csv');
  if (names.every((b) => b.trim() === '')) throw new StewardError('USAGE', 'give at least one blueprint name');
  const store = await openStoreFor(o, rt);
  try {
    const { blueprints } = await buildBlueprintCodeView(store, { blueprints: names, repo: o.name, project: o.project }, null, rt.clock());
    if (format === 'json') {
      rt.stdout(JSON.stringify({ blueprints }, null, 2) + '\n');
      return;
    }
    const lines: string[] = [];
    for (const b of blueprints) {
      lines.push(`blueprint ${b.blueprint}: ${b.commits.length} commit(s), ${b.changes.length} Gerrit change(s)`);
      for (const c of b.commits)
        lines.push(
          `  ${c.sha.slice(0, 12)} ${c.kind.padEnd(20)} landed ${c.landedAt.slice(0, 10)} (${c.landing === 'merge' ? `merge ${c.landedBy.slice(0, 12)}` : 'directly'})  ${c.subject}`,
        );
      for (const c of b.changes)
        lines.push(
          `  ${`${c.project}#${c.number}`.padEnd(12)} ${c.kind.padEnd(20)} ${c.status.padEnd(9)} created ${c.created.slice(0, 10)}${c.mergedAt ? `, merged ${c.mergedAt.slice(0, 10)}` : ''}${c.abandonedAt ? `, abandoned ${c.abandonedAt.slice(0, 10)}` : ''}  ${c.subject}`,
        );
    }
    rt.stdout(lines.join('\n') + '\n');
  } finally {
    await store.close();
  }
}
