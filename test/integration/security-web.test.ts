/**
 * The access matrix of the embargoed tracker, on both engines: roles (anonymous, viewer, lead,
 * admin, team member, grantee, former grantee after revocation) × every security endpoint and
 * export × item state. Whoever may not see an item gets, for it, exactly what they get for an item
 * that does not exist: status, body, headers (but the date), and audit lines alike; lists, counts
 * and the admin's audit page leave it out. Those who may see it get it; CSRF guards every form; a
 * removed team member loses access in a session already open.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { loadConfig } from '../../src/config/load-config.js';
import type { AuthUser } from '../../src/service/authorize.js';
import { resolveEffectiveConfig } from '../../src/service/effective-config.js';
import {
  addSecurityMember,
  grantSecurityItem,
  reportSecurityItem,
  revokeSecurityItem,
  transitionSecurityItem,
  type SecurityDeps,
} from '../../src/service/security-service.js';
import type { Store } from '../../src/store/engine.js';
import { advisoryToYaml, parseAdvisory } from '../../src/sources/advisories/advisory-yaml.js';
import type { Advisory } from '../../src/model/advisories.js';
import { secretBox } from '../../src/store/secret-box.js';
import { findUserByName, listAudit } from '../../src/store/users-store.js';
import { accessHooks } from '../../src/web/auth/access-hooks.js';
import { buildApp } from '../../src/web/build-app.js';
import { ENGINES, withStore } from '../helpers/stores.js';
import { Jar, TEST_HASH, addUser, csrfOf, form, signIn } from '../helpers/web-auth.js';

const NOW = Date.UTC(2026, 5, 1, 12);
const DAY = 86_400_000;
const PW = 'a-password-long-enough-1';
const ROLES = ['anonymous', 'viewer', 'lead', 'admin', 'member', 'grantee', 'former'] as const;
type Who = (typeof ROLES)[number];
const SEES: Record<Who, boolean> = {
  anonymous: false,
  viewer: false,
  lead: false,
  admin: false,
  member: true,
  grantee: true,
  former: false,
};
const STATES = ['received', 'fix-in-progress', 'pre-disclosure-sent', 'disclosed', 'rejected'] as const;
const TITLE = (s: string) => `Secret flaw in ${s} quokka`;

async function plant(store: Store, box: ReturnType<typeof secretBox>) {
  let now = NOW - 30 * DAY;
  const d: SecurityDeps = {
    store,
    box,
    clock: () => now,
    rules: { embargoCapDays: 90, embargoWarnDays: 14, teamMax: 5, inactiveDays: 90 },
    ip: null,
  };
  const u = async (n: string): Promise<AuthUser> => {
    const r = (await findUserByName(store.db, n))!;
    return { id: r.id, name: r.name, role: r.role };
  };
  const ada = await u('ada');
  await addSecurityMember(d, ada, 'member');
  const member = await u('member');
  const ids: Record<string, string> = {};
  for (const s of STATES) {
    const id = await reportSecurityItem(d, member, {
      title: TITLE(s),
      description: `details of ${s} quokka`,
      project: 'demo/compute',
      reporter: 'grantee',
    });
    ids[s] = id;
    await grantSecurityItem(d, member, id, 'grantee', 'downstream');
    await grantSecurityItem(d, member, id, 'former', 'fix-author');
    // Each item stops in its state ('received': where reporting leaves it).
    const path: Array<Parameters<typeof transitionSecurityItem>[3]> =
      s === 'received'
        ? []
        : s === 'rejected'
          ? [{ to: 'triaged', verdict: 'rejected', note: 'not a bug' }]
          : [
              { to: 'triaged', verdict: 'confirmed', cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', branches: ['master'] },
              { to: 'fix-in-progress' },
              { to: 'cve-assigned', cve: 'CVE-2026-1000' },
              { to: 'disclosure-date-agreed', disclosureDate: '2026-06-20' },
              { to: 'pre-disclosure-sent', preDisclosureList: ['distros'] },
              { to: 'disclosed', advisory: 'OSSA-2026-001' },
            ];
    for (const step of path) {
      now += 60_000;
      await transitionSecurityItem(d, member, id, step);
      if (step.to === s || (s === 'rejected' && step.to === 'triaged')) break;
    }
  }
  now = NOW - DAY;
  for (const id of Object.values(ids)) await revokeSecurityItem(d, member, id, 'former');
  return ids;
}

const MISSING = 'zzzzzzzzzz';

/** Headers that may differ between two identical answers (the requested path is echoed in a redirect: the reader's own input). */
const comparable = (r: LightMyRequestResponse) => {
  const h = { ...r.headers };
  delete h['date'];
  return h;
};

