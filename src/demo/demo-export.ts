/**
 * Renders demo changes in Gerrit's two export wire formats and streams whole exports to disk.
 *
 * - REST: `/changes/?q=…&o=DETAILED_LABELS&o=MESSAGES&o=ALL_REVISIONS&o=DETAILED_ACCOUNTS&o=ALL_COMMITS&o=ALL_FILES`
 *   elements; the file is `)]}'` then one JSON array page per line.
 * - SSH: `gerrit query --format=JSON --all-approvals --comments --patch-sets --files` rows, one per
 *   line, closed by the `{"type":"stats",…}` row.
 *
 * Both renderings come from the same {@link DemoChange}, so they agree on patch sets, messages,
 * CI reports and final votes wherever both formats carry them. What each format lacks is what
 * real Gerrit lacks: REST has approvals only for the current revision, SSH has no account ids
 * and no message tags.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import type {
  RestAccountInfo,
  RestApprovalInfo,
  RestChangeInfo,
  RestFileInfo,
  RestLabelInfo,
  RestRevisionInfo,
} from '../sources/gerrit/rest-types.js';
import type {
  SshAccountAttribute,
  SshApprovalAttribute,
  SshChangeAttribute,
  SshFileAttribute,
  SshPatchSetAttribute,
  SshStatsRow,
} from '../sources/gerrit/ssh-types.js';
import type { DemoAccount, DemoChange, DemoLabel, DemoPatchSet } from './demo-change.js';
import { generateDemoChanges } from './demo-project.js';
import type { DemoOptions } from './demo-project.js';
import { labelKey } from './seeded-random.js';

const LABELS: readonly DemoLabel[] = ['Code-Review', 'Verified', 'Workflow'];

/** Label ranges and value texts as configured on OpenStack's Gerrit. */
const LABEL_VALUES: Record<DemoLabel, { min: number; max: number; values: Record<string, string> }> = {
  'Code-Review': {
    min: -2,
    max: 2,
    values: {
      '-2': 'Do not merge',
      '-1': 'This patch needs further work before it can be merged',
      ' 0': 'No score',
      '+1': 'Looks good to me, but someone else must approve',
      '+2': 'Looks good to me (core reviewer)',
    },
  },
  Verified: {
    min: -2,
    max: 2,
    values: { '-2': 'Fails', '-1': "Doesn't seem to work", ' 0': 'No score', '+1': 'Works for me', '+2': 'Verified' },
  },
  Workflow: {
    min: -1,
    max: 1,
    values: { '-1': 'Work in progress', ' 0': 'Ready for reviews', '+1': 'Approved' },
  },
};

const PAD2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const DAY_MS = 86_400_000;
/** Date part per UTC day; a window has a few hundred days, so the cache stays small. */
const dayCache = new Map<number, string>();

/**
 * "2025-01-02 03:04:05.000000000", UTC, as the REST API prints timestamps. Hand-formatted
 * because a large export formats tens of millions of them.
 */
export function restTimestamp(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  let date = dayCache.get(day);
  if (date === undefined) {
    date = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (dayCache.size > 20000) dayCache.clear();
    dayCache.set(day, date);
  }
  const s = Math.floor((ms - day * DAY_MS) / 1000);
  return `${date} ${PAD2[Math.floor(s / 3600)] as string}:${PAD2[Math.floor(s / 60) % 60] as string}:${PAD2[s % 60] as string}.000000000`;
}

function restAccount(a: DemoAccount): RestAccountInfo {
  return { _account_id: a.accountId, name: a.name, email: a.email, username: a.username };
}

function sshAccount(a: DemoAccount): SshAccountAttribute {
  return { name: a.name, email: a.email, username: a.username };
}

function changeRef(number: number, patchSet: number): string {
  return `refs/changes/${String(number % 100).padStart(2, '0')}/${number}/${patchSet}`;
}

/** Lines of Gerrit's synthetic /COMMIT_MSG file: five header lines, a blank line, the message. */
function commitMsgLines(ps: DemoPatchSet): number {
  let lines = 0;
  for (let i = 0; i < ps.commitMessage.length; i++) if (ps.commitMessage.charCodeAt(i) === 10) lines++;
  return 6 + lines;
}

