/**
 * Initiatives end to end on the demo project, in both engines: the planted initiative
 * (src/demo/demo-initiative.ts) with its stall, its milestone met late, its −2 blocker and its open
 * question, each checked against what other commands say about the same data (the specs report,
 * a dashboard query, the changes' own merge times); `--now` replay; the brief; store-defined
 * initiatives added, noted, edited and removed with the audit log; and bad input refused with
 * nothing stored.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { DEMO_INITIATIVE_BUG_TAG, DEMO_INITIATIVE_NAME, DEMO_STALL_WEEKS, demoInitiative } from '../../src/demo/demo-initiative.js';
import { areaTag } from '../../src/demo/demo-launchpad.js';
import { openStore } from '../../src/store/open-store.js';
import { changesCreatedIn, cohortExtent, creationMarks } from '../../src/store/queries/initiatives.js';
import { demoConfig } from '../../src/demo/demo-project.js';
import { assertMatchesSchema } from '../helpers/report-schema.js';
import { ENGINES } from '../helpers/stores.js';
import { TRACKED_DEMO as DEMO, TRACKED_NOW as NOW, useTrackedWorkDemo, useTrackedWorkStore } from '../helpers/tracked-work-demo.js';

const DAY = 86_400_000;
const WEEK = 7 * DAY;
const cfg = demoConfig(DEMO);
const planted = demoInitiative(DEMO)!;
const target = cfg.releases.find((r) => r.name === cfg.planted.specsRelease)!;
const next = cfg.releases[cfg.releases.indexOf(target) + 1]!;
const demo = useTrackedWorkDemo('steward-initiatives-');

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed reports
type Json = any;

for (const engine of ENGINES) {
  describe(`steward initiative on the demo project (${engine.name})`, { skip: engine.skip }, () => {
    const filled = useTrackedWorkStore(engine.name, demo, (folder) => [
      ['import', join(folder, 'demo-rest.json')],
      ['specs', 'sync', '--repo', join(folder, 'specs')],
      ['bugs', 'import', ...readdirSync(join(folder, 'launchpad')).map((f) => join(folder, 'launchpad', f))],
    ]);
    const { run, json } = filled;
    const refused = async (args: string[], code: number, message: RegExp): Promise<string> => {
      const r = await run(args);
      assert.equal(r.code, code, r.stdout + r.stderr);
      assert.match(r.stderr, message);
      return r.stderr;
    };
    /** Rows of the store, read directly (the tests' own counts). */
    const query = async <T>(text: string): Promise<T[]> => {
      const store = await openStore(filled.location, { create: false });
      try {
        return (await sql.raw<T>(text).execute(store.db)).rows;
      } finally {
        await store.close();
      }
    };
    const since = Date.parse(`${target.start}T00:00:00Z`);
    /** The public bugs (not duplicates) carrying `tag`, with their project task's dates, as the store holds them. */
    const taggedBugs = async (tag: string) =>
      (
        await query<{ id: number; tags: string; created: number; fixed: number | null; closed: number | null }>(
          `select b.id, b.tags, t.date_created as created, coalesce(t.date_fix_committed, t.date_fix_released) as fixed, t.date_closed as closed
           from lp_bugs b join lp_bug_tasks t on t.bug = b.id and t.series is null
           where b.information_type = 'Public' and b.duplicate_of is null`,
        )
      )
        .filter((b) => b.tags.split(' ').includes(tag) && Number(b.created) <= NOW)
        .map((b) => ({
          id: String(b.id),
          created: Number(b.created),
          fixed: b.fixed === null ? null : Number(b.fixed),
          closed: b.closed === null ? null : Number(b.closed),
        }));

    it('shows the open question first, then the milestones: first code met, the spec met late, the blocked work not met', async () => {
      const v = await json(['initiative', 'status', DEMO_INITIATIVE_NAME]);
      assert.equal(v.report, 'initiativeStatus');
      assertMatchesSchema('initiativeStatus', v);
      assert.deepEqual(
        v.openQuestions.map((q: Json) => q.text),
        [planted.question],
      );
      assert.match(v.summary[0], /^Open question/);
      assert.equal(v.notes[0].kind, 'question');
      assert.deepEqual(
        v.milestones.map((m: Json) => [m.title, m.status]),
        [
          ['First code', 'met'],
          ['Spec implemented', 'met late'],
          ['Blocked work merged', 'in progress'],
        ],
      );
      // Met late: when the specs report says the re-proposed spec moved to implemented/, after the target's release day.
      const specs = await json(['specs', 'report', '--release', next.name]);
      const spec = specs.specs.find((s: Json) => s.blueprint === planted.blueprints.landedLate);
      assert.ok(spec.implementedAt);
      const late = v.milestones[1];
      assert.equal(late.metAt, spec.implementedAt);
      assert.equal(late.due, new Date(`${target.release}T00:00:00Z`).toISOString());
      assert.equal(late.lateDays, Math.round(((Date.parse(spec.implementedAt) - Date.parse(late.due)) / DAY) * 10) / 10);
      assert.ok(late.lateDays > 0);
      // First code: its changes all closed before the freeze, one merged.
      const first = v.milestones[0];
      const firstChanges = v.changes.filter((c: Json) => c.milestones.includes('First code'));
      assert.equal(firstChanges.length, first.changesProposed);
      assert.ok(firstChanges.every((c: Json) => c.status !== 'open') && firstChanges.some((c: Json) => c.status === 'merged'));
      assert.ok(Date.parse(first.metAt) <= Date.parse(first.due));
    });

    it('finds the −2 blocker that a dashboard query finds, and changes waiting on reviewers beyond the project median', async () => {
      const v = await json(['initiative', 'status', DEMO_INITIATIVE_NAME]);
      const d = await json(['dashboard', '--query', `blueprint:${planted.blueprints.blocked} status:open label:Code-Review<=-2`]);
      const expected = d.sections[0].changes.map((c: Json) => c.number).sort();
      assert.ok(expected.length >= 1);
      assert.deepEqual(v.blockers.vetoed.map((x: Json) => x.number).sort(), expected);
      for (const w of v.blockers.waitingOnReviewers) {
        assert.ok(w.reviewersDays > v.blockers.projectMedianReviewersDays);
        const c = v.changes.find((x: Json) => x.number === w.number);
        assert.equal(c.status, 'open');
      }
    });

    it('finds the planted stall: the gaps of 8+ weeks between merges in scope, one across the target release with the blocker and the question open', async () => {
      const v = await json(['initiative', 'status', DEMO_INITIATIVE_NAME]);
      assert.equal(v.stallWeeks, DEMO_STALL_WEEKS);
      const start = Date.parse(`${target.start}T00:00:00Z`);
      const merges = v.changes
        .filter((c: Json) => c.status === 'merged')
        .map((c: Json) => Date.parse(c.mergedAt))
        .filter((t: number) => t > start)
        .sort((a: number, b: number) => a - b);
      const points = [start, ...merges, NOW];
      const gaps: Array<[number, number]> = [];
      for (let i = 1; i < points.length; i++)
        if (points[i]! - points[i - 1]! >= DEMO_STALL_WEEKS * WEEK) gaps.push([points[i - 1]!, points[i]!]);
      assert.deepEqual(
        v.stalls.map((s: Json) => [Date.parse(s.from), s.to === null ? NOW : Date.parse(s.to)]),
        gaps,
      );
      const rel = Date.parse(`${target.release}T00:00:00Z`);
      const across = v.stalls.find((s: Json) => Date.parse(s.from) < rel && s.to !== null && Date.parse(s.to) > rel);
      assert.ok(across, JSON.stringify(v.stalls));
      assert.ok(across.blocked >= 1 && across.openQuestions === 1 && across.openChanges >= across.blocked);
      assert.match(across.why, /blocked by a −2/);
      assert.ok(v.summary.some((s: string) => /^Stalled [\d.]+ weeks from/.test(s)));
    });

    it('replays the past with --now: at the freeze no question was open yet and the spec was still due', async () => {
      const ff = new Date(Date.parse(`${target.featureFreeze}T00:00:00Z`) + DAY).toISOString();
      const v = await json(['initiative', 'status', DEMO_INITIATIVE_NAME, '--now', ff]);
      assert.equal(v.asOf, ff);
      assert.deepEqual(v.openQuestions, []);
      assert.equal(v.milestones[0].status, 'met');
      assert.equal(v.milestones[1].status, 'in progress');
      assert.ok(v.changes.every((c: Json) => Date.parse(c.created) < Date.parse(ff)));
      assert.ok(v.notes.every((n: Json) => Date.parse(n.at) <= Date.parse(ff)));
    });

    it('gives the brief: one page of Markdown with the goal, milestones, stalls, questions and people; the same JSON as status', async () => {
      const r = await run(['initiative', 'brief', DEMO_INITIATIVE_NAME, '--format', 'markdown']);
      assert.equal(r.code, 0, r.stderr);
      const md = r.stdout;
      for (const h of [
        '# Compute API migration',
        '**Goal.**',
        '## Open questions',
        '## Milestones',
        '## What stalled and why',
        '## Blockers',
        '## People',
      ])
        assert.ok(md.includes(h), h);
      assert.ok(md.indexOf('## Open questions') < md.indexOf('## Milestones'));
      assert.ok(md.includes(planted.question));
      assert.match(md, /\| Spec implemented \(.+\) \| .+ \| met late \|/);
      assert.ok(md.split('\n').length < 80);
      // The same JSON as status but for the envelope's report name.
      const brief = await json(['initiative', 'brief', DEMO_INITIATIVE_NAME]);
      assert.equal(brief.report, 'initiativeBrief');
      assert.deepEqual({ ...brief, report: 'initiativeStatus' }, await json(['initiative', 'status', DEMO_INITIATIVE_NAME]));
    });

    it('adds, notes, resolves, edits and removes a stored initiative, each in the audit log', async () => {
      const bp = planted.blueprints.waiting;
      const added = await json([
        'initiative',
        'add',
        'waiting-work',
        '--title',
        'Waiting work',
        '--goal',
        'Land it',
        '--owner',
        'alice',
        '--blueprint',
        bp,
        '--milestone',
        `Code up=${target.name}`,
        '--milestone',
        `Merged=${next.name}`,
        '--by',
        'alice',
      ]);
      assert.equal(added.name, 'waiting-work');
      assert.equal(added.milestones.length, 2);
      const listed = await json(['initiative', 'list']);
      assert.deepEqual(
        listed.initiatives.map((i: Json) => i.name),
        [DEMO_INITIATIVE_NAME, 'waiting-work'],
      );
      const q = await json(['initiative', 'note', 'waiting-work', '--kind', 'question', '--text', 'Who reviews it?', '--by', 'bob']);
      assert.equal(q.note.status, 'open');
      let v = await json(['initiative', 'status', 'waiting-work']);
      assert.equal(v.openQuestions[0].text, 'Who reviews it?');
      assert.ok(v.changes.length >= 1 && v.changes.every((c: Json) => c.matchedBy.includes(`blueprint:${bp}`)));
      await json(['initiative', 'note', 'waiting-work', '--resolve', String(q.note.id), '--text', 'carol', '--by', 'alice']);
      v = await json(['initiative', 'status', 'waiting-work']);
      assert.deepEqual(v.openQuestions, []);
      assert.equal(v.notes[0].resolution, 'carol');
      const edited = await json(['initiative', 'edit', 'waiting-work', '--goal', 'Land it soon', '--stall-weeks', '4']);
      assert.equal(edited.goal, 'Land it soon');
      assert.equal(edited.stallWeeks, 4);
      assert.equal(edited.notes.length, 1);
      await json(['initiative', 'remove', 'waiting-work', '--by', 'alice']);
      assert.deepEqual(
        (await json(['initiative', 'list'])).initiatives.map((i: Json) => i.name),
        [DEMO_INITIATIVE_NAME],
      );
      const audit = await json(['audit', '--limit', '20']);
      const events = (audit.events ?? audit).map((e: Json) => e.event);
      for (const e of ['initiative.add', 'initiative.note', 'initiative.note.resolve', 'initiative.edit', 'initiative.remove'])
        assert.ok(events.includes(e), e);
    });

    it("follows the bugs of its Launchpad tag in the milestone that names it: fixed and open as the store's bug tasks say", async () => {
      const v = await json(['initiative', 'status', DEMO_INITIATIVE_NAME]);
      const bugs = await taggedBugs(DEMO_INITIATIVE_BUG_TAG);
      assert.ok(bugs.length >= 3, `the demo plants the tag: ${bugs.length}`);
      assert.deepEqual(v.bugs.tags, [DEMO_INITIATIVE_BUG_TAG]);
      assert.equal(v.bugs.cannotTell, null);
      assert.deepEqual([...v.bugs.tagged].sort(), bugs.map((b) => b.id).sort());
      const fixed = bugs.filter((b) => b.fixed !== null && b.fixed <= NOW).map((b) => b.id);
      const openAt = (t: number) =>
        bugs.filter((b) => b.created <= t && !(b.fixed !== null && b.fixed <= t) && !(b.closed !== null && b.closed <= t)).map((b) => b.id);
      assert.deepEqual([...v.bugs.fixed].sort(), fixed.sort());
      assert.deepEqual([...v.bugs.open].sort(), openAt(NOW).sort());
      assert.ok(fixed.length >= 1 && openAt(NOW).length >= 1, 'some fixed, some open');
      // Its milestone (own scope): every bug of the tag; open at its due time or now, whichever is first.
      const m = v.milestones.find((x: Json) => x.title === 'Blocked work merged');
      assert.equal(m.bugsFixed, fixed.length);
      assert.equal(m.bugsOpen, openAt(Math.min(Date.parse(m.due), NOW)).length);
      assert.match(m.evidence, new RegExp(`${m.bugsFixed} bugs fixed, ${m.bugsOpen} open`));
      // No change names those bugs: the planted stall and the changes are as before.
      assert.ok(v.changes.every((c: Json) => !c.matchedBy.some((x: string) => x.startsWith('bugTag:'))));
      assert.equal(v.milestones[0].bugsFixed + v.milestones[0].bugsOpen, 0);
      assert.ok(v.summary.some((x: string) => /^Bugs: \d+ in scope/.test(x)));
    });

    it('a bug tag brings in the changes that name its bugs (their stored links)', async () => {
      const tag = areaTag(cfg.areas[0]!);
      const bugs = new Set((await taggedBugs(tag)).map((b) => b.id));
      const naming = await query<{ number: number; created: number }>(
        `select distinct c.number, c.created from links l join changes c on c.id = l.change_id
         where l.kind in ('closes-bug', 'partial-bug', 'related-bug', 'topic-bug') and l.target in (${[...bugs].map((b) => `'${b}'`).join(', ') || "''"})`,
      );
      const expected = naming
        .filter((c) => Number(c.created) >= since && Number(c.created) < NOW)
        .map((c) => Number(c.number))
        .sort((a, b) => a - b);
      assert.ok(expected.length >= 3, `changes naming bugs tagged ${tag}: ${expected.length}`);
      await json(['initiative', 'add', 'tagged', '--bug-tag', tag, '--milestone', `One=${target.name}`, '--milestone', `Two=${next.name}`]);
      const v = await json(['initiative', 'status', 'tagged']);
      await json(['initiative', 'remove', 'tagged']);
      assert.deepEqual(
        v.changes.map((c: Json) => c.number).sort((a: number, b: number) => a - b),
        expected,
      );
      assert.ok(v.changes.every((c: Json) => c.matchedBy.includes(`bugTag:${tag}`)));
      assert.deepEqual([...v.bugs.tagged].sort(), [...bugs].sort());
      // Fixed: at least every bug Launchpad has fixed by now; per milestone, those fixed in its window.
      const lpFixed = (await taggedBugs(tag)).filter((b) => b.fixed !== null && b.fixed <= NOW).map((b) => b.id);
      assert.ok(lpFixed.every((b) => v.bugs.fixed.includes(b)));
      assert.ok(v.milestones[0].bugsFixed + v.milestones[1].bugsFixed <= v.bugs.fixed.length);
      assert.ok(v.milestones[0].bugsFixed > 0);
    });

    it('paths match the changes whose files are under them, and say commits are not matched by path; read through the index or not, the same status', async () => {
      const prefix = cfg.areas[0]!;
      const expected = (
        await query<{ number: number; created: number }>(
          `select distinct c.number, c.created from change_files f join changes c on c.id = f.change_id where substr(f.path, 1, ${prefix.length}) = '${prefix}'`,
        )
      )
        .filter((c) => Number(c.created) >= since && Number(c.created) < NOW)
        .map((c) => Number(c.number))
        .sort((a, b) => a - b);
      assert.ok(expected.length >= 10, `changes under ${prefix}: ${expected.length}`);
      const milestones = ['--milestone', `One=${target.name}`, '--milestone', `Two=${next.name}`];
      await json(['initiative', 'add', 'by-path', '--path', prefix, ...milestones]);
      await json(['initiative', 'add', 'by-query', '--query', `file:^${prefix}.*`, ...milestones]);
      const byPath = await json(['initiative', 'status', 'by-path']);
      const byQuery = await json(['initiative', 'status', 'by-query']);
      for (const n of ['by-path', 'by-query']) await json(['initiative', 'remove', n]);
      assert.deepEqual(
        byPath.changes.map((c: Json) => c.number).sort((a: number, b: number) => a - b),
        expected,
      );
      assert.match(byPath.sources.paths, /^paths matched against change files .*; commits not matched by path/);
      assert.match(byPath.sources.read, /those the scope's blueprints, bugs, topics and paths may name/);
      assert.match(byQuery.sources.read, /^every change of the period/);
      // The index only narrows what is read: the same changes, milestones, blockers and comparison.
      const same = (v: Json) => ({
        ...v,
        name: null,
        title: null,
        id: null,
        scope: null,
        scopeQueries: null,
        sources: null,
        summary: null,
        changes: v.changes.map((c: Json) => ({ ...c, matchedBy: null })),
      });
      assert.deepEqual(same(byPath), same(byQuery));
      assert.ok(byPath.reviewWait.sample, 'the period has more changes than the comparison reads');
      assert.equal(byPath.reviewWait.vsRest.replicates, 400);
    });

    it('refuses bad input with a clear message and stores nothing', async () => {
      const base = ['initiative', 'add', 'bad', '--milestone', `One=${target.name}`];
      const scope = await refused([...base, '--blueprint', 'no-such-blueprint-at-all'], 2, /the scope matches nothing in the store/);
      assert.match(scope, /blueprints no-such-blueprint-at-all/);
      const query = await refused([...base, '--query', 'status:open OR'], 2, /initiative "bad": .*OR must be followed/);
      assert.match(query, /\^/);
      await refused(
        [
          'initiative',
          'add',
          'bad',
          '--blueprint',
          planted.blueprints.blocked,
          '--milestone',
          `Two=${next.name}`,
          '--milestone',
          `One=${target.name}`,
        ],
        2,
        /milestones out of order/,
      );
      await refused(
        [
          'initiative',
          'add',
          'bad',
          '--blueprint',
          planted.blueprints.blocked,
          '--milestone',
          `One=${next.start}`,
          '--milestone',
          `Two=${target.name}`,
        ],
        2,
        /milestones out of order/,
      );
      const mid = new Date(Date.parse(`${next.start}T00:00:00Z`) + 20 * DAY).toISOString().slice(0, 10);
      await refused(
        [
          'initiative',
          'add',
          'bad',
          '--blueprint',
          planted.blueprints.blocked,
          '--milestone',
          `Early=${target.name},${target.featureFreeze}`,
          '--milestone',
          `Late=${mid}`,
          '--milestone',
          `Next=${next.name}`,
        ],
        2,
        /milestones overlap/,
      );
      await refused([...base, '--blueprint', planted.blueprints.blocked, '--commit-pattern', '(unclosed'], 2, /not a regular expression/);
      await refused(
        ['initiative', 'note', 'no-such-initiative', '--kind', 'question', '--text', 'x'],
        10,
        /no initiative named "no-such-initiative"/,
      );
      await refused(['initiative', 'note', DEMO_INITIATIVE_NAME, '--kind', 'question', '--text', 'x'], 2, /defined in .*steward.yaml/);
      await refused(['initiative', 'status', 'no-such-initiative'], 10, /no initiative named/);
      const listed = await json(['initiative', 'list']);
      assert.deepEqual(
        listed.initiatives.map((i: Json) => i.name),
        [DEMO_INITIATIVE_NAME],
      );
      const audit = await json(['audit', '--limit', '50']);
      assert.ok(!(audit.events ?? audit).some((e: Json) => e.subject === 'initiative bad'));
    });

    it("reads the period's cohort by its size and id range, and creation marks that stand for every creation in windows of their span", async () => {
      const store = await openStore(filled.location, { create: false });
      try {
        const rows = (
          await sql<{ id: number | string; created: number | string; project: string }>`select id, created, project from changes`.execute(
            store.db,
          )
        ).rows.map((r) => ({ id: Number(r.id), created: Number(r.created), project: r.project }));
        const times = rows.map((r) => r.created).sort((a, b) => a - b);
        const [from, until] = [times[Math.floor(times.length / 5)]!, times[Math.floor((times.length * 4) / 5)]!];
        const cohort = rows.filter((r) => r.created >= from && r.created < until);
        const extent = await cohortExtent(store.db, store.engine, { projects: [], from, until });
        assert.deepEqual(extent, {
          count: cohort.length,
          lowId: Math.min(...cohort.map((r) => r.id)),
          highId: Math.max(...cohort.map((r) => r.id)),
        });
        const project = rows[0]!.project;
        const some = rows.filter((_, i) => i % 3 === 0).map((r) => r.id);
        assert.deepEqual(
          await changesCreatedIn(store.db, store.engine, some, { projects: [project], from, until }),
          rows
            .filter((r, i) => i % 3 === 0 && r.project === project && r.created >= from && r.created < until)
            .map((r) => r.id)
            .sort((a, b) => a - b),
        );
        // Marks: creation times of the period, first and last included, and a window of at least the
        // span holds one exactly when it holds a creation (windows over the whole period, gaps included).
        for (const span of [DAY, 30 * DAY]) {
          const marks = await creationMarks(store.db, store.engine, { projects: [], from: times[0]!, until: times.at(-1)! + 1, span });
          assert.ok(marks.every((t) => times.includes(t)));
          assert.equal(marks[0], times[0]);
          assert.equal(marks.at(-1), times.at(-1));
          const holds = (xs: readonly number[], a: number, b: number) => xs.some((t) => t >= a && t < b);
          for (let a = times[0]! - span; a < times.at(-1)! + span; a += span / 3)
            for (const len of [span, span + 5 * DAY])
              assert.equal(holds(marks, a, a + len), holds(times, a, a + len), `span ${span / DAY} d, window from ${a} for ${len / DAY} d`);
          assert.ok(marks.length < times.length, `${marks.length} marks for ${times.length} creations`);
        }
      } finally {
        await store.close();
      }
    });
  });
}
