import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import type { DemoChange, DemoMessage } from './demo-change.js';
import { demoConfig, generateDemoChanges } from './demo-project.js';
import { PLANTED_SPEC_REASONS } from './demo-specs.js';
import { buildDemoWorld } from './demo-world.js';
import type { DemoRelease, DemoWorld } from './demo-world.js';

const NOW = Date.parse('2025-06-01T00:00:00Z');
const DAY = 86_400_000;
const OPTS = { now: NOW, seed: 7, changes: 2500 };

/** The blueprint a change names (topic bp/NAME, as every demo feature change has). */
const blueprintOf = (c: DemoChange): string | null => (c.topic?.startsWith('bp/') ? c.topic.slice(3) : null);
const isBot = (m: DemoMessage): boolean => m.author.username === 'zuul' || m.author.username === 'hyperv-ci';

/** The change as it stood at `t`: latest patch set, its final Code-Review votes and CI verdict. */
function stateAt(c: DemoChange, t: number) {
  const ps = c.patchSets.filter((p) => p.created <= t).length;
  const votes = new Map<string, number>();
  let verified: number | null = null;
  for (const m of c.messages) {
    if (m.date > t) break;
    if (m.kind === 'upload' && m.patchSet > 1) {
      // Gerrit copies ±2 Code-Review votes to a trivial rebase; a rework starts afresh.
      const kind = c.patchSets[m.patchSet - 1]?.kind;
      for (const [k, v] of votes) if (Math.abs(v) !== 2 || kind === 'REWORK') votes.delete(k);
      verified = null;
    }
    for (const v of m.votes) {
      if (v.label === 'Code-Review') votes.set(m.author.username, v.value);
      if (v.label === 'Verified' && isBot(m)) verified = v.value;
    }
  }
  const merged = c.submitted !== null && c.submitted <= t;
  const abandoned = c.status === 'ABANDONED' && (c.messages.find((m) => m.text.startsWith('Abandoned'))?.date ?? Infinity) <= t;
  return { ps, votes, verified, merged, abandoned, open: c.created <= t && !merged && !abandoned };
}

