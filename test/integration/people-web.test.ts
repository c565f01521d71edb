/**
 * People on planted people, both engines: reviews per company through the reviewer reports' one
 * definition of a review (Ann's company changes mid-window: her reviews before count for Corp,
 * after for NewCo; Bob has no record and is guessed from his domain; a bot's votes never count,
 * and the companies' reviews add up to `steward reviewers`' for the window); `steward people list`
 * and `/api/v1/people` with the access rule (addresses for leads and admins only, the search of
 * others does not look at addresses); and in Chromium the page shows the JSON's numbers.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AccountRef, ChangeRecord } from '../../src/model/records.js';
import { AccountResolver } from '../../src/store/account-resolver.js';
import { writeChanges } from '../../src/store/change-writer.js';
import { openStore } from '../../src/store/open-store.js';
import { makeChange, makeMessage, makePatchSet, makeVote } from '../helpers/builders.js';
import { runSteward } from '../helpers/cli.js';
import { migratedStore } from '../helpers/demo-cache.js';
import { ENGINES } from '../helpers/stores.js';
import { Jar, TEST_HASH, addUser, signIn } from '../helpers/web-auth.js';
import { BROWSER_SKIP_REASON, launchBrowser, listeningApp } from '../helpers/web.js';
import { loadConfig } from '../../src/config/load-config.js';
import { resolveEffectiveConfig } from '../../src/service/effective-config.js';
import { accessHooks } from '../../src/web/auth/access-hooks.js';
import { buildApp } from '../../src/web/build-app.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON output
type Json = Record<string, any>;

const HOST = 'review.example.org';
const NOW = Date.UTC(2021, 0, 1);
const at = (d: string) => Date.parse(`${d}T12:00:00Z`);
const ann: AccountRef = { accountId: 101, username: 'ann', name: 'Ann Lee', email: 'ann@corp.example' };
const bob: AccountRef = { accountId: 201, username: 'bob', name: 'Bob', email: 'bob@corp.example' };
const carl: AccountRef = { accountId: 301, username: 'carl', name: 'Carl', email: 'carl@example.org' };
const zuul: AccountRef = { accountId: 9, username: 'zuul', name: 'Zuul', email: 'zuul@example.org' };

/** Carl's change: Ann reviews patch set 1 at Corp and patch set 2 at NewCo; Bob once; the bot votes. */
function plantedChange(): ChangeRecord {
  return makeChange(800, {
    host: HOST,
    owner: carl,
    created: at('2020-05-01'),
    updated: at('2020-07-20'),
    patchSets: [
      makePatchSet(1, { uploader: carl, created: at('2020-05-01') }),
      makePatchSet(2, { uploader: carl, created: at('2020-07-01') }),
    ],
    votes: [
      makeVote({ patchSet: 1, voter: ann, value: 1, grantedAt: at('2020-05-15') }),
      makeVote({ patchSet: 1, voter: bob, value: -1, grantedAt: at('2020-05-16') }),
      makeVote({ patchSet: 1, voter: zuul, label: 'Verified', value: 1, grantedAt: at('2020-05-15') }),
      makeVote({ patchSet: 2, voter: ann, value: 2, grantedAt: at('2020-07-15') }),
    ],
    messages: [makeMessage(0, { author: carl, text: 'Uploaded patch set 1.', kind: 'upload', date: at('2020-05-01') })],
  });
}

const DEFAULT_DATA = {
  users: [
    {
      launchpad_id: 'annlee',
      gerrit_id: 'ann',
      user_name: 'Ann Lee',
      emails: ['ann@corp.example'],
      companies: [
        { company_name: 'Corp', end_date: '2020-Jun-01' },
        { company_name: 'NewCo', end_date: null },
      ],
    },
  ],
  companies: [
    { company_name: 'Corp', domains: ['corp.example'], aliases: [] },
    { company_name: 'NewCo', domains: ['newco.example'], aliases: [] },
  ],
};

