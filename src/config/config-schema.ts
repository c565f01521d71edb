/**
 * steward.yaml: one schema, defaults applied once. Every key is documented in
 * docs/configuration.md. Secrets never belong here: credentials come from the environment or a
 * credentials file, and the store URL from --db / STEWARD_DB.
 */
import { z } from 'zod';
import { toMs } from './config-dates.js';

const isoDate = z
  .string({ invalid_type_error: 'expected a date like 2015-04-30 (quote it if needed)' })
  .regex(/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/, 'expected a date like 2015-04-30 or 2015-04-30T12:00:00Z')
  .refine(
    (s) => !Number.isNaN(Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s)) && isRealDay(s.slice(0, 10)),
    'not a real calendar date',
  );

/** Whether YYYY-MM-DD names a day that exists: `Date.parse` would move 2015-02-30 to 2015-03-02. */
function isRealDay(ymd: string): boolean {
  const [y, m, d] = ymd.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

const accountSpec = z.union([z.string().min(1), z.number().int().positive()], {
  errorMap: () => ({ message: 'expected a username (text) or a Gerrit account id (number)' }),
});

const hostSchema = z
  .object({
    name: z.string().min(1),
    url: z.string().url('expected a URL like https://review.opendev.org'),
  })
  .strict();

const coreSchema = z
  .object({
    group: z.string().min(1).optional(),
    members: z.array(accountSpec).optional(),
  })
  .strict()
  .refine(
    (c) => c.group !== undefined || c.members !== undefined,
    'give the core team as `group` (a Gerrit group name) or `members` (a list of accounts)',
  );

const projectSchema = z
  .object({
    name: z.string().min(1),
    host: z.string().min(1).optional(),
    core: coreSchema.optional(),
  })
  .strict();

/**
 * One core team over several repositories (`teams:`), as reviewstats' project files describe a
 * project: `nova` is openstack/nova, openstack/python-novaclient… with one nova-core. The team is
 * counted once (core team size, per-core averages) however many repositories it covers. A
 * `reviewstats:` entry (a reviewstats project JSON file) is read by load-config.ts before this
 * schema sees it, so here every team is written out.
 */
const teamSchema = z
  .object({
    name: z.string().min(1),
    /** The repositories (Gerrit projects) the team is the core team of. */
    projects: z.array(z.string().min(1)).min(1, 'name at least one repository (Gerrit project) the team covers'),
    /** The host of those repositories, as in projects[].host. */
    host: z.string().min(1).optional(),
    core: coreSchema,
  })
  .strict();

const releaseSchema = z
  .object({
    name: z.string().min(1),
    start: isoDate,
    featureFreeze: isoDate,
    release: isoDate,
  })
  .strict()
  .refine(
    (r) => toMs(r.start) <= toMs(r.featureFreeze) && toMs(r.featureFreeze) <= toMs(r.release),
    'dates must be in order: start ≤ featureFreeze ≤ release',
  );

const zuulSchema = z
  .object({
    url: z.string().url('expected the Zuul web root, like https://zuul.opendev.org'),
    tenant: z.string().min(1),
    /** The Gerrit host (hosts[].name) the builds' changes are on; default: the only host. */
    host: z.string().min(1).optional(),
    /** Projects to fetch builds of; default: every project in `projects`. */
    projects: z.array(z.string().min(1)).optional(),
  })
  .strict();

const fraction = z.number().min(0, 'expected a fraction from 0 to 1').max(1, 'expected a fraction from 0 to 1');
const count = z.number().int('expected a whole number').min(1, 'expected a whole number ≥ 1');

/** CI-health rules; defaults documented in the docs/ci.md ("CI health", "Voting readiness"). */
const ciSchema = z
  .object({
    gatePipelines: z.array(z.string().min(1)).default(['gate']),
    experimentalPipelines: z.array(z.string().min(1)).default(['experimental']),
    /** How long after a Zuul build ended its report message may come and still be the same run. */
    matchToleranceMinutes: z.number().positive('expected minutes > 0').default(360),
    readiness: z
      .object({
        margin: fraction.default(0.05),
        weeks: count.default(4),
        minRuns: count.default(100),
        minWeeklyRuns: count.default(20),
      })
      .strict()
      .default({}),
  })
  .strict();

const weight = z.number().min(0, 'expected a weight ≥ 0');
const windowDays = z.number().int('expected a whole number of days').min(1, 'expected days ≥ 1').max(36_500, 'expected days ≤ 36500');

/** Core-team rules (`steward core idle|candidates|mentoring`); defaults documented in the docs/reviewers-and-core.md ("Core team"). */
const coreRulesSchema = z
  .object({
    /** A core with fewer reviews than this in the last `idleDays` days is idle. */
    idleThreshold: z.number().int('expected a whole number').min(1, 'expected a whole number ≥ 1').default(10),
    /** At most this many cores from one company (`steward core companies` reports the make-up against it); none: no limit. */
    maxPerCompany: z.number().int('expected a whole number').min(1, 'expected a whole number ≥ 1').optional(),
    idleDays: windowDays.default(90),
    /** What counts towards the threshold: every review, or only reviews with a Code-Review vote. */
    idleCounts: z.enum(['reviews', 'code-review']).default('reviews'),
    candidateDays: windowDays.default(180),
    /** Non-core reviewers with fewer reviews in the window are not ranked. */
    candidateMinReviews: z.number().int('expected a whole number').min(0, 'expected a whole number ≥ 0').default(10),
    /** Areas of the tree, as path prefixes (`nova/compute/`); a file outside them counts by its directory at `areaDepth`. */
    areas: z.array(z.string().min(1)).default([]),
    /** Directory depth that makes an area when no configured prefix matches (1 = top-level directory). */
    areaDepth: z.number().int('expected a whole number').min(1, 'expected 1 to 5').max(5, 'expected 1 to 5').default(1),
    ranking: z
      .object({
        quality: z
          .object({ agreement: weight.default(2), confirmedMinusOnes: weight.default(1), reasoning: weight.default(1) })
          .strict()
          .default({}),
        activity: z
          .object({ volume: weight.default(1), consistency: weight.default(1), breadth: weight.default(1), ownMerged: weight.default(0.5) })
          .strict()
          .default({}),
        /** How much a vote without a comment counts towards volume. */
        unreasonedVoteWeight: z.number().min(0, 'expected a fraction from 0 to 1').max(1, 'expected a fraction from 0 to 1').default(0.5),
        /** How much a comment-less +1 on a patch set that then failed review counts towards volume. */
        driveByWeight: z.number().min(0, 'expected a fraction from 0 to 1').max(1, 'expected a fraction from 0 to 1').default(0.25),
      })
      .strict()
      .default({}),
  })
  .strict();

/**
 * A dashboard (`steward dashboard NAME`): Gerrit search queries per section, ANDed with `foreach`;
 * or `file`, a gerrit-dash-creator .dash file (relative to steward.yaml). docs/dashboards.md "Dashboards".
 */
const dashboardSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][\w.-]*$/, 'expected a name to type on the command line: letters, digits, ".", "_", "-"'),
    title: z.string().min(1).optional(),
    description: z.string().optional(),
    foreach: z.string().optional(),
    sections: z
      .array(z.object({ name: z.string().min(1), query: z.string().min(1) }).strict())
      .min(1)
      .optional(),
    file: z.string().min(1).optional(),
  })
  .strict()
  .refine(
    (d) => (d.sections === undefined) !== (d.file === undefined),
    'give either `sections` (name and query of each) or `file` (a gerrit-dash-creator .dash file)',
  );

