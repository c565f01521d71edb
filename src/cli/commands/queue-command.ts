/**
 * `steward queue`: the open review queue (analysis/queue.ts), reviewstats' openreviews figures
 * (`--compat reviewstats`, analysis/queue-reviewstats.ts) or the ranked trivial-fix queue
 * (`--trivial`, analysis/queue-trivial.ts). Also the setup every flow command shares: who is a bot,
 * which CI gates, who was core when, where changes link to.
 */
import { membersAt } from '../../analysis/core-team.js';
import { computeQueue, openChangeFlows, queueEntries, queueMessageNeeds, summarizeQueue, type OpenChangeFlow, type QueueSummary } from '../../analysis/queue.js';
import { computeReviewstatsQueue } from '../../analysis/queue-reviewstats.js';
import { gatingCiIds, type FlowContext } from '../../analysis/queue-state.js';
import { computeTrivialQueue, DEFAULT_TRIVIAL_MAX_DELTA, trivialCandidates } from '../../analysis/queue-trivial.js';
import type { StewardConfig } from '../../config/config-schema.js';
import type { AccountInfo, GroupSnapshot } from '../../model/activity.js';
import { StewardError } from '../../model/errors.js';
import type { FlowChange } from '../../model/flow.js';
import { renderQueueCsv, renderQueueText, renderReviewstatsText, renderTrivialText, type QueueView } from '../../report/queue-report.js';
import type { Store } from '../../store/engine.js';
import { loadAccounts } from '../../store/queries/activity.js';
import { attachDetails, attachMessages, listProjectNames, loadCiReporters, loadFlowChanges, loadGatingCiCandidates, loadHosts } from '../../store/queries/flow.js';
import { loadGroupSnapshots } from '../../store/sync-store.js';
import { botIds, coreTeamIds, effectiveConfig, openStoreFor, type GlobalOptions, type Runtime } from '../context.js';
import { parseFormat, parsePositiveInt, parseTime, resolveWindow } from '../options.js';

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
 * What every flow command needs before loading changes: the projects asked for (checked against
 * the store), the configuration, accounts, host links, bots, the gating CI and the core team over
 * time.
 */
export async function flowSetup(store: Store, o: GlobalOptions & { project?: string[] }, rt: Runtime): Promise<FlowSetup> {
  const [known, { config, origin }, accounts, hosts, reporters, gating] = await Promise.all([
    listProjectNames(store.db),
    effectiveConfig(o, rt, store),
    loadAccounts(store.db),
    loadHosts(store.db),
    loadCiReporters(store.db),
    loadGatingCiCandidates(store.db),
  ]);
  const missing = (o.project ?? []).filter((p) => !known.includes(p));
  if (missing.length) {
    throw new StewardError('NOT_FOUND', `no changes of project ${missing.map((m) => `"${m}"`).join(', ')} in the store`, {
      hint: known.length ? `Projects in the store: ${known.join(', ')}.` : 'The store is empty: run `steward import FILE` or `steward demo`.',
    });
  }
  const projects = o.project?.length ? o.project : known;
  const bots = botIds(config, accounts, reporters);
  const gatingCi = gatingCiIds(gating, bots);
  const configured = coreTeamIds(config, accounts, o.project ?? []);
  const snapshots: GroupSnapshot[][] = [];
  for (const p of config.projects.filter((x) => x.core?.group && (!o.project?.length || o.project.includes(x.name)))) {
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
      coreTeam: withSnaps.length ? `group snapshots recorded by steward sync (before the first: core.members in ${origin})` : configured ? `core.members in ${origin}` : 'no core team configured',
      bots: `${config.bots.length} configured in ${origin}, plus every account that posted CI build reports (${bots.size} accounts in all)`,
      gatingCi: `${names(gatingCi)} (bots that ever voted Verified ±2${gating.some((g) => bots.has(g)) ? '' : '; none did, so every bot'})`,
    },
  };
}

/** Sets the subject of every listed entry from the changes (loading subjects for those only). */
export async function fillSubjects(store: Store, changes: readonly FlowChange[], entries: ReadonlyArray<{ project: string; number: number; subject: string }>): Promise<void> {
  const key = (p: string, n: number) => `${p}\u0000${n}`;
  const wanted = new Set(entries.map((e) => key(e.project, e.number)));
  const need = changes.filter((c) => wanted.has(key(c.project, c.number)) && c.subject === '');
  if (need.length) await attachDetails(store.db, store.engine, need, { commitMessage: false });
  const byKey = new Map(changes.map((c) => [key(c.project, c.number), c.subject]));
  for (const e of entries) e.subject = byKey.get(key(e.project, e.number)) ?? e.subject;
}

export interface QueueCommandOptions extends GlobalOptions {
  project?: string[];
  branch?: string[];
  now?: string;
  format?: string;
  compat?: string;
  trivial?: boolean;
  days?: string;
  since?: string;
  until?: string;
  maxDelta?: string;
  longest?: string;
  waitingMore?: string;
  stable?: boolean;
}

