/**
 * `steward audit`: reads the audit log of the web dashboard and of the user commands (who signed
 * in, failed to, was refused, changed what, from where). Newest first.
 */
import { toCsv } from '../../report/csv.js';
import { buildAuditView, parseAuditFilter, type AuditParamsText } from '../../service/audit-view.js';
import { openStoreFor, type GlobalOptions, type Runtime } from '../context.js';
import { parseFormat } from '../options.js';

export interface AuditOptions extends GlobalOptions, AuditParamsText {
  format?: string;
}

export async function runAudit(o: AuditOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  const filter = parseAuditFilter(o, (p) => `--${p}`);
  const store = await openStoreFor(o, rt);
  try {
    const { events } = await buildAuditView(store, filter);
    if (format === 'json') rt.stdout(JSON.stringify({ events }, null, 2) + '\n');
    else if (format === 'csv')
      rt.stdout(
        toCsv(
          ['id', 'at', 'event', 'actor', 'subject', 'ip', 'outcome', 'detail'],
          events.map((e) => [e.id, e.at, e.event, e.actor, e.subject, e.ip, e.outcome, e.detail ? JSON.stringify(e.detail) : null]),
        ),
      );
    else if (events.length === 0) rt.stdout('No audit events match.\n');
    else {
      for (const e of events) {
        const detail = e.detail ? ` ${JSON.stringify(e.detail)}` : '';
        rt.stdout(
          `${e.at.slice(0, 19).replace('T', ' ')}  ${e.event.padEnd(16)} ${e.outcome.padEnd(7)} ${(e.actor ?? '-').padEnd(16)} ${(e.subject ?? '-').padEnd(16)} ${e.ip ?? '-'}${detail}\n`,
        );
      }
    }
  } finally {
    await store.close();
  }
}
