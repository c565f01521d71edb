/**
 * How the specs report links a spec to its code and tells what happened to it, end to end through
 * `steward git sync`, `steward specs sync` and `steward specs report`: a specs repository and a code
 * repository built in the test (a blueprint URL wrapped across two lines, another project's
 * blueprint URL, the file-name and URL forms of a spec's name, a Related-Blueprint trailer, code
 * that landed in the next release without a re-proposal), on both engines; then the same on the
 * real nova-specs and nova history (../shared/data, beside the repository; skipped, saying so, when
 * absent).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { runSteward } from '../helpers/cli.js';
import type { CachedStore } from '../helpers/demo-cache.js';
import { novaSpecsStore } from '../helpers/nova-store.js';
import { ENGINES, freshLocation } from '../helpers/stores.js';
import { cloneBundle } from '../helpers/bundle-clone.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON output
type Json = Record<string, any>;

const gitEnv = (date: string) => ({
  ...process.env,
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.org',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.org',
  GIT_AUTHOR_DATE: `${date}T12:00:00Z`,
  GIT_COMMITTER_DATE: `${date}T12:00:00Z`,
});
const git = (dir: string, args: string[], date = '2014-01-01') =>
  execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', maxBuffer: 1 << 28, env: gitEnv(date) });

/** A repository built commit by commit: files written, moved, and the message of each commit. */
function buildRepo(
  dir: string,
  steps: Array<{ date: string; message?: string; write?: Record<string, string>; move?: Array<[string, string]> }>,
): void {
  mkdirSync(dir, { recursive: true });
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
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '--allow-empty', '-m', s.message ?? `step ${s.date}`], s.date);
  }
}

const spec = (title: string, body: string) =>
  `..\n This work is licensed under CC-BY 3.0.\n\n${'='.repeat(title.length)}\n${title}\n${'='.repeat(title.length)}\n\n${body}\n\nProblem description\n===================\n\nText.\n`;
const url = (project: string, name: string) => `https://blueprints.launchpad.net/${project}/+spec/${name}`;

