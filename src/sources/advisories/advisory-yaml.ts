/**
 * Advisory YAML (the OpenStack VMT's OSSA format, docs/security-advisories.md "Format") to model
 * records and back. Pure: text in, records out; the import (ingest/advisories-import.ts) reads the
 * files. Scalars are read as text (YAML's failsafe schema), so `version: 2014.10` stays "2014.10"
 * and nothing is guessed into a date or a boolean; a file with an error gives one StewardError
 * naming the file, the line and the field.
 */
import { isNode, stringify, type Document, type LineCounter } from 'yaml';
import type {
  Advisory,
  AdvisoryBug,
  AdvisoryClassification,
  AdvisoryFacts,
  AdvisoryImpact,
  AdvisoryProduct,
  AdvisoryRecord,
  AdvisoryReporter,
  AdvisoryReview,
  AdvisoryReviewGroup,
  AdvisoryVulnerability,
} from '../../model/advisories.js';
import { StewardError } from '../../model/errors.js';
import { loadYamlSafely } from '../../model/safe-yaml.js';

/** Alias expansions an advisory may make: real ones make none; a "billion laughs" file makes millions. */
export const MAX_ADVISORY_ALIASES = 50;
/** How deep collections may nest: an advisory needs five levels. */
export const MAX_ADVISORY_DEPTH = 16;

/** The top-level keys of an advisory, in the order the writer emits them. */
export const ADVISORY_KEYS = [
  'date',
  'id',
  'title',
  'description',
  'reference',
  'affected-products',
  'vulnerabilities',
  'reporters',
  'issues',
  'reviews',
  'notes',
  'errata',
  'errata_history',
  'type',
] as const;

const ID = /^[A-Z][A-Z0-9]*-\d{4}-\d{3,}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const PRODUCT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const CVE = /\bCVE-\d{4}-\d{4,}\b/g;

export interface ParseAdvisoryOptions {
  /**
   * The products advisories may name (lower-case, e.g. the project's repositories' short names);
   * a product outside it is an error. Absent: any well-formed product name is accepted.
   */
  knownProducts?: ReadonlySet<string>;
}

type Path = ReadonlyArray<string | number>;

function fieldName(path: Path): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

/** Reads one document's fields with their lines, failing with file, line and field. */
class Reader {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly where: string,
  ) {}

  fail(path: Path, message: string, hint?: string): never {
    throw new StewardError('INPUT_FORMAT', message, {
      where: this.where,
      line: this.lineOf(path),
      field: fieldName(path) || undefined,
      hint,
    });
  }

  lineOf(path: Path): number | undefined {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? this.doc.contents : this.doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) return this.lines.linePos(node.range[0]).line;
    }
    return undefined;
  }

  /** A text value (failsafe scalars are strings); '' counts as absent. */
  text(value: unknown, path: Path, required: true): string;
  text(value: unknown, path: Path, required?: false): string | null;
  text(value: unknown, path: Path, required = false): string | null {
    if (value === undefined || value === null || value === '') {
      if (required) this.fail(path, 'is missing: expected text');
      return null;
    }
    if (typeof value !== 'string') this.fail(path, `expected text, found ${describe(value)}`);
    return value;
  }

  map(value: unknown, path: Path, allowed: readonly string[]): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      this.fail(path, `expected a mapping, found ${describe(value)}`);
    const rec = value as Record<string, unknown>;
    for (const k of Object.keys(rec)) {
      if (!allowed.includes(k)) this.fail([...path, k], `unknown key \`${k}\`; allowed here: ${allowed.join(', ')}`);
    }
    return rec;
  }

  list(value: unknown, path: Path, required: boolean): unknown[] | null {
    if (value === undefined || value === null || value === '') {
      if (required) this.fail(path, 'is missing: expected a list');
      return null;
    }
    if (!Array.isArray(value)) this.fail(path, `expected a list, found ${describe(value)}`);
    return value;
  }

  texts(value: unknown, path: Path, required: boolean): string[] | null {
    const l = this.list(value, path, required);
    return l === null ? null : l.map((v, i) => this.text(v, [...path, i], true));
  }
}

function describe(v: unknown): string {
  if (v === null || v === undefined || v === '') return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `"${String(v).slice(0, 40)}"`;
}

