/**
 * A page's query as its route's schema hands it over (after validation and coercion). The schema
 * itself comes from the catalogue entry the page shows (service/catalogue); the names mirror the
 * command-line options (`--waiting-more` is `waitingMore`), so a URL reads like the command.
 */
export interface WebQuery {
  project?: string[];
  branch?: string[];
  pipeline?: string[];
  job?: string[];
  days?: number;
  since?: string;
  until?: string;
  now?: string;
  compat?: 'reviewstats';
  trivial?: boolean;
  bandwidth?: boolean;
  stable?: boolean;
  all?: boolean;
  longest?: number;
  waitingMore?: number;
  maxDelta?: number;
  threshold?: number;
  areaDepth?: number;
  newcomerChanges?: number;
  as?: string;
  release?: string;
}
