/**
 * `steward reviewers --compat reviewstats`: the numbers of reviewstats' `reviewers -d N`
 * (openstack/reviewstats), reproduced on Gerrit approval records, quirks included, so a team can
 * switch to Steward without its numbers moving. Steward's own definitions are in reviewers.ts;
 * these are deliberately different (docs/reviewers-and-core.md, "Reviewers" → "reviewstats compatibility"):
 *
 * - the unit is each Code-Review approval record (a person's final vote on a label on one patch set,
 *   as `--all-approvals` lists them — copied votes included, on every patch set they appear on);
 * - a record counts when granted at or after the cut-off now − N days, truncated to whole seconds
 *   (no upper bound);
 * - the reviewer is the username; every account without one is merged into one `unknown` row;
 * - Reviews: windowed Code-Review records, split −2/−1/+1/+2 (other values counted in none);
 *   +A: windowed Workflow records > 0 and legacy Approved records > 0, not reviews; Verified and
 *   Workflow ≤ 0 are ignored;
 * - +/- % = (+1 + +2) / (all four) × 100;
 * - a disagreement: a windowed +1/+2 granted strictly before the latest non-positive Code-Review
 *   record by a core on the same patch set, or a windowed −1/−2 granted strictly before the latest
 *   positive one — latest over all time, the reviewer included when core; % = disagreements / (all four) × 100;
 * - core = username in the project's configured core list, for the whole window;
 * - self-votes count; bots count, except the accounts named jenkins and smokestack (any case);
 * - rows sorted by reviews descending (ties: by name); rows with nothing counted are left out;
 * - percentages and per-day figures are rounded as Python's `%.1f` does (half to even on the exact
 *   binary value).
 */
import type { ChangeStatus, Timestamp } from '../model/records.js';
import type { ApprovalColumns, ApprovalRecord } from '../model/team.js';
import { DAY_MS } from './stats.js';

export interface CompatChange {
  id: number;
  number: number;
  project: string;
  status: ChangeStatus;
  /**
   * In the export's order (ascending number). `firstRecord`: the time of the patch set's earliest
   * approval record of any label, when the caller has it (then `approvals` may hold only the
   * Code-Review, Workflow and Approved records, the ones counted); else taken from `approvals`.
   */
  patchSets: Array<{ number: number; created: Timestamp; firstRecord?: Timestamp }>;
}

export interface CompatInput {
  /**
   * Final non-zero approval records of every change with a vote or patch set at or after the
   * cut-off: all labels, or only Code-Review, Workflow and Approved when the changes' patch sets
   * carry `firstRecord`.
   */
  approvals: readonly ApprovalRecord[];
  /** Those changes. */
  changes: readonly CompatChange[];
  /** Per project: the usernames of its configured core list. */
  coreUsernames: ReadonlyMap<string, ReadonlySet<string>>;
  /** Sum of the core lists' lengths over the projects reported. */
  coreTeamSize: number;
}

export interface CompatOptions {
  now: Timestamp;
  days: number;
}

export interface CompatRow {
  reviewer: string;
  core: boolean;
  reviews: number;
  minus2: number;
  minus1: number;
  plus1: number;
  plus2: number;
  approvals: number;
  /** (+1 + +2) / (all four) × 100, rounded to 0.1 as reviewstats prints it; 0 without votes. */
  positivePercent: number;
  disagreements: number;
  /** disagreements / (all four) × 100, rounded to 0.1; 0 without votes. */
  disagreementPercent: number;
  /** Numbers of the changes whose records were counted, ascending. */
  changes: number[];
}

export interface CompatResult {
  days: number;
  now: string;
  /** The cut-off: records granted at or after it count. */
  cutOff: string;
  rows: CompatRow[];
  totals: {
    reviews: number;
    reviewsPerDay: number;
    reviewers: number;
    reviewsPerReviewerPerDay: number;
    coreReviews: number;
    coreReviewsPerDay: number;
    coreTeamSize: number;
    coreReviewsPerCorePerDay: number;
  };
  changeStats: {
    newPatchSets: number;
    newPatchSetsPerDay: number;
    changesInvolved: number;
    changesInvolvedPerDay: number;
    newChanges: number;
    newChangesPerDay: number;
    merged: number;
    mergedPerDay: number;
    abandoned: number;
    abandonedPerDay: number;
    workInProgress: number;
    workInProgressPerDay: number;
    queueGrowth: number;
    queueGrowthPerDay: number;
    patchSetsPerChange: number;
  };
}

const DROPPED = new Set(['jenkins', 'smokestack']);

