/**
 * The demo's security side (docs/demo.md, docs/security.md): a small security team with one member
 * who has had no time for months, embargoed items in every state of the process (one near its
 * cap), grantees of each kind and one whose grant was revoked. A plan relative to the demo's `now`;
 * cli/commands/demo-security.ts carries it out through the tracker's service, so every step is
 * dated, attributed, sealed and audited as a real one would be. DEMO_SECURITY_TRUTH is what a test
 * finds again in the reports.
 */
import { SECURITY_STATES, type GrantKind, type SecurityState, type TransitionRequest } from '../model/security.js';

const DAY = 86_400_000;

export interface DemoSecurityStep {
  daysAgo: number;
  actor: string;
  req: TransitionRequest;
}

export interface DemoSecurityItem {
  key: string;
  title: string;
  description: string;
  project: string;
  reporter: string;
  receivedDaysAgo: number;
  assignee: string;
  steps: DemoSecurityStep[];
  grants: Array<{ user: string; kind: GrantKind; daysAgo: number; by: string; revokedDaysAgo?: number }>;
  patches: Array<{ daysAgo: number; author: string; branch: string; reviewedBy?: string }>;
}

export interface DemoSecurityPlan {
  admin: string;
  team: Array<{ name: string; addedDaysAgo: number }>;
  users: string[];
  items: DemoSecurityItem[];
}

export const DEMO_SECURITY_TRUTH = {
  team: ['sec-ana', 'sec-ben', 'sec-cho'],
  /** The member with no security activity for months. */
  inactive: ['sec-cho'],
  /** The open item 78 days into a 90-day cap. */
  nearCap: 'demo-fix',
  grantee: 'down-fay',
  formerGrantee: 'former-gus',
  // One item in every state, main line first (the order of SECURITY_STATES).
  states: [...SECURITY_STATES] as SecurityState[],
} as const;

const VECTOR = 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:N';

/** The steps that bring an item received `age` days ago to `state`, spread over its life, by alternating members. */
function stepsTo(state: SecurityState, age: number, actors: [string, string], now: number): DemoSecurityStep[] {
  const line: Array<TransitionRequest> = [
    { to: 'triaged', verdict: 'confirmed', cvssVector: VECTOR, releases: ['2026.1'], branches: ['master', 'stable/2026.1'] },
    { to: 'fix-in-progress' },
    { to: 'cve-assigned', cve: 'CVE-2026-40001' },
    { to: 'disclosure-date-agreed', disclosureDate: '' },
    { to: 'pre-disclosure-sent', preDisclosureList: ['distros@lists.example.org', 'cloud-provider@example.com'] },
    { to: 'disclosed', advisory: 'DEMO-2026-001', publicChanges: ['https://review.example.org/c/demo/compute/+/4242'] },
    { to: 'closed' },
  ];
  let wanted: TransitionRequest[];
  if (state === 'rejected') wanted = [{ to: 'triaged', verdict: 'rejected', note: 'works as documented: the setting is admin-only' }];
  else if (state === 'public') wanted = [line[0]!, { to: 'public', note: 'posted to a public bug tracker by a third party' }];
  else if (state === 'received') wanted = [];
  else wanted = line.slice(0, line.findIndex((r) => r.to === state) + 1);
  // Steps from age-2 days down to 1 day ago, evenly.
  return wanted.map((req, i) => {
    const daysAgo = Math.max(1, Math.round(age - 2 - ((age - 3) * i) / Math.max(1, wanted.length)));
    if (req.to === 'disclosure-date-agreed') {
      // Agreed for a day after the step, before the item's last step.
      const day = new Date(now - (daysAgo - 10) * DAY).toISOString().slice(0, 10);
      req = { ...req, disclosureDate: day };
    }
    return { daysAgo, actor: actors[i % 2]!, req };
  });
}

/** The plan at the demo's `now` (epoch ms). */
export function demoSecurityPlan(now: number): DemoSecurityPlan {
  const actors: [string, string] = ['sec-ana', 'sec-ben'];
  const ages: Record<string, number> = {
    received: 3,
    triaged: 10,
    'fix-in-progress': 78,
    'cve-assigned': 30,
    'disclosure-date-agreed': 40,
    'pre-disclosure-sent': 50,
    disclosed: 120,
    closed: 170,
    rejected: 20,
    public: 60,
  };
  const items: DemoSecurityItem[] = DEMO_SECURITY_TRUTH.states.map((state, n) => {
    const age = ages[state]!;
    const key = state === 'fix-in-progress' ? DEMO_SECURITY_TRUTH.nearCap : `demo-${state}`;
    const steps = stepsTo(state, age, n % 2 ? ['sec-ben', 'sec-ana'] : actors, now);
    const fixStep = steps.find((s) => s.req.to === 'fix-in-progress');
    return {
      key,
      title: `Demo vulnerability ${n + 1}: ${state === 'rejected' ? 'admin setting reachable' : 'token exposure'} in the ${state} item`,
      description: `A planted report that the demo keeps in state ${state}.`,
      project: 'demo/compute',
      reporter: 'rep-dana',
      receivedDaysAgo: age,
      assignee: n % 2 ? 'sec-ben' : 'sec-ana',
      steps,
      grants: [
        { user: DEMO_SECURITY_TRUTH.grantee, kind: 'downstream', daysAgo: age - 1, by: 'sec-ana' },
        ...(fixStep ? [{ user: 'fix-eli', kind: 'fix-author' as const, daysAgo: fixStep.daysAgo, by: 'sec-ana' }] : []),
        { user: DEMO_SECURITY_TRUTH.formerGrantee, kind: 'downstream', daysAgo: age - 1, by: 'sec-ben', revokedDaysAgo: 1 },
      ],
      patches: fixStep ? [{ daysAgo: Math.max(1, fixStep.daysAgo - 1), author: 'fix-eli', branch: 'master', reviewedBy: 'sec-ben' }] : [],
    };
  });
  // The inactive member's last work: an old report triaged and rejected over 200 days ago.
  items.push({
    key: 'demo-old',
    title: 'Demo vulnerability 0: an old report',
    description: 'Handled by sec-cho long ago.',
    project: 'demo/compute',
    reporter: 'rep-dana',
    receivedDaysAgo: 230,
    assignee: 'sec-cho',
    steps: [
      { daysAgo: 226, actor: 'sec-cho', req: { to: 'triaged', verdict: 'rejected', note: 'not reproducible' } },
      { daysAgo: 210, actor: 'sec-cho', req: { to: 'closed' } },
    ],
    grants: [],
    patches: [],
  });
  return {
    admin: 'demo-admin',
    team: DEMO_SECURITY_TRUTH.team.map((name) => ({ name, addedDaysAgo: 400 })),
    users: [
      'demo-admin',
      ...DEMO_SECURITY_TRUTH.team,
      'rep-dana',
      'fix-eli',
      DEMO_SECURITY_TRUTH.grantee,
      DEMO_SECURITY_TRUTH.formerGrantee,
    ],
    items,
  };
}
