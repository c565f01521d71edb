/**
 * Dashboards as code: the definition Steward evaluates, read from gerrit-dash-creator `.dash` files
 * (an INI file: a `[dashboard]` section with `title`, optional `description`, `foreach`, and one
 * `[section "Name"]` per section with its `query`), and the Gerrit dashboard URL that opens the
 * same dashboard in Gerrit.
 *
 * @example
 * const d = parseDashFile('[dashboard]\ntitle = Inbox\nforeach = status:open\n[section "Mine"]\nquery = owner:self\n', 'inbox.dash');
 * dashboardUrl(d, 'https://review.opendev.org') // 'https://review.opendev.org/dashboard/?title=Inbox&foreach=status%3Aopen&Mine=owner%3Aself'
 */
import { StewardError } from '../model/errors.js';

export interface DashboardSection {
  name: string;
  query: string;
  /** 1-based line of the query in its file, when it came from one. */
  line?: number;
}

export interface DashboardDefinition {
  /** How `steward dashboard NAME` names it. */
  name: string;
  title: string;
  description: string | null;
  /** ANDed with every section's query (Gerrit's `foreach`). */
  foreach: string | null;
  foreachLine?: number;
  sections: DashboardSection[];
  /** Where it came from, for messages: "shipped with Steward", a file path, steward.yaml's key. */
  origin: string;
}

interface IniEntry {
  value: string;
  line: number;
}

/**
 * Parses a .dash file the way gerrit-dash-creator's Python ConfigParser reads it: `#` and `;` start
 * comment lines, keys are case-insensitive and take `=` or `:`, indented lines continue the value
 * (joined with a space: whitespace is not significant in a query).
 */
export function parseDashFile(text: string, where: string, name?: string): DashboardDefinition {
  const fail = (message: string, line: number, hint?: string): never => {
    throw new StewardError('INPUT_FORMAT', message, {
      where,
      line,
      hint: hint ?? 'A .dash file has a [dashboard] section (title, description, foreach) and [section "Name"] sections with a query each.',
    });
  };
  const sections: Array<{ header: string; line: number; keys: Map<string, IniEntry> }> = [];
  let current: { header: string; line: number; keys: Map<string, IniEntry> } | null = null;
  let lastKey: IniEntry | null = null;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    if (/^\s*$/.test(raw)) {
      lastKey = null;
      return;
    }
    if (/^[#;]/.test(raw)) return;
    if (/^\s/.test(raw)) {
      if (!lastKey) fail('an indented line that continues no value', lineNo);
      lastKey!.value = `${lastKey!.value} ${raw.trim()}`.trim();
      return;
    }
    const header = /^\[(.+)\]\s*$/.exec(raw);
    if (header) {
      current = { header: header[1]!.trim(), line: lineNo, keys: new Map() };
      sections.push(current);
      lastKey = null;
      return;
    }
    const kv = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(raw);
    if (!kv) fail(`expected "key = value", a [section] header or a comment, got "${raw.trim()}"`, lineNo);
    if (!current) fail('a key before any [section] header', lineNo);
    const key = kv![1]!.trim().toLowerCase();
    if (current!.keys.has(key)) fail(`\`${key}\` is set twice in [${current!.header}]`, lineNo);
    lastKey = { value: kv![2]!.trim(), line: lineNo };
    current!.keys.set(key, lastKey);
  });
  const dash = sections.filter((s) => s.header === 'dashboard');
  if (dash.length !== 1) fail(dash.length ? 'more than one [dashboard] section' : 'no [dashboard] section', dash[1]?.line ?? 1);
  const d = dash[0]!;
  const title = d.keys.get('title');
  if (!title?.value) fail("option 'title' in section 'dashboard' not set", d.line);
  const foreach = d.keys.get('foreach');
  if (!foreach?.value)
    fail(
      "option 'foreach' in section 'dashboard' not set",
      d.line,
      'gerrit-dash-creator requires foreach; write status:open for all open changes.',
    );
  const out: DashboardSection[] = [];
  for (const s of sections) {
    if (s.header === 'dashboard') continue;
    const m = /^section\s+"(.*)"$/.exec(s.header);
    if (!m || !m[1]) fail(`unknown section [${s.header}]: expected [dashboard] or [section "Name"]`, s.line);
    const q = s.keys.get('query');
    if (!q?.value) fail(`option 'query' in section '${m![1]}' not set`, s.line);
    out.push({ name: m![1]!, query: q!.value, line: q!.line });
  }
  if (out.length === 0) fail('no [section "Name"] with a query', d.line);
  return {
    name: name ?? where.replace(/^.*[\\/]/, '').replace(/\.dash$/i, ''),
    title: title!.value,
    description: d.keys.get('description')?.value || null,
    foreach: foreach!.value,
    foreachLine: foreach!.line,
    sections: out,
    origin: where,
  };
}

/**
 * The URL that opens the dashboard in Gerrit (its client-side dashboard form): `/dashboard/?`
 * with `title`, `foreach` and one parameter per section, each URL-encoded (commas too).
 * `rename` rewrites a query before it goes out (Steward's `core` group → the real group name).
 */
export function dashboardUrl(d: DashboardDefinition, hostUrl: string, rename: (query: string) => string = (q) => q): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const parts = [`title=${enc(d.title)}`];
  if (d.foreach) parts.push(`foreach=${enc(rename(d.foreach))}`);
  for (const s of d.sections) parts.push(`${enc(s.name)}=${enc(rename(s.query))}`);
  return `${hostUrl.replace(/\/+$/, '')}/dashboard/?${parts.join('&')}`;
}
