/**
 * Cumulative incidence with competing risks (the Aalen–Johansen estimator): when a change can end
 * in more than one way (merged or abandoned), the chance of each outcome by time t. Unlike
 * "1 − Kaplan–Meier with the other outcome censored", the curves of all outcomes and the share
 * still open add up to 1. Matches R's `survfit(Surv(time, factor(status)) ~ 1)` (a multi-state
 * fit), including its infinitesimal-jackknife standard errors and its default `log` band.
 */
import { normalQuantile } from './distributions.js';

/** One subject: followed for `time`, ending in `cause` (null when censored: still open at `time`). */
export interface CompetingRecord {
  time: number;
  cause: string | null;
}

export interface IncidenceEstimate {
  /** Probability of having ended by this cause by the step's time (0–1). */
  value: number;
  /** Infinitesimal-jackknife standard error of `value` (on the probability scale). */
  stdErr: number;
  /** Pointwise band; null where it is undefined (value 0, R gives NA there). */
  lower: number | null;
  upper: number | null;
}

export interface IncidenceStep {
  time: number;
  atRisk: number;
  /** Events at this time by cause (causes with none are absent). */
  events: Record<string, number>;
  censored: number;
  /** Probability of no event of any cause yet (the overall Kaplan–Meier). */
  free: number;
  /** One entry per cause of the whole data set. */
  incidence: Record<string, IncidenceEstimate>;
}

export interface CumulativeIncidence {
  n: number;
  /** The causes seen, sorted. */
  causes: string[];
  level: number;
  /** One step per distinct time (events or censorings), ascending. */
  steps: IncidenceStep[];
}

export interface CumulativeIncidenceOptions {
  /** Two-sided level of the bands (default 0.95). */
  level?: number;
  /**
   * Optional cluster of each record (same order as the records): influence is summed within a
   * cluster before squaring, giving a cluster-robust standard error (R: `survfit(..., id =,
   * cluster =)`). Without it every record is its own cluster.
   */
  clusters?: ReadonlyArray<string | number>;
}

/**
 * The Aalen–Johansen cumulative incidence of each cause.
 *
 * At each distinct time t with n at risk and d_k events of cause k, the hazard of cause k is
 * h_k = d_k / n; the probability of still being free is multiplied by (1 − Σ h_k), and cause k's
 * incidence rises by free(t⁻)·h_k. A record censored at t is at risk at t.
 *
 * Standard errors: the infinitesimal jackknife — each record's influence on every estimate,
 * carried forward through the recursion, with variance Σ influence² (summed by cluster first when
 * clusters are given). Kept as sums per cluster (see below): cost O(records log records + event
 * times × clusters × causes).
 *
 * Band: R's default `log` type, value·exp(±z·se/value), upper end capped at 1.
 *
 * Assumes censoring is independent of the outcome. Edge cases: no records gives no steps; a cause
 * never seen is not listed.
 */
export function cumulativeIncidence(records: readonly CompetingRecord[], options: CumulativeIncidenceOptions = {}): CumulativeIncidence {
  const level = options.level ?? 0.95;
  const z = normalQuantile(1 - (1 - level) / 2);
  const n = records.length;
  if (options.clusters && options.clusters.length !== n) {
    throw new RangeError(`cumulativeIncidence: ${options.clusters.length} clusters given for ${n} records`);
  }
  const causes = [...new Set(records.map((r) => r.cause).filter((c): c is string => c !== null))].sort();
  const k = causes.length;
  const causeIndex = new Map(causes.map((c, i) => [c, i]));
  const order = records.map((_, i) => i).sort((a, b) => records[a]!.time - records[b]!.time);

  // Cluster index of each record (for summing influences).
  const clusterKeys = options.clusters ?? records.map((_, i) => i);
  const clusterIds = new Map<string | number, number>();
  const clusterOf = clusterKeys.map((c) => {
    let id = clusterIds.get(c);
    if (id === undefined) clusterIds.set(c, (id = clusterIds.size));
    return id;
  });
  const m = clusterIds.size;

  // Influence on free (u0) and on each cause's incidence (uk[cause]), summed by cluster. Every
  // record's update at a step is linear in its own state (at risk or not, an event of cause c or
  // not), so the cluster sums update from the cluster's counts alone: O(clusters) a step instead of
  // O(records) — the same sums as adding up each record's influence, in another order.
  const u0 = new Float64Array(m);
  const uk = Array.from({ length: k }, () => new Float64Array(m));
  const atRiskIn = new Float64Array(m);
  for (let i = 0; i < n; i++) atRiskIn[clusterOf[i]!]! += 1;
  const eventsIn = Array.from({ length: k }, () => new Float64Array(m));
  let free = 1;
  const inc = new Array<number>(k).fill(0);
  const se = new Array<number>(k).fill(0);
  const steps: IncidenceStep[] = [];
  let atRisk = n;
  const hz = new Array<number>(k).fill(0);
  for (let p = 0; p < n;) {
    const t = records[order[p]!]!.time;
    const here: number[] = [];
    while (p < n && records[order[p]!]!.time === t) here.push(order[p++]!);
    const d = new Array<number>(k).fill(0);
    for (const i of here) {
      const c = records[i]!.cause;
      if (c !== null) d[causeIndex.get(c)!]! += 1;
    }
    const dTotal = d.reduce((a, b) => a + b, 0);
    if (dTotal > 0) {
      for (let c = 0; c < k; c++) hz[c] = d[c]! / atRisk;
      const hTotal = dTotal / atRisk;
      for (const i of here) {
        const c = records[i]!.cause;
        if (c !== null) eventsIn[causeIndex.get(c)!]![clusterOf[i]!]! += 1;
      }
      for (let g = 0; g < m; g++) {
        const prev0 = u0[g]!;
        const r = atRiskIn[g]!;
        // Σ over the cluster's records of their influence on this step's hazards: (own events − at risk × h) / n.
        let dhTotal = 0;
        for (let c = 0; c < k; c++) {
          const dh = (eventsIn[c]![g]! - r * hz[c]!) / atRisk;
          dhTotal += dh;
          uk[c]![g] = uk[c]![g]! + prev0 * hz[c]! + free * dh;
        }
        u0[g] = prev0 * (1 - hTotal) - free * dhTotal;
      }
      for (const i of here) {
        const c = records[i]!.cause;
        if (c !== null) eventsIn[causeIndex.get(c)!]![clusterOf[i]!] = 0;
      }
      for (let c = 0; c < k; c++) {
        inc[c] = inc[c]! + free * hz[c]!;
        const u = uk[c]!;
        let v = 0;
        for (let g = 0; g < m; g++) v += u[g]! * u[g]!;
        se[c] = Math.sqrt(v);
      }
      free *= 1 - hTotal;
    }
    // A step with censorings only changes no influence: the standard errors stay as they were.
    const incidence: Record<string, IncidenceEstimate> = {};
    for (let c = 0; c < k; c++) {
      const value = inc[c]!;
      const band =
        value > 0
          ? { lower: value * Math.exp((-z * se[c]!) / value), upper: Math.min(1, value * Math.exp((z * se[c]!) / value)) }
          : { lower: null, upper: null };
      incidence[causes[c]!] = { value, stdErr: se[c]!, ...band };
    }
    const events: Record<string, number> = {};
    d.forEach((x, c) => {
      if (x > 0) events[causes[c]!] = x;
    });
    steps.push({ time: t, atRisk, events, censored: here.length - dTotal, free, incidence });
    for (const i of here) atRiskIn[clusterOf[i]!]! -= 1;
    atRisk -= here.length;
  }
  return { n, causes, level, steps };
}
