/**
 * The core membership history (`steward core history`, `/api/v1/core/history`): joins and leaves
 * of each project's core group, from the snapshots `steward sync` records (analysis/core-team.ts).
 */
import { membershipEvents } from '../analysis/core-team.js';
import { StewardError } from '../model/errors.js';
import type { Store } from '../store/engine.js';
import { loadAccounts } from '../store/queries/activity.js';
import { loadGroupSnapshots } from '../store/sync-store.js';
import type { CoreHistoryGroup, CoreHistoryView } from '../report/core-report.js';
import type { EffectiveConfig } from './effective-config.js';

export interface CoreHistoryParams {
  project?: readonly string[];
}

// The view's types live with its renderers (report/ may not import service/).
export type { CoreHistoryEvent, CoreHistoryGroup, CoreHistoryView } from '../report/core-report.js';

/** The history of every selected project with a core group, as `--format json` prints it. */
export async function buildCoreHistoryView(
  store: Store,
  params: CoreHistoryParams,
  effective: EffectiveConfig,
  _now: number,
): Promise<CoreHistoryView> {
  const { config, origin } = effective;
  const projects = config.projects.filter((p) => !params.project?.length || params.project.includes(p.name));
  const withGroup = projects.filter((p) => p.core?.group);
  if (withGroup.length === 0) {
    throw new StewardError(
      'CONFIG',
      `no project${params.project?.length ? ` among ${params.project.join(', ')}` : ''} has a core group (projects[].core.group) in ${origin}`,
      {
        hint: 'Name the Gerrit group that holds the core team, then run `steward sync` to record its membership.',
      },
    );
  }
  const accounts = new Map((await loadAccounts(store.db)).map((a) => [a.id, a]));
  const out: CoreHistoryGroup[] = [];
  const seen = new Set<string>();
  for (const p of withGroup) {
    const host = p.host ?? (config.hosts.length === 1 ? config.hosts[0]!.name : undefined);
    if (!host) throw new StewardError('CONFIG', `project ${p.name} names no host and steward.yaml lists several`);
    // A team over several repositories has one group: its history once, under the team's first repository.
    if (seen.has(`${host}\n${p.core!.group!}`)) continue;
    seen.add(`${host}\n${p.core!.group!}`);
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
  return { projects: withGroup.map((p) => p.name), sources: { config: origin }, groups: out };
}
