/**
 * store.bulkLoad (open-store.ts sqliteBulkLoad) and the import that runs through it. On SQLite the
 * bulk settings (foreign keys off, 64 MB cache, a rollback journal when no other connection has the
 * file open, synchronous FULL with it) hold while the work runs and are put back afterwards, whether
 * it succeeds or fails; the SQLite writer's INSERT OR FAIL inside a transaction leaves nothing once the
 * transaction rolls back, and outside one a failing insert leaves nothing at all. PostgreSQL runs the
 * work as it is.
 */
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import { importFiles } from '../../src/ingest/import-files.js';
import { writeRestExport, writeSshExport } from '../../src/demo/demo-export.js';
import { dumpStore } from '../../src/store/dump.js';
import { openStore } from '../../src/store/open-store.js';
import type { BulkLoadOptions, Store } from '../../src/store/engine.js';
import type { Database } from '../../src/store/schema.js';
import { ENGINES, withStore } from '../helpers/stores.js';

const NOW = Date.UTC(2026, 10, 1);
const DEMO = { seed: 11, changes: 60, months: 3, now: NOW };
const HOST = 'review.example.org';
let dir: string;
let rest: string;
let ssh: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'steward-bulk-load-'));
  rest = join(dir, 'rest.json');
  ssh = join(dir, 'ssh.json');
  await writeRestExport(DEMO, rest, { pageSize: 20 });
  await writeSshExport(DEMO, ssh);
});
after(() => rmSync(dir, { recursive: true, force: true }));

interface Settings {
  journal_mode: string;
  foreign_keys: number;
  cache_size: number;
  synchronous: number;
  busy_timeout: number;
}

/** The connection's settings as SQLite reports them (synchronous: 1 NORMAL, 2 FULL). */
async function settings(db: Kysely<Database>): Promise<Settings> {
  const read = async (name: keyof Settings): Promise<unknown> =>
    Object.values((await sql.raw(`pragma ${name}`).execute(db)).rows[0] as object)[0];
  return {
    journal_mode: String(await read('journal_mode')),
    foreign_keys: Number(await read('foreign_keys')),
    cache_size: Number(await read('cache_size')),
    synchronous: Number(await read('synchronous')),
    busy_timeout: Number(await read('busy_timeout')),
  };
}

/** Bytes 18 and 19 of the database file's header: 2 in WAL mode, 1 with a rollback journal. */
function fileFormat(path: string): number[] {
  const fd = openSync(path, 'r');
  try {
    const header = Buffer.alloc(100);
    readSync(fd, header, 0, 100, 0);
    return [header[18]!, header[19]!];
  } finally {
    closeSync(fd);
  }
}

async function count(db: Kysely<Database>, table: keyof Database): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((e) => e.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function anyChangeId(db: Kysely<Database>): Promise<number> {
  return (await db.selectFrom('changes').select('id').orderBy('id').executeTakeFirstOrThrow()).id;
}

const FILE_COLUMNS = ['change_id', 'path', 'insertions', 'deletions'];
const TEST_PATHS = 'bulk-load-test/%';
/** Three change_files rows for one change, the third a duplicate of the first (primary key change_id, path). */
const duplicateRows = (changeId: number): unknown[] => [
  changeId,
  'bulk-load-test/a',
  1,
  0,
  changeId,
  'bulk-load-test/b',
  2,
  0,
  changeId,
  'bulk-load-test/a',
  3,
  0,
];
const testFiles = (db: Kysely<Database>): Promise<number> =>
  db
    .selectFrom('change_files')
    .select((e) => e.fn.countAll().as('n'))
    .where('path', 'like', TEST_PATHS)
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));
const DUPLICATE = /UNIQUE constraint failed: change_files|duplicate key value violates unique constraint/;

