/**
 * A cache of validated configurations (issue 20: "fast as a command"). Every report reads
 * steward.yaml; parsing the YAML and validating it against the schema, in code a fresh process has
 * not optimised yet, was about 15% of a report's start, and importing the YAML library and building
 * the schema came on top. The validated result is kept, v8-serialised, in the user's cache folder
 * (beside Node's compile cache; `bin/steward.js`), and a later run that finds the same text takes it
 * from there without importing the loader, the YAML library or the schema.
 *
 * An entry is used only when everything that made it is unchanged:
 * - the configuration's text (its SHA-256: the file is read every time, it is a few kilobytes), and
 *   the text of every file it names (`teams[].reviewstats`), each read again and compared;
 * - the place it came from (the file's path, or what stood in for it);
 * - the build: Node's version and the size and modification time of the compiled schema and loader
 *   (`npm run build` rewrites them; a new YAML library comes with a build);
 * - this file's format number.
 * Anything else — no entry, an entry of another build, a file that cannot be read, an entry that
 * does not deserialise — is a miss: the loader runs as before (and says what is wrong with a
 * broken file; errors are never cached) and the entry is written again.
 *
 * The configuration holds no secrets (config-schema.ts: credentials come from the environment or
 * a credentials file), so an entry holds nothing the file does not; entries are still written
 * 0600 in a 0700 folder (and one that another user owns, or others can write, is not read), one per configuration location, replaced atomically (rename), at most
 * MAX_ENTRIES of them (the least recently written go first).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import type { StewardConfig } from './config-schema.js';
import type { ConfigFileReader, LoadedConfig } from './load-config.js';

/** Bumped when an entry's layout or meaning changes. */
const FORMAT = 1;

/** Entries kept: on a write beyond this, the least recently written go (tests make one per temporary file). */
export const MAX_ENTRIES = 64;

/** A file the configuration named, as read when the entry was made. */
interface NamedFile {
  where: string;
  sha: string;
}

interface Entry {
  format: number;
  build: string;
  where: string;
  sha: string;
  named: NamedFile[];
  config: StewardConfig;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

let build: string | null | undefined;

/**
 * What identifies the code that validates a configuration: Node's version and the compiled schema
 * and loader beside this module (`.js` in dist/, `.ts` when run from the sources); null when they
 * cannot be found, and then nothing is cached.
 */
function buildId(): string | null {
  if (build !== undefined) return build;
  const parts = [process.version, String(FORMAT)];
  for (const name of ['config-schema', 'load-config']) {
    let found = false;
    for (const ext of ['.js', '.ts']) {
      try {
        const s = statSync(fileURLToPath(new URL(`./${name}${ext}`, import.meta.url)));
        parts.push(`${name}${ext}:${s.size}:${s.mtimeMs}`);
        found = true;
        break;
      } catch {
        // Not this extension.
      }
    }
    if (!found) return (build = null);
  }
  return (build = parts.join('|'));
}

function entryPath(dir: string, where: string): string {
  return join(dir, `${sha256(where).slice(0, 32)}.bin`);
}

function readEntry(dir: string, where: string, sha: string, id: string): StewardConfig | undefined {
  let entry: Entry;
  try {
    const file = entryPath(dir, where);
    // Only an entry this user wrote and nobody else can change: a planted one is not read.
    const st = statSync(file);
    if ((process.getuid && st.uid !== process.getuid()) || (st.mode & 0o022) !== 0) return undefined;
    entry = deserialize(readFileSync(file)) as Entry;
  } catch {
    return undefined;
  }
  if (entry?.format !== FORMAT || entry.build !== id || entry.where !== where || entry.sha !== sha) return undefined;
  for (const f of entry.named) {
    try {
      if (sha256(readFileSync(f.where, 'utf8')) !== f.sha) return undefined;
    } catch {
      return undefined;
    }
  }
  return entry.config;
}

function writeEntry(dir: string, entry: Entry): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = entryPath(dir, entry.where);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, serialize(entry), { mode: 0o600 });
    renameSync(tmp, file);
    const names = readdirSync(dir).filter((n) => n.endsWith('.bin'));
    if (names.length > MAX_ENTRIES) {
      const byAge = names.map((n) => ({ n, t: statSync(join(dir, n)).mtimeMs })).sort((a, b) => a.t - b.t);
      for (const { n } of byAge.slice(0, names.length - MAX_ENTRIES)) rmSync(join(dir, n), { force: true });
    }
  } catch {
    // A folder that cannot be written costs nothing but the cache.
  }
}

/**
 * The validated configuration of `text` (from `where`), from the cache in `dir` when it holds this
 * text for this build, else from `parse` (given a reader wrapper that records the files the text
 * names), which is then kept. `dir` null: no cache, `parse` runs.
 */
export async function parseConfigCached(
  dir: string | null | undefined,
  where: string,
  text: string,
  parse: (record: (reader: ConfigFileReader) => ConfigFileReader) => Promise<StewardConfig>,
): Promise<StewardConfig> {
  const id = dir ? buildId() : null;
  if (!dir || !id) return parse((r) => r);
  const sha = sha256(text);
  const hit = readEntry(dir, where, sha, id);
  if (hit) return hit;
  const named: NamedFile[] = [];
  const config = await parse((reader) => (relative) => {
    const f = reader(relative);
    named.push({ where: f.where, sha: sha256(f.text) });
    return f;
  });
  writeEntry(dir, { format: FORMAT, build: id, where, sha, named, config });
  return config;
}

/**
 * `loadConfig` (load-config.ts) through the cache in `dir`: the file at `path` when given, else
 * `./steward.yaml` when present, else the defaults. The loader is imported only on a miss, and
 * reads the file itself whenever it cannot be read here, so its messages are unchanged.
 */
export async function loadConfigCached(path: string | undefined, cwd: string, dir: string | null | undefined): Promise<LoadedConfig> {
  const candidate = path ?? `${cwd}/steward.yaml`;
  let text: string | undefined;
  let missing = false;
  try {
    text = readFileSync(candidate, 'utf8');
  } catch (e) {
    missing = (e as { code?: string }).code === 'ENOENT';
  }
  if (text === undefined) {
    if (path || !missing) return (await import('./load-config.js')).loadConfig(path, cwd);
    const config = await parseConfigCached(dir, '(defaults)', '', async () => (await import('./config-schema.js')).emptyConfig());
    return { config, path: null };
  }
  const config = await parseConfigCached(dir, candidate, text, async (record) => {
    const { parseConfig, relativeReader } = await import('./load-config.js');
    return parseConfig(text, candidate, record(relativeReader(candidate)));
  });
  return { config, path: candidate };
}
