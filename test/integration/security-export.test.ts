/**
 * Export at disclosure (docs/security.md, "Export at disclosure"), on both engines, through the
 * command line: an item created, worked and disclosed in the tracker is written out by `steward
 * security export` as an advisory that `steward security advisories import` reads back unchanged,
 * field by field. Before disclosure the export is refused; only the team may export (an outsider
 * gets the missing-item answer, a grantee a refusal); every export is audited.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Advisory } from '../../src/model/advisories.js';
import { ERROR_CODES } from '../../src/model/errors.js';
import { parseAdvisory } from '../../src/sources/advisories/advisory-yaml.js';
import { openStore } from '../../src/store/open-store.js';
import { loadAdvisories } from '../../src/store/queries/advisories.js';
import { runSteward } from '../helpers/cli.js';
import { ENGINES, freshLocation } from '../helpers/stores.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 2, 9);
const TITLE = 'Quota bypass through nested server groups';
const DESCRIPTION = 'A project member can exceed the instance quota\nby nesting server groups: see the steps.';
const VECTOR = 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:H';
const CHANGES = ['https://review.opendev.org/c/openstack/nova/+/950001', 'https://review.opendev.org/c/openstack/nova/+/950002'];

for (const engine of ENGINES) {
  describe(`steward security export (${engine.name})`, { skip: engine.skip }, () => {
    it('a disclosed item exports as an advisory the import reads back unchanged; refused before disclosure and to all but the team; audited', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'steward-security-export-'));
      const { location, cleanup } = await freshLocation(engine.name);
      try {
        const key = await runSteward(['security', 'new-key', '--out', join(dir, 'key')], { cwd: dir });
        assert.equal(key.code, 0, key.stderr);
        const env = { STEWARD_SECURITY_KEY_FILE: join(dir, 'key'), STEWARD_USER_PASSWORD: 'correct horse battery staple' };
        const run = async (args: string[], now = T0, ok = true) => {
          const r = await runSteward([...args, '--db', location], { cwd: dir, now, env });
          if (ok) assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
          return r;
        };
        for (const [n, role] of [
          ['ada', 'admin'],
          ['sam', 'viewer'],
          ['rex', 'viewer'],
          ['out', 'lead'],
        ])
          await run(['user', 'add', n!, '--role', role!]);
        await run(['security', 'team', 'add', 'sam', '--as', 'ada']);
        writeFileSync(join(dir, 'report.txt'), `${TITLE}\n${DESCRIPTION}\n`);
        const { id } = JSON.parse(
          (
            await run([
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
            ])
          ).stdout,
        ) as { id: string };

        // The command line's intake: the team or the system; no embargoed Launchpad bug here, so nothing taken in.
        assert.equal((await run(['security', 'intake', '--as', 'rex'], T0, false)).code, ERROR_CODES.SECURITY_FORBIDDEN.exit);
        const intake = JSON.parse((await run(['security', 'intake', '--format', 'json'])).stdout) as { bugs: number; created: unknown[] };
        assert.deepEqual([intake.bugs, intake.created], [0, []]);

        // Before disclosure: refused, saying why; nothing written.
        const early = await run(['security', 'export', id, '--as', 'sam', '--out', join(dir, 'early.yaml')], T0, false);
        assert.equal(early.code, ERROR_CODES.SECURITY_TRANSITION.exit);
        assert.match(early.stderr, /the item is received: it is written out as an advisory at disclosure, and it has not been disclosed/);
        assert.throws(() => readFileSync(join(dir, 'early.yaml')));

        const step = (to: string, extra: string[], day: number) =>
          run(['security', 'transition', id, to, '--as', 'sam', ...extra], T0 + day * DAY);
        await step(
          'triaged',
          ['--verdict', 'confirmed', '--cvss', VECTOR, '--release', '2026.1', '--branch', 'master', '--branch', 'stable/2026.1'],
          1,
        );
        await step('fix-in-progress', [], 2);
        await step('cve-assigned', ['--cve', 'CVE-2026-40001'], 5);
        // Still under embargo: refused at every state before disclosure.
        assert.equal(
          (await run(['security', 'export', id, '--as', 'sam'], T0 + 5 * DAY, false)).code,
          ERROR_CODES.SECURITY_TRANSITION.exit,
        );
        await step('disclosure-date-agreed', ['--date', '2026-11-20'], 6);
        await step('pre-disclosure-sent', ['--recipient', 'distros@example.org'], 11);
        await step('disclosed', ['--advisory', 'OSSA-2026-021', ...CHANGES.flatMap((c) => ['--public-change', c])], 18);

        // Only the team exports: an outsider gets the missing-item answer, the reporter a refusal.
        const outsider = await run(['security', 'export', id, '--as', 'out'], T0 + 18 * DAY, false);
        const missing = await run(['security', 'export', 'zzzzzzzzzz', '--as', 'out'], T0 + 18 * DAY, false);
        assert.equal(outsider.code, ERROR_CODES.NOT_FOUND.exit);
        assert.equal(outsider.stderr.replace(id, 'X'), missing.stderr.replace('zzzzzzzzzz', 'X'));
        assert.equal(
          (await run(['security', 'export', id, '--as', 'rex'], T0 + 18 * DAY, false)).code,
          ERROR_CODES.SECURITY_FORBIDDEN.exit,
        );
        assert.equal((await run(['security', 'export', id, '--as', 'ada'], T0 + 18 * DAY, false)).code, ERROR_CODES.NOT_FOUND.exit);

        // The export: to standard output, and to a file; the same text.
        const printed = (await run(['security', 'export', id, '--as', 'sam'], T0 + 18 * DAY)).stdout;
        const file = join(dir, 'OSSA-2026-021.yaml');
        assert.match(
          (await run(['security', 'export', id, '--as', 'sam', '--out', file], T0 + 19 * DAY)).stdout,
          /Wrote advisory OSSA-2026-021/,
        );
        const text = readFileSync(file, 'utf8');
        assert.equal(text, printed);
        const exported = parseAdvisory(text, file).advisory;
        const expected: Advisory = {
          id: 'OSSA-2026-021',
          date: '2026-11-20',
          title: TITLE,
          description: DESCRIPTION,
          reference: null,
          products: [{ product: 'nova', version: '2026.1' }],
          vulnerabilities: [
            {
              cveId: 'CVE-2026-40001',
              note: null,
              impactAssessment: { source: null, rating: 'Medium', assessment: { type: 'CVSS v3.1', score: 6.5, detail: VECTOR } },
              classification: null,
            },
          ],
          reporters: [{ name: 'rex', affiliation: null, reported: ['CVE-2026-40001'] }],
          issues: { links: [], type: null },
          // Neither change is in this store and the item affects two branches.
          reviews: [{ branch: 'unsorted', links: CHANGES }],
          reviewsType: 'gerrit',
          notes: null,
          errata: null,
          errataHistory: null,
          type: null,
        };
        assert.deepEqual(exported, expected);

        // The import reads it back unchanged, field by field.
        const imp = await run(['security', 'advisories', 'import', file, '--format', 'json'], T0 + 19 * DAY);
        assert.equal((JSON.parse(imp.stdout) as { added: number }).added, 1);
        const store = await openStore(location);
        try {
          const stored = await loadAdvisories(store.db);
          assert.equal(stored.length, 1);
          const back = stored[0]!.advisory;
          for (const field of Object.keys(expected) as Array<keyof Advisory>) assert.deepEqual(back[field], expected[field], field);
          assert.deepEqual(Object.keys(back).sort(), Object.keys(expected).sort());
          assert.deepEqual(stored[0]!.facts.cves, ['CVE-2026-40001']);
          assert.deepEqual(stored[0]!.facts.products, ['nova']);
        } finally {
          await store.close();
        }

        // Every export is audited: the refusals before disclosure, the probes, the reads.
        const audit = JSON.parse(
          (await run(['security', 'audit', '--as', 'sam', '--format', 'json', '--limit', '200'], T0 + 20 * DAY)).stdout,
        ) as {
          events: Array<{ event: string; outcome: string; actor: string; detail: Record<string, unknown> | null }>;
        };
        const exports = audit.events.filter((e) => e.event === 'security.item.export');
        assert.deepEqual(exports.map((e) => [e.actor, e.outcome]).reverse(), [
          ['sam', 'refused'],
          ['sam', 'refused'],
          ['sam', 'ok'],
          ['sam', 'ok'],
        ]);
        assert.ok(
          audit.events.some(
            (e) => e.event === 'security.item.probe' && e.actor === 'out' && e.detail?.['action'] === 'security.item.export',
          ),
        );
        assert.ok(audit.events.some((e) => e.event === 'security.item.refused' && e.actor === 'rex'));
        assert.ok(!JSON.stringify(audit).includes(TITLE), 'no protected text in the audit log');
      } finally {
        rmSync(dir, { recursive: true, force: true });
        await cleanup();
      }
    });
  });
}
