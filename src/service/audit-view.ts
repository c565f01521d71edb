/**
 * The audit log as `steward audit --format json` prints it and /manage/audit shows it: one
 * definition of the filters and of each event's fields for the CLI and the web.
 */
import { StewardError } from '../model/errors.js';
import type { Store } from '../store/engine.js';
import { listAudit, type AuditFilter } from '../store/users-store.js';
import { parsePositiveInt, parseTime } from './params.js';

export interface AuditParamsText {
  limit?: string;
  event?: string;
  actor?: string;
  subject?: string;
  outcome?: string;
  since?: string;
  until?: string;
}

export interface AuditView {
  events: Array<{
    id: number;
    /** ISO 8601, UTC. */
    at: string;
    event: string;
    actor: string | null;
    subject: string | null;
    ip: string | null;
    outcome: string;
    detail: Record<string, unknown> | null;
  }>;
}

export const AUDIT_OUTCOMES = ['ok', 'refused', 'failed'] as const;

/**
 * The filter from text parameters; `name` says how the caller calls each one in errors (`--event`
 * on the command line, `event` on the web).
 */
export function parseAuditFilter(p: AuditParamsText, name: (param: string) => string): AuditFilter {
  const filter: AuditFilter = { limit: p.limit === undefined || p.limit === '' ? 50 : parsePositiveInt(p.limit, name('limit'), 1_000_000) };
  if (p.event) {
    if (!/^[a-z0-9][a-z0-9.-]*$/i.test(p.event))
      throw new StewardError('USAGE', `${name('event')} "${p.event}" is not an event name`, {
        hint: 'Give a name such as login, login.failed, user.role (login matches every login.* event).',
      });
    filter.event = p.event.toLowerCase();
  }
  if (p.outcome) {
    if (!(AUDIT_OUTCOMES as readonly string[]).includes(p.outcome))
      throw new StewardError('USAGE', `${name('outcome')} must be one of ${AUDIT_OUTCOMES.join(', ')}, not "${p.outcome}"`);
    filter.outcome = p.outcome;
  }
  if (p.actor) filter.actor = p.actor;
  if (p.subject) filter.subject = p.subject;
  if (p.since) filter.since = parseTime(p.since, name('since'));
  if (p.until) filter.until = parseTime(p.until, name('until'));
  if (filter.since !== undefined && filter.until !== undefined && filter.since >= filter.until) {
    throw new StewardError('USAGE', `${name('since')} ${p.since} is not before ${name('until')} ${p.until}`);
  }
  return filter;
}

/** The newest events that match, newest first. */
export async function buildAuditView(store: Store, filter: AuditFilter): Promise<AuditView> {
  const events = (await listAudit(store.db, filter)).map((e) => ({
    id: e.id,
    at: new Date(e.at).toISOString(),
    event: e.event,
    actor: e.actor,
    subject: e.subject,
    ip: e.ip,
    outcome: e.outcome,
    detail: e.detail ?? null,
  }));
  return { events };
}