/**
 * Parses one advisory file. `where` names it in errors. Throws a StewardError (INPUT_FORMAT) with
 * file, line and field for: YAML syntax, alias bombs and deep nesting, unknown keys, a missing or
 * malformed `id`, `date` not a real `YYYY-MM-DD` day, a missing title or description, no affected
 * product or a malformed (or, with `knownProducts`, unknown) product, a reporter without a name.
 *
 * @example parseAdvisory(readFileSync('ossa/OSSA-2012-001.yaml', 'utf8'), 'ossa/OSSA-2012-001.yaml').advisory.id
 * // 'OSSA-2012-001'
 */
export function parseAdvisory(text: string, where: string, options: ParseAdvisoryOptions = {}): AdvisoryRecord {
  const {
    doc,
    lines,
    value: raw,
  } = loadYamlSafely(text, {
    where,
    code: 'INPUT_FORMAT',
    maxDepth: MAX_ADVISORY_DEPTH,
    maxAliases: MAX_ADVISORY_ALIASES,
    depthNeeds: 'an advisory needs five',
    aliasHint: 'Advisories need no aliases (&name / *name); write the values out.',
    schema: 'failsafe',
    oneDocument: 'an advisory file holds one',
  });
  const r = new Reader(doc, lines, where);
  const top = r.map(raw ?? {}, [], ADVISORY_KEYS);

  const id = r.text(top.id, ['id'], true);
  if (!ID.test(id)) r.fail(['id'], `expected an advisory id like OSSA-2024-001, found "${id.slice(0, 40)}"`);
  const date = r.text(top.date, ['date'], true);
  if (!validDay(date)) r.fail(['date'], `expected a date YYYY-MM-DD (a real day), found "${date.slice(0, 40)}"`);

  const productList = r.list(top['affected-products'], ['affected-products'], true)!;
  if (productList.length === 0) r.fail(['affected-products'], 'lists no product: an advisory affects at least one');
  const products: AdvisoryProduct[] = productList.map((p, i) => {
    const path = ['affected-products', i];
    const m = r.map(p, path, ['product', 'version']);
    const product = r.text(m.product, [...path, 'product'], true);
    for (const name of splitProducts(product)) {
      if (!PRODUCT.test(name))
        r.fail(
          [...path, 'product'],
          `"${product.slice(0, 60)}" is not a product name (letters, digits, . _ -; several separated by commas)`,
        );
      if (options.knownProducts && !options.knownProducts.has(name.toLowerCase()))
        r.fail(
          [...path, 'product'],
          `unknown product "${name}"; known: ${[...options.knownProducts].sort().join(', ')}`,
          'Check the spelling, or add the product to the known list.',
        );
    }
    return { product, version: r.text(m.version, [...path, 'version']) };
  });

  const vulnerabilities: AdvisoryVulnerability[] = (r.list(top.vulnerabilities, ['vulnerabilities'], false) ?? []).map((v, i) => {
    const path = ['vulnerabilities', i];
    const m = r.map(v, path, ['cve-id', 'note', 'impact-assessment', 'classification']);
    return {
      cveId: r.text(m['cve-id'], [...path, 'cve-id'], true),
      note: r.text(m.note, [...path, 'note']),
      impactAssessment: m['impact-assessment'] === undefined ? null : impact(r, m['impact-assessment'], [...path, 'impact-assessment']),
      classification: m.classification === undefined ? null : classification(r, m.classification, [...path, 'classification']),
    };
  });

  const reporters: AdvisoryReporter[] = (r.list(top.reporters, ['reporters'], false) ?? []).map((p, i) => {
    const path = ['reporters', i];
    const m = r.map(p, path, ['name', 'affiliation', 'reported']);
    // One real file writes a single CVE as text instead of a list.
    const reported = typeof m.reported === 'string' && m.reported !== '' ? [m.reported] : r.texts(m.reported, [...path, 'reported'], false);
    return { name: r.text(m.name, [...path, 'name'], true), affiliation: r.text(m.affiliation, [...path, 'affiliation']), reported };
  });

  const issuesMap = top.issues === undefined ? {} : r.map(top.issues, ['issues'], ['links', 'type']);
  const issues = { links: r.texts(issuesMap.links, ['issues', 'links'], false) ?? [], type: r.text(issuesMap.type, ['issues', 'type']) };

  const reviews: AdvisoryReviewGroup[] = [];
  let reviewsType: string | null = null;
  if (top.reviews !== undefined && top.reviews !== '') {
    if (typeof top.reviews !== 'object' || top.reviews === null || Array.isArray(top.reviews))
      r.fail(['reviews'], `expected a mapping of branch to review links, found ${describe(top.reviews)}`);
    for (const [branch, links] of Object.entries(top.reviews as Record<string, unknown>)) {
      if (branch === 'type' && typeof links === 'string') {
        reviewsType = links;
        continue;
      }
      reviews.push({ branch, links: r.texts(links, ['reviews', branch], true)! });
    }
  }

  const advisory: Advisory = {
    id,
    date,
    title: r.text(top.title, ['title'], true),
    description: r.text(top.description, ['description'], true),
    reference: r.text(top.reference, ['reference']),
    products,
    vulnerabilities,
    reporters,
    issues,
    reviews,
    reviewsType,
    notes: r.texts(top.notes, ['notes'], false),
    errata: r.text(top.errata, ['errata']),
    errataHistory: r.texts(top.errata_history, ['errata_history'], false),
    type: r.text(top.type, ['type']),
  };
  return { advisory, facts: advisoryFacts(advisory), source: where };
}

