/** Mentoring progress (`steward core mentoring`, `/api/v1/core/mentoring`): each mentored candidate's trajectory (analysis/mentoring.ts). */
import { computeMentoring, mentoringSpan, type MentoringResult } from '../analysis/mentoring.js';
import type { MentoringReport } from '../report/core-report.js';
import type { Store } from '../store/engine.js';
import { listMentorships } from '../store/mentoring-store.js';
import { loadChangeFacts, loadReviewMessages } from '../store/queries/reviewers.js';
import { areaRules } from './core-rules.js';
import type { EffectiveConfig } from './effective-config.js';
import { actsForVerdicts, labelOf, teamContextFor, type TeamContext } from './team-context.js';

export interface CoreMentoringParams {
  project?: readonly string[];
  /** Include mentorships that have ended. */
  all?: boolean;
}

/** Gathers and computes the mentoring trajectories as of `now`, people as store ids. */
export async function mentoringResult(store: Store, ctx: TeamContext, o: { now: number; all?: boolean }): Promise<MentoringResult> {
  const mentorships = (await listMentorships(store.db, { activeOnly: !o.all })).filter((m) => m.startedAt <= o.now);
  let from = o.now;
  for (const m of mentorships) from = Math.min(from, mentoringSpan(m, o.now).from);
  const filter = { projects: ctx.filterProjects, since: from, until: o.now + 1 };
  const [acts, messages, changes] = mentorships.length
    ? await Promise.all([
        actsForVerdicts(store, ctx, from, o.now + 1),
        loadReviewMessages(store.db, filter),
        loadChangeFacts(store.db, filter),
      ])
    : [[], [], []];
  return computeMentoring(
    { mentorships, acts, messages, changes, isBot: (id) => ctx.bots.has(id), roster: ctx.roster },
    { now: o.now, areaRules: areaRules(ctx) },
  );
}

/** The mentoring report as `--format json` prints it. */
export async function buildCoreMentoringView(
  store: Store,
  params: CoreMentoringParams,
  config: EffectiveConfig,
  now: number,
): Promise<MentoringReport> {
  const ctx = await teamContextFor(store, config.config, config.origin, params.project ?? []);
  const result = await mentoringResult(store, ctx, { now, all: params.all });
  return {
    projects: ctx.projects,
    ...result,
    mentorships: result.mentorships.map(({ candidateId, mentorId, ...m }) => ({
      candidate: labelOf(ctx, candidateId),
      mentor: labelOf(ctx, mentorId),
      ...m,
    })),
    sources: ctx.sources,
  };
}
