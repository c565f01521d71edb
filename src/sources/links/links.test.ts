import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bugLine, bugMentions, extractLinks } from './links.js';

const msg = (...trailers: string[]): string =>
  `libvirt: Fix a leak in the driver\n\nLonger explanation here.\n\n${trailers.join('\n')}\n\nChange-Id: I0123456789abcdef0123456789abcdef01234567\n`;

describe('extractLinks: bugs', () => {
  it('reads the three bug trailers, with or without #', () => {
    assert.deepEqual(extractLinks(msg('Closes-Bug: #1234567', 'Partial-Bug: #2345678', 'Related-Bug: 3456789'), null), [
      { kind: 'closes-bug', target: '1234567' },
      { kind: 'partial-bug', target: '2345678' },
      { kind: 'related-bug', target: '3456789' },
    ]);
  });

  it('reads lists of bugs and case-insensitive keys', () => {
    assert.deepEqual(extractLinks(msg('Closes-Bug: 123, 456', 'closes-bug:#789', 'RELATED-BUG: #1 #2'), null), [
      { kind: 'closes-bug', target: '123' },
      { kind: 'closes-bug', target: '456' },
      { kind: 'closes-bug', target: '789' },
      { kind: 'related-bug', target: '1' },
      { kind: 'related-bug', target: '2' },
    ]);
  });

  it("reads Nova's older variants", () => {
    const found = extractLinks(
      msg(
        'Fixes bug 1000001.',
        'Fixes: bug #1000002',
        'Fixes LP Bug #1000003',
        '* fixes bug 1000004',
        'Partially fixes bug 1000005',
        'Resolves-bug: #1000006',
        'Closes-Bug: https://bugs.launchpad.net/nova/+bug/1000007',
      ),
      null,
    );
    assert.deepEqual(found, [
      { kind: 'closes-bug', target: '1000001' },
      { kind: 'closes-bug', target: '1000002' },
      { kind: 'closes-bug', target: '1000003' },
      { kind: 'closes-bug', target: '1000004' },
      { kind: 'partial-bug', target: '1000005' },
      { kind: 'closes-bug', target: '1000006' },
      { kind: 'closes-bug', target: '1000007' },
    ]);
  });

  it('stops reading numbers at the first other word and ignores prose', () => {
    assert.deepEqual(extractLinks('Fix bug 123 where 2 hosts race\n\nAdd regression test for bug 555\nThe bug 777 is related.', null), [
      { kind: 'closes-bug', target: '123' },
    ]);
    assert.deepEqual(extractLinks(msg('Closes-Bug: none'), null), []);
  });
});

describe("extractLinks: the older forms of nova's history (issue 15)", () => {
  it('reads Launchpad short forms, bare bug lines and more prose keys', () => {
    const found = extractLinks(
      msg(
        'Fixes LP #1000001',
        'Fixes LP: #1000002',
        'Fixes LP# 1000003',
        'fix bug lp:1000004',
        'Fixes bug lp1000005',
        'Fix for bug 1000006',
        'This fixes bug #1000007.',
        'Fixed bug: 1000008',
        'Close-Bug: #1000009',
        'Closed-Bug: 1000010',
        'Part of bug 1000011',
        'Partial fix for LP Bug #1000012.',
        'bug 1000013',
        'LP: #1000014',
        'Bug #1000015',
      ),
      null,
    );
    assert.deepEqual(found, [
      ...['1000001', '1000002', '1000003', '1000004', '1000005', '1000006', '1000007', '1000008', '1000009', '1000010'].map((target) => ({
        kind: 'closes-bug',
        target,
      })),
      { kind: 'partial-bug', target: '1000011' },
      { kind: 'partial-bug', target: '1000012' },
      ...['1000013', '1000014', '1000015'].map((target) => ({ kind: 'closes-bug', target })),
    ]);
  });

  it('does not take a wrapped sentence, a mention or a reproducer for a link', () => {
    assert.deepEqual(
      extractLinks(
        'Fix the cache\n\nThe cache was stale, as described in\nbug #1905701.\nAdd regression test for bug 2062127\nSee LP #123456 for more.\nFixes lots of bugs',
        null,
      ),
      [],
    );
  });

  it('names the form of each mention', () => {
    assert.deepEqual(bugLine('Closes-Bug: #1'), [{ kind: 'closes-bug', target: '1', form: 'trailer' }]);
    assert.deepEqual(bugLine('Related-Bug: 2'), [{ kind: 'related-bug', target: '2', form: 'trailer' }]);
    assert.deepEqual(bugLine('Fixes bug 3'), [{ kind: 'closes-bug', target: '3', form: 'prose' }]);
    assert.deepEqual(bugLine('Fixes: bug #4'), [{ kind: 'closes-bug', target: '4', form: 'prose' }]);
    assert.deepEqual(bugLine('Fixes LP: #5'), [{ kind: 'closes-bug', target: '5', form: 'lp' }]);
    assert.deepEqual(bugLine('LP #6'), [{ kind: 'closes-bug', target: '6', form: 'lp' }]);
    assert.deepEqual(bugLine('bug 7'), [{ kind: 'closes-bug', target: '7', form: 'bare' }]);
    assert.equal(bugLine('The bug 8 is related.'), null);
    assert.deepEqual(
      bugMentions('x\n\n* Closes-Bug: #9\n- Partial-Bug: #10').map((m) => m.target),
      ['9', '10'],
    );
  });
});

