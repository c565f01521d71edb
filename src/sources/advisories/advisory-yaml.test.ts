import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isStewardError, type StewardError } from '../../model/errors.js';
import { advisoryToYaml, parseAdvisory } from './advisory-yaml.js';

// A made-up advisory in the VMT's format, with the shapes real files use: a quoted folded
// description, a version that looks like a number, a reporter whose `reported` is one text, review
// links in three URL forms with remarks, a branch key naming a product, and `type` keys.
const SAMPLE = `date: 2031-02-03

id: XSA-2031-007

title: 'Widget service leaks tokens in logs'

description: 'Ada Example (Example Corp) found that the widget API logs
  the bearer token of every request at debug level.   '

reference: https://lists.example.org/msg1

affected-products:

  - product: widget
    version: 2014.10

  - product: 'Gadget, widget-client'
    version: '<2.0.1'

vulnerabilities:

  - cve-id: CVE-2031-12345
    impact-assessment:
      source: 'Example Security'
      rating: moderate
      assessment:
        type: CVSS2
        score: 5.0
        detail: AV:N/AC:L/Au:N/C:P/I:N/A:N
  - cve-id: CVE-2031-pending
    note: second path

reporters:

  - name: 'Ada Example'
    affiliation: 'Example Corp'
    reported: CVE-2031-12345

  - name: Bo Nobody

issues:
  links:
    - https://launchpad.net/bugs/0123456
    - https://bugs.launchpad.net/widget/+bug/7654321 (second path)
    - https://storyboard.openstack.org/#!/story/2000001
    - https://wiki.example.org/Note-1
  type: launchpad

reviews:
  master:
    - https://review.opendev.org/c/example/widget/+/900001
  2030.1/aster(widget):
    - https://review.example.org/#/c/4242/ (widget)
  legacy:
    - https://review.example.org/777 - errata
    - Patch attached to https://bugs.launchpad.net/widget/+bug/7654321/comments/3
  type: gerrit

notes:
  - The legacy branch is unmaintained.
`;

function failure(text: string, options = {}): StewardError {
  try {
    parseAdvisory(text, 'x/XSA-2031-007.yaml', options);
  } catch (e) {
    if (isStewardError(e)) return e;
    throw e;
  }
  assert.fail('expected the advisory to be refused');
}

