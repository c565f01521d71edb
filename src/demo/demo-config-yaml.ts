/**
 * The demo project's steward.yaml (`steward demo` writes it; the benchmarks read the bench store's
 * configuration from it).
 */
import { stringify } from 'yaml';
import { parseConfig } from '../config/load-config.js';
import { demoInitiative } from './demo-initiative.js';
import { demoConfig, type DemoOptions } from './demo-project.js';
import { demoRota } from './demo-launchpad.js';
import { DEMO_LAUNCHPAD_PROJECT } from './demo-specs-repo.js';

/**
 * The demo's steward.yaml, in the same schema users write. `specsRepo`: the absolute path of the
 * demo specs repository when one was written (absolute because the store keeps a copy of this
 * file for reports run from anywhere).
 */
export function demoConfigYaml(opts: DemoOptions, specsRepo: string | null = null): string {
  const d = demoConfig(opts);
  const initiative = demoInitiative(opts);
  const doc = {
    hosts: [{ name: d.host.name, url: d.host.url }],
    projects: d.projects.map((name) => ({ name, host: d.host.name, core: { members: d.coreTeam } })),
    bots: d.bots,
    releases: d.releases,
    // The demo tree's areas, so `steward core candidates` measures breadth across them.
    coreRules: { areas: d.areas },
    // The demo's Launchpad side (demo-launchpad.ts) and its trivial-fix rota, for `steward bugs …`.
    bugs: { launchpad: { projects: [DEMO_LAUNCHPAD_PROJECT] }, rota: { members: demoRota(d).members } },
    // The demo specs repository, for `steward specs sync` and `steward specs report`.
    ...(specsRepo ? { specs: { repo: specsRepo } } : {}),
    // The planted priorities (demo-specs.ts): one reviewed faster, one in the slow area that was not.
    priorities: Object.fromEntries(
      [...new Set(d.planted.priorities.map((p) => p.release))].map((release) => [
        release,
        d.planted.priorities
          .filter((p) => p.release === release)
          .map((p) => ({
            title: p.title,
            ...(p.blueprints.length ? { blueprints: p.blueprints } : {}),
            ...(p.queries.length ? { queries: p.queries } : {}),
          })),
      ]),
    ),
    // The planted initiative (demo-initiative.ts): a stall, a milestone met late, a −2 blocker, an open question.
    ...(initiative ? { initiatives: [initiative.entry] } : {}),
  };
  const text = `# The demo project's configuration, written by \`steward demo\` (seed ${opts.seed ?? 42}).\n${stringify(doc)}`;
  parseConfig(text, 'the demo configuration'); // the demo must always satisfy the real schema
  return text;
}
