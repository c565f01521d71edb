/**
 * The per-review assessment the mentoring report uses (mentoring.ts), and the helpers the
 * candidates' judgement score shares (judgement-candidates.ts: areas, patch set fates).
 *
 * Definitions (docs/reviewers-and-core.md):
 * - a review's **agreement** with the cores: its Code-Review sign against the cores' verdict on that
 *   patch set (reviewers.ts); when no core voted on it, against the patch set's fate — merged as it
 *   was: positive; revised (a later patch set that is not a trivial rebase or commit-message-only
 *   change) or abandoned after the review: negative; otherwise undetermined;
 * - a −1 (or −2) is **confirmed** when a core's verdict on the patch set is negative or the change
 *   was revised or abandoned after it; **overruled** when a core's verdict is positive or the patch
 *   set merged as it was; else pending (mentoring's trajectory measure; the candidates' score is
 *   stricter: judgement-candidates.ts);
 * - a review is **reasoned** when it is comment-only or one of its messages says more than the
 *   "Patch Set N: votes" line (text, or inline comments);
 * - a **drive-by** is a +1 without reasoning on a patch set that then failed review (a negative
 *   core verdict, or revised or abandoned after it);
 * - **areas**: per file of the change's latest patch set, the longest configured prefix it starts
 *   with, else its directory at `areaDepth` levels (1 = top-level directory; files at the root: `/`).
 */
import type { Timestamp } from '../model/records.js';
import type { ChangeFacts, ReviewMessageText } from '../model/team.js';
import { codeReviewSign, psKey, type CoreVerdicts } from './reviewers.js';
import type { Review } from './reviews.js';

// ---- areas -------------------------------------------------------------------------------------

export interface AreaRules {
  /** Configured area prefixes (`nova/compute/`). */
  prefixes: readonly string[];
  /** Directory depth of an area for files outside the prefixes (1 = top-level directory). */
  depth: number;
}

/**
 * The area a file belongs to.
 *
 * @example areaOf('nova/compute/manager.py', { prefixes: [], depth: 1 }) // 'nova/'
 * areaOf('nova/compute/manager.py', { prefixes: ['nova/compute/'], depth: 1 }) // 'nova/compute/'
 * areaOf('setup.py', { prefixes: [], depth: 1 }) // '/'
 */
export function areaOf(path: string, rules: AreaRules): string {
  let best: string | null = null;
  for (const p of rules.prefixes) if (path.startsWith(p) && (best === null || p.length > best.length)) best = p;
  if (best !== null) return best;
  const parts = path.split('/');
  if (parts.length <= 1) return '/';
  return `${parts.slice(0, Math.min(rules.depth, parts.length - 1)).join('/')}/`;
}

// ---- reasoning ---------------------------------------------------------------------------------

const PATCH_SET_LINE = /^Patch Set \d+:[^\n]*(\n|$)/;

/**
 * Does a review message carry reasoning? True when it has anything besides the "Patch Set N: votes"
 * first line: a written comment, or the "(N comments)" line of inline comments.
 *
 * @example hasReasoning('Patch Set 2: Code-Review+1') // false
 * hasReasoning('Patch Set 2: Code-Review-1\n\n(3 comments)') // true
 */
export function hasReasoning(text: string): boolean {
  return text.replace(PATCH_SET_LINE, '').trim().length > 0;
}

// ---- patch set fates ---------------------------------------------------------------------------

const TRIVIAL_KINDS = new Set([
  'TRIVIAL_REBASE',
  'TRIVIAL_REBASE_WITH_MESSAGE_UPDATE',
  'NO_CODE_CHANGE',
  'NO_CHANGE',
  'MERGE_FIRST_PARENT_UPDATE',
]);

export type PatchSetFate = 'revised' | 'abandoned' | 'merged' | 'open';

/**
 * What became of patch set `ps` after time `after`, as of `now`: revised (a later patch set that
 * changes code, created after `after`), abandoned after `after`, merged (with no such revision), or
 * still open. Unknown patch set kinds count as revisions.
 */
