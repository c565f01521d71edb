/**
 * People and the electorate on planted people, built in the test (a git repository and Gerrit
 * changes), both engines:
 * - Ann writes from three addresses and owns two Gerrit accounts; four kinds of sure evidence join
 *   them (a steward.yaml mapping, a Gerrit account's registered e-mail, a .mailmap line);
 * - a bot (by name in git, by steward.yaml `bots` in Gerrit) contributes but never votes;
 * - Dana's fix comes back only as a backport (a release tag merged into master);
 * - Bob merged only before the two cycles, Eve only after the release.
 * The electorate equals the rule applied by hand to the planted contributions; `steward people`
 * merges and splits with an audit trail, and a merge across a split is refused.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AccountRef } from '../../src/model/records.js';
import { AccountResolver } from '../../src/store/account-resolver.js';
import { writeChanges } from '../../src/store/change-writer.js';
import { openStore } from '../../src/store/open-store.js';
import { makeChange } from '../helpers/builders.js';
import { runSteward } from '../helpers/cli.js';
import { ENGINES, freshLocation } from '../helpers/stores.js';
import { Jar, TEST_HASH, addUser, signIn } from '../helpers/web-auth.js';
import { loadConfig } from '../../src/config/load-config.js';
import { resolveEffectiveConfig } from '../../src/service/effective-config.js';
import { accessHooks } from '../../src/web/auth/access-hooks.js';
import { buildApp } from '../../src/web/build-app.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON output
type Json = Record<string, any>;

const HOST = 'review.example.org';
const NOW = Date.UTC(2021, 0, 1);
const at = (d: string) => Date.parse(`${d}T12:00:00Z`);

/** Every planted contribution: who (the planted person), how, when. The rule is applied to this by hand. */
const PLANTED: Array<{
  person: string;
  kind: 'commit' | 'change' | 'backport';
  email?: string;
  name?: string;
  account?: AccountRef;
  date: string;
}> = [
  { person: 'Ann', kind: 'commit', email: 'ann@corp.example', name: 'Ann Lee', date: '2020-02-01' },
  { person: 'Ann', kind: 'commit', email: 'ann@home.example', name: 'ann', date: '2020-05-01' },
  {
    person: 'Ann',
    kind: 'change',
    account: { accountId: 102, username: 'annlee', name: 'Ann Lee', email: 'ann.lee@newco.example' },
    date: '2020-08-01',
  },
  {
    person: 'Ann',
    kind: 'change',
    account: { accountId: 101, username: 'ann', name: 'Ann', email: 'ann@corp.example' },
    date: '2020-04-20',
  },
  {
    person: 'Bob',
    kind: 'change',
    account: { accountId: 201, username: 'bob', name: 'Bob', email: 'bob@example.org' },
    date: '2020-03-01',
  },
  { person: 'Carl', kind: 'commit', email: 'carl@example.org', name: 'Carl', date: '2020-07-15' },
  { person: 'bot', kind: 'commit', email: 'i18n@example.org', name: 'Proposal Bot', date: '2020-06-01' },
  {
    person: 'bot',
    kind: 'change',
    account: { accountId: 9, username: 'zuul', name: 'Zuul', email: 'zuul@example.org' },
    date: '2020-06-02',
  },
  { person: 'Dana', kind: 'backport', email: 'dana@example.org', name: 'Dana', date: '2020-05-10' },
  { person: 'Eve', kind: 'commit', email: 'eve@example.org', name: 'Eve', date: '2020-10-02' },
];
const BOTS = new Set(['bot']);
// Release c3's electorate, two cycles: from c2's start to c3's release day.
const WINDOW = [at('2020-04-01') - 12 * 3_600_000, at('2020-10-01') - 12 * 3_600_000];

const CONFIG = `
releases:
  - { name: c1, start: 2020-01-01, featureFreeze: 2020-03-01, release: 2020-04-01 }
  - { name: c2, start: 2020-04-01, featureFreeze: 2020-06-01, release: 2020-07-01 }
  - { name: c3, start: 2020-07-01, featureFreeze: 2020-09-01, release: 2020-10-01 }
bots: [zuul]
people:
  mailmap: people.mailmap
  same:
    - { name: Ann Lee, emails: [ann.lee@newco.example], gerrit: [{ host: ${HOST}, id: 101 }] }
`;

