import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalLabel } from './labels.js';

describe('canonicalLabel', () => {
  it('maps the legacy category ids to label names', () => {
    assert.equal(canonicalLabel('CRVW'), 'Code-Review');
    assert.equal(canonicalLabel('VRIF'), 'Verified');
    assert.equal(canonicalLabel('APRV'), 'Approved');
  });

  it('keeps every other name as is, case included', () => {
    for (const name of ['Code-Review', 'Verified', 'Workflow', 'Backport-Candidate', 'crvw', 'SUBM']) {
      assert.equal(canonicalLabel(name), name);
    }
  });
});
