import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { blueprintRefs } from './blueprint-refs.js';

const names = (msg: string, topic: string | null = null) => blueprintRefs(msg, topic).map((r) => `${r.kind}:${r.name}`);

describe('blueprintRefs', () => {
  it('reads the trailers and topic, case-insensitively, one kind per name (the strongest)', () => {
    assert.deepEqual(names('Add X\n\nImplements: blueprint Foo-Bar\nPartially-Implements: bp baz\n', 'bp/Topic-BP'), [
      'implements:foo-bar',
      'partially-implements:baz',
      'topic:topic-bp',
    ]);
    assert.deepEqual(names('Add X\n\nSee blueprint foo.\nPartially-Implements: blueprint foo\n', 'bp/foo'), ['partially-implements:foo']);
  });

  it('reads mentions anywhere in the message: blueprint NAME, bp NAME, bp: NAME, bp/NAME, +spec/ URLs', () => {
    assert.deepEqual(
      names(
        'Prepare for blueprint one-thing, then bp two. Also (bp:three), topic bp/four and\nhttps://blueprints.launchpad.net/nova/+spec/Five-Six.',
      ),
      ['mention:one-thing', 'mention:two', 'mention:three', 'mention:four', 'mention:five-six'],
    );
  });

  it('reads a bare Implements trailer and Launchpad URLs in trailers', () => {
    assert.deepEqual(names('x\n\nImplements: qos-minimum-guaranteed-packet-rate\n'), ['implements:qos-minimum-guaranteed-packet-rate']);
    assert.deepEqual(names('x\n\nImplements: blueprint https://blueprints.launchpad.net/nova/+spec/flavor-extra\n'), [
      'implements:flavor-extra',
    ]);
  });

  it('takes whole names only, and no prose words', () => {
    assert.deepEqual(names('Implements: blueprint foo-bar-baz'), ['implements:foo-bar-baz']);
    assert.deepEqual(names('This blueprint is about the bp for that'), []);
    assert.deepEqual(names('nova/tests/bp/foo.py and foo-bp bar and bpfoo'), []);
    assert.deepEqual(names('blueprint foo-bar: done; bp foo'), ['mention:foo-bar', 'mention:foo']);
  });

  it('reads Related-Blueprint trailers as related work, above a mention of the same name and below Implements', () => {
    // The forms in nova's history.
    assert.deepEqual(names('x\n\nRelated-blueprint: migration-fix-resource-tracking\n'), ['related:migration-fix-resource-tracking']);
    assert.deepEqual(
      names('x\n\nRelated-Blueprint: blueprint image-metadata-prefiltering\nRelated-Blueprint: blueprint amd-sev-libvirt-support\n'),
      ['related:image-metadata-prefiltering', 'related:amd-sev-libvirt-support'],
    );
    assert.deepEqual(names('x\n\nRelated blueprint: foo\n* Related bp bar\n'), ['related:foo', 'related:bar']);
    assert.deepEqual(names('x\n\nSee blueprint foo.\nRelated-Blueprint: foo\n', 'bp/foo'), ['related:foo']);
    assert.deepEqual(names('x\n\nImplements: blueprint foo\nRelated-Blueprint: foo\n'), ['implements:foo']);
    // The prose "Related to blueprint NAME" is a mention: nova uses it for parts of the work.
    assert.deepEqual(names('x\n\nRelated to blueprint unpin-az\n'), ['mention:unpin-az']);
  });

  it('gives nothing for empty input', () => {
    assert.deepEqual(blueprintRefs('', null), []);
    assert.deepEqual(blueprintRefs(null, undefined), []);
  });
});
