/**
 * The CLI end to end, in-process: the README's first command (overview on an empty store seeds
 * the demo), reports checked against the store by hand-written SQL, db commands, usage errors.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { runSteward } from '../helpers/cli.js';
import { defaultDemo, npmStartResult, type CachedStore } from '../helpers/demo-cache.js';

const NOW = '2026-11-01';
let dir: string;
let db: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'steward-cli-'));
  db = join(dir, 'steward.db');
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('steward overview --demo-if-empty (npm start)', () => {
  let json: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed report
  let fullJson: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed report

  let seeded: CachedStore | undefined;
  after(async () => seeded?.cleanup());

  it('seeds the demo project into an empty store and prints the overview', async () => {
    // `steward overview --demo-if-empty --now 2026-11-01` in an empty folder without steward.yaml
    // (`out`): defaultDemo runs it, once per run under run-tests.mjs (ci-cli.test.ts and
    // empty-store.test.ts read the same store), and keeps what it printed.
    seeded = await defaultDemo();
    const r = npmStartResult(seeded);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /The store is empty: generating the demo project first/);
    assert.match(r.stdout, /^Overview of demo\/compute\nPeriod 2026-08-03 to 2026-11-01 \(90 days\)/);
    assert.match(r.stdout, /core team 12: \d+ active/);
    assert.ok(existsSync(join(seeded.out, 'steward.db')), 'the default store is ./steward.db');
    assert.ok(existsSync(join(seeded.out, 'steward-demo', 'demo-rest.json')));
    assert.ok(existsSync(join(seeded.out, 'steward-demo', 'demo-ssh.json')));
    // The tests below read and change a copy in this file's own folder as ./steward.db (the run's
    // `out` is shared, read-only).
    copyFileSync(seeded.location, db);
  });

  it('does not seed again when the store has data, and JSON numbers match the store', async () => {
    const r = await runSteward(['overview', '--demo-if-empty', '--now', NOW, '--format', 'json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    json = JSON.parse(r.stdout);
    const sql = new BetterSqlite3(db, { readonly: true });
    const until = Date.parse(`${NOW}T00:00:00Z`);
    const since = until - 90 * 86_400_000;
    const one = (q: string, ...p: unknown[]) => Number(Object.values(sql.prepare(q).get(...p) as object)[0]);
    assert.equal(json.changes.opened, one('select count(*) from changes where created >= ? and created < ?', since, until));
    assert.equal(
      json.changes.merged,
      one("select count(*) from changes where status = 'MERGED' and submitted >= ? and submitted < ?", since, until),
    );
    // The CI line is the full overview's.
    const full = await runSteward(['overview', '--now', NOW, '--full', '--format', 'json'], { cwd: dir });
    assert.equal(full.code, 0, full.stderr);
    fullJson = JSON.parse(full.stdout);
    assert.equal(json.ci, null);
    assert.equal(fullJson.ci.runs, one('select count(*) from ci_builds where reported_at >= ? and reported_at < ?', since, until));
    assert.equal(
      fullJson.ci.failures,
      one(
        "select count(*) from ci_builds where reported_at >= ? and reported_at < ? and result not in ('SUCCESS', 'SKIPPED')",
        since,
        until,
      ),
    );
    sql.close();
    assert.equal(json.reviewers.core.configured, 12);
    assert.ok(json.reviewers.active >= 40, `active reviewers ${json.reviewers.active}`);
    assert.ok(json.open.count > 0 && json.open.waitingDaysSinceCreated.median > 0);
  });

  it('leaves out the CI line and health, the core-team and queue sections unless --full, and says so; the rest is the same', async () => {
    assert.equal(json.ciHealth, null);
    assert.equal(json.team, null);
    assert.equal(json.ci, null);
    assert.equal(json.queue, null);
    assert.deepEqual(
      json.skipped.map((s: { part: string }) => s.part),
      ['ciHealth', 'team', 'ci', 'queue'],
    );
    const text = await runSteward(['overview', '--now', NOW], { cwd: dir });
    assert.match(
      text.stdout,
      /Left out .*all of them with --full:\n {2}CI health \(per job\): steward ci jobs, steward ci voting-readiness\n {2}core team: steward reviewers.*\n {2}CI line \(runs and failures\): steward ci jobs\n {2}review queue: steward queue\n/,
    );
    assert.doesNotMatch(text.stdout, /CI \(job results reported in the period\)/);
    const f = fullJson;
    assert.ok(f.ciHealth.jobs.length > 0 && f.team.reviewers.reviews > 0 && f.ci.runs > 0 && f.queue.open > 0);
    assert.deepEqual(f.skipped, []);
    // The open changes are the queue's, work in progress included, with or without --full.
    assert.equal(json.open.count, f.queue.open);
    assert.equal(json.open.workInProgress, f.queue.wip);
    const rest = (o: Record<string, unknown>) => ({
      ...o,
      ciHealth: undefined,
      team: undefined,
      ci: undefined,
      queue: undefined,
      skipped: undefined,
    });
    assert.deepEqual(rest(f), rest(json), 'every other number is the same with and without --full');
    const fullText = await runSteward(['overview', '--now', NOW, '--full'], { cwd: dir });
    assert.doesNotMatch(fullText.stdout, /Left out/);
    assert.match(fullText.stdout, /Core team \(steward reviewers, steward core …\)/);
  });

  it('CSV flattens the same numbers', async () => {
    const r = await runSteward(['overview', '--now', NOW, '--format', 'csv'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines[0], 'metric,value');
    assert.ok(lines.includes(`changes.opened,${json.changes.opened}`));
    assert.ok(lines.includes(`open.workInProgress,${json.open.workInProgress}`));
  });

  it('replays the past with --now and a window with --since/--until', async () => {
    const r = await runSteward(['overview', '--now', '2026-06-01', '--since', '2026-05-01', '--until', '2026-06-01', '--format', 'json'], {
      cwd: dir,
    });
    assert.equal(r.code, 0, r.stderr);
    const o = JSON.parse(r.stdout);
    assert.equal(o.period.since, '2026-05-01T00:00:00.000Z');
    assert.equal(o.now, '2026-06-01T00:00:00.000Z');
    assert.notEqual(o.open.count, json.open.count);
  });

  it('db info shows the engine, schema version and row counts', async () => {
    const r = await runSteward(['db', 'info', '--format', 'json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const info = JSON.parse(r.stdout);
    assert.equal(info.engine, 'sqlite');
    assert.equal(info.schemaVersion, info.latestSchemaVersion);
    assert.equal(info.rowCounts.changes, 5000);
    const text = await runSteward(['db', 'info'], { cwd: dir });
    assert.match(text.stdout, /Engine: +sqlite\n/);
    const migrate = await runSteward(['db', 'migrate'], { cwd: dir });
    assert.match(migrate.stdout, /Already up to date at schema version \d+/);
  });

  it('a steward.yaml in the working folder takes precedence over the demo configuration', async () => {
    const cfg = join(dir, 'steward.yaml');
    writeFileSync(cfg, 'projects:\n  - name: demo/compute\n    core:\n      members: [nobody-at-all]\n');
    try {
      const r = await runSteward(['overview', '--now', NOW, '--format', 'json'], { cwd: dir });
      assert.equal(JSON.parse(r.stdout).reviewers.core.configured, 0);
      assert.match(JSON.parse(r.stdout).sources.config, /steward\.yaml$/);
    } finally {
      rmSync(cfg);
    }
  });
});

describe('usage and configuration errors', () => {
  const cases: Array<[string[], number, RegExp]> = [
    [['overview', '--format', 'xml'], 2, /--format must be text, json or csv, not "xml"/],
    [['overview', '--since', '2026-05-01', '--until', '2026-04-01'], 2, /window is empty or inverted/],
    [['overview', '--days', '0'], 2, /--days must be a whole number from 1/],
    [['overview', '--now', 'yesterday'], 2, /--now must be a date like 2015-04-10/],
    [['overview', '--since', '2026-02-30'], 2, /--since must be a date that exists, not "2026-02-30": February 2026 has 28 days/],
    [['overview', '--project', 'no/such'], 10, /no changes of project "no\/such" in the store/],
    [['frobnicate'], 2, /unknown command 'frobnicate'/],
    [['import'], 2, /missing required argument 'files'/],
  ];
  for (const [args, code, pattern] of cases) {
    it(`steward ${args.join(' ')} → exit ${code}`, async () => {
      const r = await runSteward(args, { cwd: dir });
      assert.equal(r.code, code, r.stderr);
      assert.match(r.stderr, pattern);
    });
  }

  it('a bad steward.yaml names file, line and key', async () => {
    const cfg = join(dir, 'bad.yaml');
    writeFileSync(cfg, 'hosts:\n  - name: x\n    url: nope\n');
    const r = await runSteward(['overview', '--config', cfg], { cwd: dir });
    assert.equal(r.code, 3);
    assert.match(r.stderr, /bad\.yaml:3: `hosts\[0\]\.url` expected a URL/);
    assert.match(readFileSync(cfg, 'utf8'), /nope/, 'the file is not touched');
  });

  it('a steward.yaml alias bomb or absurd nesting is a configuration error naming the file, not a crash', async () => {
    const levels = 'abcdefghi'.split('');
    const bomb = join(dir, 'bomb.yaml');
    writeFileSync(
      bomb,
      [
        'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
        ...levels.slice(1).map((c, i) => `${c}: &${c} [${Array(9).fill(`*${levels[i]}`).join(', ')}]`),
        'bots: *i',
      ].join('\n'),
    );
    const deep = join(dir, 'deep.yaml');
    writeFileSync(deep, `hosts: ${'['.repeat(3000)}${']'.repeat(3000)}\n`);
    for (const [cfg, pattern] of [
      [bomb, /bomb\.yaml: aliases expand too many times/],
      [deep, /deep\.yaml:1: collections nest more than 64 levels deep/],
    ] as const) {
      const r = await runSteward(['overview', '--config', cfg], { cwd: dir });
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stderr, pattern);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    }
  });

  it('a missing --config file is an error, not the defaults', async () => {
    const r = await runSteward(['overview', '--config', join(dir, 'nope.yaml')], { cwd: dir });
    assert.equal(r.code, 3);
    assert.match(r.stderr, /nope\.yaml: cannot read the configuration file: no such file/);
  });

  it('an unreachable PostgreSQL store is a clear error without the password', async () => {
    const r = await runSteward(['db', 'info', '--db', 'postgres://u:s3cret-pw@127.0.0.1:1/x'], { cwd: dir });
    assert.equal(r.code, 7);
    assert.match(r.stderr, /cannot open the PostgreSQL store/);
    assert.doesNotMatch(r.stderr, /s3cret-pw/);
  });
});

describe('the steward process', () => {
  const bin = fileURLToPath(new URL('../../bin/steward.js', import.meta.url));

  it('--version prints the version of package.json and exits 0', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const r = await runSteward(['--version'], { cwd: tmpdir() });
    assert.equal(r.code, 0);
    assert.equal(r.stdout.trim(), pkg.version);
  });

  it('stops quietly, exit 0 and no stack, when the reader closes the pipe early (steward … | head)', async () => {
    // The reader's end is closed before the process writes anything, so its first write gets EPIPE.
    const child = spawn(process.execPath, [bin, '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((res) => child.on('close', (c) => res(c)));
    assert.equal(stderr, '', 'nothing on stderr');
    assert.equal(code, 0);
  });
});
