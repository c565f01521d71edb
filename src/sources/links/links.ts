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

// Key, separator, "bug", then the bug list. One alternation anchored at the line start: linear.
const BUG_LINE = /^(closes|fix(?:es)?|resolves|partial(?:ly fix(?:es)?)?|related(?: to)?)(?:[-_]|:?\s+)(?:lp\s+)?bug\b\s*:?\s*(.*)$/i;
const BLUEPRINT_LINE =
  /^(?:(implements?|partial(?:ly)?[-_ ]implements?|partial|part[-_ ]of(?:[-_ ]the)?)(?:[-_]|:?\s+))?(?:blueprint|bp)(?:\s*:\s*|\s+)(?:bp\/)?([A-Za-z0-9][\w.-]*)(.*)$/i;
const BULLET = /^[*-]\s+/;
const BUG_TOKEN = /^#?(\d+)[.,;:)]*$/;
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
      let line = rawLine.trim();
      // Cheap rejection: every accepted form mentions "bug", "bp" or "blueprint".
      if (line.length < 5 || !/bug|bp|blueprint/i.test(line)) continue;
      if (BULLET.test(line)) line = line.replace(BULLET, '');
      const bug = BUG_LINE.exec(line);
      if (bug) {
        const kind = bugKind(bug[1] ?? '');
        for (const target of bugTargets(bug[2] ?? '')) add(kind, target);
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

function bugKind(key: string): LinkKind {
  const k = key.toLowerCase();
  if (k.startsWith('related')) return 'related-bug';
  if (k.startsWith('partial')) return 'partial-bug';
  return 'closes-bug';
}

function bugTargets(list: string): string[] {
  const out: string[] = [];
  for (const token of list.split(/[\s,;]+/)) {
    if (token === '') continue;
    if (token.toLowerCase() === 'and') continue;
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
