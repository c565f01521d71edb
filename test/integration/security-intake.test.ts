/**
 * Intake from Launchpad (docs/security.md, "Intake from Launchpad"), on both engines: the bug
 * sync's stored bugs of type Private Security and Embargoed become `received` items linked to their
 * bug, texts sealed, once each (a second run creates nothing), audited as whoever ran it; other
 * information types are left alone, and only the team (or the system) may run it.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { emptyConfig } from '../../src/config/config-schema.js';
import type { Bug, BugTask } from '../../src/model/bugs.js';
import { StewardError } from '../../src/model/errors.js';
import type { AuthUser } from '../../src/service/authorize.js';
import {
  addSecurityMember,
  intakeSecurityBugs,
  listSecurityItems,
  showSecurityItem,
  type SecurityDeps,
} from '../../src/service/security-service.js';
import type { Store } from '../../src/store/engine.js';
import { writeLaunchpadRecords } from '../../src/store/queries/bugs.js';
import { secretBox } from '../../src/store/secret-box.js';
import { findUserByName, listAudit } from '../../src/store/users-store.js';
import { makeBug, makeBugTask } from '../helpers/bug-builders.js';
import { ENGINES, withStore } from '../helpers/stores.js';
import { addUser } from '../helpers/web-auth.js';

const T0 = Date.UTC(2026, 5, 1, 9);
const SECRET = 'Hypervisor escape through virtio-snd zebra-44';

async function user(store: Store, name: string, role = 'viewer'): Promise<AuthUser> {
  await addUser(store, name, role, `${name}-password-long-1`, T0);
  const u = (await findUserByName(store.db, name))!;
  return { id: u.id, name: u.name, role: u.role };
}

async function storeBugs(store: Store, bugs: Bug[], tasks: BugTask[]): Promise<void> {
  await store.db.transaction().execute((trx) => writeLaunchpadRecords(trx, { bugs, tasks, blueprints: [] }));
}

for (const engine of ENGINES) {
  describe(`security intake from Launchpad (${engine.name})`, { skip: engine.skip }, () => {
    it('one received item per embargoed bug not yet tracked, linked and sealed; idempotent; audited; team or system only', async () => {
      await withStore(engine.name, async (store) => {
        const now = T0;
        const d: SecurityDeps = { store, box: secretBox(randomBytes(32)), clock: () => now, rules: emptyConfig().security, ip: null };
        const ada = await user(store, 'ada', 'admin');
        const sam = await user(store, 'sam');
        const out = await user(store, 'out', 'lead');
        await addSecurityMember(d, ada, 'sam');
        const types: Array<[number, Bug['informationType']]> = [
          [101, 'Private Security'],
          [102, 'Embargoed'],
          [103, 'Public Security'],
          [104, 'Public'],
          [105, 'Private'],
        ];
        await storeBugs(
          store,
          types.map(([id, informationType]) =>
            makeBug({ id, informationType, title: id === 101 ? SECRET : `bug ${id}`, owner: 'lp-reporter' }),
          ),
          [
            ...types.map(([id]) => makeBugTask({ bug: id, project: 'nova' })),
            makeBugTask({ bug: 102, project: 'cinder' }),
            makeBugTask({ bug: 101, project: 'nova', series: 'zed' }),
          ],
        );

        // Nobody but the team (or the system) takes bugs in.
        for (const who of [ada, out])
          await assert.rejects(intakeSecurityBugs(d, who), (e: unknown) => e instanceof StewardError && e.code === 'SECURITY_FORBIDDEN');

        const first = await intakeSecurityBugs(d, null);
        assert.deepEqual([first.bugs, first.created.map((c) => c.bug), first.alreadyTracked], [2, [101, 102], 0]);
        const items = (await listSecurityItems(d, sam)).items;
        assert.deepEqual(
          items.map((i) => [i.state, i.title, i.project, i.received]).sort(),
          [
            ['received', 'bug 102', 'cinder', new Date(makeBug({ id: 102 }).createdAt).toISOString()],
            ['received', SECRET, 'nova', new Date(makeBug({ id: 101 }).createdAt).toISOString()],
          ].sort(),
        );
        const id101 = first.created.find((c) => c.bug === 101)!.id;
        const shown = await showSecurityItem(d, sam, id101);
        assert.equal(shown.item.text.launchpadBug, 101);
        assert.match(
          shown.item.text.description,
          /^Launchpad bug 101 \(Private Security\), reported by lp-reporter on 2026-01-\d\d: https:\/\/bugs\.launchpad\.net\/bugs\/101$/,
        );
        assert.deepEqual(
          shown.transitions.map((t) => [t.actor, t.to, t.note]),
          [['launchpad intake', 'received', 'taken in from Launchpad bug 101 (Private Security)']],
        );
        // Sealed at rest: the item's row does not hold the title.
        const row = await store.db.selectFrom('security_items').selectAll().where('id', '=', id101).executeTakeFirstOrThrow();
        assert.ok(!JSON.stringify(row).includes('zebra-44'));

        // Idempotent: nothing new the second time; a new bug is taken in by a team member, in their name.
        const again = await intakeSecurityBugs(d, sam);
        assert.deepEqual([again.created.length, again.alreadyTracked], [0, 2]);
        await storeBugs(store, [makeBug({ id: 106, informationType: 'Private Security' })], [makeBugTask({ bug: 106 })]);
        const third = await intakeSecurityBugs(d, sam);
        assert.deepEqual(
          third.created.map((c) => c.bug),
          [106],
        );
        assert.equal((await showSecurityItem(d, sam, third.created[0]!.id)).transitions[0]!.actor, 'sam');
        assert.equal((await listSecurityItems(d, sam)).items.length, 3);

        // Audited: each item, and each run, by who ran it; no bug text in the log.
        const log = (await listAudit(store.db, { limit: 100, event: 'security.item' })).filter((e) =>
          e.event.startsWith('security.item.intake'),
        );
        assert.deepEqual(log.map((e) => [e.event, e.actor]).reverse(), [
          ['security.item.intake', 'launchpad intake'],
          ['security.item.intake', 'launchpad intake'],
          ['security.item.intake-run', 'launchpad intake'],
          ['security.item.intake-run', 'sam'],
          ['security.item.intake', 'sam'],
          ['security.item.intake-run', 'sam'],
        ]);
        assert.ok(!JSON.stringify(log).includes('zebra-44'));
      });
    });
  });
}
