/**
 * `steward audit`: reads the audit log of the web dashboard and of the user commands (who signed
 * in, failed to, was refused, changed what, from where). Newest first.
 */
import { StewardError } from '../../model/errors.js';
import { toCsv } from '../../report/csv.js';
import { listAudit, type AuditFilter } from '../../store/users-store.js';
import { openStoreFor, type GlobalOptions, type Runtime } from '../context.js';
import { parseFormat, parsePositiveInt, parseTime } from '../options.js';

export interface AuditOptions extends GlobalOptions {
  limit?: string;
  event?: string;
  actor?: string;
  subject?: string;
  outcome?: string;
  since?: string;
  until?: string;
  format?: string;
}

const OUTCOMES = ['ok', 'refused', 'failed'];

export async function runAudit(o: AuditOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  const filter: AuditFilter = { limit: o.limit === undefined ? 50 : parsePositiveInt(o.limit, '--limit', 1_000_000) };
  if (o.event !== undefined) {
    if (!/^[a-z0-9][a-z0-9.-]*$/i.test(o.event)) throw new StewardError('USAGE', `--event "${o.event}" is not an event name`, { hint: 'Give a name such as login, login.failed, user.role (login matches every login.* event).' });
    filter.event = o.event.toLowerCase();
  }
  if (o.outcome !== undefined) {
    if (!OUTCOMES.includes(o.outcome)) throw new StewardError('USAGE', `--outcome must be one of ${OUTCOMES.join(', ')}, not "${o.outcome}"`);
    filter.outcome = o.outcome;
  }
  if (o.actor) filter.actor = o.actor;
  if (o.subject) filter.subject = o.subject;
  if (o.since) filter.since = parseTime(o.since, '--since');
  if (o.until) filter.until = parseTime(o.until, '--until');
  if (filter.since !== undefined && filter.until !== undefined && filter.since >= filter.until) {
    throw new StewardError('USAGE', `--since ${o.since} is not before --until ${o.until}`);
  }
  const store = await openStoreFor(o, rt);
  try {
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
    if (format === 'json') rt.stdout(JSON.stringify({ events }, null, 2) + '\n');
    else if (format === 'csv') rt.stdout(toCsv(['id', 'at', 'event', 'actor', 'subject', 'ip', 'outcome', 'detail'], events.map((e) => [e.id, e.at, e.event, e.actor, e.subject, e.ip, e.outcome, e.detail ? JSON.stringify(e.detail) : null])));
    else if (events.length === 0) rt.stdout('No audit events match.\n');
    else {
      for (const e of events) {
        const who = e.actor ?? '-';
        const detail = e.detail ? ` ${JSON.stringify(e.detail)}` : '';
        rt.stdout(`${e.at.slice(0, 19).replace('T', ' ')}  ${e.event.padEnd(16)} ${e.outcome.padEnd(7)} ${who.padEnd(16)} ${(e.subject ?? '-').padEnd(16)} ${e.ip ?? '-'}${detail}\n`);
      }
    }
  } finally {
    await store.close();
  }
}
