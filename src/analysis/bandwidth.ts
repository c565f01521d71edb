/**
 * Is it bandwidth? (`steward waits --bandwidth`). Per week (Monday 00:00 UTC; the first and last
 * weeks clipped to the period), from the replayed states of every change open in the period
 * (queue-state.ts) and the reviews (reviews.ts):
 *
 * - `arrivals`: patch sets uploaded in the week that need review (the change was not work in
 *   progress right after the upload);
 * - `queueEntries`: times a change started waiting on reviewers;
 * - `queueAtStart`: changes waiting on reviewers at the week's start; `queueAverage`: the
 *   time-average over the week (Little's L);
 * - `meanWaitDays`: mean length of the waits on reviewers that started in the week (a wait still
 *   going at the end of the replay counts up to then, so recent weeks read low) (Little's W);
 * - `littleLambdaW`: queue entries per day × meanWaitDays, to set beside `queueAverage`
 *   (Little's law: L ≈ λW when the queue is roughly steady);
 * - `queueExits`: times a change stopped waiting on reviewers (reviewed, closed, or back to WIP);
 * - `waitingAtEnd`: changes waiting on reviewers at the week's end (the horizon for the last week),
 *   and `medianAgeAtEndDays` / `p90AgeAtEndDays`: how long those had been waiting on reviewers, without
 *   a break, by then — the age of what is waiting, which the queue's people feel (meanWaitDays, the
 *   mean of the waits that started in the week, reads low for recent weeks and hides the old ones);
 * - `reviews`, `coreReviews`: human reviews in the week (reviews in the period, reviews.ts: the
 *   same as `steward reviewers` and `steward core load` count), and those by members of the core
 *   team at the time; `cores`: the core team's size at the week's start.
 *
 * What the report concludes ({@link computeBandwidth}), on FULL weeks only — the clipped first and
 * last weeks are dropped (their counts cover fewer days) and listed:
 * - flow balance: entries into the queue against exits from it, summed, and the net change;
 * - a least-squares regression of each week's net queue change (entries − exits) on its arrivals
 *   and its core reviews together, with Newey–West standard errors (consecutive weeks are alike) and
 *   Student's t intervals; a moving-block bootstrap of the core-review coefficient as a check. A
 *   coefficient whose interval spans 0 is "cannot tell" — never "the queue did not move".
 */
import type { FlowChange } from '../model/flow.js';
import type { Timestamp } from '../model/records.js';
import { changeReviews, earliestReviewAct, type FlowContext, type Replay } from './queue-state.js';
import { weekStart } from './queue-trivial.js';
import type { Review } from './reviews.js';
import { movingBlockBootstrap, percentileInterval } from './stats/bootstrap.js';
import { studentQuantile } from './stats/distributions.js';
import { seededRandom } from './stats/random.js';
import { neweyWest, ols } from './stats/regression.js';
import { DAY_MS, quantileSorted, round } from './stats.js';

export interface WeekFlow {
  week: string;
  from: Timestamp;
  to: Timestamp;
  arrivals: number;
  queueEntries: number;
  queueExits: number;
  queueAtStart: number;
  queueAverage: number;
  meanWaitDays: number | null;
  littleLambdaW: number | null;
  /** Changes waiting on reviewers at the week's end (`to`). */
  waitingAtEnd: number;
  /** Median and 90th percentile of how long those had been waiting on reviewers (unbroken) at `to`, in days; null when none. */
  medianAgeAtEndDays: number | null;
  p90AgeAtEndDays: number | null;
  reviews: number;
  coreReviews: number | null;
  cores: number | null;
}

export interface RegressionTerm {
  name: 'arrivals' | 'core reviews';
  /** Change in the weekly net queue change per one more of it in the week, the other held equal. */
  estimate: number;
  /** Newey–West standard error, and the 95% interval from Student's t with n − 3 degrees of freedom. */
  stdErr: number;
  low: number;
  high: number;
  p: number;
  /** `grows` / `shrinks` when the interval is on one side of 0, else `cannot tell`. */
  verdict: 'grows' | 'shrinks' | 'cannot tell';
}

