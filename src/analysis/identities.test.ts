import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IdentityFacts, IdentityLink, PeopleDecision } from '../model/people.js';
import { personIndex, resolvePeople, splitBetween } from './identities.js';

const fact = (key: string, commits = 0, names: string[] = [], bot = false): IdentityFacts => ({ key, names, commits, bot });
const link = (a: string, b: string, evidence: IdentityLink['evidence'] = 'gerrit-email'): IdentityLink => ({
  a,
  b,
  evidence,
  source: 'test',
});
const decision = (id: number, kind: PeopleDecision['kind'], a: string, b: string): PeopleDecision => ({
  id,
  kind,
  a,
  b,
  actor: 't',
  at: id,
  note: null,
});

describe('resolvePeople', () => {
  const facts = [
    fact('email:a@x', 5, ['Ann']),
    fact('email:a@y', 9, ['ann']),
    fact('gerrit:h/1'),
    fact('gerrit:h/2'),
    fact('email:bot@x', 3, ['Bot'], true),
  ];
  it('joins on links only (never on names) and picks the most used address and name', () => {
    const people = resolvePeople({
      facts,
      links: [link('gerrit:h/1', 'email:a@x'), link('email:a@x', 'email:a@y', 'mailmap')],
      decisions: [],
    });
    assert.deepEqual(
      people.map((p) => p.identities),
      [['email:a@x', 'email:a@y', 'gerrit:h/1'], ['email:bot@x'], ['gerrit:h/2']],
    );
    assert.equal(people[0]!.preferredEmail, 'a@y');
    assert.equal(people[0]!.name, 'ann');
    assert.equal(people[1]!.bot, true);
  });
  it('a split holds whatever links would join, and a later exact merge undoes it', () => {
    const links = [link('gerrit:h/1', 'email:a@x'), link('gerrit:h/2', 'email:a@x')];
    const split = [decision(1, 'split', 'gerrit:h/1', 'gerrit:h/2')];
    const people = resolvePeople({ facts, links, decisions: split });
    const idx = personIndex(people);
    assert.notEqual(idx.get('gerrit:h/1'), idx.get('gerrit:h/2'));
    assert.equal(people.flatMap((p) => p.heldApart).length, 2); // the one link, listed with both people
    assert.ok(splitBetween(idx, split, 'email:a@x', 'gerrit:h/2'));
    const undone = resolvePeople({ facts, links, decisions: [...split, decision(2, 'merge', 'gerrit:h/2', 'gerrit:h/1')] });
    const j = personIndex(undone);
    assert.equal(j.get('gerrit:h/1'), j.get('gerrit:h/2'));
  });
  it('preferred addresses from a mapping win', () => {
    const people = resolvePeople({
      facts,
      links: [link('email:a@x', 'email:a@y', 'mapping')],
      decisions: [],
      preferred: new Map([['email:a@y', 'a@x']]),
    });
    assert.equal(people[0]!.preferredEmail, 'a@x');
  });
});
