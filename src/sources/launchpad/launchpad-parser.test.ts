import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { StewardError } from '../../model/errors.js';
import { parseCollectionPage, parseEntries, parseSeriesNames, type ParseContext } from './launchpad-parser.js';

const read = (name: string): unknown => JSON.parse(readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8'));
const ctx: ParseContext = { where: 'page.json', code: 'INPUT_FORMAT' };

function fails(fn: () => unknown, field: string | undefined, text: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof StewardError);
    assert.equal(e.code, 'INPUT_FORMAT');
    assert.equal(e.details.where, 'page.json');
    assert.equal(e.details.field, field);
    assert.match(e.message, text);
    return true;
  });
}

describe('Launchpad parser on recorded-shape payloads', () => {
  it('reads a searchTasks page: project and series tasks, every date, people, milestone', () => {
    const page = parseCollectionPage(read('search-tasks-page.json'), ctx);
    assert.equal(page.totalSize, 2);
    assert.match(page.nextLink ?? '', /ws\.start=2$/);
    const { tasks, bugs, blueprints } = parseEntries(page.entries, ctx);
    assert.equal(bugs.length + blueprints.length, 0);
    assert.deepEqual(tasks[0], {
      selfLink: 'https://api.launchpad.net/devel/nova/+bug/1917645',
      bug: 1917645,
      project: 'nova',
      series: null,
      status: 'In Progress',
      importance: 'High',
      assignee: 'dev-two',
      milestone: 'wallaby-rc1',
      title: 'Instance stuck in "deleting" after a compute restart',
      dates: {
        created: Date.UTC(2021, 2, 2, 17, 44, 19, 530),
        assigned: Date.UTC(2021, 2, 4, 10, 15, 2, 441),
        confirmed: Date.UTC(2021, 2, 3, 8, 0, 0, 120),
        triaged: Date.UTC(2021, 2, 3, 8, 0, 0, 120),
        inProgress: Date.UTC(2021, 2, 4, 10, 15, 2, 441),
        fixCommitted: null,
        fixReleased: null,
        closed: null,
        leftNew: Date.UTC(2021, 2, 3, 8, 0, 0, 120),
        incomplete: null,
        leftClosed: null,
        deferred: null,
      },
    });
    assert.equal(tasks[1]!.series, 'wallaby');
    assert.equal(tasks[1]!.status, 'Fix Released');
    assert.equal(tasks[1]!.dates.fixCommitted, Date.UTC(2021, 2, 30, 12));
  });

  it('reads a single bug as a page of one', () => {
    const page = parseCollectionPage(read('bug.json'), ctx);
    const { bugs } = parseEntries(page.entries, ctx);
    assert.deepEqual(bugs, [
      {
        id: 1917645,
        title: 'Instance stuck in "deleting" after a compute restart',
        tags: ['api', 'compute'],
        informationType: 'Public',
        duplicateOf: null,
        heat: 14,
        messageCount: 5,
        owner: 'reporter-one',
        createdAt: Date.UTC(2021, 2, 2, 17, 44, 19, 530),
        lastUpdatedAt: Date.UTC(2021, 3, 1, 12, 0, 3, 17),
        lastMessageAt: Date.UTC(2021, 2, 30, 12, 0, 0, 500),
      },
    ]);
  });

  it('reads a specifications page', () => {
    const { blueprints } = parseEntries(parseCollectionPage(read('specifications-page.json'), ctx).entries, ctx);
    assert.equal(blueprints.length, 1);
    assert.deepEqual(
      { ...blueprints[0], selfLink: undefined },
      {
        selfLink: undefined,
        project: 'nova',
        name: 'libvirt-virtiofs-attach-manila-shares',
        title: 'Attach Manila shares via virtiofs',
        definitionStatus: 'Approved',
        implementationStatus: 'Needs Code Review',
        lifecycleStatus: 'Started',
        priority: 'Medium',
        seriesGoal: '2023.2',
        seriesGoalAccepted: true,
        milestone: '2023.2-bobcat-3',
        assignee: 'dev-three',
        createdAt: Date.UTC(2021, 9, 12, 14, 2, 10, 103),
        startedAt: Date.UTC(2022, 0, 10, 9),
        completedAt: null,
      },
    );
  });

  it('reads whether the series goal is accepted (has_accepted_goal): proposed and not accepted is false; a page that does not say gives null', () => {
    const spec = (read('specifications-page.json') as { entries: Array<Record<string, unknown>> }).entries[0]!;
    const one = (e: Record<string, unknown>) => parseEntries([e], ctx).blueprints[0]!;
    assert.equal(one({ ...spec, has_accepted_goal: false }).seriesGoalAccepted, false);
    assert.equal(one({ ...spec, has_accepted_goal: false }).seriesGoal, '2023.2', 'a proposed goal is still the goal');
    assert.equal(one({ ...spec, has_accepted_goal: undefined }).seriesGoalAccepted, null);
    fails(() => parseEntries([{ ...spec, has_accepted_goal: 'yes' }], ctx), 'entries[0].has_accepted_goal', /expected true or false/);
  });

  it("reads a project's series list, refusing entries of another kind", () => {
    const entry = (name: string) => ({
      self_link: `https://api.launchpad.net/devel/nova/${name}`,
      resource_type_link: 'https://api.launchpad.net/devel/#project_series',
      name,
    });
    assert.deepEqual(parseSeriesNames([entry('2023.1'), entry('2023.2')], ctx), ['2023.1', '2023.2']);
    const spec = (read('specifications-page.json') as { entries: unknown[] }).entries[0];
    fails(
      () => parseSeriesNames([entry('2023.1'), spec], ctx),
      'entries[1].resource_type_link',
      /expected a project_series entry, got "specification"/,
    );
    fails(() => parseSeriesNames([{ ...entry('x'), name: 3 }], ctx), 'entries[0].name', /expected text/);
  });

  it('refuses what Launchpad never sends, naming the entry and field', () => {
    const page = read('search-tasks-page.json') as { entries: Array<Record<string, unknown>> };
    const bug = read('bug.json') as Record<string, unknown>;
    fails(() => parseCollectionPage([], ctx), undefined, /expected a Launchpad collection .* got an array of 0/);
    fails(() => parseCollectionPage({ total_size: 3 }, ctx), undefined, /got an object with keys total_size/);
    fails(() => parseCollectionPage({ entries: {} }, ctx), 'entries', /expected an array of entries/);
    fails(() => parseEntries([{ ...page.entries[0], self_link: undefined }], ctx), 'entries[0].self_link', /no self link/);
    fails(
      () => parseEntries([page.entries[0], { ...page.entries[1], status: 'Done' }], ctx),
      'entries[1].status',
      /unknown status "Done" on .*wallaby\/\+bug\/1917645/,
    );
    fails(() => parseEntries([{ ...page.entries[0], importance: 'P1' }], ctx), 'entries[0].importance', /unknown importance "P1"/);
    fails(() => parseEntries([{ ...page.entries[0], date_created: 'yesterday' }], ctx), 'entries[0].date_created', /ISO 8601/);
    fails(() => parseEntries([{ ...page.entries[0], bug_link: 'https://x/bugs/abc' }], ctx), 'entries[0].bug_link', /expected a bug link/);
    fails(
      () => parseEntries([{ ...bug, duplicate_of_link: 'https://api.launchpad.net/devel/bugs/1917645' }], ctx),
      'entries[0].duplicate_of_link',
      /duplicate of itself/,
    );
    fails(
      () => parseEntries([{ ...bug, information_type: 'Secret' }], ctx),
      'entries[0].information_type',
      /unknown information type "Secret"/,
    );
    fails(
      () => parseEntries([{ ...bug, resource_type_link: 'https://api.launchpad.net/devel/#person' }], ctx),
      'entries[0].resource_type_link',
      /got "person"/,
    );
  });
});