describe('specs linking and outcomes on repositories built in the test', () => {
  let work: string;
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'steward-specs-linking-'));
    buildRepo(join(work, 'specs'), [
      {
        date: '2014-11-01',
        write: {
          // Wrapped as nova-specs wraps it: in a literal, cut after a hyphen.
          'specs/kilo/approved/add-all-in-list-operator-to-extra-spec-ops.rst': spec(
            'All-in-list',
            '`https://blueprints.launchpad.net/nova/+spec/add-all-in-list-\noperator-to-extra-spec-ops`',
          ),
          // Another project's blueprint first, in passing, then its own.
          'specs/kilo/approved/soft-nmi.rst': spec(
            'Soft NMI',
            `Uses Ironic's ${url('ironic', 'enhance-power-interface')}.\n\n${url('nova', 'inject-nmi')}`,
          ),
          // Only another project's blueprint: the spec goes by its file name.
          'specs/kilo/approved/ironic-only.rst': spec('Ironic only', `See ${url('ironic', 'enhance-power-interface')}.`),
          // The URL names url-form, the file file-form.
          'specs/kilo/approved/file-form.rst': spec('Two names', url('nova', 'url-form')),
          'specs/kilo/approved/slipped.rst': spec('Slipped', url('nova', 'slipped')),
        },
      },
      {
        date: '2015-03-01',
        move: [
          [
            'specs/kilo/approved/add-all-in-list-operator-to-extra-spec-ops.rst',
            'specs/kilo/implemented/add-all-in-list-operator-to-extra-spec-ops.rst',
          ],
        ],
      },
    ]);
    buildRepo(join(work, 'code'), [
      { date: '2014-10-01', message: 'Initial' },
      { date: '2015-01-10', message: 'Add the all-in list operator\n\nImplements: blueprint add-all-in-list-operator-to-extra-spec-ops\n' },
      { date: '2015-01-11', message: 'Ironic power interface\n\nImplements: blueprint enhance-power-interface\n' },
      { date: '2015-01-12', message: 'Inject an NMI\n\nImplements: blueprint inject-nmi\n' },
      { date: '2015-01-13', message: 'Ironic-only work\n\nPartially-Implements: blueprint ironic-only\n' },
      { date: '2015-01-14', message: 'First part\n\nPartially-Implements: blueprint url-form\n' },
      { date: '2015-01-15', message: 'Second part\n\nImplements: blueprint file-form\n' },
      { date: '2015-01-16', message: 'Prepare for blueprint file-form.\n' },
      { date: '2015-01-17', message: 'A helper\n\nRelated-Blueprint: url-form\n' },
      // After Kilo's release (2015-04-30), in Liberty, with no re-proposal.
      { date: '2015-06-10', message: 'The slipped feature\n\nImplements: blueprint slipped\n' },
    ]);
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  const views = new Map<string, Json>();
  for (const engine of ENGINES) {
    it(`links each spec to its code by one rule and says what happened afterwards (${engine.name})`, { skip: engine.skip }, async () => {
      const { location, cleanup } = await freshLocation(engine.name);
      const run = async (args: string[]): Promise<string> => {
        const r = await runSteward(['--db', location, ...args], { cwd: work });
        assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
        return r.stdout;
      };
      try {
        await run(['git', 'sync', '--repo', join(work, 'code'), '--quiet']);
        await run(['specs', 'sync', '--repo', join(work, 'specs')]);
        const v = JSON.parse(await run(['specs', 'report', '--release', 'kilo', '--format', 'json'])) as Json;
        const by = (file: string): Json => v.specs.find((e: Json) => e.path.endsWith(`/${file}`));
        const subjects = (e: Json) => e.commits.list.map((c: Json) => c.subject);

        const wrapped = by('add-all-in-list-operator-to-extra-spec-ops.rst');
        assert.equal(wrapped.blueprint, 'add-all-in-list-operator-to-extra-spec-ops');
        assert.equal(wrapped.blueprintUrl, url('nova', 'add-all-in-list-operator-to-extra-spec-ops'));
        assert.deepEqual(subjects(wrapped), ['Add the all-in list operator']);

        const nmi = by('soft-nmi.rst');
        assert.equal(nmi.blueprint, 'inject-nmi');
        assert.deepEqual(subjects(nmi), ['Inject an NMI']);
        const ironic = by('ironic-only.rst');
        assert.equal(ironic.blueprint, 'ironic-only');
        assert.equal(ironic.blueprintUrl, null);
        assert.deepEqual(subjects(ironic), ['Ironic-only work']);

        const two = by('file-form.rst');
        assert.deepEqual(two.names, ['url-form', 'file-form']);
        assert.deepEqual(subjects(two), ['First part', 'Second part', 'Prepare for blueprint file-form.']);
        assert.equal(two.reason, 'part-merged');
        assert.deepEqual(two.related, {
          commits: 1,
          changes: null,
          list: [{ hash: two.related.list[0].hash, subject: 'A helper', landedAt: '2015-01-17T12:00:00.000Z' }],
        });

        const slipped = by('slipped.rst');
        assert.equal(slipped.reason, 'undetermined');
        assert.deepEqual(
          [slipped.outcome.outcome, slipped.outcome.release, slipped.outcome.releasesLater],
          ['landed-next-release', 'liberty', 1],
        );
        assert.deepEqual(slipped.outcome.laterCommits, [{ release: 'liberty', commits: 1 }]);
        assert.doesNotMatch(slipped.evidence, /never/);
        assert.match(slipped.evidence, /none of its 1 linked commit\(s\) landed in kilo \(they landed 2015-06-10\)/);

        const kilo = v.releases[0];
        assert.deepEqual([kilo.landedLater, kilo.codeLandedLater], [0, 1]);
        assert.equal(
          kilo.reasons.some((r: Json) => r.reason === 'landed-later'),
          false,
        );
        assert.deepEqual(v.sources.present, { specs: true, codeHistory: true, reviewData: false });
        assert.match(v.sources.reviewData, /^none: /);
        assert.match(v.sources.codeHistory, /^commits naming a spec in code /);
        assert.match(v.sources.coreTeam, /^not used \(no review data\)/);

        const text = await run(['specs', 'report', '--release', 'kilo']);
        assert.match(text, /afterwards: landed-next-release — not re-proposed; its code landed in the next release, liberty/);
        assert.match(text, /related work \(Related-Blueprint, not counted as its code\): 1 commit\(s\)/);
        assert.match(text, /Data: specs repository; code history yes; review data none/);
        const csv = (await run(['specs', 'report', '--release', 'kilo', '--format', 'csv'])).trim().split('\n');
        assert.match(csv[0]!, /,related_commits,re_proposed_in,outcome,outcome_release,releases_later$/);
        views.set(engine.name, { ...v, repo: { ...v.repo, path: 'x' }, sources: { ...v.sources, specs: 'x', codeHistory: 'x' } });
      } finally {
        await cleanup();
      }
    });
  }
  it('gives the same report in SQLite and PostgreSQL', { skip: ENGINES[1]!.skip }, () => {
    assert.equal(views.size, 2, 'both engines ran');
    assert.deepEqual(views.get('postgres'), views.get('sqlite'));
  });
});

