/**
 * Blueprints' series goals (issue 15). Launchpad's specification entries do not carry their series
 * goal — its web service exports only `has_accepted_goal` ("Series goal is accepted"), not the goal
 * itself — so the sync learns the goals from each series' own list of blueprints:
 * `{root}/{project}/series`, then `{root}/{project}/{series}/all_specifications` (every blueprint
 * whose goal is that series, proposed, accepted or declined). A page that does carry a `goal_link`
 * (Steward's own saved pages, the demo's) keeps it.
 */
import { StewardError } from '../model/errors.js';
import type { LaunchpadRecords } from '../model/bugs.js';
import type { LaunchpadClient } from '../sources/launchpad/launchpad-client.js';
import { parseEntries, parseSeriesNames } from '../sources/launchpad/launchpad-parser.js';

/**
 * The series goal of each blueprint of `project` that has one, by the blueprint's self link: one
 * request for the series list and one per series (more when a list has more than `pageSize`).
 */
export async function fetchSeriesGoals(client: LaunchpadClient, project: string, pageSize: number): Promise<Map<string, string>> {
  const names: string[] = [];
  for await (const page of client.pages(client.seriesUrl(project, { pageSize })))
    names.push(...parseSeriesNames(page.entries, { where: page.url, code: 'SOURCE_BAD_RESPONSE' }));
  const goals = new Map<string, string>();
  for (const series of names)
    for await (const page of client.pages(client.seriesSpecificationsUrl(project, series, { pageSize }))) {
      const parsed = parseEntries(page.entries, { where: page.url, code: 'SOURCE_BAD_RESPONSE' });
      if (parsed.bugs.length || parsed.tasks.length)
        throw new StewardError('SOURCE_BAD_RESPONSE', "expected only specification entries in a series' blueprints page", {
          where: page.url,
        });
      for (const b of parsed.blueprints) goals.set(b.selfLink, series);
    }
  return goals;
}

/** `records` with the series goal its blueprints' entries did not carry, from `goals` (fetchSeriesGoals). */
export function withSeriesGoals(records: LaunchpadRecords, goals: ReadonlyMap<string, string>): LaunchpadRecords {
  return {
    ...records,
    blueprints: records.blueprints.map((b) =>
      b.seriesGoal === null && goals.has(b.selfLink) ? { ...b, seriesGoal: goals.get(b.selfLink)! } : b,
    ),
  };
}