describe('demo specs plan', () => {
  let w: DemoWorld;
  let target: DemoRelease;
  let next: DemoRelease;
  let changes: DemoChange[];
  let cores: Set<string>;
  const byBlueprint = new Map<string, DemoChange[]>();
  before(() => {
    w = buildDemoWorld(OPTS);
    target = w.releases.find((r) => r.name === w.specs.target) as DemoRelease;
    next = w.releases[w.releases.indexOf(target) + 1] as DemoRelease;
    cores = new Set(w.cores.map((c) => c.username));
    changes = [...generateDemoChanges(OPTS)];
    for (const c of changes) {
      const bp = blueprintOf(c);
      if (bp) byBlueprint.set(bp, [...(byBlueprint.get(bp) ?? []), c]);
    }
  });
  const inCycle = (bp: string): DemoChange[] =>
    (byBlueprint.get(bp) ?? []).filter((c) => c.created >= target.start && c.created < target.release);
  const plantedFor = (reason: string): string => {
    const found = Object.entries(w.specs.planted).find(([, r]) => r === reason);
    assert.ok(found, `no spec planted for ${reason}`);
    return found[0];
  };
  const coreReviewedBefore = (c: DemoChange, t: number): boolean =>
    c.messages.some(
      (m) =>
        m.date <= t &&
        cores.has(m.author.username) &&
        m.author.accountId !== c.owner.accountId &&
        (m.kind === 'review' || m.kind === 'comment'),
    );

  it('plants every reason once, in the last complete release, and still makes exactly the changes asked for', () => {
    assert.equal(changes.length, OPTS.changes);
    assert.equal(w.specs.target, 'Kestrel');
    assert.deepEqual(Object.values(w.specs.planted).sort(), [...PLANTED_SPEC_REASONS].sort());
    for (const bp of Object.keys(w.specs.planted)) assert.equal(w.blueprints.find((b) => b.name === bp)?.cycle, target.name);
    assert.deepEqual(demoConfig(OPTS).planted.specs, w.specs.planted);
    for (let i = 1; i < changes.length; i++)
      assert.ok(changes[i]!.created > changes[i - 1]!.created && changes[i]!.number > changes[i - 1]!.number);
  });

  it('no-code: no change ever names the blueprint', () => {
    assert.equal(byBlueprint.get(plantedFor('no-code')), undefined);
    const bp = plantedFor('no-code');
    assert.ok(!changes.some((c) => c.patchSets.some((p) => p.commitMessage.includes(`blueprint ${bp}\n`))));
  });

  it('no-core-review: proposed before the freeze, clean, +1 from non-cores only, no core reviewer by the freeze', () => {
    const cs = inCycle(plantedFor('no-core-review'));
    assert.equal(cs.length, 1);
    const c = cs[0]!;
    assert.ok(c.created < target.featureFreeze - 30 * DAY);
    const s = stateAt(c, target.featureFreeze);
    assert.ok(s.open);
    assert.ok(!coreReviewedBefore(c, target.featureFreeze));
    assert.ok(
      [...s.votes.entries()].some(([u, v]) => v === 1 && !cores.has(u)),
      'a non-core +1',
    );
    assert.equal(s.verified, 1, 'CI passed');
    assert.ok([...s.votes.values()].every((v) => v > 0));
  });

  it('waited-on-author: a core -1 on the latest patch set, unanswered for weeks at the freeze', () => {
    const cs = inCycle(plantedFor('waited-on-author'));
    assert.equal(cs.length, 1);
    const c = cs[0]!;
    const s = stateAt(c, target.featureFreeze);
    assert.ok(s.open);
    assert.ok(
      [...s.votes.entries()].some(([u, v]) => v === -1 && cores.has(u)),
      'a core -1',
    );
    const minus = c.messages.find((m) => cores.has(m.author.username) && m.votes.some((v) => v.label === 'Code-Review' && v.value === -1))!;
    assert.ok(target.featureFreeze - minus.date > 30 * DAY);
    assert.ok(!c.patchSets.some((p) => p.created > minus.date && p.created <= target.featureFreeze), 'no new patch set after the -1');
  });

  it('waited-on-reviewers: one core +2 on a clean latest patch set, no second, at the freeze', () => {
    const cs = inCycle(plantedFor('waited-on-reviewers'));
    assert.equal(cs.length, 1);
    const s = stateAt(cs[0]!, target.featureFreeze);
    assert.ok(s.open);
    assert.equal([...s.votes.entries()].filter(([u, v]) => v === 2 && cores.has(u)).length, 1);
    assert.equal(s.verified, 1, 'CI passed');
    assert.ok([...s.votes.values()].every((v) => v > 0));
    assert.ok(coreReviewedBefore(cs[0]!, target.featureFreeze));
  });

  it('blocked: a core -2 stands on the latest patch set at the freeze', () => {
    const cs = inCycle(plantedFor('blocked'));
    assert.equal(cs.length, 1);
    const s = stateAt(cs[0]!, target.featureFreeze);
    assert.ok(s.open);
    assert.ok([...s.votes.entries()].some(([u, v]) => v === -2 && cores.has(u)));
  });

  it('part-merged: one change merged before the freeze, the other abandoned', () => {
    const cs = inCycle(plantedFor('part-merged'));
    assert.equal(cs.length, 2);
    assert.equal(cs.filter((c) => stateAt(c, target.featureFreeze).merged).length, 1);
    assert.equal(cs.filter((c) => c.status === 'ABANDONED').length, 1);
  });

  it('landed-later: left waiting in its release, approved again for the next, whose changes merge before the spec moves to implemented/', () => {
    const bp = plantedFor('landed-later');
    const cs = byBlueprint.get(bp)!;
    const here = cs.filter((c) => c.created < target.release);
    const later = cs.filter((c) => c.created >= next.start);
    assert.equal(here.length, 1);
    assert.ok(!here[0]!.submitted);
    assert.equal(later.length, 2);
    const again = w.specs.specs.find((s) => s.blueprint === bp && s.release === next.name)!;
    assert.equal(again.reproposalOf, target.name);
    assert.ok(again.approvedAt < Math.min(...later.map((c) => c.created)));
    for (const c of later) assert.ok(c.submitted !== null && c.submitted < (again.implementedAt as number));
  });

  it('the specs that landed have merged code in their release, before their move to implemented/', () => {
    const landed = w.specs.specs.filter((s) => s.release === target.name && s.implementedAt !== null);
    assert.equal(landed.length, 4);
    for (const s of landed) {
      const merged = inCycle(s.blueprint).filter((c) => c.submitted !== null && c.submitted < target.release);
      assert.ok(merged.length >= 1, s.blueprint);
      assert.equal(w.specs.planted[s.blueprint], undefined);
    }
  });

  it("the faster priority blueprints are reviewed several times faster than the release's other features", () => {
    const fast = new Set(w.specs.priorities.find((p) => p.effect === 'faster')!.blueprints);
    const firstReview = (c: DemoChange): number | null => {
      const m = c.messages.find(
        (x) => (x.kind === 'review' || x.kind === 'comment') && x.author.accountId !== c.owner.accountId && !isBot(x),
      );
      return m ? m.date - c.created : null;
    };
    const med = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const of = (pred: (bp: string) => boolean): number[] =>
      changes
        .filter((c) => blueprintOf(c) && pred(blueprintOf(c)!) && c.created >= target.start && c.created < target.featureFreeze)
        .map(firstReview)
        .filter((x): x is number => x !== null);
    const a = of((bp) => fast.has(bp));
    const b = of((bp) => !fast.has(bp) && w.blueprints.find((x) => x.name === bp)?.area !== 'nova/virt/hyperv/');
    assert.ok(a.length >= 20 && b.length >= 20, `${a.length} / ${b.length}`);
    assert.ok(med(a) * 2 < med(b), `${med(a) / 3.6e6} h vs ${med(b) / 3.6e6} h`);
  });

  it('plants nothing when the window holds no complete release or the demo is small', () => {
    assert.equal(buildDemoWorld({ now: NOW, months: 3 }).specs.target, null);
    assert.deepEqual(buildDemoWorld({ now: NOW, changes: 100 }).specs.planted, {});
    assert.equal(buildDemoWorld({ now: NOW, changes: 100 }).specs.changes.length, 0);
  });
});
