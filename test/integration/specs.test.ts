/**
 * `steward specs sync` and `steward specs report` end to end: git repositories built in the test
 * (every kind of bad input), the store on both engines, and the real nova-specs history when
 * ../shared/data is present.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runSteward } from '../helpers/cli.js';
import type { CachedStore } from '../helpers/demo-cache.js';
import { novaSpecsStore } from '../helpers/nova-store.js';
import { ENGINES, withStore } from '../helpers/stores.js';
import { loadSpecs, loadSpecsSync, replaceSpecs } from '../../src/store/queries/specs.js';
import { readSpecsRepo } from '../../src/sources/specs/read-specs-repo.js';
import { OPENSTACK_LAYOUT } from '../../src/sources/specs/spec-layout.js';
import { dumpStore } from '../../src/store/dump.js';
import { writeChanges } from '../../src/store/change-writer.js';
import { AccountResolver } from '../../src/store/account-resolver.js';
import { configSchema } from '../../src/config/config-schema.js';
import { buildSpecsReportView } from '../../src/service/specs-report-view.js';
import { storeSpecs } from '../../src/ingest/specs-sync.js';
import { StewardError } from '../../src/model/errors.js';
import { alice, bob, makeChange, makeMessage, makePatchSet, makeVote, zuul } from '../helpers/builders.js';
import { cloneBundle } from '../helpers/bundle-clone.js';

const git = (dir: string, args: string[], env: Record<string, string> = {}) =>
  execFileSync('git', ['-C', dir, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.org',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.org',
      ...env,
    },
  });

/** A git repository built commit by commit: each step writes/removes files, dated `date`. */
function buildRepo(
  steps: Array<{ date: string; write?: Record<string, string>; remove?: string[]; move?: Array<[string, string]> }>,
): string {
  const dir = mkdtempSync(join(tmpdir(), 'steward-specs-'));
  git(dir, ['init', '-q', '-b', 'master']);
  for (const s of steps) {
    for (const [p, text] of Object.entries(s.write ?? {})) {
      mkdirSync(dirname(join(dir, p)), { recursive: true });
      writeFileSync(join(dir, p), text);
    }
    for (const [from, to] of s.move ?? []) {
      mkdirSync(dirname(join(dir, to)), { recursive: true });
      git(dir, ['mv', from, to]);
    }
    for (const p of s.remove ?? []) git(dir, ['rm', '-q', p]);
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', `step ${s.date}`], {
      GIT_AUTHOR_DATE: `${s.date}T12:00:00Z`,
      GIT_COMMITTER_DATE: `${s.date}T12:00:00Z`,
    });
  }
  return dir;
}

const specText = (title: string, bp: string) =>
  `..\n This work is licensed under CC-BY 3.0.\n\n${'='.repeat(title.length)}\n${title}\n${'='.repeat(title.length)}\n\nhttps://blueprints.launchpad.net/nova/+spec/${bp}\n\nProblem description\n===================\n\nText.\n`;

