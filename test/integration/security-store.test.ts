/**
 * The embargoed tracker's service over a real store, on both engines: the process end to end,
 * grants and revocation, the team's size rule, bad input refused with nothing stored, the key
 * (missing, wrong, rotated), and — taken during an embargo — a copy of the SQLite file and a
 * pg_dump of the PostgreSQL database that contain none of the protected text.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { emptyConfig } from '../../src/config/config-schema.js';
import { StewardError } from '../../src/model/errors.js';
import type { Store } from '../../src/store/engine.js';
import { secretBox } from '../../src/store/secret-box.js';
import { findUserByName, listAudit } from '../../src/store/users-store.js';
import {
  addSecurityMember,
  attachSecurityPatch,
  buildRosterFor,
  grantSecurityItem,
  listSecurityItems,
  removeSecurityMember,
  reportSecurityItem,
  revokeSecurityItem,
  reviewSecurityPatch,
  rotateKey,
  showSecurityItem,
  transitionSecurityItem,
  type SecurityDeps,
} from '../../src/service/security-service.js';
import type { AuthUser } from '../../src/service/authorize.js';
import { ENGINES, PG_ADMIN_URL, pgDatabaseName, withStore } from '../helpers/stores.js';
import { addUser } from '../helpers/web-auth.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 1, 9);
const SECRET_TITLE = 'Heap overflow in qcow2 parser zebra-17';
const SECRET_DESC = 'Crafted image reaches host memory via zebra-17 path';
const SECRET_PATCH = 'diff --git a/zebra-17.py b/zebra-17.py\n+    check_bounds(zebra)';

async function user(store: Store, name: string, role = 'viewer'): Promise<AuthUser> {
  await addUser(store, name, role, `${name}-password-long-1`, T0);
  const u = (await findUserByName(store.db, name))!;
  return { id: u.id, name: u.name, role: u.role };
}

const code = (c: string) => (e: unknown) => e instanceof StewardError && e.code === c;

for (const engine of ENGINES) {
  describe(`security tracker service (${engine.name})`, { skip: engine.skip }, () => {
    it('walks an item through the process; every step dated, attributed and audited; bad steps refused with nothing stored', async () => {
      await withStore(engine.name, async (store) => {
        let now = T0;
        const key = randomBytes(32);
        const d: SecurityDeps = { store, box: secretBox(key), clock: () => now, rules: emptyConfig().security, ip: '192.0.2.7' };
        const ada = await user(store, 'ada', 'admin');
        const sam = await user(store, 'sam');
        const rex = await user(store, 'rex');
        const fay = await user(store, 'fay');
        const out = await user(store, 'out', 'lead');
        await addSecurityMember(d, ada, 'sam');
        const id = await reportSecurityItem(d, rex, { title: SECRET_TITLE, description: SECRET_DESC, project: 'openstack/nova' });

        // The reporter sees it; an outsider and the admin (not on the team) do not: the same error as a missing item.
        assert.equal((await showSecurityItem(d, rex, id)).item.text.title, SECRET_TITLE);
        for (const who of [out, ada, fay]) {
          const forbidden = await showSecurityItem(d, who, id).catch((e: StewardError) => e);
          const missing = await showSecurityItem(d, who, 'nosuchitem').catch((e: StewardError) => e);
          assert.ok(forbidden instanceof StewardError && missing instanceof StewardError);
          assert.equal(forbidden.code, 'NOT_FOUND');
          assert.equal(forbidden.message.replace(id, 'X'), missing.message.replace('nosuchitem', 'X'));
          assert.deepEqual((await listSecurityItems(d, who)).items, []);
        }
        // A grantee reads but cannot move it.
        await assert.rejects(transitionSecurityItem(d, rex, id, { to: 'triaged' }), code('SECURITY_FORBIDDEN'));

        // Skipping, going backwards, an invalid vector: refused, the state unchanged.
        await assert.rejects(transitionSecurityItem(d, sam, id, { to: 'cve-assigned', cve: 'CVE-2026-0001' }), code('SECURITY_TRANSITION'));
        await assert.rejects(
          transitionSecurityItem(d, sam, id, { to: 'triaged', verdict: 'confirmed', cvssVector: 'CVSS:3.1/AV:N', branches: ['master'] }),
          code('CVSS_INVALID'),
        );
        assert.equal((await showSecurityItem(d, sam, id)).item.state, 'received');

        now += DAY;
        await transitionSecurityItem(d, sam, id, {
          to: 'triaged',
          verdict: 'confirmed',
          cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H',
          releases: ['2025.2'],
          branches: ['master', 'stable/2025.2'],
        });
        await assert.rejects(transitionSecurityItem(d, sam, id, { to: 'received' }), code('SECURITY_TRANSITION'));
        now += DAY;
        await transitionSecurityItem(d, sam, id, { to: 'fix-in-progress' });
        await assert.rejects(grantSecurityItem(d, sam, id, 'ghost', 'fix-author'), code('SECURITY_TRANSITION'));
        await grantSecurityItem(d, sam, id, 'fay', 'fix-author');
        const pid = await attachSecurityPatch(d, fay, id, 'master', SECRET_PATCH);
        await assert.rejects(attachSecurityPatch(d, fay, id, 'stable/1999', 'x'), code('SECURITY_TRANSITION'));
        await assert.rejects(reviewSecurityPatch(d, fay, id, pid, 1), code('SECURITY_FORBIDDEN'));
        await reviewSecurityPatch(d, sam, id, pid, 1);
        now += DAY;
        await transitionSecurityItem(d, sam, id, { to: 'cve-assigned', cve: 'CVE-2026-31337' });
        await assert.rejects(
          transitionSecurityItem(d, sam, id, { to: 'disclosure-date-agreed', disclosureDate: '2026-03-01' }),
          (e: unknown) => code('SECURITY_TRANSITION')(e) && /in the past/.test((e as Error).message),
        );
        await transitionSecurityItem(d, sam, id, { to: 'disclosure-date-agreed', disclosureDate: '2026-03-20' });

        // Taken during the embargo: the store holds none of the protected text.
        await assertNoPlainText(engine.name, store, [SECRET_TITLE, SECRET_DESC, 'zebra-17', 'CVE-2026-31337']);

        // Revocation: the fix author loses access at once.
        await revokeSecurityItem(d, sam, id, 'fay');
        await assert.rejects(showSecurityItem(d, fay, id), code('NOT_FOUND'));
        assert.deepEqual((await listSecurityItems(d, fay)).items, []);

        now += DAY;
        await transitionSecurityItem(d, sam, id, { to: 'pre-disclosure-sent', preDisclosureList: ['distros@example.org'] });
        now += DAY;
        await transitionSecurityItem(d, sam, id, {
          to: 'disclosed',
          advisory: 'OSSA-2026-004',
          publicChanges: ['https://review.example.org/c/1'],
        });
        now += DAY;
        await transitionSecurityItem(d, sam, id, { to: 'closed' });
        const v = await showSecurityItem(d, sam, id);
        assert.deepEqual(
          v.transitions.map((t) => [t.to, t.actor]),
          [
            ['received', 'rex'],
            ['triaged', 'sam'],
            ['fix-in-progress', 'sam'],
            ['cve-assigned', 'sam'],
            ['disclosure-date-agreed', 'sam'],
            ['pre-disclosure-sent', 'sam'],
            ['disclosed', 'sam'],
            ['closed', 'sam'],
          ],
        );
        assert.equal(v.item.cvssScore, 9.9);
        assert.equal(v.item.text.cve, 'CVE-2026-31337');
        assert.deepEqual(v.item.text.preDisclosureList, ['distros@example.org']);
        assert.equal(v.patches[0]!.content, SECRET_PATCH);
        assert.deepEqual(
          v.grants!.map((g) => [g.user, g.kind, g.revoked !== null]),
          [
            ['rex', 'reporter', false],
            ['fay', 'fix-author', true],
          ],
        );

        const events = await listAudit(store.db, { limit: 200, event: 'security' });
        assert.ok(events.some((e) => e.event === 'security.item.read' && e.actor === 'rex' && e.ip === '192.0.2.7'));
        assert.equal(events.filter((e) => e.event === 'security.item.transition').length, 7);
        assert.ok(events.some((e) => e.event === 'security.item.revoke' && e.detail?.['user'] === 'fay'));
        for (const e of events) assert.ok(!JSON.stringify(e).includes('zebra'), 'no protected text in the audit log');

        // The roster counts sam's steps and review.
        const roster = await buildRosterFor(d, sam);
        const s = roster.members.find((m) => m.name === 'sam')!;
        assert.equal(s.windows[0].triage, 1);
        assert.equal(s.windows[0].steps, 7);
        assert.equal(s.windows[0].reviews, 1);
        assert.equal(roster.reports[0]!.firstResponseDays, 1);
        assert.equal(roster.reports[0]!.disclosureDays, 5);
        assert.equal(roster.reports[0]!.fixDays, 2);
        await assert.rejects(buildRosterFor(d, ada), code('SECURITY_FORBIDDEN'));
      });
    });

    it('the team: the maximum size, self-addition audited and shown, removal ends access at once', async () => {
      await withStore(engine.name, async (store) => {
        const now = T0;
        const d: SecurityDeps = {
          store,
          box: secretBox(randomBytes(32)),
          clock: () => now,
          rules: { ...emptyConfig().security, teamMax: 2 },
          ip: null,
        };
        const ada = await user(store, 'ada', 'admin');
        await user(store, 'bo');
        await user(store, 'cy');
        await assert.rejects(addSecurityMember(d, { ...ada, role: 'lead' }, 'bo'), code('SECURITY_FORBIDDEN'));
        await addSecurityMember(d, ada, 'ada');
        await addSecurityMember(d, ada, 'bo');
        await assert.rejects(addSecurityMember(d, ada, 'cy'), code('SECURITY_TEAM_FULL'));
        const id = await reportSecurityItem(d, ada, { title: 't', description: 'd', project: 'p' });
        const bo = { id: (await findUserByName(store.db, 'bo'))!.id, name: 'bo', role: 'viewer' };
        assert.equal((await listSecurityItems(d, bo)).items.length, 1);
        const roster = await buildRosterFor(d, bo);
        assert.deepEqual(roster.teamChanges.map((c) => [c.member, c.self]).sort(), [
          ['ada', true],
          ['bo', false],
        ]);
        await removeSecurityMember(d, ada, 'bo');
        await assert.rejects(showSecurityItem(d, bo, id), code('NOT_FOUND'));
      });
    });

    it('the key: none, a wrong one and rotation; never plain text', async () => {
      await withStore(engine.name, async (store) => {
        const k1 = secretBox(randomBytes(32));
        const base = { store, clock: () => T0, rules: emptyConfig().security, ip: null };
        const ada = await user(store, 'ada', 'admin');
        await addSecurityMember({ ...base, box: null }, ada, 'ada');
        await assert.rejects(
          reportSecurityItem({ ...base, box: null }, ada, { title: 't', description: 'd', project: 'p' }),
          code('SECURITY_KEY'),
        );
        assert.equal((await store.db.selectFrom('security_items').select('id').execute()).length, 0, 'nothing stored without a key');
        const id = await reportSecurityItem({ ...base, box: k1 }, ada, { title: SECRET_TITLE, description: 'd', project: 'p' });
        const wrong = secretBox(randomBytes(32));
        await assert.rejects(showSecurityItem({ ...base, box: wrong }, ada, id), code('SECURITY_KEY'));
        await assert.rejects(
          reportSecurityItem({ ...base, box: wrong }, ada, { title: 'x', description: 'd', project: 'p' }),
          code('SECURITY_KEY'),
        );
        const k2 = secretBox(randomBytes(32));
        assert.equal(await rotateKey({ ...base, box: k1 }, k2), 2);
        assert.equal((await showSecurityItem({ ...base, box: k2 }, ada, id)).item.text.title, SECRET_TITLE);
        await assert.rejects(showSecurityItem({ ...base, box: k1 }, ada, id), code('SECURITY_KEY'));
      });
    });
  });
}

/** Greps a copy of the store (SQLite: the file and its WAL; PostgreSQL: pg_dump) for each text. */
async function assertNoPlainText(engine: string, store: Store, texts: string[]): Promise<void> {
  let dump: Buffer;
  if (engine === 'sqlite') {
    const file = store.location;
    dump = Buffer.concat([
      readFileSync(file),
      ...['-wal'].flatMap((s) => {
        try {
          return [readFileSync(file + s)];
        } catch {
          return [];
        }
      }),
    ]);
  } else {
    const u = new URL(PG_ADMIN_URL!);
    const host = u.searchParams.get('host') ?? u.hostname;
    dump = execFileSync('pg_dump', ['-h', host, '-U', decodeURIComponent(u.username || 'root'), pgDatabaseName(store.location)], {
      maxBuffer: 1 << 28,
    });
    assert.ok(dump.includes(Buffer.from('security_items')), 'the dump holds the tracker');
  }
  assert.ok(dump.length > 0);
  for (const t of texts) assert.equal(dump.includes(Buffer.from(t)), false, `"${t}" appears in the ${engine} store`);
}
