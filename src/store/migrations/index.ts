/**
 * The ordered list of migrations. Names sort in order and never change once released; a new
 * schema change is a new file added at the end. Kysely's migrator records what ran in
 * `kysely_migration`; open-store.ts refuses a store that has run migrations this version lacks.
 *
 * A migration that adds a table holding reported data also calls `announceDataChanges(db, table)`
 * (0009) on PostgreSQL, so the web's view cache hears of its changes.
 */
import type { Migration, MigrationProvider } from 'kysely/migration';
import type { EngineCapabilities } from '../engine.js';
import { reviewData } from './0001-review-data.js';
import { syncState } from './0002-sync-state.js';
import { mentoring } from './0003-mentoring.js';
import { zuulBuilds } from './0004-zuul-builds.js';
import { reviewFlow } from './0005-review-flow.js';
import { dropRedundantIndexes } from './0006-drop-redundant-indexes.js';
import { codeHistory } from './0007-code-history.js';
import { specs } from './0008-specs.js';
import { webAccounts } from './0009-web-accounts.js';
import { priorities } from './0011-priorities.js';
import { changeFlow } from './0012-change-flow.js';
import { ciReports } from './0013-ci-reports.js';
import { dropMessagesDate } from './0015-drop-messages-date.js';
import { launchpad } from './0016-launchpad.js';
import { securityTracker } from './0017-security-tracker.js';
import { advisories } from './0018-advisories.js';
import { people } from './0019-people.js';
import { initiatives } from './0020-initiatives.js';
import { windowIndexes } from './0021-window-indexes.js';
import { launchpadDates } from './0022-launchpad-dates.js';
import { blueprintGoalAccepted } from './0031-blueprint-goal-accepted.js';
import { bugReportIndexes } from './0033-bug-report-indexes.js';
import { votesVoterIndex } from './0036-votes-voter-index.js';
import { deferredIndexes } from './0038-deferred-indexes.js';
import { commitFacts } from './0024-commit-facts.js';
import { scopeIndexes } from './0025-scope-indexes.js';
import { ciWindowIndex } from './0029-ci-window-index.js';
import { quietSecurityTables } from './0030-quiet-security-tables.js';

export function migrationList(caps: EngineCapabilities): Record<string, Migration> {
  return {
    '0001-review-data': reviewData(caps),
    '0002-sync-state': syncState(caps),
    '0003-mentoring': mentoring(caps),
    '0004-zuul-builds': zuulBuilds(caps),
    '0005-review-flow': reviewFlow(caps),
    '0006-drop-redundant-indexes': dropRedundantIndexes(),
    '0007-code-history': codeHistory(caps),
    '0008-specs': specs(caps),
    '0009-web-accounts': webAccounts(caps),
    '0011-priorities': priorities(caps),
    '0012-change-flow': changeFlow(caps),
    '0013-ci-reports': ciReports(caps),
    '0015-drop-messages-date': dropMessagesDate(),
    '0016-launchpad': launchpad(caps),
    '0017-security-tracker': securityTracker(caps),
    '0018-advisories': advisories(caps),
    '0019-people': people(caps),
    '0020-initiatives': initiatives(caps),
    '0021-window-indexes': windowIndexes(),
    '0022-launchpad-dates': launchpadDates(caps),
    '0024-commit-facts': commitFacts(),
    '0025-scope-indexes': scopeIndexes(caps),
    '0029-ci-window-index': ciWindowIndex(),
    '0030-quiet-security-tables': quietSecurityTables(caps),
    '0031-blueprint-goal-accepted': blueprintGoalAccepted(),
    '0033-bug-report-indexes': bugReportIndexes(),
    '0036-votes-voter-index': votesVoterIndex(),
    '0038-deferred-indexes': deferredIndexes(),
  };
}

export function migrationProvider(caps: EngineCapabilities): MigrationProvider {
  return { getMigrations: async () => migrationList(caps) };
}

/** The schema version a store has once every migration ran: the number of migrations. */
export function latestSchemaVersion(caps: EngineCapabilities): number {
  return Object.keys(migrationList(caps)).length;
}
