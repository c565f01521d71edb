/**
 * Dashboards shipped with Steward, written as gerrit-dash-creator `.dash` files and read by the
 * same parser as the user's own, so they can be copied out, edited and opened in Gerrit.
 *
 * Group `core` is Steward's name for the configured core team; `steward dashboard --gerrit-url`
 * replaces it with the project's `core.group` from steward.yaml.
 */
import { parseDashFile, type DashboardDefinition } from './dash-file.js';

export const REVIEW_INBOX_DASH = `# The review inbox a project lead looks at first.
[dashboard]
title = Review inbox
description = Priority reviews, changes one +2 away, safe quick wins, and changes nobody looks at
foreach = status:open -is:wip -label:Workflow<=-1

[section "Priority reviews"]
query = (label:Review-Priority>=1 OR hashtag:review-priority) -label:Code-Review<=-1

[section "Needs final +2"]
query = label:Code-Review>=2 -label:Code-Review<=-1 -label:Workflow>=1 label:Verified>=1 -label:Verified<=-1

[section "Bug fixes passing CI, no negative feedback"]
query = (message:"Closes-Bug:" OR message:"Partial-Bug:") label:Verified>=1 -label:Verified<=-1
        -label:Code-Review<=-1 -label:Code-Review>=2

[section "Trivial fixes (small or TrivialFix, passing CI, no core -1)"]
query = (delta:<=10 OR message:TrivialFix) label:Verified>=1 -label:Verified<=-1 -label:Code-Review<=-1,core

[section "Waiting more than five days with no review"]
query = age:5d -label:Code-Review<=-1 -label:Code-Review>=1

[section "Starved (no core vote, no update for two weeks)"]
query = age:2w -label:Code-Review<=-1,core -label:Code-Review>=1,core
`;

/** The shipped dashboards by name. */
export function defaultDashboards(): DashboardDefinition[] {
  return [
    { ...parseDashFile(REVIEW_INBOX_DASH, 'review-inbox.dash (shipped with Steward)', 'review-inbox'), origin: 'shipped with Steward' },
  ];
}
