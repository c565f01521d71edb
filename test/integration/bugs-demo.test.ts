/**
 * The demo's Launchpad side (src/demo/demo-launchpad.ts), on both engines: each planted truth is
 * found by the report meant to find it, through the command line's JSON —
 * - `bugs backlog`: the In Progress bugs whose only change was abandoned months ago are candidates
 *   to unassign; the area of old high-importance bugs leads the areas;
 * - `bugs targets`: those old high bugs are the unattended targets, first;
 * - `bugs rota`: the rota member who stopped reviewing, the reverted trivial fix, and the trivial
 *   fix whose bug was reopened (which the backlog lists among fixes merged on open bugs);
 * - `bugs blueprints`: the approved blueprint of the current series that nobody started is the
 *   actionable one (not the one still drafting, nor the approved one whose series goal is only
 *   proposed: it is listed apart, as not accepted, in the JSON, the text and the CSV), and an implemented blueprint's merged changes and
 *   commits are those `steward git blueprint` finds by the same link rule;
 * and restricted bugs are named only with --include-private.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BugBacklogReport } from '../../src/analysis/bugs-backlog.js';
import type { BugRotaReport } from '../../src/analysis/bugs-rota.js';
import type { BugTargetsReport } from '../../src/analysis/bugs-targets.js';
import type { BugBlueprintsReport } from '../../src/analysis/bugs-blueprints.js';
import type { BlueprintCodeView } from '../../src/service/blueprint-code-view.js';
import { generateDemoLaunchpad } from '../../src/demo/demo-launchpad.js';
import { DEMO_LAUNCHPAD_PROJECT } from '../../src/demo/demo-specs-repo.js';
import { isOpenStatus } from '../../src/model/bugs.js';
import { generateDemoChanges } from '../../src/demo/demo-project.js';
import { runSteward } from '../helpers/cli.js';
import { ENGINES } from '../helpers/stores.js';
import { demoStore, WEB_NOW, type DemoStore } from '../helpers/web.js';

// demoStore's defaults (test/helpers/web.ts).
const DEMO = { seed: 7, changes: 800, months: 6, now: WEB_NOW };

const planted = generateDemoLaunchpad(DEMO);
const revert = [...generateDemoChanges(DEMO)].find((c) => c.subject.startsWith('Revert "'));

for (const engine of ENGINES) {
  describe(`bug reports find the demo's planted truths (${engine.name})`, { skip: engine.skip }, () => {
    let demo: DemoStore;
    before(async () => {
      demo = await demoStore(engine.name);
    });
    after(() => demo?.cleanup());

    const json = async <T>(args: string[]): Promise<T> => {
      const r = await runSteward([...args, '--db', demo.location, '--now', '2026-11-01', '--format', 'json'], {
        cwd: demo.dir,
        now: WEB_NOW,
      });
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout) as T;
    };

    // Blueprints are as Launchpad keeps them now (the reports take no --now).
    const jsonNow = async <T>(args: string[]): Promise<T> => {
      const r = await runSteward([...args, '--db', demo.location, '--format', 'json'], { cwd: demo.dir, now: WEB_NOW });
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout) as T;
    };

    it('blueprints: approved but not started in the current series; an implemented one with its code', async () => {
      const bp = planted.planted.blueprints;
      const all = await jsonNow<BugBlueprintsReport>(['bugs', 'blueprints']);
      assert.equal(all.total, planted.blueprints.length);
      const r = await jsonNow<BugBlueprintsReport>(['bugs', 'blueprints', '--series', bp.series]);
      assert.equal(r.seriesList.length, 1);
      const s = r.seriesList[0]!;
      assert.equal(s.series, bp.series);
      assert.equal(
        s.byImplementation.reduce((n, c) => n + c.count, 0),
        s.total,
      );
      assert.equal(
        s.byDefinition.find((c) => c.status === 'Drafting')?.count,
        planted.blueprints.filter((b) => b.seriesGoal === bp.series && b.definitionStatus === 'Drafting').length,
      );
      const actionable = s.approvedNotStarted.map((b) => b.name);
      assert.ok(actionable.includes(bp.approvedNotStarted), `${bp.approvedNotStarted} is approved and not started`);
      assert.ok(!actionable.includes(bp.drafting), `${bp.drafting} is not approved`);
      for (const b of s.approvedNotStarted) assert.equal(b.changes.merged + b.changes.open + b.commits, 0, `${b.name} has no code`);
      // Approved and not started too, but its goal is only proposed: not planned for the series.
      assert.ok(!actionable.includes(bp.proposed), `${bp.proposed}'s goal is not accepted`);
      assert.deepEqual(
        s.goalNotAccepted.map((b) => b.name),
        [bp.proposed],
      );
      const proposedRow = s.blueprints.find((b) => b.name === bp.proposed)!;
      assert.equal(proposedRow.definitionStatus, 'Approved');
      assert.equal(proposedRow.seriesGoalAccepted, false);
      assert.deepEqual(s.goal, {
        accepted: planted.blueprints.filter((b) => b.seriesGoal === bp.series && b.seriesGoalAccepted === true).length,
        notAccepted: 1,
        unknown: 0,
      });
      const text = await runSteward(['bugs', 'blueprints', '--series', bp.series, '--db', demo.location], { cwd: demo.dir, now: WEB_NOW });
      assert.match(text.stdout, new RegExp(`goal proposed, not accepted \\(not planned\\): ${bp.proposed} `));
      assert.match(text.stdout, new RegExp(`approved but not started: (?![^\\n]*${bp.proposed})`));
      const csv = await runSteward(['bugs', 'blueprints', '--series', bp.series, '--db', demo.location, '--format', 'csv'], {
        cwd: demo.dir,
        now: WEB_NOW,
      });
      const [head, ...lines] = csv.stdout.trim().split('\n');
      const col = (name: string) => head!.split(',').indexOf(name);
      const proposedLine = lines.find((l) => l.split(',')[col('name')] === bp.proposed)!.split(',');
      assert.equal(proposedLine[col('series_goal_accepted')], 'no');
      assert.equal(proposedLine[col('approved_not_started')], 'no');
      assert.equal(lines.find((l) => l.split(',')[col('name')] === bp.approvedNotStarted)!.split(',')[col('series_goal_accepted')], 'yes');
      assert.ok(bp.implemented, 'the demo has an implemented blueprint');
      const row = all.seriesList.flatMap((x) => x.blueprints).find((b) => b.name === bp.implemented)!;
      assert.equal(row.implementationStatus, 'Implemented');
      assert.ok(row.changes.merged > 0, `${bp.implemented} has merged changes`);
      const code = await jsonNow<BlueprintCodeView>(['git', 'blueprint', bp.implemented]);
      const changes = code.blueprints[0]!.changes.filter((c) => c.kind !== 'related');
      assert.equal(row.changes.merged, new Set(changes.filter((c) => c.status === 'MERGED').map((c) => c.number)).size);
      assert.equal(row.commits, new Set(code.blueprints[0]!.commits.filter((c) => c.kind !== 'related').map((c) => c.sha)).size);
    });

    it('backlog: In Progress bugs whose change was abandoned months ago are candidates to unassign', async () => {
      assert.ok(planted.planted.staleInProgress.length >= 2, 'the demo plants stale In Progress bugs');
      const r = await json<BugBacklogReport>(['bugs', 'backlog', '--include-private']);
      for (const bug of planted.planted.staleInProgress) {
        const s = r.inProgressStuck.find((x) => x.bug === bug);
        assert.ok(s, `bug ${bug} is a candidate to unassign`);
        assert.equal(s.why, 'only abandoned changes');
        assert.equal(s.lastChange?.status, 'ABANDONED');
        assert.ok(s.idleDays > 60, `bug ${bug} idle ${s.idleDays} d`);
      }
    });

    it('backlog: the area with many old high-importance bugs leads the areas', async () => {
      const r = await json<BugBacklogReport>(['bugs', 'backlog']);
      const top = r.areas[0]!;
      assert.equal(top.tag, planted.planted.oldHighArea);
      assert.ok(top.openHigh >= planted.planted.oldHighBugs.length);
      assert.ok(top.medianHighAgeDays! >= 200, `median age ${top.medianHighAgeDays}`);
      assert.ok(r.timeToTriage.median !== null && r.timeToTriage.lower !== null);
      assert.equal(r.weeks.length, 26);
    });

    it('targets: the old high bugs of that area are the unattended targets, first', async () => {
      const r = await json<BugTargetsReport>(['bugs', 'targets', '--limit', '1000']);
      const numbers = r.targets.map((t) => t.bug);
      for (const bug of planted.planted.oldHighBugs) assert.ok(numbers.includes(bug), `bug ${bug} is a target`);
      const top10 = r.targets.slice(0, 10).filter((t) => planted.planted.oldHighBugs.includes(t.bug)).length;
      assert.ok(top10 >= 6, `${top10} of the first 10 targets are the planted bugs`);
      const first = r.targets.find((t) => planted.planted.oldHighBugs.includes(t.bug))!;
      assert.equal(first.unattended, 'unassigned');
      assert.ok(first.fixersInArea.length > 0, 'who fixed bugs in the area before');
      assert.ok(r.targets.some((t) => t.duplicates > 0));
    });

    it('rota: the member who stopped reviewing, and the trivial fix that was reverted', async () => {
      const r = await json<BugRotaReport>(['bugs', 'rota']);
      assert.deepEqual(r.members, planted.rota.members);
      for (const p of r.people) assert.equal(p.stoppedReviewing, p.who === planted.planted.stoppedMember, `${p.who}: ${JSON.stringify(p)}`);
      assert.ok(revert, 'the demo plants a revert');
      const subject = revert.subject.slice('Revert "'.length, -1);
      const breaches = r.constraints.breaches.filter((b) => b.what === 'reverted');
      assert.equal(breaches.length, 1, JSON.stringify(breaches));
      assert.equal(breaches[0]!.subject, subject);
      assert.ok(r.constraints.reverted.trivial.count >= 1);
      assert.ok(r.weeks.every((w) => w.onDuty.length === 4));
    });

    it('rota and backlog: the bug a trivial fix closed that was reopened after the fix merged', async () => {
      const reopened = planted.planted.reopened;
      assert.ok(reopened, 'the demo plants a reopened bug');
      const r = await json<BugRotaReport>(['bugs', 'rota']);
      const breach = r.constraints.breaches.find((b) => b.what === 'bug reopened');
      assert.deepEqual(breach && [breach.number, breach.bug], [reopened.change, reopened.bug], JSON.stringify(r.constraints.breaches));
      assert.ok(r.constraints.reopened.trivial.count >= 1);
      assert.ok(r.constraints.reopened.trivial.of >= r.constraints.reopened.trivial.count);
      // Open again with its fix merged: the backlog lists it among the fixes merged on open bugs.
      const b = await json<BugBacklogReport>(['bugs', 'backlog', '--include-private']);
      const f = b.fixedStillOpen.find((x) => x.bug === reopened.bug);
      assert.ok(f, `bug ${reopened.bug} is listed as fixed but open`);
      assert.equal(f.change, reopened.change);
    });

    it('restricted bugs are counted but named only with --include-private', async () => {
      const restricted = new Set(planted.bugs.filter((b) => b.informationType !== 'Public').map((b) => b.id));
      assert.ok(restricted.size > 0);
      const hidden = await json<BugTargetsReport>(['bugs', 'targets', '--limit', '1000']);
      const shown = await json<BugTargetsReport>(['bugs', 'targets', '--limit', '1000', '--include-private']);
      assert.equal(hidden.unattended, shown.unattended);
      assert.ok(hidden.targets.every((t) => !restricted.has(t.bug)));
      assert.equal(shown.targets.filter((t) => restricted.has(t.bug)).length, hidden.restrictedHidden);
      assert.equal(hidden.restrictedShown, false);
    });
    it('overview: a bugs line counting only public bugs, as every reader may see them', async () => {
      // Derived from the demo's own records: public, not duplicates, project tasks, open.
      const publicBugs = new Set(planted.bugs.filter((b) => b.informationType === 'Public' && b.duplicateOf === null).map((b) => b.id));
      const open = planted.tasks.filter((t) => t.series === null && publicBugs.has(t.bug) && isOpenStatus(t.status));
      assert.ok(open.length > 0 && planted.bugs.some((b) => b.informationType !== 'Public'));
      const backlog = await json<BugBacklogReport>(['bugs', 'backlog', '--include-private']);
      const stuck = backlog.inProgressStuck.filter((x) => publicBugs.has(x.bug)).length;
      const r = await json<{ bugs: { counts: string; open: number; untriaged: number; inProgressNoOpenChange: number } }>(['overview']);
      assert.deepEqual(r.bugs, {
        projects: [DEMO_LAUNCHPAD_PROJECT],
        counts: 'public',
        open: open.length,
        untriaged: open.filter((t) => t.status === 'New').length,
        inProgressNoOpenChange: stuck,
      });
      assert.ok(r.bugs.open < backlog.open, 'restricted bugs are left out of the overview');
      const text = await runSteward(['overview', '--db', demo.location, '--now', '2026-11-01'], { cwd: demo.dir, now: WEB_NOW });
      assert.match(text.stdout, new RegExp(`public bugs only.*\\n  open ${open.length} `));
    });
  });
}