/** The code repository `steward git sync` reads (docs/getting-data.md "Code history"). */
const gitSchema = z
  .object({
    /** A local clone (working tree or bare), relative to steward.yaml. */
    repo: z.string().min(1),
    /** The main branch; default: the branch HEAD points to. */
    branch: z.string().min(1).optional(),
    /** The name the history is stored under; default: the repository's directory name. */
    name: z.string().min(1).optional(),
    /** Committer names of the systems that merge approved work (their merges give landing times). */
    landingCommitters: z.array(z.string().min(1)).optional(),
  })
  .strict();

/**
 * A release priority (`steward priorities report`): a title and what it covers: blueprints, Gerrit
 * topics and Gerrit search queries (a change belongs to it when any of them names it). docs/specs-and-priorities.md
 * "Priorities".
 */
const prioritySchema = z
  .object({
    title: z.string().trim().min(1, 'give the priority a title'),
    blueprints: z.array(z.string().min(1)).default([]),
    topics: z.array(z.string().min(1)).default([]),
    queries: z.array(z.string().min(1)).default([]),
  })
  .strict()
  .refine(
    (p) => p.blueprints.length + p.topics.length + p.queries.length > 0,
    'say what the priority covers: `blueprints`, `topics` or `queries`',
  );

/** Priorities per release name: `priorities: { kilo: [{ title, blueprints, topics, queries }] }`. */
const prioritiesSchema = z.record(z.string().min(1), z.array(prioritySchema)).superRefine((byRelease, ctx) => {
  for (const [release, list] of Object.entries(byRelease)) {
    const seen = new Set<string>();
    list.forEach((p, i) => {
      const key = p.title.toLowerCase();
      if (seen.has(key))
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: [release, i, 'title'],
          message: `two priorities of ${release} are titled "${p.title}"`,
        });
      seen.add(key);
    });
  }
});