function restFiles(ps: DemoPatchSet): Record<string, RestFileInfo> {
  const msgLines = commitMsgLines(ps);
  const files: Record<string, RestFileInfo> = {
    '/COMMIT_MSG': {
      status: 'A',
      lines_inserted: msgLines,
      size_delta: ps.commitMessage.length + 200,
      size: ps.commitMessage.length + 200,
    },
  };
  for (const f of ps.files) {
    const info: RestFileInfo = {};
    if (f.type === 'ADDED') info.status = 'A';
    else if (f.type === 'DELETED') info.status = 'D';
    // Gerrit leaves out zero line counts.
    if (f.insertions) info.lines_inserted = f.insertions;
    if (f.deletions) info.lines_deleted = f.deletions;
    const delta = f.insertions * 38 - f.deletions * 36;
    const before = f.type === 'ADDED' ? 0 : 2000 + (labelKey(f.path) % 90000) + f.deletions * 36;
    info.size_delta = f.type === 'DELETED' ? -before : delta;
    info.size = f.type === 'DELETED' ? 0 : Math.max(0, before + delta);
    files[f.path] = info;
  }
  return files;
}

function restLabels(c: DemoChange): Record<string, RestLabelInfo> {
  const current = c.patchSets.length;
  const labels: Record<string, RestLabelInfo> = {};
  for (const label of LABELS) {
    const range = LABEL_VALUES[label];
    const votes = c.approvals.filter((a) => a.patchSet === current && a.label === label);
    const byVoter = new Map(votes.map((v) => [v.voter.accountId, v]));
    const info: RestLabelInfo = {};
    for (const v of votes) {
      if (v.value === range.max) info.approved ??= restAccount(v.voter);
      else if (v.value === range.min) info.rejected ??= restAccount(v.voter);
      else if (v.value < 0) info.disliked ??= restAccount(v.voter);
      else info.recommended ??= restAccount(v.voter);
    }
    if (info.rejected) info.blocking = true;
    if (!info.approved && !info.rejected) {
      const v = votes.find((x) => x.value < 0) ?? votes.find((x) => x.value > 0);
      if (v) info.value = v.value;
    }
    // DETAILED_LABELS: every reviewer under every label, 0 (and no date) when they have no vote.
    const all: RestApprovalInfo[] = [];
    for (const r of c.reviewers) {
      const v = byVoter.get(r.accountId);
      if (v) {
        // Gson writes ApprovalInfo's own fields before the inherited account fields.
        all.push({ value: v.value, date: restTimestamp(v.granted), ...(v.tag ? { tag: v.tag } : {}), ...restAccount(r) });
        byVoter.delete(r.accountId);
      } else {
        all.push({ value: 0, ...restAccount(r) });
      }
    }
    for (const v of byVoter.values()) all.push({ value: v.value, date: restTimestamp(v.granted), ...restAccount(v.voter) });
    info.all = all;
    info.values = range.values;
    info.default_value = 0;
    labels[label] = info;
  }
  return labels;
}

/**
 * A demo change as one element of a REST `/changes/` answer with DETAILED_LABELS, MESSAGES,
 * ALL_REVISIONS, DETAILED_ACCOUNTS, ALL_COMMITS and ALL_FILES.
 *
 * @example JSON.stringify(toRestChange(change))
 */
