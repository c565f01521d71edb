/**
 * Intake from Launchpad (docs/security.md, "Intake from Launchpad"), on both engines: the bug
 * sync's stored bugs of type Private Security and Embargoed become `received` items linked to their
 * bug, texts sealed, once each (a second run creates nothing), audited as whoever ran it; other
 * information types are left alone, and only the team (or the system) may run it. A bug's reporter
 * is granted its item only when steward.yaml maps their Launchpad name to an active Steward user;
 * otherwise the item's history says why nobody was.
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
import { findUserByName, listAudit, setUserDisabled } from '../../src/store/users-store.js';
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
            makeBug({ id, informationType, title: id === 101 ? SECRET : `bug ${id}`, owner: id === 101 ? 'lp-reporter' : 'lp-stranger' }),
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

        // Who a Launchpad reporter is in Steward: said outright in steward.yaml (people.same), never guessed from a name.
        const rita = await user(store, 'rita');
        await user(store, 'lp-stranger'); // a Steward user named like the unmapped reporter: not granted
        const gone = await user(store, 'gone');
        await setUserDisabled(store.db, gone.id, T0);
        await user(store, 'tom');
        await user(store, 'tim');
        const people = [
          { launchpad: 'LP-Reporter', user: 'Rita', emails: [], gerrit: [] },
          { launchpad: 'lp-gone', user: 'gone', emails: [], gerrit: [] },
          { launchpad: 'lp-twice', user: 'tom', emails: [], gerrit: [] },
          { launchpad: 'lp-twice', user: 'tim', emails: [], gerrit: [] },
          { launchpad: 'lp-reporter', emails: ['rita@example.org'], gerrit: [] },
        ];
        const first = await intakeSecurityBugs(d, null, people);
        assert.deepEqual([first.bugs, first.created.map((c) => c.bug), first.alreadyTracked], [2, [101, 102], 0]);
        assert.deepEqual(
          first.created.map((c) => [c.bug, c.reporter]),
          [
            [101, 'rita'],
            [102, null],
          ],
        );
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
          [
            [
              'launchpad intake',
              'received',
              'taken in from Launchpad bug 101 (Private Security); its reporter lp-reporter on Launchpad is Steward user rita: granted as reporter',
            ],
          ],
        );
        // The mapped reporter reads the item (and only it); the unmapped bug's item has no grant, and its history says why.
        assert.deepEqual(
          (await listSecurityItems(d, rita)).items.map((i) => [i.id, i.access]),
          [[id101, 'reporter']],
        );
        assert.deepEqual(
          shown.grants?.map((g) => [g.user, g.kind, g.grantedBy]),
          [['rita', 'reporter', 'launchpad intake']],
        );
        const id102 = first.created.find((c) => c.bug === 102)!.id;
        const shown102 = await showSecurityItem(d, sam, id102);
        assert.deepEqual(shown102.grants, []);
        assert.equal(
          shown102.transitions[0]!.note,
          'taken in from Launchpad bug 102 (Embargoed); its reporter lp-stranger on Launchpad maps to no Steward user (steward.yaml people.same: launchpad and user): nobody granted',
        );
        const stranger = (await findUserByName(store.db, 'lp-stranger'))!;
        assert.equal((await listSecurityItems(d, { id: stranger.id, name: stranger.name, role: stranger.role })).items.length, 0);
        // Sealed at rest: the item's row does not hold the title.
        const row = await store.db.selectFrom('security_items').selectAll().where('id', '=', id101).executeTakeFirstOrThrow();
        assert.ok(!JSON.stringify(row).includes('zebra-44'));

        // Idempotent: nothing new the second time; a new bug is taken in by a team member, in their name.
        const again = await intakeSecurityBugs(d, sam);
        assert.deepEqual([again.created.length, again.alreadyTracked], [0, 2]);
        await storeBugs(
          store,
          [
            makeBug({ id: 106, informationType: 'Private Security', owner: 'lp-gone' }),
            makeBug({ id: 107, informationType: 'Embargoed', owner: 'lp-twice' }),
            makeBug({ id: 108, informationType: 'Embargoed', owner: null }),
          ],
          [makeBugTask({ bug: 106 }), makeBugTask({ bug: 107 }), makeBugTask({ bug: 108 })],
        );
        const third = await intakeSecurityBugs(d, sam, people);
        assert.deepEqual(
          third.created.map((c) => [c.bug, c.reporter]),
          [
            [106, null],
            [107, null],
            [108, null],
          ],
        );
        const notes = await Promise.all(third.created.map(async (c) => (await showSecurityItem(d, sam, c.id)).transitions[0]!.note));
        assert.deepEqual(notes, [
          'taken in from Launchpad bug 106 (Private Security); its reporter lp-gone on Launchpad maps to gone in steward.yaml, not an active Steward user: nobody granted',
          'taken in from Launchpad bug 107 (Embargoed); its reporter lp-twice on Launchpad maps to several Steward users in steward.yaml (tim, tom): nobody granted',
          'taken in from Launchpad bug 108 (Embargoed); Launchpad names no reporter: nobody granted',
        ]);
        assert.equal((await showSecurityItem(d, sam, third.created[0]!.id)).transitions[0]!.actor, 'sam');
        assert.equal((await listSecurityItems(d, sam)).items.length, 5);

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
          ['security.item.intake', 'sam'],
          ['security.item.intake', 'sam'],
          ['security.item.intake-run', 'sam'],
        ]);
        assert.ok(!JSON.stringify(log).includes('zebra-44'));
      });
    });
  });
}
