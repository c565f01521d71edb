import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { homeProject, ownBlueprintUrl, parseRstSpec } from './rst-spec.js';
import { parseNameStatusLog, replaySpecHistory, type LogCommit } from './spec-history.js';
import { LayoutMatcher, OPENSTACK_LAYOUT, parseRedirects } from './spec-layout.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('spec layout (OpenStack default)', () => {
  const m = new LayoutMatcher(OPENSTACK_LAYOUT);
  it('classifies approved, implemented, flat, backlog and abandoned specs', () => {
    assert.deepEqual(m.classify('specs/kilo/approved/a.rst'), { place: 'approved', release: 'kilo' });
    assert.deepEqual(m.classify('specs/kilo/implemented/a.rst'), { place: 'implemented', release: 'kilo' });
    assert.deepEqual(m.classify('specs/juno/a.rst'), { place: 'approved', release: 'juno' });
    assert.deepEqual(m.classify('specs/2023.1/approved/a.rst'), { place: 'approved', release: '2023.1' });
    assert.deepEqual(m.classify('specs/backlog/approved/a.rst'), { place: 'backlog', release: null });
    assert.deepEqual(m.classify('specs/backlog/a.rst'), { place: 'backlog', release: null });
    assert.deepEqual(m.classify('specs/abandoned/a.rst'), { place: 'abandoned', release: null });
  });
  it('ignores indexes, templates and files outside the layout', () => {
    for (const p of [
      'specs/kilo/approved/index.rst',
      'specs/kilo-template.rst',
      'specs/kilo/approved/kilo-template.rst',
      'doc/source/index.rst',
      'specs/kilo/redirects',
      'README.rst',
    ])
      assert.equal(m.classify(p), null, p);
    assert.ok(m.isRedirects('specs/kilo/redirects'));
  });
  it('reads redirects relative to their file, URLs as moved out', () => {
    assert.deepEqual(
      parseRedirects(
        'specs/kilo/redirects',
        'approved/a.rst ../implemented/a.rst\n\n# c\nb.rst implemented/b.rst\napproved/x.rst https://docs.openstack.org/x.html\n',
      ),
      [
        { from: 'specs/kilo/approved/a.rst', to: 'specs/implemented/a.rst' },
        { from: 'specs/kilo/b.rst', to: 'specs/kilo/implemented/b.rst' },
        { from: 'specs/kilo/approved/x.rst', to: null },
      ],
    );
  });
  it('takes other layouts as globs', () => {
    const other = new LayoutMatcher({
      approved: ['design/{release}/accepted/**/*.md'],
      implemented: ['design/{release}/done/*.md'],
      backlog: [],
      abandoned: [],
      redirects: [],
      ignore: [],
    });
    assert.deepEqual(other.classify('design/v2/accepted/net/x.md'), { place: 'approved', release: 'v2' });
    assert.deepEqual(other.classify('design/v2/done/x.md'), { place: 'implemented', release: 'v2' });
    assert.equal(other.classify('design/v2/x.md'), null);
  });
});