export interface BandwidthReport {
  weeks: WeekFlow[];
  /** The full weeks the conclusions use, and the partial ones left out (by week label). */
  fullWeeks: string[];
  droppedWeeks: string[];
  /** Over the full weeks: entries into and exits from the queue, and the queue at their start and end. */
  balance: { entries: number; exits: number; net: number; queueAtStart: number | null; queueAtEnd: number | null } | null;
  /** Weekly net queue change ~ arrivals + core reviews; null with a reason when it cannot be fitted. */
  regression: {
    weeks: number;
    lag: number;
    terms: RegressionTerm[];
    /** Moving-block bootstrap 95% interval of the core-review coefficient (seeded), as a check. */
    coreReviewsBlockBootstrap: { low: number; high: number; blockLength: number; replicates: number } | null;
  } | null;
  regressionNote: string | null;
  summary: string[];
}

export interface FlowReplay {
  change: FlowChange;
  replay: Replay;
  /** The change's reviews (reviews.ts), when the caller already has them. */
  reviews?: readonly Review[];
  /**
   * The time of the earliest of the change's review acts (queue-state.ts `reviewActsOf`; +∞ for
   * none), when the caller knows it: `reviews` are then used as they are when it is in the period,
   * without building the acts again (and without keeping every change's acts alive until then).
   */
  earliestAct?: Timestamp;
}

/**
 * The change's reviews in [since, horizon) as every report counts reviews in a window
 * (reviews.ts, `reviewsInPeriod`: the period's acts grouped, so a review straddling `since` counts
 * once, dated by its first act in the period). `whole`, the reviews of the change's whole history,
 * are the same when none of its acts is before `since`, and are used then.
 */
function reviewsOfPeriod(
  change: FlowChange,
  whole: readonly Review[] | undefined,
  ctx: FlowContext,
  since: Timestamp,
  horizon: Timestamp,
  earliestAct?: Timestamp,
): readonly Review[] {
  if (whole && (earliestAct ?? earliestReviewAct(change)) >= since) return whole;
  // reviewsInPeriod over reviewActsOf(change), read in place (queue-state.ts changeReviews).
  return changeReviews(change, ctx.isBot, since, horizon).reviews;
}

/** The weekly series over [since, horizon). `coreAt` gives the core team at a time (null: none configured). */
export function weeklyFlow(
  replays: readonly FlowReplay[],
  ctx: FlowContext,
  coreAt: (t: Timestamp) => ReadonlySet<number> | null,
  since: Timestamp,
  horizon: Timestamp,
): WeekFlow[] {
  const weeks: WeekFlow[] = [];
  for (let w = weekStart(since); w < horizon; w += 7 * DAY_MS) {
    const from = Math.max(w, since);
    const to = Math.min(w + 7 * DAY_MS, horizon);
    const cores = coreAt(from);
    weeks.push({
      week: new Date(w).toISOString().slice(0, 10),
      from,
      to,
      arrivals: 0,
      queueEntries: 0,
      queueExits: 0,
      queueAtStart: 0,
      queueAverage: 0,
      meanWaitDays: null,
      littleLambdaW: null,
      waitingAtEnd: 0,
      medianAgeAtEndDays: null,
      p90AgeAtEndDays: null,
      reviews: 0,
      coreReviews: cores ? 0 : null,
      cores: cores ? cores.size : null,
    });
  }
  const weekOf = (t: Timestamp): WeekFlow | undefined => {
    if (t < since || t >= horizon || weeks.length === 0) return undefined;
    return weeks[Math.floor((weekStart(t) - weekStart(since)) / (7 * DAY_MS))];
  };
  const waitSums = weeks.map(() => ({ total: 0, n: 0 }));
  const agesAtEnd: number[][] = weeks.map(() => []);

  for (const { change, replay, reviews, earliestAct } of replays) {
    const seenPs = new Set<number>();
    let visit: { from: Timestamp; to: Timestamp } | null = null;
    const closeVisit = (): void => {
      if (!visit) return;
      // Waiting at a week's end: began before it and still waiting then (a wait cut at the horizon is).
      const first = Math.max(0, Math.floor((weekStart(visit.from) - weekStart(since)) / (7 * DAY_MS)));
      for (let i = first; i < weeks.length && weeks[i]!.from <= visit.to; i++) {
        const end = weeks[i]!.to;
        if (visit.from < end && (visit.to > end || (visit.to === horizon && end === horizon))) agesAtEnd[i]!.push(end - visit.from);
      }
      const w = weekOf(visit.from);
      if (w) {
        w.queueEntries += 1;
        const s = waitSums[weeks.indexOf(w)]!;
        s.total += visit.to - visit.from;
        s.n += 1;
      }
      // A visit cut at the horizon has not ended.
      const out = visit.to < horizon ? weekOf(visit.to) : undefined;
      if (out) out.queueExits += 1;
      visit = null;
    };
    for (const seg of replay.segments) {
      if (!seenPs.has(seg.patchSet)) {
        seenPs.add(seg.patchSet);
        if (seg.phase !== 'wip' && seg.phase !== 'closed') {
          const w = weekOf(seg.from);
          if (w) w.arrivals += 1;
        }
      }
      if (seg.phase === 'reviewers') {
        if (visit && visit.to === seg.from) visit.to = seg.to;
        else {
          closeVisit();
          visit = { from: seg.from, to: seg.to };
        }
        for (const w of weeks) {
          const overlap = Math.min(seg.to, w.to) - Math.max(seg.from, w.from);
          if (overlap > 0) w.queueAverage += overlap / (w.to - w.from);
          if (seg.from <= w.from && seg.to > w.from) w.queueAtStart += 1;
        }
      } else {
        closeVisit();
      }
    }
    closeVisit();
    for (const r of reviewsOfPeriod(change, reviews, ctx, since, horizon, earliestAct)) {
      const w = weekOf(r.at);
      if (!w) continue;
      w.reviews += 1;
      if (w.coreReviews !== null && coreAt(r.at)?.has(r.reviewerId)) w.coreReviews += 1;
    }
  }
  weeks.forEach((w, i) => {
    const s = waitSums[i]!;
    w.queueAverage = round(w.queueAverage, 1) ?? 0;
    w.meanWaitDays = s.n ? round(s.total / s.n / DAY_MS, 2) : null;
    const lambda = w.queueEntries / ((w.to - w.from) / DAY_MS);
    w.littleLambdaW = w.meanWaitDays === null ? null : round(lambda * w.meanWaitDays, 1);
    const ages = agesAtEnd[i]!.sort((a, b) => a - b);
    w.waitingAtEnd = ages.length;
    const days = (q: number): number | null => {
      const v = quantileSorted(ages, q);
      return v === null ? null : round(v / DAY_MS, 1);
    };
    w.medianAgeAtEndDays = days(0.5);
    w.p90AgeAtEndDays = days(0.9);
  });
  return weeks;
}