/**
 * Formats `x` with `digits` decimals as Python's `'%.Nf' % x` does: round half to even on the
 * exact binary value (JavaScript's toFixed rounds such ties up).
 *
 * @example pyFixed(0.25, 1) // '0.2' (toFixed gives '0.3'); pyFixed(2 / 3 * 100, 1) // '66.7'
 */
export function pyFixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return String(x);
  const neg = x < 0 || Object.is(x, -0);
  const exact = Math.abs(x).toFixed(100);
  const [whole, frac = ''] = exact.split('.') as [string, string?];
  const kept = frac.slice(0, digits);
  const rest = frac.slice(digits);
  const lastDigit = Number((digits > 0 ? kept : whole).slice(-1));
  const up = rest[0]! > '5' || (rest[0] === '5' && (/[1-9]/.test(rest.slice(1)) || lastDigit % 2 === 1));
  let digitsStr = whole + kept;
  if (up) {
    const arr = digitsStr.split('');
    let i = arr.length - 1;
    for (; i >= 0; i--) {
      if (arr[i] === '9') arr[i] = '0';
      else {
        arr[i] = String(Number(arr[i]) + 1);
        break;
      }
    }
    digitsStr = (i < 0 ? '1' : '') + arr.join('');
  }
  const intLen = digitsStr.length - digits;
  const s = digits > 0 ? `${digitsStr.slice(0, intLen)}.${digitsStr.slice(intLen)}` : digitsStr;
  return neg ? `-${s}` : s;
}

const py1 = (x: number): number => Number(pyFixed(x, 1));

const CODE_REVIEW = 0;
const APPROVAL = 1;
const OTHER = 2;
const EMPTY_IDS: ReadonlySet<number> = new Set();

/**
 * Computes the reviewstats `reviewers -d days` report as of `now`, from approval record objects
 * (see {@link computeReviewstatsColumns}, which this calls, for reads of many records).
 *
 * @example
 * const r = computeReviewstatsCompat({ approvals, changes, coreUsernames, coreTeamSize: 12 }, { now, days: 90 });
 * r.rows[0].reviewer; r.totals.reviews;
 */
export function computeReviewstatsCompat(input: CompatInput, opts: CompatOptions): CompatResult {
  const labels: string[] = [];
  const labelIndex = new Map<string, number>();
  const n = input.approvals.length;
  const records = {
    length: n,
    changeId: new Float64Array(n),
    patchSet: new Float64Array(n),
    label: new Float64Array(n),
    labels,
    value: new Float64Array(n),
    voterId: new Float64Array(n),
    grantedAt: new Float64Array(n),
  };
  const usernames = new Map<number, string | null>();
  const recordChanges = new Map<number, { number: number; project: string }>();
  // Each patch set's earliest record, for the patch sets the caller gave no `firstRecord`.
  const earliest = new Map<number, Map<number, number>>();
  input.approvals.forEach((a, i) => {
    let k = labelIndex.get(a.label);
    if (k === undefined) labelIndex.set(a.label, (k = labels.push(a.label) - 1));
    records.changeId[i] = a.changeId;
    records.patchSet[i] = a.patchSet;
    records.label[i] = k;
    records.value[i] = a.value;
    records.voterId[i] = a.voterId;
    records.grantedAt[i] = a.grantedAt;
    usernames.set(a.voterId, a.voterUsername);
    if (!recordChanges.has(a.changeId)) recordChanges.set(a.changeId, { number: a.changeNumber, project: a.project });
    let ps = earliest.get(a.changeId);
    if (!ps) earliest.set(a.changeId, (ps = new Map()));
    ps.set(a.patchSet, Math.min(ps.get(a.patchSet) ?? Infinity, a.grantedAt));
  });
  const changes = input.changes.map((c) => ({
    ...c,
    patchSets: c.patchSets.map((ps) => {
      const first = ps.firstRecord ?? earliest.get(c.id)?.get(ps.number);
      return first === undefined ? ps : { ...ps, firstRecord: first };
    }),
  }));
  return computeReviewstatsColumns(
    { records, usernames, recordChanges, changes, coreUsernames: input.coreUsernames, coreTeamSize: input.coreTeamSize },
    opts,
  );
}

/**
 * The records grouped by (change, patch set): as given when they come in ascending order of both
 * (the loader's), else sorted copies of the columns.
 */
