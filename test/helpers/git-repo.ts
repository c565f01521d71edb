/**
 * Real temporary git repositories built commit by commit, for code-history tests. Commits are made
 * with `git commit-tree` on the empty tree, so any graph (merges, fast-forwards, tags merged in,
 * rewritten branches) takes one line per commit, with chosen authors, committers and dates.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CommitSpec {
  message: string;
  parents?: string[];
  author?: string;
  /** Committer name; Gerrit's merges are 'Gerrit Code Review'. Default: the author. */
  committer?: string;
  /** ISO time of the commit (author and committer); default: one hour after the previous commit. */
  at?: string;
  /** Author time when it differs from the commit time. */
  authoredAt?: string;
}

export class TempRepo {
  readonly dir: string;
  private tree: string;
  private clock = Date.parse('2015-01-01T00:00:00Z');

  private constructor(dir: string) {
    this.dir = dir;
    this.git(['init', '-q', '-b', 'master']);
    this.tree = this.git(['mktree'], '');
  }

  static create(prefix = 'steward-git-'): TempRepo {
    return new TempRepo(mkdtempSync(join(tmpdir(), prefix)));
  }

  git(args: string[], input?: string, env: Record<string, string> = {}): string {
    return execFileSync('git', ['-C', this.dir, ...args], {
      input,
      env: { PATH: process.env.PATH, HOME: this.dir, GIT_CONFIG_NOSYSTEM: '1', ...env },
      encoding: 'utf8',
    }).trim();
  }

  /** Makes a commit (no branch moves) and returns its hash. */
  commit(spec: CommitSpec): string {
    const at = spec.at ? Date.parse(spec.at) : (this.clock += 3_600_000);
    this.clock = Math.max(this.clock, at);
    const author = spec.author ?? 'Dev One';
    const committer = spec.committer ?? author;
    const email = (n: string) => `${n.toLowerCase().replace(/[^a-z]+/g, '.')}@example.org`;
    const date = (ms: number) => `${Math.floor(ms / 1000)} +0000`;
    const args = ['commit-tree', this.tree];
    for (const p of spec.parents ?? []) args.push('-p', p);
    return this.git([...args, '-F', '-'], spec.message, {
      GIT_AUTHOR_NAME: author,
      GIT_AUTHOR_EMAIL: email(author),
      GIT_AUTHOR_DATE: date(spec.authoredAt ? Date.parse(spec.authoredAt) : at),
      GIT_COMMITTER_NAME: committer,
      GIT_COMMITTER_EMAIL: email(committer),
      GIT_COMMITTER_DATE: date(at),
    });
  }

  /** A Gerrit landing merge of `change` onto `tip`, as Zuul/Jenkins made them. */
  gerritMerge(tip: string, change: string, subject: string, at?: string): string {
    return this.commit({ message: `Merge "${subject}"`, parents: [tip, change], author: 'Zuul', committer: 'Gerrit Code Review', at });
  }

  /** Points `branch` at `sha` (creating or moving it, fast-forward or not). */
  setBranch(sha: string, branch = 'master'): void {
    this.git(['update-ref', `refs/heads/${branch}`, sha]);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
