/**
 * A report on a store that exists but holds none of the data it reads says so (issue 19): which
 * store, what it lacks, the command that fills it, and STORE_EMPTY's exit code — for every report
 * family (reviews, CI, specs, bugs, code history, advisories…), on both engines. Zeros printed with
 * exit 0 would look like an answer.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ERROR_CODES } from '../../src/model/errors.js';
import { CATALOGUE } from '../../src/service/catalogue/report-catalogue.js';
import { AccountResolver } from '../../src/store/account-resolver.js';
import { writeChanges } from '../../src/store/change-writer.js';
import { openStore } from '../../src/store/open-store.js';
import { DAY, T0, makeChange } from '../helpers/builders.js';
import { runSteward } from '../helpers/cli.js';
import { DEMO_NOW, defaultDemo, npmStartResult } from '../helpers/demo-cache.js';
import { ENGINES, freshLocation } from '../helpers/stores.js';

/** Reports with a command that read no source data of their own (the configuration, Steward's own records). */
const NO_SOURCE_DATA: Record<string, string> = {
  coreHistory: 'reads the core group snapshots; without a group configured it is a configuration error',
  coreMentoring: 'reads the mentorships recorded with `steward core mentor add`; it says when there are none',
  prioritiesList: 'lists the priorities recorded in steward.yaml and the store',
};
/** Arguments a command needs besides the store. */
const ARGS: Record<string, string[]> = { priorities: ['--release', 'kilo'], electorate: ['--release', 'kilo'] };

const CONFIG = `releases:
  - name: kilo
    start: 2014-10-16
    featureFreeze: 2015-03-19
    release: 2015-04-30
projects:
  - name: demo/compute
    core: { members: [bob] }
`;

const withCommand = Object.entries(CATALOGUE).filter(([, e]) => e.cli);

describe('every report with a command says what data it reads', () => {
  it('has needs, or is a report of configuration or Steward’s own records', () => {
    for (const [name, e] of withCommand) assert.ok(e.needs?.length || NO_SOURCE_DATA[name], `${name}: no needs and no reason`);
    for (const name of Object.keys(NO_SOURCE_DATA)) assert.ok(!CATALOGUE[name as keyof typeof CATALOGUE]?.needs, name);
  });
});

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'steward-empty-store-'));
  writeFileSync(join(dir, 'steward.yaml'), CONFIG);
});
after(() => rmSync(dir, { recursive: true, force: true }));

// npm start: `overview --demo-if-empty` generates the demo into an empty store. On SQLite the store
// is the run's default demo (defaultDemo, made by that very command in an empty folder, once per run
// by the first file that asks: cli.test.ts and ci-cli.test.ts read it too), with what the command
// printed; on PostgreSQL this file runs it, with STEWARD_DEMO_CHANGES (docs/demo.md) for a demo of
// PG_DEMO_CHANGES changes rather than the default 5,000 (generating and importing those into
// PostgreSQL took this file ~10 s of CPU, and the server as much; the specs it reads are the same).
const PG_DEMO_CHANGES = 300;
for (const engine of ENGINES) {
  describe(`the demo's first run gives the specs report something to show (${engine.name})`, { skip: engine.skip }, () => {
    let location: string;
    let cleanup: () => Promise<void>;
    let cwd: string;
    let start: { code: number; stderr: string };
    before(async () => {
      // npm start: the demo generated into the empty store, in a folder without a steward.yaml.
      if (engine.name === 'sqlite') {
        const demo = await defaultDemo();
        ({ location, cleanup } = demo);
        cwd = demo.out;
        start = npmStartResult(demo);
      } else {
        ({ location, cleanup } = await freshLocation(engine.name));
        cwd = mkdtempSync(join(dir, `demo-${engine.name}-`));
        start = await runSteward(['overview', '--demo-if-empty', '--db', location], {
          cwd,
          now: DEMO_NOW,
          env: { STEWARD_DEMO_CHANGES: String(PG_DEMO_CHANGES) },
        });
      }
    });
    after(async () => cleanup());

    it('npm start (overview --demo-if-empty), then specs report: no specs sync, no --repo needed', async () => {
      assert.equal(start.code, 0, start.stderr);
      assert.match(start.stderr, /The store is empty: generating the demo project first/);
      const specs = await runSteward(['specs', 'report', '--db', location], { cwd, now: DEMO_NOW });
      assert.equal(specs.code, 0, specs.stderr);
      assert.match(specs.stdout, /^Specs: .*steward-demo\/specs/);
    });

    it('the demo has the size asked for: 5,000 changes by default, STEWARD_DEMO_CHANGES otherwise', async () => {
      const info = await runSteward(['db', 'info', '--exact', '--db', location, '--format', 'json'], { cwd, now: DEMO_NOW });
      assert.equal(info.code, 0, info.stderr);
      const { rowCounts } = JSON.parse(info.stdout) as { rowCounts: Record<string, number> };
      assert.equal(rowCounts.changes, engine.name === 'sqlite' ? 5000 : PG_DEMO_CHANGES);
    });
  });
}

