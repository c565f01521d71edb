/**
 * Runs `git` on a local repository: checks that a path is a repository and a branch exists, and
 * streams machine-readable `git log` output as records (parsed by git-log-parser.ts). Every failure
 * is a StewardError naming the repository path.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { StewardError } from '../../model/errors.js';
import { RecordSplitter } from './git-log-parser.js';

/** Options every git call gets: no pager, no prompts, raw UTF-8 output, no signature checks. */
const GIT_OPTIONS = ['-c', 'core.quotepath=off', '-c', 'log.showSignature=false', '-c', 'i18n.logOutputEncoding=UTF-8', '--no-pager'];

function gitEnv(): NodeJS.ProcessEnv {
  // What git needs to find itself and the user's configuration (safe.directory lives there), and
  // nothing that redirects it (GIT_DIR, GIT_WORK_TREE); LC_ALL=C keeps its messages in one language.
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' };
  if (process.env.XDG_CONFIG_HOME) env.XDG_CONFIG_HOME = process.env.XDG_CONFIG_HOME;
  return env;
}

interface GitRun {
  code: number;
  stdout: string;
  stderr: string;
}

function notRunnable(repo: string, e: unknown): StewardError {
  const code = (e as { code?: string }).code;
  return new StewardError(
    'GIT_REPOSITORY',
    code === 'ENOENT' ? 'cannot run `git`: it is not installed or not on PATH' : `cannot run \`git\`: ${(e as Error).message}`,
    {
      where: repo,
      hint: 'Install git (2.20 or newer) and make sure it is on PATH.',
    },
    { cause: e },
  );
}

