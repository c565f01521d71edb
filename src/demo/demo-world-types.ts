/**
 * The shapes of the demo world that demo-world.ts builds and demo-specs.ts plans against, apart
 * from both so that neither imports the other back.
 */

/** DemoOptions (demo-world.ts) with the defaults applied and the window start worked out. */
export interface ResolvedDemoOptions {
  seed: number;
  changes: number;
  months: number;
  now: number;
  host: string;
  /** Start of the window, epoch ms. */
  start: number;
}

/** One release cycle. The last one of the calendar is in progress (its release is after `now`). */
export interface DemoRelease {
  name: string;
  /** Branch name of its stable branch once released. */
  stableBranch: string;
  start: number;
  featureFreeze: number;
  release: number;
}

export interface DemoBlueprint {
  name: string;
  /** The release cycle it targets. */
  cycle: string;
  area: string;
}