function byPatchSet(r: ApprovalColumns): ApprovalColumns {
  const n = r.length;
  let grouped = true;
  for (let i = 1; i < n && grouped; i++) {
    const dc = r.changeId[i]! - r.changeId[i - 1]!;
    if (dc < 0 || (dc === 0 && r.patchSet[i]! < r.patchSet[i - 1]!)) grouped = false;
  }
  if (grouped) return r;
  const order = Array.from({ length: n }, (_x, k) => k).sort((a, b) => r.changeId[a]! - r.changeId[b]! || r.patchSet[a]! - r.patchSet[b]!);
  const sorted = (c: ArrayLike<number>): number[] => order.map((i) => c[i]!);
  return {
    length: n,
    changeId: sorted(r.changeId),
    patchSet: sorted(r.patchSet),
    label: sorted(r.label),
    labels: r.labels,
    value: sorted(r.value),
    voterId: sorted(r.voterId),
    grantedAt: sorted(r.grantedAt),
  };
}

/** {@link CompatInput} with the approval records as columns. */
export interface CompatColumnsInput {
  /**
   * Final non-zero approval records of every change with a vote or patch set at or after the
   * cut-off, of every label. Records by a voter not in `usernames` are not counted.
   */
  records: ApprovalColumns;
  /** The voters' usernames (null: none), by store id. */
  usernames: ReadonlyMap<number, string | null>;
  /** Each record's change: its number and project, by store id. */
  recordChanges: ReadonlyMap<number, { number: number; project: string }>;
  /**
   * The changes, each patch set with a record carrying `firstRecord` (the time of its earliest
   * record, any label).
   */
  changes: readonly CompatChange[];
  coreUsernames: ReadonlyMap<string, ReadonlySet<string>>;
  coreTeamSize: number;
}

/**
 * Computes the reviewstats `reviewers -d days` report as of `now` (the definitions: this module's
 * comment) from approval records as columns: no object per record. Records are taken patch set by
 * patch set, in the order given when they come grouped by (change, patch set), else sorted.
 *
 * @example
 * const r = computeReviewstatsColumns({ records, usernames, recordChanges, changes, coreUsernames, coreTeamSize: 12 }, { now, days: 90 });
 */
