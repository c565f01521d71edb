/**
 * `steward git sync` end to end on real temporary repositories, both engines: what is stored per
 * commit, landing through merges and fast-forwards, the three shapes of nova's history where
 * `git rev-list M^1..M` along the first-parent chain goes wrong, incremental and rewritten
 * branches, and bad input. Each history shape is a small copy of a case found in
 * nova-history-meta.bundle (named in each test).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { blueprintRefs } from '../../src/sources/links/blueprint-refs.js';
import type { Store } from '../../src/store/engine.js';
import { openStore } from '../../src/store/open-store.js';
import { listBlueprintChanges, listBlueprintCommits, summariseCodeHistory } from '../../src/store/queries/code-history.js';
import { AccountResolver } from '../../src/store/account-resolver.js';
import { writeChanges } from '../../src/store/change-writer.js';
import { dumpStore } from '../../src/store/dump.js';
import { applyGitSync, type CommitToStore } from '../../src/store/git-store.js';
import { syncGitRepository } from '../../src/ingest/git-sync.js';
import { DAY, T0, makeChange } from '../helpers/builders.js';
import { runSteward } from '../helpers/cli.js';
import { TempRepo } from '../helpers/git-repo.js';
import { ENGINES, freshLocation } from '../helpers/stores.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON output
type Json = Record<string, any>;

interface Row {
  sha: string;
  landed_by: string;
  landed_at: number;
  landing: string;
  mainline: number;
}

async function landings(store: Store): Promise<Map<string, Row>> {
  const rows = await store.db.selectFrom('git_commits').select(['sha', 'landed_by', 'landed_at', 'landing', 'mainline']).execute();
  return new Map(rows.map((r) => [r.sha, { ...r, landed_at: Number(r.landed_at) }]));
}

for (const engine of ENGINES) {
  describe(`steward git sync (${engine.name})`, { skip: engine.skip }, () => {
    let repo: TempRepo;
    let cwd: string;
    let location: string;
    let cleanup: () => Promise<void>;

    before(async () => {
      cwd = mkdtempSync(join(tmpdir(), 'steward-git-cli-'));
      ({ location, cleanup } = await freshLocation(engine.name));
    });
    after(async () => {
      await cleanup();
      rmSync(cwd, { recursive: true, force: true });
      repo?.remove();
    });

    const sync = async (args: string[] = []): Promise<Json> => {
      const r = await runSteward(['--db', location, 'git', 'sync', '--repo', repo.dir, '--format', 'json', ...args], { cwd });
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout) as Json;
    };
    const withStore = async <T>(fn: (s: Store) => Promise<T>): Promise<T> => {
      const s = await openStore(location);
      try {
        return await fn(s);
      } finally {
        await s.close();
      }
    };

    const c = {} as Record<'root' | 'a' | 'm1' | 'f1' | 'f2' | 'b' | 'm2' | 'd' | 'm3', string>;

    it('stores every commit with its trailers; merges and fast-forwards land as they did', async () => {
      repo = TempRepo.create();
      const root = repo.commit({ message: 'Initial import', author: 'Founder', at: '2015-01-01T00:00:00Z' });
      // A change based on an older tip, landed by a Gerrit merge.
      const a = repo.commit({
        message:
          'Add the frobnicator\n\nLonger text.\n\nImplements: blueprint Frob-It\nCloses-Bug: #1234567\nChange-Id: I1111111111111111111111111111111111111111\n',
        parents: [root],
        author: 'Alice',
        authoredAt: '2015-01-02T00:00:00Z',
        at: '2015-01-03T00:00:00Z',
      });
      const m1 = repo.gerritMerge(root, a, 'Add the frobnicator', '2015-01-05T10:00:00Z');
      // Two changes Gerrit fast-forwarded (nova: 1931f73f, 6964451b on 2026-08-11): no merge of their own.
      const f1 = repo.commit({
        message:
          'Frob more\n\nPartially-Implements: bp frob-it\nRelated-Bug: 7654321\n\nChange-Id: I2222222222222222222222222222222222222222',
        parents: [m1],
        author: 'Bob',
        at: '2015-01-06T00:00:00Z',
      });
      const f2 = repo.commit({
        message: 'Tidy up after bp frob-it\n\nChange-Id: I3333333333333333333333333333333333333333',
        parents: [f1],
        author: 'Bob',
        at: '2015-01-06T01:00:00Z',
      });
      // A change based on the root, merged after the fast-forwards.
      const b = repo.commit({
        message: 'Unrelated fix\n\nChange-Id: I4444444444444444444444444444444444444444',
        parents: [root],
        author: 'Carol',
        at: '2015-01-04T00:00:00Z',
      });
      const m2 = repo.gerritMerge(f2, b, 'Unrelated fix', '2015-01-08T00:00:00Z');
      repo.setBranch(m2);
      Object.assign(c, { root, a, m1, f1, f2, b, m2 });

      const r = await sync();
      assert.deepEqual(
        {
          repo: r.repo,
          branch: r.branch,
          tip: r.tip,
          previousTip: r.previousTip,
          upToDate: r.upToDate,
          commits: r.commits,
          added: r.added,
          removed: r.removed,
          mainline: r.mainline,
          landedByMerge: r.landedByMerge,
          landedDirect: r.landedDirect,
        },
        {
          repo: repo.dir.split('/').pop(),
          branch: 'master',
          tip: m2,
          previousTip: null,
          upToDate: false,
          commits: 7,
          added: 7,
          removed: 0,
          mainline: 5,
          landedByMerge: 4,
          landedDirect: 3,
        },
      );

      await withStore(async (s) => {
        const l = await landings(s);
        const at = (iso: string) => Date.parse(iso);
        assert.deepEqual(l.get(a), { sha: a, landed_by: m1, landed_at: at('2015-01-05T10:00:00Z'), landing: 'merge', mainline: 0 });
        assert.deepEqual(l.get(m1), { sha: m1, landed_by: m1, landed_at: at('2015-01-05T10:00:00Z'), landing: 'merge', mainline: 1 });
        assert.deepEqual(l.get(f1), { sha: f1, landed_by: f1, landed_at: at('2015-01-06T00:00:00Z'), landing: 'direct', mainline: 1 });
        assert.deepEqual(l.get(f2), { sha: f2, landed_by: f2, landed_at: at('2015-01-06T01:00:00Z'), landing: 'direct', mainline: 1 });
        // M2's first parent is F2: `M2^1..M2` is {B, M2}, and the fast-forwarded commits are not M2's.
        assert.deepEqual(l.get(b), { sha: b, landed_by: m2, landed_at: at('2015-01-08T00:00:00Z'), landing: 'merge', mainline: 0 });
        assert.equal(l.get(root)!.landing, 'direct');

        const row = await s.db.selectFrom('git_commits').selectAll().where('sha', '=', a).executeTakeFirstOrThrow();
        assert.deepEqual(
          {
            parents: row.parents,
            author: row.author_name,
            authoredAt: Number(row.authored_at),
            committedAt: Number(row.committed_at),
            subject: row.subject,
            changeId: row.change_id,
          },
          {
            parents: root,
            author: 'Alice',
            authoredAt: at('2015-01-02T00:00:00Z'),
            committedAt: at('2015-01-03T00:00:00Z'),
            subject: 'Add the frobnicator',
            changeId: 'I1111111111111111111111111111111111111111',
          },
        );
        assert.match(row.message, /^Add the frobnicator\n\nLonger text\.\n\nImplements: blueprint Frob-It\n/);
        const links = await s.db.selectFrom('git_commit_links').select(['sha', 'kind', 'target']).orderBy('sha').orderBy('kind').execute();
        assert.deepEqual(
          links.map((x) => `${x.sha === a ? 'a' : x.sha === f1 ? 'f1' : x.sha === f2 ? 'f2' : x.sha}:${x.kind}:${x.target}`).sort(),
          [
            'a:closes-bug:1234567',
            'a:implements:frob-it',
            'f1:partially-implements:frob-it',
            'f1:related-bug:7654321',
            'f2:mention:frob-it',
          ],
        );

        const commits = await listBlueprintCommits(s.db, ['FROB-IT', 'nothing-here']);
        assert.deepEqual(
          commits.map((x) => [x.sha, x.kind, x.landedBy, x.landing, x.changeId]),
          [
            [a, 'implements', m1, 'merge', 'I1111111111111111111111111111111111111111'],
            [f1, 'partially-implements', f1, 'direct', 'I2222222222222222222222222222222222222222'],
            [f2, 'mention', f2, 'direct', 'I3333333333333333333333333333333333333333'],
          ],
        );
        assert.deepEqual(await listBlueprintChanges(s.db, ['frob-it'], blueprintRefs), []);
        const [summary] = await summariseCodeHistory(s.db);
        assert.deepEqual(
          { commits: summary!.commits, mainline: summary!.mainline, tip: summary!.tip },
          { commits: 7, mainline: 5, tip: m2 },
        );
      });
    });

    it('finds Gerrit changes by the same rule: trailers, topic, mentions; whole names; narrowed by project', async () => {
      await withStore(async (s) => {
        const changes = [
          makeChange(101, {
            commitMessage: 'Frob\n\nImplements: blueprint Frob-It\nChange-Id: I1111111111111111111111111111111111111111\n',
            changeId: 'I1111111111111111111111111111111111111111',
            status: 'MERGED',
          }),
          makeChange(102, { commitMessage: 'Unrelated words\n', topic: 'bp/frob-it', created: T0 + DAY }),
          makeChange(103, { commitMessage: 'Needs bp frob-it-more first\n', created: T0 + 2 * DAY }),
          makeChange(104, {
            commitMessage: 'Follows blueprint FROB-IT.\n',
            project: 'other/project',
            created: T0 + 3 * DAY,
            status: 'ABANDONED',
          }),
        ];
        await s.db
          .transaction()
          .execute(async (trx) => writeChanges(trx, new AccountResolver(trx, 'review.example.org', s.bulk), changes, 'rest', s.bulk));
        const all = await listBlueprintChanges(s.db, ['frob-it'], blueprintRefs);
        assert.deepEqual(
          all.map((x) => [x.number, x.kind, x.status, x.changeId, x.project]),
          [
            [101, 'implements', 'MERGED', 'I1111111111111111111111111111111111111111', 'demo/compute'],
            [102, 'topic', 'NEW', 'I0000000000000000000000000000000000000102', 'demo/compute'],
            [104, 'mention', 'ABANDONED', 'I0000000000000000000000000000000000000104', 'other/project'],
          ],
        );
        assert.deepEqual(
          (await listBlueprintChanges(s.db, ['Frob-It', 'frob-it-more'], blueprintRefs, { projects: ['demo/compute'] })).map((x) => [
            x.blueprint,
            x.number,
          ]),
          [
            ['frob-it', 101],
            ['frob-it', 102],
            ['frob-it-more', 103],
          ],
        );
        const cli = await runSteward(['--db', location, 'git', 'blueprint', 'FROB-IT', 'unknown-bp', '--format', 'json'], { cwd });
        assert.equal(cli.code, 0, cli.stderr);
        const view = JSON.parse(cli.stdout) as Json;
        assert.deepEqual(
          view.blueprints.map((b: Json) => [b.blueprint, b.commits.length, b.changes.length]),
          [
            ['frob-it', 3, 3],
            ['unknown-bp', 0, 0],
          ],
        );
        assert.deepEqual(view.blueprints[0].commits[0], {
          kind: 'implements',
          repo: repo.dir.split('/').pop(),
          sha: c.a,
          subject: 'Add the frobnicator',
          authorName: 'Alice',
          authorEmail: 'alice@example.org',
          authoredAt: '2015-01-02T00:00:00.000Z',
          committedAt: '2015-01-03T00:00:00.000Z',
          changeId: 'I1111111111111111111111111111111111111111',
          landedBy: c.m1,
          landedAt: '2015-01-05T10:00:00.000Z',
          landing: 'merge',
        });
        assert.equal(view.blueprints[0].changes[0].number, 101);
        const text = await runSteward(['--db', location, 'git', 'blueprint', 'frob-it'], { cwd });
        assert.match(text.stdout, /^blueprint frob-it: 3 commit\(s\), 3 Gerrit change\(s\)\n/);
        assert.match(
          text.stdout,
          new RegExp(`  ${c.a.slice(0, 12)} implements +landed 2015-01-05 \\(merge ${c.m1.slice(0, 12)}\\)  Add the frobnicator`),
        );
        // The commit and the change of one piece of work share the Change-Id.
        const [commit] = await listBlueprintCommits(s.db, ['frob-it']);
        assert.equal(commit!.changeId, all[0]!.changeId);
      });
    });

    it('a second sync with the branch unmoved does nothing; new commits are read incrementally', async () => {
      const again = await sync();
      assert.deepEqual(
        { upToDate: again.upToDate, added: again.added, commits: again.commits, previousTip: again.previousTip },
        { upToDate: true, added: 0, commits: 7, previousTip: c.m2 },
      );

      const d = repo.commit({ message: 'Later work\n\nbp: frob-it', parents: [c.m2], author: 'Dan' });
      const m3 = repo.gerritMerge(c.m2, d, 'Later work');
      repo.setBranch(m3);
      const r = await sync();
      assert.deepEqual(
        { upToDate: r.upToDate, added: r.added, removed: r.removed, relanded: r.relanded, commits: r.commits, previousTip: r.previousTip },
        { upToDate: false, added: 2, removed: 0, relanded: 0, commits: 9, previousTip: c.m2 },
      );
      await withStore(async (s) => {
        const l = await landings(s);
        assert.equal(l.get(d)!.landed_by, m3);
        assert.equal(l.size, 9);
      });
      Object.assign(c, { d, m3 });
    });

    it('a rewritten (force-pushed) branch leaves the store as a fresh sync would', async () => {
      // Drop M3 and D; F2 is then reached by a merge instead of being fast-forwarded.
      const e = repo.commit({ message: 'Replacement\n\nImplements: blueprint other-thing', parents: [c.m1], author: 'Eve' });
      const m4 = repo.commit({ message: 'Merge "Frob more"', parents: [c.m1, c.f2], author: 'Zuul', committer: 'Gerrit Code Review' });
      const m5 = repo.gerritMerge(m4, e, 'Replacement');
      repo.setBranch(m5);
      const r = await sync();
      assert.deepEqual(
        { added: r.added, removed: r.removed, relanded: r.relanded, commits: r.commits },
        { added: 3, removed: 4, relanded: 2, commits: 8 },
      );
      const after = await withStore(async (s) => {
        const l = await landings(s);
        assert.equal(l.has(c.d), false);
        assert.equal(l.has(c.b), false);
        assert.deepEqual([l.get(c.f1)!.landed_by, l.get(c.f1)!.landing, l.get(c.f1)!.mainline], [m4, 'merge', 0]);
        // F1 and F2 now land together with M4: same time, then by hash.
        assert.deepEqual(
          (await listBlueprintCommits(s.db, ['frob-it'])).map((x) => x.sha),
          [c.a, ...[c.f1, c.f2].sort()],
        );
        assert.equal(await s.db.selectFrom('git_commit_links').select('sha').where('sha', '=', c.d).executeTakeFirst(), undefined);
        return [...l.values()].sort((x, y) => (x.sha < y.sha ? -1 : 1));
      });
      // The same as a full re-read.
      const full = await sync(['--full']);
      assert.equal(full.added, 8);
      assert.deepEqual(await withStore(async (s) => [...(await landings(s)).values()].sort((x, y) => (x.sha < y.sha ? -1 : 1))), after);
    });

    it('refuses a second sync of the same repository while one runs; a write that fails leaves the store as it was', async () => {
      const name = repo.dir.split('/').pop()!;
      await withStore((s) =>
        s.db
          .insertInto('sync_locks')
          .values({
            name: `git:${name}`,
            owner: 'another-sync',
            pid: process.pid,
            hostname: hostname(),
            acquired_at: 0,
            heartbeat_at: Date.now(),
          })
          .execute(),
      );
      const busy = await runSteward(['--db', location, 'git', 'sync', '--repo', repo.dir], { cwd });
      assert.equal(busy.code, 17);
      assert.match(busy.stderr, new RegExp(`another sync of git repository "${name}" is running`));
      await withStore((s) => s.db.deleteFrom('sync_locks').where('name', '=', `git:${name}`).execute());

      await withStore(async (s) => {
        const before = await dumpStore(s);
        const state = await s.db.selectFrom('git_sync_state').selectAll().execute();
        const stored = await landings(s);
        const [one] = stored.values();
        async function* failing(): AsyncGenerator<CommitToStore> {
          yield {
            commit: {
              sha: 'f'.repeat(40),
              parents: [],
              authorName: 'x',
              authorEmail: 'x',
              authoredAt: 0,
              committerName: 'x',
              committerEmail: 'x',
              committedAt: 0,
              subject: 's',
              message: 's',
              changeId: null,
              bugs: [],
              blueprints: [{ name: 'frob-it', kind: 'mention' }],
            },
            landing: { landedBy: 'f'.repeat(40), landedAt: 0, kind: 'direct', mainline: true },
          };
          throw new Error('git died');
        }
        await assert.rejects(
          applyGitSync(
            s,
            {
              repo: name,
              gone: [...stored.keys()],
              relanded: [{ sha: one!.sha, landing: { landedBy: 'x', landedAt: 1, kind: 'merge', mainline: false } }],
              state: { ...state[0]!, tip: 'f'.repeat(40) },
            },
            failing(),
          ),
          /git died/,
        );
        assert.deepEqual(await dumpStore(s), before);
        assert.deepEqual(await s.db.selectFrom('git_sync_state').selectAll().execute(), state);
      });
    });
  });
}

describe('the same repository synced into SQLite and PostgreSQL', { skip: ENGINES[1]!.skip }, () => {
  it('gives identical dumps of the code history', async () => {
    const repo = TempRepo.create();
    const cwd = mkdtempSync(join(tmpdir(), 'steward-git-engines-'));
    try {
      const root = repo.commit({ message: 'Initial' });
      const a = repo.commit({
        message: 'Work\n\nImplements: blueprint x\nCloses-Bug: #1\nChange-Id: I5555555555555555555555555555555555555555',
        parents: [root],
        author: 'Zoë Ünicode',
      });
      const f = repo.commit({ message: 'Fast-forwarded, see bp y', parents: [repo.gerritMerge(root, a, 'Work')] });
      // A record separator inside a message does not end the record.
      repo.setBranch(repo.gerritMerge(f, repo.commit({ message: 'Late \u001e odd\n\nbody \u001e', parents: [root] }), 'Late'));
      const dumps = [];
      for (const engine of ENGINES) {
        const { location, cleanup } = await freshLocation(engine.name);
        try {
          const r = await runSteward(['--db', location, 'git', 'sync', '--repo', repo.dir, '--quiet'], { cwd });
          assert.equal(r.code, 0, r.stderr);
          const s = await openStore(location);
          try {
            const d = await dumpStore(s);
            dumps.push({ git_commits: d.git_commits, git_commit_links: d.git_commit_links });
          } finally {
            await s.close();
          }
        } finally {
          await cleanup();
        }
      }
      assert.equal(dumps[0]!.git_commits!.length, 6);
      assert.ok(dumps[0]!.git_commits!.some((r) => r.message === 'Late \u001e odd\n\nbody \u001e' && r.subject === 'Late \u001e odd'));
      assert.deepEqual(dumps[1], dumps[0]);
    } finally {
      repo.remove();
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

describe('landing on histories where `git rev-list M^1..M` along first parents is not enough', () => {
  const repos: TempRepo[] = [];
  after(() => repos.forEach((r) => r.remove()));

  const syncIn = async (repo: TempRepo): Promise<Map<string, Row>> => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-git-shape-'));
    try {
      const db = join(dir, 'steward.db');
      const r = await runSteward(['--db', db, 'git', 'sync', '--repo', repo.dir, '--quiet'], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      const s = await openStore(db);
      try {
        return await landings(s);
      } finally {
        await s.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it("a release tag merged into master: the stable branch's own merges are not landings on master (nova c5c8030b, Merge \"Merge tag '2015.1.0'\")", async () => {
    const repo = TempRepo.create();
    repos.push(repo);
    const root = repo.commit({ message: 'Initial' });
    const a = repo.commit({ message: 'Master work', parents: [root] });
    const m1 = repo.gerritMerge(root, a, 'Master work');
    // stable/kilo: a backport landed there by Gerrit, then tagged.
    const s1 = repo.commit({ message: 'Backport a fix\n\nCloses-Bug: #42\n(cherry picked from commit deadbeef)', parents: [root] });
    const sm = repo.gerritMerge(root, s1, 'Backport a fix');
    repo.setBranch(sm, 'stable/kilo');
    const tag = repo.commit({ message: "Merge tag '2015.1.0'", parents: [m1, sm], author: 'OpenStack Proposal Bot' });
    const m2 = repo.gerritMerge(m1, tag, "Merge tag '2015.1.0'");
    repo.setBranch(m2);
    const l = await syncIn(repo);
    // Every merge's M^1..M would also count S1 into SM, a merge on stable/kilo, with its time.
    for (const x of [s1, sm, tag]) assert.deepEqual([l.get(x)!.landed_by, l.get(x)!.landing, l.get(x)!.mainline], [m2, 'merge', 0], x);
    assert.equal(l.get(a)!.landed_by, m1);
  });

  it('a merge made by hand with trunk as its SECOND parent: the main line follows trunk (nova fefa83b6, "Merge with -core\'s diverged trunk.")', async () => {
    const repo = TempRepo.create();
    repos.push(repo);
    const root = repo.commit({ message: 'Initial' });
    // Trunk, landed by Tarmac.
    const t1 = repo.commit({ message: 'Trunk work', parents: [root], author: 'Monty' });
    const tm1 = repo.commit({ message: 'Updates the test suite to work.', parents: [root, t1], author: 'Monty', committer: 'Tarmac' });
    // A developer's branch, merged with trunk by hand (trunk second), and the branch moved onto it.
    const d1 = repo.commit({ message: 'remove vendor', parents: [root], author: 'Todd' });
    const d2 = repo.commit({ message: 'update copyrights', parents: [d1], author: 'Todd' });
    const h = repo.commit({ message: "Merge with -core's diverged trunk.", parents: [d2, tm1], author: 'Soren' });
    const x = repo.commit({ message: 'Add build_sphinx support', parents: [h], author: 'Monty' });
    const tm2 = repo.commit({ message: 'Add build_sphinx support.', parents: [h, x], author: 'Monty', committer: 'Tarmac' });
    repo.setBranch(tm2);
    const l = await syncIn(repo);
    // Along first parents, TM1 and T1 would land with H (Soren's merge) and D1, D2 on their own.
    assert.deepEqual([l.get(t1)!.landed_by, l.get(tm1)!.landed_by, l.get(tm1)!.mainline], [tm1, tm1, 1]);
    for (const y of [d1, d2]) assert.deepEqual([l.get(y)!.landed_by, l.get(y)!.landing, l.get(y)!.mainline], [h, 'direct', 0]);
    assert.deepEqual([l.get(h)!.landed_by, l.get(h)!.landing, l.get(h)!.mainline], [h, 'direct', 1]);
    assert.equal(l.get(x)!.landed_by, tm2);
  });
});

describe('steward git sync: bad input', () => {
  let dir: string;
  let repo: TempRepo;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'steward-git-bad-'));
    repo = TempRepo.create();
    repo.setBranch(repo.commit({ message: 'Initial' }));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
    repo.remove();
  });

  const nothingWritten = async (db: string): Promise<void> => {
    const s = await openStore(db);
    try {
      assert.equal((await s.db.selectFrom('git_commits').select('sha').execute()).length, 0);
      assert.equal((await s.db.selectFrom('git_sync_state').select('repo').execute()).length, 0);
    } finally {
      await s.close();
    }
  };

  it('a directory that is not a repository, a missing path, a missing branch: GIT_REPOSITORY naming the path', async () => {
    const db = join(dir, 'bad.db');
    const plain = mkdtempSync(join(tmpdir(), 'steward-not-git-'));
    try {
      let r = await runSteward(['--db', db, 'git', 'sync', '--repo', plain], { cwd: dir });
      assert.equal(r.code, 18);
      assert.match(r.stderr, new RegExp(`${plain}: not a git repository`));
      r = await runSteward(['--db', db, 'git', 'sync', '--repo', join(plain, 'missing')], { cwd: dir });
      assert.equal(r.code, 18);
      assert.match(r.stderr, /missing: no such file or directory/);
      writeFileSync(join(plain, 'notes.txt'), 'not a bundle\n');
      r = await runSteward(['--db', db, 'git', 'sync', '--repo', join(plain, 'notes.txt')], { cwd: dir });
      assert.equal(r.code, 18);
      assert.match(r.stderr, /notes\.txt: not a git repository or bundle: a file git cannot read as a bundle/);
      r = await runSteward(['--db', db, 'git', 'sync', '--repo', repo.dir, '--branch', 'stable/nope'], { cwd: dir });
      assert.equal(r.code, 18);
      assert.match(r.stderr, new RegExp(`${repo.dir}: no branch "stable/nope" in this repository\\n  Branches: master\\.`));
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
    await nothingWritten(db);
  });

  it('another history under a name already stored (another repository, a shallow clone) does not wipe it', async () => {
    const db = join(dir, 'kept.db');
    const first = await runSteward(['--db', db, 'git', 'sync', '--repo', repo.dir, '--name', 'nova', '--format', 'json'], { cwd: dir });
    assert.equal(first.code, 0, first.stderr);
    const other = TempRepo.create();
    try {
      const o1 = other.commit({ message: 'Something else' });
      other.setBranch(other.commit({ message: 'More of it', parents: [o1] }));
      const r = await runSteward(['--db', db, 'git', 'sync', '--repo', other.dir, '--name', 'nova'], { cwd: dir });
      assert.equal(r.code, 21, r.stderr);
      assert.match(
        r.stderr,
        new RegExp(
          `${other.dir}: branch master \\(tip [0-9a-f]{12}\\) does not contain 1 of the 1 commits stored as repository "nova" \\(last synced from ${repo.dir}, branch master\\): .*nothing was changed`,
        ),
      );
      assert.match(r.stderr, /--name.*--replace/);
      const s = await openStore(db);
      try {
        const before = await dumpStore(s);
        assert.deepEqual(
          before.git_commits!.map((x) => (x as { subject: string }).subject),
          ['Initial'],
        );
        // replace: the other history takes the name's place, as a fresh sync would store it.
        const replaced = await syncGitRepository(
          s,
          { path: other.dir, name: 'nova' },
          { clock: () => Date.now(), rules: { landingCommitters: ['Gerrit Code Review'] }, replace: true },
        );
        assert.deepEqual([replaced.added, replaced.removed], [2, 1]);
        assert.deepEqual((await dumpStore(s)).git_commits!.map((x) => (x as { subject: string }).subject).sort(), [
          'More of it',
          'Something else',
        ]);
      } finally {
        await s.close();
      }
    } finally {
      other.remove();
    }
  });

  it('reads a git bundle file directly (cloned into a temporary repository that is removed)', async () => {
    const bundle = join(dir, 'history.bundle');
    repo.git(['bundle', 'create', bundle, 'master']);
    const db = join(dir, 'bundle.db');
    const before = new Set(readdirSync(tmpdir()).filter((f) => f.startsWith('steward-bundle-')));
    const r = await runSteward(['--db', db, 'git', 'sync', '--repo', bundle, '--format', 'json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Json;
    assert.deepEqual([out.repo, out.path, out.branch, out.commits, out.added], ['history', bundle, 'master', 1, 1]);
    assert.deepEqual(
      readdirSync(tmpdir()).filter((f) => f.startsWith('steward-bundle-') && !before.has(f)),
      [],
    );
    const again = JSON.parse(
      (await runSteward(['--db', db, 'git', 'sync', '--repo', bundle, '--format', 'json'], { cwd: dir })).stdout,
    ) as Json;
    assert.equal(again.upToDate, true);
    const missing = await runSteward(['--db', db, 'git', 'sync', '--repo', bundle, '--branch', 'stable'], { cwd: dir });
    assert.equal(missing.code, 18);
    assert.match(missing.stderr, /history\.bundle: no branch "stable" in this bundle/);
  });

  it('the repository from steward.yaml, relative to the file; none at all is a usage error', async () => {
    const cfgDir = mkdtempSync(join(dir, 'cfg-'));
    // Relative to the file's folder, not to the current directory (dir).
    writeFileSync(join(cfgDir, 'steward.yaml'), `git:\n  repo: ${relative(cfgDir, repo.dir)}\n  name: mine\n`);
    const r = await runSteward(['--db', join(dir, 'cfg.db'), '--config', join(cfgDir, 'steward.yaml'), 'git', 'sync', '--format', 'json'], {
      cwd: dir,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual([(JSON.parse(r.stdout) as Json).repo, (JSON.parse(r.stdout) as Json).path], ['mine', repo.dir]);
    const none = await runSteward(['--db', join(dir, 'none.db'), 'git', 'sync'], { cwd: dir });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /give --repo PATH or set `git.repo` in steward.yaml/);
  });
});
