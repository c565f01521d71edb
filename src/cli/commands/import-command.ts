import { importFiles, type ImportSummary } from '../../ingest/import-files.js';
import { StewardError } from '../../model/errors.js';
import { loadHosts } from '../../store/queries/flow.js';
import { configFor, openStoreFor, type GlobalOptions, type Runtime } from '../context.js';
import { parseFormat } from '../options.js';

export interface ImportCommandOptions extends GlobalOptions {
  host?: string;
  format?: string;
  quiet?: boolean;
  /** Accept export files with no changes (`--allow-empty`); otherwise an empty file is an INPUT_FORMAT error. */
  allowEmpty?: boolean;
}

/**
 * The host the imported changes belong to: --host, else the only host in steward.yaml, else the
 * only host the store already holds (`stored`; null: not looked at yet), else "default" for a store
 * with none. REST exports do not name their host, so it has to come from outside the file; filing
 * them under "default" next to a stored host would give every account a second, unlinked copy.
 * Returns null when the answer depends on the store and `stored` is null.
 */
export function importHost(
  opt: { host?: string },
  hosts: ReadonlyArray<{ name: string; url: string }>,
  stored: ReadonlyArray<{ name: string; url: string | null }> | null,
): { name: string; url: string | null } | null {
  if (opt.host)
    return { name: opt.host, url: hosts.find((h) => h.name === opt.host)?.url ?? stored?.find((h) => h.name === opt.host)?.url ?? null };
  if (hosts.length === 1) return { name: hosts[0]!.name, url: hosts[0]!.url };
  if (hosts.length > 1) {
    throw new StewardError(
      'USAGE',
      `steward.yaml lists ${hosts.length} hosts (${hosts.map((h) => h.name).join(', ')}): say which one the files come from with --host`,
    );
  }
  if (stored === null) return null;
  if (stored.length === 1) return { name: stored[0]!.name, url: stored[0]!.url };
  if (stored.length > 1) {
    throw new StewardError(
      'USAGE',
      `the store holds changes of ${stored.length} hosts (${stored.map((h) => h.name).join(', ')}) and steward.yaml names none: say which one the files come from with --host`,
      {
        hint: 'Or list the host in steward.yaml (hosts: [{ name, url }]).',
      },
    );
  }
  return { name: 'default', url: null };
}

export function renderImportSummary(s: ImportSummary): string {
  const t = s.totals;
  const secs = s.durationMs / 1000;
  const lines = s.files.map((f) => {
    const base = `${f.path}: ${f.format ?? 'empty'}, ${f.changesRead} changes read — ${f.counts.new} new, ${f.counts.updated} updated, ${f.counts.unchanged} unchanged${f.counts.stale ? `, ${f.counts.stale} older than stored (kept the stored copy)` : ''}`;
    return [base, ...f.warnings.map((w) => `  warning: ${w}`)].join('\n');
  });
  lines.push(
    `Imported into host "${s.host}": ${t.new} new, ${t.updated} updated, ${t.unchanged} unchanged changes; ${t.accountsCreated} new accounts; ${t.votes} votes, ${t.messages} messages, ${t.builds} CI builds written; ${secs.toFixed(1)} s (${secs > 0 ? Math.round(t.changesRead / secs) : t.changesRead} changes/s).`,
  );
  if (s.stopped) {
    lines.push(
      `Stopped at ${s.stopped.path}: nothing from it was stored${s.stopped.filesNotImported.length > 1 ? `, and ${s.stopped.filesNotImported.length - 1} later file(s) were not read` : ''}. The store holds whole changes only; running the import again is safe.`,
    );
  }
  return lines.join('\n') + '\n';
}

export async function runImport(files: string[], o: ImportCommandOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  if (format === 'csv') throw new StewardError('USAGE', 'steward import prints its summary as text or json, not csv');
  if (files.length === 0) throw new StewardError('USAGE', 'give at least one export file to import');
  const { config } = await configFor(o, rt);
  // Decided before the store is opened when it can be, so a usage error creates no store.
  const early = importHost(o, config.hosts, null);
  const store = await openStoreFor(o, rt);
  try {
    const host = early ?? importHost(o, config.hosts, await loadHosts(store.db))!;
    let last = 0;
    const t0 = Date.now();
    const summary = await importFiles(
      store,
      files.map((f) => f),
      {
        host: host.name,
        hostUrl: host.url,
        allowEmpty: o.allowEmpty === true,
        onProgress: (n) => {
          if (o.quiet || !rt.isTty || Date.now() - last < 1000) return;
          last = Date.now();
          rt.stderr(`\r  ${n} changes read (${Math.round(n / Math.max(0.001, (Date.now() - t0) / 1000))}/s)…`);
        },
      },
    );
    if (rt.isTty && !o.quiet && last) rt.stderr('\r\x1b[K');
    if (format === 'json') {
      rt.stdout(
        JSON.stringify(
          {
            host: summary.host,
            files: summary.files,
            totals: summary.totals,
            durationMs: Math.round(summary.durationMs),
            stopped: summary.stopped && {
              path: summary.stopped.path,
              code: summary.stopped.error.code,
              message: summary.stopped.error.describe(),
              filesNotImported: summary.stopped.filesNotImported,
            },
          },
          null,
          2,
        ) + '\n',
      );
    } else if (!o.quiet || summary.stopped) {
      rt.stdout(renderImportSummary(summary));
    }
    if (summary.stopped) throw summary.stopped.error;
  } finally {
    await store.close();
  }
}
