/**
 * Debian's headless Chromium as the browser tests start it: where it is and the launch options. Used
 * by launchBrowser (test/helpers/web.ts), which starts one per test file, and by the run's shared
 * browser server (test/helpers/browser-server.ts), which scripts/run-tests.mjs starts once for all
 * the files of a run.
 */
import { existsSync } from 'node:fs';

/** Debian's Chromium; the e2e tests say they are skipped, and why, when it is missing. */
export const CHROMIUM_PATH = process.env.STEWARD_CHROMIUM ?? '/usr/bin/chromium';

/** Headless, no sandbox (the tests run as root in CI), no GPU, no network beyond loopback, no first-run noise. */
export const CHROMIUM_LAUNCH = {
  executablePath: CHROMIUM_PATH,
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

export const BROWSER_SKIP_REASON = existsSync(CHROMIUM_PATH)
  ? false
  : `browser tests skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium; .ci/run installs it)`;
