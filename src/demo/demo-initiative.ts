/**
 * The demo's planted initiative (steward.yaml `initiatives`, docs/initiatives.md): a plan across
 * the target release of the planted specs (demo-specs.ts) and the next, built on the scripted
 * changes whose fates are known:
 * - milestone 1, "First code" (target release, due at its feature freeze): the `part-merged`
 *   blueprint, whose first change merges and second is abandoned before the freeze — met;
 * - milestone 2, "Spec implemented" (target release): the `landed-later` spec, re-approved for the
 *   next release and implemented there, 60 days into it — **met late**;
 * - milestone 3, "Blocked work merged" (next release): the `blocked` blueprint, whose change has a
 *   core's −2 that stays — a **−2 blocker**, not met;
 * - the whole scope also holds the `waited-on-reviewers` blueprint. Between the part-merged merge
 *   (before the target's freeze) and the landed-later merges (next release start + 15 days) nothing
 *   in scope merges: **the planted stall**, with the stuck changes open through it;
 * - notes: an **open question** raised in the stall, a feedback item with a link, and a resolved
 *   decision;
 * - bugs: milestone 3 also follows the Launchpad bugs tagged `compute-api` (demo-launchpad.ts plants
 *   the tag on bugs no change names, reported in the initiative's window): bugs fixed and open.
 */
import { demoConfig, type DemoOptions } from './demo-project.js';

const DAY = 86_400_000;

export const DEMO_INITIATIVE_NAME = 'compute-api-migration';
/** The Launchpad tag of the planted initiative's bugs, and on how many bugs the demo plants it. */
export const DEMO_INITIATIVE_BUG_TAG = 'compute-api';
export const DEMO_INITIATIVE_TAGGED_BUGS = 8;
/** The stall threshold of the planted initiative, in weeks. */
export const DEMO_STALL_WEEKS = 8;

/** The initiative as steward.yaml takes it, and which planted blueprint plays which part; null when the demo plants no specs. */
export function demoInitiative(opts: DemoOptions): {
  entry: Record<string, unknown>;
  blueprints: { firstCode: string; landedLate: string; blocked: string; waiting: string };
  question: string;
} | null {
  const d = demoConfig(opts);
  const target = d.planted.specsRelease;
  if (!target) return null;
  const cycles = d.releases;
  const i = cycles.findIndex((r) => r.name === target);
  const next = cycles[i + 1];
  if (!next) return null;
  const of = (reason: string): string | undefined => Object.entries(d.planted.specs).find(([, r]) => r === reason)?.[0];
  const [firstCode, landedLate, blocked, waiting] = [of('part-merged'), of('landed-later'), of('blocked'), of('waited-on-reviewers')];
  if (!firstCode || !landedLate || !blocked || !waiting) return null;
  const t = cycles[i]!;
  const day = (iso: string, plus: number): string => new Date(Date.parse(`${iso}T00:00:00Z`) + plus * DAY).toISOString().slice(0, 10);
  const question = `Do operators still need the ${blocked} plan, given the −2 on its first change?`;
  const entry = {
    name: DEMO_INITIATIVE_NAME,
    title: 'Compute API migration',
    owners: [d.coreTeam[0]!],
    goal: `Move the compute API onto the new device and disk model across ${t.name} and ${next.name}.`,
    scope: { blueprints: [firstCode, landedLate, blocked, waiting], specs: [firstCode, landedLate, blocked, waiting] },
    milestones: [
      { title: 'First code', release: t.name, targetDate: t.featureFreeze, scope: { blueprints: [firstCode] } },
      { title: 'Spec implemented', release: t.name, scope: { specs: [landedLate] } },
      { title: 'Blocked work merged', release: next.name, scope: { blueprints: [blocked], bugTags: [DEMO_INITIATIVE_BUG_TAG] } },
    ],
    stallWeeks: DEMO_STALL_WEEKS,
    notes: [
      { kind: 'question', text: question, at: day(t.featureFreeze, 20), by: d.coreTeam[0]! },
      {
        kind: 'feedback',
        text: `operators: the ${t.name} plan does not meet our needs`,
        link: 'https://lists.example.org/operators/2024-December/000123.html',
        at: day(t.featureFreeze, 10),
        by: 'operators list',
      },
      {
        kind: 'decision',
        text: `re-propose ${landedLate} for ${next.name}`,
        at: day(t.release, 5),
        by: d.coreTeam[1]!,
        status: 'resolved',
        resolvedAt: day(next.start, 5),
        resolvedBy: d.coreTeam[1]!,
        resolution: 'spec approved again',
      },
    ],
  };
  return { entry, blueprints: { firstCode, landedLate, blocked, waiting }, question };
}
