/** What the core-team reports share beyond the team context: the core-team check and the area rules. */
import type { AreaRules } from '../analysis/core-candidates.js';
import { StewardError } from '../model/errors.js';
import type { TeamContext } from './team-context.js';

/** Refuses reports that need a core team when none is configured, saying how to configure one. */
export function requireCoreTeam(ctx: TeamContext): void {
  if (!ctx.roster.known) {
    throw new StewardError(
      'CONFIG',
      `no core team is configured${ctx.filterProjects ? ` for ${ctx.filterProjects.join(', ')}` : ''} in ${ctx.origin}`,
      {
        hint: 'Give each project its core team in steward.yaml: projects[].core.members (usernames or account ids) and/or projects[].core.group (then run `steward sync`).',
      },
    );
  }
}

/** The areas of the tree, from steward.yaml's coreRules. */
export function areaRules(ctx: TeamContext): AreaRules {
  return { prefixes: ctx.config.coreRules.areas, depth: ctx.config.coreRules.areaDepth };
}
