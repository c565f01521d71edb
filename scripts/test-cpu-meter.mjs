// Loaded by run-tests.mjs into each test file's process (the runner passes its --import on): at exit,
// appends the process's CPU time (every thread, user + system) to STEWARD_TEST_CPU_LOG. Processes the
// tests start themselves (the CLI, git, Chromium) are not counted.
import { appendFileSync } from 'node:fs';

const log = process.env.STEWARD_TEST_CPU_LOG;
const file = process.argv[1];
if (log && file?.endsWith('.test.ts')) {
  process.on('exit', () => {
    const { user, system } = process.cpuUsage();
    appendFileSync(log, `${JSON.stringify({ file, cpuMs: (user + system) / 1000 })}\n`);
  });
}
