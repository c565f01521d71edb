import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StewardError } from '../../model/errors.js';
import { parseZuulBuilds, parseZuulTime } from './zuul-parser.js';

const where = 'https://zuul.example.org/api/tenant/openstack/builds?project=openstack/nova&limit=3&skip=0';

// Shapes as Zuul's web API sends them (trimmed to the fields that matter; extra ones are ignored).
const ZUUL_9 = `[
 {"uuid":"2b8c5e5d0c6a4a6f9e4d3a2b1c0d9e8f","job_name":"nova-ceph-multistore","result":"FAILURE","held":false,
  "start_time":"2024-05-02T09:14:05","end_time":"2024-05-02T10:31:40","duration":4655.0,"voting":false,
  "log_url":"https://logs.example.org/12/880012/3/check/nova-ceph-multistore/2b8c5e5/","node_name":null,
  "error_detail":null,"final":true,"artifacts":[],"provides":[],"project":"openstack/nova","branch":"master",
  "pipeline":"check","change":880012,"patchset":"3","ref":"refs/changes/12/880012/3","newrev":null,
  "ref_url":"https://review.example.org/880012","event_id":"e1","buildset":{"uuid":"9a8b7c6d5e4f"}},
 {"uuid":"7f00","job_name":"openstack-tox-py310","result":null,"held":false,"start_time":"2024-05-02T09:10:00",
  "end_time":null,"duration":null,"voting":true,"log_url":null,"final":true,"project":"openstack/nova",
  "branch":"master","pipeline":"check","change":880013,"patchset":"1","ref":"refs/changes/13/880013/1","buildset":{"uuid":"bs2"}},
 {"uuid":"7f01","job_name":"openstack-tox-py310","result":"RETRY","start_time":"2024-05-02T09:00:00",
  "end_time":"2024-05-02T09:02:00","duration":120.0,"voting":true,"log_url":null,"final":false,"project":"openstack/nova",
  "branch":"master","pipeline":"check","change":880013,"patchset":"1","buildset":{"uuid":"bs2"}}
]`;

const ZUUL_10 = `[
 {"_id":123456,"uuid":"c0ffee","job_name":"tempest-full-py3","result":"TIMED_OUT","held":false,
  "start_time":"2025-01-10T22:00:00","end_time":"2025-01-11T01:00:07","duration":10807.3,"voting":true,
  "log_url":"https://logs.example.org/c0ffee/","nodeset":"ubuntu-jammy","error_detail":null,"final":true,
  "artifacts":[],"provides":[],"ref":{"project":"openstack/nova","branch":"stable/2024.2","change":880099,
  "patchset":"12","ref":"refs/changes/99/880099/12","oldrev":null,"newrev":null,"ref_url":"https://review.example.org/880099"},
  "pipeline":"gate","event_id":"e9","event_timestamp":"2025-01-10T21:58:00","buildset":{"uuid":"bs9"}},
 {"_id":123455,"uuid":"periodic1","job_name":"nova-periodic","result":"SUCCESS","start_time":"2025-01-10T06:00:00",
  "end_time":"2025-01-10T07:00:00","duration":3600.0,"voting":true,"log_url":"https://logs.example.org/p1/","final":true,
  "ref":{"project":"openstack/nova","branch":"master","change":null,"patchset":null,"ref":"refs/heads/master"},
  "pipeline":"periodic","buildset":{"uuid":"bs10"}}
]`;

describe('Zuul builds parser', () => {
  it('reads the Zuul 9 shape (change fields at the top); leaves out running and retried builds', () => {
    const page = parseZuulBuilds(JSON.parse(ZUUL_9), { where });
    assert.equal(page.builds.length, 1);
    assert.deepEqual({ running: page.running, retried: page.retried }, { running: 1, retried: 1 });
    assert.deepEqual(page.builds[0], {
      uuid: '2b8c5e5d0c6a4a6f9e4d3a2b1c0d9e8f',
      project: 'openstack/nova',
      branch: 'master',
      change: 880012,
      patchSet: 3,
      ref: 'refs/changes/12/880012/3',
      pipeline: 'check',
      job: 'nova-ceph-multistore',
      result: 'FAILURE',
      voting: false,
      startTime: Date.UTC(2024, 4, 2, 9, 14, 5),
      endTime: Date.UTC(2024, 4, 2, 10, 31, 40),
      durationSeconds: 4655,
      logUrl: 'https://logs.example.org/12/880012/3/check/nova-ceph-multistore/2b8c5e5/',
      buildset: '9a8b7c6d5e4f',
    });
    // Start times of every build on the page, running and retried ones too, for the sync's stop rule.
    assert.equal(page.newestStart, Date.UTC(2024, 4, 2, 9, 14, 5));
    assert.equal(page.oldestStart, Date.UTC(2024, 4, 2, 9, 0, 0));
  });

  it('reads the Zuul 10 shape (under `ref`), and builds of a branch (no change)', () => {
    const page = parseZuulBuilds(JSON.parse(ZUUL_10), { where });
    assert.deepEqual(
      page.builds.map((b) => [b.uuid, b.change, b.patchSet, b.branch, b.pipeline, b.result, b.durationSeconds]),
      [
        ['c0ffee', 880099, 12, 'stable/2024.2', 'gate', 'TIMED_OUT', 10807],
        ['periodic1', null, null, 'master', 'periodic', 'SUCCESS', 3600],
      ],
    );
  });

  it('an empty page is no builds', () => {
    assert.deepEqual(parseZuulBuilds([], { where }), { builds: [], running: 0, retried: 0, newestStart: null, oldestStart: null });
  });

  it('refuses what is not builds, naming the URL and the field', () => {
    const cases: Array<[unknown, RegExp, string | undefined]> = [
      [{ message: 'Tenant openstack does not exist.' }, /expected a JSON array of builds, received an object with keys message/, undefined],
      [[{ uuid: 'x', result: 'SUCCESS', pipeline: 'check', project: 'p' }], /expected text, received nothing/, '[0].job_name'],
      [
        [{ uuid: 'x', job_name: 'j', result: 'SUCCESS', pipeline: 'check', project: 'p', start_time: 'yesterday' }],
        /expected a time like 2024-05-01T12:00:00, received "yesterday"/,
        '[0].start_time',
      ],
      [
        [{ uuid: 'x', job_name: 'j', result: 'SUCCESS', pipeline: 'check', ref: { project: 'p', change: 'abc' } }],
        /expected a whole number or null, received "abc"/,
        '[0].ref.change',
      ],
    ];
    for (const [raw, message, field] of cases) {
      assert.throws(
        () => parseZuulBuilds(raw, { where }),
        (e: unknown) => {
          assert.ok(e instanceof StewardError);
          assert.equal(e.code, 'SOURCE_BAD_RESPONSE');
          assert.match(e.message, message);
          assert.equal(e.details.where, where);
          assert.equal(e.details.field, field);
          return true;
        },
      );
    }
  });

  it('reads times as UTC unless they carry a zone', () => {
    assert.equal(parseZuulTime('2024-05-01T12:00:00'), Date.UTC(2024, 4, 1, 12));
    assert.equal(parseZuulTime('2024-05-01 12:00:00.5'), Date.UTC(2024, 4, 1, 12, 0, 0, 500));
    assert.equal(parseZuulTime('2024-05-01T14:00:00+02:00'), Date.UTC(2024, 4, 1, 12));
    assert.equal(parseZuulTime(null), null);
    assert.equal(parseZuulTime('1 May 2024'), undefined);
  });
});
