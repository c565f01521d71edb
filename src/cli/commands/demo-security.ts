/**
 * Carries out the demo's security plan (demo/demo-security.ts) on a store through the tracker's
 * service, with the clock set to each step's time: users, the team, items in every state, grants,
 * private patches and reviews. Does nothing when the store already holds security items.
 */
import { randomBytes } from 'node:crypto';
import type { SecurityConfig } from '../../config/config-schema.js';
import { demoSecurityPlan } from '../../demo/demo-security.js';
import type { AuthUser } from '../../service/authorize.js';
import {
  addSecurityMember,
  assignSecurityItem,
  attachSecurityPatch,
  grantSecurityItem,
  reportSecurityItem,
  revokeSecurityItem,
  reviewSecurityPatch,
  transitionSecurityItem,
  type SecurityDeps,
} from '../../service/security-service.js';
import type { Store } from '../../store/engine.js';
import type { SecretBox } from '../../store/secret-box.js';
import { createUser, findUserByName } from '../../store/users-store.js';
import { hashPassword } from '../../web/auth/password.js';

const DAY = 86_400_000;

/** Plants the plan at `now`; returns the item ids by plan key, or null when the store already had items. */
export async function plantDemoSecurity(
  store: Store,
  box: SecretBox,
  now: number,
  rules: SecurityConfig,
): Promise<Record<string, string> | null> {
  if ((await store.db.selectFrom('security_items').select('id').limit(1).execute()).length) return null;
  const plan = demoSecurityPlan(now);
  let clock = now;
  const d: SecurityDeps = { store, box, clock: () => clock, rules, ip: null };
  const users = new Map<string, AuthUser>();
  for (const name of plan.users) {
    let u = await findUserByName(store.db, name);
    // Demo accounts cannot sign in until someone sets a password (`steward user password NAME`).
    u ??= await createUser(
      store.db,
      {
        name,
        role: name === plan.admin ? 'admin' : 'viewer',
        passwordHash: await hashPassword(randomBytes(24).toString('base64url'), { ln: 12, r: 8, p: 1 }),
      },
      now - 500 * DAY,
    );
    users.set(name, { id: u!.id, name: u!.name, role: u!.role });
  }
  const who = (n: string) => users.get(n)!;
  for (const m of plan.team) {
    clock = now - m.addedDaysAgo * DAY;
    await addSecurityMember(d, who(plan.admin), m.name);
  }
  const ids: Record<string, string> = {};
  for (const item of plan.items) {
    clock = now - item.receivedDaysAgo * DAY;
    const recorder = item.assignee;
    const id = await reportSecurityItem(d, who(recorder), {
      title: item.title,
      description: item.description,
      project: item.project,
      reporter: item.reporter,
    });
    ids[item.key] = id;
    await assignSecurityItem(d, who(recorder), id, item.assignee);
    // Everything else in time order; on the same day: steps, then grants, patches, reviews, revocations.
    type Op = { at: number; rank: number; run: () => Promise<unknown> };
    const ops: Op[] = [];
    for (const s of item.steps)
      ops.push({ at: now - s.daysAgo * DAY, rank: 0, run: () => transitionSecurityItem(d, who(s.actor), id, s.req) });
    for (const g of item.grants) {
      ops.push({ at: now - g.daysAgo * DAY, rank: 1, run: () => grantSecurityItem(d, who(g.by), id, g.user, g.kind) });
      if (g.revokedDaysAgo !== undefined)
        ops.push({ at: now - g.revokedDaysAgo * DAY, rank: 4, run: () => revokeSecurityItem(d, who(g.by), id, g.user) });
    }
    for (const p of item.patches) {
      let pid = 0;
      ops.push({
        at: now - p.daysAgo * DAY,
        rank: 2,
        run: async () =>
          (pid = await attachSecurityPatch(
            d,
            who(p.author),
            id,
            p.branch,
            `--- a/compute/api.py\n+++ b/compute/api.py\n@@ demo fix for ${item.key} @@\n`,
          )),
      });
      if (p.reviewedBy)
        ops.push({ at: now - p.daysAgo * DAY + 3_600_000, rank: 3, run: () => reviewSecurityPatch(d, who(p.reviewedBy!), id, pid, 1) });
    }
    ops.sort((a, b) => a.at - b.at || a.rank - b.rank);
    for (const op of ops) {
      clock = op.at;
      await op.run();
    }
  }
  return ids;
}
