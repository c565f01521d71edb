import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCiDuration, parseCiReport, parseJobLineByRules } from './ci-report-parser.js';

const ZUUL_CHECK_FAILED =
  'Patch Set 4: Verified-1\n\n' +
  'Build failed (check pipeline).  For information on how to proceed, see https://docs.opendev.org/opendev/infra-manual/latest/developers.html#automated-testing\n\n' +
  'https://zuul.opendev.org/t/openstack/buildset/5f0c2d\n\n' +
  '- openstack-tox-pep8 https://zuul.opendev.org/t/openstack/build/aa11 : SUCCESS in 4m 03s\n' +
  '- nova-tox-py310 https://zuul.opendev.org/t/openstack/build/bb22 : FAILURE in 25m 10s\n' +
  '- nova-ceph-multistore https://zuul.opendev.org/t/openstack/build/cc33 : FAILURE in 1h 02m 03s (non-voting)\n' +
  '- nova-grenade-multinode https://zuul.opendev.org/t/openstack/build/dd44 : TIMED_OUT in 3h 00m 12s\n' +
  '- nova-live-migration https://zuul.opendev.org/t/openstack/build/ee55 : POST_FAILURE in 58m 01s\n' +
  '- nova-next https://zuul.opendev.org/t/openstack/build/ff66 : RETRY_LIMIT in 3m 47s\n' +
  '- tempest-integrated-compute https://zuul.opendev.org/t/openstack/build/0077 : NODE_FAILURE\n' +
  '- nova-docs nova-docs : SKIPPED\n' +
  '- nova-multi-cell : ERROR Project openstack/placement does not exist\n' +
  '- nova-emulation https://zuul.opendev.org/t/openstack/build/1188 : LOST in 10s\n' +
  '- nova-osprofiler-redis https://zuul.opendev.org/t/openstack/build/2299 : DISK_FULL in 12m 00s (non-voting)\n';

