/**
 * What Steward reads from a spec's reStructuredText: its title and the Launchpad blueprint URLs.
 * Pure. Not a full reStructuredText parser: enough of the section-title rules to find the title
 * and to refuse files docutils would refuse at the title (a title whose overline and underline
 * differ, an overline without its underline), plus text that is not UTF-8.
 */

/** A Launchpad blueprint URL in a spec's text, e.g. https://blueprints.launchpad.net/nova/+spec/NAME. */
export interface BlueprintUrl {
  /** The URL as it reads once a line break inside it is removed. */
  url: string;
  /** The Launchpad project (`nova`, `ironic`), lower-case. */
  project: string;
  /** The blueprint name, lower-case. */
  name: string;
  /** The 1-based line the URL starts on. */
  line: number;
}

export interface RstSpec {
  title: string | null;
  /** Every Launchpad blueprint URL in the text, in order (a spec names its own and, in passing, others). */
  blueprintUrls: BlueprintUrl[];
  /** Why the file is not valid reStructuredText, or null. `line` is 1-based. */
  invalid: { line: number | null; reason: string } | null;
}

// `+spec//NAME` (a doubled slash, as nova's Liberty inject-nmi spec has) is read as `+spec/NAME`.
const BLUEPRINT_URL = /https?:\/\/blueprints\.launchpad\.net\/([\w.+-]+)\/\+spec\/+([\w.+-]*)/g;
const NAME = /^[a-z0-9](?:[\w.+-]*[a-z0-9])?$/;
// Section adornment: one repeated punctuation character (docutils accepts any of these).
const ADORNMENT = /^([!-/:-@[-`{-~])\1*$/;

/**
 * The blueprint URLs of `lines`. A URL that reaches the end of its line and is visibly cut — its
 * name empty (`…/+spec/` then the name on the next line), ending in `-`, or the next line starting
 * with `-` and a letter — is joined with the first word of the next line (nova-specs wraps
 * `…/+spec/add-all-in-list-` / `operator-to-extra-spec-ops`). A URL whose name ends cleanly at
 * the line end is never joined: the next line is text.
 */
export function findBlueprintUrls(lines: readonly string[]): BlueprintUrl[] {
  const out: BlueprintUrl[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    for (const m of line.matchAll(BLUEPRINT_URL)) {
      let url = m[0];
      let name = m[2] ?? '';
      const atEnd = line.slice((m.index ?? 0) + m[0].length).trim() === '';
      for (let j = i + 1; atEnd && j < lines.length && j <= i + 2; j++) {
        const next = lines[j]!.trim();
        const word = /^[\w.+-]+/.exec(next)?.[0] ?? '';
        if (word === '' || !(name === '' || name.endsWith('-') || /^-\w/.test(next))) break;
        url += word;
        name += word;
        if (word !== next) break; // the name ended on that line
      }
      name = name.replace(/[._+-]+$/, '').toLowerCase();
      if (!NAME.test(name)) continue;
      url = url.replace(/[._+-]+$/, '');
      out.push({ url, project: (m[1] ?? '').toLowerCase(), name, line: i + 1 });
    }
  }
  return out;
}

/** The Launchpad project most specs' first blueprint URL names (ties: the first in name order), or null when none has a URL. */
export function homeProject(specs: ReadonlyArray<Pick<RstSpec, 'blueprintUrls'> | null>): string | null {
  const votes = new Map<string, number>();
  for (const s of specs) {
    const first = s?.blueprintUrls[0];
    if (first) votes.set(first.project, (votes.get(first.project) ?? 0) + 1);
  }
  return [...votes].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? null;
}

/** The spec's own blueprint URL: the first of the home project (null when it names none). */
export function ownBlueprintUrl(urls: readonly BlueprintUrl[], home: string | null): BlueprintUrl | null {
  return urls.find((u) => u.project === home) ?? null;
}

function isAdornment(line: string): boolean {
  return line.length >= 3 && ADORNMENT.test(line);
}

/**
 * Reads a spec file's bytes.
 *
 * The title is the first section title: a text line underlined by a line of one repeated
 * punctuation character at least as long as the text, optionally with a matching
 * overline. Explicit markup blocks (`..` comments and directives with their indented bodies) are
 * skipped, so the licence comment at the top of every OpenStack spec is not read as text.
 */
export function parseRstSpec(bytes: Uint8Array): RstSpec {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { title: null, blueprintUrls: [], invalid: { line: null, reason: 'not UTF-8 text' } };
  }
  if (text.includes('\u0000')) return { title: null, blueprintUrls: [], invalid: { line: null, reason: 'binary content (NUL bytes)' } };

  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const blueprintUrls = findBlueprintUrls(lines);
  let inMarkup = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\s+$/, '');
    if (inMarkup) {
      if (line === '' || /^\s/.test(line)) continue;
      inMarkup = false;
    }
    if (line.startsWith('..') && (line === '..' || /^\.\.\s/.test(line))) {
      inMarkup = true;
      continue;
    }
    if (line === '' || /^\s/.test(line)) continue;
    if (isAdornment(line)) {
      const next = (lines[i + 1] ?? '').replace(/\s+$/, '');
      const under = (lines[i + 2] ?? '').replace(/\s+$/, '');
      // Overline + title + underline.
      if (next.trim() !== '' && !isAdornment(next.trim())) {
        if (!isAdornment(under))
          return { title: null, blueprintUrls, invalid: { line: i + 1, reason: 'a section title overline without a matching underline' } };
        if (under !== line)
          return { title: null, blueprintUrls, invalid: { line: i + 3, reason: 'a section title whose overline and underline differ' } };
        return { title: next.trim(), blueprintUrls, invalid: null };
      }
      continue; // a transition or a stray line: not a title
    }
    // Docutils takes an underline of any length as long as it reaches the end of the text, so a
    // one-character title ("Z" over "=") is a title.
    const under = (lines[i + 1] ?? '').replace(/\s+$/, '');
    if (ADORNMENT.test(under) && under.length >= line.length) return { title: line.trim(), blueprintUrls, invalid: null };
  }
  return { title: null, blueprintUrls, invalid: null };
}
