/**
 * People: one person behind several accounts and addresses (docs/people-and-history.md,
 * "Identities"). An identity is a key: `email:ADDRESS` (lower-cased), `gerrit:HOST/ID` (a Gerrit
 * account on one host) or `launchpad:ID`.
 */

/** An identity key: `email:ann@example.org`, `gerrit:review.opendev.org/1234`, `launchpad:ann`. */
export type IdentityKey = string;

/** Why two identities belong to one person. Only sure evidence joins people automatically. */
export type LinkEvidence =
  /** A Gerrit account's registered e-mail. */
  | 'gerrit-email'
  /** A `.mailmap` line mapping a commit address to a proper address. */
  | 'mailmap'
  /** steward.yaml `people` (an explicit mapping). */
  | 'mapping'
  /** An imported contributor file (default_data.json) listing both for one user. */
  | 'import'
  /** `steward people merge`. */
  | 'manual';

export interface IdentityLink {
  a: IdentityKey;
  b: IdentityKey;
  evidence: LinkEvidence;
  /** Where: the .mailmap file and line, the config file, the decision's number. */
  source: string;
}

/** A decision taken by hand (`steward people merge|split`), kept in the store with who and when. */
export interface PeopleDecision {
  id: number;
  kind: 'merge' | 'split';
  a: IdentityKey;
  b: IdentityKey;
  actor: string;
  at: number;
  note: string | null;
}

/** What is known of one identity by itself. */
export interface IdentityFacts {
  key: IdentityKey;
  /** Names seen with it (git author names, the Gerrit account's name), most used first. */
  names: string[];
  /** Merged commits authored with it (e-mail identities). */
  commits: number;
  /** Gerrit username (gerrit identities). */
  username?: string | null;
  /** A name a .mailmap or mapping gives as the proper one. */
  properName?: string | null;
  /** Marked a bot (by the bot rule or steward.yaml `bots`). */
  bot: boolean;
}

/** One person: the identities that are one human (or one bot). */
export interface Person {
  /** Stable within a store: the person's smallest identity key. */
  id: IdentityKey;
  name: string | null;
  /** The address to write to: a mapping's or .mailmap's proper address, else the most used. */
  preferredEmail: string | null;
  identities: IdentityKey[];
  bot: boolean;
  /** How the identities were joined, and the links a split kept from joining. */
  links: IdentityLink[];
  heldApart: IdentityLink[];
}
