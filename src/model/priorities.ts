/**
 * Release priorities: what a release's leads want reviewed first. Defined in steward.yaml
 * (`priorities:`) or in the store (`steward priorities add`, the web form); analysis/priorities.ts
 * merges the two (steward.yaml wins when both define the same release and title) and measures
 * whether the priorities' changes were reviewed faster.
 */
import type { Timestamp } from './records.js';

export interface PriorityDefinition {
  /** Release name as given (matched to the calendar case-insensitively). */
  release: string;
  title: string;
  /** Blueprint names (a change names one by its commit message or a bp/NAME topic). */
  blueprints: string[];
  /** Gerrit topics, exact. */
  topics: string[];
  /** Gerrit search queries (analysis/gerrit-query). */
  queries: string[];
}

export interface Priority extends PriorityDefinition {
  /** Where it is defined. */
  origin: 'config' | 'store';
  /** Store id of a store-defined priority; null for steward.yaml's. */
  id: number | null;
  createdAt: Timestamp | null;
  /** Who added it (a web user or the `--by` of the command line), when known. */
  createdBy: string | null;
}
