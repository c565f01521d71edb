/**
 * `steward user …`: accounts of the web dashboard, in-process. Passwords come from the environment or
 * the runtime's secret reader, never argv; they are hashed with the real parameters; nothing prints them.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../src/cli/main.js';
import { openStore } from '../../src/store/open-store.js';
import { findUserByName, listAudit } from '../../src/store/users-store.js';
import { verifyPassword } from '../../src/web/auth/password.js';
import { runSteward } from '../helpers/cli.js';

let dir: string;
before(() => void (dir = mkdtempSync(join(tmpdir(), 'steward-user-'))));
after(() => rmSync(dir, { recursive: true, force: true }));

const PW = 'a long enough password';

async function withReader(args: string[], answer: string) {
  let stdout = '';
  let stderr = '';
  const prompts: string[] = [];
  const code = await main(args, {
    cwd: dir,
    env: {},
    clock: () => Date.UTC(2026, 10, 1),
    isTty: false,
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    readSecret: async (prompt) => {
      prompts.push(prompt);
      return answer;
    },
  });
  return { code, stdout, stderr, prompts };
}

describe('steward user', () => {
  it('adds a user with the password from STEWARD_USER_PASSWORD, hashed with scrypt at the default parameters', async () => {
    const r = await runSteward(['user', 'add', 'Ann', '--role', 'admin'], { cwd: dir, env: { STEWARD_USER_PASSWORD: PW } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Added user ann with the admin role.\n');
    const store = await openStore(join(dir, 'steward.db'));
    try {
      const u = (await findUserByName(store.db, 'ann'))!;
      assert.match(u.passwordHash, /^\$scrypt\$v=1\$ln=16,r=8,p=2\$/);
      assert.ok(!u.passwordHash.includes(PW));
      assert.ok(await verifyPassword(PW, u.passwordHash));
      assert.ok(!(await verifyPassword(PW + 'x', u.passwordHash)));
    } finally {
      await store.close();
    }
  });

  it('reads the password from the secret reader (prompt or stdin) when the environment has none', async () => {
    const r = await withReader(['user', 'add', 'bob', '--role', 'viewer', '--format', 'json'], `${PW}\n`);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.prompts, ['Password for bob: ']);
    const out = JSON.parse(r.stdout);
    assert.equal(out.name, 'bob');
    assert.equal(out.role, 'viewer');
    assert.ok(!r.stdout.includes(PW) && !r.stderr.includes(PW));
  });

  it('refuses a short password, an unknown role, a taken name, a bad name, without printing the password', async () => {
    const short = await runSteward(['user', 'add', 'cy', '--role', 'lead'], { cwd: dir, env: { STEWARD_USER_PASSWORD: 'tiny-pw' } });
    assert.equal(short.code, 2);
    assert.match(short.stderr, /at least 12 characters/);
    assert.ok(!short.stderr.includes('tiny-pw'));
    const role = await runSteward(['user', 'add', 'cy', '--role', 'boss'], { cwd: dir, env: { STEWARD_USER_PASSWORD: PW } });
    assert.equal(role.code, 2);
    assert.match(role.stderr, /unknown role "boss"\n {2}Roles: viewer, lead, admin\./);
    const taken = await runSteward(['user', 'add', 'ANN', '--role', 'lead'], { cwd: dir, env: { STEWARD_USER_PASSWORD: PW } });
    assert.equal(taken.code, 2);
    assert.match(taken.stderr, /user "ann" already exists/);
    const bad = await runSteward(['user', 'add', 'a b', '--role', 'lead'], { cwd: dir, env: { STEWARD_USER_PASSWORD: PW } });
    assert.equal(bad.code, 2);
    const none = await runSteward(['user', 'add', 'dee', '--role', 'lead'], { cwd: dir });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no password given for dee/);
  });

  it('lists, changes roles, disables and enables, changes passwords; all audited', async () => {
    assert.equal((await runSteward(['user', 'set-role', 'bob', 'lead'], { cwd: dir })).stdout, 'bob: role viewer → lead.\n');
    assert.equal((await runSteward(['user', 'disable', 'bob'], { cwd: dir })).code, 0);
    const list = await runSteward(['user', 'list', '--format', 'json'], { cwd: dir });
    const users = JSON.parse(list.stdout).users;
    assert.deepEqual(
      users.map((u: { name: string; role: string; disabled: string | null }) => [u.name, u.role, u.disabled !== null]),
      [
        ['ann', 'admin', false],
        ['bob', 'lead', true],
      ],
    );
    assert.equal((await runSteward(['user', 'enable', 'bob'], { cwd: dir })).code, 0);
    const pw = await runSteward(['user', 'password', 'bob'], { cwd: dir, env: { STEWARD_USER_PASSWORD: 'another long password' } });
    assert.equal(pw.code, 0, pw.stderr);
    const missing = await runSteward(['user', 'set-role', 'zed', 'lead'], { cwd: dir });
    assert.equal(missing.code, 10);
    assert.match(missing.stderr, /no user "zed"/);
    const text = await runSteward(['user', 'list'], { cwd: dir });
    assert.match(text.stdout, /^name +role +created +sessions +status\nann +admin +2026-11-01 +0 +active\nbob +lead/);

    const store = await openStore(join(dir, 'steward.db'));
    try {
      const events = (await listAudit(store.db, { limit: 20 })).map((e) => `${e.event} ${e.subject}`).reverse();
      assert.deepEqual(events, [
        'user.add ann',
        'user.add bob',
        'user.role bob',
        'user.disable bob',
        'user.enable bob',
        'user.password bob',
      ]);
      assert.ok(await verifyPassword('another long password', (await findUserByName(store.db, 'bob'))!.passwordHash));
    } finally {
      await store.close();
    }
  });
});