describe('steward specs sync and report on a repository built in the test', () => {
  let repo: string;
  let work: string;
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'steward-specs-work-'));
    repo = buildRepo([
      {
        date: '2014-11-01',
        write: {
          'specs/kilo/approved/alpha.rst': specText('Alpha', 'alpha'),
          'specs/kilo/approved/beta.rst': specText('Beta', 'beta'),
          'specs/kilo/approved/index.rst': 'Kilo\n====\n',
        },
      },
      {
        date: '2014-11-05',
        write: {
          'specs/kilo/approved/broken.rst': '=====\nBroken\n-----\n',
          'specs/kilo/approved/untitled.rst': 'No title here, just text.\n',
          'specs/kilo/approved/beta-again.rst': specText('Beta again', 'beta'),
        },
      },
      { date: '2014-11-09', write: { 'specs/zork/approved/mystery.rst': specText('Mystery', 'mystery') } },
      { date: '2015-03-01', move: [['specs/kilo/approved/alpha.rst', 'specs/kilo/implemented/alpha.rst']] },
      { date: '2015-05-10', write: { 'specs/liberty/approved/beta.rst': specText('Beta', 'beta') } },
      { date: '2015-09-20', move: [['specs/liberty/approved/beta.rst', 'specs/liberty/implemented/beta.rst']] },
    ]);
  });
  after(() => {
    rmSync(repo, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('ingests the rest and names each bad file: invalid reStructuredText, no title, a blueprint named twice, an unknown release', async () => {
    const r = await runSteward(['--db', join(work, 's.db'), 'specs', 'sync', '--repo', repo, '--format', 'json'], { cwd: work });
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.equal(s.specs, 7);
    const kinds = s.warnings.map((w: { kind: string; file: string }) => `${w.kind} ${w.file}`).sort();
    assert.deepEqual(kinds, [
      'duplicate-blueprint specs/kilo/approved/beta-again.rst',
      'duplicate-blueprint specs/kilo/approved/beta.rst',
      'no-title specs/kilo/approved/untitled.rst',
      'unknown-release specs/zork/approved',
      'unreadable-rst specs/kilo/approved/broken.rst',
    ]);
    assert.match(s.warnings.find((w: { kind: string }) => w.kind === 'unreadable-rst').message, /line 3/);
    assert.deepEqual(
      s.releases.find((x: { release: string }) => x.release === 'kilo'),
      { release: 'kilo', approved: 5, implemented: 1, inCalendar: true },
    );
    // --strict: the same, and exit 19.
    const strict = await runSteward(['--db', join(work, 's.db'), 'specs', 'sync', '--repo', repo, '--strict'], { cwd: work });
    assert.equal(strict.code, 19);
    assert.match(strict.stdout, /specs\/kilo\/approved\/broken\.rst: not valid reStructuredText/);
  });

  it('reports the release: counts, re-proposal landed later, what it cannot tell without review data', async () => {
    await runSteward(['--db', join(work, 's.db'), 'specs', 'sync', '--repo', repo], { cwd: work });
    const r = await runSteward(['--db', join(work, 's.db'), 'specs', 'report', '--release', 'kilo', '--format', 'json'], { cwd: work });
    assert.equal(r.code, 0, r.stderr);
    const v = JSON.parse(r.stdout);
    assert.equal(v.releases[0].approved, 5);
    assert.equal(v.releases[0].implemented, 1);
    assert.equal(v.releases[0].notLandedShare, 0.8);
    const beta = v.specs.find((e: { path: string }) => e.path === 'specs/kilo/approved/beta.rst');
    // Why it did not land in kilo is unknown without review data; what happened afterwards is known.
    assert.equal(beta.reason, 'undetermined');
    assert.deepEqual([beta.outcome.outcome, beta.outcome.release, beta.outcome.releasesLater], ['re-proposed-landed', 'liberty', 1]);
    assert.equal(beta.reProposals[0].release, 'liberty');
    assert.equal(beta.title, 'Beta');
    const alpha = v.specs.find((e: { blueprint: string }) => e.blueprint === 'alpha');
    assert.equal(alpha.approvedAt, '2014-11-01T12:00:00.000Z');
    assert.equal(alpha.implementedAt, '2015-03-01T12:00:00.000Z');
    assert.match(v.releases[0].cannotTell, /no-core-review/);
    assert.deepEqual(v.unknownReleases, [{ release: 'zork', specs: 1 }]);
    const text = await runSteward(['--db', join(work, 's.db'), 'specs', 'report'], { cwd: work });
    assert.match(text.stdout, /kilo\s+2015-03-19\s+5\s+1\s+20%/);
    assert.match(text.stdout, /zork \(1 specs\)/);
    const csv = await runSteward(['--db', join(work, 's.db'), 'specs', 'report', '--release', 'kilo', '--format', 'csv'], { cwd: work });
    assert.equal(csv.stdout.trim().split('\n').length, 6);
  });

  it('refuses a path that is not a git repository, naming it, and writes nothing', async () => {
    const plain = mkdtempSync(join(tmpdir(), 'steward-not-git-'));
    try {
      const db = join(work, 'empty.db');
      const r = await runSteward(['--db', db, 'specs', 'sync', '--repo', plain], { cwd: work });
      assert.equal(r.code, 18);
      assert.match(r.stderr, new RegExp(`${plain}: not a git repository`));
      const missing = await runSteward(['--db', db, 'specs', 'sync', '--repo', join(plain, 'nope')], { cwd: work });
      assert.equal(missing.code, 18);
      // Nothing was written, not even an empty store: the report, which never creates one, says so.
      assert.equal(existsSync(db), false, 'no store file was created');
      const rep = await runSteward(['--db', db, 'specs', 'report'], { cwd: work });
      assert.equal(rep.code, 20);
      assert.match(rep.stderr, /no Steward store here: the file does not exist/);
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });

  it('a repository with no specs (the code repository by mistake) does not wipe the stored specs', async () => {
    const code = buildRepo([{ date: '2015-01-01', write: { 'nova/__init__.py': '', 'README.rst': 'Nova\n====\n' } }]);
    try {
      const db = join(work, 'kept.db');
      assert.equal((await runSteward(['--db', db, 'specs', 'sync', '--repo', repo], { cwd: work })).code, 0);
      const r = await runSteward(['--db', db, 'specs', 'sync', '--repo', code], { cwd: work });
      assert.equal(r.code, 21, r.stderr);
      assert.match(
        r.stderr,
        new RegExp(
          `${code}: found no specs in this repository, but the store holds 7 specs from ${repo} \\(synced \\d{4}-\\d{2}-\\d{2}\\); they were kept and nothing was changed`,
        ),
      );
      assert.match(r.stderr, /--replace/);
      const rep = await runSteward(['--db', db, 'specs', 'report', '--release', 'kilo', '--format', 'json'], { cwd: work });
      assert.equal(JSON.parse(rep.stdout).releases[0].approved, 5, 'the stored specs are still there');
    } finally {
      rmSync(code, { recursive: true, force: true });
    }
  });

  for (const engine of ENGINES) {
    it(`replacing stored specs with none needs replace: true in ${engine.name}`, { skip: engine.skip }, async () => {
      const code = buildRepo([{ date: '2015-01-01', write: { 'setup.py': '' } }]);
      try {
        const read = await readSpecsRepo(repo, OPENSTACK_LAYOUT);
        const none = await readSpecsRepo(code, OPENSTACK_LAYOUT);
        assert.equal(none.specs.length, 0);
        await withStore(engine.name, async (store) => {
          const opts = { calendar: [], calendarSource: 'test', syncedAt: 1 };
          // An empty read into an empty store is fine: there is nothing to lose.
          assert.equal((await storeSpecs(store, code, none, opts)).specs, 0);
          await storeSpecs(store, repo, read, opts);
          const before = await dumpStore(store);
          await assert.rejects(
            storeSpecs(store, code, none, { ...opts, syncedAt: 2 }),
            (e: unknown) => e instanceof StewardError && e.code === 'SOURCE_EMPTY' && e.details.where === code,
          );
          assert.deepEqual(await dumpStore(store), before);
          assert.equal((await storeSpecs(store, code, none, { ...opts, syncedAt: 3, replace: true })).specs, 0);
          assert.deepEqual(await loadSpecs(store.db), []);
          assert.equal((await loadSpecsSync(store.db))!.repo, code);
        });
      } finally {
        rmSync(code, { recursive: true, force: true });
      }
    });
  }

  it('refuses a release the calendar does not know', async () => {
    await runSteward(['--db', join(work, 's.db'), 'specs', 'sync', '--repo', repo], { cwd: work });
    const r = await runSteward(['--db', join(work, 's.db'), 'specs', 'report', '--release', 'zork'], { cwd: work });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--release "zork" is not in the release calendar/);
  });

  it('takes the repository and a calendar from steward.yaml', async () => {
    writeFileSync(
      join(work, 'steward.yaml'),
      `specs:\n  repo: ${repo}\nreleases:\n  - { name: zork, start: 2014-10-01, featureFreeze: 2015-03-01, release: 2015-04-01 }\n`,
    );
    try {
      const r = await runSteward(['--db', join(work, 'cfg.db'), 'specs', 'sync', '--format', 'json'], { cwd: work });
      assert.equal(r.code, 0, r.stderr);
      const s = JSON.parse(r.stdout);
      assert.deepEqual(
        s.releases.filter((x: { inCalendar: boolean }) => x.inCalendar).map((x: { release: string }) => x.release),
        ['zork'],
      );
      assert.match(s.calendar, /releases in .*steward\.yaml/);
    } finally {
      rmSync(join(work, 'steward.yaml'));
    }
  });

  it('reads another layout given as glob patterns in steward.yaml', async () => {
    const other = buildRepo([
      {
        date: '2020-01-10',
        write: {
          'proposals/v2/ok/fast-boot.rst': specText('Fast boot', 'fast-boot'),
          'proposals/v2/ok/slow-boot.rst': specText('Slow boot', 'slow-boot'),
          'proposals/v2/notes.rst': 'Notes\n=====\n',
        },
      },
      { date: '2020-03-01', move: [['proposals/v2/ok/fast-boot.rst', 'proposals/v2/done/fast-boot.rst']] },
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'steward-specs-cfg-'));
    try {
      writeFileSync(
        join(dir, 'steward.yaml'),
        `specs:\n  repo: ${other}\n  layout:\n    approved: ['proposals/{release}/ok/*.rst']\n    implemented: ['proposals/{release}/done/*.rst']\nreleases:\n  - { name: v2, start: 2020-01-01, featureFreeze: 2020-04-01, release: 2020-05-01 }\n`,
      );
      assert.equal((await runSteward(['--db', join(dir, 's.db'), 'specs', 'sync'], { cwd: dir })).code, 0);
      const v = JSON.parse(
        (await runSteward(['--db', join(dir, 's.db'), 'specs', 'report', '--release', 'v2', '--format', 'json'], { cwd: dir })).stdout,
      );
      assert.deepEqual([v.releases[0].approved, v.releases[0].implemented], [2, 1]);
      assert.equal(v.specs.find((e: { blueprint: string }) => e.blueprint === 'fast-boot').implementedAt, '2020-03-01T12:00:00.000Z');
      writeFileSync(join(dir, 'steward.yaml'), `specs:\n  layout:\n    approved: ['proposals/ok/*.rst']\n`);
      const refused = await runSteward(['--db', join(dir, 's.db'), 'specs', 'sync', '--repo', other], { cwd: dir });
      assert.equal(refused.code, 3);
      assert.match(refused.stderr, /\{release\}/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(other, { recursive: true, force: true });
    }
  });

  // The same report from either engine, with review data: Gerrit changes naming the blueprints.
  const views = new Map<string, unknown>();
  for (const engine of ENGINES) {
    it(`reports with review data in ${engine.name}: reasons from the changes' states at the freeze`, { skip: engine.skip }, async () => {
      const read = await readSpecsRepo(repo, OPENSTACK_LAYOUT);
      const d = (s: string) => Date.parse(`${s}T12:00:00Z`);
      await withStore(engine.name, async (store) => {
        await replaceSpecs(
          store.db,
          { repo, head: read.head, headAt: read.headAt, syncedAt: 1, commits: read.commits, warnings: read.warnings },
          read.specs,
        );
        const msg = (bp: string, n: number) => `Do ${bp}\n\nImplements: blueprint ${bp}\nChange-Id: I${String(n).padStart(40, '0')}\n`;
        const changes = [
          // untitled: bob (core) -1 on 5 December, never answered: waiting on its author at the freeze.
          makeChange(11, {
            created: d('2014-12-01'),
            updated: d('2014-12-05'),
            commitMessage: msg('untitled', 11),
            links: [{ kind: 'implements', target: 'untitled' }],
            ciBuilds: [],
            patchSets: [makePatchSet(1, { created: d('2014-12-01') })],
            votes: [
              makeVote({ label: 'Verified', value: 1, voter: zuul, grantedAt: d('2014-12-01') + 3_600_000 }),
              makeVote({ value: -1, voter: bob, grantedAt: d('2014-12-05') }),
            ],
            messages: [makeMessage(0, { author: alice, kind: 'upload', text: 'Uploaded patch set 1.', date: d('2014-12-01') })],
          }),
          // alpha: merged in February (its spec was implemented).
          makeChange(12, {
            status: 'MERGED',
            created: d('2014-11-10'),
            updated: d('2015-02-10'),
            submitted: d('2015-02-10'),
            commitMessage: msg('alpha', 12),
            links: [{ kind: 'implements', target: 'alpha' }],
            ciBuilds: [],
            patchSets: [makePatchSet(1, { created: d('2014-11-10') })],
            votes: [
              makeVote({ label: 'Verified', value: 1, voter: zuul, grantedAt: d('2014-11-10') + 3_600_000 }),
              makeVote({ value: 2, voter: bob, grantedAt: d('2015-02-09') }),
              makeVote({ label: 'Workflow', value: 1, voter: bob, grantedAt: d('2015-02-09') }),
            ],
            messages: [
              makeMessage(0, { author: alice, kind: 'upload', text: 'Uploaded patch set 1.', date: d('2014-11-10') }),
              makeMessage(1, { author: null, kind: 'system', text: 'Change has been successfully merged.', date: d('2015-02-10') }),
            ],
          }),
        ];
        await store.db
          .transaction()
          .execute(async (trx) =>
            writeChanges(trx, new AccountResolver(trx, 'review.example.org', store.bulk), changes, 'rest', store.bulk),
          );
        const config = {
          config: configSchema.parse({ projects: [{ name: 'demo/compute', core: { members: ['bob'] } }], bots: ['zuul'] }),
          path: null,
          origin: 'the test',
        };
        const v = await buildSpecsReportView(store, { release: 'kilo' }, config, d('2015-10-01'));
        const kilo = v.releases[0]!;
        assert.equal(kilo.reviewData, true);
        assert.equal(kilo.cannotTell, null);
        const by = (path: string) => v.specs.find((e) => e.path === path)!;
        const untitled = by('specs/kilo/approved/untitled.rst');
        assert.equal(untitled.reason, 'waited-on-author');
        assert.equal(untitled.changes![0]!.number, 11);
        // From the −1 (5 December, noon) to the freeze (19 March, midnight UTC).
        assert.equal(untitled.changes![0]!.waitingDays, 103.5);
        assert.equal(by('specs/kilo/approved/broken.rst').reason, 'no-code');
        assert.equal(by('specs/kilo/approved/beta.rst').reason, 'no-code');
        assert.equal(by('specs/kilo/approved/beta.rst').outcome!.outcome, 're-proposed-landed');
        const alpha = by('specs/kilo/implemented/alpha.rst');
        assert.equal(alpha.landed, true);
        assert.equal(alpha.changes![0]!.atFreeze, 'merged');
        assert.ok(kilo.bandwidth!.landed.reviewersDays > 80);
        views.set(engine.name, JSON.parse(JSON.stringify({ ...v, repo: { ...v.repo, path: 'x' } })));
      });
    });
  }
  it('gives the same report in SQLite and PostgreSQL', { skip: ENGINES[1]!.skip }, () => {
    assert.ok(views.size === 2, 'both engines ran');
    assert.deepEqual(views.get('postgres'), views.get('sqlite'));
  });

  for (const engine of ENGINES) {
    it(`stores and loads specs the same way in ${engine.name}`, { skip: engine.skip }, async () => {
      const read = await readSpecsRepo(repo, OPENSTACK_LAYOUT);
      await withStore(engine.name, async (store) => {
        await replaceSpecs(
          store.db,
          { repo, head: read.head, headAt: read.headAt, syncedAt: 1, commits: read.commits, warnings: read.warnings },
          read.specs,
        );
        // A second sync replaces the first.
        await replaceSpecs(
          store.db,
          { repo, head: read.head, headAt: read.headAt, syncedAt: 2, commits: read.commits, warnings: read.warnings },
          read.specs,
        );
        const back = await loadSpecs(store.db);
        const key = (s: { path: string; approvedAt: number }) => `${s.path}@${s.approvedAt}`;
        assert.deepEqual(
          [...back].sort((a, b) => (key(a) < key(b) ? -1 : 1)),
          [...read.specs].sort((a, b) => (key(a) < key(b) ? -1 : 1)),
        );
        assert.equal((await loadSpecsSync(store.db))!.syncedAt, 2);
        assert.equal((await dumpStore(store)).specs!.length, read.specs.length);
      });
    });
  }
});

// STEWARD_SHARED_DATA names the shared data folder when it is not ../shared/data beside the repository (a worktree elsewhere).
const SHARED_DATA = process.env.STEWARD_SHARED_DATA ?? resolve(process.cwd(), '../shared/data');
const BUNDLE = join(SHARED_DATA, 'nova-specs.bundle');
const HISTORY = join(SHARED_DATA, 'nova-history-meta.bundle');
const SHARED = existsSync(BUNDLE)
  ? false
  : `real-data test skipped: ${BUNDLE} is absent (the shared data folder is not mounted next to the project)`;
const SHARED_HISTORY =
  existsSync(BUNDLE) && existsSync(HISTORY)
    ? false
    : `real-data test skipped: ${BUNDLE} or ${HISTORY} is absent (the shared data folder is not mounted next to the project)`;

describe('steward specs report on the real nova-specs history', { skip: SHARED }, () => {
  let clone: string;
  let work: string;
  /** The store both tests read: nova-specs synced once (the sync reads every commit of the repository). */
  let db: string;
  let sync: { code: number; stderr: string };
  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'steward-nova-specs-'));
    clone = join(work, 'nova-specs');
    cloneBundle(BUNDLE, clone);
    db = join(work, 's.db');
    sync = await runSteward(['--db', db, 'specs', 'sync', '--repo', clone, '--format', 'json'], { cwd: work });
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  // The counts the repository records, derived with git alone: spec files under the release's
  // approved/ and implemented/ directories now (index and template files are not specs), after
  // checking that no spec file was ever deleted from the release's directory.
  function recorded(release: string): { approved: number; implemented: number } {
    const isSpec = (p: string) => p.endsWith('.rst') && !/(^|\/)(index|[\w.-]*template)\.rst$/.test(p);
    const list = (dir: string) =>
      git(clone, ['ls-tree', '-r', '--name-only', 'HEAD', `specs/${release}/${dir}/`])
        .split('\n')
        .filter(isSpec);
    const deleted = git(clone, ['log', '--diff-filter=D', '--name-only', '--format=', '-M', '--', `specs/${release}`])
      .split('\n')
      .filter(isSpec);
    assert.deepEqual(deleted, [], `${release}: spec files were deleted; the expected counts would need them`);
    const flat = git(clone, ['ls-tree', '--name-only', 'HEAD', `specs/${release}/`])
      .split('\n')
      .filter(isSpec);
    assert.deepEqual(flat, []);
    const implemented = list('implemented').length;
    return { approved: list('approved').length + implemented, implemented };
  }

  it('gives Juno and Kilo the counts of approved and implemented specs the repository records, and the share that did not land', async () => {
    assert.equal(sync.code, 0, sync.stderr);
    for (const release of ['juno', 'kilo']) {
      const want = recorded(release);
      const r = await runSteward(['--db', db, 'specs', 'report', '--release', release, '--format', 'json'], { cwd: work });
      assert.equal(r.code, 0, r.stderr);
      const s = JSON.parse(r.stdout).releases[0];
      assert.equal(s.approved, want.approved, `${release} approved`);
      assert.equal(s.implemented, want.implemented, `${release} implemented`);
      assert.equal(s.notLanded, want.approved - want.implemented);
      assert.equal(s.notLandedShare, Math.round(((want.approved - want.implemented) / want.approved) * 1000) / 1000);
    }
  });

  it('dates the Juno specs by the history: flat approvals, implemented at the reorganisation', async () => {
    assert.equal(sync.code, 0, sync.stderr);
    const v = JSON.parse(
      (await runSteward(['--db', db, 'specs', 'report', '--release', 'juno', '--format', 'json'], { cwd: work })).stdout,
    );
    // The commit that moved Juno's flat specs into approved/ and implemented/.
    const reorg = git(clone, [
      'log',
      '-s',
      '--first-parent',
      '--diff-merges=first-parent',
      '--format=%H %cI',
      '--diff-filter=R',
      '-M',
      '--',
      'specs/juno/add-ironic-driver.rst',
      'specs/juno/implemented/add-ironic-driver.rst',
    ])
      .split('\n')[0]!
      .split(' ');
    const implemented = v.specs.filter((e: { landed: boolean }) => e.landed);
    // Implemented at the reorganisation, or added straight under implemented/ (approved and implemented at once).
    const odd = implemented.filter(
      (e: { implementedAt: string; approvedAt: string }) =>
        Date.parse(e.implementedAt) !== Date.parse(reorg[1]!) && e.implementedAt !== e.approvedAt,
    );
    assert.deepEqual(odd, []);
    assert.ok(implemented.filter((e: { implementedAt: string }) => Date.parse(e.implementedAt) === Date.parse(reorg[1]!)).length > 40);
    // Each approval is the main-line commit that first added the file under specs/juno/.
    const sample = v.specs.find((e: { path: string }) => e.path === 'specs/juno/implemented/add-ironic-driver.rst');
    const added = git(clone, [
      'log',
      '-s',
      '--first-parent',
      '--diff-merges=first-parent',
      '--format=%cI',
      '--diff-filter=A',
      '--',
      'specs/juno/add-ironic-driver.rst',
    ]).split('\n')[0]!;
    assert.equal(Date.parse(sample.approvedAt), Date.parse(added));
  });
});