describe('parseCiReport: Zuul v3+', () => {
  it('reads outcome, pipeline and every job line of a check failure', () => {
    const report = parseCiReport(ZUUL_CHECK_FAILED);
    assert.ok(report);
    assert.equal(report.outcome, 'failed');
    assert.equal(report.pipeline, 'check');
    assert.deepEqual(report.jobs, [
      {
        job: 'openstack-tox-pep8',
        result: 'SUCCESS',
        voting: true,
        durationSeconds: 243,
        logUrl: 'https://zuul.opendev.org/t/openstack/build/aa11',
      },
      {
        job: 'nova-tox-py310',
        result: 'FAILURE',
        voting: true,
        durationSeconds: 1510,
        logUrl: 'https://zuul.opendev.org/t/openstack/build/bb22',
      },
      {
        job: 'nova-ceph-multistore',
        result: 'FAILURE',
        voting: false,
        durationSeconds: 3723,
        logUrl: 'https://zuul.opendev.org/t/openstack/build/cc33',
      },
      {
        job: 'nova-grenade-multinode',
        result: 'TIMED_OUT',
        voting: true,
        durationSeconds: 10812,
        logUrl: 'https://zuul.opendev.org/t/openstack/build/dd44',
      },
      {
        job: 'nova-live-migration',
        result: 'POST_FAILURE',
        voting: true,
        durationSeconds: 3481,
        logUrl: 'https://zuul.opendev.org/t/openstack/build/ee55',
      },
      {
        job: 'nova-next',
        result: 'RETRY_LIMIT',
        voting: true,
        durationSeconds: 227,
        logUrl: 'https://zuul.opendev.org/t/openstack/build/ff66',
      },
      {
        job: 'tempest-integrated-compute',
        result: 'NODE_FAILURE',
        voting: true,
        durationSeconds: null,
        logUrl: 'https://zuul.opendev.org/t/openstack/build/0077',
      },
      { job: 'nova-docs', result: 'SKIPPED', voting: true, durationSeconds: null, logUrl: null },
      { job: 'nova-multi-cell', result: 'ERROR', voting: true, durationSeconds: null, logUrl: null },
      {
        job: 'nova-emulation',
        result: 'LOST',
        voting: true,
        durationSeconds: 10,
        logUrl: 'https://zuul.opendev.org/t/openstack/build/1188',
      },
      {
        job: 'nova-osprofiler-redis',
        result: 'DISK_FULL',
        voting: false,
        durationSeconds: 720,
        logUrl: 'https://zuul.opendev.org/t/openstack/build/2299',
      },
    ]);
  });

  it('accepts the text without the "Patch Set N:" line and after a "(N comments)" line', () => {
    const bare = ZUUL_CHECK_FAILED.slice(ZUUL_CHECK_FAILED.indexOf('Build failed'));
    assert.deepEqual(parseCiReport(bare), parseCiReport(ZUUL_CHECK_FAILED));
    const withComments = 'Patch Set 2: Verified-1\n\n(3 comments)\n\n' + bare;
    assert.equal(parseCiReport(withComments)?.jobs.length, 11);
  });

  it('reads gate successes, cancellations and other pipelines', () => {
    const gate = parseCiReport(
      'Patch Set 7: Verified+2\n\nBuild succeeded (gate pipeline).\n\n- openstack-tox-py311 https://zuul.opendev.org/t/openstack/build/3a : SUCCESS in 45s\n',
    );
    assert.deepEqual(gate, {
      pipeline: 'gate',
      outcome: 'succeeded',
      jobs: [
        {
          job: 'openstack-tox-py311',
          result: 'SUCCESS',
          voting: true,
          durationSeconds: 45,
          logUrl: 'https://zuul.opendev.org/t/openstack/build/3a',
        },
      ],
    });
    const canceled = parseCiReport(
      'Patch Set 3:\n\nBuild canceled (check pipeline).\n\n- nova-next https://z/build/1 : CANCELED\n- nova-lvm https://z/build/2 : ABORTED in 2m 00s',
    );
    assert.equal(canceled?.outcome, 'canceled');
    assert.deepEqual(
      canceled?.jobs.map((j) => j.result),
      ['CANCELED', 'ABORTED'],
    );
    assert.equal(parseCiReport('Build succeeded (third-party-check pipeline).')?.pipeline, 'third-party-check');
    assert.deepEqual(parseCiReport('Build succeeded (gate pipeline).'), { pipeline: 'gate', outcome: 'succeeded', jobs: [] });
  });

  it('reports merge failures with no jobs and no pipeline', () => {
    const text =
      'Patch Set 3: Verified-1\n\nMerge Failed.\n\nThis change or one of its cross-repo dependencies was unable to be automatically merged with the current state of its repository. Please rebase the change and upload a new patchset.';
    assert.deepEqual(parseCiReport(text), { pipeline: null, outcome: 'merge-failed', jobs: [] });
    assert.equal(parseCiReport('This change was not merged by the code review system.\n')?.outcome, 'merge-failed');
  });

  it('reports dependency failures', () => {
    assert.deepEqual(parseCiReport('Patch Set 1: Verified-2\n\nThis change depends on a change that failed to merge.\n'), {
      pipeline: null,
      outcome: 'dependency-failed',
      jobs: [],
    });
  });

  it('keeps MERGER_FAILURE and unknown upper-case results verbatim', () => {
    const r = parseCiReport(
      'Build failed (gate pipeline).\n\n- nova-tox-py310 https://z/b/1 : MERGER_FAILURE\n- nova-next https://z/b/2 : NOT_REGISTERED',
    );
    assert.deepEqual(
      r?.jobs.map((j) => j.result),
      ['MERGER_FAILURE', 'NOT_REGISTERED'],
    );
  });
});

