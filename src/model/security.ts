/**
 * The embargoed vulnerability tracker's records (docs/security.md): the states an item goes
 * through, who may see it (grants), its private patches and the security team. Texts here are the
 * decrypted forms; the store keeps them sealed (store/secret-box.ts).
 */

/** The states of the process, in order along the main line. */
export const SECURITY_MAIN_LINE = [
  'received',
  'triaged',
  'fix-in-progress',
  'cve-assigned',
  'disclosure-date-agreed',
  'pre-disclosure-sent',
  'disclosed',
  'closed',
] as const;

/** The two ways off the main line: rejected at triage, or made public without an embargo. */
export const SECURITY_SIDE_STATES = ['rejected', 'public'] as const;

export const SECURITY_STATES = [...SECURITY_MAIN_LINE, ...SECURITY_SIDE_STATES] as const;
export type SecurityState = (typeof SECURITY_STATES)[number];

/** States in which the embargo runs (the item is open and not public). */
export const EMBARGO_STATES: readonly SecurityState[] = [
  'received',
  'triaged',
  'fix-in-progress',
  'cve-assigned',
  'disclosure-date-agreed',
  'pre-disclosure-sent',
];

export function isSecurityState(s: string): s is SecurityState {
  return (SECURITY_STATES as readonly string[]).includes(s);
}

/** Who an item is shared with besides the team. */
export const GRANT_KINDS = ['reporter', 'fix-author', 'downstream'] as const;
export type GrantKind = (typeof GRANT_KINDS)[number];

export function isGrantKind(s: string): s is GrantKind {
  return (GRANT_KINDS as readonly string[]).includes(s);
}

/** The protected text of an item (sealed at rest as one JSON object). */
export interface SecurityItemText {
  title: string;
  description: string;
  /** The project (a Gerrit project name) the report is about. */
  project: string;
  /** Affected releases (e.g. "2024.1") and branches (e.g. "stable/2024.1", "master"), set at triage. */
  releases: string[];
  branches: string[];
  cve: string | null;
  /** Who received the pre-disclosure notice. */
  preDisclosureList: string[];
  /** The published advisory (an id such as OSSA-2026-001, or a URL) and the public changes. */
  advisory: string | null;
  publicChanges: string[];
  /** The Launchpad bug the report came in from (`steward security intake`); absent for other reports. */
  launchpadBug?: number | null;
}

/** An item as the tracker holds it (texts decrypted). */
export interface SecurityItem {
  id: string;
  state: SecurityState;
  /** When the report came in (epoch ms): the embargo counts from here. */
  receivedAt: number;
  updatedAt: number;
  /** The team member the item is assigned to, or null. */
  assignee: string | null;
  cvssVector: string | null;
  /** The CVSS v3.1 base score, 0–10, one decimal. */
  cvssScore: number | null;
  /** The agreed public disclosure day, YYYY-MM-DD. */
  disclosureDate: string | null;
  text: SecurityItemText;
}

/** One dated, attributed step of an item's history. */
export interface SecurityTransition {
  id: number;
  itemId: string;
  at: number;
  actor: string;
  from: SecurityState | null;
  to: SecurityState;
  note: string;
}

export interface SecurityGrant {
  id: number;
  itemId: string;
  userId: number;
  userName: string;
  kind: GrantKind;
  grantedAt: number;
  grantedBy: string;
  revokedAt: number | null;
  revokedBy: string | null;
}

export interface SecurityPatch {
  id: number;
  itemId: string;
  branch: string;
  author: string;
  at: number;
  content: string;
}

export interface SecurityPatchReview {
  id: number;
  patchId: number;
  itemId: string;
  reviewer: string;
  at: number;
  /** +1 (good to go) or -1 (needs work). */
  vote: 1 | -1;
}

export interface SecurityTeamMember {
  userId: number;
  name: string;
  addedAt: number;
  addedBy: string;
}

/** What a reader is to an item: on the team, granted it (of which kind), or nothing. */
export interface SecurityRelation {
  team: boolean;
  grant: GrantKind | null;
}

/** CVSS v3.1's qualitative rating (analysis/cvss.ts computes it). */
export type CvssSeverity = 'None' | 'Low' | 'Medium' | 'High' | 'Critical';

/** Where an item stands against the embargo cap (analysis/security-process.ts embargoStatus). */
export type CapFlag = 'ok' | 'near-cap' | 'past-cap' | 'not-embargoed';

export interface SecurityListRow {
  id: string;
  state: SecurityState;
  title: string;
  project: string;
  cvssScore: number | null;
  severity: CvssSeverity | null;
  received: string;
  ageDays: number;
  daysLeft: number | null;
  capFlag: CapFlag;
  disclosureDate: string | null;
  assignee: string | null;
  /** What the reader is to the item: team, or its grant. */
  access: 'team' | GrantKind;
}

export interface SecurityListView {
  items: SecurityListRow[];
  embargoCapDays: number;
}

export interface SecurityItemView {
  item: Omit<SecurityItem, 'receivedAt' | 'updatedAt'> & { received: string; updated: string; severity: CvssSeverity | null };
  embargo: { ageDays: number; daysLeft: number | null; flag: CapFlag; capDays: number };
  access: 'team' | GrantKind;
  /** What the reader may do. */
  may: { change: boolean; patch: boolean };
  next: SecurityState[];
  transitions: Array<{ at: string; actor: string; from: SecurityState | null; to: SecurityState; note: string }>;
  patches: Array<{
    id: number;
    branch: string;
    author: string;
    at: string;
    content: string;
    reviews: Array<{ reviewer: string; at: string; vote: 1 | -1 }>;
  }>;
  /** Who the item is shared with: shown to the team only. */
  grants: Array<{
    user: string;
    kind: GrantKind;
    granted: string;
    grantedBy: string;
    revoked: string | null;
    revokedBy: string | null;
  }> | null;
}

/** What a transition carries; which fields are needed depends on the target state. */
export interface TransitionRequest {
  to: SecurityState;
  note?: string;
  /** triaged: confirmed, or rejected (the item goes to `rejected`). */
  verdict?: 'confirmed' | 'rejected';
  cvssVector?: string;
  releases?: string[];
  branches?: string[];
  cve?: string;
  /** disclosure-date-agreed: YYYY-MM-DD, today or later. */
  disclosureDate?: string;
  preDisclosureList?: string[];
  advisory?: string;
  publicChanges?: string[];
}
