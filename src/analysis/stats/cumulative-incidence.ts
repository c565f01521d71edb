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
 * clusters are given).
 *
 * Computed without following every record at every time: the records still at risk have all had
 * the same influence so far (only their own event or censoring sets them apart, and they leave
 * the risk set then), so one common value stands for all of them; and after a record leaves, its
 * influence moves only through the estimates themselves — on cause k's incidence it is
 * u_k(τ) + u_0(τ)·(F_k(t) − F_k(τ)) / S(τ), with τ its leaving time, F_k the incidence and S the
 * share free. Each cluster's summed influence is then n_j·U_k + A_kj + F_k·B_j (n_j of its records
 * at risk, A and B summed over those that left), and Σ_j of its square is kept as six running
 * sums updated when a record leaves. Cost O(records · causes + distinct times · causes) after the
 * sort, instead of records × distinct times.
 *
 * Band: R's default `log` type, value·exp(±z·se/value), upper end capped at 1.
 *
 * Assumes censoring is independent of the outcome. Edge cases: no records gives no steps; a cause
 * never seen is not listed.
 */
export function cumulativeIncidence(records: readonly CompetingRecord[], options: CumulativeIncidenceOptions = {}): CumulativeIncidence {
  const level = options.level ?? 0.95;
  const n = records.length;
  if (options.clusters && options.clusters.length !== n) {
    throw new RangeError(`cumulativeIncidence: ${options.clusters.length} clusters given for ${n} records`);
  }
  const causes = [...new Set(records.map((r) => r.cause).filter((c): c is string => c !== null))].sort();
  const k = causes.length;
  const causeIndex = new Map(causes.map((c, i) => [c, i]));
  const time = Float64Array.from(records, (r) => r.time);
  const cause = Int32Array.from(records, (r) => (r.cause === null ? -1 : causeIndex.get(r.cause)!));
  const c = incidenceCurves(time, cause, k, options.clusters, level);
  const steps: IncidenceStep[] = [];
  for (let s = 0; s < c.steps; s++) {
    const incidence: Record<string, IncidenceEstimate> = {};
    const events: Record<string, number> = {};
    let dTotal = 0;
    for (let q = 0; q < k; q++) {
      const value = c.value[s * k + q]!;
      const se = c.stdErr[s * k + q]!;
      const band =
        value > 0
          ? { lower: value * Math.exp((-c.z * se) / value), upper: Math.min(1, value * Math.exp((c.z * se) / value)) }
          : { lower: null, upper: null };
      incidence[causes[q]!] = { value, stdErr: se, ...band };
      const d = c.events[s * k + q]!;
      if (d > 0) events[causes[q]!] = d;
      dTotal += d;
    }
    steps.push({ time: c.time[s]!, atRisk: c.atRisk[s]!, events, censored: c.leaving[s]! - dTotal, free: c.free[s]!, incidence });
  }
  return { n, causes, level, steps };
}

/**
 * {@link cumulativeIncidence}'s numbers in typed arrays, one entry per step (distinct time) and,
 * for the per-cause ones, at step·k + cause: what the curves are made of without an object per
 * step (a report draws them for every level of every factor).
 */
export interface IncidenceCurves {
  steps: number;
  /** The normal quantile of the bands. */
  z: number;
  time: Float64Array;
  atRisk: Float64Array;
  /** Records leaving at the step (events and censorings). */
  leaving: Float64Array;
  free: Float64Array;
  value: Float64Array;
  stdErr: Float64Array;
  events: Float64Array;
}

/**
 * The Aalen–Johansen curves of {@link cumulativeIncidence} over records given as columns: `time`,
 * and `cause` (an index below `k`, or −1 when censored); `clusters` as there (one per record).
 * The band of a value v > 0 with standard error se is v·exp(∓z·se/v), the upper end capped at 1.
 */