export type QueueOutput = QueueView;

/** The open changes' flows as of `now`, with the messages the queue rules need attached. */
export async function loadOpenFlows(store: Store, setup: FlowSetup, o: { branch?: string[] }, now: number): Promise<{ changes: FlowChange[]; flows: OpenChangeFlow[] }> {
  const changes = await loadFlowChanges(store.db, store.engine, { scope: { kind: 'open', at: now }, projects: setup.projects, branches: o.branch, asOf: now });
  let flows = openChangeFlows(changes, setup.ctx, now);
  const needs = queueMessageNeeds(flows, setup.ctx);
  await attachMessages(store.db, store.engine, needs.comments, 'comments', now);
  await attachMessages(store.db, store.engine, needs.rechecks, 'rechecks', now);
  if (needs.rechecks.length) {
    const again = new Set(needs.rechecks.map((c) => c.id));
    const redone = new Map(openChangeFlows(needs.rechecks, setup.ctx, now).map((f) => [f.change.id, f]));
    flows = flows.flatMap((f) => (again.has(f.change.id) ? (redone.has(f.change.id) ? [redone.get(f.change.id)!] : []) : [f]));
  }
  return { changes, flows };
}

/** Gathers (store), computes (analysis): the queue as `--format json` prints it. */
export async function buildQueue(store: Store, o: QueueCommandOptions, rt: Runtime): Promise<QueueOutput> {
  const now = o.now ? parseTime(o.now, '--now') : rt.clock();
  if (o.compat && o.compat !== 'reviewstats') throw new StewardError('USAGE', `--compat must be reviewstats, not "${o.compat}"`);
  if (o.compat && o.trivial) throw new StewardError('USAGE', 'give either --compat reviewstats or --trivial, not both');
  const setup = await flowSetup(store, o, rt);
  const longest = o.longest ? parsePositiveInt(o.longest, '--longest', 1000) : 5;

  if (o.compat === 'reviewstats') {
    const changes = await loadFlowChanges(store.db, store.engine, { scope: { kind: 'open', at: now }, projects: setup.projects, branches: o.branch, asOf: now });
    const report = computeReviewstatsQueue(changes, {
      now,
      hostUrls: setup.hostUrls,
      waitingMoreDays: o.waitingMore ? parsePositiveInt(o.waitingMore, '--waiting-more', 36_500) : 7,
      longestWaiting: longest,
      includeStable: o.stable ?? false,
    });
    await fillSubjects(store, changes, [...report.longestWaitingLatest, ...report.longestWaitingWithoutNack, ...report.oldest]);
    return { kind: 'reviewstats', projects: setup.projects, ...report };
  }

  const { changes, flows } = await loadOpenFlows(store, setup, o, now);
  if (o.trivial) {
    const maxDelta = o.maxDelta ? parsePositiveInt(o.maxDelta, '--max-delta', 1_000_000) : DEFAULT_TRIVIAL_MAX_DELTA;
    const win = resolveWindow({ ...o, now: o.now }, () => now, 28);
    const candidates = trivialCandidates(flows, maxDelta);
    await attachDetails(store.db, store.engine, candidates.map((f) => f.change), { commitMessage: true });
    const merged = await loadFlowChanges(store.db, store.engine, { scope: { kind: 'merged', since: win.since, until: win.until }, projects: setup.projects, branches: o.branch, maxDelta, details: true, commitMessage: true });
    const report = computeTrivialQueue(candidates, merged, setup.ctx, { now, since: win.since, until: win.until, maxDelta, hostUrls: setup.hostUrls, nameOf: setup.nameOf });
    return { kind: 'trivial', projects: setup.projects, sources: setup.sources, ...report };
  }
  const report = computeQueue(flows, setup.ctx, { now, hostUrls: setup.hostUrls, longest });
  await fillSubjects(store, changes, queueEntries(report));
  return { kind: 'queue', projects: setup.projects, branches: o.branch?.length ? o.branch : null, sources: setup.sources, ...report };
}

/** The queue in short as of `now`, for the overview. */
export async function buildQueueSummary(store: Store, o: GlobalOptions & { project?: string[] }, rt: Runtime, now: number): Promise<QueueSummary> {
  const setup = await flowSetup(store, o, rt);
  const { flows } = await loadOpenFlows(store, setup, {}, now);
  return summarizeQueue(computeQueue(flows, setup.ctx, { now, hostUrls: setup.hostUrls, longest: 0 }));
}

export async function runQueue(o: QueueCommandOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  const store = await openStoreFor(o, rt);
  try {
    const out = await buildQueue(store, o, rt);
    if (format === 'json') rt.stdout(JSON.stringify(out, null, 2) + '\n');
    else if (format === 'csv') rt.stdout(renderQueueCsv(out));
    else if (out.kind === 'reviewstats') rt.stdout(renderReviewstatsText(out));
    else if (out.kind === 'trivial') rt.stdout(renderTrivialText(out));
    else rt.stdout(renderQueueText(out));
  } finally {
    await store.close();
  }
}
