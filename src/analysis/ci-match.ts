/**
 * One list of CI runs from two sources: job results parsed from review messages (ci_builds) and
 * builds fetched from Zuul's API (zuul_builds). A build both sources know is one run, never two.
 *
 * The matching rule (docs/ci.md, "CI builds from two sources"): a reported job result and a Zuul build
 * are the same run when they are on the same change and patch set, for the same job, in the same
 * pipeline (a report that names no pipeline matches any), and the Zuul build ended at most
 * `toleranceMs` before the report (default 6 hours; a report waits for the buildset's slowest job
 * and, in the gate, for the changes ahead) and at most `skewMs` after it (clock skew, default 2
 * minutes). Reports are matched in time order, each to the Zuul build that ended last before it
 * and is not matched yet: runs of one job on one patch set are sequential (a recheck starts after
 * the previous report), so the latest build before a report is the one it reports.
 *
 * A matched run takes Zuul's fields (UUID, pipeline, result, voting, start and end times, duration,
 * log URL) and keeps the report's date. Unmatched builds of either source are runs of their own.
 */
import type { CiReportedBuildRecord, CiZuulBuildRecord } from '../model/ci.js';
import type { Timestamp } from '../model/records.js';

export interface CiRun {
  /** Stable id: `zuul:UUID` for a Zuul build, else `msg:CHANGE/SEQ/JOB` (store change id, message seq). */
  id: string;
  changeId: number;
  patchSet: number;
  pipeline: string | null;
  job: string;
  result: string;
  voting: boolean;
  durationSeconds: number | null;
  /** When the result was known: Zuul's end time when known, else the report's date. */
  at: Timestamp;
  startedAt: Timestamp | null;
  endedAt: Timestamp | null;
  reportedAt: Timestamp | null;
  logUrl: string | null;
  uuid: string | null;
  /**
   * The buildset: `msg:CHANGE/SEQ` when a report message lists the run (all runs of one report
   * share it, matched or not), else `zuul:BUILDSET_UUID`.
   */
  buildset: string;
  source: 'zuul' | 'message' | 'both';
}

export interface MatchOptions {
  /** Longest time a report may come after the Zuul build ended, in ms. Default 6 h. */
  toleranceMs?: number;
  /** Longest time a Zuul build may seem to end after its report (clock skew), in ms. Default 2 min. */
  skewMs?: number;
}

export interface MergedCiRuns {
  runs: CiRun[];
  /** Runs both sources know. */
  matched: number;
  zuulOnly: number;
  messageOnly: number;
  /** Zuul builds without start or end time and no report to date them: left out. */
  undated: number;
}

export const DEFAULT_MATCH_TOLERANCE_MS = 6 * 3_600_000;
const DEFAULT_SKEW_MS = 2 * 60_000;

const zuulTime = (z: CiZuulBuildRecord): number | null => z.endTime ?? z.startTime;

/**
 * Merges message-reported job results and Zuul builds into runs (see the module comment).
 *
 * @example
 * const { runs, matched } = mergeCiRuns(reported, zuulBuilds, { toleranceMs: 6 * 3600_000 });
 */
