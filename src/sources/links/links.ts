/**
 * Bugs and blueprints a change names, read from its commit message and topic.
 *
 * OpenStack's convention (enforced by nothing but habit) is a trailer per link:
 *
 *     Closes-Bug: #1234567
 *     Partial-Bug: #1234567
 *     Related-Bug: #1234567
 *     Implements: blueprint libvirt-virtiofs
 *     Partially-Implements: blueprint remove-mox
 *
 * Nova's history also has a long tail of variants ("Fixes bug 123456.", "Fixes: bug #123",
 * "Partially implements bp foo", "Part of blueprint foo", "Blueprint: foo"); the common ones are
 * accepted, see {@link extractLinks}.
 */
import type { Link, LinkKind } from '../../model/records.js';

// Key, separator, "bug" (or "LP", or "LP bug"), then the bug list. Alternations anchored at the line
// start, each followed by a literal: linear.
const BUG_LINE =
  /^(?:this\s+)?(close[sd]?|fix(?:e[sd])?(?:\s+for)?|fixing|resolves|addresses|partial(?:ly\s+fix(?:es)?|\s+fix(?:\s+for)?)?|part\s+of|related(?:\s+to)?)([-_]|:?\s+)(lp\s*(?:bug\b)?|bug\b)\s*:?\s*(.*)$/i;
// A line that is nothing but a bug: "bug 1241222", "Bug #123", "Bug: 123", "LP: #123", "LP #123", "LP#123".
// Not with a full stop: "…described in\nbug #123." is a sentence wrapped onto its own line.
const BARE_BUG_LINE = /^(lp|bug)\s*:?\s*(#?\s*\d+(?:\s*,\s*#?\d+)*)$/i;
const BLUEPRINT_LINE =
  /^(?:(implements?|partial(?:ly)?[-_ ]implements?|partial|part[-_ ]of(?:[-_ ]the)?)(?:[-_]|:?\s+))?(?:blueprint|bp)(?:\s*:\s*|\s+)(?:bp\/)?([A-Za-z0-9][\w.-]*)(.*)$/i;
// A sentence inside a line that says this change fixes a bug: at the line's start or after a
// sentence's end (". ", "; ", ": ", ") "), an optional subject ("This", "It", "This patch", "It
// also", "and"), then "fixes"/"fixed"/"resolves"/"closes" (never "to fix", "should fix", "which
// fixed": a plan, a hope or another change) and "bug N". Each part is a literal or a bounded
// repetition: linear.
const SENTENCE_BUG =
  /(?:^|[.!?;:)]\s+)(?:(?:this|it|and)\s+)?(?:(?:patch|change|commit)\s+)?((?:(?:also|only|incidentally|additionally|partially)\s+){0,2})(?:fix(?:es|ed)|resolve[sd]|close[sd])\s+(?:lp\s+)?bug\b\s*:?\s*(.*)$/i;
const BULLET = /^[*-]\s+/;
const BUG_TOKEN = /^(?:lp:?)?#?(\d+)[.,;:)]*$/i;
const LAUNCHPAD_BUG_URL = /\/\+bug\/(\d+)/;
const LAUNCHPAD_SPEC_URL = /\/\+spec\/([\w.-]+)/;
const TOPIC_BLUEPRINT = /^bp\/(.+)$/i;
const TOPIC_BUG = /^bug\/(\d+)/i;

