/**
 * The rules of the embargoed vulnerability process (docs/security.md, "The process"): which
 * transition may follow which, what each needs, and the embargo's cap. Pure: the caller passes the
 * item, the request and the time.
 */
import { StewardError } from '../model/errors.js';
import { EMBARGO_STATES, SECURITY_MAIN_LINE, type CapFlag, type SecurityState, type TransitionRequest } from '../model/security.js';
import { cvssBaseScore } from './cvss.js';

const DAY = 86_400_000;

export type { TransitionRequest };

/** What the transition changes besides the state. */
export interface TransitionEffect {
  to: SecurityState;
  cvss?: { vector: string; score: number };
  releases?: string[];
  branches?: string[];
  cve?: string;
  disclosureDate?: string;
  preDisclosureList?: string[];
  advisory?: string;
  publicChanges?: string[];
}

/** The states an item may move to from `from`. */
export function nextStates(from: SecurityState): SecurityState[] {
  const i = (SECURITY_MAIN_LINE as readonly string[]).indexOf(from);
  const out: SecurityState[] = [];
  if (i >= 0 && i < SECURITY_MAIN_LINE.length - 1) out.push(SECURITY_MAIN_LINE[i + 1]!);
  if (from === 'received' || from === 'triaged') out.push('rejected');
  if (EMBARGO_STATES.includes(from)) out.push('public');
  if (from === 'rejected' || from === 'public') out.push('closed');
  return out;
}

const fail = (msg: string, hint?: string) => new StewardError('SECURITY_TRANSITION', msg, hint ? { hint } : {});

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function isRealDay(ymd: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(ymd)) return false;
  const t = Date.parse(`${ymd}T00:00:00Z`);
  return !Number.isNaN(t) && dayOf(t) === ymd;
}

/**
 * Checks a transition of an item in state `from` at `now` and says what it changes; throws
 * SECURITY_TRANSITION (or CVSS_INVALID) naming what is wrong. Triage with verdict `rejected` is
 * the move to `rejected`.
 *
 * @example checkTransition('received', { to: 'triaged', verdict: 'confirmed', cvssVector: 'CVSS:3.1/…', branches: ['master'] }, now)
 */
export function checkTransition(from: SecurityState, req: TransitionRequest, now: number): TransitionEffect {
  let to = req.to;
  if (to === 'triaged' && req.verdict === 'rejected') to = 'rejected';
  const allowed = nextStates(from);
  if (!allowed.includes(to)) {
    const main = SECURITY_MAIN_LINE as readonly string[];
    const how =
      main.indexOf(to) >= 0 && main.indexOf(from) >= 0 && main.indexOf(to) <= main.indexOf(from)
        ? 'that goes backwards'
        : main.indexOf(to) > main.indexOf(from) + 1 && main.indexOf(from) >= 0
          ? `that skips ${main.slice(main.indexOf(from) + 1, main.indexOf(to)).join(', ')}`
          : 'the process has no such step';
    throw fail(
      `an item in state ${from} cannot move to ${to}: ${how}`,
      allowed.length ? `From ${from} it can move to: ${allowed.join(', ')}.` : `${from} is the last state.`,
    );
  }
  const list = (xs: string[] | undefined) => (xs ?? []).map((x) => x.trim()).filter(Boolean);
  switch (to) {
    case 'triaged': {
      if (req.verdict !== 'confirmed') throw fail('triage needs a verdict: confirmed or rejected');
      if (!req.cvssVector) throw fail('a confirmed report needs its severity as a CVSS v3.1 vector');
      const c = cvssBaseScore(req.cvssVector);
      const branches = list(req.branches);
      if (branches.length === 0) throw fail('a confirmed report needs the affected branches (at least one)');
      return { to, cvss: { vector: c.vector, score: c.baseScore }, releases: list(req.releases), branches };
    }
    case 'rejected':
      if (!req.note?.trim()) throw fail('say why the report is rejected (a note)');
      return { to };
    case 'cve-assigned': {
      const cve = req.cve?.trim() ?? '';
      if (!/^CVE-\d{4}-\d{4,}$/.test(cve)) throw fail(`"${cve}" is not a CVE id like CVE-2026-12345`);
      return { to, cve };
    }
    case 'disclosure-date-agreed': {
      const d = req.disclosureDate?.trim() ?? '';
      if (!isRealDay(d)) throw fail(`"${d}" is not a day like 2026-03-31`);
      if (d < dayOf(now)) throw fail(`the disclosure date ${d} is in the past (today is ${dayOf(now)})`);
      return { to, disclosureDate: d };
    }
    case 'pre-disclosure-sent': {
      const l = list(req.preDisclosureList);
      if (l.length === 0) throw fail('record who received the pre-disclosure notice (at least one recipient)');
      return { to, preDisclosureList: l };
    }
    case 'disclosed': {
      const a = req.advisory?.trim() ?? '';
      if (!a) throw fail('name the published advisory (its id or URL)');
      return { to, advisory: a, publicChanges: list(req.publicChanges) };
    }
    case 'public':
      if (!req.note?.trim()) throw fail('say how the issue became public (a note)');
      return { to, publicChanges: list(req.publicChanges) };
    default:
      return { to };
  }
}

export type { CapFlag };

/**
 * Where an item stands against the embargo cap at `now`: its age in days from when it was received,
 * days left, and a flag — `near-cap` within `warnDays` of the cap, `past-cap` beyond it;
 * `not-embargoed` once disclosed, public, rejected or closed.
 */
export function embargoStatus(
  item: { state: SecurityState; receivedAt: number },
  now: number,
  rules: { embargoCapDays: number; embargoWarnDays: number },
): { ageDays: number; daysLeft: number | null; flag: CapFlag } {
  const ageDays = Math.floor((now - item.receivedAt) / DAY);
  if (!EMBARGO_STATES.includes(item.state)) return { ageDays, daysLeft: null, flag: 'not-embargoed' };
  const daysLeft = rules.embargoCapDays - ageDays;
  return { ageDays, daysLeft, flag: daysLeft < 0 ? 'past-cap' : daysLeft <= rules.embargoWarnDays ? 'near-cap' : 'ok' };
}
