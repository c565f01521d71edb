/**
 * Model records (model/bugs.ts) written as Launchpad's web service writes them: the entries of a
 * searchTasks page, a bug, a specification, and collection pages around them. The demo writes its
 * Launchpad side with these (`steward demo` → launchpad/*.json, read back by `steward bugs import`),
 * and the test fake serves them, so the parser meets the same shapes it meets from Launchpad.
 */
import type { Blueprint, Bug, BugTask } from '../model/bugs.js';

/** The web service root the demo's links name (as saved from the real service). */
export const LAUNCHPAD_API_ROOT = 'https://api.launchpad.net/devel';

const time = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString().replace(/Z$/, '+00:00'));
const person = (name: string | null): string | null => (name === null ? null : `${LAUNCHPAD_API_ROOT}/~${name}`);

/** A bug task entry as searchTasks lists it. */
export function bugTaskEntry(t: BugTask, projectTitle = t.project): Record<string, unknown> {
  const target = t.series ? `${t.project}/${t.series}` : t.project;
  const d = t.dates;
  return {
    self_link: `${LAUNCHPAD_API_ROOT}/${target}/+bug/${t.bug}`,
    web_link: `https://bugs.launchpad.net/${target}/+bug/${t.bug}`,
    resource_type_link: `${LAUNCHPAD_API_ROOT}/#bug_task`,
    http_etag: `"${t.bug}-${d.created}"`,
    bug_link: `${LAUNCHPAD_API_ROOT}/bugs/${t.bug}`,
    target_link: `${LAUNCHPAD_API_ROOT}/${target}`,
    bug_target_name: target,
    bug_target_display_name: projectTitle,
    title: `Bug #${t.bug} in ${projectTitle}: "${t.title}"`,
    status: t.status,
    importance: t.importance,
    assignee_link: person(t.assignee),
    milestone_link: t.milestone === null ? null : `${LAUNCHPAD_API_ROOT}/${t.project}/+milestone/${t.milestone}`,
    owner_link: null,
    is_complete: ['Fix Released', 'Invalid', "Won't Fix", 'Opinion', 'Expired'].includes(t.status),
    date_created: time(d.created),
    date_assigned: time(d.assigned),
    date_confirmed: time(d.confirmed),
    date_triaged: time(d.triaged),
    date_in_progress: time(d.inProgress),
    date_fix_committed: time(d.fixCommitted),
    date_fix_released: time(d.fixReleased),
    date_closed: time(d.closed),
    date_left_new: time(d.leftNew),
    date_incomplete: time(d.incomplete),
    date_left_closed: time(d.leftClosed),
    date_deferred: time(d.deferred),
    related_tasks_collection_link: `${LAUNCHPAD_API_ROOT}/${target}/+bug/${t.bug}/related_tasks`,
  };
}

/** A bug entry (`/devel/bugs/N`). */
export function bugEntry(b: Bug): Record<string, unknown> {
  return {
    self_link: `${LAUNCHPAD_API_ROOT}/bugs/${b.id}`,
    web_link: `https://bugs.launchpad.net/bugs/${b.id}`,
    resource_type_link: `${LAUNCHPAD_API_ROOT}/#bug`,
    http_etag: `"${b.id}-${b.lastUpdatedAt}"`,
    id: b.id,
    title: b.title,
    description: '',
    tags: b.tags,
    information_type: b.informationType,
    private: !['Public', 'Public Security'].includes(b.informationType),
    security_related: b.informationType.includes('Security'),
    duplicate_of_link: b.duplicateOf === null ? null : `${LAUNCHPAD_API_ROOT}/bugs/${b.duplicateOf}`,
    heat: b.heat,
    message_count: b.messageCount,
    owner_link: person(b.owner),
    date_created: time(b.createdAt),
    date_last_updated: time(b.lastUpdatedAt),
    date_last_message: time(b.lastMessageAt),
    bug_tasks_collection_link: `${LAUNCHPAD_API_ROOT}/bugs/${b.id}/bug_tasks`,
  };
}

/**
 * A specification (blueprint) entry. Launchpad's own entries carry no `goal_link` (its web service
 * does not export the goal; a series' all_specifications lists its goals): `goalLink: false` writes
 * the entry as Launchpad serves it, the default keeps the goal in it (Steward's saved pages, which
 * `steward bugs import` reads without asking each series).
 */
export function specificationEntry(b: Blueprint, o: { goalLink?: boolean } = {}): Record<string, unknown> {
  return {
    self_link: `${LAUNCHPAD_API_ROOT}/${b.project}/+spec/${b.name}`,
    web_link: `https://blueprints.launchpad.net/${b.project}/+spec/${b.name}`,
    resource_type_link: `${LAUNCHPAD_API_ROOT}/#specification`,
    name: b.name,
    title: b.title,
    summary: '',
    definition_status: b.definitionStatus,
    implementation_status: b.implementationStatus,
    lifecycle_status: b.lifecycleStatus,
    priority: b.priority,
    ...(o.goalLink === false ? {} : { goal_link: b.seriesGoal === null ? null : `${LAUNCHPAD_API_ROOT}/${b.project}/${b.seriesGoal}` }),
    has_accepted_goal: b.seriesGoalAccepted ?? false,
    milestone_link: b.milestone === null ? null : `${LAUNCHPAD_API_ROOT}/${b.project}/+milestone/${b.milestone}`,
    assignee_link: person(b.assignee),
    target_link: `${LAUNCHPAD_API_ROOT}/${b.project}`,
    date_created: time(b.createdAt),
    date_started: time(b.startedAt),
    date_completed: time(b.completedAt),
    is_complete: b.completedAt !== null,
  };
}

/** A project series entry, as `{root}/{project}/series` lists it. */
export function seriesEntry(project: string, name: string): Record<string, unknown> {
  return {
    self_link: `${LAUNCHPAD_API_ROOT}/${project}/${name}`,
    web_link: `https://launchpad.net/${project}/${name}`,
    resource_type_link: `${LAUNCHPAD_API_ROOT}/#project_series`,
    name,
    all_specifications_collection_link: `${LAUNCHPAD_API_ROOT}/${project}/${name}/all_specifications`,
  };
}

/** A collection page around `entries`. */
export function collectionPage(
  entries: readonly unknown[],
  opts: { start: number; total: number; next: string | null; prev?: string | null },
): Record<string, unknown> {
  const page: Record<string, unknown> = { total_size: opts.total, start: opts.start, entries };
  if (opts.next) page.next_collection_link = opts.next;
  if (opts.prev) page.prev_collection_link = opts.prev;
  return page;
}
