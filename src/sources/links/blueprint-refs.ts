/**
 * Blueprints a commit or a Gerrit change names, in every form people write them. One definition
 * for both: `steward git sync` stores the references of each commit, and the specs queries apply
 * the same function to Gerrit changes' commit messages and topics, so a spec's code is found the
 * same way whichever source it comes from.
 */
import type { BlueprintRef, BlueprintRefKind } from '../../model/git.js';
import { extractLinks } from './links.js';

export type { BlueprintRef, BlueprintRefKind };

const STRENGTH: Record<BlueprintRefKind, number> = { implements: 0, 'partially-implements': 1, related: 2, topic: 3, mention: 4 };

// "blueprint NAME", "blueprints: NAME", "bp NAME", "bp:NAME", "bp #NAME", "bp/NAME"; the keyword is a
// whole word (not the end of "foo-bp" or a path), the name a whole Launchpad-style slug.
const MENTION = /(?<![\w/.+-])(?:blueprints?|bp)(?:\s*[:#]\s*|\s+|\/)(?:bp\/)?([A-Za-z0-9][\w.-]*)/gi;
const SPEC_URL = /\/\+spec\/([A-Za-z0-9][\w.-]*)/g;
// The related-work trailer, as Related-Bug is for bugs: "Related-Blueprint: NAME", "Related-Blueprint:
// blueprint NAME", "Related blueprint: NAME", "Related bp NAME" (not the prose "Related to blueprint NAME").
const RELATED_TRAILER =
  /^\s*(?:[*-]\s+)?related[-_ ]?(?:blueprints?|bp)(?:\s*:\s*|\s+)(?:(?:blueprint|bp)(?:\s*:\s*|\s+))?(?:bp\/)?([A-Za-z0-9][\w.-]*)/i;
// A trailer naming the blueprint without the word "blueprint": "Implements: some-name".
const BARE_TRAILER = /^\s*(implements|partial(?:ly)?[-_ ]implements?)\s*:\s*([A-Za-z0-9][\w.-]*?)[.]?\s*$/i;
// Words that follow "blueprint" in prose ("this blueprint is …", "per the bp for …"): never names.
const PROSE = new Set([
  'a',
  'an',
  'and',
  'are',
  'as',
  'at',
  'be',
  'by',
  'for',
  'from',
  'has',
  'have',
  'in',
  'is',
  'it',
  'its',
  'of',
  'on',
  'or',
  'should',
  'that',
  'the',
  'this',
  'to',
  'was',
  'which',
  'will',
  'with',
  'would',
  'we',
  'can',
  'spec',
  'here',
  'there',
  // Seen after "blueprint" in nova's commit messages.
  'add',
  'adds',
  'being',
  'blueprint',
  'changes',
  'doc',
  'implemented',
  'implements',
  'introduces',
  'itself',
  'lands',
  'needed',
  'needs',
  'now',
  'page',
  'patch',
  'previously',
  'process',
  'project',
  'proposes',
  'when',
  'where',
  'work',
]);

/** Trims what is punctuation around a name rather than part of it ("foo-bar." → "foo-bar"). */
function cleanName(raw: string): string {
  return raw.replace(/[.-]+$/, '').toLowerCase();
}

/**
 * Every blueprint `message` (a commit message) and `topic` (a Gerrit topic; null for git commits)
 * name, one reference per name with its strongest kind (implements > partially-implements > related >
 * topic > mention; see {@link BlueprintRefKind}): trailers first in message order, then the topic, then
 * mentions in message order. A `Related-Blueprint:` trailer (also "Related blueprint NAME") is
 * `related`: work the author says is related to the blueprint, not part of it; it outranks a mere
 * mention of the same name, so "Related-Blueprint: blueprint foo" is related, not a mention. Names
 * are lower-cased, trailing periods dropped; a name is the whole slug after the keyword, so
 * `bp foo-bar` names `foo-bar` and never `foo`. Matching a spec against these is
 * therefore case-insensitive and whole-name. A mention is the word after "blueprint"/"bp", so prose
 * ("this blueprint adds …") gives words that are not blueprints; a few common ones are dropped, the
 * rest simply match no spec. A Launchpad URL's `+spec/NAME` is a mention (an Implements line with a
 * URL is `implements`).
 *
 * @example blueprintRefs('Add vTPM\n\nSee bp vtpm-live-migration.\nPartially-Implements: blueprint Libvirt-VirtioFS\n', 'bp/vtpm')
 * // [{ name: 'libvirt-virtiofs', kind: 'partially-implements' }, { name: 'vtpm', kind: 'topic' },
 * //  { name: 'vtpm-live-migration', kind: 'mention' }]
 */
export function blueprintRefs(message: string | null | undefined, topic: string | null | undefined): BlueprintRef[] {
  const best = new Map<string, BlueprintRefKind>();
  const add = (name: string, kind: BlueprintRefKind): void => {
    if (name === '' || PROSE.has(name)) return;
    const had = best.get(name);
    if (had === undefined || STRENGTH[kind] < STRENGTH[had]) best.set(name, kind);
  };

  for (const link of extractLinks(message, topic)) {
    if (link.kind === 'implements' || link.kind === 'partially-implements') add(link.target, link.kind);
    else if (link.kind === 'topic-blueprint') add(link.target, 'topic');
  }
  if (typeof message === 'string' && message !== '') {
    // Quick rejection: every form below contains "bp", "blueprint", "implement" or "+spec/".
    if (/bp|blueprint|implement|\+spec\//i.test(message)) {
      for (const line of message.split('\n')) {
        const related = RELATED_TRAILER.exec(line);
        if (related) add(cleanName(related[1] ?? ''), 'related');
        const bare = BARE_TRAILER.exec(line);
        if (bare && !/^(blueprints?|bp)$/i.test(bare[2] ?? '')) {
          add(cleanName(bare[2] ?? ''), /^implements$/i.test(bare[1] ?? '') ? 'implements' : 'partially-implements');
        }
      }
      for (const m of message.matchAll(MENTION)) {
        const after = message.slice((m.index ?? 0) + m[0].length, (m.index ?? 0) + m[0].length + 3);
        if (after === '://') continue; // "blueprint https://…": the URL rule below reads it
        add(cleanName(m[1] ?? ''), 'mention');
      }
      for (const m of message.matchAll(SPEC_URL)) add(cleanName(m[1] ?? ''), 'mention');
    }
  }
  // Order of first appearance is the insertion order of the Map; strongest kinds were kept.
  return [...best].map(([name, kind]) => ({ name, kind }));
}