describe('parseCiReport: Zuul v2 and Jenkins', () => {
  it('reads Zuul v2 reports with logs.openstack.org URLs', () => {
    const r = parseCiReport(
      'Patch Set 2: Verified+1\n\nBuild succeeded (check pipeline).\n\n' +
        '- gate-nova-pep8 http://logs.openstack.org/12/345612/2/check/gate-nova-pep8/a1b2c3d : SUCCESS in 3m 02s\n' +
        '- gate-nova-python27 http://logs.openstack.org/12/345612/2/check/gate-nova-python27/e4f5a6b : SUCCESS in 6m 21s\n' +
        '- gate-tempest-dsvm-neutron-full http://logs.openstack.org/12/345612/2/check/gate-tempest-dsvm-neutron-full/0c1d2e3 : FAILURE in 1h 10m 08s (non-voting)\n',
    );
    assert.equal(r?.pipeline, 'check');
    assert.deepEqual(
      r?.jobs.map((j) => [j.job, j.result, j.voting, j.durationSeconds]),
      [
        ['gate-nova-pep8', 'SUCCESS', true, 182],
        ['gate-nova-python27', 'SUCCESS', true, 381],
        ['gate-tempest-dsvm-neutron-full', 'FAILURE', false, 4208],
      ],
    );
  });

  it('reads old Jenkins reports that name no pipeline', () => {
    const r = parseCiReport(
      'Patch Set 1: Verified-1\n\nBuild failed.  For information on how to proceed, see https://wiki.openstack.org/wiki/GerritJenkinsGit#Test_Failures\n\n' +
        '- gate-nova-pep8 http://logs.openstack.org/36/21636/1/check/gate-nova-pep8/123 : SUCCESS in 3m 02s\n' +
        '- gate-nova-python27 http://logs.openstack.org/36/21636/1/check/gate-nova-python27/456 : FAILURE in 12m 48s\n',
    );
    assert.equal(r?.outcome, 'failed');
    assert.equal(r?.pipeline, null);
    assert.deepEqual(
      r?.jobs.map((j) => [j.job, j.result, j.durationSeconds, j.logUrl]),
      [
        ['gate-nova-pep8', 'SUCCESS', 182, 'http://logs.openstack.org/36/21636/1/check/gate-nova-pep8/123'],
        ['gate-nova-python27', 'FAILURE', 768, 'http://logs.openstack.org/36/21636/1/check/gate-nova-python27/456'],
      ],
    );
    assert.equal(parseCiReport('Patch Set 1: Verified\n\nBuild successful.')?.outcome, 'succeeded');
    assert.equal(parseCiReport('Build succeeded.')?.outcome, 'succeeded');
  });

  it('reads the Gerrit Trigger plugin form (URL only, job named by the URL)', () => {
    const r = parseCiReport(
      'Patch Set 1: Verified+1\n\nBuild Successful \n\nhttp://jenkins.openstack.org/job/gate-nova-pep8/1234/ : SUCCESS',
    );
    assert.deepEqual(r, {
      pipeline: null,
      outcome: 'succeeded',
      jobs: [
        {
          job: 'gate-nova-pep8',
          result: 'SUCCESS',
          voting: true,
          durationSeconds: null,
          logUrl: 'http://jenkins.openstack.org/job/gate-nova-pep8/1234/',
        },
      ],
    });
  });

  it('reads third-party CI reports', () => {
    const hyperv = parseCiReport(
      'Patch Set 5:\n\nBuild succeeded.\n\n- hyperv-ci-tempest http://64.119.130.115/nova/123456/5/ : SUCCESS in 1h 10m 00s',
    );
    assert.deepEqual(hyperv?.jobs, [
      { job: 'hyperv-ci-tempest', result: 'SUCCESS', voting: true, durationSeconds: 4200, logUrl: 'http://64.119.130.115/nova/123456/5/' },
    ]);
    const xen = parseCiReport(
      'Build failed. For rechecking only on the Citrix XenServer CI, add a review comment with "xen: recheck"\n\n- dsvm-tempest-xen http://xenci.example.net/logs/1 : FAILURE in 46m 25s (non-voting)',
    );
    assert.deepEqual(
      xen?.jobs.map((j) => [j.job, j.voting, j.durationSeconds]),
      [['dsvm-tempest-xen', false, 2785]],
    );
  });
});

describe('parseCiReport: not a report', () => {
  it('returns null for human comments, Zuul notices and configuration errors', () => {
    const texts = [
      '',
      'Patch Set 3:',
      'Patch Set 3: Code-Review+2\n\nLGTM, thanks',
      'Patch Set 3:\n\nrecheck',
      'Patch Set 3:\n\nbuild failed because of the gate, recheck',
      'Patch Set 3:\n\nBuild failed due to a mirror outage, recheck',
      'Patch Set 3:\n\nStarting check jobs.',
      'Patch Set 3: Verified-1\n\nZuul encountered a syntax error while parsing its configuration in the repo openstack/nova on branch master.',
      'Build started http://jenkins.example.org/job/x/1/',
      'Uploaded patch set 2.',
    ];
    for (const t of texts) assert.equal(parseCiReport(t), null, t);
  });

  it('never throws, whatever the text', () => {
    const texts = [
      'Build failed.\n- : \n- a b c : SUCCESS\n- x : lower in 5m\n-\n- y http://u : ',
      'Build succeeded (.',
      '\u0000\n\n\n',
      'Patch Set \n',
      'Build failed.\n' + '- x '.repeat(10000),
    ];
    for (const t of texts) assert.doesNotThrow(() => parseCiReport(t));
    assert.deepEqual(parseCiReport(texts[0] ?? '')?.jobs, []);
    assert.equal(parseCiReport(null as unknown as string), null);
  });
});

