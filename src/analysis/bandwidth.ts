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
 * - `reviews`, `coreReviews`: human reviews in the week, and those by members of the core team at
 *   the time; `cores`: the core team's size at the week's start.
 *
 * The relation: Pearson correlations (with Fisher 95% intervals) between the queue's growth over a
 * week (next week's queueAtStart − this week's) and that week's core reviews and arrivals; an
 * interval that contains 0 is reported as within noise.
 */
import type { FlowChange } from '../model/flow.js';
import type { Timestamp } from '../model/records.js';
import { reviewActsOf, type FlowContext, type Replay } from './queue-state.js';
import { weekStart } from './queue-trivial.js';
import { extractReviews, type Review } from './reviews.js';
import { DAY_MS, round } from './stats.js';
import { correlation, type Correlation } from './waits-stats.js';

export interface WeekFlow {
  week: string;
  from: Timestamp;
  to: Timestamp;
  arrivals: number;
  queueEntries: number;
  queueAtStart: number;
  queueAverage: number;
  meanWaitDays: number | null;
  littleLambdaW: number | null;
  reviews: number;
  coreReviews: number | null;
  cores: number | null;
}

export interface BandwidthReport {
  weeks: WeekFlow[];
  relation: {
    queueGrowthVsCoreReviews: Correlation;
    queueGrowthVsArrivals: Correlation;
    queueAverageVsCoreReviews: Correlation;
  };
  summary: string[];
}

export interface FlowReplay {
  change: FlowChange;
  replay: Replay;
  /** The change's reviews (reviews.ts), when the caller already has them. */
  reviews?: readonly Review[];
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
    weeks.push({ week: new Date(w).toISOString().slice(0, 10), from, to, arrivals: 0, queueEntries: 0, queueAtStart: 0, queueAverage: 0, meanWaitDays: null, littleLambdaW: null, reviews: 0, coreReviews: cores ? 0 : null, cores: cores ? cores.size : null });
  }
  const weekOf = (t: Timestamp): WeekFlow | undefined => {
    if (t < since || t >= horizon || weeks.length === 0) return undefined;
    return weeks[Math.floor((weekStart(t) - weekStart(since)) / (7 * DAY_MS))];
  };
  const waitSums = weeks.map(() => ({ total: 0, n: 0 }));

  for (const { change, replay, reviews } of replays) {
    const seenPs = new Set<number>();
    let visit: { from: Timestamp; to: Timestamp } | null = null;
    const closeVisit = (): void => {
      if (!visit) return;
      const w = weekOf(visit.from);
      if (w) {
        w.queueEntries += 1;
        const s = waitSums[weeks.indexOf(w)]!;
        s.total += visit.to - visit.from;
        s.n += 1;
      }
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
    for (const r of reviews ?? extractReviews(reviewActsOf(change), ctx.isBot).reviews) {
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
  });
  return weeks;
}

const fmtR = (c: Correlation): string =>
  c.r === null ? 'not computable' : `r = ${c.r.toFixed(2)}${c.low !== null && c.high !== null ? ` (95% CI ${c.low.toFixed(2)} to ${c.high.toFixed(2)})` : ''}`;
const noise = (c: Correlation): boolean => c.r === null || c.low === null || c.high === null || (c.low <= 0 && c.high >= 0);

/** The bandwidth report: the weekly series, the correlations and a plain summary. */
export function computeBandwidth(weeks: readonly WeekFlow[]): BandwidthReport {
  const full = weeks.slice(0, -1);
  const growth = full.map((w, i) => weeks[i + 1]!.queueAtStart - w.queueAtStart);
  const core = full.map((w) => w.coreReviews ?? 0);
  const haveCore = weeks.some((w) => w.coreReviews !== null);
  const relation = {
    queueGrowthVsCoreReviews: haveCore ? correlation(growth, core) : { n: 0, r: null, low: null, high: null },
    queueGrowthVsArrivals: correlation(growth, full.map((w) => w.arrivals)),
    queueAverageVsCoreReviews: haveCore ? correlation(weeks.map((w) => w.queueAverage), weeks.map((w) => w.coreReviews ?? 0)) : { n: 0, r: null, low: null, high: null },
  };
  const summary: string[] = [];
  if (weeks.length >= 2) {
    const first = weeks[0]!;
    const last = weeks[weeks.length - 1]!;
    summary.push(`Over ${weeks.length} weeks the queue waiting on reviewers went from ${first.queueAtStart} to ${last.queueAtStart} changes (weekly average ${first.queueAverage} → ${last.queueAverage}).`);
  }
  const g = relation.queueGrowthVsCoreReviews;
  const a = relation.queueGrowthVsArrivals;
  if (!haveCore) summary.push('No core team is configured, so core review supply cannot be compared with the queue.');
  else if (noise(g)) summary.push(`Queue growth and core reviews: ${fmtR(g)} — within noise: the queue did not grow or shrink with core review supply.`);
  else summary.push(`Queue growth and core reviews: ${fmtR(g)} — ${g.r! < 0 ? 'weeks with more core reviews saw the queue shrink: supply matters' : 'the queue grew in weeks with more core reviews (more arrivals drew more reviews)'}.`);
  if (noise(a)) summary.push(`Queue growth and arrivals: ${fmtR(a)} — within noise.`);
  else summary.push(`Queue growth and arrivals: ${fmtR(a)} — ${a.r! > 0 ? 'the queue grows when more patch sets arrive' : 'more arrivals went with a shrinking queue'}.`);
  const steady = weeks.filter((w) => w.littleLambdaW !== null && w.queueAverage > 0);
  if (steady.length) {
    const ratios = steady.map((w) => w.littleLambdaW! / w.queueAverage).sort((x, y) => x - y);
    const mid = ratios[Math.floor(ratios.length / 2)]!;
    summary.push(`Little's law check: arrival rate × wait is ${mid.toFixed(2)}× the average queue in a typical week${Math.abs(mid - 1) <= 0.25 ? ' (consistent: the queue is explained by arrivals and waits)' : ' (not steady: waits started in a week end later, or the queue is building up or draining)'}.`);
  }
  return { weeks: [...weeks], relation, summary };
}
