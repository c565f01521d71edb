/**
 * gerrit-dash-creator .dash files: reading them as its ConfigParser does, refusing malformed ones
 * with the line, and the Gerrit dashboard URL.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StewardError } from '../model/errors.js';
import { dashboardUrl, parseDashFile } from './dash-file.js';
import { defaultDashboards, REVIEW_INBOX_DASH } from './default-dashboards.js';

// The shape of openstack/gerrit-dash-creator's dashboards/nova.dash (abridged).
const NOVA = `[dashboard]
title = Nova Review Inbox
description = Review Inbox for OpenStack Compute
foreach = ( project:openstack/nova OR
            project:openstack/python-novaclient )
           status:open
           NOT owner:self
           NOT label:Workflow<=-1
           label:Verified>=1,zuul

# comment lines are skipped
[section "Small patches"]
query = NOT label:Code-Review>=2,self NOT label:Code-Review<=-1,nova-core NOT message:"DNM" delta:<=10

[section "Needs final +2"]
query: label:Code-Review>=2 limit:50 NOT label:workflow>=1
`;

function fails(text: string, pattern: RegExp, line: number): void {
  try {
    parseDashFile(text, 'x.dash');
  } catch (e) {
    assert.ok(e instanceof StewardError);
    assert.equal(e.code, 'INPUT_FORMAT');
    assert.match(e.message, pattern);
    assert.equal(e.details.line, line);
    return;
  }
  assert.fail('expected an error');
}

describe('.dash files', () => {
  it('reads title, description, a continued foreach and the sections in order', () => {
    const d = parseDashFile(NOVA, 'dashboards/nova.dash');
    assert.equal(d.name, 'nova');
    assert.equal(d.title, 'Nova Review Inbox');
    assert.equal(d.description, 'Review Inbox for OpenStack Compute');
    assert.equal(
      d.foreach,
      '( project:openstack/nova OR project:openstack/python-novaclient ) status:open NOT owner:self NOT label:Workflow<=-1 label:Verified>=1,zuul',
    );
    assert.deepEqual(
      d.sections.map((s) => [s.name, s.line]),
      [
        ['Small patches', 13],
        ['Needs final +2', 16],
      ],
    );
    assert.equal(d.sections[1]!.query, 'label:Code-Review>=2 limit:50 NOT label:workflow>=1');
  });

  it('refuses malformed files, naming the line', () => {
    fails('title = x\n', /a key before any \[section\] header/, 1);
    fails('[dashboard]\ntitle = x\n', /option 'foreach' in section 'dashboard' not set/, 1);
    fails('[dashboard]\nforeach = status:open\n[section "A"]\nquery = x:y\n', /option 'title'/, 1);
    fails('[dashboard]\ntitle = t\nforeach = status:open\n[section "A"]\n', /option 'query' in section 'A' not set/, 4);
    fails('[dashboard]\ntitle = t\nforeach = status:open\n[sektion "A"]\nquery = x\n', /unknown section \[sektion "A"\]/, 4);
    fails('[dashboard]\ntitle = t\nforeach = status:open\nthis is not a key\n', /expected "key = value"/, 4);
    fails('[dashboard]\ntitle = t\ntitle = u\n', /`title` is set twice/, 3);
    fails('[dashboard]\ntitle = t\nforeach = status:open\n', /no \[section "Name"\]/, 1);
  });

  it('builds the Gerrit dashboard URL, commas and spaces encoded, with renames', () => {
    const d = parseDashFile(
      '[dashboard]\ntitle = My Inbox\nforeach = status:open\n[section "Core -1"]\nquery = label:Code-Review<=-1,core\n',
      'x.dash',
    );
    assert.equal(
      dashboardUrl(d, 'https://review.opendev.org/', (q) => q.replace(',core', ',nova-core')),
      'https://review.opendev.org/dashboard/?title=My%20Inbox&foreach=status%3Aopen&Core%20-1=label%3ACode-Review%3C%3D-1%2Cnova-core',
    );
  });

  it('the shipped dashboards parse, and have the sections a lead expects', () => {
    const [inbox] = defaultDashboards();
    assert.equal(inbox!.name, 'review-inbox');
    assert.equal(inbox!.origin, 'shipped with Steward');
    assert.equal(inbox!.sections.length, 6);
    for (const want of [/Priority/, /final \+2/, /Bug fixes passing CI/, /Trivial fixes/, /five days with no review/, /Starved/]) {
      assert.ok(
        inbox!.sections.some((s) => want.test(s.name)),
        String(want),
      );
    }
    assert.ok(REVIEW_INBOX_DASH.startsWith('#'));
  });
});