describe('parseCiDuration', () => {
  it('reads hours, minutes and seconds', () => {
    assert.equal(parseCiDuration('1h 02m 03s'), 3723);
    assert.equal(parseCiDuration('5m 10s'), 310);
    assert.equal(parseCiDuration('45s'), 45);
    assert.equal(parseCiDuration('2h 0m 0s'), 7200);
  });

  it('returns null for anything else', () => {
    for (const bad of ['', 'soon', '5 minutes', '1d']) assert.equal(parseCiDuration(bad), null, bad);
  });
});

describe('job lines: the canonical reader and the general rules agree', () => {
  // parseCiReport reads the usual line with a reader of its own and every other line with the
  // general rules; over the usual forms and many near misses the two must give the same job.
  const names = ['nova-tox-py310', 'a', 'job', 'tempest-full-py3.12', 'x_y'];
  const urls = [
    'https://zuul.example.org/t/demo/build/c890',
    'http://logs.example.org/12/345/2/check/j/0c1/',
    'ftp://x/y',
    'job',
    'nourl',
    'https:/bad',
    'HTTPS://x',
  ];
  const results = [
    'SUCCESS',
    'FAILURE',
    'TIMED_OUT',
    'POST_FAILURE',
    'NODE_FAILURE',
    'RETRY_LIMIT',
    'ERROR2',
    'lower',
    'SUCCESS.',
    'S',
    '_X',
  ];
  const tails = [
    '',
    ' in 5m 10s',
    ' in 1h 02m 03s',
    ' in 45s',
    ' in 0s',
    ' in 5m',
    ' in 2h',
    ' in 1h 5s',
    ' in 2m 1h',
    ' in 5m  10s',
    ' in 5m10s',
    ' in ',
    ' in 5x',
    ' in 5m 10s extra',
    ' detail in 5m',
    '  in 5m',
    ' in 05m 007s',
    ' in 1h 02m 03s ',
  ];
  const votings = ['', ' (non-voting)', '  (non-voting)', ' (non-voting) ', '(non-voting)', ' (voting)'];
  const wraps: Array<(l: string) => string> = [
    (l) => l,
    (l) => `${l}\r`,
    (l) => ` ${l}`,
    (l) => l.replace('- ', '* '),
    (l) => l.replace('- ', '-\t'),
    (l) => l.replace(' : ', '  : '),
    (l) => l.replace(' ', '\u00a0'),
    (l) => l.replace(' ', '  '),
  ];
  const asReport = (line: string) => parseCiReport(`Build failed (check pipeline).\n\n${line}`)!.jobs;

  it("gives the general rules' result for every combination", () => {
    let lines = 0;
    for (const name of names)
      for (const url of urls)
        for (const result of results)
          for (const tail of tails)
            for (const voting of votings) {
              const base = `- ${name} ${url} : ${result}${tail}${voting}`;
              for (const wrap of wraps) {
                const line = wrap(base);
                const byRules = parseJobLineByRules(line);
                assert.deepEqual(asReport(line), byRules ? [byRules] : [], JSON.stringify(line));
                lines++;
              }
            }
    assert.ok(lines > 40_000);
  });

  it("reads the usual Zuul lines (the canonical reader's own cases) as the rules do", () => {
    assert.deepEqual(asReport('- nova-live-migration https://zuul.example.org/t/demo/build/a61a : TIMED_OUT in 3h 00m 50s (non-voting)'), [
      {
        job: 'nova-live-migration',
        result: 'TIMED_OUT',
        voting: false,
        durationSeconds: 10850,
        logUrl: 'https://zuul.example.org/t/demo/build/a61a',
      },
    ]);
    assert.deepEqual(asReport('- nova-docs https://zuul.example.org/t/demo/build/1 : SKIPPED'), [
      { job: 'nova-docs', result: 'SKIPPED', voting: true, durationSeconds: null, logUrl: 'https://zuul.example.org/t/demo/build/1' },
    ]);
  });
});
