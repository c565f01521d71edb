/**
 * The setup every review-flow report shares (queue, waits, dashboards): who is a bot, which CI
 * gates, who was core when, where changes link to; and the open changes' flows.
 */
import { membersAt } from '../analysis/core-team.js';
import { needsComments, needsRechecks, openChangeFlows, type OpenChangeFlow } from '../analysis/queue.js';
import { gatingCiIds, type FlowContext } from '../analysis/queue-state.js';
import type { StewardConfig } from '../config/config-schema.js';
import type { AccountInfo, GroupSnapshot } from '../model/activity.js';
import type { FlowChange } from '../model/flow.js';
import type { Store } from '../store/engine.js';
import { loadAccounts } from '../store/queries/activity.js';
import {
  attachDetails,
  listProjectNames,
  loadCiReporters,
  loadFlowChanges,
  loadGatingCiCandidates,
  loadHosts,
  readMessages,
} from '../store/queries/flow.js';
import { loadGroupSnapshots } from '../store/sync-store.js';
import { botIds, coreTeamIds, type EffectiveConfig } from './effective-config.js';
import { checkProjects } from './known-projects.js';

export interface FlowSetup {
  config: StewardConfig;
  origin: string;
  projects: string[];
  accounts: AccountInfo[];
  hostUrls: Map<string, string | null>;
  bots: Set<number>;
  ctx: FlowContext;
  /** The core team at a time (group snapshots from `steward sync`, else the configured members); null when none is configured. */
  coreAt: (t: number) => ReadonlySet<number> | null;
  nameOf: (accountId: number) => string;
  sources: { config: string; coreTeam: string; bots: string; gatingCi: string };
}

/**
 * What every flow report needs before loading changes: the projects asked for (checked against
 * the store; none = all), accounts, host links, bots, the gating CI and the core team over time.
 */
export async function flowSetup(store: Store, project: readonly string[] | undefined, effective: EffectiveConfig): Promise<FlowSetup> {
  const { config, origin } = effective;
  const [known, accounts, hosts, reporters, gating] = await Promise.all([
    listProjectNames(store.db),
    loadAccounts(store.db),
    loadHosts(store.db),
    loadCiReporters(store.db),
    loadGatingCiCandidates(store.db),
  ]);
  checkProjects(project, known);
  const projects = project?.length ? [...project] : known;
  const bots = botIds(config, accounts, reporters);
  const gatingCi = gatingCiIds(gating, bots);
  const configured = coreTeamIds(config, accounts, project ?? []);
  const snapshots: GroupSnapshot[][] = [];
  for (const p of config.projects.filter((x) => x.core?.group && (!project?.length || project.includes(x.name)))) {
    const host = p.host ?? (config.hosts.length === 1 ? config.hosts[0]!.name : hosts.length === 1 ? hosts[0]!.name : undefined);
    if (host) snapshots.push(await loadGroupSnapshots(store.db, host, p.core!.group!));
  }
  const withSnaps = snapshots.filter((s) => s.length > 0);
  const coreAt = (t: number): ReadonlySet<number> | null => {
    if (withSnaps.length === 0) return configured;
    const out = new Set<number>(configured ?? []);
    for (const s of withSnaps) for (const id of membersAt(s, t, configured) ?? []) out.add(id);
    return out;
  };
  const byId = new Map(accounts.map((a) => [a.id, a]));
  const nameOf = (id: number): string => {
    const a = byId.get(id);
    return a?.username ?? a?.name ?? a?.email ?? `account ${id}`;
  };
  const names = (ids: Iterable<number>) => [...ids].map(nameOf).sort().join(', ') || 'none';
  return {
    config,
    origin,
    projects,
    accounts,
    hostUrls: new Map(hosts.map((h) => [h.name, h.url])),
    bots,
    ctx: { isBot: (id) => bots.has(id), gatingCi },
    coreAt,
    nameOf,
    sources: {
      config: origin,
      coreTeam: withSnaps.length
        ? `group snapshots recorded by steward sync (before the first: core.members in ${origin})`
        : configured
          ? `core.members in ${origin}`
          : 'no core team configured',
      bots: `${config.bots.length} configured in ${origin}, plus every account that posted CI build reports (${bots.size} accounts in all)`,
      gatingCi: `${names(gatingCi)} (bots that ever voted Verified ±2${gating.some((g) => bots.has(g)) ? '' : '; none did, so every bot'})`,
    },
  };
}

/** Sets the subject of every listed entry from the changes (loading subjects for those only). */
export async function fillSubjects(
  store: Store,
  changes: readonly FlowChange[],
  entries: ReadonlyArray<{ project: string; number: number; subject: string }>,
): Promise<void> {
  const key = (p: string, n: number) => `${p}\u0000${n}`;
  const wanted = new Set(entries.map((e) => key(e.project, e.number)));
  // The listed changes, found by number first: no key is built for the thousands not listed.
  const numbers = new Set(entries.map((e) => e.number));
  const listed = changes.filter((c) => numbers.has(c.number) && wanted.has(key(c.project, c.number)));
  const need = listed.filter((c) => c.subject === '');
  if (need.length) await attachDetails(store.db, store.engine, need, { commitMessage: false });
  const byKey = new Map(listed.map((c) => [key(c.project, c.number), c.subject]));
  for (const e of entries) e.subject = byKey.get(key(e.project, e.number)) ?? e.subject;
}

/** The open changes' flows as of `now`, with the messages the queue rules need attached. */
export async function loadOpenFlows(
  store: Store,
  setup: FlowSetup,
  o: { branch?: readonly string[] },
  now: number,
): Promise<{ changes: FlowChange[]; flows: OpenChangeFlow[] }> {
  const changes = await loadFlowChanges(store.db, store.engine, {
    scope: { kind: 'open', at: now },
    projects: setup.projects,
    branches: o.branch,
    asOf: now,
  });
  // The comments depend on the votes alone: their read starts first and runs (PostgreSQL: on the
  // server) while the situations are computed. Changes that turn out closed get comments the
  // queue never reads.
  const commentsRead = readMessages(
    store.db,
    store.engine,
    changes.filter((c) => c.created <= now && needsComments(c, setup.ctx)),
    'comments',
    now,
  );
  commentsRead.catch(() => undefined);
  // Let the read reach the database before the computation holds the thread.
  await new Promise((resolve) => setImmediate(resolve));
  let flows = openChangeFlows(changes, setup.ctx, now);
  // queueMessageNeeds without the comments, asked for above.
  const needs = { rechecks: flows.filter(needsRechecks).map((f) => f.change) };
  const rechecks = await readMessages(store.db, store.engine, needs.rechecks, 'rechecks', now);
  // Attached in this order: a recheck's version of a comment (with its event) stays.
  (await commentsRead)();
  rechecks();
  if (needs.rechecks.length) {
    const again = new Set(needs.rechecks.map((c) => c.id));
    const redone = new Map(openChangeFlows(needs.rechecks, setup.ctx, now).map((f) => [f.change.id, f]));
    // One loop, not a flatMap: an array per change of the 16,000 costs a fresh process tens of ms.
    const kept: OpenChangeFlow[] = [];
    for (const f of flows) {
      if (!again.has(f.change.id)) kept.push(f);
      else {
        const r = redone.get(f.change.id);
        if (r) kept.push(r);
      }
    }
    flows = kept;
  }
  return { changes, flows };
}