describe('store.bulkLoad on SQLite', () => {
  it('an import runs with a rollback journal and leaves the store in WAL mode, foreign keys on, its cache size, with the data in it', async () => {
    await withStore('sqlite', async (store, location) => {
      const normal = await settings(store.db);
      assert.equal(normal.journal_mode, 'wal');
      assert.equal(normal.foreign_keys, 1);
      assert.equal(normal.synchronous, 1);
      assert.deepEqual(fileFormat(location), [2, 2]);

      const formats: number[][] = [];
      const summary = await importFiles(store, [rest], { host: HOST, batchSize: 10, onProgress: () => formats.push(fileFormat(location)) });
      assert.equal(summary.stopped, null, summary.stopped?.error.message);
      assert.equal(summary.totals.new, DEMO.changes);
      // Read from the file while the import's transaction was open: the rollback journal was in force.
      assert.ok(formats.length >= DEMO.changes / 10, `${formats.length} progress calls`);
      assert.deepEqual(new Set(formats.map((f) => f.join())), new Set(['1,1']));

      assert.deepEqual(await settings(store.db), normal);
      assert.deepEqual(fileFormat(location), [2, 2]);
      assert.equal(await count(store.db, 'changes'), DEMO.changes);
      assert.equal(await count(store.db, 'messages'), summary.totals.messages);
      assert.equal(await count(store.db, 'votes'), summary.totals.votes);
      assert.ok(summary.totals.messages > 0 && summary.totals.votes > 0);
    });
  });

  it("a command's connection gets SQLite's own 2 MB page cache; a long-lived reader (the web server) asks for 64 MB", async () => {
    const path = join(dir, 'page-cache.db');
    const command = await openStore(path);
    const server = await openStore(path, { largePageCache: true });
    try {
      assert.equal((await settings(command.db)).cache_size, -2000);
      assert.equal((await settings(server.db)).cache_size, -65536);
    } finally {
      await command.close();
      await server.close();
    }
  });

  it('while the work runs: rollback journal, synchronous FULL, foreign keys off, a 64 MB cache; all put back after', async () => {
    await withStore('sqlite', async (store) => {
      const normal = await settings(store.db);
      const changeId = 999_999;
      const inside = await store.bulkLoad(async () => {
        const s = await settings(store.db);
        // Foreign keys really are off: a row naming no change goes in.
        await store.db
          .insertInto('change_files')
          .values({ change_id: changeId, path: 'bulk-load-test/orphan', insertions: 1, deletions: 0 })
          .execute();
        return s;
      });
      assert.deepEqual(inside, { ...normal, journal_mode: 'truncate', synchronous: 2, foreign_keys: 0, cache_size: -65536 });
      assert.equal(inside.busy_timeout, 5000, "busy_timeout is back to the store's own once the journal mode is set");

      assert.deepEqual(await settings(store.db), normal);
      await assert.rejects(
        store.db
          .insertInto('change_files')
          .values({ change_id: changeId, path: 'bulk-load-test/orphan-2', insertions: 1, deletions: 0 })
          .execute(),
        /FOREIGN KEY constraint failed/,
      );
      assert.equal(await testFiles(store.db), 1);
    });
  });

  it('pageCacheMb sets the cache for the work alone; an import into an empty store asks for 32 MB, one into a store with changes keeps 64 MB', async () => {
    await withStore('sqlite', async (store) => {
      const normal = await settings(store.db);
      assert.equal((await store.bulkLoad(async () => settings(store.db), { pageCacheMb: 16 })).cache_size, -16384);
      assert.deepEqual(await settings(store.db), normal);

      // What the import asks bulkLoad for, each time.
      const asked: Array<BulkLoadOptions | undefined> = [];
      const bulkLoad = store.bulkLoad.bind(store);
      (store as { bulkLoad: Store['bulkLoad'] }).bulkLoad = (work, options) => {
        asked.push(options);
        return bulkLoad(work, options);
      };
      for (let i = 0; i < 2; i++) {
        const summary = await importFiles(store, [rest], { host: HOST, batchSize: 10 });
        assert.equal(summary.stopped, null, summary.stopped?.error.message);
      }
      assert.deepEqual(
        asked,
        [{ pageCacheMb: 32, indexBuilds: true }, {}],
        'into the empty store, then into the store that holds the changes',
      );
      assert.deepEqual(await settings(store.db), normal);
    });
  });

  it("indexBuilds: the sorter's runs go to temporary files and a second thread while the work runs (temp_store FILE, threads 2); put back after", async () => {
    await withStore('sqlite', async (store) => {
      const sorter = async (): Promise<{ temp_store: number; threads: number }> => {
        const read = async (name: string): Promise<number> =>
          Number(Object.values((await sql.raw(`pragma ${name}`).execute(store.db)).rows[0] as object)[0]);
        return { temp_store: await read('temp_store'), threads: await read('threads') };
      };
      const normal = await sorter();
      assert.deepEqual(normal, { temp_store: 2, threads: 0 }, "every command's connection: temp_store MEMORY, SQLite's one thread");
      assert.deepEqual(await store.bulkLoad(sorter, { indexBuilds: true }), { temp_store: 1, threads: 2 });
      assert.deepEqual(await sorter(), normal);
      assert.deepEqual(await store.bulkLoad(sorter), normal, 'without indexBuilds the sorter is left as it is');
      await assert.rejects(
        store.bulkLoad(
          async () => {
            throw new Error('work failed');
          },
          { indexBuilds: true },
        ),
        /work failed/,
      );
      assert.deepEqual(await sorter(), normal, 'put back after a failure too');
    });
  });

  it('with a second connection reading the file, the store stays in WAL mode; that connection reads all through the import', async () => {
    await withStore('sqlite', async (store, location) => {
      const normal = await settings(store.db);
      const other = new BetterSqlite3(location);
      try {
        const changesSeen = other.prepare('select count(*) from changes').pluck();
        assert.equal(changesSeen.get(), 0);

        const inside = await store.bulkLoad(async () => settings(store.db));
        assert.deepEqual(inside, { ...normal, foreign_keys: 0, cache_size: -65536 }, 'still WAL and synchronous NORMAL');

        const seen: unknown[] = [];
        const formats: string[] = [];
        const summary = await importFiles(store, [rest], {
          host: HOST,
          batchSize: 10,
          onProgress: () => {
            // The import's transaction is open: the other connection reads what was committed before it.
            seen.push(changesSeen.get());
            formats.push(fileFormat(location).join());
          },
        });
        assert.equal(summary.stopped, null, summary.stopped?.error.message);
        assert.ok(seen.length >= DEMO.changes / 10, `${seen.length} reads during the import`);
        assert.deepEqual(new Set(seen), new Set([0]));
        assert.deepEqual(new Set(formats), new Set(['2,2']));
        assert.equal(changesSeen.get(), DEMO.changes);
        assert.deepEqual(await settings(store.db), normal);
      } finally {
        other.close();
      }
    });
  });

  it('when the import fails part-way, the settings are put back and the store holds what it held before', async () => {
    await withStore('sqlite', async (store) => {
      const first = await importFiles(store, [ssh], { host: HOST });
      assert.equal(first.stopped, null, first.stopped?.error.message);
      const normal = await settings(store.db);
      const baseline = await dumpStore(store);

      // The REST export of the same changes rewrites them (another format), cut half-way through.
      const text = readFileSync(rest, 'utf8');
      const truncated = join(dir, 'truncated.json');
      writeFileSync(truncated, text.slice(0, Math.floor(text.length * 0.6)));
      let read = 0;
      const summary = await importFiles(store, [truncated], { host: HOST, batchSize: 10, onProgress: (n) => (read = n) });
      assert.ok(summary.stopped, 'the import stops');
      assert.match(summary.stopped.error.message, /not valid JSON/);
      assert.ok(read >= 10, `batches were written before the failure (${read} changes read)`);

      assert.deepEqual(await settings(store.db), normal);
      assert.deepEqual(await dumpStore(store), baseline);

      // The same file whole does rewrite them: the failed import had something to undo.
      const whole = await importFiles(store, [rest], { host: HOST });
      assert.equal(whole.stopped, null, whole.stopped?.error.message);
      assert.equal(whole.totals.updated, DEMO.changes);
    });
  });

  it('when the work throws, the error comes through and the settings are put back', async () => {
    await withStore('sqlite', async (store) => {
      const normal = await settings(store.db);
      await assert.rejects(
        store.bulkLoad(async () => {
          assert.equal((await settings(store.db)).foreign_keys, 0);
          throw new Error('work failed');
        }),
        /work failed/,
      );
      assert.deepEqual(await settings(store.db), normal);
    });
  });

  it('inside a transaction, bulkLoad runs the work with the settings as they are', async () => {
    await withStore('sqlite', async (store) => {
      const normal = await settings(store.db);
      const inside = await store.db.transaction().execute((trx) => store.bulkLoad(async () => settings(trx)));
      assert.deepEqual(inside, normal);
      assert.deepEqual(await settings(store.db), normal);
    });
  });

  it('a failing multi-row insertFlat inside a transaction: earlier rows stay only until the transaction rolls back', async () => {
    await withStore('sqlite', async (store) => {
      await importFiles(store, [rest], { host: HOST });
      const changeId = await anyChangeId(store.db);
      const before = await dumpStore(store);
      let inTransaction = -1;
      await assert.rejects(
        store.bulkLoad(() =>
          store.db.transaction().execute(async (trx) => {
            try {
              await store.bulk.insertFlat(trx, 'change_files', FILE_COLUMNS, duplicateRows(changeId));
            } catch (e) {
              // INSERT OR FAIL: the statement stops at the duplicate and keeps the rows before it;
              // only the caller's rollback takes them out.
              inTransaction = await testFiles(trx);
              throw e;
            }
          }),
        ),
        DUPLICATE,
      );
      assert.equal(inTransaction, 2);
      assert.equal(await testFiles(store.db), 0);
      assert.deepEqual(await dumpStore(store), before);
    });
  });

  it('the same failing insertFlat outside a transaction is a plain INSERT: it leaves no row, with or without bulkLoad', async () => {
    await withStore('sqlite', async (store) => {
      await importFiles(store, [rest], { host: HOST });
      const changeId = await anyChangeId(store.db);
      // First inside a transaction, so the writer has the INSERT OR FAIL statement of this shape cached.
      await assert.rejects(
        store.db.transaction().execute((trx) => store.bulk.insertFlat(trx, 'change_files', FILE_COLUMNS, duplicateRows(changeId))),
        DUPLICATE,
      );
      await assert.rejects(store.bulk.insertFlat(store.db, 'change_files', FILE_COLUMNS, duplicateRows(changeId)), DUPLICATE);
      assert.equal(await testFiles(store.db), 0);
      await assert.rejects(
        store.bulkLoad(() => store.bulk.insertFlat(store.db, 'change_files', FILE_COLUMNS, duplicateRows(changeId))),
        DUPLICATE,
      );
      assert.equal(await testFiles(store.db), 0);
      // And a statement without a duplicate goes in whole.
      await store.bulk.insertFlat(store.db, 'change_files', FILE_COLUMNS, duplicateRows(changeId).slice(0, 8));
      assert.equal(await testFiles(store.db), 2);
    });
  });
});