const FULL_WEEK = 7 * DAY_MS;

/** The bandwidth report: the weekly series, the flow balance, the regression and a plain summary. */
export function computeBandwidth(weeks: readonly WeekFlow[]): BandwidthReport {
  const full = weeks.filter((w) => w.to - w.from === FULL_WEEK);
  const droppedWeeks = weeks.filter((w) => w.to - w.from !== FULL_WEEK).map((w) => w.week);
  const haveCore = weeks.some((w) => w.coreReviews !== null);
  const entries = full.reduce((a, w) => a + w.queueEntries, 0);
  const exits = full.reduce((a, w) => a + w.queueExits, 0);
  const balance = full.length
    ? { entries, exits, net: entries - exits, queueAtStart: full[0]!.queueAtStart, queueAtEnd: full[0]!.queueAtStart + entries - exits }
    : null;

  let regression: BandwidthReport['regression'] = null;
  let regressionNote: string | null = null;
  if (!haveCore) regressionNote = 'no core team is configured, so core reviews cannot be counted';
  else if (full.length < 8) regressionNote = `${full.length} full weeks: too few for a regression (8 or more)`;
  else {
    const y = full.map((w) => w.queueEntries - w.queueExits);
    const x = full.map((w) => [w.arrivals, w.coreReviews ?? 0]);
    try {
      const fit = ols(y, x, { names: ['arrivals', 'core reviews'] });
      const nw = neweyWest(fit);
      const df = fit.n - fit.k;
      const q = studentQuantile(0.975, df);
      const terms: RegressionTerm[] = (['arrivals', 'core reviews'] as const).map((name, j) => {
        const b = fit.coefficients[j + 1]!;
        const se = nw.stdErr[j + 1]!;
        const low = b - q * se;
        const high = b + q * se;
        return {
          name,
          estimate: round(b, 3)!,
          stdErr: round(se, 3)!,
          low: round(low, 3)!,
          high: round(high, 3)!,
          p: round(nw.p[j + 1]!, 4)!,
          verdict: low > 0 ? 'grows' : high < 0 ? 'shrinks' : 'cannot tell',
        };
      });
      const rows = full.map((w, i) => ({ y: y[i]!, x: x[i]! }));
      const reps = movingBlockBootstrap(
        rows,
        (sample) => {
          try {
            return ols(
              sample.map((r) => r.y),
              sample.map((r) => r.x),
            ).coefficients[2]!;
          } catch {
            return null;
          }
        },
        { random: seededRandom(1), replicates: 1000 },
      );
      const iv = reps.values.length >= 900 ? percentileInterval(reps.values) : null;
      const blockLength = Math.max(1, Math.ceil(Math.cbrt(rows.length)));
      regression = {
        weeks: full.length,
        lag: nw.lag,
        terms,
        coreReviewsBlockBootstrap: iv
          ? { low: round(iv.lower, 3)!, high: round(iv.upper, 3)!, blockLength, replicates: reps.values.length }
          : null,
      };
    } catch (e) {
      regressionNote = `the regression could not be fitted: ${(e as Error).message}`;
    }
  }

  const summary: string[] = [];
  if (weeks.length >= 2) {
    const first = weeks[0]!;
    const last = weeks[weeks.length - 1]!;
    summary.push(
      `Over ${weeks.length} weeks the queue waiting on reviewers went from ${first.queueAtStart} to ${last.queueAtStart} changes (weekly average ${first.queueAverage} → ${last.queueAverage}).`,
    );
  }
  if (droppedWeeks.length)
    summary.push(`Partial weeks left out of the balance and the regression (their counts cover fewer days): ${droppedWeeks.join(', ')}.`);
  if (balance) {
    summary.push(
      `Flow balance over ${full.length} full weeks: ${balance.entries} entries into the queue and ${balance.exits} exits, so the queue ${balance.net > 0 ? `grew by ${balance.net}` : balance.net < 0 ? `shrank by ${-balance.net}` : 'stayed level'} (${balance.queueAtStart} → ${balance.queueAtEnd}): ${balance.net > 0 ? 'more work arrived than review took out' : balance.net < 0 ? 'review took out more than arrived' : 'review kept pace with arrivals'}.`,
    );
  }
  if (regression) {
    const t = (name: RegressionTerm['name']) => regression!.terms.find((x) => x.name === name)!;
    const core = t('core reviews');
    const arr = t('arrivals');
    const bb = regression.coreReviewsBlockBootstrap;
    const check = bb ? `; block bootstrap ${bb.low} to ${bb.high}` : '';
    summary.push(
      core.verdict === 'cannot tell'
        ? `Core reviews and the queue, at equal arrivals: cannot tell — ${core.estimate} queued changes per core review, 95% CI ${core.low} to ${core.high} (Newey–West, ${regression.weeks} weeks${check}): the interval is too wide to say whether supply moved the queue.`
        : `Core reviews and the queue, at equal arrivals: each core review in a week went with ${Math.abs(core.estimate)} ${core.verdict === 'shrinks' ? 'fewer' : 'more'} queued changes (95% CI ${core.low} to ${core.high}, Newey–West, ${regression.weeks} weeks${check}) — an association: supply may follow the queue as much as the reverse.`,
    );
    summary.push(
      arr.verdict === 'cannot tell'
        ? `Arrivals and the queue, at equal core reviews: cannot tell (${arr.estimate} per arriving patch set, 95% CI ${arr.low} to ${arr.high}).`
        : `Arrivals and the queue, at equal core reviews: each arriving patch set went with ${Math.abs(arr.estimate)} ${arr.verdict === 'grows' ? 'more' : 'fewer'} queued changes (95% CI ${arr.low} to ${arr.high}).`,
    );
  } else if (regressionNote) summary.push(`No regression of the queue on supply and arrivals: ${regressionNote}.`);
  const steady = weeks.filter((w) => w.littleLambdaW !== null && w.queueAverage > 0);
  if (steady.length) {
    const ratios = steady.map((w) => w.littleLambdaW! / w.queueAverage).sort((x, y) => x - y);
    const mid = ratios[Math.floor(ratios.length / 2)]!;
    summary.push(
      `Little's law check: arrival rate × wait is ${mid.toFixed(2)}× the average queue in a typical week${Math.abs(mid - 1) <= 0.25 ? ' (consistent: the queue is explained by arrivals and waits)' : ' (not steady: waits started in a week end later, or the queue is building up or draining)'}.`,
    );
  }
  return { weeks: [...weeks], fullWeeks: full.map((w) => w.week), droppedWeeks, balance, regression, regressionNote, summary };
}
