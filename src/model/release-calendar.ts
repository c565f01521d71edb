/**
 * Release calendars: each release's start, feature freeze and release date. steward.yaml's
 * `releases:` is the calendar when it names any; otherwise the shipped OpenStack calendar below.
 *
 * The OpenStack dates are the public schedules (releases.openstack.org/<series>/schedule.html and
 * the openstack/releases repository's schedule.yaml and series_status.yaml; the Icehouse–Kilo
 * dates from the wiki schedules of the time and the release announcements):
 * - `release`: the coordinated release day (series_status.yaml `initial-release`; for releases not
 *   out yet, the Wednesday of the planned R+0 week);
 * - `featureFreeze`: the cross-project Feature Freeze, the Thursday of the milestone-3 (`-ff`)
 *   week. Nova sometimes froze non-priority features earlier; a steward.yaml calendar can say so;
 * - `start`: the previous release's day (a cycle opens when the one before ships).
 * Since 2023 releases are numbered (2023.1 "Antelope"): the number is the name, the word an alias,
 * so a specs directory named either way is found.
 */
import type { Timestamp } from './records.js';

export interface ReleaseDates {
  name: string;
  /** Other names the release goes by (the code name of a numbered release, and the reverse). */
  aliases: string[];
  start: Timestamp;
  featureFreeze: Timestamp;
  release: Timestamp;
}

const day = (s: string): Timestamp => Date.parse(`${s}T00:00:00Z`);

// [name, alias, feature freeze, release]; each start is the release before.
const OPENSTACK: ReadonlyArray<[string, string | null, string, string]> = [
  ['havana', null, '2013-09-05', '2013-10-17'],
  ['icehouse', null, '2014-03-06', '2014-04-17'],
  ['juno', null, '2014-09-04', '2014-10-16'],
  ['kilo', null, '2015-03-19', '2015-04-30'],
  ['liberty', null, '2015-09-03', '2015-10-15'],
  ['mitaka', null, '2016-03-03', '2016-04-07'],
  ['newton', null, '2016-09-01', '2016-10-06'],
  ['ocata', null, '2017-01-26', '2017-02-22'],
  ['pike', null, '2017-07-27', '2017-08-30'],
  ['queens', null, '2018-01-25', '2018-02-28'],
  ['rocky', null, '2018-07-26', '2018-08-30'],
  ['stein', null, '2019-03-07', '2019-04-10'],
  ['train', null, '2019-09-12', '2019-10-16'],
  ['ussuri', null, '2020-04-09', '2020-05-13'],
  ['victoria', null, '2020-09-10', '2020-10-14'],
  ['wallaby', null, '2021-03-11', '2021-04-14'],
  ['xena', null, '2021-09-02', '2021-10-06'],
  ['yoga', null, '2022-02-24', '2022-03-30'],
  ['zed', null, '2022-09-01', '2022-10-05'],
  ['2023.1', 'antelope', '2023-02-16', '2023-03-22'],
  ['2023.2', 'bobcat', '2023-08-31', '2023-10-04'],
  ['2024.1', 'caracal', '2024-02-29', '2024-04-03'],
  ['2024.2', 'dalmatian', '2024-08-29', '2024-10-02'],
  ['2025.1', 'epoxy', '2025-02-27', '2025-04-02'],
  ['2025.2', 'flamingo', '2025-08-28', '2025-10-01'],
  ['2026.1', 'gazpacho', '2026-02-26', '2026-04-01'],
  ['2026.2', 'hibiscus', '2026-08-27', '2026-09-30'],
  ['2027.1', 'indri', '2027-02-18', '2027-03-24'],
];

// Grizzly's release day starts Havana.
const GRIZZLY_RELEASE = '2013-04-04';

/** The shipped OpenStack calendar, Havana to 2027.1 "Indri", oldest first. */
export function openstackCalendar(): ReleaseDates[] {
  return OPENSTACK.map(([name, alias, ff, release], i) => ({
    name,
    aliases: alias ? [alias] : [],
    start: day(i === 0 ? GRIZZLY_RELEASE : OPENSTACK[i - 1]![3]),
    featureFreeze: day(ff),
    release: day(release),
  }));
}

/**
 * The release a name (a specs directory, a `--release` value) means in `calendar`: by name or
 * alias, case-insensitively; a configured release named by its code word also matches the numbered
 * name the shipped calendar gives it, and the reverse. Null when the calendar does not know it.
 */
export function findRelease(calendar: readonly ReleaseDates[], name: string): ReleaseDates | null {
  const wanted = name.toLowerCase();
  const names = new Set([wanted]);
  for (const r of openstackCalendar())
    if (r.name === wanted || r.aliases.includes(wanted)) [r.name, ...r.aliases].forEach((n) => names.add(n));
  return calendar.find((r) => [r.name, ...r.aliases].some((n) => names.has(n.toLowerCase()))) ?? null;
}
