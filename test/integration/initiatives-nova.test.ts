/**
 * Real nova initiatives on the shipped bundles (../shared/data/nova-specs.bundle and
 * nova-history-meta.bundle, cloned at run time; skipped, saying so, when absent): cells v2 (its
 * specs from Liberty on) and the removal of nova-network (commits of the code history). Their
 * progress per release is held to counts this test derives itself with plain git: spec files per
 * release directory, and the matching commits grouped by the main-line commit that brought each in.
 * The definitions are docs/initiatives.md's example. SQLite only: the engines are compared on the
 * demo (initiatives.test.ts); this is about the real data.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { runSteward } from '../helpers/cli.js';
import type { CachedStore } from '../helpers/demo-cache.js';
import { novaHistoryStore } from '../helpers/nova-store.js';
import { cloneBundle } from '../helpers/bundle-clone.js';

// The shared data folder beside the repository; STEWARD_SHARED_DATA names another (a worktree elsewhere).
const DATA = process.env.STEWARD_SHARED_DATA ?? fileURLToPath(new URL('../../../shared/data', import.meta.url));
const SPECS = join(DATA, 'nova-specs.bundle');
const HISTORY = join(DATA, 'nova-history-meta.bundle');
const SKIP =
  existsSync(SPECS) && existsSync(HISTORY)
    ? false
    : `nova initiatives test skipped: ${SPECS} or ${HISTORY} is absent (the shared data folder ../shared/data beside the repository holds them)`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON output
type Json = any;

const RELEASES: Array<[string, string, string, string]> = [
  ['Juno', '2014-04-17', '2014-09-04', '2014-10-16'],
  ['Kilo', '2014-10-16', '2015-03-19', '2015-04-30'],
  ['Liberty', '2015-04-30', '2015-09-03', '2015-10-15'],
  ['Mitaka', '2015-10-15', '2016-03-03', '2016-04-07'],
  ['Newton', '2016-04-07', '2016-09-01', '2016-10-06'],
  ['Ocata', '2016-10-06', '2017-01-26', '2017-02-22'],
  ['Pike', '2017-02-22', '2017-07-27', '2017-08-30'],
  ['Queens', '2017-08-30', '2018-01-25', '2018-02-28'],
  ['Rocky', '2018-02-28', '2018-07-26', '2018-08-30'],
  ['Stein', '2018-08-30', '2019-03-07', '2019-04-10'],
  ['Train', '2019-04-10', '2019-09-12', '2019-10-16'],
  ['Ussuri', '2019-10-16', '2020-04-09', '2020-05-13'],
  ['Victoria', '2020-05-13', '2020-09-10', '2020-10-14'],
  ['Wallaby', '2020-10-14', '2021-03-11', '2021-04-14'],
  ['Xena', '2021-04-14', '2021-09-02', '2021-10-06'],
  ['Yoga', '2021-10-06', '2022-02-24', '2022-03-30'],
];
const CELLS_SPECS = [
  'cells-host-mapping',
  'cells-instance-migration',
  'cells-db-connection-switching',
  'cells-scheduling-interaction',
  'cells-instance-table',
  'cells-quota-api-db',
  'cells-aggregate-api-db',
  'cells-cell0',
  'cells-instance-groups-api-db',
  'cells-keypairs-api-db',
  'cells-mq-connection-switching',
  'cells-count-resources-to-check-quota-in-api',
];
const PATTERNS = ['^nova-net: ', 'remove.*nova-network'];
const NOW = '2022-06-01';

const yaml = `releases:
${RELEASES.map(([n, s, f, r]) => `  - { name: ${n}, start: ${s}, featureFreeze: ${f}, release: ${r} }`).join('\n')}
initiatives:
  - name: cells-v2
    title: Cells v2
    goal: One nova deployment of many cells, every deployment a cells v2 deployment.
    scope:
      specs: [${CELLS_SPECS.join(', ')}]
    milestones:
      - { title: Mappings, release: Liberty }
      - { title: Connection switching, release: Mitaka }
      - { title: API data in the API database, release: Newton }
      - { title: Scheduling, release: Ocata }
      - { title: Quotas, release: Pike }
  - name: remove-nova-network
    title: Removal of nova-network
    goal: Neutron is the only network service; nova-network is gone.
    scope:
      commitPatterns: [${PATTERNS.map((p) => `'${p}'`).join(', ')}]
    milestones:
      - { title: Deprecated, release: Newton }
      - { title: Binary removed, release: Train }
      - { title: Remnants removed, release: Ussuri }
      - { title: Models removed, release: Yoga }
`;

describe('nova initiatives on the real specs and code history', { skip: SKIP }, () => {
  let tmp: string;
  let specs: string;
  let nova: string;
  let db: string;
  const git = (repo: string, ...args: string[]): string =>
    execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 }).trim();
  const steward = async (args: string[]): Promise<Json> => {
    const r = await runSteward([...args, '--db', db, '--config', join(tmp, 'steward.yaml')], { cwd: tmp });
    assert.equal(r.code, 0, r.stderr);
    return args.includes('json') ? JSON.parse(r.stdout) : r.stdout;
  };

  let history: CachedStore | undefined;

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'steward-nova-initiatives-'));
    specs = join(tmp, 'nova-specs');
    cloneBundle(SPECS, specs);
    writeFileSync(join(tmp, 'steward.yaml'), yaml);
    // `steward git sync --repo nova.git --branch master` (a bare clone of the bundle, named nova;
    // this steward.yaml names no git repository), as history-nova and security-advisories-real
    // read it: under the test runner a copy of the run's. Its clone serves git's own look-ups
    // below, read only.
    history = await novaHistoryStore('sqlite', HISTORY);
    db = history.location;
    nova = join(history.out, 'nova.git');
    await steward(['specs', 'sync', '--repo', specs]);
  });
  after(async () => {
    rmSync(tmp, { recursive: true, force: true });
    await history?.cleanup();
  });

  it('cells v2: specs approved and implemented per release, as the specs repository lists them', async () => {
    const v = await steward(['initiative', 'status', 'cells-v2', '--now', NOW, '--format', 'json']);
    const files = git(specs, 'ls-tree', '-r', '--name-only', 'HEAD', 'specs').split('\n');
    const names = new Set(CELLS_SPECS);
    for (const [release] of RELEASES.slice(2, 7)) {
      const mine = files.filter((f) => {
        const m = new RegExp(`^specs/${release.toLowerCase()}/(approved|implemented)/([^/]+)\\.rst$`).exec(f);
        return m !== null && names.has(m[2]!);
      });
      const row = v.releases.find((r: Json) => r.release === release);
      assert.deepEqual(
        [row.specsApproved, row.specsImplemented],
        [mine.length, mine.filter((f) => f.includes('/implemented/')).length],
        release,
      );
      const milestone = v.milestones.find((m: Json) => m.release === release);
      assert.equal(milestone.specsApproved, new Set(mine.map((f) => f.split('/').pop())).size, release);
    }
    // Every milestone is met in the end, the early ones years late (re-proposed specs implemented later).
    assert.ok(v.milestones.every((m: Json) => m.status === 'met' || m.status === 'met late'));
    assert.ok(v.milestones[0].lateDays > 365);
    assert.ok(v.totals.commits > 0 && v.people.doing.length > 0);
    // As of the Liberty summit (Vancouver, 18 May 2015): the Liberty specs added to the repository by then, none implemented.
    const summit = Date.parse('2015-05-18T00:00:00Z');
    const then = await steward(['initiative', 'status', 'cells-v2', '--now', '2015-05-18', '--format', 'json']);
    const libertyNames = [
      ...new Set(
        files
          .filter((f) => /^specs\/liberty\/(approved|implemented)\//.test(f))
          .map((f) =>
            f
              .split('/')
              .pop()!
              .replace(/\.rst$/, ''),
          )
          .filter((n) => names.has(n)),
      ),
    ];
    const addedBy = libertyNames.filter((n) => {
      const added = git(
        specs,
        'log',
        '--format=%ct',
        '--diff-filter=A',
        '--',
        `specs/liberty/approved/${n}.rst`,
        `specs/liberty/implemented/${n}.rst`,
      )
        .split('\n')
        .filter(Boolean)
        .map((x) => Number(x) * 1000);
      return Math.min(...added) <= summit;
    });
    assert.equal(then.milestones[0].specsApproved, addedBy.length);
    assert.equal(then.milestones[0].specsImplemented, 0);
    assert.equal(then.milestones[0].status, addedBy.length ? 'in progress' : 'nothing yet');
  });

  it('removal of nova-network: commits landed per release, as plain git groups them by landing', async () => {
    const v = await steward(['initiative', 'status', 'remove-nova-network', '--now', NOW, '--format', 'json']);
    // The matching commits (git's own --grep: any line, case-insensitive), and when each landed: the
    // main-line (first-parent) commit that first brought it in, at that commit's time.
    const matched = new Set(git(nova, 'log', '--format=%H', '-i', '-E', ...PATTERNS.flatMap((p) => ['--grep', p]), 'master').split('\n'));
    const parents = new Map(
      git(nova, 'log', '--format=%H %P', 'master')
        .split('\n')
        .map((l) => {
          const [h, ...ps] = l.split(' ');
          return [h!, ps.filter(Boolean)];
        }),
    );
    const mainline = git(nova, 'log', '--first-parent', '--format=%H %ct', 'master')
      .split('\n')
      .map((l) => l.split(' '))
      .reverse();
    const landedAt = new Map<string, number>();
    for (const [m, ct] of mainline) {
      const stack = [m!];
      while (stack.length) {
        const c = stack.pop()!;
        if (landedAt.has(c)) continue;
        landedAt.set(c, Number(ct) * 1000);
        const ps = parents.get(c) ?? [];
        // The first parent of a main-line commit is the main line itself, landed earlier.
        for (const p of c === m ? ps.slice(1) : ps) if (!landedAt.has(p)) stack.push(p);
      }
    }
    const since = Date.parse(`${RELEASES[4]![1]}T00:00:00Z`);
    const until = Date.parse(`${NOW}T00:00:00Z`);
    const releaseOf = (t: number): string | undefined => RELEASES.find(([, , , r]) => t < Date.parse(`${r}T00:00:00Z`))?.[0];
    const expected = new Map<string, number>();
    for (const h of matched) {
      const t = landedAt.get(h)!;
      if (t < since || t > until) continue;
      const r = releaseOf(t);
      if (r) expected.set(r, (expected.get(r) ?? 0) + 1);
    }
    for (const row of v.releases) assert.equal(row.commitsLanded, expected.get(row.release) ?? 0, row.release);
    assert.equal(
      v.totals.commits,
      [...expected.values()].reduce((a, b) => a + b, 0),
    );
    assert.ok((expected.get('Ussuri') ?? 0) > 20, 'the bulk of the removal landed in Ussuri');
    // No review data: the status says it cannot tell what was waiting, and its milestones have only commits.
    assert.ok(v.milestones.every((m: Json) => m.status === 'commits only' || m.status === 'missed'));
    assert.ok(v.stalls.length > 0 && v.stalls.every((s: Json) => /no review data covers it/.test(s.why)));
    const brief = await steward(['initiative', 'brief', 'remove-nova-network', '--now', NOW]);
    assert.match(brief, /^# Removal of nova-network/);
    assert.match(brief, /\| Remnants removed \(Ussuri\) \| 2020-05-13 \| commits only \|/);
  });
});
