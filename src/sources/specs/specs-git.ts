/**
 * The git side of reading a specs repository: runs `git` and hands its output to the pure parsers
 * (spec-history.ts, rst-spec.ts). Nothing here interprets specs.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { StewardError } from '../../model/errors.js';

function git(repo: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', ['-C', repo, ...args], { maxBuffer: 1 << 30, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(Object.assign(err, { stderr }));
      else resolve(stdout);
    });
  });
}

/**
 * Checks that `repo` is a git repository with at least one commit and returns its HEAD commit and
 * time. A missing path, a file, or a directory that is not a repository is a clear error naming it.
 */
export async function gitHead(repo: string): Promise<{ head: string; at: number }> {
  if (!existsSync(repo))
    throw new StewardError('GIT_REPOSITORY', 'the specs repository does not exist', {
      where: repo,
      hint: 'Give the path of a local clone of the specs repository: --repo PATH or specs.repo in steward.yaml.',
    });
  if (!statSync(repo).isDirectory())
    throw new StewardError('GIT_REPOSITORY', 'the specs repository path is a file, not a git repository', {
      where: repo,
      hint: 'Give the directory of a git clone (for a bundle: git clone FILE.bundle DIR).',
    });
  let top: string;
  try {
    top = (await git(repo, ['rev-parse', '--git-dir'])).trim();
  } catch (e) {
    throw new StewardError(
      'GIT_REPOSITORY',
      'not a git repository',
      { where: repo, hint: 'Give the directory of a git clone of the specs repository (git clone URL DIR).' },
      { cause: e },
    );
  }
  if (!top) throw new StewardError('GIT_REPOSITORY', 'not a git repository', { where: repo });
  try {
    const [head, ct] = (await git(repo, ['log', '-1', '--format=%H %ct', 'HEAD'])).trim().split(' ');
    return { head: head!, at: Number(ct) * 1000 };
  } catch (e) {
    throw new StewardError(
      'GIT_REPOSITORY',
      'the git repository has no commits',
      { where: repo, hint: 'Clone the specs repository with its history.' },
      { cause: e },
    );
  }
}

/** The main line's history with file changes (renames detected), oldest first; see parseNameStatusLog. */
export function gitMainLineLog(repo: string): Promise<string> {
  return git(repo, [
    '-c',
    'core.quotePath=false',
    'log',
    '--first-parent',
    '--diff-merges=first-parent',
    '--reverse',
    '-M',
    '--name-status',
    '-z',
    '--format=%x1e%H %ct %P',
    'HEAD',
  ]);
}

/** Every file path at HEAD. */
export async function gitListFiles(repo: string): Promise<string[]> {
  const out = await git(repo, ['-c', 'core.quotePath=false', 'ls-tree', '-r', '-z', '--name-only', 'HEAD']);
  return out.split('\0').filter(Boolean);
}

/**
 * Reads blobs by `REV:PATH` (one `git cat-file --batch` process for all); a missing object maps
 * to null.
 */
export function gitReadBlobs(repo: string, specs: readonly string[]): Promise<Map<string, Buffer | null>> {
  return new Promise((resolve, reject) => {
    const out = new Map<string, Buffer | null>();
    if (specs.length === 0) return resolve(out);
    const child = spawn('git', ['-C', repo, 'cat-file', '--batch'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => chunks.push(b));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`git cat-file exited with ${code}: ${stderr}`));
      const buf = Buffer.concat(chunks);
      let pos = 0;
      for (const spec of specs) {
        const nl = buf.indexOf(10, pos);
        if (nl < 0) break;
        const header = buf.subarray(pos, nl).toString();
        pos = nl + 1;
        if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
          out.set(spec, null);
          continue;
        }
        const size = Number(header.split(' ')[2]);
        out.set(spec, buf.subarray(pos, pos + size));
        pos += size + 1;
      }
      resolve(out);
    });
    // Paths with a newline cannot be asked for in batch mode; no specs repository has them.
    child.stdin.end(specs.map((s) => s.replace(/\n/g, '')).join('\n') + '\n');
  });
}
