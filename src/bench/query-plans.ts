/**
 * The query plans of what a report runs (issue 20: "a plan that stops using its index shows"): the
 * bench records every statement a report sends through its store, with its time, and asks the
 * engine for the plan of each slow one (EXPLAIN QUERY PLAN in SQLite, EXPLAIN in PostgreSQL). A
 * full pass over a large table — SQLite's `SCAN votes` (also through an index: it still reads every
 * entry), PostgreSQL's `Seq Scan on votes` — is named beside the report's time, and every plan is
 * written to a file for reading.
 *
 * Recording wraps the drivers' statement calls (better-sqlite3's prepared statements, pg's
 * client.query) in this process: bench code only.
 */
import { createRequire } from 'node:module';
import { CompiledQuery } from 'kysely';
import type { Store } from '../store/engine.js';

/** A statement a report ran. */
export interface RanStatement {
  sql: string;
  params: readonly unknown[];
  ms: number;
}

// The tables that grow with the project: a full pass over one of them is what a window's report must not make.
const LARGE = ['votes', 'messages', 'patch_sets', 'changes', 'change_files', 'ci_reports', 'change_flow', 'commits', 'bug_tasks', 'bugs'];
const SQLITE_FULL = new RegExp(`^SCAN (${LARGE.join('|')})\\b`);
const PG_FULL = new RegExp(`Seq Scan on (${LARGE.join('|')})\\b`);

let recording: RanStatement[] | null = null;
let installed = false;

/** Wraps the drivers so that statements are recorded while {@link recordStatements} runs. */
function install(): void {
  if (installed) return;
  installed = true;
  const require = createRequire(import.meta.url);
  const Sqlite = require('better-sqlite3') as { prototype: { prepare: (sql: string) => Record<string, unknown> } };
  const prepare = Sqlite.prototype.prepare;
  Sqlite.prototype.prepare = function (this: unknown, text: string) {
    const st = prepare.call(this, text);
    for (const m of ['all', 'get', 'run', 'iterate']) {
      const f = st[m] as ((...a: unknown[]) => unknown) | undefined;
      if (typeof f !== 'function') continue;
      st[m] = (...a: unknown[]) => {
        const t0 = performance.now();
        const r = f.apply(st, a);
        recording?.push({ sql: text, params: (a[0] as unknown[]) ?? [], ms: performance.now() - t0 });
        return r;
      };
    }
    return st;
  };
  const pg = require('pg') as { Client: { prototype: { query: (...a: unknown[]) => unknown } } };
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: unknown, ...a: unknown[]) {
    const r = query.apply(this, a);
    const text = typeof a[0] === 'string' ? a[0] : (a[0] as { text?: string })?.text;
    if (recording && text && r && typeof (r as Promise<unknown>).then === 'function') {
      const list = recording;
      const t0 = performance.now();
      const params = (Array.isArray(a[1]) ? a[1] : ((a[0] as { values?: unknown[] })?.values ?? [])) as unknown[];
      void (r as Promise<unknown>).then(
        () => list.push({ sql: text, params, ms: performance.now() - t0 }),
        () => undefined,
      );
    }
    return r;
  };
}

/** Runs `work`, returning what it returned and the statements it sent. */
export async function recordStatements<T>(work: () => Promise<T>): Promise<{ value: T; statements: RanStatement[] }> {
  install();
  const statements: RanStatement[] = [];
  recording = statements;
  try {
    return { value: await work(), statements };
  } finally {
    recording = null;
  }
}

/** A statement's plan, and the large tables it reads in full. */
export interface StatementPlan {
  sql: string;
  ms: number;
  plan: string[];
  fullScans: string[];
}

/**
 * The plans of the statements that took at least `minMs` (each text once, its slowest run), on the
 * store they ran on.
 */
export async function explainStatements(store: Store, statements: readonly RanStatement[], minMs = 5): Promise<StatementPlan[]> {
  const slowest = new Map<string, RanStatement>();
  for (const s of statements) {
    if (s.ms < minMs || !/^\s*(with|select)\b/i.test(s.sql)) continue;
    const prev = slowest.get(s.sql);
    if (!prev || s.ms > prev.ms) slowest.set(s.sql, s);
  }
  const plans: StatementPlan[] = [];
  for (const s of [...slowest.values()].sort((a, b) => b.ms - a.ms)) {
    const prefix = store.engine === 'sqlite' ? 'explain query plan ' : 'explain ';
    const r = await store.db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(prefix + s.sql, [...s.params]));
    const plan = r.rows.map((row) => String(row['detail'] ?? row['QUERY PLAN'] ?? JSON.stringify(row)));
    const full = store.engine === 'sqlite' ? SQLITE_FULL : PG_FULL;
    const fullScans = [...new Set(plan.map((l) => full.exec(l.trim())?.[1]).filter((t): t is string => !!t))];
    plans.push({ sql: s.sql, ms: Math.round(s.ms), plan, fullScans });
  }
  return plans;
}