describe('people: reviews per company, the people report and its access rule', () => {
  let work: string;
  let repo: string;
  const git = (date: string, name: string, email: string) =>
    execFileSync('git', ['-C', repo, 'commit', '-q', '--allow-empty', '-m', `work ${date}`], {
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: name,
        GIT_AUTHOR_EMAIL: email,
        GIT_AUTHOR_DATE: `${date}T12:00:00Z`,
        GIT_COMMITTER_NAME: 'Gerrit Code Review',
        GIT_COMMITTER_EMAIL: 'review@example.org',
        GIT_COMMITTER_DATE: `${date}T12:00:00Z`,
      },
    });
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'steward-people-web-'));
    repo = join(work, 'proj');
    execFileSync('git', ['init', '-q', '-b', 'master', repo]);
    git('2020-04-10', 'Ann Lee', 'ann@corp.example');
    git('2020-05-05', 'Bob', 'bob@corp.example');
    git('2020-07-10', 'Ann Lee', 'ann@corp.example');
    writeFileSync(
      join(work, 'steward.yaml'),
      [
        'releases:',
        '  - { name: c1, start: 2020-04-01, featureFreeze: 2020-08-01, release: 2020-09-01 }',
        `hosts: [{ name: ${HOST}, url: "https://${HOST}" }]`,
        'projects:',
        '  - { name: demo/compute }',
        'bots: [zuul]',
        '',
      ].join('\n'),
    );
    writeFileSync(join(work, 'default_data.json'), JSON.stringify(DEFAULT_DATA));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  async function planted(location: string) {
    const steward = (...args: string[]) => runSteward(['--db', location, ...args], { cwd: work, now: NOW });
    assert.equal((await steward('git', 'sync', '--repo', repo, '--branch', 'master')).code, 0);
    const st = await openStore(location);
    try {
      await st.db
        .transaction()
        .execute(async (trx) => writeChanges(trx, new AccountResolver(trx, HOST, st.bulk), [plantedChange()], 'ssh', st.bulk));
    } finally {
      await st.close();
    }
    const imp = await steward('people', 'import', 'default_data.json');
    assert.equal(imp.code, 0, imp.stderr);
    return steward;
  }

  for (const engine of ENGINES) {
    it(`reviews per company at the time; people list and API by role (${engine.name})`, { skip: engine.skip }, async () => {
      const { location, cleanup } = await migratedStore(engine.name);
      try {
        const steward = await planted(location);
        const per = await steward('people', 'companies', '--release', 'c1', '--format', 'json');
        assert.equal(per.code, 0, per.stderr);
        const rows = (JSON.parse(per.stdout) as Json).rows as Json[];
        const row = (c: string | null) => rows.find((r) => r.company === c)!;
        // Corp: Ann's May review (recorded) and Bob's (guessed); NewCo: Ann's July review; the bot's Verified vote nowhere.
        assert.deepEqual([row('Corp').reviews, row('Corp').commits, row('Corp').guessed, row('Corp').people], [2, 2, 2, 2]);
        assert.deepEqual([row('NewCo').reviews, row('NewCo').commits, row('NewCo').guessed, row('NewCo').people], [1, 1, 0, 1]);
        const reviewers = JSON.parse(
          (await steward('reviewers', '--since', '2020-04-01', '--until', '2020-09-01', '--format', 'json')).stdout,
        ) as Json;
        const total = (reviewers.rows as Json[]).reduce((s, r) => s + Number(r.reviews), 0);
        assert.equal(
          rows.reduce((s, r) => s + Number(r.reviews), 0),
          total,
        );
        const csv = await steward('people', 'companies', '--release', 'c1', '--format', 'csv');
        assert.equal(csv.stdout.split('\n')[0], 'company,commits,changes,reviews,people,guessed');

        // The people report on the command line: Ann with her account, address, Launchpad id, two affiliations.
        const list = await steward('people', 'list', '--release', 'c1', '--format', 'json');
        assert.equal(list.code, 0, list.stderr);
        const lv = JSON.parse(list.stdout) as Json;
        assert.deepEqual(lv.period, { since: '2020-04-01T00:00:00.000Z', until: '2020-09-01T00:00:00.000Z' });
        assert.equal(lv.emailsShown, true);
        const annRow = (lv.people as Json[]).find((p) => p.name === 'Ann Lee')!;
        assert.deepEqual(annRow.identities.gerrit, [{ host: HOST, id: 101, username: 'ann' }]);
        assert.deepEqual(annRow.identities.emails, ['ann@corp.example']);
        assert.deepEqual(annRow.identities.launchpad, ['annlee']);
        assert.deepEqual(
          (annRow.affiliations as Json[]).map((a) => [a.company, a.start?.slice(0, 10) ?? null, a.end?.slice(0, 10) ?? null]),
          [
            ['Corp', null, '2020-06-01'],
            ['NewCo', '2020-06-01', null],
          ],
        );
        assert.deepEqual(annRow.companyNow, { company: 'NewCo', basis: 'recorded' });
        assert.deepEqual(annRow.activity, { commits: 2, changes: 0, reviews: 2 });
        // By default the activity is the 90 days before --now (as steward reviewers), said in the JSON and the text.
        const recent = JSON.parse((await steward('people', 'list', '--format', 'json')).stdout) as Json;
        assert.deepEqual(recent.period, { since: '2020-10-03T00:00:00.000Z', until: '2021-01-01T00:00:00.000Z', days: 90 });
        assert.deepEqual((recent.people as Json[]).find((p) => p.name === 'Ann Lee')!.activity, { commits: 0, changes: 0, reviews: 0 });
        assert.match((await steward('people', 'list')).stdout, /activity in the 90 days to 2021-01-01/);
        const since = JSON.parse(
          (await steward('people', 'list', '--since', '2020-07-01', '--until', '2020-08-01', '--format', 'json')).stdout,
        ) as Json;
        assert.deepEqual((since.people as Json[]).find((p) => p.name === 'Ann Lee')!.activity, { commits: 1, changes: 0, reviews: 1 });
        const both = await steward('people', 'list', '--release', 'c1', '--days', '30');
        assert.equal(both.code, 2, 'a release and a window together are refused');
        assert.match(both.stderr, /either --release or a window/);
        assert.ok(!(lv.people as Json[]).some((p) => p.bot), 'bots are left out unless asked for');
        const withBots = JSON.parse((await steward('people', 'list', '--bots', '--format', 'json')).stdout) as Json;
        assert.equal((withBots.people as Json[]).find((p) => p.identities.gerrit.some((g: Json) => g.username === 'zuul'))?.bot, true);

        // The web: a lead gets what the command line prints; a viewer gets names and counts, no address.
        const st = await openStore(location);
        try {
          await addUser(st, 'lea', 'lead', 'a long lead password 1', NOW);
          await addUser(st, 'vic', 'viewer', 'a long viewer password 1', NOW);
          const config = async () => resolveEffectiveConfig(loadConfig(undefined, work), st);
          const app = await buildApp({
            store: st,
            config,
            clock: () => NOW,
            cwd: work,
            auth: accessHooks({ enabled: true, store: st, clock: () => NOW, config, hashParams: TEST_HASH, loginAttemptsPerMinute: 1000 }),
          });
          try {
            const jars = { lea: new Jar(), vic: new Jar() };
            assert.equal((await signIn(app, jars.lea, 'lea', 'a long lead password 1')).statusCode, 303);
            assert.equal((await signIn(app, jars.vic, 'vic', 'a long viewer password 1')).statusCode, 303);
            const get = (who: 'lea' | 'vic', url: string) => app.inject({ method: 'GET', url, headers: jars[who].header() });
            const lead = await get('lea', '/api/v1/people?release=c1');
            assert.equal(lead.statusCode, 200, lead.body);
            const { now: _a, ...leadView } = JSON.parse(lead.body) as Json;
            const { now: _b, ...cliView } = lv;
            assert.deepEqual(leadView, cliView);
            const viewer = await get('vic', '/api/v1/people?release=c1');
            assert.equal(viewer.statusCode, 200, viewer.body);
            assert.doesNotMatch(viewer.body, /@corp\.example|@example\.org/);
            const vv = JSON.parse(viewer.body) as Json;
            assert.equal(vv.emailsShown, false);
            const vAnn = (vv.people as Json[]).find((p) => p.name === 'Ann Lee')!;
            assert.deepEqual([vAnn.identities.emails, vAnn.identities.emailCount, vAnn.preferredEmail], [null, 1, null]);
            assert.deepEqual(vAnn.activity, annRow.activity);
            // Search: a viewer's does not look at addresses; a lead's does.
            assert.equal((JSON.parse((await get('vic', '/api/v1/people?search=ann%40corp')).body) as Json).total, 0);
            assert.equal((JSON.parse((await get('lea', '/api/v1/people?search=ann%40corp')).body) as Json).total, 1);
            assert.equal((JSON.parse((await get('vic', '/api/v1/people?search=annlee')).body) as Json).total, 1);
            const page = await get('vic', '/people');
            assert.equal(page.statusCode, 200);
            assert.doesNotMatch(page.body, /ann@corp\.example/);
            assert.match((await get('lea', '/people')).body, /ann@corp\.example/);
          } finally {
            await app.close();
          }
        } finally {
          await st.close();
        }
      } finally {
        await cleanup();
      }
    });
  }

  it('the page in Chromium shows the JSON numbers (SQLite)', { skip: BROWSER_SKIP_REASON }, async () => {
    const { location, cleanup } = await migratedStore('sqlite');
    try {
      await planted(location);
      const server = await listeningApp(location, work, { clock: () => NOW });
      const browser = await launchBrowser();
      try {
        const json = (await (await fetch(`${server.url}/api/v1/people?release=c1`)).json()) as Json;
        const { page, errors } = await browser.newPage();
        await page.goto(`${server.url}/people?release=c1`);
        const shown: Array<{ name: string; counts: number[] }> = await page.$$eval(
          '#people tbody tr',
          (trs: Array<{ cells: ArrayLike<{ textContent: string | null }> }>) =>
            trs.map((tr) => ({
              name: (Array.from(tr.cells)[0]!.textContent ?? '').trim(),
              counts: Array.from(tr.cells)
                .slice(-3)
                .map((c) => Number((c.textContent ?? '').replace(/[,\s]/g, ''))),
            })),
        );
        assert.deepEqual(
          shown.sort((a, b) => a.name.localeCompare(b.name)),
          (json.people as Json[])
            .map((p) => ({ name: p.name as string, counts: [p.activity.commits, p.activity.changes, p.activity.reviews] }))
            .sort((a, b) => a.name.localeCompare(b.name)),
        );
        assert.deepEqual(errors, []);
      } finally {
        await browser.close();
        await server.close();
      }
    } finally {
      await cleanup();
    }
  });
});
