/**
 * Published advisories end to end on both engines: advisory files and a code repository built in
 * the test, Gerrit changes written to the store; `steward git sync`, `steward security advisories
 * import`, the report and the candidates. Checks the linking rule (trailers and older prose, not
 * Related-Bug), the fix-to-advisory time, early fixes and late backports, that a bad file stores
 * nothing, that importing again changes nothing, and that a stored advisory writes back out as the
 * YAML it was read from.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AccountRef, ChangeRecord } from '../../src/model/records.js';
import { advisoryToYaml, parseAdvisory } from '../../src/sources/advisories/advisory-yaml.js';
import { AccountResolver } from '../../src/store/account-resolver.js';
import { writeChanges } from '../../src/store/change-writer.js';
import { openStore } from '../../src/store/open-store.js';
import { FIXING_LINK_KINDS, listBugFixCommits, loadAdvisories } from '../../src/store/queries/advisories.js';
import { listBlueprintCommits, listLinkedCommits } from '../../src/store/queries/code-history.js';
import { carol, DAY, makeChange, makePatchSet, makeVote } from '../helpers/builders.js';
import { runSteward } from '../helpers/cli.js';
import { testApp } from '../helpers/web.js';
import { ENGINES, freshLocation } from '../helpers/stores.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON output
type Json = Record<string, any>;

const dave: AccountRef = { accountId: 1004, username: 'dave', name: 'Dave Backporter', email: 'dave@example.org' };
const erin: AccountRef = { accountId: 1005, username: 'erin', name: 'Erin Area', email: 'erin@example.org' };
const frank: AccountRef = { accountId: 1006, username: 'frank', name: 'Frank Area', email: 'frank@example.org' };

const D1 = Date.UTC(2031, 2, 10); // XSA-2031-001's day
const NOW = Date.UTC(2031, 6, 1);

const advisory = (id: string, date: string, bugs: string[], reviews: Record<string, string[]>, extra = ''): string =>
  `date: ${date}\n\nid: ${id}\n\ntitle: 'Problem ${id}'\n\ndescription: >\n  Someone found a problem in ${id}.\n\n` +
  `affected-products:\n  - product: compute\n    version: '<2.0'\n\nvulnerabilities:\n  - cve-id: CVE-2031-${id.slice(-3)}01\n\n` +
  `reporters:\n  - name: 'Ann Reporter'\n    affiliation: Example\n\nissues:\n  links:\n${bugs.map((b) => `    - https://launchpad.net/bugs/${b}\n`).join('')}\n` +
  `reviews:\n${Object.entries(reviews)
    .map(([b, l]) => `  ${b}:\n${l.map((u) => `    - ${u}\n`).join('')}`)
    .join('')}${extra}`;

const gitEnv = (date: string) => ({
  ...process.env,
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.org',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.org',
  GIT_AUTHOR_DATE: date,
  GIT_COMMITTER_DATE: date,
});

function changes(): ChangeRecord[] {
  const merged = (n: number, at: number, over: Partial<ChangeRecord>): ChangeRecord =>
    makeChange(n, {
      status: 'MERGED',
      created: at - 5 * DAY,
      updated: at,
      submitted: at,
      patchSets: [makePatchSet(1, { created: at - 5 * DAY })],
      ...over,
    });
  return [
    // The fix on master, merged two days before the advisory; carol reviewed it while it was embargoed.
    merged(501, D1 - 2 * DAY, {
      files: [{ path: 'compute/api/servers.py', insertions: 5, deletions: 1 }],
      commitMessage: 'Fix it\n\nCloses-Bug: #111111\n',
      links: [{ kind: 'closes-bug', target: '111111' }],
      votes: [makeVote({ voter: carol, value: 2, grantedAt: D1 - 3 * DAY })],
    }),
    // Its backport, created after the advisory, merged 60 days after it; carol reviewed it in public.
    makeChange(502, {
      branch: 'stable/zed',
      owner: dave,
      status: 'MERGED',
      created: D1 + 5 * DAY,
      updated: D1 + 60 * DAY,
      submitted: D1 + 60 * DAY,
      patchSets: [makePatchSet(1, { created: D1 + 5 * DAY, uploader: dave })],
      files: [{ path: 'compute/api/servers.py', insertions: 5, deletions: 1 }],
      commitMessage: 'Fix it\n\nCloses-Bug: #111111\n(cherry picked from commit abc)\n',
      links: [{ kind: 'closes-bug', target: '111111' }],
      votes: [makeVote({ voter: carol, value: 2, grantedAt: D1 + 50 * DAY })],
    }),
    // Ordinary work in the same area (erin's change, frank's review), and elsewhere.
    merged(503, D1 + 30 * DAY, {
      owner: erin,
      files: [{ path: 'compute/api/flavors.py', insertions: 5, deletions: 1 }],
      commitMessage: 'Tidy\n',
      links: [],
      votes: [makeVote({ voter: frank, value: 1, grantedAt: D1 + 29 * DAY })],
    }),
    merged(504, D1 + 30 * DAY, {
      owner: erin,
      files: [{ path: 'doc/index.rst', insertions: 1, deletions: 0 }],
      commitMessage: 'Docs\n',
      links: [],
      votes: [],
    }),
  ];
}

describe('published advisories, end to end', () => {
  let tmp: string;
  let repo: string;
  let dir: string;
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'steward-advisories-'));
    repo = join(tmp, 'compute');
    dir = join(tmp, 'ossa');
    mkdirSync(dir);
    mkdirSync(repo);
    const git = (args: string[], date = '2031-01-01T00:00:00Z') => execFileSync('git', ['-C', repo, ...args], { env: gitEnv(date) });
    git(['init', '-q', '-b', 'master']);
    // 222222 by a trailer (fix landed 2031-05-01, 19 days before XSA-2031-002), 333333 by older
    // prose (2031-05-25, after it), 444444 only as related work (not a fix).
    git(['commit', '-q', '--allow-empty', '-m', 'Start']);
    git(['commit', '-q', '--allow-empty', '-m', 'Check quotas\n\nCloses-Bug: #222222\n'], '2031-05-01T00:00:00Z');
    git(['commit', '-q', '--allow-empty', '-m', 'Stop the leak\n\nFixes bug 333333.\n'], '2031-05-25T12:00:00Z');
    git(['commit', '-q', '--allow-empty', '-m', 'Log more\n\nRelated-Bug: #444444\n'], '2031-05-26T00:00:00Z');
    git(['commit', '-q', '--allow-empty', '-m', 'Add quota checks\n\nImplements: blueprint quota-checks\n'], '2031-05-27T00:00:00Z');
    writeFileSync(
      join(dir, 'XSA-2031-001.yaml'),
      advisory('XSA-2031-001', '2031-03-10', ['111111'], {
        master: ['https://review.example.org/#/c/501/'],
        zed: ['https://review.example.org/c/demo/compute/+/502'],
        type: [],
      }).replace('  type:\n', '  type: gerrit\n'),
    );
    writeFileSync(
      join(dir, 'XSA-2031-002.yaml'),
      advisory('XSA-2031-002', '2031-05-20', ['222222', '333333'], { master: ['https://review.example.org/601'] }),
    );
    writeFileSync(
      join(dir, 'XSA-2031-003.yaml'),
      advisory('XSA-2031-003', '2031-06-01', ['444444'], { master: ['https://review.example.org/701'] }),
    );
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  for (const engine of ENGINES) {
    it(`imports, links and reports (${engine.name})`, { skip: engine.skip }, async () => {
      const { location, cleanup } = await freshLocation(engine.name);
      const cli = (...args: string[]) => runSteward(['--db', location, ...args], { cwd: tmp, now: NOW });
      try {
        const store = await openStore(location);
        try {
          const records = changes();
          await store.db
            .transaction()
            .execute(async (trx) => writeChanges(trx, new AccountResolver(trx, records[0]!.host, store.bulk), records, 'rest', store.bulk));
        } finally {
          await store.close();
        }
        assert.equal((await cli('git', 'sync', '--repo', repo, '--branch', 'master')).code, 0);

        // One join of commit links to commits, for bugs and blueprints alike.
        const hist = await openStore(location);
        try {
          const linked = await listLinkedCommits(
            hist.db,
            ['222222', '333333', '444444', 'quota-checks'],
            [...FIXING_LINK_KINDS, 'implements'],
          );
          assert.deepEqual(linked.map((c) => [c.target, c.kind, c.subject]).sort(), [
            ['222222', 'closes-bug', 'Check quotas'],
            ['333333', 'closes-bug', 'Stop the leak'],
            ['quota-checks', 'implements', 'Add quota checks'],
          ]);
          const fixes = await listBugFixCommits(hist.db, ['222222', '333333', '444444']);
          assert.deepEqual(
            fixes.map((f) => [f.bug, f.sha, f.landedAt]),
            linked
              .filter((c) => c.kind === 'closes-bug')
              .map((c) => [c.target, c.sha, c.landedAt])
              .sort(),
          );
          const bp = await listBlueprintCommits(hist.db, ['Quota-Checks']);
          assert.deepEqual(
            bp.map((c) => [c.blueprint, c.kind, c.sha]),
            [['quota-checks', 'implements', linked.find((c) => c.kind === 'implements')!.sha]],
          );
        } finally {
          await hist.close();
        }

        // One bad file among good ones: refused with file, line and field; nothing stored.
        const bad = join(tmp, 'bad');
        mkdirSync(bad, { recursive: true });
        writeFileSync(
          join(bad, 'XSA-2031-009.yaml'),
          advisory('XSA-2031-009', '2031-02-30', ['1'], { master: ['https://review.example.org/1'] }),
        );
        const refused = await cli('security', 'advisories', 'import', dir, bad);
        assert.equal(refused.code, 6, refused.stderr);
        assert.match(refused.stderr, /XSA-2031-009\.yaml:1: date: expected a date YYYY-MM-DD/);
        // Nothing was stored: the report says the store holds no advisories (STORE_EMPTY), not zeros.
        const empty = await cli('security', 'advisories', '--format', 'json');
        assert.equal(empty.code, 20, empty.stderr);
        assert.match(empty.stderr, /the store holds no security advisories/);

        const imported = await cli('security', 'advisories', 'import', dir, '--format', 'json');
        assert.equal(imported.code, 0, imported.stderr);
        assert.deepEqual(JSON.parse(imported.stdout), {
          ...JSON.parse(imported.stdout),
          files: 3,
          added: 3,
          replaced: 0,
          stored: 3,
          withBugs: 3,
          linkedToCommits: 1,
        });
        const again = JSON.parse((await cli('security', 'advisories', 'import', dir, '--format', 'json')).stdout) as Json;
        assert.deepEqual([again.added, again.replaced, again.stored], [0, 3, 3]);

        const r = JSON.parse((await cli('security', 'advisories', '--format', 'json')).stdout) as Json;
        const byId = Object.fromEntries((r.advisories as Json[]).map((a) => [a.id, a]));
        // 001: fixed by the master change two days before; its backport merged 60 days after (late).
        assert.deepEqual(
          byId['XSA-2031-001'].fixes.map((f: Json) => [f.source, f.ref]),
          [['change', 'demo/compute#501']],
        );
        assert.equal(byId['XSA-2031-001'].fixToAdvisoryDays, 2);
        assert.deepEqual(
          byId['XSA-2031-001'].backports.map((b: Json) => [b.branch, b.number, b.daysAfterAdvisory, b.late]),
          [['stable/zed', 502, 60, true]],
        );
        // 002: the trailer and the prose both link; the first fix landed 19 days before.
        assert.deepEqual(
          byId['XSA-2031-002'].fixes.map((f: Json) => [f.source, f.bug]),
          [
            ['commit', '222222'],
            ['commit', '333333'],
          ],
        );
        assert.equal(byId['XSA-2031-002'].fixToAdvisoryDays, 19);
        assert.equal(byId['XSA-2031-002'].early, false);
        // 003: a Related-Bug is not a fix.
        assert.deepEqual(byId['XSA-2031-003'].fixes, []);
        assert.deepEqual(
          {
            advisories: r.total.advisories,
            cves: r.total.cves,
            reporters: r.total.reporters,
            linked: r.total.linked,
            late: r.total.lateBackports,
          },
          { advisories: 3, cves: 3, reporters: 1, linked: 2, late: 1 },
        );
        assert.deepEqual(r.total.fixToAdvisoryDays, { n: 2, median: 10.5, lower: null, upper: null });
        const early = JSON.parse((await cli('security', 'advisories', '--early-days', '10', '--format', 'json')).stdout) as Json;
        assert.deepEqual(
          (early.advisories as Json[]).filter((a) => a.early).map((a) => a.id),
          ['XSA-2031-002'],
        );
        const csv = (await cli('security', 'advisories', '--format', 'csv')).stdout.trim().split('\n');
        assert.equal(csv.length, 4);
        assert.match(
          (await cli('security', 'advisories')).stdout,
          /Backports merged long after the advisory:\n {2}XSA-2031-001 \(2031-03-10\): stable\/zed demo\/compute#502/,
        );

        // Written back out from the store, each advisory reads back as the file it came from.
        const s = await openStore(location);
        try {
          for (const rec of await loadAdvisories(s.db)) {
            const file = join(dir, `${rec.advisory.id}.yaml`);
            assert.deepEqual(
              parseAdvisory(advisoryToYaml(rec.advisory), 'written').advisory,
              parseAdvisory(readFileSync(file, 'utf8'), file).advisory,
            );
          }
        } finally {
          await s.close();
        }

        // The page lays out the same report, and the API returns what the command prints.
        const web = await testApp(location, tmp, { clock: () => NOW });
        try {
          const pageRes = await web.app.inject({ method: 'GET', url: '/security/advisories' });
          assert.equal(pageRes.statusCode, 200, pageRes.body.slice(0, 300));
          assert.match(pageRes.body, /id="advisories-chart"/);
          assert.match(pageRes.body, /XSA-2031-001/);
          assert.match(pageRes.body, /demo\/compute#502/);
          const api = await web.app.inject({ method: 'GET', url: '/api/v1/security/advisories' });
          assert.deepEqual(JSON.parse(api.body), r);
        } finally {
          await web.close();
        }

        // Candidates: dave's public backport, carol's review after disclosure (not the one under
        // embargo), erin's and frank's work in the area the fix touched; nothing for doc/.
        const c = JSON.parse((await cli('security', 'candidates', '--now', '2031-07-01', '--format', 'json')).stdout) as Json;
        assert.deepEqual(c.areas, ['compute/api/']);
        assert.deepEqual(
          (c.candidates as Json[]).map((x) => [x.username, x.score, x.fixes, x.securityReviews, x.areaChanges, x.areaReviews]),
          [
            ['dave', 4, 1, 0, 0, 0],
            ['carol', 2, 0, 1, 0, 0],
            ['erin', 1, 0, 0, 1, 0],
            ['frank', 0.5, 0, 0, 0, 1],
          ],
        );
        assert.deepEqual(c.candidates[1].evidence.securityReviews, ['demo/compute#502']);
        const excluded = JSON.parse(
          (await cli('security', 'candidates', '--now', '2031-07-01', '--exclude', 'dave', '--format', 'json')).stdout,
        ) as Json;
        assert.deepEqual(
          (excluded.candidates as Json[]).map((x) => x.username),
          ['carol', 'erin', 'frank'],
        );
      } finally {
        await cleanup();
      }
    });
  }
});
