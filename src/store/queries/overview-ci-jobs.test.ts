import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countReportJobs } from './activity.js';

/** What JSON.parse makes of a report's jobs: (result, voting) per job, as loadCiResultCounts counted before. */
const parsed = (text: string): Array<[string, boolean]> =>
  (JSON.parse(text) as Array<[string, string, unknown]>).map(([, result, voting]) => [result, voting === 1]);

const scanned = (text: string): Array<[string, boolean]> | false => {
  const out: Array<[string, boolean]> = [];
  return countReportJobs(text, (result, voting) => out.push([result, voting])) ? out : false;
};

describe("countReportJobs (the overview's CI line)", () => {
  it('reads what the change writer writes as JSON.parse does', () => {
    const jobs = [
      ['openstack-tox-pep8', 'SUCCESS', 1, 298, 'https://zuul.example.org/t/demo/build/c890'],
      ['nova-tox-functional', 'FAILURE', 0, null, null],
      ['a "quoted" name, with [brackets] and \\ backslash', 'POST_FAILURE', 1, 12, 'https://x/y?a="b"]'],
      ['tempest', 'SKIPPED', 0, -1, 'u'],
    ];
    const text = JSON.stringify(jobs);
    assert.deepEqual(scanned(text), parsed(text));
    assert.deepEqual(scanned('[]'), []);
  });

  it('random job lists in the writer’s form: the same results as parsing', () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const chars = ['a', '"', '\\', ',', '[', ']', ' ', 'é', '0', '1', '\n'];
    const str = () => Array.from({ length: rnd(8) }, () => chars[rnd(chars.length)]).join('');
    for (let k = 0; k < 500; k++) {
      const jobs = Array.from({ length: rnd(6) }, () => [
        str(),
        ['SUCCESS', 'FAILURE', 'SKIPPED', 'NODE_FAILURE', 'TIMED_OUT'][rnd(5)],
        rnd(2),
        rnd(3) === 0 ? null : rnd(10_000),
        rnd(3) === 0 ? null : str(),
      ]);
      const text = JSON.stringify(jobs);
      assert.deepEqual(scanned(text), parsed(text), text);
    }
  });

  it('says it cannot read other forms, for the caller to parse them, having counted nothing', () => {
    for (const text of [
      // PostgreSQL's json_agg (migration 0013 wrote the stores of that time so).
      '[["a", "SUCCESS", 1, 298, "u"], ["b", "FAILURE", 0, null, null]]',
      '[["a","SUC\\u0043ESS",1,298,"u"]]', // an escaped result
      '[["a","SUCCESS",true,298,"u"]]', // another voting value
      '[["a","SUCCESS",10,298,"u"]]',
      '[["a","SUCCESS",null,298,"u"]]',
      '[["a","SUCCESS",1,[1],"u"]]',
      '[["a","SUCCESS",1,298,"u"]] ',
      '[["a","SUCCESS",1,298,"u"]',
    ]) {
      let calls = 0;
      assert.equal(
        countReportJobs(text, () => calls++),
        false,
        text,
      );
      assert.equal(calls, 0);
    }
  });
});
