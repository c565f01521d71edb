import type { Kysely } from 'kysely';

/**
 * Whether a blueprint's series goal is accepted (issue 15): Launchpad's `has_accepted_goal` ("Series
 * goal is accepted" in its pages) — a blueprint can be proposed as a goal of a series and not (yet)
 * accepted by the series' drivers, or declined; either way it is not planned for the series.
 *
 * - lp_blueprints.series_goal_accepted: 1 accepted, 0 not accepted (proposed, declined, or no goal),
 *   null when the page did not say (rows stored before keep null until the next `steward bugs sync`,
 *   which re-reads every blueprint).
 */
export function blueprintGoalAccepted() {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('lp_blueprints').addColumn('series_goal_accepted', 'integer').execute();
    },
  };
}
