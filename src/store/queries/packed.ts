/**
 * Packed results, shared by the loaders of the large reads (flow.ts, reviewers.ts): a query returns
 * its records as one aggregated string, read here in place. Helpers only; no query of its own.
 */
import { sql, type RawBuilder } from 'kysely';
import type { EngineName } from '../engine.js';

// Packed results: a query returns its records as one aggregated string, fields joined by US (\x1f)
// and records by RS (\x1e). Neither separator can occur in the values packed (numbers, names of
// labels, projects and branches, message kinds). One long string costs far less to read than one
// row per record (16,000 changes with 92,000 votes: 70 ms against 250 ms in SQLite), and without
// GROUP BY neither engine sorts.
export const FS = '\u001f';
export const RS = '\u001e';
// One level up, for records whose fields are packed records (the change_flow rows): GS and FS.
export const CS = '\u001d';
export const CR = '\u001c';
export const FS_CODE = 0x1f;
export const RS_CODE = 0x1e;
export const CS_CODE = 0x1d;
export const CR_CODE = 0x1c;

// One aggregate per engine, side by side: a missing engine fails to compile.
export const AGGREGATE: Record<EngineName, (expr: RawBuilder<string>, separator?: string) => RawBuilder<string>> = {
  sqlite: (e, separator = RS) => sql<string>`group_concat(${e}, ${separator})`,
  postgres: (e, separator = RS) => sql<string>`string_agg(${e}, cast(${separator} as text))`,
};

/**
 * One record of some columns, its fields joined by FS, not aggregated. A column named with a
 * trailing `?` may be null (packed as an empty field); the others are concatenated as they are (both
 * engines turn numbers into text in `||`), which is measurably cheaper than casting every field.
 */
export function packRecord(columns: ReadonlyArray<string | RawBuilder<string>>): RawBuilder<string> {
  const fields = columns.map((c) =>
    typeof c !== 'string' ? c : c.endsWith('?') ? sql`coalesce(cast(${sql.ref(c.slice(0, -1))} as text), '')` : sql.ref(c),
  );
  return sql<string>`${sql.join(fields, sql` || cast(${FS} as text) || `)}`;
}

/** The packed-record expression of some columns ({@link packRecord}), aggregated into one string. */
export function pack(engine: EngineName, columns: ReadonlyArray<string | RawBuilder<string>>): RawBuilder<string> {
  return AGGREGATE[engine](packRecord(columns));
}

/**
 * One record of packed rows, read in place: numbers are parsed from the characters and common
 * strings are recognised without cutting substrings, so reading 100,000 votes allocates little
 * more than the records built from them.
 */
export class Fields {
  s = '';
  readonly from: Int32Array;
  readonly to: Int32Array;

  constructor(width: number) {
    this.from = new Int32Array(width);
    this.to = new Int32Array(width);
  }

  /** Field k as an integer (empty: NaN). */
  num(k: number): number {
    const s = this.s;
    let i = this.from[k]!;
    const end = this.to[k]!;
    if (i >= end) return Number.NaN;
    let sign = 1;
    if (s.charCodeAt(i) === 45) {
      sign = -1;
      i++;
    }
    let n = 0;
    for (; i < end; i++) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return Number(s.slice(this.from[k]!, end));
      n = n * 10 + d;
    }
    return sign * n;
  }

  nullableNum(k: number): number | null {
    return this.from[k]! >= this.to[k]! ? null : this.num(k);
  }

  /** Field k, as one of `known` when it is one (no new string), else cut out. */
  str(k: number, known: readonly string[] = []): string {
    const a = this.from[k]!;
    const len = this.to[k]! - a;
    // An indexed loop: unoptimised (a fresh process), a for…of allocates an iterator result per step.
    for (let i = 0; i < known.length; i++) if (known[i]!.length === len && this.s.startsWith(known[i]!, a)) return known[i]!;
    return this.s.slice(a, this.to[k]!);
  }

  /**
   * Field k as one of `seen` when it is one, else cut out and added to `seen` (up to 16 values: a
   * field with many distinct values is cut out each time beyond them). For fields that repeat, such
   * as a change's host, project and branch.
   */
  known(k: number, seen: string[]): string {
    const a = this.from[k]!;
    const len = this.to[k]! - a;
    for (let i = 0; i < seen.length; i++) if (seen[i]!.length === len && this.s.startsWith(seen[i]!, a)) return seen[i]!;
    const x = this.s.slice(a, this.to[k]!);
    if (seen.length < 16) seen.push(x);
    return x;
  }

  is(k: number, text: string): boolean {
    return this.to[k]! - this.from[k]! === text.length && this.s.startsWith(text, this.from[k]!);
  }
}

/** Calls `each` with every record of packed rows (`width` fields a record). */
export function unpack(rows: ReadonlyArray<{ packed: string | null }>, width: number, each: (f: Fields) => void): void {
  unpackWith(rows, FS, RS, width, each);
}

/** As unpack, with other separators (for records that hold packed records themselves). */
function unpackWith(
  rows: ReadonlyArray<{ packed: string | null }>,
  fieldSep: string,
  recordSep: string,
  width: number,
  each: (f: Fields) => void,
): void {
  const f = new Fields(width);
  for (const r of rows) {
    const s = r.packed;
    if (!s) continue;
    f.s = s;
    const n = s.length;
    let i = 0;
    while (i < n) {
      for (let k = 0; k < width; k++) {
        let j = s.indexOf(k === width - 1 ? recordSep : fieldSep, i);
        if (j < 0) j = n;
        f.from[k] = i;
        f.to[k] = j;
        i = j + 1;
      }
      each(f);
    }
  }
}

/**
 * Packed records of `width` integer fields (none empty) as one column each: for reads of many
 * small records (a period's 51,000 change ids and times), where a record object or an array push
 * per value costs more than the read.
 */
export function unpackIntegers(rows: ReadonlyArray<{ packed: string | null }>, width: number): Float64Array[] {
  let count = 0;
  for (const r of rows) {
    const s = r.packed;
    if (!s) continue;
    count++;
    for (let i = s.indexOf(RS); i >= 0; i = s.indexOf(RS, i + 1)) count++;
  }
  const columns = Array.from({ length: width }, () => new Float64Array(count));
  let k = 0;
  for (const r of rows) {
    const s = r.packed;
    if (!s) continue;
    const n = s.length;
    let field = 0;
    let v = 0;
    let sign = 1;
    for (let i = 0; i <= n; i++) {
      const c = i < n ? s.charCodeAt(i) : RS_CODE;
      if (c === FS_CODE || c === RS_CODE) {
        if (field < width) columns[field]![k] = sign * v;
        v = 0;
        sign = 1;
        if (c === RS_CODE) {
          k++;
          field = 0;
        } else field++;
      } else if (c === 45) sign = -1;
      else v = v * 10 + (c - 48);
    }
  }
  return columns;
}
