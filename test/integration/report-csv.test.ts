/**
 * Every report's CSV is a table of its main rows (one per change, person, job, spec…) with a header
 * of distinct column names, written by the one CSV writer (report/csv.ts) — not a key/value dump.
 * Each catalogue report with a CSV form, each variant, on the demo store.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { REPORTS } from '../../src/service/catalogue/report-catalogue.js';
import { runSteward } from '../helpers/cli.js';
import { demoStore, WEB_NOW, type DemoStore } from '../helpers/web.js';

/** The variants of each report's CSV (extra arguments after its command words). */
const VARIANTS: Record<string, string[][]> = {
  queue: [[], ['--compat', 'reviewstats'], ['--trivial']],
  waits: [[], ['--bandwidth']],
  reviewers: [[], ['--compat', 'reviewstats']],
  priorities: [['--release', 'Kestrel']],
  specs: [[], ['--release', 'kestrel']],
  electorate: [['--release', 'Kestrel']],
};
/** Reports whose CSV is deliberately not a table of rows, and why. */
const NOT_TABLES: Record<string, string> = {
  overview: 'a summary of the project: one row per metric (metric, value), documented in docs/review-flow.md',
};
/** Reports the demo store cannot give. */
const NOT_ON_DEMO = new Set(['coreHistory', 'history']);

/** RFC 4180 records of `text` (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') endField();
    else if (c === '\n') {
      endField();
      rows.push(row);
      row = [];
    } else field += c;
  }
  if (field || row.length) {
    endField();
    rows.push(row);
  }
  return rows;
}

describe('report CSV', () => {
  let demo: DemoStore;
  before(async () => {
    demo = await demoStore('sqlite');
  });
  after(async () => {
    await demo?.cleanup();
  });

  it('every report with a CSV form writes a table of its rows with distinct, named columns', async () => {
    for (const [name, entry] of Object.entries(REPORTS)) {
      if (!entry.cli || !entry.render?.csv || NOT_ON_DEMO.has(name)) continue;
      for (const extra of VARIANTS[name] ?? [[]]) {
        const args: string[] = [...entry.cli.command, ...extra];
        const r = await runSteward([...args, '--db', demo.location, '--format', 'csv'], { cwd: demo.dir, now: WEB_NOW });
        assert.equal(r.code, 0, `steward ${args.join(' ')}: ${r.stderr}`);
        const [header, ...rows] = parseCsv(r.stdout);
        assert.ok(header && header.every((h) => /^[a-z0-9_+/%. -]+$/i.test(h) && h.length), `steward ${args.join(' ')}: a header of names`);
        assert.equal(new Set(header).size, header.length, `steward ${args.join(' ')}: a column named twice in ${header.join(',')}`);
        for (const row of rows)
          assert.equal(
            row.length,
            header.length,
            `steward ${args.join(' ')}: a row of ${row.length} fields under ${header.length} columns`,
          );
        if (!NOT_TABLES[name])
          assert.notDeepEqual(header, ['metric', 'value'], `steward ${args.join(' ')}: a key/value dump, not a table of rows`);
      }
    }
  });
});
