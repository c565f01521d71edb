/**
 * `steward security …` end to end on a SQLite store: a key file (0600 required), a report read
 * from a file, the process step by step with --as, bad input refused with the catalogue's codes,
 * `security audit` for the team only while `steward audit` keeps working, and rotate-key.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ERROR_CODES } from '../../src/model/errors.js';
import { runSteward } from '../helpers/cli.js';

const T0 = Date.UTC(2026, 10, 1, 9);
const DAY = 86_400_000;

describe('steward security (CLI)', () => {
  let dir: string;
  let env: Record<string, string>;
  const run = (args: string[], now = T0, extra: Record<string, string> = {}) =>
    runSteward([...args, '--db', join(dir, 'steward.db')], { cwd: dir, now, env: { ...env, ...extra } });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'steward-security-'));
    const k = await runSteward(['security', 'new-key', '--out', join(dir, 'key')], { cwd: dir });
    assert.equal(k.code, 0, k.stderr);
    env = { STEWARD_SECURITY_KEY_FILE: join(dir, 'key'), STEWARD_USER_PASSWORD: 'correct horse battery staple' };
    for (const [n, role] of [
      ['ada', 'admin'],
      ['sam', 'viewer'],
      ['rex', 'viewer'],
      ['out', 'lead'],
    ])
      assert.equal((await run(['user', 'add', n!, '--role', role!])).code, 0);
    assert.equal((await run(['security', 'team', 'add', 'sam', '--as', 'ada'])).code, 0);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reports, triages and refuses what the process forbids', async () => {
    writeFileSync(join(dir, 'report.txt'), 'Token leak in logs\nThe admin token appears in debug logs.\n');
    const r = await run([
      'security',
      'report',
      '--as',
      'rex',
      '--project',
      'openstack/nova',
      '--file',
      join(dir, 'report.txt'),
      '--format',
      'json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const { id } = JSON.parse(r.stdout) as { id: string };

    const skip = await run(['security', 'transition', id, 'fix-in-progress', '--as', 'sam']);
    assert.equal(skip.code, ERROR_CODES.SECURITY_TRANSITION.exit);
    assert.match(skip.stderr, /skips triaged/);
    const badCvss = await run([
      'security',
      'transition',
      id,
      'triaged',
      '--as',
      'sam',
      '--verdict',
      'confirmed',
      '--cvss',
      'CVSS:3.1/AV:Q',
      '--branch',
      'master',
    ]);
    assert.equal(badCvss.code, ERROR_CODES.CVSS_INVALID.exit);
    const ok = await run(
      [
        'security',
        'transition',
        id,
        'triaged',
        '--as',
        'sam',
        '--verdict',
        'confirmed',
        '--cvss',
        'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N',
        '--branch',
        'master',
      ],
      T0 + DAY,
    );
    assert.equal(ok.code, 0, ok.stderr);

    const shown = await run(['security', 'show', id, '--as', 'sam', '--format', 'json'], T0 + DAY);
    const v = JSON.parse(shown.stdout) as { item: { cvssScore: number; state: string; text: { title: string } } };
    assert.deepEqual([v.item.state, v.item.cvssScore, v.item.text.title], ['triaged', 7.5, 'Token leak in logs']);

    // An outsider and a missing id: the same exit code and message.
    const other = await run(['security', 'show', id, '--as', 'out']);
    const missing = await run(['security', 'show', 'zzzzzzzzzz', '--as', 'out']);
    assert.equal(other.code, ERROR_CODES.NOT_FOUND.exit);
    assert.equal(other.stderr.replace(id, 'X'), missing.stderr.replace('zzzzzzzzzz', 'X'));
    assert.equal((await run(['security', 'list', '--as', 'out'])).stdout, 'No security items you may see.\n');

    // The tracker's audit: the team only; steward audit still lists everything.
    assert.equal((await run(['security', 'audit', '--as', 'out'])).code, ERROR_CODES.SECURITY_FORBIDDEN.exit);
    const sa = JSON.parse((await run(['security', 'audit', '--as', 'sam', '--format', 'json'])).stdout) as {
      events: Array<{ event: string }>;
    };
    assert.ok(sa.events.some((e) => e.event === 'security.item.transition'));
    assert.ok(sa.events.every((e) => e.event.startsWith('security.')));
    const all = await run(['audit', '--format', 'json']);
    assert.equal(all.code, 0);
    assert.ok((JSON.parse(all.stdout) as { events: Array<{ event: string }> }).events.some((e) => e.event === 'user.add'));

    const roster = await run(['security', 'roster', '--as', 'sam'], T0 + DAY);
    assert.equal(roster.code, 0, roster.stderr);
    assert.match(roster.stdout, /Security team: 1 of at most 6/);
  });

  it('the key: missing, unsafe, wrong; rotation', async () => {
    const none = await runSteward(['security', 'list', '--as', 'sam', '--db', join(dir, 'steward.db')], { cwd: dir, now: T0 });
    assert.equal(none.code, ERROR_CODES.SECURITY_KEY.exit);
    assert.match(none.stderr, /no security key is configured/);
    writeFileSync(join(dir, 'open-key'), 'ab'.repeat(32));
    chmodSync(join(dir, 'open-key'), 0o644);
    const unsafe = await run(['security', 'list', '--as', 'sam'], T0, { STEWARD_SECURITY_KEY_FILE: join(dir, 'open-key') });
    assert.equal(unsafe.code, ERROR_CODES.SECURITY_KEY.exit);
    assert.match(unsafe.stderr, /readable by others/);
    const wrong = await run(['security', 'list', '--as', 'sam'], T0, {
      STEWARD_SECURITY_KEY_FILE: '',
      STEWARD_SECURITY_KEY: 'cd'.repeat(32),
    });
    assert.equal(wrong.code, ERROR_CODES.SECURITY_KEY.exit);
    assert.match(wrong.stderr, /not the key this store is sealed with/);

    assert.equal((await runSteward(['security', 'new-key', '--out', join(dir, 'key2')], { cwd: dir })).code, 0);
    const rot = await run(['security', 'rotate-key'], T0, { STEWARD_SECURITY_NEW_KEY_FILE: join(dir, 'key2') });
    assert.equal(rot.code, 0, rot.stderr);
    assert.match(rot.stdout, /Re-sealed \d+ texts/);
    const after2 = await run(['security', 'list', '--as', 'sam'], T0, { STEWARD_SECURITY_KEY_FILE: join(dir, 'key2') });
    assert.equal(after2.code, 0, after2.stderr);
    assert.match(after2.stdout, /Token leak in logs/);
    assert.equal((await run(['security', 'list', '--as', 'sam'])).code, ERROR_CODES.SECURITY_KEY.exit, 'the old key no longer opens it');
  });
});
