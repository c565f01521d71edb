/**
 * `steward history` on a repository built in the test, with steward.yaml's own release calendar:
 * a fast-forwarded commit, a Gerrit landing merge, a release tag merged back from a stable branch
 * (backports), and the web's API and page giving what the command line prints. Both engines.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runSteward } from '../helpers/cli.js';
import { migratedStore } from '../helpers/demo-cache.js';
import { ENGINES } from '../helpers/stores.js';
import { testApp, WEB_NOW } from '../helpers/web.js';

const env = (date: string, who = 'Ann', committer = who) => ({
  ...process.env,
  GIT_AUTHOR_NAME: who,
  GIT_AUTHOR_EMAIL: `${who.toLowerCase().replace(/ /g, '.')}@example.org`,
  GIT_AUTHOR_DATE: `${date}T12:00:00Z`,
  GIT_COMMITTER_NAME: committer,
  GIT_COMMITTER_EMAIL: 'review@example.org',
  GIT_COMMITTER_DATE: `${date}T12:00:00Z`,
});

describe('steward history on a built repository, CLI and web', () => {
  let work: string;
  let repo: string;
  const git = (args: string[], date: string, who?: string, committer?: string) =>
    execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', env: env(date, who, committer) });
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'steward-history-web-'));
    repo = join(work, 'proj');
    execFileSync('git', ['init', '-q', '-b', 'master', repo]);
    git(['commit', '-q', '--allow-empty', '-m', 'First'], '2020-01-05', 'Ann');
    git(['checkout', '-q', '-b', 'stable/one'], '2020-01-05');
    git(['commit', '-q', '--allow-empty', '-m', 'Fix on stable\n\nCloses-Bug: #42'], '2020-01-07', 'Stable Sam');
    git(['tag', '1.0'], '2020-01-07');
    git(['checkout', '-q', 'master'], '2020-01-05');
    git(['checkout', '-q', '-b', 'topic'], '2020-01-05');
    git(['commit', '-q', '--allow-empty', '-m', 'Add a feature\n\nImplements: blueprint shiny'], '2020-01-06', 'Bob');
    git(['checkout', '-q', 'master'], '2020-01-05');
    git(['merge', '-q', '--no-ff', '-m', 'Merge "Add a feature"', 'topic'], '2020-01-10', 'Bob', 'Gerrit Code Review');
    git(['merge', '-q', '--no-ff', '-m', "Merge tag '1.0'", '1.0'], '2020-03-05', 'Release Bot', 'Gerrit Code Review');
    git(['commit', '-q', '--allow-empty', '-m', 'Fast one\n\nCloses-Bug: #7'], '2020-03-08', 'Cid');
    git(['commit', '-q', '--allow-empty', '-m', 'Translations'], '2020-03-09', 'Proposal Bot');
    writeFileSync(
      join(work, 'steward.yaml'),
      [
        'releases:',
        '  - { name: one, start: 2020-01-01, featureFreeze: 2020-02-15, release: 2020-03-01 }',
        '  - { name: two, start: 2020-03-01, featureFreeze: 2020-04-15, release: 2020-05-01 }',
        '',
      ].join('\n'),
    );
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  for (const engine of ENGINES) {
    it(`counts each kind of landing, and the API and page give the same (${engine.name})`, { skip: engine.skip }, async () => {
      const { location, cleanup } = await migratedStore(engine.name);
      const steward = (...args: string[]) => runSteward(['--db', location, ...args], { cwd: work, now: WEB_NOW });
      try {
        const s = await steward('git', 'sync', '--repo', repo, '--branch', 'master');
        assert.equal(s.code, 0, s.stderr);
        const r = await steward('history', '--format', 'json');
        assert.equal(r.code, 0, r.stderr);
        const v = JSON.parse(r.stdout);
        assert.match(v.calendar.source, /releases in/);
        const pick = (w: Record<string, unknown>) => [
          w.release,
          w.merged,
          w.backports,
          w.fastForwarded,
          w.viaMerge,
          w.botCommits,
          w.authors,
          w.firstTimeAuthors,
          w.retainedAuthors,
          w.namingBug,
          w.namingBlueprint,
        ];
        assert.deepEqual(v.releases.map(pick), [
          ['one', 2, 0, 1, 1, 0, 2, 2, null, 0, 1],
          ['two', 2, 1, 2, 0, 1, 1, 1, 0, 1, 0],
        ]);
        assert.equal(v.releases[0].landingTime.median.days, 2); // 0 days (First) and 4 days (Add a feature)
        assert.match(v.sources.reviewData, /^none/);
        const text = await steward('history', '--release', 'two');
        assert.equal(text.code, 0, text.stderr);
        assert.match(text.stdout, /two: 2 merged \(0 by a landing merge, 2 fast-forwarded\), 1 backports, 1 by bots/);

        const t = await testApp(location, work);
        try {
          const api = await t.app.inject({ method: 'GET', url: '/api/v1/history?release=two' });
          assert.equal(api.statusCode, 200, api.body);
          const cli = await steward('history', '--release', 'two', '--format', 'json');
          assert.deepEqual(JSON.parse(api.body), JSON.parse(cli.stdout));
          const bad = await t.app.inject({ method: 'GET', url: '/api/v1/history?release=nope' });
          assert.equal(bad.statusCode, 400);
          assert.match(JSON.parse(bad.body).error.message, /^release "nope" is not in the release calendar/);
          const pg = await t.app.inject({ method: 'GET', url: '/history' });
          assert.equal(pg.statusCode, 200);
          assert.match(pg.body, /Commits landed per release window/);
          assert.match(pg.body, /Share landed within N days of the author date/);
        } finally {
          await t.close();
        }
      } finally {
        await cleanup();
      }
    });
  }
});