for (const engine of ENGINES) {
  describe(`security tracker access matrix (${engine.name})`, { skip: engine.skip }, () => {
    it('every role × endpoint × state: the refusal is indistinguishable from a missing item; the rightful see it', async () => {
      await withStore(engine.name, async (store) => {
        for (const n of ['viewer', 'member', 'grantee', 'former']) await addUser(store, n, 'viewer', PW, NOW);
        await addUser(store, 'lead', 'lead', PW, NOW);
        await addUser(store, 'ada', 'admin', PW, NOW);
        const box = secretBox(randomBytes(32));
        const ids = await plant(store, box);
        // Read once: nothing here changes the configuration (no steward.yaml is written, no demo
        // configuration stored), and the app asks for it at every one of the matrix's requests.
        const effective = await resolveEffectiveConfig(loadConfig(undefined, process.cwd()), store);
        const config = async () => effective;
        const app: FastifyInstance = await buildApp({
          store,
          config,
          clock: () => NOW,
          auth: accessHooks({
            enabled: true,
            store,
            clock: () => NOW,
            config,
            hashParams: TEST_HASH,
            loginAttemptsPerMinute: 10_000,
            securityBox: box,
            advisoryYaml: advisoryToYaml,
          }),
        });
        try {
          const jars = Object.fromEntries(ROLES.map((r) => [r, new Jar()])) as Record<Who, Jar>;
          for (const r of ROLES)
            if (r !== 'anonymous') assert.equal((await signIn(app, jars[r], r === 'admin' ? 'ada' : r, PW)).statusCode, 303);
          // A CSRF token per signed-in reader, from a page every reader may open.
          const csrf: Partial<Record<Who, string>> = {};
          for (const r of ROLES)
            if (r !== 'anonymous')
              csrf[r] = csrfOf(jars[r].take(await app.inject({ method: 'GET', url: '/security', headers: jars[r].header() })).body);

          const call = (who: Who, method: 'GET' | 'POST', url: string, fields?: Record<string, string>, accept = 'text/html') => {
            if (method === 'GET') return app.inject({ method, url, headers: { ...jars[who].header(), accept } });
            const f = form({ ...(fields ?? {}), _csrf: csrf[who] ?? 'none' });
            return app.inject({ method, url, payload: f.payload, headers: { ...f.headers, ...jars[who].header(), accept } });
          };
          const endpoints: Array<{
            method: 'GET' | 'POST';
            path: (id: string) => string;
            fields?: Record<string, string>;
            accept?: string;
            /** The advisory export: the team only (a grantee is refused), and only once disclosed. */
            team?: true;
          }> = [
            { method: 'GET', path: (id) => `/security/items/${id}` },
            { method: 'GET', path: (id) => `/api/v1/security/items/${id}`, accept: 'application/json' },
            { method: 'POST', path: (id) => `/security/items/${id}/transition`, fields: { to: 'closed' } },
            { method: 'POST', path: (id) => `/security/items/${id}/grant`, fields: { user: 'viewer', kind: 'no-such-kind' } },
            { method: 'POST', path: (id) => `/security/items/${id}/revoke`, fields: { user: 'viewer' } },
            { method: 'POST', path: (id) => `/security/items/${id}/assign`, fields: { user: 'member' } },
            { method: 'POST', path: (id) => `/security/items/${id}/patch`, fields: { branch: 'master', content: 'x' } },
            { method: 'POST', path: (id) => `/security/items/${id}/review`, fields: { patch: '1', vote: '+1' } },
            { method: 'POST', path: (id) => `/security/items/${id}/transition`, fields: { to: 'closed' }, accept: 'application/json' },
            { method: 'GET', path: (id) => `/api/v1/security/items/${id}/advisory`, accept: 'application/json', team: true },
            { method: 'GET', path: (id) => `/api/v1/security/items/${id}/advisory?format=yaml`, accept: 'application/yaml', team: true },
          ];
          let checked = 0;
          for (const who of ROLES) {
            for (const s of STATES) {
              const id = ids[s]!;
              for (const ep of endpoints) {
                const auditBefore = (await listAudit(store.db, { limit: 1 }))[0]?.id ?? 0;
                const real = await call(who, ep.method, ep.path(id), ep.fields, ep.accept);
                const auditReal = (await listAudit(store.db, { limit: 100 })).filter((e) => e.id > auditBefore);
                const missing = await call(who, ep.method, ep.path(MISSING), ep.fields, ep.accept);
                const auditMissing = (await listAudit(store.db, { limit: 100 })).filter((e) => e.id > (auditReal[0]?.id ?? auditBefore));
                const what = `${who} ${ep.method} ${ep.path(id)} (${s})`;
                if (!SEES[who]) {
                  assert.equal(real.statusCode, missing.statusCode, what);
                  assert.ok([401, 302, 404].includes(real.statusCode), `${what}: ${real.statusCode}`);
                  assert.equal(real.body.replaceAll(id, MISSING), missing.body, what);
                  assert.equal(
                    JSON.stringify(comparable(real)).replaceAll(id, MISSING),
                    JSON.stringify(comparable(missing)),
                    `${what}: headers`,
                  );
                  assert.ok(!real.body.includes('quokka'), what);
                  const strip = (es: typeof auditReal) => es.map((e) => ({ ...e, id: 0, subject: e.subject?.replace(id, MISSING) }));
                  assert.deepEqual(strip(auditReal), strip(auditMissing), `${what}: audit lines`);
                } else {
                  assert.equal(missing.statusCode, 404, what);
                  if (ep.team) {
                    // The export: a grantee reads the item but may not export it; the team gets it once disclosed, else a refusal; audited.
                    const disclosed = s === 'disclosed';
                    assert.equal(real.statusCode, who === 'grantee' ? 403 : disclosed ? 200 : 400, `${what}: ${real.body.slice(0, 200)}`);
                    const exportLines = auditReal.filter((e) => e.event === 'security.item.export' || e.event === 'security.item.refused');
                    assert.equal(exportLines.length, 1, `${what}: one audit line`);
                    assert.equal(exportLines[0]!.outcome, who === 'member' && disclosed ? 'ok' : 'refused', what);
                    if (who === 'member' && disclosed) {
                      const advisory =
                        ep.accept === 'application/yaml'
                          ? parseAdvisory(real.body, 'the exported advisory').advisory
                          : (JSON.parse(real.body) as { advisory: Advisory }).advisory;
                      assert.equal(advisory.title, TITLE(s), what);
                      if (ep.accept === 'application/yaml') {
                        assert.match(String(real.headers['content-type']), /^application\/yaml/);
                        const json = await call(who, 'GET', `/api/v1/security/items/${id}/advisory`, undefined, 'application/json');
                        assert.deepEqual(
                          advisory,
                          (JSON.parse(json.body) as { advisory: Advisory }).advisory,
                          `${what}: YAML and JSON agree`,
                        );
                      }
                    } else assert.ok(!real.body.includes('advisory:'), what);
                  } else if (ep.method === 'GET') {
                    assert.equal(real.statusCode, 200, `${what}: ${real.body.slice(0, 200)}`);
                    assert.ok(real.body.includes(TITLE(s)), what);
                  } else if (who === 'grantee') {
                    assert.equal(real.statusCode, 403, `${what}: a grantee reads but does not change`);
                  } else assert.notEqual(real.statusCode, 404, what);
                }
                checked++;
              }
            }
            // Lists and exports: outsiders see no item and no count.
            const listJson = await call(who, 'GET', '/api/v1/security/items', undefined, 'application/json');
            const listPage = await call(who, 'GET', '/security');
            if (who === 'anonymous') {
              assert.equal(listJson.statusCode, 401);
              assert.equal(listPage.statusCode, 302);
            } else {
              const items = (JSON.parse(listJson.body) as { items: Array<{ id: string }> }).items;
              assert.equal(items.length, SEES[who] ? STATES.length : 0, who);
              assert.equal(listPage.body.includes('quokka'), SEES[who], who);
              assert.match(listPage.body, new RegExp(`Embargoed items you may see \\(${SEES[who] ? STATES.length : 0}\\)`));
            }
            for (const url of ['/api/v1/security/roster', '/api/v1/security/audit', '/security/roster']) {
              const r = await call(who, 'GET', url, undefined, url.startsWith('/api') ? 'application/json' : 'text/html');
              assert.equal(
                r.statusCode,
                who === 'member' ? 200 : who === 'anonymous' ? (url.startsWith('/api') ? 401 : 302) : 403,
                `${who} ${url}`,
              );
              if (who !== 'member') assert.ok(!Object.values(ids).some((id) => r.body.includes(id)), `${who} ${url}`);
            }
          }
          assert.equal(checked, ROLES.length * STATES.length * endpoints.length);

          // Timing: an outsider's requests for a real item and for a missing one take alike. Measured in
          // pairs (one of each, in a seeded random order, after a warm-up), so that load on the machine
          // — which comes in bursts — falls on both of a pair alike. The shift between the two is the
          // median of the pairs' differences; the margin is max(3 ms, half the quicker kind's median).
          // Pairs are added 20 at a time (60 to 400) until the shift's 99% distribution-free interval
          // lies inside the margin (alike) or wholly outside it (told apart: fails at once); a loaded
          // machine needs more pairs for that. At 400 pairs the shift itself must be inside the margin.
          const times = { real: [] as number[], missing: [] as number[] };
          const differences: number[] = [];
          const timed = async (id: string) => {
            const t0 = process.hrtime.bigint();
            await call('viewer', 'GET', `/api/v1/security/items/${id}`, undefined, 'application/json');
            return Number(process.hrtime.bigint() - t0) / 1e6;
          };
          const median = (xs: number[]) => {
            const s = [...xs].sort((a, b) => a - b);
            return (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2;
          };
          let coin = 0x2f6e2b1;
          const pair = async () => {
            coin = (coin * 1103515245 + 12345) >>> 0;
            const realFirst = (coin >>> 16) % 2 === 0;
            const first = await timed(realFirst ? ids['received']! : MISSING);
            const second = await timed(realFirst ? MISSING : ids['received']!);
            return realFirst ? { real: first, missing: second } : { real: second, missing: first };
          };
          for (let i = 0; i < 5; i++) await pair(); // warm-up
          let verdict: { alike: boolean; text: string } | undefined;
          while (!verdict) {
            for (let i = 0; i < 20; i++) {
              const { real, missing } = await pair();
              times.real.push(real);
              times.missing.push(missing);
              differences.push(real - missing);
            }
            const n = differences.length;
            const [mr, mm, shift] = [median(times.real), median(times.missing), median(differences)];
            const margin = Math.max(3, 0.5 * Math.min(mr, mm));
            // The 99% interval for the median: order statistics k and n + 1 − k (sign test, normal approximation).
            const k = Math.max(1, Math.floor(n / 2 - (2.576 * Math.sqrt(n)) / 2));
            const sorted = [...differences].sort((a, b) => a - b);
            const [lo, hi] = [sorted[k - 1]!, sorted[n - k]!];
            const text = `the item took ${shift.toFixed(2)} ms more than a missing one (median of ${n} pairs, 99% interval ${lo.toFixed(2)} to ${hi.toFixed(2)} ms; medians ${mr.toFixed(2)} and ${mm.toFixed(2)} ms; margin ${margin.toFixed(2)} ms)`;
            if (n < 60) continue;
            if (lo >= -margin && hi <= margin) verdict = { alike: true, text };
            else if (lo > margin || hi < -margin) verdict = { alike: false, text };
            else if (n >= 400) verdict = { alike: Math.abs(shift) <= margin, text };
          }
          assert.ok(verdict.alike, verdict.text);

          // The admin's audit page shows no item event; the team's audit does.
          const auditPage = await call('admin', 'GET', '/manage/audit?limit=1000');
          assert.equal(auditPage.statusCode, 200);
          assert.ok(!Object.values(ids).some((id) => auditPage.body.includes(id)), 'the admin audit page names no item');
          const teamAudit = JSON.parse(
            (await call('member', 'GET', '/api/v1/security/audit?limit=1000', undefined, 'application/json')).body,
          ) as {
            events: Array<{ event: string; actor: string }>;
          };
          assert.ok(teamAudit.events.some((e) => e.event === 'security.item.read' && e.actor === 'grantee'));

          // CSRF: a form without the token changes nothing.
          const noToken = form({ to: 'closed' });
          const forged = await app.inject({
            method: 'POST',
            url: `/security/items/${ids['disclosed']}/transition`,
            payload: noToken.payload,
            headers: { ...noToken.headers, ...jars.member.header() },
          });
          assert.equal(forged.statusCode, 403);

          // A grantee revoked while signed in loses the item with the next request, in the same session.
          assert.equal(
            (await call('grantee', 'GET', `/api/v1/security/items/${ids['received']}`, undefined, 'application/json')).statusCode,
            200,
          );
          const revoke = await call('member', 'POST', `/security/items/${ids['received']}/revoke`, { user: 'grantee' });
          assert.equal(revoke.statusCode, 303, revoke.body);
          assert.equal(
            (await call('grantee', 'GET', `/api/v1/security/items/${ids['received']}`, undefined, 'application/json')).statusCode,
            404,
          );
          const after = JSON.parse((await call('grantee', 'GET', '/api/v1/security/items', undefined, 'application/json')).body) as {
            items: unknown[];
          };
          assert.equal(after.items.length, STATES.length - 1);

          // The admin adds themself (audited, shown to the team), then reads; removed from the team, the open session loses access at once.
          const addSelf = await call('admin', 'POST', '/security/team/add', { user: 'ada' });
          assert.equal(addSelf.statusCode, 303, addSelf.body);
          assert.equal((await call('admin', 'GET', `/security/items/${ids['received']}`)).statusCode, 200);
          const roster = JSON.parse((await call('member', 'GET', '/api/v1/security/roster', undefined, 'application/json')).body) as {
            teamChanges: Array<{ member: string; self: boolean }>;
          };
          assert.ok(roster.teamChanges.some((c) => c.member === 'ada' && c.self));
          assert.equal((await call('admin', 'POST', '/security/team/remove', { user: 'member' })).statusCode, 303);
          assert.equal((await call('member', 'GET', `/security/items/${ids['received']}`)).statusCode, 404);
          assert.equal((await call('member', 'GET', '/api/v1/security/roster', undefined, 'application/json')).statusCode, 403);
        } finally {
          await app.close();
        }
      });
    });
  });
}
