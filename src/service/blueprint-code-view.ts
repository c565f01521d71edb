/**
 * The code linked to blueprints (`steward git blueprint NAME…`): per blueprint, the commits
 * (`steward git sync`) and the Gerrit changes (import/sync) that name it, by the one rule of
 * sources/links/blueprint-refs.ts. {@link findBlueprintCode} is the same gathering with raw times,
 * for other reports (the specs report) to build on.
 */
import { blueprintRefs } from '../sources/links/blueprint-refs.js';
import type { Store } from '../store/engine.js';
import { listBlueprintChanges, listBlueprintCommits, type BlueprintChange, type BlueprintCommit } from '../store/queries/code-history.js';
import type { EffectiveConfig } from './effective-config.js';

export interface BlueprintCode {
  /** Sorted by blueprint, then landing time. */
  commits: BlueprintCommit[];
  /** Sorted by blueprint, then creation time. */
  changes: BlueprintChange[];
}

/**
 * The commits and Gerrit changes that name any of `blueprints` (case-insensitive, whole names).
 * `repo` limits commits to one synced repository, `projects` changes to those projects.
 */
export async function findBlueprintCode(
  store: Store,
  blueprints: readonly string[],
  opts: { repo?: string; projects?: readonly string[] } = {},
): Promise<BlueprintCode> {
  return {
    commits: await listBlueprintCommits(store.db, blueprints, { repo: opts.repo }),
    changes: await listBlueprintChanges(store.db, blueprints, blueprintRefs, { projects: opts.projects }),
  };
}

export interface BlueprintCodeParams {
  blueprints: readonly string[];
  /** Only commits of the repository stored under this name. */
  repo?: string;
  /** Only Gerrit changes of these projects. */
  project?: readonly string[];
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** What `--format json` prints: times as ISO 8601 UTC. */
export interface BlueprintCodeView {
  blueprints: Array<{
    blueprint: string;
    commits: Array<
      Omit<BlueprintCommit, 'blueprint' | 'authoredAt' | 'committedAt' | 'landedAt'> & {
        authoredAt: string;
        committedAt: string;
        landedAt: string;
      }
    >;
    changes: Array<
      Omit<BlueprintChange, 'blueprint' | 'id' | 'created' | 'updated' | 'mergedAt' | 'abandonedAt'> & {
        created: string;
        updated: string;
        mergedAt: string | null;
        abandonedAt: string | null;
      }
    >;
  }>;
}

/** Per blueprint asked for (lower-cased, in the order given), its commits and changes. */
export async function buildBlueprintCodeView(
  store: Store,
  params: BlueprintCodeParams,
  _effective: EffectiveConfig | null,
  _now: number,
): Promise<BlueprintCodeView> {
  const { commits, changes } = await findBlueprintCode(store, params.blueprints, { repo: params.repo, projects: params.project });
  const wanted = [...new Set(params.blueprints.map((b) => b.trim().toLowerCase()).filter(Boolean))];
  return {
    blueprints: wanted.map((b) => ({
      blueprint: b,
      commits: commits
        .filter((c) => c.blueprint === b)
        .map(({ blueprint: _b, ...c }) => ({
          ...c,
          authoredAt: iso(c.authoredAt),
          committedAt: iso(c.committedAt),
          landedAt: iso(c.landedAt),
        })),
      changes: changes
        .filter((c) => c.blueprint === b)
        .map(({ blueprint: _b, id: _id, ...c }) => ({
          ...c,
          created: iso(c.created),
          updated: iso(c.updated),
          mergedAt: c.mergedAt === null ? null : iso(c.mergedAt),
          abandonedAt: c.abandonedAt === null ? null : iso(c.abandonedAt),
        })),
    })),
  };
}
