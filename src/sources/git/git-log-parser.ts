/**
 * Parsing of `git log` output in Steward's machine-readable formats: fields separated by NUL, each
 * record ended by an ASCII record separator (0x1E). Pure: the runner (git-runner.ts) feeds bytes,
 * these functions turn them into records. Tested on recorded output (git-log-parser.test.ts).
 */
import type { GitCommit } from '../../model/git.js';
import { blueprintRefs } from '../links/blueprint-refs.js';
import { extractLinks } from '../links/links.js';

const RS = 0x1e;

/** `git log --format` of a full commit record: hash, parents, author, committer, raw message. */
export const COMMIT_FORMAT = 'tformat:%H%x00%P%x00%an%x00%ae%x00%at%x00%cn%x00%ce%x00%ct%x00%B%x00%x1e';

/** `git log --format` of the light record the landing computation needs: hash, parents, committer name, commit time, subject. */
export const GRAPH_FORMAT = 'tformat:%H%x00%P%x00%cn%x00%ct%x00%s%x00%x1e';

/** A commit as the landing computation sees it (analysis of the graph needs no message). */
export interface GraphCommit {
  sha: string;
  parents: string[];
  committerName: string;
  /** Epoch ms. */
  committedAt: number;
  subject: string;
}

/**
 * Splits a byte stream into records at the record end: a NUL then the record separator (the
 * formats end every record so). A message may contain the separator itself, never a NUL (git
 * refuses NUL bytes in messages), so the pair is unambiguous. Bytes are kept until a record is
 * complete, so a multi-byte UTF-8 character cut between chunks is decoded whole.
 */
export class RecordSplitter {
  private pending: Buffer[] = [];
  /** The last byte of the previous chunk (256: none yet). */
  private lastByte = 256;

  /** The records completed by `chunk` (without their final NUL and separator), decoded as UTF-8 (git's default log output encoding). */
  push(chunk: Buffer): string[] {
    const out: string[] = [];
    let start = 0;
    for (let i = chunk.indexOf(RS); i !== -1; i = chunk.indexOf(RS, i + 1)) {
      const before = i > 0 ? chunk[i - 1] : this.lastByte;
      if (before !== 0) continue; // a separator inside a message
      if (this.pending.length === 0) out.push(chunk.toString('utf8', start, i));
      else {
        this.pending.push(chunk.subarray(start, i));
        out.push(Buffer.concat(this.pending).toString('utf8'));
        this.pending = [];
      }
      start = i + 1;
    }
    if (start < chunk.length) this.pending.push(chunk.subarray(start));
    if (chunk.length > 0) this.lastByte = chunk[chunk.length - 1]!;
    return out;
  }

  /** What is left at the end of the stream: only whitespace (tformat's newline) when the output was whole. */
  rest(): string {
    const s = Buffer.concat(this.pending).toString('utf8');
    this.pending = [];
    return s;
  }
}

/** An unreadable record: `where` names the repository, the text says what was found. */
export class GitFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitFormatError';
  }
}

function fields(record: string, count: number): string[] {
  // tformat puts a newline after each record's separator: it begins the next record.
  const text = record.startsWith('\n') ? record.slice(1) : record;
  const parts = text.split('\u0000');
  // The format ends every record with a NUL before the separator: one trailing empty field.
  if (parts.length !== count + 1 || parts[count] !== '') {
    throw new GitFormatError(`expected ${count} NUL-separated fields, found ${parts.length - 1}: ${JSON.stringify(text.slice(0, 120))}`);
  }
  return parts.slice(0, count);
}

function seconds(v: string, what: string): number {
  if (!/^\d+$/.test(v)) throw new GitFormatError(`${what} is not a Unix time: ${JSON.stringify(v)}`);
  return Number(v) * 1000;
}

function hash(v: string): string {
  if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(v)) throw new GitFormatError(`not a commit hash: ${JSON.stringify(v)}`);
  return v;
}

function parentList(v: string): string[] {
  return v === '' ? [] : v.split(' ').map(hash);
}

/** The subject as git's %s gives it: the first paragraph, its lines joined by spaces. */
export function subjectOf(message: string): string {
  const lines: string[] = [];
  for (const line of message.replace(/^\n+/, '').split('\n')) {
    if (line.trim() === '') break;
    lines.push(line.trim());
  }
  return lines.join(' ');
}

/** The last `Change-Id: I<40 hex>` line (Gerrit reads the last one in the footer), or null. */
export function changeIdOf(message: string): string | null {
  let found: string | null = null;
  for (const m of message.matchAll(/^\s*Change-Id:\s*(I[0-9a-f]{40})\s*$/gim)) found = `I${(m[1] ?? '').slice(1).toLowerCase()}`;
  return found;
}

/** One record of {@link COMMIT_FORMAT} output as a commit with its trailers read. */
export function parseCommitRecord(record: string): GitCommit {
  const [sha, parents, an, ae, at, cn, ce, ct, body] = fields(record, 9) as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  // %B ends with the message's own newline; keep the text as written otherwise.
  const message = body.replace(/\n+$/, '');
  const links = extractLinks(message, null);
  return {
    sha: hash(sha),
    parents: parentList(parents),
    authorName: an,
    authorEmail: ae,
    authoredAt: seconds(at, 'author time'),
    committerName: cn,
    committerEmail: ce,
    committedAt: seconds(ct, 'commit time'),
    subject: subjectOf(message),
    message,
    changeId: changeIdOf(message),
    bugs: links.filter((l) => l.kind === 'closes-bug' || l.kind === 'partial-bug' || l.kind === 'related-bug'),
    blueprints: blueprintRefs(message, null),
  };
}

/** One record of {@link GRAPH_FORMAT} output. */
export function parseGraphRecord(record: string): GraphCommit {
  const [sha, parents, cn, ct, subject] = fields(record, 5) as [string, string, string, string, string];
  return { sha: hash(sha), parents: parentList(parents), committerName: cn, committedAt: seconds(ct, 'commit time'), subject };
}
