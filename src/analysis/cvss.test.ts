import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StewardError } from '../model/errors.js';
import { cvssBaseScore, roundUp, severityOf } from './cvss.js';

describe('CVSS v3.1 base score', () => {
  // The FIRST "CVSS v3.1 Examples" document: each vulnerability's base vector and score.
  const examples: Array<[string, string, number]> = [
    ['CVE-2013-1937 phpMyAdmin XSS', 'AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1],
    ['CVE-2013-0375 MySQL replication', 'AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N', 6.4],
    ['CVE-2014-3566 SSLv3 POODLE', 'AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N', 3.1],
    ['CVE-2012-1516 VMware guest-to-host', 'AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H', 9.9],
    ['CVE-2009-0783 Tomcat', 'AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L', 4.2],
    ['CVE-2012-0384 Cisco IOS', 'AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 8.8],
    ['CVE-2015-1098 Apple iWork', 'AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', 7.8],
    ['CVE-2014-0160 Heartbleed', 'AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', 7.5],
    ['CVE-2014-6271 Shellshock', 'AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
    ['CVE-2008-1447 DNS cache poisoning', 'AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N', 6.8],
    ['CVE-2014-2005 Sophos encryption', 'AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 6.8],
    ['CVE-2010-0467 Joomla directory traversal', 'AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N', 5.8],
    ['full scope change', 'AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10],
    ['no impact', 'AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 0],
  ];
  for (const [name, v, score] of examples) {
    it(`${name}: ${v} → ${score}`, () => {
      const r = cvssBaseScore(`CVSS:3.1/${v}`);
      assert.equal(r.baseScore, score);
      assert.equal(r.severity, severityOf(score));
    });
  }

  it('metric order does not matter; temporal metrics are accepted and leave the base score alone', () => {
    const r = cvssBaseScore('CVSS:3.1/S:U/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H/E:P');
    assert.equal(r.baseScore, 9.8);
    assert.equal(r.vector, 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
  });

  it('roundUp is the specification’s: 4.02 → 4.1, 4.00 → 4.0, float noise ignored', () => {
    assert.equal(roundUp(4.02), 4.1);
    assert.equal(roundUp(4.0), 4.0);
    assert.equal(roundUp(4.000000000000001), 4.0);
  });

  it('severity bands: 0 None, 3.9 Low, 4.0 and 6.9 Medium, 7.0 High, 9.0 Critical', () => {
    assert.deepEqual([0, 0.1, 3.9, 4, 6.9, 7, 8.9, 9, 10].map(severityOf), [
      'None',
      'Low',
      'Low',
      'Medium',
      'Medium',
      'High',
      'High',
      'Critical',
      'Critical',
    ]);
  });

  for (const [bad, why] of [
    ['AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /start with "CVSS:3.1\/"/],
    ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /start with/],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H', /base metric A missing/],
    ['CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /metric AV takes N, A, L, P, not X/],
    ['CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /AV is given twice/],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:Q', /unknown metric ZZ/],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:', /not METRIC:VALUE/],
  ] as const) {
    it(`refuses ${bad}`, () => {
      assert.throws(
        () => cvssBaseScore(bad),
        (e: unknown) => e instanceof StewardError && e.code === 'CVSS_INVALID' && why.test(e.message),
      );
    });
  }
});