describe('people and the electorate on planted people', () => {
  let work: string;
  let repo: string;
  const git = (args: string[], date: string, name = 'Init', email = 'init@example.org') =>
    execFileSync('git', ['-C', repo, ...args], {
      encoding: 'utf8',
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
    work = mkdtempSync(join(tmpdir(), 'steward-electorate-'));
    repo = join(work, 'proj');
    execFileSync('git', ['init', '-q', '-b', 'master', repo]);
    git(['commit', '-q', '--allow-empty', '-m', 'Start'], '2019-12-01');
    for (const p of PLANTED.filter((x) => x.kind !== 'change').sort((a, b) => a.date.localeCompare(b.date))) {
      if (p.kind === 'commit') git(['commit', '-q', '--allow-empty', '-m', `Work by ${p.person}`], p.date, p.name, p.email);
      else {
        git(['checkout', '-q', '-b', 'stable/c1', 'master~1'], p.date);
        git(['commit', '-q', '--allow-empty', '-m', 'A stable fix'], p.date, p.name, p.email);
        git(['tag', 'v1'], p.date);
        git(['checkout', '-q', 'master'], p.date);
        git(['merge', '-q', '--no-ff', '-m', "Merge tag 'v1'", 'v1'], p.date);
      }
    }
    writeFileSync(join(work, 'steward.yaml'), CONFIG);
    writeFileSync(join(work, 'people.mailmap'), '# Ann\nAnn Lee <ann@corp.example> <ann@home.example>\n');
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  for (const engine of ENGINES) {
    it(`the electorate equals the rule applied by hand; merge, split and their audit (${engine.name})`, { skip: engine.skip }, async () => {
      const { location, cleanup } = await freshLocation(engine.name);
      const steward = (...args: string[]) => runSteward(['--db', location, ...args], { cwd: work, now: NOW });
      try {
        const s = await steward('git', 'sync', '--repo', repo, '--branch', 'master');
        assert.equal(s.code, 0, s.stderr);
        const store = await openStore(location);
        try {
          const records = PLANTED.filter((p) => p.kind === 'change').map((p, i) =>
            makeChange(500 + i, {
              host: HOST,
              owner: p.account!,
              status: 'MERGED',
              created: at(p.date) - 86_400_000,
              updated: at(p.date),
              submitted: at(p.date),
            }),
          );
          await store.db
            .transaction()
            .execute(async (trx) => writeChanges(trx, new AccountResolver(trx, HOST, store.bulk), records, 'ssh', store.bulk));
        } finally {
          await store.close();
        }

        // Ann is one person: three addresses and two accounts.
        const show = await steward('people', 'show', 'ann@home.example', '--format', 'json');
        assert.equal(show.code, 0, show.stderr);
        const ann = JSON.parse(show.stdout) as Json;
        assert.deepEqual(ann.identities, [
          'email:ann.lee@newco.example',
          'email:ann@corp.example',
          'email:ann@home.example',
          `gerrit:${HOST}/101`,
          `gerrit:${HOST}/102`,
        ]);
        assert.equal(ann.name, 'Ann Lee');
        assert.equal(ann.preferredEmail, 'ann.lee@newco.example');
        assert.deepEqual([...new Set((ann.links as Json[]).map((l) => l.evidence))].sort(), ['gerrit-email', 'mailmap', 'mapping']);

        // The rule by hand: people with a non-backport contribution in the window, bots out.
        const byHand = new Set(
          PLANTED.filter((p) => p.kind !== 'backport' && !BOTS.has(p.person) && at(p.date) >= WINDOW[0]! && at(p.date) < WINDOW[1]!).map(
            (p) => p.person,
          ),
        );
        const e = await steward('electorate', '--release', 'c3', '--format', 'json');
        assert.equal(e.code, 0, e.stderr);
        const v = JSON.parse(e.stdout) as Json;
        assert.equal(v.unit, 'people');
        assert.deepEqual(v.window.releases, ['c2', 'c3']);
        assert.deepEqual(
          (v.voters as Json[]).map((x) => x.name),
          [...byHand].map((p) => (p === 'Ann' ? 'Ann Lee' : p)).sort(),
        );
        const annVoter = (v.voters as Json[]).find((x) => x.name === 'Ann Lee')!;
        assert.equal(annVoter.preferredEmail, 'ann.lee@newco.example');
        assert.equal(annVoter.contributions, 3);
        assert.deepEqual(
          [annVoter.first.kind, annVoter.first.at.slice(0, 10), annVoter.last.kind, annVoter.last.at.slice(0, 10)],
          ['change', '2020-04-20', 'change', '2020-08-01'],
        );
        assert.equal(v.botContributions, 2);
        assert.deepEqual(
          (v.counts as Json[]).map((c) => c.release),
          ['c1', 'c2', 'c3'],
        );
        // The counts per release: the same rule by hand over each release's two cycles (c1: its own).
        const starts = { c1: '2020-01-01', c2: '2020-04-01', c3: '2020-07-01' };
        const releases = { c1: '2020-04-01', c2: '2020-07-01', c3: '2020-10-01' };
        const first = { c1: starts.c1, c2: starts.c1, c3: starts.c2 };
        const counted = (r: 'c1' | 'c2' | 'c3') =>
          new Set(
            PLANTED.filter(
              (p) =>
                p.kind !== 'backport' && !BOTS.has(p.person) && p.date >= first[r] && at(p.date) < Date.parse(`${releases[r]}T00:00:00Z`),
            ).map((p) => p.person),
          ).size;
        assert.deepEqual(
          (v.counts as Json[]).map((c) => c.voters),
          (['c1', 'c2', 'c3'] as const).map(counted),
        );
        const csv = await steward('electorate', '--release', 'c3', '--format', 'csv');
        assert.equal(
          csv.stdout.split('\n')[0],
          'name,preferred_email,person,contributions,first_kind,first_ref,first_at,last_kind,last_ref,last_at',
        );
        assert.match(csv.stdout, /\nAnn Lee,ann\.lee@newco\.example,/);

        // A split on purpose: account 102 is someone else. Then a merge across it is refused.
        const split = await steward('people', 'split', `${HOST}/102`, 'ann.lee@newco.example', '--note', 'shared account');
        assert.equal(split.code, 0, split.stderr);
        const after = JSON.parse((await steward('people', 'show', `${HOST}/102`, '--format', 'json')).stdout) as Json;
        assert.deepEqual(after.identities, [`gerrit:${HOST}/102`]);
        assert.equal((after.heldApart as Json[]).length, 1);
        const refused = await steward('people', 'merge', `${HOST}/102`, 'ann@home.example');
        assert.notEqual(refused.code, 0);
        assert.match(refused.stderr, /were split on purpose \(decision #1/);
        const ev = JSON.parse((await steward('electorate', '--release', 'c3', '--format', 'json')).stdout) as Json;
        assert.equal((ev.voters as Json[]).length, byHand.size + 1);
        // Undoing the split exactly: one person again.
        const undo = await steward('people', 'merge', `${HOST}/102`, 'ann.lee@newco.example');
        assert.equal(undo.code, 0, undo.stderr);
        const again = JSON.parse((await steward('people', 'show', `${HOST}/102`, '--format', 'json')).stdout) as Json;
        assert.equal(again.identities.length, 5);
        const audit = JSON.parse((await steward('audit', '--format', 'json')).stdout) as Json;
        assert.deepEqual(
          (audit.events as Json[]).map((x) => x.event).filter((x: string) => x.startsWith('people.')),
          ['people.merge', 'people.split'],
        );

        // A malformed .mailmap line: named, nothing used.
        writeFileSync(join(work, 'people.mailmap'), 'Ann Lee <ann@corp.example> <ann@home.example>\nAnn <broken\n');
        const bad = await steward('people', 'show', 'ann@home.example');
        assert.notEqual(bad.code, 0);
        assert.match(bad.stderr, /people\.mailmap:2: expected a name and one or two <address> parts/);
        writeFileSync(join(work, 'people.mailmap'), '# Ann\nAnn Lee <ann@corp.example> <ann@home.example>\n');

        // With --auth: the electorate (API and page) is for leads and admins; a viewer is refused.
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
            assert.equal((await get('vic', '/api/v1/electorate?release=c3')).statusCode, 403);
            assert.equal((await get('vic', '/electorate?release=c3')).statusCode, 403);
            const ok = await get('lea', '/api/v1/electorate?release=c3');
            assert.equal(ok.statusCode, 200, ok.body);
            const cli = await steward('electorate', '--release', 'c3', '--format', 'json');
            assert.deepEqual(JSON.parse(ok.body), JSON.parse(cli.stdout));
            const pg = await get('lea', '/electorate?release=c3');
            assert.equal(pg.statusCode, 200);
            assert.match(pg.body, /ann\.lee@newco\.example/);
            assert.equal((await get('vic', '/history')).statusCode, 200);
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
});
