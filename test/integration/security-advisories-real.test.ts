/**
 * The real advisory repository (../shared/data/ossa.bundle) and nova's history
 * (../shared/data/nova-history-meta.bundle), beside the repository; skipped, saying so, when absent.
 * Every advisory imports and round-trips; for nova, the report's figures (advisories and CVEs per
 * year, how many link to fix commits, fix-to-advisory times) are recomputed here independently:
 * the YAML read with the yaml library alone, the fixes found by a plain scan of `git log`'s
 * messages, and the landing of each commit by walking the first-parent line. docs/security-
 * advisories.md quotes these figures. Import and linking must take under 10 s.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { advisoryToYaml, parseAdvisory } from '../../src/sources/advisories/advisory-yaml.js';
import { runSteward } from '../helpers/cli.js';
import { novaHistoryStore } from '../helpers/nova-store.js';
import { ENGINES } from '../helpers/stores.js';
import { cloneBundle } from '../helpers/bundle-clone.js';

// STEWARD_SHARED_DATA points elsewhere (a git worktree sits away from ../shared).
const DATA = process.env.STEWARD_SHARED_DATA ?? fileURLToPath(new URL('../../../shared/data/', import.meta.url));
const OSSA = join(DATA, 'ossa.bundle');
const NOVA = join(DATA, 'nova-history-meta.bundle');
const SKIP =
  existsSync(OSSA) && existsSync(NOVA)
    ? false
    : `real advisories test skipped: ${OSSA} or ${NOVA} is absent (the shared data folder ../shared/data beside the repository holds them)`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON and YAML
type Json = Record<string, any>;
const DAY = 86_400_000;

/** A line that says the commit fixes bugs, written independently of sources/links/links.ts: the key, then "bug". */
const FIX_LINE = /^(?:[*-]\s+)?(?:closes|partial(?:ly)?(?:[-_ ]fix(?:es)?)?|fix(?:es|ed)?|resolves)(?:[-_ ]|:?\s+)(?:lp\s+)?bug\b/i;

interface Expected {
  perYear: Record<string, { advisories: number; cves: number; linked: number }>;
  linked: number;
  advisories: number;
  days: Record<string, number>;
}

/** The nova figures from the YAML files and the git history, without Steward's code. */
function recompute(ossaDir: string, repo: string): Expected {
  const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  // Fix commits per bug, from every message on master.
  const fixes = new Map<string, string[]>();
  for (const rec of git('log', 'master', '--format=%H%x1f%B%x1e').split('\x1e')) {
    const [sha, body] = rec.trim().split('\x1f');
    if (!sha || !body) continue;
    for (const line of body.split('\n')) {
      // The line itself, and each sentence inside it (split after ". ", "; ", ": ", ") ") with its
      // subject and adverbs peeled off ("It also fixes bug N", "…manifests. Fixes bug N"): a claim
      // starts with the fix verb once they are gone.
      const t = line.trim();
      const claims = [t];
      for (const sentence of t
        .split(/(?<=[.;:)])\s+/)
        .slice(1)
        .concat(t)) {
        let s = sentence;
        for (const lead of [
          /^(?:this|it|and)\s+/i,
          /^(?:patch|change|commit)\s+/i,
          /^(?:also|only|incidentally|additionally|partially)\s+/i,
        ])
          for (let k = 0; k < 2; k++) s = s.replace(lead, '');
        if (s !== t && /^(?:fix(?:es|ed)|resolve[sd]|close[sd])\s/i.test(s)) claims.push(s);
      }
      for (const c of claims) readBugs(c, sha);
    }
  }
  function readBugs(t: string, sha: string): void {
    const m = FIX_LINE.exec(t);
    if (!m) return;
    // The numbers right after the key, up to the first word that is not one.
    for (const tok of t
      .slice(m[0].length)
      .replace(/^[\s:]+/, '')
      .split(/[\s,;]+/)) {
      const n = /^#?(\d+)[.,;:)]*$/.exec(tok) ?? /\/\+bug\/(\d+)/.exec(tok);
      if (!n) {
        if (tok.toLowerCase() === 'and' || tok === '') continue;
        break;
      }
      const bug = n[1]!.replace(/^0+(?=\d)/, '');
      fixes.set(bug, [...(fixes.get(bug) ?? []), sha]);
    }
  }
  // Landing: walk the first-parent line oldest first; each main-line commit lands itself and every
  // commit only it brings in (reachable from its other parents, not yet landed), at its commit time.
  const parents = new Map<string, string[]>();
  const time = new Map<string, number>();
  for (const l of git('log', 'master', '--format=%H %ct %P').trim().split('\n')) {
    const [h, ct, ...ps] = l.split(' ');
    parents.set(h!, ps);
    time.set(h!, Number(ct) * 1000);
  }
  const mainline = git('rev-list', '--first-parent', 'master').trim().split('\n').reverse();
  const landed = new Map<string, number>();
  for (const m of mainline) {
    const at = time.get(m)!;
    landed.set(m, at);
    const stack = (parents.get(m) ?? []).slice(1);
    while (stack.length) {
      const c = stack.pop()!;
      if (landed.has(c)) continue;
      landed.set(c, at);
      stack.push(...(parents.get(c) ?? []));
    }
  }
  const out: Expected = { perYear: {}, linked: 0, advisories: 0, days: {} };
  const cvesByYear = new Map<string, Set<string>>();
  for (const f of readdirSync(ossaDir).filter((n) => n.endsWith('.yaml'))) {
    const y = parse(readFileSync(join(ossaDir, f), 'utf8')) as Json;
    const products = (y['affected-products'] as Json[]).flatMap((p) =>
      String(p.product)
        .split(',')
        .map((s) => s.trim().toLowerCase()),
    );
    if (!products.includes('nova')) continue;
    const date = String(y.date);
    const year = date.slice(0, 4);
    out.advisories += 1;
    const row = (out.perYear[year] ??= { advisories: 0, cves: 0, linked: 0 });
    row.advisories += 1;
    const cves = cvesByYear.get(year) ?? new Set<string>();
    for (const v of y.vulnerabilities as Json[]) for (const c of String(v['cve-id']).match(/CVE-\d{4}-\d{4,}/g) ?? []) cves.add(c);
    cvesByYear.set(year, cves);
    row.cves = cves.size;
    const bugs = (y.issues.links as string[]).flatMap((u) => {
      const m = /launchpad\.net\/(?:bugs|[\w.+-]+\/\+bug)\/(\d+)/.exec(u);
      return m ? [m[1]!.replace(/^0+(?=\d)/, '')] : [];
    });
    const landings = bugs.flatMap((b) => (fixes.get(b) ?? []).map((sha) => landed.get(sha)!));
    if (landings.length === 0) continue;
    row.linked += 1;
    out.linked += 1;
    out.days[String(y.id)] = Math.round(((Date.parse(`${date}T00:00:00Z`) - Math.min(...landings)) / DAY) * 10) / 10;
  }
  return out;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) / 2;
  return (s[Math.floor(h)]! + s[Math.ceil(h)]!) / 2;
}

