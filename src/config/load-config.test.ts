import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StewardError } from '../model/errors.js';
import { parseConfig } from './load-config.js';

const good = `
hosts:
  - name: review.opendev.org
    url: https://review.opendev.org
projects:
  - name: openstack/nova
    core:
      group: nova-core
      members: [alice, 1002]
bots: [zuul, 12345]
releases:
  - name: kilo
    start: 2014-10-16
    featureFreeze: 2015-03-19
    release: "2015-04-30"
`;

function configError(text: string): StewardError {
  try {
    parseConfig(text, 'steward.yaml');
  } catch (e) {
    assert.ok(e instanceof StewardError);
    assert.equal(e.code, 'CONFIG');
    return e;
  }
  assert.fail('expected a configuration error');
}

describe('steward.yaml', () => {
  it('accepts a full configuration and applies defaults to missing sections', () => {
    const c = parseConfig(good, 'steward.yaml');
    assert.equal(c.hosts[0]!.url, 'https://review.opendev.org');
    assert.deepEqual(c.projects[0]!.core!.members, ['alice', 1002]);
    assert.deepEqual(c.bots, ['zuul', 12345]);
    assert.equal(c.releases[0]!.featureFreeze, '2015-03-19');
    const empty = parseConfig('', 'steward.yaml');
    assert.deepEqual(
      { hosts: empty.hosts, projects: empty.projects, bots: empty.bots, releases: empty.releases },
      { hosts: [], projects: [], bots: [], releases: [] },
    );
    assert.equal(empty.coreRules.idleThreshold, 10, 'the idle-core rule defaults to fewer than 10 reviews');
    assert.equal(empty.coreRules.idleDays, 90);
  });

  it('names the file, line, key and what is allowed for an unknown key', () => {
    const e = configError('hosts:\n  - name: x\n    url: https://x.example\n    passwrd: nope\n');
    assert.match(e.message, /steward\.yaml:2: `hosts\[0\]` unknown key `passwrd`; allowed here: name, url/);
  });

  it('reports every problem at once, each with its line', () => {
    const e = configError(
      'projects:\n  - name: p\n    core: {}\nbots: [true]\nreleases:\n  - name: r\n    start: 2015-05-01\n    featureFreeze: 2015-04-01\n    release: 2015-06-01\n',
    );
    assert.match(e.message, /3 problems/);
    assert.match(e.message, /steward\.yaml:3: `projects\[0\]\.core` give the core team as `group`/);
    assert.match(e.message, /steward\.yaml:4: `bots\[0\]` expected a username \(text\) or a Gerrit account id \(number\)/);
    assert.match(e.message, /steward\.yaml:6: `releases\[0\]` dates must be in order/);
  });

  it('rejects a bad URL and a bad date with the allowed form', () => {
    const e = configError(
      'hosts:\n  - name: x\n    url: not-a-url\nreleases:\n  - name: r\n    start: 2015-13-45\n    featureFreeze: 2015-04-01\n    release: 2015-06-01\n',
    );
    assert.match(e.message, /`hosts\[0\]\.url` expected a URL like https:\/\/review\.opendev\.org/);
    assert.match(e.message, /`releases\[0\]\.start` not a real calendar date/);
  });

  it('refuses a release date that does not exist instead of moving it to the next month', () => {
    const e = configError('releases:\n  - name: r\n    start: 2015-02-30\n    featureFreeze: 2015-04-31\n    release: 2015-06-01\n');
    assert.match(e.message, /steward\.yaml:3: `releases\[0\]\.start` not a real calendar date/);
    assert.match(e.message, /steward\.yaml:4: `releases\[0\]\.featureFreeze` not a real calendar date/);
    assert.equal(
      parseConfig('releases:\n  - name: r\n    start: 2016-02-29\n    featureFreeze: 2016-04-30\n    release: 2016-06-01\n', 'steward.yaml')
        .releases[0]!.start,
      '2016-02-29',
    );
  });

  it('points at the line of a YAML syntax error', () => {
    const e = configError('hosts:\n  - name: x\n   url: [unclosed\n');
    assert.equal(e.details.where, 'steward.yaml');
    assert.ok(e.details.line && e.details.line >= 2, `line ${e.details.line}`);
  });

  it('reads the git section and checks its keys', () => {
    const c = parseConfig('git:\n  repo: ../nova\n  branch: master\n  landingCommitters: [Gerrit Code Review]\n', 'steward.yaml');
    assert.deepEqual(c.git, { repo: '../nova', branch: 'master', landingCommitters: ['Gerrit Code Review'] });
    assert.equal(parseConfig('', 'steward.yaml').git, undefined);
    assert.match(
      configError('git:\n  repo: x\n  brnch: main\n').message,
      /steward\.yaml:2: `git` unknown key `brnch`; allowed here: repo, branch, name, landingCommitters/,
    );
    assert.match(configError('git:\n  branch: main\n').message, /`git\.repo` is required/);
  });

  it('requires required keys', () => {
    const e = configError('hosts:\n  - url: https://x.example\n');
    assert.match(e.message, /`hosts\[0\]\.name` is required/);
  });

  it('refuses a billion-laughs alias bomb as a configuration error naming the file', () => {
    const levels = 'abcdefghi'.split('');
    const bomb = [
      'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
      ...levels.slice(1).map((c, i) => `${c}: &${c} [${Array(9).fill(`*${levels[i]}`).join(', ')}]`),
      'bots: *i',
    ].join('\n');
    const e = configError(bomb);
    assert.equal(e.details.where, 'steward.yaml');
    assert.match(e.message, /aliases expand too many times/);
  });

  it('still reads a few aliases that share a list', () => {
    const c = parseConfig('bots: &bots [zuul, jenkins]\nprojects:\n  - name: nova\n    core:\n      members: *bots\n', 'steward.yaml');
    assert.deepEqual(c.projects[0]!.core!.members, ['zuul', 'jenkins']);
  });

  it('refuses collections nested thousands deep, in flow or block style, without exhausting the stack', () => {
    const flow = configError(`hosts: ${'['.repeat(3000)}${']'.repeat(3000)}\n`);
    assert.equal(flow.details.where, 'steward.yaml');
    assert.equal(flow.details.line, 1);
    assert.match(flow.message, /nest more than 64 levels deep/);
    const block = configError(Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n') + ' 1\n');
    assert.match(block.message, /nest more than 64 levels deep/);
    assert.ok(block.details.line && block.details.line > 60 && block.details.line < 70, `line ${block.details.line}`);
    const seq = configError(`bots:\n${Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}- `).join('\n')}x\n`);
    assert.match(seq.message, /nest more than 64 levels deep/);
  });
});

describe('teams: one core team over several repositories', () => {
  const HOSTS = 'hosts:\n  - name: r.example\n    url: https://r.example\n';
  it('gives every repository of the team its core, and says which team it came from', () => {
    const c = parseConfig(
      `${HOSTS}projects:\n  - name: nova\n    host: r.example\nteams:\n  - name: nova\n    projects: [nova, nova-specs]\n    core:\n      group: nova-core\n      members: [a, b]\n`,
      'steward.yaml',
    );
    assert.deepEqual(
      c.projects.map((p) => [p.name, p.host, p.team, p.core?.group, p.core?.members]),
      [
        ['nova', 'r.example', 'nova', 'nova-core', ['a', 'b']],
        ['nova-specs', undefined, 'nova', 'nova-core', ['a', 'b']],
      ],
    );
  });

  it('refuses a repository in two teams, or with its own core as well, naming file, line and key', () => {
    const e = configError(
      `projects:\n  - name: nova\n    core:\n      members: [x]\nteams:\n  - name: t1\n    projects: [nova]\n    core: { members: [a] }\n  - name: t2\n    projects: [nova-specs, nova]\n    core: { members: [a] }\n  - name: t3\n    projects: []\n    core: {}\n`,
    );
    assert.match(e.message, /steward\.yaml:4: `projects\[0\]\.core` nova is covered by team "t1" \(teams\[0\]\): give its core team there/);
    assert.match(e.message, /steward\.yaml:10: `teams\[1\]\.projects\[1\]` nova is already covered by team "t1"/);
    assert.match(e.message, /steward\.yaml:13: `teams\[2\]\.projects` name at least one repository/);
    assert.match(e.message, /steward\.yaml:14: `teams\[2\]\.core` give the core team as `group`/);
  });

  it('reads a reviewstats project file as the whole configuration, or named in teams:', () => {
    const file = JSON.stringify(
      { name: 'nova', subprojects: ['openstack/nova', 'openstack/python-novaclient'], 'core-team': ['a', 'b'], lp_projects: ['nova'] },
      null,
      2,
    );
    const whole = parseConfig(file, 'nova.json');
    assert.deepEqual(
      whole.projects.map((p) => [p.name, p.team, p.core?.members]),
      [
        ['openstack/nova', 'nova', ['a', 'b']],
        ['openstack/python-novaclient', 'nova', ['a', 'b']],
      ],
    );
    const read: string[] = [];
    const named = parseConfig(`${HOSTS}teams:\n  - reviewstats: projects/nova.json\n    host: r.example\n`, 'steward.yaml', (rel) => {
      read.push(rel);
      return { text: file, where: `/cfg/${rel}` };
    });
    assert.deepEqual(read, ['projects/nova.json']);
    assert.deepEqual(named.teams[0], {
      name: 'nova',
      projects: ['openstack/nova', 'openstack/python-novaclient'],
      host: 'r.example',
      core: { members: ['a', 'b'] },
    });
    const group = parseConfig(JSON.stringify({ name: 'g', subprojects: ['x'], 'core-team-gerrit-group': 'x-core' }), 'g.json');
    assert.deepEqual(group.projects[0]!.core, { group: 'x-core' });
  });

  it('names the reviewstats file, its line and key when it is wrong', () => {
    const e = configError('{\n  "name": "nova",\n  "subprojects": "openstack/nova",\n  "core-teem": ["a"]\n}\n');
    assert.match(e.message, /steward\.yaml:3: `subprojects` expected array/i);
    assert.match(e.message, /steward\.yaml: unknown key `core-teem`; allowed here: name, subprojects, core-team/);
    const inner = (() => {
      try {
        parseConfig('teams:\n  - reviewstats: nova.json\n', 'steward.yaml', () => ({
          text: '{"name": "nova",\n "subprojects": []}',
          where: '/cfg/nova.json',
        }));
      } catch (err) {
        return err as StewardError;
      }
      assert.fail('expected an error');
    })();
    assert.match(inner.message, /\/cfg\/nova\.json:2: `subprojects` name at least one repository/);
    assert.match(inner.message, /\/cfg\/nova\.json: `core-team` give the core team/);
    assert.match(
      configError('teams:\n  - reviewstats: nova.json\n    core: {members: [a]}\n').message,
      /only `host` may be given beside `reviewstats`/,
    );
  });
});
