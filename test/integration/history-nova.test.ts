/**
 * `steward history` on nova's real history (../shared/data/nova-history-meta.bundle, beside the
 * repository; skipped, saying so, when absent): every figure of the release windows Havana to
 * Newton equals what this test derives itself from plain `git log` output.
 *
 * The test's own derivation: the main line is the first-parent chain (true of nova since 2011; the
 * 2010 hand merge is far before Havana); each main-line commit M brings in `git rev-list M^1..M`
 * (itself alone when it is not a merge), and those commits land at M's commit time. A landing that
 * brings in a `Merge tag '…'` commit brings backports. Bots: a name with the word bot, jenkins or
 * zuul, or one of OpenStack infrastructure's addresses.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { blueprintRefs } from '../../src/sources/links/blueprint-refs.js';
import { extractLinks } from '../../src/sources/links/links.js';
import { runSteward } from '../helpers/cli.js';
import { novaHistoryStore } from '../helpers/nova-store.js';
import { ENGINES } from '../helpers/stores.js';
import { assertMatchesSchema } from '../helpers/report-schema.js';
import { cloneBundle } from '../helpers/bundle-clone.js';

// STEWARD_SHARED_DATA names the shared data folder when it is not ../shared/data beside the repository (a worktree elsewhere).
const BUNDLE = process.env.STEWARD_SHARED_DATA
  ? join(process.env.STEWARD_SHARED_DATA, 'nova-history-meta.bundle')
  : fileURLToPath(new URL('../../../shared/data/nova-history-meta.bundle', import.meta.url));
const SKIP = existsSync(BUNDLE)
  ? false
  : `nova history test skipped: ${BUNDLE} is absent (the shared data folder ../shared/data beside the repository holds it)`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON output
type Json = Record<string, any>;

const TIP = 'd007626442e8e1835f3320cd0a243c430cc0f882';
const DAY = 86_400_000;
// Release days (releases.openstack.org): each window runs from the one before (inclusive) to its own (exclusive).
const DAYS: Array<[string, string]> = [
  ['grizzly', '2013-04-04'],
  ['havana', '2013-10-17'],
  ['icehouse', '2014-04-17'],
  ['juno', '2014-10-16'],
  ['kilo', '2015-04-30'],
  ['liberty', '2015-10-15'],
  ['mitaka', '2016-04-07'],
  ['newton', '2016-10-06'],
];
const at = (d: string) => Date.parse(`${d}T00:00:00Z`);
const isBot = (name: string, email: string) =>
  /\b(?:bot|jenkins|zuul)\b/i.test(name) ||
  ['openstack-infra@lists.openstack.org', 'jenkins@openstack.org', 'infra-root@openstack.org'].includes(email.toLowerCase());

interface C {
  sha: string;
  parents: string[];
  name: string;
  email: string;
  authored: number;
  committed: number;
  subject: string;
  message: string;
  landedAt?: number;
  landedBy?: string;
}

describe("steward history on nova's history", { skip: SKIP }, () => {
  let repo: string;
  let tmp: string;
  const expected = new Map<string, Json>();

  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'steward-history-'));
    repo = join(tmp, 'nova.git');
    cloneBundle(BUNDLE, repo, ['--bare']);
    const out = execFileSync('git', ['-C', repo, 'log', '--format=%x1e%H%x00%P%x00%an%x00%ae%x00%at%x00%ct%x00%s%x00%B', TIP], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    });
    const by = new Map<string, C>();
    for (const rec of out.split('\u001e')) {
      if (!rec.trim()) continue;
      const [sha, parents, name, email, a, c, subject, message] = rec.replace(/^\n/, '').split('\u0000');
      by.set(sha!, {
        sha: sha!,
        parents: parents!.split(' ').filter(Boolean),
        name: name!,
        email: email!,
        authored: Number(a) * 1000,
        committed: Number(c) * 1000,
        subject: subject!,
        message: message!,
      });
    }
    // The first-parent partition: oldest main-line commit first, each brings in what is not in yet.
    const chain: string[] = [];
    for (let x: string | undefined = TIP; x; x = by.get(x)!.parents[0]) chain.push(x);
    for (let i = chain.length - 1; i >= 0; i--) {
      const m = by.get(chain[i]!)!;
      const stack = [m.sha];
      while (stack.length) {
        const y = by.get(stack.pop()!)!;
        if (y.landedBy) continue;
        y.landedBy = m.sha;
        y.landedAt = m.committed;
        stack.push(...y.parents.filter((p) => !by.get(p)!.landedBy));
      }
    }
    const all = [...by.values()];
    const tagLandings = new Set(all.filter((c) => c.subject.startsWith('Merge tag ')).map((c) => c.landedBy!));
    const work = all.filter((c) => c.parents.length < 2);
    const key = (c: C) => c.email.toLowerCase();
    const firstOf = new Map<string, number>();
    for (const c of [...work].sort((a, b) => a.landedAt! - b.landedAt!))
      if (!tagLandings.has(c.landedBy!) && !isBot(c.name, c.email) && !firstOf.has(key(c))) firstOf.set(key(c), c.landedAt!);
    // Whether a commit's message names a bug, a blueprint: each message read once (a window's
    // counts ask both twice).
    const once = (f: (c: C) => boolean) => {
      const seen = new Map<string, boolean>();
      return (c: C): boolean => {
        let v = seen.get(c.sha);
        if (v === undefined) seen.set(c.sha, (v = f(c)));
        return v;
      };
    };
    const bug = once((c) => extractLinks(c.message, null).some((l) => l.kind.endsWith('-bug')));
    const bp = once((c) => blueprintRefs(c.message, null).length > 0);
    let prev: Set<string> | null = null;
    for (let i = 1; i < DAYS.length; i++) {
      const [name, end] = DAYS[i]!;
      const start = at(DAYS[i - 1]![1]);
      const inWin = work.filter((c) => c.landedAt! >= start && c.landedAt! < at(end));
      const merged = inWin.filter((c) => !tagLandings.has(c.landedBy!));
      const authors = new Set(merged.filter((c) => !isBot(c.name, c.email)).map(key));
      const days = merged
        .filter((c) => !isBot(c.name, c.email))
        .map((c) => Math.max(0, c.landedAt! - c.authored) / DAY)
        .sort((a, b) => a - b);
      const h = days.length / 2;
      expected.set(name, {
        merged: merged.length,
        backports: inWin.length - merged.length,
        fastForwarded: merged.filter((c) => c.landedBy === c.sha).length,
        viaMerge: merged.filter((c) => c.landedBy !== c.sha).length,
        authors: authors.size,
        firstTimeAuthors: [...authors].filter((a) => firstOf.get(a)! >= start && firstOf.get(a)! < at(end)).length,
        retainedAuthors: prev === null ? null : [...authors].filter((a) => prev!.has(a)).length,
        namingBug: merged.filter(bug).length,
        namingBlueprint: merged.filter(bp).length,
        namingEither: merged.filter((c) => bug(c) || bp(c)).length,
        median: days.length % 2 ? days[Math.floor(h)]! : (days[h - 1]! + days[h]!) / 2,
      });
      prev = authors;
    }
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  for (const engine of ENGINES) {
    it(`per release window Havana to Newton, equal to plain git's counts (${engine.name})`, { skip: engine.skip }, async () => {
      // `steward git sync --repo nova.git --branch master` into a new store (novaHistoryStore asserts it succeeded).
      const { location, cleanup } = await novaHistoryStore(engine.name, BUNDLE);
      const steward = async (...args: string[]) => {
        const r = await runSteward(['--db', location, ...args], { cwd: tmp });
        return r;
      };
      try {
        const r = await steward('history', '--format', 'json');
        assert.equal(r.code, 0, r.stderr);
        const v = JSON.parse(r.stdout) as Json;
        assertMatchesSchema('history', v);
        assert.equal(v.counts, 'addresses');
        for (const [name] of DAYS.slice(1)) {
          const w = (v.releases as Json[]).find((x) => x.release === name)!;
          const e = expected.get(name)!;
          // Grizzly is not in the shipped calendar: Havana has no previous window there.
          const got = {
            merged: w.merged,
            backports: w.backports,
            fastForwarded: w.fastForwarded,
            viaMerge: w.viaMerge,
            authors: w.authors,
            firstTimeAuthors: w.firstTimeAuthors,
            retainedAuthors: w.retainedAuthors,
            namingBug: w.namingBug,
            namingBlueprint: w.namingBlueprint,
            namingEither: w.namingEither,
            median: w.landingTime.median.days,
          };
          assert.deepEqual({ ...got, median: null }, { ...e, median: null }, name);
          assert.ok(Math.abs(got.median - e.median) <= 0.0051, `${name}: median ${got.median} against ${e.median}`);
          assert.ok(w.landingTime.median.lower <= got.median && got.median <= w.landingTime.median.upper, `${name}: interval`);
        }
        // Backports exist in the era (the 2014.2, 2015.1.0, 12.0.0 and 13.0.0 tags came back to master).
        assert.ok(['kilo', 'liberty', 'mitaka', 'newton'].every((n) => expected.get(n)!.backports > 0));

        // One release: it and its neighbours, and its weeks add up to it.
        const one = JSON.parse((await steward('history', '--release', 'Liberty', '--format', 'json')).stdout) as Json;
        assert.deepEqual(
          (one.releases as Json[]).map((x) => x.release),
          ['kilo', 'liberty', 'mitaka'],
        );
        const weeks = one.weeks as Json[];
        assert.equal(
          weeks.reduce((s, w) => s + w.merged, 0),
          expected.get('liberty')!.merged,
        );
        assert.equal(
          weeks.reduce((s, w) => s + w.backports, 0),
          expected.get('liberty')!.backports,
        );
        const csv = await steward('history', '--format', 'csv');
        assert.equal(csv.code, 0, csv.stderr);
        assert.match(csv.stdout.split('\n')[0]!, /^release,start,end,/);
        assert.ok(
          csv.stdout.includes(`liberty,2015-04-30T00:00:00.000Z,2015-10-15T00:00:00.000Z,false,false,${expected.get('liberty')!.merged},`),
        );
        const bad = await steward('history', '--release', 'grizzly');
        assert.notEqual(bad.code, 0);
        assert.match(bad.stderr, /--release "grizzly" is not in the release calendar/);
      } finally {
        await cleanup();
      }
    });
  }
});