describe('extractLinks: blueprints', () => {
  it('reads the implements trailers in their spellings and lower-cases names', () => {
    const found = extractLinks(
      msg(
        'Implements: blueprint Libvirt-VirtioFS',
        'Implements: bp mox-removal',
        'Implements: blueprint: api-ref-in-rst',
        'Implements blueprint centralize-config-options.',
        'Partially-Implements: blueprint generic-resource-pools',
        'Partially Implements: blueprint remove-mox-ocata',
        'Partially implements bp v2-api-policy',
        'Partial-Implements: blueprint goal-python3',
        'Part of bp:nova-api-policy',
        'Blueprint: standalone-line',
        'Implements blueprint bp/sriov-trusted-vfs',
      ),
      null,
    );
    assert.deepEqual(found, [
      { kind: 'implements', target: 'libvirt-virtiofs' },
      { kind: 'implements', target: 'mox-removal' },
      { kind: 'implements', target: 'api-ref-in-rst' },
      { kind: 'implements', target: 'centralize-config-options' },
      { kind: 'partially-implements', target: 'generic-resource-pools' },
      { kind: 'partially-implements', target: 'remove-mox-ocata' },
      { kind: 'partially-implements', target: 'v2-api-policy' },
      { kind: 'partially-implements', target: 'goal-python3' },
      { kind: 'partially-implements', target: 'nova-api-policy' },
      { kind: 'implements', target: 'standalone-line' },
      { kind: 'implements', target: 'sriov-trusted-vfs' },
    ]);
  });

  it('reads a Launchpad blueprint URL and skips mentions without a kind', () => {
    assert.deepEqual(extractLinks(msg('Implements: blueprint https://blueprints.launchpad.net/nova/+spec/Flavor-Extra'), null), [
      { kind: 'implements', target: 'flavor-extra' },
    ]);
    assert.deepEqual(extractLinks(msg('Related to blueprint some-work', 'blueprint names are lower case in Launchpad'), null), []);
  });
});

describe('extractLinks: topic, order and duplicates', () => {
  it('reads bp/ and bug/ topics', () => {
    assert.deepEqual(extractLinks('', 'bp/Libvirt-VirtioFS'), [{ kind: 'topic-blueprint', target: 'libvirt-virtiofs' }]);
    assert.deepEqual(extractLinks('', 'bug/1234567'), [{ kind: 'topic-bug', target: '1234567' }]);
    assert.deepEqual(extractLinks('', 'bug/1234567-backport'), [{ kind: 'topic-bug', target: '1234567' }]);
    assert.deepEqual(extractLinks('', 'bp-foo'), []);
    assert.deepEqual(extractLinks('', 'unified-limits'), []);
    assert.deepEqual(extractLinks('', 'bp/'), []);
  });

  it('deduplicates by kind and target, keeping the first appearance', () => {
    const found = extractLinks(
      msg('Closes-Bug: #1', 'Implements: blueprint foo', 'Closes-Bug: #1', 'Related-Bug: #1', 'Implements: bp FOO'),
      'bp/foo',
    );
    assert.deepEqual(found, [
      { kind: 'closes-bug', target: '1' },
      { kind: 'implements', target: 'foo' },
      { kind: 'related-bug', target: '1' },
      { kind: 'topic-blueprint', target: 'foo' },
    ]);
  });

  it('returns [] for empty or missing input', () => {
    assert.deepEqual(extractLinks('', null), []);
    assert.deepEqual(extractLinks(null, undefined), []);
  });
});

describe('extractLinks: a sentence inside a line that says this change fixes a bug', () => {
  const closes = (target: string) => ({ kind: 'closes-bug', target });
  it('reads the claim after a sentence end or with a subject', () => {
    for (const [line, links] of [
      ['Makes snapshots work in Tempest. Fixes bug #1046870', [closes('1046870')]],
      ['This patch also fixes bug 1415768', [closes('1415768')]],
      ['It fixes bug 1082275', [closes('1082275')]],
      ['to valid entries. Resolves bug 1080284.', [closes('1080284')]],
      ['described in this patch. Fixed bug 1047036.', [closes('1047036')]],
      ['path used). Incidentally fixes bug 1084766.', [closes('1084766')]],
      ['and fixes bug 1210529', [closes('1210529')]],
      ['This only partially fixes bug #1074901 as mapping', [{ kind: 'partial-bug', target: '1074901' }]],
    ] as const) {
      assert.deepEqual(extractLinks(`Subject\n\n${line}\n`, null), links, line);
      assert.deepEqual(
        bugMentions(line).map((m) => m.form),
        links.map(() => 'sentence'),
        line,
      );
    }
  });
  it('leaves plans, hopes and other changes alone', () => {
    for (const line of [
      'tried to fix bug #1563874 by using _detach_pci_device',
      'In order to fix Bug #1809095, it is required to update',
      'This also may happen to fix bug 1197091.',
      'Change I50cdd5bac0f201f3f378e42b36f2284a4e2603bf fixed bug 1405533 for',
      'which fixed bug  #1194032',
      'This should resolve bug 1078594.',
      'Prepares to fix bug 1004328',
      'The original fix was made to fix bug 1258169 where',
      'This fixes the bug where 2 hosts race.',
    ]) {
      assert.deepEqual(extractLinks(`Subject\n\n${line}\n`, null), [], line);
    }
  });
});
