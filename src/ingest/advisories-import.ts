/**
 * The advisory import (`steward security advisories import DIR|FILE…`): advisory YAML files
 * (sources/advisories/advisory-yaml.ts) → records → store, in one transaction. Every file is read
 * and checked before the store is written, so one bad file stores nothing. A directory gives its
 * `*.yaml` and `*.yml` files (not its sub-directories: the OSSA repository keeps them in `ossa/`).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { AdvisoryRecord } from '../model/advisories.js';
import { StewardError } from '../model/errors.js';
import { parseAdvisory, type ParseAdvisoryOptions } from '../sources/advisories/advisory-yaml.js';
import { storeAdvisories } from '../store/advisories-store.js';
import type { Store } from '../store/engine.js';
import { countAdvisories, listBugFixCommits } from '../store/queries/advisories.js';

/** What `steward security advisories import --format json` prints. */
export interface AdvisoryImportSummary {
  files: number;
  added: number;
  replaced: number;
  /** Advisories in the store after the import. */
  stored: number;
  /** Of the imported advisories: how many have a Launchpad bug, and how many of those link to a fixing commit of the code history. */
  withBugs: number;
  linkedToCommits: number;
  /** From reading the first file to the linking counted. */
  durationMs: number;
}

function unreadable(path: string, e: unknown): StewardError {
  const code = (e as NodeJS.ErrnoException).code;
  return new StewardError(
    'INPUT_UNREADABLE',
    code === 'ENOENT' ? 'no such file or directory' : `cannot read it (${code ?? String(e)})`,
    { where: path, hint: 'Give advisory YAML files or the directory holding them (the OSSA repository keeps them in ossa/).' },
    { cause: e },
  );
}

/** The advisory files `paths` name: files as given, directories' `*.yaml`/`*.yml` in name order. */
export function advisoryFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch (e) {
      throw unreadable(p, e);
    }
    if (!isDir) {
      out.push(p);
      continue;
    }
    const names = readdirSync(p)
      .filter((n) => /\.ya?ml$/i.test(n))
      .sort();
    if (names.length === 0)
      throw new StewardError('INPUT_FORMAT', 'holds no advisory files (*.yaml)', {
        where: p,
        hint: 'The OSSA repository keeps its advisories in ossa/: give that directory.',
      });
    for (const n of names) out.push(join(p, n));
  }
  return out;
}

/**
 * Reads and parses every file; the first bad file throws (naming file, line and field). Two files
 * with the same advisory id are refused.
 */
export function readAdvisories(paths: readonly string[], options: ParseAdvisoryOptions = {}): AdvisoryRecord[] {
  const seen = new Map<string, string>();
  return advisoryFiles(paths).map((file) => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw unreadable(file, e);
    }
    const rec = parseAdvisory(text, file, options);
    const other = seen.get(rec.advisory.id);
    if (other !== undefined)
      throw new StewardError('INPUT_FORMAT', `advisory ${rec.advisory.id} is also in ${other}`, {
        where: file,
        field: 'id',
        hint: 'Give each advisory once.',
      });
    seen.set(rec.advisory.id, file);
    return rec;
  });
}

/**
 * Stores `records` (one transaction) and says how many link to fixing commits of the stored code
 * history. `started` (default: now) is when the import began, reading the files included.
 */
export async function importAdvisories(
  store: Store,
  records: readonly AdvisoryRecord[],
  files: number,
  clock: () => number,
  started = clock(),
): Promise<AdvisoryImportSummary> {
  const { added, replaced } = await storeAdvisories(store, records, clock());
  const bugsOf = (r: AdvisoryRecord): string[] =>
    r.facts.bugs.filter((b) => b.tracker === 'launchpad' && b.bug !== null).map((b) => b.bug!);
  const fixed = new Set((await listBugFixCommits(store.db, records.flatMap(bugsOf))).map((c) => c.bug));
  const withBugs = records.filter((r) => bugsOf(r).length > 0);
  return {
    files,
    added,
    replaced,
    stored: await countAdvisories(store.db),
    withBugs: withBugs.length,
    linkedToCommits: withBugs.filter((r) => bugsOf(r).some((b) => fixed.has(b))).length,
    durationMs: clock() - started,
  };
}