function impact(r: Reader, v: unknown, path: Path): AdvisoryImpact {
  const m = r.map(v, path, ['source', 'rating', 'assessment']);
  let assessment: AdvisoryImpact['assessment'] = null;
  if (m.assessment !== undefined) {
    const a = r.map(m.assessment, [...path, 'assessment'], ['type', 'score', 'detail']);
    const scoreText = r.text(a.score, [...path, 'assessment', 'score']);
    const score = scoreText === null ? null : Number(scoreText);
    if (score !== null && !(Number.isFinite(score) && score >= 0 && score <= 10))
      r.fail([...path, 'assessment', 'score'], `expected a score from 0 to 10, found "${scoreText}"`);
    assessment = {
      type: r.text(a.type, [...path, 'assessment', 'type']),
      score,
      detail: r.text(a.detail, [...path, 'assessment', 'detail']),
    };
  }
  return { source: r.text(m.source, [...path, 'source']), rating: r.text(m.rating, [...path, 'rating']), assessment };
}

function classification(r: Reader, v: unknown, path: Path): AdvisoryClassification {
  const m = r.map(v, path, ['source', 'type', 'detail']);
  return {
    source: r.text(m.source, [...path, 'source']),
    type: r.text(m.type, [...path, 'type']),
    detail: r.text(m.detail, [...path, 'detail']),
  };
}

