/**
 * Builders for review-flow tests: a change's history written as a story in hours since T0, with
 * known answers. Accounts: 1 owner, 2–5 humans, 9 the gating CI (votes Verified ±1/±2), 10 a
 * third-party CI (votes Verified ±1).
 */
import type { FlowChange, FlowMessage, FlowVote } from '../../src/model/flow.js';
import type { FlowContext } from '../../src/analysis/queue-state.js';

export const T0 = Date.UTC(2015, 3, 1, 0, 0, 0);
export const H = 3_600_000;
export const D = 24 * H;
export const OWNER = 1;
export const ALICE = 2;
export const BOB = 3;
export const CAROL = 4;
export const DAVE = 5;
export const ZUUL = 9;
export const THIRD_PARTY = 10;

export const CTX: FlowContext = { isBot: (id) => id === ZUUL || id === THIRD_PARTY, gatingCi: new Set([ZUUL]) };

/** `at(h)`: T0 + h hours. */
export const at = (hours: number): number => T0 + hours * H;

export function flowChange(number: number, over: Partial<FlowChange> = {}): FlowChange {
  return {
    id: number,
    host: 'review.example.org',
    project: 'demo/compute',
    branch: 'master',
    number,
    subject: `Change ${number}`,
    ownerId: OWNER,
    status: 'NEW',
    workInProgress: false,
    created: T0,
    updated: T0,
    mergedAt: null,
    abandonedAt: null,
    topic: null,
    hashtags: [],
    insertions: 10,
    deletions: 2,
    trivialFix: false,
    commitMessage: null,
    patchSets: [{ number: 1, created: T0 }],
    votes: [],
    messages: [],
    messagesComplete: true,
    files: [{ path: 'nova/compute/manager.py', insertions: 10, deletions: 2 }],
    links: [],
    ...over,
  };
}

export function vote(patchSet: number, label: string, value: number, voterId: number, hours: number, copied = false): FlowVote {
  return { patchSet, label, value, voterId, at: at(hours), copied };
}

let seq = 0;
export function message(hours: number, over: Partial<FlowMessage> = {}): FlowMessage {
  return { seq: seq++, patchSet: 1, authorId: ALICE, at: at(hours), kind: 'comment', event: null, ...over };
}

/** Patch sets created at the given hours (ps 1 at the first). */
export function patchSets(...hours: number[]): FlowChange['patchSets'] {
  return hours.map((h, i) => ({ number: i + 1, created: at(h) }));
}
