import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { commitMessage, formatDuration, formatVote, unitTestPath } from './demo-story.js';
import type { ChangeSpec } from './demo-story.js';

describe('demo story formatting', () => {
  it('prints durations as Zuul does', () => {
    assert.equal(formatDuration(252), '4m 12s');
    assert.equal(formatDuration(4360), '1h 12m 40s');
    assert.equal(formatDuration(3600), '1h 00m 00s');
    assert.equal(formatDuration(45), '0m 45s');
  });

  it('prints votes as Gerrit does', () => {
    assert.equal(formatVote({ label: 'Code-Review', value: 2 }), 'Code-Review+2');
    assert.equal(formatVote({ label: 'Verified', value: -1 }), 'Verified-1');
    assert.equal(formatVote({ label: 'Code-Review', value: 0 }), '-Code-Review');
  });

  it('maps a source file to its unit test module', () => {
    assert.equal(unitTestPath('nova/virt/libvirt/driver.py'), 'nova/tests/unit/virt/libvirt/test_driver.py');
    assert.equal(unitTestPath('nova/api/openstack/compute/servers.py'), 'nova/tests/unit/api/openstack/compute/test_servers.py');
  });

  it('builds commit messages with trailers, Change-Id last and the cherry-pick line after it', () => {
    const spec = {
      subject: 'libvirt: Fix live migration with older compute services',
      body: 'The old code path is kept.',
      trailers: ['Closes-Bug: #2001234'],
      changeId: `I${'a'.repeat(40)}`,
      cherryPickOf: null,
    } as unknown as ChangeSpec;
    assert.equal(
      commitMessage(spec, 0),
      `libvirt: Fix live migration with older compute services\n\nThe old code path is kept.\n\nCloses-Bug: #2001234\nChange-Id: I${'a'.repeat(40)}\n`,
    );
    const backport = { ...spec, cherryPickOf: 'b'.repeat(40) } as ChangeSpec;
    assert.ok(commitMessage(backport, 0).endsWith(`Change-Id: I${'a'.repeat(40)}\n(cherry picked from commit ${'b'.repeat(40)})\n`));
    assert.notEqual(commitMessage(spec, 1), commitMessage(spec, 0));
    assert.ok(commitMessage({ ...spec, body: '', trailers: ['TrivialFix'] } as ChangeSpec, 0).includes('\n\nTrivialFix\nChange-Id: '));
  });
});