for (const engine of ENGINES) {
  describe(`store.bulkLoad on ${engine.name}`, { skip: engine.skip }, () => {
    it('returns what the work returns and passes its error on', async () => {
      await withStore(engine.name, async (store) => {
        assert.equal(await store.bulkLoad(async () => 42), 42);
        await assert.rejects(
          store.bulkLoad(async () => Promise.reject(new Error('work failed'))),
          /work failed/,
        );
        assert.equal(await store.bulkLoad(async () => count(store.db, 'changes')), 0);
      });
    });

    it('an import through it stores every change, message and vote it reports', async () => {
      await withStore(engine.name, async (store: Store) => {
        const summary = await importFiles(store, [rest], { host: HOST, batchSize: 10 });
        assert.equal(summary.stopped, null, summary.stopped?.error.message);
        assert.equal(summary.totals.new, DEMO.changes);
        assert.equal(await count(store.db, 'changes'), DEMO.changes);
        assert.equal(await count(store.db, 'messages'), summary.totals.messages);
        assert.equal(await count(store.db, 'votes'), summary.totals.votes);
        assert.ok(summary.totals.messages > 0 && summary.totals.votes > 0);
      });
    });

    it('a failing multi-row insertFlat leaves no row: after the transaction rolls back, and on its own', async () => {
      await withStore(engine.name, async (store) => {
        await importFiles(store, [rest], { host: HOST });
        const changeId = await anyChangeId(store.db);
        await assert.rejects(
          store.bulkLoad(() =>
            store.db.transaction().execute((trx) => store.bulk.insertFlat(trx, 'change_files', FILE_COLUMNS, duplicateRows(changeId))),
          ),
          DUPLICATE,
        );
        assert.equal(await testFiles(store.db), 0);
        await assert.rejects(store.bulk.insertFlat(store.db, 'change_files', FILE_COLUMNS, duplicateRows(changeId)), DUPLICATE);
        assert.equal(await testFiles(store.db), 0);
      });
    });
  });
}
