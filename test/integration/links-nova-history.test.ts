/**
 * The one link rule (src/sources/links/links.ts) on nova's real history
 * (../shared/data/nova-history-meta.bundle; skipped, saying so, when absent): hand-checked commits
 * give exactly the links read off them by eye, and the number of master commits naming a bug in each
 * form is the one docs/bugs.md states ("Link forms").
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { bugMentions, extractLinks } from '../../src/sources/links/links.js';
import { cloneBundle } from '../helpers/bundle-clone.js';

// STEWARD_SHARED_DATA names the shared data folder when it is not ../shared/data beside the repository (a worktree elsewhere).
const BUNDLE = process.env.STEWARD_SHARED_DATA
  ? join(process.env.STEWARD_SHARED_DATA, 'nova-history-meta.bundle')
  : fileURLToPath(new URL('../../../shared/data/nova-history-meta.bundle', import.meta.url));
const DOCS = fileURLToPath(new URL('../../docs/bugs.md', import.meta.url));
const SKIP = existsSync(BUNDLE)
  ? false
  : `nova link-form test skipped: ${BUNDLE} is absent (the shared data folder ../shared/data beside the repository holds it)`;
const TIP = 'd007626442e8e1835f3320cd0a243c430cc0f882';

/** Commits read by eye: the bug lines of the message and the links they make. */
const HAND_CHECKED: Array<{ sha: string; why: string; links: Array<{ kind: string; target: string }> }> = [
  { sha: '8d8bc03cfd2f2f1ed79ffdb1bbefda4da26234d9', why: 'Closes-Bug: #2161868', links: [{ kind: 'closes-bug', target: '2161868' }] },
  {
    sha: '3b9edaff9827dac4d7b387e88e9d5a886ee50869',
    why: 'Partially fixes bug: #1428505',
    links: [{ kind: 'partial-bug', target: '1428505' }],
  },
  {
    sha: '194ed7a3a2a9e5600478c636b1702ba6c0ce5187',
    why: '"Reproducer unit test for bug 1934094" (a mention) and "Related bug: #1934094"',
    links: [{ kind: 'related-bug', target: '1934094' }],
  },
  { sha: '8882d7763d6fa0fdd19eed5b31803f70f3bd7a32', why: 'Fixes LP# 1226791', links: [{ kind: 'closes-bug', target: '1226791' }] },
  { sha: '8f93a574a0995804332a3217c70faa3f7f511c41', why: 'Fixes LP Bug: #2140347', links: [{ kind: 'closes-bug', target: '2140347' }] },
  {
    sha: '5e9e16de563a3900e1a6be2cf0aeaa17cb2178eb',
    why: 'Partial fix for LP Bug #1131768.',
    links: [{ kind: 'partial-bug', target: '1131768' }],
  },
  {
    sha: 'e284ea8823e6f09b8c687491d009b98ffad6171c',
    why: 'a footer line "bug 1241222"',
    links: [{ kind: 'closes-bug', target: '1241222' }],
  },
  { sha: '948ee65f60412751c945234dc85c1fd3e604224f', why: 'Related-Bug: LP #1266534', links: [{ kind: 'related-bug', target: '1266534' }] },
  {
    sha: 'd75e1176f269b3ee6c32da7bd9af99ae4a683647',
    why: '"…in\\nbug #1905701." is a wrapped sentence; the trailer Closes-Bug: #1905701 is the link',
    links: [{ kind: 'closes-bug', target: '1905701' }],
  },
  {
    sha: 'c730dd46254cdd06d0fd446c83d304fd593541be',
    why: '"LP #1386932." ends a wrapped sentence; the trailers are the links',
    links: [
      { kind: 'closes-bug', target: '1506958' },
      { kind: 'related-bug', target: '1386932' },
    ],
  },
  {
    sha: '83c46afcb287b8e3a3c56b1592259f9d251feeb6',
    why: 'the subject "Add regression test for bug 2062127" is a mention; the Related-Bug trailer is the link',
    links: [{ kind: 'related-bug', target: '2062127' }],
  },
  {
    sha: 'f0c09773e0f6d5c2f3d0997089218d4d31547294',
    why: 'the subject "Adds regression test for bug LP#2085135" is a mention; the Related-Bug trailer is the link',
    links: [{ kind: 'related-bug', target: '2085135' }],
  },
  // Mid-sentence prose (form `sentence`), read by eye.
  {
    sha: 'f7820fb2cc85495e626db9fc99c5d69656f85ebc',
    why: 'two sentences ending lines: "…unpacking it. Fixes bug 894755" and "…manifests. Fixes bug 885167" (a security fix)',
    links: [
      { kind: 'closes-bug', target: '894755' },
      { kind: 'closes-bug', target: '885167' },
    ],
  },
  {
    sha: 'ce2bef40e788bcd215b7370ca5f495c66af047a8',
    why: '"This patch also fixes bug 1415768" and the trailer "Closes-bug #1415768": one link',
    links: [{ kind: 'closes-bug', target: '1415768' }],
  },
  {
    sha: '969789e3bd9ecf166db89a4bae1a26aaacabacde',
    why: '"This only partially fixes bug #1074901 as mapping…"',
    links: [{ kind: 'partial-bug', target: '1074901' }],
  },
  {
    sha: '11c29518b61c3a10b9b1ffc074d5ae70bbf1eab4',
    why: '"…build_request_spec. It also fixes Bug 1219761"',
    links: [{ kind: 'closes-bug', target: '1219761' }],
  },
  // Sentences that name a bug without saying this change fixes it: not links.
  {
    sha: 'bcc9cf69c8307b72e985f5d300613703b0c329e3',
    why: '"…tried to fix bug #1563874 by…" is history; the Related-bug trailers are the links',
    links: [
      { kind: 'related-bug', target: '1563874' },
      { kind: 'related-bug', target: '1970467' },
    ],
  },
  {
    sha: '13743c703ce3337eda0d92b8819327b59091fd09',
    why: '"Change I50cd… fixed bug 1405533 for…" is another change; the trailer is the link',
    links: [{ kind: 'closes-bug', target: '1405533' }],
  },
  {
    sha: '3eb2572bb9e88cee6a24fc311a0f3a99966b4215',
    why: '"This also may happen to fix bug 1197091." is a hope, not a claim',
    links: [],
  },
  {
    sha: '0a40e989aba7ba2073feffb64d7055392f1dca7d',
    why: '"…order to fix bug 1756179, we need…" is a plan; the trailers are the links',
    links: [
      { kind: 'closes-bug', target: '1679750' },
      { kind: 'related-bug', target: '1756179' },
    ],
  },
];