export function computeReviewstatsColumns(input: CompatColumnsInput, opts: CompatOptions): CompatResult {
  const { now, days } = opts;
  // reviewstats truncates the cut-off to whole seconds; approval times are whole seconds.
  const cut = Math.floor((now - days * DAY_MS) / 1000) * 1000;
  const r = byPatchSet(input.records);
  const { usernames } = input;
  const n = r.length;
  const labelKind = r.labels.map((l) => (l === 'Code-Review' ? CODE_REVIEW : l === 'Workflow' || l === 'Approved' ? APPROVAL : OTHER));

  interface Acc {
    row: CompatRow;
    changes: Set<number>;
  }
  const rows = new Map<string, Acc>();
  // By voter id (several ids share the `unknown` row); null: not a known account.
  const byVoter = new Map<number, Acc | null>();
  const accOf = (voterId: number): Acc | null => {
    let a = byVoter.get(voterId);
    if (a !== undefined) return a;
    const u = usernames.get(voterId);
    if (u === undefined) a = null;
    else {
      const name = u ?? 'unknown';
      a = rows.get(name) ?? null;
      if (!a) {
        a = {
          row: {
            reviewer: name,
            core: false,
            reviews: 0,
            minus2: 0,
            minus1: 0,
            plus1: 0,
            plus2: 0,
            approvals: 0,
            positivePercent: 0,
            disagreements: 0,
            disagreementPercent: 0,
            changes: [],
          },
          changes: new Set(),
        };
        rows.set(name, a);
      }
    }
    byVoter.set(voterId, a);
    return a;
  };
  // Per project, the store ids of the voters whose name is in its core list.
  const coreIds = new Map<string, Set<number>>();
  const coreIdsOf = (project: string): Set<number> => {
    let s = coreIds.get(project);
    if (s) return s;
    s = new Set();
    const names = input.coreUsernames.get(project);
    if (names) for (const [id, u] of usernames) if (names.has(u ?? 'unknown')) s.add(id);
    coreIds.set(project, s);
    return s;
  };

  // Indexed loops: unoptimised (a fresh process), a for…of allocates an iterator result per step.
  for (let start = 0; start < n;) {
    const changeId = r.changeId[start]!;
    const patchSet = r.patchSet[start]!;
    let end = start + 1;
    while (end < n && r.changeId[end] === changeId && r.patchSet[end] === patchSet) end++;
    const change = input.recordChanges.get(changeId);
    const core: ReadonlySet<number> = change ? coreIdsOf(change.project) : EMPTY_IDS;
    let latestCoreNeg = 0;
    let latestCorePos = 0;
    for (let i = start; i < end; i++) {
      if (labelKind[r.label[i]!] !== CODE_REVIEW || !core.has(r.voterId[i]!)) continue;
      const t = r.grantedAt[i]!;
      if (r.value[i]! > 0) latestCorePos = Math.max(latestCorePos, t);
      else latestCoreNeg = Math.max(latestCoreNeg, t);
    }
    for (let i = start; i < end; i++) {
      const t = r.grantedAt[i]!;
      if (t < cut) continue;
      const kind = labelKind[r.label[i]!];
      if (kind === OTHER) continue;
      const a = accOf(r.voterId[i]!);
      if (!a) continue;
      const value = r.value[i]!;
      const number = change ? change.number : changeId;
      if (kind === APPROVAL) {
        if (value > 0) {
          a.row.approvals += 1;
          a.changes.add(number);
        }
        continue;
      }
      a.row.reviews += 1;
      a.changes.add(number);
      if (value === -2) a.row.minus2 += 1;
      else if (value === -1) a.row.minus1 += 1;
      else if (value === 1) a.row.plus1 += 1;
      else if (value === 2) a.row.plus2 += 1;
      if ((value === 1 || value === 2) && t < latestCoreNeg) a.row.disagreements += 1;
      if ((value === -1 || value === -2) && t < latestCorePos) a.row.disagreements += 1;
    }
    start = end;
  }

  const allCore = new Set<string>();
  for (const s of input.coreUsernames.values()) for (const u of s) allCore.add(u);
  const out: CompatRow[] = [];
  for (const [n, { row, changes }] of rows) {
    if (DROPPED.has(n.toLowerCase())) continue;
    if (row.reviews === 0 && row.approvals === 0) continue;
    row.core = allCore.has(n);
    const plus = row.plus1 + row.plus2;
    const all = plus + row.minus1 + row.minus2;
    row.positivePercent = all > 0 ? py1((plus / all) * 100) : 0;
    row.disagreementPercent = all > 0 ? py1((row.disagreements / all) * 100) : 0;
    row.changes = [...changes].sort((x, y) => x - y);
    out.push(row);
  }
  out.sort((a, b) => b.reviews - a.reviews || (a.reviewer < b.reviewer ? -1 : a.reviewer > b.reviewer ? 1 : 0));

  let total = 0;
  let coreTotal = 0;
  for (const r of out) {
    total += r.reviews;
    if (r.core) coreTotal += r.reviews;
  }
  const reviewers = out.filter((r) => r.reviews > 0).length;

  // Change statistics: a patch set is new when its earliest approval record (any label, copied
  // ones included), else its creation, is strictly after the cut-off.
  let patches = 0;
  let created = 0;
  let involved = 0;
  let merged = 0;
  let abandoned = 0;
  for (const c of input.changes) {
    let involvedHere = false;
    c.patchSets.forEach((ps, i) => {
      const first = ps.firstRecord ?? ps.created;
      if (Math.floor(first / 1000) * 1000 > cut) {
        patches += 1;
        involvedHere = true;
        if (i === 0) created += 1;
      }
    });
    if (!involvedHere) continue;
    involved += 1;
    if (c.status === 'MERGED') merged += 1;
    else if (c.status === 'ABANDONED') abandoned += 1;
  }
  const wip = 0; // reviewstats counts status WORKINPROGRESS, which Gerrit never reports
  const growth = created - merged - abandoned - wip;
  const perDay = (n: number): number => py1(n / days);

  return {
    days,
    now: new Date(now).toISOString(),
    cutOff: new Date(cut).toISOString(),
    rows: out,
    totals: {
      reviews: total,
      reviewsPerDay: perDay(total),
      reviewers,
      reviewsPerReviewerPerDay: reviewers ? py1(total / days / reviewers) : 0,
      coreReviews: coreTotal,
      coreReviewsPerDay: perDay(coreTotal),
      coreTeamSize: input.coreTeamSize,
      coreReviewsPerCorePerDay: input.coreTeamSize ? py1(coreTotal / days / input.coreTeamSize) : 0,
    },
    changeStats: {
      newPatchSets: patches,
      newPatchSetsPerDay: perDay(patches),
      changesInvolved: involved,
      changesInvolvedPerDay: perDay(involved),
      newChanges: created,
      newChangesPerDay: perDay(created),
      merged,
      mergedPerDay: perDay(merged),
      abandoned,
      abandonedPerDay: perDay(abandoned),
      workInProgress: wip,
      workInProgressPerDay: perDay(wip),
      queueGrowth: growth,
      queueGrowthPerDay: perDay(growth),
      patchSetsPerChange: involved ? py1(patches / involved) : 0,
    },
  };
}
