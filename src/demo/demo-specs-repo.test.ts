import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { approvedPath, demoSpecsHistory, implementedPath, writeSpecsRepo } from './demo-specs-repo.js';
import { buildDemoWorld } from './demo-world.js';
import type { DemoWorld } from './demo-world.js';

const NOW = Date.parse('2025-06-01T00:00:00Z');
const OPTS = { now: NOW, seed: 7 };
const git = (dir: string, ...args: string[]): string => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' });

describe('demo specs repository', () => {
  let dir: string;
  let repo: string;
  let w: DemoWorld;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'steward-demo-specs-'));
    repo = join(dir, 'specs');
    w = buildDemoWorld(OPTS);
    writeSpecsRepo(OPTS, repo);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('has the OpenStack layout: approved/ and implemented/ per release, backlog, abandoned, redirects', () => {
    const files = git(repo, 'ls-files').trim().split('\n');
    const expected = new Set<string>();
    for (const s of w.specs.specs) {
      if (s.abandonedAt !== null) expected.add(`specs/abandoned/${s.blueprint}.rst`);
      else if (s.implementedAt !== null) expected.add(implementedPath(s));
      else expected.add(approvedPath(s));
    }
    const specFiles = files.filter(
      (f) => f.endsWith('.rst') && !f.endsWith('template.rst') && !f.endsWith('index.rst') && f !== 'README.rst',
    );
    assert.deepEqual(specFiles.sort(), [...expected].sort());
    for (const r of w.releases) assert.ok(files.includes(`specs/${r.name.toLowerCase()}-template.rst`));
    assert.ok(files.some((f) => f.startsWith('specs/backlog/approved/')));
    assert.ok(files.some((f) => f.startsWith('specs/abandoned/')));
    const kestrel = readFileSync(join(repo, 'specs/kestrel/redirects'), 'utf8').trim().split('\n');
    assert.equal(kestrel.length, 4);
    for (const line of kestrel) assert.match(line, /^approved\/([a-z0-9-]+)\.rst \.\.\/implemented\/\1\.rst$/);
    assert.match(
      readFileSync(join(repo, 'specs/juniper/redirects'), 'utf8'),
      /^approved\/([a-z0-9-]+)\.rst \.\.\/\.\.\/abandoned\/\1\.rst$/m,
    );
  });

  it('dates each commit as planned: a spec is added when approved and moved when it landed', () => {
    for (const s of w.specs.specs) {
      const added = git(repo, 'log', '--format=%ct %at', '--diff-filter=A', '--', approvedPath(s)).trim().split('\n');
      assert.equal(added.length, 1, approvedPath(s));
      const [committed, authored] = added[0]!.split(' ').map((x) => Number(x) * 1000);
      assert.equal(committed, Math.floor(s.approvedAt / 1000) * 1000);
      assert.ok(authored! < committed!, 'written before it merged');
      if (s.implementedAt !== null) {
        const moved = git(repo, 'log', '--format=%ct', '--diff-filter=A', '--', implementedPath(s)).trim();
        assert.equal(Number(moved) * 1000, Math.floor(s.implementedAt / 1000) * 1000);
      }
    }
    const dates = git(repo, 'log', '--format=%ct').trim().split('\n').map(Number);
    assert.deepEqual(
      dates,
      [...dates].sort((a, b) => b - a),
      'commit dates grow along the history',
    );
    assert.ok(dates[0]! * 1000 <= NOW);
    assert.equal(git(repo, 'log', '-1', '--format=%cn <%ce>').trim(), 'Zuul <zuul@example.org>');
  });

  it('gives each spec a title and its Launchpad blueprint URL; the re-proposal says so', () => {
    const again = w.specs.specs.find((s) => s.reproposalOf !== null)!;
    const text = readFileSync(join(repo, implementedPath(again)), 'utf8');
    assert.match(text, new RegExp(`^=+\\n${again.title}\\n=+$`, 'm'));
    assert.ok(text.includes(`https://blueprints.launchpad.net/demo-compute/+spec/${again.blueprint}`));
    assert.ok(text.includes(`${again.reproposalOf}: approved`));
    // The original stays approved in its release.
    assert.ok(readFileSync(join(repo, `specs/${again.reproposalOf!.toLowerCase()}/approved/${again.blueprint}.rst`), 'utf8').length > 0);
  });

  it('is deterministic: the same options give the same commits, other seeds others', () => {
    const again = join(dir, 'again');
    const a = writeSpecsRepo(OPTS, again);
    assert.equal(a.head, git(repo, 'rev-parse', 'HEAD').trim());
    assert.notEqual(writeSpecsRepo({ ...OPTS, seed: 8 }, again).head, a.head);
    assert.equal(demoSpecsHistory(OPTS).length, a.commits);
  });

  it('replaces a repository it wrote, refuses to touch anything else', () => {
    const mine = join(dir, 'mine');
    writeSpecsRepo(OPTS, mine);
    writeFileSync(join(mine, 'stray.txt'), 'x');
    writeSpecsRepo(OPTS, mine);
    assert.throws(() => readFileSync(join(mine, 'stray.txt')));
    const other = join(dir, 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'notes.txt'), 'keep me');
    assert.throws(() => writeSpecsRepo(OPTS, other), /not a specs repository written by steward demo/);
    assert.equal(readFileSync(join(other, 'notes.txt'), 'utf8'), 'keep me');
  });
});
