/**
 * The release calendar in effect, and the check of a release name against it. Light on purpose:
 * catalogue entries check a `release` parameter in `resolve`, before anything is built, so this
 * module is loaded with the catalogue by every command (docs/development.md, "A fast start") and
 * imports neither the store nor the configuration's schema.
 */
import type { StewardConfig } from '../config/config-schema.js';
import { StewardError } from '../model/errors.js';
import { findRelease, openstackCalendar, type ReleaseDates } from '../model/release-calendar.js';
import type { EffectiveConfig } from './effective-config.js';

/** A configuration date (a date alone is midnight UTC) as epoch ms, as config-schema's `toMs`. */
const configDateMs = (s: string): number => Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s);

/** The release calendar in effect: steward.yaml `releases` when it names any, else the shipped OpenStack calendar. */
export function releaseCalendar(config: StewardConfig, origin = 'steward.yaml'): { calendar: ReleaseDates[]; source: string } {
  if (config.releases.length) {
    return {
      calendar: config.releases.map((r) => ({
        name: r.name,
        aliases: [],
        start: configDateMs(r.start),
        featureFreeze: configDateMs(r.featureFreeze),
        release: configDateMs(r.release),
      })),
      source: `releases in ${origin}`,
    };
  }
  return {
    calendar: openstackCalendar(),
    source: 'the shipped OpenStack calendar (releases.openstack.org schedules; no releases in the configuration)',
  };
}

/** Refuses a release the calendar in effect does not know, naming the parameter as the caller spells it. */
export function checkRelease(release: string, config: EffectiveConfig, param = '--release'): void {
  const { calendar, source } = releaseCalendar(config.config, config.origin);
  if (!findRelease(calendar, release))
    throw new StewardError('USAGE', `${param} "${release}" is not in the release calendar (${source})`, {
      hint: `Known releases: ${calendar.map((r) => r.name).join(', ')}.`,
    });
}