export function toRestChange(c: DemoChange): RestChangeInfo {
  const current = c.patchSets[c.patchSets.length - 1] as DemoPatchSet;
  const revisions: Record<string, RestRevisionInfo> = {};
  for (const ps of c.patchSets) {
    revisions[ps.revision] = {
      kind: ps.kind,
      _number: ps.number,
      created: restTimestamp(ps.created),
      uploader: restAccount(ps.uploader),
      ref: changeRef(c.number, ps.number),
      commit: {
        parents: ps.parents.map((p) => ({ commit: p })),
        author: { name: ps.author.name, email: ps.author.email, date: restTimestamp(ps.authorDate), tz: 0 },
        committer: { name: ps.uploader.name, email: ps.uploader.email, date: restTimestamp(ps.created), tz: 0 },
        subject: ps.commitMessage.slice(0, ps.commitMessage.indexOf('\n')),
        message: ps.commitMessage,
      },
      files: restFiles(ps),
    };
  }
  const out: RestChangeInfo = {
    id: `${encodeURIComponent(c.project)}~${encodeURIComponent(c.branch)}~${c.changeId}`,
    project: c.project,
    branch: c.branch,
    ...(c.topic ? { topic: c.topic } : {}),
    hashtags: [],
    change_id: c.changeId,
    subject: c.subject,
    status: c.status,
    created: restTimestamp(c.created),
    updated: restTimestamp(c.updated),
    ...(c.submitted !== null && c.submitter ? { submitted: restTimestamp(c.submitted), submitter: restAccount(c.submitter) } : {}),
    insertions: current.insertions,
    deletions: current.deletions,
    _number: c.number,
    owner: restAccount(c.owner),
    ...(c.workInProgress ? { work_in_progress: true } : {}),
    labels: restLabels(c),
    messages: c.messages.map((m) => ({
      id: m.id,
      author: restAccount(m.author),
      date: restTimestamp(m.date),
      message: m.text,
      ...(m.tag ? { tag: m.tag } : {}),
      _revision_number: m.patchSet,
    })),
    current_revision: current.revision,
    revisions,
  };
  return out;
}

/**
 * A demo change as one row of `gerrit query --format=JSON --all-approvals --comments --patch-sets --files`.
 * Approvals are each account's final non-zero vote per label and patch set, including votes
 * Gerrit copied to a rebased patch set (with their original `grantedOn`).
 *
 * @example JSON.stringify(toSshChange(change))
 */
export function toSshChange(c: DemoChange): SshChangeAttribute {
  const secs = (ms: number): number => Math.floor(ms / 1000);
  const current = c.patchSets[c.patchSets.length - 1] as DemoPatchSet;
  const patchSets: SshPatchSetAttribute[] = c.patchSets.map((ps) => {
    const approvals: SshApprovalAttribute[] = c.approvals
      .filter((a) => a.patchSet === ps.number)
      .map((a) => ({ type: a.label, description: a.label, value: String(a.value), grantedOn: secs(a.granted), by: sshAccount(a.voter) }));
    const files: SshFileAttribute[] = [
      { file: '/COMMIT_MSG', type: 'ADDED', insertions: commitMsgLines(ps), deletions: 0 },
      // Gerrit prints deletions as negative numbers.
      ...ps.files.map((f) => ({ file: f.path, type: f.type, insertions: f.insertions, deletions: f.deletions === 0 ? 0 : -f.deletions })),
    ];
    const attr: SshPatchSetAttribute = {
      number: ps.number,
      revision: ps.revision,
      parents: ps.parents,
      ref: changeRef(c.number, ps.number),
      uploader: sshAccount(ps.uploader),
      createdOn: secs(ps.created),
      author: sshAccount(ps.author),
      kind: ps.kind,
    };
    if (approvals.length) attr.approvals = approvals;
    attr.files = files;
    attr.sizeInsertions = ps.insertions;
    attr.sizeDeletions = ps.deletions === 0 ? 0 : -ps.deletions;
    return attr;
  });
  const row: SshChangeAttribute = {
    project: c.project,
    branch: c.branch,
    ...(c.topic ? { topic: c.topic } : {}),
    id: c.changeId,
    number: c.number,
    subject: c.subject,
    owner: sshAccount(c.owner),
    url: `https://${c.host}/c/${c.project}/+/${c.number}`,
    commitMessage: current.commitMessage,
    createdOn: secs(c.created),
    lastUpdated: secs(c.updated),
    open: c.status === 'NEW',
    status: c.status,
    ...(c.workInProgress ? { wip: true } : {}),
    comments: c.messages.map((m) => ({ timestamp: secs(m.date), reviewer: sshAccount(m.author), message: m.text })),
    patchSets,
  };
  return row;
}

