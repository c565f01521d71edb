import { StewardError } from '../model/errors.js';

/**
 * A text cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab or carriage return
 * before one) gets a leading `'`, so it shows as the text it is: change subjects and account names
 * are written by anyone, and `=HYPERLINK(…)` as a reviewer's name must not become a live link.
 * Numbers, and text that is just a number (`-1`, `+2`), are left as they are.
 */
export function neutraliseFormula(s: string): string {
  if (!/^[=+\-@\t\r]/.test(s) || /^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(s)) return s;
  return `'${s}`;
}

/**
 * One RFC 4180 CSV field: text neutralised against spreadsheet formulas (`neutraliseFormula`), then
 * quoted when it holds a comma, a quote or a line break, quotes doubled. Objects are written as JSON.
 */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  return quoted(typeof v === 'object' ? JSON.stringify(v) : typeof v === 'string' ? neutraliseFormula(v) : String(v));
}

function quoted(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * A CSV table: the header (our own column names, quoted but kept as written: `+A`, `+/- %`), then
 * one line per row, every field through `csvField`. The only CSV writer; a column name given twice
 * is a bug it refuses.
 */
export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly unknown[]>): string {
  const twice = header.filter((h, i) => header.indexOf(h) !== i);
  if (twice.length) throw new StewardError('INTERNAL', `CSV with the column ${twice.map((h) => `"${h}"`).join(', ')} twice`);
  return [header.map(quoted).join(','), ...rows.map((r) => r.map(csvField).join(','))].join('\n') + '\n';
}

/**
 * Flattens a nested JSON value into (key path, value) rows, for reports that are not tables:
 * `{a: {b: 1}, c: [2]}` → `a.b,1` and `c[0],2`.
 */
export function flattenRows(value: unknown, prefix = ''): Array<[string, unknown]> {
  if (value === null || typeof value !== 'object') return [[prefix, value]];
  const out: Array<[string, unknown]> = [];
  if (Array.isArray(value)) {
    if (value.length === 0) return [[prefix, '']];
    value.forEach((v, i) => out.push(...flattenRows(v, `${prefix}[${i}]`)));
  } else {
    for (const [k, v] of Object.entries(value)) out.push(...flattenRows(v, prefix ? `${prefix}.${k}` : k));
  }
  return out;
}