/**
 * Tracked work across releases (`steward initiative status`): docs/initiatives.md. The scope kinds
 * are model/initiatives.ts's; milestones in due order, each due in a release or on a date.
 */
const initiativeScopeSchema = z
  .object({
    blueprints: z.array(z.string().min(1)).default([]),
    specs: z.array(z.string().min(1)).default([]),
    topics: z.array(z.string().min(1)).default([]),
    queries: z.array(z.string().min(1)).default([]),
    bugs: z.array(z.union([z.string().regex(/^\d+$/, 'expected a bug number'), z.number().int().positive()]).transform(String)).default([]),
    bugTags: z.array(z.string().min(1)).default([]),
    commitPatterns: z.array(z.string().min(1)).default([]),
    paths: z.array(z.string().min(1)).default([]),
  })
  .strict();

const initiativeNoteSchema = z
  .object({
    kind: z.enum(['question', 'decision', 'feedback']),
    text: z.string().trim().min(1),
    link: z.string().url().optional(),
    at: isoDate,
    by: z.string().min(1).optional(),
    status: z.enum(['open', 'resolved']).default('open'),
    resolvedAt: isoDate.optional(),
    resolvedBy: z.string().min(1).optional(),
    resolution: z.string().min(1).optional(),
  })
  .strict();

const initiativeSchema = z
  .object({
    name: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected a short name of letters, digits, dots, dashes (like cells-v2)'),
    title: z.string().trim().min(1, 'give the initiative a title'),
    owners: z.array(z.string().min(1)).default([]),
    goal: z.string().default(''),
    scope: initiativeScopeSchema.default({}),
    milestones: z
      .array(
        z
          .object({
            title: z.string().trim().min(1),
            release: z.string().min(1).optional(),
            targetDate: isoDate.optional(),
            scope: initiativeScopeSchema.default({}),
          })
          .strict()
          .refine((m) => m.release !== undefined || m.targetDate !== undefined, 'give the milestone a `release` or a `targetDate`'),
      )
      .min(1, 'give at least one milestone'),
    stallWeeks: z.number().int().min(1).max(520).optional(),
    notes: z.array(initiativeNoteSchema).default([]),
  })
  .strict();

const initiativesSchema = z.array(initiativeSchema).superRefine((list, ctx) => {
  const seen = new Set<string>();
  list.forEach((x, i) => {
    if (seen.has(x.name.toLowerCase()))
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [i, 'name'], message: `two initiatives are named "${x.name}"` });
    seen.add(x.name.toLowerCase());
  });
});

const globList = z
  .array(z.string().min(1, 'expected a glob pattern like specs/{release}/approved/*.rst'))
  .min(1, 'expected at least one glob pattern');

/**
 * The specs repository (`steward specs sync|report`): a local git checkout (relative to
 * steward.yaml) and, for projects not laid out like OpenStack's, where specs live as glob patterns
 * (`*` within a path segment, `**` any segments, `{release}` the release directory). A key left
 * out keeps the OpenStack default (docs/getting-data.md "Specs repository").
 */
const specsSchema = z
  .object({
    repo: z.string().min(1).optional(),
    layout: z
      .object({
        approved: globList.optional(),
        implemented: globList.optional(),
        backlog: z.array(z.string().min(1)).optional(),
        abandoned: z.array(z.string().min(1)).optional(),
        redirects: z.array(z.string().min(1)).optional(),
        ignore: z.array(z.string().min(1)).optional(),
      })
      .strict()
      .refine(
        (l) => [...(l.approved ?? []), ...(l.implemented ?? [])].every((p) => p.includes('{release}')),
        'approved and implemented patterns must name the release directory with {release}',
      )
      .optional(),
  })
  .strict();

