/**
 * Resolves the AccountRefs that payloads carry to stored account ids, creating accounts on first
 * sight. REST payloads name accounts by numeric id, SSH payloads only by username/email/name, so
 * one person imported from both formats is matched by: Gerrit account id, else username, else
 * (for refs without a username) email, else name. An account first seen without an id gets it
 * when a REST payload names it by the same username.
 *
 * A resolver's cache is only as good as the transactions that filled it: use one per transaction,
 * or move it to the next transaction with `useDb` only after the previous one committed.
 */
import type { Kysely } from 'kysely';
import type { AccountRef } from '../model/records.js';
import type { BulkWriter } from './bulk-insert.js';
import type { Database } from './schema.js';

interface Known {
  id: number;
  gerrit_id: number | null;
  username: string | null;
  name: string | null;
  email: string | null;
}

export class AccountResolver {
  private readonly byId = new Map<number, Known>();
  private readonly byUsername = new Map<string, Known>();
  private readonly byEmail = new Map<string, Known>();
  private readonly byName = new Map<string, Known>();
  private loaded = false;
  /** Accounts created by this resolver. */
  created = 0;

  constructor(
    private db: Kysely<Database>,
    readonly host: string,
    private readonly bulk: BulkWriter,
  ) {}

  /** Continues with another transaction (the previous one must have committed). */
  useDb(db: Kysely<Database>): void {
    this.db = db;
  }

  private index(a: Known): void {
    if (a.gerrit_id != null) this.byId.set(a.gerrit_id, a);
    if (a.username) this.byUsername.set(a.username, a);
    if (a.email && !this.byEmail.has(a.email)) this.byEmail.set(a.email, a);
    if (a.name && !this.byName.has(a.name)) this.byName.set(a.name, a);
  }

  private find(ref: AccountRef): Known | undefined {
    if (ref.accountId != null) {
      const k = this.byId.get(ref.accountId);
      if (k) return k;
    }
    if (ref.username) {
      const k = this.byUsername.get(ref.username);
      return k && (ref.accountId == null || k.gerrit_id == null) ? k : undefined;
    }
    if (ref.accountId != null) return undefined;
    if (ref.email) return this.byEmail.get(ref.email);
    if (ref.name) return this.byName.get(ref.name);
    return undefined;
  }

  /** Stored id of an account already ensured; throws when `ensure` was not called for it. */
  idOf(ref: AccountRef): number {
    const k = this.find(ref);
    if (!k) throw new Error(`account not resolved: ${JSON.stringify(ref)}`);
    return k.id;
  }

  private async load(): Promise<void> {
    const rows = await this.db
      .selectFrom('accounts')
      .select(['id', 'gerrit_id', 'username', 'name', 'email'])
      .where('host', '=', this.host)
      .execute();
    for (const r of rows) this.index(r);
    this.loaded = true;
  }

  /** Makes sure every ref has a stored account, creating or completing accounts in bulk. */
  async ensure(refs: Iterable<AccountRef>): Promise<void> {
    if (!this.loaded) await this.load();
    const toCreate = new Map<string, AccountRef>();
    const toComplete = new Set<Known>();
    for (const ref of refs) {
      if (ref.accountId == null && !ref.username && !ref.email && !ref.name) continue;
      const k = this.find(ref);
      if (k) {
        if (
          (k.gerrit_id == null && ref.accountId != null) ||
          (!k.username && ref.username) ||
          (!k.name && ref.name) ||
          (!k.email && ref.email)
        ) {
          k.gerrit_id ??= ref.accountId ?? null;
          k.username ||= ref.username ?? null;
          k.name ||= ref.name ?? null;
          k.email ||= ref.email ?? null;
          this.index(k);
          toComplete.add(k);
        }
        continue;
      }
      const key =
        ref.accountId != null ? `i${ref.accountId}` : ref.username ? `u${ref.username}` : ref.email ? `e${ref.email}` : `n${ref.name}`;
      const prev = toCreate.get(key);
      toCreate.set(key, prev ? { ...ref, ...prev } : ref);
    }
    if (toCreate.size > 0) {
      const refsList = [...toCreate.values()];
      const rows = refsList.map((r) => [this.host, r.accountId ?? null, r.username ?? null, r.name ?? null, r.email ?? null]);
      // Another process may have created some of these accounts since this cache was loaded: those
      // rows are skipped on conflict and found by reloading. RETURNING gives no row order
      // guarantee, so inserted rows are matched back by their natural key.
      const inserted = await this.bulk.insert<Known>(
        this.db,
        'accounts',
        ['host', 'gerrit_id', 'username', 'name', 'email'],
        rows,
        ['id', 'gerrit_id', 'username', 'name', 'email'],
        {
          skipConflictsOn: ['host', 'gerrit_id'],
        },
      );
      for (const row of inserted) this.index(row);
      if (inserted.length < refsList.length) await this.load();
      const missing = refsList.filter((r) => !this.find(r));
      if (missing.length) throw new Error(`accounts could not be created or found: ${missing.map((r) => JSON.stringify(r)).join(', ')}`);
      this.created += inserted.length;
    }
    for (const k of toComplete) {
      await this.db
        .updateTable('accounts')
        .set({ gerrit_id: k.gerrit_id, username: k.username, name: k.name, email: k.email })
        .where('id', '=', k.id)
        .execute();
    }
  }
}