describe("the link rule on nova's history", { skip: SKIP }, () => {
  let tmp: string;
  let repo: string;
  const git = (...args: string[]): string => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'steward-nova-links-'));
    repo = join(tmp, 'nova.git');
    cloneBundle(BUNDLE, repo, ['--bare']);
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('gives the hand-checked commits exactly their links', () => {
    for (const c of HAND_CHECKED) {
      const message = git('log', '-1', '--format=%B', c.sha);
      assert.deepEqual(extractLinks(message, null), c.links, `${c.sha.slice(0, 12)}: ${c.why}`);
    }
  });

  it('counts the master commits naming a bug in each form as docs/bugs.md states', () => {
    const log = git('log', TIP, '--no-merges', '--format=%H%x01%B%x00');
    const counts = new Map<string, number>();
    let commits = 0;
    let naming = 0;
    for (const entry of log.split('\0')) {
      const [sha, message = ''] = entry.trim().split('\x01');
      if (!sha) continue;
      commits++;
      const forms = new Set(bugMentions(message).map((m) => `${m.form} ${m.kind}`));
      if (forms.size) naming++;
      for (const f of forms) counts.set(f, (counts.get(f) ?? 0) + 1);
    }
    // The table in docs/bugs.md: | `form` | kind | commits |
    const documented = new Map<string, number>();
    for (const line of readFileSync(DOCS, 'utf8').split('\n')) {
      const m = /^\| `(trailer|prose|lp|bare|sentence)` \| (closes-bug|partial-bug|related-bug) \| ([\d,]+) \|/.exec(line);
      if (m) documented.set(`${m[1]} ${m[2]}`, Number(m[3]!.replace(/,/g, '')));
    }
    assert.deepEqual(Object.fromEntries([...counts].sort()), Object.fromEntries([...documented].sort()));
    const totals = /non-merge commits on master: ([\d,]+), of which ([\d,]+) name a bug/.exec(readFileSync(DOCS, 'utf8'));
    assert.ok(totals, 'docs/bugs.md states the totals');
    assert.deepEqual([Number(totals[1]!.replace(/,/g, '')), Number(totals[2]!.replace(/,/g, ''))], [commits, naming]);
  });
});