/**
 * The links a change names, deduplicated by (kind, target), in order of first appearance:
 * commit message lines top to bottom, then the topic.
 *
 * Commit message lines (trimmed, an optional "* " or "- " bullet removed; keys case-insensitive):
 * - `closes-bug`: "Closes-Bug:", "Closes bug", "Fixes bug", "Fixes-Bug:", "Fixes: bug", "Fix bug",
 *   "Fixes LP Bug", "Resolves-Bug:"; `partial-bug`: "Partial-Bug:", "Partially fixes bug";
 *   `related-bug`: "Related-Bug:", "Related to bug". The key is followed by one or more bug numbers
 *   ("#1234567", "1234567", "123, 456", a Launchpad "+bug/N" URL); reading stops at the first word
 *   that is not one, so "Fixes bug 123 where 2 hosts…" gives only 123. Targets are the digits.
 * - `implements`: "Implements: blueprint NAME", "Implements: bp NAME", "Implements: blueprint: NAME",
 *   "Implements blueprint NAME", and a line that is only "Blueprint: NAME" / "bp NAME";
 *   `partially-implements`: "Partially-Implements:", "Partially implements", "Partial-Implements:",
 *   "Partial implement", "Partial-Blueprint:", "Part of blueprint", each followed by blueprint/bp
 *   and the name. Names are lower-cased, trailing periods dropped.
 * - Mentions without a kind in the model ("Related to blueprint X") are not links.
 *
 * - Older forms (issue 15, counted on nova's history in docs/bugs.md): "Close-Bug:", "Closed-Bug:",
 *   "Fix for bug", "Fixed bug", "Fixing bug", "This fixes bug", "Addresses bug" → `closes-bug`;
 *   "Part of bug", "Partial fix for bug" → `partial-bug`; Launchpad's own short forms "Fixes LP #N",
 *   "Fixes LP: #N", "Fixes LP# N", "fix bug lp:N" → `closes-bug`; and a line that is nothing but a
 *   bug ("bug 1241222", "Bug #N", "LP: #N", "LP #N") → `closes-bug`, as nova's 2011–2013 footers
 *   used it. Lines that only mention a bug ("Add regression test for bug N") are not links.
 *
 * Topic: "bp/NAME" → `topic-blueprint` (lower-cased), "bug/N…" → `topic-bug` (the leading digits).
 *
 * @example extractLinks('Fix a leak\n\nCloses-Bug: #1234567\nImplements: blueprint Foo-Bar\n', 'bug/1234567')
 * // [{ kind: 'closes-bug', target: '1234567' }, { kind: 'implements', target: 'foo-bar' },
 * //  { kind: 'topic-bug', target: '1234567' }]
 */
export function extractLinks(commitMessage: string | null | undefined, topic: string | null | undefined): Link[] {
  const links: Link[] = [];
  const seen = new Set<string>();
  const add = (kind: LinkKind, target: string): void => {
    const key = `${kind}\u0000${target}`;
    if (seen.has(key)) return;
    seen.add(key);
    links.push({ kind, target });
  };

  if (typeof commitMessage === 'string' && commitMessage !== '') {
    for (const rawLine of commitMessage.split('\n')) {
      const line = linkLine(rawLine);
      if (line === null) continue;
      const bugs = bugLine(line);
      if (bugs) {
        for (const m of bugs) add(m.kind, m.target);
        continue;
      }
      const bp = BLUEPRINT_LINE.exec(line);
      if (bp) {
        const key = bp[1];
        let name = (bp[2] ?? '').replace(/\.+$/, '').toLowerCase();
        const tail = (bp[3] ?? '').trim();
        // "Implements: blueprint https://blueprints.launchpad.net/nova/+spec/NAME"
        if (tail.startsWith('://')) name = (LAUNCHPAD_SPEC_URL.exec(tail)?.[1] ?? '').replace(/\.+$/, '').toLowerCase();
        if (name === '') continue;
        // A bare "Blueprint: NAME" line counts only when the line is nothing else, so that prose
        // starting with "blueprint …" is not taken for a link.
        if (key === undefined) {
          if (tail === '' || tail === '.') add('implements', name);
          continue;
        }
        add(/^implements?$/i.test(key) ? 'implements' : 'partially-implements', name);
      }
    }
  }

  if (typeof topic === 'string' && topic !== '') {
    const t = topic.trim();
    const bp = TOPIC_BLUEPRINT.exec(t);
    if (bp) {
      const name = (bp[1] ?? '').trim().toLowerCase();
      if (name !== '') add('topic-blueprint', name);
    } else {
      const bug = TOPIC_BUG.exec(t);
      if (bug) add('topic-bug', digits(bug[1] ?? ''));
    }
  }
  return links;
}

/** A commit message line as the rule reads it (trimmed, a "* " or "- " bullet removed), or null when it cannot name a link. */
function linkLine(raw: string): string | null {
  const line = raw.trim();
  // Cheap rejection: every accepted form mentions "bug", "lp", "bp" or "blueprint".
  if (line.length < 5 || !/bug|lp|bp|blueprint/i.test(line)) return null;
  return BULLET.test(line) ? line.replace(BULLET, '') : line;
}