/** What a writer produced. */
export interface ExportSummary {
  changes: number;
  bytes: number;
}

/**
 * A file stream that buffers up to 32 MiB before asking the producer to wait: with the default
 * 16 KiB every page would wait for its own disk write instead of overlapping the next page's
 * generation. Memory stays bounded by this plus one page.
 */
function openExport(path: string): Writable {
  return createWriteStream(path, { highWaterMark: 32 * 1024 * 1024 });
}

async function write(stream: Writable, chunk: string): Promise<number> {
  if (!stream.write(chunk)) await once(stream, 'drain');
  return Buffer.byteLength(chunk);
}

async function closeStream(stream: Writable): Promise<void> {
  stream.end();
  await finished(stream);
}

/**
 * Streams the demo project as a REST export: `)]}'`, then one JSON array page of up to
 * `pageSize` changes per line; the last change of every page but the last carries
 * `_more_changes: true`, as Gerrit marks a truncated page. `changes`: the demo's changes for
 * `opts` when the caller has them already (generated otherwise).
 *
 * @example await writeRestExport({ now: Date.now(), changes: 5000 }, 'demo-rest.json');
 */
export async function writeRestExport(
  opts: DemoOptions,
  path: string,
  { pageSize = 500, changes: given }: { pageSize?: number; changes?: Iterable<DemoChange> } = {},
): Promise<ExportSummary> {
  if (!(pageSize >= 1)) throw new RangeError(`writeRestExport: pageSize must be at least 1, got ${pageSize}`);
  const stream = openExport(path);
  let bytes = 0;
  let changes = 0;
  try {
    bytes += await write(stream, ")]}'\n");
    // Changes are stringified as soon as they are rendered; only the newest stays an object,
    // because whether it closes a truncated page (`_more_changes`) is known one change later.
    let parts: string[] = [];
    let pending: RestChangeInfo | null = null;
    for (const change of given ?? generateDemoChanges(opts)) {
      if (pending) {
        if (parts.length === pageSize - 1) {
          pending._more_changes = true;
          parts.push(JSON.stringify(pending));
          bytes += await write(stream, `[${parts.join(',')}]\n`);
          parts = [];
        } else {
          parts.push(JSON.stringify(pending));
        }
      }
      pending = toRestChange(change);
      changes++;
    }
    if (pending) parts.push(JSON.stringify(pending));
    if (parts.length > 0 || changes === 0) bytes += await write(stream, `[${parts.join(',')}]\n`);
    await closeStream(stream);
  } catch (err) {
    stream.destroy();
    throw err;
  }
  return { changes, bytes };
}

/**
 * Streams the demo project as an SSH `gerrit query` export: one change per line and the closing
 * stats row. `runTimeMilliseconds` is derived from the row count so the file stays deterministic.
 * `given`: the demo's changes for `opts` when the caller has them already (generated otherwise).
 *
 * @example await writeSshExport({ now: Date.now(), changes: 5000 }, 'demo-ssh.json');
 */
export async function writeSshExport(opts: DemoOptions, path: string, given?: Iterable<DemoChange>): Promise<ExportSummary> {
  const stream = openExport(path);
  let bytes = 0;
  let changes = 0;
  try {
    let buffer = '';
    for (const change of given ?? generateDemoChanges(opts)) {
      buffer += `${JSON.stringify(toSshChange(change))}\n`;
      changes++;
      // Batch lines into ~1 MB writes: far fewer stream calls than one per change.
      if (buffer.length > 1 << 20) {
        bytes += await write(stream, buffer);
        buffer = '';
      }
    }
    const stats: SshStatsRow = {
      type: 'stats',
      rowCount: changes,
      runTimeMilliseconds: 40 + Math.round(changes * 1.7),
      moreChanges: false,
    };
    buffer += `${JSON.stringify(stats)}\n`;
    bytes += await write(stream, buffer);
    await closeStream(stream);
  } catch (err) {
    stream.destroy();
    throw err;
  }
  return { changes, bytes };
}