describe('spec reStructuredText', () => {
  const licence = '..\n This work is licensed under a Creative Commons Attribution 3.0 Unported\n License.\n\n';
  it('reads the title after the licence comment, and the blueprint URL', () => {
    const r = parseRstSpec(
      enc(
        `${licence}==========================\nLibvirt: Virtio SCSI disks\n==========================\n\nhttps://blueprints.launchpad.net/nova/+spec/Libvirt-Virtio-SCSI\n\nProblem\n=======\n`,
      ),
    );
    assert.equal(r.title, 'Libvirt: Virtio SCSI disks');
    assert.deepEqual(r.blueprintUrls, [
      { url: 'https://blueprints.launchpad.net/nova/+spec/Libvirt-Virtio-SCSI', project: 'nova', name: 'libvirt-virtio-scsi', line: 9 },
    ]);
    assert.equal(r.invalid, null);
  });
  it('reads a blueprint URL wrapped across two lines whole, as nova-specs writes some', () => {
    const names = (text: string) => parseRstSpec(enc(text)).blueprintUrls.map((u) => u.name);
    // specs/kilo/implemented/add-all-in-list-operator-to-extra-spec-ops.rst: cut after a hyphen, in a literal and in a link.
    assert.deepEqual(
      names(
        '`https://blueprints.launchpad.net/nova/+spec/add-all-in-list-\noperator-to-extra-spec-ops`\n\n`link\n<https://blueprints.launchpad.net/nova/+spec/add-all-in-list-\noperator-to-extra-spec-ops>`_\n',
      ),
      ['add-all-in-list-operator-to-extra-spec-ops', 'add-all-in-list-operator-to-extra-spec-ops'],
    );
    // Cut after "+spec/", and before a hyphen (newton's migration-list and instance-action-list specs).
    assert.deepEqual(names('https://blueprints.launchpad.net/nova/+spec/\nadd-pagination-and-change-since-for-migration-list\n'), [
      'add-pagination-and-change-since-for-migration-list',
    ]);
    assert.deepEqual(names('https://blueprints.launchpad.net/nova/+spec/pagination-add-changes\n-since-for-instance-action-list\n'), [
      'pagination-add-changes-since-for-instance-action-list',
    ]);
    assert.equal(
      parseRstSpec(enc('https://blueprints.launchpad.net/nova/+spec/add-all-in-list-\noperator-to-extra-spec-ops\n')).blueprintUrls[0]!.url,
      'https://blueprints.launchpad.net/nova/+spec/add-all-in-list-operator-to-extra-spec-ops',
    );
    // A URL ending cleanly at the line end is not joined with the text after it, nor with a bullet.
    assert.deepEqual(names('https://blueprints.launchpad.net/nova/+spec/ec2-api\nGerrit topic: ec2-api\n'), ['ec2-api']);
    assert.deepEqual(
      names(
        '* https://blueprints.launchpad.net/nova/+spec/use-oslo-vmware\n- https://blueprints.launchpad.net/nova/+spec/vmware-spawn-refactor\n',
      ),
      ['use-oslo-vmware', 'vmware-spawn-refactor'],
    );
    assert.deepEqual(names('https://blueprints.launchpad.net/nova/+spec/\n\nnothing\n'), []);
    assert.deepEqual(names('https://blueprints.launchpad.net/nova/+spec//inject-nmi\n'), ['inject-nmi']);
  });
  it("takes the project's own blueprint URL, not another project's mentioned in passing", () => {
    const ironicFirst = parseRstSpec(
      enc(
        'Inject NMI\n==========\n\nhttps://blueprints.launchpad.net/ironic/+spec/enhance-power-interface\n\nhttps://blueprints.launchpad.net/nova/+spec/inject-nmi\n',
      ),
    );
    const ironicOnly = parseRstSpec(
      enc('Inject NMI\n==========\n\nSee https://blueprints.launchpad.net/ironic/+spec/enhance-power-interface\n'),
    );
    const own = parseRstSpec(enc('T\n=\n\nhttps://blueprints.launchpad.net/nova/+spec/own\n'));
    // nova: the project most specs' first URL names.
    const home = homeProject([ironicFirst, ironicOnly, own, own, own, null]);
    assert.equal(home, 'nova');
    assert.equal(ownBlueprintUrl(ironicFirst.blueprintUrls, home)!.name, 'inject-nmi');
    assert.equal(ownBlueprintUrl(ironicOnly.blueprintUrls, home), null); // the file name is used then
    assert.equal(homeProject([null, parseRstSpec(enc('no url\n'))]), null);
  });
  it('reads an underlined title without an overline', () => {
    assert.equal(parseRstSpec(enc('Title here\n----------\n\ntext\n')).title, 'Title here');
    // As docutils: an underline of any length that reaches the end of the text, even one character.
    assert.equal(parseRstSpec(enc('Z\n=\n\ntext\n')).title, 'Z');
    assert.equal(parseRstSpec(enc('AB\n==\n')).title, 'AB');
    assert.equal(parseRstSpec(enc('Too long for it\n===\n')).title, null);
  });
  it('reports no title', () => {
    const r = parseRstSpec(enc(`${licence}Just a paragraph.\n\nAnother one.\n`));
    assert.equal(r.title, null);
    assert.equal(r.invalid, null);
  });
  it('refuses a title whose overline and underline differ, and text that is not UTF-8', () => {
    assert.match(parseRstSpec(enc('=====\nTitle\n-----\n')).invalid!.reason, /overline and underline differ/);
    assert.equal(parseRstSpec(enc('=====\nTitle\n-----\n')).invalid!.line, 3);
    assert.match(parseRstSpec(new Uint8Array([0x54, 0xff, 0xfe, 0x0a])).invalid!.reason, /not UTF-8/);
  });
});

