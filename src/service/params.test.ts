/**
 * Report parameters shared by the command line and the web: times that do not exist are refused
 * with the parameter's name, never rolled over into the next month or day.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StewardError } from '../model/errors.js';
import { parseTime, resolveWindowAt } from './params.js';

function usageError(fn: () => unknown): StewardError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof StewardError, `expected a StewardError, got ${String(e)}`);
    assert.equal(e.code, 'USAGE');
    return e;
  }
  assert.fail('expected a usage error');
}

describe('parseTime', () => {
  it('reads dates, date-times with and without offsets, and epoch milliseconds', () => {
    assert.equal(parseTime('2026-02-28', '--since'), Date.UTC(2026, 1, 28));
    assert.equal(parseTime('2024-02-29', '--since'), Date.UTC(2024, 1, 29));
    assert.equal(parseTime('2026-03-01T23:59:59Z', '--until'), Date.UTC(2026, 2, 1, 23, 59, 59));
    assert.equal(parseTime('2026-03-01 12:30', '--until'), Date.UTC(2026, 2, 1, 12, 30));
    assert.equal(parseTime('2026-03-01T12:30:00+02:00', '--now'), Date.UTC(2026, 2, 1, 10, 30));
    assert.equal(parseTime('1772409600000', '--now'), 1772409600000);
  });

  it('refuses days that do not exist in their month instead of moving them to the next month', () => {
    const feb30 = usageError(() => parseTime('2026-02-30', '--since'));
    assert.match(feb30.message, /^--since must be a date that exists, not "2026-02-30"/);
    assert.match(feb30.message, /February 2026 has 28 days/);
    assert.match(usageError(() => parseTime('2026-04-31T10:00:00Z', 'until')).message, /^until .*April 2026 has 30 days/);
    assert.match(usageError(() => parseTime('2025-02-29', 'now')).message, /^now .*February 2025 has 28 days/);
    assert.match(usageError(() => parseTime('2026-01-00', '--since')).message, /not day 00/);
  });

  it('refuses month 13 and times past 23:59:59', () => {
    assert.match(
      usageError(() => parseTime('2026-13-01', '--until')).message,
      /^--until must be a date that exists, not "2026-13-01": there is no month 13/,
    );
    assert.match(usageError(() => parseTime('2026-01-01T24:61Z', '--now')).message, /^--now .*hour must be 00 to 23/);
    assert.match(usageError(() => parseTime('2026-01-01T23:61', 'since')).message, /^since .*minute must be 00 to 59/);
    assert.match(usageError(() => parseTime('2026-01-01T23:59:60Z', 'since')).message, /second must be 00 to 59/);
    assert.match(usageError(() => parseTime('2026-01-01T12:00+25:00', 'since')).message, /offset \+25:00/);
  });

  it('refuses an impossible date given as a window bound, naming the bound as the caller spells it', () => {
    const e = usageError(() =>
      resolveWindowAt({ since: '2026-02-30' }, Date.UTC(2026, 5, 1), 90, { since: 'since', until: 'until', days: 'days' }),
    );
    assert.match(e.message, /^since must be a date that exists, not "2026-02-30"/);
  });
});
