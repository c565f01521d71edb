/**
 * Affiliations: a default_data.json (OpenStack contributor statistics' format) and a plain CSV
 * imported, round-tripped through the store, joined to the people, and commits per company with a
 * company change mid-cycle; bad files refused whole, naming the record. Both engines.
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
import { loadAffiliations, loadCompanies, loadPeopleLinks } from '../../src/store/queries/people.js';
import { runSteward } from '../helpers/cli.js';
import { ENGINES, freshLocation } from '../helpers/stores.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON output
type Json = Record<string, any>;

const DEFAULT_DATA = {
  users: [
    {
      launchpad_id: 'annlee',
      gerrit_id: 'ann',
      user_name: 'Ann Lee',
      emails: ['ann@corp.example', 'ann.lee@newco.example'],
      companies: [
        { company_name: 'Corp', end_date: '2020-Jun-01' },
        { company_name: 'NewCo', end_date: null },
      ],
    },
    {
      launchpad_id: 'carl',
      user_name: 'Carl',
      emails: ['carl@example.org'],
      companies: [{ company_name: '*independent', end_date: null }],
    },
  ],
  companies: [
    { company_name: 'Corp', domains: ['corp.example'], aliases: ['Corp Inc'] },
    { company_name: 'NewCo', domains: ['newco.example'], aliases: [] },
    { company_name: 'Guessed Ltd', domains: ['guessed.example'], aliases: [] },
  ],
};

describe('affiliations: import, round trip, per company, bad input', () => {
  let work: string;
  let repo: string;
  const git = (args: string[], date: string, email: string) =>
    execFileSync('git', ['-C', repo, ...args], {
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: email.split('@')[0],
        GIT_AUTHOR_EMAIL: email,
        GIT_AUTHOR_DATE: `${date}T12:00:00Z`,
        GIT_COMMITTER_NAME: 'Gerrit Code Review',
        GIT_COMMITTER_EMAIL: 'review@example.org',
        GIT_COMMITTER_DATE: `${date}T12:00:00Z`,
      },
    });
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'steward-affiliations-'));
    repo = join(work, 'proj');
    execFileSync('git', ['init', '-q', '-b', 'master', repo]);
    // Ann at Corp until June, then at NewCo (still writing from her Corp address: the record decides).
    for (const [date, email] of [
      ['2020-04-10', 'ann@corp.example'],
      ['2020-05-10', 'ann@corp.example'],
      ['2020-06-10', 'ann@corp.example'],
      ['2020-07-10', 'ann.lee@newco.example'],
      ['2020-05-20', 'carl@example.org'],
      ['2020-05-21', 'dan@guessed.example'],
      ['2020-05-22', 'eve@nowhere.example'],
    ] as const)
      git(['commit', '-q', '--allow-empty', '-m', `work ${date}`], date, email);
    writeFileSync(
      join(work, 'steward.yaml'),
      [
        'releases:',
        '  - { name: c1, start: 2020-04-01, featureFreeze: 2020-08-01, release: 2020-09-01 }',
        'hosts: [{ name: review.example.org, url: "https://review.example.org" }]',
        'projects:',
        '  - { name: demo/compute, core: { members: [ann, annlee, bob, dave] } }',
        'coreRules: { maxPerCompany: 1 }',
        '',
      ].join('\n'),
    );
    writeFileSync(join(work, 'default_data.json'), JSON.stringify(DEFAULT_DATA));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  for (const engine of ENGINES) {
    it(`imports, round-trips, counts per company, refuses bad files whole (${engine.name})`, { skip: engine.skip }, async () => {
      const { location, cleanup } = await freshLocation(engine.name);
      const steward = (...args: string[]) => runSteward(['--db', location, ...args], { cwd: work, now: Date.UTC(2021, 0, 1) });
      try {
        assert.equal((await steward('git', 'sync', '--repo', repo, '--branch', 'master')).code, 0);
        // Gerrit accounts (open changes only: nothing merged), four of them cores; Ann has two.
        const st = await openStore(location);
        try {
          const owners: AccountRef[] = [
            { accountId: 101, username: 'ann', name: 'Ann', email: 'ann@corp.example' },
            { accountId: 102, username: 'annlee', name: 'Ann Lee', email: 'ann.lee@newco.example' },
            { accountId: 201, username: 'bob', name: 'Bob', email: 'bob@corp.example' },
            { accountId: 202, username: 'dave', name: 'Dave', email: 'dave@corp.example' },
          ];
          const records = owners.map((owner, i) => makeChange(700 + i, { owner }));
          await st.db
            .transaction()
            .execute(async (trx) => writeChanges(trx, new AccountResolver(trx, records[0]!.host, st.bulk), records, 'ssh', st.bulk));
        } finally {
          await st.close();
        }
        const imp = await steward('people', 'import', 'default_data.json', '--format', 'json');
        assert.equal(imp.code, 0, imp.stderr);
        assert.deepEqual(JSON.parse(imp.stdout), {
          file: join(work, 'default_data.json'),
          format: 'default-data',
          users: 2,
          links: 4,
          affiliations: 3,
          companies: 3,
        });
        // Round trip: what the store holds is the file's content.
        const s = await openStore(location);
        try {
          const affs = await loadAffiliations(s.db);
          assert.deepEqual(
            affs.map((a) => [a.identity, a.company, a.startAt, a.endAt]),
            [
              ['email:ann@corp.example', 'Corp', null, Date.UTC(2020, 5, 1)],
              ['email:ann@corp.example', 'NewCo', Date.UTC(2020, 5, 1), null],
              ['email:carl@example.org', '*independent', null, null],
            ],
          );
          assert.deepEqual(
            (await loadCompanies(s.db)).map((c) => [c.name, c.domains, c.aliases]),
            DEFAULT_DATA.companies
              .map((c) => [c.company_name, c.domains, c.aliases])
              .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
          );
          assert.deepEqual((await loadPeopleLinks(s.db)).map((l) => [l.a, l.b]).sort(), [
            ['email:ann@corp.example', 'email:ann.lee@newco.example'],
            ['email:ann@corp.example', 'gerrit-user:ann'],
            ['email:ann@corp.example', 'launchpad:annlee'],
            ['email:carl@example.org', 'launchpad:carl'],
          ]);
        } finally {
          await s.close();
        }
        // Importing again replaces, it does not add.
        assert.equal((await steward('people', 'import', 'default_data.json')).code, 0);
        const show = JSON.parse((await steward('people', 'show', 'ann.lee@newco.example', '--format', 'json')).stdout) as Json;
        assert.ok(show.identities.includes('launchpad:annlee') && show.identities.includes('email:ann@corp.example'));

        const per = await steward('people', 'companies', '--release', 'c1', '--format', 'json');
        assert.equal(per.code, 0, per.stderr);
        const rows = (JSON.parse(per.stdout) as Json).rows as Json[];
        const row = (c: string | null) => rows.find((r) => r.company === c);
        assert.deepEqual([row('Corp')!.commits, row('Corp')!.people, row('Corp')!.guessed], [2, 1, 0]);
        assert.deepEqual([row('NewCo')!.commits, row('NewCo')!.people], [2, 1]); // June 10 (after the change) and July 10
        assert.deepEqual([row('*independent')!.commits, row('Guessed Ltd')!.commits, row('Guessed Ltd')!.guessed], [1, 1, 1]);
        assert.equal(row(null)!.commits, 1);

        // The core team's make-up against coreRules.maxPerCompany: Ann once (two accounts), at NewCo now.
        const core = await steward('core', 'companies', '--now', '2021-01-01', '--format', 'json');
        assert.equal(core.code, 0, core.stderr);
        const cv = JSON.parse(core.stdout) as Json;
        assert.equal(cv.cores, 3);
        assert.equal(cv.limit, 1);
        assert.deepEqual(
          (cv.companies as Json[]).map((c) => [c.company, c.cores, c.overLimit, (c.members as Json[]).map((m) => m.basis)]),
          [
            ['Corp', 2, true, ['domain-guess', 'domain-guess']],
            ['NewCo', 1, false, ['recorded']],
          ],
        );

        // Bad files: refused with the record named, nothing changed.
        const bad = async (name: string, content: string, message: RegExp) => {
          writeFileSync(join(work, name), content);
          const r = await steward('people', 'import', name);
          assert.notEqual(r.code, 0, name);
          assert.match(r.stderr, message, name);
        };
        await bad('not.json', JSON.stringify({ hello: 1 }), /not a default_data\.json: expected an object with a "users" list/);
        const user = (over: Json) => JSON.stringify({ users: [{ launchpad_id: 'x', emails: ['x@example.org'], ...over }], companies: [] });
        await bad(
          'backwards.json',
          user({
            companies: [
              { company_name: 'A', end_date: '2020-Jun-01' },
              { company_name: 'B', end_date: '2019-Jan-01' },
            ],
          }),
          /users\[0\] \(x\): the affiliation with B ends \(2019-01-01\) before it starts \(2020-06-01/,
        );
        await bad(
          'claimed.json',
          JSON.stringify({
            users: [
              { launchpad_id: 'x', emails: ['same@example.org'] },
              { launchpad_id: 'y', emails: ['SAME@example.org'] },
            ],
          }),
          /users\[1\] \(y\): the e-mail same@example\.org is claimed by users\[0\] \(x\) too/,
        );
        await bad(
          'overlap.csv',
          'email,company,start,end\nz@example.org,A,2020-01-01,2020-06-01\nz@example.org,B,2020-05-01,\n',
          /overlap\.csv: line 2: the affiliations with A \(2020-01-01 to 2020-06-01\) and B \(2020-05-01 to open\) overlap/,
        );
        await bad(
          'end.csv',
          'email,company,start,end\nz@example.org,A,2020-06-01,2020-01-01\n',
          /end\.csv: line 2: the affiliation with A ends/,
        );
        const s2 = await openStore(location);
        try {
          assert.equal((await loadAffiliations(s2.db)).length, 3);
        } finally {
          await s2.close();
        }
        // A good CSV round-trips beside the JSON import.
        writeFileSync(join(work, 'aff.csv'), 'email,company,start,end\ndan@guessed.example,Dan Co,2020-01-01,\n');
        assert.equal((await steward('people', 'import', 'aff.csv')).code, 0);
        const s3 = await openStore(location);
        try {
          const affs = await loadAffiliations(s3.db);
          assert.deepEqual(
            affs.filter((a) => a.source === 'csv:aff.csv').map((a) => [a.identity, a.company, a.startAt, a.endAt]),
            [['email:dan@guessed.example', 'Dan Co', Date.UTC(2020, 0, 1), null]],
          );
        } finally {
          await s3.close();
        }
        // The same file suddenly with nobody in it (a cut-short download): SOURCE_EMPTY, the stored
        // affiliations kept; --replace replaces them with none (issue 19).
        writeFileSync(join(work, 'aff.csv'), 'email,company,start,end\n');
        const emptied = await steward('people', 'import', 'aff.csv');
        assert.equal(emptied.code, 21, emptied.stderr);
        assert.match(
          emptied.stderr,
          /aff\.csv holds no people and no companies, but an earlier import of it stored some: the stored ones were kept/,
        );
        const kept = await openStore(location);
        try {
          assert.equal((await loadAffiliations(kept.db)).filter((a) => a.source === 'csv:aff.csv').length, 1);
        } finally {
          await kept.close();
        }
        assert.equal((await steward('people', 'import', 'aff.csv', '--replace')).code, 0);
        const replaced = await openStore(location);
        try {
          assert.equal((await loadAffiliations(replaced.db)).filter((a) => a.source === 'csv:aff.csv').length, 0);
        } finally {
          await replaced.close();
        }
      } finally {
        await cleanup();
      }
    });
  }
});