describe('STEWARD_DEMO_CHANGES', () => {
  it('a value that is not a positive whole number: a usage error naming it, and no demo', async () => {
    const { location, cleanup } = await freshLocation('sqlite');
    try {
      const r = await runSteward(['overview', '--demo-if-empty', '--db', location], {
        cwd: dir,
        now: DEMO_NOW,
        env: { STEWARD_DEMO_CHANGES: 'many' },
      });
      assert.equal(r.code, ERROR_CODES.USAGE.exit, r.stderr);
      assert.match(r.stderr, /STEWARD_DEMO_CHANGES must be a whole number from 1 to 1000000, not "many"/);
      assert.equal(r.stdout, '');
    } finally {
      await cleanup();
    }
  });
});

for (const engine of ENGINES) {
  describe(`reports on an empty store (${engine.name})`, { skip: engine.skip }, () => {
    let location: string;
    let cleanup: () => Promise<void>;
    before(async () => {
      ({ location, cleanup } = await freshLocation(engine.name));
      const m = await runSteward(['db', 'migrate', '--db', location], { cwd: dir });
      assert.equal(m.code, 0, m.stderr);
    });
    after(async () => cleanup());
    const run = (args: string[]) => runSteward([...args, '--db', location], { cwd: dir, now: T0 + 30 * DAY });

    it('every report that reads source data: STORE_EMPTY naming the store, what it lacks and the command that fills it', async () => {
      const cases = [
        ...withCommand.filter(([, e]) => e.needs?.length).map(([name, e]) => [...e.cli!.command, ...(ARGS[name] ?? [])]),
        ['dashboard', '--query', 'status:open'],
      ];
      for (const args of cases) {
        const r = await run(args);
        assert.equal(r.code, ERROR_CODES.STORE_EMPTY.exit, `${args.join(' ')}: ${r.stderr}`);
        assert.equal(r.stdout, '', args.join(' '));
        assert.match(r.stderr, /the store holds no [^\n]*, which steward [a-z -]+ reads/, args.join(' '));
        assert.ok(
          r.stderr.includes(engine.name === 'sqlite' ? location : new URL(location).pathname.slice(1)),
          `${args.join(' ')} names the store`,
        );
        assert.match(r.stderr, /Fill it with `steward [a-z]/, args.join(' '));
      }
    });

    it('a store with changes but no CI runs, specs, bugs, history or advisories: the reports of those say which is missing', async () => {
      const store = await openStore(location);
      const records = [makeChange(1, { ciBuilds: [], messages: [] })];
      await store.db
        .transaction()
        .execute(async (trx) => writeChanges(trx, new AccountResolver(trx, records[0]!.host, store.bulk), records, 'ssh', store.bulk));
      await store.close();
      const expect: Array<[string[], RegExp]> = [
        [['ci', 'jobs'], /holds no CI runs[^\n]*\n.*steward ci sync/],
        [['specs', 'report'], /holds no specs[^\n]*\n.*steward specs sync --repo PATH/],
        [['bugs', 'backlog'], /holds no Launchpad bugs[^\n]*\n.*steward bugs sync/],
        [['history'], /holds no code history[^\n]*\n.*steward git sync --repo PATH/],
        [['security', 'advisories'], /holds no security advisories[^\n]*\n.*steward security advisories import/],
      ];
      for (const [args, re] of expect) {
        const r = await run(args);
        assert.equal(r.code, ERROR_CODES.STORE_EMPTY.exit, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stderr, re, args.join(' '));
      }
      const ok = await run(['reviewers', '--format', 'json']);
      assert.equal(ok.code, 0, ok.stderr);
      const people = await run(['people', 'companies', '--format', 'json']);
      assert.equal(people.code, 0, 'either changes or commits will do: ' + people.stderr);
    });
  });
}

describe('the fill hint names the command that works', () => {
  it('specs.repo in steward.yaml: `steward specs sync`, without --repo', async () => {
    const cwd = mkdtempSync(join(dir, 'hint-'));
    writeFileSync(join(cwd, 'steward.yaml'), 'specs:\n  repo: ../nova-specs\ngit:\n  repo: ../nova\n');
    const { location, cleanup } = await freshLocation('sqlite');
    try {
      assert.equal((await runSteward(['db', 'migrate', '--db', location], { cwd })).code, 0);
      const specs = await runSteward(['specs', 'report', '--db', location], { cwd });
      assert.equal(specs.code, ERROR_CODES.STORE_EMPTY.exit);
      assert.match(specs.stderr, /Fill it with `steward specs sync` \(it reads specs\.repo: \.\.\/nova-specs in .*steward\.yaml\)/);
      const history = await runSteward(['history', '--db', location], { cwd });
      assert.match(history.stderr, /Fill it with `steward git sync` \(it reads git\.repo: \.\.\/nova in/);
    } finally {
      await cleanup();
    }
  });
});