export function patchSetFate(c: ChangeFacts, ps: number, after: Timestamp, now: Timestamp): PatchSetFate {
  for (const p of c.patchSets) {
    if (p.number > ps && p.created > after && p.created <= now && !TRIVIAL_KINDS.has(p.kind ?? '')) return 'revised';
  }
  if (c.status === 'ABANDONED' && c.abandonedAt !== null && c.abandonedAt > after && c.abandonedAt <= now) return 'abandoned';
  if (c.mergedAt !== null && c.mergedAt <= now) return 'merged';
  return 'open';
}

// ---- per-review assessment ---------------------------------------------------------------------

export interface AssessedReview {
  review: Review;
  changeNumber: number;
  /** Sign of the final Code-Review vote; null without one. */
  sign: 1 | -1 | null;
  agreement: 'agreed' | 'disagreed' | null;
  /** What the agreement was judged against. */
  agreementBasis: 'core-vote' | 'fate' | null;
  /** For −1/−2: confirmed, overruled or pending; null otherwise. */
  minusFate: 'confirmed' | 'overruled' | 'pending' | null;
  reasoned: boolean;
  driveBy: boolean;
  areas: string[];
}

export interface AssessmentContext {
  verdicts: CoreVerdicts;
  changes: ReadonlyMap<number, ChangeFacts>;
  /** psKey → authors whose messages on that patch set carry reasoning. */
  reasoned: ReadonlyMap<number, ReadonlySet<number>>;
  areaRules: AreaRules;
  now: Timestamp;
}

/** Indexes review messages by patch set: who gave reasons where. */
export function reasonedAuthors(messages: readonly ReviewMessageText[]): Map<number, Set<number>> {
  const out = new Map<number, Set<number>>();
  for (const m of messages) {
    if (!hasReasoning(m.text)) continue;
    const k = psKey(m.changeId, m.patchSet);
    let s = out.get(k);
    if (!s) out.set(k, (s = new Set()));
    s.add(m.authorId);
  }
  return out;
}

/** Assesses each review (agreement, −1 fate, reasoning, drive-by, areas); see the module comment. */
export function assessReviews(reviews: readonly Review[], ctx: AssessmentContext): AssessedReview[] {
  const areaCache = new Map<number, string[]>();
  const areasOf = (c: ChangeFacts): string[] => {
    let a = areaCache.get(c.id);
    if (!a) areaCache.set(c.id, (a = [...new Set(c.files.map((f) => areaOf(f, ctx.areaRules)))].sort()));
    return a;
  };
  return reviews.map((r) => {
    const c = ctx.changes.get(r.changeId);
    const sign = codeReviewSign(r);
    const verdict = ctx.verdicts.verdict(r.changeId, r.patchSet, r.reviewerId);
    const fate = c ? patchSetFate(c, r.patchSet, r.at, ctx.now) : 'open';
    const failed = verdict?.sign === -1 || fate === 'revised' || fate === 'abandoned';
    let agreement: AssessedReview['agreement'] = null;
    let basis: AssessedReview['agreementBasis'] = null;
    if (sign !== null) {
      if (verdict) {
        agreement = verdict.sign === sign ? 'agreed' : 'disagreed';
        basis = 'core-vote';
      } else if (fate !== 'open') {
        const fateSign = fate === 'merged' ? 1 : -1;
        agreement = fateSign === sign ? 'agreed' : 'disagreed';
        basis = 'fate';
      }
    }
    let minusFate: AssessedReview['minusFate'] = null;
    if (sign === -1) {
      if (failed) minusFate = 'confirmed';
      else if (verdict?.sign === 1 || fate === 'merged') minusFate = 'overruled';
      else minusFate = 'pending';
    }
    const reasoned = r.commentOnly || (ctx.reasoned.get(psKey(r.changeId, r.patchSet))?.has(r.reviewerId) ?? false);
    return {
      review: r,
      changeNumber: c?.number ?? r.changeId,
      sign,
      agreement,
      agreementBasis: basis,
      minusFate,
      reasoned,
      driveBy: r.votes['Code-Review'] === 1 && !reasoned && failed,
      areas: c ? areasOf(c) : [],
    };
  });
}