export function incidenceCurves(
  time: Float64Array,
  cause: Int32Array,
  k: number,
  clusters: ReadonlyArray<string | number> | undefined,
  level = 0.95,
): IncidenceCurves {
  const z = normalQuantile(1 - (1 - level) / 2);
  const n = time.length;
  const order = Int32Array.from(time.keys()).sort((a, b) => time[a]! - time[b]! || a - b);

  // Cluster index of each record (for summing influences).
  const clusterOf = new Int32Array(n);
  let m = n;
  if (clusters) {
    const clusterIds = new Map<string | number, number>();
    for (let i = 0; i < n; i++) {
      const key = clusters[i]!;
      let id = clusterIds.get(key);
      if (id === undefined) clusterIds.set(key, (id = clusterIds.size));
      clusterOf[i] = id;
    }
    m = clusterIds.size;
  } else for (let i = 0; i < n; i++) clusterOf[i] = i;

  // The influence of a record still at risk (the same for all of them): on free, and on each cause.
  let commonFree = 0;
  const common = new Float64Array(k);
  // Per cluster: records at risk (n_j), and over the records that left, A_kj = Σ u_k(τ) − u_0(τ)·F_k(τ)/S(τ)
  // and B_j = Σ u_0(τ)/S(τ).
  const nj = new Float64Array(m);
  for (let i = 0; i < n; i++) nj[clusterOf[i]!]! += 1;
  const A = Array.from({ length: k }, () => new Float64Array(m));
  const B = new Float64Array(m);
  // Running sums over clusters: Σn², Σn·B, ΣB², and per cause Σn·A, ΣA², ΣA·B.
  let sumNN = 0;
  for (let j = 0; j < m; j++) sumNN += nj[j]! * nj[j]!;
  let sumNB = 0;
  let sumBB = 0;
  const sumNA = new Float64Array(k);
  const sumAA = new Float64Array(k);
  const sumAB = new Float64Array(k);
  /** Takes cluster j's terms out of the running sums (sign −1) or puts them back (sign +1). */
  const account = (j: number, sign: number): void => {
    const n = nj[j]!;
    const b = B[j]!;
    sumNN += sign * n * n;
    sumNB += sign * n * b;
    sumBB += sign * b * b;
    for (let c = 0; c < k; c++) {
      const a = A[c]![j]!;
      sumNA[c]! += sign * n * a;
      sumAA[c]! += sign * a * a;
      sumAB[c]! += sign * a * b;
    }
  };
  const leaving = new Float64Array(k);

  let free = 1;
  const inc = new Array<number>(k).fill(0);
  const out: IncidenceCurves = {
    steps: 0,
    z,
    time: new Float64Array(n),
    atRisk: new Float64Array(n),
    leaving: new Float64Array(n),
    free: new Float64Array(n),
    value: new Float64Array(n * k),
    stdErr: new Float64Array(n * k),
    events: new Float64Array(n * k),
  };
  let atRisk = n;
  const hz = new Array<number>(k).fill(0);
  const d = new Array<number>(k).fill(0);
  const commonBefore = new Float64Array(k);
  for (let p = 0; p < n;) {
    const t = time[order[p]!]!;
    const first = p;
    while (p < n && time[order[p]!] === t) p++;
    d.fill(0);
    for (let q = first; q < p; q++) {
      const c = cause[order[q]!]!;
      if (c >= 0) d[c]! += 1;
    }
    const dTotal = d.reduce((a, b) => a + b, 0);
    const freeBefore = free;
    commonBefore.set(common);
    const commonFreeBefore = commonFree;
    if (dTotal > 0) {
      for (let c = 0; c < k; c++) hz[c] = d[c]! / atRisk;
      const hTotal = dTotal / atRisk;
      // A record at risk without an event here: its influence on each hazard is −h/n.
      for (let c = 0; c < k; c++) common[c] = commonBefore[c]! + commonFreeBefore * hz[c]! - (freeBefore * hz[c]!) / atRisk;
      commonFree = commonFreeBefore * (1 - hTotal) + (freeBefore * hTotal) / atRisk;
      for (let c = 0; c < k; c++) inc[c] = inc[c]! + freeBefore * hz[c]!;
      free *= 1 - hTotal;
    }
    // The records of this time leave the risk set, each with its influence after this step.
    for (let q = first; q < p; q++) {
      const i = order[q]!;
      const own = cause[i]!;
      let leavingFree = commonFree;
      leaving.set(common);
      if (own >= 0) {
        // Its own event adds 1/n to its cause's hazard: +S⁻/n on that incidence, −S⁻/n on free.
        leaving[own]! += freeBefore / atRisk;
        leavingFree -= freeBefore / atRisk;
      }
      const j = clusterOf[i]!;
      account(j, -1);
      nj[j]! -= 1;
      // With nobody free any more (S = 0) nothing moves afterwards: the influence stays as it is.
      const perFree = free > 0 ? leavingFree / free : 0;
      for (let c = 0; c < k; c++) A[c]![j]! += leaving[c]! - perFree * inc[c]!;
      B[j]! += perFree;
      account(j, +1);
    }
    const s = out.steps++;
    for (let c = 0; c < k; c++) {
      const u = common[c]!;
      const f = inc[c]!;
      // Σ_j (n_j·U + A_j + F·B_j)², expanded into the running sums.
      const v = Math.max(0, u * u * sumNN + sumAA[c]! + f * f * sumBB + 2 * u * sumNA[c]! + 2 * u * f * sumNB + 2 * f * sumAB[c]!);
      out.value[s * k + c] = f;
      out.stdErr[s * k + c] = Math.sqrt(v);
      out.events[s * k + c] = d[c]!;
    }
    out.time[s] = t;
    out.atRisk[s] = atRisk;
    out.leaving[s] = p - first;
    out.free[s] = free;
    atRisk -= p - first;
  }
  return out;
}