function validDay(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

function splitProducts(product: string): string[] {
  return product
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

const LAUNCHPAD_BUG = /^https?:\/\/(?:bugs\.)?launchpad\.net\/(?:[\w.+-]+\/\+bug|bugs)\/(\d+)/i;
const STORYBOARD = /^https?:\/\/storyboard\.openstack\.org\/#!\/story\/(\d+)/i;
// Gerrit change URLs: https://HOST/#/c/N, https://HOST/N, https://HOST/c/PROJECT/+/N (trailing slash or fragment allowed).
const GERRIT = /^https?:\/\/(review\.[\w.-]+)\/(?:#\/c\/(\d+)|(\d+)|c\/[\w./-]+?\/\+\/(\d+))(?=$|[/#?\s])/i;

function splitLink(entry: string): { url: string; note: string | null } {
  const t = entry.trim();
  const at = t.search(/https?:\/\//);
  if (at < 0) return { url: t, note: null };
  const rest = t.slice(at);
  const end = rest.search(/\s/);
  const url = end < 0 ? rest : rest.slice(0, end);
  const note = `${t.slice(0, at)} ${end < 0 ? '' : rest.slice(end)}`.trim();
  return { url, note: note === '' ? null : note };
}

/**
 * The facts Steward counts and links, from an advisory's content: products lower-cased (a product
 * field may name several, comma-separated), CVE ids found in `cve-id` fields, bugs from
 * `issues.links` (Launchpad `…/bugs/N` and `…/+bug/N`, StoryBoard stories; other trackers kept
 * unnumbered), and Gerrit change numbers from the review links of each branch.
 */
export function advisoryFacts(a: Advisory): AdvisoryFacts {
  const products = [...new Set(a.products.flatMap((p) => splitProducts(p.product).map((n) => n.toLowerCase())))];
  const cves = [...new Set(a.vulnerabilities.flatMap((v) => v.cveId.match(CVE) ?? []))];
  const bugs: AdvisoryBug[] = a.issues.links.map((entry) => {
    const { url, note } = splitLink(entry);
    const lp = LAUNCHPAD_BUG.exec(url);
    if (lp) return { tracker: 'launchpad', bug: lp[1]!.replace(/^0+(?=\d)/, ''), url, note };
    const sb = STORYBOARD.exec(url);
    if (sb) return { tracker: 'storyboard', bug: sb[1]!, url, note };
    return { tracker: 'other', bug: null, url, note };
  });
  const reviews: AdvisoryReview[] = a.reviews.flatMap((g) =>
    g.links.map((entry) => {
      const { url, note } = splitLink(entry);
      const m = GERRIT.exec(url);
      const n = m ? (m[2] ?? m[3] ?? m[4]) : undefined;
      return {
        branch: g.branch,
        series: seriesOf(g.branch),
        host: m ? m[1]!.toLowerCase() : null,
        number: n ? Number(n) : null,
        url,
        note,
      };
    }),
  );
  return { products, cves, bugs, reviews };
}

/** "2023.1/antelope(nova)", "2023.2/bobcat nova errata 1", "2024.1/caracal (unmaintained)" → the series part. */
function seriesOf(branch: string): string {
  return branch.replace(/\s*\(.*$/, '').split(/\s+/)[0] ?? branch;
}

/**
 * An advisory as YAML in the format it is read in: the keys in the VMT's order, a blank line
 * between them, absent fields left out. `parseAdvisory(advisoryToYaml(a)).advisory` equals `a`.
 * The security tracker calls it at disclosure to publish an item as an advisory.
 *
 * @example advisoryToYaml(record.advisory).split('\n')[0] // 'date: 2012-01-11'
 */
export function advisoryToYaml(a: Advisory): string {
  const out: Record<string, unknown> = { date: a.date, id: a.id, title: a.title, description: a.description };
  if (a.reference !== null) out.reference = a.reference;
  out['affected-products'] = a.products.map((p) =>
    p.version === null ? { product: p.product } : { product: p.product, version: p.version },
  );
  out.vulnerabilities = a.vulnerabilities.map((v) => {
    const e: Record<string, unknown> = { 'cve-id': v.cveId };
    if (v.note !== null) e.note = v.note;
    if (v.impactAssessment !== null) {
      const i = v.impactAssessment;
      const m: Record<string, unknown> = {};
      if (i.source !== null) m.source = i.source;
      if (i.rating !== null) m.rating = i.rating;
      if (i.assessment !== null)
        m.assessment = dropNulls({ type: i.assessment.type, score: i.assessment.score, detail: i.assessment.detail });
      e['impact-assessment'] = m;
    }
    if (v.classification !== null) e.classification = dropNulls({ ...v.classification });
    return e;
  });
  out.reporters = a.reporters.map((p) => dropNulls({ name: p.name, affiliation: p.affiliation, reported: p.reported }));
  out.issues = dropNulls({ links: a.issues.links, type: a.issues.type });
  const reviews: Record<string, unknown> = {};
  for (const g of a.reviews) reviews[g.branch] = g.links;
  if (a.reviewsType !== null) reviews.type = a.reviewsType;
  out.reviews = reviews;
  if (a.notes !== null) out.notes = a.notes;
  if (a.errata !== null) out.errata = a.errata;
  if (a.errataHistory !== null) out.errata_history = a.errataHistory;
  if (a.type !== null) out.type = a.type;
  // One key at a time, a blank line between them as the VMT writes them; a value kept with its
  // trailing blank lines (`|+`) already ends in them, and one more would become part of it.
  let text = '';
  for (const [key, value] of Object.entries(out)) {
    if (text !== '' && !/\n\n$/.test(text)) text += '\n';
    text += stringify(
      { [key]: value },
      { lineWidth: 80, minContentWidth: 20, singleQuote: true, blockQuote: 'literal', aliasDuplicateObjects: false },
    );
  }
  return text;
}

function dropNulls(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));
}