/** Runs git in `repo` and collects its output (for small outputs only). */
function runGit(repo: string, args: readonly string[], input?: string): Promise<GitRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('git', [...GIT_OPTIONS, '-C', repo, ...args], { env: gitEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(notRunnable(repo, e)));
    child.on('close', (code) =>
      resolvePromise({ code: code ?? 1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
    );
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}

function firstLine(s: string): string {
  return s.trim().split('\n')[0] ?? '';
}

export interface ResolvedRepository {
  /** The path as given, made absolute: a repository, or a bundle file. */
  path: string;
  /** Where git runs: `path`, or the temporary clone of a bundle. */
  gitPath: string;
  /** The repository's git directory (absolute). */
  gitDir: string;
  /** Whether `path` is a bundle file (cloned into a temporary repository). */
  bundle: boolean;
  /** Name to store it under by default: the working tree's directory name, a bare repository's or a bundle's without `.git`/`.bundle`. */
  defaultName: string;
  /** The branch synced (as given, or the one HEAD points to). */
  branch: string;
  /** The branch's tip commit hash. */
  tip: string;
  /** Removes the temporary clone of a bundle (nothing for a repository). Call when done. */
  cleanup(): void;
}

const REPO_HINT =
  'Give the path of a local git clone or a git bundle file (e.g. `git clone https://opendev.org/openstack/nova`) with --repo or steward.yaml `git.repo`.';

/**
 * Checks that `path` is a git repository (a working tree or a bare repository) or a git bundle
 * file, and that `branch` (default: the branch HEAD points to) names a commit there; returns where
 * things are. A bundle is cloned (bare) into a temporary directory that `cleanup()` removes.
 * Throws GIT_REPOSITORY naming the path otherwise.
 */
export async function resolveRepository(path: string, branch: string | undefined): Promise<ResolvedRepository> {
  const abs = resolve(path);
  let isDir = false;
  try {
    isDir = statSync(abs).isDirectory();
  } catch {
    throw new StewardError('GIT_REPOSITORY', 'no such file or directory', { where: abs, hint: REPO_HINT });
  }
  if (isDir) return inspect(abs, abs, branch, false, () => undefined);

  const heads = await runGit(dirname(abs), ['bundle', 'list-heads', abs]);
  if (heads.code !== 0) {
    throw new StewardError(
      'GIT_REPOSITORY',
      `not a git repository or bundle: a file git cannot read as a bundle (git says: ${firstLine(heads.stderr)})`,
      { where: abs, hint: REPO_HINT },
    );
  }
  const tmp = mkdtempSync(join(tmpdir(), 'steward-bundle-'));
  const cleanup = (): void => rmSync(tmp, { recursive: true, force: true });
  try {
    const clone = join(tmp, 'repository.git');
    const r = await runGit(tmp, ['clone', '--quiet', '--bare', abs, clone]);
    if (r.code !== 0)
      throw new StewardError('GIT_REPOSITORY', `cannot clone the bundle (git says: ${firstLine(r.stderr)})`, {
        where: abs,
        hint: 'Check the bundle with `git bundle verify` inside a clone of its repository.',
      });
    return await inspect(abs, clone, branch, true, cleanup);
  } catch (e) {
    cleanup();
    throw e;
  }
}

async function inspect(
  abs: string,
  gitPath: string,
  branch: string | undefined,
  bundle: boolean,
  cleanup: () => void,
): Promise<ResolvedRepository> {
  const top = await runGit(gitPath, ['rev-parse', '--absolute-git-dir', '--is-bare-repository']);
  if (top.code !== 0) {
    if (/dubious ownership/.test(top.stderr)) {
      throw new StewardError(
        'GIT_REPOSITORY',
        'git refuses to read this repository: it belongs to another user (git says: detected dubious ownership)',
        {
          where: abs,
          hint: `If you trust it: git config --global --add safe.directory ${abs}`,
        },
      );
    }
    throw new StewardError('GIT_REPOSITORY', `not a git repository (git says: ${firstLine(top.stderr)})`, { where: abs, hint: REPO_HINT });
  }
  const [gitDir = '', bare = 'false'] = top.stdout.split('\n');
  const toplevel = bare === 'true' ? '' : (await runGit(gitPath, ['rev-parse', '--show-toplevel'])).stdout.trim();
  const base = bundle ? basename(abs) : bare === 'true' ? basename(gitDir) : basename(toplevel || dirname(gitDir));
  const defaultName = base.replace(/\.(git|bundle)$/, '') || 'repository';

  let name = branch;
  if (name === undefined || name === '') {
    const head = await runGit(gitPath, ['symbolic-ref', '--quiet', '--short', 'HEAD']);
    if (head.code !== 0) {
      throw new StewardError('GIT_REPOSITORY', 'HEAD is not on a branch (detached), so there is no default branch to sync', {
        where: abs,
        hint: 'Name the branch with --branch or steward.yaml `git.branch`.',
      });
    }
    name = head.stdout.trim();
  }
  if (name.startsWith('-')) throw new StewardError('GIT_REPOSITORY', `"${name}" is not a branch name`, { where: abs });
  const rev = await runGit(gitPath, ['rev-parse', '--verify', '--quiet', `${name}^{commit}`]);
  if (rev.code !== 0) {
    const list = await runGit(gitPath, ['for-each-ref', '--format=%(refname:short)', 'refs/heads', 'refs/remotes']);
    const known = list.stdout.split('\n').filter(Boolean);
    throw new StewardError('GIT_REPOSITORY', `no branch "${name}" in this ${bundle ? 'bundle' : 'repository'}`, {
      where: abs,
      hint: known.length
        ? `Branches: ${known.slice(0, 20).join(', ')}${known.length > 20 ? ', …' : ''}.`
        : 'The repository has no branches: is it empty?',
    });
  }
  return { path: abs, gitPath, gitDir, bundle, defaultName, branch: name, tip: rev.stdout.trim(), cleanup };
}

/**
 * Streams the records (see git-log-parser.ts) git writes for `args`, with backpressure: git waits
 * while the consumer is busy. `input` goes to git's standard input (for `--stdin`). Throws
 * GIT_REPOSITORY when git fails or its output ends in the middle of a record.
 */
export async function* gitRecords(repo: string, args: readonly string[], input?: string): AsyncGenerator<string> {
  const child = spawn('git', [...GIT_OPTIONS, '-C', repo, ...args], { env: gitEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  const err: Buffer[] = [];
  child.stderr.on('data', (b: Buffer) => err.push(b));
  let spawnError: unknown = null;
  const closed = new Promise<number>((resolveClose) => {
    child.on('error', (e) => {
      spawnError = e;
      resolveClose(-1);
    });
    child.on('close', (code) => resolveClose(code ?? 1));
  });
  child.stdin.on('error', () => undefined);
  child.stdin.end(input ?? '');
  const splitter = new RecordSplitter();
  let finished = false;
  try {
    for await (const chunk of child.stdout) {
      for (const r of splitter.push(chunk as Buffer)) yield r;
    }
    finished = true;
  } finally {
    // A consumer that stops early (an error while storing) must not leave git running.
    if (!finished && child.exitCode === null) child.kill();
  }
  const code = await closed;
  if (spawnError) throw notRunnable(repo, spawnError);
  if (code !== 0) {
    throw new StewardError(
      'GIT_REPOSITORY',
      `\`git ${args[0]}\` failed (exit ${code}): ${firstLine(Buffer.concat(err).toString('utf8'))}`,
      { where: repo },
    );
  }
  const rest = splitter.rest();
  if (rest.trim() !== '')
    throw new StewardError('GIT_REPOSITORY', `\`git ${args[0]}\` output ended in the middle of a commit record`, { where: repo });
}