describe('parseAdvisory', () => {
  it('reads every field as written, scalars as text', () => {
    const { advisory: a } = parseAdvisory(SAMPLE, 'x.yaml');
    assert.equal(a.id, 'XSA-2031-007');
    assert.equal(a.date, '2031-02-03');
    assert.equal(a.title, 'Widget service leaks tokens in logs');
    assert.equal(
      a.description,
      'Ada Example (Example Corp) found that the widget API logs the bearer token of every request at debug level.   ',
    );
    assert.deepEqual(a.products, [
      { product: 'widget', version: '2014.10' },
      { product: 'Gadget, widget-client', version: '<2.0.1' },
    ]);
    assert.equal(a.vulnerabilities[0]!.impactAssessment!.assessment!.score, 5);
    assert.equal(a.vulnerabilities[1]!.note, 'second path');
    assert.deepEqual(a.reporters, [
      { name: 'Ada Example', affiliation: 'Example Corp', reported: ['CVE-2031-12345'] },
      { name: 'Bo Nobody', affiliation: null, reported: null },
    ]);
    assert.equal(a.issues.type, 'launchpad');
    assert.equal(a.reviewsType, 'gerrit');
    assert.deepEqual(
      a.reviews.map((g) => g.branch),
      ['master', '2030.1/aster(widget)', 'legacy'],
    );
    assert.deepEqual(a.notes, ['The legacy branch is unmaintained.']);
    assert.equal(a.errata, null);
  });

  it('derives products, CVEs, bugs and Gerrit changes', () => {
    const { facts } = parseAdvisory(SAMPLE, 'x.yaml');
    assert.deepEqual(facts.products, ['widget', 'gadget', 'widget-client']);
    assert.deepEqual(facts.cves, ['CVE-2031-12345']);
    assert.deepEqual(
      facts.bugs.map((b) => [b.tracker, b.bug, b.note]),
      [
        ['launchpad', '123456', null],
        ['launchpad', '7654321', '(second path)'],
        ['storyboard', '2000001', null],
        ['other', null, null],
      ],
    );
    assert.deepEqual(
      facts.reviews.map((r) => [r.series, r.host, r.number, r.note]),
      [
        ['master', 'review.opendev.org', 900001, null],
        ['2030.1/aster', 'review.example.org', 4242, '(widget)'],
        ['legacy', 'review.example.org', 777, '- errata'],
        ['legacy', null, null, 'Patch attached to'],
      ],
    );
  });

  it('round-trips: written out and read back, the advisory is unchanged', () => {
    const first = parseAdvisory(SAMPLE, 'x.yaml');
    const text = advisoryToYaml(first.advisory);
    assert.match(text, /^date: 2031-02-03\n\nid: XSA-2031-007\n\ntitle: /);
    assert.deepEqual(parseAdvisory(text, 'written').advisory, first.advisory);
    // A description kept with its trailing blank lines survives the blank line between keys.
    const kept = { ...first.advisory, description: 'First.\n\nSecond.\n\n' };
    assert.deepEqual(parseAdvisory(advisoryToYaml(kept), 'written').advisory, kept);
  });

  it('refuses a missing id, naming the file and field', () => {
    const e = failure(SAMPLE.replace('id: XSA-2031-007\n', ''));
    assert.equal(e.code, 'INPUT_FORMAT');
    assert.equal(e.details.where, 'x/XSA-2031-007.yaml');
    assert.equal(e.details.field, 'id');
    assert.match(e.message, /missing/);
  });

  it('refuses a bad date with its line', () => {
    const e = failure(SAMPLE.replace('date: 2031-02-03', 'date: 2031-02-30'));
    assert.equal(e.details.field, 'date');
    assert.equal(e.details.line, 1);
    assert.match(e.message, /YYYY-MM-DD.*2031-02-30/);
    assert.equal(failure(SAMPLE.replace('date: 2031-02-03', 'date: Feb 3')).details.field, 'date');
  });

  it('refuses an unknown product when the known products are given, and a malformed one always', () => {
    const e = failure(SAMPLE, { knownProducts: new Set(['widget', 'widget-client']) });
    assert.equal(e.details.field, 'affected-products[1].product');
    assert.equal(e.details.line, 17);
    assert.match(e.message, /unknown product "Gadget"/);
    assert.ok(parseAdvisory(SAMPLE, 'x', { knownProducts: new Set(['widget', 'gadget', 'widget-client']) }));
    const bad = failure(SAMPLE.replace("product: 'Gadget, widget-client'", 'product: "gadget; rm -rf"'));
    assert.equal(bad.details.field, 'affected-products[1].product');
    assert.match(
      failure(SAMPLE.replace(/affected-products:[\s\S]*?\nvulnerabilities/, 'affected-products: []\n\nvulnerabilities')).message,
      /no product/,
    );
  });

  it('refuses unknown keys, wrong shapes and YAML errors with lines', () => {
    const k = failure(SAMPLE.replace('reference:', 'referenec:'));
    assert.equal(k.details.field, 'referenec');
    assert.match(k.message, /unknown key/);
    const s = failure(SAMPLE.replace("  - name: 'Ada Example'", "  - name: ['Ada Example']"));
    assert.equal(s.details.field, 'reporters[0].name');
    const y = failure(SAMPLE.replace('title:', 'title: [unclosed'));
    assert.match(y.message, /not valid YAML/);
    assert.ok(y.details.line);
    const score = failure(SAMPLE.replace('score: 5.0', 'score: high'));
    assert.equal(score.details.field, 'vulnerabilities[0].impact-assessment.assessment.score');
  });

  it('refuses an alias bomb and deep nesting without expanding them', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++)
      levels.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    const bomb = `${levels.join('\n')}\nid: XSA-2031-001\n`;
    assert.match(failure(bomb).message, /aliases expand too many times/);
    const deep = `id: ${'['.repeat(200)}${']'.repeat(200)}\n`;
    assert.match(failure(deep).message, /nest more than/);
  });
});
