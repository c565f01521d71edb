import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatRestTimestamp, parseRestTimestamp, parseSshTimestamp } from './time.js';

describe('parseRestTimestamp', () => {
  it('reads Gerrit REST timestamps as UTC with nanosecond fractions truncated to ms', () => {
    assert.equal(parseRestTimestamp('2015-04-10 12:34:56.123000000'), Date.UTC(2015, 3, 10, 12, 34, 56, 123));
    assert.equal(parseRestTimestamp('2015-04-10 12:34:56.123999999'), Date.UTC(2015, 3, 10, 12, 34, 56, 123));
    assert.equal(parseRestTimestamp('2011-07-18 22:05:33.000000000'), Date.UTC(2011, 6, 18, 22, 5, 33));
  });

  it('accepts leap days only in leap years', () => {
    assert.equal(parseRestTimestamp('2016-02-29 23:59:59.999999999'), Date.UTC(2016, 1, 29, 23, 59, 59, 999));
    assert.equal(parseRestTimestamp('2000-02-29 00:00:00'), Date.UTC(2000, 1, 29));
    assert.equal(parseRestTimestamp('1900-02-29 00:00:00'), null);
  });

  it('accepts a missing or short fraction and ISO separators', () => {
    assert.equal(parseRestTimestamp('2015-04-10 12:34:56'), Date.UTC(2015, 3, 10, 12, 34, 56));
    assert.equal(parseRestTimestamp('2015-04-10 12:34:56.5'), Date.UTC(2015, 3, 10, 12, 34, 56, 500));
    assert.equal(parseRestTimestamp('2015-04-10T12:34:56.000Z'), Date.UTC(2015, 3, 10, 12, 34, 56));
  });

  it('returns null for other shapes, impossible dates and non-strings', () => {
    for (const bad of [
      '',
      'yesterday',
      '2015-04-10',
      '2015-13-01 00:00:00',
      '2015-02-31 00:00:00',
      '2015-04-10 25:00:00',
      ' 2015-04-10 12:34:56',
    ]) {
      assert.equal(parseRestTimestamp(bad), null, bad);
    }
    assert.equal(parseRestTimestamp('2015-02-29 00:00:00'), null);
    assert.equal(parseRestTimestamp('2015-04-10 12:34:56.'), null);
    assert.equal(parseRestTimestamp('2015-04-10 12:34:56.1234567890'), null);
    assert.equal(parseRestTimestamp('2015-04-10 12:34:56.12x'), null);
    assert.equal(parseRestTimestamp(1428669296), null);
    assert.equal(parseRestTimestamp(undefined), null);
  });

  it('gives what Date.UTC gives, over four centuries of days, every hour, a leap second and years before 100', () => {
    const pad = (n: number, w: number) => String(n).padStart(w, '0');
    for (let day = Date.UTC(1800, 0, 1); day < Date.UTC(2201, 0, 1); day += 86_400_000) {
      const d = new Date(day);
      const [y, mo, dd] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
      const h = (day / 86_400_000) % 24;
      const text = `${pad(y, 4)}-${pad(mo, 2)}-${pad(dd, 2)} ${pad(Math.abs(h), 2)}:07:59.987654321`;
      assert.equal(parseRestTimestamp(text), Date.UTC(y, mo - 1, dd, Math.abs(h), 7, 59, 987), text);
    }
    assert.equal(parseRestTimestamp('2016-12-31 23:59:60'), Date.UTC(2017, 0, 1));
    assert.equal(parseRestTimestamp('0099-03-01 00:00:00'), Date.UTC(99, 2, 1));
    assert.equal(parseRestTimestamp('0100-03-01 00:00:00'), new Date('0100-03-01T00:00:00Z').getTime());
    assert.equal(parseRestTimestamp('9999-12-31 23:59:59.999'), new Date('9999-12-31T23:59:59.999Z').getTime());
  });

  it('round-trips with formatRestTimestamp', () => {
    const ts = Date.UTC(2023, 0, 5, 7, 8, 9, 45);
    assert.equal(formatRestTimestamp(ts), '2023-01-05 07:08:09.045000000');
    assert.equal(parseRestTimestamp(formatRestTimestamp(ts)), ts);
  });
});

describe('parseSshTimestamp', () => {
  it('converts epoch seconds to milliseconds', () => {
    assert.equal(parseSshTimestamp(1428669296), 1428669296000);
    assert.equal(parseSshTimestamp('1428669296'), 1428669296000);
    assert.equal(parseSshTimestamp(0), 0);
  });

  it('returns null for anything that is not a non-negative number of seconds', () => {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, '2015-04-10', '', null, undefined, {}]) {
      assert.equal(parseSshTimestamp(bad), null, String(bad));
    }
  });
});