export function mergeCiRuns(
  reported: readonly CiReportedBuildRecord[],
  zuul: readonly CiZuulBuildRecord[],
  opts: MatchOptions = {},
): MergedCiRuns {
  const tolerance = opts.toleranceMs ?? DEFAULT_MATCH_TOLERANCE_MS;
  const skew = opts.skewMs ?? DEFAULT_SKEW_MS;
  const key = (changeId: number, patchSet: number, job: string) => `${changeId}/${patchSet}/${job}`;
  const zuulByKey = new Map<string, CiZuulBuildRecord[]>();
  for (const z of zuul) {
    const k = key(z.changeId, z.patchSet, z.job);
    let l = zuulByKey.get(k);
    if (!l) zuulByKey.set(k, (l = []));
    l.push(z);
  }
  // Only reports on a change Zuul has builds of can match one: no key built for the others (a store
  // without Zuul builds, or most changes of one with few, would build 300,000 keys for nothing).
  const zuulChanges = new Set(zuul.map((z) => z.changeId));
  const reportedByKey = new Map<string, CiReportedBuildRecord[]>();
  for (const r of reported) {
    if (!zuulChanges.has(r.changeId)) continue;
    const k = key(r.changeId, r.patchSet, r.job);
    let l = reportedByKey.get(k);
    if (!l) reportedByKey.set(k, (l = []));
    l.push(r);
  }

  const matchOf = new Map<CiReportedBuildRecord, CiZuulBuildRecord>();
  const matchedZuul = new Set<CiZuulBuildRecord>();
  for (const [k, reports] of reportedByKey) {
    const builds = (zuulByKey.get(k) ?? []).filter((z) => zuulTime(z) !== null).sort((a, b) => zuulTime(a)! - zuulTime(b)!);
    if (builds.length === 0) continue;
    reports.sort((a, b) => a.reportedAt - b.reportedAt || a.messageSeq - b.messageSeq);
    // Order is kept: a later report never takes a build older than one an earlier report took.
    const floor = new Map<string, number>();
    for (const r of reports) {
      let best: CiZuulBuildRecord | undefined;
      for (const z of builds) {
        const t = zuulTime(z)!;
        if (t > r.reportedAt + skew) break;
        if (matchedZuul.has(z) || t <= (floor.get(z.pipeline) ?? -Infinity) || t < r.reportedAt - tolerance) continue;
        if (r.pipeline !== null && r.pipeline !== z.pipeline) continue;
        best = z;
      }
      if (best) {
        matchOf.set(r, best);
        matchedZuul.add(best);
        floor.set(best.pipeline, zuulTime(best)!);
      }
    }
  }

  // A Zuul buildset any of whose builds a report lists takes the report's buildset key, so that
  // runs Zuul ran together stay together even when the report lists only some of them.
  const buildsetKey = new Map<string, string>();
  for (const [r, z] of matchOf) if (z.buildset) buildsetKey.set(z.buildset, `msg:${r.changeId}/${r.messageSeq}`);

  const runs: CiRun[] = [];
  let undated = 0;
  for (const i of reportOrder(reported)) {
    const g = reported[i]!;
    // All runs of one report share its buildset key (one string per report, not one per run).
    const buildset = `msg:${g.changeId}/${g.messageSeq}`;
    for (const r of jobOrder(reported, i)) {
      const z = matchOf.get(r);
      if (z) {
        runs.push({
          id: `zuul:${z.uuid}`,
          changeId: r.changeId,
          patchSet: r.patchSet,
          pipeline: z.pipeline,
          job: r.job,
          result: z.result,
          voting: z.voting,
          durationSeconds: z.durationSeconds ?? r.durationSeconds,
          at: z.endTime ?? r.reportedAt,
          startedAt: z.startTime,
          endedAt: z.endTime,
          reportedAt: r.reportedAt,
          logUrl: z.logUrl ?? r.logUrl,
          uuid: z.uuid,
          buildset,
          source: 'both',
        });
      } else {
        runs.push({
          id: `${buildset}/${r.job}`,
          changeId: r.changeId,
          patchSet: r.patchSet,
          pipeline: r.pipeline,
          job: r.job,
          result: r.result,
          voting: r.voting,
          durationSeconds: r.durationSeconds,
          at: r.reportedAt,
          startedAt: null,
          endedAt: null,
          reportedAt: r.reportedAt,
          logUrl: r.logUrl,
          uuid: null,
          buildset,
          source: 'message',
        });
      }
    }
  }
  for (const z of zuul) {
    if (matchedZuul.has(z)) continue;
    const t = zuulTime(z);
    if (t === null) {
      undated += 1;
      continue;
    }
    runs.push({
      id: `zuul:${z.uuid}`,
      changeId: z.changeId,
      patchSet: z.patchSet,
      pipeline: z.pipeline,
      job: z.job,
      result: z.result,
      voting: z.voting,
      durationSeconds: z.durationSeconds,
      at: t,
      startedAt: z.startTime,
      endedAt: z.endTime,
      reportedAt: null,
      logUrl: z.logUrl,
      uuid: z.uuid,
      buildset: z.buildset ? (buildsetKey.get(z.buildset) ?? `zuul:${z.buildset}`) : `zuul:${z.uuid}`,
      source: 'zuul',
    });
  }
  // The report-only runs come in this order already (reportOrder, jobOrder): the sort checks them
  // in one pass and only places the others.
  runs.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  let zuulOnly = 0;
  let messageOnly = 0;
  for (const r of runs) {
    if (r.source === 'zuul') zuulOnly += 1;
    else if (r.source === 'message') messageOnly += 1;
  }
  return { runs, matched: matchOf.size, zuulOnly, messageOnly, undated };
}

/**
 * The reports (runs of `reported` with one change, message and date, consecutive) in the order
 * their unmatched runs sort in (date, then the `msg:CHANGE/SEQ` key as a string): the first index
 * of each. A report key is never a prefix of another's (both end at their second slash), so the
 * keys decide between runs of two reports of the same date.
 */
function reportOrder(reported: readonly CiReportedBuildRecord[]): number[] {
  const starts: number[] = [];
  for (let i = 0; i < reported.length; i++) {
    const r = reported[i]!;
    const p = i > 0 ? reported[i - 1]! : undefined;
    if (!p || p.changeId !== r.changeId || p.messageSeq !== r.messageSeq || p.reportedAt !== r.reportedAt) starts.push(i);
  }
  const keys = new Map<number, string>();
  const keyOf = (i: number): string => {
    let k = keys.get(i);
    if (k === undefined) keys.set(i, (k = `msg:${reported[i]!.changeId}/${reported[i]!.messageSeq}`));
    return k;
  };
  return starts.sort((a, b) => {
    const d = reported[a]!.reportedAt - reported[b]!.reportedAt;
    if (d !== 0) return d;
    const ka = keyOf(a);
    const kb = keyOf(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

/** The runs of the report starting at `start`, by job name (stable: a job listed twice keeps its order). */
function jobOrder(reported: readonly CiReportedBuildRecord[], start: number): CiReportedBuildRecord[] {
  const first = reported[start]!;
  const out: CiReportedBuildRecord[] = [];
  for (let i = start; i < reported.length; i++) {
    const r = reported[i]!;
    if (r.changeId !== first.changeId || r.messageSeq !== first.messageSeq || r.reportedAt !== first.reportedAt) break;
    // Insertion sort: a report lists a handful of jobs.
    let j = out.length;
    while (j > 0 && out[j - 1]!.job > r.job) j--;
    out.splice(j, 0, r);
  }
  return out;
}
