/**
 * The run's shared Chromium: scripts/run-tests.mjs starts this (when a test file of the run uses
 * launchBrowser) before the test files, and each file's launchBrowser connects to it
 * (STEWARD_TEST_BROWSER_WS) instead of starting a Chromium of its own: one start, about 1.8 s of
 * Chromium's CPU, instead of one per file. Each session is still a fresh browser context (cookies,
 * storage and cache of its own).
 *
 * Prints one JSON line on stdout, `{"ws": ENDPOINT}` (a WebSocket on loopback), once the browser is
 * up (`{"skip": WHY}` when there is no Chromium); when its stdin ends (the runner closes it) it closes the browser and prints
 * `{"cpuMs": ..., "childMs": ...}`: its own CPU and that of Chromium's processes, which exited.
 */
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { BROWSER_SKIP_REASON, CHROMIUM_LAUNCH } from './chromium.js';

if (BROWSER_SKIP_REASON) {
  process.stdout.write(`${JSON.stringify({ skip: BROWSER_SKIP_REASON })}\n`);
  process.exit(0);
}
const server = await chromium.launchServer(CHROMIUM_LAUNCH);
process.stdout.write(`${JSON.stringify({ ws: server.wsEndpoint() })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void server.close().then(() => {
    const { user, system } = process.cpuUsage();
    const f = readFileSync('/proc/self/stat', 'utf8');
    const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
    const childMs = ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
    process.stdout.write(`${JSON.stringify({ cpuMs: (user + system) / 1000, childMs })}\n`);
    process.exit(0);
  });
});
