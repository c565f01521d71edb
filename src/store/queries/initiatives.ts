/**
 * Reads for initiatives (analysis/initiatives.ts): the commits of the code history that may be in
 * an initiative's scope, and a quick count of what a scope matches (to refuse one that matches
 * nothing). The analysis decides what is in scope; these only narrow what is read.
 */
import type { Kysely } from 'kysely';
import type { TrackedCommit, TrackedScope } from '../../model/initiatives.js';
import type { SpecRecord } from '../../model/specs.js';
import type { Database } from '../schema.js';

const CHUNK = 400;
const chunks = <T>(xs: readonly T[]): T[][] =>
  Array.from({ length: Math.ceil(xs.length / CHUNK) }, (_, i) => xs.slice(i * CHUNK, (i + 1) * CHUNK));

/**
 * Commits landed in [since, until] that name one of `blueprints` or `bugs` (git_commit_links), or,
 * with `withPatterns`, every commit landed then (the commit patterns are matched by the analysis),
 * each with its links. Ordered by landing, then hash.
 *
 * @example await loadScopeCommits(db, { blueprints: ['cells-v2'], bugs: [], withPatterns: false, since, until })
 */
export async function loadScopeCommits(
  db: Kysely<Database>,
  o: { blueprints: readonly string[]; bugs: readonly string[]; withPatterns: boolean; since: number; until: number },
): Promise<TrackedCommit[]> {
  const keys = new Set<string>();
  const rows: Array<{
    repo: string;
    sha: string;
    subject: string;
    message: string;
    author_name: string;
    author_email: string;
    landed_at: number;
  }> = [];
  const cols = ['c.repo', 'c.sha', 'c.subject', 'c.message', 'c.author_name', 'c.author_email', 'c.landed_at'] as const;
  const take = (list: typeof rows): void => {
    for (const r of list) {
      const k = `${r.repo}\u0000${r.sha}`;
      if (!keys.has(k)) {
        keys.add(k);
        rows.push(r);
      }
    }
  };
  if (o.withPatterns) {
    take(
      await db
        .selectFrom('git_commits as c')
        .select(cols)
        .where('c.landed_at', '>=', o.since)
        .where('c.landed_at', '<=', o.until)
        .execute(),
    );
  } else {
    const targets = [...new Set([...o.blueprints.map((b) => b.toLowerCase()), ...o.bugs])];
    for (const part of chunks(targets))
      take(
        await db
          .selectFrom('git_commit_links as l')
          .innerJoin('git_commits as c', (j) => j.onRef('c.repo', '=', 'l.repo').onRef('c.sha', '=', 'l.sha'))
          .select(cols)
          .where('l.target', 'in', part)
          .where('c.landed_at', '>=', o.since)
          .where('c.landed_at', '<=', o.until)
          .execute(),
      );
  }
  const links = new Map<string, Array<{ kind: string; target: string }>>();
  const shas = [...new Set(rows.map((r) => r.sha))];
  for (const part of chunks(shas))
    for (const l of await db.selectFrom('git_commit_links').select(['repo', 'sha', 'kind', 'target']).where('sha', 'in', part).execute()) {
      const k = `${l.repo}\u0000${l.sha}`;
      const list = links.get(k) ?? [];
      list.push({ kind: l.kind, target: l.target });
      links.set(k, list);
    }
  return rows
    .map((r) => ({
      repo: r.repo,
      sha: r.sha,
      subject: r.subject,
      message: r.message,
      authorName: r.author_name,
      authorEmail: r.author_email,
      landedAt: Number(r.landed_at),
      links: links.get(`${r.repo}\u0000${r.sha}`) ?? [],
    }))
    .sort((a, b) => a.landedAt - b.landedAt || (a.sha < b.sha ? -1 : a.sha > b.sha ? 1 : 0));
}

/**
 * How many changes, commits and specs the scopes name by what the store indexes: blueprints and
 * specs (links), topics, bugs, paths. Queries and commit patterns are not evaluated here: a scope
 * with any counts as matching (the status says when they match nothing). 0: nothing at all.
 */
export async function countScopeEvidence(
  db: Kysely<Database>,
  scopes: readonly TrackedScope[],
  specs: readonly SpecRecord[],
): Promise<number> {
  if (scopes.some((s) => s.queries.length + s.commitPatterns.length + s.bugTags.length > 0)) return 1;
  const specNames = new Set(scopes.flatMap((s) => s.specs.map((x) => x.toLowerCase())));
  const named = specs.filter((s) =>
    [
      s.blueprint,
      s.path
        .split('/')
        .pop()!
        .replace(/\.rst$/i, ''),
      s.firstPath
        .split('/')
        .pop()!
        .replace(/\.rst$/i, ''),
    ].some((n) => specNames.has(n.toLowerCase())),
  );
  let n = named.length;
  const blueprints = [...new Set([...scopes.flatMap((s) => s.blueprints), ...named.map((s) => s.blueprint)].map((b) => b.toLowerCase()))];
  const bugs = [...new Set(scopes.flatMap((s) => s.bugs))];
  const targets = [...blueprints, ...bugs];
  for (const part of chunks(targets)) {
    if (n) return n;
    const a = await db.selectFrom('links').select('change_id').where('target', 'in', part).limit(1).execute();
    const b = await db.selectFrom('git_commit_links').select('sha').where('target', 'in', part).limit(1).execute();
    n += a.length + b.length;
  }
  const topics = [...new Set(scopes.flatMap((s) => s.topics))];
  for (const part of chunks(topics)) {
    if (n) return n;
    n += (await db.selectFrom('changes').select('id').where('topic', 'in', part).limit(1).execute()).length;
  }
  for (const p of new Set(scopes.flatMap((s) => s.paths))) {
    if (n) return n;
    n += (
      await db
        .selectFrom('change_files')
        .select('change_id')
        .where('path', 'like', `${p.replace(/^\/+/, '').replace(/[%_]/g, '')}%`)
        .limit(1)
        .execute()
    ).length;
  }
  return n;
}
