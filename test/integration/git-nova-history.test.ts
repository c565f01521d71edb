/**
 * `steward git sync` on nova's real history (../shared/data/nova-history-meta.bundle, beside the
 * repository; skipped, saying so, when absent): counts against git's own, known trailers, and the
 * landing of the history shapes the README's "Landing" section names, with the numbers it quotes.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import type { Store } from '../../src/store/engine.js';
import { openStore } from '../../src/store/open-store.js';
import { listBlueprintCommits } from '../../src/store/queries/code-history.js';
import { ENGINES } from '../helpers/stores.js';
import { novaHistoryStore, novaHistorySyncs } from '../helpers/nova-store.js';

// STEWARD_SHARED_DATA points elsewhere (a git worktree sits away from ../shared).
const BUNDLE = process.env.STEWARD_SHARED_DATA
  ? join(process.env.STEWARD_SHARED_DATA, 'nova-history-meta.bundle')
  : fileURLToPath(new URL('../../../shared/data/nova-history-meta.bundle', import.meta.url));
const SKIP = existsSync(BUNDLE)
  ? false
  : `nova history test skipped: ${BUNDLE} is absent (the shared data folder ../shared/data beside the repository holds it)`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON output
type Json = Record<string, any>;

const TIP = 'd007626442e8e1835f3320cd0a243c430cc0f882';
const HAND_MERGE = 'fefa83b6c1f644ea38eeda36c6a7a60b87271b73'; // "Merge with -core's diverged trunk." (trunk second)
const TRUNK_TARMAC = '4dde9a781297a8e34141ab139225162498d26e9b'; // its second parent, a Tarmac merge on trunk
const DEV_SIDE = '74ce2a01c97f31b7c3ad48c73b5a06d2ea194529'; // its first parent, a developer's commit
const TAG_LANDING = 'c5c8030b85406dca618fa90682afeeec1bf23c7a'; // Merge "Merge tag '2015.1.0'"
const FAST_FORWARDED = ['1931f73fd1ac540258f80a765f9f7a8f796869c0', '6964451b092716673db5bdcdeb7ebc616b8c5011'];
const VIRTIOFS = 'e7ae66a65b959425b3d1a861c671bfc31e017032'; // Implements: blueprint libvirt-virtiofs-attach-manila-shares

describe("steward git sync on nova's history", { skip: SKIP }, () => {
  /** The bare clone the store was synced from (novaHistoryStore's, left at the tip): read only. */
  let repo: string;
  const run = (...args: string[]): string => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 }).trim();
  // Every question asked of git here names its commits (TIP, shas), so its answer is the same for
  // both engines: asked once for the file (git log over 62,000 commits costs seconds).
  const answers = new Map<string, string>();
  const git = (...args: string[]): string => {
    const key = args.join('\0');
    let answer = answers.get(key);
    if (answer === undefined) answers.set(key, (answer = run(...args)));
    return answer;
  };

  for (const engine of ENGINES) {
    it(`stores every commit, incrementally, with nova's landings and trailers (${engine.name})`, { skip: engine.skip }, async () => {
      // `steward git sync --repo nova.git --branch master --name nova --format json` into a new
      // store, first with the branch 50 main-line commits back, then at the real tip: the second
      // sync reads only what is new. Under the test runner the store and both syncs' output are the
      // run's (novaHistoryStore, made once per run and engine; history-nova and others read it).
      const store = await novaHistoryStore(engine.name, BUNDLE);
      try {
        repo = join(store.out, 'nova.git');
        const syncs = novaHistorySyncs(store);
        assert.deepEqual(
          syncs.map((r) => r.at),
          [`${TIP}~50`, TIP],
        );
        for (const r of syncs) assert.equal(r.code, 0, r.stderr);
        const [first, second] = syncs.map((r) => JSON.parse(r.stdout) as Json) as [Json, Json];
        assert.equal(first.commits, Number(git('rev-list', '--count', `${TIP}~50`)));
        assert.deepEqual(
          { added: second.added, removed: second.removed, relanded: second.relanded, commits: second.commits, tip: second.tip },
          {
            added: Number(git('rev-list', '--count', `${TIP}~50..${TIP}`)),
            removed: 0,
            relanded: 0,
            commits: Number(git('rev-list', '--count', TIP)),
            tip: TIP,
          },
        );
        // The README's numbers.
        assert.deepEqual(
          { commits: second.commits, mainline: second.mainline, merge: second.landedByMerge, direct: second.landedDirect },
          { commits: 62_437, mainline: 27_908, merge: 60_538, direct: 1_899 },
        );

        const s = await openStore(store.location);
        try {
          await checkStore(s);
        } finally {
          await s.close();
        }
      } finally {
        await store.cleanup();
      }
    });
  }

  async function checkStore(s: Store): Promise<void> {
    const rows = await s.db
      .selectFrom('git_commits')
      .select(['sha', 'parents', 'landed_by', 'landing', 'mainline', 'committer_name', 'subject'])
      .execute();
    const by = new Map(rows.map((r) => [r.sha, r]));
    assert.equal(by.size, 62_437);

    // The tip's merge brought in its second parent, as `git rev-list M^1..M` says.
    assert.deepEqual(
      rows
        .filter((r) => r.landed_by === TIP)
        .map((r) => r.sha)
        .sort(),
      git('rev-list', `${TIP}^1..${TIP}`).split('\n').sort(),
    );
    // Fast-forwarded by Gerrit: landed by themselves, directly.
    for (const sha of FAST_FORWARDED)
      assert.deepEqual([by.get(sha)!.landed_by, by.get(sha)!.landing, by.get(sha)!.mainline], [sha, 'direct', 1]);
    // The release tag merged into master: the stable branch's own Gerrit merges land with it.
    const viaTag = rows.filter((r) => r.landed_by === TAG_LANDING);
    assert.equal(viaTag.length, Number(git('rev-list', '--count', `${TAG_LANDING}^1..${TAG_LANDING}`)));
    assert.equal(viaTag.filter((r) => r.committer_name === 'Gerrit Code Review' && r.sha !== TAG_LANDING).length, 19);
    // 2010: the hand merge with trunk second; the main line follows trunk.
    assert.deepEqual([by.get(HAND_MERGE)!.mainline, by.get(TRUNK_TARMAC)!.mainline, by.get(TRUNK_TARMAC)!.landed_by], [1, 1, TRUNK_TARMAC]);
    assert.deepEqual([by.get(DEV_SIDE)!.mainline, by.get(DEV_SIDE)!.landed_by], [0, HAND_MERGE]);

    // Against the plain first-parent partition (`M^1..M` for each first-parent commit), exactly the
    // commits the README counts land differently, all of them from before the hand merge.
    const firstParent: string[] = [];
    for (let x: string | undefined = TIP; x; x = by.get(x)!.parents.split(' ')[0] || undefined) firstParent.push(x);
    assert.equal(firstParent.length - 27_908, 121);
    const naive = new Map<string, string>();
    for (let i = firstParent.length - 1; i >= 0; i--) {
      const stack = [firstParent[i]!];
      while (stack.length) {
        const y = stack.pop()!;
        if (naive.has(y)) continue;
        naive.set(y, firstParent[i]!);
        for (const p of by.get(y)!.parents.split(' ').filter(Boolean)) if (!naive.has(p)) stack.push(p);
      }
    }
    const differ = rows.filter((r) => naive.get(r.sha) !== r.landed_by);
    assert.equal(differ.length, 302);

    // Trailers.
    const v = await s.db.selectFrom('git_commits').selectAll().where('sha', '=', VIRTIOFS).executeTakeFirstOrThrow();
    assert.equal(v.change_id, 'I44ab37ec2c15fcfc351c42216660bda39461b163');
    assert.equal(v.subject, 'Attach Manila shares via virtiofs (manila abstraction)');
    const links = await s.db.selectFrom('git_commit_links').select(['kind', 'target']).where('sha', '=', VIRTIOFS).execute();
    assert.deepEqual(links, [{ kind: 'implements', target: 'libvirt-virtiofs-attach-manila-shares' }]);
    const changeIds = await s.db
      .selectFrom('git_commits')
      .select((eb) => eb.fn.count<number>('change_id').as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(changeIds.n), commitsWithChangeId());

    // The blueprint's commits are those git's own grep finds (blueprint/bp NAME, any case).
    const grep = git(
      'log',
      '-i',
      '-E',
      '--format=%H',
      '--grep=(blueprint|bp)[: /]+libvirt-virtiofs-attach-manila-shares([^a-z0-9_.-]|$)',
      TIP,
    )
      .split('\n')
      .sort();
    const found = await listBlueprintCommits(s.db, ['LIBVIRT-VIRTIOFS-ATTACH-MANILA-SHARES']);
    assert.deepEqual(found.map((c) => c.sha).sort(), grep);
    assert.equal(found.length, 33);
  }

  /** Commits with a Change-Id line, counted from git's own output. */
  function commitsWithChangeId(): number {
    return (withChangeId ??= git('log', '--format=%x1e%B', TIP)
      .split('\u001e')
      .filter((msg) => /^\s*Change-Id:\s*I[0-9a-f]{40}\s*$/im.test(msg)).length);
  }
  let withChangeId: number | undefined;
});
