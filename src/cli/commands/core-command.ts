import { membershipEvents } from '../../analysis/core-team.js';
import { StewardError } from '../../model/errors.js';
import { toCsv } from '../../report/csv.js';
import { loadAccounts } from '../../store/queries/activity.js';
import { loadGroupSnapshots } from '../../store/sync-store.js';
import { effectiveConfig, openStoreFor, type GlobalOptions, type Runtime } from '../context.js';
import { parseFormat } from '../options.js';

export interface CoreHistoryOptions extends GlobalOptions {
  project?: string[];
  format?: string;
}

/** `steward core history`: joins and leaves of each project's core group, from sync snapshots. */
export async function runCoreHistory(o: CoreHistoryOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  const store = await openStoreFor(o, rt);
  try {
    const { config, origin } = await effectiveConfig(o, rt, store);
    const projects = config.projects.filter((p) => !o.project?.length || o.project.includes(p.name));
    const withGroup = projects.filter((p) => p.core?.group);
    if (withGroup.length === 0) {
      throw new StewardError('CONFIG', `no project${o.project?.length ? ` among ${o.project.join(', ')}` : ''} has a core group (projects[].core.group) in ${origin}`, {
        hint: 'Name the Gerrit group that holds the core team, then run `steward sync` to record its membership.',
      });
    }
    const accounts = new Map((await loadAccounts(store.db)).map((a) => [a.id, a]));
    const out = [];
    for (const p of withGroup) {
      const host = p.host ?? (config.hosts.length === 1 ? config.hosts[0]!.name : undefined);
      if (!host) throw new StewardError('CONFIG', `project ${p.name} names no host and steward.yaml lists several`);
      const snaps = await loadGroupSnapshots(store.db, host, p.core!.group!);
      const events = membershipEvents(snaps).map((e) => {
        const a = accounts.get(e.accountId);
        return {
          date: new Date(e.at).toISOString(),
          notBefore: e.notBefore === null ? null : new Date(e.notBefore).toISOString(),
          change: e.change,
          username: a?.username ?? null,
          name: a?.name ?? null,
          gerritAccountId: a?.gerritId ?? null,
        };
      });
      const last = snaps.at(-1);
      out.push({
        project: p.name,
        host,
        group: p.core!.group!,
        snapshots: snaps.length,
        lastChecked: last ? new Date(last.checkedAt).toISOString() : null,
        currentMembers: last ? last.memberIds.map((id) => accounts.get(id)?.username ?? accounts.get(id)?.name ?? String(id)).sort() : [],
        events,
      });
    }
    if (format === 'json') rt.stdout(JSON.stringify(out, null, 2) + '\n');
    else if (format === 'csv') {
      rt.stdout(toCsv(['project', 'group', 'date', 'not_before', 'change', 'username', 'name'], out.flatMap((g) => g.events.map((e) => [g.project, g.group, e.date, e.notBefore, e.change, e.username, e.name]))));
    } else {
      for (const g of out) {
        rt.stdout(`${g.project}: core group ${g.group} on ${g.host} — ${g.snapshots} snapshot(s), last checked ${g.lastChecked ?? 'never (run steward sync)'}\n`);
        if (g.events.length === 0) rt.stdout('  no membership recorded yet\n');
        for (const e of g.events) {
          rt.stdout(`  ${e.date.slice(0, 16).replace('T', ' ')}  ${e.change === 'joined' ? '+' : '-'} ${(e.username ?? e.name ?? '?').padEnd(20)} ${e.change}${e.notBefore ? ` (between ${e.notBefore.slice(0, 10)} and ${e.date.slice(0, 10)})` : ' (first snapshot)'}\n`);
        }
        rt.stdout(`  current members (${g.currentMembers.length}): ${g.currentMembers.join(', ')}\n`);
      }
    }
  } finally {
    await store.close();
  }
}
