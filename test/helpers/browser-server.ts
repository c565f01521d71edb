/**
 * The run's shared Chromium: scripts/run-tests.mjs starts this (when a test file of the run uses
 * launchBrowser) before the test files, and each file's launchBrowser connects to it over the
 * DevTools protocol (STEWARD_TEST_BROWSER_CDP) instead of starting a Chromium of its own: one
 * start, about 1.8 s of Chromium's CPU, instead of one per file. Each session is still a fresh browser context (cookies,
 * storage and cache of its own).
 *
 * Chromium listens for the DevTools protocol on a free port of 127.0.0.1, and the files connect to
 * it directly (chromium.connectOverCDP): through Playwright's browser server (launchServer and
 * connect) every message of every file went through this process as well, which cost it about as
 * much CPU as the Chromium starts it saved.
 *
 * Prints one JSON line on stdout, `{"cdp": URL}` (http://127.0.0.1:PORT), once the browser is
 * up (`{"skip": WHY}` when there is no Chromium); when its stdin ends (the runner closes it) it
 * closes the browser and prints `{"cpuMs": ..., "childMs": ...}`: its own CPU and that of Chromium's processes, which exited.
 */
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { BROWSER_SKIP_REASON, CHROMIUM_LAUNCH } from './chromium.js';

if (BROWSER_SKIP_REASON) {
  process.stdout.write(`${JSON.stringify({ skip: BROWSER_SKIP_REASON })}\n`);
  process.exit(0);
}
const port = await new Promise<number>((resolve, reject) => {
  const probe = createServer()
    .once('error', reject)
    .listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
});
const browser = await chromium.launch({
  ...CHROMIUM_LAUNCH,
  args: [...CHROMIUM_LAUNCH.args, `--remote-debugging-port=${port}`, '--remote-debugging-address=127.0.0.1'],
});
process.stdout.write(`${JSON.stringify({ cdp: `http://127.0.0.1:${port}` })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void browser.close().then(() => {
    const { user, system } = process.cpuUsage();
    const f = readFileSync('/proc/self/stat', 'utf8');
    const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
    const childMs = ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
    process.stdout.write(`${JSON.stringify({ cpuMs: (user + system) / 1000, childMs })}\n`);
    process.exit(0);
  });
});
