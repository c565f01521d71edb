/**
 * CI-health queries: storing Zuul builds, and loading what the CI analysis (analysis/ci-*.ts)
 * reads — the builds of both sources and the changes they ran on, as of a moment.
 */
import { sql, type Kysely } from 'kysely';
import type { CiChangeRecord, CiReportedBuildRecord, CiZuulBuildRecord, ZuulBuild } from '../../model/ci.js';
import type { ChangeStatus, PatchSetKind } from '../../model/records.js';
import type { Database, ZuulBuildsTable } from '../schema.js';

/** Where a page of Zuul builds came from. */
export interface ZuulOrigin {
  /** The Zuul web root. */
  zuul: string;
  tenant: string;
  /** The Gerrit host the builds' changes live on. */
  host: string;
}

export interface ZuulWriteCounts {
  new: number;
  updated: number;
  unchanged: number;
}

const ZUUL_COLUMNS = [
  'project',
  'branch',
  'change_number',
  'patch_set',
  'ref',
  'pipeline',
  'job',
  'result',
  'voting',
  'start_time',
  'end_time',
  'duration_s',
  'log_url',
  'buildset_uuid',
] as const;

function zuulRow(b: ZuulBuild, origin: ZuulOrigin, fetchedAt: number): ZuulBuildsTable {
  return {
    uuid: b.uuid,
    zuul: origin.zuul,
    tenant: origin.tenant,
    host: origin.host,
    project: b.project,
    branch: b.branch,
    change_number: b.change,
    patch_set: b.patchSet,
    ref: b.ref,
    pipeline: b.pipeline,
    job: b.job,
    result: b.result,
    voting: b.voting ? 1 : 0,
    start_time: b.startTime,
    end_time: b.endTime,
    duration_s: b.durationSeconds,
    log_url: b.logUrl,
    buildset_uuid: b.buildset,
    fetched_at: fetchedAt,
  };
}

/**
 * Stores Zuul builds by UUID: a new UUID is inserted, a known one updated when anything Zuul says
 * about it changed, else left alone. Call inside the transaction that records the sync's page.
 *
 * @returns how many builds were new, updated and unchanged.
 */
export async function writeZuulBuilds(
  db: Kysely<Database>,
  builds: readonly ZuulBuild[],
  origin: ZuulOrigin,
  fetchedAt: number,
): Promise<ZuulWriteCounts> {
  const counts: ZuulWriteCounts = { new: 0, updated: 0, unchanged: 0 };
  const unique = new Map(builds.map((b) => [b.uuid, b]));
  if (unique.size === 0) return counts;
  const existing = new Map<string, ZuulBuildsTable>();
  const uuids = [...unique.keys()];
  for (let i = 0; i < uuids.length; i += 1000) {
    for (const r of await db
      .selectFrom('zuul_builds')
      .selectAll()
      .where('uuid', 'in', uuids.slice(i, i + 1000))
      .execute())
      existing.set(r.uuid, r);
  }
  const inserts: ZuulBuildsTable[] = [];
  for (const b of unique.values()) {
    const row = zuulRow(b, origin, fetchedAt);
    const old = existing.get(b.uuid);
    if (!old) {
      inserts.push(row);
      counts.new += 1;
    } else if (ZUUL_COLUMNS.some((k) => old[k] !== row[k]) || old.host !== row.host) {
      const { uuid: _uuid, ...rest } = row;
      await db.updateTable('zuul_builds').set(rest).where('uuid', '=', b.uuid).execute();
      counts.updated += 1;
    } else {
      counts.unchanged += 1;
    }
  }
  for (let i = 0; i < inserts.length; i += 500)
    await db
      .insertInto('zuul_builds')
      .values(inserts.slice(i, i + 500))
      .execute();
  return counts;
}

export interface CiHistoryFilter {
  /** Projects (none = all). */
  projects?: readonly string[];
  /** Changes with a CI result in [since, until) are loaded. */
  since: number;
  until: number;
  /** Nothing after this moment is loaded: builds, patch sets, approvals and merges are as of `now`. */
  now: number;
}

