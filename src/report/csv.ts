/** RFC 4180 CSV: fields with commas, quotes or line breaks are quoted, quotes doubled. */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly unknown[]>): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n';
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
