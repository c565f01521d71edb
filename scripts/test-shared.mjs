// Which integration files (test/integration/*.test.ts) scripts/run-tests.mjs runs in shared
// processes (`node --test --test-isolation=none`), a few files to a process, rather than one process
// each: a process loads node's TypeScript hooks, the test helpers, Kysely, Fastify, pg and
// better-sqlite3 again, about 0.5-1 s of CPU, more than many of these files' own tests.
//
// A file is listed in SHARED only when it is safe beside others in one process (audited 2026-12-07):
// it changes no process-wide state it does not restore (process.env, the working folder,
// process.exitCode, the global fetch dispatcher, faked timers, umask, signal or exit handlers), its
// servers listen on port 0, its files and databases have names of their own (mkdtemp,
// test/helpers/stores.ts's freshLocation), and it does not rely on fresh module state (the module
// caches of src/ keep pure results by key: the config cache's build id, the schema texts, the day
// strings; the view cache is one per app; test/helpers/web.ts's Chromium is closed when the
// process's tests end). Its top-level before/after hooks become the process's: every file's before
// runs before the first test of the process, every after after the last (they only make and remove
// a folder, a store or a fake server of the file's own, so that is only later).
//
// Every other integration file runs in its own process; APART says why. A new file not listed in
// either runs apart (the safe default): add it to SHARED after the same audit, or to APART.
//
// STEWARD_TEST_ISOLATE=1 runs every file in its own process; `node scripts/run-tests.mjs FILE` runs
// one file (a group of one file runs apart).

export const SHARED = [
  'audit-cli',
  'bug-report-indexes-migration',
  'bugs-demo',
  'bugs-rota-reverts',
  'bugs-sync-intake',
  'bulk-insert',
  'bulk-load',
  'change-flow',
  'ci-reports',
  'cli',
  'commit-facts-migration',
  'core-idle-configured',
  'core-idle-window',
  'core-team-repos',
  'db-info',
  'electorate',
  'error-catalogue',
  'export-reader',
  'history-web',
  'import-deferred-indexes',
  'layering',
  'links-nova-history',
  'overview-store',
  'people-affiliations',
  'people-counts',
  'report-csv',
  'report-legends',
  'rest-client',
  'rest-page-parser',
  'review-tally',
  'security-advisories',
  'security-cli',
  'security-demo',
  'security-intake',
  'security-overview',
  'security-store',
  'specs-demo',
  'specs-linking',
  'user-cli',
  'web-accounts-store',
  'web-auth',
  'web-cache',
  'web-cache-auth',
  'web-cache-reader',
  'web-fair-queue',
  'web-manage',
  'web-manage-initiatives',
].map((name) => `test/integration/${name}.test.ts`);

const LONG =
  'long (over ~27 s of wall in a full run): a shared process runs its files one after another, so the run would end later; apart, the start-up is a small part of the file';
const MODULES =
  'records the modules its process loads (a module hook and an exit handler writing STEWARD_TEST_MODULES): the other files would change what it measures';

export const APART = {
  'bench-web-auth': LONG,
  'bugs-loaders': LONG,
  'ci-cli': LONG,
  'ci-sync': LONG,
  'cli-bundle': MODULES,
  'cli-start': MODULES,
  'empty-store': LONG,
  flow: LONG,
  'git-nova-history': LONG,
  'git-sync': LONG,
  'history-nova': LONG,
  import: LONG,
  initiatives: LONG,
  'initiatives-nova': LONG,
  'known-values': LONG,
  'launchpad-kill': `${LONG}; it stops and kills its sync children`,
  'launchpad-sync': LONG,
  'people-web': LONG,
  priorities: LONG,
  'report-consistency': LONG,
  'report-schemas': LONG,
  reviewers: LONG,
  'security-advisories-demo': LONG,
  'security-advisories-real': LONG,
  'security-export': LONG,
  'security-web': LONG,
  specs: LONG,
  store: LONG,
  sync: LONG,
  'sync-kill': `${LONG}; it stops and kills its sync children`,
  'vendor-bundle': MODULES,
  'view-workers': LONG,
  'web-api': LONG,
  'web-serve': LONG,
  'web-serve-auth': LONG,
};

/** How many shared processes the SHARED files are spread over (each beside the other slots). */
export const SHARED_PROCESSES = 2;
