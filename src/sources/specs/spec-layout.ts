/**
 * Where specs live in a specs repository, as glob patterns (steward.yaml `specs.layout`), and the
 * classification of a repository path by them. Pure.
 *
 * Patterns are repository-relative: `*` matches within one path segment, `**` any number of
 * segments, `{release}` one segment that names the release. The OpenStack layout is the default.
 */

export interface SpecsLayout {
  /** Approved specs of a release (the flat `specs/<release>/*.rst` of the first releases included). */
  approved: string[];
  /** Implemented specs of a release. */
  implemented: string[];
  backlog: string[];
  abandoned: string[];
  /** Redirect files: lines `OLD NEW`, paths relative to the file's directory (Sphinx redirects). */
  redirects: string[];
  /** Files matching a pattern above that are not specs (indexes, templates). */
  ignore: string[];
}

/** The layout of openstack/nova-specs and the other OpenStack specs repositories. */
export const OPENSTACK_LAYOUT: SpecsLayout = {
  approved: ['specs/{release}/approved/*.rst', 'specs/{release}/*.rst'],
  implemented: ['specs/{release}/implemented/*.rst'],
  backlog: ['specs/backlog/approved/*.rst', 'specs/backlog/*.rst'],
  abandoned: ['specs/abandoned/*.rst'],
  redirects: ['specs/{release}/redirects', 'specs/{release}/*/redirects'],
  ignore: ['**/index.rst', '**/*template.rst', '**/README.rst'],
};

export type SpecPlace = 'approved' | 'implemented' | 'backlog' | 'abandoned';

export interface PathClass {
  place: SpecPlace;
  /** The release directory for approved and implemented specs; null for backlog and abandoned. */
  release: string | null;
}

interface Compiled {
  re: RegExp;
  hasRelease: boolean;
}

/** A glob pattern as an anchored regular expression; `{release}` becomes the first capture group. */
export function compileGlob(pattern: string): Compiled {
  let re = '';
  let hasRelease = false;
  for (let i = 0; i < pattern.length;) {
    if (pattern.startsWith('{release}', i)) {
      re += '([^/]+)';
      hasRelease = true;
      i += '{release}'.length;
    } else if (pattern.startsWith('**/', i)) {
      re += '(?:.*/)?';
      i += 3;
    } else if (pattern.startsWith('**', i)) {
      re += '.*';
      i += 2;
    } else if (pattern[i] === '*') {
      re += '[^/]*';
      i++;
    } else if (pattern[i] === '?') {
      re += '[^/]';
      i++;
    } else {
      re += pattern[i]!.replace(/[.+^$()|[\]\\{}]/g, '\\$&');
      i++;
    }
  }
  return { re: new RegExp(`^${re}$`), hasRelease };
}

/** Classifies repository paths by a layout: which are specs, where, of which release. */
export class LayoutMatcher {
  private readonly ignore: Compiled[];
  private readonly places: Array<{ place: SpecPlace; globs: Compiled[] }>;
  private readonly redirectGlobs: Compiled[];

  constructor(layout: SpecsLayout) {
    this.ignore = layout.ignore.map(compileGlob);
    // Backlog and abandoned first: `specs/{release}/*.rst` would also match `specs/backlog/x.rst`.
    this.places = (['abandoned', 'backlog', 'implemented', 'approved'] as const).map((place) => ({
      place,
      globs: layout[place].map(compileGlob),
    }));
    this.redirectGlobs = layout.redirects.map(compileGlob);
  }

  /** The place and release of a spec file, or null when the path is not a spec. */
  classify(path: string): PathClass | null {
    if (this.ignore.some((g) => g.re.test(path))) return null;
    for (const { place, globs } of this.places) {
      for (const g of globs) {
        const m = g.re.exec(path);
        if (!m) continue;
        const release = g.hasRelease ? m[1]! : null;
        // A `{release}` capture that names the backlog or abandoned directory is not a release.
        if (release !== null && (release === 'backlog' || release === 'abandoned')) continue;
        return { place, release: place === 'approved' || place === 'implemented' ? release : null };
      }
    }
    return null;
  }

  isRedirects(path: string): boolean {
    return this.redirectGlobs.some((g) => g.re.test(path));
  }
}

/**
 * The moves a redirects file records, as repository paths: each line `OLD NEW` with both relative
 * to the file's directory; lines whose NEW is a URL (the spec moved to another project) give
 * `to: null`. Blank lines and `#` comments are skipped.
 */
export function parseRedirects(filePath: string, text: string): Array<{ from: string; to: string | null }> {
  const dir = filePath.includes('/') ? filePath.slice(0, filePath.lastIndexOf('/')) : '';
  const out: Array<{ from: string; to: string | null }> = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [from, to] = line.split(/\s+/);
    if (!from || !to) continue;
    out.push({ from: joinPath(dir, from), to: /^[a-z]+:\/\//i.test(to) ? null : joinPath(dir, to) });
  }
  return out;
}

/** `dir` + a relative path, with `.` and `..` resolved (never above the repository root). */
export function joinPath(dir: string, rel: string): string {
  const parts = dir ? dir.split('/') : [];
  for (const p of rel.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return parts.join('/');
}