/** Everything the CI analysis reads, as of `now`. */
export interface CiHistory {
  changes: CiChangeRecord[];
  reported: CiReportedBuildRecord[];
  zuul: CiZuulBuildRecord[];
  /** Zuul builds in the window whose change is not in the store (they cannot be analysed). */
  zuulWithoutChange: number;
}

const CHUNK = 2000;

/** One job result of a ci_reports row's `jobs` (schema.ts): job, result, voting 0|1, duration, log URL. */
type CiReportJob = [string, string, number, number | null, string | null];

/**
 * Loads the CI history of every change that has a CI result in the window: all of those changes'
 * builds (message-reported and Zuul) up to `now`, not only the window's, because whether a
 * failure was a false one depends on what happened next (a recheck, a merge).
 *
 * A Zuul build's time is its end time, else its start time; a reported build's is the report
 * message's date.
 */
export async function loadCiHistory(db: Kysely<Database>, filter: CiHistoryFilter): Promise<CiHistory> {
  const projects = filter.projects?.length ? filter.projects : undefined;
  // The reports' table, not the ci_builds view: a report always lists at least one job (the change
  // writer stores none without), so the changes are the same without unpacking every report's jobs.
  let rq = db
    .selectFrom('ci_reports')
    .innerJoin('changes', 'changes.id', 'ci_reports.change_id')
    .select('ci_reports.change_id as id')
    .distinct()
    .where('ci_reports.reported_at', '>=', filter.since)
    .where('ci_reports.reported_at', '<', filter.until);
  if (projects) rq = rq.where('changes.project', 'in', projects);
  let zq = db
    .selectFrom('zuul_builds')
    .innerJoin('changes', (j) => j.onRef('changes.host', '=', 'zuul_builds.host').onRef('changes.number', '=', 'zuul_builds.change_number'))
    .select('changes.id as id')
    .distinct()
    .where((e) =>
      e.or([
        e.and([e('zuul_builds.end_time', '>=', filter.since), e('zuul_builds.end_time', '<', filter.until)]),
        e.and([
          e('zuul_builds.end_time', 'is', null),
          e('zuul_builds.start_time', '>=', filter.since),
          e('zuul_builds.start_time', '<', filter.until),
        ]),
      ]),
    );
  if (projects) zq = zq.where('changes.project', 'in', projects);
  const ids = [...new Set([...(await rq.execute()).map((r) => r.id), ...(await zq.execute()).map((r) => r.id)])].sort((a, b) => a - b);

  let orphanQ = db
    .selectFrom('zuul_builds')
    .leftJoin('changes', (j) => j.onRef('changes.host', '=', 'zuul_builds.host').onRef('changes.number', '=', 'zuul_builds.change_number'))
    .select((e) => e.fn.countAll<number>().as('n'))
    .where('changes.id', 'is', null)
    .where('zuul_builds.change_number', 'is not', null)
    .where('zuul_builds.end_time', '>=', filter.since)
    .where('zuul_builds.end_time', '<', filter.until);
  if (projects) orphanQ = orphanQ.where('zuul_builds.project', 'in', projects);
  const zuulWithoutChange = Number((await orphanQ.executeTakeFirstOrThrow()).n);

  const changes: CiChangeRecord[] = [];
  const reported: CiReportedBuildRecord[] = [];
  const zuul: CiZuulBuildRecord[] = [];
  const hostUrls = new Map((await db.selectFrom('hosts').selectAll().execute()).map((h) => [h.name, h.url]));
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const rows = await db
      .selectFrom('changes')
      .select(['id', 'host', 'project', 'number', 'status', 'merged_at', 'abandoned_at'])
      .where('id', 'in', chunk)
      .execute();
    const ps = await db
      .selectFrom('patch_sets')
      .select(['change_id', 'number', 'kind', 'created'])
      .where('change_id', 'in', chunk)
      .where('created', '<=', filter.now)
      .orderBy('change_id')
      .orderBy('number')
      .execute();
    const approvals = await db
      .selectFrom('votes')
      .select(['change_id', 'patch_set', 'granted_at'])
      .where('change_id', 'in', chunk)
      // `label || ''`, not `label`: otherwise SQLite reads every approval of the store through
      // votes_label_value for each chunk (1.7 s of 3 on the bench store) instead of the chunk's
      // votes through votes_flow (change_id first).
      .where(sql<string>`label || ''`, 'in', ['Workflow', 'Approved'])
      .where('value', '>=', 1)
      .where('granted_at', '<=', filter.now)
      .execute();
    const psBy = groupBy(ps, (p) => p.change_id);
    const apBy = groupBy(approvals, (a) => a.change_id);
    for (const c of rows) {
      const merged = c.merged_at !== null && c.merged_at <= filter.now ? c.merged_at : null;
      const abandoned = c.status === 'ABANDONED' && (c.abandoned_at === null || c.abandoned_at <= filter.now);
      changes.push({
        id: c.id,
        host: c.host,
        hostUrl: hostUrls.get(c.host) ?? null,
        project: c.project,
        number: c.number,
        status: (merged !== null ? 'MERGED' : abandoned ? 'ABANDONED' : 'NEW') as ChangeStatus,
        mergedAt: merged,
        patchSets: (psBy.get(c.id) ?? []).map((p) => ({ number: p.number, kind: p.kind as PatchSetKind | null, created: p.created })),
        approvals: (apBy.get(c.id) ?? []).map((a) => ({ patchSet: a.patch_set, at: a.granted_at })),
      });
    }
    // Each report's jobs unpacked here rather than through the ci_builds view: one row per report
    // (a fifth as many) and JSON.parse cost a quarter of what the engines' JSON table functions did.
    const rb = await db
      .selectFrom('ci_reports')
      .select(['change_id', 'message_seq', 'patch_set', 'pipeline', 'reported_at', 'reporter_id', 'jobs'])
      .where('change_id', 'in', chunk)
      .where('reported_at', '<=', filter.now)
      .execute();
    // Index loops, not destructuring `for…of`: no iterator per report and per job in code V8 has
    // not optimised yet (a fresh process runs this once, over 292,000 jobs on the bench store).
    for (let i = 0; i < rb.length; i++) {
      const r = rb[i]!;
      const jobs = JSON.parse(r.jobs) as CiReportJob[];
      for (let k = 0; k < jobs.length; k++) {
        const j = jobs[k]!;
        reported.push({
          changeId: r.change_id,
          messageSeq: r.message_seq,
          patchSet: r.patch_set,
          pipeline: r.pipeline,
          job: j[0],
          result: j[1],
          voting: j[2] === 1,
          durationSeconds: j[3],
          logUrl: j[4],
          reportedAt: r.reported_at,
          reporterId: r.reporter_id,
        });
      }
    }
    const zb = await db
      .selectFrom('zuul_builds')
      .innerJoin('changes', (j) =>
        j.onRef('changes.host', '=', 'zuul_builds.host').onRef('changes.number', '=', 'zuul_builds.change_number'),
      )
      .select([
        'changes.id as change_id',
        'zuul_builds.uuid',
        'zuul_builds.patch_set',
        'zuul_builds.pipeline',
        'zuul_builds.job',
        'zuul_builds.result',
        'zuul_builds.voting',
        'zuul_builds.start_time',
        'zuul_builds.end_time',
        'zuul_builds.duration_s',
        'zuul_builds.log_url',
        'zuul_builds.buildset_uuid',
      ])
      .where('changes.id', 'in', chunk)
      .where('zuul_builds.patch_set', 'is not', null)
      .execute();
    for (const b of zb) {
      const t = b.end_time ?? b.start_time;
      if (t !== null && t > filter.now) continue;
      zuul.push({
        changeId: b.change_id,
        uuid: b.uuid,
        patchSet: b.patch_set!,
        pipeline: b.pipeline,
        job: b.job,
        result: b.result,
        voting: b.voting === 1,
        startTime: b.start_time,
        endTime: b.end_time,
        durationSeconds: b.duration_s,
        logUrl: b.log_url,
        buildset: b.buildset_uuid,
      });
    }
  }
  return { changes, reported, zuul, zuulWithoutChange };
}

function groupBy<T, K>(items: readonly T[], key: (t: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const it of items) {
    const k = key(it);
    let l = out.get(k);
    if (!l) out.set(k, (l = []));
    l.push(it);
  }
  return out;
}
