import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStewardError } from '../../model/errors.js';
import { parseMailmap } from './mailmap.js';

describe('parseMailmap', () => {
  it('reads the four forms, comments and blank lines', () => {
    const m = parseMailmap(
      [
        '# people',
        'Ann Lee <ann@Home.example>',
        '<ann@corp.example> <al@old.example>',
        'Ann Lee <ann@corp.example> <ann@x.example>   # trailing comment',
        'Ann Lee <ann@corp.example> ann <a#1@y.example>',
        '',
      ].join('\n'),
      '.mailmap',
    );
    assert.deepEqual(
      m.map((e) => [e.properName, e.properEmail, e.commitName, e.commitEmail, e.line]),
      [
        ['Ann Lee', null, null, 'ann@home.example', 2],
        [null, 'ann@corp.example', null, 'al@old.example', 3],
        ['Ann Lee', 'ann@corp.example', null, 'ann@x.example', 4],
        ['Ann Lee', 'ann@corp.example', 'ann', 'a#1@y.example', 5],
      ],
    );
  });
  for (const [line, why] of [
    ['Ann <broken', 'expected a name and one or two <address> parts'],
    ['<a@x> <b@x> <c@x>', 'more than two <address> parts'],
    ['Ann <not-an-address>', 'an address without "@"'],
    ['<a@x.example>', 'a lone <address> maps nothing'],
  ])
    it(`refuses "${line}" naming the line`, () => {
      assert.throws(
        () => parseMailmap(`Good <g@x.example> <h@x.example>\n${line}\n`, 'people.mailmap'),
        (e: unknown) => isStewardError(e) && e.code === 'INPUT_FORMAT' && e.message.startsWith(`people.mailmap:2: ${why}`),
      );
    });
});
