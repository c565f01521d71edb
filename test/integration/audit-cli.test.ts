/**
 * `steward audit`: the audit log read from the command line, newest first, with its filters.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSteward } from '../helpers/cli.js';
import { migratedStore } from '../helpers/demo-cache.js';
import { ENGINES } from '../helpers/stores.js';

const T0 = Date.UTC(2026, 10, 1, 9);
const MIN = 60_000;

for (const engine of ENGINES) {
  describe(`steward audit on ${engine.name}`, { skip: engine.skip }, () => {
    let dir: string;
    let db: { location: string; cleanup: () => Promise<void> };
    const run = (args: string[], now = T0 + 60 * MIN) =>
      runSteward([...args, '--db', db.location], { cwd: dir, now, env: { STEWARD_USER_PASSWORD: 'correct horse battery staple' } });

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'steward-audit-'));
      db = await migratedStore(engine.name);
      // Events one minute apart: add, add, role, disable, password.
      for (const [i, args] of [
        ['user', 'add', 'alice', '--role', 'admin'],
        ['user', 'add', 'bob', '--role', 'viewer'],
        ['user', 'set-role', 'bob', 'lead'],
        ['user', 'disable', 'bob'],
        ['user', 'password', 'alice'],
      ].entries()) {
        const r = await run(args, T0 + i * MIN);
        assert.equal(r.code, 0, r.stderr);
      }
    });
    after(async () => {
      await db.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    it('lists every event newest first, with who, what, about whom and the details', async () => {
      const r = await run(['audit', '--format', 'json']);
      assert.equal(r.code, 0, r.stderr);
      const { events } = JSON.parse(r.stdout);
      assert.deepEqual(
        events.map((e: { event: string; subject: string }) => `${e.event} ${e.subject}`),
        ['user.password alice', 'user.disable bob', 'user.role bob', 'user.add bob', 'user.add alice'],
      );
      assert.deepEqual(events[2], {
        id: events[2].id,
        at: new Date(T0 + 2 * MIN).toISOString(),
        event: 'user.role',
        actor: 'command line',
        subject: 'bob',
        ip: null,
        outcome: 'ok',
        detail: { from: 'viewer', to: 'lead' },
      });
      // No password anywhere in the log.
      assert.doesNotMatch(r.stdout, /horse/);
    });

    it('filters by event family, subject, time and limit', async () => {
      const names = async (args: string[]) =>
        JSON.parse((await run(['audit', '--format', 'json', ...args])).stdout).events.map((e: { event: string }) => e.event);
      assert.deepEqual(await names(['--event', 'user.add']), ['user.add', 'user.add']);
      assert.deepEqual(await names(['--event', 'user', '--subject', 'bob']), ['user.disable', 'user.role', 'user.add']);
      assert.deepEqual(await names(['--event', 'use']), [], 'a family is a whole name, not any prefix');
      assert.deepEqual(await names(['--since', new Date(T0 + 2 * MIN).toISOString(), '--until', new Date(T0 + 4 * MIN).toISOString()]), [
        'user.disable',
        'user.role',
      ]);
      assert.deepEqual(await names(['--limit', '2']), ['user.password', 'user.disable']);
      assert.deepEqual(await names(['--outcome', 'refused']), []);
    });

    it('prints text and CSV, and refuses bad options with a usage error', async () => {
      const text = await run(['audit', '--limit', '1']);
      assert.equal(text.code, 0, text.stderr);
      assert.match(text.stdout, /^2026-11-01 09:04:00 {2}user\.password +ok +command line +alice +-\n$/);
      const csv = await run(['audit', '--format', 'csv', '--limit', '1']);
      assert.equal(csv.stdout.split('\n')[0], 'id,at,event,actor,subject,ip,outcome,detail');
      for (const bad of [
        ['--event', "x' or 1=1"],
        ['--outcome', 'maybe'],
        ['--limit', '0'],
        ['--since', 'yesterday'],
      ]) {
        const r = await run(['audit', ...bad]);
        assert.notEqual(r.code, 0, bad.join(' '));
        assert.match(r.stderr, /--(event|outcome|limit|since)/);
      }
    });
  });
}
