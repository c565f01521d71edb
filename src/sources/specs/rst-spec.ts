/**
 * What Steward reads from a spec's reStructuredText: its title and the Launchpad blueprint URL.
 * Pure. Not a full reStructuredText parser: enough of the section-title rules to find the title
 * and to refuse files docutils would refuse at the title (a title whose overline and underline
 * differ, an overline without its underline), plus text that is not UTF-8.
 */

export interface RstSpec {
  title: string | null;
  /** The first Launchpad blueprint URL in the text, e.g. https://blueprints.launchpad.net/nova/+spec/NAME. */
  blueprintUrl: string | null;
  /** The blueprint name in that URL, lower-case. */
  blueprintFromUrl: string | null;
  /** Why the file is not valid reStructuredText, or null. `line` is 1-based. */
  invalid: { line: number | null; reason: string } | null;
}

const BLUEPRINT_URL = /https?:\/\/blueprints\.launchpad\.net\/[\w.+-]+\/\+spec\/([A-Za-z0-9][\w.+-]*[A-Za-z0-9])/;
// Section adornment: one repeated punctuation character (docutils accepts any of these).
const ADORNMENT = /^([!-/:-@[-`{-~])\1*$/;

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
    return { title: null, blueprintUrl: null, blueprintFromUrl: null, invalid: { line: null, reason: 'not UTF-8 text' } };
  }
  if (text.includes('\u0000')) return { title: null, blueprintUrl: null, blueprintFromUrl: null, invalid: { line: null, reason: 'binary content (NUL bytes)' } };
  const url = BLUEPRINT_URL.exec(text);
  const blueprintUrl = url ? url[0] : null;
  const blueprintFromUrl = url ? url[1]!.toLowerCase() : null;

  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
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
        if (!isAdornment(under)) return { title: null, blueprintUrl, blueprintFromUrl, invalid: { line: i + 1, reason: 'a section title overline without a matching underline' } };
        if (under !== line) return { title: null, blueprintUrl, blueprintFromUrl, invalid: { line: i + 3, reason: 'a section title whose overline and underline differ' } };
        return { title: next.trim(), blueprintUrl, blueprintFromUrl, invalid: null };
      }
      continue; // a transition or a stray line: not a title
    }
    // Docutils takes an underline of any length as long as it reaches the end of the text, so a
    // one-character title ("Z" over "=") is a title.
    const under = (lines[i + 1] ?? '').replace(/\s+$/, '');
    if (ADORNMENT.test(under) && under.length >= line.length) return { title: line.trim(), blueprintUrl, blueprintFromUrl, invalid: null };
  }
  return { title: null, blueprintUrl, blueprintFromUrl, invalid: null };
}