/**
 * Every bug a commit message names, line by line, with the form it is named in (the bug lines of
 * {@link extractLinks}, not deduplicated).
 */
export function bugMentions(commitMessage: string): BugMention[] {
  const out: BugMention[] = [];
  for (const raw of commitMessage.split('\n')) {
    const line = linkLine(raw);
    if (line !== null) out.push(...(bugLine(line) ?? []));
  }
  return out;
}

/** How a commit message line names a bug (docs/bugs.md counts each on nova's history). */
export type BugLinkForm =
  /** "Closes-Bug: #N", "Partial-Bug: N", "Related-Bug: #N" (and Resolves-Bug, Close-Bug, Closed-Bug, Fixes-Bug). */
  | 'trailer'
  /** "Fixes bug N", "fixes bug #N", "Fix for bug N", "This fixes bug N", "Partially fixes bug N", "Part of bug N". */
  | 'prose'
  /** Launchpad's short forms after a key: "Fixes LP #N", "Fixes LP: #N", "Fixes LP Bug #N", "fix bug lp:N". */
  | 'lp'
  /** A line that is nothing but the bug: "bug N", "Bug #N", "LP: #N", "LP #N". */
  | 'bare'
  /** A sentence inside a line: "… in Tempest. Fixes bug #1046870", "This patch also fixes bug N", "It fixes bug N". */
  | 'sentence';

/** One bug a line names, how (kind) and in which form. */
export interface BugMention {
  kind: LinkKind;
  target: string;
  form: BugLinkForm;
}

/**
 * The bugs one commit-message line names (trimmed, bullet removed), or null when the line is not a
 * bug line. The one rule for bug lines: {@link extractLinks} and the nova counts both use it.
 *
 * @example bugLine('Fixes LP: #123456') // [{ kind: 'closes-bug', target: '123456', form: 'lp' }]
 */
export function bugLine(line: string): BugMention[] | null {
  const bare = BARE_BUG_LINE.exec(line);
  if (bare) {
    const form: BugLinkForm = (bare[1] ?? '').toLowerCase() === 'lp' ? 'lp' : 'bare';
    return bugTargets(bare[2] ?? '').map((target) => ({ kind: 'closes-bug', target, form }));
  }
  const m = BUG_LINE.exec(line);
  if (!m) return sentenceBugs(line);
  const key = m[1] ?? '';
  const sep = m[2] ?? '';
  const word = (m[3] ?? '').toLowerCase();
  const rest = m[4] ?? '';
  const form: BugLinkForm = word.startsWith('lp') || /^lp/i.test(rest) ? 'lp' : /[-_]/.test(sep) && !/\s/.test(key) ? 'trailer' : 'prose';
  const kind = bugKind(key);
  return bugTargets(rest).map((target) => ({ kind, target, form }));
}

/** The bugs a sentence inside a line says this change fixes ({@link SENTENCE_BUG}), or null. */
function sentenceBugs(line: string): BugMention[] | null {
  const s = SENTENCE_BUG.exec(line);
  if (!s) return null;
  const kind: LinkKind = /partially/i.test(s[1] ?? '') ? 'partial-bug' : 'closes-bug';
  const targets = bugTargets(s[2] ?? '');
  return targets.length ? targets.map((target) => ({ kind, target, form: 'sentence' as const })) : null;
}

function bugKind(key: string): LinkKind {
  const k = key.toLowerCase();
  if (k.startsWith('related')) return 'related-bug';
  if (k.startsWith('partial') || k.startsWith('part')) return 'partial-bug';
  return 'closes-bug';
}

function bugTargets(list: string): string[] {
  const out: string[] = [];
  for (const token of list.split(/[\s,;]+/)) {
    if (token === '') continue;
    if (token.toLowerCase() === 'and' || token === '#' || /^lp:?#?$/i.test(token)) continue;
    const n = BUG_TOKEN.exec(token);
    if (n) {
      out.push(digits(n[1] ?? ''));
      continue;
    }
    const url = LAUNCHPAD_BUG_URL.exec(token);
    if (url) {
      out.push(digits(url[1] ?? ''));
      continue;
    }
    break;
  }
  return out;
}

/** Bug numbers as digits without leading zeros (kept as text: no precision limit). */
function digits(text: string): string {
  return text.replace(/^0+(?=\d)/, '');
}
