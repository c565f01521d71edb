// Loaded by run-tests.mjs into each test file's process (the runner passes its --import on): at exit,
// appends to STEWARD_TEST_CPU_LOG the file's
// - cpuMs: its own process's CPU time (every thread, user + system);
// - childMs: the CPU time of the processes it started and waited for (the CLI, git, Chromium and
//   their own children, as far as each waited for its children): /proc/self/stat's cutime + cstime,
//   which the kernel adds up as the children exit. A child still running at exit is not counted;
//   PostgreSQL's server processes are not the file's children (run-tests.mjs measures them apart).
// - wallMs: the time from this module's loading to exit.
import { appendFileSync, readFileSync } from 'node:fs';

const log = process.env.STEWARD_TEST_CPU_LOG;
// STEWARD_TEST_GROUP: the name of a group of files run together in this process (run-tests.mjs).
const file = process.env.STEWARD_TEST_GROUP ?? process.argv[1];
const start = performance.now();
if (log && (process.env.STEWARD_TEST_GROUP || file?.endsWith('.test.ts'))) {
  process.on('exit', () => {
    const { user, system } = process.cpuUsage();
    appendFileSync(
      log,
      `${JSON.stringify({ file, cpuMs: (user + system) / 1000, childMs: childrenCpuMs(), wallMs: performance.now() - start })}\n`,
    );
  });
}

/** The CPU time of the waited-for children, from /proc/self/stat (Linux), or undefined elsewhere. */
function childrenCpuMs() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // Fields after the command name (which may hold spaces, inside parentheses): state is field 3,
    // cutime and cstime are fields 16 and 17, in clock ticks (100 a second on Linux).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
  } catch {
    return undefined;
  }
}
