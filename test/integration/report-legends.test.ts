/**
 * Column headings only insiders understand get a one-line legend under the table (issue 19): each
 * text report with terse headings prints a `Columns:` line that explains every one of them. What is
 * checked is the text renderers' output on the demo (the numbers are the JSON's, checked on both
 * engines by the reports' own tests); SQLite only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runSteward } from '../helpers/cli.js';
import { WEB_NOW, demoStore, type DemoStore } from '../helpers/web.js';

/** Command → the terse headings its table has, each of which the legend must explain. */
const TABLES: Array<[string[], string[]]> = [
  [['reviewers'], ['+A', '+/-', 'disagree', '/day', 'comment', 'changes', 'self', 'core']],
  [
    ['core', 'load'],
    ['needing', 'core rev.', 'per ps', 'all rev.', 'cores', 'top 20%', 'ps/core/month'],
  ],
  [
    ['waits', '--bandwidth'],
    [
      'arrivals',
      'entries/exits',
      'queue@start',
      'queue avg',
      'wait d',
      'λ×W',
      'waiting@end',
      'age med',
      'age p90',
      'reviews',
      'core rev.',
      'cores',
    ],
  ],
  [
    ['ci', 'jobs'],
    ['false-failure rate', 'false failures', 'caught', 'rechecks', 'median, p90'],
  ],
  [
    ['security', 'candidates'],
    ['fixes', 'sec.rev', 'area ch', 'area rev', 'areas'],
  ],
  [
    ['specs', 'report'],
    ['share', 'not landed', 'landed later', 'code later', 'data'],
  ],
  [
    ['reviewers', '--compat', 'reviewstats'],
    ['Reviews', '+A', '+/- %', '**'],
  ],
];

describe('legends under the text tables (demo, sqlite)', () => {
  let demo: DemoStore;
  before(async () => {
    demo = await demoStore('sqlite');
  });
  after(async () => demo?.cleanup());

  for (const [args, headings] of TABLES) {
    it(`steward ${args.join(' ')}: a Columns: line explains ${headings.join(', ')}`, async () => {
      const r = await runSteward([...args, '--db', demo.location], { cwd: demo.dir, now: WEB_NOW });
      assert.equal(r.code, 0, r.stderr);
      const legend = r.stdout.split('\n').filter((l) => l.startsWith('Columns: '));
      assert.equal(legend.length, 1, `one legend line:\n${r.stdout}`);
      for (const h of headings) assert.ok(legend[0]!.includes(`${h} = `), `${h} explained in: ${legend[0]}`);
    });
  }
});
