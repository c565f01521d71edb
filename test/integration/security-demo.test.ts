/**
 * The demo's security side, on both engines: every planted truth is found again through the
 * tracker's own reports — the team and its inactive member (with evidence), an item in every state,
 * the one near its cap, what each grantee (and the former one) sees, the admin seeing nothing.
 * And `steward demo` plants it, sealed with a key file it writes beside the exports (mode 0600).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { plantDemoSecurity } from '../../src/cli/commands/demo-security.js';
import { emptyConfig } from '../../src/config/config-schema.js';
import { DEMO_SECURITY_TRUTH, demoSecurityPlan } from '../../src/demo/demo-security.js';
import { buildRosterFor, listSecurityItems, showSecurityItem, type SecurityDeps } from '../../src/service/security-service.js';
import { secretBox } from '../../src/store/secret-box.js';
import { findUserByName } from '../../src/store/users-store.js';
import { runSteward } from '../helpers/cli.js';
import { ENGINES, withStore } from '../helpers/stores.js';

const NOW = Date.UTC(2026, 10, 1);

for (const engine of ENGINES) {
  describe(`the demo's security side (${engine.name})`, { skip: engine.skip }, () => {
    it('plants a team with an inactive member, an item in every state, one near its cap, and grantees', async () => {
      await withStore(engine.name, async (store) => {
        const box = secretBox(randomBytes(32));
        const rules = emptyConfig().security;
        const ids = (await plantDemoSecurity(store, box, NOW, rules))!;
        assert.equal(await plantDemoSecurity(store, box, NOW, rules), null, 'planted once');
        const d: SecurityDeps = { store, box, clock: () => NOW, rules, ip: null };
        const as = async (n: string) => {
          const u = (await findUserByName(store.db, n))!;
          return { id: u.id, name: u.name, role: u.role };
        };
        const ana = await as('sec-ana');
        const all = await listSecurityItems(d, ana);
        assert.equal(all.items.length, demoSecurityPlan(NOW).items.length);
        assert.deepEqual([...new Set(all.items.map((i) => i.state))].sort(), [...DEMO_SECURITY_TRUTH.states].sort());
        const near = all.items.find((i) => i.id === ids[DEMO_SECURITY_TRUTH.nearCap])!;
        assert.deepEqual([near.state, near.capFlag, near.daysLeft], ['fix-in-progress', 'near-cap', 12]);
        assert.deepEqual(
          all.items.filter((i) => i.capFlag === 'near-cap' || i.capFlag === 'past-cap').map((i) => i.id),
          [ids[DEMO_SECURITY_TRUTH.nearCap]],
        );

        const roster = await buildRosterFor(d, ana);
        assert.deepEqual(
          roster.members.map((m) => m.name),
          [...DEMO_SECURITY_TRUTH.team],
        );
        assert.deepEqual(roster.inactive, [...DEMO_SECURITY_TRUTH.inactive]);
        assert.match(roster.members.find((m) => m.name === 'sec-cho')!.evidence, /210 days ago/);
        assert.deepEqual(roster.team, { size: 3, max: 6, overMax: false });
        assert.ok(roster.members.find((m) => m.name === 'sec-ben')!.windows[0].reviews > 0);

        const fay = await listSecurityItems(d, await as(DEMO_SECURITY_TRUTH.grantee));
        assert.equal(fay.items.length, DEMO_SECURITY_TRUTH.states.length);
        assert.equal((await listSecurityItems(d, await as(DEMO_SECURITY_TRUTH.formerGrantee))).items.length, 0);
        assert.equal((await listSecurityItems(d, await as('demo-admin'))).items.length, 0, 'the admin is not on the team');
        const eli = await listSecurityItems(d, await as('fix-eli'));
        assert.ok(eli.items.length > 0 && eli.items.every((i) => i.access === 'fix-author'));
        const disclosed = await showSecurityItem(d, ana, ids['demo-disclosed']!);
        assert.equal(disclosed.item.text.advisory, 'DEMO-2026-001');
        assert.equal(disclosed.patches[0]!.reviews[0]!.reviewer, 'sec-ben');
      });
    });
  });
}

describe('steward demo plants the security side', () => {
  it('with a key file of mode 0600 beside the exports', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-demo-sec-'));
    try {
      const r = await runSteward(['demo', '--changes', '30', '--months', '2', '--out', join(dir, 'out'), '--db', join(dir, 'demo.db')], {
        cwd: dir,
        now: NOW,
      });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Planted the security side: 11 embargoed items, sealed with .*security\.key/);
      assert.equal(statSync(join(dir, 'out', 'security.key')).mode & 0o777, 0o600);
      const list = await runSteward(['security', 'list', '--as', 'sec-ana', '--db', join(dir, 'demo.db')], {
        cwd: dir,
        now: NOW,
        env: { STEWARD_SECURITY_KEY_FILE: join(dir, 'out', 'security.key') },
      });
      assert.equal(list.code, 0, list.stderr);
      assert.match(list.stdout, /near cap: 12 d left/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
