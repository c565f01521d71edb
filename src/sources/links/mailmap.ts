/**
 * `.mailmap` files (git's format, `git help gitmailmap`): which names and addresses in commits are
 * one person's. Pure parsing; a malformed line is an error naming the file and line, and nothing of
 * the file is used.
 *
 * Forms (after `#` comments and blank lines are dropped):
 *     Proper Name <commit@email>
 *     <proper@email> <commit@email>
 *     Proper Name <proper@email> <commit@email>
 *     Proper Name <proper@email> Commit Name <commit@email>
 */
import { StewardError } from '../../model/errors.js';

export interface MailmapEntry {
  /** The proper name, when the line gives one. */
  properName: string | null;
  /** The proper address, when the line gives one (lower-cased). */
  properEmail: string | null;
  /** The address found in commits (lower-cased). */
  commitEmail: string;
  /** Only commits with this author name are mapped (the four-part form), else null. */
  commitName: string | null;
  /** 1-based line number in the file. */
  line: number;
}

const PART = /^\s*([^<>]*?)\s*<([^<>\s]*)>/;

/**
 * The entries of a `.mailmap` text. `file` names it in errors.
 *
 * @example parseMailmap('Ann Lee <ann@example.org> <al@old.example.org>\n', '.mailmap')
 * // [{ properName: 'Ann Lee', properEmail: 'ann@example.org', commitEmail: 'al@old.example.org', commitName: null, line: 1 }]
 */
export function parseMailmap(text: string, file: string): MailmapEntry[] {
  const out: MailmapEntry[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const hash = raw.indexOf('#');
    // A '#' inside <…> is part of an address; git takes a comment only outside brackets.
    const line = (hash >= 0 && !/<[^>]*$/.test(raw.slice(0, hash)) ? raw.slice(0, hash) : raw).trim();
    if (line === '') continue;
    const parts: Array<{ name: string; email: string }> = [];
    let rest = line;
    while (rest.trim() !== '') {
      const m = PART.exec(rest);
      if (!m) break;
      parts.push({ name: m[1]!, email: m[2]! });
      rest = rest.slice(m[0].length);
    }
    const bad = (why: string): never => {
      throw new StewardError('INPUT_FORMAT', `${file}:${i + 1}: ${why}: "${raw.trim()}"`, {
        hint: 'Each line is "Proper Name <proper@email> [Commit Name] <commit@email>" or "Proper Name <commit@email>" (git help gitmailmap); fix the line and run again (nothing of the file was used).',
      });
    };
    if (rest.trim() !== '' || parts.length === 0) bad('expected a name and one or two <address> parts');
    if (parts.length > 2) bad('more than two <address> parts');
    if (parts.some((p) => p.email === '' || !p.email.includes('@'))) bad('an address without "@"');
    if (parts.length === 1) {
      if (parts[0]!.name === '') bad('a lone <address> maps nothing');
      out.push({
        properName: parts[0]!.name,
        properEmail: null,
        commitEmail: parts[0]!.email.toLowerCase(),
        commitName: null,
        line: i + 1,
      });
    } else {
      const [proper, commit] = parts as [{ name: string; email: string }, { name: string; email: string }];
      out.push({
        properName: proper.name || null,
        properEmail: proper.email.toLowerCase(),
        commitEmail: commit.email.toLowerCase(),
        commitName: commit.name || null,
        line: i + 1,
      });
    }
  }
  return out;
}