describe('spec history', () => {
  const m = new LayoutMatcher(OPENSTACK_LAYOUT);
  const c = (hash: string, day: number, ...changes: LogCommit['changes']): LogCommit => ({ hash, at: Date.UTC(2015, 0, day), changes });
  it('parses git log --name-status -z output', () => {
    const out =
      '\x1eaaa 1420070400 \0\nA\0specs/kilo/approved/a.rst\0R100\0specs/kilo/approved/b.rst\0specs/kilo/implemented/b.rst\0\x1ebbb 1420156800 aaa\0\nD\0x\0';
    assert.deepEqual(parseNameStatusLog(out), [
      {
        hash: 'aaa',
        at: 1420070400000,
        changes: [
          { status: 'A', path: 'specs/kilo/approved/a.rst' },
          { status: 'R', from: 'specs/kilo/approved/b.rst', path: 'specs/kilo/implemented/b.rst' },
        ],
      },
      { hash: 'bbb', at: 1420156800000, changes: [{ status: 'D', path: 'x' }] },
    ]);
  });
  it('dates approval, implementation, renames, moves to another release and removals', () => {
    const l = replaySpecHistory(
      [
        c(
          'c1',
          1,
          { status: 'A', path: 'specs/juno/a.rst' },
          { status: 'A', path: 'specs/juno/b.rst' },
          { status: 'A', path: 'specs/juno/c.rst' },
          { status: 'A', path: 'specs/kilo/approved/old.rst' },
        ),
        c(
          'c2',
          2,
          { status: 'R', from: 'specs/juno/a.rst', path: 'specs/juno/implemented/a.rst' },
          { status: 'R', from: 'specs/juno/b.rst', path: 'specs/juno/approved/b-new.rst' },
        ),
        c(
          'c3',
          3,
          { status: 'R', from: 'specs/juno/approved/b-new.rst', path: 'specs/kilo/approved/b-new.rst' },
          { status: 'D', path: 'specs/juno/c.rst' },
        ),
        c(
          'c4',
          4,
          { status: 'D', path: 'specs/kilo/approved/old.rst' },
          { status: 'A', path: 'specs/kilo/approved/new.rst' },
          { status: 'A', path: 'specs/kilo/implemented/direct.rst' },
        ),
      ],
      m,
      new Map([['specs/kilo/approved/old.rst', 'specs/kilo/approved/new.rst']]),
    );
    const by = (p: string) => l.find((x) => x.firstPath === p)!;
    assert.equal(by('specs/juno/a.rst').implementedAt, Date.UTC(2015, 0, 2));
    assert.equal(by('specs/juno/a.rst').renames.length, 0);
    const b = by('specs/juno/b.rst');
    assert.equal(b.path, 'specs/juno/approved/b-new.rst');
    assert.equal(b.renames.length, 1);
    assert.equal(b.removedAt, Date.UTC(2015, 0, 3));
    const bk = by('specs/kilo/approved/b-new.rst');
    assert.equal(bk.release, 'kilo');
    assert.equal(bk.approvedAt, Date.UTC(2015, 0, 3));
    assert.equal(bk.renames[0]!.from, 'specs/juno/approved/b-new.rst');
    assert.equal(by('specs/juno/c.rst').removedCommit, 'c3');
    assert.equal(by('specs/kilo/implemented/direct.rst').implementedAt, Date.UTC(2015, 0, 4));
    // The redirect pairs the deletion of old.rst with the addition of new.rst: new.rst is not a new spec.
    assert.equal(
      l.some((x) => x.firstPath === 'specs/kilo/approved/new.rst'),
      false,
    );
    const old = by('specs/kilo/approved/old.rst');
    assert.equal(old.path, 'specs/kilo/approved/new.rst');
    assert.equal(old.removedAt, null);
    assert.equal(old.renames[0]!.to, 'specs/kilo/approved/new.rst');
  });
});
