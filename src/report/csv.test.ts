/** The one CSV writer: RFC 4180 quoting, and text a spreadsheet would run as a formula neutralised. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csvField, flattenRows, toCsv } from './csv.js';

describe('csv', () => {
  it('quotes commas, quotes and line breaks; writes numbers, booleans, null and objects', () => {
    assert.equal(
      toCsv(
        ['a', 'b'],
        [
          ['x,y', 'say "hi"'],
          ['line\nbreak', null],
          [1.5, true],
          [{ k: 1 }, undefined],
        ],
      ),
      'a,b\n"x,y","say ""hi"""\n"line\nbreak",\n1.5,true\n"{""k"":1}",\n',
    );
  });

  it('neutralises text starting with =, +, -, @, tab or CR with a leading quote', () => {
    assert.equal(csvField('=HYPERLINK("http://evil.example","click")'), `"'=HYPERLINK(""http://evil.example"",""click"")"`);
    assert.equal(csvField('+cmd|/C calc!A0'), "'+cmd|/C calc!A0");
    assert.equal(csvField('-1+1|cmd'), "'-1+1|cmd");
    assert.equal(csvField('@SUM(A1:A9)'), "'@SUM(A1:A9)");
    assert.equal(csvField('\t=1+1'), "'\t=1+1");
    assert.equal(csvField('\r=1+1'), `"'\r=1+1"`);
    assert.equal(toCsv(['reviewer'], [['=HYPERLINK("x")']]), `reviewer\n"'=HYPERLINK(""x"")"\n`);
  });

  it('leaves numbers, text that is just a number, and ordinary text as they are', () => {
    assert.equal(csvField(-3), '-3');
    assert.equal(csvField(-0.25), '-0.25');
    assert.equal(csvField('-1'), '-1');
    assert.equal(csvField('+2'), '+2');
    assert.equal(csvField('-1.5e3'), '-1.5e3');
    assert.equal(csvField('alice'), 'alice');
    assert.equal(csvField('a=b'), 'a=b');
    assert.equal(csvField('2026-01-01T00:00:00.000Z'), '2026-01-01T00:00:00.000Z');
  });

  it('flattens nested values into key paths (values then go through the same writer)', () => {
    assert.deepEqual(flattenRows({ a: { b: 1 }, c: [2], d: [] }), [
      ['a.b', 1],
      ['c[0]', 2],
      ['d', ''],
    ]);
    assert.equal(toCsv(['key', 'value'], flattenRows({ name: '=1+1' })), "key,value\nname,'=1+1\n");
  });
});

describe('csv header', () => {
  it('keeps our own column names as written, even ones starting with + or -', () => {
    assert.equal(toCsv(['Reviewer', '+A', '+/- %', '-2'], [['=x', '+A', 1, -2]]), "Reviewer,+A,+/- %,-2\n'=x,'+A,1,-2\n");
  });
});
