import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadLaunchpadToken } from './launchpad-credentials.js';

describe('Launchpad credentials file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'steward-lp-cred-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'launchpad.conf');
  writeFileSync(file, 'consumer_key = steward\naccess_token = tok\naccess_secret = s3cret\n');

  it('reads a 0600 file as launchpadlib writes it, and names the file, not the secret, as the source', () => {
    chmodSync(file, 0o600);
    const got = loadLaunchpadToken(file, {});
    assert.deepEqual(got, { token: { consumerKey: 'steward', token: 'tok', tokenSecret: 's3cret' }, source: file });
  });

  it('refuses a file others may read (SOURCE_AUTH, the chmod that fixes it), never showing its content', () => {
    chmodSync(file, 0o644);
    assert.throws(
      () => loadLaunchpadToken(undefined, { STEWARD_LAUNCHPAD_CREDENTIALS: file }),
      (e: Error & { code?: string; details?: { where?: string; hint?: string } }) =>
        e.code === 'SOURCE_AUTH' &&
        /the Launchpad credentials file is readable by others \(mode 0644\)/.test(e.message) &&
        e.details?.where === file &&
        e.details.hint === `Run: chmod 600 ${file}` &&
        !e.message.includes('s3cret'),
    );
  });

  it('says when the file is missing', () => {
    assert.throws(() => loadLaunchpadToken(join(dir, 'none.conf'), {}), /cannot read the Launchpad credentials file: no such file/);
  });
});