describe('the real OSSA repository and nova history', { skip: SKIP }, () => {
  let tmp: string;
  let ossa: string;
  let repo: string;
  let recomputed: Expected | undefined;
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'steward-ossa-'));
    ossa = join(tmp, 'ossa');
    repo = join(tmp, 'nova.git');
    cloneBundle(OSSA, ossa);
    cloneBundle(NOVA, repo, ['--bare']);
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('reads every advisory, and each written back out reads back the same', () => {
    const files = readdirSync(join(ossa, 'ossa')).filter((n) => n.endsWith('.yaml'));
    assert.ok(files.length >= 180, `only ${files.length} advisories`);
    for (const f of files) {
      const rec = parseAdvisory(readFileSync(join(ossa, 'ossa', f), 'utf8'), f);
      assert.equal(`${rec.advisory.id}.yaml`, f);
      assert.deepEqual(parseAdvisory(advisoryToYaml(rec.advisory), `${f} (written)`).advisory, rec.advisory, f);
    }
  });

  for (const engine of ENGINES) {
    it(
      `imports completely, links nova's advisories to their fixes, as recomputed independently (${engine.name})`,
      { skip: engine.skip },
      async () => {
        // `steward git sync --repo nova.git --branch master --name nova` into a new store
        // (novaHistoryStore asserts it succeeded).
        const { location, cleanup } = await novaHistoryStore(engine.name, NOVA);
        const cli = (...args: string[]) => runSteward(['--db', location, ...args], { cwd: tmp });
        try {
          const files = readdirSync(join(ossa, 'ossa')).filter((n) => n.endsWith('.yaml')).length;
          const t0 = performance.now();
          const imported = await cli('security', 'advisories', 'import', join(ossa, 'ossa'), '--format', 'json');
          const importMs = performance.now() - t0;
          assert.equal(imported.code, 0, imported.stderr);
          const summary = JSON.parse(imported.stdout) as Json;
          assert.deepEqual([summary.files, summary.added, summary.stored], [files, files, files]);
          assert.ok(importMs < 10_000, `import and linking took ${Math.round(importMs)} ms (target: under 10 s)`);

          const r = JSON.parse((await cli('security', 'advisories', '--product', 'nova', '--format', 'json')).stdout) as Json;
          // The same for both engines (the YAML and git alone): recomputed once for the file.
          const expected = (recomputed ??= recompute(join(ossa, 'ossa'), repo));
          assert.equal(r.total.advisories, expected.advisories);
          assert.equal(r.total.linked, expected.linked);
          assert.deepEqual(
            Object.fromEntries(
              (r.byYear as Json[]).map((g) => [String(g.year), { advisories: g.advisories, cves: g.cves, linked: g.linked }]),
            ),
            expected.perYear,
          );
          const days = Object.fromEntries(
            (r.advisories as Json[]).filter((a) => a.fixToAdvisoryDays !== null).map((a) => [a.id, a.fixToAdvisoryDays]),
          );
          assert.deepEqual(days, expected.days);
          assert.equal(r.total.fixToAdvisoryDays.median, median(Object.values(expected.days)));
          process.stdout.write(
            `# nova: ${expected.advisories} advisories, ${expected.linked} linked, median fix-to-advisory ${r.total.fixToAdvisoryDays.median} d ` +
              `(${r.total.fixToAdvisoryDays.lower} to ${r.total.fixToAdvisoryDays.upper}); import and linking ${Math.round(importMs)} ms (${engine.name})\n`,
          );
        } finally {
          await cleanup();
        }
      },
    );
  }
});