/** The web dashboard (`steward serve`). */
const webSchema = z
  .object({
    /**
     * The URL readers reach the dashboard by, when not a loopback name or an IP address (a reverse
     * proxy, a DNS name): without `--auth`, requests naming any other host are refused (DNS rebinding).
     */
    publicUrl: z.string().url('expected the URL readers open, like https://steward.example.org').optional(),
    /** The fair queue of uncached report computations (src/web/fair-queue.ts; docs/web.md, "The fair queue"). */
    queue: z
      .object({
        perClient: z.number().int('expected a whole number').min(1, 'expected at least 1').max(1000, 'expected at most 1000').optional(),
        maxWaiting: z
          .number()
          .int('expected a whole number')
          .min(1, 'expected at least 1')
          .max(100_000, 'expected at most 100000')
          .optional(),
        retryAfterSeconds: z
          .number()
          .int('expected a whole number of seconds')
          .min(1, 'expected at least 1')
          .max(3600, 'expected at most 3600')
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/**
 * The security team and its embargoed tracker (docs/security.md): the embargo's cap and when an
 * item is flagged as near it, the team's maximum size, and the "hasn't had time recently" rule.
 */
const securitySchema = z
  .object({
    embargoCapDays: windowDays.default(90),
    embargoWarnDays: z.number().int('expected a whole number of days').min(0, 'expected days ≥ 0').default(14),
    teamMax: count.default(6),
    inactiveDays: windowDays.default(90),
  })
  .strict();

/** One person across addresses and accounts, said outright (docs/people-and-history.md, "Identities"). */
const personMappingSchema = z
  .object({
    name: z.string().min(1).optional(),
    /** The first is the preferred address. */
    emails: z.array(z.string().email('expected an e-mail address')).default([]),
    gerrit: z.array(z.object({ host: z.string().min(1), id: z.number().int().positive() }).strict()).default([]),
    launchpad: z.string().min(1).optional(),
    /**
     * The person's Steward account (`steward user add`), by name. With `launchpad`, the security
     * tracker's intake grants this user the items taken in from the bugs they reported (docs/security.md).
     */
    user: z.string().min(1).optional(),
  })
  .strict();

const peopleSchema = z
  .object({
    /** A .mailmap file (git's format), relative to steward.yaml; the synced repository's own is not read from a bare clone. */
    mailmap: z.string().min(1).optional(),
    /** Explicit mappings: each entry is one person. */
    same: z.array(personMappingSchema).default([]),
    /** Who may vote (`steward electorate`): authors of a change merged during the last `cycles` release cycles ending at the release. */
    electorate: z
      .object({
        cycles: z.number().int().min(1).max(10).default(2),
        /** What counts as a change merged: commits landed in the synced repositories, merged Gerrit changes, or either. */
        evidence: z.enum(['commits', 'changes', 'either']).default('either'),
      })
      .strict()
      .default({}),
  })
  .strict();

/**
 * Bugs from Launchpad (`steward bugs sync|backlog|rota|targets`, issue 15); documented in
 * docs/bugs.md. `rota`: who clears trivial fixes (Gerrit usernames), optionally who is on duty
 * which weeks; `trivial`: the rules of the trivial path.
 */
const bugsSchema = z
  .object({
    launchpad: z
      .object({
        /** The web service root with its version. */
        url: z
          .string()
          .url('expected the web service root, like https://api.launchpad.net/devel')
          .default('https://api.launchpad.net/devel'),
        /** Launchpad projects (the NAME in https://launchpad.net/NAME). */
        projects: z.array(z.string().min(1)).min(1, 'name at least one Launchpad project'),
      })
      .strict()
      .optional(),
    rota: z
      .object({
        members: z.array(z.string().min(1)).min(1, 'name at least one rota member (a Gerrit username)'),
        /** Who is on duty which week (the Monday, YYYY-MM-DD); weeks not listed: every member. */
        duty: z.array(z.object({ week: isoDate, members: z.array(z.string().min(1)).min(1) }).strict()).default([]),
      })
      .strict()
      .optional(),
    trivial: z
      .object({
        /** Most changed lines (insertions + deletions) of a trivial fix. */
        maxLines: z.number().int('expected a whole number').min(1, 'expected a whole number ≥ 1').default(30),
        /** The commit message line that marks a trivial change without a bug. */
        tag: z.string().min(1).default('TrivialFix'),
        /** Importances of the bug a trivial fix may close. */
        importances: z
          .array(z.enum(['Critical', 'High', 'Medium', 'Low', 'Wishlist', 'Undecided', 'Unknown']))
          .default(['Medium', 'Low', 'Wishlist', 'Undecided']),
        /** Path prefixes a trivial fix may not touch (e.g. nova/db/). */
        neverPaths: z.array(z.string().min(1)).default([]),
      })
      .strict()
      .default({}),
    /** Open bugs of these importances count as high in the backlog and targets reports. */
    highImportances: z
      .array(z.enum(['Critical', 'High', 'Medium', 'Low', 'Wishlist', 'Undecided', 'Unknown']))
      .default(['Critical', 'High']),
  })
  .strict();

const configObject = z
  .object({
    hosts: z.array(hostSchema).default([]),
    projects: z.array(projectSchema).default([]),
    teams: z.array(teamSchema).default([]),
    bots: z.array(accountSpec).default([]),
    releases: z.array(releaseSchema).default([]),
    zuul: zuulSchema.optional(),
    ci: ciSchema.default({}),
    coreRules: coreRulesSchema.default({}),
    dashboards: z.array(dashboardSchema).default([]),
    git: gitSchema.optional(),
    priorities: prioritiesSchema.default({}),
    specs: specsSchema.optional(),
    web: webSchema.optional(),
    security: securitySchema.default({}),
    initiatives: initiativesSchema.default([]),
    people: peopleSchema.default({}),
    bugs: bugsSchema.default({}),
  })
  .strict();

/** The top-level keys of steward.yaml, for messages. */
export const CONFIG_KEYS: readonly string[] = Object.keys(configObject.shape);

/** A configured repository with its core team; `team` names the `teams` entry the core team came from. */
export type ResolvedProject = z.output<typeof projectSchema> & { team?: string };

/**
 * The whole configuration: teams are checked against the projects (a repository in two teams, or
 * with a core team of its own as well, is refused) and then written into `projects`, so that every
 * reader of `projects[].core` sees the team's core; `projects[].team` says which team it was.
 */
export const configSchema = configObject
  .superRefine((c, ctx) => {
    const teamOf = new Map<string, number>();
    const names = new Set<string>();
    c.teams.forEach((t, i) => {
      if (names.has(t.name))
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['teams', i, 'name'], message: `two teams are named "${t.name}"` });
      names.add(t.name);
      t.projects.forEach((p, j) => {
        const other = teamOf.get(p);
        if (other !== undefined && other !== i)
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: ['teams', i, 'projects', j],
            message: `${p} is already covered by team "${c.teams[other]!.name}" (teams[${other}]): a repository has one core team`,
          });
        else teamOf.set(p, i);
      });
    });
    c.projects.forEach((p, i) => {
      const t = teamOf.get(p.name);
      if (t === undefined) return;
      if (p.core)
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['projects', i, 'core'],
          message: `${p.name} is covered by team "${c.teams[t]!.name}" (teams[${t}]): give its core team there, not here`,
        });
      const th = c.teams[t]!.host;
      if (p.host && th && p.host !== th)
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['projects', i, 'host'],
          message: `${p.name} is on host ${p.host} here but team "${c.teams[t]!.name}" says ${th}`,
        });
    });
  })
  .transform((c) => {
    const projects: ResolvedProject[] = c.projects.map((p) => ({ ...p }));
    for (const t of c.teams) {
      for (const name of t.projects) {
        const existing = projects.find((p) => p.name === name);
        const host = existing?.host ?? t.host;
        const resolved: ResolvedProject = { name, ...(host ? { host } : {}), core: t.core, team: t.name };
        if (existing) Object.assign(existing, resolved);
        else projects.push(resolved);
      }
    }
    return { ...c, projects };
  });

export type StewardConfigInput = z.input<typeof configSchema>;
export type StewardConfig = z.output<typeof configSchema>;
export type ProjectConfig = StewardConfig['projects'][number];
export type TeamConfig = StewardConfig['teams'][number];
export type ReleaseConfig = StewardConfig['releases'][number];
export type DashboardConfig = StewardConfig['dashboards'][number];
export type PriorityConfig = StewardConfig['priorities'][string][number];
export type InitiativeConfig = StewardConfig['initiatives'][number];
export type ZuulConfig = NonNullable<StewardConfig['zuul']>;
export type CiConfig = StewardConfig['ci'];
export type CoreRulesConfig = StewardConfig['coreRules'];
export type GitConfig = NonNullable<StewardConfig['git']>;
export type PeopleConfig = StewardConfig['people'];
export type SpecsConfig = NonNullable<StewardConfig['specs']>;
export type SecurityConfig = StewardConfig['security'];
export type BugsConfig = StewardConfig['bugs'];

export { toMs };

/** The configuration in effect when there is no steward.yaml. */
export function emptyConfig(): StewardConfig {
  return configSchema.parse({});
}
