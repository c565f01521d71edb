// A node:test reporter for the files run-tests.mjs runs together in one process: writes, as one
// JSON object, each file's time there (the sum of its top-level tests' and suites' durations, in
// ms; keyed by the path relative to the working folder), which the runner keeps with the other
// files' wall times, to spread the shared files over their processes the next time.
import { relative } from 'node:path';

export default async function* fileTimes(source) {
  const ms = {};
  for await (const event of source) {
    if (event.type !== 'test:complete' || event.data.nesting !== 0 || !event.data.file) continue;
    const file = relative(process.cwd(), event.data.file);
    ms[file] = (ms[file] ?? 0) + (event.data.details?.duration_ms ?? 0);
  }
  yield `${JSON.stringify(Object.fromEntries(Object.entries(ms).map(([f, t]) => [f, Math.round(t)])))}\n`;
}
