/**
 * Store side of `steward security advisories import`: one transaction that replaces the given
 * advisories (by id) with their facts, so an import is stored whole or not at all and importing the
 * same files again changes nothing. Row types stay here and in schema.ts; model/advisories.ts has
 * the records.
 */
import type { AdvisoryRecord } from '../model/advisories.js';
import type { Store } from './engine.js';

const CHUNK = 400;

/** What an import wrote: advisories new to the store and those it replaced. */
export interface AdvisoryWriteResult {
  added: number;
  replaced: number;
}

/** The midnight (UTC) of a `YYYY-MM-DD` day, in epoch ms. */
export function dayToEpochMs(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

/**
 * Stores `records` in one transaction: an advisory already stored under the same id is replaced
 * with its facts. `importedAt` (epoch ms) is recorded on each.
 */
export async function storeAdvisories(store: Store, records: readonly AdvisoryRecord[], importedAt: number): Promise<AdvisoryWriteResult> {
  const ids = [...new Set(records.map((r) => r.advisory.id))];
  return store.db.transaction().execute(async (trx) => {
    let replaced = 0;
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK);
      for (const t of ['advisory_products', 'advisory_cves', 'advisory_reporters', 'advisory_bugs', 'advisory_reviews'] as const)
        await trx.deleteFrom(t).where('advisory_id', 'in', chunk).execute();
      const r = await trx.deleteFrom('advisories').where('id', 'in', chunk).executeTakeFirst();
      replaced += Number(r.numDeletedRows);
    }
    const advisories: unknown[][] = [];
    const products: unknown[][] = [];
    const cves: unknown[][] = [];
    const reporters: unknown[][] = [];
    const bugs: unknown[][] = [];
    const reviews: unknown[][] = [];
    // The last record of an id wins, as the last file given would.
    const last = new Map(records.map((r) => [r.advisory.id, r]));
    for (const { advisory: a, facts: f, source } of last.values()) {
      advisories.push([a.id, a.date, dayToEpochMs(a.date), a.title, JSON.stringify(a), source, importedAt]);
      for (const p of f.products) products.push([a.id, p]);
      for (const c of f.cves) cves.push([a.id, c]);
      a.reporters.forEach((p, i) => reporters.push([a.id, i, p.name, p.affiliation]));
      f.bugs.forEach((b, i) => bugs.push([a.id, i, b.tracker, b.bug, b.url, b.note]));
      f.reviews.forEach((v, i) => reviews.push([a.id, i, v.branch, v.series, v.host, v.number, v.url, v.note]));
    }
    await store.bulk.insert(
      trx,
      'advisories',
      ['id', 'published', 'published_at', 'title', 'content', 'source', 'imported_at'],
      advisories,
    );
    await store.bulk.insert(trx, 'advisory_products', ['advisory_id', 'product'], products);
    await store.bulk.insert(trx, 'advisory_cves', ['advisory_id', 'cve'], cves);
    await store.bulk.insert(trx, 'advisory_reporters', ['advisory_id', 'seq', 'name', 'affiliation'], reporters);
    await store.bulk.insert(trx, 'advisory_bugs', ['advisory_id', 'seq', 'tracker', 'bug', 'url', 'note'], bugs);
    await store.bulk.insert(trx, 'advisory_reviews', ['advisory_id', 'seq', 'branch', 'series', 'host', 'number', 'url', 'note'], reviews);
    return { added: last.size - replaced, replaced };
  });
}