describe('steward specs report with the nova code history', { skip: SHARED_HISTORY }, () => {
  let work: string;
  let store: CachedStore | undefined;
  let nova: string;
  let db: string;
  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'steward-nova-history-'));
    nova = join(work, 'nova');
    // nova's history for the expected values, from git alone; the store, synced from the same bundles, is shared (nova-store.ts).
    cloneBundle(HISTORY, nova, ['--no-checkout']);
    store = await novaSpecsStore(HISTORY, BUNDLE);
    db = store.location;
  });
  after(async () => {
    rmSync(work, { recursive: true, force: true });
    await store?.cleanup();
  });

  it('gives each Kilo spec its linked commits, and first/last landing dates git agrees with', async () => {
    const r = await runSteward(['--db', db, 'specs', 'report', '--release', 'kilo', '--format', 'json'], { cwd: work });
    assert.equal(r.code, 0, r.stderr);
    const v = JSON.parse(r.stdout);
    assert.equal(v.releases[0].commitData, true);
    // Expected, from git alone: every commit of the branch whose message names one of the spec's
    // names (its blueprint, its file names) as "blueprint NAME", "bp NAME", "bp/NAME", a +spec/NAME
    // URL or an "Implements: NAME" trailer (case-insensitive, whole names; a name may follow its
    // keyword on the next line), a Related-Blueprint trailer (related work, not code) left out.
    const related = /^\s*(?:[*-]\s+)?related[-_ ]?(?:blueprints?|bp)\b.*$/gim;
    const log = git(nova, ['log', '--format=%H%x00%B%x01', 'master'])
      .split('\x01')
      .map((x) => x.replace(/^\n/, ''))
      .filter(Boolean)
      .map((x) => x.split('\0') as [string, string])
      .map(([h, m]) => [h, m.replace(related, '')] as [string, string]);
    const esc = (n: string) => n.replace(/[.]/g, '\\.');
    const names = (bp: string) =>
      new RegExp(
        `(^|[^\\w/.+-])(blueprints?|bp)(\\s*[:#]\\s*|\\s+|/)(bp/)?${esc(bp)}(?![\\w]|[.-]+[\\w])|\\+spec/${esc(bp)}(?![\\w.-])|^\\s*(implements|partial(ly)?[-_ ]implements?)\\s*:\\s*${esc(bp)}\\.?\\s*$`,
        'im',
      );
    // A message the pattern of a name of letters, digits, '_', '-' and '.' matches holds the name
    // (case aside: a case-insensitive pattern matches an ASCII letter only with an ASCII letter):
    // the patterns are tried only on the messages that hold one of the spec's names, not on all
    // 62,000 (the same commits, less CPU).
    const lower = log.map(([, msg]) => msg.toLowerCase());
    const ascii = (n: string) => /^[\w.-]+$/.test(n);
    let withCommits = 0;
    for (const e of v.specs) {
      const specNames = e.names as string[];
      // Each name's pattern built once for the spec, not once per message.
      const patterns = specNames.map(names);
      const candidate = specNames.every(ascii) ? (i: number) => specNames.some((n) => lower[i]!.includes(n.toLowerCase())) : () => true;
      const want = log
        .filter(([, msg], i) => candidate(i) && patterns.some((p) => p.test(msg)))
        .map(([h]) => h)
        .sort();
      assert.deepEqual(e.commits.list.map((c: { hash: string }) => c.hash).sort(), want, `${e.blueprint}: linked commits`);
      assert.equal(e.commits.total, want.length);
      if (want.length) withCommits++;
    }
    assert.ok(withCommits > 30, `only ${withCommits} Kilo specs have commits`);
    // Landing: the main-line (first-parent) commit that brought it in — itself when it is on the
    // main line, else the oldest main-line commit descending from it.
    const mainline = new Set(git(nova, ['rev-list', '--first-parent', 'master']).split('\n').filter(Boolean));
    const landedAt = (h: string): number => {
      const m = mainline.has(h)
        ? h
        : git(nova, ['rev-list', '--first-parent', '--ancestry-path', `${h}..master`])
            .trim()
            .split('\n')
            .pop()!;
      return Number(git(nova, ['log', '-1', '--format=%ct', m]).trim()) * 1000;
    };
    const sample = v.specs.filter((e: { commits: { total: number } }) => e.commits.total > 0 && e.commits.total <= 6).slice(0, 4);
    assert.ok(sample.length >= 2);
    for (const e of sample) {
      const times = e.commits.list.map((c: { hash: string }) => landedAt(c.hash)).sort((a: number, b: number) => a - b);
      assert.equal(Date.parse(e.commits.first), times[0], `${e.blueprint}: first landing`);
      assert.equal(Date.parse(e.commits.last), times[times.length - 1], `${e.blueprint}: last landing`);
    }
    // Partial landings: a spec not implemented whose commits landed in Kilo is part-merged.
    const part = v.specs.filter((e: { landed: boolean; commits: { inRelease: number } }) => !e.landed && e.commits.inRelease > 0);
    assert.ok(part.length > 0);
    for (const e of part) assert.ok(e.reasons.includes('part-merged'), e.blueprint);
  });
});