// STEWARD_SHARED_DATA names the shared data folder when it is not ../shared/data beside the repository (a worktree elsewhere).
const SHARED_DATA = process.env.STEWARD_SHARED_DATA ?? fileURLToPath(new URL('../../../shared/data', import.meta.url));
const SPECS_BUNDLE = join(SHARED_DATA, 'nova-specs.bundle');
const HISTORY_BUNDLE = join(SHARED_DATA, 'nova-history-meta.bundle');
const SKIP =
  existsSync(SPECS_BUNDLE) && existsSync(HISTORY_BUNDLE)
    ? false
    : `real-data test skipped: ${SPECS_BUNDLE} or ${HISTORY_BUNDLE} is absent (the shared data folder ../shared/data beside the repository holds them)`;

describe('specs linking on the real nova-specs and nova history', { skip: SKIP }, () => {
  let work: string;
  let store: CachedStore | undefined;
  let nova: string;
  let specs: string;
  let db: string;
  const report = async (release: string): Promise<Json> => {
    const r = await runSteward(['--db', db, 'specs', 'report', '--release', release, '--format', 'json'], { cwd: work });
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as Json;
  };
  /** Hashes of nova's commits whose message contains `text` (any case), from git alone. */
  const grep = (text: string): string[] =>
    git(nova, ['log', '--format=%H', '-i', '-F', `--grep=${text}`, 'master'])
      .split('\n')
      .filter(Boolean)
      .sort();

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'steward-nova-linking-'));
    nova = join(work, 'nova');
    specs = join(work, 'nova-specs');
    // The repositories for the expected values, from git alone; the store, synced from the same bundles, is shared (nova-store.ts).
    cloneBundle(HISTORY_BUNDLE, nova, ['--no-checkout']);
    cloneBundle(SPECS_BUNDLE, specs, ['--no-checkout']);
    store = await novaSpecsStore(HISTORY_BUNDLE, SPECS_BUNDLE);
    db = store.location;
  });
  after(async () => {
    rmSync(work, { recursive: true, force: true });
    await store?.cleanup();
  });

  it('reads the wrapped blueprint URLs whole and finds their commits', async () => {
    // The wrapped URLs, as git shows them in the spec files.
    const wrappedLine = (path: string) =>
      git(specs, ['show', `HEAD:${path}`])
        .split('\n')
        .find((l) => /\+spec\/[\w-]*-?$/.test(l.trim()))!;
    assert.match(wrappedLine('specs/kilo/implemented/add-all-in-list-operator-to-extra-spec-ops.rst'), /add-all-in-list-$/);
    const kilo = await report('kilo');
    const allIn = kilo.specs.find((e: Json) => e.path === 'specs/kilo/implemented/add-all-in-list-operator-to-extra-spec-ops.rst');
    assert.equal(allIn.blueprint, 'add-all-in-list-operator-to-extra-spec-ops');
    assert.deepEqual(allIn.commits.list.map((c: Json) => c.hash).sort(), grep('blueprint add-all-in-list-operator-to-extra-spec-ops'));
    assert.ok(allIn.commits.total > 0);

    const newton = await report('newton');
    const pagination = newton.specs.find(
      (e: Json) => e.path === 'specs/newton/approved/pagination-add-changes-since-for-instance-action-list.rst',
    );
    assert.equal(pagination.blueprint, 'pagination-add-changes-since-for-instance-action-list');
    assert.deepEqual(
      pagination.commits.list.map((c: Json) => c.hash).sort(),
      grep('pagination-add-changes-since-for-instance-action-list'),
    );
    assert.ok(pagination.commits.total > 0);
    // The file-name form finds commits too: user_id_based_policy_enforcement.rst was renamed, its commits name the old file name.
    const userId = newton.specs.find((e: Json) => e.path === 'specs/newton/implemented/user-id-based-policy-enforcement.rst');
    assert.ok(userId.names.includes('user_id_based_policy_enforcement'));
    const byFileName = grep('blueprint user_id_based_policy_enforcement');
    assert.ok(byFileName.length > 5);
    for (const h of byFileName)
      assert.ok(
        userId.commits.list.some((c: Json) => c.hash === h),
        h,
      );
  });

  it("takes nova's own blueprint, not Ironic's, for the Liberty inject-nmi spec", async () => {
    const text = git(specs, ['show', 'HEAD:specs/liberty/approved/inject-nmi.rst']);
    assert.match(text, /blueprints\.launchpad\.net\/ironic\/\+spec\//);
    const liberty = await report('liberty');
    const nmi = liberty.specs.find((e: Json) => e.path === 'specs/liberty/approved/inject-nmi.rst');
    assert.equal(nmi.blueprint, 'inject-nmi');
    assert.doesNotMatch(nmi.blueprintUrl ?? '', /\/ironic\//);
    for (const e of liberty.specs) assert.doesNotMatch(e.blueprintUrl ?? '', /launchpad\.net\/(?!nova\/)/, e.path);
  });

  it('counts Related-Blueprint commits as related work, and reasons apart from outcomes', async () => {
    const stein = await report('stein');
    const sev = stein.specs.find((e: Json) => e.path === 'specs/stein/approved/amd-sev-libvirt-support.rst');
    // "Related-Blueprint: blueprint amd-sev-libvirt-support" in 'libvirt: harden Host.get_domain_capabilities()'.
    const related = git(nova, [
      'log',
      '--format=%H',
      '-i',
      '-E',
      '--grep=^related-blueprint: (blueprint )?amd-sev-libvirt-support',
      'master',
    ])
      .split('\n')
      .filter(Boolean);
    assert.ok(related.length >= 1);
    for (const h of related) {
      assert.ok(
        sev.related.list.some((c: Json) => c.hash === h),
        h,
      );
      assert.ok(!sev.commits.list.some((c: Json) => c.hash === h), h);
    }
    for (const release of ['kilo', 'stein']) {
      const v = release === 'stein' ? stein : await report(release);
      const r = v.releases[0];
      assert.equal(
        r.reasons.some((x: Json) => x.reason === 'landed-later'),
        false,
      );
      assert.equal(
        r.outcomes.reduce((n: number, x: Json) => n + x.specs, 0),
        r.notLanded,
      );
      assert.deepEqual(v.sources.present, { specs: true, codeHistory: true, reviewData: false });
      for (const e of v.specs) {
        if (e.reason === 'undetermined' && e.commits.total > 0) assert.doesNotMatch(e.evidence, /never/, e.path);
      }
    }
  });
});
